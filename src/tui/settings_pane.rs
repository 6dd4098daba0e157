//! The settings pane (F2): keys and drawing.
//!
//! Up/Down pick a field, Enter edits it and Enter again applies it (Esc abandons the edit). Sampling
//! changes apply to the next reply; model changes reload the model and keep the conversation.
//! Ctrl+S writes the values changed in the pane to the config file as the new defaults, keeping
//! the rest of the file (comments included) as it was.

use super::app::App;
use super::keymap::{Action, Context};
use super::settings::{Applied, FIELDS, Settings};
use super::view::theme;
use crate::text::wrap::wrap_spans;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::TextArea;

/// The pane's own state.
#[derive(Default)]
pub struct SettingsPane {
    pub selected: usize,
    pub editing: Option<TextArea<'static>>,
    pub message: Option<(String, bool)>,
}

fn current(app: &App) -> Settings {
    Settings {
        sampling: app.sampling.clone(),
        model: app.model_params.clone(),
    }
}

/// Writes the settings changed in this pane, and only those, into the config file. Flags given
/// for this run (`--system`, `--template`, `--temperature` ...) are not defaults and stay out.
fn save_defaults(app: &mut App) -> Result<String, String> {
    let path = app.paths.config_file();
    let keys: Vec<(&str, &str)> = FIELDS
        .iter()
        .filter(|f| app.pane_edits.contains(f.name))
        .map(|f| (f.section().name(), f.name))
        .collect();
    if keys.is_empty() {
        return Err("nothing to save: no setting was changed in this pane".into());
    }
    let mut config = app.config.clone();
    config.sampling = app.sampling.clone();
    config.model = app.model_params.clone();
    config.save_keys(&path, &keys).map_err(|e| e.to_string())?;
    let names: Vec<&str> = keys.iter().map(|(_, key)| *key).collect();
    Ok(format!(
        "saved {} as defaults in {}",
        names.join(", "),
        path.display()
    ))
}

pub fn handle_key(app: &mut App, pane: &mut SettingsPane, key: KeyEvent) -> bool {
    if let Some(editor) = &mut pane.editing {
        match app.keymap.action(Context::Field, &key) {
            Some(Action::Close) => pane.editing = None,
            Some(Action::Confirm) => {
                let text = editor.lines().join("");
                pane.editing = None;
                let mut settings = current(app);
                pane.message = Some(match settings.apply(pane.selected, &text) {
                    Ok(applied) => {
                        if let Some(field) = FIELDS.get(pane.selected) {
                            app.pane_edits.insert(field.name);
                        }
                        app.sampling = settings.sampling;
                        app.model_params = settings.model;
                        if applied == Applied::NeedsReload {
                            app.reload_model();
                            ("reloading the model; the conversation stays".into(), false)
                        } else {
                            ("applies to the next reply".into(), false)
                        }
                    }
                    Err(e) => (e, true),
                });
            }
            _ => {
                editor.input(key);
            }
        }
        return true;
    }
    match app.keymap.action(Context::Settings, &key) {
        Some(Action::Close) => return false,
        Some(Action::Up) => pane.selected = pane.selected.saturating_sub(1),
        Some(Action::Down) => pane.selected = (pane.selected + 1).min(FIELDS.len() - 1),
        Some(Action::Edit) => {
            let mut editor = TextArea::default();
            editor.insert_str(current(app).value(pane.selected));
            pane.editing = Some(editor);
            pane.message = None;
        }
        Some(Action::SaveDefaults) => {
            pane.message = Some(match save_defaults(app) {
                Ok(done) => (done, false),
                Err(e) => (e, true),
            });
        }
        _ => {}
    }
    true
}

/// Columns of the label and value, with their padding; the help text takes the rest.
const LABEL_WIDTH: usize = 19;
const VALUE_WIDTH: usize = 22;

/// The lines of one field: the help text wrapped to `help_width`, continuation lines under it.
fn field_lines(
    label: &str,
    value: String,
    help: &str,
    help_width: usize,
    style: Style,
) -> Vec<Line<'static>> {
    let wrapped = wrap_spans(&[Span::raw(help.to_owned())], help_width.max(8) as u16);
    let mut lines = Vec::with_capacity(wrapped.len().max(1));
    for (i, part) in wrapped.into_iter().enumerate() {
        let text: String = part.spans.iter().map(|s| s.content.as_ref()).collect();
        let mut spans = if i == 0 {
            vec![
                Span::styled(format!(" {label:<w$}", w = LABEL_WIDTH - 1), style),
                Span::styled(format!("{value:<VALUE_WIDTH$}"), style),
            ]
        } else {
            vec![Span::raw(" ".repeat(LABEL_WIDTH + VALUE_WIDTH))]
        };
        spans.push(Span::styled(format!(" {text}"), theme::dim()));
        lines.push(Line::from(spans));
    }
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, pane: &mut SettingsPane) {
    // As wide as the longest help needs, if the terminal allows; else the help wraps.
    let longest_help = FIELDS
        .iter()
        .map(|f| crate::text::wrap::str_width(&f.pane_help()))
        .max()
        .unwrap_or(0);
    let wanted = (LABEL_WIDTH + VALUE_WIDTH + 1 + longest_help + 2 + 1) as u16;
    let width = wanted.min(area.width);
    let help_width = (width as usize).saturating_sub(LABEL_WIDTH + VALUE_WIDTH + 1 + 2 + 1);
    let settings = current(app);
    let mut lines: Vec<Line> = Vec::new();
    let mut rows = Vec::with_capacity(FIELDS.len());
    for (i, field) in FIELDS.iter().enumerate() {
        let style = if i == pane.selected {
            theme::selected()
        } else {
            Style::default()
        };
        rows.push(lines.len());
        lines.extend(field_lines(
            field.name,
            settings.value(i),
            &field.pane_help(),
            help_width,
            style,
        ));
    }
    lines.push(Line::default());
    if let Some((text, is_error)) = &pane.message {
        let style = if *is_error {
            theme::error()
        } else {
            theme::assistant_header()
        };
        let inner_width = width.saturating_sub(3).max(1);
        for line in wrap_spans(&[Span::styled(text.clone(), style)], inner_width) {
            let mut spans = vec![Span::raw(" ")];
            spans.extend(line.spans);
            lines.push(Line::from(spans));
        }
    }
    let rect = super::view::popups::centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(" Settings — Enter edits, Ctrl+S saves as defaults, Esc closes ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(editor) = &mut pane.editing {
        let row = inner.y + rows.get(pane.selected).copied().unwrap_or(0) as u16;
        if row < inner.bottom() && inner.width > 20 {
            let edit_rect = Rect {
                x: inner.x + LABEL_WIDTH as u16,
                y: row,
                width: (inner.width - LABEL_WIDTH as u16).min(40),
                height: 1,
            };
            editor.set_style(theme::focus_border());
            frame.render_widget(Clear, edit_rect);
            frame.render_widget(&*editor, edit_rect);
        }
    }
}
