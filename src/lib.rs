//! sitdash: a terminal situation dashboard for armed conflicts. The library holds everything
//! testable: the model, loading and validation, the figures, the query, the app and its panes.

pub mod app;
pub mod background;
pub mod bench;
pub mod export;
pub mod figures;
pub mod import;
pub mod index;
pub mod keymap;
pub mod load;
pub mod locate;
pub mod model;
pub mod panes;
pub mod query;
pub mod summary;
pub mod synth;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod validate;

/// The default data set, coded from The New Arab's report of 7 February 2020 on Idlib.
pub const DEFAULT_DATA: &str = include_str!("../data/idlib-2020-02.json");
/// The name the embedded data set is reported under.
pub const DEFAULT_DATA_NAME: &str = "data/idlib-2020-02.json";
