//! `sitdash bench FILE`: the figures behind the scale targets, measured on this machine.
//! Load throughput, filter latency per keystroke, frame time while scrolling, peak memory.
//! Run one size per process (see `bench/run.sh`) so that peak memory is that size's alone.

use crate::cli::output::say;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::ingest::input::{InputFile, LoadOptions, Progress};
use crate::ingest::load::load_paths_with;
use crate::tui::app::App;

/// Queries typed key by key, as an analyst would.
pub const QUERIES: &[&str] = &[
    "shelling",
    "kind:air_drone_strike",
    "killed>5 since:2019-06-01",
    "actor:militia -kind:protest",
    "place:ra or civilians",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak and current resident memory in bytes, from /proc (Linux); zeros elsewhere.
#[must_use]
pub fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// For a compressed file, what unpacking it alone costs (it is part of the load's reading
/// phase): measured once before the load, on its own, and freed before the load starts.
/// A plain file is told by its first bytes alone: reading all of it here left the whole
/// file's pages with the allocator on some runs, and the peak memory reported then was
/// this measurement's, not the load's (1.54x the file at 1M rows instead of 1.2x).
fn unpack_cost(path: &Path, options: LoadOptions) -> Result<Option<String>, String> {
    let mut magic = [0u8; 4];
    let read = std::fs::File::open(path).and_then(|mut f| f.read(&mut magic)).map_err(|e| e.to_string())?;
    let kind = match magic.get(..read) {
        Some([0x1f, 0x8b, ..]) => "gzip",
        Some(b"PK\x03\x04") => "zip",
        _ => return Ok(None),
    };
    let raw = std::fs::read(path).map_err(|e| e.to_string())?;
    let packed = raw.len();
    let start = Instant::now();
    let inputs =
        crate::ingest::unpack::decode(&path.display().to_string(), raw, options, None, 0).map_err(|d| d.to_string())?;
    let took = start.elapsed();
    let unpacked: usize = inputs.iter().map(InputFile::len).sum();
    drop(inputs);
    Ok(Some(format!(
        "unpack          {kind} {:.1} MB -> {:.1} MB in {:.0} ms ({:.0} MB/s of text), inside the reading phase",
        packed as f64 / 1e6,
        unpacked as f64 / 1e6,
        ms(took),
        unpacked as f64 / 1e6 / took.as_secs_f64().max(1e-9)
    )))
}

/// What the dashboard shows first for a large file: its preview read, loaded, indexed and
/// drawn (`None` when the file gets no preview). Measured before the whole load, and freed.
fn first_frame(path: &Path, options: LoadOptions) -> Result<Option<(Duration, usize)>, String> {
    let start = Instant::now();
    let Some(loaded) = crate::tui::background::preview(path, options) else { return Ok(None) };
    let events = loaded.sit.events.len();
    let mut app = App::with_index(loaded.sit, loaded.search);
    let mut terminal = Terminal::new(TestBackend::new(140, 40)).map_err(|e| e.to_string())?;
    terminal.draw(|f| crate::tui::ui::render(f, &mut app)).map_err(|e| e.to_string())?;
    Ok(Some((start.elapsed(), events)))
}

/// Runs every measurement on one file and returns the report.
///
/// # Errors
/// A message when the file cannot be loaded.
pub fn run(path: &Path, options: LoadOptions) -> Result<String, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    let unpacking = unpack_cost(path, options)?;
    let first_frame = first_frame(path, options)?;
    let start = Instant::now();
    let progress = Progress::default();
    let (sit, report) = load_paths_with(&[path], options, &progress).map_err(|e| {
        let first = e.problems.first().map(ToString::to_string).unwrap_or_default();
        format!("{e}: {first}")
    })?;
    let load = start.elapsed();
    let phases: Vec<String> =
        progress.phase_times().iter().map(|(phase, took)| format!("{} {:.0} ms", phase.word(), ms(*took))).collect();
    let events = sit.events.len();
    // What the dashboard does once the events are shown: read their notes on another
    // thread, then take in what they said (and index again).
    let mut sit = sit;
    let start = Instant::now();
    let search = crate::domain::index::SearchIndex::new(&sit);
    let index = start.elapsed();
    let start = Instant::now();
    let reading = crate::ingest::extract::notes::read(&sit);
    let notes_took = start.elapsed();
    let start = Instant::now();
    let notes = crate::ingest::extract::notes::take_in_read(&mut sit, reading);
    let taking_in = start.elapsed();
    let start = Instant::now();
    let search = crate::domain::index::SearchIndex::new_keeping_words(&sit, search);
    let index_again = start.elapsed();
    let mut app = App::with_index(sit, search);
    let (_, rss_loaded) = memory();

    let mut keystrokes = Vec::new();
    // Each keystroke with the filter text it left, to name the slowest.
    let mut typed: Vec<(Duration, String)> = Vec::new();
    for query in QUERIES {
        app.press(KeyCode::Char('/'));
        for c in query.chars() {
            let t = Instant::now();
            app.press(KeyCode::Char(c));
            typed.push((t.elapsed(), app.filter.text.clone()));
        }
        app.press(KeyCode::Enter);
        app.press(KeyCode::Char('/'));
        for _ in 0..query.chars().count() {
            let t = Instant::now();
            app.press(KeyCode::Backspace);
            typed.push((t.elapsed(), format!("{}\u{2190}", app.filter.text)));
        }
        app.press(KeyCode::Enter);
    }
    keystrokes.extend(typed.iter().map(|(took, _)| *took));
    keystrokes.sort();
    typed.sort_by_key(|k| std::cmp::Reverse(k.0));
    let slowest: Vec<String> = typed.iter().take(5).map(|(took, text)| format!("{text:?} {:.1}", ms(*took))).collect();

    // What the trend and the map add to each of those keystrokes: their figures over every
    // event, worked out alone (in the app they run beside the other panes' figures).
    let (mut trend_took, mut map_took) = (Vec::new(), Vec::new());
    let all: Vec<u32> = (0..u32::try_from(events).unwrap_or(u32::MAX)).collect();
    let window = app.window();
    let clip = crate::domain::figures::TimeWindow { from: None, to: None };
    for _ in 0..15 {
        let t = Instant::now();
        app.trend.compute(&app.search, &all, clip, window.to, app.comparison_window());
        trend_took.push(t.elapsed());
        let t = Instant::now();
        app.map.compute(&app.sit, &app.search, &all, window);
        map_took.push(t.elapsed());
    }
    trend_took.sort();
    map_took.sort();
    // And what the places ranking and the counters' breakdown (types, actors, the comparison
    // window) add, over every event, alone.
    let (mut places_took, mut breakdown_took) = (Vec::new(), Vec::new());
    let periods = crate::domain::activity::Periods::new(app.compare_days, window, &app.search, &all);
    for _ in 0..15 {
        let t = Instant::now();
        let activity = crate::domain::activity::by_place(&app.search, &all, window, periods, app.sit.places.len());
        app.posts.compute(&app.sit, &app.search, activity, window, |_| true);
        places_took.push(t.elapsed());
        let t = Instant::now();
        let b = crate::domain::activity::breakdown(&app.search, &all, window, periods, app.sit.actors.len());
        std::hint::black_box(b.by_type());
        breakdown_took.push(t.elapsed());
    }
    places_took.sort();
    breakdown_took.sort();
    app.refresh();

    let mut terminal = Terminal::new(TestBackend::new(140, 40)).map_err(|e| e.to_string())?;
    let mut frames = Vec::new();
    for step in 0..200 {
        let key = match step % 4 {
            0 => KeyCode::PageDown,
            1 | 2 => KeyCode::Char('j'),
            _ => KeyCode::Tab,
        };
        let t = Instant::now();
        app.press(key);
        terminal.draw(|f| crate::tui::ui::render(f, &mut app)).map_err(|e| e.to_string())?;
        frames.push(t.elapsed());
    }
    frames.sort();

    // The wide screen: timeline, counters, trend, posts and the map all drawn each frame,
    // while the map zooms and pans and the trend changes its bins and measure.
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).map_err(|e| e.to_string())?;
    terminal.draw(|f| crate::tui::ui::render(f, &mut app)).map_err(|e| e.to_string())?;
    let mut wide = Vec::new();
    let focus = |app: &mut App, pane: crate::tui::keymap::Pane| {
        for _ in 0..crate::tui::keymap::Pane::ALL.len() {
            if app.focus == pane {
                break;
            }
            app.press(KeyCode::Tab);
        }
    };
    for step in 0..200 {
        let key = match step % 10 {
            0 => {
                focus(&mut app, crate::tui::keymap::Pane::Map);
                KeyCode::Char('+')
            }
            1 => KeyCode::Char('l'),
            2 => KeyCode::Char('j'),
            3 => KeyCode::Char('-'),
            4 => KeyCode::Char('z'),
            5 => {
                focus(&mut app, crate::tui::keymap::Pane::Trend);
                KeyCode::Char('<')
            }
            6 => KeyCode::Char('>'),
            7 => KeyCode::Char('v'),
            8 => {
                focus(&mut app, crate::tui::keymap::Pane::Timeline);
                KeyCode::PageDown
            }
            _ => KeyCode::Char('j'),
        };
        let t = Instant::now();
        app.press(key);
        terminal.draw(|f| crate::tui::ui::render(f, &mut app)).map_err(|e| e.to_string())?;
        wide.push(t.elapsed());
    }
    wide.sort();
    let post_detail = post_detail(&mut app)?;
    let (peak, rss) = memory();
    let handing_on = hand_on(&mut app)?;

    let mb = size as f64 / 1_000_000.0;
    let fully = load + index;
    let first_ms = first_frame.as_ref().map_or(ms(fully), |f| ms(f.0));
    let mut out = String::new();
    let _ = writeln!(out, "file            {} ({mb:.1} MB)", path.display());
    let _ = writeln!(out, "events          {events} ({})", report.line());
    let _ = writeln!(
        out,
        "load            {:.0} ms  ({:.0} MB/s, {:.0} events/s)",
        ms(load),
        mb / load.as_secs_f64(),
        events as f64 / load.as_secs_f64()
    );
    let _ = writeln!(out, "  of which       {}", phases.join(", "));
    if let Some(line) = unpacking {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "notes reader    {:.0} ms over {} rows ({:.1} MB of notes, {:.0} MB/s; {} thread(s)): {} with a keyword, {} passed the prefilter and read; found {} post status change(s), {} new post(s), {} casualty claim(s); \
         read behind the shown events, then taken in {:.0} ms and indexed again {:.0} ms, in one tick",
        ms(notes_took),
        notes.rows,
        notes.bytes as f64 / 1e6,
        notes.bytes as f64 / 1e6 / notes_took.as_secs_f64().max(1e-9),
        crate::ingest::extract::notes::threads(),
        notes.keyword,
        notes.read,
        notes.status_changes,
        notes.posts_added,
        notes.casualty_claims,
        ms(taking_in),
        ms(index_again)
    );
    let _ = writeln!(out, "index+first view {:.0} ms", ms(index));
    match &first_frame {
        Some((took, events)) => {
            let _ = writeln!(
                out,
                "first frame     {:.0} ms (a preview: the first {events} events, from the file's first {} MB, \
                 read, loaded, indexed and drawn at 140x40; the rest loads behind it)",
                ms(*took),
                crate::tui::background::PREVIEW_BYTES >> 20
            );
        }
        None => {
            let _ =
                writeln!(out, "first frame     {first_ms:.0} ms (no preview for this file: the whole is loaded first)");
        }
    }
    let _ = writeln!(
        out,
        "filter keystroke p50 {:.1} ms  p90 {:.1} ms  p99 {:.1} ms  max {:.1} ms  ({} keystrokes)",
        ms(percentile(&keystrokes, 0.5)),
        ms(percentile(&keystrokes, 0.9)),
        ms(percentile(&keystrokes, 0.99)),
        ms(percentile(&keystrokes, 1.0)),
        keystrokes.len()
    );
    let _ = writeln!(out, "  slowest        {}", slowest.join(", "));
    let _ = writeln!(
        out,
        "places, types  over all events: places ranked p50 {:.1} ms (max {:.1}), type/actor/comparison breakdown p50 {:.1} ms (max {:.1})",
        ms(percentile(&places_took, 0.5)),
        ms(percentile(&places_took, 1.0)),
        ms(percentile(&breakdown_took, 0.5)),
        ms(percentile(&breakdown_took, 1.0))
    );
    let _ = writeln!(
        out,
        "trend and map   over all events: trend p50 {:.1} ms (max {:.1}), map p50 {:.1} ms (max {:.1})",
        ms(percentile(&trend_took, 0.5)),
        ms(percentile(&trend_took, 1.0)),
        ms(percentile(&map_took, 0.5)),
        ms(percentile(&map_took, 1.0))
    );
    let _ = writeln!(
        out,
        "key+frame 140x40 p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} frames)",
        ms(percentile(&frames, 0.5)),
        ms(percentile(&frames, 0.99)),
        ms(percentile(&frames, 1.0)),
        frames.len()
    );
    let _ = writeln!(
        out,
        "key+frame 160x45 p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} frames; trend and map on screen)",
        ms(percentile(&wide, 0.5)),
        ms(percentile(&wide, 0.99)),
        ms(percentile(&wide, 1.0)),
        wide.len()
    );
    let _ = writeln!(
        out,
        "memory          peak {:.0} MB, after load {:.0} MB, now {:.0} MB; peak/file {:.2}x, {:.0} bytes/event",
        peak as f64 / 1e6,
        rss_loaded as f64 / 1e6,
        rss as f64 / 1e6,
        peak as f64 / size.max(1) as f64,
        rss_loaded as f64 / events.max(1) as f64
    );
    let _ = writeln!(
        out,
        "issue table     fully loaded {:.2} s, peak {:.0} MB ({:.2}x the file), filter keystroke p99 {:.1} ms, \
         key+frame p99 {:.2} ms, first useful frame {:.2} s",
        fully.as_secs_f64(),
        peak as f64 / 1e6,
        peak as f64 / size.max(1) as f64,
        ms(percentile(&keystrokes, 0.99)),
        ms(percentile(&frames, 0.99)),
        first_ms / 1000.0
    );
    out.push_str(&post_detail);
    out.push_str(&handing_on);
    Ok(out)
}

/// The detail of the post with the longest status history (the notes reader gives one post
/// tens of thousands of changes at 1M rows), at 140x40: opened, scrolled, taken to its end.
fn post_detail(app: &mut App) -> Result<String, String> {
    use crate::tui::panes::posts::PostsRow;
    let longest = app.sit.posts.iter().enumerate().max_by_key(|(_, p)| p.history.len());
    let Some((post, changes)) = longest.map(|(i, p)| (i, p.history.len())) else {
        return Ok("post detail     no posts in this data\n".to_string());
    };
    app.posts.expand_all();
    let Some(row) = app.posts.rows.iter().position(|r| matches!(r, PostsRow::Post { post: p, .. } if *p == post))
    else {
        return Ok(format!("post detail     the longest history ({changes} changes) is not listed in Places\n"));
    };
    let mut terminal = Terminal::new(TestBackend::new(140, 40)).map_err(|e| e.to_string())?;
    let mut frame = |app: &mut App, key: KeyCode| -> Result<Duration, String> {
        let t = Instant::now();
        app.press(key);
        terminal.draw(|f| crate::tui::ui::render(f, app)).map_err(|e| e.to_string())?;
        Ok(t.elapsed())
    };
    while app.focus != crate::tui::keymap::Pane::Posts {
        app.press(KeyCode::Tab);
    }
    app.posts.selected = row;
    let open = frame(app, KeyCode::Enter)?;
    let mut scrolling = Vec::new();
    for step in 0..100 {
        scrolling.push(frame(app, if step % 4 == 3 { KeyCode::PageDown } else { KeyCode::Char('j') })?);
    }
    let end = frame(app, KeyCode::End)?;
    let blocks = app.overlay_view.as_ref().map_or(0, |v| v.doc.blocks(&app.sit));
    for step in 0..100 {
        scrolling.push(frame(app, if step % 4 == 3 { KeyCode::PageUp } else { KeyCode::Char('k') })?);
    }
    scrolling.sort();
    frame(app, KeyCode::Esc)?;
    Ok(format!(
        "post detail     {changes} changes ({blocks} blocks of lines): open {:.1} ms, scroll key+frame p50 {:.2} ms p99 {:.2} ms ({} frames), to the end {:.1} ms\n",
        ms(open),
        ms(percentile(&scrolling, 0.5)),
        ms(percentile(&scrolling, 0.99)),
        scrolling.len(),
        ms(end)
    ))
}

/// Exporting and reporting the whole view, and taking one appended line in (as following a
/// file does: checked, added, re-indexed), measured after the rest so as not to change it.
fn hand_on(app: &mut App) -> Result<String, String> {
    use crate::domain::report::{Report, to_html, to_markdown};
    use crate::ingest::export::{EventFormat, write_view};
    let mut out = String::new();
    let window = app.window();
    let mut parts = Vec::new();
    for format in EventFormat::FILES {
        let mut sink = std::io::BufWriter::with_capacity(1 << 20, std::io::sink());
        let t = Instant::now();
        write_view(&mut sink, &app.sit, &app.shown, format, window.to).map_err(|e| e.to_string())?;
        parts.push(format!("{} {:.0} ms", format.extension(), ms(t.elapsed())));
    }
    let _ = writeln!(out, "export {} rows  {}", app.shown.len(), parts.join(", "));
    let t = Instant::now();
    let events: Vec<&crate::domain::model::Event> = app.shown.iter().map(|&i| &app.sit.events[i as usize]).collect();
    let report = Report::build(&app.sit, &events, window, None);
    let built = t.elapsed();
    let md = to_markdown(&app.sit, &report);
    let html = to_html(&app.sit, &report);
    let _ = writeln!(
        out,
        "report          {:.0} ms (figures {:.0} ms; {} + {} bytes of Markdown and HTML)",
        ms(t.elapsed()),
        ms(built),
        md.len(),
        html.len()
    );
    drop(report);
    drop(events);
    if let Some(last) = app.sit.events.last() {
        let mut event = app.sit.event_record(last).into_owned();
        event.id = "bench-appended-1".into();
        let written = event.written_mut();
        written.claims.clear();
        written.casualties.clear();
        written.posts.clear();
        written.same_incident_as = None;
        let line = serde_json::to_string(&event).map_err(|e| e.to_string())? + "\n";
        let t = Instant::now();
        let before = app.sit.events.len();
        let taken = crate::ingest::follow::append(std::sync::Arc::make_mut(&mut app.sit), "appended.jsonl", line, 1);
        let checked = t.elapsed();
        if !(taken.at_end && app.search.extend(&app.sit, before)) {
            app.search = crate::domain::index::SearchIndex::new(&app.sit);
        }
        app.refresh();
        let _ = writeln!(
            out,
            "append 1 line   {:.0} ms (checked and added {:.0} ms, {} event; then indexed and shown)",
            ms(t.elapsed()),
            ms(checked),
            taken.events
        );
    }
    Ok(out)
}

/// `sitdash bench`: prints the report, or why the file could not be measured.
pub fn command(path: &Path, options: LoadOptions) -> Result<(), std::process::ExitCode> {
    match run(path, options) {
        Ok(report) => crate::cli::output::emit(&report),
        Err(err) => {
            say!("sitdash: {err}");
            Err(std::process::ExitCode::from(1))
        }
    }
}
