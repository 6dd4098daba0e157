//! The conversation view: messages wrapped to the width, markdown for replies, a cache so long
//! conversations stay smooth.
//!
//! Each message is turned into lines once per width and content; only the message that is
//! streaming is rendered again, once per frame. Drawing then takes just the lines in the window.

use super::theme;
use crate::chat::{Message, Role};
use crate::markdown::{MarkdownTheme, render_markdown};
use crate::text::sanitize::sanitize;
use crate::text::wrap::wrap_spans;
use crate::tui::app::App;
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
    streaming: bool,
}

fn key_of(message: &Message, streaming: bool) -> CacheKey {
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
        streaming,
    }
}

/// Rendered lines per message, valid for one width.
#[derive(Default)]
pub struct ChatCache {
    width: u16,
    system: Option<(String, Vec<Line<'static>>)>,
    entries: Vec<Option<(CacheKey, Vec<Line<'static>>)>>,
    markdown: MarkdownTheme,
}

impl ChatCache {
    fn reset_if_width_changed(&mut self, width: u16) {
        if self.width != width {
            self.width = width;
            self.system = None;
            self.entries.clear();
        }
    }
}

fn header(role: Role, model: Option<&str>) -> Line<'static> {
    let (label, style) = match role {
        Role::User => ("You", theme::user_header()),
        Role::Assistant => ("Assistant", theme::assistant_header()),
        Role::System => ("System", theme::system_header()),
    };
    let mut spans = vec![Span::styled(format!("▌ {label}"), style)];
    if let Some(model) = model {
        spans.push(Span::styled(format!("  {}", sanitize(model)), theme::dim()));
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

fn stats_line(message: &Message) -> Option<Line<'static>> {
    let stats = message.stats.as_ref()?;
    let mut text = format!(
        "  {} tokens · {:.1} tok/s · first token {:.0} ms",
        stats.generated_tokens, stats.generation_tokens_per_second, stats.time_to_first_token_ms
    );
    if let Some(reason) = stats.stop_reason {
        text.push_str(" · ");
        text.push_str(reason.describe());
        if reason.was_cut_off() {
            text.push_str(" (Ctrl+G continues)");
        }
    }
    Some(Line::from(Span::styled(text, theme::dim())))
}

fn render_message(
    message: &Message,
    streaming: bool,
    width: u16,
    markdown: &MarkdownTheme,
) -> Vec<Line<'static>> {
    let mut lines = vec![header(message.role, message.model.as_deref())];
    let body_width = width.saturating_sub(2).max(1);
    let body = match message.role {
        Role::Assistant if message.content.is_empty() && streaming => {
            vec![Line::from(Span::styled("…", theme::dim()))]
        }
        Role::Assistant => render_markdown(&message.content, body_width, markdown),
        Role::User => plain_lines(&message.content, body_width, theme::user_text()),
        Role::System => plain_lines(&message.content, body_width, theme::system_text()),
    };
    lines.extend(body.into_iter().map(|line| {
        let mut spans = vec![Span::raw("  ")];
        spans.extend(line.spans);
        Line::from(spans).style(line.style)
    }));
    if streaming {
        if let Some(last) = lines.last_mut() {
            last.spans.push(Span::styled("▍", theme::cursor()));
        }
    } else if let Some(stats) = stats_line(message) {
        lines.push(stats);
    }
    lines.push(Line::default());
    lines
}

/// Brings the cache up to date and returns the lines of every message, in order.
fn all_lines(app: &mut App, width: u16) -> Vec<&[Line<'static>]> {
    let cache = &mut app.chat_cache;
    cache.reset_if_width_changed(width);
    let system = &app.conversation.system_prompt;
    if !system.trim().is_empty() && cache.system.as_ref().is_none_or(|(s, _)| s != system) {
        let mut lines = vec![header(Role::System, None)];
        lines.extend(
            plain_lines(system, width.saturating_sub(2).max(1), theme::system_text())
                .into_iter()
                .map(|l| Line::from([vec![Span::raw("  ")], l.spans].concat())),
        );
        lines.push(Line::default());
        cache.system = Some((system.clone(), lines));
    }
    let streaming_index = app.streaming.as_ref().map(|s| s.message);
    let messages = &app.conversation.messages;
    cache.entries.resize_with(messages.len(), || None);
    for (index, message) in messages.iter().enumerate() {
        let streaming = streaming_index == Some(index);
        let key = key_of(message, streaming);
        let fresh = matches!(&cache.entries[index], Some((k, _)) if *k == key);
        if !fresh {
            let lines = render_message(message, streaming, width, &cache.markdown);
            cache.entries[index] = Some((key, lines));
        }
    }
    let mut out: Vec<&[Line<'static>]> = Vec::with_capacity(messages.len() + 1);
    if !system.trim().is_empty()
        && let Some((_, lines)) = &cache.system
    {
        out.push(lines);
    }
    out.extend(
        cache
            .entries
            .iter()
            .flatten()
            .map(|(_, lines)| lines.as_slice()),
    );
    out
}

/// Draws the conversation into `area`, following the bottom unless scrolled up.
pub fn draw(frame: &mut Frame, area: Rect, app: &mut App) {
    if area.width < 3 || area.height == 0 {
        return;
    }
    let width = area.width - 1; // the scrollbar column
    let height = area.height as usize;
    app.page_lines = height.saturating_sub(2).max(1);
    let error = app.error.clone();
    let mut error_lines = Vec::new();
    if let Some(error) = &error {
        error_lines = plain_lines(&format!("Error: {error}"), width, theme::error());
    }
    let requested_scroll = app.scroll;
    let blocks = all_lines(app, width);
    let total: usize = blocks.iter().map(|b| b.len()).sum::<usize>() + error_lines.len();
    let max_scroll = total.saturating_sub(height);
    let scroll = requested_scroll.min(max_scroll);
    let start = total.saturating_sub(height + scroll);
    let visible: Vec<Line<'static>> = blocks
        .iter()
        .flat_map(|b| b.iter())
        .chain(error_lines.iter())
        .skip(start)
        .take(height)
        .cloned()
        .collect();
    app.scroll = scroll;
    let text_area = Rect { width, ..area };
    frame.render_widget(Paragraph::new(visible), text_area);
    if total > height {
        let mut state = ScrollbarState::new(max_scroll + 1).position(max_scroll - scroll);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            area,
            &mut state,
        );
    }
}
