//! The sweep's summary JSON (docs/output-format.md) and a shard's file.

use super::{class, frontier, share, MOST_FREQUENT, WEIGHT_REPORT_DP};
use crate::error::{Error, Result};
use crate::rules::SCORE_DP;
use crate::scenario::Unit;
use crate::sweep::{Shard, ShardFile, ShardJson, SweepHeader, Tally};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

fn output(e: serde_json::Error) -> Error {
    Error::Output(e.to_string())
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
                "base_weights_portfolio_runs": stats.base_hits,
                "stability": share(stats.base_hits, stats.runs),
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
    if !h.criterion_names.is_empty() {
        out.insert("criterion_names".into(), json!(h.criterion_names));
    }
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
