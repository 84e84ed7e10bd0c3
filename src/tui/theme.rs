//! Colours that carry meaning: one per kind of event and per post status. Passed to the
//! renderer as a value; nothing global.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::model::{Kind, PostStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub title: Style,
    pub header: Style,
    pub dim: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub border: Style,
    pub border_focused: Style,
    pub error: Style,
    pub key: Style,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            title: Style::new().add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            dim: Style::new().fg(Color::DarkGray),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            selected_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }
}

impl Theme {
    #[must_use]
    pub fn kind(&self, kind: Kind) -> Style {
        let color = match kind.acled_event_type() {
            "Battles" => Color::Red,
            "Explosions/Remote violence" => Color::LightRed,
            "Violence against civilians" => Color::Magenta,
            "Protests" => Color::Blue,
            "Riots" => Color::LightBlue,
            _ => Color::Green,
        };
        Style::new().fg(color)
    }

    #[must_use]
    pub fn status(&self, status: PostStatus) -> Style {
        match status {
            PostStatus::Established | PostStatus::Held => Style::new().fg(Color::Green),
            PostStatus::Reinforced => Style::new().fg(Color::Cyan),
            PostStatus::Attacked => Style::new().fg(Color::LightRed),
            PostStatus::UnderConstruction => Style::new().fg(Color::Yellow),
            PostStatus::Encircled | PostStatus::Besieged => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            PostStatus::Evacuated => Style::new().fg(Color::DarkGray),
        }
    }
}
