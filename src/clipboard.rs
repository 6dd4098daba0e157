//! Copying text out of the terminal.
//!
//! OSC 52 asks the terminal itself to set the clipboard, which also works over SSH and inside
//! tmux (with `set-clipboard on`). Where a system clipboard tool exists (wl-copy, xclip, xsel,
//! pbcopy) it is used as well, so copying works in terminals that ignore OSC 52.
//!
//! What is copied is model output or session text, both untrusted: it is sanitized first (tabs
//! kept), so no escape sequence reaches the clipboard and from there a terminal it is pasted into.

use std::io::Write;
use std::process::{Command, Stdio};

/// The OSC 52 sequence that puts `text` on the clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn system_tools() -> &'static [(&'static str, &'static [&'static str])] {
    &[
        ("wl-copy", &[]),
        ("xclip", &["-selection", "clipboard"]),
        ("xsel", &["--clipboard", "--input"]),
        ("pbcopy", &[]),
    ]
}

/// Copies `text`, sanitized: OSC 52 to `terminal`, plus the first system clipboard tool that
/// works. Returns a short description of where the text went, in the interface language.
pub fn copy(text: &str, terminal: &mut impl Write) -> String {
    let text = &*crate::text::sanitize::sanitize_keep_tabs(text);
    let osc_ok = terminal
        .write_all(osc52(text).as_bytes())
        .and_then(|()| terminal.flush())
        .is_ok();
    let display = std::env::var_os("WAYLAND_DISPLAY").is_some()
        || std::env::var_os("DISPLAY").is_some()
        || cfg!(target_os = "macos");
    if display {
        for (tool, args) in system_tools() {
            let child = Command::new(tool)
                .args(*args)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            if let Ok(mut child) = child {
                let written = child
                    .stdin
                    .take()
                    .is_some_and(|mut stdin| stdin.write_all(text.as_bytes()).is_ok());
                if written && child.wait().is_ok_and(|s| s.success()) {
                    return crate::tr!("clipboard-copied-with", tool = *tool);
                }
            }
        }
    }
    if osc_ok {
        crate::tr!("clipboard-copied-osc52")
    } else {
        crate::tr!("clipboard-refused")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("你好".as_bytes()), "5L2g5aW9");
    }

    fn decode_base64(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let digits: Vec<u32> = text
            .bytes()
            .filter(|&b| b != b'=')
            .map(|b| ALPHABET.iter().position(|&a| a == b).unwrap() as u32)
            .collect();
        let mut out = Vec::new();
        for chunk in digits.chunks(4) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0, |n, (i, d)| n | d << (18 - 6 * i));
            out.extend(&n.to_be_bytes()[1..chunk.len()]);
        }
        out
    }

    /// What `copy` puts on the clipboard through OSC 52.
    pub(crate) fn copied_payload(terminal_output: &[u8]) -> String {
        let text = std::str::from_utf8(terminal_output).unwrap();
        let payload = text
            .strip_prefix("\x1b]52;c;")
            .and_then(|t| t.strip_suffix('\x07'))
            .unwrap_or_else(|| panic!("not one OSC 52 sequence: {text:?}"));
        String::from_utf8(decode_base64(payload)).unwrap()
    }

    #[test]
    fn copied_text_has_no_escape_sequences() {
        let hostile = "fn main() {\n\tx();\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u{9b}31m\u{202e}}\r\n";
        let mut terminal = Vec::new();
        copy(hostile, &mut terminal);
        assert_eq!(copied_payload(&terminal), "fn main() {\n\tx();}\n");
        let mut terminal = Vec::new();
        copy("plain 你好\tok", &mut terminal);
        assert_eq!(copied_payload(&terminal), "plain 你好\tok");
    }

    /// A terminal that refuses every write.
    struct Refusing;

    impl Write for Refusing {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("refused"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn outcomes_are_worded_in_the_interface_language() {
        // Which outcome depends on the machine (a display and xclip, or none); each is worded.
        crate::i18n::check::assert_translated(|| copy("x", &mut Refusing), &[]);
        crate::i18n::check::assert_translated(|| copy("x", &mut Vec::new()), &[]);
    }

    #[test]
    fn osc52_wraps_the_payload() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
