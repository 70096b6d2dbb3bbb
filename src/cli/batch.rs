//! `allot batch`: every scenario in a folder solved in parallel, one summary, failures reported
//! and passed over.

use super::{output, FormatArg};
use allot::audit::Manifest;
use allot::report::{self, Decisions};
use allot::solve::{self, Options, Status};
use allot::Error;
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Arguments of `allot batch`.
#[derive(clap::Args)]
pub struct Args {
    /// Folder of scenarios: each `.toml`/`.json` file in it, and each sub-folder holding one.
    dir: PathBuf,
    /// Write each scenario's JSON certificate to this folder as `NAME.json` (created if missing).
    #[arg(long, value_name = "DIR")]
    results: Option<PathBuf>,
    /// Worker threads (default: every core). The output does not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Per-scenario time limit in seconds (a stopped scenario is reported with its gap).
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Summary format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write the summary to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// One scenario's line in the summary.
#[derive(Debug, Serialize)]
struct Row {
    scenario: String,
    status: &'static str,
    exit_code: i32,
    funded: Option<usize>,
    total_score: Option<String>,
    total_subsidy: Option<String>,
    message: Option<String>,
    /// The files the scenario was read from (not part of the summary).
    #[serde(skip)]
    sources: Vec<PathBuf>,
}

/// Runs `allot batch`; exits 0 when every scenario was solved to a proven optimum, otherwise with
/// the highest exit code among them (the summary is written either way).
pub fn run(args: Args) -> allot::Result<i32> {
    super::text_only(args.format, "batch")?;
    if args.threads == Some(0) {
        return Err(Error::Input("--threads: must be at least 1".into()));
    }
    super::check_time_limit(args.time_limit)?;
    let scenarios = discover(&args.dir)?;
    // The scenario files are known now, the files they point to once each is read: the outputs
    // are checked against the first before solving, against all of them before writing.
    let mut inputs: Vec<output::Input> = scenarios
        .iter()
        .filter(|(_, path)| path.is_file())
        .map(|(_, path)| output::Input::new(path, "a scenario of the batch"))
        .collect();
    let results = |dir: &Path| -> Vec<PathBuf> {
        scenarios
            .iter()
            .map(|(name, _)| dir.join(format!("{name}.json")))
            .collect()
    };
    let result_files = args.results.as_deref().map(results).unwrap_or_default();
    let outputs = |extra: &[PathBuf]| {
        output::Output::file("-o", args.output.as_deref())
            .into_iter()
            .chain(
                extra
                    .iter()
                    .map(|p| output::Output::in_new_folder("--results", p)),
            )
            .collect::<Vec<_>>()
    };
    output::check(outputs(&result_files), &inputs)?;
    if let Some(dir) = &args.results {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Output(format!("{}: cannot create folder: {e}", dir.display())))?;
    }
    // A bar on stderr while the scenarios are solved (terminals only).
    let progress = indicatif::ProgressBar::new(scenarios.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} scenarios, eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let rows: Vec<Row> = allot::parallel::with_workers(args.threads, || {
        allot::parallel::map(&scenarios, |(name, path)| {
            let row = solve_one(name, path, &args);
            progress.inc(1);
            row
        })
    })?;
    progress.finish_and_clear();
    for row in &rows {
        inputs.extend(
            row.sources
                .iter()
                .map(|p| output::Input::new(p, format!("read by scenario {}", row.scenario))),
        );
    }
    output::check(outputs(&[]), &inputs)?;
    let code = rows.iter().map(|r| r.exit_code).max().unwrap_or(0);
    let text = match args.format {
        FormatArg::Table => table(&rows),
        FormatArg::Json => {
            serde_json::to_string_pretty(&rows).map_err(|e| Error::Output(e.to_string()))? + "\n"
        }
        FormatArg::Csv | FormatArg::Xlsx => csv(&rows)?,
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(code)
}

/// The scenarios in a folder, by name: `.toml`/`.json` files and sub-folders that hold one.
fn discover(dir: &Path) -> allot::Result<Vec<(String, PathBuf)>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::input(dir.display(), "", format!("cannot read the folder: {e}")))?;
    let mut found: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                || matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("toml" | "json")
                )
        })
        .map(|p| {
            let name = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, p)
        })
        .collect();
    found.sort();
    for pair in found.windows(2) {
        if pair[0].0 == pair[1].0 {
            return Err(Error::input(
                dir.display(),
                "",
                format!(
                    "{} and {} would both write results named {:?}; rename one",
                    pair[0].1.display(),
                    pair[1].1.display(),
                    pair[0].0
                ),
            ));
        }
    }
    if found.is_empty() {
        return Err(Error::input(
            dir.display(),
            "",
            "no scenario files (.toml, .json) or scenario folders in it",
        ));
    }
    Ok(found)
}

fn solve_one(name: &str, path: &Path, args: &Args) -> Row {
    let failed = |e: Error| Row {
        scenario: name.to_string(),
        status: match e {
            Error::Input(_) => "bad_input",
            Error::Infeasible(_) => "infeasible",
            Error::Solver(_) => "solver_failure",
            Error::Output(_) => "output_failure",
            Error::System(_) => "system_failure",
            Error::Interrupted(_) => "interrupted",
        },
        exit_code: e.exit_code(),
        funded: None,
        total_score: None,
        total_subsidy: None,
        message: Some(e.to_string()),
        sources: Vec::new(),
    };
    let result = (|| {
        let scenario = allot::scenario::load(path)?;
        let evaluation = allot::rules::evaluate(&scenario);
        let options = Options {
            time_limit: args.time_limit,
            ..Options::default()
        };
        let outcome = solve::solve(&scenario, &evaluation, &options)?;
        if let Some(dir) = &args.results {
            let file = dir.join(format!("{name}.json"));
            output::check(
                [output::Output::new("--results", &file)],
                &output::scenario_inputs(&scenario, false),
            )?;
            let decisions = Decisions::new(&scenario, &evaluation, &outcome);
            let mut cert = report::certificate(&scenario, &evaluation, &outcome, &decisions);
            let parameters = [("time_limit".to_string(), args.time_limit.into())].into();
            let base = Some(args.dir.as_path());
            let manifest = Manifest::new("batch", &scenario, false, base, parameters)?;
            cert.manifest = Some(manifest);
            let text = super::solve::certificate_json(&cert)?;
            output::write(Some(&file), &text)?;
        }
        Ok::<_, Error>((outcome, scenario.sources))
    })();
    match result {
        Err(e) => failed(e),
        Ok((outcome, sources)) => {
            let (status, exit_code) = match outcome.status {
                Status::Optimal => ("optimal", 0),
                Status::TimeLimit { .. } => ("time_limit", allot::error::TIME_LIMIT_EXIT),
            };
            Row {
                scenario: name.to_string(),
                status,
                exit_code,
                funded: Some(outcome.portfolio.funded.len()),
                total_score: Some(outcome.portfolio.total_score.to_string()),
                total_subsidy: Some(outcome.portfolio.total_paid().to_string()),
                message: match outcome.status {
                    Status::TimeLimit { gap } => Some(format!("stopped with gap {gap:.6}")),
                    Status::Optimal => None,
                },
                sources,
            }
        }
    }
}

fn table(rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|r| r.scenario.chars().count())
        .max()
        .unwrap_or(8)
        .max(8);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<width$}  {:<14} {:>4} {:>7} {:>14} {:>16}",
        "scenario", "status", "exit", "funded", "total score", "total subsidy"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "{:<width$}  {:<14} {:>4} {:>7} {:>14} {:>16}",
            r.scenario,
            r.status,
            r.exit_code,
            r.funded.map_or("-".into(), |n| n.to_string()),
            r.total_score.as_deref().unwrap_or("-"),
            r.total_subsidy
                .as_deref()
                .map_or("-".into(), |m| match m.parse() {
                    Ok(d) => report::yuan(allot::scenario::Money::from_yuan(d)),
                    Err(_) => m.to_string(),
                }),
        );
        if let Some(m) = &r.message {
            let _ = writeln!(s, "{:<width$}    {m}", "");
        }
    }
    let ok = rows.iter().filter(|r| r.exit_code == 0).count();
    let _ = writeln!(
        s,
        "\n{ok} of {} scenarios solved to a proven optimum",
        rows.len()
    );
    s
}

fn csv(rows: &[Row]) -> allot::Result<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|e| Error::Output(e.to_string()))?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Output(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Output(e.to_string()))
}
