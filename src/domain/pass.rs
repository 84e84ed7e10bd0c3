//! Domain layer: every sum the dashboard's panes show for a filter, added up in one pass
//! over the matching events (half on each core on large sets): the places' activity, the
//! type/actor breakdown with the comparison window, killed and injured, the trend's day
//! totals and the map's per-place totals. Each event's columns are read once and its killed
//! worked out once, where the panes' own passes read them four or five times. The results
//! are those of [`activity::by_place`], [`activity::breakdown`], [`SearchIndex::casualties`],
//! [`DayTotals::within`] and the map's totals (a property test holds them to it).

use rustc_hash::FxHashMap;

use crate::domain::activity::{Breakdown, Figures, Periods, PlaceActivity};
use crate::domain::figures::{CasualtyFigures, Tally, TimeWindow};
use crate::domain::geo::PlaceTotals;
use crate::domain::index::{Days, LISTED, NO_FIGURE, PARALLEL_EVENTS, SearchIndex};
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

/// What one core adds up at each place for every event there: small, so that the places of
/// a large data set stay in the core's cache (the killed tally, needed for fewer events, is
/// kept apart in `Part::killed_at`).
#[derive(Debug, Clone, Copy)]
struct AtPlace {
    events: u32,
    last: i32,
    recent: u32,
    before: u32,
    /// Killed in the counted events, as the map shades them.
    map_killed: u64,
}

const NOBODY_YET: AtPlace = AtPlace { events: 0, last: i32::MIN, recent: 0, before: 0, map_killed: 0 };

/// One core's share of the sums, before the shares are added.
struct Part {
    at: Vec<AtPlace>,
    killed_at: Vec<Tally>,
    /// Events shown inside the window at no known place.
    unplaced: u64,
    breakdown: Breakdown,
    killed: Tally,
    injured: Tally,
    killed_by_group: Vec<Option<Tally>>,
    injured_by_group: Vec<Option<Tally>>,
    /// The first start and last end of the events the trend counts.
    first: i32,
    last: i32,
    /// Single-day totals from day number `base` on.
    days: Vec<Amount>,
    spans: FxHashMap<(i32, i32), Amount>,
}

fn add_amount(a: &mut Amount, b: &Amount) {
    a.events += b.events;
    a.killed += b.killed;
    a.lower_bound |= b.lower_bound;
}

fn add_figures(a: &mut Figures, b: &Figures) {
    a.events += b.events;
    a.killed.merge(&b.killed);
}

fn add_place(a: &mut PlaceActivity, b: &PlaceActivity) {
    a.events += b.events;
    a.killed.merge(&b.killed);
    a.last = a.last.max(b.last);
    a.recent += b.recent;
    a.before += b.before;
}

fn add_group(a: &mut Option<Tally>, b: Option<&Tally>) {
    if let Some(b) = b {
        a.get_or_insert_with(Tally::default).merge(b);
    }
}

const NO_PLACE: PlaceActivity = PlaceActivity {
    events: 0,
    killed: Tally { best: 0, low: 0, high: Some(0), lower_bound: false, approximate: false },
    last: i32::MIN,
    recent: 0,
    before: 0,
};

impl Part {
    fn new(input: &PassInput<'_>, span: usize) -> Part {
        let groups = input.index.groups.len();
        Part {
            at: vec![NOBODY_YET; input.places],
            killed_at: vec![NO_PLACE.killed; input.places],
            unplaced: 0,
            breakdown: Breakdown {
                by_kind: vec![Figures::default(); Kind::ALL.len()],
                acting: vec![Figures::default(); input.actors],
                hit: vec![Figures::default(); input.actors],
                periods: [Figures::default(); 2],
            },
            killed: Tally::default(),
            injured: Tally::default(),
            killed_by_group: vec![None; groups],
            injured_by_group: vec![None; groups],
            first: i32::MAX,
            last: i32::MIN,
            days: vec![Amount::default(); span],
            spans: FxHashMap::default(),
        }
    }

    /// Adds up `events` (a share of the input's).
    fn add_events(&mut self, input: &PassInput<'_>, events: &[u32], base: i32) {
        let index = input.index;
        let window = Days::of(&input.window);
        let clip = Days::of(&input.clip);
        // The comparison periods as ranges of days back from their end (the same as
        // `Periods::which`, without a division per event).
        let period = i64::from(i32::try_from(input.periods.days).unwrap_or(i32::MAX).max(1));
        let to = i64::from(input.periods.to);
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
            let lone = index.lone_killed[i];
            if counted && lone != NO_FIGURE && lone != LISTED {
                // The common case, told by one byte: one exact killed figure.
                tally = Tally::exact(killed);
                killed_figure = true;
                if counts {
                    self.killed.merge(&tally);
                    add_group(&mut self.killed_by_group[usize::from(lone - 1)], Some(&tally));
                }
            } else if counted && lone == LISTED {
                for f in index.figures.get(i) {
                    match f.outcome {
                        Outcome::Killed => {
                            tally.merge(&f.tally);
                            killed_figure = true;
                            if counts {
                                self.killed.merge(&f.tally);
                                add_group(&mut self.killed_by_group[f.group as usize], Some(&f.tally));
                            }
                        }
                        Outcome::Injured => {
                            if counts {
                                self.injured.merge(&f.tally);
                                add_group(&mut self.injured_by_group[f.group as usize], Some(&f.tally));
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
                    a.events += 1;
                    a.last = a.last.max(start);
                    if counted {
                        if killed > 0 {
                            self.killed_at[place].merge(&tally);
                        }
                        match which {
                            Some(0) => a.recent += 1,
                            Some(_) => a.before += 1,
                            None => {}
                        }
                        a.map_killed += killed;
                    }
                } else if inside {
                    self.unplaced += 1;
                }
            }
            if counts {
                let k = (killed > 0 || killed_figure).then_some(&tally);
                let b = &mut self.breakdown;
                add(&mut b.by_kind[index.kind[i] as usize], k);
                if let Some(f) = b.acting.get_mut(index.actor1[i] as usize) {
                    add(f, k);
                }
                if let Some(f) = b.hit.get_mut(index.actor2[i] as usize) {
                    add(f, k);
                }
                if let Some(p) = which {
                    add(&mut b.periods[p], k);
                }
            }
            if clipped && inside {
                self.first = self.first.min(start);
                self.last = self.last.max(end);
                let amount = Amount { events: 1, killed, lower_bound: killed > 0 && tally.lower_bound };
                match self.days.get_mut((start - base) as usize) {
                    Some(day) if start == end => add_amount(day, &amount),
                    _ => add_amount(self.spans.entry((start, end)).or_default(), &amount),
                }
            }
        }
    }

    fn join(&mut self, other: Part) {
        for (a, b) in self.at.iter_mut().zip(&other.at) {
            a.events += b.events;
            a.last = a.last.max(b.last);
            a.recent += b.recent;
            a.before += b.before;
            a.map_killed += b.map_killed;
        }
        for (a, b) in self.killed_at.iter_mut().zip(&other.killed_at) {
            a.merge(b);
        }
        self.unplaced += other.unplaced;
        let (x, y) = (&mut self.breakdown, &other.breakdown);
        for (a, b) in x.by_kind.iter_mut().zip(&y.by_kind) {
            add_figures(a, b);
        }
        for (a, b) in x.acting.iter_mut().zip(&y.acting) {
            add_figures(a, b);
        }
        for (a, b) in x.hit.iter_mut().zip(&y.hit) {
            add_figures(a, b);
        }
        for (a, b) in x.periods.iter_mut().zip(&y.periods) {
            add_figures(a, b);
        }
        self.killed.merge(&other.killed);
        self.injured.merge(&other.injured);
        for (a, b) in self.killed_by_group.iter_mut().zip(&other.killed_by_group) {
            add_group(a, b.as_ref());
        }
        for (a, b) in self.injured_by_group.iter_mut().zip(&other.injured_by_group) {
            add_group(a, b.as_ref());
        }
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        for (a, b) in self.days.iter_mut().zip(&other.days) {
            add_amount(a, b);
        }
        for (k, b) in other.spans {
            add_amount(self.spans.entry(k).or_default(), &b);
        }
    }
}

fn add(f: &mut Figures, killed: Option<&Tally>) {
    f.events += 1;
    if let Some(k) = killed {
        f.killed.merge(k);
    }
}

/// The last pass's inputs and sums, kept between keystrokes: a filter typed on without
/// changing what it finds ("civilia", "civilian", "civilians") asks for the same sums, and
/// gets them for a comparison of its inputs instead of a pass over every event.
#[derive(Debug, Default)]
pub struct LastPass {
    kept: Option<(Kept, Option<Sums>)>,
}

/// A pass's inputs, by value (the index by its fingerprint: [`LastPass::clear`] when the
/// data changes under it).
#[derive(Debug, PartialEq)]
struct Kept {
    owner: [usize; 5],
    events: Vec<u32>,
    inside: Option<Vec<bool>>,
    window: TimeWindow,
    periods: Periods,
    clip: TimeWindow,
    places: usize,
    actors: usize,
    placed: Vec<bool>,
}

impl Kept {
    fn holds(&self, input: &PassInput<'_>) -> bool {
        self.owner == input.index.fingerprint()
            && self.window == input.window
            && self.periods == input.periods
            && self.clip == input.clip
            && self.places == input.places
            && self.actors == input.actors
            && self.inside.as_deref() == input.inside
            && self.placed == input.placed
            && self.events == input.events
    }

    fn of(input: &PassInput<'_>) -> Kept {
        Kept {
            owner: input.index.fingerprint(),
            events: input.events.to_vec(),
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
    /// [`Sums::over`], or the sums kept when the inputs are those of the last call.
    pub fn over(&mut self, input: &PassInput<'_>) -> Option<Sums> {
        if let Some((kept, sums)) = &self.kept
            && kept.holds(input)
        {
            return sums.clone();
        }
        let sums = Sums::over(input);
        self.kept = Some((Kept::of(input), sums.clone()));
        sums
    }

    /// Forgets the kept sums (the events' data changed).
    pub fn clear(&mut self) {
        self.kept = None;
    }
}

impl Sums {
    /// The sums of one filter; `None` when the data spans more days than the trend keeps
    /// day by day (then use the panes' own passes).
    #[must_use]
    pub fn over(input: &PassInput<'_>) -> Option<Sums> {
        let (base, span) = Sums::days(input.index)?;
        let n = input.events.len();
        Some(Sums::split(input, if n > PARALLEL_EVENTS { n / 2 } else { n }, base, span))
    }

    /// The same, with the events before `at` added up on this core and the rest on another
    /// (`at` at the end: all here). What `over` does on large sets, for tests of any split.
    #[must_use]
    pub fn split_at(input: &PassInput<'_>, at: usize) -> Option<Sums> {
        let (base, span) = Sums::days(input.index)?;
        Some(Sums::split(input, at, base, span))
    }

    /// The first day of the data and how many days it spans, when the trend keeps them all.
    fn days(index: &SearchIndex) -> Option<(i32, usize)> {
        let (base, top) = index.days_spanned;
        let span = usize::try_from(i64::from(top) - i64::from(base) + 1).unwrap_or(0);
        (span <= MAX_SPAN_DAYS).then_some((base, span))
    }

    fn split(input: &PassInput<'_>, at: usize, base: i32, span: usize) -> Sums {
        let (first, second) = input.events.split_at(at.min(input.events.len()));
        let mut part = if second.is_empty() {
            let mut p = Part::new(input, span);
            p.add_events(input, first, base);
            p
        } else {
            std::thread::scope(|scope| {
                let other = scope.spawn(|| {
                    let mut p = Part::new(input, span);
                    p.add_events(input, second, base);
                    p
                });
                let mut p = Part::new(input, span);
                p.add_events(input, first, base);
                if let Ok(other) = other.join() {
                    p.join(other);
                }
                p
            })
        };
        part.finish(input, base)
    }
}

impl Part {
    fn finish(&mut self, input: &PassInput<'_>, base: i32) -> Sums {
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
                killed: self.killed_at[place],
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
        let named = |tallies: &[Option<Tally>]| {
            tallies.iter().enumerate().filter_map(|(g, t)| Some((index.groups[g].clone(), (*t)?))).collect()
        };
        let casualties = CasualtyFigures {
            killed: self.killed,
            injured: self.injured,
            killed_by_group: named(&self.killed_by_group),
            injured_by_group: named(&self.injured_by_group),
        };
        let days = if self.first > self.last {
            DayTotals::default()
        } else {
            let from = (self.first - base) as usize;
            let to = (self.last - base) as usize;
            let mut spans: Vec<(i32, i32, Amount)> =
                std::mem::take(&mut self.spans).into_iter().map(|((s, e), a)| (s, e, a)).collect();
            spans.sort_unstable_by_key(|&(s, e, _)| (s, e));
            DayTotals { first: self.first, days: self.days[from..=to].to_vec(), spans }
        };
        Sums { places, breakdown: std::mem::take(&mut self.breakdown), casualties, days, map }
    }
}
