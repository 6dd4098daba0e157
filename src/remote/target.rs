//! Which server to talk to: a `[backends.NAME]` table of config.toml, or a bare URL from
//! `--backend`. The config holds the *name* of the environment variable with the key, never the key,
//! so config files and sessions can be shared; the key is read from the environment only when a
//! request is sent.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Default seconds to open a TCP (and TLS) connection.
pub const DEFAULT_CONNECT_TIMEOUT: f64 = 10.0;
/// Default seconds from sending a request to its first token (a long prompt on a busy server).
pub const DEFAULT_FIRST_TOKEN_TIMEOUT: f64 = 300.0;
/// Default seconds of silence allowed between two chunks of a reply.
pub const DEFAULT_IDLE_TIMEOUT: f64 = 60.0;

/// The key variable used with a bare URL when `--api-key-env` is not given.
pub const DEFAULT_KEY_ENV: &str = "OPENAI_API_KEY";

/// One `[backends.NAME]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackendConfig {
    /// Base URL of the OpenAI-compatible API, e.g. `http://gpu-box:8080/v1`.
    pub url: String,
    /// Name of the environment variable that holds the API key (never the key itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
    /// The server's model id to use when `--model` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default = "connect_default")]
    pub connect_timeout: f64,
    #[serde(default = "first_token_default")]
    pub first_token_timeout: f64,
    #[serde(default = "idle_default")]
    pub idle_timeout: f64,
}

fn connect_default() -> f64 {
    DEFAULT_CONNECT_TIMEOUT
}
fn first_token_default() -> f64 {
    DEFAULT_FIRST_TOKEN_TIMEOUT
}
fn idle_default() -> f64 {
    DEFAULT_IDLE_TIMEOUT
}

/// A bad value in a backend table: the key (`url`, `api_key_env`, ...) and why.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{message}")]
pub struct BackendError {
    pub key: &'static str,
    pub message: String,
}

impl BackendConfig {
    /// A table for a bare URL with default timeouts.
    pub fn for_url(url: &str, api_key_env: Option<String>) -> BackendConfig {
        BackendConfig {
            url: url.to_owned(),
            api_key_env,
            model: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            first_token_timeout: DEFAULT_FIRST_TOKEN_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }

    /// Checks every value; the error names the key.
    pub fn validate(&self) -> Result<(), BackendError> {
        check_url(&self.url).map_err(|message| BackendError {
            key: "url",
            message,
        })?;
        if let Some(var) = &self.api_key_env {
            check_env_name(var).map_err(|message| BackendError {
                key: "api_key_env",
                message,
            })?;
        }
        if let Some(model) = &self.model
            && model.trim().is_empty()
        {
            return Err(BackendError {
                key: "model",
                message: "model is empty: name one of the server's model ids, or leave it out"
                    .into(),
            });
        }
        for (key, value) in [
            ("connect_timeout", self.connect_timeout),
            ("first_token_timeout", self.first_token_timeout),
            ("idle_timeout", self.idle_timeout),
        ] {
            if !(value.is_finite() && value > 0.0 && value <= 86_400.0) {
                return Err(BackendError {
                    key,
                    message: format!(
                        "{key} = {value} is out of range: above 0 and at most 86400 seconds"
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Accepts `http://` and `https://` URLs with a host.
pub fn check_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|e| {
        format!("url \"{url}\" is not a URL ({e}): write e.g. http://127.0.0.1:8080/v1")
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(format!(
            "url \"{url}\" must start with http:// or https:// and name a host, e.g. http://127.0.0.1:8080/v1"
        ));
    }
    Ok(())
}

/// An environment variable name: letters, digits and `_`, not starting with a digit. A value that
/// looks like a key is refused with a hint, so that no key is written in a config file.
pub fn check_env_name(var: &str) -> Result<(), String> {
    let ok = !var.is_empty()
        && !var.starts_with(|c: char| c.is_ascii_digit())
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(
            "api_key_env must be the NAME of an environment variable (e.g. OPENAI_API_KEY), not the key itself"
                .into(),
        )
    }
}

/// Everything the remote engine needs to connect.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteTarget {
    /// The `[backends.NAME]` name, `None` for a bare URL.
    pub name: Option<String>,
    /// Base URL without a trailing slash (`.../v1`).
    pub base_url: String,
    /// Variable holding the key; read when a request is sent.
    pub api_key_env: Option<String>,
    /// Model id asked for (`--model` or the table's `model`); `None` takes the server's first.
    pub model: Option<String>,
    pub connect_timeout: Duration,
    pub first_token_timeout: Duration,
    pub idle_timeout: Duration,
}

impl RemoteTarget {
    pub fn from_config(name: Option<&str>, config: &BackendConfig, model: Option<&str>) -> Self {
        RemoteTarget {
            name: name.map(str::to_owned),
            base_url: config.url.trim().trim_end_matches('/').to_owned(),
            api_key_env: config.api_key_env.clone(),
            model: model.map(str::to_owned).or_else(|| config.model.clone()),
            connect_timeout: Duration::from_secs_f64(config.connect_timeout),
            first_token_timeout: Duration::from_secs_f64(config.first_token_timeout),
            idle_timeout: Duration::from_secs_f64(config.idle_timeout),
        }
    }

    /// How this backend is named in messages: its config name, else its URL.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("backend '{name}' ({})", self.base_url),
            None => self.base_url.clone(),
        }
    }

    /// The key from the environment, if the variable is set and not empty.
    pub fn api_key(&self) -> Option<String> {
        let var = self.api_key_env.as_deref()?;
        std::env::var(var).ok().filter(|k| !k.trim().is_empty())
    }
}

/// Whether `--backend` names a URL rather than a configured backend.
pub fn is_url(backend: &str) -> bool {
    let b = backend.trim();
    b.starts_with("http://") || b.starts_with("https://")
}

/// Resolves `--backend NAME|URL` against the configured backends. With a URL, the key variable is
/// `api_key_env`, else `OPENAI_API_KEY` when that is set.
pub fn resolve(
    backend: &str,
    backends: &BTreeMap<String, BackendConfig>,
    api_key_env: Option<&str>,
    model: Option<&str>,
) -> anyhow::Result<RemoteTarget> {
    if is_url(backend) {
        let key_env = match api_key_env {
            Some(var) => {
                check_env_name(var).map_err(|e| anyhow::anyhow!("--api-key-env: {e}"))?;
                Some(var.to_owned())
            }
            None => std::env::var_os(DEFAULT_KEY_ENV).map(|_| DEFAULT_KEY_ENV.to_owned()),
        };
        let config = BackendConfig::for_url(backend, key_env);
        config
            .validate()
            .map_err(|e| anyhow::anyhow!("--backend: {e}"))?;
        return Ok(RemoteTarget::from_config(None, &config, model));
    }
    let Some(config) = backends.get(backend) else {
        let known: Vec<&str> = backends.keys().map(String::as_str).collect();
        anyhow::bail!(
            "no backend named '{backend}': {}; or pass a URL such as http://127.0.0.1:8080/v1",
            if known.is_empty() {
                "config.toml has no [backends.NAME] tables".to_owned()
            } else {
                format!("the configured backends are {}", known.join(", "))
            }
        );
    };
    let mut target = RemoteTarget::from_config(Some(backend), config, model);
    if let Some(var) = api_key_env {
        check_env_name(var).map_err(|e| anyhow::anyhow!("--api-key-env: {e}"))?;
        target.api_key_env = Some(var.to_owned());
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_in_place_of_a_variable_name_is_refused() {
        let mut config = BackendConfig::for_url("http://127.0.0.1:1/v1", None);
        config.api_key_env = Some("sk-abc123-def".into());
        let err = config.validate().unwrap_err();
        assert_eq!(err.key, "api_key_env");
        assert!(
            err.message.contains("NAME of an environment variable"),
            "{err}"
        );
    }

    #[test]
    fn urls_and_timeouts_are_checked() {
        let mut config = BackendConfig::for_url("ftp://x/v1", None);
        assert_eq!(config.validate().unwrap_err().key, "url");
        config.url = "http://127.0.0.1:8080/v1/".into();
        config.idle_timeout = 0.0;
        assert_eq!(config.validate().unwrap_err().key, "idle_timeout");
        config.idle_timeout = 5.0;
        config.validate().unwrap();
        let target = RemoteTarget::from_config(Some("x"), &config, None);
        assert_eq!(target.base_url, "http://127.0.0.1:8080/v1");
    }

    #[test]
    fn unknown_names_list_the_configured_ones() {
        let mut backends = BTreeMap::new();
        backends.insert(
            "gpu".into(),
            BackendConfig::for_url("http://127.0.0.1:1/v1", None),
        );
        let err = resolve("cpu", &backends, None, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no backend named 'cpu'") && err.contains("gpu"),
            "{err}"
        );
        let target = resolve("gpu", &backends, None, Some("m")).unwrap();
        assert_eq!(target.name.as_deref(), Some("gpu"));
        assert_eq!(target.model.as_deref(), Some("m"));
    }
}
