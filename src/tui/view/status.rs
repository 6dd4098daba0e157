//! The status bar: model, engine state, speed, context use and session.

use super::screen::Screen;
use crate::text::sanitize::sanitize;
use crate::tui::state::{ModelState, PullStatus};
use crate::tui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SPINNER: [char; 8] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧'];

fn state(screen: &Screen) -> (String, Style) {
    if let Some(streaming) = screen.streaming {
        let frame = (screen
            .now
            .saturating_duration_since(streaming.started)
            .as_millis()
            / 120) as usize
            % SPINNER.len();
        let word = if streaming.cancelling {
            crate::tr!("tui-status-stopping")
        } else {
            crate::tr!("tui-status-generating")
        };
        return (
            format!("{} {word}", SPINNER[frame]),
            Style::default().fg(Color::Yellow),
        );
    }
    if let Some(pending) = screen.switching {
        return (
            crate::tr!(
                "tui-status-switching",
                name = sanitize(&pending.name).into_owned(),
                percent = format!("{:.0}", pending.fraction * 100.0)
            ),
            Style::default().fg(Color::Yellow),
        );
    }
    match screen.model {
        ModelState::Loading { fraction, .. } => (
            crate::tr!(
                "tui-status-loading",
                percent = format!("{:.0}", fraction * 100.0)
            ),
            Style::default().fg(Color::Yellow),
        ),
        ModelState::Ready(_) => (
            crate::tr!("tui-status-ready"),
            Style::default().fg(Color::Green),
        ),
        ModelState::Failed(_) => (
            crate::tr!("tui-status-error"),
            Style::default().fg(Color::Red),
        ),
    }
}

fn speed(screen: &Screen) -> Option<String> {
    if let Some(streaming) = screen.streaming {
        let secs = screen
            .now
            .saturating_duration_since(streaming.started)
            .as_secs_f64();
        let pieces = streaming.pieces + streaming.thinking_pieces;
        // Too early, the rate is noise.
        if pieces > 1 && secs > 0.5 {
            return Some(crate::tr!(
                "tui-status-speed",
                speed = format!("{:.1}", pieces as f64 / secs)
            ));
        }
        return None;
    }
    screen.last_stats.map(|s| {
        crate::tr!(
            "tui-status-speed",
            speed = format!("{:.1}", s.generation_tokens_per_second)
        )
    })
}

/// Thinking and answer tokens apart, when the reply (streaming, or the last one) reasoned.
/// Counted in streamed pieces (one per token for a local model).
fn thinking_split(screen: &Screen) -> Option<String> {
    let (thinking, answer) = match screen.streaming {
        Some(streaming) => (streaming.thinking_pieces, streaming.pieces),
        None => {
            let last = screen.conversation.messages.last()?;
            let figures = last
                .thinking
                .filter(|_| last.role == crate::chat::Role::Assistant)?;
            let total = last.stats.as_ref()?.generated_tokens;
            (figures.tokens, total.saturating_sub(figures.tokens))
        }
    };
    (thinking > 0).then(|| {
        crate::tr!(
            "tui-status-thinking",
            thinking = thinking.to_string(),
            answer = answer.to_string()
        )
    })
}

/// "⇣ NAME 48% · 12.0 MiB/s · 4s left": a background download, short.
fn pull_text(pull: &PullStatus) -> String {
    let name = sanitize(&pull.name).into_owned();
    match pull.progress {
        Some(p) if p.total > 0 => crate::tr!(
            "tui-status-pull",
            name = name,
            pct = format!("{:.0}", p.done as f64 * 100.0 / p.total as f64),
            rate = crate::pull::progress::bytes(p.rate),
            left = p
                .left
                .map_or_else(|| "?".into(), crate::pull::progress::duration),
        ),
        _ => crate::tr!("tui-status-pull-starting", name = name),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, screen: &Screen) {
    let model = match screen.model {
        ModelState::Ready(info) => info.name.clone(),
        ModelState::Loading { name, .. } => name.clone(),
        ModelState::Failed(_) => crate::tr!("tui-status-no-model"),
    };
    let (state_text, state_style) = state(screen);
    let mut spans = vec![
        Span::styled(
            format!(" {} ", sanitize(&model)),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("│ {state_text} "), state_style),
    ];
    if let Some(speed) = speed(screen) {
        spans.push(Span::raw(format!("│ {speed} ")));
    }
    if let Some(split) = thinking_split(screen) {
        spans.push(Span::raw(format!("│ {split} ")));
    }
    if let ModelState::Ready(info) = screen.model {
        let used = screen.last_stats.map_or(0, |s| s.context_used);
        match &info.remote {
            // A server does not say how large its context is: not available, not zero.
            Some(remote) => spans.push(Span::raw(format!(
                "│ {} ",
                crate::tr!(
                    "tui-status-remote",
                    backend =
                        sanitize(remote.backend.as_deref().unwrap_or(&remote.url)).into_owned(),
                    used = used.to_string()
                )
            ))),
            None => spans.push(Span::raw(format!(
                "│ {} ",
                crate::tr!(
                    "tui-status-context",
                    used = used.to_string(),
                    size = info.ctx_size.to_string()
                )
            ))),
        }
        // Where layers run, when that is not simply the CPU (or GPU layers were asked for).
        if info.remote.is_none() && (info.gpu_layers > 0 || info.notice.is_some()) {
            spans.push(Span::raw(format!("│ {} ", info.offload)));
        }
    }
    if let Some(pull) = screen.pull {
        spans.push(Span::styled(
            format!("│ {} ", pull_text(pull)),
            Style::default().fg(Color::Cyan),
        ));
    }
    // The notice comes before the session title: on a narrow screen the title is what gets cut.
    if let Some(notice) = screen.notice {
        let style = if notice.is_error {
            Style::default().fg(Color::Red)
        } else {
            Style::default().fg(Color::Cyan)
        };
        spans.push(Span::styled(
            format!("│ {} ", sanitize(&notice.text)),
            style,
        ));
    } else {
        spans.push(Span::styled(
            format!("│ {} ", crate::tr!("tui-status-help")),
            theme::dim(),
        ));
    }
    spans.push(Span::styled(
        format!("│ {}", sanitize(screen.session_name)),
        theme::dim(),
    ));
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status_bar()),
        area,
    );
}
