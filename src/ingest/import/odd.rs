//! Checks of what is odd but readable in another system's row: the source's own record, which
//! loads as the source gives it and is flagged on its event and in the load report (see
//! docs/FORMAT.md, "Other systems' files"). Each check is a small function the row mapping
//! calls; none of them refuses a row.
//!
//! - Coordinates that do not fit the row's country: outside every box of the country in
//!   data/country-extents.tsv (from Natural Earth, see data/make-extents.sh) by more than
//!   [`MARGIN`] degrees, with a hint when a flipped sign or swapped pair would fit.
//! - A date after the file's as-of: after the row's own `timestamp` (ACLED: when ACLED last
//!   changed the row), or after the as-of date of the load (today, or `check --as-of`); a
//!   day's grace for time zones.
//! - An id the source reuses for a row with other content: both load, the later under an id
//!   of its own.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate};

use super::{FastMap, ImportReport, RowProblems};
use crate::domain::notes::{Note, NoteStore};
use crate::domain::text::{clean_in_place, is_clean};
use crate::ingest::input::{Diagnostic, InputFile};

/// Kinds of oddity, as counted in the load report.
pub(crate) const COORDINATES: &str = "coordinates outside the country";
pub(crate) const AFTER_TIMESTAMP: &str = "date after the row's timestamp";
pub(crate) const AFTER_AS_OF: &str = "date after the as-of date";
pub(crate) const REUSED_ID: &str = "reused id";

/// One oddity of a row: its kind, the column it is in, and what is odd.
pub(crate) struct Oddity {
    pub kind: &'static str,
    pub col: usize,
    pub message: String,
}

/// The oddities of the row being read.
#[derive(Default)]
pub(crate) struct RowOddities(pub Vec<Oddity>);

impl RowOddities {
    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn push(&mut self, kind: &'static str, col: usize, message: Option<String>) {
        if let Some(message) = message {
            self.0.push(Oddity { kind, col, message });
        }
    }

    /// The event's note: one line per oddity.
    pub fn note(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let lines: Vec<String> =
            self.0.iter().map(|o| format!("sitdash: {}; kept as the source gives it.", o.message)).collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }

    /// Lists the oddities in the report, all at `offset` (a row's dates, settled after the pass).
    pub fn report_at(&mut self, offset: usize, input: &InputFile, report: &mut ImportReport) {
        for o in self.0.drain(..) {
            report.odd.push((o.kind, input.diagnostic(offset, format!("{}; kept as given", o.message))));
        }
    }

    /// Lists the oddities in the report, each at its column of the row `rp` is on.
    pub fn report(&mut self, rp: &RowProblems<'_>, input: &InputFile, report: &mut ImportReport) {
        for o in self.0.drain(..) {
            let at = input.diagnostic(rp.offset(o.col), format!("{}; kept as given", o.message));
            report.odd.push((o.kind, at));
        }
    }
}

/// Stores a row's note, cleaned of control characters as every string that can reach the
/// screen is.
pub(crate) fn store_note(notes: &mut NoteStore, text: &str) -> Note {
    if is_clean(text) {
        notes.push(text)
    } else {
        let mut text = text.to_string();
        clean_in_place(&mut text);
        notes.push(&text)
    }
}

/// The stored `note` (of `from`, or of `notes` when `from` is `None`), with `more` on a line
/// of its own after it, stored in `notes`; without `more`, the note itself is copied from
/// `from`, or kept.
pub(crate) fn add_stored_note(
    notes: &mut NoteStore,
    from: Option<&NoteStore>,
    note: Option<Note>,
    more: Option<String>,
) -> Option<Note> {
    match (note, more) {
        (None, None) => None,
        (Some(note), None) => Some(match from {
            Some(from) => notes.copy_from(from, note),
            None => note,
        }),
        (None, Some(more)) => Some(store_note(notes, &more)),
        (Some(note), Some(more)) => {
            let text = format!("{}\n{more}", from.unwrap_or(notes).text(note));
            Some(store_note(notes, &text))
        }
    }
}

/// `notes`, with `more` on a line of its own after them.
pub(crate) fn add_note(notes: Option<String>, more: Option<String>) -> Option<String> {
    match (notes, more) {
        (Some(notes), Some(more)) => Some(format!("{notes}\n{more}")),
        (notes, more) => notes.or(more),
    }
}

// ---------------------------------------------------------------------------------------------
// Coordinates and countries.

/// How far, in degrees (about 220 km at the equator), a point may lie beyond its country's
/// boxes: events at sea off the coast, on a border, or placed at a region's rough centre are
/// coded in the country, and the check is there to catch a flipped sign or a swapped pair,
/// which land much further off.
pub(crate) const MARGIN: f64 = 2.0;

const TABLE: &str = include_str!("../../../data/country-extents.tsv");

struct Extents {
    /// Each country's boxes: west, south, east, north.
    boxes: Vec<Vec<[f64; 4]>>,
    /// Folded names (see [`fold`]) and codes (ISO alpha-2, alpha-3, numeric without leading
    /// zeros) to the country.
    names: FastMap<String, usize>,
    codes: FastMap<String, usize>,
}

fn extents() -> &'static Extents {
    static EXTENTS: OnceLock<Extents> = OnceLock::new();
    EXTENTS.get_or_init(|| {
        let mut e = Extents { boxes: Vec::new(), names: FastMap::default(), codes: FastMap::default() };
        for line in TABLE.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [alpha3, alpha2, numeric, name, others, boxes] = fields[..] else { continue };
            let i = e.boxes.len();
            e.boxes.push(
                boxes
                    .split(';')
                    .filter_map(|b| {
                        let v: Vec<f64> = b.split(',').filter_map(|x| x.parse().ok()).collect();
                        <[f64; 4]>::try_from(v).ok()
                    })
                    .collect(),
            );
            for code in [alpha3, alpha2, numeric.trim_start_matches('0')].into_iter().filter(|c| *c != "-") {
                e.codes.insert(code.to_string(), i);
            }
            for name in std::iter::once(name).chain(others.split('|')).filter(|n| !n.is_empty()) {
                e.names.entry(fold(name)).or_insert(i);
            }
        }
        e
    })
}

/// A country's name as compared: lower case, accents dropped, `&` as `and`, the word `the`
/// and everything but letters and digits left out. "Côte d'Ivoire" and "Cote d'Ivoire" fold
/// alike, as do "Gambia, The" and "The Gambia".
pub(crate) fn fold(name: &str) -> String {
    let mut words: Vec<String> = vec![String::new()];
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if let Some(word) = words.last_mut() {
                word.push(c);
            }
        } else if c == '\'' || c == '’' {
            // "d'Ivoire" is one word.
        } else {
            if c == '&' {
                words.push("and".to_string());
            }
            words.push(String::new());
        }
    }
    words.into_iter().filter(|w| w != "the").collect()
}

/// The country a row names, by its name (or either part of UCDP's "Name (Former name)"), else
/// by its ISO code (numeric, alpha-3 or alpha-2) when the file has one.
fn country_of(name: &str, code: &str) -> Option<usize> {
    let e = extents();
    let by_name = |n: &str| e.names.get(&fold(n)).copied();
    let named = by_name(name).or_else(|| {
        let (before, after) = name.split_once('(')?;
        by_name(before).or_else(|| by_name(after.trim_end_matches(')')))
    });
    named.or_else(|| {
        let code = code.trim();
        let code = if code.bytes().all(|b| b.is_ascii_digit()) { code.trim_start_matches('0') } else { code };
        e.codes.get(code.to_ascii_uppercase().as_str()).copied()
    })
}

fn fits(boxes: &[[f64; 4]], lat: f64, lon: f64) -> bool {
    boxes.iter().any(|&[west, south, east, north]| {
        (west - MARGIN..=east + MARGIN).contains(&lon) && (south - MARGIN..=north + MARGIN).contains(&lat)
    })
}

/// Whether a point fits its country, and if not, the mistake that would make it fit.
enum Fit {
    Inside,
    Outside(Option<&'static str>),
}

fn fit(country: usize, lat: f64, lon: f64) -> Fit {
    let boxes = &extents().boxes[country];
    if fits(boxes, lat, lon) {
        return Fit::Inside;
    }
    let hint = if fits(boxes, lat, -lon) {
        Some("longitude sign flipped?")
    } else if fits(boxes, -lat, lon) {
        Some("latitude sign flipped?")
    } else if fits(boxes, -lat, -lon) {
        Some("both signs flipped?")
    } else if fits(boxes, lon, lat) {
        Some("latitude and longitude swapped?")
    } else {
        None
    };
    Fit::Outside(hint)
}

/// The coordinate check of one file: which countries its rows name (memoised, as a file
/// names few), and those sitdash has no extent for.
#[derive(Default)]
pub(crate) struct CountryCheck {
    /// The last row's country and code, and what they were found to be: rows come in runs.
    last: (String, String, Option<usize>),
    memo: FastMap<Box<[u8]>, Option<usize>>,
    key: Vec<u8>,
    /// Country names not in the table, with the offset of the first row naming each.
    unknown: Vec<(String, usize)>,
}

impl CountryCheck {
    /// What is odd about a point in the country the row names (`code`: its ISO code, or ""),
    /// or `None` when it fits, or when sitdash does not know the country.
    pub fn check(&mut self, country: &str, code: &str, (lat, lon): (f64, f64), offset: usize) -> Option<String> {
        if country.is_empty() && code.is_empty() {
            return None;
        }
        let found = if self.last.0 == country && self.last.1 == code {
            self.last.2
        } else {
            let found = self.find(country, code, offset);
            self.last = (country.to_string(), code.to_string(), found);
            found
        };
        let Fit::Outside(hint) = fit(found?, lat, lon) else { return None };
        let place = if country.is_empty() { code } else { country };
        Some(match hint {
            Some(hint) => format!("the coordinates ({lat}, {lon}) lie outside {place} ({hint})"),
            None => format!("the coordinates ({lat}, {lon}) lie outside {place}"),
        })
    }

    /// The country of a name and code, memoised; a name not found is kept for the note.
    fn find(&mut self, country: &str, code: &str, offset: usize) -> Option<usize> {
        self.key.clear();
        self.key.extend_from_slice(country.as_bytes());
        self.key.push(0x1f);
        self.key.extend_from_slice(code.as_bytes());
        if let Some(&found) = self.memo.get(self.key.as_slice()) {
            found
        } else {
            let found = country_of(country, code);
            self.memo.insert(self.key.as_slice().into(), found);
            if found.is_none() {
                self.unknown.push((if country.is_empty() { code } else { country }.to_string(), offset));
            }
            found
        }
    }

    /// Takes in what the later part of a file read in two found.
    pub fn merge(&mut self, later: CountryCheck) {
        for (name, offset) in later.unknown {
            if !self.unknown.iter().any(|u| u.0 == name) {
                self.unknown.push((name, offset));
            }
        }
    }

    /// One note for the whole file when some country it names has no extent.
    pub fn note(&self, input: &InputFile) -> Option<Diagnostic> {
        let (first, offset) = self.unknown.iter().min_by_key(|u| u.1)?;
        let message = match self.unknown.len() {
            1 => format!(
                "country `{first}` is not one sitdash knows the extent of, so the coordinates of its rows are not \
                 checked"
            ),
            n => format!(
                "{n} countries (`{first}` first) are not ones sitdash knows the extent of, so the coordinates of \
                 their rows are not checked"
            ),
        };
        Some(input.diagnostic(*offset, message))
    }
}

// ---------------------------------------------------------------------------------------------
// Dates.

/// Days from 1 January 1970 to 1 January of year 1, as chrono counts them.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// The UTC day of a Unix time in seconds (ACLED's `timestamp`), as days since 1970-01-01, or
/// `None` when the text is not one. Only a division: it is read on every row.
pub(crate) fn timestamp_days(text: &str) -> Option<i64> {
    // By hand rather than `parse_count`, which costs several times more on every row.
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 30 {
        return None;
    }
    let mut seconds: i64 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => seconds = seconds.checked_mul(10)?.checked_add(i64::from(b - b'0'))?,
            // `1636000000.0`, as pandas writes integer columns with gaps.
            b'.' if i > 0 && i + 1 < bytes.len() && bytes[i + 1..].iter().all(|&b| b == b'0') => break,
            _ => return None,
        }
    }
    Some(seconds.div_euclid(86_400))
}

fn days(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_FROM_CE
}

/// A day's grace: a date is local to the event, a timestamp or today's date is UTC.
fn past(date: NaiveDate, limit: i64) -> bool {
    days(date) > limit + 1
}

/// An event dated after the day its own row was last changed (it cannot have been recorded
/// before it happened).
pub(crate) fn after_timestamp(column: &str, date: NaiveDate, changed: Option<i64>) -> Option<String> {
    let changed = changed?;
    if !past(date, changed) {
        return None;
    }
    let changed = DateTime::from_timestamp(changed.saturating_mul(86_400), 0)?.date_naive();
    Some(format!("{column} {date} is after the row's timestamp, {changed}, when the source last changed the row"))
}

/// A UCDP window past the as-of date, said once: at its start (`T`: where it is) when the
/// whole window is past, else at its end.
pub(crate) fn window_after_as_of<T>(
    start: (NaiveDate, T),
    end: (NaiveDate, T),
    as_of: Option<NaiveDate>,
) -> Option<(T, String)> {
    match after_as_of("date_start", start.0, as_of) {
        Some(message) => Some((start.1, message)),
        None => after_as_of("date_end", end.0, as_of).map(|message| (end.1, message)),
    }
}

/// An event dated after the load's as-of date (today, unless `check --as-of` says).
pub(crate) fn after_as_of(column: &str, date: NaiveDate, as_of: Option<NaiveDate>) -> Option<String> {
    let as_of = as_of?;
    past(date, days(as_of)).then(|| format!("{column} {date} is after the as-of date, {as_of}"))
}

// ---------------------------------------------------------------------------------------------
// Reused ids.

/// An id of its own for the row that reuses `id`: `id#2`, or the next number not taken.
pub(crate) fn own_id(id: &str, taken: impl Fn(&str) -> bool) -> String {
    // A file has fewer rows than this, so one of these is free.
    (2..=u64::MAX).map(|n| format!("{id}#{n}")).find(|candidate| !taken(candidate)).unwrap_or_default()
}

/// What is odd about a row that reuses the id of the row at `line`.
pub(crate) fn reused(what: &str, id: &str, line: usize, own: &str) -> String {
    format!("{what} `{id}` is already used by the row at line {line}, whose content differs; loaded as `{own}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(country: &str, code: &str, lat: f64, lon: f64) -> Option<String> {
        CountryCheck::default().check(country, code, (lat, lon), 0)
    }

    #[test]
    fn names_fold_and_aliases_match() {
        assert_eq!(fold("Côte d'Ivoire"), "cotedivoire");
        assert_eq!(fold("Gambia, The"), fold("The Gambia"));
        assert_eq!(fold("Bosnia & Herzegovina"), fold("Bosnia and Herzegovina"));
        for (name, same_as) in [
            ("Democratic Republic of Congo", "Dem. Rep. Congo"),
            ("DR Congo (Zaire)", "Democratic Republic of the Congo"),
            ("Ivory Coast", "Côte d'Ivoire"),
            ("Palestine", "State of Palestine"),
            ("Congo", "Republic of Congo"),
            ("Russia (Soviet Union)", "Russian Federation"),
            ("Yemen (North Yemen)", "Yemen"),
            ("eSwatini", "Swaziland"),
        ] {
            assert!(country_of(name, "").is_some(), "{name}");
            assert_eq!(country_of(name, ""), country_of(same_as, ""), "{name} / {same_as}");
        }
        assert_ne!(country_of("Congo", ""), country_of("DR Congo", ""));
        assert_eq!(country_of("", "404"), country_of("Kenya", ""));
        assert_eq!(country_of("Kenia", "KEN"), country_of("Kenya", ""));
        assert_eq!(country_of("Narnia", ""), None);
    }

    #[test]
    fn points_outside_their_country_are_odd_with_a_hint() {
        // Nairobi, and Nairobi with its longitude's sign flipped.
        assert_eq!(point("Kenya", "", -1.2833, 36.8167), None);
        assert_eq!(
            point("Kenya", "", -1.2833, -36.8167).as_deref(),
            Some("the coordinates (-1.2833, -36.8167) lie outside Kenya (longitude sign flipped?)")
        );
        assert!(point("Syria", "", -36.2, 37.15).is_some_and(|m| m.ends_with("(latitude sign flipped?)")));
        assert!(point("Syria", "", 37.15, 36.2).is_none(), "inside both ways round");
        assert!(point("Mali", "", -4.0, 17.5).is_some_and(|m| m.ends_with("(latitude and longitude swapped?)")));
        assert!(point("Kenya", "", 48.85, 2.35).is_some_and(|m| !m.contains('?')));
        // The margin: just off the coast is still the country; far out at sea is not.
        assert_eq!(point("Somalia", "", 2.0, 46.5), None);
        assert!(point("Somalia", "", 2.0, 56.0).is_some());
        // Both sides of the antimeridian.
        assert_eq!(point("Fiji", "", -17.8, 178.0), None);
        assert_eq!(point("Fiji", "", -16.5, -179.9), None);
        assert_eq!(point("Russia", "", 65.0, -175.0), None);
        // Unknown countries are not checked.
        assert_eq!(point("Korvath", "", 0.0, 0.0), None);
    }

    #[test]
    fn unknown_countries_make_one_note() {
        let input = InputFile::new("a.csv", "h\nx\ny\nz\n".to_string());
        let mut check = CountryCheck::default();
        assert!(check.note(&input).is_none());
        check.check("Korvath", "", (1.0, 1.0), 2);
        check.check("Korvath", "", (1.0, 1.0), 4);
        let note = check.note(&input).expect("a note");
        assert_eq!(
            note.to_string(),
            "a.csv:2:1: country `Korvath` is not one sitdash knows the extent of, so the coordinates of its rows are not checked"
        );
        check.check("Vellandia", "", (1.0, 1.0), 6);
        assert!(check.note(&input).expect("a note").message.starts_with("2 countries (`Korvath` first)"));
    }

    #[test]
    fn dates_after_the_timestamp_or_as_of_are_odd_with_a_day_of_grace() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        // 1700000000 is 2023-11-14 22:13:20 UTC.
        let changed = timestamp_days("1700000000");
        assert_eq!(changed, Some(days(day("2023-11-14"))));
        assert_eq!(timestamp_days("0"), Some(0));
        assert_eq!(timestamp_days("1700000000.0"), changed);
        for not_one in ["", "1.5", ".0", "1.", "-86400", "99999999999999999999"] {
            assert_eq!(timestamp_days(not_one), None, "{not_one}");
        }
        assert_eq!(timestamp_days("soon"), None);
        assert_eq!(after_timestamp("event_date", day("2023-11-15"), changed), None);
        assert_eq!(
            after_timestamp("event_date", day("2023-11-16"), changed).as_deref(),
            Some(
                "event_date 2023-11-16 is after the row's timestamp, 2023-11-14, when the source last changed the row"
            )
        );
        assert_eq!(after_timestamp("event_date", day("2030-01-01"), None), None);
        assert_eq!(after_as_of("date_end", day("2024-03-02"), Some(day("2024-03-01"))), None);
        assert!(after_as_of("date_end", day("2024-03-03"), Some(day("2024-03-01"))).is_some());
        assert_eq!(after_as_of("date_end", day("2099-01-01"), None), None);
    }

    #[test]
    fn a_reused_id_gets_one_of_its_own() {
        assert_eq!(own_id("VLD7", |_| false), "VLD7#2");
        assert_eq!(own_id("VLD7", |id| id == "VLD7#2"), "VLD7#3");
    }
}
