//! Bad config files, out-of-range or malformed flags, absurd values in the settings pane, and a
//! prompt longer than the whole context.

use crate::common::{self, TempHome, stderr, stdout};
use crate::helpers::{SMALL_RSS_KIB, ggchat};
use std::fs;
use std::path::Path;

fn model_arg() -> String {
    common::default_model().display().to_string()
}

#[test]
fn a_bad_config_file_stops_every_command_with_file_line_column_and_key() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config");
    let cases = [
        (
            "invalid-toml.toml",
            "line 4, column 8, key `sampling.top_k`: string values must be quoted, expected \
             literal string",
        ),
        (
            "unknown-key.toml",
            "line 4, column 1, key `sampling.temprature`: unknown field `temprature`, expected \
             one of `temperature`, `top_k`, `top_p`, `min_p`, `repeat_penalty`, \
             `repeat_last_n`, `presence_penalty`, `frequency_penalty`, `max_tokens`, `seed`, \
             `stop`, `thinking`, `thinking_budget`, `alternatives`, `speculation`, `draft_max`, \
             `lookup_ngram`",
        ),
        (
            "out-of-range.toml",
            "line 4, column 1, key `sampling.top_p`: top_p = 1.5 is out of range: above 0 and \
             at most 1 (1 = off)",
        ),
        (
            "wrong-type.toml",
            "line 4, column 9, key `sampling.top_k`: invalid type: string \"forty\", expected \
             i32",
        ),
    ];
    for (fixture, expected) in cases {
        let home = TempHome::new();
        fs::create_dir_all(home.config_dir()).unwrap();
        let config = home.config_dir().join("config.toml");
        fs::copy(fixtures.join(fixture), &config).unwrap();
        let message = format!(
            "ggchat: invalid config file {}, {expected}\n",
            config.display()
        );
        let out = home.run(&["ask", "--model", &model_arg(), "hi"]);
        assert!(!out.status.success(), "{fixture}");
        assert_eq!(stderr(&out), message, "{fixture}");
        assert!(stdout(&out).is_empty());
        for args in [&["models"][..], &["sessions", "list"], &["paths"]] {
            let out = home.run(args);
            assert!(!out.status.success(), "{fixture}: {args:?}");
            assert_eq!(stderr(&out), message, "{fixture}: {args:?}");
        }
    }
}

#[test]
fn out_of_range_flags_are_refused_before_any_model_is_loaded() {
    let home = TempHome::new();
    let cases = [
        (
            "--temperature=NaN",
            "temperature = NaN is out of range: 0 to 5 (0 = greedy)",
        ),
        (
            "--temperature=inf",
            "temperature = inf is out of range: 0 to 5 (0 = greedy)",
        ),
        (
            "--temperature=-0.5",
            "temperature = -0.5 is out of range: 0 to 5 (0 = greedy)",
        ),
        (
            "--top-k=-1",
            "top_k = -1 is out of range: 0 to 100000 (0 = off)",
        ),
        (
            "--top-p=0",
            "top_p = 0 is out of range: above 0 and at most 1 (1 = off)",
        ),
        (
            "--min-p=1.5",
            "min_p = 1.5 is out of range: 0 to 1 (0 = off)",
        ),
        (
            "--repeat-penalty=0",
            "repeat_penalty = 0 is out of range: 0.1 to 5 (1 = off)",
        ),
        (
            "--max-tokens=0",
            "max_tokens = 0 is out of range: 1 to 1000000",
        ),
        (
            "--ctx-size=2000000",
            "ctx_size = 2000000 is out of range: 256 to 1048576 tokens",
        ),
        (
            "--gpu-layers=10001",
            "gpu_layers = 10001 is out of range: 0 to 10000",
        ),
        (
            "--threads=5000",
            "threads = 5000 is out of range: 1 to 1024",
        ),
        (
            "--alternatives=1",
            "alternatives = 1 is out of range: 2 to 4",
        ),
        (
            "--alternatives=5",
            "alternatives = 5 is out of range: 2 to 4",
        ),
    ];
    for (flag, message) in cases {
        let run = ggchat(&home, &["ask", "--model", &model_arg(), flag, "hi"]);
        assert!(!run.status.success(), "{flag}");
        assert_eq!(run.stderr, format!("ggchat: invalid option: {message}\n"));
        // Refused before loading: no model memory was ever touched.
        assert!(
            run.max_rss_kib < SMALL_RSS_KIB,
            "{flag}: {} KiB",
            run.max_rss_kib
        );
    }
    // Values that are not numbers of the flag's type are refused by the parser, naming the flag.
    for (flag, name) in [
        ("--seed=-1", "--seed"),
        ("--ctx-size=99999999999", "--ctx-size"),
        ("--top-k=lots", "--top-k"),
    ] {
        let run = ggchat(&home, &["ask", "--model", &model_arg(), flag, "hi"]);
        assert_eq!(run.status.code(), Some(2), "{flag}");
        assert!(
            run.stderr.contains("invalid value") && run.stderr.contains(name),
            "{flag}: {}",
            run.stderr
        );
    }
}

#[test]
fn the_settings_pane_refuses_absurd_values_and_changes_nothing() {
    use ggchat::params::{ModelParams, SamplingParams};
    use ggchat::tui::settings::{FIELDS, Settings};
    let fresh = || Settings {
        sampling: SamplingParams::default(),
        model: ModelParams::default(),
    };
    let index = |label: &str| FIELDS.iter().position(|f| f.name == label).unwrap();
    // One clearly out-of-range value for every field.
    for (label, value) in [
        ("temperature", "6"),
        ("top_k", "-1"),
        ("top_p", "0"),
        ("min_p", "2"),
        ("repeat_penalty", "0"),
        ("repeat_last_n", "70000"),
        ("presence_penalty", "3"),
        ("frequency_penalty", "-3"),
        ("max_tokens", "0"),
        ("seed", "-1"),
        ("ctx_size", "100"),
        ("gpu_layers", "10001"),
        ("threads", "0"),
        ("batch_size", "8"),
        ("flash_attention", "fast"),
        ("lora_path", "/no/such/adapter.gguf"),
        ("lora_scale", "11"),
    ] {
        let mut settings = fresh();
        let error = settings.apply(index(label), value).unwrap_err();
        assert!(error.contains(label), "{label}: {error}");
        assert_eq!(settings, fresh(), "{label} changed after refusing {value}");
    }
    // Every field against hostile text: refused without change, or accepted and in range.
    let hostile = [
        "NaN",
        "inf",
        "-inf",
        "-1",
        "-0",
        "1e40",
        "99999999999999999999",
        "0x10",
        "1 2",
        "",
        " ",
        "auto",
        "\u{1b}[2J",
        "\u{0}",
        "١٢",
        "💥",
    ];
    for (i, field) in FIELDS.iter().enumerate() {
        for text in hostile {
            let mut settings = fresh();
            match settings.apply(i, text) {
                Err(error) => {
                    assert!(error.contains(field.name), "{}: {error}", field.name);
                    assert_eq!(settings, fresh(), "{} {text:?}", field.name);
                }
                Ok(_) => {
                    assert!(
                        settings.sampling.validate().is_ok(),
                        "{} {text:?}",
                        field.name
                    );
                    assert!(settings.model.validate().is_ok(), "{} {text:?}", field.name);
                }
            }
        }
    }
}

#[test]
fn a_prompt_longer_than_the_whole_context_is_a_clear_error() {
    let home = TempHome::new();
    let long = "word ".repeat(400);
    let run = ggchat(
        &home,
        &["ask", "--model", &model_arg(), "--ctx-size", "256", &long],
    );
    assert!(!run.status.success());
    assert!(
        run.stderr
            .contains("the message is too long for the context"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}
