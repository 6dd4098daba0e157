//! "Regenerate ×N" (Alt+R) in the chat: three replies stream one under another, labelled, and
//! stay in the session as siblings of the reply they replace, the first of them on the active
//! path; `‹ 2/4 ›` shows its place and Alt+Right browses to the next.

use crate::common::TempHome;
use crate::harness::*;
use ggchat::chat::Role;
use std::sync::Arc;

const ALT_R: &[u8] = b"\x1br";

#[test]
fn regenerate_three_keeps_three_new_siblings() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_with(home.clone(), 100, 40, &["-n", "64"]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line("Write one sentence about the sea.");
    tui.wait_for("the first reply", FIRST_ANSWER, reply_done)
        .unwrap();

    tui.send(ALT_R);
    let streaming = tui
        .wait_for("three labelled replies streaming", REPLY, |s| {
            s.contains("reply 1/3") && s.contains("reply 3/3")
        })
        .unwrap();
    assert!(streaming.contains("reply 2/3"), "{streaming}");
    let screen = tui
        .wait_for("the alternatives to finish", REPLY, |s| {
            reply_done(s) && !s.contains("reply 3/3")
        })
        .unwrap();
    assert!(
        !screen.contains("reply 2/3"),
        "one reply stays on the path:\n{screen}"
    );
    // The old reply and the three new ones are siblings: the first new one is shown, and
    // Alt+Right (nothing selected: the last reply) browses to the next.
    tui.wait_for("the reply's place among its siblings", UI, |s| {
        s.contains("‹ 2/4 ›")
    })
    .unwrap();
    tui.send(crate::branches::ALT_RIGHT);
    tui.wait_for("the next alternative", UI, |s| s.contains("‹ 3/4 ›"))
        .unwrap();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();

    let sessions = saved_sessions(&home);
    assert_eq!(sessions.len(), 1);
    let tree = &sessions[0].tree;
    let user = (tree.nodes().iter())
        .find(|n| n.message.role == Role::User)
        .expect("the question is saved")
        .id;
    let replies = tree.children(Some(user));
    // The first reply, then the three alternatives.
    assert_eq!(replies.len(), 4, "{:#?}", tree.nodes());
    assert_eq!(
        tree.active_leaf(),
        Some(replies[2]),
        "the alternative browsed to"
    );
    for &id in &replies {
        let message = &tree.get(id).unwrap().message;
        assert_eq!(message.role, Role::Assistant);
        assert!(
            !message.content.is_empty() && message.stats.is_some(),
            "{message:?}"
        );
    }
}

/// `--alternatives 2`: Alt+R makes two replies, and the session keeps both.
#[test]
fn the_alternatives_flag_sets_how_many_alt_r_makes() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_with(home.clone(), 100, 40, &["-n", "24", "--alternatives", "2"]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line("Write one sentence about the sea.");
    tui.wait_for("the first reply", FIRST_ANSWER, reply_done)
        .unwrap();
    tui.send(ALT_R);
    let streaming = tui
        .wait_for("two labelled replies streaming", REPLY, |s| {
            s.contains("reply 1/2") && s.contains("reply 2/2")
        })
        .unwrap();
    assert!(!streaming.contains("reply 3/"), "{streaming}");
    tui.wait_for("the alternatives to finish", REPLY, |s| {
        reply_done(s) && s.contains("‹ 2/3 ›")
    })
    .unwrap();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();
    let tree = &saved_sessions(&home)[0].tree;
    let user = tree.children(None)[0];
    assert_eq!(tree.children(Some(user)).len(), 3, "{:#?}", tree.nodes());
}
