//! Markdown to styled, wrapped ratatui lines.
//!
//! Model replies are markdown. The chat view needs them as `Line`s laid out
//! for the current width, so it can cache them per message and scroll by
//! line. Rendering is a pure function of (source, width, theme): the view
//! re-renders only the message that is streaming, once per frame, so the
//! input is often half-finished markdown. That is fine: pulldown-cmark
//! closes whatever is open at the end of input (an unclosed fence renders the
//! rest as code, an unclosed `**` stays literal text).
//!
//! All text is sanitized (see `crate::text::sanitize`) before parsing, and
//! again after parsing, because character references such as `&#27;` decode
//! to control characters.
//!
//! Layout rules:
//! * Prose is word-wrapped by `crate::text::wrap`; list items get a hanging
//!   indent, quotes a `│ ` gutter on every line.
//! * Code blocks are not word-wrapped. A line longer than the width is cut
//!   between graphemes and continues on the next line (nothing is lost, and
//!   copying uses [`code_blocks`] anyway). Lines are padded to the full width
//!   with the block background, under a label line naming the language and
//!   the block's number for "copy code block N".
//! * No line is wider than `width`, except at widths 0 and 1, where a
//!   two-column character may still need a line of its own.

mod code;
mod containers;
pub mod highlight;
mod render;
mod table;
mod theme;

#[cfg(test)]
mod tests;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use ratatui::text::Line;

use crate::text::sanitize::sanitize_keep_tabs;

pub use highlight::warm_up;
pub use theme::MarkdownTheme;

/// A code block's language tag (first word of the fence's info string) and
/// its text, as it should be copied: escape sequences removed, tabs kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub lang: Option<String>,
    pub code: String,
}

/// Renders markdown to lines at most `width` columns wide (see the module
/// docs for the layout rules). Never panics, whatever the input.
pub fn render_markdown(src: &str, width: u16, theme: &MarkdownTheme) -> Vec<Line<'static>> {
    let src = sanitize_keep_tabs(src);
    render::Renderer::new(width, theme).run(Parser::new_ext(&src, options()))
}

/// The fenced and indented code blocks of `src`, in document order. Block
/// `N` (1-based) here is the block labelled `N` by [`render_markdown`].
pub fn code_blocks(src: &str) -> Vec<CodeBlock> {
    let src = sanitize_keep_tabs(src);
    let mut blocks = Vec::new();
    let mut current: Option<CodeBlock> = None;
    for event in Parser::new_ext(&src, options()) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                current = Some(CodeBlock {
                    lang: block_lang(&kind),
                    code: String::new(),
                });
            }
            Event::Text(text) => {
                if let Some(block) = current.as_mut() {
                    block.code.push_str(&sanitize_keep_tabs(&text));
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks.extend(current);
    blocks
}

/// The parser options: CommonMark plus strikethrough, tables and task lists.
fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS
}

/// Language tag of a code block: the first word of a fence's info string
/// (` ```rust,ignore `, ` ``` {.python} ` and ` ```py title="x" ` all work).
fn block_lang(kind: &CodeBlockKind<'_>) -> Option<String> {
    match kind {
        CodeBlockKind::Indented => None,
        CodeBlockKind::Fenced(info) => info
            .trim_start_matches(['{', '.', ' '])
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}'))
            .next()
            .filter(|lang| !lang.is_empty())
            .map(str::to_string),
    }
}
