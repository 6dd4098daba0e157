//! The persona picker (Ctrl+P): Enter sets the persona's system prompt, Esc closes.

use super::{Command, Context, Outcome, Pane, centered, frame_block};
use crate::text::sanitize::sanitize;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::theme;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState};

pub struct PersonasPane {
    selected: usize,
}

impl PersonasPane {
    /// Opens on the persona in use, else the first.
    pub fn new(ctx: &Context) -> PersonasPane {
        let selected = ctx
            .persona
            .and_then(|stored| ctx.personas.iter().position(|p| p.matches(stored)))
            .unwrap_or(0);
        PersonasPane { selected }
    }
}

impl Pane for PersonasPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        let count = ctx.personas.len();
        match ctx.keymap.action(Keys::Personas, &key) {
            Some(Action::Close) => return Outcome::close(),
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Some(Action::Pick) => {
                return Outcome::close().then(Command::ApplyPersona(self.selected));
            }
            _ => {}
        }
        Outcome::none()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        let items: Vec<ListItem> = ctx
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
            .block(frame_block(&crate::tr!(
                "tui-personas-title",
                pick = ctx.keymap.first_label(Keys::Personas, Action::Pick),
                close = ctx.keymap.first_label(Keys::Personas, Action::Close)
            )))
            .highlight_style(theme::selected());
        let mut state = ListState::default().with_selected(Some(self.selected));
        frame.render_stateful_widget(list, rect, &mut state);
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
