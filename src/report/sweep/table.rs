//! The sweep for people, in English or Chinese: the runs and the portfolios they found, the
//! acceptability of each pair, the budget frontier. Every phrase comes from `report::lang`.

use super::{class, frontier, percent};
use crate::report::{lang, pad, right, yuan};
use crate::scenario::{Lang, Money, Unit};
use crate::sweep::{SweepHeader, Tally};
use std::fmt::Write;

/// The sweep for people, in English or Chinese.
pub fn summary_table(h: &SweepHeader, t: &Tally, lang: Lang) -> String {
    let mut s = String::new();
    runs(&mut s, h, t, lang);
    acceptability(&mut s, h, t, lang);
    budget_frontier(&mut s, h, t, lang);
    s
}

/// What was swept, the infeasible runs, the base portfolio's stability and the most frequent
/// portfolios.
fn runs(s: &mut String, h: &SweepHeader, t: &Tally, lang: Lang) {
    let feasible = t.runs - t.infeasible;
    let _ = writeln!(
        s,
        "{}",
        lang::sweep_line(lang, &h.scenario, t.runs, &h.sweep)
    );
    if let Some(spec) = &h.sweep.experts {
        let _ = writeln!(s, "  {}", lang::experts_line(lang, spec));
    }
    for p in &h.sweep.prefer {
        let _ = writeln!(s, "  {}{p}", lang::preference(lang));
    }
    for o in &h.sweep.overrides {
        let _ = writeln!(s, "  {}{o}", lang::what_if(lang));
    }
    if t.infeasible > 0 {
        let _ = writeln!(s, "{}", lang::infeasible_runs(lang, t.infeasible));
    }
    let _ = writeln!(
        s,
        "{}",
        lang::base_reproduced(
            lang,
            h.base.len(),
            t.base_hits,
            feasible,
            &percent(t.base_hits, feasible).to_string()
        )
    );
    if h.points.len() > 1 {
        let _ = writeln!(s, "{}", lang::stability_note(lang));
    }
    let _ = writeln!(
        s,
        "{}{}",
        lang::distinct_portfolios(lang),
        t.portfolios.len()
    );
    for (k, (pairs, seen)) in t.most_frequent(5).into_iter().enumerate() {
        let _ = writeln!(
            s,
            "{}",
            lang::frequent_portfolio(
                lang,
                k + 1,
                seen.runs,
                &percent(seen.runs, feasible).to_string(),
                pairs.as_slice() == h.base.as_slice(),
                pairs.len(),
                seen.first_run
            )
        );
    }
}

/// Each pair funded in some run, most funded first, with its share and class.
fn acceptability(s: &mut String, h: &SweepHeader, t: &Tally, lang: Lang) {
    let feasible = t.runs - t.infeasible;
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
    let _ = writeln!(
        s,
        "{}",
        lang::acceptability_heading(lang, counts[0], counts[1], counts[2])
    );
    let heads = lang::acceptability_columns(lang);
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
        let _ = writeln!(
            s,
            "  {} {} {} {}  {}",
            pad(project, 10),
            pad(round, 14),
            right(&n.to_string(), 8),
            right(&format!("{}%", percent(n, feasible)), 8),
            lang::class_name(lang, class(n, feasible))
        );
    }
    if counts[2] > 0 {
        let _ = writeln!(s, "{}", lang::never_funded(lang, counts[2]));
    }
}

/// The base weights' best score at each budget point, with the marginal score per million along
/// each varying pool; left out when the sweep has one budget point and no grid.
fn budget_frontier(s: &mut String, h: &SweepHeader, t: &Tally, lang: Lang) {
    let rows = frontier(h, t);
    if rows.len() <= 1 && h.axes.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{}", lang::frontier_heading(lang));
    if h.sweep.budget_unit != Unit::Yuan && !h.sweep.budgets.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            lang::budget_unit_note(lang, h.sweep.budget_unit.label())
        );
    }
    let mut head = String::new();
    for &p in &h.axes {
        let _ = write!(head, "{}", right(&h.pools[p], 16));
    }
    let [best, funded, paid, stability] = lang::frontier_columns(lang);
    let _ = write!(
        head,
        "{}{}{}{}",
        right(best, 14),
        right(funded, 8),
        right(paid, 16),
        right(stability, 12)
    );
    for &p in &h.axes {
        let _ = write!(
            head,
            "{}",
            right(&lang::marginal_column(lang, &h.pools[p]), 18)
        );
    }
    let _ = writeln!(s, "  {head}");
    for r in rows {
        let mut line = String::new();
        for &p in &h.axes {
            let _ = write!(line, "{}", right(&yuan(h.points[r.point][p]), 16));
        }
        let score = r
            .score
            .map_or(lang::infeasible(lang).to_string(), |v| v.to_string());
        let paid = r.paid.map_or("-".into(), |v| yuan(Money::from_yuan(v)));
        let stats = &t.points[r.point];
        let stability = if stats.runs == 0 {
            "-".to_string()
        } else {
            format!("{}%", percent(stats.base_hits, stats.runs))
        };
        let _ = write!(
            line,
            "{}{}{}{}",
            right(&score, 14),
            right(&r.funded.to_string(), 8),
            right(&paid, 16),
            right(&stability, 12)
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
