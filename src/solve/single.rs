//! Programs that fund at most one of their columns, settled by trying each. A reserve list's
//! what-if often frees one place: every column left is in the round's size row with room for one
//! (or in a pool row where any two overspend), and the enumeration walked up to 1,500 such
//! columns a dozen times to prove what a single pass shows.

use super::program::{Program, Row};
use std::cmp::Ordering;

/// The optimal portfolio, under the whole tie-break, of a program in which some row admits at
/// most one column (all its coefficients positive, every column in it, any two together over
/// its bound). `None` when no row does, or when no portfolio meets the rows (the diagnosis of
/// an infeasible program is left to the usual path).
///
/// Exact: the portfolios are the empty one and the single columns, each checked against every
/// row in integers. Among them the best score wins, then the least subsidy, then the one funding
/// the earliest column in which two differ: of two single columns the earlier (columns are in
/// rank order), and a column before the empty portfolio.
pub(crate) fn at_most_one(program: &Program, rows: &[Row]) -> Option<Vec<bool>> {
    let n = program.columns.len();
    let one = |row: &Row| {
        let mut smallest = [i128::MAX; 2];
        for &(_, a) in &row.terms {
            let a = i128::from(a);
            if a < smallest[0] {
                smallest = [a, smallest[0]];
            } else if a < smallest[1] {
                smallest[1] = a;
            }
        }
        row.terms.len() == n
            && smallest[0] > 0
            && smallest[0].saturating_add(smallest[1]) > i128::from(row.bound)
    };
    if n < 2 || program.lower().contains(&true) || !rows.iter().any(one) {
        return None;
    }
    // A single column meets a row it is in when its coefficient fits, and a row it is not in
    // when the empty portfolio does.
    let mut fits = vec![true; n];
    let mut empty_fits = true;
    for row in rows {
        if row.bound < 0 {
            empty_fits = false;
            let mut met = vec![false; n];
            for &(i, a) in &row.terms {
                met[i] = a <= row.bound;
            }
            fits.iter_mut().zip(met).for_each(|(f, m)| *f &= m);
        } else {
            for &(i, a) in &row.terms {
                if a > row.bound {
                    fits[i] = false;
                }
            }
        }
    }
    // Better: more score, then less subsidy; equal ones keep the earlier column.
    let better = |i: usize, j: usize| -> bool {
        match program.score[i].cmp(&program.score[j]) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => program.subsidy[i] < program.subsidy[j],
        }
    };
    let best = (0..n)
        .filter(|&i| fits[i])
        .fold(None, |best: Option<usize>, i| match best {
            Some(b) if !better(i, b) => Some(b),
            _ => Some(i),
        });
    let column = match best {
        // The empty portfolio wins only with more score or less subsidy than the best column
        // (an eligible candidate asks for money, but the rule costs nothing to state whole).
        Some(i) if empty_fits => {
            let (score, subsidy) = (program.score[i], program.subsidy[i]);
            (score > 0 || (score == 0 && subsidy <= 0)).then_some(i)
        }
        Some(i) => Some(i),
        None if empty_fits => None,
        None => return None,
    };
    let mut x = vec![false; n];
    if let Some(i) = column {
        x[i] = true;
    }
    Some(x)
}
