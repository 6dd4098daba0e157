//! ggchat's own remote backend against `ggchat serve`: one ggchat serves the default model on
//! 127.0.0.1, another talks to it with `--backend`, from `ask` and from the full-screen chat in
//! a pseudo-terminal. One server per test, killed when the test ends.
// The serve harness brings its own copy of tests/common (it is shared as is with tests/serve).
#![allow(clippy::duplicate_mod)]

mod common;
#[path = "e2e_tui/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "serve/harness.rs"]
#[allow(dead_code)]
mod serve_harness;

use common::{TempHome, stderr, stdout};
use harness::Tui;
use serve_harness::Server;
use std::sync::Arc;

const QUESTION: &str = "What is the capital of France?";

#[test]
fn ask_through_ggchat_serve_names_paris_with_the_server_s_token_counts() {
    let _serial = harness::serial();
    let server = Server::start(&[]);
    let home = TempHome::new();
    let backend = format!("{}/v1", server.url);
    let out = home.run(&[
        "ask",
        "--backend",
        &backend,
        "--temperature",
        "0",
        "--json",
        QUESTION,
    ]);
    assert!(
        out.status.success(),
        "{}\nserver: {}",
        stderr(&out),
        server.stderr()
    );
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
    assert!(
        stats["remote"]["server_generation_tokens_per_second"]
            .as_f64()
            .unwrap()
            > 0.0,
        "ggchat serve's timings reach the client: {stats:#}"
    );
    assert_eq!(value["model"]["url"], backend);
    // The server logged the request it served.
    server.wait_for_log("POST /v1/chat/completions 200");
}

#[test]
fn the_full_screen_chat_answers_through_ggchat_serve() {
    let _serial = harness::serial();
    let server = Server::start(&[]);
    let home = Arc::new(TempHome::new());
    let url = format!("{}/v1", server.url);
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
    server.wait_for_log("POST /v1/chat/completions 200");
    tui.send(harness::CTRL_Q);
    tui.wait_exit(harness::EXIT).unwrap();
}
