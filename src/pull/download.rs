//! One file from a hub into `NAME.part`, resumable, checked against the size and sha256 listed.
//!
//! The `.part` file is the only thing written until the whole model is verified: a lost
//! connection keeps it (the next run asks for the rest with `Range: bytes=N-`), while a wrong
//! checksum, a web page or a file that is not GGUF deletes it. A server that ignores the range
//! (200 instead of 206) or answers another range is fetched again from the start.

use super::PullError;
use super::progress::Progress;
use super::source::Source;
use futures::StreamExt;
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE};
use reqwest::{Client, StatusCode, Url};
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// One file to fetch.
#[derive(Debug, Clone)]
pub struct Download {
    pub url: Url,
    /// The final path; the data goes to [`part_path`] first.
    pub dest: PathBuf,
    pub size: u64,
    pub sha256: Option<String>,
}

/// `dest` with `.part` appended.
pub fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

fn label(dest: &Path) -> String {
    dest.file_name().map_or_else(
        || dest.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Hashes the first `len` bytes already in `file` (a resumed download).
fn hash_prefix(file: &mut File, len: u64, path: &Path) -> Result<Sha256, PullError> {
    let mut hasher = Sha256::new();
    file.seek(SeekFrom::Start(0))
        .map_err(|e| PullError::write(path, e))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = file
            .read(&mut buf[..want])
            .map_err(|e| PullError::write(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(hasher)
}

/// Whether the file at `d.dest` is the one the hub lists: the same size and, when the hub
/// publishes a sha256, the same sha256.
pub fn same_file(d: &Download) -> std::io::Result<bool> {
    let len = std::fs::metadata(&d.dest)?.len();
    if len != d.size {
        return Ok(false);
    }
    let Some(expected) = &d.sha256 else {
        return Ok(true);
    };
    let mut file = File::open(&d.dest)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(format!("{:x}", hasher.finalize()) == *expected)
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let t = text.trim_start();
    t.starts_with("<!doctype")
        || t.starts_with("<html")
        || t.starts_with("<head")
        || t.starts_with("<")
}

/// The start offset of a `Content-Range: bytes START-END/TOTAL` header.
fn range_start(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    let value = headers.get(CONTENT_RANGE)?.to_str().ok()?;
    value
        .strip_prefix("bytes ")?
        .split('-')
        .next()?
        .trim()
        .parse()
        .ok()
}

/// Fetches `d` into its `.part` file and returns the sha256 (hex) of the complete file.
pub async fn fetch(
    source: &Source,
    client: &Client,
    d: &Download,
    progress: &mut Progress,
) -> Result<String, PullError> {
    let part = part_path(&d.dest);
    let name = label(&d.dest);
    let mut have = std::fs::metadata(&part).map_or(0, |m| m.len());
    if have > d.size {
        std::fs::remove_file(&part).map_err(|e| PullError::write(&part, e))?;
        have = 0;
    }
    let mut hasher = if have > 0 {
        let mut file = File::open(&part).map_err(|e| PullError::write(&part, e))?;
        hash_prefix(&mut file, have, &part)?
    } else {
        Sha256::new()
    };
    progress.resumed(have);
    if have > 0 {
        progress.say(&crate::tr!(
            "pull-resuming",
            name = name.to_string(),
            size = super::progress::bytes(have),
        ));
    }
    if have < d.size {
        let range = (have > 0).then(|| format!("bytes={have}-"));
        let response = source
            .send(client, d.url.clone(), range)
            .await
            .map_err(|e| {
                if have > 0 {
                    interrupted(&name, have, d.size, &e, &part)
                } else {
                    source.unreachable(&e)
                }
            })?;
        let status = response.status();
        if !status.is_success() {
            let hint = match status {
                StatusCode::NOT_FOUND => ": the file is not in the repository (any more?)",
                StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                    ": a gated or private repo needs HF_TOKEN (accept its terms on the hub first)"
                }
                StatusCode::RANGE_NOT_SATISFIABLE => {
                    ": the partial file does not match the server's; delete the .part file and try again"
                }
                _ => "",
            };
            return Err(PullError::Http {
                url: d.url.to_string(),
                status: status.as_u16(),
                hint,
            });
        }
        let is_html = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("text/html"));
        if is_html {
            let _ = std::fs::remove_file(&part);
            return Err(PullError::Html {
                url: d.url.to_string(),
            });
        }
        // Created only now, so a refused request leaves no empty .part behind.
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&part)
            .map_err(|e| PullError::write(&part, e))?;
        let restart = have > 0
            && (status != StatusCode::PARTIAL_CONTENT
                || range_start(response.headers()) != Some(have));
        if restart {
            progress.say(&crate::tr!("pull-no-resume", name = name.to_string()));
            progress.restart(have);
            have = 0;
            hasher = Sha256::new();
            file.set_len(0).map_err(|e| PullError::write(&part, e))?;
        }
        file.seek(SeekFrom::Start(have))
            .map_err(|e| PullError::write(&part, e))?;
        let mut stream = response.bytes_stream();
        let mut first = have == 0;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| interrupted(&name, have, d.size, &e, &part))?;
            if first && !chunk.is_empty() {
                first = false;
                if !chunk.starts_with(b"GGUF") {
                    drop(file);
                    let _ = std::fs::remove_file(&part);
                    return Err(if looks_like_html(&chunk) {
                        PullError::Html {
                            url: d.url.to_string(),
                        }
                    } else {
                        PullError::NotGguf {
                            file: name,
                            reason: "it does not start with the GGUF magic".into(),
                        }
                    });
                }
            }
            if have + chunk.len() as u64 > d.size {
                drop(file);
                let _ = std::fs::remove_file(&part);
                return Err(PullError::Size {
                    file: name,
                    expected: d.size,
                    actual: have + chunk.len() as u64,
                });
            }
            file.write_all(&chunk)
                .map_err(|e| PullError::write(&part, e))?;
            hasher.update(&chunk);
            have += chunk.len() as u64;
            progress.add(chunk.len() as u64);
        }
        file.sync_all().map_err(|e| PullError::write(&part, e))?;
        if have < d.size {
            return Err(PullError::Interrupted {
                file: name,
                done: have,
                total: d.size,
                reason: "the connection closed early".into(),
                part,
            });
        }
    }
    let actual = format!("{:x}", hasher.finalize());
    if let Some(expected) = &d.sha256
        && *expected != actual
    {
        let _ = std::fs::remove_file(&part);
        return Err(PullError::Checksum {
            file: name,
            expected: expected.clone(),
            actual,
        });
    }
    Ok(actual)
}

fn interrupted(file: &str, done: u64, total: u64, e: &reqwest::Error, part: &Path) -> PullError {
    let mut reason = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        reason = format!("{reason}: {c}");
        cause = c.source();
    }
    PullError::Interrupted {
        file: file.to_owned(),
        done,
        total,
        reason,
        part: part.to_owned(),
    }
}
