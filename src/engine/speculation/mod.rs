//! Speculative decoding's drafting side: where the guessed tokens come from and how many to
//! guess.
//!
//! Generation on a CPU or a small GPU is bound by reading the weights once per step, so a batch
//! of a few tokens costs about what one token costs. A slot that has a guess for its next tokens
//! puts them in the batch behind its current token; the scheduler (`scheduler::speculate`)
//! samples the target model at each guessed position with the slot's own sampler and keeps the
//! guesses while they equal the samples. Every emitted token is still the target's own sample, so
//! the output is what plain decoding gives; only the number of steps changes.
//!
//! The guesses come from the conversation itself ([`lookup`]: the tokens that followed the last
//! earlier occurrence of the sequence's most recent n-gram), which costs nothing and pays off
//! whenever a reply quotes its prompt (a code fix, a summary, names and identifiers). How many to
//! guess adapts to how well guessing has gone ([`DraftLength`]), so a chat that never repeats
//! itself is not slowed down by verifying guesses that fail.
//!
//! Or they come from a draft model ([`draft`]): a smaller model with the same vocabulary that
//! runs greedily a few tokens ahead.

mod adaptive;
pub mod draft;
mod lookup;

pub use adaptive::DraftLength;
pub use lookup::draft;
