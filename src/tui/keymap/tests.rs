//! The keymap keeps every key of the chat and the panes as it was, and the help shows the live
//! keys.

use super::config_tests::overrides;
use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

/// The chat's dispatch before the keymap existed (src/tui/keys.rs `chat_action`), kept as the
/// reference the table must agree with, plus the input editor's history keys.
fn before(key: KeyEvent, input_empty: bool) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    Some(match key.code {
        KeyCode::Enter if alt || shift => Action::Newline,
        KeyCode::Enter => Action::Send,
        KeyCode::Char('j') if ctrl => Action::Newline,
        KeyCode::Esc => Action::Cancel,
        KeyCode::Char('r') if ctrl => Action::Regenerate,
        KeyCode::Char('r') if alt => Action::RegenerateMany,
        KeyCode::Char('e') if ctrl => Action::EditLast,
        KeyCode::Char('g') if ctrl => Action::Continue,
        KeyCode::Char('n') if ctrl => Action::NewConversation,
        KeyCode::Char('y') if ctrl => Action::CopyReply,
        KeyCode::Char('t') if alt => Action::ToggleThinking,
        KeyCode::Char(c @ '1'..='9') if alt => Action::CopyCode(c as u8 - b'0'),
        KeyCode::Char('s') if ctrl => Action::SystemPrompt,
        KeyCode::Char('p') if ctrl => Action::Personas,
        KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::Settings,
        KeyCode::F(3) => Action::Models,
        KeyCode::F(4) => Action::Sessions,
        KeyCode::F(5) => Action::Monitor,
        KeyCode::Char('o') if ctrl => Action::Sessions,
        KeyCode::Char('?') if input_empty && !ctrl && !alt => Action::Help,
        KeyCode::PageUp => Action::ScrollUp,
        KeyCode::PageDown => Action::ScrollDown,
        KeyCode::Home if ctrl || input_empty => Action::ScrollTop,
        KeyCode::End if ctrl || input_empty => Action::ScrollBottom,
        KeyCode::Char('c') if ctrl => Action::Interrupt,
        KeyCode::Char('q') if ctrl => Action::Quit,
        // The message selection and the branches (issue 16).
        KeyCode::Up if alt => Action::SelectPrev,
        KeyCode::Down if alt => Action::SelectNext,
        KeyCode::Left if alt => Action::SiblingPrev,
        KeyCode::Right if alt => Action::SiblingNext,
        KeyCode::Delete if alt => Action::DeleteBranch,
        // The input editor's history (its own conditions are the app's).
        KeyCode::Up => Action::HistoryPrev,
        KeyCode::Down => Action::HistoryNext,
        _ => return None,
    })
}

#[test]
fn every_key_of_the_chat_does_what_it_did_before_the_keymap() {
    let keymap = Keymap::default();
    let mut codes = vec![
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
    ];
    codes.extend((1..=12).map(KeyCode::F));
    codes.extend(
        ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .chain("?/+- !".chars())
            .map(KeyCode::Char),
    );
    let mut checked = 0;
    for code in codes {
        for bits in 0..8u8 {
            let mut modifiers = KeyModifiers::NONE;
            for (bit, flag) in [
                (1, KeyModifiers::CONTROL),
                (2, KeyModifiers::ALT),
                (4, KeyModifiers::SHIFT),
            ] {
                if bits & bit != 0 {
                    modifiers |= flag;
                }
            }
            // Terminals send Ctrl+Shift+S as `S`; before the keymap that was not Ctrl+S.
            if matches!(code, KeyCode::Char(c) if c.is_ascii_uppercase())
                && modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            {
                continue;
            }
            for input_empty in [true, false] {
                let key = press(code, modifiers);
                assert_eq!(
                    keymap.chat(&key, input_empty),
                    before(key, input_empty),
                    "{code:?} with {modifiers:?}, input empty: {input_empty}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn panes_keep_their_keys() {
    let keymap = Keymap::default();
    let cases = [
        (
            Context::SystemPrompt,
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
            Some(Action::Save),
        ),
        (
            Context::SystemPrompt,
            KeyCode::Enter,
            KeyModifiers::ALT,
            Some(Action::Newline),
        ),
        (
            Context::SystemPrompt,
            KeyCode::Enter,
            KeyModifiers::NONE,
            None,
        ),
        (
            Context::SystemPrompt,
            KeyCode::Esc,
            KeyModifiers::NONE,
            Some(Action::Close),
        ),
        (
            Context::Personas,
            KeyCode::Char('k'),
            KeyModifiers::NONE,
            Some(Action::Up),
        ),
        (
            Context::Personas,
            KeyCode::Down,
            KeyModifiers::NONE,
            Some(Action::Down),
        ),
        (
            Context::Personas,
            KeyCode::Enter,
            KeyModifiers::NONE,
            Some(Action::Pick),
        ),
        (
            Context::Settings,
            KeyCode::F(2),
            KeyModifiers::NONE,
            Some(Action::Close),
        ),
        (
            Context::Settings,
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
            Some(Action::SaveDefaults),
        ),
        (
            Context::Settings,
            KeyCode::Char('s'),
            KeyModifiers::NONE,
            None,
        ),
        (
            Context::Models,
            KeyCode::F(3),
            KeyModifiers::NONE,
            Some(Action::Close),
        ),
        (
            Context::Sessions,
            KeyCode::Delete,
            KeyModifiers::NONE,
            Some(Action::Delete),
        ),
        (
            Context::Sessions,
            KeyCode::Char('/'),
            KeyModifiers::NONE,
            Some(Action::Search),
        ),
        (
            Context::Sessions,
            KeyCode::F(4),
            KeyModifiers::NONE,
            Some(Action::Close),
        ),
        (
            Context::Confirm,
            KeyCode::Char('Y'),
            KeyModifiers::SHIFT,
            Some(Action::Yes),
        ),
        (
            Context::Confirm,
            KeyCode::Char('n'),
            KeyModifiers::NONE,
            None,
        ),
        (
            Context::Field,
            KeyCode::Enter,
            KeyModifiers::NONE,
            Some(Action::Confirm),
        ),
        (
            Context::Help,
            KeyCode::Char('x'),
            KeyModifiers::NONE,
            Some(Action::Close),
        ),
    ];
    for (context, code, modifiers, want) in cases {
        assert_eq!(
            keymap.action(context, &press(code, modifiers)),
            want,
            "{context:?} {code:?} {modifiers:?}"
        );
    }
}

#[test]
fn the_help_shows_the_live_keys() {
    crate::i18n::with_language(crate::i18n::Lang::En, || {
        let defaults = Keymap::default().help_rows(&[Context::Chat, Context::Input]);
        let labels: Vec<&str> = defaults.iter().map(|r| r.keys.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Enter",
                "Alt+Enter / Ctrl+J",
                "Up / Down",
                "Esc",
                "Ctrl+R",
                "Alt+R",
                "Ctrl+E",
                "Ctrl+G",
                "Ctrl+N",
                "Ctrl+Y",
                "Alt+T",
                "Alt+Up / Alt+Down",
                "Alt+Left / Alt+Right",
                "Alt+Delete",
                "Alt+1..9",
                "Ctrl+S",
                "Ctrl+P",
                "F2",
                "F3",
                "F4 / Ctrl+O",
                "F5",
                "PgUp / PgDn, wheel",
                "Home / End",
                "F1 / ?",
                "Ctrl+C",
                "Ctrl+Q",
            ]
        );
        let rebound = overrides("[keys.chat]\nsettings = \"ctrl+t\"\ncopy_code_2 = \"ctrl+2\"\n")
            .unwrap()
            .help_rows(&[Context::Chat, Context::Input]);
        let settings = rebound
            .iter()
            .find(|r| r.what.starts_with("settings"))
            .unwrap();
        assert_eq!(settings.keys, "Ctrl+T");
        assert!(
            rebound
                .iter()
                .any(|r| r.keys == "Alt+1 / Ctrl+2 / Alt+3..9"),
            "{rebound:#?}"
        );
        assert_eq!(
            Keymap::default().label(Context::Help, Action::Close),
            "any key"
        );
    });
}

#[test]
fn the_defaults_parse_have_no_conflicts_and_every_help_text_exists_in_both_languages() {
    for written in table::written() {
        Key::parse(written).unwrap_or_else(|e| panic!("default key {written:?}: {}", e.0));
    }
    let keymap = Keymap::default();
    keymap.check_conflicts(&[]).unwrap();
    for entry in &keymap.entries {
        for id in std::iter::once(entry.help).chain(entry.also) {
            for lang in [crate::i18n::Lang::En, crate::i18n::Lang::ZhCn] {
                assert_ne!(crate::i18n::text_in(lang, id, &[]), id, "{id} in {lang:?}");
            }
        }
    }
}
