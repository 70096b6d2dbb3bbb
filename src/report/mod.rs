//! Stage 4: reports. Consumers of an outcome — never readers of input files. The table is for
//! people, the JSON is a self-contained certificate anyone can re-check with another solver, the
//! CSV is one row per project for a planner's spreadsheet, the workbook is all of it in Excel. All
//! read the same [`Decisions`].

pub mod chart;
mod check;
mod csv;
mod diff;
mod explanation;
pub mod html;
mod json;
mod lang;
pub mod sweep;
mod table;
mod xlsx;

pub use check::{check_csv, check_json, check_table};
pub use diff::{diff, diff_table, read_certificate, Diff, Solved};
pub use explanation::{
    explanation_json, explanation_text, reserve_csv, reserve_json, reserve_text,
};
pub(crate) use explanation::{resolution_text, round_subsidy_margin_text, score_margin_text};
pub use json::{certificate, Certificate};
pub use lang::what_if_line;
pub use table::table;
pub(crate) use table::{pad, right};
pub use xlsx::{xlsx, CREATED};

pub use self::csv::csv;

use crate::rules::Evaluation;
use crate::scenario::{Lang, Money, Scenario};
use crate::solve::{ranked, Block, Ledger, Outcome};
use std::collections::BTreeMap;

/// Output formats of `solve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable tables.
    Table,
    /// The JSON certificate.
    Json,
    /// One row per project.
    Csv,
    /// An Excel workbook: summary, one sheet per round, every project.
    Xlsx,
}

/// A project's standing in the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Funded.
    Funded,
    /// Eligible for at least one round but not funded.
    Unfunded,
    /// Eligible for no round it entered.
    Ineligible,
}

impl Standing {
    /// The word used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Funded => "funded",
            Standing::Unfunded => "unfunded",
            Standing::Ineligible => "ineligible",
        }
    }
}

/// Each project's standing, funded candidate and reasons, derived once from an outcome.
pub struct Decisions {
    /// Per application: standing, funded candidate, reasons.
    pub projects: Vec<(Standing, Option<usize>, Vec<String>)>,
    /// Per round: candidates in rank order.
    pub ranking: Vec<Vec<usize>>,
    /// Per candidate: its rank (1-based) in its round.
    pub rank: Vec<usize>,
    /// What the reports call the baseline: rank-and-cut, or `greedy` when a caller replaced
    /// `outcome.baseline` with the greedy rule of participatory budgets (`.pb` input).
    pub baseline_method: &'static str,
    /// The language of the reasons and of the table written from them.
    pub lang: Lang,
}

impl Decisions {
    /// Works out every project's standing and the reasons behind it, in English.
    pub fn new(scenario: &Scenario, evaluation: &Evaluation, outcome: &Outcome) -> Decisions {
        Decisions::new_in(scenario, evaluation, outcome, Lang::En)
    }

    /// Works out every project's standing and the reasons behind it, in `lang`.
    pub fn new_in(
        scenario: &Scenario,
        evaluation: &Evaluation,
        outcome: &Outcome,
        lang: Lang,
    ) -> Decisions {
        let cands = &evaluation.candidates;
        let ledger = Ledger::with(scenario, evaluation, &outcome.portfolio.funded);
        let ranking: Vec<Vec<usize>> = (0..scenario.rounds.len())
            .map(|r| ranked(evaluation, r))
            .collect();
        let mut rank = vec![0; cands.len()];
        for list in &ranking {
            for (i, &c) in list.iter().enumerate() {
                rank[c] = i + 1;
            }
        }
        let mut by_project: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, a) in evaluation.assessments.iter().enumerate() {
            by_project.entry(a.project).or_default().push(i);
        }
        // Each project's funded candidate, looked up once (a search of the funded list per project
        // took 1.6 s of a 100,000-application solve).
        let mut funded_of = vec![None; scenario.applications.len()];
        for &c in outcome.portfolio.funded.iter().rev() {
            funded_of[cands[c].project] = Some(c);
        }
        let mut projects = Vec::with_capacity(scenario.applications.len());
        for (p, &funded) in funded_of.iter().enumerate() {
            let assessments = by_project.get(&p).cloned().unwrap_or_default();
            let eligible = assessments
                .iter()
                .any(|&i| evaluation.assessments[i].candidate.is_some());
            let standing = match (funded, eligible) {
                (Some(_), _) => Standing::Funded,
                (None, true) => Standing::Unfunded,
                (None, false) => Standing::Ineligible,
            };
            let mut reasons = Vec::new();
            for &i in &assessments {
                let a = &evaluation.assessments[i];
                let round = &scenario.rounds[a.round].id;
                match a.candidate {
                    None => reasons.extend(
                        a.reasons
                            .iter()
                            .map(|r| format!("{round}: {}", r.text(lang))),
                    ),
                    Some(c) if funded.is_none() => {
                        let blocks = ledger.blocks(c);
                        if blocks.is_empty() {
                            reasons.push(format!(
                                "{round}: {}",
                                lang::not_selected(lang, &cands[c].score.to_string())
                            ));
                        }
                        reasons.extend(blocks.iter().map(|b| {
                            format!(
                                "{round}: {}",
                                describe_block_in(
                                    scenario,
                                    evaluation,
                                    &outcome.portfolio.funded,
                                    b,
                                    lang
                                )
                            )
                        }));
                    }
                    Some(_) => {}
                }
            }
            projects.push((standing, funded, reasons));
        }
        Decisions {
            projects,
            ranking,
            rank,
            baseline_method: crate::solve::BASELINE_METHOD,
            lang,
        }
    }
}

impl Decisions {
    /// The reasons of the priced entries (see [`crate::explain::price`]) replaced by their price:
    /// for an entry ranked above funded ones, "the round is full" is true of the portfolio but
    /// not why the entry is out; what funding it would cost is.
    pub fn with_prices(
        mut self,
        scenario: &Scenario,
        evaluation: &Evaluation,
        outcome: &Outcome,
        prices: &[crate::explain::Price],
    ) -> Decisions {
        let cands = &evaluation.candidates;
        for price in prices {
            let cand = &cands[price.candidate];
            let round = &scenario.rounds[cand.round].id;
            let text = price_text(scenario, outcome.portfolio.total_score, price, self.lang);
            let prefix = format!("{round}: ");
            let reasons = &mut self.projects[cand.project].2;
            let at = reasons.iter().position(|r| r.starts_with(&prefix));
            reasons.retain(|r| !r.starts_with(&prefix));
            reasons.insert(at.unwrap_or(reasons.len()), format!("{prefix}{text}"));
        }
        self
    }
}

/// The price of funding an entry, in words: what it costs (in all, or of the round that comes
/// first under round priority) and who would leave and enter; `optimum` is the total score.
pub(crate) fn price_text(
    scenario: &Scenario,
    optimum: rust_decimal::Decimal,
    price: &crate::explain::Price,
    lang: Lang,
) -> String {
    let pair = |&(p, r): &(usize, usize)| {
        format!(
            "{} ({})",
            scenario.applications[p].id, scenario.rounds[r].id
        )
    };
    let joined = |pairs: &[(usize, usize)]| pairs.iter().map(pair).collect::<Vec<_>>().join(", ");
    match &price.change {
        Some(change) => match change.level {
            Some((r, lost)) => lang::price_of_priority(
                lang,
                &points(lost),
                &scenario.rounds[r].name,
                &joined(&change.leaves),
                &joined(&change.enters),
            ),
            None => lang::price_of_inclusion(
                lang,
                &points(change.cost),
                &points(change.total_score),
                &points(optimum),
                &joined(&change.leaves),
                &joined(&change.enters),
            ),
        },
        None => lang::price_infeasible(lang),
    }
}

/// A text-table heading (`== pools ==`) as an HTML heading: no rule marks, capitalised.
pub(crate) fn heading(text: &str) -> String {
    let text = text.trim_matches(|c| c == '=' || c == ' ');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A score in a table: always [`SCORE_DP`](crate::rules::SCORE_DP) decimals (`55.5580`), so a
/// column of scores lines up and reads at one precision.
pub(crate) fn points(score: rust_decimal::Decimal) -> String {
    format!("{:.*}", crate::rules::SCORE_DP as usize, score)
}

/// What a funded candidate is paid (pro-rata scaling included).
pub(crate) fn paid(outcome: &Outcome, c: usize) -> Option<Money> {
    let p = &outcome.portfolio;
    p.funded
        .iter()
        .position(|&f| f == c)
        .and_then(|i| p.paid.get(i).copied())
}

/// Each warning in words, in `lang`.
pub fn warning_lines(
    scenario: &Scenario,
    warnings: &[crate::explain::Warning],
    lang: Lang,
) -> Vec<String> {
    warnings
        .iter()
        .map(|w| lang::warning(scenario, w, lang))
        .collect()
}

/// Value for money: score points per 10,000 yuan (万元) of the rule amount, to two decimals
/// (half up); "-" for a zero amount. Cheaper projects win on it, which is why the optimum
/// departs from rank order.
pub fn per_wan(score: rust_decimal::Decimal, amount: Money) -> String {
    if amount.yuan().is_zero() {
        return "-".into();
    }
    let value = score * rust_decimal::Decimal::from(10_000) / amount.yuan();
    format!(
        "{:.2}",
        value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    )
}

/// Groups digits by thousands for reading: 30000000 → 30,000,000.
pub fn yuan(m: Money) -> String {
    m.grouped()
}

/// What keeps a candidate out, in words that name the limit and who holds it.
pub fn describe_block(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &[usize],
    block: &Block,
) -> String {
    describe_block_in(scenario, evaluation, funded, block, Lang::En)
}

/// [`describe_block`] in `lang`.
pub fn describe_block_in(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &[usize],
    block: &Block,
    lang: Lang,
) -> String {
    let apps = &scenario.applications;
    let cands = &evaluation.candidates;
    match block {
        Block::Excluded => lang::block_excluded(lang),
        Block::FundedElsewhere(r) => lang::block_funded_elsewhere(lang, &scenario.rounds[*r].id),
        Block::RoundFull { max, .. } => lang::block_round_full(lang, *max),
        Block::GroupFull {
            round,
            limit,
            value,
        } => {
            let l = &scenario.rounds[*round].group_limits[*limit];
            let holders: Vec<&str> = funded
                .iter()
                .filter(|&&c| {
                    cands[c].round == *round
                        && apps[cands[c].project].attribute(&l.attribute) == Some(value.as_str())
                })
                .map(|&c| apps[cands[c].project].id.as_str())
                .collect();
            lang::block_group_full(lang, l.max, &l.attribute, value, &holders.join(", "))
        }
        Block::Budget { pool, needs, left } => {
            let p = &scenario.pools[*pool];
            let left = yuan(Money::from_yuan(left.round_dp(2)));
            match p.pro_rata_floor {
                // In pro-rata mode the pool's row counts rule amounts up to budget ÷ floor, and
                // what is left of that capacity is not the money the pools table shows left.
                Some(floor) if !floor.is_zero() => lang::block_budget_pro_rata(
                    lang,
                    &yuan(*needs),
                    &p.id,
                    &left,
                    &yuan(Money::from_yuan((p.budget.yuan() / floor).round_dp(2))),
                    &floor.normalize().to_string(),
                ),
                _ => lang::block_budget(lang, &yuan(*needs), &p.id, &left),
            }
        }
        Block::EnterpriseFull { max } => lang::block_enterprise_full(lang, *max),
        Block::Requires(o) => lang::block_requires(lang, &apps[*o].id),
        Block::Excludes(o) => lang::block_excludes(lang, &apps[*o].id),
    }
}

/// The committee's decisions in words, one item each: every must-fund lock with where the project
/// was funded and for how much, every exclusion, every dependency with both projects' outcomes,
/// the enterprise limit (the report's section and the workbook's sheet).
pub(crate) fn committee_items(
    scenario: &Scenario,
    evaluation: &Evaluation,
    outcome: &Outcome,
    decisions: &Decisions,
) -> Vec<String> {
    let (c, lang) = (&scenario.committee, decisions.lang);
    let name = |p: usize| {
        let app = &scenario.applications[p];
        format!("{} {}", app.id, app.name)
    };
    let outcome = |p: usize| {
        let (_, funded, _) = &decisions.projects[p];
        let paid = funded.map(|f| {
            let round = &scenario.rounds[evaluation.candidates[f].round].name;
            let paid = paid(outcome, f).unwrap_or_default();
            (round.clone(), yuan(paid))
        });
        lang::decision_outcome(lang, paid.as_ref().map(|(r, m)| (r.as_str(), m.as_str())))
    };
    let mut items: Vec<String> = Vec::new();
    for lock in &c.must_fund {
        items.push(format!(
            "{} — {}",
            lang::lock_text(lang, &name(lock.project), &scenario.rounds[lock.round].name),
            outcome(lock.project)
        ));
    }
    for &p in &c.exclude {
        items.push(lang::exclusion_text(lang, &name(p)));
    }
    for d in &c.dependencies {
        let requires = d.kind == crate::scenario::DependencyKind::Requires;
        items.push(format!(
            "{} — {}: {}; {}: {}",
            lang::dependency_text(lang, requires, &name(d.project), &name(d.other)),
            scenario.applications[d.project].id,
            outcome(d.project),
            scenario.applications[d.other].id,
            outcome(d.other)
        ));
    }
    if let Some(max) = c.enterprise_limit {
        items.push(lang::enterprise_limit_text(lang, max));
    }
    items
}

#[cfg(test)]
mod value_tests {
    use super::{per_wan, points};
    use crate::scenario::Money;
    use rust_decimal_macros::dec;

    #[test]
    fn scores_in_tables_have_four_decimals() {
        assert_eq!(points(dec!(55.558)), "55.5580");
        assert_eq!(points(dec!(52)), "52.0000");
        assert_eq!(points(dec!(-1.5)), "-1.5000");
    }

    #[test]
    fn value_for_money_is_points_per_wan_half_up() {
        // 94.0903 points for 5,000,000 yuan: 0.188… per 万元.
        assert_eq!(
            per_wan(dec!(94.0903), Money::from_yuan(dec!(5000000))),
            "0.19"
        );
        // 0.125 exactly rounds half up.
        assert_eq!(per_wan(dec!(1.25), Money::from_yuan(dec!(100000))), "0.13");
        assert_eq!(per_wan(dec!(50), Money::from_yuan(dec!(0))), "-");
        assert_eq!(per_wan(dec!(50), Money::from_yuan(dec!(10000))), "50.00");
    }
}
