//! The GGUF header reader on arbitrary bytes: no panic, no unbounded allocation or loop, and
//! whatever it accepts satisfies the invariants llama.cpp relies on.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match ggchat::gguf::parse_bytes(data) {
        Ok(file) => {
            assert!(matches!(file.version, 2 | 3));
            assert!(file.alignment.is_power_of_two());
            assert_eq!(file.data_offset % file.alignment, 0);
            assert_eq!(file.tensors.len() as u64, file.tensor_count);
            assert_eq!(file.file_size, data.len() as u64);
            for tensor in &file.tensors {
                assert!(tensor.dims.len() <= 4);
                assert_eq!(tensor.offset % file.alignment, 0);
                let end = file
                    .data_offset
                    .checked_add(tensor.offset)
                    .and_then(|e| e.checked_add(tensor.n_bytes));
                assert!(end.is_some_and(|end| end <= file.file_size), "{tensor:?}");
            }
            let _ = ggchat::gguf::ModelSummary::from_splits(std::slice::from_ref(&file));
        }
        Err(error) => {
            // Every message names the file.
            assert!(error.to_string().contains("<memory>"), "{error}");
        }
    }
});
