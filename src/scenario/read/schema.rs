//! The raw shapes serde reads a scenario file into, TOML and JSON alike: every key the format
//! documents and nothing else (`deny_unknown_fields`), before any reference is resolved or any
//! value is checked. Validation (`validate/`) turns them into the domain types.

use crate::scenario::applications::RawApplication;
use crate::scenario::money::{Amount, Unit};
use crate::scenario::types::*;
use crate::scenario::Aggregate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::str::FromStr;

/// A number that is not money (a rate, a weight, points): a string, an integer, or a float
/// read back through its shortest decimal form (what the user typed).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(pub Decimal);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Num, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Num, E> {
                Decimal::from_str(&v.to_string())
                    .map(Num)
                    .map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Num, E> {
                let t = v.trim();
                let (t, scale) = match t.strip_suffix('%') {
                    Some(p) => (p.trim(), Decimal::new(1, 2)),
                    None => (t, Decimal::ONE),
                };
                Decimal::from_str(t)
                    .map(|d| Num(d * scale))
                    .map_err(|_| E::custom(format!("{v:?} is not a number")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a scenario (a table of [scenario], [[pools]], [[rounds]], [scoring], [committee], [objective], [applications])"
)]
pub(super) struct RawScenario {
    #[serde(default)]
    pub(super) scenario: RawMeta,
    pub(super) pools: Vec<RawPool>,
    pub(super) rounds: Vec<RawRound>,
    pub(super) scoring: RawScoring,
    #[serde(default)]
    pub(super) committee: RawCommittee,
    pub(super) objective: Option<RawObjective>,
    pub(super) applications: RawApplications,
}

/// `[objective]`: `kind = "total_score"` (the default) or `"round_priority"` with `order`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "an [objective] table")]
pub(super) struct RawObjective {
    pub(super) kind: RawObjectiveKind,
    #[serde(default)]
    pub(super) order: Vec<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(super) enum RawObjectiveKind {
    TotalScore,
    RoundPriority,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a [scenario] table")]
pub(super) struct RawMeta {
    #[serde(default)]
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: String,
    /// Unit of the scenario file's own amounts (budgets, caps, fixed awards).
    #[serde(default)]
    pub(super) unit: Unit,
    /// Preferred language of human-facing output (`zh` or `en`).
    #[serde(default)]
    pub(super) lang: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a pool table")]
pub(super) struct RawPool {
    pub(super) id: String,
    #[serde(default)]
    pub(super) name: String,
    pub(super) budget: Amount,
    pub(super) pro_rata_floor: Option<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a round table")]
pub(super) struct RawRound {
    pub(super) id: String,
    #[serde(default)]
    pub(super) name: String,
    pub(super) pool: String,
    pub(super) max_projects: u32,
    pub(super) min_projects: Option<u32>,
    pub(super) min_amount: Option<Amount>,
    #[serde(default)]
    pub(super) group_limits: Vec<GroupLimit>,
    #[serde(default)]
    pub(super) eligibility: RawEligibility,
    pub(super) subsidy: RawSubsidy,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "an eligibility table")]
pub(super) struct RawEligibility {
    pub(super) jurisdictions: Option<Vec<String>>,
    pub(super) industries: Option<Vec<String>>,
    #[serde(default)]
    pub(super) require_flags: Vec<String>,
    #[serde(default)]
    pub(super) exclude_flags: Vec<String>,
    pub(super) min_investment: Option<Amount>,
    pub(super) min_score: Option<Num>,
}

fn all_fields() -> Vec<InvestmentField> {
    vec![
        InvestmentField::Equipment,
        InvestmentField::Technology,
        InvestmentField::Software,
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a subsidy table")]
pub(super) struct RawSubsidy {
    pub(super) rate: Option<Num>,
    #[serde(default = "all_fields")]
    pub(super) investment: Vec<InvestmentField>,
    pub(super) fixed: Option<Amount>,
    pub(super) cap: Option<Amount>,
    #[serde(default)]
    pub(super) uplifts: Vec<RawUplift>,
    #[serde(default)]
    pub(super) stacking: Stacking,
    #[serde(default)]
    pub(super) rounding: Rounding,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "an uplift table { flag, rate }")]
pub(super) struct RawUplift {
    pub(super) flag: String,
    pub(super) rate: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a [scoring] table")]
pub(super) struct RawScoring {
    pub(super) criteria: Vec<RawCriterion>,
    /// Qualifying score for every round that does not set its own.
    pub(super) min_score: Option<Num>,
    #[serde(default)]
    pub(super) bonus: Vec<RawBonus>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a criterion table { id, weight, … }")]
pub(super) struct RawCriterion {
    pub(super) id: String,
    #[serde(default)]
    pub(super) name: String,
    pub(super) weight: Num,
    #[serde(default)]
    pub(super) direction: Direction,
    #[serde(default)]
    pub(super) normalization: Normalization,
    /// `[low, high]`: the weights the committee accepts, for sensitivity sweeps.
    pub(super) interval: Option<[Num; 2]>,
    /// `[low, high]`: the values the criterion can take (an expert score: [0, 100]).
    pub(super) range: Option<[Num; 2]>,
    /// The columns of the experts who score it (`["专家1", "专家2", …]`), or their number
    /// (`7`: columns `专家1` … `专家7`).
    pub(super) experts: Option<RawExperts>,
    /// How the experts' scores are combined: `mean`, `median` or `trimmed`.
    pub(super) aggregate: Option<Aggregate>,
}

/// A panel's experts: their columns, or how many (`专家1` … `专家N`).
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a list of column headers, or the number of experts (columns 专家1 … 专家N)"
)]
pub(super) enum RawExperts {
    Count(u64),
    Columns(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a bonus table { flag, points }")]
pub(super) struct RawBonus {
    pub(super) flag: String,
    pub(super) points: Num,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, expecting = "a [committee] table")]
pub(super) struct RawCommittee {
    #[serde(default)]
    pub(super) must_fund: Vec<RawLock>,
    #[serde(default)]
    pub(super) exclude: Vec<String>,
    #[serde(default)]
    pub(super) dependencies: Vec<RawDependency>,
    pub(super) enterprise_limit: Option<u32>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a must-fund entry { project, round }"
)]
pub(super) struct RawLock {
    pub(super) project: String,
    pub(super) round: String,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a dependency { kind, project, other }"
)]
pub(super) struct RawDependency {
    pub(super) kind: DependencyKind,
    pub(super) project: String,
    pub(super) other: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "an [applications] table")]
pub(super) struct RawApplications {
    pub(super) file: Option<String>,
    /// The sheet of a workbook `file` (default: the first).
    pub(super) sheet: Option<String>,
    #[serde(default)]
    pub(super) unit: Unit,
    #[serde(default)]
    pub(super) projects: Vec<RawApplication>,
}
