//! `allot solve`: the optimal portfolio of a scenario.

use super::{load, output, FormatArg};
use allot::report::{self, Decisions};
use allot::solve::{self, Options, Status};
use std::path::PathBuf;

/// Arguments of `allot solve`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), or a folder holding one; the built-in Quzhou 2019 sample when omitted.
    scenario: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Stop the search after this many seconds and report the best portfolio found with its gap (exit 5).
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Do not remove dominated candidates before solving (slower; for cross-checking).
    #[arg(long, hide = true)]
    no_reduce: bool,
    /// Prove optimality with a plain stage 1 and a no-good uniqueness check instead of one
    /// perturbed-objective run (slower; for cross-checking).
    #[arg(long, hide = true)]
    no_perturb: bool,
}

/// Runs `allot solve`.
pub fn run(args: Args) -> allot::Result<i32> {
    if let Some(t) = args.time_limit {
        if !(t > 0.0 && t.is_finite()) {
            return Err(allot::Error::Input(format!(
                "--time-limit: {t} is not a positive number of seconds"
            )));
        }
    }
    let to_stdout = args
        .output
        .as_deref()
        .is_none_or(|p| p == std::path::Path::new("-"));
    if args.format == FormatArg::Xlsx && to_stdout {
        return Err(allot::Error::Input(
            "--format xlsx writes a workbook, not text: name the file with --output FILE (e.g. -o result.xlsx)".into(),
        ));
    }
    let scenario = load(args.scenario.as_ref())?;
    let evaluation = allot::rules::evaluate(&scenario);
    let options = Options {
        time_limit: args.time_limit,
        reduce: !args.no_reduce,
        perturb: !args.no_perturb,
    };
    let outcome = solve::solve(&scenario, &evaluation, &options)?;
    let decisions = Decisions::new(&scenario, &evaluation, &outcome);
    let bytes = match args.format {
        FormatArg::Table => {
            report::table(&scenario, &evaluation, &outcome, &decisions).into_bytes()
        }
        FormatArg::Json => {
            let certificate = report::certificate(&scenario, &evaluation, &outcome, &decisions);
            let json = serde_json::to_string_pretty(&certificate)
                .map_err(|e| allot::Error::Output(e.to_string()))?;
            (json + "\n").into_bytes()
        }
        FormatArg::Csv => report::csv(&scenario, &evaluation, &outcome, &decisions).into_bytes(),
        FormatArg::Xlsx => report::xlsx(&scenario, &evaluation, &outcome, &decisions)?,
    };
    output::write_bytes(args.output.as_deref(), &bytes)?;
    Ok(match outcome.status {
        Status::Optimal => 0,
        Status::TimeLimit { .. } => 5,
    })
}
