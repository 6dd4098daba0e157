//! The conversation tree: every message ever written in a session, each with its parent, and the
//! path the chat is on.
//!
//! Editing an earlier user message or regenerating a reply used to replace what was there; with
//! the tree nothing is replaced: a regenerated reply becomes a *sibling* of the old one (same
//! parent), an edited user message a sibling of the original, and the chat shows one *active
//! path* from the first message to the *active leaf*. The engine only ever sees that path as a
//! plain list of messages ([`Tree::active_messages`]), so it needs no knowledge of branches (and
//! its KV cache reuses the common token prefix of two paths by itself).
//!
//! Invariants, which every operation keeps and [`Tree::from_nodes`] checks on untrusted input:
//! ids are unique and never 0; every parent comes before its children in [`Tree::nodes`] (so
//! there can be no cycle, and every walk up the tree ends); the active leaf, when set, is a node.
//! No operation here recurses: a session file can be arbitrarily deep.
//!
//! Only [`Tree::delete_branch`] removes messages; the chat asks the user first.

use crate::chat::Message;
use std::collections::{HashMap, HashSet};
use thiserror::Error;

/// A message's id within its session (1, 2, …; never reused while the message exists).
pub type NodeId = u64;

/// One message and its place in the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: NodeId,
    /// `None` for a first message (a child of the system prompt).
    pub parent: Option<NodeId>,
    /// The message; its `id` is `Some(self.id)`.
    pub message: Message,
}

/// Why a stored tree cannot be used (the store adds the file's name).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TreeError {
    #[error("message id 0 is not allowed (ids start at 1)")]
    ZeroId,
    #[error("message id {0} appears more than once")]
    DuplicateId(NodeId),
    #[error(
        "message {id} names parent {parent}, which is not an earlier message of the file (each message must come after its parent; a missing parent or a cycle)"
    )]
    BadParent { id: NodeId, parent: NodeId },
    #[error("the active message {0} is not in the file")]
    MissingActive(NodeId),
}

/// All messages of a session as a tree, plus the active leaf.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tree {
    /// Parents before children; otherwise in creation order.
    nodes: Vec<Node>,
    /// Id → position in `nodes`.
    index: HashMap<NodeId, usize>,
    /// Parent (`None`: the first messages) → its children's ids, oldest first.
    kids: HashMap<Option<NodeId>, Vec<NodeId>>,
    /// The last message of the active path; `None` only for an empty tree.
    leaf: Option<NodeId>,
    /// The largest id in `nodes` (0 when empty).
    max_id: NodeId,
}

impl Tree {
    /// A chain of messages (a session of format 1 to 3): ids 1, 2, …, the last one active.
    pub fn from_linear(messages: &[Message]) -> Tree {
        let mut tree = Tree::default();
        for message in messages {
            tree.append(message.clone());
        }
        tree
    }

    /// Builds a tree from stored nodes (untrusted): checks every invariant, and takes the last
    /// node as the active leaf when `active` is `None`.
    pub fn from_nodes(nodes: Vec<Node>, active: Option<NodeId>) -> Result<Tree, TreeError> {
        let mut index = HashMap::with_capacity(nodes.len());
        for (at, node) in nodes.iter().enumerate() {
            if node.id == 0 {
                return Err(TreeError::ZeroId);
            }
            if let Some(parent) = node.parent
                && !index.contains_key(&parent)
            {
                return Err(TreeError::BadParent {
                    id: node.id,
                    parent,
                });
            }
            if index.insert(node.id, at).is_some() {
                return Err(TreeError::DuplicateId(node.id));
            }
        }
        let leaf = match active {
            Some(id) if !index.contains_key(&id) => return Err(TreeError::MissingActive(id)),
            Some(id) => Some(id),
            None => nodes.last().map(|n| n.id),
        };
        let mut tree = Tree {
            nodes,
            leaf,
            ..Tree::default()
        };
        for node in &mut tree.nodes {
            node.message.id = Some(node.id);
        }
        tree.reindex();
        Ok(tree)
    }

    /// Every message, parents before children.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn get(&self, id: NodeId) -> Option<&Node> {
        self.index.get(&id).map(|&at| &self.nodes[at])
    }

    /// The last message of the active path.
    pub fn active_leaf(&self) -> Option<NodeId> {
        self.leaf
    }

    /// The children of `parent` (`None`: the first messages), oldest first.
    pub fn children(&self, parent: Option<NodeId>) -> Vec<NodeId> {
        self.kids.get(&parent).cloned().unwrap_or_default()
    }

    /// How many branches the tree has: its leaves (1 for a plain conversation, 0 when empty).
    pub fn branch_count(&self) -> usize {
        let parents: HashSet<NodeId> = self.nodes.iter().filter_map(|n| n.parent).collect();
        (self.nodes.iter())
            .filter(|n| !parents.contains(&n.id))
            .count()
    }

    /// The ids from the first message down to `id` (empty when `id` is not a node).
    pub fn path_to(&self, id: NodeId) -> Vec<NodeId> {
        let mut path = Vec::new();
        let mut at = self.get(id);
        // Parents come first in `nodes`, so this walk ends; the bound is a second guard.
        while let Some(node) = at {
            path.push(node.id);
            if path.len() > self.nodes.len() {
                break;
            }
            at = node.parent.and_then(|p| self.get(p));
        }
        path.reverse();
        path
    }

    /// The ids of the active path, first message first.
    pub fn active_ids(&self) -> Vec<NodeId> {
        self.leaf.map(|l| self.path_to(l)).unwrap_or_default()
    }

    /// The active path as the engine sees it: a plain list of messages (each with its id).
    pub fn active_messages(&self) -> Vec<Message> {
        (self.active_ids().into_iter())
            .filter_map(|id| self.get(id).map(|n| n.message.clone()))
            .collect()
    }

    /// `(position, count)` of `id` among its siblings, position from 1: `‹ 2/3 ›`.
    pub fn sibling_position(&self, id: NodeId) -> Option<(usize, usize)> {
        let node = self.get(id)?;
        let siblings = self.children(node.parent);
        let at = siblings.iter().position(|&s| s == id)?;
        Some((at + 1, siblings.len()))
    }

    /// Adds `message` under `parent` (`None`: a new first message) and makes it the active leaf.
    /// A parent that is not a node is taken as `None`.
    pub fn add_child(&mut self, parent: Option<NodeId>, mut message: Message) -> NodeId {
        let parent = parent.filter(|p| self.index.contains_key(p));
        self.max_id += 1;
        let id = self.max_id;
        message.id = Some(id);
        self.index.insert(id, self.nodes.len());
        self.kids.entry(parent).or_default().push(id);
        self.nodes.push(Node {
            id,
            parent,
            message,
        });
        self.leaf = Some(id);
        id
    }

    /// Adds `message` after the active leaf and makes it active.
    pub fn append(&mut self, message: Message) -> NodeId {
        self.add_child(self.leaf, message)
    }

    /// Adds `message` as a sibling of `of` (same parent), e.g. a regenerated reply or an edited
    /// user message, and makes it the active leaf.
    pub fn add_sibling(&mut self, of: NodeId, message: Message) -> NodeId {
        let parent = self.get(of).and_then(|n| n.parent);
        self.add_child(parent, message)
    }

    /// Adds several alternatives at once (regenerate ×N) as children of `parent`, after any it
    /// already has, and makes `replies[active]` (clamped) the active leaf. Returns their ids in
    /// order.
    pub fn add_siblings(
        &mut self,
        parent: Option<NodeId>,
        replies: Vec<Message>,
        active: usize,
    ) -> Vec<NodeId> {
        let ids: Vec<NodeId> = (replies.into_iter())
            .map(|m| self.add_child(parent, m))
            .collect();
        if let Some(&id) = ids.get(active.min(ids.len().saturating_sub(1))) {
            self.leaf = Some(id);
        }
        ids
    }

    /// The leaf reached from `id` by always taking the newest child.
    fn newest_leaf_under(&self, id: NodeId) -> NodeId {
        let mut at = id;
        // Each step moves to a later node, so this ends within `nodes.len()` steps.
        while let Some(&child) = self.kids.get(&Some(at)).and_then(|k| k.last()) {
            at = child;
        }
        at
    }

    /// Makes the path through `id` active, continuing below it along the newest children.
    /// Returns the new active leaf (`None` when `id` is not a node).
    pub fn select(&mut self, id: NodeId) -> Option<NodeId> {
        self.get(id)?;
        let leaf = self.newest_leaf_under(id);
        self.leaf = Some(leaf);
        Some(leaf)
    }

    /// Moves from `id` to its sibling `delta` places away (clamped to the first and last) and
    /// makes that branch active. Returns the sibling chosen.
    pub fn switch_sibling(&mut self, id: NodeId, delta: isize) -> Option<NodeId> {
        let node = self.get(id)?;
        let siblings = self.children(node.parent);
        let at = siblings.iter().position(|&s| s == id)?;
        let to = at
            .saturating_add_signed(delta)
            .min(siblings.len().saturating_sub(1));
        let chosen = siblings[to];
        self.select(chosen);
        Some(chosen)
    }

    /// Removes `id` and everything below it; returns how many messages went. When the active
    /// path went through it, a sibling's branch (or else the parent) becomes active.
    pub fn delete_branch(&mut self, id: NodeId) -> usize {
        let Some(node) = self.get(id) else { return 0 };
        let parent = node.parent;
        let mut gone: HashSet<NodeId> = HashSet::from([id]);
        for n in &self.nodes[self.index[&id]..] {
            if n.parent.is_some_and(|p| gone.contains(&p)) {
                gone.insert(n.id);
            }
        }
        let was_active = self.leaf.is_some_and(|l| gone.contains(&l));
        let siblings = self.children(parent);
        let at = siblings.iter().position(|&s| s == id).unwrap_or(0);
        self.nodes.retain(|n| !gone.contains(&n.id));
        self.reindex();
        if was_active {
            let rest: Vec<NodeId> = (siblings.into_iter())
                .filter(|s| !gone.contains(s))
                .collect();
            self.leaf = match rest.get(at.saturating_sub(1)).or(rest.first()) {
                Some(&s) => Some(self.newest_leaf_under(s)),
                None => parent,
            };
        }
        gone.len()
    }

    fn reindex(&mut self) {
        self.index = (self.nodes.iter().enumerate())
            .map(|(at, n)| (n.id, at))
            .collect();
        self.max_id = self.nodes.iter().map(|n| n.id).max().unwrap_or(0);
        self.kids.clear();
        for n in &self.nodes {
            self.kids.entry(n.parent).or_default().push(n.id);
        }
    }

    /// Records a linear conversation (what the chat holds) as the active path, adding what is
    /// new and never removing anything: a message whose `id` is the node at that place (same
    /// parent) updates that node (a continued or finished reply); a message without such an id
    /// takes the place of a child there with the same role and text, if any; any other message
    /// becomes a new node there (a regenerated reply or an edited turn: a sibling). Ids are
    /// written back into `messages`. The last message becomes the active leaf.
    pub fn record_path(&mut self, messages: &mut [Message]) {
        let mut parent: Option<NodeId> = None;
        for message in messages.iter_mut() {
            let known = message
                .id
                .and_then(|id| self.index.get(&id).copied())
                .filter(|&at| self.nodes[at].parent == parent)
                .or_else(|| {
                    let siblings = self.kids.get(&parent)?;
                    (siblings.iter().map(|id| self.index[id])).find(|&at| {
                        let known = &self.nodes[at].message;
                        known.role == message.role && known.content == message.content
                    })
                });
            let id = match known {
                Some(at) => {
                    self.nodes[at].message = message.clone();
                    self.nodes[at].id
                }
                None => self.add_child(parent, message.clone()),
            };
            message.id = Some(id);
            parent = Some(id);
        }
        if parent.is_some() {
            self.leaf = parent;
        }
    }
}
