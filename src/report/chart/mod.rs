//! Charts of a sweep, as SVG: a committee reads a picture faster than a table. Three files (one
//! module each; this one holds what they share), each a function of the sweep's [`SweepHeader`]
//! and [`Tally`] only (so `allot merge --plot` draws exactly what the unsharded sweep would):
//!
//! - `acceptability.svg`: the share of feasible runs funding each (project, round), sorted,
//!   coloured by class;
//! - `frontier.svg`: the base weights' best score along the budget grid, with the marginal score
//!   per extra 1,000,000 CNY below;
//! - `weights.svg`: for the borderline pairs, how the weights of the runs that fund them differ
//!   from the weights of all runs.
//!
//! Text stays text (`<text>` elements, no font files, UTF-8 names as they are), money labels
//! come from [`Money`](crate::scenario::Money) exactly, and the output is byte-identical for the same input. The charts
//! are rendered in memory; the command line writes them (atomically, like every output file).

mod acceptability;
mod frontier;
mod value;
mod weights;

pub use acceptability::acceptability;
pub use frontier::frontier_chart;
pub use value::{value_chart, Entry, Standing};
pub use weights::weights;

use crate::error::{Error, Result};
use crate::scenario::Lang;
use crate::sweep::{SweepHeader, Tally};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
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

/// The charts, named as in [`FILES`] and in that order, rendered in memory: the command line
/// writes them (every one is rendered before anything is written).
pub fn charts(h: &SweepHeader, t: &Tally, lang: Lang) -> Result<Vec<(&'static str, String)>> {
    let charts = [
        acceptability(h, t, lang)?,
        frontier_chart(h, t, lang)?,
        weights(h, t, lang)?,
    ];
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
fn settings_line(h: &SweepHeader, t: &Tally, lang: Lang) -> String {
    let mut s = crate::report::lang::chart_settings(lang, t.runs, t.runs - t.infeasible, &h.sweep);
    if !h.sweep.budgets.is_empty() {
        s.push_str(&crate::report::lang::chart_budgets(
            lang,
            &h.sweep.budgets.join(" "),
        ));
    }
    if let Some(spec) = &h.sweep.experts {
        s.push_str(&crate::report::lang::chart_experts(lang, spec));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Money;
    use crate::sweep::RunResult;
    use crate::sweep::Settings;
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
                experts: None,
                panels: 1,
                runs: 2 * points.len() as u64,
                weight_vectors: 2,
                budget_points: points.len(),
            },
            criteria: vec!["技术".into(), "效益".into()],
            criterion_names: Vec::new(),
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
                t.add(run, point, weights, &result, &[0], Some(&[0]));
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
        let charts = charts(&h, &t, Lang::En).unwrap();
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
        assert_eq!(
            charts(&h, &t, Lang::En).unwrap(),
            charts(&h, &t, Lang::En).unwrap()
        );
    }

    #[test]
    fn one_budget_point_is_a_single_point_at_the_total_budget() {
        let (h, t) = sweep(&[money(10_000_000)]);
        let front = texts(&frontier_chart(&h, &t, Lang::En).unwrap());
        assert!(front.iter().any(|t| t.starts_with("no budget varies")));
        assert!(front.contains(&"15,000,000".to_string()), "{front:?}");
        assert!(front.contains(&"no marginal score: a single budget point".to_string()));
    }

    #[test]
    fn without_borderline_pairs_the_heat_map_says_so() {
        let (h, mut t) = grid();
        t.funded[1] = 0;
        let weights = texts(&weights(&h, &t, Lang::En).unwrap());
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
        let acc = texts(&acceptability(&h, &t, Lang::En).unwrap());
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
