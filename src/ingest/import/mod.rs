//! Imports of other systems' exports (ACLED, UCDP GED) into our model.
//!
//! Each file is read in one pass with `csv` `ByteRecord`s over the file's text. Places, actors
//! and sources are interned by content, so that each distinct one becomes one record with an id
//! derived from its name. Every row problem is a [`Diagnostic`] at the row's field
//! (file:line:column). Dates whose form can only be told from the whole column (dd/mm/yyyy
//! against mm/dd/yyyy) are settled after the pass; a column that fits both refuses the file
//! rather than be read wrong.

mod acled;
pub mod api;
mod odd;
mod table;
mod ucdp;
pub mod xlsx;

use crate::domain::model::PlaceId;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::{Datelike, Days, NaiveDate};
use csv::ByteRecord;

use crate::domain::model::{Actor, Event, GeoPrecision, Place, Positions, Source};
use crate::domain::text::nearest;
use crate::ingest::input::{Diagnostic, InputFile, InputFormat, LoadOptions, Origin, Staged, Staging, staged_id};
use crate::ingest::tape::{Failure, Tape};

/// What an import of one file did: rows skipped (with reasons) and records it made up.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Rows that were not imported: bad rows (each with a problem in `problems`) and repeated
    /// rows (each with a note in `warnings`).
    pub skipped: usize,
    /// Records created from the rows rather than read (places, actors, sources, claims).
    pub derived: usize,
    /// Of those, the claims kept in their rows' events rather than staged (see
    /// [`crate::domain::model::RowClaim`]).
    pub kept_in_rows: usize,
    /// Row problems. A strict load fails with all of them; a lenient one lists them as the
    /// reasons rows were skipped (repeated rows included).
    pub problems: Vec<Diagnostic>,
    /// Rows that repeat an earlier row's event id with identical content: imported once.
    pub duplicates: usize,
    /// Rows whose event type sitdash does not know, imported as Strategic developments / Other.
    pub unknown_kinds: usize,
    /// What did not stop the import but should be seen: repeated rows dropped, unknown event
    /// types (one note per type, with how many rows had it).
    pub warnings: Vec<Diagnostic>,
    /// Rows whose own figures are odd but readable (the source's record: loaded as given,
    /// flagged), each with its kind of oddity.
    pub odd: Vec<(&'static str, Diagnostic)>,
}

/// Stages the records of one CSV file.
///
/// # Errors
/// A file that cannot be imported at all (no usable header, a missing column, dates whose
/// form cannot be told).
pub fn stage(
    format: InputFormat,
    inputs: &[InputFile],
    file: usize,
    staging: &mut Staging,
    options: LoadOptions,
    progress: Reporting<'_>,
) -> Result<ImportReport, Diagnostic> {
    let parallel = inputs[file].len() > PARALLEL_BYTES;
    stage_with(format, inputs, file, staging, options, progress, parallel)
}

/// [`stage`], choosing whether an ACLED file is read in two parts on two cores (when it
/// splits: see [`split_point`]). Both ways give the same records, ids and problems.
///
/// # Errors
/// As [`stage`].
pub fn stage_with(
    format: InputFormat,
    inputs: &[InputFile],
    file: usize,
    staging: &mut Staging,
    options: LoadOptions,
    progress: Reporting<'_>,
    parallel: bool,
) -> Result<ImportReport, Diagnostic> {
    let input = &inputs[file];
    match format {
        InputFormat::Acled => acled::stage(input, file, staging, options, progress, parallel),
        InputFormat::Ucdp => ucdp::stage(input, file, staging, options, progress),
        other => Err(input.diagnostic(0, format!("{other:?} is not a CSV export; sitdash imports ACLED and UCDP GED"))),
    }
}

// ---------------------------------------------------------------------------------------------
// Hashing: a fast hash for the interning maps (keys come from a local file, not an attacker
// racing a server), and FNV for ids, which must not change between runs.

/// The Fx hash (as in rustc): one multiply per 8 bytes.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl Fx {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// The product's low bits depend only on the input's low bytes (ids sharing a prefix such
    /// as `VLD` would share buckets), so the high bits are folded down.
    #[inline]
    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

/// The events one file has made so far, by id: their positions in the staging only, each
/// look-up comparing the id with the staged event's own. A map of copied ids held a million
/// more allocations and about 70 MB at a million rows, all through the parse. When the file
/// made every staged event, the table is handed on with them ([`EventIds::hand_on`]).
#[derive(Default)]
pub(crate) struct EventIds {
    table: Positions,
}

impl EventIds {
    fn position(&self, events: &[Staged<Event>], id: &str) -> Option<usize> {
        self.table.find(events, staged_id, id)
    }

    /// The offset of the row that made the event with this id.
    pub fn first_at(&self, events: &[Staged<Event>], id: &str) -> Option<usize> {
        self.position(events, id).map(|j| events[j].origin.offset)
    }

    /// True when an event with this id was made.
    pub fn contains(&self, events: &[Staged<Event>], id: &str) -> bool {
        self.position(events, id).is_some()
    }

    /// Makes room for `more` events: growing the table as ids come rehashes every id held,
    /// each read from its staged event (about an eighth of the parse at 1M rows).
    pub fn reserve(&mut self, events: &[Staged<Event>], more: usize) {
        self.table.reserve(events, staged_id, more);
    }

    /// Counts the event at `at` of `events` under its id, in place of an earlier one with it.
    pub fn insert(&mut self, events: &[Staged<Event>], at: usize) {
        self.table.insert(events, staged_id, at);
    }

    /// Gives the staging this table when it holds every staged event (the file made them
    /// all, each under an id of its own): validation and the index then use it instead of
    /// hashing each id again. Otherwise the staging is left with none.
    pub fn hand_on(self, staging: &mut Staging) {
        staging.event_ids = (self.table.len() == staging.events.len()).then_some(self.table);
    }
}

/// FNV-1a: stable across runs and platforms, for ids.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Room for the rest of a file's records, reserved once from the bytes per row of its first
/// rows: a million rows otherwise means a dozen copies of vectors of large structs.
pub(crate) struct Growth {
    rows: usize,
    first: Option<usize>,
    events: usize,
    claims: usize,
    notes: (usize, usize),
}

impl Growth {
    const SAMPLE: usize = 2048;

    pub fn new(staging: &Staging) -> Growth {
        Growth {
            rows: 0,
            first: None,
            events: staging.events.len(),
            claims: staging.claims.len(),
            notes: (staging.notes.len(), staging.notes.folded_bytes()),
        }
    }

    /// Counts a row read at `offset`; after the sample, reserves for the rows up to `len`,
    /// in the staging and in `ids`, the table of the events' ids (none for a part whose ids
    /// are checked later).
    pub fn row(&mut self, staging: &mut Staging, ids: Option<&mut EventIds>, offset: usize, len: usize) {
        let first = *self.first.get_or_insert(offset);
        self.rows += 1;
        if self.rows == Growth::SAMPLE && offset > first {
            let left = (len - offset) / ((offset - first) / Growth::SAMPLE).max(1);
            let per = |now: usize, before: usize| (now - before).div_ceil(Growth::SAMPLE);
            let events = left * per(staging.events.len(), self.events);
            staging.events.reserve(events);
            if let Some(ids) = ids {
                ids.reserve(&staging.events, events);
            }
            staging.claims.reserve(left * per(staging.claims.len(), self.claims));
            let (notes, bytes) = self.notes;
            staging
                .notes
                .reserve(left * per(staging.notes.len(), notes), left * per(staging.notes.folded_bytes(), bytes));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the sheet.

/// The delimiter of the header line: the most frequent of `,`, `;` and tab outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in line.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[1] > counts[0] && counts[1] >= counts[2] {
        b';'
    } else if counts[2] > counts[0] && counts[2] > counts[1] {
        b'\t'
    } else {
        b','
    }
}

/// Byte offset of field `index` of the row that starts at `start` (its opening quote, if it
/// is quoted), or of the row's end when the row has fewer fields. Only used for diagnostics.
fn field_offset(text: &[u8], start: usize, index: usize, delimiter: u8) -> usize {
    let mut i = start;
    let mut field = 0;
    let mut quoted = false;
    while i < text.len() && field < index {
        match text[i] {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b if b == delimiter && !quoted => field += 1,
            _ => {}
        }
        i += 1;
    }
    i
}

pub use crate::ingest::tape::split_point;

/// A CSV reader over a tape: no header (the sheet reads it), rows of any length (the sheet
/// reports them).
fn csv_reader(delimiter: u8, tape: Tape<'_>) -> csv::Reader<Tape<'_>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(tape)
}

/// Files larger than this are read in two parts, one per core.
pub const PARALLEL_BYTES: usize = 4 << 20;

/// A value as shown in a message: quoted, and cut when long.
pub(crate) fn shown(value: &str) -> String {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("`{}…`", &value[..cut]),
        None => format!("`{value}`"),
    }
}

/// Where an import tells how far it has got: the shared counters, and the bytes of the
/// files read before this one.
pub type Reporting<'a> = (&'a crate::ingest::input::Progress, u64);

/// One CSV file being read: the reader, the delimiter and the header's column names.
pub(crate) struct Sheet<'a> {
    pub input: &'a InputFile,
    pub delimiter: u8,
    /// Header names, trimmed and lower-cased (old ACLED exports write them in capitals).
    pub columns: Vec<String>,
    reader: csv::Reader<Tape<'a>>,
    progress: Reporting<'a>,
    /// Offset in the text of the reader's first byte (a part of a file starts after its header).
    base: usize,
    /// Offset and row count last told to the progress counters, which take what was added.
    told: (usize, u64),
    rows: u64,
    /// The note that an HXL hashtag row under the header was passed over, if there was one.
    pub hxl: Option<Diagnostic>,
    /// Where the row last read starts and ends.
    row: (usize, usize),
    /// Why the text stopped before its end (it is not UTF-8 there, or could not be read).
    failure: Option<Failure>,
}

/// True for an HXL hashtag row (HDX puts one under the header of its tabular files): every
/// non-empty cell starts with `#`, and some cell is not empty. It is metadata, not a record.
fn is_hxl(record: &ByteRecord) -> bool {
    let mut any = false;
    for cell in record {
        let cell = cell.trim_ascii();
        if cell.is_empty() {
            continue;
        }
        if cell[0] != b'#' {
            return false;
        }
        any = true;
    }
    any
}

impl<'a> Sheet<'a> {
    /// Opens the text and reads the header line.
    pub fn open(input: &'a InputFile, what: &str, progress: Reporting<'a>) -> Result<Sheet<'a>, Diagnostic> {
        let delimiter = sniff_delimiter(&input.head());
        let mut reader = csv_reader(delimiter, input.tape(0, input.len()));
        let mut header = ByteRecord::new();
        if !matches!(reader.read_byte_record(&mut header), Ok(true)) {
            if let Some(failure) = reader.get_ref().failure() {
                return Err(input.diagnostic(failure.at, failure.what.clone()));
            }
            return Err(input.diagnostic(0, format!("no header line; a {what} CSV file starts with its column names")));
        }
        let columns = header.iter().map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase()).collect();
        let body = reader.position().byte() as usize;
        let mut sheet = Sheet {
            input,
            delimiter,
            columns,
            reader,
            progress,
            base: 0,
            told: (body, 0),
            rows: 0,
            hxl: None,
            row: (body, body),
            failure: None,
        };
        // The row after the header may be HDX's hashtags: pass over it, once, and say so.
        let mut next = ByteRecord::new();
        let mut peek = sheet.reader_for(body, input.len());
        if matches!(peek.read_byte_record(&mut next), Ok(true)) && is_hxl(&next) {
            let after = body + peek.position().byte() as usize;
            let tags: Vec<String> = next
                .iter()
                .map(|c| String::from_utf8_lossy(c.trim_ascii()).into_owned())
                .filter(|c| !c.is_empty())
                .take(4)
                .collect();
            let mut at = body + next.position().map_or(0, |p| p.byte() as usize);
            let text = peek.get_ref().bytes(at, after);
            at += text.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
            sheet.hxl = Some(input.diagnostic(
                at,
                format!(
                    "an HXL hashtag row ({}, …), the metadata HDX adds under the header: passed over, not a record",
                    tags.join(", ")
                ),
            ));
            sheet.reader = sheet.reader_for(after, input.len());
            sheet.base = after;
        }
        let body = sheet.body_start();
        progress.0.done.store(progress.1 + body as u64, std::sync::atomic::Ordering::Relaxed);
        sheet.told = (body, 0);
        Ok(sheet)
    }

    /// Offset of the first data row (just after the header, and after an HXL row).
    pub fn body_start(&self) -> usize {
        self.base + self.reader.position().byte() as usize
    }

    /// Limits this sheet to the rows before `end`, which must start a row.
    pub fn stop_at(&mut self, end: usize) {
        let from = self.body_start();
        self.reader = self.reader_for(from, end.max(from));
        self.base = from;
    }

    /// A sheet over the rows from `from` to `to` with this sheet's header, to be read on another
    /// thread; `from` must start a row.
    pub fn part(&self, from: usize, to: usize) -> Sheet<'a> {
        Sheet {
            input: self.input,
            delimiter: self.delimiter,
            columns: self.columns.clone(),
            reader: self.reader_for(from, to),
            progress: self.progress,
            base: from,
            told: (from, 0),
            rows: 0,
            hxl: None,
            row: (from, from),
            failure: None,
        }
    }

    fn reader_for(&self, from: usize, to: usize) -> csv::Reader<Tape<'a>> {
        csv_reader(self.delimiter, self.input.tape(from, to))
    }

    /// The bytes of the row last read.
    #[must_use]
    pub fn row(&self) -> &[u8] {
        self.reader.get_ref().bytes(self.row.0, self.row.1)
    }

    /// Why the sheet ended before the text did, as the problem that refuses the file: the
    /// text is not UTF-8 there, or could not be read.
    #[must_use]
    pub fn failure(&self) -> Option<Diagnostic> {
        self.failure.as_ref().map(|f| self.input.diagnostic(f.at, f.what.clone()))
    }

    /// Tells the progress counters what was read since they were last told.
    fn tell(&mut self, offset: usize) {
        let (at, rows) = self.told;
        self.progress.0.add(offset.saturating_sub(at) as u64, self.rows - rows);
        self.told = (offset.max(at), self.rows);
    }

    /// The position of the first column with one of these names.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.iter().position(|c| c == n))
    }

    /// Like `find`, but a missing column refuses the file with a suggestion.
    pub fn require(&self, names: &[&str], what: &str) -> Result<usize, Diagnostic> {
        self.find(names).ok_or_else(|| {
            let wanted = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or ");
            let near = names.iter().find_map(|n| nearest(n, self.columns.iter().map(String::as_str)));
            let hint = match near {
                Some(near) => format!("; is `{near}` it? rename the column to `{}`", names[0]),
                None => format!("; is this a {what} export? its header has: {}", self.columns.join(", ")),
            };
            self.input.diagnostic(0, format!("the header has no {wanted} column{hint}"))
        })
    }

    /// Reads the next data row into `record` and returns the byte offset where it starts.
    /// Blank rows are passed over; rows with the wrong number of fields are reported in
    /// `report` and skipped.
    pub fn next_row(&mut self, record: &mut ByteRecord, report: &mut ImportReport) -> Option<usize> {
        loop {
            // The rows before this one are not looked at again.
            let next = self.base + self.reader.position().byte() as usize;
            self.reader.get_mut().release(next);
            match self.reader.read_byte_record(record) {
                Ok(true) => {}
                Ok(false) => {
                    let end = self.base + self.reader.position().byte() as usize;
                    self.tell(end);
                    self.failure = self.reader.get_ref().failure().cloned();
                    return None;
                }
                Err(err) => {
                    // Cannot happen without UTF-8 checks (the tape does them); stop rather than loop.
                    let at = err.position().map_or(self.input.len(), |p| self.base + p.byte() as usize);
                    report.problems.push(self.input.diagnostic(at, format!("cannot read the rest of the file: {err}")));
                    report.skipped += 1;
                    return None;
                }
            }
            let mut start = self.base + record.position().map_or(0, |p| p.byte() as usize);
            let end = self.base + self.reader.position().byte() as usize;
            self.rows += 1;
            if self.rows.is_multiple_of(4096) {
                self.tell(start);
            }
            start += self.reader.get_ref().bytes(start, end).iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
            self.row = (start, end);
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                // An empty line, or one of bare delimiters as spreadsheets leave at the end.
                continue;
            }
            let want = self.columns.len();
            if record.len() == want {
                return Some(start);
            }
            // Where the row ends (too few fields) or where its extra values start (too many).
            let at = start + field_offset(self.row(), 0, want, self.delimiter);
            let message = if record.len() < want {
                format!(
                    "this row has {} columns but the header has {want}: it ends before column `{}`; restore the \
                     missing values (is a delimiter lost, or a quote left open?)",
                    record.len(),
                    self.columns[record.len()]
                )
            } else {
                format!(
                    "this row has {} columns but the header has {want}: the extra values start here; quote fields \
                     that contain `{}`, or remove the extra values",
                    record.len(),
                    char::from(self.delimiter).escape_default()
                )
            };
            report.problems.push(self.input.diagnostic(at, message));
            report.skipped += 1;
        }
    }
}

/// A row's fields as text: the row's bytes are checked as UTF-8 once, where checking each
/// field on its own was a sixteenth of a large load. The reader refuses a file that is not
/// UTF-8, so a row that is not is only read field by field, each bad field as empty.
#[derive(Clone, Copy)]
pub(crate) struct Fields<'r> {
    record: &'r ByteRecord,
    text: Option<&'r str>,
}

impl<'r> Fields<'r> {
    pub fn of(record: &'r ByteRecord) -> Fields<'r> {
        Fields { record, text: std::str::from_utf8(record.as_slice()).ok() }
    }

    /// The row's bytes, field by field.
    pub fn record(&self) -> &'r ByteRecord {
        self.record
    }
}

/// The text of field `col`, trimmed; `""` for a missing column.
#[inline]
pub(crate) fn get<'r>(row: &Fields<'r>, col: Option<usize>) -> &'r str {
    let Some(col) = col else { return "" };
    let field = match row.text {
        Some(text) => row.record.range(col).and_then(|r| text.get(r)),
        None => row.record.get(col).and_then(|b| std::str::from_utf8(b).ok()),
    };
    field.map_or("", str::trim)
}

/// The problems of the row being read, each at its field.
pub(crate) struct RowProblems<'a> {
    input: &'a InputFile,
    delimiter: u8,
    columns: Vec<String>,
    start: usize,
    /// The current row's bytes.
    row: Vec<u8>,
    pub list: Vec<Diagnostic>,
}

impl<'a> RowProblems<'a> {
    pub fn new(sheet: &Sheet<'a>) -> RowProblems<'a> {
        RowProblems {
            input: sheet.input,
            delimiter: sheet.delimiter,
            columns: sheet.columns.clone(),
            start: 0,
            row: Vec::new(),
            list: Vec::new(),
        }
    }

    /// Starts on the row at `start`, whose bytes are `row` (see [`Sheet::row`]).
    pub fn begin(&mut self, start: usize, row: &[u8]) {
        self.start = start;
        self.row.clear();
        self.row.extend_from_slice(row);
        self.list.clear();
    }

    /// Starts again on the row at `start`, read once more from the text.
    pub fn begin_again(&mut self, start: usize) {
        let (_, end) = self.input.record_at(self.delimiter, start);
        let row = self.input.bytes(start, end);
        self.begin(start, &row);
    }

    /// Where the current row starts.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Byte offset of column `col` in the current row.
    pub fn offset(&self, col: usize) -> usize {
        self.start + field_offset(&self.row, 0, col, self.delimiter)
    }

    /// A problem at column `col` of the current row; the message is prefixed by its name.
    pub fn at(&mut self, col: usize, message: impl std::fmt::Display) {
        let offset = self.offset(col);
        let name = self.columns.get(col).map_or("?", String::as_str);
        self.list.push(self.input.diagnostic(offset, format!("column `{name}`: {message}")));
    }

    pub fn any(&self) -> bool {
        !self.list.is_empty()
    }

    /// The row that starts at `offset`, read again.
    pub fn row_at(&self, offset: usize) -> ByteRecord {
        self.input.record_at(self.delimiter, offset).0
    }

    /// True when the row at `offset` holds what `record` holds, but for `ignored` columns. Only
    /// asked when an id repeats, so no row pays for a fingerprint.
    pub fn same_as(&self, offset: usize, record: &ByteRecord, ignored: &[bool]) -> bool {
        let (earlier, _) = self.input.record_at(self.delimiter, offset);
        !earlier.is_empty()
            && earlier.len() == record.len()
            && earlier
                .iter()
                .zip(record)
                .enumerate()
                .all(|(i, (a, b))| ignored.get(i).copied().unwrap_or(false) || a == b)
    }

    /// The 1-based line an offset is on, for "first seen at line N".
    pub fn line_of(&self, offset: usize) -> usize {
        self.input.diagnostic(offset, "").line
    }

    /// Moves the row's problems into the report and counts the row as skipped.
    pub fn skip_row(&mut self, report: &mut ImportReport) {
        self.list.sort_by_key(|d| (d.line, d.column));
        report.problems.append(&mut self.list);
        report.skipped += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers.

/// A whole number ≥ 0: digits, optionally followed by `.0` (pandas writes integer columns with
/// gaps as floats).
pub(crate) fn parse_count(text: &str) -> Option<u64> {
    let digits = match text.split_once('.') {
        Some((whole, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => whole,
        Some(_) => return None,
        None => text,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A small code such as a precision (`1`, or `1.0`).
pub(crate) fn parse_code(text: &str) -> Option<u8> {
    parse_count(text).and_then(|n| u8::try_from(n).ok())
}

/// A coordinate in degrees within `-limit..=limit`. With `decimal_comma` (semicolon files from
/// spreadsheets in many locales) `36,25` reads as 36.25.
pub(crate) fn parse_degrees(text: &str, decimal_comma: bool, limit: f64) -> Result<f64, String> {
    let value = match text.parse::<f64>() {
        Ok(v) => Ok(v),
        Err(_) if decimal_comma && text.bytes().filter(|&b| b == b',').count() == 1 => {
            text.replace(',', ".").parse::<f64>()
        }
        Err(e) => Err(e),
    };
    match value {
        Ok(v) if v.is_finite() && (-limit..=limit).contains(&v) => Ok(v),
        Ok(v) if v.is_finite() => Err(format!("{} is out of range; it must lie within -{limit}..{limit}", shown(text))),
        _ => Err(format!("{} is not a number of degrees; write decimal degrees such as 36.25", shown(text))),
    }
}

/// Latitude and longitude of a row, both or neither; problems go to `rp`.
pub(crate) fn coordinates(
    record: &Fields<'_>,
    lat_col: Option<usize>,
    lon_col: Option<usize>,
    decimal_comma: bool,
    rp: &mut RowProblems<'_>,
) -> (Option<f64>, Option<f64>) {
    let (lat_text, lon_text) = (get(record, lat_col), get(record, lon_col));
    let blank = |t: &str| t.is_empty() || t.eq_ignore_ascii_case("na") || t.eq_ignore_ascii_case("nan");
    if blank(lat_text) && blank(lon_text) {
        return (None, None);
    }
    let mut one = |text: &str, col: Option<usize>, limit: f64, what: &str| {
        let col = col?;
        if blank(text) {
            rp.at(col, format!("{what} is empty but the other coordinate is given; give both, or neither"));
            return None;
        }
        match parse_degrees(text, decimal_comma, limit) {
            Ok(v) => Some(v),
            Err(message) => {
                rp.at(col, message);
                None
            }
        }
    };
    let lat = one(lat_text, lat_col, 90.0, "latitude");
    let lon = one(lon_text, lon_col, 180.0, "longitude");
    (lat, lon)
}

// ---------------------------------------------------------------------------------------------
// Dates.

/// A date form that tells its own reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateForm {
    /// `2021-11-04` (or `2021/11/04`, or with a time after it).
    Iso,
    /// `04 November 2021`, `4 Nov 2021`.
    DayMonthName,
    /// `4-Nov-21`, `04-Nov-2021`.
    DashMonthName,
    /// `04.11.2021`: always day first.
    Dotted,
}

impl DateForm {
    const ALL: [DateForm; 4] = [DateForm::Iso, DateForm::DayMonthName, DateForm::DashMonthName, DateForm::Dotted];

    fn label(self) -> &'static str {
        match self {
            DateForm::Iso => "yyyy-mm-dd",
            DateForm::DayMonthName => "dd Month yyyy",
            DateForm::DashMonthName => "d-Mon-yy",
            DateForm::Dotted => "dd.mm.yyyy",
        }
    }
}

/// A date of the form `a/b/yyyy` (or `a-b-yyyy`), read once the column's order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NumericDate {
    first: u32,
    second: u32,
    year: i32,
}

impl NumericDate {
    fn day_first(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.second, self.first)
    }

    fn month_first(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.first, self.second)
    }

    /// The day in the column's order (which this date fits: the column's order was chosen so).
    pub fn resolve(self, order: Order) -> NaiveDate {
        let (a, b) = match order {
            Order::DayFirst => (self.day_first(), self.month_first()),
            Order::MonthFirst => (self.month_first(), self.day_first()),
        };
        a.or(b).unwrap_or_default()
    }
}

/// How the column's slash dates read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    DayFirst,
    MonthFirst,
}

/// A date as parsed from one value, before the column decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParsedDate {
    Day(NaiveDate, DateForm),
    Numeric(NumericDate),
}

/// A value's date: known now, or once the column's order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateValue {
    Known(NaiveDate),
    Later(NumericDate),
}

impl DateValue {
    /// The day if known now (a placeholder otherwise, replaced after the pass).
    pub fn now(self) -> NaiveDate {
        match self {
            DateValue::Known(d) => d,
            DateValue::Later(_) => NaiveDate::MIN,
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| word.eq_ignore_ascii_case(m) || word.eq_ignore_ascii_case(&m[..3]))
        .or_else(|| word.eq_ignore_ascii_case("sept").then_some(8))
        .map(|i| i as u32 + 1)
}

/// A run of digits (at most four) as a number.
fn number(part: &[u8]) -> Option<u32> {
    (part.len() <= 4 && part.iter().all(u8::is_ascii_digit))
        .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// A date's three parts (runs of digits or of letters) and the separator between them, which
/// must be the same twice.
fn split_date(bytes: &[u8]) -> Option<([&[u8]; 3], u8)> {
    let run = |from: usize| {
        let alpha = bytes.get(from)?.is_ascii_alphabetic();
        let len = bytes[from..]
            .iter()
            .take_while(|c| if alpha { c.is_ascii_alphabetic() } else { c.is_ascii_digit() })
            .count();
        (len > 0).then_some(from + len)
    };
    let first_end = run(0)?;
    let sep = *bytes.get(first_end)?;
    let middle_end = run(first_end + 1)?;
    if bytes.get(middle_end) != Some(&sep) {
        return None;
    }
    let last_end = run(middle_end + 1)?;
    (last_end == bytes.len())
        .then(|| ([&bytes[..first_end], &bytes[first_end + 1..middle_end], &bytes[middle_end + 1..]], sep))
}

/// A year of two or four digits; two-digit years read as POSIX does (69–99 → 1900s, 00–68 →
/// 2000s).
fn year(value: u32, len: usize) -> Option<i32> {
    let value = i32::try_from(value).ok()?;
    match len {
        4 => Some(value),
        2 if value >= 69 => Some(1900 + value),
        2 => Some(2000 + value),
        _ => None,
    }
}

/// Parses one date value in any form that real exports and spreadsheet round-trips produce.
///
/// # Errors
/// A message saying what is wrong with the value and how to write it.
pub(crate) fn parse_date(text: &str) -> Result<ParsedDate, String> {
    let unreal = || format!("{} is not a real calendar date", shown(text));
    let unknown = || {
        if text.len() == 5 && text.bytes().all(|c| c.is_ascii_digit()) {
            format!(
                "{} looks like a spreadsheet's serial day number; format the column as a date (yyyy-mm-dd) \
                 and save again",
                shown(text)
            )
        } else if text.is_empty() {
            "the date is empty; write it as yyyy-mm-dd, e.g. 2021-11-04".to_string()
        } else {
            format!("{} is not a date sitdash reads; write it as yyyy-mm-dd, e.g. 2021-11-04", shown(text))
        }
    };
    // A time after the date (`2021-11-04 00:00:00`, `04/11/2021 00:00`) is ignored.
    let bytes = text.as_bytes();
    let time = bytes.iter().position(|&c| c == b'T' || c == b' ').filter(|&at| {
        at >= 8
            && bytes[..at].iter().all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'/' | b'.'))
            && bytes[at + 1..].iter().all(|c| c.is_ascii_digit() || matches!(c, b':' | b'.' | b'Z' | b'+' | b'-'))
    });
    let ([lead, middle, last], sep) = split_date(&bytes[..time.unwrap_or(bytes.len())]).ok_or_else(unknown)?;
    let short = middle.len() <= 2;
    match (lead.len(), sep, number(lead), number(middle), number(last)) {
        (4, b'-' | b'/', Some(y), Some(month), Some(day)) if short && last.len() <= 2 => {
            let y = i32::try_from(y).map_err(|_| unknown())?;
            NaiveDate::from_ymd_opt(y, month, day).map(|d| ParsedDate::Day(d, DateForm::Iso)).ok_or_else(unreal)
        }
        (1 | 2, b' ' | b'-', Some(day), None, Some(y)) => {
            let month = std::str::from_utf8(middle).ok().and_then(month_number).ok_or_else(unknown)?;
            let y = year(y, last.len()).ok_or_else(unknown)?;
            let form = if sep == b' ' { DateForm::DayMonthName } else { DateForm::DashMonthName };
            NaiveDate::from_ymd_opt(y, month, day).map(|d| ParsedDate::Day(d, form)).ok_or_else(unreal)
        }
        (1 | 2, b'.', Some(day), Some(month), Some(y)) if short => {
            let y = year(y, last.len()).ok_or_else(unknown)?;
            NaiveDate::from_ymd_opt(y, month, day).map(|d| ParsedDate::Day(d, DateForm::Dotted)).ok_or_else(unreal)
        }
        (1 | 2, b'/' | b'-', Some(first), Some(second), Some(y)) if short => {
            let value = NumericDate { first, second, year: year(y, last.len()).ok_or_else(unknown)? };
            if value.day_first().is_none() && value.month_first().is_none() {
                return Err(format!("{} is not a real date, neither as dd/mm/yyyy nor as mm/dd/yyyy", shown(text)));
            }
            Ok(ParsedDate::Numeric(value))
        }
        _ => Err(unknown()),
    }
}

/// The first value seen of a kind, for messages.
#[derive(Debug, Default)]
struct Example {
    count: usize,
    first: Option<(usize, String)>,
}

impl Example {
    /// Adds a later part's values: the first example stays the earlier one.
    fn merge(&mut self, later: Example) {
        self.count += later.count;
        if self.first.is_none() {
            self.first = later.first;
        }
    }

    fn note(&mut self, text: &str, at: impl FnOnce() -> usize) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((at(), text.to_string()));
        }
    }
}

/// The forms seen in one date column (or a pair, such as UCDP's date_start and date_end), to
/// decide how its slash dates read.
///
/// Rule: each value must parse in exactly one way once the column's order is fixed. Dates with
/// a month name, ISO dates and dotted dates read one way only. Slash dates read day first,
/// month first, or either (day and month both ≤ 12): if some can only be day first and none
/// only month first, the column is day first (and the other way round); if every slash date
/// reads either way, the column is ambiguous and the file is refused; if both kinds occur, the
/// column mixes orders and the file is refused. Never a silent guess.
#[derive(Debug)]
pub(crate) struct DateColumn {
    name: &'static str,
    forms: [usize; 4],
    day_first: Example,
    month_first: Example,
    either: Example,
}

impl DateColumn {
    pub fn new(name: &'static str) -> DateColumn {
        DateColumn {
            name,
            forms: [0; 4],
            day_first: Example::default(),
            month_first: Example::default(),
            either: Example::default(),
        }
    }

    /// Adds what a later part of the same column saw.
    pub fn merge(&mut self, later: DateColumn) {
        for (mine, theirs) in self.forms.iter_mut().zip(later.forms) {
            *mine += theirs;
        }
        self.day_first.merge(later.day_first);
        self.month_first.merge(later.month_first);
        self.either.merge(later.either);
    }

    /// Notes a parsed value; `at` gives its offset (asked only for the first of a kind).
    pub fn note(&mut self, parsed: ParsedDate, text: &str, at: impl FnOnce() -> usize) -> DateValue {
        match parsed {
            ParsedDate::Day(d, form) => {
                self.forms[form as usize] += 1;
                DateValue::Known(d)
            }
            ParsedDate::Numeric(n) => match (n.day_first(), n.month_first()) {
                (Some(a), Some(b)) if a == b => {
                    // 05/05/2021 reads the same either way.
                    self.either.count += 1;
                    DateValue::Known(a)
                }
                (Some(_), Some(_)) => {
                    self.either.note(text, at);
                    DateValue::Later(n)
                }
                (Some(_), None) => {
                    self.day_first.note(text, at);
                    DateValue::Later(n)
                }
                _ => {
                    self.month_first.note(text, at);
                    DateValue::Later(n)
                }
            },
        }
    }

    fn forms_seen(&self) -> String {
        let mut seen = Vec::new();
        for form in DateForm::ALL {
            let n = self.forms[form as usize];
            if n > 0 {
                seen.push(format!("{} ({n})", form.label()));
            }
        }
        for (label, ex) in [
            ("dd/mm/yyyy only", &self.day_first),
            ("mm/dd/yyyy only", &self.month_first),
            ("dd/mm/yyyy or mm/dd/yyyy", &self.either),
        ] {
            if ex.count > 0 {
                seen.push(format!("{label} ({})", ex.count));
            }
        }
        seen.join(", ")
    }

    /// The order of the column's slash dates.
    ///
    /// # Errors
    /// The column mixes orders, or fits both: the file is refused with what was seen and how
    /// to fix it.
    pub fn order(&self, input: &InputFile) -> Result<Order, Diagnostic> {
        let line = |offset: usize| input.diagnostic(offset, "").line;
        match (&self.day_first.first, &self.month_first.first, &self.either.first) {
            (Some((a, a_text)), Some((b, b_text)), _) => Err(input.diagnostic(
                *b,
                format!(
                    "column `{}` mixes day-first and month-first dates: `{a_text}` (line {}) is only a date as \
                     dd/mm/yyyy, `{b_text}` (line {}) only as mm/dd/yyyy. Forms seen: {}. Fix the rows in the \
                     other order, or re-export the data with ISO dates (yyyy-mm-dd)",
                    self.name,
                    line(*a),
                    line(*b),
                    self.forms_seen()
                ),
            )),
            (Some(_), None, _) => Ok(Order::DayFirst),
            (None, Some(_), _) => Ok(Order::MonthFirst),
            (None, None, Some((at, text))) => {
                let n = NumericDate::resolve;
                let parsed = parse_date(text).ok().and_then(|p| match p {
                    ParsedDate::Numeric(d) => Some(d),
                    ParsedDate::Day(..) => None,
                });
                let readings = parsed.map_or(String::new(), |d| {
                    let (a, b) = (n(d, Order::DayFirst), n(d, Order::MonthFirst));
                    format!(" (`{text}` is {} as dd/mm/yyyy but {} as mm/dd/yyyy)", long(a), long(b))
                });
                Err(input.diagnostic(
                    *at,
                    format!(
                        "column `{}`: cannot tell whether its dates are dd/mm/yyyy or mm/dd/yyyy: in all {} slash \
                         dates the day and the month are both 12 or less, so each reads both ways{readings}. \
                         Forms seen: {}. Re-export the data with ISO dates (yyyy-mm-dd), as ACLED and UCDP \
                         publish them, or format the column as yyyy-mm-dd in the spreadsheet before saving",
                        self.name,
                        self.either.count,
                        self.forms_seen()
                    ),
                ))
            }
            (None, None, None) => Ok(Order::DayFirst),
        }
    }
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// `date` moved by `days` (kept when out of chrono's range).
pub(crate) fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs())).unwrap_or(date)
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs())).unwrap_or(date)
    }
}

/// The first day of `date`'s month.
pub(crate) fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

// ---------------------------------------------------------------------------------------------
// Text search without allocation or regex.

/// A word or phrase to look for in free text (lower-case ASCII).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Needle {
    pub text: &'static str,
    /// True when the needle must end a word too ("ied" must not find "carried"); false when it
    /// may start a longer word ("abduct" finds "abducted").
    pub whole: bool,
}

impl Needle {
    /// True when this needle, found (ignoring case) at `h[at..end]`, counts: it starts a word,
    /// and ends one if it must.
    fn counts_at(&self, h: &[u8], at: usize, end: usize) -> bool {
        let alnum = |i: usize| h.get(i).is_some_and(u8::is_ascii_alphanumeric);
        (at == 0 || !alnum(at - 1)) && (!self.whole || !alnum(end))
    }
}

/// For each needle, where it first starts a word in `hay`, ignoring ASCII case: one pass over
/// the text whatever the number of needles, no allocation.
pub(crate) fn scan_words(hay: &str, needles: &[Needle], found: &mut [Option<usize>]) {
    let h = hay.as_bytes();
    let mut previous_alnum = false;
    for (i, &c) in h.iter().enumerate() {
        let alnum = c.is_ascii_alphanumeric();
        if alnum && !previous_alnum {
            let lower = c.to_ascii_lowercase();
            for (needle, slot) in needles.iter().zip(found.iter_mut()) {
                let n = needle.text.as_bytes();
                if slot.is_none()
                    && n[0] == lower
                    && h.len() - i >= n.len()
                    && h[i..i + n.len()].eq_ignore_ascii_case(n)
                    && needle.counts_at(h, i, i + n.len())
                {
                    *slot = Some(i);
                }
            }
        }
        previous_alnum = alnum;
    }
}

/// Needles searched for in every row (ACLED's vague-toll words): [`scan_words`] with an
/// automaton, built once, that skips from candidate to candidate where the scan looks at
/// every byte (the scan was a twentieth of a million-row load).
pub(crate) struct NeedleSet {
    needles: &'static [Needle],
    finder: std::sync::OnceLock<aho_corasick::AhoCorasick>,
}

impl NeedleSet {
    pub const fn new(needles: &'static [Needle]) -> NeedleSet {
        NeedleSet { needles, finder: std::sync::OnceLock::new() }
    }

    /// What [`scan_words`] finds for these needles.
    pub fn scan(&self, hay: &str, found: &mut [Option<usize>]) {
        let finder = self.finder.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(self.needles.iter().map(|n| n.text))
                .expect("a few fixed ASCII phrases make an automaton")
        });
        let h = hay.as_bytes();
        for m in finder.find_overlapping_iter(hay) {
            let i = m.pattern().as_usize();
            if let Some(slot) = found.get_mut(i)
                && slot.is_none()
                && self.needles[i].counts_at(h, m.start(), m.end())
            {
                *slot = Some(m.start());
            }
        }
    }
}

/// The index of the first needle (in list order) found in `hay`.
pub(crate) fn first_needle(hay: &str, needles: &[Needle]) -> Option<usize> {
    let mut found = [None; 16];
    let found = &mut found[..needles.len().min(16)];
    scan_words(hay, needles, found);
    found.iter().position(Option::is_some)
}

// ---------------------------------------------------------------------------------------------
// Interning places, actors and sources.

/// Lower-case letters and digits, everything else one `sep`; at most `max` characters.
pub(crate) fn slug(text: &str, sep: char, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max));
    let mut count = 0;
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                if count + 1 >= max {
                    break;
                }
                out.push(sep);
                count += 1;
            }
            gap = false;
            for l in c.to_lowercase() {
                out.push(l);
            }
            count += 1;
            if count >= max {
                break;
            }
        } else {
            gap = true;
        }
    }
    out
}

/// A new id from `base`: `base` itself when free, else `base` with a hash of `key`, else a
/// counter. Deterministic for a given file.
fn fresh_id(taken: &mut FastSet<String>, base: String, sep: char, key: &[u8]) -> String {
    let mut id = base;
    if taken.contains(&id) {
        let _ = write!(id, "{sep}{:08x}", fnv(key) as u32);
        let stem = id.clone();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("{stem}{sep}{n}");
            n += 1;
        }
    }
    taken.insert(id.clone());
    id
}

/// What identifies a place: two rows with the same name, administrative units and
/// coordinates are one place. The row's precision is not part of it: it says how sure the
/// row is of the place, and stays on the event.
pub(crate) struct PlaceFields<'r> {
    pub name: &'r str,
    pub country: &'r str,
    pub admin1: &'r str,
    pub admin2: &'r str,
    pub admin3: &'r str,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub precision: GeoPrecision,
}

const ADMIN3: &str = "admin3: ";

impl PlaceFields<'_> {
    fn key(&self, key: &mut Vec<u8>) {
        key.clear();
        for part in [self.country, self.admin1, self.admin2, self.admin3, self.name] {
            key.extend_from_slice(part.as_bytes());
            key.push(0x1f);
        }
        for coord in [self.lat, self.lon] {
            match coord {
                Some(v) => key.extend_from_slice(&v.to_bits().to_le_bytes()),
                None => key.push(0xff),
            }
        }
    }

    /// The administrative units the place lies in, outermost first, each as (level, name,
    /// the key that identifies it): country, admin1, admin2, as far as the row names them.
    fn units(&self) -> Vec<(usize, &str, Vec<u8>)> {
        let mut units = Vec::new();
        let mut key = vec![0x02];
        for (level, name) in [self.country, self.admin1, self.admin2].into_iter().enumerate() {
            key.extend_from_slice(name.as_bytes());
            key.push(0x1f);
            if !name.is_empty() {
                units.push((level, name, key.clone()));
            }
        }
        units
    }

    fn of(place: &Place) -> PlaceFields<'_> {
        fn opt(s: Option<&String>) -> &str {
            s.map_or("", String::as_str)
        }
        PlaceFields {
            name: &place.name,
            country: opt(place.country.as_ref()),
            admin1: opt(place.admin1.as_ref()),
            admin2: opt(place.admin2.as_ref()),
            admin3: place.note.as_deref().and_then(|n| n.strip_prefix(ADMIN3)).unwrap_or(""),
            lat: place.lat,
            lon: place.lon,
            precision: place.geo_precision,
        }
    }
}

/// The note an administrative unit made from the rows carries: what it is, and how an import
/// knows it again in a later file.
const UNIT_NOTES: [&str; 3] = [
    "a country, as the rows name it",
    "an admin1 region, as the rows name it",
    "an admin2 district, as the rows name it",
];

/// The level of an administrative unit an import made (0 country, 1 admin1, 2 admin2).
fn unit_level(place: &Place) -> Option<usize> {
    let note = place.note.as_deref()?;
    UNIT_NOTES.iter().position(|n| *n == note).filter(|_| place.lat.is_none())
}

/// The key of a unit an import made, from its own fields.
fn unit_key(place: &Place, level: usize) -> Vec<u8> {
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let fields = [opt(&place.country), opt(&place.admin1), opt(&place.admin2)];
    let mut key = vec![0x02];
    for name in &fields[..=level] {
        key.extend_from_slice(name.as_bytes());
        key.push(0x1f);
    }
    key
}

/// Places, actors and sources of the situation so far, by content, with the ids taken.
/// Records already staged (from earlier files) are reused when they match.
pub(crate) struct Registry {
    file: usize,
    actors: FastMap<String, usize>,
    actor_ids: FastSet<String>,
    first_new_actor: usize,
    places: FastMap<Box<[u8]>, usize>,
    /// Each staged place's id as the events share it, by position, made the first time an
    /// event is at the place: a row takes a count on it rather than a copy of the id.
    shared: Vec<Option<PlaceId>>,
    place_ids: FastSet<String>,
    sources: FastMap<String, usize>,
    source_ids: FastSet<String>,
    key: Vec<u8>,
    /// Records created here.
    pub created: usize,
}

impl Registry {
    pub fn new(staging: &Staging, file: usize) -> Registry {
        let mut key = Vec::new();
        let mut places = FastMap::default();
        for (i, p) in staging.places.iter().enumerate() {
            if let Some(level) = unit_level(&p.item) {
                places.entry(unit_key(&p.item, level).into()).or_insert(i);
            } else {
                PlaceFields::of(&p.item).key(&mut key);
                places.entry(key.as_slice().into()).or_insert(i);
            }
        }
        Registry {
            file,
            actors: staging.actors.iter().enumerate().map(|(i, a)| (a.item.name.clone(), i)).collect(),
            // `civilians` and `unknown` are casualty groups, never actor ids: an actor named
            // "Civilians" (UCDP's side_b of one-sided violence) must not become the group.
            actor_ids: staging
                .actors
                .iter()
                .map(|a| a.item.id.clone())
                .chain(["civilians".to_string(), "unknown".to_string()])
                .collect(),
            first_new_actor: staging.actors.len(),
            places,
            shared: Vec::new(),
            place_ids: staging.places.iter().map(|p| p.item.id.clone()).collect(),
            sources: staging.sources.iter().enumerate().map(|(i, s)| (s.item.publisher.clone(), i)).collect(),
            source_ids: staging.sources.iter().map(|s| s.item.id.clone()).collect(),
            key,
            created: 0,
        }
    }

    fn origin(&self, offset: usize) -> Origin {
        Origin { file: self.file, offset }
    }

    /// The id of the actor called `name`, created at `offset` when new. An inter code fills in
    /// one this import created without it.
    pub fn actor(&mut self, staging: &mut Staging, name: &str, inter: Option<u8>, offset: usize) -> String {
        let i = self.actor_at(staging, name, inter, offset);
        staging.actors[i].item.id.clone()
    }

    /// [`Registry::actor`], as the actor's position in `staging.actors`.
    pub fn actor_at(&mut self, staging: &mut Staging, name: &str, inter: Option<u8>, offset: usize) -> usize {
        if let Some(&i) = self.actors.get(name) {
            let actor = &mut staging.actors[i].item;
            if actor.inter.is_none() && inter.is_some() && i >= self.first_new_actor {
                actor.inter = inter;
            }
            return i;
        }
        let base = slug(name, '_', 60);
        let base = if base.is_empty() { "actor".to_string() } else { base };
        let id = fresh_id(&mut self.actor_ids, base, '_', name.as_bytes());
        self.actors.insert(name.to_string(), staging.actors.len());
        let item = Actor { id, name: name.to_string(), inter, alt_names: Vec::new() };
        staging.actors.push(Staged { item, origin: self.origin(offset) });
        self.created += 1;
        staging.actors.len() - 1
    }

    /// The id of the place with these fields, created at `offset` when new, inside the
    /// administrative units it names (country, admin1, admin2; each made once, as a place of
    /// its own, the first time a row names it), so that the places pane can nest them and a
    /// narrowing to a region takes in every place inside it.
    pub fn place(&mut self, staging: &mut Staging, fields: &PlaceFields<'_>, offset: usize) -> PlaceId {
        fields.key(&mut self.key);
        if let Some(&i) = self.places.get(self.key.as_slice()) {
            return self.shared_id(staging, i);
        }
        let key = std::mem::take(&mut self.key);
        let part_of = self.units(staging, fields, offset);
        self.key = key;
        let base = slug(fields.name, '-', 48);
        let base = if base.is_empty() { "place".to_string() } else { base };
        let id = fresh_id(&mut self.place_ids, base, '-', &self.key);
        self.places.insert(self.key.as_slice().into(), staging.places.len());
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let item = Place {
            id: id.clone(),
            name: fields.name.to_string(),
            alt_names: Vec::new(),
            country: some(fields.country),
            admin1: some(fields.admin1),
            admin2: some(fields.admin2),
            lat: fields.lat,
            lon: fields.lon,
            geo_precision: fields.precision,
            coord_confidence: None,
            part_of,
            note: (!fields.admin3.is_empty()).then(|| format!("{ADMIN3}{}", fields.admin3)),
        };
        staging.places.push(Staged { item, origin: self.origin(offset) });
        self.created += 1;
        self.shared_id(staging, staging.places.len() - 1)
    }

    /// The shared id of the staged place at `i`.
    fn shared_id(&mut self, staging: &Staging, i: usize) -> PlaceId {
        if self.shared.len() <= i {
            self.shared.resize(i + 1, None);
        }
        *self.shared[i].get_or_insert_with(|| PlaceId::of(&staging.places[i].item.id))
    }

    /// The id of the innermost unit the fields name, making the units not seen before.
    fn units(&mut self, staging: &mut Staging, fields: &PlaceFields<'_>, offset: usize) -> Option<String> {
        let mut parent: Option<String> = None;
        for (level, name, key) in fields.units() {
            if let Some(&i) = self.places.get(key.as_slice()) {
                parent = Some(staging.places[i].item.id.clone());
                continue;
            }
            let base = slug(name, '-', 48);
            let base = if base.is_empty() { "area".to_string() } else { base };
            let id = fresh_id(&mut self.place_ids, base, '-', &key);
            self.places.insert(key.into_boxed_slice(), staging.places.len());
            let upto = |l: usize, s: &str| (level >= l && !s.is_empty()).then(|| s.to_string());
            let item = Place {
                id: id.clone(),
                name: name.to_string(),
                alt_names: Vec::new(),
                country: upto(0, fields.country),
                admin1: upto(1, fields.admin1),
                admin2: upto(2, fields.admin2),
                lat: None,
                lon: None,
                geo_precision: GeoPrecision::Region,
                coord_confidence: None,
                part_of: parent.take(),
                note: Some(UNIT_NOTES[level].to_string()),
            };
            staging.places.push(Staged { item, origin: self.origin(offset) });
            self.created += 1;
            parent = Some(id);
        }
        parent
    }

    /// The id of the source published as `publisher`, created at `offset` when new.
    pub fn source(&mut self, staging: &mut Staging, publisher: &str, note: &str, offset: usize) -> String {
        let i = self.source_at(staging, publisher, note, offset);
        staging.sources[i].item.id.clone()
    }

    /// [`Registry::source`], as the source's position in `staging.sources`.
    pub fn source_at(&mut self, staging: &mut Staging, publisher: &str, note: &str, offset: usize) -> usize {
        if let Some(&i) = self.sources.get(publisher) {
            return i;
        }
        let base = slug(publisher, '-', 48);
        let base = if base.is_empty() { "source".to_string() } else { base };
        let id = fresh_id(&mut self.source_ids, base, '-', publisher.as_bytes());
        self.sources.insert(publisher.to_string(), staging.sources.len());
        let item = Source {
            id,
            publisher: publisher.to_string(),
            title: None,
            published: None,
            url: None,
            note: Some(note.to_string()),
        };
        staging.sources.push(Staged { item, origin: self.origin(offset) });
        self.created += 1;
        staging.sources.len() - 1
    }
}

/// "1 fatality", "3 fatalities".
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(id: &str, offset: usize) -> Staged<Event> {
        let json = format!(r#"{{"id":"{id}","date":"2020-02-07","kind":"attack","place":"t","summary":"s"}}"#);
        Staged { item: serde_json::from_str(&json).unwrap(), origin: Origin { file: 1, offset } }
    }

    #[test]
    fn event_ids_find_each_event_by_its_own_id() {
        // An earlier file's event is in the staging too, but not among this file's ids.
        let mut events = vec![staged("a", 5)];
        let mut ids = EventIds::default();
        for (k, id) in ["a", "b", "a#2", "ab", ""].into_iter().enumerate() {
            events.push(staged(id, 100 + k));
            ids.insert(&events, events.len() - 1);
        }
        assert_eq!(ids.first_at(&events, "a"), Some(100));
        assert_eq!(ids.first_at(&events, "b"), Some(101));
        assert_eq!(ids.first_at(&events, "a#2"), Some(102));
        assert_eq!(ids.first_at(&events, ""), Some(104));
        assert!(ids.contains(&events, "ab") && !ids.contains(&events, "a#3") && !ids.contains(&events, "A"));
        // A later event under an id counts in its place, as a map's insert would.
        events.push(staged("b", 200));
        ids.insert(&events, events.len() - 1);
        assert_eq!(ids.first_at(&events, "b"), Some(200));
        // Many ids: the table grows, rehashing by the staged ids, and finds them all.
        for k in 0..5_000 {
            events.push(staged(&format!("VLD{k}"), 1_000 + k));
            ids.insert(&events, events.len() - 1);
        }
        assert!((0..5_000).all(|k| ids.first_at(&events, &format!("VLD{k}")) == Some(1_000 + k)));
        assert_eq!(ids.first_at(&events, "a"), Some(100));
        assert!(!ids.contains(&events, "VLD5000"));
        // A position past the staging counts nothing.
        ids.insert(&events, events.len() + 3);
        assert_eq!(ids.table.len(), 5 + 5_000);
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn date_forms() {
        let known = |t: &str| match parse_date(t) {
            Ok(ParsedDate::Day(d, f)) => (d, f),
            other => panic!("{t}: {other:?}"),
        };
        assert_eq!(known("2021-11-04"), (day(2021, 11, 4), DateForm::Iso));
        assert_eq!(known("2021-11-04 00:00:00.000"), (day(2021, 11, 4), DateForm::Iso));
        assert_eq!(known("2021/11/04"), (day(2021, 11, 4), DateForm::Iso));
        assert_eq!(known("04 November 2021"), (day(2021, 11, 4), DateForm::DayMonthName));
        assert_eq!(known("4 Nov 2021"), (day(2021, 11, 4), DateForm::DayMonthName));
        assert_eq!(known("4-Nov-21"), (day(2021, 11, 4), DateForm::DashMonthName));
        assert_eq!(known("04-Nov-2021"), (day(2021, 11, 4), DateForm::DashMonthName));
        assert_eq!(known("04-Sept-1998"), (day(1998, 9, 4), DateForm::DashMonthName));
        assert_eq!(known("04.11.2021"), (day(2021, 11, 4), DateForm::Dotted));
        assert_eq!(parse_date("04/11/2021"), Ok(ParsedDate::Numeric(NumericDate { first: 4, second: 11, year: 2021 })));
        assert_eq!(parse_date("4/11/21"), Ok(ParsedDate::Numeric(NumericDate { first: 4, second: 11, year: 2021 })));
        for bad in ["", "2021-13-01", "2021-02-30", "31/31/2021", "44504", "Nov 4 2021", "04 Novembre 2021", "2021-1"] {
            assert!(parse_date(bad).is_err(), "{bad:?} should not parse");
        }
        assert!(parse_date("44504").unwrap_err().contains("serial"));
    }

    #[test]
    fn slugs_and_words() {
        assert_eq!(slug("Military Forces of Syria (2000-)", '_', 60), "military_forces_of_syria_2000");
        assert_eq!(slug("Sarāqib", '-', 48), "sarāqib");
        assert_eq!(slug("--", '-', 48), "");
        assert_eq!(slug("abc def ghi", '-', 7), "abc-def");
        let needles = [
            Needle { text: "at least", whole: true },
            Needle { text: "dozens", whole: true },
            Needle { text: "ied", whole: true },
            Needle { text: "abduct", whole: false },
        ];
        let mut found = [None; 4];
        scan_words("Killed at least 5; Dozens were abducted, carried", &needles, &mut found);
        assert_eq!(found, [Some(7), Some(19), None, Some(31)]);
        assert_eq!(first_needle("an IED blast", &needles), Some(2));
        assert_eq!(first_needle("nothing here", &needles), None);
    }

    const PHRASES: [Needle; 6] = [
        Needle { text: "at least", whole: true },
        Needle { text: "more than", whole: true },
        Needle { text: "dozens", whole: true },
        Needle { text: "hundreds", whole: true },
        Needle { text: "scores", whole: true },
        Needle { text: "tens of", whole: false },
    ];
    static PHRASE_SET: NeedleSet = NeedleSet::new(&PHRASES);

    fn by_scan(hay: &str) -> [Option<usize>; 6] {
        let mut found = [None; 6];
        scan_words(hay, &PHRASES, &mut found);
        found
    }

    fn by_automaton(hay: &str) -> [Option<usize>; 6] {
        let mut found = [None; 6];
        PHRASE_SET.scan(hay, &mut found);
        found
    }

    #[test]
    fn needle_sets_start_words_and_whole_ones_end_them() {
        let notes = "Underscores; AT LEAST 4 and at leastwise, kittens of dozens, tens office.";
        let found = by_automaton(notes);
        assert_eq!(found, by_scan(notes));
        assert_eq!(found[0], notes.find("AT LEAST"));
        assert_eq!(found[2], notes.find("dozens"));
        assert_eq!(found[4], None, "scores inside underscores starts no word");
        assert_eq!(
            found[5],
            notes.find("tens off"),
            "not in kittens; a needle that need not be whole starts a longer word"
        );
    }

    proptest::proptest! {
        #[test]
        fn needle_sets_find_what_the_scan_finds(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("at least"), proptest::strategy::Just("At Least"),
                    proptest::strategy::Just("more than"), proptest::strategy::Just("dozens"),
                    proptest::strategy::Just("hundreds"), proptest::strategy::Just("scores"),
                    proptest::strategy::Just("tens of"), proptest::strategy::Just("x"),
                    proptest::strategy::Just("é"), proptest::strategy::Just(" "), proptest::strategy::Just(","),
                    proptest::strategy::Just("7"), proptest::strategy::Just("ten"), proptest::strategy::Just("s"),
                    proptest::strategy::Just("kit"), proptest::strategy::Just("office"),
                ],
                0..24,
            )
        ) {
            let notes = parts.concat();
            proptest::prop_assert_eq!(by_automaton(&notes), by_scan(&notes));
        }
    }

    #[test]
    fn counts_and_degrees() {
        assert_eq!(parse_count("12"), Some(12));
        assert_eq!(parse_count("12.0"), Some(12));
        assert_eq!(parse_count("12.5"), None);
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count("x"), None);
        assert_eq!(parse_degrees("36,25", true, 90.0), Ok(36.25));
        assert!(parse_degrees("36,25", false, 90.0).is_err());
        assert!(parse_degrees("91", false, 90.0).unwrap_err().contains("out of range"));
        assert!(parse_degrees("NaN", false, 90.0).is_err());
    }

    #[test]
    fn split_points() {
        let text = b"h1,h2\n1,\"a\nb\"\n2,x\n3,\"say \"\"hi\"\"\n\"\n4,y\n";
        // A break inside quotes is passed over; the next one outside them splits.
        assert_eq!(split_point(text, b',', 9), Some(14));
        assert_eq!(&text[14..17], b"2,x");
        // Doubled quotes inside a field do not end it.
        assert_eq!(split_point(text, b',', 22), Some(34));
        assert_eq!(&text[34..37], b"4,y");
        // No split after the last row, nor in a file with a stray quote before the target.
        assert_eq!(split_point(text, b',', 37), None);
        assert_eq!(split_point(b"h\n1,a\"b\n2,c\n3,d\n", b',', 10), None);
        // A stray quote after the split does not matter; CRLF line ends split after the LF.
        assert_eq!(split_point(b"h\r\n1,a\r\n2,b\"\r\n", b',', 4), Some(8));
        assert_eq!(split_point(b"h;x\n1;\"a;b\";c\n2;d\n", b';', 6), Some(14));
    }

    #[test]
    fn delimiter_and_offsets() {
        assert_eq!(sniff_delimiter("a;b;c\n1,2;3;4"), b';');
        assert_eq!(sniff_delimiter(",a,b\n"), b',');
        assert_eq!(sniff_delimiter("\"a;b\",c,d\n"), b',');
        let text = b"x,\"a,\nb\",c\n";
        assert_eq!(field_offset(text, 0, 2, b','), 9);
        assert_eq!(field_offset(text, 0, 5, b','), 10);
    }
}
