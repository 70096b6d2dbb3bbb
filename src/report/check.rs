//! `allot check`: every project's eligibility, computed subsidy and score in each round it entered,
//! without solving.

use super::table::{pad, right};
use super::{lang, yuan};
use crate::rules::Evaluation;
use crate::scenario::{Lang, Scenario};
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

fn rows<'a>(scenario: &'a Scenario, evaluation: &Evaluation, lang: Lang) -> Vec<Row<'a>> {
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
                reasons: a.reasons.iter().map(|r| r.text(lang)).collect(),
            }
        })
        .collect()
}

/// The check as a table, in `lang`.
pub fn check_table(scenario: &Scenario, evaluation: &Evaluation, lang: Lang) -> String {
    let mut out = String::new();
    let rows = rows(scenario, evaluation, lang);
    let eligible = rows.iter().filter(|r| r.eligible).count();
    let _ = writeln!(
        out,
        "{}\n",
        lang::check_summary(
            lang,
            &scenario.name,
            scenario.applications.len(),
            rows.len(),
            eligible
        )
    );
    let [project, name, round, subsidy, score, eligibility] = lang::check_columns(lang);
    let _ = writeln!(
        out,
        "{} {} {} {} {} {eligibility}",
        pad(project, 8),
        pad(name, 28),
        pad(round, 12),
        right(subsidy, 12),
        right(score, 9),
    );
    for r in &rows {
        let verdict = if r.eligible {
            lang::eligible(lang).to_string()
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

/// The check as JSON (an array of entries; reasons in English, like the certificate).
pub fn check_json(scenario: &Scenario, evaluation: &Evaluation) -> String {
    serde_json::to_string_pretty(&rows(scenario, evaluation, Lang::En)).unwrap_or_default() + "\n"
}

/// The check as CSV: English headers (for scripts), reasons in `lang`.
pub fn check_csv(scenario: &Scenario, evaluation: &Evaluation, lang: Lang) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "project", "name", "round", "eligible", "subsidy", "score", "reasons",
    ]);
    for r in rows(scenario, evaluation, lang) {
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
