//! `[scoring]`: criteria with unique ids, weights that are not negative and not all zero, a
//! sweep interval that contains the weight, a value range that is one, and bounded bonus points.

use super::super::schema::{Num, RawCriterion, RawExperts};
use super::{limits, name_or_id, Validator};
use crate::error::Result;
use crate::scenario::types::{Bonus, Criterion, Scoring};
use crate::scenario::{Panel, MAX_EXPERTS};
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
        self.panels_apart(&criteria)?;
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
        let panel = self.panel(c, at)?;
        Ok(Criterion {
            interval,
            range,
            panel,
            id: c.id.clone(),
            name: name_or_id(&c.name, &c.id),
            weight: self.plausible(c.weight.0, limits::WEIGHT, format!("{at}.weight"))?,
            direction: c.direction,
            normalization: c.normalization,
        })
    }

    /// The criterion's panel: experts and a rule, both or neither, enough experts for the rule.
    fn panel(&self, c: &RawCriterion, at: &str) -> Result<Option<Panel>> {
        let (experts, aggregate) = match (&c.experts, c.aggregate) {
            (None, None) => return Ok(None),
            (Some(e), Some(a)) => (e, a),
            (Some(_), None) => {
                return Err(self.err(
                    format!("{at}.aggregate"),
                    "experts are given without a rule to combine their scores: mean, median or trimmed",
                ))
            }
            (None, Some(_)) => {
                return Err(self.err(
                    format!("{at}.experts"),
                    "an aggregate rule is given without experts: list their columns, or give their number",
                ))
            }
        };
        let experts: Vec<String> = match experts {
            // Capped before the columns are named: the count is checked below.
            RawExperts::Count(n) => (1..=(*n).min(MAX_EXPERTS as u64 + 1))
                .map(|k| format!("专家{k}"))
                .collect(),
            RawExperts::Columns(list) => list.iter().map(|e| e.trim().to_string()).collect(),
        };
        let at = format!("{at}.experts");
        if experts.len() < aggregate.min_experts() {
            return Err(self.err(
                at,
                format!(
                    "the {} rule needs at least {} experts; {} given",
                    aggregate.name(),
                    aggregate.min_experts(),
                    experts.len()
                ),
            ));
        }
        if experts.len() > MAX_EXPERTS {
            return Err(self.err(
                at,
                format!("more than {MAX_EXPERTS} experts; a panel has at most {MAX_EXPERTS}"),
            ));
        }
        let mut seen = BTreeSet::new();
        for e in &experts {
            if e.is_empty() {
                return Err(self.err(at, "an expert's column header is empty"));
            }
            if !seen.insert(e.to_lowercase()) {
                return Err(self.err(at, format!("column {e:?} is listed twice")));
            }
        }
        Ok(Some(Panel { experts, aggregate }))
    }

    /// No column is two things: an expert's column belongs to one panel and is no criterion's name.
    fn panels_apart(&self, criteria: &[Criterion]) -> Result<()> {
        let mut owner: std::collections::BTreeMap<String, &str> = Default::default();
        for (i, c) in criteria.iter().enumerate() {
            for e in c.panel.iter().flat_map(|p| &p.experts) {
                let key = e.to_lowercase();
                let at = format!("scoring.criteria[{i}] ({}).experts", c.id);
                if let Some(other) = criteria
                    .iter()
                    .find(|o| o.id.to_lowercase() == key || o.name.to_lowercase() == key)
                {
                    return Err(self.err(
                        at,
                        format!("column {e:?} is also criterion {}'s name", other.id),
                    ));
                }
                if let Some(first) = owner.insert(key, &c.id) {
                    return Err(self.err(
                        at,
                        format!("column {e:?} is already an expert of criterion {first}; give each panel its own columns (experts = [\"…\"])"),
                    ));
                }
            }
        }
        Ok(())
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
