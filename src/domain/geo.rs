//! Domain layer: the world's borders and coastlines (Natural Earth, public domain, embedded
//! from `data/world.bin`, made by `data/make-world.sh`), the map's projection onto a grid of
//! braille dots, and events added up per place. No terminal: plain numbers in, cells out.

use std::sync::LazyLock;

/// Longitude and latitude bounds, in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bounds {
    /// The smallest bounds holding every point; none when there is none.
    pub fn of(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Bounds> {
        let mut b: Option<Bounds> = None;
        for (lon, lat) in points {
            if !valid(lon, lat) {
                continue;
            }
            b = Some(match b {
                None => Bounds { west: lon, south: lat, east: lon, north: lat },
                Some(b) => Bounds {
                    west: b.west.min(lon),
                    south: b.south.min(lat),
                    east: b.east.max(lon),
                    north: b.north.max(lat),
                },
            });
        }
        b
    }

    /// The bounds of the weighted points (longitude, latitude, weight) once the outermost
    /// `trim` share of the weight on each side is left out, so that one event far away does
    /// not shrink the rest to a dot; a point is kept whenever it alone weighs more than that.
    pub fn core(points: &[(f64, f64, f64)], trim: f64) -> Option<Bounds> {
        let points: Vec<(f64, f64, f64)> =
            points.iter().copied().filter(|&(lon, lat, w)| valid(lon, lat) && w > 0.0).collect();
        let total: f64 = points.iter().map(|p| p.2).sum();
        if points.is_empty() {
            return None;
        }
        let cut = total * trim;
        let ends = |mut values: Vec<(f64, f64)>| -> (f64, f64) {
            values.sort_by(|a, b| a.0.total_cmp(&b.0));
            let first = |vals: &mut dyn Iterator<Item = &(f64, f64)>| {
                let mut sum = 0.0;
                let mut at = f64::NAN;
                for &(v, w) in vals {
                    sum += w;
                    at = v;
                    if sum > cut {
                        break;
                    }
                }
                at
            };
            (first(&mut values.iter()), first(&mut values.iter().rev()))
        };
        let (west, east) = ends(points.iter().map(|p| (p.0, p.2)).collect());
        let (south, north) = ends(points.iter().map(|p| (p.1, p.2)).collect());
        Some(Bounds { west, south, east, north })
    }

    #[must_use]
    pub fn overlaps(&self, other: &Bounds) -> bool {
        self.west <= other.east && other.west <= self.east && self.south <= other.north && other.south <= self.north
    }

    /// "35.2–37.1°E 35.4–36.8°N".
    #[must_use]
    pub fn label(&self) -> String {
        let lon = |v: f64| format!("{:.1}°{}", v.abs(), if v < 0.0 { 'W' } else { 'E' });
        let lat = |v: f64| format!("{:.1}°{}", v.abs(), if v < 0.0 { 'S' } else { 'N' });
        format!("{}–{} {}–{}", lon(self.west), lon(self.east), lat(self.south), lat(self.north))
    }
}

/// A coordinate that can be drawn: finite and on the globe.
#[must_use]
pub fn valid(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

/// One line of a border or coast, with its bounds for quick culling.
#[derive(Debug, Clone)]
pub struct Arc {
    pub bounds: Bounds,
    /// Longitude, latitude.
    pub points: Vec<(f32, f32)>,
}

/// Every arc at one resolution ("110m", "50m", "10m").
#[derive(Debug, Clone)]
pub struct Level {
    pub name: String,
    pub arcs: Vec<Arc>,
}

/// The world's borders and coastlines at each resolution, coarsest first.
#[derive(Debug, Clone)]
pub struct World {
    pub levels: Vec<Level>,
}

/// The embedded Natural Earth borders and coastlines (see `data/make-world.sh`).
pub const WORLD_BIN: &[u8] = include_bytes!("../../data/world.bin");

/// The embedded world, decoded on first use (a few milliseconds) and then shared.
pub fn world() -> &'static World {
    static WORLD: LazyLock<World> = LazyLock::new(|| World::decode(WORLD_BIN).unwrap_or(World { levels: Vec::new() }));
    &WORLD
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or("world map: file ends early")?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self) -> Result<f64, String> {
        let b = self.take(8)?;
        let mut a = [0; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("world map: varint too long".into())
    }

    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }
}

impl World {
    /// Reads the format `data/make-world.mjs` writes (described there).
    pub fn decode(bytes: &[u8]) -> Result<World, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(4)? != b"SDW1" {
            return Err("world map: not a sitdash world file".into());
        }
        let mut levels = Vec::new();
        for _ in 0..r.u8()? {
            let len = r.u8()? as usize;
            let name = String::from_utf8_lossy(r.take(len)?).into_owned();
            let (sx, sy, tx, ty) = (r.f64()?, r.f64()?, r.f64()?, r.f64()?);
            let count = r.u32()? as usize;
            let _bytes = r.u32()?;
            let mut arcs = Vec::with_capacity(count.min(1 << 20));
            for _ in 0..count {
                let n = r.varint()? as usize;
                let (mut x, mut y) = (0i64, 0i64);
                let mut points = Vec::with_capacity(n.min(1 << 20));
                for _ in 0..n {
                    x += r.zigzag()?;
                    y += r.zigzag()?;
                    points.push(((x as f64 * sx + tx) as f32, (y as f64 * sy + ty) as f32));
                }
                let bounds = Bounds::of(points.iter().map(|&(lon, lat)| (f64::from(lon), f64::from(lat))))
                    .unwrap_or(Bounds { west: 0.0, south: 0.0, east: 0.0, north: 0.0 });
                arcs.push(Arc { bounds, points });
            }
            levels.push(Level { name, arcs });
        }
        Ok(World { levels })
    }

    /// The level to draw a view `span` degrees of longitude wide: the coarsest that still
    /// reads at that zoom.
    #[must_use]
    pub fn level_for(&self, span: f64) -> Option<&Level> {
        let want = if span > 100.0 {
            0
        } else if span > 20.0 {
            1
        } else {
            2
        };
        self.levels.get(want.min(self.levels.len().saturating_sub(1)))
    }
}

/// What the map looks at: a centre and how many degrees of longitude lie between it and the
/// left or right edge. The latitude span follows from the screen's shape: a character cell
/// is about twice as tall as it is wide, and a degree of longitude shrinks by cos(latitude).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub lon: f64,
    pub lat: f64,
    pub half_width: f64,
}

/// The closest zoom: about 5 km from the centre to the edge.
pub const MIN_HALF_WIDTH: f64 = 0.05;

impl Viewport {
    /// Fits `bounds` (with a margin) on a pane `cols` by `rows` characters.
    #[must_use]
    pub fn fit(bounds: Bounds, cols: u16, rows: u16) -> Viewport {
        let lon = f64::midpoint(bounds.west, bounds.east);
        let lat = f64::midpoint(bounds.south, bounds.north);
        let mut v = Viewport { lon, lat, half_width: 1.0 };
        let ratio = v.half_height(cols, rows); // half height per degree of half width
        let need = ((bounds.east - bounds.west) / 2.0).max((bounds.north - bounds.south) / 2.0 / ratio.max(1e-9));
        v.half_width = (need * 1.15).clamp(MIN_HALF_WIDTH * 4.0, 180.0);
        v
    }

    /// Degrees of latitude from the centre to the top or bottom edge.
    #[must_use]
    pub fn half_height(&self, cols: u16, rows: u16) -> f64 {
        let cols = f64::from(cols.max(1));
        self.half_width * 2.0 * f64::from(rows) / cols * self.lat.to_radians().cos().max(0.05)
    }

    /// The bounds shown on a pane `cols` by `rows`.
    #[must_use]
    pub fn bounds(&self, cols: u16, rows: u16) -> Bounds {
        let hh = self.half_height(cols, rows);
        Bounds {
            west: self.lon - self.half_width,
            east: self.lon + self.half_width,
            south: self.lat - hh,
            north: self.lat + hh,
        }
    }

    /// The braille dot (column, row) a coordinate falls on, on a pane `cols` by `rows`
    /// characters (two dots across and four down in each), as ratatui's canvas places it.
    #[must_use]
    pub fn dot(&self, lon: f64, lat: f64, cols: u16, rows: u16) -> Option<(u32, u32)> {
        if !valid(lon, lat) || cols == 0 || rows == 0 {
            return None;
        }
        let shown = self.bounds(cols, rows);
        if lon < shown.west || lon > shown.east || lat < shown.south || lat > shown.north {
            return None;
        }
        let dots_w = f64::from(u32::from(cols) * 2 - 1);
        let dots_h = f64::from(u32::from(rows) * 4 - 1);
        let x = ((lon - shown.west) * dots_w / (shown.east - shown.west)).round() as u32;
        let y = ((shown.north - lat) * dots_h / (shown.north - shown.south)).round() as u32;
        Some((x, y))
    }

    /// The character cell (column, row) a coordinate falls in.
    #[must_use]
    pub fn cell(&self, lon: f64, lat: f64, cols: u16, rows: u16) -> Option<(u16, u16)> {
        self.dot(lon, lat, cols, rows).map(|(x, y)| ((x / 2) as u16, (y / 4) as u16))
    }

    /// Closer in (`factor` < 1) or further out.
    #[must_use]
    pub fn zoomed(self, factor: f64) -> Viewport {
        Viewport { half_width: (self.half_width * factor).clamp(MIN_HALF_WIDTH, 180.0), ..self }
    }

    /// Moved by a share of the view's width (east) and height (north).
    #[must_use]
    pub fn panned(self, east: f64, north: f64, cols: u16, rows: u16) -> Viewport {
        let hh = self.half_height(cols, rows);
        let lon = (self.lon + east * self.half_width * 2.0).clamp(-180.0, 180.0);
        let lat = (self.lat + north * hh * 2.0).clamp(-85.0, 85.0);
        Viewport { lon, lat, ..self }
    }
}

/// Events shown, added up per place, for the map: drawing then costs a pass over the
/// places, not the events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceTotals {
    /// Per place index: events and killed (best) inside the window.
    pub events: Vec<u64>,
    pub killed: Vec<u64>,
    /// Events at no place with coordinates: counted, never drawn.
    pub not_placed: u64,
}

impl PlaceTotals {
    /// Adds up `events` inside the window at their places; those at a place without
    /// coordinates (`coords[p]` is `None`) or at none are counted as not placed.
    #[must_use]
    pub fn of(
        index: &crate::domain::index::SearchIndex,
        events: &[u32],
        window: crate::domain::figures::TimeWindow,
        coords: &[Option<(f64, f64)>],
    ) -> PlaceTotals {
        let days = crate::domain::index::Days::of(&window);
        let places = coords.len();
        let mut totals = PlaceTotals { events: vec![0; places], killed: vec![0; places], not_placed: 0 };
        for &i in events {
            let i = i as usize;
            if !index.admits_days(days, i) {
                continue;
            }
            let p = index.place[i] as usize;
            match (totals.events.get_mut(p), coords.get(p)) {
                (Some(n), Some(Some(_))) => {
                    *n += 1;
                    if index.counted[i] {
                        totals.killed[p] += index.killed[i];
                    }
                }
                _ => totals.not_placed += 1,
            }
        }
        totals
    }
}

/// One cell of the map with what falls in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CellTotal {
    pub events: u64,
    pub killed: u64,
}

/// Adds up `totals` per character cell of a view, from each place's coordinates
/// (`coords[place]`, none when unknown). Returns the cells row by row.
#[must_use]
pub fn cells(
    view: &Viewport,
    cols: u16,
    rows: u16,
    totals: &PlaceTotals,
    coords: &[Option<(f64, f64)>],
) -> Vec<CellTotal> {
    let mut grid = vec![CellTotal::default(); usize::from(cols) * usize::from(rows)];
    for (p, &events) in totals.events.iter().enumerate() {
        if events == 0 {
            continue;
        }
        let Some(Some((lon, lat))) = coords.get(p) else { continue };
        if let Some((c, r)) = view.cell(*lon, *lat, cols, rows) {
            let cell = &mut grid[usize::from(r) * usize::from(cols) + usize::from(c)];
            cell.events += events;
            cell.killed += totals.killed.get(p).copied().unwrap_or(0);
        }
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_world_has_three_levels_and_syria_s_borders() {
        let w = world();
        let names: Vec<&str> = w.levels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["110m", "50m", "10m"]);
        let idlib = Bounds { west: 36.0, south: 35.5, east: 37.0, north: 36.5 };
        let fine = w.level_for(2.0).unwrap();
        assert_eq!(fine.name, "10m");
        // The Turkish border runs north of Idlib: some arc passes through the box.
        assert!(fine.arcs.iter().any(|a| {
            a.points.iter().any(|&(x, y)| (36.0..37.0).contains(&f64::from(x)) && (35.5..36.5).contains(&f64::from(y)))
        }));
        assert!(fine.arcs.iter().filter(|a| a.bounds.overlaps(&idlib)).count() < 40);
        assert_eq!(w.level_for(360.0).unwrap().name, "110m");
        assert!(World::decode(b"nope").is_err());
        assert!(World::decode(&WORLD_BIN[..WORLD_BIN.len() / 2]).is_err(), "a cut file is an error, not a panic");
    }

    #[test]
    fn a_point_at_known_coordinates_lands_in_the_expected_cell() {
        let v = Viewport { lon: 0.0, lat: 0.0, half_width: 10.0 };
        // 20 columns by 5 rows: at the equator the view is 20° wide and 10° tall.
        let b = v.bounds(20, 5);
        assert!((b.north - 5.0).abs() < 1e-9 && (b.west + 10.0).abs() < 1e-9);
        assert_eq!(v.cell(-10.0, 5.0, 20, 5), Some((0, 0)));
        assert_eq!(v.cell(10.0, -5.0, 20, 5), Some((19, 4)));
        assert_eq!(v.cell(0.0, 0.0, 20, 5), Some((10, 2)));
        assert_eq!(v.cell(10.1, 0.0, 20, 5), None, "outside the view");
        assert_eq!(v.cell(f64::NAN, 0.0, 20, 5), None);
        // Away from the equator a degree of longitude is shorter: the view is less tall.
        let north = Viewport { lat: 60.0, ..v };
        assert!((north.half_height(20, 5) - 2.5).abs() < 1e-9);
    }

    #[test]
    fn the_core_extent_leaves_out_a_lone_far_point_but_keeps_any_real_share() {
        let mut points: Vec<(f64, f64, f64)> = (0..20).map(|k| (36.0 + f64::from(k) * 0.05, 35.5, 1.0)).collect();
        points.push((32.86, 39.93, 1.0)); // one event far away: under 5% of the weight
        let core = Bounds::core(&points, 0.05).unwrap();
        assert!((core.west - 36.0).abs() < 1e-9 && (core.north - 35.5).abs() < 1e-9, "{core:?}");
        points.push((32.86, 39.93, 5.0)); // now a real share of the data
        let all = Bounds::core(&points, 0.05).unwrap();
        assert!((all.west - 32.86).abs() < 1e-9 && (all.north - 39.93).abs() < 1e-9, "{all:?}");
        // Two points: both kept.
        let two = Bounds::core(&[(0.0, 0.0, 1.0), (10.0, 5.0, 1.0)], 0.05).unwrap();
        assert_eq!(two, Bounds { west: 0.0, south: 0.0, east: 10.0, north: 5.0 });
        assert!(Bounds::core(&[(f64::NAN, 0.0, 1.0)], 0.05).is_none());
    }

    #[test]
    fn fitting_holds_the_bounds_and_zoom_and_pan_move_the_view() {
        let bounds = Bounds { west: 35.5, south: 32.0, east: 41.5, north: 37.0 };
        let v = Viewport::fit(bounds, 80, 20);
        let shown = v.bounds(80, 20);
        assert!(shown.west <= 35.5 && shown.east >= 41.5 && shown.south <= 32.0 && shown.north >= 37.0);
        assert!(v.half_width < 10.0, "fits closely: {v:?}");
        let z = v.zoomed(0.5);
        assert!((z.half_width - v.half_width / 2.0).abs() < 1e-9);
        let p = v.panned(0.25, 0.0, 80, 20);
        assert!((p.lon - (v.lon + v.half_width / 2.0)).abs() < 1e-9);
    }

    #[test]
    fn events_add_up_per_cell_and_places_without_coordinates_are_left_out() {
        let v = Viewport { lon: 0.0, lat: 0.0, half_width: 10.0 };
        let totals = PlaceTotals { events: vec![3, 2, 5], killed: vec![1, 4, 9], not_placed: 5 };
        let coords = [Some((1.2, 1.2)), Some((1.4, 1.4)), None];
        let grid = cells(&v, 20, 5, &totals, &coords);
        let (c, r) = v.cell(1.2, 1.2, 20, 5).unwrap();
        assert_eq!(grid[usize::from(r) * 20 + usize::from(c)], CellTotal { events: 5, killed: 5 });
        assert_eq!(grid.iter().map(|c| c.events).sum::<u64>(), 5, "the place without coordinates is not drawn");
        assert_eq!(grid[2 * 20 + 10], CellTotal::default(), "nothing at 0,0");
    }
}
