//! The rule-file format (TOML) and its checks.
//!
//! ```toml
//! [[category]]
//! name = "credentials"        # shown on every message the guard touched
//! action = "redact"           # warn | redact | block
//! ignore_case = true          # for `terms` (the default)
//! terms = ["BEGIN RSA PRIVATE KEY", "password="]
//!
//! [[category.regex]]
//! pattern = 'sk-[A-Za-z0-9]{20,48}'
//! max_len = 51                # required: the longest text the pattern can match, in characters
//! ```
//!
//! Terms match anywhere, also inside words and in running Chinese or Japanese text, which has no
//! word boundaries. A term's maximum match length is its own length; a regex must declare
//! `max_len` because the stream holds back that many characters before showing them (see
//! [`super::stream`]). Every problem is reported with the file, the line and the rule.

use super::Action;
use super::error::{GuardError, line_of};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The longest `max_len` (and term) accepted, in characters: it bounds the stream's hold-back.
pub const MAX_RULE_LEN: usize = 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    name: String,
    action: Action,
    #[serde(default = "yes")]
    ignore_case: bool,
    #[serde(default)]
    terms: Vec<Spanned<String>>,
    #[serde(default)]
    regex: Vec<Spanned<RawRegex>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegex {
    pattern: String,
    max_len: Option<usize>,
}

fn yes() -> bool {
    true
}

/// A named group of rules sharing one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub action: Action,
}

/// What a rule matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// Literal text; `ignore_case` folds case (ASCII in the multi-pattern automaton, Unicode
    /// through the regex engine for terms with non-ASCII cased letters).
    Term { text: String, ignore_case: bool },
    /// A regular expression (the `regex` crate's syntax).
    Regex(String),
}

/// One rule, as read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Index into [`RuleSet::categories`].
    pub category: usize,
    pub pattern: Pattern,
    /// The longest match, in characters.
    pub max_len: usize,
}

/// Every rule of every file, in file order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub categories: Vec<Category>,
    pub rules: Vec<Rule>,
    pub files: Vec<PathBuf>,
}

impl RuleSet {
    /// Reads and checks one rule file, adding its categories and rules.
    pub fn add_file(&mut self, path: &Path) -> Result<(), GuardError> {
        let text = std::fs::read_to_string(path).map_err(|source| GuardError::Read {
            path: path.to_owned(),
            source,
        })?;
        self.add_text(&text, path)
    }

    /// Checks `text` as the content of the rule file `path` (named in errors).
    pub fn add_text(&mut self, text: &str, path: &Path) -> Result<(), GuardError> {
        let error = |offset: usize, message: String| GuardError::Rule {
            path: path.to_owned(),
            line: line_of(text, offset),
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            error(offset, e.message().trim().to_string())
        })?;
        if raw.category.is_empty() {
            return Err(error(
                0,
                "no [[category]]: a rule file names at least one category with its rules".into(),
            ));
        }
        for spanned in raw.category {
            let at = spanned.span().start;
            let category = spanned.into_inner();
            let name = category.name.trim();
            if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 64 {
                return Err(error(
                    at,
                    format!(
                        "category name {:?}: give 1 to 64 printable characters",
                        category.name
                    ),
                ));
            }
            if category.terms.is_empty() && category.regex.is_empty() {
                return Err(error(
                    at,
                    format!("category \"{name}\" has no rules: add `terms` or [[category.regex]]"),
                ));
            }
            let index = self.categories.len();
            self.categories.push(Category {
                name: name.to_string(),
                action: category.action,
            });
            for term in category.terms {
                let at = term.span().start;
                let text = term.into_inner();
                let len = text.chars().count();
                if text.trim().is_empty() {
                    return Err(error(at, format!("category \"{name}\": an empty term")));
                }
                if len > MAX_RULE_LEN {
                    return Err(error(
                        at,
                        format!(
                            "category \"{name}\": the term starting {:?} is {len} characters long; \
                             the most is {MAX_RULE_LEN}",
                            text.chars().take(20).collect::<String>()
                        ),
                    ));
                }
                self.rules.push(Rule {
                    category: index,
                    pattern: Pattern::Term {
                        text,
                        ignore_case: category.ignore_case,
                    },
                    max_len: len,
                });
            }
            for regex in category.regex {
                let at = regex.span().start;
                let RawRegex { pattern, max_len } = regex.into_inner();
                let rule = format!("category \"{name}\", regex '{pattern}'");
                let Some(max_len) = max_len else {
                    return Err(error(
                        at,
                        format!(
                            "{rule}: declare `max_len`, the longest text it can match in characters \
                             (the stream holds back that many)"
                        ),
                    ));
                };
                if max_len == 0 || max_len > MAX_RULE_LEN {
                    return Err(error(
                        at,
                        format!("{rule}: max_len {max_len} is not between 1 and {MAX_RULE_LEN}"),
                    ));
                }
                if let Err(e) = regex_automata::meta::Regex::new(&pattern) {
                    return Err(error(
                        at,
                        format!("{rule}: not a valid regular expression: {e}"),
                    ));
                }
                self.rules.push(Rule {
                    category: index,
                    pattern: Pattern::Regex(pattern),
                    max_len,
                });
            }
        }
        self.files.push(path.to_owned());
        Ok(())
    }
}
