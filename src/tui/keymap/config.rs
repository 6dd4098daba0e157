//! Rebinding from the config file: one table per context, `action = "key"` or a list.
//!
//! ```toml
//! [keys.chat]
//! settings = "ctrl+t"
//! sessions = ["f4", "ctrl+o"]
//! ```
//!
//! An override replaces every default key of that action in that context; `[]` unbinds it. A
//! key that does not parse, an unknown context or action, and a key that would mean two things
//! in one context (or on the chat screen, whose chat and input keys are live together) are
//! errors that say which entry and what to do; `crate::config` adds the file's line.

use super::{Action, Context, Key, Keymap};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The `[keys.*]` tables as written: context name → action name → keys.
pub type KeysConfig = BTreeMap<String, BTreeMap<String, KeyList>>;

/// One key or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, expecting = "a key such as \"ctrl+s\", or a list of keys")]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    fn keys(&self) -> &[String] {
        match self {
            KeyList::One(key) => std::slice::from_ref(key),
            KeyList::Many(keys) => keys,
        }
    }
}

/// A `[keys.*]` entry that cannot be used. `context` and `action` locate it in the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct KeysError {
    pub context: String,
    /// `None` when the context itself is wrong.
    pub action: Option<String>,
    pub message: String,
}

impl Keymap {
    /// The default keymap with the config's overrides applied.
    pub fn from_config(config: &KeysConfig) -> Result<Keymap, KeysError> {
        let mut keymap = Keymap::default();
        // Overridden (context, action) pairs, to blame the user's entry in a conflict.
        let mut overridden: Vec<(Context, Action)> = Vec::new();
        for (context_name, actions) in config {
            let context = Context::from_name(context_name).ok_or_else(|| KeysError {
                context: context_name.clone(),
                action: None,
                message: format!(
                    "unknown context [keys.{context_name}]: use one of {}",
                    Context::ALL.map(Context::name).join(", ")
                ),
            })?;
            for (action_name, list) in actions {
                let error = |message: String| KeysError {
                    context: context_name.clone(),
                    action: Some(action_name.clone()),
                    message,
                };
                let known = keymap.actions(context);
                let action = known
                    .iter()
                    .copied()
                    .find(|a| a.name() == *action_name)
                    .ok_or_else(|| {
                        error(format!(
                            "unknown action \"{action_name}\" in [keys.{context_name}]: use one \
                             of {}",
                            known
                                .iter()
                                .map(|a| a.name())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?;
                let mut keys = Vec::new();
                for written in list.keys() {
                    let key = Key::parse(written).map_err(|e| {
                        error(format!(
                            "cannot read the key \"{written}\" for {action_name} in \
                             [keys.{context_name}]: {}",
                            e.0
                        ))
                    })?;
                    if key == Key::Any && context != Context::Help {
                        return Err(error(format!(
                            "\"{written}\" (every key) is only allowed in [keys.help]: in \
                             [keys.{context_name}] it would take keys the pane needs"
                        )));
                    }
                    keys.push((key, true));
                }
                for entry in keymap
                    .entries
                    .iter_mut()
                    .filter(|e| e.context == context && e.action == action)
                {
                    entry.keys = std::mem::take(&mut keys);
                }
                overridden.push((context, action));
            }
        }
        keymap.check_conflicts(&overridden)?;
        Ok(keymap)
    }

    /// Two actions on one key where both are live: the error names the key, both actions and
    /// the context, blaming an overridden entry (the defaults have no conflicts).
    pub(super) fn check_conflicts(
        &self,
        overridden: &[(Context, Action)],
    ) -> Result<(), KeysError> {
        for (i, a) in self.entries.iter().enumerate() {
            for b in &self.entries[i + 1..] {
                if !a.context.shares_screen_with(b.context) || a.action == b.action {
                    continue;
                }
                let Some(key) = a
                    .keys
                    .iter()
                    .map(|(k, _)| *k)
                    .find(|k| b.keys.iter().any(|(other, _)| other == k))
                else {
                    continue;
                };
                let (blamed, other) = if overridden.contains(&(b.context, b.action)) {
                    (b, a)
                } else {
                    (a, b)
                };
                let where_ = if blamed.context == other.context {
                    format!("[keys.{}]", blamed.context.name())
                } else {
                    format!(
                        "[keys.{}] and [keys.{}] (both act on the chat screen)",
                        blamed.context.name(),
                        other.context.name()
                    )
                };
                return Err(KeysError {
                    context: blamed.context.name().to_owned(),
                    action: Some(blamed.action.name()),
                    message: format!(
                        "\"{}\" is bound to both {} and {} in {where_}: give each action its own \
                         key (rebind {} too, or pick another key)",
                        key.config_text(),
                        blamed.action.name(),
                        other.action.name(),
                        other.action.name(),
                    ),
                });
            }
        }
        Ok(())
    }
}
