//! What every reply needs before and around the scheduler: the request's prompt tokens (templated
//! messages, a `/v1/completions` raw prompt, or a benchmark's fixed prompt), the shared helpers
//! for seeds and speeds, and the raw `llama-bench`-style decode loop.
//!
//! The generation loop itself lives in `super::scheduler`, which runs every reply of every front
//! end (the chat and `ask` with one slot, `serve` with N).

use super::messages::{BenchResult, BenchShape, GenerateRequest};
use super::prompt::{self, PromptError};
use super::template::ChatTemplate;
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
    #[error(
        "the context is full: the replies running beside this one hold its {n_ctx} cells; retry \
         when they are done or raise --ctx-size"
    )]
    ContextBusy { n_ctx: usize },
    #[error(
        "speculation = draft needs a draft model: pass --draft-model PATH (or set draft_model), a \
         smaller .gguf with the model's vocabulary, or use --speculation lookup (guesses from \
         the conversation) or off"
    )]
    NoDraftModel,
    #[error(
        "{asked} alternatives asked for, but this engine runs 1 to {max} at once (one sequence \
         each; `ggchat serve` runs as many as --parallel, at most 4)"
    )]
    Alternatives { asked: u8, max: usize },
    #[error("the prompt shared by the alternatives could not be evaluated (see the first reply)")]
    AlternativeLost,
}

/// A request's prompt, ready for a slot.
pub struct PromptTokens {
    pub tokens: Vec<LlamaToken>,
    pub dropped_turns: usize,
}

/// The tokens `request` asks to evaluate in a context of `n_ctx` (`previous_start`: the turns the
/// slot's last prompt left out, see `prompt::prepare`).
pub fn prompt_tokens(
    model: &LlamaModel,
    template: &ChatTemplate,
    request: &GenerateRequest,
    n_ctx: usize,
    previous_start: usize,
) -> Result<PromptTokens, PromptError> {
    let reserve = prompt::reply_reserve(request.sampling.max_tokens, n_ctx);
    if let Some(BenchShape {
        prompt_tokens: Some(len),
        ..
    }) = request.bench
    {
        // A benchmark's fixed prompt, from an empty cache (see `BenchShape`).
        return Ok(PromptTokens {
            tokens: bench_prompt(model, len.clamp(1, n_ctx - 1)),
            dropped_turns: 0,
        });
    }
    if let Some(text) = &request.raw_prompt {
        // As llama-server does for /v1/completions: the model's BOS, special tokens parsed.
        let tokens = prompt::prepare_raw(model, text, n_ctx, reserve)?;
        return Ok(PromptTokens {
            tokens,
            dropped_turns: 0,
        });
    }
    let prepared = prompt::prepare(
        model,
        template,
        &request.messages,
        prompt::RenderOptions {
            continue_last: request.continue_last,
            thinking: request.sampling.thinking,
        },
        n_ctx,
        reserve,
        previous_start,
    )?;
    Ok(PromptTokens {
        tokens: prepared.tokens,
        dropped_turns: prepared.dropped_turns,
    })
}

pub fn random_seed() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(Instant::now().elapsed().as_nanos());
    hasher.finish() as u32
}

pub fn per_second(count: usize, since: Instant, until: Instant) -> f64 {
    let secs = until.duration_since(since).as_secs_f64();
    if count == 0 || secs <= 0.0 {
        0.0
    } else {
        count as f64 / secs
    }
}

fn decode(ctx: &mut LlamaContext<'_>, batch: &mut LlamaBatch<'_>) -> Result<(), GenerateError> {
    ctx.decode(batch)
        .map_err(|e| GenerateError::Decode(e.to_string()))
}

/// `llama-bench`-style measurement on sequence 0 of an idle context: `pp` tokens in batches of
/// `batch_size`, then `tg` single-token decodes, each from an empty cache, with tokens spread over
/// the vocabulary. The whole KV cache is cleared before and after.
pub fn raw_bench(
    ctx: &mut LlamaContext<'_>,
    model: &LlamaModel,
    batch_size: usize,
    pp: usize,
    tg: usize,
) -> Result<BenchResult, GenerateError> {
    let limit = (ctx.n_ctx() as usize).saturating_sub(1);
    let pp = pp.min(limit);
    let tg = tg.min(limit);
    let mut batch = LlamaBatch::new(batch_size, 1);
    let add = |batch: &mut LlamaBatch<'_>, token, pos: usize, logits| {
        batch
            .add(token, pos as i32, &[0], logits)
            .map_err(|e| GenerateError::Decode(e.to_string()))
    };
    ctx.clear_kv_cache();
    let prompt = bench_prompt(model, pp);
    let started = Instant::now();
    for chunk_start in (0..pp).step_by(batch_size.max(1)) {
        let chunk_end = (chunk_start + batch_size).min(pp);
        batch.clear();
        for (pos, &token) in prompt.iter().enumerate().take(chunk_end).skip(chunk_start) {
            add(&mut batch, token, pos, pos + 1 == pp)?;
        }
        decode(ctx, &mut batch)?;
    }
    let prompt_done = Instant::now();
    ctx.clear_kv_cache();
    let gen_started = Instant::now();
    for i in 0..tg {
        batch.clear();
        add(&mut batch, spread_token(model, i + 7), i, true)?;
        decode(ctx, &mut batch)?;
    }
    let gen_done = Instant::now();
    ctx.clear_kv_cache();
    Ok(BenchResult {
        prompt_tokens: pp,
        prompt_tokens_per_second: per_second(pp, started, prompt_done),
        gen_tokens: tg,
        gen_tokens_per_second: per_second(tg, gen_started, gen_done),
    })
}

/// The i-th token of a benchmark prompt: spread over the vocabulary, as `llama-bench` does.
fn spread_token(model: &LlamaModel, i: usize) -> LlamaToken {
    let n_vocab = model.n_vocab().max(1) as u64;
    LlamaToken::new(((i as u64 * 2_654_435_761) % n_vocab) as i32)
}

fn bench_prompt(model: &LlamaModel, len: usize) -> Vec<LlamaToken> {
    (0..len).map(|i| spread_token(model, i)).collect()
}
