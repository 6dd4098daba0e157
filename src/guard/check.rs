//! The optional model check (`[guard] model_check`): a model reads the user's message or the
//! finished reply and answers `safe` or `unsafe: <category>`. Rules catch known words; the check
//! catches what no rule lists, at the price of one short generation per message, so it is off
//! by default and every check has a timeout after which the text passes with a notice (a guard
//! that hangs the chat is worse than one that says it did not look).
//!
//! This module is the part without an engine: the settings, the prompt and the strict reading of
//! the answer. The engine side (where the check runs, the timeout) is `crate::engine::model_check`.

use crate::chat::Message;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// What the model check reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CheckMode {
    #[default]
    Off,
    /// The user's message, before it is sent.
    Input,
    /// The finished reply, before it is shown.
    Output,
    Both,
}

impl CheckMode {
    pub fn input(self) -> bool {
        matches!(self, CheckMode::Input | CheckMode::Both)
    }

    pub fn output(self) -> bool {
        matches!(self, CheckMode::Output | CheckMode::Both)
    }
}

/// What an unsafe verdict on a reply does (an unsafe message is always blocked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckAction {
    /// The reply is masked and ends with `content_filter`, like a `block` rule.
    #[default]
    Block,
    /// The reply is shown, marked with the category.
    Warn,
}

/// The check's settings, resolved (`crate::setup::Setup::guard`).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelCheck {
    pub mode: CheckMode,
    /// The system prompt of the check; the text to classify is the user message.
    pub prompt: String,
    pub timeout: Duration,
    pub action: CheckAction,
    /// A second model that runs the checks on its own engine thread; `None`: the loaded model.
    pub model: Option<PathBuf>,
    /// The second model's settings (threads, context size).
    pub model_params: crate::params::ModelParams,
}

/// The categories the default prompt offers.
pub const CATEGORIES: &[&str] = &[
    "violence",
    "weapons",
    "self-harm",
    "sexual",
    "hate",
    "harassment",
    "crime",
    "privacy",
];

/// The built-in check prompt.
pub fn default_prompt() -> String {
    format!(
        "You are a content-safety classifier. Read the user's message and decide whether it is \
         harmful. Answer with exactly one line: `safe` if it is harmless, or `unsafe: CATEGORY` \
         where CATEGORY is one of: {}. Write nothing else.",
        CATEGORIES.join(", ")
    )
}

/// The conversation a check sends: the prompt as the system message, the text as the user's.
pub fn messages(prompt: &str, text: &str) -> Vec<Message> {
    vec![Message::system(prompt), Message::user(text)]
}

/// The longest category kept from an answer, in characters.
const MAX_CATEGORY: usize = 40;

/// The verdict in a check's answer: `Ok(None)` safe, `Ok(Some(category))` unsafe, `Err` with the
/// answer when it is neither. Only the first non-empty line counts, case and surrounding
/// punctuation aside; `unsafe` without a category is category `unspecified`.
pub fn parse_verdict(answer: &str) -> Result<Option<String>, String> {
    let line = answer.lines().map(str::trim).find(|l| !l.is_empty());
    let Some(line) = line else {
        return Err(answer.to_owned());
    };
    let trim = |s: &str| -> String {
        s.trim_matches(|c: char| c.is_whitespace() || "`'\".*".contains(c))
            .to_lowercase()
    };
    let line = trim(line);
    let line = line.trim_end_matches(['.', '!']);
    if line == "safe" {
        return Ok(None);
    }
    let Some(rest) = line.strip_prefix("unsafe") else {
        return Err(answer.to_owned());
    };
    let category = trim(
        rest.trim_start_matches([':', '-', ' ', '('])
            .trim_end_matches(')'),
    );
    if category.is_empty() {
        return Ok(Some("unspecified".to_owned()));
    }
    let ok = |c: char| c.is_alphanumeric() || " -_/".contains(c);
    if !category.chars().all(ok) {
        return Err(answer.to_owned());
    }
    Ok(Some(category.chars().take(MAX_CATEGORY).collect()))
}

/// Which text a check read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Input,
    Output,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Input => "input",
            Stage::Output => "output",
        }
    }
}

/// How one check went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum CheckResult {
    Safe,
    Unsafe {
        category: String,
    },
    /// No answer within the timeout: the text passed unchecked.
    TimedOut {
        ms: u64,
    },
    /// The check could not run or its answer was no verdict: the text passed unchecked.
    Failed {
        error: String,
    },
}

impl CheckResult {
    /// The `result` label of the `/metrics` counter.
    pub fn label(&self) -> &'static str {
        match self {
            CheckResult::Safe => "safe",
            CheckResult::Unsafe { .. } => "unsafe",
            CheckResult::TimedOut { .. } => "timeout",
            CheckResult::Failed { .. } => "error",
        }
    }

    /// The notice for a check that did not happen, in the interface language; `None` for a
    /// verdict.
    pub fn notice(&self) -> Option<String> {
        match self {
            CheckResult::TimedOut { ms } => Some(crate::tr!("guard-check-timeout", ms = *ms)),
            CheckResult::Failed { error } => Some(crate::tr!(
                "guard-check-failed",
                error = crate::text::sanitize::sanitize(error).into_owned()
            )),
            _ => None,
        }
    }

    /// The mark a check that did not happen leaves on the message (recorded in the session).
    pub fn unchecked_mark(&self) -> Option<super::GuardMark> {
        let category = match self {
            CheckResult::TimedOut { .. } => "model check timed out",
            CheckResult::Failed { .. } => "model check failed",
            _ => return None,
        };
        Some(super::GuardMark {
            category: category.to_owned(),
            action: super::Action::Warn,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_strictly_from_the_first_line() {
        assert_eq!(parse_verdict("safe"), Ok(None));
        assert_eq!(parse_verdict("  Safe.\nmore"), Ok(None));
        assert_eq!(
            parse_verdict("unsafe: violence"),
            Ok(Some("violence".into()))
        );
        assert_eq!(
            parse_verdict("`UNSAFE - Self-Harm`"),
            Ok(Some("self-harm".into()))
        );
        assert_eq!(parse_verdict("unsafe"), Ok(Some("unspecified".into())));
        assert!(parse_verdict("").is_err());
        assert!(parse_verdict("I think it is safe").is_err());
        assert!(parse_verdict("safety first").is_err());
        assert!(parse_verdict("unsafe: <b>x</b>").is_err());
    }

    #[test]
    fn modes_say_what_they_read() {
        assert!(CheckMode::Both.input() && CheckMode::Both.output());
        assert!(!CheckMode::Off.input() && !CheckMode::Off.output());
        assert!(CheckMode::Input.input() && !CheckMode::Input.output());
        assert!(default_prompt().contains("unsafe: CATEGORY"));
    }
}
