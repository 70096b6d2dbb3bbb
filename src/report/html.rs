//! The committee report: one self-contained HTML file (inline CSS and SVG, no script, no external
//! reference) that prints on A4. It says what the table says — summary, each round's ranked list
//! with the funding line and the reason for every unfunded entry, the pools, the comparison with
//! rank-and-cut — and adds the exact margins of the projects near each funding line, the reserve
//! lists and, when given, a sweep's charts and acceptability table. Every piece of text from the
//! scenario goes through [`escape`]; the output is a function of its inputs only (no timestamp).

use super::sweep::{class, percent};
use super::{
    chart, heading, lang, resolution_text, round_subsidy_margin_text, score_margin_text, yuan,
    Decisions, Standing,
};
use crate::error::Result;
use crate::explain::{Explanation, Pair, Reserve};
use crate::rules::Evaluation;
use crate::scenario::{Lang, Scenario};
use crate::solve::{Outcome, Status};
use crate::sweep::{SweepHeader, Tally};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Default number of entries on each side of a funding line whose margins the report computes.
pub const NEAR: usize = 3;

/// Everything the report shows, computed by the caller (the margins and reserve lists cost
/// re-solves, so the caller decides which projects get them).
pub struct Report<'a> {
    /// The scenario, what-ifs applied.
    pub scenario: &'a Scenario,
    /// Its evaluation.
    pub evaluation: &'a Evaluation,
    /// The solve's outcome.
    pub outcome: &'a Outcome,
    /// Standings and reasons, in the report's language.
    pub decisions: &'a Decisions,
    /// The what-if overrides, as `Overrides::describe` gives them (empty: none).
    pub overrides: &'a [String],
    /// What the committee should know first (`crate::explain::warnings`).
    pub warnings: &'a [crate::explain::Warning],
    /// How many entries each side of the line are "near" it.
    pub near: usize,
    /// Per round, the entries near the line ([`near_line`]).
    pub near_line: &'a [Vec<usize>],
    /// The explanations of every project in `near_line`.
    pub margins: &'a [Explanation],
    /// The reserve list of every round (empty: the section is left out).
    pub reserves: &'a [Reserve],
    /// A sweep of the same scenario, with where it was read from.
    pub sweep: Option<(&'a SweepHeader, &'a Tally)>,
    /// What a time limit left out (`allot report --time-limit`).
    pub left_out: LeftOut,
}

/// What a time limit left out of the report: nothing without one.
#[derive(Debug, Clone, Copy, Default)]
pub struct LeftOut {
    /// Prices of inclusion not found (those entries keep the portfolio's limits as reasons)...
    pub unpriced: usize,
    /// ... of the prices sought.
    pub priced_of: usize,
    /// Projects near the lines whose margins the limit left unfound (not begun, or ended past it)...
    pub unexplained: usize,
    /// ... of the projects near the lines.
    pub explained_of: usize,
    /// Projects shown with some margins the limit left unfound (marked as not found).
    pub incomplete: usize,
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// The candidates of round `r` funded in that round, in rank order.
fn funded_in_round(r: usize, outcome: &Outcome, decisions: &Decisions) -> Vec<usize> {
    decisions.ranking[r]
        .iter()
        .copied()
        .filter(|c| outcome.portfolio.funded.contains(c))
        .collect()
}

/// The entries near each funding line: per round, the last `k` entries funded there and the first
/// `k` eligible entries of projects funded nowhere, as candidate indices in rank order.
pub fn near_line(
    evaluation: &Evaluation,
    outcome: &Outcome,
    decisions: &Decisions,
    k: usize,
) -> Vec<Vec<usize>> {
    (0..decisions.ranking.len())
        .map(|r| {
            let funded = funded_in_round(r, outcome, decisions);
            let last: BTreeSet<usize> = funded.iter().rev().take(k).copied().collect();
            let first: BTreeSet<usize> = decisions.ranking[r]
                .iter()
                .copied()
                .filter(|&c| {
                    decisions.projects[evaluation.candidates[c].project].0 == Standing::Unfunded
                })
                .take(k)
                .collect();
            decisions.ranking[r]
                .iter()
                .copied()
                .filter(|c| last.contains(c) || first.contains(c))
                .collect()
        })
        .collect()
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 1080px; padding: 24px 28px 48px; color: #1d2433; background: #fff;
  font: 13px/1.45 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
header.title { border-bottom: 3px solid #1f3a68; padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 22px; margin: 0 0 4px; color: #1f3a68; }
h2 { font-size: 17px; margin: 28px 0 8px; color: #1f3a68; border-bottom: 1px solid #c9d3e3;
  padding-bottom: 3px; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 14px; margin: 18px 0 6px; color: #2c3e5c; break-after: avoid; page-break-after: avoid; }
p { margin: 4px 0 8px; }
.subtitle { color: #4a5568; margin: 2px 0; }
.status { display: inline-block; margin-top: 6px; padding: 3px 10px; border-radius: 3px;
  background: #e7f0fb; color: #1f3a68; font-weight: 600; }
.status.stopped { background: #fdecea; color: #8a1c12; }
.warnings { margin: 8px 0; padding: 4px 12px; background: #fff6d9; border-left: 4px solid #d4a017; }
.warnings h3 { margin: 4px 0; font-size: 14px; }
.warnings ul { margin: 4px 0; padding-left: 18px; }
.whatif { margin-top: 6px; padding: 4px 10px; background: #fff6d9; border-left: 4px solid #d4a017; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.figure { flex: 1 1 150px; border: 1px solid #d5dce8; border-radius: 4px; padding: 8px 12px; }
.figure .value { font-size: 19px; font-weight: 700; color: #1f3a68; }
.figure .label { color: #5a6475; font-size: 12px; }
.note { color: #4a5568; font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 12px; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #1f3a68; color: #fff; font-weight: 600; text-align: left; padding: 5px 6px; }
td { padding: 4px 6px; border-bottom: 1px solid #e2e7ef; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { white-space: nowrap; font-family: "DejaVu Sans Mono", Consolas, monospace; }
tr.funded td { background: #dcefdf; }
tr.funded td.decision { color: #1e6b34; font-weight: 700; }
tr.elsewhere td { background: #eef2f7; color: #4a5568; }
tr.line td { padding: 0; border-bottom: none; }
tr.line div { border-top: 3px solid #b3261e; color: #b3261e; font-weight: 700; font-size: 11px;
  padding: 2px 6px 3px; }
td.reason { color: #5a3b1e; }
section.margins td:nth-child(3) { min-width: 11em; }
section.margins td:nth-child(4) { white-space: nowrap; }
section.margins td:nth-child(5), section.margins td:nth-child(6) { width: 31%; font-size: 11px; }
.bar { position: relative; height: 12px; min-width: 120px; background: #e2e7ef; border-radius: 2px; }
.bar span { position: absolute; left: 0; top: 0; bottom: 0; background: #2f6db5; border-radius: 2px; }
.chart { margin: 8px 0 16px; break-inside: avoid; page-break-inside: avoid; }
.chart svg { width: 100%; height: auto; display: block; border: 1px solid #e2e7ef; }
.chart.value svg { max-width: 760px; }
.applications td:nth-child(-n+6) { white-space: nowrap; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 11px; }
.badge.core { background: #dcefdf; color: #1e6b34; }
.badge.borderline { background: #fff1cc; color: #7a5200; }
.badge.exterior { background: #eceff3; color: #4a5568; }
footer { margin-top: 28px; border-top: 1px solid #c9d3e3; padding-top: 6px; color: #5a6475; font-size: 11px; }
.onepage tr.group td { background: #e7f0fb; color: #1f3a68; font-weight: 700; }
@media print {
  .onepage { break-after: page; page-break-after: always; font-size: 9.5px; }
  .onepage header.title { margin-bottom: 6px; padding-bottom: 4px; }
  .onepage h1 { font-size: 16px; }
  .onepage h2 { font-size: 12px; margin: 8px 0 3px; }
  .onepage .figures { margin: 4px 0; gap: 6px; }
  .onepage .figure { padding: 2px 8px; }
  .onepage .figure .value { font-size: 13px; }
  .onepage .figure .label { font-size: 9px; }
  .onepage p { margin: 2px 0 4px; }
  .onepage table { font-size: 8.5px; margin: 2px 0 6px; }
  .onepage th { padding: 2px 4px; }
  .onepage td { padding: 1px 4px; }
  .onepage .warnings { margin: 4px 0; padding: 2px 8px; }
  .onepage .warnings h3 { font-size: 10px; margin: 2px 0; }
  body { max-width: none; padding: 0; font-size: 10.5px; }
  table { font-size: 10px; }
  h2 { margin-top: 18px; }
  section.sweep { break-before: page; page-break-before: always; }
  /* A chart is one block with its title, never taller than a page: a taller chart is scaled to
     fit, so the title is never left alone at the bottom of a page. */
  .chart svg { width: auto; height: auto; max-width: 100%; max-height: 230mm; margin: 0 auto; }
}
"#;

/// `<table>` with a header row; `num` marks right-aligned columns.
fn open_table(out: &mut String, heads: &[(&str, bool)]) {
    out.push_str("<table><thead><tr>");
    for (h, num) in heads {
        let class = if *num { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>\n");
}

fn close_table(out: &mut String) {
    out.push_str("</tbody></table>\n");
}

/// One `<td>`: class and escaped text.
fn cell(out: &mut String, class: &str, text: &str) {
    if class.is_empty() {
        let _ = write!(out, "<td>{}</td>", escape(text));
    } else {
        let _ = write!(out, "<td class=\"{class}\">{}</td>", escape(text));
    }
}

fn pair_text(scenario: &Scenario, (p, r): Pair) -> String {
    format!("{}@{}", scenario.applications[p].id, scenario.rounds[r].id)
}

/// Renders the report.
pub fn html(report: &Report) -> Result<String> {
    let (scenario, lang) = (report.scenario, report.decisions.lang);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        lang::html_lang(lang),
        escape(&format!("{} — {}", scenario.name, lang::report_title(lang)))
    );
    one_page(&mut out, report);
    for r in 0..scenario.rounds.len() {
        round(&mut out, report, r)?;
    }
    comparison(&mut out, report);
    committee(&mut out, report);
    applications(&mut out, report);
    margins(&mut out, report);
    reserves(&mut out, report);
    if let Some((h, tally)) = report.sweep {
        sweep(&mut out, lang, h, tally)?;
    }
    let _ = write!(
        out,
        "<footer>{}</footer>\n</body>\n</html>\n",
        escape(lang::report_footer(lang))
    );
    Ok(out)
}

/// The part of the report that answers a what-if at once, as `allot serve`'s page shows it: the
/// summary with its warnings, the pools, each round's ranked list with its funding line, the
/// comparison with rank-and-cut and the committee's decisions (no margins or reserve lists, which
/// cost re-solves).
pub fn live(report: &Report) -> Result<String> {
    let mut out = String::new();
    summary(&mut out, report);
    pools(&mut out, report);
    for r in 0..report.scenario.rounds.len() {
        round(&mut out, report, r)?;
    }
    comparison(&mut out, report);
    committee(&mut out, report);
    Ok(out)
}

/// The report's style sheet (screen and print), for pages that show its sections.
pub fn style() -> &'static str {
    STYLE
}

fn summary(out: &mut String, report: &Report) {
    let (scenario, outcome, lang) = (report.scenario, report.outcome, report.decisions.lang);
    let portfolio = &outcome.portfolio;
    let _ = write!(
        out,
        "<header class=\"title\"><h1>{}</h1><p class=\"subtitle\">{}</p>",
        escape(&scenario.name),
        escape(lang::report_subtitle(lang))
    );
    let (class, status) = match outcome.status {
        Status::Optimal => ("status", lang::status_optimal(lang)),
        Status::TimeLimit { gap } => (
            "status stopped",
            lang::status_time_limit(lang, &format!("{:.4}", gap * 100.0)),
        ),
    };
    let _ = write!(out, "<div class=\"{class}\">{}</div>", escape(&status));
    let what_if = lang::what_if_line(lang, report.overrides);
    if !what_if.is_empty() {
        let _ = write!(
            out,
            "<div class=\"whatif\">{}</div>",
            escape(what_if.trim())
        );
    }
    let left = report.left_out;
    if left.unpriced + left.unexplained + left.incomplete > 0 {
        // Under the status: a reader must know what the report does not say.
        let _ = write!(
            out,
            "<div class=\"whatif left-out\">{}</div>",
            escape(&lang::left_out(lang, &left))
        );
    }
    out.push_str("</header>\n<section class=\"summary\">\n");
    let _ = write!(
        out,
        "<h2>{}</h2>\n<div class=\"figures\">",
        escape(lang::report_headings(lang)[0])
    );
    let figures = [
        portfolio.funded.len().to_string(),
        super::points(portfolio.total_score),
        yuan(portfolio.total_paid()),
        scenario.applications.len().to_string(),
    ];
    let mut labels = lang::summary_figures(lang).map(str::to_string);
    labels[2] = lang::money_heading(lang, scenario, lang.pick("total subsidy", "补助合计"));
    for (value, label) in figures.into_iter().zip(labels) {
        let _ = write!(
            out,
            "<div class=\"figure\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
            escape(&value),
            escape(&label)
        );
    }
    out.push_str("</div>\n");
    let count = |s: Standing| {
        report
            .decisions
            .projects
            .iter()
            .filter(|(x, _, _)| *x == s)
            .count()
    };
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(&lang::standings(
            lang,
            scenario.applications.len(),
            portfolio.funded.len(),
            count(Standing::Unfunded),
            count(Standing::Ineligible)
        ))
    );
    if !report.warnings.is_empty() {
        let _ = write!(
            out,
            "<div class=\"warnings\"><h3>{}</h3><ul>",
            escape(lang.pick("Warnings", "提示"))
        );
        for w in report.warnings {
            let _ = write!(
                out,
                "<li>{}</li>",
                escape(&lang::warning(scenario, w, lang))
            );
        }
        out.push_str("</ul></div>\n");
    }
    out.push_str("</section>\n");
}

/// Budget, spent and left per pool.
fn pool_table(out: &mut String, report: &Report) {
    let (scenario, lang) = (report.scenario, report.decisions.lang);
    let [pool, budget, spent, left, scale] = lang::pool_columns(lang);
    let [name, used] = lang::pool_extra_columns(lang);
    let [budget, spent, left] =
        [budget, spent, left].map(|h| lang::money_heading(lang, scenario, h));
    open_table(
        out,
        &[
            (pool, false),
            (name, false),
            (&budget, true),
            (&spent, true),
            (&left, true),
            (used, false),
            (scale, false),
        ],
    );
    for (p, u) in scenario.pools.iter().zip(&report.outcome.portfolio.pools) {
        let used = if p.budget.yuan().is_zero() {
            Decimal::ZERO
        } else {
            (u.spent.yuan() * Decimal::ONE_HUNDRED / p.budget.yuan()).round_dp(1)
        };
        out.push_str("<tr>");
        cell(out, "id", &p.id);
        cell(out, "", &p.name);
        cell(out, "num", &yuan(p.budget));
        cell(out, "num", &yuan(u.spent));
        cell(out, "num", &yuan(u.left));
        let _ = write!(
            out,
            "<td><div class=\"bar\" title=\"{used}%\"><span style=\"width:{}%\"></span></div>{used}%</td>",
            used.min(Decimal::ONE_HUNDRED)
        );
        let scale = match u.scale {
            Some(l) => format!("λ = {}", l.round_dp(6).normalize()),
            None => "-".into(),
        };
        cell(out, "", &scale);
        out.push_str("</tr>\n");
    }
    close_table(out);
}

/// A round's entries funded there, and its heading (`name — k of at most n funded, pool p`).
fn round_title(report: &Report, r: usize) -> (Vec<usize>, String) {
    let (scenario, decisions) = (report.scenario, report.decisions);
    let round = &scenario.rounds[r];
    let funded_here = funded_in_round(r, report.outcome, decisions);
    let text = lang::round_heading(
        decisions.lang,
        &round.name,
        funded_here.len(),
        round.max_projects,
        &scenario.pools[round.pool].id,
    );
    (funded_here, heading(&text))
}

fn round(out: &mut String, report: &Report, r: usize) -> Result<()> {
    let (scenario, evaluation, decisions) = (report.scenario, report.evaluation, report.decisions);
    let (lang, cands, apps) = (
        decisions.lang,
        &evaluation.candidates,
        &scenario.applications,
    );
    let round = &scenario.rounds[r];
    let (funded_here, title) = round_title(report, r);
    let _ = write!(
        out,
        "<section class=\"round\" id=\"round-{}\">\n<h2>{}</h2>\n",
        escape(&round.id),
        escape(&title)
    );
    let ranking = &decisions.ranking[r];
    if ranking.is_empty() {
        let _ = writeln!(out, "<p>{}</p></section>", escape(lang::no_eligible(lang)));
        return Ok(());
    }
    let [rank, project, name, score, subsidy, _, decision] = lang::shortlist_columns(lang);
    let subsidy = lang::money_heading(lang, scenario, subsidy);
    let value = lang::value_heading(lang, scenario);
    open_table(
        out,
        &[
            (rank, true),
            (project, false),
            (name, false),
            (score, true),
            (&subsidy, true),
            (&value, true),
            (decision, false),
        ],
    );
    let last_funded = ranking.iter().rposition(|c| funded_here.contains(c));
    if last_funded.is_none() {
        let _ = writeln!(
            out,
            "<tr class=\"line\"><td colspan=\"7\"><div>▼ {}</div></td></tr>",
            escape(lang::no_funding_line(lang))
        );
    }
    for (i, &c) in ranking.iter().enumerate() {
        let cand = &cands[c];
        let app = &apps[cand.project];
        let (_, funded, reasons) = &decisions.projects[cand.project];
        let (class, decision, amount) = if funded_here.contains(&c) {
            let paid = super::paid(report.outcome, c).unwrap_or(cand.subsidy);
            ("funded", lang::funded_here(lang).to_string(), paid)
        } else if let Some(f) = funded {
            (
                "elsewhere",
                lang::funded_in(lang, &scenario.rounds[cands[*f].round].name),
                cand.subsidy,
            )
        } else {
            let prefix = format!("{}: ", round.id);
            let why = reasons
                .iter()
                .filter_map(|r| r.strip_prefix(&prefix))
                .collect::<Vec<_>>()
                .join(lang::separator(lang));
            ("unfunded", why, cand.subsidy)
        };
        let _ = write!(out, "<tr class=\"{class}\">");
        cell(out, "num", &(i + 1).to_string());
        cell(out, "id", &app.id);
        cell(out, "", &app.name);
        cell(out, "num", &super::points(cand.score));
        cell(out, "num", &yuan(amount));
        cell(out, "num", &super::per_wan(cand.score, cand.subsidy));
        cell(
            out,
            if class == "unfunded" {
                "reason"
            } else {
                "decision"
            },
            &decision,
        );
        out.push_str("</tr>\n");
        if Some(i) == last_funded {
            let _ = writeln!(
                out,
                "<tr class=\"line\"><td colspan=\"7\"><div>▲ {}</div></td></tr>",
                escape(&lang::funding_line(lang, &super::points(cand.score)))
            );
        }
    }
    close_table(out);
    value_chart(out, report, r, &funded_here)?;
    out.push_str("</section>\n");
    Ok(())
}

/// A round's score-against-subsidy chart, below its list: why cheaper projects can win.
fn value_chart(out: &mut String, report: &Report, r: usize, funded_here: &[usize]) -> Result<()> {
    let (scenario, cands, decisions) = (
        report.scenario,
        &report.evaluation.candidates,
        report.decisions,
    );
    let entries: Vec<chart::Entry> = decisions.ranking[r]
        .iter()
        .map(|&c| chart::Entry {
            id: &scenario.applications[cands[c].project].id,
            subsidy: cands[c].subsidy,
            score: cands[c].score,
            standing: if funded_here.contains(&c) {
                chart::Standing::Funded
            } else if decisions.projects[cands[c].project].1.is_some() {
                chart::Standing::Elsewhere
            } else {
                chart::Standing::Unfunded
            },
        })
        .collect();
    let words = lang::value_chart_words(decisions.lang);
    let _ = writeln!(
        out,
        "<div class=\"chart value\"><h3>{}</h3><p class=\"note\">{}</p>{}</div>",
        escape(&format!("{} — {}", words.title, scenario.rounds[r].name)),
        escape(words.note),
        inline_svg(&chart::value_chart(
            decisions.lang,
            &entries,
            scenario.currency.as_deref()
        )?)
    );
    Ok(())
}

fn pools(out: &mut String, report: &Report) {
    let _ = write!(
        out,
        "<section class=\"pools\"><h2>{}</h2>",
        escape(lang::report_headings(report.decisions.lang)[1])
    );
    pool_table(out, report);
    out.push_str("</section>\n");
}

/// The optimum against the baseline: projects, total score and money of each, and the gain.
fn headline(out: &mut String, report: &Report, b: &crate::solve::Portfolio) {
    let (scenario, decisions) = (report.scenario, report.decisions);
    let (lang, method) = (decisions.lang, decisions.baseline_method);
    let portfolio = &report.outcome.portfolio;
    let [projects, total_score, subsidy] = lang::comparison_columns(lang);
    let subsidy = lang::money_heading(lang, scenario, subsidy);
    open_table(
        out,
        &[
            ("", false),
            (projects, true),
            (total_score, true),
            (&subsidy, true),
        ],
    );
    for (label, p) in [
        (lang::optimal(lang), portfolio),
        (lang::baseline_name(lang, method), b),
    ] {
        out.push_str("<tr>");
        cell(out, "", label);
        cell(out, "num", &p.funded.len().to_string());
        cell(out, "num", &super::points(p.total_score));
        cell(out, "num", &yuan(p.total_paid()));
        out.push_str("</tr>\n");
    }
    close_table(out);
    let _ = writeln!(
        out,
        "<p><strong>{}</strong></p>",
        escape(&lang::gain_over(lang, portfolio.total_score, b.total_score))
    );
}

/// The first page: what a member reads if nothing else — the summary and warnings, the pools,
/// the headline comparison and each round's funded list with amounts. It prints on one A4 page
/// for the bundled scenario (tests/integration/report.rs counts the pages), and the rest of the
/// report starts on the next.
fn one_page(out: &mut String, report: &Report) {
    let (scenario, evaluation, decisions) = (report.scenario, report.evaluation, report.decisions);
    let lang = decisions.lang;
    out.push_str("<div class=\"onepage\">\n");
    summary(out, report);
    pools(out, report);
    if let Some(b) = &report.outcome.baseline {
        let heading_text = lang::comparison_heading(lang, decisions.baseline_method);
        let _ = writeln!(
            out,
            "<section class=\"headline\"><h2>{}</h2>",
            escape(&heading(&heading_text))
        );
        headline(out, report, b);
        out.push_str("</section>\n");
    }
    let _ = writeln!(
        out,
        "<section class=\"funded-lists\"><h2>{}</h2>",
        escape(lang.pick("Funded projects", "获资助项目"))
    );
    let [rank, project, name, score, subsidy, ..] = lang::shortlist_columns(lang);
    let subsidy = lang::money_heading(lang, scenario, subsidy);
    open_table(
        out,
        &[
            (rank, true),
            (project, false),
            (name, false),
            (score, true),
            (&subsidy, true),
        ],
    );
    for r in 0..scenario.rounds.len() {
        let (funded_here, title) = round_title(report, r);
        let _ = writeln!(
            out,
            "<tr class=\"group\"><td colspan=\"5\">{}</td></tr>",
            escape(&title)
        );
        for (i, &c) in decisions.ranking[r].iter().enumerate() {
            if !funded_here.contains(&c) {
                continue;
            }
            let cand = &evaluation.candidates[c];
            let app = &scenario.applications[cand.project];
            let paid = super::paid(report.outcome, c).unwrap_or(cand.subsidy);
            out.push_str("<tr>");
            cell(out, "num", &(i + 1).to_string());
            cell(out, "id", &app.id);
            cell(out, "", &app.name);
            cell(out, "num", &super::points(cand.score));
            cell(out, "num", &yuan(paid));
            out.push_str("</tr>\n");
        }
    }
    close_table(out);
    out.push_str("</section>\n</div>\n");
}

fn comparison(out: &mut String, report: &Report) {
    let (scenario, evaluation, decisions) = (report.scenario, report.evaluation, report.decisions);
    let (lang, method) = (decisions.lang, decisions.baseline_method);
    let portfolio = &report.outcome.portfolio;
    let heading_text = lang::comparison_heading(lang, method);
    let _ = writeln!(
        out,
        "<section class=\"comparison\"><h2>{}</h2>",
        escape(&heading(&heading_text))
    );
    let Some(b) = &report.outcome.baseline else {
        let _ = writeln!(
            out,
            "<p>{}</p></section>",
            escape(&lang::no_comparison(lang, method))
        );
        return;
    };
    headline(out, report, b);
    let gain = super::table::gain_lines(
        scenario,
        &evaluation.candidates,
        portfolio,
        b,
        report.decisions,
    );
    let _ = write!(out, "<p>{}</p><ul>", escape(&gain[0]));
    for line in &gain[1..] {
        let _ = write!(out, "<li>{}</li>", escape(line.trim()));
    }
    out.push_str("</ul>\n");
    let name = |c: &usize| {
        let cand = &evaluation.candidates[*c];
        pair_text(scenario, (cand.project, cand.round))
    };
    let only = |a: &[usize], b: &[usize]| -> Vec<String> {
        a.iter().filter(|c| !b.contains(c)).map(name).collect()
    };
    let only_opt = only(&portfolio.funded, &b.funded);
    let only_base = only(&b.funded, &portfolio.funded);
    if !only_opt.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            escape(&lang::only_in_optimum(lang, &only_opt.join(", ")))
        );
    }
    if !only_base.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            escape(&lang::only_in_baseline(lang, method, &only_base.join(", ")))
        );
    }
    out.push_str("</section>\n");
}

fn margins(out: &mut String, report: &Report) {
    let (scenario, evaluation, decisions) = (report.scenario, report.evaluation, report.decisions);
    let lang = decisions.lang;
    let _ = write!(
        out,
        "<section class=\"margins\"><h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        escape(lang::report_headings(lang)[2]),
        escape(&lang::margins_note(lang, report.near))
    );
    if let Some(x) = report.margins.first() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            escape(&resolution_text(x, lang))
        );
    }
    for (r, round) in scenario.rounds.iter().enumerate() {
        let rows: Vec<(usize, &Explanation)> = report.near_line[r]
            .iter()
            .filter_map(|&c| {
                let p = evaluation.candidates[c].project;
                Some((c, report.margins.iter().find(|x| x.project == p)?))
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<h3>{}</h3>", escape(&round.name));
        let [rank, project, name, ..] = lang::shortlist_columns(lang);
        let [decision, score_margin, amount_margin] = lang::margin_columns(lang);
        open_table(
            out,
            &[
                (rank, true),
                (project, false),
                (name, false),
                (decision, false),
                (score_margin, false),
                (amount_margin, false),
            ],
        );
        for (c, x) in rows {
            let view = x.rounds.iter().find(|v| v.round == r);
            let here = view.is_some_and(|v| v.funded);
            let app = &scenario.applications[x.project];
            let _ = write!(
                out,
                "<tr class=\"{}\">",
                if here { "funded" } else { "unfunded" }
            );
            cell(out, "num", &decisions.rank[c].to_string());
            cell(out, "id", &app.id);
            cell(out, "", &app.name);
            cell(
                out,
                "decision",
                if here {
                    lang::funded_here(lang)
                } else {
                    lang::not_funded(lang)
                },
            );
            cell(out, "", &score_margin_text(scenario, x, lang));
            let amount = view
                .and_then(|v| round_subsidy_margin_text(scenario, x, v, lang))
                .unwrap_or_default();
            cell(out, "", &amount);
            out.push_str("</tr>\n");
        }
        close_table(out);
    }
    out.push_str("</section>\n");
}

/// The committee's own decisions, each with what it did: locks, exclusions, dependencies and the
/// enterprise limit.
fn committee(out: &mut String, report: &Report) {
    let (scenario, lang) = (report.scenario, report.decisions.lang);
    let _ = writeln!(
        out,
        "<section class=\"committee\"><h2>{}</h2>",
        escape(lang::publication_headings(lang)[0])
    );
    let items = super::committee_items(
        scenario,
        report.evaluation,
        report.outcome,
        report.decisions,
    );
    if items.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(lang::no_decisions(lang)));
    } else {
        out.push_str("<ul>");
        for item in items {
            let _ = write!(out, "<li>{}</li>", escape(&item));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// Every application with its outcome and reasons (the 公示 list): funded with round and amount
/// (and the lock that holds it), unfunded with its reasons or price, ineligible with every
/// failing condition.
fn applications(out: &mut String, report: &Report) {
    let (scenario, evaluation, decisions) = (report.scenario, report.evaluation, report.decisions);
    let lang = decisions.lang;
    let _ = write!(
        out,
        "<section class=\"applications\"><h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        escape(lang::publication_headings(lang)[1]),
        escape(lang::applications_note(lang))
    );
    let [project, name, enterprise, outcome, round, paid] = lang::applications_columns(lang);
    let paid = lang::money_heading(lang, scenario, paid);
    open_table(
        out,
        &[
            (project, false),
            (name, false),
            (enterprise, false),
            (outcome, false),
            (round, false),
            (&paid, true),
            (lang::reasons_column(lang), false),
        ],
    );
    for (p, app) in scenario.applications.iter().enumerate() {
        let (standing, funded, reasons) = &decisions.projects[p];
        let class = match standing {
            Standing::Funded => "funded",
            Standing::Unfunded => "unfunded",
            Standing::Ineligible => "ineligible",
        };
        let _ = write!(out, "<tr class=\"{class}\">");
        cell(out, "id", &app.id);
        cell(out, "", &app.name);
        cell(out, "", &app.enterprise);
        cell(out, "", lang::standing(lang, *standing));
        let mut why: Vec<String> = Vec::new();
        match funded {
            Some(f) => {
                let r = evaluation.candidates[*f].round;
                cell(out, "", &scenario.rounds[r].name);
                cell(
                    out,
                    "num",
                    &yuan(super::paid(report.outcome, *f).unwrap_or_default()),
                );
                for lock in scenario
                    .committee
                    .must_fund
                    .iter()
                    .filter(|l| l.project == p)
                {
                    why.push(lang::lock_text(
                        lang,
                        &app.id,
                        &scenario.rounds[lock.round].name,
                    ));
                }
            }
            None => {
                cell(out, "", "");
                cell(out, "num", "");
                // Each reason says its round by name (the reasons carry the round's id).
                why.extend(reasons.iter().map(|r| {
                    scenario
                        .rounds
                        .iter()
                        .find_map(|round| {
                            let rest = r.strip_prefix(&format!("{}: ", round.id))?;
                            Some(format!("{}{}{rest}", round.name, lang.pick(": ", "：")))
                        })
                        .unwrap_or_else(|| r.clone())
                }));
            }
        }
        cell(out, "reason", &why.join(lang::separator(lang)));
        out.push_str("</tr>\n");
    }
    close_table(out);
    out.push_str("</section>\n");
}

fn reserves(out: &mut String, report: &Report) {
    if report.reserves.is_empty() {
        // Left out (`report --no-reserve`).
        return;
    }
    let (scenario, evaluation, lang) = (report.scenario, report.evaluation, report.decisions.lang);
    let _ = write!(
        out,
        "<section class=\"reserves\"><h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        escape(lang::report_headings(lang)[3]),
        escape(lang::reserves_note(lang))
    );
    for reserve in report.reserves {
        let round = &scenario.rounds[reserve.round];
        let _ = writeln!(out, "<h3>{}</h3>", escape(&round.name));
        if reserve.list.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(lang::no_reserve(lang)));
        } else {
            let [project, name, score, subsidy, after] = lang::reserve_columns(lang);
            open_table(
                out,
                &[
                    ("#", true),
                    (project, false),
                    (name, false),
                    (score, true),
                    (subsidy, true),
                    (after, false),
                ],
            );
            for (k, entry) in reserve.list.iter().enumerate() {
                let cand = evaluation
                    .candidates
                    .iter()
                    .find(|c| (c.project, c.round) == entry.pair);
                let app = &scenario.applications[entry.pair.0];
                out.push_str("<tr>");
                cell(out, "num", &(k + 1).to_string());
                cell(out, "id", &pair_text(scenario, entry.pair));
                cell(out, "", &app.name);
                cell(
                    out,
                    "num",
                    &cand.map_or(String::new(), |c| super::points(c.score)),
                );
                cell(out, "num", &cand.map_or(String::new(), |c| yuan(c.subsidy)));
                cell(
                    out,
                    "",
                    &lang::after_withdrawal(
                        lang,
                        &scenario.applications[entry.after.0].id,
                        &scenario.applications[entry.after.0].name,
                    ),
                );
                out.push_str("</tr>\n");
            }
            close_table(out);
        }
        if reserve.withdrawals.is_empty() {
            continue;
        }
        let [withdrawn, enters, leaves] = lang::withdrawal_columns(lang);
        open_table(out, &[(withdrawn, false), (enters, false), (leaves, false)]);
        let list = |pairs: &[Pair]| -> String {
            if pairs.is_empty() {
                return lang::nobody(lang).into();
            }
            pairs
                .iter()
                .map(|&p| pair_text(scenario, p))
                .collect::<Vec<_>>()
                .join(", ")
        };
        for w in &reserve.withdrawals {
            out.push_str("<tr>");
            cell(out, "id", &pair_text(scenario, w.withdrawn));
            let enters = match &w.enters {
                Some(e) => list(e),
                None => lang::cannot_withdraw(lang).into(),
            };
            cell(out, "", &enters);
            cell(
                out,
                "",
                &if w.leaves.is_empty() {
                    "-".into()
                } else {
                    list(&w.leaves)
                },
            );
            out.push_str("</tr>\n");
        }
        close_table(out);
    }
    out.push_str("</section>\n");
}

/// A chart for inline use: no namespace URL (HTML puts `<svg>` in the SVG namespace itself) and
/// scaled to the page by CSS.
fn inline_svg(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

fn sweep(out: &mut String, lang: Lang, h: &SweepHeader, tally: &Tally) -> Result<()> {
    let feasible = tally.runs - tally.infeasible;
    let _ = write!(
        out,
        "<section class=\"sweep\"><h2>{}</h2>\n<p>{}</p>\n",
        escape(lang::report_headings(lang)[4]),
        escape(&lang::sweep_sentence(
            lang,
            &h.sweep,
            tally.runs,
            tally.infeasible,
            &percent(tally.base_hits, feasible).to_string()
        ))
    );
    if let Some(spec) = &h.sweep.experts {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            escape(&lang::experts_line(lang, spec))
        );
    }
    if h.points.len() > 1 {
        // Each budget point's own stability: the headline counts every point against the base.
        let points: Vec<String> = (0..h.points.len())
            .map(|b| {
                let at: Vec<String> = h
                    .axes
                    .iter()
                    .map(|&p| format!("{} = {}", h.pools[p], yuan(h.points[b][p])))
                    .collect();
                let stats = &tally.points[b];
                format!(
                    "{} {}%",
                    at.join(", "),
                    percent(stats.base_hits, stats.runs)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            escape(&lang::stability_by_point(
                lang,
                &points.join(lang::separator(lang))
            ))
        );
    }
    if !h.sweep.overrides.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            escape(lang::what_if_line(lang, &h.sweep.overrides).trim())
        );
    }
    let charts = [
        chart::acceptability(h, tally, lang)?,
        chart::frontier_chart(h, tally, lang)?,
        chart::weights(h, tally, lang)?,
    ];
    for (title, svg) in lang::chart_titles(lang).into_iter().zip(charts) {
        let _ = writeln!(
            out,
            "<div class=\"chart\"><h3>{}</h3>{}</div>",
            escape(title),
            inline_svg(&svg)
        );
    }
    let _ = writeln!(out, "<h3>{}</h3>", escape(lang::acceptability_table(lang)));
    let mut rows: Vec<usize> = (0..h.pairs.len())
        .filter(|&i| tally.funded[i] > 0)
        .collect();
    rows.sort_by(|&a, &b| tally.funded[b].cmp(&tally.funded[a]).then(a.cmp(&b)));
    let never = h.pairs.len() - rows.len();
    let [project, round, funded_runs, share, class_head] = lang::acceptability_table_columns(lang);
    open_table(
        out,
        &[
            (project, false),
            (round, false),
            (funded_runs, true),
            (share, true),
            (class_head, false),
        ],
    );
    for i in rows {
        let (project, round) = &h.pairs[i];
        let class = class(tally.funded[i], feasible);
        let label = lang::class_badge(lang, class);
        out.push_str("<tr>");
        cell(out, "id", project);
        cell(out, "id", round);
        cell(out, "num", &tally.funded[i].to_string());
        cell(
            out,
            "num",
            &format!("{}%", percent(tally.funded[i], feasible)),
        );
        let _ = write!(
            out,
            "<td><span class=\"badge {class}\">{}</span></td>",
            escape(label)
        );
        out.push_str("</tr>\n");
    }
    close_table(out);
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p></section>",
        escape(&lang::never_funded_entries(lang, never))
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_markup_characters() {
        assert_eq!(
            escape(r#"<b>&"x'</b>"#),
            "&lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;"
        );
        assert_eq!(escape("衢州"), "衢州");
    }

    /// A margin a time limit came before is marked where it would stand, and the note under the
    /// status counts the project as shown with part of its margins, in both languages. (Which
    /// margins a real limit cuts depends on the machine: the explanation is cut by hand here.)
    #[test]
    fn a_margin_the_time_limit_cut_is_marked_not_found() {
        use crate::explain::{Explainer, LeftOut as Part};
        // A (9 points, 60 yuan) takes the one place; B (8, 40) is out, a rise of 1 point funds it.
        let s = crate::explain::margin::one_place(&[("A", 9, 60), ("B", 8, 40)], "");
        let e = crate::rules::evaluate(&s);
        let explainer = Explainer::new(&s, &e, crate::solve::Options::default()).unwrap();
        let mut x = explainer.explain(1).unwrap();
        assert!(x.left_out.is_empty());
        x.rounds[0].subsidy_margin = None;
        x.left_out.push(Part::SubsidyMargin(0));
        let outcome = crate::solve::solve(&s, &e, &crate::solve::Options::default()).unwrap();
        for (lang, marked, note, score_margin) in [
            (
                Lang::En,
                "not found within the time limit",
                "1 project is shown with only part of its margins",
                "a rise of 1 point funds it",
            ),
            (
                Lang::Zh,
                "未能在计算时限内求得",
                "1 个项目的边际仅部分求得",
                "得分提高 1 分即可入选",
            ),
        ] {
            let decisions = Decisions::new_in(&s, &e, &outcome, lang);
            let near_line = vec![(0..e.candidates.len()).collect::<Vec<_>>()];
            let html = html(&Report {
                scenario: &s,
                evaluation: &e,
                outcome: &outcome,
                decisions: &decisions,
                overrides: &[],
                warnings: &[],
                near: 1,
                near_line: &near_line,
                margins: std::slice::from_ref(&x),
                reserves: &[],
                sweep: None,
                left_out: LeftOut {
                    incomplete: 1,
                    ..LeftOut::default()
                },
            })
            .unwrap();
            let margins = &html[html.find("<section class=\"margins\">").unwrap()..];
            let row = &margins[margins.find("<td class=\"id\">B</td>").unwrap()..];
            let row = &row[..row.find("</tr>").unwrap()];
            assert!(row.contains(marked), "{row}");
            // The score margin was found, and is shown before the marked amount margin.
            assert!(
                row[..row.find(marked).unwrap()].contains(score_margin),
                "{row}"
            );
            assert_eq!(row.matches(marked).count(), 1, "{row}");
            assert!(html.contains(note), "{lang:?}");
        }
    }

    #[test]
    fn inline_svg_drops_the_namespace_url() {
        let svg = "<svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\">x</svg>";
        assert_eq!(inline_svg(svg), "<svg width=\"1\">x</svg>");
    }
}
