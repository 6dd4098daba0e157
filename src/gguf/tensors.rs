//! Tensor-info validation: shapes, types, sizes and placement.
//!
//! Why: llama.cpp computes where each tensor's bytes live from these header
//! fields and then reads or maps them; a wrong shape, an unknown type or an
//! offset past the end is exactly what turns a crafted file into an
//! out-of-bounds access. Sizes are derived from ggml's block tables with
//! checked arithmetic, and every tensor must lie wholly inside its own file.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use super::parse::shown;
use super::reader::Source;
use super::types::{self, GgmlType};
use super::{GgufError, MAX_TENSOR_NAME_LEN, TensorInfo};

pub(crate) fn read_tensor_infos<R: Read>(
    src: &mut Source<'_, R>,
    tensor_count: u64,
) -> Result<Vec<TensorInfo>, GgufError> {
    let mut tensors = Vec::with_capacity(tensor_count.min(4096) as usize);
    let mut names = HashSet::new();
    for index in 0..tensor_count {
        src.ctx = format!("tensor info {index}");
        let info = read_tensor_info(src, index)?;
        if !names.insert(info.name.clone()) {
            return Err(GgufError::DuplicateTensor {
                path: src.path().into(),
                name: shown(&info.name),
            });
        }
        tensors.push(info);
    }
    Ok(tensors)
}

fn read_tensor_info<R: Read>(src: &mut Source<'_, R>, index: u64) -> Result<TensorInfo, GgufError> {
    let offset = src.pos();
    let len = src.string_len("name length")?;
    if len > MAX_TENSOR_NAME_LEN {
        return Err(GgufError::NameTooLong {
            path: src.path().into(),
            what: format!("tensor name {index}"),
            offset,
            len,
            max: MAX_TENSOR_NAME_LEN,
        });
    }
    let name = String::from_utf8(src.bytes(len)?).map_err(|_| GgufError::InvalidUtf8 {
        path: src.path().into(),
        what: format!("tensor name {index}"),
        offset,
    })?;
    src.ctx = format!("tensor info {index} ('{}')", shown(&name));
    let n_dims = src.u32()?;
    if n_dims > 4 {
        return Err(GgufError::TooManyDims {
            path: src.path().into(),
            name: shown(&name),
            n_dims,
        });
    }
    let mut dims = Vec::with_capacity(n_dims as usize);
    for _ in 0..n_dims {
        dims.push(src.u64()?);
    }
    let ggml_type = src.u32()?;
    let data_offset = src.u64()?;
    let Some(ty) = types::ggml_type(ggml_type) else {
        return Err(GgufError::UnknownTensorType {
            path: src.path().into(),
            name: shown(&name),
            ggml_type,
        });
    };
    let (n_elements, n_bytes) = tensor_size(&name, &dims, ty, src.path())?;
    Ok(TensorInfo {
        name,
        dims,
        ggml_type,
        offset: data_offset,
        n_elements,
        n_bytes,
    })
}

/// Element and byte counts, with llama.cpp's limits (counts below i64::MAX,
/// rows made of whole blocks) and checked arithmetic throughout.
fn tensor_size(
    name: &str,
    dims: &[u64],
    ty: GgmlType,
    path: &Path,
) -> Result<(u64, u64), GgufError> {
    let row = dims.first().copied().unwrap_or(1);
    if !row.is_multiple_of(ty.block_size) {
        return Err(GgufError::BadRowSize {
            path: path.into(),
            name: shown(name),
            row,
            type_name: ty.name,
            block_size: ty.block_size,
        });
    }
    let n_elements = dims
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d))
        .filter(|&n| n < i64::MAX as u64 && dims.iter().all(|&d| d < i64::MAX as u64));
    let n_bytes = n_elements.and_then(|n| (n / ty.block_size).checked_mul(ty.type_size));
    match (n_elements, n_bytes) {
        (Some(n), Some(b)) => Ok((n, b)),
        _ => Err(GgufError::ShapeOverflow {
            path: path.into(),
            name: shown(name),
            dims: dims.to_vec(),
        }),
    }
}

pub(crate) fn check_tensor_placement(
    t: &TensorInfo,
    data_offset: u64,
    alignment: u64,
    file_size: u64,
    path: &Path,
) -> Result<(), GgufError> {
    if !t.offset.is_multiple_of(alignment) {
        return Err(GgufError::UnalignedOffset {
            path: path.into(),
            name: shown(&t.name),
            offset: t.offset,
            alignment,
        });
    }
    let start = data_offset.checked_add(t.offset);
    match start.and_then(|s| s.checked_add(t.n_bytes)) {
        Some(end) if end <= file_size => Ok(()),
        _ => Err(GgufError::TensorPastEof {
            path: path.into(),
            name: shown(&t.name),
            offset: start.unwrap_or(u64::MAX),
            size: t.n_bytes,
            file_size,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensor_size_uses_blocks_and_checks_overflow() {
        let q4_1 = types::ggml_type(3).unwrap();
        let p = Path::new("m");
        assert_eq!(tensor_size("t", &[64, 2], q4_1, p).unwrap(), (128, 80));
        assert_eq!(tensor_size("t", &[0, 7], q4_1, p).unwrap(), (0, 0));
        assert!(matches!(
            tensor_size("t", &[33], q4_1, p),
            Err(GgufError::BadRowSize { .. })
        ));
        assert!(matches!(
            tensor_size("t", &[1 << 32, 1 << 32], q4_1, p),
            Err(GgufError::ShapeOverflow { .. })
        ));
        let f32t = types::ggml_type(0).unwrap();
        // Scalar (no dims) has one element.
        assert_eq!(tensor_size("t", &[], f32t, p).unwrap(), (1, 4));
    }
}
