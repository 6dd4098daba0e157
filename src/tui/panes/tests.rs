//! Panes on their own: keys in, commands out, with a context no pane can change.

use super::personas::PersonasPane;
use super::sessions::SessionsPane;
use super::settings::SettingsPane;
use super::system_prompt::SystemPromptPane;
use super::{Command, Context, Pane};
use crate::chat::{Conversation, Message};
use crate::config::Config;
use crate::params::{ModelParams, SamplingParams};
use crate::paths::Paths;
use crate::store::{Session, Store};
use crate::tui::keymap::Keymap;
use crate::tui::settings::Settings;
use crate::tui::state::ModelState;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

struct World {
    conversation: Conversation,
    personas: Vec<crate::chat::personas::Persona>,
    model: ModelState,
    paths: Paths,
    config: Config,
    store: Option<Store>,
    keymap: Keymap,
    monitor: crate::monitor::Monitor,
}

impl World {
    fn new() -> World {
        World {
            conversation: Conversation::new("be brief"),
            personas: crate::chat::personas::built_in(),
            model: ModelState::Failed("none".into()),
            paths: Paths::under(std::path::Path::new("/nonexistent")),
            config: Config::default(),
            store: None,
            keymap: Keymap::default(),
            monitor: crate::monitor::Monitor::new(),
        }
    }

    fn context(&self) -> Context<'_> {
        Context {
            conversation: &self.conversation,
            persona: None,
            personas: &self.personas,
            settings: Settings {
                sampling: SamplingParams::default(),
                model: ModelParams::default(),
            },
            model: &self.model,
            model_path: None,
            paths: &self.paths,
            config: &self.config,
            store: self.store.as_ref(),
            session_id: "open-one",
            keymap: &self.keymap,
            pull: None,
            monitor: &self.monitor,
        }
    }
}

fn press(pane: &mut dyn Pane, ctx: &Context, code: KeyCode) -> Vec<Command> {
    pane.handle_key(KeyEvent::new(code, KeyModifiers::NONE), ctx)
        .0
}

fn type_text(pane: &mut dyn Pane, ctx: &Context, text: &str) {
    for c in text.chars() {
        assert!(press(pane, ctx, KeyCode::Char(c)).is_empty());
    }
}

#[test]
fn the_settings_pane_asks_for_valid_values_and_keeps_bad_ones_to_itself() {
    let world = World::new();
    let ctx = world.context();
    let mut pane = SettingsPane::default();
    // temperature: a value out of range is refused inside the pane, nothing is asked.
    press(&mut pane, &ctx, KeyCode::Enter);
    for _ in 0..8 {
        press(&mut pane, &ctx, KeyCode::Backspace);
    }
    type_text(&mut pane, &ctx, "9");
    assert!(press(&mut pane, &ctx, KeyCode::Enter).is_empty());
    // top_k: a valid value comes out as one command with the new settings.
    press(&mut pane, &ctx, KeyCode::Down);
    press(&mut pane, &ctx, KeyCode::Enter);
    for _ in 0..8 {
        press(&mut pane, &ctx, KeyCode::Backspace);
    }
    type_text(&mut pane, &ctx, "7");
    match press(&mut pane, &ctx, KeyCode::Enter).as_slice() {
        [
            Command::ApplySettings {
                settings,
                field: "top_k",
                reload: false,
            },
        ] => assert_eq!(settings.sampling.top_k, 7),
        other => panic!("{other:?}"),
    }
    // The context itself is untouched: only the app applies.
    assert_eq!(ctx.settings.sampling.top_k, SamplingParams::default().top_k);
    let save = pane.handle_key(
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        &ctx,
    );
    assert!(matches!(save.0.as_slice(), [Command::SaveDefaults]));
    assert!(matches!(
        press(&mut pane, &ctx, KeyCode::Esc).as_slice(),
        [Command::Close]
    ));
}

#[test]
fn the_persona_and_system_prompt_panes_return_what_to_set() {
    let world = World::new();
    let ctx = world.context();
    let mut personas = PersonasPane::new(&ctx);
    press(&mut personas, &ctx, KeyCode::Down);
    assert!(matches!(
        press(&mut personas, &ctx, KeyCode::Enter).as_slice(),
        [Command::Close, Command::ApplyPersona(1)]
    ));
    let mut editor = SystemPromptPane::new(&ctx.conversation.system_prompt, ctx.keymap);
    assert!(editor.handle_paste(" and kind").0.is_empty());
    let saved = editor.handle_key(
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        &ctx,
    );
    match saved.0.as_slice() {
        [Command::Close, Command::SetSystemPrompt(text)] => assert_eq!(text, "be brief and kind"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_sessions_pane_asks_to_delete_only_after_yes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut session = Session::new("", SamplingParams::default(), ModelParams::default());
    session.conversation.messages.push(Message::user("keep me"));
    store.save(&mut session).unwrap();
    let mut world = World::new();
    world.store = Some(store);
    let ctx = world.context();
    let mut pane = SessionsPane::new(&ctx);
    press(&mut pane, &ctx, KeyCode::Char('d'));
    assert!(press(&mut pane, &ctx, KeyCode::Char('n')).is_empty());
    press(&mut pane, &ctx, KeyCode::Char('d'));
    match press(&mut pane, &ctx, KeyCode::Char('y')).as_slice() {
        [Command::DeleteSession(id)] => assert_eq!(id, &session.id),
        other => panic!("{other:?}"),
    }
    // The pane deleted nothing itself.
    assert!(world.store.as_ref().unwrap().load(&session.id).is_ok());
    assert!(matches!(
        press(&mut pane, &ctx, KeyCode::Enter).as_slice(),
        [Command::OpenSession(id)] if *id == session.id
    ));
}

/// The keymap given with the context is what every pane reads its keys from: rebound keys act,
/// the default ones no longer do.
#[test]
fn the_panes_take_their_keys_from_the_context_keymap() {
    #[derive(serde::Deserialize)]
    struct File {
        keys: crate::tui::keymap::KeysConfig,
    }
    let file: File = toml::from_str(
        "[keys.personas]\npick = \"tab\"\n[keys.sessions]\ndelete = \"x\"\n\
         [keys.confirm]\nyes = \"j\"\n[keys.help]\nclose = \"q\"\n\
         [keys.system_prompt]\nsave = \"ctrl+w\"\n[keys.models]\nclose = \"ctrl+t\"\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut session = Session::new("", SamplingParams::default(), ModelParams::default());
    session.conversation.messages.push(Message::user("keep me"));
    store.save(&mut session).unwrap();
    let mut world = World::new();
    world.keymap = Keymap::from_config(&file.keys).unwrap();
    world.store = Some(store);
    let ctx = world.context();

    let mut personas = PersonasPane::new(&ctx);
    assert!(press(&mut personas, &ctx, KeyCode::Enter).is_empty());
    assert!(matches!(
        press(&mut personas, &ctx, KeyCode::Tab).as_slice(),
        [Command::Close, Command::ApplyPersona(0)]
    ));

    let mut sessions = SessionsPane::new(&ctx);
    press(&mut sessions, &ctx, KeyCode::Char('d'));
    assert!(press(&mut sessions, &ctx, KeyCode::Char('y')).is_empty());
    press(&mut sessions, &ctx, KeyCode::Char('x'));
    assert!(matches!(
        press(&mut sessions, &ctx, KeyCode::Char('j')).as_slice(),
        [Command::DeleteSession(id)] if *id == session.id
    ));

    let mut help = super::help::HelpPane::default();
    assert!(press(&mut help, &ctx, KeyCode::Esc).is_empty());
    assert!(matches!(
        press(&mut help, &ctx, KeyCode::Char('q')).as_slice(),
        [Command::Close]
    ));

    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let mut editor = SystemPromptPane::new(&ctx.conversation.system_prompt, ctx.keymap);
    assert!(editor.handle_key(ctrl('s'), &ctx).0.is_empty());
    assert!(matches!(
        editor.handle_key(ctrl('w'), &ctx).0.as_slice(),
        [Command::Close, Command::SetSystemPrompt(_)]
    ));

    let mut models = super::models::ModelsPane::new(&ctx);
    assert!(press(&mut models, &ctx, KeyCode::Esc).is_empty());
    assert!(matches!(
        models.handle_key(ctrl('t'), &ctx).0.as_slice(),
        [Command::Close]
    ));
}

/// A search hit on a branch that is not the active one opens the session on that branch.
#[test]
fn a_search_hit_on_another_branch_opens_the_session_there() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut session = Session::new("", SamplingParams::default(), ModelParams::default());
    session.conversation.messages = vec![Message::user("q"), Message::assistant("hidden needle")];
    session.sync_tree();
    session.conversation.messages[1] = Message::assistant("shown reply");
    store.save(&mut session).unwrap();
    let hidden = session.tree.nodes()[1].id;
    assert_eq!(session.tree.branch_count(), 2);
    let mut world = World::new();
    world.store = Some(store);
    let ctx = world.context();
    let mut pane = SessionsPane::new(&ctx);
    // Without a search, Enter opens the session as saved.
    assert!(matches!(
        press(&mut pane, &ctx, KeyCode::Enter).as_slice(),
        [Command::OpenSession(id)] if *id == session.id
    ));
    press(&mut pane, &ctx, KeyCode::Char('/'));
    type_text(&mut pane, &ctx, "NEEDLE");
    press(&mut pane, &ctx, KeyCode::Enter);
    match press(&mut pane, &ctx, KeyCode::Enter).as_slice() {
        [Command::OpenSessionAt(id, at)] => assert_eq!((id, *at), (&session.id, hidden)),
        other => panic!("{other:?}"),
    }
}
