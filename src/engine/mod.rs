//! The engine: a local llama.cpp thread that owns the backend, the model and its context, or a
//! remote OpenAI-compatible server (`crate::remote`), behind one router thread.
//!
//! The rest of the program talks to it only through [`EngineCommand`]s and [`EngineEvent`]s, so
//! the UI never blocks on inference, model switching never races a generation, and no front end
//! knows whether a local or a remote model answers.

pub mod blocking;
pub mod budget;
pub mod error;
pub mod generate;
mod guarding;
pub mod jinja;
pub mod load;
pub mod messages;
mod model_check;
pub mod offload;
pub mod prompt;
pub mod reasoning;
mod router;
pub mod sampler;
pub mod scheduler;
pub mod snapshot;
pub mod speculation;
pub mod stream;
pub mod template;
mod thinking;
mod worker;

pub use error::EngineError;
pub use messages::{
    BenchResult, BenchShape, EngineCommand, EngineEvent, GenerateRequest, GuardNote,
    MAX_ALTERNATIVES, ModelInfo, RemoteModel, RequestId, TemplateChoice, TemplateSource,
};
pub use thinking::ThinkingConfig;

use crate::params::ModelParams;
use anyhow::Context as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;

/// The program's side of the engine thread.
pub struct Engine {
    link: EngineLink,
    thread: Option<JoinHandle<()>>,
}

/// A cheap, cloneable way to send commands to the engine (the UI holds one; tests build one
/// over a plain channel and read what was sent).
#[derive(Debug, Clone)]
pub struct EngineLink {
    commands: mpsc::Sender<EngineCommand>,
    next_id: Arc<AtomicU64>,
}

impl EngineLink {
    pub fn new(commands: mpsc::Sender<EngineCommand>) -> EngineLink {
        EngineLink {
            commands,
            next_id: Arc::new(AtomicU64::new(1)),
        }
    }

    /// A fresh request id.
    pub fn next_id(&self) -> RequestId {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// `n` consecutive fresh ids (a request for `n` alternatives); returns the first.
    pub fn reserve_ids(&self, n: u8) -> RequestId {
        self.next_id
            .fetch_add(u64::from(n.max(1)), Ordering::Relaxed)
    }

    /// Sends a command; fails only if the engine thread has stopped.
    pub fn send(&self, command: EngineCommand) -> anyhow::Result<()> {
        self.commands
            .send(command)
            .map_err(|_| anyhow::anyhow!("the engine thread has stopped (see the log file)"))
    }

    /// Asks for a model load and returns its request id.
    pub fn load(
        &self,
        path: PathBuf,
        params: ModelParams,
        template: TemplateChoice,
    ) -> anyhow::Result<RequestId> {
        let id = self.next_id();
        self.send(EngineCommand::LoadModel {
            id,
            path,
            params,
            template,
        })?;
        Ok(id)
    }

    /// Asks to switch to a remote backend and returns the request's id.
    pub fn connect(&self, target: crate::remote::RemoteTarget) -> anyhow::Result<RequestId> {
        let id = self.next_id();
        self.send(EngineCommand::Connect { id, target })?;
        Ok(id)
    }

    /// Asks for a reply; the request's id is replaced by a fresh one, which is returned. A
    /// request for several alternatives reserves one id for each (`GenerateRequest::alternative_ids`).
    pub fn generate(&self, mut request: GenerateRequest) -> anyhow::Result<RequestId> {
        request.id = self.reserve_ids(request.alternatives);
        let id = request.id;
        self.send(EngineCommand::Generate(request))?;
        Ok(id)
    }

    pub fn cancel(&self, id: RequestId) {
        let _ = self.commands.send(EngineCommand::Cancel { id });
    }
}

impl std::ops::Deref for Engine {
    type Target = EngineLink;

    fn deref(&self) -> &EngineLink {
        &self.link
    }
}

impl Engine {
    /// Starts the engine thread; events arrive on the returned channel.
    pub fn spawn() -> anyhow::Result<(Engine, tokio::sync::mpsc::UnboundedReceiver<EngineEvent>)> {
        Self::spawn_guarded(None, ThinkingConfig::default())
    }

    /// [`Engine::spawn`] with a content-safety guard applied to every request (see
    /// `crate::guard`); `None` is no guard.
    pub fn spawn_guarded(
        guard: Option<Arc<crate::guard::Guard>>,
        thinking: ThinkingConfig,
    ) -> anyhow::Result<(Engine, tokio::sync::mpsc::UnboundedReceiver<EngineEvent>)> {
        let (event_tx, event_rx) = tokio::sync::mpsc::unbounded_channel();
        let sink: worker::EventSink = Arc::new(move |event| {
            // The receiver may be gone while the program shuts down; nothing to do then.
            let _ = event_tx.send(event);
        });
        Ok((Self::start(sink, guard, thinking)?, event_rx))
    }

    /// Starts the engine with a custom event sink: a router thread that starts the local
    /// (llama.cpp) and the remote (HTTP) engine threads on first use (see `router`).
    pub fn spawn_with_sink(
        sink: Arc<dyn Fn(EngineEvent) + Send + Sync + 'static>,
    ) -> anyhow::Result<Engine> {
        Self::start(sink, None, ThinkingConfig::default())
    }

    fn start(
        sink: Arc<dyn Fn(EngineEvent) + Send + Sync + 'static>,
        guard: Option<Arc<crate::guard::Guard>>,
        thinking: ThinkingConfig,
    ) -> anyhow::Result<Engine> {
        let (command_tx, command_rx) = mpsc::channel();
        let loopback = (guard.as_ref())
            .and_then(|g| g.model_check())
            .map(|_| command_tx.clone());
        let thread = std::thread::Builder::new()
            .name("engine".into())
            .spawn(move || router::run(command_rx, loopback, sink, guard, &thinking))
            .context("cannot start the engine thread")?;
        Ok(Engine {
            link: EngineLink::new(command_tx),
            thread: Some(thread),
        })
    }

    /// A sender for the UI.
    pub fn link(&self) -> EngineLink {
        self.link.clone()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.link.commands.send(EngineCommand::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
