//! `allot explain`: why one project is (not) funded, and how close the decision was.

use super::{load, output, FormatArg, LangArg, ScenarioArgs, WhatIf};
use allot::explain::{find_project, Explainer};
use allot::report::{explanation_json, explanation_text};
use allot::solve::Options;
use std::path::PathBuf;

/// Arguments of `allot explain`.
#[derive(clap::Args)]
pub struct Args {
    /// [SCENARIO] PROJECT: the scenario (file or folder; the built-in Quzhou 2019 sample when
    /// omitted) and the project id to explain.
    #[arg(value_name = "[SCENARIO] PROJECT", num_args = 1..=2, required = true)]
    args: Vec<String>,
    /// Output format (table or json).
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Language of the text: the scenario's `lang`, else the locale, else English when omitted.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Stop the prices of inclusion and the margins after this many seconds: those not found by
    /// then are marked "not found within the time limit" (every one shown is exact). The proof
    /// of the portfolio is never cut short.
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// What-ifs applied before explaining.
    #[command(flatten)]
    what_if: WhatIf,
}

/// Runs `allot explain`.
pub fn run(args: Args) -> allot::Result<i32> {
    super::check_time_limit(args.time_limit)?;
    let (scenario_path, project) = match args.args.as_slice() {
        [project] => (None, project),
        [path, project] => (Some(PathBuf::from(path)), project),
        _ => unreachable!("clap takes one or two values"),
    };
    if matches!(args.format, FormatArg::Csv | FormatArg::Xlsx) {
        return Err(allot::Error::Input(
            "--format: explain writes table or json".into(),
        ));
    }
    let scenario_args = ScenarioArgs {
        scenario: scenario_path,
        what_if: args.what_if.clone(),
    };
    let scenario = load(&scenario_args)?;
    output::check(
        output::Output::file("-o", args.output.as_deref()),
        &super::inputs(&scenario_args, &scenario),
    )?;
    let lang = LangArg::resolve(args.lang, scenario.lang);
    let evaluation = allot::rules::evaluate(&scenario);
    let index = find_project(&scenario, project)?;
    let progress = super::Stage::start("explain", "solving");
    let options = Options {
        time_limit: args.time_limit,
        ..Options::default()
    };
    let explainer = Explainer::new(&scenario, &evaluation, options)?;
    progress.show("exact margins and prices of inclusion");
    let explanation = explainer.explain_with_prices(index)?;
    if !explanation.left_out.is_empty() {
        let n = explanation.left_out.len();
        progress.note(&format!(
            "allot: note: the time limit came before {n} part{} of the explanation; {} marked as not found",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it is" } else { "they are" }
        ));
    }
    drop(progress);
    let funded = &explainer.portfolio().funded;
    let text = match args.format {
        FormatArg::Json => {
            let json = explanation_json(&scenario, &evaluation, funded, &explanation, lang);
            let parameters = [
                ("project".to_string(), project.as_str().into()),
                ("time_limit".to_string(), args.time_limit.into()),
                (
                    "lang".to_string(),
                    format!("{lang:?}").to_lowercase().into(),
                ),
            ]
            .into();
            super::with_manifest(json, "explain", &scenario, &scenario_args, parameters)?
        }
        _ => explanation_text(&scenario, &evaluation, funded, &explanation, lang),
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(0)
}
