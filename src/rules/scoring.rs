//! Scores: `score(p, r) = Σ_c w_c · norm_c(p, r) / Σ_c w_c + bonus(p)`, with criteria normalized
//! to 0–100 within the round. The quotient is computed exactly and rounded once, half up, to
//! [`SCORE_DP`] decimals, so that scores are exact integers in the solver's units and a weight of
//! ⅓ cannot move a score that lies exactly on a rounding midpoint.

use super::Assessment;
use crate::scenario::{Application, Direction, Normalization, Scenario, Scoring};
use num_bigint::BigInt;
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of a score. A score of 87.12345 is 87.1235: 1e-4 points is far below any
/// difference a committee would act on, and it makes every score an integer count of 1e-4 points.
pub const SCORE_DP: u32 = 4;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// A normalized criterion value as the exact quotient `num / den` (`den > 0`): min-max and rank
/// normalization divide, and a decimal of the quotient would round before the score does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotient {
    /// Numerator.
    pub num: Decimal,
    /// Denominator, positive.
    pub den: Decimal,
}

impl Quotient {
    /// A value that needs no division.
    pub fn whole(value: Decimal) -> Quotient {
        Quotient {
            num: value,
            den: Decimal::ONE,
        }
    }

    /// The value as a decimal (28 digits; for display and the fast path of [`score_with`]).
    pub fn value(self) -> Decimal {
        if self.den == Decimal::ONE {
            self.num
        } else {
            self.num / self.den
        }
    }
}

/// Divides weights by their sum (the reader has checked it is positive).
pub fn normalize_weights(raw: &[Decimal]) -> Vec<Decimal> {
    let total: Decimal = raw.iter().sum();
    if total <= Decimal::ZERO {
        return raw.to_vec();
    }
    raw.iter().map(|w| *w / total).collect()
}

/// The score `Σ w·v / Σ w + bonus` from relative weights (any positive scale), normalized
/// criteria and bonus, rounded half up (away from zero) to [`SCORE_DP`] decimals.
///
/// Decimal arithmetic is exact to about 1e-20 points on the scenario reader's domain (weights up
/// to 10⁹, normalized values and bonuses within ±10⁴ and ±10⁶; docs/scenario-format.md), so its
/// sum rounds correctly unless it lies within 1e-13 points of a midpoint; only then is the
/// quotient computed exactly, in integers, to decide the rounding.
pub fn score_with(weights: &[Decimal], criteria: &[Quotient], bonus: Decimal) -> Decimal {
    score_in(weights, &normalize_weights(weights), criteria, bonus)
}

/// [`score_with`] with the weights also divided by their sum (in decimals, once per round of
/// scoring rather than once per candidate).
pub(crate) fn score_in(
    weights: &[Decimal],
    normalized: &[Decimal],
    criteria: &[Quotient],
    bonus: Decimal,
) -> Decimal {
    let total: Decimal = weights.iter().sum();
    if total <= Decimal::ZERO {
        return bonus.round_dp_with_strategy(SCORE_DP, RoundingStrategy::MidpointAwayFromZero);
    }
    let raw: Decimal = normalized
        .iter()
        .zip(criteria)
        .filter(|(w, _)| !w.is_zero())
        .map(|(w, v)| *w * v.value())
        .sum::<Decimal>()
        + bonus;
    let units = raw.abs() * Decimal::from(10i64.pow(SCORE_DP));
    let off_midpoint = (units.fract() - Decimal::new(5, 1)).abs() > Decimal::new(1, 9);
    if off_midpoint {
        return raw
            .round_dp_with_strategy(SCORE_DP, RoundingStrategy::MidpointAwayFromZero)
            .normalize();
    }
    exact_score(weights, criteria, bonus)
}

/// [`score_with`] in integers: the quotient `N / D` of big integers, rounded half away from zero.
fn exact_score(weights: &[Decimal], criteria: &[Quotient], bonus: Decimal) -> Decimal {
    // A decimal as (mantissa, 10^scale).
    let big = |d: Decimal| -> (BigInt, BigInt) {
        (
            BigInt::from(d.mantissa()),
            BigInt::from(10u32).pow(d.scale()),
        )
    };
    let (mut n, mut d) = (BigInt::from(0), BigInt::from(1));
    for (w, q) in weights.iter().zip(criteria) {
        // w · num / den = (wm · nm · 10^ds) / (10^ws · 10^ns · dm)
        let ((wm, ws), (nm, ns), (dm, ds)) = (big(*w), big(q.num), big(q.den));
        let (a, b) = (wm * nm * ds, ws * ns * dm);
        n = n * &b + a * &d;
        d *= b;
    }
    let total: Decimal = weights.iter().sum();
    let (tm, ts) = big(total);
    n *= ts;
    d *= tm;
    let (bm, bs) = big(bonus);
    n = n * &bs + bm * &d;
    d *= bs;
    if d < BigInt::from(0) {
        n = -n;
        d = -d;
    }
    let negative = n < BigInt::from(0);
    let magnitude = if negative { -n } else { n };
    let scale = BigInt::from(10u32).pow(SCORE_DP);
    let two = BigInt::from(2);
    let k = (&two * magnitude * scale + &d) / (two * d);
    let k = i64::try_from(k).unwrap_or(i64::MAX);
    Decimal::new(if negative { -k } else { k }, SCORE_DP).normalize()
}

/// Bonus points a project earns from its flags.
pub(crate) fn bonus(scoring: &Scoring, app: &Application) -> Decimal {
    scoring
        .bonus
        .iter()
        .filter(|b| app.flags.contains(&b.flag))
        .map(|b| b.points)
        .sum()
}

/// Normalized criteria for each assessment that passed the score-independent conditions;
/// `None` for the others. Min-max and rank use the passing entrants of the same round.
pub(crate) fn normalize(
    scenario: &Scenario,
    assessments: &[Assessment],
) -> Vec<Option<Vec<Quotient>>> {
    let criteria = &scenario.scoring.criteria;
    let mut out: Vec<Option<Vec<Quotient>>> = vec![None; assessments.len()];
    for r in 0..scenario.rounds.len() {
        let members: Vec<usize> = (0..assessments.len())
            .filter(|&i| assessments[i].round == r && assessments[i].reasons.is_empty())
            .collect();
        if members.is_empty() {
            continue;
        }
        for &i in &members {
            out[i] = Some(Vec::with_capacity(criteria.len()));
        }
        for (c, criterion) in criteria.iter().enumerate() {
            // Members have every criterion value: a missing one is a reason. A panel's value is
            // the exact quotient of its scores, over a denominator every member shares.
            let mut den = Decimal::ONE;
            let values: Vec<Decimal> = members
                .iter()
                .map(|&i| {
                    let app = &scenario.applications[assessments[i].project];
                    match (&criterion.panel, app.panels.get(c)) {
                        (Some(panel), Some(scores)) if !scores.is_empty() => {
                            let (num, d) = panel.aggregate.exact(scores);
                            den = d;
                            num
                        }
                        _ => app.criteria[c].unwrap_or_default(),
                    }
                })
                .collect();
            let normalized =
                normalize_column(&values, den, criterion.normalization, criterion.direction);
            for (&i, v) in members.iter().zip(normalized) {
                if let Some(list) = out[i].as_mut() {
                    list.push(v);
                }
            }
        }
    }
    out
}

/// Normalizes one criterion's values `values[i] / den` within a round, as exact quotients. The
/// shared denominator (a panel's, else 1) cancels in min-max and does not change a rank.
fn normalize_column(
    values: &[Decimal],
    den: Decimal,
    normalization: Normalization,
    direction: Direction,
) -> Vec<Quotient> {
    let oriented = |v: Decimal| if direction == Direction::Cost { -v } else { v };
    match normalization {
        Normalization::AsIs => values
            .iter()
            .map(|v| {
                let num = if direction == Direction::Cost {
                    HUNDRED * den - *v
                } else {
                    *v
                };
                if den == Decimal::ONE {
                    Quotient::whole(num)
                } else {
                    Quotient { num, den }
                }
            })
            .collect(),
        Normalization::MinMax => {
            let lo = values
                .iter()
                .copied()
                .map(oriented)
                .min()
                .unwrap_or_default();
            let hi = values
                .iter()
                .copied()
                .map(oriented)
                .max()
                .unwrap_or_default();
            values
                .iter()
                .map(|v| {
                    if hi == lo {
                        Quotient::whole(HUNDRED)
                    } else {
                        Quotient {
                            num: (oriented(*v) - lo) * HUNDRED,
                            den: hi - lo,
                        }
                    }
                })
                .collect()
        }
        Normalization::Rank => {
            let n = values.len();
            if n == 1 {
                return vec![Quotient::whole(HUNDRED)];
            }
            // Sorted once: the number strictly better than v is found by binary search.
            let mut sorted: Vec<Decimal> = values.iter().copied().map(oriented).collect();
            sorted.sort();
            values
                .iter()
                .map(|v| {
                    let better = n - sorted.partition_point(|w| *w <= oriented(*v));
                    Quotient {
                        num: Decimal::from(n - 1 - better) * HUNDRED,
                        den: Decimal::from(n - 1),
                    }
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn weights_are_divided_by_their_sum() {
        assert_eq!(
            normalize_weights(&[dec!(30), dec!(50), dec!(20)]),
            vec![dec!(0.3), dec!(0.5), dec!(0.2)]
        );
    }

    fn whole(values: &[Decimal]) -> Vec<Quotient> {
        values.iter().copied().map(Quotient::whole).collect()
    }

    #[test]
    fn score_is_weighted_sum_plus_bonus_rounded_half_up() {
        let w = [dec!(0.4), dec!(0.6)];
        assert_eq!(
            score_with(&w, &whole(&[dec!(80), dec!(90)]), dec!(5)),
            dec!(91)
        );
        // 1/3 · 100 = 33.3333…
        let third = [dec!(1), dec!(1), dec!(1)];
        assert_eq!(
            score_with(&third, &whole(&[dec!(100), dec!(0), dec!(0)]), dec!(0)),
            dec!(33.3333)
        );
        assert_eq!(
            score_with(&[dec!(1)], &whole(&[dec!(12.34565)]), dec!(0)),
            dec!(12.3457)
        );
    }

    #[test]
    fn a_score_exactly_on_a_midpoint_rounds_half_up_with_weights_that_do_not_divide() {
        // Weights 1 and 2 (⅓ and ⅔): (100 + 2 · 56.851825) / 3 = 71.23455 exactly, which the
        // 28-digit weights 0.33…3 and 0.66…7 made 71.234549999…, rounded down.
        let w = [dec!(1), dec!(2)];
        let v = whole(&[dec!(100), dec!(56.851825)]);
        assert_eq!(score_with(&w, &v, dec!(0)), dec!(71.2346));
        let negative = whole(&[dec!(-100), dec!(-56.851825)]);
        assert_eq!(score_with(&w, &negative, dec!(0)), dec!(-71.2346));
        // Just below the midpoint it rounds down.
        let v = whole(&[dec!(100), dec!(56.8518249)]);
        assert_eq!(score_with(&w, &v, dec!(0)), dec!(71.2345));
        // Normalized quotients are exact too: 100 · 1/3 weighted by 3 and bonus 0.00005.
        let q = [Quotient {
            num: dec!(100),
            den: dec!(3),
        }];
        assert_eq!(
            score_with(&[dec!(3)], &q, dec!(-33.33328333333)),
            dec!(0.0001)
        );
    }

    #[test]
    fn exact_and_fast_scores_agree_away_from_midpoints() {
        let w = [dec!(0.3), dec!(0.5), dec!(0.2)];
        let v = [
            Quotient {
                num: dec!(700),
                den: dec!(9),
            },
            Quotient::whole(dec!(61.25)),
            Quotient {
                num: dec!(100),
                den: dec!(7),
            },
        ];
        assert_eq!(score_with(&w, &v, dec!(2)), exact_score(&w, &v, dec!(2)));
    }

    #[test]
    fn as_is_cost_criterion_is_reversed() {
        assert_eq!(
            normalize_column(
                &[dec!(20)],
                Decimal::ONE,
                Normalization::AsIs,
                Direction::Cost
            ),
            whole(&[dec!(80)])
        );
    }

    #[test]
    fn min_max_spans_zero_to_hundred_within_round() {
        let v = [dec!(10), dec!(20), dec!(30)];
        let values = |q: Vec<Quotient>| q.into_iter().map(Quotient::value).collect::<Vec<_>>();
        assert_eq!(
            values(normalize_column(
                &v,
                Decimal::ONE,
                Normalization::MinMax,
                Direction::Benefit
            )),
            vec![dec!(0), dec!(50), dec!(100)]
        );
        assert_eq!(
            values(normalize_column(
                &v,
                Decimal::ONE,
                Normalization::MinMax,
                Direction::Cost
            )),
            vec![dec!(100), dec!(50), dec!(0)]
        );
        assert_eq!(
            normalize_column(
                &[dec!(7), dec!(7)],
                Decimal::ONE,
                Normalization::MinMax,
                Direction::Benefit
            ),
            whole(&[dec!(100); 2])
        );
    }

    #[test]
    fn rank_shares_the_better_rank_on_ties() {
        let v = [dec!(5), dec!(9), dec!(5), dec!(1)];
        let n = normalize_column(&v, Decimal::ONE, Normalization::Rank, Direction::Benefit);
        assert_eq!(n[1].value(), dec!(100));
        assert_eq!(n[0], n[2]);
        assert_eq!(n[3].value(), dec!(0));
    }

    #[test]
    fn a_panel_s_denominator_is_kept_as_is_and_cancels_in_min_max() {
        // Means of 7 scores: 600/7, 610/7, 620/7.
        let sums = [dec!(600), dec!(610), dec!(620)];
        let seven = Decimal::from(7);
        let as_is = normalize_column(&sums, seven, Normalization::AsIs, Direction::Benefit);
        assert_eq!(
            as_is[0],
            Quotient {
                num: dec!(600),
                den: seven
            }
        );
        let cost = normalize_column(&sums, seven, Normalization::AsIs, Direction::Cost);
        assert_eq!(
            cost[2],
            Quotient {
                num: dec!(80),
                den: seven
            }
        ); // 100 − 620/7 = 80/7
        let min_max = normalize_column(&sums, seven, Normalization::MinMax, Direction::Benefit);
        assert_eq!(min_max[1].value(), dec!(50));
    }
}
