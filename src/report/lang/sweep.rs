//! The phrases of the sweep's table (`allot sweep`, `allot merge`).

use super::say;
use crate::scenario::Lang;
use crate::sweep::Settings;

/// The first line: what was swept, how many runs, the seed.
pub(crate) fn sweep_line(lang: Lang, scenario: &str, runs: u64, settings: &Settings) -> String {
    let panels = panel_factor(lang, settings.panels);
    let (vectors, weights) = (settings.weight_vectors, &settings.weights);
    let (points, seed) = (settings.budget_points, settings.seed);
    say(
        lang,
        format!("Sweep of {scenario}: {runs} runs = {panels}{vectors} weight vectors ({weights}) × {points} budget points, seed {seed}"),
        format!("{scenario} 敏感性分析：共 {runs} 次求解 = {panels}{vectors} 组权重（{weights}）× {points} 个预算点，随机种子 {seed}"),
    )
}

/// `5 panel variants × ` in a count of runs, when `--experts` varies the panels.
pub(crate) fn panel_factor(lang: Lang, panels: usize) -> String {
    if panels <= 1 {
        return String::new();
    }
    say(
        lang,
        format!("{panels} panel variants × "),
        format!("{panels} 种专家组合 × "),
    )
}

/// How `--experts` varies the panels, for the line under the first.
pub(crate) fn experts_line(lang: Lang, spec: &str) -> String {
    let how = match spec.strip_prefix("bootstrap:") {
        Some(n) => say(
            lang,
            format!("experts resampled with replacement, {n} times"),
            format!("专家有放回重抽样 {n} 次"),
        ),
        None => say(
            lang,
            "each expert left out in turn".to_string(),
            "逐一剔除一位专家".to_string(),
        ),
    };
    say(
        lang,
        format!("expert panels: {how}"),
        format!("专家组：{how}"),
    )
}

/// The label of a `--prefer` statement under the first line.
pub(crate) fn preference(lang: Lang) -> &'static str {
    lang.pick("preference: ", "偏好约束：")
}

/// The label of a what-if override under the first line.
pub(crate) fn what_if(lang: Lang) -> &'static str {
    lang.pick("what-if: ", "假设调整：")
}

/// How many runs had no feasible portfolio.
pub(crate) fn infeasible_runs(lang: Lang, n: u64) -> String {
    say(
        lang,
        format!("{n} runs infeasible (the committee's locks and round floors cannot all hold)"),
        format!("{n} 次求解不可行（评审委员会的锁定决定和轮次下限无法同时满足）"),
    )
}

/// How often the base portfolio came back.
pub(crate) fn base_reproduced(
    lang: Lang,
    funded: usize,
    hits: u64,
    feasible: u64,
    percent: &str,
) -> String {
    say(
        lang,
        format!(
            "Base portfolio ({funded} funded) reproduced in {hits} of {feasible} runs ({percent}%)"
        ),
        format!(
            "基准组合（资助 {funded} 项）在 {feasible} 次可行求解中重现 {hits} 次（{percent}%）"
        ),
    )
}

/// The label of the count of distinct portfolios.
pub(crate) fn distinct_portfolios(lang: Lang) -> &'static str {
    lang.pick("Distinct portfolios: ", "不同的资助组合：")
}

/// One of the most frequent portfolios: `k`-th, how often, whether it is the base, its size,
/// the first run that found it.
pub(crate) fn frequent_portfolio(
    lang: Lang,
    k: usize,
    runs: u64,
    percent: &str,
    is_base: bool,
    funded: usize,
    first_run: u64,
) -> String {
    say(
        lang,
        format!(
            "  #{k} {runs} runs ({percent}%){}, {funded} funded, first in run {first_run}",
            if is_base { " = base" } else { "" }
        ),
        format!(
            "  #{k} 出现 {runs} 次（{percent}%）{}，资助 {funded} 项，首次出现于第 {first_run} 次求解",
            if is_base { "，即基准组合" } else { "" }
        ),
    )
}

/// The acceptability heading with the count of each class (after a blank line).
pub(crate) fn acceptability_heading(
    lang: Lang,
    core: usize,
    borderline: usize,
    exterior: usize,
) -> String {
    say(
        lang,
        format!("\nAcceptability (share of feasible runs funding the pair): {core} core, {borderline} borderline, {exterior} exterior"),
        format!("\n入选率（可行求解中获资助的比例）：核心 {core} 项，边缘 {borderline} 项，落选 {exterior} 项"),
    )
}

/// Column headings of the acceptability rows: project, round, runs, share, class.
pub(crate) fn acceptability_columns(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => ["project", "round", "runs", "share", "class"],
        Lang::Zh => ["项目", "轮次", "次数", "比例", "类别"],
    }
}

/// A class (`core`, `borderline`, `exterior`) in the table's words.
pub(crate) fn class_name(lang: Lang, class: &'static str) -> &'static str {
    match (lang, class) {
        (Lang::En, _) => class,
        (Lang::Zh, "core") => "核心",
        (Lang::Zh, "borderline") => "边缘",
        (Lang::Zh, _) => "落选",
    }
}

/// Under the acceptability rows: the pairs left out.
pub(crate) fn never_funded(lang: Lang, n: usize) -> String {
    say(
        lang,
        format!("  ({n} pairs never funded are not listed)"),
        format!("  （从未获资助的 {n} 项未列出）"),
    )
}

/// The heading of the budget frontier.
pub(crate) fn frontier_heading(lang: Lang) -> &'static str {
    lang.pick(
        "Budget frontier (base weights; amounts in yuan)",
        "预算前沿（基准权重；金额单位：元）",
    )
}

/// Under the frontier heading when `--budget` amounts were read in the scenario's unit.
pub(crate) fn budget_unit_note(lang: Lang, unit: &str) -> String {
    say(
        lang,
        format!("  (--budget amounts without a unit were read in {unit}, the scenario's unit)"),
        format!("  （--budget 中未注明单位的金额按场景单位{unit}读取）"),
    )
}

/// Column headings of the frontier after the pools: best score, funded, paid.
pub(crate) fn frontier_columns(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => ["best score", "funded", "paid", "stability"],
        Lang::Zh => ["最优总分", "资助数", "补助合计", "稳定度"],
    }
}

/// The report's line of each budget point's stability.
pub(crate) fn stability_by_point(lang: Lang, points: &str) -> String {
    say(
        lang,
        format!("The sentence above counts runs at every budget point against the base budgets' portfolio. At each budget point, the share of its runs that fund the base weights' portfolio at that budget: {points}."),
        format!("上句按全部预算点统计，与基准预算下的组合相比。各预算点下，以基准权重求得的组合在该点各次求解中出现的比例：{points}。"),
    )
}

/// Under the stability headline when the sweep has several budget points: the headline counts
/// runs at every point against the base budget's portfolio; each point has its own.
pub(crate) fn stability_note(lang: Lang) -> &'static str {
    lang.pick(
        "  (counted over every budget point against the base budgets' portfolio; the frontier's stability column gives each point's own: the share of its runs that fund the base weights' portfolio at that budget)",
        "  （按全部预算点统计，与基准预算下的组合相比；预算前沿的“稳定度”一栏给出各预算点自身的稳定度：该预算下以基准权重求得的组合在该点各次求解中出现的比例）",
    )
}

/// The column heading of the marginal score along `pool`.
pub(crate) fn marginal_column(lang: Lang, pool: &str) -> String {
    say(
        lang,
        format!("+score/1M {pool}"),
        format!("每百万元增分 {pool}"),
    )
}

/// A frontier point without a feasible portfolio.
pub(crate) fn infeasible(lang: Lang) -> &'static str {
    lang.pick("infeasible", "不可行")
}
