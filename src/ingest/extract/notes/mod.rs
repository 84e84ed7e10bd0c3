//! The same reader over the notes of loaded events (ACLED and UCDP imports, our own): posts
//! and bases with their status changes, and casualty breakdowns, become claims that cite
//! the event and quote its notes, with a confidence that says they were read from text.
//! A prefilter ([`prefilter`]: one multi-pattern pass) leaves rows whose notes cannot hold
//! a post's status or a casualty figure untouched, at the cost of that one pass; the rest
//! are read on every core, then matched across events in event order.

#![allow(clippy::many_single_char_names)]

use rustc_hash::FxHashMap;

use crate::domain::model::{Actor, Claim, Confidence, Event, ObservationPost, PostStatusChange, Situation, Source};
use crate::domain::text::fold;
use crate::ingest::extract::{Article, Reader};

/// The source every claim read from notes cites.
pub const NOTES_SOURCE: &str = "sitdash-notes-reader";

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
    casualties: Vec<Claim>,
    posts: Vec<FoundPost>,
    actors: Vec<Actor>,
}

struct FoundPost {
    operator: String,
    name: String,
    key: (String, String),
    changes: Vec<(PostStatusChange, Claim)>,
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
    let mut out = NotesRead::default();
    let found: Vec<Found> = {
        let sit: &Situation = sit;
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
    let mut new_claims: Vec<Claim> = Vec::new();
    let mut event_claims: Vec<(usize, String)> = Vec::new();
    let mut event_posts: Vec<(usize, String)> = Vec::new();
    let mut new_posts: Vec<ObservationPost> = Vec::new();
    let mut new_actors = Vec::new();
    for f in found {
        let ei = f.event;
        for claim in f.casualties {
            event_claims.push((ei, claim.id.clone()));
            new_claims.push(claim);
            out.casualty_claims += 1;
        }
        new_actors.extend(f.actors);
        for p in f.posts {
            for (change, claim) in p.changes {
                new_claims.push(claim);
                out.status_changes += 1;
                let post_id = match posts_by_name.get(&p.key) {
                    Some(&i) if i < sit.posts.len() => {
                        // A post already loaded: its history grows (after the borrow ends).
                        let id = sit.posts[i].id.clone();
                        new_posts.push(ObservationPost {
                            history: vec![change],
                            ..stub(&id, &sit.posts[i].name, &p.operator, &sit.posts[i].place)
                        });
                        id
                    }
                    Some(&i) => {
                        let j = i - sit.posts.len();
                        new_posts[j].history.push(change);
                        new_posts[j].id.clone()
                    }
                    None => {
                        let id = format!(
                            "np-{}",
                            crate::ingest::extract::places::slug(&format!("{} {}", p.operator, p.name))
                        );
                        let mut post = stub(&id, &p.name, &p.operator, &sit.events[ei].place);
                        post.history.push(change);
                        posts_by_name.insert(p.key.clone(), sit.posts.len() + new_posts.len());
                        new_posts.push(post);
                        out.posts_added += 1;
                        id
                    }
                };
                event_posts.push((ei, post_id));
            }
        }
    }
    if new_claims.is_empty() {
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
    sit.claims.extend(new_claims);
    for (ei, id) in event_claims {
        sit.events[ei].written_mut().claims.push(id);
    }
    for (ei, id) in event_posts {
        if !sit.events[ei].written().posts.contains(&id) {
            sit.events[ei].written_mut().posts.push(id);
        }
    }
    for p in new_posts {
        match sit.posts.iter_mut().find(|x| x.id == p.id) {
            Some(existing) => existing.history.extend(p.history),
            None => sit.posts.push(p),
        }
    }
    for p in &mut sit.posts {
        p.history.sort_by_key(|h| h.date);
    }
    sit.reindex();
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
        if !e.written().posts.is_empty() {
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
    let mut k = 0;
    let mut cite = |c: &Claim, statement: String| {
        k += 1;
        Claim {
            id: format!("{}-n{k}", e.id),
            source: NOTES_SOURCE.to_string(),
            attributed_to: format!("notes of event {}", e.id),
            statement,
            count: c.count.clone(),
            unit: c.unit.clone(),
            confidence: Some(Confidence::Low),
            note: Some(format!(
                "Read from the notes of event {} by sitdash's text reader, not coded by the source.",
                e.id
            )),
            quote: c.quote.clone(),
            span: c.span,
            context: c.context.clone(),
        }
    };
    let mut f = Found { event: ei, casualties: Vec::new(), posts: Vec::new(), actors: Vec::new() };
    // Casualty breakdowns: claims on the event's detail; its counted figure stays.
    for d in &doc.events {
        for fig in &d.written().casualties {
            for id in &fig.claims {
                if let Some(c) = claim_of(id) {
                    f.casualties.push(cite(c, format!("{} (from the notes; not the counted figure)", c.statement)));
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
            let Some(c) = h.claims.first().and_then(|id| claim_of(id)) else { continue };
            let claim = cite(c, format!("{}: {} (read from the notes of event {})", p.name, h.status.word(), e.id));
            let change = PostStatusChange {
                date: e.date,
                precision: e.precision,
                end: e.end,
                status: h.status,
                claims: vec![claim.id.clone()],
                note: Some("Read from an event's notes.".to_string()),
            };
            post.changes.push((change, claim));
        }
        f.posts.push(post);
    }
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
