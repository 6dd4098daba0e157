//! A helper program for the tests that need a second process: a save killed mid-write, a write
//! that hits a file-size limit (which would hit the test process too if set there), the chat's
//! autosave failing. It is an example target (`[[example]] test_child` in Cargo.toml), built
//! by `cargo build --example test_child` (scripts/test.sh does so before the tests); it is no
//! test itself, and it checks nothing: it does one thing and prints what happened as one
//! JSON line, and the test that started it asserts.
//!
//! `test_child MODE SESSIONS_DIR ID [ARGS]`:
//! - `save-forever SMALL LARGE`: saves the session again and again, its messages alternating
//!   between the JSON files SMALL and LARGE; prints `READY` after the first save.
//! - `save-over-limit BYTES MESSAGES`: limits files to BYTES (`RLIMIT_FSIZE`), then saves the
//!   session with the messages in the JSON file MESSAGES; prints the outcome.
//! - `chat-autosave-over-limit BYTES`: opens the session in the chat screen's `App`, limits files
//!   to BYTES, adds a 20 000-character message and autosaves; prints the notice shown.
//! - `kv-reply` and `kv-save-forever` (SESSIONS_DIR is then the snapshot folder): see `kv`.

mod kv;

use ggchat::chat::{Conversation, Message};
use ggchat::engine::EngineLink;
use ggchat::params::SamplingParams;
use ggchat::store::{Store, StoreError};
use ggchat::tui::app::App;
use serde_json::json;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, dir, id, rest @ ..] = args.as_slice() else {
        panic!("usage: test_child MODE SESSIONS_DIR ID [ARGS]");
    };
    if let Some((messages, args)) = rest.split_last()
        && mode.starts_with("kv-")
    {
        return kv::run(mode, dir, id, args, read_messages(messages));
    }
    let store = Store::open(Path::new(dir)).expect("open the sessions folder");
    match (mode.as_str(), rest) {
        ("save-forever", [small, large]) => save_forever(&store, id, [small, large]),
        ("save-over-limit", [bytes, messages]) => {
            let mut session = store.load(id).expect("load the session");
            session.conversation.messages = read_messages(messages);
            limit_file_size(bytes.parse().expect("a byte count"));
            let outcome = match store.save(&mut session) {
                Ok(()) => json!({ "saved": true }),
                Err(error) => json!({
                    "saved": false,
                    "write_os_error": match &error {
                        StoreError::Write { source, .. } => source.raw_os_error(),
                        _ => None,
                    },
                    "message": error.to_string(),
                }),
            };
            println!("{outcome}");
        }
        ("chat-autosave-over-limit", [bytes]) => {
            let session = store.load(id).expect("load the session");
            let (tx, _rx) = std::sync::mpsc::channel();
            let mut app = App::new(
                EngineLink::new(tx),
                Conversation::new("You are a helpful, concise assistant."),
                SamplingParams::default(),
            );
            app.attach_store(store, Some(session));
            limit_file_size(bytes.parse().expect("a byte count"));
            app.conversation_mut()
                .messages
                .push(Message::user("y".repeat(20_000)));
            app.save_session();
            let notice = app.notice();
            println!(
                "{}",
                json!({
                    "notice": notice.map(|n| n.text.as_str()),
                    "is_error": notice.map(|n| n.is_error),
                    "messages": app.conversation().messages.len(),
                })
            );
        }
        _ => panic!("unknown mode or arguments: {args:?}"),
    }
}

fn read_messages(path: &str) -> Vec<Message> {
    let bytes = std::fs::read(path).expect("read the messages file");
    serde_json::from_slice(&bytes).expect("a JSON list of messages")
}

fn save_forever(store: &Store, id: &str, files: [&String; 2]) {
    let contents = files.map(|f| read_messages(f));
    let mut session = store.load(id).expect("load the session");
    for i in 1usize.. {
        session.conversation.messages = contents[i % 2].clone();
        store.save(&mut session).expect("save");
        if i == 1 {
            println!("READY");
        }
    }
}

/// Makes writes past `bytes` fail with EFBIG in this process: a real, kernel-made failed write
/// (root ignores read-only permissions, but not `RLIMIT_FSIZE`).
fn limit_file_size(bytes: u64) {
    // SAFETY: plain system calls with valid, initialized arguments.
    unsafe {
        assert_ne!(libc::signal(libc::SIGXFSZ, libc::SIG_IGN), libc::SIG_ERR);
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        assert_eq!(
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit),
            0,
            "setrlimit: {}",
            std::io::Error::last_os_error()
        );
    }
}
