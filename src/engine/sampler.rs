//! The sampler chain, ordered so that a token costs what its top candidates cost, not what the
//! whole vocabulary costs.
//!
//! llama.cpp's usual order runs the penalties first, over every token of the vocabulary (49,152
//! for SmolLM2): one hash look-up per candidate per token, about a millisecond, a tenth of a
//! token's time on a small model. Penalties only ever lower a logit when the repeat penalty is at
//! least 1 and the presence and frequency penalties are not negative, and they touch at most
//! `repeat_last_n` distinct tokens. So the top `k` after the penalties are always among the top
//! `k + repeat_last_n` before them: a top-k of that size first, then the penalties, then the
//! usual chain, picks exactly the same token (same candidates, same probabilities, same random
//! draw) while the penalties see about a hundred candidates instead of the vocabulary. Settings
//! where that does not hold (a penalty that raises logits, top-k off with a temperature) keep
//! llama.cpp's order.

use crate::params::SamplingParams;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
use llama_cpp_2::token::data::LlamaTokenData;
use llama_cpp_2::token::data_array::LlamaTokenDataArray;

/// Whether the penalties change anything at all.
fn penalties_on(params: &SamplingParams) -> bool {
    (params.repeat_penalty != 1.0
        || params.presence_penalty != 0.0
        || params.frequency_penalty != 0.0)
        && params.repeat_last_n > 0
}

/// How many candidates can go before the penalties without changing the result, if any.
fn prefilter_size(params: &SamplingParams, n_vocab: i32) -> Option<i32> {
    let lowers_only = params.repeat_penalty >= 1.0
        && params.presence_penalty >= 0.0
        && params.frequency_penalty >= 0.0;
    if !penalties_on(params) || !lowers_only {
        return None;
    }
    // Greedy keeps one token; otherwise top-k must be on to bound the set.
    let kept = if params.temperature <= 0.0 {
        1
    } else if params.top_k > 0 {
        params.top_k
    } else {
        return None;
    };
    let size = kept.saturating_add(params.repeat_last_n);
    (size < n_vocab).then_some(size)
}

/// The sampler of one reply: the chain, and for the settings that allow it (see the module
/// docs) the top candidates picked straight from the logits into a buffer kept across tokens.
///
/// llama.cpp's `llama_sampler_sample` copies all the logits into a vocabulary-sized candidate
/// array for every token and the first top-k then partially sorts it; here one pass over the
/// logits keeps the `k + repeat_last_n` best, and the chain (penalties, top-k, ...) runs on those.
pub struct Sampler {
    chain: LlamaSampler,
    prefilter: Option<usize>,
    candidates: LlamaTokenDataArray,
    /// The chain starts with a grammar: it must see only the reply's tokens.
    grammar: bool,
}

impl Sampler {
    pub fn new(params: &SamplingParams, seed: u32, n_vocab: i32) -> Sampler {
        let prefilter = prefilter_size(params, n_vocab).map(|k| k as usize);
        Sampler {
            chain: build(params, seed, n_vocab, None),
            prefilter,
            candidates: LlamaTokenDataArray::new(Vec::with_capacity(prefilter.unwrap_or(0)), false),
            grammar: false,
        }
    }

    /// A sampler whose picks follow the GBNF `grammar` (root rule `root`), over the whole
    /// vocabulary (no prefilter: the grammar may allow none of the top candidates). `None` when
    /// llama.cpp refuses the grammar.
    pub fn with_grammar(
        model: &llama_cpp_2::model::LlamaModel,
        grammar: &str,
        params: &SamplingParams,
        seed: u32,
    ) -> Option<Sampler> {
        let constraint = LlamaSampler::grammar(model, grammar, "root")
            .map_err(|e| tracing::warn!("the grammar is refused ({e}); sampling without it"))
            .ok()?;
        let chain = LlamaSampler::chain(
            vec![constraint, build(params, seed, model.n_vocab(), None)],
            true,
        );
        Some(Sampler {
            chain,
            prefilter: None,
            candidates: LlamaTokenDataArray::new(Vec::new(), false),
            grammar: true,
        })
    }

    /// Feeds tokens to the penalties' history (the end of the prompt).
    pub fn accept_many(&mut self, tokens: &[LlamaToken]) {
        if !self.grammar {
            self.chain.accept_many(tokens);
        }
    }

    /// Picks the next token from the logits of output `idx` of the last decode.
    pub fn sample(&mut self, ctx: &LlamaContext<'_>, idx: i32) -> LlamaToken {
        if self.prefilter.is_none() {
            return self.chain.sample(ctx, idx);
        }
        self.sample_logits(ctx.get_logits_ith(idx))
    }

    /// Picks the next token from `logits` (one per vocabulary entry) and records it.
    pub fn sample_logits(&mut self, logits: &[f32]) -> LlamaToken {
        let keep = self.prefilter.unwrap_or(logits.len());
        top_candidates(logits, keep, &mut self.candidates.data);
        self.candidates.sorted = self.prefilter.is_some();
        self.candidates.selected = None;
        self.candidates.apply_sampler(&mut self.chain);
        let token = self
            .candidates
            .selected_token()
            .unwrap_or_else(|| self.candidates.data[0].id());
        self.chain.accept(token);
        token
    }
}

/// The `keep` highest logits as candidates, highest first (all of them, unsorted, when `keep`
/// covers the vocabulary).
fn top_candidates(logits: &[f32], keep: usize, out: &mut Vec<LlamaTokenData>) {
    out.clear();
    let data = |i: usize, logit: f32| LlamaTokenData::new(LlamaToken::new(i as i32), logit, 0.0);
    if keep >= logits.len() {
        out.extend(logits.iter().enumerate().map(|(i, &l)| data(i, l)));
        return;
    }
    // The first `keep` fill the buffer; then a logit enters only above the buffer's lowest,
    // which it replaces. After the first few thousand, almost none enter.
    out.extend(logits[..keep].iter().enumerate().map(|(i, &l)| data(i, l)));
    let lowest = |out: &[LlamaTokenData]| {
        let (at, d) = out
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.logit().total_cmp(&b.1.logit()))
            .expect("keep > 0");
        (at, d.logit())
    };
    let (mut low_at, mut low) = lowest(out);
    for (i, &logit) in logits.iter().enumerate().skip(keep) {
        if logit > low {
            out[low_at] = data(i, logit);
            (low_at, low) = lowest(out);
        }
    }
    out.sort_unstable_by(|a, b| b.logit().total_cmp(&a.logit()));
}

/// The chain with the top-k prefilter in front of the penalties (the same picks as
/// [`Sampler`]); the tests compare both with llama.cpp's order.
#[cfg(test)]
fn build_prefiltered_sampler(params: &SamplingParams, seed: u32, n_vocab: i32) -> LlamaSampler {
    build(params, seed, n_vocab, prefilter_size(params, n_vocab))
}

/// The chain in llama.cpp's order, without the prefilter: the reference the tests compare with.
#[cfg(test)]
fn build_reference_sampler(params: &SamplingParams, seed: u32, n_vocab: i32) -> LlamaSampler {
    build(params, seed, n_vocab, None)
}

fn build(params: &SamplingParams, seed: u32, n_vocab: i32, prefilter: Option<i32>) -> LlamaSampler {
    let mut chain = Vec::new();
    if let Some(size) = prefilter {
        chain.push(LlamaSampler::top_k(size));
    }
    if penalties_on(params) {
        chain.push(LlamaSampler::penalties(
            n_vocab,
            params.repeat_last_n,
            params.repeat_penalty,
            params.frequency_penalty,
            params.presence_penalty,
        ));
    }
    if params.temperature <= 0.0 {
        chain.push(LlamaSampler::greedy());
    } else {
        if params.top_k > 0 {
            chain.push(LlamaSampler::top_k(params.top_k));
        }
        if params.top_p < 1.0 {
            chain.push(LlamaSampler::top_p(params.top_p, 1));
        }
        if params.min_p > 0.0 {
            chain.push(LlamaSampler::min_p(params.min_p, 1));
        }
        chain.push(LlamaSampler::temp(params.temperature));
        chain.push(LlamaSampler::dist(seed));
    }
    // no_perf: llama.cpp would otherwise read the clock around every chain application.
    LlamaSampler::chain(chain, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VOCAB: i32 = 5000;

    /// Deterministic logits from -6 to 6, shuffled, with no two equal: with ties, llama.cpp's
    /// order among equal logits (which a partial sort changes) would decide, not the sampler.
    fn logits(step: u64) -> Vec<f32> {
        let mut values: Vec<f32> = (0..VOCAB)
            .map(|i| i as f32 * (12.0 / VOCAB as f32) - 6.0)
            .collect();
        let mut state = step.wrapping_mul(6364136223846793005) ^ 0x9E37_79B9_7F4A_7C15;
        for i in (1..values.len()).rev() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            values.swap(i, (state >> 33) as usize % (i + 1));
        }
        values
    }

    fn pick(sampler: &mut LlamaSampler, logits: &[f32]) -> LlamaToken {
        let data = logits
            .iter()
            .enumerate()
            .map(|(i, &l)| LlamaTokenData::new(LlamaToken::new(i as i32), l, 0.0))
            .collect();
        let mut array = LlamaTokenDataArray::new(data, false);
        sampler.apply(&mut array);
        let token = array.selected_token().expect("a token is selected");
        sampler.accept(token);
        token
    }

    /// Feeds llama.cpp's order, the prefiltered chain and [`Sampler`] the same logits, with the
    /// history boosted so the penalties matter, and returns the tokens each picked.
    fn run(params: &SamplingParams, steps: u64) -> [Vec<LlamaToken>; 3] {
        let mut reference = build_reference_sampler(params, 7, VOCAB);
        let mut prefiltered = build_prefiltered_sampler(params, 7, VOCAB);
        let mut fast = Sampler::new(params, 7, VOCAB);
        let mut picks: [Vec<LlamaToken>; 3] = Default::default();
        for step in 0..steps {
            let mut l = logits(step);
            // Recent picks stay near the top, so penalised tokens compete with the rest.
            for t in picks[0].iter().rev().take(params.repeat_last_n as usize) {
                l[t.0 as usize] += 2.0;
            }
            picks[0].push(pick(&mut reference, &l));
            picks[1].push(pick(&mut prefiltered, &l));
            picks[2].push(fast.sample_logits(&l));
        }
        picks
    }

    #[test]
    fn the_prefiltered_chain_picks_what_llama_cpps_order_picks() {
        let defaults = SamplingParams::default();
        assert!(prefilter_size(&defaults, VOCAB).is_some());
        let strong = SamplingParams {
            repeat_penalty: 1.8,
            presence_penalty: 0.5,
            frequency_penalty: 0.5,
            ..SamplingParams::default()
        };
        let greedy = SamplingParams {
            temperature: 0.0,
            repeat_penalty: 1.5,
            ..SamplingParams::default()
        };
        for params in [defaults, strong, greedy] {
            let [reference, prefiltered, fast] = run(&params, 300);
            for (name, picks) in [("prefiltered chain", prefiltered), ("Sampler", fast)] {
                let differs = picks.iter().zip(&reference).position(|(a, b)| a != b);
                assert_eq!(
                    differs, None,
                    "{name}: first different pick with {params:?}"
                );
            }
        }
    }

    #[test]
    fn penalties_that_raise_logits_keep_llama_cpps_order() {
        let raising = SamplingParams {
            repeat_penalty: 0.8,
            ..SamplingParams::default()
        };
        assert_eq!(prefilter_size(&raising, VOCAB), None);
        let no_top_k = SamplingParams {
            top_k: 0,
            ..SamplingParams::default()
        };
        assert_eq!(prefilter_size(&no_top_k, VOCAB), None);
        // Without the prefilter, `Sampler` still picks what llama.cpp's order picks.
        let [reference, _, fast] = run(&no_top_k, 50);
        assert_eq!(reference, fast);
        let off = SamplingParams {
            repeat_penalty: 1.0,
            ..SamplingParams::default()
        };
        assert_eq!(prefilter_size(&off, VOCAB), None);
    }
}
