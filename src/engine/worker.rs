//! The engine thread's main loop.
//!
//! `LlamaBackend::init` may run once per process and `LlamaContext<'model>` borrows its model and
//! is not `Send`, so one thread owns all three. The outer loop owns the current model; the inner
//! one (`serve`) owns a context borrowed from it and answers commands until the model must change.

use super::EngineError;
use super::generate::{ContextState, Control};
use super::load::{LoadError, LoadedModel, load_model};
use super::messages::{EngineCommand, EngineEvent, GenerateRequest, RequestId};
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

/// Checks for cancellation between tokens without losing other commands.
struct GenerationControl<'a> {
    mailbox: &'a mut Mailbox,
    sink: &'a EventSink,
    id: RequestId,
    stop: bool,
}

impl Control for GenerationControl<'_> {
    fn should_stop(&mut self) -> bool {
        while let Ok(command) = self.mailbox.commands.try_recv() {
            match command {
                EngineCommand::Cancel { id } if id == self.id => self.stop = true,
                EngineCommand::Cancel { .. } => {}
                EngineCommand::Shutdown => {
                    self.stop = true;
                    self.mailbox.deferred.push_back(EngineCommand::Shutdown);
                }
                other => self.mailbox.deferred.push_back(other),
            }
        }
        self.stop
    }

    fn emit(&mut self, event: EngineEvent) {
        (self.sink)(event);
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
            EngineCommand::Generate(GenerateRequest { id, .. })
            | EngineCommand::Bench { id, .. } => sink(EngineEvent::Failed {
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

/// Creates a context for `loaded` and answers commands with it.
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
    let mut state = ContextState::new(ctx);
    // The adapter (and its scale) is part of the context: a change reloads the model into a new
    // context whose cache starts empty, so no cached token computed without it is ever reused.
    if let Some(adapter) = loaded.lora.as_mut() {
        let applied = state
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
    let mut info = loaded.info();
    // llama.cpp may round the context size up; report what was created.
    info.ctx_size = state.ctx.n_ctx();
    sink(EngineEvent::ModelLoaded { id: load_id, info });
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
            EngineCommand::Bench {
                id,
                prompt_tokens,
                gen_tokens,
            } => match state.bench(&loaded.model, prompt_tokens, gen_tokens) {
                Ok(result) => sink(EngineEvent::BenchDone { id, result }),
                Err(e) => sink(EngineEvent::Failed {
                    id,
                    error: e.into(),
                }),
            },
            EngineCommand::Generate(request) => {
                let mut control = GenerationControl {
                    mailbox,
                    sink,
                    id: request.id,
                    stop: false,
                };
                let result =
                    state.generate(&loaded.model, &loaded.template, &request, &mut control);
                match result {
                    Ok(stats) => sink(EngineEvent::Finished {
                        id: request.id,
                        stats,
                    }),
                    Err(e) => sink(EngineEvent::Failed {
                        id: request.id,
                        error: e.into(),
                    }),
                }
            }
            load @ EngineCommand::LoadModel { .. } => {
                if let Some((id, result)) = try_load(backend, load, sink) {
                    match result {
                        // Check that a context fits before giving up the running model; the
                        // old context and model are dropped by the caller.
                        Ok(new_model) => {
                            let probe = new_model
                                .model
                                .new_context(backend, new_model.context_params())
                                .map(drop);
                            match probe {
                                Ok(()) => return Next::SwitchTo(id, Box::new(new_model)),
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
        }
    }
}
