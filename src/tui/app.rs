//! The dashboard's state and its one entry point for input: `handle_event` turns a terminal
//! event into an [`Action`] through the key table, and `update` applies it. Rendering only
//! reads this state (see `ui`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Instant;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::domain::activity::Periods;
use crate::domain::index::PARALLEL_EVENTS;
use crate::domain::model::{Day, Situation};
use crate::domain::pass::LastPass;
use crate::domain::query::{Query, QueryContext, QueryError, SearchIndex, WordCache, matching_set_cached};
use crate::domain::report::{Report, to_html, to_markdown};
use crate::domain::text::clean;
use crate::ingest::export::{write_atomically, write_view};
use crate::ingest::extract::notes::{Reading, take_in_read};
use crate::ingest::follow::{Change, append};
use crate::ingest::input::{Diagnostic, LoadOptions, Phase, Progress};
use crate::tui::background::{LoadMessage, Loaded};
use crate::tui::keymap::{Action, Mode, Pane, lookup};
use crate::tui::live::Live;
use crate::tui::panes::counters::{CounterRow, CountersState};
use crate::tui::panes::detail::{DetailDoc, DetailScroll, DetailTarget};
use crate::tui::panes::facets::FacetState;
use crate::tui::panes::map::MapState;
use crate::tui::panes::posts::{PostsRow, PostsState};
use crate::tui::panes::save::{ReportFormat, SaveFormat, SaveKind, SavePrompt};
use crate::tui::panes::timeline::TimelineState;
use crate::tui::panes::trend::TrendState;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Detail(DetailTarget),
    /// The trend's detail: the spike rule, the spikes and every bin.
    Trend,
}

/// An overlay's document kept between frames: made for this overlay under this window, and
/// its rows measured as far as it was drawn. Dropped when the overlay closes or the figures
/// change (`App::refresh`).
#[derive(Debug, Clone)]
pub struct OverlayView {
    pub overlay: Overlay,
    pub window: crate::domain::figures::TimeWindow,
    pub doc: DetailDoc,
    pub rows: DetailScroll,
}

/// How the screen was laid out at the last draw (it decides which panes Tab visits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    /// One pane at a time under a row of tabs.
    #[default]
    Tabs,
    /// Timeline (or, after `m`, the map) beside counters, trend and posts.
    Side,
    /// Everything at once: timeline and map beside counters, trend and posts.
    Wide,
}

/// The filter being typed: the text, the last parse error, and what to go back to.
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    pub text: String,
    pub error: Option<QueryError>,
    /// The query in force when the input opened, restored by Esc.
    pub previous: Query,
    pub history: Vec<String>,
    pub history_pos: Option<usize>,
}

/// Where each pane was drawn last, for the mouse.
#[derive(Debug, Clone, Copy, Default)]
pub struct Areas {
    pub timeline: Rect,
    pub counters: Rect,
    pub trend: Rect,
    pub posts: Rect,
    pub map: Rect,
}

impl Areas {
    #[must_use]
    pub fn of(&self, pane: Pane) -> Rect {
        match pane {
            Pane::Timeline => self.timeline,
            Pane::Counters => self.counters,
            Pane::Trend => self.trend,
            Pane::Posts => self.posts,
            Pane::Map => self.map,
        }
    }
}

// Each flag is a separate fact of the session (quitting, batching, the map shown...).
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    /// Shared, read only, with the thread that reads the notes after a load (see `notes`);
    /// changed in place only when no one else holds it.
    pub sit: Arc<Situation>,
    pub search: SearchIndex,
    /// What the free words of recent filters found (it empties itself on another index).
    pub words: WordCache,
    /// The panes' sums of the last refresh, reused while the filter finds the same events.
    pub last_pass: LastPass,
    pub theme: Theme,
    pub mode: Mode,
    pub focus: Pane,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: usize,
    /// Scroll positions the overlay had at the last draw (wrapped rows past one screen, plus
    /// one), to stop scrolling past the end.
    pub overlay_len: usize,
    /// What the overlay shows, made at its first draw and kept while it shows the same thing
    /// (a post's history is then made and wrapped only where it is in view).
    pub overlay_view: Option<OverlayView>,
    /// Rows the overlay stands above its end, after "to the end" (the end is found without
    /// measuring what lies above it); `None` while it is scrolled from the top.
    pub overlay_from_end: Option<usize>,
    pub query: Query,
    pub filter: FilterInput,
    pub facets: FacetState,
    /// The place every pane is narrowed to (Enter on a place).
    pub place: Option<usize>,
    /// The time cursor.
    pub as_of: Option<Day>,
    /// The comparison window: the last this many days up to the as-of date against the
    /// same number before them.
    pub compare_days: i64,
    /// Events matching the query (before any place narrowing).
    pub matching: Vec<u32>,
    /// Events shown: the query, then the place narrowing.
    pub shown: Vec<u32>,
    pub timeline: TimelineState,
    pub counters: CountersState,
    pub posts: PostsState,
    pub trend: TrendState,
    pub map: MapState,
    /// On the side-by-side screen, the map is shown in the timeline's place (`m`).
    pub map_shown: bool,
    pub screen: Screen,
    pub areas: Areas,
    pub should_quit: bool,
    /// A line for the footer: the load report, or what just happened.
    pub message: Option<String>,
    /// A load still running in the background, shown as a progress bar.
    pub loading: Option<Loading>,
    /// The notes of the loaded events, being read on another thread once the events are on
    /// screen; what they say of posts and casualties is added when read (see `tick`).
    pub notes: Option<NotesBehind>,
    /// Set when a background load failed: the problems to print once the screen is back.
    pub load_failed: Option<Vec<Diagnostic>>,
    /// Set by the loop while it handles a burst of queued input: filter edits then wait for
    /// `settle`, so typing fast over a million events costs one filter pass, not one a key.
    pub batching: bool,
    filter_dirty: bool,
    /// The save prompt, while it is open (`e` export, `r` report).
    pub save: Option<SavePrompt>,
    /// The files followed as they change; `None` with `--no-watch` or the embedded data.
    pub live: Option<Live>,
    /// Where a relative path typed in the save prompt goes; `None`: the working folder.
    pub save_dir: Option<PathBuf>,
}

/// Events new, changed and gone between two situations, matched by id.
#[must_use]
pub fn event_diff(old: &Situation, new: &Situation) -> (usize, usize, usize) {
    let (mut added, mut changed, mut kept) = (0, 0, 0);
    for e in &new.events {
        match old.event_index(&e.id) {
            Some(i) => {
                kept += 1;
                if old.events[i] != *e {
                    changed += 1;
                }
            }
            None => added += 1,
        }
    }
    (added, changed, old.events.len().saturating_sub(kept))
}

/// The notes read behind the shown data: still being read, or read and waiting for the
/// next tick to be added.
pub enum NotesBehind {
    Reading(Receiver<Reading>),
    Read(Reading),
}

/// A load running in the background: its progress counters, where its result will arrive,
/// and the rate last measured (for the progress bar).
pub struct Loading {
    pub names: String,
    pub progress: Arc<Progress>,
    pub result: Receiver<LoadMessage>,
    pub started: Instant,
    /// Seconds since start, records per second and bytes done, at the last tick.
    pub elapsed: f64,
    pub records_per_second: f64,
    pub done: u64,
    pub phase: Phase,
    /// A filter from the command line, applied once the data is in.
    pub filter: Option<String>,
    /// Events in the preview on screen, when one is shown while the rest loads.
    pub preview: Option<usize>,
}

/// Runs the two halves of a refresh, which touch different panes: on large data `side` on
/// the second core while this one does `counts`; on small data one after the other.
fn side_by_side<'a>(parallel: bool, side: impl FnOnce() + Send + 'a, counts: impl FnOnce()) {
    if parallel {
        std::thread::scope(|scope| {
            scope.spawn(side);
            counts();
        });
    } else {
        side();
        counts();
    }
}

impl App {
    #[must_use]
    pub fn new(sit: Situation) -> App {
        let search = SearchIndex::new(&sit);
        App::with_index(sit, search)
    }

    /// An app whose data is still loading: empty panes and a progress bar until `tick`
    /// receives the result.
    #[must_use]
    pub fn loading(names: String, progress: Arc<Progress>, result: Receiver<LoadMessage>, now: Instant) -> App {
        let mut app = App::new(Situation { title: format!("Loading {names}"), ..Situation::default() });
        app.loading = Some(Loading {
            names,
            progress,
            result,
            started: now,
            elapsed: 0.0,
            records_per_second: 0.0,
            done: 0,
            phase: Phase::Reading,
            filter: None,
            preview: None,
        });
        app
    }

    /// Takes in what a background load has done and what the followed files did; true when
    /// the screen must be redrawn.
    pub fn tick(&mut self, now: Instant) -> bool {
        let loaded = self.tick_loading(now);
        let read = self.tick_notes();
        loaded | read | self.follow(now)
    }

    /// Reads the notes of the data on screen on another thread, which shares the situation
    /// while it reads: the events are shown and filtered meanwhile, and reading a million
    /// rows' notes (seconds) no longer holds them back.
    fn read_notes_behind(&mut self) {
        let sit = Arc::clone(&self.sit);
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let reading = crate::ingest::extract::notes::read(&sit);
            // Let go first: the app is then again the situation's only holder, and adds
            // what was read in place.
            drop(sit);
            // The receiver is gone when other data replaced this: nothing to add.
            let _ = sender.send(reading);
        });
        self.notes = Some(NotesBehind::Reading(receiver));
    }

    /// Adds what the notes said once they are read; true when the screen must be redrawn.
    /// Adding it and indexing again takes a while on large data (about a second at a
    /// million rows), in which keys wait: the tick that receives the reading only says so,
    /// and the next one adds it.
    fn tick_notes(&mut self) -> bool {
        let reading = match self.notes.take() {
            None => return false,
            Some(NotesBehind::Reading(receiver)) => match receiver.try_recv() {
                Ok(reading) => {
                    self.notes = Some(NotesBehind::Read(reading));
                    self.message = Some("adding what the notes said (posts, casualty figures)…".to_string());
                    return true;
                }
                Err(TryRecvError::Empty) => {
                    self.notes = Some(NotesBehind::Reading(receiver));
                    return false;
                }
                Err(TryRecvError::Disconnected) => return false,
            },
            Some(NotesBehind::Read(reading)) => reading,
        };
        // Only posts, claims and actors are added: events, places and the selection stay
        // where they are.
        let read = take_in_read(Arc::make_mut(&mut self.sit), reading);
        if read.posts_added + read.status_changes + read.casualty_claims == 0 {
            // The line said the notes were being added: it says what came of it.
            self.message = Some("notes read: none tells of a post or a casualty figure".to_string());
            return true;
        }
        let open = self.posts.open_places(&self.sit);
        // The notes did not change: their word index is kept.
        self.search = SearchIndex::new_keeping_words(&self.sit, std::mem::take(&mut self.search));
        self.forget_results();
        self.posts.forget_data();
        if let Some(ids) = open {
            self.posts.reopen(&self.sit, &ids);
        }
        self.refresh();
        self.message = Some(format!(
            "notes read: {} post status change(s), {} new post(s), {} casualty figure(s) added",
            read.status_changes, read.posts_added, read.casualty_claims
        ));
        true
    }

    /// Looks at the followed files when it is time, and takes in what changed: appended
    /// lines in place, a replaced file by a reload in the background. Never fatal.
    pub fn follow(&mut self, now: Instant) -> bool {
        // Changes wait for the notes being read: they share the situation until then.
        if self.loading.is_some() || self.notes.is_some() {
            return false;
        }
        let Some(live) = &mut self.live else { return false };
        if let Some(reload) = &live.reload {
            return match reload.try_recv() {
                Ok(LoadMessage::Done(Ok(loaded))) => {
                    live.reload = None;
                    self.swap_in(loaded);
                    self.read_notes_behind();
                    true
                }
                Ok(LoadMessage::Done(Err(err))) => {
                    live.reload = None;
                    let first = err.problems.first().map(ToString::to_string).unwrap_or_default();
                    self.message = Some(format!(
                        "reload refused ({} problems, first {first}); the last good data stays",
                        err.problems.len()
                    ));
                    true
                }
                Ok(LoadMessage::Preview(_)) | Err(TryRecvError::Empty) => false,
                Err(TryRecvError::Disconnected) => {
                    live.reload = None;
                    false
                }
            };
        }
        if !live.due(now) {
            return false;
        }
        let changes = live.check();
        let mut changed = false;
        let mut replaced = Vec::new();
        for (_, name, change) in changes {
            match change {
                Change::Appended { text, first_line } => {
                    self.take_append(&name, text, first_line);
                    changed = true;
                }
                Change::Replaced => replaced.push(name),
                Change::Gone => {
                    self.message = Some(format!("{} is gone; waiting for it to come back", clean(&name)));
                    changed = true;
                }
                Change::Unreadable(err) => {
                    self.message = Some(format!("cannot read {}: {err}", clean(&name)));
                    changed = true;
                }
                Change::Unchanged => {}
            }
        }
        if !replaced.is_empty()
            && let Some(live) = &mut self.live
        {
            // Followed from now on: what the reload reads twice is recognised and skipped.
            live.restart_tails();
            let progress = Arc::new(Progress::default());
            // A followed file may hold records already reported and skipped: the reload skips
            // them again rather than refusing everything.
            let options = LoadOptions { skip_invalid: true, ..live.options };
            live.reload = Some(crate::tui::background::spawn(live.files.clone(), options, progress));
            self.message = Some(format!("{} changed; reloading in the background", clean(&replaced.join(", "))));
            changed = true;
        }
        changed
    }

    /// Takes appended JSON Lines in, keeping the view: the filter, the place, the selected
    /// event, and the time cursor (which follows when it sat on the latest date).
    fn take_append(&mut self, name: &str, text: String, first_line: usize) {
        let followed = self.as_of == self.sit.as_of;
        let selected = self.timeline.selected_event().map(|i| self.sit.events[i as usize].id.clone());
        let open = match &self.overlay {
            Some(Overlay::Detail(DetailTarget::Event(i))) => Some(self.sit.events[*i as usize].id.clone()),
            _ => None,
        };
        let before = self.sit.events.len();
        let result = append(Arc::make_mut(&mut self.sit), name, text, first_line);
        let clock = self.live.as_ref().map_or(crate::tui::live::wall_clock as fn() -> String, |l| l.clock);
        let now = clock();
        if result.records > 0 {
            // Extended by the new events when they came last, else built again.
            if !(result.at_end && self.search.extend(&self.sit, before)) {
                self.search = SearchIndex::new(&self.sit);
            }
            self.forget_results();
            if followed {
                self.as_of = self.sit.as_of;
            }
            self.refresh();
            if let Some(i) = selected.and_then(|id| self.sit.event_index(&id)) {
                self.timeline.select_event(i as u32);
            }
            // Events may have moved (an appended event dated earlier sorts before others).
            if let Some(id) = open {
                if let Some(i) = self.sit.event_index(&id) {
                    self.overlay = Some(Overlay::Detail(DetailTarget::Event(i as u32)));
                } else {
                    self.overlay = None;
                    self.mode = Mode::Browse;
                }
            }
            if let Some(live) = &mut self.live {
                live.last_change = Some(now.clone());
            }
        }
        let mut message = format!("+{} new at {now}", result.events);
        if result.records > result.events {
            let _ = write!(message, " (and {} other records)", result.records - result.events);
        }
        if let Some(first) = result.problems.first() {
            let _ = write!(message, "; {} bad appended record(s) skipped: {first}", result.problems.len());
        }
        if result.records > 0 || !result.problems.is_empty() {
            self.message = Some(message);
        }
        if let Some(live) = &mut self.live {
            live.problems.extend(result.problems);
        }
    }

    /// Puts a reloaded situation on screen with the view kept, and says what changed.
    fn swap_in(&mut self, loaded: Loaded) {
        let diff = event_diff(&self.sit, &loaded.sit);
        let since = self.live.as_ref().map(|l| l.last_change.clone().unwrap_or_else(|| l.started.clone()));
        let now = self.live.as_ref().map_or_else(crate::tui::live::wall_clock, |l| (l.clock)());
        let skipped = loaded.report.skipped;
        self.install(loaded);
        if let Some(live) = &mut self.live {
            live.last_change = Some(now);
        }
        let skipped = if skipped > 0 { format!(" ({skipped} bad records skipped)") } else { String::new() };
        self.message = Some(format!(
            "+{} new, {} changed, {} gone since {}{skipped}",
            diff.0,
            diff.1,
            diff.2,
            since.unwrap_or_default()
        ));
    }

    fn tick_loading(&mut self, now: Instant) -> bool {
        let Some(loading) = &mut self.loading else { return false };
        match loading.result.try_recv() {
            Ok(LoadMessage::Preview(loaded)) => {
                loading.preview = Some(loaded.sit.events.len());
                self.install(loaded);
                true
            }
            Ok(LoadMessage::Done(Ok(loaded))) => {
                let line = loaded.report.line();
                let seconds = now.duration_since(loading.started).as_secs_f64();
                self.install(loaded);
                self.loading = None;
                self.message = Some(format!("{line} in {seconds:.1} s; reading the notes"));
                self.read_notes_behind();
                true
            }
            Ok(LoadMessage::Done(Err(err))) => {
                self.load_failed = Some(err.problems);
                self.should_quit = true;
                true
            }
            Err(TryRecvError::Disconnected) => {
                self.load_failed = Some(Vec::new());
                self.should_quit = true;
                true
            }
            Err(TryRecvError::Empty) => {
                let p = &loading.progress;
                loading.elapsed = now.duration_since(loading.started).as_secs_f64();
                loading.done = p.done.load(Ordering::Relaxed);
                loading.phase = p.phase();
                loading.records_per_second = p.records.load(Ordering::Relaxed) as f64 / loading.elapsed.max(1e-3);
                true
            }
        }
    }

    /// Puts newly loaded data on screen. What the user set up on a preview carries over to
    /// the whole: the filter, the place, the date and the selected event, each found again by
    /// its text or id (indices differ between the two).
    fn install(&mut self, loaded: Loaded) {
        let first = self.sit.events.is_empty() && self.sit.places.is_empty();
        let place = self.place.map(|p| self.sit.places[p].id.clone());
        // An event the user chose stays chosen; a selection still at "now" moves to the new
        // data's now.
        let selected = if self.timeline.at_now {
            None
        } else {
            self.timeline.selected_event().map(|i| self.sit.events[i as usize].id.clone())
        };
        let moved = self.as_of != self.sit.as_of;
        // The places the user opened and closed, found again by id.
        let open = self.posts.open_places(&self.sit);
        let text = match self.loading.as_mut().and_then(|l| l.filter.take()) {
            Some(from_command_line) => from_command_line,
            None => self.query.text.clone(),
        };
        self.sit = Arc::new(loaded.sit);
        self.search = loaded.search;
        // Notes read from the data replaced are not added to this.
        self.notes = None;
        self.forget_results();
        if first || !moved {
            self.as_of = self.sit.as_of;
        }
        self.place = place.and_then(|id| self.sit.index.places.get(&id).copied());
        // Overlays and pickers point into the old data: close them.
        self.overlay = None;
        self.overlay_view = None;
        if matches!(self.mode, Mode::Overlay | Mode::Facets) {
            self.mode = Mode::Browse;
        }
        self.facets = FacetState::default();
        self.timeline = TimelineState::default();
        // The map fits the new data's extent at its next draw.
        self.map = MapState::default();
        self.posts.forget_data();
        if let Some(ids) = open {
            self.posts.reopen(&self.sit, &ids);
        }
        self.query = Query::default();
        if let Err(err) = self.set_filter_text(&text) {
            self.message = Some(format!("filter `{text}` no longer applies: {err}"));
            self.refresh();
        }
        match selected.and_then(|id| self.sit.event_index(&id)) {
            Some(i) => self.timeline.select_event(i as u32),
            None => self.go_to_now(),
        }
    }

    /// Puts the timeline's selection at the as-of date (the time cursor).
    pub fn go_to_now(&mut self) {
        let day = self.window().to;
        self.timeline.select_date(&self.search, day);
    }

    /// An app over a situation whose index is already built (by a background load).
    #[must_use]
    pub fn with_index(sit: Situation, search: SearchIndex) -> App {
        let as_of = sit.as_of;
        let mut app = App {
            sit: Arc::new(sit),
            search,
            words: WordCache::default(),
            last_pass: LastPass::default(),
            theme: Theme::default(),
            mode: Mode::Browse,
            focus: Pane::Timeline,
            overlay: None,
            overlay_scroll: 0,
            overlay_len: 0,
            overlay_view: None,
            overlay_from_end: None,
            query: Query::default(),
            filter: FilterInput::default(),
            facets: FacetState::default(),
            place: None,
            as_of,
            compare_days: 30,
            matching: Vec::new(),
            shown: Vec::new(),
            timeline: TimelineState::default(),
            counters: CountersState::default(),
            posts: PostsState::default(),
            trend: TrendState::default(),
            map: MapState::default(),
            map_shown: false,
            screen: Screen::default(),
            areas: Areas::default(),
            should_quit: false,
            message: None,
            loading: None,
            notes: None,
            load_failed: None,
            batching: false,
            filter_dirty: false,
            save: None,
            live: None,
            save_dir: None,
        };
        app.refresh();
        app.go_to_now();
        app
    }

    /// The window every figure uses: the time cursor, narrowed by since:/until:.
    #[must_use]
    pub fn window(&self) -> crate::domain::figures::TimeWindow {
        self.query.window(self.as_of)
    }

    /// What the map highlights: the place selected in the posts pane when it has the keyboard,
    /// else the place narrowed to, else the selected event's place.
    #[must_use]
    pub fn map_highlight(&self) -> Option<(f64, f64)> {
        let coords = |place: usize| self.map.coords.get(place).copied().flatten();
        let from_posts = || match self.posts.rows.get(self.posts.selected)? {
            PostsRow::Place { place, .. } => coords(*place),
            PostsRow::Post { post, .. } => {
                let p = self.sit.posts.get(*post)?;
                match (p.lon, p.lat) {
                    (Some(lon), Some(lat)) => Some((lon, lat)),
                    _ => coords(*self.sit.index.places.get(&p.place)?),
                }
            }
        };
        let event = || {
            let i = self.timeline.selected_event()? as usize;
            coords(*self.search.place.get(i)? as usize)
        };
        if self.focus == Pane::Posts { from_posts() } else { self.place.and_then(coords).or_else(event) }
    }

    /// The counters' comparison window (its recent period), which the trend shades: the last
    /// `compare_days` days up to the as-of date, as `activity::Periods` counts them.
    #[must_use]
    pub fn comparison_window(&self) -> crate::domain::figures::TimeWindow {
        let to = self.window().to;
        crate::domain::figures::TimeWindow { from: to.map(|d| d.add_days(1 - self.compare_days.max(1))), to }
    }

    /// Forgets what was worked out from the data before it changed (a load, an append):
    /// the words' results, the panes' sums, the timeline's rows.
    fn forget_results(&mut self) {
        self.words.clear();
        self.last_pass.clear();
        self.timeline.forget_events();
    }

    /// Recomputes what every pane shows after the query, place or date changed.
    pub fn refresh(&mut self) {
        // What an overlay shows may change with the figures: made again at the next draw.
        self.overlay_view = None;
        let sit = &self.sit;
        let search = &self.search;
        let window = self.query.window(self.as_of);
        let matching_set = matching_set_cached(&self.query, search, sit, window.to, &mut self.words);
        matching_set.indices_into(&mut self.matching);
        let narrowed = self.place.map(|p| sit.places[p].id.clone());
        // Decided once per place, then spread over the events.
        let inside: Option<Vec<bool>> =
            narrowed.as_ref().map(|place| sit.places.iter().map(|p| sit.place_within(&p.id, place)).collect());
        // Both lists keep their room from the last keystroke.
        match &inside {
            Some(inside) => {
                self.shown.clear();
                let at_place = |&i: &u32| inside.get(search.place[i as usize] as usize).copied().unwrap_or(false);
                self.shown.extend(self.matching.iter().copied().filter(at_place));
            }
            None => self.shown.clone_from(&self.matching),
        }
        let comparison = self.comparison_window();
        let query = &self.query;
        let compare_days = self.compare_days;
        let (timeline, counters, posts, facets, trend, map, last_pass) = (
            &mut self.timeline,
            &mut self.counters,
            &mut self.posts,
            &mut self.facets,
            &mut self.trend,
            &mut self.map,
            &mut self.last_pass,
        );
        let (shown, matching) = (&self.shown, &self.matching);
        let clip = crate::domain::figures::TimeWindow { from: query.since(), to: query.until() };
        let series_shown = |series: &crate::domain::model::DisplacementSeries| {
            let area_ok = narrowed.as_ref().is_none_or(|p| sit.place_within(&series.area, p));
            let latest = series.values.iter().rev().find(|v| window.to.is_none_or(|t| v.as_of <= t));
            let best = latest.and_then(|v| sit.chosen_count(&v.chosen)).map_or(0, |c| c.best);
            area_ok && query.series_shown(search, sit, &series.area, best)
        };
        let post_shown = |concerned: &[bool], post: usize| {
            if query.is_empty() {
                return true;
            }
            if query.has_post_terms() {
                return query.post_matches(sit, post, window.to);
            }
            concerned[post]
        };
        // Every pane's sums in one pass over the matching events (see `domain::pass`); the
        // comparison periods must be the same for the places (all matching events) and the
        // counters (those shown), which they are unless the window has no end.
        let periods = Periods::new(compare_days, window, search, matching);
        map.prepare(sit, search);
        let sums = if window.to.is_some() || inside.is_none() {
            let placed: Vec<bool> = map.coords.iter().map(Option::is_some).collect();
            let input = crate::domain::pass::PassInput {
                index: search,
                events: matching,
                inside: inside.as_deref(),
                window,
                periods,
                clip,
                places: sit.places.len(),
                actors: sit.actors.len(),
                placed: &placed,
            };
            last_pass.over_set(&input, matching_set)
        } else {
            None
        };
        if let Some(sums) = sums {
            let crate::domain::pass::Sums { places, breakdown, casualties, days, map: totals } = sums;
            // The timeline's rows (a row per event) are the larger half of what is left.
            let side = || timeline.rebuild(sit, search, shown);
            let counts = || {
                let concerned = search.posts_concerned(matching, sit.posts.len());
                posts.compute(sit, search, places, window, |post| post_shown(&concerned, post));
                map.totals = totals;
                counters.show(sit, periods, breakdown, casualties, window, series_shown);
                if !facets.groups.is_empty() {
                    facets.recount(sit, matching);
                }
                trend.show(days, clip, window.to, comparison);
            };
            side_by_side(matching.len() > PARALLEL_EVENTS, side, counts);
            self.posts.comparison_cut = periods.cut_by(window.from);
            if self.timeline.at_now {
                self.go_to_now();
            }
            return;
        }
        // Otherwise each pane's own passes.
        let side = || {
            timeline.rebuild(sit, search, shown);
            let activity = crate::domain::activity::by_place(search, matching, window, periods, sit.places.len());
            let concerned = search.posts_concerned(matching, sit.posts.len());
            posts.compute(sit, search, activity, window, |post| post_shown(&concerned, post));
            map.compute(sit, search, shown, window);
        };
        let counts = || {
            counters.compute(sit, search, shown, window, compare_days, series_shown);
            if !facets.groups.is_empty() {
                facets.recount(sit, matching);
            }
            // The trend shows the whole span under the filter, the as-of date marked on it.
            trend.compute(search, shown, clip, window.to, comparison);
        };
        side_by_side(matching.len() > PARALLEL_EVENTS, side, counts);
        self.posts.comparison_cut = periods.cut_by(window.from);
        if self.timeline.at_now {
            self.go_to_now();
        }
    }

    /// The one handler for terminal input, used by the loop and by the tests alike.
    /// Returns true when the screen must be redrawn.
    pub fn handle_event(&mut self, event: &Event) -> bool {
        match event {
            Event::Key(key) => self.handle_key(key),
            Event::Mouse(mouse) => self.handle_mouse(*mouse),
            Event::Resize(..) => true,
            _ => false,
        }
    }

    fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        if let Some(action) = lookup(self.mode, self.focus, key) {
            return self.update(action);
        }
        if self.mode == Mode::SavePrompt
            && let Some(prompt) = &mut self.save
            && let KeyCode::Char(c) = key.code
            && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            prompt.path.push(c);
            prompt.error = None;
            return true;
        }
        if self.mode == Mode::FilterInput
            && let KeyCode::Char(c) = key.code
            && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            self.filter.text.push(c);
            self.filter.history_pos = None;
            self.filter_edited();
            return true;
        }
        false
    }

    fn handle_mouse(&mut self, mouse: MouseEvent) -> bool {
        if self.mode != Mode::Browse {
            return match mouse.kind {
                MouseEventKind::ScrollDown if self.mode == Mode::Overlay => self.update(Action::Down),
                MouseEventKind::ScrollUp if self.mode == Mode::Overlay => self.update(Action::Up),
                _ => false,
            };
        }
        let at = Position { x: mouse.column, y: mouse.row };
        let Some((pane, area)) =
            Pane::ALL.into_iter().map(|p| (p, self.areas.of(p))).find(|(_, area)| area.contains(at))
        else {
            return false;
        };
        match (mouse.kind, pane) {
            // The wheel zooms the map and steps the trend's bins (up is closer, finer).
            (MouseEventKind::ScrollUp, Pane::Map) => return self.map.zoom(0.8),
            (MouseEventKind::ScrollDown, Pane::Map) => return self.map.zoom(1.25),
            (MouseEventKind::ScrollUp, Pane::Trend) => return self.trend.finer(),
            (MouseEventKind::ScrollDown, Pane::Trend) => return self.trend.coarser(),
            _ => {}
        }
        match mouse.kind {
            MouseEventKind::ScrollDown => self.move_in(pane, 3),
            MouseEventKind::ScrollUp => self.move_in(pane, -3),
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                // The pane's first row sits one line under its border.
                if let Some(row) = at.y.checked_sub(area.y + 1).map(usize::from)
                    && at.y < area.y + area.height.saturating_sub(1)
                {
                    match pane {
                        Pane::Timeline => self.timeline.click(row),
                        Pane::Counters => self.counters.click(row),
                        Pane::Posts => self.posts.click(row),
                        Pane::Trend | Pane::Map => {}
                    }
                }
            }
            _ => return false,
        }
        true
    }

    fn move_in(&mut self, pane: Pane, delta: isize) {
        match pane {
            Pane::Timeline => self.timeline.move_by(delta),
            Pane::Counters => self.counters.move_by(delta),
            Pane::Posts => self.posts.move_by(delta),
            Pane::Trend | Pane::Map => {}
        }
    }

    /// The panes Tab visits: those on screen, or every tab on a small screen.
    fn visible_panes(&self) -> Vec<Pane> {
        match self.screen {
            Screen::Tabs => Pane::ALL.to_vec(),
            Screen::Wide => Pane::ALL.to_vec(),
            Screen::Side => {
                let hidden = if self.map_shown { Pane::Timeline } else { Pane::Map };
                Pane::ALL.into_iter().filter(|p| *p != hidden).collect()
            }
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        let panes = self.visible_panes();
        let n = panes.len();
        let i = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        self.focus = panes[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    /// `m`: the map comes on screen (in the timeline's place beside the counters) with the
    /// keyboard, or goes back.
    fn show_map(&mut self) {
        match self.screen {
            Screen::Side => {
                self.map_shown = !self.map_shown;
                self.focus = if self.map_shown { Pane::Map } else { Pane::Timeline };
            }
            Screen::Tabs | Screen::Wide => {
                self.focus = if self.focus == Pane::Map { Pane::Timeline } else { Pane::Map };
            }
        }
    }

    fn set_measure(&mut self, measure: crate::domain::trend::Measure) {
        self.trend.set_measure(measure);
    }

    fn page(&self) -> isize {
        let area = self.areas.of(self.focus);
        isize::try_from(area.height.saturating_sub(3).max(1)).unwrap_or(1)
    }

    fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_view = None;
        self.overlay_from_end = None;
        self.overlay_scroll = 0;
        self.mode = Mode::Overlay;
    }

    fn set_as_of(&mut self, day: Option<Day>) {
        if day != self.as_of {
            self.as_of = day;
            self.refresh();
            // The selection follows the cursor to its date.
            self.go_to_now();
        }
    }

    fn shift_as_of(&mut self, days: i64) {
        let base = self.as_of.or(self.sit.as_of);
        self.set_as_of(base.map(|d| d.add_days(days)));
    }

    /// Parses the filter text; a good parse applies at once, a bad one keeps the last good
    /// filter in force and shows the error.
    fn apply_filter_text(&mut self) {
        let ctx = QueryContext { sit: &self.sit, today: self.sit.as_of };
        match Query::parse(&self.filter.text, &ctx) {
            Ok(query) => {
                self.filter.error = None;
                if query != self.query {
                    self.query = query;
                    self.refresh();
                }
            }
            Err(err) => self.filter.error = Some(err),
        }
    }

    fn filter_edited(&mut self) {
        if self.batching {
            self.filter_dirty = true;
        } else {
            self.apply_filter_text();
        }
    }

    /// Applies a filter edit held back during a burst of input; true when it did.
    pub fn settle(&mut self) -> bool {
        std::mem::take(&mut self.filter_dirty) && {
            self.apply_filter_text();
            true
        }
    }

    /// Sets the filter from outside the input (facets, the command line).
    pub fn set_filter_text(&mut self, text: &str) -> Result<(), QueryError> {
        let ctx = QueryContext { sit: &self.sit, today: self.sit.as_of };
        let query = Query::parse(text, &ctx)?;
        self.filter.text = text.to_string();
        self.filter.error = None;
        self.query = query;
        self.refresh();
        Ok(())
    }

    /// Applies an action. Returns true when the screen must be redrawn.
    pub fn update(&mut self, action: Action) -> bool {
        match (self.mode, action) {
            (_, Action::Quit) => self.should_quit = true,
            (Mode::Browse, Action::Help) => self.open_overlay(Overlay::Help),
            (Mode::Browse, Action::FocusNext) => self.cycle_focus(true),
            (Mode::Browse, Action::FocusPrev) => self.cycle_focus(false),
            (Mode::Browse, Action::ShowMap) => self.show_map(),
            (Mode::Browse, Action::ToggleMeasure) => self.set_measure(self.trend.measure.other()),
            (Mode::Browse, Action::BinFiner) => {
                if !self.trend.finer() {
                    self.message = Some("the trend's bins are as fine as they go for this span".into());
                }
            }
            (Mode::Browse, Action::BinCoarser) => {
                if !self.trend.coarser() {
                    self.message = Some("the trend's bins are a year already".into());
                }
            }
            (Mode::Browse, Action::ZoomIn) => {
                // Closer in on what is selected, when it is in view.
                let target = self.map_highlight();
                return self.map.zoom_towards(0.5, target);
            }
            (Mode::Browse, Action::ZoomOut) => return self.map.zoom(2.0),
            (Mode::Browse, Action::FitMap) => return self.map.fit(),
            (Mode::Browse, Action::PanWest) => return self.map.pan(-0.25, 0.0),
            (Mode::Browse, Action::PanEast) => return self.map.pan(0.25, 0.0),
            (Mode::Browse, Action::PanNorth) => return self.map.pan(0.0, 0.25),
            (Mode::Browse, Action::PanSouth) => return self.map.pan(0.0, -0.25),
            (Mode::Browse, Action::Up) => self.move_in(self.focus, -1),
            (Mode::Browse, Action::Down) => self.move_in(self.focus, 1),
            (Mode::Browse, Action::PageUp) => self.move_in(self.focus, -self.page()),
            (Mode::Browse, Action::PageDown) => self.move_in(self.focus, self.page()),
            (Mode::Browse, Action::Top) => match self.focus {
                Pane::Timeline => self.timeline.top(),
                Pane::Counters => self.counters.selected = 0,
                Pane::Posts => self.posts.selected = 0,
                Pane::Trend | Pane::Map => return false,
            },
            (Mode::Browse, Action::Bottom) => match self.focus {
                Pane::Timeline => self.timeline.bottom(),
                Pane::Counters => self.counters.selected = self.counters.rows.len().saturating_sub(1),
                Pane::Posts => self.posts.selected = self.posts.rows.len().saturating_sub(1),
                Pane::Trend | Pane::Map => return false,
            },
            (Mode::Browse, Action::Open) => self.open(),
            (Mode::Browse, Action::GoToPlace) => {
                let place = self
                    .timeline
                    .selected_event()
                    .and_then(|i| self.sit.index.places.get(&*self.sit.events[i as usize].place).copied());
                match place {
                    Some(p) if self.posts.select_place(p) => self.focus = Pane::Posts,
                    Some(_) => self.message = Some("that place is not listed in Posts under this filter".into()),
                    None => return false,
                }
            }
            (Mode::Browse, Action::ClearPlace) => {
                if self.place.take().is_none() {
                    return false;
                }
                self.refresh();
            }
            (Mode::Browse, Action::OpenFilter) => {
                self.filter.previous = self.query.clone();
                self.filter.text.clone_from(&self.query.text);
                self.filter.error = None;
                self.filter.history_pos = None;
                self.mode = Mode::FilterInput;
            }
            (Mode::Browse, Action::OpenFacets) => {
                self.facets.open(&self.sit, &self.matching, &self.query.text);
                self.mode = Mode::Facets;
            }
            (Mode::Browse, Action::DayBack) => self.shift_as_of(-1),
            (Mode::Browse, Action::DayForward) => self.shift_as_of(1),
            (Mode::Browse, Action::WeekBack) => self.shift_as_of(-7),
            (Mode::Browse, Action::WeekForward) => self.shift_as_of(7),
            (Mode::Browse, Action::LatestDate) => self.set_as_of(self.sit.as_of),
            (Mode::Browse, Action::Expand) => self.posts.expand(),
            (Mode::Browse, Action::Collapse) => self.posts.collapse(),
            (Mode::Browse, Action::NextOrder) => self.posts.next_order(),
            (Mode::Browse, Action::CompareLonger | Action::CompareShorter) => {
                use crate::domain::activity::COMPARE_STEPS;
                let at = COMPARE_STEPS.iter().position(|&d| d == self.compare_days).unwrap_or(1);
                let n = COMPARE_STEPS.len();
                let next = if action == Action::CompareLonger { (at + 1) % n } else { (at + n - 1) % n };
                self.compare_days = COMPARE_STEPS[next];
                self.refresh();
            }
            (Mode::Overlay, Action::Close) => {
                self.overlay = None;
                self.overlay_view = None;
                self.mode = Mode::Browse;
            }
            (Mode::Overlay, Action::Top) => {
                self.overlay_from_end = None;
                self.overlay_scroll = 0;
            }
            // Counted from the end: the draw measures the last rows, not all above them.
            (Mode::Overlay, Action::Bottom) => self.overlay_from_end = Some(0),
            (Mode::Overlay, Action::Up | Action::Down | Action::PageUp | Action::PageDown) => {
                let step: isize = match action {
                    Action::Up => -1,
                    Action::Down => 1,
                    Action::PageUp => -10,
                    _ => 10,
                };
                if let Some(back) = self.overlay_from_end {
                    // Above the end: down comes closer to it, up goes further from it.
                    self.overlay_from_end = Some(back.saturating_add_signed(-step));
                } else {
                    let last = self.overlay_len.saturating_sub(1);
                    self.overlay_scroll = self.overlay_scroll.saturating_add_signed(step).min(last);
                }
            }
            (Mode::FilterInput, Action::Accept) => {
                self.settle();
                if self.filter.error.is_some() {
                    self.message = Some("the filter has an error; the last good filter stays in force".into());
                }
                let text = self.query.text.clone();
                if !text.trim().is_empty() && self.filter.history.last() != Some(&text) {
                    self.filter.history.push(text);
                }
                self.filter.error = None;
                self.mode = Mode::Browse;
            }
            (Mode::FilterInput, Action::Cancel) => {
                self.filter_dirty = false;
                self.query = self.filter.previous.clone();
                self.filter.error = None;
                self.mode = Mode::Browse;
                self.refresh();
            }
            (Mode::FilterInput, Action::DeleteBack) => {
                self.filter.text.pop();
                self.filter_edited();
            }
            (Mode::FilterInput, Action::HistoryBack) => {
                if self.filter.history.is_empty() {
                    return false;
                }
                let pos = self.filter.history_pos.map_or(self.filter.history.len() - 1, |p| p.saturating_sub(1));
                self.filter.history_pos = Some(pos);
                self.filter.text.clone_from(&self.filter.history[pos]);
                self.filter_edited();
            }
            (Mode::FilterInput, Action::HistoryForward) => {
                let Some(pos) = self.filter.history_pos else { return false };
                if pos + 1 < self.filter.history.len() {
                    self.filter.history_pos = Some(pos + 1);
                    self.filter.text.clone_from(&self.filter.history[pos + 1]);
                } else {
                    self.filter.history_pos = None;
                    self.filter.text.clear();
                }
                self.filter_edited();
            }
            (Mode::Facets, Action::Up) => self.facets.move_by(-1),
            (Mode::Facets, Action::Down) => self.facets.move_by(1),
            (Mode::Facets, Action::FocusNext) => self.facets.next_group(),
            (Mode::Facets, Action::Toggle) => {
                let text = self.facets.toggle(&self.query.text);
                if let Err(err) = self.set_filter_text(&text) {
                    self.message = Some(format!("facet filter: {err}"));
                }
            }
            (Mode::Facets, Action::Close) => self.mode = Mode::Browse,
            (Mode::Browse, Action::Export | Action::Report) => {
                let kind = if action == Action::Export { SaveKind::Export } else { SaveKind::Report };
                self.save = Some(SavePrompt::new(kind, self.window().to, self.shown.len()));
                self.mode = Mode::SavePrompt;
            }
            (Mode::SavePrompt, Action::NextFormat) => {
                if let Some(prompt) = &mut self.save {
                    prompt.next_format();
                }
            }
            (Mode::SavePrompt, Action::DeleteBack) => {
                if let Some(prompt) = &mut self.save {
                    prompt.path.pop();
                    prompt.error = None;
                }
            }
            (Mode::SavePrompt, Action::Cancel) => {
                self.save = None;
                self.mode = Mode::Browse;
            }
            (Mode::SavePrompt, Action::Accept) => self.save_view(false),
            (Mode::Confirm, Action::Overwrite) => self.save_view(true),
            (Mode::Confirm, Action::Cancel) => {
                if let Some(prompt) = &mut self.save {
                    prompt.confirming = false;
                }
                self.mode = Mode::SavePrompt;
            }
            _ => return false,
        }
        true
    }

    /// Writes what the save prompt asks for: exactly the events shown (filter, place, as-of),
    /// or their report, through the same code as `sitdash events` and `sitdash report`;
    /// whole or not at all, and an existing file only when `overwrite` (after asking).
    fn save_view(&mut self, overwrite: bool) {
        let Some(prompt) = &self.save else { return };
        let typed = prompt.path.trim();
        if typed.is_empty() {
            if let Some(p) = &mut self.save {
                p.error = Some("type a file name first".into());
            }
            return;
        }
        let path = match typed.strip_prefix("~/") {
            Some(rest) => {
                std::env::var_os("HOME").map_or_else(|| PathBuf::from(typed), |h| PathBuf::from(h).join(rest))
            }
            None => PathBuf::from(typed),
        };
        let path = match &self.save_dir {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path,
        };
        let format = prompt.chosen();
        let window = self.window();
        let (sit, shown) = (&self.sit, &self.shown);
        let filter = match (self.query.is_empty(), self.place) {
            (true, None) => None,
            (_, place) => {
                let mut text = self.query.text.trim().to_string();
                if let Some(p) = place {
                    if !text.is_empty() {
                        text.push_str(" · ");
                    }
                    text.push_str("place ");
                    text.push_str(&sit.places[p].name);
                }
                Some(text)
            }
        };
        let written = write_atomically(&path, overwrite, |out| match format {
            SaveFormat::Events(f) => write_view(out, sit, shown, f, window.to),
            SaveFormat::Report(f) => {
                let events: Vec<&crate::domain::model::Event> =
                    shown.iter().map(|&i| &sit.events[i as usize]).collect();
                let report = Report::build(sit, &events, window, filter.as_deref());
                let text = match f {
                    ReportFormat::Markdown => to_markdown(sit, &report),
                    ReportFormat::Html => to_html(sit, &report),
                };
                std::io::Write::write_all(out, text.as_bytes())
            }
        });
        let shown_path = clean(&path.display().to_string());
        match written {
            Ok(()) => {
                self.message = Some(match format {
                    SaveFormat::Events(f) => format!("wrote {} rows ({}) to {shown_path}", self.shown.len(), f.label()),
                    SaveFormat::Report(_) => format!("report on {} events written to {shown_path}", self.shown.len()),
                });
                self.save = None;
                self.mode = Mode::Browse;
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && !overwrite => {
                if let Some(p) = &mut self.save {
                    p.confirming = true;
                }
                self.mode = Mode::Confirm;
            }
            Err(err) => {
                if let Some(p) = &mut self.save {
                    p.confirming = false;
                    p.error = Some(format!("cannot write {shown_path}: {err}; change the path or Esc"));
                }
                self.mode = Mode::SavePrompt;
            }
        }
    }

    fn open(&mut self) {
        match self.focus {
            Pane::Timeline => {
                if let Some(i) = self.timeline.selected_event() {
                    self.open_overlay(Overlay::Detail(DetailTarget::Event(i)));
                }
            }
            Pane::Counters => {
                if let Some(row) = self.counters.rows.get(self.counters.selected).cloned() {
                    self.open_overlay(Overlay::Detail(DetailTarget::Counter(row)));
                }
            }
            Pane::Posts => match self.posts.rows.get(self.posts.selected).copied() {
                Some(PostsRow::Place { place, .. }) => {
                    self.place = if self.place == Some(place) { None } else { Some(place) };
                    self.refresh();
                }
                Some(PostsRow::Post { post, .. }) => self.open_overlay(Overlay::Detail(DetailTarget::Post(post))),
                None => {}
            },
            Pane::Trend => self.open_overlay(Overlay::Trend),
            Pane::Map => {}
        }
    }

    /// "3 of 12 events".
    #[must_use]
    pub fn count_line(&self) -> String {
        format!("{} of {} events", self.shown.len(), self.sit.events.len())
    }

    /// The counter row selected, for tests and the detail overlay.
    #[must_use]
    pub fn selected_counter(&self) -> Option<&CounterRow> {
        self.counters.rows.get(self.counters.selected)
    }

    /// Test and script helper: a key press as the terminal would send it.
    pub fn press(&mut self, code: KeyCode) -> bool {
        let modifiers = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() || "?{}".contains(c) => KeyModifiers::SHIFT,
            KeyCode::BackTab => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        self.handle_event(&Event::Key(KeyEvent::new(code, modifiers)))
    }

    /// Test helper: types each character of `text`.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }
}
