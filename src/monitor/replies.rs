//! The figures of each finished reply, a ring of the last [`RING_SIZE`], and the totals since the
//! start. A figure a remote server did not report is `None` (shown as not available), never 0.

use crate::chat::{ReplyStats, SpeculationStats};
use std::collections::VecDeque;

/// How many replies the sparklines cover.
pub const RING_SIZE: usize = 32;

/// One finished reply.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplyFigures {
    pub generated_tokens: usize,
    /// Generation speed; `None` when nothing was generated.
    pub tokens_per_second: Option<f64>,
    /// `None` when no token arrived.
    pub ttft_ms: Option<f64>,
    pub prompt_evaluated: usize,
    /// `None` when a server did not say how much of the prompt it reused.
    pub prompt_reused: Option<usize>,
    /// Tokens in the context after the reply; `None` for a remote backend.
    pub context_used: Option<usize>,
    /// Time spent on the reply: time to first token plus generation.
    pub seconds: f64,
    /// Guessed and kept tokens, for a reply generated with speculative decoding.
    pub speculation: Option<SpeculationStats>,
}

impl ReplyFigures {
    pub fn from_stats(stats: &ReplyStats) -> ReplyFigures {
        let remote = stats.remote.as_ref();
        let tps = Some(stats.generation_tokens_per_second).filter(|t| *t > 0.0);
        let ttft = Some(stats.time_to_first_token_ms).filter(|t| *t > 0.0);
        let generating = match tps {
            Some(t) => stats.generated_tokens as f64 / t,
            None => 0.0,
        };
        ReplyFigures {
            generated_tokens: stats.generated_tokens,
            tokens_per_second: tps,
            ttft_ms: ttft,
            prompt_evaluated: stats.prompt_tokens_evaluated,
            prompt_reused: match remote {
                Some(r) if r.cached_tokens.is_none() => None,
                _ => Some(stats.prompt_tokens_reused),
            },
            context_used: match remote {
                Some(_) => None,
                None => Some(stats.context_used),
            },
            seconds: ttft.unwrap_or(0.0) / 1000.0 + generating,
            speculation: stats.speculation,
        }
    }
}

/// The last [`RING_SIZE`] replies, oldest first.
#[derive(Debug, Clone, Default)]
pub struct ReplyRing(VecDeque<ReplyFigures>);

impl ReplyRing {
    pub fn push(&mut self, figures: ReplyFigures) {
        if self.0.len() == RING_SIZE {
            self.0.pop_front();
        }
        self.0.push_back(figures);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ReplyFigures> {
        self.0.iter()
    }

    pub fn last(&self) -> Option<&ReplyFigures> {
        self.0.back()
    }

    /// The mean of a figure over the replies that have it.
    pub fn mean(&self, figure: impl Fn(&ReplyFigures) -> Option<f64>) -> Option<f64> {
        let values: Vec<f64> = self.0.iter().filter_map(figure).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// Totals since the session started (reset when another session is opened or a chat begins).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    pub replies: usize,
    /// Prompt tokens evaluated (the reused ones cost nothing and are counted apart).
    pub tokens_in: usize,
    /// Prompt tokens reused from the cache (as far as known).
    pub tokens_reused: usize,
    pub tokens_out: usize,
    /// Seconds spent on replies (time to first token plus generation).
    pub seconds: f64,
    /// Times the content-safety guard acted (rules and model check).
    pub guard_actions: usize,
}

impl Totals {
    pub fn add(&mut self, reply: &ReplyFigures) {
        self.replies += 1;
        self.tokens_in += reply.prompt_evaluated;
        self.tokens_reused += reply.prompt_reused.unwrap_or(0);
        self.tokens_out += reply.generated_tokens;
        self.seconds += reply.seconds;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::RemoteStats;

    fn stats(tps: f64, generated: usize) -> ReplyStats {
        ReplyStats {
            prompt_tokens_evaluated: 10,
            prompt_tokens_reused: 90,
            generated_tokens: generated,
            generation_tokens_per_second: tps,
            time_to_first_token_ms: 500.0,
            context_used: 120,
            ..ReplyStats::default()
        }
    }

    #[test]
    fn the_ring_keeps_the_last_32_replies_oldest_first() {
        let mut ring = ReplyRing::default();
        for i in 1..=40 {
            ring.push(ReplyFigures::from_stats(&stats(i as f64, 1)));
        }
        assert_eq!(ring.len(), RING_SIZE);
        let speeds: Vec<f64> = ring.iter().filter_map(|r| r.tokens_per_second).collect();
        assert_eq!(speeds.first(), Some(&9.0));
        assert_eq!(ring.last().and_then(|r| r.tokens_per_second), Some(40.0));
        assert_eq!(ring.mean(|r| r.tokens_per_second), Some(24.5));
    }

    #[test]
    fn totals_add_tokens_and_time() {
        let mut totals = Totals::default();
        totals.add(&ReplyFigures::from_stats(&stats(20.0, 40)));
        totals.add(&ReplyFigures::from_stats(&stats(10.0, 10)));
        assert_eq!(totals.replies, 2);
        assert_eq!(totals.tokens_in, 20);
        assert_eq!(totals.tokens_reused, 180);
        assert_eq!(totals.tokens_out, 50);
        // (0.5 + 40/20) + (0.5 + 10/10)
        assert!((totals.seconds - 4.0).abs() < 1e-9, "{}", totals.seconds);
    }

    #[test]
    fn what_a_server_does_not_report_is_none_not_zero() {
        let mut remote = stats(0.0, 0);
        remote.time_to_first_token_ms = 0.0;
        remote.remote = Some(RemoteStats::default());
        let figures = ReplyFigures::from_stats(&remote);
        assert_eq!(figures.prompt_reused, None);
        assert_eq!(figures.context_used, None);
        assert_eq!(figures.tokens_per_second, None);
        assert_eq!(figures.ttft_ms, None);
        let local = ReplyFigures::from_stats(&stats(5.0, 5));
        assert_eq!(local.prompt_reused, Some(90));
        assert_eq!(local.context_used, Some(120));
    }
}
