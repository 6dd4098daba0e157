//! Which KV snapshot the chat's requests carry (see `crate::engine::snapshot`): the current
//! session's, in the data directory's `snapshots` folder, once the session has a file. The engine
//! saves it when idle and loads it when the session is reopened; a remote engine ignores it.

use super::App;
use crate::engine::snapshot::SnapshotRef;

impl App {
    /// The snapshot of the session being chatted, or `None` (no store, cache set to 0).
    pub(super) fn snapshot_ref(&self) -> Option<SnapshotRef> {
        let cap_bytes = self.env.config.sessions.snapshot_cache_bytes();
        (self.chat.store.is_some() && cap_bytes > 0).then(|| SnapshotRef {
            dir: self.env.paths.snapshots_dir(),
            session: self.chat.session.id.clone(),
            cap_bytes,
        })
    }

    /// Deletes the snapshot of a deleted session (a failure only costs disk space until the
    /// cache is pruned).
    pub(super) fn forget_snapshot(&self, id: &str) {
        if let Err(e) = crate::engine::snapshot::remove(&self.env.paths.snapshots_dir(), id) {
            tracing::warn!("the KV snapshot of deleted session {id} stays: {e}");
        }
    }
}
