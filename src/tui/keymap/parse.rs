//! Keys as the config file writes them (`ctrl+s`, `alt+enter`, `f2`, `shift+up`, `pageup`, `?`)
//! and as the help shows them (`Ctrl+S`, `Alt+Enter`, `F2`, `Shift+Up`, `PgUp`, `?`).
//!
//! A character key never carries Shift: terminals already send the shifted character (`?`, `A`),
//! and only some of them also set the Shift flag, so `shift+a` is read as `A` and the flag is
//! ignored when a character is matched.

use crossterm::event::{KeyCode, KeyModifiers};
use std::fmt;

/// One key of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A key with the modifiers it needs (Ctrl, Alt, Shift only).
    Press(KeyCode, KeyModifiers),
    /// Every key that nothing else in the context is bound to (`any`; the help only).
    Any,
}

/// The modifiers a binding can ask for.
const MODIFIERS: KeyModifiers = KeyModifiers::CONTROL
    .union(KeyModifiers::ALT)
    .union(KeyModifiers::SHIFT);

/// Why a key could not be read; the text completes "cannot read the key ...: ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParseError(pub String);

impl Key {
    /// A key code with modifiers, normalized the way [`Key::parse`] does.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & MODIFIERS;
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                // Terminals send Ctrl+S and Alt+S as the lower-case letter.
                if mods.is_empty() {
                    KeyCode::Char(c)
                } else {
                    KeyCode::Char(c.to_ascii_lowercase())
                }
            }
            other => other,
        };
        Key::Press(code, mods)
    }

    /// Reads `ctrl+s`, `alt+enter`, `f2`, `shift+up`, `pageup`, `esc`, `?`, `any` (case does
    /// not matter in names; a lone character is taken as written).
    pub fn parse(text: &str) -> Result<Key, KeyParseError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(KeyParseError("the key is empty".into()));
        }
        if text.eq_ignore_ascii_case("any") {
            return Ok(Key::Any);
        }
        // The last part is the key; `ctrl++` is Ctrl and the `+` key.
        let (prefix, name) = match text.strip_suffix("++") {
            Some(prefix) => (prefix, "+"),
            None if text == "+" => ("", "+"),
            None => match text.rsplit_once('+') {
                Some((prefix, name)) => (prefix, name),
                None => ("", text),
            },
        };
        let mut mods = KeyModifiers::NONE;
        for part in prefix
            .split('+')
            .filter(|p| !prefix.is_empty() || !p.is_empty())
        {
            mods |= match part.trim().to_ascii_lowercase().as_str() {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" | "option" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                "" => return Err(KeyParseError("two `+` in a row".into())),
                other => {
                    return Err(KeyParseError(format!(
                        "unknown modifier \"{other}\" (use ctrl, alt or shift)"
                    )));
                }
            };
        }
        let code = code_of(name.trim())?;
        if let KeyCode::Char(c) = code
            && mods.contains(KeyModifiers::SHIFT)
        {
            if !c.is_ascii_alphabetic() {
                return Err(KeyParseError(format!(
                    "shift+{c} depends on the keyboard layout: write the character Shift \
                     types instead (for example `?` rather than `shift+/`)"
                )));
            }
            return Ok(Key::new(
                KeyCode::Char(c.to_ascii_uppercase()),
                mods - KeyModifiers::SHIFT,
            ));
        }
        Ok(Key::new(code, mods))
    }

    /// The modifiers this key asks for (none for `any`).
    pub fn modifiers(self) -> KeyModifiers {
        match self {
            Key::Press(_, mods) => mods,
            Key::Any => KeyModifiers::NONE,
        }
    }

    /// Whether a pressed key is this one: the same key with at least the modifiers it asks for
    /// (Ctrl+Alt+S is also Ctrl+S, as before the keymap existed; the most specific binding wins).
    pub fn matches(self, code: KeyCode, mods: KeyModifiers) -> bool {
        let Key::Press(want_code, want_mods) = self else {
            return true;
        };
        let Key::Press(code, mods) = Key::new(code, mods) else {
            return false;
        };
        code == want_code && mods.contains(want_mods)
    }

    /// How strongly this key matches: the number of modifiers it asks for, `any` lowest.
    pub fn specificity(self) -> i32 {
        match self {
            Key::Press(_, mods) => mods.bits().count_ones() as i32,
            Key::Any => -1,
        }
    }

    /// A key that types or moves the cursor in a text editor: a character without Ctrl or Alt,
    /// or a plain editing key.
    pub fn is_text_key(self) -> bool {
        match self {
            Key::Press(code, mods) => {
                !mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && matches!(
                        code,
                        KeyCode::Char(_)
                            | KeyCode::Home
                            | KeyCode::End
                            | KeyCode::Left
                            | KeyCode::Right
                            | KeyCode::Up
                            | KeyCode::Down
                            | KeyCode::Backspace
                            | KeyCode::Delete
                            | KeyCode::Tab
                    )
            }
            Key::Any => false,
        }
    }

    /// The key in the config file's syntax (`ctrl+s`).
    pub fn config_text(self) -> String {
        self.render(false)
    }

    fn render(self, display: bool) -> String {
        let Key::Press(code, mods) = self else {
            return if display { "any key" } else { "any" }.into();
        };
        let mut out = String::new();
        for (flag, shown, written) in [
            (KeyModifiers::CONTROL, "Ctrl+", "ctrl+"),
            (KeyModifiers::ALT, "Alt+", "alt+"),
            (KeyModifiers::SHIFT, "Shift+", "shift+"),
        ] {
            if mods.contains(flag) {
                out.push_str(if display { shown } else { written });
            }
        }
        let name = match code {
            KeyCode::Char(' ') if display => "Space".to_owned(),
            KeyCode::Char(' ') => "space".to_owned(),
            KeyCode::Char(c) if display && !mods.is_empty() => c.to_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) if display => format!("F{n}"),
            KeyCode::F(n) => format!("f{n}"),
            other => NAMES.iter().find(|(_, c, _)| *c == other).map_or_else(
                || format!("{other:?}"),
                |(written, _, shown)| if display { *shown } else { *written }.to_owned(),
            ),
        };
        out.push_str(&name);
        out
    }
}

/// Named keys: the config name, the code, the name the help shows.
const NAMES: &[(&str, KeyCode, &str)] = &[
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("tab", KeyCode::Tab, "Tab"),
    ("backspace", KeyCode::Backspace, "Backspace"),
    ("delete", KeyCode::Delete, "Delete"),
    ("insert", KeyCode::Insert, "Insert"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("up", KeyCode::Up, "Up"),
    ("down", KeyCode::Down, "Down"),
    ("left", KeyCode::Left, "Left"),
    ("right", KeyCode::Right, "Right"),
];

/// Other spellings people write.
const ALIASES: &[(&str, &str)] = &[
    ("return", "enter"),
    ("escape", "esc"),
    ("del", "delete"),
    ("ins", "insert"),
    ("pgup", "pageup"),
    ("pgdn", "pagedown"),
    ("pgdown", "pagedown"),
];

fn code_of(name: &str) -> Result<KeyCode, KeyParseError> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    let lower = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, name)| *name);
    if lower == "space" {
        return Ok(KeyCode::Char(' '));
    }
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok())
        && (1..=24).contains(&n)
    {
        return Ok(KeyCode::F(n));
    }
    NAMES
        .iter()
        .find(|(written, _, _)| *written == lower)
        .map(|(_, code, _)| *code)
        .ok_or_else(|| {
            KeyParseError(if name.is_empty() {
                "no key after the last `+`".into()
            } else {
                format!(
                    "unknown key name \"{name}\" (use a character, f1..f24, space or one of: {})",
                    NAMES
                        .iter()
                        .map(|(n, _, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        })
}

/// The help's spelling: `Ctrl+S`, `PgUp`, `?`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> Key {
        Key::Press(code, mods)
    }

    #[test]
    fn the_documented_spellings_are_read() {
        let ctrl = KeyModifiers::CONTROL;
        let alt = KeyModifiers::ALT;
        let cases = [
            ("ctrl+s", press(KeyCode::Char('s'), ctrl)),
            ("Ctrl+S", press(KeyCode::Char('s'), ctrl)),
            ("alt+enter", press(KeyCode::Enter, alt)),
            ("f2", press(KeyCode::F(2), KeyModifiers::NONE)),
            ("F12", press(KeyCode::F(12), KeyModifiers::NONE)),
            ("shift+up", press(KeyCode::Up, KeyModifiers::SHIFT)),
            ("pageup", press(KeyCode::PageUp, KeyModifiers::NONE)),
            ("PgDn", press(KeyCode::PageDown, KeyModifiers::NONE)),
            ("esc", press(KeyCode::Esc, KeyModifiers::NONE)),
            ("escape", press(KeyCode::Esc, KeyModifiers::NONE)),
            ("?", press(KeyCode::Char('?'), KeyModifiers::NONE)),
            ("Y", press(KeyCode::Char('Y'), KeyModifiers::NONE)),
            ("shift+y", press(KeyCode::Char('Y'), KeyModifiers::NONE)),
            ("ctrl+alt+1", press(KeyCode::Char('1'), ctrl | alt)),
            ("ctrl++", press(KeyCode::Char('+'), ctrl)),
            ("+", press(KeyCode::Char('+'), KeyModifiers::NONE)),
            ("space", press(KeyCode::Char(' '), KeyModifiers::NONE)),
            (" ctrl + home ", press(KeyCode::Home, ctrl)),
            ("any", Key::Any),
        ];
        for (text, want) in cases {
            assert_eq!(Key::parse(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn bad_keys_say_what_is_wrong() {
        let cases = [
            ("", "empty"),
            ("ctrl+", "no key after"),
            ("ctrl+shft+x", "unknown modifier \"shft\""),
            ("ctrl+pgupp", "unknown key name \"pgupp\""),
            ("f25", "unknown key name \"f25\""),
            ("shift+/", "write the character Shift types"),
            ("ctrl++x", "two `+` in a row"),
        ];
        for (text, want) in cases {
            let err = Key::parse(text).expect_err(text).0;
            assert!(err.contains(want), "{text}: {err}");
        }
    }

    #[test]
    fn keys_are_shown_as_the_help_writes_them_and_written_back_as_read() {
        for (text, shown) in [
            ("ctrl+s", "Ctrl+S"),
            ("alt+enter", "Alt+Enter"),
            ("pageup", "PgUp"),
            ("shift+up", "Shift+Up"),
            ("?", "?"),
            ("alt+1", "Alt+1"),
            ("f4", "F4"),
            ("Y", "Y"),
            ("any", "any key"),
        ] {
            let key = Key::parse(text).unwrap();
            assert_eq!(key.to_string(), shown);
            assert_eq!(Key::parse(&key.config_text()), Ok(key), "{text}");
        }
    }

    #[test]
    fn a_pressed_key_matches_with_extra_modifiers_and_characters_ignore_shift() {
        let ctrl_s = Key::parse("ctrl+s").unwrap();
        assert!(ctrl_s.matches(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert!(ctrl_s.matches(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL | KeyModifiers::ALT
        ));
        assert!(!ctrl_s.matches(KeyCode::Char('s'), KeyModifiers::NONE));
        let question = Key::parse("?").unwrap();
        assert!(question.matches(KeyCode::Char('?'), KeyModifiers::SHIFT));
        assert!(
            !Key::parse("f2")
                .unwrap()
                .matches(KeyCode::F(3), KeyModifiers::NONE)
        );
        assert!(Key::Any.matches(KeyCode::Char('x'), KeyModifiers::NONE));
    }
}
