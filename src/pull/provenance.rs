//! Where a pulled file came from: `NAME.gguf.source.json` beside it.
//!
//! The hub, repo, revision, file and sha256 let a user (or `ggchat models`) tell two files of the
//! same name apart and check a file again later; a hand-copied model simply has none.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// "huggingface" or "modelscope".
    pub source: String,
    pub endpoint: String,
    pub repo: String,
    pub revision: String,
    /// The file's path in the repo.
    pub file: String,
    pub size: u64,
    /// Of the downloaded bytes, hex.
    pub sha256: String,
    /// Whether the hub published this sha256 and it matched (false: the hub published none).
    pub sha256_verified: bool,
    /// RFC 3339, UTC.
    pub date: String,
}

/// The provenance file of `model`.
pub fn path_for(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_owned();
    name.push(".source.json");
    PathBuf::from(name)
}

/// Reads the provenance of `model`, if it has a readable one.
pub fn read(model: &Path) -> Option<Provenance> {
    let text = std::fs::read_to_string(path_for(model)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Writes the provenance of `model` atomically.
pub fn write(model: &Path, p: &Provenance) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(p).map_err(std::io::Error::other)?;
    crate::fsutil::write_private_atomic(&path_for(model), format!("{text}\n").as_bytes())
}

/// "2026-12-03T10:40:00Z" for a time as seconds since the Unix epoch.
pub fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Now, as [`rfc3339`].
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_796_256_000 + 3_723), "2026-12-03T01:02:03Z");
    }

    #[test]
    fn provenance_round_trips_beside_the_model() {
        let dir = tempfile::tempdir().unwrap();
        let model = dir.path().join("m.gguf");
        let p = Provenance {
            source: "huggingface".into(),
            endpoint: "https://huggingface.co".into(),
            repo: "o/r".into(),
            revision: "main".into(),
            file: "m.gguf".into(),
            size: 3,
            sha256: "ab".into(),
            sha256_verified: true,
            date: now(),
        };
        write(&model, &p).unwrap();
        assert!(dir.path().join("m.gguf.source.json").is_file());
        assert_eq!(read(&model), Some(p));
    }
}
