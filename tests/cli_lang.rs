//! The headless commands speak the interface language: `--lang zh-CN`, or a Chinese locale in
//! `LANG`, gives Chinese; `--lang en` beats the locale; tables stay aligned with wide titles.

mod common;

use common::{TempHome, stderr, stdout};
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{Session, Store};
use std::process::{Output, Stdio};

/// `ggchat ARGS` with `LANG` set to `lang` (stdin closed).
fn run_with_lang(home: &TempHome, lang: &str, args: &[&str]) -> Output {
    home.command()
        .env("LANG", lang)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run ggchat")
}

fn save(home: &TempHome, title: &str, messages: usize) -> Session {
    let store = Store::open(&home.data_dir().join("sessions")).unwrap();
    let mut session = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    for i in 0..messages {
        session
            .conversation
            .messages
            .push(ggchat::chat::Message::user(format!("question {i}")));
    }
    store.save(&mut session).unwrap();
    store.rename(&session.id, title).unwrap();
    session
}

#[test]
fn an_empty_session_list_follows_the_flag_then_the_locale() {
    let home = TempHome::new();
    let by_flag = home.run(&["--lang", "zh-CN", "sessions", "list"]);
    assert!(by_flag.status.success(), "{}", stderr(&by_flag));
    assert!(
        stdout(&by_flag).contains("中没有已保存的会话"),
        "{}",
        stdout(&by_flag)
    );
    let by_locale = run_with_lang(&home, "zh_CN.UTF-8", &["sessions", "list"]);
    assert!(
        stdout(&by_locale).contains("中没有已保存的会话"),
        "{}",
        stdout(&by_locale)
    );
    let flag_wins = run_with_lang(&home, "zh_CN.UTF-8", &["--lang", "en", "sessions", "list"]);
    assert!(
        stdout(&flag_wins).contains("no saved sessions"),
        "{}",
        stdout(&flag_wins)
    );
    let english = home.run(&["sessions", "list"]);
    assert!(
        stdout(&english).contains("no saved sessions"),
        "{}",
        stdout(&english)
    );
}

/// The message-count column starts at the same terminal column after a Chinese title (two
/// columns a character) as after an English one.
#[test]
fn session_list_columns_are_aligned_by_display_width() {
    let home = TempHome::new();
    save(&home, "日本旅行计划", 2);
    save(&home, "Japan trip", 3);
    let out = home.run(&["--lang", "zh-CN", "sessions", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let columns: Vec<usize> = text
        .lines()
        .map(|line| {
            let at = line.find(" 条消息").unwrap_or_else(|| panic!("{text}"));
            unicode_width::UnicodeWidthStr::width(&line[..at])
        })
        .collect();
    assert_eq!(columns.len(), 2, "{text}");
    assert_eq!(columns[0], columns[1], "misaligned:\n{text}");
}

#[test]
fn delete_rename_and_search_speak_chinese() {
    let home = TempHome::new();
    let session = save(&home, "Japan trip", 2);
    let refused = run_with_lang(&home, "zh_CN.UTF-8", &["sessions", "delete", &session.id]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains("删除会话") && message.contains("请加 --yes"),
        "{message}"
    );
    let renamed = run_with_lang(
        &home,
        "zh_CN.UTF-8",
        &["sessions", "rename", &session.id, "旅行"],
    );
    assert!(
        stdout(&renamed).contains("重命名为“旅行”"),
        "{}",
        stdout(&renamed)
    );
    let search = run_with_lang(&home, "zh_CN.UTF-8", &["sessions", "search", "nowhere"]);
    assert!(
        stdout(&search).contains("没有会话包含“nowhere”"),
        "{}",
        stdout(&search)
    );
    let deleted = home.run(&[
        "--lang",
        "zh-CN",
        "sessions",
        "delete",
        "--yes",
        &session.id,
    ]);
    assert_eq!(
        stdout(&deleted).trim(),
        format!("已删除 {}", session.id),
        "{}",
        stderr(&deleted)
    );
}

#[test]
fn ask_and_models_speak_the_chosen_language() {
    let home = TempHome::new();
    let model = common::default_model();
    let model = model.to_str().unwrap();
    let empty = run_with_lang(&home, "zh_CN.UTF-8", &["ask", "--model", model, "   "]);
    assert!(!empty.status.success());
    assert!(stderr(&empty).contains("没有提示词"), "{}", stderr(&empty));
    let english = run_with_lang(
        &home,
        "zh_CN.UTF-8",
        &["--lang", "en", "ask", "--model", model, "   "],
    );
    assert!(
        stderr(&english).contains("no prompt"),
        "{}",
        stderr(&english)
    );

    let none = home.run(&["--lang", "zh-CN", "models"]);
    assert!(none.status.success(), "{}", stderr(&none));
    assert!(stdout(&none).contains("没有找到模型"), "{}", stdout(&none));
    let missing = run_with_lang(&home, "zh_CN.UTF-8", &["models", "rm", "nosuch"]);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("模型目录中没有“nosuch”"),
        "{}",
        stderr(&missing)
    );
    let no_model = home.run(&["--lang", "zh-CN", "ask", "hi"]);
    assert!(
        stderr(&no_model).contains("没有找到模型") && stderr(&no_model).contains("ggchat pull"),
        "{}",
        stderr(&no_model)
    );
}

/// A session file that cannot be read is reported, in the interface language, with its path and
/// the fact that it was left alone; the good sessions are still listed.
#[test]
fn an_unreadable_session_file_is_reported_in_the_chosen_language() {
    let home = TempHome::new();
    save(&home, "good one", 1);
    let sessions = home.data_dir().join("sessions");
    let newer = sessions.join("20991231-235959-abcd.json");
    std::fs::write(&newer, r#"{"format_version": 99}"#).unwrap();
    let zh = home.run(&["--lang", "zh-CN", "sessions", "list"]);
    let warning = stderr(&zh);
    assert!(
        warning.contains("20991231-235959-abcd.json")
            && warning.contains("未作改动")
            && warning.contains("99"),
        "{warning}"
    );
    assert!(!warning.contains("left untouched"), "{warning}");
    assert!(stdout(&zh).contains("good one"), "{}", stdout(&zh));
    let en = home.run(&["sessions", "list"]);
    assert!(stderr(&en).contains("left untouched"), "{}", stderr(&en));
    assert!(std::fs::read_to_string(&newer).unwrap().contains("99"));
}
