//! Sweep reports. A sweep's result is a [`SweepHeader`] (what was swept, with the certificate
//! fields of the base solve, so another tool can re-run it) and a [`Tally`]. Every output — JSON,
//! table, CSV, a shard file — is a function of those two; `sweep` reads shard files back and
//! merges them ([`crate::sweep::merge_shards`]), so a merge renders exactly the unsharded output.
//! One file per format (json.rs, table.rs, csv.rs); this one builds the header and holds the
//! figures they share (shares, classes, the frontier).

mod csv;
mod json;
mod table;

pub use self::csv::summary_csv;
pub use json::{shard_json, summary_json};
pub use table::summary_table;

use super::json::candidates_json;
use super::{certificate, Decisions};
use crate::rules::evaluate_with_weights;
use crate::scenario::Scenario;
use crate::sweep::{Settings, Sweep, SweepHeader, Tally, CERTIFICATE_KEYS};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Map, Value};

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
        criterion_names: scenario
            .scoring
            .criteria
            .iter()
            .map(|c| c.name.clone())
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
pub(crate) fn percent(part: u64, whole: u64) -> String {
    let p = (share(part, whole) * Decimal::ONE_HUNDRED)
        .round_dp(2)
        .normalize();
    // A pair funded in 1 of 22,000 runs is not "0 %": say it is below the last decimal shown.
    if p.is_zero() && part > 0 {
        "<0.01".into()
    } else if p == Decimal::ONE_HUNDRED && part < whole {
        ">99.99".into()
    } else {
        p.to_string()
    }
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

/// Decimal places of reported mean weights.
pub(crate) const WEIGHT_REPORT_DP: u32 = 6;

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn a_share_is_never_shown_as_none_or_all_when_it_is_not() {
        assert_eq!(percent(1, 22_000), "<0.01");
        assert_eq!(percent(21_999, 22_000), ">99.99");
        assert_eq!(percent(0, 22_000), "0");
        assert_eq!(percent(22_000, 22_000), "100");
        assert_eq!(percent(1, 3), "33.33");
    }
}
