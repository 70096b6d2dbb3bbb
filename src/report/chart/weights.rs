//! `weights.svg`: for the borderline pairs, how the weights of the runs that fund them differ
//! from the weights of all runs (a heat map, one row per pair, one column per criterion).

use super::{
    bold, by_share, draw_error, f64_of, heading, note, pair_label, settings_line, svg, text,
    text_width, MUTED, ROW,
};
use crate::error::Result;
use crate::report::lang;
use crate::report::sweep::{class, percent};
use crate::scenario::Lang;
use crate::sweep::{SweepHeader, Tally};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::{Decimal, RoundingStrategy};

const RISE: RGBColor = RGBColor(0xb2, 0x18, 0x2b);
const FALL: RGBColor = RGBColor(0x21, 0x66, 0xac);

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
pub fn weights(h: &SweepHeader, t: &Tally, lang: Lang) -> Result<String> {
    let words = lang::chart_words(lang);
    // Criteria by their names when the sweep recorded them (older shard files: ids).
    let names: Vec<&String> = if h.criterion_names.len() == h.criteria.len() {
        h.criterion_names.iter().collect()
    } else {
        h.criteria.iter().collect()
    };
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
    let cell_w = names
        .iter()
        .map(|c| text_width(c, 14.0) + 16)
        .max()
        .unwrap_or(0)
        .max(86) as i32;
    let notes = vec![
        settings_line(h, t, lang),
        words.weights_cell.to_string(),
        words.weights_colours.to_string(),
    ];
    let top = 44 + 18 * notes.len() as i32 + 4 + 40;
    let header_h = 2 * ROW as i32 + 8;
    let body = ROW as i32 * rows.len().max(2) as i32;
    let width = (label_w + cell_w * h.criteria.len() as i32 + 40).max(900);
    let height = top + header_h + body + 30;
    let title = lang::chart_title(lang, 2, &h.scenario);
    let means: Vec<Option<Decimal>> = t
        .weight_sum
        .iter()
        .map(|&s| (t.runs > 0).then(|| s / Decimal::from(t.runs) * Decimal::ONE_HUNDRED))
        .collect();
    svg((width as u32, height as u32), |root| {
        let used = heading(root, &title, &notes)?;
        scale(root, used + 6, max, words.points)?;
        let x0 = 16 + label_w;
        let mut y = top;
        for (c, name) in names.iter().enumerate() {
            let cx = x0 + cell_w * c as i32 + cell_w / 2;
            root.draw(&Text::new(
                name.to_string(),
                (cx, y + ROW as i32 / 2),
                bold(14.0, &BLACK, HPos::Center, VPos::Center),
            ))
            .map_err(draw_error)?;
            let mean = means[c].map_or("-".into(), |m| format!("{}%", pp(m)));
            root.draw(&Text::new(
                lang::mean_weight(lang, &mean),
                (cx, y + ROW as i32 * 3 / 2),
                text(12.0, &MUTED, HPos::Center, VPos::Center),
            ))
            .map_err(draw_error)?;
        }
        root.draw(&Text::new(
            words.pair_share,
            (x0 - 8, y + ROW as i32 * 3 / 2),
            text(12.0, &MUTED, HPos::Right, VPos::Center),
        ))
        .map_err(draw_error)?;
        y += header_h;
        if rows.is_empty() {
            let (_, area) = root.split_vertically(y);
            return note(&area, words.no_borderline);
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
fn scale(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    y: i32,
    max: f64,
    points: &str,
) -> Result<()> {
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
        format!("+{max:.1} {points}"),
        (x + w, y + 15),
        style(HPos::Right),
    ))
    .map_err(draw_error)?;
    Ok(())
}
