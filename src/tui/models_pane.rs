//! The model picker (F3): the models in the model directories, read from their GGUF headers
//! without loading weights, and switching at runtime with the conversation kept.

use super::app::App;
use super::view::theme;
use crate::models::{self, Listed};
use crate::text::sanitize::sanitize;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

pub struct ModelsPane {
    pub entries: Vec<Listed>,
    pub selected: usize,
}

impl ModelsPane {
    pub fn new(app: &App) -> ModelsPane {
        let entries = models::list(&app.paths, &app.config);
        let selected = entries
            .iter()
            .position(|(path, _)| Some(path) == app.model_path.as_ref())
            .unwrap_or(0);
        ModelsPane { entries, selected }
    }
}

/// Returns false when the pane should close.
pub fn handle_key(app: &mut App, pane: &mut ModelsPane, key: KeyEvent) -> bool {
    match key.code {
        KeyCode::Esc | KeyCode::F(3) => false,
        KeyCode::Up => {
            pane.selected = pane.selected.saturating_sub(1);
            true
        }
        KeyCode::Down => {
            pane.selected = (pane.selected + 1).min(pane.entries.len().saturating_sub(1));
            true
        }
        KeyCode::Enter => {
            match pane.entries.get(pane.selected) {
                Some((path, Ok(_))) => app.load_model(path.clone()),
                Some((_, Err(e))) => app.notify(e.to_string(), true),
                None => {}
            }
            false
        }
        _ => true,
    }
}

fn item(entry: &Listed, current: bool) -> ListItem<'static> {
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
                    "    {} · {} params · {} · {} · ctx {} · template: {}",
                    sanitize(&s.architecture),
                    models::human_count(s.parameter_count),
                    sanitize(&s.quantization),
                    models::human_bytes(s.file_size),
                    s.context_length.map_or("?".into(), |c| c.to_string()),
                    if s.chat_template.is_some() {
                        "yes"
                    } else {
                        "none (ChatML)"
                    },
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
                format!("    {}", sanitize(&e.to_string())),
                theme::dim(),
            )),
        ]),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, pane: &ModelsPane) {
    let height = (pane.entries.len() as u16 * 2 + 4).max(6);
    let rect = super::view::popups::centered(area, 96, height);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(" Models — Enter switches (the conversation stays), Esc closes ");
    if pane.entries.is_empty() {
        let text = format!(
            "No .gguf files in {}. {}",
            models::model_dirs(&app.paths, &app.config)
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            models::FETCH_HINT
        );
        frame.render_widget(
            Paragraph::new(sanitize(&text).into_owned())
                .block(block)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            rect,
        );
        return;
    }
    let items: Vec<ListItem> = pane
        .entries
        .iter()
        .map(|e| item(e, Some(&e.0) == app.model_path.as_ref()))
        .collect();
    let list = List::new(items)
        .block(block)
        .highlight_style(theme::selected());
    let mut state = ListState::default().with_selected(Some(pane.selected));
    frame.render_stateful_widget(list, rect, &mut state);
}
