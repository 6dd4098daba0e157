//! Pulls that must fail cleanly: each with a message naming the problem and the next step, and
//! nothing left in the models folder under a model's name.

use crate::common::{self, TempHome};
use crate::hub::{Faults, Hub, HubFile};
use crate::{REPO, files, hub_with_model, model_bytes, models_dir, pull, pull_env, text};

fn fails_with(out: &std::process::Output, wanted: &[&str]) {
    assert!(!out.status.success(), "{}", text(out));
    let err = common::stderr(out);
    for w in wanted {
        assert!(err.contains(w), "missing {w:?} in {}", text(out));
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_repos_files_and_quantizations_are_named() {
    let hub = hub_with_model();
    hub.add_repo(
        "o/safetensors",
        vec![
            HubFile::git("model.safetensors", b"x"),
            HubFile::git("README.md", b""),
        ],
    );
    let home = TempHome::new();
    fails_with(
        &pull(&home, &hub, &["nobody/nothing:Q4_K_M"]),
        &[
            "repository 'nobody/nothing' not found on Hugging Face",
            "HF_TOKEN",
        ],
    );
    fails_with(
        &pull(&home, &hub, &["o/safetensors"]),
        &["'o/safetensors' has no .gguf file", "model.safetensors"],
    );
    fails_with(
        &pull(&home, &hub, &[&format!("{REPO}:Q4_K_M")]),
        &[
            "'quantization Q4_K_M' is not in repository",
            common::DEFAULT_MODEL_FILE,
        ],
    );
    fails_with(
        &pull(&home, &hub, &[&format!("{REPO}/other.gguf")]),
        &["'other.gguf' is not in repository"],
    );
    fails_with(
        &pull(&home, &hub, &["not a repo"]),
        &["invalid model name 'not a repo'"],
    );
    hub.set_faults(Faults {
        file_404: true,
        ..Faults::default()
    });
    fails_with(
        &pull(&home, &hub, &[REPO]),
        &["answered HTTP 404", "not in the repository"],
    );
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!("[pull]\nmodelscope_endpoint = \"{}\"\n", hub.url()),
    )
    .unwrap();
    fails_with(
        &pull(&home, &hub, &["--from", "modelscope", "nobody/nothing"]),
        &["repository 'nobody/nothing' not found on ModelScope"],
    );
    assert!(files(&home).is_empty(), "{:?}", files(&home));
}

#[test]
fn an_unreachable_hub_names_the_setting_to_change() {
    let hub = hub_with_model();
    let home = TempHome::new();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("http://127.0.0.1:{port}");
    let out = pull_env(&home, &hub, &[REPO], &[("HF_ENDPOINT", &dead)]);
    fails_with(
        &out,
        &["Hugging Face is unreachable at", &dead, "HF_ENDPOINT"],
    );
    std::fs::create_dir_all(home.config_dir()).unwrap();
    let config = format!("[pull]\nmodelscope_endpoint = \"{dead}\"\n");
    std::fs::write(home.config_dir().join("config.toml"), config).unwrap();
    let out = pull_env(&home, &hub, &[&format!("modelscope:{REPO}")], &[]);
    fails_with(
        &out,
        &["ModelScope is unreachable at", &dead, "modelscope_endpoint"],
    );
}

#[test]
fn a_corrupted_byte_is_refused_and_nothing_is_kept() {
    let hub = hub_with_model();
    let home = TempHome::new();
    hub.set_faults(Faults {
        corrupt_at: Some(50_000_000),
        ..Faults::default()
    });
    let out = pull(&home, &hub, &[REPO]);
    fails_with(
        &out,
        &[
            "checksum mismatch",
            "nothing was kept",
            &crate::sha256(&model_bytes()),
        ],
    );
    assert!(files(&home).is_empty(), "{:?}", files(&home));
}

#[test]
fn a_web_page_instead_of_the_file_is_refused() {
    let hub = hub_with_model();
    let home = TempHome::new();
    hub.set_faults(Faults {
        html: true,
        ..Faults::default()
    });
    fails_with(
        &pull(&home, &hub, &[REPO]),
        &["answered a web page (HTML) instead of the model file"],
    );
    assert!(files(&home).is_empty(), "{:?}", files(&home));
}

#[test]
fn a_file_that_is_not_gguf_is_refused() {
    let hub = Hub::start();
    // Plain git files: no sha256 published, so only the size and the GGUF check stand guard.
    let mut broken = model_bytes()[..4096].to_vec();
    broken[8..16].copy_from_slice(&u64::MAX.to_le_bytes()); // an absurd tensor count
    hub.add_repo("o/bad", vec![HubFile::git("bad.gguf", &broken)]);
    hub.add_repo(
        "o/text",
        vec![HubFile::git("text.gguf", b"just some text, not a model")],
    );
    let home = TempHome::new();
    let out = pull(&home, &hub, &["o/bad"]);
    fails_with(
        &out,
        &[
            "bad.gguf is not a usable GGUF model",
            "nothing was kept",
            "publishes no sha256",
        ],
    );
    fails_with(
        &pull(&home, &hub, &["o/text"]),
        &["text.gguf is not a usable GGUF model", "GGUF magic"],
    );
    assert!(files(&home).is_empty(), "{:?}", files(&home));
}

/// A tmpfs of `size` mounted on `dir`, unmounted when dropped (CI runs as root).
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(dir: &std::path::Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (CI runs as root)"
        );
        Tmpfs(dir.to_owned())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_reported_and_nothing_is_kept_as_a_model() {
    let hub = hub_with_model();
    let home = TempHome::new();
    let _tmpfs = Tmpfs::mount(&models_dir(&home), "20m");
    let out = pull(&home, &hub, &[REPO]);
    fails_with(
        &out,
        &["disk full while writing", "free some space in", "resume"],
    );
    let names = files(&home);
    assert!(names.iter().all(|n| n.ends_with(".part")), "{names:?}");
}
