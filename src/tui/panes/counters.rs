//! The counters pane: killed and injured (in total and by group), displacement per series
//! with nested figures indented under the figure that contains them. (Killed over time is
//! the trend pane's.)

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{StatefulWidget, Widget};

use crate::domain::activity::{Breakdown, Figures, Periods, Side, breakdown, change};
use crate::domain::figures::thousands;
use crate::domain::figures::{
    CasualtyFigures, FigureKind, Tally, TimeWindow, count_label, displacement, displacement_total,
};
use crate::domain::index::SearchIndex;
use crate::domain::model::{Count, Day, Outcome, SeriesKind, Situation};
use crate::domain::text::{fit, pad, short_actor};
use crate::tui::theme::Theme;

/// A displacement figure, owned, so the pane can keep it between frames.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplacedLine {
    pub series: usize,
    pub kind: FigureKind,
    pub since: Option<Day>,
    pub as_of: Day,
    pub count: Count,
    pub claim: String,
    pub depth: usize,
}

/// A titled part of the pane below the casualty and displacement figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Compare,
    Types,
    /// Actors on one side, ranked by events (false) or by killed (true).
    Actors(Side, bool),
}

/// The two figures the comparison window compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Events,
    Killed,
}

/// One selectable line of the pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CounterRow {
    Total(Outcome),
    Group(Outcome, String),
    DisplacedTotal,
    Displaced(usize),
    Heading(Section),
    Compare(Measure),
    /// An ACLED event type (its sub-types in the detail).
    EventType(&'static str),
    /// An actor (by index) on a side, in the list ranked by events or by killed.
    Actor(Side, bool, u32),
}

/// How many actors each top list shows.
pub const TOP_ACTORS: usize = 5;

/// The figures behind the pane, computed once per change of filter or date.
#[derive(Debug, Clone, Default)]
pub struct CountersState {
    pub casualties: CasualtyFigures,
    pub displaced: Vec<DisplacedLine>,
    pub displaced_total: Option<(Tally, Vec<String>)>,
    pub breakdown: Breakdown,
    pub periods: Option<Periods>,
    /// The day `since:` cuts the comparison at (see [`Periods::cut_by`]): its figures are then
    /// partial, and the pane says so.
    pub cut: Option<Day>,
    pub types: Vec<(&'static str, Figures)>,
    pub rows: Vec<CounterRow>,
    pub selected: usize,
    pub offset: usize,
}

impl CountersState {
    /// Recomputes every figure for the events shown, inside the window; displacement series
    /// are kept when `series_shown` accepts them.
    pub fn compute(
        &mut self,
        sit: &Situation,
        index: &SearchIndex,
        events: &[u32],
        window: TimeWindow,
        compare_days: i64,
        series_shown: impl Fn(&crate::domain::model::DisplacementSeries) -> bool,
    ) {
        let periods = Periods::new(compare_days, window, index, events);
        let figures = breakdown(index, events, window, periods, sit.actors.len());
        let casualties = index.casualties(events, window);
        self.show(sit, periods, figures, casualties, window, series_shown);
    }

    /// Takes the figures of the events shown, worked out elsewhere (one pass for every
    /// pane: see `domain::pass`), and lays out the rows.
    pub fn show(
        &mut self,
        sit: &Situation,
        periods: Periods,
        figures: Breakdown,
        casualties: CasualtyFigures,
        window: TimeWindow,
        series_shown: impl Fn(&crate::domain::model::DisplacementSeries) -> bool,
    ) {
        let previous = self.rows.get(self.selected).cloned();
        self.periods = Some(periods);
        self.cut = periods.cut_by(window.from);
        self.breakdown = figures;
        self.types = self.breakdown.by_type();
        self.casualties = casualties;
        let figures = displacement(sit, window, series_shown);
        self.displaced_total = displacement_total(sit, &figures).map(|t| (t.tally, t.series));
        self.displaced = figures
            .iter()
            .map(|f| DisplacedLine {
                series: sit.index.series.get(&f.series.id).copied().unwrap_or(0),
                kind: f.kind,
                since: f.since,
                as_of: f.as_of,
                count: f.count.clone(),
                claim: f.claim.to_string(),
                depth: f.depth,
            })
            .collect();
        let mut rows = vec![CounterRow::Total(Outcome::Killed)];
        rows.extend(self.casualties.killed_by_group.keys().map(|g| CounterRow::Group(Outcome::Killed, g.clone())));
        rows.push(CounterRow::Total(Outcome::Injured));
        rows.extend(self.casualties.injured_by_group.keys().map(|g| CounterRow::Group(Outcome::Injured, g.clone())));
        rows.push(CounterRow::DisplacedTotal);
        rows.extend((0..self.displaced.len()).map(CounterRow::Displaced));
        rows.extend([
            CounterRow::Heading(Section::Compare),
            CounterRow::Compare(Measure::Events),
            CounterRow::Compare(Measure::Killed),
        ]);
        if !self.types.is_empty() {
            rows.push(CounterRow::Heading(Section::Types));
            rows.extend(self.types.iter().map(|t| CounterRow::EventType(t.0)));
        }
        for (side, by_killed) in [(Side::Acting, false), (Side::Acting, true), (Side::Hit, false), (Side::Hit, true)] {
            let top = self.breakdown.top(side, by_killed, TOP_ACTORS);
            if !top.is_empty() {
                rows.push(CounterRow::Heading(Section::Actors(side, by_killed)));
                rows.extend(top.into_iter().map(|(a, _)| CounterRow::Actor(side, by_killed, a)));
            }
        }
        self.selected = previous.and_then(|p| rows.iter().position(|r| *r == p)).unwrap_or(0);
        self.rows = rows;
    }

    pub fn move_by(&mut self, delta: isize) {
        super::move_selection(&mut self.selected, self.rows.len(), delta);
    }

    pub fn click(&mut self, visible_row: usize) {
        super::click_row(&mut self.selected, self.offset, self.rows.len(), visible_row);
    }
}

/// Draws the counters.
pub struct CountersView<'a> {
    pub sit: &'a Situation,
    pub theme: Theme,
    pub focused: bool,
    pub title: String,
}

impl CountersView<'_> {
    fn group_name(&self, group: &str) -> String {
        match group {
            "civilians" => "civilians".to_string(),
            "unknown" => "unknown".to_string(),
            g => self.sit.actor_name(g).to_string(),
        }
    }

    /// "  Battles          1,472   †2,001": a name, events and killed in aligned columns.
    fn figures_line(&self, name: &str, f: &Figures, width: usize) -> Line<'static> {
        let killed = if f.killed.best > 0 || f.killed.lower_bound {
            format!("†{}", f.killed.display())
        } else {
            String::new()
        };
        let name_w = width.saturating_sub(2 + 9 + 12).clamp(4, 40);
        Line::from(vec![
            Span::raw("  "),
            Span::raw(pad(name, name_w)),
            Span::raw(format!("{:>9}", thousands(f.events))),
            // Room for "†1,094,000+": a million events' killed.
            Span::styled(fit(&format!("{killed:>12}"), 12), self.theme.error),
        ])
    }

    fn row_line(&self, state: &CountersState, row: &CounterRow, width: usize) -> Line<'static> {
        let sit = self.sit;
        let strong = self.theme.title;
        match row {
            CounterRow::Heading(section) => {
                let text = match section {
                    Section::Compare => match state.periods {
                        Some(p) => {
                            let (first, last) = p.bounds(0);
                            match state.cut {
                                // A since: inside the periods: the figures are partial, and say from when.
                                Some(cut) if cut > first => {
                                    format!(
                                        "{} days to {}, cut by since: {}; none before",
                                        p.days,
                                        last.long(),
                                        cut.short()
                                    )
                                }
                                Some(cut) => {
                                    format!(
                                        "{} days to {} vs {} before, cut by since: {}",
                                        p.days,
                                        last.long(),
                                        p.days,
                                        cut.short()
                                    )
                                }
                                None => {
                                    format!("Last {} days to {} vs the {} before (w/W)", p.days, last.long(), p.days)
                                }
                            }
                        }
                        None => "Comparison window".to_string(),
                    },
                    Section::Types => {
                        let name_w = width.saturating_sub(2 + 9 + 12).clamp(4, 40) + 2;
                        format!("{}{:>9}{:>12}", pad("By event type", name_w), "events", "killed")
                    }
                    Section::Actors(Side::Acting, false) => "Who acts (actor1) · most events".to_string(),
                    Section::Actors(Side::Acting, true) => {
                        "Who acts (actor1) · most killed in their events".to_string()
                    }
                    Section::Actors(Side::Hit, false) => "Who is hit (actor2) · most events".to_string(),
                    Section::Actors(Side::Hit, true) => "Who is hit (actor2) · most killed".to_string(),
                };
                Line::styled(fit(&text, width), self.theme.header)
            }
            CounterRow::Compare(measure) => {
                let [recent, before] = state.breakdown.periods;
                let (label, now, then, shown_now, shown_then) = match measure {
                    Measure::Events => {
                        ("Events", recent.events, before.events, thousands(recent.events), thousands(before.events))
                    }
                    Measure::Killed => (
                        "Killed",
                        recent.killed.best,
                        before.killed.best,
                        recent.killed.display(),
                        before.killed.display(),
                    ),
                };
                let (diff, per_cent) = change(now, then);
                let sign = match diff.cmp(&0) {
                    std::cmp::Ordering::Greater => "+",
                    std::cmp::Ordering::Less => "−",
                    std::cmp::Ordering::Equal => "±",
                };
                let pct = per_cent.map_or("new".to_string(), |p| format!("{sign}{:.0}%", p.abs()));
                let pct = if then == 0 && now == 0 { "no change".to_string() } else { pct };
                // Against a period since: cut short, a per cent would mislead.
                let pct = if state.cut.is_some() { "partial".to_string() } else { pct };
                let style = match diff.cmp(&0) {
                    std::cmp::Ordering::Greater => self.theme.error,
                    std::cmp::Ordering::Less => self.theme.key,
                    std::cmp::Ordering::Equal => self.theme.dim,
                };
                Line::from(vec![
                    Span::raw("  "),
                    Span::styled(pad(label, 8), strong),
                    Span::raw(pad(&format!("{shown_now} vs {shown_then}"), 20)),
                    Span::styled(
                        fit(&format!("{sign}{} ({pct})", thousands(diff.unsigned_abs())), width.saturating_sub(30)),
                        style,
                    ),
                ])
            }
            CounterRow::EventType(name) => {
                let f = state.types.iter().find(|t| t.0 == *name).map(|t| t.1).unwrap_or_default();
                self.figures_line(name, &f, width)
            }
            CounterRow::Actor(side, _, actor) => {
                let list = match side {
                    Side::Acting => &state.breakdown.acting,
                    Side::Hit => &state.breakdown.hit,
                };
                let f = list.get(*actor as usize).copied().unwrap_or_default();
                let name = sit.actors.get(*actor as usize).map_or(String::new(), |a| short_actor(&a.name));
                self.figures_line(&name, &f, width)
            }
            CounterRow::Total(outcome) => {
                let (label, tally) = match outcome {
                    Outcome::Killed => ("Killed", &state.casualties.killed),
                    Outcome::Injured => ("Injured", &state.casualties.injured),
                };
                let note = if tally.best == 0 && !tally.lower_bound {
                    "none reported".to_string()
                } else if tally.lower_bound {
                    "a floor: some figures are \"at least\"".to_string()
                } else {
                    String::new()
                };
                Line::from(vec![
                    Span::styled(pad(label, 11), strong),
                    Span::styled(pad(&tally.display(), 12), self.theme.error),
                    Span::styled(fit(&note, width.saturating_sub(23)), self.theme.dim),
                ])
            }
            CounterRow::Group(outcome, group) => {
                let groups = match outcome {
                    Outcome::Killed => &state.casualties.killed_by_group,
                    Outcome::Injured => &state.casualties.injured_by_group,
                };
                let tally = groups.get(group).copied().unwrap_or_default();
                let name_w = width.saturating_sub(14).min(28);
                Line::from(vec![
                    Span::raw("  "),
                    Span::raw(pad(&self.group_name(group), name_w)),
                    Span::raw(" "),
                    Span::raw(fit(&tally.display(), 11)),
                ])
            }
            CounterRow::DisplacedTotal => match &state.displaced_total {
                Some((tally, series)) => Line::from(vec![
                    Span::styled(pad("Displaced", 11), strong),
                    Span::styled(pad(&tally.display(), 12), self.theme.key),
                    Span::styled(
                        fit(&format!("not double counted ({} series)", series.len()), width.saturating_sub(23)),
                        self.theme.dim,
                    ),
                ]),
                None => Line::from(vec![
                    Span::styled(pad("Displaced", 11), strong),
                    Span::styled("no figure for this view", self.theme.dim),
                ]),
            },
            CounterRow::Displaced(i) => {
                let Some(d) = state.displaced.get(*i) else { return Line::raw("") };
                let series = &sit.displacement[d.series];
                let indent = "  ".repeat(d.depth + 1);
                let area = sit.place_name(&series.area);
                let since = match (d.kind, d.since) {
                    (FigureKind::New, Some(s)) => format!(" new since {}", s.short()),
                    (_, Some(s)) => format!(" since {}", s.long()),
                    _ if series.kind == SeriesKind::Stock => " displaced".to_string(),
                    _ => String::new(),
                };
                let by = sit.claim(&d.claim).map(|c| c.attributed_to.clone()).unwrap_or_default();
                let part = if d.depth > 0 { " · part of above" } else { "" };
                let text = format!("{}{since}, as of {}{part} · {by}", count_label(&d.count), d.as_of.short());
                let area_w = 16usize.saturating_sub(indent.len()).max(4);
                Line::from(vec![
                    Span::raw(indent),
                    Span::raw(pad(area, area_w)),
                    Span::raw(" "),
                    Span::raw(fit(&text, width.saturating_sub(area_w + 2 * (d.depth + 1) + 1))),
                ])
            }
        }
    }
}

impl StatefulWidget for CountersView<'_> {
    type State = CountersState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut CountersState) {
        let inner = super::frame(area, buf, &self.title, self.focused, &self.theme);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let list_area = inner;
        let height = list_area.height as usize;
        super::scroll_into_view(state.selected, &mut state.offset, height);
        let width = list_area.width as usize;
        for (n, i) in (state.offset..state.rows.len()).take(height).enumerate() {
            let row_area = Rect { x: list_area.x, y: list_area.y + n as u16, width: list_area.width, height: 1 };
            let line = self.row_line(state, &state.rows[i], width);
            let style = super::row_style(i == state.selected, self.focused, &self.theme);
            buf.set_style(row_area, style);
            line.render(row_area, buf);
        }
    }
}
