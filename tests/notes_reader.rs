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
    let events: Vec<_> = sit.events.iter().map(|e| (&e.id, sit.claim_ids(e), &e.written().posts)).collect();
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
