//! `allot check`: validate a scenario and show what the rules make of every application.

use super::{load, output, FormatArg, LangArg, ScenarioArgs};
use allot::report;
use std::path::PathBuf;

/// Arguments of `allot check`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Language of the table and CSV reasons (JSON stays English); default: the scenario's `lang`.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

/// Runs `allot check`.
pub fn run(args: Args) -> allot::Result<i32> {
    super::text_only(args.format, "check")?;
    let scenario = load(&args.scenario)?;
    output::check(
        output::Output::file("-o", args.output.as_deref()),
        &super::inputs(&args.scenario, &scenario),
    )?;
    let evaluation = allot::rules::evaluate(&scenario);
    let lang = LangArg::resolve(args.lang, scenario.lang);
    let warnings = allot::explain::scenario_warnings(&scenario, &evaluation);
    for line in report::warning_lines(&scenario, &warnings, lang) {
        eprintln!("allot: warning: {line}");
    }
    let text = match args.format {
        FormatArg::Table => {
            report::what_if_line(lang, &args.scenario.overrides()?.describe())
                + &report::check_table(&scenario, &evaluation, lang)
        }
        FormatArg::Json => report::check_json(&scenario, &evaluation),
        FormatArg::Csv | FormatArg::Xlsx => report::check_csv(&scenario, &evaluation, lang),
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(0)
}
