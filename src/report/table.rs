//! The table for people: per round the ranked shortlist with the funding line, per pool the money,
//! and what the optimum gains over rank-and-cut.

use super::{lang, yuan, Decisions, Standing};
use crate::rules::{Candidate, Evaluation};
use crate::scenario::{Application, Lang, Scenario};
use crate::solve::{Outcome, Portfolio, Status};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// Pads `text` to `width` display columns (CJK characters count two), truncating with `…`.
pub(crate) fn pad(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = UnicodeWidthStr::width(ch.encode_utf8(&mut [0; 4]) as &str);
        if used + w > width.saturating_sub(1) && UnicodeWidthStr::width(text) > width {
            out.push('…');
            used += 1;
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// Right-aligns `text` in `width` columns.
pub(crate) fn right(text: &str, width: usize) -> String {
    format!(
        "{}{text}",
        " ".repeat(width.saturating_sub(UnicodeWidthStr::width(text)))
    )
}

/// Renders the whole result as text tables, in the language of `decisions`.
pub fn table(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    decisions: &Decisions,
) -> String {
    let mut out = String::new();
    let portfolio = &outcome.portfolio;
    let lang = decisions.lang;
    let _ = writeln!(out, "{}", scenario.name);
    let status = match outcome.status {
        Status::Optimal => lang::status_optimal(lang),
        Status::TimeLimit { gap } => lang::status_time_limit(lang, &format!("{:.4}", gap * 100.0)),
    };
    let _ = writeln!(out, "{status}");
    let _ = writeln!(
        out,
        "{}\n",
        lang::funded_summary(
            lang,
            portfolio.funded.len(),
            &super::points(portfolio.total_score),
            &yuan(portfolio.total_paid()),
            &lang::money_unit(lang, scenario)
        )
    );

    let t = Table {
        scenario,
        cands: &evaluation.candidates,
        apps: &scenario.applications,
        outcome,
        portfolio,
        decisions,
        lang,
    };
    rounds(&mut out, &t);
    pools(&mut out, scenario, outcome, lang);
    standings(&mut out, scenario, outcome, decisions);
    comparison(&mut out, &t);
    out
}

/// What the sections of the table read.
#[derive(Clone, Copy)]
struct Table<'a> {
    scenario: &'a Scenario,
    cands: &'a [Candidate],
    apps: &'a [Application],
    outcome: &'a Outcome,
    portfolio: &'a Portfolio,
    decisions: &'a Decisions,
    lang: Lang,
}

/// Each round's ranked entries, with the funding line.
fn rounds(out: &mut String, t: &Table) {
    let Table {
        scenario,
        cands,
        apps,
        portfolio,
        decisions,
        lang,
        ..
    } = *t;
    for (r, round) in scenario.rounds.iter().enumerate() {
        let ranking = &decisions.ranking[r];
        let funded_here: Vec<usize> = portfolio
            .funded
            .iter()
            .copied()
            .filter(|&c| cands[c].round == r)
            .collect();
        let _ = writeln!(
            out,
            "{}",
            lang::round_heading(
                lang,
                &round.name,
                funded_here.len(),
                round.max_projects,
                &scenario.pools[round.pool].id
            )
        );
        if ranking.is_empty() {
            let _ = writeln!(out, "   {}\n", lang::no_eligible(lang));
            continue;
        }
        let [rank, project, name, score, subsidy, _, decision] = lang::shortlist_columns(lang);
        let subsidy = lang::money_heading(lang, scenario, subsidy);
        let _ = writeln!(
            out,
            "{} {} {} {} {} {} {decision}",
            right(rank, 4),
            pad(project, 8),
            pad(name, 28),
            right(score, 9),
            right(&subsidy, 14),
            right(&lang::value_heading(lang, scenario), 8),
        );
        let last_funded = ranking.iter().rposition(|c| funded_here.contains(c));
        for (i, &c) in ranking.iter().enumerate() {
            let cand = &cands[c];
            let app = &apps[cand.project];
            let (_, funded, reasons) = &decisions.projects[cand.project];
            let decision = if funded_here.contains(&c) {
                lang::funded_here(lang).to_string()
            } else if let Some(f) = funded {
                lang::funded_in(lang, &scenario.rounds[cands[*f].round].name)
            } else {
                let prefix = format!("{}: ", round.id);
                reasons
                    .iter()
                    .filter_map(|r| r.strip_prefix(&prefix))
                    .collect::<Vec<_>>()
                    .join(lang::separator(lang))
            };
            let _ = writeln!(
                out,
                "{} {} {} {} {} {} {}",
                right(&(i + 1).to_string(), 4),
                pad(&app.id, 8),
                pad(&app.name, 28),
                right(&super::points(cand.score), 9),
                right(&yuan(cand.subsidy), 14),
                right(&super::per_wan(cand.score, cand.subsidy), 8),
                decision
            );
            if Some(i) == last_funded {
                let _ = writeln!(
                    out,
                    "     {} {} {}",
                    "─".repeat(20),
                    lang::funding_line(lang, &super::points(cand.score)),
                    "─".repeat(30)
                );
            }
        }
        let _ = writeln!(out);
    }
}

/// The pools: budget, spent, left, scale.
fn pools(out: &mut String, scenario: &Scenario, outcome: &Outcome, lang: Lang) {
    let portfolio = &outcome.portfolio;
    let _ = writeln!(out, "{}", lang::pools_heading(lang));
    let [pool, budget, spent, left, scale] = lang::pool_columns(lang);
    let _ = writeln!(
        out,
        "{} {} {} {} {scale}",
        pad(pool, 10),
        right(&lang::money_heading(lang, scenario, budget), 16),
        right(&lang::money_heading(lang, scenario, spent), 16),
        right(&lang::money_heading(lang, scenario, left), 16),
    );
    for (p, u) in scenario.pools.iter().zip(&portfolio.pools) {
        let scale = match u.scale {
            Some(l) => format!("λ = {}", l.round_dp(6).normalize()),
            None => "-".into(),
        };
        let _ = writeln!(
            out,
            "{} {} {} {} {scale}",
            pad(&p.id, 10),
            right(&yuan(p.budget), 16),
            right(&yuan(u.spent), 16),
            right(&yuan(u.left), 16)
        );
    }
}

/// How many projects are funded, unfunded and ineligible.
fn standings(out: &mut String, scenario: &Scenario, outcome: &Outcome, decisions: &Decisions) {
    let apps = &scenario.applications;
    let portfolio = &outcome.portfolio;
    let lang = decisions.lang;
    let ineligible = decisions
        .projects
        .iter()
        .filter(|(s, _, _)| *s == Standing::Ineligible)
        .count();
    let unfunded = decisions
        .projects
        .iter()
        .filter(|(s, _, _)| *s == Standing::Unfunded)
        .count();
    let _ = writeln!(
        out,
        "\n{}",
        lang::standings(
            lang,
            apps.len(),
            portfolio.funded.len(),
            unfunded,
            ineligible
        )
    );
}

/// The optimum against the baseline, and what only one of them funds.
/// Where the optimum's gain over the baseline `b` comes from: the number of projects and their
/// average amount, then each round's projects, points and money in both.
pub(crate) fn gain_lines(
    scenario: &Scenario,
    cands: &[crate::rules::Candidate],
    portfolio: &crate::solve::Portfolio,
    b: &crate::solve::Portfolio,
    decisions: &Decisions,
) -> Vec<String> {
    let lang = decisions.lang;
    let average = |p: &crate::solve::Portfolio| -> String {
        if p.funded.is_empty() {
            return "-".into();
        }
        let total: rust_decimal::Decimal = p.funded.iter().map(|&c| cands[c].subsidy.yuan()).sum();
        let mean = total / rust_decimal::Decimal::from(p.funded.len());
        yuan(crate::scenario::Money::round_to_yuan(mean))
    };
    let mut lines = vec![lang::gain_from(
        lang,
        decisions.baseline_method,
        (portfolio.funded.len(), b.funded.len()),
        (&average(portfolio), &average(b)),
    )];
    for (r, round) in scenario.rounds.iter().enumerate() {
        let of = |p: &crate::solve::Portfolio| {
            let here: Vec<usize> = p
                .funded
                .iter()
                .copied()
                .filter(|&c| cands[c].round == r)
                .collect();
            let score: rust_decimal::Decimal = here.iter().map(|&c| cands[c].score).sum();
            let money: rust_decimal::Decimal = here.iter().map(|&c| cands[c].subsidy.yuan()).sum();
            (
                here.len(),
                super::points(score),
                yuan(crate::scenario::Money::from_yuan(money)),
            )
        };
        let (o, base) = (of(portfolio), of(b));
        lines.push(lang::round_comparison(
            lang,
            decisions.baseline_method,
            &round.name,
            (o.0, &o.1, &o.2),
            (base.0, &base.1, &base.2),
        ));
    }
    lines
}

fn comparison(out: &mut String, t: &Table) {
    let Table {
        scenario,
        cands,
        apps,
        outcome,
        portfolio,
        decisions,
        lang,
    } = *t;
    let _ = writeln!(
        out,
        "\n{}",
        lang::comparison_heading(lang, decisions.baseline_method)
    );
    match &outcome.baseline {
        None => {
            let _ = writeln!(
                out,
                "{}",
                lang::no_comparison(lang, decisions.baseline_method)
            );
        }
        Some(b) => {
            let [projects, total_score, subsidy] = lang::comparison_columns(lang);
            let _ = writeln!(
                out,
                "{} {} {} {}",
                pad("", 14),
                right(projects, 9),
                right(total_score, 13),
                right(&lang::money_heading(lang, scenario, subsidy), 16)
            );
            for (label, p) in [
                (lang::optimal(lang), portfolio),
                (lang::baseline_name(lang, decisions.baseline_method), b),
            ] {
                let _ = writeln!(
                    out,
                    "{} {} {} {}",
                    pad(label, 14),
                    right(&p.funded.len().to_string(), 9),
                    right(&super::points(p.total_score), 13),
                    right(&yuan(p.total_paid()), 16)
                );
            }
            let _ = writeln!(
                out,
                "{}",
                lang::gain_over(lang, portfolio.total_score, b.total_score)
            );
            for line in gain_lines(scenario, cands, portfolio, b, decisions) {
                let _ = writeln!(out, "{line}");
            }
            let name = |c: &usize| {
                format!(
                    "{}@{}",
                    apps[cands[*c].project].id, scenario.rounds[cands[*c].round].id
                )
            };
            let only_opt: Vec<String> = portfolio
                .funded
                .iter()
                .filter(|c| !b.funded.contains(c))
                .map(name)
                .collect();
            let only_base: Vec<String> = b
                .funded
                .iter()
                .filter(|c| !portfolio.funded.contains(c))
                .map(name)
                .collect();
            if !only_opt.is_empty() {
                let _ = writeln!(out, "{}", lang::only_in_optimum(lang, &only_opt.join(", ")));
            }
            if !only_base.is_empty() {
                let _ = writeln!(
                    out,
                    "{}",
                    lang::only_in_baseline(lang, decisions.baseline_method, &only_base.join(", "))
                );
            }
        }
    }
}
