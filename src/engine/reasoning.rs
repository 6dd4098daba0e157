//! Splitting a streamed reply into reasoning ("thinking") and answer.
//!
//! Reasoning models write their thinking before the answer, inside tags that differ by family:
//! `<think>…</think>` (Qwen3, DeepSeek-R1 distills), `[THINK]…[/THINK]` (Magistral), gpt-oss's
//! analysis channel (`<|channel|>analysis<|message|>…<|end|>`, then the final channel's header
//! `<|start|>assistant<|channel|>final<|message|>`), and pairs from `[thinking] tags`. Shown raw,
//! the thinking floods the chat and, sent back, the next prompt; so every reply is split here
//! once, in the router (see `super::thinking`), for every front end and engine.
//!
//! Rules, chosen so that the stream is never held up and ordinary text is never eaten:
//! - A start tag counts only at the very start of the reply (after optional whitespace); a tag
//!   later on, stray or nested, is text. The first matching end tag closes the reasoning.
//! - A generation prompt that already opened the tag makes the reply start as reasoning.
//! - A reply that never closes its reasoning (cut off while thinking) is all reasoning.
//! - [`Splitter::push`] holds back only what may still become a tag (a tag split across tokens)
//!   and the whitespace before a possible start tag; everything else goes out at once.
//! - Whitespace right after a start tag and right after an end tag is dropped.

/// A reasoning start tag and its end tag; `then` is a header the model writes after the end tag
/// before its answer (gpt-oss's final channel), dropped when it comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPair {
    pub start: String,
    pub end: String,
    pub then: Option<String>,
}

impl TagPair {
    pub fn new(start: &str, end: &str) -> TagPair {
        TagPair {
            start: start.to_owned(),
            end: end.to_owned(),
            then: None,
        }
    }

    /// The pairs every reply is checked for, before those from the config.
    pub fn builtin() -> Vec<TagPair> {
        vec![
            TagPair::new("<think>", "</think>"),
            TagPair::new("[THINK]", "[/THINK]"),
            TagPair {
                then: Some("<|start|>assistant<|channel|>final<|message|>".into()),
                ..TagPair::new("<|channel|>analysis<|message|>", "<|end|>")
            },
        ]
    }
}

/// One piece of split output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Reasoning(String),
    Answer(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing but whitespace seen: a start tag may still come.
    Start,
    /// Inside the reasoning of pair `pair`; `fresh` until its first non-blank character.
    Reasoning { pair: usize, fresh: bool },
    /// Right after pair `pair`'s end tag: its `then` header may come.
    Header { pair: usize },
    /// The answer; `fresh` until its first non-blank character (only after reasoning).
    Answer { fresh: bool },
}

/// The streaming splitter of one reply.
#[derive(Debug, Clone)]
pub struct Splitter {
    pairs: Vec<TagPair>,
    state: State,
    held: String,
}

/// The length of the longest end of `text` that is a proper start of `tag`, on a char boundary.
fn partial_suffix(text: &str, tag: &str) -> usize {
    let longest = tag.len().saturating_sub(1).min(text.len());
    (1..=longest)
        .rev()
        .find(|&k| {
            text.is_char_boundary(text.len() - k) && tag.starts_with(&text[text.len() - k..])
        })
        .unwrap_or(0)
}

impl Splitter {
    /// A splitter over `pairs`; `opened` is the pair whose start tag the generation prompt already
    /// wrote (the reply then starts as reasoning).
    pub fn new(pairs: Vec<TagPair>, opened: Option<usize>) -> Splitter {
        let state = match opened {
            Some(pair) if pair < pairs.len() => State::Reasoning { pair, fresh: true },
            _ => State::Start,
        };
        Splitter {
            pairs,
            state,
            held: String::new(),
        }
    }

    /// The index of the pair whose start tag `prompt` ends in (after trailing whitespace).
    pub fn opened_by(pairs: &[TagPair], prompt: &str) -> Option<usize> {
        let prompt = prompt.trim_end();
        pairs.iter().position(|p| prompt.ends_with(&p.start))
    }

    /// Whether the reply is inside its reasoning now.
    pub fn in_reasoning(&self) -> bool {
        matches!(self.state, State::Reasoning { .. })
    }

    /// Splits the next piece of the reply; returns what can go out now.
    pub fn push(&mut self, text: &str) -> Vec<Piece> {
        self.held.push_str(text);
        let mut out = Vec::new();
        loop {
            match self.state {
                State::Start => {
                    let rest = self.held.trim_start();
                    if rest.is_empty() {
                        return out;
                    }
                    if let Some(pair) = self.pairs.iter().position(|p| rest.starts_with(&p.start)) {
                        let skip = self.held.len() - rest.len() + self.pairs[pair].start.len();
                        self.held.drain(..skip);
                        self.state = State::Reasoning { pair, fresh: true };
                        continue;
                    }
                    if self.pairs.iter().any(|p| p.start.starts_with(rest)) {
                        return out;
                    }
                    self.state = State::Answer { fresh: false };
                }
                State::Reasoning { pair, fresh } => {
                    if fresh {
                        let blank = self.held.len() - self.held.trim_start().len();
                        self.held.drain(..blank);
                        if self.held.is_empty() {
                            return out;
                        }
                        self.state = State::Reasoning { pair, fresh: false };
                    }
                    let end = &self.pairs[pair].end;
                    if let Some(at) = self.held.find(end.as_str()) {
                        let rest = self.held.split_off(at + end.len());
                        self.held.truncate(at);
                        emit(
                            &mut out,
                            Piece::Reasoning(std::mem::replace(&mut self.held, rest)),
                        );
                        self.state = match self.pairs[pair].then {
                            Some(_) => State::Header { pair },
                            None => State::Answer { fresh: true },
                        };
                        continue;
                    }
                    let keep = partial_suffix(&self.held, end);
                    let rest = self.held.split_off(self.held.len() - keep);
                    emit(
                        &mut out,
                        Piece::Reasoning(std::mem::replace(&mut self.held, rest)),
                    );
                    return out;
                }
                State::Header { pair } => {
                    let header = self.pairs[pair].then.as_deref().unwrap_or_default();
                    let rest = self.held.trim_start();
                    if rest.is_empty() {
                        return out;
                    }
                    if rest.starts_with(header) {
                        let skip = self.held.len() - rest.len() + header.len();
                        self.held.drain(..skip);
                    } else if header.starts_with(rest) {
                        return out;
                    }
                    self.state = State::Answer { fresh: true };
                }
                State::Answer { fresh } => {
                    if fresh {
                        let blank = self.held.len() - self.held.trim_start().len();
                        self.held.drain(..blank);
                        if self.held.is_empty() {
                            return out;
                        }
                        self.state = State::Answer { fresh: false };
                    }
                    emit(&mut out, Piece::Answer(std::mem::take(&mut self.held)));
                    return out;
                }
            }
        }
    }

    /// The end of the reply: releases what is held (a reasoning never closed stays reasoning).
    pub fn finish(&mut self) -> Vec<Piece> {
        let held = std::mem::take(&mut self.held);
        let mut out = Vec::new();
        match self.state {
            State::Reasoning { .. } => emit(&mut out, Piece::Reasoning(held)),
            State::Start => emit(&mut out, Piece::Answer(held)),
            State::Header { .. } | State::Answer { .. } => {
                emit(&mut out, Piece::Answer(held.trim_start().to_owned()))
            }
        }
        out
    }
}

fn emit(out: &mut Vec<Piece>, piece: Piece) {
    let empty = match &piece {
        Piece::Reasoning(text) | Piece::Answer(text) => text.is_empty(),
    };
    if !empty {
        out.push(piece);
    }
}

#[cfg(test)]
#[path = "reasoning_tests.rs"]
mod tests;
