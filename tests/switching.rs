//! Switching models at runtime: the conversation carries over, a failed load keeps the old model.

mod common;

use ggchat::chat::{Conversation, Message};
use ggchat::engine::TemplateChoice;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::params::{ModelParams, SamplingParams};

fn greedy() -> SamplingParams {
    SamplingParams {
        temperature: 0.0,
        max_tokens: 16,
        ..SamplingParams::default()
    }
}

#[test]
fn switching_models_mid_conversation_keeps_the_history() {
    let mut engine = BlockingEngine::start().unwrap();
    let params = ModelParams::default();
    let first = engine
        .load(
            &common::default_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .unwrap();
    assert_eq!(first.architecture, "llama");
    let mut conversation = Conversation::new("You are a helpful assistant.");
    conversation
        .messages
        .push(Message::user("My name is Ada. Say hello."));
    let reply = engine
        .generate(
            conversation.prompt_messages(),
            &greedy(),
            false,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    conversation.messages.push(Message::assistant(reply.text));

    // A broken file fails to load and the running model stays.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.gguf");
    std::fs::write(&broken, b"GGUF\x03\x00\x00\x00garbage").unwrap();
    let err = engine
        .load(&broken, &params, &TemplateChoice::FromModel, |_| {})
        .unwrap_err()
        .to_string();
    assert!(err.contains("broken.gguf"), "{err}");
    conversation
        .messages
        .push(Message::user("What is my name?"));
    let still_first = engine
        .generate(
            conversation.prompt_messages(),
            &greedy(),
            false,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    assert!(
        still_first.stats.prompt_tokens_reused > 0,
        "the old model and its cache are still there"
    );

    // Switch to Gemma: the same history goes to the new model, evaluated from scratch.
    let second = engine
        .load(
            &common::gemma_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .unwrap();
    assert_eq!(second.architecture, "gemma3");
    let on_gemma = engine
        .generate(
            conversation.prompt_messages(),
            &greedy(),
            false,
            true,
            |_| Flow::Continue,
        )
        .unwrap();
    assert_eq!(on_gemma.stats.prompt_tokens_reused, 0);
    assert!(
        on_gemma.prompt_tokens > 20,
        "the whole history is in the prompt"
    );
    assert!(on_gemma.stats.context_used >= on_gemma.prompt_tokens);
    assert_ne!(
        on_gemma.prompt_tokens, still_first.prompt_tokens,
        "a different tokenizer and template produced the prompt"
    );
}
