//! Tests for `crate::markdown`: content, styles and layout invariants.

use super::*;
use crate::text::wrap::line_width;
use proptest::prelude::*;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

fn render(src: &str, width: u16) -> Vec<Line<'static>> {
    render_markdown(src, width, &MarkdownTheme::default())
}

fn text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

fn texts(lines: &[Line<'_>]) -> Vec<String> {
    lines.iter().map(text).collect()
}

/// The first span whose text is exactly `content`.
fn span<'a>(lines: &'a [Line<'static>], content: &str) -> &'a Span<'static> {
    let found = lines
        .iter()
        .flat_map(|l| &l.spans)
        .find(|s| s.content == content);
    found.unwrap_or_else(|| panic!("no span {content:?} in {:?}", texts(lines)))
}

const SAMPLE: &str = include_str!("sample_reply.md");

#[test]
fn headings_are_styled_with_visible_marker() {
    let theme = MarkdownTheme::default();
    let lines = render("# Title\n\n## Sub\n\ntext", 40);
    assert_eq!(texts(&lines), ["# Title", "", "## Sub", "", "text"]);
    assert_eq!(span(&lines, "Title").style, theme.headings[0]);
    assert_eq!(span(&lines, "Sub").style, theme.headings[1]);
    assert!(
        span(&lines, "# ")
            .style
            .add_modifier
            .contains(Modifier::DIM)
    );
    assert!(
        span(&lines, "Sub")
            .style
            .add_modifier
            .contains(Modifier::BOLD)
    );
    assert_eq!(span(&lines, "text").style, Style::new());
    let wrapped = render("## Heading that wraps", 12);
    assert_eq!(texts(&wrapped), ["## Heading", "   that", "   wraps"]);
}

#[test]
fn inline_styles() {
    let lines = render("plain **bold** *it* ~~gone~~ `code` ***both***", 80);
    assert_eq!(texts(&lines), ["plain bold it gone code both"]);
    assert!(
        span(&lines, "bold")
            .style
            .add_modifier
            .contains(Modifier::BOLD)
    );
    assert!(
        !span(&lines, "plain ")
            .style
            .add_modifier
            .contains(Modifier::BOLD)
    );
    assert!(
        span(&lines, "it")
            .style
            .add_modifier
            .contains(Modifier::ITALIC)
    );
    assert!(
        span(&lines, "gone")
            .style
            .add_modifier
            .contains(Modifier::CROSSED_OUT)
    );
    assert_eq!(
        span(&lines, "code").style,
        MarkdownTheme::default().inline_code
    );
    let both = span(&lines, "both").style.add_modifier;
    assert!(both.contains(Modifier::BOLD | Modifier::ITALIC));
}

#[test]
fn rust_code_block_is_highlighted() {
    let theme = MarkdownTheme::default();
    let lines = render("```rust\nfn main() {\n    let x = 1;\n}\n```", 40);
    assert_eq!(lines.len(), 4);
    assert!(text(&lines[0]).contains("rust") && text(&lines[0]).contains("[1]"));
    assert_eq!(lines[0].spans[0].style, theme.code_label);
    assert_eq!(text(&lines[2]).trim_end(), "     let x = 1;");
    let keyword = span(&lines, "fn").style;
    let ident = span(&lines, "main").style;
    assert!(keyword.fg.is_some() && ident.fg.is_some());
    assert_ne!(keyword.fg, ident.fg);
    assert_eq!(keyword.bg, theme.code_block.bg);
    assert!(
        lines.iter().all(|l| line_width(l) == 40),
        "padded to the width"
    );
}

#[test]
fn unknown_language_is_plain() {
    let theme = MarkdownTheme::default();
    let lines = render("```nosuchlang\nfn main() {}\n```", 30);
    assert!(text(&lines[0]).contains("nosuchlang"));
    assert_eq!(
        text(&lines[1]),
        format!(" fn main() {{}}{}", " ".repeat(17))
    );
    assert!(lines[1].spans.iter().all(|s| s.style == theme.code_block));
    let indented = render("para\n\n    indented code\n", 30);
    assert!(
        text(&indented[2]).contains(" code "),
        "{:?}",
        texts(&indented)
    );
    assert_eq!(text(&indented[3]).trim_end(), " indented code");
}

#[test]
fn cjk_paragraph_wraps_within_width() {
    let src = "日本語の文章は単語の間に空白がありませんが、正しく折り返す必要があります。中文也是一样的。";
    for width in [7u16, 10, 21, 40] {
        let lines = render(src, width);
        assert!(lines.len() > 1);
        assert!(
            lines.iter().all(|l| line_width(l) <= usize::from(width)),
            "{width}"
        );
        assert_eq!(texts(&lines).concat(), src);
    }
}

#[test]
fn nested_lists_indent() {
    let lines = render("- a\n  - b\n    - c\n- d\n\n1. one\n2. two", 40);
    assert_eq!(
        texts(&lines),
        ["• a", "  ◦ b", "    ▪ c", "• d", "", "1. one", "2. two"]
    );
    assert_eq!(
        span(&lines, "• ").style,
        MarkdownTheme::default().list_marker
    );
    let lines = render("- first item wraps here\n  1. nested number wraps", 14);
    assert_eq!(
        texts(&lines),
        [
            "• first item",
            "  wraps here",
            "  1. nested",
            "     number",
            "     wraps"
        ]
    );
}

#[test]
fn loose_lists_and_tasks() {
    let lines = render("- a\n\n- b\n\n* [x] done\n* [ ] todo", 40);
    assert_eq!(
        texts(&lines),
        ["• a", "", "• b", "", "• [x] done", "• [ ] todo"]
    );
}

#[test]
fn quotes_have_gutter() {
    let theme = MarkdownTheme::default();
    let lines = render("> quoted text that wraps\n>\n> second\n\nafter", 12);
    assert_eq!(
        texts(&lines),
        [
            "│ quoted",
            "│ text that",
            "│ wraps",
            "│",
            "│ second",
            "",
            "after"
        ]
    );
    assert_eq!(lines[1].spans[0].style, theme.quote_gutter);
    assert!(
        span(&lines, "second")
            .style
            .add_modifier
            .contains(Modifier::ITALIC)
    );
    let nested = render("> a\n> > b", 20);
    assert_eq!(texts(&nested), ["│ a", "│", "│ │ b"]);
}

#[test]
fn links_rules_tables() {
    let lines = render("see [docs](https://x.io/a) or <https://y.io>", 80);
    assert_eq!(texts(&lines), ["see docs (https://x.io/a) or https://y.io"]);
    assert!(
        span(&lines, "docs")
            .style
            .add_modifier
            .contains(Modifier::UNDERLINED)
    );
    assert_eq!(
        span(&lines, " (https://x.io/a)").style,
        MarkdownTheme::default().link_url
    );
    assert_eq!(
        texts(&render("a\n\n---\n\nb", 6)),
        ["a", "", "──────", "", "b"]
    );
    let table = render("| a | b |\n|---|--:|\n| 1 | 22 |", 40);
    assert_eq!(texts(&table), ["a │  b", "──┼───", "1 │ 22"]);
}

#[test]
fn partial_input_renders_sanely() {
    let lines = render("```python\nprint(1", 30);
    assert!(text(&lines[0]).contains("python"));
    assert_eq!(text(&lines[1]).trim_end(), " print(1");
    assert!(span(&lines, "print").style.fg != MarkdownTheme::default().code_block.fg);
    let lines = render("**bol", 30);
    assert_eq!(texts(&lines), ["**bol"]);
    assert!(
        lines[0]
            .spans
            .iter()
            .all(|s| !s.style.add_modifier.contains(Modifier::BOLD))
    );
    assert_eq!(texts(&render("- item\n- ", 30)), ["• item", "•"]);
    assert_eq!(texts(&render("```", 10)), [" code [1] "]);
    assert_eq!(texts(&render("| a | b |\n|---", 20)), ["| a | b | |---"]);
}

#[test]
fn escapes_are_removed() {
    let src = "Hi \x1b[31mred\x1b[0m **b\x1b]0;title\x07old** &#27;[2J &#x9b;1m\n\n```\n\x1b[1mx\u{202e}\n```";
    for line in render(src, 40) {
        for c in text(&line).chars() {
            assert!(
                !c.is_control() && !('\u{202a}'..='\u{202e}').contains(&c),
                "{c:?}"
            );
        }
    }
    assert_eq!(text(&render(src, 40)[0]), "Hi red bold [2J 1m");
}

#[test]
fn code_blocks_are_listed_in_render_order() {
    let src = "```rust ignore\nfn a() {}\n```\n\ntext\n\n    indented\n\n- item\n\n  ```py\n  \tx\n  ```\n\n```sh";
    let blocks = code_blocks(src);
    let langs: Vec<_> = blocks.iter().map(|b| b.lang.as_deref()).collect();
    assert_eq!(langs, [Some("rust"), None, Some("py"), Some("sh")]);
    assert_eq!(blocks[0].code, "fn a() {}\n");
    assert_eq!(blocks[1].code, "indented\n");
    assert_eq!(blocks[2].code, "\tx\n", "tabs kept for copying");
    assert_eq!(blocks[3].code, "");
    let rendered = texts(&render(src, 40));
    for (n, lang) in [(1, "rust"), (2, "code"), (3, "py"), (4, "sh")] {
        let label = rendered.iter().find(|l| l.contains(&format!("[{n}]")));
        assert!(label.is_some_and(|l| l.contains(lang)), "{rendered:?}");
    }
}

#[test]
fn renders_sample_reply() {
    assert!(SAMPLE.len() >= 2000);
    let lines = render(SAMPLE, 80);
    assert!(lines.len() > 60);
    assert!(lines.iter().all(|l| line_width(l) <= 80));
    assert_eq!(code_blocks(SAMPLE).len(), 1);
    assert_eq!(code_blocks(SAMPLE)[0].code.lines().count(), 40);
}

#[test]
fn tiny_widths_never_panic() {
    for width in 0..=5u16 {
        for line in render(SAMPLE, width) {
            assert!(
                line_width(&line) <= usize::from(width.max(2)),
                "{width}: {line:?}"
            );
        }
    }
}

fn markdownish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[a-z]{1,10}",
        "[中文字日本語]{1,8}",
        prop::sample::select(vec![
            " ",
            " ",
            "\n",
            "\n\n",
            "# ",
            "### ",
            "- ",
            "  - ",
            "1. ",
            "> ",
            "> > ",
            "```",
            "```rust\n",
            "```python\n",
            "~~~",
            "    ",
            "**",
            "*",
            "_",
            "~~",
            "`",
            "[a](http://b.c)",
            "<http://x.y>",
            "![img](p.png)",
            "| a | b |\n|---|:-:|\n",
            "| 1 | 2 |",
            "---",
            "***",
            "\t",
            "\x1b[31m",
            "\x1b]8;;x\x07",
            "&#27;",
            "&amp;",
            "<br>",
            "<div>",
            "[x] ",
            "👩\u{200d}👩\u{200d}👧",
            "e\u{301}",
            "\u{202e}",
            "\r\n",
            "fn main() { let x = 1; }",
            "\\",
            "a_b",
            "   ",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(token, 0..60).prop_map(|t| t.concat())
}

proptest! {
    #[test]
    fn any_markdown_any_width(src in markdownish(), width in 0u16..120) {
        let lines = render(&src, width);
        let limit = usize::from(width.max(2));
        for line in &lines {
            prop_assert!(line_width(line) <= limit, "{width}: {line:?}");
            prop_assert!(line.width() <= limit, "{width}: {line:?}");
            prop_assert!(!text(line).contains(|c: char| c.is_control()), "{line:?}");
        }
        let _ = code_blocks(&src);
    }
}
