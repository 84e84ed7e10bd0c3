//! What several subcommands share: loading the named files (or the embedded data set) with
//! the load report on standard error, parsing `--filter`, writing to standard output, and
//! leaving without freeing.

use crate::cli::output::say;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::domain::figures::TimeWindow;
use crate::domain::model::{Day, Event, Situation};
use crate::domain::query::{Query, QueryContext, SearchIndex, matching_events};
use crate::ingest::input::{LoadOptions, LoadReport};
use crate::ingest::load::{load_paths, load_str};
use crate::{DEFAULT_DATA, DEFAULT_DATA_NAME};

/// Loads the files, or the embedded data set when none is named, with what events' notes
/// tell ([`read_notes`]); prints the report's notes and, in lenient mode, what was skipped.
/// A refused load prints every problem.
pub fn load(files: &[PathBuf], options: LoadOptions) -> Result<(Situation, LoadReport), ExitCode> {
    let (mut sit, report) = load_plain(files, options)?;
    read_notes(&mut sit);
    Ok((sit, report))
}

/// Posts and casualty breakdowns told only in events' notes, added to `sit` (see
/// `ingest::extract::notes`), with a line on standard error when it found any. Only the
/// subcommands that show posts or claims need it.
pub fn read_notes(sit: &mut Situation) {
    let notes = crate::ingest::extract::notes::apply(sit);
    if notes.status_changes > 0 {
        eprintln!(
            "note: read {} post status change(s) and {} casualty claim(s) from events' notes ({} new post(s))",
            notes.status_changes, notes.casualty_claims, notes.posts_added
        );
    }
}

/// [`load`] without reading events' notes.
pub fn load_plain(files: &[PathBuf], options: LoadOptions) -> Result<(Situation, LoadReport), ExitCode> {
    let result =
        if files.is_empty() { load_str(DEFAULT_DATA_NAME, DEFAULT_DATA, options) } else { load_paths(files, options) };
    match result {
        Ok((sit, report)) => {
            for warning in &report.warnings {
                say!("note: {warning}");
            }
            for line in odd_lines(&report, Some(ODD_SHOWN)) {
                say!("{line}");
            }
            if report.skipped > 0 {
                for problem in &report.problems {
                    say!("skipped: {problem}");
                }
                say!("{}", report.line());
            }
            Ok((sit, report))
        }
        Err(err) => {
            for problem in &err.problems {
                say!("{problem}");
            }
            say!("sitdash: {err}; fix the problems above, or pass --skip-invalid to load what is valid");
            Err(ExitCode::from(1))
        }
    }
}

/// How many odd records a load report lists before it sums up (`check` lists them all).
const ODD_SHOWN: usize = 10;

/// The `warning:` lines for records kept although odd: each (up to `limit`) at its place
/// with its kind, then the count per kind.
pub fn odd_lines(report: &LoadReport, limit: Option<usize>) -> Vec<String> {
    let shown = limit.unwrap_or(usize::MAX);
    let mut lines: Vec<String> =
        report.odd.iter().take(shown).map(|(kind, at)| format!("warning: {at} [{kind}]")).collect();
    if report.odd.len() > shown {
        lines.push(format!("warning: … and {} more; `sitdash check` lists them all", report.odd.len() - shown));
    }
    lines.extend(report.odd_line().map(|line| format!("warning: {line}")));
    lines
}

/// Parses `--filter`; a bad query is a usage error (exit 2) that points at the column.
pub fn parse_filter(sit: &Situation, text: Option<&str>) -> Result<Query, ExitCode> {
    let Some(text) = text else { return Ok(Query::default()) };
    Query::parse(text, &QueryContext { sit, today: sit.as_of }).map_err(|err| {
        say!("sitdash: bad filter: {text}");
        say!("                     {}^ {err}", " ".repeat(err.column.saturating_sub(1)));
        ExitCode::from(2)
    })
}

/// A million events are millions of small allocations; freeing them one by one just before
/// the process ends costs a third of a load's time and frees nothing the OS would not.
pub fn exit_without_freeing<T>(data: T) {
    std::mem::forget(data);
}

/// The window `summary` and `report` count in: the query's since:/until: and the as-of date
/// (the situation's by default), narrowed by `--since`.
pub fn window(sit: &Situation, query: &Query, as_of: Option<Day>, since: Option<Day>) -> TimeWindow {
    let mut window = query.window(as_of.or(sit.as_of));
    window.from = window.from.max(since);
    window
}

/// The events a query selects, for `summary` and `report` alike.
pub fn selected_events<'a>(sit: &'a Situation, query: &Query) -> Vec<&'a Event> {
    if query.is_empty() {
        sit.events.iter().collect()
    } else {
        let index = SearchIndex::new(sit);
        matching_events(query, &index, sit).into_iter().map(|i| &sit.events[i as usize]).collect()
    }
}
