//! Measures whether llama.cpp gives a sequence the same logits when it decodes tokens one at a
//! time and when it decodes them as one batch (what speculative decoding's verification relies
//! on for a reply to be unchanged), with flash attention on and off.
//!
//! `cargo run --example batch_invariance -- MODEL [on|off] [threads]`

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use std::num::NonZeroU32;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("MODEL path");
    let flash = args.get(2).map(String::as_str) != Some("off");
    let threads: i32 = args.get(3).map_or(2, |t| t.parse().expect("threads"));
    let mut backend = LlamaBackend::init()?;
    backend.void_logs();
    let model = LlamaModel::load_from_file(&backend, path, &LlamaModelParams::default())?;
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(2048))
        .with_n_batch(512)
        .with_n_ubatch(512)
        .with_n_threads(threads)
        .with_n_threads_batch(threads)
        .with_flash_attention_policy(if flash {
            llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_ENABLED
        } else {
            llama_cpp_sys_2::LLAMA_FLASH_ATTN_TYPE_DISABLED
        });
    let mut ctx = model.new_context(&backend, params)?;
    let text = include_str!("../tests/fixtures/speculation/code.txt");
    let tokens = model.vocab().tokenize(text.as_bytes(), true, true);
    let n_vocab = model.n_vocab() as usize;
    let mut worst = 0f32;
    let mut argmax_differs = 0;
    let mut compared = 0;
    for start in [40usize, 120, 200, 300] {
        let draft = &tokens[start..start + 8];
        ctx.clear_kv_cache();
        let mut batch = LlamaBatch::new(512, 1);
        for (pos, &t) in tokens[..start].iter().enumerate() {
            batch.add(t, pos as i32, &[0], pos + 1 == start)?;
        }
        ctx.decode(&mut batch)?;
        let mut single = Vec::new();
        for (j, &t) in draft.iter().enumerate() {
            batch.clear();
            batch.add(t, (start + j) as i32, &[0], true)?;
            ctx.decode(&mut batch)?;
            single.push(ctx.get_logits_ith(0)[..n_vocab].to_vec());
        }
        ctx.clear_kv_cache_seq(Some(0), Some(start as u32), None)?;
        batch.clear();
        for (j, &t) in draft.iter().enumerate() {
            batch.add(t, (start + j) as i32, &[0], true)?;
        }
        ctx.decode(&mut batch)?;
        for (j, one) in single.iter().enumerate() {
            let many = ctx.get_logits_ith(j as i32);
            let diff = one
                .iter()
                .zip(many)
                .map(|(a, b)| (a - b).abs())
                .fold(0f32, f32::max);
            worst = worst.max(diff);
            let argmax = |l: &[f32]| {
                l.iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map(|(i, _)| i)
            };
            argmax_differs += usize::from(argmax(one) != argmax(&many[..n_vocab]));
            compared += 1;
        }
    }
    println!(
        "flash {}: {compared} positions, largest logit difference {worst:e}, argmax differs at {argmax_differs}",
        if flash { "on" } else { "off" }
    );
    Ok(())
}
