//! Adversarial property tests: scenario shapes the project's own generator never makes
//! (tests/common/adversarial.rs), each solved four ways — the default, the HiGHS path
//! (`fix: false`), the HiGHS path without the perturbed proof (`fix: false, perturb: false`) and
//! without the dominance reduction (`reduce: false`) — and compared with brute force under the
//! full three-level tie-break: the same funded candidates exactly, a portfolio that passes exact
//! verification, the same portfolio on a repeated run, Infeasible exactly when brute force finds
//! no portfolio, and never a panic or `Error::Solver`.
//!
//! PROPTEST_CASES sets the cases per shape (default 40, ten shapes).

mod common;
#[path = "common/adversarial.rs"]
mod adversarial;

use adversarial::Spec;
use allot::rules::{evaluate, Evaluation};
use allot::scenario::{from_toml_str, Scenario};
use allot::solve::{solve, verify, Options, Portfolio};
use allot::Error;
use common::brute_force;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

/// The four ways to solve, by name.
fn variants() -> Vec<(&'static str, Options)> {
    vec![
        ("default", Options::default()),
        (
            "fix: false",
            Options {
                fix: false,
                ..Options::default()
            },
        ),
        (
            "fix: false, perturb: false",
            Options {
                fix: false,
                perturb: false,
                ..Options::default()
            },
        ),
        (
            "reduce: false",
            Options {
                reduce: false,
                ..Options::default()
            },
        ),
    ]
}

fn describe(s: &Scenario, e: &Evaluation, p: &Portfolio) -> String {
    let names: Vec<String> = p
        .funded
        .iter()
        .map(|&c| {
            let cand = &e.candidates[c];
            format!(
                "{}@{}",
                s.applications[cand.project].id, s.rounds[cand.round].id
            )
        })
        .collect();
    format!(
        "[{}] score {} subsidy {}",
        names.join(", "),
        p.total_score,
        p.total_requested()
    )
}

/// Every variant against brute force; the disagreements (one line per failing variant).
fn disagreement(scenario: &Scenario, evaluation: &Evaluation) -> Option<String> {
    disagreement_at(scenario, evaluation, true)
}

/// As [`disagreement`]; `full`: the funded candidates must be brute force's exactly (all three
/// tie-break levels), else only the total score and the total subsidy (the first two levels).
fn disagreement_at(scenario: &Scenario, evaluation: &Evaluation, full: bool) -> Option<String> {
    let expected = brute_force(scenario, evaluation);
    let found: Vec<String> = variants()
        .into_iter()
        .filter_map(|(name, options)| {
            variant_disagreement(scenario, evaluation, &expected, &options, full)
                .map(|why| format!("{name}: {why}"))
        })
        .collect();
    (!found.is_empty()).then(|| found.join("\n"))
}

/// One variant against the brute-force answer.
fn variant_disagreement(
    scenario: &Scenario,
    evaluation: &Evaluation,
    expected: &Option<Portfolio>,
    options: &Options,
    full: bool,
) -> Option<String> {
    let got = solve(scenario, evaluation, options);
    match (&got, expected) {
        (Ok(outcome), Some(best)) => {
            let p = &outcome.portfolio;
            let differs = if full {
                p.funded != best.funded
            } else {
                p.total_score != best.total_score || p.total_requested() != best.total_requested()
            };
            if differs {
                return Some(format!(
                    "got {}, brute force {}",
                    describe(scenario, evaluation, &outcome.portfolio),
                    describe(scenario, evaluation, best)
                ));
            }
            if let Err(why) = verify(scenario, evaluation, &outcome.portfolio) {
                return Some(format!("the portfolio fails verification: {why}"));
            }
            match solve(scenario, evaluation, options) {
                Ok(again) if again.portfolio == outcome.portfolio => None,
                Ok(again) => Some(format!(
                    "a second run gives {}, the first {}",
                    describe(scenario, evaluation, &again.portfolio),
                    describe(scenario, evaluation, &outcome.portfolio)
                )),
                Err(e) => Some(format!("a second run fails: {e}")),
            }
        }
        (Err(Error::Infeasible(_)), None) => None,
        (Err(Error::Solver(why)), _) => Some(format!("Error::Solver: {why}")),
        (Ok(outcome), None) => Some(format!(
            "got {} where brute force finds no portfolio",
            describe(scenario, evaluation, &outcome.portfolio)
        )),
        (Err(e), Some(best)) => Some(format!(
            "{e} where brute force finds {}",
            describe(scenario, evaluation, best)
        )),
        (Err(e), None) => Some(format!("unexpected error {e}")),
    }
}

/// Reads the spec's scenario (`strict`: it must be valid; else an invalid one is discarded) and
/// checks every variant against brute force.
fn check(spec: &Spec, strict: bool) -> Result<(), TestCaseError> {
    check_at(spec, strict, true)
}

/// As [`check`]; `full` as in [`disagreement_at`].
fn check_at(spec: &Spec, strict: bool, full: bool) -> Result<(), TestCaseError> {
    let text = spec.to_toml();
    let scenario = match from_toml_str(&text, "adversarial.toml") {
        Ok(s) => s,
        Err(e) if strict => {
            return Err(TestCaseError::fail(format!(
                "generated scenario is invalid: {e}\n{text}"
            )))
        }
        Err(_) => return Err(TestCaseError::reject("refused by the reader")),
    };
    let evaluation = evaluate(&scenario);
    if let Some(why) = disagreement_at(&scenario, &evaluation, full) {
        return Err(TestCaseError::fail(format!("{why}\n{text}")));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_global_rejects: 100_000, ..ProptestConfig::default() })]

    #[test]
    fn massive_ties_small_amounts(spec in adversarial::ties(false)) {
        check(&spec, true)?;
    }

    /// The first two tie-break levels (score, then least subsidy) on massive ties with amounts in
    /// millions; the third level fails on this shape (see the test below).
    #[test]
    fn massive_ties_amounts_in_millions_score_and_subsidy(spec in adversarial::ties(true)) {
        check_at(&spec, true, false)?;
    }

    #[test]
    #[ignore = "fails: the third tie-break level (earliest (project, round)) on the enumeration path, tests/fixtures/adversarial/ties-round-order.toml"]
    fn massive_ties_amounts_in_millions(spec in adversarial::ties(true)) {
        check(&spec, true)?;
    }

    #[test]
    fn linked_pools(spec in adversarial::linked_pools()) {
        check(&spec, true)?;
    }

    #[test]
    fn tight_group_limits_on_several_attributes(spec in adversarial::group_limits()) {
        check(&spec, true)?;
    }

    #[test]
    fn requires_and_excludes_chains(spec in adversarial::chains()) {
        check(&spec, false)?;
    }

    #[test]
    fn locks_that_exhaust_a_pool(spec in adversarial::locks()) {
        check(&spec, true)?;
    }

    #[test]
    fn one_project_costing_most_of_a_pool(spec in adversarial::one_big()) {
        check(&spec, true)?;
    }

    #[test]
    fn ten_rounds_on_one_pool(spec in adversarial::ten_rounds()) {
        check(&spec, true)?;
    }

    #[test]
    fn budgets_that_never_bind_or_fit_one(spec in adversarial::budgets()) {
        check(&spec, true)?;
    }

    #[test]
    fn extreme_numbers(spec in adversarial::extremes(false)) {
        check(&spec, false)?;
    }

    #[test]
    #[ignore = "fails: scores of 10^11 points or amounts near 10^13 yuan put coefficients of 10^15 in HiGHS's rows, which it refuses (Error::Solver; fixtures huge-score.toml, amount-at-limit.toml)"]
    fn extreme_numbers_up_to_the_readers_limits(spec in adversarial::extremes(true)) {
        check(&spec, false)?;
    }
}

/// Loads a scenario file and checks every variant against brute force; the disagreement.
fn fixture_disagreement(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let scenario = from_toml_str(&text, path).expect("a valid fixture");
    let evaluation = evaluate(&scenario);
    disagreement(&scenario, &evaluation)
}

/// For minimizing by hand: `ADV_FILE=x.toml cargo test --release --test adversarial -- --ignored
/// scratch --nocapture` prints what disagrees with brute force on that file.
#[test]
#[ignore = "a tool, not a test: set ADV_FILE"]
fn scratch() {
    if let Ok(path) = std::env::var("ADV_FILE") {
        println!("{path}: {:?}", fixture_disagreement(&path));
    }
}

/// Asserts that every variant agrees with brute force on a fixture of tests/fixtures/adversarial.
#[track_caller]
fn assert_fixture(name: &str) {
    let path = format!("tests/fixtures/adversarial/{name}");
    if let Some(why) = fixture_disagreement(&path) {
        panic!("{path}: {why}");
    }
}

#[test]
#[ignore = "fails: a score of 10^11 points is a 10^15 coefficient in the HiGHS path's score row, which HiGHS refuses (Error::Solver with fix: false)"]
fn huge_score_is_solved() {
    assert_fixture("huge-score.toml");
}

#[test]
#[ignore = "fails: amounts of 10^13 yuan with fen make a pool-row coefficient of 10^15 fen, which HiGHS refuses (Error::Solver on the default path)"]
fn amount_at_the_readers_limit_is_solved() {
    assert_fixture("amount-at-limit.toml");
}

#[test]
#[ignore = "fails: the tie-break's third level funds A07@r5 where A07@r2 ties on score and subsidy and comes first; default and reduce: false (the enumeration path) are wrong, fix: false is right"]
fn ties_over_three_pools_fund_the_earlier_round() {
    assert_fixture("ties-round-order.toml");
}

#[test]
#[ignore = "fails: a score of 8e8 points beside zero scores, with nothing affordable, makes HiGHS end in an error status (Error::Solver with reduce: false)"]
fn big_score_with_an_empty_pool_is_solved() {
    assert_fixture("big-score-empty-pool.toml");
}
