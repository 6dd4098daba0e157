//! Failed writes and concurrency: a full disk (`RLIMIT_FSIZE`) and a read-only sessions folder
//! while saving, from the CLI and from the chat, and two processes or chat screens on one session.

use crate::common::TempHome;
use crate::helpers::{NOBODY, app, ggchat, is_root, run_measured, save, sessions_dir, test_child};
use ggchat::chat::Message;
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{Session, Store};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

/// Makes writes past `bytes` fail with EFBIG in the process that calls it (a real, kernel-made
/// "disk full": root ignores permissions but not RLIMIT_FSIZE).
fn limit_file_size(bytes: u64) -> std::io::Result<()> {
    // SAFETY: plain system calls with valid arguments; async-signal-safe, so usable in pre_exec.
    unsafe {
        if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR {
            return Err(std::io::Error::last_os_error());
        }
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

fn big_session(home: &TempHome) -> Session {
    let mut session = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    session
        .conversation
        .messages
        .push(Message::user(format!("keep me {}", "x".repeat(20_000))));
    save(home, &mut session);
    session
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_full_disk_while_saving_keeps_the_previous_file_and_says_so() {
    let home = TempHome::new();
    let session = big_session(&home);
    let path = sessions_dir(&home).join(format!("{}.json", session.id));
    let before = fs::read(&path).unwrap();
    let mut command = home.command();
    command.args(["sessions", "rename", &session.id, "New title"]);
    // SAFETY: limit_file_size only makes async-signal-safe system calls.
    unsafe {
        command.pre_exec(|| limit_file_size(8 * 1024));
    }
    let run = run_measured(command);
    assert!(!run.status.success());
    assert_eq!(
        run.stderr,
        format!(
            "ggchat: cannot save {}: File too large (os error 27); the previous version is \
             unchanged — free some disk space or make the directory writable, then try again\n",
            path.display()
        )
    );
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "the previous file is intact"
    );
    assert_eq!(
        names_in(&sessions_dir(&home)),
        [
            format!("{}.json", session.id),
            format!("{}.lock", session.id)
        ],
        "no temporary file is left behind"
    );
    // With space again, the same command works.
    let run = ggchat(&home, &["sessions", "rename", &session.id, "New title"]);
    assert!(run.status.success(), "{}", run.stderr);
}

/// A sessions folder the user cannot write. Only root can make one for another user (ggchat makes
/// a folder it owns owner-writable again), so as root the test gives the folder to root and runs
/// ggchat as `nobody`: the save fails with EACCES and the file is intact. Then, as root and as
/// any other user alike, the unprivileged case: `read_only_own_folder_is_made_writable_again`.
#[test]
fn a_read_only_sessions_directory_keeps_the_previous_file_and_says_so() {
    if is_root() {
        another_users_folder_cannot_be_written(NOBODY);
        // The unprivileged path, as `nobody`: what a user who is not root meets.
        read_only_own_folder_is_made_writable_again(Some(NOBODY));
    } else {
        read_only_own_folder_is_made_writable_again(None);
    }
}

fn another_users_folder_cannot_be_written(user: u32) {
    let home = TempHome::new();
    let session = big_session(&home);
    let dir = sessions_dir(&home);
    let path = dir.join(format!("{}.json", session.id));
    // Everything stays root's: `user` may read the session and take its lock, not write.
    for (p, mode) in [
        (home.dir.path().to_path_buf(), 0o755),
        (home.data_dir(), 0o755),
        (dir.clone(), 0o755),
        (path.clone(), 0o644),
        (dir.join(format!("{}.lock", session.id)), 0o666),
    ] {
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
    }
    let before = fs::read(&path).unwrap();
    let mut command = home.command();
    command
        .args(["sessions", "rename", &session.id, "New title"])
        .uid(user)
        .gid(user);
    let run = run_measured(command);
    assert!(!run.status.success());
    assert_eq!(
        run.stderr,
        format!(
            "ggchat: cannot save {}: Permission denied (os error 13); the previous version is \
             unchanged — free some disk space or make the directory writable, then try again\n",
            path.display()
        )
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names_in(&dir).len(), 2, "{:?}", names_in(&dir));
}

/// A user's own sessions folder and file made read-only (`chmod a-w`): ggchat makes the folder
/// owner-writable again (0700) and saves, since the user could do the same. Run as `user` when
/// given (the test is root), else as the test's own user.
fn read_only_own_folder_is_made_writable_again(user: Option<u32>) {
    let home = TempHome::new();
    let session = big_session(&home);
    let dir = sessions_dir(&home);
    let path = dir.join(format!("{}.json", session.id));
    if let Some(user) = user {
        chown_all(home.dir.path(), user);
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o500)).unwrap();
    let mut command = home.command();
    command.args(["sessions", "rename", &session.id, "New title"]);
    if let Some(user) = user {
        command.uid(user).gid(user);
    }
    let run = run_measured(command);
    assert!(
        run.status.success(),
        "as {user:?}: {}\n{}",
        run.stderr,
        run.stdout
    );
    let mode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o700,
        "as {user:?}: the folder is owner-writable again"
    );
    let saved = Store::open(&dir).unwrap().load(&session.id).unwrap();
    assert_eq!(saved.title, "New title", "as {user:?}");
    assert_eq!(saved.conversation, session.conversation);
}

/// Gives `root` and everything under it to `user`.
fn chown_all(root: &Path, user: u32) {
    std::os::unix::fs::chown(root, Some(user), Some(user)).unwrap();
    if root.is_dir() {
        for entry in fs::read_dir(root).unwrap() {
            chown_all(&entry.unwrap().path(), user);
        }
    }
}

#[test]
fn two_processes_on_one_session_never_lose_or_tear_a_write() {
    let home = std::sync::Arc::new(TempHome::new());
    let session = big_session(&home);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A third process keeps reading the session while the two others rename it.
    let reader = {
        let (home, done, id) = (home.clone(), done.clone(), session.id.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let run = ggchat(&home, &["sessions", "show", &id]);
                assert!(
                    run.status.success(),
                    "a reader saw a torn file: {}",
                    run.stderr
                );
                assert!(run.stdout.contains("keep me"));
                reads += 1;
            }
            reads
        })
    };
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (home, id) = (home.clone(), session.id.clone());
            std::thread::spawn(move || {
                for i in 0..10 {
                    let title = format!("writer {w} rename {i}");
                    let run = ggchat(&home, &["sessions", "rename", &id, &title]);
                    assert!(run.status.success(), "{title}: {}", run.stderr);
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let reads = reader.join().unwrap();
    let store = Store::open(&sessions_dir(&home)).unwrap();
    let last = store.load(&session.id).unwrap();
    // Every one of the 20 renames was a save on top of the previous one: none was lost.
    assert_eq!(last.revision, session.revision + 20, "after {reads} reads");
    assert!(last.title.ends_with("rename 9"), "{}", last.title);
    assert_eq!(last.conversation, session.conversation);
    assert_eq!(store.list().1, [], "no problem files");
    assert_eq!(names_in(&sessions_dir(&home)).len(), 2);
}

#[test]
fn two_chat_screens_on_one_session_lose_nothing() {
    let home = TempHome::new();
    let mut first = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    first.conversation.messages.push(Message::user("start"));
    save(&home, &mut first);
    let dir = sessions_dir(&home);
    let open = || {
        let store = Store::open(&dir).unwrap();
        let session = store.load(&first.id).unwrap();
        let mut app = app();
        app.attach_store(store, Some(session));
        app
    };
    let (mut a, mut b) = (open(), open());
    a.conversation_mut().messages.push(Message::user("from A"));
    a.save_session();
    assert_eq!(a.notice(), None);
    b.conversation_mut().messages.push(Message::user("from B"));
    b.save_session();
    let notice = b.notice().cloned().expect("B is told");
    assert_eq!(
        notice.text,
        "another ggchat changed this session; this chat was saved as a new one"
    );
    assert!(!notice.is_error);
    assert_ne!(b.session().id, first.id);
    // Both keep saving, each to its own file.
    a.conversation_mut().messages.push(Message::user("A again"));
    a.save_session();
    b.conversation_mut().messages.push(Message::user("B again"));
    b.save_session();
    let store = Store::open(&dir).unwrap();
    let contents = |id: &str| -> Vec<String> {
        let session = store.load(id).unwrap();
        session
            .conversation
            .messages
            .into_iter()
            .map(|m| m.content)
            .collect()
    };
    assert_eq!(contents(&first.id), ["start", "from A", "A again"]);
    assert_eq!(contents(&b.session().id), ["start", "from B", "B again"]);
    assert_eq!(store.list().0.len(), 2);
}

#[test]
fn a_failed_autosave_in_the_chat_tells_the_user_and_keeps_the_file() {
    let home = TempHome::new();
    let session = big_session(&home);
    let path = sessions_dir(&home).join(format!("{}.json", session.id));
    let before = fs::read(&path).unwrap();
    // The file-size limit must not hit this test process: the chat's autosave runs in a helper
    // process (tests/child/test_child.rs) that reports the notice the user would see.
    let out = Command::new(test_child())
        .arg("chat-autosave-over-limit")
        .arg(sessions_dir(&home))
        .arg(&session.id)
        .arg("8192")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outcome: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        outcome["notice"],
        format!(
            "could not save the session (cannot save {}: File too large (os error 27); the \
             previous version is unchanged — free some disk space or make the directory \
             writable, then try again); the previous file is intact",
            path.display()
        ),
        "{outcome}"
    );
    assert_eq!(outcome["is_error"], true, "{outcome}");
    // The chat goes on: the message is still there, and a later save (with space) keeps it.
    assert_eq!(outcome["messages"], 2, "{outcome}");
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "the previous file is intact"
    );
}
