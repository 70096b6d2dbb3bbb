//! The `allot` command: parse arguments, dispatch, print errors, map exit codes — nothing else.

#![forbid(unsafe_code)]

mod cli;

use clap::error::ErrorKind;
use clap::Parser;

fn main() {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(error) => usage(error),
    };
    match cli::run(args) {
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("allot: {error}");
            std::process::exit(error.exit_code());
        }
    }
}

/// A command line clap refuses: one line on stderr, like every other error, with clap's tip
/// kept in it, and exit 2. Help and the version are printed as clap prints them.
fn usage(error: clap::Error) -> ! {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let text = error.render().to_string();
    let mut what = String::new();
    // The error's first line, the lines that go on from it up to a blank one (the arguments
    // missing), then each tip; not the usage or the pointer to --help.
    let mut going_on = false;
    for line in text.lines().map(str::trim) {
        if let Some(first) = line.strip_prefix("error: ") {
            what.push_str(first);
            going_on = true;
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            what.push_str("; ");
            what.push_str(tip);
            going_on = false;
        } else if line.is_empty() {
            going_on = false;
        } else if going_on {
            what.push(' ');
            what.push_str(line);
        }
    }
    if what.is_empty() {
        what = text.lines().next().unwrap_or("bad arguments").to_string();
    }
    eprintln!(
        "allot: {what} (allot --help lists the commands, allot COMMAND --help their options)"
    );
    std::process::exit(2);
}
