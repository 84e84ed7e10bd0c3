//! A large CSV file read from disk as it is parsed, instead of held whole in memory: the
//! parse keeps only the bytes from the row it is on, and the rare look back (a repeated row,
//! a problem's line and column) reads the file again at an offset.
//!
//! A million-row export is about 440 MB of text; held whole beside the records made from
//! it, it was half of the load's peak memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use crate::ingest::locate::LineIndex;

/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 20;

/// Bytes a tape lets pile up before the rows read are dropped: dropping moves what is left
/// to the front, so it is done seldom.
const KEEP: usize = 4 << 20;

/// A file read in place: where it is and how much of it is text.
#[derive(Debug)]
pub struct OnDisk {
    path: PathBuf,
    /// Open for the reads at an offset (a problem's position, a row read again).
    file: File,
    /// Bytes before the text (a byte-order mark).
    skip: u64,
    /// Bytes of text.
    pub len: usize,
    /// Bytes read at a time, and let pile up before the rows read are dropped.
    chunk: usize,
    keep: usize,
}

impl OnDisk {
    /// The file at `path`, whose text starts after `skip` bytes and runs for `len`.
    ///
    /// # Errors
    /// When it cannot be opened.
    pub fn open(path: PathBuf, skip: u64, len: usize) -> std::io::Result<OnDisk> {
        let file = File::open(&path)?;
        Ok(OnDisk { path, file, skip, len, chunk: CHUNK, keep: KEEP })
    }

    /// With other sizes of chunk and of bytes kept (for tests: rows then cross chunks).
    #[doc(hidden)]
    #[must_use]
    pub fn with_chunks(self, chunk: usize, keep: usize) -> OnDisk {
        OnDisk { chunk: chunk.max(1), keep, ..self }
    }

    /// Opens the file again at text offset `at`, for a reader of its own.
    fn open_at(&self, at: usize) -> std::io::Result<File> {
        let mut file = File::open(&self.path)?;
        file.seek(SeekFrom::Start(self.skip + at as u64))?;
        Ok(file)
    }

    /// Reads into `buf` from text offset `at`; the bytes read.
    fn read_at(&self, at: usize, buf: &mut [u8]) -> std::io::Result<usize> {
        let at = self.skip + at as u64;
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_at(&self.file, buf, at)
        }
        #[cfg(not(unix))]
        {
            let mut file = File::open(&self.path)?;
            file.seek(SeekFrom::Start(at))?;
            file.read(buf)
        }
    }

    /// The text's bytes from `from` to `to` (cut at the end of the text), or those that could
    /// be read.
    #[must_use]
    pub fn read(&self, from: usize, to: usize) -> Vec<u8> {
        let to = to.min(self.len);
        let mut bytes = vec![0; to.saturating_sub(from)];
        let mut got = 0;
        while got < bytes.len() {
            match self.read_at(from + got, &mut bytes[got..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        bytes.truncate(got);
        bytes
    }

    /// Where every line starts: read through once, on the first problem to place.
    #[must_use]
    pub fn lines(&self) -> LineIndex {
        let mut index = LineIndex::new("");
        let mut window = Window::new(self);
        let mut at = 0;
        while at < self.len {
            let chunk = window.from(at);
            if chunk.is_empty() {
                break;
            }
            index.add(at, chunk);
            at += chunk.len();
        }
        index
    }

    /// 1-based line and column (in characters) of a text offset.
    #[must_use]
    pub fn position(&self, lines: &LineIndex, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let (line, start) = lines.line_of(offset);
        // A UTF-8 character is one lead byte and up to three continuation bytes.
        let bytes = self.read(start, offset + 4);
        let continuation = |b: &u8| b & 0xc0 == 0x80;
        let mut end = (offset - start).min(bytes.len());
        while end > 0 && bytes.get(end).is_some_and(continuation) {
            end -= 1;
        }
        (line, bytes[..end].iter().filter(|b| !continuation(b)).count() + 1)
    }
}

/// Why a tape stopped before its end: the text offset, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub at: usize,
    pub what: String,
}

/// The bytes of part of a text, given to a CSV reader; it keeps what it has given since the
/// last [`Tape::release`], so that the row just read can be looked at again.
pub enum Tape<'a> {
    /// A text held in memory (offsets are into `text`).
    Held { text: &'a [u8], pos: usize, end: usize },
    /// A text read from disk as it is given.
    Disk(Box<DiskTape>),
}

/// A tape over a file read in place.
pub struct DiskTape {
    file: Option<File>,
    chunk: usize,
    keep: usize,
    /// Bytes from text offset `kept_at` on, read and not yet released.
    kept: Vec<u8>,
    kept_at: usize,
    /// Text offsets: given to the reader up to `given`; checked as UTF-8 up to `checked`;
    /// read from the file up to `next`; the tape ends at `end`.
    given: usize,
    checked: usize,
    next: usize,
    end: usize,
    failure: Option<Failure>,
}

impl<'a> Tape<'a> {
    #[must_use]
    pub fn held(text: &'a [u8], from: usize, to: usize) -> Tape<'a> {
        let end = to.min(text.len());
        Tape::Held { text, pos: from.min(end), end }
    }

    /// A tape over `disk`'s text from `from` to `to`.
    #[must_use]
    pub fn disk(disk: &OnDisk, from: usize, to: usize) -> Tape<'a> {
        let end = to.min(disk.len);
        let from = from.min(end);
        let (file, failure) = match disk.open_at(from) {
            Ok(file) => (Some(file), None),
            Err(e) => (None, Some(Failure { at: from, what: format!("cannot read: {e}") })),
        };
        Tape::Disk(Box::new(DiskTape {
            file,
            chunk: disk.chunk,
            keep: disk.keep,
            kept: Vec::new(),
            kept_at: from,
            given: from,
            checked: from,
            next: from,
            end,
            failure,
        }))
    }

    /// The bytes from `from` to `to`, if the tape still keeps them (those of the row just
    /// read always are); otherwise what of them it keeps.
    #[must_use]
    pub fn bytes(&self, from: usize, to: usize) -> &[u8] {
        match self {
            Tape::Held { text, .. } => {
                let to = to.min(text.len());
                text.get(from.min(to)..to).unwrap_or_default()
            }
            Tape::Disk(d) => {
                let lo = from.saturating_sub(d.kept_at).min(d.kept.len());
                let hi = to.saturating_sub(d.kept_at).clamp(lo, d.kept.len());
                &d.kept[lo..hi]
            }
        }
    }

    /// The bytes before text offset `before` are not needed again.
    pub fn release(&mut self, before: usize) {
        if let Tape::Disk(d) = self
            && before > d.kept_at + d.keep
            && before <= d.given
        {
            d.kept.drain(..before - d.kept_at);
            d.kept_at = before;
        }
    }

    /// Why the tape stopped early, if it did.
    #[must_use]
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Tape::Held { .. } => None,
            Tape::Disk(d) => d.failure.as_ref(),
        }
    }
}

impl DiskTape {
    /// Reads the next chunk from the file and checks it as UTF-8; false when nothing more
    /// can be given.
    fn fill(&mut self) -> bool {
        let Some(file) = &mut self.file else { return false };
        let want = self.chunk.min(self.end - self.next);
        let before = self.kept.len();
        self.kept.reserve(want);
        let read = file.by_ref().take(want as u64).read_to_end(&mut self.kept);
        let got = self.kept.len() - before;
        self.next += got;
        if let Err(e) = read {
            self.stop(Failure { at: self.next, what: format!("cannot read: {e}") });
        }
        // A file cut short since it was opened ends where it now ends.
        let at_end = got == 0 || self.next >= self.end;
        let from = self.checked - self.kept_at;
        match std::str::from_utf8(&self.kept[from..]) {
            Ok(_) => self.checked = self.kept_at + self.kept.len(),
            Err(e) => {
                let good = self.checked + e.valid_up_to();
                self.checked = good;
                // A character cut by the chunk's end is checked with the next chunk.
                if e.error_len().is_some() || at_end {
                    let byte = self.kept[good - self.kept_at];
                    self.stop(Failure {
                        at: good,
                        what: format!("byte 0x{byte:02x} is not UTF-8; save the file as UTF-8"),
                    });
                }
            }
        }
        if at_end {
            self.file = None;
        }
        got > 0
    }

    fn stop(&mut self, failure: Failure) {
        self.failure.get_or_insert(failure);
        self.file = None;
    }
}

impl Read for Tape<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Tape::Held { text, pos, end } => {
                let n = (*end - *pos).min(buf.len());
                buf[..n].copy_from_slice(&text[*pos..*pos + n]);
                *pos += n;
                Ok(n)
            }
            Tape::Disk(d) => {
                while d.given >= d.checked {
                    if !d.fill() && d.given >= d.checked {
                        return Ok(0);
                    }
                }
                let from = d.given - d.kept_at;
                let n = (d.checked - d.given).min(buf.len());
                buf[..n].copy_from_slice(&d.kept[from..from + n]);
                d.given += n;
                Ok(n)
            }
        }
    }
}

/// Random access to a text for scans that jump (finding where to split a file in two):
/// a slice in memory, or a window onto a file read in place.
pub trait Scan {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The bytes from `at` on: at least one, unless `at` is at the end.
    fn from(&mut self, at: usize) -> &[u8];
}

impl Scan for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn from(&mut self, at: usize) -> &[u8] {
        self.get(at..).unwrap_or_default()
    }
}

/// A chunk of a file read in place, read again when a scan leaves it.
pub struct Window<'d> {
    disk: &'d OnDisk,
    buf: Vec<u8>,
    at: usize,
}

impl<'d> Window<'d> {
    #[must_use]
    pub fn new(disk: &'d OnDisk) -> Window<'d> {
        Window { disk, buf: Vec::new(), at: 0 }
    }
}

impl Scan for Window<'_> {
    fn len(&self) -> usize {
        self.disk.len
    }

    fn from(&mut self, at: usize) -> &[u8] {
        if at < self.at || at >= self.at + self.buf.len() {
            self.buf = self.disk.read(at, at + self.disk.chunk);
            self.at = at;
        }
        &self.buf[at - self.at..]
    }
}

/// Where to split a CSV text in two near `target` so that each part holds whole rows: just
/// after the first line break at or past `target` that is outside quoted fields. Quotes are
/// followed from the start as the CSV rules have them (a quote opens a field, `""` inside one
/// is a quote, a quote then a delimiter or line break closes it); at the first quote that
/// breaks those rules there is no split, since the reader may then see fields differently.
#[must_use]
pub fn split_point(text: &[u8], delimiter: u8, target: usize) -> Option<usize> {
    split_point_in(&mut &*text, delimiter, target)
}

/// [`split_point`] over any text a scan can read.
pub fn split_point_in(text: &mut impl Scan, delimiter: u8, target: usize) -> Option<usize> {
    let len = text.len();
    let mut pos = 0;
    let mut inside = false;
    loop {
        if pos > len {
            return None;
        }
        let quote = find(text, b'"', pos, len);
        if !inside {
            let plain_end = quote.unwrap_or(len);
            if plain_end > target
                && let Some(nl) = find(text, b'\n', pos.max(target), plain_end)
            {
                return (nl + 1 < len).then_some(nl + 1);
            }
        }
        let q = quote?;
        if inside {
            match text.from(q + 1).first() {
                Some(b'"') => pos = q + 2,
                Some(&c) if c == delimiter || c == b'\n' || c == b'\r' => {
                    inside = false;
                    pos = q + 1;
                }
                _ => return None,
            }
        } else {
            let opens_field =
                q == 0 || text.from(q - 1).first().is_some_and(|&c| matches!(c, b'\n' | b'\r') || c == delimiter);
            if !opens_field {
                return None;
            }
            inside = true;
            pos = q + 1;
        }
    }
}

/// The first `byte` at or after `from` and before `to`.
fn find(text: &mut impl Scan, byte: u8, from: usize, to: usize) -> Option<usize> {
    let mut at = from;
    while at < to {
        let chunk = text.from(at);
        if chunk.is_empty() {
            return None;
        }
        let part = &chunk[..chunk.len().min(to - at)];
        if let Some(i) = memchr::memchr(byte, part) {
            return Some(at + i);
        }
        at += part.len();
    }
    None
}
