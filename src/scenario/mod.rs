//! Stage 1 of the pipeline: the scenario. Domain types (pools, rounds, rules, scoring, committee
//! decisions, applications), exact money, and the readers that turn files into validated values.

mod applications;
mod decode;
mod money;
mod read;
mod types;

pub use money::{Amount, Money, Unit};
#[doc(hidden)]
pub use read::load_from_memory;
pub use read::{from_json_str, from_toml_str, load, load_default, DEFAULT_DIR};
pub use types::*;
