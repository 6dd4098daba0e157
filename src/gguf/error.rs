//! Error type for GGUF validation.
//!
//! Why a dedicated enum with a path in every variant: these errors are shown
//! to a person in the model picker or at load time, and the person needs to
//! know *which* file is bad, *what* is wrong with it and *what to do* (usually
//! re-download). Every message therefore follows the shape
//! `<what is wrong>: <path>; <hint>`, and [`GgufError::path`] gives the file
//! back to callers that want to show it separately.

use std::io;
use std::path::{Path, PathBuf};

/// Hint appended to messages about damaged files.
const REDOWNLOAD: &str = "the file is truncated or corrupt; re-download the model";

/// Everything that can go wrong while opening and validating a GGUF file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GgufError {
    #[error("file not found: {}; check the path, or re-download the model", .path.display())]
    NotFound { path: PathBuf },

    #[error("permission denied: {}; make the file readable by your user (chmod u+r)", .path.display())]
    PermissionDenied { path: PathBuf },

    #[error("is a directory, not a GGUF file: {}; choose the .gguf file inside it", .path.display())]
    IsDirectory { path: PathBuf },

    #[error("not a regular file (device, FIFO or socket): {}; choose a .gguf file", .path.display())]
    NotRegularFile { path: PathBuf },

    #[error("I/O error while reading {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("file is empty (0 bytes): {}; the download probably failed, re-download the model", .path.display())]
    Empty { path: PathBuf },

    #[error("not a GGUF file (bad magic {found}, expected 0x47475546 \"GGUF\"): {}; {hint}", .path.display())]
    BadMagic {
        path: PathBuf,
        /// The first bytes, rendered as hex and escaped ASCII.
        found: String,
        hint: &'static str,
    },

    #[error("unsupported GGUF version {version} (ggchat reads versions 2 and 3): {}; {hint}", .path.display())]
    UnsupportedVersion {
        path: PathBuf,
        version: u32,
        hint: &'static str,
    },

    #[error("truncated: {what} but the file ends at byte {file_size}: {}; the download is incomplete, re-download the model", .path.display())]
    Truncated {
        path: PathBuf,
        what: String,
        file_size: u64,
    },

    #[error("{what} cannot fit in a file of {file_size} bytes: {}; {REDOWNLOAD}", .path.display())]
    CountTooLarge {
        path: PathBuf,
        what: String,
        file_size: u64,
    },

    #[error("invalid UTF-8 in {what} at byte {offset}: {}; {REDOWNLOAD}", .path.display())]
    InvalidUtf8 {
        path: PathBuf,
        what: String,
        offset: u64,
    },

    #[error("{what} at byte {offset} is {len} bytes long (at most {max} allowed): {}; {REDOWNLOAD}", .path.display())]
    NameTooLong {
        path: PathBuf,
        what: String,
        offset: u64,
        len: u64,
        max: u64,
    },

    #[error("metadata key {index} is empty (at byte {offset}): {}; {REDOWNLOAD}", .path.display())]
    EmptyKey {
        path: PathBuf,
        index: u64,
        offset: u64,
    },

    #[error("metadata key '{key}' has invalid value type {value_type} (valid: 0-12): {}; {REDOWNLOAD}", .path.display())]
    BadValueType {
        path: PathBuf,
        key: String,
        value_type: u32,
    },

    #[error("metadata key '{key}' nests arrays deeper than {max} levels: {}; {REDOWNLOAD}", .path.display())]
    NestingTooDeep {
        path: PathBuf,
        key: String,
        max: u32,
    },

    #[error("duplicate metadata key '{key}': {}; {REDOWNLOAD}", .path.display())]
    DuplicateKey { path: PathBuf, key: String },

    #[error("metadata key '{key}' has type {found}, expected {expected}: {}; {REDOWNLOAD}", .path.display())]
    WrongKeyType {
        path: PathBuf,
        key: String,
        expected: &'static str,
        found: &'static str,
    },

    #[error("invalid general.alignment {alignment} (must be a nonzero power of two): {}; {REDOWNLOAD}", .path.display())]
    BadAlignment { path: PathBuf, alignment: u64 },

    #[error("duplicate tensor name '{name}': {}; {REDOWNLOAD}", .path.display())]
    DuplicateTensor { path: PathBuf, name: String },

    #[error("tensor '{name}' has {n_dims} dimensions (at most 4 supported): {}; {REDOWNLOAD}", .path.display())]
    TooManyDims {
        path: PathBuf,
        name: String,
        n_dims: u32,
    },

    #[error("tensor '{name}' has unknown ggml type {ggml_type}: {}; the model needs a newer llama.cpp, or the file is corrupt", .path.display())]
    UnknownTensorType {
        path: PathBuf,
        name: String,
        ggml_type: u32,
    },

    #[error("tensor '{name}' shape {dims:?} is too large (element or byte count overflows): {}; {REDOWNLOAD}", .path.display())]
    ShapeOverflow {
        path: PathBuf,
        name: String,
        dims: Vec<u64>,
    },

    #[error("tensor '{name}' row length {row} is not a multiple of the {type_name} block size {block_size}: {}; {REDOWNLOAD}", .path.display())]
    BadRowSize {
        path: PathBuf,
        name: String,
        row: u64,
        type_name: &'static str,
        block_size: u64,
    },

    #[error("tensor '{name}' data offset {offset} is not a multiple of the alignment {alignment}: {}; {REDOWNLOAD}", .path.display())]
    UnalignedOffset {
        path: PathBuf,
        name: String,
        offset: u64,
        alignment: u64,
    },

    #[error("tensor '{name}' data (offset {offset}, size {size}) runs past the end of the file (size {file_size}): {}; {REDOWNLOAD}", .path.display())]
    TensorPastEof {
        path: PathBuf,
        name: String,
        /// Absolute byte offset of the tensor data in the file (saturates at `u64::MAX`).
        offset: u64,
        size: u64,
        file_size: u64,
    },

    #[error("split model part {index} of {count} is missing: {}; download all parts into the same folder", .path.display())]
    MissingSplit {
        path: PathBuf,
        index: u32,
        count: u32,
    },

    #[error("invalid split model: {detail}: {}; re-download all parts of the model", .path.display())]
    BadSplit { path: PathBuf, detail: String },
}

impl GgufError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        use GgufError::*;
        match self {
            NotFound { path }
            | PermissionDenied { path }
            | IsDirectory { path }
            | NotRegularFile { path }
            | Io { path, .. }
            | Empty { path }
            | BadMagic { path, .. }
            | UnsupportedVersion { path, .. }
            | Truncated { path, .. }
            | CountTooLarge { path, .. }
            | InvalidUtf8 { path, .. }
            | NameTooLong { path, .. }
            | EmptyKey { path, .. }
            | BadValueType { path, .. }
            | NestingTooDeep { path, .. }
            | DuplicateKey { path, .. }
            | WrongKeyType { path, .. }
            | BadAlignment { path, .. }
            | DuplicateTensor { path, .. }
            | TooManyDims { path, .. }
            | UnknownTensorType { path, .. }
            | ShapeOverflow { path, .. }
            | BadRowSize { path, .. }
            | UnalignedOffset { path, .. }
            | TensorPastEof { path, .. }
            | MissingSplit { path, .. }
            | BadSplit { path, .. } => path,
        }
    }

    /// Maps an I/O error from opening or reading `path` to the clearest variant.
    pub(crate) fn from_io(path: &Path, source: io::Error) -> Self {
        let path = path.to_path_buf();
        match source.kind() {
            io::ErrorKind::NotFound => GgufError::NotFound { path },
            io::ErrorKind::PermissionDenied => GgufError::PermissionDenied { path },
            io::ErrorKind::IsADirectory => GgufError::IsDirectory { path },
            _ => GgufError::Io { path, source },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_map_to_specific_variants() {
        let p = Path::new("/models/x.gguf");
        let e = GgufError::from_io(p, io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(matches!(e, GgufError::PermissionDenied { .. }));
        assert!(
            e.to_string()
                .starts_with("permission denied: /models/x.gguf")
        );
        let e = GgufError::from_io(p, io::Error::from(io::ErrorKind::NotFound));
        assert!(matches!(e, GgufError::NotFound { .. }));
        let e = GgufError::from_io(p, io::Error::other("disk on fire"));
        assert!(e.to_string().contains("disk on fire"), "{e}");
        assert_eq!(e.path(), p);
    }

    #[test]
    fn messages_name_file_and_hint() {
        let e = GgufError::TensorPastEof {
            path: "/m/a.gguf".into(),
            name: "blk.0.attn_q.weight".into(),
            offset: 4096,
            size: 100,
            file_size: 4100,
        };
        let s = e.to_string();
        assert!(s.contains("'blk.0.attn_q.weight'"), "{s}");
        assert!(
            s.contains("runs past the end of the file (size 4100)"),
            "{s}"
        );
        assert!(s.contains("/m/a.gguf"), "{s}");
        assert!(s.ends_with("re-download the model"), "{s}");
    }
}
