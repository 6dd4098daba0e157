//! The file-system half of the store: private directories, per-session locks, atomic writes.
//!
//! A session file must never be seen half-written, even if ggchat is killed or the disk fills in
//! the middle of a save, and two ggchat processes on one session must not interleave their
//! writes. So every write goes to a fresh temporary file in the same directory, is fsynced, and
//! is renamed over the target (rename within a directory is atomic on POSIX file systems); the
//! directory is then fsynced so the rename itself survives a power cut. Writers of one session
//! serialize on an advisory lock (`flock` through [`File::try_lock`]) on `<id>.lock`. Readers
//! take no lock: thanks to the rename they always see a complete old or a complete new file.
//!
//! Everything is owner-only (directory 0700, files 0600) because conversations are private.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Creates `dir` (and its parents) owner-only, and tightens an existing one to 0700.
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700);
        builder.create(dir)?;
        // Best effort: a directory we do not own (a shared mount) still works, just less private.
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        Ok(())
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// The lock file of a session.
pub(crate) fn lock_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.lock"))
}

/// An exclusive advisory lock on one session, released when dropped (or when the process dies:
/// the kernel drops `flock` locks with the last descriptor, so a crash never leaves it stuck).
#[derive(Debug)]
pub(crate) struct SessionLock {
    _file: File,
}

/// Why a lock could not be taken.
#[derive(Debug)]
pub(crate) enum LockError {
    /// The lock file could not be opened or locked.
    Io(io::Error),
    /// Another process held it for longer than the timeout.
    TimedOut,
}

/// Takes the session's lock, waiting up to `timeout` for another writer to finish.
///
/// Writers hold the lock for one file write only, so the wait is normally milliseconds; the
/// timeout exists so that a hung process (or a file system without working `flock`) produces an
/// error instead of a frozen chat.
pub(crate) fn lock(dir: &Path, id: &str, timeout: Duration) -> Result<SessionLock, LockError> {
    let file = private_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path(dir, id))
        .map_err(LockError::Io)?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(SessionLock { _file: file }),
            Err(TryLockError::WouldBlock) if start.elapsed() < timeout => {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(TryLockError::WouldBlock) => return Err(LockError::TimedOut),
            Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
    }
}

/// The prefix of every temporary file for `file_name` (`.<file_name>.tmp.`): hidden, and not
/// ending in `.json`, so listing never mistakes one for a session.
fn temp_prefix(file_name: &str) -> String {
    format!(".{file_name}.tmp.")
}

/// Removes temporary files left by a writer of `file_name` that was killed mid-save.
///
/// Call only while holding the session's lock: then no live writer owns such a file.
pub(crate) fn remove_stale_temps(dir: &Path, file_name: &str) {
    let prefix = temp_prefix(file_name);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Fsyncs a directory so that a rename or unlink in it is durable. Errors are ignored: some file
/// systems refuse to fsync directories, and by then the data itself is safely in place.
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Replaces `target` with `bytes` atomically: on success the new content is durable; on any
/// error the previous file is untouched and the temporary file is gone.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let temp = dir.join(format!(
        "{}{}.{:08x}",
        temp_prefix(name),
        std::process::id(),
        super::stamp::random_u64() as u32
    ));
    let result = write_then_rename(&temp, target, bytes);
    match result {
        Ok(()) => {
            sync_dir(dir);
            Ok(())
        }
        Err(e) => {
            // NotFound is fine: the temporary file was never created.
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

fn write_then_rename(temp: &Path, target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = private_options().write(true).create_new(true).open(temp)?;
    let half = bytes.len() / 2;
    file.write_all(&bytes[..half])?;
    fail_point(FailPoint::MidWrite)?;
    file.write_all(&bytes[half..])?;
    file.sync_all()?;
    drop(file);
    fail_point(FailPoint::BeforeRename)?;
    fs::rename(temp, target)
}

/// Where a test can make [`write_atomic`] fail, to check that a failed save keeps the old file.
///
/// Tests run as root, where a read-only directory does not stop writes, so failures are injected
/// here instead (per thread, so parallel tests do not see each other's failures). The real
/// disk-full case is covered by a child process with a small `RLIMIT_FSIZE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailPoint {
    /// After half the bytes were written to the temporary file (a full disk).
    MidWrite,
    /// After the temporary file was synced, before the rename.
    BeforeRename,
}

#[cfg(test)]
thread_local! {
    pub(crate) static FAIL_AT: std::cell::Cell<Option<FailPoint>> = const { std::cell::Cell::new(None) };
}

#[cfg(test)]
fn fail_point(here: FailPoint) -> io::Result<()> {
    if FAIL_AT.with(|f| f.get()) == Some(here) {
        return Err(io::Error::new(
            io::ErrorKind::StorageFull,
            "No space left on device (injected by a test)",
        ));
    }
    Ok(())
}

#[cfg(not(test))]
#[inline(always)]
fn fail_point(_: FailPoint) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_replace_and_leave_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        write_atomic(&target, b"one").unwrap();
        write_atomic(&target, b"two, longer").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two, longer");
        assert_eq!(names(dir.path()), ["a.json"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn injected_failures_keep_the_old_file_and_remove_the_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        write_atomic(&target, b"old").unwrap();
        for point in [FailPoint::MidWrite, FailPoint::BeforeRename] {
            FAIL_AT.with(|f| f.set(Some(point)));
            let err = write_atomic(&target, b"new content").unwrap_err();
            FAIL_AT.with(|f| f.set(None));
            assert_eq!(err.kind(), io::ErrorKind::StorageFull);
            assert_eq!(fs::read(&target).unwrap(), b"old", "{point:?}");
            assert_eq!(names(dir.path()), ["a.json"], "{point:?}");
        }
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("gone").join("a.json");
        assert_eq!(
            write_atomic(&target, b"x").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn stale_temporaries_of_one_session_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        for name in [".a.json.tmp.1.2", ".b.json.tmp.1.2", "a.json", "a.lock"] {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        remove_stale_temps(dir.path(), "a.json");
        assert_eq!(names(dir.path()), [".b.json.tmp.1.2", "a.json", "a.lock"]);
    }

    #[test]
    fn the_lock_excludes_a_second_holder_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path(), "s", Duration::from_secs(1)).unwrap();
        assert!(matches!(
            lock(dir.path(), "s", Duration::from_millis(30)),
            Err(LockError::TimedOut)
        ));
        // Not ZERO: a child process forked by a parallel test inherits the descriptor (and so
        // the lock) for the instant before it execs.
        let wait = Duration::from_secs(5);
        assert!(lock(dir.path(), "other", wait).is_ok());
        drop(held);
        assert!(lock(dir.path(), "s", wait).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn private_dir_is_0700_even_if_it_existed() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data/sessions");
        create_private_dir(&dir).unwrap();
        assert_eq!(
            fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&dir).unwrap();
        assert_eq!(
            fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
}
