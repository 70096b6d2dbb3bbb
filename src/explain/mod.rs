//! Why a project is (not) funded, and how close the decision was. For one project: each round it
//! entered with every failed condition, its score and rank, whether and where it is funded, what
//! keeps it out of each round it is eligible for, and its exact margins (see [`margin`]). For each
//! round: the reserve list (see [`reserve`]). Everything is found by re-solving the same integer
//! program on what-if copies of the scenario ([`whatif`]), so an explanation is as exact as the
//! portfolio it explains.

pub mod margin;
pub mod price;
pub mod reserve;
pub mod warnings;
pub mod whatif;

pub use margin::{Flip, Margin, Never};
pub use price::{above_the_line, prices, prices_counted, Change, Price};
pub use reserve::{Reserve, ReserveEntry, Withdrawal};
pub use warnings::{scenario_warnings, warnings, Warning};
pub use whatif::Pair;

use crate::error::{Error, Result};
use crate::parallel;
use crate::rules::{Evaluation, Reason};
use crate::scenario::{Money, Scenario};
use crate::solve::{ranked, Block, Ledger, Options, Outcome, Portfolio};
use margin::Base;

/// The application index of a project id; an `Input` error naming the scenario file when there
/// is no such project (looked up before any solving, so a typo fails fast).
pub fn find_project(scenario: &Scenario, id: &str) -> Result<usize> {
    scenario
        .applications
        .iter()
        .position(|a| a.id == id)
        .ok_or_else(|| {
            let file = scenario
                .sources
                .first()
                .map_or_else(|| scenario.name.clone(), |p| p.display().to_string());
            Error::Input(format!(
                "{file}: no project {id:?} among its {} applications",
                scenario.applications.len()
            ))
        })
}

/// One round a project entered, as the explanation tells it.
#[derive(Debug, Clone)]
pub struct RoundView {
    /// Round index.
    pub round: usize,
    /// The round's rule amount for the project.
    pub subsidy: Money,
    /// The score, when every criterion has a value.
    pub score: Option<rust_decimal::Decimal>,
    /// Every failed entry condition; empty when eligible.
    pub reasons: Vec<Reason>,
    /// The candidate index when eligible.
    pub candidate: Option<usize>,
    /// Rank among the round's eligible candidates and their number, when eligible.
    pub rank: Option<(usize, usize)>,
    /// Funded here.
    pub funded: bool,
    /// What keeps it out of this round in the optimal portfolio (eligible, not funded here);
    /// empty with `funded == false` means everything fits and a better portfolio uses the money.
    pub blocks: Vec<Block>,
    /// The subsidy margin of this round's candidate (funded, or eligible and unfunded).
    pub subsidy_margin: Option<Margin>,
    /// Ranked above the round's last funded entry while not funded itself: the blocks are true
    /// of the portfolio, but its price says why it is out.
    pub above_line: bool,
    /// The price of funding it in this round, when asked for
    /// ([`Explainer::explain_with_prices`]) and the project is funded nowhere.
    pub price: Option<Price>,
}

/// Everything `allot explain` says about one project.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// Application index.
    pub project: usize,
    /// The funded candidate, if any, and what it is paid.
    pub funded: Option<(usize, Money)>,
    /// The rounds it entered, in scenario order.
    pub rounds: Vec<RoundView>,
    /// The project-level score margin (all its candidates' scores move together); `None` when
    /// the time limit came first (see `left_out`).
    pub score_margin: Option<Margin>,
    /// Money resolution of the subsidy margins, in fen (100 = whole yuan).
    pub money_step: i64,
    /// What the time limit came before; empty without a limit.
    pub left_out: Vec<LeftOut>,
}

/// A part of an explanation the explainer's time limit came before (see [`Explainer::new`]). It is
/// left out, never guessed: a part is kept only when it ended before the deadline, and then every
/// re-solve it rests on was proven (only at the deadline is one cut short).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// The price of funding the project in this round (index).
    Price(usize),
    /// The subsidy margin in this round (index).
    SubsidyMargin(usize),
    /// The score margin.
    ScoreMargin,
}

/// The optimal portfolio of a scenario, ready to explain any project and list reserves; solved
/// once, every what-if re-solves a copy.
pub struct Explainer<'a> {
    scenario: &'a Scenario,
    evaluation: &'a Evaluation,
    options: Options,
    outcome: Outcome,
    money_step: i64,
    /// Optima of what-ifs already proven, shared by every margin of this optimum.
    known: margin::Known,
}

impl<'a> Explainer<'a> {
    /// Solves the scenario; fails as `solve` fails (e.g. infeasible locks). A time limit in
    /// `options` bounds the explanations' prices and margins, counted from now, not the proof:
    /// margins need a proven optimum. What it cuts is left out and named
    /// ([`Explanation::left_out`]); the reserve lists are never cut.
    pub fn new(
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        options: Options,
    ) -> Result<Explainer<'a>> {
        let limited = options.from_now();
        let unlimited = Options {
            time_limit: None,
            deadline: None,
            ..limited.clone()
        };
        let outcome = crate::solve::solve(scenario, evaluation, &unlimited)?;
        Ok(Explainer::with_outcome(
            scenario, evaluation, limited, outcome,
        ))
    }

    /// The explainer of an optimum already solved (proven: no time limit): `outcome` must be
    /// [`crate::solve::solve`]'s for this scenario and evaluation. A deadline in `options`
    /// bounds the prices and margins, as in [`Explainer::new`].
    pub fn with_outcome(
        scenario: &'a Scenario,
        evaluation: &'a Evaluation,
        options: Options,
        outcome: Outcome,
    ) -> Explainer<'a> {
        // Every what-if starts from the optimum (repaired where it no longer fits): a near-optimal
        // incumbent fixes more columns, and the enumeration's floors then start next to it.
        let options = options.after(
            &outcome,
            whatif::pairs(evaluation, &outcome.portfolio)
                .into_iter()
                .collect(),
        );
        let whole = |m: Money| m.fen() % 100 == 0;
        let money_step = if evaluation.assessments.iter().all(|a| whole(a.subsidy))
            && scenario.pools.iter().all(|p| whole(p.budget))
        {
            100
        } else {
            1
        };
        Explainer {
            scenario,
            evaluation,
            options,
            outcome,
            money_step,
            known: margin::Known::default(),
        }
    }

    /// Remembers what `prices` (of this optimum) proved: the best portfolio funding each entry,
    /// which the score margins need again.
    pub fn remember(&self, prices: &[Price]) {
        let optimum = whatif::pairs(self.evaluation, &self.outcome.portfolio);
        for price in prices {
            let cand = &self.evaluation.candidates[price.candidate];
            let entry = (cand.project, cand.round);
            let with = price.change.as_ref().map(|c| {
                let mut with: std::collections::BTreeSet<Pair> = optimum
                    .iter()
                    .filter(|p| !c.leaves.contains(p))
                    .copied()
                    .collect();
                with.extend(c.enters.iter().copied());
                with.insert(entry);
                with
            });
            self.known.with(entry, with);
        }
    }

    /// The optimal portfolio being explained.
    pub fn portfolio(&self) -> &Portfolio {
        &self.outcome.portfolio
    }

    fn base(&self) -> Base<'_> {
        Base {
            scenario: self.scenario,
            evaluation: self.evaluation,
            options: &self.options,
            pairs: whatif::pairs(self.evaluation, &self.outcome.portfolio),
            money_step: self.money_step,
            optimum: self.outcome.portfolio.total_score,
            known: &self.known,
        }
    }

    /// Explains one project (application index).
    pub fn explain(&self, project: usize) -> Result<Explanation> {
        self.explain_pricing(project, &[]).map(|(x, _)| x)
    }

    /// [`explain`](Self::explain), and the prices of the candidates `priced` (see [`prices`]),
    /// found first: the margins read the same solves.
    fn explain_pricing(
        &self,
        project: usize,
        priced: &[usize],
    ) -> Result<(Explanation, Vec<Price>)> {
        let (s, e) = (self.scenario, self.evaluation);
        let base = self.base();
        let ledger = Ledger::with(s, e, &self.outcome.portfolio.funded);
        let funded = self
            .outcome
            .portfolio
            .funded
            .iter()
            .zip(&self.outcome.portfolio.paid)
            .find(|(&c, _)| e.candidates[c].project == project)
            .map(|(&c, &paid)| (c, paid));
        let mut rounds = Vec::new();
        for a in e.assessments.iter().filter(|a| a.project == project) {
            let rank = a.candidate.map(|c| {
                let list = ranked(e, a.round);
                let at = list.iter().position(|&x| x == c).map_or(0, |i| i + 1);
                (at, list.len())
            });
            let here = funded.is_some_and(|(c, _)| Some(c) == a.candidate);
            let blocks = match a.candidate {
                Some(c) if !here => ledger.blocks(c),
                _ => Vec::new(),
            };
            let subsidy_margin = None;
            let above_line = match (a.candidate, rank) {
                (Some(c), Some((at, _))) if !here && funded.is_none() => {
                    let list = ranked(e, a.round);
                    list[at..]
                        .iter()
                        .any(|x| self.outcome.portfolio.funded.contains(x))
                        && e.candidates[c].locked != Some(crate::rules::Locked::Out)
                }
                _ => false,
            };
            rounds.push(RoundView {
                round: a.round,
                subsidy: a.subsidy,
                score: a.score,
                reasons: a.reasons.clone(),
                candidate: a.candidate,
                rank,
                funded: here,
                blocks,
                subsidy_margin,
                above_line,
                price: None,
            });
        }
        // The margins are independent searches, run in parallel (every HiGHS run is
        // single-threaded, so results do not depend on scheduling). A candidate funded elsewhere
        // gets none: its amount in that round decides nothing.
        let wanted: Vec<(usize, usize)> = rounds
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.candidate.map(|c| (i, c)))
            .filter(|&(i, _)| funded.is_none() || rounds[i].funded)
            .collect();
        // What the margins share is found once, before they part: a funded project's best
        // portfolio without it (its score margin and, when it entered one round, its subsidy
        // margin); an unfunded one's best with it in each round (its prices, its score margin,
        // and where its subsidy margins' questions are asked).
        let prices = price::prices(s, e, &self.outcome, priced, &self.options)?;
        self.remember(&prices);
        let mut left_out: Vec<LeftOut> = priced
            .iter()
            .filter(|&&c| !prices.iter().any(|p| p.candidate == c))
            .map(|&c| LeftOut::Price(e.candidates[c].round))
            .collect();
        // A part is kept only when it ended before the deadline (see `LeftOut`): past it, even
        // an error may only be a re-solve the deadline cut.
        let in_time = |part: Result<Margin>| -> Result<Option<Margin>> {
            match part {
                _ if self.options.out_of_time() => Ok(None),
                part => part.map(Some),
            }
        };
        let shared = if funded.is_some() {
            base.best_without(project).map(|_| ())
        } else {
            let pairs: Vec<_> = wanted
                .iter()
                .map(|&(_, c)| (e.candidates[c].project, e.candidates[c].round))
                .collect();
            parallel::map(&pairs, |&pair| base.best_with_pair(pair))
                .into_iter()
                .try_for_each(|found| found.map(|_| ()))
        };
        let (score_margin, subsidy_margins) = match shared {
            _ if self.options.out_of_time() => (None, Vec::new()),
            Err(e) => return Err(e),
            Ok(()) => {
                let (score, subsidy) = parallel::both(
                    || in_time(base.score_margin(project)),
                    || parallel::map(&wanted, |&(i, c)| (i, in_time(base.subsidy_margin(c)))),
                );
                (score?, subsidy)
            }
        };
        let mut found = vec![false; rounds.len()];
        for (i, margin) in subsidy_margins {
            rounds[i].subsidy_margin = margin?;
            found[i] = rounds[i].subsidy_margin.is_some();
        }
        left_out.extend(
            wanted
                .iter()
                .filter(|&&(i, _)| !found[i])
                .map(|&(i, _)| LeftOut::SubsidyMargin(rounds[i].round)),
        );
        if score_margin.is_none() {
            left_out.push(LeftOut::ScoreMargin);
        }
        let explanation = Explanation {
            project,
            funded,
            rounds,
            score_margin,
            money_step: self.money_step,
            left_out,
        };
        Ok((explanation, prices))
    }

    /// [`explain`](Self::explain), with the price of funding the project in each round where it
    /// is eligible and not excluded, when it is funded nowhere: one exact re-solve per round,
    /// run beside each other.
    pub fn explain_with_prices(&self, project: usize) -> Result<Explanation> {
        let e = self.evaluation;
        let pairs = whatif::pairs(e, &self.outcome.portfolio);
        if margin::Base::funded_project(&pairs, project) {
            return self.explain(project);
        }
        let entries: Vec<usize> = e
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.project == project && c.locked != Some(crate::rules::Locked::Out))
            .map(|(c, _)| c)
            .collect();
        let (mut x, prices) = self.explain_pricing(project, &entries)?;
        for price in prices {
            if let Some(r) = x
                .rounds
                .iter_mut()
                .find(|r| r.candidate == Some(price.candidate))
            {
                r.price = Some(price);
            }
        }
        Ok(x)
    }

    /// The reserve list of every round (see [`reserve`]).
    pub fn reserves(&self) -> Result<Vec<Reserve>> {
        // No hint: a reserve what-if's locks are the optimum already. No dominance reduction:
        // the locks leave a few hundred of thousands of candidates free, and the pass over all
        // of them cost more than the columns it removed (the same lists; `allot reserve` of
        // generated 10,000 seed 7 4.4 → 3.6 s, of the quzhou-like 10,000 seed 1 10.0 → 7.0 s).
        let options = &Options {
            hints: Vec::new(),
            reduce: false,
            time_limit: None,
            deadline: None,
            ..self.options.clone()
        };
        let skeleton = crate::solve::Skeleton::new(self.scenario, self.evaluation);
        reserve::reserves_with(
            self.scenario,
            self.evaluation,
            &whatif::pairs(self.evaluation, &self.outcome.portfolio),
            |withdrawn, fixed| {
                whatif::solve_decided(
                    &skeleton,
                    self.scenario,
                    self.evaluation,
                    withdrawn,
                    fixed,
                    options,
                )
            },
        )
    }
}
