//! One row per project for a planner's spreadsheet: standing, round, amount paid, score and rank,
//! and the reasons.

use super::Decisions;
use crate::rules::Evaluation;
use crate::scenario::Scenario;
use crate::solve::Outcome;

/// Renders the result as CSV text.
pub fn csv(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    decisions: &Decisions,
) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "project",
        "name",
        "enterprise",
        "status",
        "round",
        "subsidy",
        "score",
        "rank",
        "reasons",
    ]);
    for (p, app) in scenario.applications.iter().enumerate() {
        let (standing, funded, reasons) = &decisions.projects[p];
        let (round, subsidy, score, rank) = match funded {
            Some(c) => {
                let cand = &evaluation.candidates[*c];
                let i = outcome
                    .portfolio
                    .funded
                    .iter()
                    .position(|f| f == c)
                    .unwrap_or(0);
                (
                    scenario.rounds[cand.round].id.clone(),
                    outcome
                        .portfolio
                        .paid
                        .get(i)
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                    cand.score.to_string(),
                    decisions.rank[*c].to_string(),
                )
            }
            None => Default::default(),
        };
        let _ = w.write_record([
            app.id.as_str(),
            &app.name,
            &app.enterprise,
            standing.as_str(),
            &round,
            &subsidy,
            &score,
            &rank,
            &if funded.is_some() {
                String::new()
            } else {
                reasons.join("; ")
            },
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
