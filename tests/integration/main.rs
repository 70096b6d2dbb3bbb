//! The integration tests of the library and the binary: one test binary (linked once), a module
//! per topic, and the helpers they share in [`util`].
//!
//! * `cargo test --release --test integration` runs them; `-- cli::` (a module's name) one topic.
//! * Golden files are in `tests/golden/`; after an intended change of the output, rewrite them with
//!   `ALLOT_BLESS=1 cargo test --release --test integration` and review the diff.
//! * Proptest's regression files are in `tests/proptest-regressions/<module>.txt` (proptest's
//!   default place for a module of a crate root holding `main.rs`).
//! * The slow proofs (`scale::scaled_rounds_of_ten_and_a_hundred_thousand_are_proven_optimal`)
//!   are ignored here and run by a step of their own in `.ci/run`.

mod util;

mod adversarial;
mod audit;
mod bad_input;
mod batch;
mod brute_force;
mod cli;
mod exact;
mod explain;
mod export;
mod files;
mod pabulib;
mod panel;
mod report;
mod room;
mod scale;
mod serve;
mod setup;
mod sweep;
mod sweep_plot;
mod whatif;
mod workbook;
