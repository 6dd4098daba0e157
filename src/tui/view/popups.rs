//! Drawing the popups: help, system-prompt editor, persona picker.

use super::theme;
use crate::text::sanitize::sanitize;
use crate::tui::app::App;
use crate::tui::keymap::{Action, Context, Keymap};
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

/// The chat's keys, from the live keymap (a rebound key shows its new binding). The key column
/// is as wide as its widest label in display width: a Chinese "wheel" is two cells a character.
fn help(frame: &mut Frame, area: Rect, keymap: &Keymap) {
    use unicode_width::UnicodeWidthStr;
    let rows = keymap.help_rows(&[Context::Chat, Context::Input]);
    let key_width = rows.iter().map(|r| r.keys.width()).max().unwrap_or(10);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|row| {
            let pad = " ".repeat(key_width - row.keys.width() + 2);
            Line::from(vec![
                Span::styled(format!("{}{pad}", row.keys), theme::user_header()),
                Span::raw(row.what),
            ])
        })
        .collect();
    let rect = centered(area, 76, lines.len() as u16 + 3);
    frame.render_widget(Clear, rect);
    let title = crate::tr!(
        "keys-help-title",
        close = keymap.label(Context::Help, Action::Close)
    );
    let block = frame_block(&title);
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
        Overlay::Help => help(frame, area, &app.keymap),
        Overlay::SystemPrompt(editor) => system_prompt(frame, area, editor),
        Overlay::Personas { selected } => personas(frame, area, app, *selected),
        Overlay::Settings(pane) => crate::tui::settings_pane::draw(frame, area, app, pane),
        Overlay::Models(pane) => crate::tui::models_pane::draw(frame, area, app, pane),
        Overlay::Sessions(pane) => crate::tui::sessions_pane::draw(frame, area, app, pane),
    }
    app.overlay = overlay;
}
