//! The reader proper: an article's header and date, then sentence by sentence and clause by
//! clause, what happened, when, who, where, how many, and who says so; then one document.
// The reader's steps are methods of one article's state even when a step needs none of it,
// so that they read in order; short names are dates and counts inside one formula.
#![allow(clippy::unused_self, clippy::many_single_char_names, clippy::self_only_used_in_recursion)]

use rustc_hash::{FxHashMap, FxHashSet};

use crate::domain::model::{
    Actor, Casualties, Claim, Count, DatePrecision, Day, DisplacementSeries, Event, EventStatus, GeoPrecision, Kind,
    ObservationPost, Outcome, Place, PostStatus, PostStatusChange, Qualifier, SeriesKind, SeriesValue, Situation,
    Source, Written,
};
use crate::domain::text::fold;
use crate::ingest::extract::actors::{self, COUNTRIES, Mention, Referent, Role};
use crate::ingest::extract::dates::{self, DateRef};
use crate::ingest::extract::lexicon::{self, Cue, Harm, PersonKind};
use crate::ingest::extract::numbers::{self, NumberPhrase};
use crate::ingest::extract::places::{self, Gazetteer};
use crate::ingest::extract::text::{self, CharCounter, Word};
use crate::ingest::extract::{Article, Document, ExtractError};

/// Reads articles against what is already loaded (its places and actors).
pub struct Reader<'a> {
    loaded: Option<&'a Situation>,
    loaded_places: Gazetteer,
    /// Folded names and alternative names of loaded actors, to their ids.
    loaded_actors: FxHashMap<String, String>,
    /// Folded names and alternative names of loaded places, to their ids.
    loaded_place_names: FxHashMap<String, String>,
}

/// How many sentences of an article are read for events (later ones are mostly history and
/// speculation); figures and post statuses are read in every sentence.
const EVENT_SENTENCES: usize = 60;

impl<'a> Reader<'a> {
    #[must_use]
    pub fn new(loaded: Option<&'a Situation>) -> Reader<'a> {
        let loaded_places = loaded.map(Gazetteer::of_situation).unwrap_or_default();
        let mut loaded_actors = FxHashMap::default();
        let mut loaded_place_names = FxHashMap::default();
        if let Some(sit) = loaded {
            for a in &sit.actors {
                loaded_actors.insert(fold(&a.name), a.id.clone());
                loaded_actors.insert(fold(&a.id), a.id.clone());
                for alt in &a.alt_names {
                    loaded_actors.entry(fold(alt)).or_insert_with(|| a.id.clone());
                }
            }
        }
        if let Some(sit) = loaded {
            for p in &sit.places {
                for name in std::iter::once(&p.name).chain(&p.alt_names) {
                    loaded_place_names.entry(fold(name)).or_insert_with(|| p.id.clone());
                }
            }
        }
        Reader { loaded, loaded_places, loaded_actors, loaded_place_names }
    }

    /// Reads every article into one document.
    ///
    /// # Errors
    /// An article with no date.
    pub fn read(&self, articles: &[Article]) -> Result<Document, ExtractError> {
        let mut out = Output::default();
        for article in articles {
            self.read_one(article, &mut out)?;
        }
        Ok(out.finish(articles.len()))
    }

    fn read_one(&self, article: &Article, out: &mut Output) -> Result<(), ExtractError> {
        let cleaned = text::clean_article(&article.text);
        let header = Header::read(&cleaned);
        let date = article
            .date
            .or(header.date)
            .or_else(|| cleaned[header.body..].lines().take(12).find_map(dates::dateline))
            .ok_or_else(|| ExtractError::NoDate { name: article.name.clone() })?;
        let publisher =
            article.source.clone().or_else(|| header.outlet.clone()).unwrap_or_else(|| "unnamed outlet".to_string());
        let sentences = text::sentences(&cleaned[header.body..]);
        let sentences: Vec<text::Sentence> = sentences
            .into_iter()
            .map(|s| text::Sentence { start: s.start + header.body, end: s.end + header.body })
            .collect();
        let title = header
            .title
            .clone()
            .or_else(|| sentences.first().map(|s| cleaned[s.start..s.end].to_string()).filter(|t| t.len() < 250));
        let hash = short_hash(&cleaned);
        let source_id = format!("src-{hash}");
        out.sources.push(Source {
            id: source_id.clone(),
            publisher: publisher.clone(),
            title: title.clone(),
            published: Some(date),
            url: header.url.clone(),
            note: Some(format!("Read by sitdash extract from {}.", article.name)),
        });
        out.as_of = out.as_of.max(Some(date));
        if out.title.is_none() {
            out.title.clone_from(&title);
        }
        let mut ar = ArticleRead {
            reader: self,
            text: &cleaned,
            date,
            source: source_id,
            publisher,
            prefix: format!("x{hash}"),
            home: None,
            region: None,
            chars: CharCounter::new(&cleaned),
            out,
            drafts: Vec::new(),
            series: Vec::new(),
            series_index: FxHashMap::default(),
            series_by_area: FxHashMap::default(),
            posts: Vec::new(),
            claim_n: 0,
            last_attribution: None,
            title_end: title.as_ref().and_then(|_| sentences.first().map(|s| s.end)),
        };
        let all_words: Vec<Vec<Word>> = sentences.iter().map(|s| text::words(&cleaned, s.start, s.end)).collect();
        ar.home = ar.home_country(&all_words);
        ar.region = ar.main_region(&all_words);
        for (k, (s, ws)) in sentences.iter().zip(&all_words).enumerate() {
            ar.sentence(k, *s, ws);
        }
        ar.finish();
        Ok(())
    }
}

/// A short, stable hash of the text, so that ids from different articles never meet.
fn short_hash(text: &str) -> String {
    use std::hash::BuildHasher;
    let h = rustc_hash::FxBuildHasher.hash_one(text);
    format!("{:06x}", h & 0xff_ffff)
}

/// The optional `Title:`/`Date:`/`Outlet:`/`Source:` block at the top of an article.
#[derive(Default)]
struct Header {
    title: Option<String>,
    date: Option<Day>,
    outlet: Option<String>,
    url: Option<String>,
    /// Byte offset where the body starts.
    body: usize,
}

impl Header {
    fn read(text: &str) -> Header {
        let mut h = Header::default();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim();
            let Some((key, value)) = trimmed.split_once(':') else { break };
            let value = value.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "title" | "headline" => h.title = Some(value.to_string()),
                "date" | "published" => {
                    h.date = Day::parse(value.get(..10).unwrap_or(value)).ok().or_else(|| dates::dateline(value));
                }
                "outlet" | "source" | "publisher" => h.outlet = Some(value.to_string()),
                "url" | "link" => h.url = Some(value.to_string()),
                "author" | "by" | "id" => {}
                _ => break,
            }
            offset += line.len();
        }
        h.body = offset;
        h
    }
}

/// What an event was reported as, before merging mentions.
#[derive(Debug, Clone)]
struct Draft {
    kind: Kind,
    status: EventStatus,
    date: Day,
    precision: DatePrecision,
    end: Option<Day>,
    by: Vec<String>,
    against: Vec<String>,
    place: String,
    claims: Vec<String>,
    casualties: Vec<Casualties>,
    posts: Vec<String>,
    sentence: usize,
    in_title: bool,
    notes: Vec<String>,
}

#[derive(Debug, Clone)]
struct SeriesDraft {
    area: String,
    baseline: Option<Day>,
    as_of: Day,
    claims: Vec<(String, Count, bool)>,
    part_of: Option<usize>,
    note: Option<String>,
    stock: bool,
}

#[derive(Debug, Clone)]
struct PostDraft {
    id: String,
    name: String,
    operator: String,
    place: String,
    history: Vec<PostStatusChange>,
    note: Option<String>,
}

/// Everything read so far, across articles.
#[derive(Default)]
struct Output {
    title: Option<String>,
    as_of: Option<Day>,
    sources: Vec<Source>,
    actors: Vec<Actor>,
    actor_ids: FxHashSet<String>,
    places: Vec<Place>,
    /// Position of each place in `places`, by id.
    place_index: FxHashMap<String, usize>,
    claims: Vec<Claim>,
    events: Vec<Event>,
    displacement: Vec<DisplacementSeries>,
    posts: Vec<ObservationPost>,
}

impl Output {
    fn place(&self, id: &str) -> Option<&Place> {
        self.place_index.get(id).map(|&i| &self.places[i])
    }

    /// Keeps only the places and actors that records refer to (the reader meets many more
    /// names than it uses), with the regions those places lie in.
    fn prune(&mut self) {
        let mut places: FxHashSet<String> = FxHashSet::default();
        places.extend(self.events.iter().map(|e| e.place.to_string()));
        places.extend(self.displacement.iter().map(|s| s.area.clone()));
        places.extend(self.posts.iter().map(|p| p.place.clone()));
        loop {
            let parents: Vec<String> = self
                .places
                .iter()
                .filter(|p| places.contains(&p.id))
                .filter_map(|p| p.part_of.clone())
                .filter(|id| !places.contains(id))
                .collect();
            if parents.is_empty() {
                break;
            }
            places.extend(parents);
        }
        self.places.retain(|p| places.contains(&p.id));
        let ids: FxHashSet<&str> = self.places.iter().map(|p| p.id.as_str()).collect();
        let kept: Vec<Place> = self
            .places
            .iter()
            .cloned()
            .map(|mut p| {
                if p.part_of.as_deref().is_some_and(|id| !ids.contains(id)) {
                    p.part_of = None;
                }
                p
            })
            .collect();
        self.places = kept;
        let mut actors: FxHashSet<String> = FxHashSet::default();
        for e in &self.events {
            actors.extend(e.written().by.iter().cloned());
            actors.extend(e.written().against.iter().cloned());
            actors.extend(e.written().casualties.iter().map(|c| c.group.clone()));
        }
        actors.extend(self.posts.iter().map(|p| p.operator.clone()));
        self.actors.retain(|a| actors.contains(&a.id));
    }

    fn finish(mut self, articles: usize) -> Document {
        self.prune();
        Document {
            format: "sitdash/1",
            title: self.title,
            as_of: self.as_of,
            description: Some(format!(
                "Read by sitdash extract from {articles} article(s): rules and lexicons, no model. Every figure is a claim with the article's exact words."
            )),
            sources: self.sources,
            actors: self.actors,
            places: self.places,
            claims: self.claims,
            events: self.events,
            displacement: self.displacement,
            posts: self.posts,
        }
    }
}

/// One clause of a sentence: its words `first..end`.
#[derive(Debug, Clone, Copy)]
struct Clause {
    first: usize,
    end: usize,
}

/// Who the article credits for a sentence, and the words that say so.
#[derive(Debug, Clone)]
struct Attribution {
    who: String,
    first: usize,
    end: usize,
    date: Option<DateRef>,
}

struct ArticleRead<'r, 'a> {
    reader: &'r Reader<'a>,
    text: &'r str,
    date: Day,
    source: String,
    publisher: String,
    prefix: String,
    home: Option<usize>,
    /// The place id of the article's main region, once known.
    region: Option<String>,
    chars: CharCounter<'r>,
    out: &'r mut Output,
    drafts: Vec<Draft>,
    series: Vec<SeriesDraft>,
    /// Series by (area, stock, number, baseline), for a figure told again.
    series_index: FxHashMap<(String, bool, u64, Option<Day>), usize>,
    /// Series by area, in the order read.
    series_by_area: FxHashMap<String, Vec<usize>>,
    posts: Vec<PostDraft>,
    claim_n: usize,
    last_attribution: Option<String>,
    title_end: Option<usize>,
}

const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "on",
    "near",
    "outside",
    "around",
    "of",
    "inside",
    "into",
    "across",
    "from",
    "towards",
    "toward",
    "west",
    "east",
    "north",
    "south",
    "targeting",
    "hit",
    "struck",
];

const PRONOUNS: &[&str] = &[
    "he",
    "she",
    "they",
    "it",
    "the source",
    "the official",
    "the spokesman",
    "the spokesperson",
    "the ministry",
    "the monitor",
    "the agency",
    "officials",
    "the group",
    "the army",
    "the military",
];

const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "reported",
    "reports",
    "claimed",
    "claims",
    "added",
    "announced",
    "stated",
    "confirmed",
    "alleged",
    "emphasised",
    "emphasized",
    "insisted",
    "stressed",
    "noted",
    "tweeted",
    "wrote",
];

impl ArticleRead<'_, '_> {
    /// The country the article is about: where its places are, else the country it names most.
    fn home_country(&self, all: &[Vec<Word>]) -> Option<usize> {
        let mut votes = vec![0usize; COUNTRIES.len()];
        let shipped = Gazetteer::shipped();
        for ws in all {
            for i in 0..ws.len() {
                if let Some(c) = actors::country_word(ws, i) {
                    votes[c] += 1;
                    if i > 0 && matches!(ws[i - 1].lower.as_str(), "in" | "across") {
                        votes[c] += 3;
                    }
                }
                let locative = i > 0 && LOCATIVE.contains(&ws[i - 1].lower.as_str());
                let w = ws[i].lower.as_str();
                let stop = STOP_CAPITALS.contains(&w) || dates::month_of(w).is_some() || dates::weekday_of(w).is_some();
                if ws[i].capital && locative && !stop {
                    for (e, _) in shipped.lookup(ws, i).into_iter().take(3) {
                        if let Some(c) = shipped.iso(e).and_then(|iso| COUNTRIES.iter().position(|c| c.iso == iso)) {
                            votes[c] += 2;
                        }
                    }
                }
            }
        }
        let best = votes.iter().enumerate().max_by_key(|&(i, v)| (*v, std::cmp::Reverse(i)))?;
        (*best.1 > 0).then_some(best.0)
    }

    /// The first-level region most of the article's towns lie in, as a place id.
    fn main_region(&mut self, all: &[Vec<Word>]) -> Option<String> {
        let mut counts: FxHashMap<String, usize> = FxHashMap::default();
        for ws in all {
            let mut i = 0;
            while i < ws.len() {
                if let Some((pid, end)) = self.place_at(ws, i, false) {
                    if let Some(region) = self.region_of(&pid) {
                        *counts.entry(region).or_default() += 1;
                    }
                    i = end;
                } else {
                    i += 1;
                }
            }
        }
        counts.into_iter().max_by_key(|(id, n)| (*n, std::cmp::Reverse(id.clone()))).map(|(id, _)| id)
    }

    /// The region a place lies in (its `part_of`, or the place itself when it is a region).
    fn region_of(&self, id: &str) -> Option<String> {
        if let Some(sit) = self.reader.loaded
            && let Some(p) = sit.place(id)
        {
            return match p.geo_precision {
                GeoPrecision::Region => Some(p.id.clone()),
                _ => p.part_of.clone(),
            };
        }
        let p = self.out.place(id)?;
        match p.geo_precision {
            GeoPrecision::Region if p.admin1.is_some() => Some(p.id.clone()),
            _ => p.part_of.clone(),
        }
    }

    fn sentence(&mut self, k: usize, s: text::Sentence, ws: &[Word]) {
        if ws.is_empty() {
            return;
        }
        let sentence_text = &self.text[s.start..s.end];
        // Captions and links to other stories are not reports.
        if sentence_text.ends_with(']')
            || sentence_text.starts_with("Comment:")
            || sentence_text.starts_with("Follow us")
        {
            return;
        }
        let attribution = self.attribution(ws);
        let who = attribution.as_ref().map_or_else(|| self.publisher.clone(), |a| a.who.clone());
        let in_title = self.title_end.is_some_and(|e| s.end <= e);
        for clause in clauses(ws) {
            let (from, to) = match &attribution {
                Some(a) if a.first <= clause.first && a.end >= clause.end => continue,
                Some(a) if a.first <= clause.first && a.end > clause.first => (a.end, clause.end),
                Some(a) if a.first < clause.end && a.first > clause.first => (clause.first, a.first),
                _ => (clause.first, clause.end),
            };
            if from >= to {
                continue;
            }
            self.clause(k, s, ws, from, to, &who, attribution.as_ref(), in_title);
        }
    }

    /// Who the sentence is credited to: "X said", "according to X", ", X told Reuters."
    fn attribution(&mut self, ws: &[Word]) -> Option<Attribution> {
        let text = self.text;
        let span = |a: usize, b: usize| text[ws[a].start..ws[b - 1].end].to_string();
        // "according to X"
        for i in 0..ws.len().saturating_sub(2) {
            if ws[i].is("according") && ws[i + 1].is("to") {
                let end = self.phrase_end(ws, i + 2, 10);
                if end > i + 2 {
                    let who = span(i + 2, end);
                    return Some(self.named(who, i, end, ws));
                }
            }
        }
        // Reporting verb: "X said (that) …" near the start, or ", X said." at the end.
        for (i, w) in ws.iter().enumerate() {
            if !REPORTING.contains(&w.lower.as_str()) {
                continue;
            }
            // The subject: back to the start, a comma, a quote or a conjunction.
            let mut start = i;
            while start > 0 {
                let prev_end = ws[start - 1].end;
                let gap = &text[prev_end..ws[start].start];
                if gap.contains(',') || gap.contains('"') || gap.contains(';') || i - start >= 12 {
                    break;
                }
                if matches!(ws[start - 1].lower.as_str(), "but" | "and" | "meanwhile" | "that" | "while") {
                    break;
                }
                start -= 1;
            }
            if start == i {
                // "said X" after a quote: ", said Mevlut Cavusoglu."
                if i + 1 < ws.len() && ws[i + 1].capital {
                    let end = self.phrase_end(ws, i + 1, 6);
                    let who = span(i + 1, end);
                    return Some(self.named(who, i, ws.len(), ws));
                }
                continue;
            }
            // Skip a leading "Reports from".
            let mut who_start = start;
            if ws[start].is("reports") && ws.get(start + 1).is_some_and(|x| x.is("from")) {
                who_start = start + 2;
            }
            if who_start >= i {
                continue;
            }
            let mut end = i + 1;
            // "told Reuters", "told reporters in Ankara": the audience goes with the attribution.
            if w.is("told") {
                end = self.phrase_end(ws, i + 1, 6).max(i + 1);
            }
            let mut date = None;
            if let Some(d) = dates::find_date(ws, end, (end + 3).min(ws.len()), self.date, false)
                && (d.first == end || (d.first == end + 1 && ws[end].is("on")))
            {
                end = d.end_word;
                date = Some(d);
            }
            if ws.get(end).is_some_and(|x| x.is("that")) {
                end += 1;
            }
            let at_end = end >= ws.len()
                || (ws.len() - end <= 4 && !self.text[ws[end - 1].end..ws[ws.len() - 1].end].contains(','));
            let at_start =
                start == 0 || ws[..start].iter().all(|x| matches!(x.lower.as_str(), "but" | "and" | "meanwhile"));
            if !(at_end || at_start) {
                continue;
            }
            let who = span(who_start, i);
            let subject_first = if at_end { start } else { 0 };
            let mut a = self.named(who, subject_first, if at_end { ws.len() } else { end }, ws);
            if a.date.is_none() {
                a.date = date;
            }
            return Some(a);
        }
        None
    }

    /// An attribution with a name; a pronoun takes the last one named.
    fn named(&mut self, who: String, first: usize, end: usize, _ws: &[Word]) -> Attribution {
        let lower = who.to_lowercase();
        let who = if PRONOUNS.contains(&lower.as_str()) || lower.starts_with("the source") {
            self.last_attribution.clone().unwrap_or(who)
        } else {
            let w = who.trim_start_matches("The ").trim_start_matches("the ").to_string();
            let w = if w.is_empty() { who } else { w };
            self.last_attribution = Some(w.clone());
            w
        };
        Attribution { who, first, end, date: None }
    }

    /// One past the last word of a short name phrase starting at `i` (to a comma or a verb).
    fn phrase_end(&self, ws: &[Word], i: usize, max: usize) -> usize {
        let mut j = i;
        while j < ws.len() && j - i < max {
            if j > i {
                let gap = &self.text[ws[j - 1].end..ws[j].start];
                if gap.contains(',') || gap.contains('.') || gap.contains('"') {
                    break;
                }
            }
            if j > i && matches!(ws[j].lower.as_str(), "that" | "said" | "on" | "and" | "as" | "after" | "when" | "who")
            {
                break;
            }
            j += 1;
        }
        j
    }

    #[allow(clippy::too_many_arguments)]
    fn clause(
        &mut self,
        k: usize,
        s: text::Sentence,
        ws: &[Word],
        from: usize,
        to: usize,
        who: &str,
        attribution: Option<&Attribution>,
        in_title: bool,
    ) {
        let cue_table = lexicon::cues();
        let cues = cue_table.all(ws, from, to);
        let has = |c: Cue| cues.iter().any(|&(x, _, _)| x == c);
        let negated = !lexicon::negation().all(ws, from, to).is_empty();
        let past_year = dates::past_year(ws, from, to, self.date).is_some();
        let background_words = !lexicon::background().all(ws, from, to).is_empty();
        let announced = !lexicon::announced().all(ws, from, to).is_empty();
        let planned = !lexicon::planned().all(ws, from, to).is_empty();
        let status = if planned && !announced {
            EventStatus::Planned
        } else if announced {
            EventStatus::Announced
        } else {
            EventStatus::Occurred
        };
        let future = status != EventStatus::Occurred;
        let date = dates::find_date(ws, from, to, self.date, future).filter(|d| !d.since);
        let since = dates::find_date(ws, from, to, self.date, false).filter(|d| d.since);
        // "after weeks of encirclement" on a named day is news; "weeks of bombardment" alone is not.
        let dated_day = date.is_some_and(|d| d.precision == DatePrecision::Day);
        let background = past_year || (background_words && !dated_day);
        let mut mentions: Vec<Mention> = actors::mentions(&ws[..to]).into_iter().filter(|m| m.first >= from).collect();
        // "The army said it had retaken …": the one who speaks of itself acts.
        if let Some(a) = attribution
            && ws.get(from).is_some_and(|w| matches!(w.lower.as_str(), "it" | "they" | "we"))
            && !mentions.iter().any(|m| m.first < from + 3)
            && let Some(m) = actors::mentions(&ws[a.first..a.end]).first()
        {
            mentions.insert(0, Mention { first: from, end: from + 1, referent: m.referent });
        }
        let place = self.clause_place(ws, from, to);
        let area = self.clause_place_scored(ws, from, to, 3);
        let crime = has(Cue::Crime) && !has(Cue::Mob);
        let disaster = has(Cue::Disaster);

        // Figures are read whatever the clause's kind.
        let figures = self.casualties(ws, from, to, &mentions);
        let displaced = self.displacement(ws, from, to, area.as_deref(), since, who, s);
        let is_event_sentence = k < EVENT_SENTENCES;

        let armed_cue =
            has(Cue::Air) || has(Cue::Shelling) || has(Cue::Explosive) || has(Cue::Clash) || has(Cue::Suicide);
        // A report of people fleeing is not a report of an incident, unless it names who did
        // what or who died.
        let armed_named =
            mentions.iter().any(|m| matches!(actors::role_of(m.referent), Role::Forces | Role::Rebels | Role::Militia));
        let only_displacement = displaced && figures.is_empty() && !armed_named;
        let kind = if negated || background || crime || (disaster && !armed_cue) || only_displacement {
            None
        } else {
            self.kind(ws, from, to, &cues, &mentions, &figures)
        };
        let post_changes = if negated || background { Vec::new() } else { self.post_changes(ws, from, to, &mentions) };
        let kind = kind.or_else(|| {
            post_changes.first().map(|c| match c.status {
                PostStatus::Established | PostStatus::UnderConstruction => Kind::HeadquartersOrBaseEstablished,
                PostStatus::Attacked => Kind::ShellingArtilleryMissileAttack,
                _ => Kind::OtherStrategic,
            })
        });
        let Some(kind) = kind.filter(|_| is_event_sentence) else { return };
        let diplomatic =
            matches!(kind, Kind::Agreement | Kind::OtherStrategic) && (has(Cue::Talks) || has(Cue::Agreement));
        let (by, against) = self.sides(ws, from, to, &cues, &mentions, &figures, diplomatic);
        // "X said Wednesday that …": the report's day when the clause has none; a report "on
        // Friday" in Friday's paper says nothing of when the thing happened.
        let date_ref = date.or_else(|| attribution.and_then(|a| a.date).filter(|d| d.date != self.date));
        let (date, precision, end) = match date_ref {
            Some(d) => (d.date, d.precision, d.end),
            None => (monday(self.date), DatePrecision::Week, None),
        };
        let place_id = place.clone().or_else(|| self.region.clone()).unwrap_or_else(|| self.unknown_place());

        // The event's own claim: the clause's words.
        let quote_from = ws[from].start;
        let quote_to = ws[to - 1].end;
        let summary = self.summary(kind, &by, &against, &place_id, status);
        let claim_id = self.claim(who, &summary, None, None, quote_from, quote_to, s);
        let mut casualties: Vec<Casualties> = Vec::new();
        for f in &figures {
            let group = f.group.clone();
            let statement = format!(
                "{} {}: {}",
                if f.harm == Harm::Killed { "Killed" } else { "Injured" },
                self.group_name(&group),
                count_words(&f.count)
            );
            let cid = self.claim(who, &statement, Some(f.count.clone()), None, f.quote.0, f.quote.1, s);
            let outcome = if f.harm == Harm::Killed { Outcome::Killed } else { Outcome::Injured };
            match casualties.iter_mut().find(|c| c.group == group && c.outcome == outcome) {
                Some(existing) => {
                    existing.claims.push(cid.clone());
                    if f.update {
                        existing.chosen = cid;
                    }
                }
                None => casualties.push(Casualties { group, outcome, claims: vec![cid.clone()], chosen: cid }),
            }
        }
        let mut post_ids = Vec::new();
        let mut notes = Vec::new();
        let mut extra_against: Vec<String> = Vec::new();
        for change in post_changes {
            let operator = change
                .operator
                .clone()
                .or_else(|| by.first().cloned().filter(|_| change.status.is_own()))
                .or_else(|| against.first().cloned())
                .unwrap_or_else(|| self.ensure_actor(actors::actor_of(Referent::HomeForces, self.home, false)));
            let post_place = change.place.clone().unwrap_or_else(|| place_id.clone());
            let statement = format!("{}: {}", change.name, change.status.word());
            let unit = change.count.as_ref().map(|_| "posts".to_string());
            let cid = self.claim(who, &statement, change.count.clone(), unit, change.quote.0, change.quote.1, s);
            let pid = self.post(
                &change.name,
                &operator,
                &post_place,
                PostStatusChange {
                    date,
                    precision,
                    end,
                    status: change.status,
                    written_claims: vec![cid],
                    written_note: change.note.clone(),
                    read: None,
                },
            );
            if let Some(n) = &change.note {
                notes.push(n.clone());
            }
            if !change.status.is_own() && !by.contains(&operator) {
                extra_against.push(operator.clone());
            }
            post_ids.push(pid);
        }
        let mut against = against;
        for a in extra_against {
            push_unique(&mut against, a);
        }
        self.drafts.push(Draft {
            kind,
            status,
            date,
            precision,
            end,
            by,
            against,
            place: place_id,
            claims: vec![claim_id],
            casualties,
            posts: post_ids,
            sentence: k,
            in_title,
            notes,
        });
    }

    /// The clause's kind, from its cues and who is in it.
    fn kind(
        &self,
        ws: &[Word],
        from: usize,
        to: usize,
        cues: &[(Cue, usize, usize)],
        mentions: &[Mention],
        figures: &[Figure],
    ) -> Option<Kind> {
        // A cue right after "to" is an aim ("to retake", "to prevent"), not an act; "March"
        // with a capital is the month; a protest "planned" or "ahead of" has not happened.
        let live: Vec<(Cue, usize)> = cues
            .iter()
            .filter(|&&(c, first, _)| {
                let prev = if first > from { ws[first - 1].lower.as_str() } else { "" };
                let aim = matches!(prev, "to" | "prevent" | "avoid");
                let month =
                    c == Cue::Protest && ws[first].capital && matches!(ws[first].lower.as_str(), "march" | "rally");
                let ahead = c == Cue::Protest
                    && (first.saturating_sub(3)..first)
                        .any(|k| k >= from && matches!(ws[k].lower.as_str(), "planned" | "ahead" | "upcoming"));
                !(aim || (month && first > from) || ahead)
            })
            .map(|&(c, first, _)| (c, first))
            .collect();
        let has = |c: Cue| live.iter().any(|&(x, _)| x == c);
        let first_of = |c: Cue| live.iter().find(|&&(x, _)| x == c).map_or(to, |&(_, f)| f);
        let roles: Vec<Role> = mentions.iter().map(|m| actors::role_of(m.referent)).collect();
        let armed = roles.iter().any(|r| matches!(r, Role::Forces | Role::Rebels | Role::Militia));
        let civilians_hit = figures.iter().any(|f| f.group == "civilians")
            || roles.contains(&Role::Civilians)
            || lexicon::person_nouns().all(ws, from, to).iter().any(|&(k, _, _)| k == PersonKind::Civilian);
        let protest = has(Cue::Protest) || roles.contains(&Role::Protesters);
        let weapon =
            has(Cue::Air) || has(Cue::Shelling) || has(Cue::Explosive) || has(Cue::Grenade) || has(Cue::Suicide);
        if has(Cue::Chemical) {
            return Some(Kind::ChemicalWeapon);
        }
        if has(Cue::Disrupted) && (armed || weapon) {
            return Some(Kind::DisruptedWeaponsUse);
        }
        if has(Cue::Suicide) {
            return Some(Kind::SuicideBomb);
        }
        if protest {
            if has(Cue::ProtestForce) || (figures.iter().any(|f| f.harm == Harm::Killed) && armed) {
                return Some(Kind::ExcessiveForceAgainstProtesters);
            }
            if has(Cue::Riot) {
                return Some(Kind::ViolentDemonstration);
            }
            if has(Cue::ProtestIntervention) || ((has(Cue::Arrest) || has(Cue::Violence)) && armed) {
                return Some(Kind::ProtestWithIntervention);
            }
            if !weapon && !has(Cue::Clash) {
                return Some(Kind::PeacefulProtest);
            }
        }
        if has(Cue::Grenade) {
            return Some(Kind::Grenade);
        }
        if has(Cue::Explosive) && !has(Cue::Air) && !has(Cue::Shelling) {
            return Some(Kind::RemoteExplosive);
        }
        if has(Cue::Air) {
            return Some(Kind::AirDroneStrike);
        }
        if has(Cue::Shelling) {
            return Some(Kind::ShellingArtilleryMissileAttack);
        }
        if has(Cue::Sexual) {
            return Some(Kind::SexualViolence);
        }
        if has(Cue::Abduction) {
            return Some(Kind::Abduction);
        }
        if has(Cue::Riot) {
            return Some(Kind::ViolentDemonstration);
        }
        if has(Cue::Mob) {
            return Some(Kind::MobViolence);
        }
        // "took over … without a fight", "handed over": no battle.
        let peaceful = ws[from..to].iter().any(|w| w.is("without")) && has(Cue::Transfer)
            || live.iter().any(|&(c, f)| c == Cue::Transfer && ws[f].is("handed"));
        if peaceful && armed {
            return Some(Kind::NonViolentTransferOfTerritory);
        }
        if has(Cue::Capture) && !has(Cue::Arrest) {
            // Who took it: the first armed actor before the verb.
            let verb = first_of(Cue::Capture);
            let taker = mentions.iter().filter(|m| m.first < verb).map(|m| actors::role_of(m.referent)).next();
            let seized_things = ws[verb..to.min(verb + 4)]
                .iter()
                .any(|w| matches!(w.lower.as_str(), "weapons" | "arms" | "ammunition" | "drugs" | "cache"));
            if seized_things {
                return Some(Kind::DisruptedWeaponsUse);
            }
            match taker {
                Some(Role::Forces) => return Some(Kind::GovernmentRegainsTerritory),
                Some(Role::Rebels | Role::Militia) => return Some(Kind::NonStateActorOvertakesTerritory),
                _ => {}
            }
        }
        if has(Cue::Looting) && (armed || has(Cue::Violence)) {
            return Some(Kind::LootingPropertyDestruction);
        }
        // Troops sent somewhere "after a week of attacks": the sending is the news.
        let deploy = has(Cue::Deploy) && self.military_object(ws, from, to, first_of(Cue::Deploy));
        if deploy && figures.is_empty() && first_of(Cue::Deploy) < first_of(Cue::Violence).min(first_of(Cue::Clash)) {
            return Some(Kind::OtherStrategic);
        }
        if has(Cue::Clash) && (armed || !figures.is_empty()) {
            return Some(Kind::ArmedClash);
        }
        let political = ws[from..to].iter().any(|w| POLITICAL.contains(&w.lower.as_str()));
        if has(Cue::Arrest) && (armed || roles.contains(&Role::Protesters) || political) {
            return Some(Kind::Arrests);
        }
        // Killing needs a killer: an armed actor, or a weapon.
        if (has(Cue::Violence) || !figures.is_empty()) && (armed || weapon) {
            let killed_forces =
                figures.iter().any(|f| f.person == PersonKind::Force || f.person == PersonKind::Fighter);
            if civilians_hit && !killed_forces {
                return Some(Kind::Attack);
            }
            if killed_forces
                || roles.iter().filter(|r| matches!(r, Role::Forces | Role::Rebels | Role::Militia)).count() >= 2
            {
                return Some(Kind::ArmedClash);
            }
            if roles.iter().any(|r| matches!(r, Role::Militia | Role::Rebels)) || !figures.is_empty() {
                return Some(Kind::Attack);
            }
            return Some(Kind::ArmedClash);
        }
        if has(Cue::Agreement) {
            return Some(Kind::Agreement);
        }
        if has(Cue::GroupChange) && armed {
            return Some(Kind::ChangeToGroupActivity);
        }
        if has(Cue::Base) && armed {
            return Some(Kind::HeadquartersOrBaseEstablished);
        }
        if has(Cue::Transfer) && armed {
            // Leaving a post is a development of the post; leaving a town, a transfer.
            let post = lexicon::post_nouns().all(ws, from, to).iter().any(|&((), f, _)| f > first_of(Cue::Transfer));
            return Some(if post { Kind::OtherStrategic } else { Kind::NonViolentTransferOfTerritory });
        }
        if deploy {
            return Some(Kind::OtherStrategic);
        }
        if has(Cue::Encircle) && armed {
            return Some(Kind::OtherStrategic);
        }
        if has(Cue::Talks)
            && mentions.iter().any(|m| matches!(actors::role_of(m.referent), Role::Government | Role::Forces))
        {
            return Some(Kind::OtherStrategic);
        }
        if has(Cue::Patrol)
            && ws[from..to].iter().any(|w| {
                matches!(
                    w.lower.as_str(),
                    "cancelled" | "canceled" | "suspended" | "resumed" | "launched" | "began" | "halted" | "conducted"
                )
            })
        {
            return Some(Kind::OtherStrategic);
        }
        None
    }

    /// True when a deployment verb at `verb` moves something military (not the cue itself).
    fn military_object(&self, ws: &[Word], from: usize, to: usize, verb: usize) -> bool {
        let convoy = ws.get(verb).is_some_and(|w| w.is("convoy"));
        ws[from..to].iter().enumerate().any(|(k, w)| {
            from + k != verb
                && (lexicon::DEPLOY_OBJECTS.contains(&w.lower.as_str())
                    || (convoy && matches!(w.lower.as_str(), "military" | "army" | "armoured" | "armored")))
                && !(convoy && w.is("convoy"))
        }) && (!convoy
            || ws[from..to].iter().any(|w| {
                matches!(
                    w.lower.as_str(),
                    "military" | "army" | "armoured" | "armored" | "tanks" | "troops" | "soldiers"
                )
            }))
    }

    /// Who acted and who was acted against.
    #[allow(clippy::too_many_arguments)]
    fn sides(
        &mut self,
        ws: &[Word],
        from: usize,
        to: usize,
        cues: &[(Cue, usize, usize)],
        mentions: &[Mention],
        figures: &[Figure],
        diplomatic: bool,
    ) -> (Vec<String>, Vec<String>) {
        let verb = cues.first().map_or(to, |c| c.1);
        let mut by = Vec::new();
        let mut against = Vec::new();
        for m in mentions {
            let after_by = m.first > from && ws[m.first - 1].is("by");
            let backed = m.first > from + 1
                && ws[m.first - 1].is("by")
                && matches!(ws[m.first - 2].lower.as_str(), "backed" | "supported" | "aided");
            let role = actors::role_of(m.referent);
            let id = self.ensure_actor(actors::actor_of(m.referent, self.home, diplomatic));
            if figures.iter().any(|f| f.group == id && f.group_first <= m.first && m.end <= f.group_end) {
                // A victim's group: acted against.
                push_unique(&mut against, id);
                continue;
            }
            if role == Role::Civilians {
                push_unique(&mut against, id);
            } else if after_by || backed || m.first < verb {
                push_unique(&mut by, id);
            } else {
                push_unique(&mut against, id);
            }
        }
        for f in figures {
            if f.group == "civilians" {
                let id = self.ensure_actor(actors::actor_of(Referent::HomeCivilians, self.home, false));
                push_unique(&mut against, id);
            } else if f.group != "unknown" {
                push_unique(&mut against, f.group.clone());
            }
        }
        let by_set: Vec<String> = by.clone();
        against.retain(|a| !by_set.contains(a));
        (by, against)
    }

    fn clause_place(&mut self, ws: &[Word], from: usize, to: usize) -> Option<String> {
        self.clause_place_scored(ws, from, to, 1)
    }

    fn is_country_place(&self, id: &str) -> bool {
        let p = self.out.place(id).or_else(|| self.reader.loaded.and_then(|s| s.place(id)));
        p.is_some_and(|p| {
            p.geo_precision == GeoPrecision::Region
                && p.admin1.is_none()
                && p.country.as_deref() == Some(p.name.as_str())
        })
    }

    /// The best place named in the clause: after "in", "at", "near"… first; only places
    /// scoring at least `min`.
    fn clause_place_scored(&mut self, ws: &[Word], from: usize, to: usize, min: u8) -> Option<String> {
        let mut best: Option<(u8, String)> = None;
        let mut i = from;
        while i < to {
            if let Some((pid, end)) = self.place_at(ws, i, true) {
                let prev = if i > 0 { ws[i - 1].lower.as_str() } else { "" };
                let prev =
                    if i > 0 && direction_word(prev).is_some() && i > 1 { ws[i - 2].lower.as_str() } else { prev };
                let country = self.is_country_place(&pid);
                let score = match prev {
                    "in" | "at" | "on" | "near" | "outside" | "of" | "inside" | "around" | "across" | "left"
                    | "leaving" | "reached" | "entered" | "targeted" | "struck" | "hit" | "shelled" | "bombed"
                    | "attacked" | "captured" | "seized" | "besieged" | "stormed" => 3,
                    "from" | "towards" | "toward" | "into" | "to" => 1,
                    _ if country => 0,
                    _ => 2,
                };
                let score = if country && score == 3 { 2 } else { score };
                // A region after a town only sharpens nothing: keep the first best.
                if score > 0 && best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, pid));
                }
                i = end.max(i + 1);
            } else {
                i += 1;
            }
        }
        best.filter(|(s, _)| *s >= min).map(|(_, p)| p)
    }

    /// A place starting at word `i`, added to the output when `record` is set.
    fn place_at(&mut self, ws: &[Word], i: usize, record: bool) -> Option<(String, usize)> {
        let w = &ws[i];
        if !w.capital
            || STOP_CAPITALS.contains(&w.lower.as_str())
            || dates::month_of(&w.lower).is_some()
            || dates::weekday_of(&w.lower).is_some()
        {
            return None;
        }
        // A country or capital that acts is an actor, not a place.
        let prev = if i > 0 { ws[i - 1].lower.as_str() } else { "" };
        let locative =
            LOCATIVE.contains(&prev) || matches!(prev, "town" | "city" | "village" | "district" | "province");
        let direction = i > 0 && direction_word(&ws[i - 1].lower).is_some();
        // The data already loaded.
        if let Some(&(e, end)) = self.reader.loaded_places.lookup(ws, i).first()
            && let Some(id) = &self.reader.loaded_places.entry(e).loaded
        {
            return Some((id.clone(), end));
        }
        let shipped = Gazetteer::shipped();
        let found = shipped.lookup(ws, i);
        let home_iso = self.home.map(|c| COUNTRIES[c].iso);
        let pick = found.iter().find(|&&(e, _)| shipped.iso(e) == home_iso && home_iso.is_some()).or_else(|| {
            // Elsewhere only when the words say it is a place and the name is not ambiguous.
            let region_entry = found.iter().find(|&&(e, _)| shipped.precision(e) == GeoPrecision::Region);
            region_entry.or_else(|| {
                let towns: Vec<&(u32, usize)> = found
                    .iter()
                    .filter(|&&(e, end)| shipped.precision(e) == GeoPrecision::Town && end == found[0].1)
                    .collect();
                (locative && towns.len() == 1).then(|| towns[0])
            })
        });
        let Some(&(e, end)) = pick else {
            // Unknown, but the words say it is a town: kept by name, no coordinates.
            if matches!(prev, "town" | "village" | "city" | "district") && i > 1 && ws[i - 2].is("of")
                || matches!(prev, "town" | "village")
            {
                let end = self.phrase_end_capitals(ws, i);
                let name = self.text[ws[i].start..ws[end - 1].end].to_string();
                let id = format!("x-{}", places::slug(&name));
                if record {
                    self.add_place(Place {
                        id: id.clone(),
                        name,
                        alt_names: Vec::new(),
                        country: self.home.map(|c| COUNTRIES[c].name.to_string()),
                        admin1: None,
                        admin2: None,
                        lat: None,
                        lon: None,
                        geo_precision: GeoPrecision::Town,
                        coord_confidence: None,
                        part_of: self.region.clone(),
                        note: Some("Not in the gazetteer: kept by name, with no coordinates.".to_string()),
                    });
                }
                return Some((id, end));
            }
            return None;
        };
        let entry = shipped.entry(e).into_owned();
        // "Idlib province", "the Idlib region": the region, not the town.
        let region_word = ws.get(end).map(|x| x.lower.as_str()).filter(|w| {
            matches!(
                *w,
                "province" | "governorate" | "region" | "state" | "countryside" | "district" | "county" | "enclave"
            )
        });
        if entry.precision == GeoPrecision::Region || region_word.is_some() || direction {
            let (name, admin1, iso) = match (&entry.admin1, region_word) {
                (_, None) => (entry.name.clone(), None, entry.iso.clone()),
                (Some(a), Some(_)) => (a.clone(), Some(a.clone()), entry.iso.clone()),
                (None, Some(_)) => (entry.name.clone(), Some(entry.name.clone()), entry.iso.clone()),
            };
            let dir = if direction { direction_word(&ws[i - 1].lower) } else { None };
            let full = match dir {
                Some(d) => format!("{d} {name}"),
                None if region_word.is_some() => format!("{name} region"),
                None => name.clone(),
            };
            // The loaded data may know the region by that name.
            if let Some(id) = self.loaded_place_named(&full) {
                return Some((id, end + usize::from(region_word.is_some())));
            }
            let id = places::slug(&full);
            if record {
                self.add_place(Place {
                    id: id.clone(),
                    name: full,
                    alt_names: Vec::new(),
                    country: entry.country.clone().or_else(|| {
                        iso.as_deref().and_then(|i| COUNTRIES.iter().find(|c| c.iso == i)).map(|c| c.name.to_string())
                    }),
                    admin1,
                    admin2: None,
                    lat: None,
                    lon: None,
                    geo_precision: GeoPrecision::Region,
                    coord_confidence: None,
                    part_of: None,
                    note: Some("A region named in the text; no coordinates.".to_string()),
                });
            }
            return Some((id, end + usize::from(region_word.is_some())));
        }
        let id = places::slug(&entry.name);
        let id = if self.reader.loaded.is_some_and(|s| s.place(&id).is_some()) { format!("{id}-gn") } else { id };
        // Its region, so that its figures nest inside the region's.
        let region_id = entry.admin1.as_ref().map(|a| {
            let name = format!("{a} region");
            self.loaded_place_named(&name)
                .or_else(|| self.loaded_place_named(a).filter(|_| false))
                .unwrap_or_else(|| places::slug(&name))
        });
        if record {
            if let (Some(rid), Some(a)) = (&region_id, &entry.admin1)
                && !self.out.place_index.contains_key(rid)
                && self.reader.loaded.is_none_or(|s| s.place(rid).is_none())
            {
                self.add_place(Place {
                    id: rid.clone(),
                    name: format!("{a} region"),
                    alt_names: vec![format!("{a} province"), format!("{a} governorate")],
                    country: entry.country.clone(),
                    admin1: Some(a.clone()),
                    admin2: None,
                    lat: None,
                    lon: None,
                    geo_precision: GeoPrecision::Region,
                    coord_confidence: None,
                    part_of: None,
                    note: Some("First-level region of a GeoNames place; no coordinates.".to_string()),
                });
            }
            let mut p = places::place_record(&id, &entry);
            p.part_of.clone_from(&region_id);
            let written = &self.text[ws[i].start..ws[end - 1].end];
            if fold(written) != fold(&entry.name) {
                p.alt_names.push(written.to_string());
            }
            self.add_place(p);
        } else if !self.out.place_index.contains_key(&id) {
            // Counting regions before the places are recorded: remember the region link.
            let mut p = places::place_record(&id, &entry);
            p.part_of.clone_from(&region_id);
            if let (Some(rid), Some(a)) = (&region_id, &entry.admin1)
                && !self.out.place_index.contains_key(rid)
                && self.reader.loaded.is_none_or(|s| s.place(rid).is_none())
            {
                self.add_place(Place {
                    id: rid.clone(),
                    name: format!("{a} region"),
                    alt_names: vec![format!("{a} province"), format!("{a} governorate")],
                    country: entry.country.clone(),
                    admin1: Some(a.clone()),
                    admin2: None,
                    lat: None,
                    lon: None,
                    geo_precision: GeoPrecision::Region,
                    coord_confidence: None,
                    part_of: None,
                    note: Some("First-level region of a GeoNames place; no coordinates.".to_string()),
                });
            }
            self.add_place(p);
        }
        Some((id, end))
    }

    fn phrase_end_capitals(&self, ws: &[Word], i: usize) -> usize {
        let mut j = i + 1;
        while j < ws.len() && j - i < 4 && (ws[j].capital || matches!(ws[j].lower.as_str(), "al" | "el")) {
            j += 1;
        }
        j
    }

    fn loaded_place_named(&self, name: &str) -> Option<String> {
        self.reader.loaded_place_names.get(&fold(name)).cloned()
    }

    fn add_place(&mut self, p: Place) {
        if self.reader.loaded.is_some_and(|s| s.place(&p.id).is_some()) {
            return;
        }
        if !self.out.place_index.contains_key(&p.id) {
            self.out.place_index.insert(p.id.clone(), self.out.places.len());
            self.out.places.push(p);
        }
    }

    fn unknown_place(&mut self) -> String {
        let (id, name) = match self.home {
            Some(c) => (places::slug(COUNTRIES[c].name), COUNTRIES[c].name.to_string()),
            None => ("place-not-named".to_string(), "Place not named".to_string()),
        };
        if let Some(id) = self.loaded_place_named(&name) {
            return id;
        }
        self.add_place(Place {
            id: id.clone(),
            name,
            alt_names: Vec::new(),
            country: self.home.map(|c| COUNTRIES[c].name.to_string()),
            admin1: None,
            admin2: None,
            lat: None,
            lon: None,
            geo_precision: GeoPrecision::Region,
            coord_confidence: None,
            part_of: None,
            note: Some("The text names no place more precise than this.".to_string()),
        });
        id
    }

    /// The actor's id in the output: the loaded actor of that name, else the lexicon's.
    fn ensure_actor(&mut self, actor: Actor) -> String {
        if let Some(id) = self
            .reader
            .loaded_actors
            .get(&fold(&actor.id))
            .or_else(|| self.reader.loaded_actors.get(&fold(&actor.name)))
        {
            return id.clone();
        }
        if self.out.actor_ids.insert(actor.id.clone()) {
            self.out.actors.push(actor.clone());
        }
        actor.id
    }

    fn group_name(&self, group: &str) -> String {
        if group == "civilians" || group == "unknown" {
            return group.to_string();
        }
        self.out
            .actors
            .iter()
            .find(|a| a.id == group)
            .map(|a| a.name.clone())
            .or_else(|| self.reader.loaded.and_then(|s| s.index.actors.get(group).map(|&i| s.actors[i].name.clone())))
            .unwrap_or_else(|| group.to_string())
    }

    #[allow(clippy::too_many_arguments)]
    fn claim(
        &mut self,
        who: &str,
        statement: &str,
        count: Option<Count>,
        unit: Option<String>,
        from: usize,
        to: usize,
        s: text::Sentence,
    ) -> String {
        self.claim_n += 1;
        let id = format!("{}-c{}", self.prefix, self.claim_n);
        let quote = self.text[from..to].to_string();
        let span = [self.chars.chars_at(from), self.chars.chars_at(to)];
        let context = self.text[s.start..s.end].to_string();
        self.out.claims.push(Claim {
            id: id.clone(),
            source: self.source.clone(),
            attributed_to: who.to_string(),
            statement: statement.to_string(),
            count,
            unit,
            confidence: Some(crate::domain::model::Confidence::Medium),
            note: Some("Read from the text by sitdash extract's rules.".to_string()),
            quote: Some(quote),
            span: Some(span),
            context: Some(context),
        });
        id
    }

    fn summary(&self, kind: Kind, by: &[String], against: &[String], place: &str, status: EventStatus) -> String {
        let name = |id: &String| self.group_name(id);
        let who = if by.is_empty() {
            String::new()
        } else {
            format!(" by {}", by.iter().map(name).collect::<Vec<_>>().join(" and "))
        };
        let whom = if against.is_empty() {
            String::new()
        } else {
            format!(" against {}", against.iter().map(name).collect::<Vec<_>>().join(" and "))
        };
        let place_name = self
            .out
            .place(place)
            .map(|p| p.name.clone())
            .or_else(|| self.reader.loaded.and_then(|s| s.place(place).map(|p| p.name.clone())))
            .unwrap_or_else(|| place.to_string());
        let st = match status {
            EventStatus::Occurred => "",
            EventStatus::Announced => " (announced)",
            EventStatus::Planned => " (planned)",
        };
        format!("{}{who}{whom}, {place_name}{st}", kind.acled_sub_event_type())
    }

    fn post(&mut self, name: &str, operator: &str, place: &str, change: PostStatusChange) -> String {
        let key = fold(name);
        if let Some(p) = self.posts.iter_mut().find(|p| fold(&p.name) == key && p.operator == operator) {
            p.history.push(change);
            return p.id.clone();
        }
        // A post the loaded data already has: the same name or alternative name.
        let id = format!("{}-p{}", self.prefix, self.posts.len() + 1);
        self.posts.push(PostDraft {
            id: id.clone(),
            name: name.to_string(),
            operator: operator.to_string(),
            place: place.to_string(),
            history: vec![change],
            note: Some("Read from the text by sitdash extract.".to_string()),
        });
        id
    }

    fn finish(&mut self) {
        // Mentions of one event merge: same kind and status, compatible actors, overlapping
        // dates, the same place or one inside the other.
        let mut merged: Vec<Draft> = Vec::new();
        for d in std::mem::take(&mut self.drafts) {
            if let Some(m) = merged.iter_mut().find(|m| self.same_event(m, &d)) {
                m.claims.extend(d.claims);
                for c in d.casualties {
                    match m.casualties.iter_mut().find(|x| x.group == c.group && x.outcome == c.outcome) {
                        Some(x) => {
                            x.claims.extend(c.claims);
                        }
                        None => m.casualties.push(c),
                    }
                }
                for p in d.posts {
                    push_unique(&mut m.posts, p);
                }
                for b in d.by {
                    push_unique(&mut m.by, b);
                }
                for a in d.against {
                    if !m.by.contains(&a) {
                        push_unique(&mut m.against, a);
                    }
                }
                if precision_rank(d.precision) < precision_rank(m.precision) {
                    m.date = d.date;
                    m.precision = d.precision;
                    m.end = d.end;
                }
                if self.more_precise_place(&d.place, &m.place) {
                    m.place = d.place;
                }
                m.in_title |= d.in_title;
                m.notes.extend(d.notes);
            } else {
                merged.push(d);
            }
        }
        // The main event first: the headline's, then in the order the article tells them.
        merged.sort_by_key(|d| (!d.in_title, d.sentence));
        let mut ids: FxHashMap<String, usize> = FxHashMap::default();
        for d in merged {
            let date_part = match d.precision {
                DatePrecision::Week => {
                    format!("{}w{:02}", d.date.0.format("%Y"), chrono::Datelike::iso_week(&d.date.0).week())
                }
                DatePrecision::Month => d.date.0.format("%Y%m").to_string(),
                _ => d.date.0.format("%Y%m%d").to_string(),
            };
            let base =
                format!("{}-{}-{}", self.prefix, date_part, d.kind.tag().to_lowercase().trim_end_matches(['+', '!']));
            let n = ids.entry(base.clone()).or_default();
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}-{n}") };
            let summary = self.summary(d.kind, &d.by, &d.against, &d.place, d.status);
            let notes = if d.notes.is_empty() { None } else { Some(d.notes.join(" ")) };
            self.out.events.push(Event {
                id: id.into(),
                date: d.date,
                precision: d.precision,
                end: d.end,
                status: d.status,
                kind: d.kind,
                place: d.place.into(),
                geo_precision: None,
                note: None,
                row: None,
                written: Written {
                    by: d.by,
                    against: d.against,
                    summary,
                    claims: d.claims,
                    casualties: d.casualties,
                    posts: d.posts,
                    same_incident_as: None,
                    notes,
                }
                .boxed(),
            });
        }
        self.finish_series();
        for p in std::mem::take(&mut self.posts) {
            let mut history = p.history;
            history.sort_by_key(|h| h.date);
            self.out.posts.push(ObservationPost {
                id: p.id,
                name: p.name,
                alt_names: Vec::new(),
                operator: p.operator,
                place: p.place,
                lat: None,
                lon: None,
                coord_confidence: None,
                framework: None,
                framework_claims: Vec::new(),
                history,
                note: p.note,
            });
        }
    }

    fn finish_series(&mut self) {
        self.nest_series();
        let series = std::mem::take(&mut self.series);
        let ids: Vec<String> = (0..series.len()).map(|i| format!("{}-d{}", self.prefix, i + 1)).collect();
        for (i, s) in series.iter().enumerate() {
            // The chosen claim: the most precise (a number over a vague word), then the first.
            let chosen = s
                .claims
                .iter()
                .find(|(_, c, vague)| !vague && c.qualifier != Qualifier::Unknown)
                .or(s.claims.first())
                .map(|(id, _, _)| id.clone());
            let Some(chosen) = chosen else { continue };
            let baseline = s.baseline.filter(|b| *b <= s.as_of);
            self.out.displacement.push(DisplacementSeries {
                id: ids[i].clone(),
                area: s.area.clone(),
                source: self.source.clone(),
                kind: if s.stock { SeriesKind::Stock } else { SeriesKind::Cumulative },
                baseline,
                part_of: s.part_of.map(|p| ids[p].clone()),
                values: vec![SeriesValue {
                    as_of: s.as_of,
                    claims: s.claims.iter().map(|(id, _, _)| id.clone()).collect(),
                    chosen,
                }],
                note: s.note.clone(),
            });
        }
    }

    fn same_event(&self, a: &Draft, b: &Draft) -> bool {
        if a.kind != b.kind || a.status != b.status {
            return false;
        }
        let (a0, a1) = window(a);
        let (b0, b1) = window(b);
        if a1 < b0 || b1 < a0 {
            return false;
        }
        // Two mentions with named actors must share one; a mention with none joins another
        // only for a violent kind at the same place (other developments are too many alike).
        let actors_ok = match (a.by.is_empty(), b.by.is_empty()) {
            (false, false) => a.by.iter().any(|x| b.by.contains(x)),
            _ => a.kind != Kind::OtherStrategic && a.place == b.place,
        };
        let against_ok =
            a.against.is_empty() || b.against.is_empty() || a.against.iter().any(|x| b.against.contains(x));
        // Casualty figures of different groups are different events only when both have some.
        let places_ok = a.place == b.place
            || (self.is_country_place(&a.place) && self.place_inside(&b.place, &a.place))
            || (self.is_country_place(&b.place) && self.place_inside(&a.place, &b.place));
        actors_ok
            && against_ok
            && places_ok
            && (a.casualties.is_empty() || b.casualties.is_empty() || a.precision == b.precision)
    }

    fn place_inside(&self, inner: &str, outer: &str) -> bool {
        if let Some(sit) = self.reader.loaded
            && sit.place(inner).is_some()
            && sit.place(outer).is_some()
        {
            return sit.place_within(inner, outer);
        }
        let find = |id: &str| self.out.place(id).or_else(|| self.reader.loaded.and_then(|s| s.place(id)));
        let (Some(i), Some(o)) = (find(inner), find(outer)) else { return false };
        if i.part_of.as_deref() == Some(outer) {
            return true;
        }
        // A country-level region holds everything in that country.
        o.geo_precision == GeoPrecision::Region
            && o.admin1.is_none()
            && o.country.is_some()
            && o.country == i.country
            && o.country.as_deref() == Some(o.name.as_str())
    }

    fn more_precise_place(&self, candidate: &str, current: &str) -> bool {
        candidate != current && self.place_inside(candidate, current)
    }

    /// Casualty figures in a clause: each number tied to killed/injured and to whom.
    fn casualties(&mut self, ws: &[Word], from: usize, to: usize, mentions: &[Mention]) -> Vec<Figure> {
        let mut out = Vec::new();
        let persons = lexicon::person_nouns();
        let mut i = from;
        while i < to {
            let Some(n) = numbers::number_at(ws, i).filter(|n| n.end <= to) else {
                // "a civilian was killed", "killed a soldier": one.
                if (ws[i].is("a") || ws[i].is("an") || ws[i].is("one"))
                    && let Some((kind, nend)) = persons.at(ws, i + 1)
                    && let Some(harm) = self.harm_after(ws, nend, to).or_else(|| harm_before(ws, i, from))
                    && singular(&ws[i + 1].lower)
                {
                    let count = Count {
                        best: 1,
                        low: None,
                        high: None,
                        qualifier: Qualifier::Exact,
                        raw: Some(self.text[ws[i].start..ws[nend - 1].end].to_string()),
                    };
                    let group = self.group_for(kind, ws, i + 1, nend, mentions);
                    out.push(Figure {
                        harm,
                        count,
                        group,
                        person: kind,
                        quote: (ws[i].start, ws[nend - 1].end),
                        update: false,
                        group_first: i,
                        group_end: nend,
                    });
                    i = nend;
                    continue;
                }
                i += 1;
                continue;
            };
            if numbers::is_year(&ws[n.first]) || self.is_clock(ws, n.end - 1) {
                i = n.end;
                continue;
            }
            // Parts of a figure already read are not figures of their own.
            let before = if n.first > 0 { ws[n.first - 1].lower.as_str() } else { "" };
            if matches!(before, "including" | "among")
                || ws.get(n.end).is_some_and(|w| w.is("of"))
                    && ws.get(n.end + 1).is_some_and(|w| matches!(w.lower.as_str(), "them" | "whom" | "those"))
            {
                i = n.end;
                continue;
            }
            if let Some(mut f) = self.figure(ws, from, to, &n, mentions) {
                i = f.group_end.max(n.end);
                // "… three civilians and wounded 11 others", "… were killed and 15 were
                // wounded": the same people as the figure before.
                let elided = f.group_end == n.end
                    || ws.get(n.end).is_some_and(|w| matches!(w.lower.as_str(), "others" | "more"));
                if elided && let Some(prev) = out.last() {
                    f.group.clone_from(&prev.group);
                    f.person = prev.person;
                }
                out.push(f);
            } else {
                i = n.end;
            }
        }
        out
    }

    fn is_clock(&self, ws: &[Word], at: usize) -> bool {
        let after = &self.text[ws[at].end..];
        after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit())
            || ws.get(at + 1).is_some_and(|w| {
                matches!(w.lower.as_str(), "am" | "pm" | "a.m" | "p.m" | "gmt" | "utc" | "hours" | "o'clock")
            })
    }

    fn figure(
        &mut self,
        ws: &[Word],
        from: usize,
        to: usize,
        n: &NumberPhrase,
        mentions: &[Mention],
    ) -> Option<Figure> {
        let persons = lexicon::person_nouns();
        // The victims' noun phrase: up to four words to a person noun.
        let mut noun: Option<(PersonKind, usize, usize)> = None;
        let mut j = n.end;
        while j < to && j < n.end + 5 {
            if j > n.end && self.text[ws[j - 1].end..ws[j].start].contains([',', ';', '.']) {
                break;
            }
            if let Some((k, end)) = persons.at(ws, j) {
                noun = Some((k, j, end));
                break;
            }
            if lexicon::THING_NOUNS.contains(&ws[j].lower.as_str())
                || lexicon::HARM_AFTER.iter().any(|(w, _)| ws[j].is(w))
                || AUX_STOP.contains(&ws[j].lower.as_str())
            {
                break;
            }
            j += 1;
        }
        // A demonym's plural ("Syrians") is people.
        if noun.is_none()
            && let Some(w) = ws.get(n.end)
            && w.capital
            && demonym_plural(&w.lower)
        {
            noun = Some((PersonKind::Unknown, n.end, n.end + 1));
        }
        if noun.is_none() && ws.get(n.end).is_some_and(|w| lexicon::THING_NOUNS.contains(&w.lower.as_str())) {
            return None;
        }
        let after = noun.map_or(n.end, |(_, _, e)| e);
        // "a toll of 7", "the death toll … climbed to at least 12".
        let toll_verb = n.first >= 2
            && matches!(ws[n.first - 1].lower.as_str(), "to" | "at")
            && matches!(
                ws[n.first - 2].lower.as_str(),
                "rose" | "risen" | "climbed" | "reached" | "stood" | "increased" | "jumped" | "rise" | "climb"
            );
        let toll_before = (n.first.saturating_sub(5)..n.first).any(|k| k >= from && ws[k].is("toll"))
            || (toll_verb && (from..n.first).any(|k| ws[k].is("toll")));
        let harm = harm_before(ws, n.first, from)
            .or_else(|| self.harm_after(ws, after, to))
            .or_else(|| toll_before.then_some(Harm::Killed))?;
        // A bare number with neither a person noun nor a harm word next to it is not a count
        // of victims ("killed 3 in an ambush" passes: the verb is right before it).
        if noun.is_none()
            && harm_before(ws, n.first, from).is_none()
            && !toll_before
            && self.harm_after_end(ws, n.end, to).is_none()
        {
            return None;
        }
        let (person, group_first, group_end) = noun.unwrap_or((PersonKind::Unknown, n.end, n.end));
        let group = self.group_for(person, ws, n.end, group_end, mentions);
        let raw = self.text[ws[n.first].start..ws[n.end - 1].end].to_string();
        let mut count = n.count.clone();
        count.raw = Some(raw);
        // "that later rose to 9": an update of the same figure.
        let update = (n.first.saturating_sub(3)..n.first).any(|k| {
            k >= from
                && matches!(
                    ws[k].lower.as_str(),
                    "rose" | "risen" | "climbed" | "increased" | "reached" | "revised" | "jumped"
                )
        });
        let quote_start =
            if harm_before(ws, n.first, from).is_some() { ws[n.first - 1].start } else { ws[n.first].start };
        let quote_end = ws[after.max(n.end).min(ws.len()) - 1].end;
        let quote_end = self.harm_after_end(ws, after, to).map_or(quote_end, |k| ws[k].end.max(quote_end));
        let _ = group_first;
        Some(Figure {
            harm,
            count,
            group,
            person,
            quote: (quote_start, quote_end),
            update,
            group_first: n.end,
            group_end: group_end.max(n.end),
        })
    }

    fn harm_after(&self, ws: &[Word], at: usize, to: usize) -> Option<Harm> {
        let k = self.harm_after_end(ws, at, to)?;
        // "shot dead" kills; "shot" alone, or "shot and wounded", hurts.
        if ws[k].is("shot") {
            let dead = ws.get(k + 1).is_some_and(|w| w.is("dead"))
                || (ws.get(k + 1).is_some_and(|w| w.is("and")) && ws.get(k + 2).is_some_and(|w| w.is("killed")));
            return Some(if dead { Harm::Killed } else { Harm::Injured });
        }
        lexicon::HARM_AFTER.iter().find(|(w, _)| ws[k].is(w)).map(|&(_, h)| h)
    }

    /// The word after a victim phrase that says what happened to them, if close enough.
    fn harm_after_end(&self, ws: &[Word], at: usize, to: usize) -> Option<usize> {
        let mut k = at;
        while k < to && k < at + 4 {
            let w = ws[k].lower.as_str();
            if lexicon::HARM_AFTER.iter().any(|(h, _)| *h == w) {
                // "lost their lives"
                if w == "lost" && !ws.get(k + 2).is_some_and(|x| x.is("lives")) {
                    return None;
                }
                return Some(k);
            }
            // "Four soldiers and nine insurgents were killed": past the second group.
            if w == "and"
                && let Some(n) = numbers::number_at(ws, k + 1)
                && let Some((_, end)) = (n.end..(n.end + 3).min(to)).find_map(|j| lexicon::person_nouns().at(ws, j))
            {
                return self.harm_after_end(ws, end, to);
            }
            if !lexicon::AUXILIARIES.contains(&w) {
                return None;
            }
            k += 1;
        }
        None
    }

    /// The group a victim noun names: civilians, an actor, or unknown.
    fn group_for(&mut self, person: PersonKind, ws: &[Word], from: usize, to: usize, mentions: &[Mention]) -> String {
        match person {
            PersonKind::Civilian => "civilians".to_string(),
            PersonKind::Protester => self.ensure_actor(actors::actor_of(Referent::Protesters, self.home, false)),
            PersonKind::Unknown => {
                // "Syrians" are people of that country, side unknown.
                "unknown".to_string()
            }
            PersonKind::Force | PersonKind::Fighter => {
                // An actor named inside the phrase ("Turkish soldiers", "IS fighters").
                let inner = actors::mentions(&ws[from..to.max(from)]);
                if let Some(m) = inner.first() {
                    return self.ensure_actor(actors::actor_of(m.referent, self.home, false));
                }
                // "regime troops": a word before the noun.
                let phrase: Vec<Word> = ws[from..to].to_vec();
                for w in &phrase {
                    if matches!(w.lower.as_str(), "regime" | "government" | "pro-government" | "army") {
                        return self.ensure_actor(actors::actor_of(Referent::HomeForces, self.home, false));
                    }
                    if matches!(w.lower.as_str(), "rebel" | "opposition") {
                        return self.ensure_actor(actors::actor_of(Referent::HomeRebels, self.home, false));
                    }
                }
                let _ = mentions;
                // Soldiers and police named by no one are the state's own.
                if person == PersonKind::Force {
                    return self.ensure_actor(actors::actor_of(Referent::HomeForces, self.home, false));
                }
                "unknown".to_string()
            }
        }
    }

    /// Displacement figures in a clause: people who fled, with the baseline and area.
    #[allow(clippy::too_many_arguments)]
    fn displacement(
        &mut self,
        ws: &[Word],
        from: usize,
        to: usize,
        place: Option<&str>,
        since: Option<DateRef>,
        who: &str,
        s: text::Sentence,
    ) -> bool {
        let flee_in_clause = ws[from..to].iter().any(|w| {
            lexicon::FLEE_AFTER.contains(&w.lower.as_str())
                || lexicon::FLEE_BEFORE.contains(&w.lower.as_str())
                || w.is("homes")
        });
        // "The district hosts hundreds of thousands of displaced": a stock from before, not
        // people who moved.
        let hosted = ws[from..to]
            .iter()
            .any(|w| matches!(w.lower.as_str(), "hosts" | "host" | "hosting" | "hosted" | "already"));
        if !flee_in_clause || hosted {
            return false;
        }
        let mut read = false;
        let mut i = from;
        while i < to {
            // "nearly all of the (previously) 110,000 people"
            let mut all_of: Option<usize> = None;
            if matches!(ws[i].lower.as_str(), "nearly" | "almost" | "virtually")
                && ws.get(i + 1).is_some_and(|w| w.is("all"))
            {
                let mut k = i + 2;
                while k < to && k < i + 6 && numbers::number_at(ws, k).is_none() {
                    k += 1;
                }
                if k < to {
                    all_of = Some(k);
                }
            }
            let at = all_of.unwrap_or(i);
            let Some(n) = numbers::number_at(ws, at).filter(|n| n.end <= to) else {
                i += 1;
                continue;
            };
            if numbers::is_year(&ws[n.first]) || n.count.best < 2 {
                i = n.end;
                continue;
            }
            let before = if n.first > 0 { ws[n.first - 1].lower.as_str() } else { "" };
            let part = matches!(before, "including")
                || ws.get(n.end).is_some_and(|w| w.is("of"))
                    && ws.get(n.end + 1).is_some_and(|w| matches!(w.lower.as_str(), "them" | "whom"));
            // Populations: "a town of 80,000", "home to 2 million", "a population of".
            let population = (n.first.saturating_sub(2)..n.first)
                .any(|k| lexicon::POPULATION_BEFORE.contains(&ws[k].lower.as_str()))
                && all_of.is_none()
                || ws.get(n.end).is_some_and(|w| {
                    matches!(w.lower.as_str(), "inhabitants" | "residents" | "people")
                        && ws
                            .get(n.end + 1)
                            .is_some_and(|x| matches!(x.lower.as_str(), "before" | "live" | "lived" | "living"))
                });
            if population {
                i = n.end;
                continue;
            }
            // Whom: people, a demonym's plural, "of them children".
            let mut k = n.end;
            let mut person = false;
            while k < to && k < n.end + 4 {
                let w = ws[k].lower.as_str();
                if lexicon::person_nouns().at(ws, k).is_some()
                    || demonym_plural(w) && ws[k].capital
                    || matches!(w, "families" | "households" | "displaced" | "idps" | "refugees")
                {
                    person = true;
                    break;
                }
                if lexicon::THING_NOUNS.contains(&w) {
                    break;
                }
                k += 1;
            }
            let flee_before = (n.first.saturating_sub(3)..n.first)
                .any(|k| k >= from && lexicon::FLEE_BEFORE.contains(&ws[k].lower.as_str()));
            let flee_after = (n.end..(n.end + 12).min(to))
                .any(|k| lexicon::FLEE_AFTER.contains(&ws[k].lower.as_str()) || ws[k].is("homes"));
            let killed = harm_before(ws, n.first, from).is_some() || self.harm_after(ws, k.min(to), to).is_some();
            let part = part && person && !self.series.is_empty();
            if killed || !(flee_before || flee_after || part) || !(person || flee_before) {
                i = n.end;
                continue;
            }
            let families = ws.get(k).is_some_and(|w| matches!(w.lower.as_str(), "families" | "households"));
            let mut count = n.count.clone();
            let raw_from = if all_of.is_some() { ws[i].start } else { ws[n.first].start };
            count.raw = Some(self.text[raw_from..ws[n.end - 1].end].to_string());
            if all_of.is_some() {
                count.qualifier = Qualifier::Approximately;
                count.high = Some(count.best);
            }
            let stock = ws[from..to].iter().any(|w| {
                matches!(w.lower.as_str(), "remain" | "remained" | "living" | "sheltering" | "camps" | "hosts" | "host")
            });
            let area =
                place.map(str::to_string).or_else(|| self.region.clone()).unwrap_or_else(|| self.unknown_place());
            let quote_to = ws[(k + 1).min(to) - 1].end.max(ws[n.end - 1].end);
            let statement = format!("Displaced{}: {}", if families { " (families)" } else { "" }, count_words(&count));
            let unit = families.then(|| "families".to_string());
            let cid = self.claim(who, &statement, Some(count.clone()), unit, raw_from, quote_to, s);
            let baseline = since.map(|d| d.date);
            read = true;
            if part && let Some(parent) = self.series.len().checked_sub(1) {
                let what = ws.get(n.end + 2).or(ws.get(k)).map(|w| w.lower.clone()).unwrap_or_default();
                self.series.push(SeriesDraft {
                    area: self.series[parent].area.clone(),
                    baseline: self.series[parent].baseline,
                    as_of: self.date,
                    claims: vec![(cid, count, n.vague)],
                    part_of: Some(parent),
                    note: Some(format!("{what} among them: part of the figure above, never added to it")),
                    stock,
                });
                i = n.end;
                continue;
            }
            // The same figure told again (same area, number and baseline) is another claim
            // of it; so is a vague word beside a number ("hundreds of thousands … 586,000").
            let key = (area.clone(), stock, count.best, baseline);
            if let Some(&same) = self.series_index.get(&key) {
                self.series[same].claims.push((cid, count, n.vague));
                i = n.end;
                continue;
            }
            let recent: Vec<usize> =
                self.series_by_area.get(&area).map(|v| v.iter().rev().take(4).copied().collect()).unwrap_or_default();
            if let Some(same) = recent.into_iter().find(|&x| {
                let x = &self.series[x];
                x.part_of.is_none()
                    && x.stock == stock
                    && (x.baseline == baseline || baseline.is_none() || x.baseline.is_none())
                    && (n.vague || x.claims.iter().all(|c| c.2))
            }) {
                let x = &mut self.series[same];
                if x.baseline.is_none() {
                    x.baseline = baseline;
                }
                x.claims.push((cid, count, n.vague));
                i = n.end;
                continue;
            }
            let draft = SeriesDraft {
                area: area.clone(),
                baseline,
                as_of: self.date,
                claims: vec![(cid, count, n.vague)],
                part_of: None,
                note: families.then(|| "Counts families, not people.".to_string()),
                stock,
            };
            self.series_index.insert(key, self.series.len());
            self.series_by_area.entry(area).or_default().push(self.series.len());
            self.series.push(draft);
            i = n.end;
        }
        read
    }

    /// A town's figure inside its region's figure: part_of, never added. Each top-level
    /// series looks up the areas its own lies in (its `part_of` chain, then the country).
    fn nest_series(&mut self) {
        let countries: Vec<String> = self.series_by_area.keys().filter(|a| self.is_country_place(a)).cloned().collect();
        for a in 0..self.series.len() {
            if self.series[a].part_of.is_some() {
                continue;
            }
            let area = self.series[a].area.clone();
            let mut parent = None;
            let mut at = self.part_of_place(&area);
            for _ in 0..8 {
                let Some(up) = at else { break };
                if let Some(&b) =
                    self.series_by_area.get(&up).and_then(|v| v.iter().find(|&&b| self.series[b].part_of.is_none()))
                {
                    parent = Some(b);
                    break;
                }
                at = self.part_of_place(&up);
            }
            if parent.is_none() {
                parent = countries.iter().filter(|c| **c != area && self.place_inside(&area, c)).find_map(|c| {
                    self.series_by_area
                        .get(c)
                        .and_then(|v| v.iter().find(|&&b| b != a && self.series[b].part_of.is_none()).copied())
                });
            }
            if parent.is_some() {
                self.series[a].part_of = parent;
            }
        }
    }

    fn part_of_place(&self, id: &str) -> Option<String> {
        self.out.place(id).or_else(|| self.reader.loaded.and_then(|s| s.place(id))).and_then(|p| p.part_of.clone())
    }

    /// Post status changes in a clause: a post noun, a status word, and what the words say of
    /// which posts (a count is a claim about the operator's posts there, not named posts).
    fn post_changes(&mut self, ws: &[Word], from: usize, to: usize, mentions: &[Mention]) -> Vec<PostChange> {
        let nouns = lexicon::post_nouns().all(ws, from, to);
        if nouns.is_empty() {
            return Vec::new();
        }
        let statuses = lexicon::post_status_table().all(ws, from, to);
        let mut out = Vec::new();
        for &(status, sfirst, send) in &statuses {
            // An aim ("to reinforce", "to prevent it being surrounded") is not a change.
            let aim = (sfirst.saturating_sub(4)..sfirst)
                .any(|k| k >= from && matches!(ws[k].lower.as_str(), "to" | "prevent" | "avoid" | "stop"))
                && !ws[sfirst.saturating_sub(1)].is("been");
            if aim {
                continue;
            }
            // "besieged Idlib": an adjective of a place, not a change of a post.
            if ws.get(send).is_some_and(|w| w.capital) && sfirst + 1 == send {
                continue;
            }
            // The nearest post noun.
            let Some(&((), nfirst, nend)) = nouns.iter().min_by_key(|&&((), f, _)| f.abs_diff(sfirst)) else {
                continue;
            };
            if nfirst.abs_diff(sfirst) > 12 {
                continue;
            }
            // What an enemy does to a post, told after the post, is in the passive ("was
            // shelled", "have been encircled"); "the post had shelled …" is the post acting.
            let hostile = matches!(status, PostStatus::Attacked | PostStatus::Encircled | PostStatus::Besieged);
            if hostile && sfirst >= nend {
                let passive = ws[nend..sfirst].iter().any(|w| {
                    matches!(
                        w.lower.as_str(),
                        "was"
                            | "were"
                            | "been"
                            | "be"
                            | "is"
                            | "are"
                            | "being"
                            | "remain"
                            | "remains"
                            | "remained"
                            | "now"
                    )
                }) || matches!(ws[sfirst].lower.as_str(), "came" | "under" | "besieged");
                if !passive {
                    continue;
                }
            }
            // "point" needs "military"; "positions" are front lines unless new, military,
            // observation or a force's ("rebel positions" are not posts).
            let noun_word = ws[nfirst].lower.as_str();
            if noun_word == "point" && !(nfirst > 0 && ws[nfirst - 1].is("military")) {
                continue;
            }
            if noun_word.starts_with("position") {
                let lo = nfirst.saturating_sub(3).max(from);
                let qualified = ws[lo..nfirst]
                    .iter()
                    .any(|w| matches!(w.lower.as_str(), "new" | "military" | "observation" | "army" | "another"))
                    || mentions.iter().any(|m| m.end == nfirst && matches!(actors::role_of(m.referent), Role::Forces));
                if !qualified {
                    continue;
                }
            }
            // "lifted", "broken" speak of a siege only when the siege is named.
            if status == PostStatus::Held && !ws[from..send].iter().any(|w| w.lower.starts_with("siege")) {
                continue;
            }
            // How many: "three of its outposts", "two Turkish posts".
            let mut count: Option<Count> = None;
            for k in nfirst.saturating_sub(5)..nfirst {
                if let Some(n) = numbers::number_at(ws, k).filter(|n| {
                    n.end <= nfirst
                        && !numbers::is_year(&ws[n.first])
                        && !self.text[ws[n.end - 1].end..ws[nfirst].start].contains([',', ';'])
                        && ws[n.end..nfirst].iter().all(|w| {
                            !lexicon::THING_NOUNS.contains(&w.lower.as_str())
                                && !matches!(w.lower.as_str(), "commandos" | "troops" | "soldiers" | "existing")
                        })
                }) {
                    let mut c = n.count.clone();
                    c.raw = Some(self.text[ws[n.first].start..ws[nend - 1].end].to_string());
                    count = Some(c);
                    break;
                }
            }
            // Whose: "a Turkish observation post" (a demonym in the noun phrase), "Turkish
            // troops' post", "its posts" (the sentence's subject).
            let demonym = (nfirst.saturating_sub(3).max(from)..nfirst)
                .rev()
                .find_map(|k| {
                    actors::country_word(ws, k).filter(|_| {
                        ws[k].lower != actors::COUNTRIES[actors::country_word(ws, k).unwrap_or(0)].name.to_lowercase()
                            || ws.get(k + 1).is_some_and(|w| w.is("'s"))
                    })
                })
                .map(Referent::Forces);
            let operator = demonym.or_else(|| {
                mentions
                    .iter()
                    .rfind(|m| {
                        m.end <= nend
                            && m.end + 4 >= nfirst
                            && !matches!(actors::role_of(m.referent), Role::Civilians | Role::Protesters)
                    })
                    .or_else(|| mentions.iter().find(|m| m.first < nfirst && ws.get(m.end).is_some_and(|w| w.is("'s"))))
                    .or_else(|| {
                        // "its"/"their": the first actor of the clause.
                        (nfirst > 0
                            && (nfirst.saturating_sub(4)..nfirst)
                                .any(|k| matches!(ws[k].lower.as_str(), "its" | "their")))
                        .then(|| mentions.iter().find(|m| m.first < nfirst))
                        .flatten()
                    })
                    .map(|m| m.referent)
            });
            let operator = operator.or_else(|| {
                // "Turkey says three of its outposts…": the attribution's subject.
                let sent_start = (0..from).rev().take(12).find(|&k| actors::country_word(ws, k).is_some());
                sent_start.and_then(|k| actors::country_word(ws, k)).map(Referent::Country)
            });
            let operator_id = operator.map(|r| self.ensure_actor(actors::actor_of(r, self.home, false)));
            let operator_name = operator_id.as_ref().map(|id| self.group_name(id));
            // Where: the place nearest after the noun ("post west of Sarmin", "in Saraqeb").
            let mut place = None;
            let mut where_words = String::new();
            let mut k = nend;
            while k < to && k < nend + 8 {
                if let Some((pid, end)) = self.place_at(ws, k, true) {
                    let lead = ws[nend..k]
                        .iter()
                        .map(|w| w.lower.as_str())
                        .filter(|w| !matches!(*w, "the" | "to" | "in" | "of" | "at" | "near"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    where_words = if lead.is_empty() {
                        format!(" in {}", self.text[ws[k].start..ws[end - 1].end].trim())
                    } else {
                        format!(" {} of {}", lead, self.text[ws[k].start..ws[end - 1].end].trim())
                    };
                    place = Some(pid);
                    break;
                }
                k += 1;
            }
            let new = (nfirst.saturating_sub(3)..nfirst).any(|k| ws[k].is("new"));
            let another = (nfirst.saturating_sub(2)..nfirst).any(|k| ws[k].is("another"));
            let who = operator_name.clone().unwrap_or_else(|| "Unnamed operator".to_string());
            let area_words: String = if place.is_none() {
                // "in the southeastern part of the region": keep the words.
                let tail: Vec<&str> = ws[nend..to].iter().map(|w| w.lower.as_str()).collect();
                let dir = tail.iter().find_map(|w| direction_word(w));
                dir.map(|d| format!(" in the {} of the region", d.to_lowercase())).unwrap_or_default()
            } else {
                where_words.clone()
            };
            let name = match (&count, new, another) {
                (Some(c), _, _) => format!("{} {} posts{} (unnamed)", c.best, who, area_words),
                (None, true, _) => format!("New {who} post{where_words}"),
                (None, _, true) => format!("{who} position{where_words}"),
                _ if noun_word.ends_with('s') => format!("{who} posts{area_words}"),
                _ => format!("{who} post{where_words}"),
            };
            let note = count
                .as_ref()
                .map(|c| format!("The text counts {} posts without naming them; this record stands for them.", c.best));
            let quote_from = ws[nfirst.min(sfirst)].start;
            let quote_to = ws[nend.max(send) - 1].end;
            let quote_from = if let Some(c) = &count {
                c.raw.as_ref().map_or(quote_from, |_| {
                    ws[nfirst.saturating_sub(5).max(from)..nfirst]
                        .iter()
                        .find(|w| numbers::number_at(std::slice::from_ref(w), 0).is_some())
                        .map_or(quote_from, |w| w.start.min(quote_from))
                })
            } else {
                quote_from
            };
            out.push(PostChange {
                name,
                status,
                operator: operator_id,
                place,
                count,
                quote: (quote_from, quote_to),
                note,
            });
            break;
        }
        out
    }
}

/// Words that stop a victim phrase.
const AUX_STOP: &[&str] =
    &["and", "or", "but", "while", "as", "after", "before", "when", "in", "on", "at", "from", "with", "by"];

/// Words that make an arrest political.
const POLITICAL: &[&str] = &[
    "activists",
    "activist",
    "protesters",
    "opposition",
    "journalists",
    "journalist",
    "militants",
    "suspected",
    "members",
    "terrorism",
    "terror",
    "insurgents",
    "rebels",
    "dissidents",
    "politicians",
    "leader",
    "leaders",
    "commander",
    "security",
    "intelligence",
    "demonstrators",
    "students",
    "charges",
    "treason",
    "sedition",
    "cell",
];

/// Capitalised words that are never places.
const STOP_CAPITALS: &[&str] = &[
    "the",
    "a",
    "an",
    "meanwhile",
    "reports",
    "strikes",
    "comment",
    "follow",
    "agencies",
    "weeks",
    "he",
    "she",
    "they",
    "it",
    "regime",
    "turkish",
    "syrian",
    "russian",
    "government",
    "president",
    "minister",
    "army",
    "police",
    "forces",
    "but",
    "and",
    "in",
    "on",
    "at",
    "according",
    "there",
    "this",
    "that",
    "these",
    "those",
    "we",
    "our",
    "us",
    "nearly",
    "some",
    "about",
    "at",
    "local",
    "state",
    "news",
    "monday",
    "will",
    "security",
    "military",
    "officials",
    "residents",
    "witnesses",
    "sources",
    "source",
    "hundreds",
    "thousands",
    "dozens",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "one",
    "observatory",
    "human",
    "rights",
    "un",
    "ocha",
    "reuters",
    "afp",
    "anadolu",
];

#[derive(Debug, Clone)]
struct Figure {
    harm: Harm,
    count: Count,
    group: String,
    person: PersonKind,
    quote: (usize, usize),
    update: bool,
    group_first: usize,
    group_end: usize,
}

#[derive(Debug, Clone)]
struct PostChange {
    name: String,
    status: PostStatus,
    operator: Option<String>,
    place: Option<String>,
    count: Option<Count>,
    quote: (usize, usize),
    note: Option<String>,
}

trait OwnStatus {
    fn is_own(&self) -> bool;
}

impl OwnStatus for PostStatus {
    /// Statuses its operator brings about (rather than an enemy).
    fn is_own(&self) -> bool {
        matches!(
            self,
            PostStatus::Established
                | PostStatus::UnderConstruction
                | PostStatus::Reinforced
                | PostStatus::Evacuated
                | PostStatus::Held
        )
    }
}

fn harm_before(ws: &[Word], first: usize, from: usize) -> Option<Harm> {
    if first == 0 || first <= from {
        return None;
    }
    let prev = ws[first - 1].lower.as_str();
    if let Some(&(_, h)) = lexicon::HARM_BEFORE.iter().find(|(w, _)| *w == prev) {
        return Some(h);
    }
    // "left 5 dead" is read after; "leaving at least" is a qualifier inside the number.
    None
}

pub(crate) fn singular(word: &str) -> bool {
    !word.ends_with('s') || matches!(word, "boys" | "girls")
}

fn demonym_plural(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('s') else { return false };
    COUNTRIES.iter().any(|c| c.demonyms.contains(&stem))
        || matches!(
            word,
            "afghans" | "somalis" | "iraqis" | "yemenis" | "palestinians" | "rohingya" | "kurds" | "yazidis"
        )
}

fn direction_word(word: &str) -> Option<&'static str> {
    Some(match word {
        "north" | "northern" => "North",
        "south" | "southern" => "South",
        "east" | "eastern" => "East",
        "west" | "western" => "West",
        "northwest" | "north-west" | "northwestern" | "north-western" => "North-west",
        "northeast" | "north-east" | "northeastern" | "north-eastern" => "North-east",
        "southwest" | "south-west" | "southwestern" | "south-western" => "South-west",
        "southeast" | "south-east" | "southeastern" | "south-eastern" => "South-east",
        _ => return None,
    })
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn monday(day: Day) -> Day {
    use chrono::Datelike;
    Day(day.0 - chrono::Duration::days(i64::from(day.0.weekday().num_days_from_monday())))
}

fn window(d: &Draft) -> (Day, Day) {
    let span = crate::domain::model::DateSpan::new(d.date, d.precision, d.end);
    (span.start, span.end)
}

fn precision_rank(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 0,
        DatePrecision::Week => 1,
        DatePrecision::Month => 2,
        DatePrecision::Year => 3,
    }
}

/// "at least 10", "~586,000", "12".
fn count_words(c: &Count) -> String {
    let n = c.best;
    match c.qualifier {
        Qualifier::Exact => match (c.low, c.high) {
            (Some(l), Some(h)) if l != h => format!("{l}-{h}"),
            _ => n.to_string(),
        },
        Qualifier::AtLeast => format!("at least {n}"),
        Qualifier::AtMost => format!("up to {n}"),
        Qualifier::Approximately => match (c.low, c.high) {
            (Some(l), Some(h)) if l != h => format!("about {l}-{h}"),
            (_, Some(h)) if h == n => format!("nearly {n}"),
            _ => format!("about {n}"),
        },
        Qualifier::Unknown => format!("an unknown number (the text's words: {})", c.raw.clone().unwrap_or_default()),
    }
}

/// Splits a sentence into clauses: at ";", at "but"/"while"/"whereas", and at "and" when a
/// new subject with its own verb follows ("… killed five soldiers and three civilians were
/// killed …"); a piece with no verb of its own stays with the clause before it.
fn clauses(ws: &[Word]) -> Vec<Clause> {
    let mut cuts = vec![0];
    for i in 1..ws.len() {
        let w = ws[i].lower.as_str();
        let split = match w {
            "but" | "while" | "whereas" | "meanwhile" => true,
            "and" if i >= 2 && ws[i - 2].is("between") => false,
            "and" => {
                // A new clause when what follows has a verb of its own before the next "and".
                let rest = &ws[i + 1..ws.len().min(i + 10)];
                rest.iter().any(|x| {
                    matches!(
                        x.lower.as_str(),
                        "were"
                            | "was"
                            | "have"
                            | "has"
                            | "had"
                            | "are"
                            | "is"
                            | "left"
                            | "headed"
                            | "fled"
                            | "died"
                            | "said"
                    )
                }) && numbers::number_at(ws, i + 1).is_some_and(|n| {
                    !ws.get(n.end).is_some_and(|x| lexicon::HARM_AFTER.iter().any(|(h, _)| x.is(h)))
                        && (n.end..(n.end + 3).min(ws.len())).any(|k| lexicon::person_nouns().at(ws, k).is_some())
                }) || rest.first().is_some_and(|x| matches!(x.lower.as_str(), "headed" | "then" | "later"))
            }
            _ => false,
        };
        if split {
            cuts.push(i);
        }
    }
    cuts.push(ws.len());
    cuts.windows(2).map(|w| Clause { first: w[0], end: w[1] }).filter(|c| c.first < c.end).collect()
}
