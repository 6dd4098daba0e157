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

impl StoreProblem {
    /// The problem worded in the interface language (`Display` stays English for logs).
    pub fn localized(&self) -> String {
        crate::tr!(
            "store-problem",
            path = self.path.display().to_string(),
            reason = self.reason.clone()
        )
    }
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
    #[error("cannot lock {}: {reason}; check the sessions directory's permissions", .path.display())]
    Lock { path: PathBuf, reason: String },
    #[error("cannot lock {}: another ggchat has been saving this session for over {secs} s; try again, or close the other ggchat", .path.display())]
    LockTimeout { path: PathBuf, secs: u64 },
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
                crate::tr!("store-problem-future", version = *version)
            }
            StoreError::Read { source, .. } => {
                crate::tr!("store-problem-read", reason = source.to_string())
            }
            other => other.localized(),
        }
    }
}

impl StoreError {
    /// The error worded in the interface language, with the same paths, numbers and advice as
    /// `Display` (which stays English for logs). The system's own reason (an I/O error, a JSON
    /// parser's position) is quoted as it is.
    pub fn localized(&self) -> String {
        use crate::tr;
        let path = |p: &PathBuf| p.display().to_string();
        match self {
            StoreError::CreateDir { path: p, source } => tr!(
                "store-create-dir",
                path = path(p),
                reason = source.to_string()
            ),
            StoreError::Read { path: p, source } => {
                tr!("store-read", path = path(p), reason = source.to_string())
            }
            StoreError::Write { path: p, source } => {
                tr!("store-write", path = path(p), reason = source.to_string())
            }
            StoreError::Encode { path: p, reason } => {
                tr!("store-encode", path = path(p), reason = reason.as_str())
            }
            StoreError::Delete { path: p, source } => {
                tr!("store-delete", path = path(p), reason = source.to_string())
            }
            StoreError::Corrupt { path: p, reason } => {
                tr!("store-corrupt", path = path(p), reason = reason.as_str())
            }
            StoreError::FutureVersion { path: p, version } => tr!(
                "store-future-version",
                path = path(p),
                version = version.to_string()
            ),
            StoreError::Conflict {
                path: p,
                ours,
                on_disk,
            } => tr!(
                "store-conflict",
                path = path(p),
                ours = ours.to_string(),
                on_disk = on_disk.to_string()
            ),
            StoreError::Deleted { path: p } => tr!("store-deleted", path = path(p)),
            StoreError::TooLarge {
                path: p,
                bytes,
                limit,
            } => tr!(
                "store-too-large",
                path = path(p),
                size = mib(*bytes),
                limit = mib(*limit)
            ),
            StoreError::Lock { path: p, reason } => {
                tr!("store-lock", path = path(p), reason = reason.as_str())
            }
            StoreError::LockTimeout { path: p, secs } => tr!(
                "store-lock-timeout",
                path = path(p),
                secs = secs.to_string()
            ),
            StoreError::NotFound { query } => tr!("store-not-found", query = query.as_str()),
            StoreError::Ambiguous { query, candidates } => tr!(
                "store-ambiguous",
                query = query.as_str(),
                candidates = candidates.join(", ")
            ),
            StoreError::InvalidId { id } => tr!("store-invalid-id", id = id.as_str()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check::assert_translated;

    fn io() -> io::Error {
        // The system's reason is quoted as it is, so it is data here.
        io::Error::other("EACCES")
    }

    #[test]
    fn every_error_is_worded_in_both_languages_with_its_data() {
        let p = || PathBuf::from("/data/sessions/20261128-114233-3f9a.json");
        let path = "/data/sessions/20261128-114233-3f9a.json";
        let cases: Vec<(StoreError, Vec<&str>)> = vec![
            (
                StoreError::CreateDir {
                    path: p(),
                    source: io(),
                },
                vec![path, "EACCES", "GGCHAT_DATA_DIR"],
            ),
            (
                StoreError::Read {
                    path: p(),
                    source: io(),
                },
                vec![path, "EACCES"],
            ),
            (
                StoreError::Write {
                    path: p(),
                    source: io(),
                },
                vec![path, "EACCES"],
            ),
            (
                StoreError::Encode {
                    path: p(),
                    reason: "NaN".into(),
                },
                vec![path, "NaN"],
            ),
            (
                StoreError::Delete {
                    path: p(),
                    source: io(),
                },
                vec![path, "EACCES"],
            ),
            (
                StoreError::Corrupt {
                    path: p(),
                    reason: "line 3".into(),
                },
                vec![path, "line 3"],
            ),
            (
                StoreError::FutureVersion {
                    path: p(),
                    version: 97,
                },
                vec![path, "97"],
            ),
            (
                StoreError::Conflict {
                    path: p(),
                    ours: 41,
                    on_disk: 43,
                },
                vec![path, "41", "43"],
            ),
            (StoreError::Deleted { path: p() }, vec![path]),
            (
                StoreError::TooLarge {
                    path: p(),
                    bytes: 300 << 20,
                    limit: 256 << 20,
                },
                vec![path, "300.0 MiB", "256.0 MiB"],
            ),
            (
                StoreError::Lock {
                    path: p(),
                    reason: "EIO".into(),
                },
                vec![path, "EIO"],
            ),
            (
                StoreError::LockTimeout {
                    path: p(),
                    secs: 17,
                },
                vec![path, "17"],
            ),
            (
                StoreError::NotFound {
                    query: "q7z".into(),
                },
                vec!["q7z"],
            ),
            (
                StoreError::Ambiguous {
                    query: "2026".into(),
                    candidates: vec!["a1".into(), "b2".into()],
                },
                vec!["2026", "a1, b2"],
            ),
            (
                StoreError::InvalidId { id: "x/y".into() },
                vec!["x/y", "20261128-114233-3f9a"],
            ),
        ];
        for (error, data) in &cases {
            assert_translated(|| error.localized(), data);
            let en = crate::i18n::with_language(crate::i18n::Lang::En, || error.localized());
            assert_eq!(en, error.to_string(), "English wording is the Display text");
        }
    }
}
