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
//! pool by pool (one amount row open at a time), within a pool by gain per yuan. A partial
//! portfolio is dropped when a lower bound on its L already exceeds G — its penalties so far, the
//! slack of every row it has closed, Dantzig's bound on what the rest of its pool can still win
//! back, and the slack other open rows keep even if every remaining column joins — or when another
//! partial portfolio over the same columns scores strictly more while using no more of every row
//! still open (any completion of the first then scores strictly more from the second). Neither
//! rule drops a portfolio scoring at least the best, so the survivors at the end that reach the
//! floor are every optimal portfolio: exactly one means the optimum is proven and unique, and the
//! tie-break is settled; none means the optimum is below the floor.
//!
//! Knapsack-shaped cores — near the funding line many projects of nearly equal score per yuan,
//! where a branch-and-bound over the relaxation must visit very many nodes — are what this
//! settles quickly. It gives up (and HiGHS proves instead) when the states outgrow `STATES` or
//! `STATE_BYTES`, or at the deadline; ties go to HiGHS's tie stages.

use super::fixing::DualBound;
use super::program::{Program, Row};
use std::time::Instant;

/// Partial portfolios one step may keep before the enumeration gives up.
const STATES: usize = 1 << 18;

/// Bytes those states may take (a step briefly holds about three times as much: the candidates
/// for the next step and their keys), so that a solve stays well under 1 GiB.
const STATE_BYTES: usize = 128 << 20;

/// What the enumeration settled.
pub(crate) enum Proof {
    /// The only portfolio scoring at least the floor's best: proven optimal and unique.
    Unique(Vec<bool>),
    /// An optimal portfolio, proven optimal, but others tie with it.
    Tied(Vec<bool>),
    /// No portfolio scores at least the floor.
    Empty,
    /// The states outgrew `STATES`, or time ran out: no conclusion.
    Open,
}

/// A partial portfolio over the first columns of the order.
struct State {
    /// Usage of each local row (0 once the row is closed).
    usage: Vec<i64>,
    /// Score of the free columns taken so far.
    score: i64,
    /// Penalties so far plus the slack cost of closed rows (scaled like `DualBound`).
    loss: i128,
    /// Its decisions: bit k is set when the k-th column of the order is taken. (A shared decision
    /// tree would grow with every step's states: a gigabyte on the widest rounds.)
    taken: Vec<u64>,
}

/// Enumerates the portfolios agreeing with `fixed` whose L stays within U − floor.
pub(crate) fn prove(
    program: &Program,
    rows: &[Row],
    bound: &DualBound,
    fixed: &[Option<bool>],
    floor: i64,
    deadline: Option<Instant>,
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
    // Segment by segment (one amount row open at a time), within one by gain per unit of amount,
    // best first: then the columns not yet decided in a segment are a suffix of that order, and
    // the bound below is a binary search.
    let mut order: Vec<usize> = (0..n).filter(is_free).collect();
    order.sort_by(|&i, &j| {
        let class = |j: usize| {
            let (g, a) = gain(j);
            match (a > 0, g > 0) {
                (false, true) => 0,
                (true, _) => 1,
                (false, false) => 2,
            }
        };
        let (gi, ai) = gain(i);
        let (gj, aj) = gain(j);
        segment[i]
            .map(|s| s.0)
            .cmp(&segment[j].map(|s| s.0))
            .then(class(i).cmp(&class(j)))
            .then_with(|| (gj * i128::from(ai)).cmp(&(gi * i128::from(aj))))
            .then(i.cmp(&j))
    });
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
    for (i, row) in rows.iter().enumerate() {
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
        if free.is_empty() {
            if base > row.bound {
                return Proof::Open;
            }
            fixed_loss += bound.y[i] * i128::from(row.bound - base);
            continue;
        }
        // A row no choice of the free columns can break (a round's size, usually) is left out:
        // tracking its usage would only keep apart states that are otherwise alike. Its slack
        // term is left out of the bound too, which only weakens it.
        if base + free.iter().map(|(_, a)| (*a).max(0)).sum::<i64>() <= row.bound {
            continue;
        }
        let r = limit.len();
        local[i] = r;
        limit.push(row.bound);
        y.push(bound.y[i]);
        weighted.push(free.iter().any(|(_, a)| a.abs() != 1));
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
        let (g, a) = gain(j);
        sum_amount[k + 1] = sum_amount[k] + i128::from(a.max(0));
        sum_gain[k + 1] = sum_gain[k] + g;
        sum_skip[k + 1] = sum_skip[k] + bound.reduced[j].max(0);
    }
    // Per local amount row whose free columns all lie in its own segment: the segment's first
    // position, its end, and where its positive gains end.
    let mut segments: Vec<Option<(usize, usize, usize)>> = vec![None; m];
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
        let own = rows[i].terms.iter().filter(|(j, _)| is_free(j)).count();
        if own != inside.len() || end + 1 - first != inside.len() {
            continue;
        }
        let positive = (first..=end)
            .find(|&k| gain(order[k]).0 <= 0)
            .unwrap_or(end + 1);
        segments[r] = Some((first, end + 1, positive));
    }
    // The least the rest of a segment can add to L, from position `t` with `room` left in its
    // row: leave every column out (the skip penalties and the room's slack), less the most a
    // fractional knapsack of the positive gains can win back (Dantzig's bound, rounded up).
    let rest_of_segment = |r: usize, t: usize, room: i64| -> i128 {
        let Some((_, end, positive)) = segments[r] else {
            return 0;
        };
        let room = i128::from(room.max(0));
        let t = t.min(end);
        let stop = positive.max(t);
        // The last e in [t, stop] with the amounts of t..e within the room.
        let (mut lo, mut hi) = (t, stop);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if sum_amount[mid] - sum_amount[t] <= room {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let e = lo;
        let mut won = sum_gain[e] - sum_gain[t];
        if e < stop {
            let (g, a) = gain(order[e]);
            let left = room - (sum_amount[e] - sum_amount[t]);
            if a > 0 {
                won += (g * left + i128::from(a) - 1).div_euclid(i128::from(a));
            }
        }
        (sum_skip[end] - sum_skip[t] + y[r] * room - won).max(0)
    };
    // What segments not yet started add, from their start with the room they start with.
    let mut later = vec![0i128; len + 1];
    for r in 0..m {
        if let Some((first, _, _)) = segments[r] {
            let part = rest_of_segment(r, first, limit[r] - start[r]);
            for v in later.iter_mut().take(first + 1) {
                *v += part;
            }
        }
    }

    let mut states = vec![State {
        usage: start,
        score: 0,
        loss: fixed_loss,
        taken: vec![0; order.len().div_ceil(64)],
    }];
    let trace = std::env::var_os("ALLOT_TRACE").is_some();
    let mut widest = 1;
    for (k, &j) in order.iter().enumerate() {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Proof::Open;
        }
        for &(r, a) in &terms[k] {
            if a > 0 {
                rest_up[r] -= a;
            } else {
                rest_down[r] -= a;
            }
        }
        let d = bound.reduced[j];
        let closing: Vec<usize> = terms[k]
            .iter()
            .map(|(r, _)| *r)
            .filter(|&r| last[r] == k)
            .collect();
        // Rows whose slack costs something and that stay open after this column (the current
        // segment's amount row is bounded with the rest of its segment).
        let costly: Vec<usize> = (0..m)
            .filter(|&r| y[r] > 0 && last[r] > k && segments[r].is_none())
            .collect();
        let current =
            (0..m).find(|&r| segments[r].is_some_and(|(first, end, _)| first <= k && k + 1 < end));
        let mut next = Vec::with_capacity(states.len() * 2);
        for state in &states {
            for take in [false, true] {
                let penalty = match (take, d > 0) {
                    (false, true) => d,
                    (true, false) => -d,
                    _ => 0,
                };
                let mut loss = state.loss + penalty;
                if loss > budget {
                    continue;
                }
                let mut usage = state.usage.clone();
                if take {
                    for &(r, a) in &terms[k] {
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
                    usage[r] = 0;
                }
                // The slack each open row keeps even if every remaining column joins it.
                let kept: i128 = costly
                    .iter()
                    .map(|&r| y[r] * i128::from((limit[r] - usage[r] - rest_up[r]).max(0)))
                    .sum();
                let segment_rest =
                    current.map_or(0, |r| rest_of_segment(r, k + 1, limit[r] - usage[r]));
                if loss + kept + segment_rest + later[k + 1] > budget {
                    continue;
                }
                let mut taken = state.taken.clone();
                if take {
                    taken[k / 64] |= 1 << (k % 64);
                }
                next.push((
                    State {
                        usage,
                        score: state.score + if take { program.score[j] } else { 0 },
                        loss,
                        taken,
                    },
                    take,
                ));
            }
        }
        // Amount rows started and not yet closed (one not started has the same usage in every
        // state).
        let open_weighted: Vec<usize> = (0..m)
            .filter(|&r| weighted[r] && first[r] <= k && last[r] > k)
            .collect();
        states = undominated(next, &weighted, &open_weighted);
        if states.is_empty() {
            return Proof::Empty;
        }
        widest = widest.max(states.len());
        let bytes = states.len() * (8 * (m + order.len().div_ceil(64)) + 80);
        if states.len() > STATES || bytes > STATE_BYTES {
            if trace {
                eprintln!(
                    "allot: enumeration gave up at column {k} of {}",
                    order.len()
                );
            }
            return Proof::Open;
        }
    }
    // The bound leaves out some slack (rows no choice can break), so a survivor may still score
    // below the floor: only those reaching it count.
    let pinned: i64 = (0..n)
        .filter(|&j| fixed[j] == Some(true))
        .map(|j| program.score[j])
        .sum();
    let Some(best) = states
        .iter()
        .map(|s| s.score)
        .max()
        .filter(|best| pinned + best >= floor)
    else {
        return Proof::Empty;
    };
    let winners: Vec<&State> = states.iter().filter(|s| s.score == best).collect();
    if trace {
        eprintln!(
            "allot: enumeration: {} free columns, {m} rows, widest step {widest} states, {} optimal",
            order.len(),
            winners.len()
        );
    }
    let winner = winners[0];
    let mut x: Vec<bool> = fixed.iter().map(|f| *f == Some(true)).collect();
    for (k, &j) in order.iter().enumerate() {
        x[j] = winner.taken[k / 64] >> (k % 64) & 1 == 1;
    }
    if winners.len() == 1 {
        Proof::Unique(x)
    } else {
        Proof::Tied(x)
    }
}

/// A state's usage of the unit-coefficient rows, compared without copying it.
fn unit_usage<'s>(state: &'s State, weighted: &'s [bool]) -> impl Iterator<Item = i64> + 's {
    state
        .usage
        .iter()
        .zip(weighted)
        .filter(|(_, w)| !**w)
        .map(|(u, _)| *u)
}

/// States with the same usage of the open unit-coefficient rows (the key), each with the decision
/// that made it.
type Bucket = (Vec<i64>, Vec<(State, bool)>);

/// The states no other state dominates (no more of any open row — the same usage of the open
/// unit-coefficient rows, or less of them, and no more of the open amount row — and a strictly
/// higher score). Dropping a dominated state is safe: its
/// every completion completes the dominating state too, scoring strictly more.
fn undominated(next: Vec<(State, bool)>, weighted: &[bool], open_weighted: &[usize]) -> Vec<State> {
    // Buckets of equal usage of the unit-coefficient rows, in a deterministic order.
    let mut next = next;
    next.sort_by(|a, b| unit_usage(&a.0, weighted).cmp(unit_usage(&b.0, weighted)));
    let mut buckets: Vec<Bucket> = Vec::new();
    for (state, take) in next {
        match buckets.last_mut() {
            Some((last, bucket)) if last.iter().copied().eq(unit_usage(&state, weighted)) => {
                bucket.push((state, take))
            }
            _ => buckets.push((unit_usage(&state, weighted).collect(), vec![(state, take)])),
        }
    }
    // Within a bucket: best score first; a state survives unless one scoring strictly more uses no
    // more of the open amount rows.
    let amount = |s: &State| -> i64 { open_weighted.first().map_or(0, |&r| s.usage[r]) };
    for (_, bucket) in &mut buckets {
        bucket.sort_by(|a, b| {
            b.0.score.cmp(&a.0.score).then_with(|| {
                open_weighted
                    .iter()
                    .map(|&r| a.0.usage[r])
                    .cmp(open_weighted.iter().map(|&r| b.0.usage[r]))
            })
        });
        let mut kept: Vec<usize> = Vec::new();
        // With one open amount row: the least usage among the states scoring strictly more.
        let mut least = i64::MAX;
        let mut i = 0;
        while i < bucket.len() {
            // States of equal score do not dominate each other: they may tie to the end.
            let mut end = i;
            while end < bucket.len() && bucket[end].0.score == bucket[i].0.score {
                end += 1;
            }
            let higher = kept.len();
            for c in i..end {
                let usage = &bucket[c].0.usage;
                let dominated = match open_weighted {
                    [] => higher > 0,
                    [r] => least <= usage[*r],
                    _ => kept[..higher].iter().any(|&h| {
                        open_weighted
                            .iter()
                            .all(|&r| bucket[h].0.usage[r] <= usage[r])
                    }),
                };
                if !dominated {
                    kept.push(c);
                }
            }
            if let [r] = open_weighted {
                for &c in &kept[higher..] {
                    least = least.min(bucket[c].0.usage[*r]);
                }
            }
            i = end;
        }
        let mut keep = vec![false; bucket.len()];
        for &c in &kept {
            keep[c] = true;
        }
        let mut flags = keep.into_iter();
        bucket.retain(|_| flags.next().unwrap_or(false));
    }
    // Across buckets (at most one open amount row): a state is also dominated by one of a bucket
    // using less of the unit rows — the bucket with every unit row at its least usage, or with
    // one of the rows this state uses more of lowered to it.
    let mut dropped: Vec<Vec<bool>> = buckets.iter().map(|(_, b)| vec![false; b.len()]).collect();
    if open_weighted.len() <= 1 && buckets.len() > 1 {
        let width = buckets[0].0.len();
        let least_usage: Vec<i64> = (0..width)
            .map(|r| buckets.iter().map(|(k, _)| k[r]).min().unwrap_or(0))
            .collect();
        // Per bucket: its scores (descending) and the least amount among the first i states.
        let index: std::collections::HashMap<&[i64], usize> = buckets
            .iter()
            .enumerate()
            .map(|(b, (k, _))| (k.as_slice(), b))
            .collect();
        let frontier: Vec<(Vec<i64>, Vec<i64>)> = buckets
            .iter()
            .map(|(_, bucket)| {
                let scores = bucket.iter().map(|(s, _)| s.score).collect();
                let mut least = i64::MAX;
                let prefix = bucket
                    .iter()
                    .map(|(s, _)| {
                        least = least.min(amount(s));
                        least
                    })
                    .collect();
                (scores, prefix)
            })
            .collect();
        let beaten = |b: usize, state: &State| -> bool {
            let (scores, prefix) = &frontier[b];
            // The states scoring strictly more are a prefix (scores descend).
            let count = scores.partition_point(|&s| s > state.score);
            count > 0 && prefix[count - 1] <= amount(state)
        };
        for (b, (k, bucket)) in buckets.iter().enumerate() {
            let mut lower: Vec<Vec<i64>> = Vec::new();
            if *k != least_usage {
                lower.push(least_usage.clone());
            }
            for r in (0..width).filter(|&r| k[r] > least_usage[r]) {
                let mut l = k.clone();
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
            for (c, (state, _)) in bucket.iter().enumerate() {
                dropped[b][c] = others.iter().any(|&o| beaten(o, state));
            }
        }
    }
    let mut out = Vec::new();
    for ((_, bucket), dropped) in buckets.into_iter().zip(dropped) {
        for ((state, _), dropped) in bucket.into_iter().zip(dropped) {
            if !dropped {
                out.push(state);
            }
        }
    }
    out
}
