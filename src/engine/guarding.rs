//! The content-safety guard at the router, the one place every front end's requests and every
//! engine's events pass: the chat, `ask` and `serve` get the same guard for local and remote
//! models alike (see `crate::guard` for the rules and the actions).
//!
//! Per request: [`Guarding::admit`] checks the last user message before the request goes to an
//! engine (a `block` answers it at once with a `content_filter` stop, a `redact` masks it), and a
//! [`StreamFilter`] holds back the reply's `Token` text until no match can still be forming. An
//! output `block` sends `Cancel` to the engine and turns its `Finished` into a `content_filter`
//! stop; tokens the engine produced after the match are dropped.

use super::messages::{EngineEvent, GenerateRequest, GuardNote, RequestId};
use super::worker::EventSink;
use crate::chat::{ReplyStats, Role, StopReason};
use crate::guard::{Guard, Step, StreamFilter};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Stops the engine's generation of one request.
pub(super) type Cancel = Box<dyn Fn() + Send>;

struct Reply {
    filter: StreamFilter,
    /// The reasoning a remote server sends apart from the answer, filtered the same way.
    thinking: StreamFilter,
    cancel: Cancel,
    /// Time spent in the filter and pieces filtered, logged at the end (docs/performance.md).
    spent: std::time::Duration,
    pieces: usize,
}

/// The guard and the filter of every reply in flight.
pub(super) struct Guarding {
    guard: Arc<Guard>,
    replies: Mutex<HashMap<RequestId, Reply>>,
}

impl Reply {
    fn blocked(&self) -> bool {
        self.filter.blocked().is_some() || self.thinking.blocked().is_some()
    }

    /// Filters one piece of the answer or of the reasoning; a block cancels the generation.
    fn push(&mut self, text: &str, reasoning: bool) -> Step {
        if self.blocked() {
            return Step::default();
        }
        let started = std::time::Instant::now();
        let step = match reasoning {
            true => self.thinking.push(text),
            false => self.filter.push(text),
        };
        self.spent += started.elapsed();
        self.pieces += 1;
        if step.blocked.is_some() {
            (self.cancel)();
        }
        step
    }

    /// Releases what both filters hold.
    fn finish(&mut self, id: RequestId, sink: &EventSink) {
        emit(id, self.thinking.finish(), sink, true);
        emit(id, self.filter.finish(), sink, false);
    }
}

impl Guarding {
    pub fn new(guard: Arc<Guard>) -> Arc<Guarding> {
        Arc::new(Guarding {
            guard,
            replies: Mutex::new(HashMap::new()),
        })
    }

    fn replies(&self) -> std::sync::MutexGuard<'_, HashMap<RequestId, Reply>> {
        self.replies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Checks the request's last user message and starts its reply's filter. Returns the request
    /// to send on (with redactions masked), or `None` when the message is blocked: the request
    /// is then answered here, through `sink`.
    pub fn admit(
        &self,
        mut request: GenerateRequest,
        sink: &EventSink,
        cancel: Cancel,
    ) -> Option<GenerateRequest> {
        let id = request.id;
        if let Some(message) = (request.messages.iter_mut())
            .rev()
            .find(|m| m.role == Role::User)
        {
            let checked = self.guard.check(&message.content);
            if !checked.marks.is_empty() {
                message.content = checked.text.clone();
                sink(EngineEvent::Guarded {
                    id,
                    note: GuardNote::Input {
                        marks: checked.marks,
                        text: checked.text,
                    },
                });
            }
            if checked.blocked.is_some() {
                for id in request.alternative_ids() {
                    sink(EngineEvent::Finished {
                        id,
                        stats: ReplyStats {
                            stop_reason: Some(StopReason::ContentFilter),
                            ..ReplyStats::default()
                        },
                    });
                }
                return None;
            }
        }
        let cancel = Arc::new(Mutex::new(cancel));
        let mut replies = self.replies();
        // Every alternative's text is filtered on its own; a block stops the whole request.
        for id in request.alternative_ids() {
            let cancel = Arc::clone(&cancel);
            replies.insert(
                id,
                Reply {
                    filter: StreamFilter::new(Arc::clone(&self.guard)),
                    thinking: StreamFilter::new(Arc::clone(&self.guard)),
                    cancel: Box::new(move || (cancel.lock().unwrap_or_else(|e| e.into_inner()))()),
                    spent: std::time::Duration::ZERO,
                    pieces: 0,
                },
            );
        }
        drop(replies);
        Some(request)
    }

    /// Passes `event` to `sink` through its reply's filter.
    pub fn pass(&self, event: EngineEvent, sink: &EventSink) {
        if let Some((id, text, reasoning)) = piece(&event) {
            let step = self.replies().get_mut(&id).map(|r| r.push(text, reasoning));
            match step {
                Some(step) => emit(id, step, sink, reasoning),
                None => sink(event),
            }
            return;
        }
        match event {
            EngineEvent::Finished { id, mut stats } => {
                if let Some(mut reply) = self.replies().remove(&id) {
                    reply.finish(id, sink);
                    tracing::info!(
                        "guard: request {id}: {} pieces filtered in {:.1} ms ({:.1} µs each)",
                        reply.pieces,
                        reply.spent.as_secs_f64() * 1e3,
                        reply.spent.as_secs_f64() * 1e6 / reply.pieces.max(1) as f64
                    );
                    if reply.blocked() {
                        stats.stop_reason = Some(StopReason::ContentFilter);
                    }
                }
                sink(EngineEvent::Finished { id, stats });
            }
            EngineEvent::Failed { id, error } => {
                if let Some(mut reply) = self.replies().remove(&id) {
                    reply.finish(id, sink);
                }
                sink(EngineEvent::Failed { id, error });
            }
            other => sink(other),
        }
    }
}

/// The request, text and kind (reasoning or answer) of a streamed piece.
fn piece(event: &EngineEvent) -> Option<(RequestId, &str, bool)> {
    match event {
        EngineEvent::Token { id, text } => Some((*id, text, false)),
        EngineEvent::Reasoning { id, text } => Some((*id, text, true)),
        _ => None,
    }
}

/// Sends a filter step on: the marks first, then the text (as reasoning or as answer).
fn emit(id: RequestId, step: Step, sink: &EventSink, reasoning: bool) {
    for mark in step.marks {
        sink(EngineEvent::Guarded {
            id,
            note: GuardNote::Output { mark },
        });
    }
    if step.text.is_empty() {
        return;
    }
    let text = step.text;
    sink(match reasoning {
        true => EngineEvent::Reasoning { id, text },
        false => EngineEvent::Token { id, text },
    });
}

/// `sink` with every event passed through `guarding` first.
pub(super) fn guarded_sink(sink: EventSink, guarding: &Arc<Guarding>) -> EventSink {
    let guarding = Arc::clone(guarding);
    Arc::new(move |event| guarding.pass(event, &sink))
}

#[cfg(test)]
mod tests {
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
        Guarding::new(Arc::new(Guard::from_rules(set).unwrap()))
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
}
