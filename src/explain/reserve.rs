//! Reserve lists (候补名单): who steps in when a funded project withdraws or fails due diligence.
//!
//! Two things a committee can publish and defend, both computed by re-solving the integer program
//! with the other decisions fixed (committee locks on a copy of the scenario — exact, no shortcut;
//! a what-if that leaves no candidate free has one portfolio, which the rules' exact check settles):
//!
//! * **Replacements** of each funded project f: f withdraws (it is excluded), every other funded
//!   (project, round) stays funded where it is (locked), every unfunded candidate is free; the
//!   optimum of that program says who enters. A funded project that requires f (a dependency)
//!   cannot stay and is left free too. Entrants may be several (f's money can pay for two smaller
//!   projects) and may be in another round sharing f's pool.
//! * **The round's ordered reserve list**: the round's funded projects withdraw one after another,
//!   lowest-ranked first (rank = score, then smaller subsidy, then project order); after each
//!   withdrawal the program is re-solved with every remaining decision fixed — earlier entrants
//!   included — and the candidates that enter this round join the list, best-ranked first. Reserve
//!   #1 is thus who enters when one place frees up, reserve #2 who enters when a second one does,
//!   and so on, each at the money actually freed. The order assumes lowest-ranked withdrawals
//!   first (a withdrawal the committee's locks forbid is skipped); for any single withdrawal the
//!   replacements above are exact.

use super::whatif::Pair;
use crate::error::Result;
use crate::parallel;
use crate::rules::Evaluation;
use crate::scenario::{DependencyKind, Scenario};
use crate::solve::ranked;
use std::collections::BTreeSet;

/// What happens when one funded project withdraws, all other decisions fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawal {
    /// The funded pair that withdraws.
    pub withdrawn: Pair,
    /// Pairs that enter. `None` when the committee's decisions cannot hold without it (a
    /// must-fund lock on it or on a project that requires it).
    pub enters: Option<Vec<Pair>>,
    /// Other funded pairs that must leave with it (they require it).
    pub leaves: Vec<Pair>,
}

/// One place on a round's ordered reserve list.
#[derive(Debug, Clone, PartialEq)]
pub struct ReserveEntry {
    /// The reserve candidate.
    pub pair: Pair,
    /// The withdrawal after which it enters (the k-th of the chain).
    pub after: Pair,
}

/// A round's reserve list and the replacements of each of its funded projects.
#[derive(Debug, Clone, PartialEq)]
pub struct Reserve {
    /// Round index.
    pub round: usize,
    /// The ordered reserve list.
    pub list: Vec<ReserveEntry>,
    /// One per funded project of the round, best-ranked first.
    pub withdrawals: Vec<Withdrawal>,
}

/// Funded projects that cannot stay without `project`: those requiring it, transitively.
fn dependents(scenario: &Scenario, funded: &BTreeSet<Pair>, project: usize) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    let mut todo = vec![project];
    while let Some(q) = todo.pop() {
        for d in &scenario.committee.dependencies {
            if d.kind == DependencyKind::Requires
                && d.other == q
                && funded.iter().any(|&(p, _)| p == d.project)
                && out.insert(d.project)
            {
                todo.push(d.project);
            }
        }
    }
    out
}

/// `current` with `pair` withdrawn (and every project requiring it), the rest fixed, re-solved;
/// returns the new pairs (`None`: infeasible) and the dependents that left with it.
fn withdraw<S>(
    scenario: &Scenario,
    withdrawn: &BTreeSet<usize>,
    current: &BTreeSet<Pair>,
    pair: Pair,
    solve: &S,
) -> Result<(Option<BTreeSet<Pair>>, Vec<Pair>)>
where
    S: Fn(&BTreeSet<usize>, &BTreeSet<Pair>) -> Result<Option<BTreeSet<Pair>>>,
{
    let gone = dependents(scenario, current, pair.0);
    let fixed: BTreeSet<Pair> = current
        .iter()
        .copied()
        .filter(|&(p, _)| p != pair.0 && !gone.contains(&p))
        .collect();
    let leaves: Vec<Pair> = current
        .iter()
        .copied()
        .filter(|(p, _)| gone.contains(p))
        .collect();
    let mut out = withdrawn.clone();
    out.insert(pair.0);
    Ok((solve(&out, &fixed)?, leaves))
}

/// The reserve list of every round, solving each what-if with `solve` (the optimiser in
/// production, brute force in tests): given the projects that withdraw and the pairs that stay,
/// the funded pairs of [`super::whatif::with_decisions`]'s scenario. `funded` is the current optimal
/// portfolio's pairs. The rounds, and the single withdrawals of each, are independent and solved
/// in parallel (in their order, see `parallel`); a round's chain is sequential.
pub fn reserves_with<S>(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &BTreeSet<Pair>,
    solve: S,
) -> Result<Vec<Reserve>>
where
    S: Fn(&BTreeSet<usize>, &BTreeSet<Pair>) -> Result<Option<BTreeSet<Pair>>> + Sync,
{
    let rounds: Vec<usize> = (0..scenario.rounds.len()).collect();
    parallel::map(&rounds, |&r| {
        reserve(scenario, evaluation, funded, r, &solve)
    })
    .into_iter()
    .collect()
}

/// Round `r`'s reserve list and the replacements of its funded projects.
fn reserve<S>(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &BTreeSet<Pair>,
    r: usize,
    solve: &S,
) -> Result<Reserve>
where
    S: Fn(&BTreeSet<usize>, &BTreeSet<Pair>) -> Result<Option<BTreeSet<Pair>>> + Sync,
{
    let cands = &evaluation.candidates;
    let order: Vec<Pair> = ranked(evaluation, r)
        .into_iter()
        .map(|c| (cands[c].project, cands[c].round))
        .collect();
    let position = |pair: &Pair| order.iter().position(|p| p == pair).unwrap_or(usize::MAX);
    let here: Vec<Pair> = order
        .iter()
        .copied()
        .filter(|p| funded.contains(p))
        .collect();
    let withdrawals = parallel::map(&here, |&pair| -> Result<Withdrawal> {
        let (after, leaves) = withdraw(scenario, &BTreeSet::new(), funded, pair, solve)?;
        Ok(Withdrawal {
            withdrawn: pair,
            enters: after.map(|a| a.difference(funded).copied().collect()),
            leaves,
        })
    })
    .into_iter()
    .collect::<Result<Vec<_>>>()?;
    // The chain: lowest-ranked withdraws first.
    let mut list = Vec::new();
    let mut current = funded.clone();
    let mut withdrawn = BTreeSet::new();
    for &pair in here.iter().rev() {
        if !current.contains(&pair) {
            continue; // left earlier with a project it requires
        }
        let (after, _) = withdraw(scenario, &withdrawn, &current, pair, solve)?;
        // A withdrawal the committee's locks forbid is skipped: that project stays.
        let Some(after) = after else { continue };
        withdrawn.insert(pair.0);
        let mut entrants: Vec<Pair> = after
            .difference(&current)
            .copied()
            .filter(|&(_, round)| round == r)
            .collect();
        entrants.sort_by_key(&position);
        list.extend(entrants.into_iter().map(|p| ReserveEntry {
            pair: p,
            after: pair,
        }));
        current = after;
    }
    Ok(Reserve {
        round: r,
        list,
        withdrawals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Explainer;
    use crate::scenario::from_toml_str;
    use crate::solve::Options;

    /// One round, two places, 100 yuan: A (9 points, 60), B (8, 40), C (7, 50), D (6, 30).
    /// The optimum funds A and B.
    fn round() -> Scenario {
        let mut t = String::from(
            "[[pools]]\nid = \"q\"\nbudget = \"100\"\n[[rounds]]\nid = \"r\"\npool = \"q\"\nmax_projects = 2\n\
             [rounds.subsidy]\nrate = \"1\"\ninvestment = [\"equipment\"]\n\
             [scoring]\ncriteria = [{ id = \"s\", weight = \"1\" }]\n[applications]\n",
        );
        for (id, score, amount) in [("A", 9, 60), ("B", 8, 40), ("C", 7, 50), ("D", 6, 30)] {
            t.push_str(&format!(
                "[[applications.projects]]\nid = \"{id}\"\nrounds = [\"r\"]\nequipment = \"{amount}\"\nscores = {{ s = \"{score}\" }}\n"
            ));
        }
        from_toml_str(&t, "t.toml").unwrap()
    }

    #[test]
    fn replacements_use_the_money_each_withdrawal_frees() {
        let s = round();
        let e = crate::rules::evaluate(&s);
        let reserves = Explainer::new(&s, &e, Options::default())
            .unwrap()
            .reserves()
            .unwrap();
        let r = &reserves[0];
        // A leaves 60 + 0 free: C (7, 50) beats D (6, 30). B leaves 40: only D fits.
        assert_eq!(
            r.withdrawals,
            [
                Withdrawal {
                    withdrawn: (0, 0),
                    enters: Some(vec![(2, 0)]),
                    leaves: vec![]
                },
                Withdrawal {
                    withdrawn: (1, 0),
                    enters: Some(vec![(3, 0)]),
                    leaves: vec![]
                },
            ]
        );
        // The chain: B (lower-ranked) withdraws first → D; then A → C, with D kept.
        assert_eq!(
            r.list,
            [
                ReserveEntry {
                    pair: (3, 0),
                    after: (1, 0)
                },
                ReserveEntry {
                    pair: (2, 0),
                    after: (0, 0)
                },
            ]
        );
    }

    #[test]
    fn a_project_requiring_the_withdrawn_one_leaves_with_it() {
        let mut s = round();
        s.committee.dependencies.push(crate::scenario::Dependency {
            kind: DependencyKind::Requires,
            project: 1,
            other: 0,
        });
        let e = crate::rules::evaluate(&s);
        let reserves = Explainer::new(&s, &e, Options::default())
            .unwrap()
            .reserves()
            .unwrap();
        let a = &reserves[0].withdrawals[0];
        assert_eq!(a.withdrawn, (0, 0));
        assert_eq!(a.leaves, [(1, 0)]);
        // 100 yuan and two places free, A and B out: C (50) and D (30).
        assert_eq!(a.enters, Some(vec![(2, 0), (3, 0)]));
    }

    #[test]
    fn a_locked_project_does_not_withdraw() {
        let mut s = round();
        s.committee.must_fund.push(crate::scenario::Lock {
            project: 1,
            round: 0,
        });
        let e = crate::rules::evaluate(&s);
        let reserves = Explainer::new(&s, &e, Options::default())
            .unwrap()
            .reserves()
            .unwrap();
        let r = &reserves[0];
        assert_eq!(r.withdrawals[1].withdrawn, (1, 0));
        assert_eq!(r.withdrawals[1].enters, None);
        // B is skipped in the chain; A withdraws with B kept: 60 yuan, one place → C.
        assert_eq!(
            r.list,
            [ReserveEntry {
                pair: (2, 0),
                after: (0, 0)
            }]
        );
    }
}
