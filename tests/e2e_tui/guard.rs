//! The content-safety guard in the chat: a redact rule masks the match in the reply and in the
//! user's message, the messages carry the category's mark, and the saved session holds the
//! masked text and the marks, never the original words.

use crate::harness::*;
use std::sync::Arc;

const RULES: &str = "\
[[category]]
name = \"places\"
action = \"redact\"
terms = [\"paris\"]

[[category]]
name = \"credentials\"
action = \"redact\"
terms = [\"hunter2\"]

[[category]]
name = \"slurs\"
action = \"block\"
terms = [\"example-slur-one\"]
";

#[test]
fn a_redacted_word_is_masked_marked_and_saved_masked() {
    let _turn = serial();
    let home = Arc::new(crate::common::TempHome::new());
    let rules = home.dir.path().join("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    let mut tui = Tui::start_with(
        Arc::clone(&home),
        120,
        30,
        &["--guard", rules.to_str().unwrap()],
    );
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();

    tui.type_line("What is the capital of France?");
    let screen = tui
        .wait_for("the reply with its mark", FIRST_ANSWER, |s| {
            reply_done(s) && s.contains("⚑ places (masked)")
        })
        .unwrap();
    let reply = last_reply(&screen).unwrap().join("\n");
    assert!(reply.contains("█████"), "{screen}");
    assert!(!screen.contains("Paris"), "{screen}");

    tui.type_line("My password is hunter2, keep it safe.");
    let screen = tui
        .wait_for("the user's message masked and marked", REPLY, |s| {
            reply_done(s) && s.contains("⚑ credentials (masked)")
        })
        .unwrap();
    assert!(
        screen.contains("My password is ███████, keep it safe."),
        "{screen}"
    );
    assert!(!screen.contains("hunter2"), "{screen}");

    // A blocked message is not sent: it stays masked and marked, the chat says why, no reply.
    tui.type_line("You are an example-slur-one.");
    let screen = tui
        .wait_for("the blocked message and the notice", UI, |s| {
            is_ready(s)
                && s.contains("⚑ slurs (blocked)")
                && shows_notice(s, "message not sent: the content filter blocked it (slurs)")
        })
        .unwrap();
    assert!(screen.contains("You are an ████████████████."), "{screen}");
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();

    let sessions = saved_sessions(&home);
    assert_eq!(sessions.len(), 1);
    let messages = &sessions[0].conversation.messages;
    let text = ggchat::store::to_json(&sessions[0]);
    assert!(
        !text.contains("Paris") && !text.contains("hunter2"),
        "{text}"
    );
    assert_eq!(messages[1].guard[0].category, "places");
    assert!(messages[1].content.contains("█████"));
    assert_eq!(messages[2].content, "My password is ███████, keep it safe.");
    assert_eq!(messages[2].guard[0].category, "credentials");
    assert_eq!(messages[2].guard[0].action, ggchat::guard::Action::Redact);
    assert_eq!(
        messages.len(),
        5,
        "no reply to the blocked message: {messages:#?}"
    );
    assert_eq!(messages[4].content, "You are an ████████████████.");
    assert!(messages[4].blocked());
}

fn model_check_config(home: &crate::common::TempHome, timeout_ms: u64) {
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!(
            "[guard]\nmodel_check = \"input\"\ncheck_prompt = \"You are a classifier.\"\n\
             check_timeout_ms = {timeout_ms}\n"
        ),
    )
    .unwrap();
}

/// The model check in the chat (see tests/guard_model_check.rs for why the default model calls
/// "Write: unsafe: violence." unsafe): a blocked message is marked with the model's category and
/// the chat says why; a check that times out is said, and the mark it leaves is saved.
#[test]
fn the_model_check_blocks_a_message_and_a_timeout_is_said_and_saved() {
    let _turn = serial();
    let home = Arc::new(crate::common::TempHome::new());
    model_check_config(&home, 300_000);
    let mut tui = Tui::start_with(Arc::clone(&home), 120, 30, &[]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line("Write: unsafe: violence.");
    tui.wait_for("the blocked message and the notice", REPLY, |s| {
        is_ready(s)
            && s.contains("⚑ violence (blocked)")
            && shows_notice(
                s,
                "message not sent: the content filter blocked it (violence)",
            )
    })
    .unwrap();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();
    let sessions = saved_sessions(&home);
    assert_eq!(sessions.len(), 1);
    let messages = &sessions[0].conversation.messages;
    assert_eq!(messages.len(), 1, "no reply: {messages:#?}");
    assert!(messages[0].blocked(), "{messages:#?}");
    assert_eq!(messages[0].guard[0].category, "violence");

    model_check_config(&home, 1);
    let mut tui = Tui::start_with(Arc::clone(&home), 120, 30, &[]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line("Write: unsafe: violence.");
    tui.wait_for("the timeout's notice", REPLY, |s| {
        shows_notice(s, "guard model check timed out after 1 ms; not checked")
    })
    .unwrap();
    tui.wait_for("the reply and the mark", REPLY, |s| {
        reply_done(s) && s.contains("⚑ model check timed out (flagged)")
    })
    .unwrap();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();
    let sessions = saved_sessions(&home);
    let marked = (sessions.iter())
        .flat_map(|s| &s.conversation.messages)
        .find(|m| m.content == "Write: unsafe: violence." && !m.blocked())
        .expect("the message that passed unchecked is saved");
    assert_eq!(marked.guard[0].category, "model check timed out");
    assert_eq!(marked.guard[0].action, ggchat::guard::Action::Warn);
}
