//! The one table of key bindings: dispatch, the footer and the help overlay all read it, so
//! the help can never drift from the keys that really work.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Which part of the screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Timeline,
    Counters,
    Trend,
    Posts,
    Map,
}

impl Pane {
    pub const ALL: [Pane; 5] = [Pane::Timeline, Pane::Counters, Pane::Trend, Pane::Posts, Pane::Map];

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Pane::Timeline => "Timeline",
            Pane::Counters => "Counters",
            Pane::Trend => "Trend",
            Pane::Posts => "Places",
            Pane::Map => "Map",
        }
    }
}

/// What the keyboard is talking to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The panes.
    Browse,
    /// A full-screen overlay (detail or help) that scrolls.
    Overlay,
    /// Typing a filter query.
    FilterInput,
    /// Picking facets.
    Facets,
    /// Typing where to save the view (export or report).
    SavePrompt,
    /// Asked whether to replace a file that exists.
    Confirm,
}

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    GoToPlace,
    Close,
    ClearPlace,
    OpenFilter,
    OpenFacets,
    DayBack,
    DayForward,
    WeekBack,
    WeekForward,
    LatestDate,
    ShowMap,
    // Trend and map
    ToggleMeasure,
    BinFiner,
    BinCoarser,
    ZoomIn,
    ZoomOut,
    FitMap,
    PanWest,
    PanEast,
    PanNorth,
    PanSouth,
    Expand,
    Collapse,
    NextOrder,
    CompareLonger,
    CompareShorter,
    // Filter input
    Accept,
    Cancel,
    HistoryBack,
    HistoryForward,
    DeleteBack,
    // Facets
    Toggle,
    // Saving the view
    Export,
    Report,
    NextFormat,
    Overwrite,
}

/// Where a binding applies inside its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    In(Pane),
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub mode: Mode,
    pub scope: Scope,
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in the footer and help.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! b {
    ($mode:ident, $scope:expr, [$($key:expr),+], $label:literal, $action:ident, $help:literal) => {
        Binding { mode: Mode::$mode, scope: $scope, keys: &[$($key),+], label: $label, action: Action::$action, help: $help }
    };
}

use Scope::{Everywhere, In};

/// Every key sitdash knows, in the order help lists them.
pub const BINDINGS: &[Binding] = &[
    b!(Browse, Everywhere, [(KeyCode::Char('q'), NONE), (KeyCode::Char('c'), CTRL)], "q", Quit, "quit"),
    b!(Browse, Everywhere, [(KeyCode::Char('?'), NONE), (KeyCode::Char('?'), SHIFT)], "?", Help, "help: every key"),
    b!(Browse, Everywhere, [(KeyCode::Char('m'), NONE)], "m", ShowMap, "map: show it, or go back"),
    b!(Browse, Everywhere, [(KeyCode::Tab, NONE)], "Tab", FocusNext, "next pane"),
    b!(Browse, Everywhere, [(KeyCode::Char('v'), NONE)], "v", ToggleMeasure, "trend and map: killed or events"),
    b!(Browse, Everywhere, [(KeyCode::BackTab, SHIFT), (KeyCode::BackTab, NONE)], "S-Tab", FocusPrev, "previous pane"),
    b!(Browse, Everywhere, [(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)], "k/↑", Up, "move up"),
    b!(Browse, Everywhere, [(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)], "j/↓", Down, "move down"),
    b!(Browse, Everywhere, [(KeyCode::PageUp, NONE)], "PgUp", PageUp, "page up"),
    b!(Browse, Everywhere, [(KeyCode::PageDown, NONE)], "PgDn", PageDown, "page down"),
    b!(Browse, Everywhere, [(KeyCode::Char('g'), NONE), (KeyCode::Home, NONE)], "g/Home", Top, "first row"),
    b!(
        Browse,
        Everywhere,
        [(KeyCode::Char('G'), SHIFT), (KeyCode::Char('G'), NONE), (KeyCode::End, NONE)],
        "G/End",
        Bottom,
        "last row"
    ),
    b!(
        Browse,
        In(Pane::Timeline),
        [(KeyCode::Enter, NONE)],
        "Enter",
        Open,
        "event detail: notes, figures, every claim"
    ),
    b!(Browse, In(Pane::Timeline), [(KeyCode::Char('p'), NONE)], "p", GoToPlace, "jump to the event's place in Posts"),
    b!(Browse, In(Pane::Counters), [(KeyCode::Enter, NONE)], "Enter", Open, "where the figure comes from"),
    b!(
        Browse,
        In(Pane::Posts),
        [(KeyCode::Enter, NONE)],
        "Enter",
        Open,
        "on a place: narrow every pane to it; on a post: detail"
    ),
    b!(
        Browse,
        In(Pane::Trend),
        [(KeyCode::Enter, NONE)],
        "Enter",
        Open,
        "trend detail: the spike rule, the spikes, every bin"
    ),
    b!(
        Browse,
        In(Pane::Trend),
        [(KeyCode::Char('<'), NONE), (KeyCode::Char('<'), SHIFT), (KeyCode::Left, NONE), (KeyCode::Char('h'), NONE)],
        "</←",
        BinFiner,
        "finer bins (day, week, month, quarter, year)"
    ),
    b!(
        Browse,
        In(Pane::Trend),
        [(KeyCode::Char('>'), NONE), (KeyCode::Char('>'), SHIFT), (KeyCode::Right, NONE), (KeyCode::Char('l'), NONE)],
        ">/→",
        BinCoarser,
        "coarser bins"
    ),
    b!(
        Browse,
        In(Pane::Map),
        [(KeyCode::Char('+'), NONE), (KeyCode::Char('+'), SHIFT), (KeyCode::Char('='), NONE)],
        "+",
        ZoomIn,
        "zoom in"
    ),
    b!(Browse, In(Pane::Map), [(KeyCode::Char('-'), NONE)], "-", ZoomOut, "zoom out"),
    b!(Browse, In(Pane::Map), [(KeyCode::Char('z'), NONE)], "z", FitMap, "fit the map to the data"),
    b!(Browse, In(Pane::Map), [(KeyCode::Char('h'), NONE), (KeyCode::Left, NONE)], "h/←", PanWest, "pan west"),
    b!(Browse, In(Pane::Map), [(KeyCode::Char('l'), NONE), (KeyCode::Right, NONE)], "l/→", PanEast, "pan east"),
    b!(Browse, In(Pane::Map), [(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)], "k/↑", PanNorth, "pan north"),
    b!(Browse, In(Pane::Map), [(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)], "j/↓", PanSouth, "pan south"),
    b!(
        Browse,
        In(Pane::Posts),
        [(KeyCode::Right, NONE), (KeyCode::Char('l'), NONE)],
        "→/l",
        Expand,
        "open a place: the places and posts inside it"
    ),
    b!(
        Browse,
        In(Pane::Posts),
        [(KeyCode::Left, NONE), (KeyCode::Char('h'), NONE)],
        "←/h",
        Collapse,
        "close a place; on a closed one, go to the place it lies in"
    ),
    b!(
        Browse,
        In(Pane::Posts),
        [(KeyCode::Char('o'), NONE)],
        "o",
        NextOrder,
        "rank places by events, killed, latest, name"
    ),
    b!(Browse, Everywhere, [(KeyCode::Esc, NONE)], "Esc", ClearPlace, "drop the place narrowing"),
    b!(Browse, Everywhere, [(KeyCode::Char('/'), NONE)], "/", OpenFilter, "filter (query)"),
    b!(Browse, Everywhere, [(KeyCode::Char('f'), NONE)], "f", OpenFacets, "facets: kinds, actors, places, sources"),
    b!(Browse, Everywhere, [(KeyCode::Char('['), NONE)], "[", DayBack, "as-of date one day back"),
    b!(Browse, Everywhere, [(KeyCode::Char(']'), NONE)], "]", DayForward, "as-of date one day on"),
    b!(
        Browse,
        Everywhere,
        [(KeyCode::Char('{'), NONE), (KeyCode::Char('{'), SHIFT)],
        "{",
        WeekBack,
        "as-of date one week back"
    ),
    b!(
        Browse,
        Everywhere,
        [(KeyCode::Char('}'), NONE), (KeyCode::Char('}'), SHIFT)],
        "}",
        WeekForward,
        "as-of date one week on"
    ),
    b!(Browse, Everywhere, [(KeyCode::Char('0'), NONE)], "0", LatestDate, "as-of date back to the latest"),
    b!(
        Browse,
        Everywhere,
        [(KeyCode::Char('w'), NONE)],
        "w",
        CompareLonger,
        "comparison window: 7, 30, 90, 365 days (the last N against the N before)"
    ),
    b!(
        Browse,
        Everywhere,
        [(KeyCode::Char('W'), SHIFT), (KeyCode::Char('W'), NONE)],
        "W",
        CompareShorter,
        "comparison window one step shorter"
    ),
    b!(
        Browse,
        Everywhere,
        [(KeyCode::Char('e'), NONE)],
        "e",
        Export,
        "export the events shown (ACLED CSV, JSON Lines, JSON with claims)"
    ),
    b!(Browse, Everywhere, [(KeyCode::Char('r'), NONE)], "r", Report, "situation report of the view (Markdown, HTML)"),
    b!(
        Overlay,
        Everywhere,
        [(KeyCode::Esc, NONE), (KeyCode::Char('q'), NONE), (KeyCode::Enter, NONE)],
        "Esc",
        Close,
        "close"
    ),
    b!(Overlay, Everywhere, [(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)], "k/↑", Up, "scroll up"),
    b!(Overlay, Everywhere, [(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)], "j/↓", Down, "scroll down"),
    b!(Overlay, Everywhere, [(KeyCode::PageUp, NONE)], "PgUp", PageUp, "page up"),
    b!(Overlay, Everywhere, [(KeyCode::PageDown, NONE)], "PgDn", PageDown, "page down"),
    b!(Overlay, Everywhere, [(KeyCode::Char('g'), NONE), (KeyCode::Home, NONE)], "g/Home", Top, "to the top"),
    b!(
        Overlay,
        Everywhere,
        [(KeyCode::Char('G'), SHIFT), (KeyCode::Char('G'), NONE), (KeyCode::End, NONE)],
        "G/End",
        Bottom,
        "to the end"
    ),
    b!(Overlay, Everywhere, [(KeyCode::Char('c'), CTRL)], "C-c", Quit, "quit"),
    b!(FilterInput, Everywhere, [(KeyCode::Enter, NONE)], "Enter", Accept, "keep this filter"),
    b!(FilterInput, Everywhere, [(KeyCode::Esc, NONE)], "Esc", Cancel, "restore the previous filter"),
    b!(FilterInput, Everywhere, [(KeyCode::Up, NONE)], "↑", HistoryBack, "older filter from history"),
    b!(FilterInput, Everywhere, [(KeyCode::Down, NONE)], "↓", HistoryForward, "newer filter from history"),
    b!(FilterInput, Everywhere, [(KeyCode::Backspace, NONE)], "Bksp", DeleteBack, "delete a character"),
    b!(FilterInput, Everywhere, [(KeyCode::Char('c'), CTRL)], "C-c", Quit, "quit"),
    b!(Facets, Everywhere, [(KeyCode::Char('k'), NONE), (KeyCode::Up, NONE)], "k/↑", Up, "move up"),
    b!(Facets, Everywhere, [(KeyCode::Char('j'), NONE), (KeyCode::Down, NONE)], "j/↓", Down, "move down"),
    b!(Facets, Everywhere, [(KeyCode::Char(' '), NONE)], "Space", Toggle, "pick or drop the facet"),
    b!(Facets, Everywhere, [(KeyCode::Tab, NONE)], "Tab", FocusNext, "next facet group"),
    b!(
        Facets,
        Everywhere,
        [(KeyCode::Esc, NONE), (KeyCode::Enter, NONE), (KeyCode::Char('f'), NONE)],
        "Esc",
        Close,
        "close the picker"
    ),
    b!(Facets, Everywhere, [(KeyCode::Char('c'), CTRL)], "C-c", Quit, "quit"),
    b!(SavePrompt, Everywhere, [(KeyCode::Enter, NONE)], "Enter", Accept, "write the file"),
    b!(SavePrompt, Everywhere, [(KeyCode::Esc, NONE)], "Esc", Cancel, "cancel: write nothing"),
    b!(SavePrompt, Everywhere, [(KeyCode::Tab, NONE)], "Tab", NextFormat, "next format"),
    b!(SavePrompt, Everywhere, [(KeyCode::Backspace, NONE)], "Bksp", DeleteBack, "delete a character"),
    b!(SavePrompt, Everywhere, [(KeyCode::Char('c'), CTRL)], "C-c", Quit, "quit"),
    b!(Confirm, Everywhere, [(KeyCode::Char('y'), NONE)], "y", Overwrite, "replace the file"),
    b!(
        Confirm,
        Everywhere,
        [(KeyCode::Char('n'), NONE), (KeyCode::Esc, NONE)],
        "n/Esc",
        Cancel,
        "keep it; back to the path"
    ),
    b!(Confirm, Everywhere, [(KeyCode::Char('c'), CTRL)], "C-c", Quit, "quit"),
];

fn matches(binding: &Binding, key: &KeyEvent) -> bool {
    binding.keys.iter().any(|&(code, mods)| {
        let code_matches = match (code, key.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b,
            (a, b) => a == b,
        };
        // Terminals differ on whether Shift is reported with a shifted character.
        let mods_match =
            mods == key.modifiers || (matches!(code, KeyCode::Char(_)) && mods == NONE && key.modifiers == SHIFT);
        code_matches && mods_match
    })
}

/// The action of a key press in a mode and pane. Releases and repeats of releases are
/// ignored (Windows reports both).
#[must_use]
pub fn lookup(mode: Mode, pane: Pane, key: &KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let in_mode = || BINDINGS.iter().filter(move |b| b.mode == mode && matches(b, key));
    in_mode()
        .find(|b| b.scope == Scope::In(pane))
        .or_else(|| in_mode().find(|b| b.scope == Scope::Everywhere))
        .map(|b| b.action)
}

/// The bindings that work now, for the footer.
/// A binding for everywhere whose keys the pane takes over (the map's `k` pans) is left out.
pub fn active(mode: Mode, pane: Pane) -> impl Iterator<Item = &'static Binding> {
    let taken = move |b: &Binding| {
        BINDINGS
            .iter()
            .any(|o| o.mode == mode && o.scope == Scope::In(pane) && b.keys.iter().all(|k| o.keys.contains(k)))
    };
    BINDINGS
        .iter()
        .filter(move |b| b.mode == mode && (b.scope == Scope::In(pane) || (b.scope == Scope::Everywhere && !taken(b))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn enter_depends_on_the_pane() {
        let enter = press(KeyCode::Enter, NONE);
        assert_eq!(lookup(Mode::Browse, Pane::Timeline, &enter), Some(Action::Open));
        assert_eq!(lookup(Mode::Browse, Pane::Posts, &enter), Some(Action::Open));
        assert_eq!(lookup(Mode::Overlay, Pane::Posts, &enter), Some(Action::Close));
        assert_eq!(lookup(Mode::Browse, Pane::Counters, &press(KeyCode::Char('p'), NONE)), None);
    }

    #[test]
    fn releases_are_ignored_and_ctrl_c_always_quits() {
        let mut release = press(KeyCode::Char('q'), NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(lookup(Mode::Browse, Pane::Timeline, &release), None);
        for mode in [Mode::Browse, Mode::Overlay, Mode::FilterInput, Mode::Facets, Mode::SavePrompt, Mode::Confirm] {
            assert_eq!(lookup(mode, Pane::Timeline, &press(KeyCode::Char('c'), CTRL)), Some(Action::Quit));
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_place() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let overlapping_scope = a.scope == b.scope || a.scope == Everywhere || b.scope == Everywhere;
                if a.mode == b.mode && a.scope == b.scope && overlapping_scope {
                    for key in a.keys {
                        assert!(!b.keys.contains(key), "{:?} bound to both {:?} and {:?}", key, a.action, b.action);
                    }
                }
            }
        }
    }
}
