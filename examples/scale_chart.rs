//! How allot's stages grow with the number of applications: generates scaled rounds
//! (`allot generate --projects N --seed 7`) for N = 150, 1,000, 10,000 and 100,000, times parse
//! (load), rules and solve in-process, prints a Markdown table and draws a log-log chart:
//!
//!     cargo run --release --example scale_chart -- benches/scale.svg
//!
//! Solves of 10,000 and more run with the 30 s limit as a guard (both are proven optimal in a
//! few seconds now; the table says if one stopped). Figures are wall-clock seconds of one run; used
//! for BENCHMARKS.md.

use plotters::prelude::*;
use std::time::Instant;

const SIZES: [usize; 4] = [150, 1_000, 10_000, 100_000];
const STAGES: [&str; 4] = ["parse", "rules", "solve", "pipeline"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .ok_or("usage: scale_chart OUTPUT.svg")?;
    let dir = tempfile::tempdir()?;
    let mut rows: Vec<[f64; 4]> = Vec::new();
    println!(
        "| applications | columns | free after fixing | parse (s) | rules (s) | solve (s) | pipeline (s) | status |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---|");
    for n in SIZES {
        let folder = dir.path().join(n.to_string());
        allot::generate::write(&folder, n, 7, true)?;
        let t = Instant::now();
        let scenario = allot::scenario::load(&folder)?;
        let parse = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let evaluation = allot::rules::evaluate(&scenario);
        let rules = t.elapsed().as_secs_f64();
        let options = allot::solve::Options {
            time_limit: (n >= 10_000).then_some(30.0),
            ..Default::default()
        };
        let t = Instant::now();
        let outcome = allot::solve::solve(&scenario, &evaluation, &options)?;
        let solve = t.elapsed().as_secs_f64();
        let status = match outcome.status {
            allot::solve::Status::Optimal => "optimal".to_string(),
            allot::solve::Status::TimeLimit { gap } => format!("time limit, gap {gap:.2e}"),
        };
        let total = parse + rules + solve;
        println!(
            "| {n} | {} | {} | {parse:.4} | {rules:.4} | {solve:.3} | {total:.3} | {status} |",
            outcome.stats.columns, outcome.stats.free
        );
        rows.push([parse, rules, solve, total]);
    }

    let root = SVGBackend::new(&out, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "allot: time by number of applications (scaled rounds, seed 7)",
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(
            (100f64..200_000f64).log_scale(),
            (1e-4f64..100f64).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("applications")
        .y_desc("seconds (wall, one run)")
        .draw()?;
    let colours = [BLUE, GREEN, RED, BLACK];
    for (s, stage) in STAGES.iter().enumerate() {
        let colour = colours[s];
        let points: Vec<(f64, f64)> = SIZES
            .iter()
            .zip(&rows)
            .map(|(&n, row)| (n as f64, row[s].max(1e-4)))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), colour))?
            .label(*stage)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 3, colour.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE)
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    eprintln!("wrote {out}");
    Ok(())
}
