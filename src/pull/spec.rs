//! What the user asked for (`OWNER/REPO[:QUANT|/FILE.gguf]`) and which files of the repo that is.
//!
//! Pure string work, so every rule of the choice is unit-tested without a server: a quantization
//! tag matches whole tag words only (`Q4_K` does not pick `Q4_K_M`), multimodal projectors are
//! never chosen as the model, and a split model is chosen as all of its parts or not at all.

use super::PullError;
use super::source::{RemoteFile, SourceKind};
use crate::gguf::parse_split_name;
use std::path::Path;

/// A parsed `ggchat pull` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullSpec {
    /// `modelscope:` prefix, if given.
    pub source: Option<SourceKind>,
    pub repo: String,
    pub pick: Pick,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// The only model in the repo.
    Only,
    Quant(String),
    File(String),
}

fn valid_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl PullSpec {
    pub fn parse(text: &str) -> Result<PullSpec, PullError> {
        let invalid = || PullError::InvalidSpec(text.to_owned());
        let (source, rest) = match text.split_once(':') {
            Some((p, rest)) if p.eq_ignore_ascii_case("modelscope") => {
                (Some(SourceKind::ModelScope), rest)
            }
            Some((p, rest))
                if p.eq_ignore_ascii_case("hf") || p.eq_ignore_ascii_case("huggingface") =>
            {
                (Some(SourceKind::HuggingFace), rest)
            }
            _ => (None, text),
        };
        let (path, quant) = match rest.rsplit_once(':') {
            Some((p, q)) if !q.is_empty() && !q.contains('/') => (p, Some(q)),
            Some(_) => return Err(invalid()),
            None => (rest, None),
        };
        let segments: Vec<&str> = path.split('/').collect();
        if segments.len() < 2 || !segments[..2].iter().all(|s| valid_segment(s)) {
            return Err(invalid());
        }
        let repo = format!("{}/{}", segments[0], segments[1]);
        let pick = if segments.len() > 2 {
            let file = segments[2..].join("/");
            let ok = segments[2..].iter().all(|s| valid_segment(s))
                && file.to_ascii_lowercase().ends_with(".gguf")
                && quant.is_none();
            if !ok {
                return Err(invalid());
            }
            Pick::File(file)
        } else if let Some(q) = quant {
            if !q.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(invalid());
            }
            Pick::Quant(q.to_owned())
        } else {
            Pick::Only
        };
        Ok(PullSpec { source, repo, pick })
    }
}

/// The remote files that make up one model: one file, or every part of a split model in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub files: Vec<RemoteFile>,
}

fn is_gguf(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".gguf")
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// True when `tag` appears in the file name as a whole tag (`Q4_K_M` in `x.Q4_K_M.gguf` or
/// `x-q4_k_m-00001-of-00002.gguf`, not `Q4_K` in `x-Q4_K_M.gguf`).
fn has_tag(path: &str, tag: &str) -> bool {
    let name = base_name(path).to_ascii_uppercase();
    let tag = tag.to_ascii_uppercase();
    let bytes = name.as_bytes();
    let mut from = 0;
    while let Some(at) = name[from..].find(&tag) {
        let start = from + at;
        let end = start + tag.len();
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let after_ok = end >= bytes.len() || matches!(bytes[end], b'.' | b'-');
        if before_ok && after_ok {
            return true;
        }
        from = start + 1;
    }
    false
}

/// The models of a listing: split parts grouped under their first part, projectors left out.
fn models(files: &[RemoteFile]) -> Vec<Vec<&RemoteFile>> {
    let mut out: Vec<Vec<&RemoteFile>> = Vec::new();
    for f in files.iter().filter(|f| is_gguf(&f.path)) {
        if base_name(&f.path).to_ascii_lowercase().contains("mmproj") {
            continue;
        }
        if parse_split_name(Path::new(&f.path)).is_some_and(|s| s.index > 1) {
            continue;
        }
        out.push(vec![f]);
    }
    out
}

/// Every part of the split model whose first part is `first`, or an error naming the missing one.
fn with_parts(first: &RemoteFile, files: &[RemoteFile]) -> Result<Choice, PullError> {
    let Some(split) = parse_split_name(Path::new(&first.path)) else {
        return Ok(Choice {
            files: vec![first.clone()],
        });
    };
    let mut parts = Vec::new();
    for index in 1..=split.count {
        let want = crate::gguf::split_path(&split.prefix, index, split.count);
        let found = files.iter().find(|f| Path::new(&f.path) == want);
        match found {
            Some(f) => parts.push(f.clone()),
            None => {
                return Err(PullError::IncompleteSplit {
                    file: first.path.clone(),
                    index,
                    count: split.count,
                });
            }
        }
    }
    Ok(Choice { files: parts })
}

/// One model a repo offers: a file, or a split model as its first part with the parts counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelOption {
    /// The repo path of its (first) file.
    pub path: String,
    /// Of every part.
    pub size: u64,
    pub parts: u32,
}

fn option(first: &RemoteFile, all: &[RemoteFile]) -> ModelOption {
    let parts = parse_split_name(Path::new(&first.path)).map_or(1, |s| s.count);
    let size = match with_parts(first, all) {
        Ok(c) => c.files.iter().map(|f| f.size).sum(),
        Err(_) => first.size,
    };
    ModelOption {
        path: first.path.clone(),
        size,
        parts,
    }
}

fn describe(models: &[ModelOption]) -> String {
    models
        .iter()
        .map(|m| {
            let split = if m.parts > 1 {
                format!(", {} parts", m.parts)
            } else {
                String::new()
            };
            format!(
                "  {}  ({}{split})",
                m.path,
                crate::models::human_bytes(m.size)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The models of `files` (the repo's listing) that `spec` may mean: all of them, those with its
/// quantization tag, or the file it names; an error when there is none.
pub fn options(spec: &PullSpec, files: &[RemoteFile]) -> Result<Vec<ModelOption>, PullError> {
    let repo = &spec.repo;
    let found = models(files);
    if found.is_empty() {
        let mut names: Vec<&str> = files.iter().map(|f| f.path.as_str()).take(8).collect();
        if files.len() > 8 {
            names.push("...");
        }
        return Err(PullError::NoGguf {
            repo: repo.clone(),
            files: if names.is_empty() {
                "no files".into()
            } else {
                names.join(", ")
            },
        });
    }
    let all: Vec<ModelOption> = found.iter().map(|m| option(m[0], files)).collect();
    let matching: Vec<ModelOption> = match &spec.pick {
        Pick::Only => all.clone(),
        Pick::Quant(tag) => all
            .iter()
            .filter(|m| has_tag(&m.path, tag))
            .cloned()
            .collect(),
        Pick::File(file) => files
            .iter()
            .find(|f| f.path == *file || (!file.contains('/') && base_name(&f.path) == file))
            .map(|f| option(f, files))
            .into_iter()
            .collect(),
    };
    if matching.is_empty() {
        return Err(PullError::FileNotFound {
            repo: repo.clone(),
            wanted: match &spec.pick {
                Pick::Quant(q) => format!("quantization {q}"),
                Pick::File(f) => f.clone(),
                Pick::Only => "a model".into(),
            },
            choices: describe(&all),
        });
    }
    Ok(matching)
}

/// Chooses the model file(s) `spec` asks for among `files`, the repo's listing.
pub fn choose(spec: &PullSpec, files: &[RemoteFile]) -> Result<Choice, PullError> {
    let matching = options(spec, files)?;
    match matching.as_slice() {
        [one] => match files.iter().find(|f| f.path == one.path) {
            Some(first) => with_parts(first, files),
            None => Err(PullError::InvalidSpec(one.path.clone())),
        },
        many => Err(PullError::Ambiguous {
            repo: spec.repo.clone(),
            choices: describe(many),
            options: many.iter().map(|m| m.path.clone()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> RemoteFile {
        RemoteFile {
            path: path.into(),
            size: 10,
            sha256: None,
        }
    }

    fn listing() -> Vec<RemoteFile> {
        [
            "README.md",
            "m-Q4_K_M.gguf",
            "m-Q4_K.gguf",
            "m-IQ4_K_M.gguf",
            "mmproj-m-f16.gguf",
            "Q8_0/m-Q8_0-00001-of-00002.gguf",
            "Q8_0/m-Q8_0-00002-of-00002.gguf",
        ]
        .map(file)
        .to_vec()
    }

    fn pick(spec: &str) -> Result<Vec<String>, PullError> {
        let spec = PullSpec::parse(spec)?;
        choose(&spec, &listing()).map(|c| c.files.into_iter().map(|f| f.path).collect())
    }

    #[test]
    fn specs_parse_with_source_quant_or_file() {
        let s = PullSpec::parse("modelscope:Qwen/Q-GGUF:Q4_K_M").unwrap();
        assert_eq!(s.source, Some(SourceKind::ModelScope));
        assert_eq!(s.repo, "Qwen/Q-GGUF");
        assert_eq!(s.pick, Pick::Quant("Q4_K_M".into()));
        let s = PullSpec::parse("a/b/sub/x.gguf").unwrap();
        assert_eq!(s.pick, Pick::File("sub/x.gguf".into()));
        assert_eq!(PullSpec::parse("a/b").unwrap().pick, Pick::Only);
        for bad in [
            "a",
            "a/",
            "../b",
            "a/b/x.bin",
            "a/b:",
            "a/b:Q4;rm",
            "a/b/../x.gguf",
            "a/b/x.gguf:Q4",
        ] {
            assert!(PullSpec::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quant_tags_match_whole_tags_only() {
        assert_eq!(pick("o/r:Q4_K_M").unwrap(), ["m-Q4_K_M.gguf"]);
        assert_eq!(pick("o/r:q4_k").unwrap(), ["m-Q4_K.gguf"]);
        assert_eq!(pick("o/r:IQ4_K_M").unwrap(), ["m-IQ4_K_M.gguf"]);
        let err = pick("o/r:Q2_K").unwrap_err().to_string();
        assert!(
            err.contains("quantization Q2_K") && err.contains("m-Q4_K_M.gguf"),
            "{err}"
        );
        assert!(!err.contains("mmproj"), "{err}");
    }

    #[test]
    fn a_split_model_is_chosen_whole() {
        assert_eq!(
            pick("o/r:Q8_0").unwrap(),
            [
                "Q8_0/m-Q8_0-00001-of-00002.gguf",
                "Q8_0/m-Q8_0-00002-of-00002.gguf"
            ]
        );
        let mut partial = listing();
        partial.pop();
        let spec = PullSpec::parse("o/r:Q8_0").unwrap();
        let err = choose(&spec, &partial).unwrap_err().to_string();
        assert!(err.contains("part 2 of 2 is missing"), "{err}");
    }

    #[test]
    fn several_models_are_listed_with_how_to_pick() {
        let err = pick("o/r").unwrap_err().to_string();
        assert!(err.contains("ggchat pull o/r:QUANT"), "{err}");
        assert!(
            err.contains("Q8_0/m-Q8_0-00001-of-00002.gguf") && err.contains("2 parts"),
            "{err}"
        );
        let only = vec![file("README.md"), file("x.Q4_0.gguf")];
        let spec = PullSpec::parse("o/r").unwrap();
        assert_eq!(choose(&spec, &only).unwrap().files[0].path, "x.Q4_0.gguf");
        let none = vec![file("README.md")];
        let err = choose(&spec, &none).unwrap_err().to_string();
        assert!(
            err.contains("no .gguf file") && err.contains("README.md"),
            "{err}"
        );
        assert_eq!(pick("o/r/m-Q4_K.gguf").unwrap(), ["m-Q4_K.gguf"]);
        let err = pick("o/r/nope.gguf").unwrap_err().to_string();
        assert!(
            err.contains("'nope.gguf' is not in repository 'o/r'"),
            "{err}"
        );
    }

    #[test]
    fn options_offer_a_split_model_as_one_entry() {
        let all = options(&PullSpec::parse("o/r").unwrap(), &listing()).unwrap();
        let paths: Vec<&str> = all.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "m-Q4_K_M.gguf",
                "m-Q4_K.gguf",
                "m-IQ4_K_M.gguf",
                "Q8_0/m-Q8_0-00001-of-00002.gguf"
            ]
        );
        let split = &all[3];
        assert_eq!((split.parts, split.size), (2, 20));
        let q8 = options(&PullSpec::parse("o/r:Q8_0").unwrap(), &listing()).unwrap();
        assert_eq!(q8, std::slice::from_ref(split));
        assert!(options(&PullSpec::parse("o/r:Q2_K").unwrap(), &listing()).is_err());
    }
}
