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
    /// Scale the intelligent round's per-industry limit by projects / 150 as well (as a city
    /// that keeps the policy's proportions would).
    #[arg(long)]
    scale_groups: bool,
    /// Share of applications entering two rounds (0 to 0.5).
    #[arg(long, default_value_t = 0.16, value_name = "SHARE")]
    two_rounds: f64,
    /// Of the two-round applications, the share whose rounds draw on different pools (0 to 1).
    #[arg(long, default_value_t = 0.5, value_name = "SHARE")]
    cross_pool: f64,
    /// Spread of the expert scores relative to the sample's 62–99 points (0 gives every
    /// application the same marks; up to 2).
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    score_spread: f64,
    /// Round expert scores to multiples of this many points (0.1 to 10): 1 or 5 make ties.
    #[arg(long, default_value_t = 0.1, value_name = "POINTS")]
    score_step: f64,
    /// Multiply the pools' budgets by this (0.01 to 100): below 1 the money binds harder.
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    budget_factor: f64,
    /// The committee's weights of the four criteria, in the order 技术先进性 (tech), 经济效益
    /// (benefit), 带动就业 (jobs), 智能化水平 (smart), e.g. `0.30,0.35,0.20,0.15` [default: the
    /// policy's 0.35,0.30,0.15,0.20].
    #[arg(long, value_name = "TECH,BENEFIT,JOBS,SMART")]
    weights: Option<String>,
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
    let within = |name: &str, value: f64, low: f64, high: f64| {
        if value.is_finite() && (low..=high).contains(&value) {
            Ok(())
        } else {
            Err(allot::Error::Input(format!(
                "--{name}: {value} is outside {low} to {high}"
            )))
        }
    };
    within("two-rounds", args.two_rounds, 0.0, 0.5)?;
    within("cross-pool", args.cross_pool, 0.0, 1.0)?;
    within("score-spread", args.score_spread, 0.0, 2.0)?;
    within("score-step", args.score_step, 0.1, 10.0)?;
    within("budget-factor", args.budget_factor, 0.01, 100.0)?;
    let weights = args.weights.as_deref().map(weights).transpose()?;
    let shape = allot::generate::Shape {
        industries: args.industries,
        scale: !args.no_scale,
        scale_groups: args.scale_groups,
        two_rounds: args.two_rounds,
        cross_pool: args.cross_pool,
        score_spread: args.score_spread,
        score_step: args.score_step,
        budget_factor: args.budget_factor,
        weights,
    };
    let occupied = std::fs::read_dir(&args.output).is_ok_and(|mut d| d.next().is_some());
    if occupied && !args.force {
        return Err(allot::Error::Input(format!(
            "-o {}: the folder is not empty (generate would replace a scenario.toml or applications.csv in it); choose a new or empty folder, or pass --force",
            args.output.display()
        )));
    }
    let csv = allot::generate::applications_shaped(args.projects, args.seed, &shape);
    let toml = allot::generate::scenario_shaped(args.projects, "applications.csv", &shape);
    // What is written is a scenario `solve` accepts: the reader checks it first (the weights'
    // signs, sum and range among the rest), and nothing is written when it refuses.
    let files: [(&str, &[u8]); 2] = [
        ("scenario.toml", toml.as_bytes()),
        ("applications.csv", csv.as_bytes()),
    ];
    allot::scenario::load_from_memory("scenario.toml", &files).map_err(|e| {
        let flag = args
            .weights
            .as_deref()
            .map_or("generate".into(), |w| format!("--weights {w}"));
        allot::Error::Input(format!("{flag}: {e}"))
    })?;
    std::fs::create_dir_all(&args.output).map_err(|e| {
        allot::Error::Output(format!(
            "{}: cannot create folder: {e}",
            args.output.display()
        ))
    })?;
    output::write(Some(&args.output.join("applications.csv")), &csv)?;
    output::write(Some(&args.output.join("scenario.toml")), &toml)?;
    Ok(0)
}

/// `--weights`: four decimals (their signs, sum and range are the reader's to check).
fn weights(text: &str) -> allot::Result<[rust_decimal::Decimal; 4]> {
    let bad = |why: String| {
        allot::Error::Input(format!(
            "--weights {text}: {why}; give four weights for tech, benefit, jobs and smart, e.g. 0.30,0.35,0.20,0.15"
        ))
    };
    let parsed: Vec<rust_decimal::Decimal> = text
        .split(',')
        .map(|w| {
            w.trim()
                .parse::<rust_decimal::Decimal>()
                .map_err(|_| bad(format!("{:?} is not a number", w.trim())))
        })
        .collect::<allot::Result<_>>()?;
    let weights: [rust_decimal::Decimal; 4] = parsed
        .try_into()
        .map_err(|p: Vec<_>| bad(format!("{} weights given", p.len())))?;
    Ok(weights)
}
