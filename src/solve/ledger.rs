//! Running totals of a portfolio under construction: who is funded, how full each round, group and
//! pool is. Rank-and-cut fills it greedily; reports ask it what keeps a candidate out.

use super::constraints::{constraints, Constraint, Incidence, Kind};
use crate::rules::{Evaluation, Locked};
use crate::scenario::{DependencyKind, Money, Scenario};
use rust_decimal::Decimal;
use std::sync::Arc;

/// One thing that stops a candidate from being added to a portfolio.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The committee excluded the project.
    Excluded,
    /// The project is already funded, in this round index.
    FundedElsewhere(usize),
    /// The round already funds its maximum.
    RoundFull {
        /// Round index.
        round: usize,
        /// Its size.
        max: u32,
    },
    /// The group limit for this attribute value is reached.
    GroupFull {
        /// Round index.
        round: usize,
        /// Index into the round's group limits.
        limit: usize,
        /// The attribute value.
        value: String,
    },
    /// The pool has less money left than the candidate needs.
    Budget {
        /// Pool index.
        pool: usize,
        /// The candidate's amount.
        needs: Money,
        /// What is left (of the pool's capacity, in pro-rata mode).
        left: Decimal,
    },
    /// The enterprise already has its maximum of funded projects.
    EnterpriseFull {
        /// The limit.
        max: u32,
    },
    /// A required project (application index) is not funded.
    Requires(usize),
    /// A mutually exclusive project (application index) is funded.
    Excludes(usize),
}

/// Counts and money of a portfolio being built: the usage of every inequality of the one list
/// of constraints (constraints.rs).
pub struct Ledger<'a> {
    scenario: &'a Scenario,
    evaluation: &'a Evaluation,
    constraints: Arc<Vec<Constraint>>,
    /// Per candidate: the inequalities it is in (index, coefficient), in the list's order.
    member: Incidence<Decimal>,
    /// Per constraint: Σ coefficient over the funded candidates.
    usage: Vec<Decimal>,
    /// Per project: the round it is funded in.
    funded: Vec<Option<usize>>,
}

impl<'a> Ledger<'a> {
    /// An empty portfolio.
    pub fn new(scenario: &'a Scenario, evaluation: &'a Evaluation) -> Ledger<'a> {
        Ledger::over(
            scenario,
            evaluation,
            Arc::new(constraints(scenario, evaluation)),
        )
    }

    /// An empty portfolio, with the round's constraints already built.
    pub(crate) fn over(
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        constraints: Arc<Vec<Constraint>>,
    ) -> Ledger<'a> {
        // Locks and exclusions are decisions, not capacities (see `blocks`); a round's floor
        // never stops a candidate from being added.
        let member =
            Incidence::new(
                evaluation.candidates.len(),
                &constraints,
                |constraint| match constraint.kind {
                    Kind::Lock { .. }
                    | Kind::Exclude { .. }
                    | Kind::FloorProjects { .. }
                    | Kind::FloorAmount { .. }
                    | Kind::FloorScore { .. } => &[],
                    _ => &constraint.terms,
                },
            );
        Ledger {
            scenario,
            evaluation,
            usage: vec![Decimal::ZERO; constraints.len()],
            constraints,
            member,
            funded: vec![None; scenario.applications.len()],
        }
    }

    /// A ledger holding the given funded candidates.
    pub fn with(
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        funded: &[usize],
    ) -> Ledger<'a> {
        let mut ledger = Ledger::new(scenario, evaluation);
        for &c in funded {
            ledger.add(c);
        }
        ledger
    }

    /// Whether a project is funded, and in which round.
    pub fn funded_round(&self, project: usize) -> Option<usize> {
        self.funded[project]
    }

    /// Records a funded candidate (without checking it fits).
    pub fn add(&mut self, c: usize) {
        let cand = &self.evaluation.candidates[c];
        self.funded[cand.project] = Some(cand.round);
        for &(k, a) in self.member.of(c) {
            self.usage[k] += a;
        }
    }

    /// Everything that stops candidate `c` from being added now; empty when it fits: an
    /// exclusion, the project funded already (nothing else is then reported), and each
    /// constraint adding it would break, in the list's order.
    pub fn blocks(&self, c: usize) -> Vec<Block> {
        let s = self.scenario;
        let cand = &self.evaluation.candidates[c];
        let mut blocks = Vec::new();
        if cand.locked == Some(Locked::Out) {
            blocks.push(Block::Excluded);
        }
        if let Some(r) = self.funded[cand.project] {
            blocks.push(Block::FundedElsewhere(r));
            return blocks;
        }
        for &(k, a) in self.member.of(c) {
            let constraint = &self.constraints[k];
            if self.usage[k] + a <= constraint.rhs {
                continue;
            }
            blocks.push(match &constraint.kind {
                // The project is not funded (checked above): it is not full.
                Kind::OneAward { .. } => continue,
                Kind::Size { round } => Block::RoundFull {
                    round: *round,
                    max: s.rounds[*round].max_projects,
                },
                Kind::Group {
                    round,
                    limit,
                    value,
                } => Block::GroupFull {
                    round: *round,
                    limit: *limit,
                    value: value.clone(),
                },
                Kind::Pool { pool } => Block::Budget {
                    pool: *pool,
                    needs: cand.subsidy,
                    left: constraint.rhs - self.usage[k],
                },
                Kind::Enterprise { .. } => Block::EnterpriseFull {
                    max: s.committee.enterprise_limit.unwrap_or(0),
                },
                Kind::Dependency { index } => {
                    let d = &s.committee.dependencies[*index];
                    match d.kind {
                        DependencyKind::Requires => Block::Requires(d.other),
                        DependencyKind::Excludes if d.project == cand.project => {
                            Block::Excludes(d.other)
                        }
                        DependencyKind::Excludes => Block::Excludes(d.project),
                    }
                }
                Kind::Lock { .. }
                | Kind::Exclude { .. }
                | Kind::FloorProjects { .. }
                | Kind::FloorAmount { .. }
                | Kind::FloorScore { .. } => continue,
            });
        }
        blocks
    }
}
