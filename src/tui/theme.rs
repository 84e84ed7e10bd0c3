//! Colours that carry meaning: one per kind of event and per post status. Passed to the
//! renderer as a value; nothing global. [`Theme::plain`] is the same without any colour
//! (bold, reverse, underline only), for `NO_COLOR`.

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
    /// False for the plain theme: kinds and statuses get no colour either.
    pub colour: bool,
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
            colour: true,
        }
    }
}

impl Theme {
    /// No colour at all, only attributes: what `NO_COLOR` asks for (https://no-color.org).
    #[must_use]
    pub fn plain() -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            title: bold,
            header: bold,
            dim: Style::new(),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            selected_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
            border: Style::new(),
            border_focused: bold,
            error: bold,
            key: bold,
            colour: false,
        }
    }

    /// The plain theme when `no_color` holds the value of a set, non-empty `NO_COLOR`.
    #[must_use]
    pub fn for_no_color(no_color: Option<&std::ffi::OsStr>) -> Theme {
        if no_color.is_some_and(|v| !v.is_empty()) { Theme::plain() } else { Theme::default() }
    }

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
        if !self.colour {
            return Style::new();
        }
        Style::new().fg(color)
    }

    #[must_use]
    pub fn status(&self, status: PostStatus) -> Style {
        if !self.colour {
            return match status {
                PostStatus::Encircled | PostStatus::Besieged => Style::new().add_modifier(Modifier::BOLD),
                _ => Style::new(),
            };
        }
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
