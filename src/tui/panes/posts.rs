//! The posts-by-place pane: each place with its observation posts, their status as of the
//! as-of date (coloured by meaning), the date of the last change, and how many events touch it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{StatefulWidget, Widget};

use crate::domain::figures::{TimeWindow, posts_by_place_counted};
use crate::domain::model::{Day, PostStatus, Situation};
use crate::domain::text::{fit, pad};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostsRow {
    /// A place (index in the situation), with the events shown that touch it.
    Place { place: usize, events: usize, posts: usize },
    /// A post (index), its status as of the date and the date of that change.
    Post { post: usize, status: PostStatus, since: Day },
}

#[derive(Debug, Clone, Default)]
pub struct PostsState {
    pub rows: Vec<PostsRow>,
    pub selected: usize,
    pub offset: usize,
}

impl PostsState {
    /// Rebuilds the rows, keeping the same place or post selected when it is still listed.
    /// Posts for which `post_shown` is false are left out; with `drop_idle_places`, so are
    /// places left with neither posts nor events (a filter is in force).
    pub fn compute(
        &mut self,
        sit: &Situation,
        events_at: &[usize],
        window: TimeWindow,
        post_shown: impl Fn(usize) -> bool,
        drop_idle_places: bool,
    ) {
        let previous = self.rows.get(self.selected).copied();
        let mut rows = Vec::new();
        for group in posts_by_place_counted(sit, events_at, window) {
            let place = sit.index.places.get(&group.place.id).copied().unwrap_or(0);
            let posts: Vec<PostsRow> = group
                .posts
                .iter()
                .filter_map(|state| {
                    let post = sit.index.posts.get(&state.post.id).copied()?;
                    post_shown(post).then_some(PostsRow::Post { post, status: state.status, since: state.change.date })
                })
                .collect();
            if drop_idle_places && posts.is_empty() && group.events == 0 {
                continue;
            }
            rows.push(PostsRow::Place { place, events: group.events, posts: posts.len() });
            rows.extend(posts);
        }
        let same = |a: &PostsRow, b: &PostsRow| match (a, b) {
            (PostsRow::Place { place: x, .. }, PostsRow::Place { place: y, .. }) => x == y,
            (PostsRow::Post { post: x, .. }, PostsRow::Post { post: y, .. }) => x == y,
            _ => false,
        };
        self.selected = previous.and_then(|p| rows.iter().position(|r| same(r, &p))).unwrap_or(0);
        self.rows = rows;
    }

    /// Selects a place's row; false when the place is not listed.
    pub fn select_place(&mut self, place: usize) -> bool {
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

/// Draws the posts by place.
pub struct PostsView<'a> {
    pub sit: &'a Situation,
    pub theme: Theme,
    pub focused: bool,
    /// The place every pane is narrowed to, marked in the list.
    pub narrowed: Option<usize>,
    pub title: String,
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
        for (n, i) in (state.offset..state.rows.len()).take(height).enumerate() {
            let row_area = Rect { x: inner.x, y: inner.y + n as u16, width: inner.width, height: 1 };
            let line = match state.rows[i] {
                PostsRow::Place { place, events, posts } => {
                    let mark = if self.narrowed == Some(place) { "▶ " } else { "" };
                    let counts = format!(
                        "{posts} post{} · {events} event{}",
                        if posts == 1 { "" } else { "s" },
                        if events == 1 { "" } else { "s" }
                    );
                    let name_w = width.saturating_sub(unicode_width::UnicodeWidthStr::width(counts.as_str()) + 1);
                    Line::from(vec![
                        Span::styled(pad(&format!("{mark}{}", self.sit.places[place].name), name_w), self.theme.title),
                        Span::raw(" "),
                        Span::styled(counts, self.theme.dim),
                    ])
                }
                PostsRow::Post { post, status, since } => {
                    let style = self.theme.status(status);
                    let name_w = width.saturating_sub(4 + 1 + 19 + 17).clamp(6, 40);
                    Line::from(vec![
                        Span::styled("  ● ", style),
                        Span::raw(pad(&self.sit.posts[post].name, name_w)),
                        Span::raw(" "),
                        Span::styled(pad(status.word(), 19), style),
                        Span::styled(fit(&format!("since {}", since.long()), 17), self.theme.dim),
                    ])
                }
            };
            let style = super::row_style(i == state.selected, self.focused, &self.theme);
            buf.set_style(row_area, style);
            line.render(row_area, buf);
        }
    }
}
