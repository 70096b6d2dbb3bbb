//! Exact re-verification of a portfolio against every constraint, in `Decimal`. Nothing the
//! solver returns is reported before it passes here.

use super::portfolio::{capacity, Portfolio};
use crate::rules::{Evaluation, Locked};
use crate::scenario::{DependencyKind, Money, Scenario};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Checks `portfolio` against every rule of the scenario; the error names the first violation.
pub fn verify(
    scenario: &Scenario,
    evaluation: &Evaluation,
    portfolio: &Portfolio,
) -> Result<(), String> {
    let cands = &evaluation.candidates;
    let apps = &scenario.applications;
    // By project index, not a map: a reserve list's what-ifs verify thousands of funded pairs.
    let mut per_project: Vec<Option<usize>> = vec![None; apps.len()];
    let mut per_round = vec![0u32; scenario.rounds.len()];
    let mut per_group: BTreeMap<(usize, usize, &str), u32> = BTreeMap::new();
    let mut per_enterprise: BTreeMap<&str, u32> = BTreeMap::new();
    for &c in &portfolio.funded {
        let cand = cands
            .get(c)
            .ok_or_else(|| format!("candidate {c} does not exist"))?;
        let app = &apps[cand.project];
        if cand.locked == Some(Locked::Out) {
            return Err(format!(
                "{} is excluded by the committee but funded",
                app.id
            ));
        }
        if let Some(other) = per_project[cand.project].replace(cand.round) {
            return Err(format!(
                "{} is funded twice ({} and {})",
                app.id, scenario.rounds[other].id, scenario.rounds[cand.round].id
            ));
        }
        per_round[cand.round] += 1;
        for (g, limit) in scenario.rounds[cand.round].group_limits.iter().enumerate() {
            let value = app.attribute(&limit.attribute).unwrap_or("");
            *per_group.entry((cand.round, g, value)).or_default() += 1;
        }
        if scenario.committee.enterprise_limit.is_some() {
            *per_enterprise.entry(app.enterprise.as_str()).or_default() += 1;
        }
    }
    for (r, round) in scenario.rounds.iter().enumerate() {
        if per_round[r] > round.max_projects {
            return Err(format!(
                "round {} funds {} projects, more than {}",
                round.id, per_round[r], round.max_projects
            ));
        }
        if let Some(min) = round.min_projects.filter(|&min| per_round[r] < min) {
            return Err(format!(
                "round {} funds {} projects, fewer than its floor of {min}",
                round.id, per_round[r]
            ));
        }
        if let Some(min) = round.min_score_total {
            let total: Decimal = portfolio
                .funded
                .iter()
                .filter(|&&c| cands[c].round == r)
                .map(|&c| cands[c].score)
                .sum();
            if total < min {
                return Err(format!(
                    "round {} scores {total}, less than its proven priority level {min}",
                    round.id
                ));
            }
        }
        if let Some(min) = round.min_amount {
            let amount: Decimal = portfolio
                .funded
                .iter()
                .filter(|&&c| cands[c].round == r)
                .map(|&c| cands[c].subsidy.yuan())
                .sum();
            if amount < min.yuan() {
                return Err(format!(
                    "round {} commits {amount}, less than its floor of {min}",
                    round.id
                ));
            }
        }
    }
    for (&(r, g, value), &n) in &per_group {
        let limit = &scenario.rounds[r].group_limits[g];
        if n > limit.max {
            return Err(format!(
                "round {} funds {n} projects with {} {value:?}, more than {}",
                scenario.rounds[r].id, limit.attribute, limit.max
            ));
        }
    }
    if let Some(k) = scenario.committee.enterprise_limit {
        if let Some((e, n)) = per_enterprise.iter().find(|(_, &n)| n > k) {
            return Err(format!(
                "enterprise {e:?} has {n} funded projects, more than {k}"
            ));
        }
    }
    for lock in &scenario.committee.must_fund {
        if per_project[lock.project] != Some(lock.round) {
            return Err(format!(
                "must-fund {} in {} is not funded there",
                apps[lock.project].id, scenario.rounds[lock.round].id
            ));
        }
    }
    for d in &scenario.committee.dependencies {
        let (a, b) = (
            per_project[d.project].is_some(),
            per_project[d.other].is_some(),
        );
        let broken = match d.kind {
            DependencyKind::Requires => a && !b,
            DependencyKind::Excludes => a && b,
        };
        if broken {
            return Err(format!(
                "dependency {:?} of {} on {} is broken",
                d.kind, apps[d.project].id, apps[d.other].id
            ));
        }
    }
    // Money, recomputed from the candidates rather than trusted from the portfolio.
    for (q, pool) in scenario.pools.iter().enumerate() {
        let in_pool: Vec<(usize, Money)> = portfolio
            .funded
            .iter()
            .zip(&portfolio.paid)
            .filter(|(&c, _)| scenario.rounds[cands[c].round].pool == q)
            .map(|(&c, &m)| (c, m))
            .collect();
        let requested: Decimal = in_pool.iter().map(|(c, _)| cands[*c].subsidy.yuan()).sum();
        if requested > capacity(scenario, q) {
            return Err(format!(
                "pool {} commits {requested}, more than it may ({})",
                pool.id,
                capacity(scenario, q)
            ));
        }
        let spent: Decimal = in_pool.iter().map(|(_, m)| m.yuan()).sum();
        if spent > pool.budget.yuan() {
            return Err(format!(
                "pool {} pays {spent}, more than its budget {}",
                pool.id, pool.budget
            ));
        }
        for (c, paid) in &in_pool {
            let full = cands[*c].subsidy.yuan();
            let floor = pool.pro_rata_floor.map_or(full, |phi| (full * phi).floor());
            if paid.yuan() > full || paid.yuan() < floor {
                return Err(format!(
                    "{} is paid {paid}, outside [{floor}, {full}]",
                    apps[cands[*c].project].id
                ));
            }
        }
        if portfolio.pools[q].spent.yuan() != spent {
            return Err(format!(
                "pool {} reports spent {} but pays {spent}",
                pool.id, portfolio.pools[q].spent
            ));
        }
    }
    let total: Decimal = portfolio.funded.iter().map(|&c| cands[c].score).sum();
    if total != portfolio.total_score {
        return Err(format!(
            "total score is {total}, not the {} claimed",
            portfolio.total_score
        ));
    }
    Ok(())
}
