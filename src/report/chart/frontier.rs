//! `frontier.svg`: the base weights' best score along the budget grid (one line per value of
//! the other varying pools), with the marginal score per extra 1,000,000 CNY below.

use super::{
    draw_error, f64_of, heading, keys, note, settings_line, svg, text, IntoKeyed, Keyed, FONT,
    GRID, MUTED, WIDTH,
};
use crate::error::Result;
use crate::report::lang;
use crate::report::sweep::frontier;
use crate::report::yuan;
use crate::scenario::Lang;
use crate::scenario::Money;
use crate::sweep::{SweepHeader, Tally};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Line colours of the frontier, one per value of the other varying pools (cycled).
const LINES: [RGBColor; 8] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x17, 0xbe, 0xcf),
];

/// One line of the frontier: a value of the other varying pools.
struct Line {
    label: String,
    /// (x index, best score, marginal along the x pool), per budget point on the line.
    points: Vec<(usize, Option<Decimal>, Option<Decimal>)>,
}

/// `frontier.svg`. The x axis is the first varying pool's budget; with several varying pools,
/// one line per value of the others. With no varying pool it is a single point at the total
/// budget of all pools, and the marginal panel says why it is empty.
pub fn frontier_chart(h: &SweepHeader, t: &Tally, lang: Lang) -> Result<String> {
    let words = lang::chart_words(lang);
    let rows = frontier(h, t);
    let x_pool = h.axes.first().copied();
    let x_of = |point: usize| -> Money {
        match x_pool {
            Some(p) => h.points[point][p],
            None => h.points[point].iter().fold(Money::ZERO, |a, &b| a + b),
        }
    };
    let xs: Vec<Money> = rows
        .iter()
        .map(|r| x_of(r.point))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut lines: BTreeMap<Vec<Money>, Line> = BTreeMap::new();
    for r in &rows {
        let others: Vec<Money> = h
            .axes
            .iter()
            .skip(1)
            .map(|&p| h.points[r.point][p])
            .collect();
        let label = h
            .axes
            .iter()
            .skip(1)
            .zip(&others)
            .map(|(&p, m)| format!("{} = {}", h.pools[p], yuan(*m)))
            .collect::<Vec<_>>()
            .join(", ");
        let x = xs.binary_search(&x_of(r.point)).unwrap_or(0);
        lines
            .entry(others)
            .or_insert_with(|| Line {
                label,
                points: Vec::new(),
            })
            .points
            .push((x, r.score, r.marginal.first().copied().flatten()));
    }
    let lines: Vec<Line> = lines.into_values().collect();
    let infeasible = rows.iter().filter(|r| r.score.is_none()).count();

    let x_desc = match x_pool {
        Some(p) => lang::pool_budget_axis(lang, &h.pools[p]),
        None => words.total_budget.to_string(),
    };
    let mut notes = vec![settings_line(h, t, lang)];
    notes.push(
        match (x_pool, h.axes.len()) {
            (None, _) => words.single_point,
            (Some(_), 1) => words.one_line,
            (Some(_), _) => words.lines,
        }
        .to_string(),
    );
    if infeasible > 0 {
        notes.push(lang::infeasible_points(lang, infeasible));
    }
    let multi = lines.len() > 1;
    let legend_h = if multi { 22 * lines.len() as u32 } else { 0 };
    let top = 44 + 18 * notes.len() as u32 + 8 + legend_h;
    let height = top + 620;
    let title = lang::chart_title(lang, 1, &h.scenario);
    let scores: Vec<f64> = rows.iter().filter_map(|r| r.score).map(f64_of).collect();
    let marginals: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.points.iter().filter_map(|p| p.2))
        .map(f64_of)
        .collect();
    let label_step = xs.len().div_ceil(10);
    let annotate = rows.len() <= 16;
    svg((WIDTH, height), |root| {
        let used = heading(root, &title, &notes)?;
        if multi {
            for (k, l) in lines.iter().enumerate() {
                let y = used + 22 * k as i32;
                let c = LINES[k % LINES.len()];
                root.draw(&PathElement::new(
                    vec![(16, y + 8), (44, y + 8)],
                    c.stroke_width(3),
                ))
                .map_err(draw_error)?;
                root.draw(&Text::new(
                    l.label.clone(),
                    (52, y + 8),
                    text(14.0, &BLACK, HPos::Left, VPos::Center),
                ))
                .map_err(draw_error)?;
            }
        }
        let (_, area) = root.split_vertically(top);
        let (upper, lower) = area.split_vertically(380);
        let x_range = || (-0.5f64..xs.len() as f64 - 0.5).keyed(keys(xs.len(), label_step));
        let x_label = |v: &f64| {
            let i = v.round().clamp(0.0, (xs.len().max(1) - 1) as f64) as usize;
            xs.get(i).map_or(String::new(), |m| yuan(*m))
        };

        if scores.is_empty() {
            note(&upper, words.all_infeasible)?;
        } else {
            let (lo, hi) = padded(&scores);
            let mut chart = ChartBuilder::on(&upper)
                .margin_left(8)
                .margin_right(30)
                .margin_top(8)
                .x_label_area_size(44)
                .y_label_area_size(80)
                .build_cartesian_2d(x_range(), lo..hi)
                .map_err(draw_error)?;
            mesh(&mut chart, &x_label, &x_desc, words.best_score)?;
            for (k, l) in lines.iter().enumerate() {
                let c = LINES[k % LINES.len()];
                for run in segments(&l.points, |p| p.1) {
                    chart
                        .draw_series(LineSeries::new(run.clone(), c.stroke_width(2)))
                        .map_err(draw_error)?;
                    chart
                        .draw_series(run.iter().map(|&p| Circle::new(p, 4, c.filled())))
                        .map_err(draw_error)?;
                }
                if annotate {
                    values(&mut chart, &l.points, |p| p.1)?;
                }
            }
        }

        let (_, lower) = lower.split_vertically(20);
        if marginals.is_empty() {
            return note(
                &lower,
                if xs.len() < 2 {
                    words.no_marginal_single
                } else {
                    words.no_marginal_neighbours
                },
            );
        }
        let (lo, hi) = padded(&marginals);
        let lo = lo.min(0.0);
        let mut chart = ChartBuilder::on(&lower)
            .margin_left(8)
            .margin_right(30)
            .x_label_area_size(44)
            .y_label_area_size(80)
            .build_cartesian_2d(x_range(), lo..hi)
            .map_err(draw_error)?;
        let pool = x_pool.map_or(String::new(), |p| h.pools[p].clone());
        mesh(
            &mut chart,
            &x_label,
            &lang::marginal_budget_axis(lang, &pool),
            words.marginal_axis,
        )?;
        // Side by side, one bar per line at each budget, so equal values do not hide each other.
        let bar = (0.6 / lines.len() as f64).min(0.12);
        for (k, l) in lines.iter().enumerate() {
            let c = LINES[k % LINES.len()];
            let shift = (k as f64 - (lines.len() - 1) as f64 / 2.0) * bar;
            for run in segments(&l.points, |p| p.2) {
                chart
                    .draw_series(run.iter().map(|&(x, y)| {
                        let x = x + shift;
                        Rectangle::new(
                            [(x - bar / 2.0, y), (x + bar / 2.0, 0.0)],
                            c.mix(0.6).filled(),
                        )
                    }))
                    .map_err(draw_error)?;
            }
            if annotate && !multi {
                values(&mut chart, &l.points, |p| p.2)?;
            }
        }
        Ok(())
    })
}

/// Writes each point's exact value just above it.
fn values(
    chart: &mut Chart<'_, '_>,
    points: &[(usize, Option<Decimal>, Option<Decimal>)],
    value: impl Fn(&(usize, Option<Decimal>, Option<Decimal>)) -> Option<Decimal>,
) -> Result<()> {
    chart
        .draw_series(points.iter().filter_map(|p| {
            let v = value(p)?;
            Some(
                EmptyElement::at((p.0 as f64, f64_of(v)))
                    + Text::new(
                        v.to_string(),
                        (0, -7),
                        text(12.0, &MUTED, HPos::Center, VPos::Bottom),
                    ),
            )
        }))
        .map(|_| ())
        .map_err(draw_error)
}

/// The runs of consecutive points that have a value, as chart coordinates.
fn segments(
    points: &[(usize, Option<Decimal>, Option<Decimal>)],
    value: impl Fn(&(usize, Option<Decimal>, Option<Decimal>)) -> Option<Decimal>,
) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for p in points {
        match value(p) {
            Some(v) => out
                .last_mut()
                .unwrap_or(&mut Vec::new())
                .push((p.0 as f64, f64_of(v))),
            None => out.push(Vec::new()),
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// A value range with a margin around `values` (never empty).
fn padded(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.12).max(hi.abs().max(1.0) * 0.02);
    (lo - pad, hi + pad)
}

type Chart<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<Keyed, plotters::coord::types::RangedCoordf64>>;

fn mesh(
    chart: &mut Chart<'_, '_>,
    x_label: &dyn Fn(&f64) -> String,
    x_desc: &str,
    y_desc: &str,
) -> Result<()> {
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .x_label_formatter(x_label)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(text(13.0, &BLACK, HPos::Center, VPos::Top))
        .y_label_style(text(13.0, &BLACK, HPos::Right, VPos::Center))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_error)
}
