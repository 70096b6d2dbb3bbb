//! `[[rounds]]`: unique ids, a pool that exists, group limits on a named attribute, eligibility
//! thresholds, and a subsidy rule that is either a rate (with uplifts that keep it within the
//! whole investment) or a fixed amount.

use super::super::schema::{RawEligibility, RawRound, RawSubsidy};
use super::{limits, listed, name_or_id, Validator};
use crate::error::Result;
use crate::scenario::money::{Amount, Money};
use crate::scenario::types::{Eligibility, Round, Stacking, SubsidyRule, Uplift};
use rust_decimal::Decimal;
use std::collections::HashMap;

impl Validator<'_> {
    /// The rounds, and the index of each by id (for the committee's references).
    pub(super) fn rounds(
        &self,
        pool_index: &HashMap<String, usize>,
    ) -> Result<(Vec<Round>, HashMap<String, usize>)> {
        let mut rounds = Vec::new();
        let mut round_index: HashMap<String, usize> = HashMap::new();
        if self.raw.rounds.is_empty() {
            return Err(self.err("rounds", "at least one round is needed"));
        }
        for (i, r) in self.raw.rounds.iter().enumerate() {
            let at = format!("rounds[{i}] ({})", r.id);
            if round_index.insert(r.id.clone(), i).is_some() {
                return Err(self.err(at, format!("round id {:?} is used twice", r.id)));
            }
            rounds.push(self.round(r, &at, pool_index)?);
        }
        Ok((rounds, round_index))
    }

    fn round(&self, r: &RawRound, at: &str, pool_index: &HashMap<String, usize>) -> Result<Round> {
        let pool = *pool_index.get(&r.pool).ok_or_else(|| {
            self.err(
                format!("{at}.pool"),
                format!(
                    "{:?} is not a pool (pools: {})",
                    r.pool,
                    listed(self.raw.pools.iter().map(|p| p.id.as_str()))
                ),
            )
        })?;
        for (g, limit) in r.group_limits.iter().enumerate() {
            if limit.attribute.trim().is_empty() {
                return Err(self.err(format!("{at}.group_limits[{g}].attribute"), "is empty"));
            }
        }
        if let Some(min) = r.min_projects.filter(|&min| min > r.max_projects) {
            return Err(self.err(
                format!("{at}.min_projects"),
                format!(
                    "{min} is more than the round's max_projects ({})",
                    r.max_projects
                ),
            ));
        }
        let min_amount = self.opt_money(&r.min_amount, at, "min_amount")?;
        let s = &r.subsidy;
        let (rate, uplifts) = self.rates(s, at)?;
        let eligibility = self.eligibility(&r.eligibility, at)?;
        Ok(Round {
            id: r.id.clone(),
            name: name_or_id(&r.name, &r.id),
            pool,
            max_projects: r.max_projects,
            // A floor of 0 asks nothing: it is no floor.
            min_projects: r.min_projects.filter(|&min| min > 0),
            min_amount: min_amount.filter(|m| !m.yuan().is_zero()),
            min_score_total: None,
            group_limits: r.group_limits.clone(),
            eligibility,
            subsidy: SubsidyRule {
                rate,
                investment: s.investment.clone(),
                fixed: self.opt_money(&s.fixed, at, "subsidy.fixed")?,
                cap: self.opt_money(&s.cap, at, "subsidy.cap")?,
                uplifts,
                stacking: s.stacking,
                rounding: s.rounding,
            },
        })
    }

    /// The subsidy's rate and uplifts, checked before any of the round's amounts.
    fn rates(&self, s: &RawSubsidy, at: &str) -> Result<(Option<Decimal>, Vec<Uplift>)> {
        if s.rate.is_some() == s.fixed.is_some() {
            return Err(self.err(
                format!("{at}.subsidy"),
                "needs either a rate or a fixed amount (not both)",
            ));
        }
        let rate = match s.rate {
            Some(n) => Some(self.share(n.0, format!("{at}.subsidy.rate"), false)?),
            None => None,
        };
        let mut uplifts = Vec::new();
        for (u, up) in s.uplifts.iter().enumerate() {
            uplifts.push(Uplift {
                flag: up.flag.clone(),
                rate: self.share(up.rate.0, format!("{at}.subsidy.uplifts[{u}].rate"), false)?,
            });
        }
        if let Some(rate) = rate {
            let rates = uplifts.iter().map(|u| u.rate);
            let uplift = match s.stacking {
                Stacking::Max => rates.max().unwrap_or(Decimal::ZERO),
                Stacking::Sum => rates.sum(),
            };
            if rate + uplift > Decimal::ONE {
                return Err(self.err(
                    format!("{at}.subsidy"),
                    format!(
                        "the rate {rate} plus uplifts of up to {uplift} comes to {}, more than the whole investment (0.1 = 10%)",
                        rate + uplift
                    ),
                ));
            }
        }
        if s.investment.is_empty() && s.fixed.is_none() {
            return Err(self.err(
                format!("{at}.subsidy.investment"),
                "names no investment field",
            ));
        }
        Ok((rate, uplifts))
    }

    /// The round's eligibility; its qualifying score defaults to `[scoring] min_score`.
    fn eligibility(&self, e: &RawEligibility, at: &str) -> Result<Eligibility> {
        Ok(Eligibility {
            jurisdictions: e.jurisdictions.clone(),
            industries: e.industries.clone(),
            require_flags: e.require_flags.clone(),
            exclude_flags: e.exclude_flags.clone(),
            min_investment: self.opt_money(&e.min_investment, at, "eligibility.min_investment")?,
            min_score: e
                .min_score
                .or(self.raw.scoring.min_score)
                .map(|n| self.plausible(n.0, limits::SCORE, format!("{at}.eligibility.min_score")))
                .transpose()?,
        })
    }

    /// An optional amount of the scenario file, at `{at}.{key}`.
    fn opt_money(&self, a: &Option<Amount>, at: &str, key: &str) -> Result<Option<Money>> {
        a.as_ref()
            .map(|a| self.money(a, self.raw.scenario.unit, format!("{at}.{key}")))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::refusal;

    /// The only round's table and its subsidy's rate, as the minimal scenario writes them.
    const ROUND: &str = "[[rounds]]\nid = \"big\"\npool = \"main\"\nmax_projects = 2\n\n[rounds.subsidy]\nrate = \"0.1\"\n";
    const RATE: &str = "rate = \"0.1\"";

    #[test]
    fn at_least_one_round_is_needed() {
        assert_eq!(
            refusal(&[(ROUND, ""), ("[[pools]]", "rounds = []\n\n[[pools]]")]),
            "s.toml: rounds: at least one round is needed"
        );
    }

    #[test]
    fn a_round_id_is_used_once() {
        assert_eq!(
            refusal(&[(ROUND, &format!("{ROUND}\n{ROUND}"))]),
            "s.toml: rounds[1] (big): round id \"big\" is used twice"
        );
    }

    #[test]
    fn a_round_draws_on_a_pool_that_exists() {
        assert_eq!(
            refusal(&[("pool = \"main\"", "pool = \"side\"")]),
            "s.toml: rounds[0] (big).pool: \"side\" is not a pool (pools: main)"
        );
    }

    #[test]
    fn a_group_limit_names_an_attribute() {
        assert_eq!(
            refusal(&[(
                "max_projects = 2\n",
                "max_projects = 2\ngroup_limits = [{ attribute = \" \", max = 1 }]\n"
            )]),
            "s.toml: rounds[0] (big).group_limits[0].attribute: is empty"
        );
    }

    #[test]
    fn round_priority_names_rounds_once() {
        let with = |objective: &str| {
            refusal(&[(
                "[committee]\n",
                &format!("[committee]\n\n[objective]\n{objective}\n"),
            )])
        };
        assert_eq!(
            with("kind = \"round_priority\""),
            "s.toml: objective.order: round priority needs the rounds in order, e.g. order = [\"intelligent\", \"major\"]"
        );
        assert_eq!(
            with("kind = \"round_priority\"\norder = [\"small\"]"),
            "s.toml: objective.order[0]: \"small\" is not a round (rounds: big)"
        );
        assert_eq!(
            with("kind = \"round_priority\"\norder = [\"big\", \"big\"]"),
            "s.toml: objective.order[1]: round \"big\" is listed twice"
        );
        assert_eq!(
            with("kind = \"total_score\"\norder = [\"big\"]"),
            "s.toml: objective.order: is for kind = \"round_priority\"; the total score has no order"
        );
    }

    #[test]
    fn a_floor_stays_within_the_round_size() {
        assert_eq!(
            refusal(&[("max_projects = 2\n", "max_projects = 2\nmin_projects = 3\n")]),
            "s.toml: rounds[0] (big).min_projects: 3 is more than the round's max_projects (2)"
        );
        assert_eq!(
            refusal(&[(
                "max_projects = 2\n",
                "max_projects = 2\nmin_amount = \"-1\"\n"
            )]),
            "s.toml: rounds[0] (big).min_amount: \"-1\" is negative; amounts must be zero or more"
        );
    }

    #[test]
    fn a_subsidy_is_a_rate_or_a_fixed_amount() {
        let needs =
            "s.toml: rounds[0] (big).subsidy: needs either a rate or a fixed amount (not both)";
        assert_eq!(
            refusal(&[(RATE, "fixed = \"5000\"\nrate = \"0.1\"")]),
            needs
        );
        assert_eq!(refusal(&[(RATE, "stacking = \"max\"")]), needs);
    }

    #[test]
    fn a_rate_is_between_0_and_1() {
        assert_eq!(
            refusal(&[(RATE, "rate = \"150%\"")]),
            "s.toml: rounds[0] (big).subsidy.rate: 1.5 is out of range: it must be between 0 and 1 (0.1 = 10%)"
        );
    }

    #[test]
    fn an_uplift_rate_is_between_0_and_1() {
        assert_eq!(
            refusal(&[(RATE, "rate = \"0.1\"\nuplifts = [{ flag = \"patent\", rate = \"-0.1\" }]")]),
            "s.toml: rounds[0] (big).subsidy.uplifts[0].rate: -0.1 is out of range: it must be between 0 and 1 (0.1 = 10%)"
        );
    }

    #[test]
    fn a_rate_with_its_uplifts_stays_within_the_whole_investment() {
        assert_eq!(
            refusal(&[(
                RATE,
                "rate = \"0.9\"\nstacking = \"sum\"\nuplifts = [{ flag = \"a\", rate = \"0.1\" }, { flag = \"b\", rate = \"0.05\" }]"
            )]),
            "s.toml: rounds[0] (big).subsidy: the rate 0.9 plus uplifts of up to 0.15 comes to 1.05, more than the whole investment (0.1 = 10%)"
        );
    }

    #[test]
    fn a_rate_applies_to_some_investment() {
        assert_eq!(
            refusal(&[(RATE, "rate = \"0.1\"\ninvestment = []")]),
            "s.toml: rounds[0] (big).subsidy.investment: names no investment field"
        );
    }

    #[test]
    fn a_minimum_investment_is_an_amount() {
        assert_eq!(
            refusal(&[(
                "max_projects = 2\n",
                "max_projects = 2\neligibility = { min_investment = \"0.001\" }\n"
            )]),
            "s.toml: rounds[0] (big).eligibility.min_investment: \"0.001\" is finer than one fen (0.01 yuan)"
        );
    }

    #[test]
    fn a_qualifying_score_is_within_a_million_points() {
        assert_eq!(
            refusal(&[(
                "max_projects = 2\n",
                "max_projects = 2\neligibility = { min_score = \"2e6\" }\n"
            )]),
            "s.toml: rounds[0] (big).eligibility.min_score: 2000000 is out of range: it must be within ±1,000,000"
        );
        // The scoring's qualifying score is checked where each round takes it.
        assert_eq!(
            refusal(&[("[scoring]\n", "[scoring]\nmin_score = -2000000\n")]),
            "s.toml: rounds[0] (big).eligibility.min_score: -2000000 is out of range: it must be within ±1,000,000"
        );
    }

    #[test]
    fn a_fixed_award_is_an_amount() {
        assert_eq!(
            refusal(&[(RATE, "fixed = \"2e12\"")]),
            "s.toml: rounds[0] (big).subsidy.fixed: \"2000000000000\" is too large: amounts go up to 1,000,000,000,000 yuan (1 万亿元)"
        );
    }

    #[test]
    fn a_cap_is_an_amount() {
        assert_eq!(
            refusal(&[(RATE, "rate = \"0.1\"\ncap = \"-1\"")]),
            "s.toml: rounds[0] (big).subsidy.cap: \"-1\" is negative; amounts must be zero or more"
        );
    }
}
