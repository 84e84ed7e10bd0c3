//! `sitdash report`: its figures are `summary --json`'s for the same arguments, exactly (on
//! the Idlib data, on ACLED-shaped files); the HTML is well-formed and holds the SVG chart;
//! the Markdown says what a desk officer needs (period, filter, certainty, caveats).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use sitdash::cli::shared::{selected_events, window};
use sitdash::domain::model::{Day, Situation};
use sitdash::domain::query::{Query, QueryContext};
use sitdash::domain::report::{Report, to_html, to_markdown};
use sitdash::domain::summary::figures_json;
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::{load_paths, load_str};

fn sitdash(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sitdash"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the sitdash binary runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitdash-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// The arguments both commands take: files, then `--filter`, `--as-of`, `--since`.
struct Args<'a> {
    files: &'a [&'a str],
    filter: Option<&'a str>,
    as_of: Option<&'a str>,
    since: Option<&'a str>,
}

impl Args<'_> {
    fn command_line(&self, command: &str) -> Vec<String> {
        let mut v = vec![command.to_string()];
        v.extend(self.files.iter().map(ToString::to_string));
        for (flag, value) in [("--filter", self.filter), ("--as-of", self.as_of), ("--since", self.since)] {
            if let Some(value) = value {
                v.push(flag.into());
                v.push(value.into());
            }
        }
        v
    }
}

fn load(files: &[&str]) -> Situation {
    let mut sit = if files.is_empty() {
        load_str(sitdash::DEFAULT_DATA_NAME, sitdash::DEFAULT_DATA, LoadOptions::default()).expect("loads").0
    } else {
        // Relative as the binary is given them (tests run from the crate root), so titles agree.
        let paths: Vec<&Path> = files.iter().map(Path::new).collect();
        load_paths(&paths, LoadOptions::default()).expect("the fixture loads").0
    };
    // As the binary loads: with what events' notes say of posts and casualties.
    sitdash::ingest::extract::notes::apply(&mut sit);
    sit
}

/// Builds the report in the library for `args`, runs `summary --json` with the same
/// arguments, and asserts that every figure is the same.
fn assert_report_matches_summary(args: &Args<'_>) {
    let sit = load(args.files);
    let query = match args.filter {
        Some(text) => Query::parse(text, &QueryContext { sit: &sit, today: sit.as_of }).expect("a good filter"),
        None => Query::default(),
    };
    let day = |d: Option<&str>| d.map(|d| Day::parse(d).expect("a good date"));
    let window = window(&sit, &query, day(args.as_of), day(args.since));
    let events = selected_events(&sit, &query);
    let report = Report::build(&sit, &events, window, args.filter);
    let ours = figures_json(&sit, &report.figures, window);

    let cli: Vec<String> = args.command_line("summary").into_iter().chain(["--json".to_string()]).collect();
    let out = sitdash(&cli.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "summary failed: {}", String::from_utf8_lossy(&out.stderr));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("summary prints JSON");
    assert_eq!(ours, summary, "report and summary disagree for {cli:?}");

    // The headline rows the report writes are those figures, total first.
    let killed = &summary["killed"];
    assert_eq!(report.killed[0].tally.best, killed["best"].as_u64().unwrap());
    assert_eq!(report.killed[0].tally.lower_bound, killed["lower_bound"].as_bool().unwrap());
    assert_eq!(report.killed.len() - 1, killed["by_group"].as_object().unwrap().len());
    assert_eq!(report.injured[0].tally.best, summary["injured"]["best"].as_u64().unwrap());

    // And the report the binary writes for those arguments shows them.
    let out = sitdash(&args.command_line("report").iter().map(String::as_str).collect::<Vec<_>>());
    assert!(out.status.success(), "report failed: {}", String::from_utf8_lossy(&out.stderr));
    let md = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(md, to_markdown(&sit, &report), "the binary writes the library's report");
    assert!(md.contains(&format!("| Killed | {} |", report.killed[0].tally.display())), "{md}");
    assert!(md.contains(&format!("{} events in the period", report.figures.in_window)), "{md}");
}

#[test]
fn report_figures_equal_summary_json_on_the_idlib_data() {
    for args in [
        Args { files: &[], filter: None, as_of: None, since: None },
        Args { files: &[], filter: None, as_of: Some("2020-02-05"), since: None },
        Args { files: &[], filter: None, as_of: None, since: Some("2020-02-04") },
        Args { files: &[], filter: Some("civilians"), as_of: None, since: None },
        Args { files: &[], filter: Some("saraqeb"), as_of: Some("2020-02-06"), since: Some("2020-02-01") },
    ] {
        assert_report_matches_summary(&args);
    }
}

#[test]
fn report_figures_equal_summary_json_on_acled_shaped_files() {
    assert_report_matches_summary(&Args {
        files: &["tests/fixtures/import/acled_current.csv"],
        filter: None,
        as_of: None,
        since: None,
    });
    // A larger ACLED-shaped file of our own making, over several weeks.
    let dir = temp_dir("acled");
    let file = dir.join("gen.csv");
    let out = sitdash(&["gen", "--events", "600", "--seed", "5", "--format", "acled", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sit = load(&[file.to_str().unwrap()]);
    let last = sit.as_of.expect("an as-of date");
    let since = last.add_days(-40).to_string();
    let path = file.to_str().unwrap();
    for args in [
        Args { files: &[path], filter: None, as_of: None, since: None },
        Args { files: &[path], filter: None, as_of: None, since: Some(&since) },
        Args { files: &[path], filter: Some("kind:battles"), as_of: None, since: Some(&since) },
    ] {
        assert_report_matches_summary(&args);
    }
    let _ = std::fs::remove_dir_all(dir);
}

fn idlib_report_texts(since: Option<&str>) -> (String, String) {
    let sit = load(&[]);
    let query = Query::default();
    let window = window(&sit, &query, None, since.map(|d| Day::parse(d).unwrap()));
    let events = selected_events(&sit, &query);
    let report = Report::build(&sit, &events, window, None);
    (to_markdown(&sit, &report), to_html(&sit, &report))
}

#[test]
fn html_report_is_well_formed_and_holds_the_svg_chart() {
    use quick_xml::events::Event;
    let (_, html) = idlib_report_texts(Some("2020-01-20"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    let mut reader = quick_xml::Reader::from_str(&html);
    reader.config_mut().check_end_names = true;
    let (mut depth, mut svg, mut rects, mut in_svg) = (0i32, 0, 0, false);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                depth += 1;
                match e.name().0 {
                    "svg" => {
                        svg += 1;
                        in_svg = true;
                    }
                    "rect" if in_svg => rects += 1,
                    _ => {}
                }
            }
            Ok(Event::End(e)) => {
                depth -= 1;
                if e.name().0 == "svg" {
                    in_svg = false;
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("the HTML is not well-formed at {}: {err}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "every element is closed");
    assert_eq!(svg, 1, "one chart");
    // 20 Jan to 7 Feb 2020 covers three calendar weeks: one bar each.
    assert_eq!(rects, 3);
    assert!(html.contains("<h2>Caveats</h2>"));
}

#[test]
fn markdown_report_says_period_certainty_nesting_and_caveats() {
    let (md, _) = idlib_report_texts(Some("2020-02-01"));
    assert!(md.starts_with("# Idlib"), "{md}");
    assert!(md.contains("situation report, 1 Feb 2020 – 7 Feb 2020"), "{md}");
    // A floor stays a floor, and says so.
    assert!(md.contains("| Killed | 31+ | at least (a floor) | The New Arab"), "{md}");
    // The nested displacement figure is shown under its parent and never added.
    assert!(
        md.contains("Saraqeb (approximately, The New Arab; claim c-saraqeb-fled; part of the figure above, not added)")
    );
    assert!(md.contains("Displaced, not double counted: ~586,000"), "{md}");
    assert!(
        md.contains(
            "## Change against the previous period (1 Feb 2020 – 7 Feb 2020 against 25 Jan 2020 – 31 Jan 2020)"
        )
    );
    assert!(md.contains("| Tell Touqan | Saraqeb | established → encircled |"), "{md}");
    assert!(md.contains("## Caveats"));
    assert!(md.contains("second reports of an incident already counted"), "{md}");
    assert!(md.contains("figures were read from a source's words, e.g. \"five Turkish soldiers\""), "{md}");
}

#[test]
fn report_to_a_file_is_written_whole() {
    let dir = temp_dir("file");
    let file = dir.join("sitrep.html");
    let out = sitdash(&["report", "--format", "html", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.ends_with("</html>\n"));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left behind");
    let _ = std::fs::remove_dir_all(dir);
}
