//! The conversation view: messages wrapped to the width, markdown for replies, rendered lazily so
//! long conversations stay smooth.
//!
//! Only the messages that reach into the window are rendered (wrapped, markdown, highlighted),
//! walking up from the bottom until the window is full; each is kept per width and content, and
//! only the message that is streaming is rendered again, once per frame. Messages above the
//! window count with an estimated height (exact once they have been rendered), which only the
//! scrollbar uses. So the first frame of a 2,000-message conversation, or the first after a
//! resize, costs what the visible messages cost, not what the whole history costs.

use super::marks::{self, Mark};
use super::screen::Screen;
use crate::chat::{Message, Role};
use crate::markdown::{MarkdownTheme, render_markdown};
use crate::text::sanitize::sanitize;
use crate::text::wrap::wrap_spans;
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

/// What a cached rendering was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CacheKey {
    role: Role,
    len: usize,
    edges: u64,
    has_stats: bool,
    guard_marks: usize,
    streaming: bool,
    /// The reasoning's length and whether its block is open.
    thinking: (usize, bool),
    /// Code blocks drawn plain while their language was being prepared are coloured once it is
    /// (`markdown::highlight::generation`).
    highlight: u64,
    /// Selected, and its place among its alternatives.
    mark: Mark,
}

fn key_of(message: &Message, streaming: bool, show_thinking: bool, mark: Mark) -> CacheKey {
    use std::hash::{Hash, Hasher};
    let text = message.content.as_bytes();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text[..text.len().min(64)].hash(&mut hasher);
    text[text.len().saturating_sub(64)..].hash(&mut hasher);
    CacheKey {
        role: message.role,
        len: text.len(),
        edges: hasher.finish(),
        has_stats: message.stats.is_some(),
        guard_marks: message.guard.len(),
        streaming,
        thinking: (
            message.reasoning.as_ref().map_or(0, String::len),
            thinking_open(message, streaming, show_thinking),
        ),
        highlight: crate::markdown::highlight::generation(),
        mark,
    }
}

/// The "Thinking" block is open while the reasoning streams (no answer yet), or when the user
/// unfolded the blocks; otherwise it is one line.
fn thinking_open(message: &Message, streaming: bool, show_thinking: bool) -> bool {
    show_thinking || (streaming && message.content.is_empty())
}

/// The conversation view's own state: rendered lines and scroll position.
pub struct ChatView {
    cache: ChatCache,
    /// Lines scrolled up from the bottom; 0 follows the stream. Clamped to the conversation
    /// when drawn.
    scroll: usize,
    /// How many lines one page is, as last drawn.
    page_lines: usize,
    /// Every "Thinking" block unfolded (the toggle-thinking key).
    show_thinking: bool,
    /// A message to scroll into the window on the next frame (it was just selected).
    reveal: Option<usize>,
}

impl Default for ChatView {
    fn default() -> ChatView {
        ChatView {
            cache: ChatCache::default(),
            scroll: 0,
            page_lines: 10,
            show_thinking: false,
            reveal: None,
        }
    }
}

impl ChatView {
    pub fn scroll_by(&mut self, lines: isize) {
        self.scroll = self.scroll.saturating_add_signed(lines);
    }

    pub fn scroll_page(&mut self, up: bool) {
        let page = self.page_lines.max(1) as isize;
        self.scroll_by(if up { page } else { -page });
    }

    pub fn scroll_to_top(&mut self) {
        self.scroll = usize::MAX / 2;
    }

    pub fn follow_bottom(&mut self) {
        self.scroll = 0;
        self.reveal = None;
    }

    /// Scrolls message `index` into the window when next drawn.
    pub fn reveal(&mut self, index: usize) {
        self.reveal = Some(index);
    }

    pub fn rendered_messages(&self) -> usize {
        self.cache.rendered_messages()
    }

    /// Folds or unfolds every reply's "Thinking" block.
    pub fn toggle_thinking(&mut self) {
        self.show_thinking = !self.show_thinking;
    }

    pub fn show_thinking(&self) -> bool {
        self.show_thinking
    }
}

/// Rendered lines, or an estimated height, per message; valid for one width.
#[derive(Default)]
struct ChatCache {
    width: u16,
    system: Option<(String, Vec<Line<'static>>)>,
    entries: Vec<Option<(CacheKey, Vec<Line<'static>>)>>,
    estimates: Vec<Option<(CacheKey, usize)>>,
    markdown: MarkdownTheme,
}

impl ChatCache {
    /// How many messages are held rendered (the rest have at most an estimated height).
    fn rendered_messages(&self) -> usize {
        self.entries.iter().flatten().count()
    }

    fn reset_if_width_changed(&mut self, width: u16) {
        if self.width != width {
            self.width = width;
            self.system = None;
            self.entries.clear();
            self.estimates.clear();
        }
    }
}

/// Lines a text takes at `width` if each of its lines wraps at the width (markdown adds or drops
/// a few; only the scrollbar uses this).
fn estimate_text(text: &str, width: usize) -> usize {
    text.split('\n')
        .map(|line| {
            crate::tui::width::columns(line)
                .div_ceil(width.max(1))
                .max(1)
        })
        .sum()
}

fn estimate_height(message: &Message, width: u16) -> usize {
    let body = width.saturating_sub(2).max(1) as usize;
    let stats = stats_text(message).map_or(0, |t| estimate_text(&t, body));
    let thinking = usize::from(message.reasoning.is_some());
    // Header, thinking line, body, stats, blank line.
    1 + thinking + estimate_text(&message.content, body) + stats + 1
}

/// The header: role, model, and what the content-safety guard did to the message.
fn header(role: Role, model: Option<&str>, guard: &[crate::guard::GuardMark]) -> Line<'static> {
    let (label, style) = match role {
        Role::User => (crate::tr!("tui-role-user"), theme::user_header()),
        Role::Assistant => (crate::tr!("tui-role-assistant"), theme::assistant_header()),
        Role::System => (crate::tr!("tui-role-system"), theme::system_header()),
    };
    let mut spans = vec![Span::styled(format!("▌ {label}"), style)];
    if let Some(model) = model {
        spans.push(Span::styled(format!("  {}", sanitize(model)), theme::dim()));
    }
    for mark in guard {
        spans.push(Span::styled(
            format!("  {}", mark.label()),
            theme::guard_mark(),
        ));
    }
    Line::from(spans)
}

fn plain_lines(text: &str, width: u16, style: ratatui::style::Style) -> Vec<Line<'static>> {
    let clean = sanitize(text);
    clean
        .split('\n')
        .flat_map(|line| {
            let span = Span::styled(line.to_owned(), style);
            let wrapped = wrap_spans(&[span], width);
            if wrapped.is_empty() {
                vec![Line::default()]
            } else {
                wrapped
            }
        })
        .collect()
}

fn stats_text(message: &Message) -> Option<String> {
    let stats = message.stats.as_ref()?;
    let mut text = crate::tr!(
        "tui-chat-stats",
        tokens = stats.generated_tokens.to_string(),
        speed = format!("{:.1}", stats.generation_tokens_per_second),
        ms = format!("{:.0}", stats.time_to_first_token_ms)
    );
    if let Some(s) = stats.speculation.filter(|s| s.drafted > 0) {
        text.push_str(" · ");
        text.push_str(&crate::tr!(
            "tui-chat-speculation",
            accepted = s.accepted.to_string(),
            drafted = s.drafted.to_string(),
            pct = format!("{:.0}", s.rate() * 100.0)
        ));
    }
    if let Some(reason) = stats.stop_reason {
        text.push_str(" · ");
        text.push_str(&reason.localized());
        if reason.was_cut_off() {
            text.push(' ');
            text.push_str(&crate::tr!("tui-chat-continue-hint"));
        }
    }
    Some(text)
}

/// The reply's "Thinking" block: open, its title and the reasoning dimmed; folded, one line with
/// its size and duration.
fn thinking_lines(message: &Message, open: bool, width: u16) -> Vec<Line<'static>> {
    let Some(reasoning) = message
        .reasoning
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    else {
        return Vec::new();
    };
    if open {
        let title = Line::from(Span::styled(
            format!("▾ {}", crate::tr!("tui-thinking-title")),
            theme::dim(),
        ));
        let text = plain_lines(reasoning, width.saturating_sub(2).max(1), theme::dim());
        let text = text
            .into_iter()
            .map(|l| Line::from([vec![Span::raw("│ ")], l.spans].concat()));
        return std::iter::once(title).chain(text).collect();
    }
    let folded = match message.thinking {
        Some(figures) => crate::tr!(
            "tui-thinking-folded",
            tokens = figures.tokens.to_string(),
            seconds = format!("{:.1}", figures.seconds)
        ),
        None => crate::tr!(
            "tui-thinking-folded-chars",
            chars = reasoning.chars().count().to_string()
        ),
    };
    vec![Line::from(Span::styled(
        format!("▸ {folded}"),
        theme::dim(),
    ))]
}

fn render_message(
    message: &Message,
    streaming: bool,
    show_thinking: bool,
    width: u16,
    markdown: &MarkdownTheme,
) -> Vec<Line<'static>> {
    let mut lines = vec![header(
        message.role,
        message.model.as_deref(),
        &message.guard,
    )];
    let body_width = width.saturating_sub(2).max(1);
    let thinking = match message.role {
        Role::Assistant => thinking_lines(
            message,
            thinking_open(message, streaming, show_thinking),
            body_width,
        ),
        _ => Vec::new(),
    };
    let body = match message.role {
        Role::Assistant if message.content.is_empty() && !thinking.is_empty() => Vec::new(),
        Role::Assistant if message.content.is_empty() && streaming => {
            vec![Line::from(Span::styled("…", theme::dim()))]
        }
        Role::Assistant => render_markdown(&message.content, body_width, markdown),
        Role::User => plain_lines(&message.content, body_width, theme::user_text()),
        Role::System => plain_lines(&message.content, body_width, theme::system_text()),
    };
    // The stats line wraps like the body: cut at the edge, its end ("end of reply",
    // "Ctrl+G continues") would be lost on a narrow screen.
    let stats = match stats_text(message) {
        Some(text) if !streaming => wrap_spans(&[Span::styled(text, theme::dim())], body_width),
        _ => Vec::new(),
    };
    lines.extend(thinking.into_iter().chain(body).chain(stats).map(|line| {
        let mut spans = vec![Span::raw("  ")];
        spans.extend(line.spans);
        Line::from(spans).style(line.style)
    }));
    if streaming && let Some(last) = lines.last_mut() {
        last.spans.push(Span::styled("▍", theme::cursor()));
    }
    lines.push(Line::default());
    lines
}

fn system_lines(screen: &Screen, cache: &mut ChatCache, width: u16) -> usize {
    let system = &screen.conversation.system_prompt;
    if system.trim().is_empty() {
        return 0;
    }
    if cache.system.as_ref().is_none_or(|(s, _)| s != system) {
        let mut lines = vec![header(Role::System, None, &[])];
        lines.extend(
            plain_lines(system, width.saturating_sub(2).max(1), theme::system_text())
                .into_iter()
                .map(|l| Line::from([vec![Span::raw("  ")], l.spans].concat())),
        );
        lines.push(Line::default());
        cache.system = Some((system.clone(), lines));
    }
    cache.system.as_ref().map_or(0, |(_, lines)| lines.len())
}

/// What the bottom-up walk found.
struct Window {
    /// The first message rendered; the ones from it to the end are in the cache.
    first: usize,
    /// Lines of the rendered messages (and the system prompt when `at_top`).
    rendered: usize,
    /// The walk reached the top: `rendered` is the whole conversation.
    at_top: bool,
}

/// Renders messages from the bottom up until `needed` lines are covered, and at least up to
/// message `through` when given.
fn render_bottom_up(
    screen: &Screen,
    cache: &mut ChatCache,
    width: u16,
    (needed, through): (usize, Option<usize>),
    show_thinking: bool,
) -> Window {
    let system = system_lines(screen, cache, width);
    let streaming_index = screen.streaming.map(|s| s.message);
    let messages = &screen.conversation.messages;
    cache.entries.resize_with(messages.len(), || None);
    cache.estimates.resize_with(messages.len(), || None);
    let mut rendered = 0;
    let mut first = messages.len();
    while first > 0 && (rendered < needed || through.is_some_and(|t| first > t)) {
        first -= 1;
        let message = &messages[first];
        let streaming = streaming_index == Some(first);
        let mark = marks::mark_of(screen, first);
        let key = key_of(message, streaming, show_thinking, mark);
        let entry = &mut cache.entries[first];
        if !matches!(entry, Some((k, _)) if *k == key) {
            let mut lines =
                render_message(message, streaming, show_thinking, width, &cache.markdown);
            marks::apply(&mut lines, mark);
            *entry = Some((key, lines));
        }
        rendered += entry.as_ref().map_or(0, |(_, lines)| lines.len());
    }
    let at_top = first == 0;
    if at_top {
        rendered += system;
    }
    Window {
        first,
        rendered,
        at_top,
    }
}

/// Lines above the window: exact for messages rendered before, estimated for the others.
fn lines_above(
    screen: &Screen,
    cache: &mut ChatCache,
    width: u16,
    window: &Window,
    show_thinking: bool,
) -> usize {
    let system = cache.system.as_ref().map_or(0, |(_, lines)| lines.len());
    let messages = &screen.conversation.messages[..window.first];
    let mut total = system;
    for (index, message) in messages.iter().enumerate() {
        let key = key_of(message, false, show_thinking, marks::mark_of(screen, index));
        total += match (&cache.entries[index], &mut cache.estimates[index]) {
            (Some((k, lines)), _) if *k == key => lines.len(),
            (_, Some((k, height))) if *k == key => *height,
            (_, slot) => {
                let height = estimate_height(message, width);
                *slot = Some((key, height));
                height
            }
        };
    }
    total
}

/// Draws the conversation into `area`, following the bottom unless scrolled up. The page
/// height, the scroll position clamped to the conversation and the rendered lines are kept in
/// the view's own state.
pub fn draw(frame: &mut Frame, area: Rect, screen: &Screen, view: &mut ChatView) {
    if area.width < 3 || area.height == 0 {
        return;
    }
    let width = area.width - 1; // the scrollbar column
    let height = area.height as usize;
    view.page_lines = height.saturating_sub(2).max(1);
    let cache = &mut view.cache;
    cache.reset_if_width_changed(width);
    let mut error_lines = Vec::new();
    if let Some(error) = screen.error {
        error_lines = plain_lines(
            &crate::tr!("tui-chat-error", error = error),
            width,
            theme::error(),
        );
    }
    let mut requested_scroll = view.scroll;
    let len = screen.conversation.messages.len();
    if let Some(target) = view.reveal.take().filter(|&i| i < len) {
        render_bottom_up(screen, cache, width, (0, Some(target)), view.show_thinking);
        let lines =
            |e: &Option<(CacheKey, Vec<Line<'static>>)>| e.as_ref().map_or(0, |e| e.1.len());
        let below = cache.entries[target + 1..].iter().map(lines).sum::<usize>();
        let size = lines(&cache.entries[target]);
        requested_scroll =
            marks::reveal_scroll(requested_scroll, height, below + error_lines.len(), size);
    }
    let needed = (height.saturating_add(requested_scroll)).saturating_sub(error_lines.len());
    let window = render_bottom_up(screen, cache, width, (needed, None), view.show_thinking);
    // The window's lines, top to bottom: what was rendered, then the error.
    let region = window.rendered + error_lines.len();
    let scroll = requested_scroll.min(region.saturating_sub(height));
    let above = if window.at_top {
        0
    } else {
        lines_above(screen, cache, width, &window, view.show_thinking)
    };
    let start = region.saturating_sub(height + scroll);
    let system = cache
        .system
        .as_ref()
        .filter(|_| window.at_top)
        .map(|(_, lines)| lines.as_slice())
        .unwrap_or_default();
    let visible: Vec<Line<'static>> = system
        .iter()
        .chain(
            cache.entries[window.first..]
                .iter()
                .flatten()
                .flat_map(|(_, lines)| lines.iter()),
        )
        .chain(error_lines.iter())
        .skip(start)
        .take(height)
        .cloned()
        .collect();
    view.scroll = scroll;
    let text_area = Rect { width, ..area };
    frame.render_widget(Paragraph::new(visible), text_area);
    let total = above + region;
    if total > height {
        let max_scroll = total - height;
        let mut state =
            ScrollbarState::new(max_scroll + 1).position(max_scroll.saturating_sub(scroll));
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            area,
            &mut state,
        );
    }
}

#[cfg(test)]
mod speculation_tests {
    use super::*;
    use crate::chat::{ReplyStats, SpeculationStats};

    #[test]
    fn the_footer_shows_kept_guesses_only_for_replies_that_guessed() {
        let mut message = Message::assistant("hi");
        message.stats = Some(ReplyStats {
            generated_tokens: 24,
            speculation: Some(SpeculationStats {
                drafted: 24,
                accepted: 21,
            }),
            ..ReplyStats::default()
        });
        let text = crate::i18n::with_language(crate::i18n::Lang::En, || stats_text(&message));
        assert!(text.unwrap().contains("21/24 guesses kept (88%)"));
        message.stats.as_mut().unwrap().speculation = None;
        let text = crate::i18n::with_language(crate::i18n::Lang::En, || stats_text(&message));
        assert!(!text.unwrap().contains("guesses"));
    }
}
