//! Several replies to one prompt ("regenerate ×N" in the chat, OpenAI's `n` in `serve`).
//!
//! A request for N alternatives takes N idle slots. The first (the leader) evaluates the prompt
//! as any reply does; the others wait in [`Phase::Follow`]. In the step that evaluates the
//! prompt's last chunk, the leader's cells are shared with every follower (llama.cpp's
//! `seq_cp`) and every alternative samples its first token from the same logits, each with its
//! own sampler (seed `seed + k`), so the prompt costs one evaluation and the N replies then decode
//! side by side in the ordinary batches.
//!
//! With a unified KV cache (the chat's context: one stream, see `LoadedModel::context_params`)
//! `seq_cp` only tags the prompt's cells with the followers' sequences: nothing is copied, and the
//! conversation can use the whole context instead of `ctx / N`. [`Shared`] records that, so the
//! scheduler counts those cells once. With per-slot streams (`serve` without `--kv-unified`)
//! llama.cpp copies the leader's stream into each follower's at the next decode.
//!
//! Afterwards each slot keeps its alternative's tokens like any finished reply: the next turn
//! goes to the slot holding the alternative it continues (longest common prefix), so picking any
//! sibling costs no new evaluation; the others are dropped first when the unified cache needs room
//! (least recently used).

use super::slot::{Active, Phase};
use super::{Emit, Scheduler};
use crate::engine::EngineEvent;
use crate::engine::generate::GenerateError;
use crate::engine::messages::{GenerateRequest, MAX_ALTERNATIVES};
use crate::engine::sampler::Sampler;
use crate::engine::stream::ReplyStream;
use crate::engine::template::ChatTemplate;
use llama_cpp_2::model::LlamaModel;

/// A prefix of a slot's cells that other slots of the same request share (unified cache only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shared {
    /// The request's admission number: the slots sharing cells.
    pub group: u64,
    /// Leading cached tokens still shared.
    pub len: usize,
}

impl Shared {
    /// A slot dropping its cache past `keep` shares at most `keep` cells.
    pub fn cut(shared: &mut Option<Shared>, keep: usize) {
        if let Some(s) = shared {
            s.len = s.len.min(keep);
            if s.len == 0 {
                *shared = None;
            }
        }
    }
}

impl Scheduler<'_> {
    /// Slots running no reply.
    pub fn free_slots(&self) -> usize {
        self.slots.iter().filter(|s| s.is_idle()).count()
    }

    /// Whether `request` can be admitted now: it has a slot for each alternative, or it asks for
    /// more than this scheduler has (then admitting it answers with the error).
    pub fn can_admit(&self, request: &GenerateRequest) -> bool {
        let wanted = usize::from(request.alternatives.max(1));
        self.free_slots() >= wanted || wanted > self.slots.len()
    }

    /// The cells the slots hold, counting shared prompts once.
    pub(super) fn cells(&self) -> usize {
        let total: usize = self.slots.iter().map(|s| s.cached.len()).sum();
        let mut groups: Vec<(u64, usize, usize)> = Vec::new();
        for shared in self.slots.iter().filter_map(|s| s.shared) {
            match groups.iter_mut().find(|g| g.0 == shared.group) {
                Some(g) => {
                    g.1 += shared.len;
                    g.2 = g.2.max(shared.len);
                }
                None => groups.push((shared.group, shared.len, shared.len)),
            }
        }
        total - groups.iter().map(|(_, sum, max)| sum - max).sum::<usize>()
    }

    /// Refuses a number of alternatives out of range or beyond this context's sequences.
    pub(super) fn check_alternatives(
        &self,
        request: &GenerateRequest,
    ) -> Result<(), GenerateError> {
        let asked = request.alternatives;
        if asked == 0 || asked > MAX_ALTERNATIVES || usize::from(asked) > self.slots.len() {
            return Err(GenerateError::Alternatives {
                asked,
                max: self.slots.len().min(usize::from(MAX_ALTERNATIVES)),
            });
        }
        Ok(())
    }

    /// Reserves the idle slots for alternatives 2..N of the request the slot `leader` has just
    /// taken, least recently used first, and announces them. Their caches are dropped now, so a
    /// unified cache has the room for the prompt.
    pub(super) fn add_followers(
        &mut self,
        leader: usize,
        request: &GenerateRequest,
        model: &LlamaModel,
        template: &ChatTemplate,
        seed: u32,
        emit: Emit,
    ) {
        let mut idle: Vec<usize> = (0..self.slots.len())
            .filter(|&i| i != leader && self.slots[i].is_idle())
            .collect();
        idle.sort_by_key(|&i| self.slots[i].last_used);
        let sampling = &request.sampling;
        let window = sampling.repeat_last_n.max(0) as usize;
        let (prompt, stats, started, admitted) = {
            let active = self.slots[leader].active.as_ref().expect("the leader runs");
            let stats = crate::chat::ReplyStats {
                dropped_turns: active.stats.dropped_turns,
                ..Default::default()
            };
            (
                active.prompt.clone(),
                stats,
                active.started,
                active.admitted,
            )
        };
        let dropped_turns = self.slots[leader].dropped_turns;
        let mut followers = Vec::new();
        for (k, &i) in (1..request.alternatives).zip(&idle) {
            let id = request.id + u64::from(k);
            let seed = seed.wrapping_add(u32::from(k));
            let mut sampler = Sampler::new(sampling, seed, model.n_vocab());
            sampler.accept_many(&prompt[prompt.len().saturating_sub(window)..]);
            let slot = &mut self.slots[i];
            slot.truncate(&mut self.ctx, 0);
            slot.last_evaluated = 0..0;
            slot.last_used = self.clock;
            slot.dropped_turns = dropped_turns;
            emit(EngineEvent::Started {
                id,
                prompt_tokens: prompt.len(),
                dropped_turns: stats.dropped_turns,
                notice: None,
            });
            slot.active = Some(Active {
                id,
                request: request.id,
                followers: Vec::new(),
                prompt: prompt.clone(),
                phase: Phase::Follow,
                sampler,
                stream: ReplyStream::new(&template.stop_strings(&sampling.stop)),
                stats: crate::chat::ReplyStats {
                    seed,
                    ..stats.clone()
                },
                max_tokens: sampling.max_tokens as usize,
                ignore_eog: request.bench.is_some_and(|shape| shape.ignore_eog),
                started,
                prefill_started: None,
                first_token_at: None,
                admitted,
                budget: super::thinking_budget(model, request),
                speculator: None,
            });
            followers.push(i);
        }
        if let Some(active) = self.slots[leader].active.as_mut() {
            active.followers = followers;
        }
    }

    /// After a decode: every leader whose prompt is now in the cache shares its cells with its
    /// followers, which sample from the same logits this step.
    pub(super) fn fan_out(&mut self) {
        for leader in 0..self.slots.len() {
            let Some(active) = self.slots[leader].active.as_mut() else {
                continue;
            };
            let Phase::Sample(index) = active.phase else {
                continue;
            };
            if active.followers.is_empty() {
                continue;
            }
            let followers = std::mem::take(&mut active.followers);
            let request = active.request;
            let group = active.admitted;
            let rate = active.stats.prompt_tokens_per_second;
            let prefill_started = active.prefill_started;
            let cached = self.slots[leader].cached.clone();
            let evaluated = self.slots[leader].last_evaluated.clone();
            let from = self.slots[leader].seq;
            let unified = self.shared_cells.is_some();
            let shared = unified.then_some(Shared {
                group,
                len: cached.len(),
            });
            self.slots[leader].shared = shared;
            for i in followers {
                let slot = &mut self.slots[i];
                let Some(follower) = slot.active.as_mut() else {
                    continue;
                };
                if follower.request != request || !matches!(follower.phase, Phase::Follow) {
                    continue;
                }
                let _ = self
                    .ctx
                    .clear_kv_cache_seq(Some(slot.seq as u32), None, None);
                // Whole sequences only: llama.cpp copies between streams only whole ones.
                let _ = self.ctx.copy_kv_cache_seq(from, slot.seq, None, None);
                slot.cached = cached.clone();
                slot.last_evaluated = evaluated.clone();
                slot.shared = shared;
                follower.phase = Phase::Sample(index);
                follower.prefill_started = prefill_started;
                follower.stats.prompt_tokens_reused = cached.len();
                follower.stats.prompt_tokens_evaluated = 0;
                follower.stats.prompt_tokens_per_second = rate;
            }
        }
    }

    /// Alternatives still waiting for a prompt that will never come (its leader failed or was
    /// cancelled alone) end with an error.
    pub(super) fn drop_orphans(&mut self, emit: Emit) {
        for i in 0..self.slots.len() {
            let waiting = match &self.slots[i].active {
                Some(a) if matches!(a.phase, Phase::Follow) => a.request,
                _ => continue,
            };
            let led = self.slots.iter().any(|s| {
                s.active
                    .as_ref()
                    .is_some_and(|a| a.request == waiting && a.followers.contains(&i))
            });
            if !led && let Some(active) = self.slots[i].active.take() {
                emit(EngineEvent::Failed {
                    id: active.id,
                    error: GenerateError::AlternativeLost.into(),
                });
            }
        }
    }
}

/// The chat's context settings: one stream shared by [`MAX_ALTERNATIVES`] sequences, so a lone
/// reply reaches the whole context (as with one sequence) and "regenerate ×N" has its
/// sequences. A lone reply is the same, bit for bit, as in a one-sequence context
/// (`tests/alternatives.rs`).
pub fn chat_params(params: &crate::params::ModelParams) -> crate::params::ModelParams {
    crate::params::ModelParams {
        parallel: u32::from(MAX_ALTERNATIVES),
        kv_unified: true,
        ..params.clone()
    }
}
