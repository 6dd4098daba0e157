//! "Regenerate ×N" on the engine: several replies from one prompt evaluation, against the real
//! default model (`crate::engine::scheduler::fanout`).

mod common;

use ggchat::chat::{Message, StopReason};
use ggchat::engine::blocking::{BlockingEngine, Flow, Reply};
use ggchat::engine::scheduler::chat_params;
use ggchat::engine::{BenchShape, GenerateRequest, TemplateChoice};
use ggchat::params::{ModelParams, SamplingParams};
use std::time::Instant;

fn engine_with(params: &ModelParams) -> BlockingEngine {
    let mut engine = BlockingEngine::start().expect("engine starts");
    engine
        .load(
            &common::default_model(),
            params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .expect("default model loads");
    engine
}

fn chat_engine() -> BlockingEngine {
    engine_with(&chat_params(&ModelParams::default()))
}

fn messages() -> Vec<Message> {
    vec![
        Message::system("You are a helpful assistant."),
        Message::user("Write one sentence about the sea."),
    ]
}

fn sampling(temperature: f32, max_tokens: u32) -> SamplingParams {
    SamplingParams {
        temperature,
        max_tokens,
        seed: Some(42),
        ..SamplingParams::default()
    }
}

fn alternatives(engine: &mut BlockingEngine, n: u8, sampling: SamplingParams) -> Vec<Reply> {
    let request = GenerateRequest {
        alternatives: n,
        ..GenerateRequest::new(messages(), sampling)
    };
    engine
        .run_alternatives(request, |_, _| Flow::Continue)
        .expect("alternatives run")
}

fn single(engine: &mut BlockingEngine, sampling: &SamplingParams) -> Reply {
    engine
        .generate(messages(), sampling, false, true, |_| Flow::Continue)
        .expect("a reply")
}

#[test]
fn three_alternatives_evaluate_the_prompt_once_and_differ_when_sampled() {
    let mut engine = chat_engine();
    let replies = alternatives(&mut engine, 3, sampling(1.0, 24));
    assert_eq!(replies.len(), 3);
    let prompt = replies[0].prompt_tokens;
    assert!(prompt > 10, "prompt of {prompt} tokens");
    // The first alternative evaluated the prompt; the others reused all of it.
    assert_eq!(replies[0].stats.prompt_tokens_evaluated, prompt);
    for reply in &replies[1..] {
        assert_eq!(reply.stats.prompt_tokens_evaluated, 0, "{:?}", reply.stats);
        assert_eq!(reply.stats.prompt_tokens_reused, prompt);
        assert_eq!(reply.prompt_tokens, prompt);
    }
    let seeds: Vec<u32> = replies.iter().map(|r| r.stats.seed).collect();
    assert_eq!(seeds, [42, 43, 44]);
    for reply in &replies {
        assert!(reply.stats.generated_tokens > 0 && !reply.text.is_empty());
    }
    let texts: Vec<&str> = replies.iter().map(|r| r.text.as_str()).collect();
    assert!(
        texts[0] != texts[1] || texts[1] != texts[2],
        "three sampled alternatives came out the same: {texts:?}"
    );
}

/// The chat's context (one unified stream) leaves a lone reply exactly as in today's
/// one-sequence context (until a ×N leaves other sequences' cells beside it). The ×3 replies themselves decode side by side in
/// one stream, where llama.cpp's CPU attention rounds a sequence by its neighbours (see
/// `ggchat::engine::scheduler`): greedy alternatives start as the lone reply and may drift later.
/// With a stream per slot (`serve`'s default) they are the lone reply, bit for bit, and a sampled
/// alternative `k` is the lone reply with seed `seed + k`.
#[test]
fn greedy_alternatives_equal_the_lone_greedy_reply_in_every_layout() {
    let greedy = sampling(0.0, 32);
    // Today's chat context (one sequence) is the reference.
    let reference = single(&mut engine_with(&ModelParams::default()), &greedy).text;
    let first_word = reference.split_whitespace().next().expect("a reply");

    let mut chat = chat_engine();
    assert_eq!(
        single(&mut chat, &greedy).text,
        reference,
        "lone reply, chat context"
    );
    for (k, reply) in alternatives(&mut chat, 3, greedy.clone())
        .iter()
        .enumerate()
    {
        let same = reply
            .text
            .chars()
            .zip(reference.chars())
            .take_while(|(a, b)| a == b)
            .count();
        println!(
            "chat context: greedy alternative {} shares {same} of {} characters with the lone reply",
            k + 1,
            reference.len()
        );
        assert!(
            reply.text.starts_with(first_word),
            "{:?} vs {reference:?}",
            reply.text
        );
    }

    let mut serve = engine_with(&ModelParams {
        parallel: 3,
        ..ModelParams::default()
    });
    for reply in alternatives(&mut serve, 3, greedy.clone()) {
        assert_eq!(reply.text, reference, "×3 with per-slot streams");
    }
    let sampled = alternatives(&mut serve, 3, sampling(1.0, 16));
    for (k, reply) in sampled.iter().enumerate() {
        let seed = Some(42 + k as u32);
        let lone = single(
            &mut serve,
            &SamplingParams {
                seed,
                ..sampling(1.0, 16)
            },
        );
        assert_eq!(lone.text, reply.text, "sampled alternative {}", k + 1);
    }
}

#[test]
fn cancel_stops_every_alternative() {
    let mut engine = chat_engine();
    let request = GenerateRequest {
        alternatives: 3,
        bench: Some(BenchShape {
            prompt_tokens: None,
            ignore_eog: true,
        }),
        ..GenerateRequest::new(messages(), sampling(1.0, 400))
    };
    let mut pieces = 0;
    let replies = engine
        .run_alternatives(request, |_, _| {
            pieces += 1;
            if pieces >= 6 {
                Flow::Cancel
            } else {
                Flow::Continue
            }
        })
        .expect("cancelled alternatives still finish");
    assert_eq!(replies.len(), 3);
    for reply in &replies {
        assert_eq!(reply.stats.stop_reason, Some(StopReason::Cancelled));
        assert!(reply.stats.generated_tokens < 40, "{:?}", reply.stats);
    }
    // The engine is free again: a lone reply runs.
    assert!(
        single(&mut engine, &sampling(0.0, 4))
            .stats
            .generated_tokens
            > 0
    );
}

#[test]
fn more_alternatives_than_sequences_is_a_clear_error() {
    let mut engine = engine_with(&ModelParams::default());
    let request = GenerateRequest {
        alternatives: 3,
        ..GenerateRequest::new(messages(), sampling(0.0, 4))
    };
    let error = engine
        .run_alternatives(request, |_, _| Flow::Continue)
        .expect_err("one sequence cannot run three replies");
    let text = format!("{error:#}");
    assert!(
        text.contains("3 alternatives asked for") && text.contains("1 to 1"),
        "{text}"
    );
    let mut chat = chat_engine();
    let request = GenerateRequest {
        alternatives: 5,
        ..GenerateRequest::new(messages(), sampling(0.0, 4))
    };
    let text = format!(
        "{:#}",
        chat.run_alternatives(request, |_, _| Flow::Continue)
            .unwrap_err()
    );
    assert!(
        text.contains("5 alternatives asked for") && text.contains("1 to 4"),
        "{text}"
    );
}

/// The cost of ×3 against one reply, same prompt and length (end of generation ignored), run
/// interleaved so that a loaded machine slows both alike. Prints the figures; ×3 must cost well
/// under three replies.
#[test]
fn three_alternatives_cost_well_under_three_replies() {
    let mut engine = chat_engine();
    let tokens = 32;
    let request = |n: u8| GenerateRequest {
        alternatives: n,
        reuse_cache: false,
        bench: Some(BenchShape {
            prompt_tokens: Some(128),
            ignore_eog: true,
        }),
        ..GenerateRequest::new(Vec::new(), sampling(0.8, tokens))
    };
    let mut time = |n: u8| {
        let start = Instant::now();
        let replies = engine
            .run_alternatives(request(n), |_, _| Flow::Continue)
            .expect("bench replies");
        assert!(
            replies
                .iter()
                .all(|r| r.stats.generated_tokens == tokens as usize)
        );
        start.elapsed().as_secs_f64()
    };
    let (mut one, mut three) = (Vec::new(), Vec::new());
    for _ in 0..2 {
        one.push(time(1));
        three.push(time(3));
    }
    let median = |v: &mut Vec<f64>| v.iter().copied().fold(f64::INFINITY, f64::min);
    let (one, three) = (median(&mut one), median(&mut three));
    let ratio = three / one;
    println!(
        "alternatives cost (128-token prompt, {tokens} tokens each, best of 2): \
         ×1 {:.0} ms, ×3 {:.0} ms, ratio {ratio:.2}",
        one * 1000.0,
        three * 1000.0
    );
    assert!(ratio < 2.5, "×3 took {ratio:.2} times one reply");
}
