//! Every phrase of the human-facing reports in English and Chinese, one small function per
//! message, so a translation is changed in one place and the layouts stay language-free.
//! (Eligibility reasons are worded next to their definition, `rules::Reason::text`, because
//! `rules` must not depend on `report`.) JSON keys and CSV headers stay English.

mod chart;
mod html;
mod sweep;
mod xlsx;

pub(crate) use chart::*;
pub(crate) use html::*;
pub(crate) use sweep::*;
pub(crate) use xlsx::*;

use crate::explain::Warning;
use crate::scenario::{DependencyKind, Lang, Scenario};
use rust_decimal::Decimal;

/// Picks the English or Chinese form of an owned message.
fn say(lang: Lang, en: String, zh: String) -> String {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// The unit of `scenario`'s amounts: 元 / yuan, or a `.pb` election's currency (PLN is not yuan).
pub(crate) fn money_unit(lang: Lang, scenario: &Scenario) -> String {
    match &scenario.currency {
        Some(c) => c.clone(),
        None => lang.pick("yuan", "元").to_string(),
    }
}

/// A column heading with the unit of its amounts: `补助（元）`, `subsidy (yuan)`.
pub(crate) fn in_unit(lang: Lang, heading: &str, unit: &str) -> String {
    say(
        lang,
        format!("{heading} ({unit})"),
        format!("{heading}（{unit}）"),
    )
}

/// A money column's heading with the unit of `scenario`'s amounts: `补助（元）`,
/// `subsidy (yuan)`, `subsidy (EUR)`.
pub(crate) fn money_heading(lang: Lang, scenario: &Scenario, heading: &str) -> String {
    in_unit(lang, heading, &money_unit(lang, scenario))
}

/// The heading of the points-per-10,000 column: `分/万元`, `pts/万元`, or `pts/10,000 PLN`.
pub(crate) fn value_heading(lang: Lang, scenario: &Scenario) -> String {
    match &scenario.currency {
        None => shortlist_columns(lang)[5].to_string(),
        Some(c) => say(lang, format!("pts/10,000 {c}"), format!("分/万{c}")),
    }
}

// ----- solve table ---------------------------------------------------------------------------

/// The line that opens a table computed under what-if overrides (empty without overrides), so a
/// printed result says what it was computed under.
pub fn what_if_line(lang: Lang, overrides: &[String]) -> String {
    if overrides.is_empty() {
        return String::new();
    }
    say(
        lang,
        format!("what-if: {}\n", overrides.join(" ")),
        format!("假设调整：{}\n", overrides.join(" ")),
    )
}

/// `status: …` line of a proven optimum.
pub(crate) fn status_optimal(lang: Lang) -> String {
    lang.pick(
        "status: optimal (proven, verified in exact arithmetic)",
        "状态：最优（已证明，并经精确算术复核）",
    )
    .into()
}

/// `status: …` line of a time-limited search.
pub(crate) fn status_time_limit(lang: Lang, gap_percent: &str) -> String {
    say(
        lang,
        format!("status: time limit reached: best portfolio found, gap {gap_percent}%"),
        format!("状态：已到时间上限，给出已找到的最佳组合，差距 {gap_percent}%"),
    )
}

/// The summary line under the status.
pub(crate) fn funded_summary(lang: Lang, n: usize, score: &str, paid: &str, unit: &str) -> String {
    say(
        lang,
        format!("funded: {n} projects, total score {score}, total subsidy {paid} {unit}"),
        format!("资助：{n} 个项目，总分 {score}，补助合计 {paid} {unit}"),
    )
}

/// The heading of a round's shortlist.
pub(crate) fn round_heading(lang: Lang, name: &str, k: usize, max: u32, pool: &str) -> String {
    say(
        lang,
        format!("== {name} — {k} of at most {max} funded, pool {pool} =="),
        format!("== {name} — 资助 {k} 个（上限 {max} 个），资金池 {pool} =="),
    )
}

/// Under a round heading when no one is eligible.
pub(crate) fn no_eligible(lang: Lang) -> &'static str {
    lang.pick("(no eligible applications)", "（没有符合条件的申报）")
}

/// Column headings of a shortlist: rank, project, name, score, subsidy, decision.
pub(crate) fn shortlist_columns(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => [
            "rank",
            "project",
            "name",
            "score",
            "subsidy",
            "pts/万元",
            "decision",
        ],
        Lang::Zh => ["排名", "项目", "名称", "得分", "补助", "分/万元", "结果"],
    }
}

/// The decision of a candidate funded in this round.
pub(crate) fn funded_here(lang: Lang) -> &'static str {
    lang.pick("FUNDED", "资助")
}

/// The decision of a candidate funded in another round.
pub(crate) fn funded_in(lang: Lang, round: &str) -> String {
    say(
        lang,
        format!("funded in {round}"),
        format!("已在 {round} 获资助"),
    )
}

/// The label of the funding line.
pub(crate) fn funding_line(lang: Lang, score: &str) -> String {
    say(
        lang,
        format!("funding line (score {score})"),
        format!("资助线（得分 {score}）"),
    )
}

/// The heading of the pools section.
pub(crate) fn pools_heading(lang: Lang) -> &'static str {
    lang.pick("== pools ==", "== 资金池 ==")
}

/// Column headings of the pools: pool, budget, spent, left, scale.
pub(crate) fn pool_columns(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => ["pool", "budget", "spent", "left", "scale"],
        Lang::Zh => ["资金池", "预算", "已用", "结余", "比例"],
    }
}

/// The count of applications by standing.
pub(crate) fn standings(
    lang: Lang,
    total: usize,
    funded: usize,
    unfunded: usize,
    ineligible: usize,
) -> String {
    say(
        lang,
        format!("applications: {total} — {funded} funded, {unfunded} eligible but unfunded, {ineligible} ineligible"),
        format!("申报：{total} 个 — 资助 {funded} 个，符合条件未获资助 {unfunded} 个，不符合条件 {ineligible} 个"),
    )
}

/// The name of the baseline in running text: rank-and-cut, or the greedy rule of participatory
/// budgets (`.pb` input).
pub(crate) fn baseline_name(lang: Lang, method: &str) -> &'static str {
    if method == "greedy" {
        lang.pick("greedy", "贪心法")
    } else {
        lang.pick(crate::solve::BASELINE_METHOD, "排序截取法")
    }
}

/// The heading of the comparison with rank-and-cut.
pub(crate) fn comparison_heading(lang: Lang, method: &str) -> String {
    say(
        lang,
        format!("== optimal portfolio vs {} ==", baseline_name(lang, method)),
        format!("== 最优组合与{}对比 ==", baseline_name(lang, method)),
    )
}

/// When rank-and-cut cannot honour the locks.
pub(crate) fn no_comparison(lang: Lang, method: &str) -> String {
    say(
        lang,
        format!(
            "{} cannot honour the committee's locks and round floors here; no comparison.",
            baseline_name(lang, method)
        ),
        format!(
            "{}无法满足评审委员会的锁定决定和轮次下限，不作对比。",
            baseline_name(lang, method)
        ),
    )
}

/// Column headings of the comparison: projects, total score, subsidy.
pub(crate) fn comparison_columns(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => ["projects", "total score", "subsidy"],
        Lang::Zh => ["项目数", "总分", "补助"],
    }
}

/// The row label of the optimum.
pub(crate) fn optimal(lang: Lang) -> &'static str {
    lang.pick("optimal", "最优组合")
}

/// What the optimum gains.
/// The optimum's gain over the baseline, in points and (when the baseline scores) per cent.
pub(crate) fn gain_over(lang: Lang, optimum: Decimal, baseline: Decimal) -> String {
    let points = optimum - baseline;
    let pct = if baseline.is_zero() {
        String::new()
    } else {
        format!(
            " ({:+}%)",
            (points * Decimal::ONE_HUNDRED / baseline).round_dp(2)
        )
    };
    gain(lang, &points.normalize().to_string(), &pct)
}

fn gain(lang: Lang, points: &str, pct: &str) -> String {
    say(
        lang,
        format!("the optimum adds {points} points{pct}"),
        format!("最优组合多得 {points} 分{pct}"),
    )
}

/// Where the gain over the baseline comes from: how many projects each funds and their average
/// amount (money already grouped).
pub(crate) fn gain_from(
    lang: Lang,
    method: &str,
    counts: (usize, usize),
    averages: (&str, &str),
) -> String {
    let base = baseline_name(lang, method);
    let (n, m) = counts;
    let (a, b) = averages;
    let what = match n.cmp(&m) {
        std::cmp::Ordering::Greater => say(
            lang,
            format!("it funds more projects than {base}: {n} instead of {m}"),
            format!("比{base}多资助项目：{n} 个（{base} {m} 个）"),
        ),
        std::cmp::Ordering::Less => say(
            lang,
            format!("it funds fewer projects than {base}: {n} instead of {m}"),
            format!("比{base}少资助项目：{n} 个（{base} {m} 个）"),
        ),
        std::cmp::Ordering::Equal => say(
            lang,
            format!("it funds as many projects as {base} ({n})"),
            format!("与{base}资助项目数相同（{n} 个）"),
        ),
    };
    what + &say(
        lang,
        format!(", at {a} a project on average ({base}: {b})"),
        format!("，平均每个项目 {a}（{base} {b}）"),
    )
}

/// One round's share of the comparison: the optimum's and the baseline's projects, points and
/// money there.
pub(crate) fn round_comparison(
    lang: Lang,
    method: &str,
    round: &str,
    optimum: (usize, &str, &str),
    baseline: (usize, &str, &str),
) -> String {
    let (n, s, m) = optimum;
    let (bn, bs, bm) = baseline;
    let base = baseline_name(lang, method);
    say(
        lang,
        format!("  {round}: {n} projects, {s} points, {m} ({base}: {bn}, {bs} points, {bm})"),
        format!("  {round}：{n} 个项目，{s} 分，{m}（{base}：{bn} 个，{bs} 分，{bm}）"),
    )
}

/// The label of the pairs funded only by the optimum.
pub(crate) fn only_in_optimum_label(lang: Lang) -> &'static str {
    lang.pick("only in the optimum", "仅在最优组合中")
}

/// Pairs funded only by the optimum.
pub(crate) fn only_in_optimum(lang: Lang, list: &str) -> String {
    format!(
        "{}{}{list}",
        only_in_optimum_label(lang),
        lang.pick(": ", "：")
    )
}

/// The label of the pairs funded only by rank-and-cut.
pub(crate) fn only_in_baseline_label(lang: Lang, method: &str) -> String {
    say(
        lang,
        format!("only in {}", baseline_name(lang, method)),
        format!("仅在{}中", baseline_name(lang, method)),
    )
}

/// Pairs funded only by rank-and-cut.
pub(crate) fn only_in_baseline(lang: Lang, method: &str, list: &str) -> String {
    format!(
        "{}{}{list}",
        only_in_baseline_label(lang, method),
        lang.pick(": ", "：")
    )
}

// ----- reasons a candidate is not funded -------------------------------------------------------

/// An eligible, unblocked candidate the optimum leaves out.
pub(crate) fn not_selected(lang: Lang, score: &str) -> String {
    say(
        lang,
        format!("not selected (score {score} adds nothing the optimum lacks)"),
        format!("未入选（得分 {score}，不能提高最优组合）"),
    )
}

/// The price of funding an entry ranked above the funding line: the best total with it, what
/// that costs against the optimum, and who would leave and enter (`leaves`, `enters`: pairs as
/// `project (round)`, already joined).
pub(crate) fn price_of_inclusion(
    lang: Lang,
    cost: &str,
    with: &str,
    optimum: &str,
    leaves: &str,
    enters: &str,
) -> String {
    say(
        lang,
        format!("funding it costs {cost} points in all (best total with it {with}, optimum {optimum}); "),
        format!("纳入它将使总分减少 {cost}（纳入后最优总分 {with}，当前最优 {optimum}）；"),
    ) + &moves(lang, leaves, enters)
}

/// The price of funding an entry under round priority: the first round (in priority) whose best
/// score it lowers, and by how much.
pub(crate) fn price_of_priority(
    lang: Lang,
    lost: &str,
    round: &str,
    leaves: &str,
    enters: &str,
) -> String {
    say(
        lang,
        format!(
            "funding it costs {lost} points of round {round}, which comes first in the objective; "
        ),
        format!("纳入它将使优先轮次 {round} 的得分减少 {lost}；"),
    ) + &moves(lang, leaves, enters)
}

/// Who would leave and who would enter, "nobody" for an empty side.
fn moves(lang: Lang, leaves: &str, enters: &str) -> String {
    let none = lang.pick("nobody", "无");
    let or_none = |s: &str| -> String {
        if s.is_empty() {
            none.to_string()
        } else {
            s.to_string()
        }
    };
    say(
        lang,
        format!(
            "leaving: {}; entering: {}",
            or_none(leaves),
            or_none(enters)
        ),
        format!("需退出：{}；新增：{}", or_none(leaves), or_none(enters)),
    )
}

/// No portfolio funds the entry together with the committee's decisions and the rounds' floors.
pub(crate) fn price_infeasible(lang: Lang) -> String {
    lang.pick(
        "cannot be funded here together with the committee's decisions and the rounds' floors",
        "在评审委员会的决定和轮次下限之下无法在此获资助",
    )
    .into()
}

/// A warning, in words (see `crate::explain::warnings`).
pub(crate) fn warning(scenario: &Scenario, w: &Warning, lang: Lang) -> String {
    let round_name = |r: usize| scenario.rounds[r].name.as_str();
    let id = |p: usize| scenario.applications[p].id.as_str();
    let higher = |cost: &Decimal| {
        if cost.is_zero() {
            say(
                lang,
                "without it the same total score is reached by another portfolio".into(),
                "去掉它，另一组合可达到相同总分".into(),
            )
        } else if cost.is_sign_negative() {
            // Under round priority the rounds listed first decide; the total may then be lower.
            let lower = -*cost;
            say(
                lang,
                format!("without it the optimum's total score is {lower} points lower"),
                format!("去掉它，最优组合的总分反而低 {lower}"),
            )
        } else {
            say(
                lang,
                format!("without it the best total score is {cost} points higher"),
                format!("去掉它，最优总分可提高 {cost}"),
            )
        }
    };
    match w {
        Warning::Unchecked { decisions } => say(
            lang,
            if *decisions == 1 {
                "the time limit came before checking whether 1 committee decision (a round floor or a must-fund lock) binds".to_string()
            } else {
                format!("the time limit came before checking whether {decisions} committee decisions (round floors, must-fund locks) bind")
            },
            format!(
                "计算时间限制内未能核查 {decisions} 项评审决定（批次下限、必须资助）是否起约束作用"
            ),
        ),
        Warning::EmptyRound { round, eligible } => say(
            lang,
            format!(
                "round {} funds nobody although {eligible} candidates are eligible",
                round_name(*round)
            ),
            format!(
                "{} 未资助任何项目，尽管有 {eligible} 个符合条件的候选",
                round_name(*round)
            ),
        ),
        Warning::BindingFloor { round, cost } => {
            let r = &scenario.rounds[*round];
            let mut floors = Vec::new();
            if let Some(k) = r.min_projects {
                floors.push(say(
                    lang,
                    format!("at least {k} projects"),
                    format!("至少 {k} 个项目"),
                ));
            }
            if let Some(m) = r.min_amount {
                floors.push(say(
                    lang,
                    format!("at least {}", m.grouped()),
                    format!("至少 {}", m.grouped()),
                ));
            }
            let floors = floors.join(lang.pick(" and ", "、"));
            say(
                lang,
                format!(
                    "the floor of round {} ({floors}) binds: {}",
                    round_name(*round),
                    higher(cost)
                ),
                format!(
                    "{} 的下限（{floors}）起约束作用：{}",
                    round_name(*round),
                    higher(cost)
                ),
            )
        }
        Warning::BindingLock { index, cost } => {
            let lock = &scenario.committee.must_fund[*index];
            say(
                lang,
                format!(
                    "the must-fund lock of {} in {} binds: {}",
                    id(lock.project),
                    round_name(lock.round),
                    higher(cost)
                ),
                format!(
                    "{} 在 {} 的必须资助决定起约束作用：{}",
                    id(lock.project),
                    round_name(lock.round),
                    higher(cost)
                ),
            )
        }
        Warning::DeadDependency {
            index,
            project,
            excluded,
        } => {
            let d = &scenario.committee.dependencies[*index];
            let why = if *excluded {
                lang.pick("is excluded by the committee", "已被评审委员会排除")
            } else {
                lang.pick(
                    "is eligible in no round it entered",
                    "在其申报的各轮次均不符合条件",
                )
            };
            let (verb_en, verb_zh) = match d.kind {
                DependencyKind::Requires => ("requires", "依赖"),
                DependencyKind::Excludes => ("excludes", "排斥"),
            };
            if d.kind == DependencyKind::Requires && d.other == *project {
                say(
                    lang,
                    format!(
                        "{} requires {}, which {why}: {} can never be funded",
                        id(d.project),
                        id(d.other),
                        id(d.project)
                    ),
                    format!(
                        "{} 依赖 {}，而后者{why}：{} 不可能获资助",
                        id(d.project),
                        id(d.other),
                        id(d.project)
                    ),
                )
            } else {
                say(
                    lang,
                    format!(
                        "{} {verb_en} {}, but {} {why}: the dependency has no effect",
                        id(d.project),
                        id(d.other),
                        id(*project)
                    ),
                    format!(
                        "{} {verb_zh} {}，但 {} {why}：该依赖关系不起作用",
                        id(d.project),
                        id(d.other),
                        id(*project)
                    ),
                )
            }
        }
    }
}

/// The committee excluded the project.
pub(crate) fn block_excluded(lang: Lang) -> String {
    lang.pick("excluded by the committee", "评审委员会已排除")
        .into()
}

/// Funded in another round.
pub(crate) fn block_funded_elsewhere(lang: Lang, round: &str) -> String {
    say(
        lang,
        format!("funded in round {round}"),
        format!("已在 {round} 获资助"),
    )
}

/// The round is full.
pub(crate) fn block_round_full(lang: Lang, max: u32) -> String {
    say(
        lang,
        format!("round size: all {max} places are taken"),
        format!("名额已满：{max} 个名额均已占用"),
    )
}

/// A group limit is reached.
pub(crate) fn block_group_full(
    lang: Lang,
    max: u32,
    attribute: &str,
    value: &str,
    holders: &str,
) -> String {
    say(
        lang,
        format!("group limit: {max} per {attribute} — {value} is taken by {holders}"),
        format!(
            "分组限制：每个{}至多 {max} 个 — {value} 已由 {holders} 占用",
            attribute_name(lang, attribute)
        ),
    )
}

/// An attribute a group limit counts, as a committee calls it: the built-in fields by their
/// column names (产业, 属地, 企业) in Chinese; any other is a column header of the user's file.
pub(crate) fn attribute_name(lang: Lang, attribute: &str) -> String {
    match (lang, attribute) {
        (Lang::Zh, "industry") => "产业".into(),
        (Lang::Zh, "jurisdiction") => "属地".into(),
        (Lang::Zh, "enterprise") => "企业".into(),
        (Lang::Zh, other) => format!(" {other} "),
        (Lang::En, other) => other.into(),
    }
}

/// The pool has too little money left.
pub(crate) fn block_budget(lang: Lang, needs: &str, pool: &str, left: &str) -> String {
    say(
        lang,
        format!("pool money: needs {needs}, pool {pool} has {left} left"),
        format!("资金不足：需要 {needs}，资金池 {pool} 仅余 {left}"),
    )
}

/// A pro-rata pool (等比例核减) has too little capacity left: its rule amounts may add up to
/// budget ÷ floor, and what is left is of that capacity, not of the money (the pools table's).
pub(crate) fn block_budget_pro_rata(
    lang: Lang,
    needs: &str,
    pool: &str,
    left: &str,
    capacity: &str,
    floor: &str,
) -> String {
    say(
        lang,
        format!("pool capacity (pro rata): needs {needs} of rule amounts, pool {pool} can take {left} more (rule amounts up to {capacity} = budget ÷ floor {floor}; what is paid is scaled down, so the money left is in the pools table)"),
        format!("资金池容量不足（等比例核减）：需要规则补助 {needs}，资金池 {pool} 只能再承担规则补助 {left}（规则补助合计上限 {capacity} = 预算 ÷ 最低比例 {floor}；实际拨付按比例核减，资金结余见资金池表）"),
    )
}

/// The enterprise limit is reached.
pub(crate) fn block_enterprise_full(lang: Lang, max: u32) -> String {
    say(
        lang,
        format!("enterprise limit: the enterprise already has {max} funded"),
        format!("企业限额：该企业已有 {max} 个项目获资助"),
    )
}

/// A required project is not funded.
pub(crate) fn block_requires(lang: Lang, other: &str) -> String {
    say(
        lang,
        format!("requires {other}, which is not funded"),
        format!("须以 {other} 获资助为前提，但其未获资助"),
    )
}

/// A mutually exclusive project is funded.
pub(crate) fn block_excludes(lang: Lang, other: &str) -> String {
    say(
        lang,
        format!("cannot be funded together with {other}, which is funded"),
        format!("不能与已获资助的 {other} 同时资助"),
    )
}

// ----- words of more than one output --------------------------------------------------------

/// The separator of clauses in running text.
pub(crate) fn separator(lang: Lang) -> &'static str {
    lang.pick("; ", "；")
}

/// The decision of an entry that is not funded.
pub(crate) fn not_funded(lang: Lang) -> &'static str {
    lang.pick("not funded", "未入选")
}

/// An empty list of projects.
pub(crate) fn nobody(lang: Lang) -> &'static str {
    lang.pick("nobody", "无")
}

/// A round's reserve list is empty.
pub(crate) fn no_reserve(lang: Lang) -> &'static str {
    lang.pick("(no reserve)", "（无候补）")
}

/// When a reserve entry enters: the funded projects withdraw one after another, so the entry
/// enters once this one has withdrawn too (it does not simply replace it).
pub(crate) fn after_withdrawal(lang: Lang, id: &str, name: &str) -> String {
    say(
        lang,
        format!("once {id} {name} has withdrawn too"),
        format!("{id} {name} 也退出后"),
    )
}

/// The heading of the column that says when a reserve entry enters.
pub(crate) fn enters_when(lang: Lang) -> &'static str {
    lang.pick("enters", "递补时机")
}

/// A funded project that cannot withdraw: without it the committee's locks, dependencies or a
/// round's floor cannot all hold.
pub(crate) fn cannot_withdraw(lang: Lang) -> &'static str {
    lang.pick(
        "cannot withdraw: no portfolio without it meets the committee's locks and the rounds' floors",
        "无法退出：没有它，任何组合都无法同时满足评审委员会的锁定决定和轮次下限",
    )
}

// ----- check table ---------------------------------------------------------------------------

/// The first line of `check`.
pub(crate) fn check_summary(
    lang: Lang,
    name: &str,
    apps: usize,
    entries: usize,
    eligible: usize,
) -> String {
    say(
        lang,
        format!(
            "{name}: {apps} applications, {entries} (project, round) entries, {eligible} eligible"
        ),
        format!("{name}：{apps} 个申报，{entries} 个（项目，轮次）条目，{eligible} 个符合条件"),
    )
}

/// Column headings of `check`: project, name, round, subsidy, score, eligibility.
pub(crate) fn check_columns(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => [
            "project",
            "name",
            "round",
            "subsidy",
            "score",
            "eligibility",
        ],
        Lang::Zh => ["项目", "名称", "轮次", "补助", "得分", "资格"],
    }
}

/// The verdict of an eligible entry.
pub(crate) fn eligible(lang: Lang) -> &'static str {
    lang.pick("eligible", "符合条件")
}

// ----- diff ----------------------------------------------------------------------------------

/// One side of a diff: which file, scenario, status and overrides.
pub(crate) fn diff_side(
    lang: Lang,
    label: &str,
    file: &str,
    scenario: &str,
    status: &str,
    overrides: &[String],
) -> String {
    let list = if overrides.is_empty() {
        lang.pick("none", "无").to_string()
    } else {
        overrides.join(" ")
    };
    // The certificate's status word, in Chinese for a Chinese diff.
    let status = match (lang, status) {
        (Lang::Zh, "optimal") => "最优",
        (Lang::Zh, "time_limit") => "已到时间上限",
        (_, other) => other,
    };
    say(
        lang,
        format!("{label}: {file} — {scenario} ({status}); overrides: {list}"),
        format!("{label}：{file} — {scenario}（{status}）；假设调整：{list}"),
    )
}

/// The labels of the two sides.
pub(crate) fn diff_labels(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::En => ["base", "what-if"],
        Lang::Zh => ["基准", "假设"],
    }
}

/// When the two results are the same.
pub(crate) fn no_change(lang: Lang) -> &'static str {
    lang.pick("no change", "无变化")
}

/// Section headings of a diff: projects, totals, pools, funded per round.
pub(crate) fn diff_headings(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => [
            "== projects ==",
            "== totals ==",
            "== pools ==",
            "== funded per round ==",
        ],
        Lang::Zh => [
            "== 项目 ==",
            "== 合计 ==",
            "== 资金池 ==",
            "== 各轮资助数 ==",
        ],
    }
}

/// Column headings of before / after / delta tables.
pub(crate) fn delta_columns(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::En => ["before", "after", "delta"],
        Lang::Zh => ["之前", "之后", "变化"],
    }
}

/// Row labels: total score, total subsidy, budget, spent, left.
pub(crate) fn money_rows(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => ["total score", "total subsidy", "budget", "spent", "left"],
        Lang::Zh => ["总分", "补助合计", "预算", "已用", "结余"],
    }
}

/// Column headings of the project changes: change, project, name, round, score, subsidy.
pub(crate) fn change_columns(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => ["change", "project", "name", "round", "score", "subsidy"],
        Lang::Zh => ["变化", "项目", "名称", "轮次", "得分", "补助"],
    }
}

/// How a project changed: newly funded, no longer funded, moved, paid differently.
pub(crate) fn change_words(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::En => ["in", "out", "moved", "subsidy"],
        Lang::Zh => ["新增", "移出", "改轮", "补助变化"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_say_every_message() {
        for lang in [Lang::En, Lang::Zh] {
            assert!(!status_optimal(lang).is_empty());
            assert!(funded_summary(lang, 3, "1", "2", "元").contains('3'));
            assert!(block_budget(lang, "5", "key", "4").contains("key"));
        }
        assert_ne!(block_round_full(Lang::En, 5), block_round_full(Lang::Zh, 5));
    }
}
