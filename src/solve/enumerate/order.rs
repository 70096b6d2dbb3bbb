//! The order the enumeration decides the free columns in, and what the bound counts each as
//! winning (see the module docs of `enumerate`).

use super::super::fixing::DualBound;
use super::super::program::Row;
use super::NEAR;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

/// The free columns in the order they are decided: pool by pool (a pool's columns form its
/// segment), within a segment by part (front, middle, back) and then by gain per unit of
/// amount, best first.
pub(super) struct Order {
    /// The free columns, in order.
    pub columns: Vec<usize>,
    /// Each column's position in `columns` (`usize::MAX` for a fixed column).
    pub position: Vec<usize>,
    /// Per row: whether it is an amount row (a free coefficient other than ±1).
    pub amount_row: Vec<bool>,
    /// Per column: its part of its segment — 0 at the front (it shares a unit row with an
    /// earlier segment), 2 at the back (with a later one), 1 between.
    pub part: Vec<u8>,
    /// Per column: its segment's amount row and its coefficient there.
    segment: Vec<Option<(usize, i64)>>,
    /// Per column: its gain g = d + y·a and amount a in its segment's row (0 outside one).
    gain: Vec<(i128, i64)>,
    /// Per column in a run of near-ties: the run's first column (see `Order::new`).
    lead: Vec<Option<usize>>,
    /// The amount row whose segment goes last (see `enumerate::least_usage`).
    last: Option<usize>,
}

impl Order {
    /// The order of the columns `fixed` leaves free, under the multipliers of `bound`; the
    /// segment of amount row `last`, if any, after every other.
    pub fn new(
        rows: &[Row],
        bound: &DualBound,
        fixed: &[Option<bool>],
        last: Option<usize>,
    ) -> Order {
        let n = fixed.len();
        let is_free = |j: &usize| fixed[*j].is_none();
        // Amount rows (pools): rows with a free coefficient other than ±1. Each free column is
        // put in the segment of its first amount row, and its gain there is g = d + y·a: what
        // taking it is worth once that row's slack is priced.
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
        let gain: Vec<(i128, i64)> = (0..n)
            .map(|j| match segment[j] {
                Some((i, a)) => (bound.reduced[j] + bound.y[i] * i128::from(a), a),
                None => (bound.reduced[j], 0),
            })
            .collect();
        let mut order = Order {
            columns: Vec::new(),
            position: vec![usize::MAX; n],
            amount_row,
            part: vec![1u8; n],
            segment,
            gain,
            lead: vec![None; n],
            last,
        };
        order.place_shared(rows, fixed);
        let mut columns: Vec<usize> = (0..n).filter(is_free).collect();
        columns.sort_by(|&i, &j| {
            order
                .place(i)
                .cmp(&order.place(j))
                .then(order.part[i].cmp(&order.part[j]))
                .then_with(|| order.by_gain(i, j, i, j))
                .then(i.cmp(&j))
        });
        order.columns = columns;
        order.gather_near_ties(rows, bound);
        for (k, &j) in order.columns.iter().enumerate() {
            order.position[j] = k;
        }
        order
    }

    /// Within a segment, a column sharing a unit row (a project's once-only row, say) with
    /// columns of another segment is moved next to that segment: to the front when the other
    /// is earlier, to the back when later. Those rows then stay open only across the boundary,
    /// not through the whole segment, where every combination of them would split the states.
    fn place_shared(&mut self, rows: &[Row], fixed: &[Option<bool>]) {
        let n = fixed.len();
        for (_, row) in rows
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.amount_row[*i])
        {
            let free: Vec<usize> = row
                .terms
                .iter()
                .map(|t| t.0)
                .filter(|j| fixed[*j].is_none())
                .collect();
            for &j in free.iter().filter(|&&j| self.gain[j].1 > 0) {
                let place = self.place(j);
                if free.iter().any(|&o| self.place(o) < place) {
                    self.part[j] = 0;
                } else if self.part[j] == 1 && free.iter().any(|&o| self.place(o) > place) {
                    self.part[j] = 2;
                }
            }
        }
        // A segment with columns at both ends keeps them all at the front: two sorted parts each.
        let fronts: BTreeSet<Option<usize>> = (0..n)
            .filter(|&j| self.part[j] == 0)
            .map(|j| self.segment_of(j))
            .collect();
        for j in 0..n {
            if self.part[j] == 2 && fronts.contains(&self.segment_of(j)) {
                self.part[j] = 0;
            }
        }
    }

    /// Near the funding line dozens of columns may sit within a unit of score of the
    /// relaxation's price per yuan, in an order their tiny differences decide. Those that share
    /// a unit row (an industry's one place, a project's once-only row) are moved next to each
    /// other within that run, so the row opens and closes within a few columns instead of
    /// doubling the buckets of states across the run. For the bound, each column of the run is
    /// then counted at the run's best gain per yuan (rounded up, `bound_gain`): the order is
    /// sorted by those, and gains only raised keep Dantzig's bound a bound.
    fn gather_near_ties(&mut self, rows: &[Row], bound: &DualBound) {
        let near = |o: &Order, j: usize| o.class(j) == 1 && bound.reduced[j].abs() <= NEAR;
        let stretch = |o: &Order, j: usize| (o.segment_of(j), o.part[j], o.class(j));
        let len = self.columns.len();
        let mut k = 0;
        while k < len {
            let e = (k..len)
                .find(|&e| stretch(self, self.columns[e]) != stretch(self, self.columns[k]))
                .unwrap_or(len);
            let inside: Vec<usize> = (k..e).filter(|&q| near(self, self.columns[q])).collect();
            if let (Some(&p), Some(&q)) = (inside.first(), inside.last()) {
                let run: Vec<usize> = self.columns[p..=q].to_vec();
                let at: HashMap<usize, usize> =
                    run.iter().enumerate().map(|(c, &j)| (j, c)).collect();
                let mut cluster: Vec<usize> = (0..run.len()).collect();
                for (_, row) in rows
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !self.amount_row[*i])
                {
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
                    self.columns[q] = run[c];
                    self.lead[run[c]] = Some(run[0]);
                }
            }
            k = e;
        }
    }

    /// The amount row of the column's segment (`None`: no amount row, the last segment).
    pub fn segment_of(&self, j: usize) -> Option<usize> {
        self.segment[j].map(|s| s.0)
    }

    /// Where the column's segment comes in the order: by amount row, `last`'s after all.
    fn place(&self, j: usize) -> (bool, Option<usize>) {
        let segment = self.segment_of(j);
        (segment.is_some() && segment == self.last, segment)
    }

    /// 0: no amount and a positive gain (always worth taking), 1: an amount, 2: neither.
    fn class(&self, j: usize) -> u8 {
        let (g, a) = self.gain[j];
        match (a > 0, g > 0) {
            (false, true) => 0,
            (true, _) => 1,
            (false, false) => 2,
        }
    }

    /// Columns `i` and `j` by class, then by the gain per unit of amount of `gi` and `gj`
    /// (their own, or their runs' leads'), best first.
    fn by_gain(&self, i: usize, j: usize, gi: usize, gj: usize) -> Ordering {
        let (gi, ai) = self.gain[gi];
        let (gj, aj) = self.gain[gj];
        self.class(i)
            .cmp(&self.class(j))
            .then_with(|| (gj * i128::from(ai)).cmp(&(gi * i128::from(aj))))
    }

    /// The order the bound sorts by: gains per unit of amount, a near-tie run's columns at its
    /// lead's.
    pub fn by_bound_gain(&self, i: usize, j: usize) -> Ordering {
        self.by_gain(i, j, self.lead[i].unwrap_or(i), self.lead[j].unwrap_or(j))
    }

    /// What the bound counts a column as winning: its gain, or (in a run of near-ties) the
    /// run's best gain per unit of amount times its amount, rounded up.
    pub fn bound_gain(&self, j: usize) -> (i128, i64) {
        let (g, a) = self.gain[j];
        match self.lead[j] {
            Some(h) if h != j => {
                let (gh, ah) = self.gain[h];
                let ah = i128::from(ah);
                ((gh * i128::from(a) + ah - 1).div_euclid(ah), a)
            }
            _ => (g, a),
        }
    }
}

/// The representative of `c`'s cluster (the least member), halving paths on the way.
fn root(cluster: &mut [usize], mut c: usize) -> usize {
    while cluster[c] != c {
        cluster[c] = cluster[cluster[c]];
        c = cluster[c];
    }
    c
}
