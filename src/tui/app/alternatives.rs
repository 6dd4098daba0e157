//! "Regenerate ×N" in the chat: N replies to the last user message in one request (the engine
//! evaluates the prompt once, see `crate::engine::scheduler::fanout`), streamed one under another
//! (labelled 1/N, 2/N, ...), then kept as siblings in the session's tree with the first one on
//! the active path.
//!
//! The first alternative streams through the chat's ordinary reply (`Streaming`); the others
//! stream into messages placed after it for as long as the request runs. Their ends are held
//! back until every alternative has ended: then the extra messages leave the active path, the
//! first one's end goes through the ordinary path (stats, save), and the others are added to the
//! tree as its siblings ([`crate::store::tree::Tree::add_siblings`]).

use super::App;
use crate::chat::{Message, Role};
use crate::engine::{EngineEvent, RequestId};

/// How many alternatives "regenerate ×N" asks for unless `alternatives` (the parameter table's
/// row, `--alternatives`) says otherwise.
pub const DEFAULT_ALTERNATIVES: u8 = 3;

/// A "regenerate ×N" request in flight.
pub struct Fanout {
    id: RequestId,
    /// The index of the first alternative's message; alternative `k` is at `first + k`.
    first: usize,
    /// Each alternative's last event (`Finished` or `Failed`), once it came.
    ended: Vec<Option<EngineEvent>>,
    /// The other alternatives, once all ended, for the tree.
    siblings: Option<Vec<Message>>,
}

fn label(k: usize, n: usize) -> String {
    crate::tr!(
        "tui-alternative-label",
        index = (k + 1).to_string(),
        count = n.to_string()
    )
}

impl App {
    /// Engine events, with the alternatives of a "regenerate ×N" sorted out first.
    pub fn handle_engine(&mut self, event: EngineEvent) {
        if let Some(event) = self.alternative_event(event) {
            self.apply_engine(event);
        }
        self.store_alternatives();
    }

    /// Replaces the last reply with `alternatives` new ones (the setting, 2 to 4; validated with
    /// the other parameters, clamped here as a second guard).
    pub(super) fn regenerate_many(&mut self) {
        if self.is_generating() {
            return;
        }
        let messages = &mut self.chat.conversation.messages;
        if messages.last().is_some_and(|m| m.role == Role::Assistant) {
            messages.pop();
        }
        if !messages.last().is_some_and(|m| m.role == Role::User) {
            self.notify(crate::tr!("tui-notice-nothing-to-regenerate"), true);
            return;
        }
        self.view.follow_bottom();
        let n = u8::try_from(self.chat.sampling.alternatives.clamp(2, 4))
            .unwrap_or(DEFAULT_ALTERNATIVES);
        self.start_reply(false, n);
    }

    /// Called by `start_reply` once a request for `n > 1` alternatives went out: the messages
    /// the others stream into.
    pub(super) fn begin_alternatives(&mut self, id: RequestId, n: usize) {
        let messages = &mut self.chat.conversation.messages;
        let first = messages.len() - 1;
        messages[first].model = Some(label(0, n));
        for k in 1..n {
            let mut message = Message::assistant("");
            message.model = Some(label(k, n));
            messages.push(message);
        }
        self.chat.fanout = Some(Fanout {
            id,
            first,
            ended: vec![None; n],
            siblings: None,
        });
    }

    /// Applies the events of alternatives 2..N; passes on what the ordinary path handles.
    fn alternative_event(&mut self, event: EngineEvent) -> Option<EngineEvent> {
        let model = self.model_name();
        let Some(fanout) = self.chat.fanout.as_mut().filter(|f| f.siblings.is_none()) else {
            return Some(event);
        };
        let n = fanout.ended.len();
        let Some(k) = (event.request_id().checked_sub(fanout.id))
            .map(|k| k as usize)
            .filter(|&k| k < n)
        else {
            return Some(event);
        };
        let messages = &mut self.chat.conversation.messages;
        match event {
            EngineEvent::Finished { .. } | EngineEvent::Failed { .. } => {
                fanout.ended[k] = Some(event);
                if fanout.ended.iter().any(Option::is_none) {
                    return None;
                }
                // All ended: the others leave the active path, the first ends as usual.
                let extra = fanout.first + 1..(fanout.first + n).min(messages.len());
                let mut siblings = Vec::new();
                for (message, end) in messages.drain(extra).zip(&fanout.ended[1..]) {
                    if let Some(EngineEvent::Finished { stats, .. }) = end
                        && !message.content.is_empty()
                    {
                        siblings.push(Message {
                            stats: Some(stats.clone()),
                            model: model.clone(),
                            ..message
                        });
                    }
                }
                if let Some(first) = messages.get_mut(fanout.first) {
                    first.model = None;
                }
                fanout.siblings = Some(siblings);
                fanout.ended[0].take()
            }
            EngineEvent::Token { text, .. } if k > 0 => {
                if let Some(message) = messages.get_mut(fanout.first + k) {
                    message.content.push_str(&text);
                }
                None
            }
            EngineEvent::Reasoning { text, .. } if k > 0 => {
                if let Some(message) = messages.get_mut(fanout.first + k) {
                    message.reasoning.get_or_insert_default().push_str(&text);
                }
                None
            }
            _ if k > 0 => None,
            other => Some(other),
        }
    }

    /// Once every alternative ended and the first was saved: the others become its siblings in
    /// the session's tree, the first stays active.
    fn store_alternatives(&mut self) {
        let Some(fanout) = self.chat.fanout.take_if(|f| f.siblings.is_some()) else {
            return;
        };
        let mut siblings = fanout.siblings.unwrap_or_default();
        let messages = &mut self.chat.conversation.messages;
        // An empty first reply was dropped: the next one takes its place.
        if !messages.last().is_some_and(|m| m.role == Role::Assistant) {
            if siblings.is_empty() {
                return;
            }
            messages.push(siblings.remove(0));
        }
        if siblings.is_empty() {
            self.save_session();
            return;
        }
        let tree = &mut self.chat.session.tree;
        let mut path = messages.clone();
        tree.record_path(&mut path);
        for (mine, recorded) in messages.iter_mut().zip(&path) {
            mine.id = recorded.id;
        }
        if let Some(reply) = path.last().and_then(|m| m.id) {
            let parent = tree.get(reply).and_then(|node| node.parent);
            tree.add_siblings(parent, siblings, 0);
            tree.select(reply);
        }
        self.save_session();
    }
}
