//! The JSON certificate: the result together with everything needed to re-check it — every
//! eligible (project, round) with its exact score, subsidy and normalized criteria, every
//! constraint's data, the weights, the portfolio and the baseline. Money and scores are decimal
//! strings, so no reader loses precision. The schema is documented in `docs/output-format.md`.

use super::{Decisions, Standing};
use crate::audit::Manifest;
use crate::rules::{Evaluation, Locked, SCORE_DP};
use crate::scenario::{DependencyKind, Money, Scenario};
use crate::solve::{Outcome, Portfolio, Status};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The certificate's top level.
#[derive(Debug, Serialize)]
pub struct Certificate {
    /// Scenario name.
    pub scenario: String,
    /// The what-if overrides the result was computed under, as command-line words (`--set
    /// pools.key.budget=35000000`); left out when there are none. Filled in by the caller.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// `optimal` or `time_limit`.
    pub status: &'static str,
    /// Relative gap, when stopped by the time limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// What proved the portfolio optimal: `enumeration` (exact integer arithmetic alone) or
    /// `highs` (HiGHS's branch and bound decided a level); `none` when stopped.
    pub proof: &'static str,
    /// Σ score of the funded candidates.
    pub total_score: Decimal,
    /// Σ paid.
    pub total_subsidy: Money,
    /// Decimal places of scores.
    pub score_decimals: u32,
    /// The tie-break rule, in words.
    pub tie_break: &'static str,
    /// What was maximized.
    pub objective: ObjectiveJson,
    /// Pools and their money.
    pub pools: Vec<PoolJson>,
    /// Rounds and their limits.
    pub rounds: Vec<RoundJson>,
    /// The normalized weights by criterion id.
    pub weights: BTreeMap<String, Decimal>,
    /// Every eligible (project, round) pair.
    pub candidates: Vec<CandidateJson>,
    /// Per-enterprise limit.
    pub enterprise_limit: Option<u32>,
    /// Committee dependencies.
    pub dependencies: Vec<DependencyJson>,
    /// The funded (project, round) pairs.
    pub funded: Vec<FundedJson>,
    /// Every application's standing and reasons.
    pub projects: Vec<ProjectJson>,
    /// Rank-and-cut, for comparison (null when it breaks a committee lock or a round's floor).
    pub baseline: Option<BaselineJson>,
    /// The audit manifest: versions, input hashes, parameters (see `manifest.rs`). Filled in by
    /// the caller; left out when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Manifest>,
}

/// A pool.
#[derive(Debug, Serialize)]
pub struct PoolJson {
    id: String,
    name: String,
    budget: Money,
    spent: Money,
    left: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pro_rata_floor: Option<Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<Decimal>,
}

/// A group limit.
#[derive(Debug, Serialize)]
pub struct GroupLimitJson {
    attribute: String,
    max: u32,
}

/// The objective: `total_score`, or `round_priority` with its round order and each listed round's
/// proven best score (what an independent re-solve fixes level by level).
#[derive(Debug, Serialize)]
pub struct ObjectiveJson {
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    order: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    levels: Vec<LevelJson>,
}

/// One level of the round-priority objective.
#[derive(Debug, Serialize)]
pub struct LevelJson {
    round: String,
    score: Decimal,
}

/// A round.
#[derive(Debug, Serialize)]
pub struct RoundJson {
    id: String,
    name: String,
    pool: String,
    max_projects: u32,
    /// The round's floors (`null` when it has none).
    min_projects: Option<u32>,
    min_amount: Option<Money>,
    group_limits: Vec<GroupLimitJson>,
}

/// An eligible (project, round) pair.
#[derive(Debug, Serialize)]
pub struct CandidateJson {
    project: String,
    round: String,
    score: Decimal,
    subsidy: Money,
    criteria: BTreeMap<String, Decimal>,
    bonus: Decimal,
    groups: BTreeMap<String, String>,
    enterprise: String,
    locked: Option<&'static str>,
}

/// A dependency.
#[derive(Debug, Serialize)]
pub struct DependencyJson {
    kind: &'static str,
    project: String,
    other: String,
}

/// A funded pair.
#[derive(Debug, Serialize)]
pub struct FundedJson {
    project: String,
    round: String,
    /// What is paid (after any pro-rata scaling).
    subsidy: Money,
    /// The rule amount before scaling.
    amount: Money,
    score: Decimal,
}

/// A project's standing.
#[derive(Debug, Serialize)]
pub struct ProjectJson {
    id: String,
    name: String,
    status: &'static str,
    round: Option<String>,
    reasons: Vec<String>,
}

/// The baseline.
#[derive(Debug, Serialize)]
pub struct BaselineJson {
    method: &'static str,
    total_score: Decimal,
    total_subsidy: Money,
    funded: Vec<FundedJson>,
}

/// The tie-break rule as the certificate states it.
pub const TIE_BREAK: &str = "maximum total score; then least total subsidy (rule amounts); then the portfolio that funds the earliest (project id, round order) pair in which two tied portfolios differ";

fn funded_json(
    scenario: &Scenario,
    evaluation: &Evaluation,
    portfolio: &Portfolio,
) -> Vec<FundedJson> {
    portfolio
        .funded
        .iter()
        .zip(&portfolio.paid)
        .map(|(&c, &paid)| {
            let cand = &evaluation.candidates[c];
            FundedJson {
                project: scenario.applications[cand.project].id.clone(),
                round: scenario.rounds[cand.round].id.clone(),
                subsidy: paid,
                amount: cand.subsidy,
                score: cand.score,
            }
        })
        .collect()
}

/// The candidates of an evaluation as the certificate lists them (the sweep lists those of an
/// evaluation without qualifying scores).
pub(crate) fn candidates_json(scenario: &Scenario, evaluation: &Evaluation) -> Vec<CandidateJson> {
    let apps = &scenario.applications;
    let criteria = &scenario.scoring.criteria;
    evaluation
        .candidates
        .iter()
        .map(|cand| {
            let app = &apps[cand.project];
            CandidateJson {
                project: app.id.clone(),
                round: scenario.rounds[cand.round].id.clone(),
                score: cand.score,
                subsidy: cand.subsidy,
                criteria: criteria
                    .iter()
                    .zip(&cand.criteria)
                    .map(|(c, v)| (c.id.clone(), v.normalize()))
                    .collect(),
                bonus: cand.bonus.normalize(),
                groups: scenario.rounds[cand.round]
                    .group_limits
                    .iter()
                    .map(|g| {
                        (
                            g.attribute.clone(),
                            app.attribute(&g.attribute).unwrap_or("").to_string(),
                        )
                    })
                    .collect(),
                enterprise: app.enterprise.clone(),
                locked: cand.locked.map(|l| match l {
                    Locked::In => "in",
                    Locked::Out => "out",
                }),
            }
        })
        .collect()
}

/// Builds the certificate of an outcome.
pub fn certificate(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    decisions: &Decisions,
) -> Certificate {
    let apps = &scenario.applications;
    let criteria = &scenario.scoring.criteria;
    let portfolio = &outcome.portfolio;
    let (status, gap) = match outcome.status {
        Status::Optimal => ("optimal", None),
        Status::TimeLimit { gap } => ("time_limit", Some(gap)),
    };
    Certificate {
        scenario: scenario.name.clone(),
        overrides: Vec::new(),
        status,
        gap,
        proof: outcome.proof.as_str(),
        total_score: portfolio.total_score,
        total_subsidy: portfolio.total_paid(),
        score_decimals: SCORE_DP,
        tie_break: TIE_BREAK,
        objective: match &scenario.objective {
            crate::scenario::Objective::TotalScore => ObjectiveJson {
                kind: "total_score",
                order: Vec::new(),
                levels: Vec::new(),
            },
            crate::scenario::Objective::RoundPriority(order) => ObjectiveJson {
                kind: "round_priority",
                order: order
                    .iter()
                    .map(|&r| scenario.rounds[r].id.clone())
                    .collect(),
                levels: outcome
                    .levels
                    .iter()
                    .map(|&(r, score)| LevelJson {
                        round: scenario.rounds[r].id.clone(),
                        score,
                    })
                    .collect(),
            },
        },
        pools: scenario
            .pools
            .iter()
            .zip(&portfolio.pools)
            .map(|(p, u)| PoolJson {
                id: p.id.clone(),
                name: p.name.clone(),
                budget: p.budget,
                spent: u.spent,
                left: u.left,
                pro_rata_floor: p.pro_rata_floor,
                scale: u.scale,
            })
            .collect(),
        rounds: scenario
            .rounds
            .iter()
            .map(|r| RoundJson {
                id: r.id.clone(),
                name: r.name.clone(),
                pool: scenario.pools[r.pool].id.clone(),
                max_projects: r.max_projects,
                min_projects: r.min_projects,
                min_amount: r.min_amount,
                group_limits: r
                    .group_limits
                    .iter()
                    .map(|g| GroupLimitJson {
                        attribute: g.attribute.clone(),
                        max: g.max,
                    })
                    .collect(),
            })
            .collect(),
        weights: criteria
            .iter()
            .zip(&evaluation.weights)
            .map(|(c, w)| (c.id.clone(), w.normalize()))
            .collect(),
        candidates: candidates_json(scenario, evaluation),
        enterprise_limit: scenario.committee.enterprise_limit,
        dependencies: scenario
            .committee
            .dependencies
            .iter()
            .map(|d| DependencyJson {
                kind: match d.kind {
                    DependencyKind::Requires => "requires",
                    DependencyKind::Excludes => "excludes",
                },
                project: apps[d.project].id.clone(),
                other: apps[d.other].id.clone(),
            })
            .collect(),
        funded: funded_json(scenario, evaluation, portfolio),
        projects: apps
            .iter()
            .zip(&decisions.projects)
            .map(|(app, (standing, funded, reasons))| ProjectJson {
                id: app.id.clone(),
                name: app.name.clone(),
                status: standing.as_str(),
                round: funded.map(|c| scenario.rounds[evaluation.candidates[c].round].id.clone()),
                reasons: if *standing == Standing::Funded {
                    vec![]
                } else {
                    reasons.clone()
                },
            })
            .collect(),
        baseline: outcome.baseline.as_ref().map(|b| BaselineJson {
            method: decisions.baseline_method,
            total_score: b.total_score,
            total_subsidy: b.total_paid(),
            funded: funded_json(scenario, evaluation, b),
        }),
        manifest: None,
    }
}
