//! An extracted event that is one already loaded, told again: same kind family, dates that
//! overlap, the same place or one within 10 km, and actors that do not contradict. Such an
//! event is kept as a second report (`same_incident_as`), never counted twice.

use crate::domain::model::{DateSpan, Event, Kind, Situation};
use crate::ingest::extract::Document;
use crate::ingest::extract::places::distance_km;

/// How far apart two places may be and still be one incident's place.
pub const SAME_PLACE_KM: f64 = 10.0;

/// Kinds that one incident can be coded as by different readers: fighting (battles and
/// remote violence: one report's "clash" is another's "shelling"), violence against
/// civilians, demonstrations (protests and riots), and strategic developments.
#[must_use]
pub fn kind_family(kind: Kind) -> &'static str {
    match kind.acled_event_type() {
        "Battles" | "Explosions/Remote violence" => "fighting",
        "Protests" | "Riots" => "demonstrations",
        other => other,
    }
}

fn overlaps(a: &DateSpan, b: &DateSpan) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn compatible<'a>(mut a: impl ExactSizeIterator<Item = &'a str>, b: &[String]) -> bool {
    a.len() == 0 || b.is_empty() || a.any(|x| b.iter().any(|y| y == x))
}

/// Marks each extracted event that matches a loaded one as a second report of it; returns
/// how many were marked.
pub fn mark_same_incidents(doc: &mut Document, base: &Situation) -> usize {
    let coords = |doc: &Document, id: &str| {
        doc.places.iter().find(|p| p.id == id).or_else(|| base.place(id)).and_then(|p| Some((p.lat?, p.lon?)))
    };
    let mut marked = 0;
    for i in 0..doc.events.len() {
        let e = &doc.events[i];
        if e.written().same_incident_as.is_some() {
            continue;
        }
        let here = coords(doc, &e.place);
        let found = base.events.iter().find(|b: &&Event| {
            b.written().same_incident_as.is_none()
                && b.status == e.status
                && kind_family(b.kind) == kind_family(e.kind)
                && overlaps(&b.span(), &e.span())
                && (b.place == e.place
                    || matches!((here, coords(doc, &b.place)), (Some(x), Some(y)) if distance_km(x, y) <= SAME_PLACE_KM))
                && compatible(base.by(b), &e.written().by)
                && compatible(base.against(b), &e.written().against)
        });
        if let Some(b) = found {
            let id = b.id.to_string();
            doc.events[i].written_mut().same_incident_as = Some(id);
            marked += 1;
        }
    }
    marked
}
