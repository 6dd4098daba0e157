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

impl GuardError {
    /// The error in the interface language (the rule's own problem stays in English: it quotes
    /// TOML and regex syntax).
    pub fn localized(&self) -> String {
        match self {
            GuardError::Read { path, source } => crate::tr!(
                "guard-err-read",
                path = path.display().to_string(),
                reason = source.to_string()
            ),
            GuardError::Rule {
                path,
                line,
                message,
            } => crate::tr!(
                "guard-err-rule",
                path = path.display().to_string(),
                line = line.to_string(),
                message = message.as_str()
            ),
            GuardError::Build { files, message } => crate::tr!(
                "guard-err-build",
                files = files.as_str(),
                message = message.as_str()
            ),
        }
    }
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
