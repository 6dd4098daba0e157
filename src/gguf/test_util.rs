//! Test helper: writes GGUF images in memory.
//!
//! Why a hand-written writer: the tests need valid files to start from and
//! precisely broken ones (bad counts, offsets, types) that no real tool would
//! produce. Byte sizes of tensor data are given explicitly by each test, not
//! computed with the module's own table, so that the table gets checked.

use std::path::PathBuf;

use tempfile::TempDir;

/// Little-endian byte writer for crafting headers by hand.
#[derive(Default)]
pub(super) struct W(pub Vec<u8>);

impl W {
    pub fn header(version: u32, tensors: u64, kvs: u64) -> W {
        W::default().raw(b"GGUF").u32(version).u64(tensors).u64(kvs)
    }
    pub fn raw(mut self, b: &[u8]) -> W {
        self.0.extend_from_slice(b);
        self
    }
    pub fn u8(self, v: u8) -> W {
        self.raw(&[v])
    }
    pub fn u32(self, v: u32) -> W {
        self.raw(&v.to_le_bytes())
    }
    pub fn u64(self, v: u64) -> W {
        self.raw(&v.to_le_bytes())
    }
    pub fn str(self, s: &str) -> W {
        self.u64(s.len() as u64).raw(s.as_bytes())
    }
}

/// A metadata value to write.
#[derive(Clone)]
pub(super) enum Val {
    U8(u8),
    U16(u16),
    U32(u32),
    I32(i32),
    U64(u64),
    F32(f32),
    Bool(bool),
    Str(String),
    StrArr(Vec<String>),
    F32Arr(Vec<f32>),
    /// Any value: type number and already-encoded bytes.
    Raw(u32, Vec<u8>),
}

impl Val {
    pub fn s(s: &str) -> Val {
        Val::Str(s.into())
    }

    fn write(&self, w: W) -> W {
        match self {
            Val::U8(v) => w.u32(0).u8(*v),
            Val::U16(v) => w.u32(2).raw(&v.to_le_bytes()),
            Val::U32(v) => w.u32(4).u32(*v),
            Val::I32(v) => w.u32(5).raw(&v.to_le_bytes()),
            Val::F32(v) => w.u32(6).raw(&v.to_le_bytes()),
            Val::Bool(v) => w.u32(7).u8(u8::from(*v)),
            Val::Str(s) => w.u32(8).str(s),
            Val::U64(v) => w.u32(10).u64(*v),
            Val::StrArr(items) => {
                let w = w.u32(9).u32(8).u64(items.len() as u64);
                items.iter().fold(w, |w, s| w.str(s))
            }
            Val::F32Arr(items) => {
                let w = w.u32(9).u32(6).u64(items.len() as u64);
                items.iter().fold(w, |w, v| w.raw(&v.to_le_bytes()))
            }
            Val::Raw(t, bytes) => w.u32(*t).raw(bytes),
        }
    }
}

/// A tensor to write; `n_bytes` is the data size the test expects.
#[derive(Clone)]
pub(super) struct Tensor {
    pub name: String,
    pub dims: Vec<u64>,
    pub ggml_type: u32,
    pub n_bytes: u64,
    /// Offset written to the header instead of the computed one.
    pub offset: Option<u64>,
}

/// Builds a complete GGUF image: header, aligned data section, zeroed data.
#[derive(Clone)]
pub(super) struct Builder {
    pub version: u32,
    pub kvs: Vec<(String, Val)>,
    pub tensors: Vec<Tensor>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder {
            version: 3,
            kvs: Vec::new(),
            tensors: Vec::new(),
        }
    }

    /// The tiny valid model: a few kvs and 2 tensors (F32 and Q4_1).
    pub fn tiny() -> Builder {
        Builder::new()
            .kv("general.architecture", Val::s("llama"))
            .kv("general.name", Val::s("Tiny Test Model"))
            .kv("general.file_type", Val::U32(3))
            .kv("llama.context_length", Val::U32(2048))
            .kv("llama.block_count", Val::U32(1))
            .kv(
                "tokenizer.ggml.tokens",
                Val::StrArr(vec!["<s>".into(), "</s>".into(), "hi".into()]),
            )
            .kv("tokenizer.ggml.scores", Val::F32Arr(vec![0.0, 0.0, -1.5]))
            .kv("tokenizer.chat_template", Val::s(TEMPLATE))
            .tensor("token_embd.weight", &[4, 3], 0, 48)
            .tensor("blk.0.attn_q.weight", &[64, 2], 3, 80)
    }

    pub fn kv(mut self, key: &str, v: Val) -> Builder {
        self.kvs.push((key.into(), v));
        self
    }

    pub fn tensor(mut self, name: &str, dims: &[u64], ggml_type: u32, n_bytes: u64) -> Builder {
        self.tensors.push(Tensor {
            name: name.into(),
            dims: dims.to_vec(),
            ggml_type,
            n_bytes,
            offset: None,
        });
        self
    }

    fn alignment(&self) -> u64 {
        self.kvs
            .iter()
            .find_map(|(k, v)| match (k.as_str(), v) {
                ("general.alignment", Val::U32(a)) if a.is_power_of_two() => Some(u64::from(*a)),
                _ => None,
            })
            .unwrap_or(32)
    }

    pub fn build(&self) -> Vec<u8> {
        let align = self.alignment();
        let mut w = W::header(
            self.version,
            self.tensors.len() as u64,
            self.kvs.len() as u64,
        );
        for (k, v) in &self.kvs {
            w = v.write(w.str(k));
        }
        let mut end = 0u64;
        for t in &self.tensors {
            let offset = end.next_multiple_of(align);
            end = offset + t.n_bytes;
            w = w.str(&t.name).u32(t.dims.len() as u32);
            for d in &t.dims {
                w = w.u64(*d);
            }
            w = w.u32(t.ggml_type).u64(t.offset.unwrap_or(offset));
        }
        let mut bytes = w.0;
        let data_start = (bytes.len() as u64).next_multiple_of(align);
        bytes.resize((data_start + end) as usize, 0);
        bytes
    }
}

pub(super) const TEMPLATE: &str =
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";

/// Writes `bytes` as `name` in a fresh temporary directory.
pub(super) fn write_temp(name: &str, bytes: &[u8]) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    (dir, path)
}
