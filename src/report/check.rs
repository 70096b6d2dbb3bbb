//! `allot check`: every project's eligibility, computed subsidy and score in each round it entered,
//! without solving.

use super::table::{pad, right};
use super::yuan;
use crate::rules::Evaluation;
use crate::scenario::Scenario;
use serde::Serialize;
use std::fmt::Write;

#[derive(Serialize)]
struct Row<'a> {
    project: &'a str,
    name: &'a str,
    round: &'a str,
    eligible: bool,
    subsidy: crate::scenario::Money,
    score: Option<rust_decimal::Decimal>,
    reasons: Vec<String>,
}

fn rows<'a>(scenario: &'a Scenario, evaluation: &Evaluation) -> Vec<Row<'a>> {
    evaluation
        .assessments
        .iter()
        .map(|a| {
            let app = &scenario.applications[a.project];
            Row {
                project: &app.id,
                name: &app.name,
                round: &scenario.rounds[a.round].id,
                eligible: a.candidate.is_some(),
                subsidy: a.subsidy,
                score: a.score,
                reasons: a.reasons.iter().map(ToString::to_string).collect(),
            }
        })
        .collect()
}

/// The check as a table.
pub fn check_table(scenario: &Scenario, evaluation: &Evaluation) -> String {
    let mut out = String::new();
    let rows = rows(scenario, evaluation);
    let eligible = rows.iter().filter(|r| r.eligible).count();
    let _ = writeln!(
        out,
        "{}: {} applications, {} (project, round) entries, {eligible} eligible\n",
        scenario.name,
        scenario.applications.len(),
        rows.len()
    );
    let _ = writeln!(
        out,
        "{} {} {} {} {} eligibility",
        pad("project", 8),
        pad("name", 28),
        pad("round", 12),
        right("subsidy", 12),
        right("score", 9),
    );
    for r in &rows {
        let verdict = if r.eligible {
            "eligible".to_string()
        } else {
            r.reasons.join("; ")
        };
        let _ = writeln!(
            out,
            "{} {} {} {} {} {verdict}",
            pad(r.project, 8),
            pad(r.name, 28),
            pad(r.round, 12),
            right(&yuan(r.subsidy), 12),
            right(
                &r.score.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                9
            )
        );
    }
    out
}

/// The check as JSON (an array of entries).
pub fn check_json(scenario: &Scenario, evaluation: &Evaluation) -> String {
    serde_json::to_string_pretty(&rows(scenario, evaluation)).unwrap_or_default() + "\n"
}

/// The check as CSV.
pub fn check_csv(scenario: &Scenario, evaluation: &Evaluation) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "project", "name", "round", "eligible", "subsidy", "score", "reasons",
    ]);
    for r in rows(scenario, evaluation) {
        let _ = w.write_record([
            r.project,
            r.name,
            r.round,
            if r.eligible { "yes" } else { "no" },
            &r.subsidy.to_string(),
            &r.score.map(|s| s.to_string()).unwrap_or_default(),
            &r.reasons.join("; "),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
