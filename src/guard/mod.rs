//! The content-safety guard: rule files (TOML, see [`rules`]) of literal terms and regular
//! expressions in named categories, each with an action:
//! - `warn`: the text passes and the message is marked with the category;
//! - `redact`: the match is masked, one [`MASK`] per character, in what is shown and stored;
//! - `block`: a user message is not sent; a reply stops at the match, which is masked.
//!
//! It is off unless rule files are configured. The engine router applies it to every request of
//! every front end (chat, `ask`, `serve`) and both engines: [`Guard::check`] for the user's
//! message before it is sent, a [`StreamFilter`] per reply for the streamed text. Masking with a
//! fixed character rather than a `[redacted:…]` tag keeps the text's length and layout and never
//! puts rule-file text into a reply; the category is shown beside the message instead.

pub mod check;
pub mod error;
mod matcher;
pub mod rules;
pub mod stream;
#[cfg(test)]
mod tests;

pub use check::{CheckAction, CheckMode, CheckResult, ModelCheck};
pub use error::GuardError;
pub use rules::{Category, RuleSet};
pub use stream::{Step, StreamFilter};

use matcher::{Hit, Matcher};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What replaces each character of a redacted or blocked match.
pub const MASK: char = '█';

/// What a category does to a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Warn,
    Redact,
    Block,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Warn => "warn",
            Action::Redact => "redact",
            Action::Block => "block",
        }
    }
}

/// What the guard did to one message: a category and its action. Recorded in the session beside
/// the message and shown with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardMark {
    pub category: String,
    pub action: Action,
}

impl GuardMark {
    /// The mark as shown beside a message, in the interface language.
    pub fn label(&self) -> String {
        crate::tr!(
            "guard-mark",
            category = crate::text::sanitize::sanitize(&self.category).into_owned(),
            action = self.action_label()
        )
    }

    /// What was done, in the interface language ("masked").
    pub fn action_label(&self) -> String {
        match self.action {
            Action::Warn => crate::tr!("guard-action-warn"),
            Action::Redact => crate::tr!("guard-action-redact"),
            Action::Block => crate::tr!("guard-action-block"),
        }
    }
}

/// Adds `mark` to `marks` unless it is there already.
pub fn add_mark(marks: &mut Vec<GuardMark>, mark: GuardMark) {
    if !marks.contains(&mark) {
        marks.push(mark);
    }
}

/// A whole text after the guard: every `redact` and `block` match masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub text: String,
    /// Every category that matched, once, in order of first match.
    pub marks: Vec<GuardMark>,
    /// The first `block` match's category, if any.
    pub blocked: Option<GuardMark>,
}

/// Compiled rules.
pub struct Guard {
    set: RuleSet,
    matcher: Matcher,
    hold: usize,
    check: Option<ModelCheck>,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("files", &self.set.files)
            .field("rules", &self.set.rules.len())
            .field("hold", &self.hold)
            .field("check", &self.check.as_ref().map(|c| (c.mode, &c.model)))
            .finish()
    }
}

impl Guard {
    /// Reads, checks and compiles the rule files, in order.
    pub fn load(files: &[PathBuf]) -> Result<Guard, GuardError> {
        let mut set = RuleSet::default();
        for file in files {
            set.add_file(file)?;
        }
        Guard::from_rules(set)
    }

    pub fn from_rules(set: RuleSet) -> Result<Guard, GuardError> {
        let matcher = Matcher::build(&set.rules).map_err(|message| GuardError::Build {
            files: set
                .files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            message,
        })?;
        let hold = set.rules.iter().map(|r| r.max_len).max().unwrap_or(0);
        Ok(Guard {
            set,
            matcher,
            hold,
            check: None,
        })
    }

    /// The guard with a model check (see [`check`]); a mode of `off` leaves it without.
    pub fn with_model_check(mut self, check: ModelCheck) -> Guard {
        self.check = (check.mode != CheckMode::Off).then_some(check);
        self
    }

    /// The model check, when one is on.
    pub fn model_check(&self) -> Option<&ModelCheck> {
        self.check.as_ref()
    }

    /// How many characters a stream holds back: the longest rule's maximum match length.
    pub fn hold_back(&self) -> usize {
        self.hold
    }

    pub fn rule_count(&self) -> usize {
        self.set.rules.len()
    }

    pub fn files(&self) -> &[PathBuf] {
        &self.set.files
    }

    /// Matches starting at or after byte `from`, by start (the longer first at one start).
    fn hits(&self, text: &str, from: usize) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.matcher.find(text, from, &mut hits);
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        hits
    }

    fn category(&self, hit: &Hit) -> &Category {
        &self.set.categories[self.set.rules[hit.rule].category]
    }

    fn mark(&self, hit: &Hit) -> GuardMark {
        let category = self.category(hit);
        GuardMark {
            category: category.name.clone(),
            action: category.action,
        }
    }

    /// Checks a whole text (a user message before it is sent).
    pub fn check(&self, text: &str) -> Checked {
        let hits = self.hits(text, 0);
        let mut marks = Vec::new();
        for hit in &hits {
            add_mark(&mut marks, self.mark(hit));
        }
        let blocked = hits
            .iter()
            .find(|h| self.category(h).action == Action::Block)
            .map(|h| self.mark(h));
        Checked {
            text: mask(text, self.masked_ranges(&hits)),
            marks,
            blocked,
        }
    }

    fn masked_ranges<'a>(&'a self, hits: &'a [Hit]) -> impl Iterator<Item = (usize, usize)> + 'a {
        hits.iter()
            .filter(|h| self.category(h).action != Action::Warn)
            .map(|h| (h.start, h.end))
    }
}

/// `text` with the byte ranges (sorted by start, possibly overlapping, on character boundaries)
/// replaced by one [`MASK`] per character.
fn mask(text: &str, ranges: impl Iterator<Item = (usize, usize)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (start, end) in ranges {
        let end = end.min(text.len());
        if end <= done {
            continue;
        }
        let start = start.max(done);
        out.push_str(&text[done..start]);
        out.extend(std::iter::repeat_n(MASK, text[start..end].chars().count()));
        done = end;
    }
    out.push_str(&text[done..]);
    out
}
