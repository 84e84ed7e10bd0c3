//! `sitdash report`: the situation report (Markdown or HTML) for the files, a filter and a
//! period, on standard output or written whole to a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::shared::{exit_without_freeing, load, parse_filter, selected_events, window};
use crate::domain::model::Day;
use crate::domain::report::{Report, to_html, to_markdown};
use crate::ingest::export::write_atomically;
use crate::ingest::input::LoadOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ReportFormat {
    #[default]
    Md,
    Html,
}

/// What `report` was asked for.
pub struct ReportArgs {
    pub as_of: Option<Day>,
    pub since: Option<Day>,
    pub filter: Option<String>,
    pub format: ReportFormat,
    pub output: Option<PathBuf>,
}

pub fn run(files: &[PathBuf], options: LoadOptions, args: &ReportArgs) -> Result<(), ExitCode> {
    let (sit, _) = load(files, options)?;
    let query = parse_filter(&sit, args.filter.as_deref())?;
    let window = window(&sit, &query, args.as_of, args.since);
    let events = selected_events(&sit, &query);
    let report = Report::build(&sit, &events, window, args.filter.as_deref());
    let text = match args.format {
        ReportFormat::Md => to_markdown(&sit, &report),
        ReportFormat::Html => to_html(&sit, &report),
    };
    drop(report);
    drop(events);
    exit_without_freeing(sit);
    if let Some(path) = &args.output {
        return write(path, &text);
    }
    crate::cli::output::emit(&text)
}

/// `-o FILE` names the file on purpose: it is replaced, whole, never left half written.
fn write(path: &Path, text: &str) -> Result<(), ExitCode> {
    write_atomically(path, true, |out| out.write_all(text.as_bytes())).map_err(|err| {
        crate::cli::output::say!("sitdash: cannot write {}: {err}", path.display());
        ExitCode::from(1)
    })?;
    crate::cli::output::say!("report written to {}", path.display());
    Ok(())
}
