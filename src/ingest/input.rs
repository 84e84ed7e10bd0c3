//! Inputs before they are read: the text of one file and how to place a position in it,
//! what a problem report looks like, load options and progress, and the staging area every
//! format fills. The readers (`load`, `import`) and the checks (`validate`) share these
//! types, so none of them imports another to get them.

use std::fmt;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

use crate::domain::model::{Actor, Claim, Day, DisplacementSeries, Event, ObservationPost, Place, Source};
use crate::domain::text::nearest;
use std::borrow::Cow;

use crate::ingest::locate::{LineIndex, Seg, locate};
use crate::ingest::tape::{OnDisk, Tape, Window, split_point_in};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Load what is valid and report the rest instead of refusing the whole input.
    pub skip_invalid: bool,
    /// The format of every input; `Auto` decides from each file's content.
    pub format: InputFormat,
    /// The most bytes a compressed input (gzip, zip) may expand to: past it, the input is
    /// refused as a likely decompression bomb.
    pub max_unpacked: u64,
    /// The file's as-of date: an imported event dated after it is odd (kept, flagged). The
    /// command line passes today's date, or `check --as-of`; `None` checks nothing.
    pub as_of: Option<Day>,
    /// A plain CSV file (ACLED, UCDP) at least this large is read from disk as it is parsed,
    /// not held whole in memory beside the records made from it.
    pub in_place_from: u64,
}

/// 8 MiB: below it, holding the text costs little and reading it whole is simplest.
pub const DEFAULT_IN_PLACE_FROM: u64 = 8 << 20;

/// 4 GiB: ten times the largest real export seen, and far below what a bomb expands to.
pub const DEFAULT_MAX_UNPACKED: u64 = 4 << 30;

impl LoadOptions {
    /// Strict, formats from content, the default unpacking limit, no as-of date.
    pub const DEFAULT: LoadOptions = LoadOptions {
        skip_invalid: false,
        format: InputFormat::Auto,
        max_unpacked: DEFAULT_MAX_UNPACKED,
        as_of: None,
        in_place_from: DEFAULT_IN_PLACE_FROM,
    };
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions::DEFAULT
    }
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
    if first.is_empty() && is_lines_name(name) {
        return InputFormat::JsonLines;
    }
    if first.starts_with('{') || first.starts_with('[') {
        return if looks_like_lines(name, text) { InputFormat::JsonLines } else { InputFormat::Situation };
    }
    // The header is split once: a file that is one long line (16 MB of anything) must not be
    // walked once per column asked about, nor copied to be lower-cased.
    let mut columns = Vec::new();
    let mut start = 0;
    for end in memchr::memchr3_iter(b',', b';', b'\t', first.as_bytes()).chain([first.len()]) {
        columns.push(first[start..end].trim().trim_matches('"'));
        start = end + 1;
    }
    let has = |column: &str| columns.iter().any(|c| c.eq_ignore_ascii_case(column));
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
    /// Records loaded as the source gives them although their own figures are odd (UCDP's
    /// low above its best, …): each with its kind, in file order.
    pub odd: Vec<(&'static str, Diagnostic)>,
}

impl LoadReport {
    /// How many odd records of each kind, in the order the kinds were first seen.
    #[must_use]
    pub fn odd_counts(&self) -> Vec<(&'static str, usize)> {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for (kind, _) in &self.odd {
            match counts.iter_mut().find(|c| c.0 == *kind) {
                Some(c) => c.1 += 1,
                None => counts.push((kind, 1)),
            }
        }
        counts
    }

    /// The line that sums up the odd records: "70 records kept as the source gives them: 40
    /// UCDP low above best, 30 UCDP high below best"; `None` when there are none.
    #[must_use]
    pub fn odd_line(&self) -> Option<String> {
        if self.odd.is_empty() {
            return None;
        }
        let kinds: Vec<String> = self.odd_counts().iter().map(|(k, n)| format!("{n} {k}")).collect();
        Some(format!(
            "{} kept as the source gives them, flagged on each event: {}",
            if self.odd.len() == 1 { "1 record".to_string() } else { format!("{} records", self.odd.len()) },
            kinds.join(", ")
        ))
    }

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
    /// The whole text, when it is held in memory; empty for a large CSV file read from disk
    /// as it is parsed (see [`InputFile::on_disk`]). [`InputFile::len`] is its length either way.
    pub text: String,
    disk: Option<Box<OnDisk>>,
    /// The format of a file read in place, decided from its first bytes when it was opened.
    disk_format: InputFormat,
    /// Built on the first diagnostic: a clean load never needs it.
    lines: std::sync::OnceLock<LineIndex>,
    /// For text made from another shape (a spreadsheet, an API's JSON): where its rows came
    /// from, so that messages point into what the user holds.
    view: Option<Box<View>>,
    /// What reading the file noticed (entries of an archive passed over, …), for the report.
    pub notes: Vec<Diagnostic>,
}

/// Where the rows of a table made from another shape came from. The table is CSV text (comma
/// delimited, one record per row, header first); `rows` holds each data row's offset in it.
#[derive(Debug)]
pub struct View {
    /// Offset of each data row in the CSV text, in order, with where the row came from: its
    /// row number in a sheet, or its object's offset in the JSON text.
    pub rows: Vec<(usize, usize)>,
    pub shape: Shape,
}

/// The shape a table was made from.
#[derive(Debug)]
pub enum Shape {
    /// A sheet whose first cell is at (row, column), both 1-based; data rows carry their
    /// sheet row number.
    Sheet { first_row: usize, first_column: usize },
    /// JSON objects, one per row, each with the header's names as keys; data rows carry
    /// their object's offset in `json`.
    Json { json: String, columns: Vec<String>, lines: std::sync::OnceLock<LineIndex> },
}

/// Index of the CSV field that `offset` falls in, in the record starting at `start`.
fn field_at(text: &[u8], start: usize, offset: usize) -> usize {
    let mut field = 0;
    let mut quoted = false;
    for &b in text.get(start..offset.min(text.len())).unwrap_or_default() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            _ => {}
        }
    }
    field
}

impl View {
    /// Line and column, in the user's file, of `offset` in the table's text.
    fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let row = self.rows.partition_point(|&(at, _)| at <= offset);
        let (start, origin) = match row.checked_sub(1).map(|r| self.rows[r]) {
            Some(found) => found,
            // The header.
            None => (0, usize::MAX),
        };
        let field = field_at(text.as_bytes(), start, offset);
        match &self.shape {
            Shape::Sheet { first_row, first_column } => {
                let row = if origin == usize::MAX { *first_row } else { origin };
                (row, first_column + field)
            }
            Shape::Json { json, columns, lines } => {
                let at = if origin == usize::MAX {
                    0
                } else {
                    columns.get(field).and_then(|c| locate(json, origin, &[Seg::Key(c)])).unwrap_or(origin)
                };
                lines.get_or_init(|| LineIndex::new(json)).position(json, at)
            }
        }
    }
}

impl InputFile {
    #[must_use]
    pub fn new(name: impl Into<String>, text: String) -> InputFile {
        // A byte-order mark is not content.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        InputFile {
            name: name.into(),
            lines: std::sync::OnceLock::new(),
            text,
            disk: None,
            disk_format: InputFormat::Auto,
            view: None,
            notes: Vec::new(),
        }
    }

    /// A file read from disk as it is parsed, not held in memory.
    #[must_use]
    pub fn on_disk(name: impl Into<String>, disk: OnDisk, format: InputFormat) -> InputFile {
        InputFile { disk: Some(Box::new(disk)), disk_format: format, ..InputFile::new(name, String::new()) }
    }

    /// A file read in place, with other chunk sizes (see [`OnDisk::with_chunks`]).
    #[doc(hidden)]
    #[must_use]
    pub fn with_chunks(mut self, chunk: usize, keep: usize) -> InputFile {
        self.disk = self.disk.map(|d| Box::new(d.with_chunks(chunk, keep)));
        self
    }

    /// True for a file read from disk as it is parsed.
    #[must_use]
    pub fn is_on_disk(&self) -> bool {
        self.disk.is_some()
    }

    /// Bytes of text.
    #[must_use]
    pub fn len(&self) -> usize {
        self.disk.as_ref().map_or(self.text.len(), |d| d.len)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's format: `forced`, or the one its content says.
    #[must_use]
    pub fn format(&self, forced: InputFormat) -> InputFormat {
        match (forced, &self.disk) {
            (InputFormat::Auto, Some(_)) => self.disk_format,
            (InputFormat::Auto, None) => detect_format(&self.name, &self.text),
            (other, _) => other,
        }
    }

    /// The text's first bytes, at least its first line when it is not huge (a held text is
    /// given whole).
    #[must_use]
    pub fn head(&self) -> Cow<'_, str> {
        match &self.disk {
            None => Cow::Borrowed(&self.text),
            Some(disk) => {
                let bytes = disk.read(0, 1 << 20);
                let good = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
                Cow::Owned(String::from_utf8_lossy(&bytes[..good]).into_owned())
            }
        }
    }

    /// A reader of the text's bytes from `from` to `to`.
    #[must_use]
    pub fn tape(&self, from: usize, to: usize) -> Tape<'_> {
        match &self.disk {
            None => Tape::held(self.text.as_bytes(), from, to),
            Some(disk) => Tape::disk(disk, from, to),
        }
    }

    /// The text's bytes from `from` to `to` (cut at the end).
    #[must_use]
    pub fn bytes(&self, from: usize, to: usize) -> Cow<'_, [u8]> {
        match &self.disk {
            None => {
                let to = to.min(self.text.len());
                Cow::Borrowed(self.text.as_bytes().get(from.min(to)..to).unwrap_or_default())
            }
            Some(disk) => Cow::Owned(disk.read(from, to)),
        }
    }

    /// The CSV record that starts at `offset`, read again, and the offset just past it.
    #[must_use]
    pub fn record_at(&self, delimiter: u8, offset: usize) -> (csv::ByteRecord, usize) {
        let mut record = csv::ByteRecord::new();
        // A row is read through a window that grows until it holds the whole row.
        let mut size = if self.is_on_disk() { 8 << 10 } else { self.len() };
        loop {
            let bytes = self.bytes(offset, offset.saturating_add(size));
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .flexible(true)
                .from_reader(&bytes[..]);
            let read = matches!(reader.read_byte_record(&mut record), Ok(true));
            let end = reader.position().byte() as usize;
            if !read {
                record.clear();
            }
            if end < bytes.len() || offset + bytes.len() >= self.len() {
                return (record, offset + end);
            }
            size = size.saturating_mul(4);
        }
    }

    /// Where to split a CSV text in two near `target` (see [`split_point`]).
    #[must_use]
    pub fn split_point(&self, delimiter: u8, target: usize) -> Option<usize> {
        match &self.disk {
            None => split_point_in(&mut self.text.as_bytes(), delimiter, target),
            Some(disk) => split_point_in(&mut Window::new(disk), delimiter, target),
        }
    }

    /// A table made from another shape, whose positions are reported in that shape.
    #[must_use]
    pub fn with_view(name: impl Into<String>, text: String, view: View) -> InputFile {
        InputFile { view: Some(Box::new(view)), ..InputFile::new(name, text) }
    }

    #[must_use]
    pub fn diagnostic(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = match (&self.view, &self.disk) {
            (Some(view), _) => view.position(&self.text, offset),
            (None, Some(disk)) => disk.position(self.lines.get_or_init(|| disk.lines()), offset),
            (None, None) => self.lines.get_or_init(|| LineIndex::new(&self.text)).position(&self.text, offset),
        };
        Diagnostic { file: self.name.clone(), line, column, message: message.into() }
    }

    /// A diagnostic at `path` inside the record that starts at `origin`.
    #[must_use]
    pub fn at(&self, origin: usize, path: &[Seg<'_>], message: impl Into<String>) -> Diagnostic {
        // A file read in place is CSV: its records have no paths inside.
        let offset = if self.is_on_disk() { origin } else { locate(&self.text, origin, path).unwrap_or(origin) };
        self.diagnostic(offset, message)
    }

    pub(crate) fn serde_diagnostic(&self, base: usize, err: &serde_json::Error) -> Diagnostic {
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

/// A staged event's id: how the tables of staged events' positions read it.
pub(crate) fn staged_id(s: &Staged<crate::domain::model::Event>) -> &str {
    &s.item.id
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
    /// The figures of UCDP GED rows, by [`crate::domain::model::RowClaim::ucdp_at`].
    pub ucdp_rows: Vec<crate::domain::model::UcdpRow>,
    /// The notes of imported rows, stored as they are read (an event's `note` names its
    /// note here): a String per row until the situation is built was 200 MB at 1M rows.
    pub notes: crate::domain::notes::NoteStore,
    /// The staged events' positions by id, when the import that staged them made this
    /// table for every one of them under its own id; `None` otherwise. Validation checks the
    /// events' ids with it and the situation's index takes it over, so that a large load
    /// hashes its ids once. Anything that adds, removes or moves events drops it.
    pub event_ids: Option<crate::domain::model::Positions>,
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
    /// Puts each staged event's notes back as text and empties the note store: the records
    /// as read, whatever handles their notes were stored under. Two ways of reading one file
    /// store the same notes under different handles (a later part's notes are moved in
    /// whole, with those of rows not kept left behind, named by none); tests compare the
    /// records this way.
    pub fn write_out_notes(&mut self) {
        for staged in &mut self.events {
            let e = &mut staged.item;
            if let Some(note) = e.note.take() {
                e.set_written_notes(Some(self.notes.text(note).into_owned()));
            }
        }
        self.notes = crate::domain::notes::NoteStore::default();
    }

    pub(crate) fn len(&self) -> usize {
        self.sources.len()
            + self.actors.len()
            + self.places.len()
            + self.claims.len()
            + self.events.len()
            + self.displacement.len()
            + self.posts.len()
    }

    pub(crate) fn remove(&mut self, doomed: &[(Collection, usize)]) {
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
        self.renumber_rows(doomed);
        self.event_ids = None;
        keep(&mut self.sources, Collection::Sources, doomed);
        keep(&mut self.actors, Collection::Actors, doomed);
        keep(&mut self.places, Collection::Places, doomed);
        keep(&mut self.claims, Collection::Claims, doomed);
        keep(&mut self.events, Collection::Events, doomed);
        keep(&mut self.displacement, Collection::Displacement, doomed);
        keep(&mut self.posts, Collection::Posts, doomed);
    }
}

impl Staging {
    /// Events of imported rows name their source and their place among the stored claims
    /// by position (see [`crate::domain::model::RowClaim`]): before sources or claims are
    /// removed, those positions move with them. A row whose source goes cites none
    /// (`u32::MAX`), which validation reports.
    fn renumber_rows(&mut self, doomed: &[(Collection, usize)]) {
        let gone = |coll: Collection, len: usize| {
            let mut gone = vec![false; len];
            for &(c, i) in doomed {
                if c == coll && i < len {
                    gone[i] = true;
                }
            }
            gone
        };
        let (sources, claims) =
            (gone(Collection::Sources, self.sources.len()), gone(Collection::Claims, self.claims.len()));
        let actors = gone(Collection::Actors, self.actors.len());
        if !sources.contains(&true) && !claims.contains(&true) && !actors.contains(&true) {
            return;
        }
        // New position of each source and actor; claims removed before each position.
        let new_positions = |gone: &[bool]| -> Vec<u32> {
            let mut kept = 0u32;
            gone.iter()
                .map(|&g| {
                    if g {
                        u32::MAX
                    } else {
                        kept += 1;
                        kept - 1
                    }
                })
                .collect()
        };
        let source_at = new_positions(&sources);
        let actor_at = new_positions(&actors);
        let mut removed = 0u32;
        let mut claims_gone_before = Vec::with_capacity(claims.len() + 1);
        for &g in &claims {
            claims_gone_before.push(removed);
            removed += u32::from(g);
        }
        claims_gone_before.push(removed);
        for e in &mut self.events {
            if let Some(row) = &mut e.item.row {
                row.source = source_at.get(row.source as usize).copied().unwrap_or(u32::MAX);
                for a in [&mut row.by, &mut row.against] {
                    if *a != crate::domain::model::NO_ACTOR {
                        // A gone actor is out of range, which validation reports.
                        *a = actor_at.get(*a as usize).copied().filter(|&x| x != u32::MAX).unwrap_or(u32::MAX - 1);
                    }
                }
                row.before -= claims_gone_before.get(row.before as usize).copied().unwrap_or(removed);
            }
        }
    }
}

/// Turns a serde error into a sentence that says what to do.
pub(crate) fn explain(err: &serde_json::Error) -> String {
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

/// True when the name says JSON Lines (`.jsonl`, `.ndjson`).
#[must_use]
pub fn is_lines_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
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

/// Builds an input from raw bytes, refusing empty and non-UTF-8 content with its position.
///
/// # Errors
/// Empty or not UTF-8.
pub fn input_from_bytes(name: String, bytes: Vec<u8>) -> Result<InputFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let input = InputFile::new(name, text);
            // An empty JSON Lines file is a stream that has not started: valid, and empty.
            if input.text.trim().is_empty() && !is_lines_name(&input.name) {
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
