//! Broken session files (bad JSON, invalid UTF-8, a newer format, a 1 GiB file) and
//! out-of-range settings in a hand-edited session.

use crate::common::TempHome;
use crate::helpers::{GIB, SMALL_RSS_KIB, app, assert_terminal_safe, ggchat, save, sessions_dir};
use ggchat::chat::Message;
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{Session, Store};
use std::fs;

#[test]
fn broken_session_files_are_reported_without_escapes_and_left_untouched() {
    let home = TempHome::new();
    let mut good = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    good.conversation
        .messages
        .push(Message::user("good question"));
    save(&home, &mut good);
    let dir = sessions_dir(&home);
    let text = fs::read_to_string(dir.join(format!("{}.json", good.id))).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "20260101-000000-0001",
            text.replace(
                "\"role\": \"user\"",
                "\"role\": \"\\u001b]0;pwned\\u0007\\u001b[2J\"",
            )
            .into_bytes(),
            "unknown variant",
        ),
        (
            "20260101-000000-0002",
            text.replace("good question", "bad \u{FFFD} byte")
                .into_bytes()
                .into_iter()
                .flat_map(|b| if b == 0xEF { vec![0xFF] } else { vec![b] })
                .collect(),
            "invalid unicode code point",
        ),
        (
            "20260101-000000-0003",
            text.replace("good question", "lone \\ud800 surrogate")
                .into_bytes(),
            "unexpected end of hex escape",
        ),
        (
            "20260101-000000-0004",
            text.replace("good question", "raw \x1b[2J escape")
                .into_bytes(),
            "control character",
        ),
        (
            "20260101-000000-0005",
            text.replacen("\"format_version\": 2", "\"format_version\": 3", 1)
                .into_bytes(),
            "newer ggchat (format 3)",
        ),
        (
            "20260101-000000-0006",
            text.replace("\"revision\": 1", "\"revision\": \"1\"")
                .into_bytes(),
            "invalid type: string \"1\", expected u64",
        ),
        (
            "20260101-000000-0007",
            text.as_bytes()[..text.len() / 3].to_vec(),
            "truncated or incomplete JSON",
        ),
    ];
    for (id, bytes, _) in &cases {
        fs::write(dir.join(format!("{id}.json")), bytes).unwrap();
    }
    // A session file of 1 GiB (sparse): refused by its size, never read.
    let huge = dir.join("20260101-000000-0008.json");
    fs::File::create(&huge).unwrap().set_len(GIB).unwrap();

    let listed = ggchat(&home, &["sessions", "list"]);
    assert!(listed.status.success(), "{}", listed.stderr);
    assert!(listed.stdout.contains("good question"), "{}", listed.stdout);
    assert_terminal_safe(listed.stderr.trim_end(), "the warnings");
    for (id, _, expected) in &cases {
        let warning = listed
            .stderr
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} not reported: {}", listed.stderr));
        assert!(warning.contains(expected), "{id}: {warning}");
        assert!(warning.ends_with("; left untouched"), "{warning}");
        let shown = ggchat(&home, &["sessions", "show", id]);
        assert!(!shown.status.success(), "{id}");
        assert!(shown.stderr.contains(expected), "{id}: {}", shown.stderr);
        assert!(
            shown.stderr.contains(&format!("{id}.json")),
            "{}",
            shown.stderr
        );
        assert_terminal_safe(shown.stderr.trim_end(), id);
    }
    assert!(
        listed
            .stderr
            .contains("1024 MiB is larger than any session ggchat writes (256 MiB)"),
        "{}",
        listed.stderr
    );
    assert!(
        listed.max_rss_kib < SMALL_RSS_KIB,
        "{} KiB",
        listed.max_rss_kib
    );
    for (id, bytes, _) in &cases {
        assert_eq!(&fs::read(dir.join(format!("{id}.json"))).unwrap(), bytes);
    }
    assert_eq!(fs::metadata(&huge).unwrap().len(), GIB);
}

#[test]
fn out_of_range_settings_in_a_session_file_are_not_applied() {
    let home = TempHome::new();
    let mut session = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    session.conversation.messages.push(Message::user("hi"));
    // As a hand edit would leave them: the file format does not bound the values.
    session.sampling.temperature = 99.0;
    session.sampling.max_tokens = 0;
    session.model_params.ctx_size = Some(5);
    save(&home, &mut session);
    let shown = ggchat(&home, &["sessions", "show", &session.id]);
    assert!(shown.status.success(), "{}", shown.stderr);
    let store = Store::open(&sessions_dir(&home)).unwrap();
    let loaded = store.load(&session.id).unwrap();
    assert_eq!(loaded.sampling.temperature, 99.0);
    let mut app = app();
    app.attach_store(store, Some(loaded));
    // The conversation opens; the chat keeps its own (valid) settings.
    assert_eq!(app.conversation.messages.len(), 1);
    assert_eq!(app.sampling, SamplingParams::default());
    assert_eq!(app.model_params, ModelParams::default());
    // And says so, naming the value.
    let notice = app.notice.as_ref().expect("a notice");
    assert!(notice.is_error);
    assert!(notice.text.contains("temperature = 99"), "{}", notice.text);
}
