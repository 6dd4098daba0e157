//! Keys, pastes and the mouse: to the open pane when there is one (its commands are carried out
//! in `commands.rs`), else to the chat's actions or the input editor.

use super::{App, context};
use crate::tui::keymap::Action;
use crate::tui::panes::{self, Context, Pane};
use crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};

impl App {
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == crossterm::event::KeyEventKind::Release {
            return;
        }
        if let Some(pane) = &mut self.pane {
            let outcome = pane.handle_key(
                key,
                &context(&self.slot, &self.chat, &self.env, &self.monitor),
            );
            self.carry_out(outcome);
            return;
        }
        if self.answer_delete(&key) {
            return;
        }
        self.notice = None;
        let input_empty = self.input.editor.is_empty();
        match self.env.keymap.chat(&key, input_empty) {
            Some(Action::HistoryPrev) => self.history_or_edit(key, -1),
            Some(Action::HistoryNext) => self.history_or_edit(key, 1),
            Some(action) => self.perform(action),
            // Typing goes on as usual; text typed ends a selection (Enter then sends it).
            None => {
                if self.input.editor.input(key) {
                    self.chat.selected = None;
                }
            }
        }
    }

    /// Input history at the first (or last) line of the input; elsewhere the key moves the
    /// cursor in the editor.
    fn history_or_edit(&mut self, key: KeyEvent, delta: isize) {
        let ratatui_textarea::DataCursor(row, _) = self.input.editor.cursor();
        let last_row = self.input.editor.lines().len().saturating_sub(1);
        let step = if delta < 0 {
            row == 0 && !self.input.history.is_empty()
        } else {
            row == last_row && self.input.history_pos.is_some()
        };
        if step {
            self.history_step(delta);
        } else {
            self.input.editor.input(key);
        }
    }

    fn history_step(&mut self, delta: isize) {
        let len = self.input.history.len() as isize;
        let current = self.input.history_pos.map_or(len, |p| p as isize);
        let next = (current + delta).clamp(0, len);
        if next == len {
            self.input.history_pos = None;
            self.set_input("");
        } else {
            self.input.history_pos = Some(next as usize);
            let text = self.input.history[next as usize].clone();
            self.set_input(&text);
        }
    }

    pub fn handle_paste(&mut self, text: &str) {
        let clean = text.replace("\r\n", "\n").replace('\r', "\n");
        match &mut self.pane {
            Some(pane) => {
                let outcome = pane.handle_paste(&clean);
                self.carry_out(outcome);
            }
            None => {
                self.input.editor.insert_str(&clean);
            }
        }
    }

    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        match mouse.kind {
            MouseEventKind::ScrollUp => self.view.scroll_by(3),
            MouseEventKind::ScrollDown => self.view.scroll_by(-3),
            _ => {}
        }
    }

    pub fn perform(&mut self, action: Action) {
        match action {
            Action::Send => match self.selected_message() {
                Some(index) => self.open_selected(index),
                None => self.send(),
            },
            Action::Newline => self.input.editor.insert_newline(),
            Action::Cancel if self.is_generating() => self.cancel(),
            Action::Cancel => {
                self.clear_selection();
            }
            Action::Regenerate => self.regenerate(),
            Action::RegenerateMany => self.regenerate_many(),
            Action::EditLast => self.edit_last(),
            Action::Continue => self.continue_reply(),
            Action::NewConversation => self.start_new_session(),
            Action::CopyReply => self.copy_reply(),
            Action::ToggleThinking => self.view.toggle_thinking(),
            Action::SelectPrev => self.step_selection(true),
            Action::SelectNext => self.step_selection(false),
            Action::SiblingPrev => self.switch_sibling(-1),
            Action::SiblingNext => self.switch_sibling(1),
            Action::DeleteBranch => self.ask_delete_branch(),
            Action::CopyCode(n) => self.copy_code(n),
            Action::SystemPrompt => self.open_pane(|ctx| {
                Box::new(panes::system_prompt::SystemPromptPane::new(
                    &ctx.conversation.system_prompt,
                    ctx.keymap,
                ))
            }),
            Action::Personas => {
                self.open_pane(|ctx| Box::new(panes::personas::PersonasPane::new(ctx)))
            }
            Action::Help => self.open_pane(|_| Box::<panes::help::HelpPane>::default()),
            Action::Monitor => {
                // Read the process now: the first frame shows it, later ticks refresh it.
                self.monitor.sample_process(std::time::Instant::now());
                self.open_pane(|_| Box::<panes::monitor::MonitorPane>::default())
            }
            Action::Settings => self.open_pane(|_| Box::<panes::settings::SettingsPane>::default()),
            Action::Sessions => {
                self.open_pane(|ctx| Box::new(panes::sessions::SessionsPane::new(ctx)))
            }
            Action::Models => self.open_pane(|ctx| Box::new(panes::models::ModelsPane::new(ctx))),
            Action::ScrollUp => self.view.scroll_page(true),
            Action::ScrollDown => self.view.scroll_page(false),
            Action::ScrollTop => self.view.scroll_to_top(),
            Action::ScrollBottom => self.view.follow_bottom(),
            Action::Interrupt if self.is_generating() => self.cancel(),
            Action::Interrupt | Action::Quit => self.quit = true,
            // History needs the key (elsewhere than the first or last line it moves the cursor):
            // `handle_key` carries it out. The panes' actions are theirs.
            Action::HistoryPrev
            | Action::HistoryNext
            | Action::Up
            | Action::Down
            | Action::Pick
            | Action::Open
            | Action::Edit
            | Action::Save
            | Action::SaveDefaults
            | Action::Search
            | Action::Rename
            | Action::Delete
            | Action::New
            | Action::Pull
            | Action::CancelPull
            | Action::Confirm
            | Action::Yes
            | Action::Close => {}
        }
    }

    fn open_pane(&mut self, make: impl FnOnce(&Context) -> Box<dyn Pane>) {
        self.pane = Some(make(&self.context()));
    }
}
