//! Write safety: failed writes, unreadable targets, crashes, concurrent writers.
//!
//! Integration tests cannot reach this module's internals, so the multi-process tests re-execute
//! the test binary itself (`std::env::current_exe()`), running only [`child_process_entry`] with
//! `--exact`; environment variables tell that child what to do. Without them the entry test
//! returns at once, so it is harmless in a normal test run.

use super::tests::{chat, dir_names, new_store};
use super::*;
use crate::chat::Message;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

const MODE_ENV: &str = "GGCHAT_STORE_TEST_CHILD_MODE";
const DIR_ENV: &str = "GGCHAT_STORE_TEST_CHILD_DIR";
const ID_ENV: &str = "GGCHAT_STORE_TEST_CHILD_ID";
const READY: &str = "GGCHAT-STORE-CHILD-READY";
const DONE: &str = "GGCHAT-STORE-CHILD-DONE";

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

/// This module's test named `name`, as libtest knows it (the path without the crate name).
fn test_name(name: &str) -> String {
    let module = module_path!();
    let within_crate = module.split_once("::").map_or(module, |(_, rest)| rest);
    format!("{within_crate}::{name}")
}

fn spawn_child(mode: &str, store: &Store, id: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            &test_name("child_process_entry"),
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(MODE_ENV, mode)
        .env(DIR_ENV, store.dir())
        .env(ID_ENV, id)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Reads the child's stdout until `marker`; panics with its stderr if it never comes.
fn wait_for(child: &mut Child, marker: &str) {
    let stdout = child.stdout.as_mut().unwrap();
    let found = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|l| l.contains(marker));
    if !found {
        let _ = child.kill();
        let mut stderr = String::new();
        let _ = child.stderr.as_mut().unwrap().read_to_string(&mut stderr);
        panic!("child never printed {marker}; stderr:\n{stderr}");
    }
}

/// Runs in the re-executed test binary only.
#[test]
fn child_process_entry() {
    let (Ok(mode), Some(dir), Ok(id)) = (
        std::env::var(MODE_ENV),
        std::env::var_os(DIR_ENV),
        std::env::var(ID_ENV),
    ) else {
        return;
    };
    let store = Store::open(Path::new(&dir)).unwrap();
    let mut session = store.load(&id).unwrap();
    match mode.as_str() {
        "save-forever" => {
            for i in 1.. {
                session.conversation.messages = content(i);
                store.save(&mut session).unwrap();
                if i == 1 {
                    // The kill comes 0–20 ms from now, while later saves run.
                    println!("{READY}");
                }
            }
        }
        #[cfg(unix)]
        "file-size-limit" => {
            limit_file_size(64 * 1024);
            let before = fs::read(store.path_of(&id)).unwrap();
            session.conversation.messages = content(1);
            let err = store.save(&mut session).unwrap_err();
            let StoreError::Write { source, .. } = &err else {
                panic!("expected a write error, got {err}");
            };
            assert_eq!(source.raw_os_error(), Some(libc::EFBIG), "{err}");
            assert_eq!(fs::read(store.path_of(&id)).unwrap(), before);
            assert_eq!(
                dir_names(&store),
                [format!("{id}.json"), format!("{id}.lock")]
            );
            println!("{DONE}");
        }
        other => panic!("unknown child mode {other}"),
    }
}

/// Makes writes past `bytes` fail with EFBIG in this process (a real, kernel-made failed write:
/// root ignores read-only permissions, but not RLIMIT_FSIZE).
#[cfg(unix)]
fn limit_file_size(bytes: libc::rlim_t) {
    // SAFETY: plain system calls on valid, initialized arguments.
    unsafe {
        assert_ne!(libc::signal(libc::SIGXFSZ, libc::SIG_IGN), libc::SIG_ERR);
        let mut limit = std::mem::zeroed::<libc::rlimit>();
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut limit), 0);
        limit.rlim_cur = bytes;
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
}

#[cfg(unix)]
#[test]
fn a_real_disk_full_error_keeps_the_old_file() {
    let (_root, store) = new_store();
    let mut s = chat("small", "file");
    store.save(&mut s).unwrap();
    let mut child = spawn_child("file-size-limit", &store, &s.id);
    wait_for(&mut child, DONE);
    assert!(child.wait().unwrap().success());
}

#[cfg(unix)]
#[test]
fn sigkill_during_saves_never_leaves_a_torn_file() {
    use std::os::unix::process::ExitStatusExt;
    let (_root, store) = new_store();
    let mut s = chat("crash", "test");
    s.conversation.messages = content(0);
    store.save(&mut s).unwrap();
    let (small, large) = (content(0), content(1));
    let mut saw = [false, false];
    let mut mid_write_kills = 0;
    for round in 0..50 {
        let mut child = spawn_child("save-forever", &store, &s.id);
        wait_for(&mut child, READY);
        std::thread::sleep(Duration::from_micros(stamp::random_u64() % 20_000));
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
        let messages = &on_disk.conversation.messages;
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
        ("{\"format_version\": 3}", "newer ggchat"),
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
