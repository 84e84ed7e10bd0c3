//! The dashboard's panes and overlays: each a state struct plus a widget that draws it.

pub mod counters;
pub mod detail;
pub mod facets;
pub mod posts;
pub mod timeline;
