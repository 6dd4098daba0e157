//! Layout of GFM tables.
//!
//! Models like tables for comparisons. When the columns fit, cells are
//! aligned in columns separated by `│`, with a rule under the header; when
//! they do not, the widest columns are narrowed and their cells wrapped
//! inside the column. When even that cannot work (very narrow views or very
//! many columns), each row becomes a wrapped line of `a │ b │ c`.

use pulldown_cmark::Alignment;
use ratatui::text::{Line, Span};

use super::MarkdownTheme;
use crate::text::wrap::{line_width, str_width, wrap_spans};

const SEPARATOR: &str = " │ ";
/// Narrowest a column is squeezed to; two columns fit any character.
const MIN_COLUMN: usize = 2;

/// A table being collected from parser events.
pub(super) struct Table {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Span<'static>>>>,
    header_rows: usize,
}

impl Table {
    pub(super) fn new(aligns: Vec<Alignment>) -> Self {
        Self {
            aligns,
            rows: Vec::new(),
            header_rows: 0,
        }
    }

    pub(super) fn start_row(&mut self) {
        self.rows.push(Vec::new());
    }

    pub(super) fn end_head(&mut self) {
        self.header_rows = self.rows.len();
    }

    pub(super) fn push_cell(&mut self, cell: Vec<Span<'static>>) {
        if self.rows.is_empty() {
            self.rows.push(Vec::new());
        }
        if let Some(row) = self.rows.last_mut() {
            row.push(cell);
        }
    }

    /// Lays the table out in `width` columns: one vector of spans per line.
    pub(super) fn render(mut self, width: usize, theme: &MarkdownTheme) -> Vec<Vec<Span<'static>>> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return Vec::new();
        }
        for (i, row) in self.rows.iter_mut().enumerate() {
            row.resize_with(columns, Vec::new);
            if i < self.header_rows {
                for span in row.iter_mut().flatten() {
                    span.style = span.style.patch(theme.table_header);
                }
            }
        }
        let seps = str_width(SEPARATOR) * (columns - 1);
        let budget = width.saturating_sub(seps);
        if budget < MIN_COLUMN * columns {
            return self.render_as_text(width, theme);
        }
        let natural: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .map(|row| cell_width(&row[c]))
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        let widths = fit_columns(&natural, budget);

        let mut out = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            let cells: Vec<Vec<Line<'static>>> = row
                .iter()
                .zip(&widths)
                .map(|(cell, &w)| wrap_spans(cell, u16::try_from(w).unwrap_or(u16::MAX)))
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for h in 0..height {
                let mut line = Vec::new();
                for (c, cell) in cells.iter().enumerate() {
                    if c > 0 {
                        line.push(Span::styled(SEPARATOR, theme.table_border));
                    }
                    let align = self.aligns.get(c).copied().unwrap_or(Alignment::None);
                    let content = cell.get(h).cloned().unwrap_or_default();
                    aligned(&mut line, content, widths[c], align);
                }
                out.push(line);
            }
            if i + 1 == self.header_rows {
                let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
                out.push(vec![Span::styled(rule.join("─┼─"), theme.table_border)]);
            }
        }
        out
    }

    /// Fallback for tables that cannot be laid out in columns.
    fn render_as_text(self, width: usize, theme: &MarkdownTheme) -> Vec<Vec<Span<'static>>> {
        let width16 = u16::try_from(width).unwrap_or(u16::MAX);
        let mut out = Vec::new();
        for (i, row) in self.rows.into_iter().enumerate() {
            let mut spans = Vec::new();
            for (c, cell) in row.into_iter().enumerate() {
                if c > 0 {
                    spans.push(Span::styled(SEPARATOR, theme.table_border));
                }
                spans.extend(cell);
            }
            out.extend(wrap_spans(&spans, width16).into_iter().map(|l| l.spans));
            if i + 1 == self.header_rows {
                out.push(vec![Span::styled(
                    "─".repeat(width.max(1)),
                    theme.table_border,
                )]);
            }
        }
        out
    }
}

/// Column widths within `budget` (which allows `MIN_COLUMN` per column):
/// natural widths if they fit, else the widest columns are capped at a
/// common width, found by binary search, and the leftover columns handed
/// out one by one.
fn fit_columns(natural: &[usize], budget: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= budget {
        return natural.to_vec();
    }
    let capped = |cap: usize| natural.iter().map(|&n| n.min(cap)).sum::<usize>();
    // Invariant: capped(lo) fits, capped(hi) does not.
    let (mut lo, mut hi) = (
        MIN_COLUMN,
        natural.iter().copied().max().unwrap_or(MIN_COLUMN),
    );
    while hi > lo + 1 {
        let mid = lo + (hi - lo) / 2;
        if capped(mid) <= budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let mut widths: Vec<usize> = natural.iter().map(|&n| n.min(lo)).collect();
    let mut spare = budget.saturating_sub(widths.iter().sum());
    for (w, &n) in widths.iter_mut().zip(natural) {
        if spare > 0 && n > *w {
            *w += 1;
            spare -= 1;
        }
    }
    widths
}

fn cell_width(cell: &[Span<'_>]) -> usize {
    cell.iter().map(|s| str_width(&s.content)).sum()
}

/// Appends `content` padded with spaces to `width` per the alignment.
fn aligned(out: &mut Vec<Span<'static>>, content: Line<'static>, width: usize, align: Alignment) {
    let slack = width.saturating_sub(line_width(&content));
    let (left, right) = match align {
        Alignment::Right => (slack, 0),
        Alignment::Center => (slack / 2, slack - slack / 2),
        Alignment::None | Alignment::Left => (0, slack),
    };
    if left > 0 {
        out.push(Span::raw(" ".repeat(left)));
    }
    out.extend(content.spans);
    if right > 0 {
        out.push(Span::raw(" ".repeat(right)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> Vec<Span<'static>> {
        vec![Span::raw(s.to_string())]
    }

    fn text(line: &[Span<'_>]) -> String {
        line.iter().map(|s| s.content.as_ref()).collect()
    }

    fn table(rows: &[&[&str]], aligns: Vec<Alignment>) -> Table {
        let mut t = Table::new(aligns);
        for (i, row) in rows.iter().enumerate() {
            t.start_row();
            for c in row.iter() {
                t.push_cell(cell(c));
            }
            if i == 0 {
                t.end_head();
            }
        }
        t
    }

    #[test]
    fn aligned_columns() {
        let t = table(
            &[&["a", "bb"], &["ccc", "d"]],
            vec![Alignment::Left, Alignment::Right],
        );
        let lines = t.render(40, &MarkdownTheme::default());
        let texts: Vec<String> = lines.iter().map(|l| text(l)).collect();
        assert_eq!(texts, ["a   │ bb", "────┼───", "ccc │  d"]);
    }

    #[test]
    fn columns_are_capped_fairly() {
        assert_eq!(fit_columns(&[3, 4], 10), [3, 4]);
        assert_eq!(fit_columns(&[3, 20, 30], 23), [3, 10, 10]);
        assert_eq!(fit_columns(&[1, 1_000_000, 1_000_000], 24), [1, 12, 11]);
        assert_eq!(fit_columns(&[5, 5, 5], 6), [2, 2, 2]);
    }

    #[test]
    fn narrow_tables_wrap_cells_or_fall_back() {
        let t = table(
            &[&["name", "description"], &["x", "a long description here"]],
            vec![],
        );
        let lines = t.render(16, &MarkdownTheme::default());
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| str_width(&text(l)) <= 16), "{lines:?}");
        let t = table(&[&["a", "b", "c", "d"]], vec![]);
        let lines = t.render(5, &MarkdownTheme::default());
        assert!(lines.iter().all(|l| str_width(&text(l)) <= 5), "{lines:?}");
    }
}
