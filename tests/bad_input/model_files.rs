//! Model paths that are not usable files: FIFOs, devices, directories, impossible paths,
//! unreadable files, and a models folder full of bad files beside a good one.

use crate::common::{self, TempHome};
use crate::crafted_gguf::{hostile_headers, one_tensor_model};
use crate::helpers::{NOBODY, SMALL_RSS_KIB, ggchat, is_root, run_measured};
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;

fn mkfifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
}

#[test]
fn fifos_devices_and_impossible_paths_are_refused_without_hanging() {
    let home = TempHome::new();
    let dir = home.dir.path();
    let fifo = dir.join("fifo.gguf");
    mkfifo(&fifo);
    let file = dir.join("file.gguf");
    fs::write(&file, b"GGUF").unwrap();
    let under_a_file = file.join("model.gguf");
    let cases: [(&Path, &str); 4] = [
        // Opening a FIFO would block until a writer comes: it is refused before it is opened.
        (&fifo, "not a regular file (device, FIFO or socket): "),
        (
            Path::new("/dev/zero"),
            "not a regular file (device, FIFO or socket): /dev/zero; choose a .gguf file",
        ),
        (&under_a_file, "I/O error while reading "),
        (dir, "is a directory, not a GGUF file: "),
    ];
    for (path, expected) in cases {
        let run = ggchat(&home, &["ask", "--model", path.to_str().unwrap(), "hi"]);
        assert!(!run.status.success(), "{}", path.display());
        assert!(run.stderr.contains(expected), "{}", run.stderr);
        assert!(
            run.stderr.contains(&path.display().to_string()),
            "{}",
            run.stderr
        );
    }
    let run = ggchat(
        &home,
        &["ask", "--model", under_a_file.to_str().unwrap(), "hi"],
    );
    assert_eq!(
        run.stderr,
        format!(
            "ggchat: I/O error while reading {}: Not a directory (os error 20)\n",
            under_a_file.display()
        )
    );
}

#[test]
fn an_unreadable_model_file_is_reported_as_such() {
    let home = TempHome::new();
    fs::set_permissions(home.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = home.dir.path().join("locked.gguf");
    fs::write(&path, b"not a model at all").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let permission_denied = format!(
        "ggchat: permission denied: {}; make the file readable by your user (chmod u+r)\n",
        path.display()
    );
    let run = ggchat(&home, &["ask", "--model", path.to_str().unwrap(), "hi"]);
    assert!(!run.status.success());
    if !is_root() {
        assert_eq!(run.stderr, permission_denied);
        return;
    }
    // Root reads the file whatever its mode bits: the content is what gets refused.
    assert!(run.stderr.contains("not a GGUF file"), "{}", run.stderr);
    // As another user, the same file cannot be opened.
    let mut command = home.command();
    command
        .args(["ask", "--model", path.to_str().unwrap(), "hi"])
        .uid(NOBODY)
        .gid(NOBODY);
    let run = run_measured(command);
    assert!(!run.status.success());
    assert_eq!(run.stderr, permission_denied);
}

#[test]
fn models_lists_the_good_model_and_reports_every_bad_file() {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    fs::create_dir_all(&models).unwrap();
    let good = models.join(common::DEFAULT_MODEL_FILE);
    std::os::unix::fs::symlink(common::default_model(), &good).unwrap();
    // The first kilobyte of the real model: a download cut off inside the header. (Only that
    // much is read: the test's own memory counts in the child's peak, see `run_measured`.)
    let mut real = Vec::new();
    fs::File::open(common::default_model())
        .unwrap()
        .take(1000)
        .read_to_end(&mut real)
        .unwrap();
    let random: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (mut past_eof, _) = one_tensor_model(1 << 20);
    past_eof.extend_from_slice(&[0; 64]);
    let mut bad: Vec<(String, &str)> = Vec::new();
    for (name, bytes, expected) in hostile_headers() {
        fs::write(models.join(name), bytes).unwrap();
        bad.push((name.into(), expected));
    }
    let files: [(&str, &[u8], &str); 5] = [
        ("empty.gguf", b"", "file is empty (0 bytes)"),
        ("random.gguf", &random, "not a GGUF file (bad magic"),
        (
            "header-only.gguf",
            &real,
            "tensor count 272 in the header cannot fit in a file of 1000 bytes",
        ),
        ("past-eof.gguf", &past_eof, "runs past the end of the file"),
        ("html.gguf", b"<!DOCTYPE html><html>", "HTML"),
    ];
    for (name, bytes, expected) in files {
        fs::write(models.join(name), bytes).unwrap();
        bad.push((name.into(), expected));
    }
    fs::create_dir(models.join("folder.gguf")).unwrap();
    bad.push(("folder.gguf".into(), "is a directory, not a GGUF file"));
    mkfifo(&models.join("fifo.gguf"));
    bad.push((
        "fifo.gguf".into(),
        "not a regular file (device, FIFO or socket)",
    ));
    std::os::unix::fs::symlink("/dev/zero", models.join("device.gguf")).unwrap();
    bad.push((
        "device.gguf".into(),
        "not a regular file (device, FIFO or socket)",
    ));
    std::os::unix::fs::symlink(models.join("gone.bin"), models.join("dangling.gguf")).unwrap();
    bad.push(("dangling.gguf".into(), "file not found: "));

    let run = ggchat(&home, &["models"]);
    println!(
        "{:?}, {} KiB:\n{}",
        run.elapsed, run.max_rss_kib, run.stdout
    );
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            "Q4_1  94 MiB  ctx 8192  template: yes\n    {}",
            good.display()
        )),
        "{}",
        run.stdout
    );
    for (name, expected) in &bad {
        let path = models.join(name);
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{}  unusable: ", path.display())))
            .unwrap_or_else(|| panic!("{name} is not reported: {}", run.stdout));
        assert!(line.contains(expected), "{name}: {line}");
    }
    assert!(run.max_rss_kib < SMALL_RSS_KIB, "{} KiB", run.max_rss_kib);

    let run = ggchat(&home, &["models", "--json"]);
    assert!(run.status.success(), "{}", run.stderr);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(entries.len(), bad.len() + 1);
    let errors = entries.iter().filter(|e| e["error"].is_string()).count();
    assert_eq!(errors, bad.len());
    assert!(
        entries
            .iter()
            .any(|e| e["quantization"] == "Q4_1" && e["error"].is_null())
    );
}
