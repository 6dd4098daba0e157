//! The multi-pattern matcher: every rule of every file is searched in one pass per engine, never
//! in a loop over rules. Terms go into two Aho-Corasick automata (exact and ASCII-case-folded);
//! regular expressions, and terms whose case folding is not ASCII, go into one multi-pattern
//! regex (`regex_automata::meta`), which reports which pattern matched where.

use super::rules::{Pattern, Rule};
use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::meta;

/// A match of `rule` at bytes `start..end` of the searched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
}

/// One compiled engine and the rule behind each of its patterns.
struct Part<E> {
    engine: E,
    rules: Vec<usize>,
}

/// The compiled rules.
pub struct Matcher {
    exact: Option<Part<AhoCorasick>>,
    folded: Option<Part<AhoCorasick>>,
    regex: Option<Part<meta::Regex>>,
}

/// Whether case folding `text` needs Unicode rules (a cased letter outside ASCII).
fn needs_unicode_folding(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_ascii() && (c.is_lowercase() || c.is_uppercase()))
}

/// `text` as a regex that matches it literally.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn automaton(patterns: &[&str], fold: bool) -> Result<AhoCorasick, String> {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(fold)
        .build(patterns)
        .map_err(|e| e.to_string())
}

impl Matcher {
    pub fn build(rules: &[Rule]) -> Result<Matcher, String> {
        let (mut exact, mut folded, mut regex) = (
            (Vec::new(), Vec::new()),
            (Vec::new(), Vec::new()),
            (Vec::new(), Vec::new()),
        );
        for (index, rule) in rules.iter().enumerate() {
            match &rule.pattern {
                Pattern::Term {
                    text,
                    ignore_case: false,
                } => {
                    exact.0.push(text.as_str());
                    exact.1.push(index);
                }
                Pattern::Term { text, .. } if needs_unicode_folding(text) => {
                    regex.0.push(format!("(?i){}", escape(text)));
                    regex.1.push(index);
                }
                Pattern::Term { text, .. } => {
                    folded.0.push(text.as_str());
                    folded.1.push(index);
                }
                Pattern::Regex(pattern) => {
                    regex.0.push(pattern.clone());
                    regex.1.push(index);
                }
            }
        }
        let exact = match exact.0.is_empty() {
            true => None,
            false => Some(Part {
                engine: automaton(&exact.0, false)?,
                rules: exact.1,
            }),
        };
        let folded = match folded.0.is_empty() {
            true => None,
            false => Some(Part {
                engine: automaton(&folded.0, true)?,
                rules: folded.1,
            }),
        };
        let regex = match regex.0.is_empty() {
            true => None,
            false => Some(Part {
                engine: meta::Regex::new_many(&regex.0).map_err(|e| e.to_string())?,
                rules: regex.1,
            }),
        };
        Ok(Matcher {
            exact,
            folded,
            regex,
        })
    }

    /// Appends the matches that start at or after byte `from` of `text` (the text before it is
    /// only context, for look-behind such as `\b`). Empty matches are left out. Within one engine
    /// matches do not overlap; across engines they may.
    pub fn find(&self, text: &str, from: usize, out: &mut Vec<Hit>) {
        for part in [&self.exact, &self.folded].into_iter().flatten() {
            let input = aho_corasick::Input::new(text).range(from..);
            out.extend(part.engine.find_iter(input).map(|m| Hit {
                start: m.start(),
                end: m.end(),
                rule: part.rules[m.pattern().as_usize()],
            }));
        }
        if let Some(part) = &self.regex {
            let input = regex_automata::Input::new(text).range(from..);
            out.extend(
                part.engine
                    .find_iter(input)
                    .filter(|m| !m.is_empty())
                    .map(|m| Hit {
                        start: m.start(),
                        end: m.end(),
                        rule: part.rules[m.pattern().as_usize()],
                    }),
            );
        }
    }
}
