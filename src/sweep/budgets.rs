//! Budget envelopes: grids over one or more pools' budgets. The sweep takes the product of the
//! grids (the first `--budget` varies slowest) and crosses it with the weight samples.

use crate::error::{Error, Result};
use crate::scenario::{Money, Scenario};

/// One pool's grid: `pool=low..high:step`, inclusive of both ends when the step reaches `high`.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetAxis {
    /// Index of the pool in the scenario.
    pub pool: usize,
    /// The budgets, ascending.
    pub values: Vec<Money>,
}

/// Most points one axis may have.
const MAX_POINTS: usize = 100_000;

impl BudgetAxis {
    /// Reads `key=20000000..40000000:2000000` or a single value `key=35000000`: amounts in the
    /// scenario's unit (its `[scenario] unit`, like `--set pools.key.budget=…`) unless one names
    /// its own (`key=2000万..4000万:200万`, `5000000元`, `500 wan`); thousands separators allowed.
    pub fn parse(text: &str, scenario: &Scenario) -> Result<BudgetAxis> {
        let bad = |what: String| Error::Input(format!("--budget {text}: {what}"));
        let (id, range) = text.split_once('=').ok_or_else(|| {
            bad("write pool=low..high:step, e.g. key=20000000..40000000:2000000".into())
        })?;
        let pool = scenario
            .pools
            .iter()
            .position(|p| p.id == id.trim())
            .ok_or_else(|| {
                bad(format!(
                    "{:?} is not a pool (pools: {})",
                    id.trim(),
                    scenario
                        .pools
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        let money = |s: &str| Money::parse(s.trim(), scenario.unit).map_err(&bad);
        let values = match range.split_once("..") {
            None => vec![money(range)?],
            Some((low, rest)) => {
                let (high, step) = rest
                    .split_once(':')
                    .ok_or_else(|| bad("a range needs a step: low..high:step".into()))?;
                let (low, high, step) = (money(low)?, money(high)?, money(step)?);
                if low > high {
                    return Err(bad("low is above high".into()));
                }
                if step.yuan() <= rust_decimal::Decimal::ZERO {
                    return Err(bad("the step must be above 0".into()));
                }
                let count = ((high.yuan() - low.yuan()) / step.yuan()).floor();
                if count >= rust_decimal::Decimal::from(MAX_POINTS) {
                    return Err(bad(format!("more than {MAX_POINTS} budgets")));
                }
                let mut values = Vec::new();
                let mut v = low.yuan();
                while v <= high.yuan() {
                    values.push(Money::from_yuan(v));
                    v += step.yuan();
                }
                values
            }
        };
        if values.iter().any(|v| v.yuan().is_sign_negative()) {
            return Err(bad("a budget cannot be negative".into()));
        }
        Ok(BudgetAxis { pool, values })
    }
}

/// The product of the axes: point `i` sets each axis's pool to one of its values.
#[derive(Debug, Clone, Default)]
pub struct BudgetGrid {
    /// The axes, first varying slowest.
    pub axes: Vec<BudgetAxis>,
}

impl BudgetGrid {
    /// A grid; a pool may appear on one axis only.
    pub fn new(axes: Vec<BudgetAxis>, scenario: &Scenario) -> Result<BudgetGrid> {
        for (i, a) in axes.iter().enumerate() {
            if axes[..i].iter().any(|b| b.pool == a.pool) {
                return Err(Error::Input(format!(
                    "--budget: pool {:?} is given twice",
                    scenario.pools[a.pool].id
                )));
            }
        }
        Ok(BudgetGrid { axes })
    }

    /// Number of points (1 when no pool varies).
    pub fn count(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// Every pool's budget at point `index` (pools not on an axis keep the scenario's budget).
    pub fn budgets(&self, scenario: &Scenario, index: usize) -> Vec<Money> {
        let mut out: Vec<Money> = scenario.pools.iter().map(|p| p.budget).collect();
        let mut rest = index;
        for a in self.axes.iter().rev() {
            out[a.pool] = a.values[rest % a.values.len()];
            rest /= a.values.len();
        }
        out
    }

    /// The point whose budgets are the scenario's own, if the grid has one.
    pub fn base_point(&self, scenario: &Scenario) -> Option<usize> {
        let base: Vec<Money> = scenario.pools.iter().map(|p| p.budget).collect();
        (0..self.count()).find(|&i| self.budgets(scenario, i) == base)
    }

    /// The previous point along `axis` (same budgets elsewhere), for marginal values.
    pub fn previous(&self, index: usize, axis: usize) -> Option<usize> {
        let stride: usize = self.axes[axis + 1..]
            .iter()
            .map(|a| a.values.len())
            .product();
        let position = (index / stride) % self.axes[axis].values.len();
        (position > 0).then(|| index - stride)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_default;

    #[test]
    fn grids_are_inclusive_and_ordered() {
        let s = load_default().unwrap();
        let a = BudgetAxis::parse("key=20000000..40000000:2000000", &s).unwrap();
        assert_eq!(a.values.len(), 11);
        assert_eq!(a.values[10].yuan(), rust_decimal::Decimal::from(40_000_000));
        let b = BudgetAxis::parse("upgrade=9,000,000..11,000,000:1,000,000", &s).unwrap();
        let grid = BudgetGrid::new(vec![a, b], &s).unwrap();
        assert_eq!(grid.count(), 33);
        let p = grid.budgets(&s, 4);
        assert_eq!(p[0].yuan(), rust_decimal::Decimal::from(22_000_000));
        assert_eq!(p[1].yuan(), rust_decimal::Decimal::from(10_000_000));
        assert_eq!(grid.previous(4, 0), Some(1));
        assert_eq!(grid.previous(4, 1), Some(3));
        assert_eq!(grid.previous(1, 0), None);
        assert_eq!(grid.base_point(&s), Some(5 * 3 + 1));
    }

    #[test]
    fn amounts_are_in_the_scenarios_unit_unless_they_name_their_own() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/commerce-2019");
        let s = crate::scenario::load(std::path::Path::new(path)).unwrap();
        let yuan = |a: &BudgetAxis| -> Vec<rust_decimal::Decimal> {
            a.values.iter().map(|m| m.yuan()).collect()
        };
        let wan = BudgetAxis::parse("platform=400..600:100", &s).unwrap();
        let spelled = BudgetAxis::parse("platform=400万..6,000,000元:100 wan", &s).unwrap();
        let expected: Vec<rust_decimal::Decimal> =
            [4_000_000, 5_000_000, 6_000_000].map(Into::into).to_vec();
        assert_eq!(yuan(&wan), expected);
        assert_eq!(yuan(&spelled), expected);
        let default = load_default().unwrap();
        let a = BudgetAxis::parse("key=30000000", &default).unwrap();
        assert_eq!(yuan(&a), vec![rust_decimal::Decimal::from(30_000_000)]);
    }

    #[test]
    fn bad_grids_are_refused() {
        let s = load_default().unwrap();
        for bad in [
            "key",
            "nope=1",
            "key=5..1:1",
            "key=1..5",
            "key=1..5:0",
            "key=-5",
        ] {
            assert!(BudgetAxis::parse(bad, &s).is_err(), "{bad}");
        }
    }
}
