//! `ggchat pull` and `ggchat models rm`: getting models and removing them from the command line.
//!
//! The hub is chosen here from the flags, the `modelscope:` prefix, the environment
//! (`HF_ENDPOINT`, `HF_TOKEN`, huggingface_hub's names) and the `[pull]` config table; the work
//! is in [`crate::pull`], run on a current-thread tokio runtime of its own.

use crate::cli::PullArgs;
use crate::pull::{self, PullSpec, Pulled, Source, progress::Progress};
use crate::setup::Setup;
use crate::text::sanitize::sanitize;
use anyhow::{Context, Result, bail};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The source a pull uses: prefix, then `--from`, then the config.
pub fn source_for(setup: &Setup, spec: &PullSpec, args: &PullArgs) -> Source {
    pull::endpoint::source(
        &setup.config.pull,
        spec,
        args.from,
        args.revision.as_deref(),
    )
}

pub fn run(setup: &Setup, args: &PullArgs) -> Result<()> {
    let spec = PullSpec::parse(&args.model)?;
    let source = source_for(setup, &spec, args);
    let models_dir = setup.paths.models_dir();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .with_context(|| crate::tr!("pull-runtime-failed"))?;
    let mut progress = Progress::stderr(0);
    let mut spec = spec;
    let pulled: Pulled = loop {
        match runtime.block_on(pull::pull(&source, &spec, &models_dir, &mut progress)) {
            Err(pull::PullError::Ambiguous {
                choices, options, ..
            }) if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() => {
                spec.pick = pull::spec::Pick::File(ask_choice(&spec.repo, &choices, &options)?);
            }
            other => break other?,
        }
    };
    let name = pulled
        .path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if pulled.already_present {
        println!(
            "{}",
            crate::tr!(
                "pull-already-present",
                name = sanitize(&name),
                dir = models_dir.display().to_string(),
            )
        );
    } else {
        println!(
            "{}",
            crate::tr!(
                "pull-saved",
                name = sanitize(&name),
                count = pulled.files.len(),
                dir = models_dir.display().to_string(),
            )
        );
    }
    Ok(())
}

/// Asks which of several models to pull (only when a person is at the terminal).
fn ask_choice(repo: &str, choices: &str, options: &[String]) -> Result<String> {
    use std::io::{BufRead, Write};
    eprintln!(
        "{}",
        crate::tr!("pull-several-models", repo = sanitize(repo))
    );
    for (i, line) in choices.lines().enumerate() {
        eprintln!("{:>3}) {}", i + 1, sanitize(line.trim()));
    }
    eprint!("{} ", crate::tr!("pull-which-one", count = options.len()));
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    match answer.trim().parse::<usize>() {
        Ok(n) if (1..=options.len()).contains(&n) => Ok(options[n - 1].clone()),
        _ => bail!("{}", crate::tr!("pull-none-chosen", repo = repo)),
    }
}

/// Every file of the model named `name` in `dirs`: all parts of a split model, their provenance
/// files and any `.part` left by an unfinished pull.
pub fn model_files(name: &str, dirs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if name.contains(['/', '\\']) || name.starts_with('.') {
        bail!("{}", crate::tr!("models-not-a-name", name = name));
    }
    let wanted = if name.to_ascii_lowercase().ends_with(".gguf") {
        name.to_owned()
    } else {
        format!("{name}.gguf")
    };
    let found = dirs.iter().find_map(|dir| {
        let path = dir.join(&wanted);
        if path.is_file() {
            return Some(path);
        }
        // A split model named by its first part's prefix ("model" for model-00001-of-00003).
        crate::models::gguf_files(dir).into_iter().find(|p| {
            crate::gguf::parse_split_name(p)
                .is_some_and(|s| s.prefix.file_name().is_some_and(|n| *n == *name))
        })
    });
    let Some(first) = found else {
        bail!("{}", crate::tr!("models-not-found", name = name));
    };
    let parts = match crate::gguf::parse_split_name(&first) {
        Some(s) => (1..=s.count)
            .map(|i| crate::gguf::split_path(&s.prefix, i, s.count))
            .collect(),
        None => vec![first],
    };
    let mut files = Vec::new();
    for part in parts {
        let extra = [
            pull::provenance::path_for(&part),
            pull::download::part_path(&part),
        ];
        files.push(part);
        files.extend(extra);
    }
    Ok(files.into_iter().filter(|p| p.exists()).collect())
}

/// `ggchat models rm NAME`.
pub fn remove(setup: &Setup, name: &str, yes: bool) -> Result<()> {
    let dirs = crate::models::model_dirs(&setup.paths, &setup.config);
    let files = model_files(name, &dirs)?;
    let size: u64 = files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let question = crate::tr!(
        "models-rm-question",
        name = sanitize(name),
        count = files.len(),
        size = crate::pull::progress::bytes(size),
    );
    if !(yes || crate::sessions_cli::confirm(&question)?) {
        println!("{}", crate::tr!("models-rm-kept", name = sanitize(name)));
        return Ok(());
    }
    for file in &files {
        std::fs::remove_file(file).with_context(|| {
            crate::tr!("models-rm-cannot-delete", path = file.display().to_string())
        })?;
        let path = sanitize(&file.display().to_string()).into_owned();
        println!("{}", crate::tr!("models-rm-deleted", path = path));
    }
    Ok(())
}

/// "from huggingface o/r (main) on 2026-12-03" for `ggchat models`, when the file was pulled.
pub fn origin(path: &Path) -> Option<String> {
    let p = pull::provenance::read(path)?;
    let verified = if p.sha256_verified {
        crate::tr!("models-sha256-verified")
    } else {
        crate::tr!("models-sha256-unpublished")
    };
    Some(crate::tr!(
        "models-origin",
        source = p.source.to_string(),
        repo = p.repo.as_str(),
        revision = p.revision.as_str(),
        date = p.date.get(..10).unwrap_or(&p.date),
        verified = verified,
    ))
}
