//! The tree's operations, and the promise that matters most: no message is ever lost by any
//! sequence of edits, regenerations, switches, saves and reloads (property tests).

use super::Session;
use super::format::{FORMAT_VERSION, decode, encode};
use super::tree::{Node, Tree, TreeError};
use crate::chat::{Message, Role};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn texts(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(|m| m.content.as_str()).collect()
}

#[test]
fn regenerate_and_edit_add_siblings_and_switching_follows_the_branch() {
    let mut t = Tree::default();
    let q1 = t.append(Message::user("q1"));
    let a1 = t.append(Message::assistant("a1"));
    t.append(Message::user("q2"));
    let a2 = t.append(Message::assistant("a2"));
    assert_eq!(t.branch_count(), 1);
    let a2b = t.add_sibling(a2, Message::assistant("a2 again"));
    assert_eq!(texts(&t.active_messages()), ["q1", "a1", "q2", "a2 again"]);
    assert_eq!(t.sibling_position(a2b), Some((2, 2)));
    assert_eq!(t.sibling_position(a1), Some((1, 1)));
    // Edit q1: a sibling turn from the start.
    let q1b = t.add_sibling(q1, Message::user("q1 edited"));
    t.append(Message::assistant("b1"));
    assert_eq!(texts(&t.active_messages()), ["q1 edited", "b1"]);
    assert_eq!(t.branch_count(), 3);
    // Back to the first turn: its newest branch is shown.
    assert_eq!(t.switch_sibling(q1b, -1), Some(q1));
    assert_eq!(texts(&t.active_messages()), ["q1", "a1", "q2", "a2 again"]);
    assert_eq!(t.switch_sibling(a2b, -5), Some(a2), "clamped");
    assert_eq!(texts(&t.active_messages()), ["q1", "a1", "q2", "a2"]);
    assert_eq!(t.switch_sibling(a2, 9), Some(a2b));
    assert_eq!(t.len(), 7, "nothing was dropped");
}

#[test]
fn add_siblings_stores_n_alternatives_and_picks_the_active_one() {
    let mut s = Session::new("", Default::default(), Default::default());
    s.conversation.messages.push(Message::user("q"));
    s.conversation.messages.push(Message::assistant("first"));
    s.sync_tree();
    s.conversation.messages.pop();
    let replies = ["x", "y", "z"].map(Message::assistant).to_vec();
    let ids = s.add_replies(replies, 1);
    assert_eq!(ids.len(), 3);
    assert_eq!(texts(&s.conversation.messages), ["q", "y"]);
    assert_eq!(s.tree.sibling_position(ids[1]), Some((3, 4)));
    assert_eq!(s.tree.branch_count(), 4);
    let mut t = Tree::default();
    assert!(t.add_siblings(None, Vec::new(), 3).is_empty());
    let ids = t.add_siblings(None, vec![Message::user("a"), Message::user("b")], 9);
    assert_eq!(t.active_leaf(), Some(ids[1]), "clamped to the last");
}

#[test]
fn deleting_a_branch_removes_only_it_and_moves_the_active_path() {
    let mut t = Tree::default();
    let q = t.append(Message::user("q"));
    let a = t.append(Message::assistant("a"));
    t.append(Message::user("deeper"));
    let b = t.add_sibling(a, Message::assistant("b"));
    t.append(Message::user("under b"));
    assert_eq!(t.delete_branch(b), 2);
    assert_eq!(texts(&t.active_messages()), ["q", "a", "deeper"]);
    assert_eq!(t.delete_branch(a), 2);
    assert_eq!(t.active_leaf(), Some(q), "no sibling left: the parent");
    assert_eq!(t.delete_branch(12345), 0);
    assert_eq!(t.delete_branch(q), 1);
    assert!(t.is_empty() && t.active_leaf().is_none());
}

#[test]
fn record_path_adds_what_is_new_and_reuses_what_is_known() {
    let mut s = Session::new("", Default::default(), Default::default());
    s.conversation.messages = vec![Message::user("q"), Message::assistant("a")];
    s.sync_tree();
    assert_eq!(s.conversation.messages[1].id, Some(2));
    // A continued reply keeps its id: the node is updated, not duplicated.
    s.conversation.messages[1].content.push_str(" and more");
    s.sync_tree();
    assert_eq!(s.tree.len(), 2);
    // A replaced reply becomes a sibling.
    s.conversation.messages[1] = Message::assistant("other");
    s.sync_tree();
    assert_eq!(s.tree.len(), 3);
    assert_eq!(s.tree.sibling_position(3), Some((2, 2)));
    // The same text without an id is the same message.
    s.conversation.messages = vec![Message::user("q"), Message::assistant("a and more")];
    s.sync_tree();
    assert_eq!(s.tree.len(), 3);
    assert_eq!(s.tree.active_leaf(), Some(2));
}

fn node(id: u64, parent: Option<u64>) -> Node {
    Node {
        id,
        parent,
        message: Message::user(format!("m{id}")),
    }
}

#[test]
fn malformed_trees_are_refused_with_a_reason() {
    let cases = [
        (vec![node(0, None)], None, TreeError::ZeroId),
        (
            vec![node(1, None), node(1, Some(1))],
            None,
            TreeError::DuplicateId(1),
        ),
        (
            vec![node(1, None), node(2, Some(9))],
            None,
            TreeError::BadParent { id: 2, parent: 9 },
        ),
        // A cycle needs a parent that comes later: refused the same way.
        (
            vec![node(1, Some(2)), node(2, Some(1))],
            None,
            TreeError::BadParent { id: 1, parent: 2 },
        ),
        (
            vec![node(1, Some(1))],
            None,
            TreeError::BadParent { id: 1, parent: 1 },
        ),
        (vec![node(1, None)], Some(7), TreeError::MissingActive(7)),
    ];
    for (nodes, active, expected) in cases {
        assert_eq!(Tree::from_nodes(nodes, active), Err(expected.clone()));
        assert!(!expected.to_string().is_empty());
    }
    assert_eq!(Tree::from_nodes(Vec::new(), None), Ok(Tree::default()));
}

#[test]
fn a_very_deep_tree_is_walked_without_recursion() {
    let depth = 200_000u64;
    let nodes = (1..=depth)
        .map(|id| node(id, (id > 1).then(|| id - 1)))
        .collect();
    let mut t = Tree::from_nodes(nodes, None).unwrap();
    assert_eq!(t.active_ids().len(), depth as usize);
    assert_eq!(t.select(1), Some(depth));
    assert_eq!(t.branch_count(), 1);
    assert_eq!(t.delete_branch(2), depth as usize - 1);
}

/// What a user (or the chat) can do to a session.
#[derive(Debug, Clone)]
enum Op {
    Send,
    Reply,
    Regenerate,
    /// Edit the user message at this index (mod the count) of the active path.
    Edit(usize),
    Switch(usize, isize),
    Alternatives(usize, usize),
    SaveReload,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Send),
        3 => Just(Op::Reply),
        2 => Just(Op::Regenerate),
        2 => any::<usize>().prop_map(Op::Edit),
        3 => (any::<usize>(), -2isize..=2).prop_map(|(i, d)| Op::Switch(i, d)),
        1 => (2usize..=4, 0usize..4).prop_map(|(n, k)| Op::Alternatives(n, k)),
        2 => Just(Op::SaveReload),
    ]
}

/// Applies `op` as the chat does: by changing `conversation` (or the tree, for a switch).
fn apply(s: &mut Session, op: &Op, next: &mut u32, written: &mut BTreeSet<String>) {
    let mut say = |role: Role| {
        *next += 1;
        let text = format!("{role:?} {next}");
        written.insert(text.clone());
        Message::new(role, text)
    };
    let messages = &mut s.conversation.messages;
    match *op {
        Op::Send => messages.push(say(Role::User)),
        Op::Reply => messages.push(say(Role::Assistant)),
        Op::Regenerate => {
            if messages.last().is_some_and(|m| m.role == Role::Assistant) {
                messages.pop();
                messages.push(say(Role::Assistant));
            }
        }
        Op::Edit(i) => {
            let users: Vec<usize> = (0..messages.len())
                .filter(|&at| messages[at].role == Role::User)
                .collect();
            if !users.is_empty() {
                messages.truncate(users[i % users.len()]);
                messages.push(say(Role::User));
            }
        }
        Op::Switch(i, delta) => {
            s.sync_tree();
            let ids = s.tree.active_ids();
            if !ids.is_empty() {
                s.tree.switch_sibling(ids[i % ids.len()], delta);
                s.follow_tree();
            }
        }
        Op::Alternatives(n, k) => {
            let replies = (0..n).map(|_| say(Role::Assistant)).collect();
            s.add_replies(replies, k);
        }
        Op::SaveReload => {
            let before = s.clone();
            *s = decode(&encode(s).unwrap(), &s.id).unwrap();
            assert_eq!(*s, before, "a reload changes nothing");
            assert_eq!(s.format_version, FORMAT_VERSION);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_message_is_ever_lost(ops in prop::collection::vec(op(), 1..40)) {
        let mut s = Session::new("", Default::default(), Default::default());
        let (mut next, mut written) = (0, BTreeSet::new());
        for op in &ops {
            apply(&mut s, op, &mut next, &mut written);
            s.sync_tree();
            let kept: BTreeSet<String> =
                s.tree.nodes().iter().map(|n| n.message.content.clone()).collect();
            let lost: Vec<&String> = written.difference(&kept).collect();
            prop_assert!(lost.is_empty(), "after {op:?}: lost {lost:?}");
            prop_assert_eq!(s.tree.len(), written.len(), "no duplicates");
            // The chat shows exactly the active path, and the tree is a valid file tree.
            prop_assert_eq!(&s.conversation.messages, &s.tree.active_messages());
            let rebuilt = Tree::from_nodes(s.tree.nodes().to_vec(), s.tree.active_leaf());
            prop_assert_eq!(rebuilt.as_ref(), Ok(&s.tree));
        }
    }
}
