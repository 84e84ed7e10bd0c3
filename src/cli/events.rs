//! `sitdash events`: the events that match a filter, as a table, JSON or CSV.

use crate::cli::output::write_failed;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::shared::{exit_without_freeing, load_plain, parse_filter, read_notes};
use crate::domain::query::{SearchIndex, matching_events};
use crate::ingest::export::{EventFormat, write_events};
use crate::ingest::input::LoadOptions;

pub fn run(files: &[PathBuf], options: LoadOptions, filter: Option<&str>, format: EventFormat) -> Result<(), ExitCode> {
    let (mut sit, _) = load_plain(files, options)?;
    let query = parse_filter(&sit, filter)?;
    // What events' notes tell (posts, claims) shows only in the formats that write claims,
    // and changes only what `post:` and `source:` terms select: elsewhere it is not read.
    if query.looks_at_posts_or_sources() || !matches!(format, EventFormat::Table | EventFormat::Csv) {
        read_notes(&mut sit);
    }
    let index = SearchIndex::new(&sit);
    let shown = matching_events(&query, &index, &sit);
    let stdout = std::io::stdout();
    let written = write_events(&mut stdout.lock(), &sit, &shown, format).map_err(|err| write_failed(&err));
    exit_without_freeing((sit, index));
    written
}
