//! The model picker's pull and delete with the real binary: the default model pulled from a
//! local stand-in for Hugging Face (tests/hub_support, selected by `HF_ENDPOINT`) while the chat
//! answers, then listed; and a model deleted after a confirmation, never the loaded one.

use crate::common::{self, TempHome};
use crate::harness::*;
use crate::hub::{Faults, Hub, HubFile};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const F3: &[u8] = b"\x1bOR";
const REPO: &str = "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF";
const PULL: Duration = Duration::from_secs(120);

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// F3, `p`, the repo, Enter on its model: the picker and the status bar show the download.
fn start_pull(tui: &mut Tui) {
    tui.send(F3);
    tui.wait_for("the picker", UI, |s| s.contains("p pulls from a hub"))
        .unwrap();
    tui.send(b"p");
    tui.wait_for("the repo field", UI, |s| s.contains("Repo to pull"))
        .unwrap();
    tui.type_line(REPO);
    tui.wait_for("the repo's models", UI, |s| {
        s.contains(&format!("Models in {REPO}")) && s.contains(common::DEFAULT_MODEL_FILE)
    })
    .unwrap();
    assert!(
        !tui.screen().contains("README.md"),
        "only GGUF files are offered"
    );
    tui.send(ENTER);
    let screen = tui
        .wait_for("the progress in the picker", PULL, |s| {
            s.contains(" MiB / 93.8 MiB") && s.contains("c cancels")
        })
        .unwrap();
    assert!(
        screen.contains("/s") && screen.contains(" left"),
        "{screen}"
    );
}

#[test]
fn a_model_pulled_from_the_picker_arrives_while_the_chat_goes_on() {
    let _turn = serial();
    let bytes = Arc::new(std::fs::read(common::default_model()).unwrap());
    let hub = Hub::start();
    hub.add_repo(
        REPO,
        vec![
            HubFile::git("README.md", b"# SmolLM2\n"),
            HubFile::lfs(common::DEFAULT_MODEL_FILE, Arc::clone(&bytes)),
        ],
    );
    // Held after 10 MiB (a trickle) until the test lets go: the download is visibly under way.
    let held = Arc::new(AtomicBool::new(true));
    hub.set_faults(Faults {
        hold: Some((10 << 20, Arc::clone(&held))),
        ..Faults::default()
    });
    let home = Arc::new(TempHome::new());
    let url = hub.url();
    let mut tui = Tui::start_env(Arc::clone(&home), 200, 32, &[], &[("HF_ENDPOINT", &url)]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();
    let model = home
        .data_dir()
        .join("models")
        .join(common::DEFAULT_MODEL_FILE);
    let part = model.with_extension("gguf.part");

    // Cancelled: the partial file stays, and the notice says so.
    start_pull(&mut tui);
    tui.send(b"c");
    let screen = tui
        .wait_for("the cancellation", UI, |s| {
            shows_notice(s, "download of SmolLM2-135M-Instruct.Q4_1.gguf cancelled")
        })
        .unwrap();
    assert!(!status(&screen).contains("⇣"), "{}", status(&screen));
    // The download thread stops at its next await: the size settles within a chunk.
    let size = || std::fs::metadata(&part).map_or(0, |m| m.len());
    let mut kept = size();
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(600));
        if size() == kept {
            break;
        }
        kept = size();
    }
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(size(), kept, "the download stopped");
    assert!(
        kept > 0 && kept < bytes.len() as u64,
        "the .part file keeps {kept} bytes"
    );
    assert!(!model.exists());

    // Pulled again: it resumes, and the chat answers meanwhile.
    tui.esc();
    tui.wait_for("the picker to close", UI, |s| {
        !s.contains("p pulls from a hub")
    })
    .unwrap();
    hub.clear_seen();
    start_pull(&mut tui);
    tui.esc();
    tui.wait_for("the progress in the status bar", UI, |s| {
        status(s).contains(&format!("⇣ {}", common::DEFAULT_MODEL_FILE))
    })
    .unwrap();
    tui.type_line("Say hi");
    let screen = tui.wait_for("a reply", REPLY, reply_done).unwrap();
    assert!(
        status(&screen).contains("⇣ "),
        "the download still runs: {}",
        status(&screen)
    );
    assert!(!model.exists(), "not there before it is complete");

    // The picker open when it arrives: the list shows it at once.
    tui.send(F3);
    tui.wait_for("the picker", UI, |s| s.contains("c cancels"))
        .unwrap();
    held.store(false, Ordering::SeqCst);
    let screen = tui
        .wait_for("the pulled model in the list", PULL, |s| {
            s.contains("Q4_1 · 94 MiB")
        })
        .unwrap();
    assert!(
        shows_notice(
            &screen,
            &format!("{} downloaded into", common::DEFAULT_MODEL_FILE)
        ),
        "{screen}"
    );
    assert_eq!(sha256(&std::fs::read(&model).unwrap()), sha256(&bytes));
    assert!(model.with_extension("gguf.source.json").is_file());
    assert!(!part.exists());
    let ranges: Vec<String> = hub
        .seen()
        .into_iter()
        .filter(|s| s.path.starts_with("/cdn/"))
        .filter_map(|s| s.range)
        .collect();
    assert_eq!(
        ranges,
        [format!("bytes={kept}-")],
        "resumed where it stopped"
    );
    tui.esc();
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
}

#[test]
fn deleting_from_the_picker_asks_first_and_never_takes_the_loaded_model() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let models = home.data_dir().join("models");
    std::fs::create_dir_all(&models).unwrap();
    let loaded = models.join(common::DEFAULT_MODEL_FILE);
    let spare = models.join("spare-copy.gguf");
    std::os::unix::fs::symlink(common::default_model(), &loaded).unwrap();
    std::os::unix::fs::symlink(common::default_model(), &spare).unwrap();
    std::fs::write(models.join("spare-copy.gguf.source.json"), "{}\n").unwrap();
    let mut tui = Tui::start_without_model(Arc::clone(&home), 200, 30, &[]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();

    // The first row is the loaded model (the default file name sorts first).
    tui.send(F3);
    tui.wait_for("the picker", UI, |s| s.contains("d deletes"))
        .unwrap();
    tui.send(b"d");
    tui.wait_for("the refusal", UI, |s| {
        shows_notice(
            s,
            &format!("{} is the model in use", common::DEFAULT_MODEL_FILE),
        )
    })
    .unwrap();
    assert!(loaded.symlink_metadata().is_ok());

    tui.send(DOWN);
    tui.send(b"d");
    tui.wait_for("the question", UI, |s| {
        s.contains("delete spare-copy.gguf (2 files")
    })
    .unwrap();
    tui.send(b"n");
    tui.wait_for("kept", UI, |s| shows_notice(s, "kept spare-copy.gguf"))
        .unwrap();
    assert!(spare.symlink_metadata().is_ok());
    tui.send(b"d");
    tui.wait_for("the question again", UI, |s| {
        s.contains("delete spare-copy.gguf")
    })
    .unwrap();
    tui.send(b"y");
    tui.wait_for("deleted", UI, |s| {
        shows_notice(s, "deleted spare-copy.gguf (2 files)")
    })
    .unwrap();
    assert!(spare.symlink_metadata().is_err());
    assert!(!models.join("spare-copy.gguf.source.json").exists());
    assert!(loaded.symlink_metadata().is_ok(), "the loaded model stays");
    assert!(common::default_model().is_file(), "a link's target stays");
    tui.esc();
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
}
