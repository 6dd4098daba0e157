//! Long-run stability: 300 scripted turns through the engine with a small context. Every turn
//! must complete, and the process's resident memory must stay within a bound once warmed up.

mod common;

use ggchat::chat::{Conversation, Message};
use ggchat::engine::TemplateChoice;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::params::{ModelParams, SamplingParams};

/// Resident memory of this process in bytes (Linux).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("resident pages");
    pages * 4096
}

#[test]
fn three_hundred_turns_in_a_small_context() {
    let mut engine = BlockingEngine::start().unwrap();
    let params = ModelParams {
        ctx_size: Some(256),
        ..ModelParams::default()
    };
    engine
        .load(
            &common::default_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .unwrap();
    let sampling = SamplingParams {
        temperature: 0.8,
        seed: Some(3),
        max_tokens: 12,
        ..SamplingParams::default()
    };
    let mut conversation = Conversation::new("You are a helpful assistant.");
    let mut warmed_up = 0;
    let mut peak = 0;
    let mut dropped_max = 0;
    let turns: usize = std::env::var("GGCHAT_STABILITY_TURNS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(300);
    for turn in 1..=turns {
        let t0 = std::time::Instant::now();
        conversation.messages.push(Message::user(format!(
            "Turn {turn}: give me one word about the sea."
        )));
        let reply = engine
            .generate(
                conversation.prompt_messages(),
                &sampling,
                false,
                true,
                |_| Flow::Continue,
            )
            .unwrap_or_else(|e| panic!("turn {turn}: {e:#}"));
        assert!(
            reply.stats.stop_reason.is_some(),
            "turn {turn} did not finish"
        );
        assert!(reply.stats.context_used <= 256);
        dropped_max = dropped_max.max(reply.stats.dropped_turns);
        if std::env::var_os("GGCHAT_STABILITY_TRACE").is_some() {
            println!(
                "turn {turn}: {:?} prompt {} evaluated {} reused {} dropped {}",
                t0.elapsed(),
                reply.prompt_tokens,
                reply.stats.prompt_tokens_evaluated,
                reply.stats.prompt_tokens_reused,
                reply.stats.dropped_turns
            );
        }
        conversation.messages.push(Message::assistant(reply.text));
        if turn == 20 {
            warmed_up = resident_bytes();
        }
        if turn > 20 {
            peak = peak.max(resident_bytes());
        }
    }
    let growth = peak.saturating_sub(warmed_up);
    println!(
        "resident after warm-up {} MiB, peak {} MiB, growth {} KiB, at most {dropped_max} turns dropped",
        warmed_up >> 20,
        peak >> 20,
        growth >> 10
    );
    assert!(dropped_max > 0, "the small context forced old turns out");
    // The conversation itself grows by a few KB a turn; anything like a leaked context or KV
    // cache (tens of MB) would blow through this.
    assert!(
        growth < 24 << 20,
        "memory grew by {} MiB over 280 turns",
        growth >> 20
    );
}
