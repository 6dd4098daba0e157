//! Reopening a session in the chat picks its KV cache up from the snapshot the first process
//! saved (`src/engine/snapshot`): the next turn's prompt is mostly reused, not evaluated, which
//! the reply's figures say (the session file keeps them, and the monitor shows them).

use crate::common::TempHome;
use crate::harness::*;
use ggchat::chat::Role;
use std::sync::Arc;

const F5: &[u8] = b"\x1b[15~";

/// The last reply's figures in the saved session: (reused, evaluated) prompt tokens.
fn last_reply_prompt(home: &TempHome) -> (usize, usize) {
    let sessions = saved_sessions(home);
    assert_eq!(sessions.len(), 1);
    let messages = &sessions[0].conversation.messages;
    let reply = (messages.iter().rev())
        .find(|m| m.role == Role::Assistant)
        .expect("a saved reply");
    let stats = reply.stats.as_ref().expect("the reply's figures");
    (stats.prompt_tokens_reused, stats.prompt_tokens_evaluated)
}

#[test]
fn a_reopened_session_reuses_its_snapshot_instead_of_evaluating_the_conversation() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_with(home.clone(), 100, 30, &[]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line("Write one sentence about the sea.");
    tui.wait_for("the first reply", FIRST_ANSWER, reply_done)
        .unwrap();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();
    let (reused, _) = last_reply_prompt(&home);
    assert_eq!(reused, 0, "a new process starts with an empty cache");
    let id = saved_sessions(&home)[0].id.clone();
    let snapshots: Vec<_> = std::fs::read_dir(home.data_dir().join("snapshots"))
        .expect("the snapshots folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        snapshots.iter().any(|name| name.starts_with(&id)),
        "no snapshot of session {id}: {snapshots:?}"
    );

    let mut tui = Tui::start_with(home.clone(), 100, 30, &["--session", &id]);
    tui.wait_for("the session reopened", FIRST_ANSWER, |s| {
        is_ready(s) && s.contains("Write one sentence about the sea.")
    })
    .unwrap();
    tui.type_line("And one about the sky.");
    // Sent (a line of the conversation, not only typed in the editor) and answered.
    tui.wait_for("the second reply", REPLY, |s| {
        reply_done(s) && s.lines().any(|l| l.trim() == "And one about the sky.")
    })
    .unwrap();
    // The monitor shows the same figures as the session file below.
    tui.send(F5);
    let screen = tui
        .wait_for("the monitor", UI, |s| s.contains("last reply:"))
        .unwrap();
    tui.esc();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();

    let (reused, evaluated) = last_reply_prompt(&home);
    // System prompt, the first question and its reply (48 tokens) came from the snapshot; only
    // the new question (and the few tokens the template changes around it) was evaluated.
    assert!(
        reused >= 48 && evaluated < reused,
        "reused {reused}, evaluated {evaluated}:\n{screen}"
    );
    let line = (screen.lines())
        .find(|l| l.contains("last reply:"))
        .unwrap_or_default();
    assert!(
        line.contains(&format!("{reused} reused, {evaluated} evaluated")),
        "the monitor: {line:?}"
    );
}
