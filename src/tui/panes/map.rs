//! The map pane: Natural Earth borders and coastlines on a braille canvas, the events shown
//! added up per cell and shaded by count or killed, the observation posts coloured by their
//! status, and the selected event or place highlighted. Fits the data on first draw; zooms
//! and pans from the keys and the wheel.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::widgets::canvas::{Canvas, Painter, Shape};
use ratatui::widgets::{StatefulWidget, Widget};

use crate::domain::figures::TimeWindow;
use crate::domain::geo::{Bounds, Level, PlaceTotals, Viewport, cells, world};
use crate::domain::index::SearchIndex;
use crate::domain::model::{PostStatus, Situation};
use crate::domain::trend::Measure;
use crate::tui::theme::Theme;

/// What the map shows and where it looks.
#[derive(Debug, Clone, Default)]
pub struct MapState {
    pub totals: PlaceTotals,
    /// Each place's coordinates (longitude, latitude), by place index.
    pub coords: Vec<Option<(f64, f64)>>,
    /// Where the data lies: most of the events' places and the posts (see `compute`).
    pub extent: Option<Bounds>,
    /// None until the first draw fits the extent to the pane.
    pub view: Option<Viewport>,
    /// The pane's inside at the last draw (columns, rows), for panning by a share of it.
    pub size: (u16, u16),
}

impl MapState {
    /// Adds up `events` inside the window per place; on the first call for a situation, also
    /// reads the places' coordinates and the data's extent.
    pub fn compute(&mut self, sit: &Situation, index: &SearchIndex, events: &[u32], window: TimeWindow) {
        self.prepare(sit, index);
        self.totals = PlaceTotals::of(index, events, window, &self.coords);
    }

    /// On the first call for a situation, reads the places' coordinates and the data's
    /// extent (the per-place totals are then set by `compute` or from `domain::pass`).
    pub fn prepare(&mut self, sit: &Situation, index: &SearchIndex) {
        if self.coords.len() != sit.places.len() {
            self.coords = sit
                .places
                .iter()
                .map(|p| match (p.lon, p.lat) {
                    (Some(lon), Some(lat)) if crate::domain::geo::valid(lon, lat) => Some((lon, lat)),
                    _ => None,
                })
                .collect();
            // Where the data is: places weighed by their events, and every post; the outer 5%
            // of that weight on each side is left out (see `Bounds::core`).
            let mut weight = vec![0.0f64; sit.places.len()];
            for &p in &index.place {
                if let Some(w) = weight.get_mut(p as usize) {
                    *w += 1.0;
                }
            }
            let places = weight.iter().zip(&self.coords).filter_map(|(&w, c)| c.map(|(lon, lat)| (lon, lat, w)));
            let posts =
                sit.posts.iter().filter_map(|p| post_coords(sit, p, &self.coords)).map(|(lon, lat)| (lon, lat, 1.0));
            let points: Vec<(f64, f64, f64)> = places.chain(posts).collect();
            self.extent = Bounds::core(&points, 0.05);
        }
    }

    /// The view, once drawn (a key before the first draw does nothing).
    fn view_mut(&mut self) -> Option<&mut Viewport> {
        self.view.as_mut()
    }

    pub fn zoom(&mut self, factor: f64) -> bool {
        let Some(v) = self.view_mut() else { return false };
        *v = v.zoomed(factor);
        true
    }

    /// Zooms in centred on `target` when it is in view (else on the view's centre).
    pub fn zoom_towards(&mut self, factor: f64, target: Option<(f64, f64)>) -> bool {
        let (cols, rows) = self.size;
        let Some(v) = self.view_mut() else { return false };
        if let Some((lon, lat)) = target
            && v.cell(lon, lat, cols, rows).is_some()
        {
            v.lon = lon;
            v.lat = lat;
        }
        *v = v.zoomed(factor);
        true
    }

    pub fn pan(&mut self, east: f64, north: f64) -> bool {
        let (cols, rows) = self.size;
        let Some(v) = self.view_mut() else { return false };
        *v = v.panned(east, north, cols, rows);
        true
    }

    /// Back to the data's extent, at the next draw.
    pub fn fit(&mut self) -> bool {
        self.view = None;
        true
    }
}

/// A post's coordinates: its own, or its place's.
fn post_coords(
    sit: &Situation,
    post: &crate::domain::model::ObservationPost,
    coords: &[Option<(f64, f64)>],
) -> Option<(f64, f64)> {
    match (post.lon, post.lat) {
        (Some(lon), Some(lat)) if crate::domain::geo::valid(lon, lat) => Some((lon, lat)),
        _ => sit.index.places.get(&post.place).and_then(|&p| coords.get(p).copied().flatten()),
    }
}

/// A post drawn on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostMark {
    pub post: usize,
    pub status: PostStatus,
}

/// Draws the map.
pub struct MapView<'a> {
    pub sit: &'a Situation,
    pub theme: Theme,
    pub focused: bool,
    pub measure: Measure,
    /// The posts shown (as in the posts pane) with their status as of the date.
    pub posts: Vec<PostMark>,
    /// The selected event's or place's coordinates.
    pub highlight: Option<(f64, f64)>,
}

/// Borders and coastlines as braille dots, clipped to the view.
struct Borders<'a> {
    level: &'a Level,
    view: Viewport,
    cols: u16,
    rows: u16,
    color: Color,
}

impl Shape for Borders<'_> {
    fn draw(&self, painter: &mut Painter<'_, '_>) {
        let b = self.view.bounds(self.cols, self.rows);
        let w = f64::from(u32::from(self.cols) * 2 - 1);
        let h = f64::from(u32::from(self.rows) * 4 - 1);
        let (sx, sy) = (w / (b.east - b.west), h / (b.north - b.south));
        let (max_x, max_y) = (i64::from(self.cols) * 2, i64::from(self.rows) * 4);
        let dot = |(lon, lat): (f32, f32)| {
            (((f64::from(lon) - b.west) * sx).round() as i64, ((b.north - f64::from(lat)) * sy).round() as i64)
        };
        for arc in self.level.arcs.iter().filter(|a| a.bounds.overlaps(&b)) {
            let mut prev = dot(arc.points[0]);
            for &p in &arc.points[1..] {
                let next = dot(p);
                // A segment wholly to one side of the view draws nothing.
                let outside = (prev.0 < 0 && next.0 < 0)
                    || (prev.1 < 0 && next.1 < 0)
                    || (prev.0 >= max_x && next.0 >= max_x)
                    || (prev.1 >= max_y && next.1 >= max_y);
                if !outside {
                    line(prev, next, max_x, max_y, |x, y| painter.paint(x, y, self.color));
                }
                prev = next;
            }
        }
    }
}

/// Bresenham's line, painting only the dots inside `0..max_x` by `0..max_y`.
fn line(a: (i64, i64), b: (i64, i64), max_x: i64, max_y: i64, mut paint: impl FnMut(usize, usize)) {
    let (mut x, mut y) = a;
    let (dx, dy) = ((b.0 - a.0).abs(), -(b.1 - a.1).abs());
    let (sx, sy) = (if a.0 < b.0 { 1 } else { -1 }, if a.1 < b.1 { 1 } else { -1 });
    let mut err = dx + dy;
    // A segment is never longer than the view is wide on a sane zoom; cap it anyway.
    for _ in 0..=(dx - dy).min(4 * (max_x + max_y)) {
        if (0..max_x).contains(&x) && (0..max_y).contains(&y) {
            paint(x as usize, y as usize);
        }
        if x == b.0 && y == b.1 {
            break;
        }
        let e2 = 2 * err;
        if e2 >= dy {
            err += dy;
            x += sx;
        }
        if e2 <= dx {
            err += dx;
            y += sy;
        }
    }
}

/// How a cell with `value` of at most `max` is drawn: four steps on a log scale.
#[must_use]
pub fn shade(value: u64, max: u64) -> (char, Color) {
    if value == 0 || max == 0 {
        return ('·', Color::Yellow);
    }
    let level = ((value as f64).ln_1p() / (max as f64).ln_1p() * 4.0).ceil().clamp(1.0, 4.0) as usize;
    [('•', Color::Yellow), ('•', Color::LightRed), ('●', Color::Red), ('●', Color::Magenta)][level - 1]
}

impl StatefulWidget for MapView<'_> {
    type State = MapState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut MapState) {
        let inner = Rect {
            x: area.x + 1,
            y: area.y + 1,
            width: area.width.saturating_sub(2),
            height: area.height.saturating_sub(2),
        };
        let (cols, rows) = (inner.width, inner.height);
        if cols == 0 || rows == 0 {
            super::frame(area, buf, " Map ", self.focused, &self.theme);
            return;
        }
        state.size = (cols, rows);
        let view = *state.view.get_or_insert_with(|| match state.extent {
            Some(e) => Viewport::fit(e, cols, rows),
            None => Viewport { lon: 0.0, lat: 20.0, half_width: 180.0 },
        });
        let shown = view.bounds(cols, rows);
        let level = world().level_for(view.half_width * 2.0);
        // What is not drawn comes first, so that a narrow pane still says it.
        let mut title = " Map · ".to_string();
        if state.totals.not_placed > 0 {
            let _ = write!(title, "{} not placed · ", crate::domain::figures::thousands(state.totals.not_placed));
        }
        title.push_str(&shown.label());
        let _ = write!(title, " · by {} ", self.measure.word());
        if let Some(l) = level {
            let _ = write!(title, "· NE {} ", l.name);
        }
        let inner = super::frame(area, buf, &title, self.focused, &self.theme);
        if let Some(level) = level {
            Canvas::default()
                .marker(Marker::Braille)
                .x_bounds([shown.west, shown.east])
                .y_bounds([shown.south, shown.north])
                .paint(|ctx| ctx.draw(&Borders { level, view, cols, rows, color: Color::DarkGray }))
                .render(inner, buf);
        }
        // Events per cell, shaded against the busiest cell in view.
        let grid = cells(&view, cols, rows, &state.totals, &state.coords);
        let value = |c: &crate::domain::geo::CellTotal| match self.measure {
            Measure::Killed => c.killed,
            Measure::Events => c.events,
        };
        let max = grid.iter().map(value).max().unwrap_or(0);
        for (k, c) in grid.iter().enumerate().filter(|(_, c)| c.events > 0) {
            let (x, y) = ((k % usize::from(cols)) as u16, (k / usize::from(cols)) as u16);
            let (symbol, color) = shade(value(c), max);
            let style = if value(c) == 0 { self.theme.dim } else { Style::new().fg(color) };
            buf[(inner.x + x, inner.y + y)].set_char(symbol).set_style(style);
        }
        for mark in &self.posts {
            let Some(post) = self.sit.posts.get(mark.post) else { continue };
            let Some((lon, lat)) = post_coords(self.sit, post, &state.coords) else { continue };
            if let Some((x, y)) = view.cell(lon, lat, cols, rows) {
                buf[(inner.x + x, inner.y + y)].set_char('▲').set_style(self.theme.status(mark.status));
            }
        }
        if let Some((lon, lat)) = self.highlight
            && let Some((x, y)) = view.cell(lon, lat, cols, rows)
        {
            let cell = &mut buf[(inner.x + x, inner.y + y)];
            if cell.symbol() == " " || cell.symbol().chars().all(|ch| ('\u{2800}'..='\u{28ff}').contains(&ch)) {
                cell.set_char('◆');
            }
            cell.set_style(Style::new().fg(Color::White).add_modifier(Modifier::REVERSED | Modifier::BOLD));
        }
    }
}
