//! The expert panel as a sweep dimension: every expert left out in turn, or the experts resampled
//! with replacement (seeded). Expert k is the k-th column of every panel, as on a review form
//! where one panel scores each criterion; with a single panel it is simply each expert. A variant
//! is the scenario with each panel's scores replaced by the chosen experts' — the rest of the run
//! (weights, budgets, the solve) is unchanged.

use crate::error::{Error, Result};
use crate::scenario::Scenario;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Keeps the resampling's random stream apart from the weight sampler's under one `--seed`.
const STREAM_SALT: u64 = 0x9E37_79B9_7F4A_7C15;

/// How a sweep varies the panels (`--experts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpertSpec {
    /// Each expert dropped in turn: one variant per expert.
    LeaveOneOut,
    /// The experts resampled with replacement, this many times.
    Bootstrap(usize),
}

impl ExpertSpec {
    /// Reads `leave-one-out` or `bootstrap:N`.
    pub fn parse(text: &str) -> std::result::Result<ExpertSpec, String> {
        let t = text.trim();
        if t == "leave-one-out" {
            return Ok(ExpertSpec::LeaveOneOut);
        }
        if let Some(n) = t.strip_prefix("bootstrap:") {
            return match n.trim().parse::<usize>() {
                Ok(n) if n > 0 => Ok(ExpertSpec::Bootstrap(n)),
                _ => Err(format!(
                    "{n:?} is not a number of resamples (bootstrap:200)"
                )),
            };
        }
        Err(format!(
            "{t:?}: write leave-one-out or bootstrap:N (N resamples)"
        ))
    }
}

impl std::fmt::Display for ExpertSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ExpertSpec::LeaveOneOut => f.write_str("leave-one-out"),
            ExpertSpec::Bootstrap(n) => write!(f, "bootstrap:{n}"),
        }
    }
}

/// The panel variants of a sweep; one variant, the scenario's own panels, without `--experts`.
#[derive(Debug, Clone)]
pub struct Experts {
    spec: Option<ExpertSpec>,
    seed: u64,
    /// The panels' sizes, ascending and distinct: a resample draws once per size.
    sizes: Vec<usize>,
}

impl Experts {
    /// The scenario's panels as they are.
    pub fn none() -> Experts {
        Experts {
            spec: None,
            seed: 0,
            sizes: Vec::new(),
        }
    }

    /// Checks the scenario has panels that every variant can still aggregate.
    pub fn new(scenario: &Scenario, spec: ExpertSpec, seed: u64) -> Result<Experts> {
        let panels: Vec<_> = scenario
            .scoring
            .criteria
            .iter()
            .filter_map(|c| c.panel.as_ref().map(|p| (c, p)))
            .collect();
        if panels.is_empty() {
            return Err(Error::Input(format!(
                "--experts {spec}: no criterion is scored by a panel (give a criterion experts = [...] and aggregate = \"trimmed\")"
            )));
        }
        if spec == ExpertSpec::LeaveOneOut {
            for (c, p) in &panels {
                let left = p.experts.len() - 1;
                if left < p.aggregate.min_experts() {
                    return Err(Error::Input(format!(
                        "--experts leave-one-out: criterion {} ({}) has {} experts; with one left out, {left} remain and the {} rule needs at least {}",
                        c.id,
                        c.name,
                        p.experts.len(),
                        p.aggregate.name(),
                        p.aggregate.min_experts()
                    )));
                }
            }
        }
        let sizes: BTreeSet<usize> = panels.iter().map(|(_, p)| p.experts.len()).collect();
        Ok(Experts {
            spec: Some(spec),
            seed,
            sizes: sizes.into_iter().collect(),
        })
    }

    /// The setting as given (`leave-one-out`, `bootstrap:200`), `None` without `--experts`.
    pub fn spec(&self) -> Option<ExpertSpec> {
        self.spec
    }

    /// Panel variants: 1 without `--experts`.
    pub fn count(&self) -> usize {
        match self.spec {
            None => 1,
            Some(ExpertSpec::LeaveOneOut) => self.sizes.last().copied().unwrap_or(1),
            Some(ExpertSpec::Bootstrap(n)) => n,
        }
    }

    /// Variant `i` as a solve names it: `None` when there is no `--experts` (the scenario's own
    /// panels, shared with the frontier's solves).
    pub fn variant(&self, i: usize) -> Option<usize> {
        self.spec.map(|_| i)
    }

    /// The experts (0-based positions, repeats allowed) variant `i` takes from a panel of `size`.
    fn chosen(&self, i: usize, size: usize) -> Vec<usize> {
        match self.spec {
            None => (0..size).collect(),
            Some(ExpertSpec::LeaveOneOut) => (0..size).filter(|&k| k != i).collect(),
            Some(ExpertSpec::Bootstrap(_)) => {
                let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ STREAM_SALT);
                rng.set_stream(i as u64);
                let mut out = Vec::new();
                for &m in &self.sizes {
                    let draw: Vec<usize> = (0..m).map(|_| rng.gen_range(0..m)).collect();
                    if m == size {
                        out = draw;
                    }
                }
                out.sort_unstable();
                out
            }
        }
    }

    /// The scenario as variant `i` scores it; `None` when that is the scenario itself.
    pub fn apply(&self, scenario: &Scenario, i: usize) -> Option<Scenario> {
        self.spec?;
        let mut s = scenario.clone();
        for (c, criterion) in s.scoring.criteria.iter_mut().enumerate() {
            let Some(panel) = criterion.panel.as_mut() else {
                continue;
            };
            let chosen = self.chosen(i, panel.experts.len());
            for app in std::sync::Arc::make_mut(&mut s.applications).iter_mut() {
                let Some(scores) = app.panels.get_mut(c) else {
                    continue;
                };
                if scores.is_empty() {
                    continue;
                }
                *scores = chosen.iter().map(|&k| scores[k]).collect();
                app.criteria[c] = Some(panel.aggregate.value(scores));
            }
            panel.experts = chosen.iter().map(|&k| panel.experts[k].clone()).collect();
        }
        Some(s)
    }

    /// Variant `i` in a run line: the expert left out (1-based), or the experts drawn for each
    /// panel size (1-based, sorted).
    pub fn describe(&self, i: usize) -> Option<Value> {
        match self.spec? {
            ExpertSpec::LeaveOneOut => Some(json!({ "left_out": i + 1 })),
            ExpertSpec::Bootstrap(_) => {
                // Per panel size (the experts of a 5-panel, of a 7-panel), 1-based.
                let drawn: serde_json::Map<String, Value> = self
                    .sizes
                    .iter()
                    .map(|&m| {
                        let chosen: Vec<usize> = self.chosen(i, m).iter().map(|k| k + 1).collect();
                        (m.to_string(), json!(chosen))
                    })
                    .collect();
                Some(json!({ "resample": i, "drawn": drawn }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bootstrap(n: usize, seed: u64, sizes: Vec<usize>) -> Experts {
        Experts {
            spec: Some(ExpertSpec::Bootstrap(n)),
            seed,
            sizes,
        }
    }

    #[test]
    fn specs_are_read_and_written_back() {
        for text in ["leave-one-out", "bootstrap:25"] {
            assert_eq!(ExpertSpec::parse(text).unwrap().to_string(), text);
        }
        assert!(ExpertSpec::parse("bootstrap:0").is_err());
        assert!(ExpertSpec::parse("jackknife").is_err());
    }

    #[test]
    fn leave_one_out_drops_the_kth_expert_of_each_panel() {
        let e = Experts {
            spec: Some(ExpertSpec::LeaveOneOut),
            seed: 0,
            sizes: vec![3, 5],
        };
        assert_eq!(e.count(), 5);
        assert_eq!(e.chosen(1, 5), vec![0, 2, 3, 4]);
        assert_eq!(e.chosen(4, 3), vec![0, 1, 2]); // a smaller panel has no fifth expert
    }

    #[test]
    fn a_resample_depends_on_the_seed_and_the_index_only() {
        let a = bootstrap(10, 7, vec![5]);
        let b = bootstrap(10, 7, vec![5, 7]);
        // The draw for the 5-panel comes first in the stream, whatever other sizes follow.
        assert_eq!(a.chosen(3, 5), b.chosen(3, 5));
        assert_eq!(a.chosen(3, 5).len(), 5);
        assert!(a.chosen(3, 5).iter().all(|&k| k < 5));
        let draws: BTreeSet<Vec<usize>> = (0..10).map(|i| a.chosen(i, 5)).collect();
        assert!(draws.len() > 1, "resamples differ");
        assert_ne!(
            (0..10).map(|i| a.chosen(i, 5)).collect::<Vec<_>>(),
            (0..10)
                .map(|i| bootstrap(10, 8, vec![5]).chosen(i, 5))
                .collect::<Vec<_>>()
        );
    }
}
