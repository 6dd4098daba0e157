//! Finding sessions: summaries in list order, lookup by what the user types (id, id prefix,
//! title), and full-text search.
//!
//! People reopen a chat with whatever they remember — the start of an id they saw in a list, or
//! part of the title — so lookup tries the most precise interpretation first and stops at the
//! first one that matches anything; more than one match there is an error that lists the
//! candidates, never a guess. Search is case-insensitive over titles and message text and returns
//! a one-line snippet around the first match, for a results list.

use super::session::Session;
use super::{StoreError, parse_rfc3339};
use std::path::{Path, PathBuf};

/// What the session list shows for one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub id: String,
    pub title: String,
    /// The model's file name.
    pub model: Option<String>,
    pub message_count: usize,
    /// Branches of the conversation tree (its leaves): 1 for a conversation never edited.
    pub branch_count: usize,
    /// RFC 3339.
    pub updated: String,
    pub path: PathBuf,
}

impl SessionSummary {
    pub(crate) fn of(session: &Session, path: &Path) -> SessionSummary {
        SessionSummary {
            id: session.id.clone(),
            title: session.title.clone(),
            model: session.model.as_ref().map(|m| m.file_name.clone()),
            message_count: session.conversation.messages.len(),
            branch_count: session.tree.branch_count(),
            updated: session.updated.clone(),
            path: path.to_path_buf(),
        }
    }
}

/// Orders by `updated` (parsed, so any offset sorts right), newest first; ties by id.
pub(crate) fn sort_newest_first<T>(items: &mut [T], summary: impl Fn(&T) -> &SessionSummary) {
    items.sort_by_cached_key(|item| {
        let s = summary(item);
        let updated = parse_rfc3339(&s.updated).unwrap_or((i64::MIN, 0));
        std::cmp::Reverse((updated, s.id.clone()))
    });
}

/// One session that contains the searched text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub summary: SessionSummary,
    /// One line of text around the first match, `…` where it was cut.
    pub snippet: String,
    /// Index into `conversation.messages` of the first matching message; `None` when the title
    /// matched or the message is on another branch.
    pub message_index: Option<usize>,
    /// The tree id of the first matching message (on any branch); `None` when the title
    /// matched. Selecting it (`Tree::select`) opens the session on that branch.
    pub message_id: Option<super::NodeId>,
}

/// How many candidates an ambiguity error names before "and N more".
const MAX_CANDIDATES: usize = 10;

/// Characters of context before the match in a snippet.
const SNIPPET_BEFORE: usize = 40;
/// Characters shown from the start of the match on.
const SNIPPET_AFTER: usize = 80;

/// Picks the session `query` names among `sessions` (see [`super::Store::resolve`]).
pub(crate) fn pick<'a>(
    query: &str,
    sessions: &'a [SessionSummary],
) -> Result<&'a SessionSummary, StoreError> {
    let query = query.trim();
    if query.is_empty() {
        return Err(StoreError::NotFound {
            query: String::new(),
        });
    }
    let lower = query.to_lowercase();
    let stages: [&dyn Fn(&SessionSummary) -> bool; 4] = [
        &|s| s.id == query,
        &|s| s.id.starts_with(query),
        &|s| s.title.to_lowercase() == lower,
        &|s| s.title.to_lowercase().contains(&lower),
    ];
    for matches in stages {
        let found: Vec<&SessionSummary> = sessions.iter().filter(|s| matches(s)).collect();
        match found.as_slice() {
            [] => continue,
            [one] => return Ok(one),
            many => {
                let mut candidates: Vec<String> = many
                    .iter()
                    .take(MAX_CANDIDATES)
                    .map(|s| format!("{} ({})", s.id, s.title))
                    .collect();
                if many.len() > MAX_CANDIDATES {
                    candidates.push(format!("and {} more", many.len() - MAX_CANDIDATES));
                }
                return Err(StoreError::Ambiguous {
                    query: query.to_owned(),
                    candidates,
                });
            }
        }
    }
    Err(StoreError::NotFound {
        query: query.to_owned(),
    })
}

/// Where `needle` (already lowercase) first occurs in `text`, ignoring case, as a byte range of
/// `text`.
///
/// Lowercasing can change lengths (`İ` becomes two characters), so the search runs on a
/// lowercased copy that remembers, for each of its bytes, the original character it came from.
fn find_ignoring_case(text: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let mut lower = String::with_capacity(text.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        for l in c.to_lowercase() {
            lower.push(l);
            origin.extend(std::iter::repeat_n((at, at + c.len_utf8()), l.len_utf8()));
        }
    }
    let start = lower.find(needle)?;
    let end = start + needle.len();
    Some((origin[start].0, origin[end - 1].1))
}

/// One line around the first case-insensitive occurrence of `needle` in `text`.
pub(crate) fn snippet(text: &str, needle: &str) -> Option<String> {
    let (start, end) = find_ignoring_case(text, needle)?;
    let before: Vec<char> = text[..start]
        .chars()
        .rev()
        .take(SNIPPET_BEFORE + 1)
        .collect();
    let cut_before = before.len() > SNIPPET_BEFORE;
    let before: String = before.iter().take(SNIPPET_BEFORE).rev().collect();
    let shown_after = SNIPPET_AFTER.max(text[start..end].chars().count());
    let mut after = text[start..].chars();
    let after_text: String = after.by_ref().take(shown_after).collect();
    let cut_after = after.next().is_some();
    let flat = |s: &str| s.replace(|c: char| c.is_control() || c == '\u{2028}', " ");
    Some(format!(
        "{}{}{}{}",
        if cut_before { "…" } else { "" },
        flat(&before).trim_start(),
        flat(&after_text).trim_end(),
        if cut_after { "…" } else { "" }
    ))
}

/// What matched in a session: the snippet, the index on the active path and the message id.
pub(crate) type Found = (String, Option<usize>, Option<super::NodeId>);

/// The first match of `needle` (lowercase) in a session: its title, else a message of the
/// active path, else a message of any other branch.
pub(crate) fn search_session(session: &Session, needle: &str) -> Option<Found> {
    if let Some(s) = snippet(&session.title, needle) {
        return Some((s, None, None));
    }
    let active = &session.conversation.messages;
    let on_path = (active.iter().enumerate())
        .find_map(|(i, m)| snippet(&m.content, needle).map(|s| (s, Some(i), m.id)));
    on_path.or_else(|| {
        (session.tree.nodes().iter())
            .find_map(|n| snippet(&n.message.content, needle).map(|s| (s, None, Some(n.id))))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, title: &str) -> SessionSummary {
        SessionSummary {
            branch_count: 1,
            id: id.into(),
            title: title.into(),
            model: None,
            message_count: 0,
            updated: "2026-01-01T00:00:00.000Z".into(),
            path: PathBuf::from(format!("{id}.json")),
        }
    }

    fn picked(query: &str, all: &[SessionSummary]) -> Result<String, String> {
        pick(query, all)
            .map(|s| s.id.clone())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn precise_interpretations_win() {
        let all = [
            summary("20260101-100000-aaaa", "Rust lifetimes"),
            summary("20260101-100000-aabb", "rust"),
            summary("20260102-090000-cccc", "Trusting rustc"),
            summary("abc", "20260101"),
        ];
        assert_eq!(picked("abc", &all).unwrap(), "abc");
        assert_eq!(picked("20260102", &all).unwrap(), "20260102-090000-cccc");
        assert_eq!(
            picked(" 20260101-100000-aaa ", &all).unwrap(),
            "20260101-100000-aaaa"
        );
        assert_eq!(
            picked("RUST", &all).unwrap(),
            "20260101-100000-aabb",
            "exact title first"
        );
        assert_eq!(picked("lifetimes", &all).unwrap(), "20260101-100000-aaaa");
        assert!(
            picked("nothing like it", &all)
                .unwrap_err()
                .contains("no session matches")
        );
        assert!(picked("  ", &all).is_err());
    }

    #[test]
    fn ambiguity_lists_the_candidates() {
        let all = [
            summary("20260101-100000-aaaa", "Rust lifetimes"),
            summary("20260101-100000-aabb", "Rust traits"),
        ];
        let err = picked("rust", &all).unwrap_err();
        assert!(
            err.contains("20260101-100000-aaaa (Rust lifetimes)"),
            "{err}"
        );
        assert!(err.contains("20260101-100000-aabb (Rust traits)"), "{err}");
        assert!(
            picked("20260101-100000-aa", &all)
                .unwrap_err()
                .contains("several")
        );
        let many: Vec<_> = (0..15)
            .map(|i| summary(&format!("s{i:02}"), "same"))
            .collect();
        let err = picked("same", &many).unwrap_err();
        assert!(err.contains("and 5 more"), "{err}");
    }

    #[test]
    fn snippets_are_one_line_around_the_match() {
        let text = format!(
            "{}\nThe Quick brown fox\njumps {}",
            "a".repeat(100),
            "b".repeat(200)
        );
        let s = snippet(&text, "quick").unwrap();
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("The Quick brown fox jumps"), "{s}");
        assert!(!s.contains('\n'));
        assert_eq!(s.chars().count(), 1 + SNIPPET_BEFORE + SNIPPET_AFTER + 1);
        assert_eq!(
            snippet("short QUICK text", "quick").unwrap(),
            "short QUICK text"
        );
        assert_eq!(snippet("nothing", "quick"), None);
    }

    #[test]
    fn case_folding_that_changes_lengths_keeps_offsets_right() {
        // 'İ' lowercases to two characters; the match after it must still map back correctly.
        assert_eq!(snippet("İİİ Straße ЖУК", "жук").unwrap(), "İİİ Straße ЖУК");
        assert_eq!(find_ignoring_case("İx", "i\u{307}x"), Some((0, 3)));
        assert_eq!(
            snippet("日本語のテキスト🙂", "テキ").unwrap(),
            "日本語のテキスト🙂"
        );
        assert_eq!(find_ignoring_case("abc", ""), None);
        assert_eq!(find_ignoring_case("", "a"), None);
    }
}
