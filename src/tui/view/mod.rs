//! Drawing the chat screen: conversation, input, status bar, and any popup on top.

pub mod chat;
pub mod popups;
pub mod status;
pub mod theme;

use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Block, Borders};

/// Draws one frame. Never panics, whatever the size (down to 0x0).
pub fn draw(frame: &mut Frame, app: &mut App) {
    let area = frame.area();
    let input_lines = app.input.lines().len().clamp(1, 6) as u16;
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
    chat::draw(frame, conversation, app);
    let title = if app.waiting_for_model {
        " Message (sent when the model is ready) "
    } else {
        " Message "
    };
    if bordered {
        app.input.set_block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme::focus_border())
                .title(title),
        );
    } else {
        app.input.remove_block();
    }
    frame.render_widget(&app.input, input);
    status::draw(frame, status, app);
    popups::draw(frame, area, app);
}
