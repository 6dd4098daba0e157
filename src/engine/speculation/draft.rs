//! Guesses from a draft model: a smaller GGUF with the main model's vocabulary runs greedily a
//! few tokens ahead of each slot, and the main model verifies them in one batch (the same
//! verification as prompt lookup, `scheduler::speculate`).
//!
//! The draft model has its own context on the engine thread, one sequence per slot of the main
//! context. Before drafting, a slot's draft sequence is brought in step with the main sequence:
//! the longest common prefix is kept and the rest removed (`seq_rm`), which drops the guesses the
//! main model rejected last step (and reuses the cached prompt across turns like the main
//! context does); the missing tokens are then evaluated in one batch. Drafting itself decodes one
//! token at a time and takes the draft model's most likely token (greedy), because a guess is
//! only worth verifying if it is the likeliest continuation.
//!
//! Token ids only mean the same thing when both models share a tokenizer, so a draft model is
//! accepted only when its vocabulary is the main model's: the same type, size, special tokens
//! and text of every token ([`check_vocab`], like llama.cpp's speculative compatibility check).

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::token::LlamaToken;
use std::ops::Range;

/// Why a draft model's vocabulary is not the main model's, in words for the error message.
pub fn check_vocab(main: &LlamaModel, draft: &LlamaModel) -> Result<(), String> {
    let (a, b) = (main.vocab(), draft.vocab());
    if a.n_tokens() != b.n_tokens() {
        return Err(format!(
            "its vocabulary has {} tokens, the model's has {}",
            b.n_tokens(),
            a.n_tokens()
        ));
    }
    if a.vocab_type() != b.vocab_type() {
        return Err("its tokenizer is of another type".to_owned());
    }
    for (what, x, y) in [
        ("beginning-of-text", a.bos(), b.bos()),
        ("end-of-text", a.eos(), b.eos()),
    ] {
        if x != y {
            return Err(format!(
                "its {what} token is {}, the model's is {}",
                y.0, x.0
            ));
        }
    }
    for token in a.tokens() {
        let (x, y) = (a.text(token), b.text(token));
        if x != y {
            let show = |t: Option<&std::ffi::CStr>| {
                t.map_or_else(String::new, |t| t.to_string_lossy().into_owned())
            };
            return Err(format!(
                "token {} is {:?} in it but {:?} in the model",
                token.0,
                show(y),
                show(x)
            ));
        }
    }
    Ok(())
}

/// The draft model's context and what each of its sequences holds.
pub struct Drafter<'model> {
    ctx: LlamaContext<'model>,
    /// Per slot (sequence id = index): the tokens in the draft context.
    cached: Vec<Vec<LlamaToken>>,
    /// Per slot: the reply whose prompt the sequence was last brought in step with.
    reply: Vec<Option<u64>>,
    batch: LlamaBatch<'static>,
    batch_size: usize,
    n_ctx: usize,
    eog: Vec<bool>,
}

impl<'model> Drafter<'model> {
    /// `ctx` must have `n_seq_max >= slots`; `n_ctx` is what one sequence can reach.
    pub fn new(
        ctx: LlamaContext<'model>,
        model: &LlamaModel,
        slots: usize,
        n_ctx: usize,
    ) -> Drafter<'model> {
        let batch_size = ctx.n_batch().max(1) as usize;
        let vocab = model.vocab();
        let eog = vocab.tokens().map(|t| vocab.is_eog(t)).collect();
        Drafter {
            ctx,
            cached: vec![Vec::new(); slots],
            reply: vec![None; slots],
            batch: LlamaBatch::new(batch_size, 1),
            batch_size,
            n_ctx,
            eog,
        }
    }

    /// Up to `want` greedy guesses to follow `sequence` (the slot's tokens, its current one
    /// last) in sequence `seq`; none when the draft context cannot take them. Stops before an
    /// end-of-generation token: the main model samples that one itself. `prompt` is the range the
    /// main context evaluated as the prompt of reply `reply` (see [`Self::catch_up`]).
    pub fn draft(
        &mut self,
        seq: usize,
        sequence: &[LlamaToken],
        (reply, prompt): (u64, Range<usize>),
        want: usize,
    ) -> Vec<LlamaToken> {
        let mut drafts = Vec::new();
        if want == 0 || seq >= self.cached.len() || sequence.len() + want > self.n_ctx {
            return drafts;
        }
        // A new reply: the main context evaluated its prompt from `prompt.start`, so the draft
        // evaluates again from there too.
        let fresh = self.reply[seq] != Some(reply);
        self.reply[seq] = Some(reply);
        let reuse = if fresh { prompt.start } else { usize::MAX };
        if self.catch_up(seq, sequence, prompt, reuse).is_err() {
            self.forget(seq);
            return drafts;
        }
        while let Some(token) = self.best() {
            if self.eog.get(token.0 as usize).copied().unwrap_or(true) {
                break;
            }
            drafts.push(token);
            if drafts.len() == want || self.decode(seq, &[token]).is_err() {
                break;
            }
        }
        drafts
    }

    /// Makes sequence `seq` hold exactly `sequence`, with the logits of its last token ready,
    /// keeping at most `reuse` of the tokens it holds.
    ///
    /// The tokens are decoded in the batches the main context used for them: `prompt` in chunks
    /// of the batch size from its start, what came before it in chunks too, and every later
    /// token on its own (the main context decodes those as steps, and a step's batch rounds like
    /// single tokens with flash attention on and one thread). A batch of another split rounds
    /// differently (docs/performance.md), and then a guess can miss a near tie that the main
    /// model breaks the other way.
    fn catch_up(
        &mut self,
        seq: usize,
        sequence: &[LlamaToken],
        prompt: Range<usize>,
        reuse: usize,
    ) -> Result<(), ()> {
        let cached = &self.cached[seq];
        let mut keep = crate::engine::prompt::common_prefix(cached, sequence).min(reuse);
        // The last token is decoded again when it is cached already: its logits are needed.
        if keep == sequence.len() {
            keep -= 1;
        }
        self.ctx
            .clear_kv_cache_seq(Some(seq as u32), Some(keep as u32), None)
            .map_err(|_| ())?;
        self.cached[seq].truncate(keep);
        let n = sequence.len();
        let start = prompt.start.clamp(keep, n);
        let end = prompt.end.clamp(start, n);
        for chunk in sequence[keep..start]
            .chunks(self.batch_size)
            .chain(sequence[start..end].chunks(self.batch_size))
            .chain(sequence[end..].chunks(1))
        {
            self.decode(seq, chunk)?;
        }
        Ok(())
    }

    /// Decodes `tokens` after what sequence `seq` holds, logits for the last one.
    fn decode(&mut self, seq: usize, tokens: &[LlamaToken]) -> Result<(), ()> {
        self.batch.clear();
        let from = self.cached[seq].len();
        for (i, &token) in tokens.iter().enumerate() {
            let last = i + 1 == tokens.len();
            self.batch
                .add(token, (from + i) as i32, &[seq as i32], last)
                .map_err(|_| ())?;
        }
        self.ctx.decode(&mut self.batch).map_err(|_| ())?;
        self.cached[seq].extend_from_slice(tokens);
        Ok(())
    }

    /// The most likely token after the last decoded one (the first of equals, like llama.cpp's
    /// greedy sampler).
    fn best(&self) -> Option<LlamaToken> {
        let last = self.batch.n_tokens() - 1;
        let logits = self.ctx.get_logits_ith(last);
        let (index, _) = logits
            .iter()
            .enumerate()
            .reduce(|best, next| if next.1 > best.1 { next } else { best })?;
        Some(LlamaToken(index as i32))
    }

    /// Empties sequence `seq` (after a failed decode, so bookkeeping and cache agree again).
    fn forget(&mut self, seq: usize) {
        let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), None, None);
        self.cached[seq].clear();
    }
}
