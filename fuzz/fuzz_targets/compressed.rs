#![no_main]
//! Fuzzes compressed input: gzip, zip and .xlsx bytes unpacked in memory under a small limit
//! (a bomb must stop there, never exhaust memory), then loaded as their content says.

use libfuzzer_sys::fuzz_target;
use sitdash::ingest::input::{InputFormat, LoadOptions};
use sitdash::ingest::unpack::decode;

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions { max_unpacked: 8 << 20, ..LoadOptions::DEFAULT };
    for sheet in [None, Some("Sheet1")] {
        match decode("input.zip", data.to_vec(), options, sheet, 0) {
            Ok(inputs) => {
                let _ = sitdash::ingest::load::load_owned_with(inputs, LoadOptions { format: InputFormat::Auto, ..options }, &Default::default());
            }
            Err(problem) => {
                let _ = problem.to_string();
            }
        }
    }
});
