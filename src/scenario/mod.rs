//! Stage 1 of the pipeline: the scenario. Domain types (pools, rounds, rules, scoring, committee
//! decisions, applications), exact money, and the readers that turn files into validated values.

mod applications;
mod decode;
mod money;
mod overrides;
pub mod pabulib;
mod panel;
mod read;
mod types;
mod workbook;

pub use money::{Amount, Money, Unit};
pub use overrides::{load_with_overrides, Overrides, Snapshot};
pub use pabulib::{load_pb, read_pb};
pub use panel::{Aggregate, Panel, MAX_EXPERTS};
#[doc(hidden)]
pub use read::load_from_memory;
pub use read::{builtin_file, from_json_str, from_toml_str, load, load_default, DEFAULT_DIR};
pub use types::*;
