//! The session file decoder on arbitrary bytes: no panic, and a decoded session can be exported
//! and encoded again.
//! The checks are in `fuzz/checks.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::session_file(data);
});
