//! Sensitivity sweeps: every run equals a fresh solve with its weights and budgets; the result is
//! the same for any thread count and the same seed; shards merge into exactly the unsharded
//! result; the aggregates are consistent (frontier monotone, shares in [0, 1], classes).

use crate::util::{ok, plain as allot, BIN};
use allot::rules::evaluate_with_weights;
use allot::scenario::{load_default, Money, Unit};
use allot::solve::{solve, Options};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;
use tempfile::TempDir;

#[track_caller]
fn fails(args: &[&str], code: i32, parts: &[&str]) {
    let (got, stdout, stderr) = allot(args);
    assert_eq!(got, code, "allot {args:?}: exit {got}\n{stderr}");
    assert!(stdout.is_empty(), "allot {args:?} wrote to stdout");
    assert_eq!(stderr.lines().count(), 1, "allot {args:?}: {stderr}");
    for p in parts {
        assert!(stderr.contains(p), "allot {args:?}: {stderr:?} lacks {p:?}");
    }
}

/// `[{"project", "round"}, …]` as pairs.
fn pairs(list: &Value) -> Vec<(String, String)> {
    let pair = |f: &Value| (f["project"].to_string(), f["round"].to_string());
    list.as_array().unwrap().iter().map(pair).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

const SMALL: &[&str] = &[
    "sweep",
    "--weights",
    "dirichlet:30",
    "--samples",
    "12",
    "--budget",
    "key=26000000..34000000:4000000",
    "--seed",
    "7",
];

fn with(extra: &[&str]) -> Vec<String> {
    SMALL.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn every_run_equals_a_fresh_solve_with_its_weights_and_budgets() {
    let dir = TempDir::new().unwrap();
    let runs = dir.path().join("runs.jsonl");
    let a = with(&["--emit-runs", runs.to_str().unwrap(), "-f", "json"]);
    ok(&args(&a));
    let scenario = load_default().unwrap();
    let lines: Vec<Value> = read(&runs)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 36);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["run"], i as u64);
        let weights: Vec<Decimal> = scenario
            .scoring
            .criteria
            .iter()
            .map(|c| Decimal::from_str(line["weights"][&c.id].as_str().unwrap()).unwrap())
            .collect();
        assert_eq!(weights.iter().sum::<Decimal>(), Decimal::ONE);
        let mut s = scenario.clone();
        for p in &mut s.pools {
            p.budget = Money::parse(line["budgets"][&p.id].as_str().unwrap(), Unit::Yuan).unwrap();
        }
        let evaluation = evaluate_with_weights(&s, &weights);
        let outcome = solve(&s, &evaluation, &Options::default()).unwrap();
        let fresh: Vec<Value> = outcome
            .portfolio
            .funded
            .iter()
            .map(|&c| {
                let cand = &evaluation.candidates[c];
                serde_json::json!([s.applications[cand.project].id, s.rounds[cand.round].id])
            })
            .collect();
        let mut fresh = fresh;
        fresh.sort_by_key(|v| v.to_string());
        let mut swept = line["funded"].as_array().unwrap().clone();
        swept.sort_by_key(|v| v.to_string());
        assert_eq!(swept, fresh, "run {i}");
        assert_eq!(
            line["total_score"].as_str().unwrap(),
            outcome.portfolio.total_score.to_string(),
            "run {i}"
        );
    }
}

#[test]
fn the_result_does_not_depend_on_the_thread_count() {
    let dir = TempDir::new().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let runs = dir.path().join(format!("runs{threads}.jsonl"));
        let a = with(&[
            "--threads",
            threads,
            "-f",
            "json",
            "--emit-runs",
            runs.to_str().unwrap(),
        ]);
        outputs.push((ok(&args(&a)), read(&runs)));
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn the_same_seed_gives_the_same_sweep_and_another_seed_another() {
    let a = ok(&args(&with(&["-f", "json"])));
    let b = ok(&args(&with(&["-f", "json"])));
    assert_eq!(a, b);
    let mut other = with(&["-f", "json"]);
    let seed = other.iter().position(|s| s == "7").unwrap();
    other[seed] = "8".into();
    assert_ne!(a, ok(&args(&other)));
}

#[test]
fn shards_merge_into_exactly_the_unsharded_result() {
    let dir = TempDir::new().unwrap();
    let whole_json = ok(&args(&with(&["-f", "json"])));
    let whole_table = ok(&args(&with(&[])));
    let mut files = Vec::new();
    for i in 0..3 {
        let f = dir.path().join(format!("shard{i}.json"));
        let shard = format!("{i}/3");
        ok(&args(&with(&[
            "--shard",
            &shard,
            "-o",
            f.to_str().unwrap(),
        ])));
        files.push(f.to_str().unwrap().to_string());
    }
    // Any order.
    let merged = ok(&["merge", &files[2], &files[0], &files[1], "-f", "json"]);
    assert_eq!(merged, whole_json);
    let merged = ok(&["merge", &files[1], &files[2], &files[0]]);
    assert_eq!(merged, whole_table);
    // Missing, repeated or foreign shards are refused.
    fails(
        &["merge", &files[0], &files[1]],
        2,
        &["shard 2/3 is missing"],
    );
    fails(
        &["merge", &files[0], &files[1], &files[1]],
        2,
        &["is also in"],
    );
    let foreign = dir.path().join("foreign.json");
    let mut a = with(&["--shard", "2/3", "-o", foreign.to_str().unwrap()]);
    a[6] = "key=26000000..30000000:4000000".into();
    ok(&args(&a));
    fails(
        &["merge", &files[0], &files[1], foreign.to_str().unwrap()],
        2,
        &["a shard of a different sweep"],
    );
}

#[test]
fn aggregates_are_consistent() {
    let out: Value = serde_json::from_str(&ok(&[
        "sweep",
        "--weights",
        "uniform:±30%",
        "--samples",
        "10",
        "--budget",
        // From 25,000,000: below about 20,300,000 the preset's floor (five intelligent
        // projects) cannot be paid, and such points have no frontier score.
        "key=25000000..45000000:5000000",
        "--seed",
        "3",
        "-f",
        "json",
    ]))
    .unwrap();
    let runs = out["runs"].as_u64().unwrap();
    assert_eq!(runs, 50);
    let feasible = runs - out["infeasible_runs"].as_u64().unwrap();
    for a in out["acceptability"].as_array().unwrap() {
        let n = a["funded_runs"].as_u64().unwrap();
        let share = Decimal::from_str(a["share"].as_str().unwrap()).unwrap();
        assert!(share >= Decimal::ZERO && share <= Decimal::ONE, "{a}");
        let class = a["class"].as_str().unwrap();
        assert_eq!(class == "core", n == feasible, "{a}");
        assert_eq!(class == "exterior", n == 0, "{a}");
    }
    // The frontier: more money never lowers the best score.
    let scores: Vec<Decimal> = out["frontier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Decimal::from_str(f["best_score"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(scores.len(), 5);
    assert!(scores.windows(2).all(|w| w[0] <= w[1]), "{scores:?}");
    for f in &out["frontier"].as_array().unwrap()[1..] {
        let m =
            Decimal::from_str(f["marginal_score_per_million"]["key"].as_str().unwrap()).unwrap();
        assert!(m >= Decimal::ZERO);
    }
    // Distinct portfolios' runs add up to the feasible runs.
    let distinct = out["distinct_portfolios"].as_u64().unwrap();
    assert!(distinct >= 1 && distinct <= feasible);
    // The certificate fields of the base solve are kept.
    for key in ["candidates", "rounds", "pools", "weights"] {
        assert!(out.get(key).is_some(), "{key} missing");
    }
    assert!(out["candidates"][0]["criteria"].is_object());
}

#[test]
fn base_weights_at_base_budgets_reproduce_the_base_portfolio() {
    let out: Value = serde_json::from_str(&ok(&["sweep", "-f", "json"])).unwrap();
    assert_eq!(out["runs"], 1);
    assert_eq!(out["base"]["reproduced_runs"], 1);
    assert_eq!(out["distinct_portfolios"], 1);
    let solved: Value = serde_json::from_str(&ok(&["solve", "-f", "json"])).unwrap();
    assert_eq!(pairs(&out["base"]["funded"]), pairs(&solved["funded"]));
}

#[test]
fn one_at_a_time_grids_solve_each_distinct_point_once() {
    let dir = TempDir::new().unwrap();
    let runs = dir.path().join("runs.jsonl");
    let (code, _, stderr) = allot(&[
        "sweep",
        "--weights",
        "oat:±10%/3",
        "--emit-runs",
        runs.to_str().unwrap(),
        "--stats",
        "-f",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let lines = read(&runs).lines().count();
    let criteria = load_default().unwrap().scoring.criteria.len();
    assert_eq!(lines, 3 * criteria);
    // The centre point of every criterion is the base: solved once (with the base itself).
    let solves: usize = stderr
        .split(" solves")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(solves <= 2 * criteria + 2, "{stderr}");
}

#[test]
fn preference_statements_are_respected_in_every_run() {
    let dir = TempDir::new().unwrap();
    let runs = dir.path().join("runs.jsonl");
    let scenario = load_default().unwrap();
    let ids: Vec<&str> = scenario
        .scoring
        .criteria
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let chain = format!("{} >= {} >= {}", ids[0], ids[1], ids[2]);
    ok(&[
        "sweep",
        "--weights",
        "prefs",
        "--prefer",
        &chain,
        "--samples",
        "8",
        "--emit-runs",
        runs.to_str().unwrap(),
    ]);
    for line in read(&runs).lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let w = |id: &str| Decimal::from_str(v["weights"][id].as_str().unwrap()).unwrap();
        // Rounding to six places can cost one unit in the last place.
        let slack = Decimal::new(2, 6);
        assert!(w(ids[0]) + slack >= w(ids[1]), "{line}");
        assert!(w(ids[1]) + slack >= w(ids[2]), "{line}");
    }
}

#[test]
fn bad_sweeps_are_refused_with_one_message_and_no_output() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out.json");
    let o = out.to_str().unwrap();
    fails(
        &["sweep", "--weights", "gauss:3", "-o", o],
        2,
        &["--weights", "gauss:3"],
    );
    fails(
        &["sweep", "--budget", "nope=1..2:1", "-o", o],
        2,
        &["--budget", "\"nope\" is not a pool"],
    );
    fails(
        &["sweep", "--budget", "key=5..1:1", "-o", o],
        2,
        &["low is above high"],
    );
    fails(&["sweep", "--shard", "4/4", "-o", o], 2, &["--shard"]);
    fails(&["sweep", "--weights", "prefs", "-o", o], 2, &["--prefer"]);
    fails(
        &[
            "sweep",
            "--weights",
            "prefs",
            "--prefer",
            "nonsense >= 1",
            "-o",
            o,
        ],
        2,
        &["\"nonsense\" is neither a number nor a criterion"],
    );
    fails(
        &["sweep", "--weights", "uniform", "-o", o],
        2,
        &["has no interval"],
    );
    fails(
        &["merge", "-o", o, "Cargo.toml"],
        2,
        &["not a sweep shard file"],
    );
    assert!(!out.exists());
}

#[test]
fn ctrl_c_stops_a_sweep_cleanly_and_writes_nothing() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("out.json");
    let runs = dir.path().join("runs.jsonl");
    let child = Command::new(BIN)
        .args([
            "sweep",
            "--weights",
            "dirichlet:50",
            "--samples",
            "100000",
            "-o",
        ])
        .arg(&out)
        .arg("--emit-runs")
        .arg(&runs)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let done = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "files were left behind"
    );
}

#[test]
fn writing_to_a_device_writes_it_and_does_not_replace_it() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    if !std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
        println!("skipped: /dev/null is not a character device on this machine");
        return;
    }
    ok(&["solve", "-f", "json", "-o", "/dev/null"]);
    ok(&[
        "sweep",
        "--weights",
        "dirichlet:5",
        "--samples",
        "2",
        "-o",
        "/dev/null",
        "--emit-runs",
        "/dev/null",
    ]);
    let kind = std::fs::metadata(null).unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null was replaced by a file");
}

#[test]
fn command_line_amounts_are_in_the_scenarios_unit_unless_they_name_their_own() {
    // commerce-2019 states its amounts in 万元: --budget reads them so, as --set does.
    let c = "scenarios/commerce-2019";
    let json = |text: String| -> Value { serde_json::from_str(&text).unwrap() };
    let frontier = |v: &Value| -> Vec<String> {
        v["frontier"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["budgets"]["platform"].as_str().unwrap().to_string())
            .collect()
    };
    let plain = json(ok(&[
        "sweep",
        c,
        "--budget",
        "platform=400..600:100",
        "-f",
        "json",
    ]));
    assert_eq!(frontier(&plain), ["4000000", "5000000", "6000000"]);
    assert_eq!(plain["frontier_unit"], "yuan");
    assert_eq!(plain["sweep"]["budget_unit"], "wan");
    let spelled = json(ok(&[
        "sweep",
        c,
        "--budget",
        "platform=400万..6,000,000元:100 wan",
        "-f",
        "json",
    ]));
    assert_eq!(frontier(&spelled), frontier(&plain));
    assert_eq!(spelled["frontier"], plain["frontier"]);

    // One budget point, three spellings of --set: the same optimum.
    let point = json(ok(&["sweep", c, "--budget", "platform=450", "-f", "json"]));
    let best = point["frontier"][0]["best_score"].clone();
    for set in ["450", "450万", "4500000元", "4,500,000 yuan"] {
        let cert = json(ok(&[
            "solve",
            c,
            "--set",
            &format!("pools.platform.budget={set}"),
            "-f",
            "json",
        ]));
        assert_eq!(cert["pools"][0]["budget"], "4500000", "{set}");
        assert_eq!(cert["total_score"], best, "{set}");
    }

    // The table says which unit its amounts are in, and how --budget was read.
    let table = ok(&[
        "sweep",
        c,
        "--budget",
        "platform=400..600:100",
        "--lang",
        "en",
    ]);
    assert!(
        table.contains("Budget frontier (base weights; amounts in yuan)"),
        "{table}"
    );
    assert!(table.contains("--budget amounts without a unit were read in 万元"));
    assert!(table.contains("5,000,000"), "{table}");
}

#[test]
fn the_sweep_json_lists_every_pair_a_run_may_fund_and_each_rounds_qualifying_score() {
    // small.toml's round "big" has a qualifying score; at 64.5, A3 (64 at the base weights) is
    // below it, but other weights lift it above and runs fund it.
    let dir = TempDir::new().unwrap();
    let runs = dir.path().join("runs.jsonl");
    let summary = dir.path().join("sweep.json");
    let sweep = [
        "sweep",
        "tests/fixtures/small.toml",
        "--set",
        "rounds.big.eligibility.min_score=64.5",
        "--weights",
        "uniform:±30%",
        "--samples",
        "50",
        "--seed",
        "3",
    ];
    let mut args = sweep.to_vec();
    args.extend(["-f", "json", "--emit-runs", runs.to_str().unwrap()]);
    args.extend(["-o", summary.to_str().unwrap()]);
    ok(&args);
    let out: Value = serde_json::from_str(&read(&summary)).unwrap();
    let rounds = out["rounds"].as_array().unwrap();
    assert_eq!(rounds[0]["id"], "big");
    assert_eq!(rounds[0]["min_score"], "64.5");
    assert_eq!(rounds[1]["min_score"], Value::Null);
    let candidates = out["candidates"].as_array().unwrap();
    let a3 = candidates
        .iter()
        .find(|c| c["project"] == "A3" && c["round"] == "big")
        .expect("A3 in big, below the base threshold, is listed");
    assert_eq!(a3["score"], "64");
    assert_eq!(a3["criteria"]["quality"], "70");

    // Every run can be rebuilt from the JSON alone: each pair it funds is a listed pair whose
    // score under the run's weights (criteria and bonus from the JSON) reaches its round's
    // threshold.
    let dec = |v: &Value| Decimal::from_str(v.as_str().unwrap()).unwrap();
    let mut below_at_base = 0;
    for line in read(&runs).lines() {
        let run: Value = serde_json::from_str(line).unwrap();
        for pair in run["funded"].as_array().unwrap() {
            let (p, r) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
            let c = candidates
                .iter()
                .find(|c| c["project"] == p && c["round"] == r)
                .unwrap_or_else(|| panic!("{p}/{r} is funded by a run but not listed"));
            let score: Decimal = run["weights"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, w)| dec(w) * dec(&c["criteria"][k]))
                .sum::<Decimal>()
                + dec(&c["bonus"]);
            let round = rounds.iter().find(|x| x["id"] == r).unwrap();
            if let Some(min) = round["min_score"].as_str() {
                let min = Decimal::from_str(min).unwrap();
                assert!(score.round_dp(4) >= min, "{p}/{r}: {score} < {min}");
                if dec(&c["score"]) < min {
                    below_at_base += 1;
                }
            }
        }
    }
    assert!(
        below_at_base > 0,
        "no run funded a pair below the base threshold"
    );

    // merge reads the shards, and report --sweep the summary, as before.
    let mut shard = sweep.to_vec();
    let shard_file = dir.path().join("shard.json");
    shard.extend(["--shard", "0/1", "-o", shard_file.to_str().unwrap()]);
    ok(&shard);
    let merged = ok(&["merge", shard_file.to_str().unwrap(), "-f", "json"]);
    let merged: Value = serde_json::from_str(&merged).unwrap();
    assert_eq!(merged["candidates"], out["candidates"]);
    assert_eq!(merged["rounds"], out["rounds"]);
    let html = dir.path().join("report.html");
    ok(&[
        "report",
        "tests/fixtures/small.toml",
        "--set",
        "rounds.big.eligibility.min_score=64.5",
        "--sweep",
        summary.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    assert!(read(&html).contains("<svg"));
}

#[test]
fn each_budget_point_counts_the_runs_that_fund_its_own_base_portfolio() {
    let dir = TempDir::new().unwrap();
    let runs = dir.path().join("runs.jsonl");
    let json = ok(&[
        "sweep",
        "--weights",
        "dirichlet:5000",
        "--samples",
        "10",
        "--budget",
        "key=26000000..34000000:4000000",
        "--seed",
        "3",
        "--emit-runs",
        runs.to_str().unwrap(),
        "-f",
        "json",
    ]);
    let summary: Value = serde_json::from_str(&json).unwrap();
    let lines: Vec<Value> = read(&runs)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let sorted = |list: &Value| {
        let mut v: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.to_string())
            .collect();
        v.sort();
        v
    };
    let mut hits = 0;
    for row in summary["frontier"].as_array().unwrap() {
        let budget = row["budgets"]["key"].as_str().unwrap();
        // The base weights' portfolio at this budget, solved on its own.
        let cert: Value = serde_json::from_str(&ok(&[
            "solve",
            "--set",
            &format!("pools.key.budget={budget}"),
            "-f",
            "json",
        ]))
        .unwrap();
        let own: Vec<String> = {
            let mut v: Vec<String> = cert["funded"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| serde_json::json!([f["project"], f["round"]]).to_string())
                .collect();
            v.sort();
            v
        };
        let at_point: Vec<&Value> = lines
            .iter()
            .filter(|l| l["budgets"]["key"] == budget)
            .collect();
        let same = at_point
            .iter()
            .filter(|l| sorted(&l["funded"]) == own)
            .count() as u64;
        assert_eq!(row["runs"], at_point.len() as u64, "{budget}");
        assert_eq!(row["base_weights_portfolio_runs"], same, "{budget}");
        hits += same;
    }
    assert!(hits > 0, "a weak perturbation keeps some portfolios");
}
