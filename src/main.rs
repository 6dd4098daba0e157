//! The `ggchat` binary: parse the command line, run, report errors.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = ggchat::cli::Cli::parse();
    match ggchat::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<ggchat::ask::Interrupted>() => {
            eprintln!("ggchat: {error}");
            ExitCode::from(ggchat::ask::INTERRUPTED_EXIT_CODE)
        }
        Err(error) if error.is::<ggchat::ask::ContentFiltered>() => {
            eprintln!(
                "ggchat: {}",
                ggchat::text::sanitize::sanitize(&error.to_string())
            );
            ExitCode::from(ggchat::ask::CONTENT_FILTER_EXIT_CODE)
        }
        Err(error) => {
            // The error and its causes, typed errors in the interface language.
            let message = ggchat::report::message(&error);
            // Messages quote file names and file contents (a session's bad value, a model's
            // path): escape sequences in them must not reach the terminal.
            eprintln!("ggchat: {}", ggchat::text::sanitize::sanitize(&message));
            ExitCode::FAILURE
        }
    }
}
