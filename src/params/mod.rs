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
mod thinking;

pub use table::{Access, Bounds, PARAMS, Param, Section, Unset, Value, find};
pub use thinking::ThinkingSwitch;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use thiserror::Error;

/// A parameter outside its bounds.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{name} = {value} is out of range: {expected}")]
pub struct ParamError {
    pub name: &'static str,
    pub value: String,
    pub expected: &'static str,
}

impl ParamError {
    /// The error worded in the interface language: the allowed range comes from the message
    /// `param-range-NAME` (the table's `range` in English), the value as it was given.
    pub fn localized(&self) -> String {
        let range_id = format!("param-range-{}", self.name);
        let range = crate::i18n::text(&range_id, &[]);
        let expected = if range == range_id {
            self.expected.to_owned()
        } else {
            range
        };
        crate::tr!(
            "param-out-of-range",
            name = self.name,
            value = self.value.as_str(),
            expected = expected
        )
    }
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
    /// Thinking on or off, where the chat template has a switch for it; `auto`: its default.
    pub thinking: ThinkingSwitch,
    /// Reasoning tokens after which the end tag is put in so the model answers; `None`: no limit.
    pub thinking_budget: Option<u32>,
    /// How many replies the chat's "regenerate ×N" (Alt+R) asks for at once (2 to 4).
    pub alternatives: u32,
    /// Where guessed tokens come from (speculative decoding; the output does not change).
    pub speculation: Speculation,
    /// Guess at most this many tokens per step, always; `None` adapts the length.
    pub draft_max: Option<u32>,
    /// The longest n-gram that prompt lookup matches.
    pub lookup_ngram: u32,
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
            thinking: ThinkingSwitch::Auto,
            thinking_budget: None,
            alternatives: 3,
            speculation: Speculation::Off,
            draft_max: None,
            lookup_ngram: 3,
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

/// Where speculative decoding takes its guesses from (`crate::engine::speculation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Speculation {
    /// Plain decoding, one token per step.
    #[default]
    Off,
    /// Prompt lookup: the tokens that followed the same n-gram earlier in the conversation.
    Lookup,
    /// A smaller draft model with the same vocabulary.
    Draft,
}

impl Speculation {
    pub fn name(self) -> &'static str {
        match self {
            Speculation::Off => "off",
            Speculation::Lookup => "lookup",
            Speculation::Draft => "draft",
        }
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

impl std::str::FromStr for Speculation {
    type Err = ParamError;

    fn from_str(value: &str) -> Result<Self, ParamError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(Speculation::Off),
            "lookup" => Ok(Speculation::Lookup),
            "draft" => Ok(Speculation::Draft),
            other => Err(ParamError {
                name: "speculation",
                value: other.to_owned(),
                expected: "off, lookup or draft",
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
    /// A smaller model with the same vocabulary that guesses tokens for `speculation = draft`.
    pub draft_model: Option<PathBuf>,
    /// Sequences decoded together in one context (`ggchat serve --parallel`); the chat and `ask`
    /// use 1. Not a setting: never read from or written to a file.
    #[serde(skip, default = "one_slot")]
    pub parallel: u32,
    /// One KV cache shared by every slot (`ggchat serve --kv-unified`): any slot can reach the
    /// whole context, but a reply then depends on its neighbours' rounding (see
    /// `crate::engine::scheduler`). Off: each slot has `ctx / parallel` cells of its own.
    #[serde(skip)]
    pub kv_unified: bool,
}

fn one_slot() -> u32 {
    1
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
            draft_model: None,
            parallel: 1,
            kv_unified: false,
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

#[cfg(test)]
mod localized_tests {
    use super::*;
    use crate::i18n::{Lang, text_in};

    /// The table's English ranges and the messages that translate them stay in step.
    #[test]
    fn every_range_has_its_message_in_both_languages() {
        for param in PARAMS.iter().filter(|p| !p.range.is_empty()) {
            let id = format!("param-range-{}", param.name);
            assert_eq!(text_in(Lang::En, &id, &[]), param.range, "{id}");
            let zh = text_in(Lang::ZhCn, &id, &[]);
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{id} is not translated: {zh}"
            );
        }
    }

    #[test]
    fn an_out_of_range_value_is_worded_in_both_languages() {
        let e = ParamError {
            name: "temperature",
            value: "9".into(),
            expected: "0 to 5 (0 = greedy)",
        };
        let zh = crate::i18n::check::assert_translated(|| e.localized(), &["temperature = 9"]);
        assert!(zh.contains("贪心"), "{zh}");
        let en = crate::i18n::with_language(Lang::En, || e.localized());
        assert_eq!(en, e.to_string());
    }
}
