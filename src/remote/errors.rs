//! Everything that can go wrong with a remote server, each as a message that names the server and
//! says what to do. The server's own words are kept (sanitized by the front end), never dropped.

use super::protocol::ApiError;
use super::target::RemoteTarget;
use std::time::Duration;

/// A failed request to a remote backend.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("cannot connect to {label}: {detail}")]
    Connect { label: String, detail: String },
    #[error("{label} refused the request (HTTP {status}: {detail}): {hint}")]
    Auth {
        label: String,
        status: u16,
        detail: String,
        hint: String,
    },
    #[error(
        "{label} has no model '{model}'; it offers: {offered}. Pick one with --model (or `model` in the backend's table)"
    )]
    UnknownModel {
        label: String,
        model: String,
        offered: String,
    },
    #[error("{label}: the conversation does not fit the server's context{counts}: {hint}")]
    ContextExceeded {
        label: String,
        counts: String,
        hint: String,
        /// The server's counts, when it gave them (llama-server does).
        prompt_tokens: Option<u64>,
        n_ctx: Option<u64>,
    },
    #[error("{label} is busy (HTTP {status}: {detail}){retry}; try again later")]
    Busy {
        label: String,
        status: u16,
        detail: String,
        retry: String,
    },
    #[error("{label} failed (HTTP {status}: {detail})")]
    Http {
        label: String,
        status: u16,
        detail: String,
    },
    #[error("{label} sent a malformed stream chunk ({reason}): {sample}")]
    Malformed {
        label: String,
        reason: String,
        sample: String,
    },
    #[error("{label} reported an error mid-reply: {detail}")]
    InStream { label: String, detail: String },
    #[error(
        "{label} closed the connection mid-reply ({detail}); the partial reply is kept and can be continued"
    )]
    Gone { label: String, detail: String },
    #[error(
        "{label} {what} for {secs} s ({key} = {secs} in the backend's table); is the server overloaded or stuck?"
    )]
    Timeout {
        label: String,
        what: &'static str,
        key: &'static str,
        secs: String,
    },
}

/// Seconds as written in messages: `2`, `0.5`.
pub fn secs(duration: Duration) -> String {
    let s = duration.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s}")
    }
}

/// A transport error before any response: connection refused, DNS, TLS, connect timeout.
pub fn connect_error(target: &RemoteTarget, error: &reqwest::Error) -> RemoteError {
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        chain.push(e.to_string());
        source = e.source();
    }
    let all = chain.join(": ").to_lowercase();
    let detail = if error.is_timeout() || all.contains("timed out") {
        format!(
            "no connection within {} s (connect_timeout); is the host up and the port open?",
            secs(target.connect_timeout)
        )
    } else if all.contains("connection refused") {
        "connection refused: no server listens there; start it, or check the host and port".into()
    } else if all.contains("dns") || all.contains("lookup address") || all.contains("resolve") {
        "the host name does not resolve (DNS); check the spelling of the URL".into()
    } else if all.contains("certificate") || all.contains("tls") || all.contains("handshake") {
        format!(
            "TLS failed ({}); check that the URL's scheme (http or https) matches the server and that its certificate is valid",
            chain.last().cloned().unwrap_or_default()
        )
    } else {
        chain.last().cloned().unwrap_or_else(|| error.to_string())
    };
    RemoteError::Connect {
        label: target.label(),
        detail,
    }
}

/// A short, single-line excerpt of an untrusted body.
pub fn excerpt(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    let trimmed = one_line.trim();
    if trimmed.is_empty() {
        "no details".into()
    } else {
        trimmed.to_owned()
    }
}

/// An HTTP error status with its body.
pub fn status_error(
    target: &RemoteTarget,
    status: u16,
    retry_after: Option<&str>,
    body: &str,
) -> RemoteError {
    let label = target.label();
    let api = ApiError::parse(body);
    let detail = api
        .as_ref()
        .and_then(|a| a.message.clone())
        .map(|m| excerpt(&m))
        .unwrap_or_else(|| excerpt(body));
    if let Some(api) = &api
        && api.is_context_exceeded()
    {
        return context_error(target, api.n_prompt_tokens, api.n_ctx);
    }
    match status {
        401 | 403 => {
            let hint = match (&target.api_key_env, target.api_key()) {
                (Some(var), Some(_)) => format!("the key in ${var} was not accepted; set {var} to a valid key"),
                (Some(var), None) => format!("no key was sent: set the environment variable {var} to the server's key"),
                (None, _) => "no key was sent: set `api_key_env` in the backend's table (or pass --api-key-env VAR) to the name of a variable holding the key".into(),
            };
            RemoteError::Auth {
                label,
                status,
                detail,
                hint,
            }
        }
        429 | 503 => RemoteError::Busy {
            label,
            status,
            detail,
            retry: retry_after
                .map(|r| format!("; it asks to retry after {} s", excerpt(r)))
                .unwrap_or_default(),
        },
        _ => RemoteError::Http {
            label,
            status,
            detail,
        },
    }
}

pub fn context_error(
    target: &RemoteTarget,
    prompt_tokens: Option<u64>,
    n_ctx: Option<u64>,
) -> RemoteError {
    let counts = match (prompt_tokens, n_ctx) {
        (Some(p), Some(c)) => format!(" ({p} prompt tokens, the context holds {c})"),
        (None, Some(c)) => format!(" (the context holds {c} tokens)"),
        _ => String::new(),
    };
    RemoteError::ContextExceeded {
        label: target.label(),
        counts,
        hint: "shorten the last message, start a new conversation, or start the server with a larger context (llama-server -c N)".into(),
        prompt_tokens,
        n_ctx,
    }
}

impl RemoteError {
    /// The error worded in the interface language, with the same server, status, counts and
    /// settings as `Display` (English, for logs and `serve`). The server's own words are quoted
    /// as they are; the English parts built with the error (a connection failure's kind, an
    /// authentication hint) are recognized and translated, anything else is quoted.
    pub fn localized(&self) -> String {
        use crate::tr;
        match self {
            RemoteError::Connect { label, detail } => tr!(
                "remote-connect",
                label = localized_label(label),
                detail = localized_connect_detail(detail)
            ),
            RemoteError::Auth {
                label,
                status,
                detail,
                hint,
            } => tr!(
                "remote-auth",
                label = localized_label(label),
                status = status.to_string(),
                detail = detail.as_str(),
                hint = localized_auth_hint(hint)
            ),
            RemoteError::UnknownModel {
                label,
                model,
                offered,
            } => tr!(
                "remote-unknown-model",
                label = localized_label(label),
                model = model.as_str(),
                offered = offered.as_str()
            ),
            RemoteError::ContextExceeded {
                label,
                prompt_tokens,
                n_ctx,
                ..
            } => {
                let label = localized_label(label);
                match (prompt_tokens, n_ctx) {
                    (Some(p), Some(c)) => tr!(
                        "remote-context-counts",
                        label = label,
                        prompt_tokens = p.to_string(),
                        n_ctx = c.to_string()
                    ),
                    (None, Some(c)) => {
                        tr!("remote-context-size", label = label, n_ctx = c.to_string())
                    }
                    _ => tr!("remote-context", label = label),
                }
            }
            RemoteError::Busy {
                label,
                status,
                detail,
                retry,
            } => {
                let label = localized_label(label);
                let status = status.to_string();
                let after = retry
                    .strip_prefix("; it asks to retry after ")
                    .and_then(|r| r.strip_suffix(" s"));
                match after {
                    Some(after) => tr!(
                        "remote-busy-retry",
                        label = label,
                        status = status,
                        detail = detail.as_str(),
                        after = after
                    ),
                    None => tr!(
                        "remote-busy",
                        label = label,
                        status = status,
                        detail = detail.as_str()
                    ),
                }
            }
            RemoteError::Http {
                label,
                status,
                detail,
            } => tr!(
                "remote-http",
                label = localized_label(label),
                status = status.to_string(),
                detail = detail.as_str()
            ),
            RemoteError::Malformed {
                label,
                reason,
                sample,
            } => tr!(
                "remote-malformed",
                label = localized_label(label),
                reason = reason.as_str(),
                sample = sample.as_str()
            ),
            RemoteError::InStream { label, detail } => tr!(
                "remote-in-stream",
                label = localized_label(label),
                detail = detail.as_str()
            ),
            RemoteError::Gone { label, detail } => tr!(
                "remote-gone",
                label = localized_label(label),
                detail = detail.as_str()
            ),
            RemoteError::Timeout {
                label,
                what,
                key,
                secs,
            } => {
                let id = match *what {
                    "sent no token" => "remote-timeout-first-token",
                    "went silent mid-reply" => "remote-timeout-idle",
                    "stopped sending the model list" => "remote-timeout-model-list",
                    _ => "remote-timeout",
                };
                tr!(
                    id,
                    label = localized_label(label),
                    what = *what,
                    key = *key,
                    secs = secs.as_str()
                )
            }
        }
    }
}

/// `backend 'NAME' (URL)` in the interface language; a bare URL as it is.
fn localized_label(label: &str) -> String {
    label
        .strip_prefix("backend '")
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|rest| rest.split_once("' ("))
        .map_or_else(
            || label.to_owned(),
            |(name, url)| crate::tr!("remote-label", name = name, url = url),
        )
}

/// The kinds of connection failure [`connect_error`] words, translated.
fn localized_connect_detail(detail: &str) -> String {
    use crate::tr;
    if let Some(secs) = detail
        .strip_prefix("no connection within ")
        .and_then(|r| r.strip_suffix(" s (connect_timeout); is the host up and the port open?"))
    {
        tr!("remote-connect-timeout", secs = secs)
    } else if detail.starts_with("connection refused: no server listens there") {
        tr!("remote-connect-refused")
    } else if detail.starts_with("the host name does not resolve (DNS)") {
        tr!("remote-connect-dns")
    } else if let Some(reason) = detail.strip_prefix("TLS failed (").and_then(|r| {
        r.strip_suffix(
            "); check that the URL's scheme (http or https) matches the server and that its certificate is valid",
        )
    }) {
        tr!("remote-connect-tls", reason = reason)
    } else {
        detail.to_owned()
    }
}

/// The authentication hints [`status_error`] words, translated.
fn localized_auth_hint(hint: &str) -> String {
    use crate::tr;
    if let Some(var) = hint
        .strip_prefix("the key in $")
        .and_then(|r| r.split_once(" was not accepted"))
        .map(|(var, _)| var)
    {
        tr!("remote-auth-key-rejected", var = var)
    } else if let Some(var) = hint
        .strip_prefix("no key was sent: set the environment variable ")
        .and_then(|r| r.strip_suffix(" to the server's key"))
    {
        tr!("remote-auth-key-unset", var = var)
    } else if hint.starts_with("no key was sent: set `api_key_env`") {
        tr!("remote-auth-no-key-env")
    } else {
        hint.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::target::BackendConfig;

    fn target() -> RemoteTarget {
        let mut config = BackendConfig::for_url(
            "http://127.0.0.1:9/v1",
            Some("GGCHAT_TEST_NO_SUCH_KEY".into()),
        );
        config.model = Some("m".into());
        RemoteTarget::from_config(Some("box"), &config, None)
    }

    #[test]
    fn auth_errors_name_the_variable() {
        let e = status_error(
            &target(),
            401,
            None,
            r#"{"error":{"message":"Invalid API Key"}}"#,
        );
        let text = e.to_string();
        assert!(
            text.contains("GGCHAT_TEST_NO_SUCH_KEY") && text.contains("Invalid API Key"),
            "{text}"
        );
    }

    #[test]
    fn busy_servers_say_when_to_retry() {
        let text = status_error(&target(), 429, Some("7"), "slow down").to_string();
        assert!(
            text.contains("retry after 7 s") && text.contains("slow down"),
            "{text}"
        );
    }
}
