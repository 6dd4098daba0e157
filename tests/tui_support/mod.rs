//! Shared fixtures of the screen tests (tui_views, tui_panes, tui_thinking): the loaded model they
//! pretend to have, and the test backend's buffer read as a terminal shows it.
#![allow(dead_code)]

use ggchat::engine::{ModelInfo, TemplateSource};
use ratatui::buffer::Buffer;

/// The default model as the engine reports it once loaded (figures fixed for stable snapshots).
pub fn model_info() -> ModelInfo {
    ModelInfo {
        path: "/models/SmolLM2-135M-Instruct.Q4_1.gguf".into(),
        name: "SmolLM2 135M Instruct".into(),
        architecture: "llama".into(),
        parameter_count: 134_515_008,
        quantization: "Q4_1".into(),
        file_size: 98_362_432,
        trained_ctx: 8192,
        ctx_size: 4096,
        batch_size: 512,
        threads: 2,
        gpu_layers: 0,
        offload: "CPU".into(),
        notice: None,
        flash_attention: "off".into(),
        template: TemplateSource::ModelBuiltin,
        generation_prompt: String::new(),
        thinking_prompts: None,
        load_ms: 80.0,
        remote: None,
    }
}

/// The buffer's text, line by line without trailing blanks. A wide character covers the cell
/// after it, which is not a character of its own.
pub fn screen_text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
