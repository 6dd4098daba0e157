//! `ggchat pull` in a pseudo-terminal: the progress line redrawn in place, and the question
//! "which model?" when a repo has several and a person is there to answer.

use crate::common::TempHome;
use crate::hub::{Faults, Hub, HubFile};
use crate::{REPO, files, hub_with_model, model_bytes};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Pty {
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    output: Arc<Mutex<Vec<u8>>>,
    reader: std::thread::JoinHandle<()>,
}

fn spawn(home: &TempHome, hub: &Hub, args: &[&str]) -> Pty {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ggchat"));
    command.arg("pull");
    command.args(args);
    command.env("GGCHAT_CONFIG_DIR", home.config_dir());
    command.env("GGCHAT_DATA_DIR", home.data_dir());
    command.env("HF_ENDPOINT", hub.url());
    command.env_remove("HF_TOKEN");
    command.env("LANG", "C.UTF-8");
    command.env_remove("LC_ALL");
    command.env_remove("LC_MESSAGES");
    let child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    let sink = output.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    Pty {
        master: pty.master,
        child,
        output,
        reader,
    }
}

impl Pty {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned()
    }

    fn wait_for(&self, wanted: &str) {
        let start = Instant::now();
        while !self.text().contains(wanted) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no {wanted:?} in {:?}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the exit; true on success. Returns everything printed.
    fn finish(mut self) -> (bool, String) {
        let status = self.child.wait().unwrap();
        // The reader ends when the pty closes (EIO once the child is gone).
        drop(self.master);
        let _ = self.reader.join();
        let text = String::from_utf8_lossy(&self.output.lock().unwrap()).into_owned();
        (status.success(), text)
    }
}

#[test]
fn progress_is_redrawn_in_place_on_a_terminal() {
    let hub = hub_with_model();
    hub.set_faults(Faults {
        throttle: Some((2 * 1024 * 1024, Duration::from_millis(60))),
        ..Faults::default()
    });
    let home = TempHome::new();
    let (ok, output) = spawn(&home, &hub, &[REPO]).finish();
    assert!(ok, "{output:?}");
    let redraws = output.matches("\r\x1b[2K").count();
    assert!(redraws >= 5, "{redraws} redraws: {output:?}");
    assert!(
        output.contains("MiB/s") && output.contains(" left") && output.contains("(100%)"),
        "{output:?}"
    );
}

#[test]
fn a_person_at_the_terminal_picks_among_several_models() {
    let hub = Hub::start();
    hub.add_repo(
        "o/two-GGUF",
        vec![
            HubFile::lfs("smol-Q8_0.gguf", Arc::new(b"not fetched".to_vec())),
            HubFile::lfs("smol-Q4_1.gguf", model_bytes()),
        ],
    );
    let home = TempHome::new();
    let pty = spawn(&home, &hub, &["o/two-GGUF"]);
    pty.wait_for("pull which one? [1-2]");
    assert!(pty.text().contains("2) smol-Q4_1.gguf"), "{:?}", pty.text());
    let mut writer = pty.master.take_writer().unwrap();
    writer.write_all(b"2\r").unwrap();
    drop(writer);
    let (ok, output) = pty.finish();
    assert!(ok, "{output:?}");
    assert_eq!(
        files(&home),
        ["smol-Q4_1.gguf", "smol-Q4_1.gguf.source.json"]
    );
}
