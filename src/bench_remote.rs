//! `ggchat bench --backend`: generation figures of a remote server as ggchat's remote engine
//! measures them, beside the server's own (llama-server's `timings.predicted_per_second`) for the
//! same request, turn by turn, then the time to first token ggchat adds over a bare HTTP client.
//! A server's prompt speed and KV reuse are its own business: they
//! are printed when it reports them and marked n/a otherwise.

use crate::bench::{Turn, run_conversation};
use crate::chat::Message;
use crate::cli::BenchArgs;
use crate::engine::blocking::{BlockingEngine, Flow};
use crate::params::SamplingParams;
use crate::remote::RemoteTarget;
use crate::remote::protocol::ChatRequest;
use crate::setup::Setup;
use anyhow::Result;
use futures::StreamExt;
use std::time::Instant;

fn opt(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |v| format!("{v:.1}"))
}

pub fn run(setup: &Setup, args: &BenchArgs, target: RemoteTarget) -> Result<()> {
    let mut engine = BlockingEngine::start()?;
    let target_again = target.clone();
    let model = engine.connect(target)?;
    let system = setup.config.system_prompt.clone();
    let turns = run_conversation(&mut engine, &system, args.turns, args.reply_tokens, true)?;
    let ttft = ttft_overhead(&mut engine, &target_again, &model.name, args.reps)?;
    if args.json {
        let report = serde_json::json!({
            "model": crate::ask::model_json(&model)?,
            "turns": turns.iter().map(|t| Ok(serde_json::json!({
                "turn": t.turn,
                "prompt_tokens": t.prompt_tokens,
                "stats": crate::ask::stats_json(&t.stats)?,
            }))).collect::<Result<Vec<_>>>()?,
            "first_token": {
                "runs": ttft.runs,
                "ggchat_ms": ttft.ggchat_ms,
                "raw_client_ms": ttft.raw_ms,
                "added_ms": ttft.ggchat_ms - ttft.raw_ms,
                "ratio": ttft.ggchat_ms / ttft.raw_ms,
            },
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let url = model.remote.as_ref().map_or("", |r| r.url.as_str());
    println!("remote model {} at {url}", model.name);
    print_turns(&turns);
    println!(
        "time to first token, {} runs each, no prompt cache, alternating: ggchat {:.1} ms, \
         raw HTTP client {:.1} ms, ggchat adds {:.1} ms (ratio {:.3})",
        ttft.runs,
        ttft.ggchat_ms,
        ttft.raw_ms,
        ttft.ggchat_ms - ttft.raw_ms,
        ttft.ggchat_ms / ttft.raw_ms
    );
    Ok(())
}

/// Time to first token through ggchat's remote engine beside a bare HTTP client (first streamed
/// byte of content), so the cost ggchat adds (thread hops, SSE parsing, events) shows beside the
/// server's own latency. Both sides send `cache_prompt: false`, so neither finds the other's
/// prompt in llama-server's cache, and they take turns going first, so a warm-up or a load from
/// other work falls on both alike. A side that gets no token is an error, never a zero.
fn ttft_overhead(
    engine: &mut BlockingEngine,
    target: &RemoteTarget,
    model: &str,
    reps: u32,
) -> Result<FirstToken> {
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 8,
        seed: Some(1),
        ..SamplingParams::default()
    };
    let messages = vec![Message::user(crate::bench::scripted_message(1))];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let http = reqwest::Client::new();
    let mut request = ChatRequest::new(Some(model), &messages, &sampling);
    request.cache_prompt = Some(false);
    let body = serde_json::to_vec(&request)?;
    let url = format!("{}/chat/completions", target.base_url);
    let (mut ours, mut raw) = (Vec::new(), Vec::new());
    for rep in 0..reps.max(1) {
        let mut ggchat = || -> Result<f64> {
            let reply = engine.generate(messages.clone(), &sampling, false, false, |_| {
                Flow::Continue
            })?;
            let ms = reply.stats.time_to_first_token_ms;
            anyhow::ensure!(
                ms > 0.0 && !reply.text.is_empty(),
                "ggchat's remote engine got no token from {url}"
            );
            Ok(ms)
        };
        let bare = || runtime.block_on(bare_first_token(&http, &url, target, &body));
        if rep % 2 == 0 {
            ours.push(ggchat()?);
            raw.push(bare()?);
        } else {
            raw.push(bare()?);
            ours.push(ggchat()?);
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    Ok(FirstToken {
        runs: ours.len(),
        ggchat_ms: mean(&ours),
        raw_ms: mean(&raw),
    })
}

/// Mean times to first token, each side `runs` times.
struct FirstToken {
    runs: usize,
    ggchat_ms: f64,
    raw_ms: f64,
}

/// Milliseconds from sending `body` to the first chunk whose delta carries text (llama-server
/// opens with an empty `"content":""`, which is not a token).
async fn bare_first_token(
    http: &reqwest::Client,
    url: &str,
    target: &RemoteTarget,
    body: &[u8],
) -> Result<f64> {
    let started = Instant::now();
    let mut request = http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(key) = target.api_key() {
        request = request.bearer_auth(key);
    }
    let response = request.send().await?.error_for_status()?;
    let mut stream = response.bytes_stream();
    while let Some(bytes) = stream.next().await {
        let text = String::from_utf8_lossy(&bytes?).into_owned();
        if text
            .match_indices("\"content\":\"")
            .any(|(i, m)| !text[i + m.len()..].starts_with('"'))
        {
            return Ok(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    anyhow::bail!("the raw HTTP client got no token from {url}")
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
        println!(
            "generation speed measured by ggchat / the server's own: {mean:.3} (mean of {} turns)",
            ratios.len()
        );
    }
}
