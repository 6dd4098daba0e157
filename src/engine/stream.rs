//! Turning token bytes into the text the user sees.
//!
//! A token is a run of bytes, not characters: a Chinese character or an emoji is often split
//! across two or three tokens. We hold incomplete UTF-8 sequences back until they complete, and we
//! hold back a tail that could be the start of a stop string, so that neither half-characters nor
//! half stop strings ever reach the screen.

/// Accumulates a reply and decides what is safe to show.
#[derive(Debug, Default)]
pub struct ReplyStream {
    pending_bytes: Vec<u8>,
    text: String,
    emitted: usize,
    stop_strings: Vec<String>,
    stopped: bool,
}

/// What pushing a token produced.
#[derive(Debug, PartialEq, Eq)]
pub struct Pushed {
    /// Text that can be shown now (possibly empty).
    pub visible: String,
    /// A stop string was found; the reply ends before it.
    pub hit_stop: bool,
}

impl ReplyStream {
    pub fn new(stop_strings: &[String]) -> Self {
        ReplyStream {
            stop_strings: stop_strings
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect(),
            ..Default::default()
        }
    }

    /// The reply so far, including text not yet shown.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Adds the bytes of one token.
    pub fn push(&mut self, bytes: &[u8]) -> Pushed {
        if self.stopped {
            return Pushed {
                visible: String::new(),
                hit_stop: true,
            };
        }
        self.pending_bytes.extend_from_slice(bytes);
        self.decode_pending(false);
        self.release()
    }

    /// Ends the reply: flushes held-back text (an incomplete final character is dropped).
    pub fn finish(&mut self) -> String {
        if self.stopped {
            return String::new();
        }
        self.decode_pending(true);
        let rest = self.text[self.emitted..].to_owned();
        self.emitted = self.text.len();
        rest
    }

    fn decode_pending(&mut self, at_end: bool) {
        loop {
            match std::str::from_utf8(&self.pending_bytes) {
                Ok(valid) => {
                    self.text.push_str(valid);
                    self.pending_bytes.clear();
                    return;
                }
                Err(error) => {
                    let valid_len = error.valid_up_to();
                    // The prefix was just checked to be valid UTF-8.
                    self.text.push_str(
                        std::str::from_utf8(&self.pending_bytes[..valid_len]).unwrap_or(""),
                    );
                    match error.error_len() {
                        // Incomplete character at the end: wait for the next token.
                        None if !at_end => {
                            self.pending_bytes.drain(..valid_len);
                            return;
                        }
                        // The reply ended inside a character (e.g. at max tokens): a half
                        // character is noise, not text, so it is dropped.
                        None => {
                            self.pending_bytes.clear();
                            return;
                        }
                        Some(bad_len) => {
                            self.text.push(char::REPLACEMENT_CHARACTER);
                            self.pending_bytes.drain(..valid_len + bad_len);
                        }
                    }
                }
            }
        }
    }

    fn release(&mut self) -> Pushed {
        let longest_stop = self.stop_strings.iter().map(String::len).max().unwrap_or(0);
        // A stop string can only newly appear overlapping the text not yet shown.
        let mut search_from = self.emitted.saturating_sub(longest_stop);
        while !self.text.is_char_boundary(search_from) {
            search_from -= 1;
        }
        let found = self
            .stop_strings
            .iter()
            .filter_map(|s| {
                self.text[search_from..]
                    .find(s.as_str())
                    .map(|i| search_from + i)
            })
            .min();
        if let Some(stop_at) = found {
            let visible = self.text[self.emitted.min(stop_at)..stop_at].to_owned();
            self.text.truncate(stop_at);
            self.emitted = stop_at;
            self.stopped = true;
            return Pushed {
                visible,
                hit_stop: true,
            };
        }
        let held = self.partial_stop_len();
        let safe_end = self.text.len() - held;
        let visible = if safe_end > self.emitted {
            let v = self.text[self.emitted..safe_end].to_owned();
            self.emitted = safe_end;
            v
        } else {
            String::new()
        };
        Pushed {
            visible,
            hit_stop: false,
        }
    }

    /// Length of the longest tail of the text that is a proper prefix of a stop string.
    fn partial_stop_len(&self) -> usize {
        let mut best = 0;
        for stop in &self.stop_strings {
            for (len, _) in stop.char_indices().skip(1) {
                if len > best && self.text.ends_with(&stop[..len]) {
                    best = len;
                }
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push_all(stream: &mut ReplyStream, chunks: &[&[u8]]) -> String {
        let mut shown = String::new();
        for chunk in chunks {
            shown.push_str(&stream.push(chunk).visible);
        }
        shown.push_str(&stream.finish());
        shown
    }

    #[test]
    fn joins_characters_split_across_tokens() {
        let text = "你好👋";
        let bytes = text.as_bytes();
        let mut stream = ReplyStream::new(&[]);
        // One byte per token: nothing incomplete may be shown.
        let mut shown = String::new();
        for b in bytes {
            let pushed = stream.push(std::slice::from_ref(b));
            assert!(!pushed.visible.contains(char::REPLACEMENT_CHARACTER));
            shown.push_str(&pushed.visible);
        }
        shown.push_str(&stream.finish());
        assert_eq!(shown, text);
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut stream = ReplyStream::new(&[]);
        let shown = push_all(&mut stream, &[b"ok\xff", b"\xe4\xbd"]);
        assert_eq!(shown, "ok\u{FFFD}");
    }

    #[test]
    fn stops_before_a_stop_string_split_across_tokens() {
        let mut stream = ReplyStream::new(&["\nUser:".to_owned()]);
        let mut shown = String::new();
        let mut stopped = false;
        for chunk in ["Hello", " there", "\nUs", "er:", " more"] {
            let pushed = stream.push(chunk.as_bytes());
            shown.push_str(&pushed.visible);
            if pushed.hit_stop {
                stopped = true;
                break;
            }
        }
        assert!(stopped);
        assert_eq!(shown, "Hello there");
        assert_eq!(stream.text(), "Hello there");
    }

    #[test]
    fn held_back_prefix_is_released_when_it_does_not_complete() {
        let mut stream = ReplyStream::new(&["STOP".to_owned()]);
        assert_eq!(stream.push(b"a ST").visible, "a ");
        assert_eq!(stream.push(b"ew").visible, "STew");
    }
}
