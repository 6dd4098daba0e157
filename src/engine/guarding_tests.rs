//! The guard at the router, with synthetic engine events.

use super::*;
use crate::chat::Message;
use crate::guard::{Action, GuardMark, RuleSet};
use crate::params::SamplingParams;
use std::sync::atomic::{AtomicUsize, Ordering};

const RULES: &str = "[[category]]\nname = \"places\"\naction = \"block\"\nterms = [\"Paris\", \"巴黎\"]\n\
                     [[category]]\nname = \"keys\"\naction = \"redact\"\nterms = [\"hunter2\"]\n";

fn guarding() -> Arc<Guarding> {
    let mut set = RuleSet::default();
    set.add_text(RULES, std::path::Path::new("rules.toml"))
        .unwrap();
    Guarding::new(Arc::new(Guard::from_rules(set).unwrap()), None)
}

fn request(id: RequestId, user: &str) -> GenerateRequest {
    GenerateRequest {
        id,
        ..GenerateRequest::new(
            vec![Message::system("Be brief."), Message::user(user)],
            SamplingParams::default(),
        )
    }
}

/// A sink that records what it is given.
fn recorder() -> (EventSink, Arc<Mutex<Vec<EngineEvent>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&seen);
    (Arc::new(move |e| keep.lock().unwrap().push(e)), seen)
}

fn cancel_counter() -> (Cancel, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&count);
    (
        Box::new(move || {
            c.fetch_add(1, Ordering::SeqCst);
        }),
        count,
    )
}

fn text_of(events: &[EngineEvent], reasoning: bool) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            EngineEvent::Token { text, .. } if !reasoning => Some(text.as_str()),
            EngineEvent::Reasoning { text, .. } if reasoning => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_output_block_cancels_once_drops_the_rest_and_ends_as_content_filter() {
    let g = guarding();
    let (sink, seen) = recorder();
    let (cancel, cancels) = cancel_counter();
    let forwarded = g.admit(request(7, "Capital of France?"), &sink, cancel);
    assert!(forwarded.is_some());
    for piece in ["The capital", " is Pa", "ris, a city", " on the Seine."] {
        g.pass(
            EngineEvent::Token {
                id: 7,
                text: piece.into(),
            },
            &sink,
        );
    }
    let stats = ReplyStats {
        stop_reason: Some(StopReason::Cancelled),
        ..ReplyStats::default()
    };
    g.pass(EngineEvent::Finished { id: 7, stats }, &sink);
    let events = seen.lock().unwrap();
    assert_eq!(cancels.load(Ordering::SeqCst), 1);
    assert_eq!(text_of(&events, false), "The capital is █████");
    let mark = GuardMark {
        category: "places".into(),
        action: Action::Block,
    };
    assert!(events.iter().any(
        |e| matches!(e, EngineEvent::Guarded { note: GuardNote::Output { mark: m }, .. } if *m == mark)
    ));
    let Some(EngineEvent::Finished { stats, .. }) = events.last() else {
        panic!("{events:?}");
    };
    assert_eq!(stats.stop_reason, Some(StopReason::ContentFilter));
}

#[test]
fn a_blocked_message_is_answered_here_and_a_redacted_one_is_masked_before_it_goes() {
    let g = guarding();
    let (sink, seen) = recorder();
    let (cancel, _) = cancel_counter();
    assert!(g.admit(request(1, "我想去巴黎。"), &sink, cancel).is_none());
    {
        let events = seen.lock().unwrap();
        assert!(matches!(
            &events[0],
            EngineEvent::Guarded { note: GuardNote::Input { text, .. }, .. } if text == "我想去██。"
        ));
        assert!(matches!(
            &events[1],
            EngineEvent::Finished { stats, .. } if stats.stop_reason == Some(StopReason::ContentFilter)
        ));
    }
    let (cancel, _) = cancel_counter();
    let sent = g
        .admit(request(2, "my password is hunter2"), &sink, cancel)
        .unwrap();
    assert_eq!(sent.messages[1].content, "my password is ███████");
    assert_eq!(sent.messages[0].content, "Be brief.");
}

#[test]
fn reasoning_is_filtered_too_and_held_text_is_flushed_at_the_end() {
    let g = guarding();
    let (sink, seen) = recorder();
    let (cancel, cancels) = cancel_counter();
    g.admit(request(3, "hi"), &sink, cancel).unwrap();
    g.pass(
        EngineEvent::Reasoning {
            id: 3,
            text: "The key is hun".into(),
        },
        &sink,
    );
    g.pass(
        EngineEvent::Reasoning {
            id: 3,
            text: "ter2.".into(),
        },
        &sink,
    );
    g.pass(
        EngineEvent::Token {
            id: 3,
            text: "Hello!".into(),
        },
        &sink,
    );
    assert_eq!(text_of(&seen.lock().unwrap(), false), "", "held back");
    g.pass(
        EngineEvent::Finished {
            id: 3,
            stats: ReplyStats::default(),
        },
        &sink,
    );
    let events = seen.lock().unwrap();
    assert_eq!(text_of(&events, true), "The key is ███████.");
    assert_eq!(text_of(&events, false), "Hello!");
    assert_eq!(cancels.load(Ordering::SeqCst), 0);
    // Another request's events pass untouched.
    drop(events);
    g.pass(
        EngineEvent::Token {
            id: 99,
            text: "Paris".into(),
        },
        &sink,
    );
    assert!(text_of(&seen.lock().unwrap(), false).ends_with("Paris"));
}
