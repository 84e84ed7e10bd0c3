//! The same reader over the notes of loaded events (ACLED and UCDP imports, our own): posts
//! and bases with their status changes, and casualty breakdowns, become claims that cite
//! the event and quote its notes, with a confidence that says they were read from text.
//! A prefilter ([`prefilter`]: one multi-pattern pass) leaves rows whose notes cannot hold
//! a post's status or a casualty figure untouched, at the cost of that one pass; the rest
//! are read on every core, then matched across events in event order.

#![allow(clippy::many_single_char_names)]

use rustc_hash::FxHashMap;

use crate::domain::model::{Actor, Count, Event, ObservationPost, PostStatus, PostStatusChange, Situation, Source};
pub use crate::domain::read_claims::NOTES_SOURCE;
use crate::domain::read_claims::{READ_CHANGE_NOTE, ReadFound, read_claim, read_claim_id};
use crate::domain::text::fold;
use crate::ingest::extract::{Article, Reader};

pub mod prefilter;

use prefilter::Prefilter;

/// What reading the notes added, and what it cost.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NotesRead {
    /// Events looked at: with notes and no post of their own.
    pub rows: usize,
    /// Bytes of their notes, each scanned once by the prefilter.
    pub bytes: usize,
    /// Of those, events whose notes hold one of the prefilter's keywords.
    pub keyword: usize,
    /// Events whose notes passed the prefilter and were read.
    pub read: usize,
    pub posts_added: usize,
    pub status_changes: usize,
    pub casualty_claims: usize,
}

/// An event's notes: the one place the notes reader takes them from.
fn notes_of<'a>(sit: &'a Situation, e: &'a Event) -> Option<std::borrow::Cow<'a, str>> {
    sit.notes(e)
}

/// What one event's notes gave, read apart from every other event (so that events can be
/// read on several threads), before posts are matched across events in event order.
struct Found {
    event: usize,
    casualties: Vec<Cited>,
    posts: Vec<FoundPost>,
    actors: Vec<Actor>,
}

struct FoundPost {
    operator: String,
    name: String,
    key: (String, String),
    changes: Vec<(PostStatus, Cited)>,
}

/// What a claim read from notes says beyond what its event gives (see
/// [`crate::domain::read_claims`]): the reader's statement (the post's name for a status),
/// count, unit, quote, span and sentence.
struct Cited {
    statement: String,
    count: Option<Count>,
    unit: Option<String>,
    quote: Option<Quoted>,
    span: Option<[usize; 2]>,
    context: Option<Quoted>,
}

/// A text the reader quotes from an event's notes: where it is in them, or a copy of its
/// own when it is not found there. A million notes give a hundred thousand finds, each
/// with a quote and a sentence; kept as copies until the finds are matched, they were
/// 300 MB of small strings beside the situation.
enum Quoted {
    At(u32, u32),
    Own(String),
}

impl Quoted {
    fn new(text: &str, notes: &str) -> Quoted {
        match (notes.find(text).and_then(|k| u32::try_from(k).ok()), u32::try_from(text.len())) {
            (Some(at), Ok(len)) => Quoted::At(at, len),
            _ => Quoted::Own(text.to_string()),
        }
    }

    /// The text, given the notes it was read from.
    fn get<'a>(&'a self, notes: &'a str) -> &'a str {
        match self {
            Quoted::At(at, len) => notes.get(*at as usize..(*at + *len) as usize).unwrap_or_default(),
            Quoted::Own(text) => text,
        }
    }
}

impl Cited {
    /// What was found, with its texts taken from `notes`, the notes it was read from.
    fn found<'a>(&'a self, post: Option<(u32, PostStatus)>, notes: &'a str) -> ReadFound<'a> {
        ReadFound {
            post,
            statement: &self.statement,
            count: self.count.as_ref(),
            unit: self.unit.as_deref(),
            quote: self.quote.as_ref().map(|q| q.get(notes)),
            span: self.span,
            context: self.context.as_ref().map(|c| c.get(notes)),
        }
    }
}

/// Reads the notes of every event that has no post of its own yet, and adds to `sit` the
/// posts and claims found. Events already coded with posts are left as coded. The events
/// are read on as many threads as the machine has cores (two halves on two cores); the
/// result is the same as on one.
pub fn apply(sit: &mut Situation) -> NotesRead {
    apply_with(sit, threads(), Filter::Tight)
}

/// How many threads [`apply`] reads on: one per core, at most eight.
#[must_use]
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(8)
}

/// Which notes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Those the prefilter passes: the default.
    Tight,
    /// Every note holding a keyword: the first prefilter, kept to show that the tight one
    /// turns away only notes that yield nothing.
    Keywords,
}

/// [`apply`] on `threads` threads (at least one), reading the notes `filter` lets through.
pub fn apply_with(sit: &mut Situation, threads: usize, filter: Filter) -> NotesRead {
    apply_kept(sit, threads, filter, Keep::Compact)
}

/// How the claims read are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// A few numbers per claim in [`Situation::read`], each made when asked (the default).
    Compact,
    /// Every claim stored as a [`crate::domain::model::Claim`], its id in its event and its
    /// post's history, as the reader once kept them (what happens to the few claims that do
    /// not fit the compact form): the reference the compact form is tested against.
    Stored,
}

/// [`apply_with`], keeping the claims as `keep` says.
pub fn apply_kept(sit: &mut Situation, threads: usize, filter: Filter, keep: Keep) -> NotesRead {
    let reading = read_with(sit, threads, filter);
    take_in(sit, reading, keep)
}

/// What the notes say, read but not yet added to the situation: the costly half of
/// [`apply`], which needs the situation only to read it (the dashboard reads on another
/// thread while the events are already on screen).
pub struct Reading {
    out: NotesRead,
    found: Vec<Found>,
}

/// Reads the notes as [`apply`] does, adding nothing.
#[must_use]
pub fn read(sit: &Situation) -> Reading {
    read_with(sit, threads(), Filter::Tight)
}

/// Adds to `sit` what [`read`] found in it, as [`apply`] does. The situation must be the
/// one read, unchanged since.
pub fn take_in_read(sit: &mut Situation, reading: Reading) -> NotesRead {
    take_in(sit, reading, Keep::Compact)
}

fn read_with(sit: &Situation, threads: usize, filter: Filter) -> Reading {
    let mut out = NotesRead::default();
    let found: Vec<Found> = {
        let prefilter = Prefilter::new();
        let reader = Reader::new(Some(sit));
        let n = sit.events.len();
        let threads = threads.clamp(1, n.max(1));
        let per = n.div_ceil(threads);
        let parts: Vec<(NotesRead, Vec<Found>)> = if threads == 1 {
            vec![read_range(sit, &reader, &prefilter, filter, 0..n)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let (reader, prefilter) = (&reader, &prefilter);
                        let range = (t * per).min(n)..((t + 1) * per).min(n);
                        scope.spawn(move || read_range(sit, reader, prefilter, filter, range))
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
            })
        };
        let mut found = Vec::new();
        for (counts, part) in parts {
            out.rows += counts.rows;
            out.bytes += counts.bytes;
            out.keyword += counts.keyword;
            out.read += counts.read;
            found.extend(part);
        }
        found
    };
    Reading { out, found }
}

fn take_in(sit: &mut Situation, reading: Reading, keep: Keep) -> NotesRead {
    let Reading { mut out, mut found } = reading;
    if found.is_empty() {
        return out;
    }
    // Existing posts by operator and folded name (and alternative names), for "one post
    // across many events".
    let mut posts_by_name: FxHashMap<(String, String), usize> = FxHashMap::default();
    for (i, p) in sit.posts.iter().enumerate() {
        for name in std::iter::once(&p.name).chain(&p.alt_names) {
            posts_by_name.insert((p.operator.clone(), fold(name)), i);
        }
    }
    // First the posts: each change's post, by slot (existing posts, then new ones).
    let known = sit.posts.len();
    let mut new_posts: Vec<ObservationPost> = Vec::new();
    let mut new_actors = Vec::new();
    let mut any = false;
    let mut slots: Vec<Vec<usize>> = Vec::with_capacity(found.len());
    for f in &mut found {
        any |= !f.casualties.is_empty();
        new_actors.append(&mut f.actors);
        let mut of_event = Vec::with_capacity(f.posts.len());
        for p in &f.posts {
            any |= !p.changes.is_empty();
            if p.changes.is_empty() {
                of_event.push(usize::MAX);
                continue;
            }
            let slot = if let Some(&i) = posts_by_name.get(&p.key) {
                i
            } else {
                let id = format!("np-{}", crate::ingest::extract::places::slug(&format!("{} {}", p.operator, p.name)));
                posts_by_name.insert(p.key.clone(), known + new_posts.len());
                new_posts.push(stub(&id, &p.name, &p.operator, &sit.events[f.event].place));
                out.posts_added += 1;
                known + new_posts.len() - 1
            };
            of_event.push(slot);
        }
        slots.push(of_event);
    }
    if !any {
        return out;
    }
    if sit.source(NOTES_SOURCE).is_none() {
        sit.sources.push(Source {
            id: NOTES_SOURCE.to_string(),
            publisher: "sitdash notes reader".to_string(),
            title: Some("Posts, statuses and casualty breakdowns read from events' notes".to_string()),
            published: None,
            url: None,
            note: Some("Read by rules from the text of notes; low confidence; see docs/EXTRACT.md.".to_string()),
        });
    }
    for a in new_actors {
        if !sit.index.actors.contains_key(&a.id) && !sit.actors.iter().any(|x| x.id == a.id) {
            sit.actors.push(a);
        }
    }
    // New posts join the posts, or the one already there with their id.
    let mut position: Vec<usize> = (0..known).collect();
    for p in new_posts {
        if let Some(i) = sit.posts.iter().position(|x| x.id == p.id) {
            position.push(i);
        } else {
            position.push(sit.posts.len());
            sit.posts.push(p);
        }
    }
    // Then each event's claims: kept compactly when they fit, else stored as claims.
    sit.read.begin(sit.claims.len());
    let mut interned = FxHashMap::default();
    for (f, slots) in found.into_iter().zip(slots) {
        let ei = f.event;
        let e = &sit.events[ei];
        // The notes as `Situation::notes` gives them, which the reader read (fields apart:
        // `read` grows).
        let notes = match e.note {
            Some(n) => Some(sit.note_store.text(n)),
            None => e.written_notes().map(std::borrow::Cow::Borrowed),
        };
        let text = notes.as_deref().unwrap_or_default();
        let mut cited: Vec<ReadFound<'_>> = f.casualties.iter().map(|c| c.found(None, text)).collect();
        let mut changes: Vec<(usize, PostStatus)> = Vec::new();
        for (p, &slot) in f.posts.iter().zip(&slots) {
            for (status, c) in &p.changes {
                let at = position[slot];
                cited.push(c.found(Some((at as u32, *status)), text));
                changes.push((at, *status));
            }
        }
        out.casualty_claims += f.casualties.len();
        out.status_changes += changes.len();
        let first = sit.read.len();
        let change = |status: PostStatus| PostStatusChange {
            date: e.date,
            precision: e.precision,
            end: e.end,
            status,
            written_claims: Vec::new(),
            written_note: None,
            read: None,
        };
        let kept = match (e.note, notes.as_deref()) {
            (Some(note), Some(notes)) if keep == Keep::Compact => {
                sit.read.push_event(note.0, ei, notes, &cited, &mut interned)
            }
            _ => false,
        };
        let mut history: Vec<(usize, PostStatusChange)> = Vec::with_capacity(changes.len());
        if kept {
            let n = f.casualties.len();
            for (j, &(at, status)) in changes.iter().enumerate() {
                history.push((at, PostStatusChange { read: Some((first + n + j) as u32), ..change(status) }));
            }
            drop(notes);
        } else {
            // Stored as the reader always stored them.
            let id = e.id.clone();
            let claims: Vec<_> =
                cited.iter().enumerate().map(|(k, c)| read_claim(&id, k + 1, c.post.map(|p| p.1), c)).collect();
            let n = f.casualties.len();
            for (j, &(at, status)) in changes.iter().enumerate() {
                history.push((
                    at,
                    PostStatusChange {
                        written_claims: vec![claims[n + j].id.clone()],
                        written_note: Some(READ_CHANGE_NOTE.to_string()),
                        ..change(status)
                    },
                ));
            }
            drop(notes);
            let e = sit.events[ei].written_mut();
            e.claims.extend((1..=n).map(|k| read_claim_id(&id, k)));
            for &(at, _) in &changes {
                let post = sit.posts[at].id.clone();
                if !e.posts.contains(&post) {
                    e.posts.push(post);
                }
            }
            sit.claims.extend(claims);
        }
        for (at, h) in history {
            sit.posts[at].history.push(h);
        }
    }
    sit.read.finish();
    for p in &mut sit.posts {
        p.history.sort_by_key(|h| h.date);
        // A post read in a million notes has a hundred thousand changes: no room to spare.
        p.history.shrink_to_fit();
    }
    // Claims, posts and actors were added; no event moved.
    sit.reindex_records();
    out
}

/// Reads the notes of the events in `range`: the prefilter first, then the reader on what
/// passes. Touches nothing shared, so that ranges can be read side by side.
fn read_range(
    sit: &Situation,
    reader: &Reader,
    prefilter: &Prefilter,
    filter: Filter,
    range: std::ops::Range<usize>,
) -> (NotesRead, Vec<Found>) {
    let mut counts = NotesRead::default();
    let mut found = Vec::new();
    for ei in range {
        let e = &sit.events[ei];
        // Events coded with posts, and those read already.
        if !e.written().posts.is_empty() || sit.read_of(e).is_some() {
            continue;
        }
        let Some(notes) = notes_of(sit, e) else { continue };
        let notes = &*notes;
        counts.rows += 1;
        counts.bytes += notes.len();
        let verdict = prefilter.check(notes);
        counts.keyword += usize::from(verdict.keyword);
        let pass = match filter {
            Filter::Tight => verdict.read,
            Filter::Keywords => verdict.keyword,
        };
        if !pass {
            continue;
        }
        counts.read += 1;
        if let Some(f) = read_event(sit, reader, ei, notes) {
            found.push(f);
        }
    }
    (counts, found)
}

/// Reads one event's notes: its casualty breakdowns and its posts' changes, each cited.
fn read_event(sit: &Situation, reader: &Reader, ei: usize, notes: &str) -> Option<Found> {
    let e = &sit.events[ei];
    let article = Article { name: e.id.to_string(), text: notes.to_string(), date: Some(e.span().end), source: None };
    let doc = reader.read(std::slice::from_ref(&article)).ok()?;
    let claim_of = |id: &str| doc.claims.iter().find(|c| c.id == id);
    let cite = |c: &crate::domain::model::Claim, statement: String| Cited {
        statement,
        count: c.count.clone(),
        unit: c.unit.clone(),
        quote: c.quote.as_deref().map(|q| Quoted::new(q, notes)),
        span: c.span,
        context: c.context.as_deref().map(|q| Quoted::new(q, notes)),
    };
    let mut f = Found { event: ei, casualties: Vec::new(), posts: Vec::new(), actors: Vec::new() };
    // Casualty breakdowns: claims on the event's detail; its counted figure stays.
    for d in &doc.events {
        for fig in &d.written().casualties {
            for id in &fig.claims {
                if let Some(c) = claim_of(id) {
                    f.casualties.push(cite(c, c.statement.clone()));
                }
            }
        }
    }
    for p in &doc.posts {
        let operator = if sit.index.actors.contains_key(&p.operator) {
            p.operator.clone()
        } else if let Some(a) = doc.actors.iter().find(|a| a.id == p.operator) {
            f.actors.push(a.clone());
            a.id.clone()
        } else {
            continue;
        };
        let key = (operator.clone(), fold(&p.name));
        let mut post = FoundPost { operator, name: p.name.clone(), key, changes: Vec::new() };
        for h in &p.history {
            let Some(c) = h.written_claims.first().and_then(|id| claim_of(id)) else { continue };
            post.changes.push((h.status, cite(c, p.name.clone())));
        }
        post.changes.shrink_to_fit();
        f.posts.push(post);
    }
    // Kept until every note is read: a hundred thousand finds at 1M rows, most with one post
    // and one change, so lists left at the capacity their first push gives (four) would
    // more than double what the finds hold.
    f.casualties.shrink_to_fit();
    f.posts.shrink_to_fit();
    f.actors.shrink_to_fit();
    (!f.casualties.is_empty() || !f.posts.is_empty() || !f.actors.is_empty()).then_some(f)
}

fn stub(id: &str, name: &str, operator: &str, place: &str) -> ObservationPost {
    ObservationPost {
        id: id.to_string(),
        name: name.to_string(),
        alt_names: Vec::new(),
        operator: operator.to_string(),
        place: place.to_string(),
        lat: None,
        lon: None,
        coord_confidence: None,
        framework: None,
        framework_claims: Vec::new(),
        history: Vec::new(),
        note: Some("Read from events' notes by sitdash.".to_string()),
    }
}
