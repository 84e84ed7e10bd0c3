//! `sitdash summary`: the figures (killed, injured, displaced, posts) as text or as the JSON
//! contract, for the files, a filter and a window.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::output::emit;
use crate::cli::shared::{exit_without_freeing, load, parse_filter, selected_events, window};
use crate::domain::model::Day;
use crate::domain::summary;
use crate::ingest::input::LoadOptions;

/// What `summary` was asked for.
pub struct SummaryArgs {
    pub as_of: Option<Day>,
    pub since: Option<Day>,
    pub filter: Option<String>,
    pub json: bool,
}

pub fn run(files: &[PathBuf], options: LoadOptions, args: &SummaryArgs) -> Result<(), ExitCode> {
    let (sit, _) = load(files, options)?;
    let query = parse_filter(&sit, args.filter.as_deref())?;
    let window = window(&sit, &query, args.as_of, args.since);
    let events = selected_events(&sit, &query);
    let text = if args.json {
        let value = summary::to_json(&sit, &events, window);
        format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
    } else {
        summary::to_text(&sit, &events, window)
    };
    drop(events);
    exit_without_freeing(sit);
    emit(&text)
}
