//! `allot report`: the committee report, one self-contained HTML file.

use super::{load, output, LangArg, ScenarioArgs};
use allot::explain::{Explainer, Explanation};
use allot::report::html::{self, near_line, LeftOut, Report, NEAR};
use allot::report::Decisions;
use allot::scenario::Scenario;
use allot::solve::{self, Options};
use allot::sweep::{from_summary, merge_shards, SweepHeader, Tally};
use allot::Error;
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
    /// Leave the reserve lists out (they cost a re-solve per funded project: on large rounds most
    /// of the report's time).
    #[arg(long)]
    no_reserve: bool,
    /// Stop the prices of inclusion and the margins after this many seconds: those not found by
    /// then are left out, and the report says how many (every one shown is exact). The proof of
    /// the portfolio and the reserve lists are never cut short.
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
}

/// Runs `allot report`.
pub fn run(args: Args) -> allot::Result<i32> {
    super::check_time_limit(args.time_limit)?;
    let scenario = load(&args.scenario)?;
    let mut inputs = super::inputs(&args.scenario, &scenario);
    inputs.extend(
        args.sweep
            .iter()
            .map(|p| output::Input::new(p, "a sweep read by --sweep")),
    );
    output::check(output::Output::file("-o", Some(&args.output)), &inputs)?;
    // The sweep is read (and checked against the scenario) before any solving: a wrong file
    // fails fast.
    let sweep = match args.sweep.as_slice() {
        [] => None,
        paths => Some(read_sweep(paths, &scenario)?),
    };
    let overrides = args.scenario.overrides()?.describe();
    let lang = LangArg::resolve(args.lang, scenario.lang);
    let sweep = sweep.as_ref().map(|(h, t)| (h, t));
    let text = committee_report(
        &scenario,
        &overrides,
        lang,
        args.near,
        !args.no_reserve,
        sweep,
        args.time_limit,
    )?;
    output::write(Some(&args.output), &text)?;
    Ok(0)
}

/// The committee report of `scenario` (what-ifs applied, `overrides` saying which) in `lang`,
/// with margins for `near` entries each side of every funding line and, when `reserve`, the
/// reserve lists (`allot serve` writes it too). A spinner on stderr names the stage (terminals
/// only). The prices and margins stop `time_limit` seconds from here (see `Args`).
#[allow(clippy::too_many_arguments)]
pub(super) fn committee_report(
    scenario: &Scenario,
    overrides: &[String],
    lang: allot::scenario::Lang,
    near: usize,
    reserve: bool,
    sweep: Option<(&SweepHeader, &Tally)>,
    time_limit: Option<f64>,
) -> allot::Result<String> {
    // The prices, margins and warnings share the limit; the proof is not limited.
    let limited = Options {
        time_limit,
        ..Options::default()
    }
    .from_now();
    let progress = super::Stage::start("report", "solving");
    let stage = |what: &str| progress.show(what);
    let evaluation = allot::rules::evaluate(scenario);
    let outcome = solve::solve(scenario, &evaluation, &Options::default())?;
    // The margins re-solve what-ifs of this optimum, and find the prices' solves remembered.
    // Their re-solves stop at the limit; the reserve lists' do not (they are not cut short).
    let explainer =
        Explainer::with_outcome(scenario, &evaluation, Options::default(), outcome.clone());
    let margins_explainer =
        Explainer::with_outcome(scenario, &evaluation, limited.clone(), outcome.clone());
    // What runs beside the prices and margins, named in their stages (within 80 columns).
    let beside = if reserve {
        ", and the reserve lists"
    } else {
        ""
    };
    let pricing = format!("pricing the entries above the lines{beside}");
    stage(&pricing);
    // The reserve lists need neither the prices nor the margins: beside them, their what-ifs
    // fill the workers the others' last long solves leave idle (and the other way round).
    let (explained, reserves) = allot::parallel::both(
        || -> allot::Result<_> {
            let priced = super::solve::priced(
                scenario,
                &evaluation,
                &outcome,
                Decisions::new_in(scenario, &evaluation, &outcome, lang),
                &limited,
                &|done, of| stage(&format!("{pricing}: {done} of {of}")),
            )?;
            for note in &priced.notes {
                progress.note(note);
            }
            let unpriced = priced.unpriced();
            let decisions = priced.decisions;
            margins_explainer.remember(&priced.prices);
            let near_line = near_line(&evaluation, &outcome, &decisions, near);
            let projects: BTreeSet<usize> = near_line
                .iter()
                .flatten()
                .map(|&c| evaluation.candidates[c].project)
                .collect();
            stage(&format!(
                "exact margins of {} projects near the lines{beside}",
                projects.len()
            ));
            let projects: Vec<usize> = projects.into_iter().collect();
            let margins = explain_all(&margins_explainer, &projects, &limited)?;
            let left_out = LeftOut {
                unpriced,
                priced_of: priced.sought,
                unexplained: projects.len() - margins.len(),
                explained_of: projects.len(),
                incomplete: margins.iter().filter(|x| !x.left_out.is_empty()).count(),
            };
            if left_out.unexplained > 0 {
                progress.note(&format!(
                    "allot: note: the time limit came before the margins of {} of the {} projects near the lines; the report leaves them out",
                    left_out.unexplained, left_out.explained_of
                ));
            }
            if left_out.incomplete > 0 {
                progress.note(&format!(
                    "allot: note: the time limit came before some margins of {} more of them; the report marks those as not found",
                    left_out.incomplete
                ));
            }
            Ok((decisions, near_line, margins, left_out))
        },
        || {
            if reserve {
                explainer.reserves()
            } else {
                Ok(Vec::new())
            }
        },
    );
    let (decisions, near_line, margins, left_out) = explained?;
    let reserves = reserves?;
    stage("warnings");
    let warnings = allot::explain::warnings(scenario, &evaluation, &outcome, &limited)?;
    drop(progress);
    html::html(&Report {
        scenario,
        evaluation: &evaluation,
        outcome: &outcome,
        decisions: &decisions,
        overrides,
        warnings: &warnings,
        near,
        near_line: &near_line,
        margins: &margins,
        reserves: &reserves,
        sweep,
        left_out,
    })
}

/// Explanations of `projects`, in that order. Each is an independent series of single-threaded
/// re-solves, so the result does not depend on the number of workers. With the command's
/// deadline in `limited` (the explainer's re-solves stop there), a project not begun by then, or
/// none of whose margins ended before it, is left out, and a margin that ends past it is marked
/// as not found in its explanation (see `allot::explain::LeftOut`): only past it can a re-solve
/// be cut short, so every margin shown rests on proven optima. Which are left out depends on the
/// machine.
fn explain_all(
    explainer: &Explainer,
    projects: &[usize],
    limited: &Options,
) -> allot::Result<Vec<Explanation>> {
    let explained: allot::Result<Vec<Option<Explanation>>> = allot::parallel::map(projects, |&p| {
        if limited.out_of_time() {
            return Ok(None);
        }
        match explainer.explain(p) {
            Err(_) if limited.out_of_time() => Ok(None),
            // Begun, but every margin ended past the limit: a row of "not found" says nothing.
            Ok(x)
                if x.score_margin.is_none()
                    && x.rounds.iter().all(|r| r.subsidy_margin.is_none()) =>
            {
                Ok(None)
            }
            explained => explained.map(Some),
        }
    })
    .into_iter()
    .collect();
    Ok(explained?.into_iter().flatten().collect())
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
        merge_shards(paths)?
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
