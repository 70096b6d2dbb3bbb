//! Expert panels (`tests/fixtures/panel`: a technology criterion scored by five experts, combined
//! as the trimmed mean): the aggregate in the certificate, the sweep over the panel against the
//! reduced panels solved by hand, and the input errors naming the row and the column.

use crate::util::{allot, Workdir};
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/panel";
const EXPERTS: [&str; 5] = ["专家1", "专家2", "专家3", "专家4", "专家5"];

/// The fixture copied into a workdir, its scenario edited by `edit`.
fn fixture(edit: impl Fn(String) -> String) -> Workdir {
    let work = Workdir::new();
    work.copy(&format!("{FIXTURE}/applications.csv"), "p/applications.csv");
    let scenario = std::fs::read_to_string(format!(
        "{}/{FIXTURE}/scenario.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    work.write("p/scenario.toml", edit(scenario));
    work
}

fn funded(certificate: &Value) -> Vec<String> {
    certificate["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}@{}",
                f["project"].as_str().unwrap(),
                f["round"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn the_trimmed_mean_is_the_criterion_value() {
    let cert = allot(&["solve", FIXTURE, "-f", "json"]).success().json();
    let p02 = cert["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["project"] == "P02")
        .unwrap();
    // 99, 81, 88, 78, 80: 99 and 78 are dropped, (81 + 88 + 80) / 3 = 83.
    assert_eq!(p02["criteria"]["tech"], "83");
    // 0.6 · 83 + 0.4 · 100 · (10.5 − 5) / (20 − 5) = 49.8 + 14.6667
    assert_eq!(p02["score"], "64.4667");
}

#[test]
fn leave_one_out_equals_each_reduced_panel_solved_by_hand() {
    let work = fixture(|s| s);
    allot(&[
        "sweep",
        FIXTURE,
        "--experts",
        "leave-one-out",
        "--emit-runs",
        work.path("runs.jsonl").to_str().unwrap(),
    ])
    .success();
    let runs: Vec<Value> = work
        .read_text("runs.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(runs.len(), EXPERTS.len());
    let mut portfolios = std::collections::BTreeSet::new();
    for (k, run) in runs.iter().enumerate() {
        assert_eq!(run["experts"]["left_out"], k + 1);
        // The same scenario with a panel of the four other experts (the fifth column stays in
        // the file as an ordinary attribute).
        let rest: Vec<String> = EXPERTS
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .map(|(_, e)| format!("{e:?}"))
            .collect();
        let by_hand =
            fixture(|s| s.replace("experts = 5,", &format!("experts = [{}],", rest.join(", "))));
        let cert = by_hand.allot("p", &["solve", ".", "-f", "json"]).go().ok();
        let cert: Value = serde_json::from_str(&cert).unwrap();
        let listed: Vec<String> = run["funded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{}@{}", p[0].as_str().unwrap(), p[1].as_str().unwrap()))
            .collect();
        assert_eq!(listed, funded(&cert), "expert {} left out", k + 1);
        assert_eq!(
            run["total_score"],
            cert["total_score"],
            "expert {} left out",
            k + 1
        );
        portfolios.insert(run["total_score"].to_string());
    }
    assert!(portfolios.len() > 1, "the panel matters in this fixture");
}

#[test]
fn a_bootstrap_is_seeded_and_independent_of_the_thread_count() {
    let sweep = |seed: &str, threads: &str| {
        allot(&[
            "sweep",
            FIXTURE,
            "--experts",
            "bootstrap:60",
            "--seed",
            seed,
            "--threads",
            threads,
            "-f",
            "json",
        ])
        .ok()
    };
    let one = sweep("3", "1");
    assert_eq!(one, sweep("3", "2"));
    // Another seed draws other panels: the shares differ, not only the seed the file records.
    let shares = |text: &str| {
        let v: Value = serde_json::from_str(text).unwrap();
        v["acceptability"].clone()
    };
    assert_ne!(shares(&one), shares(&sweep("4", "1")));
    let summary: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(summary["sweep"]["experts"], "bootstrap:60");
    assert_eq!(summary["sweep"]["runs"], 60);
}

#[test]
fn the_panel_combines_with_weights_and_budgets() {
    let table = allot(&[
        "sweep",
        FIXTURE,
        "--experts",
        "leave-one-out",
        "--weights",
        "dirichlet:50",
        "--samples",
        "4",
        "--budget",
        "key=250..350:50",
    ])
    .ok();
    assert!(
        table.contains(
            "60 runs = 5 panel variants × 4 weight vectors (dirichlet:50) × 3 budget points"
        ),
        "{table}"
    );
}

#[test]
fn a_missing_expert_score_names_the_row_and_the_column() {
    let work = fixture(|s| s);
    let csv = work.read_text("p/applications.csv");
    // P03's third expert (专家3) is left blank.
    work.write(
        "p/applications.csv",
        csv.replace(
            "P03,项目03,key,400,5.0,100,85,87,",
            "P03,项目03,key,400,5.0,100,85,,",
        ),
    );
    work.allot("p", &["solve", "."]).go().bad_input(&[
        "applications.csv",
        "row 4",
        "\"专家3\"",
        "P03",
        "tech",
    ]);
}

#[test]
fn an_unscored_project_is_missing_the_criterion() {
    let work = fixture(|s| s);
    let csv = work.read_text("p/applications.csv");
    work.write(
        "p/applications.csv",
        csv.replace(
            "P03,项目03,key,400,5.0,100,85,87,80,88",
            "P03,项目03,key,400,5.0,,,,,",
        ),
    );
    let cert: Value =
        serde_json::from_str(&work.allot("p", &["solve", ".", "-f", "json"]).go().ok()).unwrap();
    let p03 = cert["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "P03")
        .unwrap();
    assert_eq!(p03["status"], "ineligible", "{p03}");
    assert!(p03["reasons"].to_string().contains("tech"), "{p03}");
}

#[test]
fn panel_errors_are_input_errors() {
    // Too few experts for the rule.
    fixture(|s| s.replace("experts = 5,", "experts = 2,"))
        .allot("p", &["solve", "."])
        .go()
        .bad_input(&[
            "scoring.criteria[0] (tech).experts",
            "trimmed",
            "at least 3",
        ]);
    // Experts without a rule.
    fixture(|s| s.replace(", aggregate = \"trimmed\"", ""))
        .allot("p", &["solve", "."])
        .go()
        .bad_input(&["(tech).aggregate", "mean, median or trimmed"]);
    // An expert's score outside the criterion's range.
    let work = fixture(|s| s);
    let csv = work.read_text("p/applications.csv");
    work.write(
        "p/applications.csv",
        csv.replace("P05,项目05,key,330,5.0,68,", "P05,项目05,key,330,5.0,168,"),
    );
    work.allot("p", &["solve", "."]).go().bad_input(&[
        "row 6",
        "expert \"专家1\"",
        "168 is outside the criterion's range [0, 100]",
    ]);
    // A panel column missing from the file.
    let work = fixture(|s| s.replace("experts = 5,", "experts = 6,"));
    work.allot("p", &["solve", "."])
        .go()
        .bad_input(&["applications.csv", "no column \"专家6\""]);
    // Leave-one-out of a three-expert trimmed panel leaves two.
    let work = fixture(|s| {
        s.replace(
            "experts = 5,",
            "experts = [\"专家1\", \"专家2\", \"专家3\"],",
        )
    });
    work.allot("p", &["sweep", ".", "--experts", "leave-one-out"])
        .go()
        .bad_input(&["--experts leave-one-out", "tech", "2 remain", "at least 3"]);
    // A sweep over panels needs one.
    allot(&[
        "sweep",
        "tests/fixtures/small.toml",
        "--experts",
        "bootstrap:5",
    ])
    .bad_input(&["--experts", "no criterion is scored by a panel"]);
    allot(&["sweep", FIXTURE, "--experts", "jackknife"])
        .bad_input(&["--experts", "leave-one-out or bootstrap:N"]);
}

#[test]
fn inline_scores_of_a_panel_are_a_list() {
    let scenario = r#"
[scenario]
name = "inline panel"
[[pools]]
id = "p"
budget = "100"
[[rounds]]
id = "r"
pool = "p"
max_projects = 1
[rounds.subsidy]
fixed = "100"
[scoring]
criteria = [{ id = "q", weight = 1, experts = ["a", "b", "c", "d"], aggregate = "median" }]
[[applications.projects]]
id = "X"
rounds = ["r"]
scores = { q = [60, 90, 70, 80] }
[[applications.projects]]
id = "Y"
rounds = ["r"]
scores = { q = [74, 76, 75, 100] }
"#;
    let work = Workdir::new();
    work.write("s.toml", scenario);
    let cert: Value =
        serde_json::from_str(&work.allot("", &["solve", "s.toml", "-f", "json"]).go().ok())
            .unwrap();
    // Medians: X (70 + 80) / 2 = 75, Y (75 + 76) / 2 = 75.5.
    assert_eq!(funded(&cert), ["Y@r"]);
    assert_eq!(cert["total_score"], "75.5");
    work.write(
        "s.toml",
        scenario.replace("[74, 76, 75, 100]", "[74, 76, 75]"),
    );
    work.allot("", &["solve", "s.toml"])
        .go()
        .bad_input(&["scores.q", "3 scores for a panel of 4 experts"]);
    work.write("s.toml", scenario.replace("[74, 76, 75, 100]", "75"));
    work.allot("", &["solve", "s.toml"]).go().bad_input(&[
        "scores.q",
        "panel of 4 experts",
        "as a list",
    ]);
}
