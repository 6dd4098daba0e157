//! The monitor pane (F5): generation speed and time to first token over the last replies as
//! sparklines, context and prompt reuse, memory, threads and CPU load, the model as loaded, and
//! the totals of this session, what the guard did. It only reads [`crate::monitor::Monitor`] through the context;
//! the app samples the process on its tick while this pane is open. A figure that is not known
//! (a remote server did not report it, no /proc) reads "n/a", never 0.

use super::{Context, Outcome, Pane, centered, frame_block};
use crate::models::human_bytes;
use crate::monitor::{Monitor, ReplyFigures};
use crate::text::sanitize::sanitize;
use crate::tui::keymap::{Action, Context as Keys};
use crate::tui::theme;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Sparkline};

/// Label column width, in cells (a Chinese label is two cells a character).
const LABEL: usize = 12;

#[derive(Default)]
pub struct MonitorPane;

impl Pane for MonitorPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        match ctx.keymap.action(Keys::Monitor, &key) {
            Some(Action::Close) => Outcome::close(),
            _ => Outcome::none(),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ctx: &Context) {
        let m = ctx.monitor;
        let rect = centered(area, 78, 15);
        frame.render_widget(Clear, rect);
        let title = crate::tr!(
            "monitor-title",
            close = ctx.keymap.first_label(Keys::Monitor, Action::Close)
        );
        let block = frame_block(&title);
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        // One-row sparklines (eight levels each) leave room for every figure line.
        let [speed, speed_spark, ttft, ttft_spark, rest] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        frame.render_widget(Paragraph::new(speed_line(m)), speed);
        frame.render_widget(
            spark(m, |r| r.tokens_per_second.map(|t| t * 10.0)),
            speed_spark,
        );
        frame.render_widget(Paragraph::new(ttft_line(m)), ttft);
        frame.render_widget(spark(m, |r| r.ttft_ms), ttft_spark);
        frame.render_widget(Paragraph::new(figure_lines(m)), rest);
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn na() -> String {
    crate::tr!("monitor-na")
}

fn labelled(label_id: &str, value: String) -> Line<'static> {
    let label = crate::tr!(label_id);
    Line::from(vec![
        Span::styled(
            crate::tui::width::pad(&label, LABEL) + " ",
            theme::user_header(),
        ),
        Span::raw(value),
    ])
}

/// The last replies' figure as bars, oldest on the left; a reply without it is an empty bar.
fn spark(m: &Monitor, figure: impl Fn(&ReplyFigures) -> Option<f64>) -> Sparkline<'static> {
    let data: Vec<u64> = m
        .replies()
        .iter()
        .map(|r| figure(r).map_or(0, |v| v.round() as u64))
        .collect();
    Sparkline::default()
        .data(data)
        .style(theme::assistant_header())
}

fn speed_line(m: &Monitor) -> Line<'static> {
    let replies = m.replies();
    let value = match replies.last().and_then(|r| r.tokens_per_second) {
        Some(last) => crate::tr!(
            "monitor-speed",
            last = format!("{last:.1}"),
            mean = format!(
                "{:.1}",
                replies.mean(|r| r.tokens_per_second).unwrap_or(last)
            ),
            count = replies.len()
        ),
        None if replies.is_empty() => crate::tr!("monitor-no-replies"),
        None => na(),
    };
    labelled("monitor-label-speed", value)
}

fn ttft_line(m: &Monitor) -> Line<'static> {
    let replies = m.replies();
    let value = match replies.last().and_then(|r| r.ttft_ms) {
        Some(last) => crate::tr!(
            "monitor-ttft",
            last = format!("{last:.0}"),
            mean = format!("{:.0}", replies.mean(|r| r.ttft_ms).unwrap_or(last))
        ),
        None if replies.is_empty() => crate::tr!("monitor-no-replies"),
        None => na(),
    };
    labelled("monitor-label-ttft", value)
}

fn figure_lines(m: &Monitor) -> Vec<Line<'static>> {
    let mut lines = vec![
        labelled("monitor-label-context", context_value(m)),
        labelled("monitor-label-prompt", last_prompt_value(m)),
        labelled("monitor-label-none", total_prompt_value(m)),
    ];
    // Only replies that guessed have the line, so the pane keeps its height without them.
    if let Some(value) = speculation_value(m) {
        lines.push(labelled("monitor-label-speculation", value));
    }
    lines.extend([
        labelled("monitor-label-memory", memory_value(m)),
        labelled("monitor-label-process", process_value(m)),
        labelled("monitor-label-model", model_value(m)),
        labelled("monitor-label-layers", layers_value(m)),
        labelled("monitor-label-totals", totals_value(m)),
        labelled("monitor-label-guard", guard_value(m)),
    ]);
    lines
}

fn context_value(m: &Monitor) -> String {
    let used = m.replies().last().and_then(|r| r.context_used);
    let size = m.model().and_then(|model| model.ctx_size);
    match (used, size) {
        (Some(used), Some(size)) if size > 0 => crate::tr!(
            "monitor-context",
            used = used.to_string(),
            size = size.to_string(),
            pct = format!("{:.0}", used as f64 * 100.0 / size as f64),
            cells = crate::monitor::kv_cells_used().to_string()
        ),
        (None, Some(size)) => crate::tr!(
            "monitor-context",
            used = na(),
            size = size.to_string(),
            pct = "0",
            cells = na()
        ),
        _ => na(),
    }
}

fn last_prompt_value(m: &Monitor) -> String {
    let Some(last) = m.replies().last() else {
        return crate::tr!("monitor-no-replies");
    };
    crate::tr!(
        "monitor-prompt-last",
        reused = last.prompt_reused.map_or_else(na, |n| n.to_string()),
        evaluated = last.prompt_evaluated.to_string()
    )
}

/// The last reply's guessed tokens, how many were verified and kept; `None` when it did not guess.
fn speculation_value(m: &Monitor) -> Option<String> {
    let s = m.replies().last()?.speculation?;
    Some(crate::tr!(
        "monitor-speculation",
        accepted = s.accepted.to_string(),
        drafted = s.drafted.to_string(),
        pct = format!("{:.0}", s.rate() * 100.0)
    ))
}

fn total_prompt_value(m: &Monitor) -> String {
    let totals = m.totals();
    crate::tr!(
        "monitor-prompt-total",
        reused = totals.tokens_reused.to_string(),
        evaluated = totals.tokens_in.to_string()
    )
}

fn memory_value(m: &Monitor) -> String {
    let process = m.process();
    match process.and_then(|p| p.rss_bytes) {
        Some(rss) => crate::tr!(
            "monitor-memory",
            rss = human_bytes(rss),
            peak = process
                .and_then(|p| p.peak_rss_bytes)
                .map_or_else(na, human_bytes)
        ),
        None => crate::tr!("monitor-memory-unavailable"),
    }
}

fn process_value(m: &Monitor) -> String {
    let Some(process) = m.process() else {
        return crate::tr!("monitor-memory-unavailable");
    };
    crate::tr!(
        "monitor-process",
        threads = process.threads.map_or_else(na, |t| t.to_string()),
        cpu = process.cpu_percent.map_or_else(na, |c| format!("{c:.0}%")),
        cores = process.cores.to_string()
    )
}

fn model_value(m: &Monitor) -> String {
    let Some(model) = m.model() else {
        return na();
    };
    crate::tr!(
        "monitor-model",
        name = sanitize(&model.name).into_owned(),
        load = format!("{:.0}", model.load_ms)
    )
}

fn layers_value(m: &Monitor) -> String {
    match m.model() {
        Some(model) if model.remote => crate::tr!("monitor-layers-remote"),
        Some(model) => crate::tr!(
            "monitor-layers",
            offload = model.offload.clone().unwrap_or_else(na),
            threads = model.threads.map_or_else(na, |t| t.to_string())
        ),
        None => na(),
    }
}

fn totals_value(m: &Monitor) -> String {
    let totals = m.totals();
    crate::tr!(
        "monitor-totals",
        replies = totals.replies,
        tokens_in = totals.tokens_in.to_string(),
        tokens_out = totals.tokens_out.to_string(),
        seconds = format!("{:.1}", totals.seconds)
    )
}

fn guard_value(m: &Monitor) -> String {
    crate::tr!(
        "monitor-guard",
        session = m.totals().guard_actions.to_string(),
        total = m.counters().guard_total().to_string()
    )
}
