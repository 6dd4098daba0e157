//! The whole chat in the language the user asked for, in the real binary: a Chinese locale
//! (`LANG=zh_CN.UTF-8`) gives the Chinese interface (status bar, role labels, help), `--lang en`
//! wins over the locale, and `ui.language` in the config wins over the locale too.

use crate::common::TempHome;
use crate::harness::*;
use ggchat::i18n::{Lang, text_in};
use std::sync::Arc;

const F1: &[u8] = b"\x1bOP";

fn ready_in(lang: Lang) -> String {
    format!("│ {} ", text_in(lang, "tui-status-ready", &[]))
}

/// Starts the chat, asks one question and opens the help; returns the screen with the help.
fn chat_and_help(tui: &mut Tui, lang: Lang) -> (String, String) {
    let ready = ready_in(lang);
    tui.wait_for("the model to be ready", FIRST_ANSWER, |s| {
        status(s).contains(&ready)
    })
    .unwrap();
    tui.type_line("Hi");
    let you = text_in(lang, "tui-role-user", &[]);
    let assistant = text_in(lang, "tui-role-assistant", &[]);
    let chat = tui
        .wait_for("the reply", FIRST_ANSWER, |s| {
            s.contains(&you) && s.contains(&assistant) && status(s).contains(&ready)
        })
        .unwrap();
    tui.send(F1);
    let title = text_in(lang, "keys-help-title", &[("close", "any key".into())]);
    let title = title.split('—').next().unwrap().trim().to_owned();
    let help_row = text_in(lang, "keys-settings", &[]);
    let help = tui
        .wait_for("the help", UI, |s| {
            s.contains(&title) && s.contains(&help_row)
        })
        .unwrap();
    tui.esc();
    tui.send(b"\x11");
    tui.wait_exit(UI).unwrap();
    (chat, help)
}

fn has_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_chinese_locale_gives_the_chinese_interface() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_env(home, 100, 30, &[], &[("LANG", "zh_CN.UTF-8")]);
    let (chat, help) = chat_and_help(&mut tui, Lang::ZhCn);
    assert!(has_chinese(status(&chat)), "status bar:\n{chat}");
    assert!(!chat.contains("│ ready "), "{chat}");
    assert!(help.contains("设置"), "help rows in Chinese:\n{help}");
    assert!(
        !help.contains("settings: sampling and model parameters"),
        "{help}"
    );
}

#[test]
fn lang_en_wins_over_a_chinese_locale() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_env(home, 100, 30, &["--lang", "en"], &[("LANG", "zh_CN.UTF-8")]);
    let (chat, help) = chat_and_help(&mut tui, Lang::En);
    assert!(!has_chinese(&chat), "English chat:\n{chat}");
    assert!(!has_chinese(&help), "English help:\n{help}");
}

#[test]
fn ui_language_in_the_config_wins_over_the_locale() {
    let _turn = serial();
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        "[ui]\nlanguage = \"zh-CN\"\n",
    )
    .unwrap();
    let mut tui = Tui::start_env(Arc::new(home), 100, 30, &[], &[("LANG", "en_US.UTF-8")]);
    let (chat, _) = chat_and_help(&mut tui, Lang::ZhCn);
    assert!(has_chinese(status(&chat)), "status bar:\n{chat}");
}
