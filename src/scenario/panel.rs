//! Expert panels: a criterion scored by several experts (专家1 … 专家7), its value the panel's
//! mean, median or trimmed mean (去掉一个最高分和一个最低分). The aggregate is kept as an exact
//! quotient — a mean of 7 scores is not a finite decimal — whose denominator depends only on how
//! many experts scored, so every project of a round shares it and min-max normalization cancels it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a panel's scores become the criterion's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// The arithmetic mean.
    Mean,
    /// The middle score; with an even panel, the mean of the two middle scores.
    Median,
    /// The mean after dropping one highest and one lowest score (去掉一个最高分和一个最低分).
    Trimmed,
}

/// Experts a panel may have: a review form, not a survey.
pub const MAX_EXPERTS: usize = 100;

impl Aggregate {
    /// The fewest experts the rule can aggregate.
    pub fn min_experts(self) -> usize {
        match self {
            Aggregate::Mean | Aggregate::Median => 1,
            Aggregate::Trimmed => 3,
        }
    }

    /// The rule's name as the scenario file writes it.
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Median => "median",
            Aggregate::Trimmed => "trimmed",
        }
    }

    /// The aggregate of `scores` as `(numerator, denominator)`: exactly `numerator / denominator`,
    /// the denominator a function of `scores.len()` alone. Needs at least
    /// [`min_experts`](Self::min_experts) scores (the reader checks).
    pub fn exact(self, scores: &[Decimal]) -> (Decimal, Decimal) {
        let n = scores.len();
        debug_assert!(n >= self.min_experts());
        match self {
            Aggregate::Mean => (scores.iter().sum(), Decimal::from(n)),
            Aggregate::Trimmed => {
                let hi = scores.iter().max().copied().unwrap_or_default();
                let lo = scores.iter().min().copied().unwrap_or_default();
                (
                    scores.iter().sum::<Decimal>() - hi - lo,
                    Decimal::from(n.saturating_sub(2).max(1)),
                )
            }
            Aggregate::Median => {
                let mut sorted = scores.to_vec();
                sorted.sort();
                if n % 2 == 1 {
                    (sorted[n / 2], Decimal::ONE)
                } else {
                    (sorted[n / 2 - 1] + sorted[n / 2], Decimal::TWO)
                }
            }
        }
    }

    /// The aggregate as a decimal, for display (28 significant digits).
    pub fn value(self, scores: &[Decimal]) -> Decimal {
        let (num, den) = self.exact(scores);
        (num / den).normalize()
    }
}

/// A criterion's panel: the columns that hold each expert's score and the rule that combines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    /// The column header of each expert's score, in order: expert k is the k-th column of every
    /// panel (on a review form, the same person scores each criterion).
    pub experts: Vec<String>,
    /// How the scores are combined.
    pub aggregate: Aggregate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn scores(values: &[i64]) -> Vec<Decimal> {
        values.iter().map(|&v| Decimal::from(v)).collect()
    }

    #[test]
    fn the_trimmed_mean_drops_one_highest_and_one_lowest() {
        // Seven experts: 95 and 70 are dropped; (88 + 85 + 90 + 82 + 86) / 5 = 431 / 5 = 86.2.
        let panel = scores(&[88, 95, 85, 70, 90, 82, 86]);
        assert_eq!(
            Aggregate::Trimmed.exact(&panel),
            (dec!(431), Decimal::from(5))
        );
        assert_eq!(Aggregate::Trimmed.value(&panel), dec!(86.2));
        // Only one of two equal highest scores is dropped: (90 + 80) / 2 = 85.
        let tied = scores(&[90, 90, 80, 60]);
        assert_eq!(Aggregate::Trimmed.value(&tied), dec!(85));
    }

    #[test]
    fn a_mean_of_seven_stays_exact() {
        // 600 / 7 is not a finite decimal: the quotient is kept as it is.
        let panel = scores(&[80, 81, 82, 85, 90, 91, 91]);
        assert_eq!(Aggregate::Mean.exact(&panel), (dec!(600), Decimal::from(7)));
        assert_eq!(Aggregate::Mean.value(&panel), dec!(600) / Decimal::from(7));
    }

    #[test]
    fn the_median_of_an_even_panel_is_the_mean_of_the_middle_two() {
        assert_eq!(
            Aggregate::Median.exact(&scores(&[70, 90, 80, 60])),
            (dec!(150), Decimal::TWO)
        );
        assert_eq!(
            Aggregate::Median.value(&scores(&[70, 90, 81, 60])),
            dec!(75.5)
        );
        assert_eq!(
            Aggregate::Median.exact(&scores(&[70, 90, 80])),
            (dec!(80), Decimal::ONE)
        );
    }

    #[test]
    fn the_trimmed_mean_needs_three_experts() {
        assert_eq!(Aggregate::Trimmed.min_experts(), 3);
        assert_eq!(Aggregate::Trimmed.value(&scores(&[50, 70, 100])), dec!(70));
    }
}
