//! What the view reads of the chat, apart from the modules that draw it, so that each of them
//! depends on this and nothing depends back on them.

use crate::chat::{Conversation, ReplyStats};
use crate::tui::state::{ModelState, Notice, PendingLoad, PullStatus, Streaming};
use ratatui_textarea::TextArea;

/// What the view reads of the chat, borrowed for one frame.
pub struct Screen<'a> {
    /// The time the frame shows (the spinner's frame, the live speed).
    pub now: std::time::Instant,
    pub conversation: &'a Conversation,
    pub streaming: Option<&'a Streaming>,
    pub switching: Option<&'a PendingLoad>,
    pub model: &'a ModelState,
    pub last_stats: Option<&'a ReplyStats>,
    pub notice: Option<&'a Notice>,
    /// The last engine error, shown under the conversation.
    pub error: Option<&'a str>,
    pub session_name: &'a str,
    pub input: &'a TextArea<'static>,
    /// A message waits for the model to finish loading.
    pub waiting_for_model: bool,
    /// A model being downloaded in the background.
    pub pull: Option<&'a PullStatus>,
    /// The message selected with Alt+Up / Alt+Down.
    pub selected: Option<usize>,
    /// Per message: `(position, count)` among its alternatives, `None` when it has none.
    pub siblings: &'a [Option<(usize, usize)>],
    /// An earlier message is being edited (sending it makes a new branch).
    pub editing: bool,
}
