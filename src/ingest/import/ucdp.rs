//! UCDP GED CSV files (Georeferenced Event Dataset).
//!
//! One row is one event between side_a (`by`) and side_b (`against`), with id `ucdp-<id>`. The
//! deaths are split by group (deaths_a, deaths_b, deaths_civilians, deaths_unknown: the split of
//! the best estimate), and the event as a whole has best, low and high estimates; see
//! [`part_counts`] for how the range reaches the figures. date_start..date_end is the window in
//! which the event happened (one day when they agree). where_prec 1 is the town, 2–3 near a
//! town, 4–7 a region. type_of_violence 1 (state-based) and 2 (non-state) are armed clashes,
//! 3 (one-sided) an attack.
//!
//! Claims: one for the event, with UCDP's total as given, and one per casualty figure. They are
//! attributed to "UCDP GED" (the estimates are UCDP's judgement over its sources) and their
//! source is the row's source_article; event_clarity 2 makes them low-confidence. A row whose
//! best is not the sum of the four deaths columns, or whose low/best/high are out of order, is
//! odd but readable: UCDP's own record. It loads as given, its best is counted (the range kept
//! only where it holds best; the split dropped when it does not add up), and the event, its
//! claim and the load report say so.

use csv::ByteRecord;

use super::odd::{self, CountryCheck, RowOddities, add_note, own_id};
use super::{
    DateColumn, DateValue, EventIds, FastMap, Growth, ImportReport, NumericDate, Order, PlaceFields, Registry,
    RowProblems, Sheet, get, parse_code, parse_count, parse_date, plural, shown,
};
use crate::domain::model::{
    Casualties, Claim, Confidence, Count, DatePrecision, Day, Event, EventStatus, GeoPrecision, Kind, Outcome,
    Qualifier, Written,
};
use crate::ingest::input::{Diagnostic, InputFile, LoadOptions, Origin, Staged, Staging};

/// A kind of oddity in UCDP's own figures: kept, flagged and counted per kind.
#[derive(Debug, Clone, Copy)]
enum Oddity {
    LowAboveBest,
    HighBelowBest,
    SplitOff,
}

impl Oddity {
    fn label(self) -> &'static str {
        match self {
            Oddity::LowAboveBest => "UCDP low above best",
            Oddity::HighBelowBest => "UCDP high below best",
            Oddity::SplitOff => "UCDP deaths by side not adding up to best",
        }
    }
}

struct Columns {
    id: usize,
    relid: Option<usize>,
    type_of_violence: usize,
    conflict_name: Option<usize>,
    side_a: usize,
    side_b: usize,
    source_article: Option<usize>,
    where_coordinates: Option<usize>,
    adm_1: Option<usize>,
    adm_2: Option<usize>,
    country: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    where_prec: Option<usize>,
    event_clarity: Option<usize>,
    date_start: usize,
    date_end: usize,
    /// deaths_a, deaths_b, deaths_civilians, deaths_unknown, when all four are there.
    deaths: Option<[usize; 4]>,
    best: usize,
    low: Option<usize>,
    high: Option<usize>,
    ignored: Vec<bool>,
}

impl Columns {
    fn find(sheet: &Sheet<'_>) -> Result<Columns, Diagnostic> {
        let f = |name: &str| sheet.find(&[name]);
        let req = |names: &[&str]| sheet.require(names, "UCDP GED");
        let deaths = [f("deaths_a"), f("deaths_b"), f("deaths_civilians"), f("deaths_unknown")];
        let deaths = if deaths.iter().all(Option::is_some) {
            Some(deaths.map(|d| d.unwrap_or(0)))
        } else if deaths.iter().any(Option::is_some) {
            // Some but not all: say which is missing.
            req(&["deaths_a"])?;
            req(&["deaths_b"])?;
            req(&["deaths_civilians"])?;
            req(&["deaths_unknown"])?;
            None
        } else {
            None
        };
        let latitude = f("latitude");
        let longitude = f("longitude");
        if latitude.is_some() != longitude.is_some() {
            req(&["latitude"])?;
            req(&["longitude"])?;
        }
        Ok(Columns {
            id: req(&["id"])?,
            relid: f("relid"),
            type_of_violence: req(&["type_of_violence"])?,
            conflict_name: sheet.find(&["conflict_name", "dyad_name"]),
            side_a: req(&["side_a"])?,
            side_b: req(&["side_b"])?,
            source_article: f("source_article"),
            where_coordinates: f("where_coordinates"),
            adm_1: f("adm_1"),
            adm_2: f("adm_2"),
            country: f("country"),
            latitude,
            longitude,
            where_prec: f("where_prec"),
            event_clarity: f("event_clarity"),
            date_start: req(&["date_start"])?,
            date_end: req(&["date_end"])?,
            deaths,
            best: req(&["best", "best_est"])?,
            low: sheet.find(&["low", "low_est"]),
            high: sheet.find(&["high", "high_est"]),
            ignored: sheet.columns.iter().map(|c| c.is_empty() || c.starts_with("unnamed:")).collect(),
        })
    }
}

/// `total` shared among groups in proportion to `weights` by largest remainders: whole
/// numbers that add up to `total` exactly. With no weight at all, the first group takes it.
fn shares(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    let mut out = vec![0; weights.len()];
    if sum == 0 {
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let mut remainders = Vec::with_capacity(weights.len());
    let mut given = 0;
    for (i, &w) in weights.iter().enumerate() {
        let product = u128::from(total) * u128::from(w);
        out[i] = (product / sum) as u64;
        given += out[i];
        remainders.push((product % sum, i));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take((total - given) as usize) {
        out[i] += 1;
    }
    out
}

/// One casualty figure of an event: who, how many (best), and the claim id's suffix.
struct Part {
    group: String,
    who: String,
    best: u64,
    suffix: &'static str,
}

/// The counts of an event's figures.
///
/// UCDP gives best, low and high for the event as a whole, and splits only the best estimate by
/// group. When low = best = high, each group's count is exact. Otherwise each group's count is
/// `approximately` its best share, with low and high made by sharing the event's shortfall
/// (best − low) and excess (high − best) among the groups in proportion to their best
/// estimates, in whole numbers that add up exactly. So the event's figures add up to UCDP's own
/// best, low and high (totals stay right, and never read as exact when UCDP gave a range),
/// while the claims say the per-group ranges are shares, not UCDP's figures. The event's own
/// claim keeps UCDP's total as given.
fn part_counts(parts: &[Part], low: u64, best: u64, high: u64) -> Vec<Count> {
    if low == best && high == best {
        return parts.iter().map(|p| Count::exact(p.best)).collect();
    }
    let weights: Vec<u64> = parts.iter().map(|p| p.best).collect();
    let short = shares(best - low, &weights);
    let excess = shares(high - best, &weights);
    parts
        .iter()
        .zip(short.iter().zip(&excess))
        .map(|(p, (&s, &e))| Count {
            best: p.best,
            low: Some(p.best - s),
            high: Some(p.best + e),
            qualifier: Qualifier::Approximately,
            raw: None,
        })
        .collect()
}

struct Importer<'a> {
    input: &'a InputFile,
    file: usize,
    cols: Columns,
    skip_invalid: bool,
    decimal_comma: bool,
    reg: Registry,
    dates: DateColumn,
    /// Events whose dates wait for the column's order: event index, start, end.
    /// With the offsets of the two dates, for their check once they are settled.
    pending: Vec<(usize, DateValue, DateValue, [usize; 2])>,
    /// The events this file has made, by id (with the offsets of their rows).
    seen: EventIds,
    /// Ids the file reuses for rows with other content: the offsets of the rows after the
    /// first, which a later repeat may be identical to.
    reused: FastMap<String, Vec<usize>>,
    as_of: Option<chrono::NaiveDate>,
    countries: CountryCheck,
    oddities: RowOddities,
    claims: usize,
    report: ImportReport,
}

pub(super) fn stage(
    input: &InputFile,
    file: usize,
    staging: &mut Staging,
    options: LoadOptions,
    progress: super::Reporting<'_>,
) -> Result<ImportReport, Diagnostic> {
    let mut sheet = Sheet::open(input, "UCDP GED", progress)?;
    let cols = Columns::find(&sheet)?;
    let mut rp = RowProblems::new(&sheet);
    let mut importer = Importer {
        input,
        file,
        cols,
        skip_invalid: options.skip_invalid,
        decimal_comma: sheet.delimiter != b',',
        reg: Registry::new(staging, file),
        dates: DateColumn::new("date_start/date_end"),
        pending: Vec::new(),
        seen: EventIds::default(),
        reused: FastMap::default(),
        as_of: options.as_of.map(|d| d.0),
        countries: CountryCheck::default(),
        oddities: RowOddities::default(),
        claims: 0,
        report: ImportReport::default(),
    };
    importer.report.warnings.extend(sheet.hxl.take());
    let mut record = ByteRecord::new();
    let mut growth = Growth::new(staging);
    while let Some(start) = sheet.next_row(&mut record, &mut importer.report) {
        growth.row(staging, start, input.text.len());
        rp.begin(start);
        importer.row(staging, &record, start, &mut rp);
        if rp.any() {
            rp.skip_row(&mut importer.report);
        }
    }
    importer.finish(staging)
}

/// A number of deaths, or a problem at its column.
fn deaths(record: &ByteRecord, col: usize, rp: &mut RowProblems<'_>) -> Option<u64> {
    let text = get(record, Some(col));
    let n = parse_count(text);
    if n.is_none() {
        rp.at(col, format!("{} is not a whole number; write the number of deaths in digits", shown(text)));
    }
    n
}

fn resolve(value: DateValue, order: Order) -> chrono::NaiveDate {
    match value {
        DateValue::Known(d) => d,
        DateValue::Later(n) => NumericDate::resolve(n, order),
    }
}

impl Importer<'_> {
    #[allow(clippy::too_many_lines)]
    fn row(&mut self, staging: &mut Staging, record: &ByteRecord, start: usize, rp: &mut RowProblems<'_>) {
        let c = &self.cols;
        let ucdp_id = get(record, Some(c.id));
        let mut id = format!("ucdp-{ucdp_id}");
        // The first row with this id, when this row reuses it with other content.
        let mut reuses = None;
        if ucdp_id.is_empty() {
            rp.at(c.id, "the id is empty; every UCDP GED row has its own id");
        } else if let Some(first_at) = self.seen.first_at(&staging.events, &id) {
            let same = std::iter::once(first_at)
                .chain(self.reused.get(id.as_str()).into_iter().flatten().copied())
                .find(|&at| rp.same_as(at, record, &c.ignored));
            if let Some(same) = same {
                let line = rp.line_of(same);
                let note = self.input.diagnostic(
                    start,
                    format!("row repeats event {ucdp_id} of line {line} with identical content; imported once"),
                );
                self.report.duplicates += 1;
                self.report.skipped += 1;
                if self.skip_invalid {
                    self.report.problems.push(note.clone());
                }
                self.report.warnings.push(note);
                return;
            }
            reuses = Some(first_at);
        }

        let violence = parse_code(get(record, Some(c.type_of_violence))).filter(|t| (1..=3).contains(t));
        if violence.is_none() {
            let text = get(record, Some(c.type_of_violence));
            rp.at(
                c.type_of_violence,
                format!(
                    "{} is not a UCDP type of violence; use 1 (state-based), 2 (non-state) or 3 (one-sided)",
                    shown(text)
                ),
            );
        }

        let mut date = |col: usize, rp: &mut RowProblems<'_>| {
            let text = get(record, Some(col));
            match parse_date(text) {
                Ok(parsed) => Some(self.dates.note(parsed, text, || rp.offset(col))),
                Err(message) => {
                    rp.at(col, message);
                    None
                }
            }
        };
        let date_start = date(c.date_start, rp);
        let date_end = date(c.date_end, rp);
        if let (Some(DateValue::Known(s)), Some(DateValue::Known(e))) = (date_start, date_end)
            && e < s
        {
            rp.at(c.date_end, format!("date_end {e} is before date_start {s}; swap them"));
        }

        let side_a = get(record, Some(c.side_a));
        let side_b = get(record, Some(c.side_b));

        let where_name = get(record, c.where_coordinates);
        let (country, adm_1, adm_2) = (get(record, c.country), get(record, c.adm_1), get(record, c.adm_2));
        let name = [where_name, adm_2, adm_1, country].into_iter().find(|s| !s.is_empty());
        if name.is_none() {
            rp.at(
                c.where_coordinates.unwrap_or(c.id),
                "where_coordinates is empty, and so are adm_1, adm_2 and country; name where it happened",
            );
        }
        let (lat, lon) = super::coordinates(record, c.latitude, c.longitude, self.decimal_comma, rp);
        let precision = match c.where_prec {
            None => GeoPrecision::Town,
            Some(col) => match parse_code(get(record, Some(col))) {
                Some(1) => GeoPrecision::Town,
                Some(2 | 3) => GeoPrecision::NearTown,
                Some(4..=7) => GeoPrecision::Region,
                _ => {
                    let text = get(record, Some(col));
                    rp.at(col, format!("{} is not a UCDP where_prec; use 1 (exact place) to 7", shown(text)));
                    GeoPrecision::Region
                }
            },
        };

        let best = deaths(record, c.best, rp);
        let low = match c.low {
            Some(col) if !get(record, Some(col)).is_empty() => deaths(record, col, rp),
            _ => best,
        };
        let high = match c.high {
            Some(col) if !get(record, Some(col)).is_empty() => deaths(record, col, rp),
            _ => best,
        };
        let mut split = c.deaths.map(|cols| cols.map(|col| deaths(record, col, rp)));
        // UCDP's own figures that do not fit together are the source's record, not a reading
        // error: the row loads as given, its best is counted, and the event says so.
        let mut odd: Vec<(Oddity, usize, String)> = Vec::new();
        if let (Some(low), Some(best), Some(high)) = (low, best, high) {
            if low > best {
                let col = c.low.unwrap_or(c.best);
                odd.push((Oddity::LowAboveBest, col, format!("UCDP's low ({low}) is above its best ({best})")));
            }
            if high < best {
                let col = c.high.unwrap_or(c.best);
                odd.push((Oddity::HighBelowBest, col, format!("UCDP's high ({high}) is below its best ({best})")));
            }
            if let Some([Some(a), Some(b), Some(civ), Some(unk)]) = split {
                let sum = a.saturating_add(b).saturating_add(civ).saturating_add(unk);
                if sum != best {
                    odd.push((
                        Oddity::SplitOff,
                        c.best,
                        format!(
                            "UCDP's deaths by side ({a} side a, {b} side b, {civ} civilians, {unk} unknown) add up \
                             to {sum}, not its best ({best}); the split is not used"
                        ),
                    ));
                    split = None;
                }
            }
        }

        let (Some(violence), Some(date_start), Some(date_end), Some(name), Some(best), Some(low), Some(high), false) =
            (violence, date_start, date_end, name, best, low, high, rp.any())
        else {
            return;
        };
        let odd_note = (!odd.is_empty()).then(|| {
            let said: Vec<&str> = odd.iter().map(|o| o.2.as_str()).collect();
            format!("sitdash: {}; kept as the source gives them, and its best ({best}) is counted.", said.join("; "))
        });
        for (kind, col, message) in odd {
            let at = rp.offset(col);
            self.report.odd.push((kind.label(), self.input.diagnostic(at, format!("{message}; kept, best counted"))));
        }
        // The other oddities: kept as given, noted on the event and in the report.
        self.oddities.clear();
        if let (Some(lat), Some(lon), Some(lat_col)) = (lat, lon, c.latitude) {
            self.oddities.push(odd::COORDINATES, lat_col, self.countries.check(country, "", (lat, lon), start));
        }
        if let (DateValue::Known(s), DateValue::Known(e)) = (date_start, date_end)
            && let Some((col, message)) = odd::window_after_as_of((s, c.date_start), (e, c.date_end), self.as_of)
        {
            self.oddities.push(odd::AFTER_AS_OF, col, Some(message));
        }
        if let Some(first_at) = reuses {
            let own = own_id(&id, |candidate| self.seen.contains(&staging.events, candidate));
            let message = odd::reused("id", ucdp_id, rp.line_of(first_at), &own);
            self.oddities.push(odd::REUSED_ID, c.id, Some(message));
            self.reused.entry(id.clone()).or_default().push(start);
            id = own;
        }
        // The figures' note goes on UCDP's claim too; the others are the event's alone.
        let event_note = add_note(odd_note.clone(), self.oddities.note());
        self.oddities.report(rp, self.input, &mut self.report);
        // The figures as counted: best as given, and a range only where it holds best.
        let (given_low, given_high) = (low, high);
        let (low, high) = (low.min(best), high.max(best));

        // The row is good: make its records.
        let fields = PlaceFields { name, country, admin1: adm_1, admin2: adm_2, admin3: "", lat, lon, precision };
        let place = self.reg.place(staging, &fields, start);
        let actor_a = (!side_a.is_empty()).then(|| self.reg.actor(staging, side_a, None, start));
        let actor_b = (!side_b.is_empty()).then(|| self.reg.actor(staging, side_b, None, start));
        let article = get(record, c.source_article);
        let publisher = if article.is_empty() { "UCDP GED (no source article named)" } else { article };
        let source = self.reg.source(staging, publisher, "named as source_article in a UCDP GED file", start);
        let confidence = (get(record, c.event_clarity) == "2").then_some(Confidence::Low);

        let mut parts = Vec::with_capacity(4);
        if let Some([Some(a), Some(b), Some(civ), Some(unk)]) = split {
            let group = |actor: &Option<String>| actor.clone().unwrap_or_else(|| "unknown".to_string());
            for (best, group, who, suffix) in [
                (a, group(&actor_a), side_a, "a"),
                (b, group(&actor_b), side_b, "b"),
                (civ, "civilians".to_string(), "civilians", "civ"),
                (unk, "unknown".to_string(), "people of unknown affiliation", "unk"),
            ] {
                if best > 0 {
                    parts.push(Part { group, who: who.to_string(), best, suffix });
                }
            }
        }
        if parts.is_empty() && high > 0 {
            // No split given, or no death in the best estimate but some in the high one: one
            // figure for all, so that the range is kept.
            parts.push(Part { group: "unknown".to_string(), who: "all sides".to_string(), best, suffix: "unk" });
        }

        let origin = Origin { file: self.file, offset: start };
        let claim = |id: String, statement: String, count: Count, note: Option<String>| Staged {
            item: Claim {
                id,
                source: source.clone(),
                attributed_to: "UCDP GED".to_string(),
                statement,
                count: Some(count),
                unit: None,
                confidence,
                note,
                quote: None,
                span: None,
                context: None,
            },
            origin,
        };
        let total_id = format!("c-{id}");
        let ranged = given_low != best || given_high != best;
        let total = if ranged {
            Count { best, low: Some(low), high: Some(high), qualifier: Qualifier::Approximately, raw: None }
        } else {
            Count::exact(best)
        };
        let statement = if ranged {
            format!("UCDP GED estimates {} (low {given_low}, high {given_high})", plural(best, "death", "deaths"))
        } else {
            format!("UCDP GED estimates {}", plural(best, "death", "deaths"))
        };
        staging.claims.push(claim(total_id.clone(), statement, total, odd_note.clone()));
        self.claims += 1;

        let mut casualties = Vec::with_capacity(parts.len());
        for (part, count) in parts.iter().zip(part_counts(&parts, low, best, high)) {
            let claim_id = format!("{total_id}-{}", part.suffix);
            let statement =
                format!("UCDP GED's best estimate puts {} among {}", plural(part.best, "death", "deaths"), part.who);
            let note = ranged.then(|| {
                format!(
                    "UCDP gives low {low} and high {high} for the event as a whole; this figure's range is its share \
                     of that range in proportion to the best estimates, not a UCDP figure"
                )
            });
            staging.claims.push(claim(claim_id.clone(), statement, count, note));
            self.claims += 1;
            casualties.push(Casualties {
                group: part.group.clone(),
                outcome: Outcome::Killed,
                claims: vec![claim_id.clone()],
                chosen: claim_id,
            });
        }

        let (kind, what) = match violence {
            1 => (Kind::ArmedClash, "State-based armed clash"),
            2 => (Kind::ArmedClash, "Non-state armed clash"),
            _ => (Kind::Attack, "One-sided violence"),
        };
        let summary = match (side_a.is_empty(), side_b.is_empty(), violence) {
            (false, false, 3) => format!("{what} in {name}: {side_a} against {side_b}"),
            (false, false, _) => format!("{what} in {name}: {side_a} vs {side_b}"),
            (false, true, _) => format!("{what} in {name}: {side_a}"),
            (true, false, _) => format!("{what} in {name}: {side_b}"),
            (true, true, _) => format!("{what} in {name}"),
        };
        let conflict = get(record, c.conflict_name);
        let relid = get(record, c.relid);
        let notes = match (conflict.is_empty(), relid.is_empty()) {
            (true, true) => None,
            (false, true) => Some(format!("UCDP GED conflict: {conflict}")),
            (true, false) => Some(format!("UCDP GED relid {relid}")),
            (false, false) => Some(format!("UCDP GED conflict: {conflict} (relid {relid})")),
        };
        let notes = add_note(notes, event_note);

        let mut event = Event {
            id: id.into(),
            date: Day(date_start.now()),
            precision: DatePrecision::Day,
            end: None,
            status: EventStatus::Occurred,
            kind,
            place: place.into(),
            geo_precision: Some(precision),
            written_notes: notes,
            note: None,
            row: None,
            written: Written {
                by: actor_a.into_iter().collect(),
                against: actor_b.into_iter().collect(),
                summary,
                claims: vec![total_id],
                casualties,
                ..Written::default()
            }
            .boxed(),
        };
        if let (DateValue::Known(s), DateValue::Known(e)) = (date_start, date_end) {
            set_window(&mut event, s, e);
        } else {
            let at = [rp.offset(self.cols.date_start), rp.offset(self.cols.date_end)];
            self.pending.push((staging.events.len(), date_start, date_end, at));
        }
        staging.events.push(Staged { item: event, origin });
        self.seen.insert(&staging.events, staging.events.len() - 1);
    }

    fn finish(mut self, staging: &mut Staging) -> Result<ImportReport, Diagnostic> {
        self.report.warnings.extend(self.countries.note(self.input));
        let order = self.dates.order(self.input)?;
        for (slot, start, end, [start_at, end_at]) in self.pending {
            let (start, end) = (resolve(start, order), resolve(end, order));
            let event = &mut staging.events[slot].item;
            set_window(event, start, end);
            if let Some((at, message)) = odd::window_after_as_of((start, start_at), (end, end_at), self.as_of) {
                self.oddities.clear();
                self.oddities.push(odd::AFTER_AS_OF, 0, Some(message));
                event.written_notes = add_note(event.written_notes.take(), self.oddities.note());
                self.oddities.report_at(at, self.input, &mut self.report);
            }
        }
        self.report.odd.sort_by_key(|(_, d)| (d.line, d.column));
        self.report.derived = self.reg.created + self.claims;
        Ok(self.report)
    }
}

/// date_start..date_end: one day when they agree, else an explicit window.
fn set_window(event: &mut Event, start: chrono::NaiveDate, end: chrono::NaiveDate) {
    event.date = Day(start);
    event.end = (end != start).then_some(Day(end));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_follow_weights() {
        assert_eq!(shares(5, &[9, 1]), vec![5, 0]);
        assert_eq!(shares(3, &[1, 1, 1]), vec![1, 1, 1]);
        assert_eq!(shares(4, &[1, 1, 1]), vec![2, 1, 1]);
        assert_eq!(shares(0, &[3, 4]), vec![0, 0]);
        assert_eq!(shares(7, &[0]), vec![7]);
        assert_eq!(shares(10, &[2, 3]), vec![4, 6]);
        for total in 0..30 {
            let weights = [5, 0, 2, 9];
            let s = shares(total, &weights);
            assert_eq!(s.iter().sum::<u64>(), total);
            assert_eq!(s[1], 0);
        }
    }

    #[test]
    fn part_ranges_add_up_to_the_event_range() {
        let part = |best| Part { group: String::new(), who: String::new(), best, suffix: "" };
        let parts = [part(4), part(1), part(5)];
        let counts = part_counts(&parts, 8, 10, 15);
        assert_eq!(counts.iter().map(|c| c.best).sum::<u64>(), 10);
        assert_eq!(counts.iter().map(|c| c.low.unwrap()).sum::<u64>(), 8);
        assert_eq!(counts.iter().map(|c| c.high.unwrap()).sum::<u64>(), 15);
        assert!(counts.iter().all(|c| c.low.unwrap() <= c.best && c.best <= c.high.unwrap()));
        assert!(part_counts(&parts, 10, 10, 10).iter().all(|c| c.qualifier == Qualifier::Exact));
    }
}
