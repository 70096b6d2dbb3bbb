//! # allot — provably optimal portfolios for competitive public funding rounds
//!
//! The pipeline runs one way: a [`scenario`] (pools, rounds, rules, scoring weights, committee
//! decisions, applications) goes through the [`rules`] (eligibility with reasons, exact subsidies,
//! scores) to candidates; [`solve`] builds the integer program and proves the optimum under a
//! deterministic tie-break (exactly, by enumeration over the columns an exact dual bound leaves
//! free; by HiGHS's branch and bound where the enumeration gives up), re-verifies it in exact
//! decimal arithmetic and compares it with rank-and-cut; [`report`] turns the outcome into tables, JSON certificates and CSV.
//!
//! ```
//! let scenario = allot::scenario::load_default().unwrap();
//! let evaluation = allot::rules::evaluate(&scenario);
//! let outcome = allot::solve::solve(&scenario, &evaluation, &Default::default()).unwrap();
//! assert!(outcome.portfolio.total_score >= outcome.baseline.unwrap().total_score);
//! ```

#![deny(missing_docs)]
// One exception, `solve::highs_version`, allowed where it stands.
#![deny(unsafe_code)]

pub mod audit;
pub mod error;
pub mod explain;
pub mod generate;
pub mod parallel;
pub mod report;
pub mod rules;
pub mod scenario;
pub mod solve;
pub mod sweep;

pub use error::{Error, Result};
