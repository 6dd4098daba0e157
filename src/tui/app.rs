//! The chat screen's state and how it changes.
//!
//! Everything here is plain state plus update functions: no terminal, no waiting. Keys and engine
//! events go in, engine commands go out through an [`EngineLink`], so tests drive the app with
//! synthetic events and inspect what it would have asked the engine to do.
//!
//! The state is grouped by concern, each group private: the model slot (what answers), the chat
//! (conversation, session, reply in flight), the input editor, the view's own state, and the
//! settings it was started with. An open pane changes none of them directly: it returns
//! commands, carried out in `commands.rs`.

pub use super::state::{
    ModelState, Notice, PendingLoad, PullStatus, Streaming, model_display_name,
};

use super::keymap::Keymap;
use super::panes::{Context, Pane};
use super::view::{self, Screen, ViewState};
use crate::chat::personas::Persona;
use crate::chat::{Conversation, ReplyStats};
use crate::cli::Overrides;
use crate::config::Config;
use crate::engine::{EngineLink, RequestId, TemplateChoice};
use crate::params::{ModelParams, SamplingParams};
use crate::paths::Paths;
use crate::remote::RemoteTarget;
use crate::store::{ModelRef, Session, Store};
use ratatui::Frame;
use ratatui_textarea::TextArea;
use std::collections::BTreeSet;
use std::path::PathBuf;

mod access;
mod actions;
mod alternatives;
mod branches;
mod commands;
mod engine_events;
mod input;
mod persist;
mod pulls;
mod snapshots;

/// How the chat starts: everything `App::new` needs, so nothing is patched in afterwards.
pub struct Startup {
    pub conversation: Conversation,
    pub sampling: SamplingParams,
    pub model_params: ModelParams,
    pub template: TemplateChoice,
    pub personas: Vec<Persona>,
    /// Directories and config, for the panes that list models or save defaults.
    pub paths: Paths,
    pub config: Config,
    /// The command-line flags: they win over a reopened session's settings.
    pub overrides: Overrides,
    /// Models the user named (`--model`, `default_model`): a session may also name files in
    /// their folders.
    pub named_models: Vec<PathBuf>,
    /// `--model` or `--backend` was given: reopened sessions do not switch the model.
    pub model_forced: bool,
    /// The key bindings: the defaults with the config's `[keys.*]` overrides.
    pub keymap: Keymap,
}

impl Startup {
    /// A chat with these defaults for the rest (built-in personas, default config, a scratch
    /// directory that is never written unless a test points it elsewhere).
    pub fn new(conversation: Conversation, sampling: SamplingParams) -> Startup {
        Startup {
            conversation,
            sampling,
            model_params: ModelParams::default(),
            template: TemplateChoice::FromModel,
            personas: crate::chat::personas::built_in(),
            paths: Paths::under(&std::env::temp_dir().join("ggchat-unset")),
            config: Config::default(),
            overrides: Overrides::default(),
            named_models: Vec::new(),
            model_forced: false,
            keymap: Keymap::default(),
        }
    }
}

/// The model slot: what answers, what is loading, and with which settings.
struct ModelSlot {
    model: ModelState,
    /// The file of the running (or first loading) model.
    model_path: Option<PathBuf>,
    /// The remote backend that answers, `None` while a local model does (`model_path` then
    /// keeps the last local model, to switch back to).
    backend: Option<RemoteTarget>,
    switching: Option<PendingLoad>,
    model_params: ModelParams,
    template: TemplateChoice,
    model_ref: Option<ModelRef>,
    /// `--model` was given: reopened sessions do not switch the model.
    model_forced: bool,
    named_models: Vec<PathBuf>,
    /// The model being downloaded in the background (the picker's pull).
    pull: Option<PullStatus>,
}

/// The conversation, the reply in flight, and the session it is saved as.
struct ChatState {
    conversation: Conversation,
    persona: Option<String>,
    personas: Vec<Persona>,
    sampling: SamplingParams,
    streaming: Option<Streaming>,
    /// A "regenerate ×N" in flight (see `alternatives`).
    fanout: Option<alternatives::Fanout>,
    /// A message was sent before the model finished loading; it goes out when it does.
    waiting_for_model: bool,
    last_stats: Option<ReplyStats>,
    /// Where the chat is saved, and its session record.
    store: Option<Store>,
    session: Session,
    session_name: String,
    /// The open session's file was deleted by another command: it is not written back. Holds
    /// the message count at that moment; a new message saves the chat as a new session.
    deleted_elsewhere: Option<usize>,
    /// The message selected with Alt+Up / Alt+Down (an index into the shown path).
    selected: Option<usize>,
    /// The earlier user message being edited: sending makes a sibling of it (`branches`).
    editing: Option<crate::store::NodeId>,
    /// The message whose branch Alt+Delete asked to delete; the next key answers.
    confirm_delete: Option<crate::store::NodeId>,
}

/// The message being typed and the ones sent before (Up/Down).
struct InputState {
    editor: TextArea<'static>,
    history: Vec<String>,
    history_pos: Option<usize>,
}

/// Where the chat was started from, and what the settings pane changed.
struct Environment {
    paths: Paths,
    config: Config,
    overrides: Overrides,
    /// The settings-pane fields the user set: "save as defaults" writes these and nothing else.
    pane_edits: BTreeSet<&'static str>,
    /// The key bindings: the defaults with the config's `[keys.*]` overrides.
    keymap: Keymap,
}

/// The whole chat screen.
pub struct App {
    slot: ModelSlot,
    chat: ChatState,
    input: InputState,
    view: ViewState,
    env: Environment,
    pane: Option<Box<dyn Pane>>,
    notice: Option<Notice>,
    /// The last engine error, shown under the conversation.
    error: Option<String>,
    /// Text to put on the clipboard; the terminal loop writes it out.
    clipboard: Vec<String>,
    quit: bool,
    link: EngineLink,
    /// Background listings and downloads of models, and their events.
    pulls: pulls::Pulls,
    /// The figures of the monitor pane (F5).
    monitor: crate::monitor::Monitor,
}

pub(super) fn new_input() -> TextArea<'static> {
    let mut input = TextArea::default();
    input.set_placeholder_text(crate::tr!("tui-input-placeholder"));
    input.set_cursor_line_style(ratatui::style::Style::default());
    input.set_wrap_mode(ratatui_textarea::WrapMode::Word);
    input
}

impl App {
    /// A chat with default settings for everything but the conversation and sampling.
    pub fn new(link: EngineLink, conversation: Conversation, sampling: SamplingParams) -> App {
        App::start(link, Startup::new(conversation, sampling))
    }

    /// The chat as `startup` describes it, with no model yet and no store.
    pub fn start(link: EngineLink, startup: Startup) -> App {
        let session = Session::new(
            &startup.conversation.system_prompt,
            startup.sampling.clone(),
            startup.model_params.clone(),
        );
        App {
            slot: ModelSlot {
                model: ModelState::Failed(crate::tr!("tui-notice-no-model-requested")),
                model_path: None,
                backend: None,
                switching: None,
                model_params: startup.model_params,
                template: startup.template,
                model_ref: None,
                model_forced: startup.model_forced,
                named_models: startup.named_models,
                pull: None,
            },
            chat: ChatState {
                conversation: startup.conversation,
                persona: None,
                personas: startup.personas,
                sampling: startup.sampling,
                streaming: None,
                fanout: None,
                waiting_for_model: false,
                last_stats: None,
                store: None,
                session,
                session_name: crate::tr!("tui-chat-new-session"),
                deleted_elsewhere: None,
                selected: None,
                editing: None,
                confirm_delete: None,
            },
            input: InputState {
                editor: new_input(),
                history: Vec::new(),
                history_pos: None,
            },
            view: ViewState::default(),
            env: Environment {
                paths: startup.paths,
                config: startup.config,
                overrides: startup.overrides,
                pane_edits: BTreeSet::new(),
                keymap: startup.keymap,
            },
            pane: None,
            notice: None,
            error: None,
            clipboard: Vec::new(),
            quit: false,
            link,
            pulls: pulls::Pulls::default(),
            monitor: crate::monitor::Monitor::new(),
        }
    }

    /// Records that a model load was requested.
    pub fn loading(&mut self, id: RequestId, name: String) {
        self.slot.model = ModelState::Loading {
            id,
            fraction: 0.0,
            name,
        };
    }

    /// Loads `path` with the current model settings; the running model (if any) keeps answering
    /// until the new one is ready, and stays if the load fails.
    pub fn load_model(&mut self, path: PathBuf) {
        let name = model_display_name(&path);
        // The chat's context has the sequences "regenerate ×N" needs (`chat_params`).
        match self.link.load(
            path.clone(),
            crate::engine::scheduler::chat_params(&self.slot.model_params),
            self.slot.template.clone(),
        ) {
            Ok(id) => {
                if matches!(self.slot.model, ModelState::Ready(_)) {
                    self.slot.switching = Some(PendingLoad {
                        id,
                        fraction: 0.0,
                        name,
                        path,
                        remote: None,
                    });
                } else {
                    self.slot.model_path = Some(path);
                    self.slot.backend = None;
                    self.loading(id, name);
                }
            }
            Err(e) => self.error = Some(crate::report::message(&e)),
        }
    }

    /// Switches to a remote backend; the running model keeps answering until the server did, and
    /// stays if it cannot be reached.
    pub fn connect_remote(&mut self, target: RemoteTarget) {
        let name = target.model.clone().unwrap_or_else(|| target.label());
        match self.link.connect(target.clone()) {
            Ok(id) => {
                if matches!(self.slot.model, ModelState::Ready(_)) {
                    self.slot.switching = Some(PendingLoad {
                        id,
                        fraction: 0.0,
                        name,
                        path: PathBuf::from(&target.base_url),
                        remote: Some(target),
                    });
                } else {
                    self.slot.backend = Some(target);
                    self.loading(id, name);
                }
            }
            Err(e) => self.error = Some(crate::report::message(&e)),
        }
    }

    /// Drops a model switch in progress; the engine is told to stop it.
    pub fn cancel_switch(&mut self) {
        if let Some(pending) = self.slot.switching.take() {
            self.link.cancel(pending.id);
        }
    }

    /// Reloads the running model with changed model settings.
    pub fn reload_model(&mut self) {
        if self.slot.backend.is_some() {
            self.notify(crate::tr!("tui-notice-remote-keeps-settings"), false);
            return;
        }
        match self.slot.model_path.clone() {
            Some(path) => self.load_model(path),
            None => self.notify(crate::tr!("tui-notice-no-model-to-reload"), true),
        }
    }

    pub fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.notice = Some(Notice::new(text, is_error));
    }

    fn set_input(&mut self, text: &str) {
        self.input.editor = new_input();
        self.input.editor.insert_str(text);
    }

    pub fn is_generating(&self) -> bool {
        self.chat.streaming.is_some()
    }

    /// Whether a redraw is needed even without input (spinners, progress, a pane waiting for
    /// an answer in the background).
    pub fn is_animating(&mut self) -> bool {
        // Downloads report on the tick: their progress is redrawn a few times a second.
        let pulls = self.poll_pulls();
        let pane = self.pane.as_mut().is_some_and(|p| p.needs_redraw());
        // The monitor pane reads /proc only while it is open (a few times a second at most).
        let monitor = self
            .pane
            .as_ref()
            .is_some_and(|p| p.as_any().is::<super::panes::monitor::MonitorPane>())
            && self.monitor.sample_process(std::time::Instant::now());
        pulls
            || pane
            || monitor
            || self.chat.streaming.is_some()
            || self.slot.switching.is_some()
            || matches!(self.slot.model, ModelState::Loading { .. })
    }

    /// Draws the chat screen, then the open pane on top.
    pub fn draw(&mut self, frame: &mut Frame) {
        self.draw_at(frame, std::time::Instant::now());
    }

    /// Draws the screen as it is at `now` (the spinner's frame, the live speed): tests pass a
    /// fixed instant for stable snapshots.
    pub fn draw_at(&mut self, frame: &mut Frame, now: std::time::Instant) {
        let siblings = self.sibling_marks();
        let screen = Screen {
            now,
            selected: self.selected_message(),
            siblings: &siblings,
            editing: self.chat.editing.is_some(),
            conversation: &self.chat.conversation,
            streaming: self.chat.streaming.as_ref(),
            switching: self.slot.switching.as_ref(),
            model: &self.slot.model,
            last_stats: self.chat.last_stats.as_ref(),
            notice: self.notice.as_ref(),
            error: self.error.as_deref(),
            session_name: &self.chat.session_name,
            input: &self.input.editor,
            waiting_for_model: self.chat.waiting_for_model,
            pull: self.slot.pull.as_ref(),
        };
        view::draw(frame, &screen, &mut self.view);
        if let Some(pane) = &self.pane {
            pane.draw(frame, frame.area(), &self.context());
        }
    }

    /// What panes may read.
    fn context(&self) -> Context<'_> {
        context(&self.slot, &self.chat, &self.env, &self.monitor)
    }

    pub fn model_name(&self) -> Option<String> {
        match &self.slot.model {
            ModelState::Ready(info) => Some(info.name.clone()),
            ModelState::Loading { name, .. } => Some(name.clone()),
            ModelState::Failed(_) => None,
        }
    }
}

/// The context from the app's groups, borrowed apart so a pane (a separate field) can be
/// borrowed mutably at the same time.
fn context<'a>(
    slot: &'a ModelSlot,
    chat: &'a ChatState,
    env: &'a Environment,
    monitor: &'a crate::monitor::Monitor,
) -> Context<'a> {
    Context {
        conversation: &chat.conversation,
        persona: chat.persona.as_deref(),
        personas: &chat.personas,
        settings: crate::tui::settings::Settings {
            sampling: chat.sampling.clone(),
            model: slot.model_params.clone(),
        },
        model: &slot.model,
        model_path: slot.model_path.as_deref(),
        paths: &env.paths,
        config: &env.config,
        store: chat.store.as_ref(),
        session_id: &chat.session.id,
        keymap: &env.keymap,
        pull: slot.pull.as_ref(),
        monitor,
    }
}
