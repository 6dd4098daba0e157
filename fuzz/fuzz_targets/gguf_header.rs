//! The GGUF header reader on arbitrary bytes: no panic, no unbounded allocation or loop, and
//! whatever it accepts satisfies the invariants llama.cpp relies on.
//! The checks are in `fuzz/checks.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::gguf_header(data);
});
