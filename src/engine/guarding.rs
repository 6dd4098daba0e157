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
                sink(EngineEvent::Finished {
                    id,
                    stats: ReplyStats {
                        stop_reason: Some(StopReason::ContentFilter),
                        ..ReplyStats::default()
                    },
                });
                return None;
            }
        }
        let filter = StreamFilter::new(Arc::clone(&self.guard));
        self.replies().insert(
            id,
            Reply {
                filter,
                cancel,
                spent: std::time::Duration::ZERO,
                pieces: 0,
            },
        );
        Some(request)
    }

    /// Passes `event` to `sink` through its reply's filter.
    pub fn pass(&self, event: EngineEvent, sink: &EventSink) {
        match event {
            EngineEvent::Token { id, text } => {
                let step = {
                    let mut replies = self.replies();
                    let Some(reply) = replies.get_mut(&id) else {
                        drop(replies);
                        return sink(EngineEvent::Token { id, text });
                    };
                    let started = std::time::Instant::now();
                    let step = reply.filter.push(&text);
                    reply.spent += started.elapsed();
                    reply.pieces += 1;
                    if step.blocked.is_some() {
                        (reply.cancel)();
                    }
                    step
                };
                emit(id, step, sink);
            }
            EngineEvent::Finished { id, mut stats } => {
                if let Some(mut reply) = self.replies().remove(&id) {
                    emit(id, reply.filter.finish(), sink);
                    tracing::info!(
                        "guard: request {id}: {} pieces filtered in {:.1} ms ({:.1} µs each)",
                        reply.pieces,
                        reply.spent.as_secs_f64() * 1e3,
                        reply.spent.as_secs_f64() * 1e6 / reply.pieces.max(1) as f64
                    );
                    if reply.filter.blocked().is_some() {
                        stats.stop_reason = Some(StopReason::ContentFilter);
                    }
                }
                sink(EngineEvent::Finished { id, stats });
            }
            EngineEvent::Failed { id, error } => {
                if let Some(mut reply) = self.replies().remove(&id) {
                    emit(id, reply.filter.finish(), sink);
                }
                sink(EngineEvent::Failed { id, error });
            }
            other => sink(other),
        }
    }
}

/// Sends a filter step on: the marks first, then the text.
fn emit(id: RequestId, step: Step, sink: &EventSink) {
    for mark in step.marks {
        sink(EngineEvent::Guarded {
            id,
            note: GuardNote::Output { mark },
        });
    }
    if !step.text.is_empty() {
        sink(EngineEvent::Token {
            id,
            text: step.text,
        });
    }
}

/// `sink` with every event passed through `guarding` first.
pub(super) fn guarded_sink(sink: EventSink, guarding: &Arc<Guarding>) -> EventSink {
    let guarding = Arc::clone(guarding);
    Arc::new(move |event| guarding.pass(event, &sink))
}
