//! Hostile input: text that tries to drive the terminal, mangled files in strict and lenient
//! mode, files as they come (deep nesting, one huge line, a huge field). Never a panic, never
//! a control sequence from data on the wire, nothing lost without a word.

use std::process::Command;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use serde_json::json;
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

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_control_sequence_from_data_reaches_the_terminal() {
    for (w, h) in [(140, 40), (80, 24), (40, 10)] {
        let bytes = wire_bytes(w, h);
        assert!(!bytes.is_empty());
        for bad in [&b"\x1b]52"[..], b"\x1b]0;", b"\x1b[2J", b"\x1b[31mred", b"\x07", b"\x00", b"\r", b"\xc2\x9b"] {
            assert!(!contains(&bytes, bad), "{bad:?} reached the terminal at {w}x{h}");
        }
        let text = String::from_utf8_lossy(&bytes);
        for bad in ['\u{202e}', '\u{202c}', '\u{200b}', '\u{200d}', '\u{feff}'] {
            assert!(!text.contains(bad), "{bad:?} reached the terminal at {w}x{h}");
        }
        // Every ESC on the wire starts a sequence ratatui itself writes: CSI for moves and styles.
        for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == 0x1b) {
            assert_eq!(bytes.get(i + 1), Some(&b'['), "a non-CSI escape at byte {i} ({w}x{h})");
        }
        // The hostile text is still there, as harmless visible pictures.
        assert!(text.contains('␛'), "ESC should show as a control picture");
    }
}

#[test]
fn hostile_text_in_the_buffer_is_visible_and_harmless() {
    let (sit, _) = load_str("hostile.json", &hostile_situation(), LoadOptions::default()).expect("loads");
    let mut app = App::new(sit);
    let mut terminal = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
    app.press(KeyCode::Enter);
    terminal.draw(|f| sitdash::tui::ui::render(f, &mut app)).expect("draws");
    for cell in terminal.backend().buffer().content() {
        assert!(!cell.symbol().chars().any(char::is_control), "control character in a cell: {:?}", cell.symbol());
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
    let ids: Vec<&str> = sit.events.iter().map(|e| e.id.as_str()).collect();
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
    assert!(text.lines().next().is_some_and(|l| l.contains("deep.json:1:")), "{text}");
    let deeper = dir.join("deeper.json");
    std::fs::write(&deeper, "[".repeat(100_000)).expect("write");
    let (code, text) = check(&deeper);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("deeper.json:1:"), "{text}");

    let deep_line = dir.join("deep.jsonl");
    std::fs::write(&deep_line, format!("{{\"id\":\"a\"}}\n{}\n", "[".repeat(100_000))).expect("write");
    let (code, text) = check(&deep_line);
    assert_eq!(code, 1, "{text}");

    let huge = dir.join("huge.json");
    std::fs::write(&huge, "x".repeat(16 << 20)).expect("write");
    let (code, text) = check(&huge);
    assert_eq!(code, 1, "{text}");
    assert!(text.lines().next().is_some_and(|l| l.starts_with(&format!("{}:1:", huge.display()))), "{text}");
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
