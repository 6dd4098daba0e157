//! Measures what leaving the reasoning out of the history costs in KV-cache reuse: a 4-turn chat
//! with a template whose generation prompt opens `<think>` and a thinking budget (so each reply
//! has reasoning and an answer), once with `keep_in_history` off and once on, printing the prompt
//! tokens evaluated and reused per turn (docs/performance.md).
//!
//! ```sh
//! cargo run --release --example reasoning_reuse -- MODEL.gguf tests/fixtures/templates/chatml-think.jinja
//! ```

use ggchat::chat::Message;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::engine::{TemplateChoice, ThinkingConfig};
use ggchat::params::{ModelParams, SamplingParams};
use std::path::PathBuf;

const QUESTIONS: [&str; 4] = [
    "What is the capital of France?",
    "And of Italy?",
    "Which of the two is older?",
    "Name one river in each.",
];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(model), Some(template)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: reasoning_reuse MODEL.gguf TEMPLATE.jinja");
    };
    let sampling = SamplingParams {
        temperature: 0.0,
        max_tokens: 64,
        thinking_budget: Some(24),
        ..SamplingParams::default()
    };
    println!("keep_in_history | turn | evaluated | reused");
    for keep in [false, true] {
        let mut engine = BlockingEngine::start_guarded(
            None,
            ThinkingConfig {
                keep_in_history: keep,
                ..ThinkingConfig::default()
            },
        )?;
        engine.load(
            &PathBuf::from(&model),
            &ModelParams::default(),
            &TemplateChoice::Named(template.clone()),
            |_| {},
        )?;
        let mut messages = vec![Message::system("You are a helpful, concise assistant.")];
        let mut evaluated = 0;
        for (turn, question) in QUESTIONS.iter().enumerate() {
            messages.push(Message::user(*question));
            let mut reasoning = String::new();
            let reply = engine.generate_thinking(
                messages.clone(),
                &sampling,
                |piece| reasoning.push_str(piece),
                |_| Flow::Continue,
            )?;
            let stats = &reply.stats;
            println!(
                "{keep} | {} | {} | {}",
                turn + 1,
                stats.prompt_tokens_evaluated,
                stats.prompt_tokens_reused
            );
            if turn > 0 {
                evaluated += stats.prompt_tokens_evaluated;
            }
            let mut answer = Message::assistant(reply.text.clone());
            answer.reasoning = Some(reasoning);
            messages.push(answer);
        }
        println!("{keep} | turns 2-4 | {evaluated} evaluated |");
    }
    Ok(())
}
