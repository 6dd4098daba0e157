//! The guard on a streamed reply. Tokens arrive a few characters at a time and a match may be
//! split across them, so the filter holds back the longest rule's maximum match length (in
//! characters) before releasing text: anything released can no longer become part of a match.
//! A match that straddles the release point is held whole until it is complete. The held text is
//! released by [`StreamFilter::finish`] when the reply ends.
//!
//! A `block` match stops the stream: the text before it is released (with redactions), the match
//! itself masked, and nothing after it.

use super::{Action, Guard, GuardMark, add_mark, mask};
use std::sync::Arc;

/// What to pass on after a piece of the stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    /// Text that can be shown now (possibly empty).
    pub text: String,
    /// Categories that matched in `text` and were not reported before.
    pub marks: Vec<GuardMark>,
    /// Set once, when a `block` match stopped the stream.
    pub blocked: Option<GuardMark>,
}

/// The guard's state for one reply.
pub struct StreamFilter {
    guard: Arc<Guard>,
    /// The last released character (look-behind context for `\b` and the like), then the text not
    /// released yet.
    pending: String,
    /// Bytes of released context at the start of `pending`.
    context: usize,
    marks: Vec<GuardMark>,
    blocked: Option<GuardMark>,
}

impl StreamFilter {
    pub fn new(guard: Arc<Guard>) -> StreamFilter {
        StreamFilter {
            guard,
            pending: String::new(),
            context: 0,
            marks: Vec::new(),
            blocked: None,
        }
    }

    /// Takes the next piece of the reply.
    pub fn push(&mut self, piece: &str) -> Step {
        if self.blocked.is_some() {
            return Step::default();
        }
        self.pending.push_str(piece);
        self.release(false)
    }

    /// Releases everything held back (the reply ended).
    pub fn finish(&mut self) -> Step {
        if self.blocked.is_some() {
            return Step::default();
        }
        self.release(true)
    }

    /// The category that stopped the stream, if one did.
    pub fn blocked(&self) -> Option<&GuardMark> {
        self.blocked.as_ref()
    }

    /// Every category that matched so far.
    pub fn marks(&self) -> &[GuardMark] {
        &self.marks
    }

    fn release(&mut self, all: bool) -> Step {
        let guard = Arc::clone(&self.guard);
        let hits = guard.hits(&self.pending, self.context);
        let mut step = Step::default();
        let action = |h: &super::Hit| guard.category(h).action;
        if let Some(block) = hits.iter().find(|h| action(h) == Action::Block) {
            let end = block.end;
            let shown = hits
                .iter()
                .filter(|h| h.start < end && (h == &block || action(h) != Action::Warn));
            for hit in hits.iter().filter(|h| h.start < block.start || h == &block) {
                self.note(&mut step, guard.mark(hit));
            }
            let ranges = shown.map(|h| (h.start - self.context, h.end.min(end) - self.context));
            step.text = mask(&self.pending[self.context..end], ranges);
            step.blocked = Some(guard.mark(block));
            self.blocked = step.blocked.clone();
            self.pending.clear();
            self.context = 0;
            return step;
        }
        let mut cut = match all {
            true => self.pending.len(),
            false => self.pending[self.context..]
                .char_indices()
                .rev()
                .nth(guard.hold_back().saturating_sub(1))
                .map_or(self.context, |(at, _)| self.context + at),
        };
        if !all && guard.hold_back() == 0 {
            cut = self.pending.len();
        }
        // A match across the release point waits until it is complete.
        while let Some(h) = hits.iter().find(|h| h.start < cut && h.end > cut) {
            cut = h.start;
        }
        let done: Vec<_> = hits.iter().filter(|h| h.end <= cut).collect();
        for hit in &done {
            self.note(&mut step, guard.mark(hit));
        }
        let ranges = done
            .iter()
            .filter(|h| action(h) != Action::Warn)
            .map(|h| (h.start - self.context, h.end - self.context));
        step.text = mask(&self.pending[self.context..cut], ranges);
        // Keep the last released character as context for the next search.
        let keep = self.pending[..cut]
            .char_indices()
            .next_back()
            .map_or(cut, |(at, _)| at);
        self.pending.drain(..keep);
        self.context = cut - keep;
        step
    }

    fn note(&mut self, step: &mut Step, mark: GuardMark) {
        if !self.marks.contains(&mark) {
            add_mark(&mut self.marks, mark.clone());
            step.marks.push(mark);
        }
    }
}
