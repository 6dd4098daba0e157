//! The terminal restored when native code crashes.
//!
//! A failed assertion inside llama.cpp calls `abort()`, and a bad memory access raises SIGSEGV or
//! SIGBUS: no Rust code (no `Drop`, no panic hook) runs then, and the user would be left on the
//! alternate screen in raw mode with the cursor hidden. The handler installed here does only
//! async-signal-safe work: it writes pre-built bytes (leave the alternate screen, show the cursor,
//! stop mouse reports and bracketed paste) with `write(2)`, puts back the terminal settings saved
//! before raw mode with `tcsetattr`, says what happened on stderr, then hands the signal to the
//! handler that was there before (the default one ends the process and dumps core, so the exit
//! status still says which signal it was: 134 for SIGABRT in a shell).

use super::ACTIVE;
use std::os::fd::IntoRawFd;
use std::sync::OnceLock;
use std::sync::atomic::Ordering;

const SIGNALS: [libc::c_int; 5] = [
    libc::SIGABRT,
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGILL,
    libc::SIGFPE,
];

/// What `restore` writes, as bytes: crossterm's DisableBracketedPaste, DisableMouseCapture,
/// LeaveAlternateScreen and cursor Show.
const RESTORE: &[u8] =
    b"\x1b[?2004l\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?1049l\x1b[?25h";

/// The terminal as it was before raw mode, and the descriptor to restore it through.
struct Saved {
    tty: libc::c_int,
    termios: Option<libc::termios>,
    previous: [(libc::c_int, libc::sigaction); SIGNALS.len()],
}

static SAVED: OnceLock<Saved> = OnceLock::new();

fn message(signal: libc::c_int) -> &'static [u8] {
    match signal {
        libc::SIGABRT => b"ggchat stopped: native code aborted (SIGABRT).",
        libc::SIGSEGV => b"ggchat stopped: invalid memory access in native code (SIGSEGV).",
        libc::SIGBUS => b"ggchat stopped: bus error in native code (SIGBUS).",
        libc::SIGILL => b"ggchat stopped: illegal instruction in native code (SIGILL).",
        libc::SIGFPE => b"ggchat stopped: arithmetic error in native code (SIGFPE).",
        _ => b"ggchat stopped on a fatal signal.",
    }
}

const ADVICE: &[u8] = b" This is a crash in llama.cpp or in the model file (please report it). \
The chat is saved up to its last complete reply: `ggchat sessions list`, then \
`ggchat --session NAME` reopens it.\r\n";

fn write_all(fd: libc::c_int, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        // SAFETY: write(2) on a valid buffer; async-signal-safe.
        let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if n <= 0 {
            return;
        }
        bytes = &bytes[n as usize..];
    }
}

extern "C" fn on_fatal_signal(
    signal: libc::c_int,
    info: *mut libc::siginfo_t,
    _context: *mut libc::c_void,
) {
    let Some(saved) = SAVED.get() else {
        return;
    };
    if ACTIVE.swap(false, Ordering::SeqCst) {
        write_all(saved.tty, RESTORE);
        if let Some(termios) = &saved.termios {
            // SAFETY: tcsetattr is async-signal-safe; the termios came from tcgetattr.
            unsafe { libc::tcsetattr(saved.tty, libc::TCSANOW, termios) };
        }
        write_all(libc::STDERR_FILENO, b"\r\n");
        write_all(libc::STDERR_FILENO, message(signal));
        write_all(libc::STDERR_FILENO, ADVICE);
    }
    // Hand the signal on to the previous action (by default: end the process). A fault raised by
    // the kernel repeats when the faulting instruction runs again, with its real details (Rust's
    // own handler tells a stack overflow that way); a signal sent by a process (`abort()` raises
    // SIGABRT) is sent again, and stays blocked until this handler returns.
    if let Some((_, previous)) = saved.previous.iter().find(|(s, _)| *s == signal) {
        // SAFETY: sigaction and raise are async-signal-safe; `previous` came from sigaction; the
        // kernel passes a valid siginfo to an SA_SIGINFO handler.
        unsafe {
            libc::sigaction(signal, previous, std::ptr::null_mut());
            if info.is_null() || (*info).si_code <= 0 {
                libc::raise(signal);
            }
        }
    }
}

/// Saves the terminal settings and installs the handler; once per process, before raw mode.
pub(super) fn install() {
    SAVED.get_or_init(|| {
        let tty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .map_or(libc::STDOUT_FILENO, IntoRawFd::into_raw_fd);
        // SAFETY: an all-zero termios is valid plain data; tcgetattr fills it or fails.
        let termios = unsafe {
            let mut termios = std::mem::zeroed::<libc::termios>();
            (libc::tcgetattr(tty, &mut termios) == 0).then_some(termios)
        };
        let previous = SIGNALS.map(|signal| {
            // SAFETY: all-zero sigaction structs are valid; sigaction reads `action` and writes
            // `old`; the handler only makes async-signal-safe calls.
            unsafe {
                let mut action = std::mem::zeroed::<libc::sigaction>();
                action.sa_sigaction = on_fatal_signal
                    as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void)
                    as usize;
                // The alternate signal stack (set up by Rust's runtime) lets the handler run after
                // a stack overflow too.
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
                libc::sigemptyset(&mut action.sa_mask);
                let mut old = std::mem::zeroed::<libc::sigaction>();
                libc::sigaction(signal, &action, &mut old);
                (signal, old)
            }
        });
        Saved {
            tty,
            termios,
            previous,
        }
    });
}
