//! The rows the enumeration tracks, and the lower bound on the loss L every completion of a
//! partial portfolio still adds (see the module docs of `enumerate`).

use super::super::fixing::DualBound;
use super::super::program::Row;
use super::order::Order;

/// The rows with a free column (the others' slack is fixed already), in local numbering:
/// unit-coefficient rows first, since a state's usage of them is its bucket key (see
/// `undominated`).
pub(super) struct Local {
    /// Per program row: its local number (`usize::MAX` when it is not tracked).
    pub local: Vec<usize>,
    pub limit: Vec<i64>,
    /// Its multiplier.
    pub y: Vec<i128>,
    /// Whether a free coefficient is other than ±1 (an amount row).
    pub weighted: Vec<bool>,
    /// The usage of the columns fixed at 1.
    pub start: Vec<i64>,
    /// The first and last positions of its free columns.
    pub first: Vec<usize>,
    pub last: Vec<usize>,
    /// Per position of the order: the local rows of the column there and its coefficients.
    pub terms: Vec<Vec<(usize, i64)>>,
    /// The slack cost of the rows without a free column.
    pub fixed_loss: i128,
    /// The local row whose usage every state keeps from its first column to the end (see
    /// `enumerate::least_usage`).
    pub keep: Option<usize>,
}

impl Local {
    /// `None` when the fixed columns already break a row (no portfolio agrees with `fixed`:
    /// left open, the caller proves it another way). Row `keep`, if any, is tracked even where
    /// no choice can break it.
    pub fn new(
        rows: &[Row],
        bound: &DualBound,
        fixed: &[Option<bool>],
        order: &Order,
        keep: Option<usize>,
    ) -> Option<Local> {
        let mut out = Local {
            local: vec![usize::MAX; rows.len()],
            limit: Vec::new(),
            y: Vec::new(),
            weighted: Vec::new(),
            start: Vec::new(),
            first: Vec::new(),
            last: Vec::new(),
            terms: vec![Vec::new(); order.columns.len()],
            fixed_loss: 0,
            keep: None,
        };
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
                .map(|&(j, a)| (order.position[j], a))
                .collect();
            let is_weighted = free.iter().any(|(_, a)| a.abs() != 1);
            if free.is_empty() {
                if pass {
                    continue;
                }
                if base > row.bound {
                    return None;
                }
                out.fixed_loss += bound.y[i] * i128::from(row.bound - base);
                continue;
            }
            // A row no choice of the free columns can break (a round's size, usually) is left
            // out: tracking its usage would only keep apart states that are otherwise alike. Its
            // slack term is left out of the bound too, which only weakens it.
            let unbreakable =
                base + free.iter().map(|(_, a)| (*a).max(0)).sum::<i64>() <= row.bound;
            if (unbreakable && keep != Some(i)) || is_weighted != pass {
                continue;
            }
            let r = out.limit.len();
            if keep == Some(i) {
                out.keep = Some(r);
            }
            out.local[i] = r;
            out.limit.push(row.bound);
            out.y.push(bound.y[i]);
            out.weighted.push(is_weighted);
            out.start.push(base);
            out.last
                .push(free.iter().map(|(k, _)| *k).max().unwrap_or(0));
            out.first
                .push(free.iter().map(|(k, _)| *k).min().unwrap_or(0));
            for (k, a) in free {
                out.terms[k].push((r, a));
            }
        }
        Some(out)
    }

    /// How many rows are tracked.
    pub fn len(&self) -> usize {
        self.limit.len()
    }

    /// The rows a state keeps the usage of after the step at position `k`: those open after it
    /// (the others have the same usage in every state: their start, or nothing more to
    /// decide), unit rows first.
    pub fn open_after(&self, k: usize) -> Vec<usize> {
        let mut open: Vec<usize> = (0..self.len())
            .filter(|&r| self.first[r] <= k && (k < self.last[r] || self.keep == Some(r)))
            .collect();
        open.sort_by_key(|&r| self.weighted[r]);
        open
    }

    /// What all the free columns can add to each row, at most and at least.
    pub fn rest(&self) -> Rest {
        let mut rest = Rest {
            up: vec![0; self.len()],
            down: vec![0; self.len()],
        };
        for t in &self.terms {
            for &(r, a) in t {
                if a > 0 {
                    rest.up[r] += a;
                } else {
                    rest.down[r] += a;
                }
            }
        }
        rest
    }
}

/// What the columns not yet decided can still add to each row, at most (`up`) and at least
/// (`down`).
pub(super) struct Rest {
    pub up: Vec<i64>,
    pub down: Vec<i64>,
}

impl Rest {
    /// Takes a decided column's terms out.
    pub fn consume(&mut self, terms: &[(usize, i64)]) {
        for &(r, a) in terms {
            if a > 0 {
                self.up[r] -= a;
            } else {
                self.down[r] -= a;
            }
        }
    }

    /// Whether every column has been taken out (true at the end of the walk).
    pub fn is_spent(&self) -> bool {
        self.up.iter().chain(&self.down).all(|&v| v == 0)
    }
}

/// Where a pool's free columns lie in the order: positions `first..mid` and `mid..end`, each
/// sorted by gain per unit of amount, with positive gains ending at `positive_a` and
/// `positive_b`.
#[derive(Clone, Copy)]
pub(super) struct Segment {
    pub first: usize,
    pub mid: usize,
    pub end: usize,
    positive_a: usize,
    positive_b: usize,
}

/// The least loss the columns after a position can add: Dantzig's bound on the rest of the
/// current pool, the pools not yet started, and the slack other open rows keep.
pub(super) struct LossBound<'a> {
    local: &'a Local,
    /// Prefix sums over the order of the penalty of leaving a column out.
    sum_skip: Vec<i128>,
    /// The bound's gain and amount of the column at each position.
    gain_at: Vec<(i128, i64)>,
    /// Per local amount row whose free columns all lie in its own segment: where they lie.
    pub segments: Vec<Option<Segment>>,
    /// Where each column of a two-part segment would fall in the other part's gain order.
    across: Vec<usize>,
    /// What the segments not yet started at each position add, from their start with the room
    /// they start with.
    later: Vec<i128>,
}

impl<'a> LossBound<'a> {
    pub fn new(
        rows: &[Row],
        bound: &DualBound,
        fixed: &[Option<bool>],
        order: &'a Order,
        local: &'a Local,
    ) -> LossBound<'a> {
        let len = order.columns.len();
        let gain_at: Vec<(i128, i64)> =
            order.columns.iter().map(|&j| order.bound_gain(j)).collect();
        let mut sum_skip = vec![0i128; len + 1];
        for (k, &j) in order.columns.iter().enumerate() {
            sum_skip[k + 1] = sum_skip[k] + bound.reduced[j].max(0);
        }
        let mut segments: Vec<Option<Segment>> = vec![None; local.len()];
        for (i, _) in rows
            .iter()
            .enumerate()
            .filter(|(i, _)| order.amount_row[*i])
        {
            let r = local.local[i];
            if r == usize::MAX {
                continue;
            }
            let inside: Vec<usize> = (0..len)
                .filter(|&k| order.segment_of(order.columns[k]) == Some(i))
                .collect();
            let (Some(&first), Some(&end)) = (inside.first(), inside.last()) else {
                continue;
            };
            let end = end + 1;
            let own = rows[i]
                .terms
                .iter()
                .filter(|(j, _)| fixed[*j].is_none())
                .count();
            if own != inside.len() || end - first != inside.len() {
                continue;
            }
            let mid = (first + 1..end)
                .find(|&k| order.part[order.columns[k]] != order.part[order.columns[first]])
                .unwrap_or(end);
            let positive =
                |from: usize, to: usize| (from..to).find(|&k| gain_at[k].0 <= 0).unwrap_or(to);
            segments[r] = Some(Segment {
                first,
                mid,
                end,
                positive_a: positive(first, mid),
                positive_b: positive(mid, end),
            });
        }
        let mut across = vec![0usize; len];
        let columns = &order.columns;
        for seg in segments.iter().flatten().filter(|s| s.mid < s.end) {
            for k in seg.first..seg.mid {
                across[k] = seg.mid
                    + columns[seg.mid..seg.positive_b]
                        .partition_point(|&o| order.by_bound_gain(o, columns[k]).is_lt());
            }
            for k in seg.mid..seg.end {
                across[k] = seg.first
                    + columns[seg.first..seg.positive_a]
                        .partition_point(|&o| order.by_bound_gain(o, columns[k]).is_lt());
            }
        }
        let mut out = LossBound {
            local,
            sum_skip,
            gain_at,
            segments,
            across,
            later: vec![0i128; len + 1],
        };
        for r in 0..local.len() {
            if let Some(seg) = out.segments[r] {
                let mut rest = RestAt::default();
                out.rest_at(r, seg.first, &mut rest);
                let part = rest.of(local.limit[r] - local.start[r]);
                for v in out.later.iter_mut().take(seg.first + 1) {
                    *v += part;
                }
            }
        }
        out
    }

    /// What segments not yet started at position `k` add.
    pub fn later(&self, k: usize) -> i128 {
        self.later[k]
    }

    /// The rest of row `r`'s segment from position `t`, for any room, laid out in `rest` (its
    /// buffers reused: a step lays it out once). In the first of two parts the rest is that
    /// part's suffix and the whole second part, in one order of gain per unit of amount: the
    /// shorter is walked in order, each of its columns placed in the other by `across` (a
    /// column of the walked part goes before the other's columns it ties with).
    pub fn rest_at(&self, r: usize, t: usize, rest: &mut RestAt) {
        let Some(seg) = self.segments[r] else {
            rest.reset(0, 0);
            return;
        };
        let t = t.min(seg.end);
        rest.reset(self.sum_skip[seg.end] - self.sum_skip[t], self.local.y[r]);
        let mut push = |k: usize| {
            let (g, a) = self.gain_at[k];
            rest.push(g, i128::from(a.max(0)));
        };
        if t >= seg.mid {
            (t..seg.positive_b.max(t)).for_each(push);
        } else if seg.mid == seg.end {
            (t..seg.positive_a.max(t)).for_each(push);
        } else {
            let a = (t, seg.positive_a.max(t));
            let b = (seg.mid, seg.positive_b);
            let (walk, other) = if a.1 - a.0 <= b.1 - b.0 {
                (a, b)
            } else {
                (b, a)
            };
            let mut p = other.0;
            for s in walk.0..walk.1 {
                let q = self.across[s].clamp(p, other.1);
                (p..q).for_each(&mut push);
                p = q;
                push(s);
            }
            (p..other.1).for_each(push);
        }
    }

    /// The slack of the rows that stay open after position `k` and cost something (the current
    /// segment's amount row is bounded with the rest of its segment), even if every remaining
    /// column joins them: rows not started yet keep the same slack in every state.
    pub fn kept_after(&self, k: usize, rest_up: &[i64]) -> Kept {
        let l = self.local;
        let costly = |r: &usize| l.y[*r] > 0 && l.last[*r] > k && self.segments[*r].is_none();
        Kept {
            open: (0..l.len())
                .filter(|r| costly(r) && l.first[*r] <= k)
                .map(|r| (r, l.y[r], l.limit[r] - rest_up[r]))
                .collect(),
            unstarted: (0..l.len())
                .filter(|r| costly(r) && l.first[*r] > k)
                .map(|r| l.y[r] * i128::from((l.limit[r] - l.start[r] - rest_up[r]).max(0)))
                .sum(),
        }
    }

    /// The segment whose row is open within position `k`'s step, if any.
    pub fn current(&self, k: usize) -> Option<usize> {
        (0..self.local.len())
            .find(|&r| self.segments[r].is_some_and(|s| s.first <= k && k + 1 < s.end))
    }
}

/// The rest of a segment from one position, for any room: leave every column out (the skip
/// penalties and the room's slack), less the most a fractional knapsack of the positive gains
/// can win back (Dantzig's bound, rounded up). A step asks it for every state with the same row
/// and position, so the gains' order is laid out once, as prefix sums, and a state's room is a
/// binary search (the walk through the two parts per state was a fifth of a 10,000-application
/// report's CPU).
pub(super) struct RestAt {
    /// The skip penalties of the rest.
    skip: i128,
    /// The row's multiplier.
    y: i128,
    /// Prefix sums of the positive gains' amounts and gains, in order (each from a leading 0).
    amount: Vec<i128>,
    gain: Vec<i128>,
}

impl Default for RestAt {
    /// An empty rest (no column, nothing to skip), whose bound is 0 at any room.
    fn default() -> RestAt {
        RestAt {
            skip: 0,
            y: 0,
            amount: vec![0],
            gain: vec![0],
        }
    }
}

impl RestAt {
    /// Empties it, keeping its buffers, for a rest of these skip penalties and multiplier.
    fn reset(&mut self, skip: i128, y: i128) {
        self.skip = skip;
        self.y = y;
        self.amount.truncate(1);
        self.gain.truncate(1);
    }

    /// The next column in order: its gain and (non-negative) amount.
    fn push(&mut self, g: i128, a: i128) {
        let n = self.amount.len() - 1;
        let (sum_a, sum_g) = (self.amount[n], self.gain[n]);
        self.amount.push(sum_a + a);
        self.gain.push(sum_g + g);
    }

    /// The least the rest adds to L with `room` left in its row: whole columns while they fit,
    /// then part of the next (rounded up).
    pub fn of(&self, room: i64) -> i128 {
        let room = i128::from(room.max(0));
        // The columns that fit whole: amounts are never negative, so the sums only grow (the
        // leading 0 always fits).
        let e = self.amount.partition_point(|&a| a <= room) - 1;
        let mut won = self.gain[e];
        if e + 1 < self.amount.len() {
            // The next column, which does not fit whole: its share of what is left.
            let a = self.amount[e + 1] - self.amount[e];
            let g = self.gain[e + 1] - self.gain[e];
            if a > 0 {
                won += (g * (room - self.amount[e]) + a - 1).div_euclid(a);
            }
        }
        (self.skip + self.y * room - won).max(0)
    }
}

/// The slack that costly rows keep after a step even if every remaining column joins them: per
/// open row (row, price, limit less what the rest can still add), and the rows not started.
pub(super) struct Kept {
    open: Vec<(usize, i128, i64)>,
    unstarted: i128,
}

impl Kept {
    /// Its cost for a state with this usage of every row.
    pub fn slack(&self, usage: &[i64]) -> i128 {
        self.unstarted
            + self
                .open
                .iter()
                .map(|&(r, y, room)| y * i128::from((room - usage[r]).max(0)))
                .sum::<i128>()
    }
}

#[cfg(test)]
mod tests {
    use super::RestAt;
    use proptest::prelude::*;

    /// Dantzig's bound the plain way: walk the columns in order, whole while they fit, then part
    /// of the first that does not (rounded up), and stop.
    fn walked(skip: i128, y: i128, items: &[(i128, i128)], room: i64) -> i128 {
        let (mut left, mut won) = (i128::from(room.max(0)), 0i128);
        for &(g, a) in items {
            if a <= left {
                won += g;
                left -= a;
            } else {
                won += (g * left + a - 1).div_euclid(a);
                break;
            }
        }
        (skip + y * i128::from(room.max(0)) - won).max(0)
    }

    proptest! {
        /// The prefix sums and binary search give the walk's bound at every room: amounts of 0
        /// (which always fit), equal amounts and ratios (ties), a room on a sum exactly, rooms
        /// past the whole segment and below zero.
        #[test]
        fn laid_out_rest_equals_the_walk(
            items in prop::collection::vec((1i128..1_000_000, 0i128..6), 0..12),
            skip in 0i128..1_000_000,
            y in 0i128..1_000,
            room in -3i64..40,
        ) {
            let mut rest = RestAt::default();
            rest.reset(skip, y);
            for &(g, a) in &items {
                rest.push(g, a);
            }
            prop_assert_eq!(rest.of(room), walked(skip, y, &items, room));
            prop_assert_eq!(RestAt::default().of(room), 0);
        }
    }
}
