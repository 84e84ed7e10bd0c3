//! Export from the view (`e`) and the report key (`r`), driven by key presses: the file holds
//! exactly the events shown (filter, place, as-of), in each format, written whole; an existing
//! file is replaced only after asking; and `sitdash events --format` writes the same bytes.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use crossterm::event::KeyCode;

use common::{default_app, draw, screen};
use sitdash::ingest::input::{InputFormat, LoadOptions};
use sitdash::ingest::load::load_paths;
use sitdash::tui::app::App;
use sitdash::tui::keymap::Mode;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitdash-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

/// Replaces the prompt's path with `path` as a person would: erase, then type.
fn type_path(app: &mut App, path: &Path) {
    let len = app.save.as_ref().expect("the prompt is open").path.chars().count();
    for _ in 0..len {
        app.press(KeyCode::Backspace);
    }
    app.type_text(path.to_str().unwrap());
}

fn shown_ids(app: &App) -> Vec<String> {
    app.shown.iter().map(|&i| app.sit.events[i as usize].id.to_string()).collect()
}

fn ids_in(path: &Path, format: InputFormat) -> Vec<String> {
    let (sit, report) = load_paths(&[path], LoadOptions { skip_invalid: false, format, ..LoadOptions::DEFAULT })
        .expect("the export loads");
    assert_eq!(report.skipped, 0);
    sit.events.iter().map(|e| e.id.to_string()).collect()
}

#[test]
fn export_of_a_filtered_narrowed_view_holds_exactly_its_rows_in_each_format() {
    let dir = temp_dir("formats");
    let mut app = default_app();
    app.press(KeyCode::Char('/'));
    app.type_text("-kind:strategic");
    app.press(KeyCode::Enter);
    app.press(KeyCode::Char('['));
    let view = shown_ids(&app);
    assert!(view.len() > 1 && view.len() < app.sit.events.len(), "a real subset: {view:?}");

    // The default name carries the view's date and the format's extension.
    app.press(KeyCode::Char('e'));
    assert_eq!(app.mode, Mode::SavePrompt);
    assert_eq!(app.save.as_ref().unwrap().path, "sitdash-2020-02-06.csv");
    let screen_text = screen(&draw(&mut app, 120, 30));
    assert!(screen_text.contains(&format!("Export {} events to sitdash-2020-02-06.csv", view.len())), "{screen_text}");
    assert!(screen_text.contains("ACLED-column CSV"), "{screen_text}");

    for (ext, format) in
        [("csv", InputFormat::Acled), ("jsonl", InputFormat::JsonLines), ("json", InputFormat::Situation)]
    {
        if ext != "csv" {
            app.press(KeyCode::Char('e'));
            for _ in 0..if ext == "jsonl" { 1 } else { 2 } {
                app.press(KeyCode::Tab);
            }
            assert!(app.save.as_ref().unwrap().path.ends_with(&format!(".{ext}")), "Tab changes the extension");
        }
        let file = dir.join(format!("view.{ext}"));
        type_path(&mut app, &file);
        app.press(KeyCode::Enter);
        assert_eq!(app.mode, Mode::Browse, "written at once: {:?}", app.save);
        let message = app.message.clone().unwrap_or_default();
        assert!(message.starts_with(&format!("wrote {} rows", view.len())), "{message}");
        assert!(message.ends_with(&format!("to {}", file.display())), "{message}");
        let mut written = ids_in(&file, format);
        let mut expected = view.clone();
        written.sort();
        expected.sort();
        assert_eq!(written, expected, "{ext} holds exactly the rows shown");
    }
    // Nothing but the three files: each was written beside itself, then renamed.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn export_of_a_place_narrowed_view_holds_only_that_place() {
    let dir = temp_dir("place");
    let mut app = default_app();
    let place = app.sit.places.iter().position(|p| p.name == "Saraqeb").expect("Saraqeb is a place");
    app.place = Some(place);
    app.refresh();
    let view = shown_ids(&app);
    assert_eq!(view.len(), 3, "{view:?}");
    app.press(KeyCode::Char('e'));
    app.press(KeyCode::Tab);
    let file = dir.join("saraqeb.jsonl");
    type_path(&mut app, &file);
    app.press(KeyCode::Enter);
    assert_eq!(ids_in(&file, InputFormat::JsonLines), view);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_existing_file_is_replaced_only_after_asking() {
    let dir = temp_dir("ask");
    let file = dir.join("kept.csv");
    std::fs::write(&file, "precious\n").unwrap();
    let mut app = default_app();
    app.press(KeyCode::Char('e'));
    type_path(&mut app, &file);
    app.press(KeyCode::Enter);
    assert_eq!(app.mode, Mode::Confirm);
    let text = screen(&draw(&mut app, 120, 30));
    assert!(text.contains("exists: y replaces it, n goes back"), "{text}");
    app.press(KeyCode::Char('n'));
    assert_eq!(app.mode, Mode::SavePrompt);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious\n", "n keeps the file");
    app.press(KeyCode::Esc);
    assert_eq!(app.mode, Mode::Browse);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious\n", "Esc writes nothing");

    app.press(KeyCode::Char('e'));
    type_path(&mut app, &file);
    app.press(KeyCode::Enter);
    app.press(KeyCode::Char('y'));
    assert_eq!(app.mode, Mode::Browse);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("event_id_cnty,"), "y replaced it");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left behind");

    // A path that cannot be written says why and keeps the prompt open.
    app.press(KeyCode::Char('e'));
    type_path(&mut app, &dir.join("no-such-dir").join("x.csv"));
    app.press(KeyCode::Enter);
    assert_eq!(app.mode, Mode::SavePrompt);
    assert!(app.save.as_ref().unwrap().error.as_deref().unwrap_or("").starts_with("cannot write"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_dashboard_and_events_format_write_the_same_bytes() {
    let dir = temp_dir("same");
    let mut app = default_app();
    app.press(KeyCode::Char('/'));
    app.type_text("saraqeb");
    app.press(KeyCode::Enter);
    app.press(KeyCode::Char('e'));
    app.press(KeyCode::Tab);
    let file = dir.join("view.jsonl");
    type_path(&mut app, &file);
    app.press(KeyCode::Enter);
    let out = Command::new(env!("CARGO_BIN_EXE_sitdash"))
        .args(["events", "--filter", "saraqeb", "--format", "jsonl"])
        .output()
        .expect("sitdash runs");
    assert!(out.status.success());
    assert_eq!(std::fs::read(&file).unwrap(), out.stdout);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_report_key_writes_the_views_report() {
    let dir = temp_dir("report");
    let mut app = default_app();
    app.press(KeyCode::Char('/'));
    app.type_text("saraqeb");
    app.press(KeyCode::Enter);
    app.press(KeyCode::Char('r'));
    assert_eq!(app.save.as_ref().unwrap().path, "sitrep-2020-02-07.md");
    app.press(KeyCode::Tab);
    let file = dir.join("sitrep.html");
    type_path(&mut app, &file);
    app.press(KeyCode::Enter);
    assert_eq!(app.mode, Mode::Browse);
    let html = std::fs::read_to_string(&file).expect("written");
    assert!(html.contains("situation report, up to 7 Feb 2020, filter saraqeb"), "{html}");
    assert!(html.contains("<svg"));
    assert!(app.message.as_deref().unwrap_or("").starts_with(&format!("report on {} events", app.shown.len())));
    let _ = std::fs::remove_dir_all(dir);
}

/// The ACLED-column export's `source` is the publishers of the claims that the event happened,
/// each once, in their order: several for one of our events, the row's own for an imported one.
#[test]
fn an_acled_export_names_the_sources_of_each_event() {
    use sitdash::ingest::export::{EventFormat, write_events};
    let sources = |files: &[&str]| {
        let (sit, _) = load_paths(files, LoadOptions::DEFAULT).expect("loads");
        let all: Vec<u32> = (0..sit.events.len() as u32).collect();
        let mut out = Vec::new();
        write_events(&mut out, &sit, &all, EventFormat::Acled).expect("written");
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let column = reader.headers().unwrap().iter().position(|h| h == "source").expect("a source column");
        reader.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[column].to_string())).collect::<Vec<_>>()
    };
    let ours = sources(&["data/idlib-2020-02.json"]);
    let of = |rows: &[(String, String)], id: &str| rows.iter().find(|(i, _)| i == id).map(|(_, s)| s.clone());
    assert_eq!(
        of(&ours, "idl-20200205-tell-touqan-encircled").as_deref(),
        Some("sitdash reference notes; The New Arab; sitdash coders")
    );
    assert_eq!(of(&ours, "idl-20200206-saraqeb-taken").as_deref(), Some("The New Arab"));

    let fixture = "tests/fixtures/import/acled_current.csv";
    let imported = sources(&[fixture]);
    let mut given = csv::Reader::from_path(fixture).expect("the fixture");
    let column = given.headers().unwrap().iter().position(|h| h == "source").expect("a source column");
    let given: Vec<(String, String)> =
        given.records().map(|r| r.unwrap()).map(|r| (r[0].to_string(), r[column].to_string())).collect();
    assert_eq!(imported.len(), 5, "{imported:?}");
    for (id, source) in &imported {
        assert_eq!(of(&given, id).as_ref(), Some(source), "{id}");
    }
}
