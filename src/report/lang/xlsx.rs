//! The words of the Excel workbook (`allot solve -f xlsx`): sheet names, labels and headers.

use super::say;
use crate::report::Standing;
use crate::scenario::Lang;

/// The fixed words of the workbook in one language.
pub(crate) struct WorkbookWords {
    pub summary_sheet: &'static str,
    pub projects_sheet: &'static str,
    /// scenario, status, funded projects, total score, total subsidy, applications, eligible but
    /// unfunded, ineligible.
    /// (Money labels and headers are without their unit: the workbook adds the amounts' own.)
    pub facts: [&'static str; 8],
    pub optimal: &'static str,
    pub pools: &'static str,
    /// pool, name, budget, spent, left, pro-rata scale.
    pub pool_header: [&'static str; 6],
    /// (blank), projects, total score, subsidy.
    pub comparison_header: [&'static str; 4],
    pub optimum_adds: &'static str,
    /// rank, project, name, enterprise, score, subsidy, paid, decision.
    pub round_header: [&'static str; 8],
    /// project, name, enterprise, status, round, subsidy, score, rank, reasons.
    pub projects_header: [&'static str; 9],
    pub nothing_funded: &'static str,
}

pub(crate) fn workbook_words(lang: Lang) -> WorkbookWords {
    match lang {
        Lang::En => WorkbookWords {
            summary_sheet: "Summary",
            projects_sheet: "Projects",
            facts: [
                "scenario",
                "status",
                "funded projects",
                "total score",
                "total subsidy",
                "applications",
                "eligible but unfunded",
                "ineligible",
            ],
            optimal: "optimal (proven, verified in exact arithmetic)",
            pools: "pools",
            pool_header: [
                "pool",
                "name",
                "budget",
                "spent",
                "left",
                "pro-rata scale λ",
            ],
            comparison_header: ["", "projects", "total score", "subsidy"],
            optimum_adds: "the optimum adds",
            round_header: [
                "rank",
                "project",
                "name",
                "enterprise",
                "score",
                "subsidy",
                "paid",
                "decision",
            ],
            projects_header: [
                "project",
                "name",
                "enterprise",
                "status",
                "round",
                "subsidy",
                "score",
                "rank",
                "reasons",
            ],
            nothing_funded: "nothing funded",
        },
        Lang::Zh => WorkbookWords {
            summary_sheet: "汇总",
            projects_sheet: "全部申报",
            facts: [
                "方案",
                "求解状态",
                "资助项目数",
                "总分",
                "补助合计",
                "申报项目数",
                "符合条件未获资助",
                "不符合条件",
            ],
            optimal: "最优（已证明，并经精确算术复核）",
            pools: "资金池",
            pool_header: ["资金池", "名称", "预算", "已用", "结余", "等比例核减系数 λ"],
            comparison_header: ["", "项目数", "总分", "补助"],
            optimum_adds: "最优组合多得",
            round_header: [
                "排名",
                "项目编号",
                "项目名称",
                "企业名称",
                "得分",
                "规则补助",
                "实际补助",
                "结果",
            ],
            projects_header: [
                "项目编号",
                "项目名称",
                "企业名称",
                "结果",
                "资助批次",
                "补助",
                "得分",
                "排名",
                "原因",
            ],
            nothing_funded: "无项目获资助",
        },
    }
}

/// A time-limited search, in the summary's status cell.
pub(crate) fn workbook_time_limit(lang: Lang, gap_percent: &str) -> String {
    say(
        lang,
        format!("time limit reached: best portfolio found, gap {gap_percent}%"),
        format!("已到时间上限，给出已找到的最佳组合，差距 {gap_percent}%"),
    )
}

/// Where a round sheet's funding line is.
pub(crate) fn line_below(lang: Lang, rank: usize, score: &str) -> String {
    say(
        lang,
        format!("funding line below rank {rank} (score {score})"),
        format!("资助线在第 {rank} 名之下（得分 {score}）"),
    )
}

/// A round sheet's title.
pub(crate) fn round_title(
    lang: Lang,
    name: &str,
    count: usize,
    max: u32,
    pool: &str,
    line: &str,
) -> String {
    say(
        lang,
        format!("{name} — {count} of at most {max} funded, pool {pool}; {line}"),
        format!("{name} — 资助 {count} 个（上限 {max} 个），资金池 {pool}；{line}"),
    )
}

/// A project's standing in words.
pub(crate) fn standing(lang: Lang, s: Standing) -> &'static str {
    match s {
        Standing::Funded => lang.pick("funded", "获资助"),
        Standing::Unfunded => lang.pick("unfunded", "未获资助"),
        Standing::Ineligible => lang.pick("ineligible", "不符合条件"),
    }
}
