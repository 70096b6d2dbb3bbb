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
