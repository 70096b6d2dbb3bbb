//! Any bytes as a Pabulib `.pb` election: the streaming parser returns one pool and one round or an
//! input error naming the file and line, never a panic; accepted elections evaluate without
//! panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::check(allot::scenario::read_pb(data, std::path::Path::new("election.pb")));
});
