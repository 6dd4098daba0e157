//! Store behaviour through its public API: round trips, problem files, lookup, search, rename,
//! delete. Failed writes, crashes and concurrency are in `crash_tests`, fuzzing in `fuzz_tests`.

use super::*;
use crate::chat::{Message, ReplyStats, StopReason};
use crate::params::{ModelParams, SamplingParams};

pub(super) fn new_store() -> (tempfile::TempDir, Store) {
    let root = tempfile::tempdir().unwrap();
    let store = Store::open(&root.path().join("data/sessions")).unwrap();
    (root, store)
}

pub(super) fn chat(user: &str, reply: &str) -> Session {
    let mut s = Session::new(
        "You are terse.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    s.conversation.messages.push(Message::user(user));
    let mut answer = Message::assistant(reply);
    answer.stats = Some(ReplyStats {
        prompt_tokens_evaluated: 12,
        generated_tokens: 5,
        generation_tokens_per_second: 17.5,
        seed: 31_337,
        stop_reason: Some(StopReason::EndOfGeneration),
        ..Default::default()
    });
    s.conversation.messages.push(answer);
    s
}

/// Every file name in the directory, sorted.
pub(super) fn dir_names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(store.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn unicode_long_texts_and_stats_round_trip() {
    let (_root, store) = new_store();
    let mut s = chat(
        "你好，世界 🌍👩‍👩‍👧 مرحبا بالعالم שלום",
        "こんにちは 🙂 \u{202E}reversed\u{202C} \"quoted\" \\ tab\t",
    );
    s.persona = Some("Ωmega".into());
    s.template = Some("chatml".into());
    s.model = Some(ModelRef {
        file_name: "模型.gguf".into(),
        size: 4_683_073_536,
        fingerprint: "00ff00ff00ff00ff".into(),
    });
    s.sampling.seed = Some(7);
    s.sampling.stop = vec!["<|im_end|>".into()];
    s.model_params.ctx_size = Some(8192);
    let megabyte: String = "Ünïcödé ✓ 長い ".chars().cycle().take(1 << 20).collect();
    s.conversation.messages.push(Message::user(megabyte));
    store.save(&mut s).unwrap();
    assert_eq!(s.revision, 1);
    assert_eq!(s.title, "你好，世界 🌍👩‍👩‍👧 مرحبا بالعالم שלום");

    let loaded = store.load(&s.id).unwrap();
    assert_eq!(loaded, s);
    let text = fs::read_to_string(store.path_of(&s.id)).unwrap();
    assert!(
        text.contains("\"content\": \"你好，世界 🌍"),
        "text is stored unescaped"
    );
    assert!(text.contains("\"seed\": 31337"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.path_of(&s.id)), 0o600);
        assert_eq!(mode(&fsio::lock_path(store.dir(), &s.id)), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
    }
}

#[test]
fn saves_bump_revision_and_updated_and_keep_created() {
    let (_root, store) = new_store();
    let mut s = chat("first question", "answer");
    let created = s.created.clone();
    store.save(&mut s).unwrap();
    let first_update = parse_rfc3339(&s.updated).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    s.conversation.messages.push(Message::user("second"));
    store.save(&mut s).unwrap();
    assert_eq!(s.revision, 2);
    assert_eq!(s.created, created);
    assert!(parse_rfc3339(&s.updated).unwrap() > first_update);
    assert_eq!(store.load(&s.id).unwrap().revision, 2);
    assert_eq!(
        dir_names(&store),
        [format!("{}.json", s.id), format!("{}.lock", s.id)]
    );
}

/// Writes four kinds of bad files next to two good sessions; returns the bad paths.
fn plant_problems(store: &Store) -> Vec<PathBuf> {
    let good = String::from_utf8(format::encode(&chat("q", "a")).unwrap()).unwrap();
    let random: Vec<u8> = (0..4096).map(|_| stamp::random_u64() as u8).collect();
    let files: [(&str, Vec<u8>); 4] = [
        ("corrupt.json", random),
        ("truncated.json", good.as_bytes()[..good.len() / 2].to_vec()),
        (
            "future.json",
            good.replace("\"format_version\": 5", "\"format_version\": 6")
                .into_bytes(),
        ),
        (
            "wrongtype.json",
            good.replace("\"revision\": 0", "\"revision\": [0]")
                .into_bytes(),
        ),
    ];
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = store.dir().join(name);
            fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

#[test]
fn bad_files_are_reported_left_untouched_and_do_not_hide_the_others() {
    let (_root, store) = new_store();
    let mut a = chat("alpha question", "a");
    let mut b = chat("beta question", "b");
    store.save(&mut a).unwrap();
    store.save(&mut b).unwrap();
    let bad = plant_problems(&store);
    let before: Vec<Vec<u8>> = bad.iter().map(|p| fs::read(p).unwrap()).collect();

    let (sessions, problems) = store.list();
    let mut titles: Vec<&str> = sessions.iter().map(|s| s.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["alpha question", "beta question"]);
    let reasons: Vec<(String, String)> = problems
        .iter()
        .map(|p| {
            (
                p.path.file_name().unwrap().to_string_lossy().into(),
                p.reason.clone(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons[0].0 == "corrupt.json" && reasons[0].1.contains("JSON"),
        "{reasons:?}"
    );
    assert!(reasons[1].0 == "future.json" && reasons[1].1.contains("newer ggchat (format 6)"));
    assert!(reasons[2].0 == "truncated.json" && reasons[2].1.starts_with("truncated"));
    assert!(reasons[3].0 == "wrongtype.json" && reasons[3].1.contains("invalid type"));
    assert!(problems[0].to_string().ends_with("; left untouched"));

    // Loading, searching, resolving, and saving other sessions leave them alone too.
    let err = store.load("future").unwrap_err().to_string();
    assert!(
        err.contains("upgrade ggchat") && err.contains("future.json"),
        "{err}"
    );
    assert!(matches!(
        store.load("truncated"),
        Err(StoreError::Corrupt { .. })
    ));
    assert_eq!(store.search("question").len(), 2);
    a.conversation.messages.push(Message::user("more"));
    store.save(&mut a).unwrap();
    let after: Vec<Vec<u8>> = bad.iter().map(|p| fs::read(p).unwrap()).collect();
    assert!(before == after, "problem files were modified");
}

#[test]
fn open_reports_a_path_that_cannot_be_a_directory() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("data");
    fs::write(&file, b"").unwrap();
    let err = Store::open(&file.join("sessions")).unwrap_err().to_string();
    assert!(
        err.contains("data/sessions") && err.contains("GGCHAT_DATA_DIR"),
        "{err}"
    );
}

#[test]
fn list_sorts_newest_first_and_ignores_other_files() {
    let (_root, store) = new_store();
    for (id, updated, messages) in [
        ("old", "2025-01-01T00:00:00.000Z", 1),
        ("new", "2026-06-01T10:00:00+02:00", 2),
        ("mid", "2026-06-01T07:59:59.999Z", 0),
    ] {
        let mut s = chat(id, "r");
        s.conversation.messages.truncate(messages);
        s.id = id.into();
        s.updated = updated.into();
        fs::write(store.path_of(id), format::encode(&s).unwrap()).unwrap();
    }
    for other in [".mid.json.tmp.1.2", "mid.lock", "notes.txt", ".hidden.json"] {
        fs::write(store.dir().join(other), b"junk").unwrap();
    }
    fs::create_dir(store.dir().join("dir.txt")).unwrap();
    let (list, problems) = store.list();
    assert_eq!(problems, []);
    let ids: Vec<(&str, usize)> = list
        .iter()
        .map(|s| (s.id.as_str(), s.message_count))
        .collect();
    assert_eq!(ids, [("new", 2), ("mid", 0), ("old", 1)]);
    assert_eq!(list[0].path, store.path_of("new"));
}

#[test]
fn lookup_by_id_prefix_title_and_ambiguous_title() {
    let (_root, store) = new_store();
    let mut ids = Vec::new();
    for (title, custom) in [
        ("Rust lifetimes", true),
        ("Rust traits", true),
        ("Soup recipe", false),
    ] {
        let mut s = chat(title, "ok");
        s.id = format!("20260301-12000{}-abcd", ids.len());
        if custom {
            s.set_title(title);
        }
        store.save(&mut s).unwrap();
        ids.push(s.id);
    }
    assert_eq!(store.load(&ids[1]).unwrap().title, "Rust traits");
    assert_eq!(store.load("20260301-120002").unwrap().id, ids[2]);
    assert_eq!(store.load("soup RECIPE").unwrap().id, ids[2]);
    assert_eq!(store.load("lifetimes").unwrap().id, ids[0]);
    assert_eq!(store.resolve("traits").unwrap().title, "Rust traits");
    let err = store.load("rust").unwrap_err().to_string();
    assert!(
        err.contains(&ids[0]) && err.contains(&ids[1]) && !err.contains(&ids[2]),
        "{err}"
    );
    assert!(matches!(
        store.load("2026"),
        Err(StoreError::Ambiguous { .. })
    ));
    assert!(matches!(
        store.load("../../etc/passwd"),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(store.load(""), Err(StoreError::NotFound { .. })));
}

#[test]
fn search_finds_words_in_messages_and_titles() {
    let (_root, store) = new_store();
    let mut a = chat(
        "How do I cook rice?",
        "Rinse it, then simmer with a lid on for 12 minutes.",
    );
    let mut b = chat("Tell me about SIMMERING sauces", "Low heat.");
    store.save(&mut a).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    store.save(&mut b).unwrap();
    let hits = store.search("  Simmer ");
    assert_eq!(hits.len(), 2);
    assert_eq!(
        (hits[0].summary.id.as_str(), hits[0].message_index),
        (b.id.as_str(), None)
    );
    assert_eq!(hits[0].snippet, "Tell me about SIMMERING sauces");
    assert_eq!(hits[1].message_index, Some(1));
    assert_eq!(
        hits[1].snippet,
        "Rinse it, then simmer with a lid on for 12 minutes."
    );
    assert!(store.search("lid on").len() == 1 && store.search("risotto").is_empty());
    assert!(store.search("").is_empty());
}

#[test]
fn rename_sticks_and_delete_removes() {
    let (_root, store) = new_store();
    let mut s = chat("original question", "a");
    store.save(&mut s).unwrap();
    store.rename(&s.id, "My  renamed\nchat").unwrap();
    let mut loaded = store.load("my renamed chat").unwrap();
    assert!(loaded.title_is_custom && loaded.revision == 2);
    loaded
        .conversation
        .messages
        .insert(0, Message::user("new first"));
    store.save(&mut loaded).unwrap();
    assert_eq!(store.load(&s.id).unwrap().title, "My renamed chat");
    // The stale in-memory copy must not overwrite the rename.
    assert!(matches!(
        store.save(&mut s),
        Err(StoreError::Conflict { .. })
    ));
    store.rename(&s.id, "").unwrap();
    assert_eq!(store.load(&s.id).unwrap().title, "new first");
    assert!(matches!(
        store.rename("nope", "x"),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.rename("../x", "x"),
        Err(StoreError::InvalidId { .. })
    ));

    store.delete(&s.id).unwrap();
    assert_eq!(dir_names(&store), Vec::<String>::new());
    assert!(store.list().0.is_empty());
    assert!(matches!(
        store.delete(&s.id),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.delete("a/b"),
        Err(StoreError::InvalidId { .. })
    ));
}

#[test]
fn a_new_session_never_overwrites_another_with_the_same_id() {
    let (_root, store) = new_store();
    let mut first = chat("first", "a");
    store.save(&mut first).unwrap();
    let mut second = chat("second", "b");
    second.id = first.id.clone();
    second.created = "2026-01-01T00:00:00.000Z".into();
    store.save(&mut second).unwrap();
    assert_ne!(second.id, first.id);
    assert_eq!(store.load(&first.id).unwrap().title, "first");
    assert_eq!(store.load(&second.id).unwrap().title, "second");
}

#[test]
fn an_exported_file_dropped_into_the_directory_keeps_its_id_when_saved() {
    let (_root, store) = new_store();
    let exported = chat("imported chat", "a");
    fs::write(store.path_of("imported"), to_json(&exported)).unwrap();
    let mut s = store.load("imported").unwrap();
    assert_eq!((s.id.as_str(), s.revision), ("imported", 0));
    s.conversation.messages.push(Message::user("continued"));
    store.save(&mut s).unwrap();
    assert_eq!((s.id.as_str(), s.revision), ("imported", 1));
    assert_eq!(store.list().0.len(), 1);
}

#[test]
fn a_session_deleted_elsewhere_is_not_written_back() {
    let (_root, store) = new_store();
    let mut open = chat("keep talking", "a");
    store.save(&mut open).unwrap();
    // `ggchat sessions delete` while a chat has it open.
    store.delete(&open.id).unwrap();
    open.conversation.messages.push(Message::user("more"));
    let before = open.clone();
    let err = store.save(&mut open).unwrap_err();
    assert!(matches!(err, StoreError::Deleted { .. }), "{err}");
    assert!(err.to_string().contains(&open.id), "{err}");
    assert!(err.to_string().contains("not written back"), "{err}");
    assert_eq!(open, before);
    assert!(dir_names(&store).iter().all(|n| !n.ends_with(".json")));
    // Saving it as a new session is the caller's explicit choice.
    store.save_as_new(&mut open).unwrap();
    assert_ne!(open.id, before.id);
    assert_eq!(store.load(&open.id).unwrap().conversation.messages.len(), 3);
}

#[test]
fn a_save_larger_than_the_read_limit_is_refused_and_keeps_the_last_good_file() {
    let (_root, store) = new_store();
    let store = store.with_max_bytes(64 * 1024);
    let mut s = chat("growing", "a");
    store.save(&mut s).unwrap();
    let good = fs::read(store.path_of(&s.id)).unwrap();
    s.conversation
        .messages
        .push(Message::assistant("x".repeat(70 * 1024)));
    let revision = s.revision;
    let err = store.save(&mut s).unwrap_err();
    assert!(matches!(err, StoreError::TooLarge { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("0.1 MiB ggchat reads back"), "{text}");
    assert!(text.contains("previous version is unchanged"), "{text}");
    assert_eq!(s.revision, revision);
    assert_eq!(fs::read(store.path_of(&s.id)).unwrap(), good);
    assert_eq!(dir_names(&store).len(), 2, "{:?}", dir_names(&store));
    // Just under the limit: written, and it reads back.
    s.conversation.messages.pop();
    s.conversation
        .messages
        .push(Message::assistant("x".repeat(60 * 1024)));
    store.save(&mut s).unwrap();
    assert_eq!(store.load(&s.id).unwrap(), s);
}

#[test]
fn a_version_1_file_is_read_and_upgraded_on_its_first_save_with_a_backup() {
    let (_root, store) = new_store();
    let mut s = chat("old question", "old answer");
    store.save(&mut s).unwrap();
    let path = store.dir().join(format!("{}.json", s.id));
    let v1 = fs::read_to_string(&path)
        .unwrap()
        .replace("\"format_version\": 5", "\"format_version\": 1");
    fs::write(&path, &v1).unwrap();
    let mut loaded = store.load(&s.id).unwrap();
    assert_eq!(
        loaded.conversation, s.conversation,
        "version 1 reads as before"
    );
    assert_eq!(loaded.backend, None);
    let backup = store.dir().join(format!("{}.json.v1.bak", s.id));
    assert!(!backup.exists(), "reading changes nothing");
    loaded.backend = Some(BackendRef {
        name: Some("gpu".into()),
        url: "http://127.0.0.1:8080/v1".into(),
        model: "m".into(),
    });
    store.save(&mut loaded).unwrap();
    assert_eq!(
        fs::read_to_string(&backup).unwrap(),
        v1,
        "byte-identical backup"
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"format_version\": 5") && text.contains("\"backend\""),
        "{text}"
    );
    // The backup is made once: a later save keeps the original.
    store.save(&mut loaded).unwrap();
    assert_eq!(fs::read_to_string(&backup).unwrap(), v1);
    assert_eq!(store.load(&s.id).unwrap().backend, loaded.backend);
}

/// Sessions from before persona ids name a built-in persona by its English name: they open
/// with its id, and save the id; other names stay as they are. No format bump: an older
/// ggchat reads the id as a persona name it does not know (the picker starts at the top) and
/// keeps it on save, so nothing is lost either way.
#[test]
fn a_session_naming_a_persona_by_its_old_english_name_opens_with_its_id() {
    let (_root, store) = new_store();
    for (v, stored, expected, shown) in [
        (1, "Coding assistant", "coding", "Coding assistant"),
        (2, "Coding assistant", "coding", "Coding assistant"),
        (2, "Customer support", "support", "Customer support"),
        (2, "coding", "coding", "Coding assistant"),
        (2, "Pirate", "Pirate", "Pirate"),
    ] {
        let mut s = chat("q", "a");
        s.persona = Some(stored.into());
        store.save(&mut s).unwrap();
        let path = store.dir().join(format!("{}.json", s.id));
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("\"format_version\": 5", &format!("\"format_version\": {v}"));
        assert!(text.contains(&format!("\"persona\": \"{stored}\"")));
        fs::write(&path, &text).unwrap();
        let mut loaded = store.load(&s.id).unwrap();
        assert_eq!(loaded.persona.as_deref(), Some(expected), "v{v} {stored}");
        store.save(&mut loaded).unwrap();
        let saved = fs::read_to_string(&path).unwrap();
        assert!(
            saved.contains(&format!("\"persona\": \"{expected}\"")),
            "{saved}"
        );
        let markdown = crate::store::to_markdown(&loaded);
        assert!(
            markdown.contains(&format!("**Persona:** {shown}")),
            "the export names the persona: {markdown}"
        );
    }
}

/// A real version-2 file (every field version 2 added) reads as before and is upgraded to the
/// current version on its first save, keeping the original byte for byte.
#[test]
fn a_version_2_fixture_is_read_and_upgraded_on_its_first_save_with_a_backup() {
    let (_root, store) = new_store();
    let v2 = include_str!("../../tests/fixtures/sessions/v2.json");
    let id = "20261128-114233-3f9a";
    let path = store.dir().join(format!("{id}.json"));
    fs::write(&path, v2).unwrap();
    let mut loaded = store.load(id).unwrap();
    assert_eq!(loaded.format_version, 2);
    assert_eq!(
        loaded.backend.as_ref().unwrap().name.as_deref(),
        Some("gpu-box")
    );
    let reply = &loaded.conversation.messages[1];
    assert_eq!(
        reply.reasoning.as_deref(),
        Some("The user wants a short explanation.")
    );
    let stats = reply.stats.as_ref().unwrap();
    assert_eq!(stats.stop_reason, Some(StopReason::Interrupted));
    assert_eq!(stats.remote.as_ref().unwrap().cached_tokens, None);
    assert!(reply.guard.is_empty());

    // The guard's record needs version 3.
    let user = &mut loaded.conversation.messages[0];
    user.content = "Explain ████████ in Rust".into();
    user.guard.push(crate::guard::GuardMark {
        category: "术语".into(),
        action: crate::guard::Action::Redact,
    });
    loaded.conversation.messages[1]
        .stats
        .as_mut()
        .unwrap()
        .stop_reason = Some(StopReason::ContentFilter);
    store.save(&mut loaded).unwrap();
    let backup = store.dir().join(format!("{id}.json.v2.bak"));
    assert_eq!(
        fs::read_to_string(&backup).unwrap(),
        v2,
        "byte-identical backup"
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"format_version\": 5"), "{text}");
    assert!(
        text.contains("\"guard\": [")
            && text.contains("\"category\": \"术语\"")
            && text.contains("\"action\": \"redact\"")
            && text.contains("\"stop_reason\": \"content_filter\""),
        "{text}"
    );
    let again = store.load(id).unwrap();
    assert_eq!(again.conversation, loaded.conversation);
    assert_eq!(again.format_version, FORMAT_VERSION);
}

#[test]
fn a_replys_reasoning_and_its_figures_round_trip_apart_from_the_answer() {
    let (_root, store) = new_store();
    let mut s = chat("What is 2+2?", "It is 4.");
    let reply = s.conversation.messages.last_mut().unwrap();
    reply.reasoning = Some("The user asks for 2+2. 思考：四。".into());
    reply.thinking = Some(crate::chat::ThinkingFigures {
        tokens: 12,
        seconds: 1.5,
    });
    store.save(&mut s).unwrap();
    let loaded = store.load(&s.id).unwrap();
    assert_eq!(loaded, s);
    let reply = loaded.conversation.messages.last().unwrap();
    assert_eq!(reply.content, "It is 4.");
    assert_eq!(
        reply.reasoning.as_deref(),
        Some("The user asks for 2+2. 思考：四。")
    );
    let text = fs::read_to_string(store.path_of(&s.id)).unwrap();
    assert!(text.contains("\"thinking\": {\n"), "{text}");
    assert_eq!(loaded.format_version, FORMAT_VERSION);
}

/// Every older format's fixture reads as one branch with the same messages, and its first save
/// writes the current format (ids and parents) after keeping the original byte for byte.
#[test]
fn every_older_fixture_is_upgraded_to_the_tree_with_a_byte_identical_backup() {
    let fixtures = [
        (1, include_str!("../../tests/fixtures/sessions/v1.json"), 4),
        (2, include_str!("../../tests/fixtures/sessions/v2.json"), 2),
        (3, include_str!("../../tests/fixtures/sessions/v3.json"), 3),
    ];
    for (version, original, count) in fixtures {
        let (_root, store) = new_store();
        let id = "20261101-090000-a1b2";
        let path = store.path_of(id);
        fs::write(&path, original).unwrap();
        let mut loaded = store.load(id).unwrap();
        assert_eq!(loaded.format_version, version);
        let raw: serde_json::Value = serde_json::from_str(original).unwrap();
        let contents: Vec<&str> = (raw["conversation"]["messages"].as_array().unwrap().iter())
            .map(|m| m["content"].as_str().unwrap())
            .collect();
        let shown: Vec<&str> = (loaded.conversation.messages.iter())
            .map(|m| m.content.as_str())
            .collect();
        assert_eq!(shown, contents, "v{version}: the same messages, in order");
        assert_eq!(shown.len(), count);
        assert_eq!(loaded.tree.len(), count);
        assert_eq!(loaded.tree.branch_count(), 1);
        let backup = store.dir().join(format!("{id}.json.v{version}.bak"));
        assert!(!backup.exists(), "reading changes nothing");
        store.save(&mut loaded).unwrap();
        assert_eq!(fs::read_to_string(&backup).unwrap(), original, "v{version}");
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"format_version\": 5"), "{text}");
        assert!(
            text.contains("\"id\": 1,\n        \"parent\": null,")
                && text.contains(&format!("\"active\": {count},")),
            "{text}"
        );
        let again = store.load(id).unwrap();
        assert_eq!(again, loaded, "v{version}");
        assert_eq!(again.conversation.messages, loaded.tree.active_messages());
        assert_eq!(dir_names(&store).len(), 3, "{:?}", dir_names(&store));
    }
}

/// The format 4 fixture: three branches, the active one in the middle of the file.
#[test]
fn the_tree_fixture_reads_its_branches_and_active_path() {
    let (_root, store) = new_store();
    let v4 = include_str!("../../tests/fixtures/sessions/v4.json");
    let id = "20261128-114233-3f9a";
    fs::write(store.path_of(id), v4).unwrap();
    let mut s = store.load(id).unwrap();
    let shown: Vec<&str> = (s.conversation.messages.iter())
        .map(|m| m.content.as_str())
        .collect();
    assert_eq!(
        shown,
        [
            "Explain borrowing in Rust",
            "Borrowing lets code use a value without owning it…",
            "And lifetimes?"
        ]
    );
    assert_eq!((s.tree.len(), s.tree.branch_count()), (6, 3));
    assert_eq!(s.tree.sibling_position(2), Some((1, 2)));
    assert_eq!(s.tree.sibling_position(1), Some((1, 2)));
    s.tree.switch_sibling(1, 1);
    s.follow_tree();
    store.save(&mut s).unwrap();
    let again = store.load(id).unwrap();
    assert_eq!(
        again.conversation.messages.last().unwrap().content,
        "Each value has exactly one owner."
    );
    assert_eq!(again.tree.len(), 6);
    // Format 5 added `alternatives` to the sampling settings: the first save upgrades the file
    // and keeps the format 4 original byte for byte; a second save keeps that backup as it is.
    assert_eq!(again.format_version, FORMAT_VERSION);
    let backup = store.dir().join(format!("{id}.json.v4.bak"));
    assert_eq!(fs::read_to_string(&backup).unwrap(), v4);
    let text = fs::read_to_string(store.path_of(id)).unwrap();
    assert!(
        text.contains("\"format_version\": 5") && text.contains("\"alternatives\": 3"),
        "{text}"
    );
    let mut again = again;
    store.save(&mut again).unwrap();
    assert_eq!(fs::read_to_string(&backup).unwrap(), v4);
}
