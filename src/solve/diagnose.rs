//! Infeasibility in words. Without committee locks the empty portfolio is always feasible, so an
//! infeasible round is the committee's locks (with dependencies) asking the impossible. Common cases
//! are named directly; anything else is narrowed by a deletion filter to a minimal conflicting set.

use super::ledger::{Block, Ledger};
use super::portfolio::capacity;
use super::program::{Answer, Extra, Program};
use crate::error::Error;
use crate::rules::Evaluation;
use crate::scenario::{DependencyKind, Scenario};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

fn lock_name(scenario: &Scenario, project: usize, round: usize) -> String {
    format!(
        "{} in {}",
        scenario.applications[project].id, scenario.rounds[round].id
    )
}

/// Checks the must-fund locks on their own: each eligible, not excluded, one round per project,
/// and together within every round size, group limit, pool and enterprise limit.
pub(crate) fn check_locks(scenario: &Scenario, evaluation: &Evaluation) -> Result<(), Error> {
    let locks = &scenario.committee.must_fund;
    if locks.is_empty() {
        return Ok(());
    }
    let mut candidates = Vec::new();
    let mut by_project: BTreeMap<usize, usize> = BTreeMap::new();
    for lock in locks {
        let name = lock_name(scenario, lock.project, lock.round);
        if scenario.committee.exclude.contains(&lock.project) {
            return Err(Error::Infeasible(format!(
                "must-fund {name} conflicts with the committee's exclusion of {}",
                scenario.applications[lock.project].id
            )));
        }
        if let Some(&other) = by_project.get(&lock.project) {
            return Err(Error::Infeasible(format!(
                "{} is locked into both {} and {}, but a project is funded once",
                scenario.applications[lock.project].id,
                scenario.rounds[other].id,
                scenario.rounds[lock.round].id
            )));
        }
        by_project.insert(lock.project, lock.round);
        let assessment = evaluation
            .assessments
            .iter()
            .find(|a| a.project == lock.project && a.round == lock.round);
        match assessment.and_then(|a| a.candidate) {
            Some(c) => candidates.push(c),
            None => {
                let reasons = assessment
                    .map(|a| {
                        a.reasons
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default();
                return Err(Error::Infeasible(format!(
                    "must-fund {name}, but it is not eligible there: {reasons}"
                )));
            }
        }
    }
    // Add the locks one by one; the first that does not fit names the conflict.
    let mut ledger = Ledger::new(scenario, evaluation);
    let mut placed: Vec<usize> = Vec::new();
    for &c in &candidates {
        let cand = &evaluation.candidates[c];
        let same = |pred: &dyn Fn(usize) -> bool| -> String {
            placed
                .iter()
                .chain(std::iter::once(&c))
                .filter(|&&d| pred(d))
                .map(|&d| {
                    lock_name(
                        scenario,
                        evaluation.candidates[d].project,
                        evaluation.candidates[d].round,
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        for block in ledger.blocks(c) {
            let message = match block {
                Block::RoundFull { round, max } => format!(
                    "the must-fund locks {} exceed round {}'s size of {max}",
                    same(&|d| evaluation.candidates[d].round == round),
                    scenario.rounds[round].id
                ),
                Block::GroupFull {
                    round,
                    limit,
                    value,
                } => {
                    let l = &scenario.rounds[round].group_limits[limit];
                    format!(
                        "the must-fund locks {} exceed round {}'s limit of {} per {} ({value})",
                        same(&|d| {
                            let e = &evaluation.candidates[d];
                            e.round == round
                                && scenario.applications[e.project].attribute(&l.attribute)
                                    == Some(value.as_str())
                        }),
                        scenario.rounds[round].id,
                        l.max,
                        l.attribute
                    )
                }
                Block::Budget { pool, .. } => {
                    let on_pool =
                        |d: usize| scenario.rounds[evaluation.candidates[d].round].pool == pool;
                    let total: Decimal = placed
                        .iter()
                        .chain(std::iter::once(&c))
                        .filter(|&&d| on_pool(d))
                        .map(|&d| evaluation.candidates[d].subsidy.yuan())
                        .sum();
                    format!(
                        "the must-fund locks {} need {total} in all, more than pool {}'s budget of {}",
                        same(&on_pool),
                        scenario.pools[pool].id,
                        capacity(scenario, pool).normalize()
                    )
                }
                Block::EnterpriseFull { max } => {
                    let e = &scenario.applications[cand.project].enterprise;
                    format!(
                        "the must-fund locks {} exceed the limit of {max} projects per enterprise ({e})",
                        same(&|d| &scenario.applications[evaluation.candidates[d].project].enterprise == e)
                    )
                }
                Block::Excludes(other) if by_project.contains_key(&other) => format!(
                    "must-fund {} and must-fund {} are mutually exclusive",
                    lock_name(scenario, cand.project, cand.round),
                    lock_name(scenario, other, by_project[&other])
                ),
                // Requires and later exclusions are order-dependent: left to the full check.
                _ => continue,
            };
            return Err(Error::Infeasible(message));
        }
        ledger.add(c);
        placed.push(c);
    }
    for d in &scenario.committee.dependencies {
        if d.kind == DependencyKind::Requires
            && by_project.contains_key(&d.project)
            && scenario.committee.exclude.contains(&d.other)
        {
            return Err(Error::Infeasible(format!(
                "must-fund {} requires {}, which the committee excluded",
                lock_name(scenario, d.project, by_project[&d.project]),
                scenario.applications[d.other].id
            )));
        }
    }
    Ok(())
}

/// Narrows an infeasible program to a minimal set of locks and dependencies that conflict.
pub(crate) fn explain_infeasible(program: &mut Program) -> Error {
    let scenario = program.scenario();
    let zero = vec![0.0; program.columns.len()];
    // Deletion filter: drop each decision in turn; keep it only if the rest becomes feasible
    // without it. Locks are indices 0..L, dependencies L.. in one sequence.
    let locks = program.locks.len();
    for i in 0..locks + program.dependencies.len() {
        let switch = |program: &mut Program, on: bool| {
            if i < locks {
                program.locks[i] = on;
            } else {
                program.dependencies[i - locks] = on;
            }
        };
        switch(program, false);
        match program.run(&zero, true, &Extra::default(), &[]) {
            Ok(Answer::Infeasible) => {}
            Ok(_) => switch(program, true),
            Err(e) => return e,
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for (lock, _) in scenario
        .committee
        .must_fund
        .iter()
        .zip(&program.locks)
        .filter(|(_, on)| **on)
    {
        parts.push(format!(
            "must-fund {}",
            lock_name(scenario, lock.project, lock.round)
        ));
    }
    for (d, _) in scenario
        .committee
        .dependencies
        .iter()
        .zip(&program.dependencies)
        .filter(|(_, on)| **on)
    {
        let verb = match d.kind {
            DependencyKind::Requires => "requires",
            DependencyKind::Excludes => "excludes",
        };
        parts.push(format!(
            "{} {verb} {}",
            scenario.applications[d.project].id, scenario.applications[d.other].id
        ));
    }
    Error::Infeasible(format!(
        "no portfolio satisfies these committee decisions together (with the round sizes, group limits and budgets): {}",
        parts.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::evaluate;
    use crate::scenario::from_toml_str;
    use crate::solve::{solve, Options};
    use crate::Error;

    const ROUND: &str = r#"
[[pools]]
id = "key"
budget = "100"
[[rounds]]
id = "major"
pool = "key"
max_projects = 2
[rounds.subsidy]
rate = "1"
investment = ["equipment"]
[rounds.eligibility]
jurisdictions = ["市本级"]
[scoring]
criteria = [{ id = "q", weight = "1" }]
"#;

    fn infeasible(committee: &str, projects: &str) -> String {
        let text = format!("{ROUND}[committee]\n{committee}\n[applications]\n{projects}");
        let scenario = from_toml_str(&text, "t.toml").unwrap();
        match solve(&scenario, &evaluate(&scenario), &Options::default()) {
            Err(Error::Infeasible(why)) => why,
            other => panic!(
                "expected infeasible, got {:?}",
                other.map(|o| o.portfolio.funded)
            ),
        }
    }

    const PROJECTS: &str = r#"
[[applications.projects]]
id = "A"
jurisdiction = "市本级"
rounds = ["major"]
equipment = "10"
scores = { q = 50 }
[[applications.projects]]
id = "B"
jurisdiction = "柯城区"
rounds = ["major"]
equipment = "10"
scores = { q = 50 }
[[applications.projects]]
id = "C"
jurisdiction = "市本级"
rounds = ["major"]
equipment = "10"
scores = { q = 50 }
"#;

    #[test]
    fn a_lock_whose_required_project_cannot_be_funded_is_named_with_the_dependency() {
        // B is ineligible, so "A requires B" cannot hold while A is locked in; C's lock is innocent.
        let why = infeasible(
            r#"must_fund = [{ project = "A", round = "major" }, { project = "C", round = "major" }]
dependencies = [{ kind = "requires", project = "A", other = "B" }]"#,
            PROJECTS,
        );
        assert!(why.contains("must-fund A in major; A requires B"), "{why}");
        assert!(
            !why.contains("must-fund C"),
            "the filter keeps only the conflicting set: {why}"
        );
    }

    #[test]
    fn mutually_exclusive_locks_are_named() {
        let why = infeasible(
            r#"must_fund = [{ project = "A", round = "major" }, { project = "C", round = "major" }]
dependencies = [{ kind = "excludes", project = "A", other = "C" }]"#,
            PROJECTS,
        );
        assert!(
            why.contains("A in major")
                && why.contains("C in major")
                && why.contains("mutually exclusive"),
            "{why}"
        );
    }
}
