//! Scores: `score(p, r) = Σ_c w_c · norm_c(p, r) + bonus(p)`, with weights divided by their sum
//! and criteria normalized to 0–100 within the round. Scores are rounded once, to [`SCORE_DP`]
//! decimals, so that they are exact integers in the solver's units.

use super::Assessment;
use crate::scenario::{Application, Direction, Normalization, Scenario, Scoring};
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places of a score. A score of 87.12345 is 87.1235: 1e-4 points is far below any
/// difference a committee would act on, and it makes every score an integer count of 1e-4 points.
pub const SCORE_DP: u32 = 4;

const HUNDRED: Decimal = Decimal::ONE_HUNDRED;

/// Divides weights by their sum (the reader has checked it is positive).
pub fn normalize_weights(raw: &[Decimal]) -> Vec<Decimal> {
    let total: Decimal = raw.iter().sum();
    if total <= Decimal::ZERO {
        return raw.to_vec();
    }
    raw.iter().map(|w| *w / total).collect()
}

/// The score from normalized criteria, weights and bonus, rounded half up to [`SCORE_DP`].
pub fn score_with(weights: &[Decimal], criteria: &[Decimal], bonus: Decimal) -> Decimal {
    let raw: Decimal = weights
        .iter()
        .zip(criteria)
        .map(|(w, v)| *w * *v)
        .sum::<Decimal>()
        + bonus;
    raw.round_dp_with_strategy(SCORE_DP, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
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
) -> Vec<Option<Vec<Decimal>>> {
    let criteria = &scenario.scoring.criteria;
    let mut out: Vec<Option<Vec<Decimal>>> = vec![None; assessments.len()];
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
            // Members have every criterion value: a missing one is a reason.
            let values: Vec<Decimal> = members
                .iter()
                .map(|&i| {
                    scenario.applications[assessments[i].project].criteria[c].unwrap_or_default()
                })
                .collect();
            let normalized =
                normalize_column(&values, criterion.normalization, criterion.direction);
            for (&i, v) in members.iter().zip(normalized) {
                if let Some(list) = out[i].as_mut() {
                    list.push(v);
                }
            }
        }
    }
    out
}

/// Normalizes one criterion's values within a round.
fn normalize_column(
    values: &[Decimal],
    normalization: Normalization,
    direction: Direction,
) -> Vec<Decimal> {
    let oriented = |v: Decimal| if direction == Direction::Cost { -v } else { v };
    match normalization {
        Normalization::AsIs => values
            .iter()
            .map(|v| {
                if direction == Direction::Cost {
                    HUNDRED - *v
                } else {
                    *v
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
                        HUNDRED
                    } else {
                        (oriented(*v) - lo) * HUNDRED / (hi - lo)
                    }
                })
                .collect()
        }
        Normalization::Rank => {
            let n = values.len();
            if n == 1 {
                return vec![HUNDRED];
            }
            // Sorted once: the number strictly better than v is found by binary search.
            let mut sorted: Vec<Decimal> = values.iter().copied().map(oriented).collect();
            sorted.sort();
            values
                .iter()
                .map(|v| {
                    let better = n - sorted.partition_point(|w| *w <= oriented(*v));
                    Decimal::from(n - 1 - better) * HUNDRED / Decimal::from(n - 1)
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

    #[test]
    fn score_is_weighted_sum_plus_bonus_rounded_half_up() {
        let w = [dec!(0.4), dec!(0.6)];
        assert_eq!(score_with(&w, &[dec!(80), dec!(90)], dec!(5)), dec!(91));
        // 1/3 · 100 = 33.3333…
        let third = normalize_weights(&[dec!(1), dec!(1), dec!(1)]);
        assert_eq!(
            score_with(&third, &[dec!(100), dec!(0), dec!(0)], dec!(0)),
            dec!(33.3333)
        );
        assert_eq!(
            score_with(&[dec!(1)], &[dec!(12.34565)], dec!(0)),
            dec!(12.3457)
        );
    }

    #[test]
    fn as_is_cost_criterion_is_reversed() {
        assert_eq!(
            normalize_column(&[dec!(20)], Normalization::AsIs, Direction::Cost),
            vec![dec!(80)]
        );
    }

    #[test]
    fn min_max_spans_zero_to_hundred_within_round() {
        let v = [dec!(10), dec!(20), dec!(30)];
        assert_eq!(
            normalize_column(&v, Normalization::MinMax, Direction::Benefit),
            vec![dec!(0), dec!(50), dec!(100)]
        );
        assert_eq!(
            normalize_column(&v, Normalization::MinMax, Direction::Cost),
            vec![dec!(100), dec!(50), dec!(0)]
        );
        assert_eq!(
            normalize_column(
                &[dec!(7), dec!(7)],
                Normalization::MinMax,
                Direction::Benefit
            ),
            vec![dec!(100); 2]
        );
    }

    #[test]
    fn rank_shares_the_better_rank_on_ties() {
        let v = [dec!(5), dec!(9), dec!(5), dec!(1)];
        let n = normalize_column(&v, Normalization::Rank, Direction::Benefit);
        assert_eq!(n[1], dec!(100));
        assert_eq!(n[0], n[2]);
        assert_eq!(n[3], dec!(0));
    }
}
