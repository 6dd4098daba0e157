//! One scheduler step: build one batch (the next token of every generating slot, then prompt
//! chunks first come first served), decode it, and sample every slot that got logits.
//!
//! The unified KV cache is shared, so a step also keeps the cells within the context: idle slots'
//! caches are dropped (least recently used first) before a running reply goes without room.

use super::slot::{Phase, Slot};
use super::{Emit, Scheduler, speculate};
use crate::chat::StopReason;
use crate::engine::EngineEvent;
use crate::engine::generate::{GenerateError, per_second};
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use std::time::Instant;

/// What one slot put into the batch.
struct Entry {
    slot: usize,
    /// The slot's cache length before the step.
    from: usize,
    /// Tokens added (positions `from..from + count`).
    count: usize,
    /// The batch index of its logits, if it asked for them.
    logits: Option<i32>,
}

impl Scheduler<'_> {
    /// With a unified cache, frees cells by dropping idle slots' caches until `needed` are free;
    /// returns how many are (unbounded when each slot has its own cells).
    fn make_room(&mut self, needed: usize) -> usize {
        let Some(total) = self.shared_cells else {
            return usize::MAX;
        };
        loop {
            let free = total.saturating_sub(self.cells());
            if free >= needed {
                return free;
            }
            let victim = self
                .slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_idle() && !s.cached.is_empty())
                .min_by_key(|(_, s)| s.last_used)
                .map(|(i, _)| i);
            match victim {
                Some(i) => {
                    self.slots[i].truncate(&mut self.ctx, 0);
                    self.slots[i].last_evaluated = 0..0;
                }
                None => return free,
            }
        }
    }

    /// Runs one step. Does nothing when no slot is running a reply.
    pub fn step(&mut self, model: &LlamaModel, emit: Emit) {
        self.drop_orphans(emit);
        let entries = self.plan(emit);
        if entries.is_empty() {
            self.publish();
            return;
        }
        if let Err(e) = self.ctx.decode(&mut self.batch) {
            let reason = e.to_string();
            for entry in &entries {
                let slot = &mut self.slots[entry.slot];
                // Keep the bookkeeping equal to what llama.cpp holds: nothing of this step.
                let _ = self.ctx.clear_kv_cache_seq(
                    Some(slot.seq as u32),
                    Some(entry.from as u32),
                    None,
                );
                slot.cached.truncate(entry.from);
                if let Some(active) = slot.active.take() {
                    emit(EngineEvent::Failed {
                        id: active.id,
                        error: GenerateError::Decode(reason.clone()).into(),
                    });
                }
            }
            self.publish();
            return;
        }
        let now = Instant::now();
        for entry in &entries {
            let slot = &mut self.slots[entry.slot];
            let Some(active) = slot.active.as_mut() else {
                continue;
            };
            match active.phase {
                Phase::Decode(token) => {
                    slot.cached.push(token);
                    slot.cached.extend_from_slice(speculate::drafts(active));
                }
                _ => slot
                    .cached
                    .extend_from_slice(&active.prompt[entry.from..entry.from + entry.count]),
            }
            if let Some(index) = entry.logits {
                if matches!(active.phase, Phase::Prefill) {
                    let evaluated = slot.cached.len() - active.stats.prompt_tokens_reused;
                    active.stats.prompt_tokens_evaluated = evaluated;
                    let since = active.prefill_started.unwrap_or(now);
                    active.stats.prompt_tokens_per_second = per_second(evaluated, since, now);
                }
                active.phase = Phase::Sample(index);
            }
        }
        self.fan_out();
        self.publish();
        let n_ctx = self.n_ctx;
        for i in 0..self.slots.len() {
            let sampling = self.slots[i].active.as_ref().map(|a| &a.phase);
            if let Some(&Phase::Sample(index)) = sampling {
                self.verify(i, index, model, n_ctx, emit);
            }
        }
        self.publish();
    }

    /// Fills the batch; replies that cannot get room end here.
    fn plan(&mut self, emit: Emit) -> Vec<Entry> {
        self.batch.clear();
        let mut entries = Vec::new();
        let generating: Vec<usize> = (0..self.slots.len())
            .filter(|&i| {
                matches!(
                    self.slots[i].active.as_ref().map(|a| &a.phase),
                    Some(Phase::Decode(_))
                )
            })
            .collect();
        let mut free = self.make_room(generating.len());
        for (n, &i) in generating.iter().enumerate() {
            // Guesses may take what the other generating slots' current tokens leave.
            let others = generating.len() - n - 1;
            let slot = &mut self.slots[i];
            if free == 0 {
                finish(slot, StopReason::ContextFull, emit);
                continue;
            }
            let Some(Phase::Decode(token)) = slot.active.as_ref().map(|a| &a.phase) else {
                continue;
            };
            let index = self.batch.n_tokens();
            let pos = slot.cached.len();
            if self
                .batch
                .add(*token, pos as i32, &[slot.seq], true)
                .is_err()
            {
                break;
            }
            free = free.saturating_sub(1);
            let room = (self.batch_size - self.batch.n_tokens() as usize)
                .min(free)
                .min(self.n_ctx.saturating_sub(pos + 1))
                .saturating_sub(others);
            let (token, seq) = (*token, slot.seq);
            let drafts = speculate::propose(slot, self.drafter.as_mut(), token, room);
            for (j, &draft) in drafts.iter().enumerate() {
                let at = (pos + 1 + j) as i32;
                self.batch
                    .add(draft, at, &[seq], true)
                    .expect("the batch has room for the guesses");
            }
            free = free.saturating_sub(drafts.len());
            entries.push(Entry {
                slot: i,
                from: pos,
                count: 1 + drafts.len(),
                logits: Some(index),
            });
        }
        let mut prefilling: Vec<(u64, usize)> = (0..self.slots.len())
            .filter_map(|i| match &self.slots[i].active {
                Some(a) if matches!(a.phase, Phase::Prefill) => Some((a.admitted, i)),
                _ => None,
            })
            .collect();
        prefilling.sort_unstable();
        for &(_, i) in &prefilling {
            let room = self.batch_size - self.batch.n_tokens() as usize;
            if room == 0 {
                break;
            }
            let left = self.slots[i].prompt_left();
            if free < left.min(room) {
                free = self.make_room(left.min(room));
            }
            let count = left.min(room).min(free);
            if count == 0 {
                continue;
            }
            let slot = &mut self.slots[i];
            let Some(active) = slot.active.as_mut() else {
                continue;
            };
            active.prefill_started.get_or_insert_with(Instant::now);
            let from = slot.cached.len();
            let total = active.prompt.len();
            let mut logits = None;
            for pos in from..from + count {
                let last = pos + 1 == total;
                if last {
                    logits = Some(self.batch.n_tokens());
                }
                if self
                    .batch
                    .add(active.prompt[pos], pos as i32, &[slot.seq], last)
                    .is_err()
                {
                    break;
                }
            }
            free = free.saturating_sub(count);
            entries.push(Entry {
                slot: i,
                from,
                count,
                logits,
            });
        }
        if entries.is_empty() {
            // Prompts wait for cells that only their own neighbours hold: the newest gives way.
            if let Some(&(_, i)) = prefilling.last() {
                let active = self.slots[i].active.take().expect("a prefilling slot");
                emit(EngineEvent::Failed {
                    id: active.id,
                    error: GenerateError::ContextBusy { n_ctx: self.n_ctx }.into(),
                });
            }
        }
        entries
    }

    /// Samples the next token of slot `i` from output `index` of the last step and emits it, or
    /// ends the reply; returns the token if the reply goes on (it is then the slot's next
    /// `Phase::Decode`). The slot's cache must end with the token whose logits `index` holds.
    pub(super) fn sample_one(
        &mut self,
        i: usize,
        index: i32,
        model: &LlamaModel,
        n_ctx: usize,
        emit: Emit,
    ) -> Option<LlamaToken> {
        let slot = &mut self.slots[i];
        let active = slot.active.as_mut()?;
        if active.stats.generated_tokens >= active.max_tokens {
            finish(slot, StopReason::MaxTokens, emit);
            return None;
        }
        if slot.cached.len() >= n_ctx {
            finish(slot, StopReason::ContextFull, emit);
            return None;
        }
        // At the thinking budget's limit the end tag's tokens are fed instead of sampled ones.
        let forced = active.budget.as_mut().and_then(|b| b.forced());
        let token = match forced {
            Some(token) => {
                active.sampler.accept_many(&[token]);
                token
            }
            None => active.sampler.sample(&self.ctx, index),
        };
        if active.first_token_at.is_none() {
            active.first_token_at = Some(Instant::now());
            active.stats.time_to_first_token_ms = active.started.elapsed().as_secs_f64() * 1000.0;
        }
        let vocab = model.vocab();
        if vocab.is_eog(token) && !active.ignore_eog {
            finish(slot, StopReason::EndOfGeneration, emit);
            return None;
        }
        active.stats.generated_tokens += 1;
        let mut piece = Vec::with_capacity(32);
        vocab.token_to_piece_into(token, &mut piece, false, None);
        if let Some(budget) = active.budget.as_mut().filter(|_| forced.is_none()) {
            budget.observe(&String::from_utf8_lossy(&piece));
            if let Some(text) = budget.take_closing() {
                budget.force(vocab.tokenize(text.as_bytes(), false, true));
            }
        }
        let pushed = active.stream.push(&piece);
        if !pushed.visible.is_empty() {
            emit(EngineEvent::Token {
                id: active.id,
                text: pushed.visible,
            });
        }
        if pushed.hit_stop {
            finish(slot, StopReason::StopString, emit);
            return None;
        }
        active.phase = Phase::Decode(token);
        Some(token)
    }
}

/// Ends the slot's reply with `stop`: the held-back text, then `Finished` with its figures. The
/// slot keeps its cache for the next request.
pub fn finish(slot: &mut Slot, stop: StopReason, emit: Emit) {
    let Some(mut active) = slot.active.take() else {
        return;
    };
    let rest = active.stream.finish();
    if !rest.is_empty() {
        emit(EngineEvent::Token {
            id: active.id,
            text: rest,
        });
    }
    let now = Instant::now();
    if matches!(active.phase, Phase::Prefill) {
        let evaluated = slot
            .cached
            .len()
            .saturating_sub(active.stats.prompt_tokens_reused);
        active.stats.prompt_tokens_evaluated = evaluated;
        if let Some(since) = active.prefill_started {
            active.stats.prompt_tokens_per_second = per_second(evaluated, since, now);
        }
    }
    if let Some(first) = active.first_token_at {
        active.stats.generation_tokens_per_second =
            per_second(active.stats.generated_tokens, first, now);
    }
    active.stats.stop_reason = Some(stop);
    active.stats.context_used = slot.cached.len();
    emit(EngineEvent::Finished {
        id: active.id,
        stats: active.stats,
    });
}
