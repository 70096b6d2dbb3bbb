//! Explanations and reserve lists (computed by `explain`) in words (English or Chinese), as JSON
//! and as CSV. Reasons and blocks get their Chinese wording here; English reuses `Reason`'s
//! `Display` and `report::describe_block`, so the two languages cannot drift apart in what they say.

use super::{describe_block_in, pad, right};
use crate::explain::{Explanation, Flip, LeftOut, Margin, Never, Pair, Reserve, RoundView};
use crate::rules::Evaluation;
use crate::scenario::{Lang, Money, Scenario};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::fmt::Write;

fn money(m: Money) -> String {
    super::yuan(m)
}

fn fen(amount: i64) -> Money {
    Money::from_yuan(Decimal::new(amount, 2))
}

fn points(units: i64) -> Decimal {
    (Decimal::from(units) * crate::explain::whatif::score_unit()).normalize()
}

/// "point" for a margin of exactly one point ("a rise of 1 point"), else "points".
fn point_word(units: i64) -> &'static str {
    if points(units) == Decimal::ONE {
        "point"
    } else {
        "points"
    }
}

fn never_text(never: Never, lang: Lang) -> &'static str {
    match never {
        Never::Ineligible => lang.pick(
            "no score would fund it: in every round it entered it fails a condition other than the qualifying score",
            "任何得分都无法使其入选：在所申报的每个批次中，都有合格分以外的条件不符合",
        ),
        Never::Excluded => lang.pick(
            "no change would fund it: the committee excluded it",
            "任何变化都无法使其入选：评审委员会已将其排除",
        ),
        Never::NoRoom => lang.pick(
            "no score would fund it: no portfolio that funds it meets the limits (its amount exceeds what the pool can pay, or a committee decision or dependency keeps it out)",
            "任何得分都无法使其入选：没有任何包含它的组合满足各项限制（金额超过资金池可支付的额度，或评审委员会的决定、项目依赖关系将其排除在外）",
        ),
        Never::NotMoney => lang.pick(
            "no amount would fund it here: what keeps it out is not money",
            "在本批中任何金额都无法使其入选：限制它的不是资金",
        ),
        Never::Held => lang.pick(
            "nothing could unfund it: a committee lock holds it, or nothing else can use the money better",
            "任何变化都无法使其落选：评审委员会锁定了它，或没有更好的资金用途",
        ),
        Never::MoneyFloor => lang.pick(
            "not given: the round has a floor on its money, which a larger amount helps meet, so the amounts that fund it need not form one range",
            "不予给出：本批次设有资金下限，金额更高反而有助于达到下限，因此使其入选的金额不一定连成一个区间",
        ),
    }
}

/// The clause separator of the language.
fn sep(lang: Lang) -> &'static str {
    lang.pick("; ", "；")
}

/// `text` in the language's parentheses.
fn paren(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(" ({text})"),
        Lang::Zh => format!("（{text}）"),
    }
}

fn pair_text(scenario: &Scenario, pair: &Pair) -> String {
    format!(
        "{}@{}",
        scenario.applications[pair.0].id, scenario.rounds[pair.1].id
    )
}

fn pairs_text(scenario: &Scenario, pairs: &[Pair], lang: Lang) -> String {
    if pairs.is_empty() {
        return lang.pick("nobody", "无").into();
    }
    pairs
        .iter()
        .map(|p| pair_text(scenario, p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The other side of a flip, without the project's own moves: who enters, who leaves.
fn others(flip: &Flip, project: usize) -> (Vec<Pair>, Vec<Pair>) {
    let keep = |v: &[Pair]| v.iter().copied().filter(|p| p.0 != project).collect();
    (keep(&flip.enters), keep(&flip.leaves))
}

fn flip_tail(scenario: &Scenario, flip: &Flip, project: usize, lang: Lang) -> String {
    let (enters, leaves) = others(flip, project);
    let moved: Vec<Pair> = flip
        .enters
        .iter()
        .copied()
        .filter(|p| p.0 == project)
        .collect();
    let mut out = String::new();
    if !moved.is_empty() {
        let _ = write!(
            out,
            "{}{}{}",
            lang.pick("it is then funded as ", "届时其资助为 "),
            pairs_text(scenario, &moved, lang),
            sep(lang)
        );
    }
    let _ = write!(
        out,
        "{}{}{}{}{}",
        lang.pick("leaving: ", "退出："),
        pairs_text(scenario, &leaves, lang),
        sep(lang),
        lang.pick("entering: ", "进入："),
        pairs_text(scenario, &enters, lang)
    );
    out
}

/// What a part of an explanation the time limit came before says instead (see `LeftOut`).
pub(crate) fn left_out_text(lang: Lang) -> &'static str {
    lang.pick("not found within the time limit", "未能在计算时限内求得")
}

/// The subsidy margin of round `r` of the explanation `x`, "not found" where the time limit came
/// first; `None` where it has none to give (ineligible, or funded in another round).
pub(crate) fn round_subsidy_margin_text(
    scenario: &Scenario,
    x: &Explanation,
    r: &RoundView,
    lang: Lang,
) -> Option<String> {
    match &r.subsidy_margin {
        Some(m) => Some(subsidy_margin_text(
            scenario, x, m, r.funded, r.subsidy, lang,
        )),
        None if x.left_out.contains(&LeftOut::SubsidyMargin(r.round)) => {
            Some(left_out_text(lang).to_string())
        }
        None => None,
    }
}

pub(crate) fn score_margin_text(scenario: &Scenario, x: &Explanation, lang: Lang) -> String {
    let Some(margin) = &x.score_margin else {
        return left_out_text(lang).into();
    };
    match margin {
        Err(never) => never_text(*never, lang).into(),
        Ok(flip) if x.funded.is_none() => format!(
            "{} {} {}{}{}",
            lang.pick("a rise of", "得分提高"),
            points(flip.threshold),
            lang.pick(
                &format!(
                    "{} funds it (the least rise that does)",
                    point_word(flip.threshold)
                ),
                "分即可入选（使其入选的最小增幅）"
            ),
            sep(lang),
            flip_tail(scenario, flip, x.project, lang)
        ),
        Ok(flip) => format!(
            "{} {} {}{}{}",
            lang.pick("a fall of", "得分降低"),
            points(flip.threshold),
            lang.pick(
                &format!(
                    "{} unfunds it (any smaller fall keeps it funded)",
                    point_word(flip.threshold)
                ),
                "分即落选（更小的降幅仍入选）"
            ),
            sep(lang),
            flip_tail(scenario, flip, x.project, lang)
        ),
    }
}

pub(crate) fn subsidy_margin_text(
    scenario: &Scenario,
    x: &Explanation,
    margin: &Margin,
    funded: bool,
    now: Money,
    lang: Lang,
) -> String {
    match margin {
        Err(never) => never_text(*never, lang).into(),
        Ok(flip) if !funded => format!(
            "{} {} {}{}{}{}",
            lang.pick("funded at an amount of at most", "补助金额不超过"),
            money(fen(flip.threshold)),
            lang.pick("yuan", "元时可入选"),
            paren(
                &format!("{} {}", lang.pick("now", "现为"), money(now)),
                lang
            ),
            sep(lang),
            flip_tail(scenario, flip, x.project, lang)
        ),
        Ok(flip) => format!(
            "{} {} {}{}{}{}{}",
            lang.pick("stays funded at an amount of up to", "补助金额不超过"),
            money(fen(flip.threshold)),
            lang.pick("yuan", "元时仍入选"),
            paren(
                &format!("{} {}", lang.pick("now", "现为"), money(now)),
                lang
            ),
            sep(lang),
            lang.pick("one step more: ", "再多一个单位时："),
            flip_tail(scenario, flip, x.project, lang)
        ),
    }
}

fn decision_text(
    scenario: &Scenario,
    evaluation: &Evaluation,
    x: &Explanation,
    lang: Lang,
) -> String {
    match x.funded {
        Some((c, paid)) => format!(
            "{}{} {} {}",
            labelled(
                lang,
                "FUNDED in",
                "入选：",
                &scenario.rounds[evaluation.candidates[c].round].id
            ),
            lang.pick(",", "，补助"),
            money(paid),
            lang.pick("yuan", "元")
        ),
        None if x.rounds.iter().any(|r| r.candidate.is_some()) => {
            lang.pick("not funded", "未入选").into()
        }
        None => lang
            .pick(
                "not funded: eligible for no round it entered",
                "未入选：所申报批次均不符合条件",
            )
            .into(),
    }
}

pub(crate) fn resolution_text(x: &Explanation, lang: Lang) -> String {
    let step = if x.money_step == 100 { "1" } else { "0.01" };
    format!(
        "{} 0.0001 {}{}{} {} {}",
        lang.pick("resolution: score", "精度：得分"),
        lang.pick("points", "分"),
        lang.pick(", ", "，"),
        lang.pick("money", "金额"),
        step,
        lang.pick(
            "yuan; each margin is exact, found from proven optima of what-ifs (the project locked in or left out, its score or amount moved)",
            "元；每个边际均为精确值，依据各假设情形（锁定纳入或排除该项目、变动其得分或金额）经证明的最优组合得出"
        )
    )
}

/// An explanation for people.
pub fn explanation_text(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &[usize],
    x: &Explanation,
    lang: Lang,
) -> String {
    let app = &scenario.applications[x.project];
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", app.id, app.name);
    let _ = writeln!(
        out,
        "{}  {}  {}",
        labelled(lang, "enterprise:", "企业：", &app.enterprise),
        labelled(lang, "industry:", "产业：", &app.industry),
        labelled(lang, "jurisdiction:", "属地：", &app.jurisdiction)
    );
    let _ = writeln!(out, "{}", decision_text(scenario, evaluation, x, lang));
    let _ = writeln!(out);
    for r in &x.rounds {
        let round = &scenario.rounds[r.round];
        let _ = writeln!(
            out,
            "{} {} ({})",
            lang.pick("round", "批次"),
            round.id,
            round.name
        );
        match (r.candidate, r.rank) {
            (None, _) => {
                let _ = writeln!(out, "  {}", lang.pick("not eligible:", "不符合条件："));
                for reason in &r.reasons {
                    let _ = writeln!(out, "    - {}", reason.text(lang));
                }
            }
            (Some(_), rank) => {
                let (at, of) = rank.unwrap_or((0, 0));
                let _ = writeln!(
                    out,
                    "  {} {}{}{} {} / {}{}{} {} {}",
                    lang.pick("eligible; score", "符合条件；得分"),
                    r.score
                        .map(|s| s.normalize().to_string())
                        .unwrap_or_default(),
                    lang.pick(", ", "，"),
                    lang.pick("rank", "排名"),
                    at,
                    of,
                    lang.pick(", ", "，"),
                    lang.pick("rule amount", "规则补助"),
                    money(r.subsidy),
                    lang.pick("yuan", "元")
                );
                let price = r
                    .price
                    .as_ref()
                    .map(|p| super::price_text(scenario, total_score(evaluation, funded), p, lang));
                if r.funded {
                    let _ = writeln!(out, "  {}", lang.pick("funded here", "在本批入选"));
                } else if let (true, Some(price)) = (r.above_line, &price) {
                    // Ranked above funded entries: the full round is not why it is out.
                    let _ = writeln!(
                        out,
                        "  {}",
                        labelled(
                            lang,
                            "ranked above funded entries of this round, not funded:",
                            "排名高于本批已入选项目，但未入选：",
                            price
                        )
                    );
                } else if r.blocks.is_empty() {
                    let _ = writeln!(
                        out,
                        "  {}",
                        lang.pick(
                            "not funded: it fits, but a better portfolio uses that money and place",
                            "未入选：虽可容纳，但更优的组合使用了这笔资金和名额"
                        )
                    );
                } else {
                    let _ = writeln!(out, "  {}", lang.pick("kept out by:", "未入选原因："));
                    for b in &r.blocks {
                        let _ = writeln!(
                            out,
                            "    - {}",
                            describe_block_in(scenario, evaluation, funded, b, lang)
                        );
                    }
                }
                let price = match price {
                    None if x.left_out.contains(&LeftOut::Price(r.round)) => {
                        Some(left_out_text(lang).to_string())
                    }
                    Some(price) if !r.above_line => Some(price),
                    _ => None,
                };
                if let Some(price) = price {
                    let _ = writeln!(
                        out,
                        "  {}",
                        labelled(
                            lang,
                            "price of funding it here:",
                            "在本批纳入它的代价：",
                            price
                        )
                    );
                }
                if let Some(text) = round_subsidy_margin_text(scenario, x, r, lang) {
                    let _ = writeln!(
                        out,
                        "  {}",
                        labelled(lang, "subsidy margin:", "补助边际：", text)
                    );
                }
            }
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        labelled(
            lang,
            "score margin (all its rounds together):",
            "得分边际（各批次同时变动）：",
            score_margin_text(scenario, x, lang)
        )
    );
    let _ = writeln!(out, "{}", resolution_text(x, lang));
    if !x.left_out.is_empty() {
        let n = x.left_out.len();
        let _ = writeln!(
            out,
            "{}",
            match lang {
                Lang::En => format!(
                    "time limit: {n} part{} of this explanation {} not found in time (marked above); every part shown is exact",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "was" } else { "were" }
                ),
                Lang::Zh => format!(
                    "计算时限：本说明有 {n} 项未能在时限内求得（见上文标注）；所列各项均为精确值"
                ),
            }
        );
    }
    out
}

/// A label and its text: "label: text" in English, "标签：文本" in Chinese, where the full-width
/// colon takes no space after it.
fn labelled(lang: Lang, en: &str, zh: &str, text: impl std::fmt::Display) -> String {
    match lang {
        Lang::En => format!("{en} {text}"),
        Lang::Zh => format!("{zh}{text}"),
    }
}

fn pairs_json(scenario: &Scenario, pairs: &[Pair]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|&(p, r)| {
                json!({"project": scenario.applications[p].id, "round": scenario.rounds[r].id})
            })
            .collect(),
    )
}

fn margin_json(scenario: &Scenario, margin: &Margin, value: Value, text: String) -> Value {
    match margin {
        Ok(flip) => json!({
            "threshold": value,
            "enters": pairs_json(scenario, &flip.enters),
            "leaves": pairs_json(scenario, &flip.leaves),
            "text": text,
        }),
        Err(never) => json!({
            "threshold": Value::Null,
            "none": format!("{never:?}").to_lowercase(),
            "text": text,
        }),
    }
}

/// An explanation as JSON: keys in English, texts in the chosen language, numbers as strings.
pub fn explanation_json(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &[usize],
    x: &Explanation,
    lang: Lang,
) -> Value {
    let app = &scenario.applications[x.project];
    let decision = match x.funded {
        Some(_) => "funded",
        None if x.rounds.iter().any(|r| r.candidate.is_some()) => "unfunded",
        None => "ineligible",
    };
    let rounds: Vec<Value> = x
        .rounds
        .iter()
        .map(|r| {
            let subsidy_margin = r.subsidy_margin.as_ref().map(|m| {
                let value = m
                    .as_ref()
                    .map(|f| Value::String(fen(f.threshold).yuan().to_string()))
                    .unwrap_or(Value::Null);
                let text = subsidy_margin_text(scenario, x, m, r.funded, r.subsidy, lang);
                margin_json(scenario, m, value, text)
            });
            json!({
                "round": scenario.rounds[r.round].id,
                "eligible": r.candidate.is_some(),
                "reasons": r.reasons.iter().map(|why| why.text(lang)).collect::<Vec<_>>(),
                "score": r.score.map(|s| s.normalize().to_string()),
                "rank": r.rank.map(|(at, _)| at),
                "ranked": r.rank.map(|(_, of)| of),
                "subsidy": r.subsidy.yuan().to_string(),
                "funded": r.funded,
                "kept_out_by": r.blocks.iter().map(|b| describe_block_in(scenario, evaluation, funded, b, lang)).collect::<Vec<_>>(),
                "above_line": r.above_line,
                "price": r.price.as_ref().map(|p| price_json(scenario, evaluation, funded, p, lang)),
                "subsidy_margin": subsidy_margin,
            })
        })
        .collect();
    let score_margin = x.score_margin.as_ref().map(|m| {
        let value = m
            .as_ref()
            .map(|f| Value::String(points(f.threshold).to_string()))
            .unwrap_or(Value::Null);
        margin_json(scenario, m, value, score_margin_text(scenario, x, lang))
    });
    let rounds_left_out = |part: fn(usize) -> LeftOut| -> Vec<&str> {
        x.rounds
            .iter()
            .filter(|r| x.left_out.contains(&part(r.round)))
            .map(|r| scenario.rounds[r.round].id.as_str())
            .collect()
    };
    json!({
        "project": app.id,
        "name": app.name,
        "enterprise": app.enterprise,
        "industry": app.industry,
        "jurisdiction": app.jurisdiction,
        "decision": decision,
        "funded": x.funded.map(|(c, paid)| json!({
            "round": scenario.rounds[evaluation.candidates[c].round].id,
            "paid": paid.yuan().to_string(),
        })),
        "rounds": rounds,
        "score_margin": score_margin,
        "score_margin_direction": if x.funded.is_some() { "fall" } else { "rise" },
        "left_out": {
            "prices": rounds_left_out(LeftOut::Price),
            "subsidy_margins": rounds_left_out(LeftOut::SubsidyMargin),
            "score_margin": x.left_out.contains(&LeftOut::ScoreMargin),
        },
        "resolution": {
            "score": "0.0001",
            "money": fen(x.money_step).yuan().to_string(),
        },
    })
}

/// The optimum's total score: the sum of the funded candidates' scores.
fn total_score(evaluation: &Evaluation, funded: &[usize]) -> Decimal {
    funded.iter().map(|&c| evaluation.candidates[c].score).sum()
}

/// A price of inclusion as JSON: the best total with the entry in, its cost, who leaves and
/// enters (`change` null when no portfolio funds it with the committee's decisions).
fn price_json(
    scenario: &Scenario,
    evaluation: &Evaluation,
    funded: &[usize],
    price: &crate::explain::Price,
    lang: Lang,
) -> Value {
    let change = price.change.as_ref().map(|c| {
        json!({
            "total_score": c.total_score.normalize().to_string(),
            "cost": c.cost.normalize().to_string(),
            "priority_round": c.level.map(|(r, _)| scenario.rounds[r].id.clone()),
            "priority_cost": c.level.map(|(_, lost)| lost.normalize().to_string()),
            "leaves": pairs_json(scenario, &c.leaves),
            "enters": pairs_json(scenario, &c.enters),
        })
    });
    json!({
        "change": change,
        "text": super::price_text(scenario, total_score(evaluation, funded), price, lang),
    })
}

fn candidate_of(evaluation: &Evaluation, pair: &Pair) -> Option<usize> {
    evaluation
        .candidates
        .iter()
        .position(|c| (c.project, c.round) == *pair)
}

/// The reserve lists for people.
pub fn reserve_text(
    scenario: &Scenario,
    evaluation: &Evaluation,
    reserves: &[Reserve],
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", scenario.name);
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "Reserve list: the round's funded projects withdraw one after another, lowest-ranked first; after each withdrawal the optimum is re-solved with every other decision fixed.",
            "候补名单：本批入选项目按排名从低到高依次退出；每次退出后，在其他决定不变的前提下重新求解最优组合。"
        )
    );
    for reserve in reserves {
        let round = &scenario.rounds[reserve.round];
        let _ = writeln!(
            out,
            "\n== {} — {} ==",
            round.name,
            lang.pick("reserve list", "候补名单")
        );
        if reserve.list.is_empty() {
            let _ = writeln!(out, "{}", lang.pick("(no reserve)", "（无候补）"));
        } else {
            let _ = writeln!(
                out,
                "{} {} {} {}  {}",
                right("#", 4),
                pad(lang.pick("project", "项目"), 8),
                right(lang.pick("score", "得分"), 9),
                right(lang.pick("subsidy", "补助金额"), 14),
                super::lang::enters_when(lang)
            );
        }
        for (k, entry) in reserve.list.iter().enumerate() {
            let cand = candidate_of(evaluation, &entry.pair).map(|c| &evaluation.candidates[c]);
            let after = &scenario.applications[entry.after.0];
            let _ = writeln!(
                out,
                "{} {} {} {}  {}",
                right(&(k + 1).to_string(), 4),
                pad(&scenario.applications[entry.pair.0].id, 8),
                right(
                    &cand
                        .map(|c| c.score.normalize().to_string())
                        .unwrap_or_default(),
                    9
                ),
                right(&cand.map(|c| money(c.subsidy)).unwrap_or_default(), 14),
                super::lang::after_withdrawal(lang, &after.id, &after.name)
            );
        }
        if reserve.withdrawals.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "If one funded project alone withdraws (all others stay):",
                "若仅一个入选项目退出（其他不变）："
            )
        );
        for w in &reserve.withdrawals {
            let enters = match &w.enters {
                Some(e) => pairs_text(scenario, e, lang),
                None => super::lang::cannot_withdraw(lang).into(),
            };
            let mut line = format!("  {} → {}", scenario.applications[w.withdrawn.0].id, enters);
            if !w.leaves.is_empty() {
                let _ = write!(
                    line,
                    " ({})",
                    labelled(
                        lang,
                        "also leaving, as they require it:",
                        "因依赖它而一并退出：",
                        pairs_text(scenario, &w.leaves, lang)
                    )
                );
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// The reserve lists as JSON.
pub fn reserve_json(scenario: &Scenario, reserves: &[Reserve]) -> Value {
    let rounds: Vec<Value> = reserves
        .iter()
        .map(|r| {
            json!({
                "round": scenario.rounds[r.round].id,
                "reserve": r.list.iter().enumerate().map(|(k, e)| json!({
                    "position": k + 1,
                    "project": scenario.applications[e.pair.0].id,
                    "enters_after": scenario.applications[e.after.0].id,
                })).collect::<Vec<_>>(),
                "withdrawals": r.withdrawals.iter().map(|w| json!({
                    "withdrawn": scenario.applications[w.withdrawn.0].id,
                    "feasible": w.enters.is_some(),
                    "enters": w.enters.as_ref().map(|e| pairs_json(scenario, e)),
                    "also_leaves": pairs_json(scenario, &w.leaves),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "scenario": scenario.name, "rounds": rounds })
}

/// The reserve lists as CSV: one row per reserve place (`kind = reserve`) and one per entrant of
/// each single withdrawal (`kind = replacement`; an empty `project` when nobody enters;
/// `kind = locked` when the committee's locks cannot hold without the withdrawn project).
pub fn reserve_csv(scenario: &Scenario, reserves: &[Reserve]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "round",
        "kind",
        "position",
        "project",
        "project_round",
        "withdrawn",
    ]);
    for r in reserves {
        let round = scenario.rounds[r.round].id.as_str();
        for (k, e) in r.list.iter().enumerate() {
            let _ = w.write_record([
                round,
                "reserve",
                &(k + 1).to_string(),
                &scenario.applications[e.pair.0].id,
                &scenario.rounds[e.pair.1].id,
                &scenario.applications[e.after.0].id,
            ]);
        }
        for (k, wd) in r.withdrawals.iter().enumerate() {
            let position = (k + 1).to_string();
            let withdrawn = &scenario.applications[wd.withdrawn.0].id;
            let Some(enters) = wd.enters.clone() else {
                // The committee's locks cannot hold without it.
                let _ = w.write_record([round, "locked", &position, "", "", withdrawn]);
                continue;
            };
            if enters.is_empty() {
                let _ = w.write_record([round, "replacement", &position, "", "", withdrawn]);
            }
            for (p, q) in enters {
                let _ = w.write_record([
                    round,
                    "replacement",
                    &position,
                    &scenario.applications[p].id,
                    &scenario.rounds[q].id,
                    withdrawn,
                ]);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
