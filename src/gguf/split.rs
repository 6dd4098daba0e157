//! Split models and the model-picker summary.
//!
//! Why: large models ship as `NAME-00001-of-00003.gguf`, ... — each part a
//! complete GGUF file with its own header and data section, the metadata
//! (name, tokenizer, chat template) only in the first. llama.cpp finds the
//! other parts by this naming pattern, so ggchat must validate exactly those
//! files before handing it the first one, and the picker must list such a
//! model once ([`is_split_continuation`]) with totals over all parts
//! ([`summarize`]).

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::parse::shown;
use super::{GgufError, GgufFile, file_type_name};

/// The parts of a split-model file name `PREFIX-00002-of-00003.gguf`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitName {
    /// Directory and name up to (not including) `-00002-of-00003.gguf`.
    pub prefix: PathBuf,
    /// 1-based part number.
    pub index: u32,
    pub count: u32,
}

/// Parses llama.cpp's split naming pattern (`%s-%05d-of-%05d.gguf`).
/// Pure string work, no I/O.
pub fn parse_split_name(path: &Path) -> Option<SplitName> {
    let file = path.file_name()?.to_str()?;
    let stem = file.strip_suffix(".gguf")?;
    let (head, count) = stem.rsplit_once("-of-")?;
    let (prefix, index) = head.rsplit_once('-')?;
    let (index, count) = (five_digits(index)?, five_digits(count)?);
    let valid = !prefix.is_empty() && index >= 1 && index <= count && count <= u16::MAX.into();
    valid.then(|| SplitName {
        prefix: path.with_file_name(prefix),
        index,
        count,
    })
}

fn five_digits(s: &str) -> Option<u32> {
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// The path of part `index` (1-based) of `count`, as llama.cpp names it.
pub fn split_path(prefix: &Path, index: u32, count: u32) -> PathBuf {
    let mut name = OsString::from(prefix.as_os_str());
    name.push(format!("-{index:05}-of-{count:05}.gguf"));
    PathBuf::from(name)
}

/// True for the second and later parts of a split model (by name only, no
/// I/O), so that a model lister shows each split model once.
pub fn is_split_continuation(path: &Path) -> bool {
    parse_split_name(path).is_some_and(|s| s.index > 1)
}

/// An integer split key: `None` if absent, an error if it has another type.
fn split_key(file: &GgufFile, key: &str) -> Result<Option<u64>, GgufError> {
    let Some(value) = file.get(key) else {
        return Ok(None);
    };
    match (value.as_u64(), value.as_i64()) {
        (Some(n), _) => Ok(Some(n)),
        (None, Some(n)) => Err(GgufError::BadSplit {
            path: file.path.clone(),
            detail: format!("{key} is {n}"),
        }),
        (None, None) => Err(GgufError::WrongKeyType {
            path: file.path.clone(),
            key: key.into(),
            expected: "integer",
            found: value.type_name(),
        }),
    }
}

/// Opens the model whose first (or only) file is `path` and validates every
/// part: siblings are found by the naming pattern, each is validated as a
/// full GGUF file (tensor data checked against the part that holds it), and
/// the parts must agree on `split.count`, `split.no` and
/// `split.tensors.count`. A missing part is an error naming that file.
pub fn open_splits(path: &Path) -> Result<Vec<GgufFile>, GgufError> {
    collect_splits(GgufFile::open(path)?)
}

fn bad_split(path: &Path, detail: String) -> GgufError {
    GgufError::BadSplit {
        path: path.into(),
        detail,
    }
}

fn collect_splits(first: GgufFile) -> Result<Vec<GgufFile>, GgufError> {
    let count = split_key(&first, "split.count")?.unwrap_or(1);
    let no = split_key(&first, "split.no")?.unwrap_or(0);
    if count <= 1 {
        return Ok(vec![first]);
    }
    if count > u64::from(u16::MAX) {
        return Err(bad_split(&first.path, format!("split.count is {count}")));
    }
    let count = count as u32; // <= u16::MAX, checked above
    if no != 0 {
        let detail = format!(
            "this is part {} of {count}; open the first part (NAME-00001-of-{count:05}.gguf)",
            no.saturating_add(1)
        );
        return Err(bad_split(&first.path, detail));
    }
    let Some(name) = parse_split_name(&first.path).filter(|n| n.index == 1 && n.count == count)
    else {
        let detail = format!(
            "split.count is {count} but the file name does not follow NAME-00001-of-{count:05}.gguf"
        );
        return Err(bad_split(&first.path, detail));
    };
    let mut files = Vec::with_capacity(count as usize);
    files.push(first);
    for index in 2..=count {
        let part_path = split_path(&name.prefix, index, count);
        let part = GgufFile::open(&part_path).map_err(|e| match e {
            GgufError::NotFound { path } => GgufError::MissingSplit { path, index, count },
            other => other,
        })?;
        let (part_count, part_no) = (
            split_key(&part, "split.count")?,
            split_key(&part, "split.no")?,
        );
        if part_count != Some(count.into()) || part_no != Some(u64::from(index - 1)) {
            let detail = format!(
                "expected split.no {} and split.count {count}, found {part_no:?} and {part_count:?}",
                index - 1
            );
            return Err(bad_split(&part_path, detail));
        }
        files.push(part);
    }
    check_split_tensors(&files)?;
    Ok(files)
}

/// The parts together must hold `split.tensors.count` tensors, each name once.
fn check_split_tensors(files: &[GgufFile]) -> Result<(), GgufError> {
    let Some(first) = files.first() else {
        return Ok(());
    };
    let held = files
        .iter()
        .fold(0u64, |acc, f| acc.saturating_add(f.tensor_count));
    if let Some(total) = split_key(first, "split.tensors.count")?
        && total != held
    {
        let detail = format!("split.tensors.count is {total} but the parts hold {held} tensors");
        return Err(bad_split(&first.path, detail));
    }
    let mut names = HashSet::new();
    for f in files {
        for t in &f.tensors {
            if !names.insert(t.name.as_str()) {
                return Err(GgufError::DuplicateTensor {
                    path: f.path.clone(),
                    name: shown(&t.name),
                });
            }
        }
    }
    Ok(())
}

/// Summary for the model picker and the "loaded model" info.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ModelSummary {
    /// The first (or only) file of the model.
    pub path: PathBuf,
    /// `general.name`, or the file stem (without the split suffix).
    pub name: String,
    /// `general.architecture`, or "unknown".
    pub architecture: String,
    /// Sum of tensor element counts over all parts.
    pub parameter_count: u64,
    /// From `general.file_type` ("Q4_K_M", "F16", ...); "unknown" if absent,
    /// "ftype N" for numbers llama.cpp does not define.
    pub quantization: String,
    /// Total bytes over all parts.
    pub file_size: u64,
    /// `{architecture}.context_length`.
    pub context_length: Option<u64>,
    /// `tokenizer.chat_template`, whole.
    pub chat_template: Option<String>,
    pub split_count: u16,
    /// `general.type` is "adapter": a LoRA adapter, loaded with a model, never on its own.
    #[serde(default)]
    pub is_adapter: bool,
}

impl ModelSummary {
    /// Builds the summary from already-validated parts (first part first).
    /// `None` if `files` is empty.
    pub fn from_splits(files: &[GgufFile]) -> Option<ModelSummary> {
        let first = files.first()?;
        let name = first
            .get_str("general.name")
            .map(display_name)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| stem_name(&first.path));
        let architecture = first.architecture().unwrap_or("unknown").to_string();
        let quantization = match first.get_u64("general.file_type") {
            None => "unknown".to_string(),
            Some(n) => file_type_name(n).map_or_else(|| format!("ftype {n}"), String::from),
        };
        let context_length = first
            .architecture()
            .and_then(|a| first.get_u64(&format!("{a}.context_length")));
        Some(ModelSummary {
            path: first.path.clone(),
            name,
            architecture,
            parameter_count: files
                .iter()
                .fold(0, |acc: u64, f| acc.saturating_add(f.parameter_count())),
            quantization,
            file_size: files
                .iter()
                .fold(0, |acc: u64, f| acc.saturating_add(f.file_size)),
            context_length,
            chat_template: first.chat_template().map(String::from),
            split_count: u16::try_from(files.len()).unwrap_or(u16::MAX),
            is_adapter: first.get_str("general.type") == Some("adapter"),
        })
    }
}

/// A name from the file made safe to print: no control characters, bounded.
fn display_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>()
        .trim()
        .to_string()
}

fn stem_name(path: &Path) -> String {
    let stem = match parse_split_name(path) {
        Some(s) => s
            .prefix
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
        None => path.file_stem().map(|n| n.to_string_lossy().into_owned()),
    };
    display_name(&stem.unwrap_or_default())
}

/// Validates the model at `path` (all parts, if split) and summarizes it.
/// Given a later part of a split model, it validates from the first part.
pub fn summarize(path: &Path) -> Result<ModelSummary, GgufError> {
    let file = GgufFile::open(path)?;
    let count = split_key(&file, "split.count")?.unwrap_or(1);
    let no = split_key(&file, "split.no")?.unwrap_or(0);
    let files = if count > 1 && no > 0 {
        let Some(name) = parse_split_name(path) else {
            let detail =
                "part of a split model, but the file name does not follow NAME-00002-of-00003.gguf";
            return Err(bad_split(path, detail.into()));
        };
        let first = split_path(&name.prefix, 1, name.count);
        open_splits(&first).map_err(|e| match e {
            GgufError::NotFound { path } if path == first => GgufError::MissingSplit {
                path,
                index: 1,
                count: name.count,
            },
            other => other,
        })?
    } else {
        collect_splits(file)?
    };
    ModelSummary::from_splits(&files).ok_or_else(|| bad_split(path, "no parts".into()))
}
