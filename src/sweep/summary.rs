//! A sweep's summary JSON (`allot sweep -f json`, docs/output-format.md) read back into its
//! header and tally, so `allot report --sweep` can chart a sweep from that file alone.

use super::{FrontierPoint, PointStats, Settings, SweepHeader, Tally, CERTIFICATE_KEYS};
use crate::scenario::Money;
use rust_decimal::Decimal;
use serde_json::Value;

/// Rebuilds the header and tally from `allot sweep -f json` output (docs/output-format.md). The
/// summary keeps mean weights to 6 decimal places, so the weights chart is drawn from those
/// means; every other figure is exact.
pub fn from_summary(v: &Value) -> Result<(SweepHeader, Tally), String> {
    fn get<'a>(v: &'a Value, key: &str) -> Result<&'a Value, String> {
        v.get(key)
            .ok_or_else(|| format!("not a sweep result: no key {key:?}"))
    }
    fn parse<T: serde::de::DeserializeOwned>(v: &Value, key: &str) -> Result<T, String> {
        serde_json::from_value(get(v, key)?.clone()).map_err(|e| format!("key {key:?}: {e}"))
    }
    fn array<'a>(v: &'a Value, key: &str) -> Result<&'a Vec<Value>, String> {
        get(v, key)?
            .as_array()
            .ok_or_else(|| format!("key {key:?}: not a list"))
    }
    let decimal = |v: &Value, key: &str| -> Result<Option<Decimal>, String> {
        match get(v, key)? {
            Value::Null => Ok(None),
            x => serde_json::from_value(x.clone())
                .map(Some)
                .map_err(|e| format!("key {key:?}: {e}")),
        }
    };
    let criteria: Vec<String> = parse(v, "criteria")?;
    let sweep: Settings = parse(v, "sweep")?;
    let runs: u64 = parse(v, "runs")?;
    let infeasible: u64 = parse(v, "infeasible_runs")?;
    let weights = |m: &Value, n: u64| -> Result<Vec<Decimal>, String> {
        criteria
            .iter()
            .map(|c| match m.get(c) {
                Some(Value::Null) | None => Ok(Decimal::ZERO),
                Some(x) => serde_json::from_value::<Decimal>(x.clone())
                    .map(|d| d * Decimal::from(n))
                    .map_err(|e| format!("mean weight of {c:?}: {e}")),
            })
            .collect()
    };
    let mut pairs = Vec::new();
    let mut funded = Vec::new();
    let mut weight_when_funded = Vec::new();
    for row in array(v, "acceptability")? {
        let n: u64 = parse(row, "funded_runs")?;
        pairs.push((parse(row, "project")?, parse(row, "round")?));
        funded.push(n);
        weight_when_funded.push(weights(get(row, "mean_weights_when_funded")?, n)?);
    }
    let index = |x: &Value| -> Result<u32, String> {
        let pair: (String, String) = (parse(x, "project")?, parse(x, "round")?);
        pairs
            .iter()
            .position(|p| *p == pair)
            .map(|i| i as u32)
            .ok_or_else(|| format!("{pair:?} is not among the acceptability rows"))
    };
    let base_json = get(v, "base")?;
    let base = array(base_json, "funded")?
        .iter()
        .map(index)
        .collect::<Result<Vec<u32>, _>>()?;
    let mut pools: Vec<String> = Vec::new();
    let mut points = Vec::new();
    let mut stats = Vec::new();
    let mut frontier = Vec::new();
    for row in array(v, "frontier")? {
        let budgets = get(row, "budgets")?
            .as_object()
            .ok_or("key \"budgets\": not an object")?;
        if pools.is_empty() {
            pools = budgets.keys().cloned().collect();
        }
        let point = pools
            .iter()
            .map(|p| {
                budgets
                    .get(p)
                    .and_then(|m| serde_json::from_value::<Money>(m.clone()).ok())
                    .ok_or_else(|| format!("frontier budgets: no amount for pool {p:?}"))
            })
            .collect::<Result<Vec<Money>, String>>()?;
        points.push(point);
        stats.push(PointStats {
            runs: parse(row, "runs")?,
            min_score: decimal(row, "min_score")?,
            max_score: decimal(row, "max_score")?,
            base_hits: row
                .get("base_weights_portfolio_runs")
                .and_then(Value::as_u64)
                .unwrap_or(0),
        });
        frontier.push(Some(FrontierPoint {
            score: decimal(row, "best_score")?,
            paid: decimal(row, "total_subsidy")?,
            funded: parse(row, "funded")?,
        }));
    }
    let axes = sweep
        .budgets
        .iter()
        .map(|b| {
            let pool = b.split('=').next().unwrap_or_default().trim();
            pools
                .iter()
                .position(|p| p == pool)
                .ok_or_else(|| format!("budget grid {b:?}: no pool {pool:?}"))
        })
        .collect::<Result<Vec<usize>, String>>()?;
    let certificate = CERTIFICATE_KEYS
        .iter()
        .filter_map(|k| v.get(*k).map(|x| (k.to_string(), x.clone())))
        .collect();
    let header = SweepHeader {
        scenario: parse(v, "scenario")?,
        sweep,
        criteria: criteria.clone(),
        criterion_names: v
            .get("criterion_names")
            .and_then(|n| serde_json::from_value(n.clone()).ok())
            .unwrap_or_default(),
        pools,
        pairs,
        points,
        axes,
        base,
        lang: None,
        certificate,
        manifest: None,
    };
    let tally = Tally {
        runs,
        infeasible,
        funded,
        weight_when_funded,
        weight_sum: weights(get(v, "mean_weights")?, runs)?,
        base_hits: parse(base_json, "reproduced_runs")?,
        // Not charted; the summary lists only the most frequent ones.
        portfolios: Default::default(),
        points: stats,
        frontier,
    };
    Ok((header, tally))
}
