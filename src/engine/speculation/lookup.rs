//! Prompt-lookup drafting: guess the next tokens from the sequence's own history.
//!
//! The longest suffix n-gram (from `ngram` tokens down to one) that occurred earlier in the
//! sequence is located at its most recent earlier occurrence, and the tokens that followed it
//! there are the guess. A reply that copies code or text from the prompt continues as its source
//! does, so the guess is right for as long as the copy goes on.

use llama_cpp_2::token::LlamaToken;

/// Up to `max` guessed tokens to follow `history`, trying suffix n-grams of `ngram` tokens down to
/// one; empty when no suffix occurred before.
pub fn draft(history: &[LlamaToken], ngram: usize, max: usize) -> Vec<LlamaToken> {
    let len = history.len();
    if max == 0 {
        return Vec::new();
    }
    for n in (1..=ngram.min(len.saturating_sub(1))).rev() {
        let suffix = &history[len - n..];
        // The most recent earlier start: the copy most likely still going on.
        let found = (0..len - n)
            .rev()
            .find(|&start| &history[start..start + n] == suffix);
        if let Some(start) = found {
            let from = start + n;
            let to = (from + max).min(len);
            return history[from..to].to_vec();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(ids: &[i32]) -> Vec<LlamaToken> {
        ids.iter().map(|&t| LlamaToken::new(t)).collect()
    }

    #[test]
    fn the_tokens_after_the_last_earlier_occurrence_are_the_guess() {
        let history = tokens(&[1, 2, 3, 4, 5, 9, 1, 2, 3, 7, 8, 1, 2, 3]);
        // "1 2 3" occurred twice before; the most recent was followed by 7, 8.
        assert_eq!(draft(&history, 3, 4), tokens(&[7, 8, 1, 2]));
        assert_eq!(draft(&history, 3, 1), tokens(&[7]));
        assert_eq!(draft(&history, 3, 0), tokens(&[]));
    }

    #[test]
    fn shorter_ngrams_are_tried_when_the_longest_never_occurred() {
        let history = tokens(&[5, 6, 7, 8, 4, 6, 7]);
        // "4 6 7" never occurred, "6 7" did, followed by 8.
        assert_eq!(draft(&history, 3, 2), tokens(&[8, 4]));
        // Nothing repeats at all.
        assert_eq!(draft(&tokens(&[1, 2, 3]), 3, 4), tokens(&[]));
        assert_eq!(draft(&tokens(&[1]), 3, 4), tokens(&[]));
    }
}
