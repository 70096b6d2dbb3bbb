//! Running totals of a portfolio under construction: who is funded, how full each round, group and
//! pool is. Rank-and-cut fills it greedily; reports ask it what keeps a candidate out.

use super::portfolio::capacity;
use crate::rules::{Evaluation, Locked};
use crate::scenario::{DependencyKind, Money, Scenario};
use rust_decimal::Decimal;
use std::collections::HashMap;

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

/// Counts and money of a portfolio being built.
pub struct Ledger<'a> {
    scenario: &'a Scenario,
    evaluation: &'a Evaluation,
    /// Funded round per project.
    funded: HashMap<usize, usize>,
    round_count: Vec<u32>,
    group_count: HashMap<(usize, usize, String), u32>,
    enterprise_count: HashMap<String, u32>,
    committed: Vec<Decimal>,
}

impl<'a> Ledger<'a> {
    /// An empty portfolio.
    pub fn new(scenario: &'a Scenario, evaluation: &'a Evaluation) -> Ledger<'a> {
        Ledger {
            scenario,
            evaluation,
            funded: HashMap::new(),
            round_count: vec![0; scenario.rounds.len()],
            group_count: HashMap::new(),
            enterprise_count: HashMap::new(),
            committed: vec![Decimal::ZERO; scenario.pools.len()],
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
        self.funded.get(&project).copied()
    }

    /// Records a funded candidate (without checking it fits).
    pub fn add(&mut self, c: usize) {
        let cand = &self.evaluation.candidates[c];
        let app = &self.scenario.applications[cand.project];
        let round = &self.scenario.rounds[cand.round];
        self.funded.insert(cand.project, cand.round);
        self.round_count[cand.round] += 1;
        for (g, limit) in round.group_limits.iter().enumerate() {
            let value = app.attribute(&limit.attribute).unwrap_or("").to_string();
            *self.group_count.entry((cand.round, g, value)).or_default() += 1;
        }
        *self
            .enterprise_count
            .entry(app.enterprise.clone())
            .or_default() += 1;
        self.committed[round.pool] += cand.subsidy.yuan();
    }

    /// Everything that stops candidate `c` from being added now; empty when it fits.
    pub fn blocks(&self, c: usize) -> Vec<Block> {
        let s = self.scenario;
        let cand = &self.evaluation.candidates[c];
        let app = &s.applications[cand.project];
        let round = &s.rounds[cand.round];
        let mut blocks = Vec::new();
        if cand.locked == Some(Locked::Out) {
            blocks.push(Block::Excluded);
        }
        if let Some(&r) = self.funded.get(&cand.project) {
            blocks.push(Block::FundedElsewhere(r));
            return blocks;
        }
        if self.round_count[cand.round] >= round.max_projects {
            blocks.push(Block::RoundFull {
                round: cand.round,
                max: round.max_projects,
            });
        }
        for (g, limit) in round.group_limits.iter().enumerate() {
            let value = app.attribute(&limit.attribute).unwrap_or("").to_string();
            if self
                .group_count
                .get(&(cand.round, g, value.clone()))
                .copied()
                .unwrap_or(0)
                >= limit.max
            {
                blocks.push(Block::GroupFull {
                    round: cand.round,
                    limit: g,
                    value,
                });
            }
        }
        let left = capacity(s, round.pool) - self.committed[round.pool];
        if cand.subsidy.yuan() > left {
            blocks.push(Block::Budget {
                pool: round.pool,
                needs: cand.subsidy,
                left,
            });
        }
        if let Some(max) = s.committee.enterprise_limit {
            if self
                .enterprise_count
                .get(&app.enterprise)
                .copied()
                .unwrap_or(0)
                >= max
            {
                blocks.push(Block::EnterpriseFull { max });
            }
        }
        for d in &s.committee.dependencies {
            match d.kind {
                DependencyKind::Requires
                    if d.project == cand.project && !self.funded.contains_key(&d.other) =>
                {
                    blocks.push(Block::Requires(d.other))
                }
                DependencyKind::Excludes
                    if d.project == cand.project && self.funded.contains_key(&d.other) =>
                {
                    blocks.push(Block::Excludes(d.other))
                }
                DependencyKind::Excludes
                    if d.other == cand.project && self.funded.contains_key(&d.project) =>
                {
                    blocks.push(Block::Excludes(d.project))
                }
                _ => {}
            }
        }
        blocks
    }
}
