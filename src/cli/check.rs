//! `sitdash check`: validates files and prints every problem as file:line:column.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::shared::{exit_without_freeing, write_stdout};
use crate::ingest::input::LoadOptions;
use crate::ingest::load::load_paths;

/// Checks strictly whatever `options` says of leniency; exit 1 when anything is refused.
pub fn run(files: &[PathBuf], options: LoadOptions) -> Result<(), ExitCode> {
    match load_paths(files, LoadOptions { skip_invalid: false, ..options }) {
        Ok((sit, report)) => {
            exit_without_freeing(sit);
            write_stdout(&format!("ok: {} file(s), {} records, no problems\n", files.len(), report.read))
        }
        Err(err) => {
            let mut lines = String::new();
            for problem in &err.problems {
                let _ = writeln!(lines, "{problem}");
            }
            write_stdout(&lines)?;
            eprintln!("{} problem(s)", err.problems.len());
            Err(ExitCode::from(1))
        }
    }
}
