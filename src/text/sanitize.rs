//! Makes untrusted text safe to put on the terminal.
//!
//! Model output, session files and pasted user input can contain escape
//! sequences or control characters. Written to the terminal they could move
//! the cursor, change colours, set the window title, plant OSC 52 clipboard
//! writes, or break ratatui's layout (which assumes every grapheme is
//! printable). Bidi override and isolate characters can make text read
//! differently from how it is stored, so they go too.
//!
//! Everything else, including CJK, emoji, ZWJ sequences and combining marks,
//! is kept. The common case (nothing to remove) is a byte scan with no
//! allocation.

use std::borrow::Cow;
use std::iter::Peekable;
use std::str::Chars;

/// What a tab becomes. A fixed expansion keeps sanitizing independent of
/// where the text is later placed on screen.
const TAB: &str = "    ";
const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
const CAN: char = '\u{18}';
const SUB: char = '\u{1a}';
/// 8-bit String Terminator.
const ST_8BIT: char = '\u{9c}';
/// 8-bit Control Sequence Introducer.
const CSI_8BIT: char = '\u{9b}';

/// Returns `input` with control characters and escape sequences removed.
///
/// * ESC sequences are removed whole: CSI (`ESC [ … final`), OSC, DCS, SOS,
///   PM and APC strings (up to BEL or ST), and two/three-character ESC
///   sequences such as `ESC c` or `ESC ( B`.
/// * C1 controls (U+0080–U+009F) are removed; the 8-bit CSI (U+009B) takes its
///   parameters with it and the 8-bit string introducers take their string.
/// * C0 controls other than `\n` are removed, `\t` becomes four spaces,
///   `\r` is dropped (so `\r\n` becomes `\n`), DEL is removed.
/// * Bidi embedding/override/isolate controls (U+202A–U+202E,
///   U+2066–U+2069) are removed.
///
/// An escape string that is never terminated ends at the next newline (the
/// newline is kept), so a stray `ESC ]` cannot hide the rest of a reply.
///
/// Returns [`Cow::Borrowed`] when nothing had to change. The result is a
/// fixed point: sanitizing it again changes nothing.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    clean(input, false)
}

/// Like [`sanitize`] but keeps `\t`. For text that leaves the app rather
/// than being drawn (clipboard, files) where tabs matter, e.g. code copied
/// from a code block; and for markdown source, whose parser understands tab
/// stops (the renderer expands tabs afterwards).
pub fn sanitize_keep_tabs(input: &str) -> Cow<'_, str> {
    clean(input, true)
}

fn clean(input: &str, keep_tabs: bool) -> Cow<'_, str> {
    if !needs_sanitizing(input.as_bytes(), keep_tabs) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' if keep_tabs => out.push('\t'),
            '\t' => out.push_str(TAB),
            ESC => skip_escape(&mut chars),
            CSI_8BIT => skip_csi(&mut chars),
            // DCS, SOS, OSC, PM, APC in their 8-bit forms.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Sanitizes bytes that may not be valid UTF-8. Invalid sequences become
/// U+FFFD (as with [`String::from_utf8_lossy`]) before sanitizing.
pub fn sanitize_bytes(bytes: &[u8]) -> String {
    match String::from_utf8_lossy(bytes) {
        Cow::Borrowed(s) => sanitize(s).into_owned(),
        Cow::Owned(s) => match sanitize(&s) {
            Cow::Borrowed(_) => s,
            Cow::Owned(clean) => clean,
        },
    }
}

/// True for characters that are dropped on their own (no sequence follows).
fn is_removed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Fast check on the UTF-8 bytes: does anything need removing or replacing?
fn needs_sanitizing(bytes: &[u8], keep_tabs: bool) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {}
            b'\t' if keep_tabs => {}
            0x00..=0x1f | 0x7f => return true,
            // U+0080..=U+009F encode as C2 80..=C2 9F.
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return true,
            // U+202A..=U+202E encode as E2 80 AA..=AE, U+2066..=U+2069 as E2 81 A6..=A9.
            0xe2 => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9)) => return true,
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    false
}

/// Skips what follows an ESC that has already been consumed.
fn skip_escape(chars: &mut Peekable<Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // nF sequences: intermediates then one final byte, e.g. `ESC ( B`.
        Some('\u{20}'..='\u{2f}') => {
            while chars
                .next_if(|c| matches!(c, '\u{20}'..='\u{2f}'))
                .is_some()
            {}
            chars.next_if(|c| matches!(c, '\u{30}'..='\u{7e}'));
        }
        // Two-character sequences: `ESC 7`, `ESC c`, `ESC M`, `ESC \`, ...
        Some('\u{30}'..='\u{7e}') => {
            chars.next();
        }
        // A lone ESC (at the end, or before a non-ASCII character or a
        // control): drop just the ESC; the main loop handles what follows.
        _ => {}
    }
}

/// Skips CSI parameter and intermediate bytes and the final byte. A malformed
/// sequence stops at the first unexpected character, which is then handled
/// (and if need be removed) by the main loop.
fn skip_csi(chars: &mut Peekable<Chars<'_>>) {
    while chars
        .next_if(|c| matches!(c, '\u{20}'..='\u{3f}'))
        .is_some()
    {}
    chars.next_if(|c| matches!(c, '\u{40}'..='\u{7e}'));
}

/// Skips a control string (OSC, DCS, SOS, PM, APC) up to and including its
/// terminator: BEL, `ESC \`, 8-bit ST, or CAN/SUB (which abort it). A newline
/// or the end of input also ends it, the newline being kept; any other ESC
/// ends it and is left for the main loop.
fn skip_string(chars: &mut Peekable<Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\n' => return,
            ESC => {
                let mut after = chars.clone();
                after.next();
                if after.next_if_eq(&'\\').is_some() {
                    *chars = after;
                }
                return;
            }
            BEL | ST_8BIT | CAN | SUB => {
                chars.next();
                return;
            }
            _ => {
                chars.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clean_text_is_borrowed() {
        for s in [
            "",
            "hello",
            "中文 emoji 👩‍👩‍👧 é\u{301}",
            "line\nbreak",
            "\u{200b}\u{200d}",
        ] {
            assert!(matches!(sanitize(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    #[test]
    fn csi_sequences_are_removed() {
        assert_eq!(sanitize("a\x1b[31mred\x1b[0m b"), "ared b");
        assert_eq!(sanitize("\x1b[2J\x1b[1;1Hx"), "x");
        assert_eq!(sanitize("\x1b[?1049h!"), "!");
        // Malformed: the parameters end at a non-CSI character; ESC is gone.
        assert_eq!(sanitize("\x1b[12中"), "中");
    }

    #[test]
    fn osc_and_other_strings_are_removed() {
        assert_eq!(sanitize("\x1b]0;title\x07after"), "after");
        assert_eq!(sanitize("\x1b]52;c;ZXZpbA==\x1b\\after"), "after");
        assert_eq!(sanitize("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "link");
        assert_eq!(sanitize("\x1bPq#0;2;0;0;0\x1b\\ok"), "ok");
        assert_eq!(
            sanitize("\x1b_apc\x1b\\\x1b^pm\x1b\\\x1bXsos\x1b\\ok"),
            "ok"
        );
        // Unterminated: ends at the newline, which is kept.
        assert_eq!(sanitize("a\x1b]0;title\nnext"), "a\nnext");
        assert_eq!(sanitize("a\x1b]0;tit"), "a");
        // A new escape inside the string ends it and is itself removed.
        assert_eq!(sanitize("\x1b]0;t\x1b[31mX"), "X");
    }

    #[test]
    fn short_escapes_are_removed() {
        assert_eq!(sanitize("a\x1bcb"), "ab");
        assert_eq!(sanitize("a\x1b7b\x1b8"), "ab");
        assert_eq!(sanitize("a\x1b(Bb"), "ab");
        assert_eq!(sanitize("a\x1b"), "a");
        assert_eq!(sanitize("a\x1b\x1b[1mb"), "ab");
        assert_eq!(sanitize("\x1bé"), "é");
    }

    #[test]
    fn c1_controls_are_removed() {
        assert_eq!(sanitize("a\u{9b}31mb"), "ab");
        assert_eq!(sanitize("a\u{9d}0;t\u{9c}b"), "ab");
        assert_eq!(sanitize("a\u{85}b\u{80}\u{9f}"), "ab");
    }

    #[test]
    fn c0_controls_tab_cr_del() {
        assert_eq!(sanitize("a\u{0}b\u{7}c\u{8}d\u{7f}e"), "abcde");
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(sanitize("x\r\ny\rz"), "x\nyz");
        assert_eq!(sanitize("keep\nnewlines\n"), "keep\nnewlines\n");
    }

    #[test]
    fn keep_tabs_variant() {
        assert!(matches!(sanitize_keep_tabs("a\tb\n"), Cow::Borrowed(_)));
        assert_eq!(sanitize_keep_tabs("\ta\x1b[1m\r\n"), "\ta\n");
    }

    #[test]
    fn bidi_controls_are_removed() {
        assert_eq!(sanitize("abc\u{202e}fed\u{202c}"), "abcfed");
        assert_eq!(sanitize("\u{2066}x\u{2069}\u{2067}\u{2068}"), "x");
        // Marks that only hint direction are harmless and kept.
        assert_eq!(sanitize("a\u{200e}b"), "a\u{200e}b");
    }

    #[test]
    fn unicode_is_kept() {
        let s = "日本語 한국어 👨‍👩‍👧‍👦 🇯🇵 e\u{301} ﾃﾞ \u{feff}";
        assert_eq!(sanitize(&format!("\x1b[1m{s}\x1b[0m")), s);
    }

    #[test]
    fn bytes_are_decoded_lossily() {
        assert_eq!(sanitize_bytes(b"ok\xff\x1b[1m!"), "ok\u{fffd}!");
        // A raw 8-bit CSI byte is not valid UTF-8: it becomes U+FFFD.
        assert_eq!(sanitize_bytes(b"a\x9b31mb"), "a\u{fffd}31mb");
        assert_eq!(sanitize_bytes("plain é".as_bytes()), "plain é");
    }

    fn nasty_char() -> impl Strategy<Value = char> {
        prop_oneof![
            any::<char>(),
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('?')),
            (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('?')),
            prop::sample::select(vec![
                '\x1b', '[', ']', '\\', 'P', '_', '^', 'X', '(', '7', ';', '1', 'm', '\x07', '\n',
                '\r', '\t', '\u{202e}', '\u{2066}', '\u{2069}', '中', 'a', ' ',
            ]),
        ]
    }

    fn assert_clean(out: &str) {
        for c in out.chars() {
            assert!(c == '\n' || !is_removed(c), "{c:?} in {out:?}");
        }
    }

    proptest! {
        #[test]
        fn output_is_clean_and_idempotent(chars in prop::collection::vec(nasty_char(), 0..80)) {
            let input: String = chars.into_iter().collect();
            let once = sanitize(&input);
            assert_clean(&once);
            prop_assert!(!once.contains('\t'));
            let twice = sanitize(&once);
            prop_assert!(matches!(twice, Cow::Borrowed(_)));
            prop_assert_eq!(&*twice, &*once);
            let tabs = sanitize_keep_tabs(&input);
            prop_assert_eq!(sanitize(&tabs), once);
        }

        #[test]
        fn bytes_output_is_clean(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
            let out = sanitize_bytes(&bytes);
            assert_clean(&out);
            prop_assert_eq!(sanitize(&out), out.as_str());
        }
    }
}
