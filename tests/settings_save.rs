//! "Save as defaults" (Ctrl+S in the settings pane) on a real config file: it writes what was
//! changed in the pane and nothing else, keeps the user's comments, and says "cannot save" when
//! it cannot.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ggchat::chat::Conversation;
use ggchat::cli::Overrides;
use ggchat::config::Config;
use ggchat::engine::EngineLink;
use ggchat::paths::Paths;
use ggchat::setup::Setup;
use ggchat::tui::app::{App, Startup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;

const USER_FILE: &str = "\
# My own notes about ggchat.
default_model = \"SmolLM2-135M-Instruct.Q4_1.gguf\"

[sampling]
# I like it a bit warmer.
temperature = 0.9   # warm
top_k = 50
";

/// The chat app as `ggchat --system ... --template ... --temperature 0.1 --top-k 7` sets it up.
fn app_with_flags(root: &Path) -> App {
    let overrides = Overrides {
        system: Some("a one-off system prompt".into()),
        template: Some("chatml".into()),
        temperature: Some(0.1),
        top_k: Some(7),
        ..Overrides::default()
    };
    let setup = Setup::load(Paths::under(root), overrides).unwrap();
    let (tx, _rx) = std::sync::mpsc::channel();
    App::start(
        EngineLink::new(tx),
        Startup {
            paths: setup.paths.clone(),
            config: setup.config.clone(),
            model_params: setup.config.model.clone(),
            ..Startup::new(
                Conversation::new(setup.config.system_prompt.clone()),
                setup.config.sampling.clone(),
            )
        },
    )
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn save(app: &mut App) -> String {
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Opens the pane and sets the field `down` rows below the first to `value`.
fn set_field(app: &mut App, down: usize, value: &str) {
    press(app, KeyCode::F(2));
    for _ in 0..down {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    for _ in 0..40 {
        press(app, KeyCode::Backspace);
    }
    for c in value.chars() {
        press(app, KeyCode::Char(c));
    }
    press(app, KeyCode::Enter);
}

#[test]
fn save_as_defaults_writes_only_pane_changes_and_keeps_comments() {
    let root = tempfile::tempdir().unwrap();
    let path = Paths::under(root.path()).config_file();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, USER_FILE).unwrap();
    let mut app = app_with_flags(root.path());
    assert_eq!(app.sampling().top_k, 7, "the flag applies to this run");

    // Nothing changed in the pane yet: nothing to save, and the file is untouched.
    press(&mut app, KeyCode::F(2));
    let screen = save(&mut app);
    assert!(screen.contains("nothing to save"), "{screen}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), USER_FILE);
    press(&mut app, KeyCode::Esc);

    // min_p (the fourth field) and max_tokens (the ninth) are set in the pane.
    set_field(&mut app, 3, "0.1");
    press(&mut app, KeyCode::Esc);
    set_field(&mut app, 8, "300");
    let screen = save(&mut app);
    assert!(
        screen.contains("saved min_p, max_tokens as defaults"),
        "{screen}"
    );

    let text = std::fs::read_to_string(&path).unwrap();
    for kept in [
        "# My own notes about ggchat.",
        "# I like it a bit warmer.",
        "temperature = 0.9   # warm",
        "top_k = 50",
        "default_model = \"SmolLM2-135M-Instruct.Q4_1.gguf\"",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    for flag in ["one-off", "chatml", "0.1\n", "= 7"] {
        let flag_written = text
            .lines()
            .any(|l| !l.contains("min_p") && l.contains(flag));
        assert!(
            !flag_written,
            "the flag value {flag:?} was written:\n{text}"
        );
    }
    let loaded = Config::load(&path).unwrap();
    assert_eq!(loaded.sampling.min_p, 0.1);
    assert_eq!(loaded.sampling.max_tokens, 300);
    assert_eq!(loaded.sampling.temperature, 0.9);
    assert_eq!(loaded.sampling.top_k, 50);
    assert_eq!(loaded.system_prompt, Config::default().system_prompt);
    assert_eq!(loaded.template, "");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the config file is owner-only");
    }
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["config.toml"], "{names:?}");
}

#[test]
fn a_failed_save_says_it_could_not_save() {
    let root = tempfile::tempdir().unwrap();
    let mut app = app_with_flags(root.path());
    // The config folder's place is taken by a file: nothing can be written there.
    std::fs::write(root.path().join("config"), "not a folder").unwrap();
    set_field(&mut app, 0, "0.5");
    let screen = save(&mut app);
    assert!(
        screen.contains("cannot save the settings to the config file"),
        "{screen}"
    );
    assert!(!screen.contains("cannot read"), "{screen}");
}
