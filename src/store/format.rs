//! # Session file format, version 5
//!
//! Every conversation in ggchat is a *session*, saved after each message and on exit as one JSON
//! file in the sessions directory, `<data dir>/sessions/` (`ggchat paths` prints it). The format is
//! meant to be read, grepped, backed up and, with care, edited by people.
//!
//! ## Files in the sessions directory
//!
//! | name | what |
//! | --- | --- |
//! | `<id>.json` | one session; the file name is authoritative for the id (see `id` below) |
//! | `<id>.json.v<N>.bak` | the file exactly as format version N wrote it, kept once when ggchat first rewrites it in a newer format |
//! | `<id>.lock` | empty lock file, locked (`flock`) only while a ggchat process writes the session |
//! | `.<id>.json.tmp.<pid>.<random>` | a save in progress; one left behind by a killed process is removed by the next save of that session |
//!
//! Only names ending in `.json` and not starting with `.` are read as sessions; everything else is
//! ignored. The directory is created owner-only (0700) and every file is written owner-only (0600).
//!
//! ## Encoding
//!
//! UTF-8 JSON, pretty-printed with two-space indentation and a final newline. Keys appear in the
//! order below. Text is stored as-is (non-ASCII characters are not escaped), so a file reads well in
//! any editor.
//!
//! ## Example
//!
//! ```json
//! {
//!   "format_version": 5,
//!   "id": "20261128-114233-3f9a",
//!   "revision": 4,
//!   "title": "Explain borrowing in Rust",
//!   "title_is_custom": false,
//!   "created": "2026-11-28T11:42:33.120Z",
//!   "updated": "2026-11-28T11:45:02.877Z",
//!   "persona": null,
//!   "model": {
//!     "file_name": "qwen2.5-7b-instruct-q4_k_m.gguf",
//!     "size": 4683073536,
//!     "fingerprint": "9c1e4f0a57d2b3e8"
//!   },
//!   "template": "chatml",
//!   "sampling": {
//!     "temperature": 0.7,
//!     "top_k": 40,
//!     "top_p": 0.95,
//!     "min_p": 0.05,
//!     "repeat_penalty": 1.1,
//!     "repeat_last_n": 64,
//!     "presence_penalty": 0.0,
//!     "frequency_penalty": 0.0,
//!     "max_tokens": 1024,
//!     "seed": null,
//!     "stop": []
//!   },
//!   "model_params": {
//!     "ctx_size": null,
//!     "gpu_layers": null,
//!     "threads": null,
//!     "batch_size": 512,
//!     "flash_attention": "auto",
//!     "lora_path": null,
//!     "lora_scale": 1.0
//!   },
//!   "conversation": {
//!     "system_prompt": "You are a concise assistant.",
//!     "active": 6,
//!     "messages": [
//!       { "id": 1, "parent": null, "role": "user", "content": "Explain borrowing in Rust" },
//!       {
//!         "id": 2,
//!         "parent": 1,
//!         "role": "assistant",
//!         "content": "Borrowing lets code use a value without owning it…",
//!         "stats": {
//!           "prompt_tokens_evaluated": 31,
//!           "prompt_tokens_reused": 0,
//!           "generated_tokens": 187,
//!           "prompt_tokens_per_second": 412.5,
//!           "generation_tokens_per_second": 23.1,
//!           "time_to_first_token_ms": 96.0,
//!           "dropped_turns": 0,
//!           "context_used": 218,
//!           "seed": 2417752911,
//!           "stop_reason": "end_of_generation"
//!         },
//!         "model": "qwen2.5-7b-instruct-q4_k_m"
//!       },
//!       { "id": 3, "parent": 1, "role": "assistant", "content": "A borrow is a reference that does not own its value." },
//!       { "id": 4, "parent": null, "role": "user", "content": "Explain ownership in Rust" },
//!       { "id": 5, "parent": 4, "role": "assistant", "content": "Each value has exactly one owner." },
//!       { "id": 6, "parent": 2, "role": "user", "content": "And lifetimes?" }
//!     ]
//!   }
//! }
//! ```
//!
//! ## Fields
//!
//! | key | type | required | meaning |
//! | --- | --- | --- | --- |
//! | `format_version` | integer | yes | `5` (`1` to `4` are still read; see *Compatibility*). A file with a larger number was written by a newer ggchat: it is refused ("upgrade ggchat") and never modified. |
//! | `id` | string | yes | The session id, `YYYYMMDD-HHMMSS-xxxx`: creation time in UTC plus 16 random bits as 4 hex digits. Ids sort by creation time. When the file name (without `.json`) differs, the file name wins, so copying a file under a new name makes an independent copy of the session. |
//! | `revision` | integer ≥ 0 | yes | Incremented by every save; the first save writes 1. Used to detect another process's writes (see *Concurrent writers*). |
//! | `title` | string | no (`""`) | Shown in lists. Unless `title_is_custom`, every save sets it from the first non-blank line of the first user message, trimmed to about 60 characters at a word boundary (`New chat` while there is none). |
//! | `title_is_custom` | boolean | no (`false`) | `true` after a rename, so that the title is kept. Renaming to an empty title turns it back to `false`. |
//! | `created`, `updated` | string | yes | RFC 3339 times. ggchat writes UTC with milliseconds (`2026-11-28T11:42:33.120Z`) and reads any offset. `updated` is set by every save; lists sort by it, newest first. |
//! | `persona` | string or null | no (`null`) | Id of the persona the session was started with (`coding`, or a user persona's id). Files from before persona ids hold a built-in persona's English name (`Coding assistant`), read as its id. |
//! | `model` | object or null | no (`null`) | The model last used: `file_name` (string, the GGUF file name, without folders), `size` (integer, bytes) and `fingerprint` (string, below). When the chat reopens the session (without `--model`), `file_name` is looked up only in the model folders (the models folder, `model_dirs`, and the folders of the models named by `--model` or `default_model`); a name with a folder, `..`, or not ending in `.gguf` is refused and nothing is opened. When size or fingerprint differ from the file found, the chat says so. |
//! | `backend` | object | no (absent) | The remote backend last used, when a remote server answered: `name` (the `[backends.NAME]` of config.toml, or `null` for a URL given with `--backend`), `url` and `model` (the server's model id). Never a key. Reopening a session never connects to this URL by itself: only a configured backend of the same name is used (with config.toml's URL and key variable); otherwise the chat stays on the current model and says which backend the session used. Unknown keys are errors. |
//! | `template` | string or null | no (`null`) | Name of the chat template used to build prompts. |
//! | `sampling` | object | no (defaults) | Sampling settings: `temperature`, `top_k`, `top_p`, `min_p`, `repeat_penalty`, `repeat_last_n`, `presence_penalty`, `frequency_penalty`, `max_tokens`, `seed` (integer or `null` for a fresh random seed per reply), `stop` (list of strings), `thinking` (`on`, `off` or `auto`), `thinking_budget` (integer or `null`) and, from format 5, `speculation` (`"off"`, `"lookup"` or `"draft"`), `draft_max` (integer or `null` for adaptive), `lookup_ngram` and `alternatives` (2 to 4: how many replies Alt+R asks for). Missing keys take their defaults; unknown keys are errors. |
//! | `model_params` | object | no (defaults) | Model settings: `ctx_size`, `gpu_layers`, `threads` (integer or `null` for automatic), `batch_size`, `flash_attention` (`"auto"`, `"on"` or `"off"`), `lora_path` (string or `null`), `lora_scale` and, from format 5, `draft_model` (string or `null`). Missing keys take their defaults; unknown keys are errors. When the chat reopens the session, command-line flags win over these values, and `lora_path` and `draft_model` are only used when they are an absolute path, without `.` or `..`, to a `.gguf` file directly inside a model folder (or the chat's own path). |
//! | `conversation` | object | yes | `system_prompt` (string, `""` for none), `active` and `messages`: the conversation tree (below). |
//!
//! ## The conversation tree
//!
//! Nothing said in a session is thrown away: regenerating a reply adds the new reply as a
//! *sibling* of the old one (same parent), and editing an earlier user message adds the edited
//! message as a sibling of the original, with its own replies below it. `messages` therefore
//! holds a tree, and the chat shows one path through it, from a first message down to the
//! *active* message; a message with siblings shows `‹ 2/3 ›` and the user switches between them.
//! Only an explicit "delete branch" (confirmed by the user) removes messages.
//!
//! - Every entry of `messages` has `id` (integer, 1 to 2^53, unique in the file) and `parent`
//!   (the `id` of the message it answers or follows, or `null` for a first message). Siblings
//!   are shown in file order, oldest first.
//! - Each message comes after its parent in the list, which rules out cycles.
//! - `conversation.active` is the `id` of the last message of the path shown (and sent to the
//!   model); when it is absent the last message of the list is taken. Below a message the chat
//!   follows the newest child when the user switches to it.
//!
//! A duplicate id, an id of 0, a `parent` that is not an earlier message (a missing one, or a
//! cycle), an `active` id that is not in the file or a message without `id` makes the file
//! invalid: it is reported with its path and left untouched, like any other invalid file. The
//! tree is walked without recursion, so depth is limited only by the file size.
//!
//! Each entry of `messages` has `role` (`"system"`, `"user"` or `"assistant"`), `content` (string)
//! and, for replies produced by ggchat, `stats` and `model` (the model's name); both may be left
//! out. `stats` holds (all required but `stop_reason`) `prompt_tokens_evaluated`, `prompt_tokens_reused`, `generated_tokens`,
//! `prompt_tokens_per_second`, `generation_tokens_per_second`, `time_to_first_token_ms`,
//! `dropped_turns`, `context_used`, `seed` (the seed the sampler actually used, so that a reply can
//! be reproduced with the same model, template and settings) and `stop_reason` (one of
//! `end_of_generation`, `stop_string`, `max_tokens`, `context_full`, `cancelled`, `content_filter`
//! (the content-safety guard blocked the user's message or stopped the reply), `interrupted` (a
//! remote server failed mid-reply; the partial reply is kept and can be continued), or `null`). A
//! reply cut off that way also has `error` (the message, a string). A reply from a remote server
//! has `remote`: `backend` (name or absent), `url`, `model`, and what the server reported, each
//! `null` when it did not: `prompt_tokens`, `cached_tokens`, `server_generation_tokens_per_second`,
//! `server_prompt_tokens_per_second`; `prompt_tokens_reused` is then 0 unless `cached_tokens` says
//! otherwise. An assistant message may have `reasoning` (string): the model's reasoning text, kept
//! apart from the answer (and by default not sent back to the model in later turns), and
//! `thinking`: `{ "tokens": integer, "seconds": number }`, the size of that reasoning in streamed
//! pieces (one per token for a local model) and the time from the request to the answer's start,
//! shown on the chat's folded "Thinking" line. An older ggchat ignores `thinking` (messages'
//! unknown keys are ignored), so it needs no new format version. A message the content-safety guard matched has `guard`: a list of
//! `{ "category": string, "action": "warn" | "redact" | "block" }`, each category and action once.
//! Its `content` is what was shown and sent, with `redact` and `block` matches masked (one `█` per
//! character): the original text is not kept. A user message with a `block` mark was never sent to
//! the model and is left out of later prompts; a reply with one stopped at the match (stop reason
//! `content_filter`). The guard's rules come from the config, never from a session file.
//!
//! Unknown top-level keys, and unknown keys in `model`, `sampling` and `model_params`, are errors: a
//! typo in a hand edit is reported rather than silently dropped on the next save. Unknown keys in
//! `conversation`, its messages and their stats are ignored (and dropped by the next save). Numbers that are not finite cannot be written in JSON;
//! ggchat saves a non-finite speed as `0` and a non-finite setting as its default.
//!
//! ## Model fingerprint
//!
//! 16 lowercase hex digits: FNV-1a 64 (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`)
//! over the file size as 8 little-endian bytes, then the first 64 KiB of the file, then the last
//! 64 KiB (when the file is smaller than 64 KiB, the whole file twice). It reads at most 128 KiB, so
//! it is instant for any model size, and it tells apart files of the same name with another
//! quantization or revision. It is not a cryptographic hash.
//!
//! ## How ggchat writes a session
//!
//! 1. Take the session's lock: `flock` on `<id>.lock` (waiting up to 10 seconds for another writer).
//! 2. Remove temporary files of this session left by a killed process.
//! 3. Read the `format_version` and `revision` of the file on disk, if there is one. A larger
//!    revision than the one loaded means another ggchat saved in between: the save is refused with
//!    a conflict error and the file is left as it is (ggchat then offers to save the conversation as
//!    a new session). A newer format version or an unreadable file is refused the same way. A
//!    session that was never saved (revision 0) and finds its id taken by a file with another
//!    `created` time draws a new id instead.
//! 4. Increment `revision`, set `updated` (and the title, unless custom).
//! 5. Write the JSON to `.<id>.json.tmp.<pid>.<random>` (mode 0600), fsync it, rename it over
//!    `<id>.json`, and fsync the directory. Readers therefore see either the old or the new file,
//!    never a mix, even if the process is killed or the disk fills up; a failed write removes the
//!    temporary file and keeps the old one.
//! 6. Release the lock.
//!
//! Readers take no lock.
//!
//! ## How ggchat reads a session
//!
//! The `format_version` is checked first, on its own, so that a file from a newer ggchat is
//! reported as such rather than as a pile of unknown fields. Then the whole file is read strictly:
//! invalid JSON (such as a truncated file), a wrong type, an unknown key or an invalid time is
//! reported with the file's path, the reason (with line and column) and "left untouched". A
//! problem file never stops the other sessions from listing and is never modified or deleted by
//! ggchat.
//!
//! ## Editing by hand
//!
//! Edit while no ggchat has the session open, or increment `revision` so that the open ggchat
//! notices the change instead of overwriting it. Keep `format_version` as it is.
//!
//! ## Compatibility
//!
//! Any change that an older ggchat could not read correctly — a new required key, a new key at a
//! level where unknown keys are refused, or a changed meaning — increments `format_version`. A
//! ggchat always reads every older version it knows. Before it first rewrites a file of an older
//! version, it keeps the original, byte for byte, as `<id>.json.v<N>.bak` beside it (once; an
//! existing backup is never replaced). An older ggchat refuses a newer file and names the version
//! it found ("written by a newer ggchat (format 6); upgrade ggchat").
//!
//! A file of format 1, 2 or 3 holds one linear list of messages without ids: it is read as a tree
//! with one branch (ids 1, 2, … in order, the last message active), and its first save writes
//! format 5 after keeping `<id>.json.v<N>.bak`. A file of format 4 is read as it is (the new keys take
//! their defaults), and its first save writes format 5 after keeping `<id>.json.v4.bak`.
//!
//! | version | change |
//! | --- | --- |
//! | 1 | the first format |
//! | 2 | `backend` (top level, where unknown keys are refused); `interrupted`, `error` and `remote` in reply stats; `reasoning` in messages |
//! | 3 | `guard` in messages and the stop reason `content_filter` (the content-safety guard); an older ggchat would refuse the stop reason and drop the marks |
//! | 4 | the conversation tree: `id` and `parent` in messages, `conversation.active`; an older ggchat would show every branch as one conversation and drop the tree on save |
//! | 5 | `alternatives`, `speculation`, `draft_max` and `lookup_ngram` in `sampling`, `draft_model` in `model_params` (both objects refuse unknown keys, so an older ggchat would refuse the file with an unknown-field error instead of naming the version) |
//!
//! (This text is also `docs/session-format.md`; keep the two identical.)

use super::session::Session;
use super::stamp;
use super::wire::SessionFile;
use serde::Deserialize;

/// The format version this ggchat writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 5;

/// Why bytes are not a session this ggchat can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Written by a newer ggchat.
    FutureVersion(u64),
    /// Not a valid session; the text says where and why.
    Invalid(String),
}

/// Only the version (checked before the rest of the file is interpreted) and what a save needs
/// to know about the file it would replace.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<serde_json::Value>,
    #[serde(default)]
    revision: Option<serde_json::Value>,
    #[serde(default)]
    created: Option<serde_json::Value>,
}

/// What a save checks in the file it is about to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    /// `None` when missing or not an integer.
    pub revision: Option<u64>,
    /// `None` when missing or not a string.
    pub created: Option<String>,
    /// The file's `format_version` (checked: 1 to [`FORMAT_VERSION`]).
    pub version: u64,
}

/// Checks the JSON syntax and `format_version`, and reads the file's [`Head`].
pub(crate) fn probe(bytes: &[u8]) -> Result<Head, DecodeError> {
    let syntax = |e: serde_json::Error| {
        DecodeError::Invalid(match e.classify() {
            serde_json::error::Category::Data => format!("not a session object: {e}"),
            serde_json::error::Category::Eof => format!("truncated or incomplete JSON: {e}"),
            _ => format!("not valid JSON: {e}"),
        })
    };
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        None => return Err(DecodeError::Invalid("the file is empty".into())),
        // serde would also accept a struct written as a JSON array; a session is an object.
        Some(_) => {
            return Err(
                match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                    Err(e) => syntax(e),
                    Ok(_) => DecodeError::Invalid(
                        "not a session object: the JSON is not an object".into(),
                    ),
                },
            );
        }
    }
    let probe: VersionProbe = serde_json::from_slice(bytes).map_err(syntax)?;
    let version = match probe.format_version {
        None => return Err(DecodeError::Invalid("no format_version field".into())),
        Some(v) => v.as_u64().ok_or_else(|| {
            DecodeError::Invalid(format!("format_version is {v}, not a positive integer"))
        })?,
    };
    if version > u64::from(FORMAT_VERSION) {
        return Err(DecodeError::FutureVersion(version));
    }
    if version == 0 {
        return Err(DecodeError::Invalid(
            "format_version 0 does not exist".into(),
        ));
    }
    Ok(Head {
        version,
        revision: probe.revision.and_then(|r| r.as_u64()),
        created: probe.created.and_then(|c| c.as_str().map(str::to_owned)),
    })
}

/// Parses a session file strictly. `file_id` (the file name without `.json`) replaces the `id`
/// inside, so a copied file becomes an independent session.
pub fn decode(bytes: &[u8], file_id: &str) -> Result<Session, DecodeError> {
    probe(bytes)?;
    let file: SessionFile = serde_json::from_slice(bytes)
        .map_err(|e| DecodeError::Invalid(format!("wrong content: {e}")))?;
    let mut session = Session::try_from(file)
        .map_err(|e| DecodeError::Invalid(format!("bad conversation tree: {e}")))?;
    for (name, value) in [("created", &session.created), ("updated", &session.updated)] {
        if stamp::parse_rfc3339(value).is_none() {
            return Err(DecodeError::Invalid(format!(
                "{name} is {value:?}, not an RFC 3339 time such as 2026-11-28T11:42:33Z"
            )));
        }
    }
    session.id = file_id.to_owned();
    // Sessions from before persona ids name a built-in persona by its English name.
    session.persona = session
        .persona
        .as_deref()
        .map(crate::chat::personas::id_for_stored);
    Ok(session)
}

/// The file's bytes: pretty JSON with a final newline. Fails on a non-UTF-8 LoRA path; the store
/// cleans those (and NaN numbers, which would become `null`) before it encodes.
pub fn encode(session: &Session) -> Result<Vec<u8>, serde_json::Error> {
    let mut bytes = serde_json::to_vec_pretty(&SessionFile::from(session))?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::{Message, ReplyStats, StopReason};
    use crate::params::{ModelParams, SamplingParams};

    fn sample() -> Session {
        let mut s = Session::new(
            "Be brief.",
            SamplingParams::default(),
            ModelParams::default(),
        );
        s.conversation.messages.push(Message::user("hi"));
        let mut reply = Message::assistant("hello");
        reply.stats = Some(ReplyStats {
            generated_tokens: 2,
            seed: 42,
            stop_reason: Some(StopReason::EndOfGeneration),
            ..Default::default()
        });
        s.conversation.messages.push(reply);
        s
    }

    fn invalid(bytes: &[u8]) -> String {
        match decode(bytes, "x") {
            Err(DecodeError::Invalid(reason)) => reason,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn the_documented_example_is_a_valid_session() {
        let source = include_str!("format.rs");
        let example: String = source
            .lines()
            .skip_while(|l| *l != "//! ```json")
            .skip(1)
            .take_while(|l| *l != "//! ```")
            .map(|l| l.strip_prefix("//! ").unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let s = decode(example.as_bytes(), "20261128-114233-3f9a").unwrap();
        assert_eq!(s.revision, 4);
        assert_eq!(
            s.conversation.messages[1].stats.as_ref().unwrap().seed,
            2_417_752_911
        );
        assert_eq!(s.model.unwrap().fingerprint, "9c1e4f0a57d2b3e8");
    }

    #[test]
    fn encode_then_decode_is_identity_and_readable() {
        let s = sample();
        let bytes = encode(&s).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(
            text.starts_with("{\n  \"format_version\": 5,\n  \"id\": "),
            "{text}"
        );
        assert!(text.ends_with("}\n"));
        assert_eq!(decode(&bytes, &s.id).unwrap(), s);
        let head = probe(&bytes).unwrap();
        assert_eq!(
            (head.revision, head.created),
            (Some(0), Some(s.created.clone()))
        );
    }

    #[test]
    fn the_file_name_is_the_id() {
        let s = sample();
        let copy = decode(&encode(&s).unwrap(), "my-copy").unwrap();
        assert_eq!(copy.id, "my-copy");
    }

    #[test]
    fn versions_are_checked_before_anything_else() {
        let future = br#"{"format_version": 7, "messages": "whatever shape v7 has"}"#;
        assert_eq!(decode(future, "x"), Err(DecodeError::FutureVersion(7)));
        assert!(invalid(br#"{"id": "x"}"#).contains("no format_version"));
        assert!(invalid(br#"{"format_version": "1"}"#).contains("not a positive integer"));
        assert!(invalid(br#"{"format_version": 0}"#).contains("does not exist"));
        assert!(invalid(b"[1, 2]").contains("not a session object"));
        assert!(invalid(b"[1, 2").starts_with("truncated"));
    }

    #[test]
    fn bad_content_is_described_with_its_position() {
        let s = sample();
        let good = String::from_utf8(encode(&s).unwrap()).unwrap();
        let reason = invalid(&good.as_bytes()[..good.len() / 2]);
        assert!(reason.starts_with("truncated"), "{reason}");
        assert!(reason.contains("line"), "{reason}");
        let wrong_type = good.replace("\"revision\": 0", "\"revision\": \"zero\"");
        let reason = invalid(wrong_type.as_bytes());
        assert!(
            reason.contains("invalid type") && reason.contains("line 4"),
            "{reason}"
        );
        let unknown = good.replace("\"revision\": 0", "\"revison\": 0");
        assert!(invalid(unknown.as_bytes()).contains("unknown field `revison`"));
        let bad_role = good.replace("\"role\": \"user\"", "\"role\": \"robot\"");
        assert!(invalid(bad_role.as_bytes()).contains("robot"));
        let bad_time = good.replace(&s.updated, "last tuesday");
        assert!(invalid(bad_time.as_bytes()).contains(" is \"last tuesday\", not an RFC 3339"));
        assert!(invalid(b"\xff\xfe garbage").starts_with("not valid JSON"));
        assert_eq!(invalid(b" \n"), "the file is empty");
        assert!(invalid(b"{").starts_with("truncated"));
        assert!(invalid(b"\"session\"").contains("not an object"));
    }

    #[test]
    fn measured_speeds_reload_exactly() {
        // Without serde_json's `float_roundtrip` feature about one speed in seven would come back
        // one unit in the last place off, so a reloaded session would differ from the saved one.
        let mut s = sample();
        for i in 1..500u32 {
            let stats = s.conversation.messages[1].stats.as_mut().unwrap();
            stats.generation_tokens_per_second = f64::from(i) / 8.1 * 1.000_000_1;
            stats.time_to_first_token_ms = 1e3 / f64::from(i);
            assert_eq!(decode(&encode(&s).unwrap(), &s.id).unwrap(), s, "speed {i}");
        }
    }
}
