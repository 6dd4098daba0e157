//! The system-prompt editor (Ctrl+S): Ctrl+S saves the prompt (and drops the persona), Esc
//! cancels, Alt+Enter breaks a line (the defaults; the keymap's `[keys.system_prompt]`).

use super::{Command, Context, Outcome, Pane, centered, frame_block};
use crate::tui::keymap::{Action, Context as Keys, Keymap};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Clear;
use ratatui_textarea::TextArea;

pub struct SystemPromptPane {
    editor: TextArea<'static>,
}

impl SystemPromptPane {
    pub fn new(current: &str, keymap: &Keymap) -> SystemPromptPane {
        let mut editor = TextArea::default();
        editor.set_wrap_mode(ratatui_textarea::WrapMode::Word);
        editor.set_cursor_line_style(ratatui::style::Style::default());
        editor.set_block(frame_block(&crate::tr!(
            "tui-system-prompt-title",
            save = keymap.first_label(Keys::SystemPrompt, Action::Save),
            close = keymap.first_label(Keys::SystemPrompt, Action::Close),
        )));
        editor.insert_str(current);
        SystemPromptPane { editor }
    }
}

impl Pane for SystemPromptPane {
    fn handle_key(&mut self, key: KeyEvent, ctx: &Context) -> Outcome {
        match ctx.keymap.action(Keys::SystemPrompt, &key) {
            Some(Action::Close) => return Outcome::close(),
            Some(Action::Save) => {
                let text = self.editor.lines().join("\n").trim().to_owned();
                return Outcome::close().then(Command::SetSystemPrompt(text));
            }
            Some(Action::Newline) => self.editor.insert_newline(),
            _ => {
                self.editor.input(key);
            }
        }
        Outcome::none()
    }

    fn handle_paste(&mut self, text: &str) -> Outcome {
        self.editor.insert_str(text);
        Outcome::none()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _ctx: &Context) {
        let rect = centered(area, 80, 14);
        frame.render_widget(Clear, rect);
        frame.render_widget(&self.editor, rect);
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
