//! Overrides from the config file: they replace the defaults of their action, bad entries are
//! refused with the context, action and key named, and the embedded default config lists every
//! action with its default.

use super::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

pub(super) fn overrides(text: &str) -> Result<Keymap, KeysError> {
    #[derive(serde::Deserialize)]
    struct File {
        keys: KeysConfig,
    }
    let file: File = toml::from_str(text).expect("valid TOML");
    Keymap::from_config(&file.keys)
}

#[test]
fn an_override_replaces_the_default_keys_of_its_action_only() {
    let keymap = overrides(
        "[keys.chat]\nsettings = \"ctrl+t\"\nsessions = [\"f6\", \"alt+s\"]\n\
         [keys.settings]\nclose = \"ctrl+t\"\n",
    )
    .unwrap();
    let ctrl_t = press(KeyCode::Char('t'), KeyModifiers::CONTROL);
    let f2 = press(KeyCode::F(2), KeyModifiers::NONE);
    assert_eq!(keymap.chat(&ctrl_t, true), Some(Action::Settings));
    assert_eq!(keymap.chat(&f2, true), None, "F2 no longer opens settings");
    assert_eq!(
        keymap.chat(&press(KeyCode::F(4), KeyModifiers::NONE), true),
        None
    );
    assert_eq!(
        keymap.chat(&press(KeyCode::Char('s'), KeyModifiers::ALT), false),
        Some(Action::Sessions)
    );
    assert_eq!(
        keymap.action(Context::Settings, &ctrl_t),
        Some(Action::Close)
    );
    assert_eq!(keymap.action(Context::Settings, &f2), None);
    // Other actions keep their defaults.
    assert_eq!(
        keymap.chat(&press(KeyCode::Char('q'), KeyModifiers::CONTROL), false),
        Some(Action::Quit)
    );
    // An empty list unbinds.
    let keymap = overrides("[keys.chat]\nquit = []\n").unwrap();
    assert_eq!(
        keymap.chat(&press(KeyCode::Char('q'), KeyModifiers::CONTROL), false),
        None
    );
}

#[test]
fn bad_entries_name_the_context_the_action_and_the_key() {
    let cases = [
        (
            "[keys.chatt]\nquit = \"ctrl+q\"\n",
            "chatt",
            None,
            "unknown context [keys.chatt]: use one of chat, input, system_prompt, personas, \
             settings, field, models, sessions, confirm, help",
        ),
        (
            "[keys.chat]\nquitt = \"ctrl+q\"\n",
            "chat",
            Some("quitt"),
            "unknown action \"quitt\" in [keys.chat]: use one of cancel, regenerate,",
        ),
        (
            "[keys.sessions]\nsend = \"ctrl+q\"\n",
            "sessions",
            Some("send"),
            "unknown action \"send\" in [keys.sessions]: use one of up, down, open,",
        ),
        (
            "[keys.chat]\nquit = [\"ctrl+q\", \"ctrl+shft+x\"]\n",
            "chat",
            Some("quit"),
            "cannot read the key \"ctrl+shft+x\" for quit in [keys.chat]: unknown modifier \
             \"shft\" (use ctrl, alt or shift)",
        ),
        (
            "[keys.settings]\nclose = \"any\"\n",
            "settings",
            Some("close"),
            "\"any\" (every key) is only allowed in [keys.help]",
        ),
        (
            "[keys.chat]\nquit = \"ctrl+s\"\n",
            "chat",
            Some("quit"),
            "\"ctrl+s\" is bound to both quit and system_prompt in [keys.chat]: give each \
             action its own key (rebind system_prompt too, or pick another key)",
        ),
        (
            "[keys.chat]\nsettings = \"enter\"\n",
            "chat",
            Some("settings"),
            "\"enter\" is bound to both settings and send in [keys.chat] and [keys.input] \
             (both act on the chat screen)",
        ),
    ];
    for (text, context, action, message) in cases {
        let err = overrides(text).expect_err(text);
        assert_eq!(err.context, context, "{text}");
        assert_eq!(err.action.as_deref(), action, "{text}");
        assert!(err.message.starts_with(message), "{text}\n{}", err.message);
    }
    // The same key in two panes is fine: only one is live at a time.
    overrides("[keys.settings]\nsave_defaults = \"ctrl+o\"\n").unwrap();
}

/// The embedded default config documents every action with its default keys, commented out,
/// and uncommenting the whole section changes nothing.
#[test]
fn the_default_config_lists_every_action_with_its_default() {
    let text = crate::config::DEFAULT_CONFIG;
    let section = &text[text.find("# [keys.chat]").expect("a [keys.*] section")..];
    let uncommented: String = section
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.starts_with('[') || l.contains(" = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let keymap = overrides(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
    assert_eq!(keymap.listing(), Keymap::default().listing());
    for (context, action, keys) in Keymap::default().listing() {
        let line = format!("{action} = {}", toml_keys(&keys));
        let table = format!("[keys.{}]", context.name());
        let start = uncommented.find(&table).expect(&table);
        let body = &uncommented[start..];
        let end = body[1..].find("\n[").map_or(body.len(), |i| i + 1);
        assert!(
            body[..end]
                .lines()
                .any(|l| l.trim_start().starts_with(&line)),
            "{table} lacks `{line}`"
        );
    }
}

fn toml_keys(keys: &[String]) -> String {
    match keys {
        [one] => format!("{one:?}"),
        many => format!(
            "[{}]",
            many.iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Rebound keys survive the config being written back ("save as defaults" keeps them).
#[test]
fn rebound_keys_are_written_back_and_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let text = "[keys.chat]\nsettings = \"ctrl+t\"\nsessions = [\"f6\", \"alt+s\"]\n";
    std::fs::write(&path, text).unwrap();
    let mut config = crate::config::Config::load(&path).unwrap();
    config.sampling.temperature = 0.3;
    config
        .save_keys(&path, &[("sampling", "temperature")])
        .unwrap();
    let saved = crate::config::Config::load(&path).unwrap();
    assert_eq!(saved.keys, config.keys);
    let other = dir.path().join("whole.toml");
    config.save(&other).unwrap();
    let whole = crate::config::Config::load(&other).unwrap();
    assert_eq!(whole, config);
    let keymap = Keymap::from_config(&whole.keys).unwrap();
    assert_eq!(
        keymap.chat(&press(KeyCode::Char('t'), KeyModifiers::CONTROL), true),
        Some(Action::Settings)
    );
}
