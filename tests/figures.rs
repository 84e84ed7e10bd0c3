//! The counting rules, through the library: lower bounds stay lower bounds, nothing is counted
//! twice, announced events are never counted, nested and overlapping displacement figures are
//! never added, and everything is as of a date. Small situations are built here as JSON.

use serde_json::{Value, json};

use sitdash::domain::figures::{
    FigureKind, TimeWindow, casualties, counts_toward_totals, displacement, displacement_total, post_state,
    post_totals, posts_by_place,
};
use sitdash::domain::model::{Day, PostStatus, Situation};
use sitdash::domain::summary;
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::load_str;

fn day(text: &str) -> Day {
    Day::parse(text).expect("a valid test date")
}

fn as_of(text: &str) -> TimeWindow {
    TimeWindow::as_of(Some(day(text)))
}

fn window(from: &str, to: &str) -> TimeWindow {
    TimeWindow { from: Some(day(from)), to: Some(day(to)) }
}

/// Loads a situation made of the shared skeleton plus the given collections.
fn situation(extra: &Value) -> Situation {
    let mut doc = json!({
        "format": "sitdash/1",
        "title": "Test situation",
        "sources": [{"id": "wire", "publisher": "Example wire service"}],
        "actors": [
            {"id": "army", "name": "An army", "inter": 1},
            {"id": "militia", "name": "A militia", "inter": 2}
        ],
        "places": [
            {"id": "region", "name": "A region", "geo_precision": "region"},
            {"id": "town", "name": "A town", "part_of": "region"},
            {"id": "village", "name": "A village", "part_of": "region"},
            {"id": "elsewhere", "name": "Another region", "geo_precision": "region"}
        ]
    });
    for (key, value) in extra.as_object().expect("extra collections as an object") {
        match (doc.get_mut(key), value) {
            (Some(Value::Array(have)), Value::Array(more)) => have.extend(more.iter().cloned()),
            _ => doc[key] = value.clone(),
        }
    }
    let text = serde_json::to_string_pretty(&doc).expect("JSON text");
    match load_str("test.json", &text, LoadOptions::default()) {
        Ok((sit, report)) => {
            assert_eq!(report.skipped, 0);
            sit
        }
        Err(err) => {
            let problems: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
            panic!("test situation refused:\n{}\n{text}", problems.join("\n"));
        }
    }
}

/// A claim with a count: `qualifier` as in the format ("exact", "at_least", …).
fn claim(id: &str, best: u64, qualifier: &str) -> Value {
    json!({"id": id, "source": "wire", "attributed_to": "a reporter", "statement": "A figure for a test.",
           "count": {"best": best, "qualifier": qualifier}})
}

/// An event on `date` with one killed figure for `group`, chosen from `claim_id`.
fn killing(id: &str, date: &str, group: &str, claim_id: &str) -> Value {
    json!({"id": id, "date": date, "kind": "armed_clash", "by": ["army"], "place": "town",
           "summary": "Deaths in a test clash", "claims": [claim_id],
           "casualties": [{"group": group, "outcome": "killed", "claims": [claim_id], "chosen": claim_id}]})
}

fn killed(sit: &Situation, window: TimeWindow) -> (u64, bool) {
    let c = casualties(sit, &sit.events, window);
    (c.killed.best, c.killed.lower_bound)
}

#[test]
fn an_at_least_count_makes_the_total_a_lower_bound() {
    let sit = situation(&json!({
        "claims": [claim("c-three", 3, "exact"), claim("c-ten", 10, "at_least")],
        "events": [
            killing("e-exact", "2020-02-03", "army", "c-three"),
            killing("e-floor", "2020-02-04", "civilians", "c-ten")
        ]
    }));
    let c = casualties(&sit, &sit.events, TimeWindow::default());
    assert_eq!(c.killed.best, 13);
    assert_eq!(c.killed.low, 13);
    assert_eq!(c.killed.high, None);
    assert!(c.killed.lower_bound);
    assert_eq!(c.killed.display(), "13+");
    // The exact part alone is exact, with its high bound.
    let army = c.killed_by_group["army"];
    assert_eq!((army.best, army.high, army.lower_bound), (3, Some(3), false));
    assert_eq!(army.display(), "3");

    // The summary JSON carries the floor as `lower_bound` with a null `high`.
    let events: Vec<_> = sit.events.iter().collect();
    let s = summary::to_json(&sit, &events, TimeWindow::default());
    assert_eq!(s["killed"]["best"], 13);
    assert_eq!(s["killed"]["lower_bound"], true);
    assert_eq!(s["killed"]["high"], Value::Null);
    assert_eq!(s["killed"]["by_group"]["army"]["high"], 3);
}

#[test]
fn a_range_is_kept_in_low_and_high() {
    let sit = situation(&json!({
        "claims": [
            {"id": "c-range", "source": "wire", "attributed_to": "a monitor", "statement": "Four to seven died.",
             "count": {"best": 5, "low": 4, "high": 7, "qualifier": "approximately"}},
            claim("c-two", 2, "exact")
        ],
        "events": [killing("e-range", "2020-02-03", "army", "c-range"), killing("e-two", "2020-02-03", "army", "c-two")]
    }));
    let c = casualties(&sit, &sit.events, TimeWindow::default());
    assert_eq!((c.killed.best, c.killed.low, c.killed.high, c.killed.lower_bound), (7, 6, Some(9), false));
    assert_eq!(c.killed.display(), "~7 (6–9)");
}

#[test]
fn killed_and_injured_are_tallied_by_group() {
    let sit = situation(&json!({
        "claims": [claim("c-a", 2, "exact"), claim("c-b", 5, "exact"), claim("c-c", 4, "at_least"), claim("c-d", 6, "exact")],
        "events": [
            killing("e1", "2020-02-03", "army", "c-a"),
            killing("e2", "2020-02-04", "army", "c-b"),
            killing("e3", "2020-02-05", "civilians", "c-c"),
            {"id": "e4", "date": "2020-02-05", "kind": "air_drone_strike", "by": ["army"], "place": "village",
             "summary": "People hurt in a strike", "claims": ["c-d"],
             "casualties": [{"group": "militia", "outcome": "injured", "claims": ["c-d"], "chosen": "c-d"}]}
        ]
    }));
    let c = casualties(&sit, &sit.events, TimeWindow::default());
    let groups: Vec<(&str, u64, bool)> =
        c.killed_by_group.iter().map(|(g, t)| (g.as_str(), t.best, t.lower_bound)).collect();
    assert_eq!(groups, [("army", 7, false), ("civilians", 4, true)]);
    assert_eq!((c.killed.best, c.killed.lower_bound), (11, true));
    assert_eq!(c.injured.best, 6);
    assert_eq!(c.injured_by_group.keys().collect::<Vec<_>>(), ["militia"]);
    assert!(!c.killed_by_group.contains_key("militia"));
}

#[test]
fn announced_and_planned_events_are_never_counted() {
    let mut announced = killing("e-announced", "2020-02-04", "army", "c-b");
    announced["status"] = json!("announced");
    let mut planned = killing("e-planned", "2020-02-05", "army", "c-c");
    planned["status"] = json!("planned");
    let sit = situation(&json!({
        "claims": [claim("c-a", 2, "exact"), claim("c-b", 50, "exact"), claim("c-c", 70, "exact")],
        "events": [killing("e-occurred", "2020-02-03", "army", "c-a"), announced, planned]
    }));
    assert_eq!(killed(&sit, TimeWindow::default()), (2, false));
    let counted: Vec<&str> = sit.events.iter().filter(|e| counts_toward_totals(e)).map(|e| &*e.id).collect();
    assert_eq!(counted, ["e-occurred"]);
    // They are still events, and still in the window.
    let events: Vec<_> = sit.events.iter().collect();
    assert_eq!(summary::to_json(&sit, &events, TimeWindow::default())["events"], 3);
}

#[test]
fn a_second_report_of_an_incident_is_not_counted_twice_but_keeps_its_claims() {
    let mut second = killing("e-second", "2020-02-03", "army", "c-second");
    second["same_incident_as"] = json!("e-first");
    let sit = situation(&json!({
        "claims": [claim("c-first", 4, "exact"), claim("c-second", 6, "exact")],
        "events": [killing("e-first", "2020-02-03", "army", "c-first"), second]
    }));
    assert_eq!(killed(&sit, TimeWindow::default()), (4, false));
    let second = sit.events.iter().find(|e| &*e.id == "e-second").expect("the second report is loaded");
    assert!(!counts_toward_totals(second));
    assert_eq!(*sit.claim_ids(second), ["c-second"]);
    assert_eq!(sit.casualties_of(second)[0].chosen, "c-second");
    assert_eq!(sit.claim("c-second").and_then(|c| c.count.clone()).map(|c| c.best), Some(6));
}

/// A cumulative or stock series with values `(as_of, claim)`.
fn series(id: &str, area: &str, kind: &str, part_of: Option<&str>, values: &[(&str, &str)]) -> Value {
    let values: Vec<Value> = values.iter().map(|(d, c)| json!({"as_of": d, "claims": [c], "chosen": c})).collect();
    let mut s = json!({"id": id, "area": area, "source": "wire", "kind": kind, "values": values});
    if let Some(parent) = part_of {
        s["part_of"] = json!(parent);
    }
    s
}

#[test]
fn a_nested_series_is_shown_under_its_parent_and_never_added() {
    let sit = situation(&json!({
        "claims": [claim("c-region", 1000, "approximately"), claim("c-town", 300, "approximately")],
        "displacement": [
            series("town-fled", "town", "cumulative", Some("region-fled"), &[("2020-02-05", "c-town")]),
            series("region-fled", "region", "cumulative", None, &[("2020-02-04", "c-region")])
        ]
    }));
    let figures = displacement(&sit, TimeWindow::default(), |_| true);
    let shape: Vec<(&str, usize, u64)> =
        figures.iter().map(|f| (f.series.id.as_str(), f.depth, f.count.best)).collect();
    assert_eq!(shape, [("region-fled", 0, 1000), ("town-fled", 1, 300)]);
    let total = displacement_total(&sit, &figures).expect("a total");
    assert_eq!(total.tally.best, 1000);
    assert_eq!(total.series, ["region-fled"]);
    assert_eq!(total.tally.display(), "~1,000");
}

#[test]
fn a_part_of_series_is_never_added_even_when_its_area_is_not_inside_the_parents() {
    // The source says its 300 are part of its 1,000, but the file does not put the 300's area
    // inside the 1,000's (the camps lie across a border, or the place hierarchy is missing):
    // the overlapping-areas rule cannot see it, so `part_of` alone must keep it out.
    let sit = situation(&json!({
        "claims": [claim("c-region", 1000, "approximately"), claim("c-camps", 300, "approximately")],
        "displacement": [
            series("region-fled", "region", "cumulative", None, &[("2020-02-04", "c-region")]),
            series("camps-fled", "elsewhere", "cumulative", Some("region-fled"), &[("2020-02-05", "c-camps")])
        ]
    }));
    assert!(!sit.place_within("elsewhere", "region") && !sit.place_within("region", "elsewhere"));
    let figures = displacement(&sit, TimeWindow::default(), |_| true);
    let shape: Vec<(&str, usize, u64)> =
        figures.iter().map(|f| (f.series.id.as_str(), f.depth, f.count.best)).collect();
    assert_eq!(shape, [("region-fled", 0, 1000), ("camps-fled", 1, 300)]);
    let total = displacement_total(&sit, &figures).expect("a total");
    assert_eq!((total.tally.best, total.series.as_slice()), (1000, ["region-fled".to_string()].as_slice()));
    let text = summary::to_text(&sit, &sit.events.iter().collect::<Vec<_>>(), TimeWindow::default());
    assert!(text.contains("not double counted: ~1,000 (from region-fled)"), "{text}");

    // With the parent left out of the view, the part stands on its own and is added.
    let alone = displacement(&sit, TimeWindow::default(), |s| s.id == "camps-fled");
    assert_eq!(alone.iter().map(|f| f.depth).collect::<Vec<_>>(), [0]);
    assert_eq!(displacement_total(&sit, &alone).map(|t| t.tally.best), Some(300));
}

#[test]
fn of_two_overlapping_roots_the_total_keeps_one_and_adds_disjoint_areas() {
    // Two independent sources: one for the region, one for a town inside it; neither is
    // `part_of` the other, but their areas overlap. A third covers a disjoint region.
    let sit = situation(&json!({
        "claims": [claim("c-town", 400, "exact"), claim("c-region", 1000, "exact"), claim("c-elsewhere", 250, "exact")],
        "displacement": [
            series("town-count", "town", "stock", None, &[("2020-02-05", "c-town")]),
            series("region-count", "region", "stock", None, &[("2020-02-05", "c-region")]),
            series("elsewhere-count", "elsewhere", "stock", None, &[("2020-02-05", "c-elsewhere")])
        ]
    }));
    let figures = displacement(&sit, TimeWindow::default(), |_| true);
    assert_eq!(figures.len(), 3);
    assert!(figures.iter().all(|f| f.depth == 0 && f.kind == FigureKind::Stock));
    let total = displacement_total(&sit, &figures).expect("a total");
    assert_eq!(total.tally.best, 1250);
    let mut kept = total.series.clone();
    kept.sort();
    assert_eq!(kept, ["elsewhere-count", "region-count"]);

    // Only the two overlapping ones: the larger stands for both, whatever the order.
    let only_overlapping = displacement(&sit, TimeWindow::default(), |s| s.id != "elsewhere-count");
    let total = displacement_total(&sit, &only_overlapping).expect("a total");
    assert_eq!((total.tally.best, total.series.as_slice()), (1000, ["region-count".to_string()].as_slice()));
    let reversed = situation(&json!({
        "claims": [claim("c-town", 400, "exact"), claim("c-region", 1000, "exact")],
        "displacement": [
            series("region-count", "region", "stock", None, &[("2020-02-05", "c-region")]),
            series("town-count", "town", "stock", None, &[("2020-02-05", "c-town")])
        ]
    }));
    let figures = displacement(&reversed, TimeWindow::default(), |_| true);
    let total = displacement_total(&reversed, &figures).expect("a total");
    assert_eq!((total.tally.best, total.series.as_slice()), (1000, ["region-count".to_string()].as_slice()));
}

#[test]
fn new_displacement_is_the_difference_of_two_values_of_one_cumulative_series() {
    let sit = situation(&json!({
        "claims": [claim("c-100", 100, "exact"), claim("c-250", 250, "exact"), claim("c-400", 400, "approximately"),
                   claim("c-stock-a", 70, "exact"), claim("c-stock-b", 90, "exact")],
        "displacement": [
            {"id": "fled", "area": "region", "source": "wire", "kind": "cumulative", "baseline": "2020-01-01", "values": [
                {"as_of": "2020-02-01", "claims": ["c-100"], "chosen": "c-100"},
                {"as_of": "2020-02-10", "claims": ["c-250"], "chosen": "c-250"},
                {"as_of": "2020-02-20", "claims": ["c-400"], "chosen": "c-400"}
            ]},
            series("sheltering", "elsewhere", "stock", None, &[("2020-02-01", "c-stock-a"), ("2020-02-20", "c-stock-b")])
        ]
    }));
    let summary_of = |w: TimeWindow| -> Vec<(String, FigureKind, Option<Day>, Day, u64)> {
        displacement(&sit, w, |_| true)
            .iter()
            .map(|f| (f.series.id.clone(), f.kind, f.since, f.as_of, f.count.best))
            .collect()
    };

    // From 11 Feb: the last value before the start is 10 Feb's, so 400 - 250 = 150 new. The
    // stock series yields no "new": the difference of two stocks is not movement.
    let figures = summary_of(window("2020-02-11", "2020-02-20"));
    assert_eq!(
        figures,
        [
            ("fled".to_string(), FigureKind::Cumulative, Some(day("2020-01-01")), day("2020-02-20"), 400),
            ("fled".to_string(), FigureKind::New, Some(day("2020-02-10")), day("2020-02-20"), 150),
            ("sheltering".to_string(), FigureKind::Stock, None, day("2020-02-20"), 90),
        ]
    );
    // From 10 Feb itself: 10 Feb's value covers that day, so the difference starts earlier.
    let figures = summary_of(window("2020-02-10", "2020-02-15"));
    let new: Vec<_> = figures.iter().filter(|f| f.1 == FigureKind::New).collect();
    assert_eq!(new.len(), 1);
    assert_eq!((new[0].2, new[0].3, new[0].4), (Some(day("2020-02-01")), day("2020-02-10"), 150));
    // 250 - 100, both exact: the difference is exact too.
    let exact = displacement(&sit, window("2020-02-10", "2020-02-15"), |_| true);
    let new = exact.iter().find(|f| f.kind == FigureKind::New).expect("a new figure");
    assert_eq!(new.count.qualifier, sitdash::domain::model::Qualifier::Exact);

    // The approximate later value makes the difference approximate.
    let w = window("2020-02-11", "2020-02-20");
    let all = displacement(&sit, w, |_| true);
    let new = all.iter().find(|f| f.kind == FigureKind::New).expect("a new figure");
    assert_eq!(new.count.qualifier, sitdash::domain::model::Qualifier::Approximately);
    // "New" is never added into the headline total: only the two tops (disjoint areas).
    let total = displacement_total(&sit, &all).expect("a total");
    assert_eq!(total.tally.best, 490);

    // Without a window start there is no "new" figure.
    let figures = summary_of(as_of("2020-02-20"));
    assert!(figures.iter().all(|f| f.1 != FigureKind::New), "{figures:?}");
    // With a start before the first value there is nothing to subtract.
    let figures = summary_of(window("2020-01-15", "2020-02-20"));
    assert!(figures.iter().all(|f| f.1 != FigureKind::New), "{figures:?}");
}

#[test]
fn an_event_after_the_as_of_date_is_not_counted() {
    let sit = situation(&json!({
        "claims": [claim("c-a", 2, "exact"), claim("c-b", 9, "exact")],
        "events": [killing("e-early", "2020-02-03", "army", "c-a"), killing("e-late", "2020-02-10", "army", "c-b")]
    }));
    assert_eq!(killed(&sit, as_of("2020-02-09")).0, 2);
    assert_eq!(killed(&sit, as_of("2020-02-10")).0, 11);
    assert_eq!(killed(&sit, as_of("2020-02-02")).0, 0);
    // A window start drops what ended before it.
    assert_eq!(killed(&sit, window("2020-02-04", "2020-02-10")).0, 9);
}

#[test]
fn a_week_precision_event_counts_as_of_any_day_of_its_week() {
    let mut week = killing("e-week", "2020-02-03", "army", "c-week");
    week["precision"] = json!("week");
    let sit = situation(&json!({"claims": [claim("c-week", 7, "exact")], "events": [week]}));
    assert_eq!(sit.events[0].span().end, day("2020-02-09"));
    assert_eq!(killed(&sit, as_of("2020-02-02")).0, 0);
    for d in ["2020-02-03", "2020-02-06", "2020-02-09", "2020-02-20"] {
        assert_eq!(killed(&sit, as_of(d)).0, 7, "as of {d}");
    }
    // A window that starts on the week's last day still admits it; one that starts after does not.
    assert_eq!(killed(&sit, window("2020-02-09", "2020-02-20")).0, 7);
    assert_eq!(killed(&sit, window("2020-02-10", "2020-02-20")).0, 0);
}

fn post_situation() -> Situation {
    situation(&json!({
        "claims": [
            {"id": "c-built", "source": "wire", "attributed_to": "a spokesman", "statement": "The post was set up."},
            {"id": "c-cut-off", "source": "wire", "attributed_to": "a monitor", "statement": "The post was cut off."},
            {"id": "c-new", "source": "wire", "attributed_to": "a spokesman", "statement": "A new post was set up."}
        ],
        "posts": [
            {"id": "hill", "name": "Hill post", "operator": "army", "place": "town", "history": [
                {"date": "2019-06-01", "status": "established", "claims": ["c-built"]},
                {"date": "2020-02-05", "status": "encircled", "claims": ["c-cut-off"]}
            ]},
            {"id": "ridge", "name": "Ridge post", "operator": "army", "place": "village", "history": [
                {"date": "2020-03-01", "status": "established", "claims": ["c-new"]}
            ]}
        ]
    }))
}

#[test]
fn a_post_status_is_its_latest_change_on_or_before_the_date() {
    let sit = post_situation();
    let hill = sit.post("hill").expect("the hill post");
    let status = |d: &str| post_state(hill, Some(day(d))).map(|s| s.status);
    assert_eq!(status("2020-02-04"), Some(PostStatus::Established));
    assert_eq!(status("2020-02-05"), Some(PostStatus::Encircled));
    assert_eq!(status("2020-03-01"), Some(PostStatus::Encircled));
    assert_eq!(status("2019-05-31"), None);
    assert_eq!(post_state(hill, None).map(|s| s.status), Some(PostStatus::Encircled));
    assert_eq!(post_state(hill, Some(day("2020-02-04"))).map(|s| s.change.date), Some(day("2019-06-01")));
}

#[test]
fn a_post_not_yet_established_is_not_listed() {
    let sit = post_situation();
    let listed = |d: &str| -> Vec<(String, &'static str)> {
        posts_by_place(&sit, &sit.events, as_of(d))
            .iter()
            .flat_map(|g| g.posts.iter().map(|s| (s.post.id.clone(), s.status.id())))
            .collect()
    };
    assert_eq!(listed("2020-02-10"), [("hill".to_string(), "encircled")]);
    assert_eq!(listed("2020-02-04"), [("hill".to_string(), "established")]);
    let mut later = listed("2020-03-01");
    later.sort();
    assert_eq!(later, [("hill".to_string(), "encircled"), ("ridge".to_string(), "established")]);
    let totals = post_totals(&posts_by_place(&sit, &sit.events, as_of("2020-02-10")));
    assert_eq!(totals.into_iter().collect::<Vec<_>>(), [(PostStatus::Encircled, 1)]);
}

fn default_data() -> Situation {
    load_str(sitdash::DEFAULT_DATA_NAME, sitdash::DEFAULT_DATA, LoadOptions::default())
        .expect("the embedded data set loads")
        .0
}

fn default_summary(sit: &Situation, to: Option<Day>) -> Value {
    let events: Vec<_> = sit.events.iter().collect();
    summary::to_json(sit, &events, TimeWindow::as_of(to))
}

fn post_status(summary: &Value, name: &str) -> String {
    summary["posts"]["by_place"]
        .as_array()
        .expect("by_place")
        .iter()
        .flat_map(|g| g["posts"].as_array().expect("posts").iter())
        .find(|p| p["name"] == name)
        .and_then(|p| p["status"].as_str())
        .unwrap_or_else(|| panic!("no post named {name}"))
        .to_string()
}

#[test]
fn the_default_data_set_summary_as_of_its_date() {
    let sit = default_data();
    assert_eq!(sit.as_of, Some(day("2020-02-07")));
    let s = default_summary(&sit, sit.as_of);
    assert_eq!(s["as_of"], "2020-02-07");

    let killed = &s["killed"];
    assert_eq!(killed["best"], 31);
    assert_eq!(killed["lower_bound"], true);
    assert_eq!(killed["high"], Value::Null);
    let groups = &killed["by_group"];
    assert_eq!(groups.as_object().map(serde_json::Map::len), Some(3));
    assert_eq!((&groups["civilians"]["best"], &groups["civilians"]["lower_bound"]), (&json!(13), &json!(true)));
    assert_eq!(
        (&groups["turkish_forces"]["best"], &groups["turkish_forces"]["lower_bound"]),
        (&json!(5), &json!(false))
    );
    assert_eq!(groups["turkish_forces"]["high"], 5);
    assert_eq!(
        (&groups["syrian_government_forces"]["best"], &groups["syrian_government_forces"]["lower_bound"]),
        (&json!(13), &json!(true))
    );
    assert_eq!(s["injured"]["best"], 0);

    let displacement = s["displacement"].as_array().expect("displacement");
    assert_eq!(displacement.len(), 2);
    assert_eq!(displacement[0]["series"], "ocha-nw-syria-since-dec");
    assert_eq!(displacement[0]["best"], 586_000);
    assert_eq!(displacement[0]["as_of"], "2020-02-02");
    assert_eq!(displacement[0]["kind"], "cumulative");
    assert_eq!(displacement[0]["part_of"], Value::Null);
    assert_eq!(displacement[1]["series"], "saraqeb-fled");
    assert_eq!(displacement[1]["part_of"], "ocha-nw-syria-since-dec");
    assert_eq!(displacement[1]["best"], 110_000);
    let figures = sitdash::domain::figures::displacement(&sit, TimeWindow::as_of(sit.as_of), |_| true);
    let total = displacement_total(&sit, &figures).expect("a total");
    assert_eq!(
        (total.tally.best, total.series.as_slice()),
        (586_000, ["ocha-nw-syria-since-dec".to_string()].as_slice())
    );

    let posts = &s["posts"];
    assert_eq!(posts["total"], 14);
    assert_eq!(posts["by_status"]["encircled"], 3);
    assert_eq!(posts["by_status"]["under_construction"], 1);
    assert_eq!(posts["by_status"]["established"], 10);
    assert_eq!(posts["by_status"].get("besieged"), None);
    assert_eq!(post_status(&s, "al-Rashidin"), "established");
    assert_eq!(post_status(&s, "New post west of Sarmin"), "under_construction");
}

#[test]
fn the_default_data_set_as_of_8_february_has_al_rashidin_besieged() {
    let sit = default_data();
    let s = default_summary(&sit, Some(day("2020-02-08")));
    assert_eq!(post_status(&s, "al-Rashidin"), "besieged");
    assert_eq!(s["posts"]["by_status"]["besieged"], 1);
    assert_eq!(s["posts"]["by_status"]["encircled"], 3);
    assert_eq!(s["posts"]["total"], 14);
    // The announced talks of 8 February add nothing.
    assert_eq!(s["killed"]["best"], 31);
}

#[test]
fn the_default_data_set_as_of_26_february_has_ochas_948000() {
    let sit = default_data();
    let s = default_summary(&sit, Some(day("2020-02-26")));
    let ocha = &s["displacement"][0];
    assert_eq!(ocha["series"], "ocha-nw-syria-since-dec");
    assert_eq!(ocha["best"], 948_000);
    assert_eq!(ocha["as_of"], "2020-02-26");
    assert_eq!(ocha["claim"], "c-ocha-948k");
    // A day earlier it is still the 20 February value.
    let s = default_summary(&sit, Some(day("2020-02-25")));
    assert_eq!(s["displacement"][0]["best"], 900_000);
}

#[test]
fn the_default_data_set_before_the_new_positions_lists_twelve_posts() {
    let sit = default_data();
    // 31 January: neither the Saraqeb positions (1 Feb) nor the Sarmin post (week of 3 Feb).
    let s = default_summary(&sit, Some(day("2020-01-31")));
    assert_eq!(s["posts"]["total"], 12);
    assert_eq!(s["posts"]["by_status"]["encircled"], 2);
    assert_eq!(s["killed"]["best"], 0);
}

#[test]
fn merging_tallies_is_adding_their_counts() {
    use sitdash::domain::figures::Tally;
    use sitdash::domain::model::{Count, Qualifier};
    let count = |best: u64, low: Option<u64>, high: Option<u64>, qualifier: Qualifier| Count {
        best,
        low,
        high,
        qualifier,
        raw: None,
    };
    let exact = count(5, None, None, Qualifier::Exact);
    let range = count(4, Some(3), Some(7), Qualifier::Exact);
    let floor = count(10, None, None, Qualifier::AtLeast);
    let about = count(150, None, None, Qualifier::Approximately);
    // Two halves of a view counted apart (as two cores do) and merged: the same as one pass.
    for (left, right) in
        [(vec![&exact, &range], vec![&floor]), (vec![&exact], vec![&range]), (vec![&about], vec![&exact, &range])]
    {
        let mut one_pass = Tally::default();
        left.iter().chain(&right).for_each(|c| one_pass.add(c));
        let mut merged = Tally::default();
        for c in &left {
            merged.add(c);
        }
        let mut other = Tally::default();
        for c in &right {
            other.add(c);
        }
        merged.merge(&other);
        assert_eq!(merged, one_pass);
    }
    let mut merged = Tally::of(&exact);
    merged.merge(&Tally::of(&range));
    assert_eq!((merged.best, merged.low, merged.high, merged.lower_bound), (9, 8, Some(12), false));
    merged.merge(&Tally::of(&floor));
    assert_eq!((merged.best, merged.low, merged.high, merged.lower_bound), (19, 18, None, true));
    assert_eq!(merged.display(), "19+");
    let mut estimate = Tally::of(&exact);
    estimate.merge(&Tally::of(&about));
    assert!(estimate.approximate);
    assert_eq!(estimate.display(), "~155");
}

#[test]
fn a_figure_reads_as_what_it_is_on_screen() {
    use sitdash::domain::figures::{Tally, thousands};
    use sitdash::domain::model::{Count, Qualifier};
    for (n, text) in [(0, "0"), (999, "999"), (1000, "1,000"), (586_000, "586,000"), (1_234_567, "1,234,567")] {
        assert_eq!(thousands(n), text);
    }
    let read = |best: u64, low: Option<u64>, high: Option<u64>, qualifier: Qualifier| {
        Tally::of(&Count { best, low, high, qualifier, raw: None }).display()
    };
    assert_eq!(read(5, None, None, Qualifier::Exact), "5");
    // A range shows whenever either end differs from the best value.
    assert_eq!(read(5, Some(5), Some(7), Qualifier::Exact), "5 (5–7)");
    assert_eq!(read(5, Some(3), Some(5), Qualifier::Exact), "5 (3–5)");
    assert_eq!(read(5, Some(3), Some(7), Qualifier::Exact), "5 (3–7)");
    assert_eq!(read(10, None, None, Qualifier::AtLeast), "10+");
    assert_eq!(read(586_000, None, None, Qualifier::Approximately), "~586,000");
    assert_eq!(read(1_200, Some(1_000), Some(1_500), Qualifier::Approximately), "~1,200 (1,000–1,500)");
}

#[test]
fn killed_per_day_fills_every_day_and_keeps_week_dated_deaths_apart() {
    use sitdash::domain::figures::killed_per_day;
    let mut announced = killing("talk-deaths", "2020-02-02", "militia", "c-7");
    announced["status"] = json!("announced");
    let mut week = killing("week", "2020-02-03", "civilians", "c-10");
    week["precision"] = json!("week");
    let sit = situation(&json!({
        "claims": [claim("c-3", 3, "exact"), claim("c-4", 4, "exact"), claim("c-10", 10, "at_least"), claim("c-7", 7, "exact")],
        "events": [killing("first", "2020-02-01", "militia", "c-3"), killing("third", "2020-02-03", "militia", "c-4"), week, announced]
    }));
    let daily = killed_per_day(&sit, &sit.events, TimeWindow::default());
    // Every day from the first to the last, the empty 2 Feb included; the announced deaths
    // are not counted, and the week's are not spread over its days.
    assert_eq!(daily.days, [(day("2020-02-01"), 3), (day("2020-02-02"), 0), (day("2020-02-03"), 4)]);
    assert_eq!(daily.not_dated_to_a_day, 10);
    // As of 2 Feb the week of 3 Feb has not begun.
    let daily = killed_per_day(&sit, &sit.events, as_of("2020-02-02"));
    assert_eq!((daily.days, daily.not_dated_to_a_day), (vec![(day("2020-02-01"), 3)], 0));
}

#[test]
fn a_place_counts_the_events_at_or_inside_it_in_the_window_and_is_listed_only_with_some() {
    // Town and village lie inside the region; "elsewhere" has neither posts nor events.
    let mut sit_json = json!({
        "claims": [claim("c-1", 1, "exact")],
        "events": [
            killing("in-town", "2020-02-01", "militia", "c-1"),
            killing("in-town-later", "2020-02-09", "militia", "c-1"),
        ]
    });
    let mut in_village = killing("in-village", "2020-02-02", "militia", "c-1");
    in_village["place"] = json!("village");
    sit_json["events"].as_array_mut().expect("events").push(in_village);
    let sit = situation(&sit_json);
    let counts = |window: TimeWindow| -> Vec<(String, usize, usize)> {
        posts_by_place(&sit, &sit.events, window)
            .iter()
            .map(|g| (g.place.id.clone(), g.posts.len(), g.events))
            .collect()
    };
    assert_eq!(
        counts(as_of("2020-02-05")),
        [("region".to_string(), 0, 2), ("town".to_string(), 0, 1), ("village".to_string(), 0, 1)]
    );
    assert_eq!(
        counts(TimeWindow::default()),
        [("region".to_string(), 0, 3), ("town".to_string(), 0, 2), ("village".to_string(), 0, 1)]
    );
    assert_eq!(counts(window("2020-02-06", "2020-02-10")), [("region".to_string(), 0, 1), ("town".to_string(), 0, 1)]);
}
