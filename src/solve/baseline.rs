//! Rank and cut, the usual manual method: the committee's must-fund locks first, then round by
//! round in scenario order, in descending score order (ties: smaller subsidy, then project id) fund each candidate that
//! still fits the round size, group limits, the pool's remaining money and the committee's rules.

use super::ledger::Ledger;
use super::portfolio::Portfolio;
use crate::rules::{Evaluation, Locked};
use crate::scenario::Scenario;

/// The name under which reports show this baseline.
pub const METHOD: &str = "rank-and-cut";

/// Candidates of a round in rank order: score descending, subsidy ascending, then candidate order.
pub fn ranked(evaluation: &Evaluation, round: usize) -> Vec<usize> {
    let cands = &evaluation.candidates;
    let mut list: Vec<usize> = (0..cands.len())
        .filter(|&c| cands[c].round == round)
        .collect();
    list.sort_by(|&a, &b| {
        cands[b]
            .score
            .cmp(&cands[a].score)
            .then(cands[a].subsidy.cmp(&cands[b].subsidy))
            .then(a.cmp(&b))
    });
    list
}

/// The rank-and-cut portfolio.
pub fn rank_and_cut(scenario: &Scenario, evaluation: &Evaluation) -> Portfolio {
    let mut ledger = Ledger::new(scenario, evaluation);
    let mut funded = Vec::new();
    // The committee's must-fund locks are placed before any round is ranked.
    let locked = (0..evaluation.candidates.len())
        .filter(|&c| evaluation.candidates[c].locked == Some(Locked::In));
    let rounds = (0..scenario.rounds.len()).flat_map(|round| ranked(evaluation, round));
    for c in locked.chain(rounds) {
        if ledger.blocks(c).is_empty() {
            ledger.add(c);
            funded.push(c);
        }
    }
    Portfolio::new(scenario, evaluation, funded)
}
