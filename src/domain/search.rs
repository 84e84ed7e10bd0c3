//! Domain layer: free-word search over events' summaries and notes without a folded copy of
//! every note. ASCII notes (most of any export) are searched where they are stored, in the
//! situation's arena, case-insensitively and passing over `'` and `` ` `` as [`fold`] does;
//! only notes with other characters are folded, into a small block of their own. Summaries
//! are folded once per distinct text (imported rows share many), each event pointing at its
//! own. The hits are those of folding every text and searching the folded text (a property
//! test checks it on random text).
//!
//! [`fold`]: crate::domain::text::fold

use std::hash::BuildHasher;

use memchr::memmem::Finder;

use crate::domain::arena::{Arena, SEPARATOR};
use crate::domain::model::Situation;
use crate::domain::text::fold_into;

/// The words of every event's summary and notes, ready to search.
#[derive(Debug, Clone, Default)]
pub struct TextIndex {
    /// Events with ASCII notes: where the notes start and end in the arena, and the event;
    /// in arena order.
    ascii: Vec<(u32, u32, u32)>,
    /// Folded notes of the events whose notes are not ASCII, each ended by a separator, with
    /// where each starts (and the block's end) and its event.
    folded: String,
    folded_start: Vec<u32>,
    folded_event: Vec<u32>,
    /// Each distinct folded summary once, each ended by a separator; where each starts (and
    /// the block's end).
    summaries: String,
    summary_start: Vec<u32>,
    /// Per event, its summary's number.
    summary_of: Vec<u32>,
}

fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl TextIndex {
    #[must_use]
    pub fn new(sit: &Situation) -> TextIndex {
        let mut index = TextIndex { folded_start: vec![0], summary_start: vec![0], ..TextIndex::default() };
        index.add(sit, 0);
        index
    }

    /// Takes in the events from `from` on (appended after the ones indexed), whose notes
    /// stand after the others' in the arena.
    pub fn add(&mut self, sit: &Situation, from: usize) {
        let n = sit.events.len();
        let mut seen: hashbrown::HashTable<u32> = hashbrown::HashTable::with_capacity((n - from).min(1 << 16));
        let hasher = rustc_hash::FxBuildHasher;
        let (mut scratch, mut summary) = (String::new(), String::new());
        self.summary_of.reserve(n - from);
        for i in from..n {
            let e = &sit.events[i];
            // The summary: folded, and stored unless an identical one is.
            // (`summary_into` makes an imported row's line; the search reads what is drawn.)
            summary.clear();
            e.summary_into(sit, &mut summary);
            scratch.clear();
            fold_into(&mut scratch, &summary);
            let hash = hasher.hash_one(scratch.as_str());
            let (summaries, starts) = (&self.summaries, &self.summary_start);
            let text_of = |k: u32| {
                let k = k as usize;
                &summaries[starts[k] as usize..starts[k + 1] as usize - 1]
            };
            let found = seen.find(hash, |&k| text_of(k) == scratch).copied();
            let number = found.unwrap_or_else(|| {
                let k = offset(self.summary_start.len() - 1);
                self.summaries.push_str(&scratch);
                self.summaries.push(char::from(SEPARATOR));
                self.summary_start.push(offset(self.summaries.len()));
                let (summaries, starts) = (&self.summaries, &self.summary_start);
                seen.insert_unique(hash, k, |&j| {
                    let j = j as usize;
                    hasher.hash_one(&summaries[starts[j] as usize..starts[j + 1] as usize - 1])
                });
                k
            });
            self.summary_of.push(number);
            // The notes: where they are when ASCII, folded otherwise.
            let Some(notes) = sit.notes(e) else { continue };
            if e.written_notes.is_none() && notes.is_ascii() {
                let start = e.notes.start();
                self.ascii.push((offset(start), offset(start + e.notes.len()), i as u32));
            } else {
                fold_into(&mut self.folded, notes);
                self.folded.push(char::from(SEPARATOR));
                self.folded_start.push(offset(self.folded.len()));
                self.folded_event.push(i as u32);
            }
        }
        // Events sorted by date usually keep the order their notes were stored in.
        if !self.ascii.is_sorted() {
            self.ascii.sort_unstable();
        }
    }

    /// The events indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.summary_of.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.summary_of.is_empty()
    }

    /// What tells this index from another: texts indexed and bytes of folded text.
    #[must_use]
    pub fn size(&self) -> usize {
        self.ascii.len() + self.folded.len() + self.summaries.len()
    }

    /// A test of single events for `word` (already folded): what searching a few events
    /// one by one needs. The distinct summaries are searched once, here.
    #[must_use]
    pub fn tester<'a>(&'a self, sit: &'a Situation, word: &'a str) -> EventTest<'a> {
        let finder = Finder::new(word.as_bytes());
        let mut summary_hit = vec![false; self.summary_start.len() - 1];
        let bytes = self.summaries.as_bytes();
        let mut pos = 0;
        // (The empty word is in every text: `holds` says so without a search.)
        while let Some(h) = finder.find(&bytes[pos..]).filter(|_| !word.is_empty()) {
            let at = pos + h;
            let k = self.summary_start.partition_point(|&s| s as usize <= at) - 1;
            summary_hit[k] = true;
            pos = self.summary_start[k + 1] as usize;
        }
        EventTest { index: self, sit, needle: Needle::new(word.as_bytes()), finder, summary_hit }
    }

    /// Calls `hit` with every event whose folded summary or notes hold `word` (already
    /// folded); an event may be named more than once. `arena` is the situation's.
    pub fn hits(&self, arena: &Arena, word: &str, parallel: bool, mut hit: impl FnMut(usize)) {
        if word.is_empty() {
            (0..self.len()).for_each(hit);
            return;
        }
        // Summaries: each distinct one searched once.
        let finder = Finder::new(word.as_bytes());
        let mut summary_hit = vec![false; self.summary_start.len() - 1];
        let bytes = self.summaries.as_bytes();
        let mut pos = 0;
        while let Some(h) = finder.find(&bytes[pos..]) {
            let at = pos + h;
            let k = self.summary_start.partition_point(|&s| s as usize <= at) - 1;
            summary_hit[k] = true;
            pos = self.summary_start[k + 1] as usize;
        }
        for (i, &k) in self.summary_of.iter().enumerate() {
            if summary_hit[k as usize] {
                hit(i);
            }
        }
        // Folded notes.
        let bytes = self.folded.as_bytes();
        let mut pos = 0;
        let mut entry = 0;
        while let Some(h) = finder.find(&bytes[pos..]) {
            let at = pos + h;
            while self.folded_start[entry + 1] as usize <= at {
                entry += 1;
            }
            hit(self.folded_event[entry] as usize);
            entry += 1;
            pos = self.folded_start[entry] as usize;
        }
        // ASCII notes, in the arena: a folded word with other characters is in none of them.
        if !word.is_ascii() {
            return;
        }
        let needle = Needle::new(word.as_bytes());
        if parallel && self.ascii.len() > 1 {
            let mid = self.ascii.len() / 2;
            let (first, second) = self.ascii.split_at(mid);
            let later = std::thread::scope(|scope| {
                let later = scope.spawn(|| {
                    let mut found = Vec::new();
                    scan(arena.bytes(), second, &needle, |e| found.push(e));
                    found
                });
                scan(arena.bytes(), first, &needle, &mut hit);
                later.join().unwrap_or_default()
            });
            later.into_iter().for_each(hit);
        } else {
            scan(arena.bytes(), &self.ascii, &needle, hit);
        }
    }
}

/// Tells whether one event's summary or notes hold a word.
pub struct EventTest<'a> {
    index: &'a TextIndex,
    sit: &'a Situation,
    needle: Needle<'a>,
    finder: Finder<'a>,
    summary_hit: Vec<bool>,
}

impl EventTest<'_> {
    #[must_use]
    pub fn holds(&self, event: usize) -> bool {
        let index = self.index;
        if index.summary_of.get(event).is_some_and(|&k| self.summary_hit[k as usize]) {
            return true;
        }
        if self.needle.word.is_empty() {
            return true;
        }
        if let Ok(k) = index.folded_event.binary_search(&(event as u32)) {
            let text = &index.folded.as_bytes()[index.folded_start[k] as usize..index.folded_start[k + 1] as usize];
            return self.finder.find(text).is_some();
        }
        let Some(e) = self.sit.events.get(event) else { return false };
        if e.written_notes.is_some() || e.notes.is_empty() || !self.needle.word.is_ascii() {
            return false;
        }
        let entry = (offset(e.notes.start()), offset(e.notes.start() + e.notes.len()), event as u32);
        let mut found = false;
        scan(self.sit.text.bytes(), &[entry], &self.needle, |_| found = true);
        found
    }
}

/// A folded ASCII word to find in unfolded ASCII text.
struct Needle<'w> {
    word: &'w [u8],
    /// The position of the word's rarest byte, which candidates are found by.
    rare: usize,
}

/// How rare a byte is in English text (higher is rarer).
fn rarity(b: u8) -> u8 {
    const COMMON: &[u8] = b"etaoinsrhldcumfpgwybvkxjqz";
    match b {
        b' ' => 0,
        b'a'..=b'z' => 1 + COMMON.iter().position(|&c| c == b).unwrap_or(0) as u8,
        b'0'..=b'9' => 12,
        b',' | b'.' => 6,
        _ => 30,
    }
}

impl<'w> Needle<'w> {
    fn new(word: &'w [u8]) -> Needle<'w> {
        let rare = (0..word.len()).max_by_key(|&i| rarity(word[i])).unwrap_or(0);
        Needle { word, rare }
    }

    /// True when the word, with its rare byte at `at`, stands in `hay` there (case aside,
    /// passing over `'` and `` ` ``, never across a separator).
    fn matches_at(&self, hay: &[u8], at: usize) -> bool {
        let skip = |b: u8| b == b'\'' || b == b'`';
        let mut q = at;
        for &want in self.word[..self.rare].iter().rev() {
            loop {
                let Some(prev) = q.checked_sub(1) else { return false };
                q = prev;
                if !skip(hay[q]) {
                    break;
                }
            }
            if hay[q] == SEPARATOR || hay[q].to_ascii_lowercase() != want {
                return false;
            }
        }
        let mut q = at;
        for &want in &self.word[self.rare + 1..] {
            loop {
                q += 1;
                let Some(&b) = hay.get(q) else { return false };
                if !skip(b) {
                    break;
                }
            }
            if hay[q] == SEPARATOR || hay[q].to_ascii_lowercase() != want {
                return false;
            }
        }
        true
    }
}

/// Finds the word in the texts of `entries` (in arena order), calling `hit` with the event
/// of each text that holds it, once.
fn scan(hay: &[u8], entries: &[(u32, u32, u32)], needle: &Needle<'_>, mut hit: impl FnMut(usize)) {
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else { return };
    // Folded text holds no `'` or `` ` ``: a word with one is in none.
    if needle.word.iter().any(|&b| b == b'\'' || b == b'`') {
        return;
    }
    let rare = needle.word[needle.rare];
    let (lower, upper) = (rare, rare.to_ascii_uppercase());
    let end = last.1 as usize;
    let mut pos = first.0 as usize;
    let mut entry = 0;
    while pos < end {
        let found = if lower == upper {
            memchr::memchr(lower, &hay[pos..end])
        } else {
            memchr::memchr2(lower, upper, &hay[pos..end])
        };
        let Some(h) = found else { break };
        let at = pos + h;
        // Candidates only move forward, so the text holding one is found by walking on.
        while (entries[entry].1 as usize) <= at {
            entry += 1;
        }
        let (start, stop, event) = entries[entry];
        if at < start as usize {
            // Inside a text that is not searched here (not ASCII).
            pos = start as usize;
            continue;
        }
        if needle.matches_at(hay, at) {
            hit(event as usize);
            // Events that share these very notes hold the word too.
            while let Some(&(s, _, other)) = entries.get(entry + 1).filter(|next| next.0 == start) {
                let _ = s;
                hit(other as usize);
                entry += 1;
            }
            pos = stop as usize;
        } else {
            pos = at + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(hay: &str, word: &str) -> bool {
        let mut arena = Arena::default();
        let t = arena.push(hay);
        let mut any = false;
        scan(
            arena.bytes(),
            &[(t.start() as u32, (t.start() + t.len()) as u32, 0)],
            &Needle::new(word.as_bytes()),
            |_| {
                any = true;
            },
        );
        any
    }

    #[test]
    fn ascii_words_are_found_case_aside_and_past_apostrophes() {
        assert!(found("Shelling of Qal'at al-Madiq", "qalat"));
        assert!(found("SHELLING", "shelling"));
        assert!(found("the group`s base", "groups"));
        assert!(!found("the group's base", "group's"));
        assert!(!found("Shelled", "shelling"));
        assert!(found("x", "x"));
        assert!(!found("ab", "abc"));
    }
}
