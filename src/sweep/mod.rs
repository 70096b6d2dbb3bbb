//! Stage 5: sensitivity sweeps. The same round solved many times — weight vectors × budget points
//! — each run an independent, exact solve. Runs are solved in parallel (rayon, in blocks) and
//! folded into a [`Tally`] in run order, so the result does not depend on the thread count. Speed
//! comes from not solving a run twice (identical weights and budgets share one solve) and from
//! warm starts: the portfolios other runs found best are handed to each solve as hints, which
//! only changes how fast the proof goes, never the answer (the optimum with its tie-break is
//! unique).

mod budgets;
mod experts;
mod header;
mod shard;
mod summary;
mod tally;
mod weights;

pub use budgets::{BudgetAxis, BudgetGrid};
pub use experts::{ExpertSpec, Experts};
pub use header::{Settings, SweepHeader, CERTIFICATE_KEYS};
pub use shard::{merge_shards, ShardFile, ShardJson};
pub use summary::from_summary;
pub use tally::{FrontierPoint, PointStats, RunResult, Seen, Tally};
pub use weights::{parse_statement, Sampler, Statement, WeightSpec, WEIGHT_DP};

use crate::error::{Error, Result};
use crate::parallel;
use crate::rules::{Assessed, Evaluation};
use crate::scenario::{Money, Scenario};
use crate::solve::{self, Options, Outcome, Status};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::sync::Mutex;

/// One solve: (panel variant, budget point, weights), the variant `None` for the scenario's own
/// panels; equal keys have one optimum.
type Key = (Option<usize>, usize, Vec<Decimal>);

/// Runs solved in parallel before their results are folded in order.
const BLOCK: usize = 64;
/// Portfolios kept as warm-start hints.
const HINTS_KEPT: usize = 64;
/// Hints handed to each solve (the best under its weights).
const HINTS_USED: usize = 3;
/// Repeated (weights, budgets) remembered across blocks, for grid sweeps.
const MEMO_LIMIT: usize = 100_000;

/// Which share of the runs this process does: runs `r` with `r % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

impl Shard {
    /// The whole sweep.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Reads `i/n` (0 ≤ i < n).
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("{text:?}: write the shard as i/n, e.g. 0/4 (0-based)"))?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| format!("{i:?} is not a shard index"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("{n:?} is not a shard count"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "{text}: the index must be 0 to {}",
                count.max(1) - 1
            ));
        }
        Ok(Shard { index, count })
    }

    fn owns(&self, i: usize) -> bool {
        i % self.count == self.index
    }
}

/// What a sweep varies.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The panel variants (one without `--experts`).
    pub experts: Experts,
    /// The weight vectors.
    pub sampler: Sampler,
    /// The budget points.
    pub grid: BudgetGrid,
    /// This process's share.
    pub shard: Shard,
}

impl Plan {
    /// Panel variants × weight vectors × budget points.
    pub fn runs(&self) -> u64 {
        self.experts.count() as u64 * self.sampler.count() as u64 * self.grid.count() as u64
    }

    /// The runs this shard does.
    pub fn shard_runs(&self) -> u64 {
        let all = self.runs();
        let (i, n) = (self.shard.index as u64, self.shard.count as u64);
        all / n + u64::from(all % n > i)
    }

    /// Run `index`'s panel variant, weight vector and budget point: the panel varies slowest,
    /// then the weights.
    pub fn split(&self, index: u64) -> Job {
        let b = self.grid.count() as u64;
        let w = self.sampler.count() as u64;
        Job {
            panel: (index / (w * b)) as usize,
            weights: (index / b % w) as usize,
            point: (index % b) as usize,
        }
    }
}

/// Where one run sits in the sweep's product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    /// Panel variant.
    pub panel: usize,
    /// Weight vector.
    pub weights: usize,
    /// Budget point.
    pub point: usize,
}

/// One run, as `--emit-runs` writes it.
#[derive(Debug, Clone)]
pub struct RunRecord {
    /// Run index (0-based, over the whole sweep).
    pub index: u64,
    /// Panel variant (0 without `--experts`).
    pub panel: usize,
    /// Budget point.
    pub point: usize,
    /// The normalized weights used.
    pub weights: Vec<Decimal>,
    /// Every pool's budget.
    pub budgets: Vec<Money>,
    /// The optimum.
    pub result: RunResult,
}

/// A prepared sweep: the pairs it reports on and the base portfolio.
pub struct Sweep<'a> {
    scenario: &'a Scenario,
    /// What varies.
    pub plan: Plan,
    /// Every (project, round) applied for, in application order: the rows of acceptability.
    pub pairs: Vec<(usize, usize)>,
    pair_index: HashMap<(usize, usize), u32>,
    /// The base evaluation (scenario weights).
    pub base_evaluation: Evaluation,
    /// The base optimum (scenario weights and budgets).
    pub base: Outcome,
    /// The base portfolio as pair indices.
    pub base_pairs: Vec<u32>,
    /// The rules' weight-free pass over the scenario, for the runs that keep its panels.
    assessed: Assessed,
    hints: Mutex<Vec<Vec<u32>>>,
    memo: Mutex<HashMap<Key, RunResult>>,
    solves: AtomicU64,
    stop: Arc<AtomicBool>,
}

impl<'a> Sweep<'a> {
    /// Prepares the sweep and solves the base scenario (an error if that is infeasible).
    pub fn new(scenario: &'a Scenario, plan: Plan) -> Result<Sweep<'a>> {
        let pairs: Vec<(usize, usize)> = scenario
            .applications
            .iter()
            .enumerate()
            .flat_map(|(p, a)| a.rounds.iter().map(move |&r| (p, r)))
            .collect();
        let pair_index = pairs
            .iter()
            .enumerate()
            .map(|(i, &pr)| (pr, i as u32))
            .collect();
        let assessed = Assessed::new(scenario);
        let base_evaluation =
            assessed.weighted(scenario, plan.sampler.scoring(plan.sampler.base()));
        let base = solve::solve(scenario, &base_evaluation, &Options::default())?;
        let mut sweep = Sweep {
            scenario,
            plan,
            pairs,
            pair_index,
            base_evaluation,
            base,
            base_pairs: Vec::new(),
            assessed,
            hints: Mutex::new(Vec::new()),
            memo: Mutex::new(HashMap::new()),
            solves: AtomicU64::new(1),
            stop: Arc::new(AtomicBool::new(false)),
        };
        sweep.base_pairs = sweep.pairs_of(&sweep.base_evaluation, &sweep.base);
        sweep.remember(&sweep.base_pairs.clone());
        Ok(sweep)
    }

    /// The scenario swept.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    fn pairs_of(&self, evaluation: &Evaluation, outcome: &Outcome) -> Vec<u32> {
        let mut out: Vec<u32> = outcome
            .portfolio
            .funded
            .iter()
            .map(|&c| {
                let cand = &evaluation.candidates[c];
                self.pair_index[&(cand.project, cand.round)]
            })
            .collect();
        out.sort_unstable();
        out
    }

    fn remember(&self, pairs: &[u32]) {
        let mut hints = self.hints.lock().unwrap_or_else(|e| e.into_inner());
        if !hints.iter().any(|h| h.as_slice() == pairs) {
            if hints.len() == HINTS_KEPT {
                hints.remove(1); // keep the base portfolio, drop the oldest other
            }
            hints.push(pairs.to_vec());
        }
    }

    /// A flag that, once set (e.g. by a Ctrl-C handler), stops the sweep: solves not yet started
    /// are skipped and [`Sweep::run`] returns [`Error::Interrupted`].
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    fn stopped(&self) -> Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(Error::Interrupted(
                "the sweep was stopped before every run was solved; nothing was written".into(),
            ));
        }
        Ok(())
    }

    /// Solves made so far, the base included (repeats are not solved again).
    pub fn solves(&self) -> u64 {
        self.solves.load(Ordering::Relaxed)
    }

    /// Solves with this panel variant (`None`: the scenario's panels), weights and budgets: the
    /// exact optimum, or infeasible.
    pub fn solve_one(
        &self,
        panel: Option<usize>,
        weights: &[Decimal],
        budgets: &[Money],
    ) -> Result<RunResult> {
        self.solves.fetch_add(1, Ordering::Relaxed);
        let changed = budgets
            .iter()
            .zip(&self.scenario.pools)
            .any(|(b, p)| *b != p.budget);
        let mut owned = panel.and_then(|i| self.plan.experts.apply(self.scenario, i));
        // A panel variant changes the criteria: its rules are applied afresh. Budgets change
        // nothing the weight-free pass reads.
        let panelled = owned.is_some();
        if changed {
            let s = owned.get_or_insert_with(|| self.scenario.clone());
            for (pool, b) in s.pools.iter_mut().zip(budgets) {
                pool.budget = *b;
            }
        }
        let scenario = owned.as_ref().unwrap_or(self.scenario);
        let weights = self.plan.sampler.scoring(weights);
        let evaluation = if panelled {
            crate::rules::evaluate_with_weights(scenario, weights)
        } else {
            self.assessed.weighted(scenario, weights)
        };
        // A run reports only its optimum: no rank-and-cut baseline to compare it with.
        let options = Options {
            hints: self.hints_for(&evaluation),
            baseline: false,
            ..Options::default()
        };
        let outcome = match solve::solve(scenario, &evaluation, &options) {
            Ok(o) => o,
            Err(Error::Infeasible(_)) => return Ok(RunResult::Infeasible),
            Err(e) => return Err(e),
        };
        if outcome.status != Status::Optimal {
            return Err(Error::Solver(
                "a sweep run stopped before its optimum was proven".into(),
            ));
        }
        let pairs = self.pairs_of(&evaluation, &outcome);
        self.remember(&pairs);
        let paid = outcome.portfolio.paid.iter().map(|m| m.yuan()).sum();
        Ok(RunResult::Funded {
            pairs,
            score: outcome.portfolio.total_score,
            paid,
        })
    }

    /// The remembered portfolios that score best under this evaluation, as (project, round).
    fn hints_for(&self, evaluation: &Evaluation) -> Vec<Vec<(usize, usize)>> {
        let mut score_of = vec![None; self.pairs.len()];
        for c in &evaluation.candidates {
            score_of[self.pair_index[&(c.project, c.round)] as usize] = Some(c.score);
        }
        // Score the kept portfolios under the lock and copy out only the few handed to the solve.
        let hints = self.hints.lock().unwrap_or_else(|e| e.into_inner());
        let mut scored: Vec<(Decimal, &Vec<u32>)> = hints
            .iter()
            .map(|h| (h.iter().filter_map(|&p| score_of[p as usize]).sum(), h))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(HINTS_USED)
            .map(|(_, h)| h.iter().map(|&p| self.pairs[p as usize]).collect())
            .collect()
    }

    /// Runs this shard's share: the frontier points first, then the runs in blocks. `each` sees
    /// every run in run order (for `--emit-runs` and progress) and may stop the sweep with an error.
    pub fn run(&self, mut each: impl FnMut(&RunRecord) -> Result<()>) -> Result<Tally> {
        let plan = &self.plan;
        let criteria = plan.sampler.base().len();
        let points = plan.grid.count();
        let mut tally = Tally::new(self.pairs.len(), criteria, points);
        let memo_on = !plan.sampler.is_random();

        // The frontier: the base weights at every budget point, recorded for the points this
        // shard owns; every shard needs each point's portfolio to count that point's stability.
        let results = self.solve_block(
            (0..points)
                .map(|b| (None, b, plan.sampler.base().to_vec()))
                .collect(),
            true,
        )?;
        let mut point_base: Vec<Option<Vec<u32>>> = Vec::with_capacity(points);
        for (b, r) in results.iter().enumerate() {
            if plan.shard.owns(b) {
                tally.set_frontier(b, r);
            }
            point_base.push(match r {
                RunResult::Funded { pairs, .. } => Some(pairs.clone()),
                RunResult::Infeasible => None,
            });
        }

        let total = plan.runs();
        let mut next = plan.shard.index as u64;
        while next < total {
            let mut ids = Vec::with_capacity(BLOCK);
            while ids.len() < BLOCK && next < total {
                ids.push(next);
                next += plan.shard.count as u64;
            }
            let jobs: Vec<Key> = ids
                .iter()
                .map(|&r| {
                    let job = plan.split(r);
                    (
                        plan.experts.variant(job.panel),
                        job.point,
                        plan.sampler.weights(job.weights),
                    )
                })
                .collect();
            let results = self.solve_block(jobs.clone(), memo_on)?;
            for ((&index, (panel, point, weights)), result) in ids.iter().zip(jobs).zip(results) {
                tally.add(
                    index,
                    point,
                    &weights,
                    &result,
                    &self.base_pairs,
                    point_base[point].as_deref(),
                );
                each(&RunRecord {
                    index,
                    panel: panel.unwrap_or(0),
                    point,
                    budgets: plan.grid.budgets(self.scenario, point),
                    weights,
                    result,
                })?;
            }
        }
        Ok(tally)
    }

    /// Solves a block of jobs in parallel; a job equal to an earlier one (in this block, or
    /// remembered) is not solved again.
    fn solve_block(&self, jobs: Vec<Key>, memo_on: bool) -> Result<Vec<RunResult>> {
        let mut first: HashMap<&Key, usize> = HashMap::new();
        let mut known: Vec<Option<RunResult>> = vec![None; jobs.len()];
        let mut todo = Vec::new();
        {
            let memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            for (i, job) in jobs.iter().enumerate() {
                if let Some(r) = memo.get(job) {
                    known[i] = Some(r.clone());
                } else if !first.contains_key(job) {
                    first.insert(job, i);
                    todo.push(i);
                }
            }
        }
        let solved: Vec<Result<RunResult>> = parallel::map(&todo, |&i| {
            self.stopped()?;
            let (panel, point, weights) = &jobs[i];
            self.solve_one(
                *panel,
                weights,
                &self.plan.grid.budgets(self.scenario, *point),
            )
        });
        for (&i, r) in todo.iter().zip(solved) {
            known[i] = Some(r?);
        }
        for (i, job) in jobs.iter().enumerate() {
            if known[i].is_none() {
                known[i] = known[first[job]].clone();
            }
        }
        if memo_on {
            let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            for (job, r) in jobs.iter().zip(&known) {
                if memo.len() < MEMO_LIMIT {
                    memo.entry(job.clone())
                        .or_insert_with(|| r.clone().expect("filled above"));
                }
            }
        }
        Ok(known
            .into_iter()
            .map(|r| r.expect("every job is filled"))
            .collect())
    }
}
