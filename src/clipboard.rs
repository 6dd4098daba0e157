//! Copying text out of the terminal.
//!
//! OSC 52 asks the terminal itself to set the clipboard, which also works over SSH and inside
//! tmux (with `set-clipboard on`). Where a system clipboard tool exists (wl-copy, xclip, xsel,
//! pbcopy) it is used as well, so copying works in terminals that ignore OSC 52.

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

/// Copies `text`: OSC 52 to `terminal`, plus the first system clipboard tool that works.
/// Returns a short description of where the text went.
pub fn copy(text: &str, terminal: &mut impl Write) -> String {
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
                    return format!("copied with {tool} and OSC 52");
                }
            }
        }
    }
    if osc_ok {
        "copied (OSC 52)".into()
    } else {
        "could not copy: the terminal refused the OSC 52 sequence".into()
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

    #[test]
    fn osc52_wraps_the_payload() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }
}
