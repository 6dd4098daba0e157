//! The continuous-batching scheduler: every reply of every front end runs here.
//!
//! One llama.cpp context holds one sequence per slot (`n_seq_max` = slots). Each step
//! decodes one batch with the next token of every generating slot plus a chunk of any prompt still
//! being evaluated (chunked prefill, bounded by the batch size), so a long prompt slows the others
//! for a step at a time instead of stalling them. The chat and `ask` are this scheduler with one
//! slot; `ggchat serve --parallel N` runs it with N. llama-server's `update_slots` is the model.
//!
//! By default each slot has its own KV cells (`ctx / slots`, llama.cpp's per-sequence streams).
//! A unified cache (`kv_unified`) lets any slot reach the whole context, but then the slots' cells
//! interleave and llama.cpp's CPU attention (its tiled and split-KV kernels) rounds a sequence
//! differently depending on its neighbours: measured on SmolLM2, greedy replies beside seven
//! others drift from their lone answers within 0 to 27 tokens, flash attention on or off. With
//! per-slot streams they are the same, bit for bit (flash attention on). Sequences never mixing
//! is worth the fixed share; `ggchat serve --kv-unified` trades it for reach. With a unified
//! cache the scheduler keeps the cells within the context itself (`step::make_room`).
//!
//! Between steps the engine thread reads its mailbox, so a cancel frees its slot within one step
//! and new requests join the running batch at the next one.

mod fanout;
pub use fanout::chat_params;
mod slot;
mod snapshot;
mod speculate;
mod step;

pub use snapshot::key_for as snapshot_key;

use super::generate::{self, GenerateError, PromptTokens, random_seed};
use super::messages::{BenchResult, EngineEvent, GenerateRequest, RequestId};
use super::prompt;
use super::sampler::Sampler;
use super::stream::ReplyStream;
use super::template::ChatTemplate;
use crate::chat::{ReplyStats, StopReason};
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use slot::{Active, Phase, Slot};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// KV cells held by every scheduler of the process (the sum of the tokens each sequence holds),
/// from the schedulers' own bookkeeping. `ggchat serve` runs one engine, so this is its figure.
static KV_CELLS: AtomicUsize = AtomicUsize::new(0);

/// KV cells in use by the local engines of this process (`/metrics`).
pub fn kv_cells_used() -> usize {
    KV_CELLS.load(Ordering::Relaxed)
}

/// Where events go.
pub type Emit<'a> = &'a dyn Fn(EngineEvent);

/// A llama.cpp context shared by `slots` sequences, and the replies running in them.
pub struct Scheduler<'model> {
    pub ctx: LlamaContext<'model>,
    slots: Vec<Slot>,
    batch: LlamaBatch<'static>,
    batch_size: usize,
    /// The context one slot can reach.
    n_ctx: usize,
    /// The cells all slots share (a unified cache), or `None` when each slot has its own.
    shared_cells: Option<usize>,
    /// Counts admissions: the order of prefill and the least-recently-used tie-break.
    clock: u64,
    /// What this scheduler last added to `KV_CELLS`.
    published: usize,
    /// The validation key of KV snapshots; `None`: snapshots off (see `snapshot`).
    snapshot_key: Option<crate::engine::snapshot::SnapshotKey>,
    /// The draft model's context, when one is loaded (`speculation = draft`).
    drafter: Option<super::speculation::draft::Drafter<'model>>,
}

impl<'model> Scheduler<'model> {
    /// `ctx` must have been created with `n_seq_max = slots`, `n_batch >= slots` and the given
    /// `kv_unified`.
    pub fn new(ctx: LlamaContext<'model>, slots: usize, kv_unified: bool) -> Self {
        let slots = slots.max(1);
        let batch_size = ctx.n_batch().max(1) as usize;
        let total = ctx.n_ctx() as usize;
        // llama.cpp gives each stream `n_ctx / n_seq_max` cells (and rounds n_ctx to fit).
        let (n_ctx, shared_cells) = if kv_unified {
            (total, Some(total))
        } else {
            (total / slots, None)
        };
        Scheduler {
            ctx,
            slots: (0..slots as i32).map(Slot::new).collect(),
            batch: LlamaBatch::new(batch_size, 1),
            batch_size,
            n_ctx,
            shared_cells,
            clock: 0,
            published: 0,
            snapshot_key: None,
            drafter: None,
        }
    }

    /// Guesses for `speculation = draft` come from `drafter` (one sequence per slot).
    pub fn set_drafter(&mut self, drafter: super::speculation::draft::Drafter<'model>) {
        self.drafter = Some(drafter);
    }

    /// The context one reply can reach.
    pub fn slot_ctx(&self) -> usize {
        self.n_ctx
    }

    /// No slot is running a reply.
    pub fn is_idle(&self) -> bool {
        self.slots.iter().all(Slot::is_idle)
    }

    pub fn has_free_slot(&self) -> bool {
        self.slots.iter().any(Slot::is_idle)
    }

    /// Starts `request` in the idle slot that already holds most of its prompt. Problems with
    /// the request are answered with `Failed` (under each alternative's id). Call only when [`Self::has_free_slot`].
    pub fn admit(
        &mut self,
        model: &LlamaModel,
        template: &ChatTemplate,
        request: &GenerateRequest,
        emit: Emit,
    ) {
        if let Err(e) = self.try_admit(model, template, request, emit) {
            let error: super::EngineError = e.into();
            for id in request.alternative_ids() {
                emit(EngineEvent::Failed {
                    id,
                    error: error.clone(),
                });
            }
        }
    }

    fn try_admit(
        &mut self,
        model: &LlamaModel,
        template: &ChatTemplate,
        request: &GenerateRequest,
        emit: Emit,
    ) -> Result<(), GenerateError> {
        let started = Instant::now();
        let sampling = &request.sampling;
        sampling.validate()?;
        if sampling.speculation == crate::params::Speculation::Draft && self.drafter.is_none() {
            return Err(GenerateError::NoDraftModel);
        }
        self.check_alternatives(request)?;
        self.restore_snapshot(model, template, request);
        // The prompt depends on the turns a slot left out last time; slots almost always agree,
        // so this renders once.
        let mut prompts: Vec<(usize, PromptTokens)> = Vec::new();
        for slot in self.slots.iter().filter(|s| s.is_idle()) {
            if prompts
                .iter()
                .all(|(start, _)| *start != slot.dropped_turns)
            {
                let tokens = generate::prompt_tokens(
                    model,
                    template,
                    request,
                    self.n_ctx,
                    slot.dropped_turns,
                )?;
                prompts.push((slot.dropped_turns, tokens));
            }
        }
        let prompt_of = |slot: &Slot| {
            prompts
                .iter()
                .find(|(start, _)| *start == slot.dropped_turns)
                .map(|(_, p)| p)
        };
        let chosen = slot::choose(&self.slots, |slot| {
            prompt_of(slot).map(|p| prompt::common_prefix(&slot.cached, &p.tokens))
        })
        .expect("admit is called with an idle slot");
        let PromptTokens {
            tokens,
            dropped_turns,
        } = prompt_of(&self.slots[chosen]).expect("every idle slot has a prompt");
        let tokens = tokens.clone();
        let dropped_turns = *dropped_turns;
        let templated = request.raw_prompt.is_none()
            && !matches!(request.bench, Some(s) if s.prompt_tokens.is_some());
        let notice = templated.then(|| template.take_notice()).flatten();

        self.clock += 1;
        self.tag_slot(chosen, request);
        let slot = &mut self.slots[chosen];
        if templated {
            slot.dropped_turns = dropped_turns;
        }
        emit(EngineEvent::Started {
            id: request.id,
            prompt_tokens: tokens.len(),
            dropped_turns,
            notice,
        });
        let keep = slot.tokens_to_keep(&tokens, request.reuse_cache && request.bench.is_none());
        let reused = slot.truncate(&mut self.ctx, keep);
        slot.last_evaluated = reused..tokens.len();
        slot.last_used = self.clock;

        let seed = sampling.seed.unwrap_or_else(random_seed);
        let mut sampler = (request.grammar.as_deref())
            .and_then(|grammar| Sampler::with_grammar(model, grammar, sampling, seed))
            .unwrap_or_else(|| Sampler::new(sampling, seed, model.n_vocab()));
        let window = sampling.repeat_last_n.max(0) as usize;
        sampler.accept_many(&tokens[tokens.len().saturating_sub(window)..]);
        // The alternatives of a ×N reply decode plainly (their drafts would race in one batch).
        let speculator = (request.alternatives <= 1)
            .then(|| speculate::Speculator::new(sampling, model))
            .flatten();
        slot.active = Some(Active {
            id: request.id,
            request: request.id,
            followers: Vec::new(),
            prompt: tokens,
            phase: Phase::Prefill,
            sampler,
            stream: ReplyStream::new(&template.stop_strings(&sampling.stop)),
            stats: ReplyStats {
                prompt_tokens_reused: reused,
                dropped_turns,
                seed,
                speculation: speculator.as_ref().map(|_| Default::default()),
                ..Default::default()
            },
            max_tokens: sampling.max_tokens as usize,
            ignore_eog: request.bench.is_some_and(|shape| shape.ignore_eog),
            started,
            prefill_started: None,
            first_token_at: None,
            admitted: self.clock,
            speculator,
            budget: thinking_budget(model, request),
        });
        if request.alternatives > 1 {
            self.add_followers(chosen, request, model, template, seed, emit);
        }
        self.publish();
        Ok(())
    }

    /// Ends the reply `id` now (with `Finished`, stop reason `Cancelled`), or every alternative
    /// of the request `id`; false if no slot runs it.
    pub fn cancel(&mut self, id: RequestId, emit: Emit) -> bool {
        let mut found = false;
        for slot in &mut self.slots {
            if slot
                .active
                .as_ref()
                .is_some_and(|a| a.id == id || a.request == id)
            {
                step::finish(slot, StopReason::Cancelled, emit);
                found = true;
            }
        }
        found
    }

    /// Cancels every running reply (shutdown).
    pub fn cancel_all(&mut self, emit: Emit) {
        for slot in self.slots.iter_mut().filter(|s| !s.is_idle()) {
            step::finish(slot, StopReason::Cancelled, emit);
        }
    }

    /// The raw decode loop of `ggchat bench` on an idle scheduler; every slot's cache is emptied.
    pub fn bench(
        &mut self,
        model: &LlamaModel,
        pp: usize,
        tg: usize,
    ) -> Result<BenchResult, GenerateError> {
        let result = generate::raw_bench(&mut self.ctx, model, self.batch_size, pp, tg);
        self.ctx.clear_kv_cache();
        for slot in &mut self.slots {
            slot.cached.clear();
            slot.shared = None;
            slot.last_evaluated = 0..0;
        }
        self.publish();
        result
    }

    /// Copies this scheduler's cell count into the process-wide gauge.
    fn publish(&mut self) {
        let cells = self.cells();
        if cells >= self.published {
            KV_CELLS.fetch_add(cells - self.published, Ordering::Relaxed);
        } else {
            KV_CELLS.fetch_sub(self.published - cells, Ordering::Relaxed);
        }
        self.published = cells;
    }
}

impl Drop for Scheduler<'_> {
    fn drop(&mut self) {
        KV_CELLS.fetch_sub(self.published, Ordering::Relaxed);
    }
}

/// The thinking budget of one reply of `request` (each alternative counts its own).
fn thinking_budget(
    model: &LlamaModel,
    request: &GenerateRequest,
) -> Option<crate::engine::budget::Budget<llama_cpp_2::token::LlamaToken>> {
    request.thinking_budget.clone().map(|spec| {
        let mut budget = crate::engine::budget::Budget::new(spec);
        if let Some(text) = budget.take_closing() {
            budget.force(model.vocab().tokenize(text.as_bytes(), false, true));
        }
        budget
    })
}
