//! Imports of other systems' exports (ACLED, UCDP GED) into our model.

use crate::load::{Diagnostic, InputFile, InputFormat, LoadOptions, Staging};

/// What an import of one file did: rows skipped (with reasons) and records it made up.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Rows that could not be imported; each has a problem in `problems`.
    pub skipped: usize,
    /// Records created from the rows rather than read (places, actors, sources, claims).
    pub derived: usize,
    pub problems: Vec<Diagnostic>,
}

/// Stages the records of one CSV file.
///
/// # Errors
/// A file that cannot be imported at all (no usable header, an ambiguous date form).
pub fn stage(
    format: InputFormat,
    inputs: &[InputFile],
    file: usize,
    _staging: &mut Staging,
    _options: LoadOptions,
) -> Result<ImportReport, Diagnostic> {
    let input = &inputs[file];
    Err(input.diagnostic(0, format!("{format:?} import is not available yet")))
}
