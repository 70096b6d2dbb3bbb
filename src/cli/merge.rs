//! `allot merge`: the shard files of one sweep combined into exactly the unsharded result — read
//! and merged by `sweep`, rendered by `report`.

use super::{output, FormatArg};
use allot::report::sweep as report;
use allot::sweep::{merge_shards, SweepHeader, Tally};
use std::path::PathBuf;

/// Arguments of `allot merge`.
#[derive(clap::Args)]
pub struct Args {
    /// Shard files written by `allot sweep --shard i/n -o FILE`, every shard once, in any order.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: FormatArg,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Language of the table (JSON and CSV stay English); default: the scenario's `lang`, else the locale.
    #[arg(long, value_enum)]
    lang: Option<super::LangArg>,
    /// Also write SVG charts (acceptability.svg, frontier.svg, weights.svg) into this folder,
    /// created when missing.
    #[arg(long, value_name = "DIR")]
    plot: Option<PathBuf>,
}

/// The language of a sweep's table and charts: `--lang`, else the scenario's, else the locale.
pub(super) fn language(
    header: &SweepHeader,
    lang: Option<super::LangArg>,
) -> allot::scenario::Lang {
    let scenario_lang = header
        .lang
        .as_deref()
        .and_then(allot::scenario::Lang::parse);
    super::LangArg::resolve(lang, scenario_lang)
}

/// A whole sweep's result in the chosen format: the one rendering `sweep` and `merge` share, so a
/// merge prints exactly what the unsharded sweep prints.
pub(super) fn summary(
    header: &SweepHeader,
    tally: &Tally,
    format: FormatArg,
    lang: Option<super::LangArg>,
) -> allot::Result<String> {
    Ok(match format {
        FormatArg::Table => report::summary_table(header, tally, language(header, lang)),
        FormatArg::Json => report::summary_json(header, tally)?,
        FormatArg::Csv | FormatArg::Xlsx => report::summary_csv(header, tally)?,
    })
}

/// Runs `allot merge`.
pub fn run(args: Args) -> allot::Result<i32> {
    super::text_only(args.format, "merge")?;
    let inputs: Vec<output::Input> = args
        .shards
        .iter()
        .map(|p| output::Input::new(p, "a shard file being merged"))
        .collect();
    output::check(
        output::Output::file("-o", args.output.as_deref())
            .into_iter()
            .chain(output::chart_outputs(args.plot.as_deref())),
        &inputs,
    )?;
    let (header, tally) = merge_shards(&args.shards)?;
    let text = summary(&header, &tally, args.format, args.lang)?;
    if let Some(dir) = &args.plot {
        output::write_charts(
            dir,
            allot::report::chart::charts(&header, &tally, language(&header, args.lang))?,
        )?;
    }
    output::write(args.output.as_deref(), &text)?;
    Ok(0)
}
