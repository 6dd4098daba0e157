//! `--thinking on|off` and `--thinking-budget N` through the real binary and the real default
//! model (SmolLM2, greedy). The fixture template `chatml-think-switch.jinja` has Qwen3's switch
//! (`enable_thinking`): on, its generation prompt opens `<think>` and SmolLM2's whole output is
//! reasoning (it never closes the tag); off, it writes an empty, closed think block and the output
//! is the answer. `chatml-think.jinja` always opens `<think>` and has no switch.

mod common;

use common::{TempHome, stderr, stdout};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates")
        .join(name);
    path.display().to_string()
}

/// `ask --json` with `template` and `extra` flags: the parsed output and stderr.
fn ask(home: &TempHome, template: &str, extra: &[&str]) -> (serde_json::Value, String) {
    let model = common::default_model().display().to_string();
    let template = fixture(template);
    let mut args = vec![
        "ask",
        "--model",
        &model,
        "--template",
        &template,
        "--temperature",
        "0",
        "--json",
    ];
    if !extra.contains(&"-n") {
        args.extend(["-n", "24"]);
    }
    args.extend_from_slice(extra);
    args.push("What is the capital of France?");
    let out = home.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let json =
        serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (json, stderr(&out))
}

fn text<'a>(json: &'a serde_json::Value, key: &str) -> &'a str {
    json[key].as_str().unwrap_or_default()
}

#[test]
fn the_templates_switch_turns_thinking_off_and_on() {
    let home = TempHome::new();
    let (off, _) = ask(&home, "chatml-think-switch.jinja", &["--thinking", "off"]);
    assert_eq!(text(&off, "reasoning"), "", "thinking off: {off:#}");
    assert!(text(&off, "reply").trim().len() > 5, "an answer: {off:#}");

    for switch in ["on", "auto"] {
        let (on, _) = ask(&home, "chatml-think-switch.jinja", &["--thinking", switch]);
        assert!(
            text(&on, "reasoning").trim().len() > 5,
            "thinking {switch}: {on:#}"
        );
        assert_eq!(text(&on, "reply"), "", "thinking {switch}: {on:#}");
    }
}

#[test]
fn thinking_off_on_a_template_without_a_switch_is_said_once_not_ignored() {
    let home = TempHome::new();
    let (json, err) = ask(&home, "chatml-think.jinja", &["--thinking", "off"]);
    assert_eq!(
        err.matches("no thinking switch").count(),
        1,
        "one notice: {err}"
    );
    // Nothing switched it off: the template still opens the reasoning.
    assert!(text(&json, "reasoning").trim().len() > 5, "{json:#}");
    let (_, err) = ask(&home, "chatml-think-switch.jinja", &["--thinking", "off"]);
    assert!(!err.contains("no thinking switch"), "{err}");
}

/// The forced template opens `<think>` and SmolLM2 never closes it: without a budget its whole
/// reply (7 tokens, then end of generation) is reasoning; with a budget of 4 the end tag is put in
/// after 4 tokens and an answer follows.
#[test]
fn a_thinking_budget_cuts_the_reasoning_at_n_tokens_and_an_answer_follows() {
    let home = TempHome::new();
    let (unlimited, _) = ask(&home, "chatml-think.jinja", &["-n", "60"]);
    assert_eq!(text(&unlimited, "reply"), "", "{unlimited:#}");

    let (cut, _) = ask(
        &home,
        "chatml-think.jinja",
        &["-n", "60", "--thinking-budget", "4"],
    );
    let reasoning = text(&cut, "reasoning");
    let reply = text(&cut, "reply");
    assert!(reply.trim().len() > 3, "an answer follows: {cut:#}");
    // The cut reasoning is exactly the first 4 greedy tokens: what `-n 4` gives without a budget.
    let (four, _) = ask(&home, "chatml-think.jinja", &["-n", "4"]);
    assert_eq!(reasoning.trim(), text(&four, "reasoning").trim(), "{cut:#}");
    assert!(
        text(&unlimited, "reasoning").trim().len() > reasoning.trim().len(),
        "{unlimited:#}"
    );
}
