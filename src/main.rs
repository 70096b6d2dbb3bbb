//! The `allot` command: parse arguments, dispatch, print errors, map exit codes — nothing else.

#![forbid(unsafe_code)]

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("allot: {error}");
            std::process::exit(error.exit_code());
        }
    }
}
