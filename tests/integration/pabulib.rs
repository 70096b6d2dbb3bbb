//! `allot solve --pb`: Pabulib participatory-budgeting files.
//!
//! * Real elections in `../shared/data/pabulib` (third-party, read in place, never copied): every
//!   instance must give the optimum and greedy totals and sets its README lists, computed by an
//!   independent implementation. The README's table and listing are parsed here; when the folder
//!   is missing the test says so and passes.
//! * Edge cases of the format: our own small files in `tests/fixtures/pb/`, each with the result
//!   worked out by hand in the test (the rules are in `docs/pabulib.md`).
//! * Large scores: a generated instance whose scores are far too big for the solver's perturbed
//!   objective, solved through the fallback path and checked against a dynamic program.

use crate::util::{Outcome, Run, MANIFEST_DIR};
use allot::scenario::pabulib;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

/// The shared Pabulib folder, or `None` (and a plain note) when this checkout has none.
fn shared(test: &str) -> Option<PathBuf> {
    let dir = Path::new(MANIFEST_DIR).join("../shared/data/pabulib");
    if dir.join("README.md").is_file() {
        Some(dir)
    } else {
        eprintln!("{test}: SKIPPED — {} not found", dir.display());
        None
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(MANIFEST_DIR).join("tests/fixtures/pb").join(name)
}

/// Runs the binary (in the test's folder); its output must be UTF-8.
fn run(args: &[&str]) -> Outcome {
    Run::new(args).go().utf8()
}

/// `allot solve --pb FILE -f json`, which must succeed.
fn solve_json(file: &Path) -> Value {
    let r = run(&["solve", "--pb", file.to_str().unwrap(), "-f", "json"]);
    assert_eq!(r.code, 0, "{}: {}", file.display(), r.stderr);
    serde_json::from_str(&r.stdout).expect("json")
}

fn dec(v: &Value) -> Decimal {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Decimal::from_str(&text).unwrap_or_else(|_| panic!("{text} is not a decimal"))
}

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|f| f["project"].as_str().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The figures a result is checked against.
#[derive(Debug, Default)]
struct Expected {
    optimum_score: Decimal,
    optimum_cost: Decimal,
    optimum: BTreeSet<String>,
    greedy_score: Decimal,
    greedy_cost: Decimal,
    greedy: BTreeSet<String>,
}

/// Expected (score, cost, ids) of the optimum and of greedy.
fn want(optimum: (Decimal, Decimal, &[&str]), greedy: (Decimal, Decimal, &[&str])) -> Expected {
    Expected {
        optimum_score: optimum.0,
        optimum_cost: optimum.1,
        optimum: set(optimum.2),
        greedy_score: greedy.0,
        greedy_cost: greedy.1,
        greedy: set(greedy.2),
    }
}

#[track_caller]
fn check(json: &Value, name: &str, want: &Expected) {
    assert_eq!(json["status"], "optimal", "{name}");
    assert_eq!(
        dec(&json["total_score"]),
        want.optimum_score,
        "{name}: optimum score"
    );
    assert_eq!(
        dec(&json["total_subsidy"]),
        want.optimum_cost,
        "{name}: optimum cost"
    );
    assert_eq!(ids(&json["funded"]), want.optimum, "{name}: optimum set");
    let greedy = &json["baseline"];
    assert_eq!(greedy["method"], "greedy", "{name}");
    assert_eq!(
        dec(&greedy["total_score"]),
        want.greedy_score,
        "{name}: greedy score"
    );
    assert_eq!(
        dec(&greedy["total_subsidy"]),
        want.greedy_cost,
        "{name}: greedy cost"
    );
    assert_eq!(ids(&greedy["funded"]), want.greedy, "{name}: greedy set");
}

/// One row of the README's table with its listing of sets.
#[derive(Debug)]
struct Reference {
    file: String,
    projects: usize,
    voters: u64,
    budget: Decimal,
    expected: Expected,
}

/// Parses the README: the table `| file | vote type | projects | voters | budget | optimum score |
/// optimum cost | greedy score | greedy cost |` and the listing `- file` / `- optimum: ids` /
/// `- greedy: ids`.
fn references(readme: &str) -> Vec<Reference> {
    let mut refs: Vec<Reference> = Vec::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line
            .split('|')
            .map(|c| c.trim().trim_matches('`'))
            .collect();
        if cells.len() == 11 && cells[1].ends_with(".pb") {
            let n = |i: usize| Decimal::from_str(cells[i]).expect(cells[i]);
            refs.push(Reference {
                file: cells[1].to_string(),
                projects: cells[3].parse().unwrap(),
                voters: cells[4].parse().unwrap(),
                budget: n(5),
                expected: Expected {
                    optimum_score: n(6),
                    optimum_cost: n(7),
                    greedy_score: n(8),
                    greedy_cost: n(9),
                    ..Expected::default()
                },
            });
        }
    }
    let mut current: Option<usize> = None;
    for line in readme.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("- `").and_then(|r| r.strip_suffix('`')) {
            current = refs.iter().position(|r| r.file == name);
            assert!(
                current.is_some(),
                "the README lists sets for {name}, not in its table"
            );
        } else if let Some(i) = current {
            let parse = |list: &str| -> BTreeSet<String> {
                list.split(',').map(|s| s.trim().to_string()).collect()
            };
            if let Some(list) = t.strip_prefix("- optimum:") {
                refs[i].expected.optimum = parse(list);
            } else if let Some(list) = t.strip_prefix("- greedy:") {
                refs[i].expected.greedy = parse(list);
            }
        }
    }
    refs
}

#[test]
fn reference_instances_match_the_readme() {
    let Some(dir) = shared("reference_instances_match_the_readme") else {
        return;
    };
    let refs = references(&std::fs::read_to_string(dir.join("README.md")).unwrap());
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".pb"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = refs.iter().map(|r| r.file.clone()).collect();
    listed.sort();
    assert_eq!(
        listed, files,
        "every .pb file has a reference, and only those"
    );
    for r in &refs {
        let e = &r.expected;
        assert!(
            !e.optimum.is_empty() && !e.greedy.is_empty(),
            "{}: sets",
            r.file
        );
        let path = dir.join(&r.file);
        let scenario = pabulib::load_pb(&path).unwrap();
        assert_eq!(
            scenario.applications.len(),
            r.projects,
            "{}: projects",
            r.file
        );
        assert!(
            scenario
                .description
                .contains(&format!(": {} ballots", r.voters)),
            "{}: {} voters, description {:?}",
            r.file,
            r.voters,
            scenario.description
        );
        assert_eq!(
            scenario.pools[0].budget.yuan(),
            r.budget,
            "{}: budget",
            r.file
        );
        let started = Instant::now();
        let json = solve_json(&path);
        eprintln!(
            "{}: allot solve --pb … -f json took {:.3} s",
            r.file,
            started.elapsed().as_secs_f64()
        );
        check(&json, &r.file, e);
    }
}

#[test]
fn approval_edge_cases() {
    // budget 100.999 → 100.99; a1 repeated in ballot 1 counts once; ballot 2 is empty; ballot 4
    // has spaces and a trailing comma; a2 costs nothing; a3 costs more than the budget; a4 costs
    // 60.5. Support: a1 2, a2 1, a3 1, a4 2, a5 2.
    let path = fixture("approval_edges.pb");
    let s = pabulib::load_pb(&path).unwrap();
    let support: Vec<(String, Decimal)> = s
        .applications
        .iter()
        .map(|a| (a.id.clone(), a.criteria[0].unwrap()))
        .collect();
    let d = |n: i64| Decimal::from(n);
    assert_eq!(
        support,
        [
            ("a1", d(2)),
            ("a2", d(1)),
            ("a3", d(1)),
            ("a4", d(2)),
            ("a5", d(2))
        ]
        .map(|(i, v)| (i.to_string(), v))
    );
    assert_eq!(s.applications[0].name, "Park; benches and trees");
    let json = solve_json(&path);
    assert_eq!(dec(&json["pools"][0]["budget"]), Decimal::new(10099, 2));
    // Optimum: a1+a4 (100.5) and a1+a5 (90) both score 4; the cheaper wins. Greedy takes the
    // ties by id: a1, then a4 (fits: 60.5 ≤ 60.99), then a5 and a3 no longer fit.
    check(
        &json,
        "approval_edges",
        &want(
            (d(4), d(90), &["a1", "a5"]),
            (d(4), Decimal::new(1005, 1), &["a1", "a4"]),
        ),
    );
    let projects = json["projects"].as_array().unwrap();
    let reasons = |id: &str| -> String {
        let p = projects.iter().find(|p| p["id"] == id).unwrap();
        format!("{} {}", p["status"], p["reasons"])
    };
    assert!(
        reasons("a2").starts_with("\"ineligible\""),
        "{}",
        reasons("a2")
    );
    assert!(
        reasons("a3").contains("pool money: needs 150"),
        "{}",
        reasons("a3")
    );
}

#[test]
fn greedy_ties_go_to_the_smaller_id_as_a_string() {
    // 9 and 10 tie on 2 approvals; "10" < "9", so greedy tries 10 (70) first, then 8 (30) fits.
    // Rank-and-cut would take the cheaper 9 first; the optimum takes the cheaper tied set {8, 9}.
    let d = |n: i64| Decimal::from(n);
    check(
        &solve_json(&fixture("tie.pb")),
        "tie",
        &want((d(3), d(70), &["8", "9"]), (d(3), d(100), &["10", "8"])),
    );
}

#[test]
fn every_vote_type_runs_through_the_binary() {
    let d = |n: i64| Decimal::from(n);
    // choose-1, with a byte-order mark and CRLF line ends: b1 1 vote, b2 2 votes.
    check(
        &solve_json(&fixture("bom_crlf.pb")),
        "bom_crlf",
        &want((d(2), d(5), &["b2"]), (d(2), d(5), &["b2"])),
    );
    // ordinal: n − 1 − position points. z,x,y → 2,1,0; x,z → 1,0; y,y,z → y 1, z 0; z → 0.
    // x 2, y 1, z 2; budget 100 buys x+y (50+50).
    let json = solve_json(&fixture("ordinal.pb"));
    let scores: Vec<(String, Decimal)> = json["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["project"].as_str().unwrap().to_string(), dec(&c["score"])))
        .collect();
    assert_eq!(
        scores,
        [("x", d(2)), ("y", d(1)), ("z", d(2))].map(|(i, v)| (i.to_string(), v))
    );
    check(
        &json,
        "ordinal",
        &want((d(3), d(100), &["x", "y"]), (d(3), d(100), &["x", "y"])),
    );
    // cumulative: p1 3, p2 3, p3 6, p4 3 (the last ballot is empty). Optimum 9 at the least cost
    // (p2+p3 = 8); greedy takes p3, then p1 (first of the tied by id) and the budget is spent.
    check(
        &solve_json(&fixture("cumulative.pb")),
        "cumulative",
        &want((d(9), d(8), &["p2", "p3"]), (d(9), d(10), &["p1", "p3"])),
    );
    // scoring with default_score 1 for every project a ballot leaves out: s1 4+1, s2 −2+1,
    // s3 2.5+1.
    check(
        &solve_json(&fixture("scoring.pb")),
        "scoring",
        &want(
            (Decimal::new(85, 1), d(10), &["s1", "s3"]),
            (Decimal::new(85, 1), d(10), &["s1", "s3"]),
        ),
    );
    // Every format labels the baseline as greedy (the CSV has no baseline), and says where the
    // amounts stand; output is the same on every run.
    let file = fixture("approval_edges.pb");
    let file = file.to_str().unwrap();
    let table = run(&["solve", "--pb", file]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("== optimal portfolio vs greedy =="));
    assert!(table.stdout.contains("only in greedy: a4@pb"));
    assert!(!table.stdout.contains("rank-and-cut"));
    assert_eq!(run(&["solve", "--pb", file]).stdout, table.stdout);
    let csv = run(&["solve", "--pb", file, "-f", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert!(csv.stdout.starts_with("project,"));
    assert!(csv
        .stdout
        .contains("\na1,Park; benches and trees,,funded,pb,40,2,1,\n"));
}

/// A points ballot that lists a project several times (a real file has `579,579,579,579` with
/// points `1,1,1,1`) is read as pabutools reads it — the last points given count — with one
/// warning on stderr naming the first such line and voter, and how many more ballots do it.
#[test]
fn repeated_projects_in_a_points_ballot_count_their_last_points_with_one_warning() {
    let path = fixture("duplicate_votes.pb");
    let file = path.to_str().unwrap();
    let r = run(&["solve", "--pb", file, "-f", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        format!(
            "allot: warning: {file}: line 15 (voter \"v2\") lists project \"579\" 4 times, with points 1, 1, 1, 1: the last (1) counts, as in pabutools; 1 more ballot repeats a project\n"
        )
    );
    let cert: Value = serde_json::from_str(&r.stdout).unwrap();
    let scores: Vec<(String, Decimal)> = cert["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["project"].as_str().unwrap().to_string(), dec(&c["score"])))
        .collect();
    // 578: 2 (v1) + 3 (v4 lists it twice, 1 then 3); 579: 1 (v2) + 1 (v3); 580: 2 + 3.
    let want: Vec<(String, Decimal)> = [("578", 5), ("579", 2), ("580", 5)]
        .iter()
        .map(|(p, s)| (p.to_string(), Decimal::from(*s)))
        .collect();
    assert_eq!(scores, want);
    // The other fixture: ballot 2 lists project "2" twice with 1 and 1, ballot 1 gives it 2.
    let s = pabulib::load_pb(&fixture("repeated_points.pb")).unwrap();
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(s.warnings[0].contains("line 12 (voter \"2\") lists project \"2\" 2 times"));
    let two = s.applications.iter().find(|a| a.id == "2").unwrap();
    assert_eq!(two.criteria, vec![Some(Decimal::from(3))]);
    // A file without repeats warns of nothing.
    let clean = run(&["solve", "--pb", fixture("cumulative.pb").to_str().unwrap()]);
    assert_eq!(clean.code, 0);
    assert!(clean.stderr.is_empty(), "{}", clean.stderr);
}

/// Each bad file: exit 2, nothing on stdout, one line on stderr naming the file, the line and
/// what is wrong.
#[test]
fn bad_files_exit_2_naming_file_line_and_fault() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "bad_budget.pb",
            "line 4",
            "budget \"ten thousand\" is not an amount",
        ),
        ("bad_cost.pb", "line 8", "cost \"1 000\" is not an amount"),
        (
            "bad_fraction.pb",
            "line 8",
            "cost \"2.505\" is finer than a hundredth",
        ),
        (
            "bad_points.pb",
            "line 11",
            "points \"x\" for project \"2\" is not a number",
        ),
        ("missing_budget.pb", "line 1", "META has no budget"),
        ("missing_vote_type.pb", "line 1", "META has no vote_type"),
        (
            "unknown_project.pb",
            "line 11",
            "names project \"7\", which is not in PROJECTS",
        ),
        (
            "unquoted_semicolon.pb",
            "line 7",
            "has 4 fields where the PROJECTS header has 3",
        ),
    ];
    for (name, line, what) in cases {
        let path = fixture(name);
        let r = run(&["solve", "--pb", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
        let want = format!("allot: {}: {line}: ", path.display());
        assert!(
            r.stderr.starts_with(&want) && r.stderr.contains(what) && r.stderr.lines().count() == 1,
            "{name}: expected {want}…{what}, got {}",
            r.stderr
        );
    }
}

/// Structural faults, made by one edit of a good file in a temporary folder.
#[test]
fn structural_faults_exit_2() {
    let good = std::fs::read_to_string(fixture("cumulative.pb")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str, &str)] = &[
        ("VOTES\n", "", "", "no VOTES section"),
        (
            "cumulative",
            "plurality",
            "line 3",
            "vote_type \"plurality\" is not one allot reads",
        ),
        (
            "voter_id;vote;points",
            "voter_id;vote",
            "line 13",
            "has no \"points\" column",
        ),
        (
            "1;p1,p2;3,2",
            "1;p1,p2;3",
            "line 14",
            "lists 2 projects but 1 points",
        ),
        ("2;p3;5", "2;p3;-5", "line 15", "is negative"),
        (
            "2;p3;5",
            "2;p3;0.00001",
            "line 15",
            "more than 4 decimal places",
        ),
        (
            "p2;4\n",
            "p2;4\np1;4\n",
            "line 10",
            "project \"p1\" is listed twice (first on line 8)",
        ),
        (
            "budget;10\n",
            "budget;10\nbudget;11\n",
            "line 5",
            "META key \"budget\" is given twice",
        ),
        ("META\n", "", "line 1", "comes before any section"),
        (
            "project_id;cost",
            "id;cost",
            "line 7",
            "no \"project_id\" column",
        ),
    ];
    for (i, (from, to, line, what)) in cases.iter().enumerate() {
        assert!(good.contains(from), "{from}");
        let text = good.replacen(from, to, 1);
        let text = if from == &"VOTES\n" {
            text.split("voter_id").next().unwrap().to_string()
        } else {
            text
        };
        let path = dir.path().join(format!("case{i}.pb"));
        std::fs::write(&path, text).unwrap();
        let r = run(&["solve", "--pb", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "case {i}: {}", r.stderr);
        let at = if line.is_empty() {
            String::new()
        } else {
            format!("{line}: ")
        };
        let want = format!("allot: {}: {at}", path.display());
        assert!(
            r.stderr.starts_with(&want) && r.stderr.contains(what),
            "case {i}: expected {want}…{what}, got {}",
            r.stderr
        );
    }
    let missing = run(&["solve", "--pb", "no/such/file.pb"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no/such/file.pb: no such file"));
    let both = run(&["solve", "scenarios/quzhou-2019", "--pb", "x.pb"]);
    assert_eq!(both.code, 2);
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );
}

/// Scores far beyond what the perturbed objective may hold (M · Σ score ≥ 2^38 units) go through
/// the solver's fallback path; it must still find the exact optimum, checked here by a dynamic
/// program over the (small, integer) costs.
#[test]
fn large_scores_stay_exact() {
    let mut seed: u64 = 2019;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let n = 40;
    let costs: Vec<u64> = (0..n).map(|_| 1 + next(200)).collect();
    let budget: u64 = costs.iter().sum::<u64>() * 2 / 5;
    let mut text = format!(
        "META\nkey;value\nvote_type;cumulative\nbudget;{budget}\nPROJECTS\nproject_id;cost\n"
    );
    for (i, c) in costs.iter().enumerate() {
        text += &format!("p{i:02};{c}\n");
    }
    text += "VOTES\nvoter_id;vote;points\n";
    let mut support = vec![0u128; n];
    for v in 0..200 {
        let a = next(n as u64) as usize;
        let b = (a + 1 + next(n as u64 - 1) as usize) % n;
        let (pa, pb) = (next(1_000_000_000), next(1_000_000_000));
        support[a] += pa as u128;
        support[b] += pb as u128;
        text += &format!("{v};p{a:02},p{b:02};{pa},{pb}\n");
    }
    let path = tempfile::tempdir().unwrap();
    let file = path.path().join("large.pb");
    std::fs::write(&file, text).unwrap();

    // Best (score, −cost) by dynamic program over the budget.
    let b = budget as usize;
    let mut best: Vec<(u128, i64)> = vec![(0, 0); b + 1];
    for (i, &c) in costs.iter().enumerate() {
        let c = c as usize;
        for room in (c..=b).rev() {
            let (s, negcost) = best[room - c];
            let with = (s + support[i], negcost - c as i64);
            if with > best[room] {
                best[room] = with;
            }
        }
    }
    let (score, negcost) = best[b];
    let started = Instant::now();
    let json = solve_json(&file);
    eprintln!(
        "large scores (40 projects, scores up to ~1e10): {:.3} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(json["status"], "optimal");
    assert_eq!(dec(&json["total_score"]), Decimal::from(score));
    assert_eq!(dec(&json["total_subsidy"]), Decimal::from(-negcost));
}

#[test]
fn amounts_are_named_in_the_election_s_currency_not_yuan() {
    let path = fixture("approval_edges.pb");
    assert_eq!(
        pabulib::load_pb(&path).unwrap().currency.as_deref(),
        Some("EUR")
    );
    for lang in ["en", "zh"] {
        let out = run(&["solve", "--pb", path.to_str().unwrap(), "--lang", lang]);
        let table = out.success().stdout.clone();
        assert!(table.contains("EUR"), "{lang}: {table}");
        assert!(
            !table.contains("yuan") && !table.contains('元'),
            "{lang}: {table}"
        );
    }
    // The workbook's headers too.
    use calamine::Reader;
    let dir = tempfile::TempDir::new().unwrap();
    let book = dir.path().join("pb.xlsx");
    let args = ["solve", "--pb", path.to_str().unwrap(), "-f", "xlsx", "-o"];
    run(&[&args[..], &[book.to_str().unwrap(), "--lang", "en"]].concat()).success();
    let mut xlsx: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let mut cells = String::new();
    for name in xlsx.sheet_names() {
        for row in xlsx.worksheet_range(&name).unwrap().rows() {
            for cell in row {
                cells.push_str(&cell.to_string());
                cells.push('\n');
            }
        }
    }
    assert!(
        cells.contains("budget (EUR)") && cells.contains("paid (EUR)"),
        "{cells}"
    );
    assert!(!cells.contains("yuan"), "{cells}");
}
