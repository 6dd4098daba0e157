//! Where ggchat keeps its files.
//!
//! The platform's config and data directories (crate `directories`), each overridable by an
//! environment variable so that tests, portable installs and CI never touch the real home.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Overrides the config directory (holds `config.toml` and `personas/`).
pub const CONFIG_DIR_ENV: &str = "GGCHAT_CONFIG_DIR";
/// Overrides the data directory (holds `models/`, `sessions/` and the log file).
pub const DATA_DIR_ENV: &str = "GGCHAT_DATA_DIR";

/// The directories ggchat uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

fn from_env(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

impl Paths {
    /// Resolves the directories from the environment and the platform conventions.
    pub fn discover() -> Result<Paths> {
        let project = directories::ProjectDirs::from("", "", "ggchat");
        let pick = |env: &str, platform: Option<&Path>| -> Result<PathBuf> {
            from_env(env)
                .or_else(|| platform.map(Path::to_path_buf))
                .with_context(|| {
                    format!("cannot find a home directory; set {env} to a directory ggchat may use")
                })
        };
        Ok(Paths {
            config_dir: pick(CONFIG_DIR_ENV, project.as_ref().map(|p| p.config_dir()))?,
            data_dir: pick(DATA_DIR_ENV, project.as_ref().map(|p| p.data_dir()))?,
        })
    }

    /// Both directories under one root (for tests and examples).
    pub fn under(root: &Path) -> Paths {
        Paths {
            config_dir: root.join("config"),
            data_dir: root.join("data"),
        }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn personas_dir(&self) -> PathBuf {
        self.config_dir.join("personas")
    }

    pub fn models_dir(&self) -> PathBuf {
        self.data_dir.join("models")
    }

    pub fn sessions_dir(&self) -> PathBuf {
        self.data_dir.join("sessions")
    }

    /// KV snapshots of sessions (`crate::engine::snapshot`).
    pub fn snapshots_dir(&self) -> PathBuf {
        self.data_dir.join("snapshots")
    }

    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("ggchat.log")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_under_a_root() {
        let paths = Paths::under(Path::new("/tmp/x"));
        assert_eq!(paths.models_dir(), Path::new("/tmp/x/data/models"));
        assert_eq!(paths.config_file(), Path::new("/tmp/x/config/config.toml"));
    }
}
