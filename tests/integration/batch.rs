//! `allot batch`: every scenario in a folder solved, failures reported and passed over, the summary
//! the same for any thread count, and each result equal to `allot solve`'s.

use crate::util::{plain as allot, MANIFEST_DIR as ROOT};
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

/// A folder with two good scenarios (a folder and a file), a malformed one and an infeasible one.
fn folder() -> TempDir {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let copy = |from: &str, to: &Path| std::fs::copy(Path::new(ROOT).join(from), to).unwrap();
    std::fs::create_dir(d.join("quzhou")).unwrap();
    copy(
        "scenarios/quzhou-2019/scenario.toml",
        &d.join("quzhou/scenario.toml"),
    );
    copy(
        "scenarios/quzhou-2019/applications.csv",
        &d.join("quzhou/applications.csv"),
    );
    copy(
        "scenarios/commerce-2019/scenario.toml",
        &d.join("commerce.toml"),
    );
    std::fs::write(d.join("broken.toml"), "garbage = \n").unwrap();
    let small = std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/small.toml")).unwrap();
    std::fs::write(d.join("notes.txt"), "not a scenario").unwrap();
    std::fs::write(d.join("small.toml"), small).unwrap();
    dir
}

#[test]
fn a_folder_is_solved_past_its_failures() {
    let dir = folder();
    let results = TempDir::new().unwrap();
    let (code, stdout, stderr) = allot(&[
        "batch",
        dir.path().to_str().unwrap(),
        "--results",
        results.path().to_str().unwrap(),
        "-f",
        "json",
    ]);
    assert_eq!(code, 2, "the worst scenario was bad input\n{stderr}");
    let rows: Value = serde_json::from_str(&stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["broken", "commerce", "quzhou", "small"]);
    assert_eq!(rows[0]["status"], "bad_input");
    assert!(rows[0]["message"]
        .as_str()
        .unwrap()
        .contains("broken.toml: line 1"));
    for row in &rows[1..] {
        assert_eq!(row["status"], "optimal", "{row}");
        let name = row["scenario"].as_str().unwrap();
        let cert: Value = serde_json::from_str(
            &std::fs::read_to_string(results.path().join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(cert["total_score"], row["total_score"]);
    }
    // The certificate equals `allot solve`'s, but for the manifest's command, scenario path and
    // parameters: the same input files, the same hashes.
    let (_, solved, _) = allot(&[
        "solve",
        dir.path().join("quzhou").to_str().unwrap(),
        "-f",
        "json",
    ]);
    let mut batch: Value =
        serde_json::from_str(&std::fs::read_to_string(results.path().join("quzhou.json")).unwrap())
            .unwrap();
    let mut solved: Value = serde_json::from_str(&solved).unwrap();
    let (b, s) = (
        batch.as_object_mut().unwrap().remove("manifest").unwrap(),
        solved.as_object_mut().unwrap().remove("manifest").unwrap(),
    );
    assert_eq!(batch, solved);
    assert_eq!(b["command"], "batch");
    assert_eq!(b["inputs"][0]["path"], "quzhou/scenario.toml");
    assert_eq!(s["inputs"][0]["path"], "scenario.toml");
    for i in 0..2 {
        assert_eq!(b["inputs"][i]["sha256"], s["inputs"][i]["sha256"]);
    }
    assert!(!results.path().join("broken.json").exists());
}

#[test]
fn the_summary_does_not_depend_on_the_thread_count() {
    let dir = folder();
    let d = dir.path().to_str().unwrap();
    let one = allot(&["batch", d, "--threads", "1", "-f", "csv"]);
    let two = allot(&["batch", d, "--threads", "2", "-f", "csv"]);
    assert_eq!(one, two);
    assert!(one
        .1
        .starts_with("scenario,status,exit_code,funded,total_score,total_subsidy,message\n"));
}

#[test]
fn an_empty_or_missing_folder_is_bad_input() {
    let dir = TempDir::new().unwrap();
    let (code, stdout, stderr) = allot(&["batch", dir.path().to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("no scenario files"), "{stderr}");
    let (code, _, stderr) = allot(&["batch", "/nonexistent/folder"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/nonexistent/folder: cannot read the folder"),
        "{stderr}"
    );
}
