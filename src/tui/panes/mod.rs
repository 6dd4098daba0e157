//! The popups over the chat (settings, models, sessions, system prompt, personas, help, monitor), each
//! behind one [`Pane`] trait.
//!
//! A pane owns its state (selection, editors, lists) privately, reads the chat through a
//! read-only [`Context`], and never changes the chat itself: it returns [`Command`]s, and the app
//! carries them out in one place (gitui's `InternalEvent` queue, television's action channel).
//! So a pane cannot leave the app half-updated, and no pane module imports the app module.
//! Its keys come from the keymap in the context (`keymap.action(<its keymap context>, key)`), so
//! a `[keys.*]` override in the config rebinds a pane like the chat.

pub mod help;
pub mod models;
pub mod monitor;
pub mod personas;
pub mod sessions;
pub mod settings;
pub mod system_prompt;

use super::keymap::Keymap;
use super::settings::Settings;
use super::state::{ModelState, PullStatus};
use super::theme;
use crate::chat::Conversation;
use crate::chat::personas::Persona;
use crate::config::Config;
use crate::paths::Paths;
use crate::pull::Source;
use crate::pull::spec::{ModelOption, PullSpec};
use crate::remote::RemoteTarget;
use crate::store::Store;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};
use std::path::{Path, PathBuf};

/// What a pane may read of the chat: borrowed, never changed.
pub struct Context<'a> {
    pub conversation: &'a Conversation,
    pub persona: Option<&'a str>,
    pub personas: &'a [Persona],
    /// The parameters in force (sampling and model).
    pub settings: Settings,
    pub model: &'a ModelState,
    /// The file of the running (or first loading) model.
    pub model_path: Option<&'a Path>,
    pub paths: &'a Paths,
    pub config: &'a Config,
    pub store: Option<&'a Store>,
    /// The id of the open session.
    pub session_id: &'a str,
    /// The key bindings: each pane looks its keys up here (its own keymap context).
    pub keymap: &'a Keymap,
    /// The model being downloaded in the background, if any.
    pub pull: Option<&'a PullStatus>,
    /// The live figures (the monitor pane).
    pub monitor: &'a crate::monitor::Monitor,
}

/// What a pane asks the app to do.
#[derive(Debug, Clone)]
pub enum Command {
    /// Close the pane.
    Close,
    /// Show a notice in the status bar.
    Notice {
        text: String,
        is_error: bool,
    },
    /// Switch to (or load) a local model file; the conversation stays.
    LoadModel(PathBuf),
    /// Switch to a remote backend; the conversation stays.
    ConnectRemote(RemoteTarget),
    /// Use these parameters, set by editing `field`; `reload` reloads the model.
    ApplySettings {
        settings: Settings,
        field: &'static str,
        reload: bool,
    },
    /// Write the parameters changed in the settings pane to the config file; the outcome comes
    /// back to the pane through [`Pane::feedback`].
    SaveDefaults,
    /// Save the chat and open the session with this id (the pane closes when it opened).
    OpenSession(String),
    /// The same, on the branch of this message (a search hit on another branch).
    OpenSessionAt(String, crate::store::NodeId),
    RenameSession {
        id: String,
        title: String,
    },
    DeleteSession(String),
    /// Save the chat and start an empty one.
    NewSession,
    /// Use persona number `index` of the context's list.
    ApplyPersona(usize),
    SetSystemPrompt(String),
    /// List the models of a hub repo in the background; the answer comes to [`Pane::listed`].
    ListRepo {
        source: Source,
        spec: PullSpec,
    },
    /// Download a model in the background (`spec` names its file); `name` is its file name.
    StartPull {
        source: Source,
        spec: PullSpec,
        name: String,
    },
    /// Stop the download; its `.part` file stays for a resume.
    CancelPull,
    /// Delete a local model: every part, its provenance files and any `.part` file.
    DeleteModel(PathBuf),
}

/// The commands a key (or paste) produced, in the order the app carries them out.
#[derive(Debug, Default)]
pub struct Outcome(pub Vec<Command>);

impl Outcome {
    pub fn none() -> Outcome {
        Outcome(Vec::new())
    }

    pub fn one(command: Command) -> Outcome {
        Outcome(vec![command])
    }

    pub fn close() -> Outcome {
        Outcome::one(Command::Close)
    }

    pub fn then(mut self, command: Command) -> Outcome {
        self.0.push(command);
        self
    }
}

/// One popup over the chat.
pub trait Pane {
    /// Handles a key while the pane is open (it receives every key).
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome;

    /// Handles pasted text; most panes ignore it.
    fn handle_paste(&mut self, _text: &str) -> Outcome {
        Outcome::none()
    }

    /// Draws the pane over `area`, from its state and the context only.
    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context);

    /// Called after the app carried out this pane's commands: re-read what they changed.
    fn refresh(&mut self, _ctx: &Context) {}

    /// The outcome of a command that reports back to the pane (saving defaults).
    fn feedback(&mut self, _text: String, _is_error: bool) {}

    /// The answer to a [`Command::ListRepo`] (an error already worded for the user).
    fn listed(&mut self, _spec: &PullSpec, _result: Result<&[ModelOption], &str>) {}

    /// Whether the pane must be drawn again without input (something arrived in the
    /// background). Called before each idle tick; a `true` is followed by a draw.
    fn needs_redraw(&mut self) -> bool {
        false
    }

    /// For tests and benchmarks that look inside a particular pane.
    fn as_any(&self) -> &dyn std::any::Any;
}

/// A centred rectangle of at most `width` x `height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// The bordered frame of a pane, with its title in bold.
pub fn frame_block(title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        ))
}

#[cfg(test)]
mod tests;
