//! `allot check`: validate a scenario and show what the rules make of every application.

use super::{load, output, FormatArg};
use allot::report;
use std::path::PathBuf;

/// Arguments of `allot check`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), or a folder holding one; the built-in sample when omitted.
    scenario: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `allot check`.
pub fn run(args: Args) -> allot::Result<i32> {
    if args.format == FormatArg::Xlsx {
        return Err(allot::Error::Input(
            "--format xlsx: check writes table, json or csv; the workbook is a solve result".into(),
        ));
    }
    let scenario = load(args.scenario.as_ref())?;
    let evaluation = allot::rules::evaluate(&scenario);
    let text = match args.format {
        FormatArg::Table => report::check_table(&scenario, &evaluation),
        FormatArg::Json => report::check_json(&scenario, &evaluation),
        FormatArg::Csv | FormatArg::Xlsx => report::check_csv(&scenario, &evaluation),
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(0)
}
