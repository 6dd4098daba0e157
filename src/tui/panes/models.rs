//! The model picker (F3): the local GGUF files of the model directories (read from their headers
//! without loading weights) and, grouped under each configured `[backends.NAME]`, the models that
//! server offers, with whether it could be reached. Picking one switches engines at runtime; the
//! conversation stays.
//!
//! From here the user also pulls a model from a hub (`p`: type a repo, choose one of its models;
//! the download runs in the background with its progress here and in the status bar, `c`
//! cancels it) and deletes a local one (`d`, after a confirmation; never the loaded model), see
//! [`manage`].
//!
//! Servers are asked in the background (one short-lived thread per backend, bounded by the
//! backend's connect timeout and a 5-second answer limit), so opening the picker never blocks the
//! chat; their rows read "checking…" until they answer.

mod draw;
mod manage;

use super::{Command, Context, Outcome, Pane};
use crate::models::{self, Listed};
use crate::pull::spec::{ModelOption, PullSpec};
use crate::remote::client::Client;
use crate::remote::{BackendConfig, RemoteTarget};
use crate::text::sanitize::sanitize;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::state::ModelState;
use crossterm::event::KeyEvent;
use manage::Mode;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a backend said when asked for its models.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach {
    Checking,
    Models(Vec<String>),
    Unreachable(String),
}

/// One configured backend and its answer, filled in by a background thread.
struct BackendRow {
    name: String,
    config: BackendConfig,
    reach: Arc<Mutex<Reach>>,
}

/// A row that can be picked.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    Local(usize),
    Remote { backend: usize, model: String },
}

pub struct ModelsPane {
    entries: Vec<Listed>,
    backends: Vec<BackendRow>,
    selected: usize,
    /// Every backend's answer was reported by `needs_redraw`, so a draw has shown it: until
    /// then the chat keeps redrawing.
    settled_reported: bool,
    mode: Mode,
}

/// Asks one backend for its models, off the UI thread.
fn check(name: &str, config: &BackendConfig) -> Arc<Mutex<Reach>> {
    let reach = Arc::new(Mutex::new(Reach::Checking));
    let mut target = RemoteTarget::from_config(Some(name), config, None);
    target.first_token_timeout = target.first_token_timeout.min(Duration::from_secs(5));
    target.idle_timeout = target.idle_timeout.min(Duration::from_secs(5));
    let slot = Arc::clone(&reach);
    let spawned = std::thread::Builder::new()
        .name("models-check".into())
        .spawn(move || {
            let answer = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
                .and_then(|runtime| {
                    runtime.block_on(async {
                        let client = Client::new(target).map_err(|e| e.localized())?;
                        client.models().await.map_err(|e| e.localized())
                    })
                });
            let reach = match answer {
                Ok(Some(models)) => Reach::Models(models),
                Ok(None) => Reach::Models(Vec::new()),
                Err(e) => Reach::Unreachable(e),
            };
            *slot.lock().unwrap_or_else(|p| p.into_inner()) = reach;
        });
    if let Err(e) = spawned {
        *reach.lock().unwrap_or_else(|p| p.into_inner()) = Reach::Unreachable(e.to_string());
    }
    reach
}

impl ModelsPane {
    pub fn new(ctx: &Context) -> ModelsPane {
        let entries = models::list(ctx.paths, ctx.config);
        let backends = ctx
            .config
            .backends
            .iter()
            .map(|(name, config)| BackendRow {
                name: name.clone(),
                config: config.clone(),
                reach: check(name, config),
            })
            .collect();
        let mut pane = ModelsPane {
            entries,
            backends,
            selected: 0,
            settled_reported: false,
            mode: Mode::Browse,
        };
        pane.selected = pane
            .picks()
            .iter()
            .position(|p| is_current(ctx, &pane, p))
            .unwrap_or(0);
        pane
    }

    /// The local files listed, with their header summaries (or why they cannot be used).
    pub fn entries(&self) -> &[Listed] {
        &self.entries
    }

    /// Whether the pane asks for a repo, waits for its listing, offers its models or asks to
    /// confirm a deletion (for tests): "browse", "repo", "listing", "choose", "confirm".
    pub fn mode(&self) -> &'static str {
        match self.mode {
            Mode::Browse => "browse",
            Mode::Repo(_) => "repo",
            Mode::Listing { .. } => "listing",
            Mode::Choose { .. } => "choose",
            Mode::ConfirmDelete { .. } => "confirm",
        }
    }

    /// `d` on a row: a local model that is not in use gets a confirmation.
    fn ask_delete(&mut self, ctx: &Context) -> Outcome {
        let notice = |text: String| {
            Outcome::one(Command::Notice {
                text,
                is_error: true,
            })
        };
        match self.picks().get(self.selected) {
            Some(Pick::Local(i)) => {
                let path = self.entries[*i].0.clone();
                if is_current(ctx, self, &Pick::Local(*i))
                    || ctx.model_path == Some(path.as_path())
                        && matches!(ctx.model, ModelState::Loading { .. })
                {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    return notice(crate::tr!(
                        "tui-models-delete-loaded",
                        name = sanitize(&name.unwrap_or_default()).into_owned()
                    ));
                }
                let files = models::remove::files_of(&path);
                self.mode = Mode::ConfirmDelete {
                    size: models::remove::size(&files),
                    files: files.len(),
                    path,
                };
                Outcome::none()
            }
            Some(Pick::Remote { .. }) => notice(crate::tr!("tui-models-delete-remote")),
            None => Outcome::none(),
        }
    }

    /// Whether a backend has not answered yet.
    pub fn checking(&self) -> bool {
        self.backends
            .iter()
            .any(|b| *b.reach.lock().unwrap_or_else(|p| p.into_inner()) == Reach::Checking)
    }

    fn reach(&self, backend: usize) -> Reach {
        self.backends[backend]
            .reach
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The rows that can be picked, in display order: local files, then each backend's models.
    pub fn picks(&self) -> Vec<Pick> {
        let mut picks: Vec<Pick> = (0..self.entries.len()).map(Pick::Local).collect();
        for b in 0..self.backends.len() {
            if let Reach::Models(models) = self.reach(b) {
                picks.extend(
                    models
                        .into_iter()
                        .map(|model| Pick::Remote { backend: b, model }),
                );
            }
        }
        picks
    }
}

fn is_current(ctx: &Context, pane: &ModelsPane, pick: &Pick) -> bool {
    let ModelState::Ready(info) = ctx.model else {
        return false;
    };
    match (pick, &info.remote) {
        (Pick::Local(i), None) => Some(pane.entries[*i].0.as_path()) == ctx.model_path,
        (Pick::Remote { backend, model }, Some(remote)) => {
            remote.backend.as_deref() == Some(pane.backends[*backend].name.as_str())
                && &remote.model == model
        }
        _ => false,
    }
}

impl Pane for ModelsPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        if let Some(outcome) = self.mode.handle_key(key, ctx) {
            return outcome;
        }
        let picks = self.picks();
        match ctx.keymap.action(Keys::Models, &key) {
            Some(Action::Close) => Outcome::close(),
            Some(Action::Pull) => {
                self.mode = Mode::Repo(manage::repo_editor(""));
                Outcome::none()
            }
            Some(Action::Delete) => self.ask_delete(ctx),
            Some(Action::CancelPull) if ctx.pull.is_some() => Outcome::one(Command::CancelPull),
            Some(Action::CancelPull) => Outcome::one(Command::Notice {
                text: crate::tr!("tui-pull-nothing-to-cancel"),
                is_error: true,
            }),
            Some(Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Outcome::none()
            }
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(picks.len().saturating_sub(1));
                Outcome::none()
            }
            Some(Action::Pick) => {
                let outcome = Outcome::close();
                match picks.get(self.selected) {
                    Some(Pick::Local(i)) => match &self.entries[*i] {
                        (path, Ok(_)) => outcome.then(Command::LoadModel(path.clone())),
                        (_, Err(e)) => outcome.then(Command::Notice {
                            text: e.localized(),
                            is_error: true,
                        }),
                    },
                    Some(Pick::Remote { backend, model }) => {
                        let row = &self.backends[*backend];
                        outcome.then(Command::ConnectRemote(RemoteTarget::from_config(
                            Some(&row.name),
                            &row.config,
                            Some(model),
                        )))
                    }
                    None => outcome,
                }
            }
            _ => Outcome::none(),
        }
    }

    /// A repo pasted into the pull field (one line).
    fn handle_paste(&mut self, text: &str) -> Outcome {
        if let Mode::Repo(editor) = &mut self.mode {
            editor.insert_str(text.replace(['\n', '\r'], ""));
        }
        Outcome::none()
    }

    /// The local files again (a model was pulled or deleted), the selection kept in range.
    fn refresh(&mut self, ctx: &Context) {
        self.entries = models::list(ctx.paths, ctx.config);
        self.selected = self.selected.min(self.picks().len().saturating_sub(1));
    }

    fn listed(&mut self, spec: &PullSpec, result: Result<&[ModelOption], &str>) {
        self.mode.listed(spec, result);
    }

    fn needs_redraw(&mut self) -> bool {
        if self.checking() {
            return true;
        }
        // The last answer arrived: one more frame shows it.
        !std::mem::replace(&mut self.settled_reported, true)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        draw::draw(frame, area, ctx, self)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
