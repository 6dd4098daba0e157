//! `ggchat sessions ...`: saved conversations from the command line.

use crate::cli::{ExportFormat, SessionsCommand};
use crate::setup::Setup;
use crate::store::{self, Store};
use crate::text::sanitize::sanitize;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, IsTerminal, Write};

pub(crate) fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("{question}: refusing without a terminal to ask; pass --yes");
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

pub fn run(setup: &Setup, command: SessionsCommand) -> Result<()> {
    let store = Store::open(&setup.paths.sessions_dir())?;
    match command {
        SessionsCommand::List { json } => {
            let (sessions, problems) = store.list();
            if json {
                let rows: Vec<_> = sessions
                    .iter()
                    .map(|s| {
                        serde_json::json!({
                            "id": s.id, "title": s.title, "model": s.model,
                            "messages": s.message_count, "updated": s.updated,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else if sessions.is_empty() && problems.is_empty() {
                println!(
                    "{}",
                    crate::tr!("sessions-none", dir = store.dir().display().to_string())
                );
            }
            if !json {
                for s in &sessions {
                    println!(
                        "{}  {:<40}  {:>4} msgs  {}  {}",
                        s.id,
                        sanitize(&s.title),
                        s.message_count,
                        s.updated,
                        sanitize(s.model.as_deref().unwrap_or("-"))
                    );
                }
            }
            for problem in &problems {
                eprintln!("warning: {}", sanitize(&problem.to_string()));
            }
        }
        SessionsCommand::Show { session } => {
            let session = store.load(&session)?;
            print!("{}", sanitize(&store::to_markdown(&session)));
        }
        SessionsCommand::Export {
            session,
            format,
            output,
        } => {
            let session = store.load(&session)?;
            let text = match format {
                ExportFormat::Markdown => store::to_markdown(&session),
                ExportFormat::Json => store::to_json(&session),
            };
            match output {
                // Owner-only, like the session itself.
                Some(path) => crate::fsutil::create_private(&path)
                    .and_then(|mut file| file.write_all(text.as_bytes()))
                    .with_context(|| format!("cannot write {}", path.display()))?,
                // Piped or redirected, the export is exact; on a terminal, escape sequences
                // from the session are removed (tabs kept), as everywhere else.
                None if std::io::stdout().is_terminal() => {
                    print!("{}", crate::text::sanitize::sanitize_keep_tabs(&text));
                }
                None => print!("{text}"),
            }
        }
        SessionsCommand::Rename { session, title } => {
            let found = store.resolve(&session)?;
            store.rename(&found.id, &title)?;
            println!("renamed {} to \"{}\"", found.id, sanitize(title.trim()));
        }
        SessionsCommand::Search { query } => {
            let hits = store.search(&query);
            if hits.is_empty() {
                println!("no session contains \"{}\"", sanitize(&query));
            }
            for hit in hits {
                println!(
                    "{}  {}\n    {}",
                    hit.summary.id,
                    sanitize(&hit.summary.title),
                    sanitize(&hit.snippet)
                );
            }
        }
        SessionsCommand::Delete { session, yes } => {
            let found = store.resolve(&session)?;
            let question = format!(
                "delete session {} \"{}\" ({} messages)?",
                found.id,
                sanitize(&found.title),
                found.message_count
            );
            if yes || confirm(&question)? {
                store.delete(&found.id)?;
                println!("deleted {}", found.id);
            } else {
                println!("kept {}", found.id);
            }
        }
    }
    Ok(())
}
