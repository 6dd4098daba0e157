//! The thinking budget (`thinking_budget = N`): after N reasoning tokens the reasoning's end tag
//! is tokenized and fed to the model as if it had generated it, so it goes on to answer.
//!
//! The router knows the reasoning tags and whether the template's generation prompt already
//! opened one (`super::thinking`); it puts that into the request as a [`BudgetSpec`]. The
//! scheduler keeps a [`Budget`] per reply: it watches each generated piece for a start tag (unless
//! one was opened by the prompt), counts the tokens after it, and, at the limit, hands out the end
//! tag's tokens one per step instead of sampling ([`Budget::forced`]). The forced tokens go out as
//! reply text like any other, so the router's splitter sees the end tag and what follows is the
//! answer. A model that closes its reasoning itself before the limit is left alone.

use std::collections::VecDeque;

/// What the scheduler needs to enforce a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetSpec {
    /// Reasoning tokens allowed before the end tag is put in.
    pub tokens: usize,
    /// The reasoning tag pairs (start, end) to watch for.
    pub pairs: Vec<(String, String)>,
    /// The pair the generation prompt already opened: reasoning from the first token.
    pub opened: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// No reasoning yet: watching for a start tag.
    Waiting,
    /// Inside pair `pair`'s reasoning, `count` tokens so far.
    Reasoning { pair: usize, count: usize },
    /// The reasoning ended (or the end tag was put in).
    Done,
}

/// One reply's budget.
#[derive(Debug)]
pub struct Budget<T> {
    spec: BudgetSpec,
    state: State,
    /// The last characters seen, long enough to hold a tag split across tokens.
    tail: String,
    /// The closing text to put in, once the limit is reached, until the scheduler takes it.
    closing: Option<String>,
    forced: VecDeque<T>,
}

/// The text put in at the limit: the end tag on its own line, then a blank line (how Qwen3's and
/// DeepSeek-R1's templates write a closed reasoning block).
pub fn closing_text(end: &str) -> String {
    format!("\n{end}\n\n")
}

impl<T: Copy> Budget<T> {
    pub fn new(spec: BudgetSpec) -> Budget<T> {
        let state = match spec.opened {
            Some(pair) if pair < spec.pairs.len() => State::Reasoning { pair, count: 0 },
            _ => State::Waiting,
        };
        let mut budget = Budget {
            spec,
            state,
            tail: String::new(),
            closing: None,
            forced: VecDeque::new(),
        };
        budget.check_limit();
        budget
    }

    /// The text to put in now (once): the scheduler tokenizes it and hands it to [`Self::force`].
    pub fn take_closing(&mut self) -> Option<String> {
        self.closing.take()
    }

    /// Queues the closing text's tokens.
    pub fn force(&mut self, tokens: impl IntoIterator<Item = T>) {
        self.forced.extend(tokens);
    }

    /// The next token to feed instead of sampling, while the end tag is being put in.
    pub fn forced(&mut self) -> Option<T> {
        self.forced.pop_front()
    }

    /// Whether the reasoning is over (closed by the model or by the budget).
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    /// A generated token's text (sampled tokens only; forced ones come after `Done`).
    pub fn observe(&mut self, piece: &str) {
        match self.state {
            State::Done => {}
            State::Waiting => {
                self.tail.push_str(piece);
                let found = (self.spec.pairs.iter().enumerate())
                    .filter_map(|(i, (start, _))| self.tail.find(start.as_str()).map(|at| (at, i)))
                    .min();
                match found {
                    Some((at, pair)) => {
                        let after = at + self.spec.pairs[pair].0.len();
                        self.tail = self.tail[after..].to_owned();
                        self.state = State::Reasoning { pair, count: 0 };
                        self.check_limit();
                    }
                    None => self.trim_tail(),
                }
            }
            State::Reasoning { pair, count } => {
                self.tail.push_str(piece);
                if self.tail.contains(self.spec.pairs[pair].1.as_str()) {
                    self.state = State::Done;
                    return;
                }
                self.trim_tail();
                self.state = State::Reasoning {
                    pair,
                    count: count + 1,
                };
                self.check_limit();
            }
        }
    }

    fn check_limit(&mut self) {
        if let State::Reasoning { pair, count } = self.state
            && count >= self.spec.tokens
        {
            self.closing = Some(closing_text(&self.spec.pairs[pair].1));
            self.state = State::Done;
        }
    }

    /// Keeps only as many characters as the longest tag, so the watch costs O(tag) per token.
    fn trim_tail(&mut self) {
        let keep = (self.spec.pairs.iter())
            .map(|(s, e)| s.len().max(e.len()))
            .max()
            .unwrap_or(0);
        if self.tail.len() > keep {
            let mut cut = self.tail.len() - keep;
            while !self.tail.is_char_boundary(cut) {
                cut -= 1;
            }
            self.tail.drain(..cut);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(tokens: usize, opened: Option<usize>) -> BudgetSpec {
        BudgetSpec {
            tokens,
            pairs: vec![("<think>".into(), "</think>".into())],
            opened,
        }
    }

    fn drain(budget: &mut Budget<char>) -> String {
        if let Some(text) = budget.take_closing() {
            budget.force(text.chars());
        }
        std::iter::from_fn(|| budget.forced()).collect()
    }

    #[test]
    fn reasoning_opened_by_the_prompt_is_cut_after_n_tokens() {
        let mut b = Budget::new(spec(3, Some(0)));
        for piece in ["a", "b"] {
            b.observe(piece);
            assert_eq!(drain(&mut b), "");
        }
        b.observe("c");
        assert_eq!(drain(&mut b), "\n</think>\n\n");
        assert!(b.is_done());
        b.observe("answer");
        assert_eq!(drain(&mut b), "");
    }

    #[test]
    fn a_start_tag_split_across_tokens_starts_the_count() {
        let mut b = Budget::new(spec(2, None));
        for piece in ["Hi <th", "ink>", "x"] {
            b.observe(piece);
            assert_eq!(drain(&mut b), "", "{piece}");
        }
        b.observe("y");
        assert_eq!(drain(&mut b), "\n</think>\n\n");
    }

    #[test]
    fn a_model_that_closes_its_reasoning_in_time_is_left_alone() {
        let mut b = Budget::new(spec(3, Some(0)));
        b.observe("a");
        b.observe("</th");
        b.observe("ink>");
        assert!(b.is_done());
        assert_eq!(drain(&mut b), "");
    }

    #[test]
    fn a_zero_budget_closes_before_the_first_token() {
        let mut b = Budget::new(spec(0, Some(0)));
        assert_eq!(drain(&mut b), "\n</think>\n\n");
        let mut b = Budget::new(spec(0, None));
        assert_eq!(drain(&mut b), "");
        b.observe("<think>");
        assert_eq!(drain(&mut b), "\n</think>\n\n");
    }
}
