//! Dominance: candidates that are in no optimal portfolio, removed before HiGHS sees the model.
//!
//! A candidate c = (p, r) is *dominated* when at least T = Σ max_projects other candidates of the
//! same round are at least as good in every respect that matters — score ≥, subsidy ≤, strictly
//! better in the full tie-break order (score, then subsidy, then candidate order), the same value of
//! every group-limit attribute of the round (and the same enterprise when an enterprise limit is
//! set), and free of committee locks and dependencies. Any portfolio funding c funds at most T − 1
//! other projects, so one of those dominators is unfunded anywhere, and swapping c for it keeps
//! every constraint and strictly improves the portfolio. Hence c is in no optimal portfolio, and
//! removing all dominated candidates at once leaves the unique optimum untouched.

use crate::rules::{Evaluation, Locked};
use crate::scenario::Scenario;
use std::collections::{BTreeMap, BTreeSet};

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
        if cand.locked == Some(Locked::Out) || in_dependency.contains(&cand.project) {
            continue;
        }
        let app = &scenario.applications[cand.project];
        let mut key: Vec<&str> = scenario.rounds[cand.round]
            .group_limits
            .iter()
            .map(|l| app.attribute(&l.attribute).unwrap_or(""))
            .collect();
        if scenario.committee.enterprise_limit.is_some() {
            key.push(app.enterprise.as_str());
        }
        buckets.entry((cand.round, key)).or_default().push(c);
    }
    for members in buckets.values_mut() {
        if (members.len() as u64) <= slots {
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
        let mut seen = Fenwick::new(amounts.len());
        for &c in members.iter() {
            let rank = amounts.partition_point(|a| *a <= cands[c].subsidy);
            if cands[c].locked.is_none() && seen.prefix(rank) >= slots {
                out[c] = true;
            }
            seen.add(rank - 1);
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

#[cfg(test)]
mod tests {
    use super::Fenwick;

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
