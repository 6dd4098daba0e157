//! Speculative decoding (prompt lookup) against the real default model: the replies are the
//! ones plain decoding gives, token for token, and they end where plain decoding ends them.
//!
//! Verifying guesses decodes several positions of a sequence in one batch where plain decoding
//! decodes one. Those give the same logits, bit for bit, only when llama.cpp's CPU attention
//! rounds a batch like a single token: with flash attention on and one thread (measured with
//! `examples/batch_invariance.rs`: with two threads a single token past 512 cells takes the
//! split-KV kernel, and without flash attention the batched path differs at any thread count).
//! So these tests use that configuration; each slot has its own KV cells (the default), so
//! neighbours never change a reply.

mod common;

use ggchat::chat::{Message, StopReason};
use ggchat::engine::TemplateChoice;
use ggchat::engine::blocking::{BlockingEngine, Flow, Reply};
use ggchat::params::{FlashAttention, ModelParams, SamplingParams, Speculation};

const CODE: &str = include_str!("fixtures/speculation/code.txt");
const SUMMARY: &str = include_str!("fixtures/speculation/summary.txt");
const CHAT: &str = include_str!("fixtures/speculation/chat.txt");
const CHINESE: &str = include_str!("fixtures/speculation/chinese.txt");

fn engine() -> BlockingEngine {
    engine_with(ModelParams::default())
}

/// `params` with flash attention on and one thread (see the module docs).
fn engine_with(params: ModelParams) -> BlockingEngine {
    let mut engine = BlockingEngine::start().expect("engine starts");
    let params = ModelParams {
        flash_attention: FlashAttention::On,
        threads: Some(1),
        ..params
    };
    engine
        .load(
            &common::default_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .expect("default model loads");
    engine
}

/// Greedy, with the default repeat penalty (so the sampler's history must stay exact).
fn greedy(speculation: Speculation, draft_max: Option<u32>, max_tokens: u32) -> SamplingParams {
    SamplingParams {
        temperature: 0.0,
        max_tokens,
        speculation,
        draft_max,
        ..SamplingParams::default()
    }
}

fn ask(engine: &mut BlockingEngine, messages: Vec<Message>, sampling: &SamplingParams) -> Reply {
    engine
        .generate(messages, sampling, false, false, |_| Flow::Continue)
        .expect("the reply is generated")
}

/// The figures that must not depend on speculation.
fn outcome(reply: &Reply) -> (String, usize, Option<StopReason>, usize) {
    (
        reply.text.clone(),
        reply.stats.generated_tokens,
        reply.stats.stop_reason,
        reply.stats.context_used,
    )
}

#[test]
fn greedy_replies_are_the_same_with_and_without_lookup() {
    let mut engine = engine();
    let mut accepted = Vec::new();
    for (name, prompt) in [
        ("code", CODE),
        ("summary", SUMMARY),
        ("chat", CHAT),
        ("chinese", CHINESE),
    ] {
        let messages = vec![Message::user(prompt)];
        let plain = ask(
            &mut engine,
            messages.clone(),
            &greedy(Speculation::Off, None, 160),
        );
        assert_eq!(
            plain.stats.speculation, None,
            "{name}: no speculation asked"
        );
        for draft_max in [None, Some(8)] {
            let sampling = greedy(Speculation::Lookup, draft_max, 160);
            let fast = ask(&mut engine, messages.clone(), &sampling);
            assert_eq!(
                outcome(&fast),
                outcome(&plain),
                "{name} with draft_max {draft_max:?}: {:?}",
                fast.stats.speculation
            );
            let stats = fast.stats.speculation.expect("speculation figures");
            eprintln!("{name} draft_max {draft_max:?}: {stats:?}");
            accepted.push((name, draft_max, stats.accepted));
        }
    }
    // Guessing for every step verified and kept guesses on every prompt.
    for (name, draft_max, n) in accepted {
        if draft_max.is_some() {
            assert!(
                n >= 10,
                "{name}, draft_max {draft_max:?}: only {n} accepted"
            );
        }
    }
}

/// A sentence the model copies when asked a second time (the 135M model rarely copies a sentence
/// on the first request): guesses from its first answer are kept for most of the reply, and the
/// end-of-generation token follows the copied text in that answer itself.
const SENTENCE: &str = "The quick brown fox jumps over the lazy dog near the old river bank, and \
                        the farmer watches it from his gate.";

fn copy_messages() -> Vec<Message> {
    vec![
        Message::user(format!("Repeat this sentence exactly: {SENTENCE}")),
        Message::assistant(SENTENCE),
        Message::user("Again, exactly the same."),
    ]
}

fn copy_turn(engine: &mut BlockingEngine, sampling: &SamplingParams) -> Reply {
    ask(engine, copy_messages(), sampling)
}

/// The next turn after `first`, reusing the cache the first turn left: it matches a fresh
/// evaluation only if that cache holds exactly the first reply's tokens.
fn second_turn(engine: &mut BlockingEngine, first: &Reply, sampling: &SamplingParams) -> Reply {
    let mut messages = copy_messages();
    messages.push(Message::assistant(first.text.clone()));
    messages.push(Message::user("Now say it again, but shorter."));
    engine
        .generate(messages, sampling, false, true, |_| Flow::Continue)
        .expect("the second turn is generated")
}

#[test]
fn replies_end_inside_accepted_guesses_exactly_where_plain_decoding_ends_them() {
    let mut engine = engine();
    let plain = greedy(Speculation::Off, None, 80);
    let fast = greedy(Speculation::Lookup, Some(8), 80);
    // End of generation: the copy ends and the prompt's own end-of-turn token was guessed.
    let reference = copy_turn(&mut engine, &plain);
    assert_eq!(
        reference.stats.stop_reason,
        Some(StopReason::EndOfGeneration)
    );
    let guessed = copy_turn(&mut engine, &fast);
    assert_eq!(outcome(&guessed), outcome(&reference));
    let stats = guessed.stats.speculation.expect("figures");
    assert!(
        stats.accepted * 2 >= guessed.stats.generated_tokens,
        "the copy came from guesses: {stats:?}"
    );
    let next_reference = second_turn(&mut engine, &reference, &plain);
    let _ = copy_turn(&mut engine, &fast);
    let next = second_turn(&mut engine, &guessed, &plain);
    assert_eq!(
        outcome(&next),
        outcome(&next_reference),
        "the cache after the copy"
    );

    // A stop string in the middle of the copy.
    let stop = |mut s: SamplingParams| {
        s.stop = vec!["lazy dog".into()];
        s
    };
    let reference = copy_turn(&mut engine, &stop(plain.clone()));
    assert_eq!(reference.stats.stop_reason, Some(StopReason::StopString));
    let guessed = copy_turn(&mut engine, &stop(fast.clone()));
    assert_eq!(outcome(&guessed), outcome(&reference));

    // The length limit in the middle of the copy.
    let limit = reference.stats.generated_tokens as u32 + 2;
    let reference = copy_turn(&mut engine, &greedy(Speculation::Off, None, limit));
    assert_eq!(reference.stats.stop_reason, Some(StopReason::MaxTokens));
    let guessed = copy_turn(&mut engine, &greedy(Speculation::Lookup, Some(8), limit));
    assert_eq!(outcome(&guessed), outcome(&reference));
}

#[test]
fn a_reply_cancelled_mid_guess_ends_like_a_plain_cancel_and_the_engine_goes_on() {
    let mut engine = engine();
    let fast = greedy(Speculation::Lookup, Some(8), 80);
    let reference = copy_turn(&mut engine, &greedy(Speculation::Off, None, 80));
    let mut pieces = 0;
    let cancelled = engine
        .generate(copy_messages(), &fast, false, false, |_| {
            pieces += 1;
            if pieces >= 3 {
                Flow::Cancel
            } else {
                Flow::Continue
            }
        })
        .expect("the reply ends");
    assert_eq!(cancelled.stats.stop_reason, Some(StopReason::Cancelled));
    assert!(cancelled.stats.speculation.expect("figures").accepted > 0);
    assert!(reference.text.starts_with(&cancelled.text), "{cancelled:?}");
    // As after a plain cancel, the cache holds the prompt and every emitted token but the last
    // (sampled, sent, not yet decoded): no guess the step verified is left in it.
    assert_eq!(
        cancelled.stats.context_used,
        cancelled.prompt_tokens + cancelled.stats.generated_tokens - 1
    );
    let again = copy_turn(&mut engine, &fast);
    assert_eq!(outcome(&again), outcome(&reference));
}

#[test]
fn draft_speculation_without_a_draft_model_is_a_clear_error() {
    let mut engine = engine();
    let sampling = greedy(Speculation::Draft, None, 8);
    let error = engine
        .generate(vec![Message::user("Hi")], &sampling, false, false, |_| {
            Flow::Continue
        })
        .expect_err("no draft model to guess with");
    let text = format!("{error:#}");
    assert!(
        text.contains("needs a draft model") && text.contains("--speculation lookup"),
        "{text}"
    );
    // The engine still answers.
    let plain = ask(
        &mut engine,
        vec![Message::user("Hi")],
        &greedy(Speculation::Off, None, 8),
    );
    assert!(plain.stats.generated_tokens > 0);
}

#[test]
fn a_seeded_sampled_reply_is_the_same_with_lookup() {
    let mut engine = engine();
    let messages = vec![Message::user(CODE)];
    let sampled = |speculation| SamplingParams {
        temperature: 0.8,
        seed: Some(1234),
        max_tokens: 160,
        speculation,
        draft_max: Some(6),
        ..SamplingParams::default()
    };
    let plain = ask(&mut engine, messages.clone(), &sampled(Speculation::Off));
    let fast = ask(&mut engine, messages, &sampled(Speculation::Lookup));
    assert_eq!(outcome(&fast), outcome(&plain));
    assert!(fast.stats.speculation.expect("figures").accepted > 0);
}

#[test]
fn a_reply_guessing_up_to_a_full_context_stops_where_plain_decoding_stops() {
    let mut engine = engine_with(ModelParams {
        ctx_size: Some(256),
        ..ModelParams::default()
    });
    let messages = vec![
        Message::user("Count from 1 to 500, separated by commas."),
        Message::assistant("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,"),
    ];
    let count = |engine: &mut BlockingEngine, speculation| {
        let sampling = SamplingParams {
            repeat_penalty: 1.0,
            ..greedy(speculation, Some(8), 1000)
        };
        engine
            .generate(messages.clone(), &sampling, true, false, |_| Flow::Continue)
            .expect("the reply is generated")
    };
    let plain = count(&mut engine, Speculation::Off);
    assert_eq!(plain.stats.stop_reason, Some(StopReason::ContextFull));
    let fast = count(&mut engine, Speculation::Lookup);
    assert_eq!(outcome(&fast), outcome(&plain));
    assert!(fast.stats.speculation.expect("figures").accepted > 0);
}

/// Pure greedy (no repeat penalty): the draft model takes its likeliest token, so with the
/// model as its own draft every guess is the target's own choice.
fn pure_greedy(speculation: Speculation) -> SamplingParams {
    SamplingParams {
        temperature: 0.0,
        repeat_penalty: 1.0,
        max_tokens: 120,
        speculation,
        ..SamplingParams::default()
    }
}

#[test]
fn the_default_model_as_its_own_draft_model_is_right_every_time() {
    let mut engine = engine_with(ModelParams {
        draft_model: Some(common::default_model()),
        ..ModelParams::default()
    });
    for (name, prompt) in [("code", CODE), ("chat", CHAT), ("chinese", CHINESE)] {
        let messages = vec![Message::user(prompt)];
        let plain = ask(
            &mut engine,
            messages.clone(),
            &pure_greedy(Speculation::Off),
        );
        let drafted = ask(&mut engine, messages, &pure_greedy(Speculation::Draft));
        assert_eq!(outcome(&drafted), outcome(&plain), "{name}");
        let stats = drafted.stats.speculation.expect("speculation figures");
        eprintln!("{name}: {stats:?}");
        assert!(stats.drafted >= 20, "{name}: {stats:?}");
        assert_eq!(stats.accepted, stats.drafted, "{name}: every guess kept");
    }
}

#[test]
fn a_draft_model_with_another_vocabulary_is_refused_naming_both_files() {
    let mut engine = BlockingEngine::start().expect("engine starts");
    let params = ModelParams {
        draft_model: Some(common::gemma_model()),
        ..ModelParams::default()
    };
    let error = engine
        .load(
            &common::default_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .map(drop)
        .expect_err("Gemma's vocabulary is not SmolLM2's");
    let text = format!("{error:#}");
    for part in [
        "as a draft model for",
        "vocabularies differ",
        "gemma-3-270m-q4_k_m.gguf",
        "SmolLM2-135M-Instruct.Q4_1.gguf",
    ] {
        assert!(text.contains(part), "{part:?} missing: {text}");
    }
    // The engine still loads the model without it.
    engine
        .load(
            &common::default_model(),
            &ModelParams::default(),
            &TemplateChoice::FromModel,
            |_| {},
        )
        .expect("default model loads");
    let plain = ask(
        &mut engine,
        vec![Message::user("Hi")],
        &greedy(Speculation::Off, None, 8),
    );
    assert!(plain.stats.generated_tokens > 0);
}
