//! The words of the sweep's charts (acceptability, budget frontier, weights).

use super::say;
use crate::scenario::Lang;
use crate::sweep::Settings;

/// What was swept, in one line: runs, weight vectors, budget points, seed.
pub(crate) fn chart_settings(lang: Lang, runs: u64, feasible: u64, sweep: &Settings) -> String {
    let panels = super::panel_factor(lang, sweep.panels);
    let (vectors, weights) = (sweep.weight_vectors, &sweep.weights);
    let (points, seed) = (sweep.budget_points, sweep.seed);
    say(
        lang,
        format!("{runs} runs ({feasible} feasible): {panels}{vectors} weight vectors ({weights}) × {points} budget points, seed {seed}"),
        format!("共 {runs} 次求解（{feasible} 次可行）：{panels}{vectors} 组权重（{weights}）× {points} 个预算点，随机种子 {seed}"),
    )
}

/// The budget grids and the expert panels after the settings.
pub(crate) fn chart_budgets(lang: Lang, grids: &str) -> String {
    say(
        lang,
        format!(", budgets {grids}"),
        format!("，预算网格 {grids}"),
    )
}

/// The expert panels after the settings.
pub(crate) fn chart_experts(lang: Lang, spec: &str) -> String {
    say(
        lang,
        format!(", experts {spec}"),
        format!("，专家组 {spec}"),
    )
}

/// A chart's title: what it shows, and the scenario.
pub(crate) fn chart_title(lang: Lang, chart: usize, scenario: &str) -> String {
    let what = match chart {
        0 => lang.pick("Acceptability", "入选率"),
        1 => lang.pick("Budget frontier", "预算前沿"),
        _ => lang.pick("Weights behind the borderline pairs", "边缘项目背后的权重"),
    };
    format!("{what} — {scenario}")
}

/// Pairs left out of the acceptability chart.
pub(crate) fn never_funded_hidden(lang: Lang, hidden: usize, total: usize) -> String {
    say(
        lang,
        format!("{hidden} of {total} pairs were never funded and are not shown"),
        format!("{total} 个（项目，批次）中有 {hidden} 个从未获资助，未列出"),
    )
}

/// The acceptability legend: core, borderline, exterior, with their counts.
pub(crate) fn class_legend(lang: Lang, counts: [usize; 3]) -> [String; 3] {
    let [core, borderline, exterior] = counts;
    [
        say(
            lang,
            format!("core: funded in every feasible run ({core})"),
            format!("核心：每次可行求解都获资助（{core}）"),
        ),
        say(
            lang,
            format!("borderline: funded in some runs ({borderline})"),
            format!("边缘：部分求解获资助（{borderline}）"),
        ),
        say(
            lang,
            format!("exterior: never funded ({exterior})"),
            format!("落选：从未获资助（{exterior}）"),
        ),
    ]
}

/// The acceptability chart's x axis.
pub(crate) fn share_axis(lang: Lang, feasible: u64) -> String {
    say(
        lang,
        format!("share of the {feasible} feasible runs that fund the (project, round)"),
        format!("{feasible} 次可行求解中资助该（项目，批次）的比例"),
    )
}

/// Fixed phrases of the charts.
pub(crate) struct ChartWords {
    pub nothing_funded: &'static str,
    pub weights_cell: &'static str,
    pub weights_colours: &'static str,
    pub pair_share: &'static str,
    pub no_borderline: &'static str,
    pub points: &'static str,
    pub total_budget: &'static str,
    pub single_point: &'static str,
    pub one_line: &'static str,
    pub lines: &'static str,
    pub all_infeasible: &'static str,
    pub best_score: &'static str,
    pub no_marginal_single: &'static str,
    pub no_marginal_neighbours: &'static str,
    pub marginal_axis: &'static str,
}

pub(crate) fn chart_words(lang: Lang) -> ChartWords {
    match lang {
        Lang::En => ChartWords {
            nothing_funded: "no feasible run funded any pair",
            weights_cell: "each cell: mean weight of the criterion in the runs that fund the pair − its mean over all runs (percentage points)",
            weights_colours: "red: the pair is funded when the criterion weighs more; blue: when it weighs less; rows: borderline pairs, most funded first",
            pair_share: "pair (share of feasible runs)",
            no_borderline: "no borderline pairs: every pair is funded by all feasible runs or by none",
            points: "pp",
            total_budget: "total budget of all pools (CNY)",
            single_point: "no budget varies: a single point (add --budget POOL=LOW..HIGH:STEP for a frontier)",
            one_line: "best total score under the scenario's weights at each budget",
            lines: "best total score under the scenario's weights; one line per budget of the other varying pools",
            all_infeasible: "every budget point is infeasible",
            best_score: "best total score (base weights)",
            no_marginal_single: "no marginal score: a single budget point",
            no_marginal_neighbours: "no marginal score: no two feasible neighbouring budget points",
            marginal_axis: "score per extra 1,000,000 CNY",
        },
        Lang::Zh => ChartWords {
            nothing_funded: "没有任何可行求解资助任何项目",
            weights_cell: "每格：资助该（项目，批次）的求解中该指标的平均权重 − 全部求解中的平均权重（百分点）",
            weights_colours: "红：该指标权重越高越易获资助；蓝：越低越易获资助；每行一个边缘（项目，批次），获资助比例高的在前",
            pair_share: "（项目，批次）（获资助比例）",
            no_borderline: "没有边缘项目：每个（项目，批次）要么每次可行求解都获资助，要么从未获资助",
            points: "个百分点",
            total_budget: "所有资金池的预算合计（元）",
            single_point: "预算未变动：只有一个点（加 --budget 资金池=下限..上限:步长 可得预算前沿）",
            one_line: "各预算下以方案权重求得的最优总分",
            lines: "以方案权重求得的最优总分；其他变动资金池的每个预算一条线",
            all_infeasible: "每个预算点都不可行",
            best_score: "最优总分（基准权重）",
            no_marginal_single: "没有边际得分：只有一个预算点",
            no_marginal_neighbours: "没有边际得分：没有两个相邻的可行预算点",
            marginal_axis: "每增加 1,000,000 元的得分",
        },
    }
}

/// The budget axis of the frontier: one pool's budget.
pub(crate) fn pool_budget_axis(lang: Lang, pool: &str) -> String {
    say(
        lang,
        format!("budget of pool {pool} (CNY)"),
        format!("资金池 {pool} 的预算（元）"),
    )
}

/// The budget axis of the marginal panel.
pub(crate) fn marginal_budget_axis(lang: Lang, pool: &str) -> String {
    say(
        lang,
        format!("budget of pool {pool} (CNY); each value against the previous one"),
        format!("资金池 {pool} 的预算（元）；每个值与前一个相比"),
    )
}

/// Budget points the frontier leaves out.
pub(crate) fn infeasible_points(lang: Lang, n: usize) -> String {
    say(
        lang,
        format!(
            "{n} budget points are infeasible (the committee's locks do not fit) and are not drawn"
        ),
        format!("{n} 个预算点不可行（评审委员会的锁定决定无法满足），未绘出"),
    )
}

/// The mean weight of a criterion, under its name in the weights chart.
pub(crate) fn mean_weight(lang: Lang, mean: &str) -> String {
    say(lang, format!("mean {mean}"), format!("均值 {mean}"))
}
