//! Continuous batching seen from outside: replies that run together never mix (a greedy reply
//! beside seven others is the one it is alone), a cancelled stream gives its slot back, and a
//! long prompt does not stall a reply that is already streaming.
//!
//! The invariance runs with flash attention on: llama.cpp's CPU attention without it rounds
//! differently for different batch shapes, so outputs there can drift apart after some tokens.

use crate::harness::{Server, chat, client, metric};
use futures::StreamExt;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const PROMPTS: [&str; 8] = [
    "What is the capital of France?",
    "Name three colours of the rainbow.",
    "Write a haiku about the sea.",
    "What is 12 times 12?",
    "Give me a tip for learning to cook.",
    "Why is the sky blue?",
    "List four animals that live in Africa.",
    "Describe a cat in one sentence.",
];

/// A streamed reply: its text and when each piece arrived.
struct Streamed {
    text: String,
    arrivals: Vec<Instant>,
}

/// Streams a chat completion of `body` to the end (bounded); panics on a non-200.
async fn stream(server: &Server, body: &Value) -> Streamed {
    let response = client()
        .post(format!("{}/v1/chat/completions", server.url))
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{body}");
    let mut bytes = response.bytes_stream();
    let (mut buffer, mut text, mut arrivals) = (String::new(), String::new(), Vec::new());
    loop {
        let chunk = tokio::time::timeout(Duration::from_secs(120), bytes.next())
            .await
            .expect("a chunk within 2 minutes");
        let Some(chunk) = chunk else { break };
        buffer.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
        while let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            let Some(data) = event.trim().strip_prefix("data: ") else {
                continue;
            };
            if data == "[DONE]" {
                return Streamed { text, arrivals };
            }
            let value: Value = serde_json::from_str(data).unwrap();
            if let Some(piece) = value["choices"][0]["delta"]["content"].as_str() {
                text.push_str(piece);
                arrivals.push(Instant::now());
            }
        }
    }
    Streamed { text, arrivals }
}

fn greedy(prompt: &str, max_tokens: u32) -> Value {
    chat(prompt, json!({"max_tokens": max_tokens, "stream": true}))
}

#[tokio::test]
async fn eight_greedy_streams_at_once_each_return_what_they_return_alone() {
    let server = Server::start(&["--parallel", "8", "--flash-attention", "on"]);
    let mut alone = Vec::new();
    for prompt in PROMPTS {
        alone.push(stream(&server, &greedy(prompt, 48)).await.text);
    }
    let together = futures::future::join_all(
        PROMPTS
            .iter()
            .map(|prompt| async { stream(&server, &greedy(prompt, 48)).await }),
    )
    .await;
    // They really ran together: every reply had begun before any of them ended.
    let last_start = together.iter().map(|s| s.arrivals[0]).max().unwrap();
    let first_end = together
        .iter()
        .map(|s| *s.arrivals.last().unwrap())
        .min()
        .unwrap();
    assert!(last_start < first_end, "the replies did not overlap");
    for ((prompt, alone), together) in PROMPTS.iter().zip(&alone).zip(&together) {
        assert!(!alone.is_empty(), "{prompt}: empty reply");
        assert_eq!(&together.text, alone, "{prompt}: beside 7 others vs alone");
    }
}

#[tokio::test]
async fn a_cancelled_stream_frees_its_slot_and_the_next_reply_is_right() {
    let server = Server::start(&["--parallel", "2", "--flash-attention", "on"]);
    let reference = stream(&server, &greedy(PROMPTS[0], 32)).await.text;
    let long = greedy("Count from 1 to 200, one number per line.", 400);
    let response = client()
        .post(format!("{}/v1/chat/completions", server.url))
        .json(&long)
        .send()
        .await
        .unwrap();
    let mut bytes = response.bytes_stream();
    for _ in 0..3 {
        bytes.next().await.expect("the stream goes on").unwrap();
    }
    assert_eq!(metric(&server, "ggchat_busy_slots").await, 1.0);
    assert!(metric(&server, "ggchat_kv_cells_used").await > 0.0);
    drop(bytes);
    let dropped = Instant::now();
    while metric(&server, "ggchat_busy_slots").await != 0.0 {
        assert!(
            dropped.elapsed() < Duration::from_secs(1),
            "the slot is still busy 1 s after the client went away"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let again = stream(&server, &greedy(PROMPTS[0], 32)).await.text;
    assert_eq!(again, reference, "the reply after a cancel");
}

#[tokio::test]
async fn a_long_prompt_arriving_mid_stream_does_not_stall_the_running_reply() {
    // About 3000 prompt tokens: six chunks of the default batch of 512, one per step.
    let server = Server::start(&["--parallel", "2", "-c", "8192"]);
    let running = greedy("Count from 1 to 200, one number per line.", 160);
    let long_text = "The quick brown fox jumps over the lazy dog. ".repeat(300);
    let long = chat(
        &format!("{long_text}\nHow many foxes?"),
        json!({"max_tokens": 1}),
    );
    let (first, second) = tokio::join!(stream(&server, &running), async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let started = Instant::now();
        let response = client()
            .post(format!("{}/v1/chat/completions", server.url))
            .json(&long)
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        (started, Instant::now(), body)
    });
    let (long_start, long_end, body) = second;
    let evaluated = body["usage"]["prompt_tokens"].as_u64().unwrap_or(0);
    assert!(evaluated > 2000, "the long prompt: {body}");
    assert!(
        first.arrivals.last().unwrap() > &long_end,
        "the long prompt was answered only after the running reply ended: it waited instead of \
         joining the batch"
    );
    // Chunked prefill: the running reply gets a token every step, so no pause between two of its
    // tokens comes near the time the whole long prompt took.
    let window = long_end - long_start;
    let longest_pause = first
        .arrivals
        .windows(2)
        .filter(|w| w[1] > long_start && w[0] < long_end)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap();
    let during = first
        .arrivals
        .iter()
        .filter(|t| **t > long_start && **t < long_end)
        .count();
    assert!(
        during >= 3 && longest_pause < window / 2,
        "the running reply stalled: {during} tokens and a longest pause of {longest_pause:?} \
         during the long prompt's {window:?}"
    );
}
