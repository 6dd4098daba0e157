//! Reasoning ("thinking") through the real binary and the real default model (SmolLM2, greedy):
//! a forced chat template whose generation prompt opens `<think>` (as Qwen3's and DeepSeek-R1's
//! do) makes the reply arrive as reasoning (SmolLM2 never writes `</think>`, so all of it); `--json` has it beside `reply`, streaming puts it on
//! stderr, and `--hide-thinking` drops it.

mod common;

use common::{TempHome, stderr, stdout};

fn template() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates/chatml-think.jinja");
    path.display().to_string()
}

fn ask(home: &TempHome, extra: &[&str]) -> std::process::Output {
    let model = common::default_model().display().to_string();
    let template = template();
    let mut args = vec![
        "ask",
        "--model",
        &model,
        "--template",
        &template,
        "--temperature",
        "0",
        "-n",
        "24",
    ];
    args.extend_from_slice(extra);
    args.push("What is the capital of France?");
    home.run(&args)
}

#[test]
fn a_reply_opened_as_thinking_and_never_closed_is_all_reasoning() {
    let home = TempHome::new();
    let out = ask(&home, &["--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let reasoning = json["reasoning"].as_str().unwrap_or_default();
    let reply = json["reply"].as_str().unwrap();
    assert!(
        reasoning.trim().len() > 10,
        "the output is reasoning: {json:#}"
    );
    assert_eq!(reply, "", "nothing closed the reasoning: {json:#}");

    // Streaming: the reasoning goes to stderr, stdout has the (empty) answer.
    let streamed = ask(&home, &[]);
    assert!(streamed.status.success(), "{}", stderr(&streamed));
    assert_eq!(stdout(&streamed).trim(), "");
    assert!(
        stderr(&streamed).contains(reasoning.trim()),
        "{}",
        stderr(&streamed)
    );

    let hidden = ask(&home, &["--hide-thinking"]);
    assert!(hidden.status.success(), "{}", stderr(&hidden));
    assert!(
        !stderr(&hidden).contains(reasoning.trim()),
        "{}",
        stderr(&hidden)
    );
    assert_eq!(stdout(&hidden).trim(), "");
    let hidden = ask(&home, &["--hide-thinking", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&hidden)).unwrap();
    assert!(json.get("reasoning").is_none(), "{json:#}");
}

#[test]
fn the_models_own_template_gives_an_answer_without_reasoning() {
    let home = TempHome::new();
    let model = common::default_model().display().to_string();
    let out = home.run(&[
        "ask",
        "--model",
        &model,
        "--temperature",
        "0",
        "-n",
        "24",
        "--json",
        "What is the capital of France?",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(json.get("reasoning").is_none(), "{json:#}");
    assert!(
        json["reply"].as_str().unwrap().contains("Paris"),
        "{json:#}"
    );
}

#[test]
fn tags_from_the_config_are_recognised_and_an_empty_tag_is_refused() {
    let home = TempHome::new();
    let template = home.dir.path().join("chatml-r.jinja");
    let think = std::fs::read_to_string(self::template()).unwrap();
    std::fs::write(&template, think.replace("<think>", "<r>")).unwrap();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    let config = home.config_dir().join("config.toml");
    std::fs::write(&config, "[thinking]\ntags = [[\"<r>\", \"</r>\"]]\n").unwrap();
    let model = common::default_model().display().to_string();
    let ask = |home: &TempHome| {
        home.run(&[
            "ask",
            "--model",
            &model,
            "--template",
            template.to_str().unwrap(),
            "--temperature",
            "0",
            "-n",
            "24",
            "--json",
            "What is the capital of France?",
        ])
    };
    let out = ask(&home);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        json["reasoning"].as_str().unwrap_or_default().len() > 10,
        "{json:#}"
    );

    std::fs::write(&config, "[thinking]\ntags = [[\"\", \"</r>\"]]\n").unwrap();
    let out = ask(&home);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("[thinking] tags") && err.contains("empty tag"),
        "{err}"
    );
}
