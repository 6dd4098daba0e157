//! `ggchat bench`: what a chat costs, turn by turn, and speed in `llama-bench`'s terms.
//!
//! The headline pp/tg figures go through the path every reply takes: a `Generate` request with
//! the configured sampling settings (the sampler chain, the detokenizer, streamed `Token` events
//! read by this thread), shaped like `llama-bench` (a fixed prompt from an empty cache for pp, and
//! exactly `tg` tokens for tg, end-of-generation tokens not stopping it). The raw row is the
//! decode loop alone (no sampling, no text), `llama-bench`'s own terms; the two rows apart show
//! what sampling and streaming cost.
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
use anyhow::{Context as _, Result, bail};
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
    /// The real path (see the module docs).
    pp: Spread,
    tg: Spread,
    /// The decode loop alone.
    raw_pp: Spread,
    raw_tg: Spread,
    pp_tokens: usize,
    tg_tokens: usize,
    /// The settings of the real path.
    sampling: SamplingParams,
}

/// One repetition of the real path: (pp tok/s, tg tok/s).
fn real_path(
    engine: &mut BlockingEngine,
    sampling: &SamplingParams,
    pp: usize,
    tg: usize,
) -> Result<(usize, f64, f64)> {
    let prompt = engine
        .bench_generate(
            pp,
            &SamplingParams {
                max_tokens: 1,
                ..sampling.clone()
            },
        )
        .context("the pp run of the real path failed")?;
    let evaluated = prompt.stats.prompt_tokens_evaluated;
    if evaluated == 0 || evaluated > pp {
        bail!("the pp run evaluated {evaluated} prompt tokens instead of {pp}");
    }
    let max_tokens = u32::try_from(tg).context("--tg is too large")?;
    let reply = engine
        .bench_generate(
            1,
            &SamplingParams {
                max_tokens,
                ..sampling.clone()
            },
        )
        .context("the tg run of the real path failed")?;
    if reply.stats.generated_tokens != tg {
        bail!(
            "the tg run generated {} tokens instead of {tg} (stopped: {:?}); is the context too small?",
            reply.stats.generated_tokens,
            reply.stats.stop_reason
        );
    }
    Ok((
        evaluated,
        measured("pp (real path)", prompt.stats.prompt_tokens_per_second)?,
        measured("tg (real path)", reply.stats.generation_tokens_per_second)?,
    ))
}

/// A speed that is a real measurement: a failure is an error, never a 0 in a table.
fn measured(what: &str, tokens_per_second: f64) -> Result<f64> {
    if tokens_per_second.is_finite() && tokens_per_second > 0.0 {
        Ok(tokens_per_second)
    } else {
        bail!("{what}: no speed was measured ({tokens_per_second} tok/s)")
    }
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
    let mut engine = BlockingEngine::start_guarded(setup.guard()?, setup.thinking()?)?;
    let model = engine.load(&model_path, &setup.config.model, &setup.template(), |_| {})?;
    let system = setup.config.system_prompt.clone();
    // The settings a reply uses, minus stop strings (a random prompt may contain one).
    let sampling = SamplingParams {
        stop: Vec::new(),
        ..setup.config.sampling.clone()
    };
    if args.pp == 0 || args.tg == 0 {
        bail!("--pp and --tg must be at least 1");
    }
    // One unmeasured run first, as llama-bench does: caches, mapped pages and thread pools warm
    // up, so turn 1 is not charged for a cold start.
    engine.bench(args.pp.min(64), args.tg.min(16))?;
    real_path(&mut engine, &sampling, args.pp.min(64), args.tg.min(16))?;
    let turns = run_conversation(&mut engine, &system, args.turns, args.reply_tokens, true)?;
    let turns_without_reuse = if args.compare_no_reuse {
        run_conversation(&mut engine, &system, args.turns, args.reply_tokens, false)?
    } else {
        Vec::new()
    };
    let (mut pp, mut tg, mut raw_pp, mut raw_tg) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut pp_tokens = 0;
    let mut raw = |engine: &mut BlockingEngine| -> Result<BenchResult> {
        let r = engine.bench(args.pp, args.tg)?;
        raw_pp.push(measured("pp (raw loop)", r.prompt_tokens_per_second)?);
        raw_tg.push(measured("tg (raw loop)", r.gen_tokens_per_second)?);
        Ok(r)
    };
    let mut last = None;
    for rep in 0..args.reps {
        // Alternate the order so that load drifting over a repetition falls on both alike.
        if rep % 2 == 1 {
            last = Some(raw(&mut engine)?);
        }
        let (evaluated, p, t) = real_path(&mut engine, &sampling, args.pp, args.tg)?;
        pp_tokens = evaluated;
        pp.push(p);
        tg.push(t);
        if rep % 2 == 0 {
            last = Some(raw(&mut engine)?);
        }
    }
    let last = last.context("no repetition ran (--reps 0)")?;
    if last.prompt_tokens != pp_tokens {
        bail!(
            "the real path evaluated {pp_tokens} prompt tokens, the raw loop {}",
            last.prompt_tokens
        );
    }
    let first = turns.first().map(|t| t.stats.time_to_first_token_ms);
    let last_turn = turns.last().map(|t| t.stats.time_to_first_token_ms);
    let (Some(first), Some(last_turn)) = (first, last_turn) else {
        bail!("the scripted conversation ran no turn");
    };
    measured("time to first token of turn 1", first)?;
    let report = Report {
        ttft_last_over_first: last_turn / first,
        model,
        turns,
        turns_without_reuse,
        pp: Spread::of(pp),
        tg: Spread::of(tg),
        raw_pp: Spread::of(raw_pp),
        raw_tg: Spread::of(raw_tg),
        pp_tokens,
        tg_tokens: last.gen_tokens,
        sampling,
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
        "{:<40} {:>18} {:>18}",
        "speed (tok/s, mean ± sd)",
        format!("pp{}", report.pp_tokens),
        format!("tg{}", report.tg_tokens)
    );
    let row = |name: &str, pp: &Spread, tg: &Spread| {
        println!(
            "{name:<40} {:>18} {:>18}",
            format!("{:.1} ± {:.1}", pp.mean, pp.stddev),
            format!("{:.1} ± {:.1}", tg.mean, tg.stddev)
        );
    };
    row("real path (sampling, text, events)", &report.pp, &report.tg);
    row(
        "raw decode loop (llama-bench's terms)",
        &report.raw_pp,
        &report.raw_tg,
    );
    Ok(())
}
