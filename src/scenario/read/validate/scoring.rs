//! `[scoring]`: criteria with unique ids, weights that are not negative and not all zero, a
//! sweep interval that contains the weight, a value range that is one, and bounded bonus points.

use super::super::schema::{Num, RawCriterion};
use super::{limits, name_or_id, Validator};
use crate::error::Result;
use crate::scenario::types::{Bonus, Criterion, Scoring};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

impl Validator<'_> {
    pub(super) fn scoring(&self) -> Result<Scoring> {
        let raw = &self.raw.scoring;
        if raw.criteria.is_empty() {
            return Err(self.err("scoring.criteria", "at least one criterion is needed"));
        }
        let mut seen = BTreeSet::new();
        let mut criteria = Vec::new();
        for (i, c) in raw.criteria.iter().enumerate() {
            let at = format!("scoring.criteria[{i}] ({})", c.id);
            if !seen.insert(c.id.clone()) {
                return Err(self.err(at, format!("criterion id {:?} is used twice", c.id)));
            }
            criteria.push(self.criterion(c, &at)?);
        }
        let total: Decimal = criteria.iter().map(|c| c.weight).sum();
        if total <= Decimal::ZERO {
            return Err(self.err(
                "scoring.criteria",
                "the weights sum to 0; at least one weight must be positive",
            ));
        }
        let bonus = raw
            .bonus
            .iter()
            .enumerate()
            .map(|(i, b)| {
                Ok(Bonus {
                    flag: b.flag.clone(),
                    points: self.plausible(
                        b.points.0,
                        limits::BONUS,
                        format!("scoring.bonus[{i}].points"),
                    )?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Scoring { criteria, bonus })
    }

    fn criterion(&self, c: &RawCriterion, at: &str) -> Result<Criterion> {
        if c.weight.0.is_sign_negative() && !c.weight.0.is_zero() {
            return Err(self.err(
                format!("{at}.weight"),
                format!("{} is negative; weights must be zero or more", c.weight.0),
            ));
        }
        let interval = match &c.interval {
            None => None,
            Some(bounds) => Some(self.interval(bounds, c.weight.0, at)?),
        };
        let range = match &c.range {
            None => None,
            Some(bounds) => Some(self.range(bounds, at)?),
        };
        Ok(Criterion {
            interval,
            range,
            id: c.id.clone(),
            name: name_or_id(&c.name, &c.id),
            weight: self.plausible(c.weight.0, limits::WEIGHT, format!("{at}.weight"))?,
            direction: c.direction,
            normalization: c.normalization,
        })
    }

    /// The weights a sweep may try: a range of weights that holds the criterion's own.
    fn interval(
        &self,
        [lo, hi]: &[Num; 2],
        weight: Decimal,
        at: &str,
    ) -> Result<(Decimal, Decimal)> {
        if lo.0.is_sign_negative() && !lo.0.is_zero() || lo.0 > hi.0 {
            return Err(self.err(
                format!("{at}.interval"),
                format!(
                    "[{}, {}] is not a range of weights: it needs 0 <= low <= high",
                    lo.0, hi.0
                ),
            ));
        }
        if weight < lo.0 || weight > hi.0 {
            return Err(self.err(
                format!("{at}.interval"),
                format!("[{}, {}] does not contain the weight {weight}", lo.0, hi.0),
            ));
        }
        Ok((lo.0, hi.0))
    }

    /// The values the criterion can take: bounded, low before high.
    fn range(&self, [lo, hi]: &[Num; 2], at: &str) -> Result<(Decimal, Decimal)> {
        let lo = self.plausible(lo.0, limits::CRITERION, format!("{at}.range"))?;
        let hi = self.plausible(hi.0, limits::CRITERION, format!("{at}.range"))?;
        if lo > hi {
            return Err(self.err(
                format!("{at}.range"),
                format!("[{lo}, {hi}] is not a range: it needs low <= high"),
            ));
        }
        Ok((lo, hi))
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::refusal;

    const CRITERIA: &str = "criteria = [{ id = \"quality\", weight = 1 }]";

    /// The only criterion with `keys` written after its weight.
    fn criterion(keys: &str) -> String {
        format!("criteria = [{{ id = \"quality\", weight = 1, {keys} }}]")
    }

    #[test]
    fn at_least_one_criterion_is_needed() {
        assert_eq!(
            refusal(&[(CRITERIA, "criteria = []")]),
            "s.toml: scoring.criteria: at least one criterion is needed"
        );
    }

    #[test]
    fn a_criterion_id_is_used_once() {
        assert_eq!(
            refusal(&[(
                CRITERIA,
                "criteria = [{ id = \"quality\", weight = 1 }, { id = \"quality\", weight = 2 }]"
            )]),
            "s.toml: scoring.criteria[1] (quality): criterion id \"quality\" is used twice"
        );
    }

    #[test]
    fn a_weight_is_not_negative() {
        assert_eq!(
            refusal(&[("weight = 1", "weight = -1")]),
            "s.toml: scoring.criteria[0] (quality).weight: -1 is negative; weights must be zero or more"
        );
    }

    #[test]
    fn an_interval_is_a_range_of_weights() {
        for (interval, shown) in [("[2, 1]", "[2, 1]"), ("[-1, 2]", "[-1, 2]")] {
            assert_eq!(
                refusal(&[(CRITERIA, &criterion(&format!("interval = {interval}")))]),
                format!("s.toml: scoring.criteria[0] (quality).interval: {shown} is not a range of weights: it needs 0 <= low <= high")
            );
        }
    }

    #[test]
    fn an_interval_contains_the_weight() {
        assert_eq!(
            refusal(&[(CRITERIA, &criterion("interval = [2, 3]"))]),
            "s.toml: scoring.criteria[0] (quality).interval: [2, 3] does not contain the weight 1"
        );
    }

    #[test]
    fn a_range_is_within_a_million_million() {
        assert_eq!(
            refusal(&[(CRITERIA, &criterion("range = [0, \"2e12\"]"))]),
            "s.toml: scoring.criteria[0] (quality).range: 2000000000000 is out of range: it must be within ±1,000,000,000,000"
        );
    }

    #[test]
    fn a_range_runs_from_low_to_high() {
        assert_eq!(
            refusal(&[(CRITERIA, &criterion("range = [100, 0]"))]),
            "s.toml: scoring.criteria[0] (quality).range: [100, 0] is not a range: it needs low <= high"
        );
    }

    #[test]
    fn a_weight_is_within_a_thousand_million() {
        assert_eq!(
            refusal(&[("weight = 1", "weight = \"1e10\"")]),
            "s.toml: scoring.criteria[0] (quality).weight: 10000000000 is out of range: it must be within ±1,000,000,000"
        );
    }

    #[test]
    fn some_weight_is_positive() {
        assert_eq!(
            refusal(&[("weight = 1", "weight = 0")]),
            "s.toml: scoring.criteria: the weights sum to 0; at least one weight must be positive"
        );
    }

    #[test]
    fn bonus_points_are_within_ten_thousand() {
        assert_eq!(
            refusal(&[(
                "[scoring]\n",
                "[scoring]\nbonus = [{ flag = \"patent\", points = 20000 }]\n"
            )]),
            "s.toml: scoring.bonus[0].points: 20000 is out of range: it must be within ±10,000"
        );
    }
}
