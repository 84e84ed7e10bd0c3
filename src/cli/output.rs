//! Writing like a Unix tool: results to standard output, messages to standard error, and a
//! closed pipe (`| head`) is the reader having seen enough, not an error: the command ends
//! quietly with status 0, never a panic, never "Broken pipe".

use std::io::{self, Write};
use std::process::ExitCode;

/// Writes a message line to standard error; a closed standard error is not worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}
pub(crate) use say;

/// Why a write to standard output failed, as the command's exit: a closed pipe ends it
/// quietly with success; any other failure is said once, with status 1.
#[must_use]
pub fn write_failed(err: &io::Error) -> ExitCode {
    if closed_pipe(err) {
        ExitCode::SUCCESS
    } else {
        say!("sitdash: cannot write the output: {err}");
        ExitCode::from(1)
    }
}

/// True when the error is a closed pipe, also when a writer (csv) wrapped it in its own error.
fn closed_pipe(err: &io::Error) -> bool {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return true;
    }
    let Some(inner) = err.get_ref() else { return false };
    if let Some(io) = inner.downcast_ref::<io::Error>() {
        return closed_pipe(io);
    }
    matches!(inner.downcast_ref::<csv::Error>().map(csv::Error::kind), Some(csv::ErrorKind::Io(io)) if closed_pipe(io))
}

/// Writes `text` to standard output and flushes it.
///
/// # Errors
/// The exit to end with, when the output cannot be written (see [`write_failed`]).
pub fn emit(text: &str) -> Result<(), ExitCode> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| write_failed(&e))
}

/// Writes every line to standard output through one buffer, stopping at a closed pipe.
///
/// # Errors
/// As [`emit`].
pub fn emit_lines<T: std::fmt::Display>(lines: impl IntoIterator<Item = T>) -> Result<(), ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in lines {
        writeln!(out, "{line}").map_err(|e| write_failed(&e))?;
    }
    out.flush().map_err(|e| write_failed(&e))
}
