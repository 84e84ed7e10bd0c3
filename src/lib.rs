//! sitdash: a terminal situation dashboard for armed conflicts. The library holds everything
//! testable, in four layers whose dependencies point one way:
//! `cli` and `tui` → `ingest` → `domain` (see docs/ARCHITECTURE.md).

pub mod cli;
pub mod domain;
pub mod ingest;
pub mod tui;

/// The default data set, coded from The New Arab's report of 7 February 2020 on Idlib.
pub const DEFAULT_DATA: &str = include_str!("../data/idlib-2020-02.json");
/// The name the embedded data set is reported under.
pub const DEFAULT_DATA_NAME: &str = "data/idlib-2020-02.json";
