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
                .replacen("\"format_version\": 5", "\"format_version\": 99", 1)
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

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Exports and the log hold conversation text: owner-only, like the sessions, whatever the umask.
#[cfg(unix)]
#[test]
fn exports_and_the_log_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let home = TempHome::new();
    let session = saved_session(&home, "private question", "private answer");
    let fresh = home.dir.path().join("fresh.md");
    let existing = home.dir.path().join("existing.json");
    std::fs::write(&existing, "old").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    let log = home.data_dir().join("ggchat.log");
    std::fs::write(&log, "").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    for (target, format) in [(&fresh, "markdown"), (&existing, "json")] {
        let out = home
            .command()
            .args(["sessions", "export", &session.id, "--format", format, "-o"])
            .arg(target)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(mode(target), 0o600, "{}", target.display());
        assert!(
            std::fs::read_to_string(target)
                .unwrap()
                .contains("private answer")
        );
    }
    assert_eq!(mode(&log), 0o600, "an existing log is tightened");
    std::fs::remove_file(&log).unwrap();
    let out = home.run(&["sessions", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(log.exists(), "the log is created");
    assert_eq!(mode(&log), 0o600, "a new log is owner-only");
}

/// `ggchat sessions delete` while a chat has the session open: the chat does not bring it back
/// at its next save, says so, and saves the chat again (as a new session) only when the user
/// sends another message.
#[test]
fn a_session_deleted_while_a_chat_has_it_open_stays_deleted() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let home = TempHome::new();
    let session = saved_session(&home, "first question", "first answer");
    let store = Store::open(&home.data_dir().join("sessions")).unwrap();
    let path = store.path_of(&session.id);
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = ggchat::tui::app::App::new(
        ggchat::engine::EngineLink::new(tx),
        ggchat::chat::Conversation::new(""),
        SamplingParams::default(),
    );
    let loaded = store.load(&session.id).unwrap();
    app.attach_store(store, Some(loaded));
    app.save_session();
    assert!(path.exists());

    let deleted = home.run(&["sessions", "delete", &session.id, "--yes"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    // An autosave (a settings change, a finished reply, the exit save).
    app.save_session();
    assert!(!path.exists(), "the deleted session was written back");
    let notice = app.notice().cloned().expect("a notice");
    assert!(notice.is_error, "{notice:?}");
    assert!(
        notice.text.contains("deleted elsewhere") && notice.text.contains("send a message"),
        "{}",
        notice.text
    );
    app.conversation_mut()
        .messages
        .push(Message::assistant("a late reply"));
    app.save_session();
    assert!(stdout(&home.run(&["sessions", "list"])).contains("no saved sessions"));

    // The user goes on talking (the reply waits for a model that is still loading): the chat is
    // saved again, under a new id.
    app.loading(1, "model".into());
    app.handle_paste("second question");
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(!path.exists());
    let listed = stdout(&home.run(&["sessions", "list"]));
    assert!(listed.contains("first question"), "{listed}");
    assert!(!listed.contains(&session.id), "{listed}");
    let notice = app.notice().cloned().expect("a notice");
    assert!(notice.text.contains("saved as a new session"), "{notice:?}");
    let resaved = Store::open(&home.data_dir().join("sessions"))
        .unwrap()
        .load(&app.session().id)
        .unwrap();
    let texts: Vec<&str> = resaved
        .conversation
        .messages
        .iter()
        .map(|m| m.content.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "first question",
            "first answer",
            "a late reply",
            "second question"
        ]
    );
}

/// Deleting the open session in the chat's own sessions pane (F4, d, y): a new chat starts and
/// the deleted one is not saved back, now or at exit.
#[test]
fn deleting_the_open_session_in_the_pane_does_not_save_it_back() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let home = TempHome::new();
    let session = saved_session(&home, "delete me", "ok");
    let store = Store::open(&home.data_dir().join("sessions")).unwrap();
    let path = store.path_of(&session.id);
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = ggchat::tui::app::App::new(
        ggchat::engine::EngineLink::new(tx),
        ggchat::chat::Conversation::new(""),
        SamplingParams::default(),
    );
    let loaded = store.load(&session.id).unwrap();
    app.attach_store(store, Some(loaded));
    for code in [KeyCode::F(4), KeyCode::Char('d'), KeyCode::Char('y')] {
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
    assert!(!path.exists());
    assert!(app.conversation().messages.is_empty());
    assert_eq!(
        app.notice().map(|n| n.text.as_str()),
        Some("session deleted")
    );
    app.save_session();
    assert!(stdout(&home.run(&["sessions", "list"])).contains("no saved sessions"));
}

/// The precedence README states, on the chat screen's state: flags over the reopened session
/// (sampling, model settings and `--system`), the session over the chat's config values.
#[test]
fn flags_win_over_the_settings_of_a_reopened_session() {
    let home = TempHome::new();
    let mut session = saved_session(&home, "question", "answer");
    session.model_params.ctx_size = Some(512);
    session.model_params.threads = Some(3);
    let store = Store::open(&home.data_dir().join("sessions")).unwrap();
    store.save(&mut session).unwrap();
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = ggchat::tui::app::App::start(
        ggchat::engine::EngineLink::new(tx),
        ggchat::tui::app::Startup {
            overrides: ggchat::cli::Overrides {
                ctx_size: Some(1024),
                top_k: Some(7),
                system: Some("flag prompt".into()),
                ..Default::default()
            },
            ..ggchat::tui::app::Startup::new(
                ggchat::chat::Conversation::new("config prompt"),
                SamplingParams::default(),
            )
        },
    );
    app.restore(store.load(&session.id).unwrap());
    assert_eq!(app.model_params().ctx_size, Some(1024), "flag");
    assert_eq!(app.model_params().threads, Some(3), "session");
    assert_eq!(app.sampling().top_k, 7, "flag");
    assert_eq!(app.sampling().temperature, 0.3, "session");
    assert_eq!(app.sampling().seed, Some(99), "session");
    assert_eq!(app.conversation().system_prompt, "flag prompt");
    assert_eq!(app.conversation().messages.len(), 2);
}

/// A session with branches (the format 4 fixture: an edited first turn and a regenerated reply):
/// `show` and `list --json` give the branch count, and search finds text on a branch that is
/// not the active one.
#[test]
fn branches_are_counted_and_searched() {
    let home = TempHome::new();
    let dir = home.data_dir().join("sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let id = "20261128-114233-3f9a";
    std::fs::write(
        dir.join(format!("{id}.json")),
        include_str!("fixtures/sessions/v4.json"),
    )
    .unwrap();
    let shown = home.run(&["sessions", "show", id]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    let text = stdout(&shown);
    assert!(text.contains("- **Branches:** 3 "), "{text}");
    assert!(
        text.contains("And lifetimes?") && !text.contains("exactly one owner"),
        "{text}"
    );
    let listed = home.run(&["sessions", "list", "--json"]);
    assert!(
        stdout(&listed).contains("\"branches\": 3"),
        "{}",
        stdout(&listed)
    );
    // Only on the first turn's other branch.
    let found = home.run(&["sessions", "search", "exactly ONE owner"]);
    assert!(found.status.success(), "{}", stderr(&found));
    assert!(
        stdout(&found).contains(id) && stdout(&found).contains("Each value has exactly one owner."),
        "{}",
        stdout(&found)
    );
}

/// Export writes the active path by default and the whole tree with `--all-branches`; importing
/// the JSON export of the whole tree gives a new session with every branch; a bad file is
/// refused with its name.
#[test]
fn export_branches_and_import_round_trip() {
    let home = TempHome::new();
    let dir = home.data_dir().join("sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let id = "20261128-114233-3f9a";
    std::fs::write(
        dir.join(format!("{id}.json")),
        include_str!("fixtures/sessions/v4.json"),
    )
    .unwrap();
    let active = stdout(&home.run(&["sessions", "export", id, "--format", "json"]));
    assert!(
        active.contains("\"active\": 6") && active.contains("\"parent\": 2"),
        "{active}"
    );
    assert!(!active.contains("exactly one owner"), "{active}");
    let all_md = stdout(&home.run(&["sessions", "export", id, "--all-branches"]));
    for expected in [
        "### Assistant (#3, after #1, alternative 2/2)\n\nA borrow is a reference",
        "### User (#4, first, alternative 2/2)\n\nExplain ownership in Rust",
        "### User (#6, after #2, active)\n\nAnd lifetimes?",
    ] {
        assert!(
            all_md.contains(expected),
            "missing {expected:?} in\n{all_md}"
        );
    }
    let file = home.data_dir().join("tree.json");
    let out = home.run(&[
        "sessions",
        "export",
        id,
        "--format",
        "json",
        "--all-branches",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let imported = home.run(&["sessions", "import", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stdout(&imported).contains("(3 branches)"),
        "{}",
        stdout(&imported)
    );
    let store = Store::open(&dir).unwrap();
    let (list, _) = store.list();
    assert_eq!(list.len(), 2);
    let new_id = &list.iter().find(|s| s.id != id).unwrap().id;
    let (original, copy) = (store.load(id).unwrap(), store.load(new_id).unwrap());
    assert_eq!(
        copy.tree.nodes(),
        original.tree.nodes(),
        "every branch, ids and parents"
    );
    assert_eq!(copy.conversation, original.conversation);

    let bad = home.data_dir().join("bad.json");
    std::fs::write(&bad, include_str!("fixtures/sessions/bad-tree-cycle.json")).unwrap();
    let refused = home.run(&["sessions", "import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("bad.json") && stderr(&refused).contains("names parent 6"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(store.list().0.len(), 2, "nothing imported");
}
/// KV snapshots: `sessions delete` removes the session's, `sessions prune-cache` keeps the most
/// recently used ones under `[sessions] snapshot_cache_mb`.
#[test]
fn delete_removes_the_snapshot_and_prune_cache_keeps_the_newest_under_the_cap() {
    let home = TempHome::new();
    let session = saved_session(&home, "Where is Kyoto?", "In Japan.");
    let dir = home.data_dir().join("snapshots");
    std::fs::create_dir_all(&dir).unwrap();
    let snapshot = |name: &str, age_s: u64| {
        let path = dir.join(format!("{name}.kv"));
        std::fs::write(&path, vec![7u8; 700 * 1024]).unwrap();
        let f = std::fs::File::options().append(true).open(&path).unwrap();
        let when = std::time::SystemTime::now() - std::time::Duration::from_secs(age_s);
        f.set_modified(when).unwrap();
        path
    };
    let own = snapshot(&session.id, 0);
    let deleted = home.run(&["sessions", "delete", &session.id, "--yes"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert!(!own.exists(), "the deleted session's snapshot stayed");

    let old = snapshot("old", 300);
    let new = snapshot("new", 10);
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        "[sessions]\nsnapshot_cache_mb = 1\n",
    )
    .unwrap();
    let pruned = home.run(&["sessions", "prune-cache"]);
    assert!(pruned.status.success(), "{}", stderr(&pruned));
    assert!(stdout(&pruned).contains("removed 1"), "{}", stdout(&pruned));
    assert!(
        new.exists() && !old.exists(),
        "the least recently used goes first"
    );
}
