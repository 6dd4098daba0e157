//! The store's errors and problem reports.
//!
//! A session store touches the user's disk, so most failures are the user's to fix (a full disk,
//! a permission, a hand-edited file); every message therefore names the file involved and says
//! what to do, and says when a file was left untouched so that nobody fears their data is gone.

use super::format::DecodeError;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// A file in the sessions directory that could not be read; it is never modified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreProblem {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for StoreProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}; left untouched",
            self.path.display(),
            self.reason
        )
    }
}

/// Everything that can go wrong in the store; each message names the file and what to do.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot create the sessions directory {}: {source}; make its parent writable or set GGCHAT_DATA_DIR to another directory", .path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot read {}: {source}; check that the file is readable by your user", .path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot save {}: {source}; the previous version is unchanged — free some disk space or make the directory writable, then try again", .path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot save {}: {reason}; please report this as a bug", .path.display())]
    Encode { path: PathBuf, reason: String },
    #[error("cannot delete {}: {source}; check the directory's permissions", .path.display())]
    Delete { path: PathBuf, source: io::Error },
    #[error("{} is not a valid session file: {reason}; it was left untouched — fix it or move it out of the sessions directory", .path.display())]
    Corrupt { path: PathBuf, reason: String },
    #[error("{} was written by a newer ggchat (format {version}); upgrade ggchat — the file was left untouched", .path.display())]
    FutureVersion { path: PathBuf, version: u64 },
    #[error("{} was saved by another ggchat meanwhile (revision {on_disk}, this copy is based on {ours}); it was left untouched — save this conversation as a new session instead", .path.display())]
    Conflict {
        path: PathBuf,
        ours: u64,
        on_disk: u64,
    },
    #[error("{} was deleted since this chat opened it; it was not written back", .path.display())]
    Deleted { path: PathBuf },
    #[error("cannot save {}: the session would be {}, more than the {} ggchat reads back; the previous version is unchanged — start a new chat to go on", .path.display(), mib(*.bytes), mib(*.limit))]
    TooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    #[error("cannot lock {}: {reason}", .path.display())]
    Lock { path: PathBuf, reason: String },
    #[error("no session matches \"{query}\"; list the sessions to see their ids and titles")]
    NotFound { query: String },
    #[error("\"{query}\" matches several sessions: {}; give more of the id", .candidates.join(", "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
    #[error("\"{id}\" is not a session id (ids look like 20261128-114233-3f9a)")]
    InvalidId { id: String },
}

impl StoreError {
    /// The reason a listed file is a problem, without the path (which the problem carries).
    pub(crate) fn problem_reason(&self) -> String {
        match self {
            StoreError::Corrupt { reason, .. } => reason.clone(),
            StoreError::FutureVersion { version, .. } => {
                format!("written by a newer ggchat (format {version}); upgrade ggchat")
            }
            StoreError::Read { source, .. } => format!("cannot read it: {source}"),
            other => other.to_string(),
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

pub(crate) fn read_error(path: &Path, source: io::Error) -> StoreError {
    StoreError::Read {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn decode_error(path: &Path, e: DecodeError) -> StoreError {
    let path = path.to_path_buf();
    match e {
        DecodeError::FutureVersion(version) => StoreError::FutureVersion { path, version },
        DecodeError::Invalid(reason) => StoreError::Corrupt { path, reason },
    }
}
