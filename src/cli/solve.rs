//! `allot solve`: the optimal portfolio of a scenario.

use super::{load, output, FormatArg, LangArg, ScenarioArgs};
use allot::audit::Manifest;
use allot::report::{self, Decisions};
use allot::scenario::Lang;
use allot::solve::{self, Options, Outcome, Status};
use std::path::PathBuf;

/// Arguments of `allot solve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// A Pabulib participatory-budgeting file (.pb) instead of a scenario: one pool and one round,
    /// cost = project cost, score = support; compared with the greedy rule (see docs/pabulib.md).
    #[arg(long, value_name = "FILE", conflicts_with = "scenario")]
    pb: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Language of the table and CSV reasons (JSON stays English); default: the scenario's `lang`.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Stop the search after this many seconds and report the best portfolio found with its gap
    /// (exit 5). The table's prices of inclusion share the limit: entries it leaves unpriced
    /// keep the portfolio's limits as their reasons (a note says how many).
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Worker threads (default: every core): a hard proof asks HiGHS's opinions side by side,
    /// and the table's prices are found in parallel. The result does not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Do not remove dominated candidates before solving (slower; for cross-checking).
    #[arg(long, hide = true)]
    no_reduce: bool,
    /// Where HiGHS proves, prove the score and its uniqueness in one perturbed-objective run
    /// instead of the plain stages (slower on linked pools; for cross-checking).
    #[arg(long, hide = true)]
    perturb: bool,
    /// Do not fix columns by reduced cost before the proof (slower; for cross-checking).
    #[arg(long, hide = true)]
    no_fix: bool,
}

/// Runs `allot solve`.
pub fn run(args: Args) -> allot::Result<i32> {
    if args.threads == Some(0) {
        return Err(allot::Error::Input("--threads: must be at least 1".into()));
    }
    allot::parallel::with_workers(args.threads, || solve_with_workers(args))?
}

/// `allot solve` on the current workers.
fn solve_with_workers(args: Args) -> allot::Result<i32> {
    super::check_time_limit(args.time_limit)?;
    let to_stdout = args
        .output
        .as_deref()
        .is_none_or(|p| p == std::path::Path::new("-"));
    if args.format == FormatArg::Xlsx && to_stdout {
        return Err(allot::Error::Input(
            "--format xlsx writes a workbook, not text: name the file with --output FILE (e.g. -o result.xlsx)".into(),
        ));
    }
    let scenario = match &args.pb {
        Some(file) => allot::scenario::load_pb(file)?,
        None => load(&args.scenario)?,
    };
    super::warn(&scenario);
    let builtin = args.pb.is_none() && args.scenario.scenario.is_none();
    output::check(
        output::Output::file("-o", args.output.as_deref()),
        &output::scenario_inputs(&scenario, builtin),
    )?;
    let overrides = args.scenario.overrides()?.describe();
    let evaluation = allot::rules::evaluate(&scenario);
    let options = Options {
        time_limit: args.time_limit,
        reduce: !args.no_reduce,
        perturb: args.perturb,
        fix: !args.no_fix,
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ..Options::default()
    }
    .from_now();
    let outcome = outcome(&scenario, &evaluation, &options, args.pb.is_some())?;
    let lang = match args.format {
        FormatArg::Json => Lang::En,
        _ => LangArg::resolve(args.lang, scenario.lang),
    };
    let warnings = allot::explain::warnings(&scenario, &evaluation, &outcome, &options)?;
    let shown = LangArg::resolve(args.lang, scenario.lang);
    for line in report::warning_lines(&scenario, &warnings, shown) {
        eprintln!("allot: warning: {line}");
    }
    let mut decisions = decisions(&scenario, &evaluation, &outcome, lang, args.pb.is_some());
    // People read the reasons of the table, CSV and workbook: entries above a funding line get
    // their price of inclusion (re-solves). The certificate keeps the ledger's reasons, so that
    // `allot verify` and batch runs reproduce it without them.
    if args.format != FormatArg::Json {
        // Each price is a whole proof: on rounds HiGHS proves, a table of them takes a minute.
        let what = "prices of inclusion above the funding lines";
        let progress = super::Stage::start("solve", what);
        let counted = |done, of| progress.show(&format!("{what}: {done} of {of}"));
        let found = priced(
            &scenario,
            &evaluation,
            &outcome,
            decisions,
            &options,
            &counted,
        )?;
        decisions = found.decisions;
        drop(progress);
        for note in found.notes {
            eprintln!("{note}");
        }
    }
    let bytes = match args.format {
        FormatArg::Table => (report::what_if_line(lang, &overrides)
            + &report::table(&scenario, &evaluation, &outcome, &decisions))
            .into_bytes(),
        FormatArg::Json => {
            let solved = Solved {
                scenario: &scenario,
                evaluation: &evaluation,
                outcome: &outcome,
            };
            solved
                .certificate(&decisions, &args.scenario.what_if, &options, builtin)?
                .into_bytes()
        }
        FormatArg::Csv => report::csv(&scenario, &evaluation, &outcome, &decisions).into_bytes(),
        FormatArg::Xlsx => report::xlsx(&scenario, &evaluation, &outcome, &decisions)?,
    };
    output::write_bytes(args.output.as_deref(), &bytes)?;
    Ok(match outcome.status {
        Status::Optimal => 0,
        Status::TimeLimit { .. } => allot::error::TIME_LIMIT_EXIT,
    })
}

/// A scenario, its evaluation and its solve: what a certificate is written from.
pub(super) struct Solved<'a> {
    pub scenario: &'a allot::scenario::Scenario,
    pub evaluation: &'a allot::rules::Evaluation,
    pub outcome: &'a Outcome,
}

impl Solved<'_> {
    /// The certificate `solve -f json` writes (and `allot serve` answers): `decisions` in
    /// English, the what-ifs and the solver options recorded in its manifest.
    pub(super) fn certificate(
        &self,
        decisions: &Decisions,
        what_if: &super::WhatIf,
        options: &Options,
        builtin: bool,
    ) -> allot::Result<String> {
        let mut parameters = what_if.parameters();
        parameters.insert("time_limit".into(), options.time_limit.into());
        parameters.insert("reduce".into(), options.reduce.into());
        parameters.insert("perturb".into(), options.perturb.into());
        parameters.insert("fix".into(), options.fix.into());
        let manifest = Manifest::new("solve", self.scenario, builtin, None, parameters)?;
        let (scenario, evaluation, outcome) = (self.scenario, self.evaluation, self.outcome);
        let mut certificate = report::certificate(scenario, evaluation, outcome, decisions);
        certificate.overrides = what_if.overrides()?.describe();
        certificate.manifest = Some(manifest);
        certificate_json(&certificate)
    }
}

/// Solves; for a `.pb` scenario the baseline is the greedy rule's portfolio.
pub(super) fn outcome(
    scenario: &allot::scenario::Scenario,
    evaluation: &allot::rules::Evaluation,
    options: &Options,
    pb: bool,
) -> allot::Result<Outcome> {
    let mut outcome = solve::solve(scenario, evaluation, options)?;
    if pb {
        outcome.baseline = Some(solve::greedy(scenario, evaluation));
    }
    Ok(outcome)
}

/// The decisions of an outcome; a `.pb` scenario's baseline is named `greedy`.
pub(super) fn decisions(
    scenario: &allot::scenario::Scenario,
    evaluation: &allot::rules::Evaluation,
    outcome: &Outcome,
    lang: Lang,
    pb: bool,
) -> Decisions {
    let mut decisions = Decisions::new_in(scenario, evaluation, outcome, lang);
    if pb {
        decisions.baseline_method = "greedy";
    }
    decisions
}

/// Entries priced per run at most: one re-solve each, twins sharing one. The bundled scenario
/// has 78; a generated round of 10,000 applications has about 4,500, which would take minutes
/// (its first 100 take 44 re-solves).
const PRICED: usize = 100;

/// `decisions` with the price of including each entry ranked above its round's funding line
/// (the `PRICED` best-ranked of them), the notes to show when some go without (the caller
/// prints them: on stderr, around a progress line, or not at all), and the prices themselves.
/// `counted(done, of)` is told each time one more entry has its price settled.
pub(super) fn priced(
    scenario: &allot::scenario::Scenario,
    evaluation: &allot::rules::Evaluation,
    outcome: &Outcome,
    decisions: Decisions,
    options: &Options,
    counted: &(dyn Fn(usize, usize) + Sync),
) -> allot::Result<Priced> {
    let mut entries = allot::explain::above_the_line(evaluation, outcome, &decisions.ranking);
    let mut notes = Vec::new();
    if entries.len() > PRICED {
        notes.push(format!(
            "allot: note: {} entries rank above a funding line; the {PRICED} best-ranked show their price of inclusion, the others the portfolio's limits that keep them out",
            entries.len()
        ));
    }
    entries.truncate(PRICED);
    let of = entries.len();
    let prices = allot::explain::prices_counted(
        scenario,
        evaluation,
        outcome,
        &entries,
        options,
        &|done| counted(done, of),
    )?;
    let mut priced = Priced {
        decisions: decisions.with_prices(scenario, evaluation, outcome, &prices),
        notes,
        sought: entries.len(),
        prices,
    };
    // A portfolio cut short has no prices at all; a proven one lacks only those the deadline cut.
    let unpriced = priced.unpriced();
    if outcome.status == Status::Optimal && unpriced > 0 {
        priced.notes.push(format!(
            "allot: note: the time limit came before {unpriced} of the {} prices of inclusion; those entries show the portfolio's limits that keep them out",
            priced.sought
        ));
    }
    Ok(priced)
}

/// What `priced` found.
pub(super) struct Priced {
    /// The decisions, with the prices among their reasons.
    pub decisions: Decisions,
    /// Notes for stderr: entries left unpriced, and why.
    pub notes: Vec<String>,
    /// The prices found.
    pub prices: Vec<allot::explain::Price>,
    /// The prices sought (the best-ranked entries above the lines, at most `PRICED`).
    pub sought: usize,
}

impl Priced {
    /// The prices sought and not found: only a deadline leaves one unfound.
    pub fn unpriced(&self) -> usize {
        self.sought - self.prices.len()
    }
}

/// A certificate as the file holds it: pretty JSON and a final newline.
pub(super) fn certificate_json(certificate: &report::Certificate) -> allot::Result<String> {
    let json = serde_json::to_string_pretty(certificate)
        .map_err(|e| allot::Error::Output(e.to_string()))?;
    Ok(json + "\n")
}
