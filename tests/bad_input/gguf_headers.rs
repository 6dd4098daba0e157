//! Crafted GGUF headers passed to `ggchat ask` and `ggchat models`: huge counts and lengths,
//! tensor data claimed past the end of the file, and a sparse 64 GiB model.

use crate::common::TempHome;
use crate::crafted_gguf::{hostile_headers, one_tensor_model};
use crate::helpers::{GIB, SMALL_RSS_KIB, ggchat};
use std::fs;

#[test]
fn huge_counts_and_lengths_are_refused_quickly_without_large_allocations() {
    let home = TempHome::new();
    for (name, bytes, expected) in hostile_headers() {
        let path = home.dir.path().join(name);
        fs::write(&path, &bytes).unwrap();
        let run = ggchat(&home, &["ask", "--model", path.to_str().unwrap(), "hi"]);
        println!(
            "{name}: {:?}, {} KiB: {}",
            run.elapsed, run.max_rss_kib, run.stderr
        );
        assert!(!run.status.success(), "{name} was accepted");
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("re-download the model"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty());
        assert!(
            run.max_rss_kib < SMALL_RSS_KIB,
            "{name}: peak memory {} KiB",
            run.max_rss_kib
        );
    }
}

#[test]
fn tensor_data_claimed_past_the_end_of_the_file_is_refused() {
    let home = TempHome::new();
    // 64 GiB of F32 data announced, 32 bytes present.
    let (mut bytes, _) = one_tensor_model(16 * GIB);
    bytes.extend_from_slice(&[0; 32]);
    let path = home.dir.path().join("past-eof.gguf");
    fs::write(&path, &bytes).unwrap();
    let run = ggchat(&home, &["ask", "--model", path.to_str().unwrap(), "hi"]);
    assert!(!run.status.success());
    assert!(
        run.stderr
            .contains("tensor 'token_embd.weight' data (offset"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("runs past the end of the file"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("past-eof.gguf"), "{}", run.stderr);
    assert!(run.max_rss_kib < SMALL_RSS_KIB, "{} KiB", run.max_rss_kib);
}

#[test]
fn a_sparse_64_gib_model_is_listed_from_its_header_alone() {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    fs::create_dir_all(&models).unwrap();
    // A valid header whose one tensor really is 64 GiB: the file is extended with `set_len`,
    // so it is sparse and takes no disk space.
    let (header, data_offset) = one_tensor_model(16 * GIB);
    let path = models.join("sparse-64g.gguf");
    fs::write(&path, &header).unwrap();
    let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(data_offset + 64 * GIB).unwrap();
    drop(file);
    // And 64 GiB of nothing (all zero bytes).
    let zeros = models.join("zeros-64g.gguf");
    fs::File::create(&zeros).unwrap().set_len(64 * GIB).unwrap();

    let run = ggchat(&home, &["models"]);
    println!(
        "{:?}, {} KiB:\n{}",
        run.elapsed, run.max_rss_kib, run.stdout
    );
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Sparse Test  llama 17.2B unknown  64.0 GiB  ctx ?"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("64.0 GiB"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "{}  unusable: not a GGUF file (bad magic 0x00000000",
            zeros.display()
        )),
        "{}",
        run.stdout
    );
    assert!(run.max_rss_kib < SMALL_RSS_KIB, "{} KiB", run.max_rss_kib);

    // Loading it passes the header check (the header is valid and the data lies inside the
    // file) and goes to llama.cpp, which memory-maps the file rather than reading it, and refuses
    // this one for its missing hyperparameters. Nothing reads the 64 GiB.
    let run = ggchat(&home, &["ask", "--model", path.to_str().unwrap(), "hi"]);
    println!(
        "ask: {:?}, {} KiB:\n{}",
        run.elapsed, run.max_rss_kib, run.stderr
    );
    assert!(!run.status.success());
    assert!(
        run.stderr.contains(&format!(
            "llama.cpp could not load the model {}",
            path.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.max_rss_kib < SMALL_RSS_KIB, "{} KiB", run.max_rss_kib);
    let log = fs::read_to_string(home.data_dir().join("ggchat.log")).unwrap();
    assert!(
        log.contains("key not found in model: llama.context_length"),
        "{log}"
    );
}
