//! Reduced-cost fixing, proven in exact integer arithmetic.
//!
//! Every row of the program is `Σ a·x ≤ b` with integer a and b. For any multipliers y ≥ 0 and
//! any portfolio x, `score(x) = y·Ax + d·x ≤ y·b + d·x` with reduced costs `d = score − Aᵀy`, so
//!
//! ```text
//! score(x) ≤ U − Σ_j penalty_j(x),   U = y·b + Σ_j max(d_j, 0) (d_j for a column fixed at 1),
//! ```
//!
//! where penalty_j(x) = |d_j| when x_j sits on the other side from the sign of d_j, else 0. Given
//! a portfolio P, a column with |d_j| > U − score(P) therefore takes the side of its sign in every
//! portfolio scoring at least score(P) — in every better portfolio and every tied one. Fixing it
//! there leaves the optimum, and the whole tie-break among optimal portfolios, untouched.
//!
//! The y are HiGHS's duals of the linear relaxation, rounded to multiples of 2^-SHIFT and clipped
//! at 0; the bound holds for *any* y ≥ 0, so the rounding only costs a little strength, never
//! correctness, and everything after it is integer (i128). On large rounds the relaxation is
//! tight and the incumbent close to it, and most columns are fixed: what HiGHS must prove shrinks
//! from tens of thousands of columns to the few hundred near the funding lines.

use super::program::{Answer, Extra, Program, Row};

/// The duals' fixed-point scale: y is held as an integer multiple of 2^-SHIFT.
pub(crate) const SHIFT: u32 = 32;

/// The dual bound of one relaxation: reduced costs and U, all scaled by 2^SHIFT.
pub(crate) struct DualBound {
    /// The multipliers y of the rows.
    pub(crate) y: Vec<i128>,
    /// Reduced cost of each column.
    pub(crate) reduced: Vec<i128>,
    /// Columns that must be 1 (locks, earlier pins): no penalty, they cannot move.
    pub(crate) lower: Vec<bool>,
    /// U.
    pub(crate) bound: i128,
}

impl DualBound {
    /// The bound from the relaxation's row duals (for a maximisation HiGHS gives a binding `≤`
    /// row a dual ≥ 0; y = max(0, dual) whatever it returns). `None` when the duals do not match
    /// the rows or are not finite.
    pub fn new(program: &Program, rows: &[Row], duals: &[f64]) -> Option<DualBound> {
        if duals.len() != rows.len() || duals.iter().any(|y| !y.is_finite()) {
            return None;
        }
        let scale = (1u64 << SHIFT) as f64;
        // Rounded to the fixed-point grid; far below 2^63 for any dual HiGHS returns here (a
        // dual is at most a column's score per unit of the row).
        let y = duals
            .iter()
            .map(|&dual| (dual * scale).round().clamp(0.0, 9.0e18) as i128)
            .collect();
        Some(DualBound::from_parts(
            &program.score,
            rows,
            y,
            program.lower(),
        ))
    }

    /// The bound for any multipliers `y ≥ 0` (scaled by 2^SHIFT), column scores and the columns
    /// that must be 1.
    pub fn from_parts(score: &[i64], rows: &[Row], y: Vec<i128>, lower: Vec<bool>) -> DualBound {
        debug_assert!(y.len() == rows.len() && y.iter().all(|&y| y >= 0));
        let mut reduced: Vec<i128> = score.iter().map(|&s| i128::from(s) << SHIFT).collect();
        let mut bound: i128 = 0;
        for (row, &y) in rows.iter().zip(&y) {
            if y == 0 {
                continue;
            }
            bound += y * i128::from(row.bound);
            for &(j, a) in &row.terms {
                reduced[j] -= y * i128::from(a);
            }
        }
        for (d, &fixed) in reduced.iter().zip(&lower) {
            bound += if fixed { *d } else { (*d).max(0) };
        }
        DualBound {
            y,
            reduced,
            lower,
            bound,
        }
    }

    /// The best total score any portfolio can reach, in score units (rounded down: scores are
    /// integers).
    pub fn best(&self) -> i64 {
        i64::try_from(self.bound.div_euclid(1i128 << SHIFT)).unwrap_or(i64::MAX)
    }

    /// Per column, the value every portfolio scoring at least `floor` must give it, where that
    /// is proven; `None` elsewhere.
    pub fn fixings(&self, floor: i64) -> Vec<Option<bool>> {
        let slack = self.bound - (i128::from(floor) << SHIFT);
        self.reduced
            .iter()
            .zip(&self.lower)
            .map(|(&d, &fixed)| {
                if fixed {
                    Some(true)
                } else if d.abs() > slack {
                    Some(d > 0)
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Branch-and-bound nodes the core search may take: it only looks for an incumbent. Unbounded,
/// on a re-weighted 10,000-application round (generated seed 7, a Dirichlet sample) HiGHS took 69 s
/// to prove the core's optimum; stopped at 1,000 nodes it took 1.3 s, and the fixing against its
/// best left the same 2,135 columns (and HiGHS's proof after it took the same 150 s). No other
/// round measured reaches it with more than `CORE` columns free (the 80 adversarial shapes, the
/// generated and quzhou-like 10,000 seeds 1–4, the quzhou-like 1,000 seeds 1–4, the reports of
/// G10K7 and of the quzhou-like 10,000 seed 1): the same bytes and times there.
const CORE_NODES: i32 = 1_000;

impl DualBound {
    /// A heuristic portfolio: the `size` columns of smallest |reduced cost| are left free and every
    /// other column is fixed on the side its reduced cost favours (the relaxation's own choice),
    /// and HiGHS solves that small "core" program. Near a tight relaxation the optimum differs from
    /// the relaxation only near the funding lines, so this usually finds it or comes close; it
    /// proves nothing (the fixing against its result does). `None` when the core is infeasible or
    /// the solve is cut short without a portfolio, or when the core would be the whole program.
    pub fn core_search(
        &self,
        program: &mut Program,
        size: usize,
    ) -> crate::Result<Option<Vec<bool>>> {
        let mut order: Vec<usize> = (0..self.reduced.len())
            .filter(|&j| !self.lower[j])
            .collect();
        // A core holding every column is stage 1 itself over more columns (the fixing against
        // the incumbent removes some): on an 80-application round, 3 s spent twice.
        if order.len() <= size {
            return Ok(None);
        }
        order.sort_by_key(|&j| (self.reduced[j].abs(), j));
        let mut free = vec![false; self.reduced.len()];
        for &j in order.iter().take(size) {
            free[j] = true;
        }
        let fixed: Vec<Option<bool>> = (0..free.len())
            .map(|j| (!free[j]).then(|| self.lower[j] || self.reduced[j] > 0))
            .collect();
        let mut core = program.restrict(&fixed);
        let objective: Vec<f64> = core.score.iter().map(|&s| s as f64).collect();
        let bounded = Extra {
            max_nodes: Some(CORE_NODES),
            ..Extra::default()
        };
        let answer = core.run(&objective, true, &bounded, &[]);
        program.calls = core.calls;
        let found = match answer? {
            Answer::Optimal { x, .. } => Some(x),
            Answer::Stopped { x, .. } => x,
            Answer::Infeasible => None,
        };
        Ok(found.map(|x| {
            let mut it = x.into_iter();
            fixed
                .iter()
                .map(|f| *f != Some(false) && it.next().unwrap_or(false))
                .collect()
        }))
    }
}
