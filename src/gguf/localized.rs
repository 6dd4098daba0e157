//! [`GgufError`] in the interface language: the model picker and a failed load show it in the
//! chat, `ask` and `models` print it. Each variant is one message in `assets/i18n/*.ftl` with the
//! same path, numbers and names as the English `Display`; the parts that come from inside the
//! file or the system (the position `what`, an I/O reason, a split's detail) are quoted as they
//! are.

use super::GgufError;
use crate::i18n::{Arg, text};

/// The hints `parse` chooses from, each with its message.
const HINTS: &[(&str, &str)] = &[
    (
        "it looks like an HTML/XML page (an error page saved instead of the model?); re-download the model",
        "gguf-hint-html",
    ),
    (
        "it looks like a Git LFS pointer, not the model itself; run `git lfs pull` or download the file directly",
        "gguf-hint-lfs",
    ),
    (
        "it looks like a JSON file, not a model; choose the .gguf file",
        "gguf-hint-json",
    ),
    (
        "it looks like a ZIP archive (PyTorch checkpoint?); download a GGUF conversion of the model",
        "gguf-hint-zip",
    ),
    (
        "this is a legacy GGML/GGJT model; download a GGUF version of the model",
        "gguf-hint-ggml",
    ),
    (
        "ggchat can only load GGUF (.gguf) models; re-download the model or choose another file",
        "gguf-hint-not-gguf",
    ),
    (
        "the file is corrupt; re-download the model",
        "gguf-hint-version-0",
    ),
    (
        "GGUF version 1 is obsolete; download a recent conversion of the model",
        "gguf-hint-version-1",
    ),
    (
        "this is a big-endian GGUF file; download the little-endian version of the model",
        "gguf-hint-big-endian",
    ),
    (
        "the file needs a newer ggchat, or it is corrupt",
        "gguf-hint-newer",
    ),
];

fn hint(english: &str) -> String {
    HINTS
        .iter()
        .find(|(en, _)| *en == english)
        .map_or_else(|| english.to_owned(), |(_, id)| text(id, &[]))
}

fn n(value: impl ToString) -> Arg<'static> {
    Arg::from(value.to_string())
}

fn s(value: &str) -> Arg<'_> {
    Arg::from(value)
}

impl GgufError {
    /// The error worded in the interface language.
    pub fn localized(&self) -> String {
        use GgufError::*;
        let path = self.path().display().to_string();
        let path = ("path", Arg::from(path.as_str()));
        let (id, mut args): (&str, Vec<(&str, Arg<'_>)>) = match self {
            NotFound { .. } => ("gguf-not-found", vec![]),
            PermissionDenied { .. } => ("gguf-permission-denied", vec![]),
            IsDirectory { .. } => ("gguf-is-directory", vec![]),
            NotRegularFile { .. } => ("gguf-not-regular", vec![]),
            Io { source, .. } => ("gguf-io", vec![("reason", n(source))]),
            Empty { .. } => ("gguf-empty", vec![]),
            BadMagic { found, hint: h, .. } => (
                "gguf-bad-magic",
                vec![("found", s(found)), ("hint", Arg::from(hint(h)))],
            ),
            UnsupportedVersion {
                version, hint: h, ..
            } => (
                "gguf-unsupported-version",
                vec![("version", n(version)), ("hint", Arg::from(hint(h)))],
            ),
            Truncated {
                what, file_size, ..
            } => (
                "gguf-truncated",
                vec![("what", s(what)), ("file_size", n(file_size))],
            ),
            CountTooLarge {
                what, file_size, ..
            } => (
                "gguf-count-too-large",
                vec![("what", s(what)), ("file_size", n(file_size))],
            ),
            InvalidUtf8 { what, offset, .. } => (
                "gguf-invalid-utf8",
                vec![("what", s(what)), ("offset", n(offset))],
            ),
            NameTooLong {
                what,
                offset,
                len,
                max,
                ..
            } => (
                "gguf-name-too-long",
                vec![
                    ("what", s(what)),
                    ("offset", n(offset)),
                    ("len", n(len)),
                    ("max", n(max)),
                ],
            ),
            EmptyKey { index, offset, .. } => (
                "gguf-empty-key",
                vec![("index", n(index)), ("offset", n(offset))],
            ),
            BadValueType {
                key, value_type, ..
            } => (
                "gguf-bad-value-type",
                vec![("key", s(key)), ("value_type", n(value_type))],
            ),
            NestingTooDeep { key, max, .. } => (
                "gguf-nesting-too-deep",
                vec![("key", s(key)), ("max", n(max))],
            ),
            DuplicateKey { key, .. } => ("gguf-duplicate-key", vec![("key", s(key))]),
            WrongKeyType {
                key,
                expected,
                found,
                ..
            } => (
                "gguf-wrong-key-type",
                vec![
                    ("key", s(key)),
                    ("expected", s(expected)),
                    ("found", s(found)),
                ],
            ),
            BadAlignment { alignment, .. } => {
                ("gguf-bad-alignment", vec![("alignment", n(alignment))])
            }
            DuplicateTensor { name, .. } => ("gguf-duplicate-tensor", vec![("name", s(name))]),
            TooManyDims { name, n_dims, .. } => (
                "gguf-too-many-dims",
                vec![("name", s(name)), ("n_dims", n(n_dims))],
            ),
            UnknownTensorType {
                name, ggml_type, ..
            } => (
                "gguf-unknown-tensor-type",
                vec![("name", s(name)), ("ggml_type", n(ggml_type))],
            ),
            ShapeOverflow { name, dims, .. } => (
                "gguf-shape-overflow",
                vec![("name", s(name)), ("dims", Arg::from(format!("{dims:?}")))],
            ),
            BadRowSize {
                name,
                row,
                type_name,
                block_size,
                ..
            } => (
                "gguf-bad-row-size",
                vec![
                    ("name", s(name)),
                    ("row", n(row)),
                    ("type_name", s(type_name)),
                    ("block_size", n(block_size)),
                ],
            ),
            UnalignedOffset {
                name,
                offset,
                alignment,
                ..
            } => (
                "gguf-unaligned-offset",
                vec![
                    ("name", s(name)),
                    ("offset", n(offset)),
                    ("alignment", n(alignment)),
                ],
            ),
            TensorPastEof {
                name,
                offset,
                size,
                file_size,
                ..
            } => (
                "gguf-tensor-past-eof",
                vec![
                    ("name", s(name)),
                    ("offset", n(offset)),
                    ("size", n(size)),
                    ("file_size", n(file_size)),
                ],
            ),
            MissingSplit { index, count, .. } => (
                "gguf-missing-split",
                vec![("index", n(index)), ("count", n(count))],
            ),
            BadSplit { detail, .. } => ("gguf-bad-split", vec![("detail", s(detail))]),
        };
        args.push(path);
        text(id, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gguf::GgufFile;
    use crate::i18n::check::assert_translated;
    use crate::i18n::{Lang, with_language};
    use std::path::{Path, PathBuf};

    const PATH: &str = "/models/qwen-7b.gguf";

    fn check(error: &GgufError, data: &[&str]) {
        let mut data = data.to_vec();
        data.push(PATH);
        assert_translated(|| error.localized(), &data);
        let en = with_language(Lang::En, || error.localized());
        assert_eq!(en, error.to_string(), "English wording is the Display text");
    }

    #[test]
    fn every_variant_is_worded_in_both_languages_with_its_data() {
        use GgufError::*;
        let path = || PathBuf::from(PATH);
        let w = || "tensor name 7".to_owned();
        let cases: Vec<(GgufError, Vec<&str>)> = vec![
            (NotFound { path: path() }, vec![]),
            (PermissionDenied { path: path() }, vec!["chmod u+r"]),
            (IsDirectory { path: path() }, vec![".gguf"]),
            (NotRegularFile { path: path() }, vec!["FIFO"]),
            (
                Io {
                    path: path(),
                    source: std::io::Error::other("EIO"),
                },
                vec!["EIO"],
            ),
            (Empty { path: path() }, vec!["0"]),
            (
                Truncated {
                    path: path(),
                    what: w(),
                    file_size: 4242,
                },
                vec!["tensor name 7", "4242"],
            ),
            (
                CountTooLarge {
                    path: path(),
                    what: w(),
                    file_size: 4242,
                },
                vec!["tensor name 7", "4242"],
            ),
            (
                InvalidUtf8 {
                    path: path(),
                    what: w(),
                    offset: 99,
                },
                vec!["tensor name 7", "99"],
            ),
            (
                NameTooLong {
                    path: path(),
                    what: w(),
                    offset: 99,
                    len: 70000,
                    max: 65535,
                },
                vec!["tensor name 7", "99", "70000", "65535"],
            ),
            (
                EmptyKey {
                    path: path(),
                    index: 5,
                    offset: 321,
                },
                vec!["5", "321"],
            ),
            (
                BadValueType {
                    path: path(),
                    key: "general.name".into(),
                    value_type: 77,
                },
                vec!["'general.name'", "77", "0-12"],
            ),
            (
                NestingTooDeep {
                    path: path(),
                    key: "a.b".into(),
                    max: 8,
                },
                vec!["'a.b'", "8"],
            ),
            (
                DuplicateKey {
                    path: path(),
                    key: "a.b".into(),
                },
                vec!["'a.b'"],
            ),
            (
                WrongKeyType {
                    path: path(),
                    key: "a.b".into(),
                    expected: "u32",
                    found: "string",
                },
                vec!["'a.b'", "u32", "string"],
            ),
            (
                BadAlignment {
                    path: path(),
                    alignment: 48,
                },
                vec!["general.alignment", "48"],
            ),
            (
                DuplicateTensor {
                    path: path(),
                    name: "blk.0.q".into(),
                },
                vec!["'blk.0.q'"],
            ),
            (
                TooManyDims {
                    path: path(),
                    name: "blk.0.q".into(),
                    n_dims: 9,
                },
                vec!["'blk.0.q'", "9"],
            ),
            (
                UnknownTensorType {
                    path: path(),
                    name: "blk.0.q".into(),
                    ggml_type: 250,
                },
                vec!["'blk.0.q'", "250", "llama.cpp"],
            ),
            (
                ShapeOverflow {
                    path: path(),
                    name: "blk.0.q".into(),
                    dims: vec![1 << 40, 1 << 40],
                },
                vec!["'blk.0.q'", "[1099511627776, 1099511627776]"],
            ),
            (
                BadRowSize {
                    path: path(),
                    name: "blk.0.q".into(),
                    row: 33,
                    type_name: "Q4_0",
                    block_size: 32,
                },
                vec!["'blk.0.q'", "33", "Q4_0", "32"],
            ),
            (
                UnalignedOffset {
                    path: path(),
                    name: "blk.0.q".into(),
                    offset: 17,
                    alignment: 32,
                },
                vec!["'blk.0.q'", "17", "32"],
            ),
            (
                TensorPastEof {
                    path: path(),
                    name: "blk.0.q".into(),
                    offset: 4096,
                    size: 100,
                    file_size: 4100,
                },
                vec!["'blk.0.q'", "4096", "100", "4100"],
            ),
            (
                MissingSplit {
                    path: path(),
                    index: 2,
                    count: 3,
                },
                vec!["2", "3"],
            ),
            (
                BadSplit {
                    path: path(),
                    detail: "split.count 0".into(),
                },
                vec!["split.count 0"],
            ),
        ];
        for (error, data) in &cases {
            check(error, data);
        }
    }

    /// Each hint is one the parser really gives, word for word.
    #[test]
    fn the_hints_are_the_ones_the_parser_gives() {
        for (english, _) in HINTS {
            assert!(
                include_str!("parse.rs").contains(&format!("\"{english}\"")),
                "{english:?} is not in parse.rs"
            );
        }
    }

    /// Every hint the parser can give is translated: real headers, parsed.
    #[test]
    fn every_hint_of_a_wrong_file_is_translated() {
        let mut headers: Vec<Vec<u8>> = [
            &b"<!DOCTYPE html>"[..],
            b"version https://git-lfs",
            b"{\"a\": 1}",
            b"PK\x03\x04rest",
            b"tjggrest",
            b"\x00\x01\x02\x03rest",
        ]
        .iter()
        .map(|h| h.to_vec())
        .collect();
        for version in [0u32, 1, 3u32.swap_bytes(), 99] {
            let mut header = b"GGUF".to_vec();
            header.extend(version.to_le_bytes());
            header.extend([0; 16]);
            headers.push(header);
        }
        for header in headers {
            let error = GgufFile::from_reader(&header[..], header.len() as u64, Path::new(PATH))
                .err()
                .unwrap_or_else(|| panic!("{header:?} was accepted"));
            assert!(
                matches!(
                    error,
                    GgufError::BadMagic { .. } | GgufError::UnsupportedVersion { .. }
                ),
                "{error}"
            );
            let found = match &error {
                GgufError::BadMagic { found, .. } => found.clone(),
                _ => String::new(),
            };
            check(&error, &[&found]);
        }
    }
}
