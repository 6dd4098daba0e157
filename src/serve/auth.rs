//! Who may use the server: API keys compared in constant time, and, on loopback, a Host check
//! against DNS rebinding (a web page whose name resolves to 127.0.0.1 must not reach the model
//! through the visitor's browser).

use super::errors::ApiError;
use anyhow::{Context, Result, bail};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// The accepted keys; empty means no authentication.
#[derive(Debug, Clone, Default)]
pub struct ApiKeys {
    keys: Vec<Vec<u8>>,
}

impl ApiKeys {
    /// Keys from `--api-key` (and `GGCHAT_API_KEY`) plus a key file, one key a line (blank lines
    /// and `#` comments skipped).
    pub fn collect(flags: &[String], file: Option<&Path>) -> Result<ApiKeys> {
        let mut keys: Vec<String> = flags.iter().map(|k| k.trim().to_owned()).collect();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the API key file {}", path.display()))?;
            keys.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned),
            );
            if keys.is_empty() {
                bail!(
                    "the API key file {} holds no key (one key a line)",
                    path.display()
                );
            }
        }
        if keys.iter().any(|k| k.is_empty()) {
            bail!("an API key is empty: give --api-key a non-empty value");
        }
        Ok(ApiKeys {
            keys: keys.into_iter().map(String::into_bytes).collect(),
        })
    }

    pub fn enabled(&self) -> bool {
        !self.keys.is_empty()
    }

    /// Whether `given` is one of the keys. Every key is compared, each in constant time, so the
    /// time taken tells nothing about which bytes matched.
    pub fn accepts(&self, given: &[u8]) -> bool {
        self.keys.iter().fold(0u8, |found, key| {
            found | key.as_slice().ct_eq(given).unwrap_u8()
        }) == 1
    }
}

/// Middleware: `Authorization: Bearer KEY` (or `x-api-key: KEY`) must name an accepted key.
pub async fn require_key(
    State(keys): State<Arc<ApiKeys>>,
    request: Request,
    next: Next,
) -> Response {
    use axum::response::IntoResponse;
    if !keys.enabled() {
        return next.run(request).await;
    }
    let headers = request.headers();
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()));
    match given {
        None => ApiError::unauthorized("no API key: send it as `Authorization: Bearer KEY`")
            .into_response(),
        Some(key) if keys.accepts(key.as_bytes()) => next.run(request).await,
        Some(_) => ApiError::unauthorized("the API key is not valid").into_response(),
    }
}

/// The Host values a loopback server answers to.
#[derive(Debug, Clone)]
pub struct HostCheck {
    port: u16,
}

impl HostCheck {
    pub fn new(port: u16) -> HostCheck {
        HostCheck { port }
    }

    /// `localhost`, `127.0.0.1` or `[::1]`, with this server's port (or none when it is 80).
    pub fn allows(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (host, Some(80)),
        };
        let loopback = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .any(|allowed| name.eq_ignore_ascii_case(allowed));
        loopback && port == Some(self.port)
    }
}

/// Middleware for loopback servers: refuses requests whose Host is another name.
pub async fn check_host(
    State(check): State<Arc<HostCheck>>,
    request: Request,
    next: Next,
) -> Response {
    use axum::response::IntoResponse;
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if check.allows(host) {
        next.run(request).await
    } else {
        ApiError::forbidden_host(&host.chars().take(100).collect::<String>()).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_exactly() {
        let keys = ApiKeys::collect(&["secret".into(), "other".into()], None).unwrap();
        assert!(keys.accepts(b"secret") && keys.accepts(b"other"));
        assert!(!keys.accepts(b"secre") && !keys.accepts(b"secrets") && !keys.accepts(b""));
        assert!(!ApiKeys::default().enabled());
    }

    #[test]
    fn key_files_skip_comments_and_refuse_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        std::fs::write(&path, "# keys\n\n k1 \nk2\n").unwrap();
        let keys = ApiKeys::collect(&[], Some(&path)).unwrap();
        assert!(keys.accepts(b"k1") && keys.accepts(b"k2"));
        std::fs::write(&path, "# none\n").unwrap();
        assert!(ApiKeys::collect(&[], Some(&path)).is_err());
        assert!(ApiKeys::collect(&[" ".into()], None).is_err());
    }

    #[test]
    fn only_loopback_names_with_the_port_pass() {
        let check = HostCheck::new(8080);
        for ok in [
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "LOCALHOST:8080",
        ] {
            assert!(check.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "localhost:9090",
            "localhost",
            "",
            "127.0.0.1.evil:8080",
            "[::1]",
        ] {
            assert!(!check.allows(bad), "{bad}");
        }
        assert!(HostCheck::new(80).allows("localhost"));
    }
}
