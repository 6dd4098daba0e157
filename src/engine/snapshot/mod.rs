//! KV snapshots: a session reopened in a new process picks up its KV cache from disk instead of
//! evaluating its whole conversation again.
//!
//! A long conversation costs its whole prompt when it is reopened (seconds on a CPU); llama.cpp
//! can serialize one sequence's KV state, so the engine saves the chat slot's state when it is
//! idle (after every reply, before it blocks waiting for the next command, and at shutdown),
//! one file per session in `<data dir>/snapshots`, and loads it when a request of that session
//! meets a slot that does not hold it. Then only the new tokens are evaluated.
//!
//! A snapshot is trusted only when everything that shapes its numbers matches ([`SnapshotKey`]:
//! model fingerprint and size, context size, KV cache type, flash attention, offloaded layers,
//! LoRA path and scale) and its checksum is right (`file`); the tokens it holds travel with it,
//! and the scheduler keeps only their common prefix with the new prompt, as with a live cache.
//! Anything else (missing, stale, another model or context size, truncated, bit-flipped) is
//! logged and ignored: the prompt is evaluated as without snapshots. The cache is bounded
//! (`[sessions] snapshot_cache_mb`, least recently used first: `cache`).

pub mod cache;
pub mod file;
mod raw;
#[cfg(test)]
mod tests;

pub use cache::{SnapshotRef, prune, remove};
pub use file::Rejected;
pub use raw::{VerifiedState, get as get_state, set as set_state};

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Mutex;

/// The figures of a snapshot save, for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SaveFigures {
    pub tokens: usize,
    pub bytes: u64,
    /// State copy, checksum, write and fsync.
    pub ms: f64,
}

static LAST_SAVE: Mutex<Option<SaveFigures>> = Mutex::new(None);

/// The last snapshot this process saved (`None` before the first).
pub fn last_save() -> Option<SaveFigures> {
    *LAST_SAVE.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn note_save(figures: SaveFigures) {
    *LAST_SAVE.lock().unwrap_or_else(|e| e.into_inner()) = Some(figures);
}

/// Everything a KV state's numbers depend on besides the tokens: a snapshot is loaded only into
/// a context whose key is equal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotKey {
    /// `store::fingerprint` of the model file (size, head and tail).
    pub model_fingerprint: String,
    pub model_size: u64,
    /// The cells one slot reaches (the context of one reply).
    pub ctx_size: u32,
    /// The K and V cache types (ggchat creates F16 caches, llama.cpp's default).
    pub kv_type: String,
    /// "on", "off" or "auto", as the context was created.
    pub flash_attention: String,
    /// Layers offloaded to a GPU (0 on the CPU): another device computes other numbers.
    pub gpu_layers: u32,
    pub lora_path: Option<PathBuf>,
    pub lora_scale: f32,
}

/// The cache types ggchat creates (no setting changes them yet).
pub const KV_TYPE: &str = "f16/f16";

impl SnapshotKey {
    /// What differs between `self` (this context) and `other` (a snapshot), for the log.
    pub fn difference(&self, other: &SnapshotKey) -> String {
        let mut parts = Vec::new();
        if self.model_fingerprint != other.model_fingerprint || self.model_size != other.model_size
        {
            parts.push(format!(
                "model {} vs {}",
                other.model_fingerprint, self.model_fingerprint
            ));
        }
        let mut field = |name: &str, theirs: String, ours: String| {
            if theirs != ours {
                parts.push(format!("{name} {theirs} vs {ours}"));
            }
        };
        field(
            "context",
            other.ctx_size.to_string(),
            self.ctx_size.to_string(),
        );
        field("KV type", other.kv_type.clone(), self.kv_type.clone());
        field(
            "flash attention",
            other.flash_attention.clone(),
            self.flash_attention.clone(),
        );
        field(
            "GPU layers",
            other.gpu_layers.to_string(),
            self.gpu_layers.to_string(),
        );
        field(
            "LoRA",
            format!("{:?}@{}", other.lora_path, other.lora_scale),
            format!("{:?}@{}", self.lora_path, self.lora_scale),
        );
        if parts.is_empty() {
            "unknown".into()
        } else {
            parts.join(", ")
        }
    }
}
