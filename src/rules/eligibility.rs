//! Entry conditions of a round. Every failing condition is kept, not just the first, so a planner
//! can tell an applicant everything at once.

use super::subsidy::eligible_investment;
use crate::scenario::{Application, Lang, Money, Round, Scoring};
use rust_decimal::Decimal;
use std::fmt;

/// Why a project cannot be funded in a round.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The jurisdiction (属地) is not one the round serves.
    Jurisdiction {
        /// The project's jurisdiction.
        value: String,
        /// The round's allowed jurisdictions.
        allowed: Vec<String>,
    },
    /// The industry is not one of the round's industries.
    Industry {
        /// The project's industry.
        value: String,
        /// The round's allowed industries.
        allowed: Vec<String>,
    },
    /// A required flag is missing.
    MissingFlag(String),
    /// A flag that excludes the project is present.
    ExcludedFlag(String),
    /// The eligible investment is below the round's minimum.
    BelowMinInvestment {
        /// The project's eligible investment.
        investment: Money,
        /// The minimum.
        min: Money,
    },
    /// The rule gives no money (no eligible investment).
    NoSubsidy,
    /// A criterion has no value.
    MissingCriterion(String),
    /// The score is below the qualifying score.
    BelowQualifyingScore {
        /// The project's score.
        score: Decimal,
        /// The qualifying score.
        min: Decimal,
    },
}

impl Reason {
    /// The reason in words, in English or Chinese (the JSON certificate uses English).
    pub fn text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            Reason::Jurisdiction { value, allowed } if zh => {
                format!(
                    "属地 {value:?} 不在本轮范围内（仅限 {}）",
                    allowed.join("、")
                )
            }
            Reason::Jurisdiction { value, allowed } => format!(
                "jurisdiction {value:?} is not served by this round (only {})",
                allowed.join(", ")
            ),
            Reason::Industry { value, allowed } if zh => {
                format!(
                    "产业 {value:?} 不在本轮产业范围内（{}）",
                    allowed.join("、")
                )
            }
            Reason::Industry { value, allowed } => format!(
                "industry {value:?} is not one of the round's industries ({})",
                allowed.join(", ")
            ),
            Reason::MissingFlag(flag) if zh => format!("缺少必备条件 {flag}"),
            Reason::MissingFlag(flag) => format!("lacks the required flag {flag}"),
            Reason::ExcludedFlag(flag) if zh => format!("因 {flag} 被排除"),
            Reason::ExcludedFlag(flag) => format!("excluded by flag {flag}"),
            Reason::BelowMinInvestment { investment, min } if zh => {
                format!(
                    "符合条件的投资 {} 元低于最低要求 {} 元",
                    investment.grouped(),
                    min.grouped()
                )
            }
            Reason::BelowMinInvestment { investment, min } => {
                format!(
                    "eligible investment {} yuan is below the minimum {} yuan",
                    investment.grouped(),
                    min.grouped()
                )
            }
            Reason::NoSubsidy if zh => {
                "按规则补助为零（没有符合条件的投资，或比例、金额为零）".into()
            }
            Reason::NoSubsidy => {
                "the rule gives no money (no eligible investment, or a zero rate or award)".into()
            }
            Reason::MissingCriterion(c) if zh => format!("缺少评分项 {c} 的值"),
            Reason::MissingCriterion(c) => format!("no value for criterion {c}"),
            Reason::BelowQualifyingScore { score, min } if zh => {
                format!("得分 {score} 低于合格分 {min}")
            }
            Reason::BelowQualifyingScore { score, min } => {
                format!("score {score} is below the qualifying score {min}")
            }
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Every condition of `round` that `app` fails, except the qualifying score (which needs the
/// score, computed after normalization).
pub(crate) fn check(
    round: &Round,
    app: &Application,
    subsidy: Money,
    scoring: &Scoring,
) -> Vec<Reason> {
    let e = &round.eligibility;
    let mut reasons = Vec::new();
    if let Some(allowed) = &e.jurisdictions {
        if !allowed.contains(&app.jurisdiction) {
            reasons.push(Reason::Jurisdiction {
                value: app.jurisdiction.clone(),
                allowed: allowed.clone(),
            });
        }
    }
    if let Some(allowed) = &e.industries {
        if !allowed.contains(&app.industry) {
            reasons.push(Reason::Industry {
                value: app.industry.clone(),
                allowed: allowed.clone(),
            });
        }
    }
    for flag in &e.require_flags {
        if !app.flags.contains(flag) {
            reasons.push(Reason::MissingFlag(flag.clone()));
        }
    }
    for flag in &e.exclude_flags {
        if app.flags.contains(flag) {
            reasons.push(Reason::ExcludedFlag(flag.clone()));
        }
    }
    let investment = eligible_investment(&round.subsidy, app);
    if let Some(min) = e.min_investment {
        if investment < min {
            reasons.push(Reason::BelowMinInvestment { investment, min });
        }
    }
    if subsidy == Money::ZERO {
        reasons.push(Reason::NoSubsidy);
    }
    for (c, value) in scoring.criteria.iter().zip(&app.criteria) {
        if value.is_none() {
            reasons.push(Reason::MissingCriterion(c.id.clone()));
        }
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Eligibility, InvestmentField, SubsidyRule};
    use rust_decimal_macros::dec;

    fn article5_round() -> Round {
        Round {
            id: "upgrade".into(),
            name: "一般技改项目".into(),
            pool: 0,
            max_projects: 20,
            min_projects: None,
            min_amount: None,
            min_score_total: None,
            group_limits: vec![],
            eligibility: Eligibility {
                jurisdictions: Some(vec!["市本级".into()]),
                industries: None,
                require_flags: vec![],
                exclude_flags: vec!["state_owned_non_manufacturing".into()],
                min_investment: None,
                min_score: None,
            },
            subsidy: SubsidyRule {
                rate: Some(dec!(0.1)),
                investment: vec![InvestmentField::Equipment],
                ..SubsidyRule::default()
            },
        }
    }

    fn scoring() -> Scoring {
        Scoring {
            criteria: vec![],
            bonus: vec![],
        }
    }

    #[test]
    fn only_city_level_jurisdiction_is_eligible() {
        let round = article5_round();
        let mut app = Application {
            jurisdiction: "市本级".into(),
            ..Application::default()
        };
        assert!(check(&round, &app, Money::from_yuan(dec!(1)), &scoring()).is_empty());
        // 柯城区 and 衢江区 are outside 市本级 for Article 5 money.
        for district in ["柯城区", "衢江区", "龙游县"] {
            app.jurisdiction = district.into();
            let reasons = check(&round, &app, Money::from_yuan(dec!(1)), &scoring());
            assert!(
                matches!(&reasons[..], [Reason::Jurisdiction { value, .. }] if value == district)
            );
        }
    }

    #[test]
    fn provincial_non_manufacturing_enterprises_are_excluded() {
        let round = article5_round();
        let mut app = Application {
            jurisdiction: "市本级".into(),
            ..Application::default()
        };
        app.flags.insert("state_owned_non_manufacturing".into());
        let reasons = check(&round, &app, Money::from_yuan(dec!(1)), &scoring());
        assert_eq!(
            reasons,
            vec![Reason::ExcludedFlag("state_owned_non_manufacturing".into())]
        );
    }

    #[test]
    fn every_failing_condition_is_reported() {
        let round = article5_round();
        let mut app = Application {
            jurisdiction: "衢江区".into(),
            ..Application::default()
        };
        app.flags.insert("state_owned_non_manufacturing".into());
        let reasons = check(&round, &app, Money::ZERO, &scoring());
        assert_eq!(reasons.len(), 3, "{reasons:?}");
    }

    #[test]
    fn reasons_read_in_chinese_and_english() {
        let r = Reason::Jurisdiction {
            value: "柯城区".into(),
            allowed: vec!["市本级".into()],
        };
        assert_eq!(
            r.to_string(),
            "jurisdiction \"柯城区\" is not served by this round (only 市本级)"
        );
        assert_eq!(
            r.text(Lang::Zh),
            "属地 \"柯城区\" 不在本轮范围内（仅限 市本级）"
        );
    }
}
