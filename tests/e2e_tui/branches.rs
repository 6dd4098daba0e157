//! The conversation tree in the chat, as a user drives it: select an earlier message
//! (Alt+Up), edit it (Enter), send it as a new branch, see `‹ 2/2 ›`, switch back
//! (Alt+Left), quit, reopen the session: both branches are there and the chosen one is shown.

use crate::common::TempHome;
use crate::harness::*;
use ggchat::chat::Role;
use std::sync::Arc;

pub(crate) const ALT_UP: &[u8] = b"\x1b[1;3A";
pub(crate) const ALT_LEFT: &[u8] = b"\x1b[1;3D";
pub(crate) const ALT_RIGHT: &[u8] = b"\x1b[1;3C";
const BACKSPACE: &[u8] = b"\x7f";

const FIRST: &str = "What is the capital of France?";
const SECOND: &str = "What is the capital of Spain?";
const THIRD: &str = "And of Italy?";

/// The user message rows on screen (the text under each "You" header).
fn questions(screen: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    (lines.iter().enumerate())
        .filter(|(_, l)| l.starts_with("▌ You") || l.starts_with("▶ You"))
        .filter_map(|(at, _)| lines.get(at + 1))
        .map(|l| l.trim_start_matches(['┃', ' ']).trim().to_owned())
        .collect()
}

/// Selects the question (two steps up from the reply under it).
fn select_question(tui: &mut Tui) {
    tui.send(ALT_UP);
    tui.wait_for("the reply selected", UI, |s| s.contains("▶ Assistant"))
        .unwrap();
    tui.send(ALT_UP);
    tui.wait_for("the question selected", UI, |s| s.contains("▶ You"))
        .unwrap();
}

#[test]
fn edit_an_earlier_turn_switch_back_and_reopen_on_the_same_branch() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_with(home.clone(), 100, 40, &[]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line(FIRST);
    let screen = tui
        .wait_for("the first reply", FIRST_ANSWER, reply_done)
        .unwrap();
    let first_reply = reply_words(&screen);

    select_question(&mut tui);
    tui.send(ENTER);
    tui.wait_for("the question in the editor", UI, |s| {
        s.contains("Editing an earlier message") && count(s, FIRST) == 2
    })
    .unwrap();
    // "France?" becomes "Spain?".
    for _ in 0.."France?".len() {
        tui.send(BACKSPACE);
    }
    tui.send(b"Spain?");
    tui.wait_for("the edited question", UI, |s| s.contains(SECOND))
        .unwrap();
    tui.send(ENTER);
    let screen = tui
        .wait_for("the new branch's reply", REPLY, |s| {
            reply_done(s) && s.contains("‹ 2/2 ›")
        })
        .unwrap();
    assert_eq!(questions(&screen), [SECOND], "the new path only:\n{screen}");
    let second_reply = reply_words(&screen);
    assert_ne!(first_reply, second_reply, "{screen}");

    select_question(&mut tui);
    tui.send(ALT_LEFT);
    let screen = tui
        .wait_for("the first branch again", UI, |s| {
            s.contains("‹ 1/2 ›") && s.contains(FIRST)
        })
        .unwrap();
    assert_eq!(questions(&screen), [FIRST], "{screen}");
    assert_eq!(reply_words(&screen), first_reply, "its reply:\n{screen}");
    // The next turn on the chosen branch: the engine keeps the prompt's common prefix.
    tui.esc();
    tui.type_line(THIRD);
    // Sent (a message of the conversation, not only typed in the editor) and answered.
    tui.wait_for("the reply on the first branch", REPLY, |s| {
        reply_done(s) && questions(s) == [FIRST, THIRD]
    })
    .unwrap();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();

    // On disk: two first turns, each with its reply, the first one active.
    let sessions = saved_sessions(&home);
    assert_eq!(sessions.len(), 1);
    let session = &sessions[0];
    let tree = &session.tree;
    let roots = tree.children(None);
    assert_eq!(roots.len(), 2, "{:#?}", tree.nodes());
    let texts: Vec<&str> = (roots.iter())
        .map(|&id| tree.get(id).unwrap().message.content.as_str())
        .collect();
    assert_eq!(texts, [FIRST, SECOND]);
    for &root in &roots {
        let replies = tree.children(Some(root));
        assert_eq!(replies.len(), 1, "{:#?}", tree.nodes());
        assert_eq!(tree.get(replies[0]).unwrap().message.role, Role::Assistant);
    }
    // The first branch goes on with the third turn, and is the active one.
    let path: Vec<&str> = (tree.active_ids().iter())
        .map(|&id| tree.get(id).unwrap().message.content.as_str())
        .collect();
    assert_eq!(path.len(), 4, "{path:?}");
    assert_eq!((path[0], path[2]), (FIRST, THIRD));
    let stats = tree
        .get(tree.active_leaf().unwrap())
        .unwrap()
        .message
        .stats
        .clone();
    let stats = stats.expect("the third reply's figures");
    eprintln!(
        "third turn after switching back: {} prompt tokens reused, {} evaluated",
        stats.prompt_tokens_reused, stats.prompt_tokens_evaluated
    );
    assert!(stats.prompt_tokens_reused > 0, "{stats:?}");
    let file = home
        .data_dir()
        .join("sessions")
        .join(format!("{}.json", session.id));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let active = json["conversation"]["active"].as_u64();
    assert_eq!(active, tree.active_leaf(), "{json:#}");
    assert_eq!(
        json["conversation"]["messages"].as_array().unwrap().len(),
        6
    );

    // Reopened: the chosen branch is shown, and the other one is a key away.
    let mut tui = Tui::start_with(home.clone(), 100, 40, &["--session", &session.id]);
    let screen = tui
        .wait_for("the session reopened", FIRST_ANSWER, |s| {
            is_ready(s) && s.contains("‹ 1/2 ›")
        })
        .unwrap();
    assert_eq!(questions(&screen), [FIRST, THIRD], "{screen}");
    // Two steps up from the third reply: the third question; two more: the first.
    select_question(&mut tui);
    tui.send(ALT_UP);
    tui.send(ALT_UP);
    tui.wait_for("the first question selected", UI, |s| {
        s.lines().any(|l| l.starts_with("▶ You  ‹ 1/2 ›"))
    })
    .unwrap();
    tui.send(ALT_RIGHT);
    let screen = tui
        .wait_for("the second branch", UI, |s| s.contains("‹ 2/2 ›"))
        .unwrap();
    assert_eq!(questions(&screen), [SECOND], "{screen}");
    assert_eq!(reply_words(&screen), second_reply, "{screen}");
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();
}
