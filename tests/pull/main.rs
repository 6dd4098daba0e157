//! `ggchat pull` end to end: the real binary against a local stand-in for the hubs (hub.rs),
//! pulling the real default model, through every failure the issue names.

mod cases;
#[path = "../common/mod.rs"]
mod common;
mod existing;
mod faults;
#[path = "../hub_support/mod.rs"]
mod hub;
mod split;
mod terminal;

use common::TempHome;
use hub::{Hub, HubFile};
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::process::Output;
use std::sync::{Arc, OnceLock};

pub const REPO: &str = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF";

/// The real default model's bytes (read once).
pub fn model_bytes() -> Arc<Vec<u8>> {
    static BYTES: OnceLock<Arc<Vec<u8>>> = OnceLock::new();
    BYTES
        .get_or_init(|| Arc::new(std::fs::read(common::default_model()).expect("read model")))
        .clone()
}

pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A hub whose `REPO` holds the default model (LFS) and a README (plain git).
pub fn hub_with_model() -> Hub {
    let hub = Hub::start();
    hub.add_repo(
        REPO,
        vec![
            HubFile::git("README.md", b"# SmolLM2\n"),
            HubFile::lfs(common::DEFAULT_MODEL_FILE, model_bytes()),
        ],
    );
    hub
}

pub fn models_dir(home: &TempHome) -> PathBuf {
    home.data_dir().join("models")
}

/// The names in the models folder, sorted.
pub fn files(home: &TempHome) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(models_dir(home))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// `ggchat pull ARGS` with HF_ENDPOINT at `hub`, stdin closed.
pub fn pull(home: &TempHome, hub: &Hub, args: &[&str]) -> Output {
    pull_env(home, hub, args, &[])
}

pub fn pull_env(home: &TempHome, hub: &Hub, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = home.command();
    command
        .arg("pull")
        .args(args)
        .env("HF_ENDPOINT", hub.url())
        .env_remove("HF_TOKEN")
        .env_remove("MODELSCOPE_DOMAIN")
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run ggchat pull")
}

pub fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        common::stdout(output),
        common::stderr(output)
    )
}
