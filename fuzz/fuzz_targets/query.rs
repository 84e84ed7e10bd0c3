#![no_main]
//! Fuzzes the query parser and the matcher on the default data set, and the filter input as
//! the dashboard feeds it one keystroke at a time.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sitdash::ingest::input::LoadOptions;
use sitdash::ingest::load::load_str;
use sitdash::domain::model::Situation;
use sitdash::domain::query::{Query, QueryContext, SearchIndex, matching_events};

fn data() -> &'static (Situation, SearchIndex) {
    static DATA: OnceLock<(Situation, SearchIndex)> = OnceLock::new();
    DATA.get_or_init(|| {
        let (sit, _) = load_str(sitdash::DEFAULT_DATA_NAME, sitdash::DEFAULT_DATA, LoadOptions::default()).expect("default data");
        let index = SearchIndex::new(&sit);
        (sit, index)
    })
}

fuzz_target!(|text: &str| {
    let (sit, index) = data();
    let ctx = QueryContext { sit, today: sit.as_of };
    match Query::parse(text, &ctx) {
        Ok(query) => {
            let found = matching_events(&query, index, sit);
            assert!(found.iter().all(|&i| (i as usize) < sit.events.len()));
            let _ = query.window(sit.as_of);
        }
        Err(err) => assert!(err.column >= 1 && err.column <= text.chars().count() + 1, "column {} for {text:?}", err.column),
    }
});
