//! A failed command explains itself in the interface language: the typed errors at the end of
//! the chain (a session that does not exist, a model file that does not exist, a bad config
//! file) are worded in Chinese with `--lang zh-CN`, and stay English by default.

mod common;

use common::{TempHome, stderr};

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_missing_session_is_explained_in_the_chosen_language() {
    let home = TempHome::new();
    let out = home.run(&["--lang", "zh-CN", "sessions", "show", "nope"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("没有与“nope”匹配的会话"),
        "Chinese wording: {err}"
    );
    let out = home.run(&["sessions", "show", "nope"]);
    let err = stderr(&out);
    assert!(
        err.contains("no session matches \"nope\"") && !has_cjk(&err),
        "English by default: {err}"
    );
}

#[test]
fn a_missing_model_is_explained_in_the_chosen_language() {
    let home = TempHome::new();
    let missing = home.dir.path().join("nope.gguf");
    let missing = missing.to_str().unwrap();
    let out = home.run(&["--lang", "zh-CN", "--model", missing, "ask", "hi"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!("找不到文件：{missing}")),
        "Chinese wording with the path: {err}"
    );
    let out = home.run(&["--model", missing, "ask", "hi"]);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("file not found: {missing}")) && !has_cjk(&err),
        "English by default: {err}"
    );
}

#[test]
fn a_bad_config_file_is_explained_in_the_language_of_the_flag() {
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    let config = home.config_dir().join("config.toml");
    // The file also asks for English: it cannot be read, so the flag decides.
    std::fs::write(
        &config,
        "[ui]\nlanguage = \"en\"\n[sampling]\ntemperature = 9\n",
    )
    .unwrap();
    let out = home.run(&["--lang", "zh-CN", "sessions", "list"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("第 4 行") && err.contains("sampling.temperature") && err.contains("贪心"),
        "Chinese wording with line, key and range: {err}"
    );
    let out = home
        .command()
        .env("LANG", "zh_CN.UTF-8")
        .args(["sessions", "list"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        err.contains("第 4 行"),
        "the locale decides without a flag: {err}"
    );
    let out = home.run(&["sessions", "list"]);
    let err = stderr(&out);
    assert!(
        err.contains("line 4") && err.contains("0 to 5 (0 = greedy)") && !has_cjk(&err),
        "English by default: {err}"
    );
}
