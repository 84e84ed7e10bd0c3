//! Draws the whole screen from the app's state: header, the panes (all five on a wide
//! screen; timeline or map beside counters, trend and posts on a middling one; one at a time
//! under tabs on a small one), filter input, footer and overlays.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, StatefulWidget, Widget, Wrap};

use crate::domain::text::fit;
use crate::tui::app::{App, Areas, Overlay, OverlayView, Screen};
use crate::tui::keymap::{Mode, Pane, active};
use crate::tui::panes::counters::CountersView;
use crate::tui::panes::detail::{DetailDoc, DetailScroll, DetailView, help_lines};
use crate::tui::panes::facets::FacetsView;
use crate::tui::panes::map::{MapView, PostMark};
use crate::tui::panes::posts::{PostsRow, PostsView};
use crate::tui::panes::save::SaveView;
use crate::tui::panes::timeline::TimelineView;
use crate::tui::panes::trend::TrendView;

/// Below this size the panes make no sense; a one-line notice is drawn instead.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this size on, the timeline is shown beside counters, trend and posts.
pub const SIDE_BY_SIDE_WIDTH: u16 = 100;
pub const SIDE_BY_SIDE_HEIGHT: u16 = 20;
/// From this size on (the whole terminal), the map is on the first screen too.
pub const WIDE_WIDTH: u16 = 160;
pub const WIDE_HEIGHT: u16 = 45;

pub fn render(frame: &mut Frame<'_>, app: &mut App) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    draw(area, buf, app);
}

/// Draws into any buffer (the terminal's, or a test's).
pub fn draw(area: Rect, buf: &mut Buffer, app: &mut App) {
    app.areas = Areas::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        if area.height > 0 {
            let text =
                format!("terminal too small: {}x{}, sitdash needs {MIN_WIDTH}x{MIN_HEIGHT}", area.width, area.height);
            Line::styled(fit(&text, area.width as usize), app.theme.error).render(Rect { height: 1, ..area }, buf);
        }
        return;
    }
    let input_h = if matches!(app.mode, Mode::FilterInput | Mode::SavePrompt | Mode::Confirm) { 2 } else { 0 };
    let [header, body, input, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(input_h),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(header, buf, app);
    if area.width >= WIDE_WIDTH && area.height >= WIDE_HEIGHT {
        app.screen = Screen::Wide;
        let [left, right] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
        let [timeline, map] = Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(left);
        let trend_h = (body.height / 4).clamp(8, 14);
        let [counters, trend, posts] =
            Layout::vertical([counters_height(app, body), Constraint::Length(trend_h), Constraint::Min(0)])
                .areas(right);
        app.areas = Areas { timeline, counters, trend, posts, map };
    } else if body.width >= SIDE_BY_SIDE_WIDTH && body.height >= SIDE_BY_SIDE_HEIGHT {
        app.screen = Screen::Side;
        if !app.map_shown && app.focus == crate::tui::keymap::Pane::Map {
            app.focus = crate::tui::keymap::Pane::Timeline;
        } else if app.map_shown && app.focus == crate::tui::keymap::Pane::Timeline {
            app.focus = crate::tui::keymap::Pane::Map;
        }
        let [left, right] = Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        // The trend sits under the timeline (or the map), as wide as it: the right column
        // keeps its counters and posts as they were.
        let trend_h = (body.height / 4).clamp(6, 12);
        let [left, trend] = Layout::vertical([Constraint::Min(0), Constraint::Length(trend_h)]).areas(left);
        let [counters, posts] = Layout::vertical([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(right);
        app.areas = if app.map_shown {
            Areas { map: left, counters, trend, posts, ..Areas::default() }
        } else {
            Areas { timeline: left, counters, trend, posts, ..Areas::default() }
        };
    } else {
        app.screen = Screen::Tabs;
        let [tabs, pane] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        let spans: Vec<Span> = Pane::ALL
            .iter()
            .map(|p| {
                Span::styled(
                    format!(" {} ", p.title()),
                    if *p == app.focus { app.theme.selected } else { app.theme.dim },
                )
            })
            .collect();
        Line::from(spans).render(tabs, buf);
        app.areas = match app.focus {
            Pane::Timeline => Areas { timeline: pane, ..Areas::default() },
            Pane::Counters => Areas { counters: pane, ..Areas::default() },
            Pane::Trend => Areas { trend: pane, ..Areas::default() },
            Pane::Posts => Areas { posts: pane, ..Areas::default() },
            Pane::Map => Areas { map: pane, ..Areas::default() },
        };
    }
    let areas = app.areas;
    let sit = &app.sit;
    let as_of = app.window().to;
    let date = as_of.map(|d| format!(" as of {}", d.short())).unwrap_or_default();
    if !areas.timeline.is_empty() {
        let view = TimelineView {
            sit,
            theme: app.theme,
            focused: app.focus == Pane::Timeline,
            as_of,
            title: format!(" Timeline · {} ", app.count_line()),
            notes_strip: area.width >= 140,
            labels: &app.posts.labels,
        };
        ratatui::widgets::StatefulWidget::render(view, areas.timeline, buf, &mut app.timeline);
    }
    if !areas.counters.is_empty() {
        let view = CountersView {
            sit,
            theme: app.theme,
            focused: app.focus == Pane::Counters,
            title: format!(" Counters{date} "),
        };
        ratatui::widgets::StatefulWidget::render(view, areas.counters, buf, &mut app.counters);
    }
    if !areas.posts.is_empty() {
        let view = PostsView {
            sit,
            theme: app.theme,
            focused: app.focus == Pane::Posts,
            narrowed: app.place,
            title: match app.posts.comparison_cut {
                Some(cut) => {
                    format!(" Places · by {}{date} · ▲▼ cut by since: {} ", app.posts.order.word(), cut.short())
                }
                None => format!(" Places · by {}{date} ", app.posts.order.word()),
            },
        };
        ratatui::widgets::StatefulWidget::render(view, areas.posts, buf, &mut app.posts);
    }
    if !areas.trend.is_empty() {
        let view = TrendView { theme: app.theme, focused: app.focus == Pane::Trend };
        ratatui::widgets::StatefulWidget::render(view, areas.trend, buf, &mut app.trend);
    }
    if !areas.map.is_empty() {
        let posts = app
            .posts
            .rows
            .iter()
            .filter_map(|r| match *r {
                PostsRow::Post { post, status, .. } => Some(PostMark { post, status }),
                PostsRow::Place { .. } => None,
            })
            .collect();
        let view = MapView {
            sit: &app.sit,
            theme: app.theme,
            focused: app.focus == Pane::Map,
            measure: app.trend.measure,
            posts,
            highlight: app.map_highlight(),
        };
        ratatui::widgets::StatefulWidget::render(view, areas.map, buf, &mut app.map);
    }
    if let Some(loading) = &app.loading
        && loading.preview.is_none()
    {
        draw_loading(body, buf, app, loading);
    }
    if let Some(prompt) = app.save.as_ref().filter(|_| input_h > 0) {
        SaveView { prompt, theme: app.theme }.render(input, buf);
    } else if input_h > 0 {
        draw_input(input, buf, app);
    }
    draw_footer(footer, buf, app);
    draw_overlay(area, buf, app);
    if app.mode == Mode::Facets {
        let popup = centered(area, 80, 80);
        FacetsView { state: &app.facets, theme: app.theme }.render(popup, buf);
    }
}

/// The counters take the rows they have, up to two fifths of the body; the posts the rest.
fn counters_height(app: &App, body: Rect) -> Constraint {
    let wanted = u16::try_from(app.counters.rows.len()).unwrap_or(u16::MAX).saturating_add(2);
    Constraint::Length(wanted.clamp(4, body.height * 2 / 5))
}

/// The progress of a background load: how much is read, how fast, and what remains.
fn draw_loading(body: Rect, buf: &mut Buffer, app: &App, loading: &crate::tui::app::Loading) {
    use crate::ingest::input::Phase;
    use std::sync::atomic::Ordering;
    let popup = centered(body, 70, 40);
    let [area] = Layout::vertical([Constraint::Length(6)]).flex(Flex::Center).areas(popup);
    Clear.render(area, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focused)
        .title(Line::styled(format!(" Loading {} · q quits ", loading.names), app.theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    let total = loading.progress.total.load(Ordering::Relaxed).max(1);
    let ratio = (loading.done as f64 / total as f64).clamp(0.0, 1.0);
    let phase = loading.phase.word();
    let rate = loading.records_per_second;
    let left = if loading.phase == Phase::Parsing && ratio > 0.01 {
        format!(", about {:.1} s of reading left", loading.elapsed * (1.0 - ratio) / ratio)
    } else {
        String::new()
    };
    let text = format!(
        "{phase}: {:.0} of {:.0} MB, {:.0} records/s{left}",
        loading.done as f64 / 1e6,
        total as f64 / 1e6,
        rate
    );
    let [line, gauge] = Layout::vertical([Constraint::Length(2), Constraint::Length(1)]).areas(inner);
    Paragraph::new(text).wrap(Wrap { trim: true }).render(line, buf);
    ratatui::widgets::Gauge::default().ratio(ratio).gauge_style(app.theme.key).render(gauge, buf);
}

fn draw_header(area: Rect, buf: &mut Buffer, app: &App) {
    use crate::ingest::input::Phase;
    let theme = &app.theme;
    let mut spans = vec![
        Span::styled(" sitdash ", theme.selected),
        Span::raw(" "),
        Span::styled(fit(&app.sit.title, area.width as usize), theme.title),
    ];
    if let Some(d) = app.window().to {
        let moved = if app.as_of == app.sit.as_of { "" } else { " (time cursor)" };
        spans.push(Span::styled(format!("  as of {}{moved}", d.long()), theme.key));
    }
    if let Some(p) = app.place {
        spans.push(Span::styled(format!("  place: {}", app.sit.places[p].name), theme.key));
    }
    if let Some(loading) = &app.loading
        && let Some(events) = loading.preview
    {
        let total = loading.progress.total.load(std::sync::atomic::Ordering::Relaxed).max(1);
        // Past the reading, the percentage is full while the rest is checked and indexed.
        let how_far = match loading.phase {
            Phase::Reading | Phase::Parsing => {
                let rows = loading.progress.records.load(std::sync::atomic::Ordering::Relaxed);
                format!("{}%, {} rows read", loading.done * 100 / total, crate::domain::figures::thousands(rows))
            }
            later => later.word().to_string(),
        };
        spans
            .push(Span::styled(format!("  PREVIEW: first {events} events; loading the rest ({how_far})"), theme.error));
    }
    let filter = if app.query.is_empty() { "none".to_string() } else { app.query.text.clone() };
    spans.push(Span::raw(format!("  filter: {filter}  {}", app.count_line())));
    if let Some(live) = &app.live {
        let state = match (&live.reload, &live.last_change) {
            (Some(_), _) => "  ● live: reloading".to_string(),
            (None, Some(at)) => format!("  ● live, last change {at}"),
            (None, None) => format!("  ● live since {}", live.started),
        };
        spans.push(Span::styled(state, theme.key));
    }
    let line = Line::from(spans);
    if line.width() > area.width as usize {
        Line::raw(fit(&line.to_string(), area.width as usize)).render(area, buf);
    } else {
        line.render(area, buf);
    }
}

fn draw_input(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    let [text_row, error_row] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let width = area.width as usize;
    // Show the end of a long query, where the typing happens; remember how much scrolled off.
    let char_width = |c: char| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    let chars: Vec<char> = app.filter.text.chars().collect();
    let room = width.saturating_sub(4);
    let mut skipped = 0;
    let mut w: usize = chars.iter().map(|&c| char_width(c)).sum();
    while w > room && skipped < chars.len() {
        w -= char_width(chars[skipped]);
        skipped += 1;
    }
    let shown: String = chars[skipped..].iter().collect();
    let scrolled: usize = chars[..skipped].iter().map(|&c| char_width(c)).sum();
    Line::from(vec![
        Span::styled("/ ", theme.key),
        Span::raw(crate::domain::text::clean(&shown)),
        Span::styled("█", theme.dim),
    ])
    .render(text_row, buf);
    match &app.filter.error {
        Some(err) => {
            // The caret sits under the column, counted in screen cells after the scroll.
            let before: usize = chars.iter().take(err.column.saturating_sub(1)).map(|&c| char_width(c)).sum();
            let message = format!("column {}: {} (last good filter still applied)", err.column, err.message);
            let caret = (2 + before).checked_sub(scrolled).filter(|x| x + 2 + message.len().min(30) <= width);
            let text = match caret {
                Some(x) => format!("{}^ {message}", " ".repeat(x)),
                None => format!("^ {message}"),
            };
            Line::styled(fit(&text, width), theme.error).render(error_row, buf);
        }
        None => Line::styled(fit("  Enter keeps · Esc restores the previous filter · ↑/↓ history", width), theme.dim)
            .render(error_row, buf),
    }
}

fn draw_footer(area: Rect, buf: &mut Buffer, app: &App) {
    let theme = &app.theme;
    // What is shown comes first: the filter in force and how many events pass it.
    let filter = if app.query.is_empty() { String::new() } else { format!("{} · ", app.query.text) };
    let mut spans = vec![Span::styled(format!("{filter}{} │ ", app.count_line()), theme.title)];
    if let Some(message) = &app.message {
        spans.push(Span::styled(format!("{message} │ "), theme.dim));
    }
    for b in active(app.mode, app.focus) {
        spans.push(Span::styled(b.label, theme.key));
        spans.push(Span::raw(format!(" {}  ", b.help.split([':', ';', '(']).next().unwrap_or(b.help).trim())));
    }
    let line = Line::from(spans);
    let width = area.width as usize;
    let mut used = 0;
    let mut kept = Vec::new();
    for span in line.spans {
        let w = span.width();
        if used + w > width {
            // A long message is cut to fit rather than dropped with everything after it.
            if kept.len() == 1 && app.message.is_some() {
                kept.push(Span::styled(fit(&span.content, width.saturating_sub(used)), span.style));
            }
            break;
        }
        used += w;
        kept.push(span);
    }
    Line::from(kept).render(area, buf);
}

fn centered(area: Rect, percent_x: u16, percent_y: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Percentage(percent_y)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Percentage(percent_x)]).flex(Flex::Center).areas(row);
    cell
}

/// The overlay open, if any: its document made once and kept while it shows the same thing,
/// drawn from the scroll position (only what is in view is made and wrapped).
fn draw_overlay(area: Rect, buf: &mut Buffer, app: &mut App) {
    let Some(overlay) = &app.overlay else { return };
    let window = app.window();
    if app.overlay_view.as_ref().is_none_or(|v| v.overlay != *overlay || v.window != window) {
        let theme = app.theme;
        let doc = match overlay {
            Overlay::Help => DetailDoc::from_lines("Keys (from the key table)".into(), help_lines(&theme), theme),
            Overlay::Trend => {
                let (title, lines) = crate::tui::panes::trend::detail_lines(&app.trend, &theme);
                DetailDoc::from_lines(title, lines, theme)
            }
            Overlay::Detail(target) => DetailDoc::of(&app.sit, target, &app.shown, &app.counters, window, theme),
        };
        app.overlay_view = Some(OverlayView { overlay: overlay.clone(), window, doc, rows: DetailScroll::default() });
    }
    let Some(view) = &mut app.overlay_view else { return };
    let title = match view.overlay {
        Overlay::Help => format!(" {} ", view.doc.title),
        _ => format!(" {} · Esc closes · j/k scroll ", view.doc.title),
    };
    view.rows.scroll = app.overlay_scroll;
    view.rows.from_end = app.overlay_from_end;
    let widget = DetailView { sit: &app.sit, doc: &view.doc, title: &title, theme: app.theme };
    widget.render(centered(area, 92, 90), buf, &mut view.rows);
    app.overlay_scroll = view.rows.scroll;
    app.overlay_len = view.rows.len;
    app.overlay_from_end = view.rows.from_end;
}
