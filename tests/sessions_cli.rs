//! `ggchat sessions ...` on real session files: listing with broken files beside good ones,
//! show, export, search, rename and delete.

mod common;

use common::{TempHome, stderr, stdout};
use ggchat::chat::{Message, ReplyStats, StopReason};
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{ModelRef, Session, Store};

fn saved_session(home: &TempHome, question: &str, answer: &str) -> Session {
    let store = Store::open(&home.data_dir().join("sessions")).unwrap();
    let sampling = SamplingParams {
        temperature: 0.3,
        seed: Some(99),
        ..SamplingParams::default()
    };
    let mut session = Session::new("Be brief.", sampling, ModelParams::default());
    session.model = Some(ModelRef {
        file_name: common::DEFAULT_MODEL_FILE.into(),
        size: 98_362_432,
        fingerprint: "0123abcd".into(),
    });
    session.template = Some("model template (llama.cpp built-in)".into());
    session.conversation.messages.push(Message::user(question));
    let mut reply = Message::assistant(answer);
    reply.stats = Some(ReplyStats {
        generated_tokens: 7,
        seed: 99,
        stop_reason: Some(StopReason::EndOfGeneration),
        ..Default::default()
    });
    session.conversation.messages.push(reply);
    store.save(&mut session).unwrap();
    session
}

#[test]
fn broken_files_are_reported_untouched_and_the_rest_still_lists() {
    let home = TempHome::new();
    let good = saved_session(&home, "What is the capital of France?", "Paris.");
    let dir = home.data_dir().join("sessions");
    let good_text = std::fs::read_to_string(dir.join(format!("{}.json", good.id))).unwrap();
    let broken: Vec<(&str, Vec<u8>)> = vec![
        (
            "20260101-000000-aaaa.json",
            b"\x00\xffnot json at all".to_vec(),
        ),
        (
            "20260101-000000-bbbb.json",
            good_text.as_bytes()[..good_text.len() / 2].to_vec(),
        ),
        (
            "20260101-000000-cccc.json",
            good_text
                .replacen("\"format_version\": 2", "\"format_version\": 99", 1)
                .into_bytes(),
        ),
        (
            "20260101-000000-dddd.json",
            good_text
                .replacen("\"revision\": 1", "\"revision\": \"one\"", 1)
                .into_bytes(),
        ),
    ];
    for (name, bytes) in &broken {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let out = home.run(&["sessions", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("What is the capital of France?"));
    let warnings = stderr(&out);
    for (name, _) in &broken {
        assert!(warnings.contains(name), "{name} reported: {warnings}");
    }
    assert!(warnings.contains("newer ggchat"), "{warnings}");
    for (name, bytes) in &broken {
        assert_eq!(
            &std::fs::read(dir.join(name)).unwrap(),
            bytes,
            "{name} untouched"
        );
    }
}

#[test]
fn show_export_search_rename_delete() {
    let home = TempHome::new();
    let session = saved_session(
        &home,
        "Tell me about 東京 🗼",
        "Tokyo is the capital of Japan.",
    );
    let shown = home.run(&["sessions", "show", &session.id]);
    assert!(
        stdout(&shown).contains("Tokyo is the capital"),
        "{}",
        stdout(&shown)
    );

    let json = home.run(&["sessions", "export", "東京", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON export");
    assert_eq!(value["sampling"]["seed"], 99);
    assert_eq!(value["model"]["file_name"], common::DEFAULT_MODEL_FILE);
    assert!(value["template"].as_str().unwrap().contains("llama.cpp"));

    let exported = home.dir.path().join("chat.md");
    let out = home.run(&[
        "sessions",
        "export",
        &session.id,
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let markdown = std::fs::read_to_string(&exported).unwrap();
    for needle in [common::DEFAULT_MODEL_FILE, "0.3", "99", "東京 🗼"] {
        assert!(markdown.contains(needle), "{needle} in {markdown}");
    }

    let found = home.run(&["sessions", "search", "capital of japan"]);
    assert!(stdout(&found).contains(&session.id), "{}", stdout(&found));

    let renamed = home.run(&["sessions", "rename", &session.id, "Japan trip"]);
    assert!(renamed.status.success(), "{}", stderr(&renamed));
    assert!(stdout(&home.run(&["sessions", "list"])).contains("Japan trip"));

    let refused = home.run(&["sessions", "delete", "Japan trip"]);
    assert!(!refused.status.success(), "no terminal, no --yes: refused");
    assert!(stderr(&refused).contains("--yes"));
    let deleted = home.run(&["sessions", "delete", "Japan trip", "--yes"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert!(stdout(&home.run(&["sessions", "list"])).contains("no saved sessions"));
    let missing = home.run(&["sessions", "show", "Japan trip"]);
    assert!(!missing.status.success());
}
