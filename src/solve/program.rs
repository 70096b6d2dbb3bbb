//! The integer program of `docs/model.md`, built with `good_lp` and solved by HiGHS. The solver's
//! matrix is the one place money and scores become `f64` (elsewhere `f64` carries only the
//! relaxation's values, duals and gaps, the sweep's weights and the charts): scores enter as
//! integer counts of 1e-4 points and money as integer fen, both exact in `f64`, so the optimum
//! HiGHS proves (relative gap 0, absolute gap below one unit) is exact.

use super::constraints::{Constraint, Kind};
use crate::rules::{Evaluation, SCORE_DP};
use crate::scenario::Scenario;
use good_lp::solvers::highs::highs as highs_solver;
use good_lp::{variable, Expression, ProblemVariables, SolverModel, Variable};
use highs::HighsModelStatus;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What one HiGHS run found.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    /// Proven optimal: the chosen columns and the objective.
    Optimal { x: Vec<bool>, objective: f64 },
    /// Stopped by the time limit; the best solution found, if any, and the relative gap.
    Stopped { x: Option<Vec<bool>>, gap: f64 },
    /// No solution exists.
    Infeasible,
}

/// Extra rows of a later stage: keep the score optimal, keep the subsidy minimal.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extra {
    /// Σ score units · x ≥ this.
    pub min_score: Option<i64>,
    /// Σ subsidy fen · x ≤ this.
    pub max_subsidy: Option<i64>,
    /// HiGHS's default integrality tolerance (1e-6) instead of 1e-9: the second opinion on a
    /// tie-break question (see `tie_break` in mod.rs), whose portfolios are checked exactly.
    pub loose: bool,
    /// An integrality tolerance other than those: the question asked again after HiGHS ended it
    /// in "Solve error" (see `Program::call_once`).
    pub tolerance: Option<f64>,
    /// Σ x ≥ 1 over these columns, and HiGHS stops at the first portfolio it finds (answered as
    /// `Stopped` with it): a question of "is there one?", which needs no proof of the best when
    /// the answer is yes.
    pub some_of: Vec<usize>,
    /// HiGHS stops after this many branch-and-bound nodes (answered as `Stopped`): a bounded
    /// second opinion, deterministic on one thread where a time budget would not be.
    pub max_nodes: Option<i32>,
    /// A portfolio other than this one (Σ over its unfunded columns − Σ over its funded ≥
    /// 1 − its size), and HiGHS stops at the first it finds, as with `some_of`.
    pub other_than: Option<Vec<bool>>,
    /// With `some_of` or `other_than`: HiGHS proves the best such portfolio instead of stopping
    /// at the first.
    pub best_of: bool,
    /// HiGHS's primal heuristics on (see `configure`): for every stage of a large program the
    /// enumeration could not settle.
    pub heuristics: bool,
}

/// One row: Σ coefficient · column ≤ bound, in integers.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// (column, coefficient) pairs.
    pub terms: Vec<(usize, i64)>,
    /// The right-hand side.
    pub bound: i64,
}

impl Row {
    /// Whether the columns chosen in `x` meet the row, summed exactly.
    pub fn holds(&self, x: &[bool]) -> bool {
        let total: i128 = self
            .terms
            .iter()
            .filter(|(i, _)| x[*i])
            .map(|&(_, a)| i128::from(a))
            .sum();
        total <= i128::from(self.bound)
    }
}

/// One question to HiGHS: an objective over the columns, its direction, extra rows, column
/// bounds (`None` = binary 0..1).
#[derive(Clone, Copy)]
struct Query<'q> {
    objective: &'q [f64],
    maximise: bool,
    extra: &'q Extra,
    bounds: &'q [Option<(f64, f64)>],
}

/// Whether a call solves the integer program or its linear relaxation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Problem {
    Integer,
    Relaxation,
}

/// The program over the columns that survive the reductions. A clone asks questions beside the
/// original (`ask`'s opinions); [`Program::absorb`] takes back what it learned.
#[derive(Clone)]
pub(crate) struct Program<'a> {
    scenario: &'a Scenario,
    evaluation: &'a Evaluation,
    /// Candidate index of each column, ascending.
    pub columns: Vec<usize>,
    /// Candidates the committee locked in, ascending: not columns but constants, folded into
    /// the rows' bounds. A reserve list's what-if locks every funded pair but one; as columns
    /// they made each of its thousands of small programs as large as the round's optimum.
    folded: Vec<usize>,
    /// Score of each column in units of 1e-4 points.
    pub score: Vec<i64>,
    /// Subsidy of each column in fen.
    pub subsidy: Vec<i64>,
    /// Which must-fund locks are imposed (all, except while diagnosing infeasibility).
    pub locks: Vec<bool>,
    /// Which dependencies are imposed.
    pub dependencies: Vec<bool>,
    /// Per round: whether its floors are imposed.
    pub floors: Vec<bool>,
    /// Per round: whether its candidates' scores count in the objective (`None`: every round;
    /// a level of the round-priority objective counts one). The rows keep the true scores.
    counted: Option<Vec<bool>>,
    /// When the whole solve must stop, if limited; each HiGHS call gets the time left.
    pub deadline: Option<std::time::Instant>,
    /// Number of HiGHS calls made.
    pub calls: usize,
    /// Of them, integer programs (HiGHS's branch and bound, not a relaxation).
    pub mip_calls: usize,
    /// Column values of the last solve (fractional for a relaxation).
    pub values: Vec<f64>,
    /// HiGHS's duals of the `rows()` in the last solve.
    pub duals: Vec<f64>,
    /// Columns fixed at 1 by reduced-cost fixing.
    pub pinned: Vec<bool>,
    /// Once set, HiGHS stops the integer program it is solving, answered as stopped (see
    /// [`interrupt_when`]): an opinion no longer needed (`ask` in mod.rs).
    pub interrupt: Option<Arc<AtomicBool>>,
    /// Columns before reduced-cost fixing removed any.
    pub before_fixing: usize,
    /// The round's constraints (built once, shared by the restricted programs).
    constraints: Arc<Vec<Constraint>>,
    /// Their rows over the columns (see `rows_of`).
    rows: Vec<Tagged>,
    /// Per pool: the index in `rows` of its money row, where it has one.
    pool_rows: Vec<Option<usize>>,
    /// Cover cuts against portfolios HiGHS accepted within its tolerance that break a row
    /// exactly (see [`cover`]): valid for every portfolio that meets the round's rows, so kept
    /// for every later call (cuts of a committee decision's row are not kept: see `broken`).
    cuts: Vec<Row>,
}

/// The row "a portfolio other than `x`": Σ_{x_j = 1} y_j − Σ_{x_j = 0} y_j ≤ |x| − 1.
fn other_row(x: &[bool]) -> Row {
    Row {
        terms: x
            .iter()
            .enumerate()
            .map(|(j, &on)| (j, if on { 1 } else { -1 }))
            .collect(),
        bound: x.iter().filter(|&&on| on).count() as i64 - 1,
    }
}

/// A program's calls and cuts at one moment (see [`Program::absorb`]).
pub(crate) struct Mark {
    calls: usize,
    mip_calls: usize,
    cuts: usize,
}

/// A committee decision that the diagnosis of an infeasible round may switch off: the rows it
/// writes.
#[derive(Debug, Clone, Copy)]
enum Decision {
    /// A dependency (index into `committee.dependencies`).
    Dependency(usize),
    /// A round's floors (index into `rounds`).
    Floor(usize),
}

/// A row with the committee decision it states, if any.
type Tagged = (Option<Decision>, Row);

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

/// A score as an integer number of 1e-4 points.
pub(crate) fn score_units(score: Decimal) -> i64 {
    (score * Decimal::from(10i64.pow(SCORE_DP)))
        .trunc()
        .to_i64()
        .unwrap_or(i64::MAX)
}

impl<'a> Program<'a> {
    /// The greatest common divisor of the columns' scores (1 when all are 0): every portfolio's
    /// total score is a multiple of it.
    pub fn score_unit(&self) -> i64 {
        self.score.iter().fold(0, |g, &a| gcd(g, a)).max(1)
    }

    /// The greatest common divisor of the columns' amounts (1 when there are none): every
    /// portfolio's total is a multiple of it.
    pub fn subsidy_unit(&self) -> i64 {
        self.subsidy.iter().fold(0, |g, &a| gcd(g, a)).max(1)
    }

    /// The program over `columns`, with the candidates `folded` funded as constants (both
    /// ascending, disjoint) and the round's constraints (`constraints::constraints`) built once
    /// by the caller.
    pub(crate) fn over(
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        columns: Vec<usize>,
        folded: Vec<usize>,
        list: Arc<Vec<Constraint>>,
    ) -> Program<'a> {
        let cands = &evaluation.candidates;
        let n = columns.len();
        let subsidy: Vec<i64> = columns.iter().map(|&c| cands[c].subsidy.fen()).collect();
        let score: Vec<i64> = columns
            .iter()
            .map(|&c| score_units(cands[c].score))
            .collect();
        let (rows, pool_rows) = rows_of(
            scenario, &list, evaluation, &columns, &folded, &subsidy, &score,
        );
        Program {
            scenario,
            evaluation,
            rows,
            pool_rows,
            cuts: vec![],
            score,
            constraints: list,
            subsidy,
            before_fixing: n + folded.len(),
            columns,
            folded,
            locks: vec![true; scenario.committee.must_fund.len()],
            dependencies: vec![true; scenario.committee.dependencies.len()],
            floors: vec![true; scenario.rounds.len()],
            counted: None,
            deadline: None,
            calls: 0,
            mip_calls: 0,
            values: vec![],
            duals: vec![],
            pinned: vec![false; n],
            interrupt: None,
        }
    }

    /// The same program with the folded candidates as columns again, each held at 1 by its lock
    /// (`lower`), so that the diagnosis of an infeasible round can switch locks off.
    pub fn unfolded(&self) -> Program<'a> {
        let mut columns = self.columns.clone();
        columns.extend(&self.folded);
        columns.sort_unstable();
        let pinned: Vec<bool> = columns
            .iter()
            .map(|c| self.columns.binary_search(c).is_ok_and(|i| self.pinned[i]))
            .collect();
        let mut program = Program::over(
            self.scenario,
            self.evaluation,
            columns,
            Vec::new(),
            Arc::clone(&self.constraints),
        );
        program.pinned = pinned;
        self.carry_to(&mut program);
        program
    }

    /// Carries this program's switches, objective, deadline and call counts to one built from
    /// it.
    fn carry_to(&self, program: &mut Program) {
        program.locks = self.locks.clone();
        program.dependencies = self.dependencies.clone();
        program.floors = self.floors.clone();
        if let Some(counted) = &self.counted {
            program.count_only(counted.clone());
        }
        program.deadline = self.deadline;
        program.calls = self.calls;
        program.mip_calls = self.mip_calls;
    }

    /// The folded candidates' score in the objective (units of 1e-4 points): what every
    /// portfolio's objective is above the columns'.
    pub fn folded_score(&self) -> i64 {
        let cands = &self.evaluation.candidates;
        self.folded
            .iter()
            .filter(|&&c| {
                self.counted
                    .as_ref()
                    .is_none_or(|counted| counted[cands[c].round])
            })
            .map(|&c| score_units(cands[c].score))
            .fold(0i64, i64::saturating_add)
    }

    /// Where the calls and cuts stand, for [`Program::absorb`].
    pub fn mark(&self) -> Mark {
        Mark {
            calls: self.calls,
            mip_calls: self.mip_calls,
            cuts: self.cuts.len(),
        }
    }

    /// Takes back what a clone made at `mark` learned since: its calls, the cover cuts it found
    /// (they hold for every later question) and its last solve's values.
    pub fn absorb(&mut self, copy: Program<'a>, mark: &Mark) {
        self.calls += copy.calls - mark.calls;
        self.mip_calls += copy.mip_calls - mark.mip_calls;
        self.cuts.extend(copy.cuts.into_iter().skip(mark.cuts));
        self.values = copy.values;
        self.duals = copy.duals;
    }

    /// Solves with the given objective (over columns), direction, extra rows and column bounds
    /// (`None` = binary 0..1). HiGHS gets no start solution: handed one (the incumbent, a tied
    /// portfolio), HiGHS 1.x pruned against its cutoff and reported portfolios optimal that were
    /// not — 999,997 yuan above the least subsidy on a seven-project round
    /// (tests/fixtures/adversarial/least-subsidy-millions.toml), and 19.5 points where 20 exist
    /// with restarts on (highs-restart.toml). A start only ever saved time.
    pub fn run(
        &mut self,
        objective: &[f64],
        maximise: bool,
        extra: &Extra,
        bounds: &[Option<(f64, f64)>],
    ) -> crate::Result<Answer> {
        let query = Query {
            objective,
            maximise,
            extra,
            bounds,
        };
        self.call(&query, Problem::Integer)
    }

    /// The linear relaxation (columns continuous in [0, 1]), maximising `objective`; its values
    /// and row duals are left in `values` and `duals`.
    pub fn relaxation(&mut self, objective: &[f64]) -> crate::Result<Answer> {
        let query = Query {
            objective,
            maximise: true,
            extra: &Extra::default(),
            bounds: &[],
        };
        self.call(&query, Problem::Relaxation)
    }

    /// One question to HiGHS. An integer answer is checked exactly, in integers, against the
    /// rows and the question's extra rows: HiGHS's tolerances are relative to rows of amounts
    /// in fen, so it accepted a portfolio a yuan over a pool of 300 billion yuan
    /// (tests/fixtures/adversarial/pool-over-by-a-yuan.toml). Such a portfolio is cut off by a
    /// cover cut and the question asked again, until the answer meets every row or there is
    /// none.
    fn call(&mut self, q: &Query, kind: Problem) -> crate::Result<Answer> {
        if kind == Problem::Relaxation {
            return self.call_once(q, kind, true, &[]);
        }
        // Cuts against the question's own extra rows hold for this question only.
        let mut local: Vec<Row> = Vec::new();
        for _ in 0..REPAIRS {
            let answer = self.call_once(q, kind, true, &local)?;
            let x = match &answer {
                Answer::Optimal { x, .. } | Answer::Stopped { x: Some(x), .. } => x,
                _ => return Ok(answer),
            };
            let Some((row, base)) = self.broken(x, q.extra) else {
                return Ok(answer);
            };
            if std::env::var_os("ALLOT_TRACE").is_some() {
                eprintln!("allot: HiGHS's portfolio breaks a row exactly; cut off and asked again");
            }
            let Some(cut) = cover(&row, x) else {
                // No portfolio meets this row: the question has no answer.
                return Ok(Answer::Infeasible);
            };
            if base {
                self.cuts.push(cut);
            } else {
                local.push(cut);
            }
        }
        Err(crate::Error::Solver(format!(
            "HiGHS returned {REPAIRS} portfolios in a row that break a row by less than its tolerance"
        )))
    }

    /// The first row (the program's, then the question's extra rows) that `x` breaks when summed
    /// exactly, and whether its cuts hold for every later question: not for the question's own
    /// rows, nor for a committee decision's, which the diagnosis of an infeasible round switches
    /// off.
    fn broken(&self, x: &[bool], extra: &Extra) -> Option<(Row, bool)> {
        let breaks = |row: &Row| !row.holds(x);
        if let Some((decision, row)) = self.imposed_with().find(|(_, r)| breaks(r)) {
            return Some((row.clone(), decision.is_none()));
        }
        let score = extra.min_score.map(|min| Row {
            terms: self
                .score
                .iter()
                .enumerate()
                .map(|(i, &s)| (i, -s))
                .collect(),
            bound: -min,
        });
        let subsidy = extra.max_subsidy.map(|max| Row {
            terms: self.subsidy.iter().copied().enumerate().collect(),
            bound: max,
        });
        let some = (!extra.some_of.is_empty()).then(|| Row {
            terms: extra.some_of.iter().map(|&i| (i, -1)).collect(),
            bound: -1,
        });
        let other = extra.other_than.as_deref().map(other_row);
        score
            .into_iter()
            .chain(subsidy)
            .chain(some)
            .chain(other)
            .find(|r| breaks(r))
            .map(|row| (row, false))
    }

    /// One HiGHS call with the `local` cuts; `presolve_allowed` is false for the retry after a
    /// presolve failure.
    fn call_once(
        &mut self,
        q: &Query,
        kind: Problem,
        presolve_allowed: bool,
        local: &[Row],
    ) -> crate::Result<Answer> {
        let Query {
            objective,
            maximise,
            extra,
            bounds,
        } = *q;
        let relaxed = kind == Problem::Relaxation;
        // Folded locks can leave a row no column is in and that no portfolio meets (a pool the
        // locks already overspend): HiGHS is not asked about an empty row.
        if self
            .imposed()
            .any(|row| row.terms.is_empty() && row.bound < 0)
        {
            return Ok(Answer::Infeasible);
        }
        if self.columns.is_empty() {
            return Ok(if self.broken(&[], extra).is_some() {
                Answer::Infeasible
            } else {
                Answer::Optimal {
                    x: vec![],
                    objective: 0.0,
                }
            });
        }
        let objective_of = |x: &[bool]| -> f64 {
            objective
                .iter()
                .zip(x)
                .filter(|(_, on)| **on)
                .map(|(c, _)| *c)
                .sum()
        };
        if objective.len() != self.columns.len() {
            return Err(crate::Error::Solver(format!(
                "internal: an objective of {} entries for {} columns",
                objective.len(),
                self.columns.len()
            )));
        }
        self.calls += 1;
        if !relaxed {
            self.mip_calls += 1;
        }
        let mut vars = ProblemVariables::new();
        let lower = self.lower();
        let x: Vec<Variable> = (0..self.columns.len())
            .map(|i| {
                let (lo, hi) = bounds.get(i).copied().flatten().unwrap_or((0.0, 1.0));
                let var = if relaxed {
                    variable()
                } else {
                    variable().binary()
                };
                vars.add(var.min(lo.max(if lower[i] { 1.0 } else { 0.0 })).max(hi))
            })
            .collect();
        let mut goal = Expression::with_capacity(x.len());
        for (xi, c) in x.iter().zip(objective) {
            if *c != 0.0 {
                goal.add_mul(*c, *xi);
            }
        }
        let mut problem = if maximise {
            vars.maximise(goal)
        } else {
            vars.minimise(goal)
        }
        .using(highs_solver);

        let rows = self.rows();
        for row in &rows {
            let mut e = Expression::with_capacity(row.terms.len());
            for &(i, a) in &row.terms {
                e.add_mul(a as f64, x[i]);
            }
            problem.add_constraint(e.leq(row.bound as f64));
        }
        if let Some(min) = extra.min_score {
            // In units of the scores' greatest common divisor, like the amounts below: on a tie
            // round of whole points (coefficients 700,000, a bound of 7.76 million) HiGHS's cuts
            // found the face empty that held the least-subsidy portfolio
            // (tests/fixtures/adversarial/face-whole-points.toml); in points it is 70 and 776.
            let g = self.score_unit();
            let mut e = Expression::with_capacity(x.len());
            for (i, xi) in x.iter().enumerate() {
                e.add_mul((self.score[i] / g) as f64, *xi);
            }
            // Every total is a multiple of g: `≥ ⌈min / g⌉ − ½` admits exactly the same
            // portfolios and leaves HiGHS's tight feasibility tolerance room to find them.
            let units = min.div_euclid(g) + i64::from(min.rem_euclid(g) != 0);
            problem.add_constraint(e.geq(units as f64 - 0.5));
        }
        if let Some(max) = extra.max_subsidy {
            // In units of the amounts' greatest common divisor (every total is a multiple of it):
            // amounts in fen reach 10^14, and the smaller the coefficients, the less a yuan drowns
            // in HiGHS's tolerances.
            let g = self.subsidy_unit();
            let mut e = Expression::with_capacity(x.len());
            for (i, xi) in x.iter().enumerate() {
                e.add_mul((self.subsidy[i] / g) as f64, *xi);
            }
            // Integer amounts: `≤ max + ½` is the same set of portfolios (see `min_score`).
            problem.add_constraint(e.leq((max / g) as f64 + 0.5));
        }
        if !extra.some_of.is_empty() {
            let mut e = Expression::with_capacity(extra.some_of.len());
            for &i in &extra.some_of {
                e.add_mul(1.0, x[i]);
            }
            problem.add_constraint(e.geq(0.5));
        }
        for cut in extra
            .other_than
            .as_deref()
            .map(other_row)
            .iter()
            .chain(&self.cuts)
            .chain(local)
        {
            let mut e = Expression::with_capacity(cut.terms.len());
            for &(i, a) in &cut.terms {
                e.add_mul(a as f64, x[i]);
            }
            problem.add_constraint(e.leq(cut.bound as f64));
        }

        let mut model = problem
            .try_into_inner()
            .map_err(|e| crate::Error::Solver(format!("HiGHS rejected the model: {e}")))?;
        // HiGHS's presolve costs far more than it saves on the relaxation, and does not heed the
        // time limit: at 100,000 scaled applications (51,000 columns) the LP took 4.4 s with it
        // and 0.5 s without; the MIP with an 8 s limit ran 31 s with it, 6.4 s without (and
        // reached a slightly smaller gap). So it is off for the relaxation and whenever a time
        // limit is set; untimed MIP runs keep it (not measured widely enough to change).
        // Nor for the tie stages' face rows (a score and an amount to the unit): HiGHS's presolve
        // found the face empty that holds the stage-2 portfolio
        // (tests/fixtures/adversarial/face-empty-ties.toml).
        let face = extra.min_score.is_some() || extra.max_subsidy.is_some();
        let presolve = !(relaxed || self.deadline.is_some() || !presolve_allowed || face);
        let integrality = match (extra.tolerance, extra.loose) {
            (Some(tolerance), _) => tolerance,
            (None, true) => 1e-6,
            (None, false) => 1e-9,
        };
        configure(
            &mut model,
            relaxed,
            presolve,
            integrality,
            self.deadline,
            extra,
        )?;
        if let Some(flag) = &self.interrupt {
            interrupt_when(&mut model, flag)?;
        }
        let t = std::time::Instant::now();
        // HiGHS 1.x's presolve can reduce a tie stage to nothing and then return a postsolved
        // solution that breaks a row, ending in "Solve error" (tests/fixtures/adversarial/
        // highs-error-ties.toml): the same run without presolve decides it.
        let retry = |program: &mut Self| program.call_once(q, kind, false, local);
        let solved = match model.try_solve() {
            Ok(solved) => solved,
            Err(_) if presolve => return retry(self),
            // HiGHS 1.x can end a tight run in "Solve error": it checks its answer's rows in
            // floating point, and on a row whose activity reaches 4·10¹⁰ fen one rounding is
            // 7.6e-6, past a tolerance of 1e-6 (tests/fixtures/adversarial/highs-error-tight.toml).
            // Asked once more with the tolerance above a few such roundings: a looser tolerance
            // only widens what HiGHS may return, and every answer is checked exactly all the same.
            // Not for every loose question: at amounts near 10¹¹ yuan the wider tolerance let
            // HiGHS return a hundred portfolios in a row that break a row by a fen.
            Err(_) if !relaxed && extra.tolerance.is_none() => {
                let loose = Extra {
                    tolerance: Some(1e-6f64.max(self.largest_activity() * 8.0 * f64::EPSILON)),
                    ..extra.clone()
                };
                let again = Query {
                    extra: &loose,
                    ..*q
                };
                return self.call_once(&again, kind, false, local);
            }
            Err(e) => return Err(crate::Error::Solver(format!("HiGHS failed: {e:?}"))),
        };
        if std::env::var_os("ALLOT_TRACE").is_some() {
            eprintln!(
                "allot: HiGHS call {}: {} columns, {:?}, {:?}",
                self.calls,
                self.columns.len(),
                t.elapsed(),
                solved.status()
            );
        }
        let solution = solved.get_solution();
        self.values = solution.columns().to_vec();
        self.duals = solution
            .dual_rows()
            .iter()
            .take(rows.len())
            .copied()
            .collect();
        let decode = |values: &[f64]| -> Vec<bool> { values.iter().map(|v| *v > 0.5).collect() };
        // 2 = feasible (read raw: the binding panics on HiGHS's -1, "no solution").
        let has_solution = solved
            .int_info_value(c"primal_solution_status")
            .is_ok_and(|s| s == 2);
        Ok(match solved.status() {
            HighsModelStatus::Optimal => {
                let x = decode(&self.values);
                let value = solved.objective_value();
                // Each column may sit `integrality` off 0 or 1, so the decoded columns may be
                // worth up to that times the objective's weight less or more than HiGHS says
                // (a third of a unit in 340 million at 1e-9).
                let slack = 0.25 + integrality * objective.iter().map(|c| c.abs()).sum::<f64>();
                if !relaxed && (objective_of(&x) - value).abs() > slack {
                    // Columns that do not give the objective HiGHS reports (seen when presolve
                    // settled the whole model): solve again without presolve, or give up.
                    if presolve {
                        return retry(self);
                    }
                    return Err(crate::Error::Solver(format!(
                        "HiGHS reported objective {value} for columns worth {}",
                        objective_of(&x)
                    )));
                }
                Answer::Optimal {
                    x,
                    objective: value,
                }
            }
            // HiGHS's presolve declared a round with money floors infeasible while a portfolio
            // met every row (tests/fixtures/adversarial/money-floor-least-subsidy.toml): an
            // integer program is called infeasible only when the run without presolve agrees.
            HighsModelStatus::Infeasible if presolve && !relaxed => return retry(self),
            HighsModelStatus::Infeasible => Answer::Infeasible,
            // Every column is 0 or 1, so nothing is unbounded: HiGHS's "unbounded or
            // infeasible" on an integer program is its "infeasible" (seen on a what-if of
            // `allot explain` with amounts in billions, tests/xcheck's explanation oracle).
            HighsModelStatus::UnboundedOrInfeasible if !relaxed => Answer::Infeasible,
            HighsModelStatus::ModelEmpty => Answer::Optimal {
                x: vec![],
                objective: 0.0,
            },
            HighsModelStatus::ReachedTimeLimit
            | HighsModelStatus::ReachedIterationLimit
            | HighsModelStatus::ReachedSolutionLimit
            | HighsModelStatus::ReachedInterrupt => {
                let gap = solved.mip_gap();
                Answer::Stopped {
                    x: has_solution.then(|| decode(&self.values)),
                    gap: if gap.is_finite() { gap } else { 1.0 },
                }
            }
            _ if presolve => return retry(self),
            other => {
                return Err(crate::Error::Solver(format!(
                    "HiGHS ended with status {other:?}"
                )))
            }
        })
    }

    /// Only the rounds marked in `counted` count in the objective (the others' columns score 0).
    pub fn count_only(&mut self, counted: Vec<bool>) {
        let cands = &self.evaluation.candidates;
        for (s, &c) in self.score.iter_mut().zip(&self.columns) {
            if !counted[cands[c].round] {
                *s = 0;
            }
        }
        self.counted = Some(counted);
    }

    /// The largest magnitude a row's activity can reach (Σ |coefficient| over its columns), the
    /// score and subsidy rows included: what floating-point sums of it may be off by, relatively.
    fn largest_activity(&self) -> f64 {
        let magnitude = |a: i64| a.unsigned_abs() as f64;
        let rows = self
            .imposed()
            .map(|row| row.terms.iter().map(|&(_, a)| magnitude(a)).sum::<f64>());
        let objectives = [&self.score, &self.subsidy]
            .map(|column| column.iter().map(|&a| magnitude(a)).sum::<f64>());
        rows.chain(objectives).fold(0.0, f64::max)
    }

    /// Columns not pinned by reduced-cost fixing: those the solver still decides.
    pub fn free_columns(&self) -> usize {
        self.pinned.iter().filter(|&&pin| !pin).count()
    }

    /// Which columns must be 1: imposed must-fund locks and pinned columns.
    pub fn lower(&self) -> Vec<bool> {
        let mut lower = self.pinned.clone();
        if !self.folded.is_empty() {
            // Every lock of an eligible candidate is folded (a lock without one has no column).
            return lower;
        }
        let locks = &self.scenario.committee.must_fund;
        let imposed: Vec<(usize, usize)> = locks
            .iter()
            .zip(&self.locks)
            .filter(|(_, on)| **on)
            .map(|(lock, _)| (lock.project, lock.round))
            .collect();
        for i in self.columns_of(&imposed) {
            lower[i] = true;
        }
        lower
    }

    /// The rows of `docs/model.md` over the columns, in integers, leaving out rows no portfolio can
    /// break. Pool rows are divided by their amounts' greatest common divisor (100 when all are
    /// whole yuan): the same integer row, better scaled for HiGHS, with the bound rounded down.
    pub fn rows(&self) -> Vec<Row> {
        self.imposed().cloned().collect()
    }

    /// The index in [`Program::rows`] of pool `pool`'s money row (`None` where no choice of the
    /// columns can overspend the pool: it has no row).
    pub fn pool_row(&self, pool: usize) -> Option<usize> {
        let at = self.pool_rows.get(pool).copied().flatten()?;
        let rows = &self.rows[..at];
        Some(rows.iter().filter(|(d, _)| self.is_imposed(*d)).count())
    }

    /// The rows imposed now (see [`Program::rows`]).
    fn imposed(&self) -> impl Iterator<Item = &Row> {
        self.imposed_with().map(|(_, row)| row)
    }

    /// The rows imposed now, each with the committee decision it states, if any.
    fn imposed_with(&self) -> impl Iterator<Item = (Option<Decision>, &Row)> {
        self.rows
            .iter()
            .filter(|(decision, _)| self.is_imposed(*decision))
            .map(|(decision, row)| (*decision, row))
    }

    /// Whether the rows stating `decision` (none: the round's own) are imposed now.
    fn is_imposed(&self, decision: Option<Decision>) -> bool {
        match decision {
            None => true,
            Some(Decision::Dependency(d)) => self.dependencies[d],
            Some(Decision::Floor(r)) => self.floors[r],
        }
    }

    /// The same program without the columns `fixed` sets to 0 and with those it sets to 1 pinned;
    /// solver calls are still counted together.
    pub fn restrict(&self, fixed: &[Option<bool>]) -> Program<'a> {
        let columns: Vec<usize> = self
            .columns
            .iter()
            .zip(fixed)
            .filter(|(_, f)| **f != Some(false))
            .map(|(c, _)| *c)
            .collect();
        let mut program = Program::over(
            self.scenario,
            self.evaluation,
            columns,
            self.folded.clone(),
            Arc::clone(&self.constraints),
        );
        program.pinned = narrow(
            &fixed.iter().map(|f| *f == Some(true)).collect::<Vec<_>>(),
            fixed,
        );
        // A cut's columns fixed at 0 drop out of it (they add nothing); the rest are renumbered.
        let renumbered: Vec<Option<usize>> = fixed
            .iter()
            .scan(0, |next, f| {
                Some((*f != Some(false)).then(|| {
                    *next += 1;
                    *next - 1
                }))
            })
            .collect();
        program.cuts = self
            .cuts
            .iter()
            .map(|cut| Row {
                terms: cut
                    .terms
                    .iter()
                    .filter_map(|&(i, a)| renumbered[i].map(|j| (j, a)))
                    .collect(),
                bound: cut.bound,
            })
            .collect();
        self.carry_to(&mut program);
        program.before_fixing = self.before_fixing;
        program
    }

    /// The scenario the program was built from.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// The evaluation the program was built from.
    pub fn evaluation(&self) -> &'a Evaluation {
        self.evaluation
    }

    /// The (project, round) of column `i`.
    pub fn pair(&self, i: usize) -> (usize, usize) {
        let c = &self.evaluation.candidates[self.columns[i]];
        (c.project, c.round)
    }

    /// The candidates chosen by a column vector, the folded ones included, ascending.
    pub fn chosen(&self, x: &[bool]) -> Vec<usize> {
        let mut chosen: Vec<usize> = self
            .columns
            .iter()
            .zip(x)
            .filter(|(_, on)| **on)
            .map(|(&c, _)| c)
            .chain(self.folded.iter().copied())
            .collect();
        if !self.folded.is_empty() {
            chosen.sort_unstable();
        }
        chosen
    }

    /// The columns of the given (project, round) pairs that are columns here, in the given order.
    pub fn columns_of(&self, pairs: &[(usize, usize)]) -> Vec<usize> {
        let cands = &self.evaluation.candidates;
        pairs
            .iter()
            .filter_map(|&(p, r)| {
                let c = cands
                    .binary_search_by(|c| (c.project, c.round).cmp(&(p, r)))
                    .ok()?;
                self.columns.binary_search(&c).ok()
            })
            .collect()
    }

    /// A column vector for a set of candidates; `None` if one of them is neither a column nor
    /// folded, or if it leaves out a folded one.
    pub fn vector(&self, funded: &[usize]) -> Option<Vec<bool>> {
        let mut x = vec![false; self.columns.len()];
        let mut folded = 0;
        for c in funded {
            match self.columns.binary_search(c) {
                Ok(i) => x[i] = true,
                Err(_) => {
                    self.folded.binary_search(c).ok()?;
                    folded += 1;
                }
            }
        }
        (folded == self.folded.len()).then_some(x)
    }
}

/// The entries of a column vector that stay columns after `restrict(fixed)`.
pub(crate) fn narrow(x: &[bool], fixed: &[Option<bool>]) -> Vec<bool> {
    x.iter()
        .zip(fixed)
        .filter(|(_, f)| **f != Some(false))
        .map(|(v, _)| *v)
        .collect()
}

/// Whether the portfolio `x` fits the fixing `fixed`: every column fixed has its value.
pub(crate) fn fits(x: &[bool], fixed: &[Option<bool>]) -> bool {
    x.iter().zip(fixed).all(|(v, f)| f.is_none_or(|f| f == *v))
}

/// How many portfolios over a row by less than HiGHS's tolerance one question may return before
/// allot gives up on it (each is cut off, so the count is finite; one or two were ever seen).
const REPAIRS: usize = 100;

/// A cover cut that the portfolio `x`, which breaks `row` (Σ a·x ≤ b), breaks and no portfolio
/// meeting the row does: at least one of the columns P (a > 0, chosen) must go or one of N
/// (a < 0, not chosen) must come, since with P chosen and N not the row's least total is
/// Σ_P a + Σ_(a<0, not in N) a > b. P and N are made minimal by dropping the smallest
/// coefficients while that total stays above b. Written Σ_P x − Σ_N x ≤ |P| − 1. `None` when
/// the row cannot be met at all.
fn cover(row: &Row, x: &[bool]) -> Option<Row> {
    let negative: i128 = row
        .terms
        .iter()
        .filter(|(_, a)| *a < 0)
        .map(|&(_, a)| i128::from(a))
        .sum();
    let mut kept: Vec<(usize, i64)> = row
        .terms
        .iter()
        .copied()
        .filter(|&(i, a)| (a > 0 && x[i]) || (a < 0 && !x[i]))
        .collect();
    // The least total with all of P chosen and none of N: each coefficient in `kept` adds |a|.
    let least: i128 = negative
        + kept
            .iter()
            .map(|&(_, a)| i128::from(a.unsigned_abs()))
            .sum::<i128>();
    // Non-negative, since `x` breaks the row: its total is `least`.
    let mut room = least - i128::from(row.bound) - 1;
    kept.sort_by_key(|&(i, a)| (a.unsigned_abs(), i));
    let mut cut: Vec<(usize, i64)> = Vec::with_capacity(kept.len());
    for (i, a) in kept {
        let weight = i128::from(a.unsigned_abs());
        if weight <= room {
            room -= weight;
        } else {
            cut.push((i, a.signum()));
        }
    }
    if cut.is_empty() {
        return None;
    }
    cut.sort_unstable();
    let chosen = cut.iter().filter(|(_, a)| *a > 0).count() as i64;
    Some(Row {
        terms: cut,
        bound: chosen - 1,
    })
}

/// Has HiGHS stop `model`'s branch and bound once `flag` is set, through its MIP interrupt
/// callback. HiGHS polls it between nodes, not inside its root node's heuristics, so a stopped
/// run can go on for seconds (2–5 s seen at 10,000 applications). `flag` must outlive the
/// solve: the caller keeps its `Arc` until `try_solve` returns.
#[allow(unsafe_code)]
fn interrupt_when(model: &mut highs::Model, flag: &Arc<AtomicBool>) -> crate::Result<()> {
    /// Sets HiGHS's `user_interrupt` when the flag behind `data` is set.
    unsafe extern "C" fn check(
        _kind: std::os::raw::c_int,
        _message: *const std::os::raw::c_char,
        _out: *const highs_sys::HighsCallbackDataOut,
        data_in: *mut highs_sys::HighsCallbackDataIn,
        data: *mut std::os::raw::c_void,
    ) {
        // SAFETY: `data` is the `AtomicBool` of an `Arc` the caller keeps alive through the
        // solve, and `data_in`, when not null, is HiGHS's own input record for this call.
        let flag = unsafe { &*(data as *const AtomicBool) };
        if flag.load(Ordering::Relaxed) && !data_in.is_null() {
            unsafe { (*data_in).user_interrupt = 1 };
        }
    }
    let data = Arc::as_ptr(flag) as *mut std::os::raw::c_void;
    // SAFETY: the pointer is the live model's; `check` matches HiGHS's C callback type and only
    // reads `data` (see above).
    let ok = unsafe {
        highs_sys::Highs_setCallback(model.as_mut_ptr(), Some(check), data)
            == highs_sys::kHighsStatusOk
            && highs_sys::Highs_startCallback(
                model.as_mut_ptr(),
                highs_sys::kHighsCallbackMipInterrupt,
            ) == highs_sys::kHighsStatusOk
    };
    if ok {
        Ok(())
    } else {
        Err(crate::Error::Solver(
            "HiGHS refused the interrupt callback".into(),
        ))
    }
}

/// HiGHS's options for one call: exact gaps and tolerances, the speed settings measured below,
/// presolve, the integrality tolerance, the time left, and from `extra` whether the first
/// portfolio found will do (`some_of`, `other_than`), the nodes allowed and the primal
/// heuristics.
fn configure(
    model: &mut highs::Model,
    relaxed: bool,
    presolve: bool,
    integrality: f64,
    deadline: Option<std::time::Instant>,
    extra: &Extra,
) -> crate::Result<()> {
    model.make_quiet();
    if std::env::var_os("ALLOT_HIGHS_LOG").is_some() {
        let _ = model.try_set_option("output_flag", true);
        let _ = model.try_set_option("log_to_console", true);
    }
    let set = |model: &mut highs::Model, key: &str, value: f64| {
        model
            .try_set_option(key, value)
            .map_err(|e| crate::Error::Solver(format!("HiGHS option {key}: {e:?}")))
    };
    let set_str = |model: &mut highs::Model, key: &str, value: &str| {
        model
            .try_set_option(key, value)
            .map_err(|e| crate::Error::Solver(format!("HiGHS option {key}: {e:?}")))
    };
    // A relative gap of 0 and an absolute gap below one unit of the (integer) objective: a
    // reported optimum is the optimum, not one within HiGHS's default 0.01 %.
    set(model, "mip_rel_gap", 0.0)?;
    set(model, "mip_abs_gap", 0.5)?;
    // Amounts reach millions of yuan: at HiGHS's default integrality tolerance (1e-6) a
    // column at 0.9999997 counts as 1 yet pays a yuan less, so a pool filled to the yuan can
    // be overrun by one (seen in what-if margins). 1e-9 keeps that error below a fen. It is not
    // safe either: at 1e-9 (and at 1e-7, not at 1e-6 or 1e-8) HiGHS 1.16 called a tie-break
    // question infeasible that a face portfolio answers (tests/fixtures/adversarial/
    // tolerance-tie-break.toml), so those questions get a second opinion (`Extra::loose`).
    set(model, "mip_feasibility_tolerance", integrality)?;
    // Rows of amounts in hundreds of millions of yuan, counted in fen: at the default primal
    // feasibility tolerance (1e-7, on the scaled rows) HiGHS accepted portfolios a yuan over
    // the least-subsidy row and stopped one yuan above the least total
    // (tests/fixtures/adversarial/one-yuan-above.toml). Integer programs only: the relaxation
    // needs no such precision.
    if !relaxed {
        set(model, "primal_feasibility_tolerance", 1e-9)?;
    }
    // The cut pool keeps HiGHS's default (10,000). A pool of 10 once saved time (13 generated
    // rounds: 1.6 s of HiGHS against 2.9 s) but cut a tied portfolio off the optimal face: the
    // tie-break survey of tests/fixtures/adversarial/money-floor-tie-break.toml was proven to
    // have no other face portfolio at the root where one exists (non-default cut-pool settings
    // are a known source of wrong HiGHS answers, ERGO-Code/HiGHS#2355). The default pool misses
    // a tied portfolio of ties-round-order.toml in the same way; face.rs repairs both.
    // Measured: BENCHMARKS.md, "The cut pool".
    // No restarts: HiGHS 1.x's restart can drop the optimum. On a 10-application round it proved
    // a portfolio of 19.5 points optimal where one of 20 exists (tests/integration/brute_force.rs,
    // `highs_restart_does_not_lose_the_optimum`): with HiGHS 1.16 on its exported model, 30 of 30
    // random seeds whenever feasibility jump is off, none with it on. Restarts and every heuristic
    // on (as highspy runs by default) made stage 1 alone faster on linked 80 (0.15 s against
    // 0.87 s, median of three seeds) but the whole proof slower: 80 adversarial rounds 125.6 s →
    // 169.8 s (BENCHMARKS.md, "HiGHS settings measured").
    model
        .try_set_option("mip_allow_restart", false)
        .map_err(|e| crate::Error::Solver(format!("HiGHS option mip_allow_restart: {e:?}")))?;
    model
        .try_set_option("threads", 1)
        .map_err(|e| crate::Error::Solver(format!("HiGHS option threads: {e:?}")))?;
    // We always supply a good incumbent; most of HiGHS's primal heuristics then cost more
    // than they find on these small, well-structured programs. RINS, which searches near the
    // incumbent, pays: over 16 generated rounds, HiGHS time 2.4 s with all off, 1.5 s with
    // RINS alone, 3.8 s with all on. None of them affects the proof. Where asked (`heuristics`:
    // every stage of a large program the enumeration gave up on) they stay on: on a
    // 10,000-application round under a committee's own weights (BENCHMARKS.md, "A committee's
    // own weights") stage 1 took 171 s with them and 387 s without, the whole proof 744 s.
    for heuristic in [
        "mip_heuristic_run_feasibility_jump",
        "mip_heuristic_run_rens",
        "mip_heuristic_run_root_reduced_cost",
        "mip_heuristic_run_zi_round",
        "mip_heuristic_run_shifting",
    ] {
        // Older HiGHS builds lack some of these switches; they are only speed settings.
        let _ = model.try_set_option(heuristic, extra.heuristics);
    }
    if !presolve {
        set_str(model, "presolve", "off")?;
    }
    // A question of "is there one?" (`Extra::some_of`, `other_than`) stops at the first
    // portfolio.
    if (!extra.some_of.is_empty() || extra.other_than.is_some()) && !extra.best_of {
        model
            .try_set_option("mip_max_improving_sols", 1)
            .map_err(|e| {
                crate::Error::Solver(format!("HiGHS option mip_max_improving_sols: {e:?}"))
            })?;
    }
    if let Some(nodes) = extra.max_nodes {
        model
            .try_set_option("mip_max_nodes", nodes)
            .map_err(|e| crate::Error::Solver(format!("HiGHS option mip_max_nodes: {e:?}")))?;
    }
    if let Some(deadline) = deadline {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        set(model, "time_limit", left.as_secs_f64().max(0.001))?;
    }
    Ok(())
}

/// The program's rows from the one list of constraints (constraints.rs) over `columns`
/// (candidate indices, ascending), in integers, each with the committee decision it states
/// where it is one (the diagnosis switches those off). The `folded` candidates (funded
/// constants) are not columns: their coefficients come off each row's bound. Each pool row is
/// followed by the cardinality row it implies, if any (see [`most_that_fit`]). Left out: rows
/// no choice of these columns can break, locks (a lock is a folded candidate, or a column's
/// lower bound while diagnosing, see `Program::lower`) and exclusions (an excluded candidate has
/// no column). With them, per pool, the index of its money row.
fn rows_of(
    scenario: &Scenario,
    list: &[Constraint],
    evaluation: &Evaluation,
    columns: &[usize],
    folded: &[usize],
    subsidy: &[i64],
    score: &[i64],
) -> (Vec<Tagged>, Vec<Option<usize>>) {
    let cands = &evaluation.candidates;
    let mut pool_rows = vec![None; scenario.pools.len()];
    // Sums of folded coefficients in i128, bounds brought back into i64 at the end: a bound
    // below i64's range is a row no portfolio meets, and stays one.
    let clamp = |v: i128| v.clamp(i128::from(i64::MIN / 2), i128::from(i64::MAX)) as i64;
    // Per candidate: its column, or its amount in fen if folded (looked up once, not per row).
    enum Place {
        Column(usize),
        Folded(i64),
        Neither,
    }
    let mut place: Vec<Place> = cands.iter().map(|_| Place::Neither).collect();
    for (i, &c) in columns.iter().enumerate() {
        place[c] = Place::Column(i);
    }
    for &c in folded {
        place[c] = Place::Folded(cands[c].subsidy.fen());
    }
    let mut rows = Vec::new();
    for constraint in list {
        let mut cols: Vec<(usize, Decimal)> = Vec::new();
        let mut fixed: Vec<usize> = Vec::new();
        let mut fen: i128 = 0;
        for &(c, a) in &constraint.terms {
            match place[c] {
                Place::Column(i) => cols.push((i, a)),
                Place::Folded(amount) => {
                    fixed.push(c);
                    fen += i128::from(amount);
                }
                Place::Neither => {}
            }
        }
        let whole = |d: Decimal| d.to_i64().unwrap_or(i64::MAX);
        let count = fixed.len() as i128;
        match constraint.kind {
            Kind::Lock { .. } | Kind::Exclude { .. } => {}
            Kind::Dependency { index } => {
                let load: i128 = constraint
                    .terms
                    .iter()
                    .filter(|(c, _)| fixed.contains(c))
                    .map(|&(_, a)| i128::from(whole(a)))
                    .sum();
                rows.push((
                    Some(Decision::Dependency(index)),
                    Row {
                        terms: cols.iter().map(|&(i, a)| (i, whole(a))).collect(),
                        bound: clamp(i128::from(whole(constraint.rhs)) - load),
                    },
                ))
            }
            Kind::Pool { pool } => {
                // In fen: the amounts are whole fen, so ≤ capacity is ≤ ⌊capacity⌋.
                let cap =
                    clamp(i128::from(whole((constraint.rhs * Decimal::ONE_HUNDRED).floor())) - fen);
                let total: i128 = cols.iter().map(|&(i, _)| i128::from(subsidy[i])).sum();
                if total > i128::from(cap) {
                    let g = cols.iter().fold(0, |g, &(i, _)| gcd(g, subsidy[i])).max(1);
                    let row = Row {
                        terms: cols.iter().map(|&(i, _)| (i, subsidy[i] / g)).collect(),
                        bound: cap.div_euclid(g),
                    };
                    let most = most_that_fit(&row);
                    pool_rows[pool] = Some(rows.len());
                    rows.push((None, row));
                    rows.extend(most.map(|most| (None, most)));
                }
            }
            Kind::FloorProjects { round } => rows.push((
                Some(Decision::Floor(round)),
                Row {
                    terms: cols.iter().map(|&(i, _)| (i, -1)).collect(),
                    bound: clamp(i128::from(whole(constraint.rhs)) + count),
                },
            )),
            Kind::FloorAmount { round } => {
                // In fen, divided by the amounts' gcd: Σ a·x ≥ m is Σ (a/g)·x ≥ ⌈m/g⌉, written
                // negated as Σ −(a/g)·x ≤ ⌊−m/g⌋.
                let least = clamp(i128::from(whole(-constraint.rhs * Decimal::ONE_HUNDRED)) - fen);
                let g = cols.iter().fold(0, |g, &(i, _)| gcd(g, subsidy[i])).max(1);
                rows.push((
                    Some(Decision::Floor(round)),
                    Row {
                        terms: cols.iter().map(|&(i, _)| (i, -(subsidy[i] / g))).collect(),
                        bound: (-least).div_euclid(g),
                    },
                ));
            }
            Kind::FloorScore { .. } => {
                // In score units over the scores' gcd, as the money floor in fen.
                let load: i128 = fixed
                    .iter()
                    .map(|&c| i128::from(score_units(cands[c].score)))
                    .sum();
                let least = clamp(i128::from(score_units(-constraint.rhs)) - load);
                let g = cols.iter().fold(0, |g, &(i, _)| gcd(g, score[i])).max(1);
                rows.push((
                    None,
                    Row {
                        terms: cols.iter().map(|&(i, _)| (i, -(score[i] / g))).collect(),
                        bound: (-least).div_euclid(g),
                    },
                ));
            }
            Kind::OneAward { .. }
            | Kind::Size { .. }
            | Kind::Group { .. }
            | Kind::Enterprise { .. } => {
                let bound = clamp(i128::from(whole(constraint.rhs)) - count);
                if cols.len() as i64 > bound {
                    rows.push((
                        None,
                        Row {
                            terms: cols.iter().map(|&(i, _)| (i, 1)).collect(),
                            bound,
                        },
                    ));
                }
            }
        }
    }
    (rows, pool_rows)
}

/// The most columns a money row may have for its cardinality row to be written: one more row in
/// the enumeration's states cost the scaled 100,000 round (seed 3) 6.5 s → 19.1 s, and 10,000 a
/// third more, where the rounds that need it are small.
const CARDINALITY_COLUMNS: usize = 1_000;

/// The cardinality row a money row implies: no portfolio funds more of its columns than the
/// count of its smallest amounts that fit under its bound. Neither the relaxation nor HiGHS's
/// own cuts see it on tie rounds of amounts in millions: slow-ties-60 took HiGHS's first stage
/// 21.6 s without it, 2.1 s with it (BENCHMARKS.md, "Cardinality rows"). `None` for a row of
/// counts, of a negative amount or bound, of more than [`CARDINALITY_COLUMNS`] columns, or one
/// that allows every column.
fn most_that_fit(row: &Row) -> Option<Row> {
    if row.bound < 0
        || row.terms.len() > CARDINALITY_COLUMNS
        || row.terms.iter().any(|&(_, a)| a < 0)
        || row.terms.iter().all(|&(_, a)| a == 1)
    {
        return None;
    }
    let mut amounts: Vec<i64> = row.terms.iter().map(|&(_, a)| a).collect();
    amounts.sort_unstable();
    let mut used: i128 = 0;
    let most = amounts
        .iter()
        .take_while(|&&a| {
            used += i128::from(a);
            used <= i128::from(row.bound)
        })
        .count();
    (most < amounts.len()).then(|| Row {
        terms: row.terms.iter().map(|&(i, _)| (i, 1)).collect(),
        bound: most as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::{cover, most_that_fit, Row};
    use proptest::prelude::*;

    proptest! {
        /// Against every portfolio of up to 10 columns: the cardinality row keeps each one the
        /// money row keeps, and is tight (some portfolio of exactly its bound meets the row).
        #[test]
        fn the_cardinality_row_keeps_every_portfolio_the_money_row_keeps(
            amounts in prop::collection::vec(
                prop_oneof![0i64..50, (1_000_000i64..1_000_004), Just(i64::MAX / 16)],
                1..=10,
            ),
            bound in prop_oneof![0i64..200, 2_000_000i64..6_000_000, Just(i64::MAX / 8)],
        ) {
            let n = amounts.len();
            let row = Row { terms: amounts.into_iter().enumerate().collect(), bound };
            let all: Vec<Vec<bool>> = (0..1u32 << n)
                .map(|m| (0..n).map(|i| m >> i & 1 == 1).collect())
                .collect();
            let count = |y: &[bool]| y.iter().filter(|on| **on).count() as i64;
            match most_that_fit(&row) {
                Some(most) => {
                    for y in all.iter().filter(|y| row.holds(y)) {
                        prop_assert!(most.holds(y), "{:?} cuts off {:?}", most, y);
                    }
                    prop_assert!(all.iter().any(|y| row.holds(y) && count(y) == most.bound));
                }
                // A row of counts is its own cardinality row; otherwise every column fits (these
                // rows are far below CARDINALITY_COLUMNS).
                None => prop_assert!(
                    row.terms.iter().all(|&(_, a)| a == 1) || row.holds(&vec![true; n])
                ),
            }
        }

        /// Against every portfolio of up to 10 columns: the cut keeps each one the row keeps
        /// and drops the portfolio it was made from; `None` only when no portfolio meets the row.
        #[test]
        fn a_cover_cut_keeps_every_portfolio_the_row_keeps(
            coefficients in prop::collection::vec(
                prop_oneof![
                    -1_000i64..1_000,
                    Just(i64::MAX / 4),
                    Just(i64::MIN / 4),
                    (1i64..4).prop_map(|a| a * 10_000_000_000_000),
                ],
                1..=10,
            ),
            bound in prop_oneof![-2_000i64..2_000, Just(30_000_000_000_000i64)],
            pick in any::<u16>(),
        ) {
            let n = coefficients.len();
            let row = Row { terms: coefficients.into_iter().enumerate().collect(), bound };
            let x: Vec<bool> = (0..n).map(|i| pick >> i & 1 == 1).collect();
            prop_assume!(!row.holds(&x));
            let all: Vec<Vec<bool>> = (0..1u32 << n)
                .map(|m| (0..n).map(|i| m >> i & 1 == 1).collect())
                .collect();
            match cover(&row, &x) {
                Some(cut) => {
                    prop_assert!(!cut.holds(&x));
                    for y in all.iter().filter(|y| row.holds(y)) {
                        prop_assert!(cut.holds(y), "{:?} cuts off {:?}", cut, y);
                    }
                }
                None => prop_assert!(all.iter().all(|y| !row.holds(y))),
            }
        }
    }
}
