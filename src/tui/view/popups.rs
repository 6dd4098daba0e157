//! Drawing the popups: help, system-prompt editor, persona picker.

use super::theme;
use crate::text::sanitize::sanitize;
use crate::tui::app::App;
use crate::tui::keys::BINDINGS;
use crate::tui::overlay::Overlay;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

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

fn frame_block(title: &str) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(Span::styled(
            format!(" {title} "),
            Style::default().add_modifier(Modifier::BOLD),
        ))
}

fn help(frame: &mut Frame, area: Rect) {
    let key_width = BINDINGS.iter().map(|b| b.keys.len()).max().unwrap_or(10);
    let lines: Vec<Line> = BINDINGS
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(format!("{:<key_width$}  ", b.keys), theme::user_header()),
                Span::raw(b.what),
            ])
        })
        .collect();
    let rect = centered(area, 76, lines.len() as u16 + 3);
    frame.render_widget(Clear, rect);
    let block = frame_block("Keys — any key closes");
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn system_prompt(frame: &mut Frame, area: Rect, editor: &mut ratatui_textarea::TextArea<'static>) {
    let rect = centered(area, 80, 14);
    frame.render_widget(Clear, rect);
    editor.set_block(frame_block("System prompt — Ctrl+S saves, Esc cancels"));
    frame.render_widget(&*editor, rect);
}

fn personas(frame: &mut Frame, area: Rect, app: &App, selected: usize) {
    let items: Vec<ListItem> = app
        .personas
        .iter()
        .map(|p| {
            ListItem::new(vec![
                Line::from(Span::styled(
                    sanitize(&p.name).into_owned(),
                    theme::assistant_header(),
                )),
                Line::from(Span::styled(
                    format!("  {}", sanitize(&p.description)),
                    theme::dim(),
                )),
            ])
        })
        .collect();
    let rect = centered(area, 70, (items.len() as u16) * 2 + 2);
    frame.render_widget(Clear, rect);
    let list = List::new(items)
        .block(frame_block("Persona — Enter picks, Esc closes"))
        .highlight_style(theme::selected());
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, rect, &mut state);
}

pub fn draw(frame: &mut Frame, area: Rect, app: &mut App) {
    let mut overlay = std::mem::replace(&mut app.overlay, Overlay::None);
    match &mut overlay {
        Overlay::None => {}
        Overlay::Help => help(frame, area),
        Overlay::SystemPrompt(editor) => system_prompt(frame, area, editor),
        Overlay::Personas { selected } => personas(frame, area, app, *selected),
        Overlay::Settings(pane) => crate::tui::settings_pane::draw(frame, area, app, pane),
        Overlay::Models(pane) => crate::tui::models_pane::draw(frame, area, app, pane),
        Overlay::Sessions(pane) => crate::tui::sessions_pane::draw(frame, area, app, pane),
    }
    app.overlay = overlay;
}
