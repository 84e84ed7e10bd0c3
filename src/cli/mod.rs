//! The command-line layer: one module per subcommand, called by `main.rs` after clap has
//! parsed the arguments. It uses every layer below it; nothing uses it.

pub mod bench;
pub mod check;
pub mod dashboard;
pub mod events;
pub mod extract;
pub mod generate;
pub mod output;
pub mod report;
pub mod shared;
pub mod summary;
