//! Domain layer: the words of the stored notes and the events whose notes hold each, so
//! that a filter word is looked up rather than searched for in every note.
//!
//! A word here is a run of the folded text between whitespace. A query's free word holds no
//! whitespace, so wherever it stands in a note it stands inside one such word: the notes
//! that hold it are exactly those holding a word that holds it. The words are searched (a
//! few megabytes at most, where the notes are hundreds), and their events' lists joined.
//!
//! A word's events are kept as a list of gaps (varints, one to three bytes an event for
//! most words), or as a set of bits over every event when that is smaller: a word found in
//! most notes ("the", "killed") costs an eighth of a byte an event, not a byte.

use memchr::memmem::Finder;
use rustc_hash::FxHashMap;

use crate::domain::notes::{self, NoteStore, SEPARATOR};

/// Ends each word in [`NoteWords`]' list of words: whitespace, so never inside a query's
/// word, and so no hit spans two words.
const END: u8 = b'\n';

/// The words of the stored notes of events `0..covered`, each with the notes (or, for a
/// word most notes hold, the events) that hold it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoteWords {
    /// Every distinct word, each followed by [`END`].
    words: Vec<u8>,
    /// Where each word starts in `words`, and one past the last.
    word_start: Vec<u32>,
    /// Per word, where its list of gaps starts in `gaps`, and one past the last (a word
    /// held as bits has an empty list).
    list_start: Vec<usize>,
    gaps: Vec<u8>,
    /// Per word, its set of bits in `dense` (`u32::MAX` when it is a list).
    dense_of: Vec<u32>,
    /// Sets of events as bits, 64 to a word.
    dense: Vec<Vec<u64>>,
    covered: usize,
}

/// Whether a byte ends a word: the ASCII whitespace of [`char::is_whitespace`].
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Calls `word` for each word of a folded note (whitespace as [`char::is_whitespace`] says).
/// Every whitespace byte of ASCII is below `!`, so only such bytes are looked at closely.
fn each_word<'a>(note: &'a [u8], mut word: impl FnMut(&'a [u8])) {
    if note.is_ascii() {
        let mut from = 0;
        for (i, &b) in note.iter().enumerate() {
            if b <= b' ' && is_space(b) {
                if i > from {
                    word(&note[from..i]);
                }
                from = i + 1;
            }
        }
        if note.len() > from {
            word(&note[from..]);
        }
    } else if let Ok(text) = std::str::from_utf8(note) {
        for w in text.split(char::is_whitespace) {
            if !w.is_empty() {
                word(w.as_bytes());
            }
        }
    }
}

fn push_varint(out: &mut Vec<u8>, v: u32) {
    notes::push_varint(out, u64::from(v));
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    notes::read_varint(bytes, at) as u32
}

/// A word as a key: compared eight bytes at a time, in line (most words are short, and a
/// call to compare a few bytes costs more than the comparing).
#[derive(Clone, Copy, Hash)]
struct Key<'a>(&'a [u8]);

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Key<'_>) -> bool {
        let (a, b) = (self.0, other.0);
        if a.len() != b.len() {
            return false;
        }
        let mut ca = a.chunks_exact(8);
        let mut cb = b.chunks_exact(8);
        let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        for (x, y) in (&mut ca).zip(&mut cb) {
            if word(x) != word(y) {
                return false;
            }
        }
        ca.remainder().iter().zip(cb.remainder()).all(|(x, y)| x == y)
    }
}

impl Eq for Key<'_> {}

/// The words of some of the store's notes, with each word's notes as gaps (note numbers
/// in the store): the first its number, each next one the gap from the one before.
#[derive(Default)]
struct Part<'a> {
    ids: FxHashMap<Key<'a>, u32>,
    words: Vec<&'a [u8]>,
    /// Per word, the last note that holds it (`u32::MAX` before the first).
    last: Vec<u32>,
    lists: Vec<Vec<u8>>,
}

impl<'a> Part<'a> {
    fn id(&mut self, w: &'a [u8]) -> usize {
        if let Some(&id) = self.ids.get(&Key(w)) {
            return id as usize;
        }
        let id = self.words.len();
        self.ids.insert(Key(w), id as u32);
        self.words.push(w);
        self.last.push(u32::MAX);
        self.lists.push(Vec::new());
        id
    }

    /// The words of notes `lo..hi` of the store that belong to one of the events `0..events`
    /// (`note_event` names each note's), read in the store's order.
    fn of(note_event: &[u32], events: usize, notes: &'a NoteStore, lo: usize, hi: usize) -> Part<'a> {
        let mut part = Part::default();
        notes.each_piece(lo, hi, |base, starts, block, from, to| {
            for local in from..to {
                let k = base + local;
                if note_event.get(k).is_none_or(|&e| e as usize >= events) {
                    continue;
                }
                // The note without its separator.
                let (a, b) = (starts[local] as usize, starts[local + 1] as usize);
                let text = &block[a..b.saturating_sub(1).max(a)];
                let number = k as u32;
                each_word(text, |w| {
                    let id = part.id(w);
                    let last = part.last[id];
                    if last != number {
                        push_varint(&mut part.lists[id], if last == u32::MAX { number } else { number - last });
                        part.last[id] = number;
                    }
                });
            }
        });
        part
    }

    /// Appends a later part's lists (its notes all after this one's).
    fn join(&mut self, later: Part<'a>) {
        for ((w, list), last) in later.words.into_iter().zip(later.lists).zip(later.last) {
            let id = self.id(w);
            // The later list starts with a note number: here it becomes a gap.
            let mut at = 0;
            let first = read_varint(&list, &mut at);
            let before = self.last[id];
            push_varint(&mut self.lists[id], if before == u32::MAX { first } else { first - before });
            self.lists[id].extend_from_slice(&list[at..]);
            self.last[id] = last;
        }
    }
}

impl NoteWords {
    /// The words of the stored notes of events `0..events`, where `note_event` names each
    /// note's event (`u32::MAX`, or an event past those, for none). The store is read in its
    /// own order; with `parallel`, half the notes on each core.
    #[must_use]
    pub fn new(note_event: &[u32], events: usize, notes: &NoteStore, parallel: bool) -> NoteWords {
        let held = note_event.len().min(notes.len());
        let mut part = if parallel {
            let mid = held / 2;
            let (mut first, second) = std::thread::scope(|scope| {
                let second = scope.spawn(|| Part::of(note_event, events, notes, mid, held));
                (Part::of(note_event, events, notes, 0, mid), second.join())
            });
            match second {
                Ok(second) => first.join(second),
                Err(_) => first.join(Part::of(note_event, events, notes, mid, held)),
            }
            first
        } else {
            Part::of(note_event, events, notes, 0, held)
        };
        let mut out = NoteWords { covered: events, ..NoteWords::default() };
        out.words.reserve(part.words.iter().map(|w| w.len() + 1).sum());
        out.list_start.push(0);
        // A set of bits costs an eighth of a byte an event: a list longer than that is held
        // as bits instead, over the events.
        let bits_cost = events.div_ceil(64) * 8;
        let lists = std::mem::take(&mut part.lists);
        out.gaps.reserve(lists.iter().map(Vec::len).filter(|&l| l <= bits_cost).sum());
        for (w, list) in part.words.iter().zip(lists) {
            out.word_start.push(out.words.len() as u32);
            out.words.extend_from_slice(w);
            out.words.push(END);
            if list.len() > bits_cost {
                let mut bits = vec![0u64; events.div_ceil(64)];
                each_note(&list, |k| {
                    let e = note_event[k as usize] as usize;
                    bits[e / 64] |= 1 << (e % 64);
                });
                out.dense_of.push(out.dense.len() as u32);
                out.dense.push(bits);
            } else {
                out.gaps.extend_from_slice(&list);
                out.dense_of.push(u32::MAX);
            }
            out.list_start.push(out.gaps.len());
        }
        out.word_start.push(out.words.len() as u32);
        out
    }

    /// The events whose notes were taken in: `0..covered`.
    #[must_use]
    pub fn covered(&self) -> usize {
        self.covered
    }

    /// Sets in `bits` (events as bits, 64 to a word, event `e` at bit `e % 64` of word
    /// `e / 64`; room for at least `covered` events) the events whose stored note holds
    /// `word` (folded); `note_event` is the one the words were taken in with (or that one
    /// with more notes after). False, with nothing set, when the word cannot be looked up
    /// here: it is empty or holds whitespace or a note separator, so it may stand across
    /// words.
    pub fn hits(&self, word: &str, note_event: &[u32], bits: &mut [u64]) -> bool {
        let needle = word.as_bytes();
        if needle.is_empty() || word.chars().any(char::is_whitespace) || needle.contains(&SEPARATOR) {
            return false;
        }
        let finder = Finder::new(needle);
        let mut pos = 0;
        let mut id = 0;
        while let Some(h) = finder.find(&self.words[pos..]) {
            let at = pos + h;
            // Hits move forward: the word holding one is found by walking on.
            while self.word_start[id + 1] as usize <= at {
                id += 1;
            }
            match self.dense_of[id] {
                u32::MAX => each_note(&self.gaps[self.list_start[id]..self.list_start[id + 1]], |k| {
                    if let Some(&e) = note_event.get(k as usize)
                        && let Some(w) = bits.get_mut(e as usize / 64)
                    {
                        *w |= 1 << (e % 64);
                    }
                }),
                d => {
                    for (a, b) in bits.iter_mut().zip(&self.dense[d as usize]) {
                        *a |= b;
                    }
                }
            }
            id += 1;
            pos = self.word_start[id] as usize;
        }
        true
    }
}

/// Calls `note` for each note of a list of gaps.
fn each_note(list: &[u8], mut note: impl FnMut(u32)) {
    let mut at = 0;
    let mut e = 0u32;
    let mut first = true;
    while at < list.len() {
        let gap = read_varint(list, &mut at);
        e = if first { gap } else { e + gap };
        first = false;
        note(e);
    }
}
