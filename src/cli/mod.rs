//! Command-line wiring: one file per subcommand, shared argument types and the atomic writer.

mod batch;
mod check;
mod diff;
mod explain;
mod export;
mod generate;
mod merge;
mod output;
mod report;
mod reserve;
mod serve;
mod solve;
mod sweep;
mod verify;

use allot::audit::Manifest;
use allot::scenario::{self, Lang, Overrides, Scenario};
use clap::{Parser, Subcommand, ValueEnum};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The `Exit codes:` block of `--help`, from `allot::error::EXIT_CODES`.
pub fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:");
    for (code, meaning) in allot::error::EXIT_CODES {
        text.push_str(&format!("\n{code:>3}  {}", meaning.replace('`', "")));
    }
    text
}

/// Provably optimal portfolios for competitive public funding rounds.
#[derive(Parser)]
#[command(name = "allot", version, about, after_help = exit_codes_help())]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a scenario: the optimal portfolio, per-round shortlists, pools and the rank-and-cut comparison.
    #[command(after_help = exit_codes_help())]
    Solve(solve::Args),
    /// Validate a scenario and show each project's eligibility, subsidy and score without solving.
    #[command(after_help = exit_codes_help())]
    Check(check::Args),
    /// Solve the round over many weight vectors and budgets in parallel: acceptability of each
    /// project, stability of the base portfolio, distinct portfolios, the budget frontier.
    #[command(after_help = exit_codes_help())]
    Sweep(sweep::Args),
    /// Combine the shard files of one sweep (`sweep --shard i/n`) into the whole sweep's result.
    #[command(after_help = exit_codes_help())]
    Merge(merge::Args),
    /// Solve every scenario in a folder in parallel: one summary, failures reported and passed over.
    #[command(after_help = exit_codes_help())]
    Batch(batch::Args),
    /// Write the scenario's integer program as CPLEX-LP and/or MPS files, to re-solve with any MIP solver.
    #[command(after_help = exit_codes_help())]
    Export(export::Args),
    /// Compare two solve certificates (JSON): projects in, out, moved; money per pool; totals.
    #[command(after_help = diff::EXIT_CODES)]
    Diff(diff::Args),
    /// Explain one project: eligibility per round, score and rank, what keeps it out, and its exact margins.
    #[command(after_help = exit_codes_help())]
    Explain(explain::Args),
    /// Reserve lists (候补名单): per round, who steps in when funded projects withdraw.
    #[command(after_help = exit_codes_help())]
    Reserve(reserve::Args),
    /// Re-check a solve certificate (JSON) against its inputs: file hashes, the rules, every
    /// constraint in exact decimals, the totals, and optimality by solving again.
    #[command(after_help = verify::EXIT_CODES)]
    Verify(verify::Args),
    /// The committee report: one self-contained HTML file (rounds, funding lines, pools, margins
    /// near the line, reserve lists, and a sweep's charts with --sweep) that prints on A4.
    #[command(after_help = exit_codes_help())]
    Report(report::Args),
    /// The committee room: a live what-if page on this machine (`http://127.0.0.1:8765`): budgets
    /// and weights, locks and exclusions, each change solved exactly and compared with the base.
    #[command(after_help = exit_codes_help())]
    Serve(serve::Args),
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
    /// An Excel workbook (solve only; needs --output FILE).
    Xlsx,
}

/// The scenario a command reads, and the what-if overrides applied to it for this run only
/// (the file is never changed). Flattened into every command that reads a scenario.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ScenarioArgs {
    /// Scenario file (TOML or JSON), or a folder holding one; the built-in Quzhou 2019 sample when omitted.
    pub scenario: Option<PathBuf>,
    /// The what-ifs.
    #[command(flatten)]
    pub what_if: WhatIf,
}

/// What-if overrides: flattened into every command that reads a scenario.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WhatIf {
    /// What-if: set a scenario key for this run, e.g. `pools.key.budget=35000000` or
    /// `rounds.major.max_projects=15` (array entries by id; repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// What-if: the committee must fund PROJECT in ROUND (or in the only round it entered; repeatable).
    #[arg(long, value_name = "PROJECT[:ROUND]")]
    pub lock: Vec<String>,
    /// What-if: the committee excludes PROJECT (repeatable).
    #[arg(long, value_name = "PROJECT")]
    pub exclude: Vec<String>,
    /// What-if: give a criterion a new weight; the others are rescaled in proportion so the
    /// total stays the same (repeatable).
    #[arg(long, value_name = "CRITERION=WEIGHT")]
    pub weight: Vec<String>,
}

impl WhatIf {
    /// The what-ifs as audit-manifest parameters, as given (`allot verify` parses them again).
    pub fn parameters(&self) -> BTreeMap<String, Value> {
        [
            ("set", &self.set),
            ("lock", &self.lock),
            ("exclude", &self.exclude),
            ("weight", &self.weight),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::from(v.clone())))
        .collect()
    }
}

impl WhatIf {
    /// The overrides, checked for form.
    pub fn overrides(&self) -> allot::Result<Overrides> {
        Overrides::parse(&self.set, &self.weight, &self.exclude, &self.lock)
    }
}

impl ScenarioArgs {
    /// The overrides, checked for form.
    pub fn overrides(&self) -> allot::Result<Overrides> {
        self.what_if.overrides()
    }
}

/// Refuses `--format xlsx` for a command whose output is text.
pub fn text_only(format: FormatArg, command: &str) -> allot::Result<()> {
    if format == FormatArg::Xlsx {
        return Err(allot::Error::Input(format!(
            "--format xlsx: {command} writes table, json or csv; workbooks are written by solve"
        )));
    }
    Ok(())
}

/// Loads the scenario a user named (or the built-in default) with the what-if overrides applied.
pub fn load(args: &ScenarioArgs) -> allot::Result<Scenario> {
    scenario::load_with_overrides(args.scenario.as_deref(), &args.overrides()?)
}

/// A spinner on stderr naming what a long command is doing (`report`, `reserve`, `explain`); drawn
/// only when stderr is a terminal, cleared when dropped.
pub struct Stage {
    bar: indicatif::ProgressBar,
    command: &'static str,
}

impl Stage {
    /// Starts the spinner with its first stage.
    pub fn start(command: &'static str, what: &str) -> Stage {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        let stage = Stage { bar, command };
        stage.show(what);
        stage
    }

    /// Names the next stage.
    pub fn show(&self, what: &str) {
        self.bar.set_message(format!("{}: {what}", self.command));
    }

    /// Prints a line on stderr without tearing the spinner's line.
    pub fn note(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Prints the reader's warnings about a scenario on stderr, one line each (`allot: warning: …`).
pub fn warn(scenario: &Scenario) {
    for w in &scenario.warnings {
        eprintln!("allot: warning: {w}");
    }
}

/// The files a loaded scenario was read from, for [`output::check`].
pub fn inputs(args: &ScenarioArgs, scenario: &Scenario) -> Vec<output::Input> {
    output::scenario_inputs(scenario, args.scenario.is_none())
}

/// A JSON object result with the audit manifest of `command` added as its last key, pretty-printed
/// with a final newline. `parameters` are the command's own; the what-ifs are added.
pub fn with_manifest(
    mut value: Value,
    command: &str,
    scenario: &Scenario,
    args: &ScenarioArgs,
    mut parameters: BTreeMap<String, Value>,
) -> allot::Result<String> {
    parameters.extend(args.what_if.parameters());
    let builtin = args.scenario.is_none();
    let manifest = Manifest::new(command, scenario, builtin, None, parameters)?;
    let output = |e: serde_json::Error| allot::Error::Output(e.to_string());
    if let Value::Object(map) = &mut value {
        map.insert(
            "manifest".into(),
            serde_json::to_value(manifest).map_err(output)?,
        );
    }
    Ok(serde_json::to_string_pretty(&value).map_err(output)? + "\n")
}

/// Language of human-facing output.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    /// Chinese.
    Zh,
    /// English.
    En,
}

impl LangArg {
    /// The language to write: this flag, else the scenario's `lang`, else the locale, else English.
    pub fn resolve(flag: Option<LangArg>, scenario: Option<Lang>) -> Lang {
        let flag = flag.map(|l| match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        });
        Lang::resolve(flag, scenario)
    }
}

/// Runs a command; `Ok` carries the exit code.
pub fn run(cli: Cli) -> allot::Result<i32> {
    match cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Sweep(args) => sweep::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Export(args) => export::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Reserve(args) => reserve::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Report(args) => report::run(args),
        Command::Serve(args) => serve::run(args),
    }
}

/// Refuses a `--time-limit` that is not a positive, finite number of seconds.
pub(super) fn check_time_limit(seconds: Option<f64>) -> allot::Result<()> {
    match seconds {
        Some(t) if !(t > 0.0 && t.is_finite()) => Err(allot::Error::Input(format!(
            "--time-limit: {t} is not a positive number of seconds"
        ))),
        _ => Ok(()),
    }
}
