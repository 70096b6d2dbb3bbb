//! Numbers at the edges of the domain (docs/scenario-format.md, "Numbers"): scores on an exact
//! rounding midpoint, and criterion values near their limits, give the brute-force optimum.

use crate::util::oracle::{brute_force, paths};
use allot::rules::evaluate;
use allot::scenario::from_toml_str;
use allot::solve::{solve, Options};

fn round_of(criteria: &str, projects: &str) -> String {
    format!(
        r#"
[[pools]]
id = "key"
budget = "100"
[[rounds]]
id = "major"
pool = "key"
max_projects = 1
[rounds.subsidy]
rate = "1"
investment = ["equipment"]
[scoring]
criteria = [{criteria}]
[applications]
{projects}"#
    )
}

/// Weights 1 and 2: A scores (100 + 2 · 56.851825) / 3 = 71.23455 exactly, 71.2346 rounded half
/// up, and ties B; A costs less, so A wins. Dividing the weights out in 28 digits first made A
/// 71.2345, and B took the place.
#[test]
fn a_score_on_a_rounding_midpoint_wins_its_place() {
    let text = round_of(
        r#"{ id = "a", weight = "1" }, { id = "b", weight = "2" }"#,
        r#"
[[applications.projects]]
id = "A"
rounds = ["major"]
equipment = "10"
scores = { a = "100", b = "56.851825" }
[[applications.projects]]
id = "B"
rounds = ["major"]
equipment = "20"
scores = { a = "71.2346", b = "71.2346" }
"#,
    );
    let scenario = from_toml_str(&text, "midpoint.toml").unwrap();
    let evaluation = evaluate(&scenario);
    let scores: Vec<String> = evaluation
        .candidates
        .iter()
        .map(|c| c.score.to_string())
        .collect();
    assert_eq!(scores, ["71.2346", "71.2346"]);
    let outcome = solve(&scenario, &evaluation, &Options::default()).unwrap();
    let funded: Vec<&str> = outcome
        .portfolio
        .funded
        .iter()
        .map(|&c| {
            scenario.applications[evaluation.candidates[c].project]
                .id
                .as_str()
        })
        .collect();
    assert_eq!(funded, ["A"]);
}

/// Criterion values at the limit (±10^12 under min-max, ±10^4 points as they are), many decimals
/// and weights that do not divide: every path gives the brute-force optimum.
#[test]
fn values_at_the_limits_give_the_brute_force_optimum() {
    let values = [
        ("999999999999.99", "9999.9999", 3),
        ("-999999999999.99", "-10000", 1),
        ("999999999999.98", "9999.9998", 2),
        ("0.000001", "0", 2),
        ("500000000000", "5000.00005", 1),
        ("999999999999.99", "9999.9999", 3),
    ];
    let mut projects = String::new();
    for (i, (big, points, rank)) in values.iter().enumerate() {
        projects.push_str(&format!(
            "[[applications.projects]]\nid = \"P{i}\"\nrounds = [\"major\"]\nequipment = \"{}\"\nscores = {{ big = \"{big}\", pts = \"{points}\", r = \"{rank}\" }}\n",
            10 + 7 * i
        ));
    }
    let text = round_of(
        r#"{ id = "big", weight = "1", normalization = "min_max" }, { id = "pts", weight = "2" }, { id = "r", weight = "0.000000001", normalization = "rank" }"#,
        &projects,
    )
    .replace("max_projects = 1", "max_projects = 3");
    let scenario = from_toml_str(&text, "limits.toml").unwrap_or_else(|e| panic!("{e}\n{text}"));
    let evaluation = evaluate(&scenario);
    let best = brute_force(&scenario, &evaluation).expect("feasible");
    for (_, options) in paths() {
        let outcome = solve(&scenario, &evaluation, &options).unwrap();
        assert_eq!(outcome.portfolio.funded, best.funded, "{options:?}");
    }
}
