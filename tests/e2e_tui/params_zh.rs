//! The settings pane in Simplified Chinese (`--lang zh-CN`): the help column comes translated
//! from the parameter table, the parameter names (config keys) do not change, and the pane is
//! measured in display width, so double-width help fits on one line when the terminal is wide
//! enough and every row ends at the same column.

use crate::common::TempHome;
use crate::harness::*;
use ggchat::i18n::{Lang, with_language};
use ggchat::params::PARAMS;
use std::sync::Arc;

const F2: &[u8] = b"\x1bOQ";

#[test]
fn the_settings_pane_in_chinese_keeps_names_and_columns() {
    let _turn = serial();
    let home = Arc::new(TempHome::new());
    let mut tui = Tui::start_env(home, 120, 30, &["--lang", "zh-CN"], &[]);
    // The status bar is in Chinese too: "ready" is 就绪 there.
    let ready = format!(
        "│ {} ",
        ggchat::i18n::text_in(Lang::ZhCn, "tui-status-ready", &[])
    );
    tui.wait_for("the model to be ready", FIRST_ANSWER, |s| {
        status(s).contains(&ready)
    })
    .unwrap();
    tui.send(F2);
    let screen = tui
        .wait_for("the settings pane in Chinese", UI, |s| {
            s.contains("lora_scale") && s.contains("LoRA 强度")
        })
        .unwrap();
    let parser = tui.parser();
    let terminal = parser.screen();
    let (rows, cols) = terminal.size();
    let mut right_borders = Vec::new();
    for param in PARAMS {
        let help = with_language(Lang::ZhCn, || param.pane_help());
        assert!(help.chars().any(|c| c > '\u{2e80}'), "not Chinese: {help}");
        // The whole help on the row that names the parameter: nothing wrapped.
        let row = (0..rows)
            .find(|&r| {
                let text = terminal.contents_between(r, 0, r, cols);
                text.split_whitespace().any(|w| w == param.name)
            })
            .unwrap_or_else(|| panic!("no row for {}:\n{screen}", param.name));
        let text = terminal.contents_between(row, 0, row, cols);
        assert!(
            text.contains(&help),
            "{} help cut or wrapped:\n{screen}",
            param.name
        );
        let border = (0..cols)
            .rev()
            .find(|&c| {
                terminal
                    .cell(row, c)
                    .is_some_and(|cell| cell.contents() == "│")
            })
            .unwrap();
        right_borders.push((param.name, border));
    }
    let first = right_borders[0].1;
    assert!(
        right_borders.iter().all(|(_, c)| *c == first),
        "rows end at different columns {right_borders:?}:\n{screen}"
    );
    drop(parser);
    // Esc alone (a pause after it): Esc then Ctrl+Q in one read is Alt+Ctrl+Q.
    tui.esc();
    tui.send(CTRL_Q);
    tui.wait_exit(EXIT).unwrap();
}
