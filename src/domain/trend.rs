//! Domain layer: the trend over time of killed or events, in bins of a day, week, month,
//! quarter or year; its peak; and the spikes that break from the series' own baseline.
//! Plain functions over day numbers (see [`crate::domain::index::day_number`]); no terminal.
//!
//! Nothing is spread or invented: an event known only to a week or a month goes in the bin
//! that holds its whole window, or, when the bin is finer than that, is counted apart.

use chrono::{Datelike, NaiveDate};

use crate::domain::model::Day;

/// What a trend counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// The best figure of killed (a floor stays a floor: the bin reads `12+`).
    #[default]
    Killed,
    /// Events, each once.
    Events,
}

impl Measure {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Measure::Killed => "killed",
            Measure::Events => "events",
        }
    }

    #[must_use]
    pub fn other(self) -> Measure {
        match self {
            Measure::Killed => Measure::Events,
            Measure::Events => Measure::Killed,
        }
    }
}

/// How long one bin of the trend is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bin {
    Day,
    /// Monday to Sunday.
    Week,
    Month,
    Quarter,
    Year,
}

/// The trend aims at no more bins than this (and no fewer than about a sixth of it).
pub const MAX_AUTO_BINS: i64 = 120;
/// A finer bin is refused past this many bins: a chart of more is unreadable and costly.
pub const MAX_BINS: usize = 2_000;

fn date(n: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(n).unwrap_or_default()
}

fn number(d: NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn first_of_month(year: i32, month: u32) -> i32 {
    NaiveDate::from_ymd_opt(year, month, 1).map_or(i32::MAX, number)
}

impl Bin {
    pub const ALL: [Bin; 5] = [Bin::Day, Bin::Week, Bin::Month, Bin::Quarter, Bin::Year];

    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Bin::Day => "day",
            Bin::Week => "week",
            Bin::Month => "month",
            Bin::Quarter => "quarter",
            Bin::Year => "year",
        }
    }

    /// The first day (as a day number) of the bin holding day `n`.
    #[must_use]
    pub fn start(self, n: i32) -> i32 {
        let d = date(n);
        match self {
            Bin::Day => n,
            // Day 1 of the common era was a Monday.
            Bin::Week => n - (n - 1).rem_euclid(7),
            Bin::Month => first_of_month(d.year(), d.month()),
            Bin::Quarter => first_of_month(d.year(), (d.month0() / 3) * 3 + 1),
            Bin::Year => first_of_month(d.year(), 1),
        }
    }

    /// The first day of the bin after the one that starts on `start`.
    #[must_use]
    pub fn next(self, start: i32) -> i32 {
        let d = date(start);
        let months = |k: u32| {
            let m0 = d.month0() + k;
            first_of_month(d.year() + (m0 / 12) as i32, m0 % 12 + 1)
        };
        match self {
            Bin::Day => start.saturating_add(1),
            Bin::Week => start.saturating_add(7),
            Bin::Month => months(1),
            Bin::Quarter => months(3),
            Bin::Year => first_of_month(d.year() + 1, 1),
        }
    }

    /// The bin starting on `start`, written for an axis or a headline: "3 Feb 2020",
    /// "wk 3 Feb 2020", "Mar 2019", "Q1 2019", "2019".
    #[must_use]
    pub fn label(self, start: i32) -> String {
        let d = date(start);
        match self {
            Bin::Day => d.format("%-d %b %Y").to_string(),
            Bin::Week => d.format("wk %-d %b %Y").to_string(),
            Bin::Month => d.format("%b %Y").to_string(),
            Bin::Quarter => format!("Q{} {}", d.month0() / 3 + 1, d.year()),
            Bin::Year => d.year().to_string(),
        }
    }

    /// A shorter label for the axis, where room is scarce.
    #[must_use]
    pub fn short_label(self, start: i32) -> String {
        let d = date(start);
        match self {
            Bin::Day | Bin::Week => d.format("%-d %b %y").to_string(),
            _ => self.label(start),
        }
    }

    /// The finest bin that shows `first..=last` in at most [`MAX_AUTO_BINS`] bins.
    #[must_use]
    pub fn for_span(first: i32, last: i32) -> Bin {
        Bin::ALL.into_iter().find(|b| b.count(first, last) <= MAX_AUTO_BINS as usize).unwrap_or(Bin::Year)
    }

    /// How many bins cover `first..=last`.
    #[must_use]
    pub fn count(self, first: i32, last: i32) -> usize {
        if last < first {
            return 0;
        }
        let mut n = 0;
        let mut at = self.start(first);
        while at <= last && n <= MAX_BINS {
            at = self.next(at);
            n += 1;
        }
        n
    }

    /// `steps` bins finer (negative) or coarser (positive), stopping at a day and a year.
    #[must_use]
    pub fn stepped(self, steps: i32) -> Bin {
        let i = Bin::ALL.iter().position(|b| *b == self).unwrap_or(0) as i32;
        Bin::ALL[(i + steps).clamp(0, Bin::ALL.len() as i32 - 1) as usize]
    }
}

/// What one day (or one span of several days) adds up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Amount {
    pub events: u64,
    pub killed: u64,
    /// True when some of the killed is a floor ("at least").
    pub lower_bound: bool,
}

impl Amount {
    fn add(&mut self, other: &Amount) {
        self.events += other.events;
        self.killed += other.killed;
        self.lower_bound |= other.lower_bound;
    }

    /// The figure the measure reads.
    #[must_use]
    pub fn value(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Killed => self.killed,
            Measure::Events => self.events,
        }
    }

    /// The figure as it reads: `12+` when killed is a floor.
    #[must_use]
    pub fn display(&self, measure: Measure) -> String {
        let n = crate::domain::figures::thousands(self.value(measure));
        if measure == Measure::Killed && self.lower_bound { format!("{n}+") } else { n }
    }
}

/// One event for the trend: its first and last possible day, killed and whether that is a floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub start: i32,
    pub end: i32,
    pub killed: u64,
    pub lower_bound: bool,
}

/// The events added up per day, and apart per span for those known only to several days;
/// worked out once per filter so that changing the bin or the date is cheap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayTotals {
    /// Day number of `days[0]`.
    pub first: i32,
    pub days: Vec<Amount>,
    /// Events known to a span of days, added up per (start, end).
    pub spans: Vec<(i32, i32, Amount)>,
}

impl DayTotals {
    /// Adds up `events`. Spans longer than [`MAX_SPAN_DAYS`] of history are not kept per day.
    #[must_use]
    pub fn of(events: impl Iterator<Item = Dated> + Clone) -> DayTotals {
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for e in events.clone() {
            first = first.min(e.start);
            last = last.max(e.end);
        }
        DayTotals::within(first, last, events)
    }

    /// The same, when the first and last day are known already (one pass fewer).
    #[must_use]
    pub fn within(first: i32, last: i32, events: impl Iterator<Item = Dated>) -> DayTotals {
        if first > last {
            return DayTotals::default();
        }
        let len = ((i64::from(last) - i64::from(first)) as usize + 1).min(MAX_SPAN_DAYS);
        let mut days = vec![Amount::default(); len];
        let mut spans: rustc_hash::FxHashMap<(i32, i32), Amount> = rustc_hash::FxHashMap::default();
        for e in events {
            let amount = Amount { events: 1, killed: e.killed, lower_bound: e.lower_bound };
            if e.start == e.end
                && let Some(day) = days.get_mut((e.start - first) as usize)
            {
                day.add(&amount);
            } else {
                spans.entry((e.start, e.end)).or_default().add(&amount);
            }
        }
        let mut spans: Vec<(i32, i32, Amount)> = spans.into_iter().map(|((s, e), a)| (s, e, a)).collect();
        spans.sort_unstable_by_key(|&(s, e, _)| (s, e));
        DayTotals { first, days, spans }
    }

    /// The first and last day anything is dated to.
    #[must_use]
    pub fn extent(&self) -> Option<(i32, i32)> {
        let days = self.days.iter().position(|a| a.events > 0).map(|i| {
            let last = self.days.iter().rposition(|a| a.events > 0).unwrap_or(i);
            (self.first + i as i32, self.first + last as i32)
        });
        let spans = self
            .spans
            .iter()
            .fold(None, |acc: Option<(i32, i32)>, &(s, e, _)| Some(acc.map_or((s, e), |(a, b)| (a.min(s), b.max(e)))));
        match (days, spans) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (x, y) => x.or(y),
        }
    }
}

/// About 270 years of days: a longer stretch is kept only as spans.
pub const MAX_SPAN_DAYS: usize = 100_000;

/// One bin of the trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendBin {
    /// First and last day of the bin (day numbers).
    pub start: i32,
    pub end: i32,
    pub amount: Amount,
}

impl TrendBin {
    #[must_use]
    pub fn first_day(&self) -> Day {
        Day(date(self.start))
    }
}

/// The spike rule: a bin is a spike when its value is above the mean of the up to
/// [`SPIKE_BASELINE`] bins before it plus [`SPIKE_SD`] standard deviations of them, with at
/// least [`SPIKE_HISTORY`] bins before it and at least [`SPIKE_MIN`] in it (so that a quiet
/// series going from 0 to 2 is not a spike).
pub const SPIKE_BASELINE: usize = 12;
pub const SPIKE_SD: f64 = 2.0;
pub const SPIKE_HISTORY: usize = 6;
pub const SPIKE_MIN: u64 = 10;

/// A bin flagged by the spike rule, with the baseline it broke from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spike {
    pub bin: usize,
    pub mean: f64,
    pub sd: f64,
}

/// Flags the spikes of `values` by the rule above; only the first `known` bins are looked at
/// (those up to the as-of date).
#[must_use]
pub fn spikes(values: &[u64], known: usize) -> Vec<Spike> {
    let mut out = Vec::new();
    for i in SPIKE_HISTORY..known.min(values.len()) {
        let base = &values[i.saturating_sub(SPIKE_BASELINE)..i];
        let n = base.len() as f64;
        let mean = base.iter().sum::<u64>() as f64 / n;
        let var = base.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
        let sd = var.sqrt();
        if values[i] >= SPIKE_MIN && values[i] as f64 > mean + SPIKE_SD * sd {
            out.push(Spike { bin: i, mean, sd });
        }
    }
    out
}

/// The trend as drawn: bins, what was counted apart, the peak, the spikes and the cursor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trend {
    pub bin: Option<Bin>,
    pub measure: Measure,
    pub bins: Vec<TrendBin>,
    /// Events whose dates span more than one bin: not put in any bin.
    pub apart: Amount,
    /// The bin of the highest value up to the as-of date (the first of equals); none when
    /// all are zero.
    pub peak: Option<usize>,
    pub spikes: Vec<Spike>,
    /// The bin holding the as-of date, when it is inside the chart.
    pub cursor: Option<usize>,
    /// Bins up to and including the as-of date's (the rest come after it).
    pub known: usize,
}

impl Trend {
    /// Bins `totals` over `first..=last` (day numbers), by `bin`, reading `measure`.
    #[must_use]
    pub fn of(totals: &DayTotals, measure: Measure, bin: Bin, first: i32, last: i32, as_of: Option<i32>) -> Trend {
        let mut bins = Vec::new();
        let mut at = bin.start(first);
        while at <= last && bins.len() < MAX_BINS {
            let next = bin.next(at);
            bins.push(TrendBin { start: at, end: next - 1, amount: Amount::default() });
            at = next;
        }
        let mut trend = Trend { bin: Some(bin), measure, ..Trend::default() };
        let Some(covered_to) = bins.last().map(|b| b.end) else { return trend };
        let covered_from = bins[0].start;
        let slot = |bins: &[TrendBin], day: i32| bins.partition_point(|b| b.end < day);
        // Days in order: walk the bins alongside.
        let mut k = 0;
        for (i, amount) in totals.days.iter().enumerate() {
            let day = totals.first + i as i32;
            if amount.events == 0 || day < covered_from || day > covered_to {
                continue;
            }
            while bins[k].end < day {
                k += 1;
            }
            bins[k].amount.add(amount);
        }
        for &(start, end, ref amount) in &totals.spans {
            if end < covered_from || start > covered_to {
                continue;
            }
            let k = slot(&bins, start);
            match bins.get_mut(k) {
                Some(b) if start >= b.start && end <= b.end => b.amount.add(amount),
                _ => trend.apart.add(amount),
            }
        }
        trend.known = match as_of {
            Some(d) if d < covered_from => 0,
            Some(d) => slot(&bins, d).saturating_add(1).min(bins.len()),
            None => bins.len(),
        };
        trend.cursor = as_of.filter(|&d| d >= covered_from && d <= covered_to).map(|d| slot(&bins, d));
        let values: Vec<u64> = bins.iter().map(|b| b.amount.value(measure)).collect();
        trend.peak = peak(&values[..trend.known]);
        trend.spikes = spikes(&values, trend.known);
        trend.bins = bins;
        trend
    }

    /// "peak Mar 2019: 412 killed", or nothing when there is no peak.
    #[must_use]
    pub fn peak_line(&self) -> Option<String> {
        let (p, bin) = (self.peak?, self.bin?);
        let b = &self.bins[p];
        Some(format!("peak {}: {} {}", bin.label(b.start), b.amount.display(self.measure), self.measure.word()))
    }

    /// The highest value drawn (for the axis).
    #[must_use]
    pub fn max_value(&self) -> u64 {
        self.bins.iter().map(|b| b.amount.value(self.measure)).max().unwrap_or(0)
    }
}

/// The index of the highest value (the first of equals); none when all are zero.
#[must_use]
pub fn peak(values: &[u64]) -> Option<usize> {
    let max = *values.iter().max()?;
    (max > 0).then(|| values.iter().position(|&v| v == max)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str) -> i32 {
        number(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    fn one(day: &str, killed: u64) -> Dated {
        Dated { start: n(day), end: n(day), killed, lower_bound: false }
    }

    #[test]
    fn bins_start_on_a_monday_the_first_of_a_month_a_quarter_and_a_year() {
        let d = n("2020-02-06"); // a Thursday
        assert_eq!(Bin::Day.start(d), d);
        assert_eq!(Bin::Week.start(d), n("2020-02-03"));
        assert_eq!(Bin::Month.start(d), n("2020-02-01"));
        assert_eq!(Bin::Quarter.start(d), n("2020-01-01"));
        assert_eq!(Bin::Year.start(d), n("2020-01-01"));
        assert_eq!(Bin::Month.next(n("2020-12-01")), n("2021-01-01"));
        assert_eq!(Bin::Quarter.next(n("2020-10-01")), n("2021-01-01"));
        assert_eq!(Bin::Quarter.label(n("2020-04-01")), "Q2 2020");
        assert_eq!(Bin::Month.label(n("2019-03-01")), "Mar 2019");
        assert_eq!(Bin::Week.label(n("2020-02-03")), "wk 3 Feb 2020");
    }

    #[test]
    fn the_bin_is_chosen_from_the_span_for_at_most_120_bins() {
        assert_eq!(Bin::for_span(n("2020-02-01"), n("2020-02-07")), Bin::Day);
        assert_eq!(Bin::for_span(n("2020-01-01"), n("2020-04-29")), Bin::Day);
        assert_eq!(Bin::for_span(n("2020-01-01"), n("2020-12-31")), Bin::Week);
        assert_eq!(Bin::for_span(n("2015-01-01"), n("2020-12-31")), Bin::Month);
        assert_eq!(Bin::for_span(n("1997-01-01"), n("2021-11-17")), Bin::Quarter);
        assert_eq!(Bin::for_span(n("1900-01-01"), n("2021-11-17")), Bin::Year);
        let (first, last) = (n("1997-01-01"), n("2021-11-17"));
        assert!((20..=120).contains(&Bin::for_span(first, last).count(first, last)));
        assert_eq!(Bin::Month.stepped(-1), Bin::Week);
        assert_eq!(Bin::Year.stepped(3), Bin::Year);
    }

    #[test]
    fn days_are_added_into_their_bins_and_the_peak_is_named() {
        let events = [one("2019-03-04", 300), one("2019-03-20", 112), one("2019-02-10", 5), one("2019-05-01", 412)];
        let totals = DayTotals::of(events.iter().copied());
        let trend = Trend::of(&totals, Measure::Killed, Bin::Month, n("2019-02-10"), n("2019-05-01"), None);
        let values: Vec<u64> = trend.bins.iter().map(|b| b.amount.killed).collect();
        assert_eq!(values, [5, 412, 0, 412]);
        // The first of equal highs is the peak.
        assert_eq!(trend.peak_line().as_deref(), Some("peak Mar 2019: 412 killed"));
        let events_trend = Trend::of(&totals, Measure::Events, Bin::Month, n("2019-02-10"), n("2019-05-01"), None);
        assert_eq!(events_trend.peak_line().as_deref(), Some("peak Mar 2019: 2 events"));
    }

    #[test]
    fn the_peak_and_spikes_look_only_up_to_the_as_of_date() {
        let events = [one("2019-01-05", 3), one("2019-03-04", 50)];
        let totals = DayTotals::of(events.iter().copied());
        let trend =
            Trend::of(&totals, Measure::Killed, Bin::Month, n("2019-01-05"), n("2019-03-04"), Some(n("2019-02-14")));
        assert_eq!(trend.known, 2);
        assert_eq!(trend.cursor, Some(1));
        assert_eq!(trend.peak_line().as_deref(), Some("peak Jan 2019: 3 killed"));
        assert!(peak(&[0, 0]).is_none(), "no peak when nothing happened");
    }

    #[test]
    fn a_week_or_month_goes_in_the_bin_holding_its_whole_window_or_is_said_apart() {
        let week = Dated { start: n("2020-02-03"), end: n("2020-02-09"), killed: 10, lower_bound: true };
        let month = Dated { start: n("2020-02-01"), end: n("2020-02-29"), killed: 7, lower_bound: false };
        let events = [week, month, one("2020-02-04", 4)];
        let totals = DayTotals::of(events.iter().copied());
        let (first, last) = (n("2020-02-01"), n("2020-02-29"));

        let by_day = Trend::of(&totals, Measure::Killed, Bin::Day, first, last, None);
        assert_eq!(by_day.bins.iter().map(|b| b.amount.killed).sum::<u64>(), 4, "nothing is spread over days");
        assert_eq!(by_day.apart.killed, 17);
        assert_eq!(by_day.apart.events, 2);
        assert!(by_day.apart.lower_bound, "a floor counted apart stays a floor");

        let by_week = Trend::of(&totals, Measure::Killed, Bin::Week, first, last, None);
        let wk = by_week.bins.iter().find(|b| b.start == n("2020-02-03")).unwrap();
        assert_eq!(wk.amount.killed, 14);
        assert_eq!(wk.amount.display(Measure::Killed), "14+");
        assert_eq!(by_week.apart.killed, 7, "the month is finer than a week bin: apart");

        let by_month = Trend::of(&totals, Measure::Killed, Bin::Month, first, last, None);
        assert_eq!(by_month.bins.len(), 1);
        assert_eq!(by_month.bins[0].amount.killed, 21);
        assert_eq!(by_month.apart, Amount::default());

        // A week across two months is apart from both months.
        let across = Dated { start: n("2020-03-30"), end: n("2020-04-05"), killed: 2, lower_bound: false };
        let totals = DayTotals::of([across].into_iter());
        let t = Trend::of(&totals, Measure::Killed, Bin::Month, n("2020-03-30"), n("2020-04-05"), None);
        assert_eq!((t.bins.len(), t.apart.killed), (2, 2));
    }

    #[test]
    fn a_spike_breaks_the_trailing_mean_by_two_deviations_and_the_minimum() {
        // A steady series (mean 20, deviation 2), then a jump.
        let mut values = vec![18, 22, 18, 22, 18, 22, 18, 22, 18, 22, 18, 22];
        values.push(40);
        let flagged = spikes(&values, values.len());
        assert_eq!(flagged.len(), 1);
        assert_eq!(flagged[0].bin, 12);
        assert!((flagged[0].mean - 20.0).abs() < 1e-9);
        // Just under the line is not a spike.
        let line = flagged[0].mean + 2.0 * flagged[0].sd;
        values[12] = line.floor() as u64;
        assert!(spikes(&values, values.len()).is_empty());
        // A quiet series going from nothing to a few is noise, however far above its mean.
        let quiet = [0, 0, 0, 0, 0, 0, 0, 0, 3];
        assert!(spikes(&quiet, quiet.len()).is_empty());
        let loud = [0, 0, 0, 0, 0, 0, 0, 0, 10];
        assert_eq!(spikes(&loud, loud.len()).len(), 1);
        // Too little history to judge.
        assert!(spikes(&[0, 0, 0, 50], 4).is_empty());
        // Nothing after the as-of date is flagged.
        assert!(spikes(&loud, 8).is_empty());
    }
}
