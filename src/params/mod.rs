//! Sampling and model parameters, with their bounds.
//!
//! One definition serves the command line, the config file, session files and the settings pane,
//! so every path validates the same way and reports the same message for an absurd value. The
//! structs are plain serde data; what each field means, allows and does lives in one table
//! ([`table::PARAMS`]).

mod table;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_files;

pub use table::{Access, Bounds, PARAMS, Param, Section, Unset, Value, find};

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use thiserror::Error;

/// A parameter outside its bounds.
#[derive(Debug, Error, PartialEq)]
#[error("{name} = {value} is out of range: {expected}")]
pub struct ParamError {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

/// How the next token is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SamplingParams {
    /// 0 means greedy (always the most likely token).
    pub temperature: f32,
    /// 0 disables top-k.
    pub top_k: i32,
    /// 1.0 disables top-p.
    pub top_p: f32,
    /// 0.0 disables min-p.
    pub min_p: f32,
    /// 1.0 disables the repeat penalty.
    pub repeat_penalty: f32,
    /// How many recent tokens the penalties look at.
    pub repeat_last_n: i32,
    pub presence_penalty: f32,
    pub frequency_penalty: f32,
    /// Upper bound on the reply length in tokens.
    pub max_tokens: u32,
    /// `None` picks a fresh random seed for each reply.
    pub seed: Option<u32>,
    /// The reply stops before the first occurrence of any of these.
    pub stop: Vec<String>,
}

impl Default for SamplingParams {
    fn default() -> Self {
        SamplingParams {
            temperature: 0.7,
            top_k: 40,
            top_p: 0.95,
            min_p: 0.05,
            repeat_penalty: 1.1,
            repeat_last_n: 64,
            presence_penalty: 0.0,
            frequency_penalty: 0.0,
            max_tokens: 1024,
            seed: None,
            stop: Vec::new(),
        }
    }
}

impl SamplingParams {
    /// Checks every value against its bounds (the table's); the first bad one is reported.
    pub fn validate(&self) -> Result<(), ParamError> {
        for param in PARAMS {
            if let Access::Sampling(get, _) = param.access {
                param.check(&get(self))?;
            }
        }
        Ok(())
    }
}

/// Whether llama.cpp computes attention with its fused flash-attention kernel.
///
/// `Auto` is ggchat's choice: off when every layer runs on an x86-64 CPU backend built without
/// AVX-512, where the fused kernel measured up to 30% slower once a chat holds a few hundred
/// tokens (docs/performance.md); otherwise llama.cpp's own automatic choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FlashAttention {
    #[default]
    Auto,
    On,
    Off,
}

impl FlashAttention {
    pub fn name(self) -> &'static str {
        match self {
            FlashAttention::Auto => "auto",
            FlashAttention::On => "on",
            FlashAttention::Off => "off",
        }
    }

    /// What `Auto` becomes for a model with `gpu_layers` layers offloaded, given whether the CPU
    /// backend's fused kernel is the slow one (x86-64 without AVX-512): `None` leaves the
    /// decision to llama.cpp.
    pub fn resolve(self, gpu_layers: u32, slow_cpu_kernel: bool) -> Option<bool> {
        match self {
            FlashAttention::On => Some(true),
            FlashAttention::Off => Some(false),
            FlashAttention::Auto if gpu_layers == 0 && slow_cpu_kernel => Some(false),
            FlashAttention::Auto => None,
        }
    }
}

impl std::str::FromStr for FlashAttention {
    type Err = ParamError;

    fn from_str(value: &str) -> Result<Self, ParamError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Ok(FlashAttention::Auto),
            "on" => Ok(FlashAttention::On),
            "off" => Ok(FlashAttention::Off),
            other => Err(ParamError {
                name: "flash_attention",
                value: other.to_owned(),
                expected: "auto, on or off",
            }),
        }
    }
}

/// How the model is loaded and its context created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelParams {
    /// Context size in tokens; `None` = the smaller of the model's trained context and 4096.
    pub ctx_size: Option<u32>,
    /// Layers to offload to the GPU; `None` = all with a GPU build, else 0.
    pub gpu_layers: Option<u32>,
    /// Threads for generation and prompt processing; `None` = physical cores.
    pub threads: Option<u32>,
    /// Prompt tokens evaluated per llama.cpp batch.
    pub batch_size: u32,
    /// Fused flash-attention kernel: auto, on or off.
    pub flash_attention: FlashAttention,
    /// Optional LoRA adapter.
    pub lora_path: Option<PathBuf>,
    pub lora_scale: f32,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            ctx_size: None,
            gpu_layers: None,
            threads: None,
            batch_size: 512,
            flash_attention: FlashAttention::Auto,
            lora_path: None,
            lora_scale: 1.0,
        }
    }
}

/// The context size used when none is configured and the model trained on a longer one.
pub const DEFAULT_MAX_CTX: u32 = 4096;

impl ModelParams {
    /// Checks every value against its bounds (the table's); the first bad one is reported.
    pub fn validate(&self) -> Result<(), ParamError> {
        for param in PARAMS {
            if let Access::Model(get, _) = param.access {
                param.check(&get(self))?;
            }
        }
        Ok(())
    }

    /// The context size to create, given what the model was trained on.
    pub fn effective_ctx_size(&self, trained: u32) -> u32 {
        match self.ctx_size {
            Some(n) => n,
            None if trained == 0 => DEFAULT_MAX_CTX,
            None => trained.min(DEFAULT_MAX_CTX),
        }
    }

    pub fn effective_threads(&self) -> u32 {
        self.threads
            .unwrap_or_else(|| u32::try_from(num_cpus::get_physical()).unwrap_or(1).max(1))
    }

    pub fn effective_gpu_layers(&self) -> u32 {
        self.gpu_layers.unwrap_or(
            if cfg!(any(feature = "cuda", feature = "metal", feature = "vulkan")) {
                u32::MAX
            } else {
                0
            },
        )
    }
}
