//! `ggchat bench`: what a chat costs, turn by turn, and raw speed in `llama-bench`'s terms.
//!
//! The scripted conversation uses new messages of equal length, so time to first token should stay
//! flat as the history grows when the KV cache is reused. `--compare-no-reuse` runs the same
//! conversation with reuse switched off, side by side in the same process.

use crate::chat::{Conversation, Message, ReplyStats};
use crate::cli::BenchArgs;
use crate::engine::blocking::{BlockingEngine, Flow};
use crate::engine::{BenchResult, ModelInfo};
use crate::params::SamplingParams;
use crate::setup::Setup;
use anyhow::Result;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct Turn {
    pub turn: usize,
    pub prompt_tokens: usize,
    pub stats: ReplyStats,
}

#[derive(Debug, Serialize)]
struct Spread {
    mean: f64,
    stddev: f64,
    samples: Vec<f64>,
}

impl Spread {
    fn of(samples: Vec<f64>) -> Spread {
        let n = samples.len().max(1) as f64;
        let mean = samples.iter().sum::<f64>() / n;
        let var = samples.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n;
        Spread {
            mean,
            stddev: var.sqrt(),
            samples,
        }
    }
}

#[derive(Debug, Serialize)]
struct Report {
    model: ModelInfo,
    turns: Vec<Turn>,
    turns_without_reuse: Vec<Turn>,
    ttft_last_over_first: f64,
    pp: Spread,
    tg: Spread,
    pp_tokens: usize,
    tg_tokens: usize,
}

/// The i-th scripted user message; all have the same shape and nearly the same token count.
pub fn scripted_message(i: usize) -> String {
    format!(
        "Question {i:02}: in two short sentences, describe one interesting fact about the number \
         {i:02} and why it matters."
    )
}

pub(crate) fn run_conversation(
    engine: &mut BlockingEngine,
    system: &str,
    turns: u32,
    reply_tokens: u32,
    reuse: bool,
) -> Result<Vec<Turn>> {
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: reply_tokens,
        seed: Some(1),
        ..SamplingParams::default()
    };
    let mut conversation = Conversation::new(system);
    let mut results = Vec::new();
    for i in 1..=turns as usize {
        conversation
            .messages
            .push(Message::user(scripted_message(i)));
        let reply = engine.generate(
            conversation.prompt_messages(),
            &sampling,
            false,
            reuse,
            |_| Flow::Continue,
        )?;
        conversation.messages.push(Message::assistant(reply.text));
        results.push(Turn {
            turn: i,
            prompt_tokens: reply.prompt_tokens,
            stats: reply.stats,
        });
    }
    Ok(results)
}

/// One row per turn; with a run without reuse, its figures sit beside the reused ones.
fn print_turns(turns: &[Turn], without_reuse: &[Turn]) {
    println!("multi-turn chat: time to first token (ms) and prompt tokens evaluated per turn");
    print!(
        "{:>4} {:>7} {:>9} {:>7} {:>9} {:>9}",
        "turn", "prompt", "evaluated", "reused", "ttft ms", "tg tok/s"
    );
    if without_reuse.is_empty() {
        println!();
    } else {
        println!(
            "  | no reuse: {:>9} {:>9} {:>9}",
            "evaluated", "ttft ms", "tg tok/s"
        );
    }
    for (i, t) in turns.iter().enumerate() {
        print!(
            "{:>4} {:>7} {:>9} {:>7} {:>9.1} {:>9.1}",
            t.turn,
            t.prompt_tokens,
            t.stats.prompt_tokens_evaluated,
            t.stats.prompt_tokens_reused,
            t.stats.time_to_first_token_ms,
            t.stats.generation_tokens_per_second
        );
        match without_reuse.get(i) {
            Some(o) => println!(
                "  |           {:>9} {:>9.1} {:>9.1}",
                o.stats.prompt_tokens_evaluated,
                o.stats.time_to_first_token_ms,
                o.stats.generation_tokens_per_second
            ),
            None => println!(),
        }
    }
}

pub fn run(setup: &Setup, args: &BenchArgs) -> Result<()> {
    if let Some(target) = setup.remote()? {
        return crate::bench_remote::run(setup, args, target);
    }
    let model_path = setup.model_path()?;
    let mut engine = BlockingEngine::start()?;
    let model = engine.load(&model_path, &setup.config.model, &setup.template(), |_| {})?;
    let system = setup.config.system_prompt.clone();
    // One unmeasured run first, as llama-bench does: caches, mapped pages and thread pools warm
    // up, so turn 1 is not charged for a cold start.
    engine.bench(args.pp.min(64), args.tg.min(16))?;
    let turns = run_conversation(&mut engine, &system, args.turns, args.reply_tokens, true)?;
    let turns_without_reuse = if args.compare_no_reuse {
        run_conversation(&mut engine, &system, args.turns, args.reply_tokens, false)?
    } else {
        Vec::new()
    };
    let mut pp = Vec::new();
    let mut tg = Vec::new();
    let mut last = BenchResult {
        prompt_tokens: 0,
        prompt_tokens_per_second: 0.0,
        gen_tokens: 0,
        gen_tokens_per_second: 0.0,
    };
    for _ in 0..args.reps {
        last = engine.bench(args.pp, args.tg)?;
        pp.push(last.prompt_tokens_per_second);
        tg.push(last.gen_tokens_per_second);
    }
    let ttft = |t: Option<&Turn>| t.map_or(0.0, |t| t.stats.time_to_first_token_ms);
    let first = ttft(turns.first());
    let report = Report {
        ttft_last_over_first: if first > 0.0 {
            ttft(turns.last()) / first
        } else {
            0.0
        },
        model,
        turns,
        turns_without_reuse,
        pp: Spread::of(pp),
        tg: Spread::of(tg),
        pp_tokens: last.prompt_tokens,
        tg_tokens: last.gen_tokens,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let m = &report.model;
    println!(
        "model {} ({}, {}), threads {}, ctx {}, batch {}, flash attention {}",
        m.name,
        m.quantization,
        m.architecture,
        m.threads,
        m.ctx_size,
        m.batch_size,
        m.flash_attention
    );
    print_turns(&report.turns, &report.turns_without_reuse);
    println!(
        "time to first token, last turn / first turn: {:.2}",
        report.ttft_last_over_first
    );
    println!(
        "pp{}: {:.1} ± {:.1} tok/s",
        report.pp_tokens, report.pp.mean, report.pp.stddev
    );
    println!(
        "tg{}: {:.1} ± {:.1} tok/s",
        report.tg_tokens, report.tg.mean, report.tg.stddev
    );
    Ok(())
}
