//! A whole conversation as a person has it: ask, cancel, regenerate, switch persona, quit, reopen
//! the saved session and go on.

use crate::common;
use crate::harness::*;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

#[test]
fn chat_cancel_regenerate_persona_quit() {
    let _turn = serial();
    let started = Instant::now();
    // 120 columns so at least the start of the persona notice fits in the status bar (it comes
    // after the session title); 20 rows so the system prompt scrolls out of view and Home has to
    // bring it back.
    let mut tui = Tui::start(120, 20);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();

    // A first question, answered in full.
    tui.type_line("What is the capital of France?");
    let screen = tui
        .wait_for("an answer naming Paris", FIRST_ANSWER, |s| {
            s.contains("Paris") && reply_done(s)
        })
        .unwrap();
    assert!(screen.contains("▌ You"), "{screen}");
    assert!(
        screen.contains("What is the capital of France?"),
        "{screen}"
    );
    let paris = last_reply(&screen).unwrap().join("\n");
    assert!(
        paris.contains("Paris"),
        "Paris is in the reply itself:\n{screen}"
    );

    // A long reply, stopped with Esc while it streams. With -n 48 a fast machine could finish the
    // reply between our seeing its first words and the Esc arriving; then Ctrl+R starts it again
    // and we stop it sooner, a few times at most.
    tui.type_line("Write a very long essay about the history of the Roman Empire.");
    let mut cancelled = None;
    for attempt in 0..3 {
        tui.wait_for("the reply to stream", REPLY, |s| {
            is_generating(s) && reply_has_text(s)
        })
        .unwrap();
        tui.esc();
        let screen = tui
            .wait_for("the reply to stop", REPLY, |s| {
                is_ready(s) && last_stats(s).is_some()
            })
            .unwrap();
        let stats = last_stats(&screen).unwrap();
        if stats.contains("cancelled") {
            cancelled = Some(screen);
            break;
        }
        eprintln!("attempt {attempt}: the reply ended before Esc arrived ({stats}); again");
        tui.send(CTRL_R);
    }
    let screen = cancelled.expect("Esc never stopped a streaming reply");
    let stats = last_stats(&screen).unwrap();
    assert!(
        stats.contains("cancelled (Ctrl+G continues)"),
        "{stats}\n{screen}"
    );
    assert!(
        reply_has_text(&screen),
        "the words streamed before Esc stay:\n{screen}"
    );
    let essay_question = "Write a very long essay about the history of the Roman Empire.";
    assert_eq!(count(&screen, essay_question), 1, "{screen}");

    // Regenerate: the cancelled reply is replaced by a new, finished one.
    tui.send(CTRL_R);
    tui.wait_for("the regenerated reply to stream", REPLY, is_generating)
        .unwrap();
    let screen = tui
        .wait_for("the regenerated reply to finish", REPLY, reply_done)
        .unwrap();
    let stats = last_stats(&screen).unwrap();
    assert!(
        !stats.contains("cancelled"),
        "the last reply is the new one: {stats}\n{screen}"
    );
    assert!(
        !screen.contains("cancelled"),
        "the cancelled reply is gone, not kept above the new one:\n{screen}"
    );
    assert!(
        stats.contains("max tokens") || stats.contains("end of reply"),
        "{stats}\n{screen}"
    );
    assert_eq!(
        count(&screen, essay_question),
        1,
        "regenerating does not repeat the question:\n{screen}"
    );

    // Persona picker: the third persona is "Coding assistant".
    tui.send(CTRL_P);
    let screen = tui
        .wait_for("the persona picker", UI, |s| {
            s.contains("Persona — Enter picks, Esc closes")
        })
        .unwrap();
    for name in ["General assistant", "Customer support", "Coding assistant"] {
        assert!(screen.contains(name), "{name} is listed:\n{screen}");
    }
    tui.send(DOWN);
    thread::sleep(Duration::from_millis(100));
    tui.send(DOWN);
    thread::sleep(Duration::from_millis(100));
    tui.send(ENTER);
    let screen = tui
        .wait_for("the persona to be applied", UI, |s| {
            shows_notice(s, "persona: Coding assistant") && !s.contains("Persona — Enter picks")
        })
        .unwrap();
    assert!(is_ready(&screen), "{screen}");

    // The system prompt at the top of the conversation is the persona's now.
    assert!(
        !screen.starts_with("▌ System"),
        "the conversation is long enough to hide the top:\n{screen}"
    );
    tui.send(HOME);
    let screen = tui
        .wait_for("the persona's system prompt at the top", UI, |s| {
            s.starts_with("▌ System")
        })
        .unwrap();
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[1].contains("You are an expert programming assistant."),
        "{screen}"
    );
    assert!(
        !screen.contains("You are a helpful, concise assistant."),
        "the old system prompt is gone:\n{screen}"
    );
    assert!(
        screen.contains("What is the capital of France?"),
        "the conversation is kept:\n{screen}"
    );

    tui.send(CTRL_Q);
    let status = tui.wait_exit(EXIT).unwrap();
    assert!(status.success(), "{status:?}\n{}", tui.screen());
    tui.assert_terminal_restored();
    eprintln!(
        "chat_cancel_regenerate_persona_quit: {:?}",
        started.elapsed()
    );
}

#[test]
fn quit_relaunch_with_session_and_continue() {
    let _turn = serial();
    let mut tui = Tui::start(100, 30);
    tui.wait_for("the model", FIRST_ANSWER, is_ready).unwrap();
    tui.type_line("What is the capital of France?");
    tui.wait_for("the answer", REPLY, |s| {
        s.contains("Paris") && reply_done(s)
    })
    .unwrap();
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
    let home = Arc::clone(&tui.home);
    drop(tui);

    // The session was saved, owner-only, and lists from the command line.
    let sessions = home.data_dir().join("sessions");
    let file = std::fs::read_dir(&sessions)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a session file");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(
        std::fs::metadata(&sessions).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let listed = home.run(&["sessions", "list"]);
    assert!(
        common::stdout(&listed).contains("What is the capital of France?"),
        "{}",
        common::stdout(&listed)
    );

    // Reopen it by title: the history is on screen and the conversation continues.
    let mut tui = Tui::start_with(
        Arc::clone(&home),
        100,
        30,
        &["--session", "capital of France"],
    );
    tui.wait_for("the restored history", FIRST_ANSWER, |s| {
        s.contains("What is the capital of France?") && s.contains("Paris") && is_ready(s)
    })
    .unwrap();
    tui.type_line("And of Italy?");
    tui.wait_for("the second answer", REPLY, |s| {
        s.contains("And of Italy?") && reply_done(s) && count(s, "▌ Assistant") >= 2
    })
    .unwrap();
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
    let shown = home.run(&["sessions", "show", "capital of France"]);
    let text = common::stdout(&shown);
    assert!(text.contains("And of Italy?"), "{text}");
    assert_eq!(text.matches("### Assistant").count(), 2, "{text}");
}

/// Ctrl+Y's "copied" notice is on screen at once, not only after the next key press: the copy
/// happens when the frame is drawn, so its outcome must be in that frame.
#[test]
fn the_copied_notice_shows_without_another_key() {
    let _turn = serial();
    let mut tui = Tui::start(100, 24);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line("Say hello.");
    tui.wait_for("a whole reply", FIRST_ANSWER, reply_done)
        .unwrap();
    tui.send(b"\x19"); // Ctrl+Y
    // No other key: a notice that waits for one never shows up here.
    tui.wait_for("the copied notice", UI, |s| shows_notice(s, "copied"))
        .unwrap();
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
}
