//! The config parser on arbitrary UTF-8 text: no panic, errors name the file, and whatever is
//! accepted is within bounds.
//! The checks are in `fuzz/checks.rs`, shared with `tests/fuzz_corpus.rs`.
#![no_main]

// Each target uses one of the checks.
#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::config_file(data);
});
