//! Tests of the header parser on crafted files.
//!
//! Why: every check in the parser corresponds to a way a downloaded file can
//! be broken or malicious; each test builds such a file and asserts the
//! specific error, so a regression shows which protection was lost.

use std::path::Path;
use std::time::Instant;

use super::test_util::{Builder, TEMPLATE, Val, write_temp};
use super::*;

fn err(bytes: &[u8]) -> GgufError {
    parse_bytes(bytes).expect_err("parse should fail")
}

#[test]
fn tiny_model_parses_with_correct_fields() {
    let bytes = Builder::tiny().build();
    let f = parse_bytes(&bytes).unwrap();
    assert_eq!(f.version, 3);
    assert_eq!(f.file_size, bytes.len() as u64);
    assert_eq!(f.tensor_count, 2);
    assert_eq!(f.alignment, 32);
    assert_eq!(f.data_offset % 32, 0);
    assert_eq!(f.tensors[0].name, "token_embd.weight");
    assert_eq!((f.tensors[0].n_elements, f.tensors[0].n_bytes), (12, 48));
    assert_eq!((f.tensors[1].n_elements, f.tensors[1].n_bytes), (128, 80));
    assert_eq!(
        f.tensors[1].offset, 64,
        "second tensor starts at the next aligned offset"
    );
    assert_eq!(f.get_u64("llama.context_length"), Some(2048));
    assert_eq!(f.get_str("general.architecture"), Some("llama"));
    assert_eq!(f.chat_template(), Some(TEMPLATE));
    assert_eq!(
        f.get("tokenizer.ggml.tokens"),
        Some(&MetaValue::Array {
            elem_type: 8,
            len: 3
        })
    );
    assert_eq!(
        f.get("tokenizer.ggml.scores"),
        Some(&MetaValue::Array {
            elem_type: 6,
            len: 3
        })
    );
    assert_eq!(f.parameter_count(), 140);
    assert_eq!(f.get("missing.key"), None);
}

#[test]
fn open_and_summarize_tiny_model() {
    let bytes = Builder::tiny().build();
    let (_dir, path) = write_temp("tiny.gguf", &bytes);
    let f = GgufFile::open(&path).unwrap();
    assert_eq!(f.path, path);
    assert_eq!(f.tensors, parse_bytes(&bytes).unwrap().tensors);
    let s = summarize(&path).unwrap();
    let expected = ModelSummary {
        path: path.clone(),
        name: "Tiny Test Model".into(),
        architecture: "llama".into(),
        parameter_count: 140,
        quantization: "Q4_1".into(),
        file_size: bytes.len() as u64,
        context_length: Some(2048),
        chat_template: Some(TEMPLATE.into()),
        split_count: 1,
        is_adapter: false,
    };
    assert_eq!(s, expected);
}

#[test]
fn summary_defaults_when_metadata_absent() {
    let mut b = Builder::tiny();
    b.kvs.retain(|(k, _)| !k.starts_with("general."));
    let (_dir, path) = write_temp("My-Model.Q8_0.gguf", &b.build());
    let s = summarize(&path).unwrap();
    assert_eq!(s.name, "My-Model.Q8_0");
    assert_eq!(s.architecture, "unknown");
    assert_eq!(s.quantization, "unknown");
    assert_eq!(s.context_length, None);
}

#[test]
fn integer_getters_accept_any_integer_type() {
    let b = Builder::new()
        .kv("a", Val::U8(7))
        .kv("b", Val::I32(-3))
        .kv("c", Val::U16(9))
        .kv("d", Val::U64(u64::MAX))
        .kv("e", Val::Bool(true))
        .kv("f", Val::F32(0.5));
    let f = parse_bytes(&b.build()).unwrap();
    assert_eq!(f.get_u64("a"), Some(7));
    assert_eq!(f.get_u64("b"), None, "negative is not a u64");
    assert_eq!(f.get_i64("b"), Some(-3));
    assert_eq!(f.get_u64("c"), Some(9));
    assert_eq!(f.get_i64("d"), None);
    assert_eq!(f.get_bool("e"), Some(true));
    assert_eq!(f.get_f64("f"), Some(0.5));
    assert_eq!(f.get_str("a"), None);
}

#[test]
fn version_2_is_accepted_1_and_99_are_refused() {
    let mut b = Builder::tiny();
    b.version = 2;
    assert_eq!(parse_bytes(&b.build()).unwrap().version, 2);
    for v in [1, 99, 0] {
        b.version = v;
        let e = err(&b.build());
        assert!(
            matches!(e, GgufError::UnsupportedVersion { version, .. } if version == v),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains(&format!("unsupported GGUF version {v} ")),
            "{e}"
        );
    }
    b.version = 3u32.swap_bytes();
    assert!(err(&b.build()).to_string().contains("big-endian"));
}

#[test]
fn empty_file_directory_and_missing_path() {
    let (dir, path) = write_temp("empty.gguf", b"");
    let e = GgufFile::open(&path).unwrap_err();
    assert!(matches!(e, GgufError::Empty { .. }), "{e}");
    assert!(
        e.to_string().contains("0 bytes") && e.to_string().contains("empty.gguf"),
        "{e}"
    );
    let e = GgufFile::open(dir.path()).unwrap_err();
    assert!(matches!(e, GgufError::IsDirectory { .. }), "{e}");
    let missing = dir.path().join("nope.gguf");
    let e = summarize(&missing).unwrap_err();
    assert!(matches!(e, GgufError::NotFound { .. }), "{e}");
    assert_eq!(e.path(), missing);
    assert!(
        e.to_string().contains(&missing.display().to_string()),
        "{e}"
    );
    assert!(matches!(err(b""), GgufError::Empty { .. }));
    // Devices and FIFOs are refused before opening (opening a FIFO blocks).
    if Path::new("/dev/null").exists() {
        let e = GgufFile::open(Path::new("/dev/null")).unwrap_err();
        assert!(matches!(e, GgufError::NotRegularFile { .. }), "{e}");
    }
}

#[test]
fn random_bytes_and_bad_magic() {
    // Deterministic pseudo-random bytes (xorshift).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    assert!(matches!(err(&bytes), GgufError::BadMagic { .. }));
    let e = err(b"<!DOCTYPE html><html>");
    assert!(
        e.to_string().contains("bad magic 0x3C21444F \"<!DO\""),
        "{e}"
    );
    assert!(e.to_string().contains("HTML"), "{e}");
    assert!(
        err(b"version https://git-lfs")
            .to_string()
            .contains("git lfs")
    );
    assert!(err(b"lmgg\x01\0\0\0").to_string().contains("legacy GGML"));
    assert!(matches!(err(b"GG"), GgufError::Truncated { .. }));
    assert!(matches!(err(b"GX"), GgufError::BadMagic { .. }));
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = Builder::tiny().build();
    let data_offset = parse_bytes(&bytes).unwrap().data_offset as usize;
    for len in 0..bytes.len() {
        let prefix = &bytes[..len];
        let e = parse_bytes(prefix).expect_err("prefix must fail");
        match len {
            0 => assert!(matches!(e, GgufError::Empty { .. }), "{len}: {e}"),
            // The tensor-info section ends a little before the aligned data offset.
            l if l < data_offset - 31 => assert!(
                matches!(
                    e,
                    GgufError::Truncated { .. } | GgufError::CountTooLarge { .. }
                ),
                "{len}: {e}"
            ),
            l if l >= data_offset => {
                assert!(matches!(e, GgufError::TensorPastEof { .. }), "{len}: {e}")
            }
            _ => {}
        }
        // A source shorter than its announced size (file shrank while reading).
        let e = GgufFile::from_reader(prefix, bytes.len() as u64, Path::new("x"));
        if len < data_offset - 31 {
            assert!(
                matches!(e, Err(GgufError::Truncated { .. })),
                "{len}: {e:?}"
            );
        }
    }
}

#[test]
fn tensor_data_past_eof_names_the_tensor() {
    let mut b = Builder::tiny();
    b.tensors[1].offset = Some(1 << 20);
    let e = err(&b.build());
    assert!(matches!(e, GgufError::TensorPastEof { .. }), "{e}");
    let s = e.to_string();
    assert!(
        s.contains("tensor 'blk.0.attn_q.weight' data (offset"),
        "{s}"
    );
    assert!(s.contains("runs past the end of the file"), "{s}");
    // Offsets near u64::MAX must not overflow.
    b.tensors[1].offset = Some(u64::MAX - 31);
    assert!(matches!(err(&b.build()), GgufError::TensorPastEof { .. }));
}

/// Fetched by scripts/test.sh; see tests/common/mod.rs.
const REAL_MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/test-data/models/SmolLM2-135M-Instruct.Q4_1.gguf"
);

#[test]
fn real_smollm2_model() {
    let path = Path::new(REAL_MODEL);
    assert!(
        path.exists(),
        "{REAL_MODEL} is missing: run `GGCHAT_DATA_DIR=target/test-data scripts/fetch-model.sh` \
         (scripts/test.sh does this)"
    );
    let start = Instant::now();
    let s = summarize(path).unwrap();
    let elapsed = start.elapsed();
    println!("summarize({REAL_MODEL}) took {elapsed:?}: {s:?}");
    assert_eq!(s.architecture, "llama");
    assert_eq!(s.quantization, "Q4_1");
    assert_eq!(s.context_length, Some(8192));
    assert!(
        s.chat_template
            .as_deref()
            .unwrap_or("")
            .contains("<|im_start|>")
    );
    assert!(
        (130_000_000..140_000_000).contains(&s.parameter_count),
        "{}",
        s.parameter_count
    );
    assert_eq!(s.split_count, 1);
    assert_eq!(s.file_size, std::fs::metadata(path).unwrap().len());
}
