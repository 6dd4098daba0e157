//! The GGUF header parser.
//!
//! Why it is written this way: the parser walks the header once, front to
//! back, through a [`Source`] that refuses any count or length the rest of
//! the file cannot hold. Values are validated as they stream past; only
//! scalars, short strings and the chat template are kept, so a 150k-token
//! vocabulary costs time proportional to its bytes and no memory. The
//! checks mirror (and in places exceed) those of llama.cpp's `gguf.cpp`, so a
//! file that passes here should not reach any of its error paths.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use super::reader::Source;
use super::tensors::{check_tensor_placement, read_tensor_infos};
use super::types::{self, value_type as vt};
use super::{
    CHAT_TEMPLATE_KEY, DEFAULT_ALIGNMENT, GgufError, GgufFile, MAX_ARRAY_NESTING,
    MAX_KEPT_STRING_LEN, MAX_KEY_LEN, MetaValue,
};

const GGUF_MAGIC: [u8; 4] = *b"GGUF";
/// Smallest tensor info: empty name (8-byte length), n_dims 0, type, offset.
const MIN_TENSOR_INFO: u64 = 8 + 4 + 4 + 8;
/// Smallest key/value pair: empty key (8-byte length), value type, 1-byte value.
const MIN_KV: u64 = 8 + 4 + 1;
/// Longest tensor/key name shown in error messages.
const SHOWN_NAME_LEN: usize = 120;

pub(crate) fn parse<R: Read>(
    reader: R,
    file_size: u64,
    path: &Path,
) -> Result<GgufFile, GgufError> {
    if file_size == 0 {
        return Err(GgufError::Empty { path: path.into() });
    }
    let mut src = Source::new(reader, file_size, path);
    check_magic(&mut src)?;
    let version = src.u32()?;
    check_version(version, path)?;
    let tensor_count = src.u64()?;
    let kv_count = src.u64()?;
    src.check_count(tensor_count, MIN_TENSOR_INFO, "tensor count")?;
    src.check_count(kv_count, MIN_KV, "metadata key count")?;
    let together = tensor_count
        .checked_mul(MIN_TENSOR_INFO)
        .zip(kv_count.checked_mul(MIN_KV))
        .and_then(|(a, b)| a.checked_add(b));
    src.check_count(
        together.unwrap_or(u64::MAX),
        1,
        "minimum header size for these tensor and key counts",
    )?;

    let metadata = read_metadata(&mut src, kv_count)?;
    let alignment = read_alignment(&metadata, path)?;
    let tensors = read_tensor_infos(&mut src, tensor_count)?;

    let header_end = src.pos();
    let data_offset = header_end
        .checked_next_multiple_of(alignment)
        .unwrap_or(u64::MAX);
    for t in &tensors {
        check_tensor_placement(t, data_offset, alignment, file_size, path)?;
    }
    Ok(GgufFile {
        path: path.to_path_buf(),
        file_size,
        version,
        tensor_count,
        metadata,
        tensors,
        data_offset,
        alignment,
    })
}

/// Escapes control characters and shortens a name taken from the file, so
/// that error messages cannot inject terminal escape sequences.
pub(crate) fn shown(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().take(SHOWN_NAME_LEN) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if name.chars().nth(SHOWN_NAME_LEN).is_some() {
        out.push('…');
    }
    out
}

fn check_magic<R: Read>(src: &mut Source<'_, R>) -> Result<(), GgufError> {
    let n = src.remaining().min(4);
    let found = src.bytes(n)?;
    if found[..] != GGUF_MAGIC[..found.len()] {
        let hex: String = found.iter().map(|b| format!("{b:02X}")).collect();
        return Err(GgufError::BadMagic {
            path: src.path().into(),
            found: format!("0x{hex} \"{}\"", found.escape_ascii()),
            hint: magic_hint(&found),
        });
    }
    if n < 4 {
        return Err(src.truncated(format!("the file is only {n} bytes long,")));
    }
    Ok(())
}

/// Recognizes common wrong files so the hint can say what happened.
fn magic_hint(found: &[u8]) -> &'static str {
    match found {
        [b'<', ..] => {
            "it looks like an HTML/XML page (an error page saved instead of the model?); re-download the model"
        }
        [b'v', b'e', b'r', b's', ..] => {
            "it looks like a Git LFS pointer, not the model itself; run `git lfs pull` or download the file directly"
        }
        [b'{', ..] => "it looks like a JSON file, not a model; choose the .gguf file",
        [b'P', b'K', 3, 4, ..] => {
            "it looks like a ZIP archive (PyTorch checkpoint?); download a GGUF conversion of the model"
        }
        b"lmgg" | b"tjgg" | b"fmgg" | b"algg" => {
            "this is a legacy GGML/GGJT model; download a GGUF version of the model"
        }
        _ => {
            "ggchat can only load GGUF (.gguf) models; re-download the model or choose another file"
        }
    }
}

fn check_version(version: u32, path: &Path) -> Result<(), GgufError> {
    let hint = match version {
        2 | 3 => return Ok(()),
        0 => "the file is corrupt; re-download the model",
        1 => "GGUF version 1 is obsolete; download a recent conversion of the model",
        v if matches!(v.swap_bytes(), 1..=3) => {
            "this is a big-endian GGUF file; download the little-endian version of the model"
        }
        _ => "the file needs a newer ggchat, or it is corrupt",
    };
    Err(GgufError::UnsupportedVersion {
        path: path.into(),
        version,
        hint,
    })
}

fn read_metadata<R: Read>(
    src: &mut Source<'_, R>,
    kv_count: u64,
) -> Result<Vec<(String, MetaValue)>, GgufError> {
    let mut metadata = Vec::with_capacity(kv_count.min(256) as usize);
    let mut seen = HashSet::new();
    for index in 0..kv_count {
        src.ctx = format!("metadata key {index}");
        let key = read_key(src, index)?;
        src.ctx = format!("metadata key {index} ('{}')", shown(&key));
        if !seen.insert(key.clone()) {
            return Err(GgufError::DuplicateKey {
                path: src.path().into(),
                key: shown(&key),
            });
        }
        let vtype = src.u32()?;
        let value = read_value(src, vtype, &key)?;
        metadata.push((key, value));
    }
    Ok(metadata)
}

fn read_key<R: Read>(src: &mut Source<'_, R>, index: u64) -> Result<String, GgufError> {
    let offset = src.pos();
    let len = src.string_len("key length")?;
    if len == 0 {
        return Err(GgufError::EmptyKey {
            path: src.path().into(),
            index,
            offset,
        });
    }
    if len > MAX_KEY_LEN {
        return Err(GgufError::NameTooLong {
            path: src.path().into(),
            what: format!("metadata key {index}"),
            offset,
            len,
            max: MAX_KEY_LEN,
        });
    }
    String::from_utf8(src.bytes(len)?).map_err(|_| GgufError::InvalidUtf8 {
        path: src.path().into(),
        what: format!("metadata key {index}"),
        offset,
    })
}

fn read_value<R: Read>(
    src: &mut Source<'_, R>,
    vtype: u32,
    key: &str,
) -> Result<MetaValue, GgufError> {
    Ok(match vtype {
        vt::U8 => MetaValue::U8(src.u8()?),
        vt::I8 => MetaValue::I8(i8::from_le_bytes(src.array()?)),
        vt::U16 => MetaValue::U16(src.u16()?),
        vt::I16 => MetaValue::I16(i16::from_le_bytes(src.array()?)),
        vt::U32 => MetaValue::U32(src.u32()?),
        vt::I32 => MetaValue::I32(i32::from_le_bytes(src.array()?)),
        vt::F32 => MetaValue::F32(f32::from_le_bytes(src.array()?)),
        vt::BOOL => MetaValue::Bool(src.u8()? != 0),
        vt::U64 => MetaValue::U64(src.u64()?),
        vt::I64 => MetaValue::I64(i64::from_le_bytes(src.array()?)),
        vt::F64 => MetaValue::F64(f64::from_le_bytes(src.array()?)),
        vt::STRING => read_string_value(src, key)?,
        vt::ARRAY => {
            let (elem_type, len) = read_array(src, key, 1)?;
            MetaValue::Array { elem_type, len }
        }
        other => {
            return Err(GgufError::BadValueType {
                path: src.path().into(),
                key: shown(key),
                value_type: other,
            });
        }
    })
}

fn is_chat_template_key(key: &str) -> bool {
    key.strip_prefix(CHAT_TEMPLATE_KEY)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

fn read_string_value<R: Read>(src: &mut Source<'_, R>, key: &str) -> Result<MetaValue, GgufError> {
    let len = src.string_len("string length")?;
    if len <= MAX_KEPT_STRING_LEN || is_chat_template_key(key) {
        let bytes = src.bytes(len)?;
        let s = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(MetaValue::String(s))
    } else {
        src.skip(len)?;
        Ok(MetaValue::LongString { len })
    }
}

/// Validates an array body (element type, length, elements) and returns its
/// summary. Recursion is bounded by [`MAX_ARRAY_NESTING`].
fn read_array<R: Read>(
    src: &mut Source<'_, R>,
    key: &str,
    depth: u32,
) -> Result<(u32, u64), GgufError> {
    if depth > MAX_ARRAY_NESTING {
        return Err(GgufError::NestingTooDeep {
            path: src.path().into(),
            key: shown(key),
            max: MAX_ARRAY_NESTING,
        });
    }
    let elem_type = src.u32()?;
    let len = src.u64()?;
    let Some(min_size) = types::min_value_size(elem_type) else {
        return Err(GgufError::BadValueType {
            path: src.path().into(),
            key: format!("{} (array element)", shown(key)),
            value_type: elem_type,
        });
    };
    // Bounds the loops below: each element consumes at least min_size >= 1 bytes.
    src.check_count(len, min_size, "array length")?;
    match elem_type {
        vt::STRING => {
            for _ in 0..len {
                let n = src.string_len("string length")?;
                src.skip(n)?;
            }
        }
        vt::ARRAY => {
            for _ in 0..len {
                read_array(src, key, depth + 1)?;
            }
        }
        // Fixed-size elements: len * size was checked to fit above.
        _ => src.skip(len.saturating_mul(min_size))?,
    }
    Ok((elem_type, len))
}

fn read_alignment(metadata: &[(String, MetaValue)], path: &Path) -> Result<u64, GgufError> {
    const KEY: &str = "general.alignment";
    match metadata.iter().find(|(k, _)| k == KEY).map(|(_, v)| v) {
        None => Ok(DEFAULT_ALIGNMENT),
        Some(MetaValue::U32(a)) if a.is_power_of_two() => Ok(u64::from(*a)),
        Some(MetaValue::U32(a)) => Err(GgufError::BadAlignment {
            path: path.into(),
            alignment: u64::from(*a),
        }),
        Some(other) => Err(GgufError::WrongKeyType {
            path: path.into(),
            key: KEY.into(),
            expected: "u32",
            found: other.type_name(),
        }),
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_escapes_control_characters_and_truncates() {
        assert_eq!(shown("blk.0.attn_q.weight"), "blk.0.attn_q.weight");
        assert_eq!(shown("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        let long = "x".repeat(500);
        assert_eq!(shown(&long).chars().count(), SHOWN_NAME_LEN + 1);
    }

    #[test]
    fn chat_template_keys() {
        assert!(is_chat_template_key("tokenizer.chat_template"));
        assert!(is_chat_template_key("tokenizer.chat_template.tool_use"));
        assert!(!is_chat_template_key("tokenizer.chat_templates"));
        assert!(!is_chat_template_key("general.name"));
    }
}
