//! Helpers shared by several themes: running the real `ggchat` and measuring its peak memory,
//! checking text for terminal controls, saving sessions and building the chat screen's `App`.

use crate::common::TempHome;
use ggchat::chat::Conversation;
use ggchat::params::SamplingParams;
use ggchat::store::{Session, Store};
use ggchat::tui::app::App;
use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A finished `ggchat` run, with its peak memory.
pub(crate) struct Run {
    pub(crate) status: ExitStatus,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// Peak resident memory of the process, in KiB (`ru_maxrss` from `wait4`).
    pub(crate) max_rss_kib: u64,
    pub(crate) elapsed: Duration,
}

/// Runs `command` to completion (killing it after a minute: a hang is a failure), and measures
/// the peak memory of that one process. The peak includes this test process's own resident memory
/// at the time of the spawn (the child starts as a copy of it), so tests keep theirs small.
// The child is reaped by `wait4` (which also returns its resource usage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
pub(crate) fn run_measured(mut command: Command) -> Run {
    use std::os::unix::process::ExitStatusExt;
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ggchat");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).map(|_| s)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).map(|_| v)
    });
    let pid = child.id() as libc::pid_t;
    let (raw_status, usage) = loop {
        let mut raw_status = 0;
        // SAFETY: an all-zero rusage is valid, and wait4 only writes to the two out-pointers.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let done = unsafe { libc::wait4(pid, &mut raw_status, libc::WNOHANG, &mut usage) };
        assert!(done >= 0, "wait4: {}", std::io::Error::last_os_error());
        if done == pid {
            break (raw_status, usage);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("ggchat {command:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        status: ExitStatus::from_raw(raw_status),
        stdout: out.join().unwrap().expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&err.join().unwrap().unwrap()).into_owned(),
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        elapsed: started.elapsed(),
    }
}

pub(crate) fn ggchat(home: &TempHome, args: &[&str]) -> Run {
    let mut command = home.command();
    command.args(args);
    run_measured(command)
}

pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// No terminal control in `text`: no ESC, no BEL, no C1 controls, no bidi overrides.
pub(crate) fn assert_terminal_safe(text: &str, what: &str) {
    let bad = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    });
    assert!(bad.is_none(), "{what} holds {bad:?}: {text:?}");
}

pub(crate) const GIB: u64 = 1 << 30;

/// Peak memory allowed for refusing a hostile file: far below what any claimed count or length
/// would need, well above what `ggchat` needs to start.
pub(crate) const SMALL_RSS_KIB: u64 = 256 * 1024;

/// The unprivileged user the root-only tests switch to.
pub(crate) const NOBODY: u32 = 65534;

/// The helper program for tests that need a second process (tests/child/test_child.rs, an
/// example target), next to this test binary's folder (`target/debug/examples/`).
pub(crate) fn test_child() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let path = exe
        .parent()
        .and_then(std::path::Path::parent)
        .expect("target/debug/deps/")
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

pub(crate) fn sessions_dir(home: &TempHome) -> std::path::PathBuf {
    home.data_dir().join("sessions")
}

pub(crate) fn save(home: &TempHome, session: &mut Session) {
    Store::open(&sessions_dir(home))
        .unwrap()
        .save(session)
        .unwrap();
}

pub(crate) fn app() -> App {
    let (tx, _rx) = std::sync::mpsc::channel();
    App::new(
        ggchat::engine::EngineLink::new(tx),
        Conversation::new("You are a helpful, concise assistant."),
        SamplingParams::default(),
    )
}
