//! Syntax highlighting of fenced code blocks with syntect.
//!
//! syntect's default syntax and theme sets take a noticeable time to load
//! (decompressing and deserializing dumps), so they are loaded once, lazily,
//! in `OnceLock`s; [`warm_up`] lets the app pay that cost on a background
//! thread at start-up instead of on the first frame that shows code.
//!
//! One `HighlightLines` state is made per block (never per line) and lines
//! are fed in order, so multi-line constructs (block comments, strings)
//! colour correctly. A block that is still streaming ends in a partial line:
//! it is highlighted as if it ended with a newline, which is what the
//! `newlines` syntax set expects. Results are cached per block so that a
//! block growing during streaming only highlights its new lines.
//!
//! The first block in a language compiles that syntax's regexes, which no
//! frame can afford: the app moves it to a worker thread (`background`).

mod background;
mod cache;

pub use background::{generation, start as start_background};

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn theme_set() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// Loads syntect's syntaxes and themes now, so that the first code block
/// rendered does not stall a frame. Safe to call from any thread, any
/// number of times.
pub fn warm_up() {
    syntax_set();
    theme_set();
}

/// Names of the colour themes available for code blocks
/// (for `MarkdownTheme::syntax_theme`).
pub fn theme_names() -> Vec<&'static str> {
    theme_set().themes.keys().map(String::as_str).collect()
}

/// Finds a syntax for a fence's language tag: syntect's names and file
/// extensions (`rust`, `rs`, `Python`, `py`, `sh`, `c++`, …), plus common
/// tags that the default set lacks, mapped to the closest syntax it has.
fn find_syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntax_set();
    let lower = lang.to_ascii_lowercase();
    let token = match lower.as_str() {
        "" | "text" | "plain" | "plaintext" | "txt" => return None,
        "ts" | "typescript" | "tsx" | "jsx" | "mjs" | "cjs" | "javascript" => "js",
        "shell" | "zsh" | "console" | "shellsession" | "sh" | "bash" => "bash",
        "jsonc" | "json5" => "json",
        "py3" | "python3" => "py",
        "golang" => "go",
        "c#" | "csharp" => "cs",
        "yml" => "yaml",
        "hs" => "haskell",
        other => other,
    };
    set.find_syntax_by_token(token)
        .or_else(|| set.find_syntax_by_token(lang))
        .filter(|s| s.name != "Plain Text")
}

/// Highlights `code` (one block) line by line. Returns one vector of spans
/// per line, without line endings; every span's style is `base` with the
/// token's foreground colour and font style on top. Returns `None` when the
/// language or the colour theme is unknown, or syntect fails, so that the
/// caller renders the block plainly.
///
/// Complete lines are cached (see [`clear_cache`]): re-highlighting a block that
/// is unchanged or has grown only costs its new lines.
///
/// Once [`start_background`] has run, a block in a language whose regexes are not compiled yet
/// returns `None` at once (drawn plain) and is highlighted on the worker (see `background`).
pub fn highlight_block(
    code: &str,
    lang: Option<&str>,
    theme_name: Option<&str>,
    base: Style,
) -> Option<Vec<Vec<Span<'static>>>> {
    let (lang, theme_name) = (lang?, theme_name?);
    // Before any look-up: the worker may still be loading the tables, and the frame must not
    // wait for them either.
    if !background::ready_now(code, lang, theme_name, base) {
        return None;
    }
    highlight_now(code, lang, theme_name, base)
}

/// [`highlight_block`] in this thread, whatever it costs.
fn highlight_now(
    code: &str,
    lang: &str,
    theme_name: &str,
    base: Style,
) -> Option<Vec<Vec<Span<'static>>>> {
    let syntax = find_syntax(lang)?;
    let theme: &Theme = theme_set().themes.get(theme_name)?;
    let lines: Vec<&str> = LinesWithEndings::from(code).collect();
    let complete = lines.iter().take_while(|l| l.ends_with('\n')).count();
    let key = cache::Key {
        syntax: syntax.name.clone(),
        theme: theme_name.to_string(),
        base,
    };
    let mut entry = cache::take(&key, &lines[..complete]).unwrap_or_else(|| cache::Entry::new(key));
    let mut highlighter = match entry.state.take() {
        Some((highlight, parse)) => HighlightLines::from_state(theme, highlight, parse),
        None => HighlightLines::new(syntax, theme),
    };
    for line in lines.iter().take(complete).skip(entry.lines.len()) {
        let spans = highlight_line(&mut highlighter, line, base)?;
        entry.lines.push((line.to_string(), spans));
    }
    let mut out: Vec<Vec<Span<'static>>> = entry.lines.iter().map(|(_, s)| s.clone()).collect();
    let (highlight, parse) = highlighter.state();
    if let Some(partial) = lines.get(complete) {
        // A streaming block's unfinished last line: highlight it from a copy
        // of the state, as if it ended with a newline, and do not cache it.
        let mut copy = HighlightLines::from_state(theme, highlight.clone(), parse.clone());
        out.push(highlight_line(&mut copy, &format!("{partial}\n"), base)?);
    }
    entry.state = Some((highlight, parse));
    cache::put(entry);
    Some(out)
}

/// Forgets cached highlighting (to free memory, e.g. after clearing a chat).
pub fn clear_cache() {
    cache::clear();
}

/// Lines longer than this are not highlighted (minified JSON and the like
/// can make syntect's regexes very slow); they are shown in the base style.
const MAX_HIGHLIGHT_LINE: usize = 4096;

/// Highlights one line (ending in `\n`) into spans without the newline.
fn highlight_line(
    highlighter: &mut HighlightLines<'_>,
    line: &str,
    base: Style,
) -> Option<Vec<Span<'static>>> {
    if line.len() > MAX_HIGHLIGHT_LINE {
        let text = line.trim_end_matches(['\n', '\r']).to_string();
        return Some(vec![Span::styled(text, base)]);
    }
    let regions = highlighter.highlight_line(line, syntax_set()).ok()?;
    Some(
        regions
            .into_iter()
            .filter_map(|(style, text)| {
                let text = text.trim_end_matches(['\n', '\r']);
                (!text.is_empty()).then(|| Span::styled(text.to_string(), convert(style, base)))
            })
            .collect(),
    )
}

/// Maps a syntect token style onto `base` (which carries the block
/// background): foreground colour and bold/italic/underline.
fn convert(style: syntect::highlighting::Style, base: Style) -> Style {
    let fg = style.foreground;
    let mut out = if fg.a == 0 {
        base
    } else {
        base.fg(Color::Rgb(fg.r, fg.g, fg.b))
    };
    if style.font_style.contains(FontStyle::BOLD) {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        out = out.add_modifier(Modifier::ITALIC);
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        out = out.add_modifier(Modifier::UNDERLINED);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const THEME: Option<&str> = Some("base16-ocean.dark");

    fn fg_of(lines: &[Vec<Span<'_>>], text: &str) -> Option<Color> {
        lines
            .iter()
            .flatten()
            .find(|s| s.content.contains(text))
            .and_then(|s| s.style.fg)
    }

    #[test]
    fn rust_keyword_and_identifier_differ() {
        let lines = highlight_block(
            "fn main() {\n    let x = 1;\n}\n",
            Some("rust"),
            THEME,
            Style::new(),
        )
        .unwrap_or_default();
        assert_eq!(lines.len(), 3);
        let kw = fg_of(&lines, "fn");
        let name = fg_of(&lines, "main");
        assert!(kw.is_some() && name.is_some());
        assert_ne!(kw, name);
    }

    #[test]
    fn partial_last_line_is_highlighted() {
        let lines =
            highlight_block("print(1", Some("python"), THEME, Style::new()).unwrap_or_default();
        assert_eq!(lines.len(), 1);
        let text: String = lines[0].iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "print(1");
        assert!(fg_of(&lines, "print").is_some());
    }

    #[test]
    fn aliases_and_unknowns() {
        for lang in [
            "rs", "RUST", "py", "js", "ts", "sh", "bash", "json", "c++", "yml", "go", "c#",
        ] {
            assert!(find_syntax(lang).is_some(), "{lang}");
        }
        for lang in ["", "text", "no-such-language", "plain"] {
            assert!(find_syntax(lang).is_none(), "{lang}");
        }
        assert!(highlight_block("x", Some("rust"), Some("no such theme"), Style::new()).is_none());
        assert!(highlight_block("x", None, THEME, Style::new()).is_none());
        assert!(theme_names().contains(&"base16-ocean.dark"));
    }

    #[test]
    fn growing_block_matches_fresh_highlighting() {
        let code = "/* a\n   comment */\nfn f() -> &'static str {\n    \"s\"\n}\n";
        let base = Style::new().bg(Color::Rgb(9, 9, 9));
        let full = highlight_block(code, Some("rust"), THEME, base);
        // Feed it as a stream would, then again complete: same result.
        for end in (0..=code.len()).filter(|&i| code.is_char_boundary(i)) {
            let lines = highlight_block(&code[..end], Some("rust"), THEME, base);
            assert!(lines.is_some());
        }
        clear_cache();
        let fresh = highlight_block(code, Some("rust"), THEME, base);
        assert_eq!(highlight_block(code, Some("rust"), THEME, base), fresh);
        assert_eq!(full, fresh);
        // The comment's second line is still coloured as a comment.
        let lines = fresh.unwrap_or_default();
        assert_eq!(lines[1][0].style.fg, lines[0][0].style.fg);
    }

    #[test]
    fn very_long_lines_are_plain() {
        let long = format!(
            "let s = \"{}\";\nfn f() {{}}\n",
            "x".repeat(MAX_HIGHLIGHT_LINE)
        );
        let lines = highlight_block(&long, Some("rust"), THEME, Style::new()).unwrap_or_default();
        assert_eq!(lines[0].len(), 1);
        assert_eq!(lines[0][0].style, Style::new());
        assert!(lines[1].iter().any(|s| s.style.fg.is_some()));
    }

    #[test]
    fn base_style_is_kept() {
        let bg = Style::new().bg(Color::Rgb(1, 2, 3));
        let lines = highlight_block("let a = 1;", Some("rust"), THEME, bg).unwrap_or_default();
        assert!(
            lines
                .iter()
                .flatten()
                .all(|s| s.style.bg == Some(Color::Rgb(1, 2, 3)))
        );
    }
}
