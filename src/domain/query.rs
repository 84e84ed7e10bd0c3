//! The filter query language, one parser for the dashboard and the command line.
//!
//! Free words match notes, summaries, places (every alternative name, any script, folded for
//! case and diacritics), actors and kinds. Fields: `kind:` `actor:` `place:` `near:PLACE:KM`
//! `source:` `status:` `since:` `until:` `killed>N` `displaced>N` `post:`. `-term` negates,
//! quotes group words, terms AND together, `or` between two terms makes either do.

use std::fmt;

use crate::domain::figures::{TimeWindow, post_state};
pub use crate::domain::index::SearchIndex;
use crate::domain::index::{Bits, READ_CLAIM, ROW_CLAIM, UCDP_ROW_CLAIM};
use crate::domain::model::{Day, EventStatus, Kind, Situation};
use crate::domain::notes::NoteStore;
use crate::domain::text::{fold, nearest};

/// A query that could not be read: where (1-based column, in characters) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Greater,
    AtLeast,
    Less,
    AtMost,
    Equal,
}

impl Cmp {
    fn holds(self, value: u64, bound: u64) -> bool {
        match self {
            Cmp::Greater => value > bound,
            Cmp::AtLeast => value >= bound,
            Cmp::Less => value < bound,
            Cmp::AtMost => value <= bound,
            Cmp::Equal => value == bound,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    Word(String),
    Kind(Vec<Kind>),
    Actor(String),
    Place(String),
    Near {
        lat: f64,
        lon: f64,
        km: f64,
    },
    Source(String),
    Status(EventStatus),
    Since(Day),
    Until(Day),
    Killed(Cmp, u64),
    Displaced(Cmp, u64),
    Post(String),
    /// A comma list in one field: any of them.
    Any(Vec<Test>),
}

#[derive(Debug, Clone, PartialEq)]
struct Term {
    negated: bool,
    test: Test,
}

/// A parsed query: AND of groups, each group an OR of terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    pub text: String,
    groups: Vec<Vec<Term>>,
}

/// What a parse needs from the situation: names to resolve, and "today" for `-7d`.
pub struct QueryContext<'a> {
    pub sit: &'a Situation,
    /// The date `-7d` counts back from (the situation's as-of date).
    pub today: Option<Day>,
}

const FIELDS: &[&str] =
    &["kind", "actor", "place", "near", "source", "status", "since", "until", "post", "killed", "displaced"];

struct Token {
    text: String,
    column: usize,
    quoted: bool,
    negated: bool,
}

fn tokenize(input: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let column = i + 1;
        let mut negated = false;
        if chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            negated = true;
            i += 1;
        } else if chars[i] == '-' {
            return Err(QueryError {
                column,
                message: "a lone `-` negates nothing; write -word or -field:value".into(),
            });
        }
        let mut text = String::new();
        let mut quoted = false;
        while i < chars.len() && !chars[i].is_whitespace() {
            if chars[i] == '"' {
                quoted = true;
                let open = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    text.push(chars[i]);
                    i += 1;
                }
                if i == chars.len() {
                    return Err(QueryError {
                        column: open + 1,
                        message: "this quote is never closed; add a closing \"".into(),
                    });
                }
                i += 1;
            } else {
                text.push(chars[i]);
                i += 1;
            }
        }
        tokens.push(Token { text, column, quoted, negated });
    }
    Ok(tokens)
}

/// Which end of a period a date term takes: `since:2021` starts on 1 January, `until:2021`
/// runs to 31 December.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    First,
    Last,
}

const DATE_FORMS: &str = "write YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Q1, or -7d, -2w, -3m, -1y";

/// A date as people type it: a day, a month, a year, a quarter, or a span back from `today`.
fn parse_date(value: &str, today: Option<Day>, column: usize, end: End) -> Result<Day, QueryError> {
    let err = |message: String| QueryError { column, message };
    if let Some(rest) = value.strip_prefix('-') {
        let today = today.ok_or_else(|| err("relative dates need an as-of date in the data".into()))?;
        let (number, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
        let n: u32 =
            number.parse().map_err(|_| err(format!("`{value}` is not a relative date; write -7d, -2w, -3m or -1y")))?;
        let back = match unit {
            "d" | "" => today.checked_add_days(-i64::from(n)),
            "w" => today.checked_add_days(-i64::from(n) * 7),
            "m" => today.0.checked_sub_months(chrono::Months::new(n)).map(Day),
            "y" => n.checked_mul(12).and_then(|m| today.0.checked_sub_months(chrono::Months::new(m))).map(Day),
            _ => return Err(err(format!("`{unit}` is not a unit; use d (days), w (weeks), m (months) or y (years)"))),
        };
        return back.ok_or_else(|| err(format!("`{value}` reaches outside the calendar; use a smaller number")));
    }
    let bad = || err(format!("`{value}` is not a date; {DATE_FORMS}"));
    let (first, last) = period(value).ok_or_else(bad)?;
    Ok(match end {
        End::First => first,
        End::Last => last,
    })
}

/// A date given on the command line as its period's first day (`--since 2021`).
///
/// # Errors
/// What is wrong, and the forms to write.
pub fn first_day_of(value: &str) -> Result<Day, String> {
    period(value)
        .map(|p| p.0)
        .ok_or_else(|| format!("`{value}` is not a date; write YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Q1"))
}

/// A date given on the command line as its period's last day (`--as-of 2020`).
///
/// # Errors
/// What is wrong, and the forms to write.
pub fn last_day_of(value: &str) -> Result<Day, String> {
    period(value)
        .map(|p| p.1)
        .ok_or_else(|| format!("`{value}` is not a date; write YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Q1"))
}

/// The first and last day of the period a date names: a day (both the same), `YYYY-MM`,
/// `YYYY`, or a quarter `YYYY-Q1`..`YYYY-Q4`.
fn period(value: &str) -> Option<(Day, Day)> {
    let month_span = |year: i32, month: u32, months: u32| {
        let first = chrono::NaiveDate::from_ymd_opt(year, month, 1)?;
        let last = first.checked_add_months(chrono::Months::new(months))?.pred_opt()?;
        Some((Day(first), Day(last)))
    };
    let year = |text: &str| (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?;
    if let Ok(day) = Day::parse(value)
        && value.len() == 10
    {
        return Some((day, day));
    }
    if let Some(y) = year(value) {
        return month_span(y, 1, 12);
    }
    let (y, rest) = value.split_once('-')?;
    let y = year(y)?;
    if let Some(q) = rest.strip_prefix(['Q', 'q']) {
        let q: u32 = (q.len() == 1).then(|| q.parse().ok())?.filter(|q| (1..=4).contains(q))?;
        return month_span(y, 3 * q - 2, 3);
    }
    let month: u32 = (rest.len() == 2).then(|| rest.parse().ok())??;
    month_span(y, month, 1)
}

fn parse_number(value: &str, column: usize) -> Result<u64, QueryError> {
    value
        .replace(',', "")
        .parse()
        .map_err(|_| QueryError { column, message: format!("`{value}` is not a whole number") })
}

impl Query {
    /// Parses a query against a situation.
    ///
    /// # Errors
    /// The first problem, with its column.
    pub fn parse(input: &str, ctx: &QueryContext<'_>) -> Result<Query, QueryError> {
        let tokens = tokenize(input)?;
        let mut groups: Vec<Vec<Term>> = Vec::new();
        let mut join_next = false;
        let count = tokens.len();
        for (n, token) in tokens.into_iter().enumerate() {
            if !token.quoted && !token.negated && token.text.eq_ignore_ascii_case("or") {
                if groups.is_empty() || join_next {
                    return Err(QueryError { column: token.column, message: "`or` needs a term before it".into() });
                }
                if n + 1 == count {
                    return Err(QueryError { column: token.column, message: "`or` needs a term after it".into() });
                }
                join_next = true;
                continue;
            }
            let term = Self::term(&token, ctx)?;
            if join_next {
                if let Some(last) = groups.last_mut() {
                    last.push(term);
                }
                join_next = false;
            } else {
                groups.push(vec![term]);
            }
        }
        let query = Query { text: input.to_string(), groups };
        if let (Some(since), Some(until)) = (query.since(), query.until())
            && since > until
        {
            return Err(QueryError {
                column: 1,
                message: format!("since {since} is after until {until}; nothing can match"),
            });
        }
        Ok(query)
    }

    fn term(token: &Token, ctx: &QueryContext<'_>) -> Result<Term, QueryError> {
        let text = token.text.as_str();
        let col = token.column + usize::from(token.negated);
        let test = if token.quoted && !text.contains(':') {
            if text.trim().is_empty() {
                return Err(QueryError { column: col, message: "empty quotes match nothing; put words inside".into() });
            }
            Test::Word(fold(text))
        } else if let Some((field, op, value)) = split_comparison(text) {
            let vcol = col + field.chars().count() + op.len();
            let cmp = match op {
                ">" => Cmp::Greater,
                ">=" => Cmp::AtLeast,
                "<" => Cmp::Less,
                "<=" => Cmp::AtMost,
                _ => Cmp::Equal,
            };
            let n = parse_number(value, vcol)?;
            match field {
                "killed" => Test::Killed(cmp, n),
                "displaced" => Test::Displaced(cmp, n),
                other => return Err(unknown_field(other, col)),
            }
        } else if let Some((field, value)) = text.split_once(':') {
            let vcol = col + field.chars().count() + 1;
            let field = field.to_ascii_lowercase();
            if value.is_empty() {
                if !FIELDS.contains(&field.as_str()) {
                    return Err(unknown_field(&field, col));
                }
                return Err(QueryError {
                    column: vcol,
                    message: format!("`{field}:` needs a value, e.g. {}", example(&field)),
                });
            }
            if value.contains(',') && matches!(field.as_str(), "kind" | "actor" | "place" | "source" | "status") {
                let mut tests = Vec::new();
                let mut at = vcol;
                for part in value.split(',') {
                    if part.is_empty() {
                        return Err(QueryError {
                            column: at,
                            message: "an empty value in a comma list; remove the extra comma".into(),
                        });
                    }
                    let sub = Token {
                        text: format!("{field}:{part}"),
                        column: at - field.chars().count() - 1,
                        quoted: false,
                        negated: false,
                    };
                    tests.push(Self::term(&sub, ctx)?.test);
                    at += part.chars().count() + 1;
                }
                return Ok(Term { negated: token.negated, test: Test::Any(tests) });
            }
            match field.as_str() {
                "kind" => Test::Kind(resolve_kinds(value, vcol)?),
                "actor" => Test::Actor(fold(value)),
                "place" => Test::Place(fold(value)),
                "near" => resolve_near(value, ctx.sit, vcol)?,
                "source" => Test::Source(fold(value)),
                "status" => Test::Status(match value.to_ascii_lowercase().as_str() {
                    "occurred" => EventStatus::Occurred,
                    "announced" => EventStatus::Announced,
                    "planned" => EventStatus::Planned,
                    other => {
                        return Err(QueryError {
                            column: vcol,
                            message: format!("status `{other}` is not known; use occurred, announced or planned"),
                        });
                    }
                }),
                "since" => Test::Since(parse_date(value, ctx.today, vcol, End::First)?),
                "until" => Test::Until(parse_date(value, ctx.today, vcol, End::Last)?),
                "post" => Test::Post(fold(value)),
                "killed" | "displaced" => {
                    return Err(QueryError {
                        column: vcol - 1,
                        message: format!("write {field}>N, {field}<N or {field}=N"),
                    });
                }
                other => return Err(unknown_field(other, col)),
            }
        } else {
            Test::Word(fold(text))
        };
        Ok(Term { negated: token.negated, test })
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The latest `since:` that every match must satisfy, for the counters' window.
    #[must_use]
    pub fn since(&self) -> Option<Day> {
        self.required(|t| if let Test::Since(d) = t { Some(*d) } else { None }).max()
    }

    /// The earliest `until:` that every match must satisfy.
    #[must_use]
    pub fn until(&self) -> Option<Day> {
        self.required(|t| if let Test::Until(d) = t { Some(*d) } else { None }).min()
    }

    fn required<'a, T>(&'a self, pick: impl Fn(&Test) -> Option<T> + 'a) -> impl Iterator<Item = T> + 'a {
        self.groups.iter().filter(|g| g.len() == 1 && !g[0].negated).filter_map(move |g| pick(&g[0].test))
    }

    /// The window the counters should use, narrowed by `since:`/`until:`.
    #[must_use]
    pub fn window(&self, as_of: Option<Day>) -> TimeWindow {
        let to = match (as_of, self.until()) {
            (Some(a), Some(u)) => Some(a.min(u)),
            (a, u) => a.or(u),
        };
        TimeWindow { from: self.since(), to }
    }

    /// True when the query has `post:` terms; then the posts pane lists only matching posts.
    #[must_use]
    pub fn has_post_terms(&self) -> bool {
        self.groups.iter().flatten().any(|t| matches!(t.test, Test::Post(_)) && !t.negated)
    }

    /// True when some term looks at posts or at claims' sources (`post:`, `source:`, negated
    /// or not): what it selects can change when posts and claims are added after loading.
    #[must_use]
    pub fn looks_at_posts_or_sources(&self) -> bool {
        self.groups.iter().flatten().any(|t| matches!(t.test, Test::Post(_) | Test::Source(_)))
    }

    /// `displaced>N` terms that limit which displacement series are shown.
    #[must_use]
    /// A series is shown when its value passes `displaced>N` terms and its area passes
    /// `place:` terms (a series is about an area, so other terms do not apply to it).
    pub fn series_shown(&self, index: &SearchIndex, sit: &Situation, area: &str, best: u64) -> bool {
        let area_text = sit.index.places.get(area).and_then(|&i| index.place_text.get(i));
        let place_ok = |word: &str| area_text.is_some_and(|t| t.contains(word));
        self.groups.iter().all(|group| {
            let relevant: Vec<bool> = group
                .iter()
                .filter_map(|t| {
                    let holds = match &t.test {
                        Test::Displaced(cmp, n) => cmp.holds(best, *n),
                        Test::Place(word) => place_ok(word),
                        Test::Any(tests) if tests.iter().all(|x| matches!(x, Test::Place(_))) => {
                            tests.iter().any(|x| matches!(x, Test::Place(w) if place_ok(w)))
                        }
                        _ => return None,
                    };
                    Some(holds != t.negated)
                })
                .collect();
            // A group that mixes in other terms could be satisfied by those; keep the series.
            relevant.is_empty() || relevant.len() < group.len() || relevant.iter().any(|&b| b)
        })
    }

    /// True when the post matches every `post:` term (as of `as_of`).
    #[must_use]
    pub fn post_matches(&self, sit: &Situation, post: usize, as_of: Option<Day>) -> bool {
        self.groups.iter().all(|g| {
            let post_terms: Vec<&Term> = g.iter().filter(|t| matches!(t.test, Test::Post(_))).collect();
            post_terms.is_empty() || post_terms.iter().any(|t| post_test(sit, post, t, as_of) != t.negated)
        })
    }
}

fn split_comparison(text: &str) -> Option<(&str, &'static str, &str)> {
    for op in [">=", "<=", ">", "<", "="] {
        if let Some((field, value)) = text.split_once(op)
            && !field.is_empty()
            && !field.contains(':')
            && field.chars().all(|c| c.is_ascii_alphabetic())
        {
            return Some((field, op, value));
        }
    }
    None
}

fn unknown_field(field: &str, column: usize) -> QueryError {
    let message = match nearest(field, FIELDS.iter().copied()) {
        Some(near) => format!("unknown field `{field}`: did you mean `{near}`?"),
        None => format!("unknown field `{field}`; fields are {}", FIELDS.join(", ")),
    };
    QueryError { column, message }
}

fn example(field: &str) -> &'static str {
    match field {
        "kind" => "kind:air_drone_strike",
        "actor" => "actor:russian",
        "place" => "place:saraqeb",
        "near" => "near:saraqeb:20",
        "source" => "source:sohr",
        "status" => "status:announced",
        "since" => "since:2020-02-05",
        "until" => "until:2020-02-07",
        "post" => "post:encircled",
        _ => "a value",
    }
}

fn resolve_kinds(value: &str, column: usize) -> Result<Vec<Kind>, QueryError> {
    let wanted = fold(value).replace(['_', '/', '-'], " ");
    let kinds: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|k| {
            let names = [
                k.id().replace('_', " "),
                fold(k.acled_event_type()).replace(['/', '-'], " "),
                fold(k.acled_sub_event_type()).replace(['/', '-'], " "),
                fold(k.tag()),
            ];
            names.iter().any(|n| n.contains(&wanted))
        })
        .collect();
    if kinds.is_empty() {
        let ids = Kind::ALL.iter().map(|k| k.id());
        let message = match nearest(&value.to_ascii_lowercase(), ids) {
            Some(near) => format!("no kind matches `{value}`: did you mean `{near}`?"),
            None => format!("no kind matches `{value}`; try an ACLED type such as battles or shelling"),
        };
        return Err(QueryError { column, message });
    }
    Ok(kinds)
}

fn resolve_near(value: &str, sit: &Situation, column: usize) -> Result<Test, QueryError> {
    let (name, km) = match value.rsplit_once(':') {
        Some((name, km)) => {
            let km_text = km.trim_end_matches("km");
            let km: f64 = km_text.parse().map_err(|_| QueryError {
                column: column + name.chars().count() + 1,
                message: format!("`{km}` is not a radius; write near:PLACE:KM, e.g. near:saraqeb:20"),
            })?;
            if !(km.is_finite() && km > 0.0) {
                return Err(QueryError {
                    column: column + name.chars().count() + 1,
                    message: "the radius must be above 0 km".into(),
                });
            }
            (name, km)
        }
        None => (value, 25.0),
    };
    let wanted = fold(name);
    let place = sit
        .places
        .iter()
        .filter(|p| p.lat.is_some() && p.lon.is_some())
        .find(|p| fold(&p.name) == wanted || p.id == name || p.alt_names.iter().any(|a| fold(a) == wanted));
    let place = place.or_else(|| {
        sit.places
            .iter()
            .filter(|p| p.lat.is_some())
            .find(|p| fold(&p.name).contains(&wanted) || p.alt_names.iter().any(|a| fold(a).contains(&wanted)))
    });
    match place {
        Some(p) => Ok(Test::Near { lat: p.lat.unwrap_or_default(), lon: p.lon.unwrap_or_default(), km }),
        None => Err(QueryError { column, message: format!("no place with coordinates is called `{name}`") }),
    }
}

/// Great-circle distance in kilometres.
#[must_use]
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

/// Events whose place passes a per-place test (decided once per place, not per event).
fn by_place(index: &SearchIndex, place_ok: &[bool]) -> Bits {
    Bits::from_fn(index.len(), |i| place_ok.get(index.place[i] as usize).copied().unwrap_or(false))
}

fn any_in(list: &[u32], ok: &[bool]) -> bool {
    list.iter().any(|&x| ok.get(x as usize).copied().unwrap_or(false))
}

/// Which of the folded names hold `word`.
fn names_holding(names: &[String], word: &str) -> Vec<bool> {
    names.iter().map(|t| t.contains(word)).collect()
}

/// The events with an actor among `ok`; with `among`, only those events are looked at (the
/// caller knows that no other event has one).
fn actor_bits(index: &SearchIndex, ok: &[bool], among: Option<&Bits>) -> Bits {
    match among {
        Some(among) => Bits::from_fn(index.len(), |i| among.get(i) && any_in(index.actors.get(i), ok)),
        None => Bits::from_fn(index.len(), |i| any_in(index.actors.get(i), ok)),
    }
}

/// The events at a place among `ok` (`among` as in [`actor_bits`]).
fn place_bits(index: &SearchIndex, ok: &[bool], among: Option<&Bits>) -> Bits {
    match among {
        Some(among) => {
            Bits::from_fn(index.len(), |i| among.get(i) && ok.get(index.place[i] as usize).copied().unwrap_or(false))
        }
        None => by_place(index, ok),
    }
}

/// The events that pass one test, as bits. Each test is decided once per place, actor,
/// claim or post, then spread over the events. With a cache, free words and the tests that
/// read the index alone (kind, actor, place, status, dates, killed) are kept for the next
/// keystroke, which mostly edits one term and leaves the others as they were.
fn term_bits(
    index: &SearchIndex,
    sit: &Situation,
    test: &Test,
    as_of: Option<Day>,
    cache: Option<&mut WordCache>,
) -> Bits {
    match (test, cache) {
        (Test::Word(word), Some(cache)) => cache.word_bits(index, &sit.note_store, word),
        (Test::Actor(word), Some(cache)) => {
            cache.named_bits(index, Names::Actors, names_holding(&index.actor_text, word), |ok, among| {
                actor_bits(index, ok, among)
            })
        }
        (Test::Place(word), Some(cache)) => {
            cache.named_bits(index, Names::Places, names_holding(&index.place_text, word), |ok, among| {
                place_bits(index, ok, among)
            })
        }
        (Test::Kind(_) | Test::Status(_) | Test::Since(_) | Test::Until(_) | Test::Killed(..), Some(cache)) => {
            cache.field_bits(index, format!("{test:?}"), || field_bits(index, sit, test, as_of, None))
        }
        (test, cache) => field_bits(index, sit, test, as_of, cache),
    }
}

/// [`term_bits`], worked out.
fn field_bits(
    index: &SearchIndex,
    sit: &Situation,
    test: &Test,
    as_of: Option<Day>,
    mut cache: Option<&mut WordCache>,
) -> Bits {
    let n = index.len();
    match test {
        Test::Word(word) => word_bits(index, &sit.note_store, word, None),
        Test::Kind(kinds) => {
            let mut ok = [false; Kind::ALL.len()];
            for &k in kinds {
                if let Some(named) = ok.get_mut(k as usize) {
                    *named = true;
                }
            }
            Bits::from_fn(n, |i| ok.get(index.kind[i] as usize).copied().unwrap_or(false))
        }
        Test::Actor(word) => actor_bits(index, &names_holding(&index.actor_text, word), None),
        Test::Place(word) => place_bits(index, &names_holding(&index.place_text, word), None),
        Test::Near { lat, lon, km } => {
            let ok: Vec<bool> = sit
                .places
                .iter()
                .map(|p| match (p.lat, p.lon) {
                    (Some(a), Some(b)) => distance_km(*lat, *lon, a, b) <= *km,
                    _ => false,
                })
                .collect();
            by_place(index, &ok)
        }
        Test::Source(word) => {
            let source_ok: Vec<bool> = index.source_text.iter().map(|t| t.contains(word.as_str())).collect();
            let attr_ok: Vec<bool> = index.attr_text.iter().map(|t| t.contains(word.as_str())).collect();
            // A claim read from notes is attributed to "notes of event {id}": folded for each
            // event that has one.
            let read_ok = |i: usize| {
                sit.events.get(i).is_some_and(|e| fold(&format!("notes of event {}", e.id)).contains(word.as_str()))
            };
            let claim_ok = |c: u32| {
                if c & ROW_CLAIM != 0 {
                    // A claim an imported row makes: attributed to its source's publisher, or
                    // (a UCDP row's) to UCDP GED.
                    let source = (c & !(ROW_CLAIM | UCDP_ROW_CLAIM)) as usize;
                    let attr = if c & UCDP_ROW_CLAIM != 0 {
                        Some(index.ucdp_attr)
                    } else {
                        index.source_attr.get(source).copied()
                    };
                    return source_ok.get(source).copied().unwrap_or(false)
                        || attr.is_some_and(|a| attr_ok.get(a as usize).copied().unwrap_or(false));
                }
                let c = c as usize;
                attr_ok[index.claim_attr[c] as usize]
                    || source_ok.get(index.claim_source[c] as usize).copied().unwrap_or(false)
            };
            Bits::from_fn(n, |i| {
                let claims = index.claims.get(i);
                claims.iter().any(|&c| c & READ_CLAIM == 0 && claim_ok(c))
                    || claims.iter().find(|&&c| c & READ_CLAIM != 0).is_some_and(|&c| {
                        source_ok.get((c & !READ_CLAIM) as usize).copied().unwrap_or(false) || read_ok(i)
                    })
            })
        }
        Test::Status(status) => Bits::from_fn(n, |i| index.status[i] == *status),
        Test::Since(day) => {
            let d = crate::domain::index::day_number(*day);
            Bits::from_fn(n, |i| index.end[i] >= d)
        }
        Test::Until(day) => {
            let d = crate::domain::index::day_number(*day);
            Bits::from_fn(n, |i| index.start[i] <= d)
        }
        Test::Killed(cmp, bound) => Bits::from_fn(n, |i| cmp.holds(index.killed[i], *bound)),
        Test::Displaced(cmp, bound) => {
            let areas: Vec<&str> = sit
                .displacement
                .iter()
                .filter(|s| {
                    // The value as of the date shown, as the counters use it.
                    let latest = s.values.iter().rev().find(|v| as_of.is_none_or(|d| v.as_of <= d));
                    cmp.holds(latest.and_then(|v| sit.chosen_count(&v.chosen)).map_or(0, |c| c.best), *bound)
                })
                .map(|s| s.area.as_str())
                .collect();
            let ok: Vec<bool> = sit.places.iter().map(|p| areas.iter().any(|a| sit.place_within(&p.id, a))).collect();
            by_place(index, &ok)
        }
        Test::Post(word) => {
            let ok: Vec<bool> = (0..sit.posts.len()).map(|p| post_word_matches(sit, p, word, as_of)).collect();
            Bits::from_fn(n, |i| any_in(index.posts.get(i), &ok))
        }
        Test::Any(tests) => {
            let mut bits = Bits::zeros(n);
            for t in tests {
                bits.or(&term_bits(index, sit, t, as_of, cache.as_deref_mut()));
            }
            bits
        }
    }
}

/// The events a free word finds: in their text, or at a place, with an actor or of a kind
/// whose names hold it. With `among`, only those events' text is read: the caller knows that
/// no other event can hold the word.
fn word_bits(index: &SearchIndex, notes: &NoteStore, word: &str, among: Option<&Bits>) -> Bits {
    let n = index.len();
    let place_ok: Vec<bool> = index.place_text.iter().map(|t| t.contains(word)).collect();
    let actor_ok: Vec<bool> = index.actor_text.iter().map(|t| t.contains(word)).collect();
    let kind_ok: Vec<Kind> = index.kind_text.iter().filter(|(_, t)| t.contains(word)).map(|(k, _)| *k).collect();
    // Events at a place, with an actor or of a kind whose names hold the word, and those
    // whose summary made from their row holds it (its parts are those names).
    let mut bits = index.name_hits(word, &place_ok, &actor_ok, &kind_ok);
    // The text is read only for the events not found already by their place, actors or kind
    // (and, with `among`, only for those among it): the same events, less text to read.
    let mut unread = bits.clone();
    unread.not();
    if let Some(among) = among {
        unread.and(among);
    }
    // A letter alone is told by the events' letters. Otherwise the text is read: the unread
    // events' own, or all of it in one pass when nearly every event is unread.
    if let Some(letter) = index.letter_hits(word, &unread) {
        bits.or(&letter);
        return bits;
    }
    let count = unread.count();
    let text = if count == 0 {
        Bits::zeros(n)
    } else if count * 8 < n * 7 {
        index.text_hits_among(notes, word, &unread)
    } else {
        index.text_hits(notes, word)
    };
    bits.or(&text);
    bits
}

/// The events the free words of recent queries found, kept between keystrokes: a word typed
/// again (after a backspace, or in the next query) is not searched again, and a word that
/// extends a kept one ("shel" after "she") is searched for only among the events that one
/// found, since no other event can hold it. Results are the same as without the cache; it
/// empties itself when it meets another index.
#[derive(Debug, Default)]
pub struct WordCache {
    owner: [usize; 6],
    /// Most recently used last.
    entries: Vec<(String, Bits)>,
    /// The same for the tests that read the index alone, by how they print.
    fields: Vec<(String, Bits)>,
    /// The actor and place tests', by the names they hold: typing on in "actor:mili" mostly
    /// names the same actors, and then the events are the same (a test over millions of
    /// events' actor lists is not made again); a test that holds fewer names is made only
    /// among the events of one that holds them all.
    named: Vec<((Names, Vec<bool>), Bits)>,
}

/// The kept events of the entry whose key is `found` in a list kept most recently used
/// last, moved to the end.
fn recall<K>(list: &mut Vec<(K, Bits)>, found: impl Fn(&K) -> bool) -> Option<Bits> {
    let at = list.iter().position(|(k, _)| found(k))?;
    let entry = list.remove(at);
    let bits = entry.1.clone();
    list.push(entry);
    Some(bits)
}

/// Keeps `bits` by `key` at the end of such a list, dropping the least recently used entry
/// when it holds `room` already.
fn keep<K>(list: &mut Vec<(K, Bits)>, key: K, bits: &Bits, room: usize) {
    if list.len() >= room {
        list.remove(0);
    }
    list.push((key, bits.clone()));
}

/// Which names a test held by [`WordCache::named_bits`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    Actors,
    Places,
}

/// How many field tests' results the cache keeps.
const FIELDS_KEPT: usize = 8;

/// The memory the cache may hold, in bytes of bit sets.
const WORD_CACHE_BYTES: usize = 32 << 20;

impl WordCache {
    /// Forgets every result (the index they came from is gone).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.fields.clear();
        self.named.clear();
    }

    /// The events of a test that holds the names `ok` of `names`, kept by those names, or
    /// made by `make` (given the kept events of a test that held every one of them, when
    /// there is one) and kept.
    fn named_bits(
        &mut self,
        index: &SearchIndex,
        names: Names,
        ok: Vec<bool>,
        make: impl FnOnce(&[bool], Option<&Bits>) -> Bits,
    ) -> Bits {
        self.own(index);
        let key = (names, ok);
        if let Some(bits) = recall(&mut self.named, |k| *k == key) {
            return bits;
        }
        let ok = &key.1;
        let holds_all = |o: &[bool]| o.len() == ok.len() && ok.iter().zip(o).all(|(&new, &old)| old || !new);
        let among = self
            .named
            .iter()
            .filter(|((n, o), _)| *n == names && holds_all(o))
            .map(|(_, b)| (b.count(), b))
            .min_by_key(|(count, _)| *count)
            .map(|(_, b)| b);
        let bits = make(ok, among);
        keep(&mut self.named, key, &bits, FIELDS_KEPT);
        bits
    }

    /// Empties the cache when it meets another index than the one its results came from.
    fn own(&mut self, index: &SearchIndex) {
        if self.owner != index.fingerprint() {
            self.clear();
            self.owner = index.fingerprint();
        }
    }

    /// A field test's events, kept by `key`, or made by `make` and kept.
    fn field_bits(&mut self, index: &SearchIndex, key: String, make: impl FnOnce() -> Bits) -> Bits {
        self.own(index);
        if let Some(bits) = recall(&mut self.fields, |k| *k == key) {
            return bits;
        }
        let bits = make();
        keep(&mut self.fields, key, &bits, FIELDS_KEPT);
        bits
    }

    /// Words kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn word_bits(&mut self, index: &SearchIndex, notes: &NoteStore, word: &str) -> Bits {
        self.own(index);
        if let Some(bits) = recall(&mut self.entries, |w| w == word) {
            return bits;
        }
        // The smallest kept set of a word this one contains: every event this word finds is
        // in it.
        let n = index.len();
        let among = self
            .entries
            .iter()
            .filter(|(w, _)| word.contains(w.as_str()))
            .map(|(_, b)| (b.count(), b))
            .min_by_key(|(count, _)| *count)
            .map(|(_, b)| b);
        let bits = word_bits(index, notes, word, among);
        let room = (WORD_CACHE_BYTES / (n / 8 + 1)).clamp(4, 64);
        keep(&mut self.entries, word.to_string(), &bits, room);
        bits
    }
}

fn post_word_matches(sit: &Situation, post: usize, word: &str, as_of: Option<Day>) -> bool {
    let p = &sit.posts[post];
    fold(&p.name).contains(word)
        || fold(&p.id).contains(word)
        || p.alt_names.iter().any(|a| fold(a).contains(word))
        || post_state(p, as_of)
            .is_some_and(|s| fold(s.status.id()).contains(word) || fold(s.status.word()).contains(word))
}

fn post_test(sit: &Situation, post: usize, term: &Term, as_of: Option<Day>) -> bool {
    match &term.test {
        Test::Post(word) => post_word_matches(sit, post, word, as_of),
        _ => true,
    }
}

/// The indices of the events that match, in date order, as of the situation's date.
#[must_use]
pub fn matching_events(query: &Query, index: &SearchIndex, sit: &Situation) -> Vec<u32> {
    matching_events_as_of(query, index, sit, query.window(sit.as_of).to)
}

/// The indices of the events that match as of a date (which `displaced>` and `post:` need):
/// each term becomes a set of bits, `or` joins the sets of a group, groups are intersected.
#[must_use]
pub fn matching_events_as_of(query: &Query, index: &SearchIndex, sit: &Situation, as_of: Option<Day>) -> Vec<u32> {
    matching(query, index, sit, as_of, None).indices()
}

/// [`matching_events_as_of`], with the free words' results kept in `cache` for the next
/// query (the dashboard's keystrokes): the same events, fewer passes over the text.
#[must_use]
pub fn matching_events_cached(
    query: &Query,
    index: &SearchIndex,
    sit: &Situation,
    as_of: Option<Day>,
    cache: &mut WordCache,
) -> Vec<u32> {
    matching(query, index, sit, as_of, Some(cache)).indices()
}

/// [`matching_events_cached`] as a set of bits over the index's events, which the panes'
/// pass compares with the last keystroke's (see [`crate::domain::pass::LastPass::over_set`]).
#[must_use]
pub fn matching_set_cached(
    query: &Query,
    index: &SearchIndex,
    sit: &Situation,
    as_of: Option<Day>,
    cache: &mut WordCache,
) -> Bits {
    matching(query, index, sit, as_of, Some(cache))
}

fn matching(
    query: &Query,
    index: &SearchIndex,
    sit: &Situation,
    as_of: Option<Day>,
    mut cache: Option<&mut WordCache>,
) -> Bits {
    let n = index.len();
    if query.is_empty() {
        return Bits::ones(n);
    }
    let mut all = Bits::ones(n);
    for group in &query.groups {
        let mut either = Bits::zeros(n);
        for term in group {
            let mut bits = term_bits(index, sit, &term.test, as_of, cache.as_deref_mut());
            if term.negated {
                bits.not();
            }
            either.or(&bits);
        }
        all.and(&either);
    }
    all
}
