//! `allot diff`: what changed between two solve certificates (a base and a what-if).

use super::{output, LangArg};
use allot::report;
use allot::Error;
use clap::ValueEnum;
use std::path::{Path, PathBuf};

/// Exit codes of `allot diff`: "same" and "different" both succeed (the output says which, and
/// scripts read `same` from the JSON), so that 1 keeps meaning an output that could not be written.
pub const EXIT_CODES: &str = "Exit codes:
  0  the comparison was written (whether or not the results differ; see `same` in the JSON)
  1  the output could not be written
  2  bad input: a certificate file is missing, not JSON, or not a solve certificate";

/// Output formats of `diff`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum DiffFormat {
    /// Tables for people.
    Table,
    /// JSON.
    Json,
}

/// Arguments of `allot diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The base result: a certificate written by `allot solve -f json`.
    base: PathBuf,
    /// The what-if result: another certificate.
    whatif: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    format: DiffFormat,
    /// Write to this file instead of stdout (atomically; `-` is stdout).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Language of the table; default: the locale.
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

fn read(path: &Path) -> allot::Result<report::Solved> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            _ => e.to_string().to_lowercase(),
        };
        Error::input(&name, "", why)
    })?;
    report::read_certificate(&name, &text)
}

/// Runs `allot diff`.
pub fn run(args: Args) -> allot::Result<i32> {
    output::check(
        output::Output::file("-o", args.output.as_deref()),
        &[
            output::Input::new(&args.base, "the base certificate"),
            output::Input::new(&args.whatif, "the what-if certificate"),
        ],
    )?;
    let base = read(&args.base)?;
    let whatif = read(&args.whatif)?;
    let files = [
        args.base.display().to_string(),
        args.whatif.display().to_string(),
    ];
    let diff = report::diff(&base, &whatif, [&files[0], &files[1]]);
    let text = match args.format {
        DiffFormat::Table => report::diff_table(&diff, LangArg::resolve(args.lang, None)),
        DiffFormat::Json => {
            serde_json::to_string_pretty(&diff).map_err(|e| Error::Output(e.to_string()))? + "\n"
        }
    };
    output::write(args.output.as_deref(), &text)?;
    Ok(0)
}
