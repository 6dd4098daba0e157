//! ggchat against a real llama-server (llama.cpp's own, built by scripts/build-llama-server.sh)
//! with the default model on 127.0.0.1: `ask`, the full-screen chat, keys, small contexts and a
//! server that dies mid-reply. One server per test, killed when the test ends.

mod common;
#[path = "e2e_tui/harness.rs"]
#[allow(dead_code)]
mod harness;
mod remote_support;

use common::{TempHome, stderr, stdout};
use harness::Tui;
use remote_support::{LlamaServer, saved_messages};
use std::io::Read;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

const QUESTION: &str = "What is the capital of France?";

#[test]
fn ask_through_llama_server_names_paris_with_token_counts() {
    let _serial = harness::serial();
    let server = LlamaServer::start(2048, &[]);
    let home = TempHome::new();
    let out = home.run(&[
        "ask",
        "--backend",
        &server.base_url(),
        "--temperature",
        "0",
        "--json",
        QUESTION,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("stdout is JSON");
    assert!(
        value["reply"].as_str().unwrap().contains("Paris"),
        "{value:#}"
    );
    let stats = &value["stats"];
    assert!(stats["generated_tokens"].as_u64().unwrap() > 0, "{stats:#}");
    assert!(
        stats["remote"]["prompt_tokens"].as_u64().unwrap() > 5,
        "{stats:#}"
    );
    assert!(stats["generation_tokens_per_second"].as_f64().unwrap() > 0.0);
    assert!(stats["time_to_first_token_ms"].as_f64().unwrap() > 0.0);
    assert!(
        stats["remote"]["server_generation_tokens_per_second"]
            .as_f64()
            .unwrap()
            > 0.0,
        "llama-server's own timings are kept: {stats:#}"
    );
    assert_eq!(value["model"]["url"], server.base_url());
    // What a server cannot report is null, not zero.
    assert_eq!(value["model"]["parameter_count"], serde_json::Value::Null);
}

#[test]
fn an_unknown_model_lists_what_the_server_offers() {
    let _serial = harness::serial();
    let server = LlamaServer::start(2048, &["--alias", "smollm2"]);
    let home = TempHome::new();
    let out = home.run(&[
        "ask",
        "--backend",
        &server.base_url(),
        "--model",
        "gpt-9",
        QUESTION,
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("no model 'gpt-9'") && err.contains("it offers: smollm2"),
        "{err}"
    );
}

#[test]
fn a_wrong_or_missing_key_says_which_variable_to_set() {
    let _serial = harness::serial();
    let server = LlamaServer::start(2048, &["--api-key", "right-key"]);
    let home = TempHome::new();
    let run = |key: Option<&str>| {
        let mut command = home.command();
        command.args([
            "ask",
            "--backend",
            &server.base_url(),
            "--api-key-env",
            "GGCHAT_TEST_KEY",
        ]);
        command.args(["--temperature", "0", "-n", "8", QUESTION]);
        command.env_remove("GGCHAT_TEST_KEY");
        if let Some(key) = key {
            command.env("GGCHAT_TEST_KEY", key);
        }
        command.stdin(Stdio::null()).output().expect("run ggchat")
    };
    let out = run(Some("wrong-key"));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("HTTP 401") && err.contains("set GGCHAT_TEST_KEY to a valid key"),
        "{err}"
    );
    assert!(
        !err.contains("wrong-key"),
        "the key is never printed: {err}"
    );
    let out = run(None);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("no key was sent: set the environment variable GGCHAT_TEST_KEY"),
        "{err}"
    );
    let out = run(Some("right-key"));
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_server_killed_mid_reply_leaves_the_partial_reply_and_a_failure() {
    let _serial = harness::serial();
    let mut server = LlamaServer::start(2048, &[]);
    let home = TempHome::new();
    let mut child = home
        .command()
        .args([
            "ask",
            "--backend",
            &server.base_url(),
            "--temperature",
            "0",
            "-n",
            "1500",
        ])
        .arg("Write a long essay about the history of France, century by century.")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ggchat");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).expect("the reply starts");
    server.kill();
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "ggchat did not exit after the server died"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        !status.success(),
        "a cut-off reply is a failure; stderr: {err}"
    );
    assert!(
        !rest.trim().is_empty() || first[0] != b' ',
        "the partial reply was printed"
    );
    assert!(
        err.contains("closed the connection mid-reply") && err.contains("incomplete"),
        "{err}"
    );
}

#[test]
fn the_full_screen_chat_answers_through_llama_server() {
    let _serial = harness::serial();
    let server = LlamaServer::start(2048, &[]);
    let home = Arc::new(TempHome::new());
    let url = server.base_url();
    let mut tui = Tui::start_args(
        home,
        100,
        30,
        &["--backend", &url, "--temperature", "0", "-n", "48"],
        &[],
    );
    tui.wait_for("connected", harness::UI, harness::is_ready)
        .unwrap();
    assert!(tui.screen().contains("remote"), "{}", tui.screen());
    tui.type_line(QUESTION);
    tui.wait_for("reply", harness::FIRST_ANSWER, harness::reply_done)
        .unwrap();
    let reply = harness::last_reply(&tui.screen()).unwrap().join(" ");
    assert!(reply.contains("Paris"), "{}", tui.screen());
    tui.send(harness::CTRL_Q);
    tui.wait_exit(harness::EXIT).unwrap();
}

const F3: &[u8] = b"\x1bOR";
const UP: &[u8] = b"\x1b[A";

/// A home whose config lists `server` as backend `ls` and whose only model folder holds the
/// default model (a link), so the picker shows one local and one remote model.
fn home_with_backend(server: &LlamaServer) -> Arc<TempHome> {
    let home = TempHome::new();
    let models = home.dir.path().join("models");
    std::fs::create_dir_all(&models).unwrap();
    let model = common::default_model();
    std::os::unix::fs::symlink(&model, models.join(model.file_name().unwrap())).unwrap();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!(
            "model_dirs = [\"{}\"]\n[backends.ls]\nurl = \"{}\"\n",
            models.display(),
            server.base_url()
        ),
    )
    .unwrap();
    Arc::new(home)
}

#[test]
fn switching_local_remote_local_in_the_picker_keeps_every_message() {
    let _serial = harness::serial();
    let server = LlamaServer::start(2048, &["--alias", "smollm2-remote"]);
    let home = home_with_backend(&server);
    let mut tui = Tui::start_with(Arc::clone(&home), 110, 40, &[]);
    tui.wait_for("the local model", harness::FIRST_ANSWER, harness::is_ready)
        .unwrap();
    let ask = |tui: &mut Tui, question: &str, n: usize| {
        tui.type_line(question);
        tui.wait_for("a reply", harness::REPLY, |s| {
            harness::reply_done(s) && harness::count(s, " tok/s · first token ") >= n
        })
        .unwrap();
    };
    ask(&mut tui, "What is the capital of France?", 1);
    let rss = remote_support::rss_mib(&tui.child.process_id().unwrap().to_string());

    tui.send(F3);
    tui.wait_for("the picker with both groups", harness::UI, |s| {
        s.contains("Local GGUF files") && s.contains("Backend ls") && s.contains("smollm2-remote")
    })
    .unwrap();
    tui.send(harness::DOWN);
    tui.send(harness::ENTER);
    tui.wait_for("the switch to the server", harness::UI, |s| {
        harness::status(s).contains("remote ls")
    })
    .unwrap();
    // The local model is unloaded: its engine thread ends and its memory goes.
    let pid = tui.child.process_id().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    while remote_support::local_engine_threads(&pid) > 0 || remote_support::rss_mib(&pid) + 40 > rss
    {
        assert!(
            Instant::now() < deadline,
            "still {} MiB (was {rss})",
            remote_support::rss_mib(&pid)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    ask(&mut tui, "And of Italy?", 2);

    tui.send(F3);
    tui.wait_for("the picker", harness::UI, |s| s.contains("Backend ls"))
        .unwrap();
    tui.send(UP);
    tui.send(harness::ENTER);
    tui.wait_for("the switch back", harness::FIRST_ANSWER, |s| {
        harness::is_ready(s) && !harness::status(s).contains("remote")
    })
    .unwrap();
    ask(&mut tui, "And of Spain?", 3);
    tui.send(harness::CTRL_Q);
    tui.wait_exit(harness::EXIT).unwrap();

    let messages = saved_messages(&home);
    assert_eq!(messages.len(), 6, "{messages:#?}");
    let remote = |i: usize| messages[i]["stats"].get("remote").is_some();
    assert!(
        !remote(1) && remote(3) && !remote(5),
        "local, remote, local: {messages:#?}"
    );
    assert_eq!(messages[3]["stats"]["remote"]["model"], "smollm2-remote");
    assert_eq!(messages[2]["content"], "And of Italy?");
}
