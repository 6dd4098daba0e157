//! What the full-screen UI costs, measured side by side in one run (`cargo bench --bench ui`):
//!
//! - generation tokens/s with the UI drawing in a pseudo-terminal against `ggchat ask` on the
//!   same prompt and seed, interleaved, and their ratio;
//! - render time of a 2,000-message conversation on the test backend: the first frame in a fresh
//!   process (with its CPU time), the first frame after a resize (both render from cold), and a
//!   frame from the cache (`cargo bench --bench ui -- frames` measures these alone);
//! - the model picker (F3) opened on 100 distinct model files, cold from the disk;
//! - time from a key press to its echo while a reply streams;
//! - generation tokens/s with the monitor pane (F5) open against closed, interleaved, and their
//!   ratio (`-- --monitor-only` runs only this comparison);
//! - time to the first frame, and resident memory read from the running process.
//!
//! It prints figures; it asserts nothing about speed (the machine is shared and noisy). A figure
//! that cannot be measured stops the bench with the reason: never a 0 in a table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ggchat::chat::{Conversation, Message};
use ggchat::engine::EngineLink;
use ggchat::params::SamplingParams;
use ggchat::tui::app::{App, Startup};
use ggchat::tui::panes::models::ModelsPane;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::{Terminal, backend::TestBackend};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PROMPT: &str = "Write a long story about a dragon who learns to cook.";
const TOKENS: &str = "160";

/// `GGCHAT_BENCH_MODEL` (a .gguf path), else the default test model.
fn model() -> PathBuf {
    if let Some(path) = std::env::var_os("GGCHAT_BENCH_MODEL") {
        return PathBuf::from(path);
    }
    let dir = std::env::var_os("GGCHAT_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-data/models"));
    dir.join("SmolLM2-135M-Instruct.Q4_1.gguf")
}

/// The median: robust to a run slowed by another job on a shared machine.
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => panic!("no samples to take the median of"),
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn ask_speed(home: &Path) -> f64 {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ggchat"))
        .args([
            "ask",
            "--json",
            "--temperature",
            "0",
            "--seed",
            "1",
            "-n",
            TOKENS,
            "--model",
        ])
        .arg(model())
        .arg(PROMPT)
        .env("GGCHAT_DATA_DIR", home)
        .env("GGCHAT_CONFIG_DIR", home)
        .output()
        .expect("run ggchat ask");
    let why = || {
        format!(
            "ggchat ask gave no speed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let value: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", why()));
    match value["stats"]["generation_tokens_per_second"].as_f64() {
        Some(speed) if speed > 0.0 => speed,
        _ => panic!("{}", why()),
    }
}

/// Resident memory of a running process from `/proc/PID/status`, in KiB: (total, anonymous
/// (heap, KV cache, buffers), file-backed (the mapped model and the binary)).
fn resident(pid: u32) -> (u64, u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("read /proc/{pid}/status: {e}"));
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status:\n{status}"))
    };
    (field("VmRSS:"), field("RssAnon:"), field("RssFile:"))
}

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait(&self, timeout: Duration, done: impl Fn(&str) -> bool) -> Option<Duration> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if done(&self.text()) {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        None
    }
}

/// CPU time the UI thread (the process's main thread) has used so far, from the scheduler's own
/// accounting in nanoseconds (`/proc/PID/task/PID/schedstat`): unlike speeds, not stretched by
/// other jobs on the machine.
fn ui_thread_cpu(pid: u32) -> Duration {
    let path = format!("/proc/{pid}/task/{pid}/schedstat");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let ns: u64 = text
        .split_whitespace()
        .next()
        .and_then(|f| f.parse().ok())
        .unwrap_or_else(|| panic!("no CPU time in {path}: {text}"));
    Duration::from_nanos(ns)
}

/// One TUI run: (time to first frame, gen tok/s, key echo latency, resident KiB, UI thread CPU
/// from start to the end of the reply). With `monitor`
/// the monitor pane is opened as the reply starts and closed after it (no key echo then: keys go
/// to the pane).
fn tui_run(
    home: &Path,
    monitor: bool,
    tokens: &str,
) -> (Duration, f64, Option<Duration>, (u64, u64, u64), Duration) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ggchat"));
    command.args(["--temperature", "0", "--seed", "1", "-n", tokens, "--model"]);
    command.arg(model());
    command.env("GGCHAT_DATA_DIR", home);
    command.env("GGCHAT_CONFIG_DIR", home);
    command.env("TERM", "xterm-256color");
    let spawned = Instant::now();
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(40, 120, 0)));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let feed = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            feed.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let screen = Screen { parser };
    screen
        .wait(Duration::from_secs(30), |s| s.contains("Message"))
        .expect("first frame");
    let first_frame = spawned.elapsed();
    screen
        .wait(Duration::from_secs(60), |s| s.contains("│ ready"))
        .expect("model ready");
    let pid = child.process_id().unwrap_or(0);
    writer.write_all(format!("{PROMPT}\r").as_bytes()).unwrap();
    screen
        .wait(Duration::from_secs(30), |s| s.contains("generating"))
        .expect("generating");
    let echo = if monitor {
        writer.write_all(b"\x1b[15~").unwrap();
        screen
            .wait(Duration::from_secs(10), |s| s.contains("Monitor"))
            .expect("the monitor pane opened");
        // Open while the reply streams; it shows the reply's speed once it is done.
        screen
            .wait(Duration::from_secs(600), |s| s.contains("tok/s (mean"))
            .expect("the reply finished under the monitor pane");
        writer.write_all(b"\x1b").unwrap();
        None
    } else {
        std::thread::sleep(Duration::from_millis(150));
        let pressed = Instant::now();
        writer.write_all(b"Zq").unwrap();
        screen
            .wait(Duration::from_secs(10), |s| s.contains("Zq"))
            .map(|_| pressed.elapsed())
    };
    if screen
        .wait(Duration::from_secs(600), |s| s.contains("tok/s ·"))
        .is_none()
    {
        panic!("the reply did not finish:\n{}", screen.text());
    }
    assert!(pid > 0, "no process id for the UI");
    let memory = resident(pid);
    let ui_cpu = ui_thread_cpu(pid);
    let text = screen.text();
    let speed = text
        .lines()
        .find(|l| l.contains("tok/s ·"))
        .and_then(|l| l.split(" tok/s").next()?.rsplit(' ').next()?.parse().ok())
        .filter(|&s: &f64| s > 0.0)
        .unwrap_or_else(|| panic!("no speed in the stats line:\n{text}"));
    writer.write_all(b"\x11").unwrap();
    let _ = child.wait();
    (first_frame, speed, echo, memory, ui_cpu)
}

/// CPU time of the calling thread: unlike the wall clock, not stretched by other jobs on a shared
/// machine.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a plain system call writing into a local struct.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Frame times of a 2,000-message conversation: (first frame, its CPU time, first frame after a
/// resize, a frame from the cache).
fn frame_time() -> (Duration, Duration, Duration, Duration) {
    // As the app does at start-up (src/tui/mod.rs): code blocks are highlighted off the frame path.
    ggchat::markdown::highlight::start_background();
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new("Be brief."),
        SamplingParams::default(),
    );
    for i in 0..1000 {
        app.conversation_mut()
            .messages
            .push(Message::user(format!("Question {i}: what about **this**?")));
        app.conversation_mut().messages.push(Message::assistant(format!(
            "Answer {i}, with a list:\n\n- one\n- two\n\n```rust\nfn f() -> u32 {{ {i} }}\n```\n"
        )));
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let cpu_before = thread_cpu();
    let started = Instant::now();
    terminal.draw(|f| app.draw(f)).unwrap();
    let first = started.elapsed();
    let first_cpu = thread_cpu() - cpu_before;
    // A resize changes the wrap width: everything on screen is laid out again.
    terminal.backend_mut().resize(100, 40);
    terminal
        .resize(ratatui::layout::Rect::new(0, 0, 100, 40))
        .unwrap();
    let started = Instant::now();
    terminal.draw(|f| app.draw(f)).unwrap();
    let resized = started.elapsed();
    let frames = 200;
    let started = Instant::now();
    for _ in 0..frames {
        terminal.draw(|f| app.draw(f)).unwrap();
    }
    (first, first_cpu, resized, started.elapsed() / frames)
}

/// 100 distinct model files: the real model's header with its own name in each, the tensor data
/// left as a hole (sparse), and each file dropped from the page cache so the picker reads it
/// from the disk as it would the first time.
fn hundred_model_files(dir: &Path) {
    let source = ggchat::gguf::GgufFile::open(&model()).expect("the bench model's header");
    let mut header = vec![0u8; source.data_offset as usize];
    std::fs::File::open(model())
        .and_then(|mut f| f.read_exact(&mut header))
        .expect("read the header");
    let name = source.get_str("general.name").unwrap_or("model").to_owned();
    let at = header
        .windows(name.len())
        .position(|w| w == name.as_bytes())
        .expect("the model name in its header");
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..100 {
        // Same length, another name: the header stays valid and every file is different.
        let tag = format!("{i:03}");
        let end = at + name.len();
        header[end - tag.len()..end].copy_from_slice(tag.as_bytes());
        let path = dir.join(format!("model-{i:03}.gguf"));
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(&header).unwrap();
        file.set_len(source.file_size).unwrap();
        file.sync_all().unwrap();
        // SAFETY: a plain system call on a file descriptor this function owns.
        let dropped =
            unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
        assert_eq!(dropped, 0, "posix_fadvise on {}", path.display());
    }
}

/// Opens the model picker (F3) on 100 distinct models and draws it: (time, valid entries).
fn open_the_picker() -> (Duration, usize) {
    let root = tempfile::tempdir().unwrap();
    let paths = ggchat::paths::Paths::under(root.path());
    hundred_model_files(&paths.models_dir());
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::start(
        EngineLink::new(tx),
        Startup {
            paths,
            ..Startup::new(Conversation::new("Be brief."), SamplingParams::default())
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let started = Instant::now();
    app.handle_key(KeyEvent::new(KeyCode::F(3), KeyModifiers::NONE));
    terminal.draw(|f| app.draw(f)).unwrap();
    let took = started.elapsed();
    let Some(pane) = app
        .pane()
        .and_then(|p| p.as_any().downcast_ref::<ModelsPane>())
    else {
        panic!("F3 did not open the model picker");
    };
    let valid = pane.entries().iter().filter(|(_, s)| s.is_ok()).count();
    assert_eq!(valid, 100, "every distinct model file is listed as valid");
    (took, valid)
}

/// The value after `--json`: where to write the figures for scripts/bench-vs-llama.sh.
fn json_path() -> Option<PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|a| a == "--json")?;
    args.get(at + 1).map(PathBuf::from)
}

fn main() {
    // `cargo test --all-targets` also runs bench targets; only `cargo bench` passes --bench.
    if !std::env::args().any(|a| a == "--bench") {
        println!("ui bench: run it with `cargo bench --bench ui`");
        return;
    }
    // First, while the process is fresh: nothing the UI loads or compiles lazily (translations,
    // styles, syntax definitions and their regexes) is loaded yet, as at a real start.
    let (first, first_cpu, resized, cached) = frame_time();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (first_ms, first_cpu_ms) = (ms(first), ms(first_cpu));
    let (resized_ms, frame_ms) = (ms(resized), ms(cached));
    println!(
        "frame, 2000-message conversation: first {first_ms:.1} ms ({first_cpu_ms:.1} ms of CPU), after a resize {resized_ms:.1} ms (target < 16 ms), then {frame_ms:.3} ms per frame (target < 5 ms)"
    );
    // `cargo bench --bench ui -- frames`: the frame figures alone.
    if std::env::args().any(|a| a == "frames") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    if std::env::args().any(|a| a == "--monitor-only") {
        // `GGCHAT_BENCH_TOKENS` and `GGCHAT_BENCH_PAIRS` shorten it on a slow or busy machine.
        let var = |name: &str, default: &str| std::env::var(name).unwrap_or(default.into());
        let pairs = var("GGCHAT_BENCH_PAIRS", "5")
            .parse()
            .expect("GGCHAT_BENCH_PAIRS");
        monitor_cost(home.path(), &var("GGCHAT_BENCH_TOKENS", TOKENS), pairs);
        return;
    }
    let (listing, ok) = open_the_picker();
    let listing_ms = listing.as_secs_f64() * 1000.0;
    println!(
        "model picker (F3): 100 distinct models, cold from the disk, listed and drawn in {listing_ms:.0} ms ({ok} valid; target < 1 s)"
    );
    let mut ask = Vec::new();
    let mut tui = Vec::new();
    let mut echoes = Vec::new();
    let mut first_frames = Vec::new();
    let mut memory = (0, 0, 0);
    for _ in 0..5 {
        ask.push(ask_speed(home.path()));
        let (first_frame, speed, echo, measured, _) = tui_run(home.path(), false, TOKENS);
        tui.push(speed);
        first_frames.push(first_frame.as_secs_f64() * 1000.0);
        echoes.extend(echo.map(|e| e.as_secs_f64() * 1000.0));
        if measured.0 > memory.0 {
            memory = measured;
        }
    }
    let ratio = median(&tui) / median(&ask);
    // Each UI run follows its own ask run: the ratio within a pair cancels load that drifts.
    let paired: Vec<f64> = tui.iter().zip(&ask).map(|(u, a)| u / a).collect();
    println!(
        "generation, ggchat ask: median {:.1} tok/s {ask:.1?}",
        median(&ask)
    );
    println!(
        "generation, full-screen UI: median {:.1} tok/s {tui:.1?}",
        median(&tui)
    );
    println!(
        "ratio UI / ask: of the medians {ratio:.3}, median of the pairs {:.3} {paired:.3?} (target >= 0.97)",
        median(&paired)
    );
    println!(
        "key press to echo while streaming: median {:.1} ms {echoes:.1?}",
        median(&echoes)
    );
    println!(
        "time to first frame: median {:.1} ms {first_frames:.1?}",
        median(&first_frames)
    );
    let monitor = monitor_cost(home.path(), TOKENS, 5);
    let mib = |kib: u64| kib as f64 / 1024.0;
    let (rss, anon, file) = memory;
    println!(
        "resident memory of the UI after a reply (/proc/PID/status, the largest of the runs): {:.0} MiB = {:.0} MiB anonymous (heap, KV cache, buffers) + {:.0} MiB file-backed (the mapped model, the binary)",
        mib(rss),
        mib(anon),
        mib(file)
    );
    if let Some(path) = json_path() {
        let figures = serde_json::json!({
            "models_listed_ms": listing_ms,
            "frame_first_ms": first_ms,
            "frame_first_cpu_ms": first_cpu_ms,
            "frame_resized_ms": resized_ms,
            "frame_ms": frame_ms,
            "ask_tok_s": ask,
            "ui_tok_s": tui,
            "ui_over_ask": ratio,
            "ui_over_ask_paired": paired,
            "key_echo_ms": echoes,
            "first_frame_ms": first_frames,
            "resident_mib": mib(rss),
            "resident_anon_mib": mib(anon),
            "resident_file_mib": mib(file),
            "monitor_open_tok_s": monitor.open,
            "monitor_closed_tok_s": monitor.closed,
            "monitor_open_ui_cpu_ms": monitor.open_cpu,
            "monitor_closed_ui_cpu_ms": monitor.closed_cpu,
        });
        std::fs::write(&path, serde_json::to_string_pretty(&figures).unwrap())
            .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}

/// The monitor pane's runs: generation tok/s and UI-thread CPU ms, open and closed.
struct MonitorCost {
    open: Vec<f64>,
    closed: Vec<f64>,
    open_cpu: Vec<f64>,
    closed_cpu: Vec<f64>,
}

/// Generation speed in the UI with the monitor pane open and closed, runs interleaved (closed,
/// open, closed, ...), printed side by side with their ratio, and the UI thread's CPU time.
fn monitor_cost(home: &Path, tokens: &str, pairs: usize) -> MonitorCost {
    let mut open = Vec::new();
    let mut closed = Vec::new();
    let (mut open_cpu, mut closed_cpu) = (Vec::new(), Vec::new());
    for _ in 0..pairs {
        let run = tui_run(home, false, tokens);
        closed.push(run.1);
        closed_cpu.push(run.4.as_secs_f64() * 1000.0);
        let run = tui_run(home, true, tokens);
        open.push(run.1);
        open_cpu.push(run.4.as_secs_f64() * 1000.0);
    }
    let paired: Vec<f64> = open.iter().zip(&closed).map(|(o, c)| o / c).collect();
    println!(
        "generation, monitor pane open vs closed: median {:.1} vs {:.1} tok/s {open:.1?} {closed:.1?}",
        median(&open),
        median(&closed)
    );
    println!(
        "ratio monitor open / closed: of the medians {:.3}, median of the pairs {:.3} {paired:.3?}",
        median(&open) / median(&closed),
        median(&paired)
    );
    // What the pane itself costs, free of the machine's noise: the UI thread's CPU time over the
    // whole run (start, model load, the reply, the pane), as a share of the reply's duration.
    let reply_ms = tokens.parse::<f64>().unwrap_or(0.0) / median(&closed) * 1000.0;
    let extra = median(&open_cpu) - median(&closed_cpu);
    println!(
        "UI thread CPU per run, monitor pane open vs closed: median {:.1} vs {:.1} ms, difference \
         {extra:.1} ms = {:.2}% of one core over the {reply_ms:.0} ms reply {open_cpu:.1?} {closed_cpu:.1?}",
        median(&open_cpu),
        median(&closed_cpu),
        extra / reply_ms * 100.0
    );
    MonitorCost {
        open,
        closed,
        open_cpu,
        closed_cpu,
    }
}
