//! The domain of a funding round as the committee states it: pools, rounds, rules, scoring,
//! committee decisions and the applications. These are validated values: every reference between
//! them has been checked by the reader, so later stages index them without failing.

use super::money::{Money, Unit};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// A whole scenario: everything needed to allocate one year's rounds.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// A human name, shown in reports.
    pub name: String,
    /// Free text describing where the values come from.
    pub description: String,
    /// Budgets, in the order the file gives them.
    pub pools: Vec<Pool>,
    /// Rounds, in the order the file gives them; rank-and-cut takes them in this order.
    pub rounds: Vec<Round>,
    /// How applications are scored.
    pub scoring: Scoring,
    /// Locks, dependencies and the per-enterprise limit.
    pub committee: Committee,
    /// The applications, sorted by id; shared, since what-ifs copy the scenario to change only the
    /// committee's decisions or the pools (thousands of copies for a reserve list at 10,000).
    pub applications: Arc<Vec<Application>>,
    /// Every input file read, scenario first: named in messages and (later) hashed for audits.
    pub sources: Vec<PathBuf>,
    /// The language the scenario asks human-facing output to use, when it says.
    pub lang: Option<Lang>,
    /// The unit the scenario states its own amounts in (`[scenario] unit`: budgets, caps, fixed
    /// awards); amounts on the command line without a unit of their own are read in it too.
    pub unit: Unit,
    /// The currency of every amount when it is not the yuan (a `.pb` election's `currency`, e.g.
    /// `PLN`); `None` for the yuan (元), the scenario format's only currency.
    pub currency: Option<String>,
    /// What the committee maximizes (`[objective]`; the plain total score by default).
    pub objective: Objective,
    /// What the reader accepted but a user should know about (a `.pb` ballot that lists a
    /// project twice), one line each naming the file; the command line prints them on stderr.
    pub warnings: Vec<String>,
}

/// What the committee maximizes. Either way ties are broken the same: the least total subsidy,
/// then the earliest differing (project, round).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Objective {
    /// The total score of every funded pair (docs/model.md).
    #[default]
    TotalScore,
    /// Round priority: the first listed round's total score is maximized, then, holding it, the
    /// next round's, and so on; then the total score of the rounds not listed. (How 重点扶持 is
    /// often read: key projects are chosen first.) Round indices, in priority order.
    RoundPriority(Vec<usize>),
}

/// Language of human-facing output (tables, explanations, reports). JSON keys stay English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Reads `en` or `zh` (also `zh-CN`, `zh_CN.UTF-8`, `en_US` …); `None` for anything else.
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh_") || t.starts_with("zh-") || t.starts_with("zh.") {
            Some(Lang::Zh)
        } else if t == "en" || t.starts_with("en_") || t.starts_with("en-") || t.starts_with("en.")
        {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language to use: the command line's choice, else the scenario's, else the locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
    pub fn resolve(flag: Option<Lang>, scenario: Option<Lang>) -> Lang {
        flag.or(scenario)
            .or_else(|| {
                ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .filter_map(|k| std::env::var(k).ok())
                    .find(|v| !v.is_empty())
                    .and_then(|v| Lang::parse(&v))
            })
            .unwrap_or_default()
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// A budget from which one or more rounds are paid.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Short id used by rounds (`key`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// The money available.
    pub budget: Money,
    /// Pro-rata mode (等比例核减): the smallest share φ of its amount every funded project must
    /// still receive. `None` means amounts are paid in full.
    pub pro_rata_floor: Option<Decimal>,
}

impl Pool {
    /// The total of rule amounts the pool may commit: its budget, or budget / φ in pro-rata mode
    /// (every amount is then cut by the same share, at least φ).
    pub fn capacity(&self) -> Decimal {
        match self.pro_rata_floor {
            Some(floor) => self.budget.yuan() / floor,
            None => self.budget.yuan(),
        }
    }
}

/// A competitive round: who may enter, how many win, how much each gets.
#[derive(Debug, Clone)]
pub struct Round {
    /// Short id (`major`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Index into [`Scenario::pools`].
    pub pool: usize,
    /// At most this many funded projects.
    pub max_projects: u32,
    /// A floor: at least this many funded projects (the committee's "fund at least k here").
    pub min_projects: Option<u32>,
    /// A floor on the money: the round's funded rule amounts (before any pro-rata scaling) total
    /// at least this much.
    pub min_amount: Option<Money>,
    /// A floor on the round's total score: set by the round-priority objective for the levels it
    /// has proven (see `solve`), never read from a file.
    pub min_score_total: Option<Decimal>,
    /// At most `max` funded projects per value of an attribute.
    pub group_limits: Vec<GroupLimit>,
    /// Conditions a project must meet to enter.
    pub eligibility: Eligibility,
    /// How the subsidy is computed.
    pub subsidy: SubsidyRule,
}

impl Round {
    /// Whether the round states a floor a committee wrote: on projects or on money.
    pub fn has_floor(&self) -> bool {
        self.min_projects.is_some() || self.min_amount.is_some()
    }
}

/// At most `max` funded projects share one value of `attribute` (e.g. one per industry).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GroupLimit {
    /// `industry`, `enterprise`, `jurisdiction` or any extra application column.
    pub attribute: String,
    /// The limit per value.
    pub max: u32,
}

/// Entry conditions of a round; each failing one becomes a reason.
#[derive(Debug, Clone, Default)]
pub struct Eligibility {
    /// Allowed jurisdictions (属地); `None` allows all.
    pub jurisdictions: Option<Vec<String>>,
    /// Allowed industries; `None` allows all.
    pub industries: Option<Vec<String>>,
    /// Flags a project must carry.
    pub require_flags: Vec<String>,
    /// Flags that exclude a project.
    pub exclude_flags: Vec<String>,
    /// Minimum eligible investment.
    pub min_investment: Option<Money>,
    /// Minimum qualifying score.
    pub min_score: Option<Decimal>,
}

/// Which investment amounts count towards a subsidy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvestmentField {
    /// New equipment (新增设备).
    Equipment,
    /// Technology (技术).
    Technology,
    /// Software (软件).
    Software,
}

/// How uplifts combine when a project carries several flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stacking {
    /// Only the largest applicable uplift counts (the policy's reading: "either → +2 pp").
    #[default]
    Max,
    /// Applicable uplifts add up.
    Sum,
}

/// Where the subsidy is rounded, after the cap is applied to the exact product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Whole yuan, half up (the policy's rounding).
    #[default]
    Yuan,
    /// Whole fen, half up.
    Fen,
}

/// A rate uplift for projects carrying a flag.
#[derive(Debug, Clone, PartialEq)]
pub struct Uplift {
    /// The flag (`patent_industrialization`).
    pub flag: String,
    /// Added to the rate (0.02 = 2 percentage points).
    pub rate: Decimal,
}

/// `subsidy = min(cap, (rate + uplift) × eligible investment)` rounded, or a fixed amount.
#[derive(Debug, Clone, Default)]
pub struct SubsidyRule {
    /// Base rate; `None` when the round pays a fixed amount.
    pub rate: Option<Decimal>,
    /// Investment fields that count.
    pub investment: Vec<InvestmentField>,
    /// A fixed award instead of a rate (still subject to the cap).
    pub fixed: Option<Money>,
    /// Per-project cap.
    pub cap: Option<Money>,
    /// Rate uplifts by flag.
    pub uplifts: Vec<Uplift>,
    /// How uplifts combine.
    pub stacking: Stacking,
    /// Where the amount is rounded.
    pub rounding: Rounding,
}

/// Whether more of a criterion is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better.
    #[default]
    Benefit,
    /// Lower is better.
    Cost,
}

/// How raw criterion values become 0–100 points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalization {
    /// The value is already 0–100 (an expert score); cost criteria use 100 − value.
    #[default]
    AsIs,
    /// Linear between the round's lowest (0) and highest (100) value.
    MinMax,
    /// By rank within the round: best 100, worst 0, ties share the better rank.
    Rank,
}

/// One scoring criterion.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// Id used in files (`tech`).
    pub id: String,
    /// Human name, also accepted as a column header (技术先进性).
    pub name: String,
    /// Relative weight; weights are divided by their sum.
    pub weight: Decimal,
    /// Benefit or cost.
    pub direction: Direction,
    /// Normalization.
    pub normalization: Normalization,
    /// Range the committee accepts for the weight (same scale as `weight`), sampled by
    /// `sweep --weights uniform`.
    pub interval: Option<(Decimal, Decimal)>,
    /// The values the criterion can take (`range = [0, 100]` for an expert score); a value
    /// outside it is refused.
    pub range: Option<(Decimal, Decimal)>,
    /// The experts who score it, when a panel does: the value is then their aggregate.
    pub panel: Option<super::Panel>,
}

/// Bonus points for projects carrying a flag.
#[derive(Debug, Clone)]
pub struct Bonus {
    /// The flag.
    pub flag: String,
    /// Points added to the score.
    pub points: Decimal,
}

/// `score = Σ w_c · norm_c + bonus`, rounded to [`crate::rules::SCORE_DP`] decimals.
#[derive(Debug, Clone)]
pub struct Scoring {
    /// The criteria, in file order.
    pub criteria: Vec<Criterion>,
    /// Bonus points by flag (summed).
    pub bonus: Vec<Bonus>,
}

/// A must-fund decision: project `project` is funded in round `round`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// Application index.
    pub project: usize,
    /// Round index.
    pub round: usize,
}

/// A relation between two projects' funding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DependencyKind {
    /// `project` may be funded only if `other` is.
    Requires,
    /// `project` and `other` are not both funded.
    Excludes,
}

/// A dependency between two applications (indices).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// Requires or excludes.
    pub kind: DependencyKind,
    /// The dependent project.
    pub project: usize,
    /// The other project.
    pub other: usize,
}

/// What the committee has already decided.
#[derive(Debug, Clone, Default)]
pub struct Committee {
    /// Must-fund locks.
    pub must_fund: Vec<Lock>,
    /// Excluded projects (application indices).
    pub exclude: BTreeSet<usize>,
    /// Dependencies.
    pub dependencies: Vec<Dependency>,
    /// At most this many funded projects per enterprise.
    pub enterprise_limit: Option<u32>,
}

/// Investment amounts of an application, in yuan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Investment {
    /// New equipment.
    pub equipment: Money,
    /// Technology.
    pub technology: Money,
    /// Software.
    pub software: Money,
}

impl Investment {
    /// The amount of one field.
    pub fn get(&self, field: InvestmentField) -> Money {
        match field {
            InvestmentField::Equipment => self.equipment,
            InvestmentField::Technology => self.technology,
            InvestmentField::Software => self.software,
        }
    }
}

/// One application: a project of an enterprise, entered in one or more rounds.
#[derive(Debug, Clone, Default)]
pub struct Application {
    /// Project id (项目编号), unique.
    pub id: String,
    /// Project name.
    pub name: String,
    /// Enterprise name.
    pub enterprise: String,
    /// Industry (所属产业).
    pub industry: String,
    /// Jurisdiction (属地).
    pub jurisdiction: String,
    /// Round indices applied for, in scenario order.
    pub rounds: Vec<usize>,
    /// Investment amounts.
    pub investment: Investment,
    /// Flags the project carries.
    pub flags: BTreeSet<String>,
    /// Raw criterion values by criterion index; `None` when not given.
    pub criteria: Vec<Option<Decimal>>,
    /// Each panel criterion's expert scores in the panel's order, by criterion index (empty when
    /// the criterion has no panel or the project was not scored); its value in `criteria` is
    /// their aggregate, for display; scoring uses the exact quotient.
    pub panels: Vec<Vec<Decimal>>,
    /// Other attributes (extra columns), usable in group limits.
    pub attributes: BTreeMap<String, String>,
}

impl Application {
    /// The value of an attribute named in a group limit; `None` when the project lacks it.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let value = match name {
            "industry" => self.industry.as_str(),
            "enterprise" => self.enterprise.as_str(),
            "jurisdiction" => self.jurisdiction.as_str(),
            _ => self.attributes.get(name).map(String::as_str)?,
        };
        (!value.is_empty()).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn lang_reads_codes_and_locales() {
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN-us"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), None);
        assert_eq!(Lang::resolve(Some(Lang::En), Some(Lang::Zh)), Lang::En);
        assert_eq!(Lang::resolve(None, Some(Lang::Zh)), Lang::Zh);
    }
}
