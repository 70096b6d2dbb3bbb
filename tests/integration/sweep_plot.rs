//! `--plot DIR`: the sweep's charts as SVG files — all three written, well-formed, labelled with
//! the pairs the sweep funded, identical from `allot merge --plot` over shards, and refused or
//! failed cleanly when they cannot be written.

use crate::util::{ok, plain as allot};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;

const FILES: [&str; 3] = ["acceptability.svg", "frontier.svg", "weights.svg"];
const SWEEP: &[&str] = &[
    "sweep",
    "--weights",
    "dirichlet:30",
    "--samples",
    "10",
    "--budget",
    "key=26000000..34000000:4000000",
    "--seed",
    "7",
];

fn sweep(extra: &[&str]) -> Vec<String> {
    SWEEP.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The text of every `<text>` element of a well-formed SVG document.
fn texts(path: &Path) -> Vec<String> {
    let svg = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&svg)
        .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

#[test]
fn sweep_plot_writes_three_labelled_charts() {
    let dir = TempDir::new().unwrap();
    let charts = dir.path().join("charts/new");
    let json = ok(&refs(&sweep(&[
        "-f",
        "json",
        "--plot",
        charts.to_str().unwrap(),
    ])));
    let summary: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        entries(&charts),
        FILES.iter().map(|f| f.to_string()).collect()
    );

    let acceptability = texts(&charts.join("acceptability.svg"));
    let mut funded = 0;
    for a in summary["acceptability"].as_array().unwrap() {
        let label = format!(
            "{} · {}",
            a["project"].as_str().unwrap(),
            a["round"].as_str().unwrap()
        );
        if a["funded_runs"].as_u64().unwrap() > 0 {
            funded += 1;
            assert!(acceptability.contains(&label), "{label} is not labelled");
        }
    }
    assert!(funded > 0);
    // The scenario's first funded project of the base portfolio is a known id.
    let base = summary["base"]["funded"][0]["project"].as_str().unwrap();
    assert!(acceptability
        .iter()
        .any(|t| t.starts_with(&format!("{base} · "))));
    assert!(
        acceptability.iter().any(|t| t.contains("衢州")),
        "the Chinese title"
    );

    let frontier = texts(&charts.join("frontier.svg"));
    for budget in ["26,000,000", "30,000,000", "34,000,000"] {
        assert!(
            frontier.contains(&budget.to_string()),
            "{budget}: {frontier:?}"
        );
    }
    for row in summary["frontier"].as_array().unwrap() {
        let score = row["best_score"].as_str().unwrap();
        assert!(frontier.contains(&score.to_string()), "{score}");
    }

    // Criteria by their names, and the words in the scenario's language (the bundled one says
    // lang = "zh").
    let weights = texts(&charts.join("weights.svg"));
    let names = summary["criterion_names"].as_array().unwrap();
    assert_eq!(names.len(), summary["criteria"].as_array().unwrap().len());
    for c in names {
        let name = c.as_str().unwrap().to_string();
        assert!(weights.contains(&name), "{name}: {weights:?}");
    }
    assert!(weights.iter().any(|t| t.starts_with("均值")), "{weights:?}");
    assert!(acceptability.iter().any(|t| t.starts_with("入选率")));
    assert!(frontier.iter().any(|t| t.starts_with("预算前沿")));
    // No English word in a Chinese chart but ids, the scenario's names and the settings as typed.
    let scenario_name = summary["scenario"].as_str().unwrap().to_lowercase();
    let mut allowed: Vec<&str> = vec!["dirichlet", "key"];
    allowed.extend(scenario_name.split(|c: char| !c.is_ascii_alphabetic()));
    for (file, words) in [
        ("acceptability", &acceptability),
        ("frontier", &frontier),
        ("weights", &weights),
    ] {
        for t in words.iter() {
            let latin: Vec<&str> = t
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 3 && !allowed.contains(&w.to_lowercase().as_str()))
                .filter(|w| !["intelligent", "major", "upgrade"].contains(w))
                .collect();
            assert!(latin.is_empty(), "{file}: {t:?} has {latin:?}");
        }
    }

    // Same input, byte-identical charts.
    let again = dir.path().join("again");
    ok(&refs(&sweep(&["--plot", again.to_str().unwrap()])));
    for f in FILES {
        assert_eq!(
            std::fs::read(charts.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn merge_plot_draws_exactly_the_unsharded_charts() {
    let dir = TempDir::new().unwrap();
    let whole = dir.path().join("whole");
    ok(&refs(&sweep(&["--plot", whole.to_str().unwrap()])));
    let mut shards = Vec::new();
    for i in 0..2 {
        let f = dir.path().join(format!("shard{i}.json"));
        let shard = format!("{i}/2");
        ok(&refs(&sweep(&[
            "--shard",
            &shard,
            "-o",
            f.to_str().unwrap(),
        ])));
        shards.push(f.to_str().unwrap().to_string());
    }
    let merged = dir.path().join("merged");
    let mut args = vec![
        "merge".to_string(),
        "--plot".into(),
        merged.to_str().unwrap().into(),
    ];
    args.extend(shards);
    ok(&refs(&args));
    for f in FILES {
        assert_eq!(
            std::fs::read(whole.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn plot_is_refused_for_a_shard() {
    let dir = TempDir::new().unwrap();
    let charts = dir.path().join("charts");
    let (code, stdout, stderr) = allot(&refs(&sweep(&[
        "--shard",
        "0/2",
        "--plot",
        charts.to_str().unwrap(),
    ])));
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--plot") && stderr.contains("allot merge"),
        "{stderr}"
    );
    assert!(!charts.exists());
}

#[test]
fn a_plot_folder_that_cannot_be_created_exits_1_naming_it() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let charts = file.join("charts");
    let out = dir.path().join("summary.txt");
    let (code, stdout, stderr) = allot(&refs(&sweep(&[
        "--plot",
        charts.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(charts.to_str().unwrap()), "{stderr}");
    assert!(
        !out.exists(),
        "the summary was written although the charts failed"
    );
    assert_eq!(entries(dir.path()).len(), 1, "something was left behind");
}
