//! Styles used by the markdown renderer.
//!
//! Kept as plain data so the app can build its own (from a config file, or a
//! light variant) without touching the renderer. The default is a dark
//! palette taken from base16-ocean, which is also the default syntax
//! theme for code blocks, so prose and code look like one design.

use ratatui::style::{Modifier, Style};

/// base16-ocean palette.
mod palette {
    use ratatui::style::Color;

    pub const BG: Color = Color::Rgb(0x2b, 0x30, 0x3b);
    pub const BG_LIGHT: Color = Color::Rgb(0x34, 0x3d, 0x46);
    pub const SELECTION: Color = Color::Rgb(0x4f, 0x5b, 0x66);
    pub const COMMENT: Color = Color::Rgb(0x65, 0x73, 0x7e);
    pub const DARK_FG: Color = Color::Rgb(0xa7, 0xad, 0xba);
    pub const FG: Color = Color::Rgb(0xc0, 0xc5, 0xce);
    pub const ORANGE: Color = Color::Rgb(0xd0, 0x87, 0x70);
    pub const YELLOW: Color = Color::Rgb(0xeb, 0xcb, 0x8b);
    pub const GREEN: Color = Color::Rgb(0xa3, 0xbe, 0x8c);
    pub const CYAN: Color = Color::Rgb(0x96, 0xb5, 0xb4);
    pub const BLUE: Color = Color::Rgb(0x8f, 0xa1, 0xb3);
    pub const MAGENTA: Color = Color::Rgb(0xb4, 0x8e, 0xad);
}

/// Every style the renderer uses. Inline styles (`emphasis`, `strong`,
/// `link`, …) are patched onto the style of the surrounding text, so
/// `***both***` is bold and italic and a link inside a heading keeps the
/// heading colour where the link style sets none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownTheme {
    /// Base style of all prose.
    pub text: Style,
    /// Headings, `#` to `######`.
    pub headings: [Style; 6],
    /// Patched onto the heading style for the visible `## ` marker.
    pub heading_marker: Style,
    pub emphasis: Style,
    pub strong: Style,
    pub strikethrough: Style,
    /// `` `inline code` ``.
    pub inline_code: Style,
    /// Link text.
    pub link: Style,
    /// The ` (url)` shown after link text.
    pub link_url: Style,
    /// Bullets, numbers and task boxes of list items.
    pub list_marker: Style,
    /// The `│` gutter of block quotes.
    pub quote_gutter: Style,
    /// Patched onto text inside block quotes.
    pub quote_text: Style,
    /// Horizontal rules.
    pub rule: Style,
    /// Code block lines: the background fills the block's width.
    pub code_block: Style,
    /// The label line above a code block (language and number).
    pub code_label: Style,
    /// Column separators and the header rule of tables.
    pub table_border: Style,
    /// Patched onto header cells of tables.
    pub table_header: Style,
    /// Raw HTML, shown as text.
    pub html: Style,
    /// syntect theme for code blocks (see `highlight::theme_names`);
    /// `None` renders every block in the plain `code_block` style.
    pub syntax_theme: Option<String>,
    /// Show the block's number (for "copy code block N") on its label line.
    pub code_block_numbers: bool,
}

impl Default for MarkdownTheme {
    fn default() -> Self {
        use palette::*;
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Self {
            text: Style::new(),
            headings: [
                bold.fg(MAGENTA).add_modifier(Modifier::UNDERLINED),
                bold.fg(BLUE),
                bold.fg(CYAN),
                bold.fg(GREEN),
                bold.fg(GREEN).add_modifier(Modifier::ITALIC),
                Style::new().fg(GREEN).add_modifier(Modifier::ITALIC),
            ],
            heading_marker: Style::new()
                .add_modifier(Modifier::DIM)
                .remove_modifier(Modifier::UNDERLINED),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: bold,
            strikethrough: Style::new().add_modifier(Modifier::CROSSED_OUT),
            inline_code: Style::new().fg(ORANGE).bg(BG_LIGHT),
            link: Style::new().fg(BLUE).add_modifier(Modifier::UNDERLINED),
            link_url: Style::new().fg(COMMENT),
            list_marker: Style::new().fg(YELLOW),
            quote_gutter: Style::new().fg(COMMENT),
            quote_text: Style::new().fg(DARK_FG).add_modifier(Modifier::ITALIC),
            rule: Style::new().fg(SELECTION),
            code_block: Style::new().fg(FG).bg(BG),
            code_label: Style::new().fg(DARK_FG).bg(BG_LIGHT),
            table_border: Style::new().fg(SELECTION),
            table_header: bold,
            html: Style::new().fg(COMMENT),
            syntax_theme: Some("base16-ocean.dark".to_string()),
            code_block_numbers: true,
        }
    }
}

impl MarkdownTheme {
    /// A theme with no colours at all (bold/italic/etc. only), for
    /// monochrome terminals or `NO_COLOR`.
    pub fn monochrome() -> Self {
        let plain = Style::new();
        Self {
            headings: [Style::new().add_modifier(Modifier::BOLD); 6],
            inline_code: plain.add_modifier(Modifier::REVERSED),
            link: plain.add_modifier(Modifier::UNDERLINED),
            link_url: plain.add_modifier(Modifier::DIM),
            list_marker: plain,
            quote_gutter: plain.add_modifier(Modifier::DIM),
            quote_text: plain.add_modifier(Modifier::ITALIC),
            rule: plain.add_modifier(Modifier::DIM),
            code_block: plain,
            code_label: plain.add_modifier(Modifier::DIM),
            table_border: plain.add_modifier(Modifier::DIM),
            html: plain.add_modifier(Modifier::DIM),
            syntax_theme: None,
            ..Self::default()
        }
    }
}
