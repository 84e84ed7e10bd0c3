//! Hostile input: text that tries to drive the terminal, mangled files in strict and lenient
//! mode, files as they come (deep nesting, one huge line, a huge field). Never a panic, never
//! a control sequence from data on the wire, nothing lost without a word.

use std::process::Command;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use serde_json::json;
use sitdash::domain::text::{clean, clean_in_place, is_clean};
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::{load_paths, load_str};
use sitdash::tui::app::App;

const HOSTILE: &[&str] = &[
    "\u{1b}[2J\u{1b}[31mred and cleared",
    "\u{1b}]52;c;aGVsbG8gY2xpcGJvYXJk\u{7}clipboard write",
    "\u{1b}]0;new window title\u{1b}\\title",
    "\u{202e}evil.exe\u{202c} bidi override",
    "zero\u{200b}width\u{200d}joiner\u{feff}bom",
    "nul\u{0}byte and bell\u{7}",
    "carriage\rreturn and\nnew line\tand tab",
    "\u{9b}31m C1 control",
    "wide 漢字 and 🎉 emoji",
];

fn hostile_situation() -> String {
    let long = "x".repeat(20_000);
    let events: Vec<_> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, text)| {
            json!({
                "id": format!("e{i}"), "date": "2021-05-01", "kind": "armed_clash", "place": "p",
                "by": ["a"], "summary": text, "notes": format!("{text} {long}"), "claims": ["c"],
                "casualties": [{"group": "a", "outcome": "killed", "claims": ["c"], "chosen": "c"}],
            })
        })
        .collect();
    json!({
        "title": HOSTILE[1], "as_of": "2021-05-02",
        "sources": [{"id": "s", "publisher": HOSTILE[0]}],
        "actors": [{"id": "a", "name": HOSTILE[3]}],
        "places": [{"id": "p", "name": HOSTILE[2], "alt_names": [HOSTILE[4]], "lat": 1.0, "lon": 2.0}],
        "claims": [{"id": "c", "source": "s", "attributed_to": HOSTILE[5], "statement": HOSTILE[6], "count": {"best": 1, "raw": HOSTILE[7]}}],
        "events": events,
        "posts": [{"id": "post", "name": HOSTILE[8], "operator": "a", "place": "p", "history": [{"date": "2021-01-01", "status": "encircled", "claims": ["c"]}]}],
    })
    .to_string()
}

/// What must never reach a terminal from data: C0 and C1 controls and DEL, bidi controls,
/// zero-width characters, line and paragraph separators, the byte-order mark.
fn acts_on_a_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

#[test]
fn cleaning_turns_every_control_into_a_visible_harmless_character() {
    let expected = [
        "␛[2J␛[31mred and cleared",
        "␛]52;c;aGVsbG8gY2xpcGJvYXJk␇clipboard write",
        "␛]0;new window title␛\\title",
        "\u{fffd}evil.exe\u{fffd} bidi override",
        "zero\u{fffd}width\u{fffd}joiner\u{fffd}bom",
        "nul␀byte and bell␇",
        "carriage return and new line and tab",
        "\u{fffd}31m C1 control",
        "wide 漢字 and 🎉 emoji",
    ];
    for (text, want) in HOSTILE.iter().zip(expected) {
        let cleaned = clean(text);
        assert_eq!(cleaned, want, "clean({text:?})");
        assert!(!cleaned.chars().any(acts_on_a_terminal), "{cleaned:?}");
        assert!(is_clean(&cleaned), "cleaning twice changes nothing: {cleaned:?}");
        assert_eq!(is_clean(text), cleaned == *text, "is_clean({text:?})");
        let mut in_place = (*text).to_string();
        clean_in_place(&mut in_place);
        assert_eq!(in_place, want, "clean_in_place({text:?})");
    }
}

#[test]
fn the_printable_ascii_fast_path_ends_before_del() {
    // 0x20..=0x7e is left alone without a look at characters; DEL (0x7f) and 0x1f are not.
    let printable: String = (0x20u8..=0x7e).map(char::from).collect();
    assert!(is_clean(&printable));
    let mut text = printable.clone();
    clean_in_place(&mut text);
    assert_eq!(text, printable);
    for (raw, want) in [("del\u{7f}", "del␡"), ("us\u{1f}", "us␟"), ("\u{7f}", "␡"), ("\u{1b}\u{7}", "␛␇")] {
        assert!(!is_clean(raw), "{raw:?} is not clean");
        let mut text = raw.to_string();
        clean_in_place(&mut text);
        assert_eq!(text, want);
        assert_eq!(clean(raw), want);
    }
}

/// Every free-text field a situation file can hold, each ending in an ESC.
const DIRTY_FIELDS: &[&str] = &[
    "title",
    "description",
    "publisher",
    "source title",
    "url",
    "source note",
    "actor",
    "actor alt",
    "place",
    "place alt",
    "country",
    "admin1",
    "admin2",
    "place note",
    "attributed",
    "statement",
    "unit",
    "claim note",
    "raw",
    "summary",
    "notes",
    "series note",
    "post",
    "post alt",
    "framework",
    "post note",
    "history note",
];

#[test]
fn every_string_from_data_is_cleaned_at_load_time() {
    let d = |field: &str| {
        assert!(DIRTY_FIELDS.contains(&field), "{field}");
        format!("{field}\u{1b}[2J")
    };
    let text = json!({
        "title": d("title"), "description": d("description"), "as_of": "2021-05-02",
        "sources": [{"id": "s", "publisher": d("publisher"), "title": d("source title"), "url": d("url"), "note": d("source note")}],
        "actors": [{"id": "a", "name": d("actor"), "alt_names": [d("actor alt")]}],
        "places": [{"id": "p", "name": d("place"), "alt_names": [d("place alt")], "country": d("country"),
            "admin1": d("admin1"), "admin2": d("admin2"), "note": d("place note")}],
        "claims": [{"id": "c", "source": "s", "attributed_to": d("attributed"), "statement": d("statement"),
            "unit": d("unit"), "note": d("claim note"), "count": {"best": 1, "raw": d("raw")}}],
        "events": [{"id": "e", "date": "2021-05-01", "kind": "armed_clash", "place": "p", "summary": d("summary"),
            "notes": d("notes"), "claims": ["c"]}],
        "displacement": [{"id": "d", "area": "p", "source": "s", "kind": "stock",
            "values": [{"as_of": "2021-05-01", "claims": ["c"], "chosen": "c"}], "note": d("series note")}],
        "posts": [{"id": "post", "name": d("post"), "alt_names": [d("post alt")], "operator": "a", "place": "p",
            "framework": d("framework"), "note": d("post note"),
            "history": [{"date": "2021-01-01", "status": "held", "claims": ["c"], "note": d("history note")}]}],
    });
    let (sit, _) = load_str("dirty.json", &text.to_string(), LoadOptions::default()).expect("loads");
    let loaded = json!([
        sit.title,
        sit.description,
        sit.sources,
        sit.actors,
        sit.places,
        sit.claims,
        // As written out: the notes come from the note store.
        sit.events.iter().map(|e| sit.event_record(e)).collect::<Vec<_>>(),
        sit.displacement,
        sit.posts
    ]);
    let mut strings = Vec::new();
    let mut stack = vec![&loaded];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(s) => strings.push(s.as_str()),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(fields) => stack.extend(fields.values()),
            _ => {}
        }
    }
    for field in DIRTY_FIELDS {
        let want = format!("{field}␛[2J");
        assert!(strings.contains(&want.as_str()), "`{field}` was not cleaned: {strings:?}");
    }
    assert!(strings.iter().all(|s| !s.chars().any(acts_on_a_terminal)), "{strings:?}");
}

/// Every screen the app can show for the hostile data, drawn through crossterm into bytes.
fn wire_bytes(width: u16, height: u16) -> Vec<u8> {
    let (sit, _) = load_str("hostile.json", &hostile_situation(), LoadOptions::default()).expect("loads");
    let mut app = App::new(sit);
    let mut out = Vec::new();
    {
        let mut terminal = Terminal::with_options(
            CrosstermBackend::new(&mut out),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, width, height)),
            },
        )
        .expect("terminal");
        let mut draw = |app: &mut App| terminal.draw(|f| sitdash::tui::ui::render(f, app)).map(|_| ()).expect("draws");
        draw(&mut app);
        for key in [KeyCode::Enter, KeyCode::Down, KeyCode::Down, KeyCode::Esc, KeyCode::Down, KeyCode::Enter] {
            app.press(key);
            draw(&mut app);
        }
        app.press(KeyCode::Esc);
        for key in [KeyCode::Tab, KeyCode::Tab, KeyCode::Down, KeyCode::Enter] {
            app.press(key);
            draw(&mut app);
        }
        app.press(KeyCode::Esc);
        app.press(KeyCode::Char('?'));
        draw(&mut app);
    }
    out
}

/// ratatui itself drops a grapheme that holds a control character, so only what it lets
/// through is checked on the wire: bidi and zero-width characters (which it would write, as
/// parts of the cell before them), and ESC shown as its picture rather than dropped.
#[test]
fn on_the_wire_no_bidi_or_zero_width_character_and_esc_is_shown() {
    for (w, h) in [(140, 40), (40, 10)] {
        let bytes = wire_bytes(w, h);
        let text = String::from_utf8_lossy(&bytes);
        for bad in ['\u{202e}', '\u{202c}', '\u{200b}', '\u{200d}', '\u{feff}'] {
            assert!(!text.contains(bad), "{bad:?} reached the terminal at {w}x{h}");
        }
        assert!(text.contains('␛'), "ESC should show as a control picture at {w}x{h}");
    }
    let text = String::from_utf8_lossy(&wire_bytes(140, 40)).into_owned();
    for shown in ["␛[2J␛[31mred", "bell␇"] {
        assert!(text.contains(shown), "`{shown}` is not on the wire");
    }
}

#[test]
fn mangled_input_strict_refuses_with_every_problem_lenient_loads_the_rest() {
    let files = ["tests/fixtures/mangled/base.json", "tests/fixtures/mangled/events.jsonl"];
    let err = load_paths(&files, LoadOptions::default()).expect_err("strict refuses");
    let lines: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    for expected in [":2:30:", ":4:94:", ":9:2:", ":7:2:", ":5:59:", ":6:102:"] {
        assert!(lines.iter().any(|l| l.contains(expected)), "no problem at {expected}: {lines:#?}");
    }
    let (sit, report) =
        load_paths(&files, LoadOptions { skip_invalid: true, ..LoadOptions::default() }).expect("lenient");
    assert_eq!((report.read, report.loaded, report.skipped), (14, 8, 6));
    assert_eq!(report.read, report.loaded + report.skipped);
    assert_eq!(report.problems.len(), 6);
    let ids: Vec<&str> = sit.events.iter().map(|e| &*e.id).collect();
    assert_eq!(ids, ["e1", "e3", "e8", "e10"]);
}

#[test]
fn lenient_mode_on_the_command_line_says_what_it_skipped() {
    let out = Command::new(env!("CARGO_BIN_EXE_sitdash"))
        .args(["summary", "--skip-invalid", "tests/fixtures/mangled/base.json", "tests/fixtures/mangled/events.jsonl"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("read 14, loaded 8, skipped 6"), "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("skipped: tests/fixtures/mangled/events.jsonl:")).count(),
        6,
        "{stderr}"
    );
}

fn check(path: &std::path::Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sitdash")).arg("check").arg(path).output().expect("runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!text.contains("panicked") && !text.contains("RUST_BACKTRACE"), "{text}");
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn deep_nesting_and_one_huge_line_get_one_line_errors() {
    let dir = std::env::temp_dir().join(format!("sitdash-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let deep = dir.join("deep.json");
    std::fs::write(&deep, format!("{{\"events\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000))).expect("write");
    let (code, text) = check(&deep);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        text.lines().next(),
        Some(
            format!(
                "{}:1:13: this entry is an array; each entry of a list is one object {{…}} (see docs/FORMAT.md)",
                deep.display()
            )
            .as_str()
        ),
        "{text}"
    );
    let deeper = dir.join("deeper.json");
    std::fs::write(&deeper, "[".repeat(100_000)).expect("write");
    let (code, text) = check(&deeper);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        text.lines().next(),
        Some(
            format!(
                "{}:1:1: the file is an array; a situation file is one JSON object {{…}} (see docs/FORMAT.md)",
                deeper.display()
            )
            .as_str()
        ),
        "{text}"
    );

    // One problem per line: the first line lacks fields, the second is 100,000 brackets deep.
    let deep_line = dir.join("deep.jsonl");
    std::fs::write(&deep_line, format!("{{\"id\":\"a\"}}\n{}\n", "[".repeat(100_000))).expect("write");
    let (code, text) = check(&deep_line);
    assert_eq!(code, 1, "{text}");
    let name = deep_line.display();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{name}:1:10: missing field `date`; add it (see docs/FORMAT.md)").as_str(),
            format!("{name}:2:1: this line is an array; each line of a JSON Lines file is one object {{…}} (see docs/FORMAT.md)").as_str(),
            "2 problem(s)",
        ],
        "{text}"
    );

    let huge = dir.join("huge.json");
    std::fs::write(&huge, "x".repeat(16 << 20)).expect("write");
    let (code, text) = check(&huge);
    assert_eq!(code, 1, "{text}");
    assert_eq!(
        text.lines().next(),
        Some(
            format!(
                "{}:1:1: expected value: this is not valid JSON here; check the quotes, commas and brackets",
                huge.display()
            )
            .as_str()
        ),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fifty_megabyte_notes_field_loads_and_draws() {
    let notes = "word ".repeat(10 << 20);
    let text = json!({
        "places": [{"id": "p", "name": "P"}],
        "events": [{"id": "e", "date": "2021-01-01", "kind": "agreement", "place": "p", "summary": "A very long report", "notes": notes}],
    })
    .to_string();
    let (sit, _) = load_str("big.json", &text, LoadOptions::default()).expect("loads");
    let mut app = App::new(sit);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).expect("terminal");
    terminal.draw(|f| sitdash::tui::ui::render(f, &mut app)).expect("draws the timeline");
    app.press(KeyCode::Enter);
    terminal.draw(|f| sitdash::tui::ui::render(f, &mut app)).expect("draws the detail");
    for _ in 0..8 {
        app.press(KeyCode::PageDown);
    }
    terminal.draw(|f| sitdash::tui::ui::render(f, &mut app)).expect("draws the detail further down");
    let screen: String = terminal.backend().buffer().content().iter().map(ratatui::buffer::Cell::symbol).collect();
    assert!(screen.contains("more bytes not shown"), "the detail should say the notes were cut");
}
