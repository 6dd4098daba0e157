//! What the chat's actions do to the conversation: send, cancel, regenerate, edit, continue, copy,
//! start over, change persona. Each one updates the state and, where it must, asks the engine.

use super::{App, ModelState, Streaming};
use crate::chat::{Message, Role};
use crate::engine::GenerateRequest;
use ratatui_textarea::CursorMove;
use std::time::Instant;

impl App {
    pub(super) fn send(&mut self) {
        let text = self.input_text();
        if text.trim().is_empty() {
            return;
        }
        if self.is_generating() {
            self.notify(crate::tr!("tui-notice-still-streaming"), true);
            return;
        }
        self.input.history.push(text.clone());
        self.input.history_pos = None;
        self.set_input("");
        if !self.send_edited(&text) {
            self.chat.conversation.messages.push(Message::user(text));
        }
        self.view.follow_bottom();
        self.save_session();
        self.start_generation(false);
    }

    /// Asks the engine for the next reply, or queues it until the model is ready.
    pub fn start_generation(&mut self, continue_last: bool) {
        self.start_reply(continue_last, 1);
    }

    /// Starts a reply (or `alternatives` of them, see `super::alternatives`).
    pub(super) fn start_reply(&mut self, continue_last: bool, alternatives: u8) {
        self.error = None;
        self.chat.selected = None;
        if !matches!(self.slot.model, ModelState::Ready(_)) {
            self.chat.waiting_for_model = true;
            if let ModelState::Failed(why) = &self.slot.model {
                let why = why.clone();
                self.notify(crate::tr!("tui-notice-no-model-loaded", reason = why), true);
            }
            return;
        }
        let messages = self.chat.conversation.prompt_messages();
        let request = GenerateRequest {
            continue_last,
            alternatives,
            snapshot: self.snapshot_ref(),
            ..GenerateRequest::new(messages, self.chat.sampling.clone())
        };
        match self.link.generate(request) {
            Ok(id) => {
                if !continue_last {
                    self.chat.conversation.messages.push(Message::assistant(""));
                }
                self.chat.streaming = Some(Streaming {
                    id,
                    message: self.chat.conversation.messages.len() - 1,
                    started: Instant::now(),
                    pieces: 0,
                    thinking_pieces: 0,
                    cancelling: false,
                });
                if alternatives > 1 {
                    self.begin_alternatives(id, usize::from(alternatives));
                }
            }
            Err(e) => self.error = Some(crate::report::message(&e)),
        }
    }

    pub(super) fn cancel(&mut self) {
        if let Some(streaming) = &mut self.chat.streaming {
            streaming.cancelling = true;
            self.link.cancel(streaming.id);
        }
    }

    pub(super) fn regenerate(&mut self) {
        if self.is_generating() {
            return;
        }
        if self
            .chat
            .conversation
            .messages
            .last()
            .is_some_and(|m| m.role == Role::Assistant)
        {
            self.chat.conversation.messages.pop();
        }
        if self
            .chat
            .conversation
            .messages
            .last()
            .is_some_and(|m| m.role == Role::User)
        {
            self.view.follow_bottom();
            self.start_generation(false);
        } else {
            self.notify(crate::tr!("tui-notice-nothing-to-regenerate"), true);
        }
    }

    pub(super) fn edit_last(&mut self) {
        if self.is_generating() {
            return;
        }
        match self.chat.conversation.last_index_of(Role::User) {
            Some(index) => {
                // Ctrl+E edits the last message: an earlier one being edited is left alone.
                self.chat.editing = None;
                let text = self.chat.conversation.messages[index].content.clone();
                self.chat.conversation.messages.truncate(index);
                self.set_input(&text);
                self.input.editor.move_cursor(CursorMove::Bottom);
                self.input.editor.move_cursor(CursorMove::End);
                self.notify(crate::tr!("tui-notice-editing-last"), false);
            }
            None => self.notify(crate::tr!("tui-notice-no-message-to-edit"), true),
        }
    }

    pub(super) fn continue_reply(&mut self) {
        if self.is_generating() {
            return;
        }
        let cut_off = self.chat.conversation.messages.last().is_some_and(|m| {
            m.role == Role::Assistant
                && m.stats
                    .as_ref()
                    .and_then(|s| s.stop_reason)
                    .is_some_and(|r| r.was_cut_off())
        });
        if cut_off {
            self.view.follow_bottom();
            self.start_generation(true);
        } else {
            self.notify(crate::tr!("tui-notice-not-cut-off"), true);
        }
    }

    pub fn new_conversation(&mut self) {
        self.cancel();
        self.chat.streaming = None;
        self.chat.waiting_for_model = false;
        self.chat.conversation.messages.clear();
        self.reset_branch_state();
        self.view.reset();
        self.chat.last_stats = None;
        self.monitor.reset_session();
        self.error = None;
        self.chat.session_name = crate::tr!("tui-chat-new-session");
    }

    fn last_reply(&self) -> Option<&str> {
        self.chat
            .conversation
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::Assistant && !m.content.is_empty())
            .map(|m| m.content.as_str())
    }

    pub(super) fn copy_reply(&mut self) {
        match self.last_reply().map(str::to_owned) {
            Some(text) => self.clipboard.push(text),
            None => self.notify(crate::tr!("tui-notice-no-reply-to-copy"), true),
        }
    }

    pub(super) fn copy_code(&mut self, n: u8) {
        let blocks = self
            .last_reply()
            .map(crate::markdown::code_blocks)
            .unwrap_or_default();
        match blocks.into_iter().nth(usize::from(n).saturating_sub(1)) {
            Some(block) => self.clipboard.push(block.code),
            None => self.notify(
                crate::tr!("tui-notice-no-code-block", number = n.to_string()),
                true,
            ),
        }
    }

    pub fn apply_persona(&mut self, index: usize) {
        if let Some(persona) = self.chat.personas.get(index).cloned() {
            self.chat.conversation.system_prompt = persona.system_prompt;
            self.notify(
                crate::tr!("tui-notice-persona", name = persona.name.as_str()),
                false,
            );
            self.chat.persona = Some(persona.id);
            self.save_session();
        }
    }
}
