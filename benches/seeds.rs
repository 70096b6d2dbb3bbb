//! Criterion bench of `solve` over a spread of seeds and generator settings, so that a figure is
//! never the best seed's: for each setting of `allot generate`'s knobs (the default; group
//! limits scaled with N; half the applications in two rounds, all across pools; scores in whole
//! 5-point steps, i.e. massive ties; budgets halved) at 1,000 and 10,000 applications, seeds 1–8,
//! ten solves each. After the runs it prints, per setting and size, the median and the worst of
//! the eight seeds' mean times (read back from criterion's estimates).
//!
//! `cargo bench --bench seeds` takes about ten minutes on the project's 2-core box; a filter such
//! as `-- 'seeds/ties'` runs one setting. Every solve must be proven optimal (the 60 s limit is a
//! guard: a lost proof panics instead of reporting a time).

use allot::generate::Shape;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use std::time::Duration;

const SIZES: [usize; 2] = [1_000, 10_000];
const SEEDS: std::ops::RangeInclusive<u64> = 1..=8;

/// The generator settings: name and shape.
fn settings() -> Vec<(&'static str, Shape)> {
    let base = Shape::default();
    vec![
        ("default", base.clone()),
        (
            "groups",
            Shape {
                scale_groups: true,
                ..base.clone()
            },
        ),
        (
            "linked",
            Shape {
                two_rounds: 0.5,
                cross_pool: 1.0,
                ..base.clone()
            },
        ),
        (
            "ties",
            Shape {
                score_step: 5.0,
                ..base.clone()
            },
        ),
        (
            "tight",
            Shape {
                budget_factor: 0.5,
                ..base
            },
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("seeds");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(200));
    group.measurement_time(Duration::from_secs(1));
    let options = allot::solve::Options {
        time_limit: Some(60.0),
        ..Default::default()
    };
    let mut ids = Vec::new();
    for (name, shape) in settings() {
        for n in SIZES {
            for seed in SEEDS {
                let folder = dir.path().join(format!("{name}-{n}-{seed}"));
                allot::generate::write_shaped(&folder, n, seed, &shape).expect("generated");
                let scenario = allot::scenario::load(&folder).expect("loads");
                let evaluation = allot::rules::evaluate(&scenario);
                let id = format!("{name}-{n}");
                group.bench_function(BenchmarkId::new(&id, seed), |b| {
                    b.iter(|| {
                        let outcome =
                            allot::solve::solve(&scenario, &evaluation, &options).expect("solves");
                        assert_eq!(
                            outcome.status,
                            allot::solve::Status::Optimal,
                            "{name}, {n} applications, seed {seed}"
                        );
                        outcome
                    })
                });
                ids.push(id);
            }
        }
    }
    group.finish();
    ids.dedup();
    summarize(&ids);
}

/// Median and worst of each setting's per-seed mean times, from target/criterion.
fn summarize(ids: &[String]) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/criterion/seeds");
    println!("\nsetting-size      median      worst (over seeds {SEEDS:?})");
    for id in ids {
        let mut means: Vec<(f64, u64)> = SEEDS
            .filter_map(|seed| {
                let file = root
                    .join(id)
                    .join(seed.to_string())
                    .join("new/estimates.json");
                let text = std::fs::read_to_string(file).ok()?;
                let value: serde_json::Value = serde_json::from_str(&text).ok()?;
                Some((value["mean"]["point_estimate"].as_f64()? / 1e9, seed))
            })
            .collect();
        if means.is_empty() {
            continue;
        }
        means.sort_by(|a, b| a.0.total_cmp(&b.0));
        let median = if means.len().is_multiple_of(2) {
            (means[means.len() / 2 - 1].0 + means[means.len() / 2].0) / 2.0
        } else {
            means[means.len() / 2].0
        };
        let (worst, seed) = means[means.len() - 1];
        println!(
            "{id:<14} {median:>9.3} s {worst:>9.3} s (seed {seed}, {} seeds)",
            means.len()
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
