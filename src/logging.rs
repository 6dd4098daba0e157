//! Logging: ggchat's own messages and llama.cpp's go to the log file, or to stderr with
//! `--verbose`, and never to stdout or the screen (stdout carries replies in `ggchat ask`, and the
//! screen belongs to the full-screen UI).

use crate::paths::Paths;
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

/// Environment variable with a tracing filter, e.g. `GGCHAT_LOG=debug`.
pub const LOG_ENV: &str = "GGCHAT_LOG";

/// Installs the global subscriber; the engine routes llama.cpp's log lines into it.
pub fn init(paths: &Paths, verbose: bool) {
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(true);
    if verbose {
        let _ = builder.with_writer(std::io::stderr).try_init();
    } else {
        // Owner-only: the log can quote prompts and replies.
        let file = std::fs::create_dir_all(&paths.data_dir)
            .and_then(|()| crate::fsutil::append_private(&paths.log_file()));
        // Without a log file we stay silent rather than write over the UI.
        if let Ok(file) = file {
            let _ = builder.with_writer(Mutex::new(file)).try_init();
        }
    }
}
