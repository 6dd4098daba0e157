//! The model check at the router with a scripted engine: the test answers each check request
//! itself, so every path (unsafe, safe, cancelled while checking, a held reply) is exact.

use super::*;
use crate::chat::Message;
use crate::guard::check::CheckMode;
use crate::guard::{Guard, RuleSet};
use crate::params::ModelParams;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

#[test]
fn the_grammar_lists_every_category_and_a_masked_reply_keeps_its_layout() {
    let g = grammar(true);
    assert!(g.starts_with("root ::= \"safe\" | \"unsafe: \" category"));
    assert!(CATEGORIES.iter().all(|c| g.contains(&format!("\"{c}\""))));
    assert!(grammar(false).contains("[a-z_-]{0,31}"));
    assert_eq!(mask_all("Go left.\nThen 右"), "██ █████\n████ █");
    assert!(is_check(CHECK_IDS) && !is_check(1));
}

fn checked(mode: CheckMode) -> (Arc<Guarding>, Receiver<EngineCommand>) {
    let (router, commands) = mpsc::channel();
    let check = ModelCheck {
        mode,
        prompt: "Classify.".into(),
        timeout: Duration::from_secs(30),
        action: CheckAction::Block,
        model: None,
        model_params: ModelParams::default(),
    };
    let guard = Guard::from_rules(RuleSet::default())
        .unwrap()
        .with_model_check(check);
    (Guarding::new(Arc::new(guard), Some(router)), commands)
}

fn request(id: RequestId, user: &str) -> GenerateRequest {
    GenerateRequest {
        id,
        ..GenerateRequest::new(vec![Message::user(user)], SamplingParams::default())
    }
}

type Seen = Arc<Mutex<Vec<EngineEvent>>>;

fn recorder() -> (EventSink, Seen) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&seen);
    (Arc::new(move |e| keep.lock().unwrap().push(e)), seen)
}

/// Answers the next check request as an engine would; returns what the check read.
fn answer(
    g: &Guarding,
    commands: &Receiver<EngineCommand>,
    sink: &EventSink,
    says: &str,
) -> String {
    let Ok(EngineCommand::Generate(check)) = commands.recv_timeout(Duration::from_secs(10)) else {
        panic!("no check request");
    };
    assert!(is_check(check.id) && check.grammar.is_some());
    assert_eq!(check.messages[0].content, "Classify.");
    g.pass(
        EngineEvent::Token {
            id: check.id,
            text: says.into(),
        },
        sink,
    );
    let stats = ReplyStats::default();
    g.pass(
        EngineEvent::Finished {
            id: check.id,
            stats,
        },
        sink,
    );
    check.messages[1].content.clone()
}

/// Waits until request `id` has finished; returns every event seen.
fn finished(seen: &Seen, id: RequestId) -> Vec<EngineEvent> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let events = seen.lock().unwrap().clone();
        if events
            .iter()
            .any(|e| matches!(e, EngineEvent::Finished { id: i, .. } if *i == id))
        {
            assert!(
                events.iter().all(|e| !is_check(e.request_id())),
                "a check's event leaked"
            );
            return events;
        }
        assert!(Instant::now() < deadline, "{id} never finished: {events:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn stop_of(events: &[EngineEvent], id: RequestId) -> Option<StopReason> {
    events.iter().find_map(|e| match e {
        EngineEvent::Finished { id: i, stats } if *i == id => stats.stop_reason,
        _ => None,
    })
}

#[test]
fn an_unsafe_message_is_answered_as_blocked_and_never_sent() {
    let (g, commands) = checked(CheckMode::Input);
    let (sink, seen) = recorder();
    let admitted = g
        .admit(request(5, "knife"), &sink, Box::new(|| {}))
        .unwrap();
    assert!(
        g.check_input(admitted, &sink).is_none(),
        "the check holds it"
    );
    assert_eq!(answer(&g, &commands, &sink, "unsafe: violence"), "knife");
    let events = finished(&seen, 5);
    let mark = GuardMark {
        category: "violence".into(),
        action: Action::Block,
    };
    assert!(events.iter().any(|e| matches!(e,
        EngineEvent::Guarded { note: GuardNote::Input { marks, .. }, .. } if *marks == [mark.clone()])));
    assert!(events.iter().any(|e| matches!(e,
        EngineEvent::Guarded { note: GuardNote::ModelCheck { stage: Stage::Input, result }, .. }
            if *result == CheckResult::Unsafe { category: "violence".into() })));
    assert_eq!(stop_of(&events, 5), Some(StopReason::ContentFilter));
    assert!(commands.try_recv().is_err(), "the request was not sent on");
}

#[test]
fn a_safe_message_goes_back_to_the_router_once_and_a_cancelled_one_does_not() {
    let (g, commands) = checked(CheckMode::Both);
    let (sink, seen) = recorder();
    let admitted = g
        .admit(request(6, "bread"), &sink, Box::new(|| {}))
        .unwrap();
    assert!(g.check_input(admitted, &sink).is_none());
    answer(&g, &commands, &sink, "safe");
    match commands.recv_timeout(Duration::from_secs(10)) {
        Ok(EngineCommand::Generate(sent)) => assert_eq!(sent.id, 6),
        other => panic!("{other:?}"),
    }
    assert!(g.bypasses(6) && !g.bypasses(6), "it passes the router once");

    let admitted = g
        .admit(request(7, "bread"), &sink, Box::new(|| {}))
        .unwrap();
    assert!(g.check_input(admitted, &sink).is_none());
    g.cancel_pending(7);
    answer(&g, &commands, &sink, "safe");
    let events = finished(&seen, 7);
    assert_eq!(stop_of(&events, 7), Some(StopReason::Cancelled));
    assert!(commands.recv_timeout(Duration::from_millis(200)).is_err());
}

#[test]
fn a_reply_is_held_until_its_check_and_masked_when_unsafe() {
    let (g, commands) = checked(CheckMode::Output);
    let (sink, seen) = recorder();
    let admitted = g.admit(request(8, "hi"), &sink, Box::new(|| {})).unwrap();
    assert!(g.check_input(admitted, &sink).is_some(), "no input check");
    for text in ["Stab ", "him."] {
        g.pass(
            EngineEvent::Token {
                id: 8,
                text: text.into(),
            },
            &sink,
        );
    }
    assert!(seen.lock().unwrap().is_empty(), "held back");
    g.pass(
        EngineEvent::Finished {
            id: 8,
            stats: ReplyStats::default(),
        },
        &sink,
    );
    assert_eq!(
        answer(&g, &commands, &sink, "unsafe: violence"),
        "Stab him."
    );
    let events = finished(&seen, 8);
    let text: String = events
        .iter()
        .filter_map(|e| match e {
            EngineEvent::Token { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text, "████ ████");
    assert_eq!(stop_of(&events, 8), Some(StopReason::ContentFilter));
}
