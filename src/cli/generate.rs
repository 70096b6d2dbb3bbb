//! `allot generate`: a synthetic Quzhou-shaped scenario folder (scenario.toml + applications.csv).

use super::output;
use std::path::PathBuf;

/// Arguments of `allot generate`.
#[derive(clap::Args)]
pub struct Args {
    /// Number of applications.
    #[arg(long, default_value_t = 150)]
    projects: usize,
    /// Random seed; the same seed gives the same files.
    #[arg(long, default_value_t = 2019)]
    seed: u64,
    /// Folder to write scenario.toml and applications.csv into (created if missing; refused when
    /// it holds anything, unless --force).
    #[arg(long, short)]
    output: PathBuf,
    /// Write into a folder that is not empty, replacing its scenario.toml and applications.csv.
    #[arg(long)]
    force: bool,
    /// Keep the policy's budgets and round sizes instead of scaling them by projects / 150.
    #[arg(long)]
    no_scale: bool,
    /// Number of distinct industries: two non-key ones plus key ones (the policy's seven, then
    /// numbered ones); more industries let an industry-limited round fund more projects.
    #[arg(long, default_value_t = allot::generate::INDUSTRIES)]
    industries: usize,
}

/// Runs `allot generate`.
pub fn run(args: Args) -> allot::Result<i32> {
    if args.projects == 0 {
        return Err(allot::Error::Input("--projects: must be at least 1".into()));
    }
    if args.industries < 3 {
        return Err(allot::Error::Input(
            "--industries: must be at least 3 (two non-key industries and one key one)".into(),
        ));
    }
    let occupied = std::fs::read_dir(&args.output).is_ok_and(|mut d| d.next().is_some());
    if occupied && !args.force {
        return Err(allot::Error::Input(format!(
            "-o {}: the folder is not empty (generate would replace a scenario.toml or applications.csv in it); choose a new or empty folder, or pass --force",
            args.output.display()
        )));
    }
    std::fs::create_dir_all(&args.output).map_err(|e| {
        allot::Error::Output(format!(
            "{}: cannot create folder: {e}",
            args.output.display()
        ))
    })?;
    let csv = allot::generate::applications_in(args.projects, args.seed, args.industries);
    let toml = allot::generate::scenario_in(
        args.projects,
        "applications.csv",
        !args.no_scale,
        args.industries,
    );
    output::write(Some(&args.output.join("applications.csv")), &csv)?;
    output::write(Some(&args.output.join("scenario.toml")), &toml)?;
    Ok(0)
}
