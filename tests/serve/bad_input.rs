//! Bad requests over raw HTTP: each gets the right status and an OpenAI-shaped error naming the
//! parameter, and the server keeps serving.

use crate::harness::{Server, chat, client, model_id};
use serde_json::{Value, json};

/// Sends `body` (raw bytes) and returns the status and the parsed error object.
async fn post_raw(server: &Server, body: Vec<u8>, key: Option<&str>) -> (u16, Value) {
    let mut request = client()
        .post(format!("{}/v1/chat/completions", server.url))
        .header("content-type", "application/json")
        .body(body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, value)
}

fn assert_error(status: u16, body: &Value, want_status: u16, want_param: Option<&str>, case: &str) {
    assert_eq!(status, want_status, "{case}: {body}");
    let error = &body["error"];
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{case}: {body}"
    );
    assert!(error["type"].is_string(), "{case}: {body}");
    assert!(
        error.get("code").is_some() && error.get("param").is_some(),
        "{case}: {body}"
    );
    if let Some(param) = want_param {
        assert_eq!(error["param"], param, "{case}: {body}");
    }
}

#[tokio::test]
async fn malformed_json_wrong_types_and_bad_values_are_400s_naming_the_parameter() {
    let server = Server::start(&[]);
    let m = model_id();
    let raw_cases: [(&str, &[u8]); 4] = [
        ("truncated JSON", b"{\"model\": "),
        ("not JSON", b"hello"),
        ("invalid UTF-8", b"{\"model\": \"\xff\xfe\"}"),
        ("an array", b"[1, 2]"),
    ];
    for (case, body) in raw_cases {
        let (status, value) = post_raw(&server, body.to_vec(), None).await;
        assert_error(status, &value, 400, None, case);
    }
    let cases = [
        (
            "temperature as a string",
            chat("hi", json!({"temperature": "hot"})),
            "temperature",
        ),
        (
            "temperature out of range",
            chat("hi", json!({"temperature": 50})),
            "temperature",
        ),
        ("top_p zero", chat("hi", json!({"top_p": 0})), "top_p"),
        (
            "max_tokens zero",
            chat("hi", json!({"max_tokens": 0})),
            "max_tokens",
        ),
        (
            "max_tokens negative",
            chat("hi", json!({"max_tokens": -3})),
            "max_tokens",
        ),
        (
            "max_tokens fractional",
            chat("hi", json!({"max_tokens": 2.5})),
            "max_tokens",
        ),
        (
            "stop of numbers",
            chat("hi", json!({"stop": [1, 2]})),
            "stop",
        ),
        (
            "messages a string",
            json!({"model": m, "messages": "hi"}),
            "messages",
        ),
        (
            "messages empty",
            json!({"model": m, "messages": []}),
            "messages",
        ),
        (
            "unknown role",
            json!({"model": m, "messages": [{"role": "wizard", "content": "hi"}]}),
            "messages[0].role",
        ),
        (
            "content a number",
            json!({"model": m, "messages": [{"role": "user", "content": 7}]}),
            "messages[0].content",
        ),
        (
            "stream a string",
            chat("hi", json!({"stream": "yes"})),
            "stream",
        ),
    ];
    for (case, body, param) in cases {
        let (status, value) = post_raw(&server, body.to_string().into_bytes(), None).await;
        assert_error(status, &value, 400, Some(param), case);
    }
    let (status, value) = post_raw(
        &server,
        chat("hi", json!({"model": "gpt-4o"}))
            .to_string()
            .into_bytes(),
        None,
    )
    .await;
    assert_error(status, &value, 404, Some("model"), "unknown model");
    assert_eq!(value["error"]["code"], "model_not_found");
    // Still serving.
    let (status, value) = post_raw(
        &server,
        chat("Say hi.", json!({"max_tokens": 2}))
            .to_string()
            .into_bytes(),
        None,
    )
    .await;
    assert_eq!(status, 200, "{value}");
}

#[tokio::test]
async fn a_huge_body_is_413_and_a_long_prompt_is_context_length_exceeded() {
    let server = Server::start(&[]);
    let huge = format!(
        "{{\"model\": \"x\", \"pad\": \"{}\"}}",
        "a".repeat(5 * 1024 * 1024)
    );
    let (status, value) = post_raw(&server, huge.into_bytes(), None).await;
    assert_error(status, &value, 413, None, "5 MiB body");
    // The server's context is 1024 tokens (-c 1024 in the harness), 256 per slot.
    let long = "apple banana cherry ".repeat(600);
    let (status, value) = post_raw(
        &server,
        chat(&long, json!({"max_tokens": 8}))
            .to_string()
            .into_bytes(),
        None,
    )
    .await;
    assert_error(
        status,
        &value,
        400,
        Some("messages"),
        "prompt longer than the context",
    );
    assert_eq!(value["error"]["code"], "context_length_exceeded", "{value}");
    assert!(
        value["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tokens"),
        "{value}"
    );
}

#[tokio::test]
async fn max_tokens_is_capped_when_huge_and_ends_with_length_when_reached() {
    let server = Server::start(&[]);
    let body = chat(
        "What is the capital of France?",
        json!({"max_tokens": 1_000_000_000_000u64}),
    );
    let (status, value) = post_raw(&server, body.to_string().into_bytes(), None).await;
    assert_eq!(
        status, 200,
        "a huge max_tokens is capped, not refused: {value}"
    );
    let body = chat("Count from 1 to 50.", json!({"max_completion_tokens": 3}));
    let (status, value) = post_raw(&server, body.to_string().into_bytes(), None).await;
    assert_eq!(status, 200, "{value}");
    assert_eq!(value["choices"][0]["finish_reason"], "length", "{value}");
    assert_eq!(value["usage"]["completion_tokens"], 3, "{value}");
    assert_eq!(value["timings"]["predicted_n"], 3, "{value}");
    assert!(
        value["timings"]["prompt_n"].as_u64().unwrap() > 0,
        "{value}"
    );
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_401_and_the_right_one_passes() {
    let server = Server::start(&["--api-key", "first-key", "--api-key", "second-key"]);
    let body = || {
        chat("hi", json!({"max_tokens": 1}))
            .to_string()
            .into_bytes()
    };
    let (status, value) = post_raw(&server, body(), None).await;
    assert_error(status, &value, 401, None, "no key");
    for wrong in ["first-ke", "first-key2", "FIRST-KEY", ""] {
        let (status, value) = post_raw(&server, body(), Some(wrong)).await;
        assert_error(status, &value, 401, None, wrong);
    }
    for right in ["first-key", "second-key"] {
        let (status, value) = post_raw(&server, body(), Some(right)).await;
        assert_eq!(status, 200, "{right}: {value}");
    }
    let metrics = client()
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 401, "/metrics needs the key too");
    let health = client()
        .get(format!("{}/health", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200, "/health is public");
}
