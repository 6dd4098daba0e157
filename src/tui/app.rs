//! The chat screen's state and how it changes.
//!
//! Everything here is plain state plus update functions: no terminal, no drawing, no waiting. Keys
//! and engine events go in, engine commands go out through an [`EngineLink`], so tests drive the
//! app with synthetic events and inspect what it would have asked the engine to do.

use super::keys::{Action, chat_action};
use super::overlay::Overlay;
use super::view::chat::ChatCache;
use crate::chat::personas::Persona;
use crate::chat::{Conversation, Message, ReplyStats, Role};
use crate::config::Config;
use crate::engine::{
    EngineEvent, EngineLink, GenerateRequest, ModelInfo, RequestId, TemplateChoice,
};
use crate::params::{ModelParams, SamplingParams};
use crate::paths::Paths;
use crate::store::{ModelRef, Session, Store};
use crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};
use ratatui_textarea::{CursorMove, TextArea};
use std::path::PathBuf;
use std::time::Instant;

/// What the model is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelState {
    Loading {
        id: RequestId,
        fraction: f32,
        name: String,
    },
    Ready(ModelInfo),
    Failed(String),
}

/// The reply being streamed.
#[derive(Debug, Clone)]
pub struct Streaming {
    pub id: RequestId,
    /// Index of the assistant message receiving the text.
    pub message: usize,
    pub started: Instant,
    pub pieces: usize,
    pub cancelling: bool,
}

/// A model switch or reload in progress while the current model keeps running.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingLoad {
    pub id: RequestId,
    pub fraction: f32,
    pub name: String,
    pub path: PathBuf,
}

/// A short message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// The whole chat screen.
pub struct App {
    pub conversation: Conversation,
    pub persona: Option<String>,
    pub personas: Vec<Persona>,
    pub sampling: SamplingParams,
    pub model_params: ModelParams,
    pub template: TemplateChoice,
    /// The file of the running (or first loading) model.
    pub model_path: Option<PathBuf>,
    pub model: ModelState,
    pub switching: Option<PendingLoad>,
    /// Directories and config, for the panes that list models or save defaults.
    pub paths: Paths,
    pub config: Config,
    /// `--model` was given: reopened sessions do not switch the model.
    pub model_forced: bool,
    /// Where the chat is saved, and its session record.
    pub store: Option<Store>,
    pub session: Session,
    pub model_ref: Option<ModelRef>,
    pub streaming: Option<Streaming>,
    /// A message was sent before the model finished loading; it goes out when it does.
    pub waiting_for_model: bool,
    pub input: TextArea<'static>,
    history: Vec<String>,
    history_pos: Option<usize>,
    /// Lines scrolled up from the bottom; 0 follows the stream.
    pub scroll: usize,
    /// Set by the view: how many lines one page is.
    pub page_lines: usize,
    pub overlay: Overlay,
    pub notice: Option<Notice>,
    /// The last engine error, shown under the conversation.
    pub error: Option<String>,
    pub last_stats: Option<ReplyStats>,
    pub session_name: String,
    pub chat_cache: ChatCache,
    /// Text to put on the clipboard; the terminal loop writes it out.
    pub clipboard: Vec<String>,
    pub quit: bool,
    link: EngineLink,
}

pub(super) fn new_input() -> TextArea<'static> {
    let mut input = TextArea::default();
    input.set_placeholder_text(
        "Type a message. Enter sends, Alt+Enter or Ctrl+J adds a line, F1 help",
    );
    input.set_cursor_line_style(ratatui::style::Style::default());
    input.set_wrap_mode(ratatui_textarea::WrapMode::Word);
    input
}

impl App {
    pub fn new(link: EngineLink, conversation: Conversation, sampling: SamplingParams) -> App {
        let session = Session::new(
            &conversation.system_prompt,
            sampling.clone(),
            ModelParams::default(),
        );
        App {
            conversation,
            persona: None,
            personas: crate::chat::personas::built_in(),
            sampling,
            model_params: ModelParams::default(),
            template: TemplateChoice::FromModel,
            model_path: None,
            model: ModelState::Failed("no model requested".into()),
            switching: None,
            paths: Paths::under(&std::env::temp_dir().join("ggchat-unset")),
            config: Config::default(),
            model_forced: false,
            store: None,
            session,
            model_ref: None,
            streaming: None,
            waiting_for_model: false,
            input: new_input(),
            history: Vec::new(),
            history_pos: None,
            scroll: 0,
            page_lines: 10,
            overlay: Overlay::None,
            notice: None,
            error: None,
            last_stats: None,
            session_name: "new chat".into(),
            chat_cache: ChatCache::default(),
            clipboard: Vec::new(),
            quit: false,
            link,
        }
    }

    pub fn link(&self) -> &EngineLink {
        &self.link
    }

    /// Records that a model load was requested.
    pub fn loading(&mut self, id: RequestId, name: String) {
        self.model = ModelState::Loading {
            id,
            fraction: 0.0,
            name,
        };
    }

    /// Loads `path` with the current model settings; the running model (if any) keeps answering
    /// until the new one is ready, and stays if the load fails.
    pub fn load_model(&mut self, path: PathBuf) {
        let name = model_display_name(&path);
        match self.link.load(
            path.clone(),
            self.model_params.clone(),
            self.template.clone(),
        ) {
            Ok(id) => {
                if matches!(self.model, ModelState::Ready(_)) {
                    self.switching = Some(PendingLoad {
                        id,
                        fraction: 0.0,
                        name,
                        path,
                    });
                } else {
                    self.model_path = Some(path);
                    self.loading(id, name);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Reloads the running model with changed model settings.
    pub fn reload_model(&mut self) {
        match self.model_path.clone() {
            Some(path) => self.load_model(path),
            None => self.notify("no model to reload", true),
        }
    }

    pub fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
        });
    }

    fn input_text(&self) -> String {
        self.input.lines().join("\n")
    }

    fn set_input(&mut self, text: &str) {
        self.input = new_input();
        self.input.insert_str(text);
    }

    pub fn is_generating(&self) -> bool {
        self.streaming.is_some()
    }

    /// Whether a redraw is needed even without input (spinners, progress).
    pub fn is_animating(&self) -> bool {
        self.streaming.is_some()
            || self.switching.is_some()
            || matches!(self.model, ModelState::Loading { .. })
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == crossterm::event::KeyEventKind::Release {
            return;
        }
        if !matches!(self.overlay, Overlay::None) {
            super::overlay::handle_key(self, key);
            return;
        }
        self.notice = None;
        let input_empty = self.input.is_empty();
        match chat_action(key, input_empty) {
            Some(action) => self.perform(action),
            None => self.edit_input(key),
        }
    }

    fn edit_input(&mut self, key: KeyEvent) {
        use crossterm::event::KeyCode;
        let ratatui_textarea::DataCursor(row, _) = self.input.cursor();
        let last_row = self.input.lines().len().saturating_sub(1);
        match key.code {
            KeyCode::Up if row == 0 && !self.history.is_empty() => self.history_step(-1),
            KeyCode::Down if row == last_row && self.history_pos.is_some() => self.history_step(1),
            _ => {
                self.input.input(key);
            }
        }
    }

    fn history_step(&mut self, delta: isize) {
        let len = self.history.len() as isize;
        let current = self.history_pos.map_or(len, |p| p as isize);
        let next = (current + delta).clamp(0, len);
        if next == len {
            self.history_pos = None;
            self.set_input("");
        } else {
            self.history_pos = Some(next as usize);
            let text = self.history[next as usize].clone();
            self.set_input(&text);
        }
    }

    pub fn handle_paste(&mut self, text: &str) {
        let clean = text.replace("\r\n", "\n").replace('\r', "\n");
        match &mut self.overlay {
            Overlay::SystemPrompt(editor) => {
                editor.insert_str(&clean);
            }
            Overlay::None => {
                self.input.insert_str(&clean);
            }
            _ => {}
        }
    }

    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        match mouse.kind {
            MouseEventKind::ScrollUp => self.scroll_by(3),
            MouseEventKind::ScrollDown => self.scroll_by(-3),
            _ => {}
        }
    }

    fn scroll_by(&mut self, lines: isize) {
        self.scroll = self.scroll.saturating_add_signed(lines);
        // The view clamps to the real top when it draws.
    }

    pub fn perform(&mut self, action: Action) {
        match action {
            Action::Send => self.send(),
            Action::Newline => self.input.insert_newline(),
            Action::Cancel => self.cancel(),
            Action::Regenerate => self.regenerate(),
            Action::EditLast => self.edit_last(),
            Action::Continue => self.continue_reply(),
            Action::NewConversation => self.start_new_session(),
            Action::CopyReply => self.copy_reply(),
            Action::CopyCode(n) => self.copy_code(n),
            Action::SystemPrompt => {
                self.overlay = Overlay::system_prompt(&self.conversation.system_prompt)
            }
            Action::Personas => self.overlay = Overlay::personas(self),
            Action::Help => self.overlay = Overlay::Help,
            Action::Settings => self.overlay = Overlay::Settings(Box::default()),
            Action::Sessions => {
                self.overlay =
                    Overlay::Sessions(Box::new(super::sessions_pane::SessionsPane::new(self)))
            }
            Action::Models => {
                self.overlay = Overlay::Models(Box::new(super::models_pane::ModelsPane::new(self)))
            }
            Action::ScrollUp => self.scroll_by(self.page_lines.max(1) as isize),
            Action::ScrollDown => self.scroll_by(-(self.page_lines.max(1) as isize)),
            Action::ScrollTop => self.scroll = usize::MAX / 2,
            Action::ScrollBottom => self.scroll = 0,
            Action::Interrupt if self.is_generating() => self.cancel(),
            Action::Interrupt | Action::Quit => self.quit = true,
        }
    }

    fn send(&mut self) {
        let text = self.input_text();
        if text.trim().is_empty() {
            return;
        }
        if self.is_generating() {
            self.notify("a reply is still streaming: Esc stops it", true);
            return;
        }
        self.history.push(text.clone());
        self.history_pos = None;
        self.set_input("");
        self.conversation.messages.push(Message::user(text));
        self.scroll = 0;
        self.save_session();
        self.start_generation(false);
    }

    /// Asks the engine for the next reply, or queues it until the model is ready.
    pub fn start_generation(&mut self, continue_last: bool) {
        self.error = None;
        if !matches!(self.model, ModelState::Ready(_)) {
            self.waiting_for_model = true;
            if let ModelState::Failed(why) = &self.model {
                let why = why.clone();
                self.notify(format!("no model is loaded: {why}"), true);
            }
            return;
        }
        let messages = self.conversation.prompt_messages();
        let request = GenerateRequest {
            id: 0,
            messages,
            sampling: self.sampling.clone(),
            continue_last,
            reuse_cache: true,
        };
        match self.link.generate(request) {
            Ok(id) => {
                if !continue_last {
                    self.conversation.messages.push(Message::assistant(""));
                }
                self.streaming = Some(Streaming {
                    id,
                    message: self.conversation.messages.len() - 1,
                    started: Instant::now(),
                    pieces: 0,
                    cancelling: false,
                });
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    fn cancel(&mut self) {
        if let Some(streaming) = &mut self.streaming {
            streaming.cancelling = true;
            self.link.cancel(streaming.id);
        }
    }

    fn regenerate(&mut self) {
        if self.is_generating() {
            return;
        }
        if self
            .conversation
            .messages
            .last()
            .is_some_and(|m| m.role == Role::Assistant)
        {
            self.conversation.messages.pop();
        }
        if self
            .conversation
            .messages
            .last()
            .is_some_and(|m| m.role == Role::User)
        {
            self.scroll = 0;
            self.start_generation(false);
        } else {
            self.notify("nothing to regenerate", true);
        }
    }

    fn edit_last(&mut self) {
        if self.is_generating() {
            return;
        }
        match self.conversation.last_index_of(Role::User) {
            Some(index) => {
                let text = self.conversation.messages[index].content.clone();
                self.conversation.messages.truncate(index);
                self.set_input(&text);
                self.input.move_cursor(CursorMove::Bottom);
                self.input.move_cursor(CursorMove::End);
                self.notify("editing the last message: Enter resends it", false);
            }
            None => self.notify("no message to edit", true),
        }
    }

    fn continue_reply(&mut self) {
        if self.is_generating() {
            return;
        }
        let cut_off = self.conversation.messages.last().is_some_and(|m| {
            m.role == Role::Assistant
                && m.stats
                    .as_ref()
                    .and_then(|s| s.stop_reason)
                    .is_some_and(|r| r.was_cut_off())
        });
        if cut_off {
            self.scroll = 0;
            self.start_generation(true);
        } else {
            self.notify("the last reply was not cut off", true);
        }
    }

    pub fn new_conversation(&mut self) {
        self.cancel();
        self.streaming = None;
        self.waiting_for_model = false;
        self.conversation.messages.clear();
        self.chat_cache = ChatCache::default();
        self.last_stats = None;
        self.error = None;
        self.scroll = 0;
        self.session_name = "new chat".into();
    }

    fn last_reply(&self) -> Option<&str> {
        self.conversation
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::Assistant && !m.content.is_empty())
            .map(|m| m.content.as_str())
    }

    fn copy_reply(&mut self) {
        match self.last_reply().map(str::to_owned) {
            Some(text) => self.clipboard.push(text),
            None => self.notify("no reply to copy", true),
        }
    }

    fn copy_code(&mut self, n: u8) {
        let blocks = self
            .last_reply()
            .map(crate::markdown::code_blocks)
            .unwrap_or_default();
        match blocks.into_iter().nth(usize::from(n).saturating_sub(1)) {
            Some(block) => self.clipboard.push(block.code),
            None => self.notify(format!("the last reply has no code block {n}"), true),
        }
    }

    pub fn apply_persona(&mut self, index: usize) {
        if let Some(persona) = self.personas.get(index).cloned() {
            self.conversation.system_prompt = persona.system_prompt;
            self.notify(format!("persona: {}", persona.name), false);
            self.persona = Some(persona.name);
            self.save_session();
        }
    }

    pub fn handle_engine(&mut self, event: EngineEvent) {
        match event {
            EngineEvent::LoadProgress { id, fraction } => {
                if let Some(pending) = self.switching.as_mut().filter(|p| p.id == id) {
                    pending.fraction = fraction;
                }
                if let ModelState::Loading {
                    id: loading,
                    fraction: f,
                    ..
                } = &mut self.model
                    && *loading == id
                {
                    *f = fraction;
                }
            }
            EngineEvent::ModelLoaded { id, info } => {
                if let Some(pending) = self.switching.take_if(|p| p.id == id) {
                    self.notify(
                        format!("now on {}; the conversation continues", info.name),
                        false,
                    );
                    self.model_path = Some(pending.path);
                    self.model = ModelState::Ready(info);
                    self.note_model_file();
                    self.save_session();
                    return;
                }
                if matches!(&self.model, ModelState::Loading { id: loading, .. } if *loading == id)
                {
                    self.model = ModelState::Ready(info);
                    self.note_model_file();
                    if std::mem::take(&mut self.waiting_for_model) {
                        self.start_generation(false);
                    }
                }
            }
            EngineEvent::LoadFailed { id, error } => {
                if let Some(pending) = self.switching.take_if(|p| p.id == id) {
                    let current = self.model_name().unwrap_or_default();
                    self.notify(
                        format!("{} did not load; still on {current}", pending.name),
                        true,
                    );
                    self.error = Some(error);
                    return;
                }
                if matches!(&self.model, ModelState::Loading { id: loading, .. } if *loading == id)
                {
                    self.model = ModelState::Failed(error.clone());
                    self.waiting_for_model = false;
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
                        format!("{dropped_turns} old messages left out to fit the context"),
                        false,
                    );
                }
            }
            EngineEvent::Token { id, text } => {
                if let Some(streaming) = self.streaming.as_mut().filter(|s| s.id == id) {
                    streaming.pieces += 1;
                    if let Some(message) = self.conversation.messages.get_mut(streaming.message) {
                        message.content.push_str(&text);
                    }
                }
            }
            EngineEvent::Finished { id, stats } => {
                if let Some(streaming) = self.streaming.take_if(|s| s.id == id) {
                    let model_name = self.model_name();
                    if let Some(message) = self.conversation.messages.get_mut(streaming.message) {
                        message.stats = Some(stats.clone());
                        message.model = model_name;
                        if message.content.is_empty() {
                            self.conversation.messages.remove(streaming.message);
                        }
                    }
                    self.last_stats = Some(stats);
                    self.save_session();
                }
            }
            EngineEvent::Failed { id, error } => {
                if let Some(streaming) = self.streaming.take_if(|s| s.id == id) {
                    let empty = self
                        .conversation
                        .messages
                        .get(streaming.message)
                        .is_some_and(|m| m.content.is_empty());
                    if empty {
                        self.conversation.messages.remove(streaming.message);
                    }
                    self.error = Some(error);
                    self.save_session();
                }
            }
            EngineEvent::BenchDone { .. } => {}
        }
    }

    fn is_current(&self, id: RequestId) -> bool {
        self.streaming.as_ref().is_some_and(|s| s.id == id)
    }

    pub fn model_name(&self) -> Option<String> {
        match &self.model {
            ModelState::Ready(info) => Some(info.name.clone()),
            ModelState::Loading { name, .. } => Some(name.clone()),
            ModelState::Failed(_) => None,
        }
    }
}

/// A short name for a model file: its name without `.gguf`.
pub fn model_display_name(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
