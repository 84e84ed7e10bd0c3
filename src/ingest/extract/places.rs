//! The gazetteer: the places of the data already loaded, then GeoNames' populated places
//! (shipped in `data/gazetteer/`), looked up by name through our folding and a spelling key
//! that lets transliterations meet (Saraqeb / Saraqib / Sarāqib; Maarat al-Numan /
//! Ma`arrat an Nu`man). A place not found is kept by name, with no coordinates.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::domain::model::{Confidence, GeoPrecision, Place, Situation};
use crate::domain::text::fold;
use crate::ingest::extract::text::{Word, words};

/// GeoNames' populated places: name, lat, lon, admin1, country code, tab-separated.
const GEONAMES: &str = include_str!("../../../data/gazetteer/geonames-places.tsv");

/// One place the gazetteer knows.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The id of the loaded place, for places of the data already loaded.
    pub loaded: Option<String>,
    pub name: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub admin1: Option<String>,
    /// ISO 3166 alpha-2 code, for GeoNames places.
    pub iso: Option<String>,
    pub country: Option<String>,
    pub precision: GeoPrecision,
}

/// Articles and particles that transliterations keep or drop ("al-", "an ", "el-").
const ARTICLES: &[&str] = &["al", "el", "an", "ad", "ar", "as", "ash", "at", "az", "ad-", "the"];

/// A spelling key for one word: folded, without a leading article, without doubled letters,
/// and with the vowels transliterations disagree on merged.
#[must_use]
pub fn spelling_key(word: &str) -> String {
    let folded = fold(word);
    let mut body = folded.as_str();
    for art in ["al-", "el-", "an-", "ad-", "ar-", "as-", "ash-", "at-", "az-"] {
        if let Some(rest) = body.strip_prefix(art)
            && rest.len() > 2
        {
            body = rest;
            break;
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut last = '\0';
    for c in body.chars() {
        let c = match c {
            'e' | 'y' => 'i',
            'o' => 'u',
            'c' if out.is_empty() => 'k',
            c if !c.is_alphanumeric() => continue,
            c => c,
        };
        if c != last {
            out.push(c);
        }
        last = c;
    }
    out
}

fn keys_of(name: &str) -> Vec<String> {
    // Folded first, so that "Ma`arrat" is one word, as "Maarat" is.
    let name = fold(name);
    words(&name, 0, name.len())
        .into_iter()
        .filter(|w| !ARTICLES.contains(&w.lower.as_str()))
        .map(|w| spelling_key(&w.lower))
        .filter(|k| !k.is_empty())
        .collect()
}

/// Places by the key of their first word. The shipped gazetteer keeps no record per place:
/// each entry is the position of its line in the shipped text, made into an [`Entry`] when a
/// look-up finds it, and the spelling keys of all names are one text; 144,563 records with
/// five strings and a list of keys each were 96 MB for the life of the process.
#[derive(Default)]
pub struct Gazetteer {
    /// Entries of loaded places, by number.
    entries: Vec<Entry>,
    /// Shipped entries, by number: where each place's line starts in the shipped text; the
    /// numbers past these are the countries of `COUNTRY_NAMES`.
    lines: Vec<u32>,
    shipped: bool,
    /// Every name's spelling keys, each name's joined by spaces and ended by a newline (keys
    /// are letters and digits only).
    keys: String,
    /// By the key of a name's first word: where its keys stand in `keys`, and its entry.
    by_first: FxHashMap<String, Vec<(u32, u32)>>,
}

/// The fields of one line of the shipped text: name, lat, lon, admin1, country code.
fn shipped_fields(line: &'static str) -> Option<(&'static str, f64, f64, &'static str, &'static str)> {
    let mut fields = line.split('\t');
    let (Some(name), Some(lat), Some(lon), Some(admin1), Some(iso)) =
        (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else { return None };
    Some((name, lat, lon, admin1, iso))
}

/// The shipped line that starts at `at`.
fn shipped_line(at: u32) -> &'static str {
    let rest = GEONAMES.get(at as usize..).unwrap_or("");
    rest.split('\n').next().unwrap_or("")
}

impl Gazetteer {
    fn add(&mut self, name: &str, entry: u32) {
        let keys = keys_of(name);
        let Some(first) = keys.first() else { return };
        let joined = keys.join(" ");
        let list = self.by_first.entry(first.clone()).or_default();
        let known = |&(at, e): &(u32, u32)| {
            e == entry && self.keys.get(at as usize..).and_then(|k| k.split('\n').next()) == Some(joined.as_str())
        };
        if !list.iter().any(known) {
            list.push((self.keys.len() as u32, entry));
            self.keys.push_str(&joined);
            self.keys.push('\n');
        }
    }

    /// How many entries there are.
    #[must_use]
    pub fn len(&self) -> usize {
        if self.shipped { self.lines.len() + COUNTRY_NAMES.len() } else { self.entries.len() }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entry number `e` (as [`Gazetteer::lookup`] gives them).
    ///
    /// # Panics
    /// When there is no entry `e`.
    #[must_use]
    pub fn entry(&self, e: u32) -> std::borrow::Cow<'_, Entry> {
        if !self.shipped {
            return std::borrow::Cow::Borrowed(&self.entries[e as usize]);
        }
        let e = e as usize;
        if let Some(&at) = self.lines.get(e) {
            let line = shipped_line(at);
            let (name, lat, lon, admin1, iso) = shipped_fields(line).expect("a line read when the gazetteer was made");
            return std::borrow::Cow::Owned(Entry {
                loaded: None,
                name: name.to_string(),
                lat: Some(lat),
                lon: Some(lon),
                admin1: (!admin1.is_empty()).then(|| admin1.to_string()),
                iso: Some(iso.to_string()),
                country: crate::ingest::extract::actors::COUNTRIES
                    .iter()
                    .find(|c| c.iso == iso)
                    .map(|c| c.name.to_string()),
                precision: GeoPrecision::Town,
            });
        }
        let (cs, iso) = COUNTRY_NAMES[e - self.lines.len()];
        std::borrow::Cow::Owned(Entry {
            loaded: None,
            name: cs.to_string(),
            lat: None,
            lon: None,
            admin1: None,
            iso: Some(iso.to_string()),
            country: Some(cs.to_string()),
            precision: GeoPrecision::Region,
        })
    }

    /// The country code of entry `e`, with nothing made.
    #[must_use]
    pub fn iso(&self, e: u32) -> Option<&str> {
        if !self.shipped {
            return self.entries.get(e as usize).and_then(|x| x.iso.as_deref());
        }
        let e = e as usize;
        match self.lines.get(e) {
            // The line was read whole when the gazetteer was made: its fifth field is the code.
            Some(&at) => shipped_line(at).split('\t').nth(4),
            None => COUNTRY_NAMES.get(e - self.lines.len()).map(|c| c.1),
        }
    }

    /// How precise entry `e` is, with nothing made.
    #[must_use]
    pub fn precision(&self, e: u32) -> GeoPrecision {
        if !self.shipped {
            return self.entries.get(e as usize).map_or(GeoPrecision::Town, |x| x.precision);
        }
        if (e as usize) < self.lines.len() { GeoPrecision::Town } else { GeoPrecision::Region }
    }

    /// The shipped GeoNames places, read once per process.
    #[must_use]
    pub fn shipped() -> &'static Gazetteer {
        static SHIPPED: OnceLock<Gazetteer> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            let mut g = Gazetteer { shipped: true, ..Gazetteer::default() };
            let mut at = 0;
            for line in GEONAMES.split_inclusive('\n') {
                let start = at;
                at += line.len();
                let line = line.strip_suffix('\n').unwrap_or(line);
                let line = line.strip_suffix('\r').unwrap_or(line);
                let Some((name, ..)) = shipped_fields(line) else { continue };
                let e = g.lines.len() as u32;
                g.lines.push(start as u32);
                g.add(name, e);
            }
            for (k, &(cs, _)) in COUNTRY_NAMES.iter().enumerate() {
                g.add(cs, (g.lines.len() + k) as u32);
            }
            g.lines.shrink_to_fit();
            g.keys.shrink_to_fit();
            for list in g.by_first.values_mut() {
                list.shrink_to_fit();
            }
            g.by_first.shrink_to_fit();
            g
        })
    }

    /// The places of a loaded situation, by name and every alternative name.
    #[must_use]
    pub fn of_situation(sit: &Situation) -> Gazetteer {
        let mut g = Gazetteer::default();
        for p in &sit.places {
            let at = g.entries.len() as u32;
            g.entries.push(Entry {
                loaded: Some(p.id.clone()),
                name: p.name.clone(),
                lat: p.lat,
                lon: p.lon,
                admin1: p.admin1.clone(),
                iso: None,
                country: p.country.clone(),
                precision: p.geo_precision,
            });
            g.add(&p.name, at);
            for alt in &p.alt_names {
                g.add(alt, at);
            }
        }
        g
    }

    /// Every entry whose name starts at word `i` of `ws`, longest name first:
    /// (entry, one past the last word).
    #[must_use]
    pub fn lookup(&self, ws: &[Word], i: usize) -> Vec<(u32, usize)> {
        let mut key_words: Vec<(String, usize)> = Vec::new();
        let mut j = i;
        while j < ws.len() && key_words.len() < 5 {
            let w = &ws[j].lower;
            if ARTICLES.contains(&w.as_str()) && j > i {
                j += 1;
                continue;
            }
            key_words.push((spelling_key(w), j + 1));
            j += 1;
        }
        let Some((first, _)) = key_words.first() else { return Vec::new() };
        let Some(list) = self.by_first.get(first) else { return Vec::new() };
        let mut found: Vec<(u32, usize)> = list
            .iter()
            .filter_map(|&(at, e)| {
                let keys = self.keys.get(at as usize..)?.split('\n').next()?;
                let mut n = 0;
                for k in keys.split(' ') {
                    if key_words.get(n).is_none_or(|(w, _)| w != k) {
                        return None;
                    }
                    n += 1;
                }
                Some((e, key_words[n - 1].1))
            })
            .collect();
        found.sort_by_key(|&(_, end)| std::cmp::Reverse(end));
        found
    }
}

/// Country names as places (only the region is known).
const COUNTRY_NAMES: [(&str, &str); 30] = [
    ("Syria", "SY"),
    ("Turkey", "TR"),
    ("Iraq", "IQ"),
    ("Iran", "IR"),
    ("Israel", "IL"),
    ("Lebanon", "LB"),
    ("Ukraine", "UA"),
    ("Russia", "RU"),
    ("Afghanistan", "AF"),
    ("Pakistan", "PK"),
    ("Nigeria", "NG"),
    ("Mali", "ML"),
    ("Burkina Faso", "BF"),
    ("Niger", "NE"),
    ("Somalia", "SO"),
    ("Sudan", "SD"),
    ("Ethiopia", "ET"),
    ("Yemen", "YE"),
    ("Libya", "LY"),
    ("Egypt", "EG"),
    ("Myanmar", "MM"),
    ("Cameroon", "CM"),
    ("Kenya", "KE"),
    ("Mozambique", "MZ"),
    ("Colombia", "CO"),
    ("Mexico", "MX"),
    ("Philippines", "PH"),
    ("Gaza Strip", "PS"),
    ("West Bank", "PS"),
    ("Democratic Republic of the Congo", "CD"),
];

/// A place record for the output document, from a gazetteer entry.
#[must_use]
pub fn place_record(id: &str, entry: &Entry) -> Place {
    Place {
        id: id.to_string(),
        name: entry.name.clone(),
        alt_names: Vec::new(),
        country: entry.country.clone(),
        admin1: entry.admin1.clone(),
        admin2: None,
        lat: entry.lat,
        lon: entry.lon,
        geo_precision: entry.precision,
        coord_confidence: entry.lat.map(|_| Confidence::Medium),
        part_of: None,
        note: Some("From GeoNames (CC BY 4.0), matched by name by sitdash extract.".to_string()),
    }
}

/// A readable id for a place name: lower-case words joined by `-`.
#[must_use]
pub fn slug(name: &str) -> String {
    let folded = fold(name);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "place".to_string() } else { out }
}

/// Great-circle distance in kilometres.
#[must_use]
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterations_share_a_key() {
        assert_eq!(spelling_key("Saraqeb"), spelling_key("Saraqib"));
        assert_eq!(spelling_key("Sarāqib"), spelling_key("Saraqib"));
        assert_eq!(spelling_key("Sarmeen"), spelling_key("Sarmin"));
        assert_eq!(keys_of("Maarat al-Numan"), keys_of("Ma`arrat an Nu`man"));
    }

    #[test]
    fn the_shipped_gazetteer_finds_saraqeb() {
        let g = Gazetteer::shipped();
        let text = "in Saraqeb today";
        let ws = words(text, 0, text.len());
        let found = g.lookup(&ws, 1);
        assert!(found.iter().any(|&(e, _)| g.entry(e).iso.as_deref() == Some("SY")));
        assert!(found.iter().any(|&(e, _)| g.iso(e) == Some("SY")));
    }

    #[test]
    fn the_shipped_gazetteer_gives_what_a_plain_reading_of_its_lines_gives() {
        // The reference: every line made into an entry with its keys, as the gazetteer once
        // kept them.
        let mut entries: Vec<Entry> = Vec::new();
        let mut by_first: FxHashMap<String, Vec<(Vec<String>, u32)>> = FxHashMap::default();
        let mut add = |entries: &mut Vec<Entry>, name: &str, entry: Entry| {
            let at = entries.len() as u32;
            entries.push(entry);
            let keys = keys_of(name);
            if let Some(first) = keys.first().cloned() {
                by_first.entry(first).or_default().push((keys, at));
            }
        };
        for line in GEONAMES.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let (Some(lat), Some(lon)) = (f.get(1).and_then(|x| x.parse().ok()), f.get(2).and_then(|x| x.parse().ok()))
            else {
                continue;
            };
            let Some(&iso) = f.get(4) else { continue };
            let entry = Entry {
                loaded: None,
                name: f[0].to_string(),
                lat: Some(lat),
                lon: Some(lon),
                admin1: (!f[3].is_empty()).then(|| f[3].to_string()),
                iso: Some(iso.to_string()),
                country: crate::ingest::extract::actors::COUNTRIES
                    .iter()
                    .find(|c| c.iso == iso)
                    .map(|c| c.name.to_string()),
                precision: GeoPrecision::Town,
            };
            add(&mut entries, f[0], entry);
        }
        for &(cs, iso) in &COUNTRY_NAMES {
            let entry = Entry {
                loaded: None,
                name: cs.to_string(),
                lat: None,
                lon: None,
                admin1: None,
                iso: Some(iso.to_string()),
                country: Some(cs.to_string()),
                precision: GeoPrecision::Region,
            };
            add(&mut entries, cs, entry);
        }
        let g = Gazetteer::shipped();
        assert_eq!(g.len(), entries.len());
        for (e, want) in entries.iter().enumerate() {
            let e = e as u32;
            assert_eq!(format!("{:?}", g.entry(e)), format!("{want:?}"));
            assert_eq!(g.iso(e), want.iso.as_deref());
            assert_eq!(g.precision(e), want.precision);
        }
        let lookup = |ws: &[Word], i: usize| {
            let mut key_words = Vec::new();
            let mut j = i;
            while j < ws.len() && key_words.len() < 5 {
                if !(ARTICLES.contains(&ws[j].lower.as_str()) && j > i) {
                    key_words.push((spelling_key(&ws[j].lower), j + 1));
                }
                j += 1;
            }
            let Some((first, _)) = key_words.first() else { return Vec::new() };
            let mut found: Vec<(u32, usize)> = by_first
                .get(first)
                .into_iter()
                .flatten()
                .filter(|(keys, _)| {
                    keys.len() <= key_words.len() && keys.iter().zip(&key_words).all(|(k, (w, _))| k == w)
                })
                .map(|(keys, e)| (*e, key_words[keys.len() - 1].1))
                .collect();
            found.sort_by_key(|&(_, end)| std::cmp::Reverse(end));
            found
        };
        // Names looked up inside a sentence: each name, a longer one, one cut short.
        for want in entries.iter().step_by(41) {
            let text = format!("near {} and al Qasr town of the north", want.name);
            let ws = words(&text, 0, text.len());
            for i in 0..ws.len() {
                assert_eq!(g.lookup(&ws, i), lookup(&ws, i), "{text} at word {i}");
            }
        }
    }
}
