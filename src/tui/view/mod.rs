//! Drawing the chat screen: conversation, input and status bar (the open pane draws itself on
//! top, see `panes`).
//!
//! The view reads the chat through a borrowed [`Screen`] and writes only its own [`ViewState`]:
//! what drawing works out (the page height, the scroll position clamped to the conversation,
//! the rendered lines) is kept there, never in the app.

pub mod chat;
pub mod marks;
pub mod screen;
pub mod status;

pub use screen::Screen;

use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Block, Borders};

/// The view's own state: the conversation's rendered lines and where it is scrolled to.
#[derive(Default)]
pub struct ViewState {
    chat: chat::ChatView,
}

impl ViewState {
    /// Scrolls up (positive) or down (negative) by `lines`; drawing clamps at the top.
    pub fn scroll_by(&mut self, lines: isize) {
        self.chat.scroll_by(lines);
    }

    /// Scrolls one page up (`up`) or down.
    pub fn scroll_page(&mut self, up: bool) {
        self.chat.scroll_page(up);
    }

    pub fn scroll_to_top(&mut self) {
        self.chat.scroll_to_top();
    }

    /// Follows the newest line again.
    pub fn follow_bottom(&mut self) {
        self.chat.follow_bottom();
    }

    /// Scrolls message `index` (just selected) into the window when next drawn.
    pub fn reveal(&mut self, index: usize) {
        self.chat.reveal(index);
    }

    /// Forgets the rendered lines (another conversation is shown) and follows the bottom.
    pub fn reset(&mut self) {
        let show_thinking = self.chat.show_thinking();
        self.chat = chat::ChatView::default();
        if show_thinking {
            self.chat.toggle_thinking();
        }
    }

    /// Folds or unfolds every reply's "Thinking" block.
    pub fn toggle_thinking(&mut self) {
        self.chat.toggle_thinking();
    }

    /// How many messages are held rendered (the rest have at most an estimated height).
    pub fn rendered_messages(&self) -> usize {
        self.chat.rendered_messages()
    }
}

/// Draws one frame of the chat screen. Never panics, whatever the size (down to 0x0).
pub fn draw(frame: &mut Frame, screen: &Screen, view: &mut ViewState) {
    let area = frame.area();
    let input_lines = screen.input.lines().len().clamp(1, 6) as u16;
    // On tiny terminals the input loses its border so the conversation keeps some room.
    let bordered = area.height >= 10;
    let input_height =
        if bordered { input_lines + 2 } else { 1 }.min(area.height.saturating_sub(1));
    let [conversation, input, status] = Layout::vertical([
        Constraint::Min(0),
        Constraint::Length(input_height),
        Constraint::Length(1),
    ])
    .areas(area);
    chat::draw(frame, conversation, screen, &mut view.chat);
    let title = if screen.editing {
        crate::tr!("tui-input-title-editing")
    } else if screen.waiting_for_model {
        crate::tr!("tui-input-title-waiting")
    } else {
        crate::tr!("tui-input-title")
    };
    let editor_area = if bordered {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme::focus_border())
            .title(format!(" {title} "));
        let inner = block.inner(input);
        frame.render_widget(block, input);
        inner
    } else {
        input
    };
    frame.render_widget(screen.input, editor_area);
    status::draw(frame, status, screen);
}
