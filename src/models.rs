//! Finding models: the model directories, the configured default, and names on the command line.
//!
//! Listing reads only GGUF headers (see `crate::gguf`), so hundreds of models list in well under a
//! second, and a split model (`-00001-of-00003.gguf`) shows once.

pub mod remove;
pub mod trusted;

use crate::config::Config;
use crate::gguf::{self, ModelSummary};
use crate::paths::Paths;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// The file name of the default model and how to get it.
pub const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
pub const FETCH_HINT: &str = "get one with `ggchat pull OWNER/REPO:QUANT` (e.g. `ggchat pull \
     Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M`), run `scripts/fetch-model.sh` from the ggchat \
     source tree for the default model (SmolLM2-135M-Instruct, 98 MB), or pass --model PATH";

/// [`FETCH_HINT`] in the interface language.
pub fn fetch_hint() -> String {
    crate::tr!("models-fetch-hint")
}

/// The folders scanned for models, in order.
pub fn model_dirs(paths: &Paths, config: &Config) -> Vec<PathBuf> {
    let mut dirs = vec![paths.models_dir()];
    dirs.extend(config.model_dirs.iter().cloned());
    dirs
}

/// The .gguf files directly inside `dir`, sorted by name; split continuations left out.
pub fn gguf_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("gguf"))
        })
        .filter(|p| !gguf::is_split_continuation(p))
        .collect();
    files.sort();
    files
}

/// One entry of the model list: its summary, or why it cannot be used.
pub type Listed = (PathBuf, Result<ModelSummary, gguf::GgufError>);

/// Every model in the model directories. LoRA adapters (GGUF `general.type` = "adapter") often
/// sit next to their model, but they are not models: they are left out.
pub fn list(paths: &Paths, config: &Config) -> Vec<Listed> {
    model_dirs(paths, config)
        .iter()
        .flat_map(|dir| gguf_files(dir))
        .map(|path| {
            let summary = gguf::summarize(&path);
            (path, summary)
        })
        .filter(|(_, summary)| !summary.as_ref().is_ok_and(|s| s.is_adapter))
        .collect()
}

fn is_adapter(path: &Path) -> bool {
    gguf::summarize(path).is_ok_and(|s| s.is_adapter)
}

/// Turns a `--model` value or the configured default into a path.
pub fn resolve(requested: Option<&str>, paths: &Paths, config: &Config) -> Result<PathBuf> {
    let dirs = model_dirs(paths, config);
    let wanted = requested.or(config.default_model.as_deref());
    if let Some(name) = wanted {
        let direct = PathBuf::from(name);
        if direct.exists() || name.contains(std::path::MAIN_SEPARATOR) {
            return Ok(direct);
        }
        for dir in &dirs {
            let candidate = dir.join(name);
            if candidate.exists() {
                return Ok(candidate);
            }
        }
        bail!(
            "model '{name}' not found: it is neither a file nor a name in {}",
            describe_dirs(&dirs)
        );
    }
    let found: Vec<PathBuf> = dirs.iter().flat_map(|d| gguf_files(d)).collect();
    if let Some(default) = found
        .iter()
        .find(|p| p.file_name().is_some_and(|n| n == DEFAULT_MODEL_FILE))
    {
        return Ok(default.clone());
    }
    match found.into_iter().find(|p| !is_adapter(p)) {
        Some(first) => Ok(first),
        None => bail!(
            "{}",
            crate::tr!(
                "models-none-in",
                dirs = describe_dirs(&dirs),
                hint = fetch_hint()
            )
        ),
    }
}

fn describe_dirs(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "135.0M", "7.2B": parameter counts as people say them.
pub fn human_count(n: u64) -> String {
    match n {
        0..1_000_000 => format!("{:.1}K", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{:.1}B", n as f64 / 1e9),
    }
}

/// "94 MiB", "3.8 GiB".
pub fn human_bytes(n: u64) -> String {
    const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
    if n as f64 >= GIB {
        format!("{:.1} GiB", n as f64 / GIB)
    } else {
        format!("{:.0} MiB", n as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_model_says_how_to_get_one() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::under(dir.path());
        let err = resolve(None, &paths, &Config::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no model found"), "{err}");
        assert!(err.contains("fetch-model.sh"), "{err}");
        let err = resolve(Some("nope.gguf"), &paths, &Config::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("'nope.gguf' not found"), "{err}");
    }

    #[test]
    fn numbers_read_like_people_say_them() {
        assert_eq!(human_count(134_515_008), "134.5M");
        assert_eq!(human_bytes(98_362_432), "94 MiB");
    }
}
