//! Shared helpers for the integration tests: where the real models are, and how to run the real
//! binary in a throwaway home.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const DEFAULT_MODEL_FILE: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
pub const GEMMA_MODEL_FILE: &str = "gemma-3-270m-q4_k_m.gguf";

/// The folder `scripts/test.sh` fetches the test models into.
pub fn models_dir() -> PathBuf {
    std::env::var_os("GGCHAT_TEST_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-data/models"))
}

fn model(file: &str, fetch_arg: &str) -> PathBuf {
    let path = models_dir().join(file);
    assert!(
        path.is_file(),
        "the test model {} is missing: run `GGCHAT_DATA_DIR=target/test-data \
         scripts/fetch-model.sh {fetch_arg}` (scripts/test.sh does this)",
        path.display()
    );
    path
}

/// SmolLM2-135M-Instruct Q4_1, the default model.
pub fn default_model() -> PathBuf {
    model(DEFAULT_MODEL_FILE, "smollm2")
}

/// Gemma 3 270M Q4_K_M: a second real model, without a chat template.
pub fn gemma_model() -> PathBuf {
    model(GEMMA_MODEL_FILE, "gemma3")
}

/// A temporary home: config and data directories that tests may write.
pub struct TempHome {
    pub dir: tempfile::TempDir,
}

impl TempHome {
    pub fn new() -> TempHome {
        TempHome {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `ggchat` with this home.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ggchat"));
        command
            .env("GGCHAT_CONFIG_DIR", self.config_dir())
            .env("GGCHAT_DATA_DIR", self.data_dir())
            .env_remove("GGCHAT_LOG")
            // English whatever the developer's locale, so tests can match English text; a
            // test of the Chinese interface sets LANG or passes --lang itself.
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES");
        command
    }

    /// Runs `ggchat ARGS`, with stdin closed.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command()
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run ggchat")
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
