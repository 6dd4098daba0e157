//! The parameter table: one row per sampling or model parameter.
//!
//! Names, bounds, help texts and "changing it reloads the model" used to be written in four
//! places (validation, the settings pane, the command-line flags, the session export), and they
//! drifted. Each row here says it once; validation ([`super::SamplingParams::validate`]), the
//! settings pane (`crate::tui::settings`), the flags' help (`crate::cli`) and the export
//! (`crate::store`) all read [`PARAMS`]. Defaults stay in the structs' `Default` impls (serde
//! fills missing keys from them) and are read through each row's getter, so they too are written
//! once; a test checks `assets/default-config.toml` lists every row with that default.

use super::{FlashAttention, ModelParams, ParamError, SamplingParams, Speculation, ThinkingSwitch};
use crate::i18n::{self, Lang};
use std::path::PathBuf;

/// A parameter's value, in the type of its struct field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    F32(f32),
    I32(i32),
    U32(u32),
    /// `None` = automatic (or random, for the seed).
    OptU32(Option<u32>),
    Strings(Vec<String>),
    Flash(FlashAttention),
    Thinking(ThinkingSwitch),
    Spec(Speculation),
    /// `None` = no file.
    Path(Option<PathBuf>),
}

/// Which config table (`[sampling]` or `[model]`) and struct a parameter lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Sampling,
    Model,
}

impl Section {
    /// The table's name in config.toml.
    pub fn name(self) -> &'static str {
        match self {
            Section::Sampling => "sampling",
            Section::Model => "model",
        }
    }
}

/// The values a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    /// Finite, at most `max`, and at least `min` (above it when `min_open`).
    Float { min: f32, max: f32, min_open: bool },
    /// From `min` to `max`, both included (an unset optional value is always accepted).
    Int { min: i64, max: i64 },
    /// A list whose strings are all non-empty.
    NonEmptyStrings,
    /// Every value of the field's type.
    Any,
}

/// What an unset optional parameter means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unset {
    /// Not optional.
    Never,
    /// Chosen from the model and the machine.
    Auto,
    /// A fresh random value each time (the seed).
    Random,
    /// Nothing (no LoRA adapter).
    Nothing,
}

impl Unset {
    /// The word the settings pane shows and accepts for an unset value; it is an input keyword,
    /// like a config value, so it is the same in every language.
    pub fn keyword(self) -> &'static str {
        match self {
            Unset::Never => "",
            Unset::Auto => "auto",
            Unset::Random => "random",
            Unset::Nothing => "none",
        }
    }

    /// An unset value described for a reader (the export), in the current language.
    pub fn describe(self) -> String {
        match self {
            Unset::Never => String::new(),
            Unset::Auto => crate::tr!("param-unset-auto"),
            Unset::Random => crate::tr!("param-unset-random"),
            Unset::Nothing => crate::tr!("param-unset-none"),
        }
    }
}

/// Reads a parameter from its struct, or writes it (false when `Value` is of another type).
#[derive(Clone, Copy)]
pub enum Access {
    Sampling(
        fn(&SamplingParams) -> Value,
        fn(&mut SamplingParams, Value) -> bool,
    ),
    Model(
        fn(&ModelParams) -> Value,
        fn(&mut ModelParams, Value) -> bool,
    ),
}

/// One parameter.
#[derive(Clone, Copy)]
pub struct Param {
    /// The key in config.toml and session files; the same in every language.
    pub name: &'static str,
    pub access: Access,
    pub bounds: Bounds,
    /// The allowed values in words, as range errors and `--help` print them (English).
    pub range: &'static str,
    /// The help text's message id (assets/i18n).
    pub help: &'static str,
    /// The message id of what an empty entry in the settings pane means, if it may be empty.
    pub empty: Option<&'static str>,
    pub unset: Unset,
    /// The model must be reloaded for a change to apply.
    pub reloads: bool,
    /// How much one step up or down changes a number (0 = not a number).
    pub step: f32,
    /// The long command-line flag that overrides it, if there is one.
    pub flag: Option<&'static str>,
}

/// Builds a row; `$section.$field: $variant` names the struct field and its [`Value`] type.
macro_rules! param {
    (sampling . $field:ident : $variant:ident, $($rest:tt)*) => {
        Param {
            name: stringify!($field),
            access: Access::Sampling(
                |s| Value::$variant(s.$field.clone()),
                |s, v| match v {
                    Value::$variant(v) => {
                        s.$field = v;
                        true
                    }
                    _ => false,
                },
            ),
            $($rest)*
        }
    };
    (model . $field:ident : $variant:ident, $($rest:tt)*) => {
        Param {
            name: stringify!($field),
            access: Access::Model(
                |m| Value::$variant(m.$field.clone()),
                |m, v| match v {
                    Value::$variant(v) => {
                        m.$field = v;
                        true
                    }
                    _ => false,
                },
            ),
            $($rest)*
        }
    };
}

const fn float(min: f32, max: f32) -> Bounds {
    Bounds::Float {
        min,
        max,
        min_open: false,
    }
}

const fn int(min: i64, max: i64) -> Bounds {
    Bounds::Int { min, max }
}

/// Every parameter, in the order the settings pane and the export list them (and validation
/// checks them: the first bad one is reported).
pub const PARAMS: &[Param] = &[
    param!(sampling.temperature: F32, bounds: float(0.0, 5.0), range: "0 to 5 (0 = greedy)",
        help: "param-temperature", empty: None, unset: Unset::Never, reloads: false, step: 0.05,
        flag: Some("temperature")),
    param!(sampling.top_k: I32, bounds: int(0, 100_000), range: "0 to 100000 (0 = off)",
        help: "param-top_k", empty: None, unset: Unset::Never, reloads: false, step: 1.0,
        flag: Some("top-k")),
    param!(sampling.top_p: F32,
        bounds: Bounds::Float { min: 0.0, max: 1.0, min_open: true },
        range: "above 0 and at most 1 (1 = off)",
        help: "param-top_p", empty: None, unset: Unset::Never, reloads: false, step: 0.05,
        flag: Some("top-p")),
    param!(sampling.min_p: F32, bounds: float(0.0, 1.0), range: "0 to 1 (0 = off)",
        help: "param-min_p", empty: None, unset: Unset::Never, reloads: false, step: 0.01,
        flag: Some("min-p")),
    param!(sampling.repeat_penalty: F32, bounds: float(0.1, 5.0), range: "0.1 to 5 (1 = off)",
        help: "param-repeat_penalty", empty: None, unset: Unset::Never, reloads: false,
        step: 0.05, flag: Some("repeat-penalty")),
    param!(sampling.repeat_last_n: I32, bounds: int(0, 65_536), range: "0 to 65536",
        help: "param-repeat_last_n", empty: None, unset: Unset::Never, reloads: false, step: 8.0,
        flag: None),
    param!(sampling.presence_penalty: F32, bounds: float(-2.0, 2.0), range: "-2 to 2 (0 = off)",
        help: "param-presence_penalty", empty: None, unset: Unset::Never, reloads: false,
        step: 0.1, flag: None),
    param!(sampling.frequency_penalty: F32, bounds: float(-2.0, 2.0), range: "-2 to 2 (0 = off)",
        help: "param-frequency_penalty", empty: None, unset: Unset::Never, reloads: false,
        step: 0.1, flag: None),
    param!(sampling.max_tokens: U32, bounds: int(1, 1_000_000), range: "1 to 1000000",
        help: "param-max_tokens", empty: None, unset: Unset::Never, reloads: false, step: 64.0,
        flag: Some("max-tokens")),
    param!(sampling.seed: OptU32, bounds: Bounds::Any, range: "",
        help: "param-seed", empty: Some("param-empty-random"), unset: Unset::Random,
        reloads: false, step: 1.0, flag: Some("seed")),
    param!(sampling.stop: Strings, bounds: Bounds::NonEmptyStrings, range: "non-empty strings",
        help: "param-stop", empty: None, unset: Unset::Never, reloads: false, step: 0.0,
        flag: None),
    param!(sampling.thinking: Thinking, bounds: Bounds::Any, range: "auto, on or off",
        help: "param-thinking", empty: None, unset: Unset::Never, reloads: false, step: 0.0,
        flag: Some("thinking")),
    param!(sampling.thinking_budget: OptU32, bounds: int(0, 1_000_000),
        range: "0 to 1000000 tokens", help: "param-thinking_budget",
        empty: Some("param-empty-none"), unset: Unset::Nothing, reloads: false, step: 64.0,
        flag: Some("thinking-budget")),
    // The chat's "regenerate ×N": each alternative is one more sequence of the context.
    param!(sampling.alternatives: U32, bounds: int(2, 4), range: "2 to 4",
        help: "param-alternatives", empty: None, unset: Unset::Never, reloads: false, step: 1.0,
        flag: Some("alternatives")),
    param!(sampling.speculation: Spec, bounds: Bounds::Any, range: "off, lookup or draft",
        help: "param-speculation", empty: None, unset: Unset::Never, reloads: false, step: 0.0,
        flag: Some("speculation")),
    param!(sampling.draft_max: OptU32, bounds: int(1, 512), range: "1 to 512",
        help: "param-draft_max", empty: Some("param-empty-adaptive"), unset: Unset::Auto,
        reloads: false, step: 1.0, flag: Some("draft-max")),
    param!(sampling.lookup_ngram: U32, bounds: int(1, 512), range: "1 to 512",
        help: "param-lookup_ngram", empty: None, unset: Unset::Never, reloads: false, step: 1.0,
        flag: Some("lookup-ngram")),
    // llama.cpp rounds contexts up to a multiple of 256.
    param!(model.ctx_size: OptU32, bounds: int(256, 1_048_576), range: "256 to 1048576 tokens",
        help: "param-ctx_size", empty: Some("param-empty-auto"), unset: Unset::Auto,
        reloads: true, step: 256.0, flag: Some("ctx-size")),
    param!(model.gpu_layers: OptU32, bounds: int(0, 10_000), range: "0 to 10000",
        help: "param-gpu_layers", empty: Some("param-empty-auto"), unset: Unset::Auto,
        reloads: true, step: 1.0, flag: Some("gpu-layers")),
    param!(model.threads: OptU32, bounds: int(1, 1024), range: "1 to 1024",
        help: "param-threads", empty: Some("param-empty-cores"), unset: Unset::Auto,
        reloads: true, step: 1.0, flag: Some("threads")),
    param!(model.batch_size: U32, bounds: int(16, 65_536), range: "16 to 65536",
        help: "param-batch_size", empty: None, unset: Unset::Never, reloads: true, step: 64.0,
        flag: None),
    param!(model.flash_attention: Flash, bounds: Bounds::Any, range: "auto, on or off",
        help: "param-flash_attention", empty: None, unset: Unset::Never, reloads: true,
        step: 0.0, flag: Some("flash-attention")),
    param!(model.lora_path: Path, bounds: Bounds::Any, range: "",
        help: "param-lora_path", empty: Some("param-empty-none"), unset: Unset::Nothing,
        reloads: true, step: 0.0, flag: Some("lora")),
    param!(model.lora_scale: F32, bounds: float(-10.0, 10.0), range: "-10 to 10",
        help: "param-lora_scale", empty: None, unset: Unset::Never, reloads: true, step: 0.1,
        flag: Some("lora-scale")),
    param!(model.draft_model: Path, bounds: Bounds::Any, range: "",
        help: "param-draft_model", empty: Some("param-empty-none"), unset: Unset::Nothing,
        reloads: true, step: 0.0, flag: Some("draft-model")),
];

/// The row named `name` (a config key such as `top_k`).
pub fn find(name: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.name == name)
}

impl Param {
    pub fn section(&self) -> Section {
        match self.access {
            Access::Sampling(..) => Section::Sampling,
            Access::Model(..) => Section::Model,
        }
    }

    pub fn get(&self, sampling: &SamplingParams, model: &ModelParams) -> Value {
        match self.access {
            Access::Sampling(get, _) => get(sampling),
            Access::Model(get, _) => get(model),
        }
    }

    /// Writes `value` into its struct; false (and nothing changes) when it is of another type.
    pub fn set(
        &self,
        sampling: &mut SamplingParams,
        model: &mut ModelParams,
        value: Value,
    ) -> bool {
        match self.access {
            Access::Sampling(_, set) => set(sampling, value),
            Access::Model(_, set) => set(model, value),
        }
    }

    /// The default value (from the structs' `Default`).
    pub fn default_value(&self) -> Value {
        self.get(&SamplingParams::default(), &ModelParams::default())
    }

    /// `value` against the bounds: the error names the parameter, the value and the range.
    pub fn check(&self, value: &Value) -> Result<(), ParamError> {
        let ok = match (self.bounds, value) {
            (Bounds::Float { min, max, min_open }, Value::F32(v)) => {
                v.is_finite() && *v <= max && if min_open { *v > min } else { *v >= min }
            }
            (Bounds::Int { min, max }, Value::I32(v)) => (min..=max).contains(&i64::from(*v)),
            (Bounds::Int { min, max }, Value::U32(v) | Value::OptU32(Some(v))) => {
                (min..=max).contains(&i64::from(*v))
            }
            (Bounds::NonEmptyStrings, Value::Strings(list)) => list.iter().all(|s| !s.is_empty()),
            _ => true,
        };
        if ok {
            return Ok(());
        }
        let shown = match value {
            Value::F32(v) => v.to_string(),
            Value::I32(v) => v.to_string(),
            Value::U32(v) | Value::OptU32(Some(v)) => v.to_string(),
            Value::Strings(list) => format!("{list:?}"),
            other => format!("{other:?}"),
        };
        Err(ParamError {
            name: self.name,
            value: shown,
            expected: self.range,
        })
    }

    /// The help text in `lang` (without the settings pane's hints).
    pub fn help_in(&self, lang: Lang) -> String {
        i18n::text_in(lang, self.help, &[])
    }

    /// The settings pane's help line in the current language: the help, what an empty entry
    /// means, and whether a change reloads the model.
    pub fn pane_help(&self) -> String {
        let mut help = i18n::text(self.help, &[]);
        if let Some(empty) = self.empty {
            let meaning = i18n::text(empty, &[]);
            help = crate::tr!("param-pane-empty", help = help, meaning = meaning);
        }
        if self.reloads {
            help = crate::tr!("param-pane-reloads", help = help);
        }
        help
    }

    /// The `--help` text of this parameter's flag (English, as all of clap's output): the help
    /// as a sentence, then the allowed values unless the help already says them.
    pub fn cli_help(&self) -> String {
        let help = self.help_in(Lang::En);
        let mut chars = help.chars();
        let mut text: String = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .into_iter()
            .collect();
        text.push_str(chars.as_str());
        text.push('.');
        if !self.range.is_empty() && !help.contains(self.range) {
            text.push_str(&format!(" Allowed: {}.", self.range));
        }
        text
    }

    /// The value one `step` up (`up`) or down, kept within the bounds; `None` when the value
    /// is not a number or is unset.
    pub fn stepped(&self, value: &Value, up: bool) -> Option<Value> {
        if self.step == 0.0 {
            return None;
        }
        let sign = if up { 1.0 } else { -1.0 };
        let (lo, hi) = match self.bounds {
            Bounds::Float { min, max, .. } => (f64::from(min), f64::from(max)),
            Bounds::Int { min, max } => (min as f64, max as f64),
            _ => (0.0, f64::from(u32::MAX)),
        };
        let step = f64::from(self.step) * sign;
        let int = |v: f64| v.round().clamp(lo, hi);
        Some(match value {
            Value::F32(v) => {
                // Round to the step's grid so 0.7 + 0.05 shows as 0.75, not 0.75000006.
                let next =
                    ((f64::from(*v) + step) / f64::from(self.step)).round() * f64::from(self.step);
                let next = next.clamp(lo, hi) as f32;
                match self.bounds {
                    Bounds::Float {
                        min,
                        min_open: true,
                        ..
                    } if next <= min => Value::F32(*v),
                    _ => Value::F32(next),
                }
            }
            Value::I32(v) => Value::I32(int(f64::from(*v) + step) as i32),
            Value::U32(v) => Value::U32(int(f64::from(*v) + step) as u32),
            Value::OptU32(Some(v)) => Value::OptU32(Some(int(f64::from(*v) + step) as u32)),
            _ => return None,
        })
    }
}
