//! Keys typed before the chat switched the terminal to raw mode ("type-ahead").
//!
//! Until raw mode is on, the terminal's line discipline cooks what is typed: Enter arrives as a
//! line feed, which in raw mode reads as Ctrl+J (ggchat's newline key), so a question typed while
//! ggchat starts would never be sent. The bytes still waiting when raw mode goes on are read
//! here, before the event reader starts, and turned into the keys the user pressed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The keys that cooked bytes stand for. Enter, Tab, Backspace and text are kept; escape
/// sequences and other control characters (arrows, Ctrl+letters typed blind) are dropped.
pub fn keys(bytes: &[u8]) -> Vec<KeyEvent> {
    let text = String::from_utf8_lossy(bytes);
    let mut keys = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let code = match c {
            '\r' | '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            '\u{7f}' | '\u{8}' => KeyCode::Backspace,
            '\u{1b}' => {
                skip_escape_sequence(&mut chars);
                continue;
            }
            c if c.is_control() => continue,
            c => KeyCode::Char(c),
        };
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    keys
}

/// After ESC: a CSI (`[` ... final byte), an SS3 (`O` + one), or one character.
fn skip_escape_sequence(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) {
    match chars.next() {
        Some('[') => {
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
        }
        Some('O') => {
            chars.next();
        }
        _ => {}
    }
}

/// Reads, without blocking, what the terminal holds for ggchat. Call it with raw mode on and
/// before anything else reads the terminal.
#[cfg(unix)]
pub fn take_pending() -> Vec<u8> {
    use std::os::fd::AsRawFd;
    // crossterm reads standard input when it is a terminal, else /dev/tty: the same here.
    // SAFETY: isatty only inspects the descriptor.
    let stdin_is_tty = unsafe { libc::isatty(libc::STDIN_FILENO) } == 1;
    let tty = if stdin_is_tty {
        None
    } else {
        match std::fs::File::open("/dev/tty") {
            Ok(file) => Some(file),
            Err(_) => return Vec::new(),
        }
    };
    let fd = tty
        .as_ref()
        .map_or(libc::STDIN_FILENO, |file| file.as_raw_fd());
    let mut pending: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int through the pointer, which points at `pending`.
    if unsafe { libc::ioctl(fd, libc::FIONREAD, &mut pending) } != 0 || pending <= 0 {
        return Vec::new();
    }
    let mut bytes = vec![0u8; pending as usize];
    // SAFETY: `bytes` is valid for `bytes.len()` bytes and `fd` is open (stdin, or `tty`).
    // The bytes are waiting (FIONREAD), so the read returns at once.
    let read = unsafe { libc::read(fd, bytes.as_mut_ptr().cast(), bytes.len()) };
    bytes.truncate(usize::try_from(read).unwrap_or(0));
    bytes
}

#[cfg(not(unix))]
pub fn take_pending() -> Vec<u8> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(bytes: &[u8]) -> Vec<KeyCode> {
        keys(bytes).into_iter().map(|k| k.code).collect()
    }

    #[test]
    fn a_cooked_line_feed_is_enter_and_text_is_kept() {
        assert_eq!(
            codes("hé\n".as_bytes()),
            [KeyCode::Char('h'), KeyCode::Char('é'), KeyCode::Enter]
        );
        assert_eq!(
            codes(b"a\rb"),
            [KeyCode::Char('a'), KeyCode::Enter, KeyCode::Char('b')]
        );
        assert_eq!(
            codes(b"x\x7f\t"),
            [KeyCode::Char('x'), KeyCode::Backspace, KeyCode::Tab]
        );
    }

    #[test]
    fn escape_sequences_and_controls_are_dropped() {
        // Up arrow (CSI), F1 (SS3), Alt+x, Ctrl+C, then text.
        assert_eq!(
            codes(b"\x1b[A\x1bOP\x1bx\x03ok"),
            [KeyCode::Char('o'), KeyCode::Char('k')]
        );
        assert_eq!(codes(b"\x1b[1;5"), []);
        assert_eq!(codes(b""), []);
    }
}
