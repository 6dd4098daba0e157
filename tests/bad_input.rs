//! Bad input of every kind, through the real `ggchat` binary (and the chat screen's `App` where
//! a terminal would be needed): hostile model files, config files, flags, session files, disk
//! failures, concurrent processes and terminal escape sequences. `docs/bad-input.md` lists each
//! case with the test that covers it.

mod common;

use common::{TempHome, stderr, stdout};
use std::fs;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A finished `ggchat` run, with its peak memory.
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    /// Peak resident memory of the process, in KiB (`ru_maxrss` from `wait4`).
    max_rss_kib: u64,
    elapsed: Duration,
}

/// Runs `command` to completion (killing it after a minute: a hang is a failure), and measures
/// the peak memory of that one process. The peak includes this test process's own resident memory
/// at the time of the spawn (the child starts as a copy of it), so tests keep theirs small.
// The child is reaped by `wait4` (which also returns its resource usage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_measured(mut command: Command) -> Run {
    use std::os::unix::process::ExitStatusExt;
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ggchat");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).map(|_| s)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).map(|_| v)
    });
    let pid = child.id() as libc::pid_t;
    let (raw_status, usage) = loop {
        let mut raw_status = 0;
        // SAFETY: an all-zero rusage is valid, and wait4 only writes to the two out-pointers.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let done = unsafe { libc::wait4(pid, &mut raw_status, libc::WNOHANG, &mut usage) };
        assert!(done >= 0, "wait4: {}", std::io::Error::last_os_error());
        if done == pid {
            break (raw_status, usage);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("ggchat {command:?} did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        status: ExitStatus::from_raw(raw_status),
        stdout: out.join().unwrap().expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&err.join().unwrap().unwrap()).into_owned(),
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        elapsed: started.elapsed(),
    }
}

fn ggchat(home: &TempHome, args: &[&str]) -> Run {
    let mut command = home.command();
    command.args(args);
    run_measured(command)
}

fn model_arg() -> String {
    common::default_model().display().to_string()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// No terminal control in `text`: no ESC, no BEL, no C1 controls, no bidi overrides.
fn assert_terminal_safe(text: &str, what: &str) {
    let bad = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    });
    assert!(bad.is_none(), "{what} holds {bad:?}: {text:?}");
}

// ---------------------------------------------------------------------------------------------
// Crafted GGUF files
// ---------------------------------------------------------------------------------------------

/// A little-endian GGUF writer.
#[derive(Default)]
struct Gguf(Vec<u8>);

impl Gguf {
    fn header(tensors: u64, kvs: u64) -> Gguf {
        Gguf(b"GGUF".to_vec()).u32(3).u64(tensors).u64(kvs)
    }
    fn u32(mut self, v: u32) -> Gguf {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(mut self, v: u64) -> Gguf {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn str(self, s: &str) -> Gguf {
        let mut w = self.u64(s.len() as u64);
        w.0.extend_from_slice(s.as_bytes());
        w
    }
    /// A string-valued metadata entry.
    fn kv_str(self, key: &str, value: &str) -> Gguf {
        self.str(key).u32(8).str(value)
    }
    fn raw(mut self, bytes: &[u8]) -> Gguf {
        self.0.extend_from_slice(bytes);
        self
    }
}

/// A structurally valid GGUF file with one F32 tensor of `elements` elements, and the byte
/// offset where its data starts. The data itself is not written: the caller decides how long
/// the file is.
fn one_tensor_model(elements: u64) -> (Vec<u8>, u64) {
    let mut w = Gguf::header(1, 2)
        .kv_str("general.architecture", "llama")
        .kv_str("general.name", "Sparse Test")
        .str("token_embd.weight")
        .u32(1)
        .u64(elements)
        .u32(0) // F32
        .u64(0); // offset in the data section
    while !w.0.len().is_multiple_of(32) {
        w.0.push(0);
    }
    let data_offset = w.0.len() as u64;
    (w.0, data_offset)
}

const GIB: u64 = 1 << 30;

/// Hostile headers: absurd counts and lengths in a file of a few dozen bytes.
fn hostile_headers() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    vec![
        (
            "tensors-2p60.gguf",
            Gguf::header(1 << 60, 0).0,
            "tensor count 1152921504606846976 in the header cannot fit in a file of 24 bytes",
        ),
        (
            "tensors-max.gguf",
            Gguf::header(u64::MAX, u64::MAX).0,
            "cannot fit in a file of 24 bytes",
        ),
        (
            "kvs-2p60.gguf",
            Gguf::header(0, 1 << 60).0,
            "metadata key count 1152921504606846976 in the header cannot fit in a file of 24 bytes",
        ),
        (
            "string-1tb.gguf",
            Gguf::header(0, 1)
                .str("general.name")
                .u32(8)
                .u64(1 << 40)
                .raw(b"abc")
                .0,
            "string length 1099511627776",
        ),
        (
            "key-1tb.gguf",
            Gguf::header(0, 1).u64(1 << 40).raw(b"general.name").0,
            "cannot fit in a file of",
        ),
        (
            "array-2p60.gguf",
            Gguf::header(0, 1)
                .str("tokenizer.ggml.tokens")
                .u32(9)
                .u32(8)
                .u64(1 << 60)
                .0,
            "cannot fit in a file of",
        ),
    ]
}

/// Peak memory allowed for refusing a hostile file: far below what any claimed count or length
/// would need, well above what `ggchat` needs to start.
const SMALL_RSS_KIB: u64 = 256 * 1024;

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

// ---------------------------------------------------------------------------------------------
// Model files that are not files, or cannot be read
// ---------------------------------------------------------------------------------------------

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

/// The unprivileged user the root-only tests switch to.
const NOBODY: u32 = 65534;

use std::os::unix::process::CommandExt;

// ---------------------------------------------------------------------------------------------
// The model list with every kind of bad file beside a good one
// ---------------------------------------------------------------------------------------------

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

#[test]
fn escape_sequences_in_model_file_names_never_reach_the_terminal() {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    fs::create_dir_all(&models).unwrap();
    let evil = models.join("evil\x1b]0;pwned\x07\x1b[2J\u{9b}31m.gguf");
    fs::write(&evil, b"junk").unwrap();
    let run = ggchat(&home, &["models"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert_terminal_safe(&run.stdout, "the model list");
    assert!(
        run.stdout.contains("unusable: not a GGUF file"),
        "{}",
        run.stdout
    );
    // `ask` without --model picks that file, and its error quotes the name.
    let run = ggchat(&home, &["ask", "hi"]);
    assert!(!run.status.success());
    assert!(run.stderr.contains("not a GGUF file"), "{}", run.stderr);
    assert_terminal_safe(run.stderr.trim_end(), "the error");
}

// ---------------------------------------------------------------------------------------------
// Config files, flags and the settings pane
// ---------------------------------------------------------------------------------------------

#[test]
fn a_bad_config_file_stops_every_command_with_file_line_column_and_key() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config");
    let cases = [
        (
            "invalid-toml.toml",
            "line 4, column 8, key `sampling.top_k`: string values must be quoted, expected \
             literal string",
        ),
        (
            "unknown-key.toml",
            "line 4, column 1, key `sampling.temprature`: unknown field `temprature`, expected \
             one of `temperature`, `top_k`, `top_p`, `min_p`, `repeat_penalty`, \
             `repeat_last_n`, `presence_penalty`, `frequency_penalty`, `max_tokens`, `seed`, \
             `stop`",
        ),
        (
            "out-of-range.toml",
            "line 4, column 1, key `sampling.top_p`: top_p = 1.5 is out of range: above 0 and \
             at most 1 (1 = off)",
        ),
        (
            "wrong-type.toml",
            "line 4, column 9, key `sampling.top_k`: invalid type: string \"forty\", expected \
             i32",
        ),
    ];
    for (fixture, expected) in cases {
        let home = TempHome::new();
        fs::create_dir_all(home.config_dir()).unwrap();
        let config = home.config_dir().join("config.toml");
        fs::copy(fixtures.join(fixture), &config).unwrap();
        let message = format!(
            "ggchat: invalid config file {}, {expected}\n",
            config.display()
        );
        let out = home.run(&["ask", "--model", &model_arg(), "hi"]);
        assert!(!out.status.success(), "{fixture}");
        assert_eq!(stderr(&out), message, "{fixture}");
        assert!(stdout(&out).is_empty());
        for args in [&["models"][..], &["sessions", "list"], &["paths"]] {
            let out = home.run(args);
            assert!(!out.status.success(), "{fixture}: {args:?}");
            assert_eq!(stderr(&out), message, "{fixture}: {args:?}");
        }
    }
}

#[test]
fn out_of_range_flags_are_refused_before_any_model_is_loaded() {
    let home = TempHome::new();
    let cases = [
        (
            "--temperature=NaN",
            "temperature = NaN is out of range: 0 to 5 (0 = greedy)",
        ),
        (
            "--temperature=inf",
            "temperature = inf is out of range: 0 to 5 (0 = greedy)",
        ),
        (
            "--temperature=-0.5",
            "temperature = -0.5 is out of range: 0 to 5 (0 = greedy)",
        ),
        (
            "--top-k=-1",
            "top_k = -1 is out of range: 0 to 100000 (0 = off)",
        ),
        (
            "--top-p=0",
            "top_p = 0 is out of range: above 0 and at most 1 (1 = off)",
        ),
        (
            "--min-p=1.5",
            "min_p = 1.5 is out of range: 0 to 1 (0 = off)",
        ),
        (
            "--repeat-penalty=0",
            "repeat_penalty = 0 is out of range: 0.1 to 5 (1 = off)",
        ),
        (
            "--max-tokens=0",
            "max_tokens = 0 is out of range: 1 to 1000000",
        ),
        (
            "--ctx-size=2000000",
            "ctx_size = 2000000 is out of range: 256 to 1048576 tokens",
        ),
        (
            "--gpu-layers=10001",
            "gpu_layers = 10001 is out of range: 0 to 10000",
        ),
        (
            "--threads=5000",
            "threads = 5000 is out of range: 1 to 1024",
        ),
    ];
    for (flag, message) in cases {
        let run = ggchat(&home, &["ask", "--model", &model_arg(), flag, "hi"]);
        assert!(!run.status.success(), "{flag}");
        assert_eq!(run.stderr, format!("ggchat: invalid option: {message}\n"));
        // Refused before loading: no model memory was ever touched.
        assert!(
            run.max_rss_kib < SMALL_RSS_KIB,
            "{flag}: {} KiB",
            run.max_rss_kib
        );
    }
    // Values that are not numbers of the flag's type are refused by the parser, naming the flag.
    for (flag, name) in [
        ("--seed=-1", "--seed"),
        ("--ctx-size=99999999999", "--ctx-size"),
        ("--top-k=lots", "--top-k"),
    ] {
        let run = ggchat(&home, &["ask", "--model", &model_arg(), flag, "hi"]);
        assert_eq!(run.status.code(), Some(2), "{flag}");
        assert!(
            run.stderr.contains("invalid value") && run.stderr.contains(name),
            "{flag}: {}",
            run.stderr
        );
    }
}

#[test]
fn the_settings_pane_refuses_absurd_values_and_changes_nothing() {
    use ggchat::params::{ModelParams, SamplingParams};
    use ggchat::tui::settings::{FIELDS, Settings};
    let fresh = || Settings {
        sampling: SamplingParams::default(),
        model: ModelParams::default(),
    };
    let index = |label: &str| FIELDS.iter().position(|f| f.label == label).unwrap();
    // One clearly out-of-range value for every field.
    for (label, value) in [
        ("temperature", "6"),
        ("top_k", "-1"),
        ("top_p", "0"),
        ("min_p", "2"),
        ("repeat_penalty", "0"),
        ("repeat_last_n", "70000"),
        ("presence_penalty", "3"),
        ("frequency_penalty", "-3"),
        ("max_tokens", "0"),
        ("seed", "-1"),
        ("ctx_size", "100"),
        ("gpu_layers", "10001"),
        ("threads", "0"),
        ("batch_size", "8"),
        ("flash_attention", "fast"),
        ("lora_path", "/no/such/adapter.gguf"),
        ("lora_scale", "11"),
    ] {
        let mut settings = fresh();
        let error = settings.apply(index(label), value).unwrap_err();
        assert!(error.contains(label), "{label}: {error}");
        assert_eq!(settings, fresh(), "{label} changed after refusing {value}");
    }
    // Every field against hostile text: refused without change, or accepted and in range.
    let hostile = [
        "NaN",
        "inf",
        "-inf",
        "-1",
        "-0",
        "1e40",
        "99999999999999999999",
        "0x10",
        "1 2",
        "",
        " ",
        "auto",
        "\u{1b}[2J",
        "\u{0}",
        "١٢",
        "💥",
    ];
    for (i, field) in FIELDS.iter().enumerate() {
        for text in hostile {
            let mut settings = fresh();
            match settings.apply(i, text) {
                Err(error) => {
                    assert!(error.contains(field.label), "{}: {error}", field.label);
                    assert_eq!(settings, fresh(), "{} {text:?}", field.label);
                }
                Ok(_) => {
                    assert!(
                        settings.sampling.validate().is_ok(),
                        "{} {text:?}",
                        field.label
                    );
                    assert!(
                        settings.model.validate().is_ok(),
                        "{} {text:?}",
                        field.label
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A prompt longer than the context
// ---------------------------------------------------------------------------------------------

#[test]
fn a_prompt_longer_than_the_whole_context_is_a_clear_error() {
    let home = TempHome::new();
    let long = "word ".repeat(400);
    let run = ggchat(
        &home,
        &["ask", "--model", &model_arg(), "--ctx-size", "256", &long],
    );
    assert!(!run.status.success());
    assert!(
        run.stderr
            .contains("the message is too long for the context"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// Session files: hostile text, broken files, full and read-only disks, two processes
// ---------------------------------------------------------------------------------------------

use ggchat::chat::{Conversation, Message};
use ggchat::params::{ModelParams, SamplingParams};
use ggchat::store::{ModelRef, Session, Store};

fn sessions_dir(home: &TempHome) -> std::path::PathBuf {
    home.data_dir().join("sessions")
}

fn save(home: &TempHome, session: &mut Session) {
    Store::open(&sessions_dir(home))
        .unwrap()
        .save(session)
        .unwrap();
}

/// Escape sequences, C0 and C1 controls and bidi overrides in every text a session holds.
fn hostile_session() -> Session {
    let mut s = Session::new(
        "System \x1b[2J prompt",
        SamplingParams::default(),
        ModelParams::default(),
    );
    s.set_title("Evil \x1b]0;pwned\x07 title \u{202e}txt");
    s.persona = Some("Persona \x1b[5m".into());
    s.model = Some(ModelRef {
        file_name: "m\x1b[31m.gguf".into(),
        size: 1,
        fingerprint: "0000000000000000".into(),
    });
    s.conversation.messages.push(Message::user(
        "hello \x1b[31mred\x1b[0m and \u{9b}1mbold\u{9c} \x07bell",
    ));
    let mut reply = Message::assistant(
        "reply \x1b]52;c;ZXZpbA==\x07with OSC 52\r\nand \u{202e}reversed \x1bPdcs\x1b\\ end",
    );
    reply.model = Some("evil\x1b[5m model".into());
    s.conversation.messages.push(reply);
    s
}

#[test]
fn session_text_with_escape_sequences_is_shown_sanitized() {
    let home = TempHome::new();
    let mut session = hostile_session();
    save(&home, &mut session);
    let shown = ggchat(&home, &["sessions", "show", &session.id]);
    assert!(shown.status.success(), "{}", shown.stderr);
    assert_terminal_safe(&shown.stdout, "sessions show");
    for visible in [
        "Evil",
        "hello red and bold bell",
        "reply with OSC 52\nand reversed  end",
    ] {
        assert!(
            shown.stdout.contains(visible),
            "{visible}: {}",
            shown.stdout
        );
    }
    // The OSC 52 clipboard write is removed whole; the title lost its controls when it was set.
    assert!(!shown.stdout.contains("ZXZpbA"), "{}", shown.stdout);
    for args in [
        &["sessions", "list"][..],
        &["sessions", "search", "red"],
        &["sessions", "rename", &session.id, "Renamed \x1b[2J\x07"],
    ] {
        let run = ggchat(&home, args);
        assert!(run.status.success(), "{args:?}: {}", run.stderr);
        assert_terminal_safe(&run.stdout, &format!("{args:?}"));
        assert_terminal_safe(run.stderr.trim_end(), &format!("{args:?}"));
    }
    // Redirected, an export is the exact text (a faithful copy); see the pty test for a terminal.
    let exported = ggchat(&home, &["sessions", "export", &session.id]);
    assert!(
        exported.stdout.contains("\x1b[31mred"),
        "{}",
        exported.stdout
    );
    let json = ggchat(
        &home,
        &["sessions", "export", &session.id, "--format", "json"],
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        value["conversation"]["messages"][0]["content"],
        session.conversation.messages[0].content
    );
}

/// Runs ggchat in a pseudo-terminal and returns everything it wrote there.
fn run_in_pty(home: &TempHome, args: &[&str]) -> String {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ggchat"));
    command.args(args);
    command.env("GGCHAT_CONFIG_DIR", home.config_dir());
    command.env("GGCHAT_DATA_DIR", home.data_dir());
    command.env_remove("GGCHAT_LOG");
    let mut child = pair.slave.spawn_command(command).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let reading = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // EIO: the child exited and closed the terminal.
                Err(_) => break,
            }
        }
        out
    });
    assert!(child.wait().unwrap().success());
    let out = reading.join().unwrap();
    drop(pair.master);
    // The terminal turns "\n" into "\r\n".
    String::from_utf8(out).unwrap().replace("\r\n", "\n")
}

#[test]
fn an_export_to_a_terminal_is_sanitized() {
    let home = TempHome::new();
    let mut session = hostile_session();
    save(&home, &mut session);
    let out = run_in_pty(&home, &["sessions", "export", &session.id]);
    assert_terminal_safe(&out, "markdown");
    assert!(out.contains("hello red and bold"), "{out}");
    // JSON escapes C0 controls itself; raw C1 controls and bidi overrides are removed.
    let out = run_in_pty(
        &home,
        &["sessions", "export", &session.id, "--format", "json"],
    );
    assert_terminal_safe(&out, "json");
    assert!(out.contains(r"hello \u001b[31mred"), "{out}");
    let shown = run_in_pty(&home, &["sessions", "show", &session.id]);
    assert_terminal_safe(&shown, "sessions show on a terminal");
}

#[test]
fn broken_session_files_are_reported_without_escapes_and_left_untouched() {
    let home = TempHome::new();
    let mut good = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    good.conversation
        .messages
        .push(Message::user("good question"));
    save(&home, &mut good);
    let dir = sessions_dir(&home);
    let text = fs::read_to_string(dir.join(format!("{}.json", good.id))).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "20260101-000000-0001",
            text.replace(
                "\"role\": \"user\"",
                "\"role\": \"\\u001b]0;pwned\\u0007\\u001b[2J\"",
            )
            .into_bytes(),
            "unknown variant",
        ),
        (
            "20260101-000000-0002",
            text.replace("good question", "bad \u{FFFD} byte")
                .into_bytes()
                .into_iter()
                .flat_map(|b| if b == 0xEF { vec![0xFF] } else { vec![b] })
                .collect(),
            "invalid unicode code point",
        ),
        (
            "20260101-000000-0003",
            text.replace("good question", "lone \\ud800 surrogate")
                .into_bytes(),
            "unexpected end of hex escape",
        ),
        (
            "20260101-000000-0004",
            text.replace("good question", "raw \x1b[2J escape")
                .into_bytes(),
            "control character",
        ),
        (
            "20260101-000000-0005",
            text.replacen("\"format_version\": 1", "\"format_version\": 2", 1)
                .into_bytes(),
            "newer ggchat (format 2)",
        ),
        (
            "20260101-000000-0006",
            text.replace("\"revision\": 1", "\"revision\": \"1\"")
                .into_bytes(),
            "invalid type: string \"1\", expected u64",
        ),
        (
            "20260101-000000-0007",
            text.as_bytes()[..text.len() / 3].to_vec(),
            "truncated or incomplete JSON",
        ),
    ];
    for (id, bytes, _) in &cases {
        fs::write(dir.join(format!("{id}.json")), bytes).unwrap();
    }
    // A session file of 1 GiB (sparse): refused by its size, never read.
    let huge = dir.join("20260101-000000-0008.json");
    fs::File::create(&huge).unwrap().set_len(GIB).unwrap();

    let listed = ggchat(&home, &["sessions", "list"]);
    assert!(listed.status.success(), "{}", listed.stderr);
    assert!(listed.stdout.contains("good question"), "{}", listed.stdout);
    assert_terminal_safe(listed.stderr.trim_end(), "the warnings");
    for (id, _, expected) in &cases {
        let warning = listed
            .stderr
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("{id} not reported: {}", listed.stderr));
        assert!(warning.contains(expected), "{id}: {warning}");
        assert!(warning.ends_with("; left untouched"), "{warning}");
        let shown = ggchat(&home, &["sessions", "show", id]);
        assert!(!shown.status.success(), "{id}");
        assert!(shown.stderr.contains(expected), "{id}: {}", shown.stderr);
        assert!(
            shown.stderr.contains(&format!("{id}.json")),
            "{}",
            shown.stderr
        );
        assert_terminal_safe(shown.stderr.trim_end(), id);
    }
    assert!(
        listed
            .stderr
            .contains("1024 MiB is larger than any session ggchat writes (256 MiB)"),
        "{}",
        listed.stderr
    );
    assert!(
        listed.max_rss_kib < SMALL_RSS_KIB,
        "{} KiB",
        listed.max_rss_kib
    );
    for (id, bytes, _) in &cases {
        assert_eq!(&fs::read(dir.join(format!("{id}.json"))).unwrap(), bytes);
    }
    assert_eq!(fs::metadata(&huge).unwrap().len(), GIB);
}

/// Makes writes past `bytes` fail with EFBIG in the process that calls it (a real, kernel-made
/// "disk full": root ignores permissions but not RLIMIT_FSIZE).
fn limit_file_size(bytes: u64) -> std::io::Result<()> {
    // SAFETY: plain system calls with valid arguments; async-signal-safe, so usable in pre_exec.
    unsafe {
        if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR {
            return Err(std::io::Error::last_os_error());
        }
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

fn big_session(home: &TempHome) -> Session {
    let mut session = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    session
        .conversation
        .messages
        .push(Message::user(format!("keep me {}", "x".repeat(20_000))));
    save(home, &mut session);
    session
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_full_disk_while_saving_keeps_the_previous_file_and_says_so() {
    let home = TempHome::new();
    let session = big_session(&home);
    let path = sessions_dir(&home).join(format!("{}.json", session.id));
    let before = fs::read(&path).unwrap();
    let mut command = home.command();
    command.args(["sessions", "rename", &session.id, "New title"]);
    // SAFETY: limit_file_size only makes async-signal-safe system calls.
    unsafe {
        command.pre_exec(|| limit_file_size(8 * 1024));
    }
    let run = run_measured(command);
    assert!(!run.status.success());
    assert_eq!(
        run.stderr,
        format!(
            "ggchat: cannot save {}: File too large (os error 27); the previous version is \
             unchanged — free some disk space or make the directory writable, then try again\n",
            path.display()
        )
    );
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "the previous file is intact"
    );
    assert_eq!(
        names_in(&sessions_dir(&home)),
        [
            format!("{}.json", session.id),
            format!("{}.lock", session.id)
        ],
        "no temporary file is left behind"
    );
    // With space again, the same command works.
    let run = ggchat(&home, &["sessions", "rename", &session.id, "New title"]);
    assert!(run.status.success(), "{}", run.stderr);
}

#[test]
fn a_read_only_sessions_directory_keeps_the_previous_file_and_says_so() {
    if !is_root() {
        // Only root can give the directory to another user to make it read-only for ggchat
        // (ggchat makes its own directory owner-writable again); the full-disk test covers the
        // same failed write without root.
        eprintln!("not root: the read-only case runs as root only");
        return;
    }
    let home = TempHome::new();
    let session = big_session(&home);
    let dir = sessions_dir(&home);
    let path = dir.join(format!("{}.json", session.id));
    // Everything stays root's: `nobody` may read the session and take its lock, not write.
    for (p, mode) in [
        (home.dir.path().to_path_buf(), 0o755),
        (home.data_dir(), 0o755),
        (dir.clone(), 0o755),
        (path.clone(), 0o644),
        (dir.join(format!("{}.lock", session.id)), 0o666),
    ] {
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
    }
    let before = fs::read(&path).unwrap();
    let mut command = home.command();
    command
        .args(["sessions", "rename", &session.id, "New title"])
        .uid(NOBODY)
        .gid(NOBODY);
    let run = run_measured(command);
    assert!(!run.status.success());
    assert_eq!(
        run.stderr,
        format!(
            "ggchat: cannot save {}: Permission denied (os error 13); the previous version is \
             unchanged — free some disk space or make the directory writable, then try again\n",
            path.display()
        )
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names_in(&dir).len(), 2, "{:?}", names_in(&dir));
}

#[test]
fn two_processes_on_one_session_never_lose_or_tear_a_write() {
    let home = std::sync::Arc::new(TempHome::new());
    let session = big_session(&home);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A third process keeps reading the session while the two others rename it.
    let reader = {
        let (home, done, id) = (home.clone(), done.clone(), session.id.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let run = ggchat(&home, &["sessions", "show", &id]);
                assert!(
                    run.status.success(),
                    "a reader saw a torn file: {}",
                    run.stderr
                );
                assert!(run.stdout.contains("keep me"));
                reads += 1;
            }
            reads
        })
    };
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (home, id) = (home.clone(), session.id.clone());
            std::thread::spawn(move || {
                for i in 0..10 {
                    let title = format!("writer {w} rename {i}");
                    let run = ggchat(&home, &["sessions", "rename", &id, &title]);
                    assert!(run.status.success(), "{title}: {}", run.stderr);
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let reads = reader.join().unwrap();
    let store = Store::open(&sessions_dir(&home)).unwrap();
    let last = store.load(&session.id).unwrap();
    // Every one of the 20 renames was a save on top of the previous one: none was lost.
    assert_eq!(last.revision, session.revision + 20, "after {reads} reads");
    assert!(last.title.ends_with("rename 9"), "{}", last.title);
    assert_eq!(last.conversation, session.conversation);
    assert_eq!(store.list().1, [], "no problem files");
    assert_eq!(names_in(&sessions_dir(&home)).len(), 2);
}

// ---------------------------------------------------------------------------------------------
// The chat screen (App) with the same bad input
// ---------------------------------------------------------------------------------------------

use ggchat::tui::app::App;

fn app() -> App {
    let (tx, _rx) = std::sync::mpsc::channel();
    App::new(
        ggchat::engine::EngineLink::new(tx),
        Conversation::new("You are a helpful, concise assistant."),
        SamplingParams::default(),
    )
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ggchat::tui::view::draw(frame, app))
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_reopened_session_with_escape_sequences_draws_clean() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let home = TempHome::new();
    let mut session = hostile_session();
    save(&home, &mut session);
    let store = Store::open(&sessions_dir(&home)).unwrap();
    let mut app = app();
    let loaded = store.load(&session.id).unwrap();
    app.attach_store(store, Some(loaded));
    let chat = screen(&mut app, 120, 40);
    assert_terminal_safe(&chat, "the chat");
    assert!(chat.contains("hello red and bold"), "{chat}");
    // The sessions pane lists its title.
    app.handle_key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE));
    let pane = screen(&mut app, 120, 40);
    assert_terminal_safe(&pane, "the sessions pane");
    assert!(pane.contains("Evil"), "{pane}");
}

#[test]
fn two_chat_screens_on_one_session_lose_nothing() {
    let home = TempHome::new();
    let mut first = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    first.conversation.messages.push(Message::user("start"));
    save(&home, &mut first);
    let dir = sessions_dir(&home);
    let open = || {
        let store = Store::open(&dir).unwrap();
        let session = store.load(&first.id).unwrap();
        let mut app = app();
        app.attach_store(store, Some(session));
        app
    };
    let (mut a, mut b) = (open(), open());
    a.conversation.messages.push(Message::user("from A"));
    a.save_session();
    assert_eq!(a.notice, None);
    b.conversation.messages.push(Message::user("from B"));
    b.save_session();
    let notice = b.notice.clone().expect("B is told");
    assert_eq!(
        notice.text,
        "another ggchat changed this session; this chat was saved as a new one"
    );
    assert!(!notice.is_error);
    assert_ne!(b.session.id, first.id);
    // Both keep saving, each to its own file.
    a.conversation.messages.push(Message::user("A again"));
    a.save_session();
    b.conversation.messages.push(Message::user("B again"));
    b.save_session();
    let store = Store::open(&dir).unwrap();
    let contents = |id: &str| -> Vec<String> {
        let session = store.load(id).unwrap();
        session
            .conversation
            .messages
            .into_iter()
            .map(|m| m.content)
            .collect()
    };
    assert_eq!(contents(&first.id), ["start", "from A", "A again"]);
    assert_eq!(contents(&b.session.id), ["start", "from B", "B again"]);
    assert_eq!(store.list().0.len(), 2);
}

const CHILD_DIR_ENV: &str = "GGCHAT_BAD_INPUT_CHILD_DIR";
const CHILD_ID_ENV: &str = "GGCHAT_BAD_INPUT_CHILD_ID";
const CHILD_DONE: &str = "GGCHAT-BAD-INPUT-CHILD-DONE";

/// Runs only in the re-executed test binary (see the next test); returns at once otherwise.
#[test]
fn child_process_entry() {
    let (Some(dir), Ok(id)) = (std::env::var_os(CHILD_DIR_ENV), std::env::var(CHILD_ID_ENV)) else {
        return;
    };
    let store = Store::open(Path::new(&dir)).unwrap();
    let path = store.path_of(&id);
    let session = store.load(&id).unwrap();
    let mut app = app();
    app.attach_store(store, Some(session));
    let before = fs::read(&path).unwrap();
    limit_file_size(8 * 1024).unwrap();
    app.conversation
        .messages
        .push(Message::user("y".repeat(20_000)));
    app.save_session();
    let notice = app.notice.clone().expect("the user is told");
    assert!(notice.is_error, "{notice:?}");
    assert_eq!(
        notice.text,
        format!(
            "could not save the session (cannot save {}: File too large (os error 27); the \
             previous version is unchanged — free some disk space or make the directory \
             writable, then try again); the previous file is intact",
            path.display()
        )
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    // The chat goes on: the message is still there, and a later save (with space) keeps it.
    assert_eq!(app.conversation.messages.len(), 2);
    println!("{CHILD_DONE}");
}

#[test]
fn a_failed_autosave_in_the_chat_tells_the_user_and_keeps_the_file() {
    let home = TempHome::new();
    let session = big_session(&home);
    // The file-size limit must not hit this test process: the check runs in a copy of it.
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_process_entry",
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD_DIR_ENV, sessions_dir(&home))
        .env(CHILD_ID_ENV, &session.id)
        .output()
        .unwrap();
    let child_out = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && child_out.contains(CHILD_DONE),
        "{child_out}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn out_of_range_settings_in_a_session_file_are_not_applied() {
    let home = TempHome::new();
    let mut session = Session::new(
        "Be brief.",
        SamplingParams::default(),
        ModelParams::default(),
    );
    session.conversation.messages.push(Message::user("hi"));
    // As a hand edit would leave them: the file format does not bound the values.
    session.sampling.temperature = 99.0;
    session.sampling.max_tokens = 0;
    session.model_params.ctx_size = Some(5);
    save(&home, &mut session);
    let shown = ggchat(&home, &["sessions", "show", &session.id]);
    assert!(shown.status.success(), "{}", shown.stderr);
    let store = Store::open(&sessions_dir(&home)).unwrap();
    let loaded = store.load(&session.id).unwrap();
    assert_eq!(loaded.sampling.temperature, 99.0);
    let mut app = app();
    app.attach_store(store, Some(loaded));
    // The conversation opens; the chat keeps its own (valid) settings.
    assert_eq!(app.conversation.messages.len(), 1);
    assert_eq!(app.sampling, SamplingParams::default());
    assert_eq!(app.model_params, ModelParams::default());
    // And says so, naming the value.
    let notice = app.notice.as_ref().expect("a notice");
    assert!(notice.is_error);
    assert!(notice.text.contains("temperature = 99"), "{}", notice.text);
}
