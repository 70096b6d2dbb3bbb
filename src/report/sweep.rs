//! Sweep reports. A sweep's result is a [`SweepHeader`] (what was swept, with the certificate
//! fields of the base solve, so another tool can re-run it) and a [`Tally`]. Every output — JSON,
//! table, CSV, a shard file — is a function of those two; `sweep` reads shard files back and
//! merges them ([`crate::sweep::merge_shards`]), so a merge renders exactly the unsharded output.

use super::json::candidates_json;
use super::{certificate, pad, right, yuan, Decisions};
use crate::error::{Error, Result};
use crate::rules::evaluate_with_weights;
use crate::rules::SCORE_DP;
use crate::scenario::Lang;
use crate::scenario::{Money, Scenario, Unit};
use crate::sweep::{
    Settings, Shard, ShardFile, ShardJson, Sweep, SweepHeader, Tally, CERTIFICATE_KEYS,
};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Map, Value};
use std::fmt::Write;

/// Portfolios listed as most frequent.
pub const MOST_FREQUENT: usize = 10;
/// Decimal places of shares and marginal values.
const SHARE_DP: u32 = 4;

/// The header of a prepared sweep.
pub fn header(sweep: &Sweep, settings: Settings) -> SweepHeader {
    let scenario = sweep.scenario();
    let decisions = Decisions::new(scenario, &sweep.base_evaluation, &sweep.base);
    let cert = certificate(scenario, &sweep.base_evaluation, &sweep.base, &decisions);
    let full = match serde_json::to_value(&cert) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut certificate: Map<String, Value> = CERTIFICATE_KEYS
        .iter()
        .filter_map(|k| full.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    rerunnable(scenario, &sweep.base_evaluation.weights, &mut certificate);
    let grid = &sweep.plan.grid;
    SweepHeader {
        scenario: scenario.name.clone(),
        sweep: settings,
        criteria: scenario
            .scoring
            .criteria
            .iter()
            .map(|c| c.id.clone())
            .collect(),
        pools: scenario.pools.iter().map(|p| p.id.clone()).collect(),
        pairs: sweep
            .pairs
            .iter()
            .map(|&(p, r)| {
                (
                    scenario.applications[p].id.clone(),
                    scenario.rounds[r].id.clone(),
                )
            })
            .collect(),
        points: (0..grid.count())
            .map(|i| grid.budgets(scenario, i))
            .collect(),
        axes: grid.axes.iter().map(|a| a.pool).collect(),
        base: sweep.base_pairs.clone(),
        lang: scenario.lang.map(|l| l.pick("en", "zh").to_string()),
        certificate,
        manifest: None,
    }
}

/// Makes the base certificate's fields enough to rebuild any run of the sweep: each round's
/// qualifying score (`min_score`, null when none), and as `candidates` every pair that passes the
/// conditions that do not depend on the score — not only those that qualify at the base weights,
/// since other weights move pairs across the threshold. A pair's `score` stays its base score.
fn rerunnable(scenario: &Scenario, weights: &[Decimal], certificate: &mut Map<String, Value>) {
    if let Some(Value::Array(rounds)) = certificate.get_mut("rounds") {
        for (json, round) in rounds.iter_mut().zip(&scenario.rounds) {
            if let Value::Object(m) = json {
                m.insert("min_score".into(), json!(round.eligibility.min_score));
            }
        }
    }
    if scenario
        .rounds
        .iter()
        .all(|r| r.eligibility.min_score.is_none())
    {
        return;
    }
    let mut open = scenario.clone();
    for round in &mut open.rounds {
        round.eligibility.min_score = None;
    }
    let all = evaluate_with_weights(&open, weights);
    if let Ok(candidates) = serde_json::to_value(candidates_json(&open, &all)) {
        certificate.insert("candidates".into(), candidates);
    }
}

pub(crate) fn share(part: u64, whole: u64) -> Decimal {
    if whole == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(part) / Decimal::from(whole))
        .round_dp_with_strategy(SHARE_DP, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// A share as a percentage with at most two places (`98.5`).
pub(crate) fn percent(part: u64, whole: u64) -> Decimal {
    (share(part, whole) * Decimal::ONE_HUNDRED)
        .round_dp(2)
        .normalize()
}

/// `core` (every feasible run funds it), `exterior` (none does) or `borderline`.
pub fn class(funded: u64, feasible: u64) -> &'static str {
    if feasible > 0 && funded == feasible {
        "core"
    } else if funded == 0 {
        "exterior"
    } else {
        "borderline"
    }
}

/// One frontier row: budgets, the base weights' best score, and the marginal score per extra
/// 1,000,000 CNY along each varying pool.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierRow {
    /// Budget point.
    pub point: usize,
    /// Best score (base weights); `None` when infeasible or not computed.
    pub score: Option<Decimal>,
    /// Total paid.
    pub paid: Option<Decimal>,
    /// Projects funded.
    pub funded: usize,
    /// Per axis: marginal score per 1,000,000 CNY from the previous point along that axis.
    pub marginal: Vec<Option<Decimal>>,
}

/// The frontier rows of a tally.
pub fn frontier(h: &SweepHeader, t: &Tally) -> Vec<FrontierRow> {
    let strides: Vec<usize> = (0..h.axes.len())
        .map(|a| {
            h.axes[a + 1..]
                .iter()
                .map(|&p| {
                    h.points
                        .iter()
                        .map(|pt| pt[p])
                        .collect::<std::collections::BTreeSet<_>>()
                        .len()
                })
                .product()
        })
        .collect();
    (0..h.points.len())
        .map(|i| {
            let f = t.frontier[i].as_ref();
            let score = f.and_then(|f| f.score);
            let marginal = h
                .axes
                .iter()
                .enumerate()
                .map(|(a, &pool)| {
                    let prev = i.checked_sub(strides[a])?;
                    if h.points[prev][pool] >= h.points[i][pool]
                        || (0..h.pools.len())
                            .any(|q| q != pool && h.points[prev][q] != h.points[i][q])
                    {
                        return None;
                    }
                    let before = t.frontier[prev].as_ref()?.score?;
                    let dm = h.points[i][pool].yuan() - h.points[prev][pool].yuan();
                    Some(
                        ((score? - before) * Decimal::from(1_000_000) / dm)
                            .round_dp_with_strategy(
                                SHARE_DP,
                                RoundingStrategy::MidpointAwayFromZero,
                            )
                            .normalize(),
                    )
                })
                .collect();
            FrontierRow {
                point: i,
                score,
                paid: f.and_then(|f| f.paid),
                funded: f.map_or(0, |f| f.funded),
                marginal,
            }
        })
        .collect()
}

fn pairs_json(h: &SweepHeader, pairs: &[u32]) -> Value {
    Value::Array(
        pairs
            .iter()
            .map(|&p| {
                let (project, round) = &h.pairs[p as usize];
                json!({"project": project, "round": round})
            })
            .collect(),
    )
}

fn budgets_json(h: &SweepHeader, point: usize) -> Value {
    Value::Object(
        h.pools
            .iter()
            .zip(&h.points[point])
            .map(|(id, m)| (id.clone(), serde_json::to_value(m).unwrap_or(Value::Null)))
            .collect(),
    )
}

/// The sweep's result as JSON (documented in docs/output-format.md).
pub fn summary_json(h: &SweepHeader, t: &Tally) -> Result<String> {
    let feasible = t.runs - t.infeasible;
    let criteria = &h.criteria;
    let mean_weights = |sums: &[Decimal], n: u64| -> Value {
        Value::Object(
            criteria
                .iter()
                .zip(sums)
                .map(|(id, s)| {
                    let v = if n == 0 {
                        Value::Null
                    } else {
                        json!((*s / Decimal::from(n))
                            .round_dp(WEIGHT_REPORT_DP)
                            .normalize())
                    };
                    (id.clone(), v)
                })
                .collect(),
        )
    };
    let acceptability: Vec<Value> = h
        .pairs
        .iter()
        .enumerate()
        .map(|(i, (project, round))| {
            let n = t.funded[i];
            json!({
                "project": project,
                "round": round,
                "funded_runs": n,
                "share": share(n, feasible),
                "class": class(n, feasible),
                "mean_weights_when_funded": mean_weights(&t.weight_when_funded[i], n),
            })
        })
        .collect();
    let most: Vec<Value> = t
        .most_frequent(MOST_FREQUENT)
        .into_iter()
        .map(|(pairs, seen)| {
            json!({
                "runs": seen.runs,
                "share": share(seen.runs, feasible),
                "first_run": seen.first_run,
                "is_base": pairs.as_slice() == h.base.as_slice(),
                "size": pairs.len(),
                "funded": pairs_json(h, pairs),
            })
        })
        .collect();
    let rows: Vec<Value> = frontier(h, t)
        .into_iter()
        .map(|r| {
            let stats = &t.points[r.point];
            json!({
                "budgets": budgets_json(h, r.point),
                "best_score": r.score,
                "total_subsidy": r.paid,
                "funded": r.funded,
                "marginal_score_per_million": Value::Object(
                    h.axes.iter().zip(&r.marginal)
                        .map(|(&p, m)| (h.pools[p].clone(), json!(m)))
                        .collect()
                ),
                "runs": stats.runs,
                "min_score": stats.min_score,
                "max_score": stats.max_score,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("scenario".into(), json!(h.scenario));
    out.insert(
        "sweep".into(),
        serde_json::to_value(&h.sweep).map_err(output)?,
    );
    out.insert("score_decimals".into(), json!(SCORE_DP));
    out.insert("criteria".into(), json!(h.criteria));
    for (k, v) in &h.certificate {
        out.insert(k.clone(), v.clone());
    }
    out.insert(
        "base".into(),
        json!({
            "funded": pairs_json(h, &h.base),
            "reproduced_runs": t.base_hits,
            "stability": share(t.base_hits, feasible),
        }),
    );
    out.insert("runs".into(), json!(t.runs));
    out.insert("infeasible_runs".into(), json!(t.infeasible));
    out.insert("mean_weights".into(), mean_weights(&t.weight_sum, t.runs));
    out.insert("distinct_portfolios".into(), json!(t.portfolios.len()));
    out.insert("most_frequent".into(), Value::Array(most));
    out.insert("acceptability".into(), Value::Array(acceptability));
    // Frontier amounts (budgets, total_subsidy) are yuan, like every amount in JSON.
    out.insert("frontier_unit".into(), json!(Unit::Yuan));
    out.insert("frontier".into(), Value::Array(rows));
    if let Some(m) = &h.manifest {
        out.insert("manifest".into(), serde_json::to_value(m).map_err(output)?);
    }
    Ok(serde_json::to_string_pretty(&Value::Object(out)).map_err(output)? + "\n")
}

/// Decimal places of reported mean weights.
const WEIGHT_REPORT_DP: u32 = 6;

fn output(e: serde_json::Error) -> Error {
    Error::Output(e.to_string())
}

/// A shard's file.
pub fn shard_json(h: &SweepHeader, t: &Tally, shard: Shard) -> Result<String> {
    let file = ShardFile {
        shard: ShardJson {
            index: shard.index,
            count: shard.count,
        },
        header: h.clone(),
        tally: t.clone(),
    };
    Ok(serde_json::to_string(&file).map_err(output)? + "\n")
}

/// The sweep for people, in English or Chinese.
pub fn summary_table(h: &SweepHeader, t: &Tally, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let feasible = t.runs - t.infeasible;
    let mut s = String::new();
    let _ = if zh {
        writeln!(
            s,
            "{} 敏感性分析：共 {} 次求解 = {} 组权重（{}）× {} 个预算点，随机种子 {}",
            h.scenario,
            t.runs,
            h.sweep.weight_vectors,
            h.sweep.weights,
            h.sweep.budget_points,
            h.sweep.seed
        )
    } else {
        writeln!(
            s,
            "Sweep of {}: {} runs = {} weight vectors ({}) × {} budget points, seed {}",
            h.scenario,
            t.runs,
            h.sweep.weight_vectors,
            h.sweep.weights,
            h.sweep.budget_points,
            h.sweep.seed
        )
    };
    for p in &h.sweep.prefer {
        let _ = writeln!(s, "  {}{p}", lang.pick("preference: ", "偏好约束："));
    }
    for o in &h.sweep.overrides {
        let _ = writeln!(s, "  {}{o}", lang.pick("what-if: ", "假设调整："));
    }
    if t.infeasible > 0 {
        let _ = if zh {
            writeln!(
                s,
                "{} 次求解不可行（评审委员会的锁定决定无法同时满足）",
                t.infeasible
            )
        } else {
            writeln!(
                s,
                "{} runs infeasible (the committee's locks cannot hold)",
                t.infeasible
            )
        };
    }
    let _ = if zh {
        writeln!(
            s,
            "基准组合（资助 {} 项）在 {} 次可行求解中重现 {} 次（{}%）",
            h.base.len(),
            feasible,
            t.base_hits,
            percent(t.base_hits, feasible)
        )
    } else {
        writeln!(
            s,
            "Base portfolio ({} funded) reproduced in {} of {} runs ({}%)",
            h.base.len(),
            t.base_hits,
            feasible,
            percent(t.base_hits, feasible)
        )
    };
    let _ = writeln!(
        s,
        "{}{}",
        lang.pick("Distinct portfolios: ", "不同的资助组合："),
        t.portfolios.len()
    );
    for (k, (pairs, seen)) in t.most_frequent(5).into_iter().enumerate() {
        let base = pairs.as_slice() == h.base.as_slice();
        let _ = if zh {
            writeln!(
                s,
                "  #{} 出现 {} 次（{}%）{}，资助 {} 项，首次出现于第 {} 次求解",
                k + 1,
                seen.runs,
                percent(seen.runs, feasible),
                if base { "，即基准组合" } else { "" },
                pairs.len(),
                seen.first_run
            )
        } else {
            writeln!(
                s,
                "  #{} {} runs ({}%){}, {} funded, first in run {}",
                k + 1,
                seen.runs,
                percent(seen.runs, feasible),
                if base { " = base" } else { "" },
                pairs.len(),
                seen.first_run
            )
        };
    }

    let mut rows: Vec<(usize, u64)> = (0..h.pairs.len()).map(|i| (i, t.funded[i])).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut counts = [0usize; 3];
    for &(_, n) in &rows {
        counts[match class(n, feasible) {
            "core" => 0,
            "borderline" => 1,
            _ => 2,
        }] += 1;
    }
    let _ = if zh {
        writeln!(
            s,
            "\n入选率（可行求解中获资助的比例）：核心 {} 项，边缘 {} 项，落选 {} 项",
            counts[0], counts[1], counts[2]
        )
    } else {
        writeln!(
            s,
            "\nAcceptability (share of feasible runs funding the pair): {} core, {} borderline, {} exterior",
            counts[0], counts[1], counts[2]
        )
    };
    let heads = if zh {
        ["项目", "轮次", "次数", "比例", "类别"]
    } else {
        ["project", "round", "runs", "share", "class"]
    };
    let _ = writeln!(
        s,
        "  {} {} {} {}  {}",
        pad(heads[0], 10),
        pad(heads[1], 14),
        right(heads[2], 8),
        right(heads[3], 8),
        heads[4]
    );
    for &(i, n) in rows.iter().filter(|&&(_, n)| n > 0) {
        let (project, round) = &h.pairs[i];
        let class = class(n, feasible);
        let class = if zh {
            match class {
                "core" => "核心",
                "borderline" => "边缘",
                _ => "落选",
            }
        } else {
            class
        };
        let _ = writeln!(
            s,
            "  {} {} {} {}  {}",
            pad(project, 10),
            pad(round, 14),
            right(&n.to_string(), 8),
            right(&format!("{}%", percent(n, feasible)), 8),
            class
        );
    }
    if counts[2] > 0 {
        let _ = if zh {
            writeln!(s, "  （从未获资助的 {} 项未列出）", counts[2])
        } else {
            writeln!(s, "  ({} pairs never funded are not listed)", counts[2])
        };
    }

    let rows = frontier(h, t);
    if rows.len() > 1 || !h.axes.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            lang.pick(
                "Budget frontier (base weights; amounts in yuan)",
                "预算前沿（基准权重；金额单位：元）"
            )
        );
        if h.sweep.budget_unit != Unit::Yuan && !h.sweep.budgets.is_empty() {
            let unit = h.sweep.budget_unit.label();
            let _ = if zh {
                writeln!(s, "  （--budget 中未注明单位的金额按场景单位{unit}读取）")
            } else {
                writeln!(
                    s,
                    "  (--budget amounts without a unit were read in {unit}, the scenario's unit)"
                )
            };
        }
        let mut head = String::new();
        for &p in &h.axes {
            let _ = write!(head, "{}", right(&h.pools[p], 16));
        }
        let [best, funded, paid] = if zh {
            ["最优总分", "资助数", "补助合计"]
        } else {
            ["best score", "funded", "paid"]
        };
        let _ = write!(
            head,
            "{}{}{}",
            right(best, 14),
            right(funded, 8),
            right(paid, 16)
        );
        for &p in &h.axes {
            let label = if zh {
                format!("每百万元增分 {}", h.pools[p])
            } else {
                format!("+score/1M {}", h.pools[p])
            };
            let _ = write!(head, "{}", right(&label, 18));
        }
        let _ = writeln!(s, "  {head}");
        for r in rows {
            let mut line = String::new();
            for &p in &h.axes {
                let _ = write!(line, "{}", right(&yuan(h.points[r.point][p]), 16));
            }
            let score = r
                .score
                .map_or(lang.pick("infeasible", "不可行").to_string(), |v| {
                    v.to_string()
                });
            let paid = r.paid.map_or("-".into(), |v| yuan(Money::from_yuan(v)));
            let _ = write!(
                line,
                "{}{}{}",
                right(&score, 14),
                right(&r.funded.to_string(), 8),
                right(&paid, 16)
            );
            for m in &r.marginal {
                let _ = write!(
                    line,
                    "{}",
                    right(&m.map_or("-".into(), |v| v.to_string()), 18)
                );
            }
            let _ = writeln!(s, "  {line}");
        }
    }
    s
}

/// One row per (project, round): runs funded, share, class.
pub fn summary_csv(h: &SweepHeader, t: &Tally) -> Result<String> {
    let feasible = t.runs - t.infeasible;
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Output(e.to_string());
    let mut head = vec![
        "project".to_string(),
        "round".into(),
        "funded_runs".into(),
        "runs".into(),
        "share".into(),
        "class".into(),
    ];
    head.extend(
        h.criteria
            .iter()
            .map(|c| format!("mean_weight_{c}_when_funded")),
    );
    w.write_record(&head).map_err(fail)?;
    for (i, (project, round)) in h.pairs.iter().enumerate() {
        let n = t.funded[i];
        let mut row = vec![
            project.clone(),
            round.clone(),
            n.to_string(),
            feasible.to_string(),
            share(n, feasible).to_string(),
            class(n, feasible).to_string(),
        ];
        row.extend(t.weight_when_funded[i].iter().map(|s| {
            if n == 0 {
                String::new()
            } else {
                (*s / Decimal::from(n))
                    .round_dp(WEIGHT_REPORT_DP)
                    .normalize()
                    .to_string()
            }
        }));
        w.write_record(&row).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Output(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| Error::Output(e.to_string()))
}
