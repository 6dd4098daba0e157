//! LoRA adapters, proven with real ones: adapters for the default model written by
//! `scripts/make-test-lora.sh` (scripts/test.sh runs it) with small random A/B matrices on the
//! attention weights. Greedy output changes with the adapter and with its scale, is unchanged at
//! scale 0, an adapter that does not fit is a clear error, and adapters are not listed as models.

mod common;

use common::{TempHome, stderr, stdout};
use ggchat::chat::Message;
use ggchat::engine::TemplateChoice;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::params::{ModelParams, SamplingParams};
use std::path::PathBuf;

const PROMPT: &str = "Write one sentence about the sea.";

fn lora_dir() -> PathBuf {
    common::models_dir()
        .parent()
        .expect("the models folder has a parent")
        .join("lora")
}

/// A test adapter; missing is a failure with the command that makes it, never a skip.
fn adapter(file: &str) -> PathBuf {
    let path = lora_dir().join(file);
    assert!(
        path.is_file(),
        "the test LoRA adapter {} is missing: run `scripts/make-test-lora.sh` (scripts/test.sh \
         does this)",
        path.display()
    );
    path
}

fn good_adapter() -> PathBuf {
    adapter("test-lora.gguf")
}

fn greedy() -> SamplingParams {
    SamplingParams {
        temperature: 0.0,
        max_tokens: 24,
        ..SamplingParams::default()
    }
}

/// Loads the default model with `lora` at `scale` and answers PROMPT greedily.
fn answer(engine: &mut BlockingEngine, lora: Option<PathBuf>, scale: f32) -> String {
    let params = ModelParams {
        lora_path: lora,
        lora_scale: scale,
        ..ModelParams::default()
    };
    engine
        .load(
            &common::default_model(),
            &params,
            &TemplateChoice::FromModel,
            |_| {},
        )
        .expect("the model loads with the adapter");
    let reply = engine
        .generate(vec![Message::user(PROMPT)], &greedy(), false, true, |_| {
            Flow::Continue
        })
        .expect("a reply");
    // A reload starts from an empty cache: nothing computed under another adapter or scale.
    assert_eq!(reply.stats.prompt_tokens_reused, 0);
    assert!(!reply.text.trim().is_empty());
    reply.text
}

#[test]
fn greedy_output_changes_with_the_adapter_and_its_scale() {
    let mut engine = BlockingEngine::start().unwrap();
    let base = answer(&mut engine, None, 1.0);
    let full = answer(&mut engine, Some(good_adapter()), 1.0);
    let half = answer(&mut engine, Some(good_adapter()), 0.5);
    let off = answer(&mut engine, Some(good_adapter()), 0.0);
    assert_ne!(full, base, "the adapter changes the output");
    assert_ne!(half, full, "the scale changes the output");
    assert_ne!(half, base, "half the adapter still changes the output");
    assert_eq!(off, base, "at scale 0 the adapter changes nothing");
    // The same adapter and scale again: the same text (the change is the adapter, not noise).
    assert_eq!(answer(&mut engine, Some(good_adapter()), 1.0), full);
}

fn ask(home: &TempHome, extra: &[&str]) -> std::process::Output {
    let model = common::default_model();
    let mut args = vec![
        "ask",
        "--model",
        model.to_str().unwrap(),
        "--temperature",
        "0",
        "-n",
        "24",
    ];
    args.extend_from_slice(extra);
    args.push(PROMPT);
    home.run(&args)
}

#[test]
fn ask_takes_lora_and_lora_scale_flags() {
    let home = TempHome::new();
    let lora = good_adapter();
    let lora = lora.to_str().unwrap();
    let base = ask(&home, &[]);
    assert!(base.status.success(), "{}", stderr(&base));
    let with = ask(&home, &["--lora", lora]);
    assert!(with.status.success(), "{}", stderr(&with));
    let scaled_off = ask(&home, &["--lora", lora, "--lora-scale", "0"]);
    assert!(scaled_off.status.success(), "{}", stderr(&scaled_off));
    assert_ne!(stdout(&with), stdout(&base));
    assert_eq!(stdout(&scaled_off), stdout(&base));

    let out = ask(&home, &["--lora", "/no/such/adapter.gguf"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("--lora /no/such/adapter.gguf: no such file"),
        "{err}"
    );
    let out = ask(&home, &["--lora", lora, "--lora-scale", "11"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("lora_scale = 11"), "{}", stderr(&out));
}

#[test]
fn an_adapter_that_does_not_fit_is_a_clear_error_in_ask() {
    let home = TempHome::new();
    let wrong = adapter("test-lora-wrong-shape.gguf");
    let out = ask(&home, &["--lora", wrong.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).is_empty(), "no reply without the adapter");
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot load the LoRA adapter {}", wrong.display())),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // A model given as the adapter is refused by name too.
    let model = common::default_model();
    let out = ask(&home, &["--lora", model.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("it is a model, not an adapter"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn adapters_in_a_model_folder_are_not_listed_as_models() {
    let home = TempHome::new();
    let models = home.data_dir().join("models");
    std::fs::create_dir_all(&models).unwrap();
    // The adapter sorts first, and the model does not have the default model's name: picking
    // the first file would pick the adapter.
    std::os::unix::fs::symlink(good_adapter(), models.join("a-adapter.gguf")).unwrap();
    std::os::unix::fs::symlink(common::default_model(), models.join("b-model.gguf")).unwrap();

    let out = home.run(&["models"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = stdout(&out);
    assert!(listed.contains("b-model.gguf"), "{listed}");
    assert!(!listed.contains("a-adapter.gguf"), "{listed}");

    let out = home.run(&["ask", "--temperature", "0", "-n", "4", "Hi"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let adapter_path = models.join("a-adapter.gguf");
    let out = home.run(&["ask", "--model", adapter_path.to_str().unwrap(), "Hi"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is a LoRA adapter, not a model"),
        "{}",
        stderr(&out)
    );
}
