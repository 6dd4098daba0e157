//! Reasoning in `ggchat serve`: with a forced template whose generation prompt opens `<think>`,
//! the model's output comes back as `reasoning_content` (in the message, and in the stream's
//! deltas), as llama-server and DeepSeek send it, and not as `content`.

use crate::harness::{Server, chat, client};
use serde_json::json;

#[tokio::test]
async fn reasoning_comes_back_as_reasoning_content() {
    let template = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/templates/chatml-think.jinja"
    );
    let server = Server::start(&["--template", template]);
    let url = format!("{}/v1/chat/completions", server.url);

    let body = chat("What is the capital of France?", json!({"max_tokens": 24}));
    let response = client().post(&url).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let reply: serde_json::Value = response.json().await.unwrap();
    let message = &reply["choices"][0]["message"];
    let reasoning = message["reasoning_content"].as_str().unwrap_or_default();
    assert!(reasoning.trim().len() > 10, "{reply}");
    assert_eq!(message["content"], "", "{reply}");

    let body = chat(
        "What is the capital of France?",
        json!({"max_tokens": 24, "stream": true}),
    );
    let response = client().post(&url).json(&body).send().await.unwrap();
    let events = response.text().await.unwrap();
    assert!(
        events.contains("\"delta\":{\"reasoning_content\":"),
        "{events}"
    );
}
