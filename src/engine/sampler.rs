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
use llama_cpp_2::sampling::LlamaSampler;

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

/// Builds the chain: [top-k prefilter], penalties, then greedy, or top-k, top-p, min-p,
/// temperature and the random draw (llama.cpp's usual order for those).
pub fn build_sampler(params: &SamplingParams, seed: u32, n_vocab: i32) -> LlamaSampler {
    build(params, seed, n_vocab, prefilter_size(params, n_vocab))
}

/// The chain in llama.cpp's order, without the prefilter: the reference the tests compare with.
pub fn build_reference_sampler(params: &SamplingParams, seed: u32, n_vocab: i32) -> LlamaSampler {
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
    use llama_cpp_2::token::LlamaToken;
    use llama_cpp_2::token::data::LlamaTokenData;
    use llama_cpp_2::token::data_array::LlamaTokenDataArray;

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

    /// Feeds both chains the same logits, with the history boosted so the penalties matter, and
    /// returns the tokens each picked.
    fn run(params: &SamplingParams, steps: u64) -> (Vec<LlamaToken>, Vec<LlamaToken>) {
        let mut fast = build_sampler(params, 7, VOCAB);
        let mut reference = build_reference_sampler(params, 7, VOCAB);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for step in 0..steps {
            let mut l = logits(step);
            // Recent picks stay near the top, so penalised tokens compete with the rest.
            for t in a.iter().rev().take(params.repeat_last_n as usize) {
                let t: &LlamaToken = t;
                l[t.0 as usize] += 2.0;
            }
            a.push(pick(&mut fast, &l));
            b.push(pick(&mut reference, &l));
        }
        (a, b)
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
            let (fast, reference) = run(&params, 300);
            let differs = fast.iter().zip(&reference).position(|(a, b)| a != b);
            assert_eq!(differs, None, "first different pick with {params:?}");
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
        let off = SamplingParams {
            repeat_penalty: 1.0,
            ..SamplingParams::default()
        };
        assert_eq!(prefilter_size(&off, VOCAB), None);
    }
}
