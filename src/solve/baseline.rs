//! Rank and cut, the usual manual method: the committee's must-fund locks first, then each
//! round with a floor in rank order until its floor is met, then round by
//! round in scenario order, in descending score order (ties: smaller subsidy, then project id) fund each candidate that
//! still fits the round size, group limits, the pool's remaining money and the committee's rules.

use super::constraints::{constraints, Constraint};
use super::ledger::Ledger;
use super::portfolio::Portfolio;
use super::program::score_units;
use crate::rules::{Evaluation, Locked};
use crate::scenario::Scenario;
use std::cmp::Ordering;
use std::sync::Arc;

/// The name under which reports show this baseline.
pub const METHOD: &str = "rank-and-cut";

/// Candidates of a round in rank order: score descending, subsidy ascending, then candidate order.
pub fn ranked(evaluation: &Evaluation, round: usize) -> Vec<usize> {
    in_order(evaluation, round, true)
}

/// Score descending; ties to the smaller subsidy when `cheaper_first`; then candidate order
/// (= project id order).
fn in_order(evaluation: &Evaluation, round: usize, cheaper_first: bool) -> Vec<usize> {
    let cands = &evaluation.candidates;
    // Integer keys first, as `Decimal` comparison dominated rank-and-cut at 10,000
    // applications; they are exact below their saturation, and the exact values decide
    // whenever the keys tie.
    let mut list: Vec<(i64, i64, usize)> = (0..cands.len())
        .filter(|&c| cands[c].round == round)
        .map(|c| (score_units(cands[c].score), cands[c].subsidy.fen(), c))
        .collect();
    list.sort_unstable_by(|&(score_a, fen_a, a), &(score_b, fen_b, b)| {
        let score = score_b
            .cmp(&score_a)
            .then_with(|| cands[b].score.cmp(&cands[a].score));
        let subsidy = || {
            if cheaper_first {
                fen_a
                    .cmp(&fen_b)
                    .then_with(|| cands[a].subsidy.cmp(&cands[b].subsidy))
            } else {
                Ordering::Equal
            }
        };
        score.then_with(subsidy).then(a.cmp(&b))
    });
    list.into_iter().map(|(_, _, c)| c).collect()
}

/// The rank-and-cut portfolio.
pub fn rank_and_cut(scenario: &Scenario, evaluation: &Evaluation) -> Portfolio {
    let list = Arc::new(constraints(scenario, evaluation));
    cut(scenario, evaluation, true, list)
}

/// The rank-and-cut portfolio, with the round's constraints already built.
pub(crate) fn rank_and_cut_over(
    scenario: &Scenario,
    evaluation: &Evaluation,
    list: Arc<Vec<Constraint>>,
) -> Portfolio {
    cut(scenario, evaluation, true, list)
}

/// The greedy utilitarian rule of participatory budgets (`.pb` input): the same cut, but equal
/// scores go to the smaller project id, not the cheaper project — the rule as the Pabulib
/// reference results define it (see docs/pabulib.md).
pub fn greedy(scenario: &Scenario, evaluation: &Evaluation) -> Portfolio {
    let list = Arc::new(constraints(scenario, evaluation));
    cut(scenario, evaluation, false, list)
}

fn cut(
    scenario: &Scenario,
    evaluation: &Evaluation,
    cheaper_first: bool,
    list: Arc<Vec<Constraint>>,
) -> Portfolio {
    let mut ledger = Ledger::over(scenario, evaluation, list);
    let mut funded = Vec::new();
    // The committee's must-fund locks are placed before any round is ranked.
    let locked = (0..evaluation.candidates.len())
        .filter(|&c| evaluation.candidates[c].locked == Some(Locked::In));
    for c in locked {
        if ledger.blocks(c).is_empty() {
            ledger.add(c);
            funded.push(c);
        }
    }
    // Then each round with a floor, in rank order until the floor is met (the committee's
    // floors come before the rounds are filled); then every round in file order.
    let orders: Vec<Vec<usize>> = (0..scenario.rounds.len())
        .map(|round| in_order(evaluation, round, cheaper_first))
        .collect();
    let cands = &evaluation.candidates;
    for (r, round) in scenario
        .rounds
        .iter()
        .enumerate()
        .filter(|(_, r)| r.has_floor())
    {
        // What the round holds so far (its locks), then as it fills.
        let here = funded.iter().filter(|&&c| cands[c].round == r);
        let mut count = here.clone().count() as u32;
        let mut amount: rust_decimal::Decimal = here.map(|&c| cands[c].subsidy.yuan()).sum();
        for &c in &orders[r] {
            if round.min_projects.is_none_or(|min| count >= min)
                && round.min_amount.is_none_or(|min| amount >= min.yuan())
            {
                break;
            }
            if ledger.blocks(c).is_empty() {
                ledger.add(c);
                funded.push(c);
                count += 1;
                amount += cands[c].subsidy.yuan();
            }
        }
    }
    for &c in orders.iter().flatten() {
        if ledger.blocks(c).is_empty() {
            ledger.add(c);
            funded.push(c);
        }
    }
    Portfolio::new(scenario, evaluation, funded)
}
