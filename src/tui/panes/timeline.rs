//! The timeline pane: events in date order under date headers, one row each, with only the
//! visible rows drawn so that a million events scroll as fast as ten.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget, Wrap};

use crate::domain::figures::{counts_toward_totals, event_killed};
use crate::domain::index::SearchIndex;
use crate::domain::model::{DatePrecision, DateSpan, Day, EventStatus, Situation};
use crate::domain::text::{fit, pad, short_actor};
use crate::tui::theme::Theme;

/// One line of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// The date (as precisely as known) shared by the events below it.
    Header(DateSpan),
    /// An event, by its index in the situation.
    Event(u32),
}

/// The timeline's lines, held without a value per line: the events shown, in date order,
/// and where each date header falls among them. A line is worked out when asked for, so a
/// keystroke that changes what a million events' filter finds copies their numbers once
/// and writes a header per date, not a row per event.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    events: Vec<u32>,
    /// Per header, the position in `events` of the first event under it, and its date.
    /// Header `h` is on line `first[h] + h`; every header has an event under it.
    first: Vec<u32>,
    spans: Vec<DateSpan>,
}

impl Rows {
    /// The number of lines: every event and every header.
    #[must_use]
    pub fn len(&self) -> usize {
        self.events.len() + self.first.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events shown, in the order of their lines.
    #[must_use]
    pub fn events(&self) -> &[u32] {
        &self.events
    }

    /// The headers on line `line` or above it.
    fn headers_through(&self, line: usize) -> usize {
        let (mut lo, mut hi) = (0, self.first.len());
        while lo < hi {
            let mid = usize::midpoint(lo, hi);
            if self.first[mid] as usize + mid <= line {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Line `line`, when there is one.
    #[must_use]
    pub fn get(&self, line: usize) -> Option<Row> {
        if line >= self.len() {
            return None;
        }
        let h = self.headers_through(line);
        match h.checked_sub(1) {
            Some(above) if self.first[above] as usize + above == line => Some(Row::Header(self.spans[above])),
            _ => self.events.get(line - h).map(|&e| Row::Event(e)),
        }
    }

    /// Every line, from the top.
    pub fn iter(&self) -> impl Iterator<Item = Row> + '_ {
        let mut header = 0;
        let mut event = 0;
        std::iter::from_fn(move || {
            if header < self.first.len() && self.first[header] as usize == event {
                header += 1;
                return Some(Row::Header(self.spans[header - 1]));
            }
            let e = *self.events.get(event)?;
            event += 1;
            Some(Row::Event(e))
        })
    }

    /// The line of the event at `position` in [`Rows::events`].
    fn line_of(&self, position: usize) -> usize {
        position + self.first.partition_point(|&f| f as usize <= position)
    }

    /// The position in [`Rows::events`] of the event on `line` (or of the one under the
    /// header there).
    fn position_of(&self, line: usize) -> usize {
        line.saturating_sub(self.headers_through(line)).min(self.events.len().saturating_sub(1))
    }

    fn is_event(&self, line: usize) -> bool {
        matches!(self.get(line), Some(Row::Event(_)))
    }
}

#[derive(Debug, Clone, Default)]
pub struct TimelineState {
    pub rows: Rows,
    /// Index into `rows`; always an `Event` row when there is one.
    pub selected: Option<usize>,
    pub offset: usize,
    /// True while the selection is where "open on now" put it (the as-of date) and the user
    /// has not moved it: a new load then puts it at the new data's date instead of keeping it.
    pub at_now: bool,
    /// Whether the rows hold the events' data as it is: the same events again (a filter
    /// typed on without changing what it finds) then give the same rows, and nothing is
    /// rebuilt. False when the data changed under them ([`TimelineState::forget_events`]).
    built: bool,
}

impl TimelineState {
    /// Rebuilds the rows for the events shown (indices in date order), keeping the selected
    /// event if it is still shown, or else the nearest one.
    pub fn rebuild(&mut self, sit: &Situation, index: &SearchIndex, events: &[u32]) {
        if self.built && self.rows.events == events {
            return;
        }
        self.built = true;
        let previous = self.selected_event();
        let rows = &mut self.rows;
        rows.events.clear();
        rows.events.extend_from_slice(events);
        rows.first.clear();
        rows.spans.clear();
        // Events under one header share their span and precision, read from the index's
        // columns (a million events' records are not touched); the span is worked out only
        // for the header.
        let key = |e: usize| (index.start[e], index.end[e], index.precision[e]);
        let mut last = None;
        for (position, &i) in events.iter().enumerate() {
            let e = i as usize;
            if last != Some(key(e)) {
                rows.first.push(position as u32);
                rows.spans.push(sit.events[e].span());
                last = Some(key(e));
            }
        }
        // Events being in date order, the first at or after the old selection is the same
        // event or its nearest successor.
        self.selected = match previous {
            Some(old) => match events.iter().position(|&i| i >= old) {
                Some(position) => Some(self.rows.line_of(position)),
                None => self.nearest_event_row(self.rows.len()),
            },
            None => self.nearest_event_row(0),
        };
    }

    /// Forgets which events the rows were built from, so that the next `rebuild` builds
    /// them: the events' data changed (a load, an append).
    pub fn forget_events(&mut self) {
        self.built = false;
    }

    /// The event line at `at`, or the one under the header there; the last when `at` is
    /// past the end.
    fn nearest_event_row(&self, at: usize) -> Option<usize> {
        if self.rows.is_empty() {
            return None;
        }
        let at = at.min(self.rows.len() - 1);
        // A header always has an event under it, and the last line is an event.
        Some(if self.rows.is_event(at) { at } else { at + 1 })
    }

    /// Selects the last event that starts on or before `day` (the first event when none
    /// does; the last when there is no date), and scrolls so that it sits near the bottom of
    /// the pane with the days before it above: where an analyst opening a file looks first.
    pub fn select_date(&mut self, index: &SearchIndex, day: Option<Day>) {
        let events = &self.rows.events;
        // Events are in date order, so those up to the date are a prefix.
        let up_to = match day {
            None => events.len(),
            Some(day) => {
                let limit = crate::domain::index::day_number(day);
                events.partition_point(|&i| index.start.get(i as usize).is_some_and(|&s| s <= limit))
            }
        };
        self.selected = match up_to.checked_sub(1) {
            Some(last) => Some(self.rows.line_of(last)),
            None => self.nearest_event_row(0),
        };
        // Far enough that the next draw scrolls the selection to the bottom row.
        self.offset = 0;
        self.at_now = true;
    }

    /// Selects an event's row, when it is shown.
    pub fn select_event(&mut self, event: u32) {
        if let Some(position) = self.rows.events.iter().position(|&e| e == event) {
            self.selected = Some(self.rows.line_of(position));
        }
    }

    #[must_use]
    pub fn selected_event(&self) -> Option<u32> {
        match self.selected.and_then(|s| self.rows.get(s)) {
            Some(Row::Event(i)) => Some(i),
            _ => None,
        }
    }

    /// Moves the selection by `delta` events (not rows), stopping at the ends.
    pub fn move_by(&mut self, delta: isize) {
        let Some(at) = self.selected else { return };
        self.at_now = false;
        if self.rows.is_empty() {
            return;
        }
        let position = self.rows.position_of(at);
        let last = self.rows.events.len() - 1;
        let to = position.saturating_add_signed(delta).min(last);
        self.selected = Some(self.rows.line_of(to));
    }

    pub fn top(&mut self) {
        self.selected = self.nearest_event_row(0);
        self.at_now = false;
    }

    pub fn bottom(&mut self) {
        self.selected = self.nearest_event_row(self.rows.len().saturating_sub(1));
        self.at_now = false;
    }

    /// Selects the event at a visible row (a mouse click), or the event just under a header.
    pub fn click(&mut self, visible_row: usize) {
        let at = self.offset + visible_row;
        if at < self.rows.len() {
            self.selected = self.nearest_event_row(at);
            self.at_now = false;
        }
    }

    /// Keeps the selected row on screen, with its header when there is room.
    fn scroll_to_selection(&mut self, height: usize) {
        self.offset = self.offset.min(self.rows.len().saturating_sub(1));
        let Some(sel) = self.selected else { return };
        if height == 0 {
            return;
        }
        let want_top = if sel > 0 && matches!(self.rows.get(sel - 1), Some(Row::Header(_))) { sel - 1 } else { sel };
        if want_top < self.offset {
            self.offset = want_top;
        } else if sel >= self.offset + height {
            self.offset = sel + 1 - height;
        }
    }
}

/// "Thu 6 Feb 2020", "Week of 3 Feb 2020 (day not known)".
#[must_use]
pub fn header_label(span: &DateSpan) -> String {
    if span.window {
        return format!("{} to {} (window)", span.start.long(), span.end.long());
    }
    match span.precision {
        DatePrecision::Day => span.start.0.format("%a %-d %b %Y").to_string(),
        DatePrecision::Week => format!("Week of {} (day not known)", span.start.long()),
        DatePrecision::Month => format!("{} (day not known)", span.start.0.format("%B %Y")),
        DatePrecision::Year => format!("{} (month not known)", span.start.0.format("%Y")),
    }
}

/// The killed in one event, briefly: `†10+`.
#[must_use]
pub fn killed_brief(sit: &Situation, event: &crate::domain::model::Event) -> Option<String> {
    event_killed(sit, event).map(|tally| format!("†{}", tally.display()))
}

/// Draws the timeline.
pub struct TimelineView<'a> {
    pub sit: &'a Situation,
    pub theme: Theme,
    pub focused: bool,
    /// Events after this date are dimmed (the time cursor).
    pub as_of: Option<Day>,
    pub title: String,
    /// Show the selected event's notes under the list (on wide screens).
    pub notes_strip: bool,
    /// Each place's label by place index, told apart from others of the same name as in the
    /// places pane ("Ahero · Nyando, Kisumu"); empty: the place's name.
    pub labels: &'a [String],
}

/// What a row shows of its place: its label when it has one, else its name.
#[must_use]
pub fn place_label<'a>(sit: &'a Situation, labels: &'a [String], place: &'a str) -> &'a str {
    match sit.index.places.get(place).and_then(|&p| labels.get(p)) {
        Some(label) => label,
        None => sit.place_name(place),
    }
}

/// How wide each column of the event rows is, from the rows on screen and the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    killed: usize,
    place: usize,
    actors: usize,
    summary: usize,
}

/// The actors of a row: who acted → who was hit, each name shortened for the row.
fn row_actors(sit: &Situation, e: &crate::domain::model::Event) -> String {
    let by: Vec<String> = sit.by(e).map(|a| short_actor(sit.actor_name(a))).collect();
    let against: Vec<String> = sit.against(e).map(|a| short_actor(sit.actor_name(a))).collect();
    if against.is_empty() { by.join(", ") } else { format!("{} → {}", by.join(", "), against.join(", ")) }
}

impl Columns {
    /// Date, status and kind are fixed; killed, place and actors take what the rows on screen
    /// need, each up to a cap, and the summary the rest.
    fn of(sit: &Situation, labels: &[String], rows: &[Row], width: usize) -> Columns {
        let (mut killed, mut place, mut actors) = (0, 0, 0);
        for row in rows {
            let Row::Event(i) = *row else { continue };
            let e = &sit.events[i as usize];
            killed = killed.max(killed_brief(sit, e).map_or(0, |k| width_of(&k)));
            place = place.max(width_of(place_label(sit, labels, &e.place)));
            actors = actors.max(width_of(&row_actors(sit, e)));
        }
        let fixed = 8 + 4 + 1 + 6;
        let rest = width.saturating_sub(fixed);
        let killed = (killed + 1).clamp(2, 9);
        // The caps leave the summary at least half of what is left.
        let place = (place + 1).clamp(7, (rest / 6).max(7)).min(24);
        let actors = (actors + 1).clamp(7, (rest / 4).max(7)).min(40);
        let summary = rest.saturating_sub(killed + place + actors);
        Columns { killed, place, actors, summary }
    }
}

fn width_of(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

impl StatefulWidget for TimelineView<'_> {
    type State = TimelineState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut TimelineState) {
        let inner = super::frame(area, buf, &self.title, self.focused, &self.theme);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        // The notes strip: a rule and up to three lines of the selected event's notes.
        let strip_h = if self.notes_strip && inner.height >= 16 { 4 } else { 0 };
        let [inner, strip] = Layout::vertical([Constraint::Min(0), Constraint::Length(strip_h)]).areas(inner);
        let height = inner.height as usize;
        state.scroll_to_selection(height);
        if state.rows.is_empty() {
            Line::styled("No events match.", self.theme.dim).render(inner, buf);
            return;
        }
        if strip_h > 0 {
            self.draw_notes(strip, buf, state.selected_event());
        }
        let width = inner.width.saturating_sub(1) as usize; // room for the scrollbar
        let visible: Vec<Row> =
            (state.offset..state.rows.len()).take(height).filter_map(|r| state.rows.get(r)).collect();
        let columns = Columns::of(self.sit, self.labels, &visible, width);
        for (line_no, row) in visible.iter().enumerate() {
            let row_index = state.offset + line_no;
            let y = inner.y + line_no as u16;
            let row_area = Rect { x: inner.x, y, width: width as u16, height: 1 };
            let line = match *row {
                Row::Header(span) => {
                    Line::styled(fit(&format!("── {}", header_label(&span)), width), self.theme.header)
                }
                Row::Event(i) => self.event_line(i as usize, width, columns),
            };
            let selected = state.selected == Some(row_index);
            let style = super::row_style(selected, self.focused, &self.theme);
            buf.set_style(row_area, style);
            line.patch_style(style).render(row_area, buf);
        }
        let mut scroll = ScrollbarState::new(state.rows.len()).position(state.selected.unwrap_or(0));
        let bar = Rect { height: inner.height, ..area.inner(Margin { vertical: 1, horizontal: 0 }) };
        Scrollbar::new(ScrollbarOrientation::VerticalRight).begin_symbol(None).end_symbol(None).render(
            bar,
            buf,
            &mut scroll,
        );
    }
}

impl TimelineView<'_> {
    fn draw_notes(&self, area: Rect, buf: &mut Buffer, event: Option<u32>) {
        let [rule, text] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let e = event.and_then(|i| self.sit.events.get(i as usize));
        let title = e.map_or("── notes".to_string(), |e| format!("── notes · {} ", e.id));
        let fill = "─".repeat((rule.width as usize).saturating_sub(width_of(&title)));
        Line::styled(fit(&format!("{title}{fill}"), rule.width as usize), self.theme.dim).render(rule, buf);
        let notes = e.and_then(|e| self.sit.notes(e));
        let notes = notes.as_deref().unwrap_or(if e.is_some() { "(no notes)" } else { "" }).replace('\n', " ");
        Paragraph::new(notes).wrap(Wrap { trim: true }).render(text, buf);
    }

    fn event_line(&self, index: usize, width: usize, columns: Columns) -> Line<'static> {
        let sit = self.sit;
        let e = &sit.events[index];
        let span = e.span();
        let later = self.as_of.is_some_and(|d| span.start > d);
        let base = if later || !counts_toward_totals(e) && e.status == EventStatus::Occurred {
            self.theme.dim
        } else {
            Style::new()
        };
        let status = match e.status {
            EventStatus::Occurred if e.written().same_incident_as.is_some() => "DUP ",
            EventStatus::Occurred => "    ",
            EventStatus::Announced => "ANN ",
            EventStatus::Planned => "PLAN",
        };
        // The header above gives the year; the row keeps what tells the precision apart.
        let date = match span.precision {
            _ if span.window => format!("{}~", span.start.0.format("%m-%d")),
            DatePrecision::Day => span.start.0.format("%m-%d").to_string(),
            DatePrecision::Week => format!("wk{}", span.start.0.format("%m-%d")),
            DatePrecision::Month => format!("{}-??", span.start.0.format("%m")),
            DatePrecision::Year => format!("{}", span.start.0.format("%Y")),
        };
        let actors = row_actors(sit, e);
        let killed = killed_brief(sit, e).unwrap_or_default();
        let Columns { killed: killed_w, place: place_w, actors: actors_w, summary: summary_w } = columns;
        let spans = vec![
            Span::styled(pad(&date, 8), base),
            Span::styled(status, if e.status == EventStatus::Occurred { base } else { self.theme.key }),
            Span::raw(" "),
            Span::styled(pad(e.kind.tag(), 6), if later { base } else { self.theme.kind(e.kind) }),
            Span::styled(pad(&killed, killed_w), if later { base } else { self.theme.error }),
            Span::styled(pad(place_label(sit, self.labels, &e.place), place_w.saturating_sub(1)), base),
            Span::raw(" "),
            Span::styled(pad(&actors, actors_w.saturating_sub(1)), base),
            Span::raw(" "),
            Span::styled(fit(&e.summary(sit), summary_w), base),
        ];
        let mut line = Line::from(spans);
        // A last guard: the line never spills past the pane.
        if line.width() > width {
            line = Line::raw(fit(&line.to_string(), width));
        }
        line
    }
}
