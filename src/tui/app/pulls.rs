//! The model picker's downloads and deletions, carried out for the chat: repo listings and
//! downloads run in the background (`crate::pull::job`) and report on a channel drained at each
//! tick, so the chat keeps answering while a model arrives; deleting goes through the same code
//! as `ggchat models rm`.

use super::{App, ModelState, PullStatus, context};
use crate::pull::Source;
use crate::pull::job::{self, Job, PullEvent};
use crate::pull::spec::PullSpec;
use crate::text::sanitize::sanitize;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// The channel the background work reports on, and the download in progress.
pub(super) struct Pulls {
    events: Sender<PullEvent>,
    received: Receiver<PullEvent>,
    job: Option<Job>,
    next_id: u64,
}

impl Default for Pulls {
    fn default() -> Pulls {
        let (events, received) = channel();
        Pulls {
            events,
            received,
            job: None,
            next_id: 0,
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

impl App {
    /// The model being downloaded, if any.
    pub fn pull_status(&self) -> Option<&PullStatus> {
        self.slot.pull.as_ref()
    }

    /// Handles what arrived from the background; true when something did or a download runs
    /// (its progress must be redrawn).
    pub fn poll_pulls(&mut self) -> bool {
        let mut any = false;
        while let Ok(event) = self.pulls.received.try_recv() {
            self.handle_pull_event(event);
            any = true;
        }
        any || self.slot.pull.is_some()
    }

    pub(super) fn list_repo(&mut self, source: Source, spec: PullSpec) {
        job::list(source, spec, self.pulls.events.clone());
    }

    pub(super) fn start_pull(&mut self, source: Source, spec: PullSpec, name: String) {
        if let Some(running) = &self.slot.pull {
            let text = crate::tr!("tui-pull-busy", name = sanitize(&running.name).into_owned());
            self.notify(text, true);
            return;
        }
        self.pulls.next_id += 1;
        let id = self.pulls.next_id;
        let dir = self.env.paths.models_dir();
        self.pulls.job = Some(job::start(id, source, spec, dir, self.pulls.events.clone()));
        let text = crate::tr!("tui-pull-started", name = sanitize(&name).into_owned());
        self.slot.pull = Some(PullStatus {
            job: id,
            name,
            progress: None,
        });
        self.notify(text, false);
    }

    pub(super) fn cancel_pull(&mut self) {
        let (Some(job), Some(status)) = (self.pulls.job.take(), self.slot.pull.take()) else {
            self.notify(crate::tr!("tui-pull-nothing-to-cancel"), true);
            return;
        };
        job.cancel();
        let text = crate::tr!(
            "tui-pull-cancelled",
            name = sanitize(&status.name).into_owned(),
            dir = self.env.paths.models_dir().display().to_string()
        );
        self.notify(text, false);
    }

    /// One event from the background (tests feed them too). Events of a download that is no
    /// longer the current one (cancelled) are dropped.
    pub fn handle_pull_event(&mut self, event: PullEvent) {
        match event {
            PullEvent::Listed { spec, result } => {
                let text = result.as_ref().err().map(|e| e.localized());
                if let Some(text) = &text {
                    self.notify(text.clone(), true);
                }
                if let Some(pane) = &mut self.pane {
                    let answer = match &result {
                        Ok(options) => Ok(options.as_slice()),
                        Err(_) => Err(text.as_deref().unwrap_or_default()),
                    };
                    pane.listed(&spec, answer);
                }
            }
            PullEvent::Progress { job, snapshot } => {
                if let Some(status) = self.slot.pull.as_mut().filter(|s| s.job == job) {
                    status.progress = Some(snapshot);
                }
            }
            PullEvent::Finished { job, result } => {
                if self.slot.pull.as_ref().is_none_or(|s| s.job != job) {
                    return;
                }
                self.slot.pull = None;
                self.pulls.job = None;
                let dir = self.env.paths.models_dir().display().to_string();
                match result {
                    Ok(pulled) => {
                        let name = sanitize(&file_name(&pulled.path)).into_owned();
                        let text = if pulled.already_present {
                            crate::tr!("tui-pull-already-present", name = name, dir = dir)
                        } else {
                            crate::tr!("tui-pull-done", name = name, dir = dir)
                        };
                        self.notify(text, false);
                    }
                    Err(e) => self.notify(e.localized(), true),
                }
                self.refresh_pane();
            }
        }
    }

    fn refresh_pane(&mut self) {
        if let Some(pane) = &mut self.pane {
            pane.refresh(&context(&self.slot, &self.chat, &self.env, &self.monitor));
        }
    }

    /// Whether `path` is the local model that answers (or is being loaded, or switched to).
    fn in_use(&self, path: &Path) -> bool {
        let local_answers = match &self.slot.model {
            ModelState::Ready(info) => info.remote.is_none(),
            ModelState::Loading { .. } => self.slot.backend.is_none(),
            ModelState::Failed(_) => false,
        };
        (local_answers && self.slot.model_path.as_deref() == Some(path))
            || self.slot.switching.as_ref().is_some_and(|s| s.path == path)
    }

    /// Deletes the model at `path` with every part and side file, as `ggchat models rm` does;
    /// never the model in use.
    pub(super) fn delete_model(&mut self, path: PathBuf) {
        let name = sanitize(&file_name(&path)).into_owned();
        if self.in_use(&path) {
            self.notify(crate::tr!("tui-models-delete-loaded", name = name), true);
            return;
        }
        let files = crate::models::remove::files_of(&path);
        match crate::models::remove::delete(&files, |_| {}) {
            Ok(()) => {
                let text = crate::tr!("tui-models-deleted", name = name, count = files.len());
                self.notify(text, false);
            }
            Err(e) => self.notify(format!("{e:#}"), true),
        }
    }
}
