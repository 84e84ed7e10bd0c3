//! The notes reader at scale: reading on two threads gives what one thread gives, and the
//! tight prefilter turns away only notes the reader finds nothing in.

use sitdash::cli::generate::{GenFormat, generate};
use sitdash::domain::model::Situation;
use sitdash::ingest::extract::notes::{self, Filter, NotesRead};
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::load_str;

fn generated(events: usize, seed: u64) -> Situation {
    let mut csv = Vec::new();
    generate(&mut csv, GenFormat::Acled, events, seed).expect("generating into memory");
    let text = String::from_utf8(csv).expect("generated text is UTF-8");
    load_str("generated.csv", &text, LoadOptions::default()).expect("the generated file loads").0
}

fn fixture() -> Situation {
    let text = std::fs::read_to_string("tests/fixtures/extract/notes_acled.csv").expect("the notes fixture");
    load_str("notes.csv", &text, LoadOptions::default()).expect("the import loads").0
}

/// Everything the notes reader can change, as text to compare.
fn added(sit: &Situation) -> String {
    let events: Vec<_> = sit.events.iter().map(|e| (&e.id, sit.claim_ids(e), sit.posts_of(e))).collect();
    let actors: Vec<_> = sit.actors.iter().map(|a| &a.id).collect();
    serde_json::to_string(&(&sit.every_claim(), &sit.posts, &sit.sources, actors, events)).expect("serialisable")
}

fn read(mut sit: Situation, threads: usize, filter: Filter) -> (NotesRead, String) {
    let read = notes::apply_with(&mut sit, threads, filter);
    (read, added(&sit))
}

#[test]
fn two_threads_read_what_one_thread_reads() {
    for sit in [generated(3_000, 7), fixture()] {
        let (one, a) = read(sit.clone(), 1, Filter::Tight);
        let (two, b) = read(sit.clone(), 2, Filter::Tight);
        let (three, c) = read(sit, 3, Filter::Tight);
        assert_eq!(one, two);
        assert_eq!(one, three);
        assert!(a == b && a == c, "the result depends on the number of threads");
    }
}

#[test]
fn the_prefilter_turns_away_only_notes_that_yield_nothing() {
    for sit in [generated(2_000, 11), fixture()] {
        let (tight, a) = read(sit.clone(), 2, Filter::Tight);
        let (keywords, b) = read(sit, 2, Filter::Keywords);
        assert!(a == b, "a note the tight prefilter turned away held something");
        assert_eq!(
            (tight.posts_added, tight.status_changes, tight.casualty_claims),
            (keywords.posts_added, keywords.status_changes, keywords.casualty_claims)
        );
        assert_eq!(tight.keyword, keywords.read);
        assert!(tight.read <= keywords.read);
    }
    // On generated notes the tight prefilter reads a fraction of what the keywords let in
    // (their words list holds "killing", "wounding", "positions" and "checkpoint").
    let (tight, _) = read(generated(2_000, 11), 1, Filter::Tight);
    assert!(tight.keyword > tight.rows * 3 / 4, "{tight:?}");
    assert!(tight.read < tight.keyword / 2, "{tight:?}");
    assert!(tight.status_changes > 0 && tight.casualty_claims > 0, "{tight:?}");
}

/// Everything a reader of the situation sees of what the notes reader added: claims (in
/// order, and each by its id), posts as written out, each event's claims, posts and record,
/// `source:` and `post:` queries, and the exports.
fn seen(sit: &Situation) -> String {
    use sitdash::domain::query::{Query, QueryContext, SearchIndex, matching_events};
    use sitdash::ingest::export::{EventFormat, write_events};
    let claims = sit.every_claim();
    for c in &claims {
        assert_eq!(sit.claim(&c.id).as_deref(), Some(&**c), "claim {} by its id", c.id);
    }
    let posts: Vec<_> = sit.posts.iter().map(|p| sit.post_record(p)).collect();
    let changes: Vec<_> =
        sit.posts.iter().flat_map(|p| &p.history).map(|h| (sit.change_claims(h), sit.change_note(h))).collect();
    for h in sit.posts.iter().flat_map(|p| &p.history) {
        let by_id: Vec<_> = sit.change_claims(h).iter().filter_map(|id| sit.claim(id)).collect();
        assert_eq!(sit.change_claim_records(h), by_id);
    }
    let events: Vec<_> = sit
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let concerns: Vec<bool> = (0..sit.posts.len()).map(|p| sit.concerns_post(e, p)).collect();
            let by_id: Vec<bool> = (0..sit.posts.len()).map(|p| sit.posts_of(e).contains(&sit.posts[p].id)).collect();
            assert_eq!(concerns, by_id, "event {i}");
            (&e.id, sit.claim_ids(e), sit.posts_of(e), sit.event_claims(e).collect::<Vec<_>>(), sit.event_record(e))
        })
        .collect();
    let index = SearchIndex::new(sit);
    let queries: Vec<(String, Vec<u32>)> = [
        "source:notes",
        "source:sitdash",
        "source:\"notes of event\"",
        "source:syn1",
        "source:syrx04",
        "post:morek",
        "post:checkpoint",
    ]
    .iter()
    .filter_map(|q| Query::parse(q, &QueryContext { sit, today: sit.as_of }).ok().map(|p| (q.to_string(), p)))
    .map(|(q, p)| (q, matching_events(&p, &index, sit)))
    .collect();
    let all: Vec<u32> = (0..sit.events.len() as u32).collect();
    let mut exports = Vec::new();
    for format in [EventFormat::Jsonl, EventFormat::Situation] {
        let mut out = Vec::new();
        write_events(&mut out, sit, &all, format).expect("writes");
        exports.push(String::from_utf8(out).expect("UTF-8"));
    }
    assert_eq!(
        sit.claim_count(),
        sit.claims.len() + sit.read.len() + sit.events.iter().filter(|e| e.row.is_some()).count()
    );
    serde_json::to_string(&(&claims, &posts, changes, &sit.sources, events, queries, exports)).expect("serialisable")
}

/// Notes with typographic quotes, dashes and no-break spaces, which the reader reads as their
/// plain forms: its quotes and sentences are then not words of the notes.
fn typographic(csv: &str, every: usize) -> String {
    let mut out = String::with_capacity(csv.len());
    for (i, line) in csv.lines().enumerate() {
        let line = if i % every == 1 {
            line.replacen(" several", "\u{a0}several", 1).replacen(" the ", " the \u{2018}", 1).replacen(
                " on ",
                " on\u{2014}",
                1,
            )
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn claims_made_from_what_is_kept_are_the_claims_the_reader_stored() {
    use sitdash::cli::generate::{GenFormat, generate};
    use sitdash::ingest::extract::notes::{Keep, apply_kept};
    let mut cases = vec![fixture()];
    for (events, seed, every) in [(2_500, 3, 0), (1_500, 19, 3), (800, 40, 2)] {
        let mut csv = Vec::new();
        generate(&mut csv, GenFormat::Acled, events, seed).expect("generating into memory");
        let mut text = String::from_utf8(csv).expect("generated text is UTF-8");
        if every > 0 {
            text = typographic(&text, every);
        }
        cases.push(load_str("generated.csv", &text, LoadOptions::default()).expect("loads").0);
    }
    let fixture = std::fs::read_to_string("tests/fixtures/extract/notes_acled.csv").expect("the notes fixture");
    let text = typographic(&fixture.replace("observation post", "observation post \u{201c}Morek\u{201d}"), 2);
    cases.push(load_str("notes.csv", &text, LoadOptions::default()).expect("loads").0);
    for (n, sit) in cases.into_iter().enumerate() {
        let mut compact = sit.clone();
        let mut stored = sit;
        let a = apply_kept(&mut compact, 2, Filter::Tight, Keep::Compact);
        let b = apply_kept(&mut stored, 2, Filter::Tight, Keep::Stored);
        assert_eq!(a, b, "case {n}");
        assert!(a.status_changes + a.casualty_claims > 0, "case {n} reads something: {a:?}");
        assert_eq!(compact.read.len(), a.status_changes + a.casualty_claims, "case {n}: all kept compactly");
        assert!(stored.read.is_empty() && compact.claims.len() < stored.claims.len());
        assert!(seen(&compact) == seen(&stored), "case {n}: the claims made differ from those stored");
        if n >= 2 {
            // Some quotes are not words of the notes as written (the reader read them cleaned).
            let elsewhere = compact.every_claim().iter().any(|c| {
                let event = c.id.rsplit_once("-n").and_then(|(e, _)| compact.event_index(e));
                c.quote.as_deref().is_some_and(|q| {
                    event.and_then(|e| compact.notes(&compact.events[e])).is_some_and(|notes| !notes.contains(q))
                })
            });
            assert!(elsewhere, "case {n} has a quote that the notes do not hold as written");
        }
        // Reading again adds nothing to the compact claims.
        let again = compact.clone();
        apply_kept(&mut compact, 1, Filter::Tight, Keep::Compact);
        assert!(seen(&compact) == seen(&again), "case {n}: read twice");
        // An appended event that sorts first moves every event: the claims follow them.
        let first = compact.events[0].date.add_days(-30);
        let line = format!(
            "{{\"event\":{{\"id\":\"appended-1\",\"date\":\"{first}\",\"kind\":\"armed_clash\",\"place\":\"{}\",\"summary\":\"An appended event\"}}}}\n",
            compact.events[0].place
        );
        let took = sitdash::ingest::follow::append(&mut compact, "more.jsonl", line.clone(), 1);
        assert!(took.problems.is_empty() && !took.at_end, "{took:?}");
        sitdash::ingest::follow::append(&mut stored, "more.jsonl", line, 1);
        assert!(seen(&compact) == seen(&stored), "case {n}: after an append that moves every event");
    }
}
