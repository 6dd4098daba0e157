//! Every pane of the chat screen in English and Simplified Chinese, at 80x24, 120x40 and a tiny
//! 20x6, as snapshots on ratatui's test backend. The language is set per thread
//! (`i18n::with_language`), so both languages render in one process without a global.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ggchat::chat::Conversation;
use ggchat::engine::{EngineEvent, EngineLink, ModelInfo, TemplateSource};
use ggchat::i18n::{Lang, with_language};
use ggchat::params::SamplingParams;
use ggchat::paths::Paths;
use ggchat::tui::app::{App, Startup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn model_info() -> ModelInfo {
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
        load_ms: 80.0,
        remote: None,
    }
}

/// A chat with a ready model and folders that do not exist (so the model list is the same on
/// every machine).
fn app() -> App {
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::start(
        EngineLink::new(tx),
        Startup {
            paths: Paths::under(std::path::Path::new("/nonexistent/ggchat")),
            ..Startup::new(
                Conversation::new("You are a helpful, concise assistant."),
                SamplingParams::default(),
            )
        },
    );
    app.loading(1, "SmolLM2".into());
    app.handle_engine(EngineEvent::ModelLoaded {
        id: 1,
        info: model_info(),
    });
    app
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut x = 0;
        // A wide character covers two cells; the second is not a character of its own.
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

const PANES: [(&str, KeyCode, KeyModifiers); 6] = [
    ("help", KeyCode::F(1), KeyModifiers::NONE),
    ("settings", KeyCode::F(2), KeyModifiers::NONE),
    ("models", KeyCode::F(3), KeyModifiers::NONE),
    ("sessions", KeyCode::F(4), KeyModifiers::NONE),
    ("system_prompt", KeyCode::Char('s'), KeyModifiers::CONTROL),
    ("personas", KeyCode::Char('p'), KeyModifiers::CONTROL),
];

fn snapshots(lang: Lang, tag: &str) {
    with_language(lang, || {
        for (pane, code, modifiers) in PANES {
            let mut app = app();
            app.handle_key(KeyEvent::new(code, modifiers));
            assert!(app.pane().is_some(), "{pane} did not open");
            for (w, h) in [(80, 24), (120, 40), (20, 6)] {
                let text = screen(&mut app, w, h);
                insta::assert_snapshot!(format!("{pane}_{tag}_{w}x{h}"), text);
            }
            for (w, h) in [(0, 0), (1, 1), (3, 1), (7, 40)] {
                screen(&mut app, w, h);
            }
            app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            assert!(app.pane().is_none(), "{pane} did not close on Esc");
        }
    });
}

#[test]
fn every_pane_in_english() {
    snapshots(Lang::En, "en");
}

#[test]
fn every_pane_in_simplified_chinese() {
    snapshots(Lang::ZhCn, "zh_cn");
}

/// The Chinese status bar and settings pane: the words are Chinese, and no English of the
/// localized parts is left.
#[test]
fn the_chinese_ui_says_it_in_chinese() {
    with_language(Lang::ZhCn, || {
        let mut app = app();
        let text = screen(&mut app, 100, 12);
        for chinese in ["就绪", "上下文 0/4096", "F1 帮助", "新对话", "消息"] {
            assert!(text.contains(chinese), "{chinese:?} missing:\n{text}");
        }
        for english in ["ready", "F1 help", "new chat", "Message"] {
            assert!(!text.contains(english), "{english:?} left:\n{text}");
        }
        app.handle_key(KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE));
        let text = screen(&mut app, 120, 30);
        assert!(text.contains("设置 — Enter 编辑"), "{text}");
        // Notices from the chat's actions, too.
        app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        app.handle_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
        assert_eq!(
            app.notice().map(|n| n.text.as_str()),
            Some("没有可重新生成的回复")
        );
    });
}

/// Picking a persona sets its system prompt and closes the picker.
#[test]
fn the_persona_picker() {
    let mut app = app();
    app.handle_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
    app.handle_key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(app.pane().is_none());
    assert_eq!(
        app.conversation().system_prompt,
        ggchat::chat::personas::built_in()[1].system_prompt
    );
}
