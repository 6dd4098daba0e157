//! `ggchat bench`'s real path: requests shaped like `llama-bench`'s that still go through the
//! whole reply path, and figures that are measurements or errors, never zeros.

mod common;

use ggchat::chat::{Message, StopReason};
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::engine::{BenchShape, GenerateRequest, TemplateChoice};
use ggchat::params::{ModelParams, SamplingParams};

/// A reply the model wants to end at once: its answer is already written.
fn finished_answer() -> Vec<Message> {
    vec![
        Message::user("Reply with the single word OK."),
        Message::assistant("OK."),
    ]
}

fn request(bench: Option<BenchShape>) -> GenerateRequest {
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 24,
        ..SamplingParams::default()
    };
    GenerateRequest {
        continue_last: true,
        reuse_cache: false,
        bench,
        ..GenerateRequest::new(finished_answer(), sampling)
    }
}

#[test]
fn a_bench_request_runs_past_end_of_generation_and_a_reply_does_not() {
    let mut engine = BlockingEngine::start().unwrap();
    engine
        .load(
            &common::default_model(),
            &ModelParams::default(),
            &TemplateChoice::FromModel,
            |_| {},
        )
        .unwrap();
    // A reply stops at the end-of-generation token, as users expect...
    let reply = engine.run(request(None), |_| Flow::Continue).unwrap();
    assert_eq!(
        reply.stats.stop_reason,
        Some(StopReason::EndOfGeneration),
        "the premise: the model ends this reply by itself ({:?})",
        reply.text
    );
    assert!(reply.stats.generated_tokens < 24, "{:?}", reply.stats);
    // ... and the same request shaped for the bench generates every token it asked for.
    let shape = BenchShape {
        prompt_tokens: None,
        ignore_eog: true,
    };
    let bench = engine
        .run(request(Some(shape)), |_| Flow::Continue)
        .unwrap();
    assert_eq!(bench.stats.generated_tokens, 24, "{:?}", bench.stats);
    assert_eq!(bench.stats.stop_reason, Some(StopReason::MaxTokens));
    // A fixed prompt of exactly the asked length, from an empty cache.
    let sized = engine
        .bench_generate(
            100,
            &SamplingParams {
                max_tokens: 1,
                ..SamplingParams::default()
            },
        )
        .unwrap();
    assert_eq!(sized.prompt_tokens, 100);
    assert_eq!(sized.stats.prompt_tokens_evaluated, 100);
    assert_eq!(sized.stats.prompt_tokens_reused, 0);
}

#[test]
fn ggchat_bench_reports_the_real_path_and_the_raw_loop() {
    let home = common::TempHome::new();
    let model = common::default_model();
    let out = home.run(&[
        "bench",
        "--json",
        "--turns",
        "1",
        "--pp",
        "32",
        "--tg",
        "8",
        "--reps",
        "2",
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&common::stdout(&out)).unwrap();
    for row in ["pp", "tg", "raw_pp", "raw_tg"] {
        let samples = report[row]["samples"].as_array().unwrap();
        assert_eq!(samples.len(), 2, "{row}: {report}");
        assert!(
            samples.iter().all(|s| s.as_f64().unwrap() > 0.0),
            "{row}: {report}"
        );
    }
    assert_eq!(report["pp_tokens"], 32);
    assert_eq!(report["tg_tokens"], 8);
    // The real path runs with the settings a reply uses.
    let temperature = report["sampling"]["temperature"].as_f64().unwrap();
    assert!((temperature - 0.7).abs() < 1e-6, "{report}");
    assert_eq!(report["sampling"]["top_k"], 40);

    // A benchmark that cannot run is an error, not a table of zeros.
    let bad = home.run(&["bench", "--pp", "0", "--model", model.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(
        common::stderr(&bad).contains("--pp and --tg must be at least 1"),
        "{}",
        common::stderr(&bad)
    );
}
