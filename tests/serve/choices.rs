//! OpenAI's `n` on `/v1/chat/completions`: several choices from one prompt evaluation, answered
//! together or streamed with each chunk's choice index; `n` beyond the slots or beyond 4 is a
//! 400 that says why.

use crate::harness::{Server, chat, client};
use serde_json::{Value, json};

async fn post(server: &Server, body: &Value) -> (u16, String) {
    let response = client()
        .post(format!("{}/v1/chat/completions", server.url))
        .json(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn n_choices_share_one_prompt_and_stream_with_their_index() {
    let server = Server::start(&["--parallel", "3"]);
    let question = "Write one sentence about the sea.";
    let sampled = json!({"max_tokens": 12, "n": 3, "temperature": 1.0, "seed": 5});
    let (status, text) = post(&server, &chat(question, sampled)).await;
    assert_eq!(status, 200, "{text}");
    let reply: Value = serde_json::from_str(&text).unwrap();
    let choices = reply["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 3, "{reply}");
    for (k, choice) in choices.iter().enumerate() {
        assert_eq!(choice["index"], k, "{reply}");
        assert!(
            !choice["message"]["content"].as_str().unwrap().is_empty(),
            "{reply}"
        );
    }
    let prompt = reply["usage"]["prompt_tokens"].as_u64().unwrap();
    let generated = reply["usage"]["completion_tokens"].as_u64().unwrap();
    assert!(prompt > 5 && generated > 3, "{reply}");
    // The prompt counted once, the tokens of every choice.
    assert_eq!(
        reply["usage"]["total_tokens"],
        prompt + generated,
        "{reply}"
    );
    assert_eq!(reply["timings"]["prompt_n"], prompt, "{reply}");

    let streamed = json!({"max_tokens": 8, "n": 2, "stream": true});
    let (status, text) = post(&server, &chat(question, streamed)).await;
    assert_eq!(status, 200, "{text}");
    let mut content = [String::new(), String::new()];
    let mut finished = [0, 0];
    for data in text.lines().filter_map(|l| l.strip_prefix("data: ")) {
        if data == "[DONE]" {
            continue;
        }
        let chunk: Value = serde_json::from_str(data).unwrap();
        for choice in chunk["choices"].as_array().unwrap() {
            let k = choice["index"].as_u64().unwrap() as usize;
            content[k].push_str(choice["delta"]["content"].as_str().unwrap_or(""));
            finished[k] += usize::from(choice["finish_reason"].is_string());
        }
    }
    assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
    assert_eq!(finished, [1, 1], "{text}");
    // Greedy choices from per-slot streams are the same reply.
    assert!(
        !content[0].is_empty() && content[0] == content[1],
        "{content:?}"
    );

    for (n, says) in [(4, "--parallel 4"), (5, "1 to 4"), (0, "1 to 4")] {
        let (status, text) = post(&server, &chat(question, json!({"n": n}))).await;
        assert_eq!(status, 400, "{text}");
        let error: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(error["error"]["param"], "n", "{text}");
        assert!(
            error["error"]["message"].as_str().unwrap().contains(says),
            "{text}"
        );
    }
}
