//! The dashboard layer: the app's state and its one-way flow (key → action → state →
//! frame), the key table, the theme, the panes, background loading and the terminal's
//! set-up and restore. It uses ingest and domain; nothing below uses it.

pub mod app;
pub mod background;
pub mod keymap;
pub mod live;
pub mod panes;
pub mod terminal;
pub mod theme;
pub mod ui;
