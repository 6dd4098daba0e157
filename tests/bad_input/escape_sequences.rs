//! Terminal escape sequences, C0/C1 controls and bidi overrides in model file names and in session
//! text, as printed by the CLI, exported to a terminal, and drawn by the chat screen.

use crate::common::TempHome;
use crate::helpers::{app, assert_terminal_safe, ggchat, save, sessions_dir};
use ggchat::chat::Message;
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{ModelRef, Session, Store};
use ggchat::tui::app::App;
use std::fs;
use std::io::Read;

/// Escape sequences, C0 and C1 controls and bidi overrides in every text a session holds.
fn hostile_session() -> Session {
    let mut s = Session::new(
        "System \x1b[2J prompt",
        SamplingParams::default(),
        ModelParams::default(),
    );
    s.set_title("Evil \x1b]0;pwned\x07 title \u{202e}txt");
    s.persona = Some("Persona \x1b[5m".into());
    s.model = Some(ModelRef {
        file_name: "m\x1b[31m.gguf".into(),
        size: 1,
        fingerprint: "0000000000000000".into(),
    });
    s.conversation.messages.push(Message::user(
        "hello \x1b[31mred\x1b[0m and \u{9b}1mbold\u{9c} \x07bell",
    ));
    let mut reply = Message::assistant(
        "reply \x1b]52;c;ZXZpbA==\x07with OSC 52\r\nand \u{202e}reversed \x1bPdcs\x1b\\ end",
    );
    reply.model = Some("evil\x1b[5m model".into());
    s.conversation.messages.push(reply);
    s
}

#[test]
fn escape_sequences_in_model_file_names_never_reach_the_terminal() {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    fs::create_dir_all(&models).unwrap();
    let evil = models.join("evil\x1b]0;pwned\x07\x1b[2J\u{9b}31m.gguf");
    fs::write(&evil, b"junk").unwrap();
    let run = ggchat(&home, &["models"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert_terminal_safe(&run.stdout, "the model list");
    assert!(
        run.stdout.contains("unusable: not a GGUF file"),
        "{}",
        run.stdout
    );
    // `ask` without --model picks that file, and its error quotes the name.
    let run = ggchat(&home, &["ask", "hi"]);
    assert!(!run.status.success());
    assert!(run.stderr.contains("not a GGUF file"), "{}", run.stderr);
    assert_terminal_safe(run.stderr.trim_end(), "the error");
}

#[test]
fn session_text_with_escape_sequences_is_shown_sanitized() {
    let home = TempHome::new();
    let mut session = hostile_session();
    save(&home, &mut session);
    let shown = ggchat(&home, &["sessions", "show", &session.id]);
    assert!(shown.status.success(), "{}", shown.stderr);
    assert_terminal_safe(&shown.stdout, "sessions show");
    for visible in [
        "Evil",
        "hello red and bold bell",
        "reply with OSC 52\nand reversed  end",
    ] {
        assert!(
            shown.stdout.contains(visible),
            "{visible}: {}",
            shown.stdout
        );
    }
    // The OSC 52 clipboard write is removed whole; the title lost its controls when it was set.
    assert!(!shown.stdout.contains("ZXZpbA"), "{}", shown.stdout);
    for args in [
        &["sessions", "list"][..],
        &["sessions", "search", "red"],
        &["sessions", "rename", &session.id, "Renamed \x1b[2J\x07"],
    ] {
        let run = ggchat(&home, args);
        assert!(run.status.success(), "{args:?}: {}", run.stderr);
        assert_terminal_safe(&run.stdout, &format!("{args:?}"));
        assert_terminal_safe(run.stderr.trim_end(), &format!("{args:?}"));
    }
    // Redirected, an export is the exact text (a faithful copy); see the pty test for a terminal.
    let exported = ggchat(&home, &["sessions", "export", &session.id]);
    assert!(
        exported.stdout.contains("\x1b[31mred"),
        "{}",
        exported.stdout
    );
    let json = ggchat(
        &home,
        &["sessions", "export", &session.id, "--format", "json"],
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        value["conversation"]["messages"][0]["content"],
        session.conversation.messages[0].content
    );
}

/// Runs ggchat in a pseudo-terminal and returns everything it wrote there.
fn run_in_pty(home: &TempHome, args: &[&str]) -> String {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ggchat"));
    command.args(args);
    command.env("GGCHAT_CONFIG_DIR", home.config_dir());
    command.env("GGCHAT_DATA_DIR", home.data_dir());
    command.env_remove("GGCHAT_LOG");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // EIO: the child exited and closed the terminal.
                Err(_) => break,
            }
        }
        out
    });
    assert!(child.wait().unwrap().success());
    let out = reading.join().unwrap();
    drop(pair.master);
    // The terminal turns "\n" into "\r\n".
    String::from_utf8(out).unwrap().replace("\r\n", "\n")
}

#[test]
fn an_export_to_a_terminal_is_sanitized() {
    let home = TempHome::new();
    let mut session = hostile_session();
    save(&home, &mut session);
    let out = run_in_pty(&home, &["sessions", "export", &session.id]);
    assert_terminal_safe(&out, "markdown");
    assert!(out.contains("hello red and bold"), "{out}");
    // JSON escapes C0 controls itself; raw C1 controls and bidi overrides are removed.
    let out = run_in_pty(
        &home,
        &["sessions", "export", &session.id, "--format", "json"],
    );
    assert_terminal_safe(&out, "json");
    assert!(out.contains(r"hello \u001b[31mred"), "{out}");
    let shown = run_in_pty(&home, &["sessions", "show", &session.id]);
    assert_terminal_safe(&shown, "sessions show on a terminal");
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_reopened_session_with_escape_sequences_draws_clean() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let home = TempHome::new();
    let mut session = hostile_session();
    save(&home, &mut session);
    let store = Store::open(&sessions_dir(&home)).unwrap();
    let mut app = app();
    let loaded = store.load(&session.id).unwrap();
    app.attach_store(store, Some(loaded));
    let chat = screen(&mut app, 120, 40);
    assert_terminal_safe(&chat, "the chat");
    assert!(chat.contains("hello red and bold"), "{chat}");
    // The sessions pane lists its title.
    app.handle_key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE));
    let pane = screen(&mut app, 120, 40);
    assert_terminal_safe(&pane, "the sessions pane");
    assert!(pane.contains("Evil"), "{pane}");
}

/// Decodes standard base64 (the OSC 52 payload).
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digits: Vec<u32> = text
        .bytes()
        .filter(|&b| b != b'=')
        .map(|b| ALPHABET.iter().position(|&a| a == b).expect("base64") as u32)
        .collect();
    let mut out = Vec::new();
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Ctrl+Y (the last reply) and Alt+1 (its first code block) on a reply full of escape sequences:
/// what reaches the clipboard (the OSC 52 payload ggchat writes to the terminal) is clean text.
#[test]
fn copied_replies_and_code_blocks_carry_no_escape_sequences() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = app();
    app.conversation_mut().messages = vec![
        Message::user("hi"),
        Message::assistant(
            "Run \x1b]52;c;cm0gLXJmIH4=\x07this:\n\n```sh\necho \x1b[2Jhi\u{9b}31m\tdone\u{202e}\n```\n",
        ),
    ];
    app.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL));
    app.handle_key(KeyEvent::new(KeyCode::Char('1'), KeyModifiers::ALT));
    let copied: Vec<String> = app
        .take_clipboard()
        .iter()
        .map(|text| {
            let mut terminal = Vec::new();
            ggchat::clipboard::copy(text, &mut terminal);
            let written = String::from_utf8(terminal).unwrap();
            let payload = written
                .strip_prefix("\x1b]52;c;")
                .and_then(|p| p.strip_suffix('\x07'))
                .unwrap_or_else(|| panic!("one OSC 52 sequence: {written:?}"));
            String::from_utf8(base64_decode(payload)).unwrap()
        })
        .collect();
    assert_eq!(copied.len(), 2, "{copied:?}");
    for text in &copied {
        assert!(
            !text.contains(['\x1b', '\x07', '\u{9b}', '\u{202e}']),
            "{text:?}"
        );
    }
    assert_eq!(copied[0], "Run this:\n\n```sh\necho hi\tdone\n```\n");
    assert_eq!(copied[1], "echo hi\tdone\n");
}
