//! Stage 2: the policy's rules applied to each application. Pure functions from a scenario to
//! candidates — the eligible (project, round) pairs with exact scores and subsidies — and, for
//! every pair that is not eligible, each reason why.

mod eligibility;
mod scoring;
mod subsidy;

pub use eligibility::Reason;
pub use scoring::{normalize_weights, score_with, Quotient, SCORE_DP};
pub use subsidy::compute_subsidy;

use crate::scenario::{Money, Scenario};
use rust_decimal::Decimal;

/// A committee lock on a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    /// Must be funded in this round.
    In,
    /// Excluded: not to be funded.
    Out,
}

/// One (project, round) pair an application entered, with what the rules made of it.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Application index.
    pub project: usize,
    /// Round index.
    pub round: usize,
    /// The subsidy the round's rule gives (even when not eligible, for information).
    pub subsidy: Money,
    /// The score, when every criterion has a value.
    pub score: Option<Decimal>,
    /// Every failed condition; empty when eligible.
    pub reasons: Vec<Reason>,
    /// Index into [`Evaluation::candidates`] when eligible.
    pub candidate: Option<usize>,
}

/// An eligible (project, round) pair: a column of the integer program.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Application index.
    pub project: usize,
    /// Round index.
    pub round: usize,
    /// `Σ w·criteria + bonus`, rounded to [`SCORE_DP`] decimals.
    pub score: Decimal,
    /// The amount the round's rule gives, in yuan.
    pub subsidy: Money,
    /// Normalized criterion values (0–100) the score is built from, in criterion order.
    pub criteria: Vec<Decimal>,
    /// Bonus points.
    pub bonus: Decimal,
    /// Committee lock.
    pub locked: Option<Locked>,
}

/// Everything the rules say about a scenario.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// One per (project, round applied), ordered by project then round; shared, since what-ifs
    /// copy the evaluation to change only the candidates' locks.
    pub assessments: std::sync::Arc<Vec<Assessment>>,
    /// The eligible pairs, ordered by project then round.
    pub candidates: Vec<Candidate>,
    /// The weights used, normalized to sum to 1, in criterion order.
    pub weights: Vec<Decimal>,
}

/// Applies eligibility, subsidy and scoring rules to every application, with the scenario's weights.
pub fn evaluate(scenario: &Scenario) -> Evaluation {
    let raw: Vec<Decimal> = scenario.scoring.criteria.iter().map(|c| c.weight).collect();
    evaluate_with_weights(scenario, &raw)
}

/// Applies the rules with explicit weights, relative (each score divides by their sum exactly), so
/// the scenario's own weights and the same weights divided out give the same scores only where
/// the division is exact: pass the weights as stated.
pub fn evaluate_with_weights(scenario: &Scenario, weights: &[Decimal]) -> Evaluation {
    let assessed = Assessed::new(scenario);
    scored(
        assessed.assessments,
        &assessed.normalized,
        &assessed.bonus,
        scenario,
        weights,
    )
}

/// What the rules make of a scenario before any weight enters: every condition that does not
/// depend on the score, the subsidies, and each criterion normalized within its round. A sweep
/// computes it once and scores it under each weight vector ([`Assessed::weighted`]).
#[derive(Debug, Clone)]
pub struct Assessed {
    assessments: Vec<Assessment>,
    normalized: Vec<Option<Vec<Quotient>>>,
    bonus: Vec<Decimal>,
}

impl Assessed {
    /// Pass 1 (conditions and subsidies) and the criteria normalized over the entrants that
    /// passed it.
    pub fn new(scenario: &Scenario) -> Assessed {
        let mut assessments = Vec::new();
        for (p, app) in scenario.applications.iter().enumerate() {
            for &r in &app.rounds {
                let round = &scenario.rounds[r];
                let subsidy = compute_subsidy(&round.subsidy, app);
                let reasons = eligibility::check(round, app, subsidy, &scenario.scoring);
                assessments.push(Assessment {
                    project: p,
                    round: r,
                    subsidy,
                    score: None,
                    reasons,
                    candidate: None,
                });
            }
        }
        let normalized = scoring::normalize(scenario, &assessments);
        let bonus = scenario
            .applications
            .iter()
            .map(|app| scoring::bonus(&scenario.scoring, app))
            .collect();
        Assessed {
            assessments,
            normalized,
            bonus,
        }
    }

    /// Pass 2: the scores under `weights` (as [`evaluate_with_weights`] takes them), the
    /// qualifying scores and the committee's locks. `scenario` must be the one assessed, or
    /// differ from it only in its pools' budgets.
    pub fn weighted(&self, scenario: &Scenario, weights: &[Decimal]) -> Evaluation {
        scored(
            self.assessments.clone(),
            &self.normalized,
            &self.bonus,
            scenario,
            weights,
        )
    }
}

/// Pass 2 over `assessments` (pass 1's, taken: each run scores its own copy).
fn scored(
    mut assessments: Vec<Assessment>,
    normalized: &[Option<Vec<Quotient>>],
    bonuses: &[Decimal],
    scenario: &Scenario,
    weights: &[Decimal],
) -> Evaluation {
    let shares = normalize_weights(weights);
    let mut candidates = Vec::new();
    for (a, norm) in assessments.iter_mut().zip(normalized) {
        let Some(quotients) = norm else { continue };
        let bonus = bonuses[a.project];
        let score = scoring::score_in(weights, &shares, quotients, bonus);
        let criteria: Vec<Decimal> = quotients.iter().map(|q| q.value()).collect();
        a.score = Some(score);
        if let Some(min) = scenario.rounds[a.round].eligibility.min_score {
            if score < min {
                a.reasons.push(Reason::BelowQualifyingScore { score, min });
            }
        }
        if a.reasons.is_empty() {
            let locked = if scenario.committee.exclude.contains(&a.project) {
                Some(Locked::Out)
            } else if scenario
                .committee
                .must_fund
                .iter()
                .any(|l| l.project == a.project && l.round == a.round)
            {
                Some(Locked::In)
            } else {
                None
            };
            a.candidate = Some(candidates.len());
            candidates.push(Candidate {
                project: a.project,
                round: a.round,
                score,
                subsidy: a.subsidy,
                criteria,
                bonus,
                locked,
            });
        }
    }
    Evaluation {
        assessments: assessments.into(),
        candidates,
        weights: shares,
    }
}
