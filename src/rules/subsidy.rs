//! The subsidy rule: `min(cap, (rate + uplift) × eligible investment)`, or a fixed award, rounded
//! once at the end (the cap is checked on the exact product, as the policy's amounts are).

use crate::scenario::{Application, Money, Rounding, Stacking, SubsidyRule};
use rust_decimal::Decimal;

/// The uplift a project earns: the largest applicable one, or their sum when stacking is `sum`.
pub fn uplift(rule: &SubsidyRule, app: &Application) -> Decimal {
    let applicable = rule
        .uplifts
        .iter()
        .filter(|u| app.flags.contains(&u.flag))
        .map(|u| u.rate);
    match rule.stacking {
        Stacking::Max => applicable.max().unwrap_or(Decimal::ZERO),
        Stacking::Sum => applicable.sum(),
    }
}

/// The investment the rule counts.
pub fn eligible_investment(rule: &SubsidyRule, app: &Application) -> Money {
    rule.investment.iter().map(|f| app.investment.get(*f)).sum()
}

/// The exact subsidy of `app` under `rule`.
pub fn compute_subsidy(rule: &SubsidyRule, app: &Application) -> Money {
    let exact = match (rule.fixed, rule.rate) {
        (Some(fixed), _) => fixed.yuan(),
        (None, Some(rate)) => (rate + uplift(rule, app)) * eligible_investment(rule, app).yuan(),
        (None, None) => Decimal::ZERO,
    };
    let capped = match rule.cap {
        Some(cap) => exact.min(cap.yuan()),
        None => exact,
    };
    match rule.rounding {
        Rounding::Yuan => Money::round_to_yuan(capped),
        Rounding::Fen => Money::round_to_fen(capped),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{InvestmentField, Unit, Uplift};
    use rust_decimal_macros::dec;

    /// The tech-upgrade rule of the preset: 10 % of equipment + technology + software,
    /// +2 pp for patent industrialization or class A (not stacked), capped at 1,000,000.
    fn upgrade(stacking: Stacking) -> SubsidyRule {
        SubsidyRule {
            rate: Some(dec!(0.10)),
            investment: vec![
                InvestmentField::Equipment,
                InvestmentField::Technology,
                InvestmentField::Software,
            ],
            fixed: None,
            cap: Some(Money::from_yuan(dec!(1000000))),
            uplifts: vec![
                Uplift {
                    flag: "patent_industrialization".into(),
                    rate: dec!(0.02),
                },
                Uplift {
                    flag: "class_a".into(),
                    rate: dec!(0.02),
                },
            ],
            stacking,
            rounding: Rounding::Yuan,
        }
    }

    fn app(equipment: &str, technology: &str, software: &str, flags: &[&str]) -> Application {
        let mut a = Application::default();
        a.investment.equipment = Money::parse(equipment, Unit::Wan).unwrap();
        a.investment.technology = Money::parse(technology, Unit::Wan).unwrap();
        a.investment.software = Money::parse(software, Unit::Wan).unwrap();
        a.flags = flags.iter().map(|f| f.to_string()).collect();
        a
    }

    #[test]
    fn upgrade_rate_applies_to_equipment_technology_and_software() {
        // 300 + 150 + 50 万元 = 5,000,000 yuan at 10 %
        let a = app("300", "150", "50", &[]);
        assert_eq!(
            compute_subsidy(&upgrade(Stacking::Max), &a).yuan(),
            dec!(500000)
        );
    }

    #[test]
    fn upgrade_uplift_adds_two_points_for_patent_industrialization() {
        let a = app("300", "150", "50", &["patent_industrialization"]);
        assert_eq!(
            compute_subsidy(&upgrade(Stacking::Max), &a).yuan(),
            dec!(600000)
        );
    }

    #[test]
    fn upgrade_uplift_does_not_stack() {
        let a = app("300", "150", "50", &["patent_industrialization", "class_a"]);
        assert_eq!(
            compute_subsidy(&upgrade(Stacking::Max), &a).yuan(),
            dec!(600000)
        );
    }

    #[test]
    fn upgrade_uplift_stacks_when_configured() {
        let a = app("300", "150", "50", &["patent_industrialization", "class_a"]);
        assert_eq!(
            compute_subsidy(&upgrade(Stacking::Sum), &a).yuan(),
            dec!(700000)
        );
    }

    #[test]
    fn cap_is_applied_before_rounding() {
        // 12 % of 8,333,337.5 = 1,000,000.5 is over the 1,000,000 cap: paid exactly the cap.
        let mut a = Application::default();
        a.investment.equipment = Money::from_yuan(dec!(8333337.5));
        a.flags.insert("class_a".into());
        assert_eq!(
            compute_subsidy(&upgrade(Stacking::Max), &a).yuan(),
            dec!(1000000)
        );
        // The order shows with a cap in fen: 10 % of 10,000,006 = 1,000,000.6 → capped to
        // 1,000,000.50 → rounded half up to 1,000,001. Rounding first would give 1,000,000.50.
        let mut rule = upgrade(Stacking::Max);
        rule.cap = Some(Money::from_yuan(dec!(1000000.50)));
        a.flags.clear();
        a.investment.equipment = Money::from_yuan(dec!(10000006));
        assert_eq!(compute_subsidy(&rule, &a).yuan(), dec!(1000001));
        // Below the cap the exact product is rounded half up to the yuan: 10 % of 12,345.67 = 1,234.567 → 1,235.
        let b = app("1.234567", "0", "0", &[]);
        assert_eq!(
            compute_subsidy(&upgrade(Stacking::Max), &b).yuan(),
            dec!(1235)
        );
    }

    #[test]
    fn fen_rounding_keeps_cents() {
        let mut rule = upgrade(Stacking::Max);
        rule.rounding = Rounding::Fen;
        let b = app("1.234567", "0", "0", &[]);
        assert_eq!(compute_subsidy(&rule, &b).yuan(), dec!(1234.57));
    }

    #[test]
    fn fixed_award_is_capped_too() {
        let mut rule = upgrade(Stacking::Max);
        rule.rate = None;
        rule.fixed = Some(Money::from_yuan(dec!(2000000)));
        assert_eq!(
            compute_subsidy(&rule, &Application::default()).yuan(),
            dec!(1000000)
        );
    }
}
