//! The snapshot folder: one file per session (`<session id>.kv`), bounded in size.
//!
//! A session id comes from a file or the command line, so it is checked like the session store
//! checks it before it becomes a path. Loading a snapshot marks it as recently used (its
//! modification time); when the folder holds more than the cap, the least recently used files go
//! first. Temporary files left by a writer that was killed are never read (their names start with
//! a dot) and are removed once they are old.

use super::SnapshotKey;
use super::file::{self, Loaded, Rejected, SlotRecord};
use crate::store::stamp::is_valid_id;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const EXTENSION: &str = "kv";
/// Temporary files older than this belong to a writer that died.
const STALE_TEMP: Duration = Duration::from_secs(600);

/// Where one session's snapshot goes, and the folder's size cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRef {
    pub dir: PathBuf,
    pub session: String,
    pub cap_bytes: u64,
}

impl SnapshotRef {
    /// The snapshot file, or `None` for an id that cannot name a file.
    pub fn path(&self) -> Option<PathBuf> {
        path_of(&self.dir, &self.session)
    }

    /// Writes the snapshot atomically and owner-only, then evicts older snapshots over the cap;
    /// returns the file's size.
    pub fn save(&self, key: &SnapshotKey, record: &SlotRecord, state: &[u8]) -> io::Result<u64> {
        let path = self
            .path()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "invalid session id"))?;
        let bytes = file::encode(key, record, state);
        let size = bytes.len() as u64;
        if size > self.cap_bytes {
            let _ = fs::remove_file(&path);
            return Err(io::Error::other(format!(
                "the snapshot ({size} bytes) is larger than the cache cap ({} bytes)",
                self.cap_bytes
            )));
        }
        crate::store::fsio::create_private_dir(&self.dir)?;
        crate::fsutil::write_private_atomic(&path, &bytes)?;
        prune(&self.dir, self.cap_bytes)?;
        Ok(size)
    }

    /// Reads and checks the snapshot against `key`, marking it recently used.
    pub fn load(&self, key: &SnapshotKey) -> Result<Loaded, Rejected> {
        let path = self
            .path()
            .ok_or_else(|| Rejected::Header("invalid session id".into()))?;
        let loaded = file::read(&path, key, self.cap_bytes)?;
        if let Ok(f) = fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        Ok(loaded)
    }
}

fn path_of(dir: &Path, id: &str) -> Option<PathBuf> {
    is_valid_id(id).then(|| dir.join(format!("{id}.{EXTENSION}")))
}

/// Deletes the snapshot of session `id` (nothing if there is none).
pub fn remove(dir: &Path, id: &str) -> io::Result<()> {
    let Some(path) = path_of(dir, id) else {
        return Ok(());
    };
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// What [`prune`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pruned {
    pub removed: usize,
    pub freed_bytes: u64,
    pub kept: usize,
    pub kept_bytes: u64,
}

/// Removes the least recently used snapshots until the folder holds at most `cap_bytes`, and
/// temporary files of writers that died. A missing folder holds nothing.
pub fn prune(dir: &Path, cap_bytes: u64) -> io::Result<Pruned> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Pruned::default()),
        Err(e) => return Err(e),
    };
    let now = SystemTime::now();
    let mut files = Vec::new();
    let mut pruned = Pruned::default();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        if name.starts_with('.') && name.contains(&format!(".{EXTENSION}.tmp.")) {
            let old = now.duration_since(used).is_ok_and(|age| age > STALE_TEMP);
            if old && fs::remove_file(entry.path()).is_ok() {
                pruned.removed += 1;
                pruned.freed_bytes += meta.len();
            }
        } else if name.ends_with(&format!(".{EXTENSION}")) && !name.starts_with('.') {
            files.push((used, meta.len(), entry.path()));
        }
    }
    // Newest first: keep while they fit.
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, size, path) in files {
        if pruned.kept_bytes + size <= cap_bytes && fs::metadata(&path).is_ok() {
            pruned.kept += 1;
            pruned.kept_bytes += size;
        } else if fs::remove_file(&path).is_ok() {
            pruned.removed += 1;
            pruned.freed_bytes += size;
        }
    }
    Ok(pruned)
}
