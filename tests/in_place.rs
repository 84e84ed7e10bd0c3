//! A large CSV file is read from disk as it is parsed, not held whole in memory
//! (`ingest::tape`). Whatever its rows hold, that must give exactly what reading the file
//! whole gives: the same records, ids, problems at the same line and column, warnings and
//! report, strict and lenient, in one pass or in two parts, with rows and characters cut
//! across the chunks read. Files are made from generated rows, changed at random.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sitdash::cli::generate::{GenFormat, generate};
use sitdash::ingest::import::stage_with;
use sitdash::ingest::input::{InputFormat, LoadOptions, Progress, Staging};
use sitdash::ingest::load::load_paths;
use sitdash::ingest::unpack::read_path;

/// A file of its own under the system's temporary directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(bytes: &[u8]) -> Scratch {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("sitdash-in-place-{}-{n}.csv", std::process::id()));
        std::fs::write(&path, bytes).expect("temporary file written");
        Scratch(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn options(skip_invalid: bool, in_place_from: u64) -> LoadOptions {
    LoadOptions { skip_invalid, in_place_from, ..LoadOptions::DEFAULT }
}

/// The file at `path` staged: read whole or in place (with chunks of `chunk` bytes), in one
/// pass or two parts; the staged records and the report written out, or the refusal.
fn staged(path: &Path, skip_invalid: bool, in_place: Option<(usize, usize)>, parallel: bool) -> String {
    let read = read_path(path, options(skip_invalid, if in_place.is_some() { 0 } else { u64::MAX }));
    let mut inputs = match read {
        Ok(inputs) => inputs,
        Err(d) => return format!("refused: {d}"),
    };
    if let Some((chunk, keep)) = in_place {
        assert!(inputs[0].is_on_disk(), "a plain CSV file is read in place");
        inputs = inputs.into_iter().map(|i| i.with_chunks(chunk, keep)).collect();
    } else {
        assert!(!inputs[0].is_on_disk());
    }
    let format = inputs[0].format(InputFormat::Auto);
    let progress = Progress::default();
    let mut staging = Staging::default();
    let result = stage_with(format, &inputs, 0, &mut staging, options(skip_invalid, 0), (&progress, 0), parallel);
    let done = progress.done.load(std::sync::atomic::Ordering::Relaxed);
    match result {
        Ok(report) => {
            staging.write_out_notes();
            format!("{staging:#?}\n{report:#?}\nprogress {done}")
        }
        Err(d) => format!("refused: {d}"),
    }
}

/// Asserts that every way of reading the file gives what reading it whole in one pass gives.
fn same_every_way(bytes: &[u8], chunk: usize, keep: usize) {
    let file = Scratch::new(bytes);
    for skip_invalid in [false, true] {
        let whole = staged(&file.0, skip_invalid, None, false);
        for parallel in [false, true] {
            for in_place in [None, Some((chunk, keep))] {
                let other = staged(&file.0, skip_invalid, in_place, parallel);
                assert!(
                    other == whole,
                    "skip_invalid {skip_invalid}, parallel {parallel}, in place {in_place:?}: differs from one \
                     pass over the whole text\n--- whole:\n{}\n--- this way:\n{}",
                    tail(&whole),
                    tail(&other)
                );
            }
        }
    }
}

fn tail(text: &str) -> &str {
    let cut = text.len().saturating_sub(3000);
    let cut = (cut..text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
    &text[cut..]
}

fn generated(rows: usize, seed: u64) -> Vec<String> {
    let mut bytes = Vec::new();
    generate(&mut bytes, GenFormat::Acled, rows, seed).expect("generated");
    String::from_utf8(bytes).expect("utf-8").lines().map(str::to_string).collect()
}

/// One change to a generated file's rows.
#[derive(Debug, Clone)]
enum Change {
    /// The row's notes quoted, with a comma, a doubled quote, a line break and non-ASCII text.
    QuotedNotes(usize),
    /// The row again, as it is (a repeat) or under its id with another event type.
    Repeat(usize, bool),
    /// The row's last field dropped (too few columns).
    Short(usize),
    /// A blank line before the row.
    Blank(usize),
    /// The row's date made unreadable.
    BadDate(usize),
    /// The row's location in Arabic script.
    Arabic(usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (1usize..400).prop_map(Change::QuotedNotes),
        (1usize..400, any::<bool>()).prop_map(|(r, same)| Change::Repeat(r, same)),
        (1usize..400).prop_map(Change::Short),
        (1usize..400).prop_map(Change::Blank),
        (1usize..400).prop_map(Change::BadDate),
        (1usize..400).prop_map(Change::Arabic),
    ]
}

/// The rows with the changes made, joined with `\n` or `\r\n`, with a byte-order mark or not.
fn file_of(mut lines: Vec<String>, changes: &[Change], crlf: bool, bom: bool) -> Vec<u8> {
    let rows = lines.len() - 1;
    let set = |line: &mut String, i: usize, value: &str| {
        let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
        if let Some(f) = fields.get_mut(i) {
            *f = value.to_string();
        }
        *line = fields.join(",");
    };
    let mut extra = Vec::new();
    for c in changes {
        match *c {
            Change::QuotedNotes(r) => {
                let r = 1 + r % rows;
                let notes = lines[r].split(',').count() - 4;
                set(&mut lines[r], notes, "\"Shelling, \"\"heavy\"\"\nat dawn in Ma\u{2bf}arrat; كفرنبل\"");
            }
            Change::Repeat(r, same) => {
                let mut again = lines[1 + r % rows].clone();
                if !same {
                    set(&mut again, 4, "Riots");
                }
                extra.push(again);
            }
            Change::Short(r) => {
                let r = 1 + r % rows;
                if let Some((rest, _)) = lines[r].rsplit_once(',') {
                    lines[r] = rest.to_string();
                }
            }
            Change::Blank(r) => {
                let r = 1 + r % rows;
                lines[r].insert_str(0, if crlf { "\r\n" } else { "\n" });
            }
            Change::BadDate(r) => set(&mut lines[1 + r % rows], 1, "2020-13-45"),
            Change::Arabic(r) => set(&mut lines[1 + r % rows], 21, "معرة النعمان"),
        }
    }
    lines.extend(extra);
    let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
    text.push_str(if crlf { "\r\n" } else { "\n" });
    let mut bytes = if bom { b"\xef\xbb\xbf".to_vec() } else { Vec::new() };
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_file_read_in_place_gives_what_the_file_read_whole_gives(
        rows in 20usize..300,
        seed in 0u64..1000,
        changes in prop::collection::vec(change(), 0..12),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        chunk in 1usize..700,
        keep in 0usize..2000,
    ) {
        let bytes = file_of(generated(rows, seed), &changes, crlf, bom);
        same_every_way(&bytes, chunk, keep);
    }
}

/// A byte that is not UTF-8 refuses the file where it is, read whole or in place, in the
/// earlier part or the later one, and cut across chunks or not.
#[test]
fn a_byte_that_is_not_utf8_refuses_the_file_at_its_place_either_way() {
    let lines = generated(400, 3);
    let text = lines.join("\n") + "\n";
    for at in [text.len() / 5, text.len() * 4 / 5, text.len() - 2] {
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = 0xff;
        let file = Scratch::new(&bytes);
        let whole = staged(&file.0, false, None, false);
        assert!(whole.contains("byte 0xff is not UTF-8; save the file as UTF-8"), "{whole}");
        for parallel in [false, true] {
            for chunk in [1, 7, 4096, 1 << 20] {
                assert_eq!(staged(&file.0, false, Some((chunk, 64)), parallel), whole, "chunk {chunk}");
            }
        }
    }
    // A character cut off by the end of the file.
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice("é".as_bytes().get(..1).unwrap_or_default());
    let file = Scratch::new(&bytes);
    let whole = staged(&file.0, false, None, false);
    assert!(whole.contains("byte 0xc3 is not UTF-8"), "{whole}");
    assert_eq!(staged(&file.0, false, Some((5, 0)), true), whole);
}

/// Through the whole load: a file past the size read in place loads, and the dashboard's
/// situation is the one the whole text gives.
#[test]
fn a_large_file_read_in_place_loads_the_same_situation() {
    let bytes = file_of(generated(2_000, 9), &[Change::QuotedNotes(5), Change::Repeat(7, true)], false, false);
    let file = Scratch::new(&bytes);
    let (whole, whole_report) = load_paths(&[&file.0], options(false, u64::MAX)).expect("loads whole");
    let (in_place, in_place_report) = load_paths(&[&file.0], options(false, 0)).expect("loads in place");
    assert_eq!(whole_report, in_place_report);
    assert_eq!(whole.events.len(), 2_000);
    let out = |sit: &sitdash::domain::model::Situation| {
        use sitdash::ingest::export::{EventFormat, write_events};
        let all: Vec<u32> = (0..u32::try_from(sit.events.len()).expect("few events")).collect();
        let mut out = Vec::new();
        write_events(&mut out, sit, &all, EventFormat::Situation).expect("written");
        out
    };
    assert!(out(&whole) == out(&in_place), "the situations differ");
    let inputs = read_path(&file.0, options(false, 0)).expect("opens");
    assert_eq!(inputs[0].len(), bytes.len());
    assert!(inputs[0].text.is_empty(), "the text is not held");
}
