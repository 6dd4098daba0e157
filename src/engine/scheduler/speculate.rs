//! Speculative decoding in the scheduler: a slot's guessed tokens ride in the step's batch behind
//! its current token, and are verified right after the step.
//!
//! Verification samples the target model at each guessed position with the slot's own sampler,
//! in order, and keeps going while the sample equals the guess; the first sample that differs is
//! emitted and the rest thrown away. Every emitted token is therefore the sampler's own pick from
//! the target's logits at its position, and the sampler has seen (`accept`ed) exactly the
//! emitted tokens in order: the penalties' history and the random stream are those of plain
//! decoding, so only the number of steps changes. Each emitted token goes through the same
//! per-token path as plain decoding (`Scheduler::sample_one`: length and context limits,
//! end-of-generation, detokenizing, stop strings), so a reply that ends on a guessed position
//! ends exactly where plain decoding ends it. The cells of the guesses that were not kept are
//! then removed from the sequence (`seq_rm` from the first one not kept), so the slot's cache and
//! its bookkeeping again hold exactly the emitted tokens.
//!
//! The guesses come from the conversation (prompt lookup) or from a draft model
//! (`speculation::draft`); verification is the same for both.
//!
//! Recurrent and hybrid models cannot drop a suffix of a sequence, so they never speculate.

use super::slot::{Active, Slot};
use super::{Emit, Scheduler};
use crate::chat::SpeculationStats;
use crate::engine::speculation::draft::Drafter;
use crate::engine::speculation::{self, DraftLength};
use crate::params::{SamplingParams, Speculation};
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;

/// Where a reply's guesses come from.
enum Source {
    /// The conversation's own tokens (n-gram prompt lookup, at most `ngram` long).
    Lookup { ngram: usize },
    /// The scheduler's draft model.
    Draft,
}

/// One reply's guessing: its draft length, and the guesses in the current step's batch.
pub struct Speculator {
    length: DraftLength,
    source: Source,
    /// Guesses decoded in the current step, after the slot's current token.
    drafts: Vec<LlamaToken>,
}

impl Speculator {
    /// The speculator `sampling` asks for, if `model` can drop rejected guesses.
    pub fn new(sampling: &SamplingParams, model: &LlamaModel) -> Option<Speculator> {
        let source = match sampling.speculation {
            Speculation::Off => return None,
            Speculation::Lookup => Source::Lookup {
                ngram: sampling.lookup_ngram.max(1) as usize,
            },
            Speculation::Draft => Source::Draft,
        };
        if model.is_recurrent() || model.is_hybrid() {
            return None;
        }
        Some(Speculator {
            length: DraftLength::new(sampling.draft_max.map(|n| n as usize)),
            source,
            drafts: Vec::new(),
        })
    }
}

/// Guesses to decode after `token` in slot `slot` this step, at most `room` of them (and no
/// more than the reply's length limit can still use); they are kept in the slot's speculator
/// until the step is verified. `drafter` is the draft model, for `speculation = draft`.
pub fn propose<'s>(
    slot: &'s mut Slot,
    drafter: Option<&mut Drafter<'_>>,
    token: LlamaToken,
    room: usize,
) -> &'s [LlamaToken] {
    let Some(active) = slot.active.as_mut() else {
        return &[];
    };
    // The current token is counted already; each guess kept is one more.
    let usable = active
        .max_tokens
        .saturating_sub(active.stats.generated_tokens + 1);
    let Some(speculator) = active.speculator.as_mut() else {
        return &[];
    };
    let want = speculator.length.take().min(room).min(usable);
    speculator.drafts.clear();
    if want > 0 {
        slot.cached.push(token);
        speculator.drafts = match (&speculator.source, drafter) {
            (Source::Lookup { ngram }, _) => speculation::draft(&slot.cached, *ngram, want),
            (Source::Draft, Some(drafter)) => {
                let prompt = (active.admitted, slot.last_evaluated.clone());
                drafter.draft(slot.seq as usize, &slot.cached, prompt, want)
            }
            (Source::Draft, None) => Vec::new(),
        };
        slot.cached.pop();
    }
    &speculator.drafts
}

/// The guesses decoded this step (empty without speculation).
pub fn drafts(active: &Active) -> &[LlamaToken] {
    active.speculator.as_ref().map_or(&[], |s| &s.drafts)
}

impl Scheduler<'_> {
    /// Samples slot `i` at its first output `index` and, while the samples equal its guesses, at
    /// the guessed positions after it (see the module docs).
    pub(super) fn verify(
        &mut self,
        i: usize,
        index: i32,
        model: &LlamaModel,
        n_ctx: usize,
        emit: Emit,
    ) {
        let drafts = match self.slots[i]
            .active
            .as_mut()
            .and_then(|a| a.speculator.as_mut())
        {
            Some(speculator) => std::mem::take(&mut speculator.drafts),
            None => Vec::new(),
        };
        if drafts.is_empty() {
            self.sample_one(i, index, model, n_ctx, emit);
            return;
        }
        let slot = &mut self.slots[i];
        // The cache as plain decoding would hold it: up to the current token.
        let kept = slot.cached.len() - drafts.len();
        slot.cached.truncate(kept);
        if let Some(active) = slot.active.as_mut() {
            active
                .stats
                .speculation
                .get_or_insert_with(SpeculationStats::default)
                .drafted += drafts.len();
        }
        let mut accepted = 0;
        let mut going = true;
        for (j, draft) in drafts.iter().map(Some).chain([None]).enumerate() {
            let Some(token) = self.sample_one(i, index + j as i32, model, n_ctx, emit) else {
                going = false;
                break;
            };
            if draft != Some(&token) {
                break;
            }
            accepted += 1;
            let slot = &mut self.slots[i];
            slot.cached.push(token);
            if let Some(stats) = slot
                .active
                .as_mut()
                .and_then(|a| a.stats.speculation.as_mut())
            {
                stats.accepted += 1;
            }
        }
        let slot = &mut self.slots[i];
        // Rejected guesses leave the sequence (the model cannot speculate if this fails).
        let _ = self.ctx.clear_kv_cache_seq(
            Some(slot.seq as u32),
            Some(slot.cached.len() as u32),
            None,
        );
        if going && let Some(speculator) = slot.active.as_mut().and_then(|a| a.speculator.as_mut())
        {
            speculator.length.record(drafts.len(), accepted);
        }
    }
}
