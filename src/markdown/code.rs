//! Layout of fenced and indented code blocks.
//!
//! Code must keep its line structure to stay readable, so it is never
//! word-wrapped: a line longer than the width is cut between graphemes and
//! continues on the next screen line (nothing is hidden). Every line is
//! padded to the full width with the block background so the block reads as
//! one rectangle, under a label line with the language and the block number
//! used by "copy code block N".

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use super::{MarkdownTheme, highlight};
use crate::text::sanitize::sanitize;
use crate::text::wrap::{fit_prefix, hard_wrap_spans, line_width, str_width};

/// What the renderer knows about a finished (or unterminated) block.
pub(super) struct Block<'a> {
    pub lang: Option<&'a str>,
    pub code: &'a str,
    /// 1-based number shown on the label line, if numbering is on.
    pub number: Option<usize>,
}

/// Lays out one code block: a label line (after the `first` prefix), then
/// the code lines (after the `rest` prefix), none wider than `width`.
pub(super) fn render(
    block: &Block<'_>,
    width: u16,
    first: &[Span<'_>],
    rest: &[Span<'_>],
    theme: &MarkdownTheme,
) -> Vec<Line<'static>> {
    let total = usize::from(width.max(1));
    let (first, first_w) = fit_prefix(first, width);
    let (rest, rest_w) = fit_prefix(rest, width);
    let label = label_spans(
        block.lang.unwrap_or("code"),
        block.number,
        total - first_w,
        theme.code_label,
    );
    let mut out = vec![Line::from([first, label].concat())];

    let avail = total - rest_w;
    // One column of padding inside the block, when there is room for it.
    let pad = usize::from(avail >= 8);
    let expanded = expand_tabs(block.code);
    let code = sanitize(&expanded);
    let base = theme.code_block;
    let lines = highlight::highlight_block(&code, block.lang, theme.syntax_theme.as_deref(), base)
        .unwrap_or_else(|| plain_lines(&code, base));
    let inner = u16::try_from(avail - pad).unwrap_or(u16::MAX);
    for spans in lines {
        for piece in hard_wrap_spans(&spans, inner) {
            let used = pad + line_width(&piece);
            let mut line = rest.clone();
            if pad > 0 {
                line.push(Span::styled(" ", base));
            }
            line.extend(piece.spans);
            if used < avail {
                line.push(Span::styled(" ".repeat(avail - used), base));
            }
            out.push(Line::from(line));
        }
    }
    out
}

/// Unhighlighted lines, for unknown languages or when highlighting is off.
fn plain_lines(code: &str, style: Style) -> Vec<Vec<Span<'static>>> {
    code.lines()
        .map(|line| vec![Span::styled(line.to_string(), style)])
        .collect()
}

/// ` rust            [2] ` filling `avail` columns; the number is dropped
/// and then the name cut when there is not enough room.
fn label_spans(
    lang: &str,
    number: Option<usize>,
    avail: usize,
    style: Style,
) -> Vec<Span<'static>> {
    let name = format!(" {} ", sanitize(lang));
    let number = number.map(|n| format!("[{n}] ")).unwrap_or_default();
    let (name_w, number_w) = (str_width(&name), str_width(&number));
    let text = if name_w + number_w <= avail {
        format!("{name}{}{number}", " ".repeat(avail - name_w - number_w))
    } else if name_w <= avail {
        format!("{name}{}", " ".repeat(avail - name_w))
    } else {
        let cut = hard_wrap_spans(&[Span::raw(name)], u16::try_from(avail).unwrap_or(u16::MAX));
        cut.into_iter()
            .next()
            .map(|line| line.spans.iter().map(|s| s.content.to_string()).collect())
            .unwrap_or_default()
    };
    vec![Span::styled(text, style)]
}

/// Expands tabs to the next multiple of four columns, per line, so code
/// keeps its alignment (plain `sanitize` would give a fixed four spaces).
fn expand_tabs(code: &str) -> Cow<'_, str> {
    if !code.contains('\t') {
        return Cow::Borrowed(code);
    }
    let mut out = String::with_capacity(code.len() + 16);
    let mut col = 0;
    for c in code.chars() {
        match c {
            '\t' => {
                let n = 4 - col % 4;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
            }
            '\n' => {
                out.push(c);
                col = 0;
            }
            c => {
                out.push(c);
                col += c.width().unwrap_or(0);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn tabs_expand_to_stops() {
        assert_eq!(expand_tabs("\tx\nab\tc\n中\td"), "    x\nab  c\n中  d");
        assert!(matches!(expand_tabs("no tabs"), Cow::Borrowed(_)));
    }

    #[test]
    fn label_fits_or_shrinks() {
        let style = Style::new();
        let full = label_spans("rust", Some(3), 20, style);
        assert_eq!(full[0].content, format!(" rust {}[3] ", " ".repeat(10)));
        assert_eq!(
            label_spans("rust", Some(3), 8, style)[0].content,
            " rust   "
        );
        assert_eq!(label_spans("rust", Some(3), 3, style)[0].content, " ru");
    }

    #[test]
    fn long_lines_are_cut_not_wrapped_at_words() {
        let theme = MarkdownTheme {
            syntax_theme: None,
            ..MarkdownTheme::default()
        };
        let block = Block {
            lang: None,
            code: "aaaa bbbb cccc\n",
            number: None,
        };
        let lines = render(&block, 10, &[], &[], &theme);
        let texts: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(texts, [" code     ", " aaaa bbbb", "  cccc    "]);
        assert!(lines.iter().all(|l| line_width(l) == 10));
    }
}
