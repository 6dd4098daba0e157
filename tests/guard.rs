//! The content-safety guard through the real binary and the real default model (SmolLM2, greedy):
//! `ask` with a rule file that blocks a word of its answer, a blocked and a redacted prompt, rule
//! files from the config, and a malformed rule file.

mod common;

use common::{TempHome, stderr, stdout};
use std::path::{Path, PathBuf};

fn model_arg() -> String {
    common::default_model().display().to_string()
}

fn rule_file(home: &TempHome, name: &str, text: &str) -> PathBuf {
    let path = home.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const PLACES: &str = "[[category]]\nname = \"places\"\naction = \"block\"\nterms = [\"paris\"]\n";

fn ask(home: &TempHome, guard: &Path, extra: &[&str], prompt: &str) -> std::process::Output {
    let model = model_arg();
    let mut args = vec![
        "ask",
        "--model",
        &model,
        "--temperature",
        "0",
        "-n",
        "48",
        "--guard",
        guard.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.push(prompt);
    home.run(&args)
}

#[test]
fn a_blocked_word_in_the_reply_stops_it_masked_with_exit_code_3() {
    let home = TempHome::new();
    let rules = rule_file(&home, "places.toml", PLACES);
    let out = ask(&home, &rules, &[], "What is the capital of France?");
    let (text, err) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(3), "{text}\n{err}");
    assert!(!text.contains("Paris"), "{text}");
    assert!(
        text.trim_end().ends_with("█████"),
        "the reply stops at the masked match: {text:?}"
    );
    assert!(
        err.contains("stopped by the content filter (category: places)"),
        "{err}"
    );

    let out = ask(&home, &rules, &["--json"], "What is the capital of France?");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let reply = json["reply"].as_str().unwrap();
    assert!(
        reply.ends_with("█████") && !reply.contains("Paris"),
        "{reply}"
    );
    assert_eq!(json["stats"]["stop_reason"], "content_filter");
    assert_eq!(
        json["guard"]["output"],
        serde_json::json!([{"category": "places", "action": "block"}])
    );
}

#[test]
fn a_blocked_prompt_is_not_sent_and_names_the_category_in_chinese() {
    let home = TempHome::new();
    let rules = rule_file(
        &home,
        "zh.toml",
        "[[category]]\nname = \"辱骂\"\naction = \"block\"\nterms = [\"示例辱骂词甲\"]\n",
    );
    let out = ask(
        &home,
        &rules,
        &["--json", "--lang", "zh-CN"],
        "你好，你这个示例辱骂词甲！",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("提示未发送") && err.contains("辱骂"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["reply"], "");
    assert_eq!(json["stats"]["generated_tokens"], 0, "the model never ran");
    assert_eq!(json["guard"]["input"][0]["category"], "辱骂");
    assert_eq!(json["guard"]["prompt_sent"], "你好，你这个██████！");
}

#[test]
fn a_redacted_prompt_is_masked_before_it_is_sent() {
    let home = TempHome::new();
    let rules = rule_file(
        &home,
        "secrets.toml",
        "[[category]]\nname = \"credentials\"\naction = \"redact\"\nterms = [\"hunter2\"]\n",
    );
    let out = ask(
        &home,
        &rules,
        &["--json"],
        "My password is hunter2. Say hi.",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("content filter: credentials (masked)"));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json["guard"]["prompt_sent"],
        "My password is ███████. Say hi."
    );
    assert_eq!(json["guard"]["input"][0]["action"], "redact");
}

#[test]
fn rule_files_come_from_the_config_relative_to_its_folder() {
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir().join("rules")).unwrap();
    std::fs::write(home.config_dir().join("rules/places.toml"), PLACES).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        "[guard]\nrule_files = [\"rules/places.toml\"]\n",
    )
    .unwrap();
    let out = home.run(&[
        "ask",
        "--model",
        &model_arg(),
        "--temperature",
        "0",
        "-n",
        "48",
        "What is the capital of France?",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!stdout(&out).contains("Paris"));
}

#[test]
fn a_malformed_rule_file_is_an_error_naming_file_line_and_rule() {
    let home = TempHome::new();
    let rules = rule_file(
        &home,
        "bad.toml",
        "[[category]]\nname = \"keys\"\naction = \"redact\"\n\n[[category.regex]]\npattern = 'sk-[a-z]+'\n",
    );
    let out = ask(&home, &rules, &[], "hi");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("bad.toml") && err.contains("line 5") && err.contains("sk-[a-z]+"),
        "{err}"
    );
}
