//! Splits a real GGUF model into two parts the way llama.cpp's `gguf-split` does: the first part
//! keeps all metadata and the first half of the tensors, the second only the `split.*` keys and
//! the rest; every part carries `split.no`, `split.count` and `split.tensors.count`.
//! The tests need a split model that llama.cpp really loads, and the project has no splitter.

fn u32_at(b: &[u8], at: &mut usize) -> u32 {
    let v = u32::from_le_bytes(b[*at..*at + 4].try_into().unwrap());
    *at += 4;
    v
}

fn u64_at(b: &[u8], at: &mut usize) -> u64 {
    let v = u64::from_le_bytes(b[*at..*at + 8].try_into().unwrap());
    *at += 8;
    v
}

fn skip_string(b: &[u8], at: &mut usize) -> String {
    let len = u64_at(b, at) as usize;
    let s = String::from_utf8_lossy(&b[*at..*at + len]).into_owned();
    *at += len;
    s
}

fn skip_value(b: &[u8], at: &mut usize, kind: u32) {
    match kind {
        0 | 1 | 7 => *at += 1,
        2 | 3 => *at += 2,
        4..=6 => *at += 4,
        10..=12 => *at += 8,
        8 => {
            skip_string(b, at);
        }
        9 => {
            let elem = u32_at(b, at);
            let n = u64_at(b, at);
            for _ in 0..n {
                skip_value(b, at, elem);
            }
        }
        other => panic!("unknown GGUF value type {other}"),
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    out.extend((s.len() as u64).to_le_bytes());
    out.extend(s.as_bytes());
}

fn split_keys(out: &mut Vec<u8>, no: u16, count: u16, tensors: i32) {
    string(out, "split.no");
    out.extend(2u32.to_le_bytes());
    out.extend(no.to_le_bytes());
    string(out, "split.count");
    out.extend(2u32.to_le_bytes());
    out.extend(count.to_le_bytes());
    string(out, "split.tensors.count");
    out.extend(5u32.to_le_bytes());
    out.extend(tensors.to_le_bytes());
}

struct Tensor {
    /// name, dims and type, without the offset.
    info: Vec<u8>,
    offset: u64,
}

/// `model` split in two: (part 1, part 2).
pub fn split_in_two(model: &[u8]) -> (Vec<u8>, Vec<u8>) {
    assert_eq!(&model[..4], b"GGUF");
    let mut at = 4;
    let version = u32_at(model, &mut at);
    let n_tensors = u64_at(model, &mut at);
    let n_kv = u64_at(model, &mut at);
    let kv_start = at;
    let mut alignment = 32u64;
    for _ in 0..n_kv {
        let key = skip_string(model, &mut at);
        let kind = u32_at(model, &mut at);
        let value_at = at;
        skip_value(model, &mut at, kind);
        if key == "general.alignment" {
            alignment =
                u32::from_le_bytes(model[value_at..value_at + 4].try_into().unwrap()).into();
        }
        assert!(!key.starts_with("split."), "already split");
    }
    let kvs = model[kv_start..at].to_vec();
    let mut tensors = Vec::new();
    for _ in 0..n_tensors {
        let start = at;
        skip_string(model, &mut at);
        let dims = u32_at(model, &mut at);
        at += 8 * dims as usize + 4;
        let info = model[start..at].to_vec();
        let offset = u64_at(model, &mut at);
        tensors.push(Tensor { info, offset });
    }
    let data_start = at.div_ceil(alignment as usize) * alignment as usize;
    let data_len = (model.len() - data_start) as u64;
    let size = |i: usize| tensors.get(i + 1).map_or(data_len, |t| t.offset) - tensors[i].offset;
    let half = tensors.len() / 2;
    let part = |range: std::ops::Range<usize>, no: u16| {
        let mut out = b"GGUF".to_vec();
        out.extend(version.to_le_bytes());
        out.extend((range.len() as u64).to_le_bytes());
        let n_kv_out = if no == 0 { n_kv + 3 } else { 3 };
        out.extend(n_kv_out.to_le_bytes());
        if no == 0 {
            out.extend(&kvs);
        }
        split_keys(&mut out, no, 2, n_tensors as i32);
        let mut offset = 0u64;
        for i in range.clone() {
            out.extend(&tensors[i].info);
            out.extend(offset.to_le_bytes());
            offset += size(i);
        }
        out.resize(
            out.len().div_ceil(alignment as usize) * alignment as usize,
            0,
        );
        for i in range {
            let from = data_start + tensors[i].offset as usize;
            out.extend(&model[from..from + size(i) as usize]);
        }
        out
    };
    (part(0..half, 0), part(half..tensors.len(), 1))
}
