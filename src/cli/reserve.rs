//! `allot reserve`: per round, who steps in when funded projects withdraw (候补名单).

use super::{load, output, FormatArg, LangArg, ScenarioArgs};
use allot::explain::Explainer;
use allot::report::{reserve_csv, reserve_json, reserve_text};
use allot::solve::Options;
use std::path::PathBuf;

/// Arguments of `allot reserve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    scenario: ScenarioArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Language of the text: the scenario's `lang`, else the locale, else English when omitted.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Runs `allot reserve`.
pub fn run(args: Args) -> allot::Result<i32> {
    super::text_only(args.format, "reserve")?;
    let scenario = load(&args.scenario)?;
    output::check(
        output::Output::file("-o", args.output.as_deref()),
        &super::inputs(&args.scenario, &scenario),
    )?;
    let lang = LangArg::resolve(args.lang, scenario.lang);
    let evaluation = allot::rules::evaluate(&scenario);
    let progress = super::Stage::start("reserve", "solving");
    let explainer = Explainer::new(&scenario, &evaluation, Options::default())?;
    progress.show("re-solving each withdrawal");
    let reserves = explainer.reserves()?;
    drop(progress);
    let text = match args.format {
        FormatArg::Table => reserve_text(&scenario, &evaluation, &reserves, lang),
        FormatArg::Json => super::with_manifest(
            reserve_json(&scenario, &reserves),
            "reserve",
            &scenario,
            &args.scenario,
            Default::default(),
        )?,
        FormatArg::Csv | FormatArg::Xlsx => reserve_csv(&scenario, &reserves),
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(0)
}
