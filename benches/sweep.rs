//! Criterion bench of `allot sweep` in-process, on the two reference sweeps: the bundled
//! default (150 applications) with 1,000 Dirichlet(κ = 50) weight samples, and a generated
//! 1,000-application round (policy budgets and sizes, seed 7, as in benches/solve.rs) with 200 samples — every run an
//! exact, verified optimum, on every core. Run with `cargo bench --bench sweep`; figures are
//! recorded in BENCHMARKS.md.

use allot::sweep::{BudgetGrid, Experts, Plan, Sampler, Shard, Sweep, WeightSpec};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn sweep(scenario: &allot::scenario::Scenario, samples: usize) -> u64 {
    let spec = WeightSpec::parse("dirichlet:50").expect("spec");
    let plan = Plan {
        experts: Experts::none(),
        sampler: Sampler::new(scenario, spec, samples, 7, vec![]).expect("sampler"),
        grid: BudgetGrid::default(),
        shard: Shard::ALL,
    };
    let sweep = Sweep::new(scenario, plan).expect("base solves");
    let tally = sweep.run(|_| Ok(())).expect("sweep runs");
    tally.runs
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    let default = allot::scenario::load_default().expect("default loads");
    group.bench_function(
        BenchmarkId::new("default 150, dirichlet:50 ×", 1000),
        |b| b.iter(|| sweep(&default, 1000)),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("1000");
    allot::generate::write(&folder, 1000, 7, false).expect("generated scenario");
    let generated = allot::scenario::load(&folder).expect("generated loads");
    group.bench_function(
        BenchmarkId::new("generated 1000, dirichlet:50 ×", 200),
        |b| b.iter(|| sweep(&generated, 200)),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
