//! Creating files that may hold conversation text or settings: owner-only (0600).
//!
//! Sessions are private, and so is everything derived from them: the log (it can quote prompts
//! and model output), exports, and the config file (system prompt, model paths). Each is created
//! with mode 0600 from the start, never created world-readable and tightened afterwards, so no
//! other user can open it in between. An existing regular file is tightened as well; special
//! files (`-o /dev/stdout`, a pipe) are left as they are.
//!
//! Use [`create_private`] for a file written in one go (an export), [`append_private`] for a log,
//! and [`write_private_atomic`] for a file that must never be seen half-written (the config: a
//! temporary file in the same folder, fsync, rename).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Tightens an existing regular file to 0600 (the mode only applies when a file is created).
/// Best effort: a file the user does not own keeps its mode.
fn tighten(file: &File) {
    #[cfg(unix)]
    if file.metadata().is_ok_and(|m| m.is_file()) {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Creates (or truncates) `path` for writing, owner-only.
pub fn create_private(path: &Path) -> io::Result<File> {
    let file = private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    tighten(&file);
    Ok(file)
}

/// Opens `path` for appending, creating it owner-only.
pub fn append_private(path: &Path) -> io::Result<File> {
    let file = private_options().create(true).append(true).open(path)?;
    tighten(&file);
    Ok(file)
}

/// Replaces `path` with `bytes` atomically (temporary file, fsync, rename, fsync of the folder);
/// the result is owner-only. On error the previous file is untouched.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::store::write_atomic(path, bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_and_existing_files_end_up_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.md");
        create_private(&fresh).unwrap().write_all(b"x").unwrap();
        assert_eq!(mode(&fresh), 0o600);
        let log = dir.path().join("a.log");
        append_private(&log).unwrap().write_all(b"1\n").unwrap();
        assert_eq!(mode(&log), 0o600);
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        append_private(&log).unwrap().write_all(b"2\n").unwrap();
        assert_eq!(mode(&log), 0o600);
        assert_eq!(std::fs::read(&log).unwrap(), b"1\n2\n");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "old").unwrap();
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private_atomic(&config, b"new").unwrap();
        assert_eq!(mode(&config), 0o600);
        assert_eq!(std::fs::read(&config).unwrap(), b"new");
    }

    #[test]
    fn special_files_keep_their_mode() {
        let before = mode(Path::new("/dev/null"));
        create_private(Path::new("/dev/null")).unwrap();
        assert_eq!(mode(Path::new("/dev/null")), before);
    }
}
