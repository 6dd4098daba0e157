//! The pane's figures and `/metrics` are fed by the same calls; the session totals reset alone.

use super::*;
use crate::guard::{Action, GuardMark};

fn reply(evaluated: usize, reused: usize, generated: usize) -> ReplyStats {
    ReplyStats {
        prompt_tokens_evaluated: evaluated,
        prompt_tokens_reused: reused,
        generated_tokens: generated,
        generation_tokens_per_second: 10.0,
        time_to_first_token_ms: 100.0,
        ..ReplyStats::default()
    }
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
}

#[test]
fn a_reply_and_a_guard_action_reach_the_pane_and_the_exposition() {
    let mut m = Monitor::new();
    m.record_reply(&reply(30, 70, 12));
    m.count_guard(&GuardMark {
        category: "secrets".into(),
        action: Action::Warn,
    });
    assert_eq!(m.totals().tokens_out, 12);
    assert_eq!(m.totals().guard_actions, 1);
    assert_eq!(m.counters().guard_total(), 1);
    let text = m.exposition();
    assert_eq!(metric(&text, "ggchat_generated_tokens_total"), 12.0);
    assert_eq!(metric(&text, "ggchat_prompt_tokens_total"), 100.0);
    assert_eq!(
        metric(
            &text,
            "ggchat_guard_actions_total{category=\"secrets\",action=\"warn\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(&text, "ggchat_kv_cells_used"),
        kv_cells_used() as f64
    );
}

#[test]
fn a_new_session_resets_the_session_totals_not_the_counters() {
    let mut m = Monitor::new();
    m.record_reply(&reply(30, 0, 12));
    m.count_guard(&GuardMark {
        category: "places".into(),
        action: Action::Block,
    });
    m.reset_session();
    assert_eq!(m.totals(), &Totals::default());
    m.record_reply(&reply(5, 0, 3));
    assert_eq!(m.totals().tokens_in, 5);
    assert_eq!(m.totals().tokens_out, 3);
    assert_eq!(m.totals().replies, 1);
    // Prometheus counters only grow.
    let text = m.exposition();
    assert_eq!(metric(&text, "ggchat_generated_tokens_total"), 15.0);
    assert_eq!(m.counters().guard_total(), 1);
}

#[test]
fn a_shared_monitor_hands_out_the_counters_it_feeds() {
    let shared = SharedMonitor::default();
    shared.lock().record_reply(&reply(1, 0, 4));
    shared.counters().count_request("/v1/chat/completions", 200);
    let text = shared.lock().exposition();
    assert_eq!(metric(&text, "ggchat_generated_tokens_total"), 4.0);
    assert_eq!(
        metric(
            &text,
            "ggchat_http_requests_total{endpoint=\"/v1/chat/completions\",status=\"200\"}"
        ),
        1.0
    );
}
