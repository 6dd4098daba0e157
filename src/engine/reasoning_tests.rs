//! The splitter on synthetic streams, cut at every character position (a tag split across
//! tokens), one character at a time, and whole.

use super::*;

fn pairs() -> Vec<TagPair> {
    let mut pairs = TagPair::builtin();
    pairs.push(TagPair::new("<r>", "</r>"));
    pairs
}

/// Runs `pieces` through a splitter; returns (reasoning, answer) and checks that after each push
/// no more is held than a possible tag (or the blanks before one).
fn run(pieces: &[&str], opened: Option<usize>) -> (String, String) {
    let mut splitter = Splitter::new(pairs(), opened);
    let longest = pairs().iter().map(|p| p.start.len().max(p.end.len())).max();
    let longest = longest
        .unwrap_or(0)
        .max(pairs()[2].then.as_ref().map_or(0, |t| t.len()));
    let (mut reasoning, mut answer) = (String::new(), String::new());
    let mut take = |out: Vec<Piece>| {
        for piece in out {
            match piece {
                Piece::Reasoning(t) => reasoning.push_str(&t),
                Piece::Answer(t) => answer.push_str(&t),
            }
        }
    };
    for piece in pieces {
        take(splitter.push(piece));
        let held = splitter.held.trim_start();
        assert!(
            held.len() < longest,
            "holds {:?} after {piece:?}",
            splitter.held
        );
    }
    take(splitter.finish());
    (reasoning, answer)
}

/// Every way to feed `text`: whole, split at each char boundary, and char by char.
fn all_splits(text: &str, opened: Option<usize>, want: (&str, &str)) {
    let want = (want.0.to_owned(), want.1.to_owned());
    assert_eq!(run(&[text], opened), want, "whole {text:?}");
    for (at, _) in text.char_indices().skip(1) {
        let (a, b) = text.split_at(at);
        assert_eq!(run(&[a, b], opened), want, "split {a:?} | {b:?}");
    }
    let chars: Vec<String> = text.chars().map(String::from).collect();
    let chars: Vec<&str> = chars.iter().map(String::as_str).collect();
    assert_eq!(run(&chars, opened), want, "char by char {text:?}");
}

#[test]
fn think_tags_split_anywhere() {
    all_splits(
        "<think>\nLet me see: 2+2.\n</think>\n\nIt is 4.",
        None,
        ("Let me see: 2+2.\n", "It is 4."),
    );
    all_splits(
        "  <think>思考中…</think>答案是四。",
        None,
        ("思考中…", "答案是四。"),
    );
}

#[test]
fn magistral_gpt_oss_and_configured_tags() {
    all_splits("[THINK]hmm[/THINK]Yes.", None, ("hmm", "Yes."));
    all_splits(
        "<|channel|>analysis<|message|>User asks.<|end|><|start|>assistant<|channel|>final<|message|>Hi!",
        None,
        ("User asks.", "Hi!"),
    );
    all_splits("<r>mine</r>done", None, ("mine", "done"));
}

#[test]
fn answer_only_replies_pass_untouched() {
    all_splits(
        "Hello, <think> is a tag.",
        None,
        ("", "Hello, <think> is a tag."),
    );
    all_splits("  indented answer", None, ("", "  indented answer"));
    all_splits("<thin", None, ("", "<thin"));
    all_splits(
        "<thinking>no</thinking>",
        None,
        ("", "<thinking>no</thinking>"),
    );
}

#[test]
fn stray_and_nested_tags_are_text() {
    all_splits(
        "<think>a <think>b</think> c </think> d",
        None,
        ("a <think>b", "c </think> d"),
    );
    all_splits(
        "<think>x</think>y<think>z</think>",
        None,
        ("x", "y<think>z</think>"),
    );
    all_splits("<think>x</thinker></think>y", None, ("x</thinker>", "y"));
}

#[test]
fn reasoning_never_closed_is_all_reasoning() {
    all_splits(
        "<think>still thinking </thi",
        None,
        ("still thinking </thi", ""),
    );
    all_splits("<think>", None, ("", ""));
}

#[test]
fn a_generation_prompt_that_opened_the_tag_starts_in_reasoning() {
    let opened = Splitter::opened_by(&pairs(), "<|im_start|>assistant\n<think>\n");
    assert_eq!(opened, Some(0));
    assert_eq!(
        Splitter::opened_by(&pairs(), "<|im_start|>assistant\n"),
        None
    );
    all_splits("plan it</think>\nDone.", opened, ("plan it", "Done."));
    all_splits("cut off mid-thought", opened, ("cut off mid-thought", ""));
}

#[test]
fn a_gpt_oss_reply_without_the_final_header_keeps_its_answer() {
    all_splits(
        "<|channel|>analysis<|message|>a<|end|>plain",
        None,
        ("a", "plain"),
    );
}

#[test]
fn pieces_go_out_as_soon_as_they_cannot_be_a_tag() {
    let mut splitter = Splitter::new(pairs(), None);
    assert_eq!(splitter.push("<th"), vec![]);
    assert_eq!(splitter.push("ink>I"), vec![Piece::Reasoning("I".into())]);
    assert_eq!(
        splitter.push(" wonder </"),
        vec![Piece::Reasoning(" wonder ".into())]
    );
    assert_eq!(splitter.push("b"), vec![Piece::Reasoning("</b".into())]);
    assert_eq!(splitter.push("</think>A"), vec![Piece::Answer("A".into())]);
    assert_eq!(
        splitter.push("</think>"),
        vec![Piece::Answer("</think>".into())]
    );
}
