//! The conversation tree on the chat screen (ratatui's test backend, synthetic engine events):
//! the selection mark, `‹ 2/3 ›` on a message with alternatives, in English and Chinese; what
//! Enter, Esc, Alt+Left/Right and Alt+Delete do to the path shown and to what the engine is
//! asked; and that nothing is dropped but by a confirmed delete.

#[path = "tui_support/mod.rs"]
mod tui_support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ggchat::chat::{Conversation, ReplyStats, Role, StopReason};
use ggchat::engine::{EngineCommand, EngineEvent, EngineLink};
use ggchat::i18n::{Lang, with_language};
use ggchat::params::SamplingParams;
use ggchat::tui::app::App;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

fn app() -> (App, Receiver<EngineCommand>) {
    let (tx, rx) = channel();
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new(""),
        SamplingParams::default(),
    );
    app.loading(1, "SmolLM2".into());
    app.handle_engine(EngineEvent::ModelLoaded {
        id: 1,
        info: tui_support::model_info(),
    });
    (app, rx)
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn alt(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::ALT)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
}

/// Enter, and the messages of the request it sent.
fn enter(app: &mut App, rx: &Receiver<EngineCommand>) -> (u64, Vec<(Role, String)>) {
    app.handle_key(key(KeyCode::Enter));
    match rx.try_recv().expect("a generate command") {
        EngineCommand::Generate(request) => (
            request.id,
            (request.messages.iter())
                .map(|m| (m.role, m.content.clone()))
                .collect(),
        ),
        other => panic!("unexpected {other:?}"),
    }
}

fn finish(app: &mut App, id: u64, text: &str) {
    app.handle_engine(EngineEvent::Token {
        id,
        text: text.into(),
    });
    app.handle_engine(EngineEvent::Finished {
        id,
        stats: ReplyStats {
            generated_tokens: 3,
            generation_tokens_per_second: 100.0,
            time_to_first_token_ms: 20.0,
            context_used: 40,
            stop_reason: Some(StopReason::EndOfGeneration),
            ..Default::default()
        },
    });
}

/// The status bar's notice, whole (the bar may cut it).
fn notice(app: &App) -> String {
    app.notice().map(|n| n.text.clone()).unwrap_or_default()
}

fn draw(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.draw_at(f, Instant::now())).unwrap();
    tui_support::screen_text(terminal.backend().buffer())
}

/// Selects the question above the last reply and edits it into `text`, answered by `reply`.
fn edit_question(app: &mut App, rx: &Receiver<EngineCommand>, text: &str, reply: &str) {
    app.handle_key(alt(KeyCode::Up));
    app.handle_key(alt(KeyCode::Up));
    app.handle_key(key(KeyCode::Enter));
    assert!(rx.try_recv().is_err(), "Enter on a selection sends nothing");
    let old = app.input_text();
    for _ in 0..old.chars().count() {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(app, text);
    let (id, sent) = enter(app, rx);
    assert_eq!(sent, [(Role::User, text.to_owned())], "only the new path");
    finish(app, id, reply);
}

/// A question asked three ways, each answered: the shown path is the third.
fn three_questions() -> (App, Receiver<EngineCommand>) {
    let (mut app, rx) = app();
    type_text(&mut app, "Name a sea.");
    let (id, _) = enter(&mut app, &rx);
    finish(&mut app, id, "The North Sea.");
    edit_question(&mut app, &rx, "Name an ocean.", "The Pacific.");
    edit_question(&mut app, &rx, "Name a lake.", "Lake Baikal.");
    (app, rx)
}

/// The second question selected, after Alt+Left from the third.
fn second_of_three_selected() -> App {
    let (mut app, _rx) = three_questions();
    app.handle_key(alt(KeyCode::Up));
    app.handle_key(alt(KeyCode::Up));
    app.handle_key(alt(KeyCode::Left));
    app
}

#[test]
fn an_edited_question_is_the_third_of_three_and_alt_left_shows_the_second() {
    let (mut app, _rx) = three_questions();
    let text = draw(&mut app, 60, 14);
    assert!(text.contains("▌ You  ‹ 3/3 ›"), "{text}");
    assert!(
        text.contains("Lake Baikal.") && !text.contains("Pacific"),
        "{text}"
    );

    let mut app = second_of_three_selected();
    let text = draw(&mut app, 60, 14);
    assert!(
        text.contains("Name an ocean.") && text.contains("The Pacific."),
        "{text}"
    );
    assert!(!text.contains("Baikal"), "{text}");
    insta::assert_snapshot!("selected_second_of_three_en", text);
    // The rendered lines are kept per message: the other language draws its own app.
    let zh = with_language(Lang::ZhCn, || draw(&mut second_of_three_selected(), 60, 14));
    assert!(zh.contains("▶ 你  ‹ 2/3 ›"), "{zh}");
    insta::assert_snapshot!("selected_second_of_three_zh_cn", zh);

    // Typing ends the selection: Enter then sends what was typed.
    let (mut typed, rx) = three_questions();
    typed.handle_key(alt(KeyCode::Up));
    type_text(&mut typed, "Why?");
    assert_eq!(typed.selected_message(), None);
    let (_, sent) = enter(&mut typed, &rx);
    assert_eq!(sent.last(), Some(&(Role::User, "Why?".to_owned())));

    // Esc clears the selection; the marks of the alternatives stay.
    app.handle_key(key(KeyCode::Esc));
    let text = draw(&mut app, 60, 14);
    assert!(
        !text.contains('▶') && text.contains("▌ You  ‹ 2/3 ›"),
        "{text}"
    );
    // Nothing selected: Alt+Right acts on the last reply, which has no alternatives.
    app.handle_key(alt(KeyCode::Right));
    assert_eq!(notice(&app), "this message has no alternatives");
}

#[test]
fn enter_on_a_reply_and_esc_while_editing_change_nothing() {
    let (mut app, rx) = app();
    type_text(&mut app, "Name a sea.");
    let (id, _) = enter(&mut app, &rx);
    finish(&mut app, id, "The North Sea.");
    let before = app.conversation().messages.clone();
    app.handle_key(alt(KeyCode::Up));
    app.handle_key(key(KeyCode::Enter));
    assert!(rx.try_recv().is_err());
    assert_eq!(app.input_text(), "");
    assert_eq!(
        notice(&app),
        "only your own messages can be edited: select one of them"
    );

    app.handle_key(alt(KeyCode::Up));
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.input_text(), "Name a sea.");
    assert!(draw(&mut app, 60, 14).contains("Editing an earlier message"));
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.input_text(), "");
    assert_eq!(app.editing_message(), None);
    type_text(&mut app, "And a river?");
    let (_, sent) = enter(&mut app, &rx);
    assert_eq!(sent.len(), 3, "an ordinary turn after the abandoned edit");
    let texts =
        |m: &[ggchat::chat::Message]| m.iter().map(|m| m.content.clone()).collect::<Vec<_>>();
    assert_eq!(texts(&app.conversation().messages[..2]), texts(&before));
}

#[test]
fn alt_delete_asks_then_deletes_the_branch_and_never_the_whole_chat() {
    let (mut app, _rx) = three_questions();
    app.handle_key(alt(KeyCode::Up));
    app.handle_key(alt(KeyCode::Up));
    app.handle_key(alt(KeyCode::Delete));
    assert_eq!(
        notice(&app),
        "delete this message and what follows it in this branch (2 messages)? y deletes, any \
         other key keeps it"
    );
    // Any other key keeps it (and is not typed).
    app.handle_key(key(KeyCode::Char('n')));
    assert_eq!(notice(&app), "nothing deleted");
    assert_eq!(app.input_text(), "");
    assert_eq!(app.session().tree.len(), 6);

    app.handle_key(alt(KeyCode::Delete));
    app.handle_key(key(KeyCode::Char('y')));
    assert_eq!(notice(&app), "deleted 2 messages");
    let text = draw(&mut app, 120, 14);
    assert_eq!(app.session().tree.len(), 4);
    // The branch before it is shown, second of the two left.
    assert!(
        text.contains("‹ 2/2 ›") && text.contains("The Pacific."),
        "{text}"
    );

    // Down to one question: deleting it would delete the whole chat, which is refused.
    app.handle_key(alt(KeyCode::Delete));
    app.handle_key(key(KeyCode::Char('y')));
    app.handle_key(alt(KeyCode::Delete));
    assert!(
        notice(&app).starts_with("that is the whole conversation"),
        "{}",
        notice(&app)
    );
    assert_eq!(app.session().tree.len(), 2);
    assert_eq!(app.conversation().messages.len(), 2);
}

#[test]
fn a_selection_far_up_is_scrolled_into_view() {
    let (mut app, rx) = app();
    for i in 0..12 {
        type_text(&mut app, &format!("Question {i}"));
        let (id, _) = enter(&mut app, &rx);
        finish(&mut app, id, &format!("Answer {i}."));
    }
    for _ in 0..20 {
        app.handle_key(alt(KeyCode::Up));
    }
    let text = draw(&mut app, 60, 14);
    assert!(
        text.contains("▶ You") && text.contains("Question 2"),
        "{text}"
    );
    assert!(!text.contains("Answer 11."), "{text}");
    // Down past the last message ends the selection and follows the bottom again.
    for _ in 0..20 {
        app.handle_key(alt(KeyCode::Down));
    }
    let text = draw(&mut app, 60, 14);
    assert!(!text.contains('▶') && text.contains("Answer 11."), "{text}");
}

/// Alt+R asks for as many alternatives as the `alternatives` setting says.
#[test]
fn alt_r_asks_for_the_configured_number_of_alternatives() {
    for n in [2, 4] {
        let (tx, rx) = channel();
        let sampling = SamplingParams {
            alternatives: n,
            ..SamplingParams::default()
        };
        let mut app = App::new(EngineLink::new(tx), Conversation::new(""), sampling);
        app.loading(1, "SmolLM2".into());
        app.handle_engine(EngineEvent::ModelLoaded {
            id: 1,
            info: tui_support::model_info(),
        });
        type_text(&mut app, "Name a sea.");
        let (id, _) = enter(&mut app, &rx);
        finish(&mut app, id, "The North Sea.");
        app.handle_key(alt(KeyCode::Char('r')));
        match rx.try_recv().expect("a generate command") {
            EngineCommand::Generate(request) => assert_eq!(u32::from(request.alternatives), n),
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Saved as a session: Ctrl+R keeps the old reply as a sibling, and Alt+Left / Alt+Right with
/// nothing selected browse the last reply's alternatives; the choice is saved.
#[test]
fn alt_left_without_a_selection_browses_the_last_replys_alternatives() {
    let dir = tempfile::tempdir().unwrap();
    let store = ggchat::store::Store::open(dir.path()).unwrap();
    let (mut app, rx) = app();
    app.attach_store(store.clone(), None);
    type_text(&mut app, "Name a sea.");
    let (id, _) = enter(&mut app, &rx);
    finish(&mut app, id, "The North Sea.");
    app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let EngineCommand::Generate(request) = rx.try_recv().unwrap() else {
        panic!("no regenerate request")
    };
    finish(&mut app, request.id, "The Baltic Sea.");
    let text = draw(&mut app, 60, 14);
    assert!(
        text.contains("▌ Assistant  ‹ 2/2 ›") && text.contains("Baltic"),
        "{text}"
    );

    app.handle_key(alt(KeyCode::Left));
    let text = draw(&mut app, 60, 14);
    assert!(
        text.contains("‹ 1/2 ›") && text.contains("The North Sea."),
        "{text}"
    );
    assert!(!text.contains("Baltic"), "{text}");
    let saved = store.load(&app.session().id).unwrap();
    let shown: Vec<&str> = (saved.conversation.messages.iter())
        .map(|m| m.content.as_str())
        .collect();
    assert_eq!(shown, ["Name a sea.", "The North Sea."]);
    assert_eq!(saved.tree.len(), 3);
    // The first alternative stays the first.
    app.handle_key(alt(KeyCode::Left));
    assert_eq!(notice(&app), "alternative 1 of 2");
    app.handle_key(alt(KeyCode::Right));
    assert!(draw(&mut app, 60, 14).contains("Baltic"));
}
