//! The resume benchmark (`scripts/bench-resume.sh` builds and runs it in release): a session of
//! about 3,000 tokens reopened in a new process, with its KV snapshot and without, beside turn 1
//! of a new chat, plus the snapshot's size and save time. Every figure comes from its own
//! process, like a user reopening ggchat; the time to first token counts from the request's
//! admission (the model load is not in it), including the snapshot load.
//!
//! `resume_bench MODEL [TURNS]`: prints the figures side by side. The children run the same
//! program with a hidden first argument.

use ggchat::chat::Message;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::engine::snapshot::{self, SnapshotRef};
use ggchat::engine::{GenerateRequest, TemplateChoice};
use ggchat::params::{ModelParams, SamplingParams};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

const CTX: u32 = 4096;
const SYSTEM: &str = "You are a helpful, concise assistant.";

/// A conversation of `turns` user/assistant pairs, about 230 tokens per pair.
fn history(turns: usize) -> Vec<Message> {
    let mut messages = vec![Message::system(SYSTEM)];
    for i in 0..turns {
        messages.push(Message::user(format!(
            "Question {i}: tell me about harbour number {i}, its ships, its tides and its people."
        )));
        messages.push(Message::assistant(format!(
            "Harbour {i} is a quiet place. {}",
            "Fishing boats leave at dawn, the tide turns twice a day, and the people mend nets \
             on the quay while gulls circle over the water and the lighthouse keeps watch. "
                .repeat(5)
        )));
    }
    messages
}

fn child(mode: &str, model: &str, dir: &Path, turns: usize) -> Value {
    let out = Command::new(std::env::current_exe().expect("this program"))
        .args([mode, model, &dir.display().to_string(), &turns.to_string()])
        .output()
        .expect("run a child");
    assert!(
        out.status.success(),
        "{mode} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("a JSON line")
}

fn run_child(mode: &str, model: &str, dir: &Path, turns: usize) {
    let mut engine = BlockingEngine::start().expect("start the engine");
    let params = ModelParams {
        ctx_size: Some(CTX),
        ..ModelParams::default()
    };
    let info = engine
        .load(
            Path::new(model),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .expect("load the model");
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 16,
        ..SamplingParams::default()
    };
    let place = SnapshotRef {
        dir: dir.to_path_buf(),
        session: "bench".into(),
        cap_bytes: 4 << 30,
    };
    // The first process ends the session with a question; the reopened one adds the next turn.
    let mut messages = match mode {
        "new-chat" => vec![Message::system(SYSTEM)],
        _ => history(turns),
    };
    if mode != "new-chat" {
        messages.push(Message::user("And what about the lighthouse?"));
    }
    if mode == "open" {
        messages.push(Message::assistant("The lighthouse is old and white."));
    }
    if mode != "save" {
        messages.push(Message::user("Who keeps it?"));
    }
    let request = GenerateRequest {
        snapshot: (mode != "new-chat").then(|| place.clone()),
        ..GenerateRequest::new(messages, sampling)
    };
    let reply = engine.run(request, |_| Flow::Continue).expect("a reply");
    let mut out = json!({
        "ttft_ms": reply.stats.time_to_first_token_ms,
        "prompt_tokens": reply.prompt_tokens,
        "reused": reply.stats.prompt_tokens_reused,
        "flash_attention": info.flash_attention,
    });
    if mode == "save" {
        drop(engine); // saves at shutdown if the idle save has not run yet
        let saved = snapshot::last_save().expect("a snapshot was saved");
        let file = place.path().expect("a valid id");
        out["save_ms"] = json!(saved.ms);
        out["snapshot_tokens"] = json!(saved.tokens);
        out["snapshot_bytes"] = json!(std::fs::metadata(file).expect("the snapshot").len());
    }
    println!("{out}");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, model, dir, turns] = args.as_slice() {
        return run_child(mode, model, Path::new(dir), turns.parse().expect("turns"));
    }
    let [model, rest @ ..] = args.as_slice() else {
        eprintln!("usage: resume_bench MODEL [TURNS]");
        std::process::exit(2);
    };
    let turns = rest
        .first()
        .map_or(12, |t| t.parse().expect("a number of turns"));
    let with = tempfile::tempdir().expect("a temporary folder");
    let without = tempfile::tempdir().expect("a temporary folder");
    let new_chat = child("new-chat", model, without.path(), turns);
    // The session's first process: the whole prompt, then the snapshot save.
    let saved = child("save", model, with.path(), turns);
    let snap = child("open", model, with.path(), turns);
    let cold = child("open", model, without.path(), turns);
    let ms = |v: &Value| v["ttft_ms"].as_f64().unwrap_or(f64::NAN);
    let base = ms(&new_chat);
    println!(
        "resume benchmark: {model}, ctx {CTX}, flash attention {}",
        saved["flash_attention"]
    );
    println!(
        "{:<44} {:>8} {:>9} {:>8} {:>7}",
        "", "prompt", "reused", "TTFT ms", "× new"
    );
    for (name, v) in [
        ("new chat, turn 1", &new_chat),
        ("session reopened, no snapshot", &cold),
        ("session reopened, with snapshot", &snap),
    ] {
        println!(
            "{name:<44} {:>8} {:>9} {:>8.0} {:>7.2}",
            v["prompt_tokens"],
            v["reused"],
            ms(v),
            ms(v) / base
        );
    }
    println!(
        "snapshot: {} tokens, {:.1} MiB on disk, saved in {:.0} ms (state copy, checksum, write, fsync)",
        saved["snapshot_tokens"],
        saved["snapshot_bytes"].as_f64().unwrap_or(0.0) / (1024.0 * 1024.0),
        saved["save_ms"].as_f64().unwrap_or(f64::NAN)
    );
}
