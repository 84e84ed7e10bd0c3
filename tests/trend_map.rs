//! The trend and the map: their widgets drawn into a `Buffer` (the chart's axes, peak,
//! cursor, shading and spikes; the map's projection, borders and events without coordinates)
//! and the app driven by keys (both follow a filter and a place narrowing; `m`, `v`, the bin
//! and zoom keys; the layouts at 160x45 and 140x40).

mod common;

use chrono::Datelike;
use crossterm::event::{Event, KeyCode, KeyModifiers, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::StatefulWidget;

use common::{day, default_app, draw, rows_in};
use sitdash::domain::geo::{PlaceTotals, Viewport};
use sitdash::domain::model::Situation;
use sitdash::domain::trend::{Dated, DayTotals, Measure};
use sitdash::tui::app::{App, Overlay};
use sitdash::tui::keymap::Pane;
use sitdash::tui::panes::map::{MapState, MapView};
use sitdash::tui::panes::trend::{TrendState, TrendView};
use sitdash::tui::theme::Theme;

fn n(text: &str) -> i32 {
    day(text).0.num_days_from_ce()
}

/// Three years of killed on the first of each month, 18 and 22 in turn, with 100 in
/// October 2019; as of 15 December 2019, the 30 days before it shaded.
fn monthly_trend() -> TrendState {
    let mut events = Vec::new();
    for year in 2017..=2019 {
        for month in 1..=12 {
            let date = n(&format!("{year}-{month:02}-01"));
            let killed = if (year, month) == (2019, 10) {
                100
            } else if month % 2 == 0 {
                22
            } else {
                18
            };
            events.push(Dated { start: date, end: date, killed, lower_bound: false });
        }
    }
    let mut state = TrendState {
        totals: DayTotals::of(events.iter().copied()),
        range: Some((n("2017-01-01"), n("2019-12-31"))),
        as_of: Some(n("2019-12-15")),
        comparison: Some((n("2019-11-16"), n("2019-12-15"))),
        ..TrendState::default()
    };
    state.set_measure(Measure::Killed);
    state
}

fn draw_trend(state: &mut TrendState, width: u16, height: u16) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    TrendView { theme: Theme::default(), focused: false }.render(area, &mut buf, state);
    buf
}

#[test]
fn the_chart_has_value_and_date_axes_its_peak_its_cursor_and_its_spike() {
    let mut state = monthly_trend();
    assert_eq!(state.bin(), Some(sitdash::domain::trend::Bin::Month), "three years are binned by month");
    let buf = draw_trend(&mut state, 40, 10);
    let lines = rows_in(&buf, buf.area);
    assert!(lines[0].contains("Trend · killed per month"), "{lines:#?}");
    assert!(lines[1].contains("peak Oct 2019: 100 killed · 1 spike"), "{lines:#?}");
    // Values: the highest bin at the top, half way, and 0 at the bottom.
    assert!(lines[2].starts_with("│100┤"), "{lines:#?}");
    assert!(lines[4].starts_with("│ 50┤"), "{lines:#?}");
    assert!(lines[6].starts_with("│  0┤"), "{lines:#?}");
    // Dates: the first and last month under the axis.
    assert!(lines[8].starts_with("│    Jan 2017"), "{lines:#?}");
    assert!(lines[8].trim_end_matches('│').trim_end().ends_with("Dec 2019"), "{lines:#?}");
    // The as-of cursor sits on the axis in the last bin's column.
    let axis = &lines[7];
    let cursor = axis.chars().position(|c| c == '▲').expect("a cursor on the axis");
    assert!(cursor >= 36, "{axis}");
    assert_eq!(buf[(cursor as u16, 7)].fg, Color::Yellow);
    // The spike is drawn apart (light red) and near the right; the comparison window shaded.
    let spike_columns: Vec<u16> = (5..39).filter(|&x| (2..7).any(|y| buf[(x, y)].fg == Color::LightRed)).collect();
    assert!(!spike_columns.is_empty() && spike_columns.iter().all(|&x| (33..38).contains(&x)), "{spike_columns:?}");
    assert_eq!(buf[(38, 6)].bg, Color::Indexed(237), "the last columns are in the comparison window");
    assert_ne!(buf[(6, 6)].bg, Color::Indexed(237), "January 2017 is not");
}

#[test]
fn the_trend_detail_states_the_rule_and_lists_the_spike_with_its_date() {
    let state = monthly_trend();
    let (title, lines) = sitdash::tui::panes::trend::detail_lines(&state, &Theme::default());
    let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    assert_eq!(title, "Trend · killed per month");
    assert!(text.iter().any(|l| l.contains("mean of the 12 bins before it plus 2 standard deviations")));
    assert!(text.iter().any(|l| l.starts_with("  Oct 2019: 100 killed against 20.0 ± 2.0")), "{text:#?}");
    assert!(text.iter().any(|l| l.contains("Dec 2019") && l.contains("◀ as of")), "{text:#?}");
}

#[test]
fn a_trend_with_floors_keeps_the_plus_and_tiny_panes_do_not_panic() {
    let d = n("2020-02-06");
    let mut state = TrendState {
        totals: DayTotals::of([Dated { start: d, end: d, killed: 10, lower_bound: true }].into_iter()),
        range: Some((d, d)),
        ..TrendState::default()
    };
    state.set_measure(Measure::Killed);
    let buf = draw_trend(&mut state, 50, 8);
    assert!(rows_in(&buf, buf.area)[1].contains("peak 6 Feb 2020: 10+ killed"));
    for (w, h) in [(0, 0), (1, 1), (3, 3), (10, 4), (200, 60)] {
        draw_trend(&mut state, w, h);
        draw_trend(&mut TrendState::default(), w, h);
    }
}

fn draw_map(state: &mut MapState, width: u16, height: u16, measure: Measure) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    let sit = Situation::default();
    let view =
        MapView { sit: &sit, theme: Theme::default(), focused: false, measure, posts: Vec::new(), highlight: None };
    view.render(area, &mut buf, state);
    buf
}

fn event_marks(buf: &Buffer) -> Vec<(u16, u16)> {
    let area = buf.area;
    (area.y + 1..area.bottom().saturating_sub(1))
        .flat_map(|y| (area.x + 1..area.right().saturating_sub(1)).map(move |x| (x, y)))
        .filter(|&(x, y)| ["•", "●", "·"].contains(&buf[(x, y)].symbol()))
        .collect()
}

#[test]
fn an_event_lands_in_its_cell_borders_are_drawn_and_the_unplaced_are_only_counted() {
    // Idlib city, and a place without coordinates.
    let view = Viewport { lon: 36.5, lat: 36.0, half_width: 1.5 };
    let mut state = MapState {
        totals: PlaceTotals { events: vec![5, 3], killed: vec![2, 0], not_placed: 3 },
        coords: vec![Some((36.63, 35.93)), None],
        view: Some(view),
        ..MapState::default()
    };
    let buf = draw_map(&mut state, 40, 12, Measure::Events);
    let (x, y) = view.cell(36.63, 35.93, 38, 10).unwrap();
    assert!(rows_in(&buf, buf.area)[0].starts_with("┌ Map · 3 not placed · 35.0°E–38.0°E"));
    assert_eq!(event_marks(&buf), [(x + 1, y + 1)], "one mark, in Idlib's cell");
    assert_eq!(buf[(x + 1, y + 1)].symbol(), "●");
    assert_eq!(buf[(x + 1, y + 1)].fg, Color::Magenta, "the busiest cell in view");
    let title = rows_in(&draw_map(&mut state, 90, 12, Measure::Events), Rect::new(0, 0, 90, 1))[0].clone();
    assert!(title.contains("°N · by events · NE 10m"), "{title}");
    // The Turkish border runs across the top of the view: braille dots.
    let braille = (1..39)
        .flat_map(|x| (1..11).map(move |y| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].symbol().chars().all(|c| ('\u{2801}'..='\u{28ff}').contains(&c)))
        .count();
    assert!(braille > 20, "borders drawn: {braille} cells");

    // Nothing is put at 0,0 for the place without coordinates.
    state.view = Some(Viewport { lon: 0.0, lat: 0.0, half_width: 2.0 });
    assert!(event_marks(&draw_map(&mut state, 40, 12, Measure::Events)).is_empty());
    for (w, h) in [(0, 0), (1, 1), (2, 2), (3, 3), (300, 100)] {
        draw_map(&mut state, w, h, Measure::Killed);
        draw_map(&mut MapState::default(), w, h, Measure::Events);
    }
}

#[test]
fn by_killed_a_cell_without_deaths_is_dim_and_the_deadliest_is_darkest() {
    let view = Viewport { lon: 36.5, lat: 36.0, half_width: 1.5 };
    let mut state = MapState {
        totals: PlaceTotals { events: vec![9, 1], killed: vec![0, 40], not_placed: 0 },
        coords: vec![Some((36.0, 35.8)), Some((37.0, 36.2))],
        view: Some(view),
        ..MapState::default()
    };
    let buf = draw_map(&mut state, 40, 12, Measure::Killed);
    let at = |lon, lat| {
        let (x, y) = view.cell(lon, lat, 38, 10).unwrap();
        &buf[(x + 1, y + 1)]
    };
    assert_eq!((at(36.0, 35.8).symbol(), at(36.0, 35.8).fg), ("·", Color::DarkGray));
    assert_eq!((at(37.0, 36.2).symbol(), at(37.0, 36.2).fg), ("●", Color::Magenta));
}

// ---------------------------------------------------------------------------------------------
// The app

fn screen_of(buf: &Buffer, area: Rect) -> String {
    rows_in(buf, area).join("\n")
}

fn trend_headline(app: &mut App) -> String {
    let buf = draw(app, 160, 45);
    rows_in(&buf, app.areas.trend)[1].clone()
}

fn placed_events(app: &App) -> u64 {
    app.map.totals.events.iter().sum()
}

#[test]
fn at_160x45_the_first_screen_has_every_pane_and_the_posts_on_the_map_in_their_colours() {
    let mut app = default_app();
    let buf = draw(&mut app, 160, 45);
    for pane in Pane::ALL {
        assert!(!app.areas.of(pane).is_empty(), "{pane:?} is on the first screen");
    }
    let map = app.areas.map;
    assert!(rows_in(&buf, map)[0].contains("Map ·"), "{}", screen_of(&buf, map));
    assert!(trend_headline(&mut app).contains("peak 6 Feb 2020: 10+ killed"));
    // Posts: red where encircled, green where established, as in the posts pane.
    let buf = draw(&mut app, 160, 45);
    let posts: Vec<Color> = (map.y..map.bottom())
        .flat_map(|y| (map.x..map.right()).map(move |x| (x, y)))
        .filter(|&(x, y)| buf[(x, y)].symbol() == "▲")
        .map(|(x, y)| buf[(x, y)].fg)
        .collect();
    assert!(posts.contains(&Color::Red) && posts.contains(&Color::Green), "{posts:?}");
    // Events are drawn, and the ones without coordinates are counted in the title.
    assert!(event_marks_in(&buf, map) > 0);
}

fn event_marks_in(buf: &Buffer, area: Rect) -> usize {
    (area.y + 1..area.bottom().saturating_sub(1))
        .flat_map(|y| (area.x + 1..area.right().saturating_sub(1)).map(move |x| (x, y)))
        .filter(|&(x, y)| ["•", "●", "·"].contains(&buf[(x, y)].symbol()))
        .count()
}

#[test]
fn a_filter_changes_the_trend_and_the_map() {
    let mut app = default_app();
    let before = trend_headline(&mut app);
    let placed = placed_events(&app);
    assert!(before.contains("16+ killed not within one day"), "{before}");
    app.set_filter_text("killed>5").unwrap();
    let after = trend_headline(&mut app);
    assert!(after.contains("peak 6 Feb 2020: 10+ killed · 13+ killed not within one day"), "{after}");
    assert!(placed_events(&app) < placed && placed_events(&app) > 0, "{} of {placed}", placed_events(&app));
    app.set_filter_text("zzzzqqq").unwrap();
    assert!(trend_headline(&mut app).contains("no dated events in this view"));
    assert_eq!(placed_events(&app), 0);
}

#[test]
fn a_place_narrowing_changes_the_trend_and_the_map() {
    let mut app = default_app();
    let before = trend_headline(&mut app);
    let placed = placed_events(&app);
    let saraqeb = app.sit.index.places["saraqeb"];
    assert!(app.posts.select_place(saraqeb));
    app.focus = Pane::Posts;
    app.press(KeyCode::Enter);
    assert_eq!(app.place, Some(saraqeb));
    let after = trend_headline(&mut app);
    assert_ne!(after, before);
    assert!(after.contains("no killed reported"), "nobody is reported killed in Saraqeb: {after}");
    assert!(placed_events(&app) < placed && placed_events(&app) > 0);
    // The map marks the place narrowed to.
    let buf = draw(&mut app, 160, 45);
    let map = app.areas.map;
    assert!(
        (map.y..map.bottom()).any(|y| (map.x..map.right()).any(|x| buf[(x, y)].fg == Color::White)),
        "the narrowed place is highlighted"
    );
}

#[test]
fn the_time_cursor_moves_the_trend_s_cursor_and_its_peak() {
    let mut app = default_app();
    draw(&mut app, 160, 45);
    let cursor = app.trend.trend.cursor;
    app.press(KeyCode::Char('['));
    app.press(KeyCode::Char('['));
    app.press(KeyCode::Char('['));
    assert_eq!(app.window().to, Some(day("2020-02-04")));
    assert!(app.trend.trend.cursor < cursor);
    assert!(trend_headline(&mut app).contains("peak 3 Feb 2020: 5 killed"), "{}", trend_headline(&mut app));
}

#[test]
fn at_140x40_the_trend_is_on_screen_and_m_brings_the_map_and_takes_it_away() {
    let mut app = default_app();
    let buf = draw(&mut app, 140, 40);
    assert!(!app.areas.trend.is_empty() && app.areas.map.is_empty());
    let footer = rows_in(&buf, Rect::new(0, 39, 140, 1))[0].clone();
    assert!(footer.contains("m map"), "{footer}");
    app.press(KeyCode::Char('m'));
    let buf = draw(&mut app, 140, 40);
    assert_eq!(app.focus, Pane::Map);
    assert!(!app.areas.map.is_empty() && app.areas.timeline.is_empty());
    assert!(!app.areas.trend.is_empty(), "the trend stays");
    assert!(rows_in(&buf, app.areas.map)[0].contains("Map ·"));
    // The map's keys: zoom, pan, fit.
    let wide = app.map.view.unwrap().half_width;
    app.press(KeyCode::Char('+'));
    assert!((app.map.view.unwrap().half_width - wide / 2.0).abs() < 1e-9);
    let lon = app.map.view.unwrap().lon;
    app.press(KeyCode::Char('l'));
    assert!(app.map.view.unwrap().lon > lon, "l pans east in the map");
    app.press(KeyCode::Char('z'));
    draw(&mut app, 140, 40);
    assert!((app.map.view.unwrap().half_width - wide).abs() < 1e-9, "z fits the data again");
    // The wheel over the map zooms it.
    let map = app.areas.map;
    let wheel =
        |kind| Event::Mouse(MouseEvent { kind, column: map.x + 3, row: map.y + 3, modifiers: KeyModifiers::NONE });
    app.handle_event(&wheel(MouseEventKind::ScrollUp));
    assert!(app.map.view.unwrap().half_width < wide);
    app.press(KeyCode::Char('m'));
    draw(&mut app, 140, 40);
    assert_eq!(app.focus, Pane::Timeline);
    assert!(app.areas.map.is_empty() && !app.areas.timeline.is_empty());
}

#[test]
fn the_trend_keys_toggle_the_measure_step_the_bin_and_open_the_detail() {
    let mut app = default_app();
    draw(&mut app, 160, 45);
    app.focus = Pane::Trend;
    app.press(KeyCode::Char('v'));
    let buf = draw(&mut app, 160, 45);
    assert!(rows_in(&buf, app.areas.trend)[0].contains("Trend · events per day"));
    assert!(rows_in(&buf, app.areas.map)[0].contains("by events"), "the map follows the measure");
    app.press(KeyCode::Char('>'));
    let buf = draw(&mut app, 160, 45);
    assert!(rows_in(&buf, app.areas.trend)[0].contains("events per week"));
    assert!(
        rows_in(&buf, app.areas.trend)[1].contains("peak wk 3 Feb 2020: 11 events"),
        "{:?}",
        rows_in(&buf, app.areas.trend)
    );
    app.press(KeyCode::Char('<'));
    app.press(KeyCode::Char('<'));
    assert!(app.message.as_deref().unwrap_or("").contains("as fine as they go"));
    app.press(KeyCode::Enter);
    assert_eq!(app.overlay, Some(Overlay::Trend));
    let buf = draw(&mut app, 160, 45);
    let all = rows_in(&buf, buf.area).join("\n");
    assert!(all.contains("Spikes") && all.contains("standard"), "{all}");
}

#[test]
fn the_trend_shades_the_counters_comparison_window_and_follows_its_steps() {
    let mut app = default_app();
    let span = |app: &App| app.trend.comparison.map(|(a, b)| b - a + 1);
    assert_eq!(span(&app), Some(30));
    assert_eq!(app.trend.comparison.map(|c| c.1), Some(n("2020-02-07")), "it ends on the as-of date");
    app.press(KeyCode::Char('w'));
    assert_eq!(span(&app), Some(90));
    assert_eq!(app.compare_days, 90);
    app.press(KeyCode::Char('W'));
    app.press(KeyCode::Char('W'));
    assert_eq!(span(&app), Some(7));
}

#[test]
fn the_trend_detail_says_what_was_counted_apart_and_keeps_its_floor() {
    let app = default_app();
    let (_, lines) = sitdash::tui::panes::trend::detail_lines(&app.trend, &Theme::default());
    let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
    assert!(
        text.iter().any(|l| l.starts_with("16+ killed in 6 events known only to dates that do not fit in one day")),
        "{text:#?}"
    );
    assert!(text.iter().any(|l| l.starts_with("  6 Feb 2020") && l.contains("10+")), "{text:#?}");
}
