//! Sessions: every conversation saved to disk, listed, searched, reloaded and exported.
//!
//! A chat that vanishes when the terminal closes is a chat nobody trusts, so every conversation
//! is a [`Session`] saved after each message and on exit, one JSON file per session in the
//! sessions directory (`<data dir>/sessions`). The format is documented in [`mod@format`] (and in
//! `docs/session-format.md`), versioned and human-readable.
//!
//! The store is built to never lose or damage a conversation:
//! - writes are atomic (temporary file, fsync, rename, fsync of the directory; see `fsio`), so a
//!   crash or a full disk leaves the previous file intact;
//! - two ggchat processes on one session serialize their writes on a lock file, and a save based
//!   on an outdated copy is refused with [`StoreError::Conflict`] instead of overwriting the
//!   other process's messages (each file has a `revision` counter);
//! - a file that cannot be read (corrupt, truncated, from a newer ggchat) is reported as a
//!   [`StoreProblem`] and left untouched, and the other sessions still work.
//!
//! Nothing here panics on bad input: every failure is a [`StoreError`] that names the file and
//! what to do about it.
//!
//! Typical use by the chat screen:
//!
//! ```ignore
//! # use ggchat::store::{Store, Session, StoreError};
//! # fn demo(dir: &std::path::Path) -> Result<(), StoreError> {
//! let store = Store::open(dir)?;
//! let mut session = Session::new("Be brief.", Default::default(), Default::default());
//! // ... after each message:
//! match store.save(&mut session) {
//!     Err(StoreError::Conflict { .. }) => store.save_as_new(&mut session)?, // after asking
//!     other => other?,
//! }
//! # Ok(()) }
//! ```

mod error;
mod export;
pub mod format;
pub(crate) mod fsio;
mod lookup;
mod session;
pub(crate) mod stamp;
pub mod tree;
mod wire;

#[cfg(test)]
mod crash_tests;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tree_tests;

pub use error::{StoreError, StoreProblem};
pub use export::{to_json, to_markdown, to_markdown_all_branches};
pub use format::FORMAT_VERSION;
pub(crate) use fsio::write_atomic;
pub use lookup::{SearchHit, SessionSummary};
pub use session::{BackendRef, ModelRef, Session, TITLE_MAX_CHARS, UNTITLED, title_from};
pub use stamp::{fingerprint, format_rfc3339, now_rfc3339, parse_rfc3339};
pub use tree::{Node, NodeId, Tree, TreeError};

use error::{decode_error, read_error};
use lookup::sort_newest_first;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Files larger than this are not sessions ggchat wrote; they are reported, not read. Saves that
/// would be larger are refused (the previous file is kept), so every session written reads back.
pub const MAX_SESSION_BYTES: u64 = 256 * 1024 * 1024;

/// How long a save waits for another process that is writing the same session.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// How many fresh ids a new session tries when its id is taken (1 in 65536 per second).
const ID_ATTEMPTS: usize = 16;

/// The sessions directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    lock_timeout: Duration,
    /// [`MAX_SESSION_BYTES`], smaller in tests.
    max_bytes: u64,
}

impl Store {
    /// Opens (creating, owner-only) the sessions directory.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        fsio::create_private_dir(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Store {
            dir: dir.to_path_buf(),
            lock_timeout: LOCK_TIMEOUT,
            max_bytes: MAX_SESSION_BYTES,
        })
    }

    /// The same store with another size limit for reads and writes (tests use a small one).
    #[cfg(test)]
    pub(crate) fn with_max_bytes(mut self, max_bytes: u64) -> Store {
        self.max_bytes = max_bytes;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a session id is saved in.
    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn checked_path(&self, id: &str) -> Result<PathBuf, StoreError> {
        if stamp::is_valid_id(id) {
            Ok(self.path_of(id))
        } else {
            Err(StoreError::InvalidId { id: id.to_owned() })
        }
    }

    fn lock(&self, id: &str) -> Result<fsio::SessionLock, StoreError> {
        fsio::lock(&self.dir, id, self.lock_timeout).map_err(|e| {
            let path = fsio::lock_path(&self.dir, id);
            match e {
                fsio::LockError::Io(e) => StoreError::Lock {
                    path,
                    reason: e.to_string(),
                },
                fsio::LockError::TimedOut => StoreError::LockTimeout {
                    path,
                    secs: self.lock_timeout.as_secs(),
                },
            }
        })
    }

    /// Saves the session: bumps `revision`, sets `updated` and (unless custom) the title, and
    /// writes the file atomically. On error the file on disk and `session` are as before (except
    /// that numbers JSON cannot hold, such as a NaN speed, are replaced; see [`mod@format`]).
    ///
    /// Refuses with [`StoreError::Conflict`] when another process saved a newer revision since
    /// this copy was loaded; the caller can then offer [`Store::save_as_new`]. Refuses with
    /// [`StoreError::Deleted`] when the file of a session saved before is gone (deleted by
    /// `ggchat sessions delete` or another chat), so a delete is never undone silently; and
    /// with [`StoreError::TooLarge`] when the file would exceed what ggchat reads back. A new
    /// session whose id happens to be taken silently gets a fresh id.
    pub fn save(&self, session: &mut Session) -> Result<(), StoreError> {
        session::make_encodable(session);
        let original_id = session.id.clone();
        let result = self.save_under_free_id(session);
        if result.is_err() {
            session.id = original_id;
        }
        result
    }

    fn save_under_free_id(&self, session: &mut Session) -> Result<(), StoreError> {
        for _ in 0..ID_ATTEMPTS {
            let path = self.checked_path(&session.id)?;
            let _lock = self.lock(&session.id)?;
            if self.id_taken_by_another(session, &path)? {
                session.id = stamp::new_id(SystemTime::now());
                continue;
            }
            return self.write_locked(session, &path);
        }
        Err(StoreError::Write {
            path: self.path_of(&session.id),
            source: io::Error::new(io::ErrorKind::AlreadyExists, "no free session id found"),
        })
    }

    /// Saves the conversation as a new session (new id and creation time, revision 0), e.g. after
    /// a [`StoreError::Conflict`].
    pub fn save_as_new(&self, session: &mut Session) -> Result<(), StoreError> {
        let now = SystemTime::now();
        let old = (
            session.id.clone(),
            session.revision,
            session.created.clone(),
        );
        session.id = stamp::new_id(now);
        session.revision = 0;
        session.created = stamp::format_rfc3339(now);
        let result = self.save(session);
        if result.is_err() {
            (session.id, session.revision, session.created) = old;
        }
        result
    }

    /// With the lock held: may `session` overwrite the file at `path`? `Ok(true)` means the id
    /// belongs to another session, which is only possible for a never-saved one (revision 0)
    /// whose creation time differs from the file's.
    fn id_taken_by_another(&self, session: &Session, path: &Path) -> Result<bool, StoreError> {
        let bytes = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound && session.revision > 0 => {
                return Err(StoreError::Deleted {
                    path: path.to_path_buf(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(source) => return Err(read_error(path, source)),
        };
        let head = format::probe(&bytes).map_err(|e| decode_error(path, e))?;
        if session.revision == 0 && head.created.as_ref() != Some(&session.created) {
            return Ok(true);
        }
        let on_disk = head.revision.ok_or_else(|| StoreError::Corrupt {
            path: path.to_path_buf(),
            reason: "no valid revision field".into(),
        })?;
        if on_disk > session.revision {
            return Err(StoreError::Conflict {
                path: path.to_path_buf(),
                ours: session.revision,
                on_disk,
            });
        }
        Ok(false)
    }

    /// Before a file of an older format is first rewritten, keeps its bytes as
    /// `<id>.json.v<N>.bak` (once: an existing backup is never replaced).
    fn back_up_older_format(path: &Path) -> Result<(), StoreError> {
        let Ok(bytes) = fs::read(path) else {
            return Ok(());
        };
        let Ok(head) = format::probe(&bytes) else {
            return Ok(());
        };
        if head.version >= u64::from(FORMAT_VERSION) {
            return Ok(());
        }
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".v{}.bak", head.version));
        let backup = path.with_file_name(name);
        if backup.exists() {
            return Ok(());
        }
        fsio::write_atomic(&backup, &bytes).map_err(|source| StoreError::Write {
            path: backup,
            source,
        })
    }

    /// With the lock held and the disk checked: writes the next revision.
    fn write_locked(&self, session: &mut Session, path: &Path) -> Result<(), StoreError> {
        let file_name = format!("{}.json", session.id);
        fsio::remove_stale_temps(&self.dir, &file_name);
        Self::back_up_older_format(path)?;
        let old = (
            session.revision,
            session.updated.clone(),
            session.title.clone(),
        );
        let old_tree = (session.tree.clone(), session.conversation.messages.clone());
        session.sync_tree();
        session.format_version = FORMAT_VERSION;
        session.revision += 1;
        session.updated = now_rfc3339();
        session.refresh_title();
        let result = match format::encode(session) {
            Ok(bytes) if bytes.len() as u64 > self.max_bytes => Err(StoreError::TooLarge {
                path: path.to_path_buf(),
                bytes: bytes.len() as u64,
                limit: self.max_bytes,
            }),
            Ok(bytes) => fsio::write_atomic(path, &bytes).map_err(|source| StoreError::Write {
                path: path.to_path_buf(),
                source,
            }),
            Err(e) => Err(StoreError::Encode {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }),
        };
        if result.is_err() {
            (session.revision, session.updated, session.title) = old;
            (session.tree, session.conversation.messages) = old_tree;
        }
        result
    }

    /// Reads one session file strictly.
    fn read_path(&self, path: &Path, id: &str) -> Result<Session, StoreError> {
        let meta = fs::metadata(path).map_err(|source| read_error(path, source))?;
        if !meta.is_file() {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                reason: "not a regular file".into(),
            });
        }
        if meta.len() > self.max_bytes {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                reason: format!(
                    "{} MiB is larger than any session ggchat writes ({} MiB)",
                    meta.len() >> 20,
                    self.max_bytes >> 20
                ),
            });
        }
        let bytes = fs::read(path).map_err(|source| read_error(path, source))?;
        format::decode(&bytes, id).map_err(|e| decode_error(path, e))
    }

    /// Reads every session file in turn (keeping at most one in memory), handing each readable
    /// one to `visit` and returning the problems.
    fn scan(&self, mut visit: impl FnMut(Session, &Path)) -> Vec<StoreProblem> {
        let mut problems = Vec::new();
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(StoreProblem {
                    path: self.dir.clone(),
                    reason: crate::tr!("store-problem-list-dir", reason = e.to_string()),
                });
                return problems;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let lossy = name.to_string_lossy();
            let Some(stem) = lossy
                .strip_suffix(".json")
                .filter(|_| !lossy.starts_with('.'))
            else {
                continue; // lock files, temporary files, anything else
            };
            let result = if name.to_str().is_none() || !stamp::is_valid_id(stem) {
                Err(StoreError::Corrupt {
                    path: path.clone(),
                    reason: "the file name cannot be a session id; rename it".into(),
                })
            } else {
                self.read_path(&path, stem)
            };
            match result {
                Ok(session) => visit(session, &path),
                Err(e) => problems.push(StoreProblem {
                    reason: e.problem_reason(),
                    path,
                }),
            }
        }
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        problems
    }

    /// All sessions, most recently updated first, and the files that could not be read.
    pub fn list(&self) -> (Vec<SessionSummary>, Vec<StoreProblem>) {
        let mut summaries = Vec::new();
        let problems =
            self.scan(|session, path| summaries.push(SessionSummary::of(&session, path)));
        sort_newest_first(&mut summaries, |s| s);
        (summaries, problems)
    }

    /// Finds a session by exact id, else unique id prefix, else case-insensitive exact title,
    /// else unique title substring. Several matches at the first stage that has any is
    /// [`StoreError::Ambiguous`], listing them.
    pub fn resolve(&self, id_or_title: &str) -> Result<SessionSummary, StoreError> {
        let query = id_or_title.trim();
        if stamp::is_valid_id(query) && self.path_of(query).is_file() {
            let path = self.path_of(query);
            return Ok(SessionSummary::of(&self.read_path(&path, query)?, &path));
        }
        let (summaries, _) = self.list();
        lookup::pick(query, &summaries).cloned()
    }

    /// Loads a session, found as [`Store::resolve`] does.
    pub fn load(&self, id_or_title: &str) -> Result<Session, StoreError> {
        let query = id_or_title.trim();
        if stamp::is_valid_id(query) && self.path_of(query).is_file() {
            return self.read_path(&self.path_of(query), query);
        }
        let summary = self.resolve(query)?;
        self.read_path(&summary.path, &summary.id)
    }

    /// Renames the session with this exact id (an empty title restores the automatic one).
    ///
    /// This is a save: a process that has the session open gets [`StoreError::Conflict`] on its
    /// next save, so in the chat screen rename the open [`Session`] and save it instead.
    pub fn rename(&self, id: &str, title: &str) -> Result<(), StoreError> {
        let path = self.checked_path(id)?;
        if !path.exists() {
            return Err(StoreError::NotFound {
                query: id.to_owned(),
            });
        }
        let _lock = self.lock(id)?;
        let mut session = self.read_path(&path, id)?;
        session.set_title(title);
        self.write_locked(&mut session, &path)
    }

    /// Deletes the session with this exact id (the caller confirms first). Works on unreadable
    /// files too, so that the user can get rid of them.
    ///
    /// The lock file goes too. A ggchat that still has the session open gets
    /// [`StoreError::Deleted`] on its next save instead of writing the session back (the chat
    /// then says so, and saves it as a new session only if the user goes on talking).
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        let path = self.checked_path(id)?;
        if fs::symlink_metadata(&path).is_err() {
            return Err(StoreError::NotFound {
                query: id.to_owned(),
            });
        }
        let lock = self.lock(id)?;
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::NotFound {
                    query: id.to_owned(),
                });
            }
            Err(source) => return Err(StoreError::Delete { path, source }),
        }
        fsio::remove_stale_temps(&self.dir, &format!("{id}.json"));
        let _ = fs::remove_file(fsio::lock_path(&self.dir, id));
        drop(lock);
        fsio::sync_dir(&self.dir);
        Ok(())
    }

    /// Imports a session exported as JSON (the session file format, any version this ggchat
    /// reads) as a new session: a new id, revision 0, every branch kept, and saved in the current
    /// format. The file is read strictly, like a session file; a bad one is an error naming it.
    pub fn import(&self, file: &Path) -> Result<Session, StoreError> {
        let meta = fs::metadata(file).map_err(|source| read_error(file, source))?;
        if meta.len() > self.max_bytes {
            return Err(StoreError::Corrupt {
                path: file.to_path_buf(),
                reason: format!(
                    "larger than any session ggchat writes ({} MiB)",
                    self.max_bytes >> 20
                ),
            });
        }
        let bytes = fs::read(file).map_err(|source| read_error(file, source))?;
        let id = stamp::new_id(SystemTime::now());
        let mut session = format::decode(&bytes, &id).map_err(|e| decode_error(file, e))?;
        session.revision = 0;
        self.save(&mut session)?;
        Ok(session)
    }

    /// Sessions whose title or message text, on any branch, contains `query` (case-insensitive), newest first,
    /// each with a snippet around its first match. Unreadable files are skipped (see `list`).
    pub fn search(&self, query: &str) -> Vec<SearchHit> {
        let needle = query.trim().to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        let mut hits = Vec::new();
        self.scan(|session, path| {
            if let Some((snippet, message_index, message_id)) =
                lookup::search_session(&session, &needle)
            {
                hits.push(SearchHit {
                    summary: SessionSummary::of(&session, path),
                    snippet,
                    message_index,
                    message_id,
                });
            }
        });
        sort_newest_first(&mut hits, |h| &h.summary);
        hits
    }
}
