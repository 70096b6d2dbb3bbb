//! Command-line wiring: one file per subcommand, shared argument types and the atomic writer.

mod check;
mod explain;
mod generate;
mod output;
mod reserve;
mod solve;

use allot::scenario::{self, Scenario};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXIT_CODES: &str = "Exit codes:
  0  success (solve: a proven optimum)
  1  an output file could not be written
  2  bad input: a missing or malformed file, an unknown reference, a bad value (or bad arguments)
  3  infeasible: the committee's locks and dependencies cannot all hold
  4  solver failure, or a portfolio that failed exact verification
  5  the time limit stopped the search: the best portfolio found is reported with its gap";

/// Provably optimal portfolios for competitive public funding rounds.
#[derive(Parser)]
#[command(name = "allot", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a scenario: the optimal portfolio, per-round shortlists, pools and the rank-and-cut comparison.
    #[command(after_help = EXIT_CODES)]
    Solve(solve::Args),
    /// Validate a scenario and show each project's eligibility, subsidy and score without solving.
    #[command(after_help = EXIT_CODES)]
    Check(check::Args),
    /// Explain one project: eligibility per round, score and rank, what keeps it out, and its exact margins.
    #[command(after_help = EXIT_CODES)]
    Explain(explain::Args),
    /// Reserve lists (候补名单): per round, who steps in when funded projects withdraw.
    #[command(after_help = EXIT_CODES)]
    Reserve(reserve::Args),
    /// Write a synthetic Quzhou-shaped scenario (for trials and benchmarks; the data is made up).
    Generate(generate::Args),
}

/// Output formats.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// Tables for people.
    Table,
    /// JSON (for solve: the certificate).
    Json,
    /// CSV, one row per project (check: per project and round).
    Csv,
}

/// Loads the scenario a user named, or the built-in default.
pub fn load(path: Option<&PathBuf>) -> allot::Result<Scenario> {
    match path {
        Some(p) => scenario::load(p),
        None => scenario::load_default(),
    }
}

/// Runs a command; `Ok` carries the exit code.
pub fn run(cli: Cli) -> allot::Result<i32> {
    match cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Check(args) => check::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Reserve(args) => reserve::run(args),
    }
}
