//! The messages between the program and the engine thread.
//!
//! One enum per direction. Every request carries an id chosen by the sender; every event names the
//! request it answers, so the UI can drop stale events (a reply to a cancelled or replaced request)
//! without any shared state.

use crate::chat::{Message, ReplyStats};
use crate::params::{ModelParams, SamplingParams};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Identifies one load or generation request.
pub type RequestId = u64;

/// How the chat template should be chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateChoice {
    /// The model's own template from its GGUF metadata, else ChatML.
    #[default]
    FromModel,
    /// A template forced by name (a llama.cpp built-in such as `chatml`, `llama3`, `gemma`) or by
    /// a path to a Jinja file.
    Named(String),
}

/// Commands to the engine thread.
#[derive(Debug, Clone)]
pub enum EngineCommand {
    /// Load (or switch to) a model. A failure keeps the model that was running.
    LoadModel {
        id: RequestId,
        path: PathBuf,
        params: ModelParams,
        template: TemplateChoice,
    },
    /// Generate the next assistant reply for `messages` (system prompt first, if any).
    Generate(GenerateRequest),
    /// Measure raw speed like llama.cpp's `llama-bench`: evaluate `prompt_tokens` tokens in
    /// batches, then generate `gen_tokens` one at a time, from an empty cache.
    Bench {
        id: RequestId,
        prompt_tokens: usize,
        gen_tokens: usize,
    },
    /// Stop the generation `id` as soon as possible (within one token).
    Cancel { id: RequestId },
    /// Switch to a remote OpenAI-compatible server (answered like a load: `ModelLoaded` once the
    /// server answered, `LoadFailed` otherwise, keeping the engine that was running).
    Connect {
        id: RequestId,
        target: crate::remote::RemoteTarget,
    },
    /// Stop the thread.
    Shutdown,
}

/// One reply to generate.
#[derive(Debug, Clone)]
pub struct GenerateRequest {
    pub id: RequestId,
    pub messages: Vec<Message>,
    pub sampling: SamplingParams,
    /// When the last message is an assistant message, continue it instead of starting a new reply.
    pub continue_last: bool,
    /// /v1/completions: this text, tokenized as is with the model's BOS, replaces the templated
    /// messages.
    pub raw_prompt: Option<String>,
    /// Reuse the KV cache prefix (switched off only to measure what reuse saves).
    pub reuse_cache: bool,
    /// The shape of a measured request: set by `ggchat bench`, and by `ggchat serve` for
    /// llama.cpp's `ignore_eos` extra. Never set by the chat or `ask`.
    pub bench: Option<BenchShape>,
    /// How many replies to generate from this one prompt (1..=[`MAX_ALTERNATIVES`]): the prompt
    /// is evaluated once and its KV cells are shared with the other sequences
    /// (`crate::engine::scheduler::fanout`). Alternative `k` is reported under the id `id + k`
    /// (see [`GenerateRequest::alternative_ids`]); a `Cancel` of `id` stops all of them.
    pub alternatives: u8,
    /// The session this request continues: its KV snapshot is loaded when no slot holds it, and
    /// saved when the engine is idle (`crate::engine::snapshot`). Only the chat sets it.
    pub snapshot: Option<super::snapshot::SnapshotRef>,
    /// The thinking budget with the reasoning tags, set by the router from
    /// `sampling.thinking_budget` (see `super::budget`).
    pub thinking_budget: Option<super::budget::BudgetSpec>,
    /// A GBNF grammar the reply must follow (the guard's model check, see `super::model_check`);
    /// a local engine only. The prompt's tokens then skip the sampler's history.
    pub grammar: Option<String>,
}

/// The most replies one request may ask for ("regenerate ×N", OpenAI's `n`).
pub const MAX_ALTERNATIVES: u8 = 4;

impl GenerateRequest {
    /// A plain chat request: a new reply to `messages`, reusing the KV cache. Other fields are set
    /// with struct-update syntax (`GenerateRequest { continue_last: true, ..GenerateRequest::new(..) }`)
    /// so that a new field touches one place.
    pub fn new(messages: Vec<Message>, sampling: SamplingParams) -> Self {
        Self {
            id: 0,
            messages,
            sampling,
            continue_last: false,
            raw_prompt: None,
            reuse_cache: true,
            bench: None,
            alternatives: 1,
            snapshot: None,
            thinking_budget: None,
            grammar: None,
        }
    }

    /// The ids the request's replies are reported under: `id` for the first, then `id + 1`..
    /// (the sender reserves them, see `EngineLink::generate`).
    pub fn alternative_ids(&self) -> std::ops::Range<RequestId> {
        self.id..self.id + RequestId::from(self.alternatives.max(1))
    }
}

/// How `ggchat bench` bends a request to `llama-bench`'s terms while it still runs the whole
/// generation path (sampler chain, detokenizer, stop strings, events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BenchShape {
    /// A fixed prompt of this many tokens spread over the vocabulary replaces the templated
    /// messages; `None` keeps the messages. Either way it is evaluated from an empty cache.
    pub prompt_tokens: Option<usize>,
    /// End-of-generation tokens do not stop the reply (like llama.cpp's `--ignore-eos`), so it
    /// always runs to `max_tokens`.
    pub ignore_eog: bool,
}

/// Where the chat template came from, shown in the loaded-model information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TemplateSource {
    /// The model's template, recognised by llama.cpp's built-in template engine.
    ModelBuiltin,
    /// The model's template, rendered by the Jinja engine because llama.cpp does not know it.
    ModelJinja,
    /// The model has no template; a named default is used.
    Fallback { name: String },
    /// Forced by config or command line.
    Forced { name: String },
}

impl std::fmt::Display for TemplateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateSource::ModelBuiltin => write!(f, "model template (llama.cpp built-in)"),
            TemplateSource::ModelJinja => write!(f, "model template (Jinja)"),
            TemplateSource::Fallback { name } => {
                write!(f, "{name} (fallback: the model has no chat template)")
            }
            TemplateSource::Forced { name } => write!(f, "{name} (forced)"),
        }
    }
}

/// What is known about the loaded model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub path: PathBuf,
    /// Display name (GGUF `general.name`, else the file stem).
    pub name: String,
    pub architecture: String,
    pub parameter_count: u64,
    pub quantization: String,
    pub file_size: u64,
    pub trained_ctx: u32,
    /// The context size actually created.
    pub ctx_size: u32,
    pub batch_size: u32,
    pub threads: u32,
    /// Layers offloaded to a GPU device (0 when everything runs on the CPU).
    pub gpu_layers: u32,
    /// Where the layers run: "CPU", or e.g. "Vulkan0 31/31 layers".
    #[serde(default)]
    pub offload: String,
    /// Something the user should know about this load (e.g. GPU layers that have no effect).
    #[serde(default)]
    pub notice: Option<String>,
    /// Flash attention as created: "on", "off", or "auto" when llama.cpp decides.
    pub flash_attention: String,
    pub template: TemplateSource,
    /// What the chat template appends to open the model's turn (e.g. `<|im_start|>assistant\n`);
    /// a reasoning start tag at its end makes replies start as reasoning. Empty when unknown.
    #[serde(default)]
    pub generation_prompt: String,
    /// With a template that has a thinking switch: its generation prompt with thinking on and
    /// with thinking off (see `thinking`, `crate::params::ThinkingSwitch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking_prompts: Option<(String, String)>,
    pub load_ms: f64,
    /// Set when the model runs on a remote server; the GGUF figures above are then unknown (0)
    /// and shown as not available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteModel>,
}

/// A model served by a remote backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemoteModel {
    /// The `[backends.NAME]` name, `None` for a bare URL.
    pub backend: Option<String>,
    pub url: String,
    /// The server's model id.
    pub model: String,
    /// Every model id the server offers.
    pub offered: Vec<String>,
}

/// Events from the engine thread.
#[derive(Debug, Clone)]
pub enum EngineEvent {
    /// Model loading progress, 0.0 to 1.0.
    LoadProgress {
        id: RequestId,
        fraction: f32,
    },
    ModelLoaded {
        id: RequestId,
        info: ModelInfo,
    },
    LoadFailed {
        id: RequestId,
        error: super::EngineError,
    },
    /// The prompt is ready and generation begins.
    Started {
        id: RequestId,
        prompt_tokens: usize,
        dropped_turns: usize,
        /// Something the user should know about this prompt (e.g. a template fallback).
        notice: Option<String>,
    },
    /// Next piece of the reply: always whole UTF-8 characters.
    Token {
        id: RequestId,
        text: String,
    },
    /// Next piece of the model's reasoning, kept apart from the reply (split from the reply's text
    /// by the router, or sent apart by a remote server).
    Reasoning {
        id: RequestId,
        text: String,
    },
    /// What the content-safety guard did to the request (only with a guard configured).
    Guarded {
        id: RequestId,
        note: GuardNote,
    },
    Finished {
        id: RequestId,
        stats: ReplyStats,
    },
    Failed {
        id: RequestId,
        error: super::EngineError,
    },
    BenchDone {
        id: RequestId,
        result: BenchResult,
    },
}

/// What the content-safety guard did (see `crate::guard`). The reply's own text already carries
/// the masks; this says which categories matched, for the marks shown and stored with messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuardNote {
    /// The request's last user message matched. `text` is that message as sent, with redacted
    /// matches masked. With a `block` mark it was not sent at all: the request ends at once with
    /// `Finished` and stop reason `content_filter`.
    Input {
        marks: Vec<crate::guard::GuardMark>,
        text: String,
    },
    /// The reply matched this category (reported once per category and action). A `block` mark
    /// stopped the reply there: it ends with stop reason `content_filter`.
    Output { mark: crate::guard::GuardMark },
    /// The model check's verdict on the message or the reply (with `[guard] model_check`). An
    /// unsafe verdict also comes as an `Input` or `Output` mark; a check that timed out or failed
    /// let the text pass unchecked.
    ModelCheck {
        stage: crate::guard::check::Stage,
        result: crate::guard::CheckResult,
    },
}

/// Raw speed figures in the form of `llama-bench`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BenchResult {
    pub prompt_tokens: usize,
    pub prompt_tokens_per_second: f64,
    pub gen_tokens: usize,
    pub gen_tokens_per_second: f64,
}

impl EngineEvent {
    /// The request this event belongs to.
    pub fn request_id(&self) -> RequestId {
        match self {
            EngineEvent::LoadProgress { id, .. }
            | EngineEvent::ModelLoaded { id, .. }
            | EngineEvent::LoadFailed { id, .. }
            | EngineEvent::Started { id, .. }
            | EngineEvent::Token { id, .. }
            | EngineEvent::Reasoning { id, .. }
            | EngineEvent::Guarded { id, .. }
            | EngineEvent::Finished { id, .. }
            | EngineEvent::Failed { id, .. }
            | EngineEvent::BenchDone { id, .. } => *id,
        }
    }
}
