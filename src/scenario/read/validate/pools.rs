//! `[[pools]]`: unique ids, budgets as money, pro-rata floors, and what all pools may commit
//! together held to the largest amount.

use super::{name_or_id, Validator};
use crate::error::Result;
use crate::scenario::money::LARGEST_YUAN;
use crate::scenario::types::Pool;
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Validator<'_> {
    /// The pools, and the index of each by id (for the rounds' references).
    pub(super) fn pools(&self) -> Result<(Vec<Pool>, HashMap<String, usize>)> {
        let raw = self.raw;
        let unit = raw.scenario.unit;
        let mut pools = Vec::new();
        let mut pool_index = HashMap::new();
        if raw.pools.is_empty() {
            return Err(self.err("pools", "at least one pool is needed"));
        }
        for (i, p) in raw.pools.iter().enumerate() {
            let at = format!("pools[{i}] ({})", p.id);
            if pool_index.insert(p.id.clone(), i).is_some() {
                return Err(self.err(at, format!("pool id {:?} is used twice", p.id)));
            }
            let pro_rata_floor = match p.pro_rata_floor {
                Some(n) => Some(self.pro_rata_floor(n.0, &at)?),
                None => None,
            };
            pools.push(Pool {
                id: p.id.clone(),
                name: name_or_id(&p.name, &p.id),
                budget: self.money(&p.budget, unit, format!("{at}.budget"))?,
                pro_rata_floor,
            });
        }
        // What all pools may commit together bounds every portfolio's total: held to the largest
        // amount, any portfolio's total in fen is exact in `i64` and in the solver's `f64` rows.
        let committable: Decimal = pools.iter().map(Pool::capacity).sum();
        if committable > Decimal::from(LARGEST_YUAN) {
            return Err(self.err(
                "pools",
                format!(
                    "together the pools may commit {} yuan; amounts go up to 1,000,000,000,000 yuan (1 万亿元) in all",
                    committable.round_dp(2).normalize()
                ),
            ));
        }
        Ok((pools, pool_index))
    }

    fn pro_rata_floor(&self, value: Decimal, at: &str) -> Result<Decimal> {
        let floor = self.share(value, format!("{at}.pro_rata_floor"), true)?;
        // The pool may commit budget / φ: a vanishing φ is no floor (and would overflow the
        // arithmetic of the capacity).
        if floor < Decimal::new(1, 4) {
            return Err(self.err(
                format!("{at}.pro_rata_floor"),
                format!(
                    "{} is too small: the floor must be at least 0.0001 (0.01%), or the pool could commit over 10,000 times its budget",
                    floor.normalize()
                ),
            ));
        }
        Ok(floor)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::refusal;

    /// The only pool's table, as the minimal scenario writes it.
    const POOL: &str = "[[pools]]\nid = \"main\"\nbudget = \"1000000\"\n";

    #[test]
    fn at_least_one_pool_is_needed() {
        assert_eq!(
            refusal(&[(POOL, "pools = []\n")]),
            "s.toml: pools: at least one pool is needed"
        );
    }

    #[test]
    fn a_pool_id_is_used_once() {
        assert_eq!(
            refusal(&[(POOL, &format!("{POOL}\n{POOL}"))]),
            "s.toml: pools[1] (main): pool id \"main\" is used twice"
        );
    }

    #[test]
    fn a_pro_rata_floor_is_above_0_and_at_most_1() {
        assert_eq!(
            refusal(&[("budget = \"1000000\"", "budget = \"1000000\"\npro_rata_floor = \"1.5\"")]),
            "s.toml: pools[0] (main).pro_rata_floor: 1.5 is out of range: it must be above 0 and at most 1 (0.1 = 10%)"
        );
    }

    #[test]
    fn a_pro_rata_floor_is_at_least_one_in_ten_thousand() {
        assert_eq!(
            refusal(&[("budget = \"1000000\"", "budget = \"1000000\"\npro_rata_floor = \"0.00001\"")]),
            "s.toml: pools[0] (main).pro_rata_floor: 0.00001 is too small: the floor must be at least 0.0001 (0.01%), or the pool could commit over 10,000 times its budget"
        );
    }

    #[test]
    fn a_budget_is_an_amount() {
        assert_eq!(
            refusal(&[("budget = \"1000000\"", "budget = \"-5\"")]),
            "s.toml: pools[0] (main).budget: \"-5\" is negative; amounts must be zero or more"
        );
    }

    #[test]
    fn the_pools_together_commit_at_most_the_largest_amount() {
        assert_eq!(
            refusal(&[(
                "budget = \"1000000\"",
                "budget = \"600,000,000,000\"\npro_rata_floor = \"0.5\""
            )]),
            "s.toml: pools: together the pools may commit 1200000000000 yuan; amounts go up to 1,000,000,000,000 yuan (1 万亿元) in all"
        );
    }
}
