//! One slot: a llama.cpp sequence, the tokens its KV cache holds, and the reply it is running.
//!
//! A slot keeps its cached tokens after a reply, so the next request that shares their prefix (the
//! next turn of the same conversation, a regenerated reply) evaluates only what is new. The
//! bookkeeping here is the only record of what each sequence holds: the scheduler counts KV cells
//! from it and never asks llama.cpp.

use super::super::prompt;
use super::super::sampler::Sampler;
use super::super::stream::ReplyStream;
use super::speculate::Speculator;
use crate::chat::ReplyStats;
use crate::engine::RequestId;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::token::LlamaToken;
use std::ops::Range;
use std::time::Instant;

/// Where a running reply stands.
pub enum Phase {
    /// Prompt tokens past the cache are still to be evaluated.
    Prefill,
    /// The sampled token that the next step decodes (after its text was sent).
    Decode(LlamaToken),
    /// The last step produced logits for this slot at this batch index; it samples (or ends)
    /// right after that step.
    Sample(i32),
    /// Another alternative of the same request evaluates the prompt; its cells are shared with
    /// this slot once they are in the cache (`super::fanout`).
    Follow,
}

/// The reply a slot is running.
pub struct Active {
    /// The id this reply's events carry (`request + k` for alternative `k`).
    pub id: RequestId,
    /// The id of the request it answers (a `Cancel` of it stops every alternative).
    pub request: RequestId,
    /// The slots waiting in [`Phase::Follow`] for this reply's prompt (only while it prefills).
    pub followers: Vec<usize>,
    pub prompt: Vec<LlamaToken>,
    pub phase: Phase,
    pub sampler: Sampler,
    pub stream: ReplyStream,
    pub stats: ReplyStats,
    pub max_tokens: usize,
    pub ignore_eog: bool,
    pub started: Instant,
    pub prefill_started: Option<Instant>,
    pub first_token_at: Option<Instant>,
    /// Admission order: prompts are prefilled first come, first served.
    pub admitted: u64,
    /// Speculative decoding's state, when the reply guesses tokens.
    pub speculator: Option<Speculator>,
    /// The thinking budget, if the request has one (`crate::engine::budget`).
    pub budget: Option<crate::engine::budget::Budget<LlamaToken>>,
}

/// One sequence of the shared context.
pub struct Slot {
    pub seq: i32,
    /// The tokens sequence `seq` holds in the KV cache, position by position.
    pub cached: Vec<LlamaToken>,
    /// Turns the last prompt left out; the next prompt keeps that start while it fits.
    pub dropped_turns: usize,
    /// The positions the last prompt evaluated (the rest came from the cache).
    pub last_evaluated: Range<usize>,
    /// When the slot last took a request (ties in slot choice go to the least recently used).
    pub last_used: u64,
    pub active: Option<Active>,
    /// The prefix of `cached` whose cells other slots share (see `super::fanout::Shared`).
    pub shared: Option<super::fanout::Shared>,
    /// The session this cache belongs to, for KV snapshots.
    pub snapshot: Option<super::snapshot::SlotSnapshot>,
}

impl Slot {
    pub fn new(seq: i32) -> Slot {
        Slot {
            seq,
            cached: Vec::new(),
            dropped_turns: 0,
            last_evaluated: 0..0,
            last_used: 0,
            active: None,
            shared: None,
            snapshot: None,
        }
    }

    pub fn is_idle(&self) -> bool {
        self.active.is_none()
    }

    /// How many cached tokens a new prompt keeps: the shared prefix, less at least one token so
    /// that the last one yields fresh logits.
    ///
    /// A prompt that ends inside the last prompt's evaluated part (regenerating a reply) keeps
    /// only what that prompt kept, so the same tokens are evaluated again in the same batch. The
    /// logits then match bit for bit and a fixed seed gives the same reply: without flash
    /// attention, llama.cpp's attention rounds differently for one token than for a batch.
    pub fn tokens_to_keep(&self, tokens: &[LlamaToken], reuse: bool) -> usize {
        if !reuse || tokens.is_empty() {
            return 0;
        }
        let keep = prompt::common_prefix(&self.cached, tokens).min(tokens.len() - 1);
        let evaluated = &self.last_evaluated;
        if keep > evaluated.start && tokens.len() <= evaluated.end {
            evaluated.start
        } else {
            keep
        }
    }

    /// Drops everything past `keep` from this sequence's cache; returns how many tokens were
    /// kept.
    pub fn truncate(&mut self, ctx: &mut LlamaContext<'_>, keep: usize) -> usize {
        super::fanout::Shared::cut(&mut self.shared, keep);
        if keep >= self.cached.len() {
            return self.cached.len();
        }
        let removed = ctx.clear_kv_cache_seq(Some(self.seq as u32), Some(keep as u32), None);
        if matches!(removed, Ok(true)) {
            self.cached.truncate(keep);
            keep
        } else {
            // Recurrent models cannot drop a suffix: start this sequence over.
            let _ = ctx.clear_kv_cache_seq(Some(self.seq as u32), None, None);
            self.cached.clear();
            self.shared = None;
            0
        }
    }

    /// Prompt tokens still to evaluate (0 once the prompt is in the cache).
    pub fn prompt_left(&self) -> usize {
        match &self.active {
            Some(
                active @ Active {
                    phase: Phase::Prefill,
                    ..
                },
            ) => active.prompt.len() - self.cached.len(),
            _ => 0,
        }
    }
}

/// The idle slot for a prompt: the longest shared prefix with its cached tokens, ties to the least
/// recently used. `prompts` gives the prompt each slot would evaluate (they differ only when slots
/// left out different numbers of turns).
pub fn choose(slots: &[Slot], prompt_for: impl Fn(&Slot) -> Option<usize>) -> Option<usize> {
    slots
        .iter()
        .enumerate()
        .filter(|(_, slot)| slot.is_idle())
        .filter_map(|(i, slot)| prompt_for(slot).map(|shared| (i, shared, slot.last_used)))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(i, _, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(seq: i32, cached: &[i32], last_used: u64) -> Slot {
        let mut slot = Slot::new(seq);
        slot.cached = cached.iter().map(|&t| LlamaToken::new(t)).collect();
        slot.last_used = last_used;
        slot
    }

    fn shared(prompt: &[i32]) -> impl Fn(&Slot) -> Option<usize> + '_ {
        move |slot: &Slot| {
            let prompt: Vec<_> = prompt.iter().map(|&t| LlamaToken::new(t)).collect();
            Some(prompt::common_prefix(&slot.cached, &prompt))
        }
    }

    #[test]
    fn the_longest_shared_prefix_wins_and_ties_go_to_the_least_recently_used() {
        let slots = vec![
            slot(0, &[1, 2], 5),
            slot(1, &[1, 2, 3], 9),
            slot(2, &[7], 1),
        ];
        assert_eq!(choose(&slots, shared(&[1, 2, 3, 4])), Some(1));
        // Nobody shares anything: the least recently used.
        assert_eq!(choose(&slots, shared(&[9, 9])), Some(2));
        let tied = vec![slot(0, &[1], 5), slot(1, &[1], 3)];
        assert_eq!(choose(&tied, shared(&[1, 2])), Some(1));
    }
}
