//! The fuzz targets' seed corpora, run in the normal test suite: every file in
//! `fuzz/corpus/TARGET/` goes through the very checks the libFuzzer binary runs
//! (`fuzz/checks.rs`), so a regression on any of them fails `cargo test` without nightly or
//! cargo-fuzz (`scripts/fuzz.sh` runs the real fuzzers). The corpora hold crafted inputs, every
//! config fixture and every hostile GGUF header of the bad-input tests; the last two tests keep
//! that true.

#[path = "../fuzz/checks.rs"]
mod checks;
#[path = "bad_input/crafted_gguf.rs"]
#[allow(dead_code)]
mod crafted_gguf;

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

/// Runs `check` on every file of the target's corpus; fails naming each file that breaks an
/// invariant. Returns how many inputs were accepted and how many refused.
fn run_corpus(target: &str, check: fn(&[u8]) -> bool) -> (usize, usize) {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus_dir(target))
        .unwrap_or_else(|e| panic!("the {target} corpus: {e}"))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{target}: only {} inputs", files.len());
    let (mut accepted, mut refused, mut failed) = (0, 0, Vec::new());
    for file in &files {
        let bytes = fs::read(file).unwrap();
        match catch_unwind(AssertUnwindSafe(|| check(&bytes))) {
            Ok(true) => accepted += 1,
            Ok(false) => refused += 1,
            Err(_) => failed.push(file.display().to_string()),
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: invariants broken by (see the panics above): {failed:#?}"
    );
    (accepted, refused)
}

#[test]
fn the_gguf_header_corpus_keeps_its_invariants() {
    let (accepted, refused) = run_corpus("gguf_header", checks::gguf_header);
    assert!(accepted >= 4 && refused >= 10, "{accepted} / {refused}");
}

#[test]
fn the_session_file_corpus_keeps_its_invariants() {
    let (accepted, refused) = run_corpus("session_file", checks::session_file);
    assert!(accepted >= 3 && refused >= 10, "{accepted} / {refused}");
}

#[test]
fn the_config_file_corpus_keeps_its_invariants() {
    let (accepted, refused) = run_corpus("config_file", checks::config_file);
    assert!(accepted >= 3 && refused >= 5, "{accepted} / {refused}");
}

fn assert_in_corpus(target: &str, name: &str, bytes: &[u8]) {
    let path = corpus_dir(target).join(name);
    let stored = fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "a bad-input case is missing from the corpus: {}: {e}",
            path.display()
        )
    });
    assert!(
        stored == bytes,
        "{} differs from the bad-input case",
        path.display()
    );
}

#[test]
fn every_config_fixture_is_in_the_corpus() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config");
    let mut seen = 0;
    for entry in fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        assert_in_corpus(
            "config_file",
            &format!("fixture-{name}"),
            &fs::read(&path).unwrap(),
        );
        seen += 1;
    }
    assert!(seen >= 5, "{seen} fixtures");
}

#[test]
fn every_session_fixture_is_in_the_corpus() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sessions");
    let mut seen = 0;
    for entry in fs::read_dir(fixtures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        assert_in_corpus(
            "session_file",
            &format!("fixture-{name}"),
            &fs::read(&path).unwrap(),
        );
        seen += 1;
    }
    assert!(seen >= 1, "{seen} fixtures");
}

#[test]
fn every_hostile_gguf_header_is_in_the_corpus() {
    for (name, bytes, _) in crafted_gguf::hostile_headers() {
        assert_in_corpus("gguf_header", name, &bytes);
    }
    // 64 GiB of tensor data announced, 32 bytes present (tests/bad_input/gguf_headers.rs).
    let (mut past_eof, _) = crafted_gguf::one_tensor_model(16 << 30);
    past_eof.extend_from_slice(&[0; 32]);
    assert_in_corpus("gguf_header", "past-eof.gguf", &past_eof);
}

#[test]
fn the_chat_request_corpus_keeps_its_invariants() {
    let (accepted, refused) = run_corpus("chat_request", checks::chat_request);
    assert!(accepted >= 5 && refused >= 25, "{accepted} / {refused}");
}
