//! Errors of the guard: reading and compiling rule files. Each names the file, and for a bad rule
//! the line and the rule, so the user can fix it without guessing.

use std::path::PathBuf;

/// Why a set of rule files cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error("cannot read the guard rule file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A malformed file or rule; `line` is 1-based.
    #[error("guard rule file {path}, line {line}: {message}")]
    Rule {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The matcher could not be built (e.g. too many or too large patterns).
    #[error("the guard rules of {files} cannot be compiled: {message}")]
    Build { files: String, message: String },
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
