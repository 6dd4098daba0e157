//! The model picker (F3): the local GGUF files of the model directories (read from their headers
//! without loading weights) and, grouped under each configured `[backends.NAME]`, the models that
//! server offers, with whether it could be reached. Picking one switches engines at runtime; the
//! conversation stays.
//!
//! Servers are asked in the background (one short-lived thread per backend, bounded by the
//! backend's connect timeout and a 5-second answer limit), so opening the picker never blocks the
//! chat; their rows read "checking…" until they answer.

use super::{Command, Context, Outcome, Pane, centered};
use crate::models::{self, Listed};
use crate::remote::client::Client;
use crate::remote::{BackendConfig, RemoteTarget};
use crate::text::sanitize::sanitize;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::state::ModelState;
use crate::tui::theme;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};
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
        let picks = self.picks();
        match ctx.keymap.action(Keys::Models, &key) {
            Some(Action::Close) => Outcome::close(),
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

    fn needs_redraw(&mut self) -> bool {
        if self.checking() {
            return true;
        }
        // The last answer arrived: one more frame shows it.
        !std::mem::replace(&mut self.settled_reported, true)
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        draw(frame, area, ctx, self)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn local_item(entry: &Listed, current: bool) -> ListItem<'static> {
    let (path, summary) = entry;
    let marker = if current { "● " } else { "  " };
    match summary {
        Ok(s) => ListItem::new(vec![
            Line::from(vec![
                Span::styled(marker.to_owned(), theme::assistant_header()),
                Span::styled(sanitize(&s.name).into_owned(), theme::user_header()),
            ]),
            Line::from(Span::styled(
                format!(
                    "    {}",
                    crate::tr!(
                        "tui-models-details",
                        arch = sanitize(&s.architecture).into_owned(),
                        params = models::human_count(s.parameter_count),
                        quant = sanitize(&s.quantization).into_owned(),
                        size = models::human_bytes(s.file_size),
                        ctx = s.context_length.map_or("?".into(), |c| c.to_string()),
                        template = if s.chat_template.is_some() {
                            crate::tr!("tui-models-template-yes")
                        } else {
                            crate::tr!("tui-models-template-none")
                        },
                    )
                ),
                theme::dim(),
            )),
        ]),
        Err(e) => ListItem::new(vec![
            Line::from(Span::styled(
                format!("{marker}{}", sanitize(&path.display().to_string())),
                theme::error(),
            )),
            Line::from(Span::styled(
                format!("    {}", sanitize(&e.localized())),
                theme::dim(),
            )),
        ]),
    }
}

fn heading(text: String) -> Line<'static> {
    Line::from(Span::styled(text, theme::dim()))
}

fn draw(frame: &mut Frame, area: Rect, ctx: &Context, pane: &ModelsPane) {
    // Rows: a heading per group, then its models; only model rows can be selected, so the list
    // state is kept in terms of items that include the headings.
    let mut items: Vec<ListItem> = Vec::new();
    let mut selected_item = None;
    let dirs = models::model_dirs(ctx.paths, ctx.config)
        .iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    items.push(ListItem::new(heading(crate::tr!(
        "tui-models-local",
        dirs = sanitize(&dirs).into_owned()
    ))));
    if pane.entries.is_empty() {
        items.push(ListItem::new(heading(format!(
            "    {}",
            crate::tr!("tui-models-none", hint = models::FETCH_HINT)
        ))));
    }
    let mut pick_index = 0;
    for (i, entry) in pane.entries.iter().enumerate() {
        if pane.selected == pick_index {
            selected_item = Some(items.len());
        }
        items.push(local_item(entry, is_current(ctx, pane, &Pick::Local(i))));
        pick_index += 1;
    }
    for (b, row) in pane.backends.iter().enumerate() {
        let reach = pane.reach(b);
        let state = match &reach {
            Reach::Checking => crate::tr!("tui-models-checking"),
            Reach::Models(m) => crate::tr!("tui-models-reachable", count = m.len().to_string()),
            Reach::Unreachable(e) => crate::tr!("tui-models-unreachable", error = e.as_str()),
        };
        items.push(ListItem::new(heading(
            sanitize(&crate::tr!(
                "tui-models-backend",
                name = row.name.as_str(),
                url = row.config.url.as_str(),
                state = state
            ))
            .into_owned(),
        )));
        if let Reach::Models(models) = reach {
            for model in models {
                let pick = Pick::Remote { backend: b, model };
                if pane.selected == pick_index {
                    selected_item = Some(items.len());
                }
                let marker = if is_current(ctx, pane, &pick) {
                    "● "
                } else {
                    "  "
                };
                let Pick::Remote { model, .. } = pick else {
                    continue;
                };
                items.push(ListItem::new(Line::from(vec![
                    Span::styled(marker.to_owned(), theme::assistant_header()),
                    Span::styled(sanitize(&model).into_owned(), theme::user_header()),
                ])));
                pick_index += 1;
            }
        }
    }
    let height = (items.len() as u16 * 2 + 4).max(6);
    let rect = centered(area, 96, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(format!(
            " {} ",
            crate::tr!(
                "tui-models-title",
                pick = ctx.keymap.first_label(Keys::Models, Action::Pick),
                close = ctx.keymap.first_label(Keys::Models, Action::Close)
            )
        ));
    let list = List::new(items)
        .block(block)
        .highlight_style(theme::selected());
    let mut state = ListState::default().with_selected(selected_item);
    frame.render_stateful_widget(list, rect, &mut state);
}
