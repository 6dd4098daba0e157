//! Removing a model: every part of a split model, the provenance file of each part and any
//! `.part` left by an unfinished pull. `ggchat models rm` and the model picker's delete action
//! both come here, so both remove the same files.

use std::path::{Path, PathBuf};

/// The model named `name` (a file name as `ggchat models` lists it, `.gguf` optional, or a split
/// model's name without `-00001-of-0000N`) in `dirs`: the path of its (first) file.
pub fn find(name: &str, dirs: &[PathBuf]) -> anyhow::Result<PathBuf> {
    if name.contains(['/', '\\']) || name.starts_with('.') {
        anyhow::bail!("{}", crate::tr!("models-not-a-name", name = name));
    }
    let wanted = if name.to_ascii_lowercase().ends_with(".gguf") {
        name.to_owned()
    } else {
        format!("{name}.gguf")
    };
    let found = dirs.iter().find_map(|dir| {
        let path = dir.join(&wanted);
        if path.is_file() {
            return Some(path);
        }
        // A split model named by its first part's prefix ("model" for model-00001-of-00003).
        super::gguf_files(dir).into_iter().find(|p| {
            crate::gguf::parse_split_name(p)
                .is_some_and(|s| s.prefix.file_name().is_some_and(|n| *n == *name))
        })
    });
    found.ok_or_else(|| anyhow::anyhow!("{}", crate::tr!("models-not-found", name = name)))
}

/// Every file of the model whose (first) file is `first`, that exists.
pub fn files_of(first: &Path) -> Vec<PathBuf> {
    let parts = match crate::gguf::parse_split_name(first) {
        Some(s) => (1..=s.count)
            .map(|i| crate::gguf::split_path(&s.prefix, i, s.count))
            .collect(),
        None => vec![first.to_owned()],
    };
    let mut files = Vec::new();
    for part in parts {
        let extra = [
            crate::pull::provenance::path_for(&part),
            crate::pull::download::part_path(&part),
        ];
        files.push(part);
        files.extend(extra);
    }
    files.into_iter().filter(|p| p.exists()).collect()
}

/// Their total size on disk.
pub fn size(files: &[PathBuf]) -> u64 {
    files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Deletes `files`, calling `deleted` after each; stops at the first that cannot be deleted.
pub fn delete(files: &[PathBuf], mut deleted: impl FnMut(&Path)) -> anyhow::Result<()> {
    use anyhow::Context;
    for file in files {
        std::fs::remove_file(file).with_context(|| {
            crate::tr!("models-rm-cannot-delete", path = file.display().to_string())
        })?;
        deleted(file);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_model_goes_whole_with_its_provenance_and_part_files() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "m-00001-of-00002.gguf",
            "m-00001-of-00002.gguf.source.json",
            "m-00002-of-00002.gguf",
            "m-00002-of-00002.gguf.source.json",
            "m-00002-of-00002.gguf.part",
            "other.gguf",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        let first = find("m", &[dir.path().to_owned()]).unwrap();
        assert_eq!(first, dir.path().join(names[0]));
        let files = files_of(&first);
        assert_eq!(files.len(), 5, "{files:?}");
        let mut count = 0;
        delete(&files, |_| count += 1).unwrap();
        assert_eq!(count, 5);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only other.gguf stays");
    }
}
