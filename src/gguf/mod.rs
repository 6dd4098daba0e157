//! Safe-Rust reader and validator for GGUF model headers.
//!
//! Why this module exists: GGUF files are untrusted input (downloaded from
//! the internet), and llama.cpp's own GGUF parser has had memory-safety bugs
//! on crafted files. ggchat therefore validates every header here, in safe
//! Rust, before llama.cpp ever opens the file, and refuses anything that is
//! truncated, inconsistent or out of bounds with a message that names the
//! file and tells the person what to do.
//!
//! The same code feeds the model picker, which must list ~100 models in
//! under a second, so only the header is read: tensor *data* is never
//! touched, only checked to lie inside the file. Large metadata arrays (the
//! 150k-entry tokenizer vocabulary) are validated and then dropped, keeping
//! only their element type and length.
//!
//! Guarantees, for any input bytes: no panic, no unbounded loop (every loop
//! iteration consumes at least one byte of the file), and no allocation
//! driven by a claimed count or length that the file could not contain.
//!
//! Entry points: [`GgufFile::open`] for one file, [`parse_bytes`] for
//! in-memory data (fuzzing), [`open_splits`] for split models and
//! [`summarize`] / [`is_split_continuation`] for the model picker.

#![forbid(unsafe_code)]

mod error;
mod localized;
mod parse;
mod reader;
mod split;
mod tensors;
pub mod types;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod test_util;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_crafted;
#[cfg(test)]
mod tests_split;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

pub use error::GgufError;
pub use split::{
    ModelSummary, SplitName, is_split_continuation, open_splits, parse_split_name, split_path,
    summarize,
};
pub use types::{GgmlType, file_type_name, ggml_type};

/// Data-section alignment used when `general.alignment` is absent.
pub const DEFAULT_ALIGNMENT: u64 = 32;
/// Longest tensor name llama.cpp accepts (`GGML_MAX_NAME` minus the NUL).
pub const MAX_TENSOR_NAME_LEN: u64 = 63;
/// Longest metadata key accepted; real keys are well under 100 bytes.
pub const MAX_KEY_LEN: u64 = 64 * 1024;
/// Longest string value kept verbatim (except chat templates, kept whole).
pub const MAX_KEPT_STRING_LEN: u64 = 64 * 1024;
/// Deepest array-of-array nesting accepted.
pub const MAX_ARRAY_NESTING: u32 = 8;
/// Metadata key of the default chat template.
pub const CHAT_TEMPLATE_KEY: &str = "tokenizer.chat_template";

/// Read buffer for files: large enough that skipping a tokenizer
/// vocabulary costs few system calls.
const READ_BUFFER: usize = 256 * 1024;

/// One metadata value. Arrays and very long strings are kept as summaries
/// so that memory stays small whatever the file contains.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    U8(u8),
    I8(i8),
    U16(u16),
    I16(i16),
    U32(u32),
    I32(i32),
    U64(u64),
    I64(i64),
    F32(f32),
    F64(f64),
    Bool(bool),
    /// A string value (invalid UTF-8 replaced by U+FFFD).
    String(String),
    /// A string longer than [`MAX_KEPT_STRING_LEN`]: validated, not kept.
    LongString {
        len: u64,
    },
    /// An array: validated, only the element type and length are kept.
    Array {
        elem_type: u32,
        len: u64,
    },
}

impl MetaValue {
    /// GGUF name of the value's type ("u32", "string", "array", ...).
    pub fn type_name(&self) -> &'static str {
        use types::value_type as vt;
        types::value_type_name(match self {
            MetaValue::U8(_) => vt::U8,
            MetaValue::I8(_) => vt::I8,
            MetaValue::U16(_) => vt::U16,
            MetaValue::I16(_) => vt::I16,
            MetaValue::U32(_) => vt::U32,
            MetaValue::I32(_) => vt::I32,
            MetaValue::U64(_) => vt::U64,
            MetaValue::I64(_) => vt::I64,
            MetaValue::F32(_) => vt::F32,
            MetaValue::F64(_) => vt::F64,
            MetaValue::Bool(_) => vt::BOOL,
            MetaValue::String(_) | MetaValue::LongString { .. } => vt::STRING,
            MetaValue::Array { .. } => vt::ARRAY,
        })
    }

    /// Any non-negative integer value as u64.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            MetaValue::U8(v) => Some(v.into()),
            MetaValue::U16(v) => Some(v.into()),
            MetaValue::U32(v) => Some(v.into()),
            MetaValue::U64(v) => Some(v),
            MetaValue::I8(v) => u64::try_from(v).ok(),
            MetaValue::I16(v) => u64::try_from(v).ok(),
            MetaValue::I32(v) => u64::try_from(v).ok(),
            MetaValue::I64(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    /// Any integer value that fits in i64.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            MetaValue::I8(v) => Some(v.into()),
            MetaValue::I16(v) => Some(v.into()),
            MetaValue::I32(v) => Some(v.into()),
            MetaValue::I64(v) => Some(v),
            _ => self.as_u64().and_then(|v| i64::try_from(v).ok()),
        }
    }

    /// Any float or integer value as f64.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            MetaValue::F32(v) => Some(v.into()),
            MetaValue::F64(v) => Some(v),
            _ => self.as_i64().map(|v| v as f64),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            MetaValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            MetaValue::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// One tensor's header entry, with its size computed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    pub name: String,
    /// Dimensions, innermost first (ggml's `ne`), 0 to 4 of them.
    pub dims: Vec<u64>,
    pub ggml_type: u32,
    /// Offset relative to the start of the data section.
    pub offset: u64,
    pub n_elements: u64,
    pub n_bytes: u64,
}

/// A validated GGUF header.
#[derive(Debug, Clone, PartialEq)]
pub struct GgufFile {
    pub path: PathBuf,
    pub file_size: u64,
    pub version: u32,
    pub tensor_count: u64,
    pub metadata: Vec<(String, MetaValue)>,
    pub tensors: Vec<TensorInfo>,
    /// Absolute offset of the (aligned) data section.
    pub data_offset: u64,
    /// Data alignment (`general.alignment` or [`DEFAULT_ALIGNMENT`]).
    pub alignment: u64,
}

impl GgufFile {
    /// Opens and validates the header of the GGUF file at `path`. Reads the
    /// header only; the tensor data is checked to lie inside the file but
    /// never read.
    pub fn open(path: &Path) -> Result<GgufFile, GgufError> {
        // Check the kind of file first: opening a FIFO would block forever.
        let meta = std::fs::metadata(path).map_err(|e| GgufError::from_io(path, e))?;
        if meta.is_dir() {
            return Err(GgufError::IsDirectory { path: path.into() });
        }
        if !meta.is_file() {
            return Err(GgufError::NotRegularFile { path: path.into() });
        }
        let file = File::open(path).map_err(|e| GgufError::from_io(path, e))?;
        // Size from the opened handle, so it describes the file we read.
        let file_size = file
            .metadata()
            .map_err(|e| GgufError::from_io(path, e))?
            .len();
        let reader = BufReader::with_capacity(READ_BUFFER, file);
        Self::from_reader(reader, file_size, path)
    }

    /// Validates a GGUF header read from `reader`, whose total length is
    /// `file_size`; `path` is only used in error messages. A source shorter
    /// than `file_size` yields a `Truncated` error, never a panic.
    pub fn from_reader<R: Read>(
        reader: R,
        file_size: u64,
        path: &Path,
    ) -> Result<GgufFile, GgufError> {
        parse::parse(reader, file_size, path)
    }

    /// The value of a metadata key.
    pub fn get(&self, key: &str) -> Option<&MetaValue> {
        self.metadata
            .iter()
            .find_map(|(k, v)| (k == key).then_some(v))
    }

    /// A string value (`None` if absent, not a string, or summarized).
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// A non-negative integer value of any integer type.
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        self.get(key)?.as_u64()
    }

    /// An integer value of any integer type that fits in i64.
    pub fn get_i64(&self, key: &str) -> Option<i64> {
        self.get(key)?.as_i64()
    }

    /// A float or integer value as f64.
    pub fn get_f64(&self, key: &str) -> Option<f64> {
        self.get(key)?.as_f64()
    }

    pub fn get_bool(&self, key: &str) -> Option<bool> {
        self.get(key)?.as_bool()
    }

    /// `general.architecture`, e.g. "llama".
    pub fn architecture(&self) -> Option<&str> {
        self.get_str("general.architecture")
    }

    /// `tokenizer.chat_template`, kept whole whatever its length.
    pub fn chat_template(&self) -> Option<&str> {
        self.get_str(CHAT_TEMPLATE_KEY)
    }

    /// Total number of tensor elements in this file (saturating).
    pub fn parameter_count(&self) -> u64 {
        self.tensors
            .iter()
            .fold(0u64, |acc, t| acc.saturating_add(t.n_elements))
    }
}

/// Parses and validates a GGUF image held in memory (`file_size` is the
/// slice length). Meant for fuzz targets; shares the parser with
/// [`GgufFile::open`].
pub fn parse_bytes(bytes: &[u8]) -> Result<GgufFile, GgufError> {
    GgufFile::from_reader(bytes, bytes.len() as u64, Path::new("<memory>"))
}
