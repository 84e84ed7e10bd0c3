//! The situation report a desk officer sends each morning, built from the summary's own
//! [`Figures`] (so its numbers are the summary's by construction) and written as Markdown or
//! as one self-contained HTML page with a hand-written SVG chart. Domain layer: plain data
//! in, text out; no files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::domain::figures::{
    FigureKind, Tally, TimeWindow, count_label, counts_toward_totals, event_killed, thousands,
};
use crate::domain::model::{Day, Event, EventStatus, Outcome, PostStatus, Qualifier, Situation};
use crate::domain::summary::Figures;

/// How many rows the long lists keep: a report is read, not searched.
const TOP_PLACES: usize = 10;
const NOTABLE_EVENTS: usize = 10;
const MAX_WEEKS: usize = 26;
const MAX_POST_CHANGES: usize = 50;
const MAX_SOURCES: usize = 4;

/// One row of the headline: a total or a group's share, with how sure it is and who says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub label: String,
    pub tally: Tally,
    /// Source publishers with how many of the counted figures each backs, most first.
    pub sources: Vec<(String, usize)>,
}

/// The period before the report's, of the same length, with the same counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// What is compared: the report's period, or its last week when the period is open.
    pub current: TimeWindow,
    pub previous: TimeWindow,
    pub current_events: usize,
    pub previous_events: usize,
    pub current_killed: Tally,
    pub previous_killed: Tally,
    pub current_injured: Tally,
    pub previous_injured: Tally,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WeekRow {
    pub start: Day,
    pub end: Day,
    pub events: usize,
    pub killed: Tally,
}

/// Events per week, ending on the as-of date. An event is in a week only when all of its
/// possible dates are: a month-precise event is not pinned to one of its weeks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trend {
    pub weeks: Vec<WeekRow>,
    /// Weeks before the first row that the report leaves out.
    pub omitted_weeks: usize,
    pub not_in_one_week_events: usize,
    pub not_in_one_week_killed: Tally,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    pub name: String,
    pub events: usize,
    pub killed: Tally,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PostChange {
    pub post: String,
    pub place: String,
    pub date: String,
    pub from: Option<PostStatus>,
    pub to: PostStatus,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notable {
    pub id: String,
    pub date: String,
    pub place: String,
    pub kind: String,
    pub summary: String,
    pub killed: Option<Tally>,
    pub sources: Vec<String>,
}

/// What a reader must know before quoting a number.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Caveats {
    /// Casualty figures counted that are only floors ("at least").
    pub floors: usize,
    /// Casualty figures counted that are estimates ("about", unknown certainty).
    pub estimates: usize,
    /// Events in the period that are second reports of an incident already counted.
    pub second_reports: usize,
    /// Announced or planned events in the period: shown, never counted.
    pub not_occurred: usize,
    /// Counted figures whose number was read from a source's words, with a few of them.
    pub from_text: usize,
    pub quotes: Vec<(String, String)>,
    /// Displacement figures shown under a larger one and not added to it.
    pub nested_displacement: usize,
}

/// Everything a report says, before it is written in a format.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub title: String,
    pub filter: Option<String>,
    pub window: TimeWindow,
    pub figures: Figures<'a>,
    pub killed: Vec<Headline>,
    pub injured: Vec<Headline>,
    pub comparison: Option<Comparison>,
    pub trend: Trend,
    pub places: Vec<PlaceRow>,
    pub post_changes: Vec<PostChange>,
    pub omitted_post_changes: usize,
    pub notable: Vec<Notable>,
    pub caveats: Caveats,
}

fn publisher(sit: &Situation, claim: &str) -> Option<String> {
    let claim = sit.claim(claim)?;
    Some(sit.source(&claim.source).map_or_else(|| claim.source.clone(), |s| s.publisher.clone()))
}

/// Per casualty group (`""` for the whole), how many figures each publisher gave.
type Sources = BTreeMap<String, BTreeMap<String, usize>>;

fn count_source(sources: &mut Sources, group: &str, who: &str) {
    if !sources.contains_key(group) {
        sources.insert(group.to_string(), BTreeMap::new());
    }
    if let Some(by) = sources.get_mut(group) {
        match by.get_mut(who) {
            Some(n) => *n += 1,
            None => {
                by.insert(who.to_string(), 1);
            }
        }
    }
}

fn ranked(counts: BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

fn days_between(from: Day, to: Day) -> i64 {
    (to.0 - from.0).num_days()
}

fn tally_in(sit: &Situation, events: &[&Event], window: TimeWindow) -> (usize, Tally, Tally) {
    let figures = crate::domain::figures::casualties(sit, events.iter().copied(), window);
    let n = events.iter().filter(|e| window.admits(&e.span())).count();
    (n, figures.killed, figures.injured)
}

impl<'a> Report<'a> {
    /// The report over `events` (already filtered, as `summary` filters them) in `window`.
    #[must_use]
    pub fn build(sit: &'a Situation, events: &[&'a Event], window: TimeWindow, filter: Option<&str>) -> Report<'a> {
        // The summary's figures on one core, the report's own passes on the other.
        let (figures, rest) = std::thread::scope(|scope| {
            let figures = scope.spawn(|| Figures::compute(sit, events, window));
            let admitted: Vec<&Event> = events.iter().copied().filter(|e| window.admits(&e.span())).collect();
            // The killed of each admitted event that counts, worked out once for every list.
            let killed: Vec<Option<Tally>> =
                admitted.iter().map(|e| event_killed(sit, e).filter(|_| counts_toward_totals(e))).collect();
            let rest = (
                comparison(sit, events, window),
                trend(&admitted, &killed, window),
                top_places(sit, &admitted, &killed),
                notable(sit, &admitted, &killed),
                post_changes(sit, window),
                admitted,
            );
            (figures.join().unwrap_or_else(|_| Figures::compute(sit, events, window)), rest)
        });
        let (comparison, trend, places, notable, (post_changes, omitted_post_changes), admitted) = rest;
        let (killed, injured, caveats) = headlines(sit, &admitted, &figures);
        Report {
            title: sit.title.clone(),
            filter: filter.map(str::trim).filter(|f| !f.is_empty()).map(str::to_string),
            window,
            comparison,
            trend,
            places,
            post_changes,
            omitted_post_changes,
            notable,
            killed,
            injured,
            caveats,
            figures,
        }
    }

    /// "1 Feb 2020 – 7 Feb 2020", "up to 7 Feb 2020", "all dates".
    #[must_use]
    pub fn period(&self) -> String {
        match (self.window.from, self.window.to) {
            (Some(f), Some(t)) => format!("{} – {}", f.long(), t.long()),
            (None, Some(t)) => format!("up to {}", t.long()),
            (Some(f), None) => format!("from {}", f.long()),
            (None, None) => "all dates".into(),
        }
    }
}

fn headlines(sit: &Situation, admitted: &[&Event], figures: &Figures<'_>) -> (Vec<Headline>, Vec<Headline>, Caveats) {
    let mut caveats = Caveats::default();
    // Per outcome: sources of the whole and of each group.
    let mut sources: [Sources; 2] = [BTreeMap::new(), BTreeMap::new()];
    for e in admitted {
        match (e.status, e.written().same_incident_as.is_some()) {
            (EventStatus::Occurred, true) => caveats.second_reports += 1,
            (EventStatus::Occurred, false) => {}
            _ => caveats.not_occurred += 1,
        }
        if !counts_toward_totals(e) {
            continue;
        }
        let casualties = sit.casualties_of(e);
        for f in casualties.iter() {
            let Some(claim) = sit.claim(&f.chosen) else { continue };
            let Some(count) = &claim.count else { continue };
            if count.is_lower_bound() {
                caveats.floors += 1;
            } else if matches!(count.qualifier, Qualifier::Approximately | Qualifier::Unknown) {
                caveats.estimates += 1;
            }
            if let Some(raw) = &count.raw {
                caveats.from_text += 1;
                if caveats.quotes.len() < 3 {
                    caveats.quotes.push((raw.clone(), claim.id.clone()));
                }
            }
            let who = sit.source(&claim.source).map_or(claim.source.as_str(), |s| s.publisher.as_str());
            let slot = usize::from(f.outcome == Outcome::Injured);
            count_source(&mut sources[slot], "", who);
            count_source(&mut sources[slot], &f.group, who);
        }
    }
    caveats.nested_displacement = figures.displacement.iter().filter(|f| f.depth > 0).count();
    let c = &figures.casualties;
    let [mut killed_sources, mut injured_sources] = sources;
    let rows = |total: &Tally, groups: &BTreeMap<String, Tally>, sources: &mut Sources| {
        let mut out = vec![Headline {
            label: String::new(),
            tally: *total,
            sources: ranked(sources.remove("").unwrap_or_default()),
        }];
        for (group, tally) in groups {
            out.push(Headline {
                label: sit.actor_name(group).to_string(),
                tally: *tally,
                sources: ranked(sources.remove(group.as_str()).unwrap_or_default()),
            });
        }
        out
    };
    let killed = rows(&c.killed, &c.killed_by_group, &mut killed_sources);
    let injured = rows(&c.injured, &c.injured_by_group, &mut injured_sources);
    (killed, injured, caveats)
}

fn comparison(sit: &Situation, events: &[&Event], window: TimeWindow) -> Option<Comparison> {
    let to = window.to?;
    // An open period is compared by its last week.
    let from = window.from.unwrap_or_else(|| to.add_days(-6));
    let len = days_between(from, to) + 1;
    if len <= 0 {
        return None;
    }
    let current = TimeWindow { from: Some(from), to: Some(to) };
    let previous = TimeWindow { from: Some(from.add_days(-len)), to: Some(from.add_days(-1)) };
    // Both periods are counted over the few events that can fall in either.
    let both = TimeWindow { from: previous.from, to: current.to };
    let near: Vec<&Event> = events.iter().copied().filter(|e| both.admits(&e.span())).collect();
    let (current_events, current_killed, current_injured) = tally_in(sit, &near, current);
    let (previous_events, previous_killed, previous_injured) = tally_in(sit, &near, previous);
    Some(Comparison {
        current,
        previous,
        current_events,
        previous_events,
        current_killed,
        previous_killed,
        current_injured,
        previous_injured,
    })
}

/// The Monday of the week `day` is in.
fn monday(day: Day) -> Day {
    use chrono::Datelike;
    day.add_days(-i64::from(day.0.weekday().num_days_from_monday()))
}

fn trend(admitted: &[&Event], killed: &[Option<Tally>], window: TimeWindow) -> Trend {
    let Some(to) = window.to.or_else(|| admitted.iter().map(|e| e.span().end).max()) else {
        return Trend::default();
    };
    let Some(first) = window.from.or_else(|| admitted.iter().map(|e| e.span().start).min()) else {
        return Trend::default();
    };
    // Calendar weeks, Monday to Sunday, as weekly data sets date them; the first and last
    // rows are cut to the period.
    let (first_monday, last_monday) = (monday(first.min(to)), monday(to));
    let total_weeks = usize::try_from(days_between(first_monday, last_monday) / 7 + 1).unwrap_or(1);
    let shown = total_weeks.min(MAX_WEEKS);
    let mut weeks: Vec<WeekRow> = (0..shown)
        .rev()
        .map(|k| {
            let start = last_monday.add_days(-7 * k as i64);
            WeekRow { start: start.max(first), end: start.add_days(6).min(to), events: 0, killed: Tally::default() }
        })
        .collect();
    let mut trend = Trend { omitted_weeks: total_weeks - shown, ..Trend::default() };
    for (e, killed) in admitted.iter().zip(killed) {
        let span = e.span();
        // Weeks back from the last one (0); negative is after it.
        let back = days_between(monday(span.start), last_monday) / 7;
        if back < 0 || monday(span.start) != monday(span.end) {
            trend.not_in_one_week_events += 1;
            if let Some(k) = killed {
                trend.not_in_one_week_killed.merge(k);
            }
            continue;
        }
        let Some(row) = usize::try_from(back).ok().filter(|&k| k < shown).map(|k| &mut weeks[shown - 1 - k]) else {
            continue;
        };
        row.events += 1;
        if let Some(k) = killed {
            row.killed.merge(k);
        }
    }
    trend.weeks = weeks;
    trend
}

fn top_places(sit: &Situation, admitted: &[&Event], killed: &[Option<Tally>]) -> Vec<PlaceRow> {
    let mut at: Vec<(usize, Tally)> = vec![(0, Tally::default()); sit.places.len() + 1];
    let unknown = sit.places.len();
    for (e, k) in admitted.iter().zip(killed) {
        let i = sit.index.places.get(&*e.place).copied().unwrap_or(unknown);
        at[i].0 += 1;
        if let Some(k) = k {
            at[i].1.merge(k);
        }
    }
    let mut rows: Vec<(usize, usize, Tally)> =
        at.into_iter().enumerate().filter(|(_, (n, _))| *n > 0).map(|(i, (n, t))| (i, n, t)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.best.cmp(&a.2.best)).then(a.0.cmp(&b.0)));
    rows.into_iter()
        .take(TOP_PLACES)
        .map(|(i, events, killed)| PlaceRow {
            name: sit.places.get(i).map_or_else(|| "(unknown place)".to_string(), |p| p.name.clone()),
            events,
            killed,
        })
        .collect()
}

fn post_changes(sit: &Situation, window: TimeWindow) -> (Vec<PostChange>, usize) {
    let mut changes = Vec::new();
    for post in &sit.posts {
        for (i, change) in post.history.iter().enumerate() {
            if !window.admits(&change.span()) {
                continue;
            }
            let mut sources: Vec<String> = sit.change_claims(change).iter().filter_map(|c| publisher(sit, c)).collect();
            sources.dedup();
            changes.push((
                change.date,
                PostChange {
                    post: post.name.clone(),
                    place: sit.place_name(&post.place).to_string(),
                    date: change.span().label(),
                    from: i.checked_sub(1).map(|j| post.history[j].status),
                    to: change.status,
                    sources,
                },
            ));
        }
    }
    // The latest first: what changed most recently is the news.
    changes.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.post.cmp(&b.1.post)));
    let omitted = changes.len().saturating_sub(MAX_POST_CHANGES);
    (changes.into_iter().take(MAX_POST_CHANGES).map(|(_, c)| c).collect(), omitted)
}

fn notable(sit: &Situation, admitted: &[&Event], killed: &[Option<Tally>]) -> Vec<Notable> {
    // The deadliest counted events; ties and a period without deaths go to the latest.
    let mut ranked: Vec<(u64, usize)> = admitted
        .iter()
        .enumerate()
        .filter(|(_, e)| counts_toward_totals(e))
        .map(|(i, _)| (killed[i].map_or(0, |t| t.best), i))
        .collect();
    let keep = NOTABLE_EVENTS.min(ranked.len());
    if keep == 0 {
        return Vec::new();
    }
    let by_weight = |a: &(u64, usize), b: &(u64, usize)| b.0.cmp(&a.0).then(b.1.cmp(&a.1));
    ranked.select_nth_unstable_by(keep - 1, by_weight);
    ranked.truncate(keep);
    ranked.sort_by(by_weight);
    ranked
        .into_iter()
        .map(|(_, i)| {
            let e = admitted[i];
            let mut sources: Vec<String> = Vec::new();
            let casualties = sit.casualties_of(e);
            let claims = sit.claim_ids(e);
            for name in claims.iter().chain(casualties.iter().map(|c| &c.chosen)).filter_map(|c| publisher(sit, c)) {
                if !sources.contains(&name) {
                    sources.push(name);
                }
            }
            Notable {
                id: e.id.to_string(),
                date: e.span().label(),
                place: sit.place_name(&e.place).to_string(),
                kind: e.kind.acled_sub_event_type().to_string(),
                summary: e.summary(sit).into_owned(),
                killed: event_killed(sit, e),
                sources,
            }
        })
        .collect()
}

/// How sure a total is, in words.
#[must_use]
pub fn certainty(t: &Tally) -> &'static str {
    if t.lower_bound {
        "at least (a floor)"
    } else if t.approximate {
        "approximately"
    } else if t.high != Some(t.best) || t.low != t.best {
        "a range"
    } else {
        "exact"
    }
}

fn sources_text(sources: &[(String, usize)]) -> String {
    if sources.is_empty() {
        return "—".into();
    }
    let mut parts: Vec<String> =
        sources.iter().take(MAX_SOURCES).map(|(s, n)| format!("{s} ({})", thousands(*n as u64))).collect();
    if sources.len() > MAX_SOURCES {
        parts.push(format!("{} more", sources.len() - MAX_SOURCES));
    }
    parts.join(", ")
}

fn signed(now: u64, before: u64) -> String {
    match now.cmp(&before) {
        std::cmp::Ordering::Greater => format!("+{}", thousands(now - before)),
        std::cmp::Ordering::Less => format!("−{}", thousands(before - now)),
        std::cmp::Ordering::Equal => "no change".into(),
    }
}

fn short_window(w: TimeWindow) -> String {
    match (w.from, w.to) {
        (Some(f), Some(t)) if f == t => f.long(),
        (Some(f), Some(t)) => format!("{} – {}", f.long(), t.long()),
        _ => "all dates".into(),
    }
}

/// A block of the report in a neutral shape, written out by each format.
enum Block {
    Heading(String),
    Para(String),
    Table { head: Vec<String>, rows: Vec<Vec<String>> },
    List(Vec<(usize, String)>),
    Chart,
}

fn blocks(sit: &Situation, r: &Report<'_>) -> Vec<Block> {
    let mut out = Vec::new();
    let filter = r.filter.as_deref().unwrap_or("none");
    out.push(Block::Para(format!(
        "Period: {} · Filter: {filter} · {} events in the period",
        r.period(),
        thousands(r.figures.in_window as u64)
    )));

    out.push(Block::Heading("Headline figures".into()));
    let mut rows = Vec::new();
    for (name, list) in [("Killed", &r.killed), ("Injured", &r.injured)] {
        for (i, h) in list.iter().enumerate() {
            let label = if i == 0 { name.to_string() } else { format!("{name}: {}", h.label) };
            rows.push(vec![label, h.tally.display(), certainty(&h.tally).into(), sources_text(&h.sources)]);
        }
    }
    out.push(Block::Table { head: vec!["Figure".into(), "Value".into(), "Certainty".into(), "Sources".into()], rows });
    out.push(Block::Para(
        "Each group's figure is part of the total above it; second reports of one incident and announced events are not counted.".into(),
    ));
    if r.figures.displacement.is_empty() {
        out.push(Block::Para("Displaced: no figure in the data.".into()));
    } else {
        let mut items = Vec::new();
        if let Some(total) = &r.figures.displaced_total {
            items.push((
                0,
                format!(
                    "Displaced, not double counted: {} ({}; from {})",
                    total.tally.display(),
                    certainty(&total.tally),
                    total.series.join(", ")
                ),
            ));
        }
        for f in &r.figures.displacement {
            let what = match f.kind {
                FigureKind::New => " newly displaced",
                FigureKind::Cumulative => " displaced",
                FigureKind::Stock => " displaced at the date",
            };
            let since = f.since.map(|d| format!(" since {}", d.long())).unwrap_or_default();
            let nested = if f.depth > 0 { "; part of the figure above, not added" } else { "" };
            let claim = sit.claim(f.claim);
            let source = claim.as_ref().and_then(|c| sit.source(&c.source)).map_or("", |s| s.publisher.as_str());
            items.push((
                f.depth + 1,
                format!(
                    "{}{what}{since}, as of {}, {} ({}, {}; claim {}{nested})",
                    count_label(&f.count),
                    f.as_of.long(),
                    sit.place_name(&f.series.area),
                    f.count.qualifier.word(),
                    source,
                    f.claim
                ),
            ));
        }
        out.push(Block::List(items));
    }
    let totals = &r.figures.post_totals;
    if totals.is_empty() {
        out.push(Block::Para("Observation posts: none in the data.".into()));
    } else {
        let listed: Vec<String> = totals.iter().map(|(s, n)| format!("{n} {}", s.word())).collect();
        out.push(Block::Para(format!("Observation posts: {} ({})", totals.values().sum::<usize>(), listed.join(", "))));
    }

    if let Some(c) = &r.comparison {
        out.push(Block::Heading(format!(
            "Change against the previous period ({} against {})",
            short_window(c.current),
            short_window(c.previous)
        )));
        let row = |label: &str, now: &Tally, before: &Tally| {
            let floor = if now.lower_bound || before.lower_bound { " (floors)" } else { "" };
            vec![
                label.to_string(),
                now.display(),
                before.display(),
                format!("{}{floor}", signed(now.best, before.best)),
            ]
        };
        let events = vec![
            "Events".to_string(),
            thousands(c.current_events as u64),
            thousands(c.previous_events as u64),
            signed(c.current_events as u64, c.previous_events as u64),
        ];
        out.push(Block::Table {
            head: vec![String::new(), "This period".into(), "Previous".into(), "Change".into()],
            rows: vec![
                events,
                row("Killed", &c.current_killed, &c.previous_killed),
                row("Injured", &c.current_injured, &c.previous_injured),
            ],
        });
    }

    out.push(Block::Heading("Trend per week".into()));
    out.push(Block::Chart);
    let rows = r
        .trend
        .weeks
        .iter()
        .map(|w| {
            vec![format!("{} – {}", w.start.short(), w.end.long()), thousands(w.events as u64), w.killed.display()]
        })
        .collect();
    out.push(Block::Table { head: vec!["Week".into(), "Events".into(), "Killed".into()], rows });
    let mut notes = Vec::new();
    if r.trend.omitted_weeks > 0 {
        notes.push(format!("{} earlier weeks left out.", r.trend.omitted_weeks));
    }
    if r.trend.not_in_one_week_events > 0 {
        notes.push(format!(
            "{} events ({} killed) are dated only to a span longer than one calendar week and are not placed in one.",
            thousands(r.trend.not_in_one_week_events as u64),
            r.trend.not_in_one_week_killed.display()
        ));
    }
    if !notes.is_empty() {
        out.push(Block::Para(notes.join(" ")));
    }

    out.push(Block::Heading("Top places".into()));
    if r.places.is_empty() {
        out.push(Block::Para("No events in the period.".into()));
    } else {
        let rows =
            r.places.iter().map(|p| vec![p.name.clone(), thousands(p.events as u64), p.killed.display()]).collect();
        out.push(Block::Table { head: vec!["Place".into(), "Events".into(), "Killed".into()], rows });
    }

    out.push(Block::Heading("Observation posts whose status changed".into()));
    if r.post_changes.is_empty() {
        out.push(Block::Para("No status change in the period.".into()));
    } else {
        let rows = r
            .post_changes
            .iter()
            .map(|c| {
                let change = match c.from {
                    Some(from) if from != c.to => format!("{} → {}", from.word(), c.to.word()),
                    Some(_) => format!("{} (confirmed)", c.to.word()),
                    None => format!("new: {}", c.to.word()),
                };
                vec![c.date.clone(), c.post.clone(), c.place.clone(), change, c.sources.join(", ")]
            })
            .collect();
        out.push(Block::Table {
            head: vec!["Date".into(), "Post".into(), "Place".into(), "Status".into(), "Sources".into()],
            rows,
        });
        if r.omitted_post_changes > 0 {
            out.push(Block::Para(format!("{} earlier changes left out.", r.omitted_post_changes)));
        }
    }

    out.push(Block::Heading("Notable events".into()));
    if r.notable.is_empty() {
        out.push(Block::Para("No counted event in the period.".into()));
    } else {
        let items = r
            .notable
            .iter()
            .map(|n| {
                let killed = n.killed.map(|k| format!(", {} killed", k.display())).unwrap_or_default();
                let sources = if n.sources.is_empty() { "no source named".into() } else { n.sources.join(", ") };
                (
                    0,
                    format!(
                        "{} · {} · {}{killed}: {} (sources: {sources}; {})",
                        n.date, n.place, n.kind, n.summary, n.id
                    ),
                )
            })
            .collect();
        out.push(Block::List(items));
    }

    out.push(Block::Heading("Caveats".into()));
    let cv = &r.caveats;
    let mut items = vec![(
        0,
        format!(
            "{} of the casualty figures counted are floors (\"at least\"): totals with a + are floors too, never exact.",
            thousands(cv.floors as u64)
        ),
    )];
    items.push((0, format!("{} are estimates (\"about\", \"some\"), shown with ~.", thousands(cv.estimates as u64))));
    items.push((
        0,
        format!(
            "{} second reports of an incident already counted are kept as evidence and not counted.",
            thousands(cv.second_reports as u64)
        ),
    ));
    if cv.not_occurred > 0 {
        items.push((
            0,
            format!("{} announced or planned events are listed but not counted.", thousands(cv.not_occurred as u64)),
        ));
    }
    let quotes: Vec<String> = cv.quotes.iter().map(|(q, c)| format!("\"{q}\" ({c})")).collect();
    let quoted = if quotes.is_empty() { String::new() } else { format!(", e.g. {}", quotes.join(", ")) };
    items.push((0, format!("{} figures were read from a source's words{quoted}.", thousands(cv.from_text as u64))));
    items.push((
        0,
        format!(
            "{} displacement figures lie inside a larger one and are never added to it; displacement counts movements as its source does.",
            thousands(cv.nested_displacement as u64)
        ),
    ));
    out.push(Block::List(items));
    out
}

fn title_line(r: &Report<'_>) -> String {
    let filter = r.filter.as_ref().map(|f| format!(", filter {f}")).unwrap_or_default();
    format!("{}: situation report, {}{filter}", r.title, r.period())
}

/// `|` would end a Markdown table cell, and a line break a row.
fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The report as Markdown.
#[must_use]
pub fn to_markdown(sit: &Situation, r: &Report<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", title_line(r));
    for block in blocks(sit, r).into_iter().filter(|b| !matches!(b, Block::Chart)) {
        out.push('\n');
        match block {
            Block::Heading(h) => {
                let _ = writeln!(out, "## {h}");
            }
            Block::Para(p) => {
                let _ = writeln!(out, "{p}");
            }
            Block::Table { head, rows } => {
                let cells = |row: &[String]| row.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ");
                let _ = writeln!(out, "| {} |", cells(&head));
                let _ = writeln!(out, "|{}", head.iter().map(|_| "---|").collect::<String>());
                for row in &rows {
                    let _ = writeln!(out, "| {} |", cells(row));
                }
            }
            Block::List(items) => {
                for (depth, item) in items {
                    let _ = writeln!(out, "{}- {item}", "  ".repeat(depth));
                }
            }
            Block::Chart => {}
        }
    }
    out
}

/// Text for HTML: `&`, `<`, `>` and quotes escaped.
#[must_use]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Killed per week as bars, with the weeks' dates under them. Hand-written: a few rects and
/// labels need no charting library.
fn svg_chart(trend: &Trend) -> String {
    let weeks = &trend.weeks;
    let (width, height, left, bottom, top) = (640.0_f64, 220.0_f64, 48.0_f64, 40.0_f64, 16.0_f64);
    let max = weeks.iter().map(|w| w.killed.best).max().unwrap_or(0).max(1);
    let slot = (width - left - 8.0) / weeks.len().max(1) as f64;
    let plot = height - bottom - top;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="Killed per week">"#
    );
    let _ = write!(svg, "<title>Killed per week (best estimates; + marks a floor)</title>");
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{top}" x2="{left}" y2="{:.1}" stroke="#555"/><line x1="{left}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#555"/>"##,
        top + plot,
        top + plot,
        width - 8.0,
        top + plot
    );
    let _ = write!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#333">{}</text><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#333">0</text>"##,
        left - 4.0,
        top + 10.0,
        thousands(max),
        left - 4.0,
        top + plot
    );
    for (i, w) in weeks.iter().enumerate() {
        let h = plot * w.killed.best as f64 / max as f64;
        let x = left + slot * i as f64 + slot * 0.15;
        let y = top + plot - h;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{h:.1}" fill="#b03a2e"><title>{}: {} killed</title></rect>"##,
            slot * 0.7,
            escape_html(&format!("{} – {}", w.start.short(), w.end.long())),
            escape_html(&w.killed.display())
        );
        // Label every week when there is room, else every fourth.
        if weeks.len() <= 8 || i % 4 == 0 || i + 1 == weeks.len() {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-size="10" text-anchor="middle" fill="#333">{}</text>"##,
                x + slot * 0.35,
                top + plot + 14.0,
                escape_html(&w.end.short())
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Items with depths as nested lists: a deeper item sits inside the item before it.
fn html_list(items: &[(usize, String)]) -> String {
    let mut out = String::from("<ul>");
    let base = items.first().map_or(0, |(d, _)| *d);
    let mut depth = base;
    for (i, (d, item)) in items.iter().enumerate() {
        let d = (*d).max(base);
        if i == 0 {
            out.push_str("<li>");
        } else if d > depth {
            while d > depth {
                out.push_str("<ul><li>");
                depth += 1;
            }
        } else {
            while d < depth {
                out.push_str("</li></ul>");
                depth -= 1;
            }
            out.push_str("</li><li>");
        }
        out.push_str(&escape_html(item));
    }
    while depth > base {
        out.push_str("</li></ul>");
        depth -= 1;
    }
    out.push_str(if items.is_empty() { "</ul>\n" } else { "</li></ul>\n" });
    out
}

/// The report as one HTML page (well-formed XML too), with the weekly trend as inline SVG.
#[must_use]
pub fn to_html(sit: &Situation, r: &Report<'_>) -> String {
    let mut out = String::new();
    let title = escape_html(&title_line(r));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{title}</title>\n<style>\
         body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}}\
         table{{border-collapse:collapse;margin:0.5em 0}}td,th{{border:1px solid #ccc;padding:0.2em 0.6em;text-align:left;vertical-align:top}}\
         th{{background:#eee}}h2{{border-bottom:1px solid #ccc;margin-top:1.5em}}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    for block in blocks(sit, r) {
        match block {
            Block::Heading(h) => {
                let _ = writeln!(out, "<h2>{}</h2>", escape_html(&h));
            }
            Block::Para(p) => {
                let _ = writeln!(out, "<p>{}</p>", escape_html(&p));
            }
            Block::Table { head, rows } => {
                out.push_str("<table>\n<tr>");
                for h in &head {
                    let _ = write!(out, "<th>{}</th>", escape_html(h));
                }
                out.push_str("</tr>\n");
                for row in &rows {
                    out.push_str("<tr>");
                    for c in row {
                        let _ = write!(out, "<td>{}</td>", escape_html(c));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</table>\n");
            }
            Block::List(items) => out.push_str(&html_list(&items)),
            Block::Chart => {
                if !r.trend.weeks.is_empty() {
                    out.push_str(&svg_chart(&r.trend));
                    out.push('\n');
                }
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}
