//! Speculative decoding in `serve`: several replies guessing at once (from the conversation, or
//! from a draft model with one sequence per slot), in one batch, each returning what plain
//! decoding returns alone.
//!
//! Flash attention on and one thread: the configuration where llama.cpp decodes a batch of a
//! sequence's positions bit for bit like single tokens (see tests/speculation.rs).

use crate::harness::{Server, chat, client, metric};
use serde_json::{Value, json};

const PROMPTS: [&str; 4] = [
    "Repeat this sentence exactly: The quick brown fox jumps over the lazy dog near the river.",
    "Repeat this list exactly: apples, pears, plums, cherries, grapes, lemons, oranges, figs.",
    "Write a haiku about the sea.",
    "请重复这句话：长城是中国古代的伟大工程。",
];

async fn complete(server: &Server, prompt: &str) -> String {
    let body = chat(prompt, json!({"max_tokens": 64}));
    let response = client()
        .post(format!("{}/v1/chat/completions", server.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{prompt}");
    let value: Value = response.json().await.unwrap();
    value["choices"][0]["message"]["content"]
        .as_str()
        .expect("a reply")
        .to_owned()
}

#[tokio::test]
async fn four_replies_guessing_at_once_each_return_what_plain_decoding_returns() {
    let same = [
        "--flash-attention",
        "on",
        "--threads",
        "1",
        "--parallel",
        "4",
        // Pure greedy: the model as its own draft model then guesses every token right.
        "--repeat-penalty",
        "1",
    ];
    let plain = Server::start(&same);
    let mut alone = Vec::new();
    for prompt in PROMPTS {
        alone.push(complete(&plain, prompt).await);
    }
    drop(plain);
    let model = crate::harness::default_model();
    let model = model.to_str().expect("UTF-8 path");
    for guess in [
        &["--speculation", "lookup", "--draft-max", "6"][..],
        // The model as its own draft model: one draft sequence per slot.
        &["--speculation", "draft", "--draft-model", model][..],
    ] {
        let mut flags = same.to_vec();
        flags.extend(guess);
        let guessing = Server::start(&flags);
        let together =
            futures::future::join_all(PROMPTS.iter().map(|prompt| complete(&guessing, prompt)))
                .await;
        for ((prompt, alone), together) in PROMPTS.iter().zip(&alone).zip(&together) {
            assert!(!alone.is_empty(), "{prompt}: empty reply");
            assert_eq!(
                together, alone,
                "{prompt} with {guess:?}: guessing beside 3 others vs plain alone"
            );
        }
        let drafted = metric(&guessing, "ggchat_speculation_drafted_tokens_total").await;
        let accepted = metric(&guessing, "ggchat_speculation_accepted_tokens_total").await;
        assert!(
            accepted > 10.0,
            "{guess:?}: {accepted} of {drafted} guesses kept"
        );
        if guess.contains(&"draft") {
            assert_eq!(accepted, drafted, "every guess of the model's own kept");
        }
    }
}
