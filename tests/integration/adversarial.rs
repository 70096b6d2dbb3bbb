//! Adversarial property tests: scenario shapes the project's own generator never makes
//! (tests/integration/util/shapes.rs), each solved six ways — the default, the HiGHS path
//! (`fix: false`), the HiGHS path with the perturbed proof (`fix: false, perturb: true`),
//! without the dominance reduction (`reduce: false`), HiGHS over the fixed program without
//! the enumeration (`enumerate: false`), and that with stage 2 asked only after stage 1
//! (`stage_two_early: false`) — and compared with brute force under the
//! full three-level tie-break: the same funded candidates exactly, a portfolio that passes exact
//! verification, the same portfolio on a repeated run, Infeasible exactly when brute force finds
//! no portfolio, and never a panic or `Error::Solver`.
//!
//! PROPTEST_CASES sets the cases per shape (default 40, ten shapes; about 35 s in release with
//! the large-round check). Failures found are kept as fixtures in tests/fixtures/adversarial/,
//! each with a plain #[test] (#[ignore]d, with the cause, while the solver is not fixed); shapes
//! once known for Error::Solver cases have a tolerant and a strict twin, both run now.
//! `cargo test --release --test integration -- --ignored adversarial::` runs them all; `scratch`
//! (with ADV_FILE) checks one file, `hunt_least_subsidy` and `hunt_large_ties` search seeds.

use crate::util::oracle::{better_by, brute_force, funded_names, paths};
use crate::util::shapes::{self, Size, Spec};
use allot::explain::whatif::{pairs, solve_pairs};
use allot::rules::{evaluate, Evaluation};
use allot::scenario::{from_toml_str, Scenario};
use allot::solve::{solve, verify, Options, Portfolio, Status};
use allot::Error;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rust_decimal::Decimal;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

fn describe(s: &Scenario, e: &Evaluation, p: &Portfolio) -> String {
    let names = funded_names(s, e, p);
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
    disagreement_with(scenario, evaluation, full, false)
}

/// As [`disagreement_at`]; `tolerate`: an `Error::Solver` is not a disagreement (for shapes whose
/// known Error::Solver cases are kept as ignored fixtures, so that the rest stays checked).
fn disagreement_with(
    scenario: &Scenario,
    evaluation: &Evaluation,
    full: bool,
    tolerate: bool,
) -> Option<String> {
    let expected = brute_force(scenario, evaluation);
    // Also re-solved from the optimum remembered, as a sweep's runs are (the proof first tries
    // the hint's own floor).
    let hinted = expected.as_ref().map(|best| {
        let options = Options {
            hints: vec![pairs(evaluation, best).into_iter().collect()],
            ..Options::default()
        };
        ("hinted", options)
    });
    let found: Vec<String> = paths()
        .into_iter()
        .chain(hinted)
        .filter_map(|(name, options)| {
            variant_disagreement(scenario, evaluation, &expected, &options, full, tolerate)
                .map(|why| format!("{name}: {why}"))
        })
        .chain(residual_disagreement(scenario, evaluation, &expected))
        .collect();
    (!found.is_empty()).then(|| found.join("\n"))
}

/// The what-if path (`solve_pairs`), which solves over what the locks leave room for
/// (`solve::residual`), against the brute-force answer.
fn residual_disagreement(
    scenario: &Scenario,
    evaluation: &Evaluation,
    expected: &Option<Portfolio>,
) -> Option<String> {
    let want = expected.as_ref().map(|p| pairs(evaluation, p));
    match solve_pairs(scenario, evaluation, &Options::default()) {
        Ok(got) if got == want => None,
        Ok(got) => Some(format!("residual: got {got:?}, brute force {want:?}")),
        Err(Error::Solver(_)) => None,
        Err(e) => Some(format!("residual: {e}")),
    }
}

/// One variant against the brute-force answer.
fn variant_disagreement(
    scenario: &Scenario,
    evaluation: &Evaluation,
    expected: &Option<Portfolio>,
    options: &Options,
    full: bool,
    tolerate: bool,
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
        // ADV_SKIP_SOLVER_ERRORS: keep hunting for wrong portfolios past the known failures.
        (Err(Error::Solver(_)), _)
            if tolerate || std::env::var_os("ADV_SKIP_SOLVER_ERRORS").is_some() =>
        {
            None
        }
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
    check_with(spec, strict, full, false)
}

/// As [`check_at`]; `tolerate` as in [`disagreement_with`].
fn check_with(spec: &Spec, strict: bool, full: bool, tolerate: bool) -> Result<(), TestCaseError> {
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
    if let Some(why) = disagreement_with(&scenario, &evaluation, full, tolerate) {
        return Err(TestCaseError::fail(format!("{why}\n{text}")));
    }
    Ok(())
}

/// The default path alone against brute force; `full` and `tolerate` as in [`variant_disagreement`].
fn default_path(spec: &Spec, full: bool, tolerate: bool) -> Result<(), TestCaseError> {
    let text = spec.to_toml();
    let scenario = from_toml_str(&text, "adversarial.toml").expect("a valid scenario");
    let evaluation = evaluate(&scenario);
    let expected = brute_force(&scenario, &evaluation);
    match variant_disagreement(
        &scenario,
        &evaluation,
        &expected,
        &Options::default(),
        full,
        tolerate,
    ) {
        Some(why) => Err(TestCaseError::fail(format!("default: {why}\n{text}"))),
        None => Ok(()),
    }
}

proptest! {
    // The readers' limits refuse most extreme draws (about 600 for each one read), so the
    // rejects allowed grow with the cases asked for.
    #![proptest_config(ProptestConfig { cases: cases(), max_global_rejects: cases().saturating_mul(2_500).max(100_000), ..ProptestConfig::default() })]

    /// Massive ties with small amounts, Error::Solver tolerated (highs-error-ties.toml was the
    /// known case; the strict version below checks it too).
    #[test]
    fn massive_ties_small_amounts(spec in shapes::ties(false, Size::small())) {
        check_with(&spec, true, true, true)?;
    }

    #[test]
    fn massive_ties_small_amounts_without_solver_errors(spec in shapes::ties(false, Size::small())) {
        check(&spec, true)?;
    }

    /// The default path alone, on score and subsidy, Error::Solver tolerated (the all-variant
    /// versions below check every path and the whole tie-break).
    #[test]
    fn massive_ties_amounts_in_millions_default_path(spec in shapes::ties(true, Size::small())) {
        default_path(&spec, false, true)?;
    }

    /// Failed on the HiGHS path (fix: false) until stage 2's answer was asked again: its
    /// least-subsidy stage stopped a yuan above the least (28,000,002 for 27,000,002 fen).
    #[test]
    fn massive_ties_amounts_in_millions_score_and_subsidy(spec in shapes::ties(true, Size::small())) {
        check_at(&spec, true, false)?;
    }

    #[test]
    #[ignore = "fails on the HiGHS fallback path only (fix: false), about once in 1,500 cases: with amounts in hundreds of millions HiGHS can end in 'unbounded' on a bounded program, or call a least subsidy 691 million fen above the least at both tolerances; the default path is right"]
    fn massive_ties_amounts_in_hundreds_of_millions_score_and_subsidy(spec in shapes::ties_hundreds_of_millions(Size::small())) {
        check_at(&spec, true, false)?;
    }

    #[test]
    #[ignore = "fails on the HiGHS fallback path only (fix: false), in about one run of 600 cases in four: HiGHS ends in 'unbounded or infeasible' on a bounded 0/1 program; the default path is right (the test below)"]
    // Failed on the HiGHS path (fix: false) until every HiGHS portfolio was checked exactly
    // (stage 2 lost a stage-1 portfolio over a row by its tolerance), stage 2's answer was asked
    // again, a face question of large amounts got a third opinion (in about one run of 600 cases
    // in two before: tie-break-block-millions.toml) and the perturbed proof's stage 1 the second
    // look of the plain one (490 points called optimal where 560 exist).
    fn massive_ties_amounts_in_millions(spec in shapes::ties(true, Size::small())) {
        check(&spec, true)?;
    }

    /// The default path alone, the whole tie-break, no solver error tolerated: the part of the
    /// test above that holds.
    #[test]
    fn massive_ties_amounts_in_millions_whole_tie_break_default_path(spec in shapes::ties(true, Size::small())) {
        default_path(&spec, true, false)?;
    }

    #[test]
    fn linked_pools(spec in shapes::linked_pools(Size::small())) {
        check(&spec, true)?;
    }

    #[test]
    fn round_floors_that_bind(spec in shapes::floors(Size::small())) {
        check(&spec, true)?;
    }

    #[test]
    fn massive_ties_under_round_floors(spec in shapes::tied_floors(Size::small())) {
        check(&spec, true)?;
    }

    /// Error::Solver tolerated (highs-error-enterprise.toml is the known case).
    #[test]
    fn tight_group_limits_on_several_attributes(spec in shapes::group_limits(Size::small())) {
        check_with(&spec, true, true, true)?;
    }

    #[test]
    fn requires_and_excludes_chains(spec in shapes::chains()) {
        check(&spec, false)?;
    }

    #[test]
    fn locks_that_exhaust_a_pool(spec in shapes::locks()) {
        check(&spec, true)?;
    }

    #[test]
    fn one_project_costing_most_of_a_pool(spec in shapes::one_big()) {
        check(&spec, true)?;
    }

    #[test]
    fn ten_rounds_on_one_pool(spec in shapes::ten_rounds(Size::small())) {
        check(&spec, true)?;
    }

    #[test]
    fn budgets_that_never_bind_or_fit_one(spec in shapes::budgets()) {
        check(&spec, true)?;
    }

    /// Error::Solver tolerated: big-score-empty-pool.toml and highs-unknown-status.toml were the
    /// known cases (the strict version below checks them too).
    #[test]
    fn extreme_numbers(spec in shapes::extremes(false)) {
        check_with(&spec, false, true, true)?;
    }

    #[test]
    fn extreme_numbers_without_solver_errors(spec in shapes::extremes(false)) {
        check(&spec, false)?;
    }

    #[test]
    fn extreme_numbers_up_to_the_readers_limits(spec in shapes::extremes(true)) {
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

/// For minimizing by hand: `ADV_FILE=x.toml cargo test --release --test integration -- --ignored
/// scratch --nocapture` prints what disagrees with brute force on that file.
#[test]
#[ignore = "a tool, not a test: set ADV_FILE"]
fn scratch() {
    if let Ok(path) = std::env::var("ADV_FILE") {
        println!("{path}: {:?}", fixture_disagreement(&path));
    }
}

/// Asserts that a fixture outside the domain of numbers (docs/scenario-format.md, "Numbers") is
/// refused when read, naming the value: these put coefficients of 10^15 in HiGHS's rows (which it
/// refused) or scores of 10^8–10^11 points beside zeros (error statuses) before the domain was set.
#[track_caller]
fn assert_refused(name: &str) {
    let path = format!("tests/fixtures/adversarial/{name}");
    let text = std::fs::read_to_string(&path).unwrap();
    match from_toml_str(&text, &path) {
        Err(allot::Error::Input(why)) => {
            assert!(
                why.contains("out of range") || why.contains("too large"),
                "{why}"
            )
        }
        other => panic!("{path}: {:?}", other.map(|_| "read")),
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

/// HiGHS accepted a portfolio a yuan over a pool of 300 billion yuan (its tolerance on rows in fen)
/// and stage 2 then lost it; found by `extreme_numbers_without_solver_errors` in CI. Every
/// HiGHS answer is now checked exactly and a breaking one cut off.
#[test]
fn a_portfolio_over_a_pool_by_a_yuan_is_cut_off() {
    assert_fixture("pool-over-by-a-yuan.toml");
}

/// HiGHS called the tie-break's first block question empty at both tolerances ("does a face
/// portfolio fund A02 in r3?" — one does: A02 moves from r6 to r3 and A06 from r3 to r5, the
/// same score and amount), its cuts against the face's subsidy row of coefficients in millions.
/// The HiGHS path only (fix: false). Found by `massive_ties_amounts_in_millions` at 600 cases
/// (2026-12-05); a third opinion without that row (`ask` in solve/mod.rs) finds it.
#[test]
fn a_tie_break_block_in_millions_is_not_lost() {
    assert_fixture("tie-break-block-millions.toml");
}

/// Round priority's last level picked the dearer of two tied portfolios when the enumeration
/// proved it (a floor on r0's score among its rows); solved by HiGHS since.
#[test]
fn round_priority_keeps_the_least_subsidy() {
    assert_fixture("priority-least-subsidy.toml");
}

/// Round priority cut short by the time limit at a level claimed that level's gap for the whole
/// round: 0 (only the level's tie-break was cut) on a portfolio 267 points below the optimum. The
/// levels after it have no bound, so the gap is 1, and only the levels proven are listed.
#[test]
fn round_priority_cut_short_claims_no_gap() {
    let path = "tests/fixtures/adversarial/priority-cut-short.toml";
    let text = std::fs::read_to_string(path).unwrap();
    let scenario = from_toml_str(&text, path).expect("a valid fixture");
    let evaluation = evaluate(&scenario);
    let proven = solve(&scenario, &evaluation, &Options::default()).unwrap();
    assert_eq!(proven.status, Status::Optimal);
    let cut = Options {
        time_limit: Some(1e-9),
        ..Options::default()
    };
    let outcome = solve(&scenario, &evaluation, &cut).unwrap();
    assert_eq!(outcome.status, Status::TimeLimit { gap: 1.0 });
    assert!(outcome.levels.len() < proven.levels.len());
    assert_eq!(outcome.levels, proven.levels[..outcome.levels.len()]);
}

/// Round priority with a money floor on 85 applications took 33–52 s: each level settled the
/// whole tie-break, over a face where every portfolio of the rounds it does not count ties. A
/// level now proves its score only. The levels and total agree with highspy's level-by-level
/// solve of the exported model; the proof is asserted, not the time.
#[test]
fn round_priority_levels_prove_their_score_only() {
    let path = "tests/fixtures/adversarial/priority-money-floor-85.toml";
    let text = std::fs::read_to_string(path).unwrap();
    let scenario = from_toml_str(&text, path).expect("a valid fixture");
    let evaluation = evaluate(&scenario);
    let outcome = solve(&scenario, &evaluation, &Options::default()).unwrap();
    assert_eq!(outcome.status, Status::Optimal);
    let levels: Vec<_> = outcome.levels.iter().map(|&(_, l)| l).collect();
    assert_eq!(levels, [Decimal::from(300), Decimal::from(400)]);
    let p = &outcome.portfolio;
    assert_eq!(p.total_score, Decimal::from(700));
    assert_eq!(p.total_requested().yuan(), "6785954.42".parse().unwrap());
}

/// A floor on one round's money of 1 yuan, which no optimum comes near, took 2.2 s where the
/// round without it took 0.02 s: the floor's row switched the enumeration off and left the whole
/// tie-break to HiGHS. The optimum without the floors meets them, so it is the optimum (found
/// by tests/xcheck's hunt for slow shapes; score and subsidy as highspy's on the exported model).
#[test]
fn a_money_floor_that_the_optimum_meets_costs_no_proof() {
    let folder = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/money-floor-slack"
    );
    let scenario = allot::scenario::load(std::path::Path::new(folder)).unwrap();
    assert!(scenario.rounds.iter().any(|r| r.min_amount.is_some()));
    let evaluation = evaluate(&scenario);
    let outcome = solve(&scenario, &evaluation, &Options::default()).unwrap();
    assert_eq!(outcome.status, Status::Optimal);
    assert_eq!(outcome.proof, allot::solve::Proof::Enumeration);
    let p = &outcome.portfolio;
    assert_eq!(p.total_score, "2135.9684".parse().unwrap());
    assert_eq!(p.total_requested().yuan(), Decimal::from(39_873_407));
    assert!(verify(&scenario, &evaluation, p).is_ok());
}

/// A money floor made the enumeration keep the dearer of two tied portfolios; solved by HiGHS
/// since.
#[test]
fn a_money_floor_keeps_the_least_subsidy() {
    assert_fixture("money-floor-least-subsidy.toml");
}

/// The right score and subsidy, but the third tie-break level differed from brute force: HiGHS,
/// with a cut pool of 10, proved the tie-break survey had no other face portfolio where one
/// exists; fixed by keeping HiGHS's default cut pool.
#[test]
fn a_money_floor_keeps_the_tie_break() {
    assert_fixture("money-floor-tie-break.toml");
}

/// Found by `linked_pools` (a random case, 2026-12-04): the perturbed one-run proof without
/// fixing (`--no-fix --perturb`, a cross-checking path off by default) funded A06 in r0 where r2
/// costs less — 372 points for 50 where brute force finds 44: HiGHS called the incumbent the
/// only portfolio of its score. Its claim is now checked by the plain stages 2 and 3.
#[test]
fn the_perturbed_cross_check_keeps_the_least_subsidy() {
    assert_fixture("linked-perturb-least-subsidy.toml");
}

#[test]
fn huge_score_is_refused_when_read() {
    assert_refused("huge-score.toml");
}

#[test]
fn amount_at_the_readers_limit_is_refused_when_read() {
    assert_refused("amount-at-limit.toml");
}

/// Ended in Error::Solver on the HiGHS path (the optimal face found empty) until its plain
/// stages replaced the perturbed run.
#[test]
fn ties_over_three_pools_fund_the_earlier_round() {
    assert_fixture("ties-round-order.toml");
}

#[test]
fn big_score_with_an_empty_pool_is_refused_when_read() {
    assert_refused("big-score-empty-pool.toml");
}

// ---------------------------------------------------------------------------------------------
// Large rounds: the default solve against an independent exact solve of the exported model
// ---------------------------------------------------------------------------------------------

/// HiGHS over the exported LP file, through its C API (as tests/integration/export.rs re-reads
/// it), driven through the three tie-break levels independently of allot's solver: no reduction,
/// no fixing, no start solutions, no perturbation; scores in integer units of 10⁻⁴ points, amounts in fen.
struct Reread {
    h: *mut std::ffi::c_void,
    /// Candidate index of each HiGHS column.
    candidate: Vec<usize>,
    score: Vec<f64>,
    subsidy: Vec<f64>,
    /// Whether HiGHS's own least-subsidy optimum was beaten by the feasibility check.
    stage_two_short: bool,
    /// Whether a run hit its time limit (the comparison is then skipped).
    gave_up: bool,
}

impl Reread {
    fn new(scenario: &Scenario, evaluation: &Evaluation, dir: &std::path::Path) -> Reread {
        use std::ffi::{CStr, CString};
        let model = allot::solve::export::model(scenario, evaluation).expect("an exportable round");
        let path = dir.join("model.lp");
        std::fs::write(&path, model.lp()).unwrap();
        let file = CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: one HiGHS instance, owned by this value and destroyed in Drop; option names are
        // NUL-terminated literals; name buffers have the documented kHighsMaximumStringLength.
        unsafe {
            let h = highs_sys::Highs_create();
            highs_sys::Highs_setBoolOptionValue(h, c"output_flag".as_ptr(), 0);
            highs_sys::Highs_setIntOptionValue(h, c"threads".as_ptr(), 1);
            highs_sys::Highs_setDoubleOptionValue(h, c"mip_rel_gap".as_ptr(), 0.0);
            highs_sys::Highs_setDoubleOptionValue(h, c"mip_abs_gap".as_ptr(), 0.5);
            highs_sys::Highs_setDoubleOptionValue(h, c"time_limit".as_ptr(), 10.0);
            // Tight tolerances: HiGHS scales rows, and a row of amounts in millions of fen scaled
            // to 1 makes a yuan look like 1e-7, its default tolerance (see `lexicographic`).
            highs_sys::Highs_setDoubleOptionValue(
                h,
                c"primal_feasibility_tolerance".as_ptr(),
                1e-10,
            );
            highs_sys::Highs_setDoubleOptionValue(h, c"mip_feasibility_tolerance".as_ptr(), 1e-10);
            assert_eq!(
                highs_sys::Highs_readModel(h, file.as_ptr()),
                highs_sys::kHighsStatusOk,
                "HiGHS could not read the exported model"
            );
            let n = highs_sys::Highs_getNumCol(h) as usize;
            let mut candidate = Vec::with_capacity(n);
            for i in 0..n {
                let mut buf = vec![0u8; highs_sys::kHighsMaximumStringLength as usize];
                highs_sys::Highs_getColName(h, i as _, buf.as_mut_ptr().cast());
                let name = CStr::from_bytes_until_nul(&buf).unwrap().to_string_lossy();
                candidate.push(model.candidate(&name).expect("a column of the model"));
            }
            let cands = &evaluation.candidates;
            let score = candidate
                .iter()
                .map(|&c| units(cands[c].score) as f64)
                .collect();
            let subsidy = candidate
                .iter()
                .map(|&c| cands[c].subsidy.fen() as f64)
                .collect();
            Reread {
                h,
                candidate,
                score,
                subsidy,
                stage_two_short: false,
                gave_up: false,
            }
        }
    }

    /// A longer limit on each HiGHS run than the 10 s of `new`, for a test that needs HiGHS's
    /// answer (on a loaded machine the third level's questions ran past 10 s).
    fn patient(self, seconds: f64) -> Reread {
        // SAFETY: `self.h` is live; the option name is a NUL-terminated literal.
        unsafe {
            highs_sys::Highs_setDoubleOptionValue(self.h, c"time_limit".as_ptr(), seconds);
        }
        self
    }

    /// Optimizes `cost` (maximize or minimize) over the current rows and bounds; the chosen
    /// columns, or `None` if infeasible.
    fn run(&mut self, cost: &[f64], maximize: bool) -> Option<Vec<bool>> {
        let n = cost.len();
        // SAFETY: `self.h` is live; the arrays have the lengths HiGHS expects.
        unsafe {
            highs_sys::Highs_changeColsCostByRange(self.h, 0, (n - 1) as _, cost.as_ptr());
            highs_sys::Highs_changeObjectiveSense(
                self.h,
                if maximize {
                    highs_sys::kHighsObjSenseMaximize
                } else {
                    highs_sys::kHighsObjSenseMinimize
                },
            );
            highs_sys::Highs_run(self.h);
            let status = highs_sys::Highs_getModelStatus(self.h);
            if status == highs_sys::kHighsModelStatusInfeasible {
                return None;
            }
            if status == highs_sys::kHighsModelStatusTimeLimit {
                self.gave_up = true;
                return None;
            }
            assert_eq!(status, highs_sys::kHighsModelStatusOptimal, "HiGHS status");
            let m = highs_sys::Highs_getNumRow(self.h) as usize;
            let mut col = vec![0.0; n];
            let (mut cd, mut rv, mut rd) = (vec![0.0; n], vec![0.0; m], vec![0.0; m]);
            highs_sys::Highs_getSolution(
                self.h,
                col.as_mut_ptr(),
                cd.as_mut_ptr(),
                rv.as_mut_ptr(),
                rd.as_mut_ptr(),
            );
            Some(col.iter().map(|v| *v > 0.5).collect())
        }
    }

    fn add_row(&mut self, coefficients: &[f64], lower: f64, upper: f64) {
        let index: Vec<highs_sys::HighsInt> =
            (0..coefficients.len() as highs_sys::HighsInt).collect();
        // SAFETY: `self.h` is live; index and value have num_new_nz entries.
        unsafe {
            highs_sys::Highs_addRow(
                self.h,
                lower,
                upper,
                coefficients.len() as _,
                index.as_ptr(),
                coefficients.as_ptr(),
            );
        }
    }

    fn delete_last_row(&mut self) {
        // SAFETY: `self.h` is live and has at least one row (the one just added).
        unsafe {
            let m = highs_sys::Highs_getNumRow(self.h);
            highs_sys::Highs_deleteRowsByRange(self.h, m - 1, m - 1);
        }
    }

    fn fix(&mut self, col: usize, value: f64) {
        // SAFETY: `self.h` is live and `col` one of its columns.
        unsafe {
            highs_sys::Highs_changeColBounds(self.h, col as _, value, value);
        }
    }

    fn dot(a: &[f64], x: &[bool]) -> f64 {
        a.iter().zip(x).filter(|(_, on)| **on).map(|(c, _)| c).sum()
    }

    /// The three levels: the best score, the least subsidy at that score, and (when `third`)
    /// the earliest candidate any such portfolio funds, greedily in candidate order; the funded
    /// candidates (sorted), or `None` when no portfolio exists.
    fn lexicographic(&mut self, third: bool) -> Option<Vec<usize>> {
        let n = self.candidate.len();
        if n == 0 {
            return Some(vec![]);
        }
        let score = self.score.clone();
        let subsidy = self.subsidy.clone();
        let zero = vec![0.0; n];
        // Each optimum is confirmed by a run for a strictly better one, kept only if it is better
        // in exact integers: HiGHS's least-subsidy run in fen was seen to stop a yuan above the
        // least on a 60-project round with amounts in millions, and with default tolerances to
        // return portfolios that break the cut `subsidy <= least - 1/2` (a yuan in a row of
        // amounts in millions is within its scaled tolerance).
        let t = std::time::Instant::now();
        let trace = |what: &str, t: std::time::Instant| {
            if std::env::var_os("ADV_TRACE").is_some() {
                eprintln!("  {what}: {:?}", t.elapsed());
            }
        };
        let mut x = self.run(&score, true)?;
        trace("stage 1", t);
        let best = loop {
            let best = Self::dot(&score, &x);
            self.add_row(&score, best + 0.5, f64::INFINITY);
            let better = self.run(&zero, true);
            self.delete_last_row();
            match better {
                Some(y) if Self::dot(&score, &y) > best => x = y,
                Some(_) => break best,
                None if self.gave_up => return None,
                None => break best,
            }
        };
        trace("stage 1 confirmed", t);
        self.add_row(&score, best - 0.5, f64::INFINITY);
        let mut x = self.run(&subsidy, false)?;
        trace("stage 2", t);
        // The cuts `subsidy <= least - 1/2` stay: each only removes portfolios already beaten.
        let mut cuts = 0;
        let least = loop {
            let least = Self::dot(&subsidy, &x);
            self.add_row(&subsidy, -f64::INFINITY, least - 0.5);
            cuts += 1;
            match self.run(&subsidy, false) {
                // Only an exactly cheaper portfolio counts: HiGHS returns portfolios that break
                // the cut by up to its (scaled) tolerance.
                Some(y) if Self::dot(&subsidy, &y) < least => {
                    self.stage_two_short = true;
                    trace(
                        &format!(
                            "stage 2 beaten ({} fen less)",
                            least - Self::dot(&subsidy, &y)
                        ),
                        t,
                    );
                    x = y
                }
                Some(_) => break least,
                None if self.gave_up => return None,
                None => break least,
            }
        };
        // The face row below supersedes the cuts.
        for _ in 0..cuts {
            self.delete_last_row();
        }
        trace("stage 2 confirmed", t);
        if third {
            self.add_row(&subsidy, -f64::INFINITY, least + 0.5);
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by_key(|&i| self.candidate[i]);
            for i in order {
                if x[i] {
                    self.fix(i, 1.0);
                    continue;
                }
                self.fix(i, 1.0);
                match self.run(&zero, true) {
                    Some(y)
                        if Self::dot(&score, &y) == best && Self::dot(&subsidy, &y) == least =>
                    {
                        x = y
                    }
                    None if self.gave_up => return None,
                    _ => self.fix(i, 0.0),
                }
            }
            trace("stage 3", t);
        }
        let mut funded: Vec<usize> = (0..n)
            .filter(|&i| x[i])
            .map(|i| self.candidate[i])
            .collect();
        funded.sort_unstable();
        Some(funded)
    }
}

impl Drop for Reread {
    fn drop(&mut self) {
        // SAFETY: created by Highs_create and not used after this.
        unsafe { highs_sys::Highs_destroy(self.h) }
    }
}

fn units(score: rust_decimal::Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    (score * rust_decimal::Decimal::from(10_000))
        .to_i64()
        .unwrap()
}

/// A value of `strategy` from a fixed seed.
fn sample<S: Strategy>(strategy: S, seed: u64) -> S::Value {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(ProptestConfig::default(), rng);
    strategy.new_tree(&mut runner).unwrap().current()
}

/// The default solve of a large instance against the independent lexicographic solve (all three
/// levels when `third`, else score and subsidy); a message when they differ.
fn large_disagreement(spec: &Spec, third: bool, variants: &[(&str, Options)]) -> Option<String> {
    large_disagreement_in(&spec.to_toml(), "large.toml", third, variants)
}

/// `large_disagreement` for a scenario's TOML text; also a message when a solve is not proven.
fn large_disagreement_in(
    text: &str,
    file: &str,
    third: bool,
    variants: &[(&str, Options)],
) -> Option<String> {
    let scenario = from_toml_str(text, file).expect("a valid large scenario");
    let evaluation = evaluate(&scenario);
    let dir = tempfile::tempdir().unwrap();
    let mut reread = Reread::new(&scenario, &evaluation, dir.path());
    let started = std::time::Instant::now();
    let expected = reread.lexicographic(third);
    let reread_time = started.elapsed();
    let mut found = Vec::new();
    for (variant, options) in variants {
        let started = std::time::Instant::now();
        let got = solve(&scenario, &evaluation, options);
        if std::env::var_os("ADV_TRACE").is_some() {
            eprintln!(
                "{} projects: HiGHS lexicographic {reread_time:?} (stage 2 short: {}), solve ({variant}) {:?}",
                scenario.applications.len(),
                reread.stage_two_short,
                started.elapsed()
            );
        }
        let why = match (got, &expected) {
            (Ok(outcome), _) if outcome.status != allot::solve::Status::Optimal => {
                Some(format!("{variant} solve not proven: {:?}", outcome.status))
            }
            (Ok(outcome), Some(funded)) => {
                let p = &outcome.portfolio;
                let want = Portfolio::new(&scenario, &evaluation, funded.clone());
                let differs = if third {
                    p.funded != want.funded
                } else {
                    p.total_score != want.total_score
                        || p.total_requested() != want.total_requested()
                };
                differs.then(|| {
                    format!(
                        "{variant} solve {} vs HiGHS on the exported model {}",
                        describe(&scenario, &evaluation, p),
                        describe(&scenario, &evaluation, &want)
                    )
                })
            }
            (Err(Error::Infeasible(_)), None) => None,
            (_, None) if reread.gave_up => {
                eprintln!(
                    "{} projects: HiGHS on the exported model hit its time limit; skipped",
                    scenario.applications.len()
                );
                None
            }
            (got, want) => Some(format!(
                "{variant} solve {:?} vs HiGHS on the exported model {:?}",
                got.map(|o| o.portfolio.funded),
                want
            )),
        };
        found.extend(why);
    }
    (!found.is_empty()).then(|| found.join("\n"))
}

/// 50–300 projects of the adversarial shapes, where brute force is out of reach: the default
/// solve must equal HiGHS's own lexicographic solve of the exported model (all three levels up
/// to 100 projects, score and subsidy above).
#[test]
fn large_rounds_agree_with_highs_on_the_exported_model() {
    let mut failures = Vec::new();
    // (name, shape, projects, seeds): a handful, about a minute in all (allot's solve takes
    // most of it: 9 s on the second 60-project tie round).
    let shapes: Vec<(&str, BoxedStrategy<Spec>, usize, u64)> = vec![
        (
            "ties in millions, 60",
            shapes::ties(true, Size::large(60, 4)),
            60,
            2,
        ),
        (
            "ties in millions, 150",
            shapes::ties(true, Size::large(150, 10)),
            150,
            2,
        ),
        (
            "ties, small amounts, 100",
            shapes::ties(false, Size::large(100, 6)),
            100,
            2,
        ),
        (
            "linked pools, 80",
            shapes::linked_pools(Size::large(80, 6)),
            80,
            1,
        ),
        (
            "group limits, 120",
            shapes::group_limits(Size::large(120, 8)),
            120,
            2,
        ),
        (
            "ten rounds, 50",
            shapes::ten_rounds(Size::large(50, 3)),
            50,
            2,
        ),
        (
            "ties in millions, 300",
            shapes::ties(true, Size::large(300, 20)),
            300,
            2,
        ),
    ];
    for (name, strategy, n, seeds) in shapes {
        for seed in 0..seeds {
            let spec = sample(strategy.clone(), seed);
            if let Some(why) =
                large_disagreement(&spec, n <= 100, &[("default", Options::default())])
            {
                failures.push(format!("{name}, seed {seed}: {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The slowest dumped rounds (tests/fixtures/adversarial/linked-*.toml: pools linked by projects
/// in rounds of different pools; linked-80-0 was unproven at 30 s, linked-80-7 at 120 s), now
/// proven: the proof and the portfolio (score and subsidy against HiGHS on the exported model) are
/// asserted, not the time.
#[test]
fn slowest_linked_pool_rounds_are_proven() {
    for name in ["linked-40-7.toml", "linked-80-0.toml", "linked-80-7.toml"] {
        let path = format!("tests/fixtures/adversarial/{name}");
        let text = std::fs::read_to_string(&path).expect("fixture");
        let variants = [("default", Options::default())];
        if let Some(why) = large_disagreement_in(&text, &path, false, &variants) {
            panic!("{path}: {why}");
        }
    }
}

/// The third level on a linked-pool round where HiGHS, at its integrality tolerance of 1e-9,
/// called a tie-break question infeasible that a face portfolio answers (can A35 be funded in r1?).
/// HiGHS's own lexicographic solve of the exported model is no oracle here (it made the same kind
/// of error at A17), so the two answers are compared exactly: the same score and subsidy, and the
/// earliest pair in which they differ is funded by ours.
#[test]
fn a_false_none_does_not_decide_the_tie_break() {
    let path = "tests/fixtures/adversarial/tolerance-tie-break.toml";
    let text = std::fs::read_to_string(path).expect("fixture");
    let scenario = from_toml_str(&text, path).expect("a valid fixture");
    let evaluation = evaluate(&scenario);
    let ours = solve(&scenario, &evaluation, &Options::default()).expect("solved");
    assert_eq!(ours.status, allot::solve::Status::Optimal);
    let p = &ours.portfolio;
    let names = funded_names(&scenario, &evaluation, p);
    assert!(names.iter().any(|n| n == "A35@r1"), "{names:?}");
    let dir = tempfile::tempdir().unwrap();
    let theirs = Reread::new(&scenario, &evaluation, dir.path())
        .patient(300.0)
        .lexicographic(true)
        .expect("HiGHS solves the exported model");
    let theirs = Portfolio::new(&scenario, &evaluation, theirs);
    assert_eq!(p.total_score, theirs.total_score);
    assert_eq!(p.total_requested(), theirs.total_requested());
    // Ours is not after theirs in the tie-break (the earliest differing pair is funded by ours).
    assert_ne!(
        better_by(vec![], vec![], p, &theirs),
        std::cmp::Ordering::Greater,
        "HiGHS's lexicographic solve funds an earlier pair: {}",
        describe(&scenario, &evaluation, &theirs)
    );
}

#[test]
fn whole_point_scores_keep_the_stage_one_optimum() {
    assert_fixture("whole-points-stage-one.toml");
}

#[test]
fn whole_point_ties_keep_the_optimal_face() {
    assert_fixture("face-whole-points.toml");
}

#[test]
fn a_relaxation_highs_calls_unbounded_is_done_without() {
    assert_fixture("relaxation-unbounded.toml");
}

#[test]
fn ties_over_three_pools_without_a_highs_error() {
    assert_fixture("highs-error-ties.toml");
}

#[test]
fn ties_in_millions_keep_the_optimal_face() {
    assert_fixture("face-empty-ties.toml");
}

/// A longer hunt at sizes beyond brute force: tie rounds with amounts in millions of
/// ADV_HUNT_N projects (default 80), seeds ADV_SEEDS (`a..b`, default 0..20); the default solve
/// and the HiGHS path (`fix: false`) against HiGHS's own lexicographic solve of the exported
/// model, on score and subsidy.
#[test]
#[ignore = "a long hunt; run by hand"]
fn hunt_large_ties() {
    let n: usize = std::env::var("ADV_HUNT_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(80);
    let seeds = std::env::var("ADV_SEEDS").unwrap_or_else(|_| "0..20".into());
    let (a, b) = seeds.split_once("..").expect("ADV_SEEDS as a..b");
    let (a, b): (u64, u64) = (a.parse().unwrap(), b.parse().unwrap());
    let variants = [
        ("default", Options::default()),
        (
            "fix: false",
            Options {
                fix: false,
                ..Options::default()
            },
        ),
    ];
    let mut failures = Vec::new();
    for seed in a..b {
        let spec = sample(
            shapes::ties(true, Size::large(n, (n / 15).max(1) as u32)),
            seed,
        );
        if let Some(dir) = std::env::var_os("ADV_DUMP") {
            let path = std::path::Path::new(&dir).join(format!("ties-{n}-{seed}.toml"));
            std::fs::write(path, spec.to_toml()).unwrap();
        }
        if let Some(why) = large_disagreement(&spec, false, &variants) {
            eprintln!("seed {seed}: {why}");
            std::fs::write(format!("/tmp/adv-hunt-{n}-{seed}.toml"), spec.to_toml()).unwrap();
            failures.push(format!("seed {seed}: {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn ties_in_hundreds_of_millions_take_the_least_subsidy() {
    assert_fixture("least-subsidy-start.toml");
}

/// A 60-project tie round that once kept the default solve for minutes (the enumeration, then
/// 21.6 s in HiGHS's first stage): now about 6 s, with the cardinality rows the pools imply.
/// The proof is asserted, not the time. The score is highspy's on the exported model (102 s at
/// its defaults, whose second level then found nothing); the least subsidy is the HiGHS path's
/// (`--no-fix`, 4.4 s). BENCHMARKS.md, "Cardinality rows".
#[test]
fn a_sixty_project_tie_round_is_proven() {
    let path = "tests/fixtures/adversarial/slow-ties-60.toml";
    let text = std::fs::read_to_string(path).unwrap();
    let scenario = from_toml_str(&text, path).unwrap();
    let evaluation = evaluate(&scenario);
    let outcome = solve(&scenario, &evaluation, &Options::default()).expect("a portfolio");
    assert_eq!(outcome.status, allot::solve::Status::Optimal);
    let p = &outcome.portfolio;
    assert_eq!(p.total_score, rust_decimal::Decimal::from(4023));
    assert_eq!(
        p.total_requested().yuan(),
        rust_decimal::Decimal::from(55_200_050)
    );
}

#[test]
fn wide_amount_range_is_refused_when_read() {
    assert_refused("highs-unknown-status.toml");
}

#[test]
fn plain_highs_path_takes_the_least_subsidy() {
    assert_fixture("least-subsidy-plain.toml");
}

#[test]
fn enterprise_limit_round_is_solved_on_the_plain_path() {
    assert_fixture("highs-error-enterprise.toml");
}

#[test]
fn ties_in_millions_take_the_least_subsidy() {
    assert_fixture("least-subsidy-millions.toml");
}

/// A hunt over seeds ADV_SEEDS (`a..b`, default 0..500) of the small tie shapes (amounts in
/// millions, then hundreds of millions): every default solve whose least subsidy differs from
/// brute force's is printed with the difference, and the scenario written to
/// /tmp/adv-subsidy-<shape>-<seed>.toml.
#[test]
#[ignore = "a long hunt; run by hand"]
fn hunt_least_subsidy() {
    let seeds = std::env::var("ADV_SEEDS").unwrap_or_else(|_| "0..500".into());
    let (a, b) = seeds.split_once("..").expect("ADV_SEEDS as a..b");
    let (a, b): (u64, u64) = (a.parse().unwrap(), b.parse().unwrap());
    let mut misses = 0;
    for (shape, strategy) in [
        ("millions", shapes::ties(true, Size::small())),
        ("hundreds", shapes::ties_hundreds_of_millions(Size::small())),
    ] {
        for seed in a..b {
            let spec = sample(strategy.clone(), seed);
            let text = spec.to_toml();
            let scenario = from_toml_str(&text, "hunt.toml").unwrap();
            let evaluation = evaluate(&scenario);
            let Some(best) = brute_force(&scenario, &evaluation) else {
                continue;
            };
            let Ok(got) = solve(&scenario, &evaluation, &Options::default()) else {
                continue;
            };
            let p = &got.portfolio;
            if p.total_score == best.total_score && p.total_requested() != best.total_requested() {
                misses += 1;
                println!(
                    "{shape} seed {seed}: {} yuan above the least",
                    p.total_requested().yuan() - best.total_requested().yuan()
                );
                std::fs::write(format!("/tmp/adv-subsidy-{shape}-{seed}.toml"), &text).unwrap();
            }
        }
    }
    assert_eq!(misses, 0);
}

/// The reported bug, reproduced: a portfolio whose total subsidy is 1 yuan above the least
/// among the score-optimal portfolios, on a tie round over three pools.
#[test]
fn ties_over_three_pools_take_the_least_subsidy_to_the_yuan() {
    assert_fixture("one-yuan-above.toml");
}

/// A shape at a given number of projects.
type ShapeAt = Box<dyn Fn(usize) -> BoxedStrategy<Spec>>;

/// Writes a spread of the adversarial shapes at sizes beyond brute force into `ADV_DUMP` (one
/// TOML per shape, size and seed), for timing `allot solve` against HiGHS (benches/shapes.sh).
#[test]
#[ignore = "a tool, not a test: set ADV_DUMP"]
fn dump_shapes() {
    let Some(dir) = std::env::var_os("ADV_DUMP") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let seeds: u64 = std::env::var("ADV_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let shapes: Vec<(&str, ShapeAt, Vec<usize>)> = vec![
        (
            "ties",
            Box::new(|n| shapes::ties(true, Size::large(n, (n / 15).max(1) as u32))),
            vec![30, 60],
        ),
        (
            "linked",
            Box::new(|n| shapes::linked_pools(Size::large(n, (n / 10).max(1) as u32))),
            vec![40, 80],
        ),
        (
            "groups",
            Box::new(|n| shapes::group_limits(Size::large(n, (n / 10).max(1) as u32))),
            vec![40, 80],
        ),
        (
            "ten-rounds",
            Box::new(|n| shapes::ten_rounds(Size::large(n, (n / 10).max(1) as u32))),
            vec![40, 80],
        ),
    ];
    for (name, shape, sizes) in &shapes {
        for &n in sizes {
            for seed in 0..seeds {
                let spec = sample(shape(n), seed);
                let path = dir.join(format!("{name}-{n}-{seed}.toml"));
                std::fs::write(path, spec.to_toml()).unwrap();
            }
        }
    }
    for seed in 0..seeds {
        std::fs::write(
            dir.join(format!("chains-{seed}.toml")),
            sample(shapes::chains(), seed).to_toml(),
        )
        .unwrap();
        std::fs::write(
            dir.join(format!("one-big-{seed}.toml")),
            sample(shapes::one_big(), seed).to_toml(),
        )
        .unwrap();
    }
}
