//! Scale: `--time-limit` bounds the whole solve of a large generated round, not only HiGHS.

use std::process::Command;
use std::time::Instant;

#[test]
fn time_limit_bounds_a_large_scaled_round() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("round");
    allot::generate::write(&folder, 20_000, 7, true).expect("generated scenario");
    let out = dir.path().join("out.json");
    let started = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_allot"))
        .arg("solve")
        .arg(&folder)
        .args(["-f", "json", "-o"])
        .arg(&out)
        .args(["--time-limit", "2"])
        .output()
        .expect("allot runs");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(5), "stderr: {stderr}");
    // Loading, the rules and writing the result come on top of the 2 s; a shared, loaded machine
    // gets some slack, but minutes (the stages before HiGHS ignoring the limit) must fail.
    assert!(took.as_secs_f64() < 12.0, "took {took:?}");
    let json = std::fs::read_to_string(&out).expect("the best portfolio found is written");
    assert!(json.contains("\"time_limit\""), "{json}");
}
