//! Charts of a sweep, as SVG: a committee reads a picture faster than a table. Three files, each
//! a function of the sweep's [`SweepHeader`] and [`Tally`] only (so `allot merge --plot` draws
//! exactly what the unsharded sweep would):
//!
//! - `acceptability.svg`: the share of feasible runs funding each (project, round), sorted,
//!   coloured by class;
//! - `frontier.svg`: the base weights' best score along the budget grid, with the marginal score
//!   per extra 1,000,000 CNY below;
//! - `weights.svg`: for the borderline pairs, how the weights of the runs that fund them differ
//!   from the weights of all runs.
//!
//! Text stays text (`<text>` elements, no font files, UTF-8 names as they are), money labels
//! come from [`Money`] exactly, and the output is byte-identical for the same input. The charts
//! are rendered in memory; the command line writes them (atomically, like every output file).

use super::sweep::{class, frontier, percent, share};
use super::yuan;
use crate::error::{Error, Result};
use crate::scenario::Money;
use crate::sweep::{SweepHeader, Tally};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthStr;

/// The chart files, in the order [`charts`] returns them.
pub const FILES: [&str; 3] = ["acceptability.svg", "frontier.svg", "weights.svg"];

/// Above this many (project, round) pairs, pairs that no run funded are left out of the
/// acceptability chart (the subtitle says how many): they are all zero-length bars.
pub const MAX_BARS: usize = 100;

const WIDTH: u32 = 1000;
const ROW: u32 = 18;
const FONT: &str = "sans-serif";
const CORE: RGBColor = RGBColor(0x1b, 0x7f, 0x5f);
const BORDERLINE: RGBColor = RGBColor(0xe0, 0x7b, 0x16);
const EXTERIOR: RGBColor = RGBColor(0x9e, 0x9e, 0x9e);
const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
const RISE: RGBColor = RGBColor(0xb2, 0x18, 0x2b);
const FALL: RGBColor = RGBColor(0x21, 0x66, 0xac);
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

/// The charts, named as in [`FILES`] and in that order, rendered in memory: the command line
/// writes them (every one is rendered before anything is written).
pub fn charts(h: &SweepHeader, t: &Tally) -> Result<Vec<(&'static str, String)>> {
    let charts = [acceptability(h, t)?, frontier_chart(h, t)?, weights(h, t)?];
    Ok(FILES.into_iter().zip(charts).collect())
}

fn draw_error(e: impl std::fmt::Display) -> Error {
    Error::Output(format!("cannot draw a chart: {e}"))
}

fn text(size: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    styled(size, FontStyle::Normal, color, h, v)
}

fn bold(size: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    styled(size, FontStyle::Bold, color, h, v)
}

fn styled(size: f64, style: FontStyle, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    FontDesc::new(FontFamily::Name(FONT), size, style)
        .color(color)
        .pos(Pos::new(h, v))
}

/// Width in pixels of `s` at `size` (wide characters count twice), for sizing label areas.
fn text_width(s: &str, size: f64) -> u32 {
    (s.width() as f64 * size * 0.56).ceil() as u32
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Renders into a string: `draw` gets the whole area, white.
fn svg(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<()>,
) -> Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        draw(&root)?;
        root.present().map_err(draw_error)?;
    }
    Ok(out)
}

/// Title and subtitle lines at the top left; returns the height they take.
fn heading(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    lines: &[String],
) -> Result<i32> {
    root.draw(&Text::new(
        title.to_string(),
        (16, 14),
        bold(22.0, &BLACK, HPos::Left, VPos::Top),
    ))
    .map_err(draw_error)?;
    let mut y = 44;
    for l in lines {
        root.draw(&Text::new(
            l.clone(),
            (16, y),
            text(14.0, &MUTED, HPos::Left, VPos::Top),
        ))
        .map_err(draw_error)?;
        y += 18;
    }
    Ok(y + 4)
}

/// What was swept, in one line.
fn settings_line(h: &SweepHeader, t: &Tally) -> String {
    let mut s = format!(
        "{} runs ({} feasible): {} weight vectors ({}) × {} budget points, seed {}",
        t.runs,
        t.runs - t.infeasible,
        h.sweep.weight_vectors,
        h.sweep.weights,
        h.sweep.budget_points,
        h.sweep.seed
    );
    if !h.sweep.budgets.is_empty() {
        s.push_str(&format!(", budgets {}", h.sweep.budgets.join(" ")));
    }
    s
}

/// Pairs by share of feasible runs, most funded first (ties: scenario order).
fn by_share(t: &Tally) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..t.funded.len()).collect();
    rows.sort_by(|&a, &b| t.funded[b].cmp(&t.funded[a]).then(a.cmp(&b)));
    rows
}

fn pair_label(h: &SweepHeader, i: usize) -> String {
    let (project, round) = &h.pairs[i];
    format!("{project} · {round}")
}

/// An f64 axis whose ticks are exactly the given values (categories, grid budgets), so each
/// label can be looked up rather than derived from a rounded coordinate.
#[derive(Clone)]
struct Keyed {
    range: std::ops::Range<f64>,
    keys: Vec<f64>,
}

trait IntoKeyed {
    fn keyed(self, keys: Vec<f64>) -> Keyed;
}

impl IntoKeyed for std::ops::Range<f64> {
    fn keyed(self, keys: Vec<f64>) -> Keyed {
        Keyed { range: self, keys }
    }
}

impl Ranged for Keyed {
    type FormatOption = plotters::coord::ranged1d::NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        plotters::coord::types::RangedCoordf64::from(self.range.clone()).map(value, limit)
    }

    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.range.clone()
    }
}

impl plotters::coord::ranged1d::ValueFormatter<f64> for Keyed {
    fn format_ext(&self, value: &f64) -> String {
        value.to_string()
    }
}

/// Key points at every `step`-th integer of `0..n` (as f64), for category axes.
fn keys(n: usize, step: usize) -> Vec<f64> {
    (0..n).step_by(step.max(1)).map(|i| i as f64).collect()
}

/// `acceptability.svg`.
pub fn acceptability(h: &SweepHeader, t: &Tally) -> Result<String> {
    let feasible = t.runs - t.infeasible;
    let mut counts = [0usize; 3];
    for &n in &t.funded {
        counts[class_index(class(n, feasible))] += 1;
    }
    let mut rows = by_share(t);
    let mut notes = vec![settings_line(h, t)];
    if h.pairs.len() > MAX_BARS && counts[2] > 0 {
        rows.retain(|&i| t.funded[i] > 0);
        notes.push(format!(
            "{} of {} pairs were never funded and are not shown",
            counts[2],
            h.pairs.len()
        ));
    }
    let n = rows.len();
    let label_w = rows
        .iter()
        .map(|&i| text_width(&pair_label(h, i), 13.0))
        .max()
        .unwrap_or(0)
        .max(60)
        + 16;
    let top = 44 + 18 * notes.len() as u32 + 4 + 34;
    let height = top + ROW * n.max(1) as u32 + 70;
    let title = format!("Acceptability — {}", h.scenario);
    svg((WIDTH, height), |root| {
        let used = heading(root, &title, &notes)?;
        let legend = [
            (
                CORE,
                format!("core: funded in every feasible run ({})", counts[0]),
            ),
            (
                BORDERLINE,
                format!("borderline: funded in some runs ({})", counts[1]),
            ),
            (EXTERIOR, format!("exterior: never funded ({})", counts[2])),
        ];
        legend_row(root, used + 4, &legend)?;
        let (_, area) = root.split_vertically(top);
        if n == 0 {
            return note(&area, "no feasible run funded any pair");
        }
        let x_keys: Vec<f64> = (0..=10).map(|k| f64::from(k) / 10.0).collect();
        let mut chart = ChartBuilder::on(&area)
            .margin_left(8)
            .margin_right(24)
            .margin_top(4)
            .x_label_area_size(46)
            .y_label_area_size(label_w)
            .build_cartesian_2d(
                (0f64..1.1f64).keyed(x_keys),
                (-0.5f64..n as f64 - 0.5).keyed(keys(n, 1)),
            )
            .map_err(draw_error)?;
        let row_of = |v: f64| n - 1 - (v.round().clamp(0.0, (n - 1) as f64) as usize);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| format!("{:.0}%", v * 100.0))
            .y_label_formatter(&|v| pair_label(h, rows[row_of(*v)]))
            .x_label_style(text(13.0, &BLACK, HPos::Center, VPos::Top))
            .y_label_style(text(13.0, &BLACK, HPos::Right, VPos::Center))
            .x_desc(format!(
                "share of the {feasible} feasible runs that fund the (project, round)"
            ))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(draw_error)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(k, &i)| {
                let y = (n - 1 - k) as f64;
                let s = f64_of(share(t.funded[i], feasible));
                let color = class_color(class(t.funded[i], feasible));
                let mut bar = Rectangle::new([(0.0, y - 0.5), (s, y + 0.5)], color.filled());
                bar.set_margin(2, 2, 0, 0);
                bar
            }))
            .map_err(draw_error)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(k, &i)| {
                let y = (n - 1 - k) as f64;
                let s = f64_of(share(t.funded[i], feasible));
                Text::new(
                    format!("{}%", percent(t.funded[i], feasible)),
                    (s + 0.006, y),
                    text(12.0, &MUTED, HPos::Left, VPos::Center),
                )
            }))
            .map_err(draw_error)?;
        Ok(())
    })
}

fn class_index(class: &str) -> usize {
    match class {
        "core" => 0,
        "borderline" => 1,
        _ => 2,
    }
}

fn class_color(class: &str) -> RGBColor {
    [CORE, BORDERLINE, EXTERIOR][class_index(class)]
}

/// Coloured squares with their labels in one row at `y`.
fn legend_row(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    y: i32,
    items: &[(RGBColor, String)],
) -> Result<()> {
    let mut x = 16;
    for (color, label) in items {
        root.draw(&Rectangle::new([(x, y), (x + 14, y + 14)], color.filled()))
            .map_err(draw_error)?;
        root.draw(&Text::new(
            label.clone(),
            (x + 20, y + 7),
            text(14.0, &BLACK, HPos::Left, VPos::Center),
        ))
        .map_err(draw_error)?;
        x += 20 + text_width(label, 14.0) as i32 + 24;
    }
    Ok(())
}

/// A grey message in the middle of an area that has nothing to draw.
fn note(area: &DrawingArea<SVGBackend, plotters::coord::Shift>, message: &str) -> Result<()> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        message.to_string(),
        (w as i32 / 2, h as i32 / 2),
        text(16.0, &MUTED, HPos::Center, VPos::Center),
    ))
    .map_err(draw_error)
}

/// One line of the frontier: a value of the other varying pools.
struct Line {
    label: String,
    /// (x index, best score, marginal along the x pool), per budget point on the line.
    points: Vec<(usize, Option<Decimal>, Option<Decimal>)>,
}

/// `frontier.svg`. The x axis is the first varying pool's budget; with several varying pools,
/// one line per value of the others. With no varying pool it is a single point at the total
/// budget of all pools, and the marginal panel says why it is empty.
pub fn frontier_chart(h: &SweepHeader, t: &Tally) -> Result<String> {
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
        Some(p) => format!("budget of pool {} (CNY)", h.pools[p]),
        None => "total budget of all pools (CNY)".to_string(),
    };
    let mut notes = vec![settings_line(h, t)];
    notes.push(match (x_pool, h.axes.len()) {
        (None, _) => {
            "no budget varies: a single point (add --budget POOL=LOW..HIGH:STEP for a frontier)"
                .to_string()
        }
        (Some(_), 1) => "best total score under the scenario's weights at each budget".into(),
        (Some(_), _) => {
            "best total score under the scenario's weights; one line per budget of the other varying pools"
                .into()
        }
    });
    if infeasible > 0 {
        notes.push(format!(
            "{infeasible} budget points are infeasible (the committee's locks do not fit) and are not drawn"
        ));
    }
    let multi = lines.len() > 1;
    let legend_h = if multi { 22 * lines.len() as u32 } else { 0 };
    let top = 44 + 18 * notes.len() as u32 + 8 + legend_h;
    let height = top + 620;
    let title = format!("Budget frontier — {}", h.scenario);
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
            note(&upper, "every budget point is infeasible")?;
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
            mesh(
                &mut chart,
                &x_label,
                &x_desc,
                "best total score (base weights)",
            )?;
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
                    "no marginal score: a single budget point"
                } else {
                    "no marginal score: no two feasible neighbouring budget points"
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
            &format!("budget of pool {pool} (CNY); each value against the previous one"),
            "score per extra 1,000,000 CNY",
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

/// Mean weight when funded minus mean weight over all runs, in percentage points, per criterion.
fn weight_shift(t: &Tally, pair: usize) -> Vec<Decimal> {
    let n = Decimal::from(t.funded[pair]);
    let runs = Decimal::from(t.runs);
    t.weight_when_funded[pair]
        .iter()
        .zip(&t.weight_sum)
        .map(|(&w, &all)| (w / n - all / runs) * Decimal::ONE_HUNDRED)
        .collect()
}

/// `weights.svg`: a heat map, one row per borderline pair (most funded first), one column per
/// criterion; each cell is the mean weight of the criterion in the runs that fund the pair minus
/// its mean over all runs, in percentage points (red: the pair needs more of it, blue: less).
pub fn weights(h: &SweepHeader, t: &Tally) -> Result<String> {
    let feasible = t.runs - t.infeasible;
    let rows: Vec<usize> = by_share(t)
        .into_iter()
        .filter(|&i| class(t.funded[i], feasible) == "borderline")
        .collect();
    let shifts: Vec<Vec<Decimal>> = rows.iter().map(|&i| weight_shift(t, i)).collect();
    let max = shifts
        .iter()
        .flatten()
        .map(|d| f64_of(d.abs()))
        .fold(0.0, f64::max);
    let label_w = rows
        .iter()
        .map(|&i| text_width(&pair_label(h, i), 13.0) + text_width(" 100%", 13.0))
        .max()
        .unwrap_or(0)
        .max(120) as i32
        + 24;
    let cell_w = h
        .criteria
        .iter()
        .map(|c| text_width(c, 14.0) + 16)
        .max()
        .unwrap_or(0)
        .max(86) as i32;
    let notes = vec![
        settings_line(h, t),
        "each cell: mean weight of the criterion in the runs that fund the pair − its mean over all runs (percentage points)".to_string(),
        "red: the pair is funded when the criterion weighs more; blue: when it weighs less; rows: borderline pairs, most funded first".to_string(),
    ];
    let top = 44 + 18 * notes.len() as i32 + 4 + 40;
    let header_h = 2 * ROW as i32 + 8;
    let body = ROW as i32 * rows.len().max(2) as i32;
    let width = (label_w + cell_w * h.criteria.len() as i32 + 40).max(900);
    let height = top + header_h + body + 30;
    let title = format!("Weights behind the borderline pairs — {}", h.scenario);
    let means: Vec<Option<Decimal>> = t
        .weight_sum
        .iter()
        .map(|&s| (t.runs > 0).then(|| s / Decimal::from(t.runs) * Decimal::ONE_HUNDRED))
        .collect();
    svg((width as u32, height as u32), |root| {
        let used = heading(root, &title, &notes)?;
        scale(root, used + 6, max)?;
        let x0 = 16 + label_w;
        let mut y = top;
        for (c, name) in h.criteria.iter().enumerate() {
            let cx = x0 + cell_w * c as i32 + cell_w / 2;
            root.draw(&Text::new(
                name.clone(),
                (cx, y + ROW as i32 / 2),
                bold(14.0, &BLACK, HPos::Center, VPos::Center),
            ))
            .map_err(draw_error)?;
            let mean = means[c].map_or("-".into(), |m| format!("{}%", pp(m)));
            root.draw(&Text::new(
                format!("mean {mean}"),
                (cx, y + ROW as i32 * 3 / 2),
                text(12.0, &MUTED, HPos::Center, VPos::Center),
            ))
            .map_err(draw_error)?;
        }
        root.draw(&Text::new(
            "pair (share of feasible runs)",
            (x0 - 8, y + ROW as i32 * 3 / 2),
            text(12.0, &MUTED, HPos::Right, VPos::Center),
        ))
        .map_err(draw_error)?;
        y += header_h;
        if rows.is_empty() {
            let (_, area) = root.split_vertically(y);
            return note(
                &area,
                "no borderline pairs: every pair is funded by all feasible runs or by none",
            );
        }
        for (k, &i) in rows.iter().enumerate() {
            let ry = y + ROW as i32 * k as i32;
            root.draw(&Text::new(
                format!("{} ({}%)", pair_label(h, i), percent(t.funded[i], feasible)),
                (x0 - 8, ry + ROW as i32 / 2),
                text(13.0, &BLACK, HPos::Right, VPos::Center),
            ))
            .map_err(draw_error)?;
            for (c, d) in shifts[k].iter().enumerate() {
                let cx = x0 + cell_w * c as i32;
                let v = if max > 0.0 { f64_of(*d) / max } else { 0.0 };
                root.draw(&Rectangle::new(
                    [(cx + 1, ry + 1), (cx + cell_w - 1, ry + ROW as i32 - 1)],
                    diverging(v).filled(),
                ))
                .map_err(draw_error)?;
                let ink = if v.abs() > 0.6 { WHITE } else { BLACK };
                root.draw(&Text::new(
                    signed_pp(*d),
                    (cx + cell_w / 2, ry + ROW as i32 / 2),
                    text(12.0, &ink, HPos::Center, VPos::Center),
                ))
                .map_err(draw_error)?;
            }
        }
        Ok(())
    })
}

/// Percentage points with one decimal place, rounded half away from zero.
fn pp(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

fn signed_pp(d: Decimal) -> String {
    let r = pp(d);
    if r > Decimal::ZERO {
        format!("+{r}")
    } else if r.is_zero() {
        "0".into()
    } else {
        format!("−{}", r.abs())
    }
}

/// White at 0, red towards +1, blue towards −1.
fn diverging(v: f64) -> RGBColor {
    let v = v.clamp(-1.0, 1.0);
    let end = if v >= 0.0 { RISE } else { FALL };
    let a = v.abs();
    let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * a).round() as u8;
    RGBColor(mix(end.0), mix(end.1), mix(end.2))
}

/// The colour scale of the heat map, at `y`: −max … 0 … +max percentage points.
fn scale(root: &DrawingArea<SVGBackend, plotters::coord::Shift>, y: i32, max: f64) -> Result<()> {
    let (x, w, steps) = (16, 240, 24);
    for s in 0..steps {
        let v = -1.0 + 2.0 * (f64::from(s) + 0.5) / f64::from(steps);
        let sx = x + w * s / steps;
        root.draw(&Rectangle::new(
            [(sx, y), (x + w * (s + 1) / steps, y + 12)],
            diverging(v).filled(),
        ))
        .map_err(draw_error)?;
    }
    let style = |h| text(12.0, &MUTED, h, VPos::Top);
    root.draw(&Text::new(
        format!("−{max:.1}"),
        (x, y + 15),
        style(HPos::Left),
    ))
    .map_err(draw_error)?;
    root.draw(&Text::new("0", (x + w / 2, y + 15), style(HPos::Center)))
        .map_err(draw_error)?;
    root.draw(&Text::new(
        format!("+{max:.1} pp"),
        (x + w, y + 15),
        style(HPos::Right),
    ))
    .map_err(draw_error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sweep::Settings;
    use crate::sweep::RunResult;
    use serde_json::Map;

    fn money(yuan: i64) -> Money {
        Money::from_yuan(Decimal::from(yuan))
    }

    /// Three pairs with Chinese names over a three-point grid of pool 重点: pair 0 is core,
    /// pair 1 borderline, pair 2 exterior.
    fn sweep(budgets: &[Money]) -> (SweepHeader, Tally) {
        let points: Vec<Vec<Money>> = budgets.iter().map(|&b| vec![b, money(5_000_000)]).collect();
        let h = SweepHeader {
            scenario: "试点 2024".into(),
            sweep: Settings {
                weights: "dirichlet:50".into(),
                prefer: Vec::new(),
                overrides: Vec::new(),
                samples: 2,
                seed: 3,
                budgets: vec!["重点=10000000..12000000:1000000".into()],
                budget_unit: Default::default(),
                runs: 2 * points.len() as u64,
                weight_vectors: 2,
                budget_points: points.len(),
            },
            criteria: vec!["技术".into(), "效益".into()],
            pools: vec!["重点".into(), "技改".into()],
            pairs: vec![
                ("项目甲".into(), "重点轮".into()),
                ("P002".into(), "技改轮".into()),
                ("P003".into(), "重点轮".into()),
            ],
            axes: if points.len() > 1 {
                vec![0]
            } else {
                Vec::new()
            },
            points,
            base: vec![0],
            lang: None,
            certificate: Map::new(),
            manifest: None,
        };
        let mut t = Tally::new(3, 2, h.points.len());
        let w = [
            [Decimal::new(6, 1), Decimal::new(4, 1)],
            [Decimal::new(3, 1), Decimal::new(7, 1)],
        ];
        let mut run = 0;
        for (k, weights) in w.iter().enumerate() {
            for point in 0..h.points.len() {
                let pairs = if k == 0 { vec![0, 1] } else { vec![0] };
                let result = RunResult::Funded {
                    pairs,
                    score: Decimal::from(100 + 10 * point as i64 + k as i64),
                    paid: Decimal::from(9_000_000),
                };
                t.add(run, point, weights, &result, &[0]);
                run += 1;
            }
        }
        for point in 0..h.points.len() {
            let score = Decimal::new(1_000_000 + 123_456 * point as i64, 4);
            t.set_frontier(
                point,
                &RunResult::Funded {
                    pairs: vec![0],
                    score,
                    paid: Decimal::from(9_000_000),
                },
            );
        }
        (h, t)
    }

    fn grid() -> (SweepHeader, Tally) {
        sweep(&[money(10_000_000), money(11_000_000), money(12_345_678)])
    }

    /// Well-formed XML with an `<svg>` root, and the text of every `<text>` element.
    fn texts(svg: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or("").trim().to_string())
            .collect()
    }

    #[test]
    fn charts_are_three_well_formed_svgs_with_utf8_labels() {
        let (h, t) = grid();
        let charts = charts(&h, &t).unwrap();
        let names: Vec<&str> = charts.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, FILES.to_vec());
        let read = |i: usize| charts[i].1.clone();

        let acc = read(0);
        let labels = texts(&acc);
        assert!(
            labels.contains(&"项目甲 · 重点轮".to_string()),
            "{labels:?}"
        );
        assert!(labels.contains(&"P002 · 技改轮".to_string()));
        // Few pairs: the never-funded one is drawn too.
        assert!(labels.contains(&"P003 · 重点轮".to_string()));
        assert!(labels.contains(&"50%".to_string()));
        for colour in ["#1B7F5F", "#E07B16"] {
            assert!(acc.contains(colour), "acceptability lacks {colour}");
        }

        let front = texts(&read(1));
        for label in ["10,000,000", "11,000,000", "12,345,678", "112.3456"] {
            assert!(front.contains(&label.to_string()), "{label}: {front:?}");
        }
        // Marginal per 1,000,000: 12.3456 over 1,000,000, then 12.3456 over 1,345,678.
        assert!(front.contains(&"12.3456".to_string()), "{front:?}");
        assert!(front.contains(&"9.1743".to_string()), "{front:?}");

        let weights = texts(&read(2));
        assert!(weights.contains(&"技术".to_string()));
        assert!(
            weights.contains(&"P002 · 技改轮 (50%)".to_string()),
            "{weights:?}"
        );
        // Funded only under (0.6, 0.4) against a mean of (0.45, 0.55): +15 and −15 points.
        assert!(weights.contains(&"+15".to_string()), "{weights:?}");
        assert!(weights.contains(&"−15".to_string()));
        assert!(
            !weights.iter().any(|t| t.starts_with("项目甲")),
            "core pair shown"
        );
    }

    #[test]
    fn charts_are_byte_identical_for_the_same_input() {
        let (h, t) = grid();
        assert_eq!(charts(&h, &t).unwrap(), charts(&h, &t).unwrap());
    }

    #[test]
    fn one_budget_point_is_a_single_point_at_the_total_budget() {
        let (h, t) = sweep(&[money(10_000_000)]);
        let front = texts(&frontier_chart(&h, &t).unwrap());
        assert!(front.iter().any(|t| t.starts_with("no budget varies")));
        assert!(front.contains(&"15,000,000".to_string()), "{front:?}");
        assert!(front.contains(&"no marginal score: a single budget point".to_string()));
    }

    #[test]
    fn without_borderline_pairs_the_heat_map_says_so() {
        let (h, mut t) = grid();
        t.funded[1] = 0;
        let weights = texts(&weights(&h, &t).unwrap());
        assert!(weights.iter().any(|t| t.starts_with("no borderline pairs")));
    }

    #[test]
    fn many_pairs_leave_the_never_funded_out_and_say_how_many() {
        let (mut h, mut t) = grid();
        let extra = MAX_BARS;
        for i in 0..extra {
            h.pairs.push((format!("X{i:03}"), "重点轮".into()));
        }
        t.funded.extend(vec![0; extra]);
        t.weight_when_funded
            .extend(vec![vec![Decimal::ZERO; 2]; extra]);
        let acc = texts(&acceptability(&h, &t).unwrap());
        assert!(
            acc.contains(&format!(
                "{} of {} pairs were never funded and are not shown",
                extra + 1,
                extra + 3
            )),
            "{acc:?}"
        );
        assert!(!acc.iter().any(|t| t.starts_with("X0")));
        assert!(acc.contains(&"P002 · 技改轮".to_string()));
    }
}
