//! The engine against the real default model: KV-cache reuse, cancellation, context overflow,
//! UTF-8 streaming, seeds and template fallback.

mod common;

use ggchat::chat::{Conversation, Message, StopReason};
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::engine::{EngineError, TemplateChoice, TemplateSource};
use ggchat::i18n::{Lang, with_language};
use ggchat::params::{ModelParams, SamplingParams};

fn greedy(max_tokens: u32) -> SamplingParams {
    SamplingParams {
        temperature: 0.0,
        max_tokens,
        ..SamplingParams::default()
    }
}

fn engine_with(params: ModelParams) -> BlockingEngine {
    let mut engine = BlockingEngine::start().expect("engine starts");
    let info = engine
        .load(
            &common::default_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .expect("default model loads");
    assert_eq!(info.architecture, "llama");
    assert_eq!(info.template, TemplateSource::ModelBuiltin);
    engine
}

fn engine() -> BlockingEngine {
    engine_with(ModelParams::default())
}

#[test]
fn second_turn_evaluates_only_the_new_tokens() {
    let mut engine = engine();
    let mut conversation = Conversation::new("You are a helpful assistant.");
    conversation.messages.push(Message::user("Name a color."));
    let first = engine
        .generate(
            conversation.prompt_messages(),
            &greedy(16),
            false,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    assert_eq!(first.stats.prompt_tokens_reused, 0);
    assert_eq!(first.stats.prompt_tokens_evaluated, first.prompt_tokens);

    conversation
        .messages
        .push(Message::assistant(first.text.clone()));
    conversation
        .messages
        .push(Message::user("Name another one."));
    let second = engine
        .generate(
            conversation.prompt_messages(),
            &greedy(16),
            false,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    let stats = &second.stats;
    assert_eq!(
        stats.prompt_tokens_reused + stats.prompt_tokens_evaluated,
        second.prompt_tokens
    );
    // Everything of turn one is reused; only the reply's closing tag and the new message are new.
    assert!(
        stats.prompt_tokens_reused >= first.prompt_tokens + first.stats.generated_tokens - 1,
        "reused {} of a first turn of {} + {} tokens",
        stats.prompt_tokens_reused,
        first.prompt_tokens,
        first.stats.generated_tokens
    );
    assert!(
        stats.prompt_tokens_evaluated <= 16,
        "evaluated {} tokens for a 4-word message",
        stats.prompt_tokens_evaluated
    );

    // With reuse off, the whole prompt is evaluated again.
    let again = engine
        .generate(
            conversation.prompt_messages(),
            &greedy(4),
            false,
            false,
            |_| Flow::Continue,
        )
        .unwrap();
    assert_eq!(again.stats.prompt_tokens_reused, 0);
    assert_eq!(again.stats.prompt_tokens_evaluated, again.prompt_tokens);
}

#[test]
fn the_same_seed_gives_the_same_text() {
    let mut engine = engine();
    let sampling = SamplingParams {
        temperature: 1.0,
        seed: Some(1234),
        max_tokens: 40,
        ..SamplingParams::default()
    };
    let messages = vec![Message::user("Tell me a story about a fox.")];
    let mut run = |reuse| {
        engine
            .generate(messages.clone(), &sampling, false, reuse, |_| {
                Flow::Continue
            })
            .unwrap()
    };
    let a = run(true);
    let b = run(true);
    let c = run(false);
    assert!(!a.text.is_empty());
    assert_eq!(a.text, b.text);
    assert_eq!(a.text, c.text);
    assert_eq!(a.stats.seed, 1234);

    // Regenerating a later turn: the history comes from the cache, the reply must not change.
    let mut chat = messages.clone();
    chat.push(Message::assistant(a.text.clone()));
    chat.push(Message::user("Now tell me about its den."));
    let mut reply = || {
        engine
            .generate(chat.clone(), &sampling, false, true, |_| Flow::Continue)
            .unwrap()
    };
    let first = reply();
    let regenerated = reply();
    assert!(first.stats.prompt_tokens_reused > 0, "{:?}", first.stats);
    assert_eq!(first.text, regenerated.text);
}

#[test]
fn cancel_stops_within_a_few_tokens() {
    let mut engine = engine();
    let mut pieces = 0;
    let reply = engine
        .generate(
            vec![Message::user(
                "Write a long essay about the history of Rome.",
            )],
            &greedy(500),
            false,
            true,
            |_| {
                pieces += 1;
                if pieces >= 3 {
                    Flow::Cancel
                } else {
                    Flow::Continue
                }
            },
        )
        .unwrap();
    assert_eq!(reply.stats.stop_reason, Some(StopReason::Cancelled));
    assert!(
        reply.stats.generated_tokens <= 6,
        "{} tokens generated after cancelling at the third",
        reply.stats.generated_tokens
    );
    // The engine is still usable after a cancel.
    let next = engine
        .generate(vec![Message::user("Hi")], &greedy(8), false, true, |_| {
            Flow::Continue
        })
        .unwrap();
    assert!(next.stats.generated_tokens > 0);
}

#[test]
fn a_small_context_survives_long_conversations() {
    let mut engine = engine_with(ModelParams {
        ctx_size: Some(256),
        ..ModelParams::default()
    });
    let mut conversation = Conversation::new("You are a helpful assistant.");
    let mut dropped_seen = 0;
    for turn in 1..=10 {
        conversation.messages.push(Message::user(format!(
            "Turn {turn}. Here is a long message about gardens, rivers, mountains and the sea, \
             the kinds of trees that grow near water, and the birds that live there all year. \
             Please describe one of them in detail."
        )));
        let reply = engine
            .generate(
                conversation.prompt_messages(),
                &greedy(48),
                false,
                true,
                |_| Flow::Continue,
            )
            .unwrap_or_else(|e| panic!("turn {turn} failed: {e:#}"));
        assert!(reply.stats.context_used <= 256);
        assert!(reply.stats.stop_reason.is_some());
        dropped_seen = dropped_seen.max(reply.stats.dropped_turns);
        conversation.messages.push(Message::assistant(reply.text));
    }
    assert!(
        dropped_seen > 0,
        "old turns must be dropped to fit 256 tokens"
    );
}

#[test]
fn a_reply_that_fills_the_context_stops_with_context_full() {
    let mut engine = engine_with(ModelParams {
        ctx_size: Some(256),
        ..ModelParams::default()
    });
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 1000,
        repeat_penalty: 1.0,
        ..SamplingParams::default()
    };
    let reply = engine
        .generate(
            vec![
                Message::user("Count from 1 to 500, separated by commas."),
                Message::assistant("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,"),
            ],
            &sampling,
            true,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    assert_eq!(reply.stats.stop_reason, Some(StopReason::ContextFull));
    assert_eq!(reply.stats.context_used, 256);
}

#[test]
fn a_message_longer_than_the_context_is_a_clear_error() {
    let mut engine = engine_with(ModelParams {
        ctx_size: Some(256),
        ..ModelParams::default()
    });
    let long = "word ".repeat(400);
    let error = engine
        .generate(vec![Message::user(long)], &greedy(8), false, true, |_| {
            Flow::Continue
        })
        .unwrap_err();
    let err = error.to_string();
    assert!(err.contains("too long for the context"), "{err}");
    // The kind arrives with its numbers, and the UI can word it in Chinese.
    let kind = error
        .downcast_ref::<EngineError>()
        .expect("a typed engine error");
    let EngineError::PromptTooLong {
        needed, available, ..
    } = kind
    else {
        panic!("not PromptTooLong: {kind:?}");
    };
    assert!(needed > available && *available < 256, "{kind:?}");
    let chinese = with_language(Lang::ZhCn, || kind.localized());
    assert!(
        chinese.contains("消息太长") && chinese.contains(&needed.to_string()),
        "{chinese}"
    );
    // And the engine carries on.
    let ok = engine
        .generate(vec![Message::user("Hi")], &greedy(4), false, true, |_| {
            Flow::Continue
        })
        .unwrap();
    assert!(ok.stats.generated_tokens > 0);
}

#[test]
fn chinese_and_emoji_replies_arrive_whole() {
    let mut engine = engine();
    for (prompt, wanted) in [
        ("请用中文回答:中国的首都是哪里?", '\u{4e00}'..='\u{9fff}'),
        (
            "Write three emoji that describe happiness.",
            '\u{1f300}'..='\u{1faff}',
        ),
    ] {
        let mut pieces = Vec::new();
        let reply = engine
            .generate(
                vec![
                    Message::system("You are a helpful, concise assistant."),
                    Message::user(prompt),
                ],
                &greedy(40),
                false,
                true,
                |piece| {
                    pieces.push(piece.to_owned());
                    Flow::Continue
                },
            )
            .unwrap();
        assert!(
            reply.text.chars().any(|c| wanted.contains(&c)),
            "no character in {wanted:?} in {:?}",
            reply.text
        );
        assert!(
            !reply.text.contains(char::REPLACEMENT_CHARACTER),
            "a split character was garbled: {:?}",
            reply.text
        );
        assert_eq!(pieces.concat(), reply.text);
    }
}

#[test]
fn stop_strings_end_the_reply_before_them() {
    let mut engine = engine();
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 64,
        stop: vec!["Paris".into()],
        ..SamplingParams::default()
    };
    let reply = engine
        .generate(
            vec![Message::user("What is the capital of France?")],
            &sampling,
            false,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    assert_eq!(reply.stats.stop_reason, Some(StopReason::StopString));
    assert!(!reply.text.contains("Paris"), "{}", reply.text);
}

#[test]
fn a_model_without_a_template_falls_back_to_chatml() {
    let mut engine = BlockingEngine::start().unwrap();
    let info = engine
        .load(
            &common::gemma_model(),
            &ModelParams::default(),
            &TemplateChoice::FromModel,
            |_| {},
        )
        .unwrap();
    assert_eq!(
        info.template,
        TemplateSource::Fallback {
            name: "chatml".into()
        }
    );
    assert!(info.template.to_string().contains("no chat template"));
    let reply = engine
        .generate(
            vec![Message::user("Hello")],
            &greedy(8),
            false,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    assert!(reply.prompt_tokens > 0);
    assert!(reply.stats.context_used >= reply.prompt_tokens);
}

#[test]
fn a_template_can_be_forced_by_name_and_unknown_names_are_refused() {
    let mut engine = BlockingEngine::start().unwrap();
    let model = common::default_model();
    let forced = TemplateChoice::Named("llama3".into());
    let info = engine
        .load(&model, &ModelParams::default(), &forced, |_| {})
        .unwrap();
    assert_eq!(
        info.template,
        TemplateSource::Forced {
            name: "llama3".into()
        }
    );
    let bad = TemplateChoice::Named("no-such-template".into());
    let err = engine
        .load(&model, &ModelParams::default(), &bad, |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("unknown chat template 'no-such-template'"),
        "{err}"
    );
}

#[test]
fn load_reports_progress_and_raw_bench_runs() {
    let mut engine = BlockingEngine::start().unwrap();
    let mut fractions = Vec::new();
    engine
        .load(
            &common::default_model(),
            &ModelParams::default(),
            &TemplateChoice::FromModel,
            |f| fractions.push(f),
        )
        .unwrap();
    assert!(!fractions.is_empty());
    assert!(fractions.windows(2).all(|w| w[0] <= w[1]));
    let result = engine.bench(64, 8).unwrap();
    assert_eq!(result.prompt_tokens, 64);
    assert!(result.prompt_tokens_per_second > 0.0 && result.gen_tokens_per_second > 0.0);
}

#[test]
fn a_jinja_template_that_fails_mid_chat_falls_back_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("fragile.jinja");
    std::fs::write(
        &template,
        "{% if messages|length > 2 %}{{ raise_exception('only one question allowed') }}{% endif %}\
         {% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}\
         {% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
    )
    .unwrap();
    let mut engine = BlockingEngine::start().unwrap();
    let choice = TemplateChoice::Named(template.display().to_string());
    let info = engine
        .load(
            &common::default_model(),
            &ModelParams::default(),
            &choice,
            |_| {},
        )
        .unwrap();
    assert!(matches!(info.template, TemplateSource::Forced { .. }));
    let first = engine
        .generate(vec![Message::user("Hi")], &greedy(8), false, true, |_| {
            Flow::Continue
        })
        .unwrap();
    assert_eq!(first.notice, None);
    let messages = vec![
        Message::system("Be brief."),
        Message::user("Hi"),
        Message::assistant(first.text),
        Message::user("And again?"),
    ];
    let second = engine
        .generate(messages, &greedy(8), false, true, |_| Flow::Continue)
        .unwrap();
    let notice = second.notice.expect("the fallback is reported");
    assert!(notice.contains("only one question allowed"), "{notice}");
    assert!(notice.contains("ChatML"), "{notice}");
}

#[test]
fn a_raw_prompt_is_completed_as_is_and_checked_against_the_context() {
    use ggchat::engine::GenerateRequest;
    let mut engine = engine_with(ModelParams {
        ctx_size: Some(256),
        ..ModelParams::default()
    });
    let raw = |text: &str| GenerateRequest {
        raw_prompt: Some(text.to_owned()),
        ..GenerateRequest::new(Vec::new(), greedy(8))
    };
    // No template, no system prompt: BOS and the text's own few tokens.
    let reply = engine
        .run(raw("The capital of France is"), |_| Flow::Continue)
        .unwrap();
    assert!(
        (5..=8).contains(&reply.prompt_tokens),
        "{} prompt tokens",
        reply.prompt_tokens
    );
    assert!(reply.text.contains("Paris"), "{:?}", reply.text);
    let long = engine
        .run(raw(&"word ".repeat(400)), |_| Flow::Continue)
        .unwrap_err();
    let kind = long.downcast_ref::<EngineError>().expect("a typed error");
    assert!(
        matches!(kind, EngineError::PromptTooLong { needed, .. } if *needed > 256),
        "{kind:?}"
    );
}
