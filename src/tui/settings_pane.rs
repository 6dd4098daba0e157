//! The settings pane (F2): keys and drawing.
//!
//! Up/Down pick a field, Enter edits it and Enter again applies it (Esc abandons the edit). Sampling
//! changes apply to the next reply; model changes reload the model and keep the conversation.
//! Ctrl+S writes the current values to the config file as the new defaults.

use super::app::App;
use super::settings::{Applied, FIELDS, Settings};
use super::view::theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
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

fn save_defaults(app: &mut App) -> Result<String, String> {
    let mut config = app.config.clone();
    config.sampling = app.sampling.clone();
    config.model = app.model_params.clone();
    let path = app.paths.config_file();
    config.save(&path).map_err(|e| e.to_string())?;
    app.config = config;
    Ok(format!("saved as defaults in {}", path.display()))
}

pub fn handle_key(app: &mut App, pane: &mut SettingsPane, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if let Some(editor) = &mut pane.editing {
        match key.code {
            KeyCode::Esc => pane.editing = None,
            KeyCode::Enter => {
                let text = editor.lines().join("");
                pane.editing = None;
                let mut settings = current(app);
                pane.message = Some(match settings.apply(pane.selected, &text) {
                    Ok(applied) => {
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
    match key.code {
        KeyCode::Esc | KeyCode::F(2) => return false,
        KeyCode::Up => pane.selected = pane.selected.saturating_sub(1),
        KeyCode::Down => pane.selected = (pane.selected + 1).min(FIELDS.len() - 1),
        KeyCode::Enter => {
            let mut editor = TextArea::default();
            editor.insert_str(current(app).value(pane.selected));
            pane.editing = Some(editor);
            pane.message = None;
        }
        KeyCode::Char('s') if ctrl => {
            pane.message = Some(match save_defaults(app) {
                Ok(done) => (done, false),
                Err(e) => (e, true),
            });
        }
        _ => {}
    }
    true
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, pane: &mut SettingsPane) {
    let rect = super::view::popups::centered(area, 90, FIELDS.len() as u16 + 6);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(" Settings — Enter edits, Ctrl+S saves as defaults, Esc closes ");
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let settings = current(app);
    let mut lines: Vec<Line> = FIELDS
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let style = if i == pane.selected {
                theme::selected()
            } else {
                Default::default()
            };
            Line::from(vec![
                Span::styled(format!(" {:<18}", field.label), style),
                Span::styled(format!("{:<22}", settings.value(i)), style),
                Span::styled(format!(" {}", field.help), theme::dim()),
            ])
        })
        .collect();
    lines.push(Line::default());
    if let Some((text, is_error)) = &pane.message {
        let style = if *is_error {
            theme::error()
        } else {
            theme::assistant_header()
        };
        lines.push(Line::from(Span::styled(format!(" {text}"), style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(editor) = &mut pane.editing {
        let row = inner.y + pane.selected as u16;
        if row < inner.bottom() && inner.width > 20 {
            let edit_rect = Rect {
                x: inner.x + 19,
                y: row,
                width: (inner.width - 19).min(40),
                height: 1,
            };
            editor.set_style(theme::focus_border());
            frame.render_widget(Clear, edit_rect);
            frame.render_widget(&*editor, edit_rect);
        }
    }
}
