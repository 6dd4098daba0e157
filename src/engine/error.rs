//! Why a load or a reply failed, as data: [`EngineEvent::LoadFailed`] and
//! [`EngineEvent::Failed`] carry an [`EngineError`] instead of a sentence, so each front end
//! words it for its reader: the UI in its language ([`EngineError::localized`]), `serve` as an
//! HTTP status chosen by kind, logs and `ask` in English (`Display`, the same text as before).
//!
//! [`EngineEvent::LoadFailed`]: super::EngineEvent::LoadFailed
//! [`EngineEvent::Failed`]: super::EngineEvent::Failed

use super::generate::GenerateError;
use super::load::LoadError;
use super::prompt::PromptError;
use crate::gguf::GgufError;
use crate::remote::errors::RemoteError;
use std::path::PathBuf;

/// A failed load or reply, with its details.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// The prompt does not fit the context, even with old turns left out.
    #[error(
        "the message is too long for the context: the prompt needs {needed} tokens but only \
         {available} fit after keeping {reserved} for the reply; shorten the message or raise the \
         context size (--ctx-size)"
    )]
    PromptTooLong {
        needed: usize,
        available: usize,
        reserved: usize,
    },
    #[error("there is no user message to reply to")]
    NothingToAnswer,
    #[error("no model is loaded")]
    NoModel,
    #[error("file not found: {}; check the path, or re-download the model", .path.display())]
    ModelNotFound { path: PathBuf },
    /// The file is not GGUF at all (`message` is the full English text, with the bytes found).
    #[error("{message}")]
    NotAGguf { path: PathBuf, message: String },
    /// Any other problem the GGUF check found (`message` says which, in English).
    #[error("{message}")]
    InvalidModel { path: PathBuf, message: String },
    #[error(
        "{} is a LoRA adapter, not a model: load a model and pass the adapter with --lora \
         (or the lora_path setting)", .path.display()
    )]
    AdapterAsModel { path: PathBuf },
    #[error(
        "llama.cpp could not load the model {}: {reason} (see the log file for llama.cpp's \
         own message; the file may use an architecture or quantization this build does not \
         support)", .path.display()
    )]
    ModelLoad { path: PathBuf, reason: String },
    #[error("cannot load the LoRA adapter {}: {reason}", .path.display())]
    Lora { path: PathBuf, reason: String },
    /// The draft model was refused (another vocabulary, an adapter, a recurrent model).
    #[error(
        "cannot use {} as a draft model for {}: {reason}", .draft.display(), .model.display()
    )]
    DraftModel {
        model: PathBuf,
        draft: PathBuf,
        reason: String,
    },
    /// No memory for a context of that size.
    #[error(
        "cannot create a context of {ctx_size} tokens for {}: {reason} (try a smaller \
         --ctx-size)", .path.display()
    )]
    ContextTooBig {
        path: PathBuf,
        ctx_size: u32,
        reason: String,
    },
    #[error("llama.cpp failed to evaluate the prompt: {0}")]
    Decode(String),
    /// A remote server's conversation limit; the counts when the server gave them.
    #[error("{message}")]
    RemoteContextExceeded {
        prompt_tokens: Option<u64>,
        n_ctx: Option<u64>,
        message: String,
    },
    /// Any other failure of a remote server; `status` when it answered over HTTP.
    #[error("{message}")]
    Remote {
        status: Option<u16>,
        message: String,
    },
    /// Everything else (settings, templates, a thread that could not start), in English.
    #[error("{0}")]
    Other(String),
}

impl EngineError {
    /// The error worded in the interface language. The details that come from outside
    /// (llama.cpp's reason, a server's words, file contents) are quoted as they are.
    pub fn localized(&self) -> String {
        use crate::tr;
        let path = |p: &PathBuf| p.display().to_string();
        match self {
            EngineError::PromptTooLong {
                needed,
                available,
                reserved,
            } => tr!(
                "engine-prompt-too-long",
                needed = *needed,
                available = *available,
                reserved = *reserved
            ),
            EngineError::NothingToAnswer => tr!("engine-nothing-to-answer"),
            EngineError::NoModel => tr!("engine-no-model"),
            EngineError::ModelNotFound { path: p } => tr!("engine-model-not-found", path = path(p)),
            EngineError::NotAGguf { path: p, .. } => tr!("engine-not-a-gguf", path = path(p)),
            EngineError::InvalidModel { message, .. } => {
                tr!("engine-invalid-model", detail = message.as_str())
            }
            EngineError::AdapterAsModel { path: p } => {
                tr!("engine-adapter-as-model", path = path(p))
            }
            EngineError::ModelLoad { path: p, reason } => tr!(
                "engine-model-load",
                path = path(p),
                reason = reason.as_str()
            ),
            EngineError::Lora { path: p, reason } => {
                tr!("engine-lora", path = path(p), reason = reason.as_str())
            }
            EngineError::DraftModel {
                model,
                draft,
                reason,
            } => tr!(
                "engine-draft-model",
                draft = path(draft),
                model = path(model),
                reason = reason.as_str()
            ),
            EngineError::ContextTooBig {
                path: p,
                ctx_size,
                reason,
            } => tr!(
                "engine-context-too-big",
                path = path(p),
                ctx_size = *ctx_size,
                reason = reason.as_str()
            ),
            EngineError::Decode(reason) => tr!("engine-decode", reason = reason.as_str()),
            EngineError::RemoteContextExceeded { message, .. } => {
                tr!("engine-remote-context", detail = message.as_str())
            }
            EngineError::Remote { message, .. } => {
                tr!("engine-remote", detail = message.as_str())
            }
            EngineError::Other(message) => message.clone(),
        }
    }
}

impl From<&str> for EngineError {
    fn from(message: &str) -> Self {
        EngineError::Other(message.to_owned())
    }
}

impl From<String> for EngineError {
    fn from(message: String) -> Self {
        EngineError::Other(message)
    }
}

impl From<GgufError> for EngineError {
    fn from(e: GgufError) -> Self {
        let message = e.to_string();
        match e {
            GgufError::NotFound { path } => EngineError::ModelNotFound { path },
            GgufError::BadMagic { path, .. } => EngineError::NotAGguf { path, message },
            other => EngineError::InvalidModel {
                path: other.path().to_path_buf(),
                message,
            },
        }
    }
}

impl From<LoadError> for EngineError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Invalid(e) => e.into(),
            LoadError::LlamaCpp { path, reason } => EngineError::ModelLoad { path, reason },
            LoadError::Lora { path, reason } => EngineError::Lora { path, reason },
            LoadError::Draft {
                model,
                draft,
                reason,
            } => EngineError::DraftModel {
                model,
                draft,
                reason,
            },
            LoadError::AdapterAsModel { path } => EngineError::AdapterAsModel { path },
            LoadError::Context {
                path,
                ctx_size,
                reason,
            } => EngineError::ContextTooBig {
                path,
                ctx_size,
                reason,
            },
            other @ (LoadError::Params(_) | LoadError::Template(_)) => {
                EngineError::Other(other.to_string())
            }
        }
    }
}

impl From<PromptError> for EngineError {
    fn from(e: PromptError) -> Self {
        match e {
            PromptError::TooLong {
                needed,
                available,
                reserved,
            } => EngineError::PromptTooLong {
                needed,
                available,
                reserved,
            },
            PromptError::NothingToAnswer => EngineError::NothingToAnswer,
            other @ (PromptError::Template(_) | PromptError::Empty) => {
                EngineError::Other(other.to_string())
            }
        }
    }
}

impl From<GenerateError> for EngineError {
    fn from(e: GenerateError) -> Self {
        match e {
            GenerateError::Prompt(e) => e.into(),
            GenerateError::Decode(reason) => EngineError::Decode(reason),
            other @ (GenerateError::Params(_)
            | GenerateError::ContextBusy { .. }
            | GenerateError::NoDraftModel
            | GenerateError::Alternatives { .. }
            | GenerateError::AlternativeLost) => EngineError::Other(other.to_string()),
        }
    }
}

impl From<RemoteError> for EngineError {
    fn from(e: RemoteError) -> Self {
        let message = e.to_string();
        match e {
            RemoteError::ContextExceeded {
                prompt_tokens,
                n_ctx,
                ..
            } => EngineError::RemoteContextExceeded {
                prompt_tokens,
                n_ctx,
                message,
            },
            RemoteError::Auth { status, .. }
            | RemoteError::Busy { status, .. }
            | RemoteError::Http { status, .. } => EngineError::Remote {
                status: Some(status),
                message,
            },
            _ => EngineError::Remote {
                status: None,
                message,
            },
        }
    }
}

#[cfg(test)]
mod tests;
