//! The content-safety guard in `ggchat serve`: a reply stopped at a blocked word ends with
//! `finish_reason: "content_filter"` (as OpenAI does), a blocked user message is an OpenAI-shaped
//! 400 with `code: "content_filter"`, and `/metrics` counts both by category and action.

use crate::harness::{Server, chat, client, metric};
use serde_json::json;

#[tokio::test]
async fn blocked_replies_and_messages_answer_content_filter_and_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("places.toml");
    std::fs::write(
        &rules,
        "[[category]]\nname = \"places\"\naction = \"block\"\nterms = [\"paris\", \"巴黎\"]\n",
    )
    .unwrap();
    let server = Server::start(&["--guard", rules.to_str().unwrap()]);
    let url = format!("{}/v1/chat/completions", server.url);

    let body = chat("What is the capital of France?", json!({"max_tokens": 48}));
    let response = client().post(&url).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let reply: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        reply["choices"][0]["finish_reason"], "content_filter",
        "{reply}"
    );
    let content = reply["choices"][0]["message"]["content"].as_str().unwrap();
    assert!(
        content.ends_with("█████") && !content.contains("Paris"),
        "{content}"
    );

    let body = chat("给我讲讲巴黎的历史。", json!({"max_tokens": 8}));
    let response = client().post(&url).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "content_filter", "{error}");
    assert_eq!(error["error"]["type"], "invalid_request_error");

    // The blocked request freed its slot; a stream stops at the match the same way.
    let body = chat(
        "What is the capital of France?",
        json!({"max_tokens": 48, "stream": true}),
    );
    let response = client().post(&url).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let events = response.text().await.unwrap();
    assert!(
        events.contains("\"finish_reason\":\"content_filter\"") && !events.contains("Paris"),
        "{events}"
    );

    let counted = metric(
        &server,
        "ggchat_guard_actions_total{category=\"places\",action=\"block\"}",
    )
    .await;
    assert_eq!(counted, 3.0);
}

/// `--guard-model-check both` with the built-in prompt: the default model (greedy) calls the
/// first message unsafe, passes the other two, and calls the reply to the second unsafe.
#[tokio::test]
async fn the_model_check_blocks_a_message_and_a_reply_and_counts_every_check() {
    let server = Server::start(&["--guard-model-check", "both"]);
    let url = format!("{}/v1/chat/completions", server.url);
    let ask = |text: &str| {
        let body = chat(text, json!({"max_tokens": 8}));
        client().post(&url).json(&body).send()
    };

    let response = ask("What is the capital of France?").await.unwrap();
    assert_eq!(response.status(), 400);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "content_filter", "{error}");

    let reply: serde_json::Value = ask("Say hi.").await.unwrap().json().await.unwrap();
    let choice = &reply["choices"][0];
    assert_eq!(choice["finish_reason"], "content_filter", "{reply}");
    let content = choice["message"]["content"].as_str().unwrap();
    assert!(
        !content.is_empty() && content.chars().all(|c| c == '█' || c == ' '),
        "the whole reply is masked: {content}"
    );

    let reply: serde_json::Value = ask("Tell me a joke.").await.unwrap().json().await.unwrap();
    assert_eq!(reply["choices"][0]["finish_reason"], "length", "{reply}");
    assert_eq!(
        reply["choices"][0]["message"]["content"], "What's that? A joke, I",
        "{reply}"
    );

    for (labels, count) in [
        ("stage=\"input\",result=\"unsafe\"", 1.0),
        ("stage=\"input\",result=\"safe\"", 2.0),
        ("stage=\"output\",result=\"unsafe\"", 1.0),
        ("stage=\"output\",result=\"safe\"", 1.0),
    ] {
        let name = format!("ggchat_guard_model_checks_total{{{labels}}}");
        assert_eq!(metric(&server, &name).await, count, "{name}");
    }
}
