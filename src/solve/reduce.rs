//! Dominance: candidates that are in no optimal portfolio, removed before HiGHS sees the model.
//!
//! A *dominator* of c = (p, r) is another candidate of the same round that is at least as good in
//! every respect that matters — score ≥, subsidy ≤, strictly better in the full tie-break order
//! (score, then subsidy, then candidate order), the same value of every group-limit attribute of
//! the round (and the same enterprise when an enterprise limit is set) — and free of committee locks
//! and dependencies. Take any portfolio funding c. A dominator is *blocked* when its project is
//! funded already. Inside round r at most cap − 1 other projects of c's bucket are funded
//! (cap = min(max_projects, every group limit of r)); outside r at most O = Σ other rounds'
//! max_projects, and those block only dominators whose projects also entered other rounds. So with
//! s single-round and m multi-round dominators, s + m ≥ cap + min(m, O) leaves one unblocked, and
//! swapping c for it keeps every constraint and strictly improves the portfolio. Hence c is in no
//! optimal portfolio, and removing all such candidates at once leaves the unique optimum untouched.
//!
//! Round floors: a swap keeps the round's count, so a floor on projects leaves the argument
//! whole; a floor on money does not (the dominator may cost less), so rounds with one are left
//! alone. Dropping a zero-score candidate lowers both counts, so it is done only in rounds
//! without a floor.

use super::constraints::Kind;
use crate::rules::{Evaluation, Locked};
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Marks the candidates a round-priority level may leave out: those of rounds it does not count
/// (its objective gives them nothing) whose every coefficient in the rows, written Σ a·x ≤ b, is
/// non-negative — they only use up room. Setting such a column to 0 keeps every row and the
/// level's score, so the level's best score is the same without them. Not for a solve with a
/// tie-break (the third level may prefer funding one), nor where a floor, a "requires"
/// dependency or a lock gives it a negative (or binding equal) coefficient.
pub(crate) fn idle(
    list: &[super::constraints::Constraint],
    evaluation: &Evaluation,
    counted: &[bool],
) -> Vec<bool> {
    let mut out: Vec<bool> = evaluation
        .candidates
        .iter()
        .map(|c| !counted[c.round])
        .collect();
    for row in list {
        let binds = matches!(row.kind, Kind::Lock { .. });
        for &(c, a) in &row.terms {
            if binds || a.is_sign_negative() {
                out[c] = false;
            }
        }
    }
    out
}

/// Marks the dominated candidates.
pub(crate) fn dominated(scenario: &Scenario, evaluation: &Evaluation) -> Vec<bool> {
    let cands = &evaluation.candidates;
    let slots: u64 = scenario
        .rounds
        .iter()
        .map(|r| u64::from(r.max_projects))
        .sum();
    let mut out = vec![false; cands.len()];
    let mut in_dependency = BTreeSet::new();
    for d in &scenario.committee.dependencies {
        in_dependency.insert(d.project);
        in_dependency.insert(d.other);
    }
    // Buckets: same round, same group-limit values, same enterprise when limited.
    let mut buckets: BTreeMap<(usize, Vec<&str>), Vec<usize>> = BTreeMap::new();
    for (c, cand) in cands.iter().enumerate() {
        let round = &scenario.rounds[cand.round];
        if cand.locked == Some(Locked::Out)
            || in_dependency.contains(&cand.project)
            || round.min_amount.is_some()
        {
            continue;
        }
        // A candidate scoring 0 adds nothing and costs money: dropping it from any portfolio keeps
        // every constraint (it is neither locked nor needed by a dependency) and improves the
        // tie-break, so it is in no optimal portfolio.
        if cand.score <= rust_decimal::Decimal::ZERO
            && cand.locked.is_none()
            && round.min_projects.is_none()
        {
            out[c] = true;
            continue;
        }
        let app = &scenario.applications[cand.project];
        let mut key: Vec<&str> = round
            .group_limits
            .iter()
            .map(|l| app.attribute(&l.attribute).unwrap_or(""))
            .collect();
        if scenario.committee.enterprise_limit.is_some() {
            key.push(app.enterprise.as_str());
        }
        buckets.entry((cand.round, key)).or_default().push(c);
    }
    for ((round, _), members) in buckets.iter_mut() {
        let r = &scenario.rounds[*round];
        let cap = r
            .group_limits
            .iter()
            .map(|l| u64::from(l.max))
            .fold(u64::from(r.max_projects), u64::min);
        let others = slots - u64::from(r.max_projects);
        if (members.len() as u64) <= cap {
            continue;
        }
        // Best first; a candidate's dominators are the earlier ones with subsidy ≤ its own.
        members.sort_by(|&a, &b| {
            cands[b]
                .score
                .cmp(&cands[a].score)
                .then(cands[a].subsidy.cmp(&cands[b].subsidy))
                .then(a.cmp(&b))
        });
        let mut amounts: Vec<_> = members.iter().map(|&c| cands[c].subsidy).collect();
        amounts.sort();
        amounts.dedup();
        let mut single = Fenwick::new(amounts.len());
        let mut multi = Fenwick::new(amounts.len());
        for &c in members.iter() {
            let rank = amounts.partition_point(|a| *a <= cands[c].subsidy);
            let (s, m) = (single.prefix(rank), multi.prefix(rank));
            if cands[c].locked.is_none() && s + m >= cap + m.min(others) {
                out[c] = true;
            }
            if scenario.applications[cands[c].project].rounds.len() > 1 {
                multi.add(rank - 1);
            } else {
                single.add(rank - 1);
            }
        }
    }
    out
}

/// Counts of seen amounts by rank, with prefix sums in O(log n).
struct Fenwick(Vec<u64>);

impl Fenwick {
    fn new(n: usize) -> Fenwick {
        Fenwick(vec![0; n + 1])
    }

    fn add(&mut self, index: usize) {
        let mut i = index + 1;
        while i < self.0.len() {
            self.0[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// How many seen ranks are < `end`.
    fn prefix(&self, end: usize) -> u64 {
        let mut i = end;
        let mut sum = 0;
        while i > 0 {
            sum += self.0[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }
}

/// The evaluation cut down to what the must-fund locks leave room for: the locked candidates and
/// every free one that fits beside all of them in each row of non-negative coefficients (one
/// award, sizes, group limits, pools, enterprises, "excludes"). Adding a candidate to a set
/// never lowers such a row's total, so a candidate that breaks a row beside the locks alone is
/// in no portfolio that keeps them: the portfolios, hence the optimum and its tie-break (the
/// candidates keep their order), are the same. `None` when the locks alone break a row (no
/// portfolio at all). A reserve list's what-ifs lock every funded project but one, and leave a
/// handful of candidates out of thousands. It is for solving only: its candidates carry no
/// criterion values (the solver reads scores and amounts; copying the criteria of thousands of
/// candidates per what-if was a tenth of `allot reserve` at 10,000 applications).
pub fn residual(scenario: &Scenario, evaluation: &Evaluation) -> Option<Evaluation> {
    let locked: Vec<Option<Locked>> = evaluation.candidates.iter().map(|c| c.locked).collect();
    residual_over(&Skeleton::new(scenario, evaluation), evaluation, &locked)
}

/// The round's rows of non-negative coefficients, built once for what-ifs that change only the
/// committee's locks and exclusions (a reserve list's thousands): those change no row but the
/// locks' and exclusions' own, which [`residual_over`] does not read.
pub struct Skeleton {
    rows: Vec<Scaled>,
    /// Each candidate's assessment (its index in the evaluation's), so that a residual copies
    /// only the kept candidates' assessments instead of passing over every application's.
    assessment_of: Vec<usize>,
}

/// One row Σ a·x ≤ rhs of non-negative coefficients, in integers where they fit (coefficients
/// times 10^k, k the largest number of decimals among them, and the bound times 10^k rounded
/// down: every total is then a whole number, so the same sets meet it), summed thousands of
/// times per reserve list; in `Decimal` otherwise.
enum Scaled {
    Whole(Vec<(usize, i128)>, i128),
    Decimal(Vec<(usize, Decimal)>, Decimal),
}

impl Scaled {
    fn new(terms: &[(usize, Decimal)], rhs: Decimal) -> Scaled {
        let k = terms.iter().map(|(_, a)| a.scale()).max().unwrap_or(0);
        let whole = || -> Option<Scaled> {
            let terms = terms
                .iter()
                .map(|&(c, a)| {
                    let m = a
                        .mantissa()
                        .checked_mul(10i128.checked_pow(k - a.scale())?)?;
                    Some((c, m))
                })
                .collect::<Option<Vec<_>>>()?;
            // Every partial sum fits when the whole does (the coefficients are non-negative).
            terms
                .iter()
                .try_fold(0i128, |sum, &(_, m)| sum.checked_add(m))?;
            // ⌊rhs · 10^k⌋ = ⌊m / 10^(s−k)⌋ for a bound of mantissa m and scale s ≥ k.
            let (m, s) = (rhs.mantissa(), rhs.scale());
            let bound = if s >= k {
                m.div_euclid(10i128.checked_pow(s - k)?)
            } else {
                m.checked_mul(10i128.checked_pow(k - s)?)?
            };
            Some(Scaled::Whole(terms, bound))
        };
        whole().unwrap_or_else(|| Scaled::Decimal(terms.to_vec(), rhs))
    }
}

impl Skeleton {
    /// The rows of `scenario` over `evaluation`'s candidates.
    pub fn new(scenario: &Scenario, evaluation: &Evaluation) -> Skeleton {
        let mut assessment_of = vec![0; evaluation.candidates.len()];
        for (i, a) in evaluation.assessments.iter().enumerate() {
            if let Some(c) = a.candidate {
                assessment_of[c] = i;
            }
        }
        Skeleton {
            rows: super::constraints::constraints(scenario, evaluation)
                .into_iter()
                .filter(|constraint| {
                    !matches!(constraint.kind, Kind::Lock { .. } | Kind::Exclude { .. })
                        && constraint.terms.iter().all(|(_, a)| !a.is_sign_negative())
                })
                .map(|constraint| Scaled::new(&constraint.terms, constraint.rhs))
                .collect(),
            assessment_of,
        }
    }
}

/// Marks in `blocked` the free candidates that alone overfill the row `terms ≤ rhs` beside the
/// locked ones; false when the locked ones alone overfill it.
fn block<T>(terms: &[(usize, T)], rhs: T, locked: &[Option<Locked>], blocked: &mut [bool]) -> bool
where
    T: Copy + PartialOrd + std::ops::Add<Output = T> + std::iter::Sum<T>,
{
    let load: T = terms
        .iter()
        .filter(|(c, _)| locked[*c] == Some(Locked::In))
        .map(|&(_, a)| a)
        .sum();
    if load > rhs {
        return false;
    }
    for &(c, a) in terms {
        if locked[c].is_none() && load + a > rhs {
            blocked[c] = true;
        }
    }
    true
}

/// [`residual`] of the skeleton's evaluation with each candidate `c` locked as `locked[c]`
/// (as `explain::whatif::with_decisions` sets them), without a copy of the whole evaluation: a
/// reserve list's what-ifs keep a fifth of it.
pub fn residual_over(
    skeleton: &Skeleton,
    evaluation: &Evaluation,
    locked: &[Option<Locked>],
) -> Option<Evaluation> {
    let cands = &evaluation.candidates;
    let mut blocked = vec![false; cands.len()];
    for row in &skeleton.rows {
        let fits = match row {
            Scaled::Whole(terms, rhs) => block(terms, *rhs, locked, &mut blocked),
            Scaled::Decimal(terms, rhs) => block(terms, *rhs, locked, &mut blocked),
        };
        if !fits {
            return None;
        }
    }
    let mut candidates = Vec::new();
    let mut assessments = Vec::new();
    for (c, cand) in cands.iter().enumerate() {
        let kept = match locked[c] {
            Some(Locked::In) => true,
            Some(Locked::Out) => false,
            None => !blocked[c],
        };
        if kept {
            // Candidates and assessments are both ordered by project, then round.
            assessments.push(crate::rules::Assessment {
                candidate: Some(candidates.len()),
                ..evaluation.assessments[skeleton.assessment_of[c]].clone()
            });
            candidates.push(crate::rules::Candidate {
                locked: locked[c],
                criteria: Vec::new(),
                ..*cand
            });
        }
    }
    Some(Evaluation {
        assessments: assessments.into(),
        candidates,
        weights: evaluation.weights.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::{Fenwick, Scaled};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    proptest! {
        /// A row in integers admits exactly the sets its `Decimal` form admits, whatever the
        /// coefficients' and the bound's decimals (a pro-rata capacity has many).
        #[test]
        fn a_scaled_row_admits_the_same_sets(
            coefficients in prop::collection::vec((0i64..100_000, 0u32..5), 1..=6),
            (bound, bound_scale) in (-1_000_000i64..10_000_000, 0u32..12),
        ) {
            let terms: Vec<(usize, Decimal)> = coefficients
                .iter()
                .enumerate()
                .map(|(c, &(m, k))| (c, Decimal::new(m, k)))
                .collect();
            let rhs = Decimal::new(bound, bound_scale);
            let Scaled::Whole(whole, limit) = Scaled::new(&terms, rhs) else {
                panic!("small numbers fit in integers");
            };
            for set in 0u32..1 << terms.len() {
                let chosen = |c: usize| set >> c & 1 == 1;
                let exact: Decimal = terms.iter().filter(|t| chosen(t.0)).map(|t| t.1).sum();
                let scaled: i128 = whole.iter().filter(|t| chosen(t.0)).map(|t| t.1).sum();
                prop_assert_eq!(exact <= rhs, scaled <= limit);
            }
        }
    }

    /// Coefficients that each fit in i128 but whose sum does not stay in `Decimal`.
    #[test]
    fn a_row_whose_sum_overflows_i128_stays_in_decimal() {
        let big = Decimal::from_i128_with_scale(79_000_000_000_000_000_000_000_000_000, 0);
        let terms = vec![(0, big), (1, big), (2, big), (3, Decimal::new(1, 9))];
        assert!(matches!(Scaled::new(&terms, big), Scaled::Decimal(..)));
        let small = vec![(0, big), (1, Decimal::new(1, 9))];
        assert!(matches!(Scaled::new(&small, big), Scaled::Whole(..)));
    }

    #[test]
    fn fenwick_counts_prefixes() {
        let mut f = Fenwick::new(5);
        for i in [0, 2, 2, 4] {
            f.add(i);
        }
        assert_eq!(f.prefix(0), 0);
        assert_eq!(f.prefix(1), 1);
        assert_eq!(f.prefix(3), 3);
        assert_eq!(f.prefix(5), 4);
    }
}
