//! What-if evaluations: the scenario's evaluation with one project's score or one candidate's
//! subsidy changed, and the committee's decisions changed, solved again with the same solver.
//! Margins and reserve lists are both found by re-solving such copies, never by a shortcut.

use crate::error::{Error, Result};
use crate::rules::{Candidate, Evaluation, Locked, Reason, SCORE_DP};
use crate::scenario::{Lock, Money, Scenario};
use crate::solve::{self, Options, Portfolio};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// A funded (project, round) pair by application and round index: the form in which portfolios
/// of different what-if evaluations (whose candidate indices differ) are compared.
pub type Pair = (usize, usize);

/// One unit of score: 1e-4 points, the precision scores are rounded to.
pub fn score_unit() -> Decimal {
    Decimal::new(1, SCORE_DP)
}

/// The funded pairs of a portfolio.
pub fn pairs(evaluation: &Evaluation, portfolio: &Portfolio) -> BTreeSet<Pair> {
    portfolio
        .funded
        .iter()
        .map(|&c| {
            let cand = &evaluation.candidates[c];
            (cand.project, cand.round)
        })
        .collect()
}

/// The committee lock a scenario puts on a (project, round) pair, as `rules::evaluate` sets it.
fn lock_of(scenario: &Scenario, project: usize, round: usize) -> Option<Locked> {
    let c = &scenario.committee;
    if c.exclude.contains(&project) {
        Some(Locked::Out)
    } else if c
        .must_fund
        .iter()
        .any(|l| l.project == project && l.round == round)
    {
        Some(Locked::In)
    } else {
        None
    }
}

/// The evaluation with every score of `project` moved by `shift` units (1e-4 points; negative
/// lowers it). Eligibility follows the rules: a round whose only failed condition is the
/// qualifying score admits the project once the shifted score reaches it, and a shifted score
/// below the qualifying score removes the candidate. Candidates keep their (project, round)
/// order, so the solver's tie-break is unchanged. A candidate admitted this way has no criterion
/// values (the solver reads only scores and subsidies).
pub fn with_score_shift(
    scenario: &Scenario,
    base: &Evaluation,
    project: usize,
    shift: i64,
) -> Evaluation {
    let delta = Decimal::from(shift) * score_unit();
    let mut assessments: Vec<_> = base.assessments.to_vec();
    let mut candidates: Vec<Candidate> = Vec::with_capacity(base.candidates.len() + 1);
    for a in &mut assessments {
        let old = a.candidate.take();
        if a.project != project {
            if let Some(c) = old {
                a.candidate = Some(candidates.len());
                candidates.push(base.candidates[c].clone());
            }
            continue;
        }
        let Some(score) = a.score else { continue };
        let score = score + delta;
        a.score = Some(score);
        a.reasons
            .retain(|r| !matches!(r, Reason::BelowQualifyingScore { .. }));
        if let Some(min) = scenario.rounds[a.round].eligibility.min_score {
            if score < min {
                a.reasons.push(Reason::BelowQualifyingScore { score, min });
            }
        }
        if !a.reasons.is_empty() {
            continue;
        }
        let candidate = match old {
            Some(c) => Candidate {
                score,
                ..base.candidates[c].clone()
            },
            None => Candidate {
                project,
                round: a.round,
                score,
                subsidy: a.subsidy,
                criteria: Vec::new(),
                bonus: Decimal::ZERO,
                locked: lock_of(scenario, project, a.round),
            },
        };
        a.candidate = Some(candidates.len());
        candidates.push(candidate);
    }
    Evaluation {
        assessments: assessments.into(),
        candidates,
        weights: base.weights.clone(),
    }
}

/// The evaluation with candidate `c`'s subsidy set to `amount` (its round's rule, cap included,
/// set aside: the question is what the project could ask for, not what the rule would give).
pub fn with_subsidy(base: &Evaluation, c: usize, amount: Money) -> Evaluation {
    let mut e = base.clone();
    let cand = &mut e.candidates[c];
    let (project, round) = (cand.project, cand.round);
    cand.subsidy = amount;
    for a in std::sync::Arc::make_mut(&mut e.assessments)
        .iter_mut()
        .filter(|a| a.project == project && a.round == round)
    {
        a.subsidy = amount;
    }
    e
}

/// The scenario with `withdrawn` projects excluded and exactly `fixed` pairs locked in (besides
/// the committee's own locks), and its evaluation: "everyone in `fixed` stays, `withdrawn` leave,
/// every other candidate is free". The committee's decisions change nothing in the rules but
/// each candidate's lock, so the evaluation is `evaluation` (the scenario's own) with the locks
/// set again as [`crate::rules::evaluate`] sets them, not a new evaluation: at 10,000
/// applications the rules cost more than many of the re-solves that ask this.
pub fn with_decisions(
    scenario: &Scenario,
    evaluation: &Evaluation,
    withdrawn: &BTreeSet<usize>,
    fixed: &BTreeSet<Pair>,
) -> (Scenario, Evaluation) {
    let (s, locked) = decided(scenario, evaluation, withdrawn, fixed);
    let mut e = evaluation.clone();
    for (c, locked) in e.candidates.iter_mut().zip(locked) {
        c.locked = locked;
    }
    (s, e)
}

/// The scenario of [`with_decisions`], and each candidate's lock under it.
fn decided(
    scenario: &Scenario,
    evaluation: &Evaluation,
    withdrawn: &BTreeSet<usize>,
    fixed: &BTreeSet<Pair>,
) -> (Scenario, Vec<Option<Locked>>) {
    let mut s = scenario.clone();
    s.committee.exclude.extend(withdrawn.iter().copied());
    // A reserve list's what-ifs lock thousands of pairs at 10,000 applications, thousands of
    // times: the committee's own locks (few) go in a set, and `fixed`, already ordered, is
    // merged with the candidates (ordered by project, then round), not searched pair by pair.
    let own: BTreeSet<Pair> = s
        .committee
        .must_fund
        .iter()
        .map(|l| (l.project, l.round))
        .collect();
    s.committee.must_fund.extend(
        fixed
            .iter()
            .filter(|pair| !own.contains(pair))
            .map(|&(project, round)| Lock { project, round }),
    );
    let cands = &evaluation.candidates;
    let mut locked: Vec<Option<Locked>> = vec![None; cands.len()];
    let before = |c: usize, pair: Pair| cands.get(c).is_some_and(|x| (x.project, x.round) < pair);
    let mut c = 0;
    for &pair in own.union(fixed) {
        // Galloping: the next locked pair is usually a few candidates on.
        let mut step = 1;
        while before(c + step, pair) {
            step *= 2;
        }
        let end = (c + step + 1).min(cands.len());
        c += cands[c..end].partition_point(|x| (x.project, x.round) < pair);
        if cands.get(c).is_some_and(|x| (x.project, x.round) == pair) {
            locked[c] = Some(Locked::In);
        }
    }
    for &project in &s.committee.exclude {
        let from = cands.partition_point(|c| c.project < project);
        let to = cands.partition_point(|c| c.project <= project);
        locked[from..to].fill(Some(Locked::Out));
    }
    debug_assert!(
        locked
            .iter()
            .zip(&evaluation.candidates)
            .zip(&crate::rules::evaluate(&s).candidates)
            .all(|((l, a), b)| *l == b.locked && a.project == b.project && a.round == b.round),
        "with_decisions: the locks differ from a new evaluation's"
    );
    (s, locked)
}

/// Solves a what-if: `Some(funded pairs)`, or `None` when the committee's decisions can no longer
/// all hold (the change made the program infeasible).
pub fn solve_pairs(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
) -> Result<Option<BTreeSet<Pair>>> {
    // Only what the locks leave room for: the same optimum (see `solve::residual`), and a reserve
    // list's what-ifs, which lock every funded project but one, shrink to a handful of columns.
    solve_residual(scenario, solve::residual(scenario, evaluation), options)
}

/// The optimum of a what-if in which `pair` is locked in, when it beats `rival`, a portfolio
/// without the pair (pairs of `evaluation`, which the pair's numbers do not change): otherwise
/// `rival`. When `rival` is the best portfolio without the pair, that is the what-if's own
/// optimum (the better of the best with the pair and the best without it, in the solver's order),
/// and the solve with the pair locked in need only look at portfolios scoring at least `rival`
/// (see [`solve::solve_reaching`]): a margin's probe, asked near its threshold, is most often
/// settled by the relaxation's bound or a single enumeration. The order compared is the plain
/// total score's: under round priority, solve the what-if whole.
pub fn beats(
    scenario: &Scenario,
    evaluation: &Evaluation,
    pair: Pair,
    rival: &BTreeSet<Pair>,
    options: &Options,
) -> Result<BTreeSet<Pair>> {
    let (s, Some(residual), options) = locked_in(scenario, evaluation, pair, options) else {
        return Ok(rival.clone());
    };
    let units = score_units_of(evaluation, rival);
    let found = match solve::solve_reaching(&s, &residual, &options, units) {
        Ok(found) => found,
        Err(Error::Infeasible(_)) => None,
        Err(e) => return Err(e),
    };
    let Some(found) = found.map(|o| pairs(&residual, &o.portfolio)) else {
        return Ok(rival.clone());
    };
    Ok(if solver_order(evaluation, &found, rival).is_lt() {
        found
    } else {
        rival.clone()
    })
}

/// With `pair` locked in, the portfolios scoring at least `floor` units (the pair's own score
/// included) on the frontier of score and the money they leave in the pair's pool
/// ([`solve::least_pool_money`]), the one leaving the most first: beside the pair's amount in
/// `evaluation`, what it could ask for while such a portfolio still fits. Under the plain total
/// score only (otherwise `Room::Open`). With the relaxation's slope there (see
/// [`solve::Slope`]), which places the next question.
pub fn most_room(
    scenario: &Scenario,
    evaluation: &Evaluation,
    pair: Pair,
    floor: i64,
    reached: i64,
    options: &Options,
) -> Result<(solve::Room<BTreeSet<Pair>>, Option<solve::Slope>)> {
    let (s, Some(residual), options) = locked_in(scenario, evaluation, pair, options) else {
        return Ok((solve::Room::Empty, None));
    };
    let pool = scenario.rounds[pair.1].pool;
    Ok(
        match solve::least_pool_money(&s, &residual, &options, floor, reached, pool) {
            Ok((solve::Room::At(frontier), slope)) => (
                solve::Room::At(frontier.iter().map(|p| pairs(&residual, p)).collect()),
                slope,
            ),
            Ok((solve::Room::Empty, slope)) => (solve::Room::Empty, slope),
            Err(Error::Infeasible(_)) => (solve::Room::Empty, None),
            Ok((solve::Room::Open, slope)) => (solve::Room::Open, slope),
            Ok((solve::Room::Far { known }, slope)) => (solve::Room::Far { known }, slope),
            Err(e) => return Err(e),
        },
    )
}

/// The what-if with `pair` locked in and nothing else decided, reduced to what the lock leaves
/// room for (`None`: the lock breaks a row, see [`solve::residual`]), and the options of a solve
/// that needs no baseline.
fn locked_in(
    scenario: &Scenario,
    evaluation: &Evaluation,
    pair: Pair,
    options: &Options,
) -> (Scenario, Option<Evaluation>, Options) {
    let (s, e) = with_decisions(
        scenario,
        evaluation,
        &BTreeSet::new(),
        &BTreeSet::from([pair]),
    );
    let residual = solve::residual(&s, &e);
    let options = Options {
        baseline: false,
        ..options.clone()
    };
    (s, residual, options)
}

/// The total score (units of 1e-4 points) and total subsidy of a set of pairs.
fn totals(evaluation: &Evaluation, pairs: &BTreeSet<Pair>) -> (i64, Decimal) {
    let mut units = 0;
    let mut subsidy = Decimal::ZERO;
    for c in evaluation
        .candidates
        .iter()
        .filter(|c| pairs.contains(&(c.project, c.round)))
    {
        units += crate::solve::score_units(c.score);
        subsidy += c.subsidy.yuan();
    }
    (units, subsidy)
}

/// The total score of a set of pairs, in units of 1e-4 points.
pub fn score_units_of(evaluation: &Evaluation, pairs: &BTreeSet<Pair>) -> i64 {
    totals(evaluation, pairs).0
}

/// Two portfolios (pairs of `evaluation`) in the solver's order under the plain total: `Less`
/// when `a` comes first — the higher total score, then the [`tie_break`].
pub fn solver_order(
    evaluation: &Evaluation,
    a: &BTreeSet<Pair>,
    b: &BTreeSet<Pair>,
) -> std::cmp::Ordering {
    let ((units_a, subsidy_a), (units_b, subsidy_b)) =
        (totals(evaluation, a), totals(evaluation, b));
    units_b
        .cmp(&units_a)
        .then(subsidy_a.cmp(&subsidy_b))
        .then_with(|| earliest(a, b))
}

/// The solver's tie-break between two portfolios of equal score: `Less` when `a` comes first —
/// the less total subsidy, then the one funding the earliest (project, round) in which they
/// differ.
pub fn tie_break(
    evaluation: &Evaluation,
    a: &BTreeSet<Pair>,
    b: &BTreeSet<Pair>,
) -> std::cmp::Ordering {
    totals(evaluation, a)
        .1
        .cmp(&totals(evaluation, b).1)
        .then_with(|| earliest(a, b))
}

/// The tie-break's last level: `Less` when `a` funds the earliest pair in which the two differ.
fn earliest(a: &BTreeSet<Pair>, b: &BTreeSet<Pair>) -> std::cmp::Ordering {
    match a.symmetric_difference(b).next() {
        Some(first) if a.contains(first) => std::cmp::Ordering::Less,
        Some(_) => std::cmp::Ordering::Greater,
        None => std::cmp::Ordering::Equal,
    }
}

/// [`solve_pairs`] of [`with_decisions`]`(scenario, evaluation, withdrawn, fixed)`, sharing the
/// rows of `skeleton` (built from `scenario` and `evaluation`) and copying only what the locks
/// leave room for.
pub fn solve_decided(
    skeleton: &solve::Skeleton,
    scenario: &Scenario,
    evaluation: &Evaluation,
    withdrawn: &BTreeSet<usize>,
    fixed: &BTreeSet<Pair>,
    options: &Options,
) -> Result<Option<BTreeSet<Pair>>> {
    let (s, locked) = decided(scenario, evaluation, withdrawn, fixed);
    solve_residual(
        &s,
        solve::residual_over(skeleton, evaluation, &locked),
        options,
    )
}

/// Solves a residual evaluation (`None`: the locks alone break a row).
fn solve_residual(
    scenario: &Scenario,
    residual: Option<Evaluation>,
    options: &Options,
) -> Result<Option<BTreeSet<Pair>>> {
    let Some(residual) = residual else {
        return Ok(None);
    };
    // Every candidate left is locked in (more than half of a reserve list's what-ifs at 10,000
    // applications: nobody fits what a withdrawal frees): the locked set is the only portfolio,
    // and the rules' exact check, which the solve would end with, says whether it holds. Here,
    // not in `solve`: a what-if only reads the pairs back and takes "infeasible" as `None`,
    // where `solve` must name the conflicting decisions to a user (`diagnose`).
    if residual
        .candidates
        .iter()
        .all(|c| c.locked == Some(Locked::In))
    {
        let portfolio = Portfolio::new(
            scenario,
            &residual,
            (0..residual.candidates.len()).collect(),
        );
        return Ok(solve::verify(scenario, &residual, &portfolio)
            .is_ok()
            .then(|| pairs(&residual, &portfolio)));
    }
    let options = Options {
        baseline: false,
        ..options.clone()
    };
    match solve::solve(scenario, &residual, &options) {
        Ok(outcome) => Ok(Some(pairs(&residual, &outcome.portfolio))),
        Err(Error::Infeasible(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::from_toml_str;

    fn scenario() -> Scenario {
        from_toml_str(
            r#"
[[pools]]
id = "q"
budget = "100"
[[rounds]]
id = "a"
pool = "q"
max_projects = 1
[rounds.eligibility]
min_score = "50"
[rounds.subsidy]
rate = "1"
investment = ["equipment"]
[[rounds]]
id = "b"
pool = "q"
max_projects = 1
[rounds.subsidy]
rate = "1"
investment = ["equipment"]
[scoring]
criteria = [{ id = "s", weight = "1" }]
[applications]
[[applications.projects]]
id = "P1"
rounds = ["a", "b"]
equipment = "10"
scores = { s = "49.5" }
[[applications.projects]]
id = "P2"
rounds = ["a"]
equipment = "10"
scores = { s = "60" }
"#,
            "t.toml",
        )
        .unwrap()
    }

    #[test]
    fn a_score_shift_admits_and_removes_by_the_qualifying_score() {
        let s = scenario();
        let e = crate::rules::evaluate(&s);
        assert_eq!(e.candidates.len(), 2, "P1 only in b, P2 in a");
        // +0.4999 points: still below 50 in round a.
        let below = with_score_shift(&s, &e, 0, 4999);
        assert_eq!(below.candidates.len(), 2);
        // +0.5 points: exactly 50, admitted to round a, ahead of P1@b in (project, round) order.
        let at = with_score_shift(&s, &e, 0, 5000);
        let pairs: Vec<(usize, usize)> =
            at.candidates.iter().map(|c| (c.project, c.round)).collect();
        assert_eq!(pairs, [(0, 0), (0, 1), (1, 0)]);
        assert_eq!(at.candidates[0].score, Decimal::from(50));
        assert_eq!(at.assessments[0].candidate, Some(0));
        // Lowering P2 below 50 removes it.
        let gone = with_score_shift(&s, &e, 1, -100_001);
        assert!(gone.candidates.iter().all(|c| c.project != 1));
    }

    #[test]
    fn decisions_exclude_and_lock() {
        let s = scenario();
        let e = crate::rules::evaluate(&s);
        let (s2, e2) = with_decisions(&s, &e, &BTreeSet::from([1]), &BTreeSet::from([(0, 1)]));
        assert!(e2
            .candidates
            .iter()
            .all(|c| c.project != 1 || c.locked == Some(Locked::Out)));
        assert_eq!(
            s2.committee.must_fund,
            [Lock {
                project: 0,
                round: 1
            }]
        );
        let funded = solve_pairs(&s2, &e2, &Options::default()).unwrap().unwrap();
        assert_eq!(funded, BTreeSet::from([(0, 1)]));
    }
}
