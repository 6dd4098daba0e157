//! A bounded, position-tracking little-endian reader.
//!
//! Why: every length and count in a GGUF header is attacker-controlled. This
//! reader knows the total size of its source up front and refuses any read,
//! skip or count that could not fit in the bytes that remain *before* it
//! allocates or loops. That single rule is what keeps memory bounded by the
//! file size and parsing time linear in the bytes actually present. It is
//! generic over [`Read`] so that files (through a `BufReader`) and in-memory
//! slices (for fuzzing) share one code path.

use std::io::{self, Read};
use std::path::Path;

use super::GgufError;

/// Largest up-front allocation for data read from the source; bigger values
/// grow as bytes actually arrive, so a lying length cannot reserve memory.
const MAX_PREALLOC: u64 = 64 * 1024;
/// Chunk size for skipping bytes (strings in arrays, fixed-size arrays).
const SKIP_CHUNK: usize = 8 * 1024;

pub(crate) struct Source<'p, R> {
    inner: R,
    pos: u64,
    len: u64,
    path: &'p Path,
    /// What is being read, for error messages ("metadata key 3 ('general.name')").
    pub(crate) ctx: String,
    /// Reused buffer for skipped bytes.
    scratch: Box<[u8; SKIP_CHUNK]>,
}

impl<'p, R: Read> Source<'p, R> {
    pub(crate) fn new(inner: R, len: u64, path: &'p Path) -> Self {
        Source {
            inner,
            pos: 0,
            len,
            path,
            ctx: String::from("the header"),
            scratch: Box::new([0; SKIP_CHUNK]),
        }
    }

    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    pub(crate) fn path(&self) -> &'p Path {
        self.path
    }

    pub(crate) fn remaining(&self) -> u64 {
        self.len.saturating_sub(self.pos)
    }

    pub(crate) fn truncated(&self, what: String) -> GgufError {
        GgufError::Truncated {
            path: self.path.to_path_buf(),
            what,
            file_size: self.len,
        }
    }

    /// Fails unless `n` more bytes exist.
    pub(crate) fn ensure(&self, n: u64) -> Result<(), GgufError> {
        if n <= self.remaining() {
            Ok(())
        } else {
            Err(self.truncated(format!(
                "{} needs {n} more bytes at byte {}",
                self.ctx, self.pos
            )))
        }
    }

    /// Fails unless `count` items of at least `min_size` bytes each fit in
    /// the rest of the file. `label` names the count ("tensor count").
    pub(crate) fn check_count(
        &self,
        count: u64,
        min_size: u64,
        label: &str,
    ) -> Result<(), GgufError> {
        match count.checked_mul(min_size) {
            Some(needed) if needed <= self.remaining() => Ok(()),
            // Could fit in a longer file: most likely a cut-off download.
            Some(needed) if needed <= self.len => Err(self.truncated(format!(
                "{label} in {} is {count}, needing at least {needed} bytes from byte {},",
                self.ctx, self.pos
            ))),
            // Cannot fit in this file at all: corrupt or crafted.
            _ => Err(GgufError::CountTooLarge {
                path: self.path.to_path_buf(),
                what: format!("{label} {count} in {}", self.ctx),
                file_size: self.len,
            }),
        }
    }

    fn map_read_err(&self, e: io::Error) -> GgufError {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            // The file was shorter than its reported size (shrank while reading).
            self.truncated(format!("{} hit end of data at byte {}", self.ctx, self.pos))
        } else {
            GgufError::from_io(self.path, e)
        }
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], GgufError> {
        self.ensure(N as u64)?;
        let mut buf = [0u8; N];
        self.inner
            .read_exact(&mut buf)
            .map_err(|e| self.map_read_err(e))?;
        self.pos += N as u64;
        Ok(buf)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, GgufError> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u16(&mut self) -> Result<u16, GgufError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, GgufError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, GgufError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// Reads exactly `n` bytes; the allocation grows only as data arrives.
    pub(crate) fn bytes(&mut self, n: u64) -> Result<Vec<u8>, GgufError> {
        self.ensure(n)?;
        let mut out = Vec::with_capacity(n.min(MAX_PREALLOC) as usize);
        let got = (&mut self.inner)
            .take(n)
            .read_to_end(&mut out)
            .map_err(|e| self.map_read_err(e))?;
        self.pos += got as u64;
        if got as u64 != n {
            return Err(self.map_read_err(io::ErrorKind::UnexpectedEof.into()));
        }
        Ok(out)
    }

    /// Skips `n` bytes without keeping them.
    pub(crate) fn skip(&mut self, n: u64) -> Result<(), GgufError> {
        self.ensure(n)?;
        let mut left = n;
        while left > 0 {
            let chunk = left.min(SKIP_CHUNK as u64) as usize;
            self.inner
                .read_exact(&mut self.scratch[..chunk])
                .map_err(|e| self.map_read_err(e))?;
            self.pos += chunk as u64;
            left -= chunk as u64;
        }
        Ok(())
    }

    /// Reads a string length prefix and checks it fits in the file.
    pub(crate) fn string_len(&mut self, label: &str) -> Result<u64, GgufError> {
        let len = self.u64()?;
        self.check_count(len, 1, label)?;
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(bytes: &[u8]) -> Source<'static, &[u8]> {
        Source::new(bytes, bytes.len() as u64, Path::new("mem"))
    }

    #[test]
    fn reads_little_endian_and_tracks_position() {
        let data = [1u8, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 9];
        let mut s = src(&data);
        assert_eq!(s.u16().unwrap(), 1);
        assert_eq!(s.u32().unwrap(), 2);
        assert_eq!(s.u64().unwrap(), 3);
        assert_eq!(s.pos(), 14);
        assert_eq!(s.remaining(), 1);
        assert!(matches!(s.u16(), Err(GgufError::Truncated { .. })));
        assert_eq!(s.u8().unwrap(), 9);
    }

    #[test]
    fn counts_are_checked_against_remaining_bytes() {
        let data = [0u8; 100];
        let s = src(&data);
        assert!(s.check_count(100, 1, "n").is_ok());
        let e = s.check_count(51, 2, "array length").unwrap_err();
        assert!(matches!(e, GgufError::CountTooLarge { .. }), "{e}");
        assert!(e.to_string().contains("array length 51"), "{e}");
        let e = s.check_count(1 << 60, 24, "tensor count").unwrap_err();
        assert!(
            e.to_string().contains("cannot fit in a file of 100 bytes"),
            "{e}"
        );
        let mut s = src(&data);
        s.skip(60).unwrap();
        let e = s.check_count(50, 1, "string length").unwrap_err();
        assert!(matches!(e, GgufError::Truncated { .. }), "{e}");
    }

    #[test]
    fn bytes_and_skip_respect_bounds() {
        let data: Vec<u8> = (0..20).collect();
        let mut s = src(&data);
        s.skip(5).unwrap();
        assert_eq!(s.bytes(3).unwrap(), vec![5, 6, 7]);
        assert!(s.bytes(13).is_err());
        assert!(s.skip(u64::MAX).is_err());
        assert_eq!(s.pos(), 8, "failed reads must not move the position");
    }

    #[test]
    fn short_source_is_reported_as_truncated() {
        // Claims 10 bytes but only has 4: simulates a file that shrank.
        let data = [1u8, 2, 3, 4];
        let mut s = Source::new(&data[..], 10, Path::new("mem"));
        let e = s.bytes(8).unwrap_err();
        assert!(matches!(e, GgufError::Truncated { .. }), "{e}");
    }
}
