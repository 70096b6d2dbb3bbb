//! Criterion bench of how allot grows with the number of applications: parse (load scenario +
//! CSV), rules (evaluate), solve, and the whole pipeline, on `allot generate --projects N --seed 7`
//! rounds (budgets and round sizes scaled to N) for N = 150, 1,000, 10,000 and 100,000.
//!
//! `cargo bench --bench scale` takes a few minutes on the project's 2-core box (most of it in the
//! 100,000 solve and pipeline benches, ten runs each); pass a filter such as `-- 'parse|rules'` for
//! the quick ones. Every size is proven optimal; the solves of 10,000 and more carry the issue's
//! 30 s limit only as a guard, so a regression that loses the proof shows as 30 s, not a hang.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use std::path::Path;
use std::time::Duration;

const SIZES: [usize; 4] = [150, 1_000, 10_000, 100_000];

fn options(n: usize) -> allot::solve::Options {
    allot::solve::Options {
        time_limit: (n >= 10_000).then_some(30.0),
        ..Default::default()
    }
}

fn pipeline(path: &Path, n: usize) -> usize {
    let scenario = allot::scenario::load(path).expect("scenario loads");
    let evaluation = allot::rules::evaluate(&scenario);
    let outcome = allot::solve::solve(&scenario, &evaluation, &options(n)).expect("solves");
    outcome.portfolio.funded.len()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    for n in SIZES {
        let folder = dir.path().join(n.to_string());
        allot::generate::write(&folder, n, 7, true).expect("generated scenario");
        if n >= 10_000 {
            // Ten runs of each, no more: a solve here takes seconds.
            group.sampling_mode(SamplingMode::Flat);
            group.measurement_time(Duration::from_secs(1));
        }
        group.bench_function(BenchmarkId::new("parse", n), |b| {
            b.iter(|| allot::scenario::load(&folder).expect("loads"))
        });
        let scenario = allot::scenario::load(&folder).expect("loads");
        group.bench_function(BenchmarkId::new("rules", n), |b| {
            b.iter(|| allot::rules::evaluate(&scenario))
        });
        let evaluation = allot::rules::evaluate(&scenario);
        group.bench_function(BenchmarkId::new("solve", n), |b| {
            b.iter(|| allot::solve::solve(&scenario, &evaluation, &options(n)).expect("solves"))
        });
        group.bench_function(BenchmarkId::new("pipeline", n), |b| {
            b.iter(|| pipeline(&folder, n))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
