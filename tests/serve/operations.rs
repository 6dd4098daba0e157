//! Starting and stopping: the banner, the refusal to serve a network without a key, the log
//! line per request, and SIGTERM ending streams with a final event and exit code 0.

use crate::harness::{Server, TempHome, chat, client, default_model, stream_started};
use futures::StreamExt;
use serde_json::json;
use std::time::Duration;

#[test]
fn a_non_loopback_address_without_a_key_is_refused_at_start() {
    let home = TempHome::new();
    let mut child = home
        .command()
        .args(["serve", "--host", "0.0.0.0", "--port", "0", "--model"])
        .arg(default_model())
        .env_remove("GGCHAT_API_KEY")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Bounded: a server that starts anyway is killed and the test fails.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("ggchat serve started on 0.0.0.0 without an API key");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("without an API key"), "{stderr}");
    assert!(
        stderr.contains("--api-key") && stderr.contains("GGCHAT_API_KEY"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_banner_and_the_log_say_what_runs_and_what_each_request_did() {
    let server = Server::start(&["--api-key", "k"]);
    let ready = server.banner.iter().find(|l| l.contains("ready:")).unwrap();
    for part in [
        "slots 4",
        "context 256 tokens per slot (1024 in total)",
        "auth on",
        "SmolLM2-135M-Instruct",
    ] {
        assert!(ready.contains(part), "{part} missing from {ready}");
    }
    assert!(
        server.banner[0].contains("listening on http://127.0.0.1:"),
        "{:?}",
        server.banner
    );
    let response = client()
        .post(format!("{}/v1/chat/completions", server.url))
        .bearer_auth("k")
        .json(&chat("Say hi.", json!({"max_tokens": 4})))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let _ = response.text().await;
    let line = server.wait_for_log("POST /v1/chat/completions 200");
    for part in ["prompt", "generated", "TTFT", "tok/s"] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
}

#[tokio::test]
async fn sigterm_ends_a_stream_with_a_final_event_and_exits_0() {
    let mut server = Server::start(&[]);
    let body = chat(
        "Count from 1 to 200, one number per line.",
        json!({"max_tokens": 400, "stream": true}),
    );
    let (mut stream, mut text) = stream_started(&server, &body).await;
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(server.pid(), libc::SIGTERM) }, 0);
    let rest = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(bytes) => text.push_str(&String::from_utf8_lossy(&bytes)),
                Err(e) => panic!("the stream broke instead of ending: {e}; so far: {text}"),
            }
        }
    })
    .await;
    assert!(rest.is_ok(), "the stream did not end after SIGTERM: {text}");
    assert!(
        text.contains("server_shutting_down"),
        "no final event: {text}"
    );
    assert!(text.trim_end().ends_with("data: [DONE]"), "{text}");
    let status = server.wait_exit(Duration::from_secs(30));
    assert_eq!(status.code(), Some(0), "stderr: {}", server.stderr());
}
