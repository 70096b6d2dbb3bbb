//! Any bytes as the applications table of the bundled Quzhou scenario (Chinese headers, 万元,
//! yes/no flag columns): decoding (UTF-8, BOM, GBK), the cell checks and the table reader return
//! applications or an input error, never panic; accepted applications evaluate without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const SCENARIO: &[u8] = include_bytes!("../../scenarios/quzhou-2019/scenario.toml");

fuzz_target!(|data: &[u8]| {
    common::check(allot::scenario::load_from_memory(
        "scenario.toml",
        &[("scenario.toml", SCENARIO), ("applications.csv", data)],
    ));
});
