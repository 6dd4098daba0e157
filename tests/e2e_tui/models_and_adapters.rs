//! Models and adapters as the chat shows them: the Gemma base model picked from F3 stops at the
//! end of its turn, a LoRA adapter that does not fit is an error on screen, and GPU layers that
//! have no effect are said so.

use crate::common::{self, TempHome};
use crate::harness::*;
use std::sync::Arc;

const F3: &[u8] = b"\x1bOR";

#[test]
fn gemma_picked_from_f3_stops_at_the_end_of_its_turn() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let models = home.data_dir().join("models");
    std::fs::create_dir_all(&models).unwrap();
    std::os::unix::fs::symlink(common::gemma_model(), models.join(common::GEMMA_MODEL_FILE))
        .unwrap();
    let mut tui = Tui::start_with(Arc::clone(&home), 120, 30, &[]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    tui.send(F3);
    tui.wait_for("the model picker", UI, |s| {
        s.to_lowercase().contains("gemma")
    })
    .unwrap();
    tui.send(ENTER);
    tui.wait_for("Gemma to be loaded", FIRST_ANSWER, |s| {
        is_ready(s) && s.contains("now on")
    })
    .unwrap();

    tui.type_line("What is the capital of France?");
    let screen = tui.wait_for("Gemma's answer", REPLY, reply_done).unwrap();
    let reply = last_reply(&screen).unwrap().join("\n");
    for marker in ["im_end", "im_start"] {
        assert!(!screen.contains(marker), "{marker} shown:\n{screen}");
    }
    let stats = last_stats(&screen).unwrap();
    assert!(
        stats.contains("stop string"),
        "stopped at the marker: {stats}\n{reply}"
    );
}

#[test]
fn a_lora_adapter_that_does_not_fit_is_shown_as_an_error() {
    let _turn = serial();
    let wrong = common::models_dir()
        .parent()
        .unwrap()
        .join("lora/test-lora-wrong-shape.gguf");
    assert!(
        wrong.is_file(),
        "{} is missing: run scripts/make-test-lora.sh",
        wrong.display()
    );
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_with(home, 120, 24, &["--lora", wrong.to_str().unwrap()]);
    let screen = tui
        .wait_for("the LoRA error", FIRST_ANSWER, |s| {
            s.contains("Error: cannot load the LoRA adapter")
        })
        .unwrap();
    assert!(screen.contains("test-lora-wrong-shape.gguf"), "{screen}");
    assert!(tui.alive(), "the chat stays open");
}

#[test]
fn gpu_layers_without_a_gpu_are_a_notice() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_with(home, 160, 24, &["--gpu-layers", "99"]);
    let screen = tui
        .wait_for("the GPU notice", FIRST_ANSWER, |s| {
            is_ready(s) && shows_notice(s, "GPU layers (99) have no effect")
        })
        .unwrap();
    assert!(status(&screen).contains("│ CPU "), "{screen}");
}
