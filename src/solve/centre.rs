//! The one linear program outside the funding round: the Chebyshev centre of a polytope of
//! weight vectors (`{w ≥ 0 : a·w ≥ b, Σw = 1}`), where the sweep's hit-and-run chains start. It
//! lives here so that every call into HiGHS stays in `solve/`.

use good_lp::{constraint, variable, Expression, ProblemVariables, Solution, SolverModel};

/// The centre and radius (at most 1) of the largest ball inside `{w ≥ 0 : a·w ≥ b, Σw = 1}` in
/// `d` dimensions, for rows `(a, b)`, measured within the plane Σw = 1; `None` when the polytope
/// is empty.
pub fn chebyshev_centre(rows: &[(Vec<f64>, f64)], d: usize) -> Option<(Vec<f64>, f64)> {
    let mut vars = ProblemVariables::new();
    let w: Vec<_> = (0..d).map(|_| vars.add(variable().min(0.0))).collect();
    let r = vars.add(variable().min(0.0).max(1.0));
    let mut problem = vars.maximise(r).using(good_lp::solvers::highs::highs);
    let sum: Expression = w.iter().copied().sum();
    problem = problem.with(constraint!(sum == 1.0));
    for (a, b) in rows {
        // Distance within the plane Σw = 1: project a onto it.
        let mean = a.iter().sum::<f64>() / d as f64;
        let norm = a
            .iter()
            .map(|a| (a - mean) * (a - mean))
            .sum::<f64>()
            .sqrt();
        let lhs: Expression = a.iter().zip(&w).map(|(a, v)| *a * *v).sum::<Expression>() - norm * r;
        problem = problem.with(constraint!(lhs >= *b));
    }
    let solution = problem.solve().ok()?;
    Some((
        w.iter().map(|v| solution.value(*v)).collect(),
        solution.value(r),
    ))
}
