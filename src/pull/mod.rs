//! `ggchat pull`: fetching GGUF models from Hugging Face (or a mirror) and ModelScope.
//!
//! The flow: parse the request ([`spec`]), list the repo through the hub's API ([`source`]),
//! choose the file or every part of a split model, download each into a `.part` file with resume
//! and checksum ([`download`]), check the GGUF headers, rename into place, and record where the
//! file came from ([`provenance`]). Nothing ends in the models folder under its final name
//! unless it passed every check; only a `.part` (which the model lists ignore) can stay behind,
//! and only when resuming it makes sense.

pub mod download;
pub mod endpoint;
mod error;
pub mod job;
mod localized;
pub mod progress;
pub mod provenance;
pub mod source;
pub mod spec;

pub use error::PullError;
pub use source::{Source, SourceKind};
pub use spec::PullSpec;

use download::{Download, part_path};
use progress::Progress;
use provenance::Provenance;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The HTTP client for pulls: connect and idle-read timeouts so a dead network fails instead of
/// hanging. Redirects (Hugging Face's resolve answers with one to its CDN) are followed by
/// [`Source::send`], which decides per hop whether the token may go along.
pub fn client() -> Result<reqwest::Client, PullError> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(15))
        .read_timeout(Duration::from_secs(60))
        .user_agent(concat!("ggchat/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| PullError::Write {
            path: PathBuf::from("(http client)"),
            source: std::io::Error::other(e),
        })
}

/// What a pull produced.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// The model's first (or only) file.
    pub path: PathBuf,
    pub files: Vec<PathBuf>,
    pub already_present: bool,
}

fn file_name(repo_path: &str) -> &str {
    repo_path.rsplit('/').next().unwrap_or(repo_path)
}

fn dest_name(dest: &Path) -> String {
    dest.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// Pulls `spec` from `source` into `models_dir`.
pub async fn pull(
    source: &Source,
    spec: &PullSpec,
    models_dir: &Path,
    progress: &mut Progress,
) -> Result<Pulled, PullError> {
    let client = client()?;
    let listing = source.list(&client, &spec.repo).await?;
    let choice = spec::choose(spec, &listing)?;
    std::fs::create_dir_all(models_dir).map_err(|e| PullError::write(models_dir, e))?;
    let mut downloads = Vec::new();
    for f in &choice.files {
        let name = file_name(&f.path);
        if name.starts_with('.') || name.contains(['\\', '\0']) {
            return Err(PullError::InvalidSpec(f.path.clone()));
        }
        downloads.push(Download {
            url: source.file_url(&spec.repo, &f.path)?,
            dest: models_dir.join(name),
            size: f.size,
            sha256: f.sha256.clone(),
        });
    }
    let files: Vec<PathBuf> = downloads.iter().map(|d| d.dest.clone()).collect();
    // A file already there under the same name is the hub's (same size and, when the hub
    // publishes one, same sha256: nothing to download) or another model, which is never
    // replaced.
    let mut present = 0;
    for d in &downloads {
        if d.dest.exists() {
            if !download::same_file(d).map_err(|e| PullError::write(&d.dest, e))? {
                return Err(PullError::Exists {
                    path: d.dest.clone(),
                });
            }
            present += 1;
        }
    }
    if present == downloads.len() && crate::gguf::summarize(&files[0]).is_ok() {
        return Ok(Pulled {
            path: files[0].clone(),
            files,
            already_present: true,
        });
    }
    let total: u64 = downloads.iter().map(|d| d.size).sum();
    progress.set_total(total);
    let mut hashes = Vec::new();
    for d in &downloads {
        progress.say(&crate::tr!(
            "pull-file-from",
            name = dest_name(&d.dest).to_string(),
            size = progress::bytes(d.size),
            endpoint = source.endpoint.as_str(),
        ));
        if d.sha256.is_none() {
            progress.say(&crate::tr!("pull-no-sha256"));
        }
        let hash = download::fetch(source, &client, d, progress).await;
        match hash {
            Ok(h) => hashes.push(h),
            Err(e) => {
                progress.abort();
                return Err(e);
            }
        }
    }
    progress.finish();
    accept(&downloads)?;
    let date = provenance::now();
    for ((d, f), sha) in downloads.iter().zip(&choice.files).zip(hashes) {
        let p = Provenance {
            source: match source.kind {
                SourceKind::HuggingFace => "huggingface",
                SourceKind::ModelScope => "modelscope",
            }
            .into(),
            endpoint: source.endpoint.clone(),
            repo: spec.repo.clone(),
            revision: source.revision.clone(),
            file: f.path.clone(),
            size: d.size,
            sha256_verified: d.sha256.is_some(),
            sha256: sha,
            date: date.clone(),
        };
        provenance::write(&d.dest, &p).map_err(|e| PullError::write(&d.dest, e))?;
    }
    Ok(Pulled {
        path: files[0].clone(),
        files,
        already_present: false,
    })
}

/// The GGUF checks, then the renames: every part's header, then the whole (split) model as the
/// model lists will see it. On any failure every part is deleted.
fn accept(downloads: &[Download]) -> Result<(), PullError> {
    let remove_all = || {
        for d in downloads {
            let _ = std::fs::remove_file(part_path(&d.dest));
            let _ = std::fs::remove_file(&d.dest);
        }
    };
    let not_gguf = |d: &Download, e: crate::gguf::GgufError| PullError::NotGguf {
        file: dest_name(&d.dest),
        reason: e.to_string(),
    };
    for d in downloads {
        if let Err(e) = crate::gguf::GgufFile::open(&part_path(&d.dest)) {
            let err = not_gguf(d, e);
            remove_all();
            return Err(err);
        }
    }
    for d in downloads {
        if let Err(e) = std::fs::rename(part_path(&d.dest), &d.dest) {
            remove_all();
            return Err(PullError::write(&d.dest, e));
        }
    }
    if let Some(dir) = downloads.first().and_then(|d| d.dest.parent())
        && let Ok(dir) = std::fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
    if let Some(first) = downloads.first()
        && let Err(e) = crate::gguf::summarize(&first.dest)
    {
        let err = not_gguf(first, e);
        remove_all();
        return Err(err);
    }
    Ok(())
}
