//! Helpers shared by the widget and app tests: the embedded data set, small situations built
//! from JSON, drawing into a buffer, and reading rows, positions and styles back out of it.

#![allow(dead_code)] // each test binary uses its own subset

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use sitdash::domain::model::{Day, Situation};
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::load_str;
use sitdash::tui::app::App;

/// The embedded Idlib data set, as the binary loads it by default.
pub fn default_situation() -> Situation {
    let (sit, report) = load_str(sitdash::DEFAULT_DATA_NAME, sitdash::DEFAULT_DATA, LoadOptions::default())
        .expect("the embedded data set loads");
    assert_eq!(report.skipped, 0, "the embedded data set loads whole: {}", report.line());
    sit
}

/// The app on the embedded data set, as it starts.
pub fn default_app() -> App {
    App::new(default_situation())
}

/// A situation from a JSON text, failing the test with every problem when it does not load.
pub fn situation_from(json: &str) -> Situation {
    match load_str("test.json", json, LoadOptions::default()) {
        Ok((sit, report)) => {
            assert_eq!(report.skipped, 0, "the test situation loads whole: {}", report.line());
            sit
        }
        Err(err) => {
            let problems: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
            panic!("the test situation does not load:\n{}", problems.join("\n"));
        }
    }
}

pub fn day(text: &str) -> Day {
    Day::parse(text).expect("a valid test date")
}

/// Draws the whole app on a test terminal of the given size, as the real loop does.
pub fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal.draw(|f| sitdash::tui::ui::render(f, app)).expect("drawing never fails on a test backend");
    terminal.backend().buffer().clone()
}

/// The text of the cells from `x` for `width` columns on row `y`. A wide character's symbol
/// stands for its cell and the continuation cell after it, which is skipped.
pub fn text_at(buf: &Buffer, x: u16, y: u16, width: u16) -> String {
    let mut out = String::new();
    let mut skip = 0;
    for x in x..x + width {
        let symbol = buf[(x, y)].symbol();
        if skip > 0 {
            skip -= 1;
            continue;
        }
        out.push_str(symbol);
        skip = symbol.width().saturating_sub(1);
    }
    out
}

/// One row of a buffer as text.
pub fn row(buf: &Buffer, y: u16) -> String {
    text_at(buf, buf.area.x, y, buf.area.width)
}

/// Every row of a buffer, right-trimmed.
pub fn rows(buf: &Buffer) -> Vec<String> {
    (buf.area.y..buf.area.bottom()).map(|y| row(buf, y).trim_end().to_string()).collect()
}

/// The rows of a rectangle of the buffer (a pane), right-trimmed.
pub fn rows_in(buf: &Buffer, area: Rect) -> Vec<String> {
    (area.y..area.bottom()).map(|y| text_at(buf, area.x, y, area.width).trim_end().to_string()).collect()
}

/// The whole screen as text, for assertions on what is anywhere on it and for messages.
pub fn screen(buf: &Buffer) -> String {
    rows(buf).join("\n")
}

/// Where `needle` starts in a rectangle of the buffer, searching row by row, cell by cell
/// (each char of the needle is one cell: fine for the narrow text searched here).
pub fn find_in(buf: &Buffer, area: Rect, needle: &str) -> Option<Position> {
    let wanted: Vec<String> = needle.chars().map(String::from).collect();
    if wanted.is_empty() || wanted.len() > area.width as usize {
        return None;
    }
    for y in area.y..area.bottom() {
        let symbols: Vec<&str> = (area.x..area.right()).map(|x| buf[(x, y)].symbol()).collect();
        for start in 0..=symbols.len() - wanted.len() {
            if symbols[start..start + wanted.len()].iter().zip(&wanted).all(|(a, b)| *a == b) {
                return Some(Position { x: area.x + start as u16, y });
            }
        }
    }
    None
}

/// Where `needle` starts anywhere on the buffer.
pub fn find(buf: &Buffer, needle: &str) -> Option<Position> {
    find_in(buf, buf.area, needle)
}

/// Like `find_in`, failing the test with the screen when the text is not there.
pub fn locate(buf: &Buffer, area: Rect, needle: &str) -> Position {
    find_in(buf, area, needle).unwrap_or_else(|| panic!("`{needle}` is not in {area:?}:\n{}", screen(buf)))
}

/// Every cell of the `len` cells from `at` has this foreground.
pub fn assert_fg(buf: &Buffer, at: Position, len: u16, color: Color, what: &str) {
    for x in at.x..at.x + len {
        let cell = &buf[(x, at.y)];
        assert_eq!(cell.fg, color, "{what}: cell ({x}, {}) `{}` has the wrong colour", at.y, cell.symbol());
    }
}

/// Every cell of the `len` cells from `at` has the modifier.
pub fn assert_modifier(buf: &Buffer, at: Position, len: u16, modifier: Modifier, what: &str) {
    for x in at.x..at.x + len {
        let cell = &buf[(x, at.y)];
        assert!(
            cell.modifier.contains(modifier),
            "{what}: cell ({x}, {}) `{}` lacks {modifier:?} (has {:?})",
            at.y,
            cell.symbol(),
            cell.modifier
        );
    }
}

/// The rows inside a bordered pane whose first content cell is drawn reversed: the selection.
pub fn reversed_rows(buf: &Buffer, pane: Rect) -> Vec<String> {
    let inner = Rect {
        x: pane.x + 1,
        y: pane.y + 1,
        width: pane.width.saturating_sub(2),
        height: pane.height.saturating_sub(2),
    };
    (inner.y..inner.bottom())
        .filter(|&y| buf[(inner.x, y)].modifier.contains(Modifier::REVERSED))
        .map(|y| text_at(buf, inner.x, y, inner.width).trim_end().to_string())
        .collect()
}

/// A post with a long history: `changes` status changes a day apart from 1 January 2020,
/// some with a note long enough to wrap and some written in Arabic, each backed by one of
/// three claims (one of them long); the last change is the withdrawal, noted "the last
/// change of all". One event concerns the post, and a second post has a short history.
pub fn long_history_situation(changes: usize) -> Situation {
    use std::fmt::Write as _;
    let statuses = ["held", "attacked", "reinforced", "encircled", "besieged", "attacked"];
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
    let mut history = String::new();
    for i in 0..changes {
        let date = (start + chrono::Days::new(i as u64)).format("%Y-%m-%d");
        let last = i + 1 == changes;
        let status = if last { "evacuated" } else { statuses[i % statuses.len()] };
        let note = match i % 5 {
            _ if last => ", \"note\": \"the last change of all\"".to_string(),
            0 => format!(
                ", \"note\": \"Change {i}: the road to the post was cut again in the night, then opened by a convoy at dawn; the garrison says it holds, the besiegers say it does not, and neither can be checked from here.\""
            ),
            3 => ", \"note\": \"قرب الطريق — near the road\"".to_string(),
            _ => String::new(),
        };
        let claim = ["c-short", "c-long", "c-arabic"][i % 3];
        let comma = if last { "" } else { "," };
        let _ = writeln!(
            history,
            "      {{\"date\": \"{date}\", \"status\": \"{status}\", \"claims\": [\"{claim}\"]{note}}}{comma}"
        );
    }
    let as_of = (start + chrono::Days::new(changes as u64)).format("%Y-%m-%d");
    situation_from(&format!(
        r#"{{
  "format": "sitdash/1",
  "title": "A long siege",
  "as_of": "{as_of}",
  "sources": [{{"id": "wire", "publisher": "Example wire"}}],
  "actors": [{{"id": "army", "name": "Army", "inter": 1}}],
  "places": [{{"id": "hills", "name": "Hills", "geo_precision": "region"}}],
  "claims": [
    {{"id": "c-short", "source": "wire", "attributed_to": "a reporter", "statement": "The post changed hands."}},
    {{"id": "c-long", "source": "wire", "attributed_to": "a local council that speaks for the villages around the post", "statement": "The post was attacked from three sides for most of the day, with mortars first and then small arms, and the council could not reach it to count the wounded."}},
    {{"id": "c-arabic", "source": "wire", "attributed_to": "مراسل محلي", "statement": "النقطة محاصرة منذ الصباح."}}
  ],
  "events": [
    {{"id": "e-convoy", "date": "2020-01-02", "kind": "other_strategic", "by": ["army"], "place": "hills",
     "summary": "A convoy reaches the hill post", "claims": ["c-short"], "posts": ["hill-post"]}}
  ],
  "posts": [
    {{"id": "hill-post", "name": "Hill post", "operator": "army", "place": "hills", "history": [
{history}    ]}},
    {{"id": "small-post", "name": "Small post", "operator": "army", "place": "hills", "history": [
      {{"date": "2020-01-01", "status": "established", "claims": ["c-short"]}}
    ]}}
  ]
}}"#
    ))
}
