//! The two message files agree, every message the code asks for exists, and the language is
//! chosen as documented.

use super::*;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Message id → the placeholders it uses, for one file; a syntax error or a duplicate id fails.
fn messages(name: &str, source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source)
        .unwrap_or_else(|(_, errors)| panic!("{name} has syntax errors: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        if let Entry::Message(message) = entry {
            let mut vars = BTreeSet::new();
            if let Some(value) = &message.value {
                pattern_vars(value, &mut vars);
            }
            assert!(
                message.value.is_some(),
                "{name}: message {} has no text",
                message.id.name
            );
            let id = message.id.name.to_string();
            assert!(
                out.insert(id.clone(), vars).is_none(),
                "{name}: {id} is defined twice"
            );
        }
    }
    out
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_vars(inline, vars),
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for variant in variants {
                pattern_vars(&variant.value, vars);
            }
        }
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars);
            }
            for named in &arguments.named {
                inline_vars(&named.value, vars);
            }
        }
        _ => {}
    }
}

#[test]
fn both_languages_have_the_same_messages_and_placeholders() {
    let en = messages("en.ftl", EN_FTL);
    let zh = messages("zh-CN.ftl", ZH_CN_FTL);
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "missing from zh-CN.ftl: {only_en:?}");
    assert!(only_zh.is_empty(), "missing from en.ftl: {only_zh:?}");
    for (id, vars) in &en {
        assert_eq!(
            vars, &zh[id],
            "placeholders of {id} differ between en and zh-CN"
        );
    }
}

/// Every `tr!("id"` in the sources names a message that exists, so no screen shows a raw id.
#[test]
fn every_message_the_code_uses_exists() {
    let en = messages("en.ftl", EN_FTL);
    let mut missing = Vec::new();
    let mut used = 0;
    visit(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src").as_path(),
        &mut |path, text| {
            for (i, _) in text.match_indices("tr!(\"") {
                // `include_str!("` ends the same way; only the macro itself counts.
                if text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
                {
                    continue;
                }
                let rest = &text[i + 5..];
                let id = &rest[..rest.find('"').unwrap_or(0)];
                used += 1;
                if !en.contains_key(id) {
                    missing.push(format!("{}: {id}", path.display()));
                }
            }
        },
    );
    assert!(
        missing.is_empty(),
        "messages used but not defined: {missing:#?}"
    );
    assert!(used > 0, "no tr!(\"...\") call found: the scan is broken");
}

fn visit(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit(&path, f);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("i18n/tests.rs") {
            f(&path, &std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn placeholders_are_filled_and_missing_messages_fall_back() {
    assert_eq!(
        text_in(Lang::En, "lang-name", &[]),
        "English",
        "a plain message"
    );
    assert_eq!(text_in(Lang::ZhCn, "lang-name", &[]), "简体中文");
    let filled = text_in(
        Lang::ZhCn,
        "error-with-detail",
        &[("what", "x".into()), ("detail", "y".into())],
    );
    assert!(filled.contains('x') && filled.contains('y'), "{filled}");
    assert!(
        !filled.contains('\u{2068}'),
        "no isolation marks in terminal text: {filled:?}"
    );
    assert_eq!(
        text_in(Lang::ZhCn, "no-such-message", &[]),
        "no-such-message"
    );
}

#[test]
fn the_locale_environment_picks_simplified_chinese_only_for_its_locales() {
    for locale in [
        "zh_CN.UTF-8",
        "zh_SG",
        "zh_Hans",
        "zh_CN.GB18030",
        "zh-Hans-CN",
    ] {
        assert_eq!(Lang::from_locale(locale), Lang::ZhCn, "{locale}");
    }
    for locale in [
        "C",
        "POSIX",
        "en_US.UTF-8",
        "zh_TW.UTF-8",
        "zh_HK",
        "fr_FR",
        "",
    ] {
        assert_eq!(Lang::from_locale(locale), Lang::En, "{locale}");
    }
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    // LC_ALL wins over LANG; an empty LC_ALL does not count.
    assert_eq!(
        choose(
            None,
            None,
            env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")])
        ),
        Ok(Lang::En)
    );
    assert_eq!(
        choose(None, None, env(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")])),
        Ok(Lang::ZhCn)
    );
    // The config beats the environment, the flag beats both.
    assert_eq!(
        choose(None, Some("en"), env(&[("LANG", "zh_CN.UTF-8")])),
        Ok(Lang::En)
    );
    assert_eq!(choose(Some("zh-CN"), Some("en"), env(&[])), Ok(Lang::ZhCn));
    assert_eq!(choose(None, None, env(&[])), Ok(Lang::En));
    let err = choose(None, Some("klingon"), env(&[])).unwrap_err();
    assert!(
        err.to_string().contains("klingon") && err.to_string().contains("zh-CN"),
        "{err}"
    );
}
