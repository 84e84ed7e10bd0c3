#![no_main]
//! Fuzzes the UCDP GED reader (HXL rows and odd figures included) and the app over what it loads.

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::load_and_draw("ged.csv", data, sitdash::ingest::input::InputFormat::Ucdp);
});
