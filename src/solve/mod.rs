//! Stage 3: the optimal portfolio. Build the integer program over the candidates that survive the
//! dominance reduction; find a strong incumbent (rank-and-cut, LP-guided greedy, local search;
//! on small programs the local search waits until the enumeration gives up); fix columns by
//! reduced cost against an exact dual bound (fixing.rs) and enumerate the few left free
//! (enumerate.rs), which proves the optimum and that no other portfolio reaches it — that
//! settles the tie-break. Where enumeration cannot conclude (its effort is budgeted from the
//! round's size, see `enumerate::Effort`), HiGHS proves it over the fixed program in plain
//! stages: the best score, the least total subsidy at that score, then the earliest differing
//! (project, round), fixed column by column. Every answer is re-verified in `Decimal` and compared
//! with rank-and-cut.

mod baseline;
mod centre;
mod constraints;
mod diagnose;
mod enumerate;
pub mod export;
mod face;
mod fixing;
mod improve;
mod ledger;
mod portfolio;
mod program;
mod progress;
mod reduce;
mod single;
mod verify;

pub use baseline::{greedy, rank_and_cut, ranked, METHOD as BASELINE_METHOD};
pub use centre::chebyshev_centre;
pub(crate) use constraints::rows_of_candidates;
pub use ledger::{Block, Ledger};
pub use portfolio::{capacity, PoolUse, Portfolio};
pub(crate) use program::score_units;
pub use reduce::{residual, residual_over, Skeleton};
pub use verify::verify;

use crate::error::{Error, Result};
use crate::parallel;
use crate::rules::{Evaluation, Locked};
use crate::scenario::{Objective, Scenario};
use program::{fits, narrow, Answer, Extra, Program};
use rust_decimal::Decimal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The version of the linked HiGHS library, `MAJOR.MINOR.PATCH` (for the certificate's manifest).
/// Calls into HiGHS's C interface stay in `solve/` (here and `program::interrupt_when`).
#[allow(unsafe_code)]
pub fn highs_version() -> String {
    // SAFETY: the three functions take no arguments and return constants compiled into HiGHS.
    let (major, minor, patch) = unsafe {
        (
            highs_sys::Highs_versionMajor(),
            highs_sys::Highs_versionMinor(),
            highs_sys::Highs_versionPatch(),
        )
    };
    format!("{major}.{minor}.{patch}")
}

/// Columns left free in the core search (see `fixing::DualBound::core_search`).
const CORE: usize = 300;

/// How to solve.
#[derive(Debug, Clone)]
pub struct Options {
    /// Stop HiGHS after this many seconds in all and report the best portfolio found with its gap.
    pub time_limit: Option<f64>,
    /// Remove dominated candidates before solving (on by default; off to cross-check, and in a
    /// reserve list's what-ifs, whose locks leave too few candidates free to repay the pass).
    pub reduce: bool,
    /// Where HiGHS proves, prove the score and its uniqueness with one perturbed-objective run
    /// (off by default; on only to cross-check). Measured on 80 adversarial rounds: the
    /// perturbed run's large coefficients made HiGHS 10–500× slower on linked pools (a plain
    /// stage 1 in 13 ms where the perturbed run passed 100 s), and never much faster.
    pub perturb: bool,
    /// Fix columns by reduced cost against the incumbent before HiGHS proves the optimum (on by
    /// default; off only to cross-check).
    pub fix: bool,
    /// Portfolios worth trying as starts, as (project, round) pairs — e.g. the optima of nearby
    /// sweep runs. Only speed depends on them: each is repaired to fit (pairs that are not
    /// candidates or no longer fit are dropped), refilled, and kept only if it beats the others.
    pub hints: Vec<Vec<(usize, usize)>>,
    /// Show the stage, the best score, the bound and the gap on stderr once the proof passes a
    /// few seconds (for a terminal; off by default and in sweeps).
    pub progress: bool,
    /// Build the rank-and-cut baseline (the outcome's `baseline`, also a start for the proof):
    /// on by default, off for what-ifs that read only the portfolio (a reserve list's
    /// thousands).
    pub baseline: bool,
    /// Try the proof by enumeration before HiGHS: on by default, off for the re-solves of a
    /// round whose own proof it could not finish (`Proof::Highs`), where it gave up again each
    /// time — on group limits of 80 applications, 0.23 s of enumeration before 15 ms of HiGHS, in
    /// each of the 50 prices of `allot solve`'s table. A what-if asked above a floor still tries it.
    pub enumerate: bool,
    /// Ask stage 2 beside stage 1, at the score of the portfolio found before HiGHS
    /// (`Stages::best_score_beside_stage_two`): on by default; off only to cross-check the path
    /// that asks it after stage 1.
    pub stage_two_early: bool,
    /// Settle the tie-break (least subsidy, then the earliest differing pair) after the best
    /// score: on by default; off for round priority's levels, of which only the score is read.
    /// A level counts one round's score, so every portfolio of the other rounds that fits ties
    /// with it: on 60 applications with a money floor, the tie-break over that face took 15 of
    /// the 16 s of HiGHS's work.
    pub tie_break: bool,
    /// The best total score (units of 10⁻⁴ points) of this very scenario, already proven by a
    /// solve with `tie_break` off (set by [`settle`] only): a start that reaches it needs
    /// neither stage 1 nor its second look, and HiGHS goes straight to the least subsidy.
    /// Cleared wherever a solve changes the scenario (a level, the attempt without money floors).
    pub proven_score: Option<i64>,
    /// States a step of the enumeration's first walks may keep (`None`: as many as the round's
    /// size allows). Set to a few only by the property tests, so that it gives up on small
    /// rounds and the walk again at a portfolio's floor (`Rewalk`) is checked by brute force.
    pub first_walk_states: Option<usize>,
    /// When the whole command must end, whatever each solve's own `time_limit`: the table's
    /// prices of inclusion and the warnings' re-solves share the limit of the solve they follow
    /// (see [`Options::from_now`]). A re-solve that reaches it reports what it found so far.
    pub deadline: Option<Instant>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            time_limit: None,
            reduce: true,
            perturb: false,
            fix: true,
            hints: Vec::new(),
            progress: false,
            baseline: true,
            enumerate: true,
            stage_two_early: true,
            tie_break: true,
            proven_score: None,
            first_walk_states: None,
            deadline: None,
        }
    }
}

impl Options {
    /// These options for a command starting now: its time limit becomes the deadline every
    /// solve of the command shares (without it, a table of 100 prices could take 100 limits).
    pub fn from_now(self) -> Options {
        let deadline = self.time_limit.and_then(|t| after(Instant::now(), t));
        Options { deadline, ..self }
    }

    /// Whether the command's deadline has passed: what is left undone stays undone.
    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// The options for re-solves of the round `outcome` answers (what-ifs, prices, margins):
    /// these options with the `optimum` as one more start, and the enumeration only where it
    /// proved the round.
    pub fn after(&self, outcome: &Outcome, optimum: Vec<(usize, usize)>) -> Options {
        let mut options = self.clone();
        options.hints.push(optimum);
        options.enumerate = outcome.proof != Proof::Highs;
        options
    }
}

/// The instant `seconds` after `start`; `None` for a limit past what the clock holds (e.g.
/// `--time-limit 1e300`, which panicked): no limit at all.
fn after(start: Instant, seconds: f64) -> Option<Instant> {
    std::time::Duration::try_from_secs_f64(seconds)
        .ok()
        .and_then(|d| start.checked_add(d))
}

/// The solver's verdict on the portfolio it reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Proven optimal, tie-break included.
    Optimal,
    /// The time limit stopped the search; `gap` is HiGHS's relative gap on the total score
    /// (0 when the score is proven optimal but the tie-break stages were cut short).
    TimeLimit {
        /// Relative gap between the portfolio and the best bound.
        gap: f64,
    },
}

impl Status {
    /// Cut short with `gap`, within 0 and 1, and never −0 (a portfolio of score 0 printed "gap
    /// -0.0000%": found by an independent cross-check). Every cut-short status is made here.
    fn cut_short(gap: f64) -> Status {
        Status::TimeLimit {
            gap: gap.clamp(0.0, 1.0) + 0.0,
        }
    }
}

/// What proved the reported portfolio optimal (the certificate's `proof`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// Exact integer arithmetic alone: the dual bound, reduced-cost fixing and the enumeration
    /// of the columns left free (fixing.rs, enumerate.rs), or each column tried alone where a
    /// row admits at most one (single.rs), tie-break included. HiGHS may have found the
    /// portfolio whose score the enumeration started from (the core search, stage 1).
    Enumeration,
    /// HiGHS's branch and bound decided at least one level (the score, the least subsidy or the
    /// tie-break stages) over the columns the exact bound left free.
    Highs,
    /// Nothing: the time limit stopped the search.
    None,
}

impl Proof {
    /// The name in the certificate.
    pub fn as_str(self) -> &'static str {
        match self {
            Proof::Enumeration => "enumeration",
            Proof::Highs => "highs",
            Proof::None => "none",
        }
    }
}

/// Figures about a solve, for benchmarks and the curious.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// Eligible (project, round) pairs.
    pub candidates: usize,
    /// Columns left after removing excluded and dominated candidates.
    pub columns: usize,
    /// Columns HiGHS had to decide: those left free by reduced-cost fixing.
    pub free: usize,
    /// HiGHS runs.
    pub solver_calls: usize,
}

/// The result of a solve.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Optimal or stopped.
    pub status: Status,
    /// What proved it.
    pub proof: Proof,
    /// The portfolio (verified).
    pub portfolio: Portfolio,
    /// The rank-and-cut baseline (verified); `None` when rank-and-cut breaks a round's floor or a committee lock
    /// it met too late (e.g. a must-fund project whose required project ranks lower).
    pub baseline: Option<Portfolio>,
    /// Figures.
    pub stats: Stats,
    /// Under round priority, each listed round's proven best score, in priority order (empty
    /// for the total score).
    pub levels: Vec<(usize, Decimal)>,
}

/// Solves the round: the optimal portfolio of the scenario's objective under the deterministic
/// tie-break.
///
/// Round priority is solved level by level, each an exact solve of the same program: the first
/// listed round's best total score with every other score counted as 0 (dominance off, since it
/// reasons on the objective's scores), then that optimum becomes a floor on the round's score
/// (`min_score_total`) and the next round is maximized, and so on; the last solve maximizes the
/// total score under every level's floor. It is the lexicographic optimum: each level's optimum
/// is the most its round can score given the levels before it, so under those floors the rounds
/// score exactly their levels and the total is decided by the rounds not listed; the tie-break
/// then applies as for the total score.
pub fn solve(scenario: &Scenario, evaluation: &Evaluation, options: &Options) -> Result<Outcome> {
    let order = match &scenario.objective {
        Objective::TotalScore => {
            return solve_total(scenario, evaluation, options, None).and_then(unfloored)
        }
        Objective::RoundPriority(order) => order,
    };
    let mut levels = Vec::new();
    let mut levelled = scenario.clone();
    for &round in order {
        let mut counted = vec![false; scenario.rounds.len()];
        counted[round] = true;
        let level_options = Options {
            reduce: false,
            tie_break: false,
            proven_score: None,
            ..options.clone()
        };
        let level = unfloored(solve_counting(
            &levelled,
            evaluation,
            &level_options,
            Some(counted),
            None,
        )?)?;
        if level.status != Status::Optimal {
            // Cut short at this level: the portfolio is the level's best found, and the levels
            // after it were never asked, so no bound holds on what a round-priority optimum
            // scores (the level's own gap, 0 where only its tie-break was cut, said nothing of
            // them: a portfolio 267 points short of the optimum reported a gap of 0). The levels
            // proven are listed, this one too where its score was.
            if level.status == Status::cut_short(0.0) {
                levels.push((round, round_score(evaluation, round, &level.portfolio)));
            }
            return Ok(Outcome {
                status: Status::cut_short(1.0),
                levels,
                ..level
            });
        }
        let score = round_score(evaluation, round, &level.portfolio);
        levelled.rounds[round].min_score_total = Some(score);
        levels.push((round, score));
    }
    last_level(scenario, evaluation, options, levels)
}

/// [`solve`] under the whole tie-break, where `scored` answers this scenario with
/// `Options::tie_break` off: its best score and round priority's levels stand and are not asked
/// again, and its portfolio is a start at that score. The warnings' re-solves read the score
/// first and settle the tie-break only where the score alone does not decide.
pub fn settle(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
    scored: &Outcome,
) -> Result<Outcome> {
    let mut options = Options {
        proven_score: Some(program::score_units(scored.portfolio.total_score)),
        ..options.clone()
    };
    let start = scored.portfolio.funded.iter().map(|&c| {
        let candidate = &evaluation.candidates[c];
        (candidate.project, candidate.round)
    });
    options.hints.push(start.collect());
    match &scenario.objective {
        Objective::TotalScore => solve(scenario, evaluation, &options),
        Objective::RoundPriority(_) => {
            last_level(scenario, evaluation, &options, scored.levels.clone())
        }
    }
}

/// A round's total score in a portfolio.
fn round_score(evaluation: &Evaluation, round: usize, portfolio: &Portfolio) -> Decimal {
    portfolio
        .funded
        .iter()
        .filter(|&&c| evaluation.candidates[c].round == round)
        .map(|&c| evaluation.candidates[c].score)
        .sum()
}

/// Round priority's last solve: the total score, and the tie-break, under each proven level as a
/// floor on its round's score.
fn last_level(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
    levels: Vec<(usize, Decimal)>,
) -> Result<Outcome> {
    let mut levelled = scenario.clone();
    for &(round, score) in &levels {
        levelled.rounds[round].min_score_total = Some(score);
    }
    let mut outcome = unfloored(solve_counting(&levelled, evaluation, options, None, None)?)?;
    // Under the floors of the levels before it no portfolio scores a round more than its level,
    // so the last solve's portfolio scores each exactly its level: more would disprove the level
    // (HiGHS's claim of its best score is checked by a bounded look only, `better`).
    if let Some(&(round, level)) = levels
        .iter()
        .find(|&&(round, level)| round_score(evaluation, round, &outcome.portfolio) > level)
    {
        return Err(Error::Solver(format!(
            "round priority's level of round {} ({level}) is contradicted by a portfolio scoring {} there",
            scenario.rounds[round].id,
            round_score(evaluation, round, &outcome.portfolio)
        )));
    }
    outcome.levels = levels;
    // Rank-and-cut knows nothing of the levels: it is compared as the scenario states it.
    outcome.baseline = options
        .baseline
        .then(|| rank_and_cut(scenario, evaluation))
        .filter(|baseline| verify(scenario, evaluation, baseline).is_ok());
    Ok(outcome)
}

/// [`solve`] for a re-solve that follows another under the same command's deadline (a price,
/// a warning's cost): the proven optimum, or `None` when the time limit cut it short — stopped
/// with a portfolio not proven, stopped before any, or not started because the deadline had
/// passed. A difference from a portfolio not proven proves nothing.
pub fn solve_proven(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
) -> Result<Option<Outcome>> {
    proven(options, || solve(scenario, evaluation, options))
}

/// [`settle`] as [`solve_proven`]: the proven optimum, or `None` when the time limit cut it short.
pub fn settle_proven(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
    scored: &Outcome,
) -> Result<Option<Outcome>> {
    proven(options, || settle(scenario, evaluation, options, scored))
}

/// A re-solve's outcome where proven (see [`solve_proven`]).
fn proven(options: &Options, solve: impl FnOnce() -> Result<Outcome>) -> Result<Option<Outcome>> {
    if options.out_of_time() {
        return Ok(None);
    }
    match solve() {
        Ok(outcome) if outcome.status == Status::Optimal => Ok(Some(outcome)),
        Ok(_) => Ok(None),
        Err(Error::Solver(_)) if options.out_of_time() => Ok(None),
        Err(e) => Err(e),
    }
}

/// [`solve`], when only an optimum whose total score reaches `floor` (units of 1e-4 points)
/// matters: `None` when the optimum's total is below it (under the plain total: when no
/// portfolio reaches it). A what-if that asks only whether some portfolio beats a known rival (a
/// margin's probe) needs no more: a floor above the relaxation's exact bound is settled without
/// a search, and the enumeration starts at the floor, before the incumbent heuristic, instead of
/// stepping down to the optimum from the bound. Where that does not settle it, the solve goes on
/// as [`solve`] does.
pub fn solve_reaching(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
    floor: i64,
) -> Result<Option<Outcome>> {
    let outcome = match scenario.objective {
        Objective::TotalScore => solve_total(scenario, evaluation, options, Some(floor))?,
        // Its levels are not one sum: the floor cannot prune them.
        Objective::RoundPriority(_) => Some(solve(scenario, evaluation, options)?),
    };
    Ok(outcome.filter(|o| program::score_units(o.portfolio.total_score) >= floor))
}

/// What [`least_pool_money`] settled.
#[derive(Debug)]
pub enum Room<T> {
    /// The frontier, least money of the pool first: portfolios reaching the floor, and for
    /// every portfolio that reaches it one here using no more of the pool's money that comes no
    /// later in the solver's order. The first uses the least money of all.
    At(Vec<T>),
    /// No portfolio reaches the floor.
    Empty,
    /// Not settled: the round has no relaxation to enumerate under (its floors on money or
    /// score, or fixing off), the pool has no row, or the states outgrew the effort.
    Open,
    /// Not asked: the floor lies too far below the relaxation's bound (see `FAR`).
    Far {
        /// How far below the bound the best portfolio known lies, in units: the floor may lie
        /// up to `FAR` times as far.
        known: i64,
    },
}

/// States one question of [`least_pool_money`] may keep over all its steps, in units of a
/// step's cap: a question that would need more is left to the caller's probes.
const ROOM_STEPS: usize = 2;

/// How much further below the relaxation's bound than the best portfolio known a floor of
/// [`least_pool_money`] may lie. On generated 10,000-application rounds (seeds 1 and 7) the
/// question took 30–140 ms at 1.1–1.6 times as far, 0.42 s at 2.3 times, and gave up after
/// 1.2 s at 2.8 times and 4 s at 3.3 times.
const FAR: i64 = 2;

/// Free columns whose subsets all fit in the least step of the enumeration (2¹²): a question
/// leaving no more free is asked however far below the bound its floor lies.
const FEW: usize = 12;

/// The relaxation's bound where a question of [`least_pool_money`] was asked, and how fast it
/// falls per fen the pool loses: where the bound meets a floor, no portfolio of a smaller pool
/// reaches it (the duals bound every right-hand side). It places the next question; it proves
/// nothing the question does not.
#[derive(Debug, Clone, Copy)]
pub struct Slope {
    /// The bound on the total score (units of 1e-4 points, the locked candidates' included).
    pub best: i64,
    /// Units of score the bound loses per fen taken from the pool (the row's dual).
    pub per_fen: f64,
}

/// Among the portfolios of the plain total scoring at least `floor` (units of 1e-4 points, the
/// locked candidates' included), the frontier of score and money of pool `pool` (see `Room`):
/// its first portfolio leaves the most room there. Proven by the enumeration under the
/// relaxation's bound with that floor (`enumerate::least_usage`), and each portfolio verified
/// exactly. `reached` is the best score known (of a portfolio found at this floor or above):
/// the question is asked only where the floor lies near it (see `FAR`).
/// With the relaxation's [`Slope`] where there is one, whatever the answer.
pub fn least_pool_money(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
    floor: i64,
    reached: i64,
    pool: usize,
) -> Result<(Room<Portfolio>, Option<Slope>)> {
    if scenario.objective != Objective::TotalScore {
        return Ok((Room::Open, None));
    }
    diagnose::check_locks(scenario, evaluation, false)?;
    diagnose::check_floors(scenario, evaluation)?;
    let started = Instant::now();
    let list = std::sync::Arc::new(constraints::constraints(scenario, evaluation));
    let start = Start::new(scenario, evaluation, options, None, list, None, started)?;
    let (Some(dual_bound), false) = (&start.dual_bound, start.settled) else {
        return Ok((Room::Open, None));
    };
    let program = &start.program;
    let row = program.pool_row(pool);
    // The row is in units of its amounts' gcd (any term's amount over its coefficient).
    let slope = row.and_then(|row| {
        let &(j, a) = start.rows[row].terms.first()?;
        let fen_per_unit = program.subsidy[j] / a.max(1);
        Some(Slope {
            best: dual_bound.best().saturating_add(program.folded_score()),
            per_fen: dual_bound.y[row] as f64
                / (1u64 << fixing::SHIFT) as f64
                / fen_per_unit.max(1) as f64,
        })
    });
    let f = floor.saturating_sub(program.folded_score());
    if dual_bound.best() < f {
        return Ok((Room::Empty, slope));
    }
    let Some(row) = row else {
        return Ok((Room::Open, None));
    };
    let fixed = dual_bound.fixings(f);
    // The states grow steeply with the gap below the bound: a floor much further below it than
    // a portfolio already known is left to the caller (see `FAR`), unless it leaves so few
    // columns free that their subsets fit in one step.
    let gap = |score: i64| dual_bound.best().saturating_sub(score);
    let known = reached.saturating_sub(program.folded_score()).max(f);
    trace(
        started,
        &format!(
            "the floor {} below the bound, the best known {}",
            gap(f),
            gap(known)
        ),
    );
    let free = fixed.iter().filter(|x| x.is_none()).count();
    if gap(f) > gap(known).saturating_mul(FAR) && free > FEW {
        trace(started, "the floor is too far below the relaxation's bound");
        return Ok((Room::Far { known: gap(known) }, slope));
    }
    let mut effort = enumerate::Effort::for_round(program.free_columns(), start.rows.len());
    effort.left = effort.per_step.saturating_mul(ROOM_STEPS);
    let columns = enumerate::Columns::of(program);
    let least = enumerate::least_usage(
        &columns,
        &start.rows,
        dual_bound,
        &fixed,
        f,
        row,
        &mut effort,
    );
    trace(
        started,
        &format!(
            "least money of pool {pool} above {f} (effort left {})",
            effort.left
        ),
    );
    match least {
        enumerate::Least::At(frontier) => {
            let mut portfolios = Vec::with_capacity(frontier.len());
            for x in frontier {
                let portfolio = Portfolio::new(scenario, evaluation, program.chosen(&x));
                verify(scenario, evaluation, &portfolio).map_err(|why| {
                    Error::Solver(format!(
                        "the enumeration's portfolio failed exact verification: {why}"
                    ))
                })?;
                portfolios.push(portfolio);
            }
            // Least money first, then by the candidates funded: a deterministic order (callers
            // compare by the solver's order where it matters).
            let money = |p: &Portfolio| -> Decimal {
                p.pools
                    .get(pool)
                    .map_or(Decimal::ZERO, |u| u.requested.yuan())
            };
            portfolios.sort_by(|a, b| {
                money(a)
                    .cmp(&money(b))
                    .then_with(|| a.funded.cmp(&b.funded))
            });
            Ok((Room::At(portfolios), slope))
        }
        enumerate::Least::Empty => Ok((Room::Empty, slope)),
        enumerate::Least::Open => Ok((Room::Open, slope)),
    }
}

/// [`solve_counting`] of the plain total score, first without the rounds' floors on money where
/// there are any: such a floor switches the enumeration off (its row has negative weights) and
/// leaves the whole tie-break to HiGHS: 150 applications took 2.2 s with a floor of 1 yuan and
/// 0.01 s without (tests/fixtures/money-floor-slack). The floors only remove portfolios, so
/// where the optimum without them (under the whole tie-break, a total order) meets them, it is
/// the optimum with them; and where no portfolio without them reaches `floor`, none with them
/// does. Otherwise, or where that solve was cut short, the round is solved with its floors,
/// within the same deadline.
fn solve_total(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
    floor: Option<i64>,
) -> Result<Option<Outcome>> {
    if scenario.rounds.iter().all(|r| r.min_amount.is_none()) {
        return solve_counting(scenario, evaluation, options, None, floor);
    }
    let now = Instant::now();
    let own = options.time_limit.and_then(|t| after(now, t));
    let options = Options {
        deadline: own.into_iter().chain(options.deadline).min(),
        ..options.clone()
    };
    // Under a time limit the attempt without the floors gets half of what is left.
    let attempt = Options {
        deadline: options
            .deadline
            .map(|d| now + d.saturating_duration_since(now) / 2),
        proven_score: None,
        ..options.clone()
    };
    let mut free = scenario.clone();
    for round in &mut free.rounds {
        round.min_amount = None;
    }
    // Rank-and-cut as the scenario states it, floors and all.
    let floored = |outcome: Outcome| -> Outcome {
        let baseline = options
            .baseline
            .then(|| rank_and_cut(scenario, evaluation))
            .filter(|baseline| verify(scenario, evaluation, baseline).is_ok());
        Outcome {
            baseline,
            ..outcome
        }
    };
    // A portfolio cut short that meets the floors: its gap holds with them too (their optimum
    // is no better), so it answers if the solve with the floors finds nothing in time.
    let mut fallback = None;
    match solve_counting(&free, evaluation, &attempt, None, floor) {
        Ok(None) => return Ok(None),
        Ok(Some(outcome)) if verify(scenario, evaluation, &outcome.portfolio).is_ok() => {
            if outcome.status == Status::Optimal {
                return Ok(Some(floored(outcome)));
            }
            fallback = Some(outcome);
        }
        // Meeting no floor, or no portfolio at all (the diagnosis is the floored round's):
        // solved with the floors.
        Ok(Some(_)) | Err(Error::Infeasible(_)) => {}
        Err(Error::Solver(_)) if attempt.out_of_time() => {}
        Err(e) => return Err(e),
    }
    match (
        solve_counting(scenario, evaluation, &options, None, floor),
        fallback,
    ) {
        (Err(Error::Solver(_)), Some(outcome)) if options.out_of_time() => {
            Ok(Some(floored(outcome)))
        }
        (solved, _) => solved,
    }
}

/// The outcome of a solve without a floor, which always has one.
fn unfloored(outcome: Option<Outcome>) -> Result<Outcome> {
    outcome.ok_or_else(|| Error::Solver("a solve without a floor found no portfolio".into()))
}

/// [`solve`] of the plain total score, or of the rounds marked in `counted` only; with a
/// `floor`, as [`solve_reaching`] (`None`: no portfolio reaches it).
fn solve_counting(
    scenario: &Scenario,
    evaluation: &Evaluation,
    options: &Options,
    counted: Option<Vec<bool>>,
    floor: Option<i64>,
) -> Result<Option<Outcome>> {
    diagnose::check_locks(scenario, evaluation, false)?;
    diagnose::check_floors(scenario, evaluation)?;
    let started = Instant::now();
    let progress = progress::Progress::start(options.progress, started);
    progress.stage("the relaxation and a first portfolio");
    // The round's constraints, built once for rank-and-cut and the program.
    let list = std::sync::Arc::new(constraints::constraints(scenario, evaluation));
    // Verified once: a start where it holds, and the outcome's baseline.
    let baseline = options
        .baseline
        .then(|| baseline::rank_and_cut_over(scenario, evaluation, list.clone()))
        .filter(|baseline| verify(scenario, evaluation, baseline).is_ok());
    trace(started, "rank-and-cut");
    let done = |program: &Program, x: &[bool], status: Status| {
        finish(scenario, evaluation, program, x, status, baseline.clone()).map(Some)
    };
    let mut start = Start::new(
        scenario,
        evaluation,
        options,
        baseline.as_ref(),
        list,
        counted,
        started,
    )?;
    // Asked only above a floor: the enumeration steps down to it, not to an incumbent, so the
    // incumbent heuristic waits until the enumeration gives up.
    let mut completed = None;
    if let (Some(floor), Some(dual_bound), false) = (floor, &start.dual_bound, start.settled) {
        let program = &start.program;
        let f = floor.saturating_sub(program.folded_score());
        if dual_bound.best() < f {
            trace(started, "the relaxation's bound is below the floor");
            return Ok(None);
        }
        match by_enumeration(
            program,
            &start.rows,
            dual_bound,
            f,
            Walking {
                hinted: false,
                again: true,
                states: options.first_walk_states,
                lift: None,
            },
            &progress,
            started,
        ) {
            Enumerated::Proven { x, fixed } => {
                return done(
                    &program.restrict(&fixed),
                    &narrow(&x, &fixed),
                    Status::Optimal,
                );
            }
            // The floor itself proven empty.
            Enumerated::Open { below: Some(b), .. } if b <= f => return Ok(None),
            Enumerated::Open { found, .. } => completed = found,
        }
    }
    // On small programs the local search waits for the enumeration to give up, or for its dear
    // floors to near a far greedy incumbent (`LIFT_STATES`): where the enumeration proves the
    // optimum (from the bound's side) it needs only a greedy incumbent.
    let mut lazy = options.enumerate
        && start.dual_bound.is_some()
        && start.program.columns.len() <= LAZY_SEARCH_COLUMNS;
    let work = if start.hints.is_empty() {
        improve::WORK
    } else {
        improve::HINTED_WORK
    };
    start.improve(scenario, evaluation, started, if lazy { 0 } else { work });
    if lazy && start.incumbent.is_none() {
        // No greedy start met every row: the enumeration needs an incumbent to start from.
        start.improve(scenario, evaluation, started, improve::WORK);
        lazy = false;
    }
    start.consider(completed);
    let Start {
        mut program,
        starts,
        rows,
        dual_bound,
        incumbent,
        bound,
        settled,
        relaxation,
        hints,
    } = start;
    if settled {
        let x = incumbent.unwrap_or_default();
        return done(&program, &x, Status::Optimal);
    }
    progress.base(program.folded_score());
    if let Some(b) = bound {
        progress.bound(b);
    }
    if let Some(x) = &incumbent {
        progress.best(dot(&program.score, x));
    }
    progress.stage("enumeration");
    let mut incumbent = incumbent;
    let mut proven_below = None;
    let mut gave_up_at = None;
    if let (Some(dual_bound), Some(p)) = (&dual_bound, &incumbent) {
        let reached = dot(&program.score, p);
        // The local search that waited, run when the enumeration's floors near a far greedy
        // incumbent (`Walking::lift`) or else once it gives up; `searched` holds its answer
        // once it ran inside the enumeration.
        let search = || {
            let searched = improve::improve(
                scenario,
                evaluation,
                &program,
                &starts,
                &hints,
                relaxation.as_deref(),
                improve::WORK,
            );
            trace(started, "local search");
            searched
        };
        let mut searched: Option<Option<Vec<bool>>> = None;
        let mut lift = || {
            let found = search();
            let score = found.as_ref().map(|q| dot(&program.score, q));
            searched = Some(found);
            score
        };
        let enumerated = if options.enumerate {
            by_enumeration(
                &program,
                &rows,
                dual_bound,
                reached,
                Walking {
                    hinted: !hints.is_empty(),
                    again: !hints.is_empty(),
                    states: options.first_walk_states,
                    lift: lazy.then_some(&mut lift as &mut dyn FnMut() -> Option<i64>),
                },
                &progress,
                started,
            )
        } else {
            Enumerated::Open {
                below: None,
                found: None,
                gave_up: None,
            }
        };
        match enumerated {
            Enumerated::Proven { x, fixed } => {
                return done(
                    &program.restrict(&fixed),
                    &narrow(&x, &fixed),
                    Status::Optimal,
                );
            }
            Enumerated::Open {
                below,
                found,
                gave_up,
            } => {
                proven_below = below;
                // A walk of less effort's floor says nothing of a walk again's cost.
                gave_up_at = match options.first_walk_states {
                    Some(_) => gave_up.map(|_| i64::MIN),
                    None => gave_up,
                };
                let mut reached = reached;
                // Lifted inside the enumeration: its floor may be the one that gave up.
                let lifted = matches!(&searched, Some(Some(q)) if dot(&program.score, q) > reached);
                if lazy {
                    let searched = searched.unwrap_or_else(search);
                    if let Some(q) = searched.filter(|q| dot(&program.score, q) > reached) {
                        reached = dot(&program.score, &q);
                        progress.best(reached);
                        incumbent = Some(q);
                    }
                    trace(started, &format!("local search: incumbent {reached}"));
                }
                if let Some(q) = found.filter(|q| q.score > reached) {
                    progress.best(q.score);
                    reached = q.score;
                    incumbent = Some(q.x);
                }
                // The local search or a completion may lift the floor past where the walk gave
                // up: a walk from there that settles the round needs no core search (HiGHS).
                if gave_up_at.is_some_and(|g| reached > g || (lifted && reached == g)) {
                    progress.stage("enumeration from the best portfolio found");
                    let walked = walk_again(
                        &enumerate::Columns::of(&program),
                        &rows,
                        dual_bound,
                        reached,
                        rewalk_effort(program.free_columns(), rows.len()),
                        program.deadline,
                    );
                    if let Some((x, fixed)) = walked {
                        return done(
                            &program.restrict(&fixed),
                            &narrow(&x, &fixed),
                            Status::Optimal,
                        );
                    }
                    gave_up_at = Some(reached);
                }
                // Where enumeration gave up, a small core program around the relaxation,
                // solved by HiGHS, often finds the optimum; the better the incumbent, the more
                // columns the fixing removes.
                progress.stage("HiGHS: a core of the best columns");
                let found = dual_bound.core_search(&mut program, CORE)?;
                trace(started, "core search");
                if let Some(q) = found.filter(|q| dot(&program.score, q) > reached) {
                    progress.best(dot(&program.score, &q));
                    incumbent = Some(q);
                }
            }
        }
    }
    // Reduced-cost fixing (see fixing.rs): every portfolio at least as good as the incumbent
    // agrees with it on the fixed columns, so HiGHS proves the optimum and the tie-break over
    // the rest.
    let whole = program;
    let (program, incumbent, starts, again) = match (&dual_bound, &incumbent) {
        (Some(dual_bound), Some(p)) => {
            let fixed = dual_bound.fixings(dot(&whole.score, p));
            debug_assert!(fits(p, &fixed), "a proven fixing contradicts the incumbent");
            if fits(p, &fixed) {
                let starts = starts
                    .iter()
                    .filter(|x| fits(x, &fixed))
                    .map(|x| narrow(x, &fixed))
                    .collect();
                let program = whole.restrict(&fixed);
                let incumbent = Some(narrow(p, &fixed));
                let again = gave_up_at.map(|gave_up| Rewalk {
                    columns: enumerate::Columns::of(&whole),
                    rows: &rows,
                    dual_bound,
                    fixed,
                    gave_up,
                    effort: rewalk_effort(whole.free_columns(), rows.len()),
                });
                (program, incumbent, starts, again)
            } else {
                (whole, incumbent, starts, None)
            }
        }
        _ => (whole, incumbent, starts, None),
    };
    trace(started, "reduced-cost fixing");
    // The relaxation's bound, or lower where the enumeration proved no portfolio reaches a floor.
    let bound = bound.map(|b| proven_below.map_or(b, |hi: i64| b.min((hi - 1) as f64)));
    let proven = options
        .proven_score
        .map(|units| units - program.folded_score());
    let mut stages = Stages {
        program,
        bound,
        perturb: options.perturb,
        early: options.stage_two_early,
        tie_break: options.tie_break,
        proven,
        again,
        walked: false,
        progress: &progress,
    };
    let (x, status) = stages.run(incumbent, &starts)?;
    let outcome = done(&stages.program, &x, status)?;
    // HiGHS at most found the floor the enumeration settled.
    Ok(outcome.map(|outcome| match stages.walked {
        true => Outcome {
            proof: Proof::Enumeration,
            ..outcome
        },
        false => outcome,
    }))
}

/// Columns (after the fixing) past which HiGHS's primal heuristics stay on in every question of
/// the stages (see `program::configure`): rounds of thousands of applications whose enumeration
/// gave up. The 80 adversarial rounds have at most a few hundred, the quzhou-like 1,000 about a
/// thousand before the fixing. On the generated 10,000 (seed 7) weighted 0.30/0.35/0.20/0.15 the
/// whole proof took 477 s with them (stage 1 133 s, the least subsidy 160 s) and was not done in
/// 1,200 s without; on a Dirichlet draw of the same round, 744 s against 810 s.
const HEURISTIC_COLUMNS: usize = 1_000;

/// Whether HiGHS's primal heuristics run in the questions the stages ask of `program`: the best
/// score, the least subsidy and the tie-break's questions alike (HEURISTIC_COLUMNS).
fn heuristics(program: &Program) -> bool {
    program.columns.len() > HEURISTIC_COLUMNS
}

/// Columns up to which the local search runs only once the enumeration gives up (the greedy
/// starts alone give it its incumbent; the search was a fifth of a small round's solve).
/// Measured, the same bytes: the bundled 1,000-run Dirichlet sweep 0.89–0.92 → 0.76–0.77 s,
/// the scaled 1,000-application 200-run sweep 2.86 → 1.80 s. On rounds of 10,000 the
/// enumeration's floors, stepped from a worse incumbent, came out faster on 7 of 12 seeds and
/// slower on 5 (by up to 30%), and at 100,000 (seed 3) 5.6 → 9.3 s: large rounds keep the
/// local search first.
const LAZY_SEARCH_COLUMNS: usize = 2_000;

/// What the proof starts from: the program, the starts and incumbent, the rows and the exact
/// dual bound of the relaxation.
struct Start<'a> {
    program: Program<'a>,
    /// Portfolios worth starting from (rank-and-cut's, when it is feasible).
    starts: Vec<Vec<bool>>,
    rows: Vec<program::Row>,
    /// `None` without a relaxation, or with fixing off.
    dual_bound: Option<fixing::DualBound>,
    /// The best portfolio the greedy starts and local search found.
    incumbent: Option<Vec<bool>>,
    /// The relaxation's bound on the total score.
    bound: Option<f64>,
    /// The incumbent is proven optimal already (see `single::at_most_one`).
    settled: bool,
    /// The relaxation's values, which guide a greedy start.
    relaxation: Option<Vec<f64>>,
    /// The hinted portfolios' columns.
    hints: Vec<Vec<usize>>,
}

impl<'a> Start<'a> {
    fn new(
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        options: &Options,
        baseline: Option<&Portfolio>,
        list: std::sync::Arc<Vec<constraints::Constraint>>,
        counted: Option<Vec<bool>>,
        started: Instant,
    ) -> Result<Start<'a>> {
        let cands = &evaluation.candidates;
        let mut removed = if options.reduce {
            reduce::dominated(scenario, evaluation)
        } else {
            vec![false; cands.len()]
        };
        // A round-priority level (its score only, no tie-break) needs none of the columns it
        // neither counts nor needs.
        if let (Some(counted), false) = (&counted, options.tie_break) {
            for (removed, idle) in removed
                .iter_mut()
                .zip(reduce::idle(&list, evaluation, counted))
            {
                *removed |= idle;
            }
        }
        trace(started, "dominance reduction");
        // Committee locks are constants of the program, not columns (see `Program::folded`).
        let columns: Vec<usize> = (0..cands.len())
            .filter(|&c| cands[c].locked.is_none() && !removed[c])
            .collect();
        let folded: Vec<usize> = (0..cands.len())
            .filter(|&c| cands[c].locked == Some(Locked::In))
            .collect();
        let mut program = Program::over(scenario, evaluation, columns, folded, list);
        if let Some(counted) = counted {
            program.count_only(counted);
        }
        let own = options.time_limit.and_then(|t| after(started, t));
        program.deadline = own.into_iter().chain(options.deadline).min();
        if options.fix {
            let rows = program.rows();
            if let Some(x) = single::at_most_one(&program, &rows) {
                trace(started, "at most one column: each tried");
                return Ok(Start {
                    program,
                    starts: Vec::new(),
                    rows,
                    dual_bound: None,
                    incumbent: Some(x),
                    bound: None,
                    settled: true,
                    relaxation: None,
                    hints: Vec::new(),
                });
            }
        }
        let mut starts = Vec::new();
        if let Some(baseline) = baseline {
            starts.extend(program.vector(&baseline.funded));
        }
        // The linear relaxation (one cheap LP) guides one of the greedy starts.
        let score_objective: Vec<f64> = program.score.iter().map(|&s| s as f64).collect();
        // It only guides and bounds: when HiGHS cannot solve it (it called the relaxation of a
        // 0/1 program "unbounded", amounts of 10¹² yuan beside 1.37 in one row), the proof goes
        // on without it.
        let relaxation = match program.relaxation(&score_objective) {
            Ok(Answer::Optimal { .. }) => Some(program.values.clone()),
            Ok(_) | Err(Error::Solver(_)) => None,
            Err(e) => return Err(e),
        };
        let rows = program.rows();
        // A floor on a round's money or score (a row of weighted, negative coefficients) made
        // the enumeration return a wrong second tie-break level (a portfolio one yuan dearer at
        // the same score: fixtures priority-least-subsidy.toml and money-floor-least-subsidy.toml,
        // found by the property tests). Its bound reasons about weighted rows as knapsacks,
        // which such a row is not; until it learns them, these solves are proven by HiGHS
        // without fixing, which the same tests hold to brute force. Floors on projects (unit
        // rows, the enumeration's bucket keys) keep the enumeration.
        let weighted_floor = scenario
            .rounds
            .iter()
            .any(|r| r.min_score_total.is_some() || r.min_amount.is_some());
        let dual_bound = relaxation
            .as_ref()
            .filter(|_| options.fix && !weighted_floor)
            .and_then(|_| fixing::DualBound::new(&program, &rows, &program.duals));
        trace(started, "LP relaxation");
        let hints: Vec<Vec<usize>> = options
            .hints
            .iter()
            .map(|pairs| program.columns_of(pairs))
            .collect();
        let bound = relaxation.as_ref().map(|values| -> f64 {
            program
                .score
                .iter()
                .zip(values)
                .map(|(&s, v)| s as f64 * v)
                .sum()
        });
        Ok(Start {
            program,
            starts,
            rows,
            dual_bound,
            incumbent: None,
            bound,
            settled: false,
            relaxation,
            hints,
        })
    }

    /// The incumbent: the best portfolio of the greedy starts and a local search of `work`
    /// refill steps (none needed when the start is settled), unless it has a better one.
    fn improve(
        &mut self,
        scenario: &Scenario,
        evaluation: &Evaluation,
        started: Instant,
        work: u64,
    ) {
        if self.settled {
            return;
        }
        let program = &self.program;
        let found = improve::improve(
            scenario,
            evaluation,
            program,
            &self.starts,
            &self.hints,
            self.relaxation.as_deref(),
            work,
        );
        let better = |p: &Vec<bool>| {
            self.incumbent
                .as_ref()
                .is_none_or(|q| dot(&program.score, p) > dot(&program.score, q))
        };
        if found.as_ref().is_some_and(better) {
            self.incumbent = found;
        }
        trace(
            started,
            &format!(
                "incumbent (greedy, local search {work}) {:?}",
                self.incumbent.as_ref().map(|x| dot(&program.score, x))
            ),
        );
    }

    /// A portfolio the enumeration completed replaces a worse incumbent.
    fn consider(&mut self, found: Option<enumerate::Found>) {
        let program = &self.program;
        if let Some(q) = found.filter(|q| {
            self.incumbent
                .as_ref()
                .is_none_or(|p| q.score > dot(&program.score, p))
        }) {
            self.incumbent = Some(q.x);
        }
    }
}

/// What the proof by enumeration settled.
enum Enumerated {
    /// The optimum under the whole tie-break, over the columns `fixed` leaves free.
    Proven {
        x: Vec<bool>,
        fixed: Vec<Option<bool>>,
    },
    /// It gave up, or no portfolio reaches the score it stepped down to; `below`: the lowest
    /// floor no portfolio reaches, where one was proven; `found`: the best portfolio its walks
    /// completed; `gave_up`: the floor whose walk outgrew its effort, if one did.
    Open {
        below: Option<i64>,
        found: Option<enumerate::Found>,
        gave_up: Option<i64>,
    },
}

/// The effort of a walk again (`Rewalk`): four times the states a step of the first walks may
/// keep. The first walks' budget is set against HiGHS proving the optimum from their incumbent;
/// a walk again is set against all of HiGHS's stages, seconds to minutes on the rounds that reach
/// it. Its memory is held by `STATE_BYTES` and, in a join, `JOIN_BYTES` (enumerate/join.rs), not by
/// the states a step. Measured on the 100-run Dirichlet sweep of quzhou-like 1,000 `--ties` seed
/// 4: 19.8 s with the first walks' budget, 10.1 s with twice it, 10.3 s with four times; the
/// generated 10,000 (seed 2) weighted 0.30/0.35/0.20/0.15, whose walk again joins 1.08 million
/// subsets (394 MB of states), 13–16 s and 625 MB instead of minutes.
fn rewalk_effort(free: usize, rows: usize) -> enumerate::Effort {
    let effort = enumerate::Effort::for_round(free, rows);
    enumerate::Effort {
        per_step: effort.per_step.saturating_mul(4),
        ..effort
    }
}

/// The enumeration walked once more from `floor`, the score of a portfolio found after it gave
/// up (see `Rewalk`), with `effort` and half the time left: the optimum under the whole tie-break
/// and the fixing at that floor, or `None` where it gives up again.
fn walk_again(
    columns: &enumerate::Columns,
    rows: &[program::Row],
    dual_bound: &fixing::DualBound,
    floor: i64,
    effort: enumerate::Effort,
    deadline: Option<Instant>,
) -> Option<(Vec<bool>, Vec<Option<bool>>)> {
    let now = Instant::now();
    let mut effort = enumerate::Effort {
        deadline: deadline.map(|d| now + d.saturating_duration_since(now) / 2),
        ..effort
    };
    let fixed = dual_bound.fixings(floor);
    let proof = enumerate::prove(
        columns,
        rows,
        dual_bound,
        &fixed,
        floor,
        &mut effort,
        &mut None,
    );
    let proven = matches!(proof, enumerate::Proof::Unique(_));
    if std::env::var_os("ALLOT_TRACE").is_some() {
        let took = now.elapsed();
        eprintln!("allot: enumeration again, above {floor}: proven {proven} in {took:?}");
    }
    match proof {
        enumerate::Proof::Unique(y) => Some((y, fixed)),
        enumerate::Proof::Empty(_) | enumerate::Proof::Open => None,
    }
}

/// How `by_enumeration` walks.
struct Walking<'l> {
    /// The incumbent is a remembered portfolio: one walk at its floor first (`at_the_incumbent`).
    hinted: bool,
    /// A re-solve (a what-if's, a price's, a sweep run's, a question above a floor): on rounds
    /// of thousands of columns, the walks go on after one gives up (`RETRIES`, `BISECTED`).
    again: bool,
    /// `Options::first_walk_states`.
    states: Option<usize>,
    /// The local search that waited on a small program (`LAZY_SEARCH_COLUMNS`): run when the
    /// floors near a far incumbent after dear walks (`LIFT_STATES`), its best portfolio's score.
    lift: Option<&'l mut dyn FnMut() -> Option<i64>>,
}

/// The proof by enumeration (enumerate.rs) over the columns reduced-cost fixing (fixing.rs)
/// leaves free, with the floor lowered from just below the relaxation's bound towards `reached`
/// (an incumbent's score, or the floor a what-if asks about): a floor above the optimum leaves no
/// portfolio, and the first that does not leaves every optimal one — usually exactly one, then
/// proven optimal and unique.
fn by_enumeration(
    program: &Program,
    rows: &[program::Row],
    dual_bound: &fixing::DualBound,
    mut reached: i64,
    mut walking: Walking,
    progress: &progress::Progress,
    started: Instant,
) -> Enumerated {
    let most = dual_bound.best().max(reached);
    let mut whole = most - reached;
    let mut gap = (whole >> 10).max(1);
    // The highest floor that gave up; the walks since and the give-ups (`RETRIES`, `BISECTED`).
    let mut failed: Option<i64> = None;
    // On re-solves of thousands of columns; and on the property tests' walks of a few states a
    // step, so that brute force checks the walks tried again on small rounds too.
    let retries = if walking.again && (heuristics(program) || walking.states.is_some()) {
        RETRIES
    } else {
        0
    };
    let (mut bisected, mut gave_up_again) = (0, 0);
    // The lowest floor proven empty: the optimum lies below it.
    let mut empty: Option<i64> = None;
    let mut found: Option<enumerate::Found> = None;
    let mut gave_up = None;
    // The last floor proven empty: its gap and its walk's work.
    let mut last: Option<Walked> = None;
    let mut effort = enumerate::Effort::for_round(program.free_columns(), rows.len());
    if let Some(states) = walking.states {
        effort.per_step = effort.per_step.min(states);
    }
    // A step keeps at most one state per subset of the free columns: where they all fit in
    // an eighth of a step, the incumbent's own floor cannot give up, and settles it at once (a
    // reserve list's what-ifs leave a handful of columns free, and climbed a dozen floors each).
    if u32::try_from(program.free_columns())
        .ok()
        .and_then(|free| 1usize.checked_shl(free))
        .is_some_and(|subsets| subsets <= effort.per_step / 8)
    {
        gap = whole;
    }
    // Half the time left, when limited: the core search and HiGHS may still improve the
    // portfolio where the enumeration cannot settle it.
    let now = Instant::now();
    effort.deadline = program
        .deadline
        .map(|d| now + d.saturating_duration_since(now) / 2);
    let columns = enumerate::Columns::of(program);
    if walking.hinted {
        let tried = at_the_incumbent(&columns, rows, dual_bound, reached, &effort);
        trace(
            started,
            &format!(
                "at the incumbent's floor, {} below the bound: proven {}",
                most - reached,
                tried.is_some()
            ),
        );
        if let Some(x) = tried {
            return x;
        }
    }
    loop {
        // The floors near a far incumbent: a better one first (`lift`), where it waited.
        // Property tests' walks of a few states lift at that size, so brute force checks it.
        let lift_at = walking.states.unwrap_or(LIFT_STATES);
        let dear = last.as_ref().is_some_and(|w| w.spent >= lift_at);
        if failed.is_none() && dear && gap.saturating_mul(2) >= whole && gap < whole {
            if let Some(better) = walking.lift.take().and_then(|lift| lift()) {
                reached = reached.max(better);
                whole = most - reached;
            }
        }
        let f = match (failed, empty) {
            // A floor within one gap of the incumbent is as dear as the incumbent's own, which
            // settles it.
            (None, _) if gap.saturating_mul(2) >= whole => reached,
            (None, _) => most - gap,
            // After a walk gave up: halfway between the lowest floor proven empty and the
            // highest that gave up.
            (Some(g), Some(e)) if e - g >= 2 && bisected < BISECTED => {
                bisected += 1;
                e - (e - g) / 2
            }
            (Some(g), _) => {
                gave_up = Some(g);
                break;
            }
        };
        // A portfolio a walk completed above the planned floor is where the next one starts.
        let f = found.as_ref().map_or(f, |p| f.max(p.score));
        let fixed = dual_bound.fixings(f);
        let before = effort.left;
        let visited_before = effort.visited;
        let proof = enumerate::prove(
            &columns,
            rows,
            dual_bound,
            &fixed,
            f,
            &mut effort,
            &mut found,
        );
        trace(
            started,
            &format!("enumeration above {f} (effort left {})", effort.left),
        );
        match proof {
            enumerate::Proof::Unique(x) => return Enumerated::Proven { x, fixed },
            enumerate::Proof::Empty(widest) if f > reached => {
                empty = Some(f);
                progress.bound((f - 1) as f64);
                let spent = before - effort.left;
                let visited = effort.visited - visited_before;
                let walked = Walked {
                    gap,
                    spent,
                    visited,
                };
                let next = next_gap(&walked, widest, last, effort.per_step);
                last = Some(walked);
                gap = next;
                trace(started, &format!("widest {widest}"));
            }
            enumerate::Proof::Empty(_) => {
                empty = Some(f);
                break;
            }
            // Gave up: on a re-solve of thousands of columns, bisected (`RETRIES`).
            enumerate::Proof::Open if gave_up_again < retries => {
                gave_up_again += 1;
                failed = Some(f);
            }
            enumerate::Proof::Open => {
                gave_up = Some(f);
                break;
            }
        }
    }
    Enumerated::Open {
        below: empty.filter(|&hi| hi <= most),
        found,
        gave_up,
    }
}

/// States the last floor's walk kept in all from which `by_enumeration` runs the local search
/// that waited (`Walking::lift`) before it steps to a far incumbent's floor. The floors step down
/// from the bound, and once one gap more reaches the incumbent's half-way they jump to the
/// incumbent's own floor; behind a greedy incumbent that floor can lie far below the optimum. On
/// the quzhou-like 1,000 seed 4 under a 100-run Dirichlet sweep, one run's greedy floor lay
/// 172,824 units below the bound and the optimum about 95,000: its walk gave up after 300,000
/// states, where the local search's portfolio (106,000 below) was proven in 0.1 s. With the lift
/// that sweep took 7.3 → 5.7 s (`--ties`: 7.3 → 6.0 s), the same bytes. Where the last floor
/// kept fewer states the walks cost less than the local search (about 20 ms at 1,000
/// applications): run before every such jump, it made the other seeds' sweeps twice as slow.
const LIFT_STATES: usize = 1 << 14;

/// Give-ups after which the enumeration still walks on, on a re-solve (a what-if's, a price's,
/// a sweep run's, a question above a floor) of more than `HEURISTIC_COLUMNS` columns: it then
/// bisects between the lowest floor proven empty and the highest that gave up (`BISECTED` walks
/// at most). The floors step down ever faster, and below the optimum the states a walk keeps
/// grow steeply: on a price of the generated 10,000 (seed 1) weighted 0.30/0.35/0.20/0.15 a walk
/// 52 units of 1e-4 points below the optimum gave up where one 12 below proved it. The last
/// step can so land below the optimum, and the core search and HiGHS's stages then take minutes
/// on such rounds: `allot explain` of its P07570 took more than 10 minutes (HiGHS's stage 1 on
/// a price's re-solve), its default table of 100 prices more than 11. Not on a round's own
/// solve: the walk again at a portfolio's floor settles those (seed 2 of that round took 11 →
/// 20 s with them), nor on small rounds, where HiGHS settles a walk that gave up in
/// milliseconds (80 adversarial rounds 28 → 35 s). Floors between the one that gave up and the
/// lowest proven empty were once tried by bisection on every round: none settled a proof then.
const RETRIES: usize = 3;

/// Walks of that bisection at most: where the optimum lies below the floor that gave up, each is
/// wasted (seconds at 10,000), and 2¹² narrows any gap measured to a few units.
const BISECTED: usize = 12;

/// States a step of the trial at the incumbent's own floor may keep (see `at_the_incumbent`).
const TRIAL_STATES: usize = 1 << 8;

/// States the trial may keep in all, per column its floor leaves free.
const TRIAL_TOTAL: usize = 32;

/// The proof at the incumbent's own floor, tried first where the incumbent comes from a
/// remembered portfolio (a sweep's earlier run, the optimum a what-if departs from): one walk
/// instead of a dozen floors stepped down from the bound, each with its own setup. Within its
/// own small effort (`TRIAL_STATES` a step, `TRIAL_TOTAL` a free column), so that an incumbent far
/// below the optimum, where a walk from its floor costs more than the steps, gives up soon; the
/// floors stepped after it are the same as without it, and so is every output. Measured (same
/// bytes): the bundled 1,000-run Dirichlet sweep 1.47–1.55 → 1.20–1.21 s of CPU (959 of 1,001
/// trials proved), the scaled 1,000-application 200-run sweep unchanged (7 of 201 proved);
/// without the caps (1,024 a step, as many a free column) that sweep took 12% more.
fn at_the_incumbent(
    columns: &enumerate::Columns,
    rows: &[program::Row],
    dual_bound: &fixing::DualBound,
    reached: i64,
    effort: &enumerate::Effort,
) -> Option<Enumerated> {
    let fixed = dual_bound.fixings(reached);
    let free = fixed.iter().filter(|f| f.is_none()).count();
    let mut trial = enumerate::Effort {
        per_step: effort.per_step.min(TRIAL_STATES),
        left: TRIAL_TOTAL.saturating_mul(free.max(1)),
        ..*effort
    };
    match enumerate::prove(
        columns, rows, dual_bound, &fixed, reached, &mut trial, &mut None,
    ) {
        enumerate::Proof::Unique(x) => Some(Enumerated::Proven { x, fixed }),
        enumerate::Proof::Empty(_) | enumerate::Proof::Open => None,
    }
}

/// A floor proven empty: its gap below the bound, the states its walk kept in all, and the
/// partial subsets its joins searched.
#[derive(Clone, Copy)]
struct Walked {
    gap: i64,
    spent: usize,
    visited: usize,
}

/// Joins' visits from which their growth, not only the states', sets the next gap (see
/// `next_gap`): below it a join costs less than the steps around it.
const VISITS_FELT: usize = 1 << 14;

/// The gap below the bound for the next floor, after the floor `now` was proven empty, its walk
/// keeping at most `widest` states a step (`last`: the floor before). The states grow steeply
/// with the gap — a lower floor both admits more partial portfolios and fixes fewer columns —
/// and the floor that settles the optimum is the dearest, so once a step holds a thousand
/// states the gap grows by what the last two floors' growth predicts keeps the next floor within
/// three times this one's work (by 1.2 at the least, doubled at the most; on 10,000-application
/// rounds one doubling took a step from 15,000 states to 280,000). Measured from any growth, not
/// only a steep one: after a slow one, doubling as before ran 100,000-application rounds past
/// the effort (seed 7 3.7 → 6.6 s, 728 MB, and a bisection). The work is the states kept and,
/// once they are felt, the joins' visits, whichever grows faster: on the committee-weighted
/// 10,000-application round of seed 2 the states grew 1.5-fold from one floor to the next while
/// the join's visits grew 17-fold, and a gap grown by the states' measure (1.6) landed on a
/// floor whose join gave up after 16.7 million visits (3.3 s).
fn next_gap(now: &Walked, widest: usize, last: Option<Walked>, per_step: usize) -> i64 {
    let gap = now.gap;
    // work ∝ gap^α, α from the last two floors.
    let alpha = |before: usize, after: usize, g0: i64| {
        (after as f64 / before as f64).ln() / (gap as f64 / g0 as f64).ln()
    };
    let states = last
        .filter(|l| l.gap < gap && l.spent > 0 && now.spent > l.spent && widest >= 1 << 10)
        .map(|l| alpha(l.spent, now.spent, l.gap));
    let visits = last
        .filter(|l| l.gap < gap && l.visited > 0 && now.visited > l.visited)
        .filter(|_| now.visited >= VISITS_FELT)
        .map(|l| alpha(l.visited, now.visited, l.gap));
    let ratio = match states.into_iter().chain(visits).reduce(f64::max) {
        Some(alpha) => 3f64.powf(1.0 / alpha).clamp(1.2, 2.0),
        None if widest < per_step / 8 => 2.0,
        None => 1.5,
    };
    gap.saturating_add(((gap as f64) * (ratio - 1.0)).ceil() as i64)
}

/// The HiGHS stages over the fixed program: the best score, the least total subsidy at that
/// score, then the tie-break by rank.
struct Stages<'a, 'p> {
    program: Program<'a>,
    /// The bound on the total score, for the gap of a portfolio cut short.
    bound: Option<f64>,
    /// Whether the perturbed one-run proof may be used (see `Options::perturb`).
    perturb: bool,
    /// `Options::stage_two_early`.
    early: bool,
    /// `Options::tie_break`.
    tie_break: bool,
    /// `Options::proven_score`, over the columns (the folded locks' score taken off).
    proven: Option<i64>,
    /// The enumeration, walked again where it gave up (`walk_at`).
    again: Option<Rewalk<'p>>,
    /// Whether that walk settled the answer.
    walked: bool,
    progress: &'p progress::Progress,
}

/// What the enumeration needs to walk the whole program once more (`walk_again`), from the floor
/// of a portfolio found after it gave up: the local search's before the core search (in
/// `solve_counting`), then the core search's before the stages, then stage 1's (`Stages::walk_at`).
/// Where that floor is above the one that gave up, fewer portfolios reach it and more columns are
/// fixed, and a walk from the optimum's own floor is often small: its answer settles all three
/// levels of the tie-break exactly, and HiGHS's stages are not asked (quzhou-like 1,000 seed 4
/// under run 175's weights: 23 s → 2.9 s).
struct Rewalk<'p> {
    columns: enumerate::Columns<'p>,
    rows: &'p [program::Row],
    dual_bound: &'p fixing::DualBound,
    /// The fixing that left the stages' program its columns.
    fixed: Vec<Option<bool>>,
    /// The highest floor whose walk outgrew its effort.
    gave_up: i64,
    /// A walk again's effort (`rewalk_effort`).
    effort: enumerate::Effort,
}

impl Stages<'_, '_> {
    /// The relative gap of a portfolio to the bound on the total score (1 without one); both
    /// are over the columns, so the folded locks' score is added back.
    fn gap(&self, x: &[bool]) -> f64 {
        let base = self.program.folded_score() as f64;
        self.bound.map_or(1.0, |b| {
            ((b - dot(&self.program.score, x) as f64) / (b + base).abs().max(1.0)).clamp(0.0, 1.0)
        })
    }

    /// The portfolio and its status.
    fn run(
        &mut self,
        incumbent: Option<Vec<bool>>,
        starts: &[Vec<bool>],
    ) -> Result<(Vec<bool>, Status)> {
        // Out of time already (HiGHS's presolve does not heed the limit, so do not start it):
        // the best portfolio so far, with its gap to the relaxation's bound.
        if self.program.deadline.is_some_and(|d| Instant::now() >= d) {
            let Some(p) = incumbent.as_ref().or(starts.first()) else {
                return Err(Error::Solver(
                    "the time limit was reached before any portfolio was found".into(),
                ));
            };
            let gap = self.gap(p);
            return Ok((p.clone(), Status::cut_short(gap)));
        }
        // The portfolio found before HiGHS may lift the enumeration's floor past where it gave up.
        if let Some(y) = incumbent.as_deref().and_then(|p| self.walk_at(p)) {
            return Ok((y, Status::Optimal));
        }
        let (first, settled) = match incumbent {
            Some(p) if perturbation_is_exact(&self.program, &p, self.perturb) => {
                (self.perturbed_proof(p)?, None)
            }
            Some(p) if !self.tie_break => (self.best_score(Some(p))?, None),
            // The best score already proven, and a start reaching it: the least subsidy next.
            Some(p) if self.proven == Some(dot(&self.program.score, &p)) => {
                let best = dot(&self.program.score, &p);
                let second = least_subsidy_at(&mut self.program, best, &p)?;
                (Stage1::Best(p.clone(), best), Some(Looked::Same(p, second)))
            }
            Some(p) => self.best_score_beside_stage_two(p)?,
            None => (self.best_score(None)?, None),
        };
        let (x, best) = match first {
            Stage1::Best(x, best) => {
                let best = best.max(dot(&self.program.score, &x));
                (x, best)
            }
            Stage1::Done(x, status) => return Ok((x, status)),
        };
        if !self.tie_break {
            // Only the score is read: stage 1's claim gets its second look, and no more.
            return Ok(match better(&mut self.program, x)? {
                (x, true) => (x, Status::Optimal),
                (x, false) => {
                    let gap = self.gap(&x);
                    (x, Status::cut_short(gap))
                }
            });
        }
        // Stage 2: the least total subsidy among score-optimal portfolios.
        self.progress.best(best);
        self.progress.bound(best as f64);
        self.progress
            .stage("HiGHS: the least total subsidy at the best score");
        let looked = match settled {
            Some(looked) => looked,
            None => self.looked_again(x, best)?,
        };
        let (x, best, second) = match looked {
            Looked::Same(x, second) => (x, best, second),
            Looked::Better(x) => {
                if let Some(y) = self.walk_at(&x) {
                    return Ok((y, Status::Optimal));
                }
                let best = dot(&self.program.score, &x);
                self.progress.best(best);
                let second = least_subsidy_at(&mut self.program, best, &x)?;
                (x, best, second)
            }
            Looked::Stopped(x) => {
                let gap = self.gap(&x);
                return Ok((x, Status::cut_short(gap)));
            }
        };
        let program = &mut self.program;
        let (x, doubted) = match second {
            Stage2::Least(y) => (y, false),
            Stage2::Doubted => (x, true),
            Stage2::Stopped(y) => return Ok((y, Status::cut_short(0.0))),
        };
        let (x, least, face_seen) = match cheaper(program, best, x, doubted)? {
            Least::Alone(x) => {
                // The only portfolio of the best score at that subsidy: the tie-break's answer.
                return Ok((x, Status::Optimal));
            }
            Least::Seen(x, least, seen) => (x, least, seen),
            Least::Stopped(x) => return Ok((x, Status::cut_short(0.0))),
        };
        // Stage 3: among portfolios equal in score and subsidy, the one funding the earliest
        // (project, round) in which they differ.
        self.progress.stage("HiGHS: the tie-break by rank");
        let face = Extra {
            min_score: Some(best),
            max_subsidy: Some(least),
            heuristics: heuristics(program),
            ..Extra::default()
        };
        Ok(match tie_break(program, &face, x, face_seen)? {
            (x, true) => (face::improve_tie_break(program, x), Status::Optimal),
            (x, false) => (x, Status::cut_short(0.0)),
        })
    }

    /// The optimum under the whole tie-break by the enumeration at the floor of the portfolio `x`
    /// (see `Rewalk`), where it gave up lower down; `None` where it gives up again. Exact
    /// whatever HiGHS's tolerances: the walk keeps every portfolio scoring at least `x`'s.
    fn walk_at(&mut self, x: &[bool]) -> Option<Vec<bool>> {
        let again = self.again.as_mut()?;
        let floor = dot(&self.program.score, x);
        if floor <= again.gave_up {
            return None;
        }
        self.progress
            .stage("enumeration from the best portfolio found");
        let y = walk_again(
            &again.columns,
            again.rows,
            again.dual_bound,
            floor,
            again.effort,
            self.program.deadline,
        )
        .map(|(y, _)| y)
        .filter(|y| {
            // It scores at least the incumbent the fixing was proven against.
            let fits = fits(y, &again.fixed);
            debug_assert!(fits, "the walk's optimum contradicts a proven fixing");
            fits
        });
        if y.is_none() {
            again.gave_up = floor;
        }
        self.walked = y.is_some();
        y.map(|y| narrow(&y, &again.fixed))
    }

    /// Stage 1: the best total score, and a portfolio reaching it; or the answer, when the time
    /// limit cut it short: the better of HiGHS's best and the `incumbent` found before it (HiGHS
    /// gets no start, so at a limit its best can be worse: on the generated 10,000 weighted
    /// 0.30/0.35/0.20/0.15, stopped at 6 s, 109,211.7061 points where 109,212.0631 was known).
    fn best_score(&mut self, incumbent: Option<Vec<bool>>) -> Result<Stage1> {
        self.progress.stage("HiGHS: the best score");
        // Stage 1's objective in units of the scores' gcd, like the later stages' score row: on
        // a round of whole-point scores (coefficients 700,000) HiGHS reported 361 points optimal
        // where 362 exist (tests/fixtures/adversarial/whole-points-stage-one.toml); as 70 and 71
        // it is right.
        let score_unit = self.program.score_unit();
        let score_objective: Vec<f64> = self
            .program
            .score
            .iter()
            .map(|&s| (s / score_unit) as f64)
            .collect();
        let stage = Extra {
            heuristics: heuristics(&self.program),
            ..Extra::default()
        };
        let (x, best) = match self.program.run(&score_objective, true, &stage, &[])? {
            Answer::Optimal { x, objective } => (x, objective.round() as i64 * score_unit),
            Answer::Infeasible => return Err(diagnose::explain_infeasible(&self.program)),
            Answer::Stopped { x, gap } => {
                let score = |y: &Vec<bool>| dot(&self.program.score, y);
                let Some(x) = [x, incumbent].into_iter().flatten().max_by_key(score) else {
                    return Err(Error::Solver(
                        "the time limit was reached before any portfolio was found".into(),
                    ));
                };
                // HiGHS's gap is for its own best; a better portfolio's is no larger.
                let gap = gap.min(self.gap(&x));
                return Ok(Stage1::Done(x, Status::cut_short(gap)));
            }
        };
        if let Some(y) = self.walk_at(&x) {
            return Ok(Stage1::Done(y, Status::Optimal));
        }
        // The exact score of the stage-1 portfolio is the optimum (its units are integers). No
        // separate proof that it is the only one (a cover row HiGHS's relaxation hardly sees: at
        // 10,000 applications it ran past 34 minutes): the least-subsidy stage and the
        // tie-break's questions on the face settle that with strong relaxations. The claim is
        // asked again (`better`) beside the least-subsidy stage (`looked_again`).
        Ok(Stage1::Best(x, best))
    }

    /// Stage 1's answer `x` asked again (`better`) beside stage 2 at its score `best`, which
    /// assumes the look finds nothing better, as it nearly always does: where amounts are large,
    /// each on its own copy of the program, side by side where a worker is free. A better
    /// portfolio found stops stage 2 (HiGHS's interrupt) and makes its answer void; the caller
    /// asks stage 2 again at the new score. Run 35 of the generated 1,000 (seed 7) weighted by
    /// a Dirichlet draw: 9.0 → 8.0 s (the look's two opinions 1.4 s beside stage 2's 1.5 s).
    fn looked_again(&mut self, x: Vec<bool>, best: i64) -> Result<Looked> {
        let large = large_amounts(&self.program);
        if !large {
            // `better` would not ask: stage 2 alone.
            let second = least_subsidy_at(&mut self.program, best, &x)?;
            return Ok(Looked::Same(x, second));
        }
        let mark = self.program.mark();
        let base = &self.program;
        let void = Arc::new(AtomicBool::new(false));
        let ((looked, after_look), (second, after_second)) = parallel::both(
            || {
                let mut copy = base.clone();
                let looked = better(&mut copy, x.clone());
                if matches!(&looked, Ok((y, _)) if *y != x) {
                    void.store(true, Ordering::Release);
                }
                (looked, copy)
            },
            || {
                let mut copy = base.clone();
                copy.interrupt = Some(Arc::clone(&void));
                let second = least_subsidy_at(&mut copy, best, &x);
                copy.interrupt = base.interrupt.clone();
                (second, copy)
            },
        );
        self.program.absorb(after_look, &mark);
        Ok(match looked? {
            (y, false) => Looked::Stopped(y),
            (y, true) if y != x => Looked::Better(y),
            (y, true) => {
                self.program.absorb(after_second, &mark);
                Looked::Same(y, second?)
            }
        })
    }

    /// Stage 1 then its second look (`better`), and beside them stage 2 at the `incumbent`'s
    /// score, on a copy of the program: the portfolio found before HiGHS (by the enumeration's
    /// core search) is often already optimal — on the generated 10,000 weighted
    /// 0.30/0.35/0.20/0.15 (seeds 1 and 7) it was — and then stage 2's question is the one it
    /// would be asked after them. Where they find a better score they stop the early question
    /// (HiGHS's interrupt) and its answer is not used. Returns stage 1 and, where it settled
    /// them, the look and stage 2 (`None`: `looked_again` asks them).
    /// With a free worker this never takes longer than stage 2 after stage 1 (`looked_again`):
    /// max(stage 1 + look, stage 2) against stage 1 + max(look, stage 2). Without one, stage 2
    /// runs after stage 1 as before, and not at all once void. G10K1 weighted: 94 s → 73–78 s,
    /// stage 2's 36 s beside stage 1's 49 s; the 80 adversarial rounds 33.0 s → 30.5 s.
    fn best_score_beside_stage_two(
        &mut self,
        incumbent: Vec<bool>,
    ) -> Result<(Stage1, Option<Looked>)> {
        if !self.early {
            return Ok((self.best_score(Some(incumbent))?, None));
        }
        let score = dot(&self.program.score, &incumbent);
        let mark = self.program.mark();
        let mut copy = self.program.clone();
        let void = Arc::new(AtomicBool::new(false));
        copy.interrupt = Some(Arc::clone(&void));
        let void_seen = Arc::clone(&void);
        let early_x = incumbent.clone();
        let ((first, same, looked), (answer, program)) = parallel::both(
            || {
                let first = self.best_score(Some(incumbent));
                let same = matches!(&first, Ok(Stage1::Best(x, best))
                    if (*best).max(dot(&self.program.score, x)) == score);
                // Stage 1's second look, while stage 2 may still run.
                let looked = match &first {
                    Ok(Stage1::Best(x, _)) if same && large_amounts(&self.program) => {
                        Some(better(&mut self.program, x.clone()))
                    }
                    _ => None,
                };
                // Stage 2's question stands while its score is the best and nothing scores more.
                let confirmed = same
                    && match (&first, &looked) {
                        (_, None) => true,
                        (Ok(Stage1::Best(x, _)), Some(Ok((y, true)))) => x == y,
                        _ => false,
                    };
                if !confirmed {
                    void.store(true, Ordering::Release);
                }
                if std::env::var_os("ALLOT_TRACE").is_some() {
                    let verdict = if confirmed { "stands" } else { "is void" };
                    eprintln!("allot: stage 2 asked beside stage 1 at {score} {verdict}");
                }
                (first, same, looked)
            },
            // Not started once void (without a free worker it runs after stage 1).
            move || {
                let answer = (!void_seen.load(Ordering::Acquire))
                    .then(|| least_subsidy_at(&mut copy, score, &early_x));
                (answer, copy)
            },
        );
        let first = first?;
        let looked = looked.transpose()?;
        let settled = match (&first, looked, answer) {
            (Stage1::Best(..), _, _) if !same => None,
            (_, Some((y, false)), _) => Some(Looked::Stopped(y)),
            (Stage1::Best(x, _), Some((y, true)), _) if *x != y => Some(Looked::Better(y)),
            (Stage1::Best(x, _), _, Some(answer)) => {
                self.program.absorb(program, &mark);
                Some(Looked::Same(x.clone(), answer?))
            }
            _ => None,
        };
        Ok((first, settled))
    }

    /// Stage 1 and the uniqueness proof in one HiGHS run when a good incumbent P is known: the
    /// objective M·score(Q) + |Q \ P| − |Q ∩ P| is maximal at P exactly when P is the unique
    /// score-optimal portfolio (see `perturbed`); otherwise its optimum is a better or tied one.
    fn perturbed_proof(&mut self, mut p: Vec<bool>) -> Result<Stage1> {
        self.progress
            .stage("HiGHS: the best score and whether it is unique");
        let program = &mut self.program;
        loop {
            let objective = perturbed(program, &p);
            match program.run(&objective, true, &Extra::default(), &[])? {
                // HiGHS's claim that P is the only portfolio of its score is not taken alone:
                // with large coefficients it called P unique where a tied one costs less
                // (tests/fixtures/adversarial/linked-perturb-least-subsidy.toml), so the plain
                // stages 2 and 3 check it (one call each when it is true).
                Answer::Optimal { x, .. } if x == p => return asked_again(program, p),
                Answer::Optimal { x, .. } => {
                    let (old, new) = (dot(&program.score, &p), dot(&program.score, &x));
                    if std::env::var_os("ALLOT_TRACE").is_some() {
                        eprintln!("allot: incumbent score {old}, HiGHS found {new}");
                    }
                    if new > old && perturbation_is_exact(program, &x, self.perturb) {
                        p = x;
                        continue;
                    }
                    return asked_again(program, if new >= old { x } else { p });
                }
                Answer::Infeasible => return Err(diagnose::explain_infeasible(program)),
                Answer::Stopped { x, gap } => {
                    let x = match x {
                        Some(x) if dot(&program.score, &x) > dot(&program.score, &p) => x,
                        _ => p,
                    };
                    let gap = gap.min(self.gap(&x));
                    return Ok(Stage1::Done(x, Status::cut_short(gap)));
                }
            }
        }
    }
}

/// The perturbed run's portfolio `x`, asked again as stage 1's is (`better`, in
/// `Stages::looked_again`): on massive ties in millions the perturbed run called 490 points
/// optimal where 560 exist.
fn asked_again(program: &Program, x: Vec<bool>) -> Result<Stage1> {
    let best = dot(&program.score, &x);
    Ok(Stage1::Best(x, best))
}

/// What stage 1 settled: the best score and a portfolio reaching it, or the answer itself (the
/// perturbed run proved it unique, or the time limit cut the stage short).
enum Stage1 {
    Best(Vec<bool>, i64),
    Done(Vec<bool>, Status),
}

/// What stage 1's second look and stage 2 settled (`Stages::looked_again`,
/// `Stages::best_score_beside_stage_two`).
enum Looked {
    /// Nothing better than stage 1's portfolio, and stage 2's answer at its score.
    Same(Vec<bool>, Stage2),
    /// A portfolio that scores more (stage 2 must be asked again at its score).
    Better(Vec<bool>),
    /// The time limit cut the look short: the best portfolio found.
    Stopped(Vec<bool>),
}

/// Stage 2's answer.
enum Stage2 {
    /// HiGHS's least-subsidy portfolio at the best score.
    Least(Vec<bool>),
    /// HiGHS called the question infeasible although stage 1's portfolio answers it.
    Doubted,
    /// The time limit cut it short: the cheaper of HiGHS's best and stage 1's portfolio.
    Stopped(Vec<bool>),
}

/// Stage 2: the least total subsidy among portfolios scoring at least `best`, which `x` reaches.
fn least_subsidy_at(program: &mut Program, best: i64, x: &[bool]) -> Result<Stage2> {
    let keep_score = Extra {
        min_score: Some(best),
        heuristics: heuristics(program),
        ..Extra::default()
    };
    let unit = program.subsidy_unit();
    let subsidy_objective: Vec<f64> = program.subsidy.iter().map(|&s| (s / unit) as f64).collect();
    Ok(
        match program.run(&subsidy_objective, false, &keep_score, &[])? {
            Answer::Optimal { x, .. } => Stage2::Least(x),
            // Cut short: the cheaper of HiGHS's best and the stage-1 portfolio (both of the best
            // score).
            Answer::Stopped { x: found, .. } => Stage2::Stopped(match found {
                Some(y) if dot(&program.subsidy, &y) < dot(&program.subsidy, x) => y,
                _ => x.to_vec(),
            }),
            // HiGHS 1.16 called this question infeasible on massive ties in millions, and with its
            // heuristics on a 10,000-application round weighted by a Dirichlet draw, while the
            // stage-1 portfolio (checked exactly) answers it: go on from that portfolio, which
            // `cheaper` then asks about twice whatever the amounts.
            Answer::Infeasible => Stage2::Doubted,
        },
    )
}

/// M for the perturbed objective of `p`: more than the perturbation can ever change.
fn multiplier(program: &Program, p: &[bool]) -> i64 {
    let size = free(program, p).count() as i64;
    let columns = program.free_columns() as i64;
    if program.score.iter().all(|&s| s > 0) {
        return size + 1;
    }
    let slots: i64 = program
        .scenario()
        .rounds
        .iter()
        .map(|r| i64::from(r.max_projects))
        .sum();
    size + slots.min(columns) + 1
}

/// The columns of `p` that are not pinned.
fn free<'p>(program: &'p Program, p: &'p [bool]) -> impl Iterator<Item = usize> + 'p {
    (0..p.len()).filter(|&i| p[i] && !program.pinned[i])
}

/// Whether the perturbed objective may be used: `options.perturb` is on and M times the largest
/// score any portfolio could reach (the sum of the best `slots` column scores) stays below 2^38,
/// far inside the range where HiGHS's integer objective is exact.
fn perturbation_is_exact(program: &Program, p: &[bool], perturb: bool) -> bool {
    if !perturb {
        return false;
    }
    let slots = program
        .scenario()
        .rounds
        .iter()
        .map(|r| r.max_projects as usize)
        .sum::<usize>();
    let mut scores: Vec<i64> = program
        .score
        .iter()
        .zip(&program.pinned)
        .filter(|(_, pin)| !**pin)
        .map(|(s, _)| *s)
        .collect();
    scores.sort_unstable_by(|a, b| b.cmp(a));
    let most: i64 = scores.iter().take(slots).filter(|&&s| s > 0).sum();
    (multiplier(program, p) as f64) * (most.max(1) as f64) < 2f64.powi(38)
}

/// The perturbed objective around P (pinned columns, 1 in every portfolio, count 0; M and the
/// sizes below count only the others). Scores are integers, so a portfolio of lower score loses at
/// least M and ranks below P; every other portfolio of P's score ranks above it:
/// - when every column scores above 0, M = |P| + 1 and the objective is M·score(Q) − |Q ∩ P|:
///   another portfolio of P's score cannot contain all of P (it would score more), so it loses
///   less than P's |P|;
/// - otherwise M = |P| + T + 1 and the objective is M·score(Q) + |Q \ P| − |Q ∩ P|.
fn perturbed(program: &Program, p: &[bool]) -> Vec<f64> {
    let m = multiplier(program, p);
    let positive = program.score.iter().all(|&s| s > 0);
    program
        .score
        .iter()
        .zip(p)
        .zip(&program.pinned)
        .map(|((&s, &on), &pin)| {
            if pin {
                return 0.0;
            }
            (m * s) as f64
                + if on {
                    -1.0
                } else if positive {
                    0.0
                } else {
                    1.0
                }
        })
        .collect()
}

/// With `ALLOT_TRACE` set, prints the time since `started` at the end of a stage.
fn trace(started: Instant, stage: &str) {
    if std::env::var_os("ALLOT_TRACE").is_some() {
        eprintln!("allot: {stage} done at {:?}", started.elapsed());
    }
}

fn dot(coefficients: &[i64], x: &[bool]) -> i64 {
    coefficients
        .iter()
        .zip(x)
        .filter(|(_, on)| **on)
        .map(|(c, _)| *c)
        .sum()
}

/// Finds the tie-break winner on the optimal face; `false` when the time limit cut it short.
/// The face is fixed column by column in rank order: a column is funded when some face portfolio
/// consistent with the decisions so far funds it. `current` is always such a portfolio, so a
/// column it funds needs no question. The columns it does not fund are asked about in blocks, in
/// rank order: "does a face portfolio consistent with the decisions so far fund any of these?"
/// (the first HiGHS finds will do). None: every column of the block stays unfunded (fewer
/// decisions could not fund them, so more cannot), the ones `current` funds up to the block's end
/// are funded, and the next block is twice as large. One that funds the block's first column
/// becomes `current`; one that funds a later column only narrows the block to the columns before
/// it. Each answer decides a column or narrows the block, so it ends.
///
/// The first block is every column `current` does not fund: the face is most often `current`
/// alone, and then one "none" settles the level (a face portfolio funding none of them funds only
/// columns `current` funds, and `current` wins at their first difference). A generated 1,000
/// round weighted by a Dirichlet draw: 19 HiGHS calls → 4, 21.8 → 17.4 s; the generated 10,000
/// (seed 1) weighted 0.30/0.35/0.20/0.15: 21 calls → 3, about 73 → 30 s of the level (seed 7:
/// 24 calls → 3, 170 → 38 s); the 80 adversarial rounds 35.2 → 34.6 s in all (linked 80 seed 4
/// 10.2 → 13.8 s, seed 7 7.6 → 6.2 s); the same bytes everywhere measured.
///
/// A portfolio HiGHS returns that funds a later column of the block is kept: once the columns
/// before it are decided, it is often consistent with them, and becomes `current` without a
/// question (linked 80 seeds 4 / 7: 47 / 29 questions → 44 / 24).
///
/// This replaced a survey of the whole face first (repeatedly, any face portfolio with a column
/// not yet seen, then one question per column seen): its last question, "no face portfolio uses
/// any other column", carries no decisions and was the slowest HiGHS call of the proof (46 s on
/// linked 80 seed 7, which never finished in 120 s; 22.6 s now).
///
/// HiGHS's answers here are of two kinds. A portfolio is checked exactly (`on_face`). A "none"
/// cannot be checked, and HiGHS has given wrong ones: at its integrality tolerance of 1e-9 it
/// called a question infeasible that a face portfolio answers, and answered it at 1e-6 and 1e-8
/// (tests/fixtures/adversarial/tolerance-tie-break.toml). So every "none" gets a second opinion
/// at HiGHS's default tolerance, and stands only when both agree.
///
/// Every question is put as "the least total subsidy at the best score, within these bounds",
/// with the face's subsidy row as a cut-off, not as a bare "is there one?": the same answers
/// (any portfolio meeting both rows is on the face), but HiGHS's bound has something to work
/// on. On linked 80 seed 7 (highspy, the exported model, one column fixed to 1 each time) five
/// such questions took 1.2–8.1 s against 1.4–50 s as feasibility questions.
fn tie_break(
    program: &mut Program,
    face: &Extra,
    x: Vec<bool>,
    seen: Vec<Vec<bool>>,
) -> Result<(Vec<bool>, bool)> {
    let n = program.columns.len();
    let cost = least_subsidy(program);
    let mut current = x;
    let mut bounds: Vec<Option<(f64, f64)>> = vec![None; n];
    let mut block = usize::MAX;
    // Face portfolios HiGHS returned that funded a later column of their block than the first,
    // and those `cheaper` saw.
    let mut kept: Vec<Vec<bool>> = seen;
    let mut i = 0;
    while i < n {
        if !current[i] {
            if let Some(k) = kept.iter().position(|y| y[i] && agrees(y, &bounds[..i])) {
                current = kept.swap_remove(k);
            }
        }
        if current[i] {
            bounds[i] = Some((1.0, 1.0));
            i += 1;
            continue;
        }
        let unfunded: Vec<usize> = (i..n).filter(|&j| !current[j]).take(block).collect();
        let end = unfunded.last().map_or(i + 1, |j| j + 1);
        let question = Extra {
            some_of: unfunded,
            ..face.clone()
        };
        let unfunded = &question.some_of;
        let fresh = |y: &[bool]| unfunded.iter().any(|&j| y[j]);
        match ask(program, &cost, &question, &bounds, fresh)? {
            Reply::None => {
                for j in i..end {
                    bounds[j] = Some(if current[j] { (1.0, 1.0) } else { (0.0, 0.0) });
                }
                i = end;
                block = block.saturating_mul(2);
            }
            Reply::Found(y) => {
                let first = unfunded.iter().position(|&j| y[j]).unwrap_or(0);
                if first == 0 {
                    current = y;
                    block = FIRST_BLOCK;
                } else {
                    kept.push(y);
                    block = first;
                }
            }
            Reply::Stopped => return Ok((current, false)),
        }
    }
    Ok((current, true))
}

/// Whether portfolio `y` agrees with the tie-break's decisions on the columns `decided` covers.
fn agrees(y: &[bool], decided: &[Option<(f64, f64)>]) -> bool {
    decided
        .iter()
        .zip(y)
        .all(|(b, &on)| b.is_none_or(|(lo, hi)| (lo <= 0.0 || on) && (hi >= 1.0 || !on)))
}

/// Columns in the tie-break's question after each column it funds (1, 4 and 16 took
/// 33.7, 22.6 and 27.6 s on linked 80 seed 7; 16.0, 19.3 and 20.8 s on seed 4).
const FIRST_BLOCK: usize = 4;

/// Subsidy coefficients (in units of their greatest common divisor) from which a face question
/// gets a third opinion (see `ask`): HiGHS's tolerances, about 10⁻⁶ of a coefficient, reach the
/// face row's slack of ½ unit near 500,000.
const LARGE_UNITS: i64 = 100_000;

/// Whether some amount is at least LARGE_UNITS units of the amounts' greatest common divisor.
fn large_amounts(program: &Program) -> bool {
    let unit = program.subsidy_unit();
    program.subsidy.iter().any(|&s| s / unit >= LARGE_UNITS)
}

/// Branch-and-bound nodes each opinion of `better` may take.
const SECOND_LOOK_NODES: i32 = 1_000;

/// Stage 1's answer `x` asked again: is there a portfolio that scores more? With amounts in
/// millions HiGHS 1.16 called a portfolio of 351 points optimal where one of 421 exists (the HiGHS
/// path of the property test `massive_ties_amounts_in_millions_score_and_subsidy`), so the claim
/// gets the tie-break's two opinions (`ask`), each within SECOND_LOOK_NODES nodes, and every better
/// portfolio found, checked exactly, replaces it. A bounded look, not a proof: asked without a
/// bound it cost 80 adversarial rounds 126.7 s → 147.3 s, and ties 60 seed 4 25 s → 148 s. Only
/// where amounts are large (`large_amounts`), as in every case seen: on linked 80 (amounts of
/// 1–30 units) its 1,000 nodes found nothing in 0.7–1.5 s. `false` when the time limit cut it
/// short.
fn better(program: &mut Program, mut x: Vec<bool>) -> Result<(Vec<bool>, bool)> {
    if !large_amounts(program) {
        return Ok((x, true));
    }
    let unit = program.score_unit();
    let objective: Vec<f64> = program.score.iter().map(|&s| (s / unit) as f64).collect();
    loop {
        if program.deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok((x, false));
        }
        let above = Extra {
            min_score: Some(dot(&program.score, &x) + 1),
            max_nodes: Some(SECOND_LOOK_NODES),
            heuristics: heuristics(program),
            ..Extra::default()
        };
        match ask(program, &objective, &above, &[], |_| true)? {
            Reply::Found(y) => x = y,
            // No better portfolio within the nodes allowed (or none at all).
            Reply::None | Reply::Stopped => return Ok((x, true)),
        }
    }
}

/// What `cheaper` settled.
enum Least {
    /// The only portfolio of the best score at the least subsidy.
    Alone(Vec<bool>),
    /// The least subsidy, a portfolio reaching it, and other face portfolios seen on the way
    /// (checked exactly), for the tie-break.
    Seen(Vec<bool>, i64, Vec<Vec<bool>>),
    /// The time limit cut it short: the cheapest portfolio of the best score found.
    Stopped(Vec<bool>),
}

/// Stage 2's answer `x` asked again: is there a portfolio of the best score that costs less? HiGHS
/// 1.16 called a portfolio optimal a yuan above the least (31,000,010 for 31,000,009 fen on massive
/// ties in millions, the HiGHS path: the property test `massive_ties_amounts_in_millions`), so the
/// claim gets the tie-break's opinions (`ask`) and every cheaper portfolio found, checked exactly,
/// replaces it. Only where amounts are large (`large_amounts`): a yuan short of the least among
/// totals of tens of millions of units is within HiGHS's tolerances, among totals of a few hundred
/// units it is not (linked 80 seed 4: its two opinions took 2.2 s) — unless HiGHS's answer is
/// already `doubted` (it called the question infeasible, which `x` disproves).
///
/// The question is put as "a portfolio of the best score other than `x`, at no more than its
/// subsidy" (`Extra::other_than`): a cheaper one answers it, and "none" also settles the
/// tie-break (`x` is then the only face portfolio), which would otherwise ask the same face
/// again. On the rounds where the proof is slow the face is `x` alone: the generated 10,000
/// (seed 1) weighted 0.30/0.35/0.20/0.15 saved a question of three opinions (about 12 s). A
/// tied answer leaves the plain question "cheaper than `x`?" to settle the subsidy, and is handed
/// to the tie-break if the subsidy stands.
fn cheaper(program: &mut Program, best: i64, mut x: Vec<bool>, doubted: bool) -> Result<Least> {
    if !large_amounts(program) && !doubted {
        let least = dot(&program.subsidy, &x);
        return Ok(Least::Seen(x, least, Vec::new()));
    }
    let objective = least_subsidy(program);
    let mut seen = Vec::new();
    let mut other = true;
    loop {
        let least = dot(&program.subsidy, &x);
        if least <= 0 && !other {
            // Amounts are never negative: nothing costs less than nothing.
            return Ok(Least::Seen(x, least, seen));
        }
        let question = Extra {
            min_score: Some(best),
            max_subsidy: Some(if other { least } else { least - 1 }),
            other_than: other.then(|| x.clone()),
            heuristics: heuristics(program),
            ..Extra::default()
        };
        match ask(program, &objective, &question, &[], |_| true)? {
            Reply::Found(y) if dot(&program.subsidy, &y) < least => {
                x = y;
                seen.clear();
            }
            // A tie: whether a cheaper one exists is asked plainly from now on.
            Reply::Found(y) => {
                seen.push(y);
                other = false;
            }
            Reply::None if other => return Ok(Least::Alone(x)),
            Reply::None => return Ok(Least::Seen(x, least, seen)),
            Reply::Stopped => return Ok(Least::Stopped(x)),
        }
    }
}

/// The objective of "the least total subsidy", to maximise: each column's amount, negated, in
/// units of the amounts' greatest common divisor.
fn least_subsidy(program: &Program) -> Vec<f64> {
    let unit = program.subsidy_unit();
    program
        .subsidy
        .iter()
        .map(|&s| -((s / unit) as f64))
        .collect()
}

/// HiGHS's reply to a tie-break question.
enum Reply {
    /// A face portfolio the question wanted, checked exactly.
    Found(Vec<bool>),
    /// None, by both opinions.
    None,
    /// The time limit cut it short.
    Stopped,
}

/// Asks a tie-break question (maximise `objective` over the face within `bounds`) for a face
/// portfolio that is `wanted`: at the usual integrality tolerance, then, where that gives none,
/// at HiGHS's default (see `tie_break`), then, where the face has a subsidy row of large
/// amounts, without that row (see `third_opinion`). "Infeasible" counts as none, and is asked
/// again like any other none. A question for some portfolio (`Extra::some_of`) ends at the first
/// one HiGHS finds, reported as stopped with it.
///
/// The opinions are independent questions, so they are asked side by side on copies of the
/// program where a worker is free (`parallel::both`), and the first that decides, in the order
/// above, is the reply: the same reply as asking them one after another, whatever the number of
/// workers. Without a free worker they run in order, and one whose elder has decided is not
/// asked. Only the opinions up to the deciding one hand back their cover cuts and call counts,
/// so what later questions see does not depend on which opinions ran. On the generated 1,000
/// (seed 7) weighted by a Dirichlet draw, where most answers are "none", this took the proof
/// from 18.7 s to 12.0 s on two cores (17.9 s on one).
fn ask(
    program: &mut Program,
    objective: &[f64],
    face: &Extra,
    bounds: &[Option<(f64, f64)>],
    wanted: impl Fn(&[bool]) -> bool + Sync,
) -> Result<Reply> {
    let loose = Extra {
        loose: true,
        ..face.clone()
    };
    let third = third_opinion(program, face);
    // `stale[k]`: an elder of opinion `k` has decided, so `k` is not needed.
    let stale: [Arc<AtomicBool>; 3] = Default::default();
    let mark = program.mark();
    let base: &Program = program;
    // Opinion `k` on its own copy, or nothing when it is not needed.
    let opinion = |k: usize| -> Option<(Program, Result<Option<Reply>>)> {
        if stale[k].load(Ordering::Acquire) {
            return None;
        }
        let mut copy = base.clone();
        copy.interrupt = Some(Arc::clone(&stale[k]));
        let reply = match k {
            0 => plain_opinion(&mut copy, objective, face, bounds, &wanted),
            1 => plain_opinion(&mut copy, objective, &loose, bounds, &wanted),
            _ => match &third {
                Some(open) => open_opinion(&mut copy, objective, open, face, bounds, &wanted),
                None => Ok(None),
            },
        };
        if !matches!(reply, Ok(None)) {
            for younger in &stale[k + 1..] {
                younger.store(true, Ordering::Release);
            }
        }
        copy.interrupt = base.interrupt.clone();
        Some((copy, reply))
    };
    let (first, (second, last)) = parallel::both(
        || opinion(0),
        || parallel::both(|| opinion(1), || opinion(2)),
    );
    for (copy, reply) in [first, second, last].into_iter().flatten() {
        program.absorb(copy, &mark);
        if let Some(reply) = reply? {
            return Ok(reply);
        }
    }
    Ok(Reply::None)
}

/// One of the first two opinions: a face portfolio that is wanted, "stopped", or none (`None`).
fn plain_opinion(
    program: &mut Program,
    objective: &[f64],
    extra: &Extra,
    bounds: &[Option<(f64, f64)>],
    wanted: &impl Fn(&[bool]) -> bool,
) -> Result<Option<Reply>> {
    Ok(match program.run(objective, true, extra, bounds)? {
        Answer::Optimal { x: y, .. } | Answer::Stopped { x: Some(y), .. }
            if wanted(&y) && on_face(program, bounds, &y) =>
        {
            Some(Reply::Found(y))
        }
        Answer::Optimal { .. } | Answer::Infeasible => None,
        Answer::Stopped { .. } => Some(Reply::Stopped),
    })
}

/// The third opinion's question where the face has a subsidy row of large coefficients: without
/// the row, the least subsidy sought by the objective and compared exactly, within
/// SECOND_LOOK_NODES nodes. With amounts of 1–3 million units HiGHS's cuts against that
/// near-equality row (slack ½ unit) emptied a face that held the answer at both tolerances
/// (tests/fixtures/adversarial/tie-break-block-millions.toml). Asked on every face it cost
/// linked 80 seed 7 (amounts of 1–30 units) 22.7 s -> 36.3 s unbounded, 29.8 s within the nodes.
fn third_opinion(program: &Program, face: &Extra) -> Option<Extra> {
    face.max_subsidy
        .filter(|_| large_amounts(program))
        .map(|_| Extra {
            max_subsidy: None,
            best_of: true,
            max_nodes: Some(SECOND_LOOK_NODES),
            ..face.clone()
        })
}

/// The third opinion (`third_opinion`'s question `open` of the `face`): a face portfolio within
/// the face's subsidy row that is wanted, "stopped" by the time limit, or none.
fn open_opinion(
    program: &mut Program,
    objective: &[f64],
    open: &Extra,
    face: &Extra,
    bounds: &[Option<(f64, f64)>],
    wanted: &impl Fn(&[bool]) -> bool,
) -> Result<Option<Reply>> {
    let most = face.max_subsidy.unwrap_or(i64::MAX);
    // An error here (HiGHS once called such a 0/1 program unbounded) leaves the first two.
    Ok(match program.run(objective, true, open, bounds) {
        Err(Error::Solver(_)) => None,
        Err(e) => return Err(e),
        Ok(Answer::Optimal { x: y, .. } | Answer::Stopped { x: Some(y), .. })
            if dot(&program.subsidy, &y) <= most && wanted(&y) && on_face(program, bounds, &y) =>
        {
            Some(Reply::Found(y))
        }
        Ok(Answer::Stopped { .. }) if program.deadline.is_some_and(|d| Instant::now() >= d) => {
            Some(Reply::Stopped)
        }
        Ok(Answer::Optimal { .. } | Answer::Infeasible | Answer::Stopped { .. }) => None,
    })
}

/// Whether `y` is a portfolio of the face, checked exactly: the round's rules (`verify`, which
/// holds every committee decision), the pins of reduced-cost fixing and the question's bounds.
/// The face's score and subsidy rows need no check here: `Program::call` sums every answer
/// against them exactly.
fn on_face(program: &Program, bounds: &[Option<(f64, f64)>], y: &[bool]) -> bool {
    let portfolio = Portfolio::new(program.scenario(), program.evaluation(), program.chosen(y));
    let pinned = program.pinned.iter().zip(y).all(|(pin, on)| !pin || *on);
    pinned
        && agrees(y, bounds)
        && verify(program.scenario(), program.evaluation(), &portfolio).is_ok()
}

/// Decodes, verifies and packages a portfolio.
fn finish(
    scenario: &Scenario,
    evaluation: &Evaluation,
    program: &Program,
    x: &[bool],
    status: Status,
    baseline: Option<Portfolio>,
) -> Result<Outcome> {
    let portfolio = Portfolio::new(scenario, evaluation, program.chosen(x));
    verify(scenario, evaluation, &portfolio).map_err(|why| {
        Error::Solver(format!(
            "the solver's portfolio failed exact verification: {why}"
        ))
    })?;
    let stats = Stats {
        candidates: evaluation.candidates.len(),
        columns: program.before_fixing,
        free: program.free_columns(),
        solver_calls: program.calls,
    };
    let proof = match status {
        Status::TimeLimit { .. } => Proof::None,
        Status::Optimal if program.mip_calls > 0 => Proof::Highs,
        Status::Optimal => Proof::Enumeration,
    };
    Ok(Outcome {
        status,
        proof,
        portfolio,
        baseline,
        stats,
        levels: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One pool of 100 and one round funding one project, at 100 % of its equipment: a project
    /// per amount, each scoring 70.
    fn one_slot(amounts: &[&str]) -> (Scenario, Evaluation) {
        let mut text = String::from(
            r#"
[[pools]]
id = "p"
budget = "100"
[[rounds]]
id = "r"
pool = "p"
max_projects = 1
[rounds.subsidy]
rate = "1"
investment = ["equipment"]
[scoring]
criteria = [{ id = "c", weight = "1", direction = "benefit", normalization = "as_is" }]
[applications]
"#,
        );
        for (i, amount) in amounts.iter().enumerate() {
            text += &format!(
                "[[applications.projects]]\nid = \"P{i}\"\nrounds = [\"r\"]\n\
                 equipment = \"{amount}\"\nscores = {{ c = \"70\" }}\n"
            );
        }
        let scenario = crate::scenario::from_toml_str(&text, "one-slot.toml").unwrap();
        let evaluation = crate::rules::evaluate(&scenario);
        (scenario, evaluation)
    }

    /// The program over every candidate.
    fn whole<'a>(scenario: &'a Scenario, evaluation: &'a Evaluation) -> Program<'a> {
        let list = std::sync::Arc::new(constraints::constraints(scenario, evaluation));
        let columns: Vec<usize> = (0..evaluation.candidates.len()).collect();
        Program::over(scenario, evaluation, columns, Vec::new(), list)
    }

    /// A least-subsidy answer HiGHS got wrong (it called the question infeasible) is asked again
    /// even where amounts are small: from the dearer of two portfolios of the best score,
    /// `cheaper` reaches the cheaper one only when the answer is doubted.
    #[test]
    fn a_doubted_least_subsidy_is_asked_again() {
        let (scenario, evaluation) = one_slot(&["30", "20"]);
        let mut program = whole(&scenario, &evaluation);
        assert_eq!(program.columns.len(), 2);
        assert!(!large_amounts(&program));
        let dearer = usize::from(program.subsidy[1] > program.subsidy[0]);
        let x: Vec<bool> = (0..2).map(|j| j == dearer).collect();
        let best = dot(&program.score, &x);
        let Least::Seen(trusted, least, seen) =
            cheaper(&mut program, best, x.clone(), false).unwrap()
        else {
            panic!("a trusted answer is not asked again");
        };
        assert_eq!(
            (trusted, least, seen),
            (x.clone(), program.subsidy[dearer], vec![])
        );
        let Least::Alone(y) = cheaper(&mut program, best, x, true).unwrap() else {
            panic!("the cheaper portfolio is the only one at its subsidy");
        };
        assert_eq!(dot(&program.subsidy, &y), program.subsidy[1 - dearer]);
        assert!(y[1 - dearer] && !y[dearer]);
    }

    /// Two portfolios tie at the least subsidy: `cheaper` reaches it, and hands the tie it saw
    /// to the tie-break instead of calling its portfolio the only one.
    #[test]
    fn a_cut_short_gap_is_within_0_and_1_and_never_negative_zero() {
        for (given, gap) in [(-0.0, 0.0), (-1e-12, 0.0), (0.25, 0.25), (1.5, 1.0)] {
            let Status::TimeLimit { gap: got } = Status::cut_short(given) else {
                unreachable!()
            };
            assert_eq!(got, gap);
            assert!(got.is_sign_positive(), "{given} gave {got}");
        }
    }

    #[test]
    fn a_tie_at_the_least_subsidy_is_handed_to_the_tie_break() {
        let (scenario, evaluation) = one_slot(&["30", "20", "20"]);
        let mut program = whole(&scenario, &evaluation);
        let dearest = (0..3).max_by_key(|&j| program.subsidy[j]).unwrap();
        let x: Vec<bool> = (0..3).map(|j| j == dearest).collect();
        let best = dot(&program.score, &x);
        let Least::Seen(y, least, seen) = cheaper(&mut program, best, x, true).unwrap() else {
            panic!("two portfolios reach the least subsidy");
        };
        assert_eq!(least, program.subsidy[dearest] * 2 / 3);
        assert!(!y[dearest]);
        assert_eq!(seen.len(), 1);
        assert_ne!(seen[0], y);
        assert_eq!(dot(&program.subsidy, &seen[0]), least);
    }
}
