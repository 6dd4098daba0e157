//! The config file: `config.toml` in the config directory.
//!
//! `assets/default-config.toml` is the commented default, embedded in the binary so users can see
//! every key. A user file only needs the keys it changes. Precedence: command-line flag, then
//! session, then this file, then the defaults. Every error names the file, line, column and key.

use crate::params::{ModelParams, SamplingParams};
use crate::remote::BackendConfig;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod error;
mod guard;

pub use error::{ConfigError, Problem};
pub use guard::{GuardConfig, MAX_CHECK_TIMEOUT_MS};

/// The commented default config.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/default-config.toml");

/// The start of a config file written by "save as defaults" when there was none.
const SAVED_HEADER: &str = "\
# ggchat configuration. \"Save as defaults\" in the settings pane (F2) writes the settings
# changed there; every other key keeps its default. The commented default, with every key:
# assets/default-config.toml in the ggchat sources.
";

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
    /// Remote OpenAI-compatible servers, `[backends.NAME]` (see `crate::remote`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub backends: BTreeMap<String, BackendConfig>,
    /// Where `ggchat pull` fetches models from.
    pub pull: PullConfig,
    /// The `[ui]` table: the interface language.
    pub ui: UiConfig,
    /// `[keys.CONTEXT]` tables: `action = "key"` or a list (see `crate::tui::keymap`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: crate::tui::keymap::KeysConfig,
    /// The `[guard]` table: content-safety rule files (see `crate::guard`).
    #[serde(skip_serializing_if = "GuardConfig::is_empty")]
    pub guard: GuardConfig,
    /// The `[thinking]` table: reasoning tags and history (see `crate::engine::reasoning`).
    #[serde(skip_serializing_if = "ThinkingSettings::is_default")]
    pub thinking: ThinkingSettings,
    /// The `[sessions]` table: the KV snapshot cache (see `crate::engine::snapshot`).
    #[serde(skip_serializing_if = "SessionsConfig::is_default")]
    pub sessions: SessionsConfig,
}

/// The `[sessions]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionsConfig {
    /// The most disk space KV snapshots may take, in MiB (least recently used go first); 0 turns
    /// snapshots off.
    pub snapshot_cache_mb: u64,
}

impl Default for SessionsConfig {
    fn default() -> Self {
        SessionsConfig {
            snapshot_cache_mb: 1024,
        }
    }
}

impl SessionsConfig {
    fn is_default(&self) -> bool {
        *self == SessionsConfig::default()
    }

    /// The cap in bytes.
    pub fn snapshot_cache_bytes(&self) -> u64 {
        self.snapshot_cache_mb.saturating_mul(1024 * 1024)
    }
}

/// The `[thinking]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThinkingSettings {
    /// Reasoning start and end tags beyond the built-in ones, e.g. `[["<r>", "</r>"]]`.
    pub tags: Vec<[String; 2]>,
    /// Send earlier replies' reasoning back to the model (off: only the answers).
    pub keep_in_history: bool,
}

impl ThinkingSettings {
    fn is_default(&self) -> bool {
        *self == ThinkingSettings::default()
    }
}

/// The `[ui]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiConfig {
    /// `"en"` or `"zh-CN"`; unset = from the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The `[pull]` table: the default hub and the endpoints (mirrors) of each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PullConfig {
    /// The hub used without `--from` or a `modelscope:` prefix.
    pub source: crate::pull::SourceKind,
    /// Hugging Face endpoint; the `HF_ENDPOINT` environment variable wins over it.
    pub hf_endpoint: Option<String>,
    pub modelscope_endpoint: Option<String>,
}

impl Default for PullConfig {
    fn default() -> Self {
        PullConfig {
            source: crate::pull::SourceKind::HuggingFace,
            hf_endpoint: None,
            modelscope_endpoint: None,
        }
    }
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
            backends: BTreeMap::new(),
            pull: PullConfig::default(),
            ui: UiConfig::default(),
            keys: BTreeMap::new(),
            guard: GuardConfig::default(),
            thinking: ThinkingSettings::default(),
            sessions: SessionsConfig::default(),
        }
    }
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

/// The dotted name (`table.key`) of the `key = value` line that holds byte `offset`, if that
/// line is one. toml's messages do not name the key of a bad value ("invalid type: string
/// \"forty\", expected i32"), and the names they put in backticks are often not keys ("expected
/// `=`", "integer `3`"), so the key is read from the text at the error's position instead.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let key = text[start..end].split_once('=')?.0.trim();
    if key.is_empty() || key.starts_with(['[', '#']) {
        return None;
    }
    let table = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .and_then(|l| l.trim_start_matches('[').split(']').next())
        .map(str::trim)
        .unwrap_or_default();
    Some(if table.is_empty() {
        key.to_owned()
    } else {
        format!("{table}.{key}")
    })
}

impl Config {
    /// Parses config text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start);
            let (line, column) = offset.map_or((1, 1), |o| line_column(text, o));
            let message = e.message().trim().to_owned();
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key: offset.and_then(|o| key_at(text, o)),
                problem: Problem::Toml(message),
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
                key: Some(format!("{table}.{}", e.name)),
                problem: Problem::Range(e),
            }
        };
        self.sampling
            .validate()
            .map_err(|e| range_error("sampling", e))?;
        self.model.validate().map_err(|e| range_error("model", e))?;
        for (name, backend) in &self.backends {
            let table = format!("backends.{name}");
            let invalid = |key: &str, problem: Problem| {
                let offset = locate_key(text, &table, key)
                    .or_else(|| text.find(&format!("[{table}]")))
                    .unwrap_or(0);
                let (line, column) = line_column(text, offset);
                ConfigError::Invalid {
                    path: path.to_owned(),
                    line,
                    column,
                    key: Some(format!("{table}.{key}")),
                    problem,
                }
            };
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid("", Problem::BackendName(name.clone())));
            }
            backend
                .validate()
                .map_err(|e| invalid(e.key, Problem::Backend(e.message)))?;
        }
        if let Err(e) = crate::tui::keymap::Keymap::from_config(&self.keys) {
            let table = format!("keys.{}", e.context);
            let offset = e
                .action
                .as_deref()
                .and_then(|action| locate_key(text, &table, action))
                .or_else(|| text.find(&format!("[{table}]")))
                .or_else(|| locate_key(text, "keys", &e.context))
                .unwrap_or(0);
            let (line, column) = line_column(text, offset);
            let key = match &e.action {
                Some(action) => format!("{table}.{action}"),
                None => table,
            };
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key: Some(key),
                problem: Problem::Keys(e.message),
            });
        }
        if let Some(language) = &self.ui.language
            && crate::i18n::Lang::parse(language).is_none()
        {
            let offset = locate_key(text, "ui", "language").unwrap_or(0);
            let (line, column) = line_column(text, offset);
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                key: Some("ui.language".to_owned()),
                problem: Problem::Language(language.clone()),
            });
        }
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

    /// Writes the whole config to `path`, replacing the file (atomically, owner-only).
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let error = |reason: String| ConfigError::Save {
            path: path.to_owned(),
            reason,
        };
        let body = toml::to_string_pretty(self).map_err(|e| error(e.to_string()))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| error(format!("cannot create the folder: {e}")))?;
        }
        let text = format!("{SAVED_HEADER}\n{body}");
        crate::store::fsio::write_atomic(path, text.as_bytes()).map_err(|e| error(e.to_string()))
    }

    /// Writes this config's values of `keys` (`(table, key)`, table "" for the top level) into
    /// the config file at `path`, leaving the rest of the file as it was: comments, order and
    /// every other key. A key whose value is unset (`None`, "automatic") is removed so that the
    /// default applies. The file is replaced atomically and is owner-only (0600).
    pub fn save_keys(&self, path: &Path, keys: &[(&str, &str)]) -> Result<(), ConfigError> {
        let error = |reason: String| ConfigError::Save {
            path: path.to_owned(),
            reason,
        };
        let existing = match std::fs::read_to_string(path) {
            Ok(text) => {
                // A broken file is the user's to fix; saving over it would lose what they wrote.
                Config::parse(&text, path).map_err(|e| error(e.to_string()))?;
                text
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SAVED_HEADER.to_owned(),
            Err(e) => return Err(error(e.to_string())),
        };
        let mut doc: toml_edit::DocumentMut =
            existing.parse().map_err(|e| error(format!("{e}")))?;
        let values: toml_edit::DocumentMut = toml::to_string(self)
            .map_err(|e| error(e.to_string()))?
            .parse()
            .map_err(|e| error(format!("{e}")))?;
        for &(table, key) in keys {
            let new = if table.is_empty() {
                values.get(key)
            } else {
                values.get(table).and_then(|t| t.get(key))
            }
            .and_then(|item| item.as_value())
            .cloned();
            let target = if table.is_empty() {
                doc.as_table_mut() as &mut dyn toml_edit::TableLike
            } else {
                doc.entry(table)
                    .or_insert_with(toml_edit::table)
                    .as_table_like_mut()
                    .ok_or_else(|| error(format!("`{table}` is not a table")))?
            };
            match new {
                Some(mut value) => {
                    // Keep a trailing comment (`temperature = 0.7  # 0 = greedy`).
                    if let Some(old) = target.get(key).and_then(|item| item.as_value()) {
                        *value.decor_mut() = old.decor().clone();
                    }
                    target.insert(key, toml_edit::Item::Value(value));
                }
                None => {
                    target.remove(key);
                }
            }
        }
        let text = doc.to_string();
        Config::parse(&text, path).map_err(|e| error(format!("the result would not load: {e}")))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| error(format!("cannot create the folder: {e}")))?;
        }
        crate::store::fsio::write_atomic(path, text.as_bytes()).map_err(|e| error(e.to_string()))
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
    fn saved_keys_load_back_and_the_rest_of_the_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        let mut config = Config::default();
        config.sampling.temperature = 0.3;
        config.sampling.seed = Some(5);
        config.model.ctx_size = Some(1024);
        config.system_prompt = "a one-off".into();
        let keys = [
            ("sampling", "temperature"),
            ("sampling", "seed"),
            ("model", "ctx_size"),
        ];
        config.save_keys(&path, &keys).unwrap();
        let loaded = Config::load(&path).unwrap();
        assert_eq!(loaded.sampling, config.sampling);
        assert_eq!(loaded.model, config.model);
        assert_eq!(loaded.system_prompt, Config::default().system_prompt);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // "automatic" again removes the key; the user's comment and key stay.
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("# mine\n{text}")).unwrap();
        config.model.ctx_size = None;
        config.save_keys(&path, &[("model", "ctx_size")]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# mine\n"), "{text}");
        assert!(!text.contains("ctx_size"), "{text}");
        assert!(text.contains("temperature = 0.3"), "{text}");
    }

    #[test]
    fn the_key_is_read_from_the_line_of_the_error() {
        let text = "top = 1\n[sampling]\ntop_k = \"forty\"\n# a = b\n[[x]]\n";
        assert_eq!(key_at(text, 2).as_deref(), Some("top"));
        assert_eq!(key_at(text, 27).as_deref(), Some("sampling.top_k"));
        assert_eq!(key_at(text, 9), None, "a table header is not a key");
        assert_eq!(key_at(text, 38), None, "nor is a comment");
        assert_eq!(key_at(text, 10_000), None);
        assert_eq!(key_at("é = 1", 1).as_deref(), Some("é"));
    }

    #[test]
    fn backend_tables_are_read_and_bad_values_name_their_key() {
        let text = "[backends.gpu]\nurl = \"http://gpu-box:8080/v1\"\napi_key_env = \"GPU_KEY\"\nidle_timeout = 5\n";
        let parsed = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(
            parsed.backends["gpu"].api_key_env.as_deref(),
            Some("GPU_KEY")
        );
        assert_eq!(parsed.backends["gpu"].idle_timeout, 5.0);
        let bad = text.replace("GPU_KEY", "sk-live-1234");
        let err = Config::parse(&bad, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("backends.gpu.api_key_env") && err.contains("line 3"),
            "{err}"
        );
        let bad = text.replace("idle_timeout = 5", "idle_timeout = -1");
        let err = Config::parse(&bad, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("backends.gpu.idle_timeout"), "{err}");
        let err = Config::parse(
            "[backends.x]\nurl = \"http://h/v1\"\nkey = \"k\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown field `key`"), "{err}");
    }

    #[test]
    fn the_pull_table_names_source_and_endpoints() {
        let text = "[pull]\nsource = \"modelscope\"\nmodelscope_endpoint = \"http://m\"\n";
        let parsed = Config::parse(text, Path::new("c.toml")).unwrap();
        assert_eq!(parsed.pull.source, crate::pull::SourceKind::ModelScope);
        assert_eq!(parsed.pull.modelscope_endpoint.as_deref(), Some("http://m"));
        let err = Config::parse("[pull]\nsource = \"github\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("pull.source"), "{err}");
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("", 0), (1, 1));
    }
}
