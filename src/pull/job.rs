//! Pulls in the background, for the chat's model picker: listing a repo and downloading a model
//! each run on a thread of their own (with a current-thread tokio runtime, as `ggchat pull`
//! does), through the same [`super::pull`] code, and report back as [`PullEvent`]s on a channel
//! the chat drains between frames. So the chat never waits on the network, and a test can feed
//! the same events without one.
//!
//! A download is cancelled by dropping or cancelling its [`Job`]: the future is dropped at its
//! next await, and what was written stays in the `.part` file for a later resume.

use super::progress::{Progress, Snapshot};
use super::spec::{self, ModelOption, PullSpec};
use super::{PullError, Pulled, Source};
use std::path::PathBuf;
use std::sync::mpsc::Sender;

/// What a background pull reports.
#[derive(Debug)]
pub enum PullEvent {
    /// The models of the repo `spec` names (filtered by its quantization tag or file).
    Listed {
        spec: PullSpec,
        result: Result<Vec<ModelOption>, PullError>,
    },
    /// Download `job` got this far.
    Progress { job: u64, snapshot: Snapshot },
    /// Download `job` ended (not sent for a cancelled one).
    Finished {
        job: u64,
        result: Result<Pulled, PullError>,
    },
}

/// A download in progress; cancelled when dropped.
pub struct Job {
    pub id: u64,
    cancel: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Job {
    /// Stops the download; its `.part` file stays.
    pub fn cancel(mut self) {
        if let Some(cancel) = self.cancel.take() {
            let _ = cancel.send(());
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, PullError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| PullError::Write {
            path: PathBuf::from("(tokio runtime)"),
            source: e,
        })
}

fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> Result<(), PullError> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(work)
        .map(|_| ())
        .map_err(|e| PullError::Write {
            path: PathBuf::from("(thread)"),
            source: e,
        })
}

/// Lists the models `spec` may mean, in the background; the answer comes as [`PullEvent::Listed`].
pub fn list(source: Source, spec: PullSpec, events: Sender<PullEvent>) {
    let report = events.clone();
    let spec2 = spec.clone();
    let spawned = spawn("pull-list", move || {
        let result = runtime().and_then(|runtime| {
            runtime.block_on(async {
                let client = super::client()?;
                let files = source.list(&client, &spec.repo).await?;
                spec::options(&spec, &files)
            })
        });
        let _ = events.send(PullEvent::Listed { spec, result });
    });
    if let Err(e) = spawned {
        let _ = report.send(PullEvent::Listed {
            spec: spec2,
            result: Err(e),
        });
    }
}

/// Downloads the model `spec` names (one file or every part) into `models_dir`, in the background.
pub fn start(
    id: u64,
    source: Source,
    spec: PullSpec,
    models_dir: PathBuf,
    events: Sender<PullEvent>,
) -> Job {
    let (cancel, cancelled) = tokio::sync::oneshot::channel::<()>();
    let report = events.clone();
    let spawned = spawn("pull", move || {
        let progress_events = events.clone();
        let mut progress = Progress::watched(Box::new(move |snapshot| {
            let _ = progress_events.send(PullEvent::Progress { job: id, snapshot });
        }));
        let result = runtime().map(|runtime| {
            runtime.block_on(async {
                tokio::select! {
                    result = super::pull(&source, &spec, &models_dir, &mut progress) => Some(result),
                    _ = cancelled => None,
                }
            })
        });
        let result = match result {
            Ok(Some(result)) => result,
            Ok(None) => return,
            Err(e) => Err(e),
        };
        let _ = events.send(PullEvent::Finished { job: id, result });
    });
    if let Err(e) = spawned {
        let _ = report.send(PullEvent::Finished {
            job: id,
            result: Err(e),
        });
    }
    Job {
        id,
        cancel: Some(cancel),
    }
}
