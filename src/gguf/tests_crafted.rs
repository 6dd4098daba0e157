//! Tests of the parser on crafted, hostile headers.
//!
//! Why: these are the files an attacker would write — absurd counts and
//! lengths, bad shapes and types, misaligned or out-of-file offsets, deep
//! nesting, bad keys. Each must be refused with the specific error, quickly
//! and without large allocations (bounded by construction in the reader).

use super::test_util::{Builder, Tensor, Val, W};
use super::*;

fn err(bytes: &[u8]) -> GgufError {
    parse_bytes(bytes).expect_err("parse should fail")
}

#[test]
fn huge_counts_and_lengths_are_refused() {
    let e = err(&W::header(3, 1 << 60, 0).0);
    assert!(matches!(e, GgufError::CountTooLarge { .. }), "{e}");
    assert!(
        e.to_string().contains("tensor count 1152921504606846976"),
        "{e}"
    );
    let e = err(&W::header(3, 0, 1 << 60).0);
    assert!(
        e.to_string()
            .contains("metadata key count 1152921504606846976"),
        "{e}"
    );
    assert!(
        e.to_string().contains("cannot fit in a file of 24 bytes"),
        "{e}"
    );
    let e = err(&W::header(3, u64::MAX, u64::MAX).0);
    assert!(matches!(e, GgufError::CountTooLarge { .. }), "{e}");
    // An array claiming 2^60 u8 elements.
    let arr = W::header(3, 0, 1).str("a").u32(9).u32(0).u64(1 << 60).0;
    assert!(matches!(err(&arr), GgufError::CountTooLarge { .. }));
    // An array of 2^60 strings, and of 2^60 nested arrays.
    let arr = W::header(3, 0, 1).str("a").u32(9).u32(8).u64(1 << 60).0;
    assert!(matches!(err(&arr), GgufError::CountTooLarge { .. }));
    let arr = W::header(3, 0, 1).str("a").u32(9).u32(9).u64(1 << 60).0;
    assert!(matches!(err(&arr), GgufError::CountTooLarge { .. }));
    // A string value of 2^40 bytes, and a key of 2^40 bytes.
    let s = W::header(3, 0, 1)
        .str("general.name")
        .u32(8)
        .u64(1 << 40)
        .raw(b"abc")
        .0;
    let e = err(&s);
    assert!(e.to_string().contains("string length 1099511627776"), "{e}");
    let k = W::header(3, 0, 1).u64(1 << 40).raw(&[b'k'; 16]).0;
    assert!(matches!(err(&k), GgufError::CountTooLarge { .. }));
    // A plausible count in a cut-off file reads as truncation.
    let e = err(&W::header(3, 3, 0).raw(&[0; 50]).0);
    assert!(matches!(e, GgufError::Truncated { .. }), "{e}");
    assert!(
        e.to_string().contains("tensor count in the header is 3"),
        "{e}"
    );
}

#[test]
fn tensor_shape_and_type_errors() {
    let mut b = Builder::tiny();
    b.tensors[1].offset = Some(65);
    assert!(matches!(
        err(&b.build()),
        GgufError::UnalignedOffset { offset: 65, .. }
    ));

    let mut b = Builder::tiny();
    b.tensors[0].dims = vec![4, 3, 1, 1, 1];
    let e = err(&b.build());
    assert!(matches!(e, GgufError::TooManyDims { n_dims: 5, .. }), "{e}");

    let mut b = Builder::tiny();
    b.tensors[1].ggml_type = 77;
    let e = err(&b.build());
    assert!(
        matches!(e, GgufError::UnknownTensorType { ggml_type: 77, .. }),
        "{e}"
    );
    assert!(
        e.to_string()
            .contains("'blk.0.attn_q.weight' has unknown ggml type 77")
    );

    let mut b = Builder::tiny();
    b.tensors[1].dims = vec![48, 2];
    assert!(matches!(
        err(&b.build()),
        GgufError::BadRowSize { row: 48, .. }
    ));

    let mut b = Builder::tiny();
    b.tensors[1].dims = vec![1 << 40, 1 << 40];
    assert!(matches!(err(&b.build()), GgufError::ShapeOverflow { .. }));

    let mut b = Builder::tiny();
    b.tensors[1].name = b.tensors[0].name.clone();
    assert!(matches!(err(&b.build()), GgufError::DuplicateTensor { .. }));

    let mut b = Builder::tiny();
    b.tensors[1].name = "x".repeat(64);
    assert!(matches!(
        err(&b.build()),
        GgufError::NameTooLong { len: 64, .. }
    ));
}

#[test]
fn alignment_rules() {
    for bad in [0, 3, 48] {
        let b = Builder::tiny().kv("general.alignment", Val::U32(bad));
        let e = err(&b.build());
        assert!(matches!(e, GgufError::BadAlignment { .. }), "{bad}: {e}");
    }
    let b = Builder::tiny().kv("general.alignment", Val::U64(32));
    assert!(matches!(err(&b.build()), GgufError::WrongKeyType { .. }));
    let f = parse_bytes(
        &Builder::tiny()
            .kv("general.alignment", Val::U32(64))
            .build(),
    )
    .unwrap();
    assert_eq!((f.alignment, f.data_offset % 64), (64, 0));
    assert_eq!(f.tensors[1].offset, 64);
}

#[test]
fn key_and_value_errors() {
    let bad_utf8 = W::header(3, 0, 1).u64(2).raw(&[0xC3, 0x28]).u32(0).u8(1).0;
    assert!(matches!(err(&bad_utf8), GgufError::InvalidUtf8 { .. }));
    let empty = W::header(3, 0, 1).u64(0).u32(0).u8(1).0;
    assert!(matches!(err(&empty), GgufError::EmptyKey { .. }));
    let b = Builder::tiny().kv("general.name", Val::s("again"));
    assert!(matches!(err(&b.build()), GgufError::DuplicateKey { .. }));
    let b = Builder::tiny().kv("x", Val::Raw(13, vec![0; 8]));
    assert!(matches!(
        err(&b.build()),
        GgufError::BadValueType { value_type: 13, .. }
    ));
    let b = Builder::tiny().kv("x", Val::Raw(9, W::default().u32(42).u64(1).0));
    assert!(matches!(
        err(&b.build()),
        GgufError::BadValueType { value_type: 42, .. }
    ));
    // Escape sequences in names are neutralized in messages.
    let b = Builder::tiny().kv("\u{1b}[2J", Val::Raw(13, vec![]));
    assert!(err(&b.build()).to_string().contains("\\u{1b}[2J"));
}

fn nested(depth: u32) -> Vec<u8> {
    // `depth` levels of single-element arrays around an empty u8 array.
    let mut w = W::default();
    for _ in 1..depth {
        w = w.u32(9).u64(1);
    }
    w.u32(0).u64(0).0
}

#[test]
fn nested_arrays_are_validated_and_bounded() {
    let b = Builder::tiny().kv("n", Val::Raw(9, nested(MAX_ARRAY_NESTING)));
    let f = parse_bytes(&b.build()).unwrap();
    assert_eq!(
        f.get("n"),
        Some(&MetaValue::Array {
            elem_type: 9,
            len: 1
        })
    );
    let b = Builder::tiny().kv("n", Val::Raw(9, nested(MAX_ARRAY_NESTING + 1)));
    assert!(matches!(err(&b.build()), GgufError::NestingTooDeep { .. }));
    // Very deep nesting is refused without recursing through it.
    let b = Builder::tiny().kv("n", Val::Raw(9, nested(100_000)));
    assert!(matches!(err(&b.build()), GgufError::NestingTooDeep { .. }));
}

#[test]
fn long_strings_are_summarized_but_chat_templates_kept_whole() {
    let long = "x".repeat(MAX_KEPT_STRING_LEN as usize + 1);
    let b = Builder::new()
        .kv("general.description", Val::Str(long.clone()))
        .kv("tokenizer.chat_template.rag", Val::Str(long.clone()))
        .kv("tokenizer.chat_template", Val::Str(long.clone()))
        .kv(
            "invalid.utf8",
            Val::Raw(8, W::default().u64(2).raw(&[b'a', 0xFF]).0),
        );
    let f = parse_bytes(&b.build()).unwrap();
    let len = long.len() as u64;
    assert_eq!(
        f.get("general.description"),
        Some(&MetaValue::LongString { len })
    );
    assert_eq!(
        f.get_str("tokenizer.chat_template.rag"),
        Some(long.as_str())
    );
    assert_eq!(f.chat_template().map(str::len), Some(long.len()));
    assert_eq!(f.get_str("invalid.utf8"), Some("a\u{FFFD}"));
}

#[test]
fn scalar_and_zero_sized_tensors() {
    let b = Builder::new()
        .tensor("scalar", &[], 0, 4)
        .tensor("empty", &[0, 5], 12, 0);
    let f = parse_bytes(&b.build()).unwrap();
    assert_eq!((f.tensors[0].n_elements, f.tensors[0].n_bytes), (1, 4));
    assert_eq!((f.tensors[1].n_elements, f.tensors[1].n_bytes), (0, 0));
    // A tensor list that uses every byte-size formula in the table.
    let t = |name: &str, ty, n_bytes| Tensor {
        name: name.into(),
        dims: vec![256, 2],
        ggml_type: ty,
        n_bytes,
        offset: None,
    };
    let mut b = Builder::new();
    b.tensors = vec![t("q4_k", 12, 288), t("q6_k", 14, 420), t("bf16", 30, 1024)];
    assert_eq!(parse_bytes(&b.build()).unwrap().tensor_count, 3);
}
