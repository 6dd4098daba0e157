//! The settings pane (F2): keys and drawing.
//!
//! Up/Down pick a field, Enter edits it and Enter again applies it (Esc abandons the edit). Sampling
//! changes apply to the next reply; model changes reload the model and keep the conversation.
//! Ctrl+S writes the values changed in the pane to the config file as the new defaults, keeping
//! the rest of the file (comments included) as it was.

use super::{Command, Context, Outcome, Pane, centered};
use crate::text::wrap::wrap_spans;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::settings::{Applied, FIELDS};
use crate::tui::{theme, width};
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
    selected: usize,
    editing: Option<TextArea<'static>>,
    message: Option<(String, bool)>,
}

impl SettingsPane {
    fn edit_done(&mut self, text: &str, ctx: &Context) -> Outcome {
        let mut settings = ctx.settings.clone();
        match settings.apply(self.selected, text) {
            Ok(applied) => {
                let reload = applied == Applied::NeedsReload;
                self.message = Some(if reload {
                    (crate::tr!("tui-settings-reloading"), false)
                } else {
                    (crate::tr!("tui-settings-next-reply"), false)
                });
                match FIELDS.get(self.selected) {
                    Some(field) => Outcome::one(Command::ApplySettings {
                        settings,
                        field: field.name,
                        reload,
                    }),
                    None => Outcome::none(),
                }
            }
            Err(e) => {
                self.message = Some((e, true));
                Outcome::none()
            }
        }
    }
}

impl Pane for SettingsPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        if let Some(editor) = &mut self.editing {
            match ctx.keymap.action(Keys::Field, &key) {
                Some(Action::Close) => self.editing = None,
                Some(Action::Confirm) => {
                    let text = editor.lines().join("");
                    self.editing = None;
                    return self.edit_done(&text, ctx);
                }
                _ => {
                    editor.input(key);
                }
            }
            return Outcome::none();
        }
        match ctx.keymap.action(Keys::Settings, &key) {
            Some(Action::Close) => return Outcome::close(),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(FIELDS.len() - 1),
            Some(Action::Edit) => {
                let mut editor = TextArea::default();
                editor.set_style(theme::focus_border());
                editor.insert_str(ctx.settings.value(self.selected));
                self.editing = Some(editor);
                self.message = None;
            }
            Some(Action::SaveDefaults) => return Outcome::one(Command::SaveDefaults),
            _ => {}
        }
        Outcome::none()
    }

    fn feedback(&mut self, text: String, is_error: bool) {
        self.message = Some((text, is_error));
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        draw(frame, area, ctx, self)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
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
                Span::styled(format!(" {}", width::pad(label, LABEL_WIDTH - 1)), style),
                Span::styled(width::pad(&value, VALUE_WIDTH), style),
            ]
        } else {
            vec![Span::raw(" ".repeat(LABEL_WIDTH + VALUE_WIDTH))]
        };
        spans.push(Span::styled(format!(" {text}"), theme::dim()));
        lines.push(Line::from(spans));
    }
    lines
}

fn draw(frame: &mut Frame, area: Rect, ctx: &Context, pane: &SettingsPane) {
    // As wide as the longest help needs, if the terminal allows; else the help wraps.
    let longest_help = FIELDS
        .iter()
        .map(|f| width::columns(&f.pane_help()))
        .max()
        .unwrap_or(0);
    let wanted = (LABEL_WIDTH + VALUE_WIDTH + 1 + longest_help + 2 + 1) as u16;
    let width = wanted.min(area.width);
    let help_width = (width as usize).saturating_sub(LABEL_WIDTH + VALUE_WIDTH + 1 + 2 + 1);
    let settings = &ctx.settings;
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
    let mut message = vec![Line::default()];
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
            message.push(Line::from(spans));
        }
    }
    // Too many rows for the window: they scroll to keep the selected one in view, and the
    // message (an out-of-range value, "saved") stays under them.
    let room = usize::from(area.height.saturating_sub(2));
    let budget = room.saturating_sub(message.len()).max(1);
    let selected_end = (rows.get(pane.selected + 1).copied()).unwrap_or(lines.len());
    let selected_start = rows.get(pane.selected).copied().unwrap_or(0);
    // The selected row's end in view, or at least its first line when it is taller than that.
    let offset = selected_end.saturating_sub(budget).min(selected_start);
    let mut lines: Vec<Line> = lines.into_iter().skip(offset).take(budget).collect();
    lines.extend(message);
    let rect = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focus_border())
        .title(format!(
            " {} ",
            crate::tr!(
                "tui-settings-title",
                edit = ctx.keymap.first_label(Keys::Settings, Action::Edit),
                save = ctx.keymap.first_label(Keys::Settings, Action::SaveDefaults),
                close = ctx.keymap.first_label(Keys::Settings, Action::Close)
            )
        ));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(editor) = &pane.editing {
        let row = rows
            .get(pane.selected)
            .copied()
            .unwrap_or(0)
            .saturating_sub(offset);
        let row = inner.y + row as u16;
        if row < inner.bottom() && inner.width > 20 {
            let edit_rect = Rect {
                x: inner.x + LABEL_WIDTH as u16,
                y: row,
                width: (inner.width - LABEL_WIDTH as u16).min(40),
                height: 1,
            };
            frame.render_widget(Clear, edit_rect);
            frame.render_widget(editor, edit_rect);
        }
    }
}
