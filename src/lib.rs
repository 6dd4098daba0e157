//! ggchat: a private, full-screen terminal chat for local GGUF language models.
//!
//! Module map:
//! - [`engine`]: the llama.cpp thread (loading, chat templates, KV-cache reuse, sampling,
//!   streaming), and [`engine::blocking`] for headless use;
//! - [`chat`]: the conversation as plain data; [`params`]: sampling and model parameters;
//! - [`gguf`]: a safe GGUF header reader that vets model files before llama.cpp opens them;
//! - [`guard`]: the content-safety guard (rule files, streaming filter), applied by the engine router;
//! - [`i18n`]: the UI in English and Simplified Chinese (Fluent message files in assets/i18n);
//! - [`config`], [`paths`], [`models`], [`setup`]: where things live and what to load;
//! - [`store`]: sessions saved on disk (atomic, versioned JSON), listing, search, export;
//!   [`fsutil`]: owner-only files for the log, exports and the config;
//! - [`text`] and [`markdown`]: terminal-safe text, wrapping, and markdown rendering;
//! - [`tui`]: the full-screen chat; [`clipboard`]: copying out of the terminal;
//! - [`ask`], [`bench`]: the headless subcommands; [`serve`]: the OpenAI-compatible HTTP API;
//!   [`cli`]: the command line;
//! - [`remote`]: OpenAI-compatible servers as engines;
//! - [`pull`], [`pull_cli`]: fetching models from Hugging Face and ModelScope, `models rm`.

pub mod ask;
pub mod bench;
pub mod bench_remote;
pub mod chat;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod engine;
pub mod fsutil;
pub mod gguf;
pub mod guard;
pub mod i18n;
pub mod logging;
pub mod markdown;
pub mod models;
pub mod monitor;
pub mod params;
pub mod paths;
pub mod pull;
pub mod pull_cli;
pub mod remote;
pub mod report;
pub mod serve;
pub mod sessions_cli;
pub mod setup;
pub mod store;
pub mod text;
pub mod tui;

use anyhow::Result;
use cli::{Cli, Command};

/// Runs the command line; `main` only prints the error.
pub fn run(cli: Cli) -> Result<()> {
    let paths = paths::Paths::discover()?;
    logging::init(&paths, cli.verbose);
    // The config may choose the language, but an error reading it must be worded before it is
    // read: in the language of --lang or the locale environment.
    i18n::set_language(
        i18n::choose(cli.overrides.lang.as_deref(), None, |name| {
            std::env::var(name).ok()
        })
        .unwrap_or_default(),
    );
    let setup = setup::Setup::load(paths, cli.overrides)?;
    i18n::set_language(setup.language()?);
    match cli.command {
        Some(Command::Ask(args)) => ask::run(&setup, &args),
        Some(Command::Bench(args)) => bench::run(&setup, &args),
        Some(Command::Models {
            command: Some(cli::ModelsCommand::Rm { name, yes }),
            ..
        }) => pull_cli::remove(&setup, &name, yes),
        Some(Command::Models { json, .. }) => print_models(&setup, json),
        Some(Command::Pull(args)) => pull_cli::run(&setup, &args),
        Some(Command::Paths) => {
            println!("config file: {}", setup.paths.config_file().display());
            println!("models:      {}", setup.paths.models_dir().display());
            println!("sessions:    {}", setup.paths.sessions_dir().display());
            println!("log file:    {}", setup.paths.log_file().display());
            Ok(())
        }
        Some(Command::Sessions(command)) => sessions_cli::run(&setup, command),
        Some(Command::Serve(args)) => serve::run(&setup, &args),
        None => tui::run(&setup, cli.session.as_deref()),
    }
}

fn print_models(setup: &setup::Setup, json: bool) -> Result<()> {
    let listed = models::list(&setup.paths, &setup.config);
    if json {
        let entries: Vec<serde_json::Value> = listed
            .iter()
            .map(|(path, summary)| match summary {
                Ok(s) => {
                    let mut value = serde_json::to_value(s).unwrap_or_default();
                    if let (Some(map), Some(p)) =
                        (value.as_object_mut(), pull::provenance::read(path))
                    {
                        map.insert("source".into(), serde_json::to_value(p).unwrap_or_default());
                    }
                    value
                }
                Err(e) => serde_json::json!({ "path": path, "error": e.to_string() }),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(());
    }
    if listed.is_empty() {
        println!("{}", tr!("models-none", hint = models::fetch_hint()));
    }
    for (path, summary) in &listed {
        // File names in the model folders are untrusted: no escape sequences to the terminal.
        let line = match summary {
            Ok(s) => format!(
                "{}\n    {}",
                tr!(
                    "models-row",
                    name = s.name.as_str(),
                    arch = s.architecture.as_str(),
                    params = models::human_count(s.parameter_count),
                    quant = s.quantization.as_str(),
                    size = models::human_bytes(s.file_size),
                    ctx = s.context_length.map_or("?".into(), |c| c.to_string()),
                    template = if s.chat_template.is_some() {
                        tr!("models-template-yes")
                    } else {
                        tr!("models-template-none")
                    },
                ),
                path.display()
            ),
            Err(e) => tr!(
                "models-unusable",
                path = path.display().to_string(),
                error = e.to_string()
            ),
        };
        let line = match pull_cli::origin(path) {
            Some(origin) if summary.is_ok() => format!("{line}\n    {origin}"),
            _ => line,
        };
        println!("{}", text::sanitize::sanitize(&line));
    }
    Ok(())
}
