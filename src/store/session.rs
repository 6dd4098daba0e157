//! The in-memory session: what a file holds, plus the rules for its title.
//!
//! A [`Session`] is plain data with public fields, like [`Conversation`], so the chat screen can
//! keep one, change it freely, and hand it to [`super::Store::save`] after each message. Only the
//! title has rules of its own (derived from the first user message until the user renames the
//! session), and they live here so the chat screen and the store agree on them. So does the
//! clean-up that keeps a session representable in JSON (no NaN, no non-UTF-8 paths), because a
//! file that saved but cannot load would be a lost conversation.

use super::format::FORMAT_VERSION;
use super::stamp;
use super::tree::{NodeId, Tree};
use crate::chat::{Conversation, Message, Role};
use crate::params::{ModelParams, SamplingParams};
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Titles longer than this many characters are cut at a word boundary and end in `…`.
pub const TITLE_MAX_CHARS: usize = 60;

/// The title of a session with no user message yet.
pub const UNTITLED: &str = "New chat";

/// One saved conversation (see [`super::format`] for each field; `super::wire` converts it to
/// and from the file).
///
/// `conversation.messages` is the active path, the list the chat shows and changes freely;
/// `tree` holds every message ever written. A save records the active path into the tree
/// ([`Session::sync_tree`]), adding what is new and dropping nothing, so code that only edits
/// `conversation` (replace a reply, cut the list back and send an edited message) creates
/// branches without knowing about them.
#[derive(Debug, Clone)]
pub struct Session {
    pub format_version: u32,
    pub id: String,
    /// Incremented by every save; detects writes by another process.
    pub revision: u64,
    pub title: String,
    /// Set by a rename so that saves keep the title.
    pub title_is_custom: bool,
    /// RFC 3339 UTC.
    pub created: String,
    /// RFC 3339 UTC; set by every save.
    pub updated: String,
    pub persona: Option<String>,
    pub model: Option<ModelRef>,
    /// The remote backend last used (format 2); `None` for a local model.
    pub backend: Option<BackendRef>,
    /// Chat template name.
    pub template: Option<String>,
    pub sampling: SamplingParams,
    pub model_params: ModelParams,
    /// The system prompt and the active path's messages with their reply stats.
    pub conversation: Conversation,
    /// Every message of the session, with the active leaf (format 4).
    pub tree: Tree,
}

/// Two sessions are equal when they would write the same file: the trees are compared with
/// each one's active path recorded (code may change `conversation` before a save records it).
impl PartialEq for Session {
    fn eq(&self, other: &Session) -> bool {
        let recorded = |s: &Session| {
            let mut tree = s.tree.clone();
            tree.record_path(&mut s.conversation.messages.clone());
            tree
        };
        let strip = |s: &Session| {
            (s.conversation.messages.iter())
                .map(|m| Message {
                    id: None,
                    ..m.clone()
                })
                .collect::<Vec<_>>()
        };
        (
            self.format_version,
            &self.id,
            self.revision,
            &self.title,
            self.title_is_custom,
            &self.created,
            &self.updated,
            &self.persona,
            &self.model,
            &self.backend,
            &self.template,
        ) == (
            other.format_version,
            &other.id,
            other.revision,
            &other.title,
            other.title_is_custom,
            &other.created,
            &other.updated,
            &other.persona,
            &other.model,
            &other.backend,
            &other.template,
        ) && self.sampling == other.sampling
            && self.model_params == other.model_params
            && self.conversation.system_prompt == other.conversation.system_prompt
            && strip(self) == strip(other)
            && recorded(self) == recorded(other)
    }
}

/// Which model file a session used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRef {
    /// The GGUF file name, without directories.
    pub file_name: String,
    /// File size in bytes.
    pub size: u64,
    /// [`stamp::fingerprint`] of the file.
    pub fingerprint: String,
}

/// Which remote backend a session used: never a key (only configured backends have one, named by
/// their environment variable in config.toml). Untrusted on reopening: it is only a name to look
/// up among the configured backends, never a URL to connect to by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackendRef {
    /// The `[backends.NAME]` name; `null` for a URL given on the command line.
    pub name: Option<String>,
    pub url: String,
    /// The server's model id.
    pub model: String,
}

impl ModelRef {
    /// Describes a model file: name, size and fingerprint (reads at most 128 KiB).
    pub fn from_path(path: &Path) -> io::Result<ModelRef> {
        let size = std::fs::metadata(path)?.len();
        Ok(ModelRef {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            size,
            fingerprint: stamp::fingerprint(path)?,
        })
    }
}

impl Session {
    /// A new, unsaved session (revision 0) with a fresh id and the current time.
    pub fn new(
        system_prompt: &str,
        sampling: SamplingParams,
        model_params: ModelParams,
    ) -> Session {
        let now = SystemTime::now();
        let stamp = stamp::format_rfc3339(now);
        Session {
            format_version: FORMAT_VERSION,
            id: stamp::new_id(now),
            revision: 0,
            title: UNTITLED.to_owned(),
            title_is_custom: false,
            created: stamp.clone(),
            updated: stamp,
            persona: None,
            model: None,
            backend: None,
            template: None,
            sampling,
            model_params,
            conversation: Conversation::new(system_prompt),
            tree: Tree::default(),
        }
    }

    /// Records the active path (`conversation.messages`) in the tree: new messages become nodes
    /// (siblings where the path left the tree) and get their ids; nothing is removed.
    pub fn sync_tree(&mut self) {
        self.tree.record_path(&mut self.conversation.messages);
    }

    /// Makes `conversation.messages` the tree's active path again, after the tree changed
    /// (a sibling switched, a branch selected or deleted).
    pub fn follow_tree(&mut self) {
        self.conversation.messages = self.tree.active_messages();
    }

    /// A copy holding only the active path (ids and parents kept), for an export of it.
    pub fn active_only(&self) -> Session {
        let mut copy = self.clone();
        copy.sync_tree();
        let path: Vec<_> = (copy.tree.active_ids().iter())
            .filter_map(|&id| copy.tree.get(id).cloned())
            .collect();
        let leaf = path.last().map(|n| n.id);
        // A path of a valid tree is a valid tree.
        copy.tree = Tree::from_nodes(path, leaf)
            .unwrap_or_else(|_| Tree::from_linear(&copy.conversation.messages));
        copy
    }

    /// Regenerate ×N: records the active path, then adds `replies` as alternatives after its
    /// last message (siblings of each other and of any reply already there), makes
    /// `replies[active]` the active one and shows its path. Returns the replies' ids.
    pub fn add_replies(&mut self, replies: Vec<Message>, active: usize) -> Vec<NodeId> {
        self.sync_tree();
        let parent = self.conversation.messages.last().and_then(|m| m.id);
        let ids = self.tree.add_siblings(parent, replies, active);
        self.follow_tree();
        ids
    }

    /// Renames the session; an empty (or blank) title goes back to the automatic one.
    ///
    /// Control characters and line breaks become spaces, so a title is always one line.
    pub fn set_title(&mut self, title: &str) {
        let clean = one_line(title);
        if clean.is_empty() {
            self.title_is_custom = false;
            self.title = title_from(&self.conversation);
        } else {
            self.title_is_custom = true;
            self.title = clean;
        }
    }

    /// Recomputes the automatic title (no-op for a custom one); saves call this.
    pub fn refresh_title(&mut self) {
        if !self.title_is_custom {
            self.title = title_from(&self.conversation);
        }
    }

    /// Whether nothing has been said yet (the caller may skip saving such a session on exit).
    pub fn is_empty(&self) -> bool {
        self.conversation.messages.is_empty()
    }
}

/// Collapses whitespace runs and control characters into single spaces, trimmed.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The automatic title: the first non-blank line of the first user message, trimmed to about
/// [`TITLE_MAX_CHARS`] characters (at a word boundary when one is near), or [`UNTITLED`].
pub fn title_from(conversation: &Conversation) -> String {
    let line = conversation
        .messages
        .iter()
        .find(|m| m.role == Role::User)
        .and_then(|m| m.content.lines().map(one_line).find(|l| !l.is_empty()));
    let Some(line) = line else {
        return UNTITLED.to_owned();
    };
    if line.chars().count() <= TITLE_MAX_CHARS {
        return line;
    }
    let cut: String = line.chars().take(TITLE_MAX_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if cut[..space].chars().count() >= TITLE_MAX_CHARS * 2 / 3 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

fn finite_or<T: Copy>(value: &mut T, fallback: T, is_finite: fn(T) -> bool) {
    if !is_finite(*value) {
        *value = fallback;
    }
}

/// Makes a session representable in JSON, which has no NaN or infinity and no non-UTF-8 paths
/// (serde_json would write `null` and the file would then fail to load): non-finite reply speeds
/// become 0, non-finite settings their defaults, and a non-UTF-8 LoRA path its lossy form.
pub(crate) fn make_encodable(session: &mut Session) {
    let (sd, md) = (SamplingParams::default(), ModelParams::default());
    let s = &mut session.sampling;
    for (value, fallback) in [
        (&mut s.temperature, sd.temperature),
        (&mut s.top_p, sd.top_p),
        (&mut s.min_p, sd.min_p),
        (&mut s.repeat_penalty, sd.repeat_penalty),
        (&mut s.presence_penalty, sd.presence_penalty),
        (&mut s.frequency_penalty, sd.frequency_penalty),
        (&mut session.model_params.lora_scale, md.lora_scale),
    ] {
        finite_or(value, fallback, f32::is_finite);
    }
    if let Some(path) = &session.model_params.lora_path
        && path.to_str().is_none()
    {
        session.model_params.lora_path = Some(PathBuf::from(path.to_string_lossy().into_owned()));
    }
    for stats in session
        .conversation
        .messages
        .iter_mut()
        .filter_map(|m| m.stats.as_mut())
    {
        for value in [
            &mut stats.prompt_tokens_per_second,
            &mut stats.generation_tokens_per_second,
            &mut stats.time_to_first_token_ms,
        ] {
            finite_or(value, 0.0, f64::is_finite);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::{Message, ReplyStats, StopReason};
    use crate::store::format::{decode, encode};

    fn sample() -> Session {
        let mut s = Session::new("", SamplingParams::default(), ModelParams::default());
        let mut reply = Message::assistant("hello");
        reply.stats = Some(ReplyStats {
            seed: 42,
            stop_reason: Some(StopReason::EndOfGeneration),
            ..Default::default()
        });
        s.conversation.messages = vec![Message::user("hi"), reply];
        s
    }

    fn with_messages(messages: &[Message]) -> Conversation {
        Conversation {
            system_prompt: String::new(),
            messages: messages.to_vec(),
        }
    }

    #[test]
    fn title_is_the_first_line_of_the_first_user_message() {
        assert_eq!(title_from(&Conversation::default()), UNTITLED);
        let c = with_messages(&[
            Message::assistant("Hello, how can I help?"),
            Message::user("\n\n   How do\tI   sort a Vec?  \nwith details"),
            Message::user("second"),
        ]);
        assert_eq!(title_from(&c), "How do I sort a Vec?");
        assert_eq!(
            title_from(&with_messages(&[Message::user(" \n\t ")])),
            UNTITLED
        );
    }

    #[test]
    fn long_titles_are_cut_at_a_word_near_the_limit() {
        let words = "lorem ipsum dolor sit amet ".repeat(10);
        let title = title_from(&with_messages(&[Message::user(words)]));
        assert!(title.ends_with('…'), "{title}");
        assert!(title.chars().count() <= TITLE_MAX_CHARS, "{title}");
        assert!(title.chars().count() >= TITLE_MAX_CHARS * 2 / 3, "{title}");
        assert!(!title.contains(" …"), "{title}");
        // No spaces (CJK): cut by characters, never inside one.
        let title = title_from(&with_messages(&[Message::user("漢字".repeat(100))]));
        assert_eq!(title.chars().count(), TITLE_MAX_CHARS);
        assert!(title.starts_with("漢字漢字"));
    }

    #[test]
    fn renames_stick_until_cleared() {
        let mut s = Session::new("", SamplingParams::default(), ModelParams::default());
        assert_eq!(s.revision, 0);
        assert!(s.is_empty());
        s.conversation.messages.push(Message::user("What is Rust?"));
        s.refresh_title();
        assert_eq!(s.title, "What is Rust?");
        s.set_title("  My\nnotes\u{7}  ");
        assert_eq!((s.title.as_str(), s.title_is_custom), ("My notes", true));
        s.conversation.messages.insert(0, Message::user("Other"));
        s.refresh_title();
        assert_eq!(s.title, "My notes");
        s.set_title(" ");
        assert_eq!((s.title.as_str(), s.title_is_custom), ("Other", false));
    }

    #[test]
    fn model_ref_describes_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tiny-q4.gguf");
        std::fs::write(&path, b"GGUF and some bytes").unwrap();
        let m = ModelRef::from_path(&path).unwrap();
        assert_eq!(m.file_name, "tiny-q4.gguf");
        assert_eq!(m.size, 19);
        assert_eq!(m.fingerprint, stamp::fingerprint(&path).unwrap());
        assert!(ModelRef::from_path(&dir.path().join("nope.gguf")).is_err());
    }

    #[test]
    fn non_finite_numbers_are_made_encodable() {
        let mut s = sample();
        s.sampling.temperature = f32::NAN;
        s.conversation.messages[1]
            .stats
            .as_mut()
            .unwrap()
            .generation_tokens_per_second = f64::INFINITY;
        make_encodable(&mut s);
        assert_eq!(
            s.sampling.temperature,
            SamplingParams::default().temperature
        );
        let stats = s.conversation.messages[1].stats.as_ref().unwrap();
        assert_eq!(stats.generation_tokens_per_second, 0.0);
        assert_eq!(decode(&encode(&s).unwrap(), &s.id).unwrap(), s);
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_lora_paths_are_made_encodable() {
        use std::os::unix::ffi::OsStrExt;
        let mut s = sample();
        let raw = std::ffi::OsStr::from_bytes(b"/models/lo\xffra.gguf");
        s.model_params.lora_path = Some(PathBuf::from(raw));
        assert!(encode(&s).is_err());
        make_encodable(&mut s);
        let back = decode(&encode(&s).unwrap(), &s.id).unwrap();
        assert_eq!(
            back.model_params.lora_path,
            Some(PathBuf::from("/models/lo\u{FFFD}ra.gguf"))
        );
    }
}
