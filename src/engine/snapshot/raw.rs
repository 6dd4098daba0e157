//! The one unsafe corner of snapshots: copying one sequence's KV state out of a llama.cpp
//! context, and back in.
//!
//! llama-cpp-2's `state_seq_save_file` would let llama.cpp write the file itself, but not
//! atomically, not owner-only and without a checksum; its safe `SeqState` keeps the bytes opaque.
//! So the bytes go through llama.cpp's raw per-sequence calls (`llama_state_seq_get_size_ext`,
//! `llama_state_seq_get_data_ext`, `llama_state_seq_set_data_ext`, wrapped by llama-cpp-2 as
//! unsafe methods), and `super::file` does the rest in safe code.
//!
//! Safety contract, for both functions:
//! - the context is borrowed for the whole call and used by this thread only (the engine thread
//!   owns it), so no decode runs between measuring the state and copying it;
//! - `get` writes into a buffer of exactly the size llama.cpp reported for the same sequence a
//!   moment before, and checks the count it reports against that size;
//! - `set` is only ever given bytes that `get` produced in some process and whose checksum and
//!   validation key were checked (`super::file::read`): llama.cpp checks a state's shapes (cell
//!   count, layer count, value sizes), not its values, so a flipped bit must never get this far.

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::session::LlamaStateSeqFlags;

/// The KV state of sequence `seq` as llama.cpp serializes it; `None` if llama.cpp wrote a
/// different number of bytes than it announced (then nothing is saved).
pub fn get(ctx: &LlamaContext<'_>, seq: i32) -> Option<Vec<u8>> {
    let flags = LlamaStateSeqFlags::empty();
    let size = ctx.state_seq_get_size_ext(seq, flags);
    if size == 0 {
        return None;
    }
    let mut bytes = vec![0u8; size];
    // SAFETY: `bytes` holds `size` bytes, the size llama.cpp just computed for this sequence of
    // this context, which no other thread can change meanwhile (see the module docs).
    let written = unsafe { ctx.state_seq_get_data_ext(bytes.as_mut_ptr(), seq, flags) };
    (written == size).then_some(bytes)
}

/// Loads `state` into sequence `seq` (whose cells must be empty); false when llama.cpp refuses
/// it (another shape), in which case the sequence is left empty.
///
/// `state` must come from [`get`] through a checksummed, key-checked snapshot file.
pub fn set(ctx: &mut LlamaContext<'_>, state: &VerifiedState<'_>, seq: i32) -> bool {
    // SAFETY: the bytes are a state llama.cpp wrote for a model, context size, cache type and
    // attention kind equal to this context's (the validation key), unchanged since (the
    // checksum); llama.cpp checks the shapes again and fails cleanly on a mismatch.
    unsafe { ctx.state_seq_set_data_ext(state.0, seq, LlamaStateSeqFlags::empty()) }
}

/// State bytes whose checksum and validation key were checked; only `super::file` makes them.
pub struct VerifiedState<'a>(&'a [u8]);

impl<'a> VerifiedState<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        VerifiedState(bytes)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
