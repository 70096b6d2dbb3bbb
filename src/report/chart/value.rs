//! The value-for-money chart of one round: each eligible entry's score against its subsidy, the
//! funded ones marked, so a committee sees why two cheaper projects can beat one dearer project
//! of a higher score. Words follow the report's language; amounts are in 万元.

use super::{draw_error, f64_of, svg, text, CORE, EXTERIOR, FONT, GRID, MUTED};
use crate::error::Result;
use crate::report::lang;
use crate::scenario::{Lang, Money};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rust_decimal::Decimal;

/// Funded in another round: counted there, not here.
const ELSEWHERE: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
const WIDTH: u32 = 760;
const HEIGHT: u32 = 420;
/// Entries labelled with their id when a round has at most this many.
const LABELLED: usize = 40;

/// One entry of the round.
pub struct Entry<'a> {
    /// The project id, written beside funded points of small rounds.
    pub id: &'a str,
    /// Its subsidy in this round.
    pub subsidy: Money,
    /// Its score in this round.
    pub score: Decimal,
    /// Funded here, funded in another round, or not funded.
    pub standing: Standing,
}

/// Where an entry ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Funded in this round.
    Funded,
    /// Funded in another round.
    Elsewhere,
    /// Not funded.
    Unfunded,
}

/// The chart as SVG: x the subsidy in 万元 (in ten thousands of `currency` when the amounts are
/// not yuan: a `.pb` election's), y the score.
pub fn value_chart(lang: Lang, entries: &[Entry], currency: Option<&str>) -> Result<String> {
    let words = lang::value_chart_words(lang);
    let x_axis = match currency {
        None => words.x_axis.to_string(),
        Some(c) => lang::in_unit(
            lang,
            lang.pick("subsidy", "补助金额"),
            &format!("{}{c}", lang.pick("10,000 ", "万 ")),
        ),
    };
    let wan = |m: Money| f64_of(m.yuan() / Decimal::from(10_000));
    let xs: Vec<f64> = entries.iter().map(|e| wan(e.subsidy)).collect();
    let ys: Vec<f64> = entries.iter().map(|e| f64_of(e.score)).collect();
    let x_hi = xs.iter().copied().fold(0.0, f64::max).max(1.0) * 1.08;
    // The scores' own span (a round's scores sit far from 0), with a margin.
    let (y_lo, y_hi) = {
        let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let pad = ((hi - lo) * 0.1).max(1.0);
        (lo - pad, hi + pad)
    };
    svg((WIDTH, HEIGHT), |root| {
        let (legend, area) = root.split_vertically(30);
        let mut x = 16;
        for (label, color, filled) in [
            (words.funded, CORE, true),
            (words.elsewhere, ELSEWHERE, true),
            (words.unfunded, EXTERIOR, false),
        ] {
            let style = if filled {
                color.filled()
            } else {
                color.stroke_width(2)
            };
            legend
                .draw(&Circle::new((x, 15), 5, style))
                .map_err(draw_error)?;
            legend
                .draw(&Text::new(
                    label.to_string(),
                    (x + 10, 15),
                    text(13.0, &BLACK, HPos::Left, VPos::Center),
                ))
                .map_err(draw_error)?;
            x += 30 + super::text_width(label, 13.0) as i32;
        }
        let mut chart = ChartBuilder::on(&area)
            .margin_left(8)
            .margin_right(24)
            .margin_top(6)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..x_hi, y_lo..y_hi)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .label_style(text(12.0, &BLACK, HPos::Center, VPos::Top))
            .y_label_style(text(12.0, &BLACK, HPos::Right, VPos::Center))
            .x_desc(x_axis.as_str())
            .y_desc(words.y_axis)
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(draw_error)?;
        // The unfunded first, so a funded point is never hidden under one.
        for standing in [Standing::Unfunded, Standing::Elsewhere, Standing::Funded] {
            let points = entries
                .iter()
                .zip(xs.iter().zip(&ys))
                .filter(|(e, _)| e.standing == standing);
            chart
                .draw_series(points.map(|(_, (&x, &y))| match standing {
                    Standing::Funded => Circle::new((x, y), 5, CORE.filled()),
                    Standing::Elsewhere => Circle::new((x, y), 4, ELSEWHERE.filled()),
                    Standing::Unfunded => Circle::new((x, y), 4, EXTERIOR.stroke_width(1)),
                }))
                .map_err(draw_error)?;
        }
        if entries.len() <= LABELLED {
            chart
                .draw_series(
                    entries
                        .iter()
                        .zip(xs.iter().zip(&ys))
                        .filter(|(e, _)| e.standing == Standing::Funded)
                        .map(|(e, (&x, &y))| {
                            EmptyElement::at((x, y))
                                + Text::new(
                                    e.id.to_string(),
                                    (7, -3),
                                    text(11.0, &MUTED, HPos::Left, VPos::Bottom),
                                )
                        }),
                )
                .map_err(draw_error)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, wan: i64, score: i64, standing: Standing) -> Entry<'_> {
        Entry {
            id,
            subsidy: Money::from_yuan(Decimal::from(wan * 10_000)),
            score: Decimal::from(score),
            standing,
        }
    }

    #[test]
    fn the_chart_marks_each_standing_and_speaks_the_language() {
        let entries = [
            entry("P1", 300, 90, Standing::Funded),
            entry("P2", 500, 95, Standing::Unfunded),
            entry("P3", 200, 80, Standing::Elsewhere),
        ];
        let zh = value_chart(Lang::Zh, &entries, None).unwrap();
        assert!(
            zh.contains("补助金额（万元）") && zh.contains("获资助"),
            "{zh}"
        );
        assert!(zh.contains(">\nP1\n</text>"), "funded points are labelled");
        assert!(!zh.contains(">\nP2\n</text>"), "unfunded points are not");
        let en = value_chart(Lang::En, &entries, None).unwrap();
        assert!(en.contains("subsidy (10,000 yuan)"), "{en}");
        assert_eq!(
            en,
            value_chart(Lang::En, &entries, None).unwrap(),
            "deterministic"
        );
    }
}
