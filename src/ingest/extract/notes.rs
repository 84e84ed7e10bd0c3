//! The same reader over the notes of loaded events (ACLED and UCDP imports, our own): posts
//! and bases with their status changes, and casualty breakdowns, become claims that cite
//! the event and quote its notes, with a confidence that says they were read from text.
//! A keyword prefilter leaves rows that name no post or casualty untouched, at the cost of
//! one scan of their notes.

#![allow(clippy::many_single_char_names)]

use memchr::memmem;
use rustc_hash::FxHashMap;

use crate::domain::model::{Claim, Confidence, ObservationPost, PostStatusChange, Situation, Source};
use crate::domain::text::fold;
use crate::ingest::extract::{Article, Reader};

/// The source every claim read from notes cites.
pub const NOTES_SOURCE: &str = "sitdash-notes-reader";

/// What reading the notes added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NotesRead {
    /// Events whose notes passed the prefilter and were read.
    pub read: usize,
    pub posts_added: usize,
    pub status_changes: usize,
    pub casualty_claims: usize,
}

/// Words without which a note cannot hold a post's status or a casualty breakdown.
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

fn may_matter(notes: &str) -> bool {
    KEYWORDS.iter().any(|k| memmem::find(notes.as_bytes(), k.as_bytes()).is_some())
}

/// Reads the notes of every event that has no post of its own yet, and adds to `sit` the
/// posts and claims found. Events already coded with posts are left as coded.
pub fn apply(sit: &mut Situation) -> NotesRead {
    let mut out = NotesRead::default();
    let candidates: Vec<usize> = sit
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.posts.is_empty() && e.notes.as_deref().is_some_and(may_matter))
        .map(|(i, _)| i)
        .collect();
    if candidates.is_empty() {
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
    {
        let reader = Reader::new(Some(sit));
        for &ei in &candidates {
            let e = &sit.events[ei];
            let Some(notes) = e.notes.as_deref() else { continue };
            out.read += 1;
            let article =
                Article { name: e.id.clone(), text: notes.to_string(), date: Some(e.span().end), source: None };
            let Ok(doc) = reader.read(std::slice::from_ref(&article)) else { continue };
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
            // Casualty breakdowns: claims on the event's detail; its counted figure stays.
            for d in &doc.events {
                for f in &d.casualties {
                    for id in &f.claims {
                        if let Some(c) = claim_of(id) {
                            let claim = cite(c, format!("{} (from the notes; not the counted figure)", c.statement));
                            event_claims.push((ei, claim.id.clone()));
                            new_claims.push(claim);
                            out.casualty_claims += 1;
                        }
                    }
                }
            }
            for p in &doc.posts {
                let operator = if sit.index.actors.contains_key(&p.operator) {
                    p.operator.clone()
                } else if let Some(a) = doc.actors.iter().find(|a| a.id == p.operator) {
                    new_actors.push(a.clone());
                    a.id.clone()
                } else {
                    continue;
                };
                let key = (operator.clone(), fold(&p.name));
                for h in &p.history {
                    let Some(c) = h.claims.first().and_then(|id| claim_of(id)) else { continue };
                    let claim =
                        cite(c, format!("{}: {} (read from the notes of event {})", p.name, h.status.word(), e.id));
                    let change = PostStatusChange {
                        date: e.date,
                        precision: e.precision,
                        end: e.end,
                        status: h.status,
                        claims: vec![claim.id.clone()],
                        note: Some("Read from an event's notes.".to_string()),
                    };
                    new_claims.push(claim);
                    out.status_changes += 1;
                    let post_id = match posts_by_name.get(&key) {
                        Some(&i) if i < sit.posts.len() => {
                            // A post already loaded: its history grows (after the borrow ends).
                            let id = sit.posts[i].id.clone();
                            new_posts.push(ObservationPost {
                                history: vec![change],
                                ..stub(&id, &sit.posts[i].name, &operator, &sit.posts[i].place)
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
                                crate::ingest::extract::places::slug(&format!("{} {}", operator, p.name))
                            );
                            let mut post = stub(&id, &p.name, &operator, &e.place);
                            post.history.push(change);
                            posts_by_name.insert(key.clone(), sit.posts.len() + new_posts.len());
                            new_posts.push(post);
                            out.posts_added += 1;
                            id
                        }
                    };
                    event_posts.push((ei, post_id));
                }
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
        sit.events[ei].claims.push(id);
    }
    for (ei, id) in event_posts {
        if !sit.events[ei].posts.contains(&id) {
            sit.events[ei].posts.push(id);
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
