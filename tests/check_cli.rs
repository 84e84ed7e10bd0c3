//! The subcommands end to end, through the built binary: every broken fixture is refused by
//! `check` with `file:line:column: message` at the right place and exit code 1, good input
//! loads clean, usage errors exit 2; `summary` over a window and a filter, `events` as a
//! table, JSON and CSV, `gen` and `bench`, and output into a pipe closed early.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BAD: &str = "tests/fixtures/bad";
const GOOD: &str = "tests/fixtures/good";

/// Runs the binary from the crate root, so that relative fixture paths are reported as given.
fn sitdash(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitdash"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // With RUST_BACKTRACE unset, a panic prints a hint naming it; we look for that hint.
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the sitdash binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A diagnostic line `<path>:<line>:<col>: <message>` split into its parts, if it is one.
fn parse_diagnostic<'a>(path: &str, line: &'a str) -> Option<(usize, usize, &'a str)> {
    let rest = line.strip_prefix(path)?.strip_prefix(':')?;
    let (line_no, rest) = rest.split_once(':')?;
    let (col, rest) = rest.split_once(':')?;
    let message = rest.strip_prefix(' ')?;
    let line_no: usize = line_no.parse().ok()?;
    let col: usize = col.parse().ok()?;
    (line_no > 0 && col > 0 && !message.is_empty()).then_some((line_no, col, message))
}

/// Every diagnostic about `path` in the output; fails on any stdout line that is not one.
fn diagnostics(path: &str, out: &Output) -> Vec<(usize, usize, String)> {
    let text = stdout(out);
    text.lines()
        .map(|line| {
            let (l, c, m) = parse_diagnostic(path, line)
                .unwrap_or_else(|| panic!("not a `{path}:line:col: message` line: {line:?}\nstdout:\n{text}"));
            (l, c, m.to_string())
        })
        .collect()
}

fn assert_no_panic(what: &str, out: &Output) {
    for (stream, text) in [("stdout", stdout(out)), ("stderr", stderr(out))] {
        assert!(!text.contains("panicked"), "{what}: {stream} shows a panic:\n{text}");
        assert!(!text.contains("RUST_BACKTRACE"), "{what}: {stream} shows a panic hint:\n{text}");
    }
}

fn bad_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(BAD);
    let mut files: Vec<PathBuf> =
        fs::read_dir(&dir).expect("tests/fixtures/bad exists").map(|e| e.expect("a directory entry").path()).collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> String {
    path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name").to_string()
}

/// One broken fixture: where its first problem is, what the message must say, and how many
/// problems there are in all (a two-place cycle is reported once for each place in it).
struct Expected {
    file: &'static str,
    line: usize,
    column: usize,
    message: &'static str,
    problems: usize,
}

const fn x(file: &'static str, line: usize, column: usize, message: &'static str) -> Expected {
    Expected { file, line, column, message, problems: 1 }
}

/// Positions read off each fixture. Syntax errors point at the first character that cannot
/// be there; errors found while reading a value point at that value's last character (where
/// serde_json stops); problems found by validation point at the start of the offending key or
/// array element.
const EXPECTED: &[Expected] = &[
    // Line 3: the `"place"` that follows `"armed_clash"` with no comma between.
    x(
        "bad_line.jsonl",
        3,
        58,
        "expected `,` or `}`: this is not valid JSON here; check the quotes, commas and brackets",
    ),
    // The `"high"` key of the count.
    x("best_above_high.json", 7, 126, "high (6) is below best (9); make low <= best <= high"),
    // The element `"c-toll"` of the casualty figure's claims.
    x("casualty_claim_missing.json", 8, 76, "no claim with id `c-toll`; define it or fix the reference"),
    // The `"group"` key of the casualty figure.
    x(
        "casualty_group_not_actor.json",
        17,
        22,
        "group `soldiers` is neither `civilians`, `unknown` nor an actor id; add the actor",
    ),
    // The `"chosen"` key of the casualty figure.
    x(
        "chosen_not_among_claims.json",
        15,
        86,
        "chosen claim `c-high` is not among this figure's claims; list it in `claims`",
    ),
    // The closing quote of `"2"`.
    x("count_is_string.json", 7, 133, "invalid type: string \"2\", expected u64; fix the value's type"),
    // The `"id"` key of the second claim; the first is named by its `"id"` too.
    x(
        "duplicate_claim_id.json",
        8,
        6,
        "duplicate claim id `c1` (first defined at tests/fixtures/bad/duplicate_claim_id.json:7:6); give each claim its own id",
    ),
    x(
        "duplicate_event_id.json",
        8,
        6,
        "duplicate event id `e1` (first defined at tests/fixtures/bad/duplicate_event_id.json:7:6); give each event its own id",
    ),
    x("empty.json", 1, 1, "the file is empty; a situation file holds one JSON object"),
    // The `"end"` key.
    x("end_before_date.json", 7, 40, "end 2020-02-04 is before date 2020-02-06; swap them"),
    // The `"low"` key: an exact count (no qualifier given) with a range.
    x(
        "exact_count_with_range.json",
        7,
        130,
        "an exact count cannot have a range; use \"approximately\" or drop low/high",
    ),
    // The closing quote of `"2020-02-30"`.
    x("impossible_date.json", 7, 37, "`2020-02-30` is not a real calendar date; write it as YYYY-MM-DD"),
    // The `"lat"` key.
    x("lat_without_lon.json", 4, 38, "give both lat and lon, or neither"),
    x("latitude_out_of_range.json", 4, 38, "latitude 135.9 is out of range; it must lie within -90..90"),
    // The `"lon"` key.
    x("longitude_out_of_range.json", 4, 51, "longitude 236.6 is out of range; it must lie within -180..180"),
    // The `"low"` key.
    x("low_above_best.json", 7, 126, "low (8) is above best (5); make low <= best <= high"),
    // The `"title"` that follows the publisher with no comma between.
    x(
        "missing_comma.json",
        5,
        56,
        "expected `,` or `}`: this is not valid JSON here; check the quotes, commas and brackets",
    ),
    // The `"place"` key.
    x("missing_place.json", 7, 63, "no place with id `towm`: did you mean `town`?"),
    // The element `"hilltop"` of the event's posts.
    x("missing_post.json", 7, 140, "no post with id `hilltop`; define it or fix the reference"),
    // The claim's `"source"` key.
    x("missing_source.json", 7, 18, "no source with id `radio-bulletin`; define it or fix the reference"),
    // The `3` of `-3`.
    x("negative_count.json", 7, 127, "integer `-3`, expected u64: counts and numbers here cannot be negative"),
    // The byte 0xE9 itself, after `"title": "Caf`.
    x("not_utf8.json", 3, 16, "byte 0xe9 is not UTF-8; save the file as UTF-8"),
    // The `"part_of"` key of the first place of the loop (the second is reported on line 5).
    Expected {
        file: "place_part_of_cycle.json",
        line: 4,
        column: 46,
        message: "place `district` ends up inside itself through part_of; break the cycle",
        problems: 2,
    },
    // The `"date"` key of the second status change.
    x(
        "post_history_out_of_order.json",
        19,
        8,
        "status change on 2019-06-01 comes before the previous one; keep history in date order",
    ),
    // The `"same_incident_as"` key.
    x("same_incident_missing.json", 7, 121, "no event with id `e1`: did you mean `e2`?"),
    // The `"as_of"` key of the second value.
    x(
        "series_out_of_order.json",
        16,
        8,
        "as_of 2020-02-03 does not come after the previous value's; list values in date order",
    ),
    // The `"part_of"` key of the first series of the loop.
    Expected {
        file: "series_part_of_cycle.json",
        line: 13,
        column: 76,
        message: "series `north` ends up inside itself through part_of; break the cycle",
        problems: 2,
    },
    // The `]` right after the comma.
    x("trailing_comma.json", 6, 3, "trailing comma: remove the comma before the closing bracket"),
    // The last character of the file, the closing quote of `"A town"`.
    x(
        "truncated.json",
        5,
        35,
        "EOF while parsing an object: the file ends early; is it truncated? close every { and [",
    ),
    // The closing quote of the key `"atributed_to"`.
    x("unknown_field_near_miss.json", 7, 49, "unknown field `atributed_to`: did you mean `attributed_to`?"),
    // The `"format"` key.
    x("unknown_format.json", 3, 3, "unknown format `sitdash/2`; this version of sitdash reads \"sitdash/1\""),
    // The closing quote of `"air_strike"`; no kind is near enough to suggest, so all are listed.
    x("unknown_kind.json", 7, 59, "unknown value `air_strike`; use one of: armed_clash, government_regains_territory,"),
    // The closing quote of the key `"event"`.
    x("unknown_top_level_field.json", 4, 9, "unknown field `event`: did you mean `events`?"),
    x("whitespace_only.json", 1, 1, "the file is empty; a situation file holds one JSON object"),
];

#[test]
fn every_bad_fixture_is_refused_with_a_position_and_no_panic() {
    let files = bad_files();
    assert!(files.len() >= 24, "expected at least 24 broken fixtures, found {}", files.len());
    for file in &files {
        let path = format!("{BAD}/{}", file_name(file));
        let out = sitdash(&["check", &path]);
        assert_no_panic(&path, &out);
        assert_eq!(out.status.code(), Some(1), "{path}: exit code\nstdout:\n{}", stdout(&out));
        let found = diagnostics(&path, &out);
        assert!(!found.is_empty(), "{path}: no diagnostic line on stdout; stderr:\n{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("{} problem(s)", found.len())),
            "{path}: stderr does not count the problems:\n{}",
            stderr(&out)
        );
    }
}

#[test]
fn every_bad_fixture_has_an_exact_expectation() {
    let names: Vec<String> = bad_files().iter().map(|f| file_name(f)).collect();
    let listed: Vec<&str> = EXPECTED.iter().map(|e| e.file).collect();
    for name in &names {
        assert!(listed.contains(&name.as_str()), "{name} has no entry in EXPECTED");
    }
    for name in &listed {
        assert!(names.iter().any(|n| n == name), "EXPECTED lists {name}, which is not in {BAD}");
    }
}

#[test]
fn bad_fixtures_report_the_exact_position_and_what_to_do() {
    let mut failures = Vec::new();
    for e in EXPECTED {
        let path = format!("{BAD}/{}", e.file);
        let out = sitdash(&["check", &path]);
        let found = diagnostics(&path, &out);
        let Some((line, column, message)) = found.first() else {
            failures.push(format!("{path}: no diagnostic"));
            continue;
        };
        if (*line, *column) != (e.line, e.column) {
            failures.push(format!("{path}: at {line}:{column}, expected {}:{} ({message})", e.line, e.column));
        }
        if !message.contains(e.message) {
            failures.push(format!("{path}: message {message:?} does not contain {:?}", e.message));
        }
        if found.len() != e.problems {
            failures.push(format!("{path}: {} problems, expected {}: {found:?}", found.len(), e.problems));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn both_places_of_a_part_of_cycle_are_reported() {
    let path = format!("{BAD}/place_part_of_cycle.json");
    let found = diagnostics(&path, &sitdash(&["check", &path]));
    let positions: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(positions, [(4, 46), (5, 46)]);
    assert!(found[1].2.contains("place `province` ends up inside itself"));
}

#[test]
fn the_default_data_set_checks_clean() {
    let out = sitdash(&["check", "data/idlib-2020-02.json"]);
    assert_no_panic("default data", &out);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}\nstderr:\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).starts_with("ok: 1 file(s), 95 records, no problems"), "{}", stdout(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_missing_file_is_one_line_and_exit_1() {
    let out = sitdash(&["check", "tests/fixtures/no-such-file.json"]);
    assert_no_panic("missing file", &out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "tests/fixtures/no-such-file.json:1:1: no such file; check the path\n");
    assert_eq!(stderr(&out), "1 problem(s)\n");
}

#[test]
fn a_directory_is_one_line_and_exit_1() {
    let out = sitdash(&["check", "tests/fixtures"]);
    assert_no_panic("directory", &out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "tests/fixtures:1:1: is a directory; name the situation files inside it instead\n");
    assert_eq!(stderr(&out), "1 problem(s)\n");
}

#[test]
fn check_without_files_is_a_usage_error() {
    let out = sitdash(&["check"]);
    assert_no_panic("no args", &out);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("Usage: sitdash check <FILES>..."), "{}", stderr(&out));
}

#[test]
fn a_bom_and_crlf_line_ends_load_clean() {
    let path = format!("{GOOD}/bom_crlf.json");
    let raw = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).expect("fixture");
    assert!(raw.starts_with(b"\xef\xbb\xbf{\r\n"), "the fixture must keep its BOM and CRLF line ends");
    let out = sitdash(&["check", &path]);
    assert_no_panic(&path, &out);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}", stdout(&out));
    assert_eq!(stdout(&out), "ok: 1 file(s), 4 records, no problems\n");

    let out = sitdash(&["summary", "--json", &path]);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", stderr(&out));
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("summary JSON");
    assert_eq!(summary["title"], "Saved on Windows, with a byte-order mark");
    assert_eq!(summary["killed"]["by_group"]["civilians"]["best"], 1);
}

#[test]
fn positions_after_a_bom_and_crlf_count_from_the_first_real_character() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("bom_crlf_bad.json");
    // Line 3 has the problem; the BOM takes no column and `\r` ends no line by itself.
    let text = "\u{feff}{\r\n  \"format\": \"sitdash/1\",\r\n  \"places\": [{\"id\": \"town\", \"name\": \"Bağlar\", \"lat\": 95.0, \"lon\": 1.0}]\r\n}\r\n";
    fs::write(&path, text).expect("write the temporary fixture");
    let path = path.to_str().expect("a UTF-8 path");
    let out = sitdash(&["check", path]);
    assert_eq!(out.status.code(), Some(1));
    let found = diagnostics(path, &out);
    assert_eq!(found.len(), 1, "{found:?}");
    // `  "places": [{"id": "town", "name": "Bağlar", ` is 46 characters (ğ is one).
    assert_eq!((found[0].0, found[0].1), (3, 47), "{found:?}");
    assert!(found[0].2.starts_with("latitude 95 is out of range"), "{found:?}");
}

#[test]
fn a_base_file_and_appended_json_lines_load_together() {
    let base = format!("{GOOD}/base.json");
    let extra = format!("{GOOD}/extra.jsonl");

    let out = sitdash(&["check", &base, &extra]);
    assert_no_panic("base + extra", &out);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}", stdout(&out));
    // 10 records in the base, 4 in the lines (a place, a claim and two bare events).
    assert_eq!(stdout(&out), "ok: 2 file(s), 14 records, no problems\n");

    let out = sitdash(&["summary", "--json", &base, &extra]);
    assert_no_panic("summary", &out);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{}", stderr(&out));
    let s: Value = serde_json::from_str(&stdout(&out)).expect("summary JSON");
    assert_eq!(s["title"], "Fixture valley, one week");
    assert_eq!(s["as_of"], "2020-03-07");
    // The clash (base), the shelling and the planned talks (both from the lines file; the talks
    // line starts with `"place": "mill"` and must still be read as a bare event).
    assert_eq!(s["events"], 3);
    // 4 militia (exact) + at least 2 civilians from the appended shelling; the talks count nothing.
    assert_eq!(s["killed"]["best"], 6);
    assert_eq!(s["killed"]["lower_bound"], true);
    assert_eq!(s["killed"]["high"], Value::Null);
    assert_eq!(s["killed"]["by_group"]["militia"]["best"], 4);
    assert_eq!(s["killed"]["by_group"]["militia"]["lower_bound"], false);
    assert_eq!(s["killed"]["by_group"]["civilians"]["best"], 2);
    assert_eq!(s["killed"]["by_group"]["civilians"]["lower_bound"], true);
    assert_eq!(s["displacement"][0]["series"], "valley-left");
    assert_eq!(s["displacement"][0]["best"], 1200);
}

#[test]
fn an_id_clash_between_files_names_both_positions() {
    let base = format!("{GOOD}/base.json");
    let clash = "tests/fixtures/pair/clash.jsonl";
    let out = sitdash(&["check", &base, clash]);
    assert_no_panic("clash", &out);
    assert_eq!(out.status.code(), Some(1));
    let found = diagnostics(clash, &out);
    assert_eq!(found.len(), 1, "{found:?}");
    let (line, column, message) = &found[0];
    // The `"id"` of the second line's event, and the `"id"` of the base's event on line 22.
    assert_eq!((*line, *column), (2, 2));
    assert_eq!(
        message,
        "duplicate event id `v-clash` (first defined at tests/fixtures/good/base.json:22:6); give each event its own id"
    );
    // In the other order, the base's event is the second definition.
    let out = sitdash(&["check", clash, &base]);
    assert_eq!(out.status.code(), Some(1));
    let found = diagnostics(&base, &out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (22, 6));
    assert!(found[0].2.contains("(first defined at tests/fixtures/pair/clash.jsonl:2:2)"), "{found:?}");
}

// ---------------------------------------------------------------------------------------------
// `summary` over a window and a filter, as text

#[test]
fn summary_text_as_of_since_and_filter() {
    // The embedded data set as of its own date: 11 events occurred by 7 Feb (the Ankara talks
    // are announced for the 8th); 5 + 3 + 13+ + 10+ killed.
    let whole = stdout(&sitdash(&["summary"]));
    assert!(
        whole.starts_with(
            "Idlib, early February 2020 (as of 7 Feb 2020)\n\
             11 events\n\
             Killed: 31+\n  \
             civilians                    13+\n  \
             Syrian government forces     13+\n  \
             Turkish armed forces         5\n\
             Injured: 0\n\
             Displaced:\n  \
             not double counted: ~586,000 (from ocha-nw-syria-since-dec)\n  \
             ~586,000 since 1 Dec 2019, as of 2 Feb 2020 (North-west Syria; claim c-displaced-586k)\n    \
             ~110,000, as of 7 Feb 2020 (Saraqeb; claim c-saraqeb-fled)\n\
             Observation posts: 14 (10 established, 1 under construction, 3 encircled)\n"
        ),
        "{whole}"
    );
    assert!(
        whole.contains("\n  Saraqeb: Tell Touqan [encircled], New Turkish positions at Saraqeb [established]\n"),
        "{whole}"
    );

    // As of 4 Feb: the 3 Feb event and the six known only to the week of 3 Feb; Tell Touqan
    // was not yet encircled and Saraqeb's flight not yet reported.
    let as_of = stdout(&sitdash(&["summary", "--as-of", "2020-02-04"]));
    assert!(
        as_of.starts_with(
            "Idlib, early February 2020 (as of 4 Feb 2020)\n\
             7 events\n\
             Killed: 21+\n  \
             civilians                    3\n  \
             Syrian government forces     13+\n  \
             Turkish armed forces         5\n\
             Injured: 0\n\
             Displaced:\n  \
             not double counted: ~586,000 (from ocha-nw-syria-since-dec)\n  \
             ~586,000 since 1 Dec 2019, as of 2 Feb 2020 (North-west Syria; claim c-displaced-586k)\n\
             Observation posts: 14 (11 established, 1 under construction, 2 encircled)\n"
        ),
        "{as_of}"
    );
    assert!(as_of.contains("\n  Saraqeb: Tell Touqan [established],"), "{as_of}");

    // Since 6 Feb: the week's events may have happened then and count; the 3 Feb deaths do not.
    let since = stdout(&sitdash(&["summary", "--since", "2020-02-06"]));
    assert!(
        since.starts_with(
            "Idlib, early February 2020 (as of 7 Feb 2020)\n\
             8 events\n\
             Killed: 26+\n  \
             civilians                    13+\n  \
             Syrian government forces     13+\n\
             Injured: 0\n"
        ),
        "{since}"
    );

    // A filter narrows the events counted; the posts stay (they are not events).
    let filtered = stdout(&sitdash(&["summary", "--filter", "kind:shelling"]));
    assert!(
        filtered.starts_with(
            "Idlib, early February 2020 (as of 7 Feb 2020)\n\
             4 events\n\
             Killed: 21+\n  \
             civilians                    3\n  \
             Syrian government forces     13+\n  \
             Turkish armed forces         5\n"
        ),
        "{filtered}"
    );
    let both = sitdash(&["summary", "--json", "--since", "2020-02-06", "--filter", "kind:shelling"]);
    let s: Value = serde_json::from_str(&stdout(&both)).expect("summary JSON");
    // The week's two shellings (3 civilians, 13+ soldiers); Saraqeb's, on 5 Feb, is before.
    assert_eq!((s["events"].as_u64(), s["killed"]["best"].as_u64()), (Some(2), Some(16)), "{s}");
    assert_eq!(s["killed"]["lower_bound"], true);

    let bad = sitdash(&["summary", "--filter", "kind:nonsense"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).starts_with("sitdash: bad filter: kind:nonsense\n"), "{}", stderr(&bad));
}

// ---------------------------------------------------------------------------------------------
// `events` as a table, JSON and CSV

#[test]
fn events_as_a_table_lists_the_matching_events_and_counts_them() {
    let out = sitdash(&["events", "--filter", "kind:shelling"]);
    assert_no_panic("events", &out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    assert_eq!(
        lines,
        [
            "date           status    kind                          place              killed  summary",
            "2020-02-03     occurred  shelling_artillery_missile_…  Idlib governorate  5       Government mortar fire kills Turkish soldiers; the toll changed as reports came…",
            "wk 2020-02-03  occurred  shelling_artillery_missile_…  Idlib governorate  3       Government shelling kills three civilians",
            "wk 2020-02-03  occurred  shelling_artillery_missile_…  Idlib governorate  13+     Turkish return fire kills Syrian government troops",
            "2020-02-05     occurred  shelling_artillery_missile_…  Saraqeb                    Turkish position in Saraqeb shells government forces to avoid encirclement",
            "4 of 12 events",
        ]
    );
}

#[test]
fn events_filtered_by_post_find_the_posts_events_notes_tell_of() {
    // The fixture has no posts of its own: the Morek post is read from three events' notes
    // (the table does not show claims, but a post: term needs the notes read).
    let out = sitdash(&["events", "--filter", "post:morek", "tests/fixtures/extract/notes_acled.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("2020-")).collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows.iter().all(|r| r.contains("Morek")), "{text}");
    assert_eq!(text.lines().last(), Some("3 of 5 events"));
}

#[test]
fn events_read_the_notes_only_when_what_they_tell_can_show() {
    // A table or CSV of events shows no claim and no post: the notes are not read (no note
    // says so, and a million notes are not searched for nothing), whatever else the filter
    // asks. JSON writes claims, and `source:` and `post:` terms (the test above) select by
    // what notes tell: there they are read, and said.
    let file = "tests/fixtures/extract/notes_acled.csv";
    let said = "note: read 3 post status change(s) and 1 casualty claim(s) from events' notes (1 new post(s))";
    for args in [&["events", "--filter", "killed>0"][..], &["events", "--format", "csv"]] {
        let out = sitdash(&[args, &[file]].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(!stderr(&out).contains("events' notes"), "{args:?}: {}", stderr(&out));
    }
    for args in [&["events", "--format", "json"][..], &["events", "--filter=-source:zzz"]] {
        let out = sitdash(&[args, &[file]].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stderr(&out).lines().any(|l| l == said), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn events_as_csv_carry_the_count_and_whether_it_is_a_floor() {
    let out = sitdash(&["events", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("a header").iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "date",
            "precision",
            "status",
            "kind",
            "place",
            "by",
            "against",
            "killed",
            "killed_best",
            "lower_bound",
            "summary"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert_eq!(rows.len(), 12);
    let row = |id: &str| rows.iter().find(|r| &r[0] == id).unwrap_or_else(|| panic!("no row {id}:\n{text}"));
    let killed = |id: &str| {
        let r = row(id);
        (r[8].to_string(), r[9].to_string(), r[10].to_string())
    };
    // An exact toll, a floor ("at least 10"), and an event with no killed figure at all.
    assert_eq!(killed("idl-20200203-tk-soldiers-killed"), ("5".into(), "5".into(), "false".into()));
    assert_eq!(killed("idl-20200206-idlib-city-strikes"), ("10+".into(), "10".into(), "true".into()));
    assert_eq!(killed("idl-20200205-tell-touqan-encircled"), (String::new(), String::new(), String::new()));
    let r = row("idl-2020w06-joint-patrols-off");
    assert_eq!(
        (&r[1], &r[2], &r[3], &r[6]),
        ("wk 2020-02-03", "week", "occurred", "Turkish armed forces; Russian armed forces")
    );
    assert_eq!(&r[11], "Joint Turkish-Russian patrols in the north-east called off, blamed on weather");
    assert_eq!(&row("idl-20200208-ankara-talks")[3], "announced");
}

#[test]
fn events_as_json_carry_each_figure_with_its_bounds() {
    let out = sitdash(&["events", "--format", "json", "--filter", "killed>0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let list: Value = serde_json::from_str(&stdout(&out)).expect("a JSON list");
    let list = list.as_array().expect("a list");
    let ids: Vec<&str> = list.iter().map(|e| e["id"].as_str().expect("an id")).collect();
    assert_eq!(
        ids,
        [
            "idl-20200203-tk-soldiers-killed",
            "idl-2020w06-civilians-shelled",
            "idl-2020w06-tk-retaliation",
            "idl-20200206-idlib-city-strikes"
        ]
    );
    let retaliation = &list[2];
    assert_eq!(retaliation["killed"], serde_json::json!({"best": 13, "low": 13, "high": null, "lower_bound": true}));
    assert_eq!((&retaliation["date"], &retaliation["end"]), (&Value::from("2020-02-03"), &Value::from("2020-02-09")));
    assert_eq!(retaliation["precision"], "week");
    assert_eq!(list[0]["killed"], serde_json::json!({"best": 5, "low": 5, "high": 5, "lower_bound": false}));
    assert_eq!(list[0]["place"], "idlib-governorate");
    assert_eq!(list[0]["place_name"], "Idlib governorate");
    assert_eq!(list[0]["acled_event_type"], "Explosions/Remote violence");
    assert_eq!(list[0]["claims"], serde_json::json!(["c-tk-soldiers-tna", "c-tk-civilian-mod"]));
}

// ---------------------------------------------------------------------------------------------
// `gen` and `bench`

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitdash-cli-{name}-{}", std::process::id()));
    fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

#[test]
fn gen_writes_the_same_file_for_the_same_seed_and_every_format_loads() {
    let dir = temp_dir("gen");
    for (format, file) in [("acled", "g.csv"), ("ucdp", "g.ucdp.csv"), ("jsonl", "g.jsonl")] {
        let path = dir.join(file);
        let path = path.to_str().expect("a UTF-8 path");
        let out = sitdash(&["gen", "--events", "40", "--seed", "7", "--format", format, "-o", path]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let again = sitdash(&["gen", "--events", "40", "--seed", "7", "--format", format]);
        assert_eq!(again.stdout, fs::read(path).expect("written"), "{format}: the same seed gives the same bytes");
        let other = sitdash(&["gen", "--events", "40", "--seed", "8", "--format", format]);
        assert_ne!(other.stdout, again.stdout, "{format}: another seed gives another file");

        let s = sitdash(&["summary", "--json", path]);
        assert_eq!(s.status.code(), Some(0), "{format}: {}", stderr(&s));
        let s: Value = serde_json::from_str(&stdout(&s)).expect("summary JSON");
        let events = sitdash(&["events", "--format", "json", path]);
        let events: Value = serde_json::from_str(&stdout(&events)).expect("events JSON");
        assert_eq!(events.as_array().map(Vec::len), Some(40), "{format}: every generated event loads");
        assert!(s["killed"]["best"].as_u64().is_some_and(|n| n > 0), "{format}: {s}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn bench_measures_a_tiny_generated_file() {
    let dir = temp_dir("bench");
    let path = dir.join("tiny.csv");
    let path = path.to_str().expect("a UTF-8 path");
    assert_eq!(sitdash(&["gen", "--events", "30", "--seed", "2", "-o", path]).status.code(), Some(0));
    let out = sitdash(&["bench", path]);
    assert_no_panic("bench", &out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = stdout(&out);
    let prefixes = [
        "file ",
        "events ",
        "load ",
        "  of which ",
        "notes reader ",
        "index+first view ",
        "first frame ",
        "filter keystroke p50 ",
        "  slowest        ",
        "places, types  over all events: places ranked p50 ",
        "trend and map   over all events: trend p50 ",
        "key+frame 140x40 p50 ",
        "key+frame 160x45 p50 ",
        "memory ",
        "issue table ",
        "post detail ",
        "export 30 rows  csv ",
        "report ",
        "append 1 line ",
    ];
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), prefixes.len(), "{report}");
    for (line, prefix) in lines.iter().zip(prefixes) {
        assert!(line.starts_with(prefix), "`{prefix}`: {report}");
    }
    assert!(report.contains("events          30 (read 30, loaded 30, skipped 0)"), "{report}");
    // Each query typed and erased key by key.
    let keystrokes: usize = 2 * sitdash::cli::bench::QUERIES.iter().map(|q| q.chars().count()).sum::<usize>();
    assert!(report.contains(&format!("({keystrokes} keystrokes)")), "{report}");
    assert!(report.contains("(200 frames)"), "{report}");
    assert!(report.contains("(200 frames; trend and map on screen)"), "{report}");
    // The post with the longest history, opened, scrolled and taken to its end.
    assert!(report.contains(" changes (") && report.contains(", to the end "), "{report}");
    assert!(report.contains("reading ") && report.contains("parsing ") && report.contains("indexing "), "{report}");
    // The notes reader's cost: rows, what passed the prefilter, what it found.
    assert!(report.contains("notes reader") && report.contains(" over 30 rows "), "{report}");
    assert!(report.contains("passed the prefilter and read; found "), "{report}");

    let missing = sitdash(&["bench", "tests/fixtures/no-such-file.csv"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).starts_with("sitdash: "), "{}", stderr(&missing));
    let _ = fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------------------------
// A closed pipe

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // `sitdash check big | head` and `sitdash events big | head`: far more than a pipe holds,
    // and the reader gone after the first byte. No panic, no message about the pipe.
    let dir = temp_dir("pipe");
    let lines = dir.join("many.jsonl");
    fs::write(&lines, "{\"id\": \"e\"}\n".repeat(20_000)).expect("write");
    let lines = lines.to_str().expect("a UTF-8 path");
    let events = dir.join("many.csv");
    let events = events.to_str().expect("a UTF-8 path");
    assert_eq!(sitdash(&["gen", "--events", "3000", "-o", events]).status.code(), Some(0));
    for args in [vec!["check", lines], vec!["events", "--format", "csv", events]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitdash"))
            .args(&args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUST_BACKTRACE")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        let mut first = [0u8; 1];
        std::io::Read::read_exact(child.stdout.as_mut().expect("stdout"), &mut first).expect("some output");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("ends");
        let err = stderr(&out);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn check_lists_odd_rows_as_warnings_with_positions_and_exits_zero() {
    let file = "tests/fixtures/import/ucdp_hdx.csv";
    let out = sitdash(&["check", file]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(&format!("warning: {file}:7:189: UCDP's low (44) is above its best (40); kept, best counted [UCDP low above best]").as_str()), "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("warning: {file}:8:")) && l.contains("high (0) is below its best (35)")),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("warning: 2 records kept as the source gives them")
            && l.contains("1 UCDP low above best, 1 UCDP high below best")),
        "{text}"
    );
    assert!(lines.iter().any(|l| l.starts_with(&format!("note: {file}:2:1: an HXL hashtag row"))), "{text}");
    assert_eq!(lines.last(), Some(&"ok: 1 file(s), 5 records, no problems; 2 warnings"));
    // The summary says so too, on standard error, and counts UCDP's best.
    let out = sitdash(&["summary", file]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("warning: 2 records kept as the source gives them"), "{}", stderr(&out));
}

/// The other odd-but-readable checks, in an ACLED and a UCDP file of our own: coordinates
/// outside the row's country (with the likely mistake), a date after the row's own timestamp
/// or after the as-of date, and an id reused for a row with other content. Every line is
/// exact; the rows all load, and check exits 0.
#[test]
fn check_warns_of_misplaced_points_late_dates_and_reused_ids_with_a_count_per_kind() {
    let acled = "tests/fixtures/import/acled_odd.csv";
    let out = sitdash(&["check", "--as-of", "2024-06-30", acled]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = [
        format!("note: {acled}:7:1: row repeats event `KEN9001` of line 6 with identical content; imported once"),
        format!(
            "warning: {acled}:3:122: the coordinates (-1.1, -39.95) lie outside Kenya (longitude sign flipped?); kept \
             as given [coordinates outside the country]"
        ),
        format!(
            "warning: {acled}:4:9: event_date 2024-05-20 is after the row's timestamp, 2024-05-06, when the source \
             last changed the row; kept as given [date after the row's timestamp]"
        ),
        format!(
            "warning: {acled}:5:9: event_date 2024-07-10 is after the as-of date, 2024-06-30; kept as given [date \
             after the as-of date]"
        ),
        format!(
            "warning: {acled}:6:1: event id `KEN9001` is already used by the row at line 2, whose content differs; \
             loaded as `KEN9001#2`; kept as given [reused id]"
        ),
        "warning: 4 records kept as the source gives them, flagged on each event: 1 coordinates outside the country, \
         1 date after the row's timestamp, 1 date after the as-of date, 1 reused id"
            .to_string(),
        "ok: 1 file(s), 6 records, no problems; 4 warnings".to_string(),
    ];
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), expected);
    // Without --as-of the as-of date is today, which July 2024 is not after.
    let out = sitdash(&["check", acled]);
    assert_eq!(stdout(&out).lines().last(), Some("ok: 1 file(s), 6 records, no problems; 3 warnings"));

    let ucdp = "tests/fixtures/import/ucdp_odd.csv";
    let out = sitdash(&["check", "--as-of", "2024-06-30", ucdp]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = [
        format!(
            "warning: {ucdp}:3:113: the coordinates (2.2, 15.58) lie outside Mali (latitude and longitude swapped?); \
             kept as given [coordinates outside the country]"
        ),
        format!(
            "warning: {ucdp}:4:148: date_end 2024-07-03 is after the as-of date, 2024-06-30; kept as given [date after \
             the as-of date]"
        ),
        format!(
            "warning: {ucdp}:5:1: id `7001` is already used by the row at line 2, whose content differs; loaded as \
             `ucdp-7001#2`; kept as given [reused id]"
        ),
        "warning: 3 records kept as the source gives them, flagged on each event: 1 coordinates outside the country, \
         1 date after the as-of date, 1 reused id"
            .to_string(),
        "ok: 1 file(s), 4 records, no problems; 3 warnings".to_string(),
    ];
    assert_eq!(stdout(&out).lines().collect::<Vec<_>>(), expected);
}
