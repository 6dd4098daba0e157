//! Engine events applied to the chat: load progress and results, streamed tokens, the end of a
//! reply. Events for a request the chat no longer waits for (a cancelled or replaced one) change
//! nothing.

use super::{App, ModelState};
use crate::chat::Role;
use crate::engine::{EngineEvent, GuardNote, RequestId};
use crate::guard::Action;
use crate::guard::check::Stage;

impl App {
    pub(super) fn apply_engine(&mut self, event: EngineEvent) {
        match event {
            EngineEvent::LoadProgress { id, fraction } => {
                if let Some(pending) = self.slot.switching.as_mut().filter(|p| p.id == id) {
                    pending.fraction = fraction;
                }
                if let ModelState::Loading {
                    id: loading,
                    fraction: f,
                    ..
                } = &mut self.slot.model
                    && *loading == id
                {
                    *f = fraction;
                }
            }
            EngineEvent::ModelLoaded { id, info } => {
                if let Some(pending) = self.slot.switching.take_if(|p| p.id == id) {
                    match &info.notice {
                        Some(notice) => self.notify(
                            crate::tr!(
                                "tui-notice-switched-with-note",
                                model = info.name.as_str(),
                                note = notice.as_str()
                            ),
                            true,
                        ),
                        None => self.notify(
                            crate::tr!("tui-notice-switched", model = info.name.as_str()),
                            false,
                        ),
                    }
                    match pending.remote {
                        Some(target) => self.slot.backend = Some(target),
                        None => {
                            self.slot.backend = None;
                            self.slot.model_path = Some(pending.path);
                        }
                    }
                    self.monitor.set_model(&info);
                    self.slot.model = ModelState::Ready(Box::new(info));
                    self.note_model_file();
                    self.save_session();
                    return;
                }
                if matches!(&self.slot.model, ModelState::Loading { id: loading, .. } if *loading == id)
                {
                    if let Some(notice) = &info.notice {
                        self.notify(notice.clone(), true);
                    }
                    self.monitor.set_model(&info);
                    self.slot.model = ModelState::Ready(Box::new(info));
                    self.note_model_file();
                    if std::mem::take(&mut self.chat.waiting_for_model) {
                        self.start_generation(false);
                    }
                }
            }
            EngineEvent::LoadFailed { id, error } => {
                let error = error.localized();
                if let Some(pending) = self.slot.switching.take_if(|p| p.id == id) {
                    let current = self.model_name().unwrap_or_default();
                    self.notify(
                        crate::tr!(
                            "tui-notice-switch-failed",
                            model = pending.name.as_str(),
                            current = current
                        ),
                        true,
                    );
                    self.error = Some(error);
                    return;
                }
                if matches!(&self.slot.model, ModelState::Loading { id: loading, .. } if *loading == id)
                {
                    self.slot.model = ModelState::Failed(error.clone());
                    self.chat.waiting_for_model = false;
                }
                self.error = Some(error);
            }
            EngineEvent::Started {
                id,
                dropped_turns,
                notice,
                ..
            } => {
                if let Some(notice) = notice.filter(|_| self.is_current(id)) {
                    self.notify(notice, true);
                } else if self.is_current(id) && dropped_turns > 0 {
                    self.notify(
                        crate::tr!(
                            "tui-notice-turns-dropped",
                            count = dropped_turns.to_string()
                        ),
                        false,
                    );
                }
            }
            EngineEvent::Token { id, text } => {
                if let Some(streaming) = self.chat.streaming.as_mut().filter(|s| s.id == id) {
                    streaming.pieces += 1;
                    if let Some(message) =
                        self.chat.conversation.messages.get_mut(streaming.message)
                    {
                        message.content.push_str(&text);
                    }
                }
            }
            EngineEvent::Reasoning { id, text } => {
                if let Some(streaming) = self.chat.streaming.as_mut().filter(|s| s.id == id)
                    && let Some(message) =
                        self.chat.conversation.messages.get_mut(streaming.message)
                {
                    streaming.thinking_pieces += 1;
                    message.reasoning.get_or_insert_default().push_str(&text);
                    // Counted until the answer starts: the folded line shows these figures.
                    if streaming.pieces == 0 {
                        message.thinking = Some(crate::chat::ThinkingFigures {
                            tokens: streaming.thinking_pieces,
                            seconds: streaming.started.elapsed().as_secs_f64(),
                        });
                    }
                }
            }
            EngineEvent::Guarded { id, note } => self.guarded(id, note),
            EngineEvent::Finished { id, stats } => {
                if let Some(streaming) = self.chat.streaming.take_if(|s| s.id == id) {
                    if let Some(error) = &stats.error {
                        // A server failed mid-reply: the partial reply stays, marked as cut off
                        // (Continue picks it up).
                        self.error = Some(error.clone());
                    }
                    let model_name = self.model_name();
                    if let Some(message) =
                        self.chat.conversation.messages.get_mut(streaming.message)
                    {
                        message.stats = Some(stats.clone());
                        message.model = model_name;
                        if message.content.is_empty() {
                            self.chat.conversation.messages.remove(streaming.message);
                        }
                    }
                    // A message the guard blocked was never sent: no figures to show.
                    let unsent = stats.stop_reason == Some(crate::chat::StopReason::ContentFilter)
                        && stats.generated_tokens == 0;
                    if !unsent {
                        self.monitor.record_reply(&stats);
                        self.chat.last_stats = Some(stats);
                    }
                    self.save_session();
                }
            }
            EngineEvent::Failed { id, error } => {
                let error = error.localized();
                if let Some(streaming) = self.chat.streaming.take_if(|s| s.id == id) {
                    let empty = self
                        .chat
                        .conversation
                        .messages
                        .get(streaming.message)
                        .is_some_and(|m| m.content.is_empty());
                    if empty {
                        self.chat.conversation.messages.remove(streaming.message);
                    }
                    self.error = Some(error);
                    self.save_session();
                }
            }
            EngineEvent::BenchDone { .. } => {}
        }
    }

    /// Marks the messages the content-safety guard touched; a user message it blocked stays in
    /// the chat, masked and marked, but is left out of later prompts.
    fn guarded(&mut self, id: RequestId, note: GuardNote) {
        let Some(streaming) = self.chat.streaming.as_ref().filter(|s| s.id == id) else {
            return;
        };
        let messages = &mut self.chat.conversation.messages;
        match note {
            GuardNote::Input { marks, text } => {
                let end = streaming.message.min(messages.len());
                let Some(user) = messages[..end].iter_mut().rfind(|m| m.role == Role::User) else {
                    return;
                };
                user.content = text;
                for mark in marks {
                    self.monitor.count_guard(&mark);
                    crate::guard::add_mark(&mut user.guard, mark);
                }
                if let Some(mark) = user.guard.iter().find(|m| m.action == Action::Block) {
                    let category = mark.category.clone();
                    self.notify(
                        crate::tr!("tui-guard-input-blocked", category = category),
                        true,
                    );
                }
            }
            GuardNote::Output { mark } => {
                self.monitor.count_guard(&mark);
                if let Some(message) = messages.get_mut(streaming.message) {
                    crate::guard::add_mark(&mut message.guard, mark);
                }
            }
            GuardNote::ModelCheck { stage, result } => {
                self.monitor.count_model_check(stage, &result);
                let (Some(notice), Some(mark)) = (result.notice(), result.unchecked_mark()) else {
                    return;
                };
                // The text passed unchecked: said at once and marked on the message it concerns.
                let at = match stage {
                    Stage::Output => Some(streaming.message),
                    Stage::Input => (messages[..streaming.message.min(messages.len())].iter())
                        .rposition(|m| m.role == Role::User),
                };
                if let Some(message) = at.and_then(|i| messages.get_mut(i)) {
                    crate::guard::add_mark(&mut message.guard, mark);
                }
                self.notify(notice, true);
            }
        }
    }

    fn is_current(&self, id: RequestId) -> bool {
        self.chat.streaming.as_ref().is_some_and(|s| s.id == id)
    }
}
