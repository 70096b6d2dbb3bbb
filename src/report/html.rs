//! The committee report: one self-contained HTML file (inline CSS and SVG, no script, no external
//! reference) that prints on A4. It says what the table says — summary, each round's ranked list
//! with the funding line and the reason for every unfunded entry, the pools, the comparison with
//! rank-and-cut — and adds the exact margins of the projects near each funding line, the reserve
//! lists and, when given, a sweep's charts and acceptability table. Every piece of text from the
//! scenario goes through [`escape`]; the output is a function of its inputs only (no timestamp).

use super::sweep::{class, percent};
use super::{
    chart, lang, resolution_text, score_margin_text, subsidy_margin_text, yuan, Decisions, Standing,
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
    /// How many entries each side of the line are "near" it.
    pub near: usize,
    /// Per round, the entries near the line ([`near_line`]).
    pub near_line: &'a [Vec<usize>],
    /// The explanations of every project in `near_line`.
    pub margins: &'a [Explanation],
    /// The reserve list of every round.
    pub reserves: &'a [Reserve],
    /// A sweep of the same scenario, with where it was read from.
    pub sweep: Option<(&'a SweepHeader, &'a Tally)>,
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
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 11px; }
.badge.core { background: #dcefdf; color: #1e6b34; }
.badge.borderline { background: #fff1cc; color: #7a5200; }
.badge.exterior { background: #eceff3; color: #4a5568; }
footer { margin-top: 28px; border-top: 1px solid #c9d3e3; padding-top: 6px; color: #5a6475; font-size: 11px; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5px; }
  table { font-size: 10px; }
  h2 { margin-top: 18px; }
  section.sweep { break-before: page; page-break-before: always; }
}
"#;

/// Words of the report not in the text table, English and Chinese.
fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    lang.pick(en, zh)
}

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

/// A text-table heading (`== pools ==`) as an HTML heading: no rule marks, capitalised.
fn heading(text: &str) -> String {
    let text = text.trim_matches(|c| c == '=' || c == ' ');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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
        lang.pick("en", "zh-CN"),
        escape(&format!(
            "{} — {}",
            scenario.name,
            t(lang, "funding report", "资助评审报告")
        ))
    );
    summary(&mut out, report);
    pools(&mut out, report);
    for r in 0..scenario.rounds.len() {
        round(&mut out, report, r);
    }
    comparison(&mut out, report);
    margins(&mut out, report);
    reserves(&mut out, report);
    if let Some((h, tally)) = report.sweep {
        sweep(&mut out, lang, h, tally)?;
    }
    let _ = write!(
        out,
        "<footer>{}</footer>\n</body>\n</html>\n",
        escape(t(
            lang,
            "Written by allot. The portfolio is proven optimal (an exact dual bound with enumeration, or HiGHS) and re-verified in exact decimal arithmetic; margins and reserve lists are found by re-solving the same integer program.",
            "由 allot 生成。资助组合经证明最优（精确对偶界加枚举，或 HiGHS），并以精确十进制算术复核；边际与候补名单均通过重新求解同一整数规划得出。"
        ))
    );
    Ok(out)
}

fn summary(out: &mut String, report: &Report) {
    let (scenario, outcome, lang) = (report.scenario, report.outcome, report.decisions.lang);
    let portfolio = &outcome.portfolio;
    let _ = write!(
        out,
        "<header class=\"title\"><h1>{}</h1><p class=\"subtitle\">{}</p>",
        escape(&scenario.name),
        escape(t(lang, "Funding report", "资助评审报告"))
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
    out.push_str("</header>\n<section class=\"summary\">\n");
    let _ = write!(
        out,
        "<h2>{}</h2>\n<div class=\"figures\">",
        escape(t(lang, "Summary", "概要"))
    );
    let figures = [
        (
            portfolio.funded.len().to_string(),
            t(lang, "projects funded", "获资助项目"),
        ),
        (
            portfolio.total_score.normalize().to_string(),
            t(lang, "total score", "总分"),
        ),
        (
            yuan(portfolio.total_paid()),
            t(lang, "total subsidy (yuan)", "补助合计（元）"),
        ),
        (
            scenario.applications.len().to_string(),
            t(lang, "applications", "申报项目"),
        ),
    ];
    for (value, label) in figures {
        let _ = write!(
            out,
            "<div class=\"figure\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
            escape(&value),
            escape(label)
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
    out.push_str("</section>\n");
}

/// Budget, spent and left per pool.
fn pool_table(out: &mut String, report: &Report) {
    let (scenario, lang) = (report.scenario, report.decisions.lang);
    let [pool, budget, spent, left, scale] = lang::pool_columns(lang);
    open_table(
        out,
        &[
            (pool, false),
            (t(lang, "name", "名称"), false),
            (budget, true),
            (spent, true),
            (left, true),
            (t(lang, "used", "使用率"), false),
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

fn round(out: &mut String, report: &Report, r: usize) {
    let (scenario, evaluation, decisions) = (report.scenario, report.evaluation, report.decisions);
    let (lang, cands, apps) = (
        decisions.lang,
        &evaluation.candidates,
        &scenario.applications,
    );
    let portfolio = &report.outcome.portfolio;
    let round = &scenario.rounds[r];
    let funded_here = funded_in_round(r, report.outcome, decisions);
    let heading_text = lang::round_heading(
        lang,
        &round.name,
        funded_here.len(),
        round.max_projects,
        &scenario.pools[round.pool].id,
    );
    let _ = write!(
        out,
        "<section class=\"round\" id=\"round-{}\">\n<h2>{}</h2>\n",
        escape(&round.id),
        escape(&heading(&heading_text))
    );
    let ranking = &decisions.ranking[r];
    if ranking.is_empty() {
        let _ = writeln!(out, "<p>{}</p></section>", escape(lang::no_eligible(lang)));
        return;
    }
    let [rank, project, name, score, subsidy, decision] = lang::shortlist_columns(lang);
    open_table(
        out,
        &[
            (rank, true),
            (project, false),
            (name, false),
            (score, true),
            (subsidy, true),
            (decision, false),
        ],
    );
    let last_funded = ranking.iter().rposition(|c| funded_here.contains(c));
    if last_funded.is_none() {
        let _ = writeln!(
            out,
            "<tr class=\"line\"><td colspan=\"6\"><div>▼ {}</div></td></tr>",
            escape(t(
                lang,
                "funding line: no project is funded in this round",
                "资助线：本批次无项目获资助"
            ))
        );
    }
    for (i, &c) in ranking.iter().enumerate() {
        let cand = &cands[c];
        let app = &apps[cand.project];
        let (_, funded, reasons) = &decisions.projects[cand.project];
        let (class, decision, amount) = if funded_here.contains(&c) {
            let paid = portfolio
                .funded
                .iter()
                .position(|&f| f == c)
                .map_or(cand.subsidy, |i| portfolio.paid[i]);
            ("funded", lang::funded_here(lang).to_string(), paid)
        } else if let Some(f) = funded {
            (
                "elsewhere",
                lang::funded_in(lang, &scenario.rounds[cands[*f].round].id),
                cand.subsidy,
            )
        } else {
            let prefix = format!("{}: ", round.id);
            let why = reasons
                .iter()
                .filter_map(|r| r.strip_prefix(&prefix))
                .collect::<Vec<_>>()
                .join(lang.pick("; ", "；"));
            ("unfunded", why, cand.subsidy)
        };
        let _ = write!(out, "<tr class=\"{class}\">");
        cell(out, "num", &(i + 1).to_string());
        cell(out, "id", &app.id);
        cell(out, "", &app.name);
        cell(out, "num", &cand.score.to_string());
        cell(out, "num", &yuan(amount));
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
                "<tr class=\"line\"><td colspan=\"6\"><div>▲ {}</div></td></tr>",
                escape(&lang::funding_line(lang, &cand.score.to_string()))
            );
        }
    }
    close_table(out);
    out.push_str("</section>\n");
}

fn pools(out: &mut String, report: &Report) {
    let _ = write!(
        out,
        "<section class=\"pools\"><h2>{}</h2>",
        escape(t(report.decisions.lang, "Pools", "资金池"))
    );
    pool_table(out, report);
    out.push_str("</section>\n");
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
    let [projects, total_score, subsidy] = lang::comparison_columns(lang);
    open_table(
        out,
        &[
            ("", false),
            (projects, true),
            (total_score, true),
            (subsidy, true),
        ],
    );
    for (label, p) in [
        (lang::optimal(lang), portfolio),
        (lang::baseline_name(lang, method), b),
    ] {
        out.push_str("<tr>");
        cell(out, "", label);
        cell(out, "num", &p.funded.len().to_string());
        cell(out, "num", &p.total_score.normalize().to_string());
        cell(out, "num", &yuan(p.total_paid()));
        out.push_str("</tr>\n");
    }
    close_table(out);
    let _ = writeln!(
        out,
        "<p><strong>{}</strong></p>",
        escape(&lang::gain_over(lang, portfolio.total_score, b.total_score))
    );
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
        escape(t(lang, "Margins near the funding line", "资助线附近项目的边际")),
        escape(&match lang {
            Lang::En => format!(
                "Near the line: in each round, the last {k} funded entries and the first {k} eligible entries of projects funded nowhere. \
                 The score margin is how far the project's score (in every round it entered, together) would have to fall for it to lose its funding, \
                 or rise for it to be funded; the amount margin is the largest subsidy at which it is (still) funded in that round. \
                 Each margin is exact: the optimum is re-solved at each probe, with the same tie-break.",
                k = report.near
            ),
            Lang::Zh => format!(
                "“资助线附近”指：每个批次中最后 {k} 个入选项目，以及前 {k} 个未在任何批次获资助的符合条件项目。\
                 得分边际：项目得分（所申报各批次同时变动）降低多少会落选，或提高多少可入选；补助边际：在该批次中仍（可）入选的最高补助金额。\
                 每个边际均为精确值：每次试算都重新求解最优组合，并采用相同的并列规则。",
                k = report.near
            ),
        })
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
        open_table(
            out,
            &[
                (lang::shortlist_columns(lang)[0], true),
                (lang::shortlist_columns(lang)[1], false),
                (lang::shortlist_columns(lang)[2], false),
                (t(lang, "decision", "结果"), false),
                (t(lang, "score margin", "得分边际"), false),
                (t(lang, "amount margin", "补助边际"), false),
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
                    t(lang, "not funded", "未入选")
                },
            );
            cell(out, "", &score_margin_text(scenario, x, lang));
            let amount = view
                .and_then(|v| {
                    v.subsidy_margin
                        .as_ref()
                        .map(|m| subsidy_margin_text(scenario, x, m, v.funded, v.subsidy, lang))
                })
                .unwrap_or_default();
            cell(out, "", &amount);
            out.push_str("</tr>\n");
        }
        close_table(out);
    }
    out.push_str("</section>\n");
}

fn reserves(out: &mut String, report: &Report) {
    let (scenario, evaluation, lang) = (report.scenario, report.evaluation, report.decisions.lang);
    let _ = write!(
        out,
        "<section class=\"reserves\"><h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        escape(t(lang, "Reserve lists", "候补名单")),
        escape(t(
            lang,
            "Reserve list: the round's funded projects withdraw one after another, lowest-ranked first; after each withdrawal the optimum is re-solved with every other decision fixed. The second table gives, for each funded project alone, who enters if it withdraws and all others stay.",
            "候补名单：本批入选项目按排名从低到高依次退出；每次退出后，在其他决定不变的前提下重新求解最优组合。第二个表给出：若仅某一入选项目退出（其他不变），由谁递补。"
        ))
    );
    for reserve in report.reserves {
        let round = &scenario.rounds[reserve.round];
        let _ = writeln!(out, "<h3>{}</h3>", escape(&round.name));
        if reserve.list.is_empty() {
            let _ = writeln!(
                out,
                "<p>{}</p>",
                escape(t(lang, "(no reserve)", "（无候补）"))
            );
        } else {
            open_table(
                out,
                &[
                    ("#", true),
                    (t(lang, "project", "项目"), false),
                    (t(lang, "name", "名称"), false),
                    (t(lang, "score", "得分"), true),
                    (t(lang, "subsidy", "补助"), true),
                    (t(lang, "enters after", "递补于"), false),
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
                    &cand.map_or(String::new(), |c| c.score.normalize().to_string()),
                );
                cell(out, "num", &cand.map_or(String::new(), |c| yuan(c.subsidy)));
                cell(
                    out,
                    "",
                    &format!(
                        "{} {}",
                        scenario.applications[entry.after.0].id,
                        t(lang, "withdraws", "退出")
                    ),
                );
                out.push_str("</tr>\n");
            }
            close_table(out);
        }
        if reserve.withdrawals.is_empty() {
            continue;
        }
        open_table(
            out,
            &[
                (t(lang, "if it withdraws", "若其退出"), false),
                (t(lang, "who enters", "递补项目"), false),
                (
                    t(lang, "also leaving (requires it)", "因依赖而一并退出"),
                    false,
                ),
            ],
        );
        let list = |pairs: &[Pair]| -> String {
            if pairs.is_empty() {
                return t(lang, "nobody", "无").into();
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
                None => t(
                    lang,
                    "cannot withdraw: a committee lock needs it",
                    "无法退出：评审委员会的锁定需要它",
                )
                .into(),
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
        escape(t(lang, "Sensitivity sweep", "敏感性分析")),
        escape(&match lang {
            Lang::En => format!(
                "weights {}, {} runs ({} weight vectors × {} budget points), {} infeasible; the base portfolio recurs in {}% of feasible runs.",
                h.sweep.weights, tally.runs, h.sweep.weight_vectors, h.sweep.budget_points,
                tally.infeasible, percent(tally.base_hits, feasible)
            ),
            Lang::Zh => format!(
                "权重扰动 {}，共 {} 次求解（{} 组权重 × {} 个预算点），{} 次不可行；基准组合在 {}% 的可行求解中出现。",
                h.sweep.weights, tally.runs, h.sweep.weight_vectors, h.sweep.budget_points,
                tally.infeasible, percent(tally.base_hits, feasible)
            ),
        })
    );
    if !h.sweep.overrides.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"note\">{}</p>",
            escape(lang::what_if_line(lang, &h.sweep.overrides).trim())
        );
    }
    for (title, svg) in [
        (
            t(lang, "Acceptability", "入选率"),
            chart::acceptability(h, tally)?,
        ),
        (
            t(lang, "Budget frontier", "预算前沿"),
            chart::frontier_chart(h, tally)?,
        ),
        (
            t(lang, "Weights of borderline projects", "边缘项目的权重偏好"),
            chart::weights(h, tally)?,
        ),
    ] {
        let _ = writeln!(
            out,
            "<div class=\"chart\"><h3>{}</h3>{}</div>",
            escape(title),
            inline_svg(&svg)
        );
    }
    let _ = writeln!(
        out,
        "<h3>{}</h3>",
        escape(t(lang, "Acceptability table", "入选率表"))
    );
    let mut rows: Vec<usize> = (0..h.pairs.len())
        .filter(|&i| tally.funded[i] > 0)
        .collect();
    rows.sort_by(|&a, &b| tally.funded[b].cmp(&tally.funded[a]).then(a.cmp(&b)));
    let never = h.pairs.len() - rows.len();
    open_table(
        out,
        &[
            (t(lang, "project", "项目"), false),
            (t(lang, "round", "批次"), false),
            (t(lang, "funded runs", "入选次数"), true),
            (t(lang, "share", "入选率"), true),
            (t(lang, "class", "类别"), false),
        ],
    );
    for i in rows {
        let (project, round) = &h.pairs[i];
        let class = class(tally.funded[i], feasible);
        let label = match class {
            "core" => t(lang, "core", "核心"),
            "borderline" => t(lang, "borderline", "边缘"),
            _ => t(lang, "exterior", "外围"),
        };
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
        escape(&match lang {
            Lang::En =>
                format!("{never} (project, round) entries funded in no run are not listed."),
            Lang::Zh => format!("另有 {never} 个（项目，批次）条目在所有求解中均未入选，未列出。"),
        })
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

    #[test]
    fn inline_svg_drops_the_namespace_url() {
        let svg = "<svg width=\"1\" xmlns=\"http://www.w3.org/2000/svg\">x</svg>";
        assert_eq!(inline_svg(svg), "<svg width=\"1\">x</svg>");
    }
}
