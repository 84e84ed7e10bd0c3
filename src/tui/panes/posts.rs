//! The places pane: places nested as the data nests them (country → admin1 → admin2 →
//! location for imports, `part_of` for our format), each level ranked by activity in the
//! current view (events, killed, the latest date, rising or falling against the previous
//! period), collapsible, with each place's observation posts under it and their status as
//! of the as-of date (coloured by meaning).

use std::collections::HashSet;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{StatefulWidget, Widget};

use crate::domain::activity::PlaceActivity;
use crate::domain::figures::{TimeWindow, post_state, thousands};
use crate::domain::index::SearchIndex;
use crate::domain::model::{Day, PostStatus, Situation};
use crate::domain::text::{fit, fold, pad};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostsRow {
    /// A place (index in the situation), with the events shown at it or inside it, its own
    /// posts listed, and how deep it sits in the tree.
    Place { place: usize, events: usize, posts: usize, depth: usize },
    /// A post (index), its status as of the date and the date of that change.
    Post { post: usize, status: PostStatus, since: Day },
}

/// How each level of places is ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlaceOrder {
    #[default]
    Events,
    Killed,
    Latest,
    Name,
}

impl PlaceOrder {
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            PlaceOrder::Events => "events",
            PlaceOrder::Killed => "killed",
            PlaceOrder::Latest => "latest",
            PlaceOrder::Name => "name",
        }
    }

    #[must_use]
    pub fn next(self) -> PlaceOrder {
        match self {
            PlaceOrder::Events => PlaceOrder::Killed,
            PlaceOrder::Killed => PlaceOrder::Latest,
            PlaceOrder::Latest => PlaceOrder::Name,
            PlaceOrder::Name => PlaceOrder::Events,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PostsState {
    pub rows: Vec<PostsRow>,
    pub selected: usize,
    pub offset: usize,
    pub order: PlaceOrder,
    /// Places opened to show what lies inside them.
    pub expanded: HashSet<usize>,
    /// Set once the opening expansion has been made for this data.
    opened: bool,
    /// Set once the user opened or closed a place: their choice then outlives new data.
    pub touched: bool,
    /// Per place: its activity, the places inside it included.
    pub activity: Vec<PlaceActivity>,
    /// The `since:` date that cuts the comparison window, when one does: the ▲/▼ marks would
    /// then weigh a whole period against part of one, and are not shown.
    pub comparison_cut: Option<Day>,
    /// Per place: its own posts listed (post, status, since).
    posts_at: Vec<Vec<(usize, PostStatus, Day)>>,
    /// Per place: posts listed at it or inside it.
    posts_inside: Vec<usize>,
    /// Per place: the places directly inside it that are listed; and the listed top level.
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
    /// Per place: its parent (by index), when it has one.
    parent: Vec<Option<usize>>,
    /// Per place: the name shown (with its parents when another place has the same name),
    /// and the folded name to sort by. Made once per data set.
    pub labels: Vec<String>,
    folded: Vec<String>,
}

/// Each place's name, told apart by its two nearest parents when another place shares it:
/// "Ahero · Nyando, Kisumu".
#[must_use]
pub fn place_labels(sit: &Situation) -> Vec<String> {
    let mut seen: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    for p in &sit.places {
        *seen.entry(p.name.as_str()).or_default() += 1;
    }
    sit.places
        .iter()
        .map(|p| {
            if seen.get(p.name.as_str()).copied().unwrap_or(0) < 2 {
                return p.name.clone();
            }
            let mut parents = Vec::new();
            let mut current = p.part_of.as_deref().and_then(|id| sit.place(id));
            while let Some(parent) = current
                && parents.len() < 2
            {
                parents.push(parent.name.as_str());
                current = parent.part_of.as_deref().and_then(|id| sit.place(id));
            }
            if parents.is_empty() { p.name.clone() } else { format!("{} · {}", p.name, parents.join(", ")) }
        })
        .collect()
}

impl PostsState {
    /// Rebuilds the tree for new figures: `activity` per place (from the events matching the
    /// filter, inside the window), posts for which `post_shown` holds. Keeps the same place
    /// or post selected when it is still listed.
    pub fn compute(
        &mut self,
        sit: &Situation,
        index: &SearchIndex,
        activity: Vec<PlaceActivity>,
        window: TimeWindow,
        post_shown: impl Fn(usize) -> bool,
    ) {
        let n = sit.places.len();
        if self.labels.len() != n {
            self.labels = place_labels(sit);
            self.folded = self.labels.iter().map(|l| fold(l)).collect();
            self.parent = (0..n).map(|p| index.place_chain.get(p).get(1).map(|&q| q as usize)).collect();
        }
        self.activity = activity;
        self.activity.resize(n, PlaceActivity { last: i32::MIN, ..PlaceActivity::default() });
        self.posts_at = vec![Vec::new(); n];
        self.posts_inside = vec![0; n];
        for (i, post) in sit.posts.iter().enumerate() {
            let Some(&place) = sit.index.places.get(&post.place) else { continue };
            let Some(state) = post_state(post, window.to) else { continue };
            if !post_shown(i) {
                continue;
            }
            self.posts_at[place].push((i, state.status, state.change.date));
            for &p in index.place_chain.get(place) {
                if let Some(c) = self.posts_inside.get_mut(p as usize) {
                    *c += 1;
                }
            }
        }
        let listed = |p: usize| self.activity[p].events > 0 || self.posts_inside[p] > 0;
        let mut children = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for p in (0..n).filter(|&p| listed(p)) {
            match self.parent[p] {
                Some(q) if q < n => children[q].push(p),
                _ => roots.push(p),
            }
        }
        self.children = children;
        self.roots = roots;
        if !self.opened {
            self.open_default();
            self.opened = true;
        }
        self.emit();
    }

    /// The opening view: each level with a single entry is opened (a one-country export
    /// opens on its regions), and so is the way to every post listed, so they are in view.
    fn open_default(&mut self) {
        self.expanded.clear();
        let mut level = self.roots.clone();
        while let [only] = level[..] {
            self.expanded.insert(only);
            level.clone_from(&self.children[only]);
        }
        for (place, posts) in self.posts_at.iter().enumerate() {
            if posts.is_empty() {
                continue;
            }
            let mut current = Some(place);
            while let Some(p) = current {
                self.expanded.insert(p);
                current = self.parent[p];
            }
        }
    }

    fn sort(&self, places: &mut [usize]) {
        let a = &self.activity;
        let name = |p: &usize| &self.folded[*p];
        match self.order {
            PlaceOrder::Events => places.sort_by(|x, y| {
                a[*y]
                    .events
                    .cmp(&a[*x].events)
                    .then(a[*y].killed.best.cmp(&a[*x].killed.best))
                    .then(name(x).cmp(name(y)))
            }),
            PlaceOrder::Killed => places.sort_by(|x, y| {
                a[*y]
                    .killed
                    .best
                    .cmp(&a[*x].killed.best)
                    .then(a[*y].events.cmp(&a[*x].events))
                    .then(name(x).cmp(name(y)))
            }),
            PlaceOrder::Latest => places.sort_by(|x, y| {
                a[*y].last.cmp(&a[*x].last).then(a[*y].events.cmp(&a[*x].events)).then(name(x).cmp(name(y)))
            }),
            PlaceOrder::Name => places.sort_by(|x, y| name(x).cmp(name(y))),
        }
    }

    /// Lays the tree out as rows, from the figures, the order and what is opened.
    fn emit(&mut self) {
        let previous = self.rows.get(self.selected).copied();
        let mut rows = Vec::new();
        let mut roots = std::mem::take(&mut self.roots);
        self.sort(&mut roots);
        // Depth-first, each level in rank order.
        let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&p| (p, 0)).collect();
        while let Some((place, depth)) = stack.pop() {
            let posts = &self.posts_at[place];
            rows.push(PostsRow::Place {
                place,
                events: usize::try_from(self.activity[place].events).unwrap_or(usize::MAX),
                posts: posts.len(),
                depth,
            });
            if !self.expanded.contains(&place) {
                continue;
            }
            rows.extend(posts.iter().map(|&(post, status, since)| PostsRow::Post { post, status, since }));
            let mut inside = self.children[place].clone();
            self.sort(&mut inside);
            stack.extend(inside.iter().rev().map(|&p| (p, depth + 1)));
        }
        self.roots = roots;
        let same = |a: &PostsRow, b: &PostsRow| match (a, b) {
            (PostsRow::Place { place: x, .. }, PostsRow::Place { place: y, .. }) => x == y,
            (PostsRow::Post { post: x, .. }, PostsRow::Post { post: y, .. }) => x == y,
            _ => false,
        };
        self.selected = previous.and_then(|p| rows.iter().position(|r| same(r, &p))).unwrap_or(0);
        self.rows = rows;
    }

    /// Drops what belongs to the data on screen (new data is coming); the order stays.
    pub fn forget_data(&mut self) {
        *self = PostsState { order: self.order, ..PostsState::default() };
    }

    /// The places the user left open, by id, once they opened or closed one (`None` while
    /// the pane is as it opened): what [`PostsState::reopen`] puts back on other data.
    #[must_use]
    pub fn open_places(&self, sit: &Situation) -> Option<Vec<String>> {
        self.touched.then(|| {
            let mut ids: Vec<String> =
                self.expanded.iter().filter_map(|&p| sit.places.get(p)).map(|p| p.id.clone()).collect();
            ids.sort();
            ids
        })
    }

    /// Opens these places (by id) in place of the opening view, for the next figures: the
    /// whole data set taking over from its preview keeps what the user opened and closed.
    pub fn reopen(&mut self, sit: &Situation, ids: &[String]) {
        self.expanded = ids.iter().filter_map(|id| sit.index.places.get(id).copied()).collect();
        self.opened = true;
        self.touched = true;
    }

    /// True when the place has something to open: places inside it or posts.
    #[must_use]
    pub fn can_open(&self, place: usize) -> bool {
        self.children.get(place).is_some_and(|c| !c.is_empty())
            || self.posts_at.get(place).is_some_and(|p| !p.is_empty())
    }

    /// The next ranking order.
    pub fn next_order(&mut self) {
        self.order = self.order.next();
        self.emit();
    }

    /// → opens the selected place; on an open one, moves to what is inside it.
    pub fn expand(&mut self) {
        let Some(PostsRow::Place { place, .. }) = self.rows.get(self.selected).copied() else { return };
        if !self.can_open(place) {
            return;
        }
        if self.expanded.insert(place) {
            self.touched = true;
            self.emit();
        } else {
            self.move_by(1);
        }
    }

    /// ← closes the selected place; on a closed one or a post, moves to the place it lies in.
    pub fn collapse(&mut self) {
        match self.rows.get(self.selected).copied() {
            Some(PostsRow::Place { place, depth, .. }) => {
                if self.expanded.remove(&place) && self.can_open(place) {
                    self.touched = true;
                    self.emit();
                } else if depth > 0
                    && let Some(up) = (0..self.selected)
                        .rev()
                        .find(|&i| matches!(self.rows[i], PostsRow::Place { depth: d, .. } if d < depth))
                {
                    self.selected = up;
                }
            }
            Some(PostsRow::Post { .. }) => {
                if let Some(up) = (0..self.selected).rev().find(|&i| matches!(self.rows[i], PostsRow::Place { .. })) {
                    self.selected = up;
                }
            }
            None => {}
        }
    }

    /// Opens every listed place (for tests and scripts that want every row).
    pub fn expand_all(&mut self) {
        self.expanded = (0..self.children.len()).filter(|&p| self.can_open(p)).collect();
        self.emit();
    }

    /// Selects a place's row, opening the places it lies in; false when it is not listed.
    pub fn select_place(&mut self, place: usize) -> bool {
        let mut up = self.parent.get(place).copied().flatten();
        let mut opened = false;
        while let Some(p) = up {
            opened |= self.expanded.insert(p);
            up = self.parent[p];
        }
        if opened {
            self.emit();
        }
        match self.rows.iter().position(|r| matches!(r, PostsRow::Place { place: p, .. } if *p == place)) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        super::move_selection(&mut self.selected, self.rows.len(), delta);
    }

    pub fn click(&mut self, visible_row: usize) {
        super::click_row(&mut self.selected, self.offset, self.rows.len(), visible_row);
    }
}

/// Draws the places and their posts.
pub struct PostsView<'a> {
    pub sit: &'a Situation,
    pub theme: Theme,
    pub focused: bool,
    /// The place every pane is narrowed to, marked in the list.
    pub narrowed: Option<usize>,
    pub title: String,
}

/// "17 Nov" within the year of `as_of`, "Nov 2019" before it.
fn last_label(day: Option<Day>, as_of: Option<Day>) -> String {
    use chrono::Datelike;
    match day {
        Some(d) if as_of.is_none_or(|a| a.0.year() == d.0.year()) => d.0.format("%-d %b").to_string(),
        Some(d) => d.0.format("%b %Y").to_string(),
        None => String::new(),
    }
}

impl PostsView<'_> {
    fn place_line(&self, state: &PostsState, place: usize, posts: usize, depth: usize, width: usize) -> Line<'static> {
        let a = state.activity.get(place).copied().unwrap_or_default();
        let marker = if !state.can_open(place) {
            "  "
        } else if state.expanded.contains(&place) {
            "▾ "
        } else {
            "▸ "
        };
        let narrowed = if self.narrowed == Some(place) { "▶ " } else { "" };
        let as_of = self.sit.as_of;
        // A posts column only when the data has posts: a file without any says nothing of them.
        let posts_text = match (self.sit.posts.is_empty(), posts) {
            (true, _) => String::new(),
            (false, 0) => " ".repeat(9),
            (false, 1) => format!("{:>8} ", "1 post"),
            (false, n) => format!("{:>8} ", format!("{n} posts")),
        };
        let events = format!("{} ev", thousands(a.events));
        let killed = if a.killed.best > 0 || a.killed.lower_bound {
            format!("†{}", a.killed.display())
        } else {
            String::new()
        };
        // The latest date only where the names keep room.
        let last = if width >= 60 { format!(" {:>8}", last_label(a.last_day(), as_of)) } else { String::new() };
        let mark = if state.comparison_cut.is_some() { " " } else { a.trend().mark() };
        let figures = format!("{posts_text}{events:>8} {killed:>6}{last} {mark}");
        let figures_w = unicode_width::UnicodeWidthStr::width(figures.as_str());
        let indent = "  ".repeat(depth.min(6));
        let name_w = width.saturating_sub(figures_w + 1 + indent.len() + 2).max(4);
        let label = state.labels.get(place).map_or("", String::as_str);
        let mut line = Line::from(vec![
            Span::raw(indent),
            Span::styled(marker, self.theme.dim),
            Span::styled(pad(&format!("{narrowed}{label}"), name_w), self.theme.title),
            Span::raw(" "),
            Span::styled(figures, self.theme.dim),
        ]);
        if line.width() > width {
            line = Line::raw(fit(&line.to_string(), width));
        }
        line
    }
}

impl StatefulWidget for PostsView<'_> {
    type State = PostsState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut PostsState) {
        let inner = super::frame(area, buf, &self.title, self.focused, &self.theme);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        if state.rows.is_empty() {
            Line::styled("No places with posts or events.", self.theme.dim).render(inner, buf);
            return;
        }
        let height = inner.height as usize;
        super::scroll_into_view(state.selected, &mut state.offset, height);
        let width = inner.width as usize;
        let mut depth_here = 0;
        for (n, i) in (state.offset..state.rows.len()).take(height).enumerate() {
            let row_area = Rect { x: inner.x, y: inner.y + n as u16, width: inner.width, height: 1 };
            let line = match state.rows[i] {
                PostsRow::Place { place, posts, depth, .. } => {
                    depth_here = depth;
                    self.place_line(state, place, posts, depth, width)
                }
                PostsRow::Post { post, status, since } => {
                    // Under its place, one step in (the place is the nearest row above).
                    let depth = (0..=i)
                        .rev()
                        .find_map(|j| match state.rows[j] {
                            PostsRow::Place { depth, .. } => Some(depth),
                            PostsRow::Post { .. } => None,
                        })
                        .unwrap_or(depth_here);
                    let indent = "  ".repeat(depth.min(6));
                    let style = self.theme.status(status);
                    // "since" only where there is room for it and the name.
                    let since = if width >= 60 { format!("since {}", since.long()) } else { since.long() };
                    let since_w = unicode_width::UnicodeWidthStr::width(since.as_str()) + 1;
                    let name_w = width.saturating_sub(indent.len() + 4 + 1 + 19 + since_w).clamp(6, 40);
                    Line::from(vec![
                        Span::raw(indent),
                        Span::styled("  ● ", style),
                        Span::raw(pad(&self.sit.posts[post].name, name_w)),
                        Span::raw(" "),
                        Span::styled(pad(status.word(), 19), style),
                        Span::styled(fit(&since, since_w), self.theme.dim),
                    ])
                }
            };
            let style = super::row_style(i == state.selected, self.focused, &self.theme);
            buf.set_style(row_area, style);
            line.render(row_area, buf);
        }
    }
}
