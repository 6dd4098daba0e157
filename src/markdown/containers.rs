//! The stack of open block containers (block quotes, lists, list items)
//! and the line prefixes they put in front of their content.
//!
//! A quote adds a `│ ` gutter to every line. An item shows its marker
//! (`• `, `2. `) on the first line rendered inside it and indents every
//! other line by the marker's width, which gives wrapped and nested content
//! a hanging indent. An item whose first content is a nested list shows
//! both markers on one line (`• ◦ x`), as CommonMark means it.

use ratatui::text::{Line, Span};

use super::MarkdownTheme;
use crate::text::wrap::{fit_prefix, str_width};

enum Container {
    Quote,
    List { next: Option<u64> },
    Item { marker: String, used: bool },
}

/// Bullets by nesting depth.
const BULLETS: [&str; 3] = ["• ", "◦ ", "▪ "];

#[derive(Default)]
pub(super) struct Containers {
    stack: Vec<Container>,
}

/// Prefix spans for the first line of a block and for the lines after it.
pub(super) type Prefixes = (Vec<Span<'static>>, Vec<Span<'static>>);

impl Containers {
    pub(super) fn push_quote(&mut self) {
        self.stack.push(Container::Quote);
    }

    /// Opens a list; `first` is the start number of an ordered list.
    pub(super) fn push_list(&mut self, first: Option<u64>) {
        self.stack.push(Container::List { next: first });
    }

    /// Opens an item of the innermost list, numbering or bulleting it.
    pub(super) fn push_item(&mut self) {
        let depth = self
            .stack
            .iter()
            .filter(|c| matches!(c, Container::List { .. }))
            .count();
        let list = self.stack.iter_mut().rev().find_map(|c| match c {
            Container::List { next } => Some(next),
            _ => None,
        });
        let marker = match list {
            Some(Some(n)) => {
                let marker = format!("{n}. ");
                *n = n.saturating_add(1);
                marker
            }
            _ => BULLETS[depth.saturating_sub(1) % BULLETS.len()].to_string(),
        };
        self.stack.push(Container::Item {
            marker,
            used: false,
        });
    }

    /// Closes the innermost container (whatever it is; the parser's events
    /// are well nested).
    pub(super) fn pop(&mut self) {
        self.stack.pop();
    }

    pub(super) fn in_quote(&self) -> bool {
        self.stack.iter().any(|c| matches!(c, Container::Quote))
    }

    pub(super) fn in_item(&self) -> bool {
        self.stack
            .iter()
            .any(|c| matches!(c, Container::Item { .. }))
    }

    /// True when the innermost container is an item that has not shown its
    /// marker yet (an empty item, e.g. a `- ` just typed).
    pub(super) fn item_is_empty(&self) -> bool {
        matches!(self.stack.last(), Some(Container::Item { used: false, .. }))
    }

    /// Prefixes for a new block's lines. The first line takes the markers
    /// of items that have not shown theirs, so they are marked as shown.
    pub(super) fn take_prefixes(&mut self, theme: &MarkdownTheme) -> Prefixes {
        let prefixes = self.prefixes(theme);
        for container in &mut self.stack {
            if let Container::Item { used, .. } = container {
                *used = true;
            }
        }
        prefixes
    }

    /// A blank separator line: gutters and indents only, no trailing blanks.
    pub(super) fn blank_line(&self, theme: &MarkdownTheme, width: u16) -> Line<'static> {
        let (_, rest) = self.prefixes(theme);
        trim_end(fit_prefix(&rest, width).0)
    }

    /// A line showing only the pending markers, for an item with no content.
    pub(super) fn marker_line(&mut self, theme: &MarkdownTheme, width: u16) -> Line<'static> {
        let (first, _) = self.take_prefixes(theme);
        trim_end(fit_prefix(&first, width).0)
    }

    fn prefixes(&self, theme: &MarkdownTheme) -> Prefixes {
        let (mut first, mut rest) = (Vec::new(), Vec::new());
        for container in &self.stack {
            match container {
                Container::Quote => {
                    let gutter = Span::styled("│ ", theme.quote_gutter);
                    first.push(gutter.clone());
                    rest.push(gutter);
                }
                Container::Item { marker, used } => {
                    let pad = Span::raw(" ".repeat(str_width(marker)));
                    first.push(if *used {
                        pad.clone()
                    } else {
                        Span::styled(marker.clone(), theme.list_marker)
                    });
                    rest.push(pad);
                }
                Container::List { .. } => {}
            }
        }
        (first, rest)
    }
}

/// A line from prefix spans without trailing blanks.
fn trim_end(mut spans: Vec<Span<'static>>) -> Line<'static> {
    while let Some(last) = spans.last_mut() {
        let trimmed = last.content.trim_end();
        if trimmed.is_empty() {
            spans.pop();
        } else {
            if trimmed.len() < last.content.len() {
                last.content = trimmed.to_string().into();
            }
            break;
        }
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn markers_show_once_then_indent() {
        let theme = MarkdownTheme::default();
        let mut c = Containers::default();
        c.push_quote();
        c.push_list(Some(9));
        c.push_item();
        let (first, rest) = c.take_prefixes(&theme);
        assert_eq!(
            (text(&first), text(&rest)),
            ("│ 9. ".into(), "│    ".into())
        );
        assert_eq!(text(&c.take_prefixes(&theme).0), "│    ");
        c.pop();
        c.push_item();
        assert!(c.item_is_empty());
        assert_eq!(text(&c.blank_line(&theme, 20).spans), "│");
        assert_eq!(text(&c.marker_line(&theme, 20).spans), "│ 10.");
        assert!(c.in_quote() && c.in_item() && !c.item_is_empty());
    }

    #[test]
    fn bullets_change_with_depth() {
        let theme = MarkdownTheme::default();
        let mut c = Containers::default();
        for _ in 0..4 {
            c.push_list(None);
            c.push_item();
        }
        assert_eq!(text(&c.take_prefixes(&theme).0), "• ◦ ▪ • ");
    }
}
