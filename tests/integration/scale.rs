//! Scale: `--time-limit` bounds the whole solve of a large generated round, not only HiGHS.

use std::process::Command;
use std::time::{Duration, Instant};

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
        // A 20,000-application round is now proven optimal in about 2 s; 0.2 s stops it
        // inside the incumbent search (the relaxation and local search alone take longer).
        .args(["--time-limit", "0.2"])
        .output()
        .expect("allot runs");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(5), "stderr: {stderr}");
    // Loading, the rules and writing the result come on top of the 0.2 s; a shared, loaded machine
    // gets some slack, but minutes (the stages before HiGHS ignoring the limit) must fail.
    assert!(took.as_secs_f64() < 12.0, "took {took:?}");
    let json = std::fs::read_to_string(&out).expect("the best portfolio found is written");
    assert!(json.contains("\"time_limit\""), "{json}");
}

#[test]
fn generate_spreads_applications_over_the_given_industries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |industries: &str, folder: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_allot"))
            .args([
                "generate",
                "--projects",
                "500",
                "--seed",
                "3",
                "--industries",
            ])
            .arg(industries)
            .arg("-o")
            .arg(folder)
            .output()
            .expect("allot runs")
    };
    let folder = dir.path().join("twelve");
    assert_eq!(run("12", &folder).status.code(), Some(0));
    let csv = std::fs::read_to_string(folder.join("applications.csv")).expect("csv written");
    let industries: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').nth(3))
        .collect();
    assert_eq!(industries.len(), 12, "{industries:?}");
    let toml = std::fs::read_to_string(folder.join("scenario.toml")).expect("toml written");
    assert!(toml.contains("\"重点产业10\""), "{toml}");

    let refused = run("2", &dir.path().join("two"));
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--industries"));
    assert!(
        !dir.path().join("two").exists(),
        "nothing written for bad input"
    );
}

/// Scaled rounds whose cores defeated the proof before (10,000: seeds 2 and 7 stopped at 30 s with
/// a gap of about 1e-5; 100,000 was never proven): the cross-pool columns at the pool boundaries,
/// the joined step and (100,000 seed 3) the near-ties kept together by unit row now prove them
/// optimal in seconds. The limit is only a guard; the assertion is
/// on the proof, not on time.
#[test]
#[ignore = "a slow proof (two rounds of 100,000 applications, minutes on a loaded machine): \
            .ci/run runs it in a step of its own"]
fn scaled_rounds_of_ten_and_a_hundred_thousand_are_proven_optimal() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (n, seed) in [(10_000, 2), (10_000, 7), (100_000, 7), (100_000, 3)] {
        let folder = dir.path().join(format!("{n}-{seed}"));
        allot::generate::write(&folder, n, seed, true).expect("generated scenario");
        let scenario = allot::scenario::load(&folder).expect("loads");
        let evaluation = allot::rules::evaluate(&scenario);
        let options = allot::solve::Options {
            time_limit: Some(120.0),
            ..Default::default()
        };
        let outcome = allot::solve::solve(&scenario, &evaluation, &options).expect("solves");
        assert_eq!(
            outcome.status,
            allot::solve::Status::Optimal,
            "{n} applications, seed {seed}"
        );
        allot::solve::verify(&scenario, &evaluation, &outcome.portfolio).expect("verified");
    }
}

/// A committee's own weights on generated 10,000-application rounds (weighted 0.30/0.35/0.20/0.15,
/// what `allot generate --weights` writes). Seed 1 took 75 s, seed 7 about 240 s and seed 2 past
/// 120 s (every HiGHS stage over about 2,100 columns: the enumeration gave up where a join of the
/// projects in two pools outgrew its cap); the join's bound with the amount row priced, its
/// depth-first search (`enumerate::join`) and a walk again of four times a step's states now
/// settle all three by the enumeration, about 2 s, 8 s and 14 s, under 650 MB (BENCHMARKS.md).
/// The optimum asserted is the portfolio highspy proves on the exported model
/// (benches/reference.py; its integer answer summed exactly); the assertion is on the proof,
/// not on time.
#[test]
fn a_committees_own_weights_at_ten_thousand_are_proven_optimal() {
    for (seed, score, paid) in [
        (1, "109212.0631", "2666981256"),
        (7, "111715.9321", "2666984276"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        write_committee_weighted(dir.path(), seed);
        let scenario = allot::scenario::load(dir.path()).expect("loads");
        let outcome = assert_proven(&scenario, score, paid);
        assert_eq!(
            outcome.proof,
            allot::solve::Proof::Enumeration,
            "seed {seed}"
        );
    }
}

/// The generated 10,000 of `seed` as `allot generate --weights 0.30,0.35,0.20,0.15` writes it.
fn write_committee_weighted(folder: &std::path::Path, seed: u64) {
    let shape = allot::generate::Shape {
        weights: Some(["0.30", "0.35", "0.20", "0.15"].map(|w| w.parse().expect("a decimal"))),
        ..Default::default()
    };
    allot::generate::write_shaped(folder, 10_000, seed, &shape).expect("generated scenario");
}

/// Solves `scenario`: proven optimal, verified, with this total score and total paid.
fn assert_proven(
    scenario: &allot::scenario::Scenario,
    score: &str,
    paid: &str,
) -> allot::solve::Outcome {
    let evaluation = allot::rules::evaluate(scenario);
    let outcome = allot::solve::solve(scenario, &evaluation, &Default::default()).expect("solves");
    assert_eq!(outcome.status, allot::solve::Status::Optimal);
    allot::solve::verify(scenario, &evaluation, &outcome.portfolio).expect("verified");
    assert_eq!(outcome.portfolio.total_score.to_string(), score);
    assert_eq!(outcome.portfolio.total_paid().to_string(), paid);
    outcome
}

/// A round of the independent generator (`python3 benches/quzhou_like.py 1000 4 DIR`, kept in
/// tests/fixtures/unseen/) under run 175 of its 200-run Dirichlet sweep: the sweep ran past a
/// minute (114 s, then 75–85 s), this run 24 s (highspy 19 s), every HiGHS stage asked. The
/// enumeration gives up, and the core search's portfolio is not the best; walked again at that
/// portfolio's floor, above where it gave up, the enumeration settles the whole tie-break
/// (about 3 s). The proof is asserted, not the time: optimal by the enumeration, verified, and
/// the score and subsidy of highspy's portfolio on the exported model (`benches/reference.py`;
/// its integer answer summed exactly).
#[test]
fn an_independent_generators_round_under_a_dirichlet_draw_is_proven_optimal() {
    // Run 175's weights as `--weight` what-ifs, the way `allot sweep` applies them.
    let weights = [
        ("tech", "0.411357"),
        ("benefit", "0.183814"),
        ("jobs", "0.189547"),
        ("smart", "0.215282"),
    ];
    let overrides = allot::scenario::Overrides {
        weight: weights
            .map(|(id, w)| (id.to_string(), w.parse().expect("a decimal")))
            .to_vec(),
        ..Default::default()
    };
    let folder = std::path::Path::new("tests/fixtures/unseen/quzhou-like-1000-4");
    let scenario = allot::scenario::load_with_overrides(Some(folder), &overrides).expect("loads");
    let outcome = assert_proven(&scenario, "21485.0251", "266651302");
    assert_eq!(outcome.proof, allot::solve::Proof::Enumeration);
}

/// `--time-limit` returns the best portfolio found, not only HiGHS's: on the generated 10,000
/// weighted 0.30/0.35/0.20/0.15 (seed 7) the local search has 111,693.5708 points after about
/// 0.13 s, the walks' completions and the core search climb to the optimum (111,715.9321) within a
/// second or two, and the proof takes about 10 s. Stopped at 1 s, allot returns the best of those
/// it reached (111,715.9321 on an idle machine, 111,706.1991 at 0.5 s): never less than the local
/// search's, never more than the optimum, with its gap.
#[test]
fn a_time_limit_keeps_the_best_portfolio_found_before_highs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("weighted");
    write_committee_weighted(&folder, 7);
    let out = dir.path().join("out.json");
    let run = Command::new(env!("CARGO_BIN_EXE_allot"))
        .arg("solve")
        .arg(&folder)
        .args(["-f", "json", "-o"])
        .arg(&out)
        .args(["--time-limit", "1"])
        .output()
        .expect("allot runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(5), "stderr: {stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("JSON");
    assert_eq!(json["status"], "time_limit");
    let score: rust_decimal::Decimal = json["total_score"]
        .as_str()
        .expect("a decimal string")
        .parse()
        .expect("a decimal");
    let (local_search, optimum) = (
        rust_decimal_macros::dec!(111693.5708),
        rust_decimal_macros::dec!(111715.9321),
    );
    assert!(local_search <= score && score <= optimum, "{score}");
    assert!(
        json["gap"].as_f64().is_some_and(|g| g >= 0.0),
        "{}",
        json["gap"]
    );
}

/// A price of inclusion on a committee's own weights at 10,000 (the generated seed 1, weighted
/// 0.30/0.35/0.20/0.15): P07570 ranks above both its rounds' funding lines. Locked into the
/// intelligent-manufacturing round, its re-solve's walks stepped from the optimum's floor gave
/// up far below the locked optimum and HiGHS's stage 1 then ran for minutes (`allot explain`
/// of it past 10 minutes); the walks tried again higher (`RETRIES` in src/solve/mod.rs) now
/// prove it by the enumeration. The costs asserted are those of the plain solves with the
/// entry locked in (`allot solve --lock P07570:intelligent`, `--lock P07570:major`), which
/// start from no remembered portfolio; the assertion is on the proof, not on time.
#[test]
fn prices_on_a_committees_own_weights_at_ten_thousand_are_proven() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_committee_weighted(dir.path(), 1);
    let scenario = allot::scenario::load(dir.path()).expect("loads");
    let evaluation = allot::rules::evaluate(&scenario);
    let outcome = assert_proven(&scenario, "109212.0631", "2666981256");
    let project = allot::explain::find_project(&scenario, "P07570").expect("a project");
    let entries: Vec<usize> = (0..evaluation.candidates.len())
        .filter(|&c| evaluation.candidates[c].project == project)
        .collect();
    let options = allot::solve::Options::default();
    let prices = allot::explain::prices(&scenario, &evaluation, &outcome, &entries, &options)
        .expect("priced");
    let costs: Vec<(String, String)> = prices
        .iter()
        .map(|p| {
            let round = evaluation.candidates[p.candidate].round;
            let change = p.change.as_ref().expect("a portfolio funds it");
            (scenario.rounds[round].id.clone(), change.cost.to_string())
        })
        .collect();
    assert_eq!(
        costs,
        [
            ("intelligent".to_string(), "49.0517".to_string()),
            ("major".to_string(), "0.0018".to_string())
        ]
    );
}

/// `allot COMMAND ROUND ARGS…` on a fresh copy of the generated 10,000 weighted 0.30/0.35/0.20/0.15
/// (seed 1), and how long it took.
fn on_committee_weighted(command: &str, args: &[&str]) -> (std::process::Output, Duration) {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("weighted");
    write_committee_weighted(&folder, 1);
    let started = Instant::now();
    let run = Command::new(env!("CARGO_BIN_EXE_allot"))
        .arg(command)
        .arg(&folder)
        .args(args)
        .output()
        .expect("allot runs");
    (run, started.elapsed())
}

/// `allot explain --time-limit` on the same round: P07570's explanation takes about 50 s without
/// it (two prices, a score margin and two subsidy margins, each margin several re-solves). With
/// 20 s, whatever it shows is what the unlimited one shows (the prices asserted above, and the
/// score margin the prices imply: its entry in major costs 0.0018, so a rise of 0.0019 funds it
/// there), and whatever it does not is named in `left_out`, never guessed.
#[test]
fn an_explanation_with_a_time_limit_shows_only_what_it_proved() {
    let (run, took) =
        on_committee_weighted("explain", &["P07570", "--time-limit", "20", "-f", "json"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "stderr: {stderr}");
    // The proof (about 2 s) is not limited, loading comes on top, and a loaded machine gets
    // some slack; the 50 s of the whole explanation must fail.
    assert!(took.as_secs_f64() < 40.0, "took {took:?}; stderr: {stderr}");
    let x: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let left_out = &x["left_out"];
    let listed = |key: &str, round: &str| {
        left_out[key]
            .as_array()
            .expect("a list")
            .iter()
            .any(|r| r == round)
    };
    for (round, cost) in [("intelligent", "49.0517"), ("major", "0.0018")] {
        let r = x["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["round"] == round)
            .expect("the round");
        if listed("prices", round) {
            assert!(r["price"].is_null(), "{r}");
        } else {
            assert_eq!(r["price"]["change"]["cost"], cost, "{r}");
        }
        assert_eq!(
            r["subsidy_margin"].is_null(),
            listed("subsidy_margins", round),
            "{x}"
        );
    }
    if left_out["score_margin"] == true {
        assert!(x["score_margin"].is_null(), "{x}");
    } else {
        assert_eq!(x["score_margin"]["threshold"], "0.0019", "{x}");
    }
    let parts = left_out["prices"].as_array().unwrap().len()
        + left_out["subsidy_margins"].as_array().unwrap().len()
        + usize::from(left_out["score_margin"] == true);
    if parts > 0 {
        assert!(stderr.contains("the time limit came before"), "{stderr}");
    }
}

/// `--time-limit` bounds the whole command: the table's prices of inclusion share the limit of
/// the solve they price. On the generated 10,000 weighted 0.30/0.35/0.20/0.15 (seed 1) the solve
/// takes about 2 s and the table's 100 prices about 70 s on two cores (more than 11 minutes
/// before the walks tried again); each price used to get the whole limit again.
#[test]
fn a_time_limit_bounds_the_tables_prices_too() {
    let (run, took) = on_committee_weighted("solve", &["--time-limit", "5", "--lang", "en"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Loading, the rules and writing the table come on top of the 5 s; a loaded machine gets
    // some slack, but a minute (each price given the limit again) must fail.
    assert!(took.as_secs_f64() < 25.0, "took {took:?}; stderr: {stderr}");
    let table = String::from_utf8_lossy(&run.stdout);
    let shown = table.matches("funding it costs").count();
    match run.status.code() {
        // The solve proven in time: the prices it left undone are counted in a note, and the
        // table shows exactly the others.
        Some(0) => {
            let unpriced: usize = stderr
                .split("the time limit came before ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("no note on the unpriced entries; stderr: {stderr}"));
            assert!(
                stderr.contains(" of the 100 prices of inclusion"),
                "{stderr}"
            );
            assert_eq!(shown + unpriced, 100, "stderr: {stderr}");
            assert!(table.contains("status: optimal"), "{table}");
        }
        // A loaded machine may not prove the solve itself within 5 s: then nothing is priced.
        Some(5) => assert_eq!(shown, 0, "{table}"),
        code => panic!("exit {code:?}; stderr: {stderr}"),
    }
}
