//! Hostile and large inputs: arbitrary bytes in session files must never panic or be modified,
//! and a thousand sessions must still list quickly.

use super::tests::{chat, new_store};
use super::*;
use proptest::prelude::*;
use serde_json::Value;

/// Puts `bytes` in `x.json` next to one good session, runs every read path, and checks the
/// invariants: no panic, the file is a session or a problem (never both, never neither), the
/// good session always lists, and the file is byte-for-byte unchanged.
fn check_any_file(bytes: &[u8]) -> Result<(), TestCaseError> {
    let (_root, store) = new_store();
    let mut good = chat("good session", "fine");
    store.save(&mut good).unwrap();
    let path = store.path_of("x");
    fs::write(&path, bytes).unwrap();

    let (sessions, problems) = store.list();
    prop_assert!(sessions.iter().any(|s| s.id == good.id));
    let listed = sessions.iter().any(|s| s.id == "x");
    prop_assert_eq!(usize::from(listed) + problems.len(), 1, "{:?}", problems);
    let loaded = store.load("x");
    prop_assert_eq!(loaded.is_ok(), listed);
    let _ = store.load("good");
    let _ = store.resolve("x");
    let _ = store.search("e");
    good.conversation
        .messages
        .push(crate::chat::Message::user("again"));
    store.save(&mut good).unwrap();
    if let Ok(mut session) = loaded {
        let _ = to_markdown(&session);
        let _ = to_json(&session);
        prop_assert_eq!(fs::read(&path).unwrap(), bytes);
        // A readable file can be saved again and round-trips.
        store.save(&mut session).unwrap();
        prop_assert_eq!(store.load("x").unwrap(), session);
    } else {
        prop_assert_eq!(
            fs::read(&path).unwrap(),
            bytes,
            "a problem file was modified"
        );
    }
    Ok(())
}

fn good_file() -> Vec<u8> {
    let mut s = chat("a question with ünïcode 🙂", "an answer");
    s.model = Some(ModelRef {
        file_name: "m.gguf".into(),
        size: 1,
        fingerprint: "0000000000000000".into(),
    });
    s.template = Some("chatml".into());
    format::encode(&s).unwrap()
}

/// A JSON value of any shape, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every object member path in `v`, like `["conversation", "messages", "0", "role"]`.
fn member_paths(v: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return,
    };
    for (key, child) in children {
        prefix.push(key);
        out.push(prefix.clone());
        member_paths(child, prefix, out);
        prefix.pop();
    }
}

fn replace_at(v: &mut Value, path: &[String], with: Value) {
    let Some((first, rest)) = path.split_first() else {
        *v = with;
        return;
    };
    let child = match v {
        Value::Object(m) => m.get_mut(first),
        Value::Array(a) => first.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    };
    if let Some(child) = child {
        replace_at(child, rest, with);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_are_never_modified(
        bytes in prop::collection::vec(any::<u8>(), 0..2048)
    ) {
        check_any_file(&bytes)?;
    }

    #[test]
    fn truncated_or_flipped_sessions_never_panic(cut in any::<prop::sample::Index>(),
                                                 flip in any::<prop::sample::Index>(),
                                                 byte in any::<u8>(),
                                                 truncate in any::<bool>()) {
        let mut bytes = good_file();
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        } else {
            let at = flip.index(bytes.len());
            bytes[at] = byte;
        }
        check_any_file(&bytes)?;
    }

    #[test]
    fn any_member_replaced_by_any_json_never_panics(which in any::<prop::sample::Index>(),
                                                   with in any_json()) {
        let mut value: Value = serde_json::from_slice(&good_file()).unwrap();
        let mut paths = Vec::new();
        member_paths(&value, &mut Vec::new(), &mut paths);
        replace_at(&mut value, &paths[which.index(paths.len())], with);
        check_any_file(&serde_json::to_vec_pretty(&value).unwrap())?;
    }
}

#[test]
fn a_thousand_sessions_list_and_search_quickly() {
    let (_root, store) = new_store();
    for i in 0..1000u32 {
        let mut s = chat(
            &format!("question number {i}"),
            &"A fairly long answer. ".repeat(50),
        );
        s.id = format!("20260101-{:06}-0000", i);
        s.refresh_title();
        s.updated = format_rfc3339(
            std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + u64::from(i)),
        );
        fs::write(store.path_of(&s.id), format::encode(&s).unwrap()).unwrap();
    }
    let start = std::time::Instant::now();
    let (list, problems) = store.list();
    let listing = start.elapsed();
    assert!(problems.is_empty());
    assert_eq!(list.len(), 1000);
    assert_eq!(list[0].title, "question number 999");
    assert_eq!(list[999].title, "question number 0");
    let hits = store.search("number 500");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        store.load("question number 42").unwrap().id,
        "20260101-000042-0000"
    );
    // Generous for a debug build on a busy 2-core machine; a release build takes milliseconds.
    assert!(
        listing < Duration::from_secs(20),
        "listing 1000 sessions took {listing:?}"
    );
}
