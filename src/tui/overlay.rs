//! Popups over the chat: help, the system-prompt editor and the persona picker.
//!
//! While one is open it receives every key; Esc closes it without changes.

use super::app::App;
use super::keymap::{Action, Context};
use super::models_pane::{self, ModelsPane};
use super::sessions_pane::{self, SessionsPane};
use super::settings_pane::{self, SettingsPane};
use crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

pub enum Overlay {
    None,
    Help,
    SystemPrompt(Box<TextArea<'static>>),
    Personas { selected: usize },
    Settings(Box<SettingsPane>),
    Models(Box<ModelsPane>),
    Sessions(Box<SessionsPane>),
}

impl Overlay {
    pub fn system_prompt(current: &str) -> Overlay {
        let mut editor = TextArea::default();
        editor.set_wrap_mode(ratatui_textarea::WrapMode::Word);
        editor.set_cursor_line_style(ratatui::style::Style::default());
        editor.insert_str(current);
        Overlay::SystemPrompt(Box::new(editor))
    }

    pub fn personas(app: &App) -> Overlay {
        let selected = app
            .persona
            .as_ref()
            .and_then(|name| app.personas.iter().position(|p| p.matches(name)))
            .unwrap_or(0);
        Overlay::Personas { selected }
    }
}

pub fn handle_key(app: &mut App, key: KeyEvent) {
    // Panes with their own state take it out of the app while they handle the key.
    match std::mem::replace(&mut app.overlay, Overlay::None) {
        Overlay::Settings(mut pane) => {
            if settings_pane::handle_key(app, &mut pane, key) {
                app.overlay = Overlay::Settings(pane);
            }
            return;
        }
        Overlay::Sessions(mut pane) => {
            if sessions_pane::handle_key(app, &mut pane, key)
                && matches!(app.overlay, Overlay::None)
            {
                app.overlay = Overlay::Sessions(pane);
            }
            return;
        }
        Overlay::Models(mut pane) => {
            if models_pane::handle_key(app, &mut pane, key) && matches!(app.overlay, Overlay::None)
            {
                app.overlay = Overlay::Models(pane);
            }
            return;
        }
        other => app.overlay = other,
    }
    let context = match &app.overlay {
        Overlay::Help => Context::Help,
        Overlay::SystemPrompt(_) => Context::SystemPrompt,
        Overlay::Personas { .. } => Context::Personas,
        _ => return,
    };
    let action = app.keymap.action(context, &key);
    match &mut app.overlay {
        Overlay::None | Overlay::Settings(_) | Overlay::Models(_) | Overlay::Sessions(_) => {}
        Overlay::Help => {
            if action == Some(Action::Close) {
                app.overlay = Overlay::None;
            }
        }
        Overlay::SystemPrompt(editor) => match action {
            Some(Action::Close) => app.overlay = Overlay::None,
            Some(Action::Save) => {
                let text = editor.lines().join("\n").trim().to_owned();
                app.conversation.system_prompt = text;
                app.persona = None;
                app.overlay = Overlay::None;
                app.notify("system prompt updated", false);
                app.save_session();
            }
            Some(Action::Newline) => editor.insert_newline(),
            _ => {
                editor.input(key);
            }
        },
        Overlay::Personas { selected } => {
            let count = app.personas.len();
            match action {
                Some(Action::Close) => app.overlay = Overlay::None,
                Some(Action::Up) => *selected = selected.saturating_sub(1),
                Some(Action::Down) => *selected = (*selected + 1).min(count.saturating_sub(1)),
                Some(Action::Pick) => {
                    let index = *selected;
                    app.overlay = Overlay::None;
                    app.apply_persona(index);
                }
                _ => {}
            }
        }
    }
}
