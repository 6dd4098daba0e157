//! Start-up, shutdown and the terminal around them: typing before the model (or ggchat) is ready,
//! signals, a panic, tiny and resized terminals.

use crate::common::{self, TempHome};
use crate::harness::*;
use std::cell::Cell;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// SIGTERM (a polite kill) and SIGHUP (the terminal window closed) quit like Ctrl+Q: the terminal
/// is restored and the conversation is saved.
#[test]
fn terminal_restored_and_session_kept_on_sigterm_and_sighup() {
    let _turn = serial();
    for (signal, question) in [
        ("TERM", "What is the capital of France?"),
        ("HUP", "What is the capital of Spain?"),
    ] {
        let started = Instant::now();
        let mut tui = Tui::start(100, 30);
        tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
            .unwrap();
        assert!(tui.alternate_screen() && tui.cursor_hidden());
        if let Some(cooked) = tui.cooked_mode() {
            assert!(!cooked, "the chat runs the terminal in raw mode");
        }
        tui.type_line(question);
        tui.wait_for("the answer", REPLY, |s| {
            s.contains(question) && reply_done(s)
        })
        .unwrap();

        let pid = tui.child.process_id().expect("child pid");
        let kill = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .expect("run kill");
        assert!(kill.success());
        let status = tui.wait_exit(EXIT).unwrap();
        assert!(status.success(), "SIG{signal} is a normal quit: {status:?}");
        tui.assert_terminal_restored();
        let listed = tui.home.run(&["sessions", "list"]);
        assert!(
            common::stdout(&listed).contains(question),
            "SIG{signal}: the session was saved: {}",
            common::stdout(&listed)
        );
        eprintln!("SIG{signal}: {:?}", started.elapsed());
    }
}

/// A panic in the UI (injected: debug builds panic on the key named by `GGCHAT_DEBUG_PANIC_KEY`)
/// leaves the terminal as it was, prints what happened, and exits with 101.
#[test]
fn a_panic_restores_the_terminal() {
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
    tui.send(b"~");
    let status = tui.wait_exit(EXIT).unwrap();
    assert_eq!(status.exit_code(), 101, "{status:?}\n{}", tui.screen());
    tui.assert_terminal_restored();
    let screen = tui.screen();
    assert!(
        screen.contains("injected panic")
            && screen.contains("GGCHAT_DEBUG_PANIC_KEY")
            && screen.contains("ggchat stopped on an internal error"),
        "the panic message is printed on the restored screen:\n{screen}"
    );
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

#[test]
fn a_message_sent_while_loading_waits_for_the_model() {
    let _turn = serial();
    let started = Instant::now();
    let mut tui = Tui::start(100, 30);
    // As soon as the chat is on screen (raw mode is on by then); the first frame is drawn while
    // the model is still loading. Keys typed even earlier: the next test.
    let screen = tui
        .wait_for("the chat screen", UI, |s| s.contains("Message"))
        .unwrap();
    let typed_while_loading = status(&screen).contains("loading");
    tui.type_line("Hi");
    let saw_queued = Cell::new(false);
    let screen = tui
        .wait_for("a reply to the early message", FIRST_ANSWER, |s| {
            if s.contains("Message (sent when the model is ready)") {
                saw_queued.set(true);
            }
            reply_done(s)
        })
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
        "a_message_sent_while_loading_waits_for_the_model: {:?} (typed while loading: \
         {typed_while_loading}, queued input seen: {})",
        started.elapsed(),
        saw_queued.get()
    );
}

/// Typed before ggchat has even started (type-ahead): the terminal is still in cooked mode and
/// turns Enter into a line feed, which raw mode would read as Ctrl+J (a newline). The message
/// must be sent all the same, once, as typed.
#[test]
fn a_message_typed_while_ggchat_starts_is_sent() {
    let _turn = serial();
    let mut tui = Tui::start(100, 30);
    assert!(
        !tui.alternate_screen(),
        "typed before the chat took the terminal"
    );
    tui.send(b"Hi there\r");
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
    let mut tui = Tui::start(100, 30);
    tui.wait_for("the chat screen", UI, |s| s.contains("Message"))
        .unwrap();
    tui.type_line("Hi");
    tui.send(CTRL_N);
    tui.wait_for("the model to be ready", FIRST_ANSWER, |s| {
        is_ready(s) && !s.contains("sent when the model is ready")
    })
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
