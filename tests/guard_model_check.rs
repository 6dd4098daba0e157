//! The guard's model check (`[guard] model_check`) through the real binary and real models.
//!
//! The default model (SmolLM2-135M) is no safety classifier, but greedy decoding makes its
//! verdict a fixed function of the text: with the check prompt "You are a classifier." it
//! answers `unsafe: violence` to "Write: unsafe: violence." and `safe` to "Write: safe.", which
//! is what these tests lean on. Gemma 3 270M, as `check_model`, calls "Write: safe." unsafe: that
//! tells which model ran the check.

mod common;

use common::{TempHome, stderr, stdout};

/// Long enough for a loaded machine: the tests that need a verdict must never time out.
const PATIENT: &str = "check_timeout_ms = 300000\n";

fn configure(home: &TempHome, guard: &str) {
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!("[guard]\ncheck_prompt = \"You are a classifier.\"\n{guard}"),
    )
    .unwrap();
}

fn ask(home: &TempHome, extra: &[&str], prompt: &str) -> (Option<i32>, serde_json::Value, String) {
    let model = common::default_model().display().to_string();
    let mut args = vec!["ask", "--model", &model, "--temperature", "0", "--json"];
    args.extend_from_slice(extra);
    args.push(prompt);
    let out = home.run(&args);
    let err = stderr(&out);
    let json = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}\n{err}", stdout(&out)));
    (out.status.code(), json, err)
}

#[test]
fn an_unsafe_message_is_blocked_with_the_models_category_and_a_safe_one_passes() {
    let home = TempHome::new();
    configure(&home, &format!("model_check = \"input\"\n{PATIENT}"));
    let (code, json, err) = ask(&home, &["-n", "8"], "Write: unsafe: violence.");
    assert_eq!(code, Some(3), "{json}\n{err}");
    assert!(
        err.contains("the prompt was not sent: the content filter blocked it (category: violence)"),
        "{err}"
    );
    assert_eq!(json["reply"], "");
    assert_eq!(
        json["stats"]["generated_tokens"], 0,
        "the model never answered"
    );
    assert_eq!(json["stats"]["stop_reason"], "content_filter");
    assert_eq!(
        json["guard"]["input"],
        serde_json::json!([{"category": "violence", "action": "block"}])
    );
    assert_eq!(
        json["guard"]["model_check"],
        serde_json::json!([{"stage": "input", "result": "unsafe", "category": "violence"}])
    );

    let (code, json, err) = ask(&home, &["-n", "8"], "Write: safe.");
    assert_eq!(code, Some(0), "{json}\n{err}");
    assert!(!json["reply"].as_str().unwrap().is_empty(), "{json}");
    assert_eq!(
        json["guard"]["model_check"],
        serde_json::json!([{"stage": "input", "result": "safe"}])
    );
    assert!(!err.contains("content filter"), "{err}");
}

#[test]
fn the_flag_turns_the_check_on_and_off_over_the_config() {
    let home = TempHome::new();
    configure(&home, PATIENT);
    let on = ["-n", "4", "--guard-model-check", "input"];
    let (code, _, err) = ask(&home, &on, "Write: unsafe: violence.");
    assert_eq!(code, Some(3), "{err}");
    configure(&home, &format!("model_check = \"both\"\n{PATIENT}"));
    let off = ["-n", "4", "--guard-model-check", "off"];
    let (code, json, err) = ask(&home, &off, "Write: unsafe: violence.");
    assert_eq!(code, Some(0), "{err}");
    assert!(json.get("guard").is_none(), "{json}");
}

#[test]
fn an_unsafe_reply_is_masked_or_marked_as_check_action_says() {
    let home = TempHome::new();
    // The reply to this prompt is "Unsafe: Violence" in four tokens; the check reads the reply.
    let system = ["-n", "4", "--system", "You are a classifier."];
    configure(&home, &format!("model_check = \"output\"\n{PATIENT}"));
    let (code, json, err) = ask(&home, &system, "Write: unsafe: violence.");
    assert_eq!(code, Some(3), "{json}\n{err}");
    assert_eq!(json["reply"], "███████ ████████", "{json}");
    assert_eq!(json["stats"]["stop_reason"], "content_filter");
    assert_eq!(
        json["guard"]["output"],
        serde_json::json!([{"category": "violence", "action": "block"}])
    );
    assert!(
        err.contains("the reply was stopped by the content filter (category: violence)"),
        "{err}"
    );

    configure(
        &home,
        &format!("model_check = \"output\"\ncheck_action = \"warn\"\n{PATIENT}"),
    );
    let (code, json, err) = ask(&home, &system, "Write: unsafe: violence.");
    assert_eq!(code, Some(0), "{json}\n{err}");
    assert_eq!(json["reply"], "Unsafe: Violence", "{json}");
    assert_eq!(
        json["guard"]["output"],
        serde_json::json!([{"category": "violence", "action": "warn"}])
    );
    assert!(err.contains("content filter: violence (flagged)"), "{err}");

    let (code, json, err) = ask(&home, &system, "Write: safe.");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        json["reply"].as_str().unwrap().starts_with("A safe"),
        "{json}"
    );
    assert_eq!(
        json["guard"]["model_check"],
        serde_json::json!([{"stage": "output", "result": "safe"}])
    );
}

#[test]
fn a_check_that_times_out_lets_the_message_pass_with_a_notice() {
    let home = TempHome::new();
    configure(&home, "model_check = \"input\"\ncheck_timeout_ms = 1\n");
    let (code, json, err) = ask(&home, &["-n", "4"], "Write: unsafe: violence.");
    assert_eq!(code, Some(0), "{json}\n{err}");
    assert!(
        err.contains("guard model check timed out after 1 ms; not checked"),
        "{err}"
    );
    assert!(!json["reply"].as_str().unwrap().is_empty(), "{json}");
    assert_eq!(
        json["guard"]["model_check"],
        serde_json::json!([{"stage": "input", "result": "timed_out", "ms": 1}])
    );

    let (code, _, err) = ask(&home, &["-n", "4", "--lang", "zh-CN"], "Write: safe.");
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("内容安全模型检查在 1 毫秒后超时；未检查"),
        "{err}"
    );
}

#[test]
fn check_model_runs_the_check_on_a_second_model() {
    let home = TempHome::new();
    let gemma = common::gemma_model().display().to_string();
    configure(
        &home,
        &format!("model_check = \"input\"\ncheck_model = {gemma:?}\n{PATIENT}"),
    );
    // SmolLM2 calls this message safe (see above); Gemma does not.
    let (code, json, err) = ask(&home, &["-n", "4"], "Write: safe.");
    assert_eq!(code, Some(3), "{json}\n{err}");
    assert_eq!(
        json["guard"]["model_check"][0]["result"], "unsafe",
        "{json}"
    );
    let log = std::fs::read_to_string(home.data_dir().join("ggchat.log")).unwrap_or_default();
    assert!(
        log.contains("guard: check model Gemma 3 270m loaded"),
        "{log}"
    );

    // A file that is no model: the check fails, the message passes with a notice.
    let junk = home.dir.path().join("junk.gguf");
    std::fs::write(&junk, "not a model").unwrap();
    configure(
        &home,
        &format!(
            "model_check = \"input\"\ncheck_model = {:?}\n{PATIENT}",
            junk.display().to_string()
        ),
    );
    let (code, json, err) = ask(&home, &["-n", "4"], "Write: unsafe: violence.");
    assert_eq!(code, Some(0), "{json}\n{err}");
    assert!(
        err.contains("guard model check failed (the check model")
            && err.contains("junk.gguf cannot be loaded")
            && err.contains("not checked"),
        "{err}"
    );
}

#[test]
fn bad_model_check_settings_are_errors_naming_the_file_line_and_key() {
    let home = TempHome::new();
    let model = common::default_model().display().to_string();
    for (setting, wanted) in [
        (
            "check_timeout_ms = 0",
            "check_timeout_ms = 0 is out of range",
        ),
        ("model_check = \"sometimes\"", "unknown variant `sometimes`"),
        ("check_action = \"delete\"", "unknown variant `delete`"),
    ] {
        configure(
            &home,
            &format!("check_model = \"unused.gguf\"\n{setting}\n"),
        );
        let out = home.run(&["ask", "--model", &model, "hi"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("config.toml") && err.contains("line 4") && err.contains(wanted),
            "{setting}: {err}"
        );
    }
    configure(
        &home,
        "model_check = \"input\"\ncheck_model = \"no-such-model.gguf\"\n",
    );
    let out = home.run(&["ask", "--model", &model, "hi"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("[guard] check_model = \"no-such-model.gguf\"") && err.contains("not found"),
        "{err}"
    );
}
