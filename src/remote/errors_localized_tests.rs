//! [`RemoteError::localized`]: each error in both languages, with the same server, status,
//! counts and setting names, built the way the client builds them.

use super::errors::{RemoteError, connect_error, context_error, status_error};
use super::target::{BackendConfig, RemoteTarget};
use crate::i18n::check::assert_translated;
use crate::i18n::{Lang, with_language};

const URL: &str = "http://127.0.0.1:9/v1";

fn target(key_env: Option<&str>) -> RemoteTarget {
    let mut config = BackendConfig::for_url(URL, key_env.map(str::to_owned));
    config.model = Some("m".into());
    RemoteTarget::from_config(Some("box"), &config, None)
}

fn check(error: &RemoteError, data: &[&str]) {
    let mut data = data.to_vec();
    data.extend(["box", URL]);
    assert_translated(|| error.localized(), &data);
    let en = with_language(Lang::En, || error.localized());
    assert_eq!(en, error.to_string(), "English wording is the Display text");
}

#[test]
fn a_refused_connection_is_explained_in_both_languages() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let error = runtime
        .block_on(
            reqwest::Client::new()
                .get("http://127.0.0.1:9/v1/models")
                .send(),
        )
        .unwrap_err();
    let error = connect_error(&target(None), &error);
    check(&error, &[]);
    let zh = with_language(Lang::ZhCn, || error.localized());
    assert!(zh.contains("连接被拒绝"), "{zh}");
}

#[test]
fn every_error_the_client_builds_is_worded_in_both_languages() {
    // The variable is never set: the "not set" hint.
    let unset = "GGCHAT_TEST_NO_SUCH_KEY_L";
    // A variable that is set in every environment: the "not accepted" hint.
    let set = "PATH";
    let body = r#"{"error":{"message":"Invalid API Key"}}"#;
    let cases: Vec<(RemoteError, Vec<&str>)> = vec![
        (
            status_error(&target(Some(unset)), 401, None, body),
            vec!["401", "Invalid API Key", unset],
        ),
        (
            status_error(&target(Some(set)), 403, None, body),
            vec!["403", "Invalid API Key", "$PATH", "PATH"],
        ),
        (
            status_error(&target(None), 401, None, body),
            vec!["401", "Invalid API Key", "api_key_env", "--api-key-env VAR"],
        ),
        (
            status_error(&target(None), 429, Some("7"), "slow down"),
            vec!["429", "slow down", "7"],
        ),
        (
            status_error(&target(None), 503, None, "overloaded"),
            vec!["503", "overloaded"],
        ),
        (
            status_error(&target(None), 500, None, "kaputt"),
            vec!["500", "kaputt"],
        ),
        (
            context_error(&target(None), Some(5000), Some(4096)),
            vec!["5000", "4096", "llama-server -c N"],
        ),
        (
            context_error(&target(None), None, Some(4096)),
            vec!["4096", "llama-server -c N"],
        ),
        (
            context_error(&target(None), None, None),
            vec!["llama-server -c N"],
        ),
        (
            RemoteError::UnknownModel {
                label: target(None).label(),
                model: "qwen9".into(),
                offered: "a, b".into(),
            },
            vec!["qwen9", "a, b", "--model"],
        ),
        (
            RemoteError::Malformed {
                label: target(None).label(),
                reason: "EOF".into(),
                sample: "data: {".into(),
            },
            vec!["EOF", "data: {"],
        ),
        (
            RemoteError::InStream {
                label: target(None).label(),
                detail: "OOM".into(),
            },
            vec!["OOM"],
        ),
        (
            RemoteError::Gone {
                label: target(None).label(),
                detail: "EPIPE".into(),
            },
            vec!["EPIPE"],
        ),
    ];
    for (error, data) in &cases {
        check(error, data);
    }
    for (what, key) in [
        ("sent no token", "first_token_timeout"),
        ("went silent mid-reply", "idle_timeout"),
        ("stopped sending the model list", "idle_timeout"),
    ] {
        let error = RemoteError::Timeout {
            label: target(None).label(),
            what,
            key,
            secs: "2.5".into(),
        };
        check(&error, &[key, "2.5"]);
    }
}
