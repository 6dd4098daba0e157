//! Key bindings: one `Action` vocabulary, one table that maps keys to it and also feeds the help
//! overlay and the README, so what is shown is always what works.
//!
//! Enter sends. A newline is Alt+Enter or Ctrl+J: Ctrl+J is a plain line feed that every terminal
//! delivers, while Shift+Enter is indistinguishable from Enter in most terminals.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Send,
    Newline,
    Cancel,
    Regenerate,
    EditLast,
    Continue,
    NewConversation,
    CopyReply,
    CopyCode(u8),
    SystemPrompt,
    Personas,
    Settings,
    Models,
    Sessions,
    Help,
    ScrollUp,
    ScrollDown,
    ScrollTop,
    ScrollBottom,
    /// Ctrl+C: stops a streaming reply, or quits when idle.
    Interrupt,
    Quit,
}

/// One row of the help overlay.
pub struct Binding {
    pub keys: &'static str,
    pub what: &'static str,
}

/// Every binding, in the order the help overlay shows them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "Enter",
        what: "send the message",
    },
    Binding {
        keys: "Alt+Enter / Ctrl+J",
        what: "new line in the message",
    },
    Binding {
        keys: "Up / Down",
        what: "input history (at the first / last line)",
    },
    Binding {
        keys: "Esc",
        what: "stop the reply; close a popup",
    },
    Binding {
        keys: "Ctrl+R",
        what: "regenerate the last reply",
    },
    Binding {
        keys: "Ctrl+E",
        what: "edit the last message and resend",
    },
    Binding {
        keys: "Ctrl+G",
        what: "continue a reply that was cut off",
    },
    Binding {
        keys: "Ctrl+N",
        what: "new conversation",
    },
    Binding {
        keys: "Ctrl+Y",
        what: "copy the last reply",
    },
    Binding {
        keys: "Alt+1..9",
        what: "copy code block N of the last reply",
    },
    Binding {
        keys: "Ctrl+S",
        what: "edit the system prompt",
    },
    Binding {
        keys: "Ctrl+P",
        what: "pick a persona",
    },
    Binding {
        keys: "F2",
        what: "settings: sampling and model parameters",
    },
    Binding {
        keys: "F3",
        what: "models: switch model, the conversation stays",
    },
    Binding {
        keys: "F4 / Ctrl+O",
        what: "sessions: open, rename, delete, search saved chats",
    },
    Binding {
        keys: "PgUp / PgDn, wheel",
        what: "scroll the conversation",
    },
    Binding {
        keys: "Home / End",
        what: "top / bottom (input empty; else Ctrl+Home/End)",
    },
    Binding {
        keys: "F1 / ?",
        what: "this help (? when the input is empty)",
    },
    Binding {
        keys: "Ctrl+C",
        what: "stop the reply, or quit when idle",
    },
    Binding {
        keys: "Ctrl+Q",
        what: "quit",
    },
];

/// The action for a key in the chat screen; `None` means "give it to the input editor".
pub fn chat_action(key: KeyEvent, input_empty: bool) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    Some(match key.code {
        KeyCode::Enter if alt || shift => Action::Newline,
        KeyCode::Enter => Action::Send,
        KeyCode::Char('j') if ctrl => Action::Newline,
        KeyCode::Esc => Action::Cancel,
        KeyCode::Char('r') if ctrl => Action::Regenerate,
        KeyCode::Char('e') if ctrl => Action::EditLast,
        KeyCode::Char('g') if ctrl => Action::Continue,
        KeyCode::Char('n') if ctrl => Action::NewConversation,
        KeyCode::Char('y') if ctrl => Action::CopyReply,
        KeyCode::Char(c @ '1'..='9') if alt => Action::CopyCode(c as u8 - b'0'),
        KeyCode::Char('s') if ctrl => Action::SystemPrompt,
        KeyCode::Char('p') if ctrl => Action::Personas,
        KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::Settings,
        KeyCode::F(3) => Action::Models,
        KeyCode::F(4) => Action::Sessions,
        KeyCode::Char('o') if ctrl => Action::Sessions,
        KeyCode::Char('?') if input_empty && !ctrl && !alt => Action::Help,
        KeyCode::PageUp => Action::ScrollUp,
        KeyCode::PageDown => Action::ScrollDown,
        KeyCode::Home if ctrl || input_empty => Action::ScrollTop,
        KeyCode::End if ctrl || input_empty => Action::ScrollBottom,
        KeyCode::Char('c') if ctrl => Action::Interrupt,
        KeyCode::Char('q') if ctrl => Action::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn enter_sends_and_alt_enter_or_ctrl_j_break_lines() {
        assert_eq!(
            chat_action(key(KeyCode::Enter, KeyModifiers::NONE), true),
            Some(Action::Send)
        );
        assert_eq!(
            chat_action(key(KeyCode::Enter, KeyModifiers::ALT), true),
            Some(Action::Newline)
        );
        assert_eq!(
            chat_action(key(KeyCode::Char('j'), KeyModifiers::CONTROL), true),
            Some(Action::Newline)
        );
    }

    #[test]
    fn question_mark_is_text_once_typing() {
        assert_eq!(
            chat_action(key(KeyCode::Char('?'), KeyModifiers::NONE), true),
            Some(Action::Help)
        );
        assert_eq!(
            chat_action(key(KeyCode::Char('?'), KeyModifiers::NONE), false),
            None
        );
        assert_eq!(
            chat_action(key(KeyCode::Home, KeyModifiers::NONE), false),
            None
        );
    }

    #[test]
    fn alt_digits_copy_code_blocks() {
        assert_eq!(
            chat_action(key(KeyCode::Char('3'), KeyModifiers::ALT), true),
            Some(Action::CopyCode(3))
        );
    }
}
