//! The official `openai` Python package against the real server, in the virtual environment
//! `scripts/make-test-venv.sh` makes (scripts/test.sh runs it).

use crate::harness::{Server, model_id};
use std::path::Path;
use std::process::Command;

#[test]
fn the_openai_python_client_chats_streams_lists_models_and_gets_typed_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join("target/test-venv/bin/python");
    assert!(
        python.is_file(),
        "{} is missing: run scripts/make-test-venv.sh (scripts/test.sh does) to make the venv \
         with the openai package",
        python.display()
    );
    let server = Server::start(&["--api-key", "test-key"]);
    let output = Command::new(&python)
        .arg(root.join("tests/serve/openai_check.py"))
        .args([&server.url, "test-key", &model_id()])
        .output()
        .expect("run the openai check script");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("ALL OK"),
        "the openai client check failed\nstdout:\n{stdout}\nstderr:\n{stderr}\nserver:\n{}",
        server.stderr()
    );
}
