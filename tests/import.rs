//! ACLED and UCDP GED CSV imports through the loader: dialects (comma, semicolon with decimal
//! commas, old column sets and event types, quoted notes with line breaks, a spreadsheet's
//! index column), every date form and the refusal of ambiguous slash dates, row problems in
//! strict and lenient mode at file:line:column, interning of places/actors/sources, the
//! figures the imported events give, and format detection. Fixtures are fictional
//! (tests/fixtures/import).

use std::path::PathBuf;

use sitdash::domain::figures::{CasualtyFigures, Tally, TimeWindow, casualties};
use sitdash::domain::model::{Count, DatePrecision, Day, Event, GeoPrecision, Kind, Qualifier, Situation};
use sitdash::ingest::import::{ImportReport, stage};
use sitdash::ingest::input::{Diagnostic, InputFile, InputFormat, LoadOptions, LoadReport, Staging, detect_format};
use sitdash::ingest::load::{load_paths, load_str};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture readable")
}

const STRICT: LoadOptions = LoadOptions { skip_invalid: false, format: InputFormat::Auto, ..LoadOptions::DEFAULT };
const LENIENT: LoadOptions = LoadOptions { skip_invalid: true, format: InputFormat::Auto, ..LoadOptions::DEFAULT };

fn show(problems: &[Diagnostic]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Loads fixtures that must load; the report's arithmetic always holds.
fn load(names: &[&str], options: LoadOptions) -> (Situation, LoadReport) {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    match load_paths(&paths, options) {
        Ok((sit, report)) => {
            assert_eq!(report.read, report.loaded + report.skipped, "{names:?}: {}", report.line());
            (sit, report)
        }
        Err(err) => panic!("{names:?} refused:\n{}", show(&err.problems)),
    }
}

/// Loads a fixture that must be refused; returns the problems.
fn refused(name: &str, options: LoadOptions) -> Vec<Diagnostic> {
    match load_paths(&[fixture(name)], options) {
        Ok((_, report)) => panic!("{name} loaded: {}", report.line()),
        Err(err) => err.problems,
    }
}

/// Runs the importer alone, to see its report.
fn import(name: &str, format: InputFormat, skip_invalid: bool) -> (Staging, ImportReport) {
    let inputs = [InputFile::new(name, text(name))];
    let mut staging = Staging::default();
    let report = stage(
        format,
        &inputs,
        0,
        &mut staging,
        LoadOptions { skip_invalid, format, ..LoadOptions::DEFAULT },
        (&sitdash::ingest::input::Progress::default(), 0),
    )
    .unwrap_or_else(|d| panic!("{name}: {d}"));
    (staging, report)
}

fn event<'a>(sit: &'a Situation, id: &str) -> &'a Event {
    sit.events.iter().find(|e| &*e.id == id).unwrap_or_else(|| panic!("no event {id}"))
}

fn day(text: &str) -> Day {
    Day::parse(text).expect("a valid test date")
}

fn chosen(sit: &Situation, e: &Event) -> Count {
    let casualties = sit.casualties_of(e);
    assert_eq!(casualties.len(), 1, "{}: one figure", e.id);
    sit.chosen_count(&casualties[0].chosen).expect("a counted claim").into_owned()
}

fn figures(sit: &Situation) -> CasualtyFigures {
    casualties(sit, &sit.events, TimeWindow::default())
}

fn tally(best: u64, low: u64, high: Option<u64>) -> (u64, u64, Option<u64>) {
    (best, low, high)
}

fn parts(t: &Tally) -> (u64, u64, Option<u64>) {
    (t.best, t.low, t.high)
}

/// The text at 1-based line:column (in characters) of a fixture.
fn at(text: &str, line: usize, column: usize) -> String {
    let l = text.lines().nth(line - 1).unwrap_or_else(|| panic!("no line {line}"));
    l.chars().skip(column - 1).collect()
}

#[test]
fn current_comma_export_maps_every_field() {
    let (sit, report) = load(&["acled_current.csv"], STRICT);
    // Six rows: five events and an identical repeat of the first.
    assert_eq!((report.read, report.loaded, report.skipped), (6, 5, 1));
    assert!(report.problems.is_empty(), "{}", show(&report.problems));
    assert_eq!(sit.events.len(), 5);

    let clash = event(&sit, "VLD1001");
    assert_eq!(clash.kind, Kind::ArmedClash);
    assert_eq!((clash.date, clash.precision, clash.end), (day("2021-11-04"), DatePrecision::Day, None));
    assert_eq!(sit.by(clash).collect::<Vec<_>>(), ["military_forces_of_veldoria_2019"]);
    assert_eq!(sit.against(clash).collect::<Vec<_>>(), ["free_veldorian_front"]);
    assert_eq!(
        clash.summary(&sit),
        "Armed clash in Korvath: Military Forces of Veldoria (2019-) vs Free Veldorian Front"
    );
    assert!(sit.notes(clash).as_deref().is_some_and(|n| n.starts_with("On 4 November 2021, army units")));
    assert_eq!(*sit.claim_ids(clash), ["c-acled-VLD1001"]);
    let claim = sit.claim("c-acled-VLD1001").expect("the row's claim");
    assert_eq!(claim.attributed_to, "Veldoria Today");
    assert_eq!(claim.statement, "ACLED records 3 fatalities");
    assert_eq!(sit.source(&claim.source).map(|s| s.publisher.as_str()), Some("Veldoria Today"));
    assert_eq!(chosen(&sit, clash), Count::exact(3));
    assert_eq!(sit.casualties_of(clash)[0].group, "unknown");

    // Week precision: the seven days around ACLED's date, as an explicit window.
    let shelling = event(&sit, "VLD1002");
    assert_eq!(shelling.kind, Kind::ShellingArtilleryMissileAttack);
    assert_eq!(shelling.precision, DatePrecision::Week);
    assert_eq!((shelling.date, shelling.end), (day("2021-11-02"), Some(day("2021-11-08"))));
    // actor1 and its associates act; civilian targeting makes the dead civilians.
    assert_eq!(
        sit.by(shelling).collect::<Vec<_>>(),
        ["military_forces_of_veldoria_2019", "veldorian_home_guard", "police_forces_of_veldoria_2019"]
    );
    assert_eq!(sit.against(shelling).collect::<Vec<_>>(), ["civilians_veldoria"]);
    assert_eq!(sit.casualties_of(shelling)[0].group, "civilians");
    let count = chosen(&sit, shelling);
    assert_eq!((count.best, count.qualifier, count.raw.as_deref()), (5, Qualifier::AtLeast, Some("at least 5")));
    assert_eq!(
        sit.claim("c-acled-VLD1002").map(|c| c.statement.clone()).as_deref(),
        Some("ACLED records at least 5 fatalities")
    );

    // Month precision: the calendar month of the date. No fatalities: no figure, event kept.
    let protest = event(&sit, "VLD1003");
    assert_eq!((protest.kind, protest.precision), (Kind::PeacefulProtest, DatePrecision::Month));
    assert_eq!((protest.date, protest.end), (day("2021-11-01"), None));
    assert_eq!(protest.span().end, day("2021-11-30"));
    assert!(sit.casualties_of(protest).is_empty());
    assert!(sit.against(protest).next().is_none());
    let claim = sit.claim("c-acled-VLD1003").expect("claim");
    assert_eq!((claim.count.as_ref(), claim.statement.as_str()), (None, "ACLED records no reported fatalities"));

    // A sub-event type sitdash does not know: other, with a note saying so.
    let unknown = event(&sit, "VLD1004");
    assert_eq!(unknown.kind, Kind::OtherStrategic);
    assert_eq!(unknown.summary(&sit), "Signal flare display in Korvath: Free Veldorian Front");
    assert!(sit.notes(unknown).as_deref().is_some_and(|n| n.contains("is not one sitdash knows")));

    // Quoted notes with a line break and doubled quotes; "dozens" makes the count a floor.
    let ridge = event(&sit, "VLD1005");
    let notes = sit.notes(ridge).map(std::borrow::Cow::into_owned).expect("notes");
    assert!(notes.starts_with("Villagers said \"dozens\" died in fighting for the Korvath ridge,"), "{notes}");
    assert!(notes.ends_with("one witness said, \"we counted, but stopped\"."), "{notes}");
    let count = chosen(&sit, ridge);
    assert_eq!((count.best, count.qualifier, count.raw.as_deref()), (12, Qualifier::AtLeast, Some("dozens")));

    // One actor per name, with inter codes; associates have none.
    assert_eq!(sit.actors.len(), 6);
    let inter = |id: &str| sit.actors.iter().find(|a| a.id == id).map(|a| a.inter);
    assert_eq!(inter("military_forces_of_veldoria_2019"), Some(Some(1)));
    assert_eq!(inter("free_veldorian_front"), Some(Some(2)));
    assert_eq!(inter("civilians_veldoria"), Some(Some(7)));
    assert_eq!(inter("veldorian_home_guard"), Some(None));
    assert_eq!(sit.sources.len(), 4);
    assert_eq!(sit.claim_count(), 5);

    // Totals: 3 + at least 5 + at least 12 = 20+.
    let f = figures(&sit);
    assert_eq!((f.killed.best, f.killed.lower_bound), (20, true));
    assert_eq!(f.killed_by_group["unknown"].best, 15);
    assert_eq!(f.killed_by_group["civilians"].best, 5);
}

#[test]
fn places_are_interned_by_content() {
    let (sit, _) = load(&["acled_current.csv"], STRICT);
    // Korvath (four events: one row says only "near Korvath", geo_precision 2, but names the
    // same place, units and coordinates), Ostmere, and the units the rows name: Veldoria,
    // North Province, Korvath District, South Province, Ostmere District.
    assert_eq!(sit.places.len(), 7);
    let korvath = &event(&sit, "VLD1001").place;
    for id in ["VLD1002", "VLD1004", "VLD1005"] {
        assert_eq!(&event(&sit, id).place, korvath, "{id}");
    }
    // The row's precision stays on its event.
    assert_eq!(event(&sit, "VLD1004").geo_precision, Some(GeoPrecision::NearTown));
    assert_eq!(event(&sit, "VLD1001").geo_precision, Some(GeoPrecision::Town));
    // Each place lies inside the units its rows name, outermost first.
    let chain = |id: &str| {
        let mut names = Vec::new();
        let mut current = sit.place(id);
        while let Some(p) = current {
            names.push(p.name.clone());
            current = p.part_of.as_deref().and_then(|id| sit.place(id));
        }
        names
    };
    assert_eq!(chain(korvath), ["Korvath", "Korvath District", "North Province", "Veldoria"]);
    assert_eq!(chain(&event(&sit, "VLD1003").place), ["Ostmere", "Ostmere District", "South Province", "Veldoria"]);
    let place = sit.place(korvath).expect("place");
    assert_eq!(place.id, "korvath");
    assert_eq!((place.lat, place.lon, place.geo_precision), (Some(45.1234), Some(12.5678), GeoPrecision::Town));
    assert_eq!(
        (place.country.as_deref(), place.admin1.as_deref(), place.admin2.as_deref()),
        (Some("Veldoria"), Some("North Province"), Some("Korvath District"))
    );
    assert_eq!(event(&sit, "VLD1003").geo_precision, Some(GeoPrecision::NearTown));

    // The same export loaded twice gives the same ids.
    let (again, _) = load(&["acled_current.csv"], STRICT);
    let ids = |s: &Situation| {
        let mut v: Vec<String> =
            s.places.iter().map(|p| p.id.clone()).chain(s.actors.iter().map(|a| a.id.clone())).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&sit), ids(&again));
}

#[test]
fn import_report_counts_repeats_unknown_types_and_derived_records() {
    let (staging, report) = import("acled_current.csv", InputFormat::Acled, false);
    assert_eq!(staging.events.len(), 5);
    assert_eq!((report.skipped, report.duplicates, report.unknown_kinds), (1, 1, 1));
    // 2 places and 5 units they lie in + 6 actors + 4 sources + 5 claims.
    assert_eq!(report.derived, 22);
    // Strict: a repeated row is no problem; the notes say what happened.
    assert!(report.problems.is_empty(), "{}", show(&report.problems));
    assert_eq!(report.warnings.len(), 3, "{}", show(&report.warnings));
    // The repeat comes after the two-line notes of VLD1005 (lines 6-7): line 8.
    let repeat = &report.warnings[0];
    assert_eq!((repeat.line, repeat.column), (8, 1));
    assert!(repeat.message.contains("repeats event `VLD1001` of line 2 with identical content"), "{repeat}");
    // Veldoria is no country sitdash knows: its coordinates go unchecked, said once.
    assert!(report.warnings[1].message.starts_with("country `Veldoria` is not one sitdash knows"));
    let unknown = &report.warnings[2];
    assert_eq!(unknown.line, 5);
    assert!(unknown.message.contains("`Strategic developments / Signal flare display`"), "{unknown}");

    // Lenient: the repeat is also listed as the reason a row was skipped.
    let (_, report) = import("acled_current.csv", InputFormat::Acled, true);
    assert_eq!(report.problems.len(), 1);
    let (_, loaded) = load(&["acled_current.csv"], LENIENT);
    assert_eq!(loaded.problems.len(), 1);
    assert!(loaded.problems[0].message.contains("identical content"));
}

/// A source that reuses an id for another row is odd, not unreadable: both rows load, the
/// later under an id of its own, flagged; a row repeating either exactly is imported once.
#[test]
fn a_reused_id_with_different_content_loads_both_rows_flagged() {
    let header = "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,fatalities\n";
    let row = |n: u32| format!("VLD7,2021-11-04,Battles,Armed clash,Army,Korvath,{n}\n");
    let csv = format!("{header}{}{}{}{}", row(1), row(2), row(3), row(2));
    let (sit, report) = load_str("reused.csv", &csv, STRICT).expect("loads");
    assert_eq!((report.read, report.loaded, report.skipped), (4, 3, 1));
    let odd: Vec<String> = report.odd.iter().map(|(kind, d)| format!("{d} [{kind}]")).collect();
    assert_eq!(
        odd,
        [
            "reused.csv:3:1: event id `VLD7` is already used by the row at line 2, whose content differs; loaded as \
             `VLD7#2`; kept as given [reused id]",
            "reused.csv:4:1: event id `VLD7` is already used by the row at line 2, whose content differs; loaded as \
             `VLD7#3`; kept as given [reused id]",
        ]
    );
    assert_eq!(report.odd_counts(), [("reused id", 2)]);
    assert!(report.warnings[0].to_string().starts_with("reused.csv:5:1: row repeats event `VLD7` of line 3"));
    for (id, best) in [("VLD7", 1), ("VLD7#2", 2), ("VLD7#3", 3)] {
        assert_eq!(chosen(&sit, event(&sit, id)).best, best, "{id}");
    }
    let notes = sit.notes(event(&sit, "VLD7#2")).map(std::borrow::Cow::into_owned).unwrap_or_default();
    assert!(notes.contains("sitdash: event id `VLD7` is already used by the row at line 2"), "{notes}");
    assert_eq!(sit.notes(event(&sit, "VLD7")), None);
    // UCDP alike.
    let header = "id,type_of_violence,side_a,side_b,where_coordinates,date_start,date_end,best\n";
    let row = |best: u32| format!("41,1,Army,Front,Korvath,2021-11-04,2021-11-04,{best}\n");
    let csv = format!("{header}{}{}", row(4), row(5));
    let (sit, report) = load_str("reused_ucdp.csv", &csv, STRICT).expect("loads");
    assert_eq!(report.odd_counts(), [("reused id", 1)]);
    assert!(report.odd[0].1.message.starts_with("id `41` is already used by the row at line 2"), "{:?}", report.odd);
    assert_eq!(chosen(&sit, event(&sit, "ucdp-41#2")).best, 5);
}

#[test]
fn semicolon_dialect_with_decimal_commas_and_crlf() {
    let (sit, report) = load(&["acled_semicolon.csv"], STRICT);
    assert_eq!((report.read, report.loaded, report.skipped), (3, 3, 0));
    let clash = event(&sit, "VLD2001");
    assert_eq!(clash.date, day("2021-11-04"));
    let place = sit.place(&clash.place).expect("place");
    assert_eq!((place.lat, place.lon), (Some(45.1234), Some(12.5678)));
    // A comma inside an unquoted field is text in a semicolon file.
    assert!(sit.notes(clash).as_deref().is_some_and(|n| n.contains("Korvath, 2 soldiers")));
    let attack = event(&sit, "VLD2002");
    assert_eq!((attack.kind, attack.date), (Kind::Attack, day("2021-11-15")));
    assert_eq!(sit.casualties_of(attack)[0].group, "civilians");
    // A quoted field holding the delimiter.
    let claim = sit.claim(&sit.claim_ids(attack)[0]).expect("claim").into_owned();
    assert_eq!(claim.attributed_to, "Ostmere Herald; Example Wire");
    assert_eq!(event(&sit, "VLD2003").date, day("2021-12-01"));
    let f = figures(&sit);
    assert_eq!((f.killed.best, f.killed.lower_bound), (3, false));
}

#[test]
fn old_column_set_and_old_event_types() {
    let (sit, report) = load(&["acled_old.csv"], STRICT);
    assert_eq!((report.read, report.loaded), (13, 13));
    let expected = [
        ("5501", Kind::ArmedClash),
        ("5502", Kind::GovernmentRegainsTerritory),
        ("5503", Kind::NonStateActorOvertakesTerritory),
        ("5504", Kind::AirDroneStrike),
        ("5505", Kind::RemoteExplosive),
        ("5506", Kind::ShellingArtilleryMissileAttack),
        ("5507", Kind::Abduction),
        ("5508", Kind::Attack),
        ("5509", Kind::PeacefulProtest),
        ("5510", Kind::ViolentDemonstration),
        ("5511", Kind::OtherStrategic),
        ("5512", Kind::HeadquartersOrBaseEstablished),
        ("5513", Kind::NonViolentTransferOfTerritory),
    ];
    for (id, kind) in expected {
        assert_eq!(event(&sit, id).kind, kind, "event {id}");
    }
    // Old types that name the sub-event type need no note; the others say how sitdash chose.
    assert!(!sit.notes(event(&sit, "5501")).as_deref().unwrap_or("").contains("sitdash:"));
    for id in ["5504", "5506", "5507", "5509", "5510", "5511"] {
        let notes = sit.notes(event(&sit, id)).map(std::borrow::Cow::into_owned).unwrap_or_default();
        assert!(notes.contains("without a sub-event type; coded as"), "{id}: {notes}");
    }
    assert!(
        sit.notes(event(&sit, "5504")).as_deref().unwrap_or("").contains("`Air/drone strike` from words in the notes")
    );
    // "15-Mar-14", a spreadsheet's rewrite of the date.
    assert_eq!(event(&sit, "5501").date, day("2014-03-15"));
    // No civilian_targeting column: violence against civilians kills civilians.
    assert_eq!(sit.casualties_of(event(&sit, "5508"))[0].group, "civilians");
    assert_eq!(sit.casualties_of(event(&sit, "5504"))[0].group, "unknown");
    // ally_actor_1 is an associate.
    assert_eq!(sit.by(event(&sit, "5512")).collect::<Vec<_>>(), ["free_veldorian_front", "lunmark_volunteers"]);
    // One place, inside its country, admin1 and admin2; admin3 kept in its note.
    assert_eq!(sit.places.len(), 4);
    let place = sit.place(&event(&sit, "5501").place).expect("place");
    assert_eq!(place.note.as_deref(), Some("admin3: Lunmark Town"));
    let (_, report) = import("acled_old.csv", InputFormat::Acled, false);
    assert_eq!(report.unknown_kinds, 0);
}

#[test]
fn old_capitalised_header_with_day_first_slash_dates() {
    // 15/03/2014 can only be day first, so 04/11/2014 is 4 November.
    let (sit, _) = load(&["acled_old_caps_dmy.csv"], STRICT);
    assert_eq!(event(&sit, "VLD17").date, day("2014-03-15"));
    assert_eq!(event(&sit, "VLD18").date, day("2014-11-04"));
    assert_eq!(event(&sit, "VLD18").kind, Kind::PeacefulProtest);
}

#[test]
fn event_id_from_event_id_no_cnty_and_iso3() {
    let csv = "event_id_no_cnty,iso3,event_date,event_type,actor1,location,fatalities\n\
               42,VLD,2014-03-15,Battle-No change of territory,Army,Lunmark,0\n";
    let (sit, _) = load_str("no_cnty.csv", csv, STRICT).expect("loads");
    assert_eq!(&*sit.events[0].id, "VLD42");
}

#[test]
fn unnamed_leading_index_column() {
    // `,event_id_cnty,…`; the last row repeats the first under another index: still a repeat.
    let (sit, report) = load(&["acled_index.csv"], STRICT);
    assert_eq!((report.read, report.loaded, report.skipped), (3, 2, 1));
    assert_eq!(event(&sit, "VLD3001").kind, Kind::ArmedClash);
    assert_eq!(event(&sit, "VLD3002").kind, Kind::MobViolence);
    // `"","event_id_cnty",…` with every field quoted.
    let (sit, report) = load(&["acled_index_quoted.csv"], STRICT);
    assert_eq!((report.read, report.loaded), (2, 2));
    assert_eq!(event(&sit, "VLD3001").date, day("2021-12-01"));
    assert_eq!(sit.by(event(&sit, "VLD3002")).collect::<Vec<_>>(), ["rioters_veldoria"]);
}

#[test]
fn every_date_form() {
    let two = ["2021-11-04", "2021-12-25"];
    let three = ["2021-11-04", "2021-11-05", "2021-12-25"];
    for (name, want) in [
        ("dates_iso.csv", &two[..]),
        ("dates_month_name.csv", &two[..]),
        ("dates_dash_month.csv", &two[..]),
        ("dates_dmy.csv", &three[..]),
        ("dates_mdy.csv", &three[..]),
    ] {
        let (sit, _) = load(&[name], STRICT);
        let got: Vec<String> = sit.events.iter().map(|e| e.date.to_string()).collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn ambiguous_slash_dates_refuse_the_file() {
    for options in [STRICT, LENIENT] {
        let problems = refused("dates_ambiguous.csv", options);
        assert_eq!(problems.len(), 1, "{}", show(&problems));
        let p = &problems[0];
        // At the first ambiguous value.
        assert_eq!((p.line, p.column), (2, 9));
        assert_eq!(at(&text("dates_ambiguous.csv"), p.line, p.column).get(..10), Some("04/11/2021"));
        for words in [
            "cannot tell whether its dates are dd/mm/yyyy or mm/dd/yyyy",
            "4 November 2021 as dd/mm/yyyy but 11 April 2021 as mm/dd/yyyy",
            "Forms seen: dd/mm/yyyy or mm/dd/yyyy (3)",
            "ISO dates (yyyy-mm-dd)",
        ] {
            assert!(p.message.contains(words), "missing {words:?} in {p}");
        }
    }
}

#[test]
fn mixed_day_and_month_first_dates_refuse_the_file() {
    let problems = refused("dates_mixed_order.csv", STRICT);
    assert_eq!(problems.len(), 1, "{}", show(&problems));
    let p = &problems[0];
    assert!(p.message.contains("`25/11/2021` (line 2) is only a date as dd/mm/yyyy"), "{p}");
    assert!(p.message.contains("`12/25/2021` (line 4) only as mm/dd/yyyy"), "{p}");
    assert!(p.message.contains("Forms seen:"), "{p}");
}

#[test]
fn malformed_rows_strict_lists_every_problem_at_its_field() {
    let problems = refused("acled_malformed.csv", STRICT);
    let text = text("acled_malformed.csv");
    let got: Vec<(usize, usize)> = problems.iter().map(|p| (p.line, p.column)).collect();
    assert_eq!(got, [(3, 258), (4, 273), (5, 202), (6, 9), (6, 202)], "{}", show(&problems));
    // Too few columns: at the end of the short row, naming the first missing column.
    assert_eq!(at(&text, 3, 258), "");
    assert!(problems[0].message.contains("has 28 columns but the header has 31"), "{}", problems[0]);
    assert!(problems[0].message.contains("ends before column `fatalities`"), "{}", problems[0]);
    assert!(at(&text, 4, 273).starts_with("three,"));
    assert!(problems[1].message.starts_with("column `fatalities`: `three` is not a whole number"));
    assert!(at(&text, 5, 202).starts_with("95.5,"));
    assert!(problems[2].message.starts_with("column `latitude`: `95.5` is out of range"));
    // One row, two problems: both listed.
    assert!(problems[3].message.starts_with("column `event_date`: `2021-02-30` is not a real calendar date"));
    assert!(problems[4].message.starts_with("column `latitude`: `4x.1` is not a number"));
    assert!(problems.iter().all(|p| p.file.ends_with("acled_malformed.csv")));
}

#[test]
fn malformed_rows_lenient_skips_them_with_reasons() {
    let (sit, report) = load(&["acled_malformed.csv"], LENIENT);
    assert_eq!((report.read, report.loaded, report.skipped), (6, 2, 4));
    assert_eq!(report.problems.len(), 5);
    let ids: Vec<&str> = sit.events.iter().map(|e| &*e.id).collect();
    assert_eq!(ids, ["VLD4001", "VLD4006"]);
    assert_eq!(figures(&sit).killed.best, 6);
    // Nothing made up for the skipped rows.
    assert_eq!(sit.claim_count(), 2);
}

#[test]
fn ucdp_deaths_split_ranges_and_windows() {
    let (sit, report) = load(&["ucdp.csv"], STRICT);
    assert_eq!((report.read, report.loaded, report.skipped), (3, 3, 0));

    let clash = event(&sit, "ucdp-9001");
    assert_eq!(clash.kind, Kind::ArmedClash);
    assert_eq!((clash.date, clash.end), (day("2021-11-01"), Some(day("2021-11-03"))));
    assert_eq!(sit.by(clash).collect::<Vec<_>>(), ["government_of_veldoria"]);
    assert_eq!(sit.against(clash).collect::<Vec<_>>(), ["free_veldorian_front"]);
    assert_eq!(
        clash.summary(&sit),
        "State-based armed clash in Korvath town: Government of Veldoria vs Free Veldorian Front"
    );
    let total = sit.claim(&sit.claim_ids(clash)[0]).and_then(|c| c.count.clone()).expect("total");
    assert_eq!((total.best, total.low, total.high), (6, Some(5), Some(9)));
    assert_eq!(total.qualifier, Qualifier::Approximately);
    let casualties = sit.casualties_of(clash);
    let groups: Vec<&str> = casualties.iter().map(|c| c.group.as_str()).collect();
    assert_eq!(groups, ["government_of_veldoria", "free_veldorian_front", "civilians"]);

    // Same start and end (with a time of day): one day. One-sided violence is an attack.
    let one_sided = event(&sit, "ucdp-9002");
    assert_eq!((one_sided.kind, one_sided.date, one_sided.end), (Kind::Attack, day("2021-11-04"), None));
    // UCDP's side "Civilians" is an actor, not the `civilians` group.
    assert_ne!(sit.against(one_sided).next(), Some("civilians"));
    assert_eq!(sit.casualties_of(one_sided)[0].group, "civilians");
    assert_eq!(
        sit.claim(&sit.claim_ids(one_sided)[0]).and_then(|c| c.confidence),
        Some(sitdash::domain::model::Confidence::Low)
    );
    let place = sit.place(&one_sided.place).expect("place");
    assert_eq!(place.geo_precision, GeoPrecision::Region);

    // Best 0 but high 2: a figure for unknown keeps the range.
    let skirmish = event(&sit, "ucdp-9003");
    let count = chosen(&sit, skirmish);
    assert_eq!((count.best, count.low, count.high), (0, Some(0), Some(2)));
    assert_eq!(skirmish.geo_precision, Some(GeoPrecision::NearTown));
    // Two places: Korvath town (where_prec 1 and 2 are one place; the precision is the
    // event's) and the point given for North Province; plus the units the rows name.
    let units = sit.places.iter().filter(|p| p.note.as_deref().is_some_and(|n| n.ends_with("as the rows name it")));
    assert_eq!(sit.places.len() - units.count(), 2);
    assert_eq!(event(&sit, "ucdp-9001").place, skirmish.place);

    // The totals keep UCDP's own best, low and high: 6 (5-9) + 4 + 0 (0-2).
    let f = figures(&sit);
    assert_eq!(parts(&f.killed), tally(10, 9, Some(15)));
    assert!(!f.killed.lower_bound);
    assert_eq!(parts(&f.killed_by_group["government_of_veldoria"]), tally(2, 2, Some(3)));
    assert_eq!(parts(&f.killed_by_group["free_veldorian_front"]), tally(3, 2, Some(5)));
    assert_eq!(parts(&f.killed_by_group["civilians"]), tally(5, 5, Some(5)));
    assert_eq!(parts(&f.killed_by_group["unknown"]), tally(0, 0, Some(2)));
}

#[test]
fn ucdp_row_problems() {
    let problems = refused("ucdp_bad.csv", STRICT);
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    // Row 3's problems, in column order; its low above best is UCDP's own, not a problem.
    assert_eq!(problems.len(), 3, "{}", show(&problems));
    assert!(problems.iter().all(|p| p.line == 3));
    assert!(problems.windows(2).all(|w| w[0].column < w[1].column));
    for words in ["type of violence", "where_prec", "date_end 2021-11-01 is before date_start 2021-11-05"] {
        assert!(messages.iter().any(|m| m.contains(words)), "missing {words:?}:\n{}", show(&problems));
    }
    assert!(!messages.iter().any(|m| m.contains("above")), "{}", show(&problems));
    let (sit, report) = load(&["ucdp_bad.csv"], LENIENT);
    assert_eq!((report.read, report.loaded, report.skipped), (3, 2, 1));
    assert_eq!(&*sit.events[1].id, "ucdp-9103");
    // Row 2's split (2 + 3) is not its best (6): kept, flagged, and best is what counts.
    let odd = event(&sit, "ucdp-9101");
    assert!(sit.notes(odd).as_deref().unwrap_or("").contains("add up to 5, not its best (6)"), "{:?}", sit.notes(odd));
    assert_eq!(chosen(&sit, odd).best, 6);
    assert_eq!(report.odd.len(), 1);
    assert_eq!((report.odd[0].1.line, report.odd[0].0), (2, "UCDP deaths by side not adding up to best"));
}

#[test]
fn detected_from_content_whatever_the_name() {
    let content = text("acled_misnamed.txt");
    assert_eq!(detect_format("acled_misnamed.txt", &content), InputFormat::Acled);
    assert_eq!(detect_format("x.json", &text("acled_index.csv")), InputFormat::Acled);
    assert_eq!(detect_format("x.txt", &text("acled_old_caps_dmy.csv")), InputFormat::Acled);
    assert_eq!(detect_format("x.csv", &text("ucdp.csv")), InputFormat::Ucdp);
    let (sit, report) = load(&["acled_misnamed.txt"], STRICT);
    assert_eq!((report.loaded, sit.events.len()), (2, 2));
}

#[test]
fn format_override() {
    let acled = LoadOptions { skip_invalid: false, format: InputFormat::Acled, ..LoadOptions::DEFAULT };
    let (sit, _) = load(&["acled_misnamed.txt"], acled);
    assert_eq!(event(&sit, "VLD2001").kind, Kind::ArmedClash);
    // Forcing the wrong format says which column is missing.
    let problems = refused("ucdp.csv", acled);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].message.contains("no `event_id_cnty` or `data_id` or `event_id_no_cnty` column"),
        "{}",
        problems[0]
    );
    let ucdp = LoadOptions { skip_invalid: false, format: InputFormat::Ucdp, ..LoadOptions::DEFAULT };
    let problems = refused("acled_current.csv", ucdp);
    assert!(problems[0].message.contains("the header has no `id` column"), "{}", problems[0]);
}

#[test]
fn files_loaded_together_share_actors_places_and_sources() {
    let (sit, report) = load(&["acled_current.csv", "acled_semicolon.csv"], STRICT);
    assert_eq!((report.read, report.loaded, report.skipped), (9, 8, 1));
    // Korvath at 45,1234 / 12,5678 in the semicolon file is the same place.
    assert_eq!(event(&sit, "VLD2001").place, event(&sit, "VLD1001").place);
    // Ostmere exactly (precision 1) is the same place as the first file's "near Ostmere".
    assert_eq!(event(&sit, "VLD2002").place, event(&sit, "VLD1003").place);
    // Korvath, Ostmere and their five units, each once.
    assert_eq!(sit.places.len(), 7);
    assert_eq!(sit.actors.len(), 6);
    assert_eq!(sit.sources.len(), 5);
    let f = figures(&sit);
    assert_eq!((f.killed.best, f.killed.lower_bound), (23, true));
}

/// Above 20,000 events the search index is built in two halves on two cores and joined; the
/// joined index must give the reference figures, casualty groups and per-event facts.
#[test]
fn the_index_built_on_two_cores_gives_the_reference_figures() {
    use sitdash::cli::generate::{GenFormat, generate};
    use sitdash::domain::index::SearchIndex;
    for format in [GenFormat::Ucdp, GenFormat::Acled] {
        let mut bytes = Vec::new();
        generate(&mut bytes, format, 24_000, 7).expect("generated");
        let text = String::from_utf8(bytes).expect("utf-8");
        let name = if format == GenFormat::Ucdp { "big.ucdp.csv" } else { "big.acled.csv" };
        let (sit, _) = load_str(name, &text, STRICT).expect("generated data loads");
        assert!(sit.events.len() > 20_000);
        let index = SearchIndex::new(&sit);
        assert_eq!(index.len(), sit.events.len());
        let all: Vec<u32> = (0..sit.events.len() as u32).collect();
        let window = TimeWindow::default();
        assert_eq!(index.casualties(&all, window), casualties(&sit, &sit.events, window), "{name}");
        // Facts of the second half line up with their events.
        for i in [0, sit.events.len() / 2, sit.events.len() - 1] {
            let e = &sit.events[i];
            assert_eq!(index.kind[i], e.kind, "{name} event {i}");
            assert_eq!(Some(index.place[i] as usize), sit.index.places.get(&*e.place).copied());
            let killed = sitdash::domain::figures::event_killed(&sit, e).map_or(0, |t| t.best);
            assert_eq!(index.killed[i], killed, "{name} event {i}");
        }
        // A word from the last event's notes finds it.
        let last = sit.events.len() - 1;
        let notes = sit.notes(&sit.events[last]);
        let word = notes.as_deref().and_then(|n| n.split_whitespace().last()).unwrap_or("zz");
        let word = word.trim_end_matches('.').to_lowercase();
        assert!(index.text_hits(&sit.note_store, &word).get(last), "{name}: `{word}`");
    }
}

/// An imported file's notes stay in the store in the file's order while its events are
/// sorted by date, and the note store is searched in its own order, in two halves on two
/// cores: a word must find what folding each event's text and looking finds, searched
/// across all events, among some, or told by letters.
#[test]
fn notes_kept_in_file_order_find_what_folding_every_event_finds() {
    use sitdash::cli::generate::{GenFormat, generate};
    use sitdash::domain::index::{Bits, SearchIndex};
    use sitdash::domain::text::fold;
    let mut bytes = Vec::new();
    generate(&mut bytes, GenFormat::Acled, 60_000, 11).expect("generated");
    let text = String::from_utf8(bytes).expect("utf-8");
    let (sit, _) = load_str("order.acled.csv", &text, STRICT).expect("generated data loads");
    let n = sit.events.len();
    assert!(n > 50_000);
    let stored: Vec<u32> = sit.events.iter().filter_map(|e| e.note.map(|k| k.0)).collect();
    assert!(stored.windows(2).any(|w| w[0] > w[1]), "the notes are in the file's order, not the events'");
    let index = SearchIndex::new(&sit);
    // Imported rows write no summary (theirs is made from the row's names when drawn, and
    // found by those names): the text searched is their notes.
    let folded: Vec<String> = sit.events.iter().map(|e| sit.notes(e).map(|t| fold(&t)).unwrap_or_default()).collect();
    let mut some = Bits::zeros(n);
    for i in (0..n).filter(|i| i % 3 != 1) {
        some.set(i);
    }
    for word in ["k", "ki", "shel", "fled", "said clashes", "zq"] {
        let want: Vec<u32> = (0..n).filter(|&i| folded[i].contains(word)).map(|i| i as u32).collect();
        let among: Vec<u32> = want.iter().copied().filter(|i| i % 3 != 1).collect();
        assert_eq!(index.text_hits(&sit.note_store, word).indices(), want, "`{word}`");
        assert_eq!(index.text_hits_among(&sit.note_store, word, &some).indices(), among, "`{word}` among");
        if let Some(hits) = index.letter_hits(word, &some) {
            assert_eq!(hits.indices(), among, "`{word}` by letters");
        }
    }
}

/// A large ACLED file is read in two parts on two cores and merged. Whatever the rows hold,
/// the merge must give what one pass gives: the same records in the same order with the same
/// ids, the same problems at the same places, the same report, strict and lenient. The rows
/// below put in the later part a repeat of an earlier row, rows that reuse an id of the
/// earlier part (one of them bad in other ways too, one repeating another reuse exactly), a bad
/// date and places and actors first seen there.
#[test]
fn reading_a_file_in_two_parts_gives_what_one_pass_gives() {
    use sitdash::cli::generate::{GenFormat, generate};
    use sitdash::ingest::import::split_point;
    let mut bytes = Vec::new();
    generate(&mut bytes, GenFormat::Acled, 3_000, 11).expect("generated");
    let mut text = String::from_utf8(bytes).expect("utf-8");
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let (row1, row2) = (&lines[1], &lines[2]);
    // Generated rows have no quoted fields, so a split on commas gives their fields.
    let with = |row: &str, changes: &[(usize, &str)]| {
        let mut fields: Vec<&str> = row.split(',').collect();
        assert_eq!(fields.len(), 31, "{row}");
        for &(i, value) in changes {
            fields[i] = value;
        }
        fields.join(",")
    };
    let clash = with(row2, &[(4, "Demonstrations")]);
    let bad_clash = with(&clash, &[(1, "2020-13-01")]);
    let new_place = with(
        row1,
        &[(0, "NEW1"), (7, "Newforce of Testland"), (18, "Newgov"), (19, "Newdist"), (21, "\"Newtown, \"\"east\"\"\"")],
    );
    let bad_date = with(row1, &[(0, "BAD1"), (1, "20-")]);
    let clash_again = with(row2, &[(4, "Riots")]);
    // An id first used in the later part, then by a bad row there.
    let new2 = with(row1, &[(0, "NEW2")]);
    let new2_bad = with(row1, &[(0, "NEW2"), (1, "2020-02-30")]);
    for extra in [&new2, &new_place, row1, &clash, &bad_clash, &clash, &bad_date, &clash_again, &new_place, &new2_bad] {
        text.push_str(extra);
        text.push('\n');
    }
    let middle = text.len() / 2;
    let split = split_point(text.as_bytes(), b',', middle).expect("the generated file splits");
    assert!(split > middle && split < text.len() - 2_000);

    for skip_invalid in [false, true] {
        let (one_pass, two_parts, done) = one_pass_and_two_parts(&text, skip_invalid);
        let (one_pass, one_report) = one_pass.expect("imports");
        let (two_parts, two_report) = two_parts.expect("imports");
        assert_eq!(one_report, two_report, "skip_invalid {skip_invalid}");
        // row1, the second `clash` (the same as the first, loaded as SYN1#2) and new_place.
        assert!(one_report.contains("duplicates: 3"), "{one_report}");
        assert!(one_report.contains("row repeats event `SYN1` of line 3005 with identical content"), "{one_report}");
        assert!(one_report.contains("already used by the row at line 3, whose content differs; loaded as `SYN1#3`"));
        assert!(one_pass.contains(r#"id: "SYN1#3""#));
        assert!(one_pass == two_parts, "skip_invalid {skip_invalid}: the staged records differ");
        assert!(one_pass.contains(r#"name: "Newtown, \"east\"""#) && one_pass.contains("Newforce of Testland"));
        assert_eq!(done, text.len() as u64, "progress counts every byte once");
    }
    // The row loaded under its own id makes its claim under that id too.
    let options = LoadOptions { skip_invalid: true, format: InputFormat::Acled, ..LoadOptions::DEFAULT };
    let (sit, _) = sitdash::ingest::load::load_str("two-parts.csv", &text, options).expect("loads leniently");
    let reused = event(&sit, "SYN1#3");
    assert_eq!(*sit.claim_ids(reused), ["c-acled-SYN1#3"]);
    assert_eq!(sit.claim("c-acled-SYN1#3").map(|c| c.id.clone()).as_deref(), Some("c-acled-SYN1#3"));
}

/// Imports `text` as ACLED in one pass and in two parts: each outcome as the staged records
/// and the report (or the refusal), written out, and the bytes the second run's progress
/// counted.
#[allow(clippy::type_complexity)]
fn one_pass_and_two_parts(
    text: &str,
    skip_invalid: bool,
) -> (Result<(String, String), String>, Result<(String, String), String>, u64) {
    use sitdash::ingest::import::stage_with;
    let progress = sitdash::ingest::input::Progress::default();
    let run = |parallel: bool| {
        let inputs = [InputFile::new("two-parts.csv", text.to_string())];
        let mut staging = Staging::default();
        let options = LoadOptions { skip_invalid, format: InputFormat::Acled, ..LoadOptions::DEFAULT };
        stage_with(InputFormat::Acled, &inputs, 0, &mut staging, options, (&progress, 0), parallel)
            .map(|report| {
                staging.write_out_notes();
                (format!("{staging:#?}"), format!("{report:#?}"))
            })
            .map_err(|d| d.to_string())
    };
    let one = run(false);
    progress.done.store(0, std::sync::atomic::Ordering::Relaxed);
    let two = run(true);
    (one, two, progress.done.load(std::sync::atomic::Ordering::Relaxed))
}

/// Slash dates whose order only the later part of a file proves, and event types sitdash does
/// not know in both parts: read in two parts, the column's order is decided on the whole
/// file and the earlier part's dates follow it; unknown types are counted once. A column that
/// mixes orders across the parts is refused with the same message either way.
#[test]
fn two_parts_decide_date_order_and_count_unknown_types_as_one_pass() {
    use sitdash::cli::generate::{GenFormat, generate};
    let mut bytes = Vec::new();
    generate(&mut bytes, GenFormat::Acled, 3_000, 5).expect("generated");
    let text = String::from_utf8(bytes).expect("utf-8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len();
    // Month first (mm/dd/yyyy); in the first two thirds every day is 12 or less, so only the
    // last third's days above 12 prove the order.
    for (k, line) in lines.iter_mut().enumerate().skip(1) {
        let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
        let (y, rest) = fields[1].split_once('-').expect("iso date");
        let (m, d) = rest.split_once('-').expect("iso date");
        let d: u32 = d.parse().expect("day");
        let d = if k < n * 2 / 3 { (d - 1) % 12 + 1 } else { d };
        fields[1] = format!("{m}/{d:02}/{y}");
        if k == 5 || k == n - 5 {
            fields[5] = "Weird happenings".into();
            fields[6] = String::new();
        }
        if k == n - 7 {
            fields[5] = "Odd events".into();
            fields[6] = String::new();
        }
        *line = fields.join(",");
    }
    let text = lines.join("\n") + "\n";
    let (one, two, _) = one_pass_and_two_parts(&text, false);
    let (one_pass, one_report) = one.expect("imports");
    let (two_parts, two_report) = two.expect("imports");
    assert_eq!(one_report, two_report);
    assert!(one_report.contains("unknown_kinds: 3") && one_report.contains("2 rows with ACLED type"), "{one_report}");
    assert!(one_report.contains("1 row with ACLED type `Odd events`"), "{one_report}");
    assert!(one_pass == two_parts, "the staged records differ");
    assert!(!one_pass.contains("-262143"), "a date was left unresolved");

    // Day first in the later part's last row: the column mixes orders.
    let mut fields: Vec<String> = lines[n - 1].split(',').map(str::to_string).collect();
    fields[1] = "25/12/2021".into();
    lines[n - 1] = fields.join(",");
    let text = lines.join("\n") + "\n";
    let (one, two, _) = one_pass_and_two_parts(&text, false);
    let refusal = one.expect_err("mixed orders are refused");
    assert!(refusal.contains("mixes day-first and month-first"), "{refusal}");
    assert_eq!(Err(refusal), two);
}

/// Above 50,000 events the checks of events run in two halves, one per core; problems in both
/// halves are found, in record order, with their positions.
#[test]
fn checks_of_many_events_find_problems_in_both_halves_in_order() {
    use sitdash::ingest::input::{Origin, Staged};
    use sitdash::ingest::validate::validate;
    use std::fmt::Write as _;
    let n = 60_000;
    let mut lines = String::new();
    let mut staging = Staging::default();
    for i in 0..n {
        let place = if i == 7 || i == n - 3 { "nowhere" } else { "town" };
        let offset = lines.len();
        let _ = writeln!(
            lines,
            "{{\"id\":\"e{i}\",\"date\":\"2020-02-07\",\"kind\":\"armed_clash\",\"place\":\"{place}\",\"summary\":\"s\"}}"
        );
        let item: Event = serde_json::from_str(lines[offset..].lines().next().expect("line")).expect("event");
        staging.events.push(Staged { item, origin: Origin { file: 0, offset } });
    }
    let place = serde_json::json!({"id": "town", "name": "Town"});
    staging
        .places
        .push(Staged { item: serde_json::from_value(place).expect("place"), origin: Origin { file: 0, offset: 0 } });
    let files = [InputFile::new("many.jsonl", lines)];
    let found = validate(&staging, &files);
    let lines: Vec<usize> = found.iter().map(|(_, d)| d.line).collect();
    assert_eq!(lines, [8, n - 2], "{found:?}");
    assert!(found.iter().all(|(_, d)| d.message.contains("no place with id `nowhere`")), "{found:?}");
}

// ---------------------------------------------------------------------------------------------
// Files as analysts hold them: HDX's hashtag rows, UCDP's own odd figures, ACLED's API, and
// the same files gzipped, zipped and saved as .xlsx. Each loads exactly as its plain CSV twin.

/// What a load made, written out: events, places, actors, sources, claims and the totals.
fn made(sit: &Situation) -> String {
    let events: Vec<_> = sit.events.iter().map(|e| sit.event_record(e)).collect();
    let records = serde_json::to_string_pretty(&(&events, &sit.places, &sit.actors, &sit.sources, &sit.every_claim()))
        .expect("serialises");
    format!("{records}\n{:#?}", figures(sit))
}

fn load_text(name: &str, bytes: Vec<u8>, options: LoadOptions) -> (Situation, LoadReport) {
    sitdash::ingest::load::load_bytes(name, bytes, options)
        .unwrap_or_else(|e| panic!("{name}: {e}\n{}", show(&e.problems)))
}

/// The fixture without its second line (the HXL row), as a plain export would be.
fn without_hxl(name: &str) -> String {
    let text = text(name);
    let first = text.find('\n').expect("a header") + 1;
    let second = first + text[first..].find('\n').expect("an HXL row") + 1;
    format!("{}{}", &text[..first], &text[second..])
}

#[test]
fn hdx_ucdp_loads_with_its_hxl_row_passed_over_and_odd_brackets_kept() {
    let (sit, report) = load(&["ucdp_hdx.csv"], STRICT);
    let (twin, _) = load_text("ucdp_plain.csv", without_hxl("ucdp_hdx.csv").into_bytes(), STRICT);
    assert_eq!(made(&sit), made(&twin));
    assert_eq!((report.read, report.loaded, report.skipped), (5, 5, 0));
    let hxl: Vec<_> = report.warnings.iter().filter(|w| w.message.contains("HXL")).collect();
    assert_eq!(hxl.len(), 1, "{:?}", report.warnings);
    assert_eq!((hxl[0].line, hxl[0].column), (2, 1));
    assert!(hxl[0].message.contains("#event+code"), "{}", hxl[0].message);
    // The two odd rows: kept as UCDP gives them, flagged at their column (row 6 holds a line
    // break before it), best counted.
    let odd: Vec<(&str, usize)> = report.odd.iter().map(|(k, d)| (*k, d.line)).collect();
    assert_eq!(odd, [("UCDP low above best", 7), ("UCDP high below best", 8)], "{:?}", report.odd);
    assert_eq!(report.odd_counts(), [("UCDP low above best", 1), ("UCDP high below best", 1)]);
    let low = event(&sit, "ucdp-9011");
    assert!(
        sit.notes(low).as_deref().unwrap_or("").contains("UCDP's low (44) is above its best (40)"),
        "{:?}",
        sit.notes(low)
    );
    // (Made from the row when asked for, as every UCDP row's claims are that can be.)
    let claim = sit.claim("c-ucdp-9011").expect("the event's claim");
    assert!(claim.statement.contains("(low 44, high 60)"), "{}", claim.statement);
    assert_eq!(claim.count.as_ref().map(|c| (c.best, c.low, c.high)), Some((40, Some(40), Some(60))));
    let killed: u64 = sit.casualties_of(low).iter().filter_map(|c| sit.chosen_count(&c.chosen)).map(|c| c.best).sum();
    assert_eq!(killed, 40);
    let high = event(&sit, "ucdp-9012");
    assert!(sit.notes(high).as_deref().unwrap_or("").contains("UCDP's high (0) is below its best (35)"));
    assert_eq!(figures(&sit).killed.best, figures(&twin).killed.best);
}

#[test]
fn hdx_acled_loads_like_its_twin_in_one_pass_and_in_two_parts() {
    let (sit, report) = load(&["acled_hdx.csv"], STRICT);
    let (twin, twin_report) = load(&["acled_current.csv"], STRICT);
    assert_eq!(made(&sit), made(&twin));
    assert_eq!(report.loaded, twin_report.loaded);
    assert_eq!(report.warnings.iter().filter(|w| w.message.contains("HXL") && w.line == 2).count(), 1);
    // The two-part read passes over the row too, and merges as one pass would.
    let hdx = text("acled_hdx.csv");
    for skip_invalid in [false, true] {
        let (one_pass, two_parts, _) = one_pass_and_two_parts(&hdx, skip_invalid);
        let (one_pass, one_report) = one_pass.expect("imports");
        let (two_parts, two_report) = two_parts.expect("imports");
        assert_eq!(one_report, two_report);
        assert!(one_report.contains("HXL hashtag row"), "{one_report}");
        assert!(one_pass == two_parts, "the staged records differ");
    }
}

#[test]
fn a_row_of_hashtags_is_hxl_only_when_every_cell_is_one() {
    let csv = "event_id_cnty,event_date,event_type,actor1,location,fatalities\n\
               #tag,notatag,,,,\nVLD1,2021-11-04,Battles,A,Korvath,1\n";
    match load_str("x.csv", csv, STRICT) {
        Ok(_) => panic!("a row that is not all hashtags is a row, and this one is bad"),
        Err(err) => assert_eq!(err.problems[0].line, 2, "{}", show(&err.problems)),
    }
}

#[test]
fn acled_api_answers_load_exactly_as_the_csv() {
    let (twin, twin_report) = load(&["acled_current.csv"], STRICT);
    for name in ["acled_api.json", "acled_api_lines.jsonl"] {
        let (sit, report) = load(&[name], STRICT);
        assert_eq!(made(&sit), made(&twin), "{name}");
        assert_eq!((report.read, report.skipped), (twin_report.read, twin_report.skipped));
    }
    assert_eq!(detect_format("x.json", &text("acled_api.json")), InputFormat::Situation, "text is JSON");
    assert!(sitdash::ingest::import::api::looks_like(&text("acled_api.json")));
    assert!(sitdash::ingest::import::api::looks_like(&text("acled_api_lines.jsonl")));
}

#[test]
fn acled_api_problems_point_into_the_json() {
    let answer = text("acled_api.json").replacen("\"fatalities\": \"3\"", "\"fatalities\": \"three\"", 1);
    let err = sitdash::ingest::load::load_bytes("api.json", answer.clone().into_bytes(), STRICT).expect_err("refused");
    let at = answer.find("\"fatalities\": \"three\"").expect("the changed value");
    let line = answer[..at].matches('\n').count() + 1;
    assert_eq!((err.problems[0].file.as_str(), err.problems[0].line), ("api.json", line), "{}", show(&err.problems));
    assert!(err.problems[0].message.contains("`three` is not a whole number"));
    let failed = r#"{"status": 403, "success": false, "error": {"message": "Access denied"}}"#;
    let err = load_str("denied.json", failed, STRICT).expect_err("refused");
    assert!(err.problems[0].message.contains("status 403") && err.problems[0].message.contains("Access denied"));
    let empty = r#"{"status": 200, "success": true, "count": 0, "data": []}"#;
    let (sit, _) = load_str("empty.json", empty, STRICT).expect("an empty answer loads");
    assert!(sit.events.is_empty());
    let not_object = r#"{"status": 200, "success": true, "count": 1, "data": [3]}"#;
    assert!(load_str("odd.json", not_object, STRICT).is_err());
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("compresses");
    encoder.finish().expect("compresses")
}

fn zipped(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("an entry");
        zip.write_all(bytes).expect("writes");
    }
    zip.finish().expect("finishes").into_inner()
}

#[test]
fn gzipped_and_zipped_files_load_as_their_plain_twins() {
    for name in ["acled_current.csv", "ucdp_hdx.csv", "acled_api.json"] {
        let plain = std::fs::read(fixture(name)).expect("fixture");
        let (twin, _) = load(&[name], STRICT);
        let (gz, _) = load_text(&format!("{name}.gz"), gzipped(&plain), STRICT);
        assert_eq!(made(&gz), made(&twin), "{name}.gz");
        let (zip, _) = load_text("export.zip", zipped(&[(name, &plain)]), STRICT);
        assert_eq!(made(&zip), made(&twin), "{name} zipped");
    }
}

#[test]
fn compressed_positions_are_those_of_the_text_and_zip_entries_are_named() {
    let bad = text("ucdp_bad.csv").into_bytes();
    let plain = load_str("ucdp_bad.csv", &text("ucdp_bad.csv"), STRICT).expect_err("refused").problems;
    let gz = sitdash::ingest::load::load_bytes("ucdp_bad.csv.gz", gzipped(&bad), STRICT).expect_err("refused");
    let place = |d: &Diagnostic| (d.line, d.column, d.message.clone());
    assert_eq!(gz.problems.iter().map(place).collect::<Vec<_>>(), plain.iter().map(place).collect::<Vec<_>>());
    assert_eq!(gz.problems[0].file, "ucdp_bad.csv.gz");
    // Several entries: each loaded, each named in messages; a readme passed over with a note.
    let good = std::fs::read(fixture("acled_current.csv")).expect("fixture");
    let archive = zipped(&[("good.csv", &good), ("docs/readme.pdf", b"%PDF"), ("bad/ucdp.csv", &bad)]);
    let err = sitdash::ingest::load::load_bytes("ged.zip", archive.clone(), STRICT).expect_err("refused");
    assert!(err.problems.iter().all(|d| d.file == "ged.zip:bad/ucdp.csv"), "{}", show(&err.problems));
    let (sit, report) = load_text("ged.zip", archive, LENIENT);
    assert!(sit.events.iter().any(|e| &*e.id == "VLD1001") && sit.events.iter().any(|e| &*e.id == "ucdp-9103"));
    assert!(report.warnings.iter().any(|w| w.file == "ged.zip" && w.message.contains("docs/readme.pdf")));
    // An entry's name is a label, never a path: nothing is written, its control characters go.
    let (sit, _) = load_text("evil.zip", zipped(&[("../../tmp/\u{1b}[31mx.csv", &good)]), STRICT);
    assert_eq!(sit.events.len(), made_events(&good));
    assert!(!std::path::Path::new("/tmp/\u{1b}[31mx.csv").exists());
    let err =
        sitdash::ingest::load::load_bytes("empty.zip", zipped(&[("notes.pdf", b"x")]), STRICT).expect_err("no data");
    assert!(err.problems[0].message.contains("holds no data file"), "{}", show(&err.problems));
}

fn made_events(csv: &[u8]) -> usize {
    load_str("x.csv", std::str::from_utf8(csv).expect("UTF-8"), STRICT).expect("loads").0.events.len()
}

#[test]
fn a_decompression_bomb_stops_at_the_limit_the_user_can_raise() {
    let zeros = vec![b'0'; 8 << 20];
    let small = LoadOptions { max_unpacked: 1 << 20, ..STRICT };
    for (name, bytes) in [("bomb.gz", gzipped(&zeros)), ("bomb.zip", zipped(&[("a.csv", &zeros)]))] {
        assert!(bytes.len() < 128 << 10, "{name} is small: {}", bytes.len());
        let err = sitdash::ingest::load::load_bytes(name, bytes.clone(), small).expect_err("stopped");
        let message = &err.problems[0].message;
        assert!(message.contains("expands past 1 MiB") && message.contains("--max-unpacked 4 MiB"), "{message}");
        // Raised, it is read (and then refused as what it is: not a data file).
        let raised = LoadOptions { max_unpacked: 64 << 20, ..STRICT };
        let err = sitdash::ingest::load::load_bytes(name, bytes, raised).expect_err("not data");
        assert!(!err.problems[0].message.contains("expands past"), "{}", show(&err.problems));
    }
    let corrupt = gzipped(b"event_id_cnty,event_date\n")[..12].to_vec();
    let err = sitdash::ingest::load::load_bytes("cut.gz", corrupt, STRICT).expect_err("refused");
    assert!(err.problems[0].message.contains("gzip"), "{}", show(&err.problems));
}

/// A minimal .xlsx of one sheet from CSV text: numbers as numbers, `date_columns` as the
/// spreadsheet's serial days with a date format, the rest as inline strings.
// The workbook's XML is written as it reads, part by part.
#[allow(clippy::format_push_string, clippy::useless_format)]
fn xlsx_from_csv(csv_text: &str, sheet: &str, date_columns: &[&str]) -> Vec<u8> {
    fn column(mut i: usize) -> String {
        let mut name = String::new();
        loop {
            name.insert(0, char::from(b'A' + (i % 26) as u8));
            if i < 26 {
                return name;
            }
            i = i / 26 - 1;
        }
    }
    fn escape(s: &str) -> String {
        s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let dates: Vec<usize> =
        rows[0].iter().enumerate().filter(|(_, h)| date_columns.contains(h)).map(|(i, _)| i).collect();
    let mut data = String::new();
    for (r, row) in rows.iter().enumerate() {
        data.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, value) in row.iter().enumerate() {
            let at = format!("{}{}", column(c), r + 1);
            let day = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
            match (r > 0 && dates.contains(&c), day, value.parse::<f64>()) {
                (true, Some(day), _) => {
                    let serial = (day - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch")).num_days();
                    data.push_str(&format!("<c r=\"{at}\" s=\"1\"><v>{serial}</v></c>"));
                }
                (_, _, Ok(_)) if r > 0 && !value.starts_with('0') => {
                    data.push_str(&format!("<c r=\"{at}\"><v>{value}</v></c>"));
                }
                _ if value.is_empty() => {}
                _ => data.push_str(&format!(
                    "<c r=\"{at}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                    escape(value)
                )),
            }
        }
        data.push_str("</row>");
    }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let pkg = "http://schemas.openxmlformats.org/package/2006/relationships";
    let types = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>"
    );
    let root = format!(
        "<Relationships xmlns=\"{pkg}\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
    );
    let workbook = format!(
        "<workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"{sheet}\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    );
    let workbook_rels = format!(
        "<Relationships xmlns=\"{pkg}\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{rel}/styles\" Target=\"styles.xml\"/></Relationships>"
    );
    let styles = format!(
        "<styleSheet xmlns=\"{main}\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"
    );
    let worksheet = format!("<worksheet xmlns=\"{main}\"><sheetData>{data}</sheetData></worksheet>");
    zipped(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", root.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/styles.xml", styles.as_bytes()),
        ("xl/worksheets/sheet1.xml", worksheet.as_bytes()),
    ])
}

#[test]
fn spreadsheets_load_as_their_csv_twins_with_sheet_row_column_positions() {
    for (name, dates) in [("acled_current.csv", &["event_date"][..]), ("ucdp_hdx.csv", &["date_start", "date_end"])] {
        let (twin, _) = load(&[name], STRICT);
        let book = xlsx_from_csv(&text(name), "Events", dates);
        let (sit, _) = load_text("export.xlsx", book.clone(), STRICT);
        assert_eq!(made(&sit), made(&twin), "{name} as .xlsx");
        let (gz, _) = load_text("export.xlsx.gz", gzipped(&book), STRICT);
        assert_eq!(made(&gz), made(&twin), "{name} as .xlsx.gz");
    }
    // A bad cell is named by sheet, row and column.
    let bad = text("acled_current.csv").replacen(",3,,1639000000", ",three,,1639000000", 1);
    let book = xlsx_from_csv(&bad, "Events 2021", &["event_date"]);
    let err = sitdash::ingest::load::load_bytes("export.xlsx", book.clone(), STRICT).expect_err("refused");
    let fatalities = text("acled_current.csv").lines().next().unwrap().split(',').position(|c| c == "fatalities");
    let d = &err.problems[0];
    assert_eq!((d.file.as_str(), d.line, Some(d.column - 1)), ("export.xlsx:Events 2021", 2, fatalities), "{d}");
    // `file.xlsx:Sheet` picks the sheet; a sheet that is not there is named with those that are.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("book.xlsx");
    std::fs::write(&path, &book).expect("write the book");
    let picked = PathBuf::from(format!("{}:Events 2021", path.display()));
    let err = load_paths(&[picked], STRICT).expect_err("the bad cell again");
    assert!(err.problems[0].file.ends_with("book.xlsx:Events 2021"), "{}", show(&err.problems));
    let missing = PathBuf::from(format!("{}:Summary", path.display()));
    let err = load_paths(&[missing], STRICT).expect_err("no such sheet");
    assert!(err.problems[0].message.contains("has no sheet `Summary`; its sheets are `Events 2021`"));
}

/// Dates whose order only the whole column tells (dd/mm/yyyy) are checked once settled, at
/// the date's own position, as ISO dates are while the row is read.
#[test]
fn slash_dates_are_checked_against_the_timestamp_and_as_of_once_settled() {
    use sitdash::domain::model::Day;
    let as_of = Some(Day(chrono::NaiveDate::from_ymd_opt(2024, 6, 30).expect("date")));
    let options = LoadOptions { as_of, ..STRICT };
    let header = "event_id_cnty,event_date,event_type,sub_event_type,actor1,location,fatalities,timestamp\n";
    let csv = format!(
        "{header}VLD1,25/05/2024,Battles,Armed clash,Army,Korvath,1,1717000000\n\
         VLD2,20/05/2024,Battles,Armed clash,Army,Korvath,1,1715000000\n\
         VLD3,03/07/2024,Battles,Armed clash,Army,Korvath,1,1721000000\n"
    );
    let (sit, report) = load_str("slashes.csv", &csv, options).expect("loads");
    let odd: Vec<String> = report.odd.iter().map(|(kind, d)| format!("{d} [{kind}]")).collect();
    assert_eq!(
        odd,
        [
            "slashes.csv:3:6: event_date 2024-05-20 is after the row's timestamp, 2024-05-06, when the source last \
             changed the row; kept as given [date after the row's timestamp]",
            "slashes.csv:4:6: event_date 2024-07-03 is after the as-of date, 2024-06-30; kept as given [date after \
             the as-of date]",
        ]
    );
    assert!(sit.notes(event(&sit, "VLD3")).as_deref().is_some_and(|n| n.contains("after the as-of date")));
    assert_eq!(sit.notes(event(&sit, "VLD1")), None);

    let header = "id,type_of_violence,side_a,side_b,where_coordinates,date_start,date_end,best\n";
    let csv = format!(
        "{header}51,1,Army,Front,Korvath,25/06/2024,28/06/2024,1\n52,1,Army,Front,Korvath,29/06/2024,03/07/2024,1\n"
    );
    let (sit, report) = load_str("slashes_ucdp.csv", &csv, options).expect("loads");
    assert_eq!(report.odd.len(), 1, "{:?}", report.odd);
    assert_eq!(
        report.odd[0].1.to_string(),
        "slashes_ucdp.csv:3:36: date_end 2024-07-03 is after the as-of date, 2024-06-30; kept as given"
    );
    assert!(sit.notes(event(&sit, "ucdp-52")).as_deref().is_some_and(|n| n.contains("date_end 2024-07-03")));
}

/// A coder's own event may cite the claim an imported ACLED row makes of its fatalities
/// (`c-acled-{event id}`, made from the row when asked, never stored), as evidence and as a
/// figure's chosen claim; and no claim of ours may take that id.
#[test]
fn our_events_may_cite_the_claim_an_imported_row_makes_and_no_claim_may_take_its_id() {
    let dir = std::env::temp_dir().join(format!("sitdash-import-row-claims-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let acled = "tests/fixtures/import/acled_current.csv";
    let ours = dir.join("ours.jsonl");
    std::fs::write(
        &ours,
        concat!(
            r#"{"place": {"id": "korvath-checkpoint", "name": "Korvath checkpoint"}}"#,
            "\n",
            r#"{"id": "v-checkpoint", "date": "2021-11-04", "kind": "armed_clash", "place": "korvath-checkpoint", "summary": "Fire exchanged at the Korvath checkpoint", "claims": ["c-acled-VLD1001"], "casualties": [{"group": "unknown", "outcome": "killed", "claims": ["c-acled-VLD1001"], "chosen": "c-acled-VLD1001"}]}"#,
            "\n"
        ),
    )
    .expect("written");
    let (sit, _) = load_paths(&[PathBuf::from(acled), ours.clone()], LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}: {:?}", e.problems.iter().map(ToString::to_string).collect::<Vec<_>>()));
    let e = &sit.events[sit.event_index("v-checkpoint").expect("our event")];
    let claim = sit.claim("c-acled-VLD1001").expect("the row's claim");
    assert_eq!(claim.statement, "ACLED records 3 fatalities");
    let killed: Vec<u64> = sit.figure_counts(e).map(|(_, _, count)| count.best).collect();
    assert_eq!(killed, [3], "the figure counts the row's fatalities");

    // A claim of ours under that id is refused, at its id, saying whose it is.
    let taken = dir.join("taken.jsonl");
    std::fs::write(
        &taken,
        concat!(
            r#"{"source": {"id": "desk", "publisher": "Our desk"}}"#,
            "\n",
            r#"{"claim": {"id": "c-acled-VLD1001", "source": "desk", "attributed_to": "our desk", "statement": "Three died."}}"#,
            "\n"
        ),
    )
    .expect("written");
    let err = load_paths(&[PathBuf::from(acled), taken], LoadOptions::default()).expect_err("the id is taken");
    let problems: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.iter().any(|p| p.contains("taken.jsonl:2:")
            && p.contains("claim id `c-acled-VLD1001` is that of the claim the imported row `VLD1001` makes")),
        "{problems:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A UCDP row's claims are made from the row, never staged, yet they are there for a document
/// loaded with it to cite, and their ids are taken.
#[test]
fn a_document_may_cite_the_claims_a_ucdp_row_makes_and_not_take_their_ids() {
    let doc = |claims: &str| {
        format!(
            r#"{{"format": "sitdash/1", "sources": [{{"id": "wire", "publisher": "Example Wire"}}],
            "places": [{{"id": "hill", "name": "Korvath hill"}}], "claims": [{claims}],
            "events": [{{"id": "hill-1", "date": "2021-11-02", "kind": "armed_clash", "place": "hill",
                "summary": "The clash seen from the hill", "claims": ["c-ucdp-9001"],
                "casualties": [{{"group": "civilians", "outcome": "killed",
                    "claims": ["c-ucdp-9001-civ"], "chosen": "c-ucdp-9001-civ"}}]}}]}}"#
        )
    };
    let files = |doc: String| [InputFile::new("ucdp.csv", text("ucdp.csv")), InputFile::new("hill.json", doc)];
    let (sit, _) = sitdash::ingest::load::load_inputs(&files(doc("")), STRICT)
        .unwrap_or_else(|e| panic!("refused:\n{}", show(&e.problems)));
    let clash = event(&sit, "ucdp-9001");
    assert!(clash.row.is_some(), "the row keeps its claims");
    let hill = event(&sit, "hill-1");
    let civilians = sit.chosen_count(&sit.casualties_of(hill)[0].chosen).expect("the row's figure");
    let made = sit.casualties_of(clash).iter().find(|c| c.group == "civilians").map(|c| c.chosen.clone());
    assert_eq!(
        Some(civilians.into_owned()),
        made.and_then(|id| sit.chosen_count(&id).map(std::borrow::Cow::into_owned))
    );

    let taken = r#"{"id": "c-ucdp-9001-b", "source": "wire", "attributed_to": "a witness", "statement": "some died"}"#;
    let problems = sitdash::ingest::load::load_inputs(&files(doc(taken)), STRICT).expect_err("refused").problems;
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("`c-ucdp-9001-b` is that of the claim the imported row `ucdp-9001`")),
        "{}",
        show(&problems)
    );
}

/// An import that made every staged event hands its table of their ids on: validation checks
/// the ids with it and the index takes it over through the sort by date. With events of
/// another file beside them it hands nothing on, and an id in both files is still refused.
#[test]
fn the_imports_id_table_finds_each_event_and_hides_no_duplicate_across_files() {
    use sitdash::cli::generate::{GenFormat, generate};
    let generated = |rows: usize| {
        let mut bytes = Vec::new();
        generate(&mut bytes, GenFormat::Acled, rows, 5).expect("generated");
        String::from_utf8(bytes).expect("utf-8")
    };
    // Over 4 MB: read in two parts and merged; the file is not in date order.
    let big = generated(12_000);
    assert!(big.len() > sitdash::ingest::import::PARALLEL_BYTES);
    let (sit, _) = load_str("big.acled.csv", &big, STRICT).expect("generated data loads");
    assert_eq!(sit.events.len(), 12_000);
    let first_row = big.lines().nth(1).and_then(|l| l.split(',').next()).expect("a first row");
    assert_ne!(sit.event_index(first_row), Some(0), "the events were sorted");
    for (i, e) in sit.events.iter().enumerate() {
        assert_eq!(sit.event_index(&e.id), Some(i), "event {}", e.id);
    }
    assert_eq!(sit.event_index("SYN12000"), None);

    let small = generated(50);
    let twice = [InputFile::new("a.acled.csv", small.clone()), InputFile::new("b.acled.csv", small.clone())];
    let problems = sitdash::ingest::load::load_inputs(&twice, STRICT).expect_err("refused").problems;
    assert!(problems.iter().any(|d| d.message.contains("duplicate event id `SYN0`")), "{}", show(&problems));

    let doc = r#"{"format": "sitdash/1", "sources": [{"id": "wire", "publisher": "Example Wire"}],
        "places": [{"id": "hill", "name": "Korvath hill"}],
        "events": [{"id": "SYN3", "date": "2021-11-02", "kind": "armed_clash", "place": "hill",
            "summary": "A clash on the hill"}]}"#;
    for files in [
        [InputFile::new("a.acled.csv", small.clone()), InputFile::new("hill.json", doc.to_string())],
        [InputFile::new("hill.json", doc.to_string()), InputFile::new("a.acled.csv", small.clone())],
    ] {
        let problems = sitdash::ingest::load::load_inputs(&files, STRICT).expect_err("refused").problems;
        assert!(problems.iter().any(|d| d.message.contains("duplicate event id `SYN3`")), "{}", show(&problems));
    }
}
