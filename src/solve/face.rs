//! An exact second look at the third tie-break level after HiGHS has settled it. HiGHS answers
//! the tie-break's questions about the optimal face (score and total subsidy both at their proven
//! values) with rows whose amounts run to millions of yuan counted to the yuan, and its cuts have
//! cut tied portfolios off that face: which round's fixture failed changed with the size of its
//! cut pool (tests/fixtures/adversarial/money-floor-tie-break.toml, ties-round-order.toml). So the
//! portfolio it settles on is checked against its neighbours on the face, in integers: every
//! exchange that keeps the score and the subsidy — one column for another of the same score and
//! amount, or two funded projects trading rounds — and keeps every row is tried, and one that
//! funds an earlier (project, round) is taken, until none does. It proves nothing HiGHS did not;
//! it repairs the misses of the shapes seen, and any portfolio it returns is on the face.

use super::program::Program;
use std::collections::HashMap;

/// Exchanges taken at most (each strictly improves the tie-break, so this only bounds the work).
const MOVES: usize = 10_000;

/// The portfolio `x` (on the optimal face) after every improving exchange.
pub(crate) fn improve_tie_break(program: &Program, mut x: Vec<bool>) -> Vec<bool> {
    let n = program.columns.len();
    let rows = program.rows();
    let mut member: Vec<Vec<(usize, i64)>> = vec![Vec::new(); n];
    for (r, row) in rows.iter().enumerate() {
        for &(i, a) in &row.terms {
            member[i].push((r, a));
        }
    }
    let mut usage = vec![0i64; rows.len()];
    for (i, on) in x.iter().enumerate() {
        if *on {
            for &(r, a) in &member[i] {
                usage[r] += a;
            }
        }
    }
    let lower = program.lower();
    // Columns by (score, amount), ascending: the candidates of a one-for-one exchange.
    let mut alike: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for i in 0..n {
        alike
            .entry((program.score[i], program.subsidy[i]))
            .or_default()
            .push(i);
    }
    let column: HashMap<(usize, usize), usize> = (0..n).map(|i| (program.pair(i), i)).collect();
    let holds = |usage: &[i64], out: &[usize], into: &[usize]| -> bool {
        let mut delta: HashMap<usize, i64> = HashMap::new();
        for &j in out {
            for &(r, a) in &member[j] {
                *delta.entry(r).or_default() -= a;
            }
        }
        for &i in into {
            for &(r, a) in &member[i] {
                *delta.entry(r).or_default() += a;
            }
        }
        delta.iter().all(|(&r, &d)| usage[r] + d <= rows[r].bound)
    };
    for _ in 0..MOVES {
        let funded: Vec<usize> = (0..n).filter(|&i| x[i] && !lower[i]).collect();
        let mut best: Option<(Vec<usize>, Vec<usize>)> = None;
        let mut consider = |out: Vec<usize>, into: Vec<usize>| {
            let first_in = into.iter().min().copied().unwrap_or(usize::MAX);
            if best
                .as_ref()
                .is_none_or(|(_, b)| first_in < b.iter().min().copied().unwrap_or(usize::MAX))
            {
                best = Some((out, into));
            }
        };
        for &j in &funded {
            // One for one: an earlier column of the same score and amount.
            for &i in alike[&(program.score[j], program.subsidy[j])]
                .iter()
                .take_while(|&&i| i < j)
            {
                if !x[i] && holds(&usage, &[j], &[i]) {
                    consider(vec![j], vec![i]);
                    break;
                }
            }
        }
        for (a, &j1) in funded.iter().enumerate() {
            for &j2 in &funded[a + 1..] {
                // Two projects trade rounds.
                let ((p, r1), (q, r2)) = (program.pair(j1), program.pair(j2));
                if r1 == r2 {
                    continue;
                }
                let (Some(&i1), Some(&i2)) = (column.get(&(p, r2)), column.get(&(q, r1))) else {
                    continue;
                };
                let same_score =
                    program.score[i1] + program.score[i2] == program.score[j1] + program.score[j2];
                let same_amount = program.subsidy[i1] + program.subsidy[i2]
                    == program.subsidy[j1] + program.subsidy[j2];
                if same_score
                    && same_amount
                    && i1.min(i2) < j1.min(j2)
                    && holds(&usage, &[j1, j2], &[i1, i2])
                {
                    consider(vec![j1, j2], vec![i1, i2]);
                }
            }
        }
        let Some((out, into)) = best else { break };
        for j in out {
            x[j] = false;
            for &(r, a) in &member[j] {
                usage[r] -= a;
            }
        }
        for i in into {
            x[i] = true;
            for &(r, a) in &member[i] {
                usage[r] += a;
            }
        }
    }
    x
}
