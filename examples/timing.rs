//! Times the stages of one solve: `cargo run --release --example timing -- SCENARIO`.
//! With `ALLOT_TRACE=1` each HiGHS run is printed too. Used for the figures in BENCHMARKS.md.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: timing SCENARIO")?;
    let t = Instant::now();
    let scenario = allot::scenario::load(std::path::Path::new(&path))?;
    eprintln!("load {:?}", t.elapsed());
    let t = Instant::now();
    let evaluation = allot::rules::evaluate(&scenario);
    eprintln!(
        "rules {:?} cands {}",
        t.elapsed(),
        evaluation.candidates.len()
    );
    let t = Instant::now();
    let outcome = allot::solve::solve(&scenario, &evaluation, &Default::default())?;
    eprintln!("solve {:?} {:?}", t.elapsed(), outcome.stats);
    Ok(())
}
