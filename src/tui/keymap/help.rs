//! The help's rows, generated from the live keymap: a rebound key shows its new binding. Key
//! names stay as written (`Ctrl+S`); the descriptions come from the message files.

use super::{Context, Entry, Key, Keymap};
use crossterm::event::KeyCode;

/// One row of the help: the keys, and what they do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    pub keys: String,
    pub what: String,
}

impl Keymap {
    /// The rows for `contexts`, in table order; entries sharing a help text share a row
    /// (`Up / Down`, `Alt+1..9`). An action with no key left has no row.
    pub fn help_rows(&self, contexts: &[Context]) -> Vec<HelpRow> {
        let entries: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| contexts.contains(&e.context))
            .collect();
        let mut rows = Vec::new();
        let mut start = 0;
        while start < entries.len() {
            let help = entries[start].help;
            let end = entries[start..]
                .iter()
                .position(|e| e.help != help)
                .map_or(entries.len(), |n| start + n);
            let group = &entries[start..end];
            start = end;
            let keys: Vec<Key> = group
                .iter()
                .flat_map(|e| e.keys.iter().filter(|(_, shown)| *shown).map(|(k, _)| *k))
                .collect();
            if keys.is_empty() {
                continue;
            }
            let mut label = key_label(&keys);
            if let Some(also) = group[0].also {
                label = format!("{label}, {}", crate::i18n::text(also, &[]));
            }
            rows.push(HelpRow {
                keys: label,
                what: crate::i18n::text(help, &[]),
            });
        }
        rows
    }

    /// How the keys of `action` in `context` are written in a hint ("Esc", "F4 / Ctrl+O", "any
    /// key"); empty when nothing is bound.
    pub fn label(&self, context: Context, action: super::Action) -> String {
        key_label(&self.keys_of(context, action))
    }

    /// The first key of `action` in `context` ("Esc"), for the short hints in pane titles, so a
    /// rebound key shows there too; "—" when nothing is bound.
    pub fn first_label(&self, context: Context, action: super::Action) -> String {
        self.keys_of(context, action).first().map_or_else(
            || "—".to_owned(),
            |key| key_label(std::slice::from_ref(key)),
        )
    }
}

/// Keys joined with " / "; three or more Alt+1, Alt+2, ... in a row become `Alt+1..9`.
pub fn key_label(keys: &[Key]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let mut end = i + 1;
        while end < keys.len() && follows(keys[end - 1], keys[end]) {
            end += 1;
        }
        if end - i >= 3 {
            let last = match keys[end - 1] {
                Key::Press(KeyCode::Char(c), _) => c,
                _ => '?',
            };
            parts.push(format!("{}..{last}", show(keys[i])));
            i = end;
        } else {
            parts.push(show(keys[i]));
            i += 1;
        }
    }
    parts.join(" / ")
}

fn show(key: Key) -> String {
    match key {
        Key::Any => crate::tr!("keys-any-key"),
        key => key.to_string(),
    }
}

/// `b` is the digit after `a`, with the same modifiers.
fn follows(a: Key, b: Key) -> bool {
    match (a, b) {
        (Key::Press(KeyCode::Char(x), m), Key::Press(KeyCode::Char(y), n)) => {
            m == n && x.is_ascii_digit() && y.is_ascii_digit() && y as u32 == x as u32 + 1
        }
        _ => false,
    }
}
