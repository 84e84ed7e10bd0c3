//! What the dashboard precomputes once per situation so that a keystroke at a million events
//! stays within a frame: folded text in one block (searched with SIMD), and per event its
//! days, place, kind, status, actors, claims, posts and casualty figures as plain arrays.
//! `figures` stays the reference; these give the same numbers faster (a property test checks).

use std::collections::BTreeMap;
use std::collections::HashMap;

use memchr::memmem::Finder;
use rustc_hash::FxHashMap;

use crate::domain::figures::{DailyKilled, Tally, TimeWindow, counts_toward_totals};
use crate::domain::model::{Day, Event, EventStatus, Kind, Outcome, PlaceId, Situation};
use crate::domain::notes::{Note, NoteStore};
use crate::domain::text::fold_into;
use crate::domain::words::NoteWords;

/// Variable-length lists per event, flattened.
#[derive(Debug, Clone)]
pub struct Flat<T> {
    items: Vec<T>,
    start: Vec<u32>,
}

impl<T> Default for Flat<T> {
    fn default() -> Flat<T> {
        Flat::new()
    }
}

impl<T> Flat<T> {
    fn new() -> Flat<T> {
        Flat { items: Vec::new(), start: vec![0] }
    }

    fn push_row(&mut self, row: impl IntoIterator<Item = T>) {
        self.items.extend(row);
        self.start.push(u32::try_from(self.items.len()).unwrap_or(u32::MAX));
    }

    #[must_use]
    pub fn get(&self, i: usize) -> &[T] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// One casualty figure of one event, at its chosen claim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureFact {
    pub group: u32,
    pub outcome: Outcome,
    pub tally: Tally,
}

/// A set of events as bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    #[must_use]
    pub fn zeros(len: usize) -> Bits {
        Bits { words: vec![0; len.div_ceil(64)], len }
    }

    #[must_use]
    pub fn ones(len: usize) -> Bits {
        let mut b = Bits { words: vec![u64::MAX; len.div_ceil(64)], len };
        b.trim();
        b
    }

    fn trim(&mut self) {
        let extra = self.words.len() * 64 - self.len;
        if extra > 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= u64::MAX >> extra;
        }
    }

    pub fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    #[must_use]
    pub fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    /// Sets every event for which `test` holds; on large sets, half the words on each core.
    #[must_use]
    pub fn from_fn(len: usize, test: impl Fn(usize) -> bool + Sync) -> Bits {
        let mut b = Bits::zeros(len);
        let fill = |words: &mut [u64], first_word: usize| {
            for (w, word) in words.iter_mut().enumerate() {
                let base = (first_word + w) * 64;
                let mut bits = 0u64;
                for j in 0..64.min(len - base) {
                    bits |= u64::from(test(base + j)) << j;
                }
                *word = bits;
            }
        };
        b.fill_words(len, fill);
        b
    }

    /// Runs `fill` over the words (with the index of the first), on large sets in two halves,
    /// one per core: each half's bits are its own to write.
    fn fill_words(&mut self, len: usize, fill: impl Fn(&mut [u64], usize) + Sync) {
        if len > PARALLEL_EVENTS {
            let half = self.words.len() / 2;
            let (first, second) = self.words.split_at_mut(half);
            std::thread::scope(|scope| {
                scope.spawn(|| fill(second, half));
                fill(first, 0);
            });
        } else {
            fill(&mut self.words, 0);
        }
    }

    pub fn not(&mut self) {
        for w in &mut self.words {
            *w = !*w;
        }
        self.trim();
    }

    pub fn and(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn or(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// How many are set.
    #[must_use]
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// How many there could be.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The set of `indices` (each below `len`) among `len`.
    #[must_use]
    pub fn of_indices(len: usize, indices: &[u32]) -> Bits {
        let mut b = Bits::zeros(len);
        for &i in indices {
            if let Some(w) = b.words.get_mut(i as usize / 64) {
                *w |= 1 << (i % 64);
            }
        }
        b
    }

    /// How many are in one of the two sets and not in the other.
    #[must_use]
    pub fn changed(&self, other: &Bits) -> usize {
        let words = self.words.len().max(other.words.len());
        (0..words)
            .map(|w| {
                let (a, b) = (self.words.get(w).copied().unwrap_or(0), other.words.get(w).copied().unwrap_or(0));
                (a ^ b).count_ones() as usize
            })
            .sum()
    }

    /// What is here and not in `other`, and what is there and not here, in index order.
    #[must_use]
    pub fn differences(&self, other: &Bits) -> (Vec<u32>, Vec<u32>) {
        let (mut gone, mut new) = (Vec::new(), Vec::new());
        let words = self.words.len().max(other.words.len());
        for w in 0..words {
            let (a, b) = (self.words.get(w).copied().unwrap_or(0), other.words.get(w).copied().unwrap_or(0));
            for (mut bits, out) in [(a & !b, &mut gone), (b & !a, &mut new)] {
                while bits != 0 {
                    out.push((w * 64 + bits.trailing_zeros() as usize) as u32);
                    bits &= bits - 1;
                }
            }
        }
        (gone, new)
    }

    #[must_use]
    pub fn indices(&self) -> Vec<u32> {
        let mut out = Vec::new();
        self.indices_into(&mut out);
        out
    }

    /// [`Bits::indices`], written into `out` in place of what it held: a keystroke's list
    /// of matching events reuses the last one's room (millions of indices at 5M events,
    /// each page of fresh room a fault) instead of asking for new.
    pub fn indices_into(&self, out: &mut Vec<u32>) {
        out.clear();
        out.reserve(self.count());
        for (w, &word) in self.words.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let j = bits.trailing_zeros() as usize;
                out.push((w * 64 + j) as u32);
                bits &= bits - 1;
            }
        }
    }
}

/// Above this many events, per-event passes are split over two cores (below it, starting a
/// thread costs more than it saves).
pub const PARALLEL_EVENTS: usize = 50_000;

/// Days from the common era, so that date tests are integer compares.
#[must_use]
pub fn day_number(day: Day) -> i32 {
    chrono::Datelike::num_days_from_ce(&day.0)
}

/// A time window as day numbers, open ends as the extremes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    pub from: i32,
    pub to: i32,
}

impl Days {
    #[must_use]
    pub fn of(window: &TimeWindow) -> Days {
        Days { from: window.from.map_or(i32::MIN, day_number), to: window.to.map_or(i32::MAX, day_number) }
    }
}

/// What [`SearchIndex::new_keeping_words`] keeps of an old index: its words, and what
/// shows whether they are of the same notes.
struct Kept {
    words: NoteWords,
    notes_held: usize,
    note_event: Vec<u32>,
}

/// Everything precomputed for one situation.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Folded summary and notes of every event, each ended by a separator no query holds.
    /// A summary made from an imported row is left out: its parts are the folded names in
    /// `summary_kind`, `summary_place` and `summary_actor` (see `summary_form`), so that a
    /// million rows do not keep a million copies of a few thousand names.
    text: String,
    text_start: Vec<usize>,
    /// Per event, its note in the situation's note store (`u32::MAX` when none, or when its
    /// notes are not stored and so are in `text`): stored notes are searched where they are
    /// held, not copied.
    note: Vec<u32>,
    /// Per note of the store, the event it belongs to (`u32::MAX` when none), and how many
    /// notes the store held when they were taken in.
    note_event: Vec<u32>,
    notes_held: usize,
    /// The words of the stored notes and the events holding each: what a free word is
    /// looked up in, instead of searching every note. Covers the events the index was
    /// built with; events appended since (a followed file) have their notes searched.
    words: NoteWords,
    /// Per event, which of the letters `a` to `z` its searched text (the text here and its
    /// stored note) holds, bit 0 for `a`: what answers a one-letter word without reading
    /// any text (4 bytes an event).
    letters: Vec<u32>,
    /// Per event, [`SUMMARY_IN_TEXT`] when its summary is in `text`; else 1 for a summary
    /// made from its row of one side, 2 of two sides ("… vs …"), whose parts are its kind,
    /// its place and its `actor1` and `actor2`.
    pub(crate) summary_form: Vec<u8>,
    /// The folded words a summary made from a row gives for each kind (by `Kind as usize`),
    /// each place's name and each actor's name.
    pub(crate) summary_kind: Vec<String>,
    pub(crate) summary_place: Vec<String>,
    pub(crate) summary_actor: Vec<String>,
    pub(crate) place_text: Vec<String>,
    pub(crate) actor_text: Vec<String>,
    pub(crate) kind_text: Vec<(Kind, String)>,
    pub(crate) source_text: Vec<String>,
    pub(crate) attr_text: Vec<String>,
    pub(crate) claim_attr: Vec<u32>,
    pub(crate) claim_source: Vec<u32>,
    /// Per source, the folded text (in `attr_text`) of its publisher: what a claim made by
    /// an imported row is attributed to.
    pub(crate) source_attr: Vec<u32>,
    /// The folded text (in `attr_text`) of "UCDP GED", whom a UCDP row's claims are
    /// attributed to.
    pub(crate) ucdp_attr: u32,
    pub start: Vec<i32>,
    pub end: Vec<i32>,
    /// Place index of each event (`u32::MAX` when unknown).
    pub place: Vec<u32>,
    pub kind: Vec<Kind>,
    /// The date's precision (as its number), plus 8 for an explicit window: with `start` and
    /// `end`, what tells the timeline's date headers apart.
    pub precision: Vec<u8>,
    pub status: Vec<EventStatus>,
    pub counted: Vec<bool>,
    pub killed: Vec<u64>,
    /// The first actor of `by` and of `against` (ACLED actor1 and actor2), by actor index;
    /// `u32::MAX` when none.
    pub actor1: Vec<u32>,
    pub actor2: Vec<u32>,
    pub(crate) actors: Flat<u32>,
    pub(crate) claims: Flat<u32>,
    pub(crate) posts: Flat<u32>,
    /// Each place and the places that contain it, by index.
    pub(crate) place_chain: Flat<u32>,
    /// The events at each place, of each actor (in `actors`) and of each kind (by
    /// `Kind as usize`), in event order: a word that names a few places or actors reads
    /// only their events, not every event's columns.
    by_place: Flat<u32>,
    by_actor: Flat<u32>,
    by_kind: Flat<u32>,
    /// The figures of the events whose `lone_killed` is [`LISTED`]; read every event's
    /// through [`SearchIndex::figure_facts`].
    figures: Flat<FigureFact>,
    /// Per event, its figures told in one byte when they are the common case, one exact
    /// killed figure (the count is `killed`): `1 + group`, and then not listed in `figures`
    /// (about 48 bytes an event saved). [`NO_FIGURE`] when it has none, [`LISTED`] when
    /// `figures` must be read. What lets a pass over a million events skip the list.
    pub lone_killed: Vec<u8>,
    /// Casualty groups by number, as written in the data (`civilians`, actor ids).
    pub groups: Vec<String>,
    /// The first start and last end of all events (day numbers), `(0, 0)` when none.
    pub days_spanned: (i32, i32),
    /// Whether the events' starts are in index order (as the load sorts them), and the most
    /// days any event spans beyond its start: what lets a search for the latest event stop
    /// early.
    pub starts_sorted: bool,
    pub longest: i32,
}

/// The code [`SearchIndex::lone_killed`] gives one exact killed figure in `group`, when a
/// byte can tell the group.
fn lone_code(group: u32) -> Option<u8> {
    u8::try_from(group).ok().filter(|&g| g < LISTED - 1).map(|g| g + 1)
}

/// An event's figures (see [`SearchIndex::figure_facts`]).
pub struct FigureFacts<'a> {
    lone: Option<FigureFact>,
    listed: std::slice::Iter<'a, FigureFact>,
}

impl Iterator for FigureFacts<'_> {
    type Item = FigureFact;

    fn next(&mut self) -> Option<FigureFact> {
        self.lone.take().or_else(|| self.listed.next().copied())
    }
}

/// In [`SearchIndex::lone_killed`]: the event has no casualty figure.
pub const NO_FIGURE: u8 = 0;
/// In [`SearchIndex::lone_killed`]: the event's figures are not one exact killed figure in
/// one of the first 254 groups; read them.
pub const LISTED: u8 = u8::MAX;

const SEPARATOR: char = '\u{1e}';

/// Marks a claim in [`SearchIndex::claims`] that an imported row makes (see
/// [`crate::domain::model::RowClaim`]): the rest is the position of the source it cites.
pub(crate) const ROW_CLAIM: u32 = 1 << 31;

/// Marks a claim in [`SearchIndex::claims`] read from the event's notes (see
/// `domain/read_claims.rs`): attributed to the event's notes; the rest is the position of
/// the source it cites.
pub(crate) const READ_CLAIM: u32 = 1 << 30;

/// With [`ROW_CLAIM`] (and apart from [`READ_CLAIM`]): the row is UCDP's, whose claims are attributed to UCDP GED
/// ([`SearchIndex::ucdp_attr`]) rather than to the source's publisher. One entry stands for
/// all of a row's claims: they share their source and attribution.
pub(crate) const UCDP_ROW_CLAIM: u32 = 1 << 29;

/// The per-event columns of one range of events, built on its own core and then appended.
#[derive(Default)]
struct Facts {
    text: String,
    text_start: Vec<usize>,
    note: Vec<u32>,
    summary_form: Vec<u8>,
    start: Vec<i32>,
    end: Vec<i32>,
    place: Vec<u32>,
    kind: Vec<Kind>,
    precision: Vec<u8>,
    status: Vec<EventStatus>,
    counted: Vec<bool>,
    killed: Vec<u64>,
    actor1: Vec<u32>,
    actor2: Vec<u32>,
    actors: Flat<u32>,
    claims: Flat<u32>,
    posts: Flat<u32>,
    figures: Flat<FigureFact>,
    lone_killed: Vec<u8>,
    /// Casualty groups numbered in this range's order of first use.
    groups: Vec<String>,
}

impl<T: Copy> Flat<T> {
    /// Appends another list's rows, passing each item through `map`.
    fn append(&mut self, other: &Flat<T>, map: impl Fn(T) -> T) {
        let base = self.items.len() as u32;
        self.items.extend(other.items.iter().map(|&t| map(t)));
        self.start.extend(other.start[1..].iter().map(|s| s + base));
    }
}

impl Facts {
    /// Appends the next range's facts; its casualty groups are renumbered into ours.
    fn join(&mut self, next: Facts) {
        let base = self.text.len();
        self.text.push_str(&next.text);
        self.text_start.extend(next.text_start.into_iter().map(|s| s + base));
        self.text_start.push(self.text.len());
        let mut known: HashMap<String, u32> =
            self.groups.iter().enumerate().map(|(i, g)| (g.clone(), i as u32)).collect();
        let renumber: Vec<u32> = next
            .groups
            .into_iter()
            .map(|g| {
                *known.entry(g.clone()).or_insert_with(|| {
                    self.groups.push(g);
                    (self.groups.len() - 1) as u32
                })
            })
            .collect();
        self.note.extend(next.note);
        self.summary_form.extend(next.summary_form);
        self.start.extend(next.start);
        self.end.extend(next.end);
        self.place.extend(next.place);
        self.kind.extend(next.kind);
        self.precision.extend(next.precision);
        self.status.extend(next.status);
        self.counted.extend(next.counted);
        self.killed.extend_from_slice(&next.killed);
        self.actor1.extend(next.actor1);
        self.actor2.extend(next.actor2);
        self.actors.append(&next.actors, |a| a);
        self.claims.append(&next.claims, |c| c);
        self.posts.append(&next.posts, |p| p);
        // A lone figure's group is renumbered too; past the groups a byte can tell, it is
        // listed instead.
        for (i, &code) in next.lone_killed.iter().enumerate() {
            let listed = next.figures.get(i).iter().map(|f| FigureFact { group: renumber[f.group as usize], ..*f });
            match code {
                NO_FIGURE | LISTED => {
                    self.figures.push_row(listed);
                    self.lone_killed.push(code);
                }
                lone => {
                    let group = renumber[usize::from(lone - 1)];
                    let killed = next.killed[i];
                    if let Some(code) = lone_code(group) {
                        self.figures.push_row(std::iter::empty());
                        self.lone_killed.push(code);
                    } else {
                        let tally = Tally::exact(killed);
                        self.figures.push_row([FigureFact { group, outcome: Outcome::Killed, tally }]);
                        self.lone_killed.push(LISTED);
                    }
                }
            }
        }
    }
}

/// The facts of a range of events; `room` is the room to make for the folded text (the
/// first range makes room for the others', which are joined to it).
fn facts(sit: &Situation, range: std::ops::Range<usize>, room: usize) -> Facts {
    // Each event's place looked up once, by its handle: the summary's form and the place
    // column both use it.
    let mut position: FxHashMap<PlaceId, u32> = FxHashMap::default();
    let place: Vec<u32> = sit.events[range.clone()]
        .iter()
        .map(|e| {
            *position.entry(e.place).or_insert_with(|| sit.index.places.get(&*e.place).map_or(u32::MAX, |&i| i as u32))
        })
        .collect();
    let summary_form: Vec<u8> =
        sit.events[range.clone()].iter().zip(&place).map(|(e, &p)| summary_form(sit, e, p != u32::MAX)).collect();
    let (text, text_start) = fold_events(sit, range.clone(), room, &summary_form);
    let n = range.len();
    let note = sit.events[range.clone()].iter().map(|e| e.note.map_or(u32::MAX, |n| n.0)).collect();
    let mut f = Facts {
        text,
        text_start,
        note,
        summary_form,
        place,
        start: Vec::with_capacity(n),
        end: Vec::with_capacity(n),
        kind: Vec::with_capacity(n),
        precision: Vec::with_capacity(n),
        status: Vec::with_capacity(n),
        counted: Vec::with_capacity(n),
        killed: Vec::with_capacity(n),
        actor1: Vec::with_capacity(n),
        actor2: Vec::with_capacity(n),
        ..Facts::default()
    };
    let mut group_ids: HashMap<&str, u32> = HashMap::new();
    let notes_source =
        sit.index.sources.get(crate::domain::read_claims::NOTES_SOURCE).map_or(u32::MAX >> 2, |&i| i as u32);
    for e in &sit.events[range] {
        let span = e.span();
        f.start.push(day_number(span.start));
        f.end.push(day_number(span.end));
        f.kind.push(e.kind);
        f.precision.push(span.precision as u8 + if span.window { 8 } else { 0 });
        f.status.push(e.status);
        f.counted.push(counts_toward_totals(e));
        let (actor1, actor2, actors) = sit.actor_handles(e);
        f.actor1.push(actor1);
        f.actor2.push(actor2);
        f.actors.push_row(actors);
        f.claims.push_row(
            e.row.map(|r| ROW_CLAIM | if r.is_ucdp() { UCDP_ROW_CLAIM } else { 0 } | r.source).into_iter().chain(
                e.written()
                    .claims
                    .iter()
                    .chain(e.written().casualties.iter().flat_map(|c| &c.claims))
                    .filter_map(|c| sit.claim_index(c))
                    .map(|i| i as u32)
                    .chain(sit.read_casualties_of(e).map(|_| READ_CLAIM | notes_source)),
            ),
        );
        // An event read from its notes had no post of its own: the posts read come alone.
        f.posts.push_row(
            e.written()
                .posts
                .iter()
                .filter_map(|p| sit.index.posts.get(p))
                .map(|&i| i as u32)
                .chain(sit.read_posts_of(e)),
        );
        let mut killed = 0;
        let mut figures = Vec::new();
        for (group, outcome, count) in sit.figure_counts(e) {
            if outcome == Outcome::Killed {
                killed += count.best;
            }
            let group = *group_ids.entry(group).or_insert_with(|| {
                f.groups.push(group.to_string());
                (f.groups.len() - 1) as u32
            });
            figures.push(FigureFact { group, outcome, tally: Tally::of(&count) });
        }
        f.killed.push(killed);
        let code = match figures.as_slice() {
            [] => NO_FIGURE,
            [one] if one.outcome == Outcome::Killed && one.tally == Tally::exact(killed) => {
                lone_code(one.group).unwrap_or(LISTED)
            }
            _ => LISTED,
        };
        f.figures.push_row(if code == LISTED { figures } else { Vec::new() });
        f.lone_killed.push(code);
    }
    f
}

/// The folded text of a range of events, in a block with room for `room` bytes.
fn fold_events(sit: &Situation, range: std::ops::Range<usize>, room: usize, forms: &[u8]) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(room);
    let mut starts = Vec::with_capacity(range.len() + 1);
    let mut summary = String::new();
    for (e, &form) in sit.events[range].iter().zip(forms) {
        starts.push(text.len());
        if form == SUMMARY_IN_TEXT {
            summary.clear();
            e.summary_into(sit, &mut summary);
            fold_into(&mut text, &summary);
        }
        // Stored notes are searched in the note store.
        if let (None, Some(notes)) = (e.note, e.written_notes()) {
            text.push('\u{1f}');
            fold_into(&mut text, notes);
        }
        text.push(SEPARATOR);
    }
    (text, starts)
}

/// In [`SearchIndex::summary_form`]: the event's summary is in the folded text.
pub(crate) const SUMMARY_IN_TEXT: u8 = 0;

/// How an event's summary is searched (see [`SearchIndex::summary_form`]): a summary made
/// from a row is left out of the text when each of its parts is a name the index keeps for
/// the event's kind, place and first actors; otherwise (a written summary, a place or actor
/// not in the data's lists) it is in the text. `place_known`: the event's place is in the
/// data's list (the summary then names it by that place's name).
fn summary_form(sit: &Situation, e: &Event, place_known: bool) -> u8 {
    use crate::domain::model::RowSummary;
    let Some(form) = e.row.and_then(|r| r.summary).filter(|&f| f != RowSummary::Ucdp) else { return SUMMARY_IN_TEXT };
    // The summary names the first actor of each side by its name when the actor is in the
    // data's list (as the index's `actor1`/`actor2` do), by its id otherwise.
    let known =
        |mut ids: crate::domain::derived::ActorIds<'_>| ids.next().is_none_or(|id| sit.index.actors.contains_key(id));
    if !(place_known && known(sit.by(e)) && (form != RowSummary::TwoSides || known(sit.against(e)))) {
        return SUMMARY_IN_TEXT;
    }
    match form {
        RowSummary::OneSide => 1,
        RowSummary::TwoSides => 2,
        // A UCDP row's summary is searched in the text.
        RowSummary::Ucdp => SUMMARY_IN_TEXT,
    }
}

/// About the length in bytes of what [`fold_events`] puts in the text for an event, to make
/// room once: a summary made from a row is taken as left out without asking `summary_form`,
/// which `facts` works out anyway (the rare row whose summary stays in the text only makes
/// the text grow past its room; folding may change the length of text that is not ASCII).
fn searched_len(sit: &Situation, e: &Event) -> usize {
    let summary = if e.row.is_some_and(|r| r.summary_by_parts()) { 0 } else { e.summary_len(sit) };
    let notes = if e.note.is_none() { e.written_notes().map_or(0, |n| n.len() + 1) } else { 0 };
    summary + notes + 1
}

/// Calls `hit(k)` for each note `k` of `first..past` of a segment (`starts`, `block`) that
/// holds the finder's word: the notes are searched as one text, skipping to the next note
/// after a hit (separators keep a hit inside one note).
fn notes_holding(
    finder: &Finder<'_>,
    starts: &[u32],
    block: &[u8],
    first: usize,
    past: usize,
    mut hit: impl FnMut(usize),
) {
    let end = starts[past] as usize;
    let mut pos = starts[first] as usize;
    let mut k = first;
    while pos < end {
        let Some(h) = finder.find(&block[pos..end]) else { break };
        let at = pos + h;
        while starts[k + 1] as usize <= at {
            k += 1;
        }
        hit(k);
        k += 1;
        pos = starts[k] as usize;
    }
}

/// Per byte, its bit in [`SearchIndex::letters`] (`a` to `z`; others none).
const LETTER_BITS: [u32; 256] = {
    let mut bits = [0u32; 256];
    let mut b = b'a';
    while b <= b'z' {
        bits[b as usize] = 1 << (b - b'a');
        b += 1;
    }
    bits
};

/// The letters `a` to `z` that `bytes` hold, as bits (bit 0 for `a`).
fn letters_in(bytes: &[u8]) -> u32 {
    // Four lanes, so that the lookups do not wait on one another.
    let mut lanes = [0u32; 4];
    let mut chunks = bytes.chunks_exact(4);
    for c in &mut chunks {
        lanes[0] |= LETTER_BITS[c[0] as usize];
        lanes[1] |= LETTER_BITS[c[1] as usize];
        lanes[2] |= LETTER_BITS[c[2] as usize];
        lanes[3] |= LETTER_BITS[c[3] as usize];
    }
    let rest = chunks.remainder().iter().fold(0, |m, &b| m | LETTER_BITS[b as usize]);
    lanes[0] | lanes[1] | lanes[2] | lanes[3] | rest
}

fn fold_str(s: &str) -> String {
    let mut out = String::new();
    fold_into(&mut out, s);
    out
}

impl SearchIndex {
    #[must_use]
    pub fn new(sit: &Situation) -> SearchIndex {
        SearchIndex::build(sit, None)
    }

    /// [`SearchIndex::new`] after records other than events and notes changed (claims,
    /// posts, actors: what the notes reader adds), with `old`'s word index kept rather than
    /// built again when it is of the same events' same notes: it is made from the notes
    /// alone, and it is the costliest part of the index.
    #[must_use]
    pub fn new_keeping_words(sit: &Situation, old: SearchIndex) -> SearchIndex {
        // Only the words are kept: the rest goes before the new index is built.
        let SearchIndex { words, notes_held, note_event, .. } = old;
        SearchIndex::build(sit, Some(Kept { words, notes_held, note_event }))
    }

    fn build(sit: &Situation, old: Option<Kept>) -> SearchIndex {
        let n = sit.events.len();
        // Folding the text and gathering the facts is the costly part; with two cores, each
        // does half and the halves are joined.
        let mid = n / 2;
        // Folding keeps ASCII text's length, so the text's size is known well enough to make
        // room once: joining the halves then copies only the second.
        let text_len =
            |range: std::ops::Range<usize>| -> usize { sit.events[range].iter().map(|e| searched_len(sit, e)).sum() };
        let (mut all, second) = if n > 20_000 {
            std::thread::scope(|scope| {
                let second = scope.spawn(|| facts(sit, mid..n, text_len(mid..n)));
                let first = facts(sit, 0..mid, text_len(0..n));
                (first, second.join().unwrap_or_default())
            })
        } else {
            (facts(sit, 0..n, text_len(0..n)), Facts::default())
        };
        all.join(second);
        let Facts { text, text_start, note, .. } = &mut all;
        let (text, text_start, note) = (std::mem::take(text), std::mem::take(text_start), std::mem::take(note));
        let place_text = sit
            .places
            .iter()
            .map(|p| {
                let mut text = String::new();
                let mut current = Some(p);
                for _ in 0..=sit.places.len() {
                    let Some(place) = current else { break };
                    fold_into(&mut text, &place.name);
                    text.push('\u{1f}');
                    fold_into(&mut text, &place.id);
                    for alt in &place.alt_names {
                        text.push('\u{1f}');
                        fold_into(&mut text, alt);
                    }
                    text.push(SEPARATOR);
                    current = place.part_of.as_deref().and_then(|id| sit.place(id));
                }
                text
            })
            .collect();
        let actor_text = sit
            .actors
            .iter()
            .map(|a| {
                let mut text = format!(
                    "{}\u{1f}{}\u{1f}{}",
                    fold_str(&a.name),
                    fold_str(&a.id),
                    fold_str(&a.id.replace('_', " "))
                );
                for alt in &a.alt_names {
                    text.push('\u{1f}');
                    fold_into(&mut text, alt);
                }
                text
            })
            .collect();
        let kind_text = Kind::ALL
            .iter()
            .map(|k| {
                (
                    *k,
                    format!(
                        "{}\u{1f}{}\u{1f}{}",
                        k.id().replace('_', " "),
                        fold_str(k.acled_event_type()),
                        fold_str(k.acled_sub_event_type())
                    ),
                )
            })
            .collect();
        let source_text =
            sit.sources.iter().map(|s| format!("{}\u{1f}{}", fold_str(&s.publisher), fold_str(&s.id))).collect();
        let mut attr_ids: HashMap<&str, u32> = HashMap::new();
        let mut attr_text = Vec::new();
        let mut claim_attr = Vec::with_capacity(sit.claims.len());
        let mut claim_source = Vec::with_capacity(sit.claims.len());
        for c in &sit.claims {
            let id = *attr_ids.entry(c.attributed_to.as_str()).or_insert_with(|| {
                attr_text.push(fold_str(&c.attributed_to));
                (attr_text.len() - 1) as u32
            });
            claim_attr.push(id);
            claim_source.push(sit.index.sources.get(&c.source).map_or(u32::MAX, |&i| i as u32));
        }
        let source_attr = sit
            .sources
            .iter()
            .map(|s| {
                *attr_ids.entry(s.publisher.as_str()).or_insert_with(|| {
                    attr_text.push(fold_str(&s.publisher));
                    (attr_text.len() - 1) as u32
                })
            })
            .collect();
        let ucdp_attr = *attr_ids.entry(crate::domain::ucdp::UCDP_GED).or_insert_with(|| {
            attr_text.push(fold_str(crate::domain::ucdp::UCDP_GED));
            (attr_text.len() - 1) as u32
        });

        let mut summary_kind = vec![String::new(); Kind::ALL.len()];
        for &k in Kind::ALL {
            if let Some(words) = summary_kind.get_mut(k as usize) {
                *words = fold_str(crate::domain::derived::summary_what(k));
            }
        }
        let mut index = SearchIndex {
            text,
            text_start,
            note,
            note_event: Vec::new(),
            letters: Vec::new(),
            notes_held: 0,
            words: NoteWords::default(),
            summary_form: all.summary_form,
            summary_kind,
            summary_place: sit.places.iter().map(|p| fold_str(&p.name)).collect(),
            summary_actor: sit.actors.iter().map(|a| fold_str(&a.name)).collect(),
            place_text,
            actor_text,
            kind_text,
            source_text,
            attr_text,
            claim_attr,
            claim_source,
            source_attr,
            ucdp_attr,
            start: all.start,
            end: all.end,
            place: all.place,
            kind: all.kind,
            precision: all.precision,
            status: all.status,
            counted: all.counted,
            killed: all.killed,
            actor1: all.actor1,
            actor2: all.actor2,
            actors: all.actors,
            claims: all.claims,
            posts: all.posts,
            place_chain: Flat::new(),
            by_place: Flat::new(),
            by_actor: Flat::new(),
            by_kind: Flat::new(),
            figures: all.figures,
            lone_killed: all.lone_killed,
            groups: all.groups,
            days_spanned: (0, 0),
            starts_sorted: true,
            longest: 0,
        };
        index.summarise_figures();
        index.take_notes(sit, 0);
        index.words = match old {
            Some(old)
                if old.notes_held == index.notes_held
                    && old.note_event == index.note_event
                    && old.words.covered() == index.note.len() =>
            {
                old.words
            }
            _ => NoteWords::new(&index.note_event, index.note.len(), &sit.note_store, n > PARALLEL_EVENTS),
        };
        index.letters = index.letters_of_events(&sit.note_store, 0);
        index.list_events(sit);
        for p in &sit.places {
            let mut chain = Vec::new();
            let mut current = sit.index.places.get(&p.id).copied();
            for _ in 0..=sit.places.len() {
                let Some(i) = current else { break };
                chain.push(i as u32);
                current = sit.places[i].part_of.as_deref().and_then(|id| sit.index.places.get(id).copied());
            }
            index.place_chain.push_row(chain);
        }
        index
    }

    /// Takes in events appended at the end of `sit.events` (from position `from` on), when
    /// nothing else the index names changed: no new place, actor or source, and claims only
    /// appended. Costs what the new events cost, not what the situation holds; the result is
    /// the index [`SearchIndex::new`] would build. Returns false (and changes nothing) when
    /// the situation does not fit those conditions; then build the index anew.
    pub fn extend(&mut self, sit: &Situation, from: usize) -> bool {
        let fits = from == self.len()
            && from <= sit.events.len()
            && self.place_text.len() == sit.places.len()
            && self.actor_text.len() == sit.actors.len()
            && self.source_text.len() == sit.sources.len()
            && self.claim_attr.len() <= sit.claims.len();
        if !fits {
            return false;
        }
        let n = sit.events.len();
        let room = sit.events[from..].iter().map(|e| searched_len(sit, e)).sum();
        let mut all = Facts {
            text: std::mem::take(&mut self.text),
            text_start: std::mem::take(&mut self.text_start),
            note: std::mem::take(&mut self.note),
            summary_form: std::mem::take(&mut self.summary_form),
            start: std::mem::take(&mut self.start),
            end: std::mem::take(&mut self.end),
            place: std::mem::take(&mut self.place),
            kind: std::mem::take(&mut self.kind),
            precision: std::mem::take(&mut self.precision),
            status: std::mem::take(&mut self.status),
            counted: std::mem::take(&mut self.counted),
            killed: std::mem::take(&mut self.killed),
            actor1: std::mem::take(&mut self.actor1),
            actor2: std::mem::take(&mut self.actor2),
            actors: std::mem::take(&mut self.actors),
            claims: std::mem::take(&mut self.claims),
            posts: std::mem::take(&mut self.posts),
            figures: std::mem::take(&mut self.figures),
            lone_killed: std::mem::take(&mut self.lone_killed),
            groups: std::mem::take(&mut self.groups),
        };
        // `join` ends the text starts with the text's end; the old end is the new part's start.
        all.text_start.pop();
        all.join(facts(sit, from..n, room));
        self.text = all.text;
        self.text_start = all.text_start;
        self.note = all.note;
        self.summary_form = all.summary_form;
        self.start = all.start;
        self.end = all.end;
        self.place = all.place;
        self.kind = all.kind;
        self.precision = all.precision;
        self.status = all.status;
        self.counted = all.counted;
        self.killed = all.killed;
        self.actor1 = all.actor1;
        self.actor2 = all.actor2;
        self.actors = all.actors;
        self.claims = all.claims;
        self.posts = all.posts;
        self.figures = all.figures;
        self.lone_killed = all.lone_killed;
        self.groups = all.groups;
        self.summarise_figures();
        self.take_notes(sit, from);
        // The words are taken in again once the events appended since they were are more
        // than an eighth of those they cover: until then those events' notes are searched.
        if (n - self.words.covered()) * 8 > self.words.covered() {
            self.words = NoteWords::new(&self.note_event, self.note.len(), &sit.note_store, n > PARALLEL_EVENTS);
        }
        let letters = self.letters_of_events(&sit.note_store, from);
        self.letters.truncate(from);
        self.letters.extend(letters);
        self.list_events(sit);
        let mut attr_ids: HashMap<&str, u32> = HashMap::new();
        for c in &sit.claims[self.claim_attr.len()..] {
            let id = if let Some(&id) = attr_ids.get(c.attributed_to.as_str()) {
                id
            } else {
                // New claims' attributions join the folded texts known, each once.
                let folded = fold_str(&c.attributed_to);
                let id = self.attr_text.iter().position(|t| *t == folded).map_or_else(
                    || {
                        self.attr_text.push(folded);
                        (self.attr_text.len() - 1) as u32
                    },
                    |p| p as u32,
                );
                attr_ids.insert(c.attributed_to.as_str(), id);
                id
            };
            self.claim_attr.push(id);
            self.claim_source.push(sit.index.sources.get(&c.source).map_or(u32::MAX, |&i| i as u32));
        }
        true
    }

    /// Points the notes of the events from `from` on back at their events, for the search
    /// of the note store.
    fn take_notes(&mut self, sit: &Situation, from: usize) {
        self.notes_held = sit.note_store.len();
        self.note_event.resize(self.notes_held, u32::MAX);
        for (i, &k) in self.note.iter().enumerate().skip(from) {
            if let Some(slot) = self.note_event.get_mut(k as usize) {
                *slot = i as u32;
            }
        }
    }

    /// The letters (see `letters`) of the events from `from` on. For a whole index the store
    /// is walked in its own order (on large data, half on each core); events added to a
    /// built one (a followed file's new lines) have their own notes looked up.
    fn letters_of_events(&self, notes: &NoteStore, from: usize) -> Vec<u32> {
        let held = self.notes_held.min(notes.len()).min(self.note_event.len());
        let n = self.len();
        let from = from.min(n);
        let in_text = |e: usize| letters_in(&self.text.as_bytes()[self.text_start[e]..self.text_start[e + 1]]);
        let of_text = |range: std::ops::Range<usize>| -> Vec<u32> { range.map(in_text).collect() };
        if from > 0 {
            return (from..n)
                .map(|e| match self.note[e] {
                    k if (k as usize) < held => in_text(e) | letters_in(notes.folded(Note(k)).as_bytes()),
                    _ => in_text(e),
                })
                .collect();
        }
        // The notes' letters, read in the store's order (an imported file's notes are in the
        // file's order, not the events'), each kept for its event.
        let of_notes = |range: std::ops::Range<usize>| -> Vec<(u32, u32)> {
            let mut found = Vec::new();
            notes.each_piece(range.start, range.end, |base, starts, block, lo, hi| {
                for k in lo..hi {
                    let e = self.note_event[base + k];
                    if (e as usize) < n {
                        found.push((e, letters_in(&block[starts[k] as usize..starts[k + 1] as usize])));
                    }
                }
            });
            found
        };
        let (mut letters, found) = if n > PARALLEL_EVENTS {
            let mid = held / 2;
            let (text, first, second) = std::thread::scope(|scope| {
                let second = scope.spawn(|| of_notes(mid..held));
                let first = of_notes(0..mid);
                (of_text(0..n), first, second.join())
            });
            let second = second.unwrap_or_else(|_| of_notes(mid..held));
            (text, [first, second])
        } else {
            (of_text(0..n), [of_notes(0..held), Vec::new()])
        };
        for (e, mask) in found.iter().flatten() {
            letters[*e as usize] |= mask;
        }
        letters
    }

    /// Lists the events at each place, of each actor and of each kind.
    fn list_events(&mut self, sit: &Situation) {
        fn lists(groups: usize, n: usize, of: impl Fn(usize, &mut dyn FnMut(u32))) -> Flat<u32> {
            let mut count = vec![0u32; groups + 1];
            for i in 0..n {
                of(i, &mut |g| {
                    if let Some(c) = count.get_mut(g as usize + 1) {
                        *c += 1;
                    }
                });
            }
            for g in 1..count.len() {
                count[g] += count[g - 1];
            }
            let mut items = vec![0u32; count.last().copied().unwrap_or(0) as usize];
            let mut next = count.clone();
            for i in 0..n {
                of(i, &mut |g| {
                    if let Some(at) = next.get_mut(g as usize) {
                        items[*at as usize] = i as u32;
                        *at += 1;
                    }
                });
            }
            Flat { items, start: count }
        }
        let n = self.len();
        self.by_place = lists(sit.places.len(), n, |i, put| {
            if (self.place[i] as usize) < sit.places.len() {
                put(self.place[i]);
            }
        });
        self.by_actor = lists(sit.actors.len(), n, |i, put| {
            let list = self.actors.get(i);
            for (j, &a) in list.iter().enumerate() {
                // An actor on both sides of one event lists it once.
                if (a as usize) < sit.actors.len() && !list[..j].contains(&a) {
                    put(a);
                }
            }
        });
        self.by_kind = lists(Kind::ALL.len(), n, |i, put| put(self.kind[i] as u32));
    }

    /// Works out `days_spanned`, whether starts are sorted and the longest span.
    fn summarise_figures(&mut self) {
        let first = self.start.iter().copied().min().unwrap_or(0);
        let last = self.end.iter().copied().max().unwrap_or(0);
        self.days_spanned = (first, last);
        self.starts_sorted = self.start.is_sorted();
        self.longest = self.start.iter().zip(&self.end).map(|(s, e)| e.saturating_sub(*s)).max().unwrap_or(0);
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.start.len()
    }

    /// The casualty figures of event `i`, at their chosen claims: a lone killed figure told
    /// by its byte (see `lone_killed`), or the list.
    #[must_use]
    pub fn figure_facts(&self, i: usize) -> FigureFacts<'_> {
        let lone = match self.lone_killed.get(i) {
            Some(&code) if code != NO_FIGURE && code != LISTED => Some(FigureFact {
                group: u32::from(code - 1),
                outcome: Outcome::Killed,
                tally: Tally::exact(self.killed[i]),
            }),
            _ => None,
        };
        FigureFacts { lone, listed: self.figures.get(i).iter() }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// True when an event's dates may fall inside the window.
    #[must_use]
    pub fn admits(&self, window: &TimeWindow, event: usize) -> bool {
        self.admits_days(Days::of(window), event)
    }

    /// [`SearchIndex::admits`] with the window already in day numbers, for loops.
    #[must_use]
    pub fn admits_days(&self, days: Days, event: usize) -> bool {
        self.end[event] >= days.from && self.start[event] <= days.to
    }

    /// Events whose folded summary or notes contain `word`: the index's own text (summaries
    /// kept as text, notes not stored) and the note store, each searched in one pass (two,
    /// one per core, on large data) that skips to the next event or note after a hit.
    #[must_use]
    pub fn text_hits(&self, notes: &NoteStore, word: &str) -> Bits {
        let n = self.len();
        let finder = Finder::new(word.as_bytes());
        let mut bits = Bits::zeros(n);
        // Sets the bits of the events from `first_word * 64` that hold the word, straight into
        // `words` (so each core writes its own part of the set, and nothing is gathered).
        let scan = |words: &mut [u64], first_word: usize| {
            let lo = (first_word * 64).min(n);
            let hi = ((first_word + words.len()) * 64).min(n);
            let bytes = self.text.as_bytes();
            let mut pos = self.text_start[lo];
            let end = self.text_start[hi];
            let mut event = lo;
            while pos < end {
                let Some(h) = finder.find(&bytes[pos..end]) else { break };
                let at = pos + h;
                // Hits only move forward, so the event holding one is found by walking on.
                while self.text_start[event + 1] <= at {
                    event += 1;
                }
                let bit = event - first_word * 64;
                words[bit / 64] |= 1 << (bit % 64);
                event += 1;
                pos = self.text_start[event];
            }
        };
        // A text of separators alone (every summary made from a row, every note stored) holds
        // no word.
        if self.text.len() > n {
            bits.fill_words(n, scan);
        }
        self.note_hits(notes, word, &finder, &mut bits);
        bits
    }

    /// Sets the bits of the events whose stored notes hold the finder's word (`word`):
    /// looked up in the notes' words, or else searched for in every note.
    fn note_hits(&self, notes: &NoteStore, word: &str, finder: &Finder<'_>, bits: &mut Bits) {
        let held = self.notes_held.min(notes.len());
        if held == 0 {
            return;
        }
        if self.words.hits(word, &self.note_event, &mut bits.words) {
            self.appended_note_hits(notes, finder, None, bits);
            return;
        }
        let scan = |lo: usize, hi: usize, out: &mut Bits| {
            notes.each_piece(lo, hi, |base, starts, block, lo, hi| {
                notes_holding(finder, starts, block, lo, hi, |k| {
                    if let Some(&e) = self.note_event.get(base + k)
                        && (e as usize) < out.len()
                    {
                        out.set(e as usize);
                    }
                });
            });
        };
        if held > PARALLEL_EVENTS {
            let mid = held / 2;
            let mut later = Bits::zeros(bits.len());
            std::thread::scope(|scope| {
                let later = &mut later;
                let scan = &scan;
                scope.spawn(move || scan(mid, held, later));
                scan(0, mid, bits);
            });
            bits.or(&later);
        } else {
            scan(0, held, bits);
        }
    }

    /// The events whose summary made from their row holds `word` (folded), read from the
    /// names of their kind, place and actors rather than from text (see `summary_form`),
    /// and those `other` finds: both in one pass over the events.
    #[must_use]
    pub fn summary_hits_or(&self, word: &str, other: Option<&(impl Fn(usize) -> bool + Sync)>) -> Bits {
        let n = self.len();
        let also = |i: usize| other.as_ref().is_some_and(|f| f(i));
        let alone = || if other.is_some() { Bits::from_fn(n, also) } else { Bits::zeros(n) };
        if !self.summary_form.iter().any(|&f| f != SUMMARY_IN_TEXT) {
            return alone();
        }
        let joins = crate::domain::derived::SUMMARY_JOINS;
        if word.contains([' ', ':']) {
            // Words that may run across a part and a join ("attack in"): made and read.
            return Bits::from_fn(n, |i| {
                also(i)
                    || self.summary_form[i] != SUMMARY_IN_TEXT && {
                        let name = |a: u32| self.summary_actor.get(a as usize).map_or("", String::as_str);
                        let kind = self.summary_kind.get(self.kind[i] as usize).map_or("", String::as_str);
                        let place = self.summary_place.get(self.place[i] as usize).map_or("", String::as_str);
                        let mut made = format!("{kind}{}{place}{}{}", joins[0], joins[1], name(self.actor1[i]));
                        if self.summary_form[i] == 2 {
                            made.push_str(joins[2]);
                            made.push_str(name(self.actor2[i]));
                        }
                        made.contains(word)
                    }
            });
        }
        // Otherwise a word lies inside one part or one join.
        let kind: Vec<bool> = self.summary_kind.iter().map(|t| t.contains(word)).collect();
        let place: Vec<bool> = self.summary_place.iter().map(|t| t.contains(word)).collect();
        let actor: Vec<bool> = self.summary_actor.iter().map(|t| t.contains(word)).collect();
        let one_side = joins[0].contains(word) || joins[1].contains(word);
        let two_sides = one_side || joins[2].contains(word);
        if !(one_side || two_sides || kind.contains(&true) || place.contains(&true) || actor.contains(&true)) {
            return alone();
        }
        let at = |list: &[bool], i: u32| list.get(i as usize).copied().unwrap_or(false);
        Bits::from_fn(n, |i| {
            also(i)
                || match self.summary_form[i] {
                    SUMMARY_IN_TEXT => false,
                    form => {
                        (if form == 2 { two_sides } else { one_side })
                            || at(&kind, self.kind[i] as u32)
                            || at(&place, self.place[i])
                            || at(&actor, self.actor1[i])
                            || (form == 2 && at(&actor, self.actor2[i]))
                    }
                }
        })
    }

    /// The events a free word finds by name: at a place whose names hold it (`place_ok`,
    /// by place), with an actor whose names hold it (`actor_ok`), of a kind whose words
    /// hold it (`kind_ok`), or whose summary made from its row holds it. What
    /// [`SearchIndex::summary_hits_or`] with that test finds; when the word names few
    /// places, actors and kinds (their events an eighth of all, or fewer), only their
    /// events are read (each far from the last: more than that, and reading every event's
    /// columns in order costs less).
    #[must_use]
    pub fn name_hits(&self, word: &str, place_ok: &[bool], actor_ok: &[bool], kind_ok: &[Kind]) -> Bits {
        self.name_hits_within(word, (place_ok, actor_ok, kind_ok), self.len() / 8)
    }

    /// [`SearchIndex::name_hits`], reading the listed events only when they are at most
    /// `limit`.
    #[must_use]
    pub fn name_hits_within(&self, word: &str, names: (&[bool], &[bool], &[Kind]), limit: usize) -> Bits {
        let (place_ok, actor_ok, kind_ok) = names;
        let n = self.len();
        let ok = |list: &[bool], i: u32| list.get(i as usize).copied().unwrap_or(false);
        let named = |i: usize| {
            ok(place_ok, self.place[i])
                || self.actors.get(i).iter().any(|&a| ok(actor_ok, a))
                || kind_ok.contains(&self.kind[i])
        };
        let any_named = place_ok.contains(&true) || actor_ok.contains(&true) || !kind_ok.is_empty();
        let rows = self.summary_form.iter().any(|&f| f != SUMMARY_IN_TEXT);
        let joins = crate::domain::derived::SUMMARY_JOINS;
        if rows && word.contains([' ', ':']) {
            // Words that may run across a part and a join: the summaries are made and read.
            return self.summary_hits_or(word, any_named.then_some(&named));
        }
        let in_summary = |texts: &[String]| -> Vec<bool> { texts.iter().map(|t| rows && t.contains(word)).collect() };
        let (kind_words, place_words, actor_words) =
            (in_summary(&self.summary_kind), in_summary(&self.summary_place), in_summary(&self.summary_actor));
        let scan = || {
            let mut kinds = vec![false; Kind::ALL.len()];
            for &k in kind_ok {
                if let Some(named) = kinds.get_mut(k as usize) {
                    *named = true;
                }
            }
            let one_side = rows && (joins[0].contains(word) || joins[1].contains(word));
            let two_sides = one_side || rows && joins[2].contains(word);
            self.named_or_summary(
                [(place_ok, &place_words), (actor_ok, &actor_words), (&kinds, &kind_words)],
                [one_side, two_sides],
            )
        };
        if rows && joins.iter().any(|j| j.contains(word)) {
            // Every summary made from a row may hold it.
            return scan();
        }
        let lists = |by: &Flat<u32>, pick: &dyn Fn(usize) -> bool| -> Vec<usize> {
            (0..by.start.len().saturating_sub(1)).filter(|&g| pick(g)).collect()
        };
        let places = lists(&self.by_place, &|p| ok(place_ok, p as u32) || ok(&place_words, p as u32));
        let actors = lists(&self.by_actor, &|a| ok(actor_ok, a as u32) || ok(&actor_words, a as u32));
        let kinds = lists(&self.by_kind, &|k| {
            Kind::ALL.get(k).is_some_and(|kind| kind_ok.contains(kind)) || ok(&kind_words, k as u32)
        });
        let listed = |by: &Flat<u32>, groups: &[usize]| groups.iter().map(|&g| by.get(g).len()).sum::<usize>();
        if listed(&self.by_place, &places) + listed(&self.by_actor, &actors) + listed(&self.by_kind, &kinds) > limit {
            return scan();
        }
        let in_row_summary = |i: usize| match self.summary_form[i] {
            SUMMARY_IN_TEXT => false,
            form => {
                ok(&kind_words, self.kind[i] as u32)
                    || ok(&place_words, self.place[i])
                    || ok(&actor_words, self.actor1[i])
                    || (form == 2 && ok(&actor_words, self.actor2[i]))
            }
        };
        let mut bits = Bits::zeros(n);
        for (by, groups) in [(&self.by_place, &places), (&self.by_actor, &actors), (&self.by_kind, &kinds)] {
            for &g in groups {
                for &i in by.get(g) {
                    let i = i as usize;
                    if !bits.get(i) && (named(i) || in_row_summary(i)) {
                        bits.set(i);
                    }
                }
            }
        }
        bits
    }

    /// What [`SearchIndex::summary_hits_or`] finds with the name test beside it, for a word
    /// with no space or colon, from tables: per place, actor and kind (by `Kind as usize`),
    /// whether its names hold the word and whether the summary made from a row holds it
    /// through that part; and whether the joins of a summary of one side and of two do.
    /// One look-up per column an event, over every event.
    fn named_or_summary(&self, tables: [(&[bool], &[bool]); 3], joined: [bool; 2]) -> Bits {
        const NAME: u8 = 1;
        const PART: u8 = 2;
        // One entry past the end, holding neither, for what names none (`u32::MAX`).
        let table = |(name, part): (&[bool], &[bool])| -> Vec<u8> {
            let len = name.len().max(part.len());
            (0..=len)
                .map(|i| {
                    let at = |list: &[bool]| u8::from(list.get(i).copied().unwrap_or(false));
                    (at(name) * NAME) | (at(part) * PART)
                })
                .collect()
        };
        let [places, actors, kinds] = tables.map(table);
        let at = |t: &[u8], i: u32| t[(i as usize).min(t.len() - 1)];
        let any_actor = actors.iter().any(|&a| a & NAME != 0);
        let [one_side, two_sides] = joined;
        Bits::from_fn(self.len(), |i| {
            let place = at(&places, self.place[i]);
            let kind = at(&kinds, self.kind[i] as u32);
            if (place | kind) & NAME != 0 {
                return true;
            }
            let form = self.summary_form[i];
            if form != SUMMARY_IN_TEXT {
                let two = form == 2;
                if (if two { two_sides } else { one_side })
                    || (place | kind | at(&actors, self.actor1[i])) & PART != 0
                    || (two && at(&actors, self.actor2[i]) & PART != 0)
                {
                    return true;
                }
            }
            any_actor && self.actors.get(i).iter().any(|&a| at(&actors, a) & NAME != 0)
        })
    }

    /// [`SearchIndex::text_hits`] among `among`'s events only: the store is walked in its
    /// own order, and the notes of candidates that follow one another there are searched as
    /// one text, the others' skipped. What a word that extends an earlier one costs: the
    /// text of the events that one found. Walking the store rather than the events keeps
    /// those runs long whatever order the notes were stored in (an imported file's notes
    /// are in the file's order, its events in date order).
    #[must_use]
    pub fn text_hits_among(&self, notes: &NoteStore, word: &str, among: &Bits) -> Bits {
        let n = self.len();
        let finder = Finder::new(word.as_bytes());
        let bytes = self.text.as_bytes();
        let held = self.notes_held.min(notes.len()).min(self.note_event.len());
        let needle = word.as_bytes();
        // The text here (a written summary, notes not stored) is read only when it can hold
        // the word: most events have none, only the separator.
        let in_text = |words: &mut [u64], first_word: usize| {
            for (w, out) in words.iter_mut().enumerate() {
                let mut candidates = among.words.get(first_word + w).copied().unwrap_or(0);
                while candidates != 0 {
                    let bit = candidates.trailing_zeros() as usize;
                    candidates &= candidates - 1;
                    let e = (first_word + w) * 64 + bit;
                    if e >= n {
                        break;
                    }
                    let (a, b) = (self.text_start[e], self.text_start[e + 1]);
                    if b - a >= needle.len() && finder.find(&bytes[a..b]).is_some() {
                        *out |= 1 << bit;
                    }
                }
            }
        };
        let mut bits = Bits::zeros(n);
        if self.text.len() > n {
            bits.fill_words(n, in_text);
        }
        let mut found = Bits::zeros(n);
        if held > 0 && self.words.hits(word, &self.note_event, &mut found.words) {
            found.and(among);
            self.appended_note_hits(notes, &finder, Some(among), &mut found);
            bits.or(&found);
            return bits;
        }
        // The notes `lo..hi` of the store: runs of candidates' notes, each read as one text in
        // a search that skips to the next note after a hit (as `text_hits` reads them all).
        let scan = |lo: usize, hi: usize, out: &mut Bits| {
            notes.each_piece(lo, hi, |base, starts, block, lo, hi| {
                let event = |k: usize| self.note_event[base + k] as usize;
                let candidate = |k: usize| event(k) < n && among.get(event(k));
                let read = |out: &mut Bits, first: usize, past: usize| {
                    notes_holding(&finder, starts, block, first, past, |k| out.set(event(k)));
                };
                let mut k = lo;
                while k < hi {
                    if !candidate(k) {
                        k += 1;
                        continue;
                    }
                    let first = k;
                    while k < hi && candidate(k) {
                        k += 1;
                    }
                    read(out, first, k);
                }
            });
        };
        if held > PARALLEL_EVENTS {
            let mid = held / 2;
            let mut later = Bits::zeros(n);
            std::thread::scope(|scope| {
                let later = &mut later;
                let scan = &scan;
                scope.spawn(move || scan(mid, held, later));
                scan(0, mid, &mut bits);
            });
            bits.or(&later);
        } else {
            scan(0, held, &mut bits);
        }
        bits
    }

    /// Sets the bits of the events past those the notes' words cover (appended since) whose
    /// stored note holds the finder's word: among `among`'s only, when given.
    fn appended_note_hits(&self, notes: &NoteStore, finder: &Finder<'_>, among: Option<&Bits>, bits: &mut Bits) {
        let held = self.notes_held.min(notes.len());
        for e in self.words.covered()..self.len().min(bits.len()) {
            let k = self.note[e];
            if (k as usize) < held
                && among.is_none_or(|a| a.get(e))
                && finder.find(notes.folded(Note(k)).as_bytes()).is_some()
            {
                bits.set(e);
            }
        }
    }

    /// The events among `among` whose text holds `word` when it is one letter `a` to `z`,
    /// told by their letters without reading text; `None` for any other word.
    #[must_use]
    pub fn letter_hits(&self, word: &str, among: &Bits) -> Option<Bits> {
        let [b @ b'a'..=b'z'] = word.as_bytes() else { return None };
        let bit = 1u32 << (b - b'a');
        if self.letters.len() != self.len() {
            return None;
        }
        let mut bits = Bits::from_fn(self.len(), |i| self.letters[i] & bit != 0);
        bits.and(among);
        Some(bits)
    }

    /// What tells one index from another built since (for results kept between keystrokes):
    /// events, bytes of text, notes of the store, places, actors and claims.
    #[must_use]
    pub fn fingerprint(&self) -> [usize; 6] {
        [
            self.len(),
            self.text.len(),
            self.notes_held,
            self.place_text.len(),
            self.actor_text.len(),
            self.claim_attr.len(),
        ]
    }

    /// Killed and injured over `events` inside the window: the same as
    /// [`crate::domain::figures::casualties`], from the precomputed figures.
    #[must_use]
    pub fn casualties(&self, events: &[u32], window: TimeWindow) -> crate::domain::figures::CasualtyFigures {
        let days = Days::of(&window);
        let mut killed = vec![None::<Tally>; self.groups.len()];
        let mut injured = vec![None::<Tally>; self.groups.len()];
        let mut out = crate::domain::figures::CasualtyFigures::default();
        for &i in events {
            let i = i as usize;
            if !self.counted[i] || !self.admits_days(days, i) {
                continue;
            }
            for f in self.figure_facts(i) {
                let (total, groups) = match f.outcome {
                    Outcome::Killed => (&mut out.killed, &mut killed),
                    Outcome::Injured => (&mut out.injured, &mut injured),
                };
                total.merge(&f.tally);
                groups[f.group as usize].get_or_insert_with(Tally::default).merge(&f.tally);
            }
        }
        let named = |tallies: Vec<Option<Tally>>| -> BTreeMap<String, Tally> {
            tallies.into_iter().enumerate().filter_map(|(g, t)| Some((self.groups[g].clone(), t?))).collect()
        };
        out.killed_by_group = named(killed);
        out.injured_by_group = named(injured);
        out
    }

    /// Killed per day: the same as [`crate::domain::figures::killed_per_day`].
    #[must_use]
    pub fn killed_per_day(&self, events: &[u32], window: TimeWindow) -> DailyKilled {
        let days = Days::of(&window);
        let counted = || events.iter().map(|&i| i as usize).filter(|&i| self.counted[i] && self.admits_days(days, i));
        let mut not_dated = 0;
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for i in counted() {
            if self.start[i] == self.end[i] {
                first = first.min(self.start[i]);
                last = last.max(self.start[i]);
            } else {
                not_dated += self.killed[i];
            }
        }
        if first > last {
            return DailyKilled { days: Vec::new(), not_dated_to_a_day: not_dated };
        }
        // The reference stops after 100,000 days; so does this.
        let span = ((last - first) as usize + 1).min(100_000);
        let mut per_day = vec![0u64; span];
        for i in counted() {
            if self.start[i] == self.end[i]
                && let Some(slot) = per_day.get_mut((self.start[i] - first) as usize)
            {
                *slot += self.killed[i];
            }
        }
        let days = per_day
            .into_iter()
            .enumerate()
            .filter_map(|(k, killed)| {
                Some((Day(chrono::NaiveDate::from_num_days_from_ce_opt(first + k as i32)?), killed))
            })
            .collect();
        DailyKilled { days, not_dated_to_a_day: not_dated }
    }

    /// Which posts (by index) any of `events` concerns.
    #[must_use]
    pub fn posts_concerned(&self, events: &[u32], posts: usize) -> Vec<bool> {
        let mut concerned = vec![false; posts];
        // Data with no post at all (most exports) has nothing to look for.
        if self.posts.items.is_empty() {
            return concerned;
        }
        // Once every post is concerned, the rest of the events cannot change the answer.
        let mut left = posts;
        for &i in events {
            for &p in self.posts.get(i as usize) {
                if let Some(c) = concerned.get_mut(p as usize)
                    && !*c
                {
                    *c = true;
                    left -= 1;
                }
            }
            if left == 0 {
                break;
            }
        }
        concerned
    }

    /// How many of `events` inside the window sit at or inside each place (by place index),
    /// as [`crate::domain::figures::posts_by_place`] counts them.
    #[must_use]
    pub fn events_by_place(&self, events: &[u32], window: TimeWindow, places: usize) -> Vec<usize> {
        let days = Days::of(&window);
        // Count at each event's own place, then carry each place's count up to the places
        // that contain it: one pass over the events, one over the places.
        let mut at = vec![0; places];
        for &i in events {
            let i = i as usize;
            if self.admits_days(days, i)
                && let Some(c) = at.get_mut(self.place[i] as usize)
            {
                *c += 1;
            }
        }
        let mut counts = vec![0; places];
        for (place, &n) in at.iter().enumerate().filter(|(_, n)| **n > 0) {
            for &p in self.place_chain.get(place) {
                if let Some(c) = counts.get_mut(p as usize) {
                    *c += n;
                }
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A range's facts with one event: one exact killed figure in group `group` of `groups`.
    fn one_lone(groups: Vec<String>, group: u32, killed: u64) -> Facts {
        let mut f = Facts { groups, ..Facts::default() };
        f.killed.push(killed);
        if let Some(code) = lone_code(group) {
            f.figures.push_row(std::iter::empty());
            f.lone_killed.push(code);
        } else {
            f.figures.push_row([FigureFact { group, outcome: Outcome::Killed, tally: Tally::exact(killed) }]);
            f.lone_killed.push(LISTED);
        }
        f
    }

    fn facts_of(all: &Facts, i: usize) -> Vec<(String, u64)> {
        let index = SearchIndex {
            killed: all.killed.clone(),
            lone_killed: all.lone_killed.clone(),
            figures: all.figures.clone(),
            ..SearchIndex::default()
        };
        index.figure_facts(i).map(|f| (all.groups[f.group as usize].clone(), f.tally.best)).collect()
    }

    /// Joining ranges renumbers a lone figure's group; one past what a byte tells is listed.
    #[test]
    fn a_lone_figure_keeps_its_group_when_ranges_are_joined() {
        let many: Vec<String> = (0..300).map(|g| format!("g{g}")).collect();
        let mut all = one_lone(many.clone(), 299, 7);
        assert_eq!(all.lone_killed, [LISTED]);
        // The next range's group 0 is "new": the 301st group here, so it must be listed.
        all.join(one_lone(vec!["new".to_string()], 0, 3));
        // Its group 1 is "g5", known here: told by a byte.
        all.join(one_lone(vec!["x".to_string(), "g5".to_string()], 1, 2));
        assert_eq!(all.lone_killed[1], LISTED);
        assert_eq!(all.lone_killed[2], 6);
        assert_eq!(facts_of(&all, 0), [("g299".to_string(), 7)]);
        assert_eq!(facts_of(&all, 1), [("new".to_string(), 3)]);
        assert_eq!(facts_of(&all, 2), [("g5".to_string(), 2)]);
        assert_eq!(all.figures.get(2), [], "a lone figure is not listed");
    }
}
