//! Broken session files (bad JSON, invalid UTF-8, a newer format, a 1 GiB file) and
//! out-of-range settings in a hand-edited session.

use crate::common::TempHome;
use crate::helpers::{GIB, SMALL_RSS_KIB, app, assert_terminal_safe, ggchat, save, sessions_dir};
use ggchat::chat::Message;
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{ModelRef, Session, Store};
use std::fs;
use std::path::PathBuf;

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
            text.replacen("\"format_version\": 5", "\"format_version\": 6", 1)
                .into_bytes(),
            "newer ggchat (format 6)",
        ),
        (
            "20260101-000000-0006",
            text.replace("\"revision\": 1", "\"revision\": \"1\"")
                .into_bytes(),
            "invalid type: string \"1\", expected u64",
        ),
        (
            "20260101-000000-0007",
            // Cut between two keys (a cut inside a number is "invalid number" instead).
            text.as_bytes()[..text.find("\"sampling\"").unwrap()].to_vec(),
            "truncated or incomplete JSON",
        ),
    ];
    let mut cases = cases;
    // Malformed conversation trees (format 4): never a panic or an endless walk.
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sessions");
    for (id, name, expected) in [
        (
            "20260101-000001-0001",
            "cycle",
            "message 1 names parent 6, which is not an earlier message",
        ),
        (
            "20260101-000001-0002",
            "dangling-parent",
            "message 5 names parent 42, which is not an earlier message",
        ),
        (
            "20260101-000001-0003",
            "duplicate-id",
            "message id 2 appears more than once",
        ),
        (
            "20260101-000001-0004",
            "active-nowhere",
            "the active message 99 is not in the file",
        ),
        (
            "20260101-000001-0005",
            "missing-id",
            "message 4 of the conversation has no id",
        ),
    ] {
        let bytes = fs::read(fixtures.join(format!("bad-tree-{name}.json"))).unwrap();
        cases.push((id, bytes, expected));
    }
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

/// A conversation tree 100 000 messages deep opens (no recursion, no stack overflow); the same
/// tree with its first message's parent pointing to the last (a cycle) is refused by name.
#[test]
fn a_very_deep_conversation_tree_opens_and_a_deep_cycle_is_refused() {
    let home = TempHome::new();
    let mut good = Session::new("", SamplingParams::default(), ModelParams::default());
    good.conversation.messages.push(Message::user("seed"));
    save(&home, &mut good);
    let dir = sessions_dir(&home);
    let text = fs::read_to_string(dir.join(format!("{}.json", good.id))).unwrap();
    let depth = 100_000u64;
    let deep = |first_parent: &str| {
        let mut nodes = Vec::with_capacity(depth as usize);
        for id in 1..=depth {
            let parent = if id == 1 {
                first_parent.to_owned()
            } else {
                (id - 1).to_string()
            };
            nodes.push(format!(
                r#"{{"id":{id},"parent":{parent},"role":"user","content":"m{id}"}}"#
            ));
        }
        let start = text.find("\"messages\": [").unwrap();
        let end = text.rfind(']').unwrap();
        format!(
            "{}\"messages\": [{}{}",
            &text[..start],
            nodes.join(","),
            &text[end..]
        )
        .replace("\"active\": 1,", "")
    };
    fs::write(dir.join("20260101-000002-0001.json"), deep("null")).unwrap();
    fs::write(
        dir.join("20260101-000002-0002.json"),
        deep(&depth.to_string()),
    )
    .unwrap();
    let shown = ggchat(&home, &["sessions", "show", "20260101-000002-0001"]);
    assert!(shown.status.success(), "{}", shown.stderr);
    assert!(
        shown.stdout.contains("m100000"),
        "the active path ends at the last message"
    );
    let refused = ggchat(&home, &["sessions", "show", "20260101-000002-0002"]);
    assert!(!refused.status.success());
    assert!(
        refused.stderr.contains("20260101-000002-0002.json")
            && refused
                .stderr
                .contains("message 1 names parent 100000, which is not an earlier message"),
        "{}",
        refused.stderr
    );
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
    assert_eq!(app.conversation().messages.len(), 1);
    assert_eq!(app.sampling(), &SamplingParams::default());
    assert_eq!(app.model_params(), &ModelParams::default());
    // And says so, naming the value.
    let notice = app.notice().expect("a notice");
    assert!(notice.is_error);
    assert!(notice.text.contains("temperature = 99"), "{}", notice.text);
}

/// The chat screen with a live command channel, to see which files it asks the engine to open.
fn app_with_commands(
    home: &TempHome,
) -> (
    ggchat::tui::app::App,
    std::sync::mpsc::Receiver<ggchat::engine::EngineCommand>,
) {
    let (tx, rx) = std::sync::mpsc::channel();
    let app = ggchat::tui::app::App::start(
        ggchat::engine::EngineLink::new(tx),
        ggchat::tui::app::Startup {
            paths: ggchat::paths::Paths::under(home.dir.path()),
            ..ggchat::tui::app::Startup::new(
                ggchat::chat::Conversation::new(""),
                SamplingParams::default(),
            )
        },
    );
    (app, rx)
}

/// [`app_with_commands`] with `model` loading as the current model.
fn app_on_model(
    home: &TempHome,
    model: &std::path::Path,
) -> (
    ggchat::tui::app::App,
    std::sync::mpsc::Receiver<ggchat::engine::EngineCommand>,
) {
    let (mut app, rx) = app_with_commands(home);
    app.load_model(model.to_owned());
    assert_eq!(loads(&rx), [model.to_owned()]);
    (app, rx)
}

fn loads(rx: &std::sync::mpsc::Receiver<ggchat::engine::EngineCommand>) -> Vec<PathBuf> {
    rx.try_iter()
        .filter_map(|c| match c {
            ggchat::engine::EngineCommand::LoadModel { path, params, .. } => {
                Some(params.lora_path.unwrap_or(path))
            }
            _ => None,
        })
        .collect()
}

/// A session naming a model or LoRA file outside the model folders (absolute paths, `../`
/// escapes) does not make the chat open it: the chat says which path it refused and stays on its
/// model. A model in a model folder is still reopened, and a changed file is pointed out.
#[test]
fn a_session_cannot_make_the_chat_open_a_file_outside_the_model_folders() {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    fs::create_dir_all(&models).unwrap();
    let outside = home.dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    let secret = outside.join("secret.gguf");
    fs::write(&secret, b"GGUF not yours").unwrap();
    let good = models.join("good.gguf");
    fs::write(&good, b"GGUF a model in the folder").unwrap();
    let escape = "../../outside/secret.gguf".to_owned();
    let cases: Vec<(&str, ModelRef)> = vec![
        (
            "/etc/passwd",
            ModelRef {
                file_name: "/etc/passwd".into(),
                size: 1,
                fingerprint: "0".into(),
            },
        ),
        (
            secret.to_str().unwrap(),
            ModelRef {
                file_name: secret.display().to_string(),
                ..ModelRef::from_path(&secret).unwrap()
            },
        ),
        (
            &escape,
            ModelRef {
                file_name: escape.clone(),
                ..ModelRef::from_path(&secret).unwrap()
            },
        ),
        (
            "../outside/secret.gguf",
            ModelRef {
                file_name: "../outside/secret.gguf".into(),
                size: 1,
                fingerprint: "0".into(),
            },
        ),
    ];
    for (shown, model) in cases {
        let mut session = Session::new("", SamplingParams::default(), ModelParams::default());
        session.conversation.messages.push(Message::user("hi"));
        session.model = Some(model);
        let (mut app, rx) = app_on_model(&home, &good);
        app.restore(session);
        assert_eq!(loads(&rx), Vec::<PathBuf>::new(), "{shown}");
        assert_eq!(app.model_path(), Some(good.as_path()));
        let notice = app.notice().expect("a notice");
        assert!(notice.is_error, "{shown}");
        assert!(notice.text.contains(shown), "{shown}: {}", notice.text);
        assert!(notice.text.contains("was not opened"), "{}", notice.text);
        assert!(
            notice.text.contains("the current model stays"),
            "{}",
            notice.text
        );
        assert_terminal_safe(&notice.text, shown);
    }

    // A LoRA path from the session: refused outside the folders, the rest of the settings kept.
    for lora in [
        secret.clone(),
        models.join("../../outside/secret.gguf"),
        PathBuf::from("/etc/passwd"),
    ] {
        let mut session = Session::new("", SamplingParams::default(), ModelParams::default());
        session.conversation.messages.push(Message::user("hi"));
        session.model_params.lora_path = Some(lora.clone());
        session.model_params.ctx_size = Some(1024);
        let (mut app, rx) = app_on_model(&home, &good);
        app.restore(session);
        let requested = loads(&rx);
        assert_eq!(
            requested,
            std::slice::from_ref(&good),
            "reloads without the LoRA: {lora:?}"
        );
        assert_eq!(app.model_params().lora_path, None);
        assert_eq!(app.model_params().ctx_size, Some(1024));
        let notice = app.notice().expect("a notice");
        assert!(
            notice.text.contains(&lora.display().to_string()),
            "{}",
            notice.text
        );
    }

    // A draft-model path from the session follows the same rule.
    for draft in [secret.clone(), PathBuf::from("/etc/passwd")] {
        let mut session = Session::new("", SamplingParams::default(), ModelParams::default());
        session.conversation.messages.push(Message::user("hi"));
        session.model_params.draft_model = Some(draft.clone());
        session.model_params.ctx_size = Some(1024);
        let (mut app, rx) = app_on_model(&home, &good);
        app.restore(session);
        assert_eq!(loads(&rx), std::slice::from_ref(&good), "{draft:?}");
        assert_eq!(app.model_params().draft_model, None);
        assert_eq!(app.model_params().ctx_size, Some(1024));
        let notice = app.notice().expect("a notice");
        assert!(
            notice.text.contains("draft model")
                && notice.text.contains(&draft.display().to_string()),
            "{}",
            notice.text
        );
    }

    // In a model folder: reopened; a file that changed since is pointed out.
    let mut session = Session::new("", SamplingParams::default(), ModelParams::default());
    session.conversation.messages.push(Message::user("hi"));
    session.model = Some(ModelRef::from_path(&good).unwrap());
    let (mut app, rx) = app_with_commands(&home);
    app.restore(session.clone());
    assert_eq!(
        loads(&rx),
        [models.canonicalize().unwrap().join("good.gguf")]
    );
    assert!(app.notice().is_none(), "{:?}", app.notice());
    fs::write(&good, b"GGUF another model, same name").unwrap();
    let (mut app, rx) = app_with_commands(&home);
    app.restore(session);
    assert_eq!(loads(&rx).len(), 1);
    let notice = app.notice().expect("a notice");
    assert!(
        notice.text.contains("differs from the file"),
        "{}",
        notice.text
    );
}
