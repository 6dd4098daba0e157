//! The settings pane: every sampling and model parameter, edited in place and validated.
//!
//! Each field knows how to show itself, how to parse a new value and whether the model must be
//! reloaded for it to take effect. A value is checked against the same bounds as the config file
//! and the command line (`crate::params`), and a bad one is refused with the reason.

use crate::params::{ModelParams, ParamError, SamplingParams};
use std::path::PathBuf;

/// The parameters the pane edits.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub sampling: SamplingParams,
    pub model: ModelParams,
}

type Getter = fn(&Settings) -> String;
type Setter = fn(&mut Settings, &str) -> Result<(), String>;

/// One editable line of the pane.
pub struct Field {
    pub label: &'static str,
    pub help: &'static str,
    pub get: Getter,
    pub set: Setter,
    /// The model must be reloaded for a change to apply.
    pub needs_reload: bool,
}

fn parse<T: std::str::FromStr>(text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("'{}' is not a valid number", text.trim()))
}

/// Empty text means "automatic" for optional values.
fn parse_optional<T: std::str::FromStr>(text: &str) -> Result<Option<T>, String> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("auto") || text.eq_ignore_ascii_case("random") {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

fn show_optional<T: ToString>(value: &Option<T>, none: &str) -> String {
    value.as_ref().map_or_else(|| none.to_owned(), T::to_string)
}

macro_rules! field {
    ($label:literal, $help:literal, $reload:expr, |$s:ident| $get:expr, |$t:ident, $v:ident| $set:expr) => {
        Field {
            label: $label,
            help: $help,
            get: |$s: &Settings| $get,
            set: |$t: &mut Settings, $v: &str| {
                $set;
                Ok(())
            },
            needs_reload: $reload,
        }
    };
}

/// Every field, in display order.
pub const FIELDS: &[Field] = &[
    field!(
        "temperature",
        "0 = greedy; higher = more varied",
        false,
        |s| s.sampling.temperature.to_string(),
        |s, v| s.sampling.temperature = parse(v)?
    ),
    field!(
        "top_k",
        "keep the k most likely tokens (0 = off)",
        false,
        |s| s.sampling.top_k.to_string(),
        |s, v| s.sampling.top_k = parse(v)?
    ),
    field!(
        "top_p",
        "keep tokens up to this probability mass (1 = off)",
        false,
        |s| s.sampling.top_p.to_string(),
        |s, v| s.sampling.top_p = parse(v)?
    ),
    field!(
        "min_p",
        "drop tokens below this share of the best (0 = off)",
        false,
        |s| s.sampling.min_p.to_string(),
        |s, v| s.sampling.min_p = parse(v)?
    ),
    field!(
        "repeat_penalty",
        "penalise repeated tokens (1 = off)",
        false,
        |s| s.sampling.repeat_penalty.to_string(),
        |s, v| s.sampling.repeat_penalty = parse(v)?
    ),
    field!(
        "repeat_last_n",
        "tokens the penalties look back over",
        false,
        |s| s.sampling.repeat_last_n.to_string(),
        |s, v| s.sampling.repeat_last_n = parse(v)?
    ),
    field!(
        "presence_penalty",
        "-2 to 2 (0 = off)",
        false,
        |s| s.sampling.presence_penalty.to_string(),
        |s, v| s.sampling.presence_penalty = parse(v)?
    ),
    field!(
        "frequency_penalty",
        "-2 to 2 (0 = off)",
        false,
        |s| s.sampling.frequency_penalty.to_string(),
        |s, v| s.sampling.frequency_penalty = parse(v)?
    ),
    field!(
        "max_tokens",
        "longest reply in tokens",
        false,
        |s| s.sampling.max_tokens.to_string(),
        |s, v| s.sampling.max_tokens = parse(v)?
    ),
    field!(
        "seed",
        "a number for reproducible replies, empty = random",
        false,
        |s| show_optional(&s.sampling.seed, "random"),
        |s, v| s.sampling.seed = parse_optional(v)?
    ),
    field!(
        "stop",
        "stop strings, separated by |",
        false,
        |s| s.sampling.stop.join("|"),
        |s, v| s.sampling.stop = v
            .split('|')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    ),
    field!(
        "ctx_size",
        "context size in tokens, empty = auto (reloads)",
        true,
        |s| show_optional(&s.model.ctx_size, "auto"),
        |s, v| s.model.ctx_size = parse_optional(v)?
    ),
    field!(
        "gpu_layers",
        "layers on the GPU, empty = auto (reloads)",
        true,
        |s| show_optional(&s.model.gpu_layers, "auto"),
        |s, v| s.model.gpu_layers = parse_optional(v)?
    ),
    field!(
        "threads",
        "CPU threads, empty = physical cores (reloads)",
        true,
        |s| show_optional(&s.model.threads, "auto"),
        |s, v| s.model.threads = parse_optional(v)?
    ),
    field!(
        "batch_size",
        "prompt tokens per batch (reloads)",
        true,
        |s| s.model.batch_size.to_string(),
        |s, v| s.model.batch_size = parse(v)?
    ),
    field!(
        "flash_attention",
        "fused attention: auto, on or off (reloads)",
        true,
        |s| s.model.flash_attention.name().to_owned(),
        |s, v| s.model.flash_attention = v.parse().map_err(|e: ParamError| e.to_string())?
    ),
    field!(
        "lora_path",
        "LoRA adapter .gguf, empty = none (reloads)",
        true,
        |s| s
            .model
            .lora_path
            .as_ref()
            .map_or_else(|| "none".to_owned(), |p| p.display().to_string()),
        |s, v| s.model.lora_path = match v.trim() {
            "" | "none" => None,
            path => Some(PathBuf::from(path)),
        }
    ),
    field!(
        "lora_scale",
        "LoRA strength (reloads)",
        true,
        |s| s.model.lora_scale.to_string(),
        |s, v| s.model.lora_scale = parse(v)?
    ),
];

impl Field {
    /// The config file's table of this field: model settings are the ones that reload.
    pub fn table(&self) -> &'static str {
        if self.needs_reload {
            "model"
        } else {
            "sampling"
        }
    }
}

/// What applying an edit did.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    Sampling,
    NeedsReload,
}

impl Settings {
    /// Sets field `index` from `text`; on any error nothing changes.
    pub fn apply(&mut self, index: usize, text: &str) -> Result<Applied, String> {
        let field = FIELDS.get(index).ok_or("no such setting")?;
        let mut changed = self.clone();
        (field.set)(&mut changed, text).map_err(|e| format!("{}: {e}", field.label))?;
        changed.sampling.validate().map_err(|e| e.to_string())?;
        changed.model.validate().map_err(|e| e.to_string())?;
        if let Some(path) = &changed.model.lora_path
            && !path.is_file()
        {
            return Err(format!("lora_path: {} is not a file", path.display()));
        }
        let reload = field.needs_reload && changed.model != self.model;
        *self = changed;
        Ok(if reload {
            Applied::NeedsReload
        } else {
            Applied::Sampling
        })
    }

    pub fn value(&self, index: usize) -> String {
        FIELDS.get(index).map(|f| (f.get)(self)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings {
            sampling: SamplingParams::default(),
            model: ModelParams::default(),
        }
    }

    fn index(label: &str) -> usize {
        FIELDS.iter().position(|f| f.label == label).unwrap()
    }

    #[test]
    fn values_apply_and_bad_ones_are_refused_without_change() {
        let mut s = settings();
        assert_eq!(s.apply(index("temperature"), "0.2"), Ok(Applied::Sampling));
        assert_eq!(s.sampling.temperature, 0.2);
        let err = s.apply(index("temperature"), "9").unwrap_err();
        assert!(err.contains("temperature = 9 is out of range"), "{err}");
        assert_eq!(s.sampling.temperature, 0.2);
        let err = s.apply(index("top_k"), "many").unwrap_err();
        assert_eq!(err, "top_k: 'many' is not a valid number");
    }

    #[test]
    fn model_settings_ask_for_a_reload_and_auto_clears() {
        let mut s = settings();
        assert_eq!(s.apply(index("ctx_size"), "2048"), Ok(Applied::NeedsReload));
        assert_eq!(s.value(index("ctx_size")), "2048");
        assert_eq!(s.apply(index("ctx_size"), "auto"), Ok(Applied::NeedsReload));
        assert_eq!(s.model.ctx_size, None);
        assert_eq!(s.apply(index("seed"), "42"), Ok(Applied::Sampling));
        assert_eq!(s.apply(index("stop"), "User:|###"), Ok(Applied::Sampling));
        assert_eq!(s.sampling.stop, vec!["User:".to_owned(), "###".to_owned()]);
        assert!(s.apply(index("lora_path"), "/no/such/file.gguf").is_err());
    }
}
