//! Infeasibility in words. Without committee locks the empty portfolio is always feasible, so an
//! infeasible round is the committee's locks (with dependencies) asking the impossible. Common cases
//! are named directly; anything else is narrowed by a deletion filter to a minimal conflicting set.

use super::ledger::{Block, Ledger};
use super::portfolio::capacity;
use super::program::{Answer, Extra, Program};
use crate::error::Error;
use crate::rules::{Evaluation, Locked};
use crate::scenario::{DependencyKind, Money, Scenario};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

fn lock_name(scenario: &Scenario, project: usize, round: usize) -> String {
    format!(
        "{} in {}",
        scenario.applications[project].id, scenario.rounds[round].id
    )
}

/// Checks the must-fund locks on their own: each eligible, not excluded, one round per project,
/// and (when `together`) together within every round size, group limit, pool and enterprise
/// limit. The solve checks them together only once its program proves infeasible (see
/// `explain_infeasible`): a reserve list's what-ifs hold thousands of locks that fit.
pub(crate) fn check_locks(
    scenario: &Scenario,
    evaluation: &Evaluation,
    together: bool,
) -> Result<(), Error> {
    let locks = &scenario.committee.must_fund;
    if locks.is_empty() {
        return Ok(());
    }
    let mut candidates = Vec::new();
    // Indexed by project, and a binary search (assessments are ordered by project, then round):
    // a reserve list's what-ifs carry thousands of locks at 10,000 applications.
    let mut by_project: Vec<Option<usize>> = vec![None; scenario.applications.len()];
    let mut excluded = vec![false; scenario.applications.len()];
    for &p in &scenario.committee.exclude {
        excluded[p] = true;
    }
    for lock in locks {
        let name = || lock_name(scenario, lock.project, lock.round);
        if excluded[lock.project] {
            return Err(Error::Infeasible(format!(
                "must-fund {} conflicts with the committee's exclusion of {}",
                name(),
                scenario.applications[lock.project].id
            )));
        }
        if let Some(other) = by_project[lock.project] {
            return Err(Error::Infeasible(format!(
                "{} is locked into both {} and {}, but a project is funded once",
                scenario.applications[lock.project].id,
                scenario.rounds[other].id,
                scenario.rounds[lock.round].id
            )));
        }
        by_project[lock.project] = Some(lock.round);
        let assessment = evaluation
            .assessments
            .binary_search_by(|a| (a.project, a.round).cmp(&(lock.project, lock.round)))
            .ok()
            .map(|i| &evaluation.assessments[i])
            .or_else(|| {
                let e = &evaluation.assessments;
                e.iter()
                    .find(|a| a.project == lock.project && a.round == lock.round)
            });
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
                    "must-fund {}, but it is not eligible there: {reasons}",
                    name()
                )));
            }
        }
    }
    if together {
        locks_fit(scenario, evaluation, &candidates, &by_project)?;
    }
    for d in &scenario.committee.dependencies {
        if let (DependencyKind::Requires, Some(round), true) =
            (d.kind, by_project[d.project], excluded[d.other])
        {
            return Err(Error::Infeasible(format!(
                "must-fund {} requires {}, which the committee excluded",
                lock_name(scenario, d.project, round),
                scenario.applications[d.other].id
            )));
        }
    }
    Ok(())
}

/// The locks' `candidates` added one by one; the first that does not fit names the conflict.
/// `by_project`: each locked project's round.
fn locks_fit(
    scenario: &Scenario,
    evaluation: &Evaluation,
    candidates: &[usize],
    by_project: &[Option<usize>],
) -> Result<(), Error> {
    let mut ledger = Ledger::new(scenario, evaluation);
    let mut placed: Vec<usize> = Vec::new();
    for &c in candidates {
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
                Block::Excludes(other) => {
                    let Some(round) = by_project[other] else {
                        continue;
                    };
                    format!(
                        "must-fund {} and must-fund {} are mutually exclusive",
                        lock_name(scenario, cand.project, cand.round),
                        lock_name(scenario, other, round)
                    )
                }
                // Requires and later exclusions are order-dependent: left to the full check.
                _ => continue,
            };
            return Err(Error::Infeasible(message));
        }
        ledger.add(c);
        placed.push(c);
    }
    Ok(())
}

/// Checks the rounds' floors against what the round can give, in the words a committee uses:
/// too few eligible candidates (or too few groups under a group limit), too little money asked,
/// and a pool that the floors and the locks together overspend. What these simple counts miss
/// is left to `explain_infeasible`.
pub(crate) fn check_floors(scenario: &Scenario, evaluation: &Evaluation) -> Result<(), Error> {
    if scenario
        .rounds
        .iter()
        .all(|r| r.min_projects.is_none() && r.min_amount.is_none())
    {
        return Ok(()); // nothing below forces money into a pool
    }
    let cands = &evaluation.candidates;
    let locked_round: BTreeMap<usize, usize> = scenario
        .committee
        .must_fund
        .iter()
        .map(|l| (l.project, l.round))
        .collect();
    // Per round, the candidates that may be funded there: not excluded, not locked elsewhere.
    let open = |round: usize| -> Vec<usize> {
        (0..cands.len())
            .filter(|&c| {
                let cand = &cands[c];
                cand.round == round
                    && cand.locked != Some(Locked::Out)
                    && locked_round.get(&cand.project).is_none_or(|&r| r == round)
            })
            .collect()
    };
    // Per pool: what the floors and the locks force it to commit at least.
    let mut floors = vec![Decimal::ZERO; scenario.pools.len()];
    let mut locks = vec![Decimal::ZERO; scenario.pools.len()];
    for (r, round) in scenario.rounds.iter().enumerate() {
        let open = open(r);
        let is_locked = |c: usize| locked_round.get(&cands[c].project) == Some(&r);
        let locked: Decimal = open
            .iter()
            .filter(|&&c| is_locked(c))
            .map(|&c| cands[c].subsidy.yuan())
            .sum();
        locks[round.pool] += locked;
        let mut forced = locked;
        if let Some(min) = round.min_projects {
            let n = open.len() as u32;
            if n < min {
                return Err(Error::Infeasible(format!(
                    "round {} needs at least {min} projects but only {n} {} eligible{}",
                    round.id,
                    if n == 1 { "is" } else { "are" },
                    if scenario.committee.exclude.is_empty() && locked_round.is_empty() {
                        ""
                    } else {
                        " and not excluded or locked elsewhere"
                    }
                )));
            }
            // The least money that reaches the floor with the locks in: the cheapest candidates,
            // and under each group limit on its own the cheapest that keep it; the largest of
            // these is a lower bound the pool must pay.
            let (placed, mut rest): (Vec<usize>, Vec<usize>) =
                open.iter().partition(|&&c| is_locked(c));
            rest.sort_by(|&a, &b| cands[a].subsidy.cmp(&cands[b].subsidy).then(a.cmp(&b)));
            let more = (min as usize).saturating_sub(placed.len());
            let amount =
                |cs: &[usize]| -> Decimal { cs.iter().map(|&c| cands[c].subsidy.yuan()).sum() };
            let mut least = amount(&rest[..more.min(rest.len())]);
            for limit in &round.group_limits {
                let value = |c: usize| {
                    scenario.applications[cands[c].project]
                        .attribute(&limit.attribute)
                        .unwrap_or("")
                };
                let kept = under_limit(limit.max, &placed, &rest, &value);
                let most = placed.len() + kept.len();
                if most < min as usize {
                    let values: BTreeSet<&str> = open.iter().map(|&c| value(c)).collect();
                    return Err(Error::Infeasible(format!(
                        "round {} needs at least {min} projects but its limit of {} per {} allows only {most} (its eligible candidates have {} values of {})",
                        round.id,
                        limit.max,
                        limit.attribute,
                        values.len(),
                        limit.attribute
                    )));
                }
                least = least.max(amount(&kept[..more]));
            }
            forced += least;
        }
        if let Some(min) = round.min_amount {
            let mut amounts: Vec<Decimal> = open.iter().map(|&c| cands[c].subsidy.yuan()).collect();
            amounts.sort_by(|a, b| b.cmp(a));
            let asked: Decimal = amounts.iter().sum();
            let size = round.max_projects as usize;
            let largest: Decimal = amounts.iter().take(size).sum();
            let shown = |d: Decimal| Money::from_yuan(d).grouped();
            if asked < min.yuan() {
                return Err(Error::Infeasible(format!(
                    "round {} needs at least {} but its eligible candidates ask {} in all",
                    round.id,
                    min.grouped(),
                    shown(asked)
                )));
            }
            if largest < min.yuan() {
                return Err(Error::Infeasible(format!(
                    "round {} needs at least {} but funds at most {size} projects, and its {size} largest amounts total {}",
                    round.id,
                    min.grouped(),
                    shown(largest)
                )));
            }
            forced = forced.max(min.yuan());
        }
        floors[round.pool] += forced - locked;
    }
    for (q, pool) in scenario.pools.iter().enumerate() {
        let cap = capacity(scenario, q);
        if floors[q] > Decimal::ZERO && floors[q] + locks[q] > cap {
            let shown = |d: Decimal| Money::from_yuan(d).grouped();
            return Err(Error::Infeasible(if locks[q].is_zero() {
                format!(
                    "the floors of pool {}'s rounds need at least {}, more than its {}",
                    pool.id,
                    shown(floors[q]),
                    shown(cap)
                )
            } else {
                format!(
                    "floors of {} and locks of {} exceed pool {}'s {}",
                    shown(floors[q]),
                    shown(locks[q]),
                    pool.id,
                    shown(cap)
                )
            }));
        }
    }
    Ok(())
}

/// Under one group limit of `max` per value, the candidates of `rest` (in its order) that can
/// join `placed` without breaking it, each taken while its value has room: taken cheapest first,
/// the first k of them are the cheapest k that keep the limit (greedy is exact for one limit).
fn under_limit<'v>(
    max: u32,
    placed: &[usize],
    rest: &[usize],
    value: &impl Fn(usize) -> &'v str,
) -> Vec<usize> {
    let mut used: BTreeMap<&str, u32> = BTreeMap::new();
    for &c in placed {
        *used.entry(value(c)).or_default() += 1;
    }
    rest.iter()
        .copied()
        .filter(|&c| {
            let n = used.entry(value(c)).or_default();
            *n += 1;
            *n <= max
        })
        .collect()
}

/// Narrows an infeasible program to a minimal set of locks, dependencies and round floors that
/// conflict.
pub(crate) fn explain_infeasible(program: &Program) -> Error {
    // The common case in the committee's words first: locks that do not fit together.
    if let Err(e) = check_locks(program.scenario(), program.evaluation(), true) {
        return e;
    }
    // Locks as columns again, so that each can be switched off.
    let program = &mut program.unfolded();
    let scenario = program.scenario();
    let zero = vec![0.0; program.columns.len()];
    // Deletion filter: drop each decision in turn; keep it only if the rest becomes feasible
    // without it. Locks are indices 0..L, dependencies L..L+D, round floors after them, in one
    // sequence.
    let locks = program.locks.len();
    let dependencies = program.dependencies.len();
    for i in 0..locks + dependencies + program.floors.len() {
        let switch = |program: &mut Program, on: bool| {
            if i < locks {
                program.locks[i] = on;
            } else if i < locks + dependencies {
                program.dependencies[i - locks] = on;
            } else {
                program.floors[i - locks - dependencies] = on;
            }
        };
        if i >= locks + dependencies {
            let round = &scenario.rounds[i - locks - dependencies];
            if !round.has_floor() {
                continue;
            }
        }
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
    for (round, _) in scenario
        .rounds
        .iter()
        .zip(&program.floors)
        .filter(|(r, on)| **on && r.has_floor())
    {
        let mut floor = Vec::new();
        if let Some(min) = round.min_projects {
            floor.push(format!("at least {min} projects"));
        }
        if let Some(min) = round.min_amount {
            floor.push(format!("at least {}", min.grouped()));
        }
        parts.push(format!("round {} funds {}", round.id, floor.join(" and ")));
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

    /// The error of a solve of `text` (a whole scenario), which must be infeasible.
    fn infeasible_text(text: &str) -> String {
        let scenario = from_toml_str(text, "t.toml").unwrap();
        match solve(&scenario, &evaluate(&scenario), &Options::default()) {
            Err(Error::Infeasible(why)) => why,
            other => panic!(
                "expected infeasible, got {:?}",
                other.map(|o| o.portfolio.funded)
            ),
        }
    }

    /// One round on one pool of `budget`, the round's keys `round` (its size among them), and projects
    /// (id, industry, amount) with a qualifying jurisdiction unless the id starts with 'X'.
    fn floored(
        budget: u32,
        round: &str,
        committee: &str,
        projects: &[(&str, &str, u32)],
    ) -> String {
        let mut t = format!(
            "[[pools]]\nid = \"key\"\nbudget = \"{budget}\"\n[[rounds]]\nid = \"major\"\npool = \"key\"\n{round}\n[rounds.subsidy]\nrate = \"1\"\ninvestment = [\"equipment\"]\n[rounds.eligibility]\njurisdictions = [\"市本级\"]\n[scoring]\ncriteria = [{{ id = \"q\", weight = \"1\" }}]\n[committee]\n{committee}\n[applications]\n"
        );
        for (id, industry, amount) in projects {
            let place = if id.starts_with('X') {
                "柯城区"
            } else {
                "市本级"
            };
            t.push_str(&format!(
                "[[applications.projects]]\nid = \"{id}\"\nindustry = \"{industry}\"\njurisdiction = \"{place}\"\nrounds = [\"major\"]\nequipment = \"{amount}\"\nscores = {{ q = 50 }}\n"
            ));
        }
        t
    }

    const THREE: [(&str, &str, u32); 4] = [
        ("A", "i1", 10),
        ("B", "i1", 20),
        ("C", "i2", 30),
        ("X", "i3", 5),
    ];

    #[test]
    fn a_floor_above_the_eligible_candidates_is_named() {
        let projects = [("A", "i1", 10), ("B", "i1", 20), ("X", "i3", 5)];
        let why = infeasible_text(&floored(
            100,
            "max_projects = 3\nmin_projects = 3",
            "",
            &projects,
        ));
        assert_eq!(
            why,
            "round major needs at least 3 projects but only 2 are eligible"
        );
    }

    #[test]
    fn a_floor_beyond_a_group_limit_is_named() {
        let round = "max_projects = 3\nmin_projects = 3\ngroup_limits = [{ attribute = \"industry\", max = 1 }]";
        let projects = [("A", "i1", 10), ("B", "i1", 20), ("C", "i2", 30)];
        let why = infeasible_text(&floored(100, round, "", &projects));
        assert_eq!(
            why,
            "round major needs at least 3 projects but its limit of 1 per industry allows only 2 (its eligible candidates have 2 values of industry)"
        );
    }

    #[test]
    fn a_floor_on_money_beyond_the_largest_amounts_is_named() {
        let projects = [
            ("A", "i1", 10),
            ("B", "i1", 20),
            ("C", "i2", 30),
            ("D", "i2", 40),
        ];
        let why = infeasible_text(&floored(
            1000,
            "max_projects = 2\nmin_amount = \"71\"",
            "",
            &projects,
        ));
        assert_eq!(
            why,
            "round major needs at least 71 but funds at most 2 projects, and its 2 largest amounts total 70"
        );
    }

    #[test]
    fn floors_and_locks_beyond_a_pool_are_named() {
        // C (30) is locked; the floor of 2 then needs one more, at least A's 10. Without the
        // lock the cheapest two under one per industry are A and C: 40 (A and B share i1).
        let round = "max_projects = 3\nmin_projects = 2\ngroup_limits = [{ attribute = \"industry\", max = 1 }]";
        let why = infeasible_text(&floored(
            39,
            round,
            "must_fund = [{ project = \"C\", round = \"major\" }]",
            &THREE,
        ));
        assert_eq!(why, "floors of 10 and locks of 30 exceed pool key's 39");
        let why = infeasible_text(&floored(29, round, "", &THREE));
        assert_eq!(
            why,
            "the floors of pool key's rounds need at least 40, more than its 29"
        );
    }

    #[test]
    fn a_floor_that_conflicts_with_a_dependency_is_named_by_the_filter() {
        // Each alone could hold; together: two projects, but A excludes B and C requires X
        // (ineligible), so only one of A, B can be funded.
        let projects = [
            ("A", "i1", 10),
            ("B", "i1", 20),
            ("C", "i2", 30),
            ("X", "i3", 5),
        ];
        let why = infeasible_text(&floored(
            100,
            "max_projects = 3\nmin_projects = 2",
            "dependencies = [{ kind = \"excludes\", project = \"A\", other = \"B\" }, { kind = \"requires\", project = \"C\", other = \"X\" }]",
            &projects,
        ));
        assert!(
            why.contains("A excludes B")
                && why.contains("C requires X")
                && why.contains("round major funds at least 2 projects"),
            "{why}"
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
