//! Tests of split-model discovery, validation and summaries.
//!
//! Why: llama.cpp opens the sibling parts of a split model on its own, so a
//! missing, foreign or inconsistent part must be caught here first, with an
//! error that names the part.

use std::path::{Path, PathBuf};

use super::test_util::{Builder, Val, write_temp};
use super::*;

/// Part `no` (0-based) of a 3-part model, holding one tensor of its own.
fn part(no: u16, count: u16, total_tensors: i32) -> Builder {
    let b = if no == 0 {
        let mut b = Builder::tiny();
        b.tensors.truncate(1); // token_embd.weight: 12 elements
        b
    } else {
        Builder::new().tensor(&format!("blk.{no}.ffn.weight"), &[32, 4], 3, 80)
    };
    b.kv("split.no", Val::U16(no))
        .kv("split.count", Val::U16(count))
        .kv("split.tensors.count", Val::I32(total_tensors))
}

/// Writes parts 1..=3 (skipping `missing`) and returns the paths.
fn write_parts(dir: &Path, parts: &[Builder], missing: Option<usize>) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for (i, b) in parts.iter().enumerate() {
        let path = dir.join(format!("model-{:05}-of-{:05}.gguf", i + 1, parts.len()));
        if Some(i) != missing {
            std::fs::write(&path, b.build()).unwrap();
        }
        paths.push(path);
    }
    paths
}

fn three_parts() -> Vec<Builder> {
    (0..3).map(|no| part(no, 3, 3)).collect()
}

#[test]
fn split_model_is_summarized_over_all_parts() {
    let dir = tempfile::tempdir().unwrap();
    let parts = three_parts();
    let paths = write_parts(dir.path(), &parts, None);
    let sizes: u64 = parts.iter().map(|b| b.build().len() as u64).sum();
    let s = summarize(&paths[0]).unwrap();
    assert_eq!(s.split_count, 3);
    assert_eq!(s.parameter_count, 12 + 128 + 128);
    assert_eq!(s.file_size, sizes);
    assert_eq!(s.path, paths[0]);
    assert_eq!(s.name, "Tiny Test Model");
    // Asking about a later part validates and summarizes the whole model.
    assert_eq!(summarize(&paths[2]).unwrap(), s);
    let files = open_splits(&paths[0]).unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[1].path, paths[1]);
}

#[test]
fn missing_part_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let paths = write_parts(dir.path(), &three_parts(), Some(1));
    let e = summarize(&paths[0]).unwrap_err();
    assert!(
        matches!(
            e,
            GgufError::MissingSplit {
                index: 2,
                count: 3,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(e.path(), paths[1]);
    assert!(e.to_string().contains("model-00002-of-00003.gguf"), "{e}");

    // Starting from a later part when the first one is missing.
    let dir = tempfile::tempdir().unwrap();
    let paths = write_parts(dir.path(), &three_parts(), Some(0));
    let e = summarize(&paths[1]).unwrap_err();
    assert!(matches!(e, GgufError::MissingSplit { index: 1, .. }), "{e}");
    assert_eq!(e.path(), paths[0]);
}

#[test]
fn inconsistent_parts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut parts = three_parts();
    parts[2] = part(1, 3, 3); // part 3 claims to be part 2
    let paths = write_parts(dir.path(), &parts, None);
    let e = open_splits(&paths[0]).unwrap_err();
    assert!(matches!(e, GgufError::BadSplit { .. }), "{e}");
    assert_eq!(e.path(), paths[2]);

    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<_> = (0..3).map(|no| part(no, 3, 7)).collect();
    let paths = write_parts(dir.path(), &parts, None);
    let e = open_splits(&paths[0]).unwrap_err();
    assert!(e.to_string().contains("split.tensors.count is 7"), "{e}");

    // A broken part is reported with its own path.
    let dir = tempfile::tempdir().unwrap();
    let paths = write_parts(dir.path(), &three_parts(), None);
    let mut bytes = std::fs::read(&paths[1]).unwrap();
    bytes.truncate(bytes.len() - 1);
    std::fs::write(&paths[1], bytes).unwrap();
    let e = summarize(&paths[0]).unwrap_err();
    assert!(matches!(e, GgufError::TensorPastEof { .. }), "{e}");
    assert_eq!(e.path(), paths[1]);
}

#[test]
fn split_keys_with_a_non_split_name_are_refused() {
    let (_dir, path) = write_temp("renamed.gguf", &part(0, 3, 3).build());
    let e = open_splits(&path).unwrap_err();
    assert!(
        e.to_string()
            .contains("does not follow NAME-00001-of-00003.gguf"),
        "{e}"
    );
    let mut bad = part(0, 3, 3);
    bad.kvs.retain(|(k, _)| k != "split.count");
    let bad = bad.kv("split.count", Val::s("three"));
    let (_dir, path) = write_temp("model-00001-of-00003.gguf", &bad.build());
    assert!(matches!(
        open_splits(&path),
        Err(GgufError::WrongKeyType { .. })
    ));
}

#[test]
fn split_names() {
    let p = Path::new("/m/Qwen-7B-Q4_K_M-00002-of-00004.gguf");
    let s = parse_split_name(p).unwrap();
    assert_eq!(s.prefix, Path::new("/m/Qwen-7B-Q4_K_M"));
    assert_eq!((s.index, s.count), (2, 4));
    assert_eq!(
        split_path(&s.prefix, 1, 4),
        Path::new("/m/Qwen-7B-Q4_K_M-00001-of-00004.gguf")
    );
    assert!(is_split_continuation(p));
    assert!(!is_split_continuation(Path::new(
        "/m/x-00001-of-00004.gguf"
    )));
    for not_split in [
        "/m/model.gguf",
        "/m/x-00005-of-00004.gguf",
        "/m/x-00000-of-00004.gguf",
        "/m/x-1-of-4.gguf",
        "/m/x-00002-of-00004.bin",
        "/m/-00002-of-00004.gguf",
        "/m/x-99999-of-99999.gguf",
        "/m/x-0000a-of-00004.gguf",
    ] {
        assert!(
            parse_split_name(Path::new(not_split)).is_none(),
            "{not_split}"
        );
        assert!(!is_split_continuation(Path::new(not_split)), "{not_split}");
    }
}
