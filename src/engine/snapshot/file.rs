//! The snapshot file: a checksummed envelope around one sequence's KV state.
//!
//! ```text
//! "GGCHATKV"            8 bytes, magic
//! version               u32 little-endian (1)
//! header length         u32 little-endian
//! header                JSON: validation key, token count and hash, slot bookkeeping, state size
//! tokens                i32 little-endian each, the tokens the state holds, position by position
//! state                 llama.cpp's bytes for the sequence
//! SHA-256               32 bytes, of everything above
//! ```
//!
//! The checksum covers the whole file, so a truncated file, a flipped bit anywhere or a write cut
//! short is refused before any byte reaches llama.cpp. The file is written with
//! `fsutil::write_private_atomic` (temporary file, fsync, rename; owner-only), so a reader sees
//! either the previous snapshot or the new one, never a mix.

use super::SnapshotKey;
use super::raw::VerifiedState;
use llama_cpp_2::token::LlamaToken;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::Path;

const MAGIC: &[u8; 8] = b"GGCHATKV";
pub const VERSION: u32 = 1;
const DIGEST_LEN: usize = 32;
/// A header is a few hundred bytes; anything much larger is not one ggchat wrote.
const MAX_HEADER: usize = 64 * 1024;

/// Why a snapshot file was not used (logged; the prompt is then evaluated as without one).
#[derive(Debug, thiserror::Error)]
pub enum Rejected {
    #[error("cannot read it: {0}")]
    Io(#[from] std::io::Error),
    #[error("it is not a ggchat KV snapshot (bad magic)")]
    Magic,
    #[error("it has format version {0}; this ggchat reads version {VERSION}")]
    Version(u32),
    #[error("it is truncated or corrupt (checksum mismatch)")]
    Checksum,
    #[error("its header is malformed: {0}")]
    Header(String),
    #[error("it was made with other settings ({0})")]
    Key(String),
    #[error("it is larger than the snapshot cache ({size} bytes)")]
    TooLarge { size: u64 },
}

/// What the header records besides the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    key: SnapshotKey,
    tokens: usize,
    /// SHA-256 of the tokens, hex: the prefix the state holds.
    tokens_sha256: String,
    dropped_turns: usize,
    last_evaluated: [usize; 2],
    state_bytes: usize,
}

/// A slot's bookkeeping that travels with its state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SlotRecord {
    pub tokens: Vec<LlamaToken>,
    pub dropped_turns: usize,
    pub last_evaluated: Range<usize>,
}

/// A snapshot read back and checked: its state may be handed to llama.cpp.
#[derive(Debug)]
pub struct Loaded {
    pub record: SlotRecord,
    bytes: Vec<u8>,
    state: Range<usize>,
}

impl Loaded {
    pub fn state(&self) -> VerifiedState<'_> {
        VerifiedState::new(&self.bytes[self.state.clone()])
    }
}

fn tokens_hash(tokens: &[LlamaToken]) -> String {
    let mut hash = Sha256::new();
    for t in tokens {
        hash.update(t.0.to_le_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a snapshot file.
pub fn encode(key: &SnapshotKey, record: &SlotRecord, state: &[u8]) -> Vec<u8> {
    let header = Header {
        key: key.clone(),
        tokens: record.tokens.len(),
        tokens_sha256: tokens_hash(&record.tokens),
        dropped_turns: record.dropped_turns,
        last_evaluated: [record.last_evaluated.start, record.last_evaluated.end],
        state_bytes: state.len(),
    };
    let header = serde_json::to_vec(&header).expect("a header always serializes");
    let mut out =
        Vec::with_capacity(16 + header.len() + record.tokens.len() * 4 + state.len() + DIGEST_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(&header);
    for t in &record.tokens {
        out.extend_from_slice(&t.0.to_le_bytes());
    }
    out.extend_from_slice(state);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

/// Reads `path` (at most `max_bytes`) and checks it against `key`.
pub fn read(path: &Path, key: &SnapshotKey, max_bytes: u64) -> Result<Loaded, Rejected> {
    let size = std::fs::metadata(path)?.len();
    if size > max_bytes {
        return Err(Rejected::TooLarge { size });
    }
    decode(std::fs::read(path)?, key)
}

/// Checks and splits the bytes of a snapshot file.
pub fn decode(bytes: Vec<u8>, key: &SnapshotKey) -> Result<Loaded, Rejected> {
    if bytes.len() < 16 + DIGEST_LEN || &bytes[..8] != MAGIC {
        return Err(if bytes.len() >= 8 && &bytes[..8] != MAGIC {
            Rejected::Magic
        } else {
            Rejected::Checksum
        });
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version != VERSION {
        return Err(Rejected::Version(version));
    }
    let body = bytes.len() - DIGEST_LEN;
    if Sha256::digest(&bytes[..body])[..] != bytes[body..] {
        return Err(Rejected::Checksum);
    }
    let header_len = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
    if header_len > MAX_HEADER || 16 + header_len > body {
        return Err(Rejected::Header(format!("header length {header_len}")));
    }
    let header: Header = serde_json::from_slice(&bytes[16..16 + header_len])
        .map_err(|e| Rejected::Header(e.to_string()))?;
    if header.key != *key {
        return Err(Rejected::Key(key.difference(&header.key)));
    }
    let tokens_at = 16 + header_len;
    let state_at = header
        .tokens
        .checked_mul(4)
        .and_then(|n| n.checked_add(tokens_at))
        .filter(|&at| at.checked_add(header.state_bytes) == Some(body))
        .ok_or_else(|| Rejected::Header("sizes do not add up".into()))?;
    let tokens: Vec<LlamaToken> = bytes[tokens_at..state_at]
        .chunks_exact(4)
        .map(|c| LlamaToken::new(i32::from_le_bytes(c.try_into().expect("4 bytes"))))
        .collect();
    if tokens_hash(&tokens) != header.tokens_sha256 {
        return Err(Rejected::Header(
            "the tokens do not match their hash".into(),
        ));
    }
    let [start, end] = header.last_evaluated;
    Ok(Loaded {
        record: SlotRecord {
            tokens,
            dropped_turns: header.dropped_turns,
            last_evaluated: start.min(end)..end,
        },
        bytes,
        state: state_at..body,
    })
}
