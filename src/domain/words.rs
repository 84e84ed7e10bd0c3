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
        let mut at_space = |i: usize| {
            if is_space(note[i]) {
                if i > from {
                    word(&note[from..i]);
                }
                from = i + 1;
            }
        };
        // Eight bytes at a time: a branch a word, not a byte (a byte's branch is mispredicted
        // at each word's end). In ASCII, adding 0x5f to a byte sets its top bit unless it is
        // at most b' ', and carries into no other byte.
        let mut chunks = note.chunks_exact(8);
        let mut i = 0;
        for chunk in &mut chunks {
            let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let mut low = !x.wrapping_add(0x5f5f_5f5f_5f5f_5f5f) & 0x8080_8080_8080_8080;
            while low != 0 {
                at_space(i + (low.trailing_zeros() / 8) as usize);
                low &= low - 1;
            }
            i += 8;
        }
        for (j, &b) in chunks.remainder().iter().enumerate() {
            if b <= b' ' {
                at_space(i + j);
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

/// Slots in [`Part`]'s `recent`: 4,096.
const RECENT_BITS: u32 = 12;

/// A word of at most 15 bytes as a key of its own: its bytes and, in the last byte, its
/// length. Looking it up then reads no note: a key that points into the notes costs a
/// cache miss a word (they are hundreds of megabytes), and most words are this short.
/// The bytes are read as whole words, not copied through memory: a copy read back at once
/// stalls the load on the copy's stores.
fn short_key(w: &[u8]) -> Option<u128> {
    let n = w.len();
    let (lo, hi) = match n {
        0..=8 => (low_bytes(w), 0),
        9..=15 => (low_bytes(&w[..8]), low_bytes(&w[8..])),
        _ => return None,
    };
    Some(u128::from(lo) | u128::from(hi) << 64 | (n as u128) << 120)
}

/// The [`short_key`] of the `len` bytes at `at` in `block`, from one load of sixteen bytes
/// where the block holds them.
fn key_in(block: &[u8], at: usize, len: usize) -> Option<u128> {
    if len > 15 {
        return None;
    }
    match block.get(at..at + 16) {
        Some(chunk) => {
            let bytes = u128::from_le_bytes(chunk.try_into().unwrap_or([0; 16]));
            Some(bytes & ((1u128 << (len * 8)) - 1) | (len as u128) << 120)
        }
        None => short_key(&block[at..at + len]),
    }
}

/// Up to eight bytes as a little-endian number, by loads that may overlap.
fn low_bytes(w: &[u8]) -> u64 {
    let n = w.len();
    let four = |at: usize| u64::from(u32::from_le_bytes(w[at..at + 4].try_into().unwrap_or([0; 4])));
    match n {
        0 => 0,
        1..=3 => u64::from(w[0]) | u64::from(w[n / 2]) << (n / 2 * 8) | u64::from(w[n - 1]) << ((n - 1) * 8),
        _ => four(0) | four(n - 4) << ((n - 4) * 8),
    }
}

/// The words of some of the store's notes, with each word's notes as gaps (note numbers
/// in the store): the first its number, each next one the gap from the one before.
#[derive(Default)]
struct Part<'a> {
    /// Words of up to 15 bytes (see [`short_key`]), and the longer ones.
    short: FxHashMap<u128, u32>,
    /// The short words met last, one a slot by a hash of the key: most words are one of a
    /// few hundred, found here without a probe of the map. An empty slot holds key 0, which
    /// no word has (a key's last byte is its length, at least 1).
    recent: Vec<(u128, u32)>,
    ids: FxHashMap<Key<'a>, u32>,
    words: Vec<&'a [u8]>,
    /// Per word, the last note that holds it (`u32::MAX` before the first).
    last: Vec<u32>,
    lists: Vec<Vec<u8>>,
}

impl<'a> Part<'a> {
    /// The id of word `w`, whose [`short_key`] is `key`.
    fn id(&mut self, w: &'a [u8], key: Option<u128>) -> usize {
        let id = self.words.len();
        if let Some(key) = key {
            let mixed = (key as u64 ^ (key >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let slot = (mixed >> (64 - RECENT_BITS)) as usize;
            if let Some(&(k, found)) = self.recent.get(slot)
                && k == key
            {
                return found as usize;
            }
            let found = match self.short.entry(key) {
                std::collections::hash_map::Entry::Occupied(found) => *found.get(),
                std::collections::hash_map::Entry::Vacant(room) => {
                    room.insert(id as u32);
                    id as u32
                }
            };
            if let Some(entry) = self.recent.get_mut(slot) {
                *entry = (key, found);
            }
            if (found as usize) < id {
                return found as usize;
            }
        } else {
            if let Some(&id) = self.ids.get(&Key(w)) {
                return id as usize;
            }
            self.ids.insert(Key(w), id as u32);
        }
        self.words.push(w);
        self.last.push(u32::MAX);
        self.lists.push(Vec::new());
        id
    }

    /// The words of notes `lo..hi` of the store that belong to one of the events `0..events`
    /// (`note_event` names each note's), read in the store's order.
    fn of(note_event: &[u32], events: usize, notes: &'a NoteStore, lo: usize, hi: usize) -> Part<'a> {
        let mut part = Part { recent: vec![(0, 0); 1 << RECENT_BITS], ..Part::default() };
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
                    let at = w.as_ptr().addr() - block.as_ptr().addr();
                    let id = part.id(w, key_in(block, at, w.len()));
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
            let id = self.id(w, short_key(w));
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

#[cfg(test)]
mod tests {
    use super::{each_word, key_in, short_key};

    #[test]
    fn a_short_words_key_is_the_same_read_alone_or_from_its_block() {
        let block = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for at in [0, 3, 17, 20, 30] {
            for len in 1..=16 {
                if at + len > block.len() {
                    continue;
                }
                let word = &block[at..at + len];
                assert_eq!(key_in(block, at, len), short_key(word), "{at} {len}");
                assert_eq!(short_key(word).is_some(), len <= 15);
            }
        }
        // Words that differ in length or in one byte have other keys.
        assert_ne!(short_key(b"ab"), short_key(b"ab\0"));
        assert_ne!(short_key(b"abcdefghijklmno"), short_key(b"abcdefghijklmnp"));
        assert_ne!(short_key(b"a"), short_key(b"b"));
    }

    #[test]
    fn words_split_where_unicode_whitespace_is_whatever_the_bytes_around() {
        for text in [
            "shelling hit the market\tat dawn\nof 7 feb",
            "  two\x0bspaces\x0cand\r\nbreaks  ",
            "control\u{1}bytes\u{1f}stay inside a word",
            "exactly8 exactly8 and-a-much-longer-word-than-fifteen",
            "",
            "        ",
            "one",
        ] {
            let mut found: Vec<&[u8]> = Vec::new();
            each_word(text.as_bytes(), |w| found.push(w));
            let want: Vec<&[u8]> =
                text.split(char::is_whitespace).filter(|w| !w.is_empty()).map(str::as_bytes).collect();
            assert_eq!(found, want, "{text:?}");
        }
    }
}
