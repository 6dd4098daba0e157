//! The chat screen on ratatui's test backend, fed synthetic engine events: snapshots of each view
//! and the app's reactions to keys and events (what it asks the engine to do).

#[path = "common/mod.rs"]
mod common;
#[path = "tui_support/mod.rs"]
mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ggchat::chat::{Conversation, Message, ReplyStats, StopReason};
use ggchat::engine::{Engine, EngineCommand, EngineEvent, EngineLink};
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::tui::app::{App, ModelState, Startup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;
use tui_support::model_info;

/// An app with a ready model and the receiving end of its engine commands.
fn app() -> (App, Receiver<EngineCommand>) {
    let (tx, rx) = channel();
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new("You are a helpful, concise assistant."),
        SamplingParams::default(),
    );
    app.loading(1, "SmolLM2".into());
    app.handle_engine(EngineEvent::ModelLoaded {
        id: 1,
        info: model_info(),
    });
    (app, rx)
}

/// Like [`app`], with the model loaded from a file (so model settings can reload it).
fn app_with_model_file() -> (App, Receiver<EngineCommand>) {
    let (tx, rx) = channel();
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new("You are a helpful, concise assistant."),
        SamplingParams::default(),
    );
    app.load_model("/models/SmolLM2-135M-Instruct.Q4_1.gguf".into());
    let Ok(EngineCommand::LoadModel { id, .. }) = rx.try_recv() else {
        panic!("the model load was not asked for")
    };
    app.handle_engine(EngineEvent::ModelLoaded {
        id,
        info: model_info(),
    });
    (app, rx)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
}

fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    // Drawn as at the start of the reply: the spinner on its first frame and the live speed
    // hidden, for stable snapshots.
    let now = app.streaming().map_or_else(Instant::now, |s| s.started);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw_at(frame, now)).unwrap();
    terminal
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Sends the typed message and returns the generate request id.
fn send(app: &mut App, rx: &Receiver<EngineCommand>, text: &str) -> u64 {
    type_text(app, text);
    app.handle_key(key(KeyCode::Enter));
    match rx.try_recv().expect("a generate command") {
        EngineCommand::Generate(request) => request.id,
        other => panic!("unexpected {other:?}"),
    }
}

fn finish(app: &mut App, id: u64, text: &str, stop: StopReason) {
    app.handle_engine(EngineEvent::Token {
        id,
        text: text.into(),
    });
    app.handle_engine(EngineEvent::Finished {
        id,
        stats: ReplyStats {
            generated_tokens: 12,
            generation_tokens_per_second: 150.0,
            time_to_first_token_ms: 40.0,
            context_used: 120,
            stop_reason: Some(stop),
            ..Default::default()
        },
    });
}

#[test]
fn a_reply_streaming() {
    let (mut app, rx) = app();
    let id = send(&mut app, &rx, "What is the capital of France?");
    app.handle_engine(EngineEvent::Started {
        id,
        prompt_tokens: 30,
        dropped_turns: 0,
        notice: None,
    });
    for piece in ["The capital", " of France", " is **Paris**"] {
        app.handle_engine(EngineEvent::Token {
            id,
            text: piece.into(),
        });
    }
    insta::assert_snapshot!(screen(&draw(&mut app, 60, 16)));
}

#[test]
fn a_long_conversation_scrolled_up() {
    let (mut app, rx) = app();
    for i in 0..40 {
        let id = send(&mut app, &rx, &format!("Question number {i}"));
        finish(
            &mut app,
            id,
            &format!("Answer number {i}."),
            StopReason::EndOfGeneration,
        );
    }
    app.handle_key(key(KeyCode::PageUp));
    app.handle_key(key(KeyCode::PageUp));
    let terminal = draw(&mut app, 60, 16);
    let text = screen(&terminal);
    assert!(
        !text.contains("Answer number 39."),
        "scrolled away from the bottom"
    );
    insta::assert_snapshot!(text);
    // New tokens do not pull the view down while scrolled up.
    let id = send(&mut app, &rx, "One more");
    app.handle_key(key(KeyCode::PageUp));
    app.handle_engine(EngineEvent::Token {
        id,
        text: "streaming...".into(),
    });
    assert!(!screen(&draw(&mut app, 60, 16)).contains("streaming..."));
    app.handle_key(ctrl('c'));
    app.handle_key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL));
    assert!(screen(&draw(&mut app, 60, 16)).contains("streaming..."));
}

#[test]
fn markdown_with_a_highlighted_code_block() {
    let (mut app, rx) = app();
    let id = send(&mut app, &rx, "Show me Rust");
    finish(
        &mut app,
        id,
        "## Adding\n\nUse a **function**:\n\n```rust\nfn add(a: i32, b: i32) -> i32 {\n    a + b\n}\n```\n\n- short\n- clear\n",
        StopReason::EndOfGeneration,
    );
    let terminal = draw(&mut app, 60, 24);
    insta::assert_snapshot!(screen(&terminal));
    // The keyword `fn` and the name `add` are coloured differently by the highlighter.
    let buffer = terminal.backend().buffer();
    let row = (0..buffer.area.height)
        .find(|&y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .contains("fn add")
        })
        .expect("code line on screen");
    let line: String = (0..buffer.area.width)
        .map(|x| buffer[(x, row)].symbol())
        .collect();
    let fn_x = line.find("fn add").unwrap() as u16;
    let keyword = buffer[(fn_x, row)].fg;
    let name = buffer[(fn_x + 3, row)].fg;
    assert_ne!(keyword, name);
    assert_ne!(keyword, Color::Reset);
}

/// Feeds the real engine's events to the app until `done` holds (a minute at most).
fn pump(
    app: &mut App,
    events: &mut tokio::sync::mpsc::UnboundedReceiver<EngineEvent>,
    what: &str,
    done: impl Fn(&App) -> bool,
) {
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    while !done(app) {
        match events.try_recv() {
            Ok(event) => app.handle_engine(event),
            Err(tokio::sync::mpsc::error::TryRecvError::Empty) => {
                assert!(Instant::now() < deadline, "timed out waiting for {what}");
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => panic!("the engine stopped while waiting for {what}: {e}"),
        }
    }
}

/// A message longer than the whole context, on the real engine with the real default model: the
/// engine's own error is shown under the conversation, and the next message goes out normally.
#[test]
fn a_prompt_longer_than_the_context_is_shown_and_the_app_keeps_going() {
    let (engine, mut events) = Engine::spawn().unwrap();
    let mut app = App::start(
        engine.link(),
        Startup {
            model_params: ModelParams {
                ctx_size: Some(256),
                ..ModelParams::default()
            },
            ..Startup::new(
                Conversation::new("You are a helpful, concise assistant."),
                SamplingParams {
                    temperature: 0.0,
                    max_tokens: 8,
                    ..SamplingParams::default()
                },
            )
        },
    );
    app.load_model(common::default_model());
    pump(&mut app, &mut events, "the model", |app| {
        matches!(app.model(), ModelState::Ready(_))
    });
    app.handle_paste(&"word ".repeat(300));
    app.handle_key(key(KeyCode::Enter));
    assert!(app.is_generating());
    pump(&mut app, &mut events, "the error", |app| {
        !app.is_generating()
    });
    let error = app.error().expect("an error is shown").to_owned();
    assert!(
        error.starts_with("the message is too long for the context: the prompt needs "),
        "{error}"
    );
    let text = screen(&draw(&mut app, 60, 16));
    assert!(
        text.contains("Error: the message is too long for the context"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    // The next message goes out normally (the long one stays in the conversation, but only the
    // newest user message must fit: older turns are left out).
    type_text(&mut app, "Hi");
    app.handle_key(key(KeyCode::Enter));
    pump(&mut app, &mut events, "the reply", |app| {
        !app.is_generating()
    });
    assert_eq!(app.error(), None);
    let reply = app.conversation().messages.last().unwrap();
    assert!(
        reply.role == ggchat::chat::Role::Assistant && !reply.content.is_empty(),
        "{reply:?}"
    );
}

#[test]
fn the_help_overlay() {
    let (mut app, _rx) = app();
    app.handle_key(key(KeyCode::F(1)));
    insta::assert_snapshot!(screen(&draw(&mut app, 80, 24)));
    app.handle_key(key(KeyCode::Char('x')));
    assert!(!screen(&draw(&mut app, 80, 24)).contains("any key closes"));
}

/// The screen as a terminal shows it: a wide character covers the cell after it.
fn wide_screen(terminal: &Terminal<TestBackend>) -> String {
    tui_support::screen_text(terminal.backend().buffer())
}

/// The help in Simplified Chinese: the key column is measured in display width, so the
/// descriptions line up after a two-cell-per-character "滚轮".
#[test]
fn the_help_overlay_in_chinese() {
    let (mut app, _rx) = app();
    app.handle_key(key(KeyCode::F(1)));
    let text = ggchat::i18n::with_language(ggchat::i18n::Lang::ZhCn, || {
        wide_screen(&draw(&mut app, 80, 24))
    });
    assert!(text.contains("快捷键 — 按任意键关闭"), "{text}");
    let column = |row: &str| {
        let line = text.lines().find(|l| l.contains(row)).unwrap();
        let start = line.find(row).unwrap();
        let rest = &line[start + row.len()..];
        let spaces = rest.len() - rest.trim_start().len();
        unicode_width::UnicodeWidthStr::width(&line[..start + row.len() + spaces])
    };
    assert_eq!(column("Enter"), column("PgUp / PgDn, 滚轮"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn the_system_prompt_editor() {
    let (mut app, _rx) = app();
    app.handle_key(ctrl('s'));
    let text = screen(&draw(&mut app, 80, 20));
    assert!(text.contains("System prompt"));
    insta::assert_snapshot!(text);
    app.handle_paste(" Answer in French.");
    app.handle_key(ctrl('s'));
    assert_eq!(
        app.conversation().system_prompt,
        "You are a helpful, concise assistant. Answer in French."
    );
}

#[test]
fn a_20x5_terminal_and_other_tiny_sizes() {
    let (mut app, rx) = app();
    let id = send(
        &mut app,
        &rx,
        "你好, 世界! 👋 A long line that must wrap somewhere",
    );
    app.handle_engine(EngineEvent::Token {
        id,
        text: "Bonjour 🌍 你好".into(),
    });
    insta::assert_snapshot!(screen(&draw(&mut app, 20, 5)));
    for (w, h) in [(0, 0), (1, 1), (2, 2), (3, 1), (5, 3), (20, 5), (7, 40)] {
        app.handle_key(key(KeyCode::F(1)));
        draw(&mut app, w, h);
        app.handle_key(key(KeyCode::Esc));
        draw(&mut app, w, h);
    }
}

#[test]
fn a_message_sent_while_loading_goes_out_when_the_model_is_ready() {
    let (mut app, rx) = app();
    app.loading(7, "SmolLM2".into());
    type_text(&mut app, "Hi");
    app.handle_key(key(KeyCode::Enter));
    assert!(
        rx.try_recv().is_err(),
        "nothing is sent before the model is ready"
    );
    assert!(app.waiting_for_model());
    app.handle_engine(EngineEvent::LoadProgress {
        id: 7,
        fraction: 0.5,
    });
    assert!(screen(&draw(&mut app, 80, 10)).contains("loading 50%"));
    app.handle_engine(EngineEvent::ModelLoaded {
        id: 7,
        info: model_info(),
    });
    assert!(matches!(rx.try_recv(), Ok(EngineCommand::Generate(_))));
}

#[test]
fn cancel_regenerate_edit_and_stale_events() {
    let (mut app, rx) = app();
    let id = send(&mut app, &rx, "Tell me a story");
    app.handle_engine(EngineEvent::Token {
        id,
        text: "Once".into(),
    });
    app.handle_key(key(KeyCode::Esc));
    assert!(matches!(rx.try_recv(), Ok(EngineCommand::Cancel { id: c }) if c == id));
    finish(&mut app, id, " upon", StopReason::Cancelled);
    assert_eq!(
        app.conversation().messages.last().unwrap().content,
        "Once upon"
    );
    // A late token of the finished request is ignored.
    app.handle_engine(EngineEvent::Token {
        id,
        text: " STALE".into(),
    });
    assert_eq!(
        app.conversation().messages.last().unwrap().content,
        "Once upon"
    );

    // Continue extends the cut-off reply in place.
    app.handle_key(ctrl('g'));
    let EngineCommand::Generate(request) = rx.try_recv().unwrap() else {
        panic!()
    };
    assert!(request.continue_last);
    assert_eq!(request.messages.last().unwrap().content, "Once upon");
    finish(
        &mut app,
        request.id,
        " a time.",
        StopReason::EndOfGeneration,
    );
    assert_eq!(
        app.conversation().messages.last().unwrap().content,
        "Once upon a time."
    );

    // Regenerate replaces the last reply.
    app.handle_key(ctrl('r'));
    let EngineCommand::Generate(request) = rx.try_recv().unwrap() else {
        panic!()
    };
    assert_eq!(
        request.messages.last().unwrap(),
        &Message::user("Tell me a story")
    );
    finish(
        &mut app,
        request.id,
        "A new story.",
        StopReason::EndOfGeneration,
    );
    assert_eq!(app.conversation().messages.len(), 2);

    // Edit puts the last message back into the input and removes the exchange.
    app.handle_key(ctrl('e'));
    assert!(app.conversation().messages.is_empty());
    assert_eq!(app.input_text(), "Tell me a story");
}

#[test]
fn copy_reply_and_code_blocks_and_input_history() {
    let (mut app, rx) = app();
    let id = send(&mut app, &rx, "code please");
    finish(
        &mut app,
        id,
        "Two:\n```sh\necho one\n```\n```python\nprint(2)\n```",
        StopReason::EndOfGeneration,
    );
    app.handle_key(ctrl('y'));
    app.handle_key(KeyEvent::new(KeyCode::Char('2'), KeyModifiers::ALT));
    let clipboard = app.take_clipboard();
    assert_eq!(clipboard.len(), 2);
    assert!(clipboard[0].starts_with("Two:"));
    assert_eq!(clipboard[1].trim_end(), "print(2)");
    app.handle_key(key(KeyCode::Up));
    assert_eq!(app.input_text(), "code please");
    app.handle_key(key(KeyCode::Down));
    assert!(app.input_text().is_empty());
}

#[test]
fn escape_sequences_from_the_model_never_reach_the_screen() {
    let (mut app, rx) = app();
    let id = send(&mut app, &rx, "hi");
    finish(
        &mut app,
        id,
        "safe\x1b[2J\x1b]0;pwned\x07 text\x07\u{9b}31m",
        StopReason::EndOfGeneration,
    );
    let text = screen(&draw(&mut app, 60, 12));
    assert!(text.contains("safe text"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains("pwned") && !text.contains('\u{9b}'));
}

#[test]
fn two_thousand_messages_render() {
    let (mut app, _rx) = app();
    for i in 0..1000 {
        app.conversation_mut()
            .messages
            .push(Message::user(format!("message {i} with some **text**")));
        app.conversation_mut()
            .messages
            .push(Message::assistant(format!(
                "reply {i}\n\n```rust\nlet x = {i};\n```"
            )));
    }
    ggchat::markdown::warm_up();
    let started = Instant::now();
    let text = screen(&draw(&mut app, 100, 40));
    let first = started.elapsed();
    // Lazily: only the messages that reach into the 36-line window are laid out.
    let rendered = app.view().rendered_messages();
    assert!((5..40).contains(&rendered), "{rendered} messages rendered");
    let started = Instant::now();
    draw(&mut app, 100, 40);
    let cached = started.elapsed();
    let started = Instant::now();
    let resized = screen(&draw(&mut app, 90, 40));
    let after_resize = started.elapsed();
    println!(
        "2000 messages: first frame {first:?}, cached frame {cached:?}, after a resize {after_resize:?}"
    );
    assert!(resized.contains("reply 999"), "{resized}");
    let rendered = app.view().rendered_messages();
    assert!(
        rendered < 40,
        "a resize renders only the window: {rendered}"
    );
    // Scrolled to the very top, the first messages are there.
    app.handle_key(KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL));
    let top = screen(&draw(&mut app, 90, 40));
    assert!(top.contains("message 0 with some"), "{top}");
    assert!(text.contains("reply 999"));
}

#[test]
fn the_settings_pane_edits_and_validates() {
    let (mut app, rx) = app_with_model_file();
    app.handle_key(key(KeyCode::F(2)));
    insta::assert_snapshot!(screen(&draw(&mut app, 100, 26)));
    // Narrower than the help needs: it wraps under itself instead of being cut at the edge.
    // (44 rows: tall enough to show the threads row.)
    let narrow = screen(&draw(&mut app, 76, 44));
    for end in [
        "mass (1 = off)",
        "the best (0 = off)",
        "empty = random",
        "cores (reloads)",
    ] {
        assert!(narrow.contains(end), "{end:?} cut off:\n{narrow}");
    }
    // temperature is the first field: type an absurd value, then a good one.
    app.handle_key(key(KeyCode::Enter));
    for _ in 0..4 {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "9");
    app.handle_key(key(KeyCode::Enter));
    let text = screen(&draw(&mut app, 100, 26));
    assert!(text.contains("temperature = 9 is out of range"), "{text}");
    assert_eq!(app.sampling().temperature, 0.7);
    app.handle_key(key(KeyCode::Enter));
    for _ in 0..4 {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "0.2");
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.sampling().temperature, 0.2);
    // A model setting reloads the model with the conversation kept (ctx_size, the first after
    // the sampling rows).
    let ctx_row = ggchat::params::PARAMS
        .iter()
        .position(|p| p.name == "ctx_size")
        .unwrap();
    for _ in 0..ctx_row {
        app.handle_key(key(KeyCode::Down));
    }
    app.handle_key(key(KeyCode::Enter));
    for _ in 0..4 {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "2048");
    app.handle_key(key(KeyCode::Enter));
    match rx.try_recv() {
        Ok(EngineCommand::LoadModel { params, .. }) => assert_eq!(params.ctx_size, Some(2048)),
        other => panic!("expected a reload, got {other:?}"),
    }
    assert!(app.switching().is_some());
}

/// The view clamps the scroll position to the conversation in its own state: from the very top,
/// one PageDown moves down a page at once (no hidden overshoot to scroll back first).
#[test]
fn page_down_from_the_top_moves_at_once() {
    let (mut app, rx) = app();
    for i in 0..40 {
        let id = send(&mut app, &rx, &format!("Question number {i}"));
        finish(
            &mut app,
            id,
            &format!("Answer number {i}."),
            StopReason::EndOfGeneration,
        );
    }
    app.handle_key(KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL));
    let top = screen(&draw(&mut app, 60, 16));
    assert!(top.contains("Question number 0"), "{top}");
    app.handle_key(key(KeyCode::PageDown));
    let next = screen(&draw(&mut app, 60, 16));
    assert!(!next.contains("Question number 0"), "{next}");
    assert!(!next.contains("Answer number 39."), "{next}");
}
