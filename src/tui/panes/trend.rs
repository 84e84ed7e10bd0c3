//! The trend pane: killed (or events) per bin over the span shown, in braille bars, with
//! its axes, the peak named, the as-of cursor marked, the comparison window shaded and the
//! spikes in red; and its detail (the rule, the spikes with their dates, every bin).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{StatefulWidget, Widget};
use unicode_width::UnicodeWidthStr;

use crate::domain::figures::TimeWindow;
use crate::domain::index::{SearchIndex, day_number};
use crate::domain::model::Outcome;
use crate::domain::text::fit;
use crate::domain::trend::{
    Bin, Dated, DayTotals, MAX_BINS, Measure, SPIKE_BASELINE, SPIKE_HISTORY, SPIKE_MIN, SPIKE_SD, Trend,
};
use crate::tui::theme::Theme;

/// The trend's settings and what it shows, recomputed when the filter, the place or the date
/// change; a change of bin or measure re-bins the day totals without a pass over the events.
#[derive(Debug, Clone, Default)]
pub struct TrendState {
    pub measure: Measure,
    /// Steps finer (negative) or coarser (positive) than the bin chosen from the span.
    pub step: i32,
    pub totals: DayTotals,
    /// The first and last day shown (day numbers).
    pub range: Option<(i32, i32)>,
    pub as_of: Option<i32>,
    /// Days shaded: the counters' comparison window.
    pub comparison: Option<(i32, i32)>,
    pub trend: Trend,
}

impl TrendState {
    /// Adds up `events` per day (those that count toward totals: one incident reported twice
    /// is one event), between `clip`'s ends (the query's since:/until:), then bins them.
    pub fn compute(
        &mut self,
        index: &SearchIndex,
        events: &[u32],
        clip: TimeWindow,
        as_of: Option<crate::domain::model::Day>,
        comparison: TimeWindow,
    ) {
        let from = clip.from.map_or(i32::MIN, day_number);
        let to = clip.to.map_or(i32::MAX, day_number);
        let counted = |i: usize| index.counted[i] && index.end[i] >= from && index.start[i] <= to;
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for &i in events {
            let i = i as usize;
            if counted(i) {
                first = first.min(index.start[i]);
                last = last.max(index.end[i]);
            }
        }
        let dated = events.iter().filter_map(|&i| {
            let i = i as usize;
            if !counted(i) {
                return None;
            }
            let killed = index.killed[i];
            // A floor matters only where someone was reported killed.
            let lower_bound =
                killed > 0 && index.figure_facts(i).any(|f| f.outcome == Outcome::Killed && f.tally.lower_bound);
            Some(Dated { start: index.start[i], end: index.end[i], killed, lower_bound })
        });
        self.show(DayTotals::within(first, last, dated), clip, as_of, comparison);
    }

    /// Takes day totals worked out elsewhere (one pass for every pane: see `domain::pass`),
    /// between `clip`'s ends, and bins them.
    pub fn show(
        &mut self,
        totals: DayTotals,
        clip: TimeWindow,
        as_of: Option<crate::domain::model::Day>,
        comparison: TimeWindow,
    ) {
        let from = clip.from.map_or(i32::MIN, day_number);
        let to = clip.to.map_or(i32::MAX, day_number);
        self.totals = totals;
        self.range = self.totals.extent().map(|(a, b)| (a.max(from), b.min(to)));
        self.as_of = as_of.map(day_number);
        self.comparison = match (comparison.from, comparison.to) {
            (Some(a), Some(b)) => Some((day_number(a), day_number(b))),
            _ => None,
        };
        self.rebin();
    }

    /// The bin the span calls for, before any step.
    #[must_use]
    pub fn auto_bin(&self) -> Option<Bin> {
        self.range.map(|(a, b)| Bin::for_span(a, b))
    }

    /// The bin drawn.
    #[must_use]
    pub fn bin(&self) -> Option<Bin> {
        self.auto_bin().map(|b| b.stepped(self.step))
    }

    fn rebin(&mut self) {
        self.trend = match (self.range, self.bin()) {
            (Some((a, b)), Some(bin)) => Trend::of(&self.totals, self.measure, bin, a, b, self.as_of),
            _ => Trend { measure: self.measure, ..Trend::default() },
        };
    }

    /// One bin finer; false (and nothing changes) at a day, or past [`MAX_BINS`] bins.
    pub fn finer(&mut self) -> bool {
        let (Some(bin), Some((a, b))) = (self.bin(), self.range) else { return false };
        let next = bin.stepped(-1);
        if next == bin || next.count(a, b) > MAX_BINS {
            return false;
        }
        self.step -= 1;
        self.rebin();
        true
    }

    /// One bin coarser; false at a year.
    pub fn coarser(&mut self) -> bool {
        let Some(bin) = self.bin() else { return false };
        if bin.stepped(1) == bin {
            return false;
        }
        self.step += 1;
        self.rebin();
        true
    }

    pub fn set_measure(&mut self, measure: Measure) {
        self.measure = measure;
        self.rebin();
    }
}

/// Draws the trend.
pub struct TrendView {
    pub theme: Theme,
    pub focused: bool,
}

/// The background of the comparison window's columns.
const SHADE: Color = Color::Indexed(237);

fn braille(left: u8, right: u8) -> char {
    // Dots 1-2-3-7 are the left column top to bottom, 4-5-6-8 the right one; `left` and
    // `right` are how many dots from the bottom are lit (0–4).
    const LEFT: [u32; 4] = [0x40, 0x04, 0x02, 0x01];
    const RIGHT: [u32; 4] = [0x80, 0x20, 0x10, 0x08];
    let mut bits = 0;
    for k in 0..4 {
        if (k as u8) < left {
            bits |= LEFT[k];
        }
        if (k as u8) < right {
            bits |= RIGHT[k];
        }
    }
    char::from_u32(0x2800 + bits).unwrap_or(' ')
}

impl TrendView {
    fn headline(trend: &Trend, bin: Option<Bin>) -> String {
        let Some(bin) = bin.filter(|_| !trend.bins.is_empty()) else {
            return "no dated events in this view".to_string();
        };
        let mut parts = vec![trend.peak_line().unwrap_or_else(|| format!("no {} reported", trend.measure.word()))];
        match trend.spikes.len() {
            0 => {}
            1 => parts.push("1 spike".to_string()),
            n => parts.push(format!("{n} spikes")),
        }
        if trend.apart.events > 0 {
            parts.push(format!(
                "{} {} not within one {}",
                trend.apart.display(trend.measure),
                trend.measure.word(),
                bin.word()
            ));
        }
        parts.join(" · ")
    }
}

impl StatefulWidget for TrendView {
    type State = TrendState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut TrendState) {
        let trend = &state.trend;
        let bin = state.bin();
        let title = match bin {
            Some(b) => format!(" Trend · {} per {} ", trend.measure.word(), b.word()),
            None => format!(" Trend · {} ", trend.measure.word()),
        };
        let inner = super::frame(area, buf, &title, self.focused, &self.theme);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let [head, chart] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        Line::styled(fit(&TrendView::headline(trend, bin), head.width as usize), self.theme.dim).render(head, buf);
        let (Some(bin), true) = (bin, chart.height >= 3 && !trend.bins.is_empty()) else { return };
        let [plot_rows, axis, labels] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)]).areas(chart);
        let max = trend.max_value();
        let top = crate::domain::figures::thousands(max);
        let label_w = (top.width() as u16).min(chart.width / 3);
        let [ylabels, plot] =
            Layout::horizontal([Constraint::Length(label_w + 1), Constraint::Min(0)]).areas(plot_rows);
        if plot.width == 0 {
            return;
        }
        // Y axis: the top value, a middle one on a tall enough chart, and 0.
        let ylabel = |y: u16, text: &str, buf: &mut Buffer| {
            let text = fit(text, label_w as usize);
            let pad = " ".repeat((label_w as usize).saturating_sub(text.width()));
            let line = Line::from(vec![Span::styled(format!("{pad}{text}"), self.theme.dim), Span::raw("┤")]);
            line.render(Rect { y, height: 1, ..ylabels }, buf);
        };
        ylabel(plot.y, &top, buf);
        if plot.height >= 5 {
            ylabel(plot.y + plot.height / 2, &crate::domain::figures::thousands(max / 2), buf);
        }
        if plot.height >= 2 {
            ylabel(plot.y + plot.height - 1, "0", buf);
        }
        // Bars: bin k over dot columns; several bins on one dot column show their highest.
        let n = trend.bins.len();
        let dots_w = usize::from(plot.width) * 2;
        let dots_h = u64::from(plot.height) * 4;
        let bin_of = |x: usize| x * n / dots_w;
        let wide = dots_w / n >= 3;
        let spike_bins: Vec<bool> = {
            let mut v = vec![false; n];
            for s in &trend.spikes {
                v[s.bin] = true;
            }
            v
        };
        let column = |x: usize| -> (u64, bool, bool, std::ops::Range<usize>) {
            let first = bin_of(x);
            let last = bin_of(x + 1).max(first + 1).min(n);
            let value = trend.bins[first..last].iter().map(|b| b.amount.value(trend.measure)).max().unwrap_or(0);
            let gap = wide && bin_of(x + 1) != first;
            let height = if value == 0 || gap { 0 } else { (value * dots_h).div_ceil(max.max(1)).max(1) };
            let spike = spike_bins[first..last].iter().any(|&s| s);
            (height, spike, first >= trend.known, first..last)
        };
        let in_window = |bins: &std::ops::Range<usize>| {
            state.comparison.is_some_and(|(a, b)| trend.bins[bins.clone()].iter().any(|k| k.end >= a && k.start <= b))
        };
        let base = match trend.measure {
            Measure::Killed => Style::new().fg(Color::Red),
            Measure::Events => Style::new().fg(Color::Cyan),
        };
        let cursor_col = trend.cursor.map(|c| (c * dots_w / n) / 2);
        for cx in 0..plot.width {
            let (lh, ls, la, lbins) = column(usize::from(cx) * 2);
            let (rh, rs, ra, rbins) = column(usize::from(cx) * 2 + 1);
            let mut style = if ls || rs {
                Style::new().fg(Color::LightRed).add_modifier(Modifier::BOLD)
            } else if la && ra {
                self.theme.dim
            } else {
                base
            };
            if in_window(&lbins) || in_window(&rbins) {
                style = style.bg(SHADE);
            }
            for row in 0..plot.height {
                // Dots lit in this row, counted from the bottom of the chart.
                let below = u64::from(plot.height - 1 - row) * 4;
                let lit = |h: u64| h.saturating_sub(below).min(4) as u8;
                let (l, r) = (lit(lh), lit(rh));
                let cell = &mut buf[(plot.x + cx, plot.y + row)];
                if l == 0 && r == 0 {
                    if cursor_col == Some(usize::from(cx)) {
                        cell.set_char('┊').set_style(self.theme.key);
                    } else {
                        cell.set_char(' ');
                    }
                    if let Some(bg) = style.bg {
                        cell.set_bg(bg);
                    }
                } else {
                    cell.set_char(braille(l, r)).set_style(style);
                }
            }
        }
        // X axis: the line, the cursor on it, and the dates of the first, middle and last bins.
        let mut axis_line = " ".repeat(label_w as usize);
        axis_line.push('└');
        axis_line.push_str(&"─".repeat(plot.width as usize));
        Line::styled(axis_line, self.theme.dim).render(axis, buf);
        if let Some(c) = cursor_col {
            buf[(plot.x + c as u16, axis.y)].set_char('▲').set_style(self.theme.key);
        }
        let first = bin.short_label(trend.bins[0].start);
        let last = bin.short_label(trend.bins[n - 1].start);
        let width = plot.width as usize;
        let mut row = vec![' '; width];
        let mut put = |at: usize, text: &str| {
            for (k, ch) in text.chars().enumerate() {
                if let Some(slot) = row.get_mut(at + k) {
                    *slot = ch;
                }
            }
        };
        put(0, &first);
        let last_at = width.saturating_sub(last.width());
        if last_at > first.width() + 1 && n > 1 {
            put(last_at, &last);
        }
        let middle = bin.short_label(trend.bins[n / 2].start);
        let mid_at = ((n / 2) * width / n).saturating_sub(middle.width() / 2);
        if n > 2 && mid_at > first.width() + 2 && mid_at + middle.width() + 2 < last_at {
            put(mid_at, &middle);
        }
        let text: String = row.into_iter().collect();
        Line::styled(text, self.theme.dim).render(Rect { x: plot.x, width: plot.width, ..labels }, buf);
    }
}

/// The trend's detail: what is drawn, the peak, the spike rule and the spikes with their
/// dates and baselines, what was counted apart, and every bin's figure.
#[must_use]
pub fn detail_lines(state: &TrendState, theme: &Theme) -> (String, Vec<Line<'static>>) {
    let trend = &state.trend;
    let measure = trend.measure.word();
    let Some(bin) = state.bin().filter(|_| !trend.bins.is_empty()) else {
        return ("Trend".to_string(), vec![Line::raw("No dated events in this view.")]);
    };
    let mut lines = Vec::new();
    let first = bin.label(trend.bins[0].start);
    let last = bin.label(trend.bins[trend.bins.len() - 1].start);
    lines.push(Line::styled(
        format!("{} per {}, {first} to {last} ({} bins)", capitalise(measure), bin.word(), trend.bins.len()),
        theme.title,
    ));
    lines.push(Line::raw(format!(
        "The bin is chosen from the span shown (at most 120 bins){}; < and > step it finer or coarser.",
        if state.step == 0 { String::new() } else { format!(", stepped {} from it", state.step) }
    )));
    if let Some(peak) = trend.peak_line() {
        lines.push(Line::raw(format!("The {peak} (the highest bin up to the as-of date).")));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Spikes", theme.header));
    lines.push(Line::raw(format!(
        "A bin is a spike when it is above the mean of the {SPIKE_BASELINE} bins before it plus {SPIKE_SD} standard \
         deviations, with at least {SPIKE_HISTORY} bins before it and at least {SPIKE_MIN} {measure} in it."
    )));
    if trend.spikes.is_empty() {
        lines.push(Line::styled("  none in this view", theme.dim));
    }
    for s in &trend.spikes {
        let b = &trend.bins[s.bin];
        lines.push(Line::from(vec![
            Span::styled(format!("  {}", bin.label(b.start)), theme.error),
            Span::raw(format!(": {} {measure} against {:.1} ± {:.1}", b.amount.display(trend.measure), s.mean, s.sd)),
        ]));
    }
    if trend.apart.events > 0 {
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "{} {measure} in {} events known only to dates that do not fit in one {}: counted apart, not spread over bins.",
            trend.apart.display(trend.measure),
            crate::domain::figures::thousands(trend.apart.events),
            bin.word()
        )));
    }
    if let Some((a, b)) = state.comparison {
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "Shaded: the counters' comparison window (its recent period), {} to {}.",
            crate::domain::model::Day(chrono::NaiveDate::from_num_days_from_ce_opt(a).unwrap_or_default()).long(),
            crate::domain::model::Day(chrono::NaiveDate::from_num_days_from_ce_opt(b).unwrap_or_default()).long()
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Every bin", theme.header));
    for (k, b) in trend.bins.iter().enumerate() {
        let mark = if trend.cursor == Some(k) { "  ◀ as of" } else { "" };
        let style = if k >= trend.known { theme.dim } else { Style::new() };
        lines.push(Line::styled(
            format!("  {:<16} {:>10}{mark}", bin.label(b.start), b.amount.display(trend.measure)),
            style,
        ));
    }
    (format!("Trend · {measure} per {}", bin.word()), lines)
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
