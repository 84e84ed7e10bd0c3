#![no_main]
//! Fuzzes the Situation loader (and the app over whatever it loads).

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::load_and_draw("situation.json", data, sitdash::ingest::input::InputFormat::Situation);
});
