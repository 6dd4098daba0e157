//! The settings pane's model: every sampling and model parameter, edited in place and validated.
//!
//! The rows, their help lines, bounds, steps and "reloads the model" markers all come from the
//! parameter table (`crate::params::PARAMS`), so the pane shows exactly what the config file, the
//! command line and the session files accept, and refuses a bad value with the same reason.

use crate::params::{ModelParams, PARAMS, Param, SamplingParams, Value};
use std::path::PathBuf;

/// The parameters the pane edits.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub sampling: SamplingParams,
    pub model: ModelParams,
}

/// Every row of the pane, in display order: the parameter table.
pub const FIELDS: &[Param] = PARAMS;

fn parse<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
    text.trim().parse().map_err(|_| {
        crate::tr!(
            "param-not-a-number",
            name = name,
            text = text.trim().to_owned()
        )
    })
}

/// Empty text, `auto` or `random` leaves an optional number unset.
fn is_unset(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.eq_ignore_ascii_case("auto") || text.eq_ignore_ascii_case("random")
}

/// `text` read as a value of the same type as `current`.
fn parse_value(field: &Param, current: &Value, text: &str) -> Result<Value, String> {
    let name = field.name;
    Ok(match current {
        Value::F32(_) => Value::F32(parse(name, text)?),
        Value::I32(_) => Value::I32(parse(name, text)?),
        Value::U32(_) => Value::U32(parse(name, text)?),
        Value::OptU32(_) if is_unset(text) => Value::OptU32(None),
        Value::OptU32(_) => Value::OptU32(Some(parse(name, text)?)),
        Value::Strings(_) => Value::Strings(
            text.split('|')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        Value::Flash(_) => Value::Flash(text.parse().map_err(|e: crate::params::ParamError| {
            crate::tr!("error-with-detail", what = name, detail = e.localized())
        })?),
        Value::Spec(_) => Value::Spec(text.parse().map_err(|e: crate::params::ParamError| {
            crate::tr!("error-with-detail", what = name, detail = e.localized())
        })?),
        Value::Thinking(_) => {
            Value::Thinking(text.parse().map_err(|e: crate::params::ParamError| {
                crate::tr!("error-with-detail", what = name, detail = e.localized())
            })?)
        }
        Value::Path(_) => Value::Path(match text.trim() {
            "" | "none" => None,
            path => Some(PathBuf::from(path)),
        }),
    })
}

/// `value` as the pane shows it (and puts it in the editor).
fn show(field: &Param, value: &Value) -> String {
    let unset = || field.unset.keyword().to_owned();
    match value {
        Value::F32(v) => v.to_string(),
        Value::I32(v) => v.to_string(),
        Value::U32(v) => v.to_string(),
        Value::OptU32(v) => v.map_or_else(unset, |v| v.to_string()),
        Value::Strings(list) => list.join("|"),
        Value::Flash(v) => v.name().to_owned(),
        Value::Spec(v) => v.name().to_owned(),
        Value::Thinking(v) => v.name().to_owned(),
        Value::Path(p) => p.as_ref().map_or_else(unset, |p| p.display().to_string()),
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
        let field = FIELDS
            .get(index)
            .ok_or_else(|| crate::tr!("param-no-such-setting"))?;
        let value = parse_value(field, &self.get(field), text)?;
        self.set(index, value)
    }

    /// Sets field `index` to `value` (validated like a typed entry); on any error nothing changes.
    pub fn set(&mut self, index: usize, value: Value) -> Result<Applied, String> {
        let field = FIELDS
            .get(index)
            .ok_or_else(|| crate::tr!("param-no-such-setting"))?;
        let mut changed = self.clone();
        if !field.set(&mut changed.sampling, &mut changed.model, value) {
            return Err(crate::tr!("param-no-such-setting"));
        }
        changed.sampling.validate().map_err(|e| e.localized())?;
        changed.model.validate().map_err(|e| e.localized())?;
        if let Some(path) = &changed.model.lora_path
            && !path.is_file()
        {
            return Err(crate::tr!(
                "param-lora-not-a-file",
                path = path.display().to_string()
            ));
        }
        if let Some(path) = &changed.model.draft_model
            && !path.is_file()
        {
            return Err(crate::tr!(
                "param-draft-not-a-file",
                path = path.display().to_string()
            ));
        }
        let reload = field.reloads && changed.model != self.model;
        *self = changed;
        Ok(if reload {
            Applied::NeedsReload
        } else {
            Applied::Sampling
        })
    }

    /// Moves field `index` one step up or down within its bounds (numbers only).
    pub fn step(&mut self, index: usize, up: bool) -> Result<Applied, String> {
        let field = FIELDS
            .get(index)
            .ok_or_else(|| crate::tr!("param-no-such-setting"))?;
        match field.stepped(&self.get(field), up) {
            Some(value) => self.set(index, value),
            None => Ok(Applied::Sampling),
        }
    }

    fn get(&self, field: &Param) -> Value {
        field.get(&self.sampling, &self.model)
    }

    /// Field `index`'s value as the pane shows it.
    pub fn value(&self, index: usize) -> String {
        FIELDS
            .get(index)
            .map(|f| show(f, &self.get(f)))
            .unwrap_or_default()
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
        FIELDS.iter().position(|f| f.name == label).unwrap()
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
        let err = s
            .apply(index("draft_model"), "/no/such/draft.gguf")
            .unwrap_err();
        assert!(err.contains("draft_model: /no/such/draft.gguf"), "{err}");
        assert_eq!(s.model.draft_model, None);
    }

    #[test]
    fn steps_stay_in_bounds_and_errors_follow_the_language() {
        use crate::i18n::{Lang, with_language};
        let mut s = settings();
        assert_eq!(s.step(index("temperature"), true), Ok(Applied::Sampling));
        assert_eq!(s.value(index("temperature")), "0.75");
        assert_eq!(s.step(index("batch_size"), false), Ok(Applied::NeedsReload));
        assert_eq!(s.model.batch_size, 448);
        s.model.batch_size = 16;
        assert_eq!(s.step(index("batch_size"), false), Ok(Applied::Sampling));
        assert_eq!(s.model.batch_size, 16, "stays at the lower bound");
        let err = with_language(Lang::ZhCn, || s.apply(index("top_k"), "many")).unwrap_err();
        assert_eq!(err, "top_k：“many”不是有效的数字");
    }
}
