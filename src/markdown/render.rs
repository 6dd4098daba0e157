//! The pulldown-cmark event walker behind `render_markdown`.
//!
//! Inline content (text, emphasis, links, inline code) collects as spans in
//! a buffer; when a block ends the buffer is wrapped with the prefix of the
//! enclosing containers (quote gutters, list markers and their hanging
//! indents). Code blocks and tables collect whole and are laid out at their
//! end. Blocks are separated by one blank line, except items of tight lists.

use std::mem;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::containers::Containers;
use super::table::Table;
use super::{MarkdownTheme, block_lang, code};
use crate::text::sanitize::sanitize;
use crate::text::wrap::{fit_prefix, wrap_spans_indented};

struct Link {
    url: String,
    /// Index in the inline buffer where the link text starts.
    start: usize,
    image: bool,
}

pub(super) struct Renderer<'t> {
    theme: &'t MarkdownTheme,
    width: u16,
    lines: Vec<Line<'static>>,
    inline: Vec<Span<'static>>,
    /// Inline style stack; each entry is already patched onto the one below.
    styles: Vec<Style>,
    containers: Containers,
    links: Vec<Link>,
    /// Set at the end of a block: a blank line goes before the next one.
    needs_gap: bool,
    code: Option<(Option<String>, String)>,
    table: Option<Table>,
    code_blocks: usize,
    /// Hanging indent for wrapped heading lines (the `## ` marker's width).
    hang: usize,
}

impl<'t> Renderer<'t> {
    pub(super) fn new(width: u16, theme: &'t MarkdownTheme) -> Self {
        Self {
            theme,
            width,
            lines: Vec::new(),
            inline: Vec::new(),
            styles: vec![Style::new()],
            containers: Containers::default(),
            links: Vec::new(),
            needs_gap: false,
            code: None,
            table: None,
            code_blocks: 0,
            hang: 0,
        }
    }

    pub(super) fn run<'a>(mut self, events: impl Iterator<Item = Event<'a>>) -> Vec<Line<'static>> {
        for event in events {
            self.event(event);
        }
        if let Some((lang, code)) = self.code.take() {
            self.code_block(lang, &code);
        }
        self.table = None;
        self.flush();
        self.lines
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => match self.code.as_mut() {
                Some((_, code)) => code.push_str(&text),
                None => self.push(&text, self.style()),
            },
            Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.push(&text, self.style().patch(self.theme.inline_code));
            }
            Event::Html(html) => {
                for (i, part) in html.split('\n').enumerate() {
                    if i > 0 {
                        self.flush();
                    }
                    self.push(part, self.style().patch(self.theme.html));
                }
            }
            Event::InlineHtml(html) => match html.to_ascii_lowercase().replace(' ', "").as_str() {
                "<br>" | "<br/>" => self.hard_break(),
                _ => self.push(&html, self.style().patch(self.theme.html)),
            },
            Event::FootnoteReference(name) => self.push(&format!("[^{name}]"), self.style()),
            Event::SoftBreak => self.push(" ", self.style()),
            Event::HardBreak => self.hard_break(),
            Event::Rule => {
                self.begin_block();
                let (prefix, used) =
                    fit_prefix(&self.containers.take_prefixes(self.theme).0, self.width);
                let rule = "─".repeat(usize::from(self.width.max(1)).saturating_sub(used));
                self.lines.push(Line::from(
                    [prefix, vec![Span::styled(rule, self.theme.rule)]].concat(),
                ));
                self.needs_gap = true;
            }
            Event::TaskListMarker(done) => {
                let mark = if done { "[x] " } else { "[ ] " };
                self.push(mark, self.theme.list_marker);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let theme = self.theme;
        match tag {
            Tag::Paragraph | Tag::HtmlBlock | Tag::MetadataBlock(_) => self.begin_block(),
            Tag::Heading { level, .. } => {
                self.begin_block();
                let style = theme.headings[heading_index(level)];
                self.push_style(style);
                let marker = format!("{} ", "#".repeat(heading_index(level) + 1));
                self.hang = marker.len();
                self.push(&marker, self.style().patch(theme.heading_marker));
            }
            Tag::BlockQuote(_) => {
                self.begin_block();
                self.containers.push_quote();
            }
            Tag::CodeBlock(kind) => {
                self.begin_block();
                self.code = Some((block_lang(&kind), String::new()));
            }
            Tag::List(first) => {
                self.begin_block();
                self.containers.push_list(first);
            }
            Tag::Item => {
                self.begin_block();
                self.containers.push_item();
            }
            Tag::FootnoteDefinition(name) => {
                self.begin_block();
                self.push(&format!("[^{name}]: "), self.style());
            }
            Tag::Table(aligns) => {
                self.begin_block();
                self.table = Some(Table::new(aligns));
            }
            Tag::TableHead | Tag::TableRow => self.table.iter_mut().for_each(Table::start_row),
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis => self.push_style(theme.emphasis),
            Tag::Strong => self.push_style(theme.strong),
            Tag::Strikethrough => self.push_style(theme.strikethrough),
            Tag::Link { dest_url, .. } => {
                self.push_style(theme.link);
                let url = sanitize(&dest_url).into_owned();
                self.links.push(Link {
                    url,
                    start: self.inline.len(),
                    image: false,
                });
            }
            Tag::Image { dest_url, .. } => {
                self.push_style(theme.link);
                self.push("[image: ", self.style());
                let url = sanitize(&dest_url).into_owned();
                self.links.push(Link {
                    url,
                    start: self.inline.len(),
                    image: true,
                });
            }
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
            | TagEnd::FootnoteDefinition => {
                self.flush();
                self.needs_gap = true;
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.hang = 0;
                self.pop_style();
                self.needs_gap = true;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.containers.pop();
                self.needs_gap = true;
            }
            TagEnd::CodeBlock => {
                if let Some((lang, code)) = self.code.take() {
                    self.code_block(lang, &code);
                }
                self.needs_gap = true;
            }
            TagEnd::List(_) => {
                self.flush();
                self.containers.pop();
                self.needs_gap |= !self.containers.in_item();
            }
            TagEnd::Item => {
                self.flush();
                if self.containers.item_is_empty() {
                    let line = self.containers.marker_line(self.theme, self.width);
                    self.lines.push(line);
                }
                self.containers.pop();
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    let (first, rest) = self.containers.take_prefixes(self.theme);
                    let (first, first_w) = fit_prefix(&first, self.width);
                    let (rest, rest_w) = fit_prefix(&rest, self.width);
                    let avail = usize::from(self.width.max(1)).saturating_sub(first_w.max(rest_w));
                    for (i, row) in table.render(avail, self.theme).into_iter().enumerate() {
                        let prefix = if i == 0 { &first } else { &rest };
                        self.lines.push(Line::from([prefix.clone(), row].concat()));
                    }
                }
                self.needs_gap = true;
            }
            TagEnd::TableHead => self.table.iter_mut().for_each(Table::end_head),
            TagEnd::TableCell => {
                let cell = mem::take(&mut self.inline);
                if let Some(table) = self.table.as_mut() {
                    table.push_cell(cell);
                }
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.pop_style(),
            TagEnd::Link | TagEnd::Image => self.end_link(),
            TagEnd::TableRow
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript => {}
        }
    }

    fn end_link(&mut self) {
        self.pop_style();
        let Some(link) = self.links.pop() else { return };
        if link.image {
            self.push("]", self.style().patch(self.theme.link));
        }
        let text: String = self
            .inline
            .get(link.start..)
            .unwrap_or_default()
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        let url = link.url.as_str();
        let redundant = text == url || Some(text.as_str()) == url.strip_prefix("mailto:");
        if !url.is_empty() && !url.starts_with('#') && !redundant {
            self.push(
                &format!(" ({url})"),
                self.style().patch(self.theme.link_url),
            );
        }
    }

    /// Style for text at this point: prose base, quote style inside quotes,
    /// then the inline stack.
    fn style(&self) -> Style {
        let mut base = self.theme.text;
        if self.containers.in_quote() {
            base = base.patch(self.theme.quote_text);
        }
        base.patch(self.styles.last().copied().unwrap_or_default())
    }

    fn push_style(&mut self, style: Style) {
        let top = self.styles.last().copied().unwrap_or_default();
        self.styles.push(top.patch(style));
    }

    fn pop_style(&mut self) {
        if self.styles.len() > 1 {
            self.styles.pop();
        }
    }

    /// Adds text to the inline buffer, sanitized (entities can decode to
    /// control characters).
    fn push(&mut self, text: &str, style: Style) {
        if !text.is_empty() {
            self.inline
                .push(Span::styled(sanitize(text).into_owned(), style));
        }
    }

    fn hard_break(&mut self) {
        if self.table.is_some() {
            self.push(" ", self.style());
        } else {
            self.flush();
        }
    }

    /// Flushes pending inline text, then puts a blank line before the new
    /// block if the previous one asked for it.
    fn begin_block(&mut self) {
        self.flush();
        if mem::take(&mut self.needs_gap) && !self.lines.is_empty() {
            let line = self.containers.blank_line(self.theme, self.width);
            self.lines.push(line);
        }
    }

    /// Wraps the inline buffer into lines (not inside a table, whose cells
    /// are laid out at the table's end).
    fn flush(&mut self) {
        if self.inline.is_empty() || self.table.is_some() {
            return;
        }
        let spans = mem::take(&mut self.inline);
        let (first, mut rest) = self.containers.take_prefixes(self.theme);
        if self.hang > 0 {
            rest.push(Span::raw(" ".repeat(self.hang)));
        }
        self.lines
            .extend(wrap_spans_indented(&spans, self.width, &first, &rest));
    }

    fn code_block(&mut self, lang: Option<String>, code: &str) {
        self.code_blocks += 1;
        let number = self.theme.code_block_numbers.then_some(self.code_blocks);
        let block = code::Block {
            lang: lang.as_deref(),
            code,
            number,
        };
        let (first, rest) = self.containers.take_prefixes(self.theme);
        self.lines
            .extend(code::render(&block, self.width, &first, &rest, self.theme));
    }
}

fn heading_index(level: HeadingLevel) -> usize {
    (level as usize).clamp(1, 6) - 1
}
