//! `ggchat bench --backend` against the real llama-server: the time to first token ggchat adds
//! over a bare HTTP client is measured on equal terms (neither side finds its prompt in the
//! server's cache), and a side that gets no token fails the run instead of printing a zero.

mod common;
#[path = "e2e_tui/harness.rs"]
#[allow(dead_code)]
mod harness;
mod remote_support;

use common::{TempHome, stderr, stdout};
use remote_support::{FakeServer, LlamaServer, models_response};

/// The prompt sizes llama-server evaluated, request by request, from its log (on stderr).
fn evaluated_prompts(server: &LlamaServer) -> Vec<u64> {
    std::fs::read_to_string(server.log.with_file_name("stderr.log"))
        .unwrap()
        .lines()
        .filter(|l| l.contains("prompt eval time ="))
        .filter_map(|l| {
            let (_, rest) = l.split_once(" / ")?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .collect()
}

#[test]
fn the_first_token_overhead_is_measured_without_the_servers_prompt_cache() {
    let _serial = harness::serial();
    let server = LlamaServer::start(2048, &[]);
    let home = TempHome::new();
    let out = home.run(&[
        "bench",
        "--backend",
        &server.base_url(),
        "--turns",
        "1",
        "--reps",
        "3",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("time to first token, 3 runs each"))
        .unwrap_or_else(|| panic!("no first-token line: {text}"));
    let figure = |label: &str| -> f64 {
        let (_, rest) = line
            .split_once(label)
            .unwrap_or_else(|| panic!("{label}: {line}"));
        rest.trim_start()
            .split([' ', ')'])
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{label}: {line}"))
    };
    assert!(
        figure("ggchat ") > 0.0 && figure("raw HTTP client ") > 0.0,
        "{line}"
    );
    assert!(figure("(ratio ") > 0.0, "{line}");
    // Every measured request evaluated its whole prompt: none reused the one before it (the
    // server still evaluates one token of a prompt it has cached).
    let prompts = evaluated_prompts(&server);
    assert!(prompts.len() >= 4, "{prompts:?}");
    let measured = &prompts[1..];
    assert!(
        measured.iter().all(|&n| n == measured[0] && n > 10),
        "a measured request reused the server's cache: {prompts:?}"
    );
}

fn no_tokens(request: &str) -> Vec<u8> {
    if request.contains("/models") {
        return models_response();
    }
    let body = "data: {\"choices\":[{\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}]}\n\n\
                data: [DONE]\n\n";
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n{body}")
        .into_bytes()
}

#[test]
fn a_server_that_sends_no_token_fails_the_benchmark() {
    let server = FakeServer::start(no_tokens);
    let home = TempHome::new();
    let out = home.run(&["bench", "--backend", &server.base_url(), "--turns", "1"]);
    assert!(!out.status.success(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("got no token"), "{err}");
    assert!(!stdout(&out).contains("ggchat adds"), "{}", stdout(&out));
}
