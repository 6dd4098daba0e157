//! The content-safety guard at the router, the one place every front end's requests and every
//! engine's events pass: the chat, `ask` and `serve` get the same guard for local and remote
//! models alike (see `crate::guard` for the rules and the actions).
//!
//! Per request: [`Guarding::admit`] checks the last user message before the request goes to an
//! engine (a `block` answers it at once with a `content_filter` stop, a `redact` masks it), and a
//! [`StreamFilter`] holds back the reply's `Token` text until no match can still be forming. An
//! output `block` sends `Cancel` to the engine and turns its `Finished` into a `content_filter`
//! stop; tokens the engine produced after the match are dropped.
//!
//! With `[guard] model_check` (`super::model_check`), a message that passed the rules is read by
//! the check model before it goes on, and a reply's answer text is held back whole until the
//! check model has read it: only then is it shown, marked or masked.

use super::messages::{EngineCommand, EngineEvent, GenerateRequest, GuardNote, RequestId};
use super::model_check::{Checker, is_check};
use super::worker::EventSink;
use crate::chat::{ReplyStats, Role, StopReason};
use crate::guard::{Guard, Step, StreamFilter};
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::Sender;
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
    /// The answer text held back for the model check of the finished reply.
    held: Option<String>,
}

/// The guard and the filter of every reply in flight.
pub(super) struct Guarding {
    guard: Arc<Guard>,
    replies: Mutex<HashMap<RequestId, Reply>>,
    /// The model check, when one is on.
    pub(super) checker: Option<Arc<Checker>>,
    /// Where requests go back to the router once their message passed the check.
    router: Option<Sender<EngineCommand>>,
    /// Requests whose message is being checked, and whether they were cancelled meanwhile.
    pub(super) pending: Mutex<HashMap<RequestId, bool>>,
    /// Requests that passed the check, on their way back through the router.
    pub(super) passed: Mutex<HashSet<RequestId>>,
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
        let step = self.thinking.finish();
        self.emit(id, step, sink, true);
        let step = self.filter.finish();
        self.emit(id, step, sink, false);
    }

    /// Sends a filter step on, the answer's text into `held` while the reply is held back.
    fn emit(&mut self, id: RequestId, mut step: Step, sink: &EventSink, reasoning: bool) {
        if let Some(held) = self.held.as_mut().filter(|_| !reasoning) {
            held.push_str(&std::mem::take(&mut step.text));
        }
        emit(id, step, sink, reasoning);
    }
}

impl Guarding {
    /// The guard; `router` takes the requests back once the model check let them pass (needed
    /// only for a model check on the loaded model and of messages).
    pub fn new(guard: Arc<Guard>, router: Option<Sender<EngineCommand>>) -> Arc<Guarding> {
        let checker = (guard.model_check().cloned())
            .and_then(|config| Checker::start(config, router.clone()));
        Arc::new(Guarding {
            guard,
            replies: Mutex::new(HashMap::new()),
            checker,
            router,
            pending: Mutex::new(HashMap::new()),
            passed: Mutex::new(HashSet::new()),
        })
    }

    /// A request that goes straight to the engine: a check's own, or one whose message passed.
    pub fn bypasses(&self, id: RequestId) -> bool {
        is_check(id) || lock(&self.passed).remove(&id)
    }

    /// A cancel of a request whose message is being checked: it is not sent after the check.
    pub fn cancel_pending(&self, id: RequestId) {
        if let Some(cancelled) = lock(&self.pending).get_mut(&id) {
            *cancelled = true;
        }
    }

    /// Passes a request that passed the rules on to the model check of its message: `Some`
    /// (to send on now) without one, `None` when the check has it (it comes back through the
    /// router if it passes).
    pub fn check_input(
        self: &Arc<Self>,
        request: GenerateRequest,
        sink: &EventSink,
    ) -> Option<GenerateRequest> {
        // A raw completion prompt (`/v1/completions`) has no user message to read.
        let has_message = (request.messages.iter().rev())
            .find(|m| m.role == Role::User)
            .is_some_and(|m| !m.content.trim().is_empty());
        let checker = (self.checker.clone()).filter(|c| c.config.mode.input() && has_message);
        let (Some(checker), Some(router)) = (checker, self.router.clone()) else {
            return Some(request);
        };
        lock(&self.pending).insert(request.id, false);
        let ids = request.alternative_ids();
        let (me, events) = (Arc::clone(self), Arc::clone(sink));
        let spawned = std::thread::Builder::new()
            .name("guard-check".into())
            .spawn(move || super::model_check::input(&me, &checker, request, &events, &router));
        if let Err(e) = spawned {
            lock(&self.pending).remove(&ids.start);
            let error = format!("the guard cannot start a check thread: {e}");
            ids.for_each(|id| {
                let error = error.clone().into();
                sink(EngineEvent::Failed { id, error })
            });
        }
        None
    }

    /// Marks a request whose message passed the check, before it goes back to the router.
    pub(super) fn pass_checked(&self, id: RequestId) {
        lock(&self.passed).insert(id);
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
                    held: (self.checker.as_ref())
                        .filter(|c| c.config.mode.output())
                        .map(|_| String::new()),
                },
            );
        }
        drop(replies);
        Some(request)
    }

    /// Passes `event` to `sink` through its reply's filter.
    pub fn pass(&self, event: EngineEvent, sink: &EventSink) {
        let event = match &self.checker {
            Some(checker) => match checker.collect(event) {
                Some(event) => event,
                None => return,
            },
            None => event,
        };
        if let Some((id, text, reasoning)) = piece(&event) {
            let mut replies = self.replies();
            match replies.get_mut(&id) {
                Some(reply) => {
                    let step = reply.push(text, reasoning);
                    reply.emit(id, step, sink, reasoning);
                }
                None => {
                    drop(replies);
                    sink(event);
                }
            }
            return;
        }
        match event {
            EngineEvent::Finished { id, mut stats } => {
                let reply = self.replies().remove(&id);
                if let Some(mut reply) = reply {
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
                    if let Some(held) = reply.held.take() {
                        return self.check_output(id, held, stats, sink);
                    }
                }
                sink(EngineEvent::Finished { id, stats });
            }
            EngineEvent::Failed { id, error } => {
                let reply = self.replies().remove(&id);
                if let Some(mut reply) = reply {
                    // A reply held for the check that fails is not shown unchecked.
                    reply.finish(id, sink);
                }
                sink(EngineEvent::Failed { id, error });
            }
            other => sink(other),
        }
    }
}

impl Guarding {
    /// Ends a held-back reply: a check of its text (on a thread of its own) when there is text
    /// and the rules did not stop it, then the text, marked or masked, and `Finished`.
    fn check_output(&self, id: RequestId, held: String, stats: ReplyStats, sink: &EventSink) {
        let checker = (self.checker.clone())
            .filter(|_| !held.trim().is_empty())
            .filter(|_| stats.stop_reason != Some(StopReason::ContentFilter));
        let Some(checker) = checker else {
            emit(
                id,
                Step {
                    text: held,
                    ..Step::default()
                },
                sink,
                false,
            );
            return sink(EngineEvent::Finished { id, stats });
        };
        let events = Arc::clone(sink);
        let spawned = std::thread::Builder::new()
            .name("guard-check".into())
            .spawn(move || super::model_check::output(&checker, id, held, stats, &events));
        if let Err(e) = spawned {
            // The reply is not shown unchecked.
            let error = format!("the guard cannot start a check thread: {e}").into();
            sink(EngineEvent::Failed { id, error });
        }
    }
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
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
pub(super) fn emit(id: RequestId, step: Step, sink: &EventSink, reasoning: bool) {
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
#[path = "guarding_tests.rs"]
mod tests;
