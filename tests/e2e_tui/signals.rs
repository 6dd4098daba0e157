//! Crashes and interrupts from outside the chat's own code: a native abort (as llama.cpp's
//! assertions do) while the chat holds the terminal, and Ctrl+C stopping `ggchat ask` mid-reply.

use crate::common::{self, TempHome};
use crate::harness::*;
use std::io::Read;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// `abort()` runs no Rust code: the signal handler alone must put the terminal back, and the
/// process must still die of SIGABRT (exit 134 in a shell), so nothing hides the crash.
#[test]
fn a_native_abort_restores_the_terminal() {
    let _turn = serial();
    let mut tui = Tui::start_env(
        Arc::new(TempHome::new()),
        100,
        30,
        &[],
        &[("GGCHAT_DEBUG_ABORT_KEY", "~")],
    );
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    assert!(tui.alternate_screen() && tui.cursor_hidden());
    if let Some(cooked) = tui.cooked_mode() {
        assert!(!cooked, "the chat runs the terminal in raw mode");
    }
    tui.send(b"~");
    let status = tui.wait_exit(EXIT).unwrap();
    // SAFETY: strsignal returns a static string for a valid signal number.
    let aborted = unsafe { std::ffi::CStr::from_ptr(libc::strsignal(libc::SIGABRT)) };
    assert_eq!(
        status.signal(),
        Some(aborted.to_str().unwrap()),
        "ggchat died of SIGABRT: {status:?}\n{}",
        tui.screen()
    );
    tui.assert_terminal_restored();
    let screen = tui.screen();
    assert!(
        screen.contains("ggchat stopped: native code aborted (SIGABRT).")
            && screen.contains("saved up to its last complete reply"),
        "what happened is printed on the restored screen:\n{screen}"
    );
}

/// Ctrl+C stops `ggchat ask` mid-reply: what was generated is on stdout, stderr says the reply is
/// cut, and the exit code is 130 (as for a process killed by Ctrl+C), not 0.
#[test]
fn ask_stopped_by_ctrl_c_keeps_the_partial_reply_and_exits_130() {
    let _turn = serial();
    let home = TempHome::new();
    let model = common::default_model();
    let mut child = home
        .command()
        .args(["ask", "--model"])
        .arg(&model)
        .args(["--temperature", "0", "-n", "2000"])
        .arg("Write a long story about a dragon who learns to cook.")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ggchat ask");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = {
        let seen = Arc::clone(&seen);
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let started = Instant::now();
    while seen.lock().unwrap().len() < 60 {
        assert!(
            started.elapsed() < FIRST_ANSWER,
            "no reply within {FIRST_ANSWER:?}"
        );
        assert!(child.try_wait().unwrap().is_none(), "ask ended early");
        thread::sleep(Duration::from_millis(20));
    }
    let before_signal = seen.lock().unwrap().clone();
    // SAFETY: kill with a live child's pid and a valid signal.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let stdout = String::from_utf8(seen.lock().unwrap().clone()).expect("UTF-8 stdout");
    assert_eq!(
        status.code(),
        Some(130),
        "{status:?}\nstderr: {stderr}\nstdout: {stdout}"
    );
    assert!(
        stdout.as_bytes().starts_with(&before_signal) && stdout.trim().len() >= 60,
        "the partial reply is on stdout: {stdout:?}"
    );
    assert!(stdout.ends_with('\n'), "{stdout:?}");
    assert_eq!(
        stderr, "ggchat: stopped by Ctrl+C (SIGINT): the reply above is cut short\n",
        "stdout: {stdout}"
    );
    eprintln!(
        "ask stopped after {:?}: {} bytes before the signal, {} in all",
        started.elapsed(),
        before_signal.len(),
        stdout.len()
    );
}
