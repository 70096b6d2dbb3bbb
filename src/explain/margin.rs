//! Margins: how far one number of a project would have to move for its decision to flip, found
//! exactly by re-solving the integer program on a what-if evaluation and bisecting on that one
//! number. Scores move in units of 1e-4 points (the precision they are rounded to) and money in
//! whole yuan (or fen when some amount is not whole yuan), so bisection over integers lands on the
//! threshold itself, not near it.
//!
//! # Why bisection is valid: the decision is monotone in the project's own numbers
//!
//! The solver returns the best portfolio under a strict total order: higher total score, then
//! less total subsidy, then the portfolio funding the earliest (project, round) in which two
//! portfolios differ. Take project p and let P* be the optimum.
//!
//! * **Score, raised** (every candidate of p by the same δ — the planner asks about the project,
//!   and p is funded at most once, so δ enters any portfolio at most once): if P* funds p at δ,
//!   then at any δ' > δ every portfolio funding p gains δ' − δ > 0 while every portfolio without p
//!   keeps its score, which was ≤ score(P*) at δ. So P* now scores strictly more than every
//!   portfolio without p, and the optimum at δ' funds p. A strict gain: ties cannot undo it.
//!   Raising the score may also admit p to a round whose qualifying score it missed; that only
//!   adds portfolios funding p, and the argument holds unchanged.
//! * **Score, lowered**: the mirror image. If the optimum Q at δ leaves p out, lowering p further
//!   makes every portfolio funding p strictly worse (or, below a qualifying score, impossible),
//!   while Q and its rivals without p are unchanged; so Q stays ahead of all of them.
//! * **Subsidy of one candidate c = (p, r)**, lowered: if P* funds c, a lower amount leaves every
//!   portfolio without c unchanged and makes every portfolio with c cheaper (so still feasible and
//!   at least as good on the second key, the third key unchanged). Every portfolio without c lost to
//!   P* before and still does, so the optimum funds c. Raised: the mirror image — an optimum that
//!   leaves c out stays the optimum. Not where c's round has a floor on its money: a cheaper c
//!   can make a portfolio miss it, so those rounds have no subsidy margin.
//!
//! Hence "funded" is a monotone step function of the moved number, with the deterministic
//! tie-break included (ties are resolved the same way at every probe, and the arguments above
//! never need strictness beyond what they prove). A margin is the exact step: the least change
//! that flips the decision (scores), or the largest amount at which the candidate is still funded
//! (subsidies). A what-if whose locks can no longer hold (a locked or required project priced out)
//! counts as "not flipped": that only happens when no portfolio without the project is feasible,
//! for every value of the number, so monotonicity is kept.

//!
//! # The score margin without bisection: one identity
//!
//! Under the plain objective (the total score), raising project p's score by δ in every round
//! adds δ to every portfolio that funds p and changes no other portfolio, and it changes no
//! constraint (unless it crosses a qualifying score, below; floors on a round's total score
//! exist only in round priority's levels). Let W be the best total of a portfolio without p and
//! B the best total of one with p (the best over its rounds of the optimum with the pair locked
//! in: its price of inclusion). The order among portfolios funding p does not change with δ
//! (each moves by δ), nor among those without it, so each side's best portfolio stays the same.
//!
//! * **p unfunded** (so W is the optimum's total, with no solve): at δ the best with p scores
//!   B + δ. For δ < W − B it loses on the score, for δ > W − B it wins on the score, and at
//!   δ = W − B the two tie on the score and the tie-break decides — on their subsidies and pairs,
//!   which δ does not change, so it is decided by comparing the two portfolios, with no solve.
//!   The margin is W − B when the best with p wins that tie, else one unit more (one unit when
//!   W = B: the optimum won that tie already).
//! * **p funded** (so B is the optimum's total): lowering p by δ, the best without p (W, one
//!   solve with p excluded) wins for δ > B − W and loses for δ < B − W; at δ = B − W the
//!   tie-break between the two decides, again with no solve.
//!
//! Qualifying scores only cut the moved range into pieces, round by round. Raised, p becomes a
//! candidate in a round r it misses at the rise d_r that reaches the round's qualifying score
//! (0 where it is one), and from there the best portfolio funding it in r, P_r (one solve at
//! d_r, with the pair locked in), moves one for one; so r funds p from max(d_r, the tie above)
//! on, and the margin is the least over the rounds. Lowered, p stays a candidate in r until its
//! score passes below the round's qualifying score, and stays funded while some round still
//! holds it and its P_r still beats the best without p: the margin is one unit past the last
//! such fall over the rounds. Only under the round-priority objective (whose levels are not one
//! sum) is the margin found by the bisection below.
//!
//! # The subsidy margin: one question near the threshold
//!
//! Under the plain objective, let W be the best total of a portfolio without candidate c (its
//! amount a changes no such portfolio). A portfolio Q funding c fits exactly while a is at most
//! room(Q), its pool's capacity less the money Q's other candidates there use, and its score does
//! not depend on a. So the largest amount at which some portfolio funding c beats W on the score
//! is the largest room(Q) over the portfolios Q funding c that score at least W + 1 unit: one
//! question, the least money of c's pool among them (`whatif::most_room`,
//! `solve::least_pool_money`), asked at an amount where such a Q fits. Above that amount only a
//! tie on the score can fund c, so one probe one money step above settles the threshold (or, if
//! it funds c, the bisection goes on from there). The question returns the frontier of score and
//! money, so the optimum at the threshold is read from it, with no solve.
//!
//! Where the question is asked matters only for its cost, which grows steeply with how far the
//! floor lies below the relaxation's bound. The bound falls with the amount along the pool row's
//! dual (fixed duals bound every right-hand side), and the best total lies below it by a gap
//! that changes little with the amount on a large round. So the question is asked first where
//! the bound lies that gap above the floor, the gap read where the best total with c is known
//! (the optimum, for a funded c; its price of inclusion, for an unfunded one); a question
//! answered empty there says the threshold is lower, and the next is asked with the gap grown by
//! 1/8, 1/4, 1/2 … (`Base::outscoring`). Its answer is exact wherever it is asked. Only when a
//! dozen questions do not settle it are probes placed by a secant on the funded optima's scores,
//! each a solve at its amount, and the question asked again from a funded probe whose optimum
//! scores close above W. Where c's round has a floor on its money, a larger amount also helps
//! meet the floor, so other portfolios funding c may fit, and win, further up: the amounts that
//! fund c need not form one range, and no subsidy margin is given (`Never::MoneyFloor`).
//! `tests/integration/explain.rs` checks every margin against brute force on random rounds, and
//! `tests/integration/room.rs` the question.

use super::whatif::{self, Pair};
use crate::error::Result;
use crate::rules::{Evaluation, Locked, Reason};
use crate::scenario::{Lock, Money, Scenario};
use crate::solve::{capacity, Options, Room};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// Questions [`Base::outscoring`] asks before it leaves the threshold to probes.
const ASKS: usize = 12;

/// Why no change of the number flips the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Never {
    /// Eligible for no round at any score: it fails a condition other than the qualifying score.
    Ineligible,
    /// The committee excluded the project.
    Excluded,
    /// No portfolio funding it meets the limits, at any score (e.g. its subsidy alone exceeds what
    /// its pools can pay, or a committee decision or dependency keeps it out).
    NoRoom,
    /// Even at the smallest amount (one unit of money) it is not funded: what keeps it out is
    /// not money.
    NotMoney,
    /// It stays funded whatever the change: a committee lock (or a locked project requiring it)
    /// holds it, or no other use of the money beats it.
    Held,
    /// No subsidy margin: its round has a floor on its money (`min_amount`), which a larger
    /// amount helps meet, so the amounts that fund it need not form one range and no bisection
    /// or single question finds the largest (an independent cross-check found thresholds below
    /// amounts that fund it, and "no amount" where one does).
    MoneyFloor,
}

/// Where a decision flips, and what the portfolio looks like on the other side.
#[derive(Debug, Clone, PartialEq)]
pub struct Flip {
    /// The threshold, in the margin's own unit (score units of 1e-4 points, or fen).
    pub threshold: i64,
    /// Pairs funded on the other side that the current portfolio does not fund.
    pub enters: Vec<Pair>,
    /// Pairs the current portfolio funds that are not funded on the other side.
    pub leaves: Vec<Pair>,
}

/// A margin: the flip, or why there is none.
pub type Margin = std::result::Result<Flip, Never>;

/// The portfolio change between the current pairs and `other`.
fn flip(threshold: i64, base: &BTreeSet<Pair>, other: &BTreeSet<Pair>) -> Flip {
    Flip {
        threshold,
        enters: other.difference(base).copied().collect(),
        leaves: base.difference(other).copied().collect(),
    }
}

/// The least `k` in `lo..=hi` at which `test` holds, given that it holds at `hi` (with `at_hi`
/// its result there) and is monotone; with the pairs found at that `k`.
fn least<F>(
    mut lo: i64,
    mut hi: i64,
    at_hi: BTreeSet<Pair>,
    mut test: F,
) -> Result<(i64, BTreeSet<Pair>)>
where
    F: FnMut(i64) -> Result<Option<BTreeSet<Pair>>>,
{
    let mut best = at_hi;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match test(mid)? {
            Some(found) => {
                hi = mid;
                best = found;
            }
            None => lo = mid + 1,
        }
    }
    Ok((hi, best))
}

/// [`least`], started from a guess: probe it, then gallop (steps 1, 2, 4 …) towards the side the
/// threshold lies on, then bisect what is left. A good guess costs two probes; a bad one costs at
/// most about twice plain bisection. The guess only orders the probes: the answer is the same.
fn least_near<F>(
    mut lo: i64,
    mut hi: i64,
    at_hi: BTreeSet<Pair>,
    guess: Option<i64>,
    mut test: F,
) -> Result<(i64, BTreeSet<Pair>)>
where
    F: FnMut(i64) -> Result<Option<BTreeSet<Pair>>>,
{
    let mut best = at_hi;
    if let Some(g) = guess.filter(|g| (lo..hi).contains(g)) {
        let mut step = 1;
        match test(g)? {
            Some(found) => {
                (hi, best) = (g, found);
                while hi - step >= lo {
                    match test(hi - step)? {
                        Some(found) => (hi, best, step) = (hi - step, found, step * 2),
                        None => {
                            lo = hi - step + 1;
                            break;
                        }
                    }
                }
            }
            None => {
                lo = g + 1;
                while lo < hi {
                    let probe = (lo + step - 1).min(hi - 1);
                    match test(probe)? {
                        Some(found) => {
                            (hi, best) = (probe, found);
                            break;
                        }
                        None => (lo, step) = (probe + 1, step * 2),
                    }
                }
            }
        }
    }
    least(lo, hi, best, test)
}

/// Optima of what-ifs already proven, shared by the margins of one optimum: a score margin needs
/// the best portfolio funding the project (the price of inclusion's solves, which an explanation
/// or a report may have made already) and the best without it, each once. They are proven
/// optima, so which margin finds one first changes no answer.
#[derive(Debug, Default)]
pub struct Known {
    /// The optimum with the (project, round) pair locked in; `None`: no portfolio funds it.
    with: Mutex<BTreeMap<Pair, Option<BTreeSet<Pair>>>>,
    /// The optimum with the project excluded; `None`: no portfolio leaves it out.
    without: Mutex<BTreeMap<usize, Option<BTreeSet<Pair>>>>,
}

impl Known {
    /// Records the optimum with `pair` locked in.
    pub fn with(&self, pair: Pair, optimum: Option<BTreeSet<Pair>>) {
        lock(&self.with).insert(pair, optimum);
    }
}

/// The map behind a mutex; a panic elsewhere cannot leave a proven value half-written, so a
/// poisoned lock is still read.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The optimum `map` holds for `key`, or `solve`'s, then held there. Two margins asking at once
/// may both solve it: the same proven optimum either way.
fn remembered<K: Ord>(
    map: &Mutex<BTreeMap<K, Option<BTreeSet<Pair>>>>,
    key: K,
    solve: impl FnOnce() -> Result<Option<BTreeSet<Pair>>>,
) -> Result<Option<BTreeSet<Pair>>> {
    if let Some(known) = lock(map).get(&key) {
        return Ok(known.clone());
    }
    let optimum = solve()?;
    lock(map).insert(key, optimum.clone());
    Ok(optimum)
}

/// What margins are computed against: the scenario, its evaluation and the current portfolio.
pub struct Base<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its evaluation.
    pub evaluation: &'a Evaluation,
    /// Solver options for every what-if.
    pub options: &'a Options,
    /// The optimal portfolio's pairs.
    pub pairs: BTreeSet<Pair>,
    /// Money resolution in fen: 100 (whole yuan) when every amount is whole yuan, else 1.
    pub money_step: i64,
    /// The optimal portfolio's total score.
    pub optimum: Decimal,
    /// Optima of what-ifs proven so far.
    pub known: &'a Known,
}

impl Base<'_> {
    /// A score change large enough to decide any comparison: the optimum's total score plus the
    /// size of every negative score, plus one unit. Portfolios without the project keep their
    /// scores (at most the optimum; at least minus the negative sizes), so moved this far, a
    /// portfolio funding the project beats (raised) or loses to (lowered) every one without it
    /// whenever one of each kind is feasible. A rise must in addition reach the qualifying
    /// scores the project misses (see [`Base::admission`]); this bound alone does not.
    fn score_bound(&self) -> i64 {
        let unit = whatif::score_unit();
        let negative: Decimal = self
            .evaluation
            .assessments
            .iter()
            .filter_map(|a| a.score)
            .filter(|s| s.is_sign_negative())
            .map(|s| -s)
            .sum();
        let total = self.optimum.max(Decimal::ZERO) + negative;
        let units = (total / unit).ceil().to_i64().unwrap_or(i64::MAX / 4);
        units.saturating_add(1)
    }

    /// One unit more than the project's largest score in any round (units of 1e-4 points; 1
    /// where none is positive).
    fn largest_score(evaluation: &Evaluation, project: usize) -> i64 {
        let unit = whatif::score_unit();
        let largest = evaluation
            .candidates
            .iter()
            .filter(|c| c.project == project)
            .map(|c| c.score)
            .fold(Decimal::ZERO, Decimal::max);
        (largest / unit)
            .ceil()
            .to_i64()
            .unwrap_or(i64::MAX / 4)
            .saturating_add(1)
    }

    /// Where the score margin should be, to start the search: the best total without the project
    /// (W, fixed whatever its score) against the best total funding it (B, which moves one for one
    /// with its score); the flip is at |W − B| or one unit later (the tie-break decides a tie).
    /// Qualifying scores can move it, which the search absorbs.
    fn score_guess(&self, project: usize) -> Result<Option<i64>> {
        let (Some(without), Some(with)) = (self.best_without(project)?, self.best_with(project)?)
        else {
            return Ok(None);
        };
        let e = self.evaluation;
        Ok(Some(
            (whatif::score_units_of(e, &without) - whatif::score_units_of(e, &with))
                .abs()
                .max(1),
        ))
    }

    /// The best portfolio without `project` (its pairs), or `None` when none is feasible. One
    /// solve, or none when the optimum already leaves the project out.
    pub(super) fn best_without(&self, project: usize) -> Result<Option<BTreeSet<Pair>>> {
        if !Self::funded_project(&self.pairs, project) {
            return Ok(Some(self.pairs.clone()));
        }
        remembered(&self.known.without, project, || {
            let (s, e) = (self.scenario, self.evaluation);
            let (s1, e1) =
                whatif::with_decisions(s, e, &BTreeSet::from([project]), &BTreeSet::new());
            whatif::solve_pairs(&s1, &e1, self.options)
        })
    }

    /// The best portfolio funding `project` (its pairs) in the solver's order, or `None` when
    /// none is feasible: the best of [`Base::best_with_pair`] over the rounds it is a candidate in.
    fn best_with(&self, project: usize) -> Result<Option<BTreeSet<Pair>>> {
        let e = self.evaluation;
        if Self::funded_project(&self.pairs, project) {
            return Ok(Some(self.pairs.clone()));
        }
        let mut best: Option<BTreeSet<Pair>> = None;
        for c in e.candidates.iter().filter(|c| c.project == project) {
            if let Some(with) = self.best_with_pair((project, c.round))? {
                if best
                    .as_ref()
                    .is_none_or(|b| whatif::solver_order(e, &with, b).is_lt())
                {
                    best = Some(with);
                }
            }
        }
        Ok(best)
    }

    /// The best portfolio funding the candidate `pair` (the optimum when it funds it; else one
    /// solve with the pair locked in, unless known), or `None` when none is feasible.
    pub(super) fn best_with_pair(&self, pair: Pair) -> Result<Option<BTreeSet<Pair>>> {
        if self.pairs.contains(&pair) {
            return Ok(Some(self.pairs.clone()));
        }
        remembered(&self.known.with, pair, || {
            let (s, e) = (self.scenario, self.evaluation);
            let (s2, e2) = whatif::with_decisions(s, e, &BTreeSet::new(), &BTreeSet::from([pair]));
            whatif::solve_pairs(&s2, &e2, self.options)
        })
    }

    /// The least rise (units) that funds the unfunded `project`, by the identity, round by round
    /// (see the module documentation): in each round r it can enter — now, or once the rise `d`
    /// reaches its qualifying score — the best portfolio funding it there, P_r (found at `d`),
    /// moves one for one with the rise from then on, and wins once it passes the optimum, or
    /// ties with it and wins the tie-break. One solve per round it enters only by the rise (the
    /// rounds it is a candidate in are the prices' solves).
    fn rise_by_rounds(&self, project: usize) -> Result<Margin> {
        let (s, e) = (self.scenario, self.evaluation);
        let w = whatif::score_units_of(e, &self.pairs);
        // Per round: the rise from which it is a candidate there.
        let mut entries: Vec<(i64, usize)> = e
            .assessments
            .iter()
            .filter(|a| a.project == project)
            .filter_map(|a| Some((Self::admission_to(a)?, a.round)))
            .collect();
        entries.sort_unstable();
        // The least rise so far, and the portfolio that wins there.
        let mut first: Option<(i64, BTreeSet<Pair>)> = None;
        for (d, round) in entries {
            if first.as_ref().is_some_and(|(at, _)| d > *at) {
                break;
            }
            // The best funding it there, and the evaluation at the rise (its scores and amounts,
            // which are all the comparisons below read).
            let (with, shifted) = if d == 0 {
                (self.best_with_pair((project, round))?, Cow::Borrowed(e))
            } else {
                // Locked in the scenario before the shift, so the candidate the rise admits is
                // admitted locked.
                let mut s2 = s.clone();
                s2.committee.must_fund.push(Lock { project, round });
                let e2 = whatif::with_score_shift(&s2, e, project, d);
                (whatif::solve_pairs(&s2, &e2, self.options)?, Cow::Owned(e2))
            };
            let Some(with) = with else { continue };
            // Its total before the rise (the rise moves it one for one).
            let b = whatif::score_units_of(&shifted, &with) - d;
            let at = if d > w - b {
                d
            } else if whatif::tie_break(&shifted, &with, &self.pairs).is_lt() {
                w - b
            } else {
                w - b + 1
            }
            .max(1);
            // At the same rise, the better of the two in the solver's order there.
            let better = first.as_ref().is_none_or(|(a, other)| {
                at < *a
                    || (at == *a
                        && whatif::solver_order(
                            &whatif::with_score_shift(s, e, project, at),
                            &with,
                            other,
                        )
                        .is_lt())
            });
            if better {
                first = Some((at, with));
            }
        }
        Ok(match first {
            Some((at, with)) => Ok(flip(at, &self.pairs, &with)),
            None => Err(Never::NoRoom),
        })
    }

    /// The least fall (units) that unfunds the funded `project`, by the identity, round by round:
    /// it stays funded while, in some round r it is still a candidate in (its score at or above
    /// the qualifying score), the best portfolio funding it there, P_r, moved down by the fall,
    /// still beats the best portfolio without it. The rounds other than the one it is funded in
    /// are solved only where the qualifying score would take it out of that one first.
    fn fall_by_rounds(&self, project: usize) -> Result<Margin> {
        let e = self.evaluation;
        let Some(without) = self.best_without(project)? else {
            return Ok(Err(Never::Held));
        };
        let w = whatif::score_units_of(e, &without);
        let unit = whatif::score_unit();
        // Per round it is a candidate in: the largest fall at which it still is one.
        let mut rounds: Vec<(bool, usize, i64)> = e
            .candidates
            .iter()
            .filter(|c| c.project == project)
            .map(|c| {
                let stays = self.scenario.rounds[c.round].eligibility.min_score.map_or(
                    i64::MAX / 4,
                    |min| {
                        ((c.score - min) / unit)
                            .floor()
                            .to_i64()
                            .unwrap_or(i64::MAX / 4)
                    },
                );
                (!self.pairs.contains(&(project, c.round)), c.round, stays)
            })
            .collect();
        // The funded round first: no other round's best beats the optimum.
        rounds.sort_unstable();
        let mut held = 0;
        for (other, round, stays) in rounds {
            if other && stays <= held {
                continue;
            }
            let Some(with) = self.best_with_pair((project, round))? else {
                continue;
            };
            let b = whatif::score_units_of(e, &with);
            let wins = if whatif::tie_break(e, &with, &without).is_lt() {
                b - w
            } else {
                b - w - 1
            };
            held = held.max(stays.min(wins));
        }
        Ok(Ok(flip(held + 1, &self.pairs, &without)))
    }

    /// The rise (in units) that admits `project` to every round it is eligible for at some
    /// score: zero when it is already a candidate everywhere it could be, and `None` when every
    /// round it entered fails a condition other than the qualifying score (no rise helps).
    fn admission(evaluation: &Evaluation, project: usize) -> Option<i64> {
        evaluation
            .assessments
            .iter()
            .filter(|a| a.project == project)
            .filter_map(Self::admission_to)
            .max()
    }

    /// The rise (in units) from which an assessment's project is a candidate in its round: zero
    /// when it is one, `None` when the round fails it on more than the qualifying score.
    fn admission_to(a: &crate::rules::Assessment) -> Option<i64> {
        let unit = whatif::score_unit();
        let score = a.score?;
        let mut gap = 0;
        for r in &a.reasons {
            let Reason::BelowQualifyingScore { min, .. } = r else {
                return None;
            };
            gap = ((*min - score) / unit)
                .ceil()
                .to_i64()
                .unwrap_or(i64::MAX / 4)
                .max(gap);
        }
        Some(gap)
    }

    /// Whether `pairs` fund `project` in some round.
    pub(super) fn funded_project(pairs: &BTreeSet<Pair>, project: usize) -> bool {
        pairs.iter().any(|&(p, _)| p == project)
    }

    /// The project-level score margin of `project`: for an unfunded project the least raise that
    /// funds it, for a funded one the least fall that unfunds it (both in units of 1e-4 points).
    pub fn score_margin(&self, project: usize) -> Result<Margin> {
        let (s, e) = (self.scenario, self.evaluation);
        let funded = Self::funded_project(&self.pairs, project);
        let solve_at = |shift: i64| -> Result<Option<BTreeSet<Pair>>> {
            let what_if = whatif::with_score_shift(s, e, project, shift);
            whatif::solve_pairs(s, &what_if, self.options)
        };
        let bound = self.score_bound();
        if !funded {
            if s.committee.exclude.contains(&project) {
                return Ok(Err(Never::Excluded));
            }
            let Some(admission) = Self::admission(e, project) else {
                return Ok(Err(Never::Ineligible));
            };
            // The rise must also reach every qualifying score the project misses: the
            // comparison bound alone is too small when the optimum's total is below the gap
            // (e.g. an empty portfolio).
            let bound = bound.max(admission);
            let test = |shift: i64| -> Result<Option<BTreeSet<Pair>>> {
                Ok(solve_at(shift)?.filter(|p| Self::funded_project(p, project)))
            };
            if s.objective == crate::scenario::Objective::TotalScore {
                return self.rise_by_rounds(project);
            }
            let Some(at_bound) = test(bound)? else {
                return Ok(Err(Never::NoRoom));
            };
            let guess = self.score_guess(project)?;
            let (k, pairs) = least_near(1, bound, at_bound, guess, test)?;
            Ok(Ok(flip(k, &self.pairs, &pairs)))
        } else {
            let locked = e
                .candidates
                .iter()
                .any(|c| c.project == project && c.locked == Some(Locked::In));
            if locked {
                return Ok(Err(Never::Held));
            }
            let test = |fall: i64| -> Result<Option<BTreeSet<Pair>>> {
                Ok(solve_at(-fall)?.filter(|p| !Self::funded_project(p, project)))
            };
            if s.objective == crate::scenario::Objective::TotalScore {
                return self.fall_by_rounds(project);
            }
            // Under round priority the optimum's total is no bound on what other portfolios
            // score: a fall past it left a project funded in another round, where its score
            // still lifted the level (tests/xcheck: funded in r1 at 52.3333, in r0 at 85.6667,
            // "held"). Past its largest score every portfolio funding it does better without it,
            // where that one is allowed.
            let bound = bound.max(Self::largest_score(e, project));
            let Some(at_bound) = test(bound)? else {
                return Ok(Err(Never::Held));
            };
            let guess = self.score_guess(project)?;
            let (k, pairs) = least_near(1, bound, at_bound, guess, test)?;
            Ok(Ok(flip(k, &self.pairs, &pairs)))
        }
    }

    /// The subsidy margin of candidate `c`, in fen: for an unfunded candidate the largest amount
    /// at which it would be funded (at its own score), for the funded one the largest amount at
    /// which it stays funded in its round. The flip's pairs are those of the portfolio just on the
    /// other side: at that amount (unfunded), one money step above it (funded).
    pub fn subsidy_margin(&self, c: usize) -> Result<Margin> {
        let (s, e) = (self.scenario, self.evaluation);
        let cand = &e.candidates[c];
        let pair = (cand.project, cand.round);
        let step = self.money_step;
        let current = cand.subsidy.fen();
        let solve_at = |fen: i64| -> Result<Option<BTreeSet<Pair>>> {
            whatif::solve_pairs(s, &self.at_fen(c, fen), self.options)
        };
        // With the best portfolio without c known (`rival`: its amount does not change it), a
        // probe asks only whether the best with c beats it (under the plain total; round
        // priority's order is not one sum, and is solved whole).
        let beats_at = |fen: i64, rival: &BTreeSet<Pair>| -> Result<Option<BTreeSet<Pair>>> {
            if s.objective != crate::scenario::Objective::TotalScore {
                return solve_at(fen);
            }
            whatif::beats(s, &self.at_fen(c, fen), pair, rival, self.options).map(Some)
        };
        if cand.locked == Some(Locked::Out) {
            return Ok(Err(Never::Excluded));
        }
        // A lock holds whatever the amount, floor on the round's money or not.
        if cand.locked == Some(Locked::In) && self.pairs.contains(&pair) {
            return Ok(Err(Never::Held));
        }
        if s.rounds[cand.round].min_amount.is_some() {
            return Ok(Err(Never::MoneyFloor));
        }
        if !self.pairs.contains(&pair) {
            // Lower the amount by k steps; the least k that funds it gives the largest amount.
            let most = (current - 1) / step;
            if most < 1 {
                return Ok(Err(Never::NotMoney));
            }
            // Without c nothing changes with its amount: the best without it is the optimum.
            let rival = &self.pairs;
            let without = whatif::score_units_of(e, rival);
            let lowest = current - most * step;
            // Where a portfolio funding c outscores the optimum, asked directly; the best with
            // it at its own amount (a price of inclusion, when found already) says how far.
            let known = lock(&self.known.with)
                .get(&pair)
                .cloned()
                .flatten()
                .map(|p| (current, whatif::score_units_of(e, &p)));
            if let Some(t) = self.outscoring(c, lowest, current, without, known)? {
                let (amount, pairs, _) =
                    self.largest_funded(c, t, (current, rival.clone()), without, true, |fen| {
                        beats_at(fen, rival)
                    })?;
                return Ok(Ok(flip(amount, &self.pairs, &pairs)));
            }
            let Some(at_most) =
                beats_at(current - most * step, rival)?.filter(|p| p.contains(&pair))
            else {
                return Ok(Err(Never::NotMoney));
            };
            let (amount, pairs, _) = self.largest_funded(
                c,
                (lowest, at_most),
                (current, rival.clone()),
                without,
                false,
                |fen| beats_at(fen, rival),
            )?;
            Ok(Ok(flip(amount, &self.pairs, &pairs)))
        } else {
            // Raise it by k steps; above the pool's capacity it cannot be funded in this round.
            let cap = (capacity(s, s.rounds[cand.round].pool) * Decimal::ONE_HUNDRED)
                .floor()
                .to_i64()
                .unwrap_or(i64::MAX / 4);
            let most = (cap - current).max(0) / step + 1;
            // There the optimum is the best portfolio without c: for a project entered in this
            // round alone, the best without the project, which its score margin needs too.
            let alone = e.candidates.iter().filter(|x| x.project == pair.0).count() == 1;
            let at_most = if alone {
                self.best_without(pair.0)?
            } else {
                solve_at(current + most * step)?
            };
            let Some(at_most) = at_most.filter(|p| !p.contains(&pair)) else {
                return Ok(Err(Never::Held));
            };
            // Above the pool's capacity no portfolio funds c: that optimum is the best without it.
            let without = whatif::score_units_of(e, &at_most);
            let hi = current + most * step;
            let known = Some((current, whatif::score_units_of(e, &self.pairs)));
            let (funded, settled) = match self.outscoring(c, current, hi, without, known)? {
                Some(t) => (t, true),
                None => ((current, self.pairs.clone()), false),
            };
            let (amount, _, above) =
                self.largest_funded(c, funded, (hi, at_most.clone()), without, settled, |fen| {
                    beats_at(fen, &at_most)
                })?;
            // The flip's pairs are those one step above: where it is no longer funded.
            Ok(Ok(flip(amount, &self.pairs, &above)))
        }
    }

    /// The largest amount (fen, on the money grid from `funded.0`) below `unfunded.0` at which
    /// candidate `c` is funded, the optimum there, and the optimum one money step above (where it
    /// is not). `funded` and `unfunded` are an amount where it is and one where it is not, each
    /// with the optimum there; `without` is the best total (units) of a portfolio without `c`
    /// (which its amount does not change).
    ///
    /// Bisection, with a jump that needs no solve: an optimum P funding `c` at amount `a` whose
    /// total beats `without` stays the optimum up to `a` plus its pool's slack in P. Raising the
    /// amount changes no portfolio without `c`, keeps P feasible until its pool is full, keeps
    /// P's total, and moves every portfolio with `c` by the same money (so P stays first among
    /// them); so P beats every portfolio without `c` on the score, and every other with `c` in
    /// the tie-break order. Only under the plain objective (round priority is lexicographic).
    fn largest_funded<F>(
        &self,
        c: usize,
        funded: (i64, BTreeSet<Pair>),
        unfunded: (i64, BTreeSet<Pair>),
        without: i64,
        settled: bool,
        solve_at: F,
    ) -> Result<(i64, BTreeSet<Pair>, BTreeSet<Pair>)>
    where
        F: Fn(i64) -> Result<Option<BTreeSet<Pair>>>,
    {
        let (s, e) = (self.scenario, self.evaluation);
        let cand = &e.candidates[c];
        let pair = (cand.project, cand.round);
        let step = self.money_step;
        let (mut lo, mut at_lo) = funded;
        let (mut hi, mut at_hi) = unfunded;
        let pool_only = self.pool_only(c);
        let slack = |a: i64, p: &BTreeSet<Pair>| self.slack(c, a, p, without);
        let floor = without.saturating_add(1);
        // The amount and score of the funded optimum before `at_lo`, for the secant below.
        let mut before: Option<(i64, i64)> = None;
        // Where the question has been asked (`lo`, when it was), how far it found the optimum
        // there below the relaxation's bound when too far (see below), and whether the last
        // probe placed by the secant found c unfunded (the next is then placed by halving).
        let mut asked = settled.then_some(lo);
        let mut far: Option<i64> = None;
        let mut overshot = false;
        let mut first = settled.then_some(lo + step);
        while hi - lo > step {
            if let Some(room) = slack(lo, &at_lo) {
                let reach = lo + room / step * step;
                if reach > lo {
                    lo = reach.min(hi - step);
                    if lo + step >= hi {
                        break;
                    }
                }
            }
            let reached = whatif::score_units_of(e, &at_lo);
            // Asked once per funded amount: settled there when the floor is near enough (see
            // `solve::least_pool_money`), the threshold of a portfolio beating `without` on the
            // score is exact, and only a tie on the score can fund c above it: the next probe,
            // one step above, decides.
            let mut next = first.take().filter(|&a| a < hi);
            if pool_only && reached > without && asked != Some(lo) {
                asked = Some(lo);
                let at = self.at_fen(c, lo);
                match whatif::most_room(s, &at, pair, floor, reached, self.options)?.0 {
                    Room::At(frontier) => {
                        far = None;
                        if let Some((reach, best)) = self.reach_of(c, lo, hi, without, frontier) {
                            (lo, at_lo) = (reach, best);
                            if hi - lo <= step {
                                break;
                            }
                            next = Some(lo + step);
                        }
                    }
                    Room::Far { known } if known > 0 => far = Some(known),
                    _ => far = None,
                }
            }
            let halfway = (lo + (hi - lo) / step / 2 * step).max(lo + step);
            // Where the question was too far (`known`: how far below the relaxation's bound
            // the optimum at `lo` lies), the probe aims where it is not. The best score with c
            // falls nearly linearly in its amount on a large round: on the line through the last
            // two funded optima, the probe goes to where the score lies a quarter of `known`
            // above the floor (half of it made the question dearer, seven eighths of the way to
            // the floor took a probe more). Where the relaxation is whole at `lo` (`known` 0;
            // small rounds), no amount makes the question near, and the probes halve the range.
            let secant = before
                .zip(far)
                .filter(|_| next.is_none())
                .filter(|&((a, s0), _)| !overshot && s0 > reached && a < lo)
                .map(|((a, s0), known)| {
                    let excess = i128::from(reached - floor) - i128::from(known / 4);
                    let run = excess.max(0) * i128::from(lo - a) / i128::from(s0 - reached);
                    let steps = i64::try_from(run / i128::from(step)).unwrap_or(i64::MAX);
                    lo.saturating_add(steps.saturating_mul(step))
                        .clamp(lo + step, hi - step)
                });
            let mid = next.or(secant).unwrap_or(halfway);
            match solve_at(mid)? {
                Some(found) if found.contains(&pair) => {
                    before = Some((lo, whatif::score_units_of(e, &at_lo)));
                    overshot = false;
                    (lo, at_lo) = (mid, found);
                }
                Some(found) => {
                    overshot = secant.is_some();
                    (hi, at_hi) = (mid, found);
                }
                // Never: the portfolios without c do not depend on its amount, and one is feasible.
                None => {
                    overshot = secant.is_some();
                    hi = mid;
                }
            }
        }
        Ok((lo, at_lo, at_hi))
    }

    /// The evaluation with candidate `c`'s amount set to `fen`.
    fn at_fen(&self, c: usize, fen: i64) -> Evaluation {
        whatif::with_subsidy(self.evaluation, c, Money::from_yuan(Decimal::new(fen, 2)))
    }

    /// Whether candidate `c`'s amount enters no row but its pool's, under the plain total (a
    /// round with a floor on its money has no subsidy margin: `Never::MoneyFloor`).
    fn pool_only(&self, c: usize) -> bool {
        debug_assert!(self.scenario.rounds[self.evaluation.candidates[c].round]
            .min_amount
            .is_none());
        self.scenario.objective == crate::scenario::Objective::TotalScore
    }

    /// The money `p` leaves in candidate `c`'s pool with `c` at amount `a`, in fen; `None` where
    /// `p` does not outscore `without` (the best total without `c`, in units) or the amount
    /// enters more rows than the pool's (see [`Base::pool_only`]).
    fn slack(&self, c: usize, a: i64, p: &BTreeSet<Pair>, without: i64) -> Option<i64> {
        let (s, e) = (self.scenario, self.evaluation);
        if !self.pool_only(c) || whatif::score_units_of(e, p) <= without {
            return None;
        }
        let cand = &e.candidates[c];
        let pool = s.rounds[cand.round].pool;
        let used: Decimal = e
            .candidates
            .iter()
            .filter(|x| s.rounds[x.round].pool == pool && p.contains(&(x.project, x.round)))
            .map(|x| {
                if (x.project, x.round) == (cand.project, cand.round) {
                    Decimal::new(a, 2)
                } else {
                    x.subsidy.yuan()
                }
            })
            .sum();
        ((capacity(s, pool) - used) * Decimal::ONE_HUNDRED)
            .floor()
            .to_i64()
    }

    /// From the frontier of a question asked with `c` at amount `lo` (below `hi`, where `c` is
    /// not funded): the largest amount on the grid at which its portfolio of least money fits,
    /// and the optimum there — the first in the solver's order of the frontier's portfolios that
    /// fit (each outscores every portfolio without `c`).
    fn reach_of(
        &self,
        c: usize,
        lo: i64,
        hi: i64,
        without: i64,
        frontier: Vec<BTreeSet<Pair>>,
    ) -> Option<(i64, BTreeSet<Pair>)> {
        let step = self.money_step;
        let room = frontier
            .first()
            .and_then(|q| self.slack(c, lo, q, without))?;
        let reach = (lo + room / step * step).min(hi - step);
        let best = frontier
            .into_iter()
            .filter(|q| {
                self.slack(c, lo, q, without)
                    .is_some_and(|r| lo + r >= reach)
            })
            .min_by(|a, b| whatif::solver_order(self.evaluation, a, b))?;
        Some((reach, best))
    }

    /// The largest amount on the money grid from `lowest` and below `hi` at which some
    /// portfolio funding candidate `c` outscores `without` (the best total without it, in
    /// units), with the optimum there: by questions alone (see the module documentation), each
    /// asked where the relaxation says the answer lies. No portfolio beats the relaxation's
    /// bound, which falls with the amount along its dual's slope; the best total lies below the
    /// bound by a gap that changes little with the amount, so the threshold is near where the
    /// bound lies that gap above the floor. The gap is read at `known` (an amount and the best
    /// total with `c` there, when one is known) and grown after each question answered empty.
    /// `None` when no amount from `lowest` outscores it or the questions do not settle it
    /// within [`ASKS`]: the caller's probes decide.
    fn outscoring(
        &self,
        c: usize,
        lowest: i64,
        hi: i64,
        without: i64,
        known: Option<(i64, i64)>,
    ) -> Result<Option<(i64, BTreeSet<Pair>)>> {
        let (s, e) = (self.scenario, self.evaluation);
        let cand = &e.candidates[c];
        let pair = (cand.project, cand.round);
        let step = self.money_step;
        if !self.pool_only(c) || hi - step < lowest {
            return Ok(None);
        }
        let floor = without.saturating_add(1);
        // First where the best total is known (asked only if the floor is near it: otherwise
        // it gives the slope there), else one step below `hi`.
        let (mut a, mut reached) = match known {
            Some((a0, s0)) if (lowest..hi).contains(&a0) => (a0, s0),
            _ => (hi - step, floor),
        };
        // The threshold lies below `below`; the gap, and how often it proved too small.
        let mut below = hi;
        let mut gap: Option<f64> = None;
        let mut short = 0;
        for _ in 0..ASKS {
            let at = self.at_fen(c, a);
            let (room, slope) = whatif::most_room(s, &at, pair, floor, reached, self.options)?;
            let Some(slope) = slope.filter(|x| x.per_fen.is_finite() && x.per_fen > 0.0) else {
                return Ok(match room {
                    Room::At(frontier) => self.reach_of(c, a, hi, without, frontier),
                    _ => None,
                });
            };
            match room {
                Room::At(frontier) => return Ok(self.reach_of(c, a, hi, without, frontier)),
                Room::Empty if a > lowest => {
                    below = a;
                    if slope.best >= floor {
                        short += 1;
                    }
                }
                Room::Far { .. } => {}
                _ => return Ok(None),
            }
            let best = slope.best as f64;
            let g = *gap.get_or_insert_with(|| {
                known
                    .map_or(best - floor as f64, |(a0, s0)| {
                        best + slope.per_fen * (a - a0) as f64 - s0 as f64
                    })
                    .max(1.0)
            });
            // Each question found empty where the bound reached the floor widens the gap by
            // 1/8, 1/4, 1/2 … of itself.
            let margin = if short == 0 {
                g
            } else {
                g * (1.0 + f64::from(1u32 << (short - 1).min(20)) / 8.0)
            };
            let move_by = ((best - floor as f64 - margin) / slope.per_fen / step as f64).floor();
            let next = if move_by.is_finite() {
                a.saturating_add((move_by.clamp(-4e15, 4e15) as i64).saturating_mul(step))
            } else {
                a
            };
            // On the grid from `lowest` (as `a` and `below` are), below `below`.
            let next = next.min(below - step).max(lowest);
            if next == a && reached == floor {
                return Ok(None);
            }
            (a, reached) = (next, floor);
        }
        Ok(None)
    }
}

/// For tests: one round with one place, a 100-yuan pool; `projects` are (id, score, amount);
/// `committee` is appended to the `[committee]` table.
#[cfg(test)]
pub(crate) fn one_place(projects: &[(&str, u32, u32)], committee: &str) -> Scenario {
    let mut t = format!(
        "[[pools]]\nid = \"q\"\nbudget = \"100\"\n[[rounds]]\nid = \"r\"\npool = \"q\"\nmax_projects = 1\n\
         [rounds.eligibility]\nmin_investment = \"2\"\n\
         [rounds.subsidy]\nrate = \"1\"\ninvestment = [\"equipment\"]\n\
         [scoring]\ncriteria = [{{ id = \"s\", weight = \"1\" }}]\n[committee]\n{committee}\n[applications]\n"
    );
    for (id, score, amount) in projects {
        t.push_str(&format!(
            "[[applications.projects]]\nid = \"{id}\"\nrounds = [\"r\"]\nequipment = \"{amount}\"\nscores = {{ s = \"{score}\" }}\n"
        ));
    }
    crate::scenario::from_toml_str(&t, "t.toml").unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Explainer;
    use crate::scenario::from_toml_str;

    /// The explanation of every project of [`one_place`]`(projects, committee)`.
    fn explain_all(
        projects: &[(&str, u32, u32)],
        committee: &str,
    ) -> Vec<crate::explain::Explanation> {
        let s = one_place(projects, committee);
        let e = crate::rules::evaluate(&s);
        let x = Explainer::new(&s, &e, Options::default()).unwrap();
        (0..s.applications.len())
            .map(|p| x.explain(p).unwrap())
            .collect()
    }

    #[test]
    fn the_one_place_goes_to_the_better_score_and_the_margins_say_by_how_much() {
        // A (9 points, 60) is funded; B (8, 40) needs one point more — a tie on score goes to
        // the smaller subsidy, B's — and a fall of one point takes A out for the same reason.
        let x = explain_all(&[("A", 9, 60), ("B", 8, 40)], "");
        assert_eq!(
            x[0].score_margin.clone().unwrap().unwrap().threshold,
            10_000
        );
        assert_eq!(x[0].score_margin.clone().unwrap().unwrap().enters, [(1, 0)]);
        assert_eq!(
            x[1].score_margin.clone().unwrap().unwrap().threshold,
            10_000
        );
        assert_eq!(x[1].score_margin.clone().unwrap().unwrap().leaves, [(0, 0)]);
        // One place: B's amount is not what keeps it out; A may ask for the whole pool.
        assert_eq!(x[1].rounds[0].subsidy_margin, Some(Err(Never::NotMoney)));
        assert_eq!(
            x[0].rounds[0]
                .subsidy_margin
                .as_ref()
                .unwrap()
                .as_ref()
                .unwrap()
                .threshold,
            10_000
        );
    }

    #[test]
    fn a_rise_reaches_the_qualifying_score_even_when_nothing_is_funded() {
        // A alone, 0.5 points against a qualifying score of 3: nothing is funded, so the
        // optimum (0 points) says nothing about how far the score must rise; the gap does.
        let s = from_toml_str(
            "[[pools]]\nid = \"q\"\nbudget = \"13\"\n[[rounds]]\nid = \"r\"\npool = \"q\"\nmax_projects = 1\n\
             [rounds.eligibility]\nmin_score = \"3\"\n\
             [rounds.subsidy]\nrate = \"1\"\ninvestment = [\"equipment\"]\n\
             [scoring]\ncriteria = [{ id = \"s\", weight = \"1\" }]\n[applications]\n\
             [[applications.projects]]\nid = \"A\"\nrounds = [\"r\"]\nequipment = \"1\"\nscores = { s = \"0.5\" }\n",
            "t.toml",
        )
        .unwrap();
        let e = crate::rules::evaluate(&s);
        assert!(e.candidates.is_empty());
        let x = Explainer::new(&s, &e, Options::default()).unwrap();
        let margin = x.explain(0).unwrap().score_margin.unwrap().unwrap();
        assert_eq!(margin.threshold, 25_000);
        assert_eq!(margin.enters, [(0, 0)]);
    }

    #[test]
    fn no_margin_when_locked_excluded_too_dear_or_ineligible() {
        let x = explain_all(
            &[("A", 9, 60), ("B", 8, 40), ("C", 7, 150), ("D", 9, 1)],
            "must_fund = [{ project = \"B\", round = \"r\" }]\nexclude = [\"A\"]",
        );
        assert_eq!(x[0].score_margin, Some(Err(Never::Excluded)));
        assert_eq!(x[1].score_margin, Some(Err(Never::Held)));
        assert_eq!(x[1].rounds[0].subsidy_margin, Some(Err(Never::Held)));
        // 150 yuan from a 100-yuan pool: no score helps; an amount of 100 would do (B is locked
        // into the one place, so not even that).
        assert_eq!(x[2].score_margin, Some(Err(Never::NoRoom)));
        assert_eq!(x[2].rounds[0].subsidy_margin, Some(Err(Never::NotMoney)));
        // D's eligible investment (1) is below the round's minimum (2).
        assert_eq!(x[3].score_margin, Some(Err(Never::Ineligible)));
        assert!(x[3].rounds[0].subsidy_margin.is_none());
    }

    /// Two rounds of one 10-yuan pool: A (40 points) may enter r0 only at 50, B (30) is in r1.
    /// A rise of 10 points admits A, and A then beats B outright: the margin is the admission,
    /// not the score gap (which A passes before it may enter). B's rival when it falls is the
    /// empty portfolio (A is out of every round).
    #[test]
    fn a_rise_that_admits_the_project_wins_at_the_admission() {
        let s = from_toml_str(
            "[[pools]]\nid = \"q\"\nbudget = \"10\"\n\
             [[rounds]]\nid = \"r0\"\npool = \"q\"\nmax_projects = 1\n[rounds.eligibility]\nmin_score = \"50\"\n\
             [rounds.subsidy]\nrate = \"1\"\ninvestment = [\"equipment\"]\n\
             [[rounds]]\nid = \"r1\"\npool = \"q\"\nmax_projects = 1\n\
             [rounds.subsidy]\nrate = \"1\"\ninvestment = [\"equipment\"]\n\
             [scoring]\ncriteria = [{ id = \"s\", weight = \"1\" }]\n[applications]\n\
             [[applications.projects]]\nid = \"A\"\nrounds = [\"r0\"]\nequipment = \"10\"\nscores = { s = \"40\" }\n\
             [[applications.projects]]\nid = \"B\"\nrounds = [\"r1\"]\nequipment = \"10\"\nscores = { s = \"30\" }\n",
            "t.toml",
        )
        .unwrap();
        let e = crate::rules::evaluate(&s);
        let x = Explainer::new(&s, &e, Options::default()).unwrap();
        let a = x.explain(0).unwrap().score_margin.unwrap().unwrap();
        assert_eq!(a.threshold, 100_000);
        assert_eq!((a.enters, a.leaves), (vec![(0, 0)], vec![(1, 1)]));
        // B's fall: at 30 points B scores what the empty portfolio does, which pays less.
        let b = x.explain(1).unwrap().score_margin.unwrap().unwrap();
        assert_eq!(b.threshold, 300_000);
        assert_eq!(b.leaves, [(1, 1)]);
    }
}
