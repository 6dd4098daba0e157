//! `ggchat sessions ...`: saved conversations from the command line.

use crate::cli::{ExportFormat, SessionsCommand};
use crate::setup::Setup;
use crate::store::{self, Store};
use crate::text::sanitize::sanitize;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, IsTerminal, Write};

/// The title column of `sessions list`, in terminal columns.
const TITLE_WIDTH: usize = 40;

/// `text` padded with spaces to `width` terminal columns: a Chinese character takes two, so
/// padding by chars (as `{:<40}` does) would misalign the columns after it.
pub(crate) fn pad_to_width(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

pub(crate) fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("{}", crate::tr!("confirm-no-terminal", question = question));
    }
    eprint!("{question} {} ", crate::tr!("confirm-choices"));
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "好"
    ))
}

/// `sessions prune-cache`: the snapshot folder down to its cap.
fn prune_cache(setup: &Setup) -> Result<()> {
    let dir = setup.paths.snapshots_dir();
    let cap = setup.config.sessions.snapshot_cache_bytes();
    let shown = dir.display().to_string();
    let pruned = crate::engine::snapshot::prune(&dir, cap)
        .with_context(|| crate::tr!("sessions-cannot-prune", dir = shown.as_str()))?;
    let mib = |bytes: u64| format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
    println!(
        "{}",
        crate::tr!(
            "sessions-pruned",
            dir = shown.as_str(),
            removed = pruned.removed,
            freed = mib(pruned.freed_bytes),
            kept = pruned.kept,
            size = mib(pruned.kept_bytes),
            cap = setup.config.sessions.snapshot_cache_mb,
        )
    );
    Ok(())
}

pub fn run(setup: &Setup, command: SessionsCommand) -> Result<()> {
    if let SessionsCommand::PruneCache = command {
        return prune_cache(setup);
    }
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
                            "messages": s.message_count, "branches": s.branch_count,
                            "updated": s.updated,
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
                        "{}",
                        crate::tr!(
                            "sessions-row",
                            id = s.id.as_str(),
                            title = pad_to_width(&sanitize(&s.title), TITLE_WIDTH),
                            count = format!("{:>4}", s.message_count),
                            updated = s.updated.as_str(),
                            model = sanitize(s.model.as_deref().unwrap_or("-")),
                        )
                    );
                }
            }
            for problem in &problems {
                let problem = sanitize(&problem.localized()).into_owned();
                eprintln!("{}", crate::tr!("sessions-warning", problem = problem));
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
            all_branches,
        } => {
            let session = store.load(&session)?;
            let text = match (format, all_branches) {
                (ExportFormat::Markdown, false) => store::to_markdown(&session),
                (ExportFormat::Markdown, true) => store::to_markdown_all_branches(&session),
                (ExportFormat::Json, false) => store::to_json(&session.active_only()),
                (ExportFormat::Json, true) => store::to_json(&session),
            };
            match output {
                // Owner-only, like the session itself.
                Some(path) => crate::fsutil::create_private(&path)
                    .and_then(|mut file| file.write_all(text.as_bytes()))
                    .with_context(|| {
                        crate::tr!("sessions-cannot-write", path = path.display().to_string())
                    })?,
                // Piped or redirected, the export is exact; on a terminal, escape sequences
                // from the session are removed (tabs kept), as everywhere else.
                None if std::io::stdout().is_terminal() => {
                    print!("{}", crate::text::sanitize::sanitize_keep_tabs(&text));
                }
                None => print!("{text}"),
            }
        }
        SessionsCommand::Import { file } => {
            let session = store.import(&file)?;
            println!(
                "{}",
                crate::tr!(
                    "sessions-imported",
                    id = session.id.as_str(),
                    title = sanitize(&session.title),
                    branches = session.tree.branch_count(),
                )
            );
        }
        SessionsCommand::Rename { session, title } => {
            let found = store.resolve(&session)?;
            store.rename(&found.id, &title)?;
            let title = sanitize(title.trim());
            println!(
                "{}",
                crate::tr!("sessions-renamed", id = found.id.as_str(), title = title)
            );
        }
        SessionsCommand::Search { query } => {
            let hits = store.search(&query);
            if hits.is_empty() {
                let query = sanitize(&query);
                println!("{}", crate::tr!("sessions-no-match", query = query));
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
            let question = crate::tr!(
                "sessions-delete-question",
                id = found.id.as_str(),
                title = sanitize(&found.title),
                count = found.message_count,
            );
            if yes || confirm(&question)? {
                store.delete(&found.id)?;
                crate::engine::snapshot::remove(&setup.paths.snapshots_dir(), &found.id)
                    .with_context(|| {
                        crate::tr!(
                            "sessions-cannot-prune",
                            dir = setup.paths.snapshots_dir().display().to_string()
                        )
                    })?;
                println!("{}", crate::tr!("sessions-deleted", id = found.id.as_str()));
            } else {
                println!("{}", crate::tr!("sessions-kept", id = found.id.as_str()));
            }
        }
        SessionsCommand::PruneCache => prune_cache(setup)?,
    }
    Ok(())
}
