//! Incremental highlighting cache for code blocks.
//!
//! The chat view re-renders the streaming message every frame. Without a
//! cache every code block in it would be re-highlighted from its first line
//! each frame, and syntect is by far the most expensive part of rendering.
//! The cache keeps, per recently seen block, the highlighted complete lines
//! and the syntect state after the last of them. A block whose cached lines
//! are a prefix of its current lines (the same block, unchanged, or grown by
//! streaming) only highlights its new lines and its partial last line.
//!
//! Entries are taken out while in use and put back afterwards, so the lock
//! is never held while highlighting; the cache is bounded (least recently
//! used entries are dropped) and a poisoned lock is simply recovered.

use std::sync::{Mutex, MutexGuard};

use ratatui::style::Style;
use ratatui::text::Span;
use syntect::highlighting::HighlightState;
use syntect::parsing::ParseState;

/// How many blocks are remembered. A long conversation has more, but only
/// the streaming message is re-rendered every frame.
const CAPACITY: usize = 64;

/// What a cached highlighting depends on besides the code itself.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Key {
    pub syntax: String,
    pub theme: String,
    pub base: Style,
}

/// A block's highlighted complete lines (text with its `\n`, and spans) and
/// the syntect state after the last of them.
pub(super) struct Entry {
    pub key: Key,
    pub lines: Vec<(String, Vec<Span<'static>>)>,
    pub state: Option<(HighlightState, ParseState)>,
    used: u64,
}

impl Entry {
    pub(super) fn new(key: Key) -> Self {
        Self {
            key,
            lines: Vec::new(),
            state: None,
            used: 0,
        }
    }
}

struct Cache {
    entries: Vec<Entry>,
    clock: u64,
}

static CACHE: Mutex<Cache> = Mutex::new(Cache {
    entries: Vec::new(),
    clock: 0,
});

fn lock() -> MutexGuard<'static, Cache> {
    CACHE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes and returns the entry for `key` whose lines are the longest
/// prefix of `lines` (the complete lines of the block being highlighted).
pub(super) fn take(key: &Key, lines: &[&str]) -> Option<Entry> {
    let mut cache = lock();
    let best = cache
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.key == *key
                && e.lines.len() <= lines.len()
                && e.lines
                    .iter()
                    .zip(lines)
                    .all(|((cached, _), line)| cached == line)
        })
        .max_by_key(|(_, e)| e.lines.len())
        .map(|(i, _)| i)?;
    Some(cache.entries.swap_remove(best))
}

/// Stores an entry, dropping the least recently used one if full.
pub(super) fn put(mut entry: Entry) {
    let mut cache = lock();
    cache.clock += 1;
    entry.used = cache.clock;
    cache.entries.push(entry);
    if cache.entries.len() > CAPACITY
        && let Some(oldest) = cache
            .entries
            .iter()
            .enumerate()
            .min_by_key(|(_, e)| e.used)
            .map(|(i, _)| i)
    {
        cache.entries.swap_remove(oldest);
    }
}

/// Forgets every cached block (to free memory, e.g. after clearing a chat).
pub(super) fn clear() {
    lock().entries.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(theme: &str) -> Key {
        Key {
            syntax: "Rust".into(),
            theme: theme.into(),
            base: Style::new(),
        }
    }

    #[test]
    fn takes_longest_prefix_and_evicts() {
        let k = key("cache-test-a");
        let mut e = Entry::new(k.clone());
        e.lines.push(("a\n".into(), Vec::new()));
        put(e);
        let mut e = Entry::new(k.clone());
        e.lines = vec![("a\n".into(), Vec::new()), ("b\n".into(), Vec::new())];
        put(e);
        assert!(take(&k, &["x\n"]).is_none());
        assert_eq!(
            take(&k, &["a\n", "b\n", "c\n"]).map(|e| e.lines.len()),
            Some(2)
        );
        assert_eq!(take(&k, &["a\n", "b\n"]).map(|e| e.lines.len()), Some(1));
        assert!(take(&k, &["a\n"]).is_none());

        let k = key("cache-test-b");
        for _ in 0..CAPACITY + 5 {
            put(Entry::new(k.clone()));
        }
        assert!(lock().entries.len() <= CAPACITY);
    }
}
