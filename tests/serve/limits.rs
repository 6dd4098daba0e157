//! The bounded queue, a client that goes away mid-stream, and the Host check.

use crate::harness::{Server, chat, client, metric, stream_started};
use serde_json::json;
use std::time::{Duration, Instant};

/// A prompt the model answers at length, so a request holds the slot for a while.
const LONG_ANSWER: &str = "Count from 1 to 200, one number per line.";

#[tokio::test]
async fn a_full_queue_answers_503_with_retry_after() {
    let server = Server::start(&["--parallel", "1", "--queue", "1"]);
    let url = format!("{}/v1/chat/completions", server.url);
    let send = |i: u64| {
        let url = url.clone();
        async move {
            // Staggered a little so the first one surely holds the slot.
            tokio::time::sleep(Duration::from_millis(100 * i)).await;
            let body = chat(LONG_ANSWER, json!({"max_tokens": 48}));
            let response = client().post(url).json(&body).send().await.unwrap();
            let status = response.status().as_u16();
            let retry = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            let body: serde_json::Value = response.json().await.unwrap();
            (status, retry, body)
        }
    };
    let results = futures::future::join_all((0..4).map(send)).await;
    let statuses: Vec<u16> = results.iter().map(|r| r.0).collect();
    // One generating, one waiting, two refused.
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        2,
        "{results:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 503).count(),
        2,
        "{results:?}"
    );
    for (status, retry, body) in &results {
        if *status == 503 {
            assert_eq!(retry.as_deref(), Some("1"), "{body}");
            assert_eq!(body["error"]["code"], "queue_full", "{body}");
        }
    }
    assert_eq!(metric(&server, "ggchat_queue_depth").await, 0.0);
}

#[tokio::test]
async fn a_client_that_disconnects_mid_stream_frees_its_slot_and_its_tokens_are_counted() {
    let server = Server::start(&[]);
    let body = chat(LONG_ANSWER, json!({"max_tokens": 400, "stream": true}));
    let (stream, _) = stream_started(&server, &body).await;
    assert_eq!(
        metric(&server, "ggchat_busy_slots").await,
        1.0,
        "generating"
    );
    drop(stream);
    let dropped = Instant::now();
    loop {
        if metric(&server, "ggchat_busy_slots").await == 0.0 {
            break;
        }
        assert!(
            dropped.elapsed() < Duration::from_secs(1),
            "the slot is still busy 1 s after the client went away; stderr: {}",
            server.stderr()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Three events had arrived (the role chunk and two tokens at least): what was generated for
    // nobody is counted apart from finished replies.
    let cancelled = metric(&server, "ggchat_cancelled_generated_tokens_total").await;
    assert!(cancelled >= 2.0, "cancelled tokens: {cancelled}");
    assert!(cancelled < 400.0, "the generation stopped: {cancelled}");
    assert_eq!(metric(&server, "ggchat_generated_tokens_total").await, 0.0);
}

#[tokio::test]
async fn on_loopback_a_foreign_host_header_is_refused() {
    let server = Server::start(&[]);
    let port = server.url.rsplit(':').next().unwrap().to_owned();
    for (host, want) in [
        (format!("localhost:{port}"), 200),
        (format!("127.0.0.1:{port}"), 200),
        (format!("attacker.example:{port}"), 403),
        ("localhost:1".to_owned(), 403),
    ] {
        let response = client()
            .get(format!("{}/v1/models", server.url))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), want, "Host: {host}");
    }
}
