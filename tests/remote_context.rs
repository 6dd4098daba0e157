//! A conversation against the real llama-server that does not fit its context: a single prompt
//! too long for it says what to do, and a conversation that outgrows it goes on with its oldest
//! turns left out of the request, as with the local engine, while the session keeps them all.

mod common;
#[path = "e2e_tui/harness.rs"]
#[allow(dead_code)]
mod harness;
mod remote_support;

use common::{TempHome, stderr};
use harness::Tui;
use remote_support::{LlamaServer, saved_messages};
use std::sync::Arc;

#[test]
fn a_context_too_small_says_what_to_do() {
    let _serial = harness::serial();
    let server = LlamaServer::start(128, &[]);
    let home = TempHome::new();
    let long = "Tell me about the rivers, mountains and cities of France. ".repeat(30);
    let out = home.run(&["ask", "--backend", &server.base_url(), "-n", "8", &long]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("does not fit the server's context") && err.contains("the context holds "),
        "{err}"
    );
    assert!(err.contains("larger context"), "{err}");
}

/// The last reply on screen answers the question marked `marker` and is finished.
fn answered(screen: &str, marker: &str) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    // The question's first row (the status bar's session title starts with the first question).
    let asked = lines
        .iter()
        .rposition(|l| l.starts_with(&format!("  {marker}")));
    let header = lines.iter().rposition(|l| l.starts_with("▌ Assistant"));
    matches!((asked, header), (Some(a), Some(h)) if a < h) && harness::reply_done(screen)
}

#[test]
fn a_conversation_that_outgrows_the_servers_context_drops_its_oldest_turns() {
    let _serial = harness::serial();
    // 256 tokens hold about three of these turns, so the later ones overflow the server.
    let server = LlamaServer::start(256, &[]);
    let home = Arc::new(TempHome::new());
    let url = server.base_url();
    let mut tui = Tui::start_args(
        Arc::clone(&home),
        300,
        60,
        &["--backend", &url, "--temperature", "0", "-n", "24"],
        &[],
    );
    tui.wait_for("connected", harness::UI, harness::is_ready)
        .unwrap();
    let turns = 6;
    let notice_seen = std::cell::Cell::new(false);
    for k in 1..=turns {
        let marker = format!("Q{k}:");
        tui.type_line(&format!(
            "{marker} name one famous city of France and one river that flows through it, \
             then say in a short sentence why people like to visit that city."
        ));
        tui.wait_for("the reply", harness::REPLY, |s| {
            // The notice shows while the reply streams, and goes away after a while.
            if harness::status(s).contains("old messages left out to fit the context") {
                notice_seen.set(true);
            }
            answered(s, &marker)
        })
        .unwrap();
    }
    tui.send(harness::CTRL_Q);
    tui.wait_exit(harness::EXIT).unwrap();

    // Every turn is in the session, answered; the server only saw the newest ones.
    let messages = saved_messages(&home);
    assert_eq!(messages.len(), 2 * turns, "{messages:#?}");
    for (i, message) in messages.iter().enumerate() {
        let content = message["content"].as_str().unwrap();
        match i % 2 {
            0 => assert!(
                content.starts_with(&format!("Q{}:", i / 2 + 1)),
                "{content}"
            ),
            _ => assert!(!content.trim().is_empty(), "reply {i} is empty"),
        }
    }
    let dropped = messages[2 * turns - 1]["stats"]["dropped_turns"]
        .as_u64()
        .unwrap();
    assert!(
        dropped >= 2,
        "the last reply left out old turns: {messages:#?}"
    );
    assert_eq!(
        messages[0]["content"].as_str().unwrap().get(..3),
        Some("Q1:")
    );
    assert!(
        notice_seen.get(),
        "the user is told that old messages were left out"
    );
}
