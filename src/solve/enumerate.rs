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
//! joined to the pool's states in one step (`join`): their subsets are enumerated alone, and each
//! is paired only with the best states it fits, since the pool's amount row closes after them.
//!
//! A partial portfolio is dropped when a lower bound on its L already exceeds G: its penalties so
//! far, the slack of every row it has closed, Dantzig's bound on what the rest of its pool can
//! still win back (over the two sorted parts a pool may then have), and the slack other open rows
//! keep even if every remaining column joins. It is also dropped when another partial portfolio
//! over the same columns scores strictly more while using no more of every row still open (any
//! completion of the first then scores strictly more from the second). Neither rule drops a
//! portfolio scoring at least the best, so the survivors at the end that reach the floor are every
//! optimal portfolio: exactly one means the optimum is proven and unique, and the tie-break is
//! settled; none means the optimum is below the floor.
//!
//! Knapsack-shaped cores — near the funding line many projects of nearly equal score per yuan,
//! where a branch-and-bound over the relaxation must visit very many nodes — are what this
//! settles quickly. It gives up (and HiGHS proves instead) when the states outgrow its `Effort` or
//! `STATE_BYTES`, or at the deadline; ties go to HiGHS's tie stages.

use super::fixing::DualBound;
use super::program::{Program, Row};
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
            .clamp(1 << 12, 1 << 20);
        Effort {
            per_step,
            left: per_step.saturating_mul(free.saturating_mul(2).max(256)),
        }
    }
}

/// Bytes those states may take (a step briefly holds about three times as much: the candidates
/// for the next step and the survivors copied out), so that a solve stays well under 1 GiB.
const STATE_BYTES: usize = 128 << 20;

/// Reduced costs within this (one unit of score, 1e-4 points) count as a near-tie (see `prove`).
const NEAR: i128 = 1 << super::fixing::SHIFT;

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

/// Where a pool's free columns lie in the order: positions `first..mid` and `mid..end`, each
/// sorted by gain per unit of amount, with positive gains ending at `positive_a` and `positive_b`.
#[derive(Clone, Copy)]
struct Segment {
    first: usize,
    mid: usize,
    end: usize,
    positive_a: usize,
    positive_b: usize,
}

/// The partial portfolios of one step, over the first columns of the order, in flat arrays (a
/// step may hold a few hundred thousand; one allocation each would dominate the time).
struct States {
    /// Local rows: the usage of each is kept (0 once the row is closed).
    rows: usize,
    /// Words of decisions per state: bit k is set when the k-th column of the order is taken. (A
    /// shared decision tree would grow with every step's states: a gigabyte on the widest rounds.)
    words: usize,
    usage: Vec<i64>,
    /// Score of the free columns taken so far.
    score: Vec<i64>,
    /// Penalties so far plus the slack cost of closed rows (scaled like `DualBound`).
    loss: Vec<i128>,
    taken: Vec<u64>,
}

impl States {
    fn new(rows: usize, words: usize, capacity: usize) -> Self {
        States {
            rows,
            words,
            usage: Vec::with_capacity(capacity * rows),
            score: Vec::with_capacity(capacity),
            loss: Vec::with_capacity(capacity),
            taken: Vec::with_capacity(capacity * words),
        }
    }

    fn len(&self) -> usize {
        self.score.len()
    }

    fn is_empty(&self) -> bool {
        self.score.is_empty()
    }

    fn usage(&self, i: usize) -> &[i64] {
        &self.usage[i * self.rows..(i + 1) * self.rows]
    }

    fn taken(&self, i: usize) -> &[u64] {
        &self.taken[i * self.words..(i + 1) * self.words]
    }

    fn push(&mut self, usage: &[i64], score: i64, loss: i128, taken: &[u64]) {
        self.usage.extend_from_slice(usage);
        self.score.push(score);
        self.loss.push(loss);
        self.taken.extend_from_slice(taken);
    }

    /// Bytes one state takes.
    fn bytes(&self) -> usize {
        8 * (self.rows + self.words) + 24
    }
}

/// Enumerates the portfolios agreeing with `fixed` whose L stays within U − floor.
pub(crate) fn prove(
    program: &Program,
    rows: &[Row],
    bound: &DualBound,
    fixed: &[Option<bool>],
    floor: i64,
    deadline: Option<Instant>,
    effort: &mut Effort,
) -> Proof {
    let n = fixed.len();
    let budget = bound.bound - (i128::from(floor) << super::fixing::SHIFT);
    let is_free = |j: &usize| fixed[*j].is_none();
    // Amount rows (pools): rows with a free coefficient other than ±1. Each free column is put
    // in the segment of its first amount row, and its gain there is g = d + y·a: what taking it
    // is worth once that row's slack is priced.
    let amount_row: Vec<bool> = rows
        .iter()
        .map(|row| row.terms.iter().any(|(j, a)| is_free(j) && a.abs() != 1))
        .collect();
    let mut segment: Vec<Option<(usize, i64)>> = vec![None; n];
    for (i, row) in rows.iter().enumerate().filter(|(i, _)| amount_row[*i]) {
        for &(j, a) in &row.terms {
            if is_free(&j) && segment[j].is_none() {
                segment[j] = Some((i, a));
            }
        }
    }
    let gain = |j: usize| -> (i128, i64) {
        match segment[j] {
            Some((i, a)) => (bound.reduced[j] + bound.y[i] * i128::from(a), a),
            None => (bound.reduced[j], 0),
        }
    };
    // Within a segment, a column sharing a unit row (a project's once-only row, say) with
    // columns of another segment is moved next to that segment: to the front when the other is
    // earlier, to the back when later. Those rows then stay open only across the boundary, not
    // through the whole segment, where every combination of them would split the states.
    let rank_of_segment = |j: usize| segment[j].map(|s| s.0);
    let mut part = vec![1u8; n];
    for (_, row) in rows.iter().enumerate().filter(|(i, _)| !amount_row[*i]) {
        let free: Vec<usize> = row.terms.iter().map(|t| t.0).filter(is_free).collect();
        for &j in free.iter().filter(|&&j| gain(j).1 > 0) {
            let segment_of = rank_of_segment(j);
            if free.iter().any(|&o| rank_of_segment(o) < segment_of) {
                part[j] = 0;
            } else if part[j] == 1 && free.iter().any(|&o| rank_of_segment(o) > segment_of) {
                part[j] = 2;
            }
        }
    }
    // A segment with columns at both ends keeps them all at the front: two sorted parts each.
    let fronts: std::collections::BTreeSet<Option<usize>> = (0..n)
        .filter(|&j| part[j] == 0)
        .map(rank_of_segment)
        .collect();
    for (j, p) in part.iter_mut().enumerate() {
        if *p == 2 && fronts.contains(&rank_of_segment(j)) {
            *p = 0;
        }
    }
    // Segment by segment (one amount row open at a time), within one part by gain per unit of
    // amount, best first: then the columns not yet decided in a segment are a suffix of one
    // sorted part and the whole of the other, and the bound below is a short merge.
    let class = |j: usize| {
        let (g, a) = gain(j);
        match (a > 0, g > 0) {
            (false, true) => 0,
            (true, _) => 1,
            (false, false) => 2,
        }
    };
    let by_gain = |i: usize, j: usize| {
        let (gi, ai) = gain(i);
        let (gj, aj) = gain(j);
        class(i)
            .cmp(&class(j))
            .then_with(|| (gj * i128::from(ai)).cmp(&(gi * i128::from(aj))))
    };
    let mut order: Vec<usize> = (0..n).filter(is_free).collect();
    order.sort_by(|&i, &j| {
        rank_of_segment(i)
            .cmp(&rank_of_segment(j))
            .then(part[i].cmp(&part[j]))
            .then_with(|| by_gain(i, j))
            .then(i.cmp(&j))
    });
    // Near the funding line dozens of columns may sit within a unit of score of the relaxation's
    // price per yuan, in an order their tiny differences decide. Those that share a unit row (an
    // industry's one place, a project's once-only row) are moved next to each other within that
    // run, so the row opens and closes within a few columns instead of doubling the buckets of
    // states across the run. For the bound, each column of the run is then counted at the run's
    // best gain per yuan (rounded up): the order is sorted by those, and gains only raised keep
    // Dantzig's bound a bound.
    let mut lead: Vec<Option<usize>> = vec![None; n];
    {
        let near = |j: usize| class(j) == 1 && bound.reduced[j].abs() <= NEAR;
        let stretch = |j: usize| (rank_of_segment(j), part[j], class(j));
        let mut k = 0;
        while k < order.len() {
            let e = (k..order.len())
                .find(|&e| stretch(order[e]) != stretch(order[k]))
                .unwrap_or(order.len());
            let inside: Vec<usize> = (k..e).filter(|&q| near(order[q])).collect();
            if let (Some(&p), Some(&q)) = (inside.first(), inside.last()) {
                let run: Vec<usize> = order[p..=q].to_vec();
                let at: std::collections::HashMap<usize, usize> =
                    run.iter().enumerate().map(|(c, &j)| (j, c)).collect();
                let mut cluster: Vec<usize> = (0..run.len()).collect();
                for (_, row) in rows.iter().enumerate().filter(|(i, _)| !amount_row[*i]) {
                    let members: Vec<usize> = row
                        .terms
                        .iter()
                        .filter_map(|(j, _)| at.get(j).copied())
                        .collect();
                    for pair in members.windows(2) {
                        let (a, b) = (root(&mut cluster, pair[0]), root(&mut cluster, pair[1]));
                        cluster[a.max(b)] = a.min(b);
                    }
                }
                // Each cluster where its first column was, in the order they came.
                let mut placed: Vec<(usize, usize)> =
                    (0..run.len()).map(|c| (root(&mut cluster, c), c)).collect();
                placed.sort_unstable();
                for (q, (_, c)) in (p..=q).zip(placed) {
                    order[q] = run[c];
                    lead[run[c]] = Some(run[0]);
                }
            }
            k = e;
        }
    }
    // What the bound counts a column as winning: its gain, or (in a run of near-ties) the run's
    // best gain per yuan times its amount, rounded up; and the order of those per yuan.
    let bound_gain = |j: usize| -> (i128, i64) {
        let (g, a) = gain(j);
        match lead[j] {
            Some(h) if h != j => {
                let (gh, ah) = gain(h);
                let ah = i128::from(ah);
                ((gh * i128::from(a) + ah - 1).div_euclid(ah), a)
            }
            _ => (g, a),
        }
    };
    let by_bound_gain = |i: usize, j: usize| {
        let (gi, ai) = gain(lead[i].unwrap_or(i));
        let (gj, aj) = gain(lead[j].unwrap_or(j));
        class(i)
            .cmp(&class(j))
            .then_with(|| (gj * i128::from(ai)).cmp(&(gi * i128::from(aj))))
    };
    let mut position = vec![usize::MAX; n];
    for (k, &j) in order.iter().enumerate() {
        position[j] = k;
    }

    // Local rows: those with a free column. The others' slack is fixed already.
    let mut local = vec![usize::MAX; rows.len()];
    let mut limit = Vec::new();
    let mut y = Vec::new();
    let mut weighted = Vec::new();
    let mut start = Vec::new();
    let mut last = Vec::new();
    let mut first = Vec::new();
    let mut terms: Vec<Vec<(usize, i64)>> = vec![Vec::new(); order.len()];
    let mut fixed_loss: i128 = 0;
    // Unit-coefficient rows first: a state's usage of them is its bucket key (see `undominated`).
    for (pass, (i, row)) in [false, true]
        .into_iter()
        .flat_map(|pass| rows.iter().enumerate().map(move |r| (pass, r)))
    {
        let base: i64 = row
            .terms
            .iter()
            .filter(|(j, _)| fixed[*j] == Some(true))
            .map(|(_, a)| a)
            .sum();
        let free: Vec<(usize, i64)> = row
            .terms
            .iter()
            .filter(|(j, _)| fixed[*j].is_none())
            .map(|&(j, a)| (position[j], a))
            .collect();
        let is_weighted = free.iter().any(|(_, a)| a.abs() != 1);
        if free.is_empty() {
            if pass {
                continue;
            }
            if base > row.bound {
                return Proof::Open;
            }
            fixed_loss += bound.y[i] * i128::from(row.bound - base);
            continue;
        }
        // A row no choice of the free columns can break (a round's size, usually) is left out:
        // tracking its usage would only keep apart states that are otherwise alike. Its slack
        // term is left out of the bound too, which only weakens it.
        if base + free.iter().map(|(_, a)| (*a).max(0)).sum::<i64>() <= row.bound
            || is_weighted != pass
        {
            continue;
        }
        let r = limit.len();
        local[i] = r;
        limit.push(row.bound);
        y.push(bound.y[i]);
        weighted.push(is_weighted);
        start.push(base);
        last.push(free.iter().map(|(k, _)| *k).max().unwrap_or(0));
        first.push(free.iter().map(|(k, _)| *k).min().unwrap_or(0));
        for (k, a) in free {
            terms[k].push((r, a));
        }
    }
    let m = limit.len();
    // What the columns not yet decided can still add to each row, at most and at least.
    let mut rest_up = vec![0i64; m];
    let mut rest_down = vec![0i64; m];
    for t in &terms {
        for &(r, a) in t {
            if a > 0 {
                rest_up[r] += a;
            } else {
                rest_down[r] += a;
            }
        }
    }

    // Prefix sums over the order: amount, gain (only while positive within a segment) and the
    // penalty of leaving a column out.
    let len = order.len();
    let mut sum_amount = vec![0i128; len + 1];
    let mut sum_gain = vec![0i128; len + 1];
    let mut sum_skip = vec![0i128; len + 1];
    for (k, &j) in order.iter().enumerate() {
        let (g, a) = bound_gain(j);
        sum_amount[k + 1] = sum_amount[k] + i128::from(a.max(0));
        sum_gain[k + 1] = sum_gain[k] + g;
        sum_skip[k + 1] = sum_skip[k] + bound.reduced[j].max(0);
    }
    // Per local amount row whose free columns all lie in its own segment: where the segment and
    // its two sorted parts lie, and where their positive gains end.
    let mut segments: Vec<Option<Segment>> = vec![None; m];
    for (i, _) in rows.iter().enumerate().filter(|(i, _)| amount_row[*i]) {
        let r = local[i];
        if r == usize::MAX {
            continue;
        }
        let inside: Vec<usize> = (0..len)
            .filter(|&k| segment[order[k]].map(|s| s.0) == Some(i))
            .collect();
        let (Some(&first), Some(&end)) = (inside.first(), inside.last()) else {
            continue;
        };
        let end = end + 1;
        let own = rows[i].terms.iter().filter(|(j, _)| is_free(j)).count();
        if own != inside.len() || end - first != inside.len() {
            continue;
        }
        let mid = (first + 1..end)
            .find(|&k| part[order[k]] != part[order[first]])
            .unwrap_or(end);
        let positive = |from: usize, to: usize| {
            (from..to)
                .find(|&k| bound_gain(order[k]).0 <= 0)
                .unwrap_or(to)
        };
        segments[r] = Some(Segment {
            first,
            mid,
            end,
            positive_a: positive(first, mid),
            positive_b: positive(mid, end),
        });
    }
    // Where each column of a two-part segment would fall in the other part's gain order.
    let mut across = vec![0usize; len];
    for seg in segments.iter().flatten().filter(|s| s.mid < s.end) {
        for k in seg.first..seg.mid {
            across[k] = seg.mid
                + order[seg.mid..seg.positive_b]
                    .partition_point(|&o| by_bound_gain(o, order[k]).is_lt());
        }
        for k in seg.mid..seg.end {
            across[k] = seg.first
                + order[seg.first..seg.positive_a]
                    .partition_point(|&o| by_bound_gain(o, order[k]).is_lt());
        }
    }
    // The most a fractional knapsack over positions `from..stop` (one sorted run of positive
    // gains) wins within `room`: whole columns while they fit, then part of the next (rounded up).
    let fractional = |from: usize, stop: usize, room: i128| -> i128 {
        let (mut lo, mut hi) = (from, stop);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if sum_amount[mid] - sum_amount[from] <= room {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let e = lo;
        let mut won = sum_gain[e] - sum_gain[from];
        if e < stop {
            let (g, a) = bound_gain(order[e]);
            let left = room - (sum_amount[e] - sum_amount[from]);
            if a > 0 {
                won += (g * left + i128::from(a) - 1).div_euclid(i128::from(a));
            }
        }
        won
    };
    // The least the rest of a segment can add to L, from position `t` with `room` left in its
    // row: leave every column out (the skip penalties and the room's slack), less the most a
    // fractional knapsack of the positive gains can win back (Dantzig's bound, rounded up). In
    // the first of two parts the rest is that part's suffix and the whole second part: the
    // shorter is walked in order, each of its columns placed in the other by `across`.
    let rest_of_segment = |r: usize, t: usize, room: i64| -> i128 {
        let Some(seg) = segments[r] else {
            return 0;
        };
        let room = i128::from(room.max(0));
        let t = t.min(seg.end);
        let won = if t >= seg.mid {
            fractional(t, seg.positive_b.max(t), room)
        } else if seg.mid == seg.end {
            fractional(t, seg.positive_a.max(t), room)
        } else {
            let a = (t, seg.positive_a.max(t));
            let b = (seg.mid, seg.positive_b);
            let (walk, other) = if a.1 - a.0 <= b.1 - b.0 {
                (a, b)
            } else {
                (b, a)
            };
            let (mut p, mut room, mut won) = (other.0, room, 0i128);
            let mut done = false;
            for s in walk.0..walk.1 {
                let q = across[s].clamp(p, other.1);
                let amount = sum_amount[q] - sum_amount[p];
                if amount > room {
                    won += fractional(p, q, room);
                    done = true;
                    break;
                }
                won += sum_gain[q] - sum_gain[p];
                room -= amount;
                p = q;
                let (g, a) = bound_gain(order[s]);
                let a = i128::from(a.max(0));
                if a <= room {
                    won += g;
                    room -= a;
                } else {
                    won += (g * room + a - 1).div_euclid(a);
                    done = true;
                    break;
                }
            }
            if !done {
                won += fractional(p, other.1, room);
            }
            won
        };
        (sum_skip[seg.end] - sum_skip[t] + y[r] * room - won).max(0)
    };
    // What segments not yet started add, from their start with the room they start with.
    let mut later = vec![0i128; len + 1];
    for r in 0..m {
        if let Some(seg) = segments[r] {
            let first = seg.first;
            let part = rest_of_segment(r, first, limit[r] - start[r]);
            for v in later.iter_mut().take(first + 1) {
                *v += part;
            }
        }
    }

    // The slack of the rows that stay open after column `k` and cost something (the current
    // segment's amount row is bounded with the rest of its segment), even if every remaining
    // column joins them: rows not started yet keep the same slack in every state.
    let kept_after = |k: usize, rest_up: &[i64]| {
        let costly = |r: &usize| y[*r] > 0 && last[*r] > k && segments[*r].is_none();
        Kept {
            open: (0..m)
                .filter(|r| costly(r) && first[*r] <= k)
                .map(|r| (r, y[r], limit[r] - rest_up[r]))
                .collect(),
            unstarted: (0..m)
                .filter(|r| costly(r) && first[*r] > k)
                .map(|r| y[r] * i128::from((limit[r] - start[r] - rest_up[r]).max(0)))
                .sum(),
        }
    };
    // A state keeps the usage of the rows open after its step only (the others have the same
    // usage in every state: their start, or nothing more to decide), unit rows first.
    let open_after = |k: usize| -> Vec<usize> {
        let mut open: Vec<usize> = (0..m).filter(|&r| first[r] <= k && k < last[r]).collect();
        open.sort_by_key(|&r| weighted[r]);
        open
    };
    let words = order.len().div_ceil(64);
    let mut states = States::new(0, words, 1);
    states.push(&[], 0, fixed_loss, &vec![0; words]);
    let mut layout: Vec<usize> = Vec::new();
    let trace = std::env::var_os("ALLOT_TRACE").is_some();
    let tie = Tie {
        subsidy: order.iter().map(|&j| program.subsidy[j]).collect(),
        rank: order.iter().map(|&j| program.columns[j]).collect(),
    };
    let mut widest = 1;
    // Every row's usage while a step's candidates are built; rows outside the layout hold their
    // start.
    let mut usage = start.clone();
    let mut taken = vec![0u64; words];
    let mut compact = Vec::with_capacity(m);
    let mut k = 0;
    while k < len {
        let j = order[k];
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Proof::Open;
        }
        // The columns moved to a pool's end are joined to the states in one step (see `join`).
        let width = layout.iter().take_while(|&&r| !weighted[r]).count();
        let joinable = (0..m).find(|&r| {
            segments[r].is_some_and(|s| {
                s.mid == k
                    && s.first < s.mid
                    && s.end - s.mid <= 64
                    && part[order[k]] == 2
                    && layout[width..] == [r]
            })
        });
        let (next, next_layout, step_end) = if let Some(r) = joinable {
            let seg = segments[r].expect("a joinable segment");
            for t in &terms[seg.mid..seg.end] {
                consume(t, &mut rest_up, &mut rest_down);
            }
            let Some(next) = join(
                &Join {
                    program,
                    bound,
                    order: &order,
                    terms: &terms,
                    limit: &limit,
                    y: &y,
                    start: &start,
                    first: &first,
                    last: &last,
                    kept: kept_after(seg.end - 1, &rest_up),
                    rest_down: &rest_down,
                    budget,
                    floor_loss: later[seg.end],
                    amount_row: r,
                    columns: seg.mid..seg.end,
                    states_cap: effort.per_step,
                },
                &states,
                &layout,
                &open_after(seg.end - 1),
            ) else {
                return Proof::Open;
            };
            (next, open_after(seg.end - 1), seg.end)
        } else {
            consume(&terms[k], &mut rest_up, &mut rest_down);
            let d = bound.reduced[j];
            let closing: Vec<usize> = terms[k]
                .iter()
                .map(|(r, _)| *r)
                .filter(|&r| last[r] == k)
                .collect();
            let kept = kept_after(k, &rest_up);
            let current =
                (0..m).find(|&r| segments[r].is_some_and(|s| s.first <= k && k + 1 < s.end));
            let next_layout = open_after(k);
            let mut next = States::new(next_layout.len(), words, states.len() * 2);
            for i in 0..states.len() {
                for take in [false, true] {
                    let mut loss = states.loss[i] + penalty(d, take);
                    if loss > budget {
                        continue;
                    }
                    for (&r, &u) in layout.iter().zip(states.usage(i)) {
                        usage[r] = u;
                    }
                    for &(r, a) in &terms[k] {
                        if first[r] == k {
                            usage[r] = start[r];
                        }
                        if take {
                            usage[r] += a;
                        }
                    }
                    // A row already past its limit even if every remaining negative term joins.
                    if terms[k]
                        .iter()
                        .any(|&(r, _)| usage[r] + rest_down[r] > limit[r])
                    {
                        continue;
                    }
                    for &r in &closing {
                        loss += y[r] * i128::from(limit[r] - usage[r]);
                    }
                    let segment_rest =
                        current.map_or(0, |r| rest_of_segment(r, k + 1, limit[r] - usage[r]));
                    if loss + kept.slack(&usage) + segment_rest + later[k + 1] > budget {
                        continue;
                    }
                    taken.copy_from_slice(states.taken(i));
                    if take {
                        taken[k / 64] |= 1 << (k % 64);
                    }
                    let score = states.score[i] + if take { program.score[j] } else { 0 };
                    compact.clear();
                    compact.extend(next_layout.iter().map(|&r| usage[r]));
                    next.push(&compact, score, loss, &taken);
                }
            }
            // Restore the start of rows this step opened, for the next step's candidates.
            for &(r, _) in &terms[k] {
                usage[r] = start[r];
            }
            (next, next_layout, k + 1)
        };
        layout = next_layout;
        let width = layout.iter().take_while(|&&r| !weighted[r]).count();
        // The last step's states go before the next step's survivors are copied out.
        drop(std::mem::replace(&mut states, States::new(0, words, 0)));
        states = undominated(next, width, &tie);
        if states.is_empty() {
            return Proof::Empty(widest);
        }
        widest = widest.max(states.len());
        let bytes = states.len() * states.bytes();
        effort.left = effort.left.saturating_sub(states.len());
        if states.len() > effort.per_step || effort.left == 0 || bytes > STATE_BYTES {
            if trace {
                eprintln!(
                    "allot: enumeration gave up at column {k} of {} ({m} rows, {} states)",
                    order.len(),
                    states.len()
                );
            }
            return Proof::Open;
        }
        k = step_end;
    }
    // The bound leaves out some slack (rows no choice can break), so a survivor may still score
    // below the floor: only those reaching it count.
    let pinned: i64 = (0..n)
        .filter(|&j| fixed[j] == Some(true))
        .map(|j| program.score[j])
        .sum();
    let Some(best) = states
        .score
        .iter()
        .copied()
        .max()
        .filter(|best| pinned + best >= floor)
    else {
        return Proof::Empty(widest);
    };
    let winners: Vec<usize> = (0..states.len())
        .filter(|&i| states.score[i] == best)
        .collect();
    if trace {
        eprintln!(
            "allot: enumeration: {} free columns, {m} rows, widest step {widest} states, {} optimal",
            order.len(),
            winners.len()
        );
    }
    // The tie-break over every optimal portfolio: the least total amount of the columns left free
    // (the fixed ones are the same in all), then the one funding the earliest candidate in which
    // two differ.
    let amount = |i: usize| -> i128 {
        let taken = states.taken(i);
        (0..order.len())
            .filter(|&k| taken[k / 64] >> (k % 64) & 1 == 1)
            .map(|k| i128::from(program.subsidy[order[k]]))
            .sum()
    };
    let earlier = |a: usize, b: usize| -> bool {
        let (ta, tb) = (states.taken(a), states.taken(b));
        let first = (0..order.len())
            .filter(|&k| (ta[k / 64] ^ tb[k / 64]) >> (k % 64) & 1 == 1)
            .min_by_key(|&k| program.columns[order[k]]);
        first.is_some_and(|k| ta[k / 64] >> (k % 64) & 1 == 1)
    };
    let mut winner = winners[0];
    let mut least = amount(winner);
    for &w in &winners[1..] {
        let a = amount(w);
        if a < least || (a == least && earlier(w, winner)) {
            winner = w;
            least = a;
        }
    }
    let taken = states.taken(winner);
    let mut x: Vec<bool> = fixed.iter().map(|f| *f == Some(true)).collect();
    for (k, &j) in order.iter().enumerate() {
        x[j] = taken[k / 64] >> (k % 64) & 1 == 1;
    }
    Proof::Unique(x)
}

/// The states no other state dominates (no more of any open row — the same usage of the open
/// unit-coefficient rows, or less of them, and no more of the open amount row — and a strictly
/// higher score). Dropping a dominated state is safe: its every completion completes the
/// dominating state too, scoring strictly more.
fn undominated(next: States, width: usize, tie: &Tie) -> States {
    // Every amount row a state keeps is open (see `open_after`).
    let open_weighted: Vec<usize> = (width..next.rows).collect();
    let open_weighted = open_weighted.as_slice();
    // Buckets of equal usage of the unit-coefficient rows (the key: they are the first rows), in
    // the keys' order, each with its states in the order they came.
    let key = |i: usize| &next.usage(i)[..width];
    let mut members: Vec<Vec<usize>> = Vec::new();
    {
        let mut found: rustc_hash::FxHashMap<&[i64], usize> = Default::default();
        for i in 0..next.len() {
            let b = *found.entry(key(i)).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[b].push(i);
        }
    }
    members.sort_by(|a, b| key(a[0]).cmp(key(b[0])));
    // Within a bucket: best score first; a state survives unless one scoring strictly more uses no
    // more of the open amount rows.
    let amount = |i: usize| -> i64 { open_weighted.first().map_or(0, |&r| next.usage(i)[r]) };
    for bucket in &mut members {
        bucket.sort_by(|&a, &b| {
            next.score[b].cmp(&next.score[a]).then_with(|| {
                open_weighted
                    .iter()
                    .map(|&r| next.usage(a)[r])
                    .cmp(open_weighted.iter().map(|&r| next.usage(b)[r]))
            })
        });
        let mut kept: Vec<usize> = Vec::new();
        // With one open amount row: the least usage among the states scoring strictly more.
        let mut least = i64::MAX;
        let mut i = 0;
        while i < bucket.len() {
            let mut end = i;
            while end < bucket.len() && next.score[bucket[end]] == next.score[bucket[i]] {
                end += 1;
            }
            // States of equal score: one that the tie-break prefers and that uses no more of the
            // open amount rows dominates (see `Tie`).
            if end - i > 1 {
                tie.settle(&next, &mut bucket[i..end], open_weighted);
            }
            let higher = kept.len();
            for &c in &bucket[i..end] {
                if c == usize::MAX {
                    continue;
                }
                let usage = next.usage(c);
                let dominated = match open_weighted {
                    [] => higher > 0,
                    [r] => least <= usage[*r],
                    _ => kept[..higher]
                        .iter()
                        .any(|&h| open_weighted.iter().all(|&r| next.usage(h)[r] <= usage[r])),
                };
                if !dominated {
                    kept.push(c);
                }
            }
            if let [r] = open_weighted {
                for &c in &kept[higher..] {
                    least = least.min(next.usage(c)[*r]);
                }
            }
            i = end;
        }
        *bucket = kept;
    }
    // Across buckets (at most one open amount row): a state is also dominated by one of a bucket
    // using less of the unit rows — the bucket with every unit row at its least usage, or with
    // one of the rows this state uses more of lowered to it.
    let mut dropped: Vec<Vec<bool>> = members.iter().map(|b| vec![false; b.len()]).collect();
    if open_weighted.len() <= 1 && members.len() > 1 {
        let least_usage: Vec<i64> = (0..width)
            .map(|r| members.iter().map(|b| key(b[0])[r]).min().unwrap_or(0))
            .collect();
        let index: rustc_hash::FxHashMap<&[i64], usize> = members
            .iter()
            .enumerate()
            .map(|(b, m)| (key(m[0]), b))
            .collect();
        // Per bucket: the least amount among its first i states (scores descend).
        let prefix: Vec<Vec<i64>> = members
            .iter()
            .map(|bucket| {
                let mut least = i64::MAX;
                bucket
                    .iter()
                    .map(|&s| {
                        least = least.min(amount(s));
                        least
                    })
                    .collect()
            })
            .collect();
        let beaten = |b: usize, state: usize| -> bool {
            // The states scoring strictly more are a prefix.
            let count = members[b].partition_point(|&s| next.score[s] > next.score[state]);
            count > 0 && prefix[b][count - 1] <= amount(state)
        };
        for (b, bucket) in members.iter().enumerate() {
            let k = key(bucket[0]);
            let mut lower: Vec<Vec<i64>> = Vec::new();
            if k != least_usage.as_slice() {
                lower.push(least_usage.clone());
            }
            for r in (0..width).filter(|&r| k[r] > least_usage[r]) {
                let mut l = k.to_vec();
                l[r] = least_usage[r];
                if l != least_usage {
                    lower.push(l);
                }
            }
            let others: Vec<usize> = lower
                .iter()
                .filter_map(|l| index.get(l.as_slice()).copied())
                .collect();
            if others.is_empty() {
                continue;
            }
            for (c, &state) in bucket.iter().enumerate() {
                dropped[b][c] = others.iter().any(|&o| beaten(o, state));
            }
        }
    }
    let survivors: usize = dropped.iter().flatten().filter(|d| !**d).count();
    let mut out = States::new(next.rows, next.words, survivors);
    for (bucket, dropped) in members.iter().zip(&dropped) {
        for (&i, &dropped) in bucket.iter().zip(dropped) {
            if !dropped {
                out.push(next.usage(i), next.score[i], next.loss[i], next.taken(i));
            }
        }
    }
    out
}

/// The tie-break among partial portfolios over the same columns: two states with the same score
/// and the same completion end with the same score, so the one of less total amount, or of equal
/// amount funding the earliest candidate in which they differ (their completions are the same),
/// wins under the whole tie-break. When it also uses no more of any open row, every completion of
/// the other completes it too and ranks below: the other is dropped. Without this, a round of
/// massive ties keeps every tied combination (tests/fixtures/adversarial/slow-ties-60.toml: over
/// 700,000 states a step; the tie-break winner is never dropped, since nothing beats it).
struct Tie {
    /// Amount (fen) of the column at each position of the order.
    subsidy: Vec<i64>,
    /// Candidate index of the column at each position (the tie-break's order).
    rank: Vec<usize>,
}

impl Tie {
    fn amount(&self, taken: &[u64]) -> i64 {
        bits(taken).map(|k| self.subsidy[k]).sum()
    }

    /// Whether `a` funds the earliest candidate in which `a` and `b` differ.
    fn earlier(&self, a: &[u64], b: &[u64]) -> bool {
        // Called inside a sort, once per comparison: no allocation.
        let mut first: Option<(usize, bool)> = None;
        for (w, (&x, &y)) in a.iter().zip(b).enumerate() {
            let mut diff = x ^ y;
            while diff != 0 {
                let bit = diff.trailing_zeros() as usize;
                diff &= diff - 1;
                let k = w * 64 + bit;
                if first.is_none_or(|(f, _)| self.rank[k] < self.rank[f]) {
                    first = Some((k, x >> bit & 1 == 1));
                }
            }
        }
        first.is_some_and(|(_, in_a)| in_a)
    }

    /// Orders `group` (states of one score in one bucket) best first under the tie-break and
    /// replaces each dominated one by `usize::MAX`.
    fn settle(&self, next: &States, group: &mut [usize], open_weighted: &[usize]) {
        let amounts: rustc_hash::FxHashMap<usize, i64> = group
            .iter()
            .map(|&s| (s, self.amount(next.taken(s))))
            .collect();
        let better = |a: usize, b: usize| -> std::cmp::Ordering {
            amounts[&a].cmp(&amounts[&b]).then_with(|| {
                if a == b {
                    std::cmp::Ordering::Equal
                } else if self.earlier(next.taken(a), next.taken(b)) {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Greater
                }
            })
        };
        match open_weighted {
            [] => {
                // Same usage everywhere: only the best survives.
                let best = group
                    .iter()
                    .copied()
                    .min_by(|&a, &b| better(a, b))
                    .expect("a group of two or more");
                for s in group.iter_mut() {
                    if *s != best {
                        *s = usize::MAX;
                    }
                }
            }
            [r] => {
                // By usage, then best first: a state survives only if it beats every state before
                // it (all of which use no more).
                group.sort_by(|&a, &b| {
                    next.usage(a)[*r]
                        .cmp(&next.usage(b)[*r])
                        .then_with(|| better(a, b))
                });
                let mut champion: Option<usize> = None;
                for s in group.iter_mut() {
                    match champion {
                        Some(c) if better(c, *s).is_lt() => *s = usize::MAX,
                        _ => champion = Some(*s),
                    }
                }
            }
            _ => {
                group.sort_by(|&a, &b| better(a, b));
                let mut kept: Vec<usize> = Vec::new();
                for s in group.iter_mut() {
                    let dominated = kept.iter().any(|&h| {
                        open_weighted
                            .iter()
                            .all(|&r| next.usage(h)[r] <= next.usage(*s)[r])
                    });
                    if dominated {
                        *s = usize::MAX;
                    } else {
                        kept.push(*s);
                    }
                }
            }
        }
        // Keep the usage order the caller relies on within a score (least amount row first).
        let mut live: Vec<usize> = group.iter().copied().filter(|&s| s != usize::MAX).collect();
        if let [r] = open_weighted {
            live.sort_by_key(|&s| next.usage(s)[*r]);
        }
        let dead = group.len() - live.len();
        live.extend(std::iter::repeat_n(usize::MAX, dead));
        group.copy_from_slice(&live);
    }
}

/// The positions of the set bits.
fn bits(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &word)| {
        let mut rest = word;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let b = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                w * 64 + b
            })
        })
    })
}

/// The representative of `c`'s cluster (the least member), halving paths on the way.
fn root(cluster: &mut [usize], mut c: usize) -> usize {
    while cluster[c] != c {
        cluster[c] = cluster[cluster[c]];
        c = cluster[c];
    }
    c
}

/// What `join` needs of the enumeration.
struct Join<'p> {
    program: &'p Program<'p>,
    bound: &'p DualBound,
    order: &'p [usize],
    terms: &'p [Vec<(usize, i64)>],
    limit: &'p [i64],
    y: &'p [i128],
    start: &'p [i64],
    first: &'p [usize],
    last: &'p [usize],
    /// The slack open rows keep after the joined columns.
    kept: Kept,
    /// What the columns after the joined ones can still subtract from each row.
    rest_down: &'p [i64],
    budget: i128,
    /// The least the columns after the joined ones add to L (`later`).
    floor_loss: i128,
    /// The pool's amount row, the only amount row open.
    amount_row: usize,
    /// The positions joined: the columns moved to the pool's end.
    columns: std::ops::Range<usize>,
    /// The subsets it may keep (`Effort::per_step`).
    states_cap: usize,
}

/// The states after the columns moved to a pool's end, found without stepping through them: each
/// such column is one of a project's two pools, and stepping would pair every subset of them with
/// every partial portfolio of the pool (hundreds of thousands of states each). Instead the subsets
/// are enumerated alone (pruned by their penalties against the least loss of any state), and each
/// is paired, per bucket of states, only with the best-scoring states whose amount still fits: the
/// pool's amount row closes after these columns, so any other pairing is dominated by that one.
/// `None` when the subsets outgrow the step's cap.
fn join(at: &Join, states: &States, layout: &[usize], after: &[usize]) -> Option<States> {
    let cols = at.columns.clone();
    let m = at.limit.len();
    // The rows these columns touch, each with its slot in a subset's usage.
    let mut touched: Vec<usize> = cols
        .clone()
        .flat_map(|k| at.terms[k].iter().map(|t| t.0))
        .collect();
    touched.sort_unstable();
    touched.dedup();
    let mut slot = vec![usize::MAX; m];
    for (i, &r) in touched.iter().enumerate() {
        slot[r] = i;
    }
    let wide = touched.len();
    let amount_at = layout
        .iter()
        .position(|&r| r == at.amount_row)
        .expect("the amount row is open");
    let amount = |i: usize| states.usage(i)[amount_at];
    let least_loss = states.loss.iter().copied().min().unwrap_or(0);
    let most_room = at.limit[at.amount_row] - (0..states.len()).map(amount).min().unwrap_or(0);
    // The subsets: usage added to each touched row, score, penalties, decisions.
    let mut delta: Vec<i64> = vec![0; wide];
    let mut score: Vec<i64> = vec![0];
    let mut penalties: Vec<i128> = vec![0];
    let mut bits: Vec<u64> = vec![0];
    for (t, k) in cols.clone().enumerate() {
        let j = at.order[k];
        let d = at.bound.reduced[j];
        let mut next_delta = Vec::with_capacity(delta.len() * 2);
        let (mut next_score, mut next_penalties, mut next_bits) = (vec![], vec![], vec![]);
        for z in 0..score.len() {
            for take in [false, true] {
                let p = penalties[z] + penalty(d, take);
                if p + least_loss + at.floor_loss > at.budget {
                    continue;
                }
                let base = next_delta.len();
                next_delta.extend_from_slice(&delta[z * wide..(z + 1) * wide]);
                if take {
                    for &(r, a) in &at.terms[k] {
                        next_delta[base + slot[r]] += a;
                    }
                    if next_delta[base + slot[at.amount_row]] > most_room {
                        next_delta.truncate(base);
                        continue;
                    }
                }
                next_score.push(score[z] + if take { at.program.score[j] } else { 0 });
                next_penalties.push(p);
                next_bits.push(bits[z] | u64::from(take) << t);
            }
        }
        if next_score.len() > at.states_cap {
            return None;
        }
        (delta, score, penalties, bits) = (next_delta, next_score, next_penalties, next_bits);
    }
    let end = cols.end;
    // The states' buckets (equal usage of the open unit rows: consecutive), and in each the first
    // state of each score: scores descend and so do those states' amounts.
    let width = layout.len() - 1;
    let mut buckets: Vec<Vec<usize>> = Vec::new();
    for i in 0..states.len() {
        let new_bucket = i == 0 || states.usage(i)[..width] != states.usage(i - 1)[..width];
        let new_score = new_bucket || states.score[i] != states.score[i - 1];
        if new_bucket {
            buckets.push(Vec::new());
        }
        if new_score {
            buckets.last_mut().expect("a bucket").push(i);
        }
    }
    let mut out = States::new(after.len(), states.words, score.len());
    let mut usage = at.start.to_vec();
    let mut taken = vec![0u64; states.words];
    let mut compact = Vec::with_capacity(after.len());
    for z in 0..score.len() {
        let added = &delta[z * wide..(z + 1) * wide];
        let room = at.limit[at.amount_row] - added[slot[at.amount_row]];
        for leaders in &buckets {
            let g = leaders.partition_point(|&i| amount(i) > room);
            let Some(&lead) = leaders.get(g) else {
                continue;
            };
            let ties = (lead..states.len())
                .take_while(|&i| states.score[i] == states.score[lead])
                .take_while(|&i| {
                    i == lead || states.usage(i)[..width] == states.usage(lead)[..width]
                });
            for s in ties.filter(|&i| amount(i) <= room) {
                for (&r, &u) in layout.iter().zip(states.usage(s)) {
                    usage[r] = u;
                }
                for (&r, &a) in touched.iter().zip(added) {
                    if at.first[r] >= cols.start {
                        usage[r] = at.start[r];
                    }
                    usage[r] += a;
                }
                if touched
                    .iter()
                    .any(|&r| usage[r] + at.rest_down[r] > at.limit[r])
                {
                    continue;
                }
                let mut loss = states.loss[s] + penalties[z];
                for &r in touched.iter().filter(|&&r| at.last[r] < end) {
                    loss += at.y[r] * i128::from(at.limit[r] - usage[r]);
                }
                if loss + at.kept.slack(&usage) + at.floor_loss > at.budget {
                    continue;
                }
                taken.copy_from_slice(states.taken(s));
                for t in 0..cols.len() {
                    if bits[z] >> t & 1 == 1 {
                        let k = cols.start + t;
                        taken[k / 64] |= 1 << (k % 64);
                    }
                }
                compact.clear();
                compact.extend(after.iter().map(|&r| usage[r]));
                out.push(&compact, states.score[s] + score[z], loss, &taken);
            }
        }
    }
    Some(out)
}

/// What leaving a column on the other side from its reduced cost's sign adds to L.
fn penalty(d: i128, take: bool) -> i128 {
    match (take, d > 0) {
        (false, true) => d,
        (true, false) => -d,
        _ => 0,
    }
}

/// Takes a decided column's terms out of what the columns not yet decided can add to each row.
fn consume(terms: &[(usize, i64)], rest_up: &mut [i64], rest_down: &mut [i64]) {
    for &(r, a) in terms {
        if a > 0 {
            rest_up[r] -= a;
        } else {
            rest_down[r] -= a;
        }
    }
}

/// The slack that costly rows keep after a step even if every remaining column joins them: per
/// open row (row, price, limit less what the rest can still add), and the rows not started.
struct Kept {
    open: Vec<(usize, i128, i64)>,
    unstarted: i128,
}

impl Kept {
    /// Its cost for a state with this usage of every row.
    fn slack(&self, usage: &[i64]) -> i128 {
        self.unstarted
            + self
                .open
                .iter()
                .map(|&(r, y, room)| y * i128::from((room - usage[r]).max(0)))
                .sum::<i128>()
    }
}
