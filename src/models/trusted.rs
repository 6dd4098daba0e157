//! Which files a session file may make ggchat open.
//!
//! A session file is untrusted input: it may come from someone else, or be edited by hand. If its
//! model or LoRA path were opened as written, a session could point ggchat (and llama.cpp's
//! parser) at any file the user can read, such as `/etc/passwd` or `../../.ssh/id_ed25519`. So a
//! path from a session is only used when it names a `.gguf` file directly inside a trusted
//! folder: the model folders (the models directory and `model_dirs` from the config) and the
//! folders of the models the user named himself (`--model`, `default_model`). Anything else is
//! refused with a [`Refused`] that names the path, and nothing is opened, not even to read its
//! fingerprint.

use crate::store::ModelRef;
use std::path::{Component, Path, PathBuf};
use thiserror::Error;

/// Why a path from a session was not used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refused {
    #[error(
        "the session names the model \"{name}\", which is not a .gguf file name in a model folder ({dirs}); it was not opened"
    )]
    ModelName { name: String, dirs: String },
    #[error("the session's model \"{name}\" is not in the model folders ({dirs})")]
    ModelMissing { name: String, dirs: String },
    #[error(
        "the session names the LoRA adapter \"{path}\", which is not a .gguf file in a model folder ({dirs}); it was not opened"
    )]
    Lora { path: String, dirs: String },
    #[error(
        "the session names the draft model \"{path}\", which is not a .gguf file in a model folder ({dirs}); it was not opened"
    )]
    DraftModel { path: String, dirs: String },
}

/// A session's model, found in a trusted folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Size and fingerprint are those the session was saved with.
    pub same_file: bool,
}

/// The folders paths from a session may point into, each canonical (symlinks resolved), without
/// duplicates; folders that do not exist are left out.
pub fn trusted_dirs(model_dirs: &[PathBuf], named_models: &[PathBuf]) -> Vec<PathBuf> {
    let parents = named_models.iter().filter_map(|m| {
        let parent = m.parent()?;
        Some(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
    });
    let mut dirs: Vec<PathBuf> = Vec::new();
    for dir in model_dirs.iter().map(PathBuf::as_path).chain(parents) {
        if let Ok(canonical) = dir.canonicalize()
            && !dirs.contains(&canonical)
        {
            dirs.push(canonical);
        }
    }
    dirs
}

fn describe(dirs: &[PathBuf]) -> String {
    if dirs.is_empty() {
        return "none exists".into();
    }
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A single `.gguf` file name: no directory, no `..`, no NUL.
fn is_plain_gguf_name(name: &str) -> bool {
    let path = Path::new(name);
    let mut components = path.components();
    matches!(
        (components.next(), components.next()),
        (Some(Component::Normal(_)), None)
    ) && !name.contains(['/', '\\', '\0'])
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gguf"))
}

/// Finds the session's model by its file name in `dirs`, preferring the file whose size and
/// fingerprint match what the session recorded.
pub fn session_model(model: &ModelRef, dirs: &[PathBuf]) -> Result<Found, Refused> {
    if !is_plain_gguf_name(&model.file_name) {
        return Err(Refused::ModelName {
            name: model.file_name.clone(),
            dirs: describe(dirs),
        });
    }
    let candidates: Vec<PathBuf> = dirs
        .iter()
        .map(|dir| dir.join(&model.file_name))
        .filter(|path| path.is_file())
        .collect();
    let same = |path: &PathBuf| {
        ModelRef::from_path(path)
            .is_ok_and(|found| found.size == model.size && found.fingerprint == model.fingerprint)
    };
    if let Some(path) = candidates.iter().find(|p| same(p)) {
        return Ok(Found {
            path: path.clone(),
            same_file: true,
        });
    }
    match candidates.into_iter().next() {
        Some(path) => Ok(Found {
            path,
            same_file: false,
        }),
        None => Err(Refused::ModelMissing {
            name: model.file_name.clone(),
            dirs: describe(dirs),
        }),
    }
}

/// Accepts a LoRA path from a session only when it is an absolute path, without `.` or `..`, to
/// a `.gguf` file directly inside one of `dirs`.
pub fn session_lora(path: &Path, dirs: &[PathBuf]) -> Result<PathBuf, Refused> {
    session_file(path, dirs, || Refused::Lora {
        path: path.display().to_string(),
        dirs: describe(dirs),
    })
}

/// Accepts a draft-model path from a session under the same rule as a LoRA path.
pub fn session_draft_model(path: &Path, dirs: &[PathBuf]) -> Result<PathBuf, Refused> {
    session_file(path, dirs, || Refused::DraftModel {
        path: path.display().to_string(),
        dirs: describe(dirs),
    })
}

fn session_file(
    path: &Path,
    dirs: &[PathBuf],
    refused: impl Fn() -> Refused,
) -> Result<PathBuf, Refused> {
    let plain = path.is_absolute()
        && path
            .components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)));
    let name_ok = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(is_plain_gguf_name);
    if !plain || !name_ok {
        return Err(refused());
    }
    let parent = path.parent().and_then(|p| p.canonicalize().ok());
    match parent {
        Some(parent) if dirs.contains(&parent) && path.is_file() => Ok(path.to_path_buf()),
        _ => Err(refused()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_ref(path: &Path) -> ModelRef {
        ModelRef::from_path(path).unwrap()
    }

    #[test]
    fn only_plain_gguf_names_are_looked_up() {
        for name in [
            "/etc/passwd",
            "../../etc/passwd",
            "../outside.gguf",
            "sub/model.gguf",
            "..",
            ".",
            "",
            "model.bin",
            "/abs/model.gguf",
            "nul\0.gguf",
            "back\\slash.gguf",
        ] {
            assert!(!is_plain_gguf_name(name), "{name:?}");
        }
        assert!(is_plain_gguf_name("SmolLM2.Q4_1.GGUF"));
        assert!(is_plain_gguf_name("..hidden.gguf"));
    }

    #[test]
    fn a_session_model_outside_the_folders_is_refused_without_opening_it() {
        let root = tempfile::tempdir().unwrap();
        let models = root.path().join("models");
        std::fs::create_dir(&models).unwrap();
        let outside = root.path().join("secret.gguf");
        std::fs::write(&outside, b"GGUF secret").unwrap();
        let dirs = trusted_dirs(std::slice::from_ref(&models), &[]);
        for name in [
            outside.display().to_string(),
            "../secret.gguf".to_owned(),
            "/etc/passwd".to_owned(),
        ] {
            let wanted = ModelRef {
                file_name: name.clone(),
                ..model_ref(&outside)
            };
            let err = session_model(&wanted, &dirs).unwrap_err();
            assert!(matches!(err, Refused::ModelName { .. }), "{name}: {err}");
            assert!(err.to_string().contains(&name), "{err}");
            assert!(err.to_string().contains("models"), "{err}");
        }
    }

    #[test]
    fn the_matching_file_is_preferred_and_a_mismatch_is_reported() {
        let root = tempfile::tempdir().unwrap();
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("m.gguf"), b"GGUF first").unwrap();
        std::fs::write(b.join("m.gguf"), b"GGUF second, longer").unwrap();
        let dirs = trusted_dirs(&[a.clone(), b.clone()], &[]);
        let wanted = model_ref(&b.join("m.gguf"));
        let found = session_model(&wanted, &dirs).unwrap();
        assert!(found.same_file);
        assert!(found.path.starts_with(b.canonicalize().unwrap()));
        std::fs::write(b.join("m.gguf"), b"GGUF changed!!!!!!!").unwrap();
        let found = session_model(&wanted, &dirs).unwrap();
        assert!(!found.same_file);
        let gone = ModelRef {
            file_name: "gone.gguf".into(),
            ..wanted
        };
        assert!(matches!(
            session_model(&gone, &dirs),
            Err(Refused::ModelMissing { .. })
        ));
    }

    #[test]
    fn draft_model_paths_follow_the_lora_rule() {
        let root = tempfile::tempdir().unwrap();
        let models = root.path().join("models");
        std::fs::create_dir(&models).unwrap();
        std::fs::write(models.join("small.gguf"), b"GGUF").unwrap();
        std::fs::write(root.path().join("small.gguf"), b"GGUF").unwrap();
        let dirs = trusted_dirs(std::slice::from_ref(&models), &[]);
        let inside = models.join("small.gguf");
        assert_eq!(session_draft_model(&inside, &dirs).unwrap(), inside);
        let outside = root.path().join("small.gguf");
        let err = session_draft_model(&outside, &dirs).unwrap_err();
        assert!(matches!(err, Refused::DraftModel { .. }), "{err}");
        assert!(err.to_string().contains("draft model"), "{err}");
    }

    #[test]
    fn lora_paths_must_be_inside_a_trusted_folder() {
        let root = tempfile::tempdir().unwrap();
        let models = root.path().join("models");
        std::fs::create_dir(&models).unwrap();
        std::fs::write(models.join("adapter.gguf"), b"GGUF").unwrap();
        std::fs::write(root.path().join("adapter.gguf"), b"GGUF").unwrap();
        let named = root.path().join("cli/model.gguf");
        std::fs::create_dir(root.path().join("cli")).unwrap();
        std::fs::write(root.path().join("cli/lora.gguf"), b"GGUF").unwrap();
        let dirs = trusted_dirs(std::slice::from_ref(&models), &[named]);
        let inside = models.join("adapter.gguf");
        assert_eq!(session_lora(&inside, &dirs).unwrap(), inside);
        let beside_cli_model = root.path().join("cli/lora.gguf");
        assert!(session_lora(&beside_cli_model, &dirs).is_ok());
        for bad in [
            root.path().join("adapter.gguf"),
            models.join("../adapter.gguf"),
            PathBuf::from("adapter.gguf"),
            PathBuf::from("/etc/passwd"),
            models.join("missing.gguf"),
        ] {
            let err = session_lora(&bad, &dirs).unwrap_err();
            assert!(
                err.to_string().contains(&bad.display().to_string()),
                "{err}"
            );
        }
    }
}
