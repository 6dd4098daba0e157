//! The config loader on fixture files (`tests/fixtures/config/`), with the exact message each bad
//! file produces, and property tests: no text makes the loader panic, and every error names the
//! file with a position inside it.
//!
//! The messages are compared whole, so any change to what a user reads is a deliberate one.

use ggchat::config::{Config, ConfigError};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const FIXTURES: &str = "tests/fixtures/config";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURES)
        .join(name)
}

/// The error `Config::load` gives for a fixture, with the path relative to the crate root.
fn load_error(name: &str) -> String {
    let error = Config::load(&fixture(name)).expect_err("the fixture must be refused");
    let prefix = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    error.to_string().replace(&prefix, "")
}

#[test]
fn valid_fixture_loads_and_keeps_the_other_defaults() {
    let config = Config::load(&fixture("valid.toml")).unwrap();
    let defaults = Config::default();
    assert_eq!(
        config.default_model.as_deref(),
        Some("SmolLM2-135M-Instruct.Q4_1.gguf")
    );
    assert_eq!(config.system_prompt, "Answer in French.");
    assert_eq!(config.sampling.temperature, 0.2);
    assert_eq!(config.sampling.seed, Some(42));
    assert_eq!(config.sampling.stop, ["User:", "###"]);
    assert_eq!(config.sampling.top_k, defaults.sampling.top_k);
    assert_eq!(config.model.ctx_size, Some(2048));
    assert_eq!(config.model.threads, Some(2));
    assert_eq!(config.model.batch_size, defaults.model.batch_size);
    assert_eq!(config.template, defaults.template);
}

#[test]
fn invalid_toml_names_file_line_column_and_key() {
    assert_eq!(
        load_error("invalid-toml.toml"),
        "invalid config file tests/fixtures/config/invalid-toml.toml, line 4, column 8, \
         key `sampling.top_k`: string values must be quoted, expected literal string"
    );
}

#[test]
fn unknown_key_names_file_line_column_and_key() {
    assert_eq!(
        load_error("unknown-key.toml"),
        "invalid config file tests/fixtures/config/unknown-key.toml, line 4, column 1, \
         key `sampling.temprature`: unknown field `temprature`, expected one of `temperature`, \
         `top_k`, `top_p`, `min_p`, `repeat_penalty`, `repeat_last_n`, `presence_penalty`, \
         `frequency_penalty`, `max_tokens`, `seed`, `stop`, `thinking`, `thinking_budget`, \
         `alternatives`, `speculation`, `draft_max`, `lookup_ngram`"
    );
}

#[test]
fn out_of_range_value_names_file_line_column_key_and_bounds() {
    assert_eq!(
        load_error("out-of-range.toml"),
        "invalid config file tests/fixtures/config/out-of-range.toml, line 4, column 1, \
         key `sampling.top_p`: top_p = 1.5 is out of range: above 0 and at most 1 (1 = off)"
    );
}

#[test]
fn wrong_type_names_file_line_column_and_key() {
    assert_eq!(
        load_error("wrong-type.toml"),
        "invalid config file tests/fixtures/config/wrong-type.toml, line 4, column 9, \
         key `sampling.top_k`: invalid type: string \"forty\", expected i32"
    );
}

#[test]
fn rebound_keys_load_and_apply() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ggchat::tui::keymap::{Action, Context, Keymap};
    let config = Config::load(&fixture("keys-rebound.toml")).unwrap();
    let keymap = Keymap::from_config(&config.keys).unwrap();
    let ctrl_t = KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL);
    let f2 = KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE);
    assert_eq!(keymap.chat(&ctrl_t, true), Some(Action::Settings));
    assert_eq!(keymap.chat(&f2, true), None);
    assert_eq!(
        keymap.action(Context::Settings, &ctrl_t),
        Some(Action::Close)
    );
    assert_eq!(keymap.action(Context::Settings, &f2), None);
}

#[test]
fn bad_key_bindings_name_file_line_column_context_and_key() {
    assert_eq!(
        load_error("keys-bad-key.toml"),
        "invalid config file tests/fixtures/config/keys-bad-key.toml, line 4, column 1, \
         key `keys.chat.settings`: cannot read the key \"ctrl+shft+t\" for settings in \
         [keys.chat]: unknown modifier \"shft\" (use ctrl, alt or shift)"
    );
    assert_eq!(
        load_error("keys-unknown-action.toml"),
        "invalid config file tests/fixtures/config/keys-unknown-action.toml, line 3, column 1, \
         key `keys.sessions.remove`: unknown action \"remove\" in [keys.sessions]: use one of \
         up, down, open, search, rename, delete, new, close"
    );
    assert_eq!(
        load_error("keys-unknown-context.toml"),
        "invalid config file tests/fixtures/config/keys-unknown-context.toml, line 4, \
         column 1, key `keys.session`: unknown context [keys.session]: use one of chat, \
         input, system_prompt, personas, settings, field, models, sessions, confirm, help, monitor"
    );
    let error = Config::parse("[keys.chat]\nquit = 5\n", Path::new("c.toml"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "invalid config file c.toml, line 2, column 8, key `keys.chat.quit`: a key such as \
         \"ctrl+s\", or a list of keys"
    );
}

#[test]
fn two_actions_on_one_key_are_reported_with_the_line_that_did_it() {
    assert_eq!(
        load_error("keys-conflict.toml"),
        "invalid config file tests/fixtures/config/keys-conflict.toml, line 6, column 1, \
         key `keys.chat.settings`: \"ctrl+s\" is bound to both settings and system_prompt in \
         [keys.chat]: give each action its own key (rebind system_prompt too, or pick another \
         key)"
    );
}

#[test]
fn more_bad_values_are_reported_exactly() {
    let path = Path::new("c.toml");
    let cases = [
        (
            "[model]\nctx_size = -1\n",
            "line 2, column 12, key `model.ctx_size`: invalid value: integer `-1`, expected u32",
        ),
        (
            "[model]\nctx_size = 99999999999999999999\n",
            "line 2, column 12, key `model.ctx_size`: invalid type: integer \
             `99999999999999999999` as i128, expected u32",
        ),
        (
            "[sampling]\nseed = 5000000000\n",
            "line 2, column 8, key `sampling.seed`: invalid value: integer `5000000000`, \
             expected u32",
        ),
        (
            "[sampling]\ntemperature = nan\n",
            "line 2, column 1, key `sampling.temperature`: temperature = NaN is out of range: \
             0 to 5 (0 = greedy)",
        ),
        (
            "[sampling]\ntemperature = inf\n",
            "line 2, column 1, key `sampling.temperature`: temperature = inf is out of range: \
             0 to 5 (0 = greedy)",
        ),
        (
            "[sampling]\nstop = [\"\"]\n",
            "line 2, column 1, key `sampling.stop`: stop = [\"\"] is out of range: non-empty \
             strings",
        ),
        (
            "[model]\nbatch_size = 1\n",
            "line 2, column 1, key `model.batch_size`: batch_size = 1 is out of range: 16 to \
             65536",
        ),
        (
            "[model]\nflash_attention = \"fast\"\n",
            "line 2, column 19, key `model.flash_attention`: unknown variant `fast`, expected \
             one of `auto`, `on`, `off`",
        ),
        (
            "model_dirs = [1]\n",
            "line 1, column 15, key `model_dirs`: invalid type: integer `1`, expected path \
             string",
        ),
        (
            "sampling = 3\n",
            "line 1, column 12, key `sampling`: invalid type: integer `3`, expected struct \
             SamplingParams",
        ),
        // A line that is not `key = value` has no key to name.
        (
            "[sampling]\ntemperature\n",
            "line 2, column 12: key with no value, expected `=`",
        ),
    ];
    for (text, expected) in cases {
        let error = Config::parse(text, path).unwrap_err().to_string();
        assert_eq!(
            error,
            format!("invalid config file c.toml, {expected}"),
            "{text:?}"
        );
    }
}

#[test]
fn unreadable_config_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // Not UTF-8: refused as unreadable, never parsed lossily.
    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"system_prompt = \"caf\xe9\"\n").unwrap();
    let error = Config::load(&latin1).unwrap_err();
    assert!(matches!(error, ConfigError::Read { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        format!(
            "cannot read the config file {}: stream did not contain valid UTF-8",
            latin1.display()
        )
    );
    // A directory where the file should be.
    let error = Config::load(dir.path()).unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "cannot read the config file {}: ",
            dir.path().display()
        )),
        "{error}"
    );
    // No file at all is not an error: the defaults apply.
    assert_eq!(
        Config::load(&dir.path().join("absent.toml")).unwrap(),
        Config::default()
    );
}

/// What every error must satisfy: it names the file, and its position is inside the text.
fn check_error(text: &str, result: Result<Config, ConfigError>) -> Result<(), TestCaseError> {
    let Err(error) = result else {
        return Ok(());
    };
    let message = error.to_string();
    prop_assert!(
        message.starts_with("invalid config file prop/config.toml, line "),
        "{message}"
    );
    let ConfigError::Invalid { line, column, .. } = error else {
        return Err(TestCaseError::fail(format!("not Invalid: {message}")));
    };
    let lines: Vec<&str> = text.split('\n').collect();
    prop_assert!((1..=lines.len()).contains(&line), "{message}");
    prop_assert!(
        (1..=lines[line - 1].chars().count() + 1).contains(&column),
        "{message}"
    );
    Ok(())
}

/// Characters that mean something to TOML, plus a few that should not appear in it.
fn toml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(vec![
            '[', ']', '{', '}', '=', '"', '\'', '#', '\n', ' ', '.', ',', '-', '+', '_', 'e',
            '0', '1', '9', 'a', 't', 'n', 'i', 'f', '\\',
        ]),
        1 => prop::sample::select(vec!['\0', '\r', '\t', '\u{1b}', 'é', '東', '🙂', '\u{feff}']),
        1 => any::<char>(),
    ]
}

fn mutate(base: &str, edits: &[(prop::sample::Index, u8, String)]) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for (at, kind, with) in edits {
        let i = at.index(chars.len() + 1);
        let end = (i + with.chars().count()).min(chars.len());
        match kind % 3 {
            0 => drop(chars.splice(i..i, with.chars())),
            1 => drop(chars.splice(i..end, with.chars())),
            _ => drop(chars.drain(i..end)),
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics_and_errors_name_the_file(text in ".{0,300}") {
        check_error(&text, Config::parse(&text, Path::new("prop/config.toml")))?;
    }

    #[test]
    fn toml_like_text_never_panics(chars in prop::collection::vec(toml_char(), 0..200)) {
        let text: String = chars.into_iter().collect();
        check_error(&text, Config::parse(&text, Path::new("prop/config.toml")))?;
    }

    #[test]
    fn mutated_valid_configs_never_panic_and_errors_name_the_file(
        base in prop::sample::select(vec![
            ggchat::config::DEFAULT_CONFIG,
            include_str!("fixtures/config/valid.toml"),
        ]),
        edits in prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<u8>(),
                prop::collection::vec(toml_char(), 1..6).prop_map(String::from_iter),
            ),
            1..6,
        ),
    ) {
        let text = mutate(base, &edits);
        let result = Config::parse(&text, Path::new("prop/config.toml"));
        if let Ok(config) = &result {
            // Whatever is accepted is within bounds and survives a save and reload.
            prop_assert!(config.sampling.validate().is_ok());
            prop_assert!(config.model.validate().is_ok());
            let dir = tempfile::tempdir().unwrap();
            let saved = dir.path().join("config.toml");
            config.save(&saved).unwrap();
            prop_assert_eq!(&Config::load(&saved).unwrap(), config);
        }
        check_error(&text, result)?;
    }
}
