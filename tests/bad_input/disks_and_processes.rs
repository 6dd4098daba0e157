//! Failed writes and concurrency: a full disk (`RLIMIT_FSIZE`) and a read-only sessions folder
//! while saving, from the CLI and from the chat, and two processes or chat screens on one session.

use crate::common::TempHome;
use crate::helpers::{NOBODY, app, ggchat, is_root, run_measured, save, sessions_dir};
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

#[test]
fn a_read_only_sessions_directory_keeps_the_previous_file_and_says_so() {
    if !is_root() {
        // Only root can give the directory to another user to make it read-only for ggchat
        // (ggchat makes its own directory owner-writable again); the full-disk test covers the
        // same failed write without root.
        eprintln!("not root: the read-only case runs as root only");
        return;
    }
    let home = TempHome::new();
    let session = big_session(&home);
    let dir = sessions_dir(&home);
    let path = dir.join(format!("{}.json", session.id));
    // Everything stays root's: `nobody` may read the session and take its lock, not write.
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
        .uid(NOBODY)
        .gid(NOBODY);
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
    a.conversation.messages.push(Message::user("from A"));
    a.save_session();
    assert_eq!(a.notice, None);
    b.conversation.messages.push(Message::user("from B"));
    b.save_session();
    let notice = b.notice.clone().expect("B is told");
    assert_eq!(
        notice.text,
        "another ggchat changed this session; this chat was saved as a new one"
    );
    assert!(!notice.is_error);
    assert_ne!(b.session.id, first.id);
    // Both keep saving, each to its own file.
    a.conversation.messages.push(Message::user("A again"));
    a.save_session();
    b.conversation.messages.push(Message::user("B again"));
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
    assert_eq!(contents(&b.session.id), ["start", "from B", "B again"]);
    assert_eq!(store.list().0.len(), 2);
}

const CHILD_DIR_ENV: &str = "GGCHAT_BAD_INPUT_CHILD_DIR";
const CHILD_ID_ENV: &str = "GGCHAT_BAD_INPUT_CHILD_ID";
const CHILD_DONE: &str = "GGCHAT-BAD-INPUT-CHILD-DONE";

/// Runs only in the re-executed test binary (see the next test); returns at once otherwise.
#[test]
fn child_process_entry() {
    let (Some(dir), Ok(id)) = (std::env::var_os(CHILD_DIR_ENV), std::env::var(CHILD_ID_ENV)) else {
        return;
    };
    let store = Store::open(Path::new(&dir)).unwrap();
    let path = store.path_of(&id);
    let session = store.load(&id).unwrap();
    let mut app = app();
    app.attach_store(store, Some(session));
    let before = fs::read(&path).unwrap();
    limit_file_size(8 * 1024).unwrap();
    app.conversation
        .messages
        .push(Message::user("y".repeat(20_000)));
    app.save_session();
    let notice = app.notice.clone().expect("the user is told");
    assert!(notice.is_error, "{notice:?}");
    assert_eq!(
        notice.text,
        format!(
            "could not save the session (cannot save {}: File too large (os error 27); the \
             previous version is unchanged — free some disk space or make the directory \
             writable, then try again); the previous file is intact",
            path.display()
        )
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    // The chat goes on: the message is still there, and a later save (with space) keeps it.
    assert_eq!(app.conversation.messages.len(), 2);
    println!("{CHILD_DONE}");
}

#[test]
fn a_failed_autosave_in_the_chat_tells_the_user_and_keeps_the_file() {
    let home = TempHome::new();
    let session = big_session(&home);
    // The file-size limit must not hit this test process: the check runs in a copy of it.
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "disks_and_processes::child_process_entry",
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD_DIR_ENV, sessions_dir(&home))
        .env(CHILD_ID_ENV, &session.id)
        .output()
        .unwrap();
    let child_out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && child_out.contains(CHILD_DONE),
        "{child_out}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
