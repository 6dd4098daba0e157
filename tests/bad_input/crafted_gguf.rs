//! Crafted GGUF files, shared by the model-file themes: a little-endian GGUF writer, a valid
//! one-tensor model, and hostile headers with absurd counts and lengths.

/// A little-endian GGUF writer.
#[derive(Default)]
struct Gguf(Vec<u8>);

impl Gguf {
    fn header(tensors: u64, kvs: u64) -> Gguf {
        Gguf(b"GGUF".to_vec()).u32(3).u64(tensors).u64(kvs)
    }
    fn u32(mut self, v: u32) -> Gguf {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(mut self, v: u64) -> Gguf {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn str(self, s: &str) -> Gguf {
        let mut w = self.u64(s.len() as u64);
        w.0.extend_from_slice(s.as_bytes());
        w
    }
    /// A string-valued metadata entry.
    fn kv_str(self, key: &str, value: &str) -> Gguf {
        self.str(key).u32(8).str(value)
    }
    fn raw(mut self, bytes: &[u8]) -> Gguf {
        self.0.extend_from_slice(bytes);
        self
    }
}

/// A structurally valid GGUF file with one F32 tensor of `elements` elements, and the byte
/// offset where its data starts. The data itself is not written: the caller decides how long
/// the file is.
pub(crate) fn one_tensor_model(elements: u64) -> (Vec<u8>, u64) {
    let mut w = Gguf::header(1, 2)
        .kv_str("general.architecture", "llama")
        .kv_str("general.name", "Sparse Test")
        .str("token_embd.weight")
        .u32(1)
        .u64(elements)
        .u32(0) // F32
        .u64(0); // offset in the data section
    while !w.0.len().is_multiple_of(32) {
        w.0.push(0);
    }
    let data_offset = w.0.len() as u64;
    (w.0, data_offset)
}

/// Hostile headers: absurd counts and lengths in a file of a few dozen bytes.
pub(crate) fn hostile_headers() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "tensors-2p60.gguf",
            Gguf::header(1 << 60, 0).0,
            "tensor count 1152921504606846976 in the header cannot fit in a file of 24 bytes",
        ),
        (
            "tensors-max.gguf",
            Gguf::header(u64::MAX, u64::MAX).0,
            "cannot fit in a file of 24 bytes",
        ),
        (
            "kvs-2p60.gguf",
            Gguf::header(0, 1 << 60).0,
            "metadata key count 1152921504606846976 in the header cannot fit in a file of 24 bytes",
        ),
        (
            "string-1tb.gguf",
            Gguf::header(0, 1)
                .str("general.name")
                .u32(8)
                .u64(1 << 40)
                .raw(b"abc")
                .0,
            "string length 1099511627776",
        ),
        (
            "key-1tb.gguf",
            Gguf::header(0, 1).u64(1 << 40).raw(b"general.name").0,
            "cannot fit in a file of",
        ),
        (
            "array-2p60.gguf",
            Gguf::header(0, 1)
                .str("tokenizer.ggml.tokens")
                .u32(9)
                .u32(8)
                .u64(1 << 60)
                .0,
            "cannot fit in a file of",
        ),
    ]
}
