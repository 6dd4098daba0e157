//! One keymap: every key binding of the full-screen chat, in one table of (context, keys,
//! action, help text) from which both the dispatch and the F1 help are generated, so what the
//! help shows is always what works. The config file can rebind any action per context
//! (`[keys.chat]`, `[keys.sessions]`, ... see [`config`]).
//!
//! A context is where a key is pressed: the same key means different things in different places
//! (Ctrl+S edits the system prompt in the chat and saves it in the system-prompt editor). The chat
//! and its input editor are on screen together, so their keys are looked up together.
//!
//! Enter sends. A newline is Alt+Enter or Ctrl+J: Ctrl+J is a plain line feed that every terminal
//! delivers, while Shift+Enter is indistinguishable from Enter in most terminals (it still works
//! where it is sent, but the help does not offer it).

pub mod config;
pub mod help;
pub mod parse;
mod table;

pub use config::{KeyList, KeysConfig, KeysError};
pub use parse::Key;

use crossterm::event::KeyEvent;

/// Where a key is pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// The conversation screen (keys that are not the input editor's).
    Chat,
    /// The message being typed under the conversation.
    Input,
    /// The system-prompt editor (Ctrl+S).
    SystemPrompt,
    /// The persona picker (Ctrl+P).
    Personas,
    /// The settings pane (F2).
    Settings,
    /// A one-line field being edited: a setting's value, a session's title or search.
    Field,
    /// The model picker (F3).
    Models,
    /// The sessions pane (F4).
    Sessions,
    /// "Delete this session?", "Delete this model?"
    Confirm,
    /// The key help (F1).
    Help,
    /// The monitor pane (F5).
    Monitor,
}

impl Context {
    pub const ALL: [Context; 11] = [
        Context::Chat,
        Context::Input,
        Context::SystemPrompt,
        Context::Personas,
        Context::Settings,
        Context::Field,
        Context::Models,
        Context::Sessions,
        Context::Confirm,
        Context::Help,
        Context::Monitor,
    ];

    /// The name of its table in the config file: `[keys.NAME]`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Chat => "chat",
            Context::Input => "input",
            Context::SystemPrompt => "system_prompt",
            Context::Personas => "personas",
            Context::Settings => "settings",
            Context::Field => "field",
            Context::Models => "models",
            Context::Sessions => "sessions",
            Context::Confirm => "confirm",
            Context::Help => "help",
            Context::Monitor => "monitor",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Contexts whose keys are live at the same time as this one's.
    fn shares_screen_with(self, other: Context) -> bool {
        self == other
            || matches!(
                (self, other),
                (Context::Chat, Context::Input) | (Context::Input, Context::Chat)
            )
    }
}

/// What the user asked for. One vocabulary for every context; the config file names them in
/// snake case (`edit_last`, `copy_code_3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    // The input editor.
    Send,
    Newline,
    HistoryPrev,
    HistoryNext,
    // The chat.
    Cancel,
    Regenerate,
    RegenerateMany,
    EditLast,
    Continue,
    NewConversation,
    CopyReply,
    /// Fold or unfold the replies' "Thinking" blocks.
    ToggleThinking,
    /// Select the message above (or the last one); see `crate::tui::app::branches`.
    SelectPrev,
    /// Select the message below; past the last one the selection ends.
    SelectNext,
    /// Show the previous alternative (sibling) of the selected message, or of the last reply.
    SiblingPrev,
    /// Show the next alternative (sibling).
    SiblingNext,
    /// Delete the selected message and everything after it in its branch (asks first).
    DeleteBranch,
    /// Copy code block N (1..=9) of the last reply.
    CopyCode(u8),
    SystemPrompt,
    Personas,
    Settings,
    Models,
    Sessions,
    Help,
    /// Open the monitor pane.
    Monitor,
    ScrollUp,
    ScrollDown,
    ScrollTop,
    ScrollBottom,
    /// Ctrl+C: stops a streaming reply, or quits when idle.
    Interrupt,
    Quit,
    // Panes and popups.
    /// Select the previous row.
    Up,
    /// Select the next row.
    Down,
    /// Pick the selected row (persona, model).
    Pick,
    /// Open the selected session.
    Open,
    /// Edit the selected setting.
    Edit,
    /// Save (the system prompt).
    Save,
    /// Write the changed settings to the config file.
    SaveDefaults,
    Search,
    Rename,
    Delete,
    /// Start a new session (sessions pane).
    New,
    /// Download a model from a hub (model picker).
    Pull,
    /// Stop the download in progress (model picker).
    CancelPull,
    /// Accept the field being edited.
    Confirm,
    /// Yes, delete.
    Yes,
    /// Close the pane or popup, or abandon the field being edited.
    Close,
}

impl Action {
    /// The name the config file uses.
    pub fn name(self) -> String {
        let name = match self {
            Action::CopyCode(n) => return format!("copy_code_{n}"),
            Action::Send => "send",
            Action::Newline => "newline",
            Action::HistoryPrev => "history_prev",
            Action::HistoryNext => "history_next",
            Action::Cancel => "cancel",
            Action::Regenerate => "regenerate",
            Action::RegenerateMany => "regenerate_many",
            Action::EditLast => "edit_last",
            Action::Continue => "continue",
            Action::NewConversation => "new_conversation",
            Action::CopyReply => "copy_reply",
            Action::ToggleThinking => "toggle_thinking",
            Action::SelectPrev => "select_prev",
            Action::SelectNext => "select_next",
            Action::SiblingPrev => "sibling_prev",
            Action::SiblingNext => "sibling_next",
            Action::DeleteBranch => "delete_branch",
            Action::SystemPrompt => "system_prompt",
            Action::Personas => "personas",
            Action::Settings => "settings",
            Action::Models => "models",
            Action::Sessions => "sessions",
            Action::Help => "help",
            Action::Monitor => "monitor",
            Action::ScrollUp => "scroll_up",
            Action::ScrollDown => "scroll_down",
            Action::ScrollTop => "scroll_top",
            Action::ScrollBottom => "scroll_bottom",
            Action::Interrupt => "interrupt",
            Action::Quit => "quit",
            Action::Up => "up",
            Action::Down => "down",
            Action::Pick => "pick",
            Action::Open => "open",
            Action::Edit => "edit",
            Action::Save => "save",
            Action::SaveDefaults => "save_defaults",
            Action::Search => "search",
            Action::Rename => "rename",
            Action::Delete => "delete",
            Action::New => "new",
            Action::Pull => "pull",
            Action::CancelPull => "cancel_pull",
            Action::Confirm => "confirm",
            Action::Yes => "yes",
            Action::Close => "close",
        };
        name.to_owned()
    }
}

/// The keys of one action in one context.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    context: Context,
    action: Action,
    /// With whether the help shows it (Shift+Enter and Ctrl+Home are not listed).
    keys: Vec<(Key, bool)>,
    /// The message id of its help text; consecutive entries with the same id share a row.
    help: &'static str,
    /// A message id appended to the row's keys ("wheel").
    also: Option<&'static str>,
}

/// The live key bindings: the defaults with the config's overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    entries: Vec<Entry>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            entries: table::defaults(),
        }
    }
}

impl Keymap {
    /// The action `key` asks for in `context`, or `None`: the key is the pane's (or its text
    /// editor's) to use. Among bindings that match, the one asking for the most modifiers wins.
    pub fn action(&self, context: Context, key: &KeyEvent) -> Option<Action> {
        self.lookup(&[context], key, false)
    }

    /// The action of a key on the chat screen: the chat's keys and the input editor's, looked
    /// up together. A chat binding on a key that types or moves in text (`?`, Home, End) acts
    /// only while the input is empty, and a character only without Ctrl or Alt.
    pub fn chat(&self, key: &KeyEvent, input_empty: bool) -> Option<Action> {
        self.lookup(&[Context::Chat, Context::Input], key, input_empty)
    }

    fn lookup(&self, contexts: &[Context], key: &KeyEvent, input_empty: bool) -> Option<Action> {
        use crossterm::event::{KeyCode, KeyModifiers};
        let ctrl_or_alt = key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let mut best: Option<(i32, Action)> = None;
        for entry in self
            .entries
            .iter()
            .filter(|e| contexts.contains(&e.context))
        {
            for &(bound, _) in &entry.keys {
                if !bound.matches(key.code, key.modifiers) {
                    continue;
                }
                if entry.context == Context::Chat && bound.is_text_key() {
                    let is_char = matches!(bound, Key::Press(KeyCode::Char(_), _));
                    if !input_empty || (is_char && ctrl_or_alt) {
                        continue;
                    }
                }
                let score = bound.specificity();
                if best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, entry.action));
                }
            }
        }
        best.map(|(_, action)| action)
    }

    /// The keys bound to `action` in `context`, as the help writes them (`Ctrl+S`), hidden
    /// aliases left out.
    pub fn keys_of(&self, context: Context, action: Action) -> Vec<Key> {
        self.entries
            .iter()
            .filter(|e| e.context == context && e.action == action)
            .flat_map(|e| e.keys.iter().filter(|(_, shown)| *shown).map(|(k, _)| *k))
            .collect()
    }

    /// Every (context, action) with its default keys in the config file's syntax, for the
    /// commented default config and its test.
    pub fn listing(&self) -> Vec<(Context, String, Vec<String>)> {
        self.entries
            .iter()
            .map(|e| {
                (
                    e.context,
                    e.action.name(),
                    e.keys.iter().map(|(k, _)| k.config_text()).collect(),
                )
            })
            .collect()
    }

    /// The actions a context knows, in table order.
    pub fn actions(&self, context: Context) -> Vec<Action> {
        self.entries
            .iter()
            .filter(|e| e.context == context)
            .map(|e| e.action)
            .collect()
    }
}

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod tests;
