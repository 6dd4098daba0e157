//! Tests for `crate::text::wrap`.

use super::*;
use proptest::prelude::*;
use ratatui::style::{Modifier, Style};

fn texts(lines: &[Line<'_>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

fn plain(s: &str, width: u16) -> Vec<String> {
    texts(&wrap_spans(&[Span::raw(s)], width))
}

#[test]
fn breaks_at_spaces() {
    assert_eq!(plain("hello world foo", 11), ["hello world", "foo"]);
    assert_eq!(plain("hello world foo", 80), ["hello world foo"]);
    assert_eq!(plain("a  b", 1), ["a", "b"]);
    assert_eq!(plain("  indented text", 20), ["  indented text"]);
    assert_eq!(plain("trailing   ", 20), ["trailing"]);
}

#[test]
fn empty_and_newlines() {
    assert_eq!(plain("", 10), [""]);
    assert_eq!(plain("a\nb", 10), ["a", "b"]);
    assert_eq!(plain("a\n", 10), ["a", ""]);
    assert_eq!(plain("a\r\n\nb", 10), ["a", "", "b"]);
}

#[test]
fn long_words_are_broken() {
    assert_eq!(plain("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    assert_eq!(plain("see abcdefghij", 6), ["see", "abcdef", "ghij"]);
}

#[test]
fn cjk_breaks_between_characters() {
    assert_eq!(plain("中文字符测试", 5), ["中文", "字符", "测试"]);
    assert_eq!(plain("中文。中文", 4), ["中", "文。", "中文"]);
    assert_eq!(
        plain("日本語とEnglish混在", 10),
        ["日本語と", "English混", "在"]
    );
    for line in wrap_spans(&[Span::raw("一二三四五六七八九十".repeat(5))], 7) {
        assert!(line_width(&line) <= 7);
    }
}

#[test]
fn clusters_stay_whole() {
    let family = "👩\u{200d}👩\u{200d}👧";
    assert_eq!(plain(&format!("{family}{family}"), 2), [family, family]);
    assert_eq!(plain("e\u{301}e\u{301}", 1), ["e\u{301}", "e\u{301}"]);
    assert_eq!(plain("a\u{200b}b", 1), ["a\u{200b}", "b"]);
}

#[test]
fn tiny_widths_clamp() {
    assert_eq!(plain("中a", 0), ["中", "a"]);
    assert_eq!(plain("ab c", 1), ["a", "b", "c"]);
    assert_eq!(plain("中文", 2), ["中", "文"]);
}

#[test]
fn styles_survive_breaks() {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let lines = wrap_spans(&[Span::styled("hello wo", bold), Span::raw("rld")], 6);
    assert_eq!(texts(&lines), ["hello", "world"]);
    assert_eq!(lines[0].spans[0].style, bold);
    assert_eq!(lines[1].spans[0].content, "wo");
    assert_eq!(lines[1].spans[0].style, bold);
    assert_eq!(lines[1].spans[1].content, "rld");
    assert_eq!(lines[1].spans[1].style, Style::new());
}

#[test]
fn hanging_indent() {
    let lines = wrap_spans_indented(
        &[Span::raw("one two three")],
        9,
        &[Span::raw("• ")],
        &[Span::raw("  ")],
    );
    assert_eq!(texts(&lines), ["• one two", "  three"]);
    // A prefix too wide for the width loses its left end.
    let lines = wrap_spans_indented(&[Span::raw("ab")], 4, &[Span::raw("    • ")], &[]);
    assert_eq!(texts(&lines), ["• ab"]);
    let lines = wrap_spans_indented(&[Span::raw("ab")], 1, &[Span::raw("• ")], &[]);
    assert_eq!(texts(&lines), ["a", "b"]);
}

#[test]
fn hard_wrap_ignores_words() {
    let lines = hard_wrap_spans(&[Span::raw("abc def")], 3);
    assert_eq!(texts(&lines), ["abc", " de", "f"]);
    assert_eq!(texts(&hard_wrap_spans(&[Span::raw("")], 3)), [""]);
    assert_eq!(
        texts(&hard_wrap_spans(&[Span::raw("中文字")], 5)),
        ["中文", "字"]
    );
    assert_eq!(texts(&hard_wrap_spans(&[Span::raw("中a")], 0)), ["中", "a"]);
}

#[test]
fn halfwidth_marks_split() {
    // ratatui counts "ｶﾞ" as three cells; it must still fit in two.
    for line in wrap_spans(&[Span::raw("ｶﾞｶﾞ")], 2) {
        assert!(line_width(&line) <= 2);
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,12}",
        Just(" ".to_string()),
        Just("  ".to_string()),
        "[中文字符日本語한국어。、（）]{1,6}",
        prop::sample::select(vec![
            "👩\u{200d}👩\u{200d}👧",
            "e\u{301}",
            "🇯🇵",
            "\u{200b}",
            "ｶﾞ",
            "❤\u{fe0f}",
            "\u{3000}",
            "-",
            ",",
        ])
        .prop_map(str::to_string),
    ]
}

fn styled_spans() -> impl Strategy<Value = Vec<Span<'static>>> {
    prop::collection::vec((piece(), 0u8..4), 0..30).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(text, style)| {
                let style = match style {
                    0 => Style::new(),
                    1 => Style::new().add_modifier(Modifier::BOLD),
                    2 => Style::new().add_modifier(Modifier::ITALIC),
                    _ => Style::new().fg(ratatui::style::Color::Red),
                };
                Span::styled(text, style)
            })
            .collect()
    })
}

/// Flattens spans to (char, style) pairs.
fn chars_of<'a>(spans: impl IntoIterator<Item = &'a Span<'a>>) -> Vec<(char, Style)> {
    spans
        .into_iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect()
}

/// Each output line must be the next contiguous piece of the input, with
/// only spaces skipped between lines.
fn assert_pieces(input: &[(char, Style)], lines: &[Line<'_>]) {
    let is_space = |c: char| c == ' ' || c == '\u{3000}';
    let mut pos = 0;
    for line in lines {
        let out = chars_of(&line.spans);
        let mut skip = 0;
        loop {
            if input[pos + skip..].starts_with(&out) {
                break;
            }
            assert!(
                pos + skip < input.len() && is_space(input[pos + skip].0),
                "line {out:?} not found at {pos}"
            );
            skip += 1;
        }
        pos += skip + out.len();
    }
    assert!(
        input[pos..].iter().all(|(c, _)| is_space(*c)),
        "lost {:?}",
        &input[pos..]
    );
}

proptest! {
    #[test]
    fn wrap_fits_and_keeps_text(spans in styled_spans(), width in 0u16..40) {
        let lines = wrap_spans(&spans, width);
        let limit = usize::from(width.max(2));
        for line in &lines {
            prop_assert!(line_width(line) <= limit, "{line:?} wider than {limit}");
            prop_assert!(line.width() <= limit, "{line:?} wider than {limit}");
        }
        assert_pieces(&chars_of(&spans), &lines);
    }

    #[test]
    fn indented_wrap_fits(spans in styled_spans(), width in 0u16..30, indent in 0usize..12) {
        let first = [Span::raw(format!("{}• ", " ".repeat(indent)))];
        let rest = [Span::raw(" ".repeat(indent + 2))];
        let limit = usize::from(width.max(2));
        for line in wrap_spans_indented(&spans, width, &first, &rest) {
            prop_assert!(line_width(&line) <= limit, "{line:?} wider than {limit}");
        }
    }

    #[test]
    fn hard_wrap_fits_and_keeps_everything(spans in styled_spans(), width in 0u16..40) {
        let lines = hard_wrap_spans(&spans, width);
        let limit = usize::from(width.max(2));
        for line in &lines {
            prop_assert!(line_width(line) <= limit);
        }
        let out: Vec<_> = lines.iter().flat_map(|l| chars_of(&l.spans)).collect();
        prop_assert_eq!(out, chars_of(&spans));
    }
}
