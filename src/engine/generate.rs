//! The generation loop: KV-cache reuse, chunked prefill, sampling, streaming and cancellation.
//!
//! The context remembers which tokens its KV cache holds. A new prompt keeps the longest common
//! prefix with them and evaluates only the rest, so a turn costs what the new message costs, not
//! what the whole history costs.

use super::messages::{BenchResult, BenchShape, EngineEvent, GenerateRequest};
use super::prompt::{self, PromptError};
use super::sampler::Sampler;
use super::stream::ReplyStream;
use super::template::ChatTemplate;
use crate::chat::{ReplyStats, StopReason};
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use std::time::Instant;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum GenerateError {
    #[error(transparent)]
    Prompt(#[from] PromptError),
    #[error("llama.cpp failed to evaluate the prompt: {0}")]
    Decode(String),
    #[error("invalid sampling settings: {0}")]
    Params(#[from] crate::params::ParamError),
}

/// A llama.cpp context plus the tokens its KV cache (sequence 0) holds.
pub struct ContextState<'model> {
    pub ctx: LlamaContext<'model>,
    pub cached: Vec<LlamaToken>,
    batch: LlamaBatch<'static>,
    batch_size: usize,
    /// Turns the last prompt left out; the next prompt keeps that start while it fits.
    dropped_turns: usize,
    /// The positions the last prompt evaluated (the rest came from the cache).
    last_evaluated: std::ops::Range<usize>,
}

/// What the caller wants done between two tokens.
pub trait Control {
    /// True when the current request should stop now.
    fn should_stop(&mut self) -> bool;
    fn emit(&mut self, event: EngineEvent);
}

fn random_seed() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    hasher.finish() as u32
}

fn per_second(count: usize, since: Instant, until: Instant) -> f64 {
    let secs = until.duration_since(since).as_secs_f64();
    if count == 0 || secs <= 0.0 {
        0.0
    } else {
        count as f64 / secs
    }
}

impl<'model> ContextState<'model> {
    pub fn new(ctx: LlamaContext<'model>) -> Self {
        let batch_size = ctx.n_batch().max(1) as usize;
        ContextState {
            ctx,
            cached: Vec::new(),
            batch: LlamaBatch::new(batch_size, 1),
            batch_size,
            dropped_turns: 0,
            last_evaluated: 0..0,
        }
    }

    pub fn n_ctx(&self) -> usize {
        self.ctx.n_ctx() as usize
    }

    fn decode_one(&mut self, token: LlamaToken, logits: bool) -> Result<(), GenerateError> {
        let pos = self.cached.len() as i32;
        self.batch.clear();
        self.batch
            .add(token, pos, &[0], logits)
            .map_err(|e| GenerateError::Decode(e.to_string()))?;
        self.ctx
            .decode(&mut self.batch)
            .map_err(|e| GenerateError::Decode(e.to_string()))?;
        self.cached.push(token);
        Ok(())
    }

    /// Drops everything past `keep` from the KV cache; returns how many tokens were kept.
    fn truncate_cache(&mut self, keep: usize) -> usize {
        if keep >= self.cached.len() {
            return self.cached.len();
        }
        let removed = self
            .ctx
            .clear_kv_cache_seq(Some(0), Some(keep as u32), None);
        if matches!(removed, Ok(true)) {
            self.cached.truncate(keep);
            keep
        } else {
            // Recurrent models cannot drop a suffix: start over.
            self.ctx.clear_kv_cache();
            self.cached.clear();
            0
        }
    }

    /// Evaluates `tokens` past what the cache already holds, in batch-size chunks. Returns false
    /// when stopped between chunks.
    fn prefill(
        &mut self,
        tokens: &[LlamaToken],
        control: &mut dyn Control,
    ) -> Result<bool, GenerateError> {
        let start = self.cached.len();
        let total = tokens.len();
        for chunk_start in (start..total).step_by(self.batch_size) {
            if chunk_start > start && control.should_stop() {
                return Ok(false);
            }
            let chunk_end = (chunk_start + self.batch_size).min(total);
            self.batch.clear();
            for (i, &token) in tokens[chunk_start..chunk_end].iter().enumerate() {
                let pos = chunk_start + i;
                self.batch
                    .add(token, pos as i32, &[0], pos + 1 == total)
                    .map_err(|e| GenerateError::Decode(e.to_string()))?;
            }
            if let Err(e) = self.ctx.decode(&mut self.batch) {
                // Leave the cache consistent with what llama.cpp kept: nothing of this chunk.
                self.truncate_cache(chunk_start);
                return Err(GenerateError::Decode(e.to_string()));
            }
            self.cached
                .extend_from_slice(&tokens[chunk_start..chunk_end]);
        }
        Ok(true)
    }

    /// How many cached tokens a new prompt keeps: the shared prefix, less at least one token so
    /// that the last one yields fresh logits.
    ///
    /// A prompt that ends inside the last prompt's evaluated part (regenerating a reply) keeps
    /// only what that prompt kept, so the same tokens are evaluated again in the same batch. The
    /// logits then match bit for bit and a fixed seed gives the same reply: without flash
    /// attention, llama.cpp's attention rounds differently for one token than for a batch.
    fn tokens_to_keep(&self, tokens: &[LlamaToken], reuse: bool) -> usize {
        if !reuse {
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

    /// Runs one request to the end, streaming `Token` events through `control`.
    pub fn generate(
        &mut self,
        model: &LlamaModel,
        template: &ChatTemplate,
        request: &GenerateRequest,
        control: &mut dyn Control,
    ) -> Result<ReplyStats, GenerateError> {
        let started = Instant::now();
        let sampling = &request.sampling;
        sampling.validate()?;
        let n_ctx = self.n_ctx();
        let reserve = prompt::reply_reserve(sampling.max_tokens, n_ctx);
        let (tokens, dropped_turns, notice) = match request.bench {
            // A benchmark's fixed prompt, from an empty cache (see `BenchShape`).
            Some(BenchShape {
                prompt_tokens: Some(len),
                ..
            }) => (bench_prompt(model, len.clamp(1, n_ctx - 1)), 0, None),
            _ if request.raw_prompt.is_some() => {
                let text = request.raw_prompt.as_deref().unwrap_or_default();
                (prompt::prepare_raw(model, text, n_ctx, reserve)?, 0, None)
            }
            _ => {
                let prepared = prompt::prepare(
                    model,
                    template,
                    &request.messages,
                    request.continue_last,
                    n_ctx,
                    reserve,
                    self.dropped_turns,
                )?;
                self.dropped_turns = prepared.dropped_turns;
                (
                    prepared.tokens,
                    prepared.dropped_turns,
                    template.take_notice(),
                )
            }
        };
        let ignore_eog = request.bench.is_some_and(|shape| shape.ignore_eog);
        control.emit(EngineEvent::Started {
            id: request.id,
            prompt_tokens: tokens.len(),
            dropped_turns,
            notice,
        });

        let reused = self.truncate_cache(
            self.tokens_to_keep(&tokens, request.reuse_cache && request.bench.is_none()),
        );
        let prefill_started = Instant::now();
        let completed = self.prefill(&tokens, control)?;
        self.last_evaluated = reused..tokens.len();
        let prefill_done = Instant::now();
        let evaluated = self.cached.len() - reused;

        let seed = sampling.seed.unwrap_or_else(random_seed);
        let mut stats = ReplyStats {
            prompt_tokens_evaluated: evaluated,
            prompt_tokens_reused: reused,
            prompt_tokens_per_second: per_second(evaluated, prefill_started, prefill_done),
            dropped_turns,
            seed,
            ..Default::default()
        };
        if !completed {
            stats.stop_reason = Some(StopReason::Cancelled);
            stats.context_used = self.cached.len();
            return Ok(stats);
        }

        let mut sampler = Sampler::new(sampling, seed, model.n_vocab());
        let window = sampling.repeat_last_n.max(0) as usize;
        sampler.accept_many(&tokens[tokens.len().saturating_sub(window)..]);
        let vocab = model.vocab();
        let mut stream = ReplyStream::new(&template.stop_strings(&sampling.stop));
        let mut piece = Vec::with_capacity(32);
        let mut first_token_at = None;
        let stop = loop {
            if stats.generated_tokens >= sampling.max_tokens as usize {
                break StopReason::MaxTokens;
            }
            if self.cached.len() >= n_ctx {
                break StopReason::ContextFull;
            }
            let token = sampler.sample(&self.ctx, -1);
            if first_token_at.is_none() {
                first_token_at = Some(Instant::now());
                stats.time_to_first_token_ms = started.elapsed().as_secs_f64() * 1000.0;
            }
            if vocab.is_eog(token) && !ignore_eog {
                break StopReason::EndOfGeneration;
            }
            stats.generated_tokens += 1;
            piece.clear();
            vocab.token_to_piece_into(token, &mut piece, false, None);
            let pushed = stream.push(&piece);
            if !pushed.visible.is_empty() {
                control.emit(EngineEvent::Token {
                    id: request.id,
                    text: pushed.visible,
                });
            }
            if pushed.hit_stop {
                break StopReason::StopString;
            }
            if control.should_stop() {
                break StopReason::Cancelled;
            }
            self.decode_one(token, true)?;
        };
        let rest = stream.finish();
        if !rest.is_empty() {
            control.emit(EngineEvent::Token {
                id: request.id,
                text: rest,
            });
        }
        let done = Instant::now();
        if let Some(first) = first_token_at {
            stats.generation_tokens_per_second = per_second(stats.generated_tokens, first, done);
        }
        stats.stop_reason = Some(stop);
        stats.context_used = self.cached.len();
        Ok(stats)
    }

    /// `llama-bench`-style measurement: `pp` tokens in batches, then `tg` single-token decodes,
    /// each from an empty cache, with tokens spread over the vocabulary.
    pub fn bench(
        &mut self,
        model: &LlamaModel,
        pp: usize,
        tg: usize,
    ) -> Result<BenchResult, GenerateError> {
        let limit = self.n_ctx().saturating_sub(1);
        let pp = pp.min(limit);
        let tg = tg.min(limit);
        self.truncate_cache(0);
        self.ctx.clear_kv_cache();
        self.cached.clear();
        self.last_evaluated = 0..0;
        let prompt = bench_prompt(model, pp);
        let started = Instant::now();
        self.prefill(&prompt, &mut NoControl)?;
        let prompt_done = Instant::now();
        self.ctx.clear_kv_cache();
        self.cached.clear();
        let gen_started = Instant::now();
        for i in 0..tg {
            self.decode_one(spread_token(model, i + 7), true)?;
        }
        let gen_done = Instant::now();
        self.ctx.clear_kv_cache();
        self.cached.clear();
        Ok(BenchResult {
            prompt_tokens: pp,
            prompt_tokens_per_second: per_second(pp, started, prompt_done),
            gen_tokens: tg,
            gen_tokens_per_second: per_second(tg, gen_started, gen_done),
        })
    }
}

/// The i-th token of a benchmark prompt: spread over the vocabulary, as `llama-bench` does.
fn spread_token(model: &LlamaModel, i: usize) -> LlamaToken {
    let n_vocab = model.n_vocab().max(1) as u64;
    LlamaToken::new(((i as u64 * 2_654_435_761) % n_vocab) as i32)
}

fn bench_prompt(model: &LlamaModel, len: usize) -> Vec<LlamaToken> {
    (0..len).map(|i| spread_token(model, i)).collect()
}

/// A control that never stops and discards events (for benchmarks).
struct NoControl;

impl Control for NoControl {
    fn should_stop(&mut self) -> bool {
        false
    }

    fn emit(&mut self, _event: EngineEvent) {}
}
