//! The headless summary: the dashboard's figures as text for people or JSON for scripts.
//! The JSON shape is a contract (see README); add keys, never rename them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::domain::figures::{
    CasualtyFigures, DisplacementFigure, DisplacementTotal, FigureKind, PlacePosts, Tally, TimeWindow, casualties,
    displacement, displacement_total, post_totals, posts_by_place,
};
use crate::domain::model::{Event, PostStatus, Situation};

fn tally_json(t: &Tally) -> Value {
    json!({"best": t.best, "low": t.low, "high": t.high, "lower_bound": t.lower_bound})
}

fn outcome_json(total: &Tally, by_group: &BTreeMap<String, Tally>) -> Value {
    let mut v = tally_json(total);
    let groups: serde_json::Map<String, Value> = by_group.iter().map(|(g, t)| (g.clone(), tally_json(t))).collect();
    v["by_group"] = Value::Object(groups);
    v
}

/// The figures a summary (and a report) shows, computed once over the given events (already
/// filtered) and window: the report builds on this very value, so its numbers are the summary's.
#[derive(Debug, Clone)]
pub struct Figures<'a> {
    /// Events admitted by the window.
    pub in_window: usize,
    pub casualties: CasualtyFigures,
    /// Displacement as a tree: each figure followed by the figures that are part of it.
    pub displacement: Vec<DisplacementFigure<'a>>,
    /// The headline of people displaced that adds only figures that cannot overlap.
    pub displaced_total: Option<DisplacementTotal>,
    /// Places with their posts' states as of the window's end.
    pub places: Vec<PlacePosts<'a>>,
    pub post_totals: BTreeMap<PostStatus, usize>,
}

impl<'a> Figures<'a> {
    #[must_use]
    pub fn compute(sit: &'a Situation, events: &[&'a Event], window: TimeWindow) -> Figures<'a> {
        let displacement = displacement(sit, window, |_| true);
        let displaced_total = displacement_total(sit, &displacement);
        let places = posts_by_place(sit, events.iter().copied(), window);
        let post_totals = post_totals(&places);
        Figures {
            in_window: events.iter().filter(|e| window.admits(&e.span())).count(),
            casualties: casualties(sit, events.iter().copied(), window),
            displacement,
            displaced_total,
            places,
            post_totals,
        }
    }
}

/// The summary as JSON, over the given events (already filtered) and window.
#[must_use]
pub fn to_json(sit: &Situation, events: &[&Event], window: TimeWindow) -> Value {
    figures_json(sit, &Figures::compute(sit, events, window), window)
}

/// [`to_json`] from figures already computed.
#[must_use]
pub fn figures_json(sit: &Situation, figures: &Figures<'_>, window: TimeWindow) -> Value {
    let c = &figures.casualties;
    let displacement: Vec<Value> = figures
        .displacement
        .iter()
        .map(|f| {
            json!({
                "series": f.series.id,
                "area": sit.place_name(&f.series.area),
                "kind": f.kind,
                "since": f.since.map(|d| d.to_string()),
                "as_of": f.as_of.to_string(),
                "best": f.count.best,
                "qualifier": f.count.qualifier,
                "claim": f.claim,
                "part_of": f.series.part_of,
            })
        })
        .collect();
    let totals = &figures.post_totals;
    let by_place: Vec<Value> = figures
        .places
        .iter()
        .filter(|g| !g.posts.is_empty())
        .map(|g| {
            json!({
                "place": g.place.name,
                "posts": g.posts.iter().map(|s| json!({"name": s.post.name, "status": s.status.id(), "since": s.change.date.to_string()})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "title": sit.title,
        "as_of": window.to.map(|d| d.to_string()),
        "events": figures.in_window,
        "killed": outcome_json(&c.killed, &c.killed_by_group),
        "injured": outcome_json(&c.injured, &c.injured_by_group),
        "displacement": displacement,
        "posts": {
            "total": totals.values().sum::<usize>(),
            "by_status": totals.iter().map(|(s, n)| (s.id().to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "by_place": by_place,
        },
    })
}

/// The summary for people.
#[must_use]
pub fn to_text(sit: &Situation, events: &[&Event], window: TimeWindow) -> String {
    let mut out = String::new();
    let as_of = window.to.map_or_else(|| "all dates".to_string(), |d| format!("as of {}", d.long()));
    let in_window = events.iter().filter(|e| window.admits(&e.span())).count();
    let _ = writeln!(out, "{} ({as_of})", sit.title);
    let _ = writeln!(out, "{in_window} events");
    let c = casualties(sit, events.iter().copied(), window);
    for (label, total, groups) in
        [("Killed", &c.killed, &c.killed_by_group), ("Injured", &c.injured, &c.injured_by_group)]
    {
        let _ = writeln!(out, "{label}: {}", total.display());
        for (group, tally) in groups {
            let _ = writeln!(out, "  {:<28} {}", sit.actor_name(group), tally.display());
        }
    }
    let figures = displacement(sit, window, |_| true);
    let _ = writeln!(out, "Displaced:{}", if figures.is_empty() { " no figure in the data" } else { "" });
    if let Some(total) = displacement_total(sit, &figures) {
        let _ = writeln!(out, "  not double counted: {} (from {})", total.tally.display(), total.series.join(", "));
    }
    for f in &figures {
        let indent = "  ".repeat(f.depth + 1);
        let since = f.since.map(|d| format!(" since {}", d.long())).unwrap_or_default();
        let what = match f.kind {
            FigureKind::New => " new",
            FigureKind::Cumulative => "",
            FigureKind::Stock => " displaced",
        };
        let _ = writeln!(
            out,
            "{indent}{}{what}{since}, as of {} ({}; claim {})",
            crate::domain::figures::count_label(&f.count),
            f.as_of.long(),
            sit.place_name(&f.series.area),
            f.claim
        );
    }
    let groups = posts_by_place(sit, events.iter().copied(), window);
    let totals = post_totals(&groups);
    let listed: Vec<String> = totals.iter().map(|(s, n)| format!("{n} {}", s.word())).collect();
    if totals.is_empty() {
        let _ = writeln!(out, "Observation posts: none in the data");
    } else {
        let _ = writeln!(out, "Observation posts: {} ({})", totals.values().sum::<usize>(), listed.join(", "));
    }
    for g in groups.iter().filter(|g| !g.posts.is_empty()) {
        let posts: Vec<String> = g.posts.iter().map(|s| format!("{} [{}]", s.post.name, s.status.word())).collect();
        let _ = writeln!(out, "  {}: {}", g.place.name, posts.join(", "));
    }
    out
}
