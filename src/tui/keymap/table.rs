//! The default bindings, in the order the help lists them. Keys are written as in the config
//! file; a key in parentheses works but the help does not show it.

use super::{Action, Context, Entry, Key};

/// (context, action, keys, help message id, a message appended to the row's keys).
type Row = (
    Context,
    Action,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const ROWS: &[Row] = &[
    // The input editor (on the chat screen, listed first in the help).
    (Context::Input, Action::Send, "enter", "keys-send", None),
    (
        Context::Input,
        Action::Newline,
        "alt+enter, ctrl+j, (shift+enter)",
        "keys-newline",
        None,
    ),
    (
        Context::Input,
        Action::HistoryPrev,
        "up",
        "keys-history",
        None,
    ),
    (
        Context::Input,
        Action::HistoryNext,
        "down",
        "keys-history",
        None,
    ),
    // The chat.
    (Context::Chat, Action::Cancel, "esc", "keys-cancel", None),
    (
        Context::Chat,
        Action::Regenerate,
        "ctrl+r",
        "keys-regenerate",
        None,
    ),
    (
        Context::Chat,
        Action::RegenerateMany,
        "alt+r",
        "keys-regenerate-many",
        None,
    ),
    (
        Context::Chat,
        Action::EditLast,
        "ctrl+e",
        "keys-edit-last",
        None,
    ),
    (
        Context::Chat,
        Action::Continue,
        "ctrl+g",
        "keys-continue",
        None,
    ),
    (
        Context::Chat,
        Action::NewConversation,
        "ctrl+n",
        "keys-new-conversation",
        None,
    ),
    (
        Context::Chat,
        Action::CopyReply,
        "ctrl+y",
        "keys-copy-reply",
        None,
    ),
    (
        Context::Chat,
        Action::ToggleThinking,
        "alt+t",
        "keys-toggle-thinking",
        None,
    ),
    (
        Context::Chat,
        Action::SelectPrev,
        "alt+up",
        "keys-select-message",
        None,
    ),
    (
        Context::Chat,
        Action::SelectNext,
        "alt+down",
        "keys-select-message",
        None,
    ),
    (
        Context::Chat,
        Action::SiblingPrev,
        "alt+left",
        "keys-sibling",
        None,
    ),
    (
        Context::Chat,
        Action::SiblingNext,
        "alt+right",
        "keys-sibling",
        None,
    ),
    (
        Context::Chat,
        Action::DeleteBranch,
        "alt+delete",
        "keys-delete-branch",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(1),
        "alt+1",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(2),
        "alt+2",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(3),
        "alt+3",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(4),
        "alt+4",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(5),
        "alt+5",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(6),
        "alt+6",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(7),
        "alt+7",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(8),
        "alt+8",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::CopyCode(9),
        "alt+9",
        "keys-copy-code",
        None,
    ),
    (
        Context::Chat,
        Action::SystemPrompt,
        "ctrl+s",
        "keys-system-prompt",
        None,
    ),
    (
        Context::Chat,
        Action::Personas,
        "ctrl+p",
        "keys-personas",
        None,
    ),
    (Context::Chat, Action::Settings, "f2", "keys-settings", None),
    (Context::Chat, Action::Models, "f3", "keys-models", None),
    (
        Context::Chat,
        Action::Sessions,
        "f4, ctrl+o",
        "keys-sessions",
        None,
    ),
    (Context::Chat, Action::Monitor, "f5", "keys-monitor", None),
    (
        Context::Chat,
        Action::ScrollUp,
        "pageup",
        "keys-scroll",
        Some("keys-wheel"),
    ),
    (
        Context::Chat,
        Action::ScrollDown,
        "pagedown",
        "keys-scroll",
        Some("keys-wheel"),
    ),
    (
        Context::Chat,
        Action::ScrollTop,
        "home, (ctrl+home)",
        "keys-top-bottom",
        None,
    ),
    (
        Context::Chat,
        Action::ScrollBottom,
        "end, (ctrl+end)",
        "keys-top-bottom",
        None,
    ),
    (Context::Chat, Action::Help, "f1, ?", "keys-help", None),
    (
        Context::Chat,
        Action::Interrupt,
        "ctrl+c",
        "keys-interrupt",
        None,
    ),
    (Context::Chat, Action::Quit, "ctrl+q", "keys-quit", None),
    // The system-prompt editor.
    (
        Context::SystemPrompt,
        Action::Save,
        "ctrl+s",
        "keys-system-prompt-save",
        None,
    ),
    (
        Context::SystemPrompt,
        Action::Newline,
        "alt+enter",
        "keys-newline",
        None,
    ),
    (
        Context::SystemPrompt,
        Action::Close,
        "esc",
        "keys-close-discard",
        None,
    ),
    // The persona picker.
    (Context::Personas, Action::Up, "up, k", "keys-select", None),
    (
        Context::Personas,
        Action::Down,
        "down, j",
        "keys-select",
        None,
    ),
    (
        Context::Personas,
        Action::Pick,
        "enter",
        "keys-persona-pick",
        None,
    ),
    (Context::Personas, Action::Close, "esc", "keys-close", None),
    // The settings pane.
    (Context::Settings, Action::Up, "up", "keys-select", None),
    (Context::Settings, Action::Down, "down", "keys-select", None),
    (
        Context::Settings,
        Action::Edit,
        "enter",
        "keys-settings-edit",
        None,
    ),
    (
        Context::Settings,
        Action::SaveDefaults,
        "ctrl+s",
        "keys-settings-save",
        None,
    ),
    (
        Context::Settings,
        Action::Close,
        "esc, f2",
        "keys-close",
        None,
    ),
    // A one-line field: a setting's value, a session's title or search.
    (
        Context::Field,
        Action::Confirm,
        "enter",
        "keys-field-confirm",
        None,
    ),
    (
        Context::Field,
        Action::Close,
        "esc",
        "keys-field-cancel",
        None,
    ),
    // The model picker.
    (Context::Models, Action::Up, "up", "keys-select", None),
    (Context::Models, Action::Down, "down", "keys-select", None),
    (
        Context::Models,
        Action::Pick,
        "enter",
        "keys-models-pick",
        None,
    ),
    (Context::Models, Action::Pull, "p", "keys-models-pull", None),
    (
        Context::Models,
        Action::Delete,
        "d, delete",
        "keys-models-delete",
        None,
    ),
    (
        Context::Models,
        Action::CancelPull,
        "c",
        "keys-models-cancel-pull",
        None,
    ),
    (
        Context::Models,
        Action::Close,
        "esc, f3",
        "keys-close",
        None,
    ),
    // The sessions pane.
    (Context::Sessions, Action::Up, "up", "keys-select", None),
    (Context::Sessions, Action::Down, "down", "keys-select", None),
    (
        Context::Sessions,
        Action::Open,
        "enter",
        "keys-sessions-open",
        None,
    ),
    (
        Context::Sessions,
        Action::Search,
        "/",
        "keys-sessions-search",
        None,
    ),
    (
        Context::Sessions,
        Action::Rename,
        "r",
        "keys-sessions-rename",
        None,
    ),
    (
        Context::Sessions,
        Action::Delete,
        "d, delete",
        "keys-sessions-delete",
        None,
    ),
    (
        Context::Sessions,
        Action::New,
        "n",
        "keys-sessions-new",
        None,
    ),
    (
        Context::Sessions,
        Action::Close,
        "esc, f4",
        "keys-close",
        None,
    ),
    // "Delete this session?", "Delete this model?": any other key says no.
    (
        Context::Confirm,
        Action::Yes,
        "y, Y",
        "keys-confirm-yes",
        None,
    ),
    // The help: any key closes it.
    (Context::Help, Action::Close, "any", "keys-close", None),
    (
        Context::Monitor,
        Action::Close,
        "esc, f5",
        "keys-close",
        None,
    ),
];

/// The default table, parsed. Its keys are constants checked by the tests, so a key that does
/// not parse is a programming error; it is left out rather than taking the UI down.
pub(super) fn defaults() -> Vec<Entry> {
    ROWS.iter()
        .map(|&(context, action, keys, help, also)| Entry {
            context,
            action,
            keys: keys
                .split(", ")
                .filter_map(|written| {
                    let (text, shown) = match written.strip_prefix('(') {
                        Some(hidden) => (hidden.trim_end_matches(')'), false),
                        None => (written, true),
                    };
                    Key::parse(text).ok().map(|k| (k, shown))
                })
                .collect(),
            help,
            also,
        })
        .collect()
}

/// The default keys as written in the table, for the tests.
#[cfg(test)]
pub(super) fn written() -> impl Iterator<Item = &'static str> {
    ROWS.iter()
        .flat_map(|(_, _, keys, _, _)| keys.split(", "))
        .map(|k| k.trim_start_matches('(').trim_end_matches(')'))
}
