//! One engine for the front ends, two behind it: the local llama.cpp thread and the remote
//! (OpenAI-compatible HTTP) thread. The router forwards each command to the engine it belongs to:
//! `LoadModel` to the local one, `Connect` to the remote one, and `Generate`/`Bench` to whichever
//! answered the last successful load or connect. Each engine thread starts on first use, so
//! `ggchat ask --backend URL` never initialises llama.cpp, and a switch between a local and a
//! remote model keeps the other engine as it was (a failed switch leaves the running one active).

use super::messages::{EngineCommand, EngineEvent, GenerateRequest};
use super::worker::{self, EventSink};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;

const NONE: u8 = 0;
const LOCAL: u8 = 1;
const REMOTE: u8 = 2;

/// A started engine thread: how to reach it and how to wait for it.
struct Started<S> {
    send: S,
    thread: JoinHandle<()>,
}

/// Marks `which` as the active engine when it reports a successful load.
fn marking_sink(sink: &EventSink, active: &Arc<AtomicU8>, which: u8) -> EventSink {
    let sink = Arc::clone(sink);
    let active = Arc::clone(active);
    Arc::new(move |event: EngineEvent| {
        if matches!(event, EngineEvent::ModelLoaded { .. }) {
            active.store(which, Ordering::SeqCst);
        }
        sink(event)
    })
}

/// Runs until `Shutdown` or until every command sender is dropped.
pub fn run(commands: Receiver<EngineCommand>, sink: EventSink) {
    let active = Arc::new(AtomicU8::new(NONE));
    let mut local: Option<Started<std::sync::mpsc::Sender<EngineCommand>>> = None;
    let mut remote: Option<Started<tokio::sync::mpsc::UnboundedSender<EngineCommand>>> = None;
    let start_local = |sink: &EventSink| -> Option<Started<_>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = marking_sink(sink, &active, LOCAL);
        let thread = std::thread::Builder::new()
            .name("engine-local".into())
            .spawn(move || worker::run(rx, sink))
            .map_err(|e| tracing::error!("cannot start the local engine thread: {e}"))
            .ok()?;
        Some(Started { send: tx, thread })
    };
    let active_remote = Arc::clone(&active);
    let start_remote = |sink: &EventSink| -> Option<Started<_>> {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let sink = marking_sink(sink, &active_remote, REMOTE);
        let thread = std::thread::Builder::new()
            .name("engine-remote".into())
            .spawn(move || crate::remote::worker::run(rx, sink))
            .map_err(|e| tracing::error!("cannot start the remote engine thread: {e}"))
            .ok()?;
        Some(Started { send: tx, thread })
    };
    let failed = |sink: &EventSink, command: &EngineCommand, why: &str| {
        let event = match command {
            EngineCommand::LoadModel { id, .. } | EngineCommand::Connect { id, .. } => {
                EngineEvent::LoadFailed {
                    id: *id,
                    error: why.into(),
                }
            }
            EngineCommand::Generate(GenerateRequest { id, .. })
            | EngineCommand::Bench { id, .. } => EngineEvent::Failed {
                id: *id,
                error: why.into(),
            },
            _ => return,
        };
        sink(event);
    };
    while let Ok(command) = commands.recv() {
        match command {
            EngineCommand::Shutdown => break,
            EngineCommand::Cancel { .. } => {
                if let Some(l) = &local {
                    let _ = l.send.send(command.clone());
                }
                if let Some(r) = &remote {
                    let _ = r.send.send(command);
                }
            }
            EngineCommand::LoadModel { .. } => {
                if local.is_none() {
                    local = start_local(&sink);
                }
                match &local {
                    Some(l) if l.send.send(command.clone()).is_ok() => {}
                    _ => failed(&sink, &command, "the local engine thread has stopped"),
                }
            }
            EngineCommand::Connect { .. } => {
                if remote.is_none() {
                    remote = start_remote(&sink);
                }
                match &remote {
                    Some(r) if r.send.send(command.clone()).is_ok() => {}
                    _ => failed(&sink, &command, "the remote engine thread has stopped"),
                }
            }
            EngineCommand::Generate(_) | EngineCommand::Bench { .. } => {
                let sent = match active.load(Ordering::SeqCst) {
                    LOCAL => local.as_ref().map(|l| l.send.send(command.clone()).is_ok()),
                    REMOTE => remote
                        .as_ref()
                        .map(|r| r.send.send(command.clone()).is_ok()),
                    _ => None,
                };
                match sent {
                    Some(true) => {}
                    Some(false) => failed(&sink, &command, "the engine thread has stopped"),
                    None => failed(&sink, &command, "no model is loaded"),
                }
            }
        }
    }
    if let Some(l) = local {
        let _ = l.send.send(EngineCommand::Shutdown);
        let _ = l.thread.join();
    }
    if let Some(r) = remote {
        let _ = r.send.send(EngineCommand::Shutdown);
        let _ = r.thread.join();
    }
}
