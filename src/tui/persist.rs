//! Keeping the chat saved as a session, and reopening sessions.
//!
//! The chat is saved after every message, every finished reply and every change of system prompt,
//! persona, settings or model, and on exit. A save that fails (disk full, read-only) leaves the
//! previous file intact and says so in the status line; the chat goes on. When another ggchat
//! saved the same session meanwhile, ours is kept as a new session instead of overwriting theirs.

use super::app::{App, ModelState};
use super::view::chat::ChatCache;
use crate::models;
use crate::store::{BackendRef, ModelRef, Session, Store, StoreError};

impl App {
    /// Starts saving to `store`, continuing `session` when given.
    pub fn attach_store(&mut self, store: Store, session: Option<Session>) {
        self.store = Some(store);
        if let Some(session) = session {
            self.restore(session);
        }
    }

    /// Writes the conversation to its session file (empty conversations are not saved).
    pub fn save_session(&mut self) {
        let Some(store) = &self.store else {
            return;
        };
        if self.conversation.messages.is_empty() {
            return;
        }
        let session = &mut self.session;
        session.conversation = self.conversation.clone();
        session.sampling = self.sampling.clone();
        session.model_params = self.model_params.clone();
        session.persona = self.persona.clone();
        if let ModelState::Ready(info) = &self.model {
            session.template = Some(info.template.to_string());
            // Name, URL and model id only: a key never reaches a session file.
            session.backend = info.remote.as_ref().map(|r| BackendRef {
                name: r.backend.clone(),
                url: r.url.clone(),
                model: r.model.clone(),
            });
        }
        if self.model_ref.is_some() {
            session.model = self.model_ref.clone();
        }
        let result = match store.save(session) {
            Err(StoreError::Conflict { .. }) => store.save_as_new(session).map(|()| {
                Some("another ggchat changed this session; this chat was saved as a new one")
            }),
            other => other.map(|()| None),
        };
        match result {
            Ok(note) => {
                self.session_name = session.title.clone();
                if let Some(note) = note {
                    self.notify(note, false);
                }
            }
            Err(e) => self.notify(
                format!("could not save the session ({e}); the previous file is intact"),
                true,
            ),
        }
    }

    /// Remembers which model file answers, for the session file.
    pub fn note_model_file(&mut self) {
        self.model_ref = self
            .model_path
            .as_deref()
            .and_then(|p| ModelRef::from_path(p).ok());
    }

    /// What a reopened session's backend may connect to. A session file is untrusted: its URL
    /// is never used by itself; only a configured backend of the same name is (with the URL
    /// and key variable of config.toml).
    fn session_backend(&self, wanted: &BackendRef) -> Result<crate::remote::RemoteTarget, String> {
        let configured = wanted
            .name
            .as_deref()
            .and_then(|name| Some((name, self.config.backends.get(name)?)));
        match configured {
            Some((name, config)) => Ok(crate::remote::RemoteTarget::from_config(
                Some(name),
                config,
                Some(&wanted.model),
            )),
            None => Err(format!(
                "this session used {} ({}, model {}), which is not a configured backend: the chat \
                 stays on the current model, and nothing was sent there; pass --backend URL to \
                 use that server",
                wanted
                    .name
                    .as_deref()
                    .map_or("a server".to_owned(), |n| format!("backend '{n}'")),
                wanted.url,
                wanted.model
            )),
        }
    }

    /// Saves the current chat and starts an empty one with the same settings.
    pub fn start_new_session(&mut self) {
        self.save_session();
        self.new_conversation();
        self.session = Session::new(
            &self.conversation.system_prompt,
            self.sampling.clone(),
            self.model_params.clone(),
        );
    }

    /// Shows `session` and continues it: its messages, system prompt, persona and settings, and
    /// its model when that file is in the model directories (unless `--model` was given).
    pub fn restore(&mut self, session: Session) {
        if let Some(streaming) = self.streaming.take() {
            self.link().cancel(streaming.id);
        }
        self.conversation = session.conversation.clone();
        self.persona = session.persona.clone();
        let mut ignored = Vec::new();
        match session.sampling.validate() {
            Ok(()) => self.sampling = session.sampling.clone(),
            Err(e) => ignored.push(e.to_string()),
        }
        let model_valid = session
            .model_params
            .validate()
            .map_err(|e| ignored.push(e.to_string()));
        let model_changed = model_valid.is_ok() && session.model_params != self.model_params;
        if let Some(first) = ignored.first() {
            self.notify(
                format!("the session's settings were not used: {first}"),
                true,
            );
        }
        if model_changed {
            self.model_params = session.model_params.clone();
        }
        self.session_name = session.title.clone();
        self.chat_cache = ChatCache::default();
        self.scroll = 0;
        self.error = None;
        let wanted_model = session
            .model
            .as_ref()
            .filter(|_| !self.model_forced)
            .and_then(|m| models::resolve(Some(&m.file_name), &self.paths, &self.config).ok())
            .filter(|path| Some(path) != self.model_path.as_ref());
        let wanted_backend = session.backend.clone().map(|b| self.session_backend(&b));
        self.session = session;
        match wanted_backend {
            // --model or --backend given: the flags win.
            Some(Ok(_)) if self.model_forced => {}
            Some(Ok(target)) => return self.connect_remote(target),
            Some(Err(note)) => {
                self.notify("the session's backend is not configured; see below", true);
                self.error = Some(note);
                return;
            }
            None => {}
        }
        match wanted_model {
            Some(path) => self.load_model(path),
            None if model_changed && self.model_path.is_some() => self.reload_model(),
            None => {}
        }
    }
}
