//! `allot sweep`: the same round solved over many weight vectors and budgets, in parallel.

use super::{load, output, FormatArg};
use allot::audit::Manifest;
use allot::report::sweep as report;
use allot::scenario::Money;
use allot::sweep::{
    parse_statement, BudgetAxis, BudgetGrid, ExpertSpec, Experts, Plan, RunRecord, RunResult,
    Sampler, Settings, Shard, Sweep, SweepHeader, WeightSpec,
};
use allot::Error;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `allot sweep`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: super::ScenarioArgs,
    /// Weight perturbation: base, oat:±10%/5, uniform:±20%, uniform (the scenario's intervals),
    /// dirichlet:50, or prefs (uniform over the weights that satisfy every --prefer).
    #[arg(long, default_value = "base", value_name = "SPEC")]
    weights: String,
    /// Weight vectors drawn by a random perturbation (uniform, dirichlet, prefs).
    #[arg(long, default_value_t = 1000)]
    samples: usize,
    /// A committee statement about the normalized weights, e.g. "tech >= benefit >= jobs" or
    /// "tech + jobs >= 0.5" (repeatable; for --weights prefs).
    #[arg(long, value_name = "STATEMENT")]
    prefer: Vec<String>,
    /// A budget grid for one pool: POOL=LOW..HIGH:STEP, in the scenario's unit unless an amount
    /// names its own (`500万`, `500万元`, `5000000元`, `500 wan`, `5000000 yuan`); repeatable: the
    /// product.
    #[arg(long, value_name = "POOL=LOW..HIGH:STEP")]
    budget: Vec<String>,
    /// Vary the expert panels: leave-one-out (each expert left out in turn) or bootstrap:N
    /// (experts resampled with replacement N times, seeded); combines with --weights and --budget.
    #[arg(long, value_name = "SPEC")]
    experts: Option<String>,
    /// Seed: run i's weights (and panel resample) depend on (seed, i) only.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: every core). The result does not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Output format (with --shard: always the shard file).
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Language of the table (JSON and CSV stay English); default: the scenario's `lang`, else the locale.
    #[arg(long, value_enum)]
    lang: Option<super::LangArg>,
    /// Write one JSON line per run (index, weights, budgets, funded pairs, total score).
    #[arg(long, value_name = "FILE")]
    emit_runs: Option<PathBuf>,
    /// Run only shard i of n (0-based): runs r with r mod n = i. Combine with `allot merge`.
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// Also write SVG charts (acceptability.svg, frontier.svg, weights.svg) into this folder,
    /// created when missing.
    #[arg(long, value_name = "DIR")]
    plot: Option<PathBuf>,
    /// Print runs, solves, time, solves per second and peak memory to stderr at the end.
    #[arg(long)]
    stats: bool,
}

/// Runs `allot sweep`.
pub fn run(args: Args) -> allot::Result<i32> {
    let input = |e: String| Error::Input(e);
    super::text_only(args.format, "sweep")?;
    let spec = WeightSpec::parse(&args.weights).map_err(|e| input(format!("--weights: {e}")))?;
    let expert_spec = match &args.experts {
        Some(e) => Some(ExpertSpec::parse(e).map_err(|e| input(format!("--experts: {e}")))?),
        None => None,
    };
    let shard = match &args.shard {
        Some(s) => Shard::parse(s).map_err(|e| input(format!("--shard: {e}")))?,
        None => Shard::ALL,
    };
    if spec.is_random() && args.samples == 0 {
        return Err(input("--samples: must be at least 1".into()));
    }
    if args.plot.is_some() && args.shard.is_some() {
        return Err(input(
            "--plot: a shard holds part of the runs; plot the merged result (allot merge --plot DIR)"
                .into(),
        ));
    }
    if args.threads == Some(0) {
        return Err(input("--threads: must be at least 1".into()));
    }
    let scenario = load(&args.scenario)?;
    output::check(
        output::Output::file("-o", args.output.as_deref())
            .into_iter()
            .chain(output::Output::file(
                "--emit-runs",
                args.emit_runs.as_deref(),
            ))
            .chain(output::chart_outputs(args.plot.as_deref())),
        &super::inputs(&args.scenario, &scenario),
    )?;
    let mut statements = Vec::new();
    for p in &args.prefer {
        statements
            .extend(parse_statement(p, &scenario).map_err(|e| input(format!("--prefer: {e}")))?);
    }
    let sampler = Sampler::new(&scenario, spec, args.samples, args.seed, statements)?;
    let axes = args
        .budget
        .iter()
        .map(|b| BudgetAxis::parse(b, &scenario))
        .collect::<allot::Result<Vec<_>>>()?;
    let grid = BudgetGrid::new(axes, &scenario)?;
    let experts = match expert_spec {
        Some(spec) => Experts::new(&scenario, spec, args.seed)?,
        None => Experts::none(),
    };
    let plan = Plan {
        experts,
        sampler,
        grid,
        shard,
    };
    let settings = Settings {
        weights: plan.sampler.spec().to_string(),
        prefer: args.prefer.clone(),
        overrides: args.scenario.overrides()?.describe(),
        samples: if plan.sampler.is_random() {
            args.samples
        } else {
            0
        },
        seed: args.seed,
        budgets: args.budget.clone(),
        budget_unit: scenario.unit,
        experts: plan.experts.spec().map(|e| e.to_string()),
        panels: plan.experts.count(),
        runs: plan.runs(),
        weight_vectors: plan.sampler.count(),
        budget_points: plan.grid.count(),
    };
    let started = Instant::now();
    let shard_runs = plan.shard_runs();
    let sweep = allot::parallel::with_workers(args.threads, || Sweep::new(&scenario, plan))??;
    let mut header = report::header(&sweep, settings);
    let mut parameters = args.scenario.what_if.parameters();
    parameters.insert("weights".into(), args.weights.clone().into());
    parameters.insert("samples".into(), args.samples.into());
    parameters.insert("prefer".into(), args.prefer.clone().into());
    parameters.insert("budget".into(), args.budget.clone().into());
    parameters.insert("seed".into(), args.seed.into());
    if let Some(e) = &args.experts {
        parameters.insert("experts".into(), e.clone().into());
    }
    let builtin = args.scenario.scenario.is_none();
    header.manifest = Some(Manifest::new(
        "sweep", &scenario, builtin, None, parameters,
    )?);
    // Ctrl-C stops the sweep cleanly: no output file, no partial --emit-runs file (exit 130).
    let stop = sweep.stop_flag();
    let _ = ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::Relaxed));

    let progress = indicatif::ProgressBar::new(shard_runs);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} runs, {per_sec}, eta {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut emit = match &args.emit_runs {
        Some(p) => Some(output::Pending::new(p)?),
        None => None,
    };
    let tally = allot::parallel::with_workers(args.threads, || {
        sweep.run(|record| {
            progress.inc(1);
            if let Some(file) = emit.as_mut() {
                let panel = sweep.plan.experts.describe(record.panel);
                file.line(&run_line(&header, record, panel))?;
            }
            Ok(())
        })
    })??;
    progress.finish_and_clear();

    let text = if args.shard.is_some() {
        report::shard_json(&header, &tally, shard)?
    } else {
        super::merge::summary(&header, &tally, args.format, args.lang)?
    };
    if let Some(dir) = &args.plot {
        output::write_charts(
            dir,
            allot::report::chart::charts(
                &header,
                &tally,
                super::merge::language(&header, args.lang),
            )?,
        )?;
    }
    if let Some(file) = emit {
        file.commit()?;
    }
    output::write(args.output.as_deref(), &text)?;
    if args.stats {
        let seconds = started.elapsed().as_secs_f64();
        let solves = sweep.solves();
        eprintln!(
            "allot: {} runs, {} solves in {:.2} s ({:.0} solves/s, {:.0} runs/s), peak memory {}",
            tally.runs,
            solves,
            seconds,
            solves as f64 / seconds,
            tally.runs as f64 / seconds,
            peak_memory().unwrap_or_else(|| "unknown".into())
        );
    }
    Ok(0)
}

/// One `--emit-runs` line.
fn run_line(header: &SweepHeader, r: &RunRecord, panel: Option<Value>) -> String {
    let weights: serde_json::Map<String, Value> = header
        .criteria
        .iter()
        .zip(&r.weights)
        .map(|(id, w)| (id.clone(), json!(w)))
        .collect();
    let budgets: serde_json::Map<String, Value> = header
        .pools
        .iter()
        .zip(&r.budgets)
        .map(|(id, m): (&String, &Money)| (id.clone(), json!(m)))
        .collect();
    let mut line = json!({"run": r.index, "weights": weights, "budgets": budgets});
    if let Some(panel) = panel {
        line["experts"] = panel;
    }
    match &r.result {
        RunResult::Funded { pairs, score, paid } => {
            line["funded"] = Value::Array(
                pairs
                    .iter()
                    .map(|&p| {
                        let (project, round) = &header.pairs[p as usize];
                        json!([project, round])
                    })
                    .collect(),
            );
            line["total_score"] = json!(score);
            line["total_subsidy"] = json!(Money::from_yuan(*paid));
        }
        RunResult::Infeasible => line["infeasible"] = json!(true),
    }
    line.to_string()
}

/// Peak resident memory of this process (Linux: VmHWM), for `--stats`.
fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MiB", kb as f64 / 1024.0))
}
