//! The real `ggchat serve` on the default model, on 127.0.0.1 and a port the OS picks (`--port
//! 0`; the URL is read from the banner). The process is killed when the [`Server`] is dropped.

#[path = "../common/mod.rs"]
mod common;

pub use common::{TempHome, default_model};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous for a loaded CI machine; every wait is bounded by it.
pub const STARTUP: Duration = Duration::from_secs(120);

/// The file id `/v1/models` reports for the default model.
pub fn model_id() -> String {
    default_model()
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

pub struct Server {
    child: Child,
    pub url: String,
    pub banner: Vec<String>,
    stderr: Arc<Mutex<String>>,
    _home: TempHome,
}

impl Server {
    /// Starts the server with `extra` flags and waits until `/health` says it is ready.
    pub fn start(extra: &[&str]) -> Server {
        Server::start_env(extra, &[])
    }

    /// [`Server::start`] with environment variables set for the server.
    pub fn start_env(extra: &[&str], env: &[(&str, &str)]) -> Server {
        let home = TempHome::new();
        let model = default_model();
        let mut child = home
            .command()
            .args(["serve", "--port", "0", "--model"])
            .arg(&model)
            // 1024 tokens unless the test sets its own.
            .args(if extra.contains(&"-c") {
                &[][..]
            } else {
                &["-c", "1024"][..]
            })
            .args(extra)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ggchat serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (tx, rx) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            banner: Vec::new(),
            stderr,
            _home: home,
        };
        let deadline = Instant::now() + STARTUP;
        while !server.banner.iter().any(|l| l.contains("ready:")) {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => server.banner.push(line),
                Err(_) => panic!(
                    "ggchat serve did not get ready within {STARTUP:?}; stdout: {:?}; stderr: {}",
                    server.banner,
                    server.stderr()
                ),
            }
        }
        let first = &server.banner[0];
        let start = first.find("http://").expect("the banner names the URL");
        server.url = first[start..].split_whitespace().next().unwrap().to_owned();
        server
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits (bounded) until stderr holds a line with `needle`, and returns that line.
    pub fn wait_for_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(line) = self.stderr().lines().find(|l| l.contains(needle)) {
                return line.to_owned();
            }
            assert!(
                Instant::now() < deadline,
                "no log line with {needle:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Waits (bounded) for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "ggchat serve did not exit within {limit:?}; stderr: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client with a bounded timeout.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

/// A chat body for the default model.
pub fn chat(content: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut body = serde_json::json!({
        "model": model_id(),
        "messages": [{"role": "user", "content": content}],
        "temperature": 0,
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// A counter or gauge's value from `/metrics`.
pub async fn metric(server: &Server, name: &str) -> f64 {
    let text = client()
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("{name} not in /metrics:\n{text}"))
        .trim()
        .parse()
        .unwrap()
}

/// Starts a streamed chat completion with `body` and reads until three SSE events have arrived
/// (the reply is under way); returns the rest of the stream and the text read so far.
pub async fn stream_started(
    server: &Server,
    body: &serde_json::Value,
) -> (
    impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin + use<>,
    String,
) {
    use futures::StreamExt;
    let response = client()
        .post(format!("{}/v1/chat/completions", server.url))
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut stream = response.bytes_stream();
    let mut seen = String::new();
    while seen.matches("data:").count() < 3 {
        let chunk = tokio::time::timeout(Duration::from_secs(120), stream.next())
            .await
            .expect("a chunk within 2 minutes")
            .expect("the stream goes on")
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    (stream, seen)
}
