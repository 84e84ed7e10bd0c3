//! The events of a view leaving sitdash: an aligned table, JSON or CSV for reading, and three
//! files to hand on (ACLED-column CSV, our JSON Lines, our JSON document with the claims,
//! places, actors and sources the events refer to). `sitdash events --format` and the
//! dashboard's `e` both write through [`write_view`]; [`write_atomically`] puts a file down
//! whole or not at all.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use crate::domain::derived::ActorIds;
use crate::domain::figures::event_killed;
use crate::domain::model::{DatePrecision, Day, Event, GeoPrecision, Situation};
use crate::domain::text::{clean, pad};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EventFormat {
    Table,
    Json,
    Csv,
    /// ACLED's column names, one row per event, readable by ACLED tools and by sitdash.
    Acled,
    /// Our JSON Lines: the records the events refer to, then one event per line.
    Jsonl,
    /// Our JSON document (`sitdash/1`) with the events and everything they refer to.
    Situation,
}

impl EventFormat {
    /// The formats a view is handed on in, as the dashboard offers them.
    pub const FILES: [EventFormat; 3] = [EventFormat::Acled, EventFormat::Jsonl, EventFormat::Situation];

    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            EventFormat::Table => "txt",
            EventFormat::Json | EventFormat::Situation => "json",
            EventFormat::Csv | EventFormat::Acled => "csv",
            EventFormat::Jsonl => "jsonl",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            EventFormat::Table => "table",
            EventFormat::Json => "JSON list",
            EventFormat::Csv => "CSV",
            EventFormat::Acled => "ACLED-column CSV",
            EventFormat::Jsonl => "JSON Lines",
            EventFormat::Situation => "sitdash JSON with claims",
        }
    }
}

const COLUMNS: [&str; 12] = [
    "id",
    "date",
    "precision",
    "status",
    "kind",
    "place",
    "by",
    "against",
    "killed",
    "killed_best",
    "lower_bound",
    "summary",
];

fn fields(sit: &Situation, e: &Event) -> [String; 12] {
    let span = e.span();
    let names = |ids: ActorIds<'_>| ids.map(|a| sit.actor_name(a)).collect::<Vec<_>>().join("; ");
    let k = event_killed(sit, e);
    [
        e.id.to_string(),
        span.label(),
        span.precision_word().to_string(),
        e.status.word().to_string(),
        e.kind.id().to_string(),
        sit.place_name(&e.place).to_string(),
        names(sit.by(e)),
        names(sit.against(e)),
        k.map(|t| t.display()).unwrap_or_default(),
        k.map(|t| t.best.to_string()).unwrap_or_default(),
        k.map(|t| t.lower_bound.to_string()).unwrap_or_default(),
        e.summary(sit).into_owned(),
    ]
}

/// A CSV error as the I/O error under it, when there is one: a closed pipe stays a closed
/// pipe (which `events` ends quietly on) instead of becoming "other".
fn csv_io(err: csv::Error) -> io::Error {
    if !err.is_io_error() {
        return io::Error::other(err);
    }
    match err.into_kind() {
        csv::ErrorKind::Io(inner) => inner,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes the events (indices into the situation) in the chosen format.
///
/// # Errors
/// Output errors, a closed pipe included.
pub fn write_events(out: &mut impl Write, sit: &Situation, events: &[u32], format: EventFormat) -> io::Result<()> {
    write_view(out, sit, events, format, sit.as_of)
}

/// [`write_events`] for a view as of a date (the document formats record it).
///
/// # Errors
/// Output errors, a closed pipe included.
pub fn write_view(
    out: &mut impl Write,
    sit: &Situation,
    events: &[u32],
    format: EventFormat,
    as_of: Option<Day>,
) -> io::Result<()> {
    match format {
        EventFormat::Acled => write_acled(out, sit, events),
        EventFormat::Jsonl => write_lines(out, sit, events),
        EventFormat::Situation => write_document(out, sit, events, as_of),
        EventFormat::Json => {
            let list: Vec<_> = events
                .iter()
                .map(|&i| {
                    let e = &sit.events[i as usize];
                    let k = event_killed(sit, e);
                    json!({
                        "id": e.id, "date": e.span().start.to_string(), "end": e.span().end.to_string(),
                        "precision": e.span().precision_word(), "status": e.status.word(), "kind": e.kind.id(),
                        "acled_event_type": e.kind.acled_event_type(), "acled_sub_event_type": e.kind.acled_sub_event_type(),
                        "place": &*e.place, "place_name": sit.place_name(&e.place), "by": sit.by(e).collect::<Vec<_>>(), "against": sit.against(e).collect::<Vec<_>>(),
                        "killed": k.map(|t| json!({"best": t.best, "low": t.low, "high": t.high, "lower_bound": t.lower_bound})),
                        "summary": e.summary(sit), "claims": sit.claim_ids(e),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        EventFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(COLUMNS).map_err(csv_io)?;
            for &i in events {
                writer.write_record(fields(sit, &sit.events[i as usize])).map_err(csv_io)?;
            }
            writer.flush()
        }
        EventFormat::Table => {
            let shown = [1usize, 3, 4, 5, 8, 11];
            let rows: Vec<[String; 12]> = events.iter().map(|&i| fields(sit, &sit.events[i as usize])).collect();
            let widths: Vec<usize> = shown
                .iter()
                .map(|&c| {
                    rows.iter().map(|r| r[c].width()).max().unwrap_or(0).max(COLUMNS[c].len()).min(if c == 11 {
                        80
                    } else {
                        28
                    })
                })
                .collect();
            let line = |cells: Vec<String>| {
                cells.iter().zip(&widths).map(|(c, &w)| pad(&clean(c), w)).collect::<Vec<_>>().join("  ")
            };
            writeln!(out, "{}", line(shown.iter().map(|&c| COLUMNS[c].to_string()).collect()).trim_end())?;
            for r in &rows {
                writeln!(out, "{}", line(shown.iter().map(|&c| r[c].clone()).collect()).trim_end())?;
            }
            writeln!(out, "{} of {} events", events.len(), sit.events.len())
        }
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed over it.
/// With `overwrite` false an existing file is never replaced (the error is `AlreadyExists`),
/// even one that appears while writing.
///
/// # Errors
/// The file exists (and `overwrite` is false), or any I/O error; the temporary file is removed.
pub fn write_atomically(
    path: &std::path::Path,
    overwrite: bool,
    write: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    if !overwrite && path.exists() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} exists", path.display())));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        let mut out = io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        if overwrite {
            return std::fs::rename(&temp, path);
        }
        // A hard link fails if the name is taken, which a rename would not.
        match std::fs::hard_link(&temp, path) {
            Ok(()) => std::fs::remove_file(&temp),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Err(err),
            Err(_) if path.exists() => {
                Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{} exists", path.display())))
            }
            Err(_) => std::fs::rename(&temp, path),
        }
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

const ACLED_COLUMNS: [&str; 24] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "civilian_targeting",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
];

/// ACLED's columns. What ACLED has no column for is lost on the way: a floor ("at least 10")
/// becomes its number, and a second report is a row like any other (the JSON formats keep both).
fn write_acled(out: &mut impl Write, sit: &Situation, events: &[u32]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(ACLED_COLUMNS)?;
    let actor = |id: &str| sit.index.actors.get(id).map(|&i| &sit.actors[i]);
    let inter = |mut ids: ActorIds<'_>| {
        ids.next().and_then(actor).and_then(|a| a.inter).map(|i| i.to_string()).unwrap_or_default()
    };
    let names = |ids: std::iter::Skip<ActorIds<'_>>| ids.map(|a| sit.actor_name(a)).collect::<Vec<_>>().join("; ");
    for &i in events {
        let e = &sit.events[i as usize];
        let place = sit.place(&e.place);
        let opt =
            |f: fn(&crate::domain::model::Place) -> Option<&String>| place.and_then(f).cloned().unwrap_or_default();
        let coord = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
        let mut sources: Vec<String> = Vec::new();
        for claim in sit.event_claims(e) {
            let name = sit.source(&claim.source).map_or_else(|| claim.source.clone(), |s| s.publisher.clone());
            if !sources.contains(&name) {
                sources.push(name);
            }
        }
        let civilians = sit.against(e).any(|a| actor(a).and_then(|a| a.inter) == Some(7))
            || sit.casualties_of(e).iter().any(|c| c.group == "civilians");
        let record: [String; 24] = [
            e.id.to_string(),
            e.date.to_string(),
            e.date.0.format("%Y").to_string(),
            match e.precision {
                DatePrecision::Day => "1",
                DatePrecision::Week => "2",
                DatePrecision::Month | DatePrecision::Year => "3",
            }
            .to_string(),
            e.kind.acled_event_type().to_string(),
            e.kind.acled_sub_event_type().to_string(),
            sit.by(e).next().map(|a| sit.actor_name(a).to_string()).unwrap_or_default(),
            names(sit.by(e).skip(1)),
            inter(sit.by(e)),
            sit.against(e).next().map(|a| sit.actor_name(a).to_string()).unwrap_or_default(),
            names(sit.against(e).skip(1)),
            inter(sit.against(e)),
            if civilians { "Civilian targeting".to_string() } else { String::new() },
            opt(|p| p.country.as_ref()),
            opt(|p| p.admin1.as_ref()),
            opt(|p| p.admin2.as_ref()),
            String::new(),
            sit.place_name(&e.place).to_string(),
            coord(place.and_then(|p| p.lat)),
            coord(place.and_then(|p| p.lon)),
            match place.map_or(GeoPrecision::Region, |p| p.geo_precision) {
                GeoPrecision::Town => "1",
                GeoPrecision::NearTown => "2",
                GeoPrecision::Region => "3",
            }
            .to_string(),
            sources.join("; "),
            e.summary(sit).into_owned(),
            event_killed(sit, e).map_or(0, |t| t.best).to_string(),
        ];
        writer.write_record(&record)?;
    }
    writer.flush()
}

/// The records the events refer to, so that the file stands alone: places (and the places
/// they lie in), actors, claims, their sources, the posts named, and the events that a shown
/// second report points to (without them it would be counted again).
struct Referenced {
    sources: Vec<usize>,
    actors: Vec<usize>,
    places: Vec<usize>,
    claims: Vec<bool>,
    /// Events (by position) whose row's own claim is referenced.
    row_claims: Vec<bool>,
    /// Claims read from notes (by number in `Situation::read`) that are referenced.
    read_claims: Vec<bool>,
    posts: Vec<usize>,
    /// Events outside the view that a second report in it refers to.
    originals: Vec<u32>,
}

fn referenced(sit: &Situation, events: &[u32]) -> Referenced {
    use rustc_hash::FxHashSet;
    let mut shown: FxHashSet<u32> = events.iter().copied().collect();
    let mut originals = Vec::new();
    for &i in events {
        if let Some(j) = sit.events[i as usize].written().same_incident_as.as_deref().and_then(|id| sit.event_index(id))
            && shown.insert(j as u32)
        {
            originals.push(j as u32);
        }
    }
    let mut places = vec![false; sit.places.len()];
    let mut actors = vec![false; sit.actors.len()];
    let mut claims = vec![false; sit.claims.len()];
    let mut posts = vec![false; sit.posts.len()];
    let mark = |map: &crate::domain::model::IdMap, seen: &mut [bool], id: &str| {
        if let Some(&i) = map.get(id) {
            seen[i] = true;
        }
    };
    let claim = |claims: &mut [bool], id: &str| {
        if let Some(i) = sit.claim_index(id) {
            claims[i] = true;
        }
    };
    let mut row_claims = vec![false; sit.events.len()];
    let mut read_claims = vec![false; sit.read.len()];
    let mut sources = vec![false; sit.sources.len()];
    for &i in events.iter().chain(&originals) {
        let e = &sit.events[i as usize];
        mark(&sit.index.places, &mut places, &e.place);
        for a in sit.by(e).chain(sit.against(e)).chain(e.written().casualties.iter().map(|c| c.group.as_str())) {
            mark(&sit.index.actors, &mut actors, a);
        }
        for c in e.written().claims.iter().chain(e.written().casualties.iter().flat_map(|c| &c.claims)) {
            claim(&mut claims, c);
        }
        if let Some(row) = e.row {
            row_claims[i as usize] = true;
            if let Some(s) = sources.get_mut(row.source as usize) {
                *s = true;
            }
        }
        for (k, _) in sit.read_casualties_of(e) {
            read_claims[k] = true;
        }
        for p in sit.posts_of(e).iter() {
            mark(&sit.index.posts, &mut posts, p);
        }
    }
    for (_, post) in sit.posts.iter().enumerate().filter(|(i, _)| posts[*i]) {
        mark(&sit.index.places, &mut places, &post.place);
        mark(&sit.index.actors, &mut actors, &post.operator);
        for c in post.framework_claims.iter().chain(post.history.iter().flat_map(|h| &h.written_claims)) {
            claim(&mut claims, c);
        }
        for k in post.history.iter().filter_map(|h| h.read) {
            if let Some(r) = read_claims.get_mut(k as usize) {
                *r = true;
            }
        }
    }
    // A place's larger places come too: `part_of` must resolve.
    for i in 0..places.len() {
        if !places[i] {
            continue;
        }
        let mut current = sit.places[i].part_of.as_deref();
        for _ in 0..sit.places.len() {
            let Some(&j) = current.and_then(|id| sit.index.places.get(id)) else { break };
            places[j] = true;
            current = sit.places[j].part_of.as_deref();
        }
    }
    for (_, c) in sit.claims.iter().enumerate().filter(|(i, _)| claims[*i]) {
        mark(&sit.index.sources, &mut sources, &c.source);
    }
    if read_claims.contains(&true) {
        mark(&sit.index.sources, &mut sources, crate::domain::read_claims::NOTES_SOURCE);
    }
    let picked = |seen: Vec<bool>| seen.into_iter().enumerate().filter(|(_, s)| *s).map(|(i, _)| i).collect();
    Referenced {
        sources: picked(sources),
        actors: picked(actors),
        places: picked(places),
        claims,
        row_claims,
        read_claims,
        posts: picked(posts),
        originals,
    }
}

fn write_lines(out: &mut impl Write, sit: &Situation, events: &[u32]) -> io::Result<()> {
    let r = referenced(sit, events);
    // Written field by field: a `json!` value per record would copy a million claims.
    macro_rules! tagged {
        ($tag:literal, $list:expr, $items:expr) => {
            for &i in &$list {
                out.write_all(concat!("{\"", $tag, "\":").as_bytes())?;
                serde_json::to_writer(&mut *out, &$items[i])?;
                out.write_all(b"}\n")?;
            }
        };
    }
    tagged!("source", r.sources, sit.sources);
    tagged!("actor", r.actors, sit.actors);
    tagged!("place", r.places, sit.places);
    for claim in sit.claims_in_order(&r.claims, |i| r.row_claims[i], |i| r.read_claims[i]) {
        out.write_all(b"{\"claim\":")?;
        serde_json::to_writer(&mut *out, &claim)?;
        out.write_all(b"}\n")?;
    }
    for &i in &r.posts {
        out.write_all(b"{\"post\":")?;
        serde_json::to_writer(&mut *out, &sit.post_record(&sit.posts[i]))?;
        out.write_all(b"}\n")?;
    }
    for &i in r.originals.iter().chain(events) {
        serde_json::to_writer(&mut *out, &sit.event_record(&sit.events[i as usize]))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Our document, borrowing every record from the situation.
#[derive(serde::Serialize)]
struct Document<'a> {
    format: &'static str,
    title: &'a str,
    as_of: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    sources: Vec<&'a crate::domain::model::Source>,
    actors: Vec<&'a crate::domain::model::Actor>,
    places: Vec<&'a crate::domain::model::Place>,
    claims: Vec<Cow<'a, crate::domain::model::Claim>>,
    events: Vec<Cow<'a, Event>>,
    posts: Vec<Cow<'a, crate::domain::model::ObservationPost>>,
}

fn write_document(out: &mut impl Write, sit: &Situation, events: &[u32], as_of: Option<Day>) -> io::Result<()> {
    let r = referenced(sit, events);
    let doc = Document {
        format: "sitdash/1",
        title: &sit.title,
        as_of,
        description: sit.description.as_deref(),
        sources: r.sources.iter().map(|&i| &sit.sources[i]).collect(),
        actors: r.actors.iter().map(|&i| &sit.actors[i]).collect(),
        places: r.places.iter().map(|&i| &sit.places[i]).collect(),
        claims: sit.claims_in_order(&r.claims, |i| r.row_claims[i], |i| r.read_claims[i]),
        events: r.originals.iter().chain(events).map(|&i| sit.event_record(&sit.events[i as usize])).collect(),
        posts: r.posts.iter().map(|&i| sit.post_record(&sit.posts[i])).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
