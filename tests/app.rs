//! The dashboard driven as a person drives it: key and mouse events go through
//! `App::handle_event` (the handler the real loop uses) and the screen is drawn on a
//! `TestBackend` after every event, as the loop does, then read back row by row and cell by
//! cell. The data is the embedded Idlib set; the expected figures are worked out by hand from
//! `data/idlib-2020-02.json` in the comments.

mod common;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier};

use common::{
    assert_fg, assert_modifier, default_app, draw, find, locate, reversed_rows, row, rows, rows_in, screen, text_at,
};
use sitdash::domain::model::Outcome;
use sitdash::tui::app::{App, Overlay};
use sitdash::tui::keymap::{BINDINGS, Mode, Pane};
use sitdash::tui::panes::counters::CounterRow;
use sitdash::tui::panes::detail::DetailTarget;
use sitdash::tui::panes::posts::PostsRow;
use sitdash::tui::panes::timeline::Row;

/// The app on a screen of a fixed size, redrawn after every event like the real loop.
struct Session {
    app: App,
    width: u16,
    height: u16,
    buf: Buffer,
}

impl Session {
    fn new(width: u16, height: u16) -> Session {
        Session::with(default_app(), width, height)
    }

    fn with(mut app: App, width: u16, height: u16) -> Session {
        let buf = draw(&mut app, width, height);
        Session { app, width, height, buf }
    }

    fn redraw(&mut self) {
        self.buf = draw(&mut self.app, self.width, self.height);
    }

    fn event(&mut self, event: &Event) -> bool {
        let changed = self.app.handle_event(event);
        self.redraw();
        changed
    }

    fn key(&mut self, code: KeyCode) -> bool {
        let changed = self.app.press(code);
        self.redraw();
        changed
    }

    /// Each character as a key press, with a redraw after each.
    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn screen(&self) -> String {
        screen(&self.buf)
    }

    fn header(&self) -> String {
        row(&self.buf, 0)
    }

    /// The footer after its first part (the filter and "N of M events"), where messages
    /// and keys follow.
    fn footer(&self) -> String {
        let line = row(&self.buf, self.height - 1);
        line.split_once(" │ ").map_or(line.clone(), |(_, rest)| rest.to_string())
    }

    fn footer_line(&self) -> String {
        row(&self.buf, self.height - 1)
    }

    fn has(&self, text: &str) -> bool {
        self.screen().contains(text)
    }

    #[track_caller]
    fn assert_has(&self, text: &str) {
        assert!(self.has(text), "`{text}` should be on the screen:\n{}", self.screen());
    }

    #[track_caller]
    fn assert_lacks(&self, text: &str) {
        assert!(!self.has(text), "`{text}` should not be on the screen:\n{}", self.screen());
    }

    fn pane(&self, area: Rect) -> String {
        rows_in(&self.buf, area).join("\n")
    }

    fn timeline(&self) -> String {
        self.pane(self.app.areas.timeline)
    }

    fn counters(&self) -> String {
        self.pane(self.app.areas.counters)
    }

    fn posts(&self) -> String {
        self.pane(self.app.areas.posts)
    }

    /// The id of the event selected in the timeline.
    fn selected_event_id(&self) -> Option<&str> {
        self.app.timeline.selected_event().map(|i| self.app.sit.events[i as usize].id.as_ref())
    }

    /// The text of the timeline row drawn as selected; exactly one.
    #[track_caller]
    fn highlighted_timeline_row(&self) -> String {
        let rows = reversed_rows(&self.buf, self.app.areas.timeline);
        assert_eq!(rows.len(), 1, "one timeline row is highlighted:\n{}", self.screen());
        rows[0].clone()
    }

    /// The posts row (as data) that is selected.
    fn selected_posts_row(&self) -> Option<PostsRow> {
        self.app.posts.rows.get(self.app.posts.selected).copied()
    }

    /// The row of the filter input, just above its help or error row and the footer.
    fn input_row(&self) -> String {
        row(&self.buf, self.height - 3).trim_end().to_string()
    }

    fn input_message_row(&self) -> String {
        row(&self.buf, self.height - 2).trim_end().to_string()
    }

    /// Presses `j` in the focused pane until `done`, at most `limit` times.
    fn down_until(&mut self, limit: usize, done: impl Fn(&Session) -> bool) {
        for _ in 0..limit {
            if done(self) {
                return;
            }
            self.key(KeyCode::Char('j'));
        }
        assert!(done(self), "never reached the wanted row in {limit} presses:\n{}", self.screen());
    }

    fn place_index(&self, id: &str) -> usize {
        self.app.sit.index.places[id]
    }

    fn post_index(&self, id: &str) -> usize {
        self.app.sit.index.posts[id]
    }
}

fn mouse(kind: MouseEventKind, at: Position) -> Event {
    Event::Mouse(MouseEvent { kind, column: at.x, row: at.y, modifiers: KeyModifiers::NONE })
}

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The sum of the "N posts" counts on the place rows of the posts pane.
fn posts_on_place_rows(posts_pane: &str) -> usize {
    posts_pane
        .lines()
        .filter_map(|line| {
            let (before, _) = line.split_once(" post")?;
            before.split_whitespace().last()?.parse::<usize>().ok()
        })
        .sum()
}

/// The row of a pane holding `needle`, as text inside the pane's borders.
#[track_caller]
fn line_with<'a>(pane: &'a str, needle: &str) -> &'a str {
    let line =
        pane.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with `{needle}` in:\n{pane}"));
    line.trim_start_matches('│').trim_end().trim_end_matches('│').trim_end()
}

// ---------------------------------------------------------------------------------------------
// The first screen

#[test]
fn the_first_screen_shows_the_header_the_three_panes_and_the_figures() {
    let s = Session::new(140, 40);
    let header = s.header();
    assert!(header.contains("Idlib, early February 2020"), "{header}");
    assert!(header.contains("as of 7 Feb 2020"), "{header}");
    assert!(!header.contains("time cursor"), "the data's own date is not a moved cursor: {header}");
    assert!(header.contains("filter: none  12 of 12 events"), "{header}");

    // Wide enough: all three panes side by side, no tab line.
    let areas = s.app.areas;
    assert!(!areas.timeline.is_empty() && !areas.counters.is_empty() && !areas.posts.is_empty(), "{areas:?}");
    assert!(s.timeline().lines().next().unwrap().contains("Timeline · 12 of 12 events"));
    assert!(s.counters().lines().next().unwrap().contains("Counters as of 7 Feb"));
    assert!(s.posts().lines().next().unwrap().contains("Places · by events as of 7 Feb"));

    // 5 Turkish soldiers + 3 civilians + at least 13 troops + at least 10 civilians = 31, a floor.
    let counters = s.counters();
    assert!(counters.contains("│Killed     31+         a floor"), "{counters}");
    assert!(line_with(&counters, "  civilians").contains("13+"), "3 + at least 10: {counters}");
    assert!(line_with(&counters, "Turkish armed forces").ends_with(" 5"), "{counters}");
    assert!(counters.contains("│Injured    0           none reported"), "{counters}");
    assert!(counters.contains("│Displaced  ~586,000"), "{counters}");

    let posts = s.posts();
    let touqan = line_with(&posts, "Tell Touqan");
    assert!(touqan.contains("● Tell Touqan") && touqan.contains("encircled") && touqan.contains("5 Feb 2020"));
    let saraqeb = line_with(&posts, "Saraqeb ");
    assert!(saraqeb.contains("2 posts") && saraqeb.contains(" 3 ev"), "{posts}");
    // A busier place ranks above a quieter one: Saraqeb (3 events) above Sarmin (1).
    assert!(posts.find("Saraqeb ").unwrap() < posts.find("Sarmin ").unwrap(), "{posts}");

    // The trend (where the killed-per-day sparkline was): killed per day, its peak, and the
    // deaths known only to the week counted apart, not spread over its days.
    let trend = s.pane(areas.trend);
    assert!(trend.lines().next().unwrap().contains("Trend · killed per day"), "{trend}");
    assert!(trend.contains("peak 6 Feb 2020: 10+ killed · 16+ killed not within one day"), "{trend}");
    // At 140x40 the map is one key away.
    assert!(areas.map.is_empty());

    // The footer comes from the key table.
    assert!(s.footer().starts_with("q quit  ? help  m map  Tab next pane"), "{}", s.footer());
}

#[test]
fn an_encircled_post_is_red_and_the_selected_timeline_row_is_reversed() {
    let s = Session::new(140, 40);
    let posts = s.app.areas.posts;
    let name = locate(&s.buf, posts, "Tell Touqan");
    let row_area = Rect { x: posts.x, y: name.y, width: posts.width, height: 1 };
    let status = locate(&s.buf, row_area, "encircled");
    assert_fg(&s.buf, status, 9, Color::Red, "encircled status");
    assert_modifier(&s.buf, status, 9, Modifier::BOLD, "encircled status");
    let bullet = locate(&s.buf, row_area, "●");
    assert_fg(&s.buf, bullet, 1, Color::Red, "the bullet of an encircled post");
    // An established post is green, not red.
    let salwa = locate(&s.buf, posts, "Salwa");
    let salwa_row = Rect { x: posts.x, y: salwa.y, width: posts.width, height: 1 };
    assert_fg(&s.buf, locate(&s.buf, salwa_row, "established"), 11, Color::Green, "established status");

    // The file opens on its date: the last event on or before 7 Feb is selected.
    assert_eq!(s.selected_event_id(), Some("idl-20200206-saraqeb-taken"));
    // `g` goes to the first event; the whole of its row is reversed, its neighbours are not.
    let mut s = s;
    s.key(KeyCode::Char('g'));
    assert_eq!(s.selected_event_id(), Some("idl-20200203-tk-soldiers-killed"));
    let timeline = s.app.areas.timeline;
    let selected = locate(&s.buf, timeline, "Government mortar fire");
    let content_width = timeline.width - 3; // borders, and the column left for the scrollbar
    assert_modifier(
        &s.buf,
        Position { x: timeline.x + 1, y: selected.y },
        content_width,
        Modifier::REVERSED,
        "selected row",
    );
    for y in [selected.y - 1, selected.y + 1] {
        assert!(!s.buf[(timeline.x + 1, y)].modifier.contains(Modifier::REVERSED), "row {y} is not selected");
    }
    assert!(s.highlighted_timeline_row().contains("Government mortar fire kills"));
}

// ---------------------------------------------------------------------------------------------
// Sizes

const SIZES: [(u16, u16); 7] = [(0, 0), (1, 1), (10, 3), (40, 10), (80, 24), (200, 60), (300, 100)];

/// Draws the app at every size in the state `setup` leaves it, with each overlay too.
fn draw_everywhere(setup: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let mut app = default_app();
        setup(&mut app);
        draw(&mut app, width, height);
        for keys in ["?", "\n", "f", "/x", "/kind:", "\t\n", "\t\t\n"] {
            let mut app = default_app();
            setup(&mut app);
            draw(&mut app, width, height);
            for c in keys.chars() {
                let code = match c {
                    '\n' => KeyCode::Enter,
                    '\t' => KeyCode::Tab,
                    c => KeyCode::Char(c),
                };
                app.press(code);
                draw(&mut app, width, height);
            }
            for code in [KeyCode::Char('j'), KeyCode::PageDown, KeyCode::Char('G'), KeyCode::End] {
                app.press(code);
                draw(&mut app, width, height);
            }
        }
    }
}

#[test]
fn every_size_draws_without_panicking() {
    draw_everywhere(|_| {});
    draw_everywhere(|app| {
        // With the time cursor moved back, a place narrowing and a filter.
        for c in "[[[".chars() {
            app.press(KeyCode::Char(c));
        }
        app.set_filter_text("shelling").expect("a good filter");
    });
}

#[test]
fn below_the_minimum_size_one_line_says_the_terminal_is_too_small() {
    for (width, height) in [(39, 10), (40, 9), (100, 9), (39, 40)] {
        let mut app = default_app();
        let buf = draw(&mut app, width, height);
        let lines = rows(&buf);
        assert!(
            lines[0].starts_with(&format!("terminal too small: {width}x{height}, sitdash ")),
            "{width}x{height}: {}",
            lines[0]
        );
        assert!(lines[1..].iter().all(String::is_empty), "nothing else is drawn at {width}x{height}");
        assert!(app.areas.timeline.is_empty() && app.areas.posts.is_empty(), "no pane takes the mouse");
    }
    // Narrower than the notice: it is cut with an ellipsis, never spilled.
    let mut app = default_app();
    assert_eq!(rows(&draw(&mut app, 10, 3)), ["terminal …", "", ""]);
    assert_eq!(rows(&draw(&mut app, 1, 1)), ["…"]);
    assert_eq!(rows(&draw(&mut app, 0, 0)), Vec::<String>::new());
    // From 40x10 on, the panes are drawn.
    let buf = draw(&mut app, 40, 10);
    assert!(row(&buf, 0).contains("sitdash"), "{}", screen(&buf));
    assert!(find(&buf, "Timeline · 12 of 12").is_some(), "{}", screen(&buf));
}

#[test]
fn the_app_draws_only_inside_the_area_it_is_given() {
    let mut buf = Buffer::empty(Rect::new(0, 0, 100, 30));
    let mut app = default_app();
    let area = Rect::new(3, 2, 60, 20);
    sitdash::tui::ui::draw(area, &mut buf, &mut app);
    for y in 0..30 {
        for x in 0..100 {
            if !area.contains(Position { x, y }) {
                assert_eq!(buf[(x, y)].symbol(), " ", "cell ({x}, {y}) lies outside the area:\n{}", screen(&buf));
            }
        }
    }
    assert!(text_at(&buf, 3, 2, 60).contains("sitdash"));
    assert!(app.areas.timeline.y > area.y && area.contains(app.areas.timeline.as_position()));
}

#[test]
fn at_80x24_one_pane_shows_at_a_time_and_tab_switches_it() {
    let mut s = Session::new(80, 24);
    let tabs = row(&s.buf, 1);
    assert_eq!(tabs.trim_end(), " Timeline  Counters  Trend  Places  Map");
    let on_tab = |s: &Session, title: &str| {
        let at = locate(&s.buf, Rect::new(0, 1, 80, 1), title);
        s.buf[(at.x, 1)].modifier.contains(Modifier::REVERSED)
    };
    assert!(on_tab(&s, "Timeline") && !on_tab(&s, "Counters") && !on_tab(&s, "Places"));
    s.assert_has("Timeline · 12 of 12 events");
    s.assert_lacks("Counters as of");
    s.assert_lacks("Places · by events");
    assert!(s.app.areas.counters.is_empty() && s.app.areas.posts.is_empty());

    s.key(KeyCode::Tab);
    assert!(on_tab(&s, "Counters") && !on_tab(&s, "Timeline"));
    s.assert_has("Counters as of 7 Feb");
    s.assert_has("Killed     31+");
    s.assert_lacks("Timeline ·");
    assert!(s.app.areas.timeline.is_empty() && !s.app.areas.counters.is_empty());

    s.key(KeyCode::Tab);
    assert!(on_tab(&s, "Trend"));
    s.assert_has("peak 6 Feb 2020: 10+ killed");
    s.key(KeyCode::Tab);
    assert!(on_tab(&s, "Places"));
    s.assert_has("Places · by events as of 7 Feb");
    s.assert_lacks("Counters as of");

    s.key(KeyCode::BackTab);
    s.key(KeyCode::BackTab);
    assert!(on_tab(&s, "Counters"));
    s.assert_has("Counters as of 7 Feb");
}

// ---------------------------------------------------------------------------------------------
// Keys in the timeline, the overlays and focus

#[test]
fn j_k_g_and_shift_g_move_the_timeline_selection_over_events_not_headers() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('g'));
    assert!(s.highlighted_timeline_row().contains("Government mortar fire kills"));

    // `j` skips the "Week of 3 Feb" header to the next event.
    s.key(KeyCode::Char('j'));
    assert_eq!(s.selected_event_id(), Some("idl-2020w06-civilians-shelled"));
    assert!(s.highlighted_timeline_row().starts_with("wk02-03      SHELL †3"), "{}", s.highlighted_timeline_row());
    assert!(s.highlighted_timeline_row().contains("Government shelling kills"));

    s.key(KeyCode::Char('j'));
    assert!(s.highlighted_timeline_row().contains("Joint Turkish-Russian patrol"));
    s.key(KeyCode::Char('k'));
    assert!(s.highlighted_timeline_row().contains("Government shelling kills"));

    s.key(KeyCode::Char('G'));
    assert_eq!(s.selected_event_id(), Some("idl-20200208-ankara-talks"));
    assert!(s.highlighted_timeline_row().contains("Russian delegation due in An"));
    s.key(KeyCode::Char('j'));
    assert_eq!(s.selected_event_id(), Some("idl-20200208-ankara-talks"), "j stops at the last event");

    s.key(KeyCode::Char('g'));
    assert_eq!(s.selected_event_id(), Some("idl-20200203-tk-soldiers-killed"));
    assert!(s.highlighted_timeline_row().contains("Government mortar fire kills"));
    s.key(KeyCode::Char('k'));
    assert_eq!(s.selected_event_id(), Some("idl-20200203-tk-soldiers-killed"), "k stops at the first event");

    // Arrows, End and Home do the same.
    s.key(KeyCode::Down);
    assert_eq!(s.selected_event_id(), Some("idl-2020w06-civilians-shelled"));
    s.key(KeyCode::End);
    assert_eq!(s.selected_event_id(), Some("idl-20200208-ankara-talks"));
    s.key(KeyCode::Home);
    assert_eq!(s.selected_event_id(), Some("idl-20200203-tk-soldiers-killed"));
    // The selection is always an event, never a date header.
    assert!(matches!(s.app.timeline.rows.get(s.app.timeline.selected.unwrap()), Some(Row::Event(_))));
}

#[test]
fn enter_opens_the_event_detail_with_the_three_disagreeing_claims_and_esc_closes_it() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('g'));
    assert_eq!(s.selected_event_id(), Some("idl-20200203-tk-soldiers-killed"));
    s.key(KeyCode::Enter);
    assert_eq!(s.app.mode, Mode::Overlay);
    assert_eq!(s.app.overlay, Some(Overlay::Detail(DetailTarget::Event(0))));
    s.assert_has("Event · Esc closes");
    s.assert_has("Turkish armed forces killed: 5  (3 claims)");
    // Early reports said 4, the ministry 7, the article 5: the article's is the one counted.
    s.assert_has("    4         \"4 soldiers\"             early reports");
    s.assert_has("    7         \"7 soldiers\"             Turkish Ministry of National Defence");
    s.assert_has("  ✓ 5         \"five Turkish soldiers\"  The New Arab");
    s.assert_lacks("✓ 4 ");
    s.assert_lacks("✓ 7 ");
    assert_eq!(s.screen().matches("✓ 5 ").count(), 1);
    assert!(s.footer().starts_with("Esc close"), "{}", s.footer());

    // Keys of the panes do not act under the overlay.
    s.key(KeyCode::Tab);
    assert_eq!(s.app.focus, Pane::Timeline);

    s.key(KeyCode::Esc);
    assert_eq!(s.app.mode, Mode::Browse);
    assert_eq!(s.app.overlay, None);
    s.assert_lacks("Event · Esc closes");
    s.assert_lacks("\"4 soldiers\"");
    assert!(s.highlighted_timeline_row().contains("Government mortar fire kills"));
}

#[test]
fn help_lists_every_browse_binding_from_the_key_table() {
    let mut s = Session::new(140, 60);
    s.key(KeyCode::Char('?'));
    assert_eq!(s.app.overlay, Some(Overlay::Help));
    s.assert_has("Keys (from the key table)");
    let screen = s.screen();
    let browse: Vec<_> = BINDINGS.iter().filter(|b| b.mode == Mode::Browse).collect();
    assert!(browse.len() > 15, "the table has the browse keys");
    for b in browse {
        let line = format!("  {:<9}{}", b.label, b.help);
        assert!(screen.contains(&line), "help lacks `{line}`:\n{screen}");
    }
    // Scrolling moves the list up by one line; Esc closes.
    s.key(KeyCode::Char('j'));
    let popup_first = screen_line_after_title(&s, "Keys (from the key table)");
    assert!(popup_first.contains("q        quit"), "{popup_first}");
    s.key(KeyCode::Char('k'));
    assert!(screen_line_after_title(&s, "Keys (from the key table)").contains("Browsing"));
    s.key(KeyCode::Esc);
    assert_eq!(s.app.mode, Mode::Browse);
    s.assert_lacks("Keys (from the key table)");
}

/// The screen row just under an overlay's title.
fn screen_line_after_title(s: &Session, title: &str) -> String {
    let at = locate(&s.buf, s.buf.area, title);
    row(&s.buf, at.y + 1)
}

#[test]
fn tab_and_shift_tab_cycle_the_focus_and_the_focused_border_is_cyan() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('g'));
    let corner = |s: &Session, pane: Pane| {
        let area = s.app.areas.of(pane);
        s.buf[(area.x, area.y)].fg
    };
    // At 140x40 the map is one key away (`m`): Tab visits the four panes on screen.
    let expect = |s: &Session, focused: Pane| {
        assert_eq!(s.app.focus, focused);
        assert!(s.app.areas.map.is_empty());
        for pane in [Pane::Timeline, Pane::Counters, Pane::Trend, Pane::Posts] {
            let want = if pane == focused { Color::Cyan } else { Color::DarkGray };
            assert_eq!(corner(s, pane), want, "border of {pane:?} with {focused:?} focused");
        }
    };
    expect(&s, Pane::Timeline);
    s.key(KeyCode::Tab);
    expect(&s, Pane::Counters);
    s.key(KeyCode::Tab);
    expect(&s, Pane::Trend);
    s.key(KeyCode::Tab);
    expect(&s, Pane::Posts);
    s.key(KeyCode::Tab);
    expect(&s, Pane::Timeline);
    s.key(KeyCode::BackTab);
    expect(&s, Pane::Posts);
    s.key(KeyCode::BackTab);
    expect(&s, Pane::Trend);
    s.key(KeyCode::BackTab);
    expect(&s, Pane::Counters);

    // An unfocused pane's selection is underlined, not reversed.
    let timeline = s.app.areas.timeline;
    let selected = locate(&s.buf, timeline, "Government mortar fire");
    let cell = &s.buf[(timeline.x + 1, selected.y)];
    assert!(cell.modifier.contains(Modifier::UNDERLINED) && !cell.modifier.contains(Modifier::REVERSED));
    // j now moves the counters' selection, not the timeline's.
    s.key(KeyCode::Char('j'));
    assert_eq!(s.selected_event_id(), Some("idl-20200203-tk-soldiers-killed"));
    assert_eq!(
        s.app.selected_counter(),
        Some(&CounterRow::Group(sitdash::domain::model::Outcome::Killed, "civilians".into()))
    );
    assert!(reversed_rows(&s.buf, s.app.areas.counters)[0].starts_with("  civilians"));
}

#[test]
fn enter_on_a_place_narrows_every_pane_and_enter_again_or_esc_removes_it() {
    let mut s = Session::new(140, 40);
    let saraqeb = s.place_index("saraqeb");
    s.key(KeyCode::BackTab);
    assert_eq!(s.app.focus, Pane::Posts);
    s.down_until(40, |s| matches!(s.selected_posts_row(), Some(PostsRow::Place { place, .. }) if place == saraqeb));
    let highlighted = reversed_rows(&s.buf, s.app.areas.posts);
    assert!(highlighted[0].trim_start().starts_with("▾ Saraqeb"), "{highlighted:?}");

    s.key(KeyCode::Enter);
    assert_eq!(s.app.place, Some(saraqeb));
    let header = s.header();
    assert!(header.contains("place: Saraqeb"), "{header}");
    assert!(header.trim_end().ends_with("filter: none  3 of 12 events"), "{header}");
    assert_eq!(s.app.count_line(), "3 of 12 events");
    let timeline = s.timeline();
    assert!(timeline.contains("Timeline · 3 of 12 events"));
    for summary in ["Turkish position in Saraqeb", "Government forces encircle", "Government forces take much"] {
        assert!(timeline.contains(summary), "{summary}: {timeline}");
    }
    assert!(!timeline.contains("Government mortar fire"), "{timeline}");
    assert!(s.posts().contains("▶ Saraqeb"), "the narrowing is marked in the list");
    // Nobody is reported killed at Saraqeb.
    assert!(s.counters().contains("│Killed     0           none reported"), "{}", s.counters());

    // Enter on the same place again removes the narrowing.
    s.key(KeyCode::Enter);
    assert_eq!(s.app.place, None);
    assert!(!s.header().contains("place:"));
    assert!(s.header().contains("12 of 12 events"));
    assert!(!s.posts().contains("▶"));

    // And so does Esc; a second Esc has nothing left to do.
    s.key(KeyCode::Enter);
    assert!(s.header().contains("place: Saraqeb"));
    assert!(s.key(KeyCode::Esc));
    assert_eq!(s.app.place, None);
    assert!(s.header().contains("filter: none  12 of 12 events"), "{}", s.header());
    assert!(!s.key(KeyCode::Esc), "nothing changed");

    // Enter on a post opens its detail instead.
    s.key(KeyCode::Char('j'));
    assert!(matches!(s.selected_posts_row(), Some(PostsRow::Post { .. })));
    s.key(KeyCode::Enter);
    assert!(matches!(s.app.overlay, Some(Overlay::Detail(DetailTarget::Post(_)))));
    s.assert_has("Observation post · Esc closes");
}

#[test]
fn p_on_an_event_jumps_to_its_place_in_the_posts_pane() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('G'));
    s.key(KeyCode::Char('k'));
    assert_eq!(s.selected_event_id(), Some("idl-20200206-saraqeb-taken"));
    s.key(KeyCode::Char('p'));
    assert_eq!(s.app.focus, Pane::Posts);
    let saraqeb = s.place_index("saraqeb");
    assert!(matches!(s.selected_posts_row(), Some(PostsRow::Place { place, .. }) if place == saraqeb));
    assert!(reversed_rows(&s.buf, s.app.areas.posts)[0].trim_start().starts_with("▾ Saraqeb"));

    // An event at a place the posts pane does not list (Ankara, 8 Feb, after the as-of date).
    s.key(KeyCode::Tab);
    assert_eq!(s.app.focus, Pane::Timeline);
    s.key(KeyCode::Char('G'));
    s.key(KeyCode::Char('p'));
    assert_eq!(s.app.focus, Pane::Timeline, "focus stays");
    assert!(s.footer().starts_with("that place is not listed in Posts under this filter"), "{}", s.footer());

    // `p` means nothing in the counters.
    s.key(KeyCode::Tab);
    assert!(!s.key(KeyCode::Char('p')));
    assert_eq!(s.app.focus, Pane::Counters);
}

#[test]
fn q_quits_from_browsing_and_ctrl_c_from_anywhere() {
    let mut app = default_app();
    assert!(!app.should_quit);
    app.press(KeyCode::Char('q'));
    assert!(app.should_quit);

    // In the filter input `q` is a letter; Ctrl-C still quits.
    let mut app = default_app();
    app.press(KeyCode::Char('/'));
    app.press(KeyCode::Char('q'));
    assert!(!app.should_quit);
    assert_eq!(app.filter.text, "q");
    app.handle_event(&ctrl('c'));
    assert!(app.should_quit);

    // In an overlay `q` closes it.
    let mut app = default_app();
    app.press(KeyCode::Char('?'));
    app.press(KeyCode::Char('q'));
    assert!(!app.should_quit);
    assert_eq!(app.mode, Mode::Browse);
}

#[test]
fn key_releases_are_ignored() {
    let mut app = default_app();
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert!(!app.handle_event(&Event::Key(release)));
    assert!(!app.should_quit);
    let before = app.timeline.selected_event();
    let mut release = KeyEvent::new(KeyCode::Char('k'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    app.handle_event(&Event::Key(release));
    assert_eq!(app.timeline.selected_event(), before);
}

// ---------------------------------------------------------------------------------------------
// The filter

#[test]
fn the_filter_applies_key_by_key() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('/'));
    assert_eq!(s.app.mode, Mode::FilterInput);
    assert_eq!(s.input_row(), "/ █");
    assert!(s.input_message_row().contains("Enter keeps · Esc restores the previous filter"));
    // Worked out from the data: "s" is in every event; "sa" in "says", "said", "Saturday",
    // Sarmin and Saraqeb (8); "sar" only in Sarmin and Saraqeb (4); from "sara" on only
    // Saraqeb, whose alternative name is Saraqib (3).
    let steps = [("s", 12), ("sa", 8), ("sar", 4), ("sara", 3), ("saraq", 3), ("saraqi", 3), ("saraqib", 3)];
    for (typed, count) in steps {
        s.key(KeyCode::Char(typed.chars().last().unwrap()));
        let counted = format!("{count} of 12 events");
        assert_eq!(s.app.count_line(), counted, "after `{typed}`");
        assert!(s.header().contains(&format!("filter: {typed}  {counted}")), "after `{typed}`: {}", s.header());
        assert!(s.timeline().contains(&format!("Timeline · {counted}")), "after `{typed}`");
        assert_eq!(s.input_row(), format!("/ {typed}█"));
        match typed {
            "sa" => {
                assert!(s.timeline().contains("Russian delegation due"), "\"Saturday\" is in its notes");
                assert!(!s.timeline().contains("Government shelling kills"), "no \"sa\" anywhere in it");
            }
            "sar" => assert!(s.timeline().contains("Turkey builds a new observat"), "at Sarmin"),
            _ => {}
        }
    }
    let timeline = s.timeline();
    for summary in ["Turkish position in Saraqeb", "Government forces encircle", "Government forces take much"] {
        assert!(timeline.contains(summary), "{summary}: {timeline}");
    }
    // The other panes follow the filter: only Saraqeb's posts are listed.
    let posts = s.posts();
    assert!(posts.contains("Saraqeb") && posts.contains("Tell Touqan"), "{posts}");
    assert!(!posts.contains("Morek") && !posts.contains("Idlib city"), "{posts}");
    assert!(s.counters().contains("│Killed     0"), "{}", s.counters());

    // Backspace widens again.
    for _ in 0..5 {
        s.key(KeyCode::Backspace);
    }
    assert_eq!(s.input_row(), "/ sa█");
    assert_eq!(s.app.count_line(), "8 of 12 events");
}

#[test]
fn a_bad_query_shows_where_it_is_wrong_and_the_last_good_filter_stays() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('/'));
    s.keys("kind");
    // "kind" as a word matches nothing: the last good filter.
    assert_eq!(s.app.count_line(), "0 of 12 events");
    assert!(s.input_message_row().contains("Enter keeps"));
    for typed in ["kind:", "kind:z", "kind:zz", "kind:zzz"] {
        s.key(KeyCode::Char(typed.chars().last().unwrap()));
        let message = s.input_message_row();
        assert!(message.contains("^ column 6:"), "after `{typed}`: {message}");
        assert!(message.contains("(last good filter still applied)"), "{message}");
        assert_eq!(s.app.count_line(), "0 of 12 events", "unchanged after `{typed}`");
        assert!(s.header().contains("filter: kind  0 of 12 events"), "{}", s.header());
        assert_eq!(s.buf[(0, s.height - 2)].fg, Color::Red, "the error is red");
    }
    assert!(s.input_message_row().contains("no kind matches `zzz`"));
    // The caret points at the bad value, under the input.
    let caret = s.input_message_row().find('^').unwrap();
    let value = s.input_row().find("zzz").unwrap();
    assert_eq!(caret, value, "\n{}\n{}", s.input_row(), s.input_message_row());

    for _ in 0..4 {
        s.key(KeyCode::Backspace);
    }
    assert_eq!(s.input_row(), "/ kind█");
    assert!(s.input_message_row().contains("Enter keeps"), "the error is gone");
}

#[test]
fn enter_keeps_the_last_good_filter_when_the_text_is_bad() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('/'));
    s.keys("kind:shelling");
    // Shelling: the soldiers, the civilians, the return fire and the Saraqeb position.
    assert_eq!(s.app.count_line(), "4 of 12 events");
    s.keys(",zzz");
    assert!(s.input_message_row().contains("^ column 15: no kind matches `zzz`"), "{}", s.input_message_row());
    assert_eq!(s.app.count_line(), "4 of 12 events", "the good part stays applied");
    assert_eq!(s.timeline().matches("SHELL").count(), 4);

    s.key(KeyCode::Enter);
    assert_eq!(s.app.mode, Mode::Browse);
    assert!(s.header().contains("filter: kind:shelling  4 of 12 events"), "{}", s.header());
    assert!(s.footer_line().starts_with("kind:shelling · 4 of 12 events │ "), "{}", s.footer_line());
    assert!(s.footer().starts_with("the filter has an error; the last good filter stays in force"));
    assert_eq!(s.app.filter.history, ["kind:shelling"]);
    // Reopened, the input holds the filter in force.
    s.key(KeyCode::Char('/'));
    assert_eq!(s.input_row(), "/ kind:shelling█");
}

#[test]
fn esc_restores_the_filter_in_force_before_the_input_opened() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('/'));
    s.keys("saraqib");
    s.key(KeyCode::Enter);
    assert_eq!(s.app.mode, Mode::Browse);
    assert!(s.header().contains("filter: saraqib  3 of 12 events"));

    s.key(KeyCode::Char('/'));
    assert_eq!(s.input_row(), "/ saraqib█");
    s.keys(" russian");
    // Of the Saraqeb events only the taking of the town involves Russian forces.
    assert_eq!(s.app.count_line(), "1 of 12 events");
    s.key(KeyCode::Esc);
    assert_eq!(s.app.mode, Mode::Browse);
    assert_eq!(s.app.count_line(), "3 of 12 events");
    assert!(s.header().contains("filter: saraqib  3 of 12 events"), "{}", s.header());
    assert!(!s.screen().contains("█\n"), "the input is closed");
    assert_eq!(s.app.filter.history, ["saraqib"], "Esc adds nothing to the history");

    // From no filter, Esc goes back to none.
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('/'));
    s.keys("zzzz");
    assert_eq!(s.app.count_line(), "0 of 12 events");
    s.key(KeyCode::Esc);
    assert!(s.header().contains("filter: none  12 of 12 events"));
}

#[test]
fn up_and_down_walk_the_filter_history() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('/'));
    s.keys("saraqib");
    s.key(KeyCode::Enter);
    s.key(KeyCode::Char('/'));
    for _ in 0.."saraqib".len() {
        s.key(KeyCode::Backspace);
    }
    assert_eq!(s.app.count_line(), "12 of 12 events");
    s.keys("russian");
    assert_eq!(s.app.count_line(), "4 of 12 events");
    s.key(KeyCode::Enter);
    assert_eq!(s.app.filter.history, ["saraqib", "russian"]);

    s.key(KeyCode::Char('/'));
    s.key(KeyCode::Up);
    assert_eq!(s.input_row(), "/ russian█");
    assert_eq!(s.app.count_line(), "4 of 12 events");
    s.key(KeyCode::Up);
    assert_eq!(s.input_row(), "/ saraqib█");
    assert_eq!(s.app.count_line(), "3 of 12 events");
    s.key(KeyCode::Up);
    assert_eq!(s.input_row(), "/ saraqib█", "the oldest stays");
    s.key(KeyCode::Down);
    assert_eq!(s.input_row(), "/ russian█");
    assert_eq!(s.app.count_line(), "4 of 12 events");
    s.key(KeyCode::Down);
    assert_eq!(s.input_row(), "/ █", "past the newest: an empty input");
    assert_eq!(s.app.count_line(), "12 of 12 events");
    assert!(!s.key(KeyCode::Down), "nothing newer");
    s.key(KeyCode::Esc);
    assert!(s.header().contains("filter: russian  4 of 12 events"), "{}", s.header());
}

// ---------------------------------------------------------------------------------------------
// Facets

#[test]
fn the_facet_picker_writes_the_query_and_shows_counts() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('f'));
    assert_eq!(s.app.mode, Mode::Facets);
    s.assert_has("Facets (Space picks, Tab next group, Esc closes)");
    let tab_is_on = |s: &Session, name: &str| {
        let at = locate(&s.buf, s.buf.area, &format!(" {name} "));
        s.buf[(at.x + 1, at.y)].modifier.contains(Modifier::REVERSED)
    };
    assert!(tab_is_on(&s, "Kinds") && !tab_is_on(&s, "Actors"));
    // Counts over the twelve events: 4 shelling, 5 other strategic developments, one each of
    // the rest.
    let screen = s.screen();
    // The count ends the picker's row, before its right border.
    let count_of = |screen: &str, label: &str| -> String {
        let line = line_with(screen, label);
        let inside = line[line.find(label).unwrap()..].split('│').next().unwrap();
        inside.split_whitespace().last().unwrap().to_string()
    };
    assert_eq!(count_of(&screen, "[ ] Explosions/Remote violence / Shelling"), "4");
    assert_eq!(count_of(&screen, "[ ] Strategic developments / Other"), "5");
    assert_eq!(count_of(&screen, "[ ] Explosions/Remote violence / Air/drone strike"), "1");

    // Tab walks the groups and comes back round.
    for group in ["Actors", "Places", "Sources", "Kinds"] {
        s.key(KeyCode::Tab);
        assert!(tab_is_on(&s, group), "{group}");
    }
    s.down_until(10, |s| {
        let g = &s.app.facets.groups[s.app.facets.group];
        g.items[s.app.facets.selected].value == "air_drone_strike"
    });
    s.key(KeyCode::Char(' '));
    assert_eq!(s.app.query.text, "kind:air_drone_strike");
    assert!(s.header().contains("filter: kind:air_drone_strike  1 of 12 events"), "{}", s.header());
    let screen = s.screen();
    assert!(screen.contains("[x] Explosions/Remote violence / Air/drone strike"), "{screen}");
    // The counts follow the filter.
    assert_eq!(count_of(&screen, "[ ] Explosions/Remote violence / Shelling"), "0");

    s.key(KeyCode::Tab);
    assert!(tab_is_on(&s, "Actors"));
    s.down_until(10, |s| {
        let g = &s.app.facets.groups[s.app.facets.group];
        g.items[s.app.facets.selected].value == "russian_forces"
    });
    s.key(KeyCode::Char(' '));
    assert_eq!(s.app.query.text, "kind:air_drone_strike actor:russian_forces");
    assert_eq!(s.app.count_line(), "1 of 12 events");
    s.assert_has("[x] Russian armed forces");
    // Space again drops it.
    s.key(KeyCode::Char(' '));
    assert_eq!(s.app.query.text, "kind:air_drone_strike");
    s.assert_has("[ ] Russian armed forces");

    s.key(KeyCode::Esc);
    assert_eq!(s.app.mode, Mode::Browse);
    s.assert_lacks("Facets (Space picks");
    let timeline = s.timeline();
    assert!(timeline.contains("Russian air strikes on Idlib"), "{timeline}");
    assert!(!timeline.contains("Government mortar fire"), "{timeline}");
    // The filter input opens on the text the facets wrote.
    s.key(KeyCode::Char('/'));
    assert_eq!(s.input_row(), "/ kind:air_drone_strike█");
}

// ---------------------------------------------------------------------------------------------
// The time cursor

#[test]
fn the_time_cursor_moves_back_to_4_february_and_the_figures_follow() {
    // Tall enough for every row of the posts pane.
    let mut s = Session::new(160, 100);
    s.key(KeyCode::Char('['));
    assert!(s.header().contains("as of 6 Feb 2020 (time cursor)"), "{}", s.header());
    assert!(s.counters().contains("Counters as of 6 Feb"));
    s.keys("[[");
    assert!(s.header().contains("as of 4 Feb 2020 (time cursor)"), "{}", s.header());
    assert_eq!(s.app.as_of, Some(common::day("2020-02-04")));

    // As of 4 Feb: the 5 soldiers of 3 Feb, and the events known only to the week of 3 Feb
    // (3 civilians, at least 13 troops), which count as of any day of that week. The 10+
    // civilians of 6 Feb do not count yet. 5 + 3 + 13 = 21, a floor.
    let killed = s.app.counters.casualties.killed;
    assert_eq!((killed.best, killed.lower_bound), (21, true));
    let counters = s.counters();
    assert!(counters.contains("│Killed     21+         a floor"), "{counters}");
    assert!(line_with(&counters, "  civilians").ends_with(" 3"), "{counters}");
    assert!(line_with(&counters, "Syrian government forces").ends_with("13+"), "{counters}");
    assert!(line_with(&counters, "Turkish armed forces").ends_with(" 5"), "{counters}");
    // OCHA's 2 Feb figure; Saraqeb's only value is dated 7 Feb.
    assert!(counters.contains("│Displaced  ~586,000"), "{counters}");
    assert!(!counters.contains("110,000"), "{counters}");

    let posts = s.posts();
    assert!(posts.contains("Places · by events as of 4 Feb"));
    // Tell Touqan was encircled on 5 Feb: on 4 Feb it is still as established.
    let touqan = line_with(&posts, "Tell Touqan");
    assert!(touqan.contains("established") && touqan.contains("1 Oct 2017"), "{touqan}");
    assert!(!posts.contains("encircled          5 Feb"), "{posts}");
    // Morek and Surman were encircled long before.
    assert!(line_with(&posts, "Morek").contains("encircled"));
    assert!(line_with(&posts, "Surman").contains("encircled"));
    // Posts as of 4 Feb: the twelve Astana posts, the Saraqeb positions (their window starts
    // 1 Feb) and the new Sarmin post (its week starts 3 Feb): 12 + 1 + 1 = 14.
    assert!(line_with(&posts, "New Turkish posi").contains("1 Feb 2020"));
    assert!(line_with(&posts, "New post west of").contains("under construction"));
    let post_rows = s.app.posts.rows.iter().filter(|r| matches!(r, PostsRow::Post { .. })).count();
    assert_eq!(post_rows, 14);
    assert_eq!(posts_on_place_rows(&posts), 14, "{posts}");
    assert_eq!(posts.matches("  ● ").count(), 14, "{posts}");
    // Saraqeb has its two posts but none of its events yet (they begin on 5 Feb).
    let saraqeb = line_with(&posts, "Saraqeb ");
    assert!(saraqeb.contains("2 posts") && saraqeb.contains(" 0 ev"), "{posts}");

    // Forward to 8 Feb: al-Rashidin is besieged.
    s.keys("]]]]");
    assert!(s.header().contains("as of 8 Feb 2020 (time cursor)"), "{}", s.header());
    let posts = s.posts();
    let rashidin = line_with(&posts, "al-Rashidin");
    assert!(rashidin.contains("besieged") && rashidin.contains("8 Feb 2020"), "{rashidin}");
    assert!(line_with(&posts, "Tell Touqan").contains("encircled"));
    assert!(s.counters().contains("│Killed     31+"));

    // Back a day to the data's own date, then a week on: OCHA's 13 Feb value.
    s.key(KeyCode::Char('['));
    assert!(s.header().contains("as of 7 Feb 2020") && !s.header().contains("time cursor"), "{}", s.header());
    s.key(KeyCode::Char('}'));
    assert!(s.header().contains("as of 14 Feb 2020 (time cursor)"), "{}", s.header());
    let counters = s.counters();
    assert!(counters.contains("│Displaced  ~800,000"), "{counters}");
    assert!(line_with(&counters, "North-west Sy").contains("as of 13 Feb"), "{counters}");
    s.key(KeyCode::Char('{'));
    assert!(s.header().contains("as of 7 Feb 2020"));
    assert!(s.counters().contains("│Displaced  ~586,000"));

    // `0` goes back to the latest date from anywhere.
    s.keys("}}[");
    assert!(s.header().contains("as of 20 Feb 2020"), "{}", s.header());
    assert!(s.counters().contains("│Displaced  ~900,000"), "{}", s.counters());
    s.key(KeyCode::Char('0'));
    assert_eq!(s.app.as_of, s.app.sit.as_of);
    assert!(s.header().contains("as of 7 Feb 2020") && !s.header().contains("time cursor"), "{}", s.header());
}

#[test]
fn events_after_the_as_of_date_are_dimmed() {
    let mut s = Session::new(140, 40);
    let timeline = s.app.areas.timeline;
    // As of 7 Feb, the talks of 8 Feb are later: grey. The strikes of 6 Feb are not.
    let later = locate(&s.buf, timeline, "02-08");
    assert_fg(&s.buf, later, 5, Color::DarkGray, "date of a later event");
    let summary = locate(&s.buf, timeline, "Russian delegation");
    assert_fg(&s.buf, summary, 18, Color::DarkGray, "summary of a later event");
    let earlier = locate(&s.buf, timeline, "02-06");
    assert_fg(&s.buf, earlier, 5, Color::Reset, "date of an earlier event");
    let air = locate(&s.buf, Rect { y: earlier.y, height: 1, ..timeline }, "AIR");
    assert_eq!(s.buf[(air.x, air.y)].fg, Color::LightRed, "the kind keeps its colour");

    // As of 4 Feb, the events of 5 and 6 Feb are later too; the week of 3 Feb is not.
    s.keys("[[[");
    let strikes = locate(&s.buf, timeline, "Russian air strikes");
    let row_area = Rect { y: strikes.y, height: 1, ..timeline };
    assert_fg(&s.buf, locate(&s.buf, row_area, "02-06"), 5, Color::DarkGray, "6 Feb as of 4 Feb");
    assert_fg(&s.buf, locate(&s.buf, row_area, "AIR"), 3, Color::DarkGray, "kind of a later event");
    assert_fg(&s.buf, strikes, 19, Color::DarkGray, "summary as of 4 Feb");
    let week = locate(&s.buf, timeline, "Turkish return fire");
    assert_fg(&s.buf, week, 19, Color::Reset, "the week of 3 Feb counts as of 4 Feb");
}

// ---------------------------------------------------------------------------------------------
// A filter that matches nothing

#[test]
fn a_filter_that_matches_nothing_draws_at_every_size() {
    let nothing = |app: &mut App| {
        app.press(KeyCode::Char('/'));
        app.type_text("zzzzqqq");
        app.press(KeyCode::Enter);
        assert_eq!(app.count_line(), "0 of 12 events");
    };
    for (width, height) in SIZES {
        let mut app = default_app();
        nothing(&mut app);
        let buf = draw(&mut app, width, height);
        if width >= 40 && height >= 10 {
            assert!(find(&buf, "No events match.").is_some(), "{width}x{height}:\n{}", screen(&buf));
            assert!(find(&buf, "Timeline · 0 of 12 events").is_some(), "{width}x{height}:\n{}", screen(&buf));
        }
        if width >= 100 && height >= 22 {
            assert!(find(&buf, "No places with posts or events.").is_some(), "{}", screen(&buf));
            assert!(find(&buf, "Killed     0           none reported").is_some(), "{}", screen(&buf));
        }
        // Every key that acts on a selection, with nothing to select.
        for code in [
            KeyCode::Char('j'),
            KeyCode::Char('k'),
            KeyCode::Char('G'),
            KeyCode::Char('g'),
            KeyCode::PageDown,
            KeyCode::Enter,
            KeyCode::Char('p'),
            KeyCode::Tab,
            KeyCode::Enter,
            KeyCode::Tab,
            KeyCode::Char('G'),
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Char('f'),
            KeyCode::Char(' '),
            KeyCode::Esc,
            KeyCode::Char('?'),
        ] {
            app.press(code);
            draw(&mut app, width, height);
        }
    }
    // With no event, Enter on the timeline opens nothing.
    let mut s = Session::new(80, 24);
    nothing(&mut s.app);
    s.redraw();
    s.assert_has("No events match.");
    s.key(KeyCode::Enter);
    assert_eq!(s.app.overlay, None);
    s.key(KeyCode::Tab);
    s.key(KeyCode::Tab);
    s.assert_has("no dated events in this view");
    s.key(KeyCode::Tab);
    s.assert_has("No places with posts or events.");
}

// ---------------------------------------------------------------------------------------------
// The mouse

#[test]
fn a_click_in_the_posts_pane_focuses_it_and_selects_the_row_clicked() {
    let mut s = Session::new(140, 40);
    let posts = s.app.areas.posts;
    let touqan = locate(&s.buf, posts, "Tell Touqan");
    assert!(s.event(&mouse(MouseEventKind::Down(MouseButton::Left), touqan)));
    assert_eq!(s.app.focus, Pane::Posts);
    let tell_touqan = s.post_index("tell-touqan");
    assert!(matches!(s.selected_posts_row(), Some(PostsRow::Post { post, .. }) if post == tell_touqan));
    let highlighted = reversed_rows(&s.buf, posts);
    assert_eq!(highlighted.len(), 1);
    assert!(highlighted[0].contains("Tell Touqan"), "{highlighted:?}");
    assert_eq!(s.buf[(posts.x, posts.y)].fg, Color::Cyan, "the focused border");

    // A click on the border focuses without moving the selection.
    let before = s.app.posts.selected;
    s.key(KeyCode::Tab);
    s.event(&mouse(MouseEventKind::Down(MouseButton::Left), Position { x: posts.x + 5, y: posts.y }));
    assert_eq!(s.app.focus, Pane::Posts);
    assert_eq!(s.app.posts.selected, before);

    // A click on the Injured row of the counters selects it.
    let injured = locate(&s.buf, s.app.areas.counters, "Injured");
    s.event(&mouse(MouseEventKind::Down(MouseButton::Left), injured));
    assert_eq!(s.app.focus, Pane::Counters);
    assert_eq!(s.app.selected_counter(), Some(&CounterRow::Total(sitdash::domain::model::Outcome::Injured)));

    // A click on a timeline date header selects the event under it.
    let header = locate(&s.buf, s.app.areas.timeline, "── Wed 5 Feb 2020");
    s.event(&mouse(MouseEventKind::Down(MouseButton::Left), header));
    assert_eq!(s.app.focus, Pane::Timeline);
    assert_eq!(s.selected_event_id(), Some("idl-20200205-saraqeb-tk-shelling"));

    // Outside every pane (the header line) nothing happens.
    assert!(!s.app.handle_event(&mouse(MouseEventKind::Down(MouseButton::Left), Position { x: 5, y: 0 })));
}

#[test]
fn the_wheel_moves_the_selection_of_the_pane_under_the_pointer() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Char('g'));
    let timeline = s.app.areas.timeline;
    let inside = Position { x: timeline.x + 10, y: timeline.y + 5 };
    s.event(&mouse(MouseEventKind::ScrollDown, inside));
    // Three events down, the week header skipped.
    assert_eq!(s.selected_event_id(), Some("idl-2020w06-reinforcements"));
    assert!(s.highlighted_timeline_row().contains("Turkey sends about 150 vehic"));
    s.event(&mouse(MouseEventKind::ScrollDown, inside));
    s.event(&mouse(MouseEventKind::ScrollDown, inside));
    assert_eq!(s.selected_event_id(), Some("idl-20200206-idlib-city-strikes"));
    s.event(&mouse(MouseEventKind::ScrollUp, inside));
    assert_eq!(s.selected_event_id(), Some("idl-2020w06-tk-retaliation"));

    // The wheel acts on the pane under the pointer, not on the focused one.
    s.key(KeyCode::BackTab);
    assert_eq!(s.app.focus, Pane::Posts);
    s.event(&mouse(MouseEventKind::ScrollUp, inside));
    assert_eq!(s.selected_event_id(), Some("idl-2020w06-reinforcements"));
    assert_eq!(s.app.focus, Pane::Posts);
    let posts_inside = Position { x: s.app.areas.posts.x + 3, y: s.app.areas.posts.y + 3 };
    s.event(&mouse(MouseEventKind::ScrollDown, posts_inside));
    assert_eq!(s.app.posts.selected, 3);

    // Under an overlay the wheel scrolls the overlay.
    s.key(KeyCode::Char('?'));
    s.event(&mouse(MouseEventKind::ScrollDown, inside));
    assert_eq!(s.app.overlay_scroll, 1);
    assert_eq!(s.selected_event_id(), Some("idl-2020w06-reinforcements"));
}

#[test]
fn the_time_cursor_carries_the_selection_to_its_date_and_a_filter_keeps_the_event() {
    // The file opens on its as-of date, 7 Feb: the last event on or before it.
    let mut s = Session::new(140, 40);
    assert_eq!(s.selected_event_id(), Some("idl-20200206-saraqeb-taken"));
    s.key(KeyCode::Char('['));
    assert_eq!(s.selected_event_id(), Some("idl-20200206-saraqeb-taken"), "6 Feb: still the 6th's last event");
    s.key(KeyCode::Char('['));
    assert_eq!(s.selected_event_id(), Some("idl-20200205-tell-touqan-encircled"), "5 Feb");
    s.key(KeyCode::Char('{'));
    assert_eq!(s.selected_event_id(), Some("idl-20200203-tk-soldiers-killed"), "29 Jan: before every event");
    s.key(KeyCode::Char('0'));
    assert_eq!(s.selected_event_id(), Some("idl-20200206-saraqeb-taken"), "back to the latest date");

    // Every refresh rebuilds the rows; an event the user picked stays picked.
    s.key(KeyCode::Char('G'));
    for _ in 0..4 {
        s.key(KeyCode::Char('k'));
    }
    assert_eq!(s.selected_event_id(), Some("idl-20200205-saraqeb-tk-shelling"));
    s.key(KeyCode::Char('/'));
    s.keys("tur");
    assert_eq!(s.selected_event_id(), Some("idl-20200205-saraqeb-tk-shelling"), "while filtering");
}

// ---------------------------------------------------------------------------------------------
// Bugs found once and fixed, kept so that they stay fixed.

#[test]
fn the_end_of_the_help_can_be_reached_on_a_small_screen() {
    let mut s = Session::new(40, 10);
    s.key(KeyCode::Char('?'));
    for _ in 0..200 {
        s.key(KeyCode::Char('j'));
    }
    s.assert_has("Mouse:");
}

#[test]
fn a_place_row_counts_the_events_that_enter_narrows_to() {
    let mut s = Session::new(140, 40);
    let idlib = s.place_index("idlib-governorate");
    s.key(KeyCode::BackTab);
    s.down_until(40, |s| matches!(s.selected_posts_row(), Some(PostsRow::Place { place, .. }) if place == idlib));
    let Some(PostsRow::Place { events, .. }) = s.selected_posts_row() else { unreachable!() };
    s.key(KeyCode::Enter);
    assert_eq!(s.app.shown.len(), events, "{}", s.header());
}

#[test]
fn narrowed_to_saraqeb_the_displacement_figure_stands_on_its_own() {
    let mut s = Session::new(140, 40);
    s.app.place = Some(s.place_index("saraqeb"));
    s.app.refresh();
    s.redraw();
    let counters = s.counters();
    assert!(counters.contains("~110,000"), "{counters}");
    assert!(!counters.contains("no figure for this view"), "{counters}");
    assert!(!counters.contains("part of above"), "{counters}");
}

// ---------------------------------------------------------------------------------------------
// The loop: bursts of keys, background loading, large data

/// The loop handles a burst of queued keys with `batching` on, then `settle`s: the filter is
/// parsed and applied once, and Enter inside the burst still keeps the typed filter.
#[test]
fn a_burst_of_typing_is_filtered_once_and_enter_keeps_it() {
    let (sit, _) = sitdash::ingest::load::load_str(
        sitdash::DEFAULT_DATA_NAME,
        sitdash::DEFAULT_DATA,
        sitdash::ingest::input::LoadOptions::default(),
    )
    .expect("default data");
    let mut app = sitdash::tui::app::App::new(sit);
    app.press(crossterm::event::KeyCode::Char('/'));
    app.batching = true;
    app.type_text("saraqib");
    assert_eq!(app.count_line(), "12 of 12 events", "nothing applied inside the burst");
    app.batching = false;
    assert!(app.settle());
    assert_eq!(app.count_line(), "3 of 12 events");
    assert!(!app.settle(), "nothing left to apply");

    app.batching = true;
    app.type_text(" kind:air");
    app.press(crossterm::event::KeyCode::Enter);
    app.batching = false;
    app.settle();
    assert_eq!(app.query.text, "saraqib kind:air");
    assert_eq!(app.count_line(), "0 of 12 events");
}

/// What a background load hands the app: a situation read from our format, with its index.
fn load(text: &str) -> sitdash::tui::background::Loaded {
    let options = sitdash::ingest::input::LoadOptions::default();
    let (sit, report) = sitdash::ingest::load::load_str("preview.json", text, options).expect("loads");
    let search = sitdash::domain::query::SearchIndex::new(&sit);
    sitdash::tui::background::Loaded { sit, search, report }
}

/// A background load hands over a preview, then the whole: the filter typed on the preview,
/// the place, the date and the selected event carry over, and the progress line goes away.
#[test]
fn a_preview_is_browsable_and_the_whole_replaces_it_keeping_the_view() {
    use sitdash::ingest::input::Progress;
    use sitdash::tui::app::App;
    use sitdash::tui::background::LoadMessage;
    use std::sync::{Arc, mpsc};
    use std::time::Instant;

    let whole = sitdash::DEFAULT_DATA;
    // The preview: the same data set with only its first four events.
    let mut part: serde_json::Value = serde_json::from_str(whole).expect("json");
    part["events"].as_array_mut().expect("events").truncate(4);
    // Its places in another order, so that a place carries over by its id, not its index.
    part["places"].as_array_mut().expect("places").reverse();

    let (sender, receiver) = mpsc::channel();
    let progress = Arc::new(Progress::default());
    let mut app = App::loading("idlib".into(), Arc::clone(&progress), receiver, Instant::now());
    app.tick(Instant::now());
    assert!(app.loading.as_ref().is_some_and(|l| l.preview.is_none()), "nothing has arrived yet");
    assert_eq!(app.count_line(), "0 of 0 events");
    sender.send(LoadMessage::Preview(load(&part.to_string()))).expect("send");
    assert!(app.tick(Instant::now()));
    assert_eq!(app.loading.as_ref().and_then(|l| l.preview), Some(4));
    assert_eq!(app.count_line(), "4 of 4 events");

    // The header says how far the rest has got, and what it is doing once it is all read.
    let ordering = std::sync::atomic::Ordering::Relaxed;
    progress.total.store(1000, ordering);
    progress.done.store(420, ordering);
    progress.records.store(12_345, ordering);
    progress.set_phase(sitdash::ingest::input::Phase::Parsing);
    app.tick(Instant::now());
    let header = row(&draw(&mut app, 160, 30), 0);
    assert!(header.contains("PREVIEW: first 4 events; loading the rest (42%, 12,345 rows read)"), "{header}");
    progress.done.store(1000, ordering);
    progress.set_phase(sitdash::ingest::input::Phase::Indexing);
    app.tick(Instant::now());
    let header = row(&draw(&mut app, 160, 30), 0);
    assert!(header.contains("loading the rest (indexing)"), "{header}");

    app.set_filter_text("kind:shelling").expect("parses");
    assert_eq!(app.count_line(), "2 of 4 events");
    // Narrowed to a place and moved back to 4 Feb too.
    app.place = app.sit.index.places.get("idlib-governorate").copied();
    app.as_of = Some(common::day("2020-02-04"));
    app.refresh();
    assert_eq!(app.count_line(), "2 of 4 events");
    app.timeline.move_by(1);
    let selected = app.timeline.selected_event().map(|i| app.sit.events[i as usize].id.clone());

    sender.send(LoadMessage::Done(Ok(load(whole)))).expect("send");
    assert!(app.tick(Instant::now()));
    assert!(app.loading.is_none());
    assert_eq!(app.query.text, "kind:shelling");
    assert_eq!(app.place.map(|p| app.sit.places[p].id.as_str()), Some("idlib-governorate"));
    assert_eq!(app.as_of, Some(common::day("2020-02-04")));
    // The shellings in Idlib governorate (Saraqeb's included: it lies inside it).
    assert_eq!(app.count_line(), "4 of 12 events");
    let now_selected = app.timeline.selected_event().map(|i| app.sit.events[i as usize].id.clone());
    assert_eq!(now_selected, selected, "the same event stays selected");
    assert!(app.message.as_deref().is_some_and(|m| m.starts_with("read 95, loaded 95, skipped 0")));
}

/// The panes keep what they worked out while the filter finds the same events (typing on in
/// a word), but not once the data changes under them: a whole data set with as many events
/// as its preview, other events, gets its own timeline and counters.
#[test]
fn the_same_event_numbers_in_new_data_are_worked_out_again() {
    use sitdash::domain::figures::{TimeWindow, casualties};
    use sitdash::ingest::input::Progress;
    use sitdash::tui::background::{LoadMessage, Loaded};
    use std::sync::{Arc, mpsc};
    use std::time::Instant;

    // The same data set, but for one more soldier killed in the claim chosen for a figure:
    // the same events and text, so nothing but the figures tells the two apart.
    let mut data: serde_json::Value = serde_json::from_str(sitdash::DEFAULT_DATA).expect("json");
    let claim = data["claims"]
        .as_array_mut()
        .expect("claims")
        .iter_mut()
        .find(|c| c["id"] == "c-tk-soldiers-tna")
        .expect("the claim");
    let best = claim["count"]["best"].as_u64().expect("a count");
    claim["count"]["best"] = (best + 1).into();
    claim["count"]["high"] = (best + 1).into();
    let (first, then) = (load(sitdash::DEFAULT_DATA), load(&data.to_string()));
    assert_eq!(first.search.fingerprint(), then.search.fingerprint());
    let killed = |l: &Loaded| casualties(&l.sit, &l.sit.events, TimeWindow::default()).killed;
    assert_ne!(killed(&first), killed(&then), "the two sets differ in their killed");

    let (sender, receiver) = mpsc::channel();
    let mut app = App::loading("idlib".into(), Arc::new(Progress::default()), receiver, Instant::now());
    sender.send(LoadMessage::Preview(first)).expect("send");
    app.tick(Instant::now());
    let before = app.counters.casualties.clone();
    sender.send(LoadMessage::Done(Ok(then))).expect("send");
    assert!(app.tick(Instant::now()));
    assert_eq!(app.shown.len(), app.sit.events.len(), "the same events are shown");
    let window = app.window();
    let all = casualties(&app.sit, &app.sit.events, window);
    assert_ne!(all, before);
    assert_eq!(app.counters.casualties, all, "the counters are the new data's");
}

/// What the user opened and closed in the places pane on the preview stays so when the whole
/// data set takes over (places found again by id); a pane left as it opened opens on the
/// whole by the usual rule.
#[test]
fn the_whole_keeps_the_places_opened_and_closed_on_the_preview() {
    use sitdash::ingest::input::Progress;
    use sitdash::tui::background::LoadMessage;
    use std::sync::{Arc, mpsc};
    use std::time::Instant;

    let whole = sitdash::DEFAULT_DATA;
    let mut part: serde_json::Value = serde_json::from_str(whole).expect("json");
    part["events"].as_array_mut().expect("events").truncate(6);
    part["places"].as_array_mut().expect("places").reverse();
    let open_ids = |app: &App| -> Vec<String> {
        let mut ids: Vec<String> = app.posts.expanded.iter().map(|&p| app.sit.places[p].id.clone()).collect();
        ids.sort();
        ids
    };
    let preview_then_whole = |close: bool| {
        let (sender, receiver) = mpsc::channel();
        let mut app = App::loading("idlib".into(), Arc::new(Progress::default()), receiver, Instant::now());
        sender.send(LoadMessage::Preview(load(&part.to_string()))).expect("send");
        app.tick(Instant::now());
        draw(&mut app, 160, 45);
        let mut closed = None;
        if close {
            // Close the first open place of the pane with ←, as a person would.
            let (row, place) = app
                .posts
                .rows
                .iter()
                .enumerate()
                .find_map(|(i, r)| match r {
                    PostsRow::Place { place, .. } if app.posts.expanded.contains(place) => Some((i, *place)),
                    _ => None,
                })
                .expect("the preview opens a place");
            app.focus = Pane::Posts;
            app.posts.selected = row;
            app.press(KeyCode::Left);
            assert!(!app.posts.expanded.contains(&place), "← closed it");
            closed = Some(app.sit.places[place].id.clone());
        }
        let before = open_ids(&app);
        sender.send(LoadMessage::Done(Ok(load(whole)))).expect("send");
        assert!(app.tick(Instant::now()));
        let buf = draw(&mut app, 160, 45);
        (app, before, closed, buf)
    };

    let (app, before, closed, buf) = preview_then_whole(true);
    assert_eq!(open_ids(&app), before, "the same places open, by id");
    let closed = closed.expect("one was closed");
    let place = app.sit.index.places[&closed];
    assert!(!app.posts.expanded.contains(&place));
    // On screen: the closed place's row is followed by no row inside it.
    let at = app.posts.rows.iter().position(|r| matches!(r, PostsRow::Place { place: p, .. } if *p == place));
    let at = at.expect("the closed place is listed");
    let PostsRow::Place { depth, .. } = app.posts.rows[at] else { unreachable!("a place row") };
    match app.posts.rows.get(at + 1) {
        Some(PostsRow::Post { .. }) => panic!("a post of the closed place is listed"),
        Some(PostsRow::Place { depth: d, .. }) => assert!(*d <= depth, "nothing inside it is listed"),
        None => {}
    }
    let name = &app.sit.places[place].name;
    assert!(rows_in(&buf, app.areas.posts).iter().any(|l| l.contains(name.as_str())), "{}", screen(&buf));

    // Left as it opened, the pane opens on the whole as a fresh start on it does.
    let (app, _, _, _) = preview_then_whole(false);
    let fresh = App::new(load(whole).sit);
    assert_eq!(open_ids(&app), open_ids(&fresh));
}

/// Above 50,000 events the app splits its passes over two cores: filter terms fill their bit
/// sets in two halves, and the timeline's rows are built beside the counters. The result must
/// be what one pass over the events gives.
#[test]
fn large_data_filters_and_counts_as_small_data_does() {
    use sitdash::cli::generate::{GenFormat, generate};
    use sitdash::domain::figures::{TimeWindow, casualties};
    use sitdash::domain::model::Kind;
    use sitdash::ingest::input::LoadOptions;
    use sitdash::ingest::load::load_str;
    let mut bytes = Vec::new();
    generate(&mut bytes, GenFormat::Acled, 52_000, 3).expect("generated");
    let text = String::from_utf8(bytes).expect("utf-8");
    let (sit, _) = load_str("big.acled.csv", &text, LoadOptions::default()).expect("loads");
    let mut app = App::new(sit);
    let n = app.sit.events.len();
    assert_eq!(app.shown.len(), n);
    assert_eq!(app.timeline.rows.iter().filter(|r| matches!(r, Row::Event(_))).count(), n);

    for query in ["kind:air_drone_strike", "-kind:air_drone_strike", "killed>3", "convoy"] {
        app.set_filter_text(query).expect("parses");
        let expected: Vec<u32> = (0..n as u32)
            .filter(|&i| {
                let e = &app.sit.events[i as usize];
                match query {
                    "kind:air_drone_strike" => e.kind == Kind::AirDroneStrike,
                    "-kind:air_drone_strike" => e.kind != Kind::AirDroneStrike,
                    "convoy" => {
                        [Some(e.summary(&app.sit).into_owned()), app.sit.notes(e).map(std::borrow::Cow::into_owned)]
                            .into_iter()
                            .flatten()
                            .any(|t| sitdash::domain::text::fold(&t).contains("convoy"))
                    }
                    _ => sitdash::domain::figures::event_killed(&app.sit, e).is_some_and(|t| t.best > 3),
                }
            })
            .collect();
        assert!(!expected.is_empty() && expected.len() < n, "{query}: {} of {n}", expected.len());
        assert_eq!(app.shown, expected, "{query}");
        let rows: Vec<u32> =
            app.timeline.rows.iter().filter_map(|r| if let Row::Event(i) = r { Some(i) } else { None }).collect();
        assert_eq!(rows, expected, "{query}: timeline rows");
        let events = expected.iter().map(|&i| &app.sit.events[i as usize]);
        assert_eq!(app.counters.casualties, casualties(&app.sit, events, TimeWindow::default()), "{query}");
    }
}

// ---------------------------------------------------------------------------------------------
// Where a figure comes from, and a post in full

/// The rows of the open overlay, inside its border, right-trimmed.
fn overlay_rows(s: &Session) -> Vec<String> {
    rows_in(&s.buf, overlay_inner(s))
}

/// The area inside the overlay's frame.
fn overlay_inner(s: &Session) -> Rect {
    let title = locate(&s.buf, s.buf.area, "· Esc closes");
    let left = (0..title.x).rev().find(|&x| s.buf[(x, title.y)].symbol() == "┌").expect("the overlay's corner");
    let right = (title.x..s.width).find(|&x| s.buf[(x, title.y)].symbol() == "┐").expect("the overlay's corner");
    let bottom = (title.y + 1..s.height).find(|&y| s.buf[(left, y)].symbol() == "└").expect("the overlay's bottom");
    Rect::new(left + 1, title.y + 1, right - left - 1, bottom - title.y - 1)
}

#[test]
fn enter_on_the_killed_counter_lists_every_figure_behind_it_with_its_claims() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Tab);
    assert_eq!(s.app.selected_counter(), Some(&CounterRow::Total(Outcome::Killed)));
    s.key(KeyCode::Enter);
    assert_eq!(s.app.overlay, Some(Overlay::Detail(DetailTarget::Counter(CounterRow::Total(Outcome::Killed)))));
    let lines = overlay_rows(&s);
    // 5 + 3 + 13+ + 10+: a floor, because two of the four are "at least".
    assert_eq!(
        lines[..6],
        [
            "Killed 31+",
            "low 31 · best 31 · high open (a floor)",
            "Only events that occurred count, each incident once, at its chosen claim.",
            "",
            "Where it comes from",
            "  2020-02-03     5       Government mortar fire kills Turkish soldiers; the toll changed as reports came in",
        ]
    );
    // The three disagreeing claims about the Turkish soldiers, the one counted marked.
    let has = |needle: &str| lines.iter().any(|l| l.starts_with(needle));
    assert!(has("    4         \"4 soldiers\"             early reports"), "{lines:#?}");
    assert!(has("    7         \"7 soldiers\"             Turkish Ministry of National Defence"), "{lines:#?}");
    assert!(
        has("  ✓ 5         \"five Turkish soldiers\"  The New Arab                           The New Arab, 7 Feb 2020"),
        "{lines:#?}"
    );
    // Every event that adds to the total, and nothing that does not.
    for row in [
        "  wk 2020-02-03  3       Government shelling kills three civilians",
        "  wk 2020-02-03  13+     Turkish return fire kills Syrian government troops",
        "  2020-02-06     10+     Russian air strikes on Idlib city kill at least 10 civilians",
    ] {
        assert!(lines.iter().any(|l| l == row), "`{row}` missing: {lines:#?}");
    }
    assert_eq!(lines.iter().filter(|l| l.starts_with("  2020-") || l.starts_with("  wk ")).count(), 4, "{lines:#?}");
}

#[test]
fn enter_on_a_group_counter_lists_only_that_group() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Tab);
    s.key(KeyCode::Char('j'));
    assert_eq!(s.app.selected_counter(), Some(&CounterRow::Group(Outcome::Killed, "civilians".into())));
    s.key(KeyCode::Enter);
    let lines = overlay_rows(&s);
    assert_eq!(lines[0], "Killed: civilians 13+");
    let events: Vec<&String> = lines.iter().filter(|l| l.starts_with("  2020-") || l.starts_with("  wk ")).collect();
    assert_eq!(
        events,
        [
            "  wk 2020-02-03  3       Government shelling kills three civilians",
            "  2020-02-06     10+     Russian air strikes on Idlib city kill at least 10 civilians",
        ]
    );
}

#[test]
fn enter_on_the_displaced_counters_says_what_was_added_and_what_was_not() {
    let mut s = Session::new(140, 40);
    s.key(KeyCode::Tab);
    s.down_until(10, |s| s.app.selected_counter() == Some(&CounterRow::DisplacedTotal));
    s.key(KeyCode::Enter);
    let lines = overlay_rows(&s);
    assert_eq!(
        lines[..5],
        [
            "Displaced, not double counted",
            "Adds only top-level figures whose areas do not contain one another; a town inside a region is a drill-down, not an addend.",
            "  total ~586,000",
            "  + ocha-nw-syria-since-dec",
            "  not added: saraqeb-fled (~110,000), inside or derived from another figure",
        ]
    );
    assert!(lines[5..].iter().all(String::is_empty), "{lines:#?}");

    // One series: its area, source, kind, what it is part of, and each value with its claims.
    s.key(KeyCode::Esc);
    s.key(KeyCode::Char('j'));
    s.key(KeyCode::Char('j'));
    assert!(matches!(s.app.selected_counter(), Some(CounterRow::Displaced(_))), "{:?}", s.app.selected_counter());
    s.key(KeyCode::Enter);
    let lines = overlay_rows(&s);
    assert_eq!(lines[0], "Displacement series saraqeb-fled", "{lines:#?}");
    let field = |name: &str| {
        lines.iter().find(|l| l.starts_with(&format!("{name:<10}"))).unwrap_or_else(|| panic!("no {name}: {lines:#?}"))
    };
    assert!(field("area").contains("Saraqeb"), "{lines:#?}");
    assert!(field("part of").contains("ocha-nw-syria-since-dec (never added to it)"), "{lines:#?}");
    assert!(lines.iter().any(|l| l.starts_with("  as of 7 Feb 2020: ~110,000")), "{lines:#?}");
}

#[test]
fn enter_on_a_post_shows_its_status_history_claims_and_events() {
    let mut s = Session::new(140, 40);
    let touqan = s.post_index("tell-touqan");
    s.key(KeyCode::BackTab);
    s.down_until(40, |s| matches!(s.selected_posts_row(), Some(PostsRow::Post { post, .. }) if post == touqan));
    s.key(KeyCode::Enter);
    assert_eq!(s.app.overlay, Some(Overlay::Detail(DetailTarget::Post(touqan))));
    let lines = overlay_rows(&s);
    assert_eq!(lines[0], "Tell Touqan");
    let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
    for needle in [
        "status    encircled as of 7 Feb 2020",
        "operator  Turkish armed forces",
        "also      Tal Tuqan, تل طوقان",
        "framework Astana process (2017-2018)",
        "Status history",
        "Events concerning this post",
    ] {
        assert!(has(needle), "`{needle}` missing: {lines:#?}");
    }
    // The status is drawn in the colour of an encircled post.
    let status = locate(&s.buf, s.buf.area, "encircled as of 7 Feb 2020");
    assert_fg(&s.buf, status, 9, Color::Red, "the post's status");
}

// ---------------------------------------------------------------------------------------------
// A background load before anything has arrived

fn loading_app() -> (
    App,
    std::sync::Arc<sitdash::ingest::input::Progress>,
    std::sync::mpsc::Sender<sitdash::tui::background::LoadMessage>,
    std::time::Instant,
) {
    let (sender, receiver) = std::sync::mpsc::channel();
    let progress = std::sync::Arc::new(sitdash::ingest::input::Progress::default());
    let started = std::time::Instant::now();
    let app = App::loading("big.csv".into(), std::sync::Arc::clone(&progress), receiver, started);
    (app, progress, sender, started)
}

#[test]
fn the_progress_popup_says_how_much_is_read_how_fast_and_how_long_is_left() {
    use sitdash::ingest::input::Phase;
    use std::sync::atomic::Ordering::Relaxed;
    let (mut app, progress, _sender, started) = loading_app();
    // A quarter of 20 MB read in 2 s, 40,000 records so far: 20,000 records/s, and at that
    // pace the other three quarters take 6 s.
    progress.total.store(20_000_000, Relaxed);
    progress.done.store(5_000_000, Relaxed);
    progress.records.store(40_000, Relaxed);
    progress.set_phase(Phase::Parsing);
    assert!(app.tick(started + std::time::Duration::from_secs(2)));
    let buf = draw(&mut app, 140, 40);
    let text = screen(&buf);
    assert!(text.contains(" Loading big.csv · q quits "), "{text}");
    assert!(text.contains("parsing: 5 of 20 MB, 20000 records/s, about 6.0 s of reading left"), "{text}");
    // The gauge under it is a quarter full.
    let line = locate(&buf, buf.area, "parsing: 5 of 20 MB");
    let gauge_y = line.y + 2;
    let filled = (0..buf.area.width).filter(|&x| buf[(x, gauge_y)].symbol() == "█").count();
    let inner = (0..buf.area.width).filter(|&x| buf[(x, gauge_y - 3)].symbol() == "─").count();
    assert!(filled > 0 && (filled as f64 / inner as f64 - 0.25).abs() < 0.05, "{filled} of {inner}:\n{text}");

    // Once everything is read the popup says what it does, without a time left.
    progress.done.store(20_000_000, Relaxed);
    progress.set_phase(Phase::Indexing);
    app.tick(started + std::time::Duration::from_secs(8));
    let text = screen(&draw(&mut app, 140, 40));
    assert!(text.contains("indexing: 20 of 20 MB, 5000 records/s"), "{text}");
    assert!(!text.contains("left"), "{text}");
}

#[test]
fn q_while_loading_quits() {
    let (mut app, _progress, _sender, started) = loading_app();
    app.tick(started);
    draw(&mut app, 140, 40);
    assert!(!app.should_quit);
    app.press(KeyCode::Char('q'));
    assert!(app.should_quit, "q quits before anything has arrived");
}

#[test]
fn a_failed_background_load_quits_with_every_problem() {
    use sitdash::ingest::input::{Diagnostic, LoadError};
    use sitdash::tui::background::LoadMessage;
    let (mut app, _progress, sender, started) = loading_app();
    let problems = vec![
        Diagnostic { file: "big.csv".into(), line: 7, column: 3, message: "a bad date".into() },
        Diagnostic { file: "big.csv".into(), line: 9, column: 1, message: "a bad count".into() },
    ];
    sender.send(LoadMessage::Done(Err(LoadError { problems: problems.clone() }))).expect("send");
    assert!(app.tick(started));
    assert!(app.should_quit);
    assert_eq!(app.load_failed, Some(problems));

    // A loader that died without a word is a failure too, not a hang.
    let (mut app, _progress, sender, started) = loading_app();
    drop(sender);
    assert!(app.tick(started));
    assert!(app.should_quit);
    assert_eq!(app.load_failed, Some(Vec::new()));
}

// ---------------------------------------------------------------------------------------------
// The side-by-side threshold and paging

#[test]
fn from_100x20_of_body_the_three_panes_stand_side_by_side() {
    // The body is the screen less the header and footer rows.
    for (width, height, side_by_side) in [(100, 22, true), (99, 22, false), (100, 21, false), (160, 45, true)] {
        let mut app = default_app();
        let buf = draw(&mut app, width, height);
        let a = app.areas;
        let all_three = !a.timeline.is_empty() && !a.counters.is_empty() && !a.posts.is_empty();
        assert_eq!(all_three, side_by_side, "{width}x{height}:\n{}", screen(&buf));
        assert_eq!(row(&buf, 1).starts_with(" Timeline  Counters "), !side_by_side, "{width}x{height}");
    }
}

#[test]
fn page_up_comes_back_from_page_down_in_the_timeline_and_the_help() {
    // At 40x12 the timeline shows 7 of its 17 rows.
    let mut s = Session::new(40, 12);
    let first = s.selected_event_id().map(str::to_string);
    s.key(KeyCode::Char('g'));
    let top = s.selected_event_id().map(str::to_string);
    s.key(KeyCode::PageDown);
    let down = s.selected_event_id().map(str::to_string);
    assert_ne!(down, top, "PgDn moves");
    assert!(s.key(KeyCode::PageUp), "PgUp moves back");
    assert_eq!(s.selected_event_id().map(str::to_string), top);
    assert!(first.is_some());

    s.key(KeyCode::Char('?'));
    s.key(KeyCode::PageDown);
    let scrolled = s.app.overlay_scroll;
    assert!(scrolled > 0);
    assert!(s.key(KeyCode::PageUp));
    assert_eq!(s.app.overlay_scroll, 0, "PgUp scrolls the help back up");
}

/// An ACLED row placed outside its country, and one reusing an id: both load, and the detail
/// overlay shows the source's own coordinates and figure with sitdash's note beside them.
#[test]
fn the_detail_of_an_odd_imported_event_shows_the_source_numbers_and_the_note() {
    let options = sitdash::ingest::input::LoadOptions::default();
    let (sit, report) =
        sitdash::ingest::load::load_paths(&["tests/fixtures/import/acled_odd.csv"], options).expect("loads");
    assert_eq!(report.odd.len(), 3, "{:?}", report.odd);
    let mut s = Session::with(App::new(sit), 160, 45);
    s.key(KeyCode::Char('g'));
    s.down_until(10, |s| s.selected_event_id() == Some("KEN9002"));
    s.key(KeyCode::Enter);
    s.assert_has("Event · Esc closes");
    // The source's coordinates, as given, on the place line.
    s.assert_has("place     Bura (near a town) · -1.10, -39.95 · in Garissa");
    s.assert_has("sitdash: the coordinates (-1.1, -39.95) lie outside Kenya (longitude sign flipped?); kept as");
    s.key(KeyCode::Esc);
    s.key(KeyCode::Char('g'));
    s.down_until(10, |s| s.selected_event_id() == Some("KEN9001#2"));
    s.key(KeyCode::Enter);
    s.assert_has("ACLED records 3 fatalities");
    s.assert_has("sitdash: event id `KEN9001` is already used by the row at line 2, whose content differs;");
}

/// The event detail names who acted and against whom: every actor of a stored event and an
/// imported row's own, and no `against` line when there is nobody.
#[test]
fn the_event_detail_names_who_acted_and_against_whom() {
    fn open(s: &mut Session, id: &str) {
        s.key(KeyCode::Char('g'));
        s.down_until(12, |s| s.selected_event_id() == Some(id));
        s.key(KeyCode::Enter);
        s.assert_has("Event · Esc closes");
    }
    let mut s = Session::new(160, 45);
    open(&mut s, "idl-20200206-saraqeb-taken");
    s.assert_has("│by        Syrian government forces, Russian armed forces  ");
    s.assert_has("│against   Syrian rebel groups  ");
    s.key(KeyCode::Esc);
    open(&mut s, "idl-20200208-ankara-talks");
    s.assert_has("│by        Government of Russia, Government of Turkey  ");
    s.assert_lacks("│against   ");

    let options = sitdash::ingest::input::LoadOptions::default();
    let (sit, _) = sitdash::ingest::load::load_paths(&["tests/fixtures/import/acled_odd.csv"], options).expect("loads");
    let mut s = Session::with(App::new(sit), 160, 45);
    open(&mut s, "KEN9002");
    s.assert_has("│by        Tana Valley Militia  ");
    s.assert_has("│against   Civilians (Kenya)  ");
    s.key(KeyCode::Esc);
    open(&mut s, "KEN9003");
    s.assert_has("│by        Protesters (Kenya)  ");
    s.assert_lacks("│against   ");
}

/// The rows of a post's whole detail wrapped at `width` (what the overlay scrolls through).
fn whole_detail_rows(app: &App, post: usize, width: u16) -> Vec<String> {
    use ratatui::widgets::{Paragraph, Widget, Wrap};
    let (_, lines) = sitdash::tui::panes::detail::detail_lines(
        &app.sit,
        &DetailTarget::Post(post),
        &app.shown,
        &app.counters,
        app.window(),
        &app.theme,
    );
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let area = Rect::new(0, 0, width, u16::try_from(paragraph.line_count(width)).expect("a test-sized text"));
    let mut buf = Buffer::empty(area);
    paragraph.render(area, &mut buf);
    rows_in(&buf, area)
}

#[test]
fn a_post_with_a_long_history_scrolls_to_its_last_change_and_back_one_row_at_a_time() {
    let mut s = Session::with(App::new(common::long_history_situation(400)), 100, 30);
    let hill = s.post_index("hill-post");
    while s.app.focus != Pane::Posts {
        s.key(KeyCode::Tab);
    }
    s.down_until(10, |s| matches!(s.selected_posts_row(), Some(PostsRow::Post { post, .. }) if post == hill));
    s.key(KeyCode::Enter);
    assert_eq!(s.app.overlay, Some(Overlay::Detail(DetailTarget::Post(hill))));
    let inner = overlay_inner(&s);
    let (width, height) = (inner.width, usize::from(inner.height));
    let whole = whole_detail_rows(&s.app, hill, width);
    assert!(whole.len() > 1_000, "{} rows", whole.len());
    let window = |s: &Session| overlay_rows(s);
    let expect = |from: usize| whole[from..from + height].to_vec();
    assert_eq!(window(&s), expect(0));
    assert_eq!(s.app.overlay_scroll, 0);

    // The end: the withdrawal, and the event concerning the post on the last row; found
    // from the end, without measuring the history above the screen.
    s.key(KeyCode::Char('G'));
    let last = whole.len() - height;
    assert_eq!(window(&s), expect(last));
    assert_eq!(s.app.overlay_from_end, Some(0));
    let bottom = overlay_rows(&s).join("\n");
    assert!(bottom.contains("evacuated") && bottom.contains("the last change of all"), "{bottom}");
    assert!(overlay_rows(&s)[height - 1].contains("A convoy reaches the hill post"), "{bottom}");
    s.key(KeyCode::Char('j'));
    assert_eq!(window(&s), expect(last), "no further than the end");
    s.key(KeyCode::Char('k'));
    assert_eq!(window(&s), expect(last - 1));
    s.key(KeyCode::PageUp);
    assert_eq!(window(&s), expect(last - 11));
    for _ in 0..40 {
        s.key(KeyCode::PageUp);
    }
    assert_eq!(window(&s), expect(last - 411));
    s.key(KeyCode::PageDown);
    assert_eq!(window(&s), expect(last - 401));
    assert!(s.app.overlay_scroll < s.app.overlay_len);

    // Back to the top, then a page at a time and a row at a time.
    s.key(KeyCode::Char('g'));
    assert_eq!(window(&s), expect(0));
    assert_eq!(s.app.overlay_from_end, None);
    for _ in 0..3 {
        s.key(KeyCode::PageDown);
    }
    assert_eq!(window(&s), expect(30));
    assert_eq!(s.app.overlay_scroll, 30);
    s.key(KeyCode::Down);
    assert_eq!(window(&s), expect(31));
    s.key(KeyCode::End);
    assert_eq!(window(&s), expect(last));
    s.key(KeyCode::Home);
    assert_eq!(window(&s), expect(0));

    // Up from the end all the way: the top, every row measured, counted from the top again.
    s.key(KeyCode::End);
    for _ in 0..=whole.len() / 10 {
        s.key(KeyCode::PageUp);
    }
    assert_eq!(window(&s), expect(0));
    assert_eq!(s.app.overlay_from_end, None);
    assert_eq!((s.app.overlay_scroll, s.app.overlay_len), (0, last + 1));
    s.key(KeyCode::End);
    assert_eq!(window(&s), expect(last));

    // At any size, from the end, nothing panics; and large enough, the end is still the end.
    s.key(KeyCode::End);
    for (w, h) in [(0, 0), (1, 1), (10, 3), (40, 10), (41, 11), (300, 100), (100, 30)] {
        let _ = draw(&mut s.app, w, h);
    }
    s.key(KeyCode::End);
    assert_eq!(window(&s), expect(last));
}

/// A whole load is shown as soon as it is indexed: its notes are read after, on another
/// thread, and what they say (posts and their changes, casualty figures) comes in then,
/// the same as reading them before showing would have given; the filter typed meanwhile
/// stays.
#[test]
fn the_notes_are_read_behind_the_shown_data_and_add_what_reading_first_adds() {
    use sitdash::ingest::input::Progress;
    use sitdash::tui::app::NotesBehind;
    use sitdash::tui::background::LoadMessage;
    use std::sync::{Arc, mpsc};
    use std::time::{Duration, Instant};

    let text = std::fs::read_to_string("tests/fixtures/extract/notes_acled.csv").expect("the notes fixture");
    let options = sitdash::ingest::input::LoadOptions::default();
    let (sit, report) = sitdash::ingest::load::load_str("notes.csv", &text, options).expect("loads");
    let mut read_first = sit.clone();
    let want = sitdash::ingest::extract::notes::apply(&mut read_first);
    assert!(want.status_changes > 0 && want.casualty_claims > 0, "the fixture's notes say something: {want:?}");
    let claims = |sit: &sitdash::domain::model::Situation| {
        serde_json::to_string(&(&sit.every_claim(), &sit.posts)).expect("serialisable")
    };

    let (sender, receiver) = mpsc::channel();
    let mut app = App::loading("notes".into(), Arc::new(Progress::default()), receiver, Instant::now());
    let search = sitdash::domain::query::SearchIndex::new(&sit);
    sender.send(LoadMessage::Done(Ok(sitdash::tui::background::Loaded { sit, search, report }))).expect("send");
    assert!(app.tick(Instant::now()));
    assert!(app.loading.is_none(), "the data is on screen");
    assert_eq!(app.sit.events.len(), read_first.events.len());
    app.set_filter_text("place:morek").expect("parses");
    let shown = app.count_line();
    // Until a tick takes the reading in, the data is as loaded: no post yet.
    assert!(app.notes.is_some() && app.sit.posts.is_empty());
    assert!(rows(&draw(&mut app, 160, 45)).iter().all(|l| !l.contains("Turkish armed fo")));
    // The reader's thread ends on its own; the tick that receives its reading says so, and
    // the next adds it.
    for _ in 0..2000 {
        if !matches!(app.notes, Some(NotesBehind::Reading(_))) {
            break;
        }
        app.tick(Instant::now());
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(matches!(app.notes, Some(NotesBehind::Read(_))), "the notes were read");
    assert!(app.sit.posts.is_empty(), "not added yet");
    assert!(app.message.as_deref().is_some_and(|m| m.starts_with("adding what the notes said")), "{:?}", app.message);
    assert!(app.tick(Instant::now()));
    assert!(app.notes.is_none(), "the notes were added");
    // The events kept their index; the records added are found by id.
    for (i, e) in app.sit.events.iter().enumerate() {
        assert_eq!(app.sit.event_index(&e.id), Some(i));
    }
    for p in &app.sit.posts {
        assert!(app.sit.post(&p.id).is_some(), "{}", p.id);
    }
    // The index built again (its word index kept) finds what one built afresh finds.
    let mut fresh = App::new((*app.sit).clone());
    for query in ["", "withdrew", "turkish post", "place:morek", "kind:shelling", "killed>0", "\"observation post\""] {
        app.set_filter_text(query).expect("parses");
        fresh.set_filter_text(query).expect("parses");
        assert_eq!(app.shown, fresh.shown, "{query}");
        assert_eq!(app.counters.casualties, fresh.counters.casualties, "{query}");
    }
    app.set_filter_text("place:morek").expect("parses");
    assert_eq!(claims(&app.sit), claims(&read_first), "what reading behind adds is what reading first adds");
    assert_eq!(app.query.text, "place:morek");
    assert_eq!(app.count_line(), shown);
    assert!(app.message.as_deref().is_some_and(|m| m.starts_with("notes read:")), "{:?}", app.message);
    // The places pane shows the post the notes told of, and its last status.
    let post_line = |app: &mut App| rows(&draw(app, 160, 45)).into_iter().find(|l| l.contains("Turkish armed fo"));
    let line = post_line(&mut app).expect("the post is on screen");
    assert!(line.contains("evacuated"), "{line}");
}

/// An index built again keeps the old one's word index only for the same events' same
/// notes: with a note changed since, a word only the new note holds is found.
#[test]
fn an_index_built_again_keeps_the_old_words_only_for_the_same_notes() {
    use sitdash::domain::query::SearchIndex;
    let sit = default_app().sit.as_ref().clone();
    let old = SearchIndex::new(&sit);
    let mut changed = sit.clone();
    let note = changed.note_store.push("a zebra crossed the road");
    changed.events[0].note = Some(note);
    let mut app = App::with_index(changed.clone(), SearchIndex::new_keeping_words(&changed, old.clone()));
    app.set_filter_text("zebra").expect("parses");
    assert_eq!(app.count_line(), "1 of 12 events");
    // The same notes: what the kept words find is what new words find.
    let mut kept = App::with_index(sit.clone(), SearchIndex::new_keeping_words(&sit, old));
    let mut fresh = App::new(sit);
    for query in ["shelling", "sh", "turkish", "saraqib", "killed>2 shel"] {
        kept.set_filter_text(query).expect("parses");
        fresh.set_filter_text(query).expect("parses");
        assert_eq!(kept.count_line(), fresh.count_line(), "{query}");
        assert_eq!(kept.shown, fresh.shown, "{query}");
    }
}
