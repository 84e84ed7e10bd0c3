//! `sitdash extract`: plain-text articles into one sitdash/1 document, or (`--batch`) a
//! JSON Lines file of articles into one document per line, in input order.

use crate::cli::output::say;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Deserialize;

use crate::domain::model::Day;
use crate::ingest::extract::{Article, Reader};

/// What `sitdash extract` was asked.
pub struct ExtractArgs<'a> {
    pub files: &'a [PathBuf],
    pub date: Option<Day>,
    pub source: Option<String>,
    pub output: Option<&'a Path>,
    pub batch: Option<&'a Path>,
}

/// Reads an article file: UTF-8, with invalid bytes replaced (and said so).
///
/// # Errors
/// A message naming the file when it cannot be read.
pub fn read_article(path: &Path, date: Option<Day>, source: Option<String>) -> Result<Article, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            say!("note: {}: not valid UTF-8; invalid bytes read as U+FFFD", path.display());
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    Ok(Article { name: path.display().to_string(), text, date, source })
}

pub fn run(args: &ExtractArgs<'_>) -> Result<(), ExitCode> {
    if let Some(batch) = args.batch {
        return run_batch(batch, args);
    }
    if args.files.is_empty() {
        say!("sitdash extract: name at least one article file, or --batch IN.jsonl");
        return Err(ExitCode::from(2));
    }
    let mut articles = Vec::new();
    for path in args.files {
        match read_article(path, args.date, args.source.clone()) {
            Ok(a) => articles.push(a),
            Err(e) => {
                say!("sitdash: {e}");
                return Err(ExitCode::from(1));
            }
        }
    }
    let doc = Reader::new(None).read(&articles).map_err(|e| {
        say!("sitdash: {e}");
        ExitCode::from(1)
    })?;
    let json = doc.to_json();
    write_out(args.output, &json)?;
    say!(
        "extracted: {} event(s), {} claim(s), {} displacement series, {} post(s) from {} article(s)",
        doc.events.len(),
        doc.claims.len(),
        doc.displacement.len(),
        doc.posts.len(),
        articles.len()
    );
    Ok(())
}

fn write_out(output: Option<&Path>, text: &str) -> Result<(), ExitCode> {
    let result = if let Some(path) = output {
        std::fs::write(path, format!("{text}\n"))
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{text}")
    };
    result.map_err(|e| {
        say!("sitdash: cannot write the document: {e}");
        ExitCode::from(1)
    })
}

#[derive(Deserialize)]
struct BatchLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

/// One line in, one line out: `{"id", "document"}`, or `{"id", "error"}` for a line that
/// cannot be read (then the exit code is 1, after every line is written).
fn run_batch(path: &Path, args: &ExtractArgs<'_>) -> Result<(), ExitCode> {
    let file = std::fs::File::open(path).map_err(|e| {
        say!("sitdash: {}: cannot read: {e}", path.display());
        ExitCode::from(1)
    })?;
    let reader = Reader::new(None);
    let mut out: Box<dyn Write> = match args.output {
        Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p).map_err(|e| {
            say!("sitdash: {}: cannot write: {e}", p.display());
            ExitCode::from(1)
        })?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let (mut ok, mut failed) = (0usize, 0usize);
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                say!("{}:{}: cannot read the line: {e}", path.display(), n + 1);
                failed += 1;
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let record = batch_line(&reader, &line, args).unwrap_or_else(|(id, message)| {
            say!("{}:{}: {message}", path.display(), n + 1);
            failed += 1;
            ok = ok.saturating_sub(1);
            serde_json::json!({"id": id, "error": message})
        });
        ok += 1;
        if writeln!(out, "{record}").is_err() {
            return Err(ExitCode::from(1));
        }
    }
    out.flush().map_err(|_| ExitCode::from(1))?;
    say!("extracted: {ok} article(s), {failed} refused");
    if failed > 0 { Err(ExitCode::from(1)) } else { Ok(()) }
}

fn batch_line(
    reader: &Reader<'_>,
    line: &str,
    args: &ExtractArgs<'_>,
) -> Result<serde_json::Value, (serde_json::Value, String)> {
    let parsed: BatchLine = serde_json::from_str(line).map_err(|e| {
        (
            serde_json::Value::Null,
            format!("not an article line ({e}); write {{\"id\": …, \"text\": …, \"date\"?: \"YYYY-MM-DD\"}}"),
        )
    })?;
    let date = match parsed.date.as_deref() {
        Some(d) => Some(Day::parse(d).map_err(|e| (parsed.id.clone(), e))?),
        None => args.date,
    };
    let name = match &parsed.id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let article = Article { name, text: parsed.text, date, source: parsed.source.or_else(|| args.source.clone()) };
    let doc = reader.read(std::slice::from_ref(&article)).map_err(|e| (parsed.id.clone(), e.to_string()))?;
    let document = serde_json::to_value(&doc).map_err(|e| (parsed.id.clone(), e.to_string()))?;
    Ok(serde_json::json!({"id": parsed.id, "document": document}))
}

/// True for a file the dashboard reads as an article rather than as data.
#[must_use]
pub fn is_article(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "txt" | "text" | "article"))
}

/// Loads data files and articles together: the data first, then the articles read against
/// it (its places and actors), their events that are the data's told again marked as second
/// reports, and the whole loaded as one situation.
pub fn load_with_articles(
    files: &[PathBuf],
    options: crate::ingest::input::LoadOptions,
) -> Result<(crate::domain::model::Situation, crate::ingest::input::LoadReport), ExitCode> {
    use crate::ingest::extract::merge::mark_same_incidents;
    use crate::ingest::input::InputFile;
    use crate::ingest::load::load_inputs;
    use crate::ingest::unpack::read_path;

    let (articles, data): (Vec<&PathBuf>, Vec<&PathBuf>) = files.iter().partition(|p| is_article(p));
    let data: Vec<PathBuf> = data.into_iter().cloned().collect();
    let base = if data.is_empty() { None } else { Some(crate::cli::shared::load(&data, options)?.0) };
    let mut read = Vec::new();
    for path in &articles {
        read.push(read_article(path, None, None).map_err(|e| {
            eprintln!("sitdash: {e}");
            ExitCode::from(1)
        })?);
    }
    let mut doc = Reader::new(base.as_ref()).read(&read).map_err(|e| {
        eprintln!("sitdash: {e}");
        ExitCode::from(1)
    })?;
    if let Some(base) = &base {
        let marked = mark_same_incidents(&mut doc, base);
        if marked > 0 {
            eprintln!("note: {marked} extracted event(s) match loaded ones: kept as second reports, not counted twice");
        }
    }
    let mut inputs: Vec<InputFile> = Vec::new();
    for path in &data {
        inputs.extend(read_path(path, options).map_err(|d| {
            eprintln!("{d}");
            ExitCode::from(1)
        })?);
    }
    let name = articles.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    inputs.push(InputFile::new(format!("{name} (extracted).json"), doc.to_json()));
    match load_inputs(&inputs, options) {
        Ok(loaded) => Ok(loaded),
        Err(err) => {
            for p in &err.problems {
                eprintln!("{p}");
            }
            eprintln!("sitdash: the extracted document was refused; this is a bug in sitdash extract");
            Err(ExitCode::from(1))
        }
    }
}
