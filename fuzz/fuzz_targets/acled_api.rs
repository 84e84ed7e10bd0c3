#![no_main]
//! Fuzzes the ACLED API reader (whole answers, arrays, one object per line) and the loader
//! and app over the table it makes; positions are asked for every problem, through the JSON.

use libfuzzer_sys::fuzz_target;
use sitdash::ingest::import::api;
use sitdash::ingest::input::{InputFormat, LoadOptions, input_from_bytes};
use sitdash::ingest::load::load_inputs;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = input_from_bytes("api.json".to_string(), data.to_vec()) else { return };
    let _ = api::looks_like(&input.text);
    let table = match api::to_table(input) {
        Ok(table) => table,
        Err(problem) => {
            let _ = problem.to_string();
            return;
        }
    };
    for skip_invalid in [false, true] {
        let options = LoadOptions { skip_invalid, format: InputFormat::Acled, ..LoadOptions::DEFAULT };
        match load_inputs(std::slice::from_ref(&table), options) {
            Ok((_, report)) => assert_eq!(report.read, report.loaded + report.skipped),
            Err(err) => assert!(!err.problems.is_empty()),
        }
    }
});
