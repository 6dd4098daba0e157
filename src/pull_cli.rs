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
use std::path::Path;

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

/// `ggchat models rm NAME`.
pub fn remove(setup: &Setup, name: &str, yes: bool) -> Result<()> {
    use crate::models::remove;
    let dirs = crate::models::model_dirs(&setup.paths, &setup.config);
    let files = remove::files_of(&remove::find(name, &dirs)?);
    let question = crate::tr!(
        "models-rm-question",
        name = sanitize(name),
        count = files.len(),
        size = crate::pull::progress::bytes(remove::size(&files)),
    );
    if !(yes || crate::sessions_cli::confirm(&question)?) {
        println!("{}", crate::tr!("models-rm-kept", name = sanitize(name)));
        return Ok(());
    }
    remove::delete(&files, |file| {
        let path = sanitize(&file.display().to_string()).into_owned();
        println!("{}", crate::tr!("models-rm-deleted", path = path));
    })
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
