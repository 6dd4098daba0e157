//! The server under stress: a handler that panics answers a 500 and the server goes on; 200
//! requests at once against a queue of 16 all get an answer (a reply or a clean 503) while the
//! resident memory stays bounded.

use crate::harness::{Server, chat, client, metric};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// VmRSS of `pid` in KiB.
fn rss_kib(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/PID/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/PID/status")
}

#[tokio::test]
async fn a_panicking_handler_answers_an_openai_shaped_500_and_the_server_goes_on() {
    // Debug builds only: a request for the model named here panics in the handler.
    let server = Server::start_env(&[], &[("GGCHAT_DEBUG_PANIC_MODEL", "boom")]);
    for path in ["/v1/chat/completions", "/v1/completions"] {
        let mut body = chat("hi", json!({"model": "boom", "prompt": "hi"}));
        body["model"] = json!("boom");
        let response = client()
            .post(format!("{}{path}", server.url))
            .json(&body)
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_eq!(response.status(), 500, "{path}");
        let value: Value = response.json().await.unwrap();
        assert_eq!(value["error"]["type"], "server_error", "{value}");
        assert_eq!(value["error"]["code"], "internal_error", "{value}");
        assert!(
            value["error"]["message"].as_str().unwrap().contains("bug"),
            "{value}"
        );
    }
    assert!(
        server.stderr().contains("injected panic"),
        "{}",
        server.stderr()
    );
    for _ in 0..2 {
        let response = client()
            .post(format!("{}/v1/chat/completions", server.url))
            .json(&chat("Say hi.", json!({"max_tokens": 4})))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "still serving after the panics");
    }
    let counted = metric(
        &server,
        "ggchat_http_requests_total{endpoint=\"/v1/chat/completions\",status=\"500\"}",
    )
    .await;
    assert_eq!(counted, 1.0, "the panic is counted as a 500");
}

/// What one of the 200 requests got.
#[derive(Debug)]
enum Outcome {
    Completed,
    Refused,
}

async fn one_request(url: String, i: usize) -> Result<Outcome, String> {
    let stream = i.is_multiple_of(2);
    let body = chat(
        &format!("Write the number {i} in words."),
        json!({"max_tokens": 8, "stream": stream}),
    );
    let response = client()
        .post(url)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("request {i}: {e}"))?;
    let status = response.status().as_u16();
    let retry = response.headers().get("retry-after").cloned();
    let text = response
        .text()
        .await
        .map_err(|e| format!("request {i}: body: {e}"))?;
    match status {
        200 if stream
            && text.trim_end().ends_with("data: [DONE]")
            && !text.contains("\"error\"") =>
        {
            Ok(Outcome::Completed)
        }
        200 if !stream => {
            let value: Value = serde_json::from_str(&text).map_err(|e| format!("{i}: {e}"))?;
            match value["choices"][0]["finish_reason"].as_str() {
                Some("stop" | "length") => Ok(Outcome::Completed),
                _ => Err(format!("request {i}: {text}")),
            }
        }
        503 if retry.is_some() && text.contains("queue_full") => Ok(Outcome::Refused),
        _ => Err(format!("request {i}: {status} {retry:?} {text}")),
    }
}

#[tokio::test]
async fn two_hundred_requests_at_once_complete_or_get_a_clean_503_in_bounded_memory() {
    let server = Server::start(&["--queue", "16"]);
    let url = format!("{}/v1/chat/completions", server.url);
    // The baseline: the model mapped, its context and compute buffers allocated by a reply.
    let warm = one_request(url.clone(), 1).await.unwrap();
    assert!(matches!(warm, Outcome::Completed));
    let baseline = rss_kib(server.pid());

    let peak = Arc::new(AtomicU64::new(baseline));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done, pid) = (peak.clone(), done.clone(), server.pid());
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(300);
            while !done.load(Ordering::SeqCst) && Instant::now() < deadline {
                peak.fetch_max(rss_kib(pid), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let started = Instant::now();
    let outcomes = tokio::time::timeout(
        Duration::from_secs(240),
        futures::future::join_all((0..200).map(|i| tokio::spawn(one_request(url.clone(), i)))),
    )
    .await
    .expect("all 200 requests answered within 4 minutes (no hung connection)");
    done.store(true, Ordering::SeqCst);
    sampler.join().unwrap();
    let (mut completed, mut refused, mut failures) = (0, 0, Vec::new());
    for outcome in outcomes {
        match outcome.expect("the request task did not panic") {
            Ok(Outcome::Completed) => completed += 1,
            Ok(Outcome::Refused) => refused += 1,
            Err(e) => failures.push(e),
        }
    }
    assert!(
        failures.is_empty(),
        "{} requests neither completed nor got a clean 503: {failures:#?}\nserver: {}",
        failures.len(),
        server.stderr()
    );
    eprintln!(
        "200 requests in {:.1} s: {completed} completed, {refused} refused; VmRSS {} MiB before, \
         peak {} MiB",
        started.elapsed().as_secs_f64(),
        baseline / 1024,
        peak.load(Ordering::SeqCst) / 1024
    );
    // One slot plus 16 waiting are served even when all 200 arrive at once; the rest are
    // refused, not queued without bound.
    assert!(completed >= 17, "{completed} completed, {refused} refused");
    assert!(refused >= 100, "{completed} completed, {refused} refused");
    // 200 small requests need a few MiB (bodies, JSON, channels, connection buffers); 64 MiB
    // over the baseline catches anything kept per request (≥ 320 KiB each) or buffered without
    // bound.
    let grown = peak.load(Ordering::SeqCst).saturating_sub(baseline);
    assert!(
        grown < 64 * 1024,
        "VmRSS grew by {} MiB over {} MiB",
        grown / 1024,
        baseline / 1024
    );
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
    assert_eq!(metric(&server, "ggchat_queue_depth").await, 0.0);
    assert_eq!(metric(&server, "ggchat_busy_slots").await, 0.0);
    let health = client()
        .get(format!("{}/health", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}
