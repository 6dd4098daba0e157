//! Timestamps, session ids and model fingerprints, with no extra crates.
//!
//! Session files carry RFC 3339 UTC times and time-based ids so that they read well and sort by
//! name in a directory listing. ggchat has no date crate, so the civil-date conversion lives here
//! (Howard Hinnant's `days_from_civil` / `civil_from_days`, exact for the proleptic Gregorian
//! calendar). Model fingerprints use FNV-1a 64 because its output is fixed by its definition:
//! `std`'s `DefaultHasher` may change between Rust releases, which would make every saved
//! fingerprint look like a different model.

use std::collections::hash_map::RandomState;
use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds and nanoseconds since the Unix epoch; negative seconds before 1970.
pub type UnixTime = (i64, u32);

fn unix_time(t: SystemTime) -> UnixTime {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        // A clock before 1970 is broken; 1970 sorts first and is obviously wrong, which is fine.
        Err(_) => (0, 0),
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month 1–12, day 1–31) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // The casts cannot truncate: d is 1..=31 and m is 1..=12 by construction.
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Splits a Unix time into (year, month, day, hour, minute, second).
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400) as u32; // 0..86400 fits
    (y, mo, d, s / 3600, s / 60 % 60, s % 60)
}

/// `2026-11-28T11:42:33.123Z`: RFC 3339, UTC, millisecond precision.
pub fn format_rfc3339(t: SystemTime) -> String {
    let (secs, nanos) = unix_time(t);
    let (y, mo, d, h, mi, s) = civil(secs);
    format!(
        "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
        nanos / 1_000_000
    )
}

/// The current time as [`format_rfc3339`] writes it.
pub fn now_rfc3339() -> String {
    format_rfc3339(SystemTime::now())
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses an RFC 3339 time (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`) into a Unix time.
///
/// Accepts what people write by hand (lowercase `t`/`z`, a space for `T`, any offset) so that an
/// edited file still sorts correctly; returns `None` for anything else.
pub fn parse_rfc3339(s: &str) -> Option<UnixTime> {
    let b = s.as_bytes();
    if b.len() < 20 || !s.is_ascii() || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let y = i64::from(digits(&s[0..4])?);
    let (mo, d) = (digits(&s[5..7])?, digits(&s[8..10])?);
    let (h, mi, sec) = (
        digits(&s[11..13])?,
        digits(&s[14..16])?,
        digits(&s[17..19])?,
    );
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 {
        return None;
    }
    // A leap second (:60) is kept as :59 so that it stays inside its minute.
    let sec = match sec {
        0..=59 => sec,
        60 => 59,
        _ => return None,
    };
    let mut rest = &s[19..];
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let len = frac.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        for (i, c) in frac.bytes().take(9).take(len).enumerate() {
            nanos += u32::from(c - b'0') * 10u32.pow(8 - i as u32);
        }
        rest = &frac[len..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let (oh, om) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = i64::from(oh * 3600 + om * 60);
            match rest.as_bytes()[0] {
                b'+' => off,
                b'-' => -off,
                _ => return None,
            }
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + sec) - offset;
    Some((secs, nanos))
}

/// 64 random bits, different on every call (seeded by the OS through `RandomState`).
pub fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(unix_time(SystemTime::now()).1);
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// A new session id such as `20261128-114233-3f9a`: the UTC time, then 16 random bits.
///
/// Ids sort by creation time and stay short enough to type; two sessions created in the same
/// second collide with probability 1/65536, which [`super::Store::save`] detects and resolves by
/// drawing a new id.
pub fn new_id(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = civil(unix_time(t).0);
    let r = random_u64() & 0xffff;
    format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}-{r:04x}")
}

/// Whether `id` can name a session file: non-empty, at most 200 bytes, no path separators,
/// control characters or leading dot (so it can never leave the sessions directory or name a
/// hidden temporary file).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && !id.chars().any(|c| c == '/' || c == '\\' || c.is_control())
}

/// FNV-1a, 64-bit: tiny, stable, and good enough to tell model files apart.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a64(u64);

impl Default for Fnv1a64 {
    fn default() -> Self {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a64 {
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

/// How many bytes of each end of a model file the fingerprint reads.
pub const FINGERPRINT_SPAN: u64 = 64 * 1024;

/// A model file's fingerprint: 16 lowercase hex digits of FNV-1a 64 over the file size (8 bytes,
/// little-endian), then its first 64 KiB, then its last 64 KiB (the whole file twice when it is
/// smaller than that).
///
/// Reads at most 128 KiB, so it is instant even for a 70 GB model, and tells apart files with the
/// same name but another quantization or revision (their headers and tails differ).
pub fn fingerprint(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let size = file.metadata()?.len();
    let span = size.min(FINGERPRINT_SPAN);
    let mut buf = vec![0u8; usize::try_from(span).unwrap_or(0)];
    let mut hash = Fnv1a64::default();
    hash.update(&size.to_le_bytes());
    file.read_exact(&mut buf)?;
    hash.update(&buf);
    file.seek(SeekFrom::Start(size - span))?;
    file.read_exact(&mut buf)?;
    hash.update(&buf);
    Ok(format!("{:016x}", hash.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(secs: u64, millis: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis)
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_rfc3339(at(0, 0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format_rfc3339(at(951_782_400, 5)),
            "2000-02-29T00:00:00.005Z"
        );
        assert_eq!(
            format_rfc3339(at(1_795_866_153, 123)),
            "2026-11-28T11:42:33.123Z"
        );
        assert_eq!(
            format_rfc3339(at(4_107_542_399, 999)),
            "2100-02-28T23:59:59.999Z"
        );
    }

    #[test]
    fn civil_conversion_round_trips_every_day_for_centuries() {
        for z in -200_000..200_000 {
            let (y, m, d) = civil_from_days(z);
            assert!(d >= 1 && d <= days_in_month(y, m), "{y}-{m}-{d}");
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn parses_what_it_writes_and_common_variants() {
        for secs in [0u64, 951_782_400, 1_795_866_153, 4_107_542_399] {
            let t = at(secs, 250);
            assert_eq!(
                parse_rfc3339(&format_rfc3339(t)),
                Some((secs as i64, 250_000_000))
            );
        }
        assert_eq!(
            parse_rfc3339("2026-11-28t11:42:33z"),
            Some((1_795_866_153, 0))
        );
        assert_eq!(
            parse_rfc3339("2026-11-28 12:42:33+01:00"),
            Some((1_795_866_153, 0))
        );
        assert_eq!(
            parse_rfc3339("2026-11-28T10:42:33.5-01:00"),
            Some((1_795_866_153, 500_000_000))
        );
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            parse_rfc3339("2016-12-31T23:59:59Z")
        );
        for bad in [
            "",
            "yesterday",
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-28T24:00:00Z",
            "2026-11-28T11:42:33",
            "2026-11-28T11:42:33.Z",
            "2026-11-28T11:42:33+1:00",
            "+026-11-28T11:42:33Z",
            "2026-11-28T11:42:33Zjunk",
            "２０２６-11-28T11:42:33Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn ids_are_sortable_and_distinct() {
        let a = new_id(at(1_795_866_153, 0));
        assert!(a.starts_with("20261128-114233-"), "{a}");
        assert_eq!(a.len(), "20261128-114233-3f9a".len());
        assert!(is_valid_id(&a));
        let many: std::collections::HashSet<_> = (0..200).map(|_| random_u64()).collect();
        assert_eq!(many.len(), 200);
        for bad in ["", ".hidden", "a/b", "..\\x", "a\nb", &"x".repeat(201)] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn fnv_matches_reference_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv1a64::default();
            h.update(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprint_sees_size_head_and_tail_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.gguf");
        let mut data = vec![7u8; 300 * 1024];
        std::fs::write(&path, &data).unwrap();
        let base = fingerprint(&path).unwrap();
        assert_eq!(base.len(), 16);
        assert_eq!(fingerprint(&path).unwrap(), base, "stable");
        data[150 * 1024] = 8; // the middle is not read
        std::fs::write(&path, &data).unwrap();
        assert_eq!(fingerprint(&path).unwrap(), base);
        data[300 * 1024 - 1] = 8; // the tail is
        std::fs::write(&path, &data).unwrap();
        assert_ne!(fingerprint(&path).unwrap(), base);
        std::fs::write(&path, b"tiny").unwrap();
        assert_eq!(fingerprint(&path).unwrap().len(), 16);
        std::fs::write(&path, b"").unwrap();
        assert_eq!(fingerprint(&path).unwrap().len(), 16);
        assert!(fingerprint(&dir.path().join("missing")).is_err());
    }
}
