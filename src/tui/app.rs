//! The chat screen's state and how it changes.
//!
//! Everything here is plain state plus update functions: no terminal, no drawing, no waiting. Keys
//! and engine events go in, engine commands go out through an [`EngineLink`], so tests drive the
//! app with synthetic events and inspect what it would have asked the engine to do.

use super::keymap::{Action, Keymap};
use super::overlay::Overlay;
use super::view::chat::ChatCache;
use crate::chat::personas::Persona;
use crate::chat::{Conversation, ReplyStats};
use crate::cli::Overrides;
use crate::config::Config;
use crate::engine::{EngineLink, ModelInfo, RequestId, TemplateChoice};
use crate::params::{ModelParams, SamplingParams};
use crate::paths::Paths;
use crate::remote::RemoteTarget;
use crate::store::{ModelRef, Session, Store};
use crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};
use ratatui_textarea::TextArea;
use std::path::PathBuf;
use std::time::Instant;

mod actions;
mod engine_events;

/// What the model is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelState {
    Loading {
        id: RequestId,
        fraction: f32,
        name: String,
    },
    Ready(Box<ModelInfo>),
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
    /// Set when the switch is to a remote backend.
    pub remote: Option<RemoteTarget>,
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
    /// The remote backend that answers, `None` while a local model does (`model_path` then
    /// keeps the last local model, to switch back to).
    pub backend: Option<RemoteTarget>,
    pub switching: Option<PendingLoad>,
    /// Directories and config, for the panes that list models or save defaults.
    pub paths: Paths,
    pub config: Config,
    /// The settings-pane fields the user set: "save as defaults" writes these and nothing else.
    pub pane_edits: std::collections::BTreeSet<&'static str>,
    /// `--model` was given: reopened sessions do not switch the model.
    pub model_forced: bool,
    /// The command-line flags: they win over a reopened session's settings.
    pub overrides: Overrides,
    /// Models the user named (`--model`, `default_model`): a session may also name files in
    /// their folders.
    pub named_models: Vec<PathBuf>,
    /// The open session's file was deleted by another command: it is not written back. Holds
    /// the message count at that moment; a new message saves the chat as a new session.
    pub deleted_elsewhere: Option<usize>,
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
    /// The key bindings: the defaults with the config's `[keys.*]` overrides.
    pub keymap: Keymap,
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
            backend: None,
            switching: None,
            paths: Paths::under(&std::env::temp_dir().join("ggchat-unset")),
            config: Config::default(),
            pane_edits: Default::default(),
            model_forced: false,
            overrides: Overrides::default(),
            named_models: Vec::new(),
            deleted_elsewhere: None,
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
            keymap: Keymap::default(),
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
                        remote: None,
                    });
                } else {
                    self.model_path = Some(path);
                    self.backend = None;
                    self.loading(id, name);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Switches to a remote backend; the running model keeps answering until the server did, and
    /// stays if it cannot be reached.
    pub fn connect_remote(&mut self, target: RemoteTarget) {
        let name = target.model.clone().unwrap_or_else(|| target.label());
        match self.link.connect(target.clone()) {
            Ok(id) => {
                if matches!(self.model, ModelState::Ready(_)) {
                    self.switching = Some(PendingLoad {
                        id,
                        fraction: 0.0,
                        name,
                        path: PathBuf::from(&target.base_url),
                        remote: Some(target),
                    });
                } else {
                    self.backend = Some(target);
                    self.loading(id, name);
                }
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Reloads the running model with changed model settings.
    pub fn reload_model(&mut self) {
        if self.backend.is_some() {
            self.notify(
                "model settings apply to local models; the remote server keeps its own",
                false,
            );
            return;
        }
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
            || matches!(&self.overlay, Overlay::Models(pane) if pane.needs_redraw())
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
        match self.keymap.chat(&key, input_empty) {
            Some(Action::HistoryPrev) => self.history_or_edit(key, -1),
            Some(Action::HistoryNext) => self.history_or_edit(key, 1),
            Some(action) => self.perform(action),
            None => {
                self.input.input(key);
            }
        }
    }

    /// Input history at the first (or last) line of the input; elsewhere the key moves the
    /// cursor in the editor.
    fn history_or_edit(&mut self, key: KeyEvent, delta: isize) {
        let ratatui_textarea::DataCursor(row, _) = self.input.cursor();
        let last_row = self.input.lines().len().saturating_sub(1);
        let step = if delta < 0 {
            row == 0 && !self.history.is_empty()
        } else {
            row == last_row && self.history_pos.is_some()
        };
        if step {
            self.history_step(delta);
        } else {
            self.input.input(key);
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
            // History needs the key (elsewhere than the first or last line it moves the cursor):
            // `handle_key` carries it out. The panes' and popups' actions are theirs.
            Action::HistoryPrev
            | Action::HistoryNext
            | Action::Up
            | Action::Down
            | Action::Pick
            | Action::Open
            | Action::Edit
            | Action::Save
            | Action::SaveDefaults
            | Action::Search
            | Action::Rename
            | Action::Delete
            | Action::New
            | Action::Confirm
            | Action::Yes
            | Action::Close => {}
        }
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
