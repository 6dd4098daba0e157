//! Write safety: failed writes, unreadable targets, crashes, concurrent writers.
//!
//! The multi-process tests run a helper program, `test_child` (tests/child/test_child.rs, an
//! example target that scripts/test.sh builds before the tests): it saves through the same public
//! `Store` API in a second process that can be killed or given a file-size limit, and prints what
//! happened; the checks are all here.

use super::tests::{chat, dir_names, new_store};
use super::*;
use crate::chat::Message;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

/// The two contents the crash test alternates between: about 10 KB and about 300 KB.
fn content(which: usize) -> Vec<Message> {
    if which.is_multiple_of(2) {
        vec![Message::user("a".repeat(10_000))]
    } else {
        let mut reply = chat("", &"б".repeat(75_000))
            .conversation
            .messages
            .remove(1);
        reply.content.push_str(&"z".repeat(150_000));
        vec![Message::user("🙂".repeat(1000)), reply]
    }
}

/// The helper program, next to this test binary's folder (`target/debug/examples/`).
fn test_child() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("examples")
        .join(format!("test_child{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "the helper program {} is missing: `cargo build --example test_child` builds it \
         (scripts/test.sh does so before `cargo test`)",
        path.display()
    );
    path
}

/// Writes `content(which)` as a JSON file in `dir` for the child to read; returns its path.
fn content_file(dir: &Path, which: usize) -> PathBuf {
    let path = dir.join(format!("content-{which}.json"));
    fs::write(&path, serde_json::to_vec(&content(which)).unwrap()).unwrap();
    path
}

fn spawn_child(store: &Store, id: &str, mode: &str, args: &[&Path]) -> Child {
    Command::new(test_child())
        .arg(mode)
        .arg(store.dir())
        .arg(id)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads the child's stdout until a line holds `marker`; returns that line, or panics with the
/// child's stderr if it never comes.
fn wait_for(child: &mut Child, marker: &str) -> String {
    let stdout = child.stdout.as_mut().unwrap();
    let found = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains(marker));
    found.unwrap_or_else(|| {
        let _ = child.kill();
        let mut stderr = String::new();
        let _ = child.stderr.as_mut().unwrap().read_to_string(&mut stderr);
        panic!("child never printed {marker}; stderr:\n{stderr}");
    })
}

#[cfg(unix)]
#[test]
fn a_real_disk_full_error_keeps_the_old_file() {
    let (root, store) = new_store();
    let mut s = chat("small", "file");
    store.save(&mut s).unwrap();
    let before = fs::read(store.path_of(&s.id)).unwrap();
    let large = content_file(root.path(), 1);
    let limit = Path::new("65536");
    let mut child = spawn_child(&store, &s.id, "save-over-limit", &[limit, &large]);
    let outcome: serde_json::Value = serde_json::from_str(&wait_for(&mut child, "saved")).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(outcome["saved"], false, "{outcome}");
    assert_eq!(outcome["write_os_error"], libc::EFBIG, "{outcome}");
    let message = outcome["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{}.json", s.id))
            && message.contains("the previous version is unchanged"),
        "{message}"
    );
    assert_eq!(fs::read(store.path_of(&s.id)).unwrap(), before);
    assert_eq!(
        dir_names(&store),
        [format!("{}.json", s.id), format!("{}.lock", s.id)]
    );
}

#[cfg(unix)]
#[test]
fn sigkill_during_saves_never_leaves_a_torn_file() {
    use std::os::unix::process::ExitStatusExt;
    let (root, store) = new_store();
    let mut s = chat("crash", "test");
    s.conversation.messages = content(0);
    store.save(&mut s).unwrap();
    let (small, large) = (content(0), content(1));
    let files = [content_file(root.path(), 0), content_file(root.path(), 1)];
    let mut saw = [false, false];
    let mut mid_write_kills = 0;
    for round in 0..50 {
        let mut child = spawn_child(&store, &s.id, "save-forever", &[&files[0], &files[1]]);
        wait_for(&mut child, "READY");
        // A save writes both branches (about 250 KB): give the kill time to land on either.
        std::thread::sleep(Duration::from_micros(stamp::random_u64() % 60_000));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if status.signal() != Some(libc::SIGKILL) {
            let mut stderr = String::new();
            let _ = child.stderr.as_mut().unwrap().read_to_string(&mut stderr);
            panic!("round {round}: the child did not die by SIGKILL ({status}):\n{stderr}");
        }
        let bytes = fs::read(store.path_of(&s.id)).unwrap();
        let on_disk = format::decode(&bytes, &s.id)
            .unwrap_or_else(|e| panic!("round {round}: torn file after SIGKILL: {e:?}"));
        let messages: &Vec<Message> = &(on_disk.conversation.messages.iter())
            .map(|m| Message {
                id: None,
                ..m.clone()
            })
            .collect();
        assert!(
            *messages == small || *messages == large,
            "round {round}: unexpected content"
        );
        saw[usize::from(*messages == large)] = true;
        assert_eq!(store.list().1, [], "round {round}");
        // A temporary file left behind means the kill landed inside a write.
        mid_write_kills += usize::from(dir_names(&store).len() > 2);
    }
    assert!(
        saw[0] && saw[1],
        "kills should land on both contents: {saw:?}"
    );
    // About one kill in five lands inside a write; none in 50 means the test lost its point.
    assert!(mid_write_kills > 0, "no kill landed during a write");
    // A killed writer may leave a temporary file; the next save removes it.
    let mut last = store.load(&s.id).unwrap();
    store.save(&mut last).unwrap();
    assert_eq!(dir_names(&store).len(), 2, "{:?}", dir_names(&store));
}

#[test]
fn saving_over_an_unreadable_or_newer_file_is_refused() {
    let (_root, store) = new_store();
    let mut s = chat("q", "a");
    store.save(&mut s).unwrap();
    let path = store.path_of(&s.id);
    for (content, expected) in [
        ("{ not json", "not a valid session file"),
        ("{\"format_version\": 6}", "newer ggchat"),
    ] {
        fs::write(&path, content).unwrap();
        let err = store.save(&mut s).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), content);
        assert_eq!(s.revision, 1);
    }
}

#[test]
fn a_failed_write_keeps_the_old_file_and_the_session_unchanged() {
    // Tests run as root, so a read-only directory would not stop the write; the failure is
    // injected inside the atomic write instead (see fsio::FailPoint). `crash_tests` also checks a
    // real EFBIG from the kernel in a child process.
    let (_root, store) = new_store();
    let mut s = chat("keep me", "kept");
    store.save(&mut s).unwrap();
    let old_bytes = fs::read(store.path_of(&s.id)).unwrap();
    let old = s.clone();
    s.conversation
        .messages
        .push(Message::user("x".repeat(100_000)));
    let expected_after = s.clone();
    for point in [fsio::FailPoint::MidWrite, fsio::FailPoint::BeforeRename] {
        fsio::FAIL_AT.with(|f| f.set(Some(point)));
        let err = store.save(&mut s).unwrap_err();
        fsio::FAIL_AT.with(|f| f.set(None));
        let message = err.to_string();
        assert!(matches!(err, StoreError::Write { .. }), "{message}");
        assert!(message.contains(&format!("{}.json", s.id)), "{message}");
        assert!(
            message.contains("previous version is unchanged"),
            "{message}"
        );
        assert_eq!(
            fs::read(store.path_of(&s.id)).unwrap(),
            old_bytes,
            "{point:?}"
        );
        assert_eq!(
            s, expected_after,
            "in-memory session restored after {point:?}"
        );
        assert_eq!(
            dir_names(&store).len(),
            2,
            "no temporary file left: {:?}",
            dir_names(&store)
        );
    }
    assert_eq!(store.load(&s.id).unwrap(), old);
    store.save(&mut s).unwrap();
    assert_eq!(store.load(&s.id).unwrap().revision, 2);
}

#[test]
fn a_save_from_a_stale_copy_is_a_conflict() {
    let (_root, store) = new_store();
    let other_process = Store::open(store.dir()).unwrap();
    let mut s = chat("shared", "session");
    store.save(&mut s).unwrap();
    let mut mine = store.load(&s.id).unwrap();
    let mut theirs = other_process.load(&s.id).unwrap();
    theirs.conversation.messages.push(Message::user("theirs"));
    other_process.save(&mut theirs).unwrap();
    let on_disk = fs::read(store.path_of(&s.id)).unwrap();

    mine.conversation.messages.push(Message::user("mine"));
    let err = store.save(&mut mine).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                ours: 1,
                on_disk: 2,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("save this conversation as a new session"),
        "{err}"
    );
    assert_eq!(mine.revision, 1);
    assert_eq!(
        fs::read(store.path_of(&s.id)).unwrap(),
        on_disk,
        "left untouched"
    );

    store.save_as_new(&mut mine).unwrap();
    assert_ne!(mine.id, s.id);
    assert_eq!(
        store
            .load(&mine.id)
            .unwrap()
            .conversation
            .messages
            .last()
            .unwrap()
            .content,
        "mine"
    );
    assert_eq!(store.list().0.len(), 2);
}

#[test]
fn concurrent_writers_that_retry_on_conflict_lose_nothing() {
    let (_root, store) = new_store();
    let mut s = chat("counter", "0");
    store.save(&mut s).unwrap();
    let writers: Vec<_> = (0..2)
        .map(|t| {
            let (dir, id) = (store.dir().to_path_buf(), s.id.clone());
            std::thread::spawn(move || {
                let store = Store::open(&dir).unwrap();
                for i in 0..15 {
                    loop {
                        let mut current = store.load(&id).unwrap();
                        current
                            .conversation
                            .messages
                            .push(Message::user(format!("{t}-{i}")));
                        match store.save(&mut current) {
                            Ok(()) => break,
                            Err(StoreError::Conflict { .. }) => continue,
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let last = store.load(&s.id).unwrap();
    assert_eq!(last.conversation.messages.len(), 2 + 30);
    assert_eq!(last.revision, 1 + 30);
}

#[test]
fn a_held_lock_times_out_with_advice() {
    let (_root, mut store) = new_store();
    store.lock_timeout = Duration::from_millis(50);
    let mut s = chat("locked", "x");
    store.save(&mut s).unwrap();
    let held = fsio::lock(store.dir(), &s.id, Duration::from_secs(5)).unwrap();
    let err = store.save(&mut s).unwrap_err().to_string();
    assert!(
        err.contains(".lock") && err.contains("another ggchat"),
        "{err}"
    );
    assert_eq!(s.revision, 1);
    drop(held);
    store.lock_timeout = Duration::from_secs(5);
    store.save(&mut s).unwrap();
}
