//! The real `ggchat` binary, headless: answers, JSON output, and clear errors for bad input.

mod common;

use common::{TempHome, stderr, stdout};
use std::io::Write;
use std::process::Stdio;

fn model_arg() -> String {
    common::default_model().display().to_string()
}

#[test]
fn greedy_ask_names_paris() {
    let home = TempHome::new();
    let out = home.run(&[
        "ask",
        "--model",
        &model_arg(),
        "--temperature",
        "0",
        "What is the capital of France?",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Paris"), "{}", stdout(&out));
}

#[test]
fn json_output_is_one_object_and_stdout_holds_nothing_else() {
    let home = TempHome::new();
    let out = home.run(&[
        "ask",
        "--json",
        "--model",
        &model_arg(),
        "--temperature",
        "0",
        "-n",
        "12",
        "--seed",
        "7",
        "Say hello.",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is JSON");
    assert!(value["reply"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(value["stats"]["seed"], 7);
    assert!(value["stats"]["generated_tokens"].as_u64().unwrap() <= 12);
    // The figures the monitor pane shows per reply.
    let stats = &value["stats"];
    assert!(
        stats["generation_tokens_per_second"].as_f64().unwrap() > 0.0,
        "{stats}"
    );
    assert!(
        stats["time_to_first_token_ms"].as_f64().unwrap() > 0.0,
        "{stats}"
    );
    assert!(
        stats["prompt_tokens_evaluated"].as_u64().unwrap() > 0,
        "{stats}"
    );
    assert!(stats["prompt_tokens_reused"].is_u64(), "{stats}");
    assert!(stats["context_used"].as_u64().unwrap() > 0, "{stats}");
    // SmolLM2-135M needs far more than 50 MB resident; the peak is at least the current.
    let peak = stats["peak_rss_bytes"].as_u64().expect("peak_rss_bytes");
    assert!(peak > 50_000_000, "{stats}");
    assert!(
        peak >= stats["rss_bytes"].as_u64().expect("rss_bytes"),
        "{stats}"
    );
    assert_eq!(value["model"]["quantization"], "Q4_1");
    // llama.cpp's log lines went to the log file, not to stdout or stderr.
    let log = std::fs::read_to_string(home.data_dir().join("ggchat.log")).unwrap();
    assert!(log.contains("llama"), "log file holds llama.cpp's lines");
    assert!(!stderr(&out).contains("llama_model_loader"));
}

#[test]
fn the_prompt_can_come_from_stdin() {
    let home = TempHome::new();
    let mut child = home
        .command()
        .args(["ask", "--model", &model_arg(), "--temperature", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"What is the capital of France?")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Paris"));
}

#[test]
fn without_any_model_the_user_is_told_how_to_get_one() {
    let home = TempHome::new();
    let out = home.run(&["ask", "hi"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no model found"), "{err}");
    assert!(err.contains("scripts/fetch-model.sh"), "{err}");
}

#[test]
fn the_models_directory_is_used_by_default() {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    std::fs::create_dir_all(&models).unwrap();
    std::os::unix::fs::symlink(
        common::default_model(),
        models.join(common::DEFAULT_MODEL_FILE),
    )
    .unwrap();
    let out = home.run(&["ask", "--temperature", "0", "-n", "8", "Hi"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = home.run(&["models"]);
    assert!(stdout(&listed).contains("Q4_1"), "{}", stdout(&listed));
}

#[test]
fn bad_model_files_give_clear_errors_and_never_panic() {
    let home = TempHome::new();
    let dir = home.dir.path();
    let real = std::fs::read(common::default_model()).unwrap();
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let cases: Vec<(&str, Option<Vec<u8>>, &str)> = vec![
        ("missing.gguf", None, "not found"),
        ("zero.gguf", Some(Vec::new()), "empty"),
        ("random.gguf", Some(random), "not a GGUF file"),
        (
            "truncated.gguf",
            Some(real[..real.len() / 2].to_vec()),
            "truncated",
        ),
        ("header-only.gguf", Some(real[..1000].to_vec()), "truncated"),
    ];
    for (name, content, expected) in cases {
        let path = dir.join(name);
        if let Some(bytes) = content {
            std::fs::write(&path, bytes).unwrap();
        }
        let out = home.run(&["ask", "--model", path.to_str().unwrap(), "hi"]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the message names the file: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(stdout(&out).is_empty());
    }
    let out = home.run(&["ask", "--model", dir.to_str().unwrap(), "hi"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("directory"), "{}", stderr(&out));
}

#[test]
fn absurd_parameters_are_refused_by_name() {
    let home = TempHome::new();
    for (flag, value, name) in [
        ("--temperature", "-3", "temperature"),
        ("--top-p", "2", "top_p"),
        ("--ctx-size", "3", "ctx_size"),
        ("--threads", "0", "threads"),
    ] {
        let flag_value = format!("{flag}={value}");
        let out = home.run(&["ask", "--model", &model_arg(), &flag_value, "hi"]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains(name) && err.contains("out of range"),
            "{flag}: {err}"
        );
    }
    let out = home.run(&[
        "ask",
        "--model",
        &model_arg(),
        "--temperature",
        "warm",
        "hi",
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--temperature"), "{}", stderr(&out));
}

#[test]
fn an_empty_prompt_is_refused() {
    let home = TempHome::new();
    let out = home.run(&["ask", "--model", &model_arg(), "   "]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no prompt"), "{}", stderr(&out));
}

#[test]
fn json_output_carries_the_speculation_figures_when_speculation_is_on() {
    let home = TempHome::new();
    let ask = |speculation: &str| {
        let out = home.run(&[
            "ask",
            "--json",
            "--model",
            &model_arg(),
            "--temperature",
            "0",
            "-n",
            "48",
            "--speculation",
            speculation,
            "--draft-max",
            "8",
            "Write the numbers one to twenty in words, separated by commas.",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is JSON");
        value["stats"].clone()
    };
    let on = ask("lookup");
    let drafted = on["speculation"]["drafted"].as_u64().expect("drafted");
    let accepted = on["speculation"]["accepted"].as_u64().expect("accepted");
    assert!(drafted > 0 && accepted <= drafted, "{on}");
    assert!(ask("off").get("speculation").is_none());
}

#[test]
fn ask_refuses_a_draft_model_with_another_vocabulary() {
    let gemma = common::gemma_model();
    let gemma = gemma.to_str().expect("UTF-8 path");
    let refused = |out: std::process::Output| {
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("gemma-3-270m-q4_k_m.gguf as a draft model for")
                && err.contains("SmolLM2-135M-Instruct.Q4_1.gguf")
                && err.contains("vocabularies differ"),
            "{err}"
        );
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    };
    // From the flag.
    let home = TempHome::new();
    refused(home.run(&[
        "ask",
        "--model",
        &model_arg(),
        "--speculation",
        "draft",
        "--draft-model",
        gemma,
        "Hi",
    ]));
    // From the config file.
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!("[sampling]\nspeculation = \"draft\"\n\n[model]\ndraft_model = {gemma:?}\n"),
    )
    .unwrap();
    refused(home.run(&["ask", "--model", &model_arg(), "Hi"]));
}
