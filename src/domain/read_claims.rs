//! Claims read from events' notes by sitdash's text reader, kept as a few numbers each and
//! made into the [`Claim`] they stand for when asked (through [`Situation::claim`] and the
//! other calls of `derived.rs`), as imported rows' claims are: the constant texts (source,
//! attribution, note) are written from the event, the quote and its sentence are spans of the
//! event's notes, and what the reader wrote itself (statements, names, phrases) is held once
//! in one text. A million rows' notes give some 150,000 such claims; each was a `Claim` of
//! ~300 bytes with seven strings, plus an id string in its event and in a post's history.

use std::borrow::Cow;

use crate::domain::model::{
    Claim, Confidence, Count, Event, IN_TEXT, ObservationPost, PostStatus, PostStatusChange, ReadClaim, ReadClaims,
    ReadCount, ReadEvent, Situation, TextRef,
};

/// The source every claim read from notes cites.
pub const NOTES_SOURCE: &str = "sitdash-notes-reader";

impl TextRef {
    pub const NONE: TextRef = TextRef { at: u32::MAX, len: 0 };

    fn get<'a>(self, notes: &'a str, text: &'a str) -> Option<&'a str> {
        if self.at == u32::MAX {
            return None;
        }
        let (from, of) = if self.at & IN_TEXT == 0 { (self.at, notes) } else { (self.at & !IN_TEXT, text) };
        of.get(from as usize..from as usize + self.len as usize)
    }
}

/// One claim as the reader gives it, for [`ReadClaims::push_event`].
pub struct ReadFound<'a> {
    pub post: Option<(u32, PostStatus)>,
    /// A casualty claim's statement, or the post's name.
    pub statement: &'a str,
    pub count: Option<&'a Count>,
    pub unit: Option<&'a str>,
    pub quote: Option<&'a str>,
    pub span: Option<[usize; 2]>,
    pub context: Option<&'a str>,
}

impl ReadClaims {
    #[must_use]
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    #[must_use]
    pub fn claims(&self) -> &[ReadClaim] {
        &self.claims
    }

    #[must_use]
    pub fn events(&self) -> &[ReadEvent] {
        &self.events
    }

    /// The claims read from the notes `note`, if any.
    #[must_use]
    pub fn of_note(&self, note: u32) -> Option<&ReadEvent> {
        let (word, bit) = ((note / 64) as usize, note % 64);
        let w = *self.bits.get(word)?;
        if w & (1 << bit) == 0 {
            return None;
        }
        let rank = self.ranks[word] + (w & ((1u64 << bit) - 1)).count_ones();
        self.events.get(rank as usize)
    }

    /// Starts a batch of events read: `stored` is how many claims are stored now.
    pub fn begin(&mut self, stored: usize) {
        self.batches.push((self.claims.len() as u32, u32::try_from(stored).unwrap_or(u32::MAX)));
    }

    /// The stored claims that were before read claim `i` (see [`ReadClaims::begin`]).
    #[must_use]
    pub fn stored_before(&self, i: usize) -> u32 {
        let k = self.batches.partition_point(|&(first, _)| first as usize <= i);
        k.checked_sub(1).map_or(0, |k| self.batches[k].1)
    }

    /// Adds an event's claims, read from `notes` (its notes as [`Situation::notes`] gives
    /// them); `false`, with nothing added, when one does not fit in the compact form (then
    /// store them as claims). Call [`ReadClaims::finish`] after the last.
    pub fn push_event(
        &mut self,
        note: u32,
        at: usize,
        notes: &str,
        found: &[ReadFound<'_>],
        interned: &mut rustc_hash::FxHashMap<String, TextRef>,
    ) -> bool {
        let (claims, counts, text) = (self.claims.len(), self.counts.len(), self.text.len());
        let ok = self.try_push(note, at, notes, found, interned);
        if !ok {
            self.claims.truncate(claims);
            self.counts.truncate(counts);
            if self.text.len() != text {
                // Texts added for this event are dropped, and forgotten.
                self.text.truncate(text);
                interned.retain(|_, r| r.at == u32::MAX || r.at & !IN_TEXT < text as u32);
            }
        }
        ok
    }

    fn try_push(
        &mut self,
        note: u32,
        at: usize,
        notes: &str,
        found: &[ReadFound<'_>],
        interned: &mut rustc_hash::FxHashMap<String, TextRef>,
    ) -> bool {
        let Ok(at) = u32::try_from(at) else { return false };
        let first = self.claims.len() as u32;
        for f in found {
            let mut text = |s: Option<&str>, in_notes: bool| -> Option<TextRef> {
                let Some(s) = s else { return Some(TextRef::NONE) };
                let len = u32::try_from(s.len()).ok()?;
                // A text cut from the notes is where it was cut; another is looked for.
                if in_notes && let Some(k) = within(notes, s).or_else(|| notes.find(s)) {
                    return Some(TextRef { at: u32::try_from(k).ok().filter(|k| k & IN_TEXT == 0)?, len });
                }
                if let Some(r) = interned.get(s) {
                    return Some(*r);
                }
                let start = u32::try_from(self.text.len())
                    .ok()
                    .filter(|k| k.checked_add(len).is_some_and(|end| end < IN_TEXT))?;
                self.text.push_str(s);
                let r = TextRef { at: start | IN_TEXT, len };
                interned.insert(s.to_string(), r);
                Some(r)
            };
            let (Some(statement), Some(unit), Some(quote), Some(context)) = (
                text(Some(f.statement), f.post.is_some()),
                text(f.unit, false),
                text(f.quote, true),
                text(f.context, true),
            ) else {
                return false;
            };
            let raw = match f.count.and_then(|c| c.raw.as_deref()) {
                Some(raw) => match text(Some(raw), true) {
                    Some(r) => r,
                    None => return false,
                },
                None => TextRef::NONE,
            };
            let span = match f.span {
                Some([a, b]) => match (u32::try_from(a), u32::try_from(b)) {
                    (Ok(a), Ok(b)) => Some([a, b]),
                    _ => return false,
                },
                None => None,
            };
            let count = f.count.map(|c| {
                self.counts.push(ReadCount { best: c.best, low: c.low, high: c.high, qualifier: c.qualifier, raw });
                (self.counts.len() - 1) as u32
            });
            self.claims.push(ReadClaim { note, post: f.post, statement, count, unit, quote, span, context });
        }
        self.events.push(ReadEvent { note, at, first, len: self.claims.len() as u32 - first });
        true
    }

    /// Sorts the events by note and makes the look-up bits; after a batch of
    /// [`ReadClaims::push_event`].
    pub fn finish(&mut self) {
        if !self.events.is_sorted_by_key(|e| e.note) {
            self.events.sort_by_key(|e| e.note);
        }
        let words = self.events.last().map_or(0, |e| e.note as usize / 64 + 1);
        self.bits = vec![0; words];
        for e in &self.events {
            self.bits[e.note as usize / 64] |= 1 << (e.note % 64);
        }
        self.ranks = Vec::with_capacity(words);
        let mut before = 0;
        for w in &self.bits {
            self.ranks.push(before);
            before += w.count_ones();
        }
        self.events.shrink_to_fit();
        self.claims.shrink_to_fit();
        self.counts.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    /// Notes where their events now are: after the events moved.
    pub fn relocate(&mut self, events: &[Event]) {
        if self.events.is_empty() {
            return;
        }
        for (i, e) in events.iter().enumerate() {
            let Some(note) = e.note else { continue };
            let (word, bit) = ((note.0 / 64) as usize, note.0 % 64);
            let Some(&w) = self.bits.get(word) else { continue };
            if w & (1 << bit) != 0 {
                let rank = self.ranks[word] + (w & ((1u64 << bit) - 1)).count_ones();
                if let Some(r) = self.events.get_mut(rank as usize) {
                    r.at = i as u32;
                }
            }
        }
    }
}

/// Where `part` starts in `text` when it is a slice of it (not merely equal to a part of it).
fn within(text: &str, part: &str) -> Option<usize> {
    let at = part.as_ptr().addr().checked_sub(text.as_ptr().addr())?;
    (at + part.len() <= text.len()).then_some(at)
}

/// The note of a post's status change read from an event's notes.
pub const READ_CHANGE_NOTE: &str = "Read from an event's notes.";

/// The claim the notes reader makes of what it read in the notes of event `event`: its
/// `k`-th, a status of a post when `status` is given (then `found.statement` is the post's
/// name), else a casualty breakdown (then it is the reader's own statement).
#[must_use]
pub fn read_claim(event: &str, k: usize, status: Option<PostStatus>, found: &ReadFound<'_>) -> Claim {
    let said = found.statement;
    let statement = match status {
        None => format!("{said} (from the notes; not the counted figure)"),
        Some(status) => format!("{said}: {} (read from the notes of event {event})", status.word()),
    };
    Claim {
        id: read_claim_id(event, k),
        source: NOTES_SOURCE.to_string(),
        attributed_to: format!("notes of event {event}"),
        statement,
        count: found.count.cloned(),
        unit: found.unit.map(str::to_string),
        confidence: Some(Confidence::Low),
        note: Some(format!("Read from the notes of event {event} by sitdash's text reader, not coded by the source.")),
        quote: found.quote.map(str::to_string),
        span: found.span,
        context: found.context.map(str::to_string),
    }
}

/// "{event}-n{k}": the id of the event's k-th claim read from its notes.
#[must_use]
pub fn read_claim_id(event: &str, k: usize) -> String {
    format!("{event}-n{k}")
}

impl Situation {
    /// The claims read from the event's notes.
    #[must_use]
    pub fn read_of(&self, event: &Event) -> Option<&ReadEvent> {
        self.read.of_note(event.note?.0)
    }

    /// The event whose notes gave `r`.
    #[must_use]
    pub fn read_event(&self, r: &ReadEvent) -> Option<&Event> {
        let note = Some(crate::domain::notes::Note(r.note));
        match self.events.get(r.at as usize) {
            Some(e) if e.note == note => Some(e),
            _ => self.events.iter().find(|e| e.note == note),
        }
    }

    /// Read claim `i` (of [`ReadClaims::claims`]), made.
    #[must_use]
    pub fn read_claim(&self, i: usize) -> Option<Claim> {
        let c = self.read.claims.get(i)?;
        let r = self.read.of_note(c.note)?;
        let event = self.read_event(r)?;
        let k = i.checked_sub(r.first as usize)? + 1;
        self.make_read_claim(event, c, k)
    }

    fn make_read_claim(&self, event: &Event, c: &ReadClaim, k: usize) -> Option<Claim> {
        let notes = self.notes(event).unwrap_or(Cow::Borrowed(""));
        let text = self.read.text.as_str();
        let get = |t: TextRef| t.get(&notes, text);
        let count = c.count.and_then(|n| self.read.counts.get(n as usize)).map(|n| Count {
            best: n.best,
            low: n.low,
            high: n.high,
            qualifier: n.qualifier,
            raw: get(n.raw).map(str::to_string),
        });
        Some(read_claim(
            &event.id,
            k,
            c.post.map(|p| p.1),
            &ReadFound {
                post: c.post,
                statement: get(c.statement)?,
                count: count.as_ref(),
                unit: get(c.unit),
                quote: get(c.quote),
                span: c.span.map(|[a, b]| [a as usize, b as usize]),
                context: get(c.context),
            },
        ))
    }

    /// The id of read claim `i`.
    #[must_use]
    pub fn read_claim_id_of(&self, i: usize) -> Option<String> {
        let c = self.read.claims.get(i)?;
        let r = self.read.of_note(c.note)?;
        let event = self.read_event(r)?;
        Some(read_claim_id(&event.id, i.checked_sub(r.first as usize)? + 1))
    }

    /// The claims that back a post's status change: stored, or the one read from notes.
    #[must_use]
    pub fn change_claims<'a>(&self, change: &'a PostStatusChange) -> Cow<'a, [String]> {
        match change.read {
            None => Cow::Borrowed(&change.written_claims),
            Some(i) => Cow::Owned(self.read_claim_id_of(i as usize).into_iter().collect()),
        }
    }

    /// The claims that back a post's status change, made (as [`Situation::change_claims`]
    /// and [`Situation::claim`] give them, without going through the ids).
    #[must_use]
    pub fn change_claim_records<'a>(&'a self, change: &'a PostStatusChange) -> Vec<Cow<'a, Claim>> {
        match change.read {
            Some(i) => self.read_claim(i as usize).map(Cow::Owned).into_iter().collect(),
            None => change.written_claims.iter().filter_map(|id| self.claim(id)).collect(),
        }
    }

    /// The note of a post's status change.
    #[must_use]
    pub fn change_note<'a>(&self, change: &'a PostStatusChange) -> Option<&'a str> {
        match change.read {
            None => change.written_note.as_deref(),
            Some(_) => Some(READ_CHANGE_NOTE),
        }
    }

    /// The post as our format writes it: the changes read from notes with their claim and
    /// note written in.
    #[must_use]
    pub fn post_record<'a>(&self, post: &'a ObservationPost) -> Cow<'a, ObservationPost> {
        if post.history.iter().all(|h| h.read.is_none()) {
            return Cow::Borrowed(post);
        }
        let mut post = post.clone();
        for h in &mut post.history {
            if h.read.is_some() {
                h.written_claims = self.change_claims(h).into_owned();
                h.written_note = self.change_note(h).map(str::to_string);
                h.read = None;
            }
        }
        Cow::Owned(post)
    }

    /// The ids of the posts the event concerns: stored, then those its notes gave.
    #[must_use]
    pub fn posts_of<'a>(&self, event: &'a Event) -> Cow<'a, [String]> {
        let read = self.read_posts_of(event);
        if read.is_empty() {
            return Cow::Borrowed(&event.written().posts);
        }
        let mut ids = event.written().posts.clone();
        for p in read {
            if let Some(post) = self.posts.get(p as usize)
                && !ids.contains(&post.id)
            {
                ids.push(post.id.clone());
            }
        }
        Cow::Owned(ids)
    }

    /// Whether the event concerns post `post` (by position), with nothing made.
    #[must_use]
    pub fn concerns_post(&self, event: &Event, post: usize) -> bool {
        let read = self.read_of(event).is_some_and(|r| {
            self.read.claims[r.first as usize..(r.first + r.len) as usize]
                .iter()
                .any(|c| c.post.is_some_and(|(p, _)| p as usize == post))
        });
        read || self.posts.get(post).is_some_and(|p| event.written().posts.contains(&p.id))
    }

    /// The claim read from notes with this id ("{event}-n{k}").
    #[must_use]
    pub fn read_claim_by_id(&self, id: &str) -> Option<Claim> {
        let (event, k) = id.rsplit_once("-n")?;
        if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) || k.starts_with('0') {
            return None;
        }
        let k: usize = k.parse().ok()?;
        let e = &self.events[self.event_index(event)?];
        let r = self.read_of(e)?;
        let i = r.first as usize + k.checked_sub(1)?;
        if k > r.len as usize {
            return None;
        }
        self.make_read_claim(e, self.read.claims.get(i)?, k)
    }

    /// The read claims of an event that are about it (casualty breakdowns), by number in
    /// [`ReadClaims::claims`] and their `k`.
    pub fn read_casualties_of<'a>(&'a self, event: &Event) -> impl Iterator<Item = (usize, usize)> + 'a {
        let range = self.read_of(event).map_or(0..0, |r| r.first as usize..(r.first + r.len) as usize);
        let first = range.start;
        range.filter(|&i| self.read.claims[i].post.is_none()).map(move |i| (i, i - first + 1))
    }

    /// The posts (by position) whose statuses the event's notes gave, each once, in order.
    #[must_use]
    pub fn read_posts_of(&self, event: &Event) -> Vec<u32> {
        let mut posts: Vec<u32> = Vec::new();
        if let Some(r) = self.read_of(event) {
            for c in &self.read.claims[r.first as usize..(r.first + r.len) as usize] {
                if let Some((p, _)) = c.post
                    && !posts.contains(&p)
                {
                    posts.push(p);
                }
            }
        }
        posts
    }
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn a_text_cut_from_the_notes_is_found_where_it_was_cut_and_no_other_is() {
        let notes = "shelling near the hill; shelling again at dusk";
        let second = notes.rfind("shelling").expect("twice");
        assert_eq!(within(notes, &notes[second..second + 8]), Some(second));
        assert_eq!(within(notes, &notes[..8]), Some(0));
        assert_eq!(within(notes, &notes[notes.len()..]), Some(notes.len()));
        // Equal text held elsewhere is not a slice of the notes.
        let copy = String::from("shelling");
        assert_eq!(within(notes, &copy), None);
        // A slice of the notes' start is not inside a text that starts later.
        assert_eq!(within(&notes[5..], &notes[..8]), None);
        assert_eq!(within(&notes[..10], &notes[5..20]), None);
    }
}
