//! The sessions pane (F4): saved conversations, newest first, with open, rename, delete (after a
//! confirmation), new, and full-text search over titles and messages.

use super::app::App;
use super::keymap::{Action, Context};
use super::view::theme;
use crate::store::{SearchHit, SessionSummary};
use crate::text::sanitize::sanitize;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};
use ratatui_textarea::TextArea;

/// What the keys currently do.
pub enum Mode {
    Browse,
    Search(Box<TextArea<'static>>),
    Rename(Box<TextArea<'static>>),
    ConfirmDelete,
}

pub struct SessionsPane {
    pub entries: Vec<(SessionSummary, Option<String>)>,
    pub problems: Vec<String>,
    pub selected: usize,
    pub mode: Mode,
    pub query: String,
}

fn line_editor(text: &str) -> Box<TextArea<'static>> {
    let mut editor = TextArea::default();
    editor.insert_str(text);
    Box::new(editor)
}

impl SessionsPane {
    pub fn new(app: &App) -> SessionsPane {
        let mut pane = SessionsPane {
            entries: Vec::new(),
            problems: Vec::new(),
            selected: 0,
            mode: Mode::Browse,
            query: String::new(),
        };
        pane.refresh(app);
        pane
    }

    fn refresh(&mut self, app: &App) {
        let Some(store) = &app.store else {
            return;
        };
        if self.query.trim().is_empty() {
            let (sessions, problems) = store.list();
            self.entries = sessions.into_iter().map(|s| (s, None)).collect();
            self.problems = problems.iter().map(ToString::to_string).collect();
        } else {
            self.entries = store
                .search(&self.query)
                .into_iter()
                .map(
                    |SearchHit {
                         summary, snippet, ..
                     }| (summary, Some(snippet)),
                )
                .collect();
        }
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
    }

    fn current(&self) -> Option<&SessionSummary> {
        self.entries.get(self.selected).map(|(s, _)| s)
    }
}

/// Returns false when the pane should close.
pub fn handle_key(app: &mut App, pane: &mut SessionsPane, key: KeyEvent) -> bool {
    let field = app.keymap.action(Context::Field, &key);
    match &mut pane.mode {
        Mode::Search(editor) | Mode::Rename(editor) if field != Some(Action::Confirm) => {
            if field == Some(Action::Close) {
                pane.mode = Mode::Browse;
            } else {
                editor.input(key);
            }
            true
        }
        Mode::Search(editor) => {
            pane.query = editor.lines().join(" ");
            pane.mode = Mode::Browse;
            pane.selected = 0;
            pane.refresh(app);
            true
        }
        Mode::Rename(editor) => {
            let title = editor.lines().join(" ");
            pane.mode = Mode::Browse;
            rename(app, pane, &title);
            true
        }
        Mode::ConfirmDelete => {
            if app.keymap.action(Context::Confirm, &key) == Some(Action::Yes) {
                delete(app, pane);
            }
            pane.mode = Mode::Browse;
            true
        }
        Mode::Browse => browse(app, pane, key),
    }
}

fn rename(app: &mut App, pane: &mut SessionsPane, title: &str) {
    let Some(id) = pane.current().map(|s| s.id.clone()) else {
        return;
    };
    if id == app.session.id {
        // The open session is renamed in memory and saved, so our next save does not conflict.
        app.session.set_title(title);
        app.save_session();
        app.session_name = app.session.title.clone();
    } else if let Some(store) = &app.store
        && let Err(e) = store.rename(&id, title)
    {
        app.notify(e.to_string(), true);
    }
    pane.refresh(app);
}

fn delete(app: &mut App, pane: &mut SessionsPane) {
    let Some(id) = pane.current().map(|s| s.id.clone()) else {
        return;
    };
    if let Some(store) = &app.store {
        match store.delete(&id) {
            Ok(()) => app.notify("session deleted", false),
            Err(e) => app.notify(e.to_string(), true),
        }
    }
    if id == app.session.id {
        // Saving first would write the deleted session back.
        app.begin_new_session();
    }
    pane.refresh(app);
}

fn browse(app: &mut App, pane: &mut SessionsPane, key: KeyEvent) -> bool {
    match app.keymap.action(Context::Sessions, &key) {
        Some(Action::Close) => return false,
        Some(Action::Up) => pane.selected = pane.selected.saturating_sub(1),
        Some(Action::Down) => {
            pane.selected = (pane.selected + 1).min(pane.entries.len().saturating_sub(1))
        }
        Some(Action::Search) => pane.mode = Mode::Search(line_editor(&pane.query)),
        Some(Action::Rename) => {
            if let Some(s) = pane.current() {
                pane.mode = Mode::Rename(line_editor(&s.title));
            }
        }
        Some(Action::Delete) if pane.current().is_some() => pane.mode = Mode::ConfirmDelete,
        Some(Action::New) => {
            app.start_new_session();
            return false;
        }
        Some(Action::Open) => {
            let Some(id) = pane.current().map(|s| s.id.clone()) else {
                return true;
            };
            app.save_session();
            let loaded = app.store.as_ref().map(|store| store.load(&id));
            match loaded {
                Some(Ok(session)) => {
                    app.restore(session);
                    return false;
                }
                Some(Err(e)) => app.notify(e.to_string(), true),
                None => {}
            }
        }
        _ => {}
    }
    true
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
                "    {} · {} messages · {} · {}",
                summary
                    .updated
                    .get(..16)
                    .unwrap_or(&summary.updated)
                    .replace('T', " "),
                summary.message_count,
                sanitize(summary.model.as_deref().unwrap_or("no model")),
                summary.id
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

pub fn draw(frame: &mut Frame, area: Rect, app: &App, pane: &SessionsPane) {
    let rect = super::view::popups::centered(area, 100, area.height.saturating_sub(4).max(8));
    frame.render_widget(Clear, rect);
    let title = " Sessions — Enter opens, / search, r rename, d delete, n new, Esc closes ";
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
        .map(|(s, snippet)| item(s, snippet.as_deref(), s.id == app.session.id))
        .collect();
    if items.is_empty() {
        let text = if pane.query.is_empty() {
            "no saved sessions yet"
        } else {
            "no session matches"
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
                "search: "
            } else {
                "title: "
            };
            let [label_area, edit_area] =
                Layout::horizontal([Constraint::Length(label.len() as u16), Constraint::Min(0)])
                    .areas(footer);
            frame.render_widget(
                Paragraph::new(label).style(theme::user_header()),
                label_area,
            );
            frame.render_widget(&**editor, edit_area);
            return;
        }
        Mode::ConfirmDelete => Span::styled("delete this session? y / n", theme::error()),
        Mode::Browse if !pane.problems.is_empty() => {
            Span::styled(sanitize(&pane.problems[0]).into_owned(), theme::error())
        }
        Mode::Browse if !pane.query.is_empty() => Span::styled(
            format!("matches for “{}”", sanitize(&pane.query)),
            theme::dim(),
        ),
        Mode::Browse => Span::styled(format!("{} sessions", pane.entries.len()), theme::dim()),
    };
    frame.render_widget(Paragraph::new(Line::from(status)), footer);
}
