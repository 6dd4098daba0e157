//! Property tests: no input makes the parser panic, and anything it accepts
//! satisfies the invariants the rest of ggchat (and llama.cpp) rely on.
//!
//! Why: hand-written cases only cover the failures someone thought of;
//! random bytes and random damage to a valid file explore the rest. The
//! same `parse_bytes` entry point is what a cargo-fuzz target would call.

use std::path::Path;

use proptest::prelude::*;

use super::test_util::{Builder, Val};
use super::*;

/// What every accepted file must satisfy.
fn check_invariants(f: &GgufFile) {
    assert!(matches!(f.version, 2 | 3));
    assert!(f.alignment.is_power_of_two());
    assert_eq!(f.data_offset % f.alignment, 0);
    assert_eq!(f.tensors.len() as u64, f.tensor_count);
    for t in &f.tensors {
        assert!(t.dims.len() <= 4);
        assert_eq!(t.offset % f.alignment, 0);
        let end = f.data_offset + t.offset + t.n_bytes;
        assert!(end <= f.file_size, "{t:?} ends at {end} > {}", f.file_size);
        let ty = ggml_type(t.ggml_type).expect("known type");
        assert_eq!(t.n_bytes, t.n_elements / ty.block_size * ty.type_size);
    }
}

fn valid() -> Vec<u8> {
    Builder::tiny().build()
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(f) = parse_bytes(&bytes) {
            check_invariants(&f);
        }
    }

    #[test]
    fn bytes_after_a_valid_preamble_never_panic(
        version in 2u32..=3,
        tensors in prop_oneof![0u64..4, any::<u64>()],
        kvs in prop_oneof![0u64..4, any::<u64>()],
        tail in proptest::collection::vec(any::<u8>(), 0..1024),
    ) {
        let mut bytes = b"GGUF".to_vec();
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(&tensors.to_le_bytes());
        bytes.extend_from_slice(&kvs.to_le_bytes());
        bytes.extend_from_slice(&tail);
        if let Ok(f) = parse_bytes(&bytes) {
            check_invariants(&f);
        }
    }

    #[test]
    fn mutated_valid_file_never_panics(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = valid();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        if let Ok(f) = parse_bytes(&bytes) {
            check_invariants(&f);
        }
    }

    #[test]
    fn lying_length_never_panics(
        cut in any::<prop::sample::Index>(),
        extra in 0u64..1 << 40,
    ) {
        // The source ends before its announced length (a file that shrank).
        let bytes = valid();
        let short = &bytes[..cut.index(bytes.len())];
        let announced = short.len() as u64 + extra;
        if let Ok(f) = GgufFile::from_reader(short, announced, Path::new("x")) {
            check_invariants(&f);
        }
    }

    #[test]
    fn generated_models_round_trip(
        shapes in proptest::collection::vec(
            (proptest::collection::vec(1u64..6, 0..=4), prop_oneof![Just(0u32), Just(3u32)]),
            0..6,
        ),
        align_log2 in 0u32..8,
    ) {
        // Q4_1 rows need whole 32-element blocks.
        let mut b = Builder::new().kv("general.alignment", Val::U32(1 << align_log2));
        let mut expected = Vec::new();
        for (i, (mut dims, ty)) in shapes.into_iter().enumerate() {
            if ty == 3 {
                if dims.is_empty() {
                    dims.push(1);
                }
                dims[0] *= 32;
            }
            let n: u64 = dims.iter().product();
            let n_bytes = if ty == 3 { n / 32 * 20 } else { n * 4 };
            b = b.tensor(&format!("t{i}"), &dims, ty, n_bytes);
            expected.push((n, n_bytes));
        }
        let f = parse_bytes(&b.build()).unwrap();
        check_invariants(&f);
        let got: Vec<_> = f.tensors.iter().map(|t| (t.n_elements, t.n_bytes)).collect();
        prop_assert_eq!(got, expected);
    }
}

#[test]
fn valid_file_satisfies_invariants() {
    check_invariants(&parse_bytes(&valid()).unwrap());
}
