//! What each fuzz target checks, shared by the libFuzzer binaries (`fuzz/fuzz_targets/`) and by
//! the normal test run (`tests/fuzz_corpus.rs`, which feeds every file of `fuzz/corpus/TARGET/`
//! through these functions), so a regression on a corpus input fails `cargo test` without
//! nightly or cargo-fuzz. Each function panics when an invariant breaks, and returns whether the
//! input was accepted.

use std::path::Path;

/// The GGUF header reader on arbitrary bytes: no panic, no unbounded allocation or loop, and
/// whatever it accepts satisfies the invariants llama.cpp relies on.
pub fn gguf_header(data: &[u8]) -> bool {
    match ggchat::gguf::parse_bytes(data) {
        Ok(file) => {
            assert!(matches!(file.version, 2 | 3));
            assert!(file.alignment.is_power_of_two());
            assert_eq!(file.data_offset % file.alignment, 0);
            assert_eq!(file.tensors.len() as u64, file.tensor_count);
            assert_eq!(file.file_size, data.len() as u64);
            for tensor in &file.tensors {
                assert!(tensor.dims.len() <= 4);
                assert_eq!(tensor.offset % file.alignment, 0);
                let end = file
                    .data_offset
                    .checked_add(tensor.offset)
                    .and_then(|e| e.checked_add(tensor.n_bytes));
                assert!(end.is_some_and(|end| end <= file.file_size), "{tensor:?}");
            }
            let _ = ggchat::gguf::ModelSummary::from_splits(std::slice::from_ref(&file));
            true
        }
        Err(error) => {
            // Every message names the file.
            assert!(error.to_string().contains("<memory>"), "{error}");
            false
        }
    }
}

/// The file name a session is decoded under.
pub const SESSION_FILE_ID: &str = "20260101-000000-f022";

/// The session file decoder on arbitrary bytes: no panic, and a decoded session can be exported
/// and encoded again.
pub fn session_file(data: &[u8]) -> bool {
    match ggchat::store::format::decode(data, SESSION_FILE_ID) {
        Ok(session) => {
            // The file name is the id, whatever the file says.
            assert_eq!(session.id, SESSION_FILE_ID);
            let _ = ggchat::store::to_markdown(&session);
            let _ = ggchat::store::to_json(&session);
            let _ = ggchat::store::title_from(&session.conversation);
            let _ = ggchat::store::format::encode(&session);
            true
        }
        Err(_) => false,
    }
}

/// The config parser on arbitrary bytes (UTF-8 only: a config file is text): no panic, errors
/// name the file, and whatever is accepted is within bounds.
pub fn config_file(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    match ggchat::config::Config::parse(text, Path::new("fuzz.toml")) {
        Ok(config) => {
            assert!(config.sampling.validate().is_ok());
            assert!(config.model.validate().is_ok());
            true
        }
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.starts_with("invalid config file fuzz.toml, line "),
                "{message}"
            );
            false
        }
    }
}

/// The `ggchat serve` request parsers (`/v1/chat/completions` and `/v1/completions`) on arbitrary
/// bytes read as JSON: no panic, every refusal is a 400 with a message, and whatever is accepted
/// is within the server's limits.
pub fn chat_request(data: &[u8]) -> bool {
    use ggchat::serve::types::{MAX_MESSAGES, MAX_STOP, parse_chat};
    const N_CTX: u32 = 2048;
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) else {
        return false;
    };
    let defaults = ggchat::params::SamplingParams::default();
    let refused = |error: ggchat::serve::errors::ApiError| {
        assert_eq!(error.status, 400, "{error:?}");
        assert!(!error.message.is_empty(), "{error:?}");
        assert!(error.body()["error"]["message"].is_string());
        false
    };
    let chat = match parse_chat(&body, &defaults, N_CTX) {
        Ok(request) => {
            let m = &request.messages;
            assert!(
                !m.is_empty() && m.len() <= MAX_MESSAGES,
                "{} messages",
                m.len()
            );
            assert!(m.iter().any(|m| m.role == ggchat::chat::Role::User));
            let s = &request.sampling;
            assert!(s.validate().is_ok(), "{s:?}");
            assert!((1..=N_CTX).contains(&s.max_tokens), "{s:?}");
            assert!(s.stop.len() <= MAX_STOP);
            true
        }
        Err(error) => refused(error),
    };
    let text = match ggchat::serve::text::parse_completion(&body, &defaults, N_CTX) {
        Ok(request) => {
            let s = &request.options.sampling;
            assert!(s.validate().is_ok(), "{s:?}");
            assert!((1..=N_CTX).contains(&s.max_tokens), "{s:?}");
            true
        }
        Err(error) => refused(error),
    };
    chat || text
}
