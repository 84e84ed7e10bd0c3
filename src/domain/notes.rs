//! Events' notes, held once. The search reads notes folded (lower case, accents stripped);
//! people read them as written. Keeping both would hold every note twice, so the store
//! keeps the folded text, which the search scans in place, and for each note a few bytes
//! that turn it back into the text as written: where a letter was upper case, where an
//! apostrophe or a backtick stood (folding drops both). Notes that are not plain ASCII,
//! which folding may change beyond that, are kept as written beside their folded form.
//!
//! A note is named by a [`Note`] handle, which stays valid while notes are added.

use std::borrow::Cow;

use crate::domain::text::fold_into;

/// Ends every folded note in the block: no query holds it, so no hit spans two notes.
pub const SEPARATOR: u8 = 0x1e;
const SEPARATOR_STR: &str = "\u{1e}";

/// A note in a [`NoteStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Note(pub u32);

/// The notes of a situation, in segments: notes read on two cores are two stores, and
/// joining them moves the later one in rather than copying it (at 1M rows a copy held the
/// later half's notes twice, 100 MB, at the load's peak). A handle names a note across
/// segments; new notes go into the last one.
#[derive(Debug, Clone, Default)]
pub struct NoteStore {
    segments: Vec<Segment>,
    /// The handle of each segment's first note.
    first: Vec<u32>,
}

/// One segment of a [`NoteStore`]: notes with handles of their own, from 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Segment {
    /// Every note folded, each followed by [`SEPARATOR`].
    folded: String,
    /// Where each note starts in `folded`, and one past the last.
    start: Vec<u32>,
    /// The edits that restore each ASCII note, and where each note's start.
    edits: Vec<u8>,
    edit_start: Vec<u32>,
    /// Notes that are not ASCII, as written, by note: (note, start, end in `verbatim`).
    verbatim: String,
    verbatim_at: Vec<(u32, u32, u32)>,
}

/// The edits of an ASCII note, as varints of `gap << 2 | op`: after `gap` folded bytes
/// copied as they are, `op` says what comes next.
const UPPER: u8 = 0; // the next byte in upper case
const APOSTROPHE: u8 = 1; // a `'` (no folded byte used)
const BACKTICK: u8 = 2; // a backtick (no folded byte used)
const UPPER_RUN: u8 = 3; // the next `len` bytes in upper case; `len` follows as a varint

/// Appends `v` as a varint: seven bits a byte, low first, the high bit set on all but the
/// last.
pub(crate) fn push_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Reads the varint at `at` (see [`push_varint`]), moving `at` past it.
pub(crate) fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

/// Per byte of `word` (ASCII), 0x80 where the byte is an upper-case letter, an apostrophe
/// or a backtick: what [`ascii_edits`] must note.
fn marked(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Bytes are below 0x80, so no sum carries into the next byte.
    let at_least_a = word + (0x80 - u64::from(b'A')) * ONES;
    let past_z = word + (0x80 - u64::from(b'Z') - 1) * ONES;
    let zero_at = |v: u64| !(((v & !HIGH) + !HIGH) | v | !HIGH);
    (at_least_a & !past_z & HIGH) | zero_at(word ^ (u64::from(b'\'') * ONES)) | zero_at(word ^ (u64::from(b'`') * ONES))
}

/// The edits that turn `fold(text)` back into `text`, for an ASCII `text`.
fn ascii_edits(text: &[u8], out: &mut Vec<u8>) {
    let mut gap = 0u64;
    let mut i = 0;
    while i < text.len() {
        // Eight bytes at a time past the plain lower-case run between edits.
        if let Some(chunk) = text.get(i..i + 8)
            && marked(u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]))) == 0
        {
            gap += 8;
            i += 8;
            continue;
        }
        let b = text[i];
        match b {
            b'\'' | b'`' => {
                push_varint(out, gap << 2 | u64::from(if b == b'\'' { APOSTROPHE } else { BACKTICK }));
                gap = 0;
                i += 1;
            }
            b'A'..=b'Z' => {
                let run = text[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
                if run == 1 {
                    push_varint(out, gap << 2 | u64::from(UPPER));
                } else {
                    push_varint(out, gap << 2 | u64::from(UPPER_RUN));
                    push_varint(out, run as u64);
                }
                gap = 0;
                i += run;
            }
            _ => {
                gap += 1;
                i += 1;
            }
        }
    }
}

impl Segment {
    /// How many notes are held.
    #[must_use]
    fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    #[must_use]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held, for the benchmarks' accounts.
    #[must_use]
    fn bytes(&self) -> usize {
        self.folded.len() + self.edits.len() + self.verbatim.len() + 4 * (self.start.len() + self.edit_start.len())
    }

    /// Makes room for `notes` more notes of `bytes` bytes in all (folding may change the
    /// length of text that is not ASCII; this is a hint).
    fn reserve(&mut self, notes: usize, bytes: usize) {
        self.folded.reserve(bytes + notes);
        self.start.reserve(notes + 1);
        self.edit_start.reserve(notes + 1);
    }

    /// Adds a note (already cleaned of control characters) and returns its handle.
    ///
    /// # Panics
    /// Past 4 GiB of notes, which 32-bit offsets cannot name.
    fn push(&mut self, text: &str) -> Note {
        let offset = |n: usize| u32::try_from(n).expect("notes past 4 GiB");
        if self.start.is_empty() {
            self.start.push(0);
            self.edit_start.push(0);
        }
        let note = Note(offset(self.len()));
        fold_into(&mut self.folded, text);
        self.folded.push(char::from(SEPARATOR));
        if text.is_ascii() {
            ascii_edits(text.as_bytes(), &mut self.edits);
        } else {
            let at = offset(self.verbatim.len());
            self.verbatim.push_str(text);
            self.verbatim_at.push((note.0, at, offset(self.verbatim.len())));
        }
        self.start.push(offset(self.folded.len()));
        self.edit_start.push(offset(self.edits.len()));
        note
    }

    /// Appends every note of `other`; its note `k` becomes note `len() + k` here.
    fn append(&mut self, other: &Segment) {
        let offset = |n: usize| u32::try_from(n).expect("notes past 4 GiB");
        if other.is_empty() {
            return;
        }
        if self.start.is_empty() {
            self.start.push(0);
            self.edit_start.push(0);
        }
        let (notes, folded, edits, verbatim) =
            (offset(self.len()), offset(self.folded.len()), offset(self.edits.len()), offset(self.verbatim.len()));
        self.folded.push_str(&other.folded);
        self.edits.extend_from_slice(&other.edits);
        self.verbatim.push_str(&other.verbatim);
        self.start.extend(other.start[1..].iter().map(|s| s + folded));
        self.edit_start.extend(other.edit_start[1..].iter().map(|s| s + edits));
        self.verbatim_at.extend(other.verbatim_at.iter().map(|&(n, a, b)| (n + notes, a + verbatim, b + verbatim)));
    }

    /// Adds note `note` of `other` (copied as held, not folded again) and returns its handle.
    ///
    /// # Panics
    /// Past 4 GiB of notes, which 32-bit offsets cannot name.
    fn copy_from(&mut self, other: &Segment, note: Note) -> Note {
        let offset = |n: usize| u32::try_from(n).expect("notes past 4 GiB");
        if self.start.is_empty() {
            self.start.push(0);
            self.edit_start.push(0);
        }
        let new = Note(offset(self.len()));
        let k = note.0 as usize;
        let (a, b) = other.range(k);
        // A note held is never empty: it ends with its separator.
        self.folded.push_str(other.folded.get(a..b).filter(|t| !t.is_empty()).unwrap_or(SEPARATOR_STR));
        let edits = |i: usize| other.edit_start.get(i).map_or(0, |&e| e as usize);
        self.edits.extend_from_slice(other.edits.get(edits(k)..edits(k + 1)).unwrap_or_default());
        if let Ok(i) = other.verbatim_at.binary_search_by_key(&note.0, |v| v.0) {
            let (_, va, vb) = other.verbatim_at[i];
            let at = offset(self.verbatim.len());
            self.verbatim.push_str(other.verbatim.get(va as usize..vb as usize).unwrap_or_default());
            self.verbatim_at.push((new.0, at, offset(self.verbatim.len())));
        }
        self.start.push(offset(self.folded.len()));
        self.edit_start.push(offset(self.edits.len()));
        new
    }

    /// The folded text of a note (what the search reads), without its separator.
    #[must_use]
    fn folded(&self, note: Note) -> &str {
        let (a, b) = self.range(note.0 as usize);
        self.folded.get(a..b.saturating_sub(1).max(a)).unwrap_or("")
    }

    /// The byte range of note `k` in [`Segment::block`], separator included.
    #[must_use]
    fn range(&self, k: usize) -> (usize, usize) {
        match (self.start.get(k), self.start.get(k + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        }
    }

    /// Every note folded, each followed by [`SEPARATOR`]: what a search scans.
    #[must_use]
    fn block(&self) -> &[u8] {
        self.folded.as_bytes()
    }

    /// Where each note starts in [`Segment::block`], and one past the last.
    #[must_use]
    fn starts(&self) -> &[u32] {
        &self.start
    }

    /// A note as written.
    #[must_use]
    fn text(&self, note: Note) -> Cow<'_, str> {
        let k = note.0;
        if let Ok(i) = self.verbatim_at.binary_search_by_key(&k, |v| v.0) {
            let (_, a, b) = self.verbatim_at[i];
            return Cow::Borrowed(self.verbatim.get(a as usize..b as usize).unwrap_or(""));
        }
        let folded = self.folded(note).as_bytes();
        let (ea, eb) = match (self.edit_start.get(k as usize), self.edit_start.get(k as usize + 1)) {
            (Some(&a), Some(&b)) => (a as usize, b as usize),
            _ => (0, 0),
        };
        let edits = &self.edits[ea..eb];
        if edits.is_empty() {
            return Cow::Borrowed(self.folded(note));
        }
        let mut out: Vec<u8> = Vec::with_capacity(folded.len() + 8);
        let (mut at, mut from) = (0usize, 0usize);
        while at < edits.len() {
            let code = read_varint(edits, &mut at);
            let gap = usize::try_from(code >> 2).unwrap_or(usize::MAX);
            let to = from.saturating_add(gap).min(folded.len());
            out.extend_from_slice(&folded[from..to]);
            from = to;
            let op = (code & 3) as u8;
            let upper = match op {
                APOSTROPHE => {
                    out.push(b'\'');
                    0
                }
                BACKTICK => {
                    out.push(b'`');
                    0
                }
                UPPER => 1,
                _ => usize::try_from(read_varint(edits, &mut at)).unwrap_or(0),
            };
            let to = from.saturating_add(upper).min(folded.len());
            out.extend(folded[from..to].iter().map(u8::to_ascii_uppercase));
            from = to;
        }
        out.extend_from_slice(&folded[from..]);
        // Only ASCII was written and only ASCII letters changed case.
        Cow::Owned(String::from_utf8(out).unwrap_or_default())
    }
}

impl NoteStore {
    /// The last segment, where new notes go, and the handle of its first note.
    fn last(&mut self) -> (&mut Segment, u32) {
        if self.segments.is_empty() {
            self.segments.push(Segment::default());
            self.first.push(0);
        }
        let at = self.segments.len() - 1;
        (&mut self.segments[at], self.first[at])
    }

    /// The segment holding note `k`, and the note's handle there.
    fn locate(&self, k: u32) -> Option<(&Segment, Note)> {
        let i = self.first.partition_point(|&f| f <= k).checked_sub(1)?;
        let local = k - self.first[i];
        let segment = &self.segments[i];
        ((local as usize) < segment.len()).then_some((segment, Note(local)))
    }

    /// How many notes are held.
    #[must_use]
    pub fn len(&self) -> usize {
        match (self.first.last(), self.segments.last()) {
            (Some(&first), Some(last)) => first as usize + last.len(),
            _ => 0,
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes held, for the benchmarks' accounts.
    #[must_use]
    pub fn bytes(&self) -> usize {
        self.segments.iter().map(Segment::bytes).sum::<usize>() + 4 * self.first.len()
    }

    /// Bytes of folded text held, separators included.
    #[must_use]
    pub fn folded_bytes(&self) -> usize {
        self.segments.iter().map(|s| s.block().len()).sum()
    }

    /// Makes room for `notes` more notes of `bytes` bytes in all (folding may change the
    /// length of text that is not ASCII; this is a hint).
    pub fn reserve(&mut self, notes: usize, bytes: usize) {
        self.last().0.reserve(notes, bytes);
    }

    /// Adds a note (already cleaned of control characters) and returns its handle.
    ///
    /// # Panics
    /// Past 4 GiB of notes in a segment, which 32-bit offsets cannot name.
    pub fn push(&mut self, text: &str) -> Note {
        let (last, first) = self.last();
        Note(first + last.push(text).0)
    }

    /// Appends every note of `other`, copied; its note `k` becomes note `len() + k` here.
    pub fn append(&mut self, other: &NoteStore) {
        for segment in &other.segments {
            self.last().0.append(segment);
        }
    }

    /// Appends every note of `other` by moving its segments in, without a copy, and returns
    /// what `other`'s handles gain: its note `k` is note `base + k` here. Notes added
    /// afterwards go into a segment of their own (the moved ones have no room to spare).
    ///
    /// # Panics
    /// Past `u32::MAX` notes.
    pub fn append_moved(&mut self, other: NoteStore) -> u32 {
        let handle = |n: usize| u32::try_from(n).expect("notes past u32::MAX");
        let base = handle(self.len());
        if other.is_empty() {
            return base;
        }
        let mut at = self.len();
        for segment in other.segments.into_iter().filter(|s| !s.is_empty()) {
            self.first.push(handle(at));
            at += segment.len();
            self.segments.push(segment);
        }
        self.first.push(handle(at));
        self.segments.push(Segment::default());
        base
    }

    /// Adds note `note` of `other` (copied as held, not folded again) and returns its handle;
    /// a handle `other` does not hold adds an empty note.
    ///
    /// # Panics
    /// Past 4 GiB of notes in a segment, which 32-bit offsets cannot name.
    pub fn copy_from(&mut self, other: &NoteStore, note: Note) -> Note {
        let empty = Segment::default();
        let (from, local) = other.locate(note.0).unwrap_or((&empty, Note(0)));
        let (last, first) = self.last();
        Note(first + last.copy_from(from, local).0)
    }

    /// The folded text of a note (what the search reads), without its separator.
    #[must_use]
    pub fn folded(&self, note: Note) -> &str {
        self.locate(note.0).map_or("", |(segment, local)| segment.folded(local))
    }

    /// A note as written.
    #[must_use]
    pub fn text(&self, note: Note) -> Cow<'_, str> {
        self.locate(note.0).map_or(Cow::Borrowed(""), |(segment, local)| segment.text(local))
    }

    /// The segments that hold notes, each as the handle of its first note, where each of
    /// its notes starts in its block (and one past the last), and its block: every note
    /// folded, each followed by [`SEPARATOR`]. What a search scans, segment by segment.
    pub fn pieces(&self) -> impl Iterator<Item = (usize, &[u32], &[u8])> {
        self.segments
            .iter()
            .zip(&self.first)
            .filter(|(s, _)| !s.is_empty())
            .map(|(s, &first)| (first as usize, s.starts(), s.block()))
    }

    /// Calls `read(base, starts, block, from, to)` for each segment (as [`NoteStore::pieces`]
    /// gives it) that holds notes of `lo..hi` (handles): `from..to` are the segment's own
    /// notes among them.
    pub fn each_piece<'s>(
        &'s self,
        lo: usize,
        hi: usize,
        mut read: impl FnMut(usize, &'s [u32], &'s [u8], usize, usize),
    ) {
        for (base, starts, block) in self.pieces() {
            let len = starts.len().saturating_sub(1);
            let (from, to) = (lo.max(base), hi.min(base + len));
            if from < to {
                read(base, starts, block, from - base, to - base);
            }
        }
    }
}

/// Two stores are equal when they hold the same notes under the same handles, however
/// they are split into segments.
impl PartialEq for NoteStore {
    fn eq(&self, other: &NoteStore) -> bool {
        self.len() == other.len()
            && (0..self.len()).all(|k| {
                let note = Note(u32::try_from(k).unwrap_or(u32::MAX));
                self.folded(note) == other.folded(note) && self.text(note) == other.text(note)
            })
    }
}

impl Eq for NoteStore {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::fold;

    #[test]
    fn every_note_reads_back_as_written_and_folded_as_the_search_folds_it() {
        let notes = [
            "On 3 March, Syrian Arab Army (SAA) forces shelled Qal'at al-Madiq; 2 killed.",
            "",
            "all lower case, no edits",
            "UN OCHA: ``quoted'' ISIS-held area, A B C.",
            "Sarāqib and Maarat al-Nu’man: accents and curly quotes",
            "'",
            "ENDS IN CAPS",
        ];
        let mut store = NoteStore::default();
        let handles: Vec<Note> = notes.iter().map(|n| store.push(n)).collect();
        for (n, h) in notes.iter().zip(&handles) {
            assert_eq!(store.text(*h), *n);
            assert_eq!(store.folded(*h), fold(n));
        }
        assert_eq!(store.len(), notes.len());
        // The block is the folded notes, each ended by the separator.
        let block: String = notes.iter().map(|n| fold(n) + "\u{1e}").collect();
        let blocks: Vec<&[u8]> = store.pieces().map(|(_, _, block)| block).collect();
        assert_eq!(blocks, [block.as_bytes()]);
        // Plain notes cost a few bytes of edits, not a second copy.
        assert!(store.segments[0].edits.len() < 40, "{}", store.segments[0].edits.len());
    }

    #[test]
    fn eight_bytes_at_a_time_mark_exactly_the_bytes_a_byte_at_a_time_marks() {
        for b in 0..0x80u8 {
            for at in 0..8 {
                let mut bytes = *b"plain te";
                bytes[at] = b;
                let special = |c: u8| c.is_ascii_uppercase() || c == b'\'' || c == b'`';
                let want = bytes.iter().enumerate().fold(0u64, |m, (i, &c)| m | u64::from(special(c)) << (8 * i + 7));
                assert_eq!(marked(u64::from_le_bytes(bytes)), want, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn appended_stores_keep_every_note() {
        let (mut a, mut b) = (NoteStore::default(), NoteStore::default());
        a.push("First Note");
        b.push("Second, ümlaut");
        b.push("Third's");
        a.append(&b);
        assert_eq!(a.len(), 3);
        assert_eq!(a.text(Note(1)), "Second, ümlaut");
        assert_eq!(a.text(Note(2)), "Third's");
        assert_eq!(a.folded(Note(2)), "thirds");
        assert_eq!(a.text(Note(0)), "First Note");
        let mut empty = NoteStore::default();
        empty.append(&a);
        assert_eq!(empty, a);
    }

    #[test]
    fn stores_moved_in_keep_every_note_under_their_handles_moved_on() {
        let (mut a, mut b, mut copied) = (NoteStore::default(), NoteStore::default(), NoteStore::default());
        a.push("First Note");
        b.push("Second, ümlaut");
        b.push("Third's");
        copied.append(&a);
        copied.append(&b);
        let base = a.append_moved(b);
        assert_eq!(base, 1);
        // Notes added after go on in handle order, in a segment of their own.
        assert_eq!(a.push("Fourth"), Note(3));
        copied.push("Fourth");
        assert_eq!(a.len(), 4);
        assert_eq!(a.text(Note(base + 1)), "Third's");
        assert_eq!(a.folded(Note(base)), "second, umlaut");
        assert_eq!(a, copied, "equal however they are split");
        let firsts: Vec<usize> = a.pieces().map(|(first, _, _)| first).collect();
        assert_eq!(firsts, [0, 1, 3]);
        // A note copied from a store of several segments is the same note.
        let mut one = NoteStore::default();
        assert_eq!(one.copy_from(&a, Note(2)), Note(0));
        assert_eq!(one.text(Note(0)), "Third's");
        assert_eq!(a.text(Note(4)), "", "past the end");
        assert_eq!(a.append_moved(NoteStore::default()), 4);
    }

    #[test]
    fn a_handle_from_elsewhere_reads_as_empty() {
        let store = NoteStore::default();
        assert_eq!(store.text(Note(7)), "");
        assert_eq!(store.folded(Note(7)), "");
    }
}
