//! The `ggchat` binary: parse the command line, run, report errors.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = ggchat::cli::Cli::parse();
    match ggchat::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ggchat: {error:#}");
            ExitCode::FAILURE
        }
    }
}
