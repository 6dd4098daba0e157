//! Why a config file cannot be used, as data: the file, the position, the key and the kind of
//! problem, so that `Display` (English, for logs and tests) and [`ConfigError::localized`] (the
//! interface language, for the chat and the command line) say the same thing.

use crate::params::ParamError;
use std::fmt;
use std::path::PathBuf;
use thiserror::Error;

/// A config file that cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("cannot save the settings to the config file {path}: {reason}")]
    Save { path: PathBuf, reason: String },
    #[error(
        "invalid config file {path}, line {line}, column {column}{}: {problem}",
        key_suffix(.key)
    )]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        /// The dotted name (`sampling.top_k`) when known.
        key: Option<String>,
        problem: Problem,
    },
}

/// What is wrong at the reported position.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The TOML parser's own message (syntax, a wrong type, an unknown key), quoted as it is.
    Toml(String),
    /// A number outside its bounds.
    Range(ParamError),
    /// A `[backends.NAME]` name with characters other than letters, digits, `-` and `_`.
    BackendName(String),
    /// A backend setting that cannot work, in the remote client's words.
    Backend(String),
    /// A key binding that cannot work, in the keymap's words.
    Keys(String),
    /// `ui.language` names no language ggchat speaks.
    Language(String),
}

fn key_suffix(key: &Option<String>) -> String {
    key.as_ref()
        .map(|k| format!(", key `{k}`"))
        .unwrap_or_default()
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Toml(message) | Problem::Backend(message) | Problem::Keys(message) => {
                f.write_str(message)
            }
            Problem::Range(e) => write!(f, "{e}"),
            Problem::BackendName(name) => write!(
                f,
                "backend name \"{name}\" may only hold letters, digits, - and _"
            ),
            Problem::Language(value) => write!(
                f,
                "unknown language \"{value}\": use \"en\" (English) or \"zh-CN\" (Simplified Chinese)"
            ),
        }
    }
}

impl Problem {
    /// The problem in the interface language; the words of toml, the remote client and the
    /// keymap are quoted as they are.
    pub fn localized(&self) -> String {
        use crate::tr;
        match self {
            Problem::Toml(message) | Problem::Backend(message) | Problem::Keys(message) => {
                message.clone()
            }
            Problem::Range(e) => e.localized(),
            Problem::BackendName(name) => tr!("config-backend-name", name = name.as_str()),
            Problem::Language(value) => tr!("config-language", value = value.as_str()),
        }
    }
}

impl ConfigError {
    /// The error worded in the interface language, with the same file, position and key as
    /// `Display` (which stays English for logs).
    pub fn localized(&self) -> String {
        use crate::tr;
        match self {
            ConfigError::Read { path, reason } => tr!(
                "config-read",
                path = path.display().to_string(),
                reason = reason.as_str()
            ),
            ConfigError::Save { path, reason } => tr!(
                "config-save",
                path = path.display().to_string(),
                reason = reason.as_str()
            ),
            ConfigError::Invalid {
                path,
                line,
                column,
                key,
                problem,
            } => {
                let path = path.display().to_string();
                let (line, column, problem) =
                    (line.to_string(), column.to_string(), problem.localized());
                match key {
                    Some(key) => tr!(
                        "config-invalid-key",
                        path = path,
                        line = line,
                        column = column,
                        key = key.as_str(),
                        problem = problem
                    ),
                    None => tr!(
                        "config-invalid",
                        path = path,
                        line = line,
                        column = column,
                        problem = problem
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::i18n::check::assert_translated;
    use crate::i18n::{Lang, with_language};

    fn invalid(key: Option<&str>, problem: Problem) -> ConfigError {
        ConfigError::Invalid {
            path: "/home/u/.config/ggchat/config.toml".into(),
            line: 17,
            column: 9,
            key: key.map(str::to_owned),
            problem,
        }
    }

    #[test]
    fn every_config_error_is_worded_in_both_languages_with_its_data() {
        let path = "/home/u/.config/ggchat/config.toml";
        let range = ParamError {
            name: "top_k",
            value: "-3".into(),
            expected: "0 to 100000 (0 = off)",
        };
        let cases: Vec<(ConfigError, Vec<&str>)> = vec![
            (
                ConfigError::Read {
                    path: path.into(),
                    reason: "EISDIR".into(),
                },
                vec![path, "EISDIR"],
            ),
            (
                ConfigError::Save {
                    path: path.into(),
                    reason: "EROFS".into(),
                },
                vec![path, "EROFS"],
            ),
            (
                invalid(Some("sampling.top_k"), Problem::Range(range)),
                vec![path, "17", "9", "sampling.top_k", "top_k = -3", "100000"],
            ),
            (
                invalid(None, Problem::Toml("expected `=`".into())),
                vec![path, "17", "9", "expected `=`"],
            ),
            (
                invalid(Some("backends.a b."), Problem::BackendName("a b".into())),
                vec![path, "backends.a b.", "a b"],
            ),
            (
                invalid(Some("ui.language"), Problem::Language("klingon".into())),
                vec![path, "ui.language", "klingon", "zh-CN"],
            ),
        ];
        for (error, data) in &cases {
            assert_translated(|| error.localized(), data);
            let en = with_language(Lang::En, || error.localized());
            assert_eq!(en, error.to_string(), "English wording is the Display text");
        }
    }

    #[test]
    fn a_bad_value_in_a_file_is_explained_in_chinese() {
        let error = Config::parse("[sampling]\ntemperature = 9\n", "c.toml".as_ref()).unwrap_err();
        let zh = assert_translated(
            || error.localized(),
            &["c.toml", "sampling.temperature", "temperature = 9"],
        );
        assert!(zh.contains("第 2 行"), "{zh}");
        assert!(zh.contains("贪心"), "the range is translated too: {zh}");
    }
}
