//! The chat screen's plain state types, shared by the app (which changes them), the view and the
//! panes (which only read them). They live apart from `app` so that nothing that draws has to
//! import the module that updates.

use crate::engine::{ModelInfo, RequestId};
use crate::remote::RemoteTarget;
use std::path::PathBuf;
use std::time::Instant;

/// What the model is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelState {
    Loading {
        id: RequestId,
        fraction: f32,
        name: String,
    },
    Ready(Box<ModelInfo>),
    Failed(String),
}

/// The reply being streamed.
#[derive(Debug, Clone)]
pub struct Streaming {
    pub id: RequestId,
    /// Index of the assistant message receiving the text.
    pub message: usize,
    pub started: Instant,
    pub pieces: usize,
    /// Pieces of reasoning streamed so far (counted apart from the answer's `pieces`).
    pub thinking_pieces: usize,
    pub cancelling: bool,
}

/// A model switch or reload in progress while the current model keeps running.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingLoad {
    pub id: RequestId,
    pub fraction: f32,
    pub name: String,
    pub path: PathBuf,
    /// Set when the switch is to a remote backend.
    pub remote: Option<RemoteTarget>,
}

/// A model being downloaded in the background (the model picker's pull).
#[derive(Debug, Clone, PartialEq)]
pub struct PullStatus {
    pub job: u64,
    /// The file name (of the first part of a split model).
    pub name: String,
    /// `None` until the first reading.
    pub progress: Option<crate::pull::progress::Snapshot>,
}

/// A short message in the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

impl Notice {
    pub fn new(text: impl Into<String>, is_error: bool) -> Notice {
        Notice {
            text: text.into(),
            is_error,
        }
    }
}

/// A short name for a model file: its name without `.gguf`.
pub fn model_display_name(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
