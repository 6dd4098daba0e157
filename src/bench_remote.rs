//! `ggchat bench --backend`: generation figures of a remote server as ggchat's remote engine
//! measures them, beside the server's own (llama-server's `timings.predicted_per_second`) for the
//! same request, turn by turn. A server's prompt speed and KV reuse are its own business: they
//! are printed when it reports them and marked n/a otherwise.

use crate::bench::{Turn, run_conversation};
use crate::cli::BenchArgs;
use crate::engine::blocking::BlockingEngine;
use crate::remote::RemoteTarget;
use crate::setup::Setup;
use anyhow::Result;

fn opt(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |v| format!("{v:.1}"))
}

pub fn run(setup: &Setup, args: &BenchArgs, target: RemoteTarget) -> Result<()> {
    let mut engine = BlockingEngine::start()?;
    let model = engine.connect(target)?;
    let system = setup.config.system_prompt.clone();
    let turns = run_conversation(&mut engine, &system, args.turns, args.reply_tokens, true)?;
    if args.json {
        let report = serde_json::json!({
            "model": crate::ask::model_json(&model)?,
            "turns": turns.iter().map(|t| Ok(serde_json::json!({
                "turn": t.turn,
                "prompt_tokens": t.prompt_tokens,
                "stats": crate::ask::stats_json(&t.stats)?,
            }))).collect::<Result<Vec<_>>>()?,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let url = model.remote.as_ref().map_or("", |r| r.url.as_str());
    println!("remote model {} at {url}", model.name);
    print_turns(&turns);
    Ok(())
}

fn print_turns(turns: &[Turn]) {
    println!(
        "{:>4} {:>7} {:>9} {:>7} {:>9} {:>11} {:>11} {:>6}",
        "turn", "prompt", "generated", "cached", "ttft ms", "tg ggchat", "tg server", "ratio"
    );
    let mut ratios = Vec::new();
    for t in turns {
        let remote = t.stats.remote.clone().unwrap_or_default();
        let ours = t.stats.generation_tokens_per_second;
        let theirs = remote.server_generation_tokens_per_second;
        let ratio = theirs.filter(|s| *s > 0.0).map(|s| ours / s);
        ratios.extend(ratio);
        println!(
            "{:>4} {:>7} {:>9} {:>7} {:>9.1} {:>11.1} {:>11} {:>6}",
            t.turn,
            t.prompt_tokens,
            t.stats.generated_tokens,
            remote.cached_tokens.map_or("n/a".into(), |c| c.to_string()),
            t.stats.time_to_first_token_ms,
            ours,
            opt(theirs),
            ratio.map_or("n/a".into(), |r| format!("{r:.3}")),
        );
    }
    if !ratios.is_empty() {
        let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
        println!("generation speed measured by ggchat / the server's own: {mean:.3} (mean of {} turns)", ratios.len());
    }
}
