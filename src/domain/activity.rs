//! Domain layer: what a set of events adds up to — per place (events, killed, the last date,
//! the change against the previous period), per ACLED event type, per actor on each side,
//! and over a comparison window. Plain passes over the index's columns (no event records
//! are touched), so that they run on every keystroke at a million events.

use crate::domain::figures::{Tally, TimeWindow};
use crate::domain::index::{Days, SearchIndex, day_number};
use crate::domain::model::{Day, Kind, Outcome};

/// The lengths the comparison window steps through, in days.
pub const COMPARE_STEPS: [i64; 4] = [7, 30, 90, 365];

/// The last `days` up to `to` against the `days` before them, as day numbers (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    pub days: i64,
    /// The last day of the recent period (the as-of date).
    pub to: i32,
}

impl Periods {
    /// The recent period ends at the window's end, or at the latest of the events when the
    /// window has none.
    #[must_use]
    pub fn new(days: i64, window: TimeWindow, index: &SearchIndex, events: &[u32]) -> Periods {
        let to = match window.to {
            Some(d) => day_number(d),
            None => events.iter().map(|&i| index.start[i as usize]).max().unwrap_or(0),
        };
        Periods { days, to }
    }

    fn span(&self) -> i32 {
        i32::try_from(self.days).unwrap_or(i32::MAX)
    }

    /// 0 for the recent period, 1 for the one before, `None` outside both; by start day.
    #[must_use]
    pub fn which(&self, start: i32) -> Option<usize> {
        let back = self.to.checked_sub(start)?;
        if back < 0 {
            return None;
        }
        match back / self.span().max(1) {
            0 => Some(0),
            1 => Some(1),
            _ => None,
        }
    }

    /// The day a `since:` cuts the comparison at, when it falls after the first day of the
    /// period before: that period (or both, when it falls in the recent one too) then counts
    /// only from it. `None` when both periods are whole.
    #[must_use]
    pub fn cut_by(&self, since: Option<Day>) -> Option<Day> {
        since.filter(|&s| s > self.bounds(1).0)
    }

    /// The first and last day of a period (0 recent, 1 before).
    #[must_use]
    pub fn bounds(&self, period: usize) -> (Day, Day) {
        let n = self.span();
        let last = self.to - n * i32::try_from(period).unwrap_or(0);
        let day = |num: i32| Day(chrono::NaiveDate::from_num_days_from_ce_opt(num).unwrap_or_default());
        (day(last - n + 1), day(last))
    }
}

/// Events and killed of one group of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub events: u64,
    pub killed: Tally,
}

/// The killed of one event as a tally (none when nobody was reported killed).
fn killed_of(index: &SearchIndex, event: usize) -> Option<Tally> {
    if index.killed[event] == 0 && index.figure_facts(event).all(|f| f.outcome != Outcome::Killed) {
        return None;
    }
    let mut tally = Tally::default();
    for f in index.figure_facts(event) {
        if f.outcome == Outcome::Killed {
            tally.merge(&f.tally);
        }
    }
    Some(tally)
}

impl Figures {
    /// Adds one event with its killed, worked out once for every figure it counts toward.
    fn add(&mut self, killed: Option<&Tally>) {
        self.events += 1;
        if let Some(k) = killed {
            self.killed.merge(k);
        }
    }

    fn merge(&mut self, other: &Figures) {
        self.events += other.events;
        self.killed.merge(&other.killed);
    }
}

/// One place's activity, the places inside it included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlaceActivity {
    /// Every event shown inside the window (what Enter on the place narrows to).
    pub events: u64,
    /// Killed in the events that count toward totals.
    pub killed: Tally,
    /// The day number of the latest event's start (`i32::MIN` when none).
    pub last: i32,
    /// Counted events in the recent period and in the one before.
    pub recent: u64,
    pub before: u64,
}

/// Which way a figure moved against the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Rising,
    Falling,
    Steady,
}

impl Trend {
    #[must_use]
    pub fn of(recent: u64, before: u64) -> Trend {
        match recent.cmp(&before) {
            std::cmp::Ordering::Greater => Trend::Rising,
            std::cmp::Ordering::Less => Trend::Falling,
            std::cmp::Ordering::Equal => Trend::Steady,
        }
    }

    #[must_use]
    pub fn mark(self) -> &'static str {
        match self {
            Trend::Rising => "▲",
            Trend::Falling => "▼",
            Trend::Steady => "·",
        }
    }
}

impl PlaceActivity {
    #[must_use]
    pub fn trend(&self) -> Trend {
        Trend::of(self.recent, self.before)
    }

    /// The latest event's start, as a day.
    #[must_use]
    pub fn last_day(&self) -> Option<Day> {
        (self.last > i32::MIN).then(|| chrono::NaiveDate::from_num_days_from_ce_opt(self.last).map(Day)).flatten()
    }
}

/// Activity at every place (by index), each including the places inside it: one pass over
/// the events at their own places, then each place's figures carried up its chain.
#[must_use]
pub fn by_place(
    index: &SearchIndex,
    events: &[u32],
    window: TimeWindow,
    periods: Periods,
    places: usize,
) -> Vec<PlaceActivity> {
    let days = Days::of(&window);
    let empty = PlaceActivity { last: i32::MIN, ..PlaceActivity::default() };
    let mut at = vec![empty; places];
    for &i in events {
        let i = i as usize;
        if !index.admits_days(days, i) {
            continue;
        }
        let Some(a) = at.get_mut(index.place[i] as usize) else { continue };
        a.events += 1;
        a.last = a.last.max(index.start[i]);
        if index.counted[i] {
            if index.killed[i] > 0 {
                for f in index.figure_facts(i) {
                    if f.outcome == Outcome::Killed {
                        a.killed.merge(&f.tally);
                    }
                }
            }
            match periods.which(index.start[i]) {
                Some(0) => a.recent += 1,
                Some(_) => a.before += 1,
                None => {}
            }
        }
    }
    let mut total = vec![empty; places];
    for (place, a) in at.iter().enumerate().filter(|(_, a)| a.events > 0) {
        for &p in index.place_chain.get(place) {
            if let Some(t) = total.get_mut(p as usize) {
                t.events += a.events;
                t.killed.merge(&a.killed);
                t.last = t.last.max(a.last);
                t.recent += a.recent;
                t.before += a.before;
            }
        }
    }
    total
}

/// Who acts and who is hit: actor1 and actor2 of the events, apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Acting,
    Hit,
}

/// What the counters pane breaks the events down by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// By kind (ACLED sub-event type), in [`Kind::ALL`] order.
    pub by_kind: Vec<Figures>,
    /// By actor index: as actor1 and as actor2.
    pub acting: Vec<Figures>,
    pub hit: Vec<Figures>,
    /// The recent period and the one before.
    pub periods: [Figures; 2],
}

impl Breakdown {
    /// ACLED event types with their figures, busiest first (ties by name).
    #[must_use]
    pub fn by_type(&self) -> Vec<(&'static str, Figures)> {
        let mut types: Vec<(&'static str, Figures)> = Vec::new();
        for (k, f) in Kind::ALL.iter().zip(&self.by_kind) {
            if f.events == 0 {
                continue;
            }
            match types.iter_mut().find(|t| t.0 == k.acled_event_type()) {
                Some(t) => t.1.merge(f),
                None => types.push((k.acled_event_type(), *f)),
            }
        }
        types.sort_by(|a, b| b.1.events.cmp(&a.1.events).then(a.0.cmp(b.0)));
        types
    }

    /// The sub-types of one event type with their figures, busiest first.
    #[must_use]
    pub fn sub_types(&self, event_type: &str) -> Vec<(Kind, Figures)> {
        let mut subs: Vec<(Kind, Figures)> = Kind::ALL
            .iter()
            .zip(&self.by_kind)
            .filter(|(k, f)| k.acled_event_type() == event_type && f.events > 0)
            .map(|(k, f)| (*k, *f))
            .collect();
        subs.sort_by_key(|s| std::cmp::Reverse(s.1.events));
        subs
    }

    /// The `n` actors on a side with the most events, or the most killed (ties by index).
    #[must_use]
    pub fn top(&self, side: Side, by_killed: bool, n: usize) -> Vec<(u32, Figures)> {
        let list = match side {
            Side::Acting => &self.acting,
            Side::Hit => &self.hit,
        };
        let mut top: Vec<(u32, Figures)> = list
            .iter()
            .enumerate()
            .filter(|(_, f)| if by_killed { f.killed.best > 0 } else { f.events > 0 })
            .map(|(a, f)| (a as u32, *f))
            .collect();
        let key = |f: &Figures| if by_killed { (f.killed.best, f.events) } else { (f.events, f.killed.best) };
        let n = n.min(top.len());
        if n == 0 {
            return Vec::new();
        }
        top.select_nth_unstable_by(n - 1, |a, b| key(&b.1).cmp(&key(&a.1)).then(a.0.cmp(&b.0)));
        top.truncate(n);
        top.sort_by(|a, b| key(&b.1).cmp(&key(&a.1)).then(a.0.cmp(&b.0)));
        top
    }
}

/// The change from `before` to `recent`: the difference and, when there was something
/// before, the per cent.
#[must_use]
pub fn change(recent: u64, before: u64) -> (i64, Option<f64>) {
    let diff = i64::try_from(recent).unwrap_or(i64::MAX) - i64::try_from(before).unwrap_or(i64::MAX);
    let per_cent = (before > 0).then(|| diff as f64 * 100.0 / before as f64);
    (diff, per_cent)
}

/// The breakdown of the events that count toward totals inside the window; on large sets,
/// half the events on each core, the halves added.
#[must_use]
pub fn breakdown(
    index: &SearchIndex,
    events: &[u32],
    window: TimeWindow,
    periods: Periods,
    actors: usize,
) -> Breakdown {
    let days = Days::of(&window);
    let part = |events: &[u32]| {
        let mut b = Breakdown {
            by_kind: vec![Figures::default(); Kind::ALL.len()],
            acting: vec![Figures::default(); actors],
            hit: vec![Figures::default(); actors],
            periods: [Figures::default(); 2],
        };
        for &i in events {
            let i = i as usize;
            if !index.counted[i] || !index.admits_days(days, i) {
                continue;
            }
            let killed = killed_of(index, i);
            let killed = killed.as_ref();
            b.by_kind[index.kind[i] as usize].add(killed);
            if let Some(f) = b.acting.get_mut(index.actor1[i] as usize) {
                f.add(killed);
            }
            if let Some(f) = b.hit.get_mut(index.actor2[i] as usize) {
                f.add(killed);
            }
            if let Some(p) = periods.which(index.start[i]) {
                b.periods[p].add(killed);
            }
        }
        b
    };
    if events.len() <= crate::domain::index::PARALLEL_EVENTS {
        return part(events);
    }
    let (first, second) = events.split_at(events.len() / 2);
    let (mut a, b) = std::thread::scope(|scope| {
        let b = scope.spawn(|| part(second));
        (part(first), b.join().unwrap_or_default())
    });
    let add = |x: &mut Vec<Figures>, y: &[Figures]| {
        for (p, q) in x.iter_mut().zip(y) {
            p.merge(q);
        }
    };
    add(&mut a.by_kind, &b.by_kind);
    add(&mut a.acting, &b.acting);
    add(&mut a.hit, &b.hit);
    for (p, q) in a.periods.iter_mut().zip(&b.periods) {
        p.merge(q);
    }
    a
}
