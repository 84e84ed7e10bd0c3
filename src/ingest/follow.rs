//! Following files that change while they are shown. [`Tail`] is the pure state of one file:
//! told the file's stat and given a way to read from an offset, it says whether lines were
//! appended (only the new bytes are read, and a half-written line waits until it is whole),
//! the file was replaced or rewritten, or nothing happened. [`append`] takes appended JSON
//! Lines into a situation: checked against what is loaded, bad records reported and skipped,
//! never fatal. Ingest layer: files and records, no terminal.

use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::time::SystemTime;

use crate::domain::model::Situation;
use crate::ingest::input::{Diagnostic, InputFile, InputFormat, Origin, Staged, Staging, detect_format};
use crate::ingest::load::{clean_strings, read_lines_into};
use crate::ingest::validate;

/// What is known of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// The file's identity (inode and device on Unix): a file renamed over the old one has
    /// another.
    pub id: (u64, u64),
}

/// A file as [`Tail`] sees it: a stat and reads from an offset. The real one is [`DiskFile`];
/// tests use one in memory.
pub trait WatchedFile {
    /// `Ok(None)` when the file is not there (for now).
    fn stat(&self) -> io::Result<Option<FileStat>>;
    /// Up to `max` bytes from `offset`.
    fn read_at(&self, offset: u64, max: u64) -> io::Result<Vec<u8>>;
}

/// A file on disk.
#[derive(Debug, Clone)]
pub struct DiskFile(pub PathBuf);

impl WatchedFile for DiskFile {
    fn stat(&self) -> io::Result<Option<FileStat>> {
        match std::fs::metadata(&self.0) {
            Ok(meta) => Ok(Some(FileStat { len: meta.len(), modified: meta.modified().ok(), id: file_id(&meta) })),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    fn read_at(&self, offset: u64, max: u64) -> io::Result<Vec<u8>> {
        let mut file = std::fs::File::open(&self.0)?;
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = Vec::new();
        file.take(max).read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// How much of a file's start is compared to notice a rewrite that kept or grew its length.
const HEAD: u64 = 256;
/// The most one check reads of an append; the rest waits for the next check.
const MAX_APPEND: u64 = 64 << 20;

/// What changed in a file since the last check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Unchanged,
    /// Whole new lines of a JSON Lines file, and the line number of the first.
    Appended {
        text: String,
        first_line: usize,
    },
    /// Replaced, rewritten or cut short: it must be read again whole.
    Replaced,
    /// Not there (moved away, about to be replaced).
    Gone,
    /// It could not be read, and why.
    Unreadable(String),
}

/// One followed file: how far it has been read, and what it looked like then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tail {
    pub name: String,
    /// Only JSON Lines are followed line by line; any change to another format is a reload.
    pub lines_format: bool,
    /// Bytes read so far, whole lines or not.
    pub read_to: u64,
    /// The bytes of a line not yet ended.
    pending: Vec<u8>,
    /// Lines taken so far (for the line numbers of problems).
    lines: usize,
    stat: Option<FileStat>,
    head: Vec<u8>,
}

impl Tail {
    /// Starts following a file as it is now, taken as read up to its current length (the
    /// load that showed it read it whole).
    ///
    /// # Errors
    /// The file cannot be examined.
    pub fn start(file: &impl WatchedFile, name: &str, format: InputFormat) -> io::Result<Tail> {
        let stat = file.stat()?;
        let len = stat.map_or(0, |s| s.len);
        let head = file.read_at(0, HEAD.min(len))?;
        let lines_format = match format {
            InputFormat::JsonLines => true,
            InputFormat::Auto => {
                crate::ingest::input::is_lines_name(name)
                    || detect_format(name, &String::from_utf8_lossy(&head)) == InputFormat::JsonLines
            }
            _ => false,
        };
        // Lines before the end are counted once, for line numbers; a large file is read in
        // blocks, never held whole.
        let mut lines = 0;
        let mut pending = Vec::new();
        if lines_format {
            let mut at = 0;
            while at < len {
                let block = file.read_at(at, (8 << 20).min(len - at))?;
                if block.is_empty() {
                    break;
                }
                lines += memchr::memchr_iter(b'\n', &block).count();
                at += block.len() as u64;
                if at >= len {
                    let tail_start = memchr::memrchr(b'\n', &block).map_or(0, |i| i + 1);
                    pending = block[tail_start..].to_vec();
                }
            }
        }
        Ok(Tail { name: name.to_string(), lines_format, read_to: len, pending, lines, stat, head })
    }

    /// Looks at the file again.
    ///
    /// # Errors
    /// The file cannot be examined or read.
    pub fn check(&mut self, file: &impl WatchedFile) -> io::Result<Change> {
        let Some(stat) = file.stat()? else {
            if self.stat.is_none() {
                return Ok(Change::Unchanged);
            }
            self.stat = None;
            return Ok(Change::Gone);
        };
        let was = self.stat.replace(stat);
        let same_file = was.is_some_and(|w| w.id == stat.id);
        if !same_file || stat.len < self.read_to {
            return Ok(Change::Replaced);
        }
        if was == Some(stat) && stat.len == self.read_to {
            return Ok(Change::Unchanged);
        }
        // Something was written. Another format is read again whole; JSON Lines only when
        // the start of the file changed (a rewrite), else the new bytes are an append.
        if !self.lines_format || file.read_at(0, HEAD.min(self.read_to))? != self.head {
            return Ok(Change::Replaced);
        }
        if stat.len == self.read_to {
            return Ok(Change::Unchanged);
        }
        let bytes = file.read_at(self.read_to, (stat.len - self.read_to).min(MAX_APPEND))?;
        self.read_to += bytes.len() as u64;
        if self.head.len() < HEAD as usize {
            let need = HEAD as usize - self.head.len();
            self.head.extend_from_slice(&bytes[..need.min(bytes.len())]);
        }
        self.pending.extend_from_slice(&bytes);
        let Some(end) = memchr::memrchr(b'\n', &self.pending) else { return Ok(Change::Unchanged) };
        let rest = self.pending.split_off(end + 1);
        let whole = std::mem::replace(&mut self.pending, rest);
        let first_line = self.lines + 1;
        self.lines += memchr::memchr_iter(b'\n', &whole).count();
        let text = match String::from_utf8(whole) {
            Ok(text) => text,
            // Kept visible rather than dropped: the line that is not UTF-8 fails to parse.
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        };
        Ok(Change::Appended { text, first_line })
    }
}

fn ctx<T>(item: T) -> Staged<T> {
    Staged { item, origin: Origin { file: 0, offset: 0 } }
}

fn new_part<T>(v: Vec<Staged<T>>, skip: usize) -> Vec<T> {
    v.into_iter().skip(skip).map(|s| s.item).collect()
}

/// What taking appended lines did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Appended {
    /// Records added (events, and the claims, places, … they came with).
    pub records: usize,
    pub events: usize,
    /// Lines that were already loaded (a line the load read whole and the tail again).
    pub already_loaded: usize,
    /// Bad records, skipped: where and why.
    pub problems: Vec<Diagnostic>,
    /// True when the new events sort after every event loaded (a stream of news usually
    /// does): the events before them kept their positions, so a search index can be extended.
    pub at_end: bool,
}

/// Takes whole appended JSON Lines into `sit`: each record is checked against what is
/// loaded as a load would check it, a bad one is reported (file:line:column) and skipped,
/// and the rest is added. The situation is re-indexed; the caller rebuilds its search index.
pub fn append(sit: &mut Situation, name: &str, text: String, first_line: usize) -> Appended {
    // Context first (file 0, never blamed or removed), then the new records (file 1).
    let context_file = InputFile::new("(loaded data)", String::new());
    let chunk = InputFile::new(name.to_string(), text);
    let files = [context_file, chunk];
    let mut fresh = Staging::default();
    let mut problems = read_lines_into(&files, 1, &mut fresh);
    let shift = |d: &mut Diagnostic| d.line += first_line.saturating_sub(1);

    // A record identical to one loaded is the same record read twice, not a new one.
    let mut already_loaded = 0;
    fresh.events.retain(|e| match sit.event_index(&e.item.id) {
        Some(i) if sit.events[i] == e.item => {
            already_loaded += 1;
            false
        }
        _ => true,
    });
    fresh.claims.retain(|c| sit.claim(&c.item.id).as_deref() != Some(&c.item));
    let mut staging = Staging::default();
    let context;
    {
        staging.sources = sit.sources.iter().cloned().map(ctx).collect();
        staging.actors = sit.actors.iter().cloned().map(ctx).collect();
        staging.places = sit.places.iter().cloned().map(ctx).collect();
        staging.displacement = sit.displacement.iter().cloned().map(ctx).collect();
        staging.posts = sit.posts.iter().cloned().map(ctx).collect();
        // Of the two large collections, only what the new records refer to.
        let mut claim_ids: Vec<&str> = Vec::new();
        let mut event_ids: Vec<&str> = Vec::new();
        for e in &fresh.events {
            claim_ids.extend(e.item.written().claims.iter().map(String::as_str));
            for c in &e.item.written().casualties {
                claim_ids.extend(c.claims.iter().map(String::as_str));
                claim_ids.push(&c.chosen);
            }
            event_ids.extend(e.item.written().same_incident_as.as_deref());
            event_ids.push(&e.item.id);
        }
        for s in &fresh.displacement {
            for v in &s.item.values {
                claim_ids.extend(v.claims.iter().map(String::as_str));
            }
        }
        for p in &fresh.posts {
            claim_ids.extend(p.item.framework_claims.iter().map(String::as_str));
            for h in &p.item.history {
                claim_ids.extend(h.written_claims.iter().map(String::as_str));
            }
        }
        claim_ids.extend(fresh.claims.iter().map(|c| c.item.id.as_str()));
        claim_ids.sort_unstable();
        claim_ids.dedup();
        event_ids.sort_unstable();
        event_ids.dedup();
        // Stored claims, and those read from notes (made when asked).
        staging.claims = claim_ids
            .iter()
            .filter_map(|id| sit.read_claim_by_id(id).or_else(|| sit.claim_index(id).map(|i| sit.claims[i].clone())))
            .map(ctx)
            .collect();
        staging.events =
            event_ids.iter().filter_map(|id| sit.event_index(id)).map(|i| ctx(sit.events[i].clone())).collect();
        // A UCDP row among them reads its figures by position.
        if staging.events.iter().any(|e| e.item.row.is_some_and(|r| r.is_ucdp())) {
            staging.ucdp_rows.clone_from(&sit.ucdp_rows);
        }
        context = [
            staging.sources.len(),
            staging.actors.len(),
            staging.places.len(),
            staging.claims.len(),
            staging.events.len(),
            staging.displacement.len(),
            staging.posts.len(),
        ];
    }
    // New records replace nothing: a record with a loaded id is a clash that validation names.
    staging.sources.append(&mut fresh.sources);
    staging.actors.append(&mut fresh.actors);
    staging.places.append(&mut fresh.places);
    staging.claims.append(&mut fresh.claims);
    staging.events.append(&mut fresh.events);
    staging.displacement.append(&mut fresh.displacement);
    staging.posts.append(&mut fresh.posts);
    let is_context = |c: crate::ingest::input::Collection, i: usize| {
        use crate::ingest::input::Collection as C;
        let k = match c {
            C::Sources => 0,
            C::Actors => 1,
            C::Places => 2,
            C::Claims => 3,
            C::Events => 4,
            C::Displacement => 5,
            C::Posts => 6,
        };
        i < context[k]
    };
    // As a lenient load does: skip what is wrong until what is left is right.
    for _round in 0..16 {
        let found = validate::validate(&staging, &files);
        let doomed: Vec<_> = found.iter().map(|(r, _)| *r).filter(|&(c, i)| !is_context(c, i)).collect();
        problems.extend(found.into_iter().filter(|((c, i), _)| !is_context(*c, *i)).map(|(_, d)| d));
        if doomed.is_empty() {
            break;
        }
        staging.remove(&doomed);
    }
    problems.iter_mut().for_each(shift);
    let mut added = Situation {
        sources: new_part(staging.sources, context[0]),
        actors: new_part(staging.actors, context[1]),
        places: new_part(staging.places, context[2]),
        claims: new_part(staging.claims, context[3]),
        events: new_part(staging.events, context[4]),
        displacement: new_part(staging.displacement, context[5]),
        posts: new_part(staging.posts, context[6]),
        ..Situation::default()
    };
    clean_strings(&mut added);
    let events = added.events.len();
    let records = events
        + added.sources.len()
        + added.actors.len()
        + added.places.len()
        + added.claims.len()
        + added.displacement.len()
        + added.posts.len();
    let mut at_end = true;
    if records > 0 {
        // The situation's date moves on with what happens after it.
        let latest = added.events.iter().map(|e| e.span().end).max();
        let key = |e: &crate::domain::model::Event| (e.date, e.precision, e.end);
        // Events are kept sorted, so the last is the latest.
        at_end = match (sit.events.last().map(key), added.events.iter().map(key).min()) {
            (Some(old), Some(new)) => new >= old,
            _ => true,
        };
        sit.as_of = sit.as_of.max(latest);
        sit.sources.append(&mut added.sources);
        sit.actors.append(&mut added.actors);
        sit.places.append(&mut added.places);
        sit.claims.append(&mut added.claims);
        sit.events.append(&mut added.events);
        sit.displacement.append(&mut added.displacement);
        sit.posts.append(&mut added.posts);
        sit.reindex();
        sit.store_notes();
    }
    Appended { records, events, already_loaded, problems, at_end }
}
