//! The phrases of the committee report (`allot report`) that the text table does not have.

use super::say;
use crate::report::html::LeftOut;
use crate::scenario::Lang;
use crate::sweep::Settings;

/// The page's `lang` attribute.
pub(crate) fn html_lang(lang: Lang) -> &'static str {
    lang.pick("en", "zh-CN")
}

/// What a time limit left out of the report (`allot report --time-limit`), said first.
pub(crate) fn left_out(lang: Lang, left: &LeftOut) -> String {
    let mut parts = Vec::new();
    if left.unpriced > 0 {
        parts.push(say(
            lang,
            format!(
                "{} of the {} prices of inclusion were not found (those entries give the portfolio's limits that keep them out)",
                left.unpriced, left.priced_of
            ),
            format!(
                "{} 个入选代价中有 {} 个未求出（这些条目列出的是使其落选的组合约束）",
                left.priced_of, left.unpriced
            ),
        ));
    }
    if left.unexplained > 0 {
        parts.push(say(
            lang,
            format!(
                "{} of the {} projects near the funding lines have no margins in this report",
                left.unexplained, left.explained_of
            ),
            format!(
                "资助线附近 {} 个项目中有 {} 个未列出边际",
                left.explained_of, left.unexplained
            ),
        ));
    }
    if left.incomplete > 0 {
        parts.push(say(
            lang,
            format!(
                "{} {} shown with only part of {} margins (the others marked as not found)",
                left.incomplete,
                if left.incomplete == 1 {
                    "project is"
                } else {
                    "projects are"
                },
                if left.incomplete == 1 { "its" } else { "their" }
            ),
            format!(
                "{} 个项目的边际仅部分求得（其余标注为未能在计算时限内求得）",
                left.incomplete
            ),
        ));
    }
    say(
        lang,
        format!("Cut short by a time limit: {}.", parts.join("; ")),
        format!("本报告受计算时间限制，未全部完成：{}。", parts.join("；")),
    )
}

/// The page title after the scenario's name.
pub(crate) fn report_title(lang: Lang) -> &'static str {
    lang.pick("funding report", "资助评审报告")
}

/// The subtitle under the scenario's name.
pub(crate) fn report_subtitle(lang: Lang) -> &'static str {
    lang.pick("Funding report", "资助评审报告")
}

/// The footer: how the numbers were found.
pub(crate) fn report_footer(lang: Lang) -> &'static str {
    lang.pick(
        "Written by allot. The portfolio is proven optimal (an exact dual bound with enumeration, or HiGHS) and re-verified in exact decimal arithmetic; margins and reserve lists are found by re-solving the same integer program.",
        "由 allot 生成。资助组合经证明最优（精确对偶界加枚举，或 HiGHS），并以精确十进制算术复核；边际与候补名单均通过重新求解同一整数规划得出。",
    )
}

/// Section headings: summary, pools, margins, reserve lists, sweep.
pub(crate) fn report_headings(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => [
            "Summary",
            "Pools",
            "Margins near the funding line",
            "Reserve lists",
            "Sensitivity sweep",
        ],
        Lang::Zh => [
            "概要",
            "资金池",
            "资助线附近项目的边际",
            "候补名单",
            "敏感性分析",
        ],
    }
}

/// Labels of the summary figures: projects funded, total score, total subsidy, applications.
pub(crate) fn summary_figures(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => [
            "projects funded",
            "total score",
            "total subsidy (yuan)",
            "applications",
        ],
        Lang::Zh => ["获资助项目", "总分", "补助合计（元）", "申报项目"],
    }
}

/// The pool table's columns beyond the text table's: name, used.
pub(crate) fn pool_extra_columns(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::En => ["name", "used"],
        Lang::Zh => ["名称", "使用率"],
    }
}

/// The funding line of a round that funds nobody.
pub(crate) fn no_funding_line(lang: Lang) -> &'static str {
    lang.pick(
        "funding line: no project is funded in this round",
        "资助线：本批次无项目获资助",
    )
}

/// What "near the line" means and what the margins say.
pub(crate) fn margins_note(lang: Lang, k: usize) -> String {
    say(
        lang,
        format!(
            "Near the line: in each round, the last {k} funded entries and the first {k} eligible entries of projects funded nowhere. \
             The score margin is how far the project's score (in every round it entered, together) would have to fall for it to lose its funding, \
             or rise for it to be funded; the amount margin is the largest subsidy at which it is (still) funded in that round. \
             Each margin is exact: it rests on proven optima of the same integer program, with the same tie-break, \
             re-solved with the project locked in or left out, or its amount moved."
        ),
        format!(
            "“资助线附近”指：每个批次中最后 {k} 个入选项目，以及前 {k} 个未在任何批次获资助的符合条件项目。\
             得分边际：项目得分（所申报各批次同时变动）降低多少会落选，或提高多少可入选；补助边际：在该批次中仍（可）入选的最高补助金额。\
             每个边际均为精确值：依据同一整数规划、相同并列规则下经证明的最优组合（锁定纳入或排除该项目，或变动其金额后重新求解）得出。"
        ),
    )
}

/// The margin table's columns after rank, project and name: decision, score margin, amount
/// margin.
pub(crate) fn margin_columns(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => ["decision", "score margin", "amount margin"],
        Lang::Zh => ["结果", "得分边际", "补助边际"],
    }
}

/// What the reserve lists are.
pub(crate) fn reserves_note(lang: Lang) -> &'static str {
    lang.pick(
        "Reserve list: the round's funded projects withdraw one after another, lowest-ranked first; after each withdrawal the optimum is re-solved with every other decision fixed. The second table gives, for each funded project alone, who enters if it withdraws and all others stay.",
        "候补名单：本批入选项目按排名从低到高依次退出；每次退出后，在其他决定不变的前提下重新求解最优组合。第二个表给出：若仅某一入选项目退出（其他不变），由谁递补。",
    )
}

/// The reserve table's columns after `#`: project, name, score, subsidy, when it enters.
pub(crate) fn reserve_columns(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => ["project", "name", "score", "subsidy", "enters"],
        Lang::Zh => ["项目", "名称", "得分", "补助", "递补时机"],
    }
}

/// The withdrawal table's columns: if it withdraws, who enters, also leaving.
pub(crate) fn withdrawal_columns(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => [
            "if it withdraws",
            "who enters",
            "also leaving (requires it)",
        ],
        Lang::Zh => ["若其退出", "递补项目", "因依赖而一并退出"],
    }
}

/// The sweep's settings and the base portfolio's stability, in one sentence.
pub(crate) fn sweep_sentence(
    lang: Lang,
    settings: &Settings,
    runs: u64,
    infeasible: u64,
    percent: &str,
) -> String {
    let weights = &settings.weights;
    let panels = super::panel_factor(lang, settings.panels);
    let (vectors, points) = (settings.weight_vectors, settings.budget_points);
    say(
        lang,
        format!(
            "weights {weights}, {runs} runs ({panels}{vectors} weight vectors × {points} budget points), {infeasible} infeasible; the base portfolio recurs in {percent}% of feasible runs."
        ),
        format!(
            "权重扰动 {weights}，共 {runs} 次求解（{panels}{vectors} 组权重 × {points} 个预算点），{infeasible} 次不可行；基准组合在 {percent}% 的可行求解中出现。"
        ),
    )
}

/// Titles of the three charts: acceptability, budget frontier, weights.
pub(crate) fn chart_titles(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => [
            "Acceptability",
            "Budget frontier",
            "Weights of borderline projects",
        ],
        Lang::Zh => ["入选率", "预算前沿", "边缘项目的权重偏好"],
    }
}

/// The heading of the acceptability table.
pub(crate) fn acceptability_table(lang: Lang) -> &'static str {
    lang.pick("Acceptability table", "入选率表")
}

/// The acceptability table's columns: project, round, funded runs, share, class.
pub(crate) fn acceptability_table_columns(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => ["project", "round", "funded runs", "share", "class"],
        Lang::Zh => ["项目", "批次", "入选次数", "入选率", "类别"],
    }
}

/// A class (`core`, `borderline`, `exterior`) on the report's badge. Chinese calls an exterior
/// pair 外围 here and 落选 in the text table; both are kept as they are.
pub(crate) fn class_badge(lang: Lang, class: &str) -> &'static str {
    match class {
        "core" => lang.pick("core", "核心"),
        "borderline" => lang.pick("borderline", "边缘"),
        _ => lang.pick("exterior", "外围"),
    }
}

/// Under the acceptability table: the entries left out.
pub(crate) fn never_funded_entries(lang: Lang, never: usize) -> String {
    say(
        lang,
        format!("{never} (project, round) entries funded in no run are not listed."),
        format!("另有 {never} 个（项目，批次）条目在所有求解中均未入选，未列出。"),
    )
}

/// The words of a round's value-for-money chart.
pub(crate) struct ValueWords {
    pub title: &'static str,
    pub note: &'static str,
    pub funded: &'static str,
    pub elsewhere: &'static str,
    pub unfunded: &'static str,
    pub x_axis: &'static str,
    pub y_axis: &'static str,
}

/// The value-for-money chart's title, note, legend and axes.
pub(crate) fn value_chart_words(lang: Lang) -> ValueWords {
    match lang {
        Lang::En => ValueWords {
            title: "Score against subsidy",
            note: "Each eligible entry of the round: a cheaper project of a slightly lower score can leave room in the pool for another, so the optimum is not always the top of the ranking.",
            funded: "funded here",
            elsewhere: "funded in another round",
            unfunded: "not funded",
            x_axis: "subsidy (10,000 yuan)",
            y_axis: "score",
        },
        Lang::Zh => ValueWords {
            title: "得分与补助金额",
            note: "本轮每个符合条件的申报项目：得分略低但补助较少的项目能为资金池留出余地再资助一个项目，因此最优组合不一定是排名最靠前的项目。",
            funded: "本轮获资助",
            elsewhere: "在其他轮次获资助",
            unfunded: "未获资助",
            x_axis: "补助金额（万元）",
            y_axis: "得分",
        },
    }
}

/// The headings of the committee-decisions and all-applications sections.
pub(crate) fn publication_headings(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::En => ["Committee decisions", "All applications"],
        Lang::Zh => ["评审委员会决定", "全部申报项目"],
    }
}

/// Under the all-applications heading.
pub(crate) fn applications_note(lang: Lang) -> &'static str {
    lang.pick(
        "Every application, in project order, with its outcome: funded (round and amount paid), eligible but not funded (the reason, or what funding it would cost), or ineligible (every condition it fails, in every round it entered).",
        "按项目编号列出全部申报项目及结果：获资助（批次和补助金额）、符合条件未获资助（原因，或纳入它的代价）、不符合条件（在所申报每个批次中不符合的全部条件）。",
    )
}

/// Column headings of the all-applications table: the workbook's projects sheet's first six.
pub(crate) fn applications_columns(lang: Lang) -> [&'static str; 6] {
    let h = super::workbook_words(lang).projects_header;
    [h[0], h[1], h[2], h[3], h[4], h[5]]
}

/// The column of reasons and committee decisions.
pub(crate) fn reasons_column(lang: Lang) -> &'static str {
    lang.pick("reasons and decisions", "原因及决定")
}

/// A must-fund lock, as the decisions section and a funded row say it.
pub(crate) fn lock_text(lang: Lang, project: &str, round: &str) -> String {
    say(
        lang,
        format!("{project} must be funded in {round} (committee decision)"),
        format!("{project} 必须在 {round} 获资助（评审委员会决定）"),
    )
}

/// An exclusion.
pub(crate) fn exclusion_text(lang: Lang, project: &str) -> String {
    say(
        lang,
        format!("{project} is excluded (committee decision)"),
        format!("{project} 不予资助（评审委员会决定）"),
    )
}

/// A dependency: `requires` or not (excludes).
pub(crate) fn dependency_text(lang: Lang, requires: bool, project: &str, other: &str) -> String {
    match requires {
        true => say(
            lang,
            format!("{project} may be funded only if {other} is"),
            format!("{project} 仅在 {other} 获资助时才可获资助"),
        ),
        false => say(
            lang,
            format!("{project} and {other} are not both funded"),
            format!("{project} 与 {other} 不同时获资助"),
        ),
    }
}

/// The per-enterprise limit.
pub(crate) fn enterprise_limit_text(lang: Lang, max: u32) -> String {
    say(
        lang,
        format!("at most {max} funded projects per enterprise"),
        format!("每家企业至多 {max} 个项目获资助"),
    )
}

/// When the committee decided nothing.
pub(crate) fn no_decisions(lang: Lang) -> &'static str {
    lang.pick(
        "The committee made no lock, exclusion or dependency decision, and set no enterprise limit.",
        "评审委员会未作锁定、排除或关联决定，也未设企业限额。",
    )
}

/// What a decision did to the portfolio.
pub(crate) fn decision_outcome(lang: Lang, funded_in: Option<(&str, &str)>) -> String {
    match funded_in {
        Some((round, paid)) => say(
            lang,
            format!("funded in {round}, {paid} yuan"),
            format!("已在 {round} 获资助，{paid} 元"),
        ),
        None => lang.pick("not funded", "未获资助").to_string(),
    }
}
