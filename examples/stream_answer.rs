//! Streams one answer from a GGUF model with the ggchat library.
//!
//! ```sh
//! cargo run --release --example stream_answer -- path/to/model.gguf "Why is the sky blue?"
//! ```

use ggchat::chat::Message;
use ggchat::engine::TemplateChoice;
use ggchat::engine::blocking::{BlockingEngine, Flow};
use ggchat::params::{ModelParams, SamplingParams};
use std::io::Write;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(model), Some(prompt)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: stream_answer MODEL.gguf PROMPT");
    };
    let mut engine = BlockingEngine::start()?;
    let info = engine.load(
        &PathBuf::from(model),
        &ModelParams::default(),
        &TemplateChoice::FromModel,
        |_| {},
    )?;
    eprintln!(
        "{} ({}, template: {})",
        info.name, info.quantization, info.template
    );
    let reply = engine.generate(
        vec![Message::user(prompt)],
        &SamplingParams::default(),
        false,
        true,
        |piece| {
            print!("{piece}");
            let _ = std::io::stdout().flush();
            Flow::Continue
        },
    )?;
    println!();
    eprintln!(
        "{} tokens at {:.1} tok/s, first token after {:.0} ms",
        reply.stats.generated_tokens,
        reply.stats.generation_tokens_per_second,
        reply.stats.time_to_first_token_ms
    );
    Ok(())
}
