//! A synchronous face of the engine for headless use: `ggchat ask`, `ggchat bench`, examples and
//! tests. It waits for the events of one request at a time and ignores stale ones.

mod alternatives;

use super::Engine;
use super::messages::{
    BenchResult, BenchShape, EngineCommand, EngineEvent, GenerateRequest, GuardNote, ModelInfo,
    RequestId, TemplateChoice,
};
use crate::chat::{Message, ReplyStats};
use crate::params::{ModelParams, SamplingParams};
use anyhow::{Result, anyhow, bail};
use std::path::Path;
use tokio::sync::mpsc::UnboundedReceiver;

/// What the token callback wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Cancel,
}

/// A finished reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub text: String,
    pub stats: ReplyStats,
    /// Tokens in the prompt, after dropping turns that did not fit.
    pub prompt_tokens: usize,
    /// What the engine reported about the prompt (e.g. a chat-template fallback).
    pub notice: Option<String>,
    /// Reasoning text a remote server sent apart from the reply.
    pub reasoning: String,
    /// What the content-safety guard did, in order.
    pub guard: Vec<GuardNote>,
}

/// The engine, driven one request at a time.
pub struct BlockingEngine {
    engine: Engine,
    events: UnboundedReceiver<EngineEvent>,
}

impl BlockingEngine {
    pub fn start() -> Result<Self> {
        Self::start_guarded(None, super::ThinkingConfig::default())
    }

    /// Starts the engine with a content-safety guard (`None`: none) and reasoning settings.
    pub fn start_guarded(
        guard: Option<std::sync::Arc<crate::guard::Guard>>,
        thinking: super::ThinkingConfig,
    ) -> Result<Self> {
        let (engine, events) = Engine::spawn_guarded(guard, thinking)?;
        Ok(BlockingEngine { engine, events })
    }

    fn next_event(&mut self) -> Result<EngineEvent> {
        self.events
            .blocking_recv()
            .ok_or_else(|| anyhow!("the engine thread stopped unexpectedly (see the log file)"))
    }

    /// Loads a model and waits until it is ready; `on_progress` sees fractions 0..=1.
    pub fn load(
        &mut self,
        path: &Path,
        params: &ModelParams,
        template: &TemplateChoice,
        mut on_progress: impl FnMut(f32),
    ) -> Result<ModelInfo> {
        let id = self
            .engine
            .load(path.to_owned(), params.clone(), template.clone())?;
        loop {
            match self.next_event()? {
                EngineEvent::LoadProgress { id: got, fraction } if got == id => {
                    on_progress(fraction)
                }
                EngineEvent::ModelLoaded { id: got, info } if got == id => return Ok(info),
                EngineEvent::LoadFailed { id: got, error } if got == id => bail!(error),
                _ => {}
            }
        }
    }

    /// Connects to a remote backend and waits until it answered.
    pub fn connect(&mut self, target: crate::remote::RemoteTarget) -> Result<ModelInfo> {
        let id = self.engine.connect(target)?;
        loop {
            match self.next_event()? {
                EngineEvent::ModelLoaded { id: got, info } if got == id => return Ok(info),
                EngineEvent::LoadFailed { id: got, error } if got == id => bail!(error),
                _ => {}
            }
        }
    }

    /// Loads the model the setup names, or connects to its `--backend`.
    pub fn open(&mut self, setup: &crate::setup::Setup) -> Result<ModelInfo> {
        match setup.remote()? {
            Some(target) => self.connect(target),
            None => {
                let path = setup.model_path()?;
                self.load(&path, &setup.config.model, &setup.template(), |_| {})
            }
        }
    }

    /// Generates one reply, calling `on_token` with each piece of text as it arrives.
    pub fn generate(
        &mut self,
        messages: Vec<Message>,
        sampling: &SamplingParams,
        continue_last: bool,
        reuse_cache: bool,
        on_token: impl FnMut(&str) -> Flow,
    ) -> Result<Reply> {
        self.run(
            GenerateRequest {
                continue_last,
                reuse_cache,
                ..GenerateRequest::new(messages, sampling.clone())
            },
            on_token,
        )
    }

    /// One benchmark request through the same path as a reply: a fixed prompt of
    /// `prompt_tokens` from an empty cache, then exactly `sampling.max_tokens` tokens sampled,
    /// detokenized and streamed (end-of-generation tokens do not stop it).
    pub fn bench_generate(
        &mut self,
        prompt_tokens: usize,
        sampling: &SamplingParams,
    ) -> Result<Reply> {
        self.run(
            GenerateRequest {
                reuse_cache: false,
                bench: Some(BenchShape {
                    prompt_tokens: Some(prompt_tokens),
                    ignore_eog: true,
                }),
                ..GenerateRequest::new(Vec::new(), sampling.clone())
            },
            |_| Flow::Continue,
        )
    }

    /// [`BlockingEngine::generate`] that also calls `on_reasoning` with each piece of the
    /// model's reasoning as it arrives.
    pub fn generate_thinking(
        &mut self,
        messages: Vec<Message>,
        sampling: &SamplingParams,
        on_reasoning: impl FnMut(&str),
        on_token: impl FnMut(&str) -> Flow,
    ) -> Result<Reply> {
        let request = GenerateRequest::new(messages, sampling.clone());
        self.run_split(request, on_reasoning, on_token)
    }

    /// Runs any request and waits for its reply.
    pub fn run(
        &mut self,
        request: GenerateRequest,
        on_token: impl FnMut(&str) -> Flow,
    ) -> Result<Reply> {
        self.run_split(request, |_| {}, on_token)
    }

    fn run_split(
        &mut self,
        request: GenerateRequest,
        mut on_reasoning: impl FnMut(&str),
        mut on_token: impl FnMut(&str) -> Flow,
    ) -> Result<Reply> {
        let id = self.engine.generate(request)?;
        let mut text = String::new();
        let mut reasoning = String::new();
        let mut prompt_tokens = 0;
        let mut notice = None;
        let mut guard = Vec::new();
        let mut cancelled = false;
        loop {
            match self.next_event()? {
                event if event.request_id() != id => {}
                EngineEvent::Started {
                    prompt_tokens: n,
                    notice: reported,
                    ..
                } => {
                    prompt_tokens = n;
                    notice = reported;
                }
                EngineEvent::Token { text: piece, .. } => {
                    text.push_str(&piece);
                    if !cancelled && on_token(&piece) == Flow::Cancel {
                        cancelled = true;
                        self.engine.cancel(id);
                    }
                }
                EngineEvent::Reasoning { text: piece, .. } => {
                    on_reasoning(&piece);
                    reasoning.push_str(&piece);
                }
                EngineEvent::Guarded { note, .. } => guard.push(note),
                EngineEvent::Finished { stats, .. } => {
                    // A remote server counts the prompt only at the end.
                    if prompt_tokens == 0 {
                        prompt_tokens = stats.prompt_tokens_evaluated + stats.prompt_tokens_reused;
                    }
                    return Ok(Reply {
                        text,
                        stats,
                        prompt_tokens,
                        notice,
                        reasoning,
                        guard,
                    });
                }
                EngineEvent::Failed { error, .. } => bail!(error),
                _ => {}
            }
        }
    }

    /// `llama-bench`-style raw speed.
    pub fn bench(&mut self, prompt_tokens: usize, gen_tokens: usize) -> Result<BenchResult> {
        let id: RequestId = self.engine.next_id();
        self.engine.send(EngineCommand::Bench {
            id,
            prompt_tokens,
            gen_tokens,
        })?;
        loop {
            match self.next_event()? {
                EngineEvent::BenchDone { id: got, result } if got == id => return Ok(result),
                EngineEvent::Failed { id: got, error } if got == id => bail!(error),
                _ => {}
            }
        }
    }

    /// Sends a cancel for a request from another place (e.g. a test's timer).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}
