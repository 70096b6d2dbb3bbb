//! The question behind a subsidy margin (`solve::least_pool_money`): among the portfolios
//! scoring at least a floor, the frontier of score and the money one pool's rounds use — its
//! first the least money of all, and for every portfolio reaching the floor one on the frontier
//! using no more money that comes no later in the solver's order. Against brute force on random
//! small rounds and on the adversarial shapes (ties, linked pools, many rounds on one pool,
//! locks, extreme numbers, ties in hundreds of millions), with floors at the scores portfolios
//! reach near the top and one unit above the best.

use crate::util::oracle::{better_by, each_portfolio, instance, objective, to_toml};
use crate::util::shapes::{self, Size, Spec};
use allot::rules::{evaluate, Evaluation};
use allot::scenario::{from_toml_str, Scenario};
use allot::solve::{least_pool_money, verify, Options, Portfolio, Room};
use allot::Error;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150)
}

/// A portfolio's total score in units of 1e-4 points.
fn units(p: &Portfolio) -> i64 {
    (p.total_score * Decimal::from(10_000))
        .to_i64()
        .expect("a small round's total")
}

/// The money a portfolio's candidates in `pool`'s rounds receive.
fn used(scenario: &Scenario, evaluation: &Evaluation, p: &Portfolio, pool: usize) -> Decimal {
    p.funded
        .iter()
        .map(|&c| &evaluation.candidates[c])
        .filter(|c| scenario.rounds[c.round].pool == pool)
        .map(|c| c.subsidy.yuan())
        .sum()
}

/// The question on `text`'s round, pool and floor picked by `pick`, against brute force. A
/// question left open (round priority, floors on money or score, a pool no portfolio can
/// overspend) is rejected, so a change that left every question open fails on the rejects.
fn agrees(text: &str, pick: (usize, usize)) -> Result<(), TestCaseError> {
    let Ok(scenario) = from_toml_str(text, "room.toml") else {
        return Err(TestCaseError::reject("refused by the reader"));
    };
    let evaluation = evaluate(&scenario);
    let pool = pick.0 % scenario.pools.len();
    let mut all: Vec<Portfolio> = Vec::new();
    each_portfolio(&scenario, &evaluation, |p| all.push(p));
    let mut scores: Vec<i64> = all.iter().map(units).collect();
    scores.sort_unstable();
    scores.dedup();
    // One of the four best scores reached, or one unit above the best.
    let near = scores.len().min(4);
    let floor = match pick.1 % (near + 1) {
        k if k < near => scores[scores.len() - 1 - k],
        _ => scores.last().map_or(0, |s| s + 1),
    };
    let money = |p: &Portfolio| used(&scenario, &evaluation, p, pool);
    let reaching: Vec<&Portfolio> = all.iter().filter(|p| units(p) >= floor).collect();
    let least = reaching.iter().map(|p| money(p)).min();
    let first = |a: &Portfolio, b: &Portfolio| {
        let key = |p: &Portfolio| objective(&scenario, &evaluation, p);
        better_by(key(a), key(b), a, b) != std::cmp::Ordering::Greater
    };
    match least_pool_money(
        &scenario,
        &evaluation,
        &Options::default(),
        floor,
        floor,
        pool,
    )
    .map(|(room, _)| room)
    {
        Ok(Room::At(frontier)) => {
            for p in &frontier {
                prop_assert!(verify(&scenario, &evaluation, p).is_ok(), "\n{}", text);
                prop_assert!(units(p) >= floor, "below the floor {}\n{}", floor, text);
            }
            prop_assert_eq!(
                frontier.first().map(money),
                least,
                "pool {} floor {}\n{}",
                pool,
                floor,
                text
            );
            for p in &reaching {
                prop_assert!(
                    frontier.iter().any(|q| money(q) <= money(p) && first(q, p)),
                    "no frontier portfolio covers {:?} (pool {} floor {})\n{}",
                    p.funded,
                    pool,
                    floor,
                    text
                );
            }
        }
        Ok(Room::Empty) | Err(Error::Infeasible(_)) => {
            prop_assert_eq!(least, None, "pool {} floor {}\n{}", pool, floor, text)
        }
        Ok(Room::Far { .. }) => prop_assert!(false, "far with the floor as the best known"),
        Ok(Room::Open) => return Err(TestCaseError::reject("left open")),
        Err(e) => prop_assert!(false, "{}\n{}", e, text),
    }
    Ok(())
}

fn spec_agrees(spec: &Spec, pick: (usize, usize)) -> Result<(), TestCaseError> {
    agrees(&spec.to_toml(), pick)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_global_rejects: cases().saturating_mul(20),
        ..ProptestConfig::default()
    })]

    #[test]
    fn least_pool_money_equals_brute_force(inst in instance(), pick in (0usize..4, 0usize..10)) {
        agrees(&to_toml(&inst), pick)?;
    }

    #[test]
    fn least_pool_money_under_massive_ties(spec in shapes::ties(true, Size::small()), pick in (0usize..4, 0usize..10)) {
        spec_agrees(&spec, pick)?;
    }

    #[test]
    fn least_pool_money_on_linked_pools(spec in shapes::linked_pools(Size::small()), pick in (0usize..4, 0usize..10)) {
        spec_agrees(&spec, pick)?;
    }

    #[test]
    fn least_pool_money_with_ten_rounds_on_one_pool(spec in shapes::ten_rounds(Size::small()), pick in (0usize..4, 0usize..10)) {
        spec_agrees(&spec, pick)?;
    }

    #[test]
    fn least_pool_money_with_locks_that_exhaust_a_pool(spec in shapes::locks(), pick in (0usize..4, 0usize..10)) {
        spec_agrees(&spec, pick)?;
    }
}

proptest! {
    // The readers' limits refuse most extreme draws, so the rejects allowed are many.
    #![proptest_config(ProptestConfig {
        cases: cases() / 3,
        max_global_rejects: cases().saturating_mul(2_500).max(100_000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn least_pool_money_with_extreme_numbers(spec in shapes::extremes(false), pick in (0usize..4, 0usize..10)) {
        spec_agrees(&spec, pick)?;
    }

    #[test]
    fn least_pool_money_under_ties_in_hundreds_of_millions(spec in shapes::ties_hundreds_of_millions(Size::small()), pick in (0usize..4, 0usize..10)) {
        spec_agrees(&spec, pick)?;
    }
}
