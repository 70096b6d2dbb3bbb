//! Any bytes as the applications workbook (`applications.xlsx`) of the bundled Quzhou scenario:
//! the zip/XML layers (calamine), merged-cell and formula checks and the shared table reader return
//! applications or an input error naming the sheet and cell, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[path = "common.rs"]
mod common;

const SCENARIO: &str = include_str!("../../scenarios/quzhou-2019/scenario.toml");

fn scenario() -> &'static [u8] {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| SCENARIO.replace("applications.csv", "applications.xlsx"))
        .as_bytes()
}

fuzz_target!(|data: &[u8]| {
    common::check(allot::scenario::load_from_memory(
        "scenario.toml",
        &[("scenario.toml", scenario()), ("applications.xlsx", data)],
    ));
});
