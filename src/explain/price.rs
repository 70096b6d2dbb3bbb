//! The price of including an entry (docs/model.md, "Price of an override"): for an eligible
//! (project, round) pair the committee might insist on, the best total score with that pair
//! locked in, the difference from the optimum, and the pairs that would leave and enter. It is
//! what makes "why not funded" exactly true where the optimum departs from rank order: an entry
//! ranked above funded ones is out because funding it costs this much, not because "the round
//! is full" (it is full of lower-ranked entries).
//!
//! One exact re-solve per entry, with the same solver and the committee's other decisions; the
//! entries are independent, so they run in parallel — except that entries which are twins share
//! one re-solve.
//!
//! # Twins: one re-solve for many entries
//!
//! Call two candidates c and t *twins* when every constraint of the round holds each with the
//! same coefficient (`solve::rows_of_candidates`: the same round, amount, group values,
//! enterprise row, no dependency or lock, and no other candidate of their projects, whose
//! once-only row would differ). Then swapping one for the other in a portfolio that funds just
//! one of them keeps every constraint, and changes its total score by the difference of their
//! scores. Let B(x) be the best total of a portfolio funding x, and R(x) = B(x) − s(x) what the
//! rest of it scores. Under the plain total, with s(c) > s(t), and T the tie-break's best
//! portfolio funding t:
//!
//! * if T does not fund c, T − t + c funds c, so R(c) ≥ R(t);
//! * the best portfolio funding c either leaves t out, and swapping gives R(t) ≥ R(c), or funds
//!   t too, and then B(t) ≥ B(c), so R(c) ≤ R(t) + s(t) − s(c) < R(t). So R(c) = R(t), and no
//!   best portfolio funding c funds t (that case scores below R(t)).
//!
//! The swap is then a one-to-one map between the best portfolios funding c and those funding t
//! but not c, keeping every total and every pair but the two, so keeping the tie-break's order:
//! T − t + c is the tie-break's best funding c, and the same pairs leave and enter. If no
//! portfolio funds t, none funds c (it would fund t, or swap to one that does). So among twins
//! only the lowest-scoring is re-solved; an entry scoring more takes its price from it unless T
//! funds it (then, or when the two scores are equal, the entry is re-solved itself). Under round
//! priority every entry is re-solved: its levels are not one sum.

use super::whatif::{self, Pair};
use crate::error::Result;
use crate::parallel;
use crate::rules::{Evaluation, Locked};
use crate::scenario::{Objective, Scenario};
use crate::solve::{Options, Outcome, Status};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The price of funding one entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// The candidate (index into the evaluation's candidates).
    pub candidate: usize,
    /// What funding it changes; `None` when no portfolio funds it together with the committee's
    /// other decisions and the rounds' floors.
    pub change: Option<Change>,
}

/// The best portfolio with the entry locked in, against the optimum.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Its total score.
    pub total_score: Decimal,
    /// The optimum's total score minus it (≥ 0 under the total-score objective; under round
    /// priority it may be negative, and `level` says what the entry costs).
    pub cost: Decimal,
    /// Under round priority: the first listed round whose proven best score is lower with the
    /// entry in, and by how much (`None` when every level holds, or for the total score).
    pub level: Option<(usize, Decimal)>,
    /// Pairs funded in the optimum and not with the entry in, in (project, round) order.
    pub leaves: Vec<Pair>,
    /// Pairs funded with the entry in and not in the optimum, the entry itself left out.
    pub enters: Vec<Pair>,
}

/// The entries worth a price: every eligible candidate that is not funded, whose project is not
/// funded elsewhere nor excluded by the committee, and that ranks above its round's funding line
/// (better than the round's lowest-ranked funded entry). `ranking` is each round's candidates
/// in rank order. They come best-ranked first (every round's first such entry, then every
/// round's second, …), so that a caller that can afford only some prices takes the entries a
/// committee asks about first.
pub fn above_the_line(
    evaluation: &Evaluation,
    outcome: &Outcome,
    ranking: &[Vec<usize>],
) -> Vec<usize> {
    let cands = &evaluation.candidates;
    let funded: BTreeSet<usize> = outcome.portfolio.funded.iter().copied().collect();
    let funded_project: BTreeSet<usize> = funded.iter().map(|&c| cands[c].project).collect();
    let per_round: Vec<Vec<usize>> = ranking
        .iter()
        .map(|list| {
            let line = list.iter().rposition(|c| funded.contains(c)).unwrap_or(0);
            list[..line]
                .iter()
                .copied()
                .filter(|&c| {
                    !funded.contains(&c)
                        && !funded_project.contains(&cands[c].project)
                        && cands[c].locked != Some(Locked::Out)
                })
                .collect()
        })
        .collect();
    let deepest = per_round.iter().map(Vec::len).max().unwrap_or(0);
    (0..deepest)
        .flat_map(|i| {
            per_round
                .iter()
                .filter_map(move |list| list.get(i).copied())
        })
        .collect()
}

/// The price of each of `entries` (candidates of `evaluation`) whose re-solve was proven, in
/// their order. Only proven optima have prices: against a portfolio cut short by the time limit
/// (the outcome's, or an entry's own re-solve) a difference proves nothing, so such entries are
/// left out and keep the portfolio's reasons. Twins share a re-solve (see the module docs).
pub fn prices(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    entries: &[usize],
    options: &Options,
) -> Result<Vec<Price>> {
    prices_counted(scenario, evaluation, outcome, entries, options, &|_| {})
}

/// [`prices`], calling `counted(done)` each time one more of the entries has its price settled
/// (found, taken from a twin, or cut short), for a progress line: a table's 100 prices can take
/// minutes on rounds of 10,000.
pub fn prices_counted(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    entries: &[usize],
    options: &Options,
    counted: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Price>> {
    if outcome.status != Status::Optimal {
        return Ok(Vec::new());
    }
    let cands = &evaluation.candidates;
    let optimum = whatif::pairs(evaluation, &outcome.portfolio);
    let best = outcome.portfolio.total_score;
    // No rank-and-cut baseline: a price reads only the optimum with the entry in.
    let options = Options {
        progress: false,
        hints: Vec::new(),
        baseline: false,
        ..options.clone()
    }
    .after(outcome, optimum.iter().copied().collect());
    let done = AtomicUsize::new(0);
    let settled = |n: usize| counted(done.fetch_add(n, Ordering::Relaxed) + n);
    let solved = |list: &[usize]| -> Result<BTreeMap<usize, Price>> {
        parallel::map(list, |&c| {
            let price = price_of(scenario, evaluation, &optimum, best, outcome, c, &options);
            settled(1);
            price
        })
        .into_iter()
        .filter_map(Result::transpose)
        .map(|price| price.map(|p| (p.candidate, p)))
        .collect()
    };
    let (first, followers) = twins(scenario, evaluation, &optimum, entries);
    let mut found = solved(&first)?;
    let mut again = Vec::new();
    for &(c, twin) in &followers {
        let pair = (cands[c].project, cands[c].round);
        let change = match found.get(&twin).map(|p| &p.change) {
            Some(None) => None,
            Some(Some(change)) if !change.enters.contains(&pair) => {
                let total_score = change.total_score - cands[twin].score + cands[c].score;
                Some(Change {
                    total_score,
                    cost: best - total_score,
                    level: None,
                    leaves: change.leaves.clone(),
                    enters: change.enters.clone(),
                })
            }
            // The twin's best funds this entry too, or its re-solve was cut short.
            _ => {
                again.push(c);
                continue;
            }
        };
        found.insert(
            c,
            Price {
                candidate: c,
                change,
            },
        );
    }
    settled(followers.len() - again.len());
    found.extend(solved(&again)?);
    Ok(entries.iter().filter_map(|c| found.remove(c)).collect())
}

/// The entries re-solved first (each class of twins' lowest-scoring, and every entry without a
/// twin), and the others, each with the twin whose price it may take (see the module docs). Only
/// entries the optimum leaves out are paired: the leaving and entering pairs are shared only
/// between portfolios that differ from the optimum alike.
fn twins(
    scenario: &Scenario,
    evaluation: &Evaluation,
    optimum: &BTreeSet<Pair>,
    entries: &[usize],
) -> (Vec<usize>, Vec<(usize, usize)>) {
    // One entry has no twin to share with (an explanation prices one project's rounds): the
    // rows are not built.
    if scenario.objective != Objective::TotalScore || entries.len() < 2 {
        return (entries.to_vec(), Vec::new());
    }
    let cands = &evaluation.candidates;
    let rows = crate::solve::rows_of_candidates(scenario, evaluation);
    let mut classes: BTreeMap<&[(usize, Decimal)], Vec<usize>> = BTreeMap::new();
    for &c in entries {
        if !optimum.contains(&(cands[c].project, cands[c].round)) {
            classes.entry(rows.of(c)).or_default().push(c);
        }
    }
    let mut follows: BTreeMap<usize, usize> = BTreeMap::new();
    for class in classes.values() {
        let Some(&lowest) = class.iter().min_by_key(|&&c| (cands[c].score, c)) else {
            continue;
        };
        for &c in class
            .iter()
            .filter(|&&c| cands[c].score > cands[lowest].score)
        {
            follows.insert(c, lowest);
        }
    }
    let first = entries
        .iter()
        .copied()
        .filter(|c| !follows.contains_key(c))
        .collect();
    let followers = entries
        .iter()
        .filter_map(|&c| follows.get(&c).map(|&twin| (c, twin)))
        .collect();
    (first, followers)
}

/// The price of one entry, by its own re-solve; `None` when that re-solve was cut short (or
/// not started: the command's deadline had passed).
fn price_of(
    scenario: &Scenario,
    evaluation: &Evaluation,
    optimum: &BTreeSet<Pair>,
    best: Decimal,
    outcome: &Outcome,
    c: usize,
    options: &Options,
) -> Result<Option<Price>> {
    let cand = &evaluation.candidates[c];
    let entry = (cand.project, cand.round);
    let (s, e) = whatif::with_decisions(scenario, evaluation, &BTreeSet::new(), &[entry].into());
    let change = match crate::solve::solve_proven(&s, &e, options) {
        Ok(None) => return Ok(None),
        Ok(Some(with)) => {
            let funded = whatif::pairs(&e, &with.portfolio);
            let level = outcome
                .levels
                .iter()
                .zip(&with.levels)
                .find(|(a, b)| b.1 < a.1)
                .map(|(a, b)| (a.0, a.1 - b.1));
            Some(Change {
                total_score: with.portfolio.total_score,
                cost: best - with.portfolio.total_score,
                level,
                leaves: optimum.difference(&funded).copied().collect(),
                enters: funded
                    .difference(optimum)
                    .copied()
                    .filter(|&p| p != entry)
                    .collect(),
            })
        }
        Err(crate::Error::Infeasible(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(Some(Price {
        candidate: c,
        change,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::from_toml_str;

    /// One 10-yuan pool, one round of three places: A (10 points, 10 yuan) is funded; B (3, 5)
    /// and C (4, 5) are twins left out. Locking B in pushes A out and leaves room for C, so B's
    /// best portfolio funds C too: C cannot take its price from B and is re-solved itself.
    #[test]
    fn a_twin_whose_best_funds_the_other_is_re_solved() {
        let mut t = String::from(
            "[[pools]]\nid = \"q\"\nbudget = \"10\"\n[[rounds]]\nid = \"r\"\npool = \"q\"\nmax_projects = 3\n\
             [rounds.subsidy]\nrate = \"1\"\ninvestment = [\"equipment\"]\n\
             [scoring]\ncriteria = [{ id = \"s\", weight = \"1\" }]\n[applications]\n",
        );
        for (id, score, amount) in [("A", 10, 10), ("B", 3, 5), ("C", 4, 5)] {
            t.push_str(&format!(
                "[[applications.projects]]\nid = \"{id}\"\nrounds = [\"r\"]\nequipment = \"{amount}\"\nscores = {{ s = \"{score}\" }}\n"
            ));
        }
        let s = from_toml_str(&t, "t.toml").unwrap();
        let e = crate::rules::evaluate(&s);
        let options = Options::default();
        let outcome = crate::solve::solve(&s, &e, &options).unwrap();
        let optimum = whatif::pairs(&e, &outcome.portfolio);
        assert_eq!(optimum, BTreeSet::from([(0, 0)]));
        let (first, followers) = twins(&s, &e, &optimum, &[1, 2]);
        assert_eq!((first, followers), (vec![1], vec![(2, 1)]));
        let together = prices(&s, &e, &outcome, &[1, 2], &options).unwrap();
        // Each alone: one entry has no twin, so each is its own re-solve.
        let alone: Vec<Price> = [1, 2]
            .iter()
            .flat_map(|&c| prices(&s, &e, &outcome, &[c], &options).unwrap())
            .collect();
        assert_eq!(together, alone);
        // B's best funds C (and leaves A): the case the shared price must not be taken in.
        let b_change = together[0].change.as_ref().unwrap();
        assert_eq!(b_change.enters, [(2, 0)]);
        let c_change = together[1].change.as_ref().unwrap();
        assert_eq!(
            (c_change.total_score, c_change.enters.clone()),
            (Decimal::from(7), vec![(1, 0)])
        );
    }
}
