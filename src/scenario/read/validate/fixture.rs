//! The smallest valid scenario, and edits of it that break one rule each: what the unit tests
//! of every section (`pools.rs`, `rounds.rs` …) start from.

use crate::scenario::{from_toml_str, load_from_memory, Scenario};

/// One pool, one round, one criterion, two inline projects, an empty committee.
pub(crate) const MINIMAL: &str = r#"
[[pools]]
id = "main"
budget = "1000000"

[[rounds]]
id = "big"
pool = "main"
max_projects = 2

[rounds.subsidy]
rate = "0.1"

[scoring]
criteria = [{ id = "quality", weight = 1 }]

[committee]

[[applications.projects]]
id = "A1"
enterprise = "Acme"
rounds = ["big"]
equipment = "100000"
scores = { quality = 80 }

[[applications.projects]]
id = "A2"
enterprise = "Bolt"
rounds = ["big"]
equipment = "200000"
scores = { quality = 70 }
"#;

/// [`MINIMAL`] with each `(from, to)` edit made; each `from` must occur exactly once.
pub(crate) fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = MINIMAL.to_string();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "{from:?} is not in the scenario once"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The message refusing [`MINIMAL`] with `edits` made, read as `s.toml`.
pub(crate) fn refusal(edits: &[(&str, &str)]) -> String {
    message(from_toml_str(&edited(edits), "s.toml"))
}

/// The message refusing [`MINIMAL`] with `edits` made, its applications in `a.csv`.
pub(crate) fn refusal_with_table(edits: &[(&str, &str)], csv: &str) -> String {
    let text = edited(edits);
    message(load_from_memory(
        "s.toml",
        &[("s.toml", text.as_bytes()), ("a.csv", csv.as_bytes())],
    ))
}

fn message(read: crate::error::Result<Scenario>) -> String {
    match read {
        Ok(_) => panic!("the scenario was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_minimal_scenario_is_valid() {
    let s = from_toml_str(MINIMAL, "s.toml").expect("valid");
    assert_eq!(s.name, "s");
    assert_eq!((s.pools.len(), s.rounds.len()), (1, 1));
    assert_eq!(s.pools[0].name, "main");
    assert_eq!(s.scoring.criteria[0].name, "quality");
    let ids: Vec<&str> = s.applications.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["A1", "A2"]);
    assert_eq!(s.lang, None);
}

#[test]
fn the_minimal_scenario_is_valid_with_its_projects_in_a_table() {
    let text = edited(&[(
        "[committee]\n",
        "[committee]\n\n[applications]\nfile = \"a.csv\"\n",
    )]);
    let csv = "id,enterprise,rounds,equipment,quality\nB1,Bolt,big,100,80\n";
    let s = load_from_memory(
        "s.toml",
        &[("s.toml", text.as_bytes()), ("a.csv", csv.as_bytes())],
    )
    .expect("valid");
    let ids: Vec<&str> = s.applications.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["A1", "A2", "B1"]);
}
