//! Entering and leaving the full-screen mode, and never leaving a garbled terminal behind.
//!
//! The terminal is restored on a normal exit (the guard's `Drop`), on a panic in any thread (the
//! panic hook restores it, reports, and ends the whole process so no half-alive UI remains), on
//! SIGTERM / SIGHUP (the event loop turns them into a normal quit), and when native code crashes:
//! an abort or a segfault inside llama.cpp runs no Rust code, so a signal handler
//! (`fatal_signal`) puts the terminal back itself before the process dies of that signal.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

mod fatal_signal;

/// The terminal is in full-screen mode; whoever sets it back to `false` restores the terminal.
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back as it was; safe to call more than once and from any thread.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(
            stdout(),
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
    }
}

/// Restores the terminal before a panic message is printed, then ends the process.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let was_active = ACTIVE.load(Ordering::SeqCst);
        restore();
        previous(info);
        if was_active {
            eprintln!(
                "ggchat stopped on an internal error (a bug; please report it with the message \
                 above). The chat is saved up to its last complete reply: `ggchat sessions list`, \
                 then `ggchat --session NAME` reopens it."
            );
            std::process::exit(101);
        }
    }));
}

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Switches to the alternate screen in raw mode with mouse and bracketed paste.
pub fn enter() -> std::io::Result<(Tui, Guard)> {
    // Before raw mode: the handler restores the terminal settings saved here.
    fatal_signal::install();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok((terminal, guard))
}
