//! ACLED CSV exports: the current column set (2023+), the 2019–2022 one, and older ones
//! (data_id, event_id_no_cnty, iso3, ally_actor_1/2, capitals, the old event types).
//!
//! One row is one event, with ACLED's id (event_id_cnty; else data_id; else iso3 followed by
//! event_id_no_cnty). actor1 and its associates act (`by`), actor2 and its associates are
//! acted against (`against`); each distinct name is one actor, its inter code from inter1 or
//! inter2. The place is interned from country, admin1–3, location, coordinates and
//! geo_precision: geo_precision is part of what makes a place, because our places carry the
//! precision, and an event "near Korvath" must not be shown as in Korvath itself. The source
//! string becomes a source, and each row one claim with ACLED's fatality figure (see
//! [`fatality_count`]), which is the event's only casualty figure: group `civilians` when
//! civilian_targeting is set (in old exports without that column: for violence against
//! civilians), else `unknown`. With 0 fatalities the event has no figure and its claim no
//! count, as ACLED writes 0 both for "none" and for "none reported".
//!
//! A column an export lacks: time_precision means day precision and geo_precision the town
//! itself, as the values are written; inter, assoc, admin, source and notes columns are simply
//! empty. A row repeating an earlier row's id with the same content (the timestamp and a
//! spreadsheet's index column aside) is imported once and counted as skipped; with different
//! content it is a row problem.

use crate::domain::model::PlaceId;

use csv::ByteRecord;

use super::odd::{self, CountryCheck, RowOddities, add_note, add_stored_note, own_id, store_note};
use super::{
    DateColumn, DateValue, EventIds, FastMap, Fields, Growth, ImportReport, Needle, NeedleSet, NumericDate,
    PlaceFields, Registry, RowProblems, Sheet, first_needle, get, month_start, parse_code, parse_count, parse_date,
    plural, shift, shown,
};
use crate::domain::derived::acled_claim;
use crate::domain::model::{
    Casualties, Count, DatePrecision, Day, Event, EventId, EventStatus, GeoPrecision, Kind, NO_ACTOR, Outcome,
    Qualifier, RowClaim, RowSummary, Written,
};
use crate::domain::notes::Note;
use crate::domain::text::is_clean;
use crate::ingest::input::{Diagnostic, InputFile, LoadOptions, Origin, Staged, Staging};

/// Where each column is; `None` for columns an export may lack.
#[derive(Clone)]
struct Columns {
    event_id_cnty: Option<usize>,
    data_id: Option<usize>,
    event_id_no_cnty: Option<usize>,
    iso3: Option<usize>,
    /// ISO 3166 numeric country code.
    iso: Option<usize>,
    /// When ACLED last changed the row (Unix seconds).
    timestamp: Option<usize>,
    date: usize,
    time_precision: Option<usize>,
    event_type: usize,
    sub_event_type: Option<usize>,
    actor1: usize,
    assoc1: Option<usize>,
    inter1: Option<usize>,
    actor2: Option<usize>,
    assoc2: Option<usize>,
    inter2: Option<usize>,
    civilian_targeting: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    admin3: Option<usize>,
    location: usize,
    latitude: Option<usize>,
    longitude: Option<usize>,
    geo_precision: Option<usize>,
    source: Option<usize>,
    notes: Option<usize>,
    fatalities: usize,
    /// Columns left out when comparing a repeated row: a spreadsheet's row index, ACLED's timestamp.
    ignored: Vec<bool>,
}

impl Columns {
    fn find(sheet: &Sheet<'_>) -> Result<Columns, Diagnostic> {
        let f = |name: &str| sheet.find(&[name]);
        let (event_id_cnty, data_id, event_id_no_cnty) = (f("event_id_cnty"), f("data_id"), f("event_id_no_cnty"));
        if event_id_cnty.is_none() && data_id.is_none() && event_id_no_cnty.is_none() {
            sheet.require(&["event_id_cnty", "data_id", "event_id_no_cnty"], "ACLED")?;
        }
        let latitude = f("latitude");
        let longitude = f("longitude");
        if latitude.is_some() != longitude.is_some() {
            sheet.require(&["latitude"], "ACLED")?;
            sheet.require(&["longitude"], "ACLED")?;
        }
        Ok(Columns {
            event_id_cnty,
            data_id,
            event_id_no_cnty,
            iso3: f("iso3"),
            iso: f("iso"),
            timestamp: f("timestamp"),
            date: sheet.require(&["event_date"], "ACLED")?,
            time_precision: f("time_precision"),
            event_type: sheet.require(&["event_type"], "ACLED")?,
            sub_event_type: f("sub_event_type"),
            actor1: sheet.require(&["actor1"], "ACLED")?,
            assoc1: sheet.find(&["assoc_actor_1", "ally_actor_1"]),
            inter1: f("inter1"),
            actor2: f("actor2"),
            assoc2: sheet.find(&["assoc_actor_2", "ally_actor_2"]),
            inter2: f("inter2"),
            civilian_targeting: f("civilian_targeting"),
            country: f("country"),
            admin1: f("admin1"),
            admin2: f("admin2"),
            admin3: f("admin3"),
            location: sheet.require(&["location"], "ACLED")?,
            latitude,
            longitude,
            geo_precision: f("geo_precision"),
            source: f("source"),
            notes: f("notes"),
            fatalities: sheet.require(&["fatalities"], "ACLED")?,
            ignored: sheet
                .columns
                .iter()
                .map(|c| c.is_empty() || c.starts_with("unnamed:") || c == "timestamp")
                .collect(),
        })
    }

    /// The row's event id: event_id_cnty, else data_id, else iso3 + event_id_no_cnty; with the
    /// column to blame when there is none.
    fn event_id(&self, record: &Fields<'_>) -> (EventId, usize) {
        for col in [self.event_id_cnty, self.data_id] {
            let id = get(record, col);
            if !id.is_empty() {
                return (EventId::from(id), col.unwrap_or(0));
            }
        }
        let number = get(record, self.event_id_no_cnty);
        if !number.is_empty() {
            return (ecow::eco_format!("{}{number}", get(record, self.iso3)), self.event_id_no_cnty.unwrap_or(0));
        }
        let blame = self.event_id_cnty.or(self.data_id).or(self.event_id_no_cnty).unwrap_or(0);
        (EventId::new(), blame)
    }
}

/// How an (event type, sub-event type) pair maps onto a kind.
#[derive(Debug, Clone, Copy)]
enum Rule {
    Known(Kind),
    /// An event type without a sub-event type (older exports, or the field left empty): the
    /// kind is chosen from the notes or the actors, and the event's notes say so.
    Battle,
    Remote,
    Civilians,
    Demonstration,
    Strategic,
    /// Not a type sitdash knows (index into `Kinds::unknown`).
    Unknown(usize),
}

/// Letters and digits only, lower-cased: `Battle - No change of territory` matches
/// `Battle-No change of territory`.
fn squash(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// The kind of a sub-event type, or `None` when sitdash does not know it.
fn kind_of_sub(sub_event_type: &str) -> Option<Kind> {
    let sub = squash(sub_event_type);
    // ACLED's codebook spells it "protestors" in places.
    if sub == "excessiveforceagainstprotestors" {
        return Some(Kind::ExcessiveForceAgainstProtesters);
    }
    Kind::ALL.iter().copied().find(|k| squash(k.acled_sub_event_type()) == sub)
}

/// How a type pair maps onto a kind; `None` when it is not one sitdash knows. A sub-event type,
/// when given, decides alone: an unknown one is unknown even under a known event type.
fn rule_for(event_type: &str, sub_event_type: &str) -> Option<Rule> {
    if !sub_event_type.trim().is_empty() {
        return kind_of_sub(sub_event_type).map(Rule::Known);
    }
    Some(match squash(event_type).as_str() {
        // Event types before 2019, which carry what is now the sub-event type.
        "battlenochangeofterritory" => Rule::Known(Kind::ArmedClash),
        "battlegovernmentregainsterritory" => Rule::Known(Kind::GovernmentRegainsTerritory),
        "battlenonstateactorovertakesterritory" => Rule::Known(Kind::NonStateActorOvertakesTerritory),
        "headquartersorbaseestablished" => Rule::Known(Kind::HeadquartersOrBaseEstablished),
        "nonviolenttransferofterritory" => Rule::Known(Kind::NonViolentTransferOfTerritory),
        "battle" | "battles" => Rule::Battle,
        "remoteviolence" | "explosionsremoteviolence" => Rule::Remote,
        "violenceagainstcivilians" => Rule::Civilians,
        "riotsprotests" | "protests" | "riots" => Rule::Demonstration,
        "strategicdevelopment" | "strategicdevelopments" => Rule::Strategic,
        _ => return None,
    })
}

const fn needle(text: &'static str, whole: bool) -> Needle {
    Needle { text, whole }
}

/// Words in the notes that name the weapon of remote violence, by kind, in order of priority
/// ("suicide car bomb" is a suicide bomb before it is an explosive).
const REMOTE_WORDS: [(Needle, Kind); 16] = [
    (needle("chemical", true), Kind::ChemicalWeapon),
    (needle("chlorine", true), Kind::ChemicalWeapon),
    (needle("suicide", true), Kind::SuicideBomb),
    (needle("air strike", false), Kind::AirDroneStrike),
    (needle("airstrike", false), Kind::AirDroneStrike),
    (needle("air raid", false), Kind::AirDroneStrike),
    (needle("drone", false), Kind::AirDroneStrike),
    (needle("warplane", false), Kind::AirDroneStrike),
    (needle("helicopter", false), Kind::AirDroneStrike),
    (needle("grenade", false), Kind::Grenade),
    (needle("ied", false), Kind::RemoteExplosive),
    (needle("landmine", false), Kind::RemoteExplosive),
    (needle("explosive device", false), Kind::RemoteExplosive),
    (needle("roadside bomb", false), Kind::RemoteExplosive),
    (needle("car bomb", false), Kind::RemoteExplosive),
    (needle("vbied", false), Kind::RemoteExplosive),
];

const CIVILIAN_WORDS: [(Needle, Kind); 5] = [
    (needle("abduct", false), Kind::Abduction),
    (needle("kidnap", false), Kind::Abduction),
    (needle("disappear", false), Kind::Abduction),
    (needle("rape", false), Kind::SexualViolence),
    (needle("sexual", false), Kind::SexualViolence),
];

fn from_words<const N: usize>(notes: &str, words: &[(Needle, Kind); N]) -> Option<Kind> {
    let needles: [Needle; N] = std::array::from_fn(|i| words[i].0);
    first_needle(notes, &needles).map(|i| words[i].1)
}

/// The kinds seen, memoised by the raw (event type, sub-event type) pair.
#[derive(Default)]
struct Kinds {
    rules: FastMap<Box<[u8]>, Rule>,
    key: Vec<u8>,
    /// Unknown types: label, rows imported with it, offset of the first.
    unknown: Vec<(String, usize, usize)>,
}

impl Kinds {
    fn rule(&mut self, event_type: &str, sub_event_type: &str) -> Rule {
        self.key.clear();
        self.key.extend_from_slice(event_type.as_bytes());
        self.key.push(0x1f);
        self.key.extend_from_slice(sub_event_type.as_bytes());
        if let Some(&rule) = self.rules.get(self.key.as_slice()) {
            return rule;
        }
        let rule = rule_for(event_type, sub_event_type).unwrap_or_else(|| {
            let label = if sub_event_type.is_empty() {
                event_type.to_string()
            } else {
                format!("{event_type} / {sub_event_type}")
            };
            self.unknown.push((label, 0, 0));
            Rule::Unknown(self.unknown.len() - 1)
        });
        self.rules.insert(self.key.as_slice().into(), rule);
        rule
    }
}

/// The kind of an accepted row, and a line for the event's notes when sitdash chose it.
fn kind_of(
    rule: Rule,
    types: (&str, &str),
    notes: &str,
    inter1: Option<u8>,
    has_actor2: bool,
) -> (Kind, Option<String>) {
    let (event_type, sub_event_type) = types;
    let chosen = |kind: Kind, why: &str| {
        Some(format!(
            "sitdash: ACLED gives event type `{event_type}` without a sub-event type; coded as `{}` {why}.",
            kind.acled_sub_event_type()
        ))
    };
    match rule {
        Rule::Known(kind) => (kind, None),
        Rule::Battle => (Kind::ArmedClash, chosen(Kind::ArmedClash, "(no change of territory stated)")),
        Rule::Remote => {
            if let Some(kind) = from_words(notes, &REMOTE_WORDS) {
                (kind, chosen(kind, "from words in the notes"))
            } else {
                let kind = Kind::ShellingArtilleryMissileAttack;
                (kind, chosen(kind, "as no word in the notes names another weapon"))
            }
        }
        Rule::Civilians => match from_words(notes, &CIVILIAN_WORDS) {
            Some(kind) => (kind, chosen(kind, "from words in the notes")),
            None => (Kind::Attack, chosen(Kind::Attack, "as the notes name no abduction or sexual violence")),
        },
        Rule::Demonstration => {
            let (kind, why) = match (inter1, has_actor2) {
                (Some(5), _) => (Kind::ViolentDemonstration, "as actor1 is rioters (inter1 5)"),
                (_, true) => (Kind::ProtestWithIntervention, "as another actor took part (actor2)"),
                _ => (Kind::PeacefulProtest, "as no other actor took part"),
            };
            (kind, chosen(kind, why))
        }
        Rule::Strategic => (Kind::OtherStrategic, chosen(Kind::OtherStrategic, "(no more detail given)")),
        Rule::Unknown(_) => {
            let label = if sub_event_type.is_empty() {
                event_type.to_string()
            } else {
                format!("{event_type} / {sub_event_type}")
            };
            let note = format!(
                "sitdash: ACLED type `{label}` is not one sitdash knows; imported as Strategic developments / Other."
            );
            (Kind::OtherStrategic, Some(note))
        }
    }
}

/// Words in the notes that show the source was vague about the toll.
const VAGUE: [Needle; 6] = [
    needle("at least", true),
    needle("more than", true),
    needle("dozens", true),
    needle("hundreds", true),
    needle("scores", true),
    needle("tens of", true),
];

/// [`VAGUE`], searched for in the notes of every row with a toll.
static VAGUE_SET: NeedleSet = NeedleSet::new(&VAGUE);

/// ACLED's fatalities as a count.
///
/// ACLED codes the most conservative figure its sources report: "at least 5" is 5, "dozens"
/// 12, "hundreds" 100. When the notes show such wording, the number is only a floor, so the
/// count is `at_least` (totals then read `N+`) and `raw` keeps the words. Otherwise the number
/// is what the sources state, and it stays `exact`: marking every ACLED figure as a floor would
/// make every total read `N+` and hide the rows where the reporting really was vague. The check
/// is a word search of the notes, so a phrase about something else ("at least two vehicles")
/// also makes the count a floor; the error is then towards less certainty, never more.
///
/// Returns where the `raw` phrase starts in the notes too (0 when there is none): the event
/// keeps that place instead of the claim (see [`RowClaim`]).
fn fatality_count(fatalities: u64, notes: &str) -> (Count, usize) {
    let mut found = [None; VAGUE.len()];
    VAGUE_SET.scan(notes, &mut found);
    let Some((i, at)) = found.iter().enumerate().filter_map(|(i, at)| at.map(|at| (i, at))).min_by_key(|&(_, at)| at)
    else {
        return (Count::exact(fatalities), 0);
    };
    // The phrase and the word after it: "at least 12", "dozens of".
    let b = notes.as_bytes();
    let mut end = at + VAGUE[i].text.len();
    if b.get(end) == Some(&b' ') {
        end += 1;
        while end < b.len() && !b[end].is_ascii_whitespace() && !b",.;:()".contains(&b[end]) {
            end += 1;
        }
    }
    let raw = notes.get(at..end).map(|s| s.trim_end().to_string());
    (Count { best: fatalities, low: None, high: None, qualifier: Qualifier::AtLeast, raw }, at)
}

/// Sets an event's dates from ACLED's event_date and time_precision.
///
/// ACLED dates a week- or month-precision event at the middle of the span. sitdash keeps the
/// whole span: for a week, the seven days around the given date (an explicit window, date − 3
/// to date + 3); for a month, the calendar month of the date.
fn set_date(event: &mut Event, day: chrono::NaiveDate, time_precision: u8) {
    match time_precision {
        2 => {
            event.date = Day(shift(day, -3));
            event.end = Some(Day(shift(day, 3)));
            event.precision = DatePrecision::Week;
        }
        3 => {
            event.date = Day(month_start(day));
            event.end = None;
            event.precision = DatePrecision::Month;
        }
        _ => {
            event.date = Day(day);
            event.end = None;
            event.precision = DatePrecision::Day;
        }
    }
}

/// An inter code: empty or 0 is none; 1–8 is ACLED's scheme. The names of the codes ("State
/// forces", "Rebel group", …) are read too, as some exports write them instead of numbers.
fn inter(record: &Fields<'_>, col: Option<usize>, rp: &mut RowProblems<'_>) -> Option<u8> {
    const NAMES: [&str; 8] = [
        "stateforces",
        "rebelgroup",
        "politicalmilitia",
        "identitymilitia",
        "rioters",
        "protesters",
        "civilians",
        "externalotherforces",
    ];
    let text = get(record, col);
    if text.is_empty() {
        return None;
    }
    let code = parse_code(text).or_else(|| {
        let name = squash(text);
        let name = name.strip_suffix('s').filter(|n| NAMES.contains(n)).unwrap_or(&name);
        NAMES.iter().position(|n| *n == name).map(|i| i as u8 + 1)
    });
    match code {
        Some(0) => None,
        Some(code @ 1..=8) => Some(code),
        _ => {
            if let Some(col) = col {
                rp.at(col, format!("{} is not an ACLED inter code; use 0 (none) or 1–8", shown(text)));
            }
            None
        }
    }
}

/// Interns actors named in a `;`-separated list and adds those not yet in `list`.
fn add_associates(reg: &mut Registry, staging: &mut Staging, list: &mut Vec<String>, names: &str, offset: usize) {
    for name in names.split(';').map(str::trim).filter(|n| !n.is_empty()) {
        let id = reg.actor(staging, name, None, offset);
        if !list.contains(&id) {
            list.push(id);
        }
    }
}

/// An event whose date waits for the column's order, with what its date checks need.
struct Pending {
    slot: usize,
    date: NumericDate,
    time_precision: u8,
    /// The day of the row's timestamp (days since 1970-01-01), and the offset of its date.
    changed: Option<i64>,
    date_at: usize,
}

struct Importer<'a> {
    input: &'a InputFile,
    file: usize,
    cols: Columns,
    skip_invalid: bool,
    decimal_comma: bool,
    reg: Registry,
    kinds: Kinds,
    dates: DateColumn,
    /// Events whose date waits for the column's order: event index, date, time precision.
    pending: Vec<Pending>,
    /// The events this file has made, by id (with the offsets of their rows).
    seen: EventIds,
    /// Ids the file reuses for rows with other content: the offsets of the rows after the
    /// first, which a later repeat may be identical to.
    reused: FastMap<String, Vec<usize>>,
    as_of: Option<chrono::NaiveDate>,
    countries: CountryCheck,
    odd: RowOddities,
    /// True for the later part of a file read in two: its ids are checked when it is merged.
    defer_ids: bool,
    claims: usize,
    report: ImportReport,
}

pub(super) fn stage(
    input: &InputFile,
    file: usize,
    staging: &mut Staging,
    options: LoadOptions,
    progress: super::Reporting<'_>,
    parallel: bool,
) -> Result<ImportReport, Diagnostic> {
    let mut sheet = Sheet::open(input, "ACLED", progress)?;
    let cols = Columns::find(&sheet)?;
    let rp = RowProblems::new(&sheet);
    let decimal_comma = sheet.delimiter != b',';
    let importer = |reg| Importer {
        input,
        file,
        cols: cols.clone(),
        skip_invalid: options.skip_invalid,
        decimal_comma,
        reg,
        kinds: Kinds::default(),
        dates: DateColumn::new("event_date"),
        pending: Vec::new(),
        seen: EventIds::default(),
        reused: FastMap::default(),
        as_of: options.as_of.map(|d| d.0),
        countries: CountryCheck::default(),
        odd: RowOddities::default(),
        defer_ids: false,
        claims: 0,
        report: ImportReport::default(),
    };
    let mut first = importer(Registry::new(staging, file));
    first.report.warnings.extend(sheet.hxl.take());
    let len = input.len();
    let body = sheet.body_start();
    let middle = body + (len - body) / 2;
    let split = if parallel { input.split_point(sheet.delimiter, middle) } else { None };
    let Some(split) = split else {
        first.read(&mut sheet, staging, rp, len);
        if let Some(failure) = sheet.failure() {
            return Err(failure);
        }
        return first.finish(staging);
    };
    // Two parts, one per core: the later one into a staging of its own, then merged into
    // this one in row order, so that the records, ids and problems are those of one pass.
    let mut later_sheet = sheet.part(split, len);
    sheet.stop_at(split);
    let mut part = Staging::default();
    let mut later = importer(Registry::new(&part, file));
    later.defer_ids = true;
    let later_rp = RowProblems::new(&later_sheet);
    let rp_again = RowProblems::new(&sheet);
    std::thread::scope(|scope| {
        scope.spawn(|| later.read(&mut later_sheet, &mut part, later_rp, len));
        // Room for the whole file's records: the later part's are moved in without a copy
        // of these (capacity not yet written costs no memory).
        first.read(&mut sheet, staging, rp, len);
    });
    // A file read in place is checked as UTF-8 as it is read: a bad byte refuses it, as it
    // refuses a file read whole.
    if let Some(failure) = sheet.failure().or_else(|| later_sheet.failure()) {
        return Err(failure);
    }
    first.merge(staging, later, part, rp_again);
    first.finish(staging)
}

/// The id of the claim of event `id`.
fn claim_id(id: &str) -> String {
    format!("c-acled-{id}")
}

/// Counts the row at `start` as a repeat of event `id` at `line` and notes it (a warning, and
/// in lenient mode a reason for the skip too).
fn repeated(input: &InputFile, skip_invalid: bool, report: &mut ImportReport, start: usize, id: &str, line: usize) {
    let note = input
        .diagnostic(start, format!("row repeats event `{id}` of line {line} with identical content; imported once"));
    report.duplicates += 1;
    report.skipped += 1;
    if skip_invalid {
        report.problems.push(note.clone());
    }
    report.warnings.push(note);
}

/// The row `rp` is on reuses `id`, first used by the row at `first_at`, with other content: it
/// gets an id of its own, which is returned, and the oddity (at column `col`) is noted.
fn reuse(
    taken: impl Fn(&str) -> bool,
    reused: &mut FastMap<String, Vec<usize>>,
    oddities: &mut RowOddities,
    (id, first_at, col): (&str, usize, usize),
    rp: &RowProblems<'_>,
) -> String {
    let own = own_id(id, taken);
    oddities.push(odd::REUSED_ID, col, Some(odd::reused("event id", id, rp.line_of(first_at), &own)));
    reused.entry(id.to_string()).or_default().push(rp.start());
    own
}

/// Positions of staged records by id.
fn index_of<T>(items: &[Staged<T>], id: impl Fn(&T) -> &str) -> FastMap<&str, usize> {
    items.iter().enumerate().map(|(i, s)| (id(&s.item), i)).collect()
}

/// Renames `id` as `map` says, asking `intern` the first time; `None` in the map means the
/// id stays as it is (the usual case: ids come from names), so nothing is copied.
fn rename(map: &mut FastMap<String, Option<String>>, id: &mut String, intern: impl FnOnce(&str) -> String) {
    match map.get(id.as_str()) {
        Some(Some(new)) => new.clone_into(id),
        Some(None) => {}
        None => {
            let new = intern(id);
            if new == *id {
                map.insert(new, None);
            } else {
                map.insert(std::mem::replace(id, new.clone()), Some(new));
            }
        }
    }
}

impl Importer<'_> {
    /// Reads every row of `sheet`, which ends at `end`.
    fn read(&mut self, sheet: &mut Sheet<'_>, staging: &mut Staging, mut rp: RowProblems<'_>, end: usize) {
        let mut record = ByteRecord::new();
        let mut growth = Growth::new(staging);
        while let Some(start) = sheet.next_row(&mut record, &mut self.report) {
            growth.row(staging, (!self.defer_ids).then_some(&mut self.seen), start, end);
            rp.begin(start, sheet.row());
            self.row(staging, &Fields::of(&record), start, &mut rp);
            if rp.any() {
                rp.skip_row(&mut self.report);
            }
        }
    }

    /// Takes in the later part of the file, read on its own: each of its events is checked
    /// against this part's ids as if read here, and its places, actors and sources are
    /// interned here when the first kept event uses them.
    fn merge(&mut self, staging: &mut Staging, later: Importer<'_>, mut part: Staging, mut rp: RowProblems<'_>) {
        let mut report = later.report;
        let places = index_of(&part.places, |p| &p.id);
        let actors = index_of(&part.actors, |a| &a.id);
        let sources = index_of(&part.sources, |s| &s.id);
        let mut place_ids: FastMap<PlaceId, PlaceId> = FastMap::default();
        let mut actor_ids: FastMap<String, Option<String>> = FastMap::default();
        let mut source_ids: FastMap<String, Option<String>> = FastMap::default();
        let mut slots = vec![usize::MAX; part.events.len()];
        staging.events.reserve(part.events.len());
        staging.claims.reserve(part.claims.len());
        // The later part's notes are moved in whole, its handles moved on by `base`: a copy
        // held them twice (100 MB at 1M rows) at the load's peak. Those of events not kept
        // stay behind, named by none.
        let base = staging.notes.append_moved(std::mem::take(&mut part.notes));
        let moved = |note: Option<Note>| note.map(|Note(k)| Note(base + k));
        let mut claims = part.claims.into_iter();
        let mut source_at: FastMap<u32, Option<u32>> = FastMap::default();
        // Each of the part's actors looked up here once, by its position there, rather than
        // by name twice a row: the merge runs on one core while the other waits.
        let mut actor_here: Vec<Option<u32>> = vec![None; part.actors.len()];
        for (j, staged) in part.events.into_iter().enumerate() {
            // Each row makes one event and then, unless the event keeps it, one claim.
            let mut event = staged.item;
            let mut copied = false;
            let mut claim = if event.row.is_none() {
                let Some(claim) = claims.next() else { break };
                Some(claim)
            } else {
                None
            };
            let start = staged.origin.offset;
            if let Some(first_at) = self.seen.first_at(&staging.events, &event.id) {
                let record = rp.row_at(start);
                if let Some(same) = self.identical(&event.id, first_at, &record, &rp) {
                    let line = rp.line_of(same);
                    repeated(self.input, self.skip_invalid, &mut report, start, &event.id, line);
                    continue;
                }
                // Another row under an id the file already used: loaded under one of its own.
                rp.begin_again(start);
                let (_, col) = self.cols.event_id(&Fields::of(&record));
                self.odd.clear();
                let taken = |id: &str| self.seen.contains(&staging.events, id);
                let own = reuse(taken, &mut self.reused, &mut self.odd, (&event.id, first_at, col), &rp);
                // The note then ends with the oddity, as read in one pass.
                event.note = add_stored_note(&mut staging.notes, None, moved(event.note), self.odd.note());
                copied = true;
                self.odd.report(&rp, self.input, &mut report);
                // A claim the event keeps in its row takes the new id with the event's.
                let (old_claim, new_claim) = (claim_id(&event.id), claim_id(&own));
                if let Some(w) = &mut event.written {
                    let figures = w.casualties.iter_mut();
                    for id in w
                        .claims
                        .iter_mut()
                        .chain(figures.flat_map(|c| c.claims.iter_mut().chain(std::iter::once(&mut c.chosen))))
                    {
                        if *id == old_claim {
                            id.clone_from(&new_claim);
                        }
                    }
                }
                if let Some(claim) = &mut claim
                    && claim.item.id == old_claim
                {
                    claim.item.id = new_claim;
                }
                event.id = own.into();
            }
            let reg = &mut self.reg;
            event.place = if let Some(&here) = place_ids.get(&event.place) {
                here
            } else {
                let p = &part.places[places[&*event.place]];
                let here = reg.place(staging, &super::PlaceFields::of(&p.item), p.origin.offset);
                place_ids.insert(event.place, here);
                here
            };
            if let Some(row) = &mut event.row
                && row.by != NO_ACTOR
            {
                for handle in [&mut row.by, &mut row.against].into_iter().filter(|h| **h != NO_ACTOR) {
                    let there = *handle as usize;
                    *handle = *actor_here[there].get_or_insert_with(|| {
                        let a = &part.actors[there];
                        let here = reg.actor_at(staging, &a.item.name, a.item.inter, a.origin.offset);
                        u32::try_from(here).unwrap_or(NO_ACTOR - 1)
                    });
                }
            }
            let written = event.written.as_deref_mut().map(|w| w.by.iter_mut().chain(w.against.iter_mut()));
            for actor in written.into_iter().flatten() {
                rename(&mut actor_ids, actor, |id| {
                    let a = &part.actors[actors[id]];
                    reg.actor(staging, &a.item.name, a.item.inter, a.origin.offset)
                });
            }
            if let Some(claim) = &mut claim {
                rename(&mut source_ids, &mut claim.item.source, |id| {
                    let s = &part.sources[sources[id]];
                    reg.source(staging, &s.item.publisher, s.item.note.as_deref().unwrap_or_default(), s.origin.offset)
                });
            }
            if let Some(row) = &mut event.row {
                let here = *source_at.entry(row.source).or_insert_with(|| {
                    let s = &part.sources[row.source as usize];
                    let note = s.item.note.as_deref().unwrap_or_default();
                    u32::try_from(reg.source_at(staging, &s.item.publisher, note, s.origin.offset)).ok()
                });
                let (Some(here), Ok(before), Ok(seq)) =
                    (here, u32::try_from(staging.claims.len()), u32::try_from(staging.events.len()))
                else {
                    continue;
                };
                (row.source, row.before, row.seq) = (here, before, seq);
            }
            if !copied {
                event.note = moved(event.note);
            }
            slots[j] = staging.events.len();
            staging.events.push(Staged { item: event, origin: staged.origin });
            self.seen.insert(&staging.events, slots[j]);
            self.claims += 1;
            match claim {
                Some(claim) => staging.claims.push(claim),
                None => self.report.kept_in_rows += 1,
            }
        }
        for pending in later.pending {
            if let Some(&now) = slots.get(pending.slot).filter(|&&s| s != usize::MAX) {
                self.pending.push(Pending { slot: now, ..pending });
            }
        }
        self.dates.merge(later.dates);
        for (label, rows, first) in later.kinds.unknown {
            match self.kinds.unknown.iter_mut().find(|u| u.0 == label) {
                Some(mine) => {
                    if mine.1 == 0 {
                        mine.2 = first;
                    }
                    mine.1 += rows;
                }
                None => self.kinds.unknown.push((label, rows, first)),
            }
        }
        let mine = &mut self.report;
        mine.skipped += report.skipped;
        mine.duplicates += report.duplicates;
        mine.unknown_kinds += report.unknown_kinds;
        mine.problems.append(&mut report.problems);
        mine.warnings.append(&mut report.warnings);
        mine.odd.append(&mut report.odd);
        self.countries.merge(later.countries);
        // In file order, as one pass would have found them.
        mine.problems.sort_by_key(|d| (d.line, d.column));
        mine.warnings.sort_by_key(|d| (d.line, d.column));
    }

    #[allow(clippy::too_many_lines)]
    fn row(&mut self, staging: &mut Staging, record: &Fields<'_>, start: usize, rp: &mut RowProblems<'_>) {
        let c = &self.cols;
        let (mut id, id_col) = c.event_id(record);
        // The first row with this id, when this row reuses it with other content.
        let mut reuses = None;
        if id.is_empty() {
            rp.at(id_col, "the event id is empty; every ACLED row needs its own id");
        } else if !self.defer_ids
            && let Some(first_at) = self.seen.first_at(&staging.events, &id)
        {
            if let Some(same) = self.identical(&id, first_at, record.record(), rp) {
                let line = rp.line_of(same);
                repeated(self.input, self.skip_invalid, &mut self.report, start, &id, line);
                return;
            }
            reuses = Some(first_at);
        }

        let date_text = get(record, Some(c.date));
        let date = match parse_date(date_text) {
            Ok(parsed) => Some(self.dates.note(parsed, date_text, || rp.offset(c.date))),
            Err(message) => {
                rp.at(c.date, message);
                None
            }
        };
        let time_precision = match c.time_precision {
            None => 1,
            Some(col) => {
                let text = get(record, Some(col));
                if let Some(p @ 1..=3) = parse_code(text) {
                    p
                } else {
                    rp.at(
                        col,
                        format!("{} is not an ACLED time precision; use 1 (day), 2 (week) or 3 (month)", shown(text)),
                    );
                    1
                }
            }
        };

        let event_type = get(record, Some(c.event_type));
        let sub_event_type = get(record, c.sub_event_type);
        if event_type.is_empty() && sub_event_type.is_empty() {
            rp.at(c.event_type, "the event type is empty; ACLED types every event (e.g. Battles / Armed clash)");
        }

        let actor1 = get(record, Some(c.actor1));
        if actor1.is_empty() {
            rp.at(c.actor1, "actor1 is empty; ACLED names the first actor of every event");
        }
        let inter1 = inter(record, c.inter1, rp);
        let actor2 = get(record, c.actor2);
        let inter2 = inter(record, c.inter2, rp);

        let location = get(record, Some(c.location));
        let (country, admin1, admin2, admin3) =
            (get(record, c.country), get(record, c.admin1), get(record, c.admin2), get(record, c.admin3));
        let name = [location, admin3, admin2, admin1, country].into_iter().find(|s| !s.is_empty());
        if name.is_none() {
            rp.at(c.location, "the location is empty, and so are admin1–3 and country; name where it happened");
        }
        let (lat, lon) = super::coordinates(record, c.latitude, c.longitude, self.decimal_comma, rp);
        let geo_precision = match c.geo_precision {
            None => GeoPrecision::Town,
            Some(col) => match parse_code(get(record, Some(col))) {
                Some(1) => GeoPrecision::Town,
                Some(2) => GeoPrecision::NearTown,
                Some(3) => GeoPrecision::Region,
                _ => {
                    let text = get(record, Some(col));
                    rp.at(
                        col,
                        format!(
                            "{} is not an ACLED geo precision; use 1 (the town), 2 (near a town) or 3 (a region)",
                            shown(text)
                        ),
                    );
                    GeoPrecision::Region
                }
            },
        };

        let fatalities_text = get(record, Some(c.fatalities));
        let fatalities = parse_count(fatalities_text);
        if fatalities.is_none() {
            let message = if fatalities_text.is_empty() {
                "fatalities is empty; write 0 when none were reported".to_string()
            } else {
                format!(
                    "{} is not a whole number; write the number of fatalities in digits (0 when none were reported)",
                    shown(fatalities_text)
                )
            };
            rp.at(c.fatalities, message);
        }

        let (Some(date), Some(name), Some(fatalities), false) = (date, name, fatalities, rp.any()) else {
            return;
        };

        // What is odd but readable: kept as given, noted on the event and in the report.
        self.odd.clear();
        if let (Some(lat), Some(lon), Some(lat_col)) = (lat, lon, c.latitude) {
            let code = if c.iso.is_some() { get(record, c.iso) } else { get(record, c.iso3) };
            self.odd.push(odd::COORDINATES, lat_col, self.countries.check(country, code, (lat, lon), start));
        }
        let changed = odd::timestamp_days(get(record, c.timestamp));
        if let DateValue::Known(day) = date {
            self.odd.push(odd::AFTER_TIMESTAMP, c.date, odd::after_timestamp("event_date", day, changed));
            self.odd.push(odd::AFTER_AS_OF, c.date, odd::after_as_of("event_date", day, self.as_of));
        }
        if let Some(first_at) = reuses {
            let taken = |id: &str| self.seen.contains(&staging.events, id);
            id = reuse(taken, &mut self.reused, &mut self.odd, (&id, first_at, id_col), rp).into();
        }

        // The row is good: make its records.
        let rule = self.kinds.rule(event_type, sub_event_type);
        if let Rule::Unknown(i) = rule {
            let entry = &mut self.kinds.unknown[i];
            if entry.1 == 0 {
                entry.2 = start;
            }
            entry.1 += 1;
            self.report.unknown_kinds += 1;
        }
        let notes = get(record, c.notes);
        let (kind, coding) = kind_of(rule, (event_type, sub_event_type), notes, inter1, !actor2.is_empty());

        let fields = PlaceFields { name, country, admin1, admin2, admin3, lat, lon, precision: geo_precision };
        let place = self.reg.place(staging, &fields, start);
        let by1 = self.reg.actor_at(staging, actor1, inter1, start);
        let (assoc1, assoc2) = (get(record, c.assoc1), get(record, c.assoc2));
        // Without associates, the event keeps its two actors as positions (in `row`).
        let (by, against, by2) = if assoc1.is_empty() && assoc2.is_empty() {
            let by2 = (!actor2.is_empty()).then(|| self.reg.actor_at(staging, actor2, inter2, start));
            (Vec::new(), Vec::new(), Some(by2))
        } else {
            let mut by = vec![staging.actors[by1].item.id.clone()];
            add_associates(&mut self.reg, staging, &mut by, assoc1, start);
            let mut against = Vec::new();
            if !actor2.is_empty() {
                against.push(self.reg.actor(staging, actor2, inter2, start));
            }
            add_associates(&mut self.reg, staging, &mut against, assoc2, start);
            (by, against, None)
        };
        let handle = |i: usize| u32::try_from(i).ok().filter(|&h| h < NO_ACTOR - 1);
        // (actor1, actor2) as positions when kept so; `None` when stored as ids.
        let inline = by2.and_then(|by2| Some((handle(by1)?, by2.map_or(Some(NO_ACTOR), handle)?)));

        let source_text = get(record, c.source);
        let publisher = if source_text.is_empty() { "ACLED (no source named)" } else { source_text };
        let source = self.reg.source_at(staging, publisher, "named as a source in an ACLED export", start);

        let origin = Origin { file: self.file, offset: start };
        let (count, raw_at) = match fatalities {
            0 => (None, 0),
            n => {
                let (count, at) = fatality_count(n, notes);
                (Some(count), at)
            }
        };
        // Old exports have no civilian_targeting column; their violence against civilians is.
        let civilians = match c.civilian_targeting {
            Some(_) => !get(record, c.civilian_targeting).is_empty(),
            None => matches!(kind, Kind::Attack | Kind::SexualViolence | Kind::Abduction),
        };
        let what = match (rule, kind) {
            (Rule::Unknown(_), _) if !sub_event_type.is_empty() => Some(sub_event_type),
            (Rule::Unknown(_), _) => Some(event_type),
            _ => None,
        };
        // The row keeps its figure in the event, and its claim and summary are made when asked
        // for, wherever that makes them exactly as stored: a count that fits, a phrase that
        // loading leaves where it is, a kind whose words are known.
        let raw = count.as_ref().and_then(|n| n.raw.as_deref());
        let row = u32::try_from(fatalities).ok().and_then(|fatalities| {
            let raw_len = match raw {
                None => 0,
                Some(raw) if is_clean(notes) && !raw.is_empty() => u8::try_from(raw.len()).ok()?,
                Some(_) => return None,
            };
            Some(RowClaim {
                source: u32::try_from(source).ok()?,
                before: u32::try_from(staging.claims.len()).ok()?,
                seq: u32::try_from(staging.events.len()).ok()?,
                fatalities,
                raw_at: u32::try_from(raw_at).ok()?,
                raw_len,
                civilians,
                by: inline.map_or(NO_ACTOR, |a| a.0),
                against: inline.map_or(NO_ACTOR, |a| a.1),
                summary: what.is_none().then_some(if actor2.is_empty() {
                    RowSummary::OneSide
                } else {
                    RowSummary::TwoSides
                }),
            })
        });
        self.claims += 1;
        let (claims, casualties) = if row.is_some() {
            self.report.kept_in_rows += 1;
            (Vec::new(), Vec::new())
        } else {
            let claim_id = claim_id(&id);
            staging.claims.push(Staged {
                item: acled_claim(
                    claim_id.clone(),
                    staging.sources[source].item.id.clone(),
                    publisher.to_string(),
                    fatalities,
                    count,
                ),
                origin,
            });
            let casualties = if fatalities > 0 {
                vec![Casualties {
                    group: if civilians { "civilians" } else { "unknown" }.to_string(),
                    outcome: Outcome::Killed,
                    claims: vec![claim_id.clone()],
                    chosen: claim_id.clone(),
                }]
            } else {
                Vec::new()
            };
            (vec![claim_id], casualties)
        };

        let summary = if row.is_some_and(|r| r.summary.is_some()) {
            String::new()
        } else {
            let what = what.unwrap_or(match kind {
                Kind::OtherStrategic => "Strategic development",
                _ => kind.acled_sub_event_type(),
            });
            if actor2.is_empty() {
                format!("{what} in {name}: {actor1}")
            } else {
                format!("{what} in {name}: {actor1} vs {actor2}")
            }
        };
        // The row's notes go straight into the note store; most need no String of their own.
        let note = match (notes.is_empty(), coding, self.odd.note()) {
            (true, None, None) => None,
            (false, None, None) => Some(store_note(&mut staging.notes, notes)),
            (empty, coding, odd) => {
                let written = if empty {
                    coding
                } else {
                    Some(coding.map_or_else(|| notes.to_string(), |c| format!("{notes}\n{c}")))
                };
                add_note(written, odd).map(|text| store_note(&mut staging.notes, &text))
            }
        };
        self.odd.report(rp, self.input, &mut self.report);

        // Actors the row does not keep as positions are stored as ids, as before.
        let (by, against) = match by2 {
            Some(by2) if row.is_none_or(|r| r.by == NO_ACTOR) => (
                vec![staging.actors[by1].item.id.clone()],
                by2.map(|a| staging.actors[a].item.id.clone()).into_iter().collect(),
            ),
            _ => (by, against),
        };
        let mut event = Event {
            id,
            date: Day(date.now()),
            precision: DatePrecision::Day,
            end: None,
            status: EventStatus::Occurred,
            kind,
            place,
            geo_precision: Some(geo_precision),
            note,
            row,
            written: Written { by, against, summary, claims, casualties, ..Written::default() }.boxed(),
        };
        match date {
            DateValue::Known(day) => set_date(&mut event, day, time_precision),
            DateValue::Later(date) => self.pending.push(Pending {
                slot: staging.events.len(),
                date,
                time_precision,
                changed,
                date_at: rp.offset(c.date),
            }),
        }
        staging.events.push(Staged { item: event, origin });
        if !self.defer_ids {
            self.seen.insert(&staging.events, staging.events.len() - 1);
        }
    }

    /// The earlier row with the same id that this one repeats exactly, if any.
    fn identical(&self, id: &str, first_at: usize, record: &ByteRecord, rp: &RowProblems<'_>) -> Option<usize> {
        std::iter::once(first_at)
            .chain(self.reused.get(id).into_iter().flatten().copied())
            .find(|&at| rp.same_as(at, record, &self.cols.ignored))
    }

    fn finish(mut self, staging: &mut Staging) -> Result<ImportReport, Diagnostic> {
        self.report.warnings.extend(self.countries.note(self.input));
        let order = self.dates.order(self.input)?;
        for p in self.pending {
            let day = p.date.resolve(order);
            let event = &mut staging.events[p.slot].item;
            set_date(event, day, p.time_precision);
            self.odd.clear();
            self.odd.push(odd::AFTER_TIMESTAMP, self.cols.date, odd::after_timestamp("event_date", day, p.changed));
            self.odd.push(odd::AFTER_AS_OF, self.cols.date, odd::after_as_of("event_date", day, self.as_of));
            event.note = add_stored_note(&mut staging.notes, None, event.note, self.odd.note());
            self.odd.report_at(p.date_at, self.input, &mut self.report);
        }
        self.report.odd.sort_by_key(|(_, d)| (d.line, d.column));
        for (label, rows, first) in &self.kinds.unknown {
            if *rows > 0 {
                self.report.warnings.push(self.input.diagnostic(
                    *first,
                    format!(
                        "{} with ACLED type `{label}`, which sitdash does not know: imported as Strategic \
                         developments / Other",
                        plural(*rows as u64, "row", "rows")
                    ),
                ));
            }
        }
        std::mem::take(&mut self.seen).hand_on(staging);
        self.report.derived = self.reg.created + self.claims;
        Ok(self.report)
    }
}
