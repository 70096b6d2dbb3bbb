//! The sweep as CSV: one row per (project, round).

use super::{class, share, WEIGHT_REPORT_DP};
use crate::error::{Error, Result};
use crate::sweep::{SweepHeader, Tally};
use rust_decimal::Decimal;

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
