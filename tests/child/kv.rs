//! The KV snapshot modes of `test_child` (tests/kv_snapshot.rs): a chat engine in a process of
//! its own, so that a snapshot is loaded by a process that did not save it, or a process is killed
//! while it writes one.
//!
//! `test_child MODE SNAPSHOT_DIR SESSION_ID MODEL CTX FLASH MESSAGES`, MESSAGES a JSON file:
//! - `kv-reply`: one greedy reply to MESSAGES carrying the session's snapshot; prints the reply,
//!   the prompt tokens reused and evaluated, and the flash-attention setting, as one JSON line.
//! - `kv-save-forever`: continues a growing reply to MESSAGES by one token again and again, so
//!   that the engine is mostly saving snapshots; prints `READY` once the snapshot file exists.

use ggchat::chat::Message;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::engine::snapshot::SnapshotRef;
use ggchat::engine::{GenerateRequest, TemplateChoice};
use ggchat::params::{FlashAttention, ModelParams, SamplingParams};
use serde_json::json;
use std::path::Path;

pub fn run(mode: &str, dir: &str, id: &str, args: &[String], messages: Vec<Message>) {
    let [model, ctx, flash] = args else {
        panic!("kv modes take MODEL CTX FLASH MESSAGES");
    };
    let place = SnapshotRef {
        dir: dir.into(),
        session: id.into(),
        cap_bytes: 1 << 30,
    };
    let params = ModelParams {
        ctx_size: Some(ctx.parse().expect("a context size")),
        flash_attention: match flash.as_str() {
            "on" => FlashAttention::On,
            "off" => FlashAttention::Off,
            _ => FlashAttention::Auto,
        },
        ..ModelParams::default()
    };
    let mut engine = BlockingEngine::start().expect("start the engine");
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
        max_tokens: 48,
        ..SamplingParams::default()
    };
    let request = || GenerateRequest {
        snapshot: Some(place.clone()),
        ..GenerateRequest::new(messages.clone(), sampling.clone())
    };
    match mode {
        "kv-reply" => {
            let reply = engine.run(request(), |_| Flow::Continue).expect("a reply");
            println!(
                "{}",
                json!({
                    "reply": reply.text,
                    "reused": reply.stats.prompt_tokens_reused,
                    "evaluated": reply.stats.prompt_tokens_evaluated,
                    "flash_attention": info.flash_attention,
                })
            );
        }
        "kv-save-forever" => {
            let file = place.path().expect("a valid id");
            let mut ready = false;
            for i in 1.. {
                let mut messages = messages.clone();
                messages.push(Message::assistant("The sea is wide".repeat(i)));
                let request = GenerateRequest {
                    snapshot: Some(place.clone()),
                    continue_last: true,
                    ..GenerateRequest::new(
                        messages,
                        SamplingParams {
                            max_tokens: 1,
                            ..sampling.clone()
                        },
                    )
                };
                engine.run(request, |_| Flow::Continue).expect("a reply");
                if !ready && file.exists() {
                    println!("READY");
                    ready = true;
                }
            }
        }
        _ => panic!("unknown kv mode {mode}"),
    }
}
