//! A funded portfolio and what it costs each pool, computed exactly; pro-rata payments included.

use crate::rules::Evaluation;
use crate::scenario::{Money, Scenario};
use rust_decimal::Decimal;

/// How a pool's money is used by a portfolio.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolUse {
    /// Pool index.
    pub pool: usize,
    /// The budget.
    pub budget: Money,
    /// Σ of the rule amounts of the funded candidates (before pro-rata scaling).
    pub requested: Money,
    /// Σ actually paid.
    pub spent: Money,
    /// budget − spent.
    pub left: Money,
    /// Pro-rata scale λ = min(1, budget / requested); `None` when the pool pays in full.
    pub scale: Option<Decimal>,
}

/// A set of funded candidates with its exact totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    /// Funded candidate indices, ascending (= by project id, then round order).
    pub funded: Vec<usize>,
    /// What each funded candidate is paid (aligned with `funded`): the rule amount, or the
    /// pro-rata amount rounded down to the yuan.
    pub paid: Vec<Money>,
    /// Σ score of the funded candidates.
    pub total_score: Decimal,
    /// One entry per pool, in scenario order.
    pub pools: Vec<PoolUse>,
}

/// The money a pool may commit in rule amounts: its budget, or budget / φ in pro-rata mode.
pub fn capacity(scenario: &Scenario, pool: usize) -> Decimal {
    scenario.pools[pool].capacity()
}

impl Portfolio {
    /// Computes totals and payments for a set of funded candidates.
    pub fn new(scenario: &Scenario, evaluation: &Evaluation, mut funded: Vec<usize>) -> Portfolio {
        funded.sort_unstable();
        funded.dedup();
        let candidates = &evaluation.candidates;
        let total_score = funded.iter().map(|&c| candidates[c].score).sum();
        let mut pools = Vec::new();
        for (q, pool) in scenario.pools.iter().enumerate() {
            let requested: Money = funded
                .iter()
                .filter(|&&c| scenario.rounds[candidates[c].round].pool == q)
                .map(|&c| candidates[c].subsidy)
                .sum();
            let scale = pool.pro_rata_floor.map(|_| {
                if requested.yuan() <= pool.budget.yuan() || requested == Money::ZERO {
                    Decimal::ONE
                } else {
                    pool.budget.yuan() / requested.yuan()
                }
            });
            pools.push(PoolUse {
                pool: q,
                budget: pool.budget,
                requested,
                spent: Money::ZERO,
                left: Money::ZERO,
                scale,
            });
        }
        let paid: Vec<Money> = funded
            .iter()
            .map(|&c| {
                let cand = &candidates[c];
                let use_ = &pools[scenario.rounds[cand.round].pool];
                match use_.scale {
                    // amount × budget / requested, multiplied first so the division is the only
                    // rounding step: an exact 5/6 of 300,000 is paid as 250,000, not 249,999.
                    Some(l) if l < Decimal::ONE => Money::floor_to_yuan(
                        cand.subsidy.yuan() * use_.budget.yuan() / use_.requested.yuan(),
                    ),
                    _ => cand.subsidy,
                }
            })
            .collect();
        for use_ in &mut pools {
            use_.spent = funded
                .iter()
                .zip(&paid)
                .filter(|(&c, _)| scenario.rounds[candidates[c].round].pool == use_.pool)
                .map(|(_, m)| *m)
                .sum();
            use_.left = use_.budget - use_.spent;
        }
        Portfolio {
            funded,
            paid,
            total_score,
            pools,
        }
    }

    /// Total paid over all pools.
    pub fn total_paid(&self) -> Money {
        self.paid.iter().sum()
    }

    /// Total rule amount of the funded candidates (the second tie-break level).
    pub fn total_requested(&self) -> Money {
        self.pools.iter().map(|p| p.requested).sum()
    }
}
