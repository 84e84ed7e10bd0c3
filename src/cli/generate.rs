//! Reproducible synthetic data for measurements: `sitdash gen --events N --seed S`.
//! Rows look like real exports in shape and size (an ACLED row is about 440 bytes) but
//! every name and note is made up from small word lists.

use std::io::{self, Write};

/// A small, fast, seedable generator (splitmix64); the same seed gives the same file.
pub struct Rng(u64);

impl Rng {
    #[must_use]
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    Acled,
    Ucdp,
    Jsonl,
}

const TYPES: &[(&str, &str)] = &[
    ("Battles", "Armed clash"),
    ("Battles", "Government regains territory"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Protests", "Peaceful protest"),
    ("Riots", "Mob violence"),
    ("Strategic developments", "Other"),
    ("Strategic developments", "Looting/property destruction"),
];
const SYLLABLES: &[&str] =
    &["al", "ka", "ra", "ma", "sha", "dir", "tel", "kha", "bab", "jis", "nur", "qar", "hal", "zor", "fa", "bin"];
const ROLES: &[&str] = &[
    "Military Forces of",
    "Militia of",
    "Rebel Front of",
    "Police Forces of",
    "Unidentified Armed Group of",
    "Protesters in",
];
const WORDS: &[&str] = &[
    "On",
    "the",
    "morning",
    "evening",
    "forces",
    "shelled",
    "positions",
    "near",
    "village",
    "outskirts",
    "reportedly",
    "killing",
    "wounding",
    "civilians",
    "fighters",
    "after",
    "clashes",
    "erupted",
    "between",
    "groups",
    "in",
    "a",
    "an",
    "attack",
    "on",
    "checkpoint",
    "drone",
    "strike",
    "hit",
    "vehicle",
    "market",
    "convoy",
    "residents",
    "fled",
    "area",
    "sources",
    "said",
    "casualties",
    "unknown",
    "at",
    "least",
    "several",
    "houses",
    "damaged",
    "road",
    "was",
    "closed",
];

fn name(rng: &mut Rng, parts: usize) -> String {
    let mut s = String::new();
    for _ in 0..parts {
        let syllable = SYLLABLES[rng.below(SYLLABLES.len())];
        s.push_str(syllable);
    }
    let mut c = s.chars();
    c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
}

fn notes(rng: &mut Rng, target: usize) -> String {
    let mut s = String::with_capacity(target + 16);
    while s.len() < target {
        if !s.is_empty() {
            s.push(' ');
        }
        let word = WORDS[rng.below(WORDS.len())];
        s.push_str(word);
    }
    s.push('.');
    s
}

struct World {
    locations: Vec<(String, String, String, f64, f64)>,
    actors: Vec<String>,
    sources: Vec<String>,
}

fn world(rng: &mut Rng) -> World {
    let admin1: Vec<String> = (0..14).map(|_| name(rng, 2)).collect();
    let locations = (0..6000)
        .map(|_| {
            let a1 = rng.pick(&admin1).clone();
            let a2 = name(rng, 2);
            let loc = name(rng, 3);
            let lat = 32.0 + (rng.below(50_000) as f64) / 10_000.0;
            let lon = 35.5 + (rng.below(60_000) as f64) / 10_000.0;
            (a1, a2, loc, lat, lon)
        })
        .collect();
    let actors = (0..250).map(|_| format!("{} {}", rng.pick(ROLES), name(rng, 2))).collect();
    let sources = (0..300).map(|_| format!("{} News", name(rng, 2))).collect();
    World { locations, actors, sources }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

fn date(rng: &mut Rng) -> String {
    let day = rng.below(365 * 5);
    let d = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap_or_default() + chrono::Duration::days(day as i64);
    d.format("%Y-%m-%d").to_string()
}

/// ACLED's `timestamp` of a row dated `date`: when the row was last changed, some days to a
/// few weeks after the event (never before it: that is flagged as odd on import). Made from
/// the row's number, not the generator, so the other columns are as before.
fn changed(date: &str, row: usize) -> i64 {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap_or_default();
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc().timestamp();
    midnight + 86_400 * (1 + (row % 40) as i64) + (row % 86_400) as i64
}

fn fatalities(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=5 => 0,
        6..=8 => 1 + rng.below(5) as u64,
        _ => 5 + rng.below(60) as u64,
    }
}

/// Writes `events` rows in the chosen format.
///
/// # Errors
/// Output errors.
pub fn generate(out: &mut impl Write, format: GenFormat, events: usize, seed: u64) -> io::Result<()> {
    let mut rng = Rng::new(seed);
    let w = world(&mut rng);
    match format {
        GenFormat::Acled => {
            writeln!(
                out,
                "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
            )?;
            for i in 0..events {
                let (et, st) = *rng.pick(TYPES);
                let (a1, a2, loc, lat, lon) = rng.pick(&w.locations).clone();
                let actor1 = rng.pick(&w.actors).clone();
                let actor2 = if rng.below(4) == 0 { String::new() } else { rng.pick(&w.actors).clone() };
                let civ = if et == "Violence against civilians" { "Civilian targeting" } else { "" };
                let d = date(&mut rng);
                let year = &d[..4];
                let tp = [1, 1, 1, 1, 1, 1, 2, 2, 3][rng.below(9)];
                let gp = [1, 1, 1, 2, 2, 3][rng.below(6)];
                let source = rng.pick(&w.sources).clone();
                let target = 140 + rng.below(110);
                let note = notes(&mut rng, target);
                let f = fatalities(&mut rng);
                writeln!(
                    out,
                    "SYN{i},{d},{year},{tp},Political violence,{},{},{},,{},{},,{},{},{civ},760,Middle East,Syria,{},{},,{},{lat:.4},{lon:.4},{gp},{},National,{},{f},,{}",
                    csv_field(et),
                    csv_field(st),
                    csv_field(&actor1),
                    1 + rng.below(8),
                    csv_field(&actor2),
                    1 + rng.below(8),
                    10 + rng.below(80),
                    csv_field(&a1),
                    csv_field(&a2),
                    csv_field(&loc),
                    csv_field(&source),
                    csv_field(&note),
                    changed(&d, i),
                )?;
            }
        }
        GenFormat::Ucdp => {
            writeln!(
                out,
                "id,relid,year,active_year,code_status,type_of_violence,conflict_new_id,conflict_name,dyad_new_id,dyad_name,side_a_new_id,side_a,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob"
            )?;
            for i in 0..events {
                let (a1, a2, loc, lat, lon) = rng.pick(&w.locations).clone();
                let side_a = rng.pick(&w.actors).clone();
                let side_b = rng.pick(&w.actors).clone();
                let start = date(&mut rng);
                let (da, db, dc, du) =
                    (fatalities(&mut rng), fatalities(&mut rng), fatalities(&mut rng), fatalities(&mut rng) / 2);
                let best = da + db + dc + du;
                let src = rng.pick(&w.sources).clone();
                writeln!(
                    out,
                    "{i},SYN-{i},{},1,Clear,{},1,Syria: Government,1,{},1,{},2,{},1,{},,,,,{},{},{},{},{},{lat:.4},{lon:.4},,,Syria,652,Middle East,1,1,{start},{start},{da},{db},{dc},{du},{best},{},{best},652,",
                    &start[..4],
                    1 + rng.below(3),
                    csv_field(&format!("{side_a} - {side_b}")),
                    csv_field(&side_a),
                    csv_field(&side_b),
                    csv_field(&src),
                    1 + rng.below(7),
                    csv_field(&loc),
                    csv_field(&notes(&mut rng, 60)),
                    csv_field(&a1),
                    csv_field(&a2),
                    best + best / 2,
                )?;
            }
        }
        GenFormat::Jsonl => {
            use serde_json::json;
            for (n, s) in w.sources.iter().enumerate() {
                writeln!(out, "{}", json!({"source": {"id": format!("s{n}"), "publisher": s}}))?;
            }
            for (n, a) in w.actors.iter().enumerate() {
                writeln!(out, "{}", json!({"actor": {"id": format!("a{n}"), "name": a}}))?;
            }
            for (n, (a1, _, loc, lat, lon)) in w.locations.iter().enumerate() {
                writeln!(
                    out,
                    "{}",
                    json!({"place": {"id": format!("p{n}"), "name": loc, "admin1": a1, "lat": lat, "lon": lon}})
                )?;
            }
            for i in 0..events {
                let kinds = [
                    "armed_clash",
                    "shelling_artillery_missile_attack",
                    "air_drone_strike",
                    "attack",
                    "peaceful_protest",
                    "other_strategic",
                ];
                let f = fatalities(&mut rng);
                let claim = format!("c{i}");
                writeln!(
                    out,
                    "{}",
                    json!({"claim": {"id": claim, "source": format!("s{}", rng.below(w.sources.len())), "attributed_to": "generated", "statement": "generated figure", "count": {"best": f}}})
                )?;
                let mut event = json!({
                    "id": format!("e{i}"), "date": date(&mut rng), "kind": rng.pick(&kinds), "place": format!("p{}", rng.below(w.locations.len())),
                    "by": [format!("a{}", rng.below(w.actors.len()))], "summary": notes(&mut rng, 50), "notes": notes(&mut rng, 200), "claims": [claim],
                });
                if f > 0 {
                    event["casualties"] =
                        json!([{"group": "unknown", "outcome": "killed", "claims": [claim], "chosen": claim}]);
                }
                writeln!(out, "{event}")?;
            }
        }
    }
    out.flush()
}

/// `sitdash gen`: writes the file, to standard output when no path is given.
pub fn run(
    events: usize,
    seed: u64,
    format: GenFormat,
    output: Option<&std::path::Path>,
) -> Result<(), std::process::ExitCode> {
    let result = match output {
        Some(path) => {
            std::fs::File::create(path).and_then(|f| generate(&mut io::BufWriter::new(f), format, events, seed))
        }
        None => generate(&mut io::BufWriter::new(io::stdout().lock()), format, events, seed),
    };
    result.map_err(|err| crate::cli::output::write_failed(&err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_file() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        generate(&mut a, GenFormat::Acled, 50, 7).unwrap();
        generate(&mut b, GenFormat::Acled, 50, 7).unwrap();
        assert_eq!(a, b);
        let mut c = Vec::new();
        generate(&mut c, GenFormat::Acled, 50, 8).unwrap();
        assert_ne!(a, c);
        let text = String::from_utf8(a).unwrap();
        assert_eq!(text.lines().count(), 51);
    }

    #[test]
    fn generated_json_lines_load() {
        let mut out = Vec::new();
        generate(&mut out, GenFormat::Jsonl, 200, 1).unwrap();
        let text = String::from_utf8(out).unwrap();
        let (sit, report) =
            crate::ingest::load::load_str("gen.jsonl", &text, crate::ingest::input::LoadOptions::default()).unwrap();
        assert_eq!(sit.events.len(), 200);
        assert_eq!(report.skipped, 0);
    }
}
