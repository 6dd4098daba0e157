//! The `[guard]` table: the content-safety guard's rule files and its model check (see
//! `crate::guard`). Kept apart from the other tables because its check settings carry their own
//! validation (a timeout out of range is refused at its line, like a wrong type).

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The `[guard]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GuardConfig {
    /// Rule files; a relative path is relative to the config file's folder.
    pub rule_files: Vec<PathBuf>,
    /// The model check (see `crate::guard::check`): what it reads.
    pub model_check: crate::guard::CheckMode,
    /// The model that checks (a path or a name in the model folders); unset: the loaded model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_model: Option<String>,
    /// The check's system prompt; unset: `crate::guard::check::default_prompt`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_prompt: Option<String>,
    #[serde(deserialize_with = "check_timeout")]
    pub check_timeout_ms: u64,
    pub check_action: crate::guard::CheckAction,
}

/// The longest check timeout: ten minutes.
pub const MAX_CHECK_TIMEOUT_MS: u64 = 600_000;

/// `check_timeout_ms` in 1..=[`MAX_CHECK_TIMEOUT_MS`]; toml puts the value's line on the error.
fn check_timeout<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let ms = u64::deserialize(d)?;
    if !(1..=MAX_CHECK_TIMEOUT_MS).contains(&ms) {
        return Err(serde::de::Error::custom(format!(
            "check_timeout_ms = {ms} is out of range: give 1 to {MAX_CHECK_TIMEOUT_MS} \
             milliseconds"
        )));
    }
    Ok(ms)
}

impl Default for GuardConfig {
    fn default() -> Self {
        GuardConfig {
            rule_files: Vec::new(),
            model_check: crate::guard::CheckMode::Off,
            check_model: None,
            check_prompt: None,
            check_timeout_ms: 10_000,
            check_action: crate::guard::CheckAction::Block,
        }
    }
}

impl GuardConfig {
    pub(super) fn is_empty(&self) -> bool {
        *self == GuardConfig::default()
    }
}
