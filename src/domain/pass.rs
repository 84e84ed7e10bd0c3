//! Domain layer: every sum the dashboard's panes show for a filter, added up in one pass
//! over the matching events (half on each core on large sets): the places' activity, the
//! type/actor breakdown with the comparison window, killed and injured, the trend's day
//! totals and the map's per-place totals. Each event's columns are read once and its killed
//! worked out once, where the panes' own passes read them four or five times. The results
//! are those of [`activity::by_place`], [`activity::breakdown`], [`SearchIndex::casualties`],
//! [`DayTotals::within`] and the map's totals (a property test holds them to it).
//!
//! The sums can be taken back: a tally's flags and open ends are kept as counts of the parts
//! that have them, so an event taken out undoes what adding it did. The next keystroke's
//! sums are then the last ones, less the events the filter no longer finds, plus those it
//! now finds ([`LastPass`]): typing a word on mostly drops events, and a pass over the few
//! that changed costs less than one over all that match. Only the latest dates (a maximum)
//! cannot be taken back; they are looked up again where an event taken out may have held one.

use rustc_hash::FxHashMap;

use crate::domain::activity::{Breakdown, Figures, Periods, PlaceActivity};
use crate::domain::figures::{CasualtyFigures, Tally, TimeWindow};
use crate::domain::geo::PlaceTotals;
use crate::domain::index::{Bits, Days, LISTED, NO_FIGURE, PARALLEL_EVENTS, SearchIndex};
use crate::domain::model::{Kind, Outcome};
use crate::domain::trend::{Amount, DayTotals, MAX_SPAN_DAYS};

/// What one pass needs to know.
#[derive(Debug, Clone, Copy)]
pub struct PassInput<'a> {
    pub index: &'a SearchIndex,
    /// The events matching the filter, in index order: the places rank these.
    pub events: &'a [u32],
    /// Per place, whether it lies inside the place narrowed to (`None`: no narrowing). The
    /// breakdown, casualties, trend and map count only the events at such places.
    pub inside: Option<&'a [bool]>,
    /// The window the figures use (the time cursor, since:/until:).
    pub window: TimeWindow,
    pub periods: Periods,
    /// The trend's ends (since:/until: only: the trend runs past the time cursor).
    pub clip: TimeWindow,
    pub places: usize,
    pub actors: usize,
    /// Per place, whether the map can draw it (it has coordinates).
    pub placed: &'a [bool],
}

/// The panes' sums; see the module's text for what each equals.
#[derive(Debug, Clone, PartialEq)]
pub struct Sums {
    /// Every place's activity, the places inside it included (over all matching events).
    pub places: Vec<PlaceActivity>,
    pub breakdown: Breakdown,
    pub casualties: CasualtyFigures,
    pub days: DayTotals,
    pub map: PlaceTotals,
}

/// A [`Tally`] as a sum that can be taken back: its flags and open upper ends as counts of
/// the parts that have them. Arithmetic wraps, so that a share holding more taken out than
/// put in is still right once the shares are joined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sum {
    best: u64,
    low: u64,
    /// The upper ends of the parts that have one.
    high: u64,
    /// Parts with no upper end.
    open: u64,
    /// Parts that are floors, and approximate parts.
    floors: u64,
    rough: u64,
    parts: u64,
    /// The exact parts' counts, apart: what one of them adds is two sums, not seven (most
    /// events' killed is one exact figure). Added to `best`, `low` and `high` when read.
    exact: u64,
}

/// Adds `v` to `x`, or takes it away when `TAKE` (wrapping either way).
#[inline]
fn step<const TAKE: bool>(x: &mut u64, v: u64) {
    *x = if TAKE { x.wrapping_sub(v) } else { x.wrapping_add(v) };
}

impl Sum {
    #[inline]
    fn put<const TAKE: bool>(&mut self, t: &Tally) {
        step::<TAKE>(&mut self.best, t.best);
        step::<TAKE>(&mut self.low, t.low);
        step::<TAKE>(&mut self.high, t.high.unwrap_or(0));
        step::<TAKE>(&mut self.open, u64::from(t.high.is_none()));
        step::<TAKE>(&mut self.floors, u64::from(t.lower_bound));
        step::<TAKE>(&mut self.rough, u64::from(t.approximate));
        step::<TAKE>(&mut self.parts, 1);
    }

    /// [`Sum::put`] of `t`, told whether it is one exact count ([`Tally::exact`]).
    #[inline]
    fn put_told<const TAKE: bool>(&mut self, t: &Tally, exact: bool) {
        if exact {
            step::<TAKE>(&mut self.exact, t.best);
            step::<TAKE>(&mut self.parts, 1);
        } else {
            self.put::<TAKE>(t);
        }
    }

    fn join(&mut self, o: &Sum) {
        self.best = self.best.wrapping_add(o.best);
        self.low = self.low.wrapping_add(o.low);
        self.high = self.high.wrapping_add(o.high);
        self.open = self.open.wrapping_add(o.open);
        self.floors = self.floors.wrapping_add(o.floors);
        self.rough = self.rough.wrapping_add(o.rough);
        self.parts = self.parts.wrapping_add(o.parts);
        self.exact = self.exact.wrapping_add(o.exact);
    }

    /// The tally the parts merge into (that of no part: `Tally::default()`).
    fn tally(&self) -> Tally {
        Tally {
            best: self.best.wrapping_add(self.exact),
            low: self.low.wrapping_add(self.exact),
            high: (self.open == 0).then_some(self.high.wrapping_add(self.exact)),
            lower_bound: self.floors != 0,
            approximate: self.rough != 0,
        }
    }

    /// The tally, or none when no part was added (a casualty group nobody is counted in).
    fn group(&self) -> Option<Tally> {
        (self.parts != 0).then(|| self.tally())
    }
}

/// An event count with its killed, as [`Figures`] (the killed as a [`Sum`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Count {
    events: u64,
    killed: Sum,
}

impl Count {
    /// Counts an event with its killed (`exact`: one exact count).
    #[inline]
    fn put<const TAKE: bool>(&mut self, killed: Option<&Tally>, exact: bool) {
        step::<TAKE>(&mut self.events, 1);
        if let Some(k) = killed {
            self.killed.put_told::<TAKE>(k, exact);
        }
    }

    fn join(&mut self, o: &Count) {
        self.events = self.events.wrapping_add(o.events);
        self.killed.join(&o.killed);
    }

    fn figures(&self) -> Figures {
        Figures { events: self.events, killed: self.killed.tally() }
    }
}

/// A day's or a span's events and killed, as [`Amount`] (the floors counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Dated {
    events: u64,
    killed: u64,
    floors: u64,
}

impl Dated {
    #[inline]
    fn put<const TAKE: bool>(&mut self, killed: u64, floor: bool) {
        step::<TAKE>(&mut self.events, 1);
        step::<TAKE>(&mut self.killed, killed);
        step::<TAKE>(&mut self.floors, u64::from(floor));
    }

    fn join(&mut self, o: &Dated) {
        self.events = self.events.wrapping_add(o.events);
        self.killed = self.killed.wrapping_add(o.killed);
        self.floors = self.floors.wrapping_add(o.floors);
    }

    fn amount(&self) -> Amount {
        Amount { events: self.events, killed: self.killed, lower_bound: self.floors != 0 }
    }
}

/// What one core adds up at each place for every event there: small, so that the places of
/// a large data set stay in the core's cache (the killed, needed for fewer events, is kept
/// apart in `Part::killed_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AtPlace {
    events: u32,
    /// The latest start (a maximum: not taken back; see `Part::stale`).
    last: i32,
    recent: u32,
    before: u32,
    /// Killed in the counted events, as the map shades them.
    map_killed: u64,
}

const NOBODY_YET: AtPlace = AtPlace { events: 0, last: i32::MIN, recent: 0, before: 0, map_killed: 0 };

/// One core's share of the sums, before the shares are added.
#[derive(Debug, Clone)]
struct Part {
    at: Vec<AtPlace>,
    killed_at: Vec<Sum>,
    /// Places where an event taken out may have been the latest: their `last` is looked up
    /// again (empty until something is taken out).
    stale: Vec<bool>,
    /// Events shown inside the window at no known place.
    unplaced: u64,
    by_kind: Vec<Count>,
    acting: Vec<Count>,
    hit: Vec<Count>,
    periods: [Count; 2],
    killed: Sum,
    injured: Sum,
    killed_by_group: Vec<Sum>,
    injured_by_group: Vec<Sum>,
    /// The first start and last end of the events the trend counts, and whether an event
    /// taken out may have been either (then they are looked up again).
    first: i32,
    last: i32,
    ends_stale: bool,
    /// Single-day totals from day number `base` on.
    days: Vec<Dated>,
    spans: FxHashMap<(i32, i32), Dated>,
}

impl Part {
    fn new(input: &PassInput<'_>, span: usize) -> Part {
        let groups = input.index.groups.len();
        Part {
            at: vec![NOBODY_YET; input.places],
            killed_at: vec![Sum::default(); input.places],
            stale: Vec::new(),
            unplaced: 0,
            by_kind: vec![Count::default(); Kind::ALL.len()],
            acting: vec![Count::default(); input.actors],
            hit: vec![Count::default(); input.actors],
            periods: [Count::default(); 2],
            killed: Sum::default(),
            injured: Sum::default(),
            killed_by_group: vec![Sum::default(); groups],
            injured_by_group: vec![Sum::default(); groups],
            first: i32::MAX,
            last: i32::MIN,
            ends_stale: false,
            days: vec![Dated::default(); span],
            spans: FxHashMap::default(),
        }
    }

    /// An empty share that takes events out of `kept`: it knows `kept`'s latest dates, to
    /// tell which events taken out may have been one.
    fn beside(kept: &Part, input: &PassInput<'_>, span: usize) -> Part {
        let mut part = Part::new(input, span);
        for (a, k) in part.at.iter_mut().zip(&kept.at) {
            a.last = k.last;
        }
        (part.first, part.last) = (kept.first, kept.last);
        part
    }

    /// Adds up `events` (a share of the input's), or with `TAKE` takes them out again
    /// (events that were added before): then the places where one may have been the latest
    /// are marked stale, for `last` to be looked up again (and the trend's ends likewise).
    #[allow(clippy::too_many_lines)]
    fn add_events<const TAKE: bool>(&mut self, input: &PassInput<'_>, events: &[u32], base: i32) {
        let index = input.index;
        let window = Days::of(&input.window);
        let clip = Days::of(&input.clip);
        // The comparison periods as ranges of days back from their end (the same as
        // `Periods::which`, without a division per event).
        let period = i64::from(i32::try_from(input.periods.days).unwrap_or(i32::MAX).max(1));
        let to = i64::from(input.periods.to);
        if TAKE && self.stale.len() != self.at.len() {
            self.stale = vec![false; self.at.len()];
        }
        let one = |x: &mut u32| *x = if TAKE { x.wrapping_sub(1) } else { x.wrapping_add(1) };
        for &e in events {
            let i = e as usize;
            let (start, end) = (index.start[i], index.end[i]);
            let admitted = end >= window.from && start <= window.to;
            let counted = index.counted[i];
            let clipped = counted && end >= clip.from && start <= clip.to;
            if !admitted && !clipped {
                continue;
            }
            let place = index.place[i] as usize;
            let inside = input.inside.is_none_or(|m| m.get(place).copied().unwrap_or(false));
            let counts = counted && admitted && inside;
            let killed = index.killed[i];
            // The killed of the event as a tally, and its casualties, read once.
            let mut tally = Tally::default();
            let mut killed_figure = false;
            let mut exact = false;
            let lone = index.lone_killed[i];
            if counted && lone != NO_FIGURE && lone != LISTED {
                // The common case, told by one byte: one exact killed figure.
                tally = Tally::exact(killed);
                killed_figure = true;
                exact = true;
                if counts {
                    self.killed.put_told::<TAKE>(&tally, true);
                    self.killed_by_group[usize::from(lone - 1)].put_told::<TAKE>(&tally, true);
                }
            } else if counted && lone == LISTED {
                for f in index.figure_facts(i) {
                    match f.outcome {
                        Outcome::Killed => {
                            tally.merge(&f.tally);
                            killed_figure = true;
                            if counts {
                                self.killed.put::<TAKE>(&f.tally);
                                self.killed_by_group[f.group as usize].put::<TAKE>(&f.tally);
                            }
                        }
                        Outcome::Injured => {
                            if counts {
                                self.injured.put::<TAKE>(&f.tally);
                                self.injured_by_group[f.group as usize].put::<TAKE>(&f.tally);
                            }
                        }
                    }
                }
            }
            let which = if counted {
                let back = to - i64::from(start);
                match back {
                    b if b < 0 => None,
                    b if b < period => Some(0),
                    b if b < 2 * period => Some(1),
                    _ => None,
                }
            } else {
                None
            };
            if admitted {
                if let Some(a) = self.at.get_mut(place) {
                    one(&mut a.events);
                    if TAKE {
                        if start >= a.last {
                            self.stale[place] = true;
                        }
                    } else {
                        a.last = a.last.max(start);
                    }
                    if counted {
                        if killed > 0 {
                            self.killed_at[place].put_told::<TAKE>(&tally, exact);
                        }
                        match which {
                            Some(0) => one(&mut a.recent),
                            Some(_) => one(&mut a.before),
                            None => {}
                        }
                        step::<TAKE>(&mut a.map_killed, killed);
                    }
                } else if inside {
                    step::<TAKE>(&mut self.unplaced, 1);
                }
            }
            if counts {
                let k = (killed > 0 || killed_figure).then_some(&tally);
                self.by_kind[index.kind[i] as usize].put::<TAKE>(k, exact);
                if let Some(f) = self.acting.get_mut(index.actor1[i] as usize) {
                    f.put::<TAKE>(k, exact);
                }
                if let Some(f) = self.hit.get_mut(index.actor2[i] as usize) {
                    f.put::<TAKE>(k, exact);
                }
                if let Some(p) = which {
                    self.periods[p].put::<TAKE>(k, exact);
                }
            }
            if clipped && inside {
                if TAKE {
                    self.ends_stale |= start <= self.first || end >= self.last;
                } else {
                    self.first = self.first.min(start);
                    self.last = self.last.max(end);
                }
                let floor = killed > 0 && tally.lower_bound;
                match self.days.get_mut((start - base) as usize) {
                    Some(day) if start == end => day.put::<TAKE>(killed, floor),
                    _ => self.spans.entry((start, end)).or_default().put::<TAKE>(killed, floor),
                }
            }
        }
    }

    fn join(&mut self, other: &Part) {
        let wrap = |a: &mut u32, b: u32| *a = a.wrapping_add(b);
        for (a, b) in self.at.iter_mut().zip(&other.at) {
            wrap(&mut a.events, b.events);
            a.last = a.last.max(b.last);
            wrap(&mut a.recent, b.recent);
            wrap(&mut a.before, b.before);
            a.map_killed = a.map_killed.wrapping_add(b.map_killed);
        }
        for (a, b) in self.killed_at.iter_mut().zip(&other.killed_at) {
            a.join(b);
        }
        if !other.stale.is_empty() {
            if self.stale.is_empty() {
                self.stale.clone_from(&other.stale);
            } else {
                for (a, b) in self.stale.iter_mut().zip(&other.stale) {
                    *a |= b;
                }
            }
        }
        self.unplaced = self.unplaced.wrapping_add(other.unplaced);
        for (a, b) in self.by_kind.iter_mut().zip(&other.by_kind) {
            a.join(b);
        }
        for (a, b) in self.acting.iter_mut().zip(&other.acting) {
            a.join(b);
        }
        for (a, b) in self.hit.iter_mut().zip(&other.hit) {
            a.join(b);
        }
        for (a, b) in self.periods.iter_mut().zip(&other.periods) {
            a.join(b);
        }
        self.killed.join(&other.killed);
        self.injured.join(&other.injured);
        for (a, b) in self.killed_by_group.iter_mut().zip(&other.killed_by_group) {
            a.join(b);
        }
        for (a, b) in self.injured_by_group.iter_mut().zip(&other.injured_by_group) {
            a.join(b);
        }
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.ends_stale |= other.ends_stale;
        for (a, b) in self.days.iter_mut().zip(&other.days) {
            a.join(b);
        }
        for (k, b) in &other.spans {
            self.spans.entry(*k).or_default().join(b);
        }
    }

    /// After events were taken out: looks up again, among the events now added up, the
    /// latest start at each stale place and the trend's first start and last end when they
    /// are stale. When the index's starts are in order, from the ends of the events inward,
    /// stopping once every one is found; otherwise over all of them.
    fn settle(&mut self, input: &PassInput<'_>) {
        let index = input.index;
        let window = Days::of(&input.window);
        let clip = Days::of(&input.clip);
        let mut missing = 0usize;
        for (a, stale) in self.at.iter_mut().zip(self.stale.iter_mut()) {
            if *stale {
                a.last = i32::MIN;
                // A place with no event left has no latest one to find.
                *stale = a.events != 0;
                missing += usize::from(*stale);
            }
        }
        let ends = std::mem::take(&mut self.ends_stale);
        if missing == 0 && !ends {
            self.stale.clear();
            return;
        }
        let admitted = |i: usize| index.end[i] >= window.from && index.start[i] <= window.to;
        let trended = |i: usize| {
            index.counted[i]
                && index.end[i] >= clip.from
                && index.start[i] <= clip.to
                && input.inside.is_none_or(|m| m.get(index.place[i] as usize).copied().unwrap_or(false))
        };
        let events = input.events;
        if index.starts_sorted {
            // The latest start at a place is that of its last event admitted.
            let mut last_end = i32::MIN;
            let mut ends_found = !ends;
            for &e in events.iter().rev() {
                let i = e as usize;
                let place = index.place[i] as usize;
                if missing > 0 && self.stale.get(place).copied().unwrap_or(false) && admitted(i) {
                    self.at[place].last = index.start[i];
                    self.stale[place] = false;
                    missing -= 1;
                }
                if !ends_found && trended(i) {
                    last_end = last_end.max(index.end[i]);
                }
                // No earlier event can end later than this: none is longer than the longest.
                if !ends_found
                    && last_end != i32::MIN
                    && i64::from(index.start[i]) + i64::from(index.longest) < i64::from(last_end)
                {
                    ends_found = true;
                }
                if missing == 0 && ends_found {
                    break;
                }
            }
            if ends {
                self.last = last_end;
                self.first =
                    events.iter().map(|&e| e as usize).find(|&i| trended(i)).map_or(i32::MAX, |i| index.start[i]);
            }
        } else {
            let (mut first, mut last) = (i32::MAX, i32::MIN);
            for &e in events {
                let i = e as usize;
                let place = index.place[i] as usize;
                if self.stale.get(place).copied().unwrap_or(false) && admitted(i) {
                    let a = &mut self.at[place];
                    a.last = a.last.max(index.start[i]);
                }
                if ends && trended(i) {
                    first = first.min(index.start[i]);
                    last = last.max(index.end[i]);
                }
            }
            if ends {
                (self.first, self.last) = (first, last);
            }
        }
        self.stale.clear();
        self.spans.retain(|_, d| d.events != 0);
    }

    fn finish(&self, input: &PassInput<'_>, base: i32) -> Sums {
        let index = input.index;
        let n = input.places;
        // The map: what is shown at each place it can draw; the rest is not placed.
        let shown = |p: usize| input.inside.is_none_or(|m| m.get(p).copied().unwrap_or(false));
        let mut map = PlaceTotals { events: vec![0; n], killed: vec![0; n], not_placed: self.unplaced };
        for p in (0..n).filter(|&p| self.at[p].events > 0 && shown(p)) {
            if input.placed.get(p).copied().unwrap_or(false) {
                map.events[p] = u64::from(self.at[p].events);
                map.killed[p] = self.at[p].map_killed;
            } else {
                map.not_placed += u64::from(self.at[p].events);
            }
        }
        // Each place's figures carried up to the places that contain it.
        let mut places = vec![NO_PLACE; n];
        for (place, a) in self.at.iter().enumerate().filter(|(_, a)| a.events > 0) {
            let a = PlaceActivity {
                events: u64::from(a.events),
                killed: self.killed_at[place].tally(),
                last: a.last,
                recent: u64::from(a.recent),
                before: u64::from(a.before),
            };
            for &p in index.place_chain.get(place) {
                if let Some(t) = places.get_mut(p as usize) {
                    add_place(t, &a);
                }
            }
        }
        let named = |sums: &[Sum]| {
            sums.iter().enumerate().filter_map(|(g, s)| Some((index.groups[g].clone(), s.group()?))).collect()
        };
        let casualties = CasualtyFigures {
            killed: self.killed.tally(),
            injured: self.injured.tally(),
            killed_by_group: named(&self.killed_by_group),
            injured_by_group: named(&self.injured_by_group),
        };
        let days = if self.first > self.last {
            DayTotals::default()
        } else {
            let from = (self.first - base) as usize;
            let to = (self.last - base) as usize;
            let mut spans: Vec<(i32, i32, Amount)> =
                self.spans.iter().filter(|(_, d)| d.events != 0).map(|(&(s, e), d)| (s, e, d.amount())).collect();
            spans.sort_unstable_by_key(|&(s, e, _)| (s, e));
            DayTotals { first: self.first, days: self.days[from..=to].iter().map(Dated::amount).collect(), spans }
        };
        let figures = |counts: &[Count]| counts.iter().map(Count::figures).collect();
        let breakdown = Breakdown {
            by_kind: figures(&self.by_kind),
            acting: figures(&self.acting),
            hit: figures(&self.hit),
            periods: [self.periods[0].figures(), self.periods[1].figures()],
        };
        Sums { places, breakdown, casualties, days, map }
    }
}

fn add_place(a: &mut PlaceActivity, b: &PlaceActivity) {
    a.events += b.events;
    a.killed.merge(&b.killed);
    a.last = a.last.max(b.last);
    a.recent += b.recent;
    a.before += b.before;
}

const NO_PLACE: PlaceActivity = PlaceActivity {
    events: 0,
    killed: Tally { best: 0, low: 0, high: Some(0), lower_bound: false, approximate: false },
    last: i32::MIN,
    recent: 0,
    before: 0,
};

/// The last passes, kept between keystrokes: their inputs, the events each added up (as
/// bits), its shares joined, and its sums. The next keystroke with the same inputs but other
/// events starts from the nearest when fewer events changed than now match ("she" after
/// "sh": the events "sh" found that "she" does not are taken out, when fewer than half of
/// those "she" finds); the same events again get the sums as they are ("civilian",
/// "civilians", or a backspace back to a filter typed a few keys ago). The pass over every
/// event is kept too, for the filters that come back to it or near it.
#[derive(Debug, Default)]
pub struct LastPass {
    /// The most recent first, at most [`RECENT_PASSES`].
    recent: std::collections::VecDeque<Kept>,
    /// The pass over every event, kept beside the recent ones (about a megabyte at a million
    /// events and a few thousand places).
    every: Option<Kept>,
}

/// How many recent passes are kept besides the one over every event: a word typed and
/// deleted again comes back through its own prefixes, each a kept pass. Each holds a bit per
/// event and its per-place and per-day sums (under a megabyte at a million events). When
/// one more is kept, the one forgotten is a pass of other inputs, else the one over the
/// fewest events (the cheapest to add up again: the short prefixes of a long word match the
/// most events, and are what a backspace comes back to last).
pub const RECENT_PASSES: usize = 8;

#[derive(Debug)]
struct Kept {
    inputs: Inputs,
    events: Bits,
    part: Part,
    sums: Sums,
}

/// A pass's inputs but its events, by value (the index by its fingerprint:
/// [`LastPass::clear`] when the data changes under it).
#[derive(Debug, PartialEq)]
struct Inputs {
    owner: [usize; 6],
    inside: Option<Vec<bool>>,
    window: TimeWindow,
    periods: Periods,
    clip: TimeWindow,
    places: usize,
    actors: usize,
    placed: Vec<bool>,
}

impl Inputs {
    fn hold(&self, input: &PassInput<'_>) -> bool {
        self.owner == input.index.fingerprint()
            && self.window == input.window
            && self.periods == input.periods
            && self.clip == input.clip
            && self.places == input.places
            && self.actors == input.actors
            && self.inside.as_deref() == input.inside
            && self.placed == input.placed
    }

    fn of(input: &PassInput<'_>) -> Inputs {
        Inputs {
            owner: input.index.fingerprint(),
            inside: input.inside.map(<[bool]>::to_vec),
            window: input.window,
            periods: input.periods,
            clip: input.clip,
            places: input.places,
            actors: input.actors,
            placed: input.placed.to_vec(),
        }
    }
}

impl LastPass {
    /// [`Sums::over`], worked out from a kept pass's sums when that costs less: the last
    /// pass's, or the pass over every event's (what a backspace to an empty filter or a
    /// term that leaves out few events comes back to), whichever fewer events tell apart.
    pub fn over(&mut self, input: &PassInput<'_>) -> Option<Sums> {
        self.over_set(input, Bits::of_indices(input.index.len(), input.events))
    }

    /// [`LastPass::over`], given the matching events as a set too (`now`: the same events
    /// as `input.events`), as the filter made them: at millions of events, making the set
    /// again from the list was a sixth of the pass.
    pub fn over_set(&mut self, input: &PassInput<'_>, now: Bits) -> Option<Sums> {
        debug_assert_eq!(now.count(), input.events.len(), "the set and the list name the same events");
        let (base, span) = Sums::days(input.index)?;
        let n = input.index.len();
        let every = input.events.len() == n;
        let nearest = self
            .recent
            .iter()
            .enumerate()
            .map(|(at, kept)| (Some(at), kept))
            .chain(self.every.iter().map(|kept| (None, kept)))
            .filter(|(_, kept)| kept.inputs.hold(input))
            .map(|(at, kept)| (kept.events.changed(&now), at, kept))
            .min_by_key(|(changed, _, _)| *changed);
        let from = match nearest {
            Some((0, at, kept)) => {
                let sums = kept.sums.clone();
                // The same events again: this pass becomes the most recent.
                if let Some(again) = at.and_then(|at| self.recent.remove(at)) {
                    self.recent.push_front(again);
                }
                return Some(sums);
            }
            // Events taken out or added one by one are read far apart; a pass over all
            // that match reads them in order, which costs less once the changed are half.
            Some((changed, _, kept)) if changed * 2 < input.events.len() => Some(kept),
            _ => None,
        };
        let part = if let Some(kept) = from {
            let (gone, new) = kept.events.differences(&now);
            let mut part = kept.part.clone();
            // Half the changes on each core: the events taken out first, then those added
            // (a share may add as well as take: the shares' sums are joined).
            let half = usize::midpoint(gone.len(), new.len());
            let (gone_here, gone_there) = gone.split_at(half.min(gone.len()));
            let (new_here, new_there) = new.split_at(half.saturating_sub(gone.len()).min(new.len()));
            side_by_side(
                gone.len() + new.len() > PARALLEL_EVENTS,
                &mut part,
                |p| {
                    p.add_events::<true>(input, gone_here, base);
                    p.add_events::<false>(input, new_here, base);
                },
                Part::beside(&kept.part, input, span),
                |p| {
                    p.add_events::<true>(input, gone_there, base);
                    p.add_events::<false>(input, new_there, base);
                },
            );
            part.settle(input);
            part
        } else {
            let count = input.events.len();
            Sums::part(input, if count > PARALLEL_EVENTS { count / 2 } else { count }, base, span)
        };
        let kept = Kept { inputs: Inputs::of(input), sums: part.finish(input, base), events: now, part };
        let sums = kept.sums.clone();
        if every {
            self.every = Some(kept);
        } else {
            self.recent.push_front(kept);
            if self.recent.len() > RECENT_PASSES {
                let forgotten = (1..self.recent.len()).min_by_key(|&at| {
                    (self.recent[at].inputs.hold(input), self.recent[at].events.count(), std::cmp::Reverse(at))
                });
                if let Some(at) = forgotten {
                    self.recent.remove(at);
                }
            }
        }
        Some(sums)
    }

    /// Forgets the kept sums (the events' data changed).
    pub fn clear(&mut self) {
        self.recent.clear();
        self.every = None;
    }
}

/// Runs `a` on `first` and `b` on `second` (on two cores when `parallel`), then joins the
/// second into the first.
fn side_by_side(
    parallel: bool,
    first: &mut Part,
    a: impl FnOnce(&mut Part) + Send,
    mut second: Part,
    b: impl FnOnce(&mut Part) + Send,
) {
    if parallel {
        std::thread::scope(|scope| {
            let other = scope.spawn(move || {
                b(&mut second);
                second
            });
            a(first);
            if let Ok(other) = other.join() {
                first.join(&other);
            }
        });
    } else {
        a(first);
        b(&mut second);
        first.join(&second);
    }
}

impl Sums {
    /// The sums of one filter; `None` when the data spans more days than the trend keeps
    /// day by day (then use the panes' own passes).
    #[must_use]
    pub fn over(input: &PassInput<'_>) -> Option<Sums> {
        let (base, span) = Sums::days(input.index)?;
        let n = input.events.len();
        Some(Sums::part(input, if n > PARALLEL_EVENTS { n / 2 } else { n }, base, span).finish(input, base))
    }

    /// The same, with the events before `at` added up on this core and the rest on another
    /// (`at` at the end: all here). What `over` does on large sets, for tests of any split.
    #[must_use]
    pub fn split_at(input: &PassInput<'_>, at: usize) -> Option<Sums> {
        let (base, span) = Sums::days(input.index)?;
        Some(Sums::part(input, at, base, span).finish(input, base))
    }

    /// The first day of the data and how many days it spans, when the trend keeps them all.
    fn days(index: &SearchIndex) -> Option<(i32, usize)> {
        let (base, top) = index.days_spanned;
        let span = usize::try_from(i64::from(top) - i64::from(base) + 1).unwrap_or(0);
        (span <= MAX_SPAN_DAYS).then_some((base, span))
    }

    fn part(input: &PassInput<'_>, at: usize, base: i32, span: usize) -> Part {
        let (first, second) = input.events.split_at(at.min(input.events.len()));
        let mut part = Part::new(input, span);
        if second.is_empty() {
            part.add_events::<false>(input, first, base);
        } else {
            side_by_side(
                true,
                &mut part,
                |p| p.add_events::<false>(input, first, base),
                Part::new(input, span),
                |p| p.add_events::<false>(input, second, base),
            );
        }
        part
    }
}
