//! Debug builds only: hooks that let the end-to-end tests cause what a user cannot cause on
//! demand (a panic, a native abort) and hold start-up at a known point (keys typed before the
//! chat takes the terminal, a message sent while the model loads), so those tests do not depend
//! on timing. Each hook is off unless its environment variable is set; release builds compile
//! none of them (the functions below are empty there).
//!
//! - `GGCHAT_DEBUG_PANIC_KEY=c`: pressing `c` panics.
//! - `GGCHAT_DEBUG_ABORT_KEY=c`: pressing `c` calls `abort()`, like a failed assertion inside
//!   llama.cpp.
//! - `GGCHAT_DEBUG_START_GATE=FILE`: the chat waits for FILE to exist before taking the terminal.
//! - `GGCHAT_DEBUG_ENGINE_GATE=FILE`: the chat leaves engine events (model loaded, tokens) unread
//!   until FILE exists, as if the model were still loading.

use crossterm::event::KeyEvent;

#[cfg(debug_assertions)]
fn key_from_env(name: &str) -> Option<char> {
    std::env::var(name).ok().and_then(|v| v.chars().next())
}

/// Panics or aborts when the key named by `GGCHAT_DEBUG_PANIC_KEY` / `GGCHAT_DEBUG_ABORT_KEY` is
/// pressed.
#[cfg(debug_assertions)]
pub fn crash_on_key(key: &KeyEvent) {
    use std::sync::OnceLock;
    static TRIGGERS: OnceLock<(Option<char>, Option<char>)> = OnceLock::new();
    let (panic_key, abort_key) = TRIGGERS.get_or_init(|| {
        (
            key_from_env("GGCHAT_DEBUG_PANIC_KEY"),
            key_from_env("GGCHAT_DEBUG_ABORT_KEY"),
        )
    });
    let crossterm::event::KeyCode::Char(pressed) = key.code else {
        return;
    };
    assert!(
        *panic_key != Some(pressed),
        "injected panic: key '{pressed}' (GGCHAT_DEBUG_PANIC_KEY)"
    );
    if *abort_key == Some(pressed) {
        // SAFETY: abort has no preconditions; ending the process is the point.
        unsafe { libc::abort() };
    }
}

#[cfg(not(debug_assertions))]
pub fn crash_on_key(_key: &KeyEvent) {}

/// The gate named by the environment variable `var` is open: the variable is unset, or the file
/// it names exists.
#[cfg(debug_assertions)]
pub fn gate_open(var: &str) -> bool {
    std::env::var_os(var).is_none_or(|file| std::path::Path::new(&file).exists())
}

#[cfg(not(debug_assertions))]
pub fn gate_open(_var: &str) -> bool {
    true
}

/// Waits until the gate named by `var` is open.
pub fn wait_for_gate(var: &str) {
    while !gate_open(var) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
