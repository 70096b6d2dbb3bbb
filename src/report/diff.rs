//! What changed between two results: a committee's "what if we …?" is answered by solving twice
//! and comparing the certificates. Projects newly funded, no longer funded, moved to another round
//! or paid differently; money per pool; totals; funded per round; and the overrides each side was
//! computed under. Money and score deltas are exact decimals. The JSON form is documented in
//! `docs/output-format.md`.

use super::table::{pad, right};
use super::{lang, yuan};
use crate::error::{Error, Result};
use crate::scenario::{Lang, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The part of a solve certificate (`allot solve -f json`) a diff reads. Unknown fields are
/// ignored, so certificates with more fields still compare.
#[derive(Debug, Clone, Deserialize)]
pub struct Solved {
    /// Scenario name.
    pub scenario: String,
    /// The what-if overrides it was computed under.
    #[serde(default)]
    pub overrides: Vec<String>,
    /// `optimal` or `time_limit`.
    pub status: String,
    /// Σ score.
    pub total_score: Decimal,
    /// Σ paid.
    pub total_subsidy: Decimal,
    /// Pools and their money.
    pub pools: Vec<SolvedPool>,
    /// Rounds, in scenario order.
    pub rounds: Vec<SolvedRound>,
    /// The funded pairs.
    pub funded: Vec<SolvedAward>,
    /// Every application (for names).
    pub projects: Vec<SolvedProject>,
}

/// A pool of a certificate.
#[derive(Debug, Clone, Deserialize)]
pub struct SolvedPool {
    /// Pool id.
    pub id: String,
    /// Budget, yuan.
    pub budget: Decimal,
    /// Paid from it.
    pub spent: Decimal,
    /// Budget − spent.
    pub left: Decimal,
}

/// A round of a certificate.
#[derive(Debug, Clone, Deserialize)]
pub struct SolvedRound {
    /// Round id.
    pub id: String,
}

/// A funded pair of a certificate.
#[derive(Debug, Clone, Deserialize)]
pub struct SolvedAward {
    /// Project id.
    pub project: String,
    /// Round id.
    pub round: String,
    /// What is paid.
    pub subsidy: Decimal,
    /// The pair's score.
    pub score: Decimal,
}

/// An application of a certificate.
#[derive(Debug, Clone, Deserialize)]
pub struct SolvedProject {
    /// Project id.
    pub id: String,
    /// Project name.
    #[serde(default)]
    pub name: String,
}

/// Reads a solve certificate from `text`; `file` names it in messages (bad input, exit 2).
pub fn read_certificate(file: &str, text: &str) -> Result<Solved> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::input(
            file,
            format!("line {}, column {}", e.line(), e.column()),
            format!("not JSON: {}", strip_position(&e.to_string())),
        )
    })?;
    if !value.is_object() || value.get("funded").is_none() && value.get("pools").is_none() {
        return Err(Error::input(
            file,
            "",
            "not a solve certificate (the JSON object `allot solve -f json` writes)",
        ));
    }
    let solved: Solved = serde_json::from_value(value).map_err(|e| {
        Error::input(
            file,
            "",
            format!(
                "not a solve certificate: {}",
                strip_position(&e.to_string())
            ),
        )
    })?;
    let mut seen = BTreeMap::new();
    for f in &solved.funded {
        if let Some(first) = seen.insert(f.project.as_str(), f.round.as_str()) {
            return Err(Error::input(
                file,
                "funded",
                format!(
                    "project {} is funded twice (in {first} and {})",
                    f.project, f.round
                ),
            ));
        }
    }
    Ok(solved)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A value before and after, and the difference (after − before) when both exist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change<T> {
    /// In the base result (`null` when it lacks the item).
    pub before: Option<T>,
    /// In the what-if result (`null` when it lacks the item).
    pub after: Option<T>,
    /// after − before.
    pub delta: Option<T>,
}

impl<T: Copy + PartialEq + std::ops::Sub<Output = T> + Default> Change<T> {
    fn new(before: Option<T>, after: Option<T>) -> Change<T> {
        let delta = match (before, after) {
            (Some(b), Some(a)) => Some(a - b),
            _ => None,
        };
        Change {
            before,
            after,
            delta,
        }
    }

    fn is_zero(&self) -> bool {
        self.delta == Some(T::default())
    }
}

fn money(before: Option<Decimal>, after: Option<Decimal>) -> Change<Decimal> {
    let mut c = Change::new(before, after);
    c.delta = c.delta.map(|d| d.normalize());
    c
}

/// Which result a side is, and what it was computed under.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The certificate file as named on the command line.
    pub file: String,
    /// Scenario name.
    pub scenario: String,
    /// `optimal` or `time_limit`.
    pub status: String,
    /// The what-if overrides.
    pub overrides: Vec<String>,
}

/// A project funded on one side only.
#[derive(Debug, Clone, Serialize)]
pub struct Award {
    /// Project id.
    pub project: String,
    /// Project name.
    pub name: String,
    /// The round it is funded in.
    pub round: String,
    /// What it is paid.
    pub subsidy: Decimal,
    /// Its score there.
    pub score: Decimal,
}

/// A project funded on both sides, in different rounds.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    /// Project id.
    pub project: String,
    /// Project name.
    pub name: String,
    /// Round in the base result.
    pub from: String,
    /// Round in the what-if result.
    pub to: String,
    /// Paid before and after.
    pub subsidy: Change<Decimal>,
    /// Score before and after.
    pub score: Change<Decimal>,
}

/// A project funded in the same round on both sides but paid a different amount.
#[derive(Debug, Clone, Serialize)]
pub struct Repaid {
    /// Project id.
    pub project: String,
    /// Project name.
    pub name: String,
    /// The round.
    pub round: String,
    /// Paid before and after.
    pub subsidy: Change<Decimal>,
}

/// A pool's money before and after.
#[derive(Debug, Clone, Serialize)]
pub struct PoolChange {
    /// Pool id.
    pub id: String,
    /// Budget.
    pub budget: Change<Decimal>,
    /// Paid from it.
    pub spent: Change<Decimal>,
    /// Left over.
    pub left: Change<Decimal>,
}

/// The number funded in a round before and after.
#[derive(Debug, Clone, Serialize)]
pub struct RoundChange {
    /// Round id.
    pub id: String,
    /// Funded projects.
    pub funded: Change<i64>,
}

/// Everything that differs between two results.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// True when the results are the same: no project changes, every delta zero (the overrides
    /// and scenario names may differ).
    pub same: bool,
    /// The base result.
    pub base: Side,
    /// The what-if result.
    pub whatif: Side,
    /// Funded in the what-if result only.
    pub added: Vec<Award>,
    /// Funded in the base result only.
    pub removed: Vec<Award>,
    /// Funded on both sides in different rounds.
    pub moved: Vec<Moved>,
    /// Funded in the same round, paid differently.
    pub subsidy_changed: Vec<Repaid>,
    /// Σ score.
    pub total_score: Change<Decimal>,
    /// Σ paid.
    pub total_subsidy: Change<Decimal>,
    /// Every pool of either side, base order first.
    pub pools: Vec<PoolChange>,
    /// Every round of either side, base order first.
    pub rounds: Vec<RoundChange>,
}

/// Ids of both sides: the base's in order, then the what-if's new ones.
fn union<'a>(a: impl Iterator<Item = &'a str>, b: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for id in a.chain(b) {
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Compares two results; `files` name them as the user did.
pub fn diff(base: &Solved, whatif: &Solved, files: [&str; 2]) -> Diff {
    let side = |s: &Solved, file: &str| Side {
        file: file.to_string(),
        scenario: s.scenario.clone(),
        status: s.status.clone(),
        overrides: s.overrides.clone(),
    };
    let names: BTreeMap<&str, &str> = base
        .projects
        .iter()
        .chain(&whatif.projects)
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let name = |id: &str| names.get(id).copied().unwrap_or("").to_string();
    let before: BTreeMap<&str, &SolvedAward> = base
        .funded
        .iter()
        .map(|f| (f.project.as_str(), f))
        .collect();
    let after: BTreeMap<&str, &SolvedAward> = whatif
        .funded
        .iter()
        .map(|f| (f.project.as_str(), f))
        .collect();
    let award = |f: &SolvedAward| Award {
        project: f.project.clone(),
        name: name(&f.project),
        round: f.round.clone(),
        subsidy: f.subsidy,
        score: f.score,
    };
    let added: Vec<Award> = after
        .iter()
        .filter(|(p, _)| !before.contains_key(*p))
        .map(|(_, f)| award(f))
        .collect();
    let removed: Vec<Award> = before
        .iter()
        .filter(|(p, _)| !after.contains_key(*p))
        .map(|(_, f)| award(f))
        .collect();
    let mut moved = Vec::new();
    let mut subsidy_changed = Vec::new();
    for (p, b) in &before {
        let Some(a) = after.get(p) else { continue };
        if a.round != b.round {
            moved.push(Moved {
                project: p.to_string(),
                name: name(p),
                from: b.round.clone(),
                to: a.round.clone(),
                subsidy: money(Some(b.subsidy), Some(a.subsidy)),
                score: money(Some(b.score), Some(a.score)),
            });
        } else if a.subsidy != b.subsidy {
            subsidy_changed.push(Repaid {
                project: p.to_string(),
                name: name(p),
                round: b.round.clone(),
                subsidy: money(Some(b.subsidy), Some(a.subsidy)),
            });
        }
    }
    let pools = union(
        base.pools.iter().map(|p| p.id.as_str()),
        whatif.pools.iter().map(|p| p.id.as_str()),
    )
    .into_iter()
    .map(|id| {
        let b = base.pools.iter().find(|p| p.id == id);
        let a = whatif.pools.iter().find(|p| p.id == id);
        PoolChange {
            id: id.to_string(),
            budget: money(b.map(|p| p.budget), a.map(|p| p.budget)),
            spent: money(b.map(|p| p.spent), a.map(|p| p.spent)),
            left: money(b.map(|p| p.left), a.map(|p| p.left)),
        }
    })
    .collect::<Vec<_>>();
    let count = |s: &Solved, round: &str| -> Option<i64> {
        s.rounds
            .iter()
            .any(|r| r.id == round)
            .then(|| s.funded.iter().filter(|f| f.round == round).count() as i64)
    };
    let rounds = union(
        base.rounds.iter().map(|r| r.id.as_str()),
        whatif.rounds.iter().map(|r| r.id.as_str()),
    )
    .into_iter()
    .map(|id| RoundChange {
        id: id.to_string(),
        funded: Change::new(count(base, id), count(whatif, id)),
    })
    .collect::<Vec<_>>();
    let total_score = money(Some(base.total_score), Some(whatif.total_score));
    let total_subsidy = money(Some(base.total_subsidy), Some(whatif.total_subsidy));
    let same = added.is_empty()
        && removed.is_empty()
        && moved.is_empty()
        && subsidy_changed.is_empty()
        && total_score.is_zero()
        && total_subsidy.is_zero()
        && pools
            .iter()
            .all(|p| p.budget.is_zero() && p.spent.is_zero() && p.left.is_zero())
        && rounds.iter().all(|r| r.funded.is_zero());
    Diff {
        same,
        base: side(base, files[0]),
        whatif: side(whatif, files[1]),
        added,
        removed,
        moved,
        subsidy_changed,
        total_score,
        total_subsidy,
        pools,
        rounds,
    }
}

/// Yuan grouped by thousands, with the sign of a delta (`+5,000,000`, `-120,000`, `0`).
fn signed_yuan(d: Decimal) -> String {
    let sign = if d > Decimal::ZERO {
        "+"
    } else if d < Decimal::ZERO {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", yuan(Money::from_yuan(d.abs())))
}

fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{}", d.normalize())
    } else {
        d.normalize().to_string()
    }
}

fn shown(value: Option<Decimal>, show: fn(Decimal) -> String) -> String {
    value.map_or_else(|| "-".to_string(), show)
}

fn money_text(d: Decimal) -> String {
    yuan(Money::from_yuan(d))
}

fn score_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The diff as a table for people, in `lang`.
pub fn diff_table(diff: &Diff, lang: Lang) -> String {
    let mut out = String::new();
    let labels = lang::diff_labels(lang);
    for (label, side) in labels.iter().zip([&diff.base, &diff.whatif]) {
        let _ = writeln!(
            out,
            "{}",
            lang::diff_side(
                lang,
                label,
                &side.file,
                &side.scenario,
                &side.status,
                &side.overrides
            )
        );
    }
    let _ = writeln!(out);
    if diff.same {
        let _ = writeln!(out, "{}", lang::no_change(lang));
        return out;
    }
    let [projects, totals, pools, rounds] = lang::diff_headings(lang);
    let [w_in, w_out, w_moved, w_subsidy] = lang::change_words(lang);
    let changes =
        diff.added.len() + diff.removed.len() + diff.moved.len() + diff.subsidy_changed.len();
    if changes > 0 {
        let _ = writeln!(out, "{projects}");
        let line =
            |out: &mut String, word: &str, id: &str, name: &str, round: &str, rest: String| {
                let _ = writeln!(
                    out,
                    "{} {} {} {} {rest}",
                    pad(word, 8),
                    pad(id, 8),
                    pad(name, 28),
                    pad(round, 24)
                );
            };
        let [change, project, name, round, score, subsidy] = lang::change_columns(lang);
        line(
            &mut out,
            change,
            project,
            name,
            round,
            format!("{} {}", right(score, 9), right(subsidy, 12)),
        );
        for (word, list) in [(w_in, &diff.added), (w_out, &diff.removed)] {
            for a in list {
                line(
                    &mut out,
                    word,
                    &a.project,
                    &a.name,
                    &a.round,
                    format!(
                        "{} {}",
                        right(&score_text(a.score), 9),
                        right(&money_text(a.subsidy), 12)
                    ),
                );
            }
        }
        for m in &diff.moved {
            line(
                &mut out,
                w_moved,
                &m.project,
                &m.name,
                &format!("{} → {}", m.from, m.to),
                format!(
                    "{} → {}, {} → {}",
                    shown(m.score.before, score_text),
                    shown(m.score.after, score_text),
                    shown(m.subsidy.before, money_text),
                    shown(m.subsidy.after, money_text)
                ),
            );
        }
        for r in &diff.subsidy_changed {
            line(
                &mut out,
                w_subsidy,
                &r.project,
                &r.name,
                &r.round,
                format!(
                    "{} → {} ({})",
                    shown(r.subsidy.before, money_text),
                    shown(r.subsidy.after, money_text),
                    shown(r.subsidy.delta, signed_yuan)
                ),
            );
        }
        let _ = writeln!(out);
    }
    let [before, after, delta] = lang::delta_columns(lang);
    let [score_row, subsidy_row, budget_row, spent_row, left_row] = lang::money_rows(lang);
    let header = |out: &mut String| {
        let _ = writeln!(
            out,
            "{} {} {} {}",
            pad("", 27),
            right(before, 14),
            right(after, 14),
            right(delta, 14)
        );
    };
    let row = |out: &mut String,
               first: &str,
               second: &str,
               c: &Change<Decimal>,
               show: fn(Decimal) -> String,
               sign: fn(Decimal) -> String| {
        let _ = writeln!(
            out,
            "{} {} {} {} {}",
            pad(first, 12),
            pad(second, 14),
            right(&shown(c.before, show), 14),
            right(&shown(c.after, show), 14),
            right(&shown(c.delta, sign), 14)
        );
    };
    let _ = writeln!(out, "{totals}");
    header(&mut out);
    row(
        &mut out,
        "",
        score_row,
        &diff.total_score,
        score_text,
        signed,
    );
    row(
        &mut out,
        "",
        subsidy_row,
        &diff.total_subsidy,
        money_text,
        signed_yuan,
    );
    let _ = writeln!(out, "\n{pools}");
    header(&mut out);
    for p in &diff.pools {
        row(
            &mut out,
            &p.id,
            budget_row,
            &p.budget,
            money_text,
            signed_yuan,
        );
        row(&mut out, "", spent_row, &p.spent, money_text, signed_yuan);
        row(&mut out, "", left_row, &p.left, money_text, signed_yuan);
    }
    let _ = writeln!(out, "\n{rounds}");
    header(&mut out);
    let count = |v: Option<i64>| v.map_or_else(|| "-".to_string(), |n| n.to_string());
    for r in &diff.rounds {
        let d = r.funded.delta.map_or_else(
            || "-".to_string(),
            |n| {
                if n > 0 {
                    format!("+{n}")
                } else {
                    n.to_string()
                }
            },
        );
        let _ = writeln!(
            out,
            "{} {} {} {} {}",
            pad(&r.id, 12),
            pad("", 14),
            right(&count(r.funded.before), 14),
            right(&count(r.funded.after), 14),
            right(&d, 14)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn solved(funded: &[(&str, &str, Decimal)], budget: Decimal) -> Solved {
        let spent: Decimal = funded.iter().map(|f| f.2).sum();
        Solved {
            scenario: "s".into(),
            overrides: vec![],
            status: "optimal".into(),
            total_score: Decimal::from(funded.len() as i64),
            total_subsidy: spent,
            pools: vec![SolvedPool {
                id: "p".into(),
                budget,
                spent,
                left: budget - spent,
            }],
            rounds: vec![
                SolvedRound { id: "a".into() },
                SolvedRound { id: "b".into() },
            ],
            funded: funded
                .iter()
                .map(|(p, r, s)| SolvedAward {
                    project: p.to_string(),
                    round: r.to_string(),
                    subsidy: *s,
                    score: dec!(1),
                })
                .collect(),
            projects: vec![],
        }
    }

    #[test]
    fn a_result_compared_with_itself_is_the_same() {
        let s = solved(&[("A", "a", dec!(10)), ("B", "b", dec!(5))], dec!(20));
        let d = diff(&s, &s, ["x", "x"]);
        assert!(d.same);
        assert!(diff_table(&d, Lang::En).ends_with("\nno change\n"));
        assert!(diff_table(&d, Lang::Zh).ends_with("\n无变化\n"));
    }

    #[test]
    fn projects_in_out_moved_and_repaid_are_told_apart() {
        let base = solved(
            &[
                ("A", "a", dec!(10)),
                ("B", "b", dec!(5)),
                ("C", "a", dec!(3)),
            ],
            dec!(20),
        );
        let whatif = solved(
            &[
                ("B", "a", dec!(6)),
                ("C", "a", dec!(2.5)),
                ("D", "b", dec!(4)),
            ],
            dec!(25),
        );
        let d = diff(&base, &whatif, ["x", "y"]);
        assert!(!d.same);
        assert_eq!(
            d.added.iter().map(|a| &a.project).collect::<Vec<_>>(),
            ["D"]
        );
        assert_eq!(
            d.removed.iter().map(|a| &a.project).collect::<Vec<_>>(),
            ["A"]
        );
        assert_eq!(d.moved.len(), 1);
        assert_eq!(
            (d.moved[0].from.as_str(), d.moved[0].to.as_str()),
            ("b", "a")
        );
        assert_eq!(d.subsidy_changed[0].subsidy.delta, Some(dec!(-0.5)));
        assert_eq!(d.pools[0].budget.delta, Some(dec!(5)));
        assert_eq!(d.pools[0].spent.delta, Some(dec!(-5.5)));
        assert_eq!(d.rounds[0].funded, Change::new(Some(2), Some(2)));
        assert_eq!(d.rounds[1].funded, Change::new(Some(1), Some(1)));
        let table = diff_table(&d, Lang::En);
        for part in [
            "in       D",
            "out      A",
            "moved    B",
            "b → a",
            "3 → 2.5 (-0.5)",
            "+5",
        ] {
            assert!(table.contains(part), "{part:?} not in\n{table}");
        }
    }

    #[test]
    fn bad_certificates_are_refused_with_the_file_named() {
        let err = read_certificate("a.json", "{").unwrap_err().to_string();
        assert!(
            err.starts_with("a.json: line 1, column 1: not JSON"),
            "{err}"
        );
        let err = read_certificate("b.json", "[]").unwrap_err().to_string();
        assert!(err.contains("b.json: not a solve certificate"), "{err}");
        let err = read_certificate("c.json", r#"{"pools": []}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("c.json: not a solve certificate: missing field"),
            "{err}"
        );
    }
}
