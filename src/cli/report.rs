//! `allot report`: the committee report, one self-contained HTML file.

use super::{load, output, LangArg, ScenarioArgs};
use allot::explain::{Explainer, Explanation};
use allot::report::html::{self, near_line, Report, NEAR};
use allot::report::sweep::{merge, SweepHeader, CERTIFICATE_KEYS};
use allot::report::Decisions;
use allot::scenario::{Money, Scenario};
use allot::solve::{self, Options};
use allot::sweep::{FrontierPoint, PointStats, Tally};
use allot::Error;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Arguments of `allot report`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// The HTML file to write (atomically; `-` is stdout).
    #[arg(long, short, value_name = "FILE", required = true)]
    output: PathBuf,
    /// A sweep of the same scenario to chart: `allot sweep -f json` output, or the shard files
    /// of one sweep (`allot sweep --shard i/n -o FILE`; repeat the flag for each).
    #[arg(long, value_name = "FILE")]
    sweep: Vec<PathBuf>,
    /// Margins are computed for the last K funded and the first K unfunded eligible entries of
    /// each round (0: no margins).
    #[arg(long, value_name = "K", default_value_t = NEAR)]
    near: usize,
    /// Language of the report: the scenario's `lang`, else the locale, else English when omitted.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// Runs `allot report`.
pub fn run(args: Args) -> allot::Result<i32> {
    let scenario = load(&args.scenario)?;
    // The sweep is read (and checked against the scenario) before any solving: a wrong file
    // fails fast.
    let sweep = match args.sweep.as_slice() {
        [] => None,
        paths => Some(read_sweep(paths, &scenario)?),
    };
    let overrides = args.scenario.overrides()?.describe();
    let lang = LangArg::resolve(args.lang, scenario.lang);
    let evaluation = allot::rules::evaluate(&scenario);
    let outcome = solve::solve(&scenario, &evaluation, &Options::default())?;
    let decisions = Decisions::new_in(&scenario, &evaluation, &outcome, lang);
    let explainer = Explainer::new(&scenario, &evaluation, Options::default())?;
    if explainer.portfolio().funded != outcome.portfolio.funded {
        return Err(Error::Solver(
            "two solves of the same scenario gave different portfolios".into(),
        ));
    }
    let near = near_line(&evaluation, &outcome, &decisions, args.near);
    let projects: BTreeSet<usize> = near
        .iter()
        .flatten()
        .map(|&c| evaluation.candidates[c].project)
        .collect();
    let margins = explain_all(&explainer, &projects.into_iter().collect::<Vec<_>>())?;
    let reserves = explainer.reserves()?;
    let text = html::html(&Report {
        scenario: &scenario,
        evaluation: &evaluation,
        outcome: &outcome,
        decisions: &decisions,
        overrides: &overrides,
        near: args.near,
        near_line: &near,
        margins: &margins,
        reserves: &reserves,
        sweep: sweep.as_ref().map(|(h, t)| (h, t)),
    })?;
    output::write(Some(&args.output), &text)?;
    Ok(0)
}

/// Explanations of `projects`, in that order. Each is an independent series of single-threaded
/// re-solves, so they run on one worker per core (interleaved: neighbours in rank order cost
/// alike); the result does not depend on the number of workers.
fn explain_all(explainer: &Explainer, projects: &[usize]) -> allot::Result<Vec<Explanation>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, projects.len().max(1));
    let mut found: Vec<Option<allot::Result<Explanation>>> = Vec::new();
    found.resize_with(projects.len(), || None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    (w..projects.len())
                        .step_by(workers)
                        .map(|i| (i, explainer.explain(projects[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, x) in h.join().expect("an explanation panicked") {
                found[i] = Some(x);
            }
        }
    });
    found.into_iter().flatten().collect()
}

/// The sweep's header and tally from shard files (merged exactly) or one summary JSON
/// (rebuilt), checked to be a sweep of `scenario`.
fn read_sweep(paths: &[PathBuf], scenario: &Scenario) -> allot::Result<(SweepHeader, Tally)> {
    let first = &paths[0];
    let text = std::fs::read_to_string(first)
        .map_err(|e| Error::Input(format!("{}: cannot read: {e}", first.display())))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        Error::Input(format!(
            "{}: not a sweep result (write one with `allot sweep -f json -o FILE`): {e}",
            first.display()
        ))
    })?;
    let (header, tally) = if value.get("shard").is_some() && value.get("tally").is_some() {
        merge(paths)?
    } else if paths.len() > 1 {
        return Err(Error::Input(format!(
            "{}: --sweep takes one summary JSON, or the shard files of one sweep",
            first.display()
        )));
    } else {
        from_summary(&value).map_err(|e| Error::Input(format!("{}: {e}", first.display())))?
    };
    let pairs: Vec<(String, String)> = scenario_pairs(scenario);
    if header.scenario != scenario.name || header.pairs != pairs {
        return Err(Error::Input(format!(
            "{}: a sweep of {:?}, not of this scenario {:?} (its name or its (project, round) entries differ)",
            first.display(),
            header.scenario,
            scenario.name
        )));
    }
    Ok((header, tally))
}

/// Every (project id, round id) applied for, in the order a sweep lists them.
fn scenario_pairs(scenario: &Scenario) -> Vec<(String, String)> {
    scenario
        .applications
        .iter()
        .flat_map(|a| {
            a.rounds
                .iter()
                .map(|&r| (a.id.clone(), scenario.rounds[r].id.clone()))
        })
        .collect()
}

/// Rebuilds the header and tally from `allot sweep -f json` output (docs/output-format.md). The
/// summary keeps mean weights to 6 decimal places, so the weights chart is drawn from those
/// means; every other figure is exact.
fn from_summary(v: &Value) -> Result<(SweepHeader, Tally), String> {
    fn get<'a>(v: &'a Value, key: &str) -> Result<&'a Value, String> {
        v.get(key)
            .ok_or_else(|| format!("not a sweep result: no key {key:?}"))
    }
    fn parse<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> Result<T, String> {
        serde_json::from_value(get(v, key)?.clone()).map_err(|e| format!("key {key:?}: {e}"))
    }
    fn array<'a>(v: &'a Value, key: &str) -> Result<&'a Vec<Value>, String> {
        get(v, key)?
            .as_array()
            .ok_or_else(|| format!("key {key:?}: not a list"))
    }
    let decimal = |v: &Value, key: &str| -> Result<Option<Decimal>, String> {
        match get(v, key)? {
            Value::Null => Ok(None),
            x => serde_json::from_value(x.clone())
                .map(Some)
                .map_err(|e| format!("key {key:?}: {e}")),
        }
    };
    let criteria: Vec<String> = parse(v, "criteria")?;
    let sweep: allot::report::sweep::Settings = parse(v, "sweep")?;
    let runs: u64 = parse(v, "runs")?;
    let infeasible: u64 = parse(v, "infeasible_runs")?;
    let weights = |m: &Value, n: u64| -> Result<Vec<Decimal>, String> {
        criteria
            .iter()
            .map(|c| match m.get(c) {
                Some(Value::Null) | None => Ok(Decimal::ZERO),
                Some(x) => serde_json::from_value::<Decimal>(x.clone())
                    .map(|d| d * Decimal::from(n))
                    .map_err(|e| format!("mean weight of {c:?}: {e}")),
            })
            .collect()
    };
    let mut pairs = Vec::new();
    let mut funded = Vec::new();
    let mut weight_when_funded = Vec::new();
    for row in array(v, "acceptability")? {
        let n: u64 = parse(row, "funded_runs")?;
        pairs.push((parse(row, "project")?, parse(row, "round")?));
        funded.push(n);
        weight_when_funded.push(weights(get(row, "mean_weights_when_funded")?, n)?);
    }
    let index = |x: &Value| -> Result<u32, String> {
        let pair: (String, String) = (parse(x, "project")?, parse(x, "round")?);
        pairs
            .iter()
            .position(|p| *p == pair)
            .map(|i| i as u32)
            .ok_or_else(|| format!("{pair:?} is not among the acceptability rows"))
    };
    let base_json = get(v, "base")?;
    let base = array(base_json, "funded")?
        .iter()
        .map(index)
        .collect::<Result<Vec<u32>, _>>()?;
    let mut pools: Vec<String> = Vec::new();
    let mut points = Vec::new();
    let mut stats = Vec::new();
    let mut frontier = Vec::new();
    for row in array(v, "frontier")? {
        let budgets = get(row, "budgets")?
            .as_object()
            .ok_or("key \"budgets\": not an object")?;
        if pools.is_empty() {
            pools = budgets.keys().cloned().collect();
        }
        let point = pools
            .iter()
            .map(|p| {
                budgets
                    .get(p)
                    .and_then(|m| serde_json::from_value::<Money>(m.clone()).ok())
                    .ok_or_else(|| format!("frontier budgets: no amount for pool {p:?}"))
            })
            .collect::<Result<Vec<Money>, String>>()?;
        points.push(point);
        stats.push(PointStats {
            runs: parse(row, "runs")?,
            min_score: decimal(row, "min_score")?,
            max_score: decimal(row, "max_score")?,
        });
        frontier.push(Some(FrontierPoint {
            score: decimal(row, "best_score")?,
            paid: decimal(row, "total_subsidy")?,
            funded: parse(row, "funded")?,
        }));
    }
    let axes = sweep
        .budgets
        .iter()
        .map(|b| {
            let pool = b.split('=').next().unwrap_or_default().trim();
            pools
                .iter()
                .position(|p| p == pool)
                .ok_or_else(|| format!("budget grid {b:?}: no pool {pool:?}"))
        })
        .collect::<Result<Vec<usize>, String>>()?;
    let certificate = CERTIFICATE_KEYS
        .iter()
        .filter_map(|k| v.get(*k).map(|x| (k.to_string(), x.clone())))
        .collect();
    let header = SweepHeader {
        scenario: parse(v, "scenario")?,
        sweep,
        criteria: criteria.clone(),
        pools,
        pairs,
        points,
        axes,
        base,
        lang: None,
        certificate,
        manifest: None,
    };
    let tally = Tally {
        runs,
        infeasible,
        funded,
        weight_when_funded,
        weight_sum: weights(get(v, "mean_weights")?, runs)?,
        base_hits: parse(base_json, "reproduced_runs")?,
        // Not charted; the summary lists only the most frequent ones.
        portfolios: Default::default(),
        points: stats,
        frontier,
    };
    Ok((header, tally))
}
