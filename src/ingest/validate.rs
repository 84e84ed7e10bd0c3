//! Checks a staged situation for what JSON parsing cannot see: duplicate ids, references to
//! missing records, impossible ranges and dates. Every problem names its record and position.

use rustc_hash::FxHashMap as HashMap;

use std::borrow::Cow;

use crate::domain::model::{Count, Event, Positions, Qualifier};
use crate::domain::text::nearest;
use crate::ingest::input::{Collection, Diagnostic, InputFile, Origin, Staged, Staging, staged_id};
use crate::ingest::locate::Seg;

type Found = Vec<((Collection, usize), Diagnostic)>;

struct Checker<'a> {
    files: &'a [InputFile],
    found: Found,
}

impl Checker<'_> {
    fn report(&mut self, record: (Collection, usize), origin: Origin, path: &[Seg<'_>], message: String) {
        let diagnostic = self.files[origin.file].at(origin.offset, path, message);
        self.found.push((record, diagnostic));
    }

    fn position(&self, origin: Origin, path: &[Seg<'_>]) -> String {
        let d = self.files[origin.file].at(origin.offset, path, "");
        format!("{}:{}:{}", d.file, d.line, d.column)
    }
}

/// Whether an id is fit to be one: not blank, no spaces, nothing that hides on screen.
fn bad_id(key: &str) -> bool {
    key.trim().is_empty() || key.chars().any(char::is_whitespace) || !crate::domain::text::is_clean(key)
}

fn bad_id_message(what: &str, key: &str) -> String {
    format!(
        "{what} id `{}` must be non-empty, without spaces, control, bidi or zero-width characters",
        key.escape_debug()
    )
}

/// The staged events by id: the import's table when it holds each staged event under an id
/// of its own, else one made here.
struct EventsById<'a> {
    items: &'a [Staged<Event>],
    table: Cow<'a, Positions>,
}

impl EventsById<'_> {
    fn get(&self, id: &str) -> Option<usize> {
        self.table.find(self.items, staged_id, id)
    }

    fn contains_key(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
}

/// The events' ids checked: each fit to be an id, and, unless the import's table shows them
/// to be, each its own.
fn event_ids<'a>(checker: &mut Checker<'_>, st: &'a Staging) -> EventsById<'a> {
    let items = &st.events[..];
    let given = st.event_ids.as_ref().filter(|t| t.len() == items.len());
    let mut made = Positions::default();
    if given.is_none() {
        made.reserve(items, staged_id, items.len());
    }
    for (i, staged) in items.iter().enumerate() {
        let key = staged_id(staged);
        if bad_id(key) {
            checker.report((Collection::Events, i), staged.origin, &[Seg::Key("id")], bad_id_message("event", key));
        }
        if given.is_none()
            && let Some(first) = made.insert_first(items, staged_id, i)
        {
            let at = checker.position(items[first].origin, &[Seg::Key("id")]);
            checker.report(
                (Collection::Events, i),
                staged.origin,
                &[Seg::Key("id")],
                format!("duplicate event id `{key}` (first defined at {at}); give each event its own id"),
            );
        }
    }
    let table = match given {
        Some(given) => Cow::Borrowed(given),
        None => Cow::Owned(made),
    };
    EventsById { items, table }
}

fn ids<'a, T>(
    checker: &mut Checker<'_>,
    coll: Collection,
    what: &str,
    items: &'a [Staged<T>],
    id: impl Fn(&T) -> &str,
) -> HashMap<&'a str, usize> {
    let mut seen: HashMap<&'a str, usize> = HashMap::with_capacity_and_hasher(items.len(), rustc_hash::FxBuildHasher);
    for (i, staged) in items.iter().enumerate() {
        let key = id(&staged.item);
        if bad_id(key) {
            checker.report((coll, i), staged.origin, &[Seg::Key("id")], bad_id_message(what, key));
        }
        if let Some(&first) = seen.get(key) {
            let at = checker.position(items[first].origin, &[Seg::Key("id")]);
            checker.report(
                (coll, i),
                staged.origin,
                &[Seg::Key("id")],
                format!("duplicate {what} id `{key}` (first defined at {at}); give each {what} its own id"),
            );
        } else {
            seen.insert(key, i);
        }
    }
    seen
}

fn missing(what: &str, id: &str, known: &HashMap<&str, usize>) -> String {
    missing_among(what, id, known.len(), || known.keys().copied())
}

fn missing_event(id: &str, known: &EventsById<'_>) -> String {
    missing_among("event", id, known.items.len(), || known.items.iter().map(staged_id))
}

fn missing_among<'k, K: Iterator<Item = &'k str>>(
    what: &str,
    id: &str,
    len: usize,
    keys: impl FnOnce() -> K,
) -> String {
    // Suggesting means comparing with every id: fine for a situation, too slow for an export.
    let near = if len <= 5_000 { nearest(id, keys()) } else { None };
    match near {
        Some(near) => format!("no {what} with id `{id}`: did you mean `{near}`?"),
        None => format!("no {what} with id `{id}`; define it or fix the reference"),
    }
}

fn check_count(count: &Count) -> Option<(&'static str, String)> {
    if let Some(low) = count.low
        && low > count.best
    {
        return Some(("low", format!("low ({low}) is above best ({}); make low <= best <= high", count.best)));
    }
    if let Some(high) = count.high
        && high < count.best
    {
        return Some(("high", format!("high ({high}) is below best ({}); make low <= best <= high", count.best)));
    }
    if count.qualifier == Qualifier::Exact
        && (count.low.is_some_and(|l| l != count.best) || count.high.is_some_and(|h| h != count.best))
    {
        // Point at the range itself: `qualifier` is usually left out when it is exact.
        let key = if count.low.is_some_and(|l| l != count.best) { "low" } else { "high" };
        return Some((key, "an exact count cannot have a range; use \"approximately\" or drop low/high".into()));
    }
    None
}

fn check_coordinates(
    checker: &mut Checker<'_>,
    record: (Collection, usize),
    origin: Origin,
    lat: Option<f64>,
    lon: Option<f64>,
) {
    if let Some(lat) = lat
        && !(-90.0..=90.0).contains(&lat)
    {
        checker.report(
            record,
            origin,
            &[Seg::Key("lat")],
            format!("latitude {lat} is out of range; it must lie within -90..90"),
        );
    }
    if let Some(lon) = lon
        && !(-180.0..=180.0).contains(&lon)
    {
        checker.report(
            record,
            origin,
            &[Seg::Key("lon")],
            format!("longitude {lon} is out of range; it must lie within -180..180"),
        );
    }
    if lat.is_some() != lon.is_some() {
        let key = if lat.is_some() { "lat" } else { "lon" };
        checker.report(record, origin, &[Seg::Key(key)], "give both lat and lon, or neither".into());
    }
}

/// The id maps the event checks look things up in.
struct Known<'a> {
    actors: HashMap<&'a str, usize>,
    places: HashMap<&'a str, usize>,
    claims: HashMap<&'a str, usize>,
    events: EventsById<'a>,
    posts: HashMap<&'a str, usize>,
}

impl Known<'_> {
    /// The imported row whose claim has this id (`c-acled-{event}`): such claims are made
    /// from their row when asked, never staged, and may be cited like any other.
    fn row_claim(&self, st: &Staging, id: &str) -> Option<crate::domain::model::RowClaim> {
        let event = id.strip_prefix(crate::domain::derived::ACLED_CLAIM)?;
        self.events.get(event).and_then(|j| st.events[j].item.row).filter(|r| !r.is_ucdp())
    }

    /// The UCDP row that makes the claim with this id (`c-{event}`, `c-{event}-{part}`).
    fn ucdp_claim(&self, st: &Staging, id: &str) -> Option<usize> {
        let row_of = |event: &str| {
            let j = self.events.get(event)?;
            crate::domain::ucdp::ucdp_row_in(st.events[j].item.row, &st.ucdp_rows).map(|(r, u)| (j, r, u))
        };
        crate::domain::ucdp::resolve(id, row_of).map(|(j, _)| j)
    }

    /// Whether a claim with this id exists: staged, or made from a row.
    fn has_claim(&self, st: &Staging, id: &str) -> bool {
        self.claims.contains_key(id) || self.row_claim(st, id).is_some() || self.ucdp_claim(st, id).is_some()
    }

    /// Whether that claim has a count (a row's claim has one when it records fatalities).
    fn counted(&self, st: &Staging, id: &str) -> bool {
        match self.claims.get(id) {
            Some(&j) => st.claims[j].item.count.is_some(),
            // A UCDP row's claims all have a count.
            None => self.row_claim(st, id).is_some_and(|r| r.fatalities > 0) || self.ucdp_claim(st, id).is_some(),
        }
    }
}

/// Checks the events in `range`.
#[allow(clippy::too_many_lines)]
fn check_events(c: &mut Checker<'_>, st: &Staging, known: &Known<'_>, range: std::ops::Range<usize>) {
    let Known { actors, places, claims, events, posts } = known;
    let counted = |id: &str| known.counted(st, id);
    let has_claim = |id: &str| known.has_claim(st, id);
    for (i, ev) in st.events.iter().enumerate().take(range.end).skip(range.start) {
        let record = (Collection::Events, i);
        let e = &ev.item;
        let o = ev.origin;
        if let Some(end) = e.end
            && end < e.date
        {
            c.report(record, o, &[Seg::Key("end")], format!("end {end} is before date {}; swap them", e.date));
        }
        if e.row.is_none_or(|r| r.summary.is_none()) && e.written().summary.trim().is_empty() {
            c.report(record, o, &[Seg::Key("summary")], "summary is empty; say in one line what happened".into());
        }
        if let Some(row) = e.row
            && st.sources.get(row.source as usize).is_none()
        {
            c.report(record, o, &[], "the source this row names was skipped; fix the source or drop the row".into());
        }
        if !places.contains_key(&*e.place) {
            c.report(record, o, &[Seg::Key("place")], missing("place", &e.place, places));
        }
        if let Some(row) = e.row
            && row.by != crate::domain::model::NO_ACTOR
            && [row.by, row.against]
                .iter()
                .any(|&a| a != crate::domain::model::NO_ACTOR && a as usize >= st.actors.len())
        {
            c.report(record, o, &[], "an actor this row names was skipped; fix the actor or drop the row".into());
        }
        for (key, list) in [("by", &e.written().by), ("against", &e.written().against)] {
            for (k, a) in list.iter().enumerate() {
                if !actors.contains_key(a.as_str()) {
                    c.report(record, o, &[Seg::Key(key), Seg::Index(k)], missing("actor", a, actors));
                }
            }
        }
        for (k, cl) in e.written().claims.iter().enumerate() {
            if !has_claim(cl.as_str()) {
                c.report(record, o, &[Seg::Key("claims"), Seg::Index(k)], missing("claim", cl, claims));
            }
        }
        for (k, p) in e.written().posts.iter().enumerate() {
            if !posts.contains_key(p.as_str()) {
                c.report(record, o, &[Seg::Key("posts"), Seg::Index(k)], missing("post", p, posts));
            }
        }
        if let Some(other) = &e.written().same_incident_as {
            if **other == *e.id {
                c.report(
                    record,
                    o,
                    &[Seg::Key("same_incident_as")],
                    "an event cannot be a second report of itself".into(),
                );
            } else if !events.contains_key(other.as_str()) {
                c.report(record, o, &[Seg::Key("same_incident_as")], missing_event(other, events));
            }
        }
        for (k, cas) in e.written().casualties.iter().enumerate() {
            let at = |key| [Seg::Key("casualties"), Seg::Index(k), Seg::Key(key)];
            if !matches!(cas.group.as_str(), "civilians" | "unknown") && !actors.contains_key(cas.group.as_str()) {
                c.report(
                    record,
                    o,
                    &at("group"),
                    format!(
                        "group `{}` is neither `civilians`, `unknown` nor an actor id; add the actor or fix the name",
                        cas.group
                    ),
                );
            }
            for (m, cl) in cas.claims.iter().enumerate() {
                let path = [Seg::Key("casualties"), Seg::Index(k), Seg::Key("claims"), Seg::Index(m)];
                if !has_claim(cl.as_str()) {
                    c.report(record, o, &path, missing("claim", cl, claims));
                } else if !counted(cl) {
                    c.report(
                        record,
                        o,
                        &path,
                        format!("claim `{cl}` has no count; a casualty figure needs claims with counts"),
                    );
                }
            }
            if !cas.claims.contains(&cas.chosen) {
                c.report(
                    record,
                    o,
                    &at("chosen"),
                    format!("chosen claim `{}` is not among this figure's claims; list it in `claims`", cas.chosen),
                );
            }
        }
    }
}

/// Every problem in the staged records, each tagged with the record to skip in lenient mode.
#[must_use]
#[allow(clippy::too_many_lines)]
pub fn validate(st: &Staging, files: &[InputFile]) -> Found {
    let mut c = Checker { files, found: Vec::new() };
    let sources = ids(&mut c, Collection::Sources, "source", &st.sources, |s| &s.id);
    let actors = ids(&mut c, Collection::Actors, "actor", &st.actors, |a| &a.id);
    let places = ids(&mut c, Collection::Places, "place", &st.places, |p| &p.id);
    // The two large maps are built side by side; their problems keep this order.
    let (claims, events) = std::thread::scope(|scope| {
        let events = scope.spawn(|| {
            let mut own = Checker { files, found: Vec::new() };
            let map = event_ids(&mut own, st);
            (map, own.found)
        });
        let claims = ids(&mut c, Collection::Claims, "claim", &st.claims, |x| &x.id);
        let (events, found) = events.join().unwrap_or_else(|_| {
            (EventsById { items: &st.events, table: Cow::Owned(Positions::default()) }, Vec::new())
        });
        c.found.extend(found);
        (claims, events)
    });
    let series = ids(&mut c, Collection::Displacement, "series", &st.displacement, |s| &s.id);
    let posts = ids(&mut c, Collection::Posts, "post", &st.posts, |p| &p.id);

    for (i, a) in st.actors.iter().enumerate() {
        if let Some(inter) = a.item.inter
            && !(1..=8).contains(&inter)
        {
            c.report(
                (Collection::Actors, i),
                a.origin,
                &[Seg::Key("inter")],
                format!("inter code {inter} is not ACLED's; use 1 (state forces) to 8 (external/other)"),
            );
        }
    }

    for (i, p) in st.places.iter().enumerate() {
        let record = (Collection::Places, i);
        check_coordinates(&mut c, record, p.origin, p.item.lat, p.item.lon);
        if let Some(parent) = &p.item.part_of {
            if !places.contains_key(parent.as_str()) {
                c.report(record, p.origin, &[Seg::Key("part_of")], missing("place", parent, &places));
            } else {
                let mut current = Some(parent.as_str());
                for _ in 0..=st.places.len() {
                    match current {
                        Some(id) if id == p.item.id => {
                            c.report(
                                record,
                                p.origin,
                                &[Seg::Key("part_of")],
                                format!("place `{}` ends up inside itself through part_of; break the cycle", p.item.id),
                            );
                            break;
                        }
                        Some(id) => current = places.get(id).and_then(|&j| st.places[j].item.part_of.as_deref()),
                        None => break,
                    }
                }
            }
        }
    }

    for (i, cl) in st.claims.iter().enumerate() {
        let record = (Collection::Claims, i);
        if !sources.contains_key(cl.item.source.as_str()) {
            c.report(record, cl.origin, &[Seg::Key("source")], missing("source", &cl.item.source, &sources));
        }
        if let Some(count) = &cl.item.count
            && let Some((key, message)) = check_count(count)
        {
            c.report(record, cl.origin, &[Seg::Key("count"), Seg::Key(key)], message);
        }
        // The id of the claim an imported row makes of its fatalities is taken.
        let acled = cl
            .item
            .id
            .strip_prefix(crate::domain::derived::ACLED_CLAIM)
            .filter(|event| events.get(event).is_some_and(|j| st.events[j].item.row.is_some_and(|r| !r.is_ucdp())));
        // And of a claim a UCDP row makes.
        let ucdp = || {
            let row_of = |event: &str| {
                let j = events.get(event)?;
                crate::domain::ucdp::ucdp_row_in(st.events[j].item.row, &st.ucdp_rows).map(|(r, u)| (j, r, u))
            };
            crate::domain::ucdp::resolve(&cl.item.id, row_of).map(|(j, _)| &*st.events[j].item.id)
        };
        if let Some(event) = acled.or_else(ucdp) {
            c.report(
                record,
                cl.origin,
                &[Seg::Key("id")],
                format!(
                    "claim id `{}` is that of the claim the imported row `{event}` makes; give this claim another id",
                    cl.item.id
                ),
            );
        }
    }

    let known = Known { actors, places, claims, events, posts };
    // A million events take a while: on large data, half on each core.
    let n = st.events.len();
    if n > crate::domain::index::PARALLEL_EVENTS {
        let found = std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let mut own = Checker { files, found: Vec::new() };
                check_events(&mut own, st, &known, n / 2..n);
                own.found
            });
            check_events(&mut c, st, &known, 0..n / 2);
            second.join().unwrap_or_default()
        });
        c.found.extend(found);
    } else {
        check_events(&mut c, st, &known, 0..n);
    }
    let counted = |id: &str| known.counted(st, id);
    let has_claim = |id: &str| known.has_claim(st, id);
    let Known { actors, places, claims, .. } = &known;

    for (i, s) in st.displacement.iter().enumerate() {
        let record = (Collection::Displacement, i);
        let d = &s.item;
        let o = s.origin;
        if !places.contains_key(d.area.as_str()) {
            c.report(record, o, &[Seg::Key("area")], missing("place", &d.area, places));
        }
        if !sources.contains_key(d.source.as_str()) {
            c.report(record, o, &[Seg::Key("source")], missing("source", &d.source, &sources));
        }
        if let Some(parent) = &d.part_of {
            if parent == &d.id {
                c.report(record, o, &[Seg::Key("part_of")], "a series cannot be part of itself".into());
            } else if !series.contains_key(parent.as_str()) {
                c.report(record, o, &[Seg::Key("part_of")], missing("series", parent, &series));
            } else {
                // A longer loop (a in b, b in a) would hide every series in it from the figures.
                let mut current = Some(parent.as_str());
                for _ in 0..=st.displacement.len() {
                    match current {
                        Some(id) if id == d.id => {
                            c.report(
                                record,
                                o,
                                &[Seg::Key("part_of")],
                                format!("series `{}` ends up inside itself through part_of; break the cycle", d.id),
                            );
                            break;
                        }
                        Some(id) => current = series.get(id).and_then(|&j| st.displacement[j].item.part_of.as_deref()),
                        None => break,
                    }
                }
            }
        }
        if d.values.is_empty() {
            c.report(record, o, &[Seg::Key("values")], "a series needs at least one value".into());
        }
        for (k, v) in d.values.iter().enumerate() {
            if k > 0 && v.as_of <= d.values[k - 1].as_of {
                c.report(
                    record,
                    o,
                    &[Seg::Key("values"), Seg::Index(k), Seg::Key("as_of")],
                    format!(
                        "as_of {} does not come after the previous value's; list values in date order, one per date",
                        v.as_of
                    ),
                );
            }
            if let Some(baseline) = d.baseline
                && v.as_of < baseline
            {
                c.report(
                    record,
                    o,
                    &[Seg::Key("values"), Seg::Index(k), Seg::Key("as_of")],
                    format!("as_of {} is before the baseline {baseline}", v.as_of),
                );
            }
            for (m, cl) in v.claims.iter().enumerate() {
                let path = [Seg::Key("values"), Seg::Index(k), Seg::Key("claims"), Seg::Index(m)];
                if !has_claim(cl.as_str()) {
                    c.report(record, o, &path, missing("claim", cl, claims));
                } else if !counted(cl) {
                    c.report(
                        record,
                        o,
                        &path,
                        format!("claim `{cl}` has no count; a displacement value needs claims with counts"),
                    );
                }
            }
            if !v.claims.contains(&v.chosen) {
                c.report(
                    record,
                    o,
                    &[Seg::Key("values"), Seg::Index(k), Seg::Key("chosen")],
                    format!("chosen claim `{}` is not among this value's claims", v.chosen),
                );
            }
        }
    }

    for (i, p) in st.posts.iter().enumerate() {
        let record = (Collection::Posts, i);
        let post = &p.item;
        let o = p.origin;
        check_coordinates(&mut c, record, o, post.lat, post.lon);
        if !actors.contains_key(post.operator.as_str()) {
            c.report(record, o, &[Seg::Key("operator")], missing("actor", &post.operator, actors));
        }
        if !places.contains_key(post.place.as_str()) {
            c.report(record, o, &[Seg::Key("place")], missing("place", &post.place, places));
        }
        for (k, cl) in post.framework_claims.iter().enumerate() {
            if !has_claim(cl.as_str()) {
                c.report(record, o, &[Seg::Key("framework_claims"), Seg::Index(k)], missing("claim", cl, claims));
            }
        }
        for (k, h) in post.history.iter().enumerate() {
            if k > 0 && h.date < post.history[k - 1].date {
                c.report(
                    record,
                    o,
                    &[Seg::Key("history"), Seg::Index(k), Seg::Key("date")],
                    format!("status change on {} comes before the previous one; keep history in date order", h.date),
                );
            }
            if let Some(end) = h.end
                && end < h.date
            {
                c.report(
                    record,
                    o,
                    &[Seg::Key("history"), Seg::Index(k), Seg::Key("end")],
                    format!("end {end} is before date {}; swap them", h.date),
                );
            }
            if h.written_claims.is_empty() {
                c.report(
                    record,
                    o,
                    &[Seg::Key("history"), Seg::Index(k), Seg::Key("claims")],
                    "a status change needs at least one claim behind it".into(),
                );
            }
            for (m, cl) in h.written_claims.iter().enumerate() {
                if !has_claim(cl.as_str()) {
                    c.report(
                        record,
                        o,
                        &[Seg::Key("history"), Seg::Index(k), Seg::Key("claims"), Seg::Index(m)],
                        missing("claim", cl, claims),
                    );
                }
            }
        }
    }
    c.found
}
