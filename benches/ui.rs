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

/// The KV cache llama.cpp allocates for `ctx` tokens (f16 keys and values), from the GGUF header.
fn kv_cache_bytes(ctx: u64) -> u64 {
    let Ok(file) = ggchat::gguf::GgufFile::open(&model()) else {
        return 0;
    };
    let arch = file.architecture().unwrap_or("llama").to_owned();
    let key = |name: &str| file.get_u64(&format!("{arch}.{name}"));
    let layers = key("block_count").unwrap_or(0);
    let heads = key("attention.head_count").unwrap_or(1).max(1);
    let kv_heads = key("attention.head_count_kv").unwrap_or(heads);
    let head_dim = key("embedding_length").unwrap_or(0) / heads;
    let k_len = key("attention.key_length").unwrap_or(head_dim);
    let v_len = key("attention.value_length").unwrap_or(head_dim);
    ctx * layers * kv_heads * (k_len + v_len) * 2
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
    let home = tempfile::tempdir().unwrap();
    let (listing, ok) = list_hundred_models();
    let listing_ms = listing.as_secs_f64() * 1000.0;
    println!(
        "model picker: 100 models listed from their GGUF headers in {listing_ms:.0} ms ({ok} valid; target < 1 s)"
    );
    let (first, cached) = frame_time();
    let (first_ms, frame_ms) = (first.as_secs_f64() * 1000.0, cached.as_secs_f64() * 1000.0);
    println!(
        "frame, 2000-message conversation: first {first_ms:.1} ms (renders all), then {frame_ms:.3} ms per frame (target < 5 ms)"
    );
    let mut ask = Vec::new();
    let mut tui = Vec::new();
    let mut echoes = Vec::new();
    let mut first_frames = Vec::new();
    let mut resident_kib = 0;
    for _ in 0..5 {
        ask.push(ask_speed(home.path()));
        let (first_frame, speed, echo, rss) = tui_run(home.path());
        tui.push(speed);
        first_frames.push(first_frame.as_secs_f64() * 1000.0);
        echoes.extend(echo.map(|e| e.as_secs_f64() * 1000.0));
        resident_kib = resident_kib.max(rss);
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
    let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
    let model_bytes = std::fs::metadata(model()).map(|m| m.len()).unwrap_or(0);
    // The UI runs with the default context: 4096 tokens for this model (trained on 8192).
    let kv_bytes = kv_cache_bytes(4096);
    let resident = resident_kib * 1024;
    let beyond = resident.saturating_sub(model_bytes + kv_bytes);
    println!(
        "resident memory of the UI after a reply: {:.0} MiB = model file {:.0} MiB (mapped) + KV cache {:.0} MiB (4096 tokens, f16) + {:.0} MiB beyond both",
        mib(resident),
        mib(model_bytes),
        mib(kv_bytes),
        mib(beyond)
    );
    if let Some(path) = json_path() {
        let figures = serde_json::json!({
            "models_listed_ms": listing_ms,
            "frame_first_ms": first_ms,
            "frame_ms": frame_ms,
            "ask_tok_s": ask,
            "ui_tok_s": tui,
            "ui_over_ask": ratio,
            "ui_over_ask_paired": paired,
            "key_echo_ms": echoes,
            "first_frame_ms": first_frames,
            "resident_mib": mib(resident),
            "model_file_mib": mib(model_bytes),
            "kv_cache_mib": mib(kv_bytes),
            "beyond_model_and_kv_mib": mib(beyond),
        });
        std::fs::write(&path, serde_json::to_string_pretty(&figures).unwrap())
            .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}
