//! Keys rebound in config.toml, in the real binary: the new key does the action, the old one no
//! longer does, the help (F1) shows the new binding, and a pane's own keys rebind too.

use crate::common::TempHome;
use crate::harness::*;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

const F1: &[u8] = b"\x1bOP";
const F2: &[u8] = b"\x1bOQ";
const CTRL_T: &[u8] = b"\x14";

const SETTINGS_TITLE: &str = "Settings — Enter edits";
const HELP_TITLE: &str = "Keys — any key closes";

/// The help row of an action, found by its text.
fn help_row<'a>(screen: &'a str, what: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(what))
}

#[test]
fn settings_rebound_from_f2_to_ctrl_t_opens_on_ctrl_t_only_and_the_help_says_so() {
    // Ctrl+T opens the settings, and in the settings pane Ctrl+T (not Esc or F2) closes them.
    let _turn = serial();
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        "[keys.chat]\nsettings = \"ctrl+t\"\n[keys.settings]\nclose = \"ctrl+t\"\n",
    )
    .unwrap();
    let mut tui = Tui::start_with(Arc::new(home), 100, 30, &[]);
    tui.wait_for("the model to be ready", FIRST_ANSWER, is_ready)
        .unwrap();

    // F2 first, then F1: had F2 opened the settings, F1 would go to that pane and no help would
    // show. Keys are handled in order, so once the help shows, F2 has been handled.
    tui.send(F2);
    thread::sleep(Duration::from_millis(200));
    tui.send(F1);
    let screen = tui
        .wait_for("the help", UI, |s| s.contains(HELP_TITLE))
        .unwrap();
    assert!(
        !screen.contains(SETTINGS_TITLE),
        "F2 still opened the settings:\n{screen}"
    );
    let row = help_row(&screen, "settings: sampling and model parameters")
        .unwrap_or_else(|| panic!("no settings row in the help:\n{screen}"));
    assert!(
        row.contains("Ctrl+T") && !row.contains("F2"),
        "the help shows the rebound key: {row:?}\n{screen}"
    );
    // Keys that were not rebound are listed as before.
    assert!(
        help_row(&screen, "models: switch, pull or delete").is_some_and(|r| r.contains("F3")),
        "{screen}"
    );

    // Any key closes the help; then Ctrl+T opens the settings.
    tui.esc();
    tui.wait_for("the help to close", UI, |s| !s.contains(HELP_TITLE))
        .unwrap();
    tui.send(CTRL_T);
    let screen = tui
        .wait_for("the settings pane", UI, |s| s.contains(SETTINGS_TITLE))
        .unwrap();
    // The pane's title hints at its keys as bound now.
    assert!(
        screen.contains("Ctrl+T closes") && !screen.contains("Esc closes"),
        "the settings title shows the rebound close key:\n{screen}"
    );
    // Esc no longer closes the pane: had it, Ctrl+T would open the settings again and F1 would
    // go to that pane. Rebound, Ctrl+T closes it and F1 opens the help.
    tui.esc();
    tui.send(CTRL_T);
    thread::sleep(Duration::from_millis(200));
    tui.send(F1);
    let screen = tui
        .wait_for("the help after the settings closed", UI, |s| {
            s.contains(HELP_TITLE)
        })
        .unwrap();
    assert!(!screen.contains(SETTINGS_TITLE), "{screen}");
    tui.esc();
    tui.send(CTRL_Q);
    assert!(tui.wait_exit(EXIT).unwrap().success());
    tui.assert_terminal_restored();
}

/// A bad binding stops ggchat before the screen switches, with the file, line and key named.
#[test]
fn a_bad_binding_is_refused_with_its_line_before_the_screen_switches() {
    let _turn = serial();
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        "[keys.chat]\nquit = \"ctrl+q\"\nsettings = \"ctrl+s\"\n",
    )
    .unwrap();
    let mut tui = Tui::start_with(Arc::new(home), 100, 30, &[]);
    let status = tui.wait_exit(EXIT).unwrap();
    assert!(!status.success(), "{status:?}");
    tui.assert_terminal_restored();
    let screen = tui.screen();
    let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    for part in [
        "config.toml, line 3, column 1, key `keys.chat.settings`",
        "\"ctrl+s\" is bound to both settings and system_prompt in [keys.chat]",
    ] {
        assert!(flat.contains(part), "{part:?} not in:\n{screen}");
    }
}
