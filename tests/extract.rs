//! `sitdash extract` through the library: the seed article yields the figures a careful
//! reader takes, the document loads, and every claim's quote is where its span says.

use sitdash::domain::figures::TimeWindow;
use sitdash::domain::model::{Day, PostStatus, Situation};
use sitdash::domain::summary;
use sitdash::ingest::extract::{Article, Document, extract};
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::load_str;

const SEED: &str = include_str!("../../shared/seeds/000_0cd240503c6f6813.txt");

fn seed() -> Document {
    let article =
        Article { name: "seed.txt".into(), text: SEED.to_string(), date: None, source: Some("The New Arab".into()) };
    extract(&[article]).expect("the seed has a dateline")
}

fn load(doc: &Document) -> Situation {
    let (sit, _) = load_str("extracted.json", &doc.to_json(), LoadOptions::default()).expect("the document loads");
    sit
}

#[test]
fn the_seed_yields_the_idlib_figures() {
    let doc = seed();
    let sit = load(&doc);
    let events: Vec<_> = sit.events.iter().collect();
    let s = summary::to_json(&sit, &events, TimeWindow::as_of(Day::parse("2020-02-07").ok()));
    let killed = &s["killed"];
    assert_eq!(killed["best"], 31, "{killed}");
    assert_eq!(killed["lower_bound"], true, "{killed}");
    let groups = &killed["by_group"];
    assert_eq!(groups["civilians"]["best"], 13, "{groups}");
    assert_eq!(groups["turkish_forces"]["best"], 5, "{groups}");
    assert_eq!(groups["syrian_government_forces"]["best"], 13, "{groups}");
    // ~586,000 since 1 Dec 2019, and Saraqeb's ~110,000 inside it, never added.
    let series: Vec<_> = s["displacement"].as_array().unwrap().iter().collect();
    let top = series.iter().find(|v| v["best"] == 586_000).expect("586,000");
    assert_eq!(top["since"], "2019-12-01");
    assert_eq!(top["qualifier"], "approximately");
    let saraqeb = series.iter().find(|v| v["best"] == 110_000).expect("110,000");
    assert_eq!(saraqeb["part_of"], top["series"]);
    // Three posts encircled, one post being built west of Sarmin.
    let encircled =
        sit.posts.iter().find(|p| p.history.iter().any(|h| h.status == PostStatus::Encircled)).expect("encircled");
    let claim = sit.claim(&sit.change_claims(&encircled.history[0])[0]).unwrap();
    assert_eq!(claim.count.as_ref().map(|c| c.best), Some(3));
    assert_eq!(claim.unit.as_deref(), Some("posts"));
    let sarmin = sit
        .posts
        .iter()
        .find(|p| p.history.iter().any(|h| h.status == PostStatus::UnderConstruction))
        .expect("post being built");
    assert_eq!(sarmin.place, "sarmin");
    assert!(sarmin.name.contains("west of Sarmin"), "{}", sarmin.name);
}

#[test]
fn the_seed_dates_kinds_and_attributions() {
    let doc = seed();
    let main = &doc.events[0];
    assert_eq!(main.kind.id(), "other_strategic", "the reinforcements lead: {}", main.written().summary);
    let by_kind = |k: &str| doc.events.iter().filter(|e| e.kind.id() == k).collect::<Vec<_>>();
    let air = by_kind("air_drone_strike");
    assert_eq!(air.len(), 1);
    assert_eq!(air[0].date.to_string(), "2020-02-06");
    assert_eq!(air[0].written().by, ["russian_forces"]);
    let taken = by_kind("government_regains_territory");
    assert_eq!(&*taken[0].place, "saraqib");
    let talks = doc.events.iter().find(|e| &*e.place == "ankara").expect("the talks in Ankara");
    assert_eq!(talks.status.word(), "announced");
    assert_eq!(talks.date.to_string(), "2020-02-08");
    let week = doc
        .events
        .iter()
        .find(|e| e.written().casualties.iter().any(|c| c.group == "civilians") && e.kind.id().starts_with("shelling"))
        .unwrap();
    assert_eq!(
        (week.date.to_string(), week.precision),
        ("2020-02-03".to_string(), sitdash::domain::model::DatePrecision::Week)
    );
    let strike_claim = doc.claims.iter().find(|c| c.quote.as_deref() == Some("killed at least 10 civilians")).unwrap();
    assert_eq!(strike_claim.attributed_to, "New Arab's Arabic-language service");
}

#[test]
fn every_quote_is_at_its_span() {
    let doc = seed();
    let chars: Vec<char> = SEED.chars().collect();
    for c in &doc.claims {
        let [a, b] = c.span.expect("a span");
        let at: String = chars[a..b].iter().collect();
        let quote = c.quote.as_deref().unwrap();
        // The reader cleans typographic quotes one for one; compare letters and digits.
        let plain = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
        assert_eq!(plain(&at), plain(quote), "claim {}", c.id);
        assert!(c.context.as_deref().unwrap().contains(quote));
    }
}

#[test]
fn no_event_without_political_violence() {
    let texts = [
        "Date: 2021-03-04\n\nHeavy floods swept through the valley on Tuesday, killing 12 people and forcing 3,000 residents from their homes.",
        "Date: 2021-03-04\n\nPolice arrested two men after a robbery at a jewellery shop on Monday.",
        "Date: 2021-03-04\n\nThe president gave a long speech about the economy to parliament on Wednesday.",
    ];
    for text in texts {
        let doc = extract(&[Article { name: "t".into(), text: text.into(), date: None, source: None }]).unwrap();
        assert!(
            doc.events.is_empty(),
            "{text}: {:?}",
            doc.events.iter().map(|e| &e.written().summary).collect::<Vec<_>>()
        );
    }
}

#[test]
fn an_article_without_a_date_is_refused_with_a_way_out() {
    let err = extract(&[Article {
        name: "a.txt".into(),
        text: "Gunmen killed 3 villagers.".into(),
        date: None,
        source: None,
    }])
    .unwrap_err();
    assert!(err.to_string().contains("--date"), "{err}");
}

#[test]
fn the_seed_over_the_hand_coded_data_counts_nothing_twice() {
    use sitdash::ingest::extract::extract_with;
    use sitdash::ingest::extract::merge::mark_same_incidents;
    use sitdash::ingest::input::InputFile;
    use sitdash::ingest::load::load_inputs;

    let (base, _) = load_str(sitdash::DEFAULT_DATA_NAME, sitdash::DEFAULT_DATA, LoadOptions::default()).unwrap();
    let article =
        Article { name: "seed.txt".into(), text: SEED.to_string(), date: None, source: Some("The New Arab".into()) };
    let mut doc = extract_with(&base, &[article]).unwrap();
    // Read against the loaded data, the article names its places and actors by their ids.
    let strike = doc.events.iter().find(|e| e.kind.id() == "air_drone_strike").unwrap();
    assert_eq!(&*strike.place, "idlib-city");
    assert_eq!(strike.written().by, ["russian_forces"]);
    let marked = mark_same_incidents(&mut doc, &base);
    assert!(marked >= 3, "{marked} marked");
    let strike = doc.events.iter().find(|e| e.kind.id() == "air_drone_strike").unwrap();
    assert_eq!(strike.written().same_incident_as.as_deref(), Some("idl-20200206-idlib-city-strikes"));
    let inputs = [
        InputFile::new(sitdash::DEFAULT_DATA_NAME, sitdash::DEFAULT_DATA.to_string()),
        InputFile::new("seed (extracted).json", doc.to_json()),
    ];
    let (sit, _) = load_inputs(&inputs, LoadOptions::default()).expect("base and extracted load together");
    let events: Vec<_> = sit.events.iter().collect();
    let s = summary::to_json(&sit, &events, TimeWindow::as_of(Day::parse("2020-02-07").ok()));
    // The hand-coded 31+ stays 31+: the extracted reports of the same incidents are evidence.
    assert_eq!(s["killed"]["best"], 31, "{}", s["killed"]);
}

/// Time linear in the text: 10 MB of report sentences read in one article, within a bound
/// generous enough for a debug build on a busy machine (a quadratic step would take hours).
#[test]
fn ten_megabytes_of_sentences_read_in_linear_time() {
    let mut sentences = String::new();
    for file in ["dev-kinds.txt", "dev-figures.txt", "dev-displacement.txt", "dev-posts.txt", "dev-negatives.txt"] {
        let text = std::fs::read_to_string(format!("tests/fixtures/extract/{file}")).unwrap();
        for line in text.lines().filter_map(|l| l.strip_prefix("text: ")) {
            sentences.push_str(line);
            sentences.push(' ');
        }
    }
    let mut text = String::with_capacity(10_500_000);
    text.push_str("Date: 2021-06-10\n\n");
    while text.len() < 10_000_000 {
        text.push_str(&sentences);
        text.push_str("\u{1b}[31m\n");
    }
    let start = std::time::Instant::now();
    let doc = extract(&[Article { name: "big.txt".into(), text, date: None, source: None }]).unwrap();
    let took = start.elapsed();
    assert!(took.as_secs() < 300, "10 MB took {took:?}");
    // Control characters never reach the document.
    assert!(doc.claims.iter().all(|c| !c.context.as_deref().unwrap_or("").contains('\u{1b}')));
    load(&doc);
}

#[test]
fn notes_of_an_import_give_one_post_across_events_and_breakdowns_as_claims() {
    use sitdash::ingest::extract::notes;
    let text = std::fs::read_to_string("tests/fixtures/extract/notes_acled.csv").unwrap();
    let (mut sit, _) = load_str("notes.csv", &text, LoadOptions::default()).expect("the import loads");
    let before = sit.casualties_of(sit.events.iter().find(|e| e.id.contains("SYRX04")).unwrap()).into_owned();
    let read = notes::apply(&mut sit);
    assert_eq!(read.status_changes, 3, "{read:?}");
    // One post, three changes, in date order, each citing its event and quoting its words.
    let morek: Vec<_> = sit.posts.iter().filter(|p| p.name.contains("Morek")).collect();
    assert_eq!(morek.len(), 1, "{:?}", sit.posts.iter().map(|p| &p.name).collect::<Vec<_>>());
    let statuses: Vec<&str> = morek[0].history.iter().map(|h| h.status.id()).collect();
    assert_eq!(statuses, ["attacked", "encircled", "evacuated"]);
    for h in &morek[0].history {
        let c = sit.claim(&sit.change_claims(h)[0]).unwrap();
        assert!(c.attributed_to.starts_with("notes of event"), "{}", c.attributed_to);
        assert_eq!(c.confidence, Some(sitdash::domain::model::Confidence::Low));
        assert!(c.quote.is_some());
    }
    // The breakdown is a claim on the event; ACLED's fatalities stays the counted figure.
    let e = sit.events.iter().find(|e| e.id.contains("SYRX04")).unwrap();
    assert_eq!(sit.casualties_of(e).into_owned(), before);
    let claims: Vec<_> = sit.event_claims(e).filter(|c| c.source == notes::NOTES_SOURCE).collect();
    assert!(claims.iter().any(|c| c.count.as_ref().map(|n| n.best) == Some(6)), "{claims:?}");
    // The situation still validates as a whole: summary and posts see it.
    let events: Vec<_> = sit.events.iter().collect();
    let s = summary::to_json(&sit, &events, TimeWindow::as_of(Day::parse("2020-02-25").ok()));
    assert_eq!(s["posts"]["by_status"]["evacuated"], 1, "{}", s["posts"]);
}

/// Found by the `extract_text` fuzz target: a three-byte character just before a full stop
/// made the abbreviation check slice inside it. Kept as it was found.
#[test]
fn a_wide_character_before_a_full_stop_does_not_split_it() {
    let bytes =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz/extract-wide-char-before-a-dot.bin"))
            .expect("the fuzz crash fixture");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(text.contains('\u{fffd}'), "the fixture holds the wide character that broke the split");
    let article = Article { name: "crash.txt".into(), text, date: Day::parse("2021-06-10").ok(), source: None };
    let doc = extract(&[article]).expect("a dated article always reads");
    // It reads as any article does: a document that loads.
    load(&doc);
}
