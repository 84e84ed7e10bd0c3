//! The dashboard on an export in ACLED's shape, as a new user opens one: several years, a
//! few hundred rows, places under two admin levels, two different places called Ahero, and
//! one place written with two geo precisions. The rows are generated here, in our own words,
//! and every expected figure is worked out from the same list of rows by the plain
//! reference code in this file, not by the app.

mod common;

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};
use crossterm::event::KeyCode;

use common::{draw, rows_in, screen};
use sitdash::domain::activity::Side;
use sitdash::ingest::input::{InputFormat, LoadOptions};
use sitdash::ingest::load::load_str;
use sitdash::tui::app::App;
use sitdash::tui::panes::counters::{CounterRow, Measure};
use sitdash::tui::panes::posts::PostsRow;

/// One generated row, with what the reference needs.
struct Row {
    id: String,
    date: NaiveDate,
    event_type: &'static str,
    sub_type: &'static str,
    actor1: &'static str,
    actor2: &'static str,
    admin1: &'static str,
    admin2: &'static str,
    location: &'static str,
    lat: f64,
    lon: f64,
    geo_precision: u8,
    fatalities: u64,
}

const TYPES: [(&str, &str); 6] = [
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Mob violence"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Strategic developments", "Arrests"),
];

/// (admin1, admin2, location, lat, lon)
const PLACES: [(&str, &str, &str, f64, f64); 5] = [
    ("South Province", "Lake District", "Ostmere", 44.9, 13.1),
    ("North Province", "Nyando District", "Ahero", 45.3, 12.2),
    ("South Province", "Lake District", "Ahero", 44.7, 13.4),
    ("East Province", "Dray District", "Lunmark", 45.8, 14.0),
    ("East Province", "Dray District", "Dray", 45.9, 14.2),
];
const KORVATH: (&str, &str, &str, f64, f64) = ("North Province", "Korvath District", "Korvath", 45.1234, 12.5678);

const AS_OF: &str = "2021-11-17";

fn generate() -> Vec<Row> {
    let first = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    (0..320u64)
        .map(|k| {
            // Row 0 is the latest day; the rest spread over the years before it.
            let offset = if k == 0 { 1051 } else { (k * 7919) % 1051 };
            let date = first + Duration::days(offset as i64);
            let (admin1, admin2, location, lat, lon) =
                if k % 3 == 0 { KORVATH } else { PLACES[(k as usize / 3 + k as usize) % PLACES.len()] };
            let (event_type, sub_type) = TYPES[(k as usize * 5 + k as usize / 7) % TYPES.len()];
            let (actor1, actor2) = match event_type {
                "Protests" => ("Protesters (Veldoria)", ""),
                "Riots" => ("Rioters (Veldoria)", "Civilians (Veldoria)"),
                "Violence against civilians" => ("Free Veldorian Front", "Civilians (Veldoria)"),
                "Strategic developments" => ("Police Forces of Veldoria (2019-)", "Free Veldorian Front"),
                _ if k % 2 == 0 => ("Military Forces of Veldoria (2019-)", "Free Veldorian Front"),
                _ => ("Free Veldorian Front", "Military Forces of Veldoria (2019-)"),
            };
            let fatalities = match event_type {
                "Protests" | "Strategic developments" => 0,
                _ => (k * 13) % 7,
            };
            Row {
                id: format!("VLD{:05}", k + 1),
                date,
                event_type,
                sub_type,
                actor1,
                actor2,
                admin1,
                admin2,
                location,
                lat,
                lon,
                // Korvath is written "the town" and "near the town" on alternate rows.
                geo_precision: if location == "Korvath" { 1 + (k % 2) as u8 } else { 1 },
                fatalities,
            }
        })
        .collect()
}

fn csv(rows: &[Row]) -> String {
    let mut out = String::from(
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n",
    );
    for r in rows {
        let civilian = if r.actor2.starts_with("Civilians") { "Civilian targeting" } else { "" };
        let _ = writeln!(
            out,
            "{},{},{},1,Political violence,{},{},{},,1,{},,2,12,{civilian},999,Western Atlantis,Veldoria,{},{},,{},{},{},{},Veldoria Today,National,\"Generated row {} at {}; a test note long enough to wrap in the strip.\",{},,1639000000",
            r.id,
            r.date,
            r.date.format("%Y"),
            r.event_type,
            r.sub_type,
            r.actor1,
            r.actor2,
            r.admin1,
            r.admin2,
            r.location,
            r.lat,
            r.lon,
            r.geo_precision,
            r.id,
            r.location,
            r.fatalities
        );
    }
    out
}

fn app() -> (App, Vec<Row>) {
    let rows = generate();
    let options = LoadOptions { skip_invalid: false, format: InputFormat::Acled, ..LoadOptions::default() };
    let (sit, report) = load_str("veldoria.csv", &csv(&rows), options).expect("the export loads");
    assert_eq!(report.skipped, 0, "{}", report.line());
    (App::new(sit), rows)
}

fn as_of() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

/// The reference: (events, killed) of the rows in the last `days` up to the as-of date and
/// in the `days` before.
fn periods(rows: &[&Row], days: i64) -> [(u64, u64); 2] {
    let mut out = [(0, 0); 2];
    for r in rows {
        let back = (as_of() - r.date).num_days();
        if back < 0 {
            continue;
        }
        let p = (back / days) as usize;
        if p < 2 {
            out[p].0 += 1;
            out[p].1 += r.fatalities;
        }
    }
    out
}

/// The reference: (type, events, killed), busiest first (ties by name).
fn types(rows: &[&Row]) -> Vec<(&'static str, u64, u64)> {
    let mut out: Vec<(&'static str, u64, u64)> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|t| t.0 == r.event_type) {
            Some(t) => {
                t.1 += 1;
                t.2 += r.fatalities;
            }
            None => out.push((r.event_type, 1, r.fatalities)),
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out
}

fn check_figures(app: &App, rows: &[&Row], what: &str) {
    assert_eq!(app.shown.len(), rows.len(), "{what}: events shown");
    let got: Vec<(&'static str, u64, u64)> =
        app.counters.types.iter().map(|(t, f)| (*t, f.events, f.killed.best)).collect();
    assert_eq!(got, types(rows), "{what}: by type");
    for days in [7, 30, 90, 365] {
        let mut app_days = app.counters.breakdown.periods;
        if app.compare_days != days {
            // Worked out for the window in force only; others are checked by stepping.
            continue;
        }
        let [(re, rk), (be, bk)] = periods(rows, days);
        let [recent, before] = &mut app_days;
        assert_eq!((recent.events, recent.killed.best), (re, rk), "{what}: last {days} days");
        assert_eq!((before.events, before.killed.best), (be, bk), "{what}: the {days} before");
    }
}

#[test]
fn the_first_screen_opens_on_the_latest_date_with_the_busiest_region_on_top() {
    let (mut app, rows) = app();
    let buf = draw(&mut app, 160, 45);
    let text = screen(&buf);
    assert!(rows_in(&buf, buf.area)[0].contains("as of 17 Nov 2021"), "{text}");
    // The selection is the latest event, and it is on screen under its date.
    let selected = app.timeline.selected_event().expect("a selection") as usize;
    assert_eq!(&*app.sit.events[selected].id, "VLD00001");
    let timeline = rows_in(&buf, app.areas.timeline).join("\n");
    assert!(timeline.contains("── Wed 17 Nov 2021"), "{timeline}");
    // `g` reaches the first day and `G` the last.
    app.press(KeyCode::Char('g'));
    let first = app.timeline.selected_event().unwrap() as usize;
    let earliest = rows.iter().map(|r| r.date).min().unwrap();
    assert_eq!(app.sit.events[first].date.0, earliest);
    app.press(KeyCode::Char('G'));
    assert_eq!(app.timeline.selected_event(), Some(selected as u32));

    // One country: the pane opens on its regions, the busiest first.
    let places = rows_in(&buf, app.areas.posts).join("\n");
    assert!(places.contains("Places · by events"), "{places}");
    assert!(!text.contains("0 posts") && !places.contains("post"), "no posts in this file: {places}");
    let regions: Vec<usize> = app
        .posts
        .rows
        .iter()
        .filter_map(|r| match r {
            PostsRow::Place { place, depth: 1, .. } => Some(*place),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = regions.iter().map(|&p| app.sit.places[p].name.as_str()).collect();
    let mut by_region: Vec<(&str, usize)> = ["North Province", "South Province", "East Province"]
        .iter()
        .map(|&a| (a, rows.iter().filter(|r| r.admin1 == a).count()))
        .collect();
    by_region.sort_by_key(|r| std::cmp::Reverse(r.1));
    assert_eq!(names, by_region.iter().map(|r| r.0).collect::<Vec<_>>(), "{places}");
    assert_eq!(names[0], "North Province");
    assert!(places.lines().nth(2).unwrap().contains("North Province"), "{places}");
    assert!(places.contains(&format!("{} ev", rows.len())), "the country counts every event: {places}");
}

/// The timeline's place column tells the two Ahero apart as the places pane does: the pure
/// label, the widget drawn with the labels, and the app's screen after a filter.
#[test]
fn the_timeline_tells_places_of_one_name_apart_too() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::StatefulWidget;
    use sitdash::tui::panes::posts::place_labels;
    use sitdash::tui::panes::timeline::{TimelineState, TimelineView, place_label};

    let (mut app, _) = app();
    let labels = place_labels(&app.sit);
    let id_of = |name: &str, parent: &str| {
        let p = app.sit.places.iter().find(|p| {
            p.name == name && p.part_of.as_deref().and_then(|q| app.sit.place(q)).is_some_and(|q| q.name == parent)
        });
        p.expect("the place is there").id.clone()
    };
    let north = id_of("Ahero", "Nyando District");
    let south = id_of("Ahero", "Lake District");
    let korvath = id_of("Korvath", "Korvath District");
    assert_eq!(place_label(&app.sit, &labels, &north), "Ahero · Nyando District, North Province");
    assert_eq!(place_label(&app.sit, &labels, &south), "Ahero · Lake District, South Province");
    assert_eq!(place_label(&app.sit, &labels, &korvath), "Korvath", "a name no other place has stays as it is");
    assert_eq!(place_label(&app.sit, &[], &north), "Ahero", "without labels, the name");
    assert_eq!(place_label(&app.sit, &labels, "nowhere"), "nowhere", "an unknown place shows its id");

    // The widget: every Ahero row says which Ahero.
    let ahero: Vec<u32> = (0..app.sit.events.len() as u32)
        .filter(|&i| app.sit.place_name(&app.sit.events[i as usize].place) == "Ahero")
        .collect();
    assert!(ahero.len() >= 4, "the fixture has events at both");
    let mut state = TimelineState::default();
    state.rebuild(&app.sit, &app.search, &ahero);
    let area = Rect::new(0, 0, 200, 40);
    let mut buf = Buffer::empty(area);
    let view = TimelineView {
        sit: &app.sit,
        theme: sitdash::tui::theme::Theme::default(),
        focused: false,
        as_of: app.sit.as_of,
        title: " Timeline ".into(),
        notes_strip: false,
        labels: &labels,
    };
    view.render(area, &mut buf, &mut state);
    let lines: Vec<String> = common::rows(&buf).into_iter().filter(|l| l.contains("Ahero")).collect();
    assert!(lines.iter().any(|l| l.contains("Ahero · Nyando")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("Ahero · Lake")), "{lines:#?}");
    assert!(lines.iter().all(|l| l.contains("Ahero · ")), "{lines:#?}");

    // The app at 160x45: filtered to Ahero, the rows tell the two apart.
    app.set_filter_text("place:ahero").expect("parses");
    let buf = draw(&mut app, 160, 45);
    // The event rows, above the notes strip (whose text may name Ahero too).
    let timeline: Vec<String> = rows_in(&buf, app.areas.timeline)
        .into_iter()
        .take_while(|l| !l.contains("── notes"))
        .filter(|l| l.contains("Ahero"))
        .collect();
    assert!(!timeline.is_empty(), "{}", screen(&buf));
    assert!(timeline.iter().all(|l| l.contains("Ahero · ")), "{timeline:#?}");
    assert!(
        timeline.iter().any(|l| l.contains("Ahero · L")) && timeline.iter().any(|l| l.contains("Ahero · N")),
        "{timeline:#?}"
    );
}

/// A since: that falls inside the comparison's period before cuts it short: the figures are
/// those of the rows from that day on, and the pane says they are partial rather than give a
/// per cent against a cut period.
#[test]
fn a_since_inside_the_comparison_says_the_comparison_is_partial() {
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::StatefulWidget;
    use sitdash::domain::activity::Periods;
    use sitdash::domain::index::day_number;
    use sitdash::domain::model::Day;
    use sitdash::tui::panes::counters::CountersView;

    // Pure: 30 days to 17 Nov 2021 against the 30 before, from 19 Sep on.
    let day = |s: &str| Day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
    let p = Periods { days: 30, to: day_number(day(AS_OF)) };
    assert_eq!(p.bounds(1).0, day("2021-09-19"));
    assert_eq!(p.cut_by(None), None);
    assert_eq!(p.cut_by(Some(day("2021-09-01"))), None, "before both periods: whole");
    assert_eq!(p.cut_by(Some(day("2021-09-19"))), None, "on the first day: whole");
    assert_eq!(p.cut_by(Some(day("2021-10-01"))), Some(day("2021-10-01")));
    assert_eq!(p.cut_by(Some(day("2021-11-01"))), Some(day("2021-11-01")));

    let (mut app, rows) = app();
    app.set_filter_text("since:2021-10-01").expect("parses");
    let since = day("2021-10-01").0;
    let kept: Vec<&Row> = rows.iter().filter(|r| r.date >= since && r.date <= as_of()).collect();
    let [(re, rk), (be, bk)] = periods(&kept, 30);
    let [recent, before] = app.counters.breakdown.periods;
    assert_eq!((recent.events, recent.killed.best, before.events, before.killed.best), (re, rk, be, bk));
    assert_eq!(app.counters.cut, Some(day("2021-10-01")));

    // The widget says so.
    let area = Rect::new(0, 0, 70, 40);
    let mut buf = Buffer::empty(area);
    let view = CountersView {
        sit: &app.sit,
        theme: sitdash::tui::theme::Theme::default(),
        focused: false,
        title: " Counters ".into(),
    };
    view.render(area, &mut buf, &mut app.counters);
    let text = common::rows(&buf).join("\n");
    assert!(text.contains("30 days to 17 Nov 2021 vs 30 before, cut by since: 1 Oct"), "{text}");
    let events = common::rows(&buf).into_iter().find(|l| l.contains("Events ") && l.contains(" vs ")).expect("the row");
    assert!(events.contains("(partial)") && !events.contains('%'), "{events}");

    // The app, as a person sees it; and without the since:, whole again with its per cent.
    let buf = draw(&mut app, 160, 45);
    let screen_text = screen(&buf);
    assert!(screen_text.contains("vs 30 before, cut by since: 1 Oct"), "{screen_text}");
    // The places pane weighs no whole period against part of one either: no ▲/▼, and its
    // title says why.
    let places = common::rows_in(&buf, app.areas.posts).join("\n");
    assert!(places.contains("▲▼ cut by since: 1 Oct"), "{places}");
    let body: String = common::rows_in(&buf, app.areas.posts).into_iter().skip(1).collect();
    assert!(!body.contains('▲') && !body.contains('▼'), "{places}");
    app.set_filter_text("since:2021-11-10").expect("parses");
    assert!(screen(&draw(&mut app, 160, 45)).contains("cut by since: 10 Nov; none before"));
    app.set_filter_text("").expect("parses");
    assert_eq!(app.counters.cut, None);
    let buf = draw(&mut app, 160, 45);
    let screen_text = screen(&buf);
    assert!(!screen_text.contains("(partial)") && screen_text.contains("vs the 30 before (w/W)"), "{screen_text}");
    let places: String = common::rows_in(&buf, app.areas.posts).into_iter().skip(1).collect();
    assert!(places.contains('▲') || places.contains('▼'), "whole again: the marks are back: {places}");
    assert!(!places.contains("cut by since"), "{places}");
}

#[test]
fn one_place_whatever_its_precision_and_two_places_of_one_name_told_apart() {
    let (mut app, rows) = app();
    let korvath: Vec<usize> =
        app.sit.places.iter().enumerate().filter(|(_, p)| p.name == "Korvath").map(|(i, _)| i).collect();
    assert_eq!(korvath.len(), 1, "Korvath at precision 1 and 2 is one place");
    let at_korvath = app.sit.events.iter().filter(|e| *e.place == app.sit.places[korvath[0]].id).count();
    assert_eq!(at_korvath, rows.iter().filter(|r| r.location == "Korvath").count());
    // The precision stays on each event, and its detail says it.
    let near = app.sit.events.iter().find(|e| &*e.id == "VLD00004").unwrap();
    assert_eq!(near.geo_precision, Some(sitdash::domain::model::GeoPrecision::NearTown));
    let i = app.sit.events.iter().position(|e| &*e.id == "VLD00004").unwrap();
    app.timeline.select_event(i as u32);
    app.press(KeyCode::Enter);
    let detail = screen(&draw(&mut app, 160, 45));
    assert!(detail.contains("Korvath (near a town)"), "{detail}");
    app.press(KeyCode::Esc);
    let ahero: Vec<&str> = app.posts.labels.iter().filter(|l| l.starts_with("Ahero")).map(String::as_str).collect();
    assert_eq!(ahero.len(), 2);
    assert!(ahero.contains(&"Ahero · Nyando District, North Province"), "{ahero:?}");
    assert!(ahero.contains(&"Ahero · Lake District, South Province"), "{ahero:?}");
    // Opened all the way, both are on screen, each told apart by its parents.
    app.posts.expand_all();
    let buf = draw(&mut app, 160, 120);
    let places = rows_in(&buf, app.areas.posts).join("\n");
    assert!(places.contains("Ahero · Nyando District") && places.contains("Ahero · Lake District"), "{places}");
    // The busiest place of all leads its district, which leads its region.
    let korvath_line = places.lines().position(|l| l.contains("Korvath ") && !l.contains("District")).unwrap();
    let district_line = places.lines().position(|l| l.contains("Korvath District")).unwrap();
    assert_eq!(korvath_line, district_line + 1, "{places}");
}

#[test]
fn the_type_breakdown_and_the_comparison_window_are_the_rows_figures() {
    let (mut app, rows) = app();
    let all: Vec<&Row> = rows.iter().collect();
    assert_eq!(app.compare_days, 30);
    check_figures(&app, &all, "everything");
    let buf = draw(&mut app, 160, 60);
    let counters = rows_in(&buf, app.areas.counters).join("\n");
    let [(re, _), (be, _)] = periods(&all, 30);
    assert!(counters.contains("Last 30 days to 17 Nov 2021 vs the 30 before"), "{counters}");
    assert!(counters.contains(&format!("Events  {re} vs {be}")), "{counters}");
    let top = types(&all)[0];
    let line = counters.lines().find(|l| l.contains(top.0)).unwrap_or_else(|| panic!("{counters}"));
    assert!(line.contains(&format!(" {} ", top.1)) && line.contains(&format!("†{}", top.2)), "{line}");
    // Who acts and who is hit are kept apart (further down the pane: a tall screen shows it).
    let buf = draw(&mut app, 160, 200);
    let counters = rows_in(&buf, app.areas.counters).join("\n");
    assert!(counters.contains("Who acts (actor1)") && counters.contains("Who is hit (actor2)"), "{counters}");
    assert!(counters.contains("Military (Veldoria)"), "shortened in the row: {counters}");
    // The front both acts and is hit: its two figures are its rows as actor1 and as actor2.
    let front = app.sit.actors.iter().position(|a| a.name == "Free Veldorian Front").unwrap();
    let acting = app.counters.breakdown.acting[front];
    let hit = app.counters.breakdown.hit[front];
    let as1 = all.iter().filter(|r| r.actor1 == "Free Veldorian Front");
    let as2 = all.iter().filter(|r| r.actor2 == "Free Veldorian Front");
    assert_eq!((acting.events, acting.killed.best), (as1.clone().count() as u64, as1.map(|r| r.fatalities).sum()));
    assert_eq!((hit.events, hit.killed.best), (as2.clone().count() as u64, as2.map(|r| r.fatalities).sum()));
    let top_acting = app.counters.breakdown.top(Side::Acting, false, 1);
    let mut by_actor1: Vec<(&str, usize)> = Vec::new();
    for r in &all {
        match by_actor1.iter_mut().find(|a| a.0 == r.actor1) {
            Some(a) => a.1 += 1,
            None => by_actor1.push((r.actor1, 1)),
        }
    }
    by_actor1.sort_by_key(|a| std::cmp::Reverse(a.1));
    assert_eq!(app.sit.actors[top_acting[0].0 as usize].name, by_actor1[0].0);

    // The window steps 30 → 90 → 365 → 7 and back.
    for days in [90, 365, 7, 30] {
        app.press(KeyCode::Char('w'));
        assert_eq!(app.compare_days, days);
        let [(re, rk), (be, bk)] = periods(&all, days);
        let [recent, before] = app.counters.breakdown.periods;
        assert_eq!((recent.events, recent.killed.best, before.events, before.killed.best), (re, rk, be, bk), "{days}");
    }
    app.press(KeyCode::Char('W'));
    assert_eq!(app.compare_days, 7);

    // Enter on a type shows its sub-types and the events behind it.
    app.press(KeyCode::Char('w'));
    app.press(KeyCode::Tab);
    let at = app.counters.rows.iter().position(|r| *r == CounterRow::EventType(top.0)).unwrap();
    app.counters.selected = at;
    app.press(KeyCode::Enter);
    let buf = draw(&mut app, 160, 60);
    let detail = screen(&buf);
    assert!(detail.contains(top.0) && detail.contains("Sub-types"), "{detail}");
    assert!(detail.contains("Generated row") || detail.contains("VLD"), "{detail}");
    app.press(KeyCode::Esc);
    let compare = app.counters.rows.iter().position(|r| *r == CounterRow::Compare(Measure::Events)).unwrap();
    app.counters.selected = compare;
    app.press(KeyCode::Enter);
    let detail = screen(&draw(&mut app, 160, 60));
    assert!(detail.contains("18 Oct 2021") && detail.contains("17 Nov 2021"), "the recent period's days: {detail}");
}

#[test]
fn every_count_follows_the_filter_and_the_place_narrowing() {
    let (mut app, rows) = app();
    app.set_filter_text("kind:protests,riots").expect("parses");
    let filtered: Vec<&Row> = rows.iter().filter(|r| r.event_type == "Protests" || r.event_type == "Riots").collect();
    check_figures(&app, &filtered, "protests and riots");
    let region = |app: &App, name: &str| {
        app.posts.rows.iter().find_map(|r| match r {
            PostsRow::Place { place, events, .. } if app.sit.places[*place].name == name => Some(*events),
            _ => None,
        })
    };
    let north = filtered.iter().filter(|r| r.admin1 == "North Province").count();
    assert_eq!(region(&app, "North Province"), Some(north));

    // Narrowed to North Province: the counters and the timeline follow; the pane marks it.
    let p = app.sit.places.iter().position(|p| p.name == "North Province").unwrap();
    app.focus = sitdash::tui::keymap::Pane::Posts;
    assert!(app.posts.select_place(p));
    app.press(KeyCode::Enter);
    assert_eq!(app.place, Some(p));
    let narrowed: Vec<&Row> = filtered.iter().copied().filter(|r| r.admin1 == "North Province").collect();
    check_figures(&app, &narrowed, "protests and riots in North Province");
    let buf = draw(&mut app, 160, 45);
    assert!(rows_in(&buf, app.areas.posts).join("\n").contains("▶ North Province"));

    // And the time cursor: a year back, the figures are those of the rows up to that day.
    app.press(KeyCode::Esc);
    app.set_filter_text("").expect("parses");
    for _ in 0..52 {
        app.press(KeyCode::Char('{'));
    }
    let cursor = as_of() - Duration::days(364);
    let selected = app.timeline.selected_event().unwrap() as usize;
    assert!(app.sit.events[selected].date.0 <= cursor, "the selection follows the cursor");
    let up_to: Vec<&Row> = rows.iter().filter(|r| r.date <= cursor).collect();
    let got: Vec<(&'static str, u64)> = app.counters.types.iter().map(|(t, f)| (*t, f.events)).collect();
    let want: Vec<(&'static str, u64)> = types(&up_to).into_iter().map(|t| (t.0, t.1)).collect();
    assert_eq!(got, want);
}
