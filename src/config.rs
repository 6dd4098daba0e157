//! The config file: `config.toml` in the config directory.
//!
//! `assets/default-config.toml` is the commented default, embedded in the binary so users can see
//! every key. A user file only needs the keys it changes. Precedence: command-line flag, then
//! session, then this file, then the defaults. Every error names the file, line, column and key.

use crate::params::{ModelParams, SamplingParams};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The commented default config.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/default-config.toml");

/// The settings a config file can hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// A model path, or a file name in the model directories.
    pub default_model: Option<String>,
    pub model_dirs: Vec<PathBuf>,
    /// Forced chat template; empty = the model's own.
    pub template: String,
    pub system_prompt: String,
    pub sampling: SamplingParams,
    pub model: ModelParams,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            default_model: None,
            model_dirs: Vec::new(),
            template: String::new(),
            system_prompt: "You are a helpful, concise assistant.".into(),
            sampling: SamplingParams::default(),
            model: ModelParams::default(),
        }
    }
}

/// A config file that cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    #[error("cannot read the config file {path}: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("invalid config file {path}, line {line}, column {column}{key}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        /// ", key `name`" when known.
        key: String,
        message: String,
    },
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Position of `key = ...` inside `[table]` (or at the top level when `table` is empty).
fn locate_key(text: &str, table: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.split(']').next()) {
            current = name.trim().to_owned();
        } else if current == table
            && trimmed
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(offset + (line.len() - line.trim_start().len()));
        }
        offset += line.len();
    }
    None
}

fn key_from_message(message: &str) -> Option<String> {
    // toml and serde name the offending key in backticks: "unknown field `tempx`".
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

impl Config {
    /// Parses config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            let message = e.message().trim().to_owned();
            let key = key_from_message(&message)
                .map(|k| format!(", key `{k}`"))
                .unwrap_or_default();
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key,
                message,
            }
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let range_error = |table: &str, e: crate::params::ParamError| {
            let offset = locate_key(text, table, e.name).unwrap_or(0);
            let (line, column) = line_column(text, offset);
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key: format!(", key `{table}.{}`", e.name),
                message: e.to_string(),
            }
        };
        self.sampling
            .validate()
            .map_err(|e| range_error("sampling", e))?;
        self.model.validate().map_err(|e| range_error("model", e))?;
        Ok(())
    }

    /// Loads `path`, or the defaults when it does not exist.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError::Read {
                path: path.to_owned(),
                reason: e.to_string(),
            }),
        }
    }

    /// Writes this config to `path` (atomically: a temporary file, then a rename).
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let error = |e: String| ConfigError::Read {
            path: path.to_owned(),
            reason: e,
        };
        let body = toml::to_string_pretty(self).map_err(|e| error(e.to_string()))?;
        let text = format!(
            "# ggchat configuration, written by \"save as defaults\" in the settings pane.\n\
             # See the commented default: `assets/default-config.toml` in the ggchat sources.\n\n{body}"
        );
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| error(e.to_string()))?;
        }
        let temporary = path.with_extension("toml.tmp");
        std::fs::write(&temporary, text).map_err(|e| error(e.to_string()))?;
        std::fs::rename(&temporary, path).map_err(|e| error(e.to_string()))
    }

    /// The template choice this config asks for.
    pub fn template_choice(&self) -> crate::engine::TemplateChoice {
        if self.template.trim().is_empty() {
            crate::engine::TemplateChoice::FromModel
        } else {
            crate::engine::TemplateChoice::Named(self.template.trim().to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_is_the_default() {
        let parsed = Config::parse(DEFAULT_CONFIG, Path::new("default-config.toml")).unwrap();
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn a_partial_file_keeps_other_defaults() {
        let parsed = Config::parse("[sampling]\ntemperature = 0.2\n", Path::new("c.toml")).unwrap();
        assert_eq!(parsed.sampling.temperature, 0.2);
        assert_eq!(parsed.sampling.top_k, 40);
    }

    #[test]
    fn saved_config_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        let mut config = Config::default();
        config.sampling.temperature = 0.3;
        config.sampling.seed = Some(5);
        config.model.ctx_size = Some(1024);
        config.save(&path).unwrap();
        assert_eq!(Config::load(&path).unwrap(), config);
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("", 0), (1, 1));
    }
}
