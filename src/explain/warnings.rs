//! Warnings that matter to a committee: what the scenario asks that may not be what it means.
//! A round that funds nobody while it has eligible candidates (the policy asked for it); a
//! floor or a must-fund lock that binds, with what it costs in total score (an exact re-solve
//! without it: its best score, and the tie-break only where the score alone does not tell); a
//! dependency on a project that can never be funded (ineligible in every round it entered, or
//! excluded), which makes the dependency decide alone.

use super::whatif::pairs;
use crate::error::{Error, Result};
use crate::parallel;
use crate::rules::Evaluation;
use crate::scenario::Scenario;
use crate::solve::{self, Options, Outcome, Status};
use rust_decimal::Decimal;

/// One warning.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// A round funds nobody although candidates could enter it.
    EmptyRound {
        /// The round (index into `rounds`).
        round: usize,
        /// Its eligible candidates.
        eligible: usize,
    },
    /// A round's floors change the optimum.
    BindingFloor {
        /// The round (index into `rounds`).
        round: usize,
        /// How much higher the best total score is without them (0 when only the tie-break
        /// changes).
        cost: Decimal,
    },
    /// A must-fund lock changes the optimum.
    BindingLock {
        /// Index into `committee.must_fund`.
        index: usize,
        /// How much higher the best total score is without it.
        cost: Decimal,
    },
    /// A dependency names a project that can never be funded.
    DeadDependency {
        /// Index into `committee.dependencies`.
        index: usize,
        /// The dependency's own project or its other, whichever cannot be funded.
        project: usize,
        /// Excluded by the committee (else ineligible in every round it entered).
        excluded: bool,
    },
    /// The time limit came before these committee decisions (round floors, must-fund locks) were
    /// checked: whether they bind is not known, and the list says so rather than fall silent.
    Unchecked {
        /// How many.
        decisions: usize,
    },
}

/// The warnings a scenario earns before any solve: dependencies on projects that can never be
/// funded (for `allot check` as well as `solve`).
pub fn scenario_warnings(scenario: &Scenario, evaluation: &Evaluation) -> Vec<Warning> {
    let mut eligible = vec![false; scenario.applications.len()];
    for cand in &evaluation.candidates {
        eligible[cand.project] = true;
    }
    let mut out = Vec::new();
    for (index, d) in scenario.committee.dependencies.iter().enumerate() {
        for project in [d.project, d.other] {
            let excluded = scenario.committee.exclude.contains(&project);
            if excluded || !eligible[project] {
                out.push(Warning::DeadDependency {
                    index,
                    project,
                    excluded,
                });
                break;
            }
        }
    }
    out
}

/// Every warning of a solved round: [`scenario_warnings`], empty rounds, and the floors and
/// locks that bind (re-solves; not for a portfolio cut short by the time limit, against which a
/// difference proves nothing).
pub fn warnings(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    options: &Options,
) -> Result<Vec<Warning>> {
    let mut out = scenario_warnings(scenario, evaluation);
    let cands = &evaluation.candidates;
    for (round, _) in scenario.rounds.iter().enumerate() {
        let eligible = cands.iter().filter(|c| c.round == round).count();
        let funded = outcome
            .portfolio
            .funded
            .iter()
            .any(|&c| cands[c].round == round);
        if eligible > 0 && !funded {
            out.push(Warning::EmptyRound { round, eligible });
        }
    }
    if outcome.status != Status::Optimal {
        return Ok(out);
    }
    let options = Options {
        progress: false,
        ..options.clone()
    };
    let optimum = pairs(evaluation, &outcome.portfolio);
    let best = outcome.portfolio.total_score;
    // The best score alone first: where it (or a round-priority level) differs from the
    // optimum's, the optimum without the decision is another portfolio of that score, so the
    // decision binds at that cost, and the tie-break need not be settled (on 229 columns with
    // four binding locks under round priority, HiGHS's least-subsidy and tie-break questions
    // were most of the command's time). Where it is the same, only the whole order decides.
    let score_only = Options {
        tie_break: false,
        ..options.clone()
    };
    // Without a decision: `Some(Some(cost))` when the optimum changes (the decision then
    // binds), `Some(None)` when it stands, `None` when the time limit cut the re-solve short.
    let cost_without = |s: &Scenario, e: &Evaluation| -> Result<Option<Option<Decimal>>> {
        let without = || -> Result<Option<Outcome>> {
            let Some(scored) = solve::solve_proven(s, e, &score_only)? else {
                return Ok(None);
            };
            if scored.portfolio.total_score != best || scored.levels != outcome.levels {
                return Ok(Some(scored));
            }
            // Its levels stand, and its portfolio is a start.
            solve::settle_proven(s, e, &options, &scored)
        };
        match without() {
            // Cut short by the time limit: no difference is proven.
            Ok(None) => Ok(None),
            Ok(Some(free)) if pairs(e, &free.portfolio) != optimum => {
                Ok(Some(Some(free.portfolio.total_score - best)))
            }
            Ok(Some(_)) => Ok(Some(None)),
            // Still infeasible without it: another decision decides.
            Err(Error::Infeasible(_)) => Ok(Some(None)),
            Err(e) => Err(e),
        }
    };
    // Each decision's re-solve is independent of the others': they run side by side, and the
    // warnings keep the decisions' order.
    let floors = (0..scenario.rounds.len())
        .filter(|&round| scenario.rounds[round].has_floor())
        .map(Decision::Floor);
    let locks = (0..scenario.committee.must_fund.len()).map(Decision::Lock);
    let decisions: Vec<Decision> = floors.chain(locks).collect();
    let costs = parallel::map(&decisions, |decision| {
        let mut s = scenario.clone();
        match *decision {
            Decision::Floor(round) => {
                s.rounds[round].min_projects = None;
                s.rounds[round].min_amount = None;
                // Floors play no part in the rules: the evaluation stands.
                cost_without(&s, evaluation)
            }
            Decision::Lock(index) => {
                s.committee.must_fund.remove(index);
                let e = crate::rules::evaluate(&s);
                cost_without(&s, &e)
            }
        }
    });
    let mut unchecked = 0;
    for (decision, cost) in decisions.into_iter().zip(costs) {
        match (decision, cost?) {
            (_, None) => unchecked += 1,
            (_, Some(None)) => {}
            (Decision::Floor(round), Some(Some(cost))) => {
                out.push(Warning::BindingFloor { round, cost })
            }
            (Decision::Lock(index), Some(Some(cost))) => {
                out.push(Warning::BindingLock { index, cost })
            }
        }
    }
    if unchecked > 0 {
        out.push(Warning::Unchecked {
            decisions: unchecked,
        });
    }
    Ok(out)
}

/// A committee decision a warning may say binds.
#[derive(Clone, Copy)]
enum Decision {
    /// A round's floors (index into `rounds`).
    Floor(usize),
    /// A must-fund lock (index into `committee.must_fund`).
    Lock(usize),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::evaluate;
    use crate::scenario::from_toml_str;
    use rust_decimal_macros::dec;

    /// Two rounds on one pool of 20: "big" (A and C, 10 each, scores 30 and 20) and "small"
    /// (B: 10, score 5; D ineligible, another jurisdiction). The plain optimum funds A and C
    /// and leaves "small" empty; a floor or a lock on B there costs C's 20 − B's 5 = 15.
    fn scenario(round_small: &str, committee: &str) -> Scenario {
        varied(round_small, committee, 5, "10", "")
    }

    /// [`scenario`] with B's score, C's amount and TOML after the projects (an objective).
    fn varied(
        round_small: &str,
        committee: &str,
        b_score: u32,
        c_amount: &str,
        tail: &str,
    ) -> Scenario {
        let text = format!(
            r#"
[[pools]]
id = "key"
budget = "20"
[[rounds]]
id = "big"
pool = "key"
max_projects = 2
[rounds.subsidy]
rate = "1"
[[rounds]]
id = "small"
pool = "key"
max_projects = 2
{round_small}
[rounds.subsidy]
rate = "1"
[rounds.eligibility]
jurisdictions = ["市本级"]
[scoring]
criteria = [{{ id = "q", weight = "1" }}]
[committee]
{committee}
[applications]
[[applications.projects]]
id = "A"
rounds = ["big"]
equipment = "10"
scores = {{ q = 30 }}
[[applications.projects]]
id = "B"
jurisdiction = "市本级"
rounds = ["small"]
equipment = "10"
scores = {{ q = {b_score} }}
[[applications.projects]]
id = "C"
jurisdiction = "市本级"
rounds = ["big"]
equipment = "{c_amount}"
scores = {{ q = 20 }}
[[applications.projects]]
id = "D"
jurisdiction = "柯城区"
rounds = ["small"]
equipment = "1"
scores = {{ q = 50 }}
{tail}
"#
        );
        from_toml_str(&text, "w.toml").unwrap()
    }

    fn warned(s: &Scenario) -> Vec<Warning> {
        let e = evaluate(s);
        let outcome = solve::solve(s, &e, &Options::default()).unwrap();
        warnings(s, &e, &outcome, &Options::default()).unwrap()
    }

    #[test]
    fn an_empty_round_with_candidates_is_named() {
        // A and C (50 points) fill the pool; B's round funds nobody.
        assert_eq!(
            warned(&scenario("", "")),
            [Warning::EmptyRound {
                round: 1,
                eligible: 1
            }]
        );
    }

    #[test]
    fn a_binding_floor_says_what_it_costs() {
        // The floor funds B (5) instead of C (20).
        assert_eq!(
            warned(&scenario("min_projects = 1", "")),
            [Warning::BindingFloor {
                round: 1,
                cost: dec!(15)
            }]
        );
        // A lock does the same.
        let lock = "must_fund = [{ project = \"B\", round = \"small\" }]";
        assert_eq!(
            warned(&scenario("", lock)),
            [Warning::BindingLock {
                index: 0,
                cost: dec!(15)
            }]
        );
        // Together, neither binds alone: without either the other still funds B.
        assert_eq!(warned(&scenario("min_amount = \"0.5\"", lock)), []);
    }

    #[test]
    fn a_floor_that_binds_in_the_tie_break_alone_costs_nothing() {
        // With the floor A and B (50 points, 20 yuan); without it A and C score the same for 15.
        // The best score alone does not decide (it is the same): the tie-break does.
        assert_eq!(
            warned(&varied("min_projects = 1", "", 20, "5", "")),
            [Warning::BindingFloor {
                round: 1,
                cost: dec!(0)
            }]
        );
        // At the same amount the earlier pair wins: A and B (B is entered before C) either way.
        assert_eq!(warned(&varied("min_projects = 1", "", 20, "10", "")), []);
    }

    #[test]
    fn under_round_priority_a_lock_may_cost_a_negative_total() {
        // "big" first: without the lock on B it scores 50 (A and C), the whole total; with
        // the lock, 30 (A), and the total 30 + 25 (B) = 55. Removing the lock raises the level
        // and lowers the total by 5.
        let s = varied(
            "",
            "must_fund = [{ project = \"B\", round = \"small\" }]",
            25,
            "10",
            "[objective]\nkind = \"round_priority\"\norder = [\"big\"]",
        );
        assert_eq!(
            warned(&s),
            [Warning::BindingLock {
                index: 0,
                cost: dec!(-5)
            }]
        );
    }

    #[test]
    fn a_dependency_on_a_project_that_cannot_be_funded_is_named() {
        let s = scenario(
            "",
            "exclude = [\"C\"]\ndependencies = [{ kind = \"requires\", project = \"A\", other = \"D\" }, { kind = \"excludes\", project = \"C\", other = \"B\" }]",
        );
        let e = evaluate(&s);
        let found = scenario_warnings(&s, &e);
        assert_eq!(
            found,
            [
                Warning::DeadDependency {
                    index: 0,
                    project: 3,
                    excluded: false
                },
                Warning::DeadDependency {
                    index: 1,
                    project: 2,
                    excluded: true
                }
            ]
        );
        let text: Vec<String> = crate::report::warning_lines(&s, &found, crate::scenario::Lang::En);
        assert_eq!(
            text,
            [
                "A requires D, which is eligible in no round it entered: A can never be funded",
                "C excludes B, but C is excluded by the committee: the dependency has no effect"
            ]
        );
    }
}
