//! Code highlighting off the frame path, as the app runs it (`start_background` at start-up): the
//! first frame shows a code block in a language not seen yet plain instead of waiting for syntect
//! to compile that syntax, and the block is coloured once the worker is done. Its own test binary:
//! the worker is per process, and the other tests highlight synchronously.

use ggchat::chat::{Conversation, Message};
use ggchat::engine::EngineLink;
use ggchat::markdown::highlight;
use ggchat::params::SamplingParams;
use ggchat::tui::app::App;
use ratatui::style::Color;
use ratatui::{Terminal, backend::TestBackend};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The foreground colours on the screen row that shows `text`.
fn colours_of_row(terminal: &Terminal<TestBackend>, text: &str) -> HashSet<Color> {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    for y in 0..area.height {
        let row: String = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_owned())
            .collect();
        if let Some(at) = row.find(text) {
            let start = row[..at].chars().count() as u16;
            let end = start + text.chars().count() as u16;
            return (start..end).map(|x| buffer[(x, y)].fg).collect();
        }
    }
    panic!("{text:?} is not on the screen");
}

#[test]
fn a_new_language_is_drawn_plain_then_coloured_without_blocking_a_frame() {
    highlight::start_background();
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::new(
        EngineLink::new(tx),
        Conversation::new("Be brief."),
        SamplingParams::default(),
    );
    app.conversation_mut()
        .messages
        .push(Message::user("Show me Rust."));
    app.conversation_mut().messages.push(Message::assistant(
        "Here:\n\n```rust\nfn main() { let answer = 42; }\n```\n",
    ));
    let mut terminal = Terminal::new(TestBackend::new(80, 20)).unwrap();
    let before = highlight::generation();
    terminal.draw(|f| app.draw(f)).unwrap();
    let plain = colours_of_row(&terminal, "fn main() { let answer = 42; }");
    assert_eq!(
        plain.len(),
        1,
        "the first frame waited for syntect: the block is already coloured ({plain:?})"
    );

    let started = Instant::now();
    while highlight::generation() == before {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the worker never highlighted the block"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    terminal.draw(|f| app.draw(f)).unwrap();
    let coloured = colours_of_row(&terminal, "fn main() { let answer = 42; }");
    assert!(
        coloured.len() >= 3,
        "after the worker, the block is highlighted: {coloured:?}"
    );

    // Rust is ready now: a new block is highlighted in its own frame.
    app.conversation_mut().messages.push(Message::assistant(
        "And:\n\n```rust\nstruct Point { x: i32 }\n```\n",
    ));
    terminal.draw(|f| app.draw(f)).unwrap();
    let next = colours_of_row(&terminal, "struct Point { x: i32 }");
    assert!(next.len() >= 3, "{next:?}");
}
