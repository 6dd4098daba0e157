//! The help pane (F1): every key binding; any key closes it.

use super::{Context, Outcome, Pane, centered, frame_block};
use crate::tui::keys::BINDINGS;
use crate::tui::{theme, width};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

#[derive(Default)]
pub struct HelpPane;

impl Pane for HelpPane {
    fn handle_key(&mut self, _key: KeyEvent, _ctx: &Context) -> Outcome {
        Outcome::close()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _ctx: &Context) {
        let key_width = BINDINGS
            .iter()
            .map(|b| width::columns(b.keys))
            .max()
            .unwrap_or(10);
        let lines: Vec<Line> = BINDINGS
            .iter()
            .map(|b| {
                Line::from(vec![
                    Span::styled(
                        format!("{}  ", width::pad(b.keys, key_width)),
                        theme::user_header(),
                    ),
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

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
