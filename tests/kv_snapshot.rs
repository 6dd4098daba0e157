//! KV snapshots on the real model, across processes: a session's snapshot saved by one process
//! and loaded by another gives the same greedy answer as the live cache did; a snapshot that is
//! truncated, bit-flipped, from another model or another context size is ignored and the answer
//! is the one a fresh evaluation gives; a process killed while writing a snapshot leaves nothing
//! that is trusted later. The second process is `test_child` (tests/child/kv.rs).

mod common;

use ggchat::chat::Message;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::engine::snapshot::SnapshotRef;
use ggchat::engine::{GenerateRequest, TemplateChoice};
use ggchat::params::{FlashAttention, ModelParams, SamplingParams};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CTX: &str = "1024";
/// Flash attention for every process here: with it on, evaluating a prompt from a snapshot, from
/// the live cache or from nothing gives the same logits (see docs/performance.md).
const FLASH: &str = "on";

fn test_child() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let path = exe
        .parent()
        .and_then(Path::parent)
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

fn turn1() -> Vec<Message> {
    vec![
        Message::system("You are a helpful, concise assistant."),
        Message::user("Describe the sea in three sentences."),
    ]
}

fn turn2(reply1: &str) -> Vec<Message> {
    let mut messages = turn1();
    messages.push(Message::assistant(reply1));
    messages.push(Message::user("Now write two sentences about the moon."));
    messages
}

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn snapshots(&self) -> PathBuf {
        self.dir.path().join("snapshots")
    }

    fn place(&self, session: &str) -> SnapshotRef {
        SnapshotRef {
            dir: self.snapshots(),
            session: session.into(),
            cap_bytes: 1 << 30,
        }
    }

    fn file(&self, session: &str) -> PathBuf {
        self.place(session).path().unwrap()
    }

    fn messages_file(&self, messages: &[Message]) -> PathBuf {
        let path = self.dir.path().join("messages.json");
        std::fs::write(&path, serde_json::to_vec(messages).unwrap()).unwrap();
        path
    }

    fn child(
        &self,
        mode: &str,
        session: &str,
        model: &Path,
        ctx: &str,
        messages: &[Message],
    ) -> Command {
        let mut command = Command::new(test_child());
        command
            .arg(mode)
            .arg(self.snapshots())
            .arg(session)
            .arg(model)
            .arg(ctx)
            .arg(FLASH)
            .arg(self.messages_file(messages))
            .stdin(Stdio::null());
        command
    }

    /// A greedy reply in a new process; its JSON line.
    fn reply(&self, session: &str, model: &Path, ctx: &str, messages: &[Message]) -> Value {
        let out = self
            .child("kv-reply", session, model, ctx, messages)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {}\n{stdout}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
    }
}

fn wait_for_file(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// This process: turn 1 (its snapshot is kept aside), then turn 2 on the live cache.
struct Live {
    messages: Vec<Message>,
    snapshot: Vec<u8>,
    reply: String,
    reused: usize,
}

fn live(home: &Home) -> Live {
    let mut engine = BlockingEngine::start().unwrap();
    let params = ModelParams {
        ctx_size: Some(CTX.parse().unwrap()),
        flash_attention: if FLASH == "on" {
            FlashAttention::On
        } else {
            FlashAttention::Off
        },
        ..ModelParams::default()
    };
    engine
        .load(
            &common::default_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .unwrap();
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 48,
        ..SamplingParams::default()
    };
    let mut ask = |messages: Vec<Message>| {
        let request = GenerateRequest {
            snapshot: Some(home.place("s1")),
            ..GenerateRequest::new(messages, sampling.clone())
        };
        engine.run(request, |_| Flow::Continue).unwrap()
    };
    let reply1 = ask(turn1());
    wait_for_file(&home.file("s1"));
    let snapshot = std::fs::read(home.file("s1")).unwrap();
    let messages = turn2(&reply1.text);
    let reply2 = ask(messages.clone());
    drop(engine);
    Live {
        messages,
        snapshot,
        reply: reply2.text,
        reused: reply2.stats.prompt_tokens_reused,
    }
}

#[test]
fn a_snapshot_loaded_by_a_new_process_answers_like_the_live_cache_and_damage_is_ignored() {
    let home = Home {
        dir: tempfile::tempdir().unwrap(),
    };
    let model = common::default_model();
    let live = live(&home);
    assert!(
        live.reused > 20,
        "the live cache served turn 1: {}",
        live.reused
    );

    // Loaded in a new process: the same tokens reused, the same answer.
    std::fs::write(home.file("s1"), &live.snapshot).unwrap();
    let loaded = home.reply("s1", &model, CTX, &live.messages);
    assert_eq!(loaded["reused"], live.reused, "{loaded}");
    assert_eq!(loaded["reply"], live.reply.as_str(), "{loaded}");

    // No snapshot: the whole prompt is evaluated; with flash attention on, the same answer.
    std::fs::remove_file(home.file("s1")).unwrap();
    let fresh = home.reply("s1", &model, CTX, &live.messages);
    assert_eq!(fresh["reused"], 0, "{fresh}");
    assert_eq!(
        fresh["reply"],
        live.reply.as_str(),
        "batch invariance: {fresh}"
    );

    let ignored = |bytes: &[u8], ctx: &str, what: &str| {
        std::fs::write(home.file("s1"), bytes).unwrap();
        let got = home.reply("s1", &model, ctx, &live.messages);
        assert_eq!(got["reused"], 0, "{what} snapshot used: {got}");
        assert_eq!(got["reply"], live.reply.as_str(), "{what}: {got}");
    };
    let len = live.snapshot.len();
    ignored(&live.snapshot[..len / 2], CTX, "truncated");
    ignored(&live.snapshot[..len - 1], CTX, "truncated by one byte");
    let mut flipped = live.snapshot.clone();
    flipped[len * 3 / 4] ^= 0x10;
    ignored(&flipped, CTX, "bit-flipped");
    ignored(&live.snapshot, "2048", "other context size");

    // Gemma's snapshot of the same conversation, under this session's name.
    home.reply("g", &common::gemma_model(), CTX, &turn1());
    let gemma = std::fs::read(home.file("g")).unwrap();
    ignored(&gemma, CTX, "other model");
}

#[test]
fn a_process_killed_while_writing_a_snapshot_leaves_nothing_trusted() {
    let home = Home {
        dir: tempfile::tempdir().unwrap(),
    };
    let model = common::default_model();
    // A long first turn, so that saving its state takes a while.
    let mut messages = turn1();
    messages[1] = Message::user(format!(
        "{} Describe the sea in three sentences.",
        "The tide comes in and goes out again. ".repeat(60)
    ));
    // The next turn: it shares the first turn's prompt with whatever snapshot was saved.
    let mut next = messages.clone();
    next.push(Message::assistant("The sea is wide."));
    next.push(Message::user("And the moon?"));
    let mut killed_mid_write = 0;
    let is_temp =
        |e: &std::fs::DirEntry| e.file_name().to_string_lossy().starts_with(".s1.kv.tmp.");
    let temps = || {
        std::fs::read_dir(home.snapshots())
            .map(|d| d.flatten().filter(is_temp).count())
            .unwrap_or(0)
    };
    for _ in 0..3 {
        let mut child = home
            .child("kv-save-forever", "s1", &model, CTX, &messages)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
            &mut line,
        )
        .unwrap();
        assert_eq!(line.trim(), "READY");
        // SIGKILL as soon as a write is under way.
        let deadline = Instant::now() + Duration::from_secs(60);
        while temps() == 0 && Instant::now() < deadline {
            std::hint::spin_loop();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        if temps() > 0 {
            killed_mid_write += 1;
        }
        // Whatever is left is either a whole snapshot that a new process uses, or nothing.
        let got = home.reply("s1", &model, CTX, &next);
        assert!(
            got["reused"].as_u64().unwrap() > 100,
            "the snapshot was whole: {got}"
        );
    }
    assert!(
        killed_mid_write > 0,
        "no kill landed during a write: the test did not test the crash window"
    );
}
