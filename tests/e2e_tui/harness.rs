//! The pseudo-terminal harness: `ggchat` running in a pty, read back through a `vt100` emulator,
//! and predicates over what the screen shows.

use crate::common::{self, TempHome};
use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

pub(crate) const ENTER: &[u8] = b"\r";
pub(crate) const ESC: &[u8] = b"\x1b";
pub(crate) const CTRL_R: &[u8] = b"\x12";
pub(crate) const CTRL_P: &[u8] = b"\x10";
pub(crate) const CTRL_Q: &[u8] = b"\x11";
pub(crate) const CTRL_N: &[u8] = b"\x0e";
pub(crate) const DOWN: &[u8] = b"\x1b[B";
pub(crate) const HOME: &[u8] = b"\x1b[H";

/// The first reply includes loading the model and evaluating the prompt on a busy debug build.
pub(crate) const FIRST_ANSWER: Duration = Duration::from_secs(60);
pub(crate) const REPLY: Duration = Duration::from_secs(60);
pub(crate) const UI: Duration = Duration::from_secs(20);
pub(crate) const EXIT: Duration = Duration::from_secs(20);

/// One test at a time: two models generating at once on two cores would make timings meaningless.
pub(crate) static SERIAL: Mutex<()> = Mutex::new(());

pub(crate) fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `ggchat` running in a pseudo-terminal, and the screen it has drawn so far.
pub(crate) struct Tui {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub(crate) child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the app wrote to the terminal, in order (what a real terminal would receive).
    raw: Arc<Mutex<Vec<u8>>>,
    /// Set when the reader hit end of file: everything the app wrote is in the parser.
    drained: Arc<AtomicBool>,
    pub(crate) exit: Option<ExitStatus>,
    pub(crate) home: Arc<TempHome>,
}

impl Tui {
    /// Starts `ggchat --model <default> --temperature 0 -n 48` in a `cols` x `rows` terminal
    /// (`extra` may set another `-n`).
    pub(crate) fn start(cols: u16, rows: u16) -> Tui {
        Tui::start_with(Arc::new(TempHome::new()), cols, rows, &[])
    }

    /// Starts ggchat in `home` (shared with a later run) with extra arguments.
    pub(crate) fn start_with(home: Arc<TempHome>, cols: u16, rows: u16, extra: &[&str]) -> Tui {
        Tui::start_env(home, cols, rows, extra, &[])
    }

    /// Like `start_with`, with extra environment variables.
    pub(crate) fn start_env(
        home: Arc<TempHome>,
        cols: u16,
        rows: u16,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Tui {
        Tui::spawn(home, cols, rows, true, extra, env)
    }

    /// Starts `ggchat --temperature 0 -n 48 EXTRA` without `--model`: the model comes from the
    /// model folders, the config or a reopened session, as for a user who gives no `--model`.
    pub(crate) fn start_without_model(
        home: Arc<TempHome>,
        cols: u16,
        rows: u16,
        extra: &[&str],
    ) -> Tui {
        Tui::spawn(home, cols, rows, false, extra, &[])
    }

    fn spawn(
        home: Arc<TempHome>,
        cols: u16,
        rows: u16,
        with_model: bool,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Tui {
        let model = common::default_model().display().to_string();
        let mut args: Vec<&str> = Vec::new();
        if with_model {
            args.extend(["--model", model.as_str()]);
        }
        args.extend(["--temperature", "0"]);
        if !extra.iter().any(|a| *a == "-n" || *a == "--max-tokens") {
            args.extend(["-n", "48"]);
        }
        args.extend_from_slice(extra);
        Tui::start_args(home, cols, rows, &args, env)
    }

    /// Starts `ggchat ARGS` in `home`, with no arguments of its own.
    pub(crate) fn start_args(
        home: Arc<TempHome>,
        cols: u16,
        rows: u16,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Tui {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open a pty");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ggchat"));
        command.args(args);
        command.env("GGCHAT_CONFIG_DIR", home.config_dir());
        command.env("GGCHAT_DATA_DIR", home.data_dir());
        command.env("TERM", "xterm-256color");
        command.env_remove("GGCHAT_LOG");
        command.env_remove("COLUMNS");
        command.env_remove("LINES");
        // The interface language follows the locale: the tests read English unless they ask for
        // another language, whatever the developer's own locale.
        command.env("LANG", "C.UTF-8");
        command.env_remove("LC_ALL");
        command.env_remove("LC_MESSAGES");
        for (key, value) in env {
            command.env(key, value);
        }
        command.cwd(home.dir.path());
        let child = pair.slave.spawn_command(command).expect("spawn ggchat");
        // Only the child holds the terminal side now, so the reader sees end of file when it exits.
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let drained = Arc::new(AtomicBool::new(false));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        {
            let parser = Arc::clone(&parser);
            let drained = Arc::clone(&drained);
            let raw = Arc::clone(&raw);
            thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => {
                            raw.lock().unwrap().extend_from_slice(&buf[..n]);
                            parser.lock().unwrap().process(&buf[..n]);
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
                drained.store(true, Ordering::SeqCst);
            });
        }
        let writer = pair.master.take_writer().expect("pty writer");
        Tui {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
            drained,
            exit: None,
            home,
        }
    }

    pub(crate) fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Types text, then Enter.
    pub(crate) fn type_line(&mut self, text: &str) {
        self.send(text.as_bytes());
        self.send(ENTER);
    }

    /// Esc on its own: a pause after it, so the next key is not read as Alt+key.
    pub(crate) fn esc(&mut self) {
        self.send(ESC);
        thread::sleep(Duration::from_millis(150));
    }

    pub(crate) fn parser(&self) -> MutexGuard<'_, vt100::Parser> {
        self.parser
            .lock()
            .expect("the vt100 emulator panicked in the reader thread (see above)")
    }

    /// A copy of every byte the app has written to the terminal so far.
    pub(crate) fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().expect("the pty reader panicked").clone()
    }

    pub(crate) fn screen(&self) -> String {
        self.parser().screen().contents()
    }

    pub(crate) fn alternate_screen(&self) -> bool {
        self.parser().screen().alternate_screen()
    }

    pub(crate) fn cursor_hidden(&self) -> bool {
        self.parser().screen().hide_cursor()
    }

    pub(crate) fn resize(&mut self, cols: u16, rows: u16) {
        // The emulator first, so nothing drawn for the new size lands on the old grid. It stays at
        // least 2x2: vt100 0.16 panics (integer underflow in `Grid::col_wrap`) when a line wraps on
        // a one-row screen, which output drawn for the previous, larger size can do.
        self.parser()
            .screen_mut()
            .set_size(rows.max(2), cols.max(2));
        self.master
            .resize(size(cols, rows))
            .expect("resize the pty");
    }

    pub(crate) fn alive(&mut self) -> bool {
        if self.exit.is_some() {
            return false;
        }
        match self.child.try_wait().expect("try_wait") {
            Some(status) => {
                self.exit = Some(status);
                false
            }
            None => true,
        }
    }

    /// Polls the screen every 50 ms until `done` holds. On timeout, or if the app exits first,
    /// the error holds the last screen so the assertion message shows what the user would see.
    pub(crate) fn wait_for(
        &mut self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                if std::env::var_os("GGCHAT_E2E_SHOW").is_some() {
                    eprintln!("--- {what} ({:?}):\n{screen}", start.elapsed());
                }
                return Ok(screen);
            }
            if !self.alive() {
                thread::sleep(Duration::from_millis(200));
                return Err(format!(
                    "ggchat exited ({:?}) while waiting for {what}; screen:\n{}",
                    self.exit,
                    self.screen()
                ));
            }
            if start.elapsed() >= timeout {
                return Err(format!(
                    "timed out after {timeout:?} waiting for {what}; screen:\n{screen}"
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the process to end, then for its last output to reach the emulator.
    pub(crate) fn wait_exit(&mut self, timeout: Duration) -> Result<ExitStatus, String> {
        let start = Instant::now();
        while self.alive() {
            if start.elapsed() >= timeout {
                return Err(format!(
                    "ggchat still running after {timeout:?}; screen:\n{}",
                    self.screen()
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
        let start = Instant::now();
        while !self.drained.load(Ordering::SeqCst) {
            if start.elapsed() >= Duration::from_secs(5) {
                return Err("the pty never reached end of file after the exit".into());
            }
            thread::sleep(Duration::from_millis(20));
        }
        Ok(self.exit.clone().expect("exit status"))
    }

    /// The pty's line discipline is back in cooked mode (canonical input and echo).
    pub(crate) fn cooked_mode(&self) -> Option<bool> {
        // ICANON and ECHO from <termios.h> on Linux and macOS.
        const ICANON: u64 = 0o000002;
        const ECHO: u64 = 0o000010;
        let (icanon, echo) = if cfg!(target_os = "linux") {
            (ICANON, ECHO)
        } else if cfg!(target_os = "macos") {
            (0x100, 0x8)
        } else {
            return None;
        };
        let flags = self.master.get_termios()?.local_flags.bits() as u64;
        Some(flags & icanon != 0 && flags & echo != 0)
    }

    /// After a clean exit: the user's terminal is as it was before.
    pub(crate) fn assert_terminal_restored(&self) {
        let screen = self.screen();
        assert!(
            !self.alternate_screen(),
            "still on the alternate screen after exit; screen:\n{screen}"
        );
        assert!(
            !self.cursor_hidden(),
            "the cursor is still hidden after exit; screen:\n{screen}"
        );
        if let Some(cooked) = self.cooked_mode() {
            assert!(cooked, "the terminal is still in raw mode after exit");
        }
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // A failed test must not leave ggchat running: SIGHUP, then SIGKILL after a grace period.
        if self.alive() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The sessions saved in `home`, read back the way ggchat reads them.
pub(crate) fn saved_sessions(home: &TempHome) -> Vec<ggchat::store::Session> {
    let store = ggchat::store::Store::open(&home.data_dir().join("sessions"))
        .expect("open the sessions folder");
    let (summaries, problems) = store.list();
    assert!(
        problems.is_empty(),
        "unreadable session files: {problems:?}"
    );
    summaries
        .iter()
        .map(|s| store.load(&s.id).expect("load a listed session"))
        .collect()
}

/// A gate for the debug builds' `GGCHAT_DEBUG_*_GATE` hooks: a file that does not exist yet.
pub(crate) struct Gate(pub(crate) std::path::PathBuf);

impl Gate {
    pub(crate) fn new(home: &TempHome, name: &str) -> Gate {
        Gate(home.dir.path().join(name))
    }

    pub(crate) fn env(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }

    /// Lets ggchat go on past the gate.
    pub(crate) fn open(&self) {
        std::fs::write(&self.0, b"").expect("create the gate file");
    }
}

/// The words of the last reply's rows on screen (text only, no stats line).
pub(crate) fn reply_words(screen: &str) -> Vec<String> {
    last_reply(screen)
        .unwrap_or_default()
        .into_iter()
        .filter(|row| !is_stats_line(row))
        .flat_map(|row| row.split_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

pub(crate) fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// The bottom row: the status bar.
pub(crate) fn status(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

/// The status bar shows `notice`, or as much of it as fits: the bar is cut at the right edge and
/// the notice comes last, after the session title.
pub(crate) fn shows_notice(screen: &str, notice: &str) -> bool {
    let status = status(screen);
    if status.contains(notice) {
        return true;
    }
    // A narrow screen may cut the notice off: its visible start must match.
    let (head, tail) = notice.split_at(notice.find(' ').map_or(notice.len(), |i| i + 1));
    status.rsplit_once(head).is_some_and(|(_, shown)| {
        let shown = shown.split(" │").next().unwrap_or("").trim_end();
        !shown.is_empty() && tail.starts_with(shown)
    })
}

pub(crate) fn is_ready(screen: &str) -> bool {
    status(screen).contains("│ ready ")
}

pub(crate) fn is_generating(screen: &str) -> bool {
    status(screen).contains("generating")
}

/// The rows of the last visible assistant reply: from its header to the next header or the input
/// box.
pub(crate) fn last_reply(screen: &str) -> Option<Vec<&str>> {
    let lines: Vec<&str> = screen.lines().collect();
    let header = lines.iter().rposition(|l| l.starts_with("▌ Assistant"))?;
    Some(
        lines[header + 1..]
            .iter()
            .take_while(|l| !l.starts_with("▌ ") && !l.starts_with('┌'))
            .copied()
            .collect(),
    )
}

pub(crate) fn is_stats_line(line: &str) -> bool {
    line.contains(" tokens · ") && line.contains(" tok/s · first token ")
}

/// The stats line under the last visible reply, once that reply is finished.
pub(crate) fn last_stats(screen: &str) -> Option<String> {
    last_reply(screen)?
        .into_iter()
        .find(|l| is_stats_line(l))
        .map(|l| l.trim().to_owned())
}

/// The last reply shows some generated text (not just the "…" placeholder and the cursor).
pub(crate) fn reply_has_text(screen: &str) -> bool {
    last_reply(screen).is_some_and(|rows| {
        rows.iter().any(|row| {
            !is_stats_line(row)
                && row
                    .trim_matches(|c: char| c.is_whitespace() || c == '…' || c == '▍')
                    .chars()
                    .any(char::is_alphanumeric)
        })
    })
}

/// A finished reply with text is visible and the engine is idle again.
pub(crate) fn reply_done(screen: &str) -> bool {
    is_ready(screen) && reply_has_text(screen) && last_stats(screen).is_some()
}

pub(crate) fn count(screen: &str, needle: &str) -> usize {
    screen.matches(needle).count()
}
