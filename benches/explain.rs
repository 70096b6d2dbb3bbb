//! Criterion bench of `allot explain` and `allot reserve` in-process: the explanation
//! (eligibility, reasons, exact score and subsidy margins, the price of inclusion in each round)
//! of the best-ranked unfunded entry above a funding line — the project a committee asks about
//! first — and every round's reserve list (each funded project's replacements and the ordered
//! list), beside one whole solve of the same scenario, so that their ratios are measured in one
//! run. On the bundled default and on generated Quzhou-shaped rounds of 1,000 and 10,000
//! applications (seed 7). Run with `cargo bench --bench explain`; figures are recorded in
//! BENCHMARKS.md.

use allot::explain::{above_the_line, Explainer};
use allot::scenario::Scenario;
use allot::solve::Options;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::time::Duration;

/// The project of the best-ranked unfunded entry above a funding line.
fn asked_about(scenario: &Scenario) -> usize {
    let evaluation = allot::rules::evaluate(scenario);
    let outcome = allot::solve::solve(scenario, &evaluation, &Options::default()).expect("solves");
    let decisions = allot::report::Decisions::new(scenario, &evaluation, &outcome);
    let entries = above_the_line(&evaluation, &outcome, &decisions.ranking);
    let c = *entries.first().expect("an entry above a funding line");
    evaluation.candidates[c].project
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("explain");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    let dir = tempfile::tempdir().expect("temp dir");
    let mut scenarios = vec![(
        "default".to_string(),
        150,
        allot::scenario::load_default().expect("default loads"),
    )];
    for n in [1_000usize, 10_000] {
        let folder = dir.path().join(n.to_string());
        allot::generate::write(&folder, n, 7, true).expect("generated scenario");
        let scenario = allot::scenario::load(&folder).expect("scenario loads");
        scenarios.push(("generated".to_string(), n, scenario));
    }
    for (name, n, scenario) in &scenarios {
        let project = asked_about(scenario);
        let evaluation = allot::rules::evaluate(scenario);
        group.bench_function(BenchmarkId::new(format!("{name}/solve"), n), |b| {
            b.iter(|| {
                allot::solve::solve(scenario, &evaluation, &Options::default())
                    .expect("solves")
                    .portfolio
                    .funded
                    .len()
            })
        });
        group.bench_function(BenchmarkId::new(format!("{name}/explain"), n), |b| {
            b.iter(|| {
                let explainer =
                    Explainer::new(scenario, &evaluation, Options::default()).expect("solves");
                explainer
                    .explain_with_prices(project)
                    .expect("explains")
                    .rounds
                    .len()
            })
        });
        group.bench_function(BenchmarkId::new(format!("{name}/reserve"), n), |b| {
            b.iter(|| {
                let explainer =
                    Explainer::new(scenario, &evaluation, Options::default()).expect("solves");
                explainer.reserves().expect("reserve lists").len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
