//! The panes drawn on their own into a `Buffer` of a given size, from small situations built
//! here as JSON, and compared with the lines and styles they should have; and `text::fit`,
//! which every pane trusts never to spill past a width.

mod common;

use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier};
use ratatui::widgets::StatefulWidget;

use common::{assert_fg, assert_modifier, day, locate, row, rows, situation_from, text_at};
use sitdash::domain::figures::TimeWindow;
use sitdash::domain::model::Situation;
use sitdash::domain::text::{fit, pad};
use sitdash::tui::app::App;
use sitdash::tui::panes::counters::{CountersState, CountersView};
use sitdash::tui::panes::detail::{DetailDoc, DetailScroll, DetailView, rows_of};
use sitdash::tui::panes::posts::{PostsRow, PostsState, PostsView};
use sitdash::tui::panes::timeline::{TimelineState, TimelineView};
use sitdash::tui::theme::Theme;

/// A week in a valley: a clash in town (4 killed), shelling known only to the week (at least
/// 10 civilians killed, about 7 injured), talks announced for later; two posts in town and one
/// in the valley; one displacement series.
const VALLEY: &str = r#"{
  "format": "sitdash/1",
  "title": "Widget test valley",
  "as_of": "2020-03-04",
  "sources": [{"id": "wire", "publisher": "Example wire"}, {"id": "agency", "publisher": "Example agency"}],
  "actors": [
    {"id": "army", "name": "Army", "inter": 1},
    {"id": "militia", "name": "Militia", "inter": 2}
  ],
  "places": [
    {"id": "valley", "name": "Valley", "geo_precision": "region"},
    {"id": "town", "name": "Town", "part_of": "valley"}
  ],
  "claims": [
    {"id": "c-four", "source": "wire", "attributed_to": "a doctor", "statement": "Four fighters died.", "count": {"best": 4}},
    {"id": "c-ten", "source": "wire", "attributed_to": "a monitor", "statement": "At least ten civilians died.", "count": {"best": 10, "qualifier": "at_least"}},
    {"id": "c-hurt", "source": "wire", "attributed_to": "a monitor", "statement": "About seven were hurt.", "count": {"best": 7, "qualifier": "approximately"}},
    {"id": "c-talks", "source": "wire", "attributed_to": "a minister", "statement": "Talks will be held on Friday."},
    {"id": "c-post", "source": "wire", "attributed_to": "a reporter", "statement": "The post changed hands."},
    {"id": "c-left", "source": "agency", "attributed_to": "the agency", "statement": "About 1,200 people have left.", "count": {"best": 1200, "qualifier": "approximately"}}
  ],
  "events": [
    {"id": "e-clash", "date": "2020-03-02", "kind": "armed_clash", "by": ["army"], "against": ["militia"], "place": "town",
     "summary": "Clash at the bridge", "claims": ["c-four"],
     "casualties": [{"group": "militia", "outcome": "killed", "claims": ["c-four"], "chosen": "c-four"}]},
    {"id": "e-shelling", "date": "2020-03-02", "precision": "week", "kind": "shelling_artillery_missile_attack", "by": ["army"], "place": "valley",
     "summary": "Shelling of the valley", "claims": ["c-ten", "c-hurt"],
     "casualties": [
       {"group": "civilians", "outcome": "killed", "claims": ["c-ten"], "chosen": "c-ten"},
       {"group": "civilians", "outcome": "injured", "claims": ["c-hurt"], "chosen": "c-hurt"}
     ]},
    {"id": "e-talks", "date": "2020-03-06", "status": "announced", "kind": "other_strategic", "by": ["army", "militia"], "place": "town",
     "summary": "Talks announced", "claims": ["c-talks"]}
  ],
  "displacement": [
    {"id": "valley-left", "area": "valley", "source": "agency", "kind": "cumulative", "baseline": "2020-03-01", "values": [
      {"as_of": "2020-03-05", "claims": ["c-left"], "chosen": "c-left"}
    ]}
  ],
  "posts": [
    {"id": "hill", "name": "Hill post", "operator": "army", "place": "town", "history": [
      {"date": "2019-01-01", "status": "established", "claims": ["c-post"]},
      {"date": "2020-03-03", "status": "encircled", "claims": ["c-post"]}
    ]},
    {"id": "bridge", "name": "Bridge post", "operator": "army", "place": "town", "history": [
      {"date": "2020-03-02", "precision": "week", "status": "under_construction", "claims": ["c-post"]}
    ]},
    {"id": "ridge", "name": "Ridge post", "operator": "army", "place": "valley", "history": [
      {"date": "2018-05-01", "status": "established", "claims": ["c-post"]}
    ]}
  ]
}"#;

fn valley() -> Situation {
    situation_from(VALLEY)
}

/// The panes' states are computed by the app, for the valley as of a date, with no filter.
fn app_as_of(as_of: &str) -> App {
    let mut app = App::new(valley());
    app.as_of = Some(day(as_of));
    app.refresh();
    app
}

fn all_events(sit: &Situation) -> Vec<u32> {
    (0..sit.events.len() as u32).collect()
}

/// The timeline of every event drawn into a buffer of the given size.
fn timeline(sit: &Situation, width: u16, height: u16, focused: bool, state: &mut TimelineState) -> Buffer {
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    let view = TimelineView {
        sit,
        theme: Theme::default(),
        focused,
        as_of: sit.as_of,
        title: " Timeline ".into(),
        notes_strip: false,
        labels: &[],
    };
    view.render(area, &mut buf, state);
    buf
}

fn timeline_state(sit: &Situation) -> TimelineState {
    let mut state = TimelineState::default();
    state.rebuild(sit, &sitdash::domain::index::SearchIndex::new(sit), &all_events(sit));
    state
}

/// The rows without the rightmost column, where the scrollbar is drawn over the border.
fn rows_left_of_scrollbar(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height).map(|y| text_at(buf, 0, y, buf.area.width - 1).trim_end().to_string()).collect()
}

fn scrollbar_column(buf: &Buffer) -> String {
    (1..buf.area.height - 1).map(|y| buf[(buf.area.width - 1, y)].symbol().to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// The timeline

#[test]
fn the_timeline_draws_date_headers_and_one_row_per_event() {
    let sit = valley();
    let mut state = timeline_state(&sit);
    assert_eq!(state.rows.len(), 6, "three dates, three events");
    assert_eq!(state.selected, Some(1), "the first event, under its header");
    let buf = timeline(&sit, 60, 6, true, &mut state);
    // Inside the borders, 57 columns of text and one left for the scrollbar. Fixed columns:
    // date 8, status 4 and a space, kind 6; killed, place and actors take what the rows on
    // screen need (killed 5 for "†10+", place 7, actors at their cap of 9) and the summary
    // the rest.
    assert_eq!(
        rows_left_of_scrollbar(&buf),
        [
            "┌ Timeline ────────────────────────────────────────────────",
            "│── Mon 2 Mar 2020",
            "│03-02        CLASH †4   Town   Army → … Clash at the bri…",
            "│── Week of 2 Mar 2020 (day not known)",
            "│wk03-02      SHELL †10+ Valley Army     Shelling of the …",
            "└──────────────────────────────────────────────────────────",
        ]
    );
    assert_eq!(row(&buf, 0).chars().last(), Some('┐'));
    assert_eq!(row(&buf, 5).chars().last(), Some('┘'));
    let bar = scrollbar_column(&buf);
    assert!(bar.chars().all(|c| c == '║' || c == '█') && bar.contains('█'), "scrollbar `{bar}`");
}

#[test]
fn the_timeline_keeps_the_selected_event_on_screen_with_its_header() {
    let sit = valley();
    let mut state = timeline_state(&sit);
    state.bottom();
    assert_eq!(state.selected_event(), Some(2));
    let buf = timeline(&sit, 60, 5, true, &mut state);
    assert_eq!(state.offset, 3);
    // As of 4 March the talks of 6 March are still to come: announced, and drawn dimmed.
    assert_eq!(
        rows_left_of_scrollbar(&buf)[1..4],
        [
            "│wk03-02      SHELL †10+ Valley Army     Shelling of the …",
            "│── Fri 6 Mar 2020",
            "│03-06   ANN  STRAT      Town   Army, M… Talks announced",
        ]
    );
    // Back to the top: the first header comes back into view with its event.
    state.top();
    let buf = timeline(&sit, 60, 5, true, &mut state);
    assert_eq!(state.offset, 0);
    assert_eq!(rows_left_of_scrollbar(&buf)[1], "│── Mon 2 Mar 2020");
}

#[test]
fn the_timeline_styles_selection_headers_kinds_and_later_events() {
    let sit = valley();
    let mut state = timeline_state(&sit);
    let buf = timeline(&sit, 60, 8, true, &mut state);
    // The selected row, focused: reversed across the text columns.
    assert_modifier(&buf, Position { x: 1, y: 2 }, 57, Modifier::REVERSED, "selected, focused");
    assert!(!buf[(1, 4)].modifier.contains(Modifier::REVERSED), "the next event is not selected");
    // The kind in its ACLED type's colour; the killed in red.
    assert_fg(&buf, locate(&buf, buf.area, "CLASH"), 5, Color::Red, "a battle");
    assert_fg(&buf, locate(&buf, buf.area, "SHELL"), 5, Color::LightRed, "explosions/remote violence");
    assert_fg(&buf, locate(&buf, buf.area, "†10+"), 4, Color::Red, "killed");
    // The talks (6 March) come after the as-of date (4 March): grey, kind included. The
    // status tag stays yellow: the announcement itself is known.
    let talks = locate(&buf, buf.area, "Talks announced");
    assert_fg(&buf, talks, 15, Color::DarkGray, "a later event");
    assert_fg(&buf, Position { x: 1, y: talks.y }, 5, Color::DarkGray, "its date");
    assert_fg(&buf, locate(&buf, buf.area, "STRAT"), 5, Color::DarkGray, "its kind");
    assert_fg(&buf, locate(&buf, buf.area, "ANN"), 3, Color::Yellow, "its status");
    // Events up to the as-of date are not dimmed.
    assert_fg(&buf, locate(&buf, buf.area, "Clash at the br"), 15, Color::Reset, "an earlier event");

    // Unfocused, the selection is underlined instead.
    let buf = timeline(&sit, 60, 8, false, &mut state);
    assert_modifier(&buf, Position { x: 1, y: 2 }, 57, Modifier::UNDERLINED, "selected, unfocused");
    assert!(!buf[(1, 2)].modifier.contains(Modifier::REVERSED));
    // The border says which pane has the keys.
    assert_eq!(buf[(0, 0)].fg, Color::DarkGray);
    let buf = timeline(&sit, 60, 8, true, &mut state);
    assert_eq!(buf[(0, 0)].fg, Color::Cyan);
}

#[test]
fn the_timeline_date_headers_are_cyan_and_bold() {
    let sit = valley();
    let mut state = timeline_state(&sit);
    let buf = timeline(&sit, 60, 8, true, &mut state);
    assert_fg(&buf, Position { x: 1, y: 1 }, 17, Color::Cyan, "date header");
    assert_modifier(&buf, Position { x: 1, y: 1 }, 17, Modifier::BOLD, "date header");
}

#[test]
fn an_empty_timeline_says_so_and_tiny_areas_do_not_panic() {
    let sit = valley();
    let mut state = TimelineState::default();
    state.rebuild(&sit, &sitdash::domain::index::SearchIndex::new(&sit), &[]);
    assert_eq!(state.selected, None);
    let buf = timeline(&sit, 30, 4, true, &mut state);
    assert_eq!(rows(&buf)[1], "│No events match.            │");
    assert_eq!(buf[(1, 1)].fg, Color::DarkGray);
    let mut state = timeline_state(&sit);
    for (w, h) in [(0, 0), (1, 1), (2, 2), (3, 3), (5, 2), (12, 3), (27, 4)] {
        timeline(&sit, w, h, true, &mut state);
    }
    // Every drawn row fits its pane at any width.
    for width in 3..80 {
        let buf = timeline(&sit, width, 8, true, &mut state);
        for y in 1..7 {
            let right = buf[(width - 1, y)].symbol();
            assert!(matches!(right, "│" | "║" | "█"), "width {width}, row {y} ends in `{right}`");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The counters

fn counters(as_of: &str, width: u16, height: u16) -> (Buffer, CountersState) {
    let mut app = app_as_of(as_of);
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    let view = CountersView { sit: &app.sit, theme: Theme::default(), focused: false, title: " Counters ".into() };
    view.render(area, &mut buf, &mut app.counters);
    (buf, app.counters)
}

#[test]
fn the_counters_show_floors_and_estimates_for_what_they_are() {
    let (buf, _) = counters("2020-03-07", 70, 9);
    // 4 + at least 10 = at least 14: `14+`. About 7 injured: `~7`. About 1,200 left: `~1,200`.
    assert_eq!(
        rows(&buf),
        [
            "┌ Counters ──────────────────────────────────────────────────────────┐",
            "│Killed     14+         a floor: some figures are \"at least\"         │",
            "│  civilians                    10+                                  │",
            "│  Militia                      4                                    │",
            "│Injured    ~7                                                       │",
            "│  civilians                    ~7                                   │",
            "│Displaced  ~1,200      not double counted (1 series)                │",
            "│  Valley         ~1,200 since 1 Mar 2020, as of 5 Mar · the agency  │",
            "└────────────────────────────────────────────────────────────────────┘",
        ]
    );
    // The totals are red (killed) and bold labels; the notes grey.
    assert_fg(&buf, Position { x: 12, y: 1 }, 3, Color::Red, "the killed total");
    assert_modifier(&buf, Position { x: 1, y: 1 }, 6, Modifier::BOLD, "the label");
    assert_fg(&buf, locate(&buf, buf.area, "a floor"), 7, Color::DarkGray, "the note");
    assert_fg(&buf, Position { x: 12, y: 6 }, 6, Color::Yellow, "the displaced total");
}

#[test]
fn before_anything_happened_the_counters_say_none_reported() {
    let (buf, state) = counters("2020-03-01", 60, 6);
    // No groups and no displacement figure yet; then the comparison window (no events: no
    // types and no actors).
    assert_eq!(state.rows.len(), 6, "{:?}", state.rows);
    assert_eq!(
        state.rows[3],
        sitdash::tui::panes::counters::CounterRow::Heading(sitdash::tui::panes::counters::Section::Compare)
    );
    assert_eq!(
        rows(&buf)[1..4],
        [
            "│Killed     0           none reported                      │",
            "│Injured    0           none reported                      │",
            "│Displaced  no figure for this view                        │",
        ]
    );
}

#[test]
fn the_counters_scroll_to_the_selected_row_and_keep_rows_inside_the_pane() {
    let mut app = app_as_of("2020-03-07");
    let state = &mut app.counters;
    // The last casualty or displacement row (the comparison and the breakdown follow it).
    state.selected =
        state.rows.iter().position(|r| matches!(r, sitdash::tui::panes::counters::CounterRow::Heading(_))).unwrap() - 1;
    let area = Rect::new(0, 0, 40, 5);
    let mut buf = Buffer::empty(area);
    let view = CountersView { sit: &app.sit, theme: Theme::default(), focused: true, title: " Counters ".into() };
    view.render(area, &mut buf, state);
    assert_eq!(state.offset, 4, "the last of 7 rows in a 3-row pane");
    let lines = rows(&buf);
    assert!(lines[3].starts_with("│  Valley"), "{lines:#?}");
    assert!(lines.iter().all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) == 40), "{lines:#?}");
    assert_modifier(&buf, Position { x: 1, y: 3 }, 38, Modifier::REVERSED, "the selected row");
}

// ---------------------------------------------------------------------------------------------
// The posts

fn posts(as_of: &str, width: u16, height: u16) -> (Buffer, PostsState) {
    let mut app = app_as_of(as_of);
    let area = Rect::new(0, 0, width, height);
    let mut buf = Buffer::empty(area);
    let view =
        PostsView { sit: &app.sit, theme: Theme::default(), focused: false, narrowed: None, title: " Posts ".into() };
    view.render(area, &mut buf, &mut app.posts);
    (buf, app.posts)
}

#[test]
fn the_posts_are_listed_by_place_with_their_status_as_of_the_date() {
    let (buf, state) = posts("2020-03-04", 64, 8);
    assert_eq!(state.rows.len(), 5);
    assert!(matches!(state.rows[0], PostsRow::Place { events: 2, posts: 1, depth: 0, .. }), "{:?}", state.rows[0]);
    let lines = rows(&buf);
    // Places nested as the data nests them: Town lies in Valley, whose figures include
    // Town's. Valley counts its own event and the clash of 2 Mar in Town; the talks of 6 Mar
    // are after the date.
    assert!(
        lines[1].starts_with("│▾ Valley ") && lines[1].contains("1 post ") && lines[1].contains(" 2 ev"),
        "{lines:#?}"
    );
    assert!(lines[2].starts_with("│  ● Ridge post") && lines[2].contains("established"));
    assert!(
        lines[3].starts_with("│  ▾ Town ") && lines[3].contains("2 posts") && lines[3].contains(" 1 ev"),
        "{lines:#?}"
    );
    assert!(
        lines[4].starts_with("│    ● Hill post")
            && lines[4].contains("encircled")
            && lines[4].contains("since 3 Mar 2020")
    );
    assert!(lines[5].contains("● Bridge post") && lines[5].contains("under construction"));
    assert!(lines[5].contains("since 2 Mar 2020"));

    // Colours carry the status: encircled red and bold, under construction yellow,
    // established green.
    let encircled = locate(&buf, buf.area, "encircled");
    assert_fg(&buf, encircled, 9, Color::Red, "encircled");
    assert_modifier(&buf, encircled, 9, Modifier::BOLD, "encircled");
    assert_fg(&buf, Position { x: 3, y: encircled.y }, 1, Color::Red, "the bullet of an encircled post");
    assert_fg(&buf, locate(&buf, buf.area, "under construction"), 18, Color::Yellow, "under construction");
    assert_fg(&buf, locate(&buf, buf.area, "established"), 11, Color::Green, "established");
    assert_fg(&buf, locate(&buf, buf.area, "since 3 Mar"), 11, Color::DarkGray, "the date of the change");
}

#[test]
fn a_post_shows_the_status_it_had_on_the_date() {
    // On 2 March the Hill post was not yet encircled; the Bridge post's week has begun.
    let (buf, _) = posts("2020-03-02", 64, 8);
    let hill = locate(&buf, buf.area, "Hill post");
    let hill_row = text_at(&buf, 0, hill.y, 64);
    assert!(hill_row.contains("established") && hill_row.contains("since 1 Jan 2019"), "{hill_row}");
    assert_fg(&buf, locate(&buf, Rect { y: hill.y, height: 1, ..buf.area }, "established"), 11, Color::Green, "");
    // On 1 March the Bridge post did not exist.
    let (buf, state) = posts("2020-03-01", 64, 8);
    assert_eq!(state.rows.iter().filter(|r| matches!(r, PostsRow::Post { .. })).count(), 2);
    assert!(!common::screen(&buf).contains("Bridge post"));
}

#[test]
fn the_place_counts_end_at_the_right_border() {
    let (buf, _) = posts("2020-03-04", 64, 8);
    // The figures end at the border: events, killed, the latest date and the trend mark.
    assert!(rows(&buf)[1].ends_with("2 Mar ▲│"), "{:#?}", rows(&buf));
    assert!(rows(&buf)[3].ends_with("2 Mar ▲│"), "{:#?}", rows(&buf));
}

// ---------------------------------------------------------------------------------------------
// text::fit

/// How wide ratatui draws a string: the column after its last grapheme.
fn drawn_width(text: &str) -> usize {
    let mut buf = Buffer::empty(Rect::new(0, 0, 400, 1));
    let (x, _) = buf.set_stringn(0, 0, text, 400, ratatui::style::Style::new());
    x as usize
}

#[test]
fn fit_cuts_at_the_width_and_never_splits_a_wide_character() {
    assert_eq!(fit("Saraqeb", 7), "Saraqeb");
    assert_eq!(fit("Saraqeb", 6), "Saraq…");
    assert_eq!(fit("Saraqeb", 1), "…");
    assert_eq!(fit("Saraqeb", 0), "");
    assert_eq!(fit("", 0), "");
    // 漢 is two columns: in five columns two fit, and the ellipsis.
    assert_eq!(fit("漢字漢字", 5), "漢字…");
    // In four, the second would leave no room for the ellipsis.
    assert_eq!(fit("漢字漢字", 4), "漢…");
    assert_eq!(fit("漢字漢字", 8), "漢字漢字");
    assert_eq!(fit("漢", 1), "…");
    // Arabic is one column a letter; combining marks take none.
    assert_eq!(fit("سراقب", 5), "سراقب");
    assert_eq!(fit("Sara\u{301}qib", 5), "Sara\u{301}…");
    for (text, width) in [("漢字漢字", 5), ("Tell Touqan", 4), ("تل طوقان", 3), ("a漢b", 2)] {
        assert!(drawn_width(&fit(text, width)) <= width, "{text} in {width}");
        assert_eq!(drawn_width(&pad(text, width)), width, "{text} padded to {width}");
    }
}

/// Text as it reaches the panes: ASCII, accented Latin, Arabic, CJK, combining marks.
fn text_from_data() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('a', 'z'),
            Just(' '),
            Just('·'),
            Just('–'),
            Just('ā'),
            Just('\u{301}'),
            proptest::char::range('\u{0627}', '\u{064a}'),
            proptest::char::range('\u{4e00}', '\u{4e40}'),
            Just('한'),
            Just('…'),
        ],
        0..30,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn fit_never_overflows_and_pad_fills_exactly(text in text_from_data(), width in 0usize..40) {
        let fitted = fit(&text, width);
        prop_assert!(drawn_width(&fitted) <= width, "{fitted:?} is wider than {width}");
        if drawn_width(&text) <= width {
            prop_assert_eq!(&fitted, &text, "text that fits is left alone");
        } else if width > 0 {
            let kept = fitted.strip_suffix('…').expect("a cut ends with an ellipsis");
            prop_assert!(text.starts_with(kept), "a cut keeps the start: {:?}", fitted);
            // Nothing more would have fitted before the ellipsis.
            let next = text[kept.len()..].chars().next().unwrap();
            let next_w = unicode_width::UnicodeWidthChar::width(next).unwrap_or(0);
            prop_assert!(drawn_width(kept) + next_w + 1 > width || next_w == 0, "{:?} cut too early", fitted);
        }
        prop_assert_eq!(drawn_width(&pad(&text, width)), width);
    }
}

#[test]
fn fit_measures_emoji_presentation_as_two_columns() {
    // ❤ + U+FE0F is drawn two columns wide; the loader keeps U+FE0F (text::clean does not
    // touch it), so it can reach a pane from any summary or name.
    let heart = "\u{2764}\u{fe0f}";
    assert_eq!(drawn_width(heart), 2);
    let fitted = fit(&format!("{heart} ok"), 2);
    assert!(drawn_width(&fitted) <= 2, "{fitted:?} is {} wide", drawn_width(&fitted));
}

/// A planned meeting, a planned event already past its date, and a post evacuated: the tags and
/// colours that the valley does not hold.
const PLANS: &str = r#"{
  "format": "sitdash/1", "title": "Plans", "as_of": "2020-03-04",
  "sources": [{"id": "wire", "publisher": "Example wire"}],
  "actors": [{"id": "army", "name": "Army", "inter": 1}],
  "places": [{"id": "town", "name": "Town"}],
  "claims": [{"id": "c", "source": "wire", "attributed_to": "a reporter", "statement": "Said for a test."}],
  "events": [
    {"id": "e-talks", "date": "2020-03-01", "status": "planned", "kind": "other_strategic", "by": ["army"], "place": "town", "summary": "Talks planned", "claims": ["c"]},
    {"id": "e-march", "date": "2020-03-02", "kind": "peaceful_protest", "by": ["army"], "place": "town", "summary": "A march held", "claims": ["c"]}
  ],
  "posts": [
    {"id": "hill", "name": "Hill post", "operator": "army", "place": "town", "history": [
      {"date": "2019-01-01", "status": "established", "claims": ["c"]},
      {"date": "2020-03-03", "status": "evacuated", "claims": ["c"]}
    ]}
  ]
}"#;

#[test]
fn a_planned_event_is_tagged_plan_in_yellow() {
    let sit = situation_from(PLANS);
    let mut state = timeline_state(&sit);
    let buf = timeline(&sit, 60, 8, false, &mut state);
    let talks = locate(&buf, buf.area, "Talks planned");
    let row = text_at(&buf, 0, talks.y, 60);
    assert!(row.starts_with("│03-01   PLAN STRAT"), "{row}");
    assert_fg(&buf, locate(&buf, Rect { y: talks.y, height: 1, ..buf.area }, "PLAN"), 4, Color::Yellow, "its status");
    // An occurred event has no tag.
    let march = text_at(&buf, 0, locate(&buf, buf.area, "A march held").y, 60);
    assert!(march.starts_with("│03-02        PROT"), "{march}");
}

#[test]
fn an_evacuated_post_is_grey() {
    let mut app = App::new(situation_from(PLANS));
    app.refresh();
    let area = Rect::new(0, 0, 64, 6);
    let mut buf = Buffer::empty(area);
    let view =
        PostsView { sit: &app.sit, theme: Theme::default(), focused: false, narrowed: None, title: " Posts ".into() };
    view.render(area, &mut buf, &mut app.posts);
    let status = locate(&buf, buf.area, "evacuated");
    assert_fg(&buf, status, 9, Color::DarkGray, "evacuated");
    assert_fg(&buf, Position { x: 3, y: status.y }, 1, Color::DarkGray, "the bullet of an evacuated post");
    assert!(!buf[(status.x, status.y)].modifier.contains(Modifier::BOLD));
}

// ---------------------------------------------------------------------------------------------
// The detail overlay: drawn from its scroll position, block by block

/// The overlay as it was drawn before it was made block by block: every line wrapped by one
/// `Paragraph`, scrolled. Returns the buffer and the scroll positions there are.
fn overlay_whole(lines: Vec<ratatui::text::Line<'static>>, title: &str, area: Rect, scroll: usize) -> (Buffer, usize) {
    use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
    let theme = Theme::default();
    let mut buf = Buffer::empty(area);
    Clear.render(area, &mut buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(ratatui::text::Line::styled(title.to_string(), theme.title));
    let inner = block.inner(area);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let len = paragraph.line_count(inner.width).saturating_sub(inner.height as usize) + 1;
    let scroll = u16::try_from(scroll.min(len - 1)).expect("a small test text");
    block.render(area, &mut buf);
    paragraph.scroll((scroll, 0)).render(inner, &mut buf);
    (buf, len)
}

fn overlay_windowed(sit: &Situation, doc: &DetailDoc, area: Rect, state: &mut DetailScroll) -> Buffer {
    let mut buf = Buffer::empty(area);
    DetailView { sit, doc, title: " Post ", theme: Theme::default() }.render(area, &mut buf, state);
    buf
}

#[test]
fn the_post_detail_drawn_from_any_scroll_position_is_the_whole_text_wrapped_and_scrolled() {
    let sit = common::long_history_situation(60);
    let doc = DetailDoc::post(&sit, 0, TimeWindow { from: None, to: sit.as_of }, Theme::default());
    for (width, height) in [(1, 1), (2, 2), (3, 3), (12, 5), (40, 10), (77, 23), (140, 40)] {
        let area = Rect::new(0, 0, width, height);
        let (_, len) = overlay_whole(doc.lines(&sit), " Post ", area, 0);
        for scroll in [0, 1, 2, 9, 10, 11, 57, len / 2, len.saturating_sub(2), len - 1, len, usize::MAX] {
            let (whole, _) = overlay_whole(doc.lines(&sit), " Post ", area, scroll);
            let mut state = DetailScroll::default();
            state.scroll = scroll;
            let windowed = overlay_windowed(&sit, &doc, area, &mut state);
            assert_eq!(rows(&windowed), rows(&whole), "{width}x{height} from row {scroll}");
            assert_eq!(windowed, whole, "{width}x{height} from row {scroll}: styles too");
            assert_eq!(state.scroll, scroll.min(len - 1), "{width}x{height} from row {scroll}");
            if scroll >= len - 1 {
                assert_eq!(state.len, len, "{width}x{height}: at the end every row is counted");
            }
        }
        // Counted from the end, on its own and after a draw from the top measured some rows.
        for back in [0, 1, 2, 9, 10, 11, 57, len / 2, len.saturating_sub(2), len - 1, len, len + 30] {
            let at = (len - 1).saturating_sub(back);
            let (whole, _) = overlay_whole(doc.lines(&sit), " Post ", area, at);
            for from_top in [None, Some(0), Some(len / 3)] {
                let mut state = DetailScroll::default();
                if let Some(scroll) = from_top {
                    state.scroll = scroll;
                    let _ = overlay_windowed(&sit, &doc, area, &mut state);
                }
                state.from_end = Some(back);
                let windowed = overlay_windowed(&sit, &doc, area, &mut state);
                assert_eq!(rows(&windowed), rows(&whole), "{width}x{height}, {back} rows above the end");
                assert_eq!(windowed, whole, "{width}x{height}, {back} rows above the end: styles too");
                assert!(state.scroll < state.len, "{width}x{height}, {back} above the end");
                if state.from_end.is_none() {
                    assert_eq!((state.scroll, state.len), (at, len), "{width}x{height}: all measured");
                }
            }
        }
    }
}

#[test]
fn a_long_post_history_is_measured_only_as_far_as_it_is_shown_and_its_end_is_reached() {
    let sit = common::long_history_situation(2_000);
    let doc = DetailDoc::post(&sit, 0, TimeWindow { from: None, to: sit.as_of }, Theme::default());
    let area = Rect::new(0, 0, 80, 20);
    // From the top: a screen and a page more are measured, not two thousand changes.
    let mut state = DetailScroll::default();
    let top = overlay_windowed(&sit, &doc, area, &mut state);
    assert!(!state.measured(&doc, &sit), "the whole history measured for its first screen");
    assert!(state.len > 10 && state.len < 200, "positions known so far: {}", state.len);
    assert_eq!(rows(&top)[1], "│Hill post                                                                     │");
    // A page down from there is never stopped short by what is not measured yet.
    state.scroll = state.len - 1;
    let _ = overlay_windowed(&sit, &doc, area, &mut state);
    assert_eq!(state.scroll, state.len.min(state.scroll), "the scroll stays where it was put");
    // The end, counted from the end: only the last rows measured.
    let mut from_end = DetailScroll::default();
    from_end.from_end = Some(0);
    let end = overlay_windowed(&sit, &doc, area, &mut from_end);
    assert!(!from_end.measured(&doc, &sit), "the whole history measured for its last screen");
    assert_eq!(from_end.from_end, Some(0));
    assert_eq!(end, overlay_whole(doc.lines(&sit), " Post ", area, usize::MAX).0);
    // The end from the top: every row measured; the last screen ends on the events after the
    // withdrawal.
    state.scroll = usize::MAX;
    let end = overlay_windowed(&sit, &doc, area, &mut state);
    assert!(state.measured(&doc, &sit));
    let (whole, len) = overlay_whole(doc.lines(&sit), " Post ", area, usize::MAX);
    assert_eq!(state.len, len);
    assert_eq!(end, whole);
    let text = rows(&end).join("\n");
    assert!(text.contains("evacuated") && text.contains("the last change of all"), "{text}");
    assert!(rows(&end)[18].contains("A convoy reaches the hill post"), "{text}");
    // One row up from the end is the whole text one row up.
    state.scroll -= 1;
    let up = overlay_windowed(&sit, &doc, area, &mut state);
    assert_eq!(up, overlay_whole(doc.lines(&sit), " Post ", area, len - 2).0);
    assert_eq!(rows(&up)[2..19], rows(&end)[1..18], "everything moved down one row");
    // Block by block, the rows add up to the whole text's, wrapped inside the frame.
    let rows_each: usize = (0..doc.blocks(&sit)).map(|b| doc.rows_of_block(&sit, b, 78)).sum();
    assert_eq!(rows_each, len + 18 - 1);
}

#[test]
fn rows_of_counts_the_rows_a_paragraph_wraps_a_line_into() {
    use ratatui::text::{Line, Span};
    use ratatui::widgets::{Paragraph, Wrap};
    let lines = [
        Line::raw(""),
        Line::raw("short"),
        Line::raw("  trailing spaces   "),
        Line::raw("a few words that will wrap at narrow widths, and one longwordwithoutanybreakatall"),
        Line::from(vec![Span::raw("two "), Span::raw("spans that "), Span::raw("wrap together")]),
        Line::raw("النقطة محاصرة منذ الصباح"),
        Line::raw("東京都 宣言 wide characters 漢字"),
        Line::raw("emoji 🛰️ and ✈️ inside"),
        Line::raw("  ▸ ~3 posts [unknown] notes of event E1 · a reader · low confidence"),
        Line::raw("      in the text: …the road «was cut» — again† at dawn → north ▲▼ ✓ ●"),
        Line::raw("Café déjà vu: Łódź, Ærøskøbing, Şanlıurfa, naïve façade"),
        Line::raw("ﻻ لا and e\u{301} combining, a\u{200d}b joined, soft\u{ad}hyphen, tab-free"),
    ];
    for line in &lines {
        for width in 0..=90 {
            let whole = Paragraph::new(line.clone()).wrap(Wrap { trim: false }).line_count(width);
            assert_eq!(rows_of(line, width), whole, "{line:?} at {width}");
        }
    }
}

/// On large data the timeline builds its rows in two halves, one per core: the rows are
/// those a plain reading in order gives (a header wherever the date changes, the halves'
/// seam included), and the selection moves to the nearest event still shown.
#[test]
fn a_large_timeline_gives_each_line_alone_as_the_walk_from_the_top_does() {
    use sitdash::domain::model::{DatePrecision, Event};
    use sitdash::tui::panes::timeline::Row;
    let (base, _) = sitdash::ingest::load::load_str(
        sitdash::DEFAULT_DATA_NAME,
        sitdash::DEFAULT_DATA,
        sitdash::ingest::input::LoadOptions::default(),
    )
    .unwrap();
    let mut sit = base.clone();
    let one = sit.events[0].clone();
    let first = one.date;
    // Ten events a day, some days' events dated only to the week: headers every few rows.
    sit.events = (0..60_007)
        .map(|i| Event {
            id: format!("e{i}").into(),
            date: first.add_days(i / 10),
            precision: if i % 70 < 10 { DatePrecision::Week } else { DatePrecision::Day },
            end: None,
            ..one.clone()
        })
        .collect();
    sit.reindex();
    let index = sitdash::domain::index::SearchIndex::new(&sit);
    let plain = |events: &[u32]| -> Vec<Row> {
        let mut rows = Vec::new();
        let mut last = None;
        for &i in events {
            let span = sit.events[i as usize].span();
            if last != Some(span) {
                rows.push(Row::Header(span));
                last = Some(span);
            }
            rows.push(Row::Event(i));
        }
        rows
    };
    let every: Vec<u32> = (0..60_007).collect();
    let mut state = TimelineState::default();
    state.rebuild(&sit, &index, &every);
    assert_eq!(state.rows.iter().collect::<Vec<_>>(), plain(&every));
    // Each line asked for alone is the line the walk from the top gives.
    let lines: Vec<Row> = (0..state.rows.len()).filter_map(|l| state.rows.get(l)).collect();
    assert_eq!(lines, plain(&every));
    assert_eq!(state.rows.get(state.rows.len()), None);
    // The selection on an event of the later half, which the next events leave out.
    let chosen = 45_001;
    state.selected = state.rows.iter().position(|r| r == Row::Event(chosen));
    let fewer: Vec<u32> =
        every.iter().copied().filter(|i| i % 3 != 0 || *i > 59_000).filter(|&i| i != chosen).collect();
    state.rebuild(&sit, &index, &fewer);
    assert_eq!(state.rows.iter().collect::<Vec<_>>(), plain(&fewer));
    assert_eq!(state.selected_event(), Some(45_002), "the nearest event after the one left out");
    // One in the earlier half too.
    state.selected = state.rows.iter().position(|r| r == Row::Event(10));
    let again: Vec<u32> = fewer.iter().copied().filter(|&i| i != 10).collect();
    state.rebuild(&sit, &index, &again);
    assert_eq!(state.rows.iter().collect::<Vec<_>>(), plain(&again));
    assert_eq!(state.selected_event(), Some(11));
}

#[test]
fn timeline_moves_count_events_not_header_lines_and_dates_pick_the_last_event_before() {
    use sitdash::domain::model::Event;
    use sitdash::tui::panes::timeline::Row;
    let (mut sit, _) = sitdash::ingest::load::load_str(
        sitdash::DEFAULT_DATA_NAME,
        sitdash::DEFAULT_DATA,
        sitdash::ingest::input::LoadOptions::default(),
    )
    .unwrap();
    let one = sit.events[0].clone();
    let first = one.date;
    // Three days of four events each: lines are header, 4 events, header, 4 events, ...
    sit.events = (0..12)
        .map(|i| Event { id: format!("e{i}").into(), date: first.add_days(i / 4), end: None, ..one.clone() })
        .collect();
    sit.reindex();
    let index = sitdash::domain::index::SearchIndex::new(&sit);
    let mut state = TimelineState::default();
    state.rebuild(&sit, &index, &(0..12).collect::<Vec<u32>>());
    assert_eq!(state.rows.len(), 15);
    assert!(matches!(state.rows.get(5), Some(Row::Header(_))));
    state.top();
    assert_eq!((state.selected, state.selected_event()), (Some(1), Some(0)));
    state.move_by(5);
    assert_eq!((state.selected, state.selected_event()), (Some(7), Some(5)), "five events on, past one header");
    state.move_by(-100);
    assert_eq!(state.selected_event(), Some(0), "stops at the first");
    state.move_by(100);
    assert_eq!((state.selected, state.selected_event()), (Some(14), Some(11)), "stops at the last");
    state.click(5);
    assert_eq!(state.selected_event(), Some(4), "a click on a header takes the event under it");
    state.select_date(&index, Some(first.add_days(1)));
    assert_eq!(state.selected_event(), Some(7), "the last event of the second day");
    state.select_date(&index, Some(first.add_days(-1)));
    assert_eq!(state.selected_event(), Some(0), "before every event: the first");
    state.select_date(&index, None);
    assert_eq!(state.selected_event(), Some(11));
    state.select_event(9);
    assert_eq!((state.selected, state.selected_event()), (Some(12), Some(9)));
    // Fewer events: the selection keeps its event, or takes the next one shown.
    state.rebuild(&sit, &index, &[0, 1, 10, 11]);
    assert_eq!(state.selected_event(), Some(10));
    assert_eq!(state.rows.iter().filter(|r| matches!(r, Row::Header(_))).count(), 2);
}
