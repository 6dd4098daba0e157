//! Sampling and model parameters, with their bounds.
//!
//! One definition serves the command line, the config file, session files and the settings pane,
//! so every path validates the same way and reports the same message for an absurd value.

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

fn check(
    ok: bool,
    name: &'static str,
    value: impl ToString,
    expected: &'static str,
) -> Result<(), ParamError> {
    if ok {
        Ok(())
    } else {
        Err(ParamError {
            name,
            value: value.to_string(),
            expected,
        })
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
    /// Checks every value against its bounds.
    pub fn validate(&self) -> Result<(), ParamError> {
        let t = self.temperature;
        check(
            t.is_finite() && (0.0..=5.0).contains(&t),
            "temperature",
            t,
            "0 to 5 (0 = greedy)",
        )?;
        check(
            (0..=100_000).contains(&self.top_k),
            "top_k",
            self.top_k,
            "0 to 100000 (0 = off)",
        )?;
        let p = self.top_p;
        check(
            p.is_finite() && p > 0.0 && p <= 1.0,
            "top_p",
            p,
            "above 0 and at most 1 (1 = off)",
        )?;
        let m = self.min_p;
        check(
            m.is_finite() && (0.0..=1.0).contains(&m),
            "min_p",
            m,
            "0 to 1 (0 = off)",
        )?;
        let r = self.repeat_penalty;
        check(
            r.is_finite() && (0.1..=5.0).contains(&r),
            "repeat_penalty",
            r,
            "0.1 to 5 (1 = off)",
        )?;
        check(
            (0..=65_536).contains(&self.repeat_last_n),
            "repeat_last_n",
            self.repeat_last_n,
            "0 to 65536",
        )?;
        for (name, v) in [
            ("presence_penalty", self.presence_penalty),
            ("frequency_penalty", self.frequency_penalty),
        ] {
            check(
                v.is_finite() && (-2.0..=2.0).contains(&v),
                name,
                v,
                "-2 to 2 (0 = off)",
            )?;
        }
        check(
            (1..=1_000_000).contains(&self.max_tokens),
            "max_tokens",
            self.max_tokens,
            "1 to 1000000",
        )?;
        check(
            self.stop.iter().all(|s| !s.is_empty()),
            "stop",
            format!("{:?}", self.stop),
            "non-empty strings",
        )?;
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
    pub fn validate(&self) -> Result<(), ParamError> {
        if let Some(n) = self.ctx_size {
            // llama.cpp rounds contexts up to a multiple of 256.
            check(
                (256..=1_048_576).contains(&n),
                "ctx_size",
                n,
                "256 to 1048576 tokens",
            )?;
        }
        if let Some(n) = self.gpu_layers {
            check(n <= 10_000, "gpu_layers", n, "0 to 10000")?;
        }
        if let Some(n) = self.threads {
            check((1..=1024).contains(&n), "threads", n, "1 to 1024")?;
        }
        check(
            (16..=65_536).contains(&self.batch_size),
            "batch_size",
            self.batch_size,
            "16 to 65536",
        )?;
        let s = self.lora_scale;
        check(
            s.is_finite() && (-10.0..=10.0).contains(&s),
            "lora_scale",
            s,
            "-10 to 10",
        )?;
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
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        SamplingParams::default().validate().unwrap();
        ModelParams::default().validate().unwrap();
    }

    #[test]
    fn flash_attention_auto_is_off_only_where_the_fused_cpu_kernel_is_slow() {
        use FlashAttention::*;
        // (setting, gpu layers, slow CPU kernel) -> forced on/off, or None = llama.cpp decides
        let cases = [
            (Auto, 0, true, Some(false)),
            (Auto, 0, false, None),
            (Auto, 20, true, None),
            (On, 0, true, Some(true)),
            (Off, 20, false, Some(false)),
        ];
        for (setting, layers, slow, expected) in cases {
            assert_eq!(
                setting.resolve(layers, slow),
                expected,
                "{setting:?} {layers} {slow}"
            );
        }
        assert_eq!(" ON ".parse::<FlashAttention>(), Ok(On));
        assert_eq!("".parse::<FlashAttention>(), Ok(Auto));
        let error = "fast".parse::<FlashAttention>().unwrap_err().to_string();
        assert_eq!(
            error,
            "flash_attention = fast is out of range: auto, on or off"
        );
    }

    #[test]
    fn absurd_values_are_named() {
        let bad = SamplingParams {
            temperature: -1.0,
            ..Default::default()
        };
        let err = bad.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "temperature = -1 is out of range: 0 to 5 (0 = greedy)"
        );
        let bad = SamplingParams {
            top_p: f32::NAN,
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().name, "top_p");
        let bad = ModelParams {
            ctx_size: Some(64),
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().name, "ctx_size");
    }

    #[test]
    fn context_defaults_to_trained_capped() {
        let params = ModelParams::default();
        assert_eq!(params.effective_ctx_size(8192), 4096);
        assert_eq!(params.effective_ctx_size(2048), 2048);
        let params = ModelParams {
            ctx_size: Some(256),
            ..Default::default()
        };
        assert_eq!(params.effective_ctx_size(8192), 256);
    }
}
