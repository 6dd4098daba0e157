//! The model picker's pull and delete: typing a repo, waiting for its listing, choosing one of
//! its models, and confirming a deletion. Each is a [`Mode`] of the pane; the work itself is
//! the app's ([`Command::ListRepo`], [`Command::StartPull`], [`Command::DeleteModel`]), in the
//! background for the network.

use super::super::{Command, Context, Outcome};
use crate::models::human_bytes;
use crate::pull::Source;
use crate::pull::endpoint;
use crate::pull::spec::{ModelOption, Pick, PullSpec};
use crate::text::sanitize::sanitize;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::{theme, width};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{ListItem, Paragraph};
use ratatui_textarea::TextArea;
use std::path::PathBuf;

/// What the pane's keys do now.
pub enum Mode {
    Browse,
    /// Typing `OWNER/REPO[:QUANT]` (a `modelscope:` prefix for ModelScope).
    Repo(Box<TextArea<'static>>),
    /// Waiting for the repo's listing.
    Listing {
        text: String,
        spec: PullSpec,
        source: Source,
    },
    /// Choosing one of the repo's models (a split model is one entry).
    Choose {
        spec: PullSpec,
        source: Source,
        options: Vec<ModelOption>,
        selected: usize,
    },
    /// "Delete this model?" for the local file at `path` (`files` of it, `size` bytes).
    ConfirmDelete {
        path: PathBuf,
        files: usize,
        size: u64,
    },
}

pub fn repo_editor(text: &str) -> Box<TextArea<'static>> {
    let mut editor = TextArea::default();
    editor.insert_str(text);
    editor.set_cursor_line_style(ratatui::style::Style::default());
    Box::new(editor)
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Mode {
    /// A key in any mode but `Browse`; `None` when the mode is `Browse`.
    pub fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Option<Outcome> {
        let outcome = match self {
            Mode::Browse => return None,
            Mode::Repo(editor) => match ctx.keymap.action(Keys::Field, &key) {
                Some(Action::Close) => {
                    *self = Mode::Browse;
                    Outcome::none()
                }
                Some(Action::Confirm) => {
                    let text = editor.lines().join("").trim().to_owned();
                    match PullSpec::parse(&text) {
                        Ok(spec) => {
                            let source = endpoint::source(&ctx.config.pull, &spec, None, None);
                            *self = Mode::Listing {
                                text,
                                spec: spec.clone(),
                                source: source.clone(),
                            };
                            Outcome::one(Command::ListRepo { source, spec })
                        }
                        Err(e) => Outcome::one(Command::Notice {
                            text: e.localized(),
                            is_error: true,
                        }),
                    }
                }
                _ => {
                    editor.input(key);
                    Outcome::none()
                }
            },
            Mode::Listing { .. } => {
                if ctx.keymap.action(Keys::Models, &key) == Some(Action::Close) {
                    *self = Mode::Browse;
                }
                Outcome::none()
            }
            Mode::Choose {
                spec,
                source,
                options,
                selected,
            } => match ctx.keymap.action(Keys::Models, &key) {
                Some(Action::Up) => {
                    *selected = selected.saturating_sub(1);
                    Outcome::none()
                }
                Some(Action::Down) => {
                    *selected = (*selected + 1).min(options.len().saturating_sub(1));
                    Outcome::none()
                }
                Some(Action::Pick) => {
                    let outcome = match options.get(*selected) {
                        Some(option) => Outcome::one(Command::StartPull {
                            source: source.clone(),
                            spec: PullSpec {
                                pick: Pick::File(option.path.clone()),
                                ..spec.clone()
                            },
                            name: base_name(&option.path).to_owned(),
                        }),
                        None => Outcome::none(),
                    };
                    *self = Mode::Browse;
                    outcome
                }
                Some(Action::Close) => {
                    *self = Mode::Browse;
                    Outcome::none()
                }
                _ => Outcome::none(),
            },
            Mode::ConfirmDelete { path, .. } => {
                let outcome = if ctx.keymap.action(Keys::Confirm, &key) == Some(Action::Yes) {
                    Outcome::one(Command::DeleteModel(path.clone()))
                } else {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    Outcome::one(Command::Notice {
                        text: crate::tr!(
                            "tui-models-delete-kept",
                            name = sanitize(&name.unwrap_or_default()).into_owned()
                        ),
                        is_error: false,
                    })
                };
                *self = Mode::Browse;
                outcome
            }
        };
        Some(outcome)
    }

    /// The listing of the repo being waited for arrived.
    pub fn listed(&mut self, answer_for: &PullSpec, result: Result<&[ModelOption], &str>) {
        let Mode::Listing { text, spec, source } = self else {
            return;
        };
        if spec != answer_for {
            return;
        }
        *self = match result {
            Ok(options) => Mode::Choose {
                spec: spec.clone(),
                source: source.clone(),
                options: options.to_vec(),
                selected: 0,
            },
            // The notice says why; the text stays to be corrected.
            Err(_) => Mode::Repo(repo_editor(text)),
        };
    }
}

/// The rows of the repo's models.
pub fn option_items(options: &[ModelOption]) -> Vec<ListItem<'static>> {
    options
        .iter()
        .map(|o| {
            let parts = if o.parts > 1 {
                crate::tr!("tui-pull-parts", count = o.parts)
            } else {
                String::new()
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("  {}", sanitize(&o.path)), theme::user_header()),
                Span::styled(format!("  {}{parts}", human_bytes(o.size)), theme::dim()),
            ]))
        })
        .collect()
}

/// The lines under the list: the download in progress, then what the mode asks.
pub fn footer_height(mode: &Mode, ctx: &Context) -> u16 {
    let prompt = match mode {
        Mode::Browse | Mode::Choose { .. } => 0,
        Mode::Repo(_) => 2,
        Mode::Listing { .. } | Mode::ConfirmDelete { .. } => 1,
    };
    2 * u16::from(ctx.pull.is_some()) + prompt
}

pub fn draw_footer(frame: &mut Frame, area: Rect, mode: &Mode, ctx: &Context) {
    let mut rows = area;
    if let Some(pull) = ctx.pull {
        let [row, row2, rest] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(rows);
        let text = crate::tr!(
            "tui-pull-progress",
            name = sanitize(&pull.name).into_owned(),
            cancel = ctx.keymap.first_label(Keys::Models, Action::CancelPull)
        );
        frame.render_widget(Paragraph::new(text).style(theme::system_text()), row);
        let progress = pull
            .progress
            .map_or_else(|| crate::tr!("tui-pull-waiting"), |p| p.line());
        let progress = Paragraph::new(format!("  {progress}")).style(theme::system_text());
        frame.render_widget(progress, row2);
        rows = rest;
    }
    let line = match mode {
        Mode::Browse | Mode::Choose { .. } => return,
        Mode::Repo(editor) => {
            let [hint, line] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(rows);
            let text = crate::tr!(
                "tui-pull-prompt",
                confirm = ctx.keymap.first_label(Keys::Field, Action::Confirm)
            );
            frame.render_widget(Paragraph::new(text).style(theme::dim()), hint);
            let label = "› ";
            let [label_area, edit_area] = Layout::horizontal([
                Constraint::Length(width::columns(label) as u16),
                Constraint::Min(0),
            ])
            .areas(line);
            frame.render_widget(
                Paragraph::new(label).style(theme::user_header()),
                label_area,
            );
            frame.render_widget(&**editor, edit_area);
            return;
        }
        Mode::Listing { spec, source, .. } => Span::styled(
            crate::tr!(
                "tui-pull-listing",
                repo = sanitize(&spec.repo).into_owned(),
                source = source.kind.name(),
                close = ctx.keymap.first_label(Keys::Models, Action::Close)
            ),
            theme::dim(),
        ),
        Mode::ConfirmDelete { path, files, size } => Span::styled(
            crate::tr!(
                "tui-models-confirm-delete",
                name =
                    sanitize(&path.file_name().unwrap_or_default().to_string_lossy()).into_owned(),
                count = *files,
                size = human_bytes(*size),
                yes = ctx.keymap.first_label(Keys::Confirm, Action::Yes)
            ),
            theme::error(),
        ),
    };
    frame.render_widget(Paragraph::new(Line::from(line)), rows);
}
