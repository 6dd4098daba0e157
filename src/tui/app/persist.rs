//! Keeping the chat saved as a session, and reopening sessions.
//!
//! The chat is saved after every message, every finished reply and every change of system prompt,
//! persona, settings or model, and on exit. A save that fails (disk full, read-only) leaves the
//! previous file intact and says so in the status line; the chat goes on. When another ggchat
//! saved the same session meanwhile, ours is kept as a new session instead of overwriting theirs.

use super::{App, ModelState};
use crate::models;
use crate::store::{BackendRef, ModelRef, Session, Store, StoreError};

impl App {
    /// Starts saving to `store`, continuing `session` when given.
    pub fn attach_store(&mut self, store: Store, session: Option<Session>) {
        self.chat.store = Some(store);
        if let Some(session) = session {
            self.restore(session);
        }
    }

    /// Writes the conversation to its session file (empty conversations are not saved).
    ///
    /// A session deleted by another command (`ggchat sessions delete`, another chat's F4 pane)
    /// is not written back: the chat says so once, and only a message the user sends after that
    /// saves the chat again, as a new session.
    pub fn save_session(&mut self) {
        let Some(store) = self.chat.store.clone() else {
            return;
        };
        if self.chat.conversation.messages.is_empty() {
            return;
        }
        let user_messages = self.user_message_count();
        let resave = match self.chat.deleted_elsewhere {
            Some(at) if user_messages <= at => return,
            Some(_) => true,
            None => false,
        };
        let session = &mut self.chat.session;
        session.conversation = self.chat.conversation.clone();
        session.sampling = self.chat.sampling.clone();
        session.model_params = self.slot.model_params.clone();
        session.persona = self.chat.persona.clone();
        if let ModelState::Ready(info) = &self.slot.model {
            session.template = Some(info.template.to_string());
            // Name, URL and model id only: a key never reaches a session file.
            session.backend = info.remote.as_ref().map(|r| BackendRef {
                name: r.backend.clone(),
                url: r.url.clone(),
                model: r.model.clone(),
            });
        }
        if self.slot.model_ref.is_some() {
            session.model = self.slot.model_ref.clone();
        }
        let result = if resave {
            store
                .save_as_new(session)
                .map(|()| Some(crate::tr!("tui-notice-resaved-after-delete")))
        } else {
            match store.save(session) {
                Err(StoreError::Conflict { .. }) => store
                    .save_as_new(session)
                    .map(|()| Some(crate::tr!("tui-notice-saved-as-new"))),
                other => other.map(|()| None),
            }
        };
        // The save gave new messages their ids in the tree: the chat's copy needs them, or the
        // next save would record those messages again as new branches.
        let saved = &self.chat.session.conversation.messages;
        for (mine, saved) in (self.chat.conversation.messages.iter_mut()).zip(saved) {
            if mine.role == saved.role && mine.content == saved.content {
                mine.id = saved.id;
            }
        }
        match result {
            Ok(note) => {
                self.chat.deleted_elsewhere = None;
                self.chat.session_name = self.chat.session.title.clone();
                if let Some(note) = note {
                    self.notify(note, false);
                }
            }
            Err(StoreError::Deleted { path }) => {
                self.chat.deleted_elsewhere = Some(user_messages);
                self.notify(
                    crate::tr!(
                        "tui-notice-deleted-elsewhere",
                        path = path.display().to_string()
                    ),
                    true,
                );
            }
            Err(e) => self.notify(
                crate::tr!("tui-notice-save-failed", error = e.localized()),
                true,
            ),
        }
    }

    fn user_message_count(&self) -> usize {
        self.chat
            .conversation
            .messages
            .iter()
            .filter(|m| m.role == crate::chat::Role::User)
            .count()
    }

    /// Remembers which model file answers, for the session file.
    pub fn note_model_file(&mut self) {
        self.slot.model_ref = self
            .slot
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
            .and_then(|name| Some((name, self.env.config.backends.get(name)?)));
        match configured {
            Some((name, config)) => Ok(crate::remote::RemoteTarget::from_config(
                Some(name),
                config,
                Some(&wanted.model),
            )),
            None => Err(crate::tr!(
                "tui-notice-backend-not-configured",
                backend = wanted.name.as_deref().map_or_else(
                    || crate::tr!("tui-notice-a-server"),
                    |n| crate::tr!("tui-notice-named-backend", name = n)
                ),
                url = wanted.url.as_str(),
                model = wanted.model.as_str()
            )),
        }
    }

    /// Saves the current chat and starts an empty one with the same settings.
    pub fn start_new_session(&mut self) {
        self.save_session();
        self.begin_new_session();
    }

    /// Starts an empty chat with the same settings, without saving the current one (it was
    /// deleted).
    pub fn begin_new_session(&mut self) {
        self.chat.deleted_elsewhere = None;
        self.new_conversation();
        self.chat.session = Session::new(
            &self.chat.conversation.system_prompt,
            self.chat.sampling.clone(),
            self.slot.model_params.clone(),
        );
    }

    /// Shows `session` and continues it: its messages, system prompt, persona and settings, and
    /// its model when that file is in a trusted model folder (unless `--model` was given).
    ///
    /// Precedence, as README says: command-line flags, then the session, then the config file,
    /// then the defaults. The flags are applied on top of the session's settings before the model
    /// loads, so `ggchat --session X --ctx-size 4096` loads X's model with 4096.
    ///
    /// The session file is untrusted: its model and LoRA paths are only used inside the trusted
    /// folders (`models::trusted`); anything else is refused with a notice naming the path, and
    /// the chat goes on with the current model.
    pub fn restore(&mut self, session: Session) {
        if let Some(streaming) = self.chat.streaming.take() {
            self.link().cancel(streaming.id);
        }
        self.chat.deleted_elsewhere = None;
        self.monitor.reset_session();
        self.reset_branch_state();
        self.chat.conversation = session.conversation.clone();
        if let Some(system) = &self.env.overrides.system {
            self.chat.conversation.system_prompt = system.clone();
        }
        self.chat.persona = session.persona.clone();
        let mut problems = Vec::new();
        let mut notes = Vec::new();
        let mut sampling = match session.sampling.validate() {
            Ok(()) => session.sampling.clone(),
            Err(e) => {
                problems.push(crate::tr!(
                    "tui-notice-session-settings-unused",
                    error = e.localized()
                ));
                self.chat.sampling.clone()
            }
        };
        let mut model_params = match session.model_params.validate() {
            Ok(()) => session.model_params.clone(),
            Err(e) => {
                problems.push(crate::tr!(
                    "tui-notice-session-settings-unused",
                    error = e.localized()
                ));
                self.slot.model_params.clone()
            }
        };
        let dirs = self.trusted_model_dirs();
        if model_params.lora_path != self.slot.model_params.lora_path
            && let Some(lora) = &model_params.lora_path
            && let Err(refused) = models::trusted::session_lora(lora, &dirs)
        {
            problems.push(refused.to_string());
            model_params.lora_path = self.slot.model_params.lora_path.clone();
        }
        if model_params.draft_model != self.slot.model_params.draft_model
            && let Some(draft) = &model_params.draft_model
            && let Err(refused) = models::trusted::session_draft_model(draft, &dirs)
        {
            problems.push(refused.to_string());
            model_params.draft_model = self.slot.model_params.draft_model.clone();
        }
        if let Err(e) = self
            .env
            .overrides
            .apply_params(&mut sampling, &mut model_params)
        {
            problems.push(crate::report::message(&e));
        }
        let model_changed = model_params != self.slot.model_params;
        self.chat.sampling = sampling;
        self.slot.model_params = model_params;
        self.chat.session_name = session.title.clone();
        self.view.reset();
        self.error = None;
        let wanted_model = match session.model.as_ref().filter(|_| !self.slot.model_forced) {
            None => None,
            Some(wanted) => match models::trusted::session_model(wanted, &dirs) {
                Ok(found) => {
                    if !found.same_file {
                        notes.push(crate::tr!(
                            "tui-notice-model-file-differs",
                            path = found.path.display().to_string()
                        ));
                    }
                    Some(found.path)
                }
                Err(refused) => {
                    problems.push(crate::tr!(
                        "tui-notice-current-model-stays",
                        reason = refused.to_string()
                    ));
                    None
                }
            },
        }
        .filter(|path| !self.is_current_model(path));
        let wanted_backend = session.backend.clone().map(|b| self.session_backend(&b));
        self.chat.session = session;
        if let Some(first) = problems.first() {
            self.notify(first.clone(), true);
        } else if let Some(first) = notes.first() {
            self.notify(first.clone(), false);
        }
        match wanted_backend {
            // --model or --backend given: the flags win.
            Some(Ok(_)) if self.slot.model_forced => {}
            Some(Ok(target)) => return self.connect_remote(target),
            Some(Err(note)) => {
                self.notify(crate::tr!("tui-notice-see-below"), true);
                self.error = Some(note);
                return;
            }
            None => {}
        }
        match wanted_model {
            Some(path) => self.load_model(path),
            None if model_changed && self.slot.model_path.is_some() => self.reload_model(),
            None => {}
        }
    }

    /// The folders a session may name models and LoRA adapters in (see `models::trusted`).
    pub fn trusted_model_dirs(&self) -> Vec<std::path::PathBuf> {
        models::trusted::trusted_dirs(
            &models::model_dirs(&self.env.paths, &self.env.config),
            &self.slot.named_models,
        )
    }

    fn is_current_model(&self, path: &std::path::Path) -> bool {
        let canonical = |p: &std::path::Path| p.canonicalize().ok();
        self.slot
            .model_path
            .as_deref()
            .is_some_and(|current| current == path || canonical(current) == canonical(path))
    }
}
