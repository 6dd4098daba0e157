//! A session as its file spells it, for every format version ggchat reads.
//!
//! In memory a [`Session`] holds its messages twice over: the [`Tree`] of every message, and
//! `conversation.messages`, the active path the chat shows and the engine reads. The file holds
//! the tree once (format 4: each message with `id` and `parent`, and the `active` leaf), so this
//! module converts between the two. Files of formats 1 to 3 hold one linear list of messages,
//! read as a tree with a single branch. Untrusted trees are checked by [`Tree::from_nodes`]: a
//! cycle, a dangling parent, a duplicate id or an active id pointing nowhere is an error, never
//! a panic.

use super::session::{BackendRef, ModelRef, Session};
use super::tree::{Node, NodeId, Tree, TreeError};
use crate::chat::{Conversation, Message};
use crate::params::{ModelParams, SamplingParams};
use serde::{Deserialize, Serialize};

/// The first format version that stores a tree.
pub const TREE_VERSION: u32 = 4;

/// Ids above this cannot be written exactly as JSON numbers by every tool (2^53).
const MAX_ID: NodeId = 1 << 53;

/// The top level of a session file (see [`super::format`] for each field).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SessionFile {
    format_version: u32,
    id: String,
    revision: u64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    title_is_custom: bool,
    created: String,
    updated: String,
    #[serde(default)]
    persona: Option<String>,
    #[serde(default)]
    model: Option<ModelRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    backend: Option<BackendRef>,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    sampling: SamplingParams,
    #[serde(default)]
    model_params: ModelParams,
    conversation: WireConversation,
}

/// `conversation`: the system prompt, the messages and (format 4) the active leaf.
#[derive(Serialize, Deserialize)]
struct WireConversation {
    #[serde(default)]
    system_prompt: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    active: Option<NodeId>,
    #[serde(default)]
    messages: Vec<WireMessage>,
}

/// One message; `id` and `parent` are required from format 4 on and ignored before.
#[derive(Serialize, Deserialize)]
struct WireMessage {
    #[serde(default)]
    id: Option<NodeId>,
    #[serde(default)]
    parent: Option<NodeId>,
    #[serde(flatten)]
    message: Message,
}

impl From<&Session> for SessionFile {
    /// The file form of a session; records the active path in (a copy of) the tree first.
    fn from(session: &Session) -> SessionFile {
        let mut tree = session.tree.clone();
        tree.record_path(&mut session.conversation.messages.clone());
        let messages = (tree.nodes().iter())
            .map(|node| WireMessage {
                id: Some(node.id),
                parent: node.parent,
                message: Message {
                    id: None,
                    ..node.message.clone()
                },
            })
            .collect();
        let s = session;
        SessionFile {
            format_version: s.format_version,
            id: s.id.clone(),
            revision: s.revision,
            title: s.title.clone(),
            title_is_custom: s.title_is_custom,
            created: s.created.clone(),
            updated: s.updated.clone(),
            persona: s.persona.clone(),
            model: s.model.clone(),
            backend: s.backend.clone(),
            template: s.template.clone(),
            sampling: s.sampling.clone(),
            model_params: s.model_params.clone(),
            conversation: WireConversation {
                system_prompt: s.conversation.system_prompt.clone(),
                active: tree.active_leaf(),
                messages,
            },
        }
    }
}

/// Why a file's messages do not form a tree.
#[derive(Debug)]
pub(crate) enum WireError {
    MissingId(usize),
    TooLarge(NodeId),
    Tree(TreeError),
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::MissingId(at) => write!(
                f,
                "message {} of the conversation has no id (format {TREE_VERSION} needs `id` and `parent` on every message)",
                at + 1
            ),
            WireError::TooLarge(id) => write!(f, "message id {id} is too large (at most {MAX_ID})"),
            WireError::Tree(e) => e.fmt(f),
        }
    }
}

impl TryFrom<SessionFile> for Session {
    type Error = WireError;

    fn try_from(file: SessionFile) -> Result<Session, WireError> {
        let wire = file.conversation;
        let tree = if file.format_version < TREE_VERSION {
            let linear: Vec<Message> = wire.messages.into_iter().map(|m| m.message).collect();
            Tree::from_linear(&linear)
        } else {
            let mut nodes = Vec::with_capacity(wire.messages.len());
            for (at, m) in wire.messages.into_iter().enumerate() {
                let id = m.id.ok_or(WireError::MissingId(at))?;
                if let Some(big) = [Some(id), m.parent]
                    .into_iter()
                    .flatten()
                    .find(|&i| i > MAX_ID)
                {
                    return Err(WireError::TooLarge(big));
                }
                nodes.push(Node {
                    id,
                    parent: m.parent,
                    message: m.message,
                });
            }
            Tree::from_nodes(nodes, wire.active).map_err(WireError::Tree)?
        };
        Ok(Session {
            format_version: file.format_version,
            id: file.id,
            revision: file.revision,
            title: file.title,
            title_is_custom: file.title_is_custom,
            created: file.created,
            updated: file.updated,
            persona: file.persona,
            model: file.model,
            backend: file.backend,
            template: file.template,
            sampling: file.sampling,
            model_params: file.model_params,
            conversation: Conversation {
                system_prompt: wire.system_prompt,
                messages: tree.active_messages(),
            },
            tree,
        })
    }
}
