//! The one place where a pane's commands change the chat.
//!
//! A pane returns what it wants done; `carry_out` does it in order, then lets the pane (if it is
//! still open) re-read what changed.

use super::{App, context};
use crate::tui::panes::{Command, Outcome};
use crate::tui::settings::FIELDS;

impl App {
    pub(super) fn carry_out(&mut self, outcome: Outcome) {
        for command in outcome.0 {
            self.carry_out_one(command);
        }
        if let Some(pane) = &mut self.pane {
            pane.refresh(&context(&self.slot, &self.chat, &self.env, &self.monitor));
        }
    }

    fn carry_out_one(&mut self, command: Command) {
        match command {
            Command::Close => self.pane = None,
            Command::Notice { text, is_error } => self.notify(text, is_error),
            Command::LoadModel(path) => self.load_model(path),
            Command::ConnectRemote(target) => self.connect_remote(target),
            Command::ApplySettings {
                settings,
                field,
                reload,
            } => {
                self.env.pane_edits.insert(field);
                self.chat.sampling = settings.sampling;
                self.slot.model_params = settings.model;
                if reload {
                    self.reload_model();
                }
            }
            Command::SaveDefaults => {
                let (text, is_error) = match self.save_defaults() {
                    Ok(done) => (done, false),
                    Err(e) => (e, true),
                };
                match &mut self.pane {
                    Some(pane) => pane.feedback(text, is_error),
                    None => self.notify(text, is_error),
                }
            }
            Command::OpenSession(id) => self.open_session(&id, None),
            Command::OpenSessionAt(id, at) => self.open_session(&id, Some(at)),
            Command::RenameSession { id, title } => self.rename_session(&id, &title),
            Command::DeleteSession(id) => self.delete_session(&id),
            Command::NewSession => self.start_new_session(),
            Command::ApplyPersona(index) => self.apply_persona(index),
            Command::ListRepo { source, spec } => self.list_repo(source, spec),
            Command::StartPull { source, spec, name } => self.start_pull(source, spec, name),
            Command::CancelPull => self.cancel_pull(),
            Command::DeleteModel(path) => self.delete_model(path),
            Command::SetSystemPrompt(text) => {
                self.chat.conversation.system_prompt = text;
                self.chat.persona = None;
                self.notify(crate::tr!("tui-notice-system-prompt-updated"), false);
                self.save_session();
            }
        }
    }

    /// Writes the settings changed in the settings pane, and only those, into the config file.
    /// Flags given for this run (`--system`, `--template`, `--temperature` ...) are not
    /// defaults and stay out.
    fn save_defaults(&mut self) -> Result<String, String> {
        let path = self.env.paths.config_file();
        let keys: Vec<(&str, &str)> = FIELDS
            .iter()
            .filter(|f| self.env.pane_edits.contains(f.name))
            .map(|f| (f.section().name(), f.name))
            .collect();
        if keys.is_empty() {
            return Err(crate::tr!("tui-settings-nothing-to-save"));
        }
        let mut config = self.env.config.clone();
        config.sampling = self.chat.sampling.clone();
        config.model = self.slot.model_params.clone();
        config.save_keys(&path, &keys).map_err(|e| e.localized())?;
        let names: Vec<&str> = keys.iter().map(|(_, key)| *key).collect();
        Ok(crate::tr!(
            "tui-settings-saved",
            names = names.join(", "),
            path = path.display().to_string()
        ))
    }

    /// Saves the chat and opens session `id`; the pane closes once it is open, and stays (with
    /// the reason in the status bar) when it cannot be read.
    /// Opens a session, on the branch of message `at` when given.
    fn open_session(&mut self, id: &str, at: Option<crate::store::NodeId>) {
        self.save_session();
        let loaded = self.chat.store.as_ref().map(|store| store.load(id));
        match loaded {
            Some(Ok(mut session)) => {
                if let Some(at) = at
                    && session.tree.select(at).is_some()
                {
                    session.follow_tree();
                }
                self.pane = None;
                self.restore(session);
            }
            Some(Err(e)) => self.notify(e.localized(), true),
            None => {}
        }
    }

    fn rename_session(&mut self, id: &str, title: &str) {
        if id == self.chat.session.id {
            // The open session is renamed in memory and saved, so our next save does not
            // conflict.
            self.chat.session.set_title(title);
            self.save_session();
            self.chat.session_name = self.chat.session.title.clone();
        } else if let Some(store) = &self.chat.store
            && let Err(e) = store.rename(id, title)
        {
            self.notify(e.localized(), true);
        }
    }

    fn delete_session(&mut self, id: &str) {
        if let Some(store) = &self.chat.store {
            match store.delete(id) {
                Ok(()) => {
                    self.forget_snapshot(id);
                    self.notify(crate::tr!("tui-notice-session-deleted"), false)
                }
                Err(e) => self.notify(e.localized(), true),
            }
        }
        if id == self.chat.session.id {
            // Saving first would write the deleted session back.
            self.begin_new_session();
        }
    }
}
