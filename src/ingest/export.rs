//! `sitdash events`: the events of a filtered view as an aligned table, JSON or CSV.

use std::io::{self, Write};

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use crate::domain::figures::event_killed;
use crate::domain::model::{Event, Situation};
use crate::domain::text::{clean, pad};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventFormat {
    Table,
    Json,
    Csv,
}

const COLUMNS: [&str; 12] = [
    "id",
    "date",
    "precision",
    "status",
    "kind",
    "place",
    "by",
    "against",
    "killed",
    "killed_best",
    "lower_bound",
    "summary",
];

fn fields(sit: &Situation, e: &Event) -> [String; 12] {
    let span = e.span();
    let names = |ids: &[String]| ids.iter().map(|a| sit.actor_name(a)).collect::<Vec<_>>().join("; ");
    let k = event_killed(sit, e);
    [
        e.id.clone(),
        span.label(),
        span.precision_word().to_string(),
        e.status.word().to_string(),
        e.kind.id().to_string(),
        sit.place_name(&e.place).to_string(),
        names(&e.by),
        names(&e.against),
        k.map(|t| t.display()).unwrap_or_default(),
        k.map(|t| t.best.to_string()).unwrap_or_default(),
        k.map(|t| t.lower_bound.to_string()).unwrap_or_default(),
        e.summary.clone(),
    ]
}

/// Writes the events (indices into the situation) in the chosen format.
///
/// # Errors
/// Output errors, a closed pipe included.
pub fn write_events(out: &mut impl Write, sit: &Situation, events: &[u32], format: EventFormat) -> io::Result<()> {
    match format {
        EventFormat::Json => {
            let list: Vec<_> = events
                .iter()
                .map(|&i| {
                    let e = &sit.events[i as usize];
                    let k = event_killed(sit, e);
                    json!({
                        "id": e.id, "date": e.span().start.to_string(), "end": e.span().end.to_string(),
                        "precision": e.span().precision_word(), "status": e.status.word(), "kind": e.kind.id(),
                        "acled_event_type": e.kind.acled_event_type(), "acled_sub_event_type": e.kind.acled_sub_event_type(),
                        "place": e.place, "place_name": sit.place_name(&e.place), "by": e.by, "against": e.against,
                        "killed": k.map(|t| json!({"best": t.best, "low": t.low, "high": t.high, "lower_bound": t.lower_bound})),
                        "summary": e.summary, "claims": e.claims,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        EventFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(COLUMNS)?;
            for &i in events {
                writer.write_record(fields(sit, &sit.events[i as usize]))?;
            }
            writer.flush()
        }
        EventFormat::Table => {
            let shown = [1usize, 3, 4, 5, 8, 11];
            let rows: Vec<[String; 12]> = events.iter().map(|&i| fields(sit, &sit.events[i as usize])).collect();
            let widths: Vec<usize> = shown
                .iter()
                .map(|&c| {
                    rows.iter().map(|r| r[c].width()).max().unwrap_or(0).max(COLUMNS[c].len()).min(if c == 11 {
                        80
                    } else {
                        28
                    })
                })
                .collect();
            let line = |cells: Vec<String>| {
                cells.iter().zip(&widths).map(|(c, &w)| pad(&clean(c), w)).collect::<Vec<_>>().join("  ")
            };
            writeln!(out, "{}", line(shown.iter().map(|&c| COLUMNS[c].to_string()).collect()).trim_end())?;
            for r in &rows {
                writeln!(out, "{}", line(shown.iter().map(|&c| r[c].clone()).collect()).trim_end())?;
            }
            writeln!(out, "{} of {} events", events.len(), sit.events.len())
        }
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it.
/// With `overwrite` false an existing file is never replaced (the error is `AlreadyExists`),
/// even one that appears while writing.
///
/// # Errors
/// The file exists (and `overwrite` is false), or any I/O error; the temporary file is removed.
pub fn write_atomically(
    path: &std::path::Path,
    overwrite: bool,
    write: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    if !overwrite && path.exists() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} exists", path.display())));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        let mut out = io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        if overwrite {
            return std::fs::rename(&temp, path);
        }
        // A hard link fails if the name is taken, which a rename would not.
        match std::fs::hard_link(&temp, path) {
            Ok(()) => std::fs::remove_file(&temp),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Err(err),
            Err(_) if path.exists() => {
                Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} exists", path.display())))
            }
            Err(_) => std::fs::rename(&temp, path),
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
