//! Stage 1 of the pipeline: the scenario. Domain types (pools, rounds, rules, scoring, committee
//! decisions, applications), exact money, and the readers that turn files into validated values.

mod applications;
mod money;
mod read;
mod types;
mod workbook;

pub use money::{Amount, Money, Unit};
pub use read::{from_toml_str, load, load_default, DEFAULT_DIR};
pub use types::*;
