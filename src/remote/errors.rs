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
