//! Reads situation files (our JSON document, or JSON Lines) into a [`Situation`]. Every
//! problem is reported as `file:line:column: what is wrong; what to do`. Strict by default:
//! one bad record refuses the load; lenient mode skips bad records and says which and why.

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::locate::{LineIndex, Seg, first_key, locate};
use crate::model::{Actor, Claim, Day, DisplacementSeries, Event, ObservationPost, Place, Situation, Source};
use crate::text::{clean_in_place, nearest};
use crate::validate;

/// One problem, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Load what is valid and report the rest instead of refusing the whole input.
    pub skip_invalid: bool,
    /// The format of every input; `Auto` decides from each file's content.
    pub format: InputFormat,
}

/// What a file holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InputFormat {
    #[default]
    Auto,
    /// Our JSON document.
    Situation,
    /// Our JSON Lines.
    JsonLines,
    /// An ACLED CSV export.
    Acled,
    /// A UCDP GED CSV file.
    Ucdp,
}

/// Decides a file's format from its content (the name only breaks a tie for JSON Lines).
#[must_use]
pub fn detect_format(name: &str, text: &str) -> InputFormat {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if first.starts_with('{') || first.starts_with('[') {
        return if looks_like_lines(name, text) { InputFormat::JsonLines } else { InputFormat::Situation };
    }
    let header = first.to_ascii_lowercase();
    let has = |column: &str| header.split([',', ';', '\t']).any(|c| c.trim().trim_matches('"') == column);
    if has("event_id_cnty") || has("data_id") || (has("event_date") && has("fatalities")) {
        InputFormat::Acled
    } else if has("deaths_a") || has("where_prec") || (has("date_start") && has("best")) {
        InputFormat::Ucdp
    } else {
        // Not recognisable: let the JSON reader say what is wrong where.
        InputFormat::Situation
    }
}

/// What a load read, kept and skipped; `read == loaded + skipped` always holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    pub read: usize,
    pub loaded: usize,
    pub skipped: usize,
    /// Every problem found; in lenient mode, the reasons records were skipped.
    pub problems: Vec<Diagnostic>,
    /// Records skipped even in strict mode because they repeat another exactly, and other
    /// notes an import makes; each says where and why.
    pub warnings: Vec<Diagnostic>,
}

impl LoadReport {
    /// "read 12, loaded 11, skipped 1".
    #[must_use]
    pub fn line(&self) -> String {
        format!("read {}, loaded {}, skipped {}", self.read, self.loaded, self.skipped)
    }
}

/// The input was refused; every problem found is listed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problem(s) found; nothing was loaded", problems.len())]
pub struct LoadError {
    pub problems: Vec<Diagnostic>,
}

/// How far a load has got, shared with the screen that shows it. Only counters: the loader
/// stores, the screen reads.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of input in all, and bytes read so far.
    pub total: AtomicU64,
    pub done: AtomicU64,
    /// Records (rows, lines, elements) read so far.
    pub records: AtomicU64,
    phase: AtomicU8,
    /// When each phase began, for the benchmark's breakdown of a load.
    began: std::sync::Mutex<Vec<(Phase, std::time::Instant)>>,
}

/// What a load is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reading,
    Parsing,
    Validating,
    Indexing,
    Done,
}

impl Phase {
    /// What the loader is doing, as the progress bar says it.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Parsing => "parsing",
            Phase::Validating => "checking",
            Phase::Indexing => "indexing",
            Phase::Done => "done",
        }
    }
}

impl Progress {
    pub fn set_phase(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Relaxed);
        if let Ok(mut began) = self.began.lock() {
            began.push((phase, std::time::Instant::now()));
        }
    }

    /// How long each phase took, in the order they ran (the last one until now).
    #[must_use]
    pub fn phase_times(&self) -> Vec<(Phase, std::time::Duration)> {
        let Ok(began) = self.began.lock() else { return Vec::new() };
        let now = std::time::Instant::now();
        began
            .iter()
            .enumerate()
            .map(|(i, &(phase, at))| (phase, began.get(i + 1).map_or(now, |next| next.1).duration_since(at)))
            .collect()
    }

    #[must_use]
    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Relaxed) {
            0 => Phase::Reading,
            1 => Phase::Parsing,
            2 => Phase::Validating,
            3 => Phase::Indexing,
            _ => Phase::Done,
        }
    }

    /// Counts bytes and records read, from any thread.
    pub(crate) fn add(&self, bytes: u64, records: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
        self.records.fetch_add(records, Ordering::Relaxed);
    }

    pub(crate) fn advance(&self, base: u64, offset: usize, records: u64) {
        self.done.store(base + offset as u64, Ordering::Relaxed);
        self.records.store(records, Ordering::Relaxed);
    }
}

/// The text of one input file, with what is needed to report positions in it.
#[derive(Debug)]
pub struct InputFile {
    pub name: String,
    pub text: String,
    /// Built on the first diagnostic: a clean load never needs it.
    lines: std::sync::OnceLock<LineIndex>,
}

impl InputFile {
    #[must_use]
    pub fn new(name: impl Into<String>, text: String) -> InputFile {
        // A byte-order mark is not content.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        InputFile { name: name.into(), lines: std::sync::OnceLock::new(), text }
    }

    #[must_use]
    pub fn diagnostic(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.lines.get_or_init(|| LineIndex::new(&self.text)).position(&self.text, offset);
        Diagnostic { file: self.name.clone(), line, column, message: message.into() }
    }

    /// A diagnostic at `path` inside the record that starts at `origin`.
    #[must_use]
    pub fn at(&self, origin: usize, path: &[Seg<'_>], message: impl Into<String>) -> Diagnostic {
        let offset = locate(&self.text, origin, path).unwrap_or(origin);
        self.diagnostic(offset, message)
    }

    fn serde_diagnostic(&self, base: usize, err: &serde_json::Error) -> Diagnostic {
        let sub = self.text.get(base..).unwrap_or("");
        // Walk only to the line serde names: indexing the rest of a large file for every bad
        // record would make many bad records cost quadratic time.
        let line_start =
            memchr::memchr_iter(b'\n', sub.as_bytes()).nth(err.line().saturating_sub(2)).map_or(sub.len(), |i| i + 1);
        let line_start = if err.line() <= 1 { 0 } else { line_start };
        let rel = line_start + err.column().saturating_sub(1);
        self.diagnostic(base + rel.min(sub.len()), explain(err))
    }
}

/// Where a staged record came from: file and byte offset of its opening brace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub file: usize,
    pub offset: usize,
}

#[derive(Debug, Clone)]
pub struct Staged<T> {
    pub item: T,
    pub origin: Origin,
}

/// Records read from all inputs, before validation.
#[derive(Debug, Default)]
pub struct Staging {
    pub title: Option<String>,
    pub as_of: Option<Day>,
    pub description: Option<String>,
    pub sources: Vec<Staged<Source>>,
    pub actors: Vec<Staged<Actor>>,
    pub places: Vec<Staged<Place>>,
    pub claims: Vec<Staged<Claim>>,
    pub events: Vec<Staged<Event>>,
    pub displacement: Vec<Staged<DisplacementSeries>>,
    pub posts: Vec<Staged<ObservationPost>>,
}

/// The collections of a situation, to name which record a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    Sources,
    Actors,
    Places,
    Claims,
    Events,
    Displacement,
    Posts,
}

impl Staging {
    fn len(&self) -> usize {
        self.sources.len()
            + self.actors.len()
            + self.places.len()
            + self.claims.len()
            + self.events.len()
            + self.displacement.len()
            + self.posts.len()
    }

    fn remove(&mut self, doomed: &[(Collection, usize)]) {
        fn keep<T>(items: &mut Vec<Staged<T>>, coll: Collection, doomed: &[(Collection, usize)]) {
            // A set, not a scan of `doomed` per record: a lenient load of a large file with
            // many bad rows would otherwise take rows × bad rows steps.
            let gone: rustc_hash::FxHashSet<usize> = doomed.iter().filter(|d| d.0 == coll).map(|d| d.1).collect();
            if gone.is_empty() {
                return;
            }
            let mut i = 0;
            items.retain(|_| {
                let drop = gone.contains(&i);
                i += 1;
                !drop
            });
        }
        keep(&mut self.sources, Collection::Sources, doomed);
        keep(&mut self.actors, Collection::Actors, doomed);
        keep(&mut self.places, Collection::Places, doomed);
        keep(&mut self.claims, Collection::Claims, doomed);
        keep(&mut self.events, Collection::Events, doomed);
        keep(&mut self.displacement, Collection::Displacement, doomed);
        keep(&mut self.posts, Collection::Posts, doomed);
    }
}

/// Turns a serde error into a sentence that says what to do.
fn explain(err: &serde_json::Error) -> String {
    let full = err.to_string();
    let msg = full.rfind(" at line ").map_or(full.as_str(), |i| &full[..i]);
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        return match nearest(field, expected.iter().copied()) {
            Some(near) => format!("unknown field `{field}`: did you mean `{near}`? (see docs/FORMAT.md)"),
            None => format!(
                "unknown field `{field}`; remove it or use one of: {} (see docs/FORMAT.md)",
                expected.join(", ")
            ),
        };
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let word = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        return match nearest(word, expected.iter().copied()) {
            Some(near) => format!("unknown value `{word}`: did you mean `{near}`?"),
            None => format!("unknown value `{word}`; use one of: {}", expected.join(", ")),
        };
    }
    if msg.starts_with("missing field") {
        return format!("{msg}; add it (see docs/FORMAT.md)");
    }
    if msg.starts_with("EOF while parsing") {
        return format!("{msg}: the file ends early; is it truncated? close every {{ and [");
    }
    if msg.starts_with("trailing comma") {
        return format!("{msg}: remove the comma before the closing bracket");
    }
    if msg.starts_with("recursion limit exceeded") {
        return "nesting is too deep (over 128 levels); a situation file is never nested like this".into();
    }
    if msg.starts_with("invalid value: integer `-") {
        return format!("{msg}: counts and numbers here cannot be negative");
    }
    if msg.starts_with("invalid type") {
        return format!("{msg}; fix the value's type (see docs/FORMAT.md)");
    }
    if msg.starts_with("expected") || msg.starts_with("key must be") || msg.starts_with("control character") {
        return format!("{msg}: this is not valid JSON here; check the quotes, commas and brackets");
    }
    msg.to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document<'a> {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    as_of: Option<Day>,
    #[serde(default)]
    description: Option<String>,
    #[serde(borrow, default)]
    sources: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    actors: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    places: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    claims: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    events: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    displacement: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    posts: Vec<&'a RawValue>,
}

/// One line of a JSON Lines file that is not a bare event.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Tagged {
    Source(Source),
    Actor(Actor),
    Place(Place),
    Claim(Claim),
    Event(Event),
    Series(DisplacementSeries),
    Post(ObservationPost),
}

const TAGS: &[&str] = &["source", "actor", "place", "claim", "event", "series", "post"];

struct Reader<'s> {
    staging: &'s mut Staging,
    progress: &'s Progress,
    /// Bytes of the files before the current one, for progress.
    base: u64,
    problems: Vec<Diagnostic>,
    /// Records that could not be parsed (they count as read and skipped).
    unparsed: usize,
}

impl Reader<'_> {
    fn element<T: serde::de::DeserializeOwned>(
        &mut self,
        files: &[InputFile],
        file: usize,
        raw: &RawValue,
    ) -> Option<Staged<T>> {
        let input = &files[file];
        let offset = (raw.get().as_ptr() as usize).saturating_sub(input.text.as_ptr() as usize);
        match serde_json::from_str::<T>(raw.get()) {
            Ok(item) => Some(Staged { item, origin: Origin { file, offset } }),
            Err(err) => {
                self.problems.push(input.serde_diagnostic(offset, &err));
                self.unparsed += 1;
                None
            }
        }
    }

    fn document(&mut self, files: &[InputFile], file: usize) -> Result<(), Diagnostic> {
        let input = &files[file];
        let doc: Document<'_> = serde_json::from_str(&input.text).map_err(|err| input.serde_diagnostic(0, &err))?;
        if let Some(format) = &doc.format
            && format != "sitdash/1"
        {
            return Err(input.at(
                0,
                &[Seg::Key("format")],
                format!("unknown format `{format}`; this version of sitdash reads \"sitdash/1\""),
            ));
        }
        if self.staging.title.is_none() {
            self.staging.title.clone_from(&doc.title);
            self.staging.description.clone_from(&doc.description);
        }
        self.staging.as_of = self.staging.as_of.max(doc.as_of);
        macro_rules! stage {
            ($field:ident) => {
                for raw in &doc.$field {
                    if let Some(staged) = self.element(files, file, raw) {
                        self.staging.$field.push(staged);
                    }
                    let offset = (raw.get().as_ptr() as usize).saturating_sub(input.text.as_ptr() as usize);
                    self.progress.advance(self.base, offset, (self.staging.len() + self.unparsed) as u64);
                }
            };
        }
        stage!(sources);
        stage!(actors);
        stage!(places);
        stage!(claims);
        stage!(events);
        stage!(displacement);
        stage!(posts);
        Ok(())
    }

    fn lines(&mut self, files: &[InputFile], file: usize) {
        let input = &files[file];
        let mut offset = 0;
        for line in input.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if start & 0xffff < line.len() {
                self.progress.advance(self.base, start, (self.staging.len() + self.unparsed) as u64);
            }
            let body = line.trim_end_matches(['\n', '\r']);
            if body.trim().is_empty() {
                continue;
            }
            let origin = Origin { file, offset: start };
            // A tag's value is an object; a bare event may also start with `"place": "…"`.
            let tagged = first_key(body, 0).is_some_and(|k| {
                TAGS.contains(&k)
                    && locate(body, 0, &[Seg::Key(k)])
                        .and_then(|key| body[key..].find(':').map(|c| key + c + 1))
                        .is_some_and(|value| body[value..].trim_start().starts_with('{'))
            });
            let parsed = if tagged {
                serde_json::from_str::<Tagged>(body).map(|t| {
                    // Offsets point at the inner object, where the record's fields are.
                    let inner = first_key(body, 0)
                        .and_then(|k| locate(body, 0, &[Seg::Key(k)]))
                        .and_then(|key| body[key..].find(':').map(|c| start + key + c + 1))
                        .unwrap_or(start);
                    (t, Origin { file, offset: inner })
                })
            } else {
                serde_json::from_str::<Event>(body).map(|e| (Tagged::Event(e), origin))
            };
            match parsed {
                Ok((record, origin)) => self.push(record, origin),
                Err(err) => {
                    self.problems.push(input.serde_diagnostic(start, &err));
                    self.unparsed += 1;
                }
            }
        }
    }

    fn push(&mut self, record: Tagged, origin: Origin) {
        let s = &mut *self.staging;
        match record {
            Tagged::Source(item) => s.sources.push(Staged { item, origin }),
            Tagged::Actor(item) => s.actors.push(Staged { item, origin }),
            Tagged::Place(item) => s.places.push(Staged { item, origin }),
            Tagged::Claim(item) => s.claims.push(Staged { item, origin }),
            Tagged::Event(item) => s.events.push(Staged { item, origin }),
            Tagged::Series(item) => s.displacement.push(Staged { item, origin }),
            Tagged::Post(item) => s.posts.push(Staged { item, origin }),
        }
    }
}

fn reader_base_total(inputs: &[InputFile]) -> u64 {
    inputs.iter().map(|i| i.text.len() as u64).sum()
}

/// True when the text holds JSON Lines rather than one document.
fn looks_like_lines(name: &str, text: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        return true;
    }
    if lower.ends_with(".json") {
        return false;
    }
    // Content decides: a first line that is a whole object, followed by more.
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    match (lines.next(), lines.next()) {
        (Some(first), Some(_)) => serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok(),
        _ => false,
    }
}

/// Reads one file from disk, or says in one line why it cannot.
///
/// # Errors
/// Missing file, directory, unreadable, empty, or not UTF-8.
pub fn read_input(path: &Path) -> Result<InputFile, Diagnostic> {
    let name = path.display().to_string();
    let fail = |message: String| Diagnostic { file: name.clone(), line: 1, column: 1, message };
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(match e.kind() {
            std::io::ErrorKind::NotFound => "no such file; check the path".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied; make the file readable (chmod +r)".to_string(),
            _ => format!("cannot open: {e}"),
        })
    })?;
    if meta.is_dir() {
        return Err(fail("is a directory; name the situation files inside it instead".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail(match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied; make the file readable (chmod +r)".to_string(),
            _ => format!("cannot read: {e}"),
        })
    })?;
    input_from_bytes(name, bytes)
}

/// Builds an input from raw bytes, refusing empty and non-UTF-8 content with its position.
///
/// # Errors
/// Empty or not UTF-8.
pub fn input_from_bytes(name: String, bytes: Vec<u8>) -> Result<InputFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let input = InputFile::new(name, text);
            if input.text.trim().is_empty() {
                return Err(input
                    .diagnostic(0, "the file is empty; a situation file holds one JSON object (see docs/FORMAT.md)"));
            }
            Ok(input)
        }
        Err(err) => {
            let good = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let input = InputFile::new(name, prefix);
            let at = input.text.len();
            Err(input.diagnostic(at, format!("byte 0x{:02x} is not UTF-8; save the file as UTF-8", bytes[good])))
        }
    }
}

/// Loads files from disk together (a base situation plus appended JSON Lines).
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_paths(paths: &[impl AsRef<Path>], options: LoadOptions) -> Result<(Situation, LoadReport), LoadError> {
    load_paths_with(paths, options, &Progress::default())
}

/// [`load_paths`], reporting how far it has got.
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_paths_with(
    paths: &[impl AsRef<Path>],
    options: LoadOptions,
    progress: &Progress,
) -> Result<(Situation, LoadReport), LoadError> {
    let total: u64 = paths.iter().filter_map(|p| std::fs::metadata(p.as_ref()).ok()).map(|m| m.len()).sum();
    progress.total.store(total, Ordering::Relaxed);
    progress.set_phase(Phase::Reading);
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match read_input(path.as_ref()) {
            Ok(input) => inputs.push(input),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }
    load_owned_with(inputs, options, progress)
}

/// Loads one text (the embedded data set, or a test fixture).
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_str(name: &str, text: &str, options: LoadOptions) -> Result<(Situation, LoadReport), LoadError> {
    let input =
        input_from_bytes(name.to_string(), text.as_bytes().to_vec()).map_err(|d| LoadError { problems: vec![d] })?;
    load_inputs(&[input], options)
}

/// Parses, validates, cleans and indexes the inputs.
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_inputs(inputs: &[InputFile], options: LoadOptions) -> Result<(Situation, LoadReport), LoadError> {
    load_inputs_with(inputs, options, &Progress::default())
}

/// [`load_inputs`], reporting how far it has got.
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_inputs_with(
    inputs: &[InputFile],
    options: LoadOptions,
    progress: &Progress,
) -> Result<(Situation, LoadReport), LoadError> {
    let staged = stage_inputs(inputs, options, progress)?;
    progress.set_phase(Phase::Indexing);
    Ok(staged.build())
}

/// [`load_inputs_with`], taking the inputs: their text, needed only to say where problems
/// are, is freed once the records are checked, before the situation is built (a large file's
/// text and its finished records are then never in memory at once).
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_owned_with(
    inputs: Vec<InputFile>,
    options: LoadOptions,
    progress: &Progress,
) -> Result<(Situation, LoadReport), LoadError> {
    let staged = stage_inputs(&inputs, options, progress)?;
    drop(inputs);
    progress.set_phase(Phase::Indexing);
    Ok(staged.build())
}

/// Records read and checked, with the report of the load, before the situation is built.
struct Checked {
    staging: Staging,
    fallback_title: String,
    report: LoadReport,
}

impl Checked {
    fn build(self) -> (Situation, LoadReport) {
        (build(self.staging, self.fallback_title), self.report)
    }
}

fn stage_inputs(inputs: &[InputFile], options: LoadOptions, progress: &Progress) -> Result<Checked, LoadError> {
    progress.set_phase(Phase::Parsing);
    let mut staging = Staging::default();
    let mut reader = Reader { staging: &mut staging, progress, base: 0, problems: Vec::new(), unparsed: 0 };
    // Records an import makes up (places, actors, sources, claims) are not records read.
    let mut derived = 0;
    let mut warnings = Vec::new();
    for (file, input) in inputs.iter().enumerate() {
        let format = match options.format {
            InputFormat::Auto => detect_format(&input.name, &input.text),
            other => other,
        };
        reader.base = inputs[..file].iter().map(|i| i.text.len() as u64).sum();
        match format {
            InputFormat::JsonLines => reader.lines(inputs, file),
            InputFormat::Acled | InputFormat::Ucdp => {
                match crate::import::stage(format, inputs, file, reader.staging, options, (progress, reader.base)) {
                    Ok(report) => {
                        reader.problems.extend(report.problems);
                        reader.unparsed += report.skipped;
                        derived += report.derived;
                        warnings.extend(report.warnings);
                    }
                    Err(d) => return Err(LoadError { problems: vec![d] }),
                }
            }
            InputFormat::Situation | InputFormat::Auto => {
                if let Err(d) = reader.document(inputs, file) {
                    // A file that is not a situation at all cannot be partly loaded.
                    return Err(LoadError { problems: vec![d] });
                }
            }
        }
    }
    let mut problems = reader.problems;
    let unparsed = reader.unparsed;
    let read = staging.len() + unparsed - derived;

    progress.advance(reader_base_total(inputs), 0, read as u64);
    progress.set_phase(Phase::Validating);
    // Skipping a record can orphan others that refer to it, so validate until stable.
    for _round in 0..16 {
        let found = validate::validate(&staging, inputs);
        if found.is_empty() {
            break;
        }
        if !options.skip_invalid {
            problems.extend(found.into_iter().map(|(_, d)| d));
            break;
        }
        let doomed: Vec<(Collection, usize)> = found.iter().map(|(r, _)| *r).collect();
        problems.extend(found.into_iter().map(|(_, d)| d));
        staging.remove(&doomed);
    }
    if !options.skip_invalid && !problems.is_empty() {
        return Err(LoadError { problems });
    }
    let loaded = staging.len().saturating_sub(derived);
    let fallback_title = inputs.first().map(|i| i.name.clone()).unwrap_or_default();
    Ok(Checked {
        staging,
        fallback_title,
        report: LoadReport { read, loaded, skipped: read - loaded, problems, warnings },
    })
}

fn build(staging: Staging, fallback_title: String) -> Situation {
    fn items<T>(staged: Vec<Staged<T>>) -> Vec<T> {
        staged.into_iter().map(|s| s.item).collect()
    }
    let mut sit = Situation {
        title: staging.title.unwrap_or(fallback_title),
        as_of: staging.as_of,
        description: staging.description,
        sources: items(staging.sources),
        actors: items(staging.actors),
        places: items(staging.places),
        claims: items(staging.claims),
        events: items(staging.events),
        displacement: items(staging.displacement),
        posts: items(staging.posts),
        index: crate::model::Index::default(),
    };
    clean_strings(&mut sit);
    if sit.as_of.is_none() {
        sit.as_of = sit.events.iter().map(|e| e.span().end).max();
    }
    sit.reindex();
    sit
}

/// Every string that can reach the screen loses its control characters here, once.
fn clean_strings(sit: &mut Situation) {
    fn opt(s: &mut Option<String>) {
        if let Some(s) = s {
            clean_in_place(s);
        }
    }
    fn all(v: &mut [String]) {
        v.iter_mut().for_each(clean_in_place);
    }
    clean_in_place(&mut sit.title);
    opt(&mut sit.description);
    for s in &mut sit.sources {
        clean_in_place(&mut s.publisher);
        opt(&mut s.title);
        opt(&mut s.url);
        opt(&mut s.note);
    }
    for a in &mut sit.actors {
        clean_in_place(&mut a.name);
        all(&mut a.alt_names);
    }
    for p in &mut sit.places {
        clean_in_place(&mut p.name);
        all(&mut p.alt_names);
        opt(&mut p.country);
        opt(&mut p.admin1);
        opt(&mut p.admin2);
        opt(&mut p.note);
    }
    let claims = |claims: &mut [Claim]| {
        for c in claims {
            clean_in_place(&mut c.attributed_to);
            clean_in_place(&mut c.statement);
            opt(&mut c.unit);
            opt(&mut c.note);
            if let Some(count) = &mut c.count {
                opt(&mut count.raw);
            }
        }
    };
    let events = |events: &mut [Event]| {
        for e in events {
            clean_in_place(&mut e.summary);
            opt(&mut e.notes);
        }
    };
    // The claims and the events, which are most of a large load, side by side.
    if sit.events.len() > crate::index::PARALLEL_EVENTS {
        std::thread::scope(|scope| {
            scope.spawn(|| claims(&mut sit.claims));
            events(&mut sit.events);
        });
    } else {
        claims(&mut sit.claims);
        events(&mut sit.events);
    }
    for s in &mut sit.displacement {
        opt(&mut s.note);
    }
    for p in &mut sit.posts {
        clean_in_place(&mut p.name);
        all(&mut p.alt_names);
        opt(&mut p.framework);
        opt(&mut p.note);
        for h in &mut p.history {
            opt(&mut h.note);
        }
    }
}
