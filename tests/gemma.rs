//! The Gemma 3 270M base model has no chat template, so it gets ChatML, whose markers are not
//! end-of-generation tokens in its vocabulary: it writes `<|im_end|>` as text and goes on with an
//! invented next turn. The markers must end the reply and never be shown, in the engine and in
//! `ask` (the chat: tests/e2e_tui/models_and_adapters.rs).

mod common;

use common::{TempHome, stderr, stdout};
use ggchat::chat::{Message, StopReason};
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::engine::{TemplateChoice, TemplateSource};
use ggchat::params::{ModelParams, SamplingParams};

/// A prompt the model answers in a few words, then (without the fix) runs into a new turn.
pub const PROMPT: &str = "What is the capital of France?";

fn no_markers(text: &str) {
    for marker in ["<|im_end|>", "<|im_start|>", "im_end", "im_start"] {
        assert!(!text.contains(marker), "{marker} shown in: {text:?}");
    }
}

#[test]
fn the_engine_stops_gemma_at_the_chatml_end_marker() {
    let mut engine = BlockingEngine::start().unwrap();
    let info = engine
        .load(
            &common::gemma_model(),
            &ModelParams::default(),
            &TemplateChoice::FromModel,
            |_| {},
        )
        .unwrap();
    assert!(matches!(info.template, TemplateSource::Fallback { .. }));
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 200,
        ..SamplingParams::default()
    };
    let mut pieces = Vec::new();
    let reply = engine
        .generate(vec![Message::user(PROMPT)], &sampling, false, true, |p| {
            pieces.push(p.to_owned());
            Flow::Continue
        })
        .unwrap();
    no_markers(&reply.text);
    no_markers(&pieces.concat());
    assert!(!reply.text.trim().is_empty(), "an answer before the marker");
    assert_eq!(
        reply.stats.stop_reason,
        Some(StopReason::StopString),
        "stopped at the marker, not at the token limit: {:?}",
        reply.text
    );
    assert!(reply.stats.generated_tokens < 200);
}

#[test]
fn ask_stops_gemma_at_its_turn() {
    let home = TempHome::new();
    let model = common::gemma_model();
    let out = home.run(&[
        "ask",
        "--json",
        "--model",
        model.to_str().unwrap(),
        "--temperature",
        "0",
        "-n",
        "200",
        PROMPT,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let reply = json["reply"].as_str().unwrap();
    no_markers(reply);
    assert!(!reply.trim().is_empty());
    assert_eq!(json["stats"]["stop_reason"], "stop_string", "{json:#}");

    // Streamed to stdout as well.
    let out = home.run(&[
        "ask",
        "--model",
        model.to_str().unwrap(),
        "--temperature",
        "0",
        "-n",
        "200",
        PROMPT,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    no_markers(&stdout(&out));
}
