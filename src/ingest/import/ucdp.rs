//! UCDP GED CSV files (Georeferenced Event Dataset).
//!
//! One row is one event between side_a (`by`) and side_b (`against`), with id `ucdp-<id>`. The
//! deaths are split by group (deaths_a, deaths_b, deaths_civilians, deaths_unknown: the split of
//! the best estimate), and the event as a whole has best, low and high estimates; see
//! [`ucdp::part_counts`] for how the range reaches the figures. date_start..date_end is the window in
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

use super::odd::{self, CountryCheck, RowOddities, add_note, add_stored_note, own_id, store_note};
use super::{
    DateColumn, DateValue, EventIds, FastMap, Fields, Growth, ImportReport, NumericDate, Order, PlaceFields, Registry,
    RowProblems, Sheet, get, parse_code, parse_count, parse_date, shown,
};
use crate::domain::index::UCDP_ROW_CLAIM;
use crate::domain::model::{
    Casualties, Confidence, Count, DatePrecision, Day, Event, EventId, EventStatus, GeoPrecision, Kind, NO_ACTOR,
    Outcome, RowClaim, RowSummary, UcdpRow, Violence, Written,
};
use crate::domain::ucdp;
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

/// One casualty figure of an event: who, how many (best), and the claim id's suffix.
struct Part {
    group: String,
    who: String,
    best: u64,
    suffix: &'static str,
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
        growth.row(staging, Some(&mut importer.seen), start, input.len());
        rp.begin(start, sheet.row());
        importer.row(staging, &Fields::of(&record), start, &mut rp);
        if rp.any() {
            rp.skip_row(&mut importer.report);
        }
    }
    if let Some(failure) = sheet.failure() {
        return Err(failure);
    }
    importer.finish(staging)
}

/// A number of deaths, or a problem at its column.
fn deaths(record: &Fields<'_>, col: usize, rp: &mut RowProblems<'_>) -> Option<u64> {
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
    fn row(&mut self, staging: &mut Staging, record: &Fields<'_>, start: usize, rp: &mut RowProblems<'_>) {
        let c = &self.cols;
        let ucdp_id = get(record, Some(c.id));
        let mut id: EventId = ecow::eco_format!("ucdp-{ucdp_id}");
        // The first row with this id, when this row reuses it with other content.
        let mut reuses = None;
        if ucdp_id.is_empty() {
            rp.at(c.id, "the id is empty; every UCDP GED row has its own id");
        } else if let Some(first_at) = self.seen.first_at(&staging.events, &id) {
            let same = std::iter::once(first_at)
                .chain(self.reused.get(id.as_str()).into_iter().flatten().copied())
                .find(|&at| rp.same_as(at, record.record(), &c.ignored));
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
                odd.push((Oddity::LowAboveBest, col, ucdp::low_above(low, best)));
            }
            if high < best {
                let col = c.high.unwrap_or(c.best);
                odd.push((Oddity::HighBelowBest, col, ucdp::high_below(high, best)));
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
            ucdp::odd_note(&said, best)
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
            self.reused.entry(id.to_string()).or_default().push(start);
            id = own.into();
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
        let actor_a = (!side_a.is_empty()).then(|| self.reg.actor_at(staging, side_a, None, start));
        let actor_b = (!side_b.is_empty()).then(|| self.reg.actor_at(staging, side_b, None, start));
        let article = get(record, c.source_article);
        let publisher = if article.is_empty() { "UCDP GED (no source article named)" } else { article };
        let source = self.reg.source_at(staging, publisher, "named as source_article in a UCDP GED file", start);
        let confidence = (get(record, c.event_clarity) == "2").then_some(Confidence::Low);
        let (kind, violence) = match violence {
            1 => (Kind::ArmedClash, Violence::StateBased),
            2 => (Kind::ArmedClash, Violence::NonState),
            _ => (Kind::Attack, Violence::OneSided),
        };

        let mut parts = Vec::with_capacity(4);
        if let Some([Some(a), Some(b), Some(civ), Some(unk)]) = split {
            let group = |actor: Option<usize>| {
                actor.map_or_else(|| "unknown".to_string(), |i| staging.actors[i].item.id.clone())
            };
            for (best, group, who, suffix) in [
                (a, group(actor_a), side_a, "a"),
                (b, group(actor_b), side_b, "b"),
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

        // The row keeps its figures in the event, and its claims, figures and summary are made
        // when asked for, wherever that makes them exactly as stored: side a named, numbers
        // that fit, a split that is used, and an id no part's claim id can be taken for.
        let figures = (best, given_low, given_high, split);
        let row = self.row_claim(staging, (&id, source, actor_a, actor_b), figures, (violence, confidence.is_some()));
        let row = row.map(|(row, figures)| {
            staging.ucdp_rows.push(figures);
            row
        });
        self.claims += 1 + parts.len();
        if row.is_some() {
            self.report.kept_in_rows += 1 + parts.len();
        }

        let origin = Origin { file: self.file, offset: start };
        let total_id = format!("c-{id}");
        let (claims, casualties) = if row.is_some() {
            (Vec::new(), Vec::new())
        } else {
            let source_id = staging.sources[source].item.id.clone();
            let claim = |id: String, statement: String, count: Count, note: Option<String>| Staged {
                item: ucdp::claim(id, source_id.clone(), statement, count, confidence, note),
                origin,
            };
            let total = ucdp::total_count(best, (given_low, given_high), (low, high));
            let statement = ucdp::total_statement(best, given_low, given_high);
            staging.claims.push(claim(total_id.clone(), statement, total, odd_note.clone()));
            let ranged = given_low != best || given_high != best;
            let bests: Vec<u64> = parts.iter().map(|p| p.best).collect();
            let mut casualties = Vec::with_capacity(parts.len());
            for (part, count) in parts.iter().zip(ucdp::part_counts(&bests, low, best, high)) {
                let claim_id = format!("{total_id}-{}", part.suffix);
                let statement = ucdp::part_statement(part.best, &part.who);
                let note = ranged.then(|| ucdp::range_note(low, high));
                staging.claims.push(claim(claim_id.clone(), statement, count, note));
                casualties.push(Casualties {
                    group: part.group.clone(),
                    outcome: Outcome::Killed,
                    claims: vec![claim_id.clone()],
                    chosen: claim_id,
                });
            }
            (vec![total_id], casualties)
        };

        let summary = if row.is_some() {
            String::new()
        } else {
            let what = ucdp::violence_words(violence);
            match (side_a.is_empty(), side_b.is_empty(), violence) {
                (false, false, Violence::OneSided) => format!("{what} in {name}: {side_a} against {side_b}"),
                (false, false, _) => format!("{what} in {name}: {side_a} vs {side_b}"),
                (false, true, _) => format!("{what} in {name}: {side_a}"),
                (true, false, _) => format!("{what} in {name}: {side_b}"),
                (true, true, _) => format!("{what} in {name}"),
            }
        };
        let conflict = get(record, c.conflict_name);
        let relid = get(record, c.relid);
        let notes = match (conflict.is_empty(), relid.is_empty()) {
            (true, true) => None,
            (false, true) => Some(format!("UCDP GED conflict: {conflict}")),
            (true, false) => Some(format!("UCDP GED relid {relid}")),
            (false, false) => Some(format!("UCDP GED conflict: {conflict} (relid {relid})")),
        };
        let note = add_note(notes, event_note).map(|text| store_note(&mut staging.notes, &text));
        let ids = |actor: Option<usize>| -> Vec<String> {
            if row.is_some() {
                Vec::new()
            } else {
                actor.map(|i| staging.actors[i].item.id.clone()).into_iter().collect()
            }
        };

        let mut event = Event {
            id,
            date: Day(date_start.now()),
            precision: DatePrecision::Day,
            end: None,
            status: EventStatus::Occurred,
            kind,
            place,
            geo_precision: Some(precision),
            note,
            row,
            written: Written {
                by: ids(actor_a),
                against: ids(actor_b),
                summary,
                claims,
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

    /// What the row keeps instead of its claims, figures and summary, when they can be made
    /// from it exactly as stored (its figures go to `staging.ucdp_rows`, where the row points):
    /// `None` keeps them stored.
    fn row_claim(
        &self,
        staging: &Staging,
        (id, source, actor_a, actor_b): (&str, usize, Option<usize>, Option<usize>),
        (best, low, high, split): (u64, u64, u64, Option<[Option<u64>; 4]>),
        (violence, low_confidence): (Violence, bool),
    ) -> Option<(RowClaim, UcdpRow)> {
        let fits = |n: u64| u32::try_from(n).ok();
        let handle = |i: usize| u32::try_from(i).ok().filter(|&h| h < NO_ACTOR - 1);
        if ucdp::PART_SUFFIXES.iter().any(|s| id.ends_with(s)) {
            return None;
        }
        // A split given but not used (it does not add up) keeps the stored form.
        let [a, b, civilians] = match (self.cols.deaths, split) {
            (None, _) => [0; 3],
            (Some(_), Some([Some(a), Some(b), Some(civ), Some(_)])) => [fits(a)?, fits(b)?, fits(civ)?],
            (Some(_), _) => return None,
        };
        let figures = UcdpRow {
            low: fits(low)?,
            high: fits(high)?,
            a,
            b,
            civilians,
            violence,
            low_confidence,
            split: self.cols.deaths.is_some(),
        };
        let row = RowClaim {
            source: u32::try_from(source).ok().filter(|&s| s < UCDP_ROW_CLAIM)?,
            before: u32::try_from(staging.claims.len()).ok()?,
            seq: u32::try_from(staging.events.len()).ok()?,
            fatalities: fits(best)?,
            raw_at: u32::try_from(staging.ucdp_rows.len()).ok()?,
            raw_len: 0,
            civilians: false,
            by: handle(actor_a?)?,
            against: actor_b.map_or(Some(NO_ACTOR), handle)?,
            summary: Some(RowSummary::Ucdp),
        };
        Some((row, figures))
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
                event.note = add_stored_note(&mut staging.notes, None, event.note, self.oddities.note());
                self.oddities.report_at(at, self.input, &mut self.report);
            }
        }
        self.report.odd.sort_by_key(|(_, d)| (d.line, d.column));
        std::mem::take(&mut self.seen).hand_on(staging);
        self.report.derived = self.reg.created + self.claims;
        Ok(self.report)
    }
}

/// date_start..date_end: one day when they agree, else an explicit window.
fn set_window(event: &mut Event, start: chrono::NaiveDate, end: chrono::NaiveDate) {
    event.date = Day(start);
    event.end = (end != start).then_some(Day(end));
}
