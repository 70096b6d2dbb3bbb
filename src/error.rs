//! The library's error: what went wrong, in words that name the file, the place and the value.
//! Each kind maps to one documented exit code of the binary.

use std::fmt;

/// Everything that can stop a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input: a file that is missing or malformed, or a reference that does not resolve.
    #[error("{0}")]
    Input(String),
    /// No portfolio satisfies the committee's locks and dependencies.
    #[error("infeasible: {0}")]
    Infeasible(String),
    /// The solver failed, or its answer did not pass exact verification.
    #[error("solver failure: {0}")]
    Solver(String),
    /// Writing an output failed.
    #[error("{0}")]
    Output(String),
    /// The machine refused what the run needs beyond its files (worker threads).
    #[error("{0}")]
    System(String),
    /// The user interrupted the run (Ctrl-C); nothing was written.
    #[error("interrupted: {0}")]
    Interrupted(String),
}

impl Error {
    /// An input error located in a file: `file: location: message` (location may be empty).
    pub fn input(
        file: impl fmt::Display,
        location: impl fmt::Display,
        message: impl fmt::Display,
    ) -> Error {
        let location = location.to_string();
        let text = if location.is_empty() {
            format!("{file}: {message}")
        } else {
            format!("{file}: {location}: {message}")
        };
        // One line whatever the input holds: a key or cell with a line break in it is shown
        // escaped, as it would be written in JSON.
        Error::Input(text.replace('\r', "\\r").replace('\n', "\\n"))
    }

    /// The process exit code documented for this kind of failure.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Infeasible(_) => 3,
            Error::Solver(_) => 4,
            Error::Output(_) | Error::System(_) => 1,
            Error::Interrupted(_) => 130,
        }
    }
}

/// Every exit code of the `allot` command with its meaning: the one table behind `--help`, the
/// README's table and docs/output-format.md's (tests/integration/cli.rs checks that both copies match it).
pub const EXIT_CODES: [(i32, &str); 7] = [
    (0, "success (`solve`: a proven optimum)"),
    (
        1,
        "an output file could not be written (or the machine refused worker threads)",
    ),
    (
        2,
        "bad input: a missing or malformed file, an unknown reference, a bad value, a bad what-if \
         (or bad arguments)",
    ),
    (
        3,
        "infeasible: the committee's locks, dependencies and round floors cannot all hold (the message names \
         them)",
    ),
    (
        4,
        "solver failure (a time limit that came before any portfolio was found included), or a portfolio that \
         failed exact verification",
    ),
    (
        TIME_LIMIT_EXIT,
        "the time limit stopped the search: the best portfolio found is reported with its gap",
    ),
    (
        130,
        "interrupted (Ctrl-C during a sweep): nothing was written",
    ),
];

/// The exit code of a run the time limit stopped (not an error: the best portfolio is reported).
pub const TIME_LIMIT_EXIT: i32 = 5;

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
