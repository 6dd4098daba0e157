//! Colours and styles of the chat screen, in one place.

use ratatui::style::{Color, Modifier, Style};

pub fn user_header() -> Style {
    Style::default()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}

pub fn assistant_header() -> Style {
    Style::default()
        .fg(Color::Green)
        .add_modifier(Modifier::BOLD)
}

pub fn system_header() -> Style {
    Style::default()
        .fg(Color::Magenta)
        .add_modifier(Modifier::BOLD)
}

pub fn user_text() -> Style {
    Style::default().fg(Color::White)
}

pub fn system_text() -> Style {
    Style::default()
        .fg(Color::Gray)
        .add_modifier(Modifier::ITALIC)
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn cursor() -> Style {
    Style::default()
        .fg(Color::Green)
        .add_modifier(Modifier::SLOW_BLINK)
}

pub fn error() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn status_bar() -> Style {
    Style::default().bg(Color::Rgb(30, 34, 42)).fg(Color::Gray)
}

pub fn border() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn focus_border() -> Style {
    Style::default().fg(Color::Cyan)
}

pub fn selected() -> Style {
    Style::default().bg(Color::Cyan).fg(Color::Black)
}

/// The content-safety guard's mark beside a message.
pub fn guard_mark() -> Style {
    Style::default().fg(Color::Yellow)
}
