//! The chat screen keeps every branch: its saves record the conversation in the session's tree
//! (format 4) without duplicating what was saved before, and what the chat replaces (a
//! regenerated reply, an edited turn) stays in the file as a sibling.

use ggchat::chat::{Conversation, Message};
use ggchat::engine::EngineLink;
use ggchat::params::SamplingParams;
use ggchat::store::Store;
use ggchat::tui::app::App;

fn app(store: &Store, session: Option<ggchat::store::Session>) -> App {
    let (tx, _rx) = std::sync::mpsc::channel();
    // The receiver is dropped: these tests never reach the engine.
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new("Be brief."),
        SamplingParams::default(),
    );
    app.attach_store(store.clone(), session);
    app
}

fn texts(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(|m| m.content.as_str()).collect()
}

#[test]
fn repeated_saves_replaced_replies_and_edits_keep_every_message_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut chat = app(&store, None);
    chat.conversation_mut().messages.push(Message::user("q1"));
    chat.save_session();
    chat.conversation_mut()
        .messages
        .push(Message::assistant("a1"));
    chat.save_session();
    chat.save_session();
    // Regenerate as the chat does it: the reply is replaced in the conversation.
    chat.conversation_mut().messages.pop();
    chat.conversation_mut()
        .messages
        .push(Message::assistant("a1 again"));
    chat.save_session();
    let (list, _) = store.list();
    let id = list[0].id.clone();
    let saved = store.load(&id).unwrap();
    assert_eq!(texts(&saved.conversation.messages), ["q1", "a1 again"]);
    assert_eq!(saved.tree.len(), 3, "{:?}", saved.tree.nodes());
    let again = saved.conversation.messages[1].id.unwrap();
    assert_eq!(saved.tree.sibling_position(again), Some((2, 2)));

    // Reopened in another chat: the restored messages are not recorded twice, and an edit of
    // the first turn (cut back, send another text) becomes a sibling of it.
    let mut reopened = app(&store, Some(saved));
    reopened.save_session();
    reopened.conversation_mut().messages.clear();
    reopened
        .conversation_mut()
        .messages
        .push(Message::user("q1 edited"));
    reopened.save_session();
    let saved = store.load(&id).unwrap();
    assert_eq!(texts(&saved.conversation.messages), ["q1 edited"]);
    assert_eq!(saved.tree.len(), 4, "{:?}", saved.tree.nodes());
    assert_eq!(saved.tree.branch_count(), 3);
}

/// In the chat, a sessions-pane search that matches a message on another branch opens the
/// session with that branch shown.
#[test]
fn the_sessions_pane_opens_a_search_hit_on_its_branch() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut session = ggchat::store::Session::new("", Default::default(), Default::default());
    session.conversation.messages = vec![Message::user("q"), Message::assistant("old needle")];
    session.sync_tree();
    session.conversation.messages[1] = Message::assistant("new reply");
    store.save(&mut session).unwrap();
    let mut chat = app(&store, None);
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    chat.handle_key(key(KeyCode::F(4)));
    chat.handle_key(key(KeyCode::Char('/')));
    for c in "needle".chars() {
        chat.handle_key(key(KeyCode::Char(c)));
    }
    chat.handle_key(key(KeyCode::Enter));
    chat.handle_key(key(KeyCode::Enter));
    assert_eq!(texts(&chat.conversation().messages), ["q", "old needle"]);
}
