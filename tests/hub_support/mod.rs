//! A stand-in for Hugging Face and ModelScope on 127.0.0.1: the same endpoints and response
//! shapes (JSON listings, a resolve redirect to a /cdn/ path, Range requests answered 206 with
//! Content-Range), plus faults a real network has (a dropped connection, an HTML page instead of
//! the file, a flipped byte, 404s, a slow link). It runs on its own thread and tokio runtime,
//! so the test drives the real `ggchat` binary against it. Shared by tests/pull (the command line)
//! and tests/e2e_tui (the model picker).

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A file in a hub repo.
#[derive(Clone)]
pub struct HubFile {
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
    /// Stored with LFS: listed with its sha256 (otherwise only a git blob sha1).
    pub lfs: bool,
}

impl HubFile {
    pub fn lfs(path: &str, bytes: Arc<Vec<u8>>) -> HubFile {
        HubFile {
            path: path.into(),
            bytes,
            lfs: true,
        }
    }

    pub fn git(path: &str, bytes: &[u8]) -> HubFile {
        HubFile {
            path: path.into(),
            bytes: Arc::new(bytes.to_vec()),
            lfs: false,
        }
    }
}

/// What the hub does wrong, for the next downloads.
#[derive(Clone, Default)]
pub struct Faults {
    /// Close the connection after sending this many body bytes of a file.
    pub drop_after: Option<u64>,
    /// Answer a file download with a web page.
    pub html: bool,
    /// Serve the file with this byte flipped.
    pub corrupt_at: Option<u64>,
    /// Answer every file download with 404.
    pub file_404: bool,
    /// Send the file in chunks of this size with this pause between them.
    pub throttle: Option<(usize, Duration)>,
    /// Redirect resolve requests to this `host:port` instead of the hub's own address.
    pub redirect_host: Option<String>,
    /// After this many bytes of a file, trickle (1 KiB every 200 ms, so no client times out)
    /// while the flag is set: a download the test holds in the middle, then lets go.
    pub hold: Option<(u64, Arc<AtomicBool>)>,
}

/// One request the hub saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub host: String,
    pub authorization: Option<String>,
    pub range: Option<String>,
}

#[derive(Default)]
pub struct HubState {
    repos: Mutex<HashMap<String, Vec<HubFile>>>,
    faults: Mutex<Faults>,
    seen: Mutex<Vec<Seen>>,
}

pub struct Hub {
    pub addr: SocketAddr,
    state: Arc<HubState>,
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

impl Hub {
    /// Starts a hub on a free port of 127.0.0.1.
    pub fn start() -> Hub {
        let state = Arc::new(HubState::default());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new()
            .route("/api/models/{owner}/{name}/tree/{rev}", get(hf_tree))
            .route("/{owner}/{name}/resolve/{rev}/{*file}", get(hf_resolve))
            .route("/cdn/{owner}/{name}/{*file}", get(cdn))
            .route("/api/v1/models/{owner}/{name}/repo/files", get(ms_files))
            .route("/api/v1/models/{owner}/{name}/repo", get(ms_file))
            .with_state(state.clone());
        std::thread::Builder::new()
            .name("test-hub".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                    axum::serve(listener, app).await.unwrap();
                });
            })
            .unwrap();
        Hub { addr, state }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn add_repo(&self, repo: &str, files: Vec<HubFile>) {
        self.state.repos.lock().unwrap().insert(repo.into(), files);
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.state.faults.lock().unwrap() = faults;
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    pub fn clear_seen(&self) {
        self.state.seen.lock().unwrap().clear();
    }
}

fn note(state: &HubState, uri: &Uri, headers: &HeaderMap) {
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    state.seen.lock().unwrap().push(Seen {
        path: uri.path().to_owned(),
        host: text(header::HOST).unwrap_or_default(),
        authorization: text(header::AUTHORIZATION),
        range: text(header::RANGE),
    });
}

fn find(state: &HubState, repo: &str, file: &str) -> Option<HubFile> {
    let repos = state.repos.lock().unwrap();
    repos.get(repo)?.iter().find(|f| f.path == file).cloned()
}

async fn hf_tree(
    State(state): State<Arc<HubState>>,
    Path((owner, name, _rev)): Path<(String, String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    note(&state, &uri, &headers);
    let repos = state.repos.lock().unwrap();
    let Some(files) = repos.get(&format!("{owner}/{name}")) else {
        // What huggingface.co answers for a missing (or private) repo without a token.
        return (
            StatusCode::UNAUTHORIZED,
            [("x-error-code", "RepoNotFound")],
            axum::Json(serde_json::json!({"error": "Repository not found"})),
        )
            .into_response();
    };
    let entries: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            let mut entry = serde_json::json!({
                "type": "file",
                "oid": format!("{:040x}", f.bytes.len()),
                "size": f.bytes.len(),
                "path": f.path,
            });
            if f.lfs {
                entry["lfs"] = serde_json::json!({
                    "oid": sha256(&f.bytes),
                    "size": f.bytes.len(),
                    "pointerSize": 134,
                });
            }
            entry
        })
        .collect();
    axum::Json(entries).into_response()
}

async fn hf_resolve(
    State(state): State<Arc<HubState>>,
    Path((owner, name, _rev, file)): Path<(String, String, String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    note(&state, &uri, &headers);
    let host = state.faults.lock().unwrap().redirect_host.clone();
    let host = host.unwrap_or_else(|| {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    });
    let target = format!("http://{host}/cdn/{owner}/{name}/{file}");
    (StatusCode::FOUND, [(header::LOCATION, target)]).into_response()
}

async fn cdn(
    State(state): State<Arc<HubState>>,
    Path((owner, name, file)): Path<(String, String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    note(&state, &uri, &headers);
    serve(
        &state,
        find(&state, &format!("{owner}/{name}"), &file),
        &headers,
    )
}

async fn ms_files(
    State(state): State<Arc<HubState>>,
    Path((owner, name)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    note(&state, &uri, &headers);
    let repos = state.repos.lock().unwrap();
    let Some(files) = repos.get(&format!("{owner}/{name}")) else {
        return axum::Json(serde_json::json!({
            "Code": 10010205001u64, "Message": "模型不存在 (model not found)", "Success": false
        }))
        .into_response();
    };
    let entries: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            serde_json::json!({
                "Name": f.path.rsplit('/').next(),
                "Path": f.path,
                "Revision": "abc123",
                "Size": f.bytes.len(),
                "Sha256": sha256(&f.bytes),
                "Type": "blob",
                "IsLFS": f.lfs,
            })
        })
        .collect();
    axum::Json(serde_json::json!({
        "Code": 200,
        "Data": {"Files": entries, "LatestCommitter": {}},
        "Message": "success",
        "Success": true,
    }))
    .into_response()
}

async fn ms_file(
    State(state): State<Arc<HubState>>,
    Path((owner, name)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    note(&state, &uri, &headers);
    let file = query.get("FilePath").cloned().unwrap_or_default();
    serve(
        &state,
        find(&state, &format!("{owner}/{name}"), &file),
        &headers,
    )
}

/// A file download: faults, then a 200 or a 206 for `Range: bytes=N-`.
fn serve(state: &HubState, file: Option<HubFile>, headers: &HeaderMap) -> Response {
    let faults = state.faults.lock().unwrap().clone();
    let Some(file) = file.filter(|_| !faults.file_404) else {
        return (StatusCode::NOT_FOUND, "Entry not found").into_response();
    };
    if faults.html {
        let page = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Sign in to continue</body></html>";
        return ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
    }
    let mut bytes = file.bytes.as_ref().clone();
    if let Some(at) = faults.corrupt_at {
        bytes[at as usize] ^= 0x01;
    }
    let len = bytes.len() as u64;
    let start = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("bytes="))
        .and_then(|v| v.strip_suffix('-'))
        .and_then(|v| v.parse::<u64>().ok());
    if start.is_some_and(|s| s >= len) {
        return (
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(header::CONTENT_RANGE, format!("bytes */{len}"))],
        )
            .into_response();
    }
    let from = start.unwrap_or(0);
    let chunk = faults.throttle.map_or(256 * 1024, |(size, _)| size);
    let pause = faults.throttle.map(|(_, pause)| pause);
    let limit = faults.drop_after.map_or(u64::MAX, |n| from + n);
    let data = Arc::new(bytes);
    let hold = faults.hold.clone();
    let stream = futures::stream::unfold(from, move |at| {
        let data = data.clone();
        let hold = hold.clone();
        async move {
            let held = hold
                .as_ref()
                .is_some_and(|(after, flag)| at >= *after && flag.load(Ordering::SeqCst));
            if at >= len {
                return None;
            }
            if at >= limit {
                let lost = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "dropped");
                return Some((Err(lost), len));
            }
            if let Some(p) = pause {
                tokio::time::sleep(p).await;
            }
            let step = if held { 1024 } else { chunk as u64 };
            if held {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            let end = (at + step).min(len).min(limit);
            let piece = Bytes::copy_from_slice(&data[at as usize..end as usize]);
            Some((Ok::<Bytes, std::io::Error>(piece), end))
        }
    });
    let mut response = Response::new(Body::from_stream(stream));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        "application/octet-stream".parse().unwrap(),
    );
    h.insert(header::CONTENT_LENGTH, (len - from).into());
    h.insert(header::ACCEPT_RANGES, "bytes".parse().unwrap());
    if start.is_some() {
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
        response.headers_mut().insert(
            header::CONTENT_RANGE,
            format!("bytes {from}-{}/{len}", len - 1).parse().unwrap(),
        );
    }
    response
}
