//! Criterion bench of `allot solve` in-process: load the scenario, apply the rules, prove the
//! optimum and verify it — on the bundled default and on generated Quzhou-shaped rounds of 1,000
//! and 10,000 applications (policy budgets and round sizes, seed 7). Run with
//! `cargo bench --bench solve`; figures are recorded in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::Path;

fn pipeline(path: Option<&Path>) -> usize {
    let scenario = match path {
        Some(p) => allot::scenario::load(p).expect("scenario loads"),
        None => allot::scenario::load_default().expect("default loads"),
    };
    let evaluation = allot::rules::evaluate(&scenario);
    let outcome = allot::solve::solve(&scenario, &evaluation, &Default::default()).expect("solves");
    outcome.portfolio.funded.len()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("default", 150), |b| {
        b.iter(|| pipeline(None))
    });
    let dir = tempfile::tempdir().expect("temp dir");
    for n in [1_000usize, 10_000] {
        let folder = dir.path().join(n.to_string());
        allot::generate::write(&folder, n, 7, false).expect("generated scenario");
        group.bench_function(BenchmarkId::new("generated", n), |b| {
            b.iter(|| pipeline(Some(&folder)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
