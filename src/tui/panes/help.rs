//! The help pane (F1): the chat's key bindings, generated from the live keymap (a rebound key
//! shows its new binding), described in the UI language; its close key (any key by default)
//! closes it.

use super::{Context, Outcome, Pane, centered, frame_block};
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::{theme, width};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

#[derive(Default)]
pub struct HelpPane;

impl Pane for HelpPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        match ctx.keymap.action(Keys::Help, &key) {
            Some(Action::Close) => Outcome::close(),
            _ => Outcome::none(),
        }
    }

    /// The key column is as wide as its widest label in display width: a Chinese "wheel" is
    /// two cells a character.
    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        let rows = ctx.keymap.help_rows(&[Keys::Chat, Keys::Input]);
        let key_width = rows
            .iter()
            .map(|r| width::columns(&r.keys))
            .max()
            .unwrap_or(10);
        let lines: Vec<Line> = rows
            .into_iter()
            .map(|row| {
                Line::from(vec![
                    Span::styled(
                        format!("{}  ", width::pad(&row.keys, key_width)),
                        theme::user_header(),
                    ),
                    Span::raw(row.what),
                ])
            })
            .collect();
        let rect = centered(area, 76, lines.len() as u16 + 3);
        frame.render_widget(Clear, rect);
        let title = crate::tr!(
            "keys-help-title",
            close = ctx.keymap.label(Keys::Help, Action::Close)
        );
        frame.render_widget(
            Paragraph::new(lines)
                .block(frame_block(&title))
                .wrap(Wrap { trim: false }),
            rect,
        );
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
