//! The parameter table against the files and texts that mirror it: config and session files
//! round-trip every row, the hand-written default config lists every row with its default, and
//! every help text exists in both languages.

use super::table::find;
use super::*;

/// Sets `value` in row `param` of the defaults and validates them as every path does.
fn set_valid(param: &Param, value: Value) -> (SamplingParams, ModelParams) {
    let (mut sampling, mut model) = (SamplingParams::default(), ModelParams::default());
    assert!(
        param.set(&mut sampling, &mut model, value),
        "{}",
        param.name
    );
    sampling.validate().unwrap();
    model.validate().unwrap();
    (sampling, model)
}

/// A valid value other than the default, for each row.
fn other_value(param: &Param) -> Value {
    match param.default_value() {
        Value::F32(v) => Value::F32(if v == 0.5 { 0.25 } else { 0.5 }),
        Value::I32(_) => Value::I32(300),
        // 300, or a bound when 300 is out of range (`alternatives`: 2 to 4).
        Value::U32(v) => Value::U32(match param.bounds {
            Bounds::Int { min, max } if !(min..=max).contains(&300) => {
                let bound = if i64::from(v) == min { max } else { min };
                u32::try_from(bound).unwrap()
            }
            _ => 300,
        }),
        Value::OptU32(_) => Value::OptU32(Some(300)),
        Value::Strings(_) => Value::Strings(vec!["</s>".into(), "User:".into()]),
        Value::Flash(_) => Value::Flash(FlashAttention::On),
        Value::Spec(_) => Value::Spec(crate::params::Speculation::Lookup),
        Value::Thinking(_) => Value::Thinking(crate::params::ThinkingSwitch::Off),
        Value::Path(_) => Value::Path(Some("/models/adapter.gguf".into())),
    }
}

#[test]
fn every_row_round_trips_through_the_config_file_and_a_session_file() {
    let path = std::path::Path::new("config.toml");
    for param in PARAMS {
        let value = other_value(param);
        assert_ne!(value, param.default_value(), "{}", param.name);
        let mut config = crate::config::Config::default();
        (config.sampling, config.model) = set_valid(param, value.clone());

        let text = toml::to_string(&config).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{} = ", param.name)));
        assert!(
            line.is_some(),
            "{} is not written as its name:\n{text}",
            param.name
        );
        let back = crate::config::Config::parse(&text, path).unwrap();
        assert_eq!(
            param.get(&back.sampling, &back.model),
            value,
            "config {}",
            param.name
        );

        let session = crate::store::Session::new("", config.sampling, config.model);
        let bytes = crate::store::format::encode(&session).unwrap();
        let back = crate::store::format::decode(&bytes, &session.id).unwrap();
        assert_eq!(
            param.get(&back.sampling, &back.model_params),
            value,
            "session {}",
            param.name
        );
    }
}

/// The embedded default config is written by hand; it must list every row with its default
/// (unset ones as a commented example), so it cannot drift from the table.
#[test]
fn the_default_config_lists_every_row_with_its_default() {
    let text = crate::config::DEFAULT_CONFIG;
    let config = crate::config::Config::parse(text, std::path::Path::new("default")).unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    for param in PARAMS {
        let section = param.section().name();
        let start = text
            .find(&format!("\n[{section}]\n"))
            .unwrap_or_else(|| panic!("no [{section}] table"));
        let body = &text[start + section.len() + 4..];
        let body = &body[..body.find("\n[").unwrap_or(body.len())];
        let default = param.default_value();
        let unset = matches!(default, Value::OptU32(None) | Value::Path(None));
        let written = doc[section].get(param.name).is_some();
        if unset {
            assert!(
                !written,
                "{section}.{} is set but its default is unset",
                param.name
            );
            assert!(
                body.lines()
                    .any(|l| l.starts_with(&format!("# {} = ", param.name))),
                "[{section}] has no commented example of {}",
                param.name
            );
        } else {
            assert!(written, "[{section}] does not list {}", param.name);
            assert_eq!(
                param.get(&config.sampling, &config.model),
                default,
                "{section}.{} in the default config is not the default",
                param.name
            );
        }
    }
}

#[test]
fn help_texts_exist_in_both_languages_and_the_pane_marks_reloads() {
    use crate::i18n::{Lang, text_in, with_language};
    for param in PARAMS {
        for id in std::iter::once(param.help).chain(param.empty) {
            let en = text_in(Lang::En, id, &[]);
            assert_ne!(en, id, "{id} missing in English");
            // A message missing from Chinese falls back to English.
            assert_ne!(text_in(Lang::ZhCn, id, &[]), en, "{id} missing in Chinese");
        }
        let en = with_language(Lang::En, || param.pane_help());
        let zh = with_language(Lang::ZhCn, || param.pane_help());
        assert_eq!(en.ends_with(" (reloads)"), param.reloads, "{en}");
        assert_eq!(zh.ends_with("（需重新加载模型）"), param.reloads, "{zh}");
        assert_ne!(en, zh, "{} is not translated", param.name);
    }
    let ctx = find("ctx_size").unwrap();
    assert_eq!(
        with_language(Lang::En, || ctx.pane_help()),
        "context size in tokens, empty = auto (reloads)"
    );
    assert_eq!(
        with_language(Lang::ZhCn, || ctx.pane_help()),
        "上下文长度（词元），留空 = 自动（需重新加载模型）"
    );
    assert_eq!(
        find("top_k").unwrap().cli_help(),
        "Keep the k most likely tokens (0 = off). Allowed: 0 to 100000 (0 = off)."
    );
    assert_eq!(
        find("flash_attention").unwrap().cli_help(),
        "Fused attention: auto, on or off."
    );
}
