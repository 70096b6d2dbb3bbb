//! Any bytes as a TOML scenario file: the reader returns a scenario or an input error, never
//! panics; an accepted scenario evaluates without panicking, and what it evaluates to holds.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::check(allot::scenario::load_from_memory(
        "scenario.toml",
        &[("scenario.toml", data)],
    ));
});
