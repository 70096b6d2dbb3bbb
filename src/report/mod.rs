//! Stage 4: reports. Consumers of an outcome — never readers of input files. The table is for
//! people, the JSON is a self-contained certificate anyone can re-check with another solver, the
//! CSV is one row per project for a planner's spreadsheet. All three read the same [`Decisions`].

mod check;
mod csv;
mod json;
mod table;

pub use check::{check_csv, check_json, check_table};
pub use json::{certificate, Certificate};
pub use table::table;
pub(crate) use table::{pad, right};

pub use self::csv::csv;

use crate::rules::Evaluation;
use crate::scenario::{Money, Scenario};
use crate::solve::{ranked, Block, Ledger, Outcome};
use std::collections::BTreeMap;

/// Output formats of `solve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable tables.
    Table,
    /// The JSON certificate.
    Json,
    /// One row per project.
    Csv,
}

/// A project's standing in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Funded.
    Funded,
    /// Eligible for at least one round but not funded.
    Unfunded,
    /// Eligible for no round it entered.
    Ineligible,
}

impl Standing {
    /// The word used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Funded => "funded",
            Standing::Unfunded => "unfunded",
            Standing::Ineligible => "ineligible",
        }
    }
}

/// Each project's standing, funded candidate and reasons, derived once from an outcome.
pub struct Decisions {
    /// Per application: standing, funded candidate, reasons.
    pub projects: Vec<(Standing, Option<usize>, Vec<String>)>,
    /// Per round: candidates in rank order.
    pub ranking: Vec<Vec<usize>>,
    /// Per candidate: its rank (1-based) in its round.
    pub rank: Vec<usize>,
}

impl Decisions {
    /// Works out every project's standing and the reasons behind it.
    pub fn new(scenario: &Scenario, evaluation: &Evaluation, outcome: &Outcome) -> Decisions {
        let cands = &evaluation.candidates;
        let ledger = Ledger::with(scenario, evaluation, &outcome.portfolio.funded);
        let ranking: Vec<Vec<usize>> = (0..scenario.rounds.len())
            .map(|r| ranked(evaluation, r))
            .collect();
        let mut rank = vec![0; cands.len()];
        for list in &ranking {
            for (i, &c) in list.iter().enumerate() {
                rank[c] = i + 1;
            }
        }
        let mut by_project: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, a) in evaluation.assessments.iter().enumerate() {
            by_project.entry(a.project).or_default().push(i);
        }
        let mut projects = Vec::with_capacity(scenario.applications.len());
        for p in 0..scenario.applications.len() {
            let funded = outcome.portfolio.funded_candidate_of(evaluation, p);
            let assessments = by_project.get(&p).cloned().unwrap_or_default();
            let eligible = assessments
                .iter()
                .any(|&i| evaluation.assessments[i].candidate.is_some());
            let standing = match (funded, eligible) {
                (Some(_), _) => Standing::Funded,
                (None, true) => Standing::Unfunded,
                (None, false) => Standing::Ineligible,
            };
            let mut reasons = Vec::new();
            for &i in &assessments {
                let a = &evaluation.assessments[i];
                let round = &scenario.rounds[a.round].id;
                match a.candidate {
                    None => reasons.extend(a.reasons.iter().map(|r| format!("{round}: {}", r))),
                    Some(c) if funded.is_none() => {
                        let blocks = ledger.blocks(c);
                        if blocks.is_empty() {
                            reasons.push(format!(
                                "{round}: not selected (score {} adds nothing the optimum lacks)",
                                cands[c].score
                            ));
                        }
                        reasons.extend(blocks.iter().map(|b| {
                            format!(
                                "{round}: {}",
                                describe_block(scenario, evaluation, &outcome.portfolio.funded, b)
                            )
                        }));
                    }
                    Some(_) => {}
                }
            }
            projects.push((standing, funded, reasons));
        }
        Decisions {
            projects,
            ranking,
            rank,
        }
    }
}

/// Groups digits by thousands for reading: 30000000 → 30,000,000.
pub(crate) fn yuan(m: Money) -> String {
    let s = m.to_string();
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

/// What keeps a candidate out, in words that name the limit and who holds it.
pub fn describe_block(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &[usize],
    block: &Block,
) -> String {
    let apps = &scenario.applications;
    let cands = &evaluation.candidates;
    match block {
        Block::Excluded => "excluded by the committee".into(),
        Block::FundedElsewhere(r) => format!("funded in round {}", scenario.rounds[*r].id),
        Block::RoundFull { max, .. } => format!("round size: all {max} places are taken"),
        Block::GroupFull {
            round,
            limit,
            value,
        } => {
            let l = &scenario.rounds[*round].group_limits[*limit];
            let holders: Vec<&str> = funded
                .iter()
                .filter(|&&c| {
                    cands[c].round == *round
                        && apps[cands[c].project].attribute(&l.attribute) == Some(value.as_str())
                })
                .map(|&c| apps[cands[c].project].id.as_str())
                .collect();
            format!(
                "group limit: {} per {} — {value} is taken by {}",
                l.max,
                l.attribute,
                holders.join(", ")
            )
        }
        Block::Budget { pool, needs, left } => format!(
            "pool money: needs {}, pool {} has {} left",
            yuan(*needs),
            scenario.pools[*pool].id,
            yuan(Money::from_yuan(left.round_dp(2)))
        ),
        Block::EnterpriseFull { max } => {
            format!("enterprise limit: the enterprise already has {max} funded")
        }
        Block::Requires(o) => format!("requires {}, which is not funded", apps[*o].id),
        Block::Excludes(o) => format!(
            "cannot be funded together with {}, which is funded",
            apps[*o].id
        ),
    }
}
