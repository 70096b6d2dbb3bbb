//! A fast primal heuristic: greedy starts improved by local search (add, swap one for one). It
//! proves nothing, but the closer it comes to the optimum the smaller the gap reduced-cost fixing
//! starts from (fixing.rs), and a near-optimal start lets a single HiGHS run both prove the
//! optimum and settle the tie-break where enumeration does not.
//! Feasibility is tracked with integer counters of the program's own rows (the one list of
//! constraints, see constraints.rs); the final portfolio is still verified exactly in `Decimal`
//! like any other.

use super::constraints::Incidence;
use super::program::Program;
use crate::rules::{Evaluation, Locked};
use crate::scenario::Scenario;
use std::time::Instant;

/// Refill steps (columns tried) one local search may spend. The remove-one-and-refill pass costs
/// (funded columns) × (columns) steps, quadratic in the round's size: unbounded it took minutes at
/// 10,000 scaled applications. Below about 1,500 columns a search stays under this, so small
/// rounds get the same incumbent as without the cap; a pass that would exceed it is cut short,
/// deterministically (a count, not a clock). On large rounds the enumeration proves the optimum
/// from the bound's side and needs no near-optimal incumbent: ten times this cost 0.4 s of a
/// 0.8 s solve at 10,000 scaled applications and changed no result.
pub(crate) const WORK: u64 = 3_000_000;

/// The refill steps of a search that starts from a remembered portfolio (a what-if's optimum
/// repaired, a sweep's earlier run): a polish of a good start, not a search from greedy fills.
/// Measured on `allot report --no-reserve`, one thread, same bytes: generated 10,000 seeds 7 / 1
/// / 5 21.7–22.3 → 18.2–19.2 s, 10.2 → 8.5 s, 10.8 → 9.6 s of CPU, the quzhou-like 10,000 seed 1
/// 29.9 → 24.7 s. A third or a tenth of this again was a little better on seeds 1 and 5 and worse
/// on seed 7; three times this, better on seed 5 only.
pub(crate) const HINTED_WORK: u64 = WORK / 10;

/// Counters of a portfolio over columns: the usage of each of the program's rows.
struct State {
    /// Per column: the rows it is in (index, coefficient).
    member: Incidence<i64>,
    bound: Vec<i64>,
    usage: Vec<i64>,
    /// Per column: its project, and whether it is locked in.
    project: Vec<usize>,
    locked: Vec<bool>,
    chosen: Vec<bool>,
    /// Per application: whether one of its columns is chosen.
    funded_project: Vec<bool>,
}

impl State {
    fn new(scenario: &Scenario, evaluation: &Evaluation, program: &Program) -> State {
        let cands = &evaluation.candidates;
        let rows = program.rows();
        State {
            member: Incidence::new(program.columns.len(), &rows, |row| &row.terms),
            usage: vec![0; rows.len()],
            bound: rows.iter().map(|row| row.bound).collect(),
            project: program.columns.iter().map(|&c| cands[c].project).collect(),
            locked: program
                .columns
                .iter()
                .map(|&c| cands[c].locked == Some(Locked::In))
                .collect(),
            chosen: vec![false; program.columns.len()],
            funded_project: vec![false; scenario.applications.len()],
        }
    }

    /// Whether every row holds (the rounds' floors among them).
    fn feasible(&self) -> bool {
        self.usage.iter().zip(&self.bound).all(|(u, b)| u <= b)
    }

    /// Adds columns of each row not yet met (a round's floor), in `order`, until it is met or
    /// nothing more fits.
    fn meet_floors(&mut self, order: &[usize]) {
        for r in 0..self.usage.len() {
            for &i in order {
                if self.usage[r] <= self.bound[r] {
                    break;
                }
                if self.member.of(i).iter().any(|&(row, a)| row == r && a < 0) {
                    self.try_add(i);
                }
            }
        }
    }

    /// Whether every row column `i` is in holds.
    fn holds(&self, i: usize) -> bool {
        self.member
            .of(i)
            .iter()
            .all(|&(r, _)| self.usage[r] <= self.bound[r])
    }

    fn set(&mut self, i: usize, on: bool) {
        let d: i64 = if on { 1 } else { -1 };
        self.chosen[i] = on;
        self.funded_project[self.project[i]] = on;
        for &(r, a) in self.member.of(i) {
            self.usage[r] += d * a;
        }
    }

    /// Adds `i` if the rows it adds to still hold: only those can break (a round's floor, whose
    /// coefficients are negative, may not hold yet and only comes closer).
    fn try_add(&mut self, i: usize) -> bool {
        if self.chosen[i] || self.funded_project[self.project[i]] {
            return false;
        }
        let fits = self
            .member
            .of(i)
            .iter()
            .all(|&(r, a)| a <= 0 || self.usage[r] + a <= self.bound[r]);
        if fits {
            self.set(i, true);
        }
        fits
    }
}

/// The best portfolio the heuristic finds, as a column vector, from the given starts (which must be
/// feasible), hints (column lists, kept only as far as they fit) and greedy fills (by the linear
/// relaxation's values, by score per yuan, by score), each searched locally for at most `work`
/// refill steps (`WORK`; 0 leaves the greedy fills as they are); `None` when no start satisfies
/// the locks. It stops at the program's deadline.
pub(crate) fn improve(
    scenario: &Scenario,
    evaluation: &Evaluation,
    program: &Program,
    starts: &[Vec<bool>],
    hints: &[Vec<usize>],
    relaxation: Option<&[f64]>,
    work: u64,
) -> Option<Vec<bool>> {
    let n = program.columns.len();
    let deadline = program.deadline;
    let score = &program.score;
    let mut by_ratio: Vec<usize> = (0..n).collect();
    by_ratio.sort_by(|&a, &b| {
        let ra = score[a] as f64 / program.subsidy[a].max(1) as f64;
        let rb = score[b] as f64 / program.subsidy[b].max(1) as f64;
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let mut by_score: Vec<usize> = (0..n).collect();
    by_score.sort_by(|&a, &b| score[b].cmp(&score[a]).then(a.cmp(&b)));

    let mut best: Option<(i64, Vec<bool>)> = None;
    let mut consider = |state: State| {
        if !state.feasible() {
            return;
        }
        let value: i64 = (0..n).filter(|&i| state.chosen[i]).map(|i| score[i]).sum();
        if best.as_ref().is_none_or(|(v, _)| value > *v) {
            best = Some((value, state.chosen.clone()));
        }
    };
    for start in starts {
        let mut state = State::new(scenario, evaluation, program);
        for i in (0..n).filter(|&i| start[i]) {
            state.set(i, true);
        }
        search(&mut state, score, &[&by_score, &by_ratio], deadline, work);
        consider(state);
    }
    for hint in hints {
        let mut state = State::new(scenario, evaluation, program);
        let locked: Vec<usize> = (0..n).filter(|&i| state.locked[i]).collect();
        if !locked.into_iter().all(|i| state.try_add(i)) {
            break;
        }
        for &i in hint {
            state.try_add(i);
        }
        state.meet_floors(&by_ratio);
        search(&mut state, score, &[&by_score, &by_ratio], deadline, work);
        consider(state);
    }
    // The relaxation's columns first (largest value first), then by score: rounding the LP down
    // and refilling keeps what the relaxation found about how to spend each pool.
    let mut by_relaxation: Vec<usize> = (0..n).collect();
    if let Some(values) = relaxation {
        by_relaxation.sort_by(|&a, &b| {
            values[b]
                .total_cmp(&values[a])
                .then(score[b].cmp(&score[a]))
                .then(a.cmp(&b))
        });
    }
    let orders: Vec<&Vec<usize>> = if relaxation.is_some() {
        vec![&by_relaxation, &by_ratio, &by_score]
    } else {
        vec![&by_ratio, &by_score]
    };
    for order in orders {
        let mut state = State::new(scenario, evaluation, program);
        let locked: Vec<usize> = (0..n).filter(|&i| state.locked[i]).collect();
        if !locked.into_iter().all(|i| state.try_add(i)) {
            continue;
        }
        state.meet_floors(order);
        for &i in order.iter() {
            state.try_add(i);
        }
        search(&mut state, score, &[&by_score, &by_ratio], deadline, work);
        consider(state);
    }
    best.map(|(_, x)| x)
}

/// Local search: add what fits; then, for each funded column, remove it and refill greedily (in
/// score order and in score-per-yuan order), keeping the change when the total score rises. This
/// covers swaps, one-for-two trades and moving a project to its other round. Stops early, keeping
/// what it has, after `work` refill steps or at the deadline.
fn search(
    state: &mut State,
    score: &[i64],
    orders: &[&[usize]],
    deadline: Option<Instant>,
    mut work: u64,
) {
    let n = score.len();
    for &i in orders[0] {
        if score[i] > 0 {
            state.try_add(i);
        }
    }
    for _ in 0..50 {
        let mut improved = false;
        for out in 0..n {
            if !state.chosen[out] || state.locked[out] {
                continue;
            }
            let steps = (orders.len() * n) as u64;
            if work < steps || deadline.is_some_and(|d| Instant::now() >= d) {
                return;
            }
            work -= steps;
            // A column another funded project requires stays: without it nothing can be added
            // (the set breaks a dependency), and with a negative score removing it alone would
            // look like a gain and leave an infeasible portfolio.
            state.set(out, false);
            let removable = state.holds(out);
            state.set(out, true);
            if !removable {
                continue;
            }
            let mut best_gain = 0;
            let mut best_added: Option<Vec<usize>> = None;
            for order in orders {
                state.set(out, false);
                let mut added = Vec::new();
                for &i in order.iter() {
                    if i != out && score[i] > 0 && state.try_add(i) {
                        added.push(i);
                    }
                }
                let gain: i64 = added.iter().map(|&i| score[i]).sum::<i64>() - score[out];
                for &i in &added {
                    state.set(i, false);
                }
                state.set(out, true);
                if gain > best_gain {
                    best_gain = gain;
                    best_added = Some(added);
                }
            }
            if let Some(added) = best_added {
                state.set(out, false);
                for i in added {
                    state.set(i, true);
                }
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
}
