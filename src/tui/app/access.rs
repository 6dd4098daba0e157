//! What tests, tools and the terminal loop may read of the chat (its groups stay private).

use super::{App, ModelState, Notice, PendingLoad, Streaming};
use crate::chat::Conversation;
use crate::engine::EngineLink;
use crate::params::{ModelParams, SamplingParams};
use crate::store::Session;
use crate::tui::panes::Pane;
use crate::tui::view::ViewState;

impl App {
    pub fn link(&self) -> &EngineLink {
        &self.link
    }

    /// The monitor pane's figures (tests inject fixed ones here).
    pub fn monitor(&self) -> &crate::monitor::Monitor {
        &self.monitor
    }

    pub fn monitor_mut(&mut self) -> &mut crate::monitor::Monitor {
        &mut self.monitor
    }

    pub fn conversation(&self) -> &Conversation {
        &self.chat.conversation
    }

    /// The conversation, to change directly (tools and tests that build a chat): the view
    /// renders a message again whenever its content changes.
    pub fn conversation_mut(&mut self) -> &mut Conversation {
        &mut self.chat.conversation
    }

    pub fn sampling(&self) -> &SamplingParams {
        &self.chat.sampling
    }

    pub fn model_params(&self) -> &ModelParams {
        &self.slot.model_params
    }

    pub fn model(&self) -> &ModelState {
        &self.slot.model
    }

    /// The file of the running (or first loading) model.
    pub fn model_path(&self) -> Option<&std::path::Path> {
        self.slot.model_path.as_deref()
    }

    /// A model switch in progress while the current model keeps answering.
    pub fn switching(&self) -> Option<&PendingLoad> {
        self.slot.switching.as_ref()
    }

    pub fn streaming(&self) -> Option<&Streaming> {
        self.chat.streaming.as_ref()
    }

    /// A message waits for the model to finish loading.
    pub fn waiting_for_model(&self) -> bool {
        self.chat.waiting_for_model
    }

    pub fn session(&self) -> &Session {
        &self.chat.session
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The last engine error, shown under the conversation.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The text typed in the input.
    pub fn input_text(&self) -> String {
        self.input.editor.lines().join("\n")
    }

    /// Takes the texts waiting to be put on the clipboard.
    pub fn take_clipboard(&mut self) -> Vec<String> {
        std::mem::take(&mut self.clipboard)
    }

    /// The open pane, if any.
    pub fn pane(&self) -> Option<&dyn Pane> {
        self.pane.as_deref()
    }

    /// The view's own state (what drawing worked out).
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    /// Asks the chat to end (a signal, the terminal closing).
    pub fn request_quit(&mut self) {
        self.quit = true;
    }

    /// The engine thread is gone: say so, keep the conversation on screen.
    pub fn engine_stopped(&mut self) {
        self.error = Some(crate::tr!("tui-notice-engine-stopped"));
        self.chat.streaming = None;
    }
}
