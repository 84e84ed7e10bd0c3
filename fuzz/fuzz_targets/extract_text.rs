#![no_main]
//! Fuzzes the text reader: any bytes, read as text, give a document that loads, whose
//! every claim's span lies inside the text and quotes what it says.

use libfuzzer_sys::fuzz_target;
use sitdash::domain::model::Day;
use sitdash::ingest::extract::{Article, extract};
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::load_str;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let date = Day::parse("2020-02-07").ok();
    let article = Article { name: "fuzz.txt".into(), text: text.clone(), date, source: None };
    let doc = extract(&[article]).expect("a dated article always reads");
    let chars = text.chars().count();
    for c in &doc.claims {
        let [a, b] = c.span.expect("a span");
        assert!(a <= b && b <= chars, "span {a}..{b} of {chars}");
        // The reader cleans characters one for one, so the quote is as long as its span.
        assert_eq!(c.quote.as_deref().map(|q| q.chars().count()), Some(b - a), "claim {}", c.id);
    }
    if let Err(err) = load_str("fuzz.json", &doc.to_json(), LoadOptions::default()) {
        panic!("extracted document refused: {:?}", err.problems);
    }
});
