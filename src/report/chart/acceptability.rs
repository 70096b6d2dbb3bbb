//! `acceptability.svg`: the share of feasible runs funding each (project, round), most funded
//! first, one bar per pair coloured by class (core, borderline, exterior).

use super::{
    by_share, draw_error, f64_of, heading, keys, note, pair_label, settings_line, svg, text,
    text_width, IntoKeyed, BORDERLINE, CORE, EXTERIOR, FONT, GRID, MAX_BARS, MUTED, ROW, WIDTH,
};
use crate::error::Result;
use crate::report::lang;
use crate::report::sweep::{class, percent, share};
use crate::scenario::Lang;
use crate::sweep::{SweepHeader, Tally};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// `acceptability.svg`.
pub fn acceptability(h: &SweepHeader, t: &Tally, lang: Lang) -> Result<String> {
    let feasible = t.runs - t.infeasible;
    let mut counts = [0usize; 3];
    for &n in &t.funded {
        counts[class_index(class(n, feasible))] += 1;
    }
    let mut rows = by_share(t);
    let mut notes = vec![settings_line(h, t, lang)];
    if h.pairs.len() > MAX_BARS && counts[2] > 0 {
        rows.retain(|&i| t.funded[i] > 0);
        notes.push(lang::never_funded_hidden(lang, counts[2], h.pairs.len()));
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
    let title = lang::chart_title(lang, 0, &h.scenario);
    svg((WIDTH, height), |root| {
        let used = heading(root, &title, &notes)?;
        let [core, borderline, exterior] = lang::class_legend(lang, counts);
        let legend = [(CORE, core), (BORDERLINE, borderline), (EXTERIOR, exterior)];
        legend_row(root, used + 4, &legend)?;
        let (_, area) = root.split_vertically(top);
        if n == 0 {
            return note(&area, lang::chart_words(lang).nothing_funded);
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
            .x_desc(lang::share_axis(lang, feasible))
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
