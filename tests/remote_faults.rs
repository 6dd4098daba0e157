//! Remote backends that misbehave: nothing listening, a listener that never answers, a stream
//! that breaks its format, a busy server, bad backend settings. Each gives a clear message, in the
//! configured time, and keeps what had arrived.

mod common;
#[path = "e2e_tui/harness.rs"]
#[allow(dead_code)]
mod harness;
mod remote_support;

use common::{TempHome, stderr, stdout};
use remote_support::{FakeServer, SilentServer, free_port, json_response, models_response};
use std::time::{Duration, Instant};

fn ask(home: &TempHome, backend: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["ask", "--backend", backend, "--temperature", "0"];
    args.extend_from_slice(extra);
    args.push("What is the capital of France?");
    home.run(&args)
}

fn write_config(home: &TempHome, text: &str) {
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(home.config_dir().join("config.toml"), text).unwrap();
}

#[test]
fn connection_refused_says_no_server_listens() {
    let home = TempHome::new();
    let url = format!("http://127.0.0.1:{}/v1", free_port());
    let out = ask(&home, &url, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("cannot connect to") && err.contains("connection refused"),
        "{err}"
    );
    assert!(err.contains(&url), "the message names the server: {err}");
}

#[test]
fn a_listener_that_never_answers_times_out_as_configured() {
    let silent = SilentServer::start();
    let home = TempHome::new();
    write_config(
        &home,
        &format!(
            "[backends.mute]\nurl = \"http://127.0.0.1:{}/v1\"\nconnect_timeout = 2\nfirst_token_timeout = 2\nidle_timeout = 2\n",
            silent.port
        ),
    );
    let started = Instant::now();
    let out = ask(&home, "mute", &[]);
    let took = started.elapsed();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("backend 'mute'") && err.contains("first_token_timeout = 2"),
        "{err}"
    );
    assert!(
        took < Duration::from_secs(15),
        "gave up after {took:?}, not ~2 s"
    );
}

fn malformed_stream(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        return models_response();
    }
    let body = "data: {\"choices\":[{\"delta\":{\"content\":\"Paris is\"},\"finish_reason\":null}]}\n\n\
                data: {\"choices\":[{\"delta\":{\"content\":\" the\"}}]}\n\n\
                data: {this is not json\n\n";
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n{body}")
        .into_bytes()
}

#[test]
fn a_malformed_chunk_keeps_the_partial_reply_and_fails_clearly() {
    let server = FakeServer::start(malformed_stream);
    let home = TempHome::new();
    let out = ask(&home, &server.base_url(), &[]);
    assert!(!out.status.success(), "a cut-off reply is not a success");
    assert!(
        stdout(&out).contains("Paris is the"),
        "partial reply kept: {}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("malformed stream chunk") && err.contains("{this is not json"),
        "{err}"
    );
    // The JSON output keeps the partial reply too, marked as cut off.
    let out = ask(&home, &server.base_url(), &["--json"]);
    assert!(!out.status.success());
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(value["reply"], "Paris is the");
    assert_eq!(value["stats"]["stop_reason"], "interrupted");
    assert_eq!(
        value["stats"]["prompt_tokens_reused"],
        serde_json::Value::Null
    );
}

fn busy(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        return models_response();
    }
    json_response(
        "429 Too Many Requests",
        "Retry-After: 7\r\n",
        r#"{"error":{"message":"slots are all busy","type":"unavailable_error"}}"#,
    )
}

#[test]
fn a_busy_server_says_when_to_retry() {
    let server = FakeServer::start(busy);
    let home = TempHome::new();
    let out = ask(&home, &server.base_url(), &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("HTTP 429")
            && err.contains("retry after 7 s")
            && err.contains("slots are all busy"),
        "{err}"
    );
}

#[test]
fn unknown_backend_names_and_keys_in_config_are_refused_by_name() {
    let home = TempHome::new();
    write_config(&home, "[backends.gpu]\nurl = \"http://127.0.0.1:1/v1\"\n");
    let out = ask(&home, "cpu", &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("no backend named 'cpu'") && err.contains("gpu"),
        "{err}"
    );

    write_config(
        &home,
        "[backends.gpu]\nurl = \"http://127.0.0.1:1/v1\"\napi_key_env = \"sk-live-abcdef\"\n",
    );
    let out = ask(&home, "gpu", &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("backends.gpu.api_key_env") && err.contains("line 3"),
        "{err}"
    );
}

#[test]
fn a_session_naming_an_unconfigured_backend_never_connects_to_it() {
    use std::sync::atomic::Ordering;
    let server = FakeServer::start(malformed_stream);
    let home = std::sync::Arc::new(TempHome::new());
    let sessions = home.data_dir().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let id = "20261201-100000-abcd";
    std::fs::write(
        sessions.join(format!("{id}.json")),
        format!(
            r#"{{"format_version": 2, "id": "{id}", "revision": 1, "created": "2026-12-01T10:00:00Z",
               "updated": "2026-12-01T10:00:00Z",
               "backend": {{"name": null, "url": "{}", "model": "fake"}},
               "conversation": {{"system_prompt": "", "messages": [{{"role": "user", "content": "secret plans"}}]}}}}"#,
            server.base_url()
        ),
    )
    .unwrap();
    let mut tui =
        harness::Tui::start_with(std::sync::Arc::clone(&home), 120, 30, &["--session", id]);
    tui.wait_for("the notice about the backend", harness::UI, |s| {
        harness::shows_notice(s, "the session's backend is not configured; see below")
    })
    .unwrap();
    assert!(
        tui.screen().contains(&server.base_url()),
        "the error names the URL: {}",
        tui.screen()
    );
    tui.wait_for("the local model", harness::FIRST_ANSWER, harness::is_ready)
        .unwrap();
    tui.send(harness::CTRL_Q);
    tui.wait_exit(harness::EXIT).unwrap();
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        0,
        "nothing was sent to the session's URL"
    );
}

/// A stream whose reasoning comes in `field` before the answer.
fn reasoning_stream(field: &str) -> Vec<u8> {
    let body = format!(
        "data: {{\"choices\":[{{\"delta\":{{\"role\":\"assistant\",\"{field}\":\"The user asks \"}},\"finish_reason\":null}}]}}\n\n\
         data: {{\"choices\":[{{\"delta\":{{\"{field}\":\"about France.\"}},\"finish_reason\":null}}]}}\n\n\
         data: {{\"choices\":[{{\"delta\":{{\"content\":\"Paris\"}},\"finish_reason\":null}}]}}\n\n\
         data: {{\"choices\":[{{\"delta\":{{\"content\":\".\"}},\"finish_reason\":\"stop\"}}]}}\n\n\
         data: [DONE]\n\n"
    );
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n{body}")
        .into_bytes()
}

fn llama_cpp_reasoning(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        return models_response();
    }
    reasoning_stream("reasoning_content")
}

fn ollama_reasoning(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        return models_response();
    }
    reasoning_stream("reasoning")
}

#[test]
fn reasoning_is_kept_apart_from_the_answer_in_both_spellings() {
    for (server, spelling) in [
        (FakeServer::start(llama_cpp_reasoning), "reasoning_content"),
        (FakeServer::start(ollama_reasoning), "reasoning"),
    ] {
        let home = TempHome::new();
        let out = ask(&home, &server.base_url(), &["--json"]);
        assert!(out.status.success(), "{spelling}: {}", stderr(&out));
        let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
        assert_eq!(value["reply"], "Paris.", "{spelling}: {value:#}");
        assert_eq!(
            value["reasoning"], "The user asks about France.",
            "{spelling}: {value:#}"
        );
    }
}

#[test]
fn reasoning_is_saved_apart_from_the_answer_in_the_chat() {
    let server = FakeServer::start(llama_cpp_reasoning);
    let home = std::sync::Arc::new(TempHome::new());
    let url = server.base_url();
    let mut tui = harness::Tui::start_args(
        std::sync::Arc::clone(&home),
        100,
        30,
        &["--backend", &url],
        &[],
    );
    tui.wait_for("connected", harness::UI, harness::is_ready)
        .unwrap();
    tui.type_line("What is the capital of France?");
    tui.wait_for("the reply", harness::REPLY, harness::reply_done)
        .unwrap();
    tui.send(harness::CTRL_Q);
    tui.wait_exit(harness::EXIT).unwrap();
    let sessions = harness::saved_sessions(&home);
    let messages = &sessions[0].conversation.messages;
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert_eq!(messages[1].content, "Paris.");
    assert_eq!(
        messages[1].reasoning.as_deref(),
        Some("The user asks about France.")
    );
}

fn server_error(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        return models_response();
    }
    json_response(
        "500 Internal Server Error",
        "",
        r#"{"error":{"code":500,"message":"CUDA error: out of memory","type":"server_error"}}"#,
    )
}

#[test]
fn a_server_error_is_reported_and_the_question_is_kept() {
    let server = FakeServer::start(server_error);
    let home = std::sync::Arc::new(TempHome::new());
    let out = ask(&home, &server.base_url(), &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("HTTP 500") && err.contains("CUDA error: out of memory"),
        "{err}"
    );
    assert!(err.contains(&server.base_url()), "names the server: {err}");

    // In the chat, the question stays in the conversation (and its session), ready to retry.
    let url = server.base_url();
    let mut tui = harness::Tui::start_args(
        std::sync::Arc::clone(&home),
        160,
        30,
        &["--backend", &url],
        &[],
    );
    tui.wait_for("connected", harness::UI, harness::is_ready)
        .unwrap();
    tui.type_line("What is the capital of France?");
    tui.wait_for("the error", harness::REPLY, |s| s.contains("HTTP 500"))
        .unwrap();
    assert!(
        tui.screen().contains("What is the capital of France?"),
        "{}",
        tui.screen()
    );
    tui.send(harness::CTRL_Q);
    tui.wait_exit(harness::EXIT).unwrap();
    let sessions = harness::saved_sessions(&home);
    assert_eq!(sessions.len(), 1, "the conversation was saved");
    let messages = &sessions[0].conversation.messages;
    assert_eq!(messages[0].content, "What is the capital of France?");
}
