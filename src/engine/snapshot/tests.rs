//! The snapshot file and folder without a model: every damaged or foreign file is refused before
//! its bytes could reach llama.cpp, and the folder stays under its cap.

use super::SnapshotKey;
use super::cache::{SnapshotRef, prune, remove};
use super::file::{self, Rejected, SlotRecord};
use llama_cpp_2::token::LlamaToken;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn key() -> SnapshotKey {
    SnapshotKey {
        model_fingerprint: "0123456789abcdef".into(),
        model_size: 1000,
        ctx_size: 4096,
        kv_type: super::KV_TYPE.into(),
        flash_attention: "on".into(),
        gpu_layers: 0,
        lora_path: None,
        lora_scale: 1.0,
    }
}

fn record() -> SlotRecord {
    SlotRecord {
        tokens: (1..=50).map(LlamaToken::new).collect(),
        dropped_turns: 1,
        last_evaluated: 20..50,
    }
}

fn state() -> Vec<u8> {
    (0..5000u32).map(|i| (i * 7 % 251) as u8).collect()
}

#[test]
fn a_snapshot_reads_back_as_written() {
    let bytes = file::encode(&key(), &record(), &state());
    let loaded = file::decode(bytes, &key()).unwrap();
    assert_eq!(loaded.record, record());
    assert_eq!(loaded.state().len(), state().len());
}

#[test]
fn every_truncation_and_every_bit_flip_is_refused() {
    let bytes = file::encode(&key(), &record(), &state());
    for len in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
        let cut = bytes[..len].to_vec();
        assert!(file::decode(cut, &key()).is_err(), "truncated to {len}");
    }
    for at in (0..bytes.len()).step_by(13) {
        for bit in [0, 3, 7] {
            let mut flipped = bytes.clone();
            flipped[at] ^= 1 << bit;
            assert!(
                file::decode(flipped, &key()).is_err(),
                "bit {bit} of byte {at} flipped"
            );
        }
    }
}

#[test]
fn a_snapshot_of_other_settings_is_refused_and_says_which() {
    let bytes = file::encode(&key(), &record(), &state());
    let others: [fn(&mut SnapshotKey); 7] = [
        |k| k.model_fingerprint = "fedcba9876543210".into(),
        |k| k.ctx_size = 2048,
        |k| k.kv_type = "q8_0/q8_0".into(),
        |k| k.flash_attention = "off".into(),
        |k| k.gpu_layers = 10,
        |k| k.lora_path = Some("a.gguf".into()),
        |k| k.lora_scale = 0.5,
    ];
    for change in others {
        let mut other = key();
        change(&mut other);
        match file::decode(bytes.clone(), &other) {
            Err(Rejected::Key(why)) => assert_ne!(why, "unknown"),
            other => panic!("expected a key mismatch, got {other:?}"),
        }
    }
}

fn place(dir: &Path, session: &str, cap: u64) -> SnapshotRef {
    SnapshotRef {
        dir: dir.to_path_buf(),
        session: session.into(),
        cap_bytes: cap,
    }
}

fn age(path: &Path, seconds: u64) {
    let f = std::fs::File::options().append(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(seconds))
        .unwrap();
}

#[test]
fn the_folder_keeps_the_most_recently_used_snapshots_under_its_cap() {
    let dir = tempfile::tempdir().unwrap();
    let size = file::encode(&key(), &record(), &state()).len() as u64;
    let cap = size * 2 + size / 2;
    for (i, id) in ["a", "b"].iter().enumerate() {
        let p = place(dir.path(), id, cap);
        p.save(&key(), &record(), &state()).unwrap();
        age(&p.path().unwrap(), 100 - i as u64 * 10);
    }
    // Loading "a" makes it the most recently used; saving "c" then evicts "b".
    place(dir.path(), "a", cap).load(&key()).unwrap();
    place(dir.path(), "c", cap)
        .save(&key(), &record(), &state())
        .unwrap();
    let exists = |id: &str| place(dir.path(), id, cap).path().unwrap().exists();
    assert!(exists("a") && exists("c") && !exists("b"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(place(dir.path(), "c", cap).path().unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A cap of one snapshot, then none.
    assert_eq!(prune(dir.path(), size).unwrap().kept, 1);
    let emptied = prune(dir.path(), 0).unwrap();
    assert_eq!((emptied.kept, emptied.removed), (0, 1));
}

#[test]
fn old_temporary_files_are_removed_and_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let temp = dir.path().join(".s.kv.tmp.123.abcd");
    std::fs::write(&temp, file::encode(&key(), &record(), &state())).unwrap();
    assert!(matches!(
        place(dir.path(), "s", 1 << 30).load(&key()),
        Err(Rejected::Io(_))
    ));
    prune(dir.path(), 1 << 30).unwrap();
    assert!(
        temp.exists(),
        "a young temporary file may belong to a live writer"
    );
    age(&temp, 3600);
    prune(dir.path(), 1 << 30).unwrap();
    assert!(!temp.exists());
}

#[test]
fn session_ids_that_cannot_name_a_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["", "../x", "a/b", ".hidden"] {
        let p = place(dir.path(), bad, 1 << 30);
        assert!(p.path().is_none(), "{bad:?}");
        assert!(p.save(&key(), &record(), &state()).is_err());
        assert!(p.load(&key()).is_err());
        remove(dir.path(), bad).unwrap();
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    let p = place(dir.path(), "ok", 1 << 30);
    p.save(&key(), &record(), &state()).unwrap();
    remove(dir.path(), "ok").unwrap();
    assert!(!p.path().unwrap().exists());
}
