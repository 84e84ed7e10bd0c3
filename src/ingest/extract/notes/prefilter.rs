//! Which notes are worth reading: one multi-pattern pass (Aho-Corasick) over a note's bytes
//! finds the words without which the reader can find neither a post's status change nor a
//! casualty figure, and where they stand. A note passes only when such words stand close
//! enough together for the reader's own rules to join them; every other note costs that one
//! pass and nothing more.
//!
//! The test is a necessary condition, never a guess: every bound below is at least as loose
//! as the reader's rule it stands for (tests/extract.rs checks that no note the prefilter
//! turns away yields anything). Distances are counted in whitespace-separated chunks that
//! hold a letter or digit; each such chunk holds at least one of the reader's words, so a
//! distance in chunks is never more than the same distance in words. Notes with non-ASCII
//! text skip the word tests (the reader lowercases Unicode) and are read when the keyword
//! test passes.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::domain::model::PostStatus;
use crate::ingest::extract::{actors, lexicon, numbers, reader, text};

/// Words without which a note was never read (the first prefilter, kept so that what is
/// read stays what was read; matched as written, anywhere in a word).
const KEYWORDS: &[&str] = &[
    "post",
    "Post",
    "base",
    "Base",
    "osition",
    "heckpoint",
    "arrison",
    "ilitary point",
    "kill",
    "Kill",
    "wound",
    "Wound",
    "injur",
    "Injur",
    "dead",
    "died",
    "death",
];

// What a word is, as bits: one word can be several things.
const HARM_BEFORE: u16 = 1;
const HARM_AFTER: u16 = 1 << 1;
const TOLL: u16 = 1 << 2;
const NUMBER: u16 = 1 << 3;
const PERSON: u16 = 1 << 4;
const NOUN: u16 = 1 << 5;
const POINT: u16 = 1 << 6;
const MILITARY: u16 = 1 << 7;
const POSITION: u16 = 1 << 8;
const STATUS: u16 = 1 << 9;
/// A status word that only ever begins what an enemy does to a post, which the reader
/// takes after the post's noun only in the passive ("was shelled").
const HOSTILE: u16 = 1 << 10;

/// How far (in chunks) a harm verb before a number may stand: a qualifier of up to three
/// words and "a" may come between ("killing at least a dozen").
const HARM_BEFORE_REACH: usize = 6;
/// How far after a number a harm word may stand: a victim noun starts within five words of
/// the number's end and runs up to five words, and the harm word is within four more.
const HARM_AFTER_REACH: usize = 14;
/// How far a post's status may stand from its noun (the reader's 12 words, plus the second
/// word of "observation post").
const POST_REACH: usize = 13;
/// How many words before "positions" may qualify it ("new", "military", a force's name).
const POSITION_QUALIFIER_WORDS: usize = 3;

/// Words before "positions" that make it a post (as in the reader), and the pronouns the
/// reader may stand an attribution's actor in for.
const POSITION_QUALIFIERS: &[&str] = &["new", "military", "observation", "army", "another"];
const SPEAKERS: &[&str] = &["it", "they", "we"];
/// The words that make the reader take a hostile status after its post ("was shelled").
const PASSIVE: &[&str] = &["was", "were", "been", "be", "is", "are", "being", "remain", "remains", "remained", "now"];
/// Status words after a post that need no passive word before them.
const PASSIVE_OF_ITSELF: &[&str] = &["came", "under", "besieged"];

/// What one pass over a note found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Verdict {
    /// The note holds one of the first prefilter's keywords.
    pub keyword: bool,
    /// The note is worth reading: a keyword, and words close enough for a post's status or
    /// a casualty figure.
    pub read: bool,
}

/// The compiled patterns.
pub struct Prefilter {
    /// The first prefilter's keywords, as written.
    keywords: AhoCorasick,
    /// The reader's words, any case, leftmost-longest (every word is letters and digits
    /// only, so no match inside a word can hide a whole word after it).
    words: AhoCorasick,
    kinds: Vec<u16>,
    /// The words that may stand between a harm verb and its number: qualifiers ("at
    /// least"), "a" of "a dozen", "between" of "between 10 and 15".
    between: FxHashSet<&'static str>,
}

impl Prefilter {
    #[must_use]
    pub fn new() -> Prefilter {
        let mut kinds: FxHashMap<String, u16> = FxHashMap::default();
        let mut add = |word: &str, kind: u16| *kinds.entry(word.to_ascii_lowercase()).or_default() |= kind;
        for &(w, _) in lexicon::HARM_BEFORE {
            add(w, HARM_BEFORE);
        }
        for &(w, _) in lexicon::HARM_AFTER {
            add(w, HARM_AFTER);
        }
        add("toll", TOLL);
        for w in numbers::number_words() {
            add(w, NUMBER);
        }
        // "a civilian was killed": one, told by a singular person noun after "a".
        for &(phrase, _) in lexicon::PERSON_NOUNS {
            if let Some(first) = phrase.split(' ').next().filter(|w| reader::singular(w)) {
                add(first, PERSON);
            }
        }
        for phrase in lexicon::POST_NOUNS {
            let last = phrase.rsplit(' ').next().unwrap_or(phrase);
            let kind = match last {
                "point" | "points" => POINT,
                "position" | "positions" => POSITION,
                _ => NOUN,
            };
            add(last, kind);
        }
        add("military", MILITARY);
        let hostile = |s: PostStatus| matches!(s, PostStatus::Attacked | PostStatus::Encircled | PostStatus::Besieged);
        for &(phrase, _) in lexicon::POST_STATUS {
            let first = phrase.split(' ').next().unwrap_or(phrase);
            let only_hostile = lexicon::POST_STATUS
                .iter()
                .filter(|(p, _)| p.split(' ').next() == Some(first))
                .all(|&(_, s)| hostile(s));
            add(first, if only_hostile && !PASSIVE_OF_ITSELF.contains(&first) { STATUS | HOSTILE } else { STATUS });
        }
        let (patterns, kinds): (Vec<String>, Vec<u16>) = kinds.into_iter().unzip();
        debug_assert!(patterns.iter().all(|p| p.bytes().all(|b| b.is_ascii_alphanumeric())));
        let words = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("a few hundred short patterns always build");
        let keywords = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(KEYWORDS)
            .expect("seventeen keywords always build");
        let between = numbers::qualifier_words().chain(["a", "an", "between"]).collect();
        Prefilter { keywords, words, kinds, between }
    }

    /// Whether `notes` is worth reading.
    #[must_use]
    pub fn check(&self, notes: &str) -> Verdict {
        let bytes = notes.as_bytes();
        if !self.keywords.is_match(bytes) {
            return Verdict::default();
        }
        if !bytes.is_ascii() {
            return Verdict { keyword: true, read: true };
        }
        let mut found: u16 = 0;
        // (byte offset, kind) of each whole-word match, in order.
        let mut hits: Vec<(usize, u16)> = Vec::new();
        for m in self.words.find_iter(bytes) {
            let (s, e) = (m.start(), m.end());
            if (s == 0 || !bytes[s - 1].is_ascii_alphanumeric())
                && (e == bytes.len() || !bytes[e].is_ascii_alphanumeric())
            {
                let kind = self.kinds[m.pattern().as_usize()];
                found |= kind;
                hits.push((s, kind));
            }
        }
        let digits = bytes.iter().any(u8::is_ascii_digit);
        let may_count = found & (HARM_BEFORE | HARM_AFTER | TOLL) != 0 && (digits || found & (NUMBER | PERSON) != 0);
        let may_post = found & STATUS != 0 && found & (NOUN | POINT | POSITION) != 0;
        if !may_count && !may_post {
            return Verdict { keyword: true, read: false };
        }
        let chunks = Chunks::of(bytes, &hits);
        let read = (may_count && self.casualty_near(bytes, &chunks, &hits, found))
            || (may_post && post_near(notes, &chunks, &hits, found));
        Verdict { keyword: true, read }
    }

    /// A number (or "a" and a singular person noun) with a harm word close enough: just
    /// before it, but for qualifiers ("killing at least 3"); after it ("3 civilians were
    /// killed"); or a toll named in the note.
    fn casualty_near(&self, bytes: &[u8], chunks: &Chunks, hits: &[(usize, u16)], found: u16) -> bool {
        let mut anchors: Vec<usize> =
            hits.iter().zip(&chunks.of_hit).filter(|((_, k), _)| k & (NUMBER | PERSON) != 0).map(|(_, &c)| c).collect();
        anchors.extend(chunks.with_digits(bytes));
        if anchors.is_empty() {
            return false;
        }
        if found & TOLL != 0 {
            return true;
        }
        hits.iter().zip(&chunks.of_hit).any(|(&(_, k), &h)| {
            anchors.iter().any(|&a| {
                (k & HARM_BEFORE != 0
                    && h <= a
                    && a - h <= HARM_BEFORE_REACH
                    && (h + 1..a).all(|c| chunks.words(bytes, c).all(|w| self.between.contains(w.as_str()))))
                    || (k & HARM_AFTER != 0 && h >= a && h - a <= HARM_AFTER_REACH)
            })
        })
    }
}

impl Default for Prefilter {
    fn default() -> Self {
        Prefilter::new()
    }
}

/// Where the chunks (whitespace-separated runs holding a letter or digit) start, and the
/// chunk of each hit.
struct Chunks {
    /// Byte offset where each chunk starts.
    starts: Vec<usize>,
    /// Chunk number of each hit, in the order of `hits` (sorted by offset).
    of_hit: Vec<usize>,
}

impl Chunks {
    fn of(bytes: &[u8], hits: &[(usize, u16)]) -> Chunks {
        let mut starts = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            let mut alnum = false;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                alnum |= bytes[i].is_ascii_alphanumeric();
                i += 1;
            }
            if alnum {
                starts.push(start);
            }
        }
        let of_hit = hits.iter().map(|&(at, _)| starts.partition_point(|&s| s <= at).saturating_sub(1)).collect();
        Chunks { starts, of_hit }
    }

    /// The runs of letters and digits of chunk `c`, lowercased: each of the reader's words
    /// in it is one of them or joins several.
    fn words<'b>(&self, bytes: &'b [u8], c: usize) -> impl Iterator<Item = String> + 'b {
        let from = self.starts[c];
        let len = bytes[from..].iter().take_while(|b| !b.is_ascii_whitespace()).count();
        bytes[from..from + len]
            .split(|b| !b.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.iter().map(u8::to_ascii_lowercase).map(char::from).collect())
    }

    /// Chunk numbers of the chunks that hold a digit.
    fn with_digits(&self, bytes: &[u8]) -> Vec<usize> {
        (0..self.starts.len())
            .filter(|&c| {
                let from = self.starts[c];
                bytes[from..].iter().take_while(|b| !b.is_ascii_whitespace()).any(u8::is_ascii_digit)
            })
            .collect()
    }
}

/// A status word close enough to a post noun that can be a post: "positions" only with a
/// word before it that qualifies it, "point" only with "military" in the note; a hostile
/// status after its noun only with a passive word between.
fn post_near(notes: &str, chunks: &Chunks, hits: &[(usize, u16)], found: u16) -> bool {
    let nouns: Vec<usize> = hits
        .iter()
        .zip(&chunks.of_hit)
        .filter(|&(&(at, k), _)| {
            k & NOUN != 0
                || (k & POINT != 0 && found & MILITARY != 0)
                || (k & POSITION != 0 && qualified_position(notes, chunks, at))
        })
        .map(|(_, &c)| c)
        .collect();
    hits.iter().zip(&chunks.of_hit).filter(|((_, k), _)| k & STATUS != 0).any(|(&(_, k), &s)| {
        nouns.iter().any(|&n| {
            n.abs_diff(s) <= POST_REACH
                && (k & HOSTILE == 0
                    || s <= n
                    || (n..=s).any(|c| chunks.words(notes.as_bytes(), c).any(|w| PASSIVE.contains(&w.as_str()))))
        })
    })
}

/// Whether the words just before "positions" at byte `at` can make it a post in the
/// reader: a qualifier among the three words before, a pronoun just before, or a force's
/// name ending just before. The words are the reader's own, read from a chunk boundary.
fn qualified_position(notes: &str, chunks: &Chunks, at: usize) -> bool {
    let chunk = chunks.starts.partition_point(|&s| s <= at).saturating_sub(1);
    // Enough chunks back for the longest force alias, from a chunk's start.
    let from = chunks.starts[chunk.saturating_sub(10)].min(at);
    let ws = text::words(notes, from, at);
    let n = ws.len();
    if n == 0 {
        return false;
    }
    ws[n.saturating_sub(POSITION_QUALIFIER_WORDS)..].iter().any(|w| POSITION_QUALIFIERS.contains(&w.lower.as_str()))
        || SPEAKERS.contains(&ws[n - 1].lower.as_str())
        || actors::forces_alias_ends_at(&ws, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> bool {
        Prefilter::new().check(text).read
    }

    #[test]
    fn the_first_keywords_still_gate_what_is_read() {
        let p = Prefilter::new();
        assert_eq!(p.check("Protesters marched peacefully."), Verdict::default());
        assert!(p.check("Fighters shelled positions.").keyword);
        assert!(!p.check("FIGHTERS KILLED 3").keyword, "the keywords match as written");
    }

    #[test]
    fn casualties_need_a_number_near_a_harm_word() {
        assert!(read("On 3 May, an air strike killed 5 civilians in the village."));
        assert!(read("killing at least a dozen people"));
        assert!(read("Two soldiers and three fighters were later reported killed."));
        assert!(read("a civilian was killed by a landmine"));
        assert!(read("The death toll rose to nine."));
        assert!(read("Three people died after the clashes."));
        assert!(!read("Forces shelled the village, killing civilians and damaging houses."));
        assert!(!read("killing the morning road shelled a houses a fled sources several road"));
        assert!(!read("The drone hit a vehicle, wounding fighters."), "\"drone\" holds \"one\", not the word");
        assert!(read("killing, at least several fighters"), "qualifiers may stand between");
        assert!(!read("Forces shelled the village killing fighters near several houses."), "other words may not");
    }

    #[test]
    fn posts_need_a_status_near_a_noun_that_is_a_post() {
        assert!(read("Regime forces encircled the Turkish observation post near Morek."));
        assert!(read("The checkpoint was shelled."));
        assert!(read("The military point at Sarman came under fire."));
        assert!(read("Turkish forces positions were shelled."));
        assert!(read("Turkish forces set up new positions near the town."));
        assert!(!read("Rebels shelled positions near the village."), "front lines, not posts");
        assert!(read("Forces shelled the checkpoint."));
        assert!(!read("The checkpoint road shelled the village."), "after its post, a hostile status is passive");
        assert!(!read("A point of contention: the base."), "no status");
        assert!(!read(
            "The post office was closed. Later that week, in the far north of the province, many were shelled."
        ));
    }

    #[test]
    fn non_ascii_notes_are_read_on_the_keyword_alone() {
        assert!(read("Killed: «qu'il» — at Sarāqib."));
    }
}
