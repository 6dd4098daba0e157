//! One engine for the front ends, two behind it: the local llama.cpp thread and the remote
//! (OpenAI-compatible HTTP) thread. The router forwards each command to the engine it belongs to:
//! `LoadModel` to the local one, `Connect` to the remote one, and `Generate`/`Bench` to whichever
//! answered the newest load or connect. Each engine thread starts on first use, so
//! `ggchat ask --backend URL` never initialises llama.cpp, and a failed switch leaves the running
//! engine active.
//!
//! Two rules keep a switch honest:
//! - Only the newest choice counts. Every `LoadModel`/`Connect` is tagged with its request id;
//!   an answer to an older one (a slow load or a slow server the user gave up on) is passed on to
//!   the front end, which ignores it by id, but never makes its engine the active one.
//! - A remote model does not hold a local one in memory. When a switch to a remote backend wins,
//!   the local engine thread is stopped, which frees its model and context; a later switch back
//!   starts a new one and loads the model again (the conversation lives in the front end).

use super::guarding::{Cancel, Guarding, guarded_sink};
use super::messages::{EngineCommand, EngineEvent, RequestId};
use super::thinking::{Thinking, ThinkingConfig, thinking_sink};
use super::worker::{self, EventSink};
use crate::guard::Guard;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

// 0 (the default): no engine has answered yet.
const LOCAL: u8 = 1;
const REMOTE: u8 = 2;

/// A started engine thread: how to reach it and how to wait for it.
struct Started<S> {
    send: S,
    thread: JoinHandle<()>,
}

/// What the engine threads' sinks share with the router loop. `newest` and `newest_remote` change
/// only under the `local` lock, and each answer is judged under it, so a switch and an answer
/// never interleave.
#[derive(Default)]
struct Shared {
    /// The engine that answered the newest load or connect.
    active: AtomicU8,
    /// The id of the newest `LoadModel` or `Connect` routed, and whether it was a `Connect`.
    newest: AtomicU64,
    newest_remote: AtomicBool,
    /// The local engine thread, when one runs.
    local: Mutex<Option<Started<Sender<EngineCommand>>>>,
    /// Local engine threads told to stop, joined when the router ends.
    retired: Mutex<Vec<JoinHandle<()>>>,
}

type LocalSlot = Option<Started<Sender<EngineCommand>>>;

impl Shared {
    fn lock_local(&self) -> std::sync::MutexGuard<'_, LocalSlot> {
        self.local.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stops the local engine thread (if any), freeing its model; it is joined at the end.
    fn retire_local(&self, slot: &mut LocalSlot) {
        let Some(local) = slot.take() else {
            return;
        };
        let _ = local.send.send(EngineCommand::Shutdown);
        tracing::info!("the local model is unloaded: a remote backend is in use");
        self.retired
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(local.thread);
    }

    /// Judges a successful load or connect by `which` engine.
    fn loaded(&self, id: RequestId, which: u8) {
        let mut slot = self.lock_local();
        if self.newest.load(Ordering::SeqCst) == id {
            self.active.store(which, Ordering::SeqCst);
            if which == REMOTE {
                self.retire_local(&mut slot);
            }
            return;
        }
        tracing::info!("request {id} loaded after a newer switch; it stays inactive");
        // A stale local model under a remote one goes too, unless a local load is still to come.
        if which == LOCAL
            && self.active.load(Ordering::SeqCst) == REMOTE
            && self.newest_remote.load(Ordering::SeqCst)
        {
            self.retire_local(&mut slot);
        }
    }
}

/// Passes events on, judging each successful load or connect first.
fn marking_sink(sink: &EventSink, shared: &Arc<Shared>, which: u8) -> EventSink {
    let sink = Arc::clone(sink);
    let shared = Arc::clone(shared);
    Arc::new(move |event: EngineEvent| {
        if let EngineEvent::ModelLoaded { id, .. } = &event {
            shared.loaded(*id, which);
        }
        sink(event)
    })
}

fn start_local(sink: &EventSink, shared: &Arc<Shared>) -> Option<Started<Sender<EngineCommand>>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let sink = marking_sink(sink, shared, LOCAL);
    let thread = std::thread::Builder::new()
        .name("engine-local".into())
        .spawn(move || worker::run(rx, sink))
        .map_err(|e| tracing::error!("cannot start the local engine thread: {e}"))
        .ok()?;
    Some(Started { send: tx, thread })
}

type RemoteSender = tokio::sync::mpsc::UnboundedSender<EngineCommand>;

fn start_remote(sink: &EventSink, shared: &Arc<Shared>) -> Option<Started<RemoteSender>> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let sink = marking_sink(sink, shared, REMOTE);
    let thread = std::thread::Builder::new()
        .name("engine-remote".into())
        .spawn(move || crate::remote::worker::run(rx, sink))
        .map_err(|e| tracing::error!("cannot start the remote engine thread: {e}"))
        .ok()?;
    Some(Started { send: tx, thread })
}

/// Answers `command` with a failure, so the caller is never left waiting.
fn failed(sink: &EventSink, command: &EngineCommand, why: &str) {
    let event = match command {
        EngineCommand::LoadModel { id, .. } | EngineCommand::Connect { id, .. } => {
            EngineEvent::LoadFailed {
                id: *id,
                error: why.into(),
            }
        }
        EngineCommand::Generate(request) => {
            for id in request.alternative_ids() {
                sink(EngineEvent::Failed {
                    id,
                    error: why.into(),
                });
            }
            return;
        }
        EngineCommand::Bench { id, .. } => EngineEvent::Failed {
            id: *id,
            error: why.into(),
        },
        _ => return,
    };
    sink(event);
}

/// Runs until `Shutdown` or until every command sender is dropped. Every reply is split into
/// reasoning and answer (see `super::thinking`); with a `guard`, every request and reply then
/// passes through it (see `super::guarding`). `loopback` sends to `commands`: the guard's model
/// check sends its own requests and the requests that passed it through it (`Engine`'s drop
/// sends `Shutdown`, so the loop still ends).
pub fn run(
    commands: Receiver<EngineCommand>,
    loopback: Option<Sender<EngineCommand>>,
    sink: EventSink,
    guard: Option<Arc<Guard>>,
    thinking: &ThinkingConfig,
) {
    let guarding = guard.map(|guard| Guarding::new(guard, loopback));
    let sink = match &guarding {
        Some(guarding) => guarded_sink(sink, guarding),
        None => sink,
    };
    let thinking = Thinking::new(thinking);
    let sink = thinking_sink(sink, &thinking);
    let shared = Arc::new(Shared::default());
    let mut remote: Option<Started<RemoteSender>> = None;
    // Sends to the local engine thread, starting it when `start` is set and none runs.
    let to_local = |command: EngineCommand, start: bool| -> Option<bool> {
        let mut local = shared.lock_local();
        if let EngineCommand::LoadModel { id, .. } = &command {
            shared.newest.store(*id, Ordering::SeqCst);
            shared.newest_remote.store(false, Ordering::SeqCst);
        }
        if local.is_none() && start {
            *local = start_local(&sink, &shared);
        }
        local.as_ref().map(|l| l.send.send(command).is_ok())
    };
    while let Ok(command) = commands.recv() {
        match command {
            EngineCommand::Shutdown => break,
            EngineCommand::Cancel { id } => {
                if let Some(guarding) = &guarding {
                    guarding.cancel_pending(id);
                }
                to_local(command.clone(), false);
                if let Some(r) = &remote {
                    let _ = r.send.send(command);
                }
            }
            EngineCommand::LoadModel { .. } => {
                if to_local(command.clone(), true) != Some(true) {
                    failed(&sink, &command, "the local engine thread has stopped");
                }
            }
            EngineCommand::Connect { id, .. } => {
                {
                    let _slot = shared.lock_local();
                    shared.newest.store(id, Ordering::SeqCst);
                    shared.newest_remote.store(true, Ordering::SeqCst);
                }
                if remote.is_none() {
                    remote = start_remote(&sink, &shared);
                }
                match &remote {
                    Some(r) if r.send.send(command.clone()).is_ok() => {}
                    _ => failed(&sink, &command, "the remote engine thread has stopped"),
                }
            }
            EngineCommand::Generate(request)
                if guarding.as_ref().is_some_and(|g| g.bypasses(request.id)) =>
            {
                let command = EngineCommand::Generate(request);
                route(&shared, remote.as_ref(), &to_local, &sink, command);
            }
            EngineCommand::Generate(mut request) if guarding.is_some() => {
                thinking.admit(&mut request);
                let cancel = cancel_for(&shared, remote.as_ref(), request.id);
                let admitted = (guarding.as_ref())
                    .and_then(|g| g.admit(request, &sink, cancel))
                    .and_then(|request| guarding.as_ref()?.check_input(request, &sink));
                if let Some(request) = admitted {
                    route(
                        &shared,
                        remote.as_ref(),
                        &to_local,
                        &sink,
                        EngineCommand::Generate(request),
                    );
                }
            }
            EngineCommand::Generate(mut request) => {
                thinking.admit(&mut request);
                let command = EngineCommand::Generate(request);
                route(&shared, remote.as_ref(), &to_local, &sink, command);
            }
            EngineCommand::Bench { .. } => {
                route(&shared, remote.as_ref(), &to_local, &sink, command);
            }
        }
    }
    shared.retire_local(&mut shared.lock_local());
    if let Some(r) = remote {
        let _ = r.send.send(EngineCommand::Shutdown);
        let _ = r.thread.join();
    }
    let retired = std::mem::take(&mut *shared.retired.lock().unwrap_or_else(|e| e.into_inner()));
    for thread in retired {
        let _ = thread.join();
    }
}

/// How to stop request `id` on the engine that is active now (where it will be sent).
fn cancel_for(shared: &Shared, remote: Option<&Started<RemoteSender>>, id: RequestId) -> Cancel {
    let command = EngineCommand::Cancel { id };
    match shared.active.load(Ordering::SeqCst) {
        LOCAL => match shared.lock_local().as_ref() {
            Some(local) => {
                let send = local.send.clone();
                Box::new(move || drop(send.send(command.clone())))
            }
            None => Box::new(|| {}),
        },
        REMOTE => match remote {
            Some(remote) => {
                let send = remote.send.clone();
                Box::new(move || drop(send.send(command.clone())))
            }
            None => Box::new(|| {}),
        },
        _ => Box::new(|| {}),
    }
}

/// Sends a `Generate` or `Bench` to the active engine, or answers it with a failure.
fn route(
    shared: &Shared,
    remote: Option<&Started<RemoteSender>>,
    to_local: &dyn Fn(EngineCommand, bool) -> Option<bool>,
    sink: &EventSink,
    command: EngineCommand,
) {
    let sent = match shared.active.load(Ordering::SeqCst) {
        LOCAL => to_local(command.clone(), false),
        REMOTE if matches!(&command, EngineCommand::Generate(r) if r.alternatives > 1) => {
            let why = "several alternatives at once need a local model: a remote backend \
                       answers one reply at a time (regenerate once instead)";
            return failed(sink, &command, why);
        }
        REMOTE => remote.map(|r| r.send.send(command.clone()).is_ok()),
        _ => None,
    };
    match sent {
        Some(true) => {}
        Some(false) => failed(sink, &command, "the engine thread has stopped"),
        None => failed(sink, &command, "no model is loaded"),
    }
}
