//! Reopening a session without `--model`, as a user does: the session's model comes from the
//! model folders, the command-line flags win over the session's settings, and a session file that
//! names a file outside the model folders cannot make ggchat open it.

use crate::common::{self, TempHome};
use crate::harness::*;
use ggchat::chat::Message;
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{ModelRef, Session, Store};
use std::sync::Arc;

/// A home whose models folder holds the default model (a symlink, as users often keep them),
/// and whose config asks for `ctx_size = 2048`.
fn home_with_model_folder() -> Arc<TempHome> {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    std::fs::create_dir_all(&models).unwrap();
    std::os::unix::fs::symlink(
        common::default_model(),
        models.join(common::DEFAULT_MODEL_FILE),
    )
    .unwrap();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        "[model]\nctx_size = 2048\n",
    )
    .unwrap();
    Arc::new(home)
}

fn save_session(home: &TempHome, model: ModelRef, params: ModelParams) -> String {
    let store = Store::open(&home.data_dir().join("sessions")).unwrap();
    let mut session = Session::new("Be brief.", SamplingParams::default(), params);
    session.model = Some(model);
    session
        .conversation
        .messages
        .extend([Message::user("Say hi."), Message::assistant("Hi!")]);
    store.save(&mut session).unwrap();
    session.id
}

fn ready_with_ctx(home: &Arc<TempHome>, extra: &[&str], ctx: &str) {
    let mut tui = Tui::start_without_model(Arc::clone(home), 140, 24, extra);
    let screen = tui
        .wait_for("the model", FIRST_ANSWER, is_ready)
        .unwrap_or_else(|e| panic!("{extra:?}: {e}"));
    assert!(
        status(&screen).contains(&format!("│ ctx 0/{ctx} ")),
        "{extra:?}: expected ctx {ctx}; status: {}",
        status(&screen)
    );
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
}

/// README: "command-line flag, then the reopened session, then the config file, then the
/// defaults". The session's model loads with the flags applied, not with the session's settings
/// first.
#[test]
fn flags_win_over_a_reopened_session_which_wins_over_the_config() {
    let _turn = serial();
    let home = home_with_model_folder();
    let params = ModelParams {
        ctx_size: Some(512),
        ..ModelParams::default()
    };
    let model = ModelRef::from_path(&common::default_model()).unwrap();
    let id = save_session(&home, model, params);
    ready_with_ctx(&home, &[], "2048");
    ready_with_ctx(&home, &["--session", &id], "512");
    ready_with_ctx(&home, &["--session", &id, "--ctx-size", "1024"], "1024");
    // The session keeps what the chat last used.
    let saved = Store::open(&home.data_dir().join("sessions"))
        .unwrap()
        .load(&id)
        .unwrap();
    assert_eq!(saved.model_params.ctx_size, Some(1024));
}

fn log_text(home: &TempHome) -> String {
    std::fs::read_to_string(home.data_dir().join("ggchat.log")).unwrap_or_default()
}

/// A crafted session naming a real model outside the model folders (absolute, and through
/// `../`): ggchat does not open it, says which path it refused, and chats on the model from the
/// model folder.
#[test]
fn a_session_naming_a_model_outside_the_folders_is_refused() {
    let _turn = serial();
    let home = home_with_model_folder();
    let outside = home.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let lure = outside.join(common::GEMMA_MODEL_FILE);
    std::os::unix::fs::symlink(common::gemma_model(), &lure).unwrap();
    let real = ModelRef::from_path(&lure).unwrap();
    let escape = format!("../../outside/{}", common::GEMMA_MODEL_FILE);
    for (n, name) in [lure.display().to_string(), escape].into_iter().enumerate() {
        let model = ModelRef {
            file_name: name.clone(),
            ..real.clone()
        };
        let id = save_session(&home, model, ModelParams::default());
        let mut tui = Tui::start_without_model(Arc::clone(&home), 400, 24, &["--session", &id]);
        let screen = tui
            .wait_for("the refusal", FIRST_ANSWER, |s| {
                is_ready(s) && shows_notice(s, &format!("the session names the model \"{name}\""))
            })
            .unwrap();
        assert!(status(&screen).contains("it was not opened"), "{screen}");
        // The model in the status bar (its first field) is the one from the model folder.
        let running = status(&screen).split('│').next().unwrap().to_lowercase();
        assert!(running.contains("smollm2"), "{screen}");
        if n == 0 {
            // The chat works, on the model from the folder.
            tui.type_line("Say hello.");
            tui.wait_for("a reply", REPLY, |s| {
                reply_done(s) && count(s, "▌ Assistant") >= 2
            })
            .unwrap();
        }
        tui.send(CTRL_Q);
        assert!(tui.wait_exit(EXIT).unwrap().success());
        let log = log_text(&home);
        assert!(log.contains(common::DEFAULT_MODEL_FILE), "{log}");
        assert!(
            !log.contains(common::GEMMA_MODEL_FILE),
            "the refused model was opened: {log}"
        );
        assert!(!log.contains("/outside/"), "{log}");
    }
}

fn session_files(home: &TempHome) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(home.data_dir().join("sessions"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `ggchat sessions delete` while the chat has that session open: the chat's next save does not
/// bring it back, the status line says so, and the exit save does not either; a message sent
/// after the notice saves the chat as a new session.
#[test]
fn a_session_deleted_while_open_is_not_brought_back() {
    let _turn = serial();
    // Tall enough for the three exchanges to stay on screen.
    let mut tui = Tui::start(160, 80);
    tui.wait_for("the model", FIRST_ANSWER, is_ready).unwrap();
    tui.type_line("Name a colour.");
    tui.wait_for("the reply", REPLY, reply_done).unwrap();
    let home = Arc::clone(&tui.home);
    let saved = session_files(&home);
    assert_eq!(saved.len(), 1, "{saved:?}");
    let id = saved[0].trim_end_matches(".json").to_owned();
    let deleted = home.run(&["sessions", "delete", &id, "--yes"]);
    assert!(deleted.status.success(), "{}", common::stderr(&deleted));

    tui.type_line("Name a fruit.");
    tui.wait_for("the notice", REPLY, |s| {
        shows_notice(s, "this session was deleted elsewhere")
    })
    .unwrap();
    tui.wait_for("the second reply", REPLY, |s| {
        reply_done(s) && count(s, "▌ Assistant") >= 2
    })
    .unwrap();
    assert_eq!(session_files(&home), Vec::<String>::new(), "written back");

    tui.type_line("Name an animal.");
    tui.wait_for("the third reply", REPLY, |s| {
        reply_done(s) && count(s, "▌ Assistant") >= 3
    })
    .unwrap();
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
    let now = session_files(&home);
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now[0], saved[0], "saved under the old id");
    let shown = common::stdout(&home.run(&["sessions", "show", now[0].trim_end_matches(".json")]));
    for line in ["Name a colour.", "Name a fruit.", "Name an animal."] {
        assert!(shown.contains(line), "{line}: {shown}");
    }
}
