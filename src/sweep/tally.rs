//! The streaming aggregate of a sweep. Runs are folded in run order, one at a time, so the tally
//! is the same for any thread count; tallies of disjoint shards add up to the tally of the whole
//! sweep. Memory grows with the number of (project, round) pairs and of distinct portfolios, not
//! with the number of runs.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one run (or one frontier point) produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunResult {
    /// The optimal portfolio: funded pair indices (ascending), total score and total paid.
    Funded {
        /// Indices into the sweep's pair list.
        pairs: Vec<u32>,
        /// Σ score under the run's weights.
        score: Decimal,
        /// Σ paid (yuan).
        paid: Decimal,
    },
    /// The committee's locks and dependencies cannot all hold under the run's budgets.
    Infeasible,
}

/// How often one portfolio occurred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Runs that produced it.
    pub runs: u64,
    /// The first such run.
    pub first_run: u64,
}

/// Scores seen at one budget point, over the weight samples.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointStats {
    /// Runs at this point (feasible ones).
    pub runs: u64,
    /// Lowest optimal score.
    pub min_score: Option<Decimal>,
    /// Highest optimal score.
    pub max_score: Option<Decimal>,
    /// Runs at this point that reproduce the base weights' portfolio at this point (its
    /// stability; 0 in files written before it was counted).
    #[serde(default)]
    pub base_hits: u64,
}

/// The base weights' optimum at one budget point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontierPoint {
    /// Best total score; `None` when infeasible.
    pub score: Option<Decimal>,
    /// Total paid.
    pub paid: Option<Decimal>,
    /// Projects funded.
    pub funded: usize,
}

/// Everything a sweep keeps about its runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Runs folded in.
    pub runs: u64,
    /// Runs whose locks could not hold.
    pub infeasible: u64,
    /// Per pair: runs that funded it.
    pub funded: Vec<u64>,
    /// Per pair and criterion: Σ weight over the runs that funded it (for weight-vs-selection).
    pub weight_when_funded: Vec<Vec<Decimal>>,
    /// Per criterion: Σ weight over all runs.
    pub weight_sum: Vec<Decimal>,
    /// Runs that reproduced the base portfolio exactly (at any budget point: see
    /// [`PointStats::base_hits`] for each point's own).
    pub base_hits: u64,
    /// Distinct portfolios (pair indices) and how often each occurred.
    #[serde(with = "portfolio_map")]
    pub portfolios: BTreeMap<Vec<u32>, Seen>,
    /// Per budget point.
    pub points: Vec<PointStats>,
    /// Per budget point: the base weights' optimum, when this tally computed it.
    pub frontier: Vec<Option<FrontierPoint>>,
}

impl Tally {
    /// An empty tally for `pairs` pairs, `criteria` criteria and `points` budget points.
    pub fn new(pairs: usize, criteria: usize, points: usize) -> Tally {
        Tally {
            runs: 0,
            infeasible: 0,
            funded: vec![0; pairs],
            weight_when_funded: vec![vec![Decimal::ZERO; criteria]; pairs],
            weight_sum: vec![Decimal::ZERO; criteria],
            base_hits: 0,
            portfolios: BTreeMap::new(),
            points: vec![PointStats::default(); points],
            frontier: vec![None; points],
        }
    }

    /// Folds in run `index` at budget point `point` with `weights`.
    pub fn add(
        &mut self,
        index: u64,
        point: usize,
        weights: &[Decimal],
        result: &RunResult,
        base: &[u32],
        point_base: Option<&[u32]>,
    ) {
        self.runs += 1;
        for (s, w) in self.weight_sum.iter_mut().zip(weights) {
            *s += *w;
        }
        let RunResult::Funded { pairs, score, .. } = result else {
            self.infeasible += 1;
            return;
        };
        for &p in pairs {
            self.funded[p as usize] += 1;
            for (s, w) in self.weight_when_funded[p as usize].iter_mut().zip(weights) {
                *s += *w;
            }
        }
        if pairs.as_slice() == base {
            self.base_hits += 1;
        }
        let seen = self.portfolios.entry(pairs.clone()).or_insert(Seen {
            runs: 0,
            first_run: index,
        });
        seen.runs += 1;
        seen.first_run = seen.first_run.min(index);
        let stats = &mut self.points[point];
        stats.runs += 1;
        if Some(pairs.as_slice()) == point_base {
            stats.base_hits += 1;
        }
        stats.min_score = Some(stats.min_score.map_or(*score, |m| m.min(*score)));
        stats.max_score = Some(stats.max_score.map_or(*score, |m| m.max(*score)));
    }

    /// Records the base weights' optimum at budget point `point`.
    pub fn set_frontier(&mut self, point: usize, result: &RunResult) {
        self.frontier[point] = Some(match result {
            RunResult::Funded { pairs, score, paid } => FrontierPoint {
                score: Some(*score),
                paid: Some(*paid),
                funded: pairs.len(),
            },
            RunResult::Infeasible => FrontierPoint {
                score: None,
                paid: None,
                funded: 0,
            },
        });
    }

    /// Adds a disjoint tally (another shard of the same sweep).
    pub fn merge(&mut self, other: &Tally) -> Result<(), String> {
        if self.funded.len() != other.funded.len()
            || self.points.len() != other.points.len()
            || self.weight_sum.len() != other.weight_sum.len()
        {
            return Err("the shards are of different sweeps".into());
        }
        self.runs += other.runs;
        self.infeasible += other.infeasible;
        self.base_hits += other.base_hits;
        for (a, b) in self.funded.iter_mut().zip(&other.funded) {
            *a += b;
        }
        for (a, b) in self.weight_sum.iter_mut().zip(&other.weight_sum) {
            *a += b;
        }
        for (xs, ys) in self
            .weight_when_funded
            .iter_mut()
            .zip(&other.weight_when_funded)
        {
            for (a, b) in xs.iter_mut().zip(ys) {
                *a += b;
            }
        }
        for (key, seen) in &other.portfolios {
            let entry = self.portfolios.entry(key.clone()).or_insert(Seen {
                runs: 0,
                first_run: seen.first_run,
            });
            entry.runs += seen.runs;
            entry.first_run = entry.first_run.min(seen.first_run);
        }
        for (a, b) in self.points.iter_mut().zip(&other.points) {
            a.runs += b.runs;
            a.base_hits += b.base_hits;
            a.min_score = match (a.min_score, b.min_score) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            };
            a.max_score = match (a.max_score, b.max_score) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            };
        }
        for (i, (a, b)) in self.frontier.iter_mut().zip(&other.frontier).enumerate() {
            match (&a, b) {
                (Some(x), Some(y)) if x != y => {
                    return Err(format!("the shards disagree on budget point {i}"))
                }
                (None, Some(y)) => *a = Some(y.clone()),
                _ => {}
            }
        }
        Ok(())
    }

    /// The most frequent portfolios, most runs first (ties: earliest first run).
    pub fn most_frequent(&self, k: usize) -> Vec<(&Vec<u32>, Seen)> {
        let mut all: Vec<(&Vec<u32>, Seen)> =
            self.portfolios.iter().map(|(p, s)| (p, *s)).collect();
        all.sort_by(|a, b| {
            b.1.runs
                .cmp(&a.1.runs)
                .then(a.1.first_run.cmp(&b.1.first_run))
        });
        all.truncate(k);
        all
    }
}

/// JSON object keys must be strings: the map travels as a list of entries.
mod portfolio_map {
    use super::Seen;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    #[derive(Serialize, Deserialize)]
    struct Entry {
        pairs: Vec<u32>,
        runs: u64,
        first_run: u64,
    }

    pub fn serialize<S: Serializer>(
        map: &BTreeMap<Vec<u32>, Seen>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        map.iter()
            .map(|(pairs, seen)| Entry {
                pairs: pairs.clone(),
                runs: seen.runs,
                first_run: seen.first_run,
            })
            .collect::<Vec<_>>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<Vec<u32>, Seen>, D::Error> {
        Ok(Vec::<Entry>::deserialize(d)?
            .into_iter()
            .map(|e| {
                (
                    e.pairs,
                    Seen {
                        runs: e.runs,
                        first_run: e.first_run,
                    },
                )
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funded(pairs: &[u32], score: i64) -> RunResult {
        RunResult::Funded {
            pairs: pairs.to_vec(),
            score: Decimal::from(score),
            paid: Decimal::ZERO,
        }
    }

    #[test]
    fn shards_add_up_to_the_whole() {
        let runs = [
            funded(&[0, 2], 5),
            funded(&[1], 4),
            RunResult::Infeasible,
            funded(&[0, 2], 6),
            funded(&[1], 3),
        ];
        let w = [Decimal::new(5, 1), Decimal::new(5, 1)];
        let mut whole = Tally::new(3, 2, 2);
        let mut shards = [Tally::new(3, 2, 2), Tally::new(3, 2, 2)];
        for (i, r) in runs.iter().enumerate() {
            whole.add(i as u64, i % 2, &w, r, &[0, 2], Some(&[0, 2]));
            shards[i % 2].add(i as u64, i % 2, &w, r, &[0, 2], Some(&[0, 2]));
        }
        whole.set_frontier(0, &runs[0]);
        shards[0].set_frontier(0, &runs[0]);
        let mut merged = shards[1].clone();
        merged.merge(&shards[0]).unwrap();
        assert_eq!(merged, whole);
        assert_eq!(whole.funded, vec![2, 2, 2]);
        assert_eq!(whole.base_hits, 2);
        assert_eq!(whole.infeasible, 1);
        assert_eq!(
            whole.most_frequent(1)[0].1,
            Seen {
                runs: 2,
                first_run: 0
            }
        );
        let json = serde_json::to_string(&whole).unwrap();
        assert_eq!(serde_json::from_str::<Tally>(&json).unwrap(), whole);
    }
}
