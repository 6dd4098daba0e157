//! Copying a reply (Ctrl+Y) and a code block (Alt+1) puts sanitized text on the clipboard, read
//! where a real terminal reads it: the OSC 52 sequences in the bytes the binary writes to the pty.
//! The reply comes from a session file whose assistant message carries escape sequences, as a
//! hostile model or a doctored session could write them.

use crate::common::{self, TempHome};
use crate::harness::*;
use ggchat::chat::Message;
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{ModelRef, Session, Store};
use std::sync::Arc;

/// An assistant reply with a clipboard overwrite (OSC 52), a screen clear (CSI), a title change
/// (OSC 0 ended by ST), a C1 CSI, a bidi override and a bare carriage return, in prose and in a
/// code block.
const HOSTILE_REPLY: &str = "Visible prose\x1b]52;c;cm0gLXJmIH4=\x07 goes\x1b[2J on.\r\n\n\
```sh\necho safe\x1b[31m\x1b]0;pwned\x1b\\ and\u{9b}1m sound\u{202e}\n\tindented\n```\n";

fn home_with_hostile_session() -> (Arc<TempHome>, String) {
    let home = TempHome::new();
    let store = Store::open(&home.data_dir().join("sessions")).unwrap();
    let mut session = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    session.model = Some(ModelRef::from_path(&common::default_model()).unwrap());
    session.conversation.messages.extend([
        Message::user("Show me a command."),
        Message::assistant(HOSTILE_REPLY),
    ]);
    store.save(&mut session).unwrap();
    (Arc::new(home), session.id)
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digits: Vec<u32> = text
        .bytes()
        .filter(|&b| b != b'=')
        .map(|b| match ALPHABET.iter().position(|&a| a == b) {
            Some(d) => d as u32,
            None => panic!("not base64: {text:?}"),
        })
        .collect();
    let mut out = Vec::new();
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0, |n, (i, d)| n | d << (18 - 6 * i));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Every clipboard payload in the terminal output: the OSC 52 sequences, base64-decoded.
fn osc52_payloads(raw: &[u8]) -> Vec<Vec<u8>> {
    const START: &[u8] = b"\x1b]52;c;";
    let mut payloads = Vec::new();
    let mut rest = raw;
    while let Some(at) = rest.windows(START.len()).position(|w| w == START) {
        let body = &rest[at + START.len()..];
        let end = body
            .iter()
            .position(|&b| b == 0x07 || b == 0x1b)
            .unwrap_or_else(|| panic!("an OSC 52 sequence without its end: {body:?}"));
        payloads.push(decode_base64(std::str::from_utf8(&body[..end]).unwrap()));
        rest = &body[end..];
    }
    payloads
}

/// No escape, no C0 control but newline and tab, no DEL, no C1 control, no bidi override.
fn assert_clean(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || ('\u{202a}'..='\u{202e}').contains(&c)
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: control characters reached the clipboard: {bad:?} in {text:?}"
    );
}

/// Waits for the next copy's notice and returns the payload it wrote.
fn copy(tui: &mut Tui, keys: &[u8], before: usize) -> String {
    tui.send(keys);
    tui.wait_for("the copied notice", UI, |s| shows_notice(s, "copied"))
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        let payloads = osc52_payloads(&tui.raw_output());
        if payloads.len() > before {
            assert_eq!(payloads.len(), before + 1, "one key, one copy");
            let text = String::from_utf8(payloads[before].clone())
                .expect("the clipboard payload is UTF-8");
            return text;
        }
        assert!(start.elapsed() < UI, "no OSC 52 sequence after {keys:?}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn copied_reply_and_code_reach_the_clipboard_without_escape_sequences() {
    let _turn = serial();
    let (home, id) = home_with_hostile_session();
    let mut tui = Tui::start_with(Arc::clone(&home), 100, 30, &["--session", &id]);
    tui.wait_for("the reopened reply", FIRST_ANSWER, |s| {
        is_ready(s) && s.contains("Visible prose")
    })
    .unwrap();
    assert!(
        osc52_payloads(&tui.raw_output()).is_empty(),
        "nothing is copied before a copy key"
    );

    // Alt+1, sent as ESC then the digit in one write, as a terminal sends it.
    let code = copy(&mut tui, b"\x1b1", 0);
    assert_clean("Alt+1", &code);
    assert!(
        code.starts_with("echo safe") && code.contains("sound") && code.contains("\n\tindented"),
        "{code:?}"
    );
    assert!(!code.contains("Visible prose"), "{code:?}");

    let reply = copy(&mut tui, b"\x19", 1); // Ctrl+Y
    assert_clean("Ctrl+Y", &reply);
    for visible in [
        "Visible prose",
        "goes on.",
        "echo safe",
        "and",
        "sound",
        "\tindented",
    ] {
        assert!(
            reply.contains(visible),
            "{visible:?} missing from {reply:?}"
        );
    }

    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
}
