//! The "Thinking" block of the chat on ratatui's test backend, fed synthetic engine events: open
//! while the reasoning streams, folded to one line once the answer starts, unfolded by Alt+T, in
//! English and Chinese; and thinking tokens counted apart in the status bar.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ggchat::chat::{Conversation, ReplyStats, StopReason};
use ggchat::engine::{EngineCommand, EngineEvent, EngineLink, ModelInfo};
use ggchat::i18n::{Lang, with_language};
use ggchat::params::SamplingParams;
use ggchat::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

#[path = "tui_support/mod.rs"]
mod tui_support;

/// A reasoning model whose template opens no tag (the reply starts with its own `<think>`).
fn model_info() -> ModelInfo {
    ModelInfo {
        path: "/models/Qwen3-0.6B-Q8_0.gguf".into(),
        name: "Qwen3 0.6B".into(),
        architecture: "qwen3".into(),
        parameter_count: 596_049_920,
        quantization: "Q8_0".into(),
        file_size: 639_446_688,
        trained_ctx: 40960,
        generation_prompt: "<|im_start|>assistant\n".into(),
        thinking_prompts: None,
        ..tui_support::model_info()
    }
}

fn app() -> (App, Receiver<EngineCommand>) {
    let (tx, rx) = channel();
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new(""),
        SamplingParams::default(),
    );
    app.loading(1, "Qwen3".into());
    app.handle_engine(EngineEvent::ModelLoaded {
        id: 1,
        info: model_info(),
    });
    (app, rx)
}

/// The screen as a terminal shows it: a wide character covers the cell after it.
fn draw(app: &mut App, width: u16, height: u16) -> String {
    let now = app.streaming().map_or_else(Instant::now, |s| s.started);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw_at(frame, now)).unwrap();
    tui_support::screen_text(terminal.backend().buffer())
}

/// Sends a message and streams two pieces of reasoning; returns the request id.
fn thinking(app: &mut App, rx: &Receiver<EngineCommand>) -> u64 {
    for c in "What is 2+2?".chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    let Ok(EngineCommand::Generate(request)) = rx.try_recv() else {
        panic!("no generate command");
    };
    let id = request.id;
    app.handle_engine(EngineEvent::Started {
        id,
        prompt_tokens: 20,
        dropped_turns: 0,
        notice: None,
    });
    for text in ["The user asks for 2+2.", " That is 4."] {
        app.handle_engine(EngineEvent::Reasoning {
            id,
            text: text.into(),
        });
    }
    id
}

fn answer(app: &mut App, id: u64) {
    app.handle_engine(EngineEvent::Token {
        id,
        text: "2+2 is **4**.".into(),
    });
    app.handle_engine(EngineEvent::Finished {
        id,
        stats: ReplyStats {
            generated_tokens: 9,
            generation_tokens_per_second: 150.0,
            time_to_first_token_ms: 40.0,
            context_used: 40,
            stop_reason: Some(StopReason::EndOfGeneration),
            ..Default::default()
        },
    });
}

fn alt_t() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('t'), KeyModifiers::ALT)
}

#[test]
fn the_thinking_block_is_open_while_it_streams_and_folded_after() {
    let (mut app, rx) = app();
    let id = thinking(&mut app, &rx);
    let open = draw(&mut app, 80, 14);
    assert!(open.contains("▾ Thinking"), "{open}");
    assert!(open.contains("thinking 2 · answer 0 tok"), "{open}");
    insta::assert_snapshot!("open_while_streaming", open);

    answer(&mut app, id);
    let folded = draw(&mut app, 80, 14);
    assert!(folded.contains("▸ Thinking · 2 tokens · 0.0s"), "{folded}");
    assert!(!folded.contains("That is 4."), "{folded}");
    assert!(folded.contains("thinking 2 · answer 7 tok"), "{folded}");
    insta::assert_snapshot!("folded_after_the_answer", folded);

    app.handle_key(alt_t());
    let unfolded = draw(&mut app, 80, 14);
    assert!(
        unfolded.contains("│ The user asks for 2+2. That is 4."),
        "{unfolded}"
    );
    app.handle_key(alt_t());
    assert_eq!(draw(&mut app, 80, 14), folded);
}

#[test]
fn the_thinking_block_in_chinese() {
    let (mut app, rx) = app();
    let id = thinking(&mut app, &rx);
    let open = with_language(Lang::ZhCn, || draw(&mut app, 80, 14));
    assert!(open.contains("▾ 思考"), "{open}");
    insta::assert_snapshot!("open_while_streaming_zh", open);
    answer(&mut app, id);
    let folded = with_language(Lang::ZhCn, || draw(&mut app, 80, 14));
    assert!(folded.contains("▸ 思考 · 2 个词元 · 0.0 秒"), "{folded}");
    insta::assert_snapshot!("folded_after_the_answer_zh", folded);
}
