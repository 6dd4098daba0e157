//! `POST /v1/completions` over raw HTTP: a raw prompt reaches the model untemplated, streamed
//! and not, with usage, timings and OpenAI-shaped errors. (The `openai` client's
//! `completions.create` is in openai_check.py.)

use crate::harness::{Server, chat, client, metric, model_id};
use futures::StreamExt;
use serde_json::{Value, json};
use std::time::Duration;

async fn post(server: &Server, path: &str, body: &Value) -> (u16, String) {
    let response = client()
        .post(format!("{}{path}", server.url))
        .json(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn completion(prompt: Value, extra: Value) -> Value {
    let mut body = json!({"model": model_id(), "prompt": prompt, "temperature": 0});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// The default model's chat template (ChatML) written out by hand: what
/// `/v1/chat/completions` renders for one user message.
fn hand_templated(question: &str) -> String {
    format!("<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n")
}

#[tokio::test]
async fn a_raw_prompt_is_not_templated_and_answers_like_the_chat_it_spells_out() {
    let server = Server::start(&[]);
    let question = "What is the capital of France?";
    let (status, text) = post(
        &server,
        "/v1/chat/completions",
        &chat(question, json!({"max_tokens": 16})),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let chat_reply: Value = serde_json::from_str(&text).unwrap();

    // The same conversation, templated by the client: the same tokens, so the same reply.
    let (status, text) = post(
        &server,
        "/v1/completions",
        &completion(json!(hand_templated(question)), json!({"max_tokens": 16})),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let raw: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(raw["object"], "text_completion", "{raw}");
    assert!(raw["id"].as_str().unwrap().starts_with("cmpl-"), "{raw}");
    assert_eq!(raw["model"], model_id(), "{raw}");
    let choice = &raw["choices"][0];
    assert_eq!(
        choice["text"], chat_reply["choices"][0]["message"]["content"],
        "{raw}\n{chat_reply}"
    );
    assert!(choice["text"].as_str().unwrap().contains("Paris"), "{raw}");
    assert_eq!(
        raw["usage"]["prompt_tokens"], chat_reply["usage"]["prompt_tokens"],
        "{raw}\n{chat_reply}"
    );
    assert!(matches!(
        choice["finish_reason"].as_str(),
        Some("stop" | "length")
    ));
    assert!(raw["timings"]["predicted_n"].as_u64().unwrap() > 0, "{raw}");

    // A bare sentence to continue is its five words' tokens (and a BOS for models that want
    // one), with no template around it.
    let (status, text) = post(
        &server,
        "/v1/completions",
        &completion(
            json!(["The capital of France is"]),
            json!({"max_tokens": 3}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let bare: Value = serde_json::from_str(&text).unwrap();
    let bare_prompt = bare["usage"]["prompt_tokens"].as_u64().unwrap();
    assert!((5..=6).contains(&bare_prompt), "{bare}");
    assert!(
        bare["choices"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Paris"),
        "{bare}"
    );
    assert_eq!(bare["choices"][0]["finish_reason"], "length", "{bare}");
    assert_eq!(bare["usage"]["completion_tokens"], 3, "{bare}");
    assert_eq!(
        bare["usage"]["total_tokens"].as_u64(),
        Some(bare_prompt + 3),
        "{bare}"
    );
    let counted = metric(
        &server,
        "ggchat_http_requests_total{endpoint=\"/v1/completions\",status=\"200\"}",
    )
    .await;
    assert_eq!(counted, 2.0, "/metrics counts the endpoint by its name");
}

#[tokio::test]
async fn a_streamed_completion_sends_text_chunks_the_finish_reason_usage_and_done() {
    let server = Server::start(&[]);
    let prompt = hand_templated("What is the capital of France?");
    let (status, text) = post(
        &server,
        "/v1/completions",
        &completion(json!(prompt), json!({"max_tokens": 12})),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let whole: Value = serde_json::from_str(&text).unwrap();

    let response = client()
        .post(format!("{}/v1/completions", server.url))
        .json(&completion(
            json!(prompt),
            json!({"max_tokens": 12, "stream": true, "stream_options": {"include_usage": true}}),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut body = String::new();
    let mut stream = response.bytes_stream();
    tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(chunk) = stream.next().await {
            body.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        }
    })
    .await
    .expect("the stream ends within 2 minutes");
    let events: Vec<&str> = body
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .collect();
    assert_eq!(events.last(), Some(&"[DONE]"), "{body}");
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|e| serde_json::from_str(e).unwrap())
        .collect();
    assert!(
        chunks.iter().all(|c| c["object"] == "text_completion"),
        "{body}"
    );
    let streamed: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["text"].as_str())
        .collect();
    assert_eq!(streamed, whole["choices"][0]["text"], "{body}");
    let finishes: Vec<&Value> = chunks
        .iter()
        .map(|c| &c["choices"][0]["finish_reason"])
        .filter(|f| !f.is_null())
        .collect();
    assert_eq!(finishes, [&whole["choices"][0]["finish_reason"]], "{body}");
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]), "{body}");
    assert_eq!(usage["usage"], whole["usage"], "{body}");
}

#[tokio::test]
async fn bad_completion_requests_are_openai_shaped_errors_naming_the_parameter() {
    let server = Server::start(&[]);
    let cases = [
        ("no prompt", json!({"model": model_id()}), 400, "prompt"),
        (
            "prompt a number",
            completion(json!(7), json!({})),
            400,
            "prompt",
        ),
        (
            "two prompts",
            completion(json!(["a", "b"]), json!({})),
            400,
            "prompt",
        ),
        (
            "token ids",
            completion(json!([1, 2, 3]), json!({})),
            400,
            "prompt",
        ),
        (
            "temperature out of range",
            completion(json!("x"), json!({"temperature": 50})),
            400,
            "temperature",
        ),
        (
            "max_tokens zero",
            completion(json!("x"), json!({"max_tokens": 0})),
            400,
            "max_tokens",
        ),
        (
            "unknown model",
            completion(json!("x"), json!({"model": "gpt-3.5-turbo-instruct"})),
            404,
            "model",
        ),
        (
            // The server's context is 1024 tokens (-c 1024 in the harness).
            "prompt longer than the context",
            completion(
                json!("apple banana cherry ".repeat(600)),
                json!({"max_tokens": 8}),
            ),
            400,
            "prompt",
        ),
    ];
    for (case, body, want_status, want_param) in cases {
        let (status, text) = post(&server, "/v1/completions", &body).await;
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{case}: not JSON ({e}): {text}"));
        assert_eq!(status, want_status, "{case}: {value}");
        assert_eq!(value["error"]["param"], want_param, "{case}: {value}");
        assert!(
            value["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{case}: {value}"
        );
    }
    let (_, text) = post(
        &server,
        "/v1/completions",
        &completion(
            json!("apple banana cherry ".repeat(600)),
            json!({"max_tokens": 8}),
        ),
    )
    .await;
    assert!(text.contains("context_length_exceeded"), "{text}");
    let (status, text) = post(
        &server,
        "/v1/completions",
        &completion(json!("Hello"), json!({"max_tokens": 2})),
    )
    .await;
    assert_eq!(status, 200, "still serving: {text}");
}

#[tokio::test]
async fn ignore_eos_runs_a_reply_to_max_tokens_on_both_endpoints() {
    let server = Server::start(&[]);
    let short = chat("What is the capital of France?", json!({"max_tokens": 40}));
    let (status, text) = post(&server, "/v1/chat/completions", &short).await;
    assert_eq!(status, 200, "{text}");
    let natural: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(natural["choices"][0]["finish_reason"], "stop", "{natural}");
    assert!(
        natural["usage"]["completion_tokens"].as_u64().unwrap() < 40,
        "{natural}"
    );
    let mut long = short.clone();
    long["ignore_eos"] = json!(true);
    for (path, body) in [
        ("/v1/chat/completions", long),
        (
            "/v1/completions",
            completion(
                json!(hand_templated("What is the capital of France?")),
                json!({"max_tokens": 40, "ignore_eos": true}),
            ),
        ),
    ] {
        let (status, text) = post(&server, path, &body).await;
        assert_eq!(status, 200, "{path}: {text}");
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["usage"]["completion_tokens"], 40, "{path}: {value}");
        assert_eq!(value["choices"][0]["finish_reason"], "length", "{path}");
    }
}
