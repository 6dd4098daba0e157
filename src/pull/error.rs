//! What can go wrong while pulling a model, each with what to do about it.
//!
//! Every message names the thing (repo, file, endpoint) and the next step, because the user sees
//! it at the end of a long download and must know whether to retry, resume or change a setting.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PullError {
    #[error(
        "invalid model name '{0}': expected OWNER/REPO, OWNER/REPO:QUANT (e.g. \
         Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M) or OWNER/REPO/FILE.gguf"
    )]
    InvalidSpec(String),
    #[error(
        "{source_name} is unreachable at {endpoint} ({reason}); check the network, or set {setting} to a reachable mirror"
    )]
    Unreachable {
        source_name: &'static str,
        endpoint: String,
        setting: &'static str,
        reason: String,
    },
    #[error("repository '{repo}' not found on {source_name}{hint}")]
    RepoNotFound {
        repo: String,
        source_name: &'static str,
        hint: &'static str,
    },
    #[error(
        "repository '{repo}' has no .gguf file (it has: {files}); pick a repo that publishes GGUF files, often named ...-GGUF"
    )]
    NoGguf { repo: String, files: String },
    #[error("'{wanted}' is not in repository '{repo}'; its GGUF files are:\n{choices}")]
    FileNotFound {
        repo: String,
        wanted: String,
        choices: String,
    },
    #[error(
        "repository '{repo}' has several GGUF models; pick one with `ggchat pull {repo}:QUANT` or `ggchat pull {repo}/FILE.gguf`:\n{choices}"
    )]
    Ambiguous {
        repo: String,
        choices: String,
        /// The repo path of each model's first file, in the order of `choices`.
        options: Vec<String>,
    },
    #[error(
        "split model '{file}' is incomplete in the repository: part {index} of {count} is missing"
    )]
    IncompleteSplit {
        file: String,
        index: u32,
        count: u32,
    },
    #[error("{url} answered HTTP {status}{hint}")]
    Http {
        url: String,
        status: u16,
        hint: &'static str,
    },
    #[error(
        "{url} answered a web page (HTML) instead of the model file (a login page, a gated repo or a misconfigured mirror?); nothing was kept"
    )]
    Html { url: String },
    #[error("the answer of {url} is not valid JSON of the expected shape: {reason}")]
    BadListing { url: String, reason: String },
    #[error(
        "download of {file} stopped after {done} of {total} bytes ({reason}); the partial file {part} is kept: run the same command again to resume"
    )]
    Interrupted {
        file: String,
        done: u64,
        total: u64,
        reason: String,
        part: PathBuf,
    },
    #[error(
        "disk full while writing {path}: free some space in {dir} and run the same command again to resume (or delete {path})"
    )]
    DiskFull { path: PathBuf, dir: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "checksum mismatch for {file}: the hub publishes sha256 {expected}, the download has {actual}; the file was deleted, nothing was kept"
    )]
    Checksum {
        file: String,
        expected: String,
        actual: String,
    },
    #[error(
        "{file} has {actual} bytes but the hub lists {expected}; the file was deleted, nothing was kept"
    )]
    Size {
        file: String,
        expected: u64,
        actual: u64,
    },
    #[error(
        "{path} already exists and is not the hub's file (its size or sha256 differs); nothing was downloaded and it was left as it is: delete or move it, then pull again"
    )]
    Exists { path: PathBuf },
    #[error("{file} is not a usable GGUF model ({reason}); the file was deleted, nothing was kept")]
    NotGguf { file: String, reason: String },
}

impl PullError {
    /// A write error, told apart from a full disk.
    pub fn write(path: &std::path::Path, source: std::io::Error) -> PullError {
        if is_disk_full(&source) {
            PullError::DiskFull {
                path: path.to_owned(),
                dir: path.parent().unwrap_or(path).to_owned(),
            }
        } else {
            PullError::Write {
                path: path.to_owned(),
                source,
            }
        }
    }
}

/// ENOSPC, EDQUOT and EFBIG (a file-size limit) all mean "no room for this file".
fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull
            | std::io::ErrorKind::QuotaExceeded
            | std::io::ErrorKind::FileTooLarge
    )
}
