//! The `ggchat serve` request parsers on arbitrary bytes: no panic, refusals are 400s with a
//! message, and whatever is accepted is within the server's limits.
//! The checks are in `fuzz/checks.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::chat_request(data);
});
