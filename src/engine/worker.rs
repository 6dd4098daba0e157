//! The engine thread's main loop.
//!
//! `LlamaBackend::init` may run once per process and `LlamaContext<'model>` borrows its model and
//! is not `Send`, so one thread owns all three. The outer loop owns the current model; the inner
//! one (`serve`) owns the scheduler (a context borrowed from the model) and alternates between
//! reading the mailbox and running one scheduler step until the model must change.
//!
//! Commands keep their order: a `Generate` waits for a free slot, and a load, a connect or a raw
//! benchmark waits until no reply runs, with everything behind it. `Cancel` and `Shutdown` act at
//! once wherever they are in the queue.

use super::EngineError;
use super::load::{LoadError, LoadedModel, load_model};
use super::messages::{EngineCommand, EngineEvent, GenerateRequest, RequestId};
use super::scheduler::Emit;
use super::scheduler::Scheduler;
use super::speculation::draft::Drafter;
use crate::chat::{ReplyStats, StopReason};
use llama_cpp_2::llama_backend::LlamaBackend;
use std::collections::VecDeque;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, OnceLock};

/// The local engine never connects to a server (the router sends `Connect` elsewhere).
const NOT_REMOTE: &str = "the local engine cannot connect to a remote backend";

/// Where engine events go: a channel in the app, a closure in tests.
pub type EventSink = Arc<dyn Fn(EngineEvent) + Send + Sync + 'static>;

struct Mailbox {
    commands: Receiver<EngineCommand>,
    /// Commands that arrived while a generation was running, answered after it.
    deferred: VecDeque<EngineCommand>,
}

impl Mailbox {
    /// The next command; `None` when every sender is gone.
    fn next(&mut self) -> Option<EngineCommand> {
        self.deferred
            .pop_front()
            .or_else(|| self.commands.recv().ok())
    }
}

/// What `serve` asks the outer loop to do next.
enum Next {
    SwitchTo(RequestId, Box<LoadedModel>),
    Shutdown,
}

/// llama.cpp's backend may be initialised once per process; every engine thread shares it (tests
/// run several engines at once), and it lives until the process ends.
fn shared_backend() -> Result<&'static LlamaBackend, String> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // llama.cpp logs through `tracing` (to the log file, or nowhere without a
            // subscriber), never straight to the terminal.
            llama_cpp_2::send_logs_to_tracing(llama_cpp_2::LogOptions::default());
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Runs the engine until `Shutdown` or until every command sender is dropped.
pub fn run(commands: Receiver<EngineCommand>, sink: EventSink) {
    let mut mailbox = Mailbox {
        commands,
        deferred: VecDeque::new(),
    };
    let backend = match shared_backend() {
        Ok(backend) => backend,
        Err(e) => {
            // Answer every request with the reason instead of leaving the caller waiting.
            let reason = format!("llama.cpp could not start: {e}");
            while let Some(command) = mailbox.next() {
                match command {
                    EngineCommand::LoadModel { id, .. } | EngineCommand::Connect { id, .. } => {
                        sink(EngineEvent::LoadFailed {
                            id,
                            error: reason.clone().into(),
                        })
                    }
                    EngineCommand::Generate(GenerateRequest { id, .. })
                    | EngineCommand::Bench { id, .. } => sink(EngineEvent::Failed {
                        id,
                        error: reason.clone().into(),
                    }),
                    EngineCommand::Cancel { .. } => {}
                    EngineCommand::Shutdown => return,
                }
            }
            return;
        }
    };
    let mut current: Option<(RequestId, LoadedModel)> = None;
    loop {
        let next = match current.take() {
            Some((id, loaded)) => serve(backend, id, loaded, &mut mailbox, &sink),
            None => wait_for_model(backend, &mut mailbox, &sink),
        };
        match next {
            Next::SwitchTo(id, loaded) => current = Some((id, *loaded)),
            Next::Shutdown => return,
        }
    }
}

fn try_load(
    backend: &LlamaBackend,
    command: EngineCommand,
    sink: &EventSink,
) -> Option<(RequestId, Result<LoadedModel, LoadError>)> {
    let EngineCommand::LoadModel {
        id,
        path,
        params,
        template,
    } = command
    else {
        return None;
    };
    let progress_sink = Arc::clone(sink);
    let result = load_model(backend, id, &path, &params, &template, move |event| {
        progress_sink(event)
    });
    Some((id, result))
}

fn wait_for_model(backend: &LlamaBackend, mailbox: &mut Mailbox, sink: &EventSink) -> Next {
    loop {
        let Some(command) = mailbox.next() else {
            return Next::Shutdown;
        };
        match command {
            EngineCommand::Shutdown => return Next::Shutdown,
            EngineCommand::Cancel { .. } => {}
            EngineCommand::Connect { id, .. } => sink(EngineEvent::LoadFailed {
                id,
                error: NOT_REMOTE.into(),
            }),
            EngineCommand::Generate(request) => {
                for id in request.alternative_ids() {
                    sink(EngineEvent::Failed {
                        id,
                        error: EngineError::NoModel,
                    });
                }
            }
            EngineCommand::Bench { id, .. } => sink(EngineEvent::Failed {
                id,
                error: EngineError::NoModel,
            }),
            load @ EngineCommand::LoadModel { .. } => {
                if let Some((id, result)) = try_load(backend, load, sink) {
                    match result {
                        Ok(loaded) => return Next::SwitchTo(id, Box::new(loaded)),
                        Err(e) => sink(EngineEvent::LoadFailed {
                            id,
                            error: e.into(),
                        }),
                    }
                }
            }
        }
    }
}

/// Creates the scheduler's context for `loaded` and answers commands with it.
fn serve(
    backend: &LlamaBackend,
    load_id: RequestId,
    mut loaded: LoadedModel,
    mailbox: &mut Mailbox,
    sink: &EventSink,
) -> Next {
    let ctx = match loaded.model.new_context(backend, loaded.context_params()) {
        Ok(ctx) => ctx,
        Err(e) => {
            sink(EngineEvent::LoadFailed {
                id: load_id,
                error: loaded.context_error(e).into(),
            });
            return wait_for_model(backend, mailbox, sink);
        }
    };
    let mut scheduler = Scheduler::new(ctx, loaded.slots(), loaded.params.kv_unified);
    // The adapter (and its scale) is part of the context: a change reloads the model into a new
    // context whose cache starts empty, so no cached token computed without it is ever reused.
    if let Some(adapter) = loaded.lora.as_mut() {
        let applied = scheduler
            .ctx
            .lora_adapter_set(adapter, loaded.params.lora_scale);
        if let Err(e) = applied {
            let path = loaded.params.lora_path.clone().unwrap_or_default();
            let error = LoadError::Lora {
                path,
                reason: format!("llama.cpp could not apply it to the context ({e})"),
            };
            sink(EngineEvent::LoadFailed {
                id: load_id,
                error: error.into(),
            });
            return wait_for_model(backend, mailbox, sink);
        }
    }
    // The draft model gets a context like the model's (one sequence per slot, the same size), so
    // each slot's whole conversation fits in it.
    if let Some(draft) = &loaded.draft {
        match draft.new_context(backend, loaded.context_params()) {
            Ok(ctx) => {
                let slots = loaded.slots();
                let reach = scheduler.slot_ctx();
                scheduler.set_drafter(Drafter::new(ctx, draft, slots, reach));
            }
            Err(e) => {
                let error = LoadError::Draft {
                    model: loaded.summary.path.clone(),
                    draft: loaded.params.draft_model.clone().unwrap_or_default(),
                    reason: format!("cannot create its context ({e}; try a smaller --ctx-size)"),
                };
                sink(EngineEvent::LoadFailed {
                    id: load_id,
                    error: error.into(),
                });
                return wait_for_model(backend, mailbox, sink);
            }
        }
    }
    let mut info = loaded.info();
    // llama.cpp may round the context size up; report what one reply can reach.
    info.ctx_size = scheduler.slot_ctx() as u32;
    scheduler.set_snapshot_key(super::scheduler::snapshot_key(&loaded, &info));
    sink(EngineEvent::ModelLoaded { id: load_id, info });
    let emit: &dyn Fn(EngineEvent) = &**sink;
    loop {
        // Wait only when nothing runs and nothing waits; otherwise just look.
        if scheduler.is_idle() && mailbox.deferred.is_empty() {
            // Idle with nothing waiting: the moment to save KV snapshots.
            let command = mailbox.commands.try_recv().or_else(|_| {
                scheduler.save_snapshots();
                mailbox.commands.recv()
            });
            match command {
                Ok(command) => mailbox.deferred.push_back(command),
                Err(_) => return Next::Shutdown,
            }
        }
        while let Ok(command) = mailbox.commands.try_recv() {
            mailbox.deferred.push_back(command);
        }
        if take_urgent(mailbox, &mut scheduler, emit) {
            scheduler.save_snapshots();
            return Next::Shutdown;
        }
        while let Some(front) = mailbox.deferred.front() {
            let ready = match front {
                EngineCommand::Generate(request) => scheduler.can_admit(request),
                _ => scheduler.is_idle(),
            };
            if !ready {
                break;
            }
            let Some(command) = mailbox.deferred.pop_front() else {
                break;
            };
            if let Some(next) = answer(backend, &loaded, &mut scheduler, command, sink) {
                scheduler.save_snapshots();
                return next;
            }
        }
        scheduler.step(&loaded.model, emit);
    }
}

/// Applies every `Cancel` in the queue (a reply still waiting for a slot ends as cancelled
/// without starting); true on `Shutdown`, after cancelling everything.
fn take_urgent(mailbox: &mut Mailbox, scheduler: &mut Scheduler<'_>, emit: Emit) -> bool {
    let mut shutdown = false;
    let mut cancels = Vec::new();
    mailbox.deferred.retain(|command| match command {
        EngineCommand::Cancel { id } => {
            cancels.push(*id);
            false
        }
        EngineCommand::Shutdown => {
            shutdown = true;
            false
        }
        _ => true,
    });
    let queued_cancelled = |id: RequestId| EngineEvent::Finished {
        id,
        stats: ReplyStats {
            stop_reason: Some(StopReason::Cancelled),
            ..Default::default()
        },
    };
    for id in cancels {
        if !scheduler.cancel(id, emit) {
            let mut queued = Vec::new();
            mailbox.deferred.retain(|c| match c {
                EngineCommand::Generate(r) if r.id == id => {
                    queued.extend(r.alternative_ids());
                    false
                }
                _ => true,
            });
            for id in queued {
                emit(queued_cancelled(id));
            }
        }
    }
    if shutdown {
        scheduler.cancel_all(emit);
        for command in mailbox.deferred.drain(..) {
            if let EngineCommand::Generate(request) = command {
                for id in request.alternative_ids() {
                    emit(queued_cancelled(id));
                }
            }
        }
    }
    shutdown
}

/// Answers one command from the front of the queue; `Some` when the model must change or the
/// thread stop.
fn answer(
    backend: &LlamaBackend,
    loaded: &LoadedModel,
    scheduler: &mut Scheduler<'_>,
    command: EngineCommand,
    sink: &EventSink,
) -> Option<Next> {
    match command {
        EngineCommand::Shutdown => return Some(Next::Shutdown),
        EngineCommand::Cancel { .. } => {}
        EngineCommand::Connect { id, .. } => sink(EngineEvent::LoadFailed {
            id,
            error: NOT_REMOTE.into(),
        }),
        EngineCommand::Bench {
            id,
            prompt_tokens,
            gen_tokens,
        } => match scheduler.bench(&loaded.model, prompt_tokens, gen_tokens) {
            Ok(result) => sink(EngineEvent::BenchDone { id, result }),
            Err(e) => sink(EngineEvent::Failed {
                id,
                error: e.into(),
            }),
        },
        EngineCommand::Generate(request) => {
            scheduler.admit(&loaded.model, &loaded.template, &request, &**sink)
        }
        load @ EngineCommand::LoadModel { .. } => {
            let (id, result) = try_load(backend, load, sink)?;
            match result {
                // Check that a context fits before giving up the running model; the old context
                // and model are dropped by the caller.
                Ok(new_model) => {
                    let probe = new_model
                        .model
                        .new_context(backend, new_model.context_params())
                        .map(drop);
                    match probe {
                        Ok(()) => return Some(Next::SwitchTo(id, Box::new(new_model))),
                        Err(e) => sink(EngineEvent::LoadFailed {
                            id,
                            error: new_model.context_error(e).into(),
                        }),
                    }
                }
                Err(e) => sink(EngineEvent::LoadFailed {
                    id,
                    error: e.into(),
                }),
            }
        }
    }
    None
}
