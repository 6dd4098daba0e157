//! A check for tests of localized messages: the Chinese wording carries the same facts as the
//! English one and is really Chinese, not English with a few characters swapped.

use super::{Lang, with_language};

/// Words both languages write the same way (names of formats, tools and units).
const SHARED_WORDS: &[&str] = &[
    "ggchat",
    "token",
    "llama",
    "gguf",
    "lora",
    "json",
    "html",
    "http",
    "sha256",
    "pytorch",
    "ggml",
    "ggjt",
    "chmod",
    "fifo",
    "modelscope",
    "huggingface",
];

/// Renders `message` in English and in Chinese and checks that both contain every item of
/// `data`, that the Chinese has CJK characters, and that no English word of four letters or more
/// (outside `data`, [`SHARED_WORDS`], capitals and backticks) is left in the Chinese. Returns the Chinese text.
#[track_caller]
pub(crate) fn assert_translated(message: impl Fn() -> String, data: &[&str]) -> String {
    let en = with_language(Lang::En, &message);
    let zh = with_language(Lang::ZhCn, &message);
    for item in data {
        assert!(en.contains(item), "English lacks {item:?}: {en}");
        assert!(zh.contains(item), "Chinese lacks {item:?}: {zh}");
    }
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no Chinese in {zh:?}"
    );
    // Longest first, so that an item inside another (".gguf" in a path) does not split it.
    let mut data = data.to_vec();
    data.sort_by_key(|item| std::cmp::Reverse(item.len()));
    let mut zh_rest = zh.clone();
    for item in &data {
        zh_rest = zh_rest.replace(item, " ");
    }
    // Commands and keys in backticks are written the same in both languages.
    let words = |text: &str| -> Vec<String> {
        let outside_code: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        outside_code
            .split(|c: char| !c.is_ascii_alphabetic())
            // Placeholders and variables (OWNER, HF_TOKEN) are written in capitals in both.
            .filter(|w| w.len() >= 4 && w.chars().any(|c| c.is_ascii_lowercase()))
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let zh_words = words(&zh_rest);
    let mut en_rest = en.clone();
    for item in &data {
        en_rest = en_rest.replace(item, " ");
    }
    let leftovers: Vec<String> = words(&en_rest)
        .into_iter()
        .filter(|w| !SHARED_WORDS.contains(&w.as_str()) && zh_words.contains(w))
        .collect();
    assert!(
        leftovers.is_empty(),
        "English words {leftovers:?} left in the Chinese: {zh}\n(English: {en})"
    );
    zh
}
