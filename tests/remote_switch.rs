//! Switching between the local engine and a remote backend at the engine level: only the newest
//! choice becomes active (a slow answer to an abandoned switch never takes over), and a remote
//! model does not keep the local one in memory.

mod common;
mod remote_support;

use ggchat::chat::Message;
use ggchat::engine::{Engine, EngineEvent, GenerateRequest, TemplateChoice};
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::remote::{BackendConfig, RemoteTarget};
use remote_support::{FakeServer, local_engine_threads, models_response, rss_mib};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

/// Opened by the test; until then the gated server's `/models` does not answer.
static GATE: AtomicBool = AtomicBool::new(false);

fn remote_reply() -> Vec<u8> {
    let body = "data: {\"choices\":[{\"delta\":{\"content\":\"REMOTE\"},\"finish_reason\":\"stop\"}]}\n\n\
                data: [DONE]\n\n";
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n{body}")
        .into_bytes()
}

fn gated(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !GATE.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        return models_response();
    }
    remote_reply()
}

fn prompt(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        return models_response();
    }
    remote_reply()
}

fn target(server: &FakeServer) -> RemoteTarget {
    RemoteTarget::from_config(
        Some("fake"),
        &BackendConfig::for_url(&server.base_url(), None),
        None,
    )
}

/// Waits (at most 120 s) for an event that `wanted` accepts; earlier events are dropped.
fn wait_for(
    events: &mut UnboundedReceiver<EngineEvent>,
    what: &str,
    wanted: impl Fn(&EngineEvent) -> bool,
) -> EngineEvent {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match events.try_recv() {
            Ok(event) if wanted(&event) => return event,
            Ok(EngineEvent::LoadFailed { error, .. } | EngineEvent::Failed { error, .. }) => {
                panic!("waiting for {what}: {error}")
            }
            Ok(_) => {}
            Err(_) => {
                assert!(Instant::now() < deadline, "no {what} within 120 s");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

fn loaded(events: &mut UnboundedReceiver<EngineEvent>, id: u64) {
    wait_for(
        events,
        "the model",
        |e| matches!(e, EngineEvent::ModelLoaded { id: got, .. } if *got == id),
    );
}

/// Asks one question; returns the reply's text and whether a remote server answered it.
fn ask(engine: &Engine, events: &mut UnboundedReceiver<EngineEvent>) -> (String, bool) {
    let id = engine
        .generate(GenerateRequest::new(
            vec![Message::user("What is the capital of France?")],
            SamplingParams {
                temperature: 0.0,
                max_tokens: 8,
                ..SamplingParams::default()
            },
        ))
        .unwrap();
    let mut text = String::new();
    loop {
        match wait_for(events, "the reply", |e| e.request_id() == id) {
            EngineEvent::Token { text: piece, .. } => text.push_str(&piece),
            EngineEvent::Finished { stats, .. } => return (text, stats.remote.is_some()),
            _ => {}
        }
    }
}

fn load_local(engine: &Engine) -> u64 {
    engine
        .load(
            common::default_model(),
            ModelParams::default(),
            TemplateChoice::FromModel,
        )
        .unwrap()
}

#[test]
fn a_slow_connect_abandoned_for_the_local_model_never_takes_over() {
    let server = FakeServer::start(gated);
    let (engine, mut events) = Engine::spawn().unwrap();
    let slow = engine.connect(target(&server)).unwrap();
    // The user gives up waiting and picks the local model, which loads first.
    let local = load_local(&engine);
    loaded(&mut events, local);
    GATE.store(true, Ordering::SeqCst);
    // The server answers at last: the event is passed on (front ends ignore it by its id) ...
    loaded(&mut events, slow);
    // ... but the newer choice stays the active engine.
    let (text, remote) = ask(&engine, &mut events);
    assert!(
        !remote && !text.contains("REMOTE"),
        "the stale backend answered: {text}"
    );
    assert!(!text.trim().is_empty());
}

#[test]
fn switching_to_a_remote_backend_unloads_the_local_model_and_back_reloads_it() {
    let server = FakeServer::start(prompt);
    let (engine, mut events) = Engine::spawn().unwrap();
    let id = load_local(&engine);
    loaded(&mut events, id);
    let (_, remote) = ask(&engine, &mut events);
    assert!(!remote);
    assert!(local_engine_threads("self") > 0);
    let with_model = rss_mib("self");

    let id = engine.connect(target(&server)).unwrap();
    loaded(&mut events, id);
    let deadline = Instant::now() + Duration::from_secs(30);
    while local_engine_threads("self") > 0 {
        assert!(
            Instant::now() < deadline,
            "the local engine still runs after the switch"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let without = rss_mib("self");
    assert!(
        without + 40 < with_model,
        "the local model's memory was not freed: {with_model} MiB before, {without} MiB after"
    );
    let (text, remote) = ask(&engine, &mut events);
    assert!(remote && text == "REMOTE", "{text}");

    // Back to the local model: it loads again and answers.
    let id = load_local(&engine);
    loaded(&mut events, id);
    let (text, remote) = ask(&engine, &mut events);
    assert!(!remote && !text.trim().is_empty(), "{text}");
    assert!(local_engine_threads("self") > 0);
}
