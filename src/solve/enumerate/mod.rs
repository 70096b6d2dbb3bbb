//! The proof for the columns reduced-cost fixing leaves free, by enumerating every portfolio
//! that could match the incumbent — a dynamic programme over the free columns, one at a time.
//!
//! With the relaxation's multipliers y (see fixing.rs) every portfolio x has, exactly,
//!
//! ```text
//! score(x) = U − L(x),   L(x) = Σ_free penalty_j(x) + Σ_rows y_i · slack_i(x)  (all terms ≥ 0),
//! ```
//!
//! so the portfolios scoring at least a `floor` are those with L(x) ≤ G = U − floor. Columns go
//! pool by pool (one amount row open at a time), within a pool by gain per yuan — except that a
//! project's columns in two pools (its once-only row) are moved to the boundary between them, the
//! end of the first pool and the front of the second, so each such row is open over a few
//! columns rather than splitting the states through a whole pool. Those at a pool's end are
//! joined to the pool's states in one step (`join`): their subsets are searched alone, depth
//! first, pruned by a bound that prices the pool's amount row (`join::Fits`), and each is paired
//! only with the best states it fits, since the pool's amount row closes after them.
//!
//! A partial portfolio is dropped when a lower bound on its L already exceeds G: its penalties so
//! far, the slack of every row it has closed, Dantzig's bound on what the rest of its pool can
//! still win back (over the two sorted parts a pool may then have), and the slack other open rows
//! keep even if every remaining column joins. It is also dropped when another partial portfolio
//! over the same columns scores strictly more while using no more of every row still open (any
//! completion of the first then scores strictly more from the second). Neither rule drops a
//! portfolio scoring at least the best, so the survivors at the end that reach the floor are every
//! optimal portfolio: exactly one means the optimum is proven and unique, and the tie-break is
//! settled; none means the optimum is below the floor. After each step the states nearest the
//! relaxation are completed greedily into whole portfolios (`Walk::complete`): one scoring past
//! the floor raises it, which drops no portfolio of the best score and prunes the rest sooner.
//!
//! Knapsack-shaped cores — near the funding line many projects of nearly equal score per yuan,
//! where a branch-and-bound over the relaxation must visit very many nodes — are what this
//! settles quickly. It gives up (and HiGHS proves instead) when the states outgrow its `Effort` or
//! `STATE_BYTES` (in a join, its visits or `join::JOIN_BYTES`), or at the deadline; ties go to
//! HiGHS's tie stages.

mod bound;
mod join;
mod order;
mod states;
#[cfg(test)]
mod tests;

use super::fixing::{DualBound, SHIFT};
use super::program::Row;
use bound::{Local, LossBound, Rest};
use join::{join, Join};
use order::Order;
use states::{bits, undominated, States, Tie};
use std::time::Instant;

/// What the enumeration may still spend: states per step, and states over all steps of all
/// floors tried (see `Effort::for_round`). Deterministic, unlike a clock, so the proof recorded
/// in the certificate does not depend on the machine.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Effort {
    /// States one step may keep.
    pub per_step: usize,
    /// States all steps may still keep, summed.
    pub left: usize,
    /// Joined steps taken (see `join`), for the tests and the trace.
    pub joins: usize,
    /// Partial subsets the joins searched, summed: their work, which the states kept do not show.
    pub visited: usize,
    /// When to stop, when the solve is limited.
    pub deadline: Option<Instant>,
}

impl Effort {
    /// The budget for a round of `free` free columns and `rows` rows: `4 · free · rows` states a
    /// step (between 4,096 and 2²⁰), and `max(256, 2 · free)` times that over all steps of
    /// all floors (two passes at the widest step: a big round's proof needs them). Past it,
    /// HiGHS (given the incumbent, the fixings and the floors proven empty) is the faster
    /// prover. Measured: the rounds `allot generate` makes need at most a few hundred states a
    /// step (10,000 and 100,000 applications included); on 40–80-project rounds with linked
    /// pools the enumeration spent 9 s on a million states a step where HiGHS then proved the
    /// optimum in 70 ms; 100,000 applications (seed 3) needs about 80 million states in all.
    pub fn for_round(free: usize, rows: usize) -> Effort {
        let per_step = free
            .saturating_mul(rows.max(1))
            .saturating_mul(4)
            .clamp(1 << 12, MOST_PER_STEP);
        Effort {
            per_step,
            left: per_step.saturating_mul(free.saturating_mul(2).max(256)),
            joins: 0,
            visited: 0,
            deadline: None,
        }
    }
}

/// The most states a step may keep on any round (see `Effort::for_round`).
const MOST_PER_STEP: usize = 1 << 20;

/// Bytes those states may take (a step briefly holds about three times as much: the candidates
/// for the next step and the survivors copied out), so that a solve stays well under 1 GiB.
pub(super) const STATE_BYTES: usize = 128 << 20;

/// States completed greedily after each step (see `Walk::complete`), the lowest loss first: one
/// for every four the step keeps, at most this many. On the 10,000-application rounds of two
/// generators (22 rounds) one a step took 10.2 s in all, 8 took 8.7 s, 32 took 8.9 s: a
/// completion that lifts the floor early prunes the rest. One for every four, not 8 whatever
/// the step keeps, spares the small rounds of a sweep (1,000 runs 1.72 → 1.62 s of CPU, as
/// before completions).
const COMPLETED: usize = 8;

/// Reduced costs within this (one unit of score, 1e-4 points) count as a near-tie (see `prove`).
const NEAR: i128 = 1 << SHIFT;

/// What the enumeration settled.
pub(crate) enum Proof {
    /// The optimal portfolio under the whole tie-break: the survivors are every portfolio of the
    /// best score (a state is only ever dropped for a strictly better one, or when its bound falls
    /// below the floor), so the least total amount and then the earliest differing candidate are
    /// chosen among them exactly.
    Unique(Vec<bool>),
    /// No portfolio scores at least the floor; the most states a step held.
    Empty(usize),
    /// The states outgrew the `Effort`, or time ran out: no conclusion.
    Open,
}

/// What the enumeration needs of each column besides the bound: its score (units of 1e-4
/// points), its amount (fen, for the tie-break's least total) and its candidate index (the
/// tie-break's order).
pub(crate) struct Columns<'a> {
    pub score: &'a [i64],
    pub subsidy: &'a [i64],
    pub rank: &'a [usize],
}

impl<'a> Columns<'a> {
    /// The program's columns: their scores, amounts and candidates.
    pub fn of(program: &'a super::program::Program) -> Columns<'a> {
        Columns {
            score: &program.score,
            subsidy: &program.subsidy,
            rank: &program.columns,
        }
    }
}

/// A whole portfolio the enumeration came across on its way (see `Walk::complete`): it meets
/// every row and agrees with the fixings, and `score` is its total over all the columns.
pub(crate) struct Found {
    pub score: i64,
    pub x: Vec<bool>,
}

/// Enumerates the portfolios agreeing with `fixed` whose L stays within U − floor. `found`, the
/// best portfolio known (from an earlier floor, or none), is replaced by any better one the
/// walk completes; one above the floor raises it.
pub(crate) fn prove(
    columns: &Columns,
    rows: &[Row],
    bound: &DualBound,
    fixed: &[Option<bool>],
    floor: i64,
    effort: &mut Effort,
    found: &mut Option<Found>,
) -> Proof {
    let walked = survivors(
        columns,
        rows,
        bound,
        fixed,
        floor,
        effort,
        Some(found),
        None,
        |end| {
            let states = end.states;
            let best = states.score.iter().copied().max().unwrap_or(i64::MIN);
            if !end.reaches(best) {
                return Err(end.widest);
            }
            let winners: Vec<usize> = (0..states.len())
                .filter(|&i| states.score[i] == best)
                .collect();
            if end.trace {
                eprintln!(
                    "allot: enumeration: {} free columns, {} rows, widest step {} states, {} optimal",
                    end.order.len(),
                    end.rows,
                    end.widest,
                    winners.len()
                );
            }
            // The tie-break over every optimal portfolio: the least total amount of the columns
            // left free (the fixed ones are the same in all), then the one funding the earliest
            // candidate in which two differ.
            let tie = end.tie;
            let mut winner = winners[0];
            let mut least = tie.amount(states.taken(winner));
            for &w in &winners[1..] {
                let a = tie.amount(states.taken(w));
                if a < least || (a == least && tie.earlier(states.taken(w), states.taken(winner))) {
                    winner = w;
                    least = a;
                }
            }
            Ok(end.decisions(states.taken(winner)))
        },
    );
    match walked {
        Walked::Ended(Ok(x)) => Proof::Unique(x),
        Walked::Ended(Err(widest)) | Walked::Empty(widest) => Proof::Empty(widest),
        Walked::Open => Proof::Open,
    }
}

/// What `least_usage` settled.
pub(crate) enum Least {
    /// The frontier: portfolios scoring at least the floor, one using the least of the row
    /// among all such, and for every portfolio scoring at least the floor one here that uses no
    /// more of the row and comes no later in the solver's order (higher score, then the
    /// tie-break).
    At(Vec<Vec<bool>>),
    /// No portfolio scores at least the floor.
    Empty,
    /// The states outgrew the `Effort`: no conclusion.
    Open,
}

/// Among the portfolios agreeing with `fixed` that score at least `floor`, the frontier of
/// score and usage of row `row` (a pool's money: the room they leave there). The walk is
/// `prove`'s with three changes. The row's segment goes last and its usage is kept to the end,
/// so a state is dropped only for one scoring strictly more and using no more of it either (or
/// tying and winning the tie-break, using no more): every portfolio dropped has a survivor that
/// uses no more and comes first. No completion raises the floor, since a portfolio scoring less
/// than another may use less of the row. And every survivor reaching the floor is returned.
pub(crate) fn least_usage(
    columns: &Columns,
    rows: &[Row],
    bound: &DualBound,
    fixed: &[Option<bool>],
    floor: i64,
    row: usize,
    effort: &mut Effort,
) -> Least {
    let walked = survivors(
        columns,
        rows,
        bound,
        fixed,
        floor,
        effort,
        None,
        Some(row),
        |end| {
            if end.trace {
                eprintln!(
                    "allot: least usage: {} free columns, {} rows, widest step {} states, {} survivors",
                    end.order.len(),
                    end.rows,
                    end.widest,
                    end.states.len()
                );
            }
            (0..end.states.len())
                .filter(|&i| end.reaches(end.states.score[i]))
                .map(|i| end.decisions(end.states.taken(i)))
                .collect::<Vec<_>>()
        },
    );
    match walked {
        Walked::Ended(frontier) if !frontier.is_empty() => Least::At(frontier),
        Walked::Ended(_) | Walked::Empty(_) => Least::Empty,
        Walked::Open => Least::Open,
    }
}

/// How a walk ended.
enum Walked<T> {
    /// Every column decided: what the caller chose among the survivors.
    Ended(T),
    /// No state survived a step; the most states a step held.
    Empty(usize),
    /// The states outgrew the `Effort`, or time ran out.
    Open,
}

/// The survivors of a whole walk, and what choosing among them needs.
struct End<'e> {
    states: &'e States,
    tie: &'e Tie,
    order: &'e [usize],
    fixed: &'e [Option<bool>],
    /// The score of the columns fixed at 1.
    pinned: i64,
    floor: i64,
    rows: usize,
    widest: usize,
    trace: bool,
}

impl End<'_> {
    /// Whether a survivor's free columns scoring `score` reach the floor: the bound leaves out
    /// some slack (rows no choice can break), so a survivor may still score below it.
    fn reaches(&self, score: i64) -> bool {
        self.pinned.saturating_add(score) >= self.floor
    }

    /// The whole portfolio: the columns fixed at 1 and those `taken` marks in the order.
    fn decisions(&self, taken: &[u64]) -> Vec<bool> {
        let mut x: Vec<bool> = self.fixed.iter().map(|f| *f == Some(true)).collect();
        for k in bits(taken) {
            x[self.order[k]] = true;
        }
        x
    }
}

/// The walk of `prove` and `least_usage` over the free columns, then `choose` among the
/// survivors. With `found`, completions raise the floor; with `keep`, that row's segment goes
/// last and its usage is kept to the end.
#[allow(clippy::too_many_arguments)]
fn survivors<T>(
    columns: &Columns,
    rows: &[Row],
    bound: &DualBound,
    fixed: &[Option<bool>],
    floor: i64,
    effort: &mut Effort,
    mut found: Option<&mut Option<Found>>,
    keep: Option<usize>,
    choose: impl FnOnce(End) -> T,
) -> Walked<T> {
    let mut floor = found
        .as_deref()
        .and_then(|f| f.as_ref())
        .map_or(floor, |f| f.score.max(floor));
    let budget = bound.bound - (i128::from(floor) << SHIFT);
    let order = Order::new(rows, bound, fixed, keep);
    let Some(local) = Local::new(rows, bound, fixed, &order, keep) else {
        return Walked::Open;
    };
    let loss = LossBound::new(rows, bound, fixed, &order, &local);
    let len = order.columns.len();
    let words = len.div_ceil(64);
    let mut walk = Walk {
        columns,
        reduced: &bound.reduced,
        order: &order.columns,
        local: &local,
        loss: &loss,
        budget,
        rest: local.rest(),
        usage: local.start.clone(),
        taken: vec![0; words],
        compact: Vec::with_capacity(local.len()),
        segment_rest: bound::RestAt::default(),
    };
    let tie = Tie {
        subsidy: order.columns.iter().map(|&j| columns.subsidy[j]).collect(),
        rank: order.columns.iter().map(|&j| columns.rank[j]).collect(),
    };
    let pinned: i64 = (0..fixed.len())
        .filter(|&j| fixed[j] == Some(true))
        .map(|j| columns.score[j])
        .sum();
    // The last step's completions, as decisions in the order.
    let mut completed: Vec<Vec<u64>> = Vec::new();
    let mut states = States::new(0, words, 1);
    states.push(&[], 0, local.fixed_loss, &vec![0; words]);
    let mut layout: Vec<usize> = Vec::new();
    let trace = std::env::var_os("ALLOT_TRACE").is_some();
    let mut widest = 1;
    let mut k = 0;
    while k < len {
        if effort.deadline.is_some_and(|d| Instant::now() >= d) {
            return Walked::Open;
        }
        // A join keeps, per subset, only the best states it fits: not what a kept row needs.
        let joinable = walk
            .joinable(k, &layout, &order)
            .filter(|&r| Some(r) != local.keep);
        let (next, next_layout, step_end) = match joinable {
            Some(r) => {
                let after = local.open_after(loss.segments[r].expect("a segment").end - 1);
                let Some((next, end)) = walk.join(r, &states, &layout, &after, effort) else {
                    return Walked::Open;
                };
                (next, after, end)
            }
            None => {
                let next_layout = local.open_after(k);
                (
                    walk.step(k, &states, &layout, &next_layout),
                    next_layout,
                    k + 1,
                )
            }
        };
        layout = next_layout;
        let width = layout.iter().take_while(|&&r| !local.weighted[r]).count();
        // The last step's states go before the next step's survivors are copied out.
        drop(std::mem::replace(&mut states, States::new(0, words, 0)));
        states = undominated(next, width, &tie);
        debug_assert!(
            states.loss.iter().all(|&l| l <= budget),
            "a survivor's loss exceeds the gap"
        );
        if states.is_empty() {
            return Walked::Empty(widest);
        }
        widest = widest.max(states.len());
        let found = found.as_deref_mut();
        if let Some(found) = found {
            // Whole portfolios from the states nearest the relaxation: one reaching past the floor
            // raises it (every portfolio of the best score still reaches it), and one below it is
            // where the next floor can start.
            let mut nearest: Vec<usize> = (0..states.len()).collect();
            let many = COMPLETED.min((states.len() / 4).max(1));
            if nearest.len() > many {
                nearest.select_nth_unstable_by_key(many - 1, |&i| (states.loss[i], i));
                nearest.truncate(many);
            }
            nearest.sort_unstable_by_key(|&i| (states.loss[i], i));
            // A state that agrees with a completion of the last step on every column decided so
            // far would mostly complete to it again: it is not completed twice.
            let mut kept = Vec::with_capacity(COMPLETED);
            for i in nearest {
                let taken = states.taken(i);
                if let Some(c) = completed
                    .iter()
                    .position(|c| same_prefix(c, taken, step_end))
                {
                    kept.push(completed.swap_remove(c));
                    continue;
                }
                let Some((score, taken)) = walk.complete(&states, i, &layout, step_end) else {
                    continue;
                };
                kept.push(taken.clone());
                let score = pinned + score;
                if found.as_ref().is_some_and(|f| score <= f.score) {
                    continue;
                }
                if score > floor {
                    floor = score;
                    walk.budget = bound.bound - (i128::from(floor) << SHIFT);
                    if trace {
                        eprintln!("allot: a completion at column {k} raised the floor to {floor}");
                    }
                }
                let x = walk.decisions(fixed, &taken);
                *found = Some(Found { score, x });
            }
            completed = kept;
        }
        let bytes = states.len() * states.bytes();
        effort.left = effort.left.saturating_sub(states.len());
        if states.len() > effort.per_step || effort.left == 0 || bytes > STATE_BYTES {
            if trace {
                eprintln!(
                    "allot: enumeration gave up at column {k} of {len} ({} rows, {} states)",
                    local.len(),
                    states.len()
                );
            }
            return Walked::Open;
        }
        k = step_end;
    }
    debug_assert!(walk.rest.is_spent(), "columns left undecided at the end");
    Walked::Ended(choose(End {
        states: &states,
        tie: &tie,
        order: &order.columns,
        fixed,
        pinned,
        floor,
        rows: local.len(),
        widest,
        trace,
    }))
}

/// The walk through the order: what a step needs besides the states.
struct Walk<'a> {
    columns: &'a Columns<'a>,
    reduced: &'a [i128],
    /// The column at each position.
    order: &'a [usize],
    local: &'a Local,
    loss: &'a LossBound<'a>,
    /// U − floor: the loss a portfolio may have.
    budget: i128,
    rest: Rest,
    /// Every row's usage while a step's candidates are built; rows outside the layout hold
    /// their start.
    usage: Vec<i64>,
    taken: Vec<u64>,
    compact: Vec<i64>,
    /// The rest of the current segment after a step's column (see `bound::RestAt`).
    segment_rest: bound::RestAt,
}

impl Walk<'_> {
    /// The whole portfolio: the columns fixed at 1 and those `taken` marks in the order.
    fn decisions(&self, fixed: &[Option<bool>], taken: &[u64]) -> Vec<bool> {
        let mut x: Vec<bool> = fixed.iter().map(|f| *f == Some(true)).collect();
        for k in bits(taken) {
            x[self.order[k]] = true;
        }
        x
    }

    /// State `i` completed greedily: the columns from position `from` on taken in the order
    /// wherever every row still has room. Its free columns' score and decisions; `None` when a
    /// row is still broken at the end (a floor's row the greedy pass did not meet).
    fn complete(
        &self,
        states: &States,
        i: usize,
        layout: &[usize],
        from: usize,
    ) -> Option<(i64, Vec<u64>)> {
        let local = self.local;
        let mut usage = local.start.clone();
        for (&r, &u) in layout.iter().zip(states.usage(i)) {
            usage[r] = u;
        }
        let mut taken = states.taken(i).to_vec();
        let mut score = states.score[i];
        // First the columns the relaxation takes (a positive reduced cost), then any that fit.
        for (pass, k) in [true, false]
            .into_iter()
            .flat_map(|pass| (from..self.order.len()).map(move |k| (pass, k)))
        {
            let j = self.order[k];
            if (pass && self.reduced[j] <= 0) || taken[k / 64] & (1 << (k % 64)) != 0 {
                continue;
            }
            let terms = &local.terms[k];
            let helps = self.columns.score[j] > 0 || terms.iter().any(|&(_, a)| a < 0);
            if helps && terms.iter().all(|&(r, a)| usage[r] + a <= local.limit[r]) {
                for &(r, a) in terms {
                    usage[r] += a;
                }
                taken[k / 64] |= 1 << (k % 64);
                score += self.columns.score[j];
            }
        }
        (0..local.len())
            .filter(|&r| local.last[r] >= from)
            .all(|r| usage[r] <= local.limit[r])
            .then_some((score, taken))
    }

    /// The amount row whose segment's moved columns start at position `k` and can be joined to
    /// the states in one step: the only amount row the states keep, with at most 64 columns.
    fn joinable(&self, k: usize, layout: &[usize], order: &Order) -> Option<usize> {
        let width = layout
            .iter()
            .take_while(|&&r| !self.local.weighted[r])
            .count();
        (0..self.local.len()).find(|&r| {
            self.loss.segments[r].is_some_and(|s| {
                s.mid == k
                    && s.first < s.mid
                    && s.end - s.mid <= 64
                    && order.part[self.order[k]] == 2
                    && layout[width..] == [r]
            })
        })
    }

    /// The states after joining the columns moved to the end of row `r`'s segment, and the
    /// position after them; `None` when the subsets outgrow the step's cap.
    fn join(
        &mut self,
        r: usize,
        states: &States,
        layout: &[usize],
        after: &[usize],
        effort: &mut Effort,
    ) -> Option<(States, usize)> {
        let seg = self.loss.segments[r].expect("a joinable segment");
        for t in &self.local.terms[seg.mid..seg.end] {
            self.rest.consume(t);
        }
        effort.joins += 1;
        let next = join(
            &Join {
                score: self.columns.score,
                reduced: self.reduced,
                order: self.order,
                local: self.local,
                kept: self.loss.kept_after(seg.end - 1, &self.rest.up),
                rest_down: &self.rest.down,
                budget: self.budget,
                floor_loss: self.loss.later(seg.end),
                amount_row: r,
                columns: seg.mid..seg.end,
                states_cap: effort.per_step,
                deadline: effort.deadline,
            },
            states,
            layout,
            after,
            &mut effort.visited,
        )?;
        Some((next, seg.end))
    }

    /// The candidates after deciding the column at position `k` both ways for every state (with
    /// the usage of `layout`'s rows), those whose bound still fits the gap, keeping the usage of
    /// `next_layout`'s rows.
    fn step(
        &mut self,
        k: usize,
        states: &States,
        layout: &[usize],
        next_layout: &[usize],
    ) -> States {
        let (local, loss) = (self.local, self.loss);
        let terms = &local.terms[k];
        self.rest.consume(terms);
        let j = self.order[k];
        let d = self.reduced[j];
        let closing: Vec<usize> = terms
            .iter()
            .map(|(r, _)| *r)
            .filter(|&r| local.last[r] == k)
            .collect();
        let kept = loss.kept_after(k, &self.rest.up);
        let current = loss.current(k);
        if let Some(r) = current {
            loss.rest_at(r, k + 1, &mut self.segment_rest);
        }
        let segment_rest = &self.segment_rest;
        let mut next = States::new(next_layout.len(), states.words, states.len() * 2);
        let usage = &mut self.usage;
        for i in 0..states.len() {
            for take in [false, true] {
                let mut lost = states.loss[i] + penalty(d, take);
                if lost > self.budget {
                    continue;
                }
                for (&r, &u) in layout.iter().zip(states.usage(i)) {
                    usage[r] = u;
                }
                for &(r, a) in terms {
                    if local.first[r] == k {
                        usage[r] = local.start[r];
                    }
                    if take {
                        usage[r] += a;
                    }
                }
                // A row already past its limit even if every remaining negative term joins.
                if terms
                    .iter()
                    .any(|&(r, _)| usage[r] + self.rest.down[r] > local.limit[r])
                {
                    continue;
                }
                for &r in &closing {
                    lost += local.y[r] * i128::from(local.limit[r] - usage[r]);
                }
                let segment_rest =
                    current.map_or(0, |r| segment_rest.of(local.limit[r] - usage[r]));
                if lost + kept.slack(usage) + segment_rest + loss.later(k + 1) > self.budget {
                    continue;
                }
                self.taken.copy_from_slice(states.taken(i));
                if take {
                    self.taken[k / 64] |= 1 << (k % 64);
                }
                let score = states.score[i] + if take { self.columns.score[j] } else { 0 };
                self.compact.clear();
                self.compact.extend(next_layout.iter().map(|&r| usage[r]));
                next.push(&self.compact, score, lost, &self.taken);
            }
        }
        // Restore the start of rows this step opened, for the next step's candidates.
        for &(r, _) in terms {
            usage[r] = local.start[r];
        }
        next
    }
}

/// Whether decisions `a` and `b` agree on the first `len` columns of the order.
fn same_prefix(a: &[u64], b: &[u64], len: usize) -> bool {
    let full = len / 64;
    let rest = len % 64;
    a[..full] == b[..full] && (rest == 0 || (a[full] ^ b[full]) & ((1 << rest) - 1) == 0)
}

/// What leaving a column on the other side from its reduced cost's sign adds to L.
fn penalty(d: i128, take: bool) -> i128 {
    match (take, d > 0) {
        (false, true) => d,
        (true, false) => -d,
        _ => 0,
    }
}
