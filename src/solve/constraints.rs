//! The model's constraints (docs/model.md), named and built in one place, with exact
//! coefficients over the eligible candidates. Each consumer takes what it needs: the program
//! (program.rs) keeps the rows its columns can break, in fen and integers; the audit export
//! (export.rs) prints them with readable names; the ledger (ledger.rs) counts them for
//! rank-and-cut and for the reasons a candidate is out, which the diagnosis of an infeasible
//! round then names. `verify.rs` re-checks a portfolio without this list, on purpose: it is
//! the independent oracle.
//!
//! A new kind of constraint is added here (a `Kind`, its rows in `constraints`), then named in
//! export.rs and ledger.rs (the compiler points at every `match` that must learn it).

use super::portfolio::capacity;
use crate::rules::{Evaluation, Locked};
use crate::scenario::{DependencyKind, Scenario};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::ops::Range;

/// What a constraint limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A project is funded at most once (only for projects eligible in two or more rounds).
    OneAward { project: usize },
    /// A round funds at most its size.
    Size { round: usize },
    /// A round's floor on projects: at least `min_projects` funded, written
    /// Σ −x ≤ −min_projects (over the round's eligible candidates).
    FloorProjects { round: usize },
    /// A round's floor on money: its funded rule amounts total at least `min_amount` (yuan),
    /// written Σ −amount · x ≤ −min_amount.
    FloorAmount { round: usize },
    /// A round's floor on its total score (a level the round-priority objective has proven),
    /// written Σ −score · x ≤ −min_score_total.
    FloorScore { round: usize },
    /// A round's group limit: at most `max` projects sharing one value of the attribute
    /// (projects without it share the value "").
    Group {
        round: usize,
        /// Index into the round's group limits.
        limit: usize,
        value: String,
    },
    /// A pool's money: the rule amounts of its rounds within its capacity (the budget, or
    /// budget / floor in pro-rata mode), in yuan.
    Pool { pool: usize },
    /// The per-enterprise limit on funded projects.
    Enterprise { enterprise: String },
    /// A committee dependency (index into `committee.dependencies`): "requires" is
    /// x(project) − x(other) ≤ 0, "excludes" x(project) + x(other) ≤ 1.
    Dependency { index: usize },
    /// A must-fund lock (index into `committee.must_fund`): its candidate = 1.
    Lock { index: usize },
    /// A committee exclusion of a project: each of its candidates = 0.
    Exclude { project: usize },
}

/// One constraint: Σ coefficient · x(candidate) ≤ rhs (= rhs for `Lock` and `Exclude`).
#[derive(Debug, Clone)]
pub(crate) struct Constraint {
    pub kind: Kind,
    /// (candidate index, coefficient), each candidate once, in candidate order — except that
    /// a dependency lists the project's candidates first, then the other's.
    pub terms: Vec<(usize, Decimal)>,
    pub rhs: Decimal,
}

/// Every constraint of the round over the eligible candidates, in a fixed order: one award,
/// round sizes, round floors (projects, then money, by round), group limits (by round, limit,
/// value), pools, enterprises (by name), dependencies, locks, exclusions. A floor is written
/// even where its round has no candidate (the row 0 ≤ −k then states the infeasibility). A lock without an eligible candidate has no row (the
/// callers report it: see `diagnose::check_locks`).
pub(crate) fn constraints(scenario: &Scenario, evaluation: &Evaluation) -> Vec<Constraint> {
    let s = scenario;
    let cands = &evaluation.candidates;
    // Dense indices where the keys are (projects, rounds, pools); a map only where they are
    // strings. Empty entries are skipped below, as a map would not hold them.
    // Candidates come ordered by project, then round: each project's are one run of them (a
    // reserve list's what-ifs build these rows thousands of times over thousands of projects).
    debug_assert!(cands.windows(2).all(|w| w[0].project <= w[1].project));
    let mut by_project: Vec<(usize, Range<usize>)> = Vec::new();
    let of_project = |project: usize| -> Range<usize> {
        cands.partition_point(|c| c.project < project)
            ..cands.partition_point(|c| c.project <= project)
    };
    let mut by_round: Vec<Vec<usize>> = vec![Vec::new(); s.rounds.len()];
    let mut by_group: BTreeMap<(usize, usize, &str), Vec<usize>> = BTreeMap::new();
    let mut by_pool: Vec<Vec<usize>> = vec![Vec::new(); s.pools.len()];
    let mut by_enterprise: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let limited = s.committee.enterprise_limit.is_some();
    for (c, cand) in cands.iter().enumerate() {
        let app = &s.applications[cand.project];
        let round = &s.rounds[cand.round];
        match by_project.last_mut() {
            Some((project, cols)) if *project == cand.project => cols.end = c + 1,
            _ => by_project.push((cand.project, c..c + 1)),
        }
        by_round[cand.round].push(c);
        for (g, limit) in round.group_limits.iter().enumerate() {
            let value = app.attribute(&limit.attribute).unwrap_or("");
            by_group.entry((cand.round, g, value)).or_default().push(c);
        }
        by_pool[round.pool].push(c);
        if limited {
            by_enterprise
                .entry(app.enterprise.as_str())
                .or_default()
                .push(c);
        }
    }
    let nonempty = |list: Vec<Vec<usize>>| -> Vec<(usize, Vec<usize>)> {
        list.into_iter()
            .enumerate()
            .filter(|(_, cols)| !cols.is_empty())
            .collect()
    };
    let mut floor_rows = Vec::new();
    for (round, cols) in by_round.iter().enumerate() {
        let r = &s.rounds[round];
        if let Some(min) = r.min_projects {
            floor_rows.push(Constraint {
                kind: Kind::FloorProjects { round },
                terms: cols.iter().map(|&c| (c, -Decimal::ONE)).collect(),
                rhs: -Decimal::from(min),
            });
        }
        if let Some(min) = r.min_amount {
            floor_rows.push(Constraint {
                kind: Kind::FloorAmount { round },
                terms: cols
                    .iter()
                    .map(|&c| (c, -cands[c].subsidy.yuan()))
                    .collect(),
                rhs: -min.yuan(),
            });
        }
        if let Some(min) = r.min_score_total {
            floor_rows.push(Constraint {
                kind: Kind::FloorScore { round },
                terms: cols.iter().map(|&c| (c, -cands[c].score)).collect(),
                rhs: -min,
            });
        }
    }
    let by_round = nonempty(by_round);
    let by_pool = nonempty(by_pool);
    let mut out = Vec::new();
    for (project, cols) in by_project.iter().filter(|(_, c)| c.len() > 1) {
        out.push(Constraint {
            kind: Kind::OneAward { project: *project },
            terms: ones(cols.clone()),
            rhs: Decimal::ONE,
        });
    }
    for (round, cols) in &by_round {
        let round = *round;
        out.push(Constraint {
            kind: Kind::Size { round },
            terms: ones(cols.iter().copied()),
            rhs: Decimal::from(s.rounds[round].max_projects),
        });
    }
    out.extend(floor_rows);
    for (&(round, limit, value), cols) in &by_group {
        out.push(Constraint {
            kind: Kind::Group {
                round,
                limit,
                value: value.to_string(),
            },
            terms: ones(cols.iter().copied()),
            rhs: Decimal::from(s.rounds[round].group_limits[limit].max),
        });
    }
    for (pool, cols) in &by_pool {
        let pool = *pool;
        out.push(Constraint {
            kind: Kind::Pool { pool },
            terms: cols.iter().map(|&c| (c, cands[c].subsidy.yuan())).collect(),
            rhs: capacity(s, pool),
        });
    }
    if let Some(k) = s.committee.enterprise_limit {
        for (&enterprise, cols) in &by_enterprise {
            out.push(Constraint {
                kind: Kind::Enterprise {
                    enterprise: enterprise.to_string(),
                },
                terms: ones(cols.iter().copied()),
                rhs: Decimal::from(k),
            });
        }
    }
    for (index, d) in s.committee.dependencies.iter().enumerate() {
        let (sign, rhs) = match d.kind {
            DependencyKind::Requires => (-Decimal::ONE, Decimal::ZERO),
            DependencyKind::Excludes => (Decimal::ONE, Decimal::ONE),
        };
        // The project's candidates, then the other's (a project never depends on itself: the
        // reader refuses it, so no candidate appears twice).
        let mut terms = ones(of_project(d.project));
        terms.extend(of_project(d.other).map(|c| (c, sign)));
        out.push(Constraint {
            kind: Kind::Dependency { index },
            terms,
            rhs,
        });
    }
    for (index, lock) in s.committee.must_fund.iter().enumerate() {
        // Candidates are ordered by (project, round); a reserve list's what-ifs hold thousands
        // of locks.
        if let Ok(c) =
            cands.binary_search_by(|c| (c.project, c.round).cmp(&(lock.project, lock.round)))
        {
            out.push(Constraint {
                kind: Kind::Lock { index },
                terms: vec![(c, Decimal::ONE)],
                rhs: Decimal::ONE,
            });
        }
    }
    for (project, cols) in &by_project {
        if cols.clone().all(|c| cands[c].locked == Some(Locked::Out)) {
            out.push(Constraint {
                kind: Kind::Exclude { project: *project },
                terms: ones(cols.clone()),
                rhs: Decimal::ZERO,
            });
        }
    }
    out
}

/// Coefficient 1 for each of the candidates `cols` (a list, or a project's run).
fn ones(cols: impl IntoIterator<Item = usize>) -> Vec<(usize, Decimal)> {
    cols.into_iter().map(|c| (c, Decimal::ONE)).collect()
}

/// Per candidate, every constraint it is in with its coefficient there, in the constraints'
/// order. Two candidates with the same list are interchangeable: swapping one for the other in
/// any portfolio funding just one of them keeps every constraint (see `explain::price`).
pub(crate) fn rows_of_candidates(
    scenario: &Scenario,
    evaluation: &Evaluation,
) -> Incidence<Decimal> {
    let list = constraints(scenario, evaluation);
    Incidence::new(evaluation.candidates.len(), &list, |row| &row.terms)
}

/// Per column, the rows it is in with its coefficient: a row list turned around, stored flat
/// (one allocation, columns in order) because rank-and-cut and local search read it once per
/// candidate they try.
pub(crate) struct Incidence<T> {
    /// Column `c`'s entries are `entries[start[c]..start[c + 1]]`.
    start: Vec<usize>,
    entries: Vec<(usize, T)>,
}

impl<T: Copy + Default> Incidence<T> {
    /// The incidence of `columns` columns in `rows`, whose terms `terms` gives as (column,
    /// coefficient); each column's rows come in the rows' order.
    pub fn new<R>(columns: usize, rows: &[R], terms: impl Fn(&R) -> &[(usize, T)]) -> Self {
        let mut start = vec![0; columns + 1];
        for row in rows {
            for &(c, _) in terms(row) {
                start[c + 1] += 1;
            }
        }
        for c in 0..columns {
            start[c + 1] += start[c];
        }
        let mut next = start.clone();
        let mut entries = vec![(0, T::default()); start[columns]];
        for (r, row) in rows.iter().enumerate() {
            for &(c, a) in terms(row) {
                entries[next[c]] = (r, a);
                next[c] += 1;
            }
        }
        Incidence { start, entries }
    }

    /// The rows column `c` is in, with its coefficient in each.
    pub fn of(&self, c: usize) -> &[(usize, T)] {
        &self.entries[self.start[c]..self.start[c + 1]]
    }
}
