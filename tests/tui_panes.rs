//! Every pane of the chat screen in English and Simplified Chinese, at 80x24, 120x40 and a tiny
//! 20x6, as snapshots on ratatui's test backend. The language is set per thread
//! (`i18n::with_language`), so both languages render in one process without a global.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ggchat::chat::Conversation;
use ggchat::engine::{EngineEvent, EngineLink};
use ggchat::i18n::{Lang, with_language};
use ggchat::params::SamplingParams;
use ggchat::paths::Paths;
use ggchat::tui::app::{App, Startup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "tui_support/mod.rs"]
mod tui_support;
use tui_support::{model_info, screen_text};

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
    screen_text(terminal.backend().buffer())
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

/// At 80x24 the help has more rows than fit: PgDn scrolls to the last one (quit) instead of
/// closing the help, and another key still closes it.
#[test]
fn the_help_scrolls_when_the_window_is_too_short() {
    with_language(Lang::En, || {
        let mut app = app();
        app.handle_key(KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE));
        let top = screen(&mut app, 80, 24);
        assert!(!top.contains("Ctrl+Q"), "{top}");
        app.handle_key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
        assert!(app.pane().is_some(), "PgDn closed the help");
        let bottom = screen(&mut app, 80, 24);
        assert!(
            bottom.contains("Ctrl+Q") && bottom.contains("quit"),
            "{bottom}"
        );
        app.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        assert!(app.pane().is_none(), "a key did not close the help");
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

/// A chat whose models folder (under `root`) holds the default model, and whose Hugging Face
/// endpoint is a port nothing listens on: the listing and the download the keys start fail in
/// the background, unseen, while the test feeds the events it wants shown.
fn app_with_a_model(root: &std::path::Path) -> App {
    let models = root.join("data/models");
    std::fs::create_dir_all(&models).unwrap();
    let model = std::path::PathBuf::from(
        std::env::var("GGCHAT_TEST_MODELS")
            .expect("GGCHAT_TEST_MODELS names the test models folder (scripts/test.sh sets it)"),
    )
    .join("SmolLM2-135M-Instruct.Q4_1.gguf");
    std::os::unix::fs::symlink(model, models.join("SmolLM2-135M-Instruct.Q4_1.gguf")).unwrap();
    let mut config = ggchat::config::Config::default();
    config.pull.hf_endpoint = Some("http://127.0.0.1:9".into());
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::start(
        EngineLink::new(tx),
        Startup {
            paths: Paths::under(root),
            config,
            ..Startup::new(Conversation::new("Be brief."), SamplingParams::default())
        },
    );
    app.loading(1, "SmolLM2".into());
    app.handle_engine(EngineEvent::ModelLoaded {
        id: 1,
        info: model_info(),
    });
    app
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn picker_mode(app: &App) -> &'static str {
    app.pane()
        .and_then(|p| {
            p.as_any()
                .downcast_ref::<ggchat::tui::panes::models::ModelsPane>()
        })
        .map_or("closed", |p| p.mode())
}

/// The screen with the temporary folder's name replaced, so snapshots are the same every run.
fn stable_screen(app: &mut App, root: &std::path::Path) -> String {
    screen(app, 110, 22).replace(&root.display().to_string(), "/TMP")
}

/// The picker's pull (the repo typed, its models to choose from, the download's progress in the
/// picker and the status bar, cancelling) and delete (the confirmation, "no" keeps the file,
/// "yes" removes it), in English and Chinese.
#[test]
fn the_model_picker_pulls_and_deletes() {
    use ggchat::pull::job::PullEvent;
    use ggchat::pull::progress::Snapshot;
    use ggchat::pull::spec::{ModelOption, PullSpec};
    for (lang, tag, cancelled, kept, deleted) in [
        (Lang::En, "en", ".part file stays", "kept", "deleted"),
        (Lang::ZhCn, "zh_cn", ".part 文件保留", "已保留", "已删除"),
    ] {
        with_language(lang, || {
            let root = tempfile::Builder::new().prefix("panes").tempdir().unwrap();
            let mut app = app_with_a_model(root.path());
            press(&mut app, KeyCode::F(3));
            press(&mut app, KeyCode::Char('p'));
            assert_eq!(picker_mode(&app), "repo");
            let repo = "bartowski/Qwen2.5-0.5B-Instruct-GGUF";
            app.handle_paste(repo);
            for c in ":Q4".chars() {
                press(&mut app, KeyCode::Char(c));
            }
            press(&mut app, KeyCode::Backspace);
            press(&mut app, KeyCode::Backspace);
            press(&mut app, KeyCode::Backspace);
            insta::assert_snapshot!(
                format!("pull_input_{tag}"),
                stable_screen(&mut app, root.path())
            );
            press(&mut app, KeyCode::Enter);
            assert_eq!(picker_mode(&app), "listing");

            let options = vec![
                ModelOption {
                    path: "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf".into(),
                    size: 491_400_032,
                    parts: 1,
                },
                ModelOption {
                    path: "Q8_0/Qwen2.5-0.5B-Instruct-Q8_0-00001-of-00002.gguf".into(),
                    size: 675_710_816,
                    parts: 2,
                },
            ];
            app.handle_pull_event(PullEvent::Listed {
                spec: PullSpec::parse(repo).unwrap(),
                result: Ok(options),
            });
            assert_eq!(picker_mode(&app), "choose");
            insta::assert_snapshot!(
                format!("pull_choose_{tag}"),
                stable_screen(&mut app, root.path())
            );

            // The split model, as one entry: downloading starts, and its progress shows.
            press(&mut app, KeyCode::Down);
            press(&mut app, KeyCode::Enter);
            let job = app.pull_status().expect("a download started").job;
            assert_eq!(
                app.pull_status().unwrap().name,
                "Qwen2.5-0.5B-Instruct-Q8_0-00001-of-00002.gguf"
            );
            app.handle_pull_event(PullEvent::Progress {
                job,
                snapshot: Snapshot {
                    done: 52_428_800,
                    total: 675_710_816,
                    rate: 12_582_912,
                    left: Some(std::time::Duration::from_secs(49)),
                },
            });
            insta::assert_snapshot!(
                format!("pull_progress_{tag}"),
                stable_screen(&mut app, root.path())
            );
            press(&mut app, KeyCode::Char('c'));
            assert!(app.pull_status().is_none());
            let notice = app.notice().unwrap().text.clone();
            assert!(notice.contains(cancelled), "{notice}");

            // Delete: asks first; any other key keeps the file, `y` deletes it.
            let file = root
                .path()
                .join("data/models/SmolLM2-135M-Instruct.Q4_1.gguf");
            press(&mut app, KeyCode::Char('d'));
            assert_eq!(picker_mode(&app), "confirm");
            insta::assert_snapshot!(
                format!("delete_confirm_{tag}"),
                stable_screen(&mut app, root.path())
            );
            press(&mut app, KeyCode::Char('n'));
            assert!(file.symlink_metadata().is_ok(), "kept");
            assert!(app.notice().unwrap().text.contains(kept));
            press(&mut app, KeyCode::Char('d'));
            press(&mut app, KeyCode::Char('y'));
            assert!(file.symlink_metadata().is_err(), "deleted");
            assert!(app.notice().unwrap().text.contains(deleted));
            let entries = app
                .pane()
                .and_then(|p| {
                    p.as_any()
                        .downcast_ref::<ggchat::tui::panes::models::ModelsPane>()
                })
                .unwrap()
                .entries()
                .len();
            assert_eq!(entries, 0, "the list was refreshed");
        });
    }
}

/// A listing that fails is a notice in the interface language, and the typed repo stays to be
/// corrected.
#[test]
fn a_failed_listing_is_a_notice_and_the_repo_stays() {
    use ggchat::pull::PullError;
    use ggchat::pull::job::PullEvent;
    use ggchat::pull::spec::PullSpec;
    with_language(Lang::ZhCn, || {
        let root = tempfile::tempdir().unwrap();
        let mut app = app_with_a_model(root.path());
        press(&mut app, KeyCode::F(3));
        press(&mut app, KeyCode::Char('p'));
        app.handle_paste("nobody/nothing");
        press(&mut app, KeyCode::Enter);
        app.handle_pull_event(PullEvent::Listed {
            spec: PullSpec::parse("nobody/nothing").unwrap(),
            result: Err(PullError::NoGguf {
                repo: "nobody/nothing".into(),
                files: "README.md".into(),
            }),
        });
        let notice = app.notice().unwrap();
        assert!(notice.is_error && notice.text.contains("nobody/nothing"));
        assert!(
            !notice.text.contains("has no .gguf file"),
            "{}",
            notice.text
        );
        assert_eq!(picker_mode(&app), "repo");
        assert!(stable_screen(&mut app, root.path()).contains("nobody/nothing"));
    });
}

/// A download that fails in the background is a notice in the interface language, and the
/// picker can start another.
#[test]
fn a_failed_download_is_a_localized_notice() {
    use ggchat::pull::PullError;
    use ggchat::pull::job::PullEvent;
    use ggchat::pull::spec::{ModelOption, PullSpec};
    with_language(Lang::ZhCn, || {
        let root = tempfile::tempdir().unwrap();
        let mut app = app_with_a_model(root.path());
        press(&mut app, KeyCode::F(3));
        for error in [
            PullError::Checksum {
                file: "x.gguf".into(),
                expected: "aa".into(),
                actual: "bb".into(),
            },
            PullError::DiskFull {
                path: "/m/x.gguf.part".into(),
                dir: "/m".into(),
            },
        ] {
            press(&mut app, KeyCode::Char('p'));
            app.handle_paste("o/r");
            press(&mut app, KeyCode::Enter);
            app.handle_pull_event(PullEvent::Listed {
                spec: PullSpec::parse("o/r").unwrap(),
                result: Ok(vec![ModelOption {
                    path: "x.gguf".into(),
                    size: 10,
                    parts: 1,
                }]),
            });
            press(&mut app, KeyCode::Enter);
            let job = app.pull_status().expect("started").job;
            let english = error.to_string();
            app.handle_pull_event(PullEvent::Finished {
                job,
                result: Err(error),
            });
            assert!(app.pull_status().is_none());
            let notice = app.notice().unwrap();
            assert!(notice.is_error, "{}", notice.text);
            assert_ne!(notice.text, english, "worded in Chinese");
            assert!(notice.text.contains("x.gguf"), "{}", notice.text);
        }
    });
}

/// The monitor pane (F5) with injected figures: three replies, a fixed process reading.
fn app_with_figures() -> App {
    use ggchat::chat::ReplyStats;
    use ggchat::monitor::{Monitor, ProcessFigures};
    let mut app = app();
    *app.monitor_mut() = Monitor::with_process(ProcessFigures {
        rss_bytes: Some(254 * 1024 * 1024),
        peak_rss_bytes: Some(301 * 1024 * 1024),
        threads: Some(7),
        cpu_percent: Some(85.4),
        cores: 2,
    });
    app.monitor_mut().set_model(&model_info());
    for (i, tps) in [38.0, 44.5, 41.2, 47.9].into_iter().enumerate() {
        app.monitor_mut().record_reply(&ReplyStats {
            prompt_tokens_evaluated: 30 + i,
            prompt_tokens_reused: 100 * i,
            generated_tokens: 60,
            generation_tokens_per_second: tps,
            time_to_first_token_ms: 120.0 + 40.0 * i as f64,
            context_used: 200 + 100 * i,
            ..ReplyStats::default()
        });
    }
    app
}

#[test]
fn the_monitor_pane() {
    for (lang, tag) in [(Lang::En, "en"), (Lang::ZhCn, "zh")] {
        with_language(lang, || {
            let mut app = app_with_figures();
            app.handle_key(KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE));
            assert!(app.pane().is_some(), "F5 did not open the monitor");
            insta::assert_snapshot!(format!("monitor_{tag}_80x24"), screen(&mut app, 80, 24));
            for (w, h) in [(0, 0), (1, 1), (20, 6), (7, 40)] {
                screen(&mut app, w, h);
            }
            app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            assert!(app.pane().is_none(), "Esc did not close the monitor");
        });
    }
}

/// A remote backend: what the server cannot tell reads "n/a", never 0.
#[test]
fn the_monitor_pane_on_a_remote_backend() {
    use ggchat::chat::{RemoteStats, ReplyStats};
    with_language(Lang::En, || {
        let mut app = app_with_figures();
        let mut info = model_info();
        info.remote = Some(ggchat::engine::RemoteModel {
            backend: None,
            url: "http://127.0.0.1:8080".into(),
            model: "remote-model".into(),
            offered: Vec::new(),
        });
        info.ctx_size = 0;
        app.monitor_mut().set_model(&info);
        app.monitor_mut().record_reply(&ReplyStats {
            prompt_tokens_evaluated: 12,
            generated_tokens: 20,
            generation_tokens_per_second: 30.0,
            time_to_first_token_ms: 300.0,
            remote: Some(RemoteStats::default()),
            ..ReplyStats::default()
        });
        app.handle_key(KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE));
        insta::assert_snapshot!("monitor_remote_en_80x24", screen(&mut app, 80, 24));
    });
}

/// The pane's per-session totals start again with a new chat and with an opened session; the
/// speed history stays.
#[test]
fn the_monitor_totals_reset_with_a_new_chat_and_an_opened_session() {
    use ggchat::store::Session;
    let mut app = app_with_figures();
    assert_eq!(app.monitor().totals().replies, 4);
    app.handle_key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL));
    assert_eq!(
        app.monitor().totals().replies,
        0,
        "a new chat kept the totals"
    );
    assert_eq!(app.monitor().totals().tokens_out, 0);
    assert_eq!(app.monitor().replies().len(), 4, "the speed history went");

    let mut app = app_with_figures();
    let session = Session::new("Be brief.", SamplingParams::default(), Default::default());
    app.restore(session);
    assert_eq!(
        app.monitor().totals().replies,
        0,
        "an opened session kept the totals"
    );
    assert_eq!(app.monitor().totals().tokens_in, 0);
}
