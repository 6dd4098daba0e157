//! The conversation tree in the chat: a selection over the messages (Alt+Up / Alt+Down), editing
//! an earlier user message into a new branch (Enter on it), switching between alternatives
//! (Alt+Left / Alt+Right, shown as `‹ 2/3 ›`) and deleting a branch (asks first).
//!
//! The chat keeps the active path as a plain list (`conversation.messages`), the session keeps
//! the tree ([`crate::store::tree::Tree`]). Every operation here first records the list into the
//! tree (so each message has its id), changes the tree, then shows the tree's active path again:
//! the list never decides what is dropped, the tree never loses a message but by an explicit,
//! confirmed delete. The engine sees only the new path; its KV cache keeps the common prefix and
//! evaluates what differs.

use super::App;
use crate::chat::{Message, Role};
use crate::store::NodeId;
use crate::tui::keymap::{Action, Context};
use crossterm::event::KeyEvent;
use ratatui_textarea::CursorMove;

/// The selection after one step `up` or down among `len` messages: up from nothing selects the
/// last message, down from the last one ends the selection; the first stays first.
pub fn step_selection(selected: Option<usize>, len: usize, up: bool) -> Option<usize> {
    if len == 0 {
        return None;
    }
    match (selected.filter(|&i| i < len), up) {
        (None, true) => Some(len - 1),
        (None, false) => None,
        (Some(i), true) => Some(i.saturating_sub(1)),
        (Some(i), false) => (i + 1 < len).then_some(i + 1),
    }
}

impl App {
    /// Records the shown path in the session's tree, so every message has its id.
    fn record_path(&mut self) {
        let session = &mut self.chat.session;
        session.conversation.messages = self.chat.conversation.messages.clone();
        session.sync_tree();
        let recorded = &session.conversation.messages;
        for (mine, recorded) in (self.chat.conversation.messages.iter_mut()).zip(recorded) {
            mine.id = recorded.id;
        }
    }

    /// Shows the tree's active path (after it changed), with its last reply's figures.
    fn show_active_path(&mut self) {
        self.chat.session.follow_tree();
        self.chat.conversation.messages = self.chat.session.conversation.messages.clone();
        self.chat.last_stats = (self.chat.conversation.messages.last())
            .filter(|m| m.role == Role::Assistant)
            .and_then(|m| m.stats.clone());
        let len = self.chat.conversation.messages.len();
        self.chat.selected = self.chat.selected.filter(|&i| i < len);
    }

    /// The selected message, if it is still on screen.
    pub fn selected_message(&self) -> Option<usize> {
        (self.chat.selected).filter(|&i| i < self.chat.conversation.messages.len())
    }

    /// The earlier message being edited into a new branch (Enter on a selected message).
    pub fn editing_message(&self) -> Option<NodeId> {
        self.chat.editing
    }

    /// Forgets the selection and any edit in progress (another conversation is shown).
    pub(super) fn reset_branch_state(&mut self) {
        self.chat.selected = None;
        self.chat.editing = None;
        self.chat.confirm_delete = None;
    }

    /// Moves the selection one message up or down; the view scrolls to show it.
    pub(super) fn step_selection(&mut self, up: bool) {
        let len = self.chat.conversation.messages.len();
        if len == 0 {
            self.notify(crate::tr!("tui-notice-no-message-to-select"), true);
            return;
        }
        self.chat.selected = step_selection(self.chat.selected, len, up);
        match self.chat.selected {
            Some(index) => self.view.reveal(index),
            None => self.view.follow_bottom(),
        }
    }

    /// Esc: clears the selection, or abandons an edit; `false` when there was neither.
    pub(super) fn clear_selection(&mut self) -> bool {
        if self.chat.selected.take().is_some() {
            return true;
        }
        if self.chat.editing.take().is_some() {
            self.set_input("");
            self.notify(crate::tr!("tui-notice-edit-abandoned"), false);
            return true;
        }
        false
    }

    /// Enter on a selected message: a user message goes into the editor, and sending it makes a
    /// new branch from there (`send_edited`); a reply only gets a hint.
    pub(super) fn open_selected(&mut self, index: usize) {
        if self.is_generating() {
            self.notify(crate::tr!("tui-notice-still-streaming"), true);
            return;
        }
        if self.chat.conversation.messages[index].role != Role::User {
            self.notify(crate::tr!("tui-notice-select-a-user-message"), true);
            return;
        }
        self.record_path();
        let message = &self.chat.conversation.messages[index];
        let (Some(id), text) = (message.id, message.content.clone()) else {
            return;
        };
        // A draft in the editor is not lost: it goes to the input history (Up brings it back).
        let draft = self.input_text();
        if !draft.trim().is_empty() {
            self.input.history.push(draft);
        }
        self.set_input(&text);
        self.input.editor.move_cursor(CursorMove::Bottom);
        self.input.editor.move_cursor(CursorMove::End);
        self.chat.selected = None;
        self.chat.editing = Some(id);
        self.notify(crate::tr!("tui-notice-editing-earlier"), false);
    }

    /// Sends `text` as a sibling of the message being edited, shows that new path and asks for
    /// its reply. `false` when no edit is in progress (an ordinary send).
    pub(super) fn send_edited(&mut self, text: &str) -> bool {
        let Some(id) = self.chat.editing.take() else {
            return false;
        };
        self.record_path();
        if self.chat.session.tree.get(id).is_none() {
            return false;
        }
        self.chat.session.tree.add_sibling(id, Message::user(text));
        self.show_active_path();
        true
    }

    /// The message Alt+Left / Alt+Right and Alt+Delete act on: the selected one, else the last
    /// reply.
    fn target_message(&self) -> Option<usize> {
        let messages = &self.chat.conversation.messages;
        (self.selected_message())
            .or_else(|| messages.iter().rposition(|m| m.role == Role::Assistant))
    }

    /// Shows the previous (`delta` -1) or next alternative of the target message, and the rest
    /// of the conversation along that branch.
    pub(super) fn switch_sibling(&mut self, delta: isize) {
        if self.is_generating() {
            self.notify(crate::tr!("tui-notice-still-streaming"), true);
            return;
        }
        let Some(index) = self.target_message() else {
            self.notify(crate::tr!("tui-notice-no-alternatives"), true);
            return;
        };
        self.record_path();
        let tree = &mut self.chat.session.tree;
        let Some(id) = self.chat.conversation.messages[index].id else {
            return;
        };
        match tree.sibling_position(id) {
            Some((_, count)) if count > 1 => {}
            _ => {
                self.notify(crate::tr!("tui-notice-no-alternatives"), true);
                return;
            }
        }
        let chosen = tree.switch_sibling(id, delta);
        let Some((position, count)) = chosen.and_then(|c| tree.sibling_position(c)) else {
            return;
        };
        if chosen != Some(id) {
            self.show_active_path();
            self.save_session();
        }
        if self.chat.selected.is_some() {
            self.view.reveal(index);
        }
        self.notify(
            crate::tr!(
                "tui-notice-alternative",
                position = position.to_string(),
                count = count.to_string()
            ),
            false,
        );
    }

    /// Alt+Delete: asks whether to delete the selected message and what follows it in its
    /// branch, saying how many messages go. The only path's first message is refused: that is
    /// the whole conversation (the sessions pane deletes a session).
    pub(super) fn ask_delete_branch(&mut self) {
        if self.is_generating() {
            self.notify(crate::tr!("tui-notice-still-streaming"), true);
            return;
        }
        let Some(index) = self.selected_message() else {
            self.notify(crate::tr!("tui-notice-select-to-delete"), true);
            return;
        };
        self.record_path();
        let tree = &self.chat.session.tree;
        let Some(id) = self.chat.conversation.messages[index].id else {
            return;
        };
        let mut copy = tree.clone();
        let count = copy.delete_branch(id);
        if copy.is_empty() {
            self.notify(crate::tr!("tui-notice-delete-whole-chat"), true);
            return;
        }
        self.chat.confirm_delete = Some(id);
        let yes = self.env.keymap.first_label(Context::Confirm, Action::Yes);
        self.notify(
            crate::tr!("tui-notice-confirm-delete-branch", count = count, yes = yes),
            true,
        );
    }

    /// The key after "delete this branch?": yes deletes, any other key keeps it. `false` when
    /// no question was pending.
    pub(super) fn answer_delete(&mut self, key: &KeyEvent) -> bool {
        let Some(id) = self.chat.confirm_delete.take() else {
            return false;
        };
        if self.env.keymap.action(Context::Confirm, key) != Some(Action::Yes) {
            self.notify(crate::tr!("tui-notice-branch-kept"), false);
            return true;
        }
        self.record_path();
        let gone = self.chat.session.tree.delete_branch(id);
        self.show_active_path();
        self.view.follow_bottom();
        self.save_session();
        self.notify(crate::tr!("tui-notice-branch-deleted", count = gone), false);
        true
    }

    /// `(position, count)` of each shown message among its siblings, `None` without siblings.
    pub(super) fn sibling_marks(&self) -> Vec<Option<(usize, usize)>> {
        let tree = &self.chat.session.tree;
        (self.chat.conversation.messages.iter())
            .map(|m| {
                m.id.and_then(|id| tree.sibling_position(id))
                    .filter(|&(_, count)| count > 1)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::step_selection;

    #[test]
    fn the_selection_walks_up_from_the_end_and_ends_below_the_last_message() {
        assert_eq!(step_selection(None, 0, true), None);
        assert_eq!(step_selection(None, 3, true), Some(2));
        assert_eq!(step_selection(Some(2), 3, true), Some(1));
        assert_eq!(step_selection(Some(0), 3, true), Some(0));
        assert_eq!(step_selection(Some(0), 3, false), Some(1));
        assert_eq!(step_selection(Some(2), 3, false), None);
        assert_eq!(step_selection(None, 3, false), None);
        // A selection left over from a longer conversation starts again from the end.
        assert_eq!(step_selection(Some(7), 3, true), Some(2));
    }
}
