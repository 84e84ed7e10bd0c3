//! The figures the dashboard and the summary show, as pure functions over a situation:
//! casualties (lower bounds kept), displacement (nested and overlapping figures never added)
//! and observation posts by place, each as of a date or within a time window.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::model::{
    Count, DateSpan, Day, DisplacementSeries, Event, EventStatus, ObservationPost, Outcome, Place, PostStatus,
    PostStatusChange, Qualifier, SeriesKind, Situation,
};

/// The dates a figure covers: `from` (inclusive, optional) to `to`, the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeWindow {
    pub from: Option<Day>,
    pub to: Option<Day>,
}

impl TimeWindow {
    #[must_use]
    pub fn as_of(to: Option<Day>) -> TimeWindow {
        TimeWindow { from: None, to }
    }

    /// True when something dated `span` may have happened inside the window: an event known
    /// only to the week counts as of any day of that week.
    #[must_use]
    pub fn admits(&self, span: &DateSpan) -> bool {
        self.from.is_none_or(|f| span.end >= f) && self.to.is_none_or(|t| span.start <= t)
    }
}

/// A sum of counts that remembers how sure it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub best: u64,
    pub low: u64,
    /// `None` when any part is open-ended ("at least") or has no stated upper bound.
    pub high: Option<u64>,
    /// True when any part is only a floor: the total is then a floor too.
    pub lower_bound: bool,
    #[serde(skip)]
    pub approximate: bool,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally { best: 0, low: 0, high: Some(0), lower_bound: false, approximate: false }
    }
}

impl Tally {
    pub fn add(&mut self, count: &Count) {
        self.best += count.best;
        self.low += count.low_bound();
        self.high = match (self.high, count.high_bound()) {
            (Some(h), Some(x)) => Some(h + x),
            _ => None,
        };
        self.lower_bound |= count.is_lower_bound();
        self.approximate |= matches!(count.qualifier, Qualifier::Approximately | Qualifier::Unknown);
    }

    /// The tally of one exact count.
    #[must_use]
    pub const fn exact(n: u64) -> Tally {
        Tally { best: n, low: n, high: Some(n), lower_bound: false, approximate: false }
    }

    /// Adds another tally: the same as adding each of its counts.
    pub fn merge(&mut self, other: &Tally) {
        self.best += other.best;
        self.low += other.low;
        self.high = match (self.high, other.high) {
            (Some(h), Some(x)) => Some(h + x),
            _ => None,
        };
        self.lower_bound |= other.lower_bound;
        self.approximate |= other.approximate;
    }

    #[must_use]
    pub fn of(count: &Count) -> Tally {
        let mut t = Tally::default();
        t.add(count);
        t
    }

    /// How the figure reads on screen: `31+` for a floor, `~586,000` for an estimate,
    /// `5 (4–7)` where low and high differ; never a false exact number.
    #[must_use]
    pub fn display(&self) -> String {
        let best = thousands(self.best);
        if self.lower_bound {
            return format!("{best}+");
        }
        let prefix = if self.approximate { "~" } else { "" };
        match self.high {
            Some(high) if self.low != self.best || high != self.best => {
                format!("{prefix}{best} ({}–{})", thousands(self.low), thousands(high))
            }
            _ => format!("{prefix}{best}"),
        }
    }
}

/// `586000` → `586,000`.
#[must_use]
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count as one claim states it: `10+`, `~150`, `5`.
#[must_use]
pub fn count_label(count: &Count) -> String {
    Tally::of(count).display()
}

/// The killed in one event (its figures at their chosen claims); `None` when it has no
/// killed figure at all.
#[must_use]
pub fn event_killed(sit: &Situation, event: &Event) -> Option<Tally> {
    let mut tally = Tally::default();
    let mut any = false;
    for (_, _, count) in sit.figure_counts(event).filter(|f| f.1 == Outcome::Killed) {
        tally.add(&count);
        any = true;
    }
    any.then_some(tally)
}

/// True when an event's figures count toward totals: it happened, and it is not a second
/// report of an incident already counted.
#[must_use]
pub fn counts_toward_totals(event: &Event) -> bool {
    event.status == EventStatus::Occurred && event.written().same_incident_as.is_none()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CasualtyFigures {
    pub killed: Tally,
    pub injured: Tally,
    pub killed_by_group: BTreeMap<String, Tally>,
    pub injured_by_group: BTreeMap<String, Tally>,
}

/// Killed and injured over the given events inside the window, each figure at its chosen
/// claim's count.
#[must_use]
pub fn casualties<'a>(
    sit: &Situation,
    events: impl IntoIterator<Item = &'a Event>,
    window: TimeWindow,
) -> CasualtyFigures {
    let mut figures = CasualtyFigures::default();
    for event in events {
        if !counts_toward_totals(event) || !window.admits(&event.span()) {
            continue;
        }
        for (group, outcome, count) in sit.figure_counts(event) {
            let (total, by_group) = match outcome {
                Outcome::Killed => (&mut figures.killed, &mut figures.killed_by_group),
                Outcome::Injured => (&mut figures.injured, &mut figures.injured_by_group),
            };
            total.add(&count);
            by_group.entry(group.to_string()).or_default().add(&count);
        }
    }
    figures
}

/// Killed per day for the sparkline. Events known only to a week or longer are not spread
/// over days (that would invent precision): their deaths are reported apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyKilled {
    /// Every day from the first to the last day with a figure, zeros included.
    pub days: Vec<(Day, u64)>,
    pub not_dated_to_a_day: u64,
}

#[must_use]
pub fn killed_per_day<'a>(
    sit: &Situation,
    events: impl IntoIterator<Item = &'a Event>,
    window: TimeWindow,
) -> DailyKilled {
    let mut by_day: BTreeMap<Day, u64> = BTreeMap::new();
    let mut not_dated = 0;
    for event in events {
        let span = event.span();
        if !counts_toward_totals(event) || !window.admits(&span) {
            continue;
        }
        let killed: u64 = sit.figure_counts(event).filter(|f| f.1 == Outcome::Killed).map(|f| f.2.best).sum();
        if span.start == span.end {
            *by_day.entry(span.start).or_default() += killed;
        } else {
            not_dated += killed;
        }
    }
    let mut days = Vec::new();
    if let (Some((&first, _)), Some((&last, _))) = (by_day.first_key_value(), by_day.last_key_value()) {
        let mut day = first;
        while day <= last && days.len() < 100_000 {
            days.push((day, by_day.get(&day).copied().unwrap_or(0)));
            day = day.add_days(1);
        }
    }
    DailyKilled { days, not_dated_to_a_day: not_dated }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    Cumulative,
    Stock,
    /// The difference of two values of one cumulative series.
    New,
}

/// One displacement figure as of a date, traceable to its series and chosen claim.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplacementFigure<'a> {
    pub series: &'a DisplacementSeries,
    pub kind: FigureKind,
    pub since: Option<Day>,
    pub as_of: Day,
    pub count: Count,
    /// The claim the value comes from (for `New`, the later value's).
    pub claim: &'a str,
    /// How deep it sits under the figures that contain it (0 for a top-level figure).
    pub depth: usize,
}

/// The latest value of each series as of the window's end; with a window start, also the new
/// displacement inside the window for cumulative series. Ordered as a tree: each figure is
/// followed by the figures that are part of it.
#[must_use]
pub fn displacement<'a>(
    sit: &'a Situation,
    window: TimeWindow,
    include: impl Fn(&DisplacementSeries) -> bool,
) -> Vec<DisplacementFigure<'a>> {
    let mut out = Vec::new();
    let roots =
        sit.displacement.iter().filter(|s| s.part_of.as_ref().is_none_or(|p| !sit.index.series.contains_key(p)));
    let mut stack: Vec<(&DisplacementSeries, usize)> = roots.rev().map(|s| (s, 0)).collect();
    let mut visited = 0;
    while let Some((series, depth)) = stack.pop() {
        visited += 1;
        if visited > sit.displacement.len() {
            break; // a cycle in part_of; validation reports it
        }
        let before = out.len();
        if include(series) {
            series_figures(sit, series, window, depth, &mut out);
        }
        let shown = out.len() > before;
        // Under a figure that is not shown, a part stands on its own rather than under nothing.
        let child_depth = if shown { depth + 1 } else { depth };
        let children = sit.displacement.iter().filter(|c| c.part_of.as_deref() == Some(series.id.as_str()));
        let children: Vec<_> = children.map(|c| (c, child_depth)).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

fn series_figures<'a>(
    sit: &'a Situation,
    series: &'a DisplacementSeries,
    window: TimeWindow,
    depth: usize,
    out: &mut Vec<DisplacementFigure<'a>>,
) {
    let latest = |limit: Option<Day>, strictly_before: bool| {
        series
            .values
            .iter()
            .rev()
            .find(|v| limit.is_none_or(|d| if strictly_before { v.as_of < d } else { v.as_of <= d }))
    };
    let Some(value) = latest(window.to, false) else { return };
    let Some(count) = sit.chosen_count(&value.chosen) else { return };
    let kind = match series.kind {
        SeriesKind::Cumulative => FigureKind::Cumulative,
        SeriesKind::Stock => FigureKind::Stock,
    };
    let since = if series.kind == SeriesKind::Cumulative { series.baseline } else { None };
    out.push(DisplacementFigure {
        series,
        kind,
        since,
        as_of: value.as_of,
        count: count.clone().into_owned(),
        claim: &value.chosen,
        depth,
    });
    if series.kind == SeriesKind::Cumulative
        && let Some(from) = window.from
        && let Some(earlier) = latest(Some(from), true)
        && earlier.as_of != value.as_of
        && let Some(before) = sit.chosen_count(&earlier.chosen)
    {
        let approximate = count.qualifier != Qualifier::Exact || before.qualifier != Qualifier::Exact;
        let new = Count {
            best: count.best.saturating_sub(before.best),
            low: None,
            high: None,
            qualifier: if approximate { Qualifier::Approximately } else { Qualifier::Exact },
            raw: None,
        };
        out.push(DisplacementFigure {
            series,
            kind: FigureKind::New,
            since: Some(earlier.as_of),
            as_of: value.as_of,
            count: new,
            claim: &value.chosen,
            depth,
        });
    }
}

/// A headline of people displaced that adds only figures that cannot overlap: top-level
/// figures of areas that do not contain one another. Of overlapping figures the largest
/// stands for them all.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplacementTotal {
    pub tally: Tally,
    /// The series that were added, for tracing.
    pub series: Vec<String>,
}

#[must_use]
pub fn displacement_total(sit: &Situation, figures: &[DisplacementFigure<'_>]) -> Option<DisplacementTotal> {
    let mut kept: Vec<&DisplacementFigure<'_>> = Vec::new();
    for figure in figures.iter().filter(|f| f.depth == 0 && f.kind != FigureKind::New) {
        let overlaps = |other: &&DisplacementFigure<'_>| {
            sit.place_within(&figure.series.area, &other.series.area)
                || sit.place_within(&other.series.area, &figure.series.area)
        };
        match kept.iter().position(overlaps) {
            Some(i) if kept[i].count.best < figure.count.best => kept[i] = figure,
            Some(_) => {}
            None => kept.push(figure),
        }
    }
    if kept.is_empty() {
        return None;
    }
    let mut tally = Tally::default();
    for figure in &kept {
        tally.add(&figure.count);
    }
    Some(DisplacementTotal { tally, series: kept.iter().map(|f| f.series.id.clone()).collect() })
}

/// A post's status as of a date: its latest status change on or before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PostState<'a> {
    pub post: &'a ObservationPost,
    pub status: PostStatus,
    pub change: &'a PostStatusChange,
}

/// `None` when the post did not exist yet on that date.
#[must_use]
pub fn post_state(post: &ObservationPost, as_of: Option<Day>) -> Option<PostState<'_>> {
    post.history.iter().rev().find(|h| as_of.is_none_or(|d| h.date <= d)).map(|change| PostState {
        post,
        status: change.status,
        change,
    })
}

/// A place with its observation posts and how many of the given events touch it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacePosts<'a> {
    pub place: &'a Place,
    pub posts: Vec<PostState<'a>>,
    pub events: usize,
}

/// Places that have posts or events, by name, each with its posts' states as of the window's
/// end and the number of the given events in the window at or inside it.
#[must_use]
pub fn posts_by_place<'a>(
    sit: &'a Situation,
    events: impl IntoIterator<Item = &'a Event>,
    window: TimeWindow,
) -> Vec<PlacePosts<'a>> {
    let mut counts = vec![0; sit.places.len()];
    for event in events {
        if !window.admits(&event.span()) {
            continue;
        }
        // The event counts at its place and at every place that contains it.
        let mut current = sit.index.places.get(&*event.place).copied();
        for _ in 0..=sit.places.len() {
            let Some(i) = current else { break };
            counts[i] += 1;
            current = sit.places[i].part_of.as_deref().and_then(|p| sit.index.places.get(p).copied());
        }
    }
    posts_by_place_counted(sit, &counts, window)
}

/// [`posts_by_place`] from event counts already made per place (by place index).
#[must_use]
pub fn posts_by_place_counted<'a>(sit: &'a Situation, events_at: &[usize], window: TimeWindow) -> Vec<PlacePosts<'a>> {
    let mut groups: BTreeMap<usize, PlacePosts<'a>> = BTreeMap::new();
    for post in &sit.posts {
        if let Some(&i) = sit.index.places.get(&post.place)
            && let Some(state) = post_state(post, window.to)
        {
            groups
                .entry(i)
                .or_insert_with(|| PlacePosts { place: &sit.places[i], posts: Vec::new(), events: 0 })
                .posts
                .push(state);
        }
    }
    for (i, &n) in events_at.iter().enumerate().filter(|(_, n)| **n > 0) {
        groups.entry(i).or_insert_with(|| PlacePosts { place: &sit.places[i], posts: Vec::new(), events: 0 }).events =
            n;
    }
    let mut list: Vec<PlacePosts<'a>> = groups.into_values().collect();
    list.sort_by_cached_key(|g| crate::domain::text::fold(&g.place.name));
    list
}

/// How many posts are in each status.
#[must_use]
pub fn post_totals(groups: &[PlacePosts<'_>]) -> BTreeMap<PostStatus, usize> {
    let mut totals = BTreeMap::new();
    for state in groups.iter().flat_map(|g| &g.posts) {
        *totals.entry(state.status).or_default() += 1;
    }
    totals
}
