//! `allot export`: the scenario's integer program as CPLEX-LP and/or free-MPS files, for an
//! auditor to re-solve with any MIP solver.

use super::{load, output};
use allot::solve::export;
use std::path::PathBuf;

/// Arguments of `allot export`.
#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("files").required(true).multiple(true).args(["lp", "mps"])))]
pub struct Args {
    #[command(flatten)]
    scenario: super::ScenarioArgs,
    /// Write the program in CPLEX-LP format to this file (atomically; `-` is stdout).
    #[arg(long, value_name = "FILE")]
    lp: Option<PathBuf>,
    /// Write the program in free MPS format to this file (atomically; `-` is stdout).
    #[arg(long, value_name = "FILE")]
    mps: Option<PathBuf>,
}

/// Runs `allot export`.
pub fn run(args: Args) -> allot::Result<i32> {
    let scenario = load(&args.scenario)?;
    output::check(
        output::Output::file("--lp", args.lp.as_deref())
            .into_iter()
            .chain(output::Output::file("--mps", args.mps.as_deref())),
        &super::inputs(&args.scenario, &scenario),
    )?;
    let evaluation = allot::rules::evaluate(&scenario);
    let model = export::model(&scenario, &evaluation)?;
    if let Some(path) = &args.lp {
        output::write(Some(path), &model.lp())?;
    }
    if let Some(path) = &args.mps {
        output::write(Some(path), &model.mps())?;
    }
    Ok(0)
}
