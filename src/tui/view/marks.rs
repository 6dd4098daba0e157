//! What the conversation view adds to a message for the conversation tree: the selection mark
//! (Alt+Up / Alt+Down) and the `‹ 2/3 ›` of a message that has alternatives; and the scroll
//! that brings a newly selected message into the window.
//!
//! Both marks are part of a message's cache key, so changing the selection or switching a
//! branch renders only the messages whose marks changed.

use super::screen::Screen;
use crate::tui::theme;
use ratatui::text::{Line, Span};

/// How one message is marked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    pub selected: bool,
    /// `(position, count)` among its alternatives, only when it has some.
    pub siblings: Option<(usize, usize)>,
}

/// The marks of message `index` on `screen`.
pub fn mark_of(screen: &Screen, index: usize) -> Mark {
    Mark {
        selected: screen.selected == Some(index),
        siblings: screen.siblings.get(index).copied().flatten(),
    }
}

/// `‹ 2/3 ›`: the message is the 2nd of 3 alternatives.
pub fn sibling_text(position: usize, count: usize) -> String {
    format!("‹ {position}/{count} ›")
}

/// Marks a rendered message: the sibling position after the header's role, and for the selected
/// message a `▶` header in the selection colour, a bar down its left edge, and a hint of what
/// its keys do.
pub fn apply(lines: &mut [Line<'static>], mark: Mark) {
    let Some((header, body)) = lines.split_first_mut() else {
        return;
    };
    if let Some((position, count)) = mark.siblings {
        // After the role label, before the model name and the guard's marks.
        let at = header.spans.len().min(1);
        header.spans.insert(
            at,
            Span::styled(format!("  {}", sibling_text(position, count)), theme::dim()),
        );
    }
    if !mark.selected {
        return;
    }
    if let Some(first) = header.spans.first_mut() {
        let label = first.content.trim_start_matches('▌').to_owned();
        *first = Span::styled(format!("▶{label}"), theme::selected());
    }
    header.spans.push(Span::styled(
        format!("  {}", crate::tr!("tui-chat-selected-hint")),
        theme::dim(),
    ));
    // The body's lines start with two spaces of indent (the last line is the blank separator).
    let count = body.len().saturating_sub(1);
    for line in &mut body[..count] {
        if let Some(first) = line.spans.first_mut()
            && first.content == "  "
        {
            *first = Span::styled("┃ ", theme::focus_border());
        }
    }
}

/// The scroll (lines up from the bottom) that shows a message of `size` lines with `below`
/// lines under it in a window of `height`, moving as little as possible from `scroll`: a
/// message taller than the window shows its top.
pub fn reveal_scroll(scroll: usize, height: usize, below: usize, size: usize) -> usize {
    let top = below + size;
    if top > scroll + height {
        top.saturating_sub(height)
    } else if below < scroll {
        below
    } else {
        scroll
    }
}

#[cfg(test)]
mod tests {
    use super::reveal_scroll;

    #[test]
    fn a_selected_message_is_scrolled_into_the_window() {
        // Already visible: no move.
        assert_eq!(reveal_scroll(0, 10, 2, 3), 0);
        // Above the window: scrolled up until its header is the first line.
        assert_eq!(reveal_scroll(0, 10, 20, 4), 14);
        // Below the window (scrolled far up): down until its last line is the last one.
        assert_eq!(reveal_scroll(30, 10, 5, 3), 5);
        // Taller than the window: its top is shown.
        assert_eq!(reveal_scroll(0, 10, 0, 25), 15);
    }
}
