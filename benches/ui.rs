//! What the full-screen UI costs, measured side by side in one run (`cargo bench --bench ui`):
//!
//! - generation tokens/s with the UI drawing in a pseudo-terminal against `ggchat ask` on the
//!   same prompt and seed, interleaved, and their ratio;
//! - render time of one frame of a 2,000-message conversation on the test backend;
//! - time from a key press to its echo while a reply streams;
//! - time to the first frame, and resident memory beside the model file.
//!
//! It prints figures; it asserts nothing about speed (the machine is shared and noisy).

use ggchat::chat::{Conversation, Message};
use ggchat::engine::EngineLink;
use ggchat::params::SamplingParams;
use ggchat::tui::{app::App, view};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::{Terminal, backend::TestBackend};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PROMPT: &str = "Write a long story about a dragon who learns to cook.";
const TOKENS: &str = "160";

fn model() -> PathBuf {
    let dir = std::env::var_os("GGCHAT_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-data/models"));
    dir.join("SmolLM2-135M-Instruct.Q4_1.gguf")
}

/// The median: robust to a run slowed by another job on a shared machine.
fn mean(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
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
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("ask --json");
    value["stats"]["generation_tokens_per_second"]
        .as_f64()
        .unwrap_or(0.0)
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

/// One TUI run: (time to first frame, gen tok/s, key echo latency, resident KiB).
fn tui_run(home: &Path) -> (Duration, f64, Option<Duration>, u64) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ggchat"));
    command.args(["--temperature", "0", "--seed", "1", "-n", TOKENS, "--model"]);
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
    std::thread::sleep(Duration::from_millis(150));
    let pressed = Instant::now();
    writer.write_all(b"Zq").unwrap();
    let echo = screen
        .wait(Duration::from_secs(10), |s| s.contains("Zq"))
        .map(|_| pressed.elapsed());
    if screen
        .wait(Duration::from_secs(120), |s| s.contains("tok/s ·"))
        .is_none()
    {
        panic!("the reply did not finish:\n{}", screen.text());
    }
    let resident_kib = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    let text = screen.text();
    let speed = text
        .lines()
        .find(|l| l.contains("tok/s ·"))
        .and_then(|l| l.split(" tok/s").next()?.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0.0);
    writer.write_all(b"\x11").unwrap();
    let _ = child.wait();
    (first_frame, speed, echo, resident_kib)
}

fn frame_time() -> (Duration, Duration) {
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new("Be brief."),
        SamplingParams::default(),
    );
    for i in 0..1000 {
        app.conversation
            .messages
            .push(Message::user(format!("Question {i}: what about **this**?")));
        app.conversation.messages.push(Message::assistant(format!(
            "Answer {i}, with a list:\n\n- one\n- two\n\n```rust\nfn f() -> u32 {{ {i} }}\n```\n"
        )));
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let started = Instant::now();
    terminal.draw(|f| view::draw(f, &mut app)).unwrap();
    let first = started.elapsed();
    let frames = 200;
    let started = Instant::now();
    for _ in 0..frames {
        terminal.draw(|f| view::draw(f, &mut app)).unwrap();
    }
    (first, started.elapsed() / frames)
}

/// Lists a models folder of 100 models (links to the real file: headers are read, not weights).
fn list_hundred_models() -> (Duration, usize) {
    let root = tempfile::tempdir().unwrap();
    let paths = ggchat::paths::Paths::under(root.path());
    std::fs::create_dir_all(paths.models_dir()).unwrap();
    for i in 0..100 {
        std::os::unix::fs::symlink(
            model(),
            paths.models_dir().join(format!("model-{i:03}.gguf")),
        )
        .unwrap();
    }
    let started = Instant::now();
    let listed = ggchat::models::list(&paths, &ggchat::config::Config::default());
    let ok = listed.iter().filter(|(_, s)| s.is_ok()).count();
    (started.elapsed(), ok)
}

fn main() {
    // `cargo test --all-targets` also runs bench targets; only `cargo bench` passes --bench.
    if !std::env::args().any(|a| a == "--bench") {
        println!("ui bench: run it with `cargo bench --bench ui`");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let (listing, ok) = list_hundred_models();
    println!(
        "model picker: 100 models listed from their GGUF headers in {listing:.1?} ({ok} valid; target < 1 s)"
    );
    let (first, cached) = frame_time();
    println!(
        "frame, 2000-message conversation: first {first:.2?} (renders all), then {cached:.3?} per frame (target < 5 ms)"
    );
    let mut ask = Vec::new();
    let mut tui = Vec::new();
    let mut echoes = Vec::new();
    let mut first_frames = Vec::new();
    let mut resident = 0;
    for _ in 0..5 {
        ask.push(ask_speed(home.path()));
        let (first_frame, speed, echo, rss) = tui_run(home.path());
        tui.push(speed);
        first_frames.push(first_frame.as_secs_f64() * 1000.0);
        echoes.extend(echo.map(|e| e.as_secs_f64() * 1000.0));
        resident = resident.max(rss);
    }
    println!(
        "generation, ggchat ask: median {:.1} tok/s {ask:.1?}",
        mean(&ask)
    );
    println!(
        "generation, full-screen UI: median {:.1} tok/s {tui:.1?}",
        mean(&tui)
    );
    println!(
        "ratio UI / ask (medians): {:.3} (target >= 0.97)",
        mean(&tui) / mean(&ask)
    );
    println!(
        "key press to echo while streaming: median {:.1} ms {echoes:.1?}",
        mean(&echoes)
    );
    println!(
        "time to first frame: median {:.1} ms {first_frames:.1?}",
        mean(&first_frames)
    );
    let model_kib = std::fs::metadata(model())
        .map(|m| m.len() / 1024)
        .unwrap_or(0);
    println!(
        "resident memory of the UI after a reply: {} MiB (model file {} MiB, mapped; the KV cache of 4096 tokens adds about 90 MiB for this model)",
        resident / 1024,
        model_kib / 1024
    );
}
