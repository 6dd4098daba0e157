//! The guard's model check on the engine side (the settings and the reading of the answer are
//! `crate::guard::check`): a [`Checker`] runs one short, greedy request per check and waits for
//! its answer, at most the configured timeout.
//!
//! Where a check runs:
//! - On the loaded model: the check request goes back through the router like any request (so
//!   a local or a remote model answers it) under an id from [`CHECK_IDS`] up, whose events the
//!   guard takes out of the stream before any front end sees them. On a local model the answer
//!   is held to `safe` or `unsafe: <category>` by a GBNF grammar; the check takes the slot with
//!   the longest common prefix, which with one slot (the chat) costs the chat's cache reuse on
//!   the next turn unless a KV snapshot restores it.
//! - On `check_model`: a second local engine thread of its own (the same `worker::run` as the
//!   loaded model), loaded once when the guard starts, so the chat's context is never touched.
//!
//! A check waits on its own thread (`guard-check`), never on the router's, so the router keeps
//! answering cancels and other requests while a model reads.

use super::guarding::Guarding;
use super::messages::{
    EngineCommand, EngineEvent, GenerateRequest, GuardNote, RequestId, TemplateChoice,
};
use super::worker::{self, EventSink};
use crate::chat::{ReplyStats, Role, StopReason};
use crate::guard::check::{self, CATEGORIES, Stage};
use crate::guard::{Action, CheckAction, CheckResult, GuardMark, ModelCheck, Step};
use crate::params::{SamplingParams, ThinkingSwitch};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;

/// Check requests' ids start here, far above the front ends' ids (counted up from 1), so an
/// event tells by its id alone that it answers a check.
pub(super) const CHECK_IDS: RequestId = 1 << 62;

pub(super) fn is_check(id: RequestId) -> bool {
    id >= CHECK_IDS
}

/// The most tokens a verdict takes (`unsafe: ` and a category of a few words).
const VERDICT_TOKENS: u32 = 16;

type Answer = Result<String, String>;

struct Waiting {
    text: String,
    done: Sender<Answer>,
}

/// Runs checks and collects their answers.
pub(super) struct Checker {
    pub config: ModelCheck,
    next: AtomicU64,
    waiting: Mutex<HashMap<RequestId, Waiting>>,
    /// Where check requests go: the router (the loaded model) or the check model's thread.
    send: Sender<EngineCommand>,
    /// The check model's thread, when there is one.
    own: Option<JoinHandle<()>>,
    /// Why the check model could not be loaded.
    load_error: Mutex<Option<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The grammar of a verdict: `safe`, or `unsafe: ` and a category: one of the built-in prompt's
/// [`CATEGORIES`] with that prompt, any lowercase word (`-` and `_` joining parts) with a prompt
/// of the user's, whose categories the grammar cannot know.
fn grammar(builtin_prompt: bool) -> String {
    let category = match builtin_prompt {
        true => (CATEGORIES.iter().map(|c| format!("\"{c}\"")))
            .collect::<Vec<_>>()
            .join(" | "),
        false => "[a-z] [a-z_-]{0,31}".to_owned(),
    };
    format!("root ::= \"safe\" | \"unsafe: \" category\ncategory ::= {category}\n")
}

impl Checker {
    /// A checker for `config`: on its `model` when set (a thread of its own, loading it now),
    /// else through `router` onto the loaded model. `None` without either.
    pub fn start(
        config: ModelCheck,
        router: Option<Sender<EngineCommand>>,
    ) -> Option<Arc<Checker>> {
        let Some(path) = config.model.clone() else {
            let send = router?;
            return Some(Arc::new(Checker::new(config, send, None)));
        };
        Some(Arc::new_cyclic(|me: &Weak<Checker>| {
            let (tx, rx) = mpsc::channel();
            let me = Weak::clone(me);
            let sink: EventSink = Arc::new(move |event| {
                if let Some(checker) = me.upgrade() {
                    checker.collect(event);
                }
            });
            let params = config.model_params.clone();
            let thread = std::thread::Builder::new()
                .name("engine-guard-check".into())
                .spawn(move || worker::run(rx, sink))
                .map_err(|e| tracing::error!("cannot start the guard's check model thread: {e}"))
                .ok();
            let load = EngineCommand::LoadModel {
                id: CHECK_IDS,
                path,
                params,
                template: TemplateChoice::FromModel,
            };
            let _ = tx.send(load);
            Checker::new(config, tx, thread)
        }))
    }

    fn new(config: ModelCheck, send: Sender<EngineCommand>, own: Option<JoinHandle<()>>) -> Self {
        Checker {
            config,
            next: AtomicU64::new(CHECK_IDS + 1),
            waiting: Mutex::new(HashMap::new()),
            send,
            own,
            load_error: Mutex::new(None),
        }
    }

    /// Takes `event` when it answers a check; gives it back otherwise.
    pub fn collect(&self, event: EngineEvent) -> Option<EngineEvent> {
        if !is_check(event.request_id()) {
            return Some(event);
        }
        match event {
            EngineEvent::Token { id, text } => {
                if let Some(waiting) = lock(&self.waiting).get_mut(&id) {
                    waiting.text.push_str(&text);
                }
            }
            EngineEvent::Finished { id, .. } => {
                if let Some(waiting) = lock(&self.waiting).remove(&id) {
                    let _ = waiting.done.send(Ok(waiting.text));
                }
            }
            EngineEvent::Failed { id, error } => {
                let why = lock(&self.load_error).clone();
                if let Some(waiting) = lock(&self.waiting).remove(&id) {
                    let _ = waiting
                        .done
                        .send(Err(why.unwrap_or_else(|| error.to_string())));
                }
            }
            EngineEvent::LoadFailed { error, .. } => {
                let path = self.config.model.clone().unwrap_or_default();
                tracing::error!(
                    "guard: the check model {} cannot be loaded: {error}",
                    path.display()
                );
                *lock(&self.load_error) = Some(format!(
                    "the check model {} cannot be loaded: {error}",
                    path.display()
                ));
            }
            EngineEvent::ModelLoaded { info, .. } => {
                tracing::info!(
                    "guard: check model {} loaded in {:.0} ms",
                    info.name,
                    info.load_ms
                );
            }
            _ => {}
        }
        None
    }

    /// Classifies `text`; waits at most the timeout.
    pub fn run(&self, text: &str) -> CheckResult {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let (done, answer) = mpsc::channel();
        lock(&self.waiting).insert(
            id,
            Waiting {
                text: String::new(),
                done,
            },
        );
        let sampling = SamplingParams {
            temperature: 0.0,
            repeat_penalty: 1.0,
            max_tokens: VERDICT_TOKENS,
            seed: Some(0),
            thinking: ThinkingSwitch::Off,
            thinking_budget: None,
            ..SamplingParams::default()
        };
        let request = GenerateRequest {
            id,
            grammar: Some(grammar(self.config.prompt == check::default_prompt())),
            ..GenerateRequest::new(check::messages(&self.config.prompt, text), sampling)
        };
        let started = std::time::Instant::now();
        if self.send.send(EngineCommand::Generate(request)).is_err() {
            lock(&self.waiting).remove(&id);
            return CheckResult::Failed {
                error: "the engine thread has stopped".into(),
            };
        }
        let result = match answer.recv_timeout(self.config.timeout) {
            Ok(Ok(answer)) => match check::parse_verdict(dbg_answer(id, &answer)) {
                Ok(None) => CheckResult::Safe,
                Ok(Some(category)) => CheckResult::Unsafe { category },
                Err(answer) => CheckResult::Failed {
                    error: format!(
                        "the answer {answer:?} is neither `safe` nor `unsafe: CATEGORY`"
                    ),
                },
            },
            Ok(Err(error)) => CheckResult::Failed { error },
            Err(_) => {
                lock(&self.waiting).remove(&id);
                let _ = self.send.send(EngineCommand::Cancel { id });
                CheckResult::TimedOut {
                    ms: self.config.timeout.as_millis() as u64,
                }
            }
        };
        tracing::info!(
            "guard: model check {id}: {} in {:.0} ms",
            result.label(),
            started.elapsed().as_secs_f64() * 1e3
        );
        result
    }
}

/// Logs a check's answer as it came (what a prompt makes a model say is the first thing to look
/// at when a check misjudges).
fn dbg_answer(id: RequestId, answer: &str) -> &str {
    tracing::debug!("guard: model check {id} answered {answer:?}");
    answer
}

impl Drop for Checker {
    fn drop(&mut self) {
        if let Some(thread) = self.own.take() {
            let _ = self.send.send(EngineCommand::Shutdown);
            let _ = thread.join();
        }
    }
}

/// The check of a request's message, on a `guard-check` thread: an unsafe one is answered here
/// like a `block` rule (marked, `Finished` with `content_filter`); otherwise the request goes
/// back to the router, unless it was cancelled meanwhile.
pub(super) fn input(
    guarding: &Guarding,
    checker: &Checker,
    request: GenerateRequest,
    sink: &EventSink,
    router: &Sender<EngineCommand>,
) {
    let id = request.id;
    let text = (request.messages.iter().rev())
        .find(|m| m.role == Role::User)
        .map(|m| m.content.clone())
        .unwrap_or_default();
    let result = checker.run(&text);
    let cancelled = lock(&guarding.pending).remove(&id).unwrap_or(false);
    let finish = |reason: StopReason| {
        for id in request.alternative_ids() {
            sink(EngineEvent::Finished {
                id,
                stats: ReplyStats {
                    stop_reason: Some(reason),
                    ..ReplyStats::default()
                },
            });
        }
    };
    if cancelled {
        return finish(StopReason::Cancelled);
    }
    note(id, Stage::Input, &result, sink);
    if let CheckResult::Unsafe { category } = result {
        let marks = vec![GuardMark {
            category,
            action: Action::Block,
        }];
        sink(EngineEvent::Guarded {
            id,
            note: GuardNote::Input { marks, text },
        });
        return finish(StopReason::ContentFilter);
    }
    guarding.pass_checked(id);
    if let Err(returned) = router.send(EngineCommand::Generate(request)) {
        lock(&guarding.passed).remove(&id);
        if let EngineCommand::Generate(request) = returned.0 {
            for id in request.alternative_ids() {
                sink(EngineEvent::Failed {
                    id,
                    error: "the engine thread has stopped".into(),
                });
            }
        }
    }
}

/// The check of a finished reply's `text`, on a `guard-check` thread: then the text (masked
/// when the verdict is unsafe and the action `block`) and `Finished`.
pub(super) fn output(
    checker: &Checker,
    id: RequestId,
    text: String,
    mut stats: ReplyStats,
    sink: &EventSink,
) {
    let result = checker.run(&text);
    note(id, Stage::Output, &result, sink);
    let mut step = Step {
        text,
        ..Step::default()
    };
    if let CheckResult::Unsafe { category } = result {
        let action = match checker.config.action {
            CheckAction::Block => Action::Block,
            CheckAction::Warn => Action::Warn,
        };
        step.marks.push(GuardMark { category, action });
        if action == Action::Block {
            step.text = mask_all(&step.text);
            stats.stop_reason = Some(StopReason::ContentFilter);
        }
    }
    super::guarding::emit(id, step, sink, false);
    sink(EngineEvent::Finished { id, stats });
}

/// Reports how a check went.
fn note(id: RequestId, stage: Stage, result: &CheckResult, sink: &EventSink) {
    sink(EngineEvent::Guarded {
        id,
        note: GuardNote::ModelCheck {
            stage,
            result: result.clone(),
        },
    });
}

/// The text with every character but whitespace masked (an unsafe reply that is blocked: its
/// layout stays, its words go).
pub(super) fn mask_all(text: &str) -> String {
    text.chars()
        .map(|c| match c.is_whitespace() {
            true => c,
            false => crate::guard::MASK,
        })
        .collect()
}

#[cfg(test)]
#[path = "model_check_tests.rs"]
mod tests;
