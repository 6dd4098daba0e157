//! The help pane (F1): the chat's key bindings, generated from the live keymap (a rebound key
//! shows its new binding), described in the UI language; its close key (any key by default)
//! closes it. When the window is too short for every row (80x24 holds 21), Up/Down and
//! PgUp/PgDn scroll it instead of closing, and the title shows the arrows.

use super::{Context, Outcome, Pane, centered, frame_block};
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::{theme, width};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use std::cell::Cell;

#[derive(Default)]
pub struct HelpPane {
    /// The first row shown.
    scroll: u16,
    /// How far the last drawn frame could scroll (0: every row fits), set while drawing.
    max_scroll: Cell<u16>,
}

impl Pane for HelpPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        let max = self.max_scroll.get();
        if max > 0 {
            let scrolled = match key.code {
                KeyCode::Down => Some(self.scroll.saturating_add(1)),
                KeyCode::PageDown => Some(self.scroll.saturating_add(10)),
                KeyCode::Up => Some(self.scroll.saturating_sub(1)),
                KeyCode::PageUp => Some(self.scroll.saturating_sub(10)),
                _ => None,
            };
            if let Some(to) = scrolled {
                self.scroll = to.min(max);
                return Outcome::none();
            }
        }
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
        let rows = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        let rect = centered(area, 76, rows.saturating_add(3));
        frame.render_widget(Clear, rect);
        let max = rows.saturating_sub(rect.height.saturating_sub(2));
        self.max_scroll.set(max);
        let mut title = crate::tr!(
            "keys-help-title",
            close = ctx.keymap.label(Keys::Help, Action::Close)
        );
        if max > 0 {
            title.push_str(" ↑↓");
        }
        frame.render_widget(
            Paragraph::new(lines)
                .block(frame_block(&title))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll.min(max), 0)),
            rect,
        );
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
