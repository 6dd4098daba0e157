//! The sessions pane (F4): saved conversations, newest first, with open, rename, delete (after a
//! confirmation), new, and full-text search over titles and messages.

use super::{Command, Context, Outcome, Pane, centered};
use crate::store::{SearchHit, SessionSummary, StoreProblem};
use crate::text::sanitize::sanitize;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::{theme, width};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};
use ratatui_textarea::TextArea;

/// What the keys currently do.
enum Mode {
    Browse,
    Search(Box<TextArea<'static>>),
    Rename(Box<TextArea<'static>>),
    ConfirmDelete,
}

pub struct SessionsPane {
    /// Each session with, for a search, its snippet and the matching message (on any branch).
    entries: Vec<(SessionSummary, Option<String>, Option<crate::store::NodeId>)>,
    problems: Vec<String>,
    selected: usize,
    mode: Mode,
    query: String,
}

fn line_editor(text: &str) -> Box<TextArea<'static>> {
    let mut editor = TextArea::default();
    editor.insert_str(text);
    Box::new(editor)
}

impl SessionsPane {
    pub fn new(ctx: &Context) -> SessionsPane {
        let mut pane = SessionsPane {
            entries: Vec::new(),
            problems: Vec::new(),
            selected: 0,
            mode: Mode::Browse,
            query: String::new(),
        };
        pane.reload(ctx);
        pane
    }

    fn reload(&mut self, ctx: &Context) {
        let Some(store) = ctx.store else {
            return;
        };
        if self.query.trim().is_empty() {
            let (sessions, problems) = store.list();
            self.entries = sessions.into_iter().map(|s| (s, None, None)).collect();
            self.problems = problems.iter().map(StoreProblem::localized).collect();
        } else {
            self.entries = store
                .search(&self.query)
                .into_iter()
                .map(
                    |SearchHit {
                         summary,
                         snippet,
                         message_id,
                         ..
                     }| (summary, Some(snippet), message_id),
                )
                .collect();
        }
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
    }

    fn current(&self) -> Option<&SessionSummary> {
        self.entries.get(self.selected).map(|(s, _, _)| s)
    }

    fn current_id(&self) -> Option<String> {
        self.current().map(|s| s.id.clone())
    }

    fn browse(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        match ctx.keymap.action(Keys::Sessions, &key) {
            Some(Action::Close) => return Outcome::close(),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => {
                self.selected = (self.selected + 1).min(self.entries.len().saturating_sub(1))
            }
            Some(Action::Search) => self.mode = Mode::Search(line_editor(&self.query)),
            Some(Action::Rename) => {
                if let Some(s) = self.current() {
                    self.mode = Mode::Rename(line_editor(&s.title));
                }
            }
            Some(Action::Delete) if self.current().is_some() => self.mode = Mode::ConfirmDelete,
            Some(Action::New) => return Outcome::close().then(Command::NewSession),
            Some(Action::Open) => {
                if let Some((s, _, at)) = self.entries.get(self.selected) {
                    // The app closes the pane once the session is open; a search hit opens it
                    // on the branch that matched.
                    return Outcome::one(match at {
                        Some(at) => Command::OpenSessionAt(s.id.clone(), *at),
                        None => Command::OpenSession(s.id.clone()),
                    });
                }
            }
            _ => {}
        }
        Outcome::none()
    }
}

impl Pane for SessionsPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        let field = ctx.keymap.action(Keys::Field, &key);
        match &mut self.mode {
            Mode::Search(editor) | Mode::Rename(editor) if field != Some(Action::Confirm) => {
                if field == Some(Action::Close) {
                    self.mode = Mode::Browse;
                } else {
                    editor.input(key);
                }
                Outcome::none()
            }
            Mode::Search(editor) => {
                self.query = editor.lines().join(" ");
                self.mode = Mode::Browse;
                self.selected = 0;
                self.reload(ctx);
                Outcome::none()
            }
            Mode::Rename(editor) => {
                let title = editor.lines().join(" ");
                self.mode = Mode::Browse;
                match self.current_id() {
                    Some(id) => Outcome::one(Command::RenameSession { id, title }),
                    None => Outcome::none(),
                }
            }
            Mode::ConfirmDelete => {
                self.mode = Mode::Browse;
                match self.current_id() {
                    Some(id) if ctx.keymap.action(Keys::Confirm, &key) == Some(Action::Yes) => {
                        Outcome::one(Command::DeleteSession(id))
                    }
                    _ => Outcome::none(),
                }
            }
            Mode::Browse => self.browse(key, ctx),
        }
    }

    fn refresh(&mut self, ctx: &Context) {
        self.reload(ctx);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        draw(frame, area, ctx, self)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn item(summary: &SessionSummary, snippet: Option<&str>, current: bool) -> ListItem<'static> {
    let marker = if current { "● " } else { "  " };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(marker.to_owned(), theme::assistant_header()),
            Span::styled(sanitize(&summary.title).into_owned(), theme::user_header()),
        ]),
        Line::from(Span::styled(
            format!(
                "    {}",
                crate::tr!(
                    "tui-sessions-details",
                    updated = summary
                        .updated
                        .get(..16)
                        .unwrap_or(&summary.updated)
                        .replace('T', " "),
                    count = summary.message_count.to_string(),
                    model = match summary.model.as_deref() {
                        Some(model) => sanitize(model).into_owned(),
                        None => crate::tr!("tui-sessions-no-model"),
                    },
                    id = summary.id.clone()
                ) + &if summary.branch_count > 1 {
                    crate::tr!("tui-sessions-branches", count = summary.branch_count)
                } else {
                    String::new()
                }
            ),
            theme::dim(),
        )),
    ];
    if let Some(snippet) = snippet {
        lines.push(Line::from(Span::styled(
            format!("    “{}”", sanitize(snippet)),
            theme::system_text(),
        )));
    }
    ListItem::new(lines)
}

fn draw(frame: &mut Frame, area: Rect, ctx: &Context, pane: &SessionsPane) {
    let rect = centered(area, 100, area.height.saturating_sub(4).max(8));
    frame.render_widget(Clear, rect);
    let title = format!(
        " {} ",
        crate::tr!(
            "tui-sessions-title",
            open = ctx.keymap.first_label(Keys::Sessions, Action::Open),
            search = ctx.keymap.first_label(Keys::Sessions, Action::Search),
            rename = ctx.keymap.first_label(Keys::Sessions, Action::Rename),
            delete = ctx.keymap.first_label(Keys::Sessions, Action::Delete),
            new = ctx.keymap.first_label(Keys::Sessions, Action::New),
            close = ctx.keymap.first_label(Keys::Sessions, Action::Close)
        )
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [list_area, footer] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let items: Vec<ListItem> = pane
        .entries
        .iter()
        .map(|(s, snippet, _)| item(s, snippet.as_deref(), s.id == ctx.session_id))
        .collect();
    if items.is_empty() {
        let text = if pane.query.is_empty() {
            crate::tr!("tui-sessions-empty")
        } else {
            crate::tr!("tui-sessions-no-match")
        };
        frame.render_widget(Paragraph::new(text).style(theme::dim()), list_area);
    } else {
        let list = List::new(items).highlight_style(theme::selected());
        let mut state = ListState::default().with_selected(Some(pane.selected));
        frame.render_stateful_widget(list, list_area, &mut state);
    }
    let status = match &pane.mode {
        Mode::Search(editor) | Mode::Rename(editor) => {
            let label = if matches!(pane.mode, Mode::Search(_)) {
                format!("{} ", crate::tr!("tui-sessions-search"))
            } else {
                format!("{} ", crate::tr!("tui-sessions-rename"))
            };
            let [label_area, edit_area] = Layout::horizontal([
                Constraint::Length(width::columns(&label) as u16),
                Constraint::Min(0),
            ])
            .areas(footer);
            frame.render_widget(
                Paragraph::new(label).style(theme::user_header()),
                label_area,
            );
            frame.render_widget(&**editor, edit_area);
            return;
        }
        Mode::ConfirmDelete => {
            Span::styled(crate::tr!("tui-sessions-confirm-delete"), theme::error())
        }
        Mode::Browse if !pane.problems.is_empty() => {
            Span::styled(sanitize(&pane.problems[0]).into_owned(), theme::error())
        }
        Mode::Browse if !pane.query.is_empty() => Span::styled(
            crate::tr!(
                "tui-sessions-matches",
                query = sanitize(&pane.query).into_owned()
            ),
            theme::dim(),
        ),
        Mode::Browse => Span::styled(
            crate::tr!("tui-sessions-count", count = pane.entries.len().to_string()),
            theme::dim(),
        ),
    };
    frame.render_widget(Paragraph::new(Line::from(status)), footer);
}
