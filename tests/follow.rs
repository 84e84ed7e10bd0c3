//! Following files as they change. The tail's logic is driven on a file in memory (appends in
//! one and two parts, rewrites, replacement, what it reads); appended records are taken into a
//! situation with bad ones reported and skipped; and the app, on real files kept short, shows
//! an append with its view kept and a replaced file reloaded with what changed.

mod common;

use std::cell::{Cell, RefCell};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;

use sitdash::domain::model::Situation;
use sitdash::ingest::follow::{Change, FileStat, Tail, WatchedFile, append};
use sitdash::ingest::input::{InputFormat, LoadOptions};
use sitdash::ingest::load::load_paths;
use sitdash::tui::app::App;
use sitdash::tui::live::Live;

/// A file in memory: its bytes, its identity, and how many bytes were read from it.
struct MemFile {
    bytes: RefCell<Vec<u8>>,
    id: Cell<u64>,
    present: Cell<bool>,
    read: Cell<u64>,
}

impl MemFile {
    fn new(text: &str) -> MemFile {
        MemFile {
            bytes: RefCell::new(text.as_bytes().to_vec()),
            id: Cell::new(1),
            present: Cell::new(true),
            read: Cell::new(0),
        }
    }
    fn append(&self, text: &str) {
        self.bytes.borrow_mut().extend_from_slice(text.as_bytes());
    }
    /// A new file put in the old one's place (a download saved over it, an editor's save).
    fn replace(&self, text: &str) {
        *self.bytes.borrow_mut() = text.as_bytes().to_vec();
        self.id.set(self.id.get() + 1);
    }
}

impl WatchedFile for MemFile {
    fn stat(&self) -> io::Result<Option<FileStat>> {
        Ok(self.present.get().then(|| FileStat {
            len: self.bytes.borrow().len() as u64,
            modified: None,
            id: (0, self.id.get()),
        }))
    }
    fn read_at(&self, offset: u64, max: u64) -> io::Result<Vec<u8>> {
        let bytes = self.bytes.borrow();
        let start = (offset as usize).min(bytes.len());
        let end = (start + max as usize).min(bytes.len());
        self.read.set(self.read.get() + (end - start) as u64);
        Ok(bytes[start..end].to_vec())
    }
}

fn appended(change: Change) -> (String, usize) {
    match change {
        Change::Appended { text, first_line } => (text, first_line),
        other => panic!("expected an append, got {other:?}"),
    }
}

#[test]
fn an_append_is_read_once_whole_in_one_part_or_two() {
    let file = MemFile::new("{\"a\":1}\n{\"b\":2}\n");
    let mut tail = Tail::start(&file, "s.jsonl", InputFormat::Auto).unwrap();
    assert!(tail.lines_format);
    assert_eq!(tail.check(&file).unwrap(), Change::Unchanged);

    file.append("{\"c\":3}\n");
    assert_eq!(appended(tail.check(&file).unwrap()), ("{\"c\":3}\n".to_string(), 3));
    assert_eq!(tail.check(&file).unwrap(), Change::Unchanged, "read once");

    // A line written in two parts is taken when it is whole, and only then.
    file.append("{\"d\":");
    assert_eq!(tail.check(&file).unwrap(), Change::Unchanged);
    file.append("4}\n{\"e\":5}\n{\"f\"");
    assert_eq!(appended(tail.check(&file).unwrap()), ("{\"d\":4}\n{\"e\":5}\n".to_string(), 4));
    file.append(":6}\n");
    assert_eq!(appended(tail.check(&file).unwrap()), ("{\"f\":6}\n".to_string(), 6));
}

#[test]
fn a_large_file_appended_to_is_not_read_again() {
    let line = "{\"id\":\"e\",\"summary\":\"a line of some length to make the file large\"}\n";
    let file = MemFile::new(&line.repeat(20_000));
    let mut tail = Tail::start(&file, "big.jsonl", InputFormat::JsonLines).unwrap();
    file.read.set(0);
    file.append("{\"x\":1}\n");
    let (text, first_line) = appended(tail.check(&file).unwrap());
    assert_eq!((text.as_str(), first_line), ("{\"x\":1}\n", 20_001));
    // The new bytes and the first 256 (to notice a rewrite), not the 1.4 MB before.
    assert!(file.read.get() <= 8 + 256, "read {} bytes", file.read.get());
}

#[test]
fn a_replaced_truncated_or_rewritten_file_is_read_again_whole() {
    let file = MemFile::new("{\"a\":1}\n{\"b\":2}\n");
    let mut tail = Tail::start(&file, "s.jsonl", InputFormat::JsonLines).unwrap();
    file.replace("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
    assert_eq!(tail.check(&file).unwrap(), Change::Replaced, "another file under the name");

    let mut tail = Tail::start(&file, "s.jsonl", InputFormat::JsonLines).unwrap();
    *file.bytes.borrow_mut() = b"{\"a\":1}\n".to_vec();
    assert_eq!(tail.check(&file).unwrap(), Change::Replaced, "cut short in place");

    let mut tail = Tail::start(&file, "s.jsonl", InputFormat::JsonLines).unwrap();
    *file.bytes.borrow_mut() = b"{\"z\":9}\n{\"y\":8}\n".to_vec();
    assert_eq!(tail.check(&file).unwrap(), Change::Replaced, "rewritten in place, longer");

    // A document or a CSV cannot be appended to: any change is a reload.
    let doc = MemFile::new("{\"format\": \"sitdash/1\", \"events\": []}");
    let mut tail = Tail::start(&doc, "s.json", InputFormat::Auto).unwrap();
    assert!(!tail.lines_format);
    doc.append(" ");
    assert_eq!(tail.check(&doc).unwrap(), Change::Replaced);

    // Gone is said once; back under a new identity, it is a replacement.
    let mut tail = Tail::start(&file, "s.jsonl", InputFormat::JsonLines).unwrap();
    file.present.set(false);
    assert_eq!(tail.check(&file).unwrap(), Change::Gone);
    assert_eq!(tail.check(&file).unwrap(), Change::Unchanged);
    file.present.set(true);
    file.replace("{\"a\":1}\n");
    assert_eq!(tail.check(&file).unwrap(), Change::Replaced);
}

const BASE: &str = "tests/fixtures/good/base.json";

fn event_line(id: &str, date: &str, place: &str, summary: &str) -> String {
    format!(
        "{{\"id\":\"{id}\",\"date\":\"{date}\",\"kind\":\"armed_clash\",\"by\":[\"army\"],\"place\":\"{place}\",\"summary\":\"{summary}\"}}\n"
    )
}

fn base() -> Situation {
    load_paths(&[BASE], LoadOptions::default()).expect("the base loads").0
}

#[test]
fn appended_records_are_checked_against_what_is_loaded_and_bad_ones_skipped() {
    let mut sit = base();
    let before = sit.events.len();
    let text = format!(
        "{}{}{}",
        event_line("s-1", "2020-03-08", "valley", "A clash in the valley"),
        event_line("s-2", "2020-03-08", "nowhere", "A clash nowhere"),
        "{\"id\": broken\n"
    );
    let result = append(&mut sit, "stream.jsonl", text, 10);
    assert_eq!((result.records, result.events), (1, 1));
    assert_eq!(sit.events.len(), before + 1);
    assert!(sit.event_index("s-1").is_some());
    let problems: Vec<String> = result.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    // Lines are numbered in the whole file: this part began at line 10.
    assert!(problems.iter().any(|p| p.starts_with("stream.jsonl:11:") && p.contains("nowhere")), "{problems:?}");
    assert!(problems.iter().any(|p| p.starts_with("stream.jsonl:12:")), "{problems:?}");
    // The situation's date moves on with the news.
    assert_eq!(sit.as_of.unwrap().to_string(), "2020-03-08");

    // The same line again is not new; another event under a loaded id is a clash.
    let again =
        append(&mut sit, "stream.jsonl", event_line("s-1", "2020-03-08", "valley", "A clash in the valley"), 13);
    assert_eq!((again.records, again.already_loaded, again.problems.len()), (0, 1, 0));
    let clash = append(&mut sit, "stream.jsonl", event_line("s-1", "2020-03-09", "valley", "Something else"), 14);
    assert_eq!(clash.records, 0);
    assert!(clash.problems[0].message.contains("duplicate event id `s-1`"), "{:?}", clash.problems);
}

#[test]
fn an_empty_json_lines_file_is_a_valid_empty_stream() {
    let dir = temp_dir("empty");
    let stream = dir.join("stream.jsonl");
    std::fs::write(&stream, "").unwrap();
    let (sit, report) = load_paths(&[stream.as_path()], LoadOptions::default()).expect("an empty stream loads");
    assert_eq!((sit.events.len(), report.read), (0, 0));
    let (sit, _) = load_paths(&[Path::new(BASE), stream.as_path()], LoadOptions::default()).expect("beside a base");
    assert_eq!(sit.events.len(), base().events.len());
    let _ = std::fs::remove_dir_all(dir);
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitdash-follow-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn fixed_clock() -> String {
    "09:12".to_string()
}

fn shown_ids(app: &App) -> Vec<String> {
    app.shown.iter().map(|&i| app.sit.events[i as usize].id.to_string()).collect()
}

/// The app on a base file and a stream, both followed, as the dashboard starts it.
fn followed_app(dir: &Path) -> (App, Vec<PathBuf>) {
    let files = vec![dir.join("base.json"), dir.join("stream.jsonl")];
    std::fs::copy(BASE, &files[0]).unwrap();
    std::fs::write(&files[1], event_line("s-0", "2020-03-06", "valley", "An early clash")).unwrap();
    let live = Live::start(&files, LoadOptions::default(), fixed_clock);
    let (sit, _) = load_paths(&files, LoadOptions::default()).unwrap();
    let mut app = App::new(sit);
    app.live = Some(live);
    (app, files)
}

fn append_to(path: &Path, text: &str) {
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

#[test]
fn the_dashboard_shows_an_append_keeping_filter_selection_and_a_following_cursor() {
    let dir = temp_dir("app");
    let (mut app, files) = followed_app(&dir);
    app.press(KeyCode::Char('/'));
    app.type_text("clash");
    app.press(KeyCode::Enter);
    let before = shown_ids(&app);
    app.press(KeyCode::Char('g'));
    let selected = app.timeline.selected_event().map(|i| app.sit.events[i as usize].id.clone());
    assert!(selected.is_some());
    let t0 = Instant::now();
    assert!(!app.follow(t0), "nothing changed yet");

    append_to(&files[1], &event_line("s-1", "2020-03-09", "valley", "A later clash"));
    append_to(
        &files[1],
        &event_line("s-2", "2020-03-09", "valley", "A later skirmish").replace("armed_clash", "air_drone_strike"),
    );
    append_to(&files[1], "{\"id\": \"s-3\", \"date\": \"2020-03-09\", \"kind\": \"nonsense\"}\n");
    // Whether or not the watcher has said so yet, a second later the file is looked at.
    assert!(app.follow(t0 + Duration::from_secs(2)));
    let after = shown_ids(&app);
    assert_eq!(after.len(), before.len() + 1, "the clash is shown, the air strike is filtered out: {after:?}");
    assert!(after.contains(&"s-1".to_string()));
    assert_eq!(app.query.text, "clash", "the filter is kept");
    assert_eq!(app.timeline.selected_event().map(|i| app.sit.events[i as usize].id.clone()), selected);
    assert_eq!(app.as_of.map(|d| d.to_string()).as_deref(), Some("2020-03-09"), "the cursor follows the news");
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with("+2 new at 09:12; 1 bad appended record(s) skipped: "), "{message}");
    assert!(message.contains("stream.jsonl:4:"), "{message}");
    assert_eq!(app.live.as_ref().unwrap().problems.len(), 1, "kept for the report at exit");
    let header = common::screen(&common::draw(&mut app, 160, 30));
    assert!(header.contains("● live, last change 09:12"), "{header}");

    // A cursor moved back stays where it was.
    app.press(KeyCode::Char('['));
    let cursor = app.as_of;
    append_to(&files[1], &event_line("s-4", "2020-03-10", "valley", "Yet another clash"));
    assert!(app.follow(t0 + Duration::from_secs(4)));
    assert_eq!(app.as_of, cursor);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_replaced_file_reloads_in_the_background_and_says_what_changed() {
    let dir = temp_dir("replace");
    let (mut app, files) = followed_app(&dir);
    app.press(KeyCode::Char('/'));
    app.type_text("army");
    app.press(KeyCode::Enter);
    // A new export saved over the old one: one event changed, one new, one gone.
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(BASE).unwrap()).unwrap();
    let events = doc["events"].as_array_mut().unwrap();
    let mut added = events[0].clone();
    events[0]["summary"] = "Army and militia fight at the river (revised)".into();
    added["id"] = "v-new".into();
    events.push(added);
    let temp = dir.join("base.json.part");
    std::fs::write(&temp, serde_json::to_string(&doc).unwrap()).unwrap();
    std::fs::rename(&temp, &files[0]).unwrap();
    std::fs::write(dir.join("stream.part"), "").unwrap();
    std::fs::rename(dir.join("stream.part"), &files[1]).unwrap();

    let t0 = Instant::now();
    assert!(app.follow(t0 + Duration::from_secs(2)));
    assert!(app.live.as_ref().unwrap().reload.is_some(), "{:?}", app.message);
    // The reload runs on its own thread; the loop asks on each tick.
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.live.as_ref().unwrap().reload.is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        app.follow(t0 + Duration::from_secs(2));
    }
    assert_eq!(app.message.as_deref(), Some("+1 new, 1 changed, 1 gone since 09:12"));
    assert_eq!(app.query.text, "army", "the filter is kept");
    assert!(shown_ids(&app).contains(&"v-new".to_string()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_index_extended_by_appended_events_answers_as_one_built_anew() {
    use sitdash::domain::index::SearchIndex;
    use sitdash::domain::query::{Query, QueryContext, matching_events};
    let (mut sit, _) =
        sitdash::ingest::load::load_str(sitdash::DEFAULT_DATA_NAME, sitdash::DEFAULT_DATA, LoadOptions::default())
            .unwrap();
    let mut index = SearchIndex::new(&sit);
    let before = sit.events.len();
    let text = concat!(
        r#"{"claim": {"id": "c-late", "source": "tna-2020-02-07", "attributed_to": "a late monitor", "statement": "Four died.", "count": {"best": 4, "qualifier": "at_least", "raw": "at least four"}}}"#,
        "\n",
        r#"{"id": "late-1", "date": "2020-02-09", "kind": "air_drone_strike", "by": ["russian_forces"], "place": "saraqeb", "summary": "A late air strike on Saraqeb", "notes": "Heard by jeering hundreds.", "claims": ["c-late"], "casualties": [{"group": "civilians", "outcome": "killed", "claims": ["c-late"], "chosen": "c-late"}]}"#,
        "\n",
    );
    let taken = append(&mut sit, "late.jsonl", text.to_string(), 1);
    assert_eq!((taken.events, taken.at_end), (1, true), "{:?}", taken.problems);
    assert!(index.extend(&sit, before));
    let fresh = SearchIndex::new(&sit);
    assert_eq!(index.len(), fresh.len());
    for q in [
        "",
        "saraqeb",
        "late air",
        "monitor",
        "killed>3",
        "kind:air_drone_strike since:2020-02-08",
        "source:arab",
        "civilians",
        "l",
        "z",
        "j",
        "jeering",
    ] {
        let query = Query::parse(q, &QueryContext { sit: &sit, today: sit.as_of }).expect(q);
        assert_eq!(matching_events(&query, &index, &sit), matching_events(&query, &fresh, &sit), "{q}");
    }
    // A letter alone is told by the events' letters: the new event's come from its notes.
    let every = sitdash::domain::index::Bits::ones(sit.events.len());
    assert_eq!(sit.notes(&sit.events[before]).as_deref(), Some("Heard by jeering hundreds."), "kept with its notes");
    let by_letter = |index: &SearchIndex| index.letter_hits("j", &every).map(|b| b.indices());
    assert_eq!(by_letter(&index), by_letter(&fresh));
    assert!(by_letter(&index).is_some_and(|hits| hits.contains(&(before as u32))), "the new event, by its notes");
    let all: Vec<u32> = (0..sit.events.len() as u32).collect();
    let window = sitdash::domain::figures::TimeWindow::as_of(sit.as_of);
    assert_eq!(index.casualties(&all, window), fresh.casualties(&all, window));
    assert_eq!(index.killed, fresh.killed);
    // An event dated before the last loaded one moves the others: no extending then.
    let early = event_line("early-1", "2020-01-01", "saraqeb", "An early one")
        .replace("\"by\":[\"army\"]", "\"by\":[\"russian_forces\"]");
    let taken = append(&mut sit, "late.jsonl", early, 3);
    assert_eq!((taken.events, taken.at_end), (1, false), "{:?}", taken.problems);
}
