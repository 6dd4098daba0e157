//! Start-up, shutdown and the terminal around them: typing before the model (or ggchat) is ready,
//! signals, a panic, tiny and resized terminals.

use crate::common::TempHome;
use crate::harness::*;
use ggchat::chat::Role;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Asks for a long reply, so that it is still streaming when the test acts.
const LONG_QUESTION: &str = "Write a long story about a dragon who learns to cook.";

/// SIGTERM (a polite kill) and SIGHUP (the terminal window closed) in the middle of a reply quit
/// like Ctrl+Q: the terminal is restored, and the session on disk holds the question and the
/// reply as far as it had come (without stats: it was cut), so `Ctrl+G` can continue it later.
#[test]
fn terminal_restored_and_session_kept_on_sigterm_and_sighup_mid_reply() {
    let _turn = serial();
    for signal in ["TERM", "HUP"] {
        let started = Instant::now();
        let mut tui = Tui::start_with(Arc::new(TempHome::new()), 100, 30, &["-n", "2000"]);
        tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
            .unwrap();
        assert!(tui.alternate_screen() && tui.cursor_hidden());
        if let Some(cooked) = tui.cooked_mode() {
            assert!(!cooked, "the chat runs the terminal in raw mode");
        }
        tui.type_line(LONG_QUESTION);
        let screen = tui
            .wait_for("a few words of the reply", REPLY, |s| {
                is_generating(s) && reply_words(s).len() >= 6
            })
            .unwrap();
        let shown = reply_words(&screen);

        let pid = tui.child.process_id().expect("child pid");
        let kill = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .expect("run kill");
        assert!(kill.success());
        let status = tui.wait_exit(EXIT).unwrap();
        assert!(status.success(), "SIG{signal} is a normal quit: {status:?}");
        tui.assert_terminal_restored();

        let sessions = saved_sessions(&tui.home);
        assert_eq!(sessions.len(), 1, "SIG{signal}: one session saved");
        let messages = &sessions[0].conversation.messages;
        assert_eq!(messages.len(), 2, "SIG{signal}: {messages:#?}");
        assert_eq!(messages[0].role, Role::User);
        assert_eq!(messages[0].content, LONG_QUESTION);
        let reply = &messages[1];
        assert_eq!(reply.role, Role::Assistant);
        assert!(
            reply.stats.is_none(),
            "SIG{signal}: the reply was cut (no stats), it did not finish: {reply:#?}"
        );
        for word in &shown {
            assert!(
                reply.content.contains(word.as_str()),
                "SIG{signal}: '{word}', on screen before the signal, is in the saved reply:\n\
                 {}\nscreen:\n{screen}",
                reply.content
            );
        }
        eprintln!(
            "SIG{signal}: {:?}, {} words on screen, {} bytes saved",
            started.elapsed(),
            shown.len(),
            reply.content.len()
        );
    }
}

/// A panic in the UI (injected: debug builds panic on the key named by `GGCHAT_DEBUG_PANIC_KEY`)
/// leaves the terminal as it was, prints what happened, and exits with 101. The chat is on disk
/// up to its last complete reply, as the message says.
#[test]
fn a_panic_restores_the_terminal_and_keeps_the_last_reply() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_env(
        home,
        100,
        30,
        &[],
        &[("GGCHAT_DEBUG_PANIC_KEY", "~"), ("RUST_BACKTRACE", "0")],
    );
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    assert!(tui.alternate_screen() && tui.cursor_hidden());
    let question = "What is the capital of France?";
    tui.type_line(question);
    let screen = tui
        .wait_for("the answer", REPLY, |s| {
            s.contains(question) && reply_done(s)
        })
        .unwrap();
    let shown = reply_words(&screen);
    tui.send(b"~");
    let status = tui.wait_exit(EXIT).unwrap();
    assert_eq!(status.exit_code(), 101, "{status:?}\n{}", tui.screen());
    tui.assert_terminal_restored();
    let screen = tui.screen();
    assert!(
        screen.contains("injected panic")
            && screen.contains("GGCHAT_DEBUG_PANIC_KEY")
            && screen.contains("ggchat stopped on an internal error")
            && screen.contains("saved up to its last complete reply"),
        "the panic message is printed on the restored screen:\n{screen}"
    );
    let sessions = saved_sessions(&tui.home);
    assert_eq!(sessions.len(), 1);
    let messages = &sessions[0].conversation.messages;
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_eq!(messages[0].content, question);
    let reply = &messages[1];
    assert_eq!(reply.role, Role::Assistant);
    assert!(reply.stats.is_some(), "a complete reply: {reply:#?}");
    assert!(!shown.is_empty());
    for word in &shown {
        assert!(
            reply.content.contains(word.as_str()),
            "'{word}' from the screen is in the saved reply: {}",
            reply.content
        );
    }
}

#[test]
fn tiny_terminal_and_rapid_resizes_do_not_crash() {
    let _turn = serial();
    let started = Instant::now();
    let mut tui = Tui::start(20, 5);
    thread::sleep(Duration::from_secs(1));
    assert!(tui.alive(), "ggchat died at 20x5:\n{}", tui.screen());

    let sizes: [(u16, u16); 20] = [
        (1, 1),
        (2, 2),
        (20, 5),
        (200, 60),
        (10, 3),
        (1, 1),
        (3, 1),
        (1, 3),
        (200, 60),
        (2, 2),
        (40, 4),
        (80, 2),
        (5, 40),
        (1, 1),
        (120, 10),
        (20, 5),
        (2, 2),
        (200, 60),
        (10, 3),
        (1, 1),
    ];
    for (i, (cols, rows)) in sizes.into_iter().enumerate() {
        tui.resize(cols, rows);
        tui.send(&[b'a' + i as u8]);
        thread::sleep(Duration::from_millis(20));
    }
    tui.resize(80, 24);
    thread::sleep(Duration::from_millis(500));
    // One more resize once the queue has settled: the app then redraws the whole screen, so a
    // partial update that raced the emulator's own resize cannot hide a key.
    tui.resize(81, 24);
    thread::sleep(Duration::from_millis(300));
    tui.resize(80, 24);
    thread::sleep(Duration::from_millis(300));
    assert!(
        tui.alive(),
        "ggchat died while resizing: {:?}\n{}",
        tui.exit,
        tui.screen()
    );
    // The UI may still be working through the queue of resize events: wait for the last key.
    tui.wait_for(
        "a redraw at 80x24 with every key typed while resizing",
        UI,
        |s| is_ready(s) && s.contains("│abcdefghijklmnopqrst"),
    )
    .unwrap();

    tui.type_line("hi");
    let screen = tui
        .wait_for("a reply after the resizes", FIRST_ANSWER, reply_done)
        .unwrap();
    let lines: Vec<&str> = screen.lines().collect();
    let you = lines
        .iter()
        .position(|l| l.starts_with("▌ You"))
        .unwrap_or_else(|| panic!("the message is in the conversation:\n{screen}"));
    assert_eq!(lines[you + 1].trim(), "abcdefghijklmnopqrsthi", "{screen}");

    tui.send(CTRL_Q);
    let status = tui.wait_exit(EXIT).unwrap();
    assert!(status.success(), "{status:?}");
    tui.assert_terminal_restored();
    eprintln!(
        "tiny_terminal_and_rapid_resizes_do_not_crash: {:?}",
        started.elapsed()
    );
}

/// A message sent while the model loads is queued, then sent once the model is ready. The model
/// (135M parameters) loads faster than a test can type, so debug builds hold engine events back
/// until a gate file exists (`GGCHAT_DEBUG_ENGINE_GATE`): the chat stays "loading" meanwhile.
#[test]
fn a_message_sent_while_loading_waits_for_the_model() {
    let _turn = serial();
    let started = Instant::now();
    let home = Arc::new(TempHome::new());
    let gate = Gate::new(&home, "engine-gate");
    let mut tui = Tui::start_env(
        home,
        100,
        30,
        &[],
        &[("GGCHAT_DEBUG_ENGINE_GATE", gate.env())],
    );
    let screen = tui
        .wait_for("the chat screen", UI, |s| s.contains("Message"))
        .unwrap();
    assert!(
        status(&screen).contains("loading"),
        "the model is still loading:\n{screen}"
    );
    tui.type_line("Hi");
    let screen = tui
        .wait_for("the message to be queued", UI, |s| {
            s.contains("Message (sent when the model is ready)")
        })
        .unwrap();
    assert!(status(&screen).contains("loading"), "{screen}");
    assert!(!is_generating(&screen), "{screen}");
    gate.open();
    let screen = tui
        .wait_for("a reply to the early message", FIRST_ANSWER, reply_done)
        .unwrap();
    let lines: Vec<&str> = screen.lines().collect();
    let you = lines
        .iter()
        .position(|l| l.starts_with("▌ You"))
        .unwrap_or_else(|| panic!("the message is in the conversation:\n{screen}"));
    assert_eq!(
        lines[you + 1].trim(),
        "Hi",
        "the message is sent as typed:\n{screen}"
    );
    assert_eq!(count(&screen, "▌ You"), 1, "sent once:\n{screen}");
    assert_eq!(count(&screen, "▌ Assistant"), 1, "one reply:\n{screen}");
    assert!(!screen.contains("Error:"), "{screen}");
    assert!(
        !screen.contains("sent when the model is ready"),
        "the input is no longer waiting:\n{screen}"
    );
    assert!(
        screen.contains("Type a message. Enter sends"),
        "the input was cleared (its placeholder shows):\n{screen}"
    );

    tui.send(CTRL_Q);
    let status = tui.wait_exit(EXIT).unwrap();
    assert!(status.success(), "{status:?}");
    tui.assert_terminal_restored();
    eprintln!(
        "a_message_sent_while_loading_waits_for_the_model: {:?}",
        started.elapsed()
    );
}

/// Typed before ggchat has even started (type-ahead): the terminal is still in cooked mode and
/// turns Enter into a line feed, which raw mode would read as Ctrl+J (a newline). The message
/// must be sent all the same, once, as typed. Debug builds wait for a gate file before taking the
/// terminal (`GGCHAT_DEBUG_START_GATE`), so the keys are surely typed before.
#[test]
fn a_message_typed_while_ggchat_starts_is_sent() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let gate = Gate::new(&home, "start-gate");
    let mut tui = Tui::start_env(
        home,
        100,
        30,
        &[],
        &[("GGCHAT_DEBUG_START_GATE", gate.env())],
    );
    tui.send(b"Hi there\r");
    // The terminal's own echo: the line is in its input queue, cooked.
    let screen = tui
        .wait_for("the keys echoed by the cooked terminal", UI, |s| {
            s.contains("Hi there")
        })
        .unwrap();
    assert!(
        !tui.alternate_screen(),
        "typed before the chat took the terminal:\n{screen}"
    );
    if let Some(cooked) = tui.cooked_mode() {
        assert!(cooked, "the keys were typed in cooked mode");
    }
    gate.open();
    let screen = tui
        .wait_for(
            "a reply to the typed-ahead message",
            FIRST_ANSWER,
            reply_done,
        )
        .unwrap();
    let lines: Vec<&str> = screen.lines().collect();
    let you = lines
        .iter()
        .position(|l| l.starts_with("▌ You"))
        .unwrap_or_else(|| panic!("the message was sent:\n{screen}"));
    assert_eq!(lines[you + 1].trim(), "Hi there", "{screen}");
    assert_eq!(count(&screen, "▌ You"), 1, "sent once:\n{screen}");
    assert!(
        screen.contains("Type a message. Enter sends"),
        "nothing is left in the input:\n{screen}"
    );
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
    tui.assert_terminal_restored();
}

// Found with this harness and fixed: a new conversation drops a message queued while loading.
#[test]
fn new_conversation_drops_a_message_queued_while_loading() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let gate = Gate::new(&home, "engine-gate");
    let mut tui = Tui::start_env(
        home,
        100,
        30,
        &[],
        &[("GGCHAT_DEBUG_ENGINE_GATE", gate.env())],
    );
    tui.wait_for("the chat screen", UI, |s| s.contains("Message"))
        .unwrap();
    tui.type_line("Hi");
    tui.wait_for("the message to be queued", UI, |s| {
        s.contains("sent when the model is ready") && status(s).contains("loading")
    })
    .unwrap();
    tui.send(CTRL_N);
    tui.wait_for("the new conversation", UI, |s| {
        !s.contains("sent when the model is ready") && !s.contains("▌ You")
    })
    .unwrap();
    gate.open();
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    thread::sleep(Duration::from_secs(1));
    let screen = tui.screen();
    assert!(!screen.contains("Error:"), "{screen}");
    assert!(
        !screen.contains("▌ You"),
        "the conversation is new:\n{screen}"
    );
    assert!(!is_generating(&screen), "{screen}");
}
