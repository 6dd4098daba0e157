//! Static tables: ggml tensor types, GGUF value types and llama.cpp file types.
//!
//! Why tables rather than asking llama.cpp: the validator must run *before*
//! llama.cpp touches the file, so it needs its own copy of the numbers that
//! decide how many bytes a tensor occupies. The block and type sizes below
//! were checked against ggml's `type_traits` in `ggml/src/ggml.c` and the
//! `static_assert`s on the block structs in `ggml/src/ggml-common.h`
//! (`ggml_half` is 2 bytes, `QK_K` is 256); the file-type names follow
//! `enum llama_ftype` in llama.cpp's `include/llama.h`. When llama.cpp adds a
//! type, add a row here; until then files using it are refused with an error
//! naming the tensor and the type number.

/// Size facts about one ggml tensor type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GgmlType {
    /// The ggml type number stored in the tensor info.
    pub id: u32,
    /// Name as llama.cpp prints it (upper case, e.g. `Q4_K`).
    pub name: &'static str,
    /// Elements per block.
    pub block_size: u64,
    /// Bytes per block.
    pub type_size: u64,
}

const fn t(id: u32, name: &'static str, block_size: u64, type_size: u64) -> GgmlType {
    GgmlType {
        id,
        name,
        block_size,
        type_size,
    }
}

/// Every ggml type that can appear in a GGUF file. Ids 4, 5 (removed Q4_2,
/// Q4_3), 31-33 and 36-38 (removed repacked types) are deliberately absent.
const GGML_TYPES: &[GgmlType] = &[
    t(0, "F32", 1, 4),
    t(1, "F16", 1, 2),
    t(2, "Q4_0", 32, 18),
    t(3, "Q4_1", 32, 20),
    t(6, "Q5_0", 32, 22),
    t(7, "Q5_1", 32, 24),
    t(8, "Q8_0", 32, 34),
    t(9, "Q8_1", 32, 36),
    t(10, "Q2_K", 256, 84),
    t(11, "Q3_K", 256, 110),
    t(12, "Q4_K", 256, 144),
    t(13, "Q5_K", 256, 176),
    t(14, "Q6_K", 256, 210),
    t(15, "Q8_K", 256, 292),
    t(16, "IQ2_XXS", 256, 66),
    t(17, "IQ2_XS", 256, 74),
    t(18, "IQ3_XXS", 256, 98),
    t(19, "IQ1_S", 256, 50),
    t(20, "IQ4_NL", 32, 18),
    t(21, "IQ3_S", 256, 110),
    t(22, "IQ2_S", 256, 82),
    t(23, "IQ4_XS", 256, 136),
    t(24, "I8", 1, 1),
    t(25, "I16", 1, 2),
    t(26, "I32", 1, 4),
    t(27, "I64", 1, 8),
    t(28, "F64", 1, 8),
    t(29, "IQ1_M", 256, 56),
    t(30, "BF16", 1, 2),
    t(34, "TQ1_0", 256, 54),
    t(35, "TQ2_0", 256, 66),
    t(39, "MXFP4", 32, 17),
    // Newer upstream additions: block_nvfp4 = 4 scale bytes + 32 quant bytes
    // per 64 elements; block_q1_0 = f16 scale + 16 bytes per 128 elements.
    t(40, "NVFP4", 64, 36),
    t(41, "Q1_0", 128, 18),
];

/// Looks up a ggml tensor type by number.
pub fn ggml_type(id: u32) -> Option<GgmlType> {
    GGML_TYPES.iter().copied().find(|ty| ty.id == id)
}

/// Name of a `general.file_type` value (llama.cpp's `LLAMA_FTYPE_*` without
/// the prefix, e.g. 15 -> `Q4_K_M`). `None` for numbers llama.cpp does not define.
pub fn file_type_name(ftype: u64) -> Option<&'static str> {
    Some(match ftype {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        36 => "TQ1_0",
        37 => "TQ2_0",
        38 => "MXFP4_MOE",
        39 => "NVFP4",
        40 => "Q1_0",
        _ => return None,
    })
}

/// GGUF metadata value type numbers.
pub mod value_type {
    pub const U8: u32 = 0;
    pub const I8: u32 = 1;
    pub const U16: u32 = 2;
    pub const I16: u32 = 3;
    pub const U32: u32 = 4;
    pub const I32: u32 = 5;
    pub const F32: u32 = 6;
    pub const BOOL: u32 = 7;
    pub const STRING: u32 = 8;
    pub const ARRAY: u32 = 9;
    pub const U64: u32 = 10;
    pub const I64: u32 = 11;
    pub const F64: u32 = 12;
}

/// Encoded size of a fixed-size GGUF value type; `None` for string, array and
/// invalid type numbers.
pub(crate) fn fixed_value_size(vtype: u32) -> Option<u64> {
    use value_type::*;
    match vtype {
        U8 | I8 | BOOL => Some(1),
        U16 | I16 => Some(2),
        U32 | I32 | F32 => Some(4),
        U64 | I64 | F64 => Some(8),
        _ => None,
    }
}

/// Smallest number of bytes one value of `vtype` can occupy in a file, used
/// to refuse counts that cannot possibly fit before allocating or looping.
/// `None` for invalid type numbers.
pub(crate) fn min_value_size(vtype: u32) -> Option<u64> {
    match vtype {
        value_type::STRING => Some(8),
        // element type (u32) + count (u64)
        value_type::ARRAY => Some(12),
        other => fixed_value_size(other),
    }
}

/// Human-readable name of a GGUF value type (for error messages).
pub fn value_type_name(vtype: u32) -> &'static str {
    use value_type::*;
    match vtype {
        U8 => "u8",
        I8 => "i8",
        U16 => "u16",
        I16 => "i16",
        U32 => "u32",
        I32 => "i32",
        F32 => "f32",
        BOOL => "bool",
        STRING => "string",
        ARRAY => "array",
        U64 => "u64",
        I64 => "i64",
        F64 => "f64",
        _ => "invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_ids_are_unique_and_sizes_nonzero() {
        for (i, a) in GGML_TYPES.iter().enumerate() {
            assert!(a.block_size > 0 && a.type_size > 0, "{a:?}");
            for b in &GGML_TYPES[i + 1..] {
                assert_ne!(a.id, b.id);
            }
        }
    }

    #[test]
    fn block_sizes_match_ggml_common_h() {
        // Recomputed from the block structs (ggml_half = 2 bytes, QK_K = 256).
        let qk_k = 256;
        assert_eq!(ggml_type(3).unwrap().type_size, 2 * 2 + 32 / 2); // q4_1
        assert_eq!(
            ggml_type(10).unwrap().type_size,
            2 * 2 + qk_k / 16 + qk_k / 4
        ); // q2_K
        assert_eq!(ggml_type(12).unwrap().type_size, 2 * 2 + 12 + qk_k / 2); // q4_K
        assert_eq!(
            ggml_type(14).unwrap().type_size,
            2 + qk_k / 16 + 3 * qk_k / 4
        ); // q6_K
        assert_eq!(ggml_type(15).unwrap().type_size, 4 + qk_k + qk_k / 16 * 2); // q8_K
        assert_eq!(
            ggml_type(21).unwrap().type_size,
            2 + 13 * (qk_k / 32) + qk_k / 64
        ); // iq3_s
        assert_eq!(
            ggml_type(34).unwrap().type_size,
            2 + qk_k / 64 + (qk_k - 4 * qk_k / 64) / 5
        ); // tq1_0
        assert_eq!(ggml_type(39).unwrap().type_size, 1 + 32 / 2); // mxfp4
    }

    #[test]
    fn removed_and_unknown_types_are_absent() {
        for id in [4, 5, 31, 32, 33, 36, 37, 38, 42, 1000, u32::MAX] {
            assert!(ggml_type(id).is_none(), "{id}");
        }
    }

    #[test]
    fn file_type_names_follow_llama_h() {
        assert_eq!(file_type_name(1), Some("F16"));
        assert_eq!(file_type_name(3), Some("Q4_1"));
        assert_eq!(file_type_name(15), Some("Q4_K_M"));
        assert_eq!(file_type_name(21), Some("Q2_K_S"));
        assert_eq!(file_type_name(38), Some("MXFP4_MOE"));
        assert_eq!(file_type_name(4), None);
        assert_eq!(file_type_name(1024), None);
    }

    #[test]
    fn value_type_sizes() {
        assert_eq!(min_value_size(value_type::STRING), Some(8));
        assert_eq!(min_value_size(value_type::ARRAY), Some(12));
        assert_eq!(min_value_size(value_type::F64), Some(8));
        assert_eq!(min_value_size(13), None);
        assert_eq!(value_type_name(7), "bool");
        assert_eq!(value_type_name(99), "invalid");
    }
}
