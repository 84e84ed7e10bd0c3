//! Reads situation files (our JSON document, or JSON Lines) into a [`Situation`]. Every
//! problem is reported as `file:line:column: what is wrong; what to do`. Strict by default:
//! one bad record refuses the load; lenient mode skips bad records and says which and why.

use std::path::Path;
use std::sync::atomic::Ordering;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::domain::model::{Actor, Claim, Day, DisplacementSeries, Event, ObservationPost, Place, Situation, Source};
use crate::domain::text::clean_in_place;
use crate::ingest::input::{
    Collection, Diagnostic, InputFile, InputFormat, LoadError, LoadOptions, LoadReport, Origin, Phase, Progress,
    Staged, Staging,
};
use crate::ingest::locate::{Seg, first_key, locate};
use crate::ingest::validate;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document<'a> {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    as_of: Option<Day>,
    #[serde(default)]
    description: Option<String>,
    #[serde(borrow, default)]
    sources: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    actors: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    places: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    claims: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    events: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    displacement: Vec<&'a RawValue>,
    #[serde(borrow, default)]
    posts: Vec<&'a RawValue>,
}

/// One line of a JSON Lines file that is not a bare event.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Tagged {
    Source(Source),
    Actor(Actor),
    Place(Place),
    Claim(Claim),
    Event(Event),
    Series(DisplacementSeries),
    Post(ObservationPost),
}

const NOT_AN_OBJECT_LINE: &str =
    "this line is an array; each line of a JSON Lines file is one object {…} (see docs/FORMAT.md)";
const NOT_AN_OBJECT_ENTRY: &str = "this entry is an array; each entry of a list is one object {…} (see docs/FORMAT.md)";
const NOT_AN_OBJECT_DOCUMENT: &str =
    "the file is an array; a situation file is one JSON object {…} (see docs/FORMAT.md)";

const TAGS: &[&str] = &["source", "actor", "place", "claim", "event", "series", "post"];

struct Reader<'s> {
    staging: &'s mut Staging,
    progress: &'s Progress,
    /// Bytes of the files before the current one, for progress.
    base: u64,
    problems: Vec<Diagnostic>,
    /// Records that could not be parsed (they count as read and skipped).
    unparsed: usize,
}

impl Reader<'_> {
    fn element<T: serde::de::DeserializeOwned>(
        &mut self,
        files: &[InputFile],
        file: usize,
        raw: &RawValue,
    ) -> Option<Staged<T>> {
        let input = &files[file];
        let offset = (raw.get().as_ptr() as usize).saturating_sub(input.text.as_ptr() as usize);
        if raw.get().starts_with('[') {
            self.problems.push(input.diagnostic(offset, NOT_AN_OBJECT_ENTRY));
            self.unparsed += 1;
            return None;
        }
        match serde_json::from_str::<T>(raw.get()) {
            Ok(item) => Some(Staged { item, origin: Origin { file, offset } }),
            Err(err) => {
                self.problems.push(input.serde_diagnostic(offset, &err));
                self.unparsed += 1;
                None
            }
        }
    }

    fn document(&mut self, files: &[InputFile], file: usize) -> Result<(), Diagnostic> {
        let input = &files[file];
        if input.text.trim_start().starts_with('[') {
            return Err(input.diagnostic(input.text.len() - input.text.trim_start().len(), NOT_AN_OBJECT_DOCUMENT));
        }
        let doc: Document<'_> = serde_json::from_str(&input.text).map_err(|err| input.serde_diagnostic(0, &err))?;
        if let Some(format) = &doc.format
            && format != "sitdash/1"
        {
            return Err(input.at(
                0,
                &[Seg::Key("format")],
                format!("unknown format `{format}`; this version of sitdash reads \"sitdash/1\""),
            ));
        }
        if self.staging.title.is_none() {
            self.staging.title.clone_from(&doc.title);
            self.staging.description.clone_from(&doc.description);
        }
        self.staging.as_of = self.staging.as_of.max(doc.as_of);
        macro_rules! stage {
            ($field:ident) => {
                for raw in &doc.$field {
                    if let Some(staged) = self.element(files, file, raw) {
                        self.staging.$field.push(staged);
                    }
                    let offset = (raw.get().as_ptr() as usize).saturating_sub(input.text.as_ptr() as usize);
                    self.progress.advance(self.base, offset, (self.staging.len() + self.unparsed) as u64);
                }
            };
        }
        stage!(sources);
        stage!(actors);
        stage!(places);
        stage!(claims);
        stage!(events);
        stage!(displacement);
        stage!(posts);
        Ok(())
    }

    fn lines(&mut self, files: &[InputFile], file: usize) {
        let input = &files[file];
        let mut offset = 0;
        for line in input.text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            if start & 0xffff < line.len() {
                self.progress.advance(self.base, start, (self.staging.len() + self.unparsed) as u64);
            }
            let body = line.trim_end_matches(['\n', '\r']);
            if body.trim().is_empty() {
                continue;
            }
            // An array parses as a record too (serde reads a struct from a sequence), which
            // would name a field nobody wrote: say what the line should be instead.
            if body.trim_start().starts_with('[') {
                let at = start + body.len() - body.trim_start().len();
                self.problems.push(input.diagnostic(at, NOT_AN_OBJECT_LINE));
                self.unparsed += 1;
                continue;
            }
            let origin = Origin { file, offset: start };
            // A tag's value is an object; a bare event may also start with `"place": "…"`.
            let tagged = first_key(body, 0).is_some_and(|k| {
                TAGS.contains(&k)
                    && locate(body, 0, &[Seg::Key(k)])
                        .and_then(|key| body[key..].find(':').map(|c| key + c + 1))
                        .is_some_and(|value| body[value..].trim_start().starts_with('{'))
            });
            let parsed = if tagged {
                serde_json::from_str::<Tagged>(body).map(|t| {
                    // Offsets point at the inner object, where the record's fields are.
                    let inner = first_key(body, 0)
                        .and_then(|k| locate(body, 0, &[Seg::Key(k)]))
                        .and_then(|key| body[key..].find(':').map(|c| start + key + c + 1))
                        .unwrap_or(start);
                    (t, Origin { file, offset: inner })
                })
            } else {
                serde_json::from_str::<Event>(body).map(|e| (Tagged::Event(e), origin))
            };
            match parsed {
                Ok((record, origin)) => self.push(record, origin),
                Err(err) => {
                    self.problems.push(input.serde_diagnostic(start, &err));
                    self.unparsed += 1;
                }
            }
        }
    }

    fn push(&mut self, record: Tagged, origin: Origin) {
        let s = &mut *self.staging;
        match record {
            Tagged::Source(item) => s.sources.push(Staged { item, origin }),
            Tagged::Actor(item) => s.actors.push(Staged { item, origin }),
            Tagged::Place(item) => s.places.push(Staged { item, origin }),
            Tagged::Claim(item) => s.claims.push(Staged { item, origin }),
            Tagged::Event(item) => s.events.push(Staged { item, origin }),
            Tagged::Series(item) => s.displacement.push(Staged { item, origin }),
            Tagged::Post(item) => s.posts.push(Staged { item, origin }),
        }
    }
}

/// Reads the JSON Lines of `files[file]` into `staging` (an appended part of a file, read on
/// its own); returns the problems of the lines that do not parse.
pub(crate) fn read_lines_into(files: &[InputFile], file: usize, staging: &mut Staging) -> Vec<Diagnostic> {
    let progress = Progress::default();
    let mut reader = Reader { staging, progress: &progress, base: 0, problems: Vec::new(), unparsed: 0 };
    reader.lines(files, file);
    reader.problems
}

fn reader_base_total(inputs: &[InputFile]) -> u64 {
    inputs.iter().map(|i| i.len() as u64).sum()
}

/// Loads files from disk together (a base situation plus appended JSON Lines).
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_paths(paths: &[impl AsRef<Path>], options: LoadOptions) -> Result<(Situation, LoadReport), LoadError> {
    load_paths_with(paths, options, &Progress::default())
}

/// [`load_paths`], reporting how far it has got.
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_paths_with(
    paths: &[impl AsRef<Path>],
    options: LoadOptions,
    progress: &Progress,
) -> Result<(Situation, LoadReport), LoadError> {
    let total: u64 = paths.iter().filter_map(|p| std::fs::metadata(p.as_ref()).ok()).map(|m| m.len()).sum();
    progress.total.store(total, Ordering::Relaxed);
    progress.set_phase(Phase::Reading);
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match crate::ingest::unpack::read_path(path.as_ref(), options) {
            Ok(read) => inputs.extend(read),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }
    // What is read is the unpacked text, which a compressed file's size on disk undercounts.
    progress.total.store(reader_base_total(&inputs), Ordering::Relaxed);
    load_owned_with(inputs, options, progress)
}

/// Loads one text (the embedded data set, or a test fixture).
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_str(name: &str, text: &str, options: LoadOptions) -> Result<(Situation, LoadReport), LoadError> {
    load_bytes(name, text.as_bytes().to_vec(), options)
}

/// Loads one input's bytes, unpacked as their content says (gzip, zip, a spreadsheet, an
/// ACLED API answer, or text).
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_bytes(name: &str, bytes: Vec<u8>, options: LoadOptions) -> Result<(Situation, LoadReport), LoadError> {
    let inputs =
        crate::ingest::unpack::decode(name, bytes, options, None, 0).map_err(|d| LoadError { problems: vec![d] })?;
    load_owned_with(inputs, options, &Progress::default())
}

/// Parses, validates, cleans and indexes the inputs.
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_inputs(inputs: &[InputFile], options: LoadOptions) -> Result<(Situation, LoadReport), LoadError> {
    load_inputs_with(inputs, options, &Progress::default())
}

/// [`load_inputs`], reporting how far it has got.
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_inputs_with(
    inputs: &[InputFile],
    options: LoadOptions,
    progress: &Progress,
) -> Result<(Situation, LoadReport), LoadError> {
    let staged = stage_inputs(inputs, options, progress)?;
    progress.set_phase(Phase::Indexing);
    Ok(staged.build())
}

/// [`load_inputs_with`], taking the inputs: their text, needed only to say where problems
/// are, is freed once the records are checked, before the situation is built (a large file's
/// text and its finished records are then never in memory at once).
///
/// # Errors
/// Every problem found, when the input is refused.
pub fn load_owned_with(
    inputs: Vec<InputFile>,
    options: LoadOptions,
    progress: &Progress,
) -> Result<(Situation, LoadReport), LoadError> {
    let staged = stage_inputs(&inputs, options, progress)?;
    drop(inputs);
    progress.set_phase(Phase::Indexing);
    Ok(staged.build())
}

/// Records read and checked, with the report of the load, before the situation is built.
struct Checked {
    staging: Staging,
    fallback_title: String,
    report: LoadReport,
}

impl Checked {
    fn build(self) -> (Situation, LoadReport) {
        (build(self.staging, self.fallback_title), self.report)
    }
}

fn stage_inputs(inputs: &[InputFile], options: LoadOptions, progress: &Progress) -> Result<Checked, LoadError> {
    progress.set_phase(Phase::Parsing);
    let mut staging = Staging::default();
    let mut reader = Reader { staging: &mut staging, progress, base: 0, problems: Vec::new(), unparsed: 0 };
    // Records an import makes up (places, actors, sources, claims) are not records read.
    let mut derived = 0;
    let mut warnings = Vec::new();
    let mut odd = Vec::new();
    for (file, input) in inputs.iter().enumerate() {
        warnings.extend(input.notes.iter().cloned());
        let format = input.format(options.format);
        reader.base = inputs[..file].iter().map(|i| i.len() as u64).sum();
        match format {
            InputFormat::JsonLines => reader.lines(inputs, file),
            InputFormat::Acled | InputFormat::Ucdp => {
                match crate::ingest::import::stage(
                    format,
                    inputs,
                    file,
                    reader.staging,
                    options,
                    (progress, reader.base),
                ) {
                    Ok(report) => {
                        reader.problems.extend(report.problems);
                        reader.unparsed += report.skipped;
                        // Claims kept in their rows are not staged records.
                        derived += report.derived - report.kept_in_rows;
                        warnings.extend(report.warnings);
                        odd.extend(report.odd);
                    }
                    Err(d) => return Err(LoadError { problems: vec![d] }),
                }
            }
            InputFormat::Situation | InputFormat::Auto => {
                if let Err(d) = reader.document(inputs, file) {
                    // A file that is not a situation at all cannot be partly loaded.
                    return Err(LoadError { problems: vec![d] });
                }
            }
        }
    }
    let mut problems = reader.problems;
    let unparsed = reader.unparsed;
    let read = staging.len() + unparsed - derived;

    progress.advance(reader_base_total(inputs), 0, read as u64);
    progress.set_phase(Phase::Validating);
    // Skipping a record can orphan others that refer to it, so validate until stable.
    for _round in 0..16 {
        let found = validate::validate(&staging, inputs);
        if found.is_empty() {
            break;
        }
        if !options.skip_invalid {
            problems.extend(found.into_iter().map(|(_, d)| d));
            break;
        }
        let doomed: Vec<(Collection, usize)> = found.iter().map(|(r, _)| *r).collect();
        problems.extend(found.into_iter().map(|(_, d)| d));
        staging.remove(&doomed);
    }
    if !options.skip_invalid && !problems.is_empty() {
        return Err(LoadError { problems });
    }
    let loaded = staging.len().saturating_sub(derived);
    let fallback_title = inputs.first().map(|i| i.name.clone()).unwrap_or_default();
    Ok(Checked {
        staging,
        fallback_title,
        report: LoadReport { read, loaded, skipped: read - loaded, problems, warnings, odd },
    })
}

fn build(staging: Staging, fallback_title: String) -> Situation {
    fn items<T>(staged: Vec<Staged<T>>) -> Vec<T> {
        // Collected in place, the records keep the staged buffer, which held their origins
        // too: an eighth of the events' room (16 MB at a million) would stay unused.
        let mut items: Vec<T> = staged.into_iter().map(|s| s.item).collect();
        items.shrink_to_fit();
        items
    }
    let event_ids = staging.event_ids;
    let mut sit = Situation {
        title: staging.title.unwrap_or(fallback_title),
        as_of: staging.as_of,
        description: staging.description,
        sources: items(staging.sources),
        actors: items(staging.actors),
        places: items(staging.places),
        claims: items(staging.claims),
        events: items(staging.events),
        displacement: items(staging.displacement),
        posts: items(staging.posts),
        note_store: staging.notes,
        read: crate::domain::model::ReadClaims::default(),
        ucdp_rows: staging.ucdp_rows,
        index: crate::domain::model::Index::default(),
    };
    clean_strings(&mut sit);
    if sit.as_of.is_none() {
        sit.as_of = sit.events.iter().map(|e| e.span().end).max();
    }
    // The import's table of the events' ids, checked by validation, moves with the sort.
    sit.reindex_given(event_ids);
    // In event order, after the sort: the search then reads the notes in the order it
    // reads the events.
    sit.store_notes();
    sit
}

/// Every string that can reach the screen loses its control characters here, once.
pub(crate) fn clean_strings(sit: &mut Situation) {
    fn opt(s: &mut Option<String>) {
        if let Some(s) = s {
            clean_in_place(s);
        }
    }
    fn all(v: &mut [String]) {
        v.iter_mut().for_each(clean_in_place);
    }
    clean_in_place(&mut sit.title);
    opt(&mut sit.description);
    for s in &mut sit.sources {
        clean_in_place(&mut s.publisher);
        opt(&mut s.title);
        opt(&mut s.url);
        opt(&mut s.note);
    }
    for a in &mut sit.actors {
        clean_in_place(&mut a.name);
        all(&mut a.alt_names);
    }
    for p in &mut sit.places {
        clean_in_place(&mut p.name);
        all(&mut p.alt_names);
        opt(&mut p.country);
        opt(&mut p.admin1);
        opt(&mut p.admin2);
        opt(&mut p.note);
    }
    let claims = |claims: &mut [Claim]| {
        for c in claims {
            clean_in_place(&mut c.attributed_to);
            clean_in_place(&mut c.statement);
            opt(&mut c.unit);
            opt(&mut c.note);
            opt(&mut c.quote);
            opt(&mut c.context);
            if let Some(count) = &mut c.count {
                opt(&mut count.raw);
            }
        }
    };
    let events = |events: &mut [Event]| {
        for e in events {
            if let Some(written) = &mut e.written {
                clean_in_place(&mut written.summary);
                opt(&mut written.notes);
            }
        }
    };
    // The claims and the events, which are most of a large load, side by side.
    if sit.events.len() > crate::domain::index::PARALLEL_EVENTS {
        std::thread::scope(|scope| {
            scope.spawn(|| claims(&mut sit.claims));
            events(&mut sit.events);
        });
    } else {
        claims(&mut sit.claims);
        events(&mut sit.events);
    }
    for s in &mut sit.displacement {
        opt(&mut s.note);
    }
    for p in &mut sit.posts {
        clean_in_place(&mut p.name);
        all(&mut p.alt_names);
        opt(&mut p.framework);
        opt(&mut p.note);
        for h in &mut p.history {
            opt(&mut h.written_note);
        }
    }
}
