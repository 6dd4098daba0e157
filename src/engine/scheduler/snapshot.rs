//! The scheduler's side of KV snapshots (see `crate::engine::snapshot`): a slot remembers which
//! session its cache belongs to; an idle scheduler saves the slots whose cache changed since their
//! last save, and a request of a session no slot holds loads that session's snapshot first.
//!
//! Loading replaces a slot's cache with the snapshot's state and bookkeeping (tokens, dropped
//! turns, last evaluated range), exactly what the slot held when it was saved, so the request
//! then runs as it would have on the live cache: the common prefix is kept, the rest evaluated.

use super::Scheduler;
use super::slot::Slot;
use crate::engine::generate;
use crate::engine::load::LoadedModel;
use crate::engine::messages::{GenerateRequest, ModelInfo};
use crate::engine::prompt;
use crate::engine::snapshot::file::SlotRecord;
use crate::engine::snapshot::{self, Rejected, SnapshotKey, SnapshotRef};
use crate::engine::template::ChatTemplate;
use llama_cpp_2::model::LlamaModel;
use std::time::Instant;

/// Which session a slot's cache belongs to, and whether it changed since it was saved.
#[derive(Debug, Clone)]
pub struct SlotSnapshot {
    pub place: SnapshotRef,
    pub dirty: bool,
}

/// The validation key of the context the worker created for `loaded`; `None` (snapshots off,
/// logged) when the model file cannot be fingerprinted.
pub fn key_for(loaded: &LoadedModel, info: &ModelInfo) -> Option<SnapshotKey> {
    let fingerprint = crate::store::fingerprint(&info.path)
        .map_err(|e| tracing::warn!("KV snapshots are off: cannot fingerprint the model: {e}"))
        .ok()?;
    Some(SnapshotKey {
        model_fingerprint: fingerprint,
        model_size: info.file_size,
        ctx_size: info.ctx_size,
        kv_type: snapshot::KV_TYPE.into(),
        flash_attention: info.flash_attention.clone(),
        gpu_layers: info.gpu_layers,
        lora_path: loaded.params.lora_path.clone(),
        lora_scale: loaded.params.lora_scale,
    })
}

impl Scheduler<'_> {
    /// Enables snapshots for this context (see [`key_for`]).
    pub fn set_snapshot_key(&mut self, key: Option<SnapshotKey>) {
        self.snapshot_key = key;
    }

    /// Saves every idle slot whose cache changed since its last save. Failures are logged: a
    /// snapshot is only ever a shortcut.
    pub fn save_snapshots(&mut self) {
        let Some(key) = self.snapshot_key.clone() else {
            return;
        };
        for slot in self.slots.iter_mut().filter(|s| s.is_idle()) {
            let Some(snap) = slot.snapshot.as_mut().filter(|s| s.dirty) else {
                continue;
            };
            snap.dirty = false;
            if slot.cached.is_empty() {
                continue;
            }
            let started = Instant::now();
            let Some(state) = snapshot::get_state(&self.ctx, slot.seq) else {
                tracing::warn!(
                    "KV snapshot of slot {} not saved: llama.cpp gave no state",
                    slot.seq
                );
                continue;
            };
            let record = SlotRecord {
                tokens: slot.cached.clone(),
                dropped_turns: slot.dropped_turns,
                last_evaluated: slot.last_evaluated.clone(),
            };
            match snap.place.save(&key, &record, &state) {
                Ok(size) => {
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    let tokens = record.tokens.len();
                    snapshot::note_save(snapshot::SaveFigures {
                        tokens,
                        bytes: size,
                        ms,
                    });
                    tracing::info!(
                        "KV snapshot of session {} saved: {tokens} tokens, {size} bytes in {ms:.0} ms",
                        snap.place.session,
                    );
                }
                Err(e) => tracing::warn!(
                    "KV snapshot of session {} not saved: {e}",
                    snap.place.session
                ),
            }
        }
    }

    /// Marks the slot chosen for `request` as holding its session (or none).
    pub(super) fn tag_slot(&mut self, slot: usize, request: &GenerateRequest) {
        self.slots[slot].snapshot = request
            .snapshot
            .clone()
            .map(|place| SlotSnapshot { place, dirty: true });
    }

    /// Loads the snapshot of `request`'s session into an idle slot when no slot holds that
    /// session and the snapshot shares more of the prompt than the slot's cache does.
    pub(super) fn restore_snapshot(
        &mut self,
        model: &LlamaModel,
        template: &ChatTemplate,
        request: &GenerateRequest,
    ) {
        let (Some(place), Some(key)) = (&request.snapshot, &self.snapshot_key) else {
            return;
        };
        let holds = |s: &Slot| {
            !s.cached.is_empty()
                && s.snapshot
                    .as_ref()
                    .is_some_and(|snap| snap.place.session == place.session)
        };
        if self.slots.iter().any(holds) {
            return;
        }
        let Some(target) = (0..self.slots.len())
            .filter(|&i| self.slots[i].is_idle())
            .min_by_key(|&i| self.slots[i].last_used)
        else {
            return;
        };
        let started = Instant::now();
        let shown = place.path().unwrap_or_default().display().to_string();
        let loaded = match place.load(key) {
            Ok(loaded) => loaded,
            Err(Rejected::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                tracing::info!("KV snapshot {shown} ignored: {e}");
                return;
            }
        };
        let record = &loaded.record;
        let Ok(prompt) =
            generate::prompt_tokens(model, template, request, self.n_ctx, record.dropped_turns)
        else {
            return;
        };
        let shared = prompt::common_prefix(&record.tokens, &prompt.tokens);
        let slot = &mut self.slots[target];
        if shared <= prompt::common_prefix(&slot.cached, &prompt.tokens) {
            tracing::info!("KV snapshot {shown} ignored: it shares only {shared} prompt tokens");
            return;
        }
        slot.truncate(&mut self.ctx, 0);
        let seq = slot.seq;
        let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), None, None);
        let fits = snapshot::set_state(&mut self.ctx, &loaded.state(), seq)
            && self.ctx.kv_cache_seq_pos_max(seq) + 1 == record.tokens.len() as i32;
        if !fits {
            let _ = self.ctx.clear_kv_cache_seq(Some(seq as u32), None, None);
            slot.cached.clear();
            tracing::warn!("KV snapshot {shown} ignored: llama.cpp refused its state");
            return;
        }
        slot.cached = record.tokens.clone();
        slot.dropped_turns = record.dropped_turns;
        slot.last_evaluated = record.last_evaluated.clone();
        slot.snapshot = Some(SlotSnapshot {
            place: place.clone(),
            dirty: false,
        });
        tracing::info!(
            "KV snapshot {shown} loaded: {} tokens ({} shared with the prompt) in {:.0} ms",
            record.tokens.len(),
            shared,
            started.elapsed().as_secs_f64() * 1000.0
        );
        self.publish();
    }
}
