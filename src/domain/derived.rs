//! The claims, casualty figures and summaries of imported rows, made when asked for from
//! what each row keeps ([`RowClaim`]), behind the same calls as those our format stores:
//! a million ACLED rows keep a few numbers each instead of a claim, a figure and a line.

use std::borrow::Cow;

use crate::domain::model::{
    Casualties, Claim, Count, Event, Kind, NO_ACTOR, Outcome, Qualifier, RowClaim, RowSummary, Situation, Written,
};

/// The id of the claim an ACLED row makes is this and the event's id.
pub const ACLED_CLAIM: &str = "c-acled-";

/// "1 fatality", "3 fatalities".
fn fatalities(n: u64) -> String {
    if n == 1 { "1 fatality".to_string() } else { format!("{n} fatalities") }
}

/// The claim an ACLED row makes of its fatalities, in one wording whether the row keeps it
/// stored (the import's fallback) or it is made when asked for.
#[must_use]
pub fn acled_claim(id: String, source: String, attributed_to: String, deaths: u64, count: Option<Count>) -> Claim {
    let statement = match &count {
        None => "ACLED records no reported fatalities".to_string(),
        Some(n) if n.is_lower_bound() => format!("ACLED records at least {}", fatalities(deaths)),
        Some(_) => format!("ACLED records {}", fatalities(deaths)),
    };
    Claim {
        id,
        source,
        attributed_to,
        statement,
        count,
        unit: None,
        confidence: None,
        note: None,
        quote: None,
        span: None,
        context: None,
    }
}

impl RowClaim {
    /// The count the row's claim states; `None` when it records no fatalities.
    #[must_use]
    pub fn count(&self, sit: &Situation, event: &Event) -> Option<Count> {
        if self.fatalities == 0 {
            return None;
        }
        let best = u64::from(self.fatalities);
        if self.raw_len == 0 {
            return Some(Count::exact(best));
        }
        let (at, len) = (self.raw_at as usize, usize::from(self.raw_len));
        let raw = sit.notes(event).and_then(|n| n.get(at..at + len).map(str::to_string));
        Some(Count { best, low: None, high: None, qualifier: Qualifier::AtLeast, raw })
    }

    /// The casualty group of the row's figure.
    #[must_use]
    pub fn group(&self) -> &'static str {
        if self.civilians { "civilians" } else { "unknown" }
    }

    /// The summary is made from the names of the event's kind, place and first actors (the
    /// search reads it from those), not written out.
    #[must_use]
    pub fn summary_by_parts(&self) -> bool {
        matches!(self.summary, Some(RowSummary::OneSide | RowSummary::TwoSides))
    }
}

impl Event {
    /// The event's one line: as written, or made from the row's kind, place and first
    /// actors for an imported row.
    #[must_use]
    pub fn summary<'a>(&'a self, sit: &'a Situation) -> Cow<'a, str> {
        if self.row.and_then(|r| r.summary).is_none() {
            return Cow::Borrowed(&self.written().summary);
        }
        let mut out = String::with_capacity(self.summary_len(sit));
        self.summary_into(sit, &mut out);
        Cow::Owned(out)
    }

    /// Appends [`Event::summary`] to `out`, with no allocation of its own (the search index
    /// folds a million of them).
    pub fn summary_into(&self, sit: &Situation, out: &mut String) {
        let Some(form) = self.row.and_then(|r| r.summary) else {
            out.push_str(&self.written().summary);
            return;
        };
        if form == RowSummary::Ucdp {
            self.ucdp_summary_into(sit, out);
            return;
        }
        let (what, place, first, second) = self.summary_parts(sit, form);
        out.push_str(what);
        out.push_str(SUMMARY_JOINS[0]);
        out.push_str(place);
        out.push_str(SUMMARY_JOINS[1]);
        out.push_str(first);
        if let Some(second) = second {
            out.push_str(SUMMARY_JOINS[2]);
            out.push_str(second);
        }
    }

    /// The length in bytes of [`Event::summary`].
    #[must_use]
    pub fn summary_len(&self, sit: &Situation) -> usize {
        let Some(form) = self.row.and_then(|r| r.summary) else { return self.written().summary.len() };
        if form == RowSummary::Ucdp {
            return self.ucdp_summary_len(sit);
        }
        let (what, place, first, second) = self.summary_parts(sit, form);
        what.len() + 4 + place.len() + 2 + first.len() + second.map_or(0, |s| s.len() + 4)
    }

    /// The parts of the summary made from the row (what, place, first actor, second actor),
    /// with its form; `None` when the event's summary is written in the data.
    #[must_use]
    pub fn summary_pieces<'a>(&'a self, sit: &'a Situation) -> Option<(RowSummary, [&'a str; 3], Option<&'a str>)> {
        let form = self.row.and_then(|r| r.summary).filter(|&f| f != RowSummary::Ucdp)?;
        let (what, place, first, second) = self.summary_parts(sit, form);
        Some((form, [what, place, first], second))
    }

    fn summary_parts<'a>(
        &'a self,
        sit: &'a Situation,
        form: RowSummary,
    ) -> (&'a str, &'a str, &'a str, Option<&'a str>) {
        let what = summary_what(self.kind);
        let name = |mut ids: ActorIds<'a>| ids.next().map_or("", |a| sit.actor_name(a));
        let second = (form == RowSummary::TwoSides).then(|| name(sit.against(self)));
        (what, sit.place_name(&self.place), name(sit.by(self)), second)
    }
}

/// What a summary made from a row says happened, for an event of this kind.
#[must_use]
pub fn summary_what(kind: Kind) -> &'static str {
    match kind {
        Kind::OtherStrategic => "Strategic development",
        kind => kind.acled_sub_event_type(),
    }
}

/// The words between the parts of a summary made from a row, as
/// [`Event::summary_into`] writes them: after what happened, after the place, between the
/// two sides.
pub const SUMMARY_JOINS: [&str; 3] = [" in ", ": ", " vs "];

/// The actor ids of one side of an event: a row's own actor, or those stored.
#[derive(Debug, Clone)]
pub struct ActorIds<'a> {
    row: Option<&'a str>,
    written: std::slice::Iter<'a, String>,
}

impl<'a> Iterator for ActorIds<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.row.take().or_else(|| self.written.next().map(String::as_str))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::from(self.row.is_some()) + self.written.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for ActorIds<'_> {}

impl Situation {
    /// The ids of those who acted in the event (ACLED actor1 and its associates).
    #[must_use]
    pub fn by<'a>(&'a self, event: &'a Event) -> ActorIds<'a> {
        let row = event.row.filter(|r| r.by != NO_ACTOR).map(|r| r.by);
        ActorIds { row: row.map(|h| self.actor_id(h)), written: event.written().by.iter() }
    }

    /// The ids of those acted against (ACLED actor2 and its associates).
    #[must_use]
    pub fn against<'a>(&'a self, event: &'a Event) -> ActorIds<'a> {
        let row = event.row.filter(|r| r.by != NO_ACTOR && r.against != NO_ACTOR).map(|r| r.against);
        ActorIds { row: row.map(|h| self.actor_id(h)), written: event.written().against.iter() }
    }

    fn actor_id(&self, handle: u32) -> &str {
        self.actors.get(handle as usize).map_or("", |a| a.id.as_str())
    }

    /// The first actor of each side by position in `actors` (`u32::MAX` for none), and all
    /// of both sides: what the search index keeps per event.
    #[must_use]
    pub fn actor_handles(&self, event: &Event) -> (u32, u32, Vec<u32>) {
        if let Some(r) = event.row.filter(|r| r.by != NO_ACTOR) {
            let all = std::iter::once(r.by).chain((r.against != NO_ACTOR).then_some(r.against)).collect();
            return (r.by, r.against, all);
        }
        let handle = |id: &String| self.index.actors.get(id).map(|&i| i as u32);
        let first = |ids: &[String]| ids.first().and_then(handle).unwrap_or(u32::MAX);
        let w = event.written();
        let all = w.by.iter().chain(&w.against).filter_map(handle).collect();
        (first(&w.by), first(&w.against), all)
    }

    /// The claim with this id: stored, or made from the row whose claim it is.
    #[must_use]
    pub fn claim(&self, id: &str) -> Option<Cow<'_, Claim>> {
        // Read from notes first: the notes reader's claims once came after every stored one,
        // and of two claims with one id the last was found.
        if !self.read.is_empty()
            && let Some(c) = self.read_claim_by_id(id)
        {
            return Some(Cow::Owned(c));
        }
        if let Some(i) = self.claim_index(id) {
            return Some(Cow::Borrowed(&self.claims[i]));
        }
        if let Some(j) = id.strip_prefix(ACLED_CLAIM).and_then(|event| self.event_index(event))
            && let Some(claim) = self.acled_row_claim(&self.events[j])
        {
            return Some(Cow::Owned(claim));
        }
        self.ucdp_claim(id).map(Cow::Owned)
    }

    /// The claim an imported row makes that the event happened (a UCDP row's for the event
    /// as a whole); `None` for an event read from our format.
    #[must_use]
    pub fn row_claim(&self, event: &Event) -> Option<Claim> {
        match self.ucdp_row(event) {
            Some((row, u)) => Some(self.ucdp_total_claim(event, row, u)),
            None => self.acled_row_claim(event),
        }
    }

    /// Every claim an imported row makes, in the order the import used to store them.
    #[must_use]
    pub fn row_claims(&self, event: &Event) -> Vec<Claim> {
        match self.ucdp_row(event) {
            Some((row, u)) => self.ucdp_claims(event, row, u),
            None => self.acled_row_claim(event).into_iter().collect(),
        }
    }

    /// The claim an ACLED row makes of its fatalities.
    fn acled_row_claim(&self, event: &Event) -> Option<Claim> {
        let row = event.row.filter(|r| !r.is_ucdp())?;
        let source = self.sources.get(row.source as usize);
        Some(acled_claim(
            format!("{ACLED_CLAIM}{}", event.id),
            source.map(|s| s.id.clone()).unwrap_or_default(),
            source.map(|s| s.publisher.clone()).unwrap_or_default(),
            u64::from(row.fatalities),
            row.count(self, event),
        ))
    }

    /// The ids of the claims that the event happened: the row's own, then those stored.
    #[must_use]
    pub fn claim_ids<'a>(&self, event: &'a Event) -> Cow<'a, [String]> {
        let mut read = self.read_casualties_of(event).peekable();
        let written = &event.written().claims;
        if event.row.is_none() && read.peek().is_none() {
            return Cow::Borrowed(written);
        }
        let mut ids = Vec::with_capacity(1 + written.len());
        if let Some(row) = event.row {
            ids.push(if row.is_ucdp() { format!("c-{}", event.id) } else { format!("{ACLED_CLAIM}{}", event.id) });
        }
        ids.extend(written.iter().cloned());
        ids.extend(read.map(|(_, k)| crate::domain::read_claims::read_claim_id(&event.id, k)));
        Cow::Owned(ids)
    }

    /// The claims that the event happened, as [`Situation::claim_ids`] lists them.
    pub fn event_claims<'a>(&'a self, event: &'a Event) -> impl Iterator<Item = Cow<'a, Claim>> + 'a {
        self.row_claim(event)
            .map(Cow::Owned)
            .into_iter()
            .chain(event.written().claims.iter().filter_map(|id| self.claim(id)))
            .chain(self.read_casualties_of(event).filter_map(|(i, _)| self.read_claim(i)).map(Cow::Owned))
    }

    /// The event's casualty figures: the row's own, then those stored.
    #[must_use]
    pub fn casualties_of<'a>(&self, event: &'a Event) -> Cow<'a, [Casualties]> {
        if let Some((row, u)) = self.ucdp_row(event) {
            let mut all = self.ucdp_casualties(event, row, u);
            all.extend(event.written().casualties.iter().cloned());
            return Cow::Owned(all);
        }
        match event.row.filter(|r| r.fatalities > 0) {
            None => Cow::Borrowed(&event.written().casualties),
            Some(row) => {
                let id = format!("{ACLED_CLAIM}{}", event.id);
                let written = &event.written().casualties;
                let mut all = Vec::with_capacity(1 + written.len());
                all.push(Casualties {
                    group: row.group().to_string(),
                    outcome: Outcome::Killed,
                    claims: vec![id.clone()],
                    chosen: id,
                });
                all.extend(written.iter().cloned());
                Cow::Owned(all)
            }
        }
    }

    /// The count of the claim a figure chose.
    #[must_use]
    pub fn chosen_count(&self, chosen: &str) -> Option<Cow<'_, Count>> {
        match self.claim(chosen)? {
            Cow::Borrowed(c) => c.count.as_ref().map(Cow::Borrowed),
            Cow::Owned(c) => c.count.map(Cow::Owned),
        }
    }

    /// Each casualty figure of the event that has a count: its group, what it counts and
    /// the count of its chosen claim, with no claim made on the way (the figures of a million
    /// rows are summed on every load).
    pub fn figure_counts<'a>(&'a self, event: &'a Event) -> impl Iterator<Item = (&'a str, Outcome, Cow<'a, Count>)> {
        // At most four made from the row (a UCDP row's figures), before those stored.
        let mut made: [Option<(&'a str, Outcome, Cow<'a, Count>)>; 4] = [None, None, None, None];
        match self.ucdp_row(event) {
            Some((row, u)) => {
                for (slot, (group, count)) in made.iter_mut().zip(self.ucdp_figure_counts(row, u)) {
                    *slot = Some((group, Outcome::Killed, Cow::Owned(count)));
                }
            }
            None => {
                made[0] = event.row.and_then(|r| Some((r.group(), Outcome::Killed, Cow::Owned(r.count(self, event)?))));
            }
        }
        made.into_iter().flatten().chain(
            event
                .written()
                .casualties
                .iter()
                .filter_map(|f| Some((f.group.as_str(), f.outcome, self.chosen_count(&f.chosen)?))),
        )
    }

    /// The event as our format writes it: an imported row's claim, figure and summary
    /// filled in, and its notes taken from the note store, so that a file written and read
    /// back shows the same.
    #[must_use]
    pub fn event_record<'a>(&self, event: &'a Event) -> Cow<'a, Event> {
        if event.row.is_none() && event.note.is_none() {
            return Cow::Borrowed(event);
        }
        let written_notes = self.notes(event).map(Cow::into_owned);
        let read = self.read_of(event).is_some();
        if event.row.is_none() {
            if read {
                let written = Written {
                    claims: self.claim_ids(event).into_owned(),
                    posts: self.posts_of(event).into_owned(),
                    notes: written_notes,
                    ..event.written().clone()
                };
                return Cow::Owned(Event { note: None, written: written.boxed(), ..event.clone() });
            }
            let mut out = Event { note: None, ..event.clone() };
            out.set_written_notes(written_notes);
            return Cow::Owned(out);
        }
        let written = Written {
            summary: event.summary(self).into_owned(),
            claims: self.claim_ids(event).into_owned(),
            casualties: self.casualties_of(event).into_owned(),
            by: self.by(event).map(str::to_string).collect(),
            against: self.against(event).map(str::to_string).collect(),
            posts: self.posts_of(event).into_owned(),
            notes: written_notes,
            ..event.written().clone()
        };
        Cow::Owned(Event { note: None, row: None, written: written.boxed(), ..event.clone() })
    }

    /// How many claims there are, stored and made.
    #[must_use]
    pub fn claim_count(&self) -> usize {
        self.claims.len() + self.events.iter().map(|e| self.claims_made(e)).sum::<usize>() + self.read.len()
    }

    /// Every claim, stored and made, in the order they were read.
    #[must_use]
    pub fn every_claim(&self) -> Vec<Cow<'_, Claim>> {
        self.claims_in_order(&vec![true; self.claims.len()], |_| true, |_| true)
    }

    /// Every claim, stored and made, in the order they were read (the order a load kept
    /// them in before rows made theirs when asked): what `keep` picks (stored claims by
    /// position, rows' claims by their event's, claims read from notes by their number in
    /// [`Situation::read`]), for exports.
    #[must_use]
    pub fn claims_in_order(
        &self,
        keep_stored: &[bool],
        keep_row: impl Fn(usize) -> bool,
        keep_read: impl Fn(usize) -> bool,
    ) -> Vec<Cow<'_, Claim>> {
        // A stored claim at `i` sorts as (i, 2); a row's as (stored claims before it, 0, its
        // number); one read from notes as (stored claims before it, 1, its number).
        let mut keys: Vec<(u32, u8, u32, u32)> = Vec::new();
        for (i, _) in keep_stored.iter().enumerate().filter(|(_, k)| **k) {
            keys.push((i as u32, 2, 0, i as u32));
        }
        for i in (0..self.read.len()).filter(|&i| keep_read(i)) {
            keys.push((self.read.stored_before(i), 1, i as u32, i as u32));
        }
        for (i, e) in self.events.iter().enumerate() {
            if let Some(row) = e.row
                && keep_row(i)
            {
                keys.push((row.before, 0, row.seq, i as u32));
            }
        }
        keys.sort_unstable();
        let mut out = Vec::with_capacity(keys.len());
        for (_, class, _, at) in keys {
            let at = at as usize;
            match class {
                2 => out.push(Cow::Borrowed(&self.claims[at])),
                1 => out.extend(self.read_claim(at).map(Cow::Owned)),
                _ => out.extend(self.row_claims(&self.events[at]).into_iter().map(Cow::Owned)),
            }
        }
        out
    }
}
