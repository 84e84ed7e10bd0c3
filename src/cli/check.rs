//! `sitdash check`: validates files and prints every problem as file:line:column.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::output::{emit_lines, say};
use crate::cli::shared::{exit_without_freeing, odd_lines};
use crate::ingest::input::LoadOptions;
use crate::ingest::load::load_paths;

/// Checks strictly whatever `options` says of leniency; exit 1 when anything is refused.
pub fn run(files: &[PathBuf], options: LoadOptions) -> Result<(), ExitCode> {
    match load_paths(files, LoadOptions { skip_invalid: false, ..options }) {
        Ok((sit, report)) => {
            exit_without_freeing(sit);
            let mut lines: Vec<String> = report.warnings.iter().map(|w| format!("note: {w}")).collect();
            lines.extend(odd_lines(&report, None));
            let warned = match report.odd.len() {
                0 => String::new(),
                1 => "; 1 warning".to_string(),
                n => format!("; {n} warnings"),
            };
            lines.push(format!("ok: {} file(s), {} records, no problems{warned}", files.len(), report.read));
            emit_lines(lines)
        }
        Err(err) => {
            emit_lines(&err.problems)?;
            say!("{} problem(s)", err.problems.len());
            Err(ExitCode::from(1))
        }
    }
}
