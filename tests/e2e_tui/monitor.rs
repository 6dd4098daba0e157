//! The monitor pane (F5) in the real binary after a real reply: the reply's speed is there and
//! not zero, the memory line shows this process's resident size, and the CPU load appears on a
//! later tick (the pane redraws by itself while open).

use crate::harness::*;

const F5: &[u8] = b"\x1b[15~";
const TITLE: &str = "Monitor — Esc closes";

/// The generation speed the pane shows, from "Generation   47.9 tok/s (mean …".
fn speed(screen: &str) -> Option<f64> {
    let line = screen.lines().find(|l| l.contains("Generation"))?;
    let before = &line[..line.find(" tok/s")?];
    before.split_whitespace().last()?.parse().ok()
}

fn line_with<'a>(screen: &'a str, label: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(label))
}

#[test]
fn f5_shows_the_speed_memory_and_cpu_of_a_real_reply() {
    let _turn = serial();
    let mut tui = Tui::start(100, 30);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.type_line("What is the capital of France?");
    tui.wait_for("the reply", REPLY, reply_done).unwrap();

    tui.send(F5);
    let screen = tui
        .wait_for("the monitor", UI, |s| s.contains(TITLE))
        .unwrap();
    let tps = speed(&screen).unwrap_or_else(|| panic!("no speed:\n{screen}"));
    assert!(tps > 0.0, "{tps} tok/s:\n{screen}");
    let memory = line_with(&screen, "Memory").unwrap_or_else(|| panic!("{screen}"));
    assert!(
        memory.contains("MiB resident, peak"),
        "the memory line: {memory:?}\n{screen}"
    );
    let layers = line_with(&screen, "Layers").unwrap_or_else(|| panic!("{screen}"));
    assert!(layers.contains("CPU"), "{layers:?}\n{screen}");
    // The load needs two readings half a second apart: the pane redraws on its own to show it.
    let screen = tui
        .wait_for("the CPU load", UI, |s| {
            line_with(s, "Process").is_some_and(|l| l.contains('%'))
        })
        .unwrap();
    assert!(screen.contains("1 reply"), "{screen}");

    tui.esc();
    tui.wait_for("the monitor to close", UI, |s| !s.contains(TITLE))
        .unwrap();
}
