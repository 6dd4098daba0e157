//! Width-correct wrapping of styled text.
//!
//! ratatui's `Paragraph` wrapping works on whole `Text`s and knows nothing of
//! hanging indents, so the chat view lays lines out itself. Widths are
//! measured per grapheme cluster with ratatui's own `CellWidth` (what the
//! buffer uses when drawing), so CJK and emoji count as two columns and a ZWJ
//! sequence or a letter with combining marks is never split.
//!
//! Breaks happen after spaces (the spaces at a break are dropped), between
//! wide (CJK) characters, which have no spaces between words, and after a
//! zero-width space. A word longer than the line is broken between graphemes.
//! Lines are never wider than the requested width, except that at widths 0
//! and 1 a two-column grapheme still gets a line of its own.

use ratatui::buffer::CellWidth;
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

/// Display width of one grapheme cluster as ratatui's buffer draws it.
/// Clusters containing control characters are not drawn: width 0.
pub fn grapheme_width(g: &str) -> usize {
    if g.contains(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

/// Display width of a string: the sum of its grapheme widths.
pub fn str_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// Display width of a line, measured like [`str_width`].
pub fn line_width(line: &Line<'_>) -> usize {
    line.spans.iter().map(|s| str_width(&s.content)).sum()
}

/// Word-wraps styled spans to `width` columns. A `\n` inside the spans
/// forces a break; an empty input gives one empty line.
pub fn wrap_spans(spans: &[Span<'_>], width: u16) -> Vec<Line<'static>> {
    wrap_spans_indented(spans, width, &[], &[])
}

/// Word-wraps like [`wrap_spans`], putting `first` in front of the first line
/// and `rest` in front of the others (hanging indent for list items, a
/// gutter for quotes). A prefix that leaves fewer than two columns for the
/// text loses graphemes from its left end.
pub fn wrap_spans_indented(
    spans: &[Span<'_>],
    width: u16,
    first: &[Span<'_>],
    rest: &[Span<'_>],
) -> Vec<Line<'static>> {
    let total = usize::from(width.max(1));
    let (first, first_w) = fit_prefix(first, width);
    let (rest, rest_w) = fit_prefix(rest, width);
    let clusters = clusters(spans);
    let ranges = break_lines(&clusters, total - first_w, total - rest_w);
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, (a, b))| {
            let prefix = if i == 0 { &first } else { &rest };
            let mut out = prefix.clone();
            out.extend(build_spans(spans, &clusters[a..b]));
            Line::from(out)
        })
        .collect()
}

/// Cuts styled spans into lines of at most `width` columns between any two
/// graphemes, ignoring word boundaries (for code). Spaces are kept. A `\n`
/// forces a break. Never returns an empty vector.
pub fn hard_wrap_spans(spans: &[Span<'_>], width: u16) -> Vec<Line<'static>> {
    let total = usize::from(width.max(1));
    let clusters = clusters(spans);
    let mut lines = Vec::new();
    let (mut start, mut used) = (0, 0);
    for (i, c) in clusters.iter().enumerate() {
        if c.class == Class::Newline {
            lines.push(Line::from(build_spans(spans, &clusters[start..i])));
            (start, used) = (i + 1, 0);
            continue;
        }
        if i > start && used + c.width > total {
            lines.push(Line::from(build_spans(spans, &clusters[start..i])));
            (start, used) = (i, 0);
        }
        used += c.width;
    }
    lines.push(Line::from(build_spans(spans, &clusters[start..])));
    lines
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Newline,
    Other,
}

/// A piece of a span that is never split: usually one grapheme cluster.
struct Cluster {
    span: usize,
    start: usize,
    end: usize,
    width: usize,
    class: Class,
    /// Wide (CJK, emoji): lines may break on either side of it.
    wide: bool,
    /// Closing punctuation: no break before it.
    no_break_before: bool,
    /// Opening punctuation: no break after it.
    no_break_after: bool,
    /// Zero-width space: an explicit break opportunity after it.
    zwsp: bool,
}

fn clusters(spans: &[Span<'_>]) -> Vec<Cluster> {
    let mut out = Vec::new();
    for (span, s) in spans.iter().enumerate() {
        for (start, g) in s.content.grapheme_indices(true) {
            let width = grapheme_width(g);
            if width > 2 {
                // Ill-formed emoji sequences or halfwidth sound marks can
                // form wide clusters: split them into characters (keeping
                // zero-width ones attached) so lines can still fit.
                let mut piece_start = start;
                for (off, ch) in g.char_indices().skip(1) {
                    if grapheme_width(ch.encode_utf8(&mut [0; 4])) > 0 {
                        out.push(cluster(span, piece_start, start + off, &s.content));
                        piece_start = start + off;
                    }
                }
                out.push(cluster(span, piece_start, start + g.len(), &s.content));
            } else {
                out.push(cluster(span, start, start + g.len(), &s.content));
            }
        }
    }
    out
}

fn cluster(span: usize, start: usize, end: usize, content: &str) -> Cluster {
    let g = content.get(start..end).unwrap_or("");
    let first = g.chars().next().unwrap_or(' ');
    let width = grapheme_width(g);
    let class = match g {
        " " | "\u{3000}" => Class::Space,
        _ if g.contains('\n') => Class::Newline,
        _ => Class::Other,
    };
    Cluster {
        span,
        start,
        end,
        width,
        class,
        wide: width >= 2,
        no_break_before: "、。，．：；？！）」』】〕〉》〗〙〛｝］ー・…‥々ゝゞ〜～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.;:!?)]}’”%"
            .contains(first),
        no_break_after: "（「『【〔〈《〖〘〚｛［([{‘“".contains(first),
        zwsp: g == "\u{200b}",
    }
}

/// Whether a line may break between two adjacent non-space clusters.
fn break_between(prev: &Cluster, next: &Cluster) -> bool {
    next.width > 0
        && (prev.zwsp
            || ((prev.wide || next.wide) && !prev.no_break_after && !next.no_break_before))
}

/// A run of clusters with no break opportunity inside, plus the spaces after
/// it and whether a newline follows.
struct Word {
    start: usize,
    content_end: usize,
    end: usize,
    content_w: usize,
    space_w: usize,
    newline: bool,
}

fn words(cl: &[Cluster]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < cl.len() {
        let start = i;
        let mut content_w = 0;
        while i < cl.len() && cl[i].class == Class::Other {
            if i > start && break_between(&cl[i - 1], &cl[i]) {
                break;
            }
            content_w += cl[i].width;
            i += 1;
        }
        let content_end = i;
        let mut space_w = 0;
        while i < cl.len() && cl[i].class == Class::Space {
            space_w += cl[i].width;
            i += 1;
        }
        let end = i;
        let newline = i < cl.len() && cl[i].class == Class::Newline;
        if newline {
            i += 1;
        }
        words.push(Word {
            start,
            content_end,
            end,
            content_w,
            space_w,
            newline,
        });
    }
    words
}

/// Greedy line breaking. Returns cluster index ranges, one per line; the
/// spaces between two ranges are the ones dropped at that break.
fn break_lines(cl: &[Cluster], first_avail: usize, rest_avail: usize) -> Vec<(usize, usize)> {
    let avail = |line: usize| if line == 0 { first_avail } else { rest_avail };
    let mut out = Vec::new();
    let (mut start, mut end, mut used, mut pending) = (0, 0, 0, 0);
    let mut has_content = false;
    for word in words(cl) {
        if word.content_end > word.start {
            let need = used + pending + word.content_w;
            if need <= avail(out.len()) {
                (end, used, has_content) = (word.content_end, need, true);
            } else {
                if has_content {
                    out.push((start, end));
                }
                (start, end, used, has_content) = (word.start, word.start, 0, false);
                if word.content_w <= avail(out.len()) {
                    (end, used, has_content) = (word.content_end, word.content_w, true);
                } else {
                    for (k, c) in cl
                        .iter()
                        .enumerate()
                        .take(word.content_end)
                        .skip(word.start)
                    {
                        if has_content && used + c.width > avail(out.len()) {
                            out.push((start, k));
                            (start, used) = (k, 0);
                        }
                        (end, used, has_content) = (k + 1, used + c.width, true);
                    }
                }
            }
        }
        pending = word.space_w;
        if word.newline {
            out.push((start, end));
            (start, end, used, pending, has_content) = (word.end + 1, word.end + 1, 0, 0, false);
        }
    }
    out.push((start, end));
    out
}

/// Fits a line prefix (indent, gutter, list marker) to a line of `width`
/// columns, leaving at least two columns for the text: keeps as much of the
/// prefix's right end as fits (all of it, normally). Returns owned spans and
/// their width, which is at most `width - 2` (0 when `width <= 2`).
pub fn fit_prefix(prefix: &[Span<'_>], width: u16) -> (Vec<Span<'static>>, usize) {
    let budget = usize::from(width).saturating_sub(2);
    let full: usize = prefix.iter().map(|s| str_width(&s.content)).sum();
    let owned = |s: &Span<'_>| Span::styled(s.content.to_string(), s.style);
    if full <= budget {
        return (prefix.iter().map(owned).collect(), full);
    }
    let mut excess = full - budget;
    let mut out = Vec::new();
    for span in prefix {
        let mut cut = 0;
        for (i, g) in span.content.grapheme_indices(true) {
            if excess == 0 {
                break;
            }
            excess = excess.saturating_sub(grapheme_width(g));
            cut = i + g.len();
        }
        let kept = span.content.get(cut..).unwrap_or("");
        if !kept.is_empty() {
            out.push(Span::styled(kept.to_string(), span.style));
        }
    }
    let width = out.iter().map(|s| str_width(&s.content)).sum();
    (out, width)
}

/// Turns a run of clusters back into spans, one per source span touched.
fn build_spans(spans: &[Span<'_>], cl: &[Cluster]) -> Vec<Span<'static>> {
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut i = 0;
    while i < cl.len() {
        let span = cl[i].span;
        let start = cl[i].start;
        let mut end = cl[i].end;
        i += 1;
        while i < cl.len() && cl[i].span == span && cl[i].start == end {
            end = cl[i].end;
            i += 1;
        }
        if let Some(src) = spans.get(span)
            && let Some(text) = src.content.get(start..end)
        {
            out.push(Span::styled(text.to_string(), src.style));
        }
    }
    out
}

#[cfg(test)]
mod tests;
