//! Loading a model: validate the file in safe Rust, then hand it to llama.cpp with progress.
//!
//! llama.cpp's own GGUF parser has had memory-safety bugs on crafted files, and its errors on a
//! bad file are a NULL pointer plus a log line. So `crate::gguf` checks the header first and
//! produces an error that names the file and what is wrong with it.

use super::messages::{EngineEvent, ModelInfo, RequestId, TemplateChoice};
use super::offload::{self, Offload};
use super::template::{ChatTemplate, TemplateError};
use crate::gguf::{self, GgufError, ModelSummary};
use crate::params::{ModelParams, ParamError, ThinkingSwitch};
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Instant;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum LoadError {
    #[error(transparent)]
    Invalid(#[from] GgufError),
    #[error(transparent)]
    Params(#[from] ParamError),
    #[error(
        "llama.cpp could not load the model {path}: {reason} (see the log file for llama.cpp's \
         own message; the file may use an architecture or quantization this build does not \
         support)"
    )]
    LlamaCpp { path: PathBuf, reason: String },
    #[error("cannot load the LoRA adapter {path}: {reason}")]
    Lora { path: PathBuf, reason: String },
    #[error(
        "{path} is a LoRA adapter, not a model: load a model and pass the adapter with --lora \
         (or the lora_path setting)"
    )]
    AdapterAsModel { path: PathBuf },
    #[error(
        "cannot create a context of {ctx_size} tokens for {path}: {reason} (try a smaller \
         --ctx-size)"
    )]
    Context {
        path: PathBuf,
        ctx_size: u32,
        reason: String,
    },
    #[error("chat template: {0}")]
    Template(#[from] TemplateError),
    #[error("cannot use {} as a draft model for {}: {reason}", .draft.display(), .model.display())]
    Draft {
        model: PathBuf,
        draft: PathBuf,
        reason: String,
    },
}

/// A model in memory with everything needed to create contexts for it.
pub struct LoadedModel {
    pub model: LlamaModel,
    pub lora: Option<llama_cpp_2::model::LlamaLoraAdapter>,
    /// The draft model for `speculation = draft` (`ModelParams::draft_model`), checked to share
    /// the model's vocabulary.
    pub draft: Option<LlamaModel>,
    pub template: ChatTemplate,
    pub params: ModelParams,
    pub summary: ModelSummary,
    pub load_ms: f64,
    /// Where the layers run, decided when the model was loaded.
    pub offload: Offload,
}

/// Validates and loads `path`, sending `LoadProgress` events through `emit`.
pub fn load_model(
    backend: &LlamaBackend,
    id: RequestId,
    path: &Path,
    params: &ModelParams,
    template: &TemplateChoice,
    emit: impl Fn(EngineEvent) + Send + 'static,
) -> Result<LoadedModel, LoadError> {
    let started = Instant::now();
    params.validate()?;
    let summary = gguf::summarize(path)?;
    if summary.is_adapter {
        return Err(LoadError::AdapterAsModel {
            path: path.to_owned(),
        });
    }
    let gpu_layers = params.effective_gpu_layers();
    let mut last_percent = -1i32;
    let model_params = LlamaModelParams::default()
        .with_n_gpu_layers(gpu_layers)
        .with_progress_callback(move |fraction| {
            let percent = (fraction * 100.0) as i32;
            if percent != last_percent {
                last_percent = percent;
                emit(EngineEvent::LoadProgress { id, fraction });
            }
            true
        });
    let mut model = LlamaModel::load_from_file(backend, path, &model_params).map_err(|e| {
        LoadError::LlamaCpp {
            path: path.to_owned(),
            reason: e.to_string(),
        }
    })?;
    let lora = match &params.lora_path {
        None => None,
        Some(lora_path) => {
            let lora_error = |reason: String| LoadError::Lora {
                path: lora_path.clone(),
                reason,
            };
            let adapter = gguf::summarize(lora_path).map_err(|e| lora_error(e.to_string()))?;
            if !adapter.is_adapter {
                return Err(lora_error(
                    "it is a model, not an adapter (its general.type is not \"adapter\")".into(),
                ));
            }
            Some(model.lora_adapter_init(lora_path).map_err(|e| {
                lora_error(format!(
                    "llama.cpp refused it ({e}): it was probably made for another model (its \
                         architecture or tensor shapes differ); llama.cpp's reason is in the log"
                ))
            })?)
        }
    };
    let draft = match &params.draft_model {
        None => None,
        Some(draft_path) => Some(load_draft(backend, path, draft_path, &model, gpu_layers)?),
    };
    let template = ChatTemplate::resolve(&model, template)?;
    let offload = Offload::plan(gpu_layers, model.n_layer(), offload::gpu_devices());
    Ok(LoadedModel {
        model,
        lora,
        draft,
        template,
        params: params.clone(),
        summary,
        load_ms: started.elapsed().as_secs_f64() * 1000.0,
        offload,
    })
}

/// Loads `draft_path` as the draft model of `main` (loaded from `path`): a model, not recurrent,
/// with `main`'s vocabulary; anything else is refused with both files named.
fn load_draft(
    backend: &LlamaBackend,
    path: &Path,
    draft_path: &Path,
    main: &LlamaModel,
    gpu_layers: u32,
) -> Result<LlamaModel, LoadError> {
    let refuse = |reason: String| LoadError::Draft {
        model: path.to_owned(),
        draft: draft_path.to_owned(),
        reason,
    };
    let summary = gguf::summarize(draft_path).map_err(|e| refuse(e.to_string()))?;
    if summary.is_adapter {
        return Err(refuse(
            "it is a LoRA adapter, not a model (pass adapters with --lora)".into(),
        ));
    }
    let draft_params = LlamaModelParams::default().with_n_gpu_layers(gpu_layers);
    let draft = LlamaModel::load_from_file(backend, draft_path, &draft_params).map_err(|e| {
        refuse(format!(
            "llama.cpp could not load it ({e}; its own message is in the log file)"
        ))
    })?;
    if draft.is_recurrent() || draft.is_hybrid() {
        return Err(refuse(
            "it is a recurrent model, which cannot drop rejected guesses; pick a transformer \
             model or use --speculation lookup"
                .into(),
        ));
    }
    super::speculation::draft::check_vocab(main, &draft).map_err(|detail| {
        refuse(format!(
            "the vocabularies differ ({detail}); a draft model must use the model's tokenizer \
             (a smaller model of the same family), or use --speculation lookup"
        ))
    })?;
    Ok(draft)
}

/// True when llama.cpp's CPU flash-attention kernel is the slower path for chat: an x86-64 build of
/// ggml without AVX-512 (docs/performance.md; with AVX-512 the fused kernel generates as fast).
fn slow_cpu_flash_attention() -> bool {
    // SAFETY: ggml_cpu_has_avx512 takes nothing and returns a flag fixed when ggml was compiled.
    let avx512 = unsafe { llama_cpp_sys_2::ggml_cpu_has_avx512() } != 0;
    cfg!(target_arch = "x86_64") && !avx512
}

impl LoadedModel {
    pub fn ctx_size(&self) -> u32 {
        self.params.effective_ctx_size(self.model.n_ctx_train())
    }

    /// Flash attention for this model's context; `None` lets llama.cpp decide. The layers that
    /// count are those actually offloaded: GPU layers asked of a build or machine without a GPU
    /// device leave every layer on the CPU, and so the CPU decision.
    fn flash_attention(&self) -> Option<bool> {
        self.offload
            .flash_attention(self.params.flash_attention, slow_cpu_flash_attention())
    }

    /// The scheduler's slots (sequences in the context).
    pub fn slots(&self) -> usize {
        self.params.parallel.max(1) as usize
    }

    /// llama.cpp's context parameters for this model and its settings.
    ///
    /// Each slot gets its own `ctx / slots` KV cells unless `kv_unified` shares them all (see
    /// `crate::engine::scheduler` for why that is not the default). A batch holds at least one
    /// token per slot.
    pub fn context_params(&self) -> LlamaContextParams {
        let threads = self.params.effective_threads() as i32;
        let slots = self.slots() as u32;
        let batch = self.params.batch_size.min(self.ctx_size()).max(slots);
        LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(self.ctx_size()))
            .with_n_batch(batch)
            .with_n_ubatch(batch)
            .with_n_seq_max(slots)
            .with_kv_unified(self.params.kv_unified)
            .with_n_threads(threads)
            .with_n_threads_batch(threads)
            .with_flash_attention_policy(match self.flash_attention() {
                Some(true) => llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_ENABLED,
                Some(false) => llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED,
                None => llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_AUTO,
            })
    }

    pub fn context_error(&self, reason: impl ToString) -> LoadError {
        LoadError::Context {
            path: self.summary.path.clone(),
            ctx_size: self.ctx_size(),
            reason: reason.to_string(),
        }
    }

    /// The text the template adds to open the assistant's turn: a short conversation rendered
    /// with and without it.
    fn generation_prompt(&self, thinking: ThinkingSwitch) -> String {
        let probe = [
            crate::chat::Message::system("s"),
            crate::chat::Message::user("u"),
        ];
        let open = self.template.render(&self.model, &probe, true, thinking);
        let closed = self.template.render(&self.model, &probe, false, thinking);
        match (open, closed) {
            (Ok(open), Ok(closed)) => open.strip_prefix(&closed).unwrap_or_default().to_owned(),
            _ => String::new(),
        }
    }

    pub fn info(&self) -> ModelInfo {
        ModelInfo {
            path: self.summary.path.clone(),
            name: self.summary.name.clone(),
            architecture: self.summary.architecture.clone(),
            parameter_count: self.model.n_params(),
            quantization: self.summary.quantization.clone(),
            file_size: self.summary.file_size,
            trained_ctx: self.model.n_ctx_train(),
            ctx_size: self.ctx_size(),
            batch_size: self.params.batch_size.min(self.ctx_size()),
            threads: self.params.effective_threads(),
            gpu_layers: self.offload.layers,
            offload: self.offload.describe(),
            notice: self.offload.notice(self.params.effective_gpu_layers()),
            flash_attention: match self.flash_attention() {
                Some(true) => "on",
                Some(false) => "off",
                None => "auto",
            }
            .to_owned(),
            template: self.template.source.clone(),
            generation_prompt: self.generation_prompt(ThinkingSwitch::Auto),
            thinking_prompts: self.template.thinking_switch().map(|_| {
                (
                    self.generation_prompt(ThinkingSwitch::On),
                    self.generation_prompt(ThinkingSwitch::Off),
                )
            }),
            load_ms: self.load_ms,
            remote: None,
        }
    }
}
