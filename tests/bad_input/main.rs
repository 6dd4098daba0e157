//! Bad input of every kind, through the real `ggchat` binary (and the chat screen's `App` where
//! a terminal would be needed): hostile model files, config files, flags, session files, disk
//! failures, concurrent processes and terminal escape sequences. `docs/bad-input.md` lists each
//! case with the test that covers it.

#[path = "../common/mod.rs"]
mod common;

/// Shared: a writer for crafted GGUF files.
mod crafted_gguf;
/// Shared: running `ggchat` and measuring it, terminal-safety checks, saving sessions.
mod helpers;

mod config_and_parameters;
mod disks_and_processes;
mod escape_sequences;
mod gguf_headers;
mod model_files;
mod session_files;
