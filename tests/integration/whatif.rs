//! Committee what-ifs on the bundled scenario, run on the built binary: overrides on the command
//! line (`--set`, `--lock`, `--exclude`, `--weight`), `allot diff` between two certificates, and
//! Chinese/English output.
//!
//! * Known what-ifs must give known diffs, and every diff is also checked against the two
//!   certificates it compares (added/removed are exactly the funded sets' difference, money deltas
//!   are exact sums of the changed awards).
//! * An override must give the same certificate as the scenario file edited by hand.
//! * Goldens: `tests/golden/quzhou-2019-zh.txt` and `quzhou-2019-check-zh.txt` (the Chinese
//!   tables), `quzhou-2019-diff.txt` (a what-if diff). Re-bless with
//!   `ALLOT_BLESS=1 cargo test --release --test integration -- whatif::` and review the diff.

use crate::util::{golden, Workdir, MANIFEST_DIR};
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeSet;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A temporary folder to run in (without the locale variables) and write certificates to.
struct Work(Workdir);

impl Deref for Work {
    type Target = Workdir;
    fn deref(&self) -> &Workdir {
        &self.0
    }
}

impl Work {
    fn new() -> Work {
        Work(Workdir::new().no_locale())
    }

    /// Solves the bundled default with `extra` arguments into `file`; returns the certificate.
    fn solve(&self, file: &str, extra: &[&str]) -> Value {
        let mut args = vec!["solve", "-f", "json", "-o", file];
        args.extend_from_slice(extra);
        self.run(&args).success();
        read_json(&self.path(file))
    }

    /// As `solve`, on the bundled scenario without its floor on the intelligent round (the plain
    /// objective: `--set rounds.intelligent.min_projects=0` as a file).
    fn solve_plain(&self, file: &str, extra: &[&str]) -> Value {
        let dir = self.path("plain");
        if !dir.exists() {
            self.scenario_copy("plain", |t| {
                assert!(
                    t.contains("\nmin_projects = 5\n"),
                    "the preset's floor moved"
                );
                t.replace("\nmin_projects = 5\n", "\n")
            });
        }
        let mut args = vec!["solve", "plain", "-f", "json", "-o", file];
        args.extend_from_slice(extra);
        self.run(&args).success();
        read_json(&self.path(file))
    }

    fn diff(&self, base: &str, whatif: &str) -> Value {
        let run = self.run(&["diff", base, whatif, "-f", "json"]);
        run.success();
        serde_json::from_str(&run.stdout).expect("diff writes JSON")
    }

    /// Copies the bundled scenario folder into `name/`, with `edit` applied to scenario.toml.
    fn scenario_copy(&self, name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
        let from = Path::new(MANIFEST_DIR).join("scenarios/quzhou-2019");
        let to = self.path(name);
        std::fs::create_dir_all(&to).unwrap();
        let toml = std::fs::read_to_string(from.join("scenario.toml")).unwrap();
        std::fs::write(to.join("scenario.toml"), edit(&toml)).unwrap();
        std::fs::copy(from.join("applications.csv"), to.join("applications.csv")).unwrap();
        to
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("a JSON certificate")
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(
        v.as_str()
            .unwrap_or_else(|| panic!("{v} is not a decimal string")),
    )
    .unwrap()
}

fn ids(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let round = a.get("round").or(a.get("to")).unwrap();
            (
                a["project"].as_str().unwrap().to_string(),
                round.as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn funded(cert: &Value) -> BTreeSet<(String, String)> {
    ids(&cert["funded"]).into_iter().collect()
}

/// Checks a diff against the two certificates it compares: added and removed are exactly the
/// projects funded on one side only, money and score deltas are exact, round counts add up.
#[track_caller]
fn check_against(diff: &Value, base: &Value, whatif: &Value) {
    let projects =
        |c: &Value| -> BTreeSet<String> { funded(c).into_iter().map(|(p, _)| p).collect() };
    let (b, a) = (projects(base), projects(whatif));
    let listed =
        |key: &str| -> BTreeSet<String> { ids(&diff[key]).into_iter().map(|(p, _)| p).collect() };
    assert_eq!(listed("added"), &a - &b);
    assert_eq!(listed("removed"), &b - &a);
    let moved: BTreeSet<(String, String)> = &funded(whatif) - &funded(base);
    let moved: BTreeSet<String> = moved
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| b.contains(p))
        .collect();
    assert_eq!(listed("moved"), moved);
    for key in ["total_score", "total_subsidy"] {
        let c = &diff[key];
        assert_eq!(dec(&c["before"]), dec(&base[key]));
        assert_eq!(dec(&c["after"]), dec(&whatif[key]));
        assert_eq!(dec(&c["delta"]), dec(&whatif[key]) - dec(&base[key]));
    }
    for (i, pool) in diff["pools"].as_array().unwrap().iter().enumerate() {
        for key in ["budget", "spent", "left"] {
            assert_eq!(dec(&pool[key]["before"]), dec(&base["pools"][i][key]));
            assert_eq!(dec(&pool[key]["after"]), dec(&whatif["pools"][i][key]));
            assert_eq!(
                dec(&pool[key]["delta"]),
                dec(&pool[key]["after"]) - dec(&pool[key]["before"])
            );
        }
    }
    let rounds_after: i64 = diff["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["funded"]["after"].as_i64().unwrap())
        .sum();
    assert_eq!(
        rounds_after as usize,
        whatif["funded"].as_array().unwrap().len()
    );
}

#[test]
fn raising_the_key_pool_budget_funds_three_more_major_projects() {
    let work = Work::new();
    let base = work.solve("base.json", &[]);
    let whatif = work.solve("whatif.json", &["--set", "pools.key.budget=35000000"]);
    assert_eq!(
        whatif["overrides"],
        serde_json::json!(["--set pools.key.budget=35000000"])
    );
    assert!(base.get("overrides").is_none(), "no overrides, no key");
    let diff = work.diff("base.json", "whatif.json");
    check_against(&diff, &base, &whatif);
    assert_eq!(diff["same"], false);
    // The key pool had 82,757 left; 5,000,000 more funds three more major projects.
    assert_eq!(
        ids(&diff["added"]),
        [
            ("P005".into(), "major".into()),
            ("P062".into(), "major".into()),
            ("P150".into(), "major".into())
        ]
    );
    for key in ["removed", "moved", "subsidy_changed"] {
        assert_eq!(diff[key], serde_json::json!([]), "{key}");
    }
    let key = &diff["pools"][0];
    assert_eq!(key["id"], "key");
    assert_eq!(dec(&key["budget"]["delta"]), Decimal::from(5_000_000));
    let added_money: Decimal = diff["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| dec(&a["subsidy"]))
        .sum();
    assert_eq!(dec(&key["spent"]["delta"]), added_money);
    assert_eq!(
        dec(&key["left"]["delta"]),
        Decimal::from(5_000_000) - added_money
    );
    assert_eq!(dec(&diff["pools"][1]["spent"]["delta"]), Decimal::ZERO);
    let added_score: Decimal = diff["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| dec(&a["score"]))
        .sum();
    assert_eq!(dec(&diff["total_score"]["delta"]), added_score);
    assert_eq!(diff["rounds"][1]["id"], "major");
    assert_eq!(diff["rounds"][1]["funded"]["delta"], 3);
    assert_eq!(diff["whatif"]["overrides"], whatif["overrides"]);
    assert_eq!(diff["base"]["overrides"], serde_json::json!([]));
    // A table computed under overrides says so first.
    let table = work.run(&[
        "solve",
        "--lang",
        "en",
        "--set",
        "pools.key.budget=35000000",
    ]);
    assert!(table
        .stdout
        .starts_with("what-if: --set pools.key.budget=35000000\n"));
    let plain = work.run(&["solve", "--lang", "en"]).stdout;
    assert!(!plain.contains("what-if"));
    // The diff table says the same as its JSON, and is stable.
    let table = work.run(&["diff", "base.json", "whatif.json", "--lang", "en"]);
    table.success();
    golden("quzhou-2019-diff.txt", &table.stdout);
    // In Chinese, the status too.
    let zh = work.run(&["diff", "base.json", "whatif.json", "--lang", "zh"]);
    zh.success();
    assert!(zh.stdout.contains("（最优）"), "{}", zh.stdout);
    assert!(!zh.stdout.contains("optimal"), "{}", zh.stdout);
}

#[test]
fn excluding_a_funded_project_lets_the_next_one_in() {
    let work = Work::new();
    let base = work.solve_plain("base.json", &[]);
    let whatif = work.solve_plain("whatif.json", &["--exclude", "P082"]);
    let diff = work.diff("base.json", "whatif.json");
    check_against(&diff, &base, &whatif);
    // P082 held 3,000,000 of the key pool in major; P124, next in line at 3,000,000, takes it.
    assert_eq!(ids(&diff["removed"]), [("P082".into(), "major".into())]);
    assert_eq!(ids(&diff["added"]), [("P124".into(), "major".into())]);
    assert_eq!(dec(&diff["total_subsidy"]["delta"]), Decimal::ZERO);
    let p082 = whatif["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "P082")
        .unwrap();
    assert!(p082["reasons"]
        .as_array()
        .unwrap()
        .contains(&Value::from("major: excluded by the committee")));
}

#[test]
fn a_lock_moves_a_project_between_rounds() {
    let work = Work::new();
    let base = work.solve_plain("base.json", &[]);
    let whatif = work.solve_plain("whatif.json", &["--lock", "P082:intelligent"]);
    let diff = work.diff("base.json", "whatif.json");
    check_against(&diff, &base, &whatif);
    let moved = &diff["moved"][0];
    assert_eq!(
        (&moved["project"], &moved["from"], &moved["to"]),
        (
            &Value::from("P082"),
            &Value::from("major"),
            &Value::from("intelligent")
        )
    );
    assert_eq!(dec(&moved["subsidy"]["delta"]), Decimal::from(2_000_000));
    let locked = whatif["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["project"] == "P082" && c["round"] == "intelligent")
        .unwrap();
    assert_eq!(locked["locked"], "in");
    // A project that entered one round is locked there without naming the round.
    assert!(!funded(&base).contains(&("P003".to_string(), "upgrade".to_string())));
    let single = work.solve_plain("single.json", &["--lock", "P003"]);
    assert!(funded(&single).contains(&("P003".to_string(), "upgrade".to_string())));
    assert_eq!(single["overrides"], serde_json::json!(["--lock P003"]));
}

#[test]
fn a_result_compared_with_itself_is_no_change() {
    let work = Work::new();
    let base = work.solve("base.json", &[]);
    let diff = work.diff("base.json", "base.json");
    check_against(&diff, &base, &base);
    assert_eq!(diff["same"], true);
    for key in ["added", "removed", "moved", "subsidy_changed"] {
        assert_eq!(diff[key], serde_json::json!([]), "{key}");
    }
    for pool in diff["pools"].as_array().unwrap() {
        assert_eq!(dec(&pool["spent"]["delta"]), Decimal::ZERO);
    }
    let table = work.run(&["diff", "base.json", "base.json", "--lang", "en"]);
    table.success();
    assert!(
        table.stdout.ends_with("\n\nno change\n"),
        "{}",
        table.stdout
    );
    let zh = work.run(&["diff", "base.json", "base.json", "--lang", "zh"]);
    assert!(zh.stdout.ends_with("\n\n无变化\n"), "{}", zh.stdout);
}

/// The certificate without its `overrides` record and audit `manifest`.
fn result(mut cert: Value) -> Value {
    cert.as_object_mut().unwrap().remove("overrides");
    // The audit manifest records the what-ifs and the input files' hashes, which differ too.
    cert.as_object_mut().unwrap().remove("manifest");
    cert
}

/// Two certificates are the same result (whatever overrides they record).
#[track_caller]
fn same_result(a: Value, b: Value) {
    let (a, b) = (result(a), result(b));
    if a != b {
        let key = a
            .as_object()
            .unwrap()
            .keys()
            .find(|k| a[k.as_str()] != b[k.as_str()])
            .cloned();
        panic!("the certificates differ first in {key:?}");
    }
}

#[test]
fn set_gives_the_result_of_the_edited_file_and_leaves_the_file_alone() {
    let work = Work::new();
    let edited = work.scenario_copy("edited", |t| {
        t.replacen(
            "max_projects = 20                                   # POLICY: 不超过 20 个",
            "max_projects = 15",
            1,
        )
    });
    let original = work.scenario_copy("original", str::to_string);
    let before = std::fs::read(original.join("scenario.toml")).unwrap();
    let by_hand = work.solve("by_hand.json", &[edited.to_str().unwrap()]);
    let by_flag = work.solve(
        "by_flag.json",
        &["original", "--set", "rounds.major.max_projects=15"],
    );
    assert_eq!(
        std::fs::read(original.join("scenario.toml")).unwrap(),
        before
    );
    assert_eq!(by_hand["rounds"][1]["max_projects"], 15);
    same_result(by_flag, by_hand);
    // Money as a string with a unit-free amount, a rate, and a new key all work the same way.
    let cert = work.solve(
        "rate.json",
        &[
            "--set",
            "rounds.upgrade.subsidy.rate=\"0.08\"",
            "--set",
            "pools.upgrade.budget=\"12000000\"",
            "--set",
            "committee.enterprise_limit=1",
        ],
    );
    assert_eq!(cert["pools"][1]["budget"], "12000000");
    assert_eq!(cert["enterprise_limit"], 1);
    assert_eq!(cert["overrides"].as_array().unwrap().len(), 3);
}

#[test]
fn weight_override_takes_its_share_and_rescales_the_others_exactly() {
    let work = Work::new();
    // tech 0.35 → 0.5: the other weights (0.30, 0.15, 0.20) share the remaining 0.5 in proportion.
    let by_flag = work.solve("flag.json", &["--weight", "tech=0.5"]);
    let w = &by_flag["weights"];
    assert_eq!(dec(&w["tech"]), Decimal::new(5, 1));
    assert_eq!(dec(&w["benefit"]), dec(&w["jobs"]) * Decimal::TWO);
    let total: Decimal = ["tech", "benefit", "jobs", "smart"]
        .iter()
        .map(|k| dec(&w[k]))
        .sum();
    assert_eq!(total, Decimal::ONE);
    // The same as writing tech 0.5 and the others × 0.5 / 0.65 by hand (here scaled by 0.65).
    let copy = work.scenario_copy("hand", |t| {
        // jobs first, so that benefit's new 0.15 is not taken for jobs' old one
        t.replacen("weight = \"0.15\"", "weight = \"0.075\"", 1)
            .replacen("weight = \"0.35\"", "weight = \"0.325\"", 1)
            .replacen("weight = \"0.30\"", "weight = \"0.15\"", 1)
            .replacen("weight = \"0.20\"", "weight = \"0.1\"", 1)
    });
    let by_hand = work.solve("hand.json", &[copy.to_str().unwrap()]);
    same_result(by_flag, by_hand);
}

#[test]
fn bad_overrides_name_the_key_and_write_nothing() {
    let work = Work::new();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["--set", "pools.keyy.budget=1"],
            &[
                "--set pools.keyy.budget: ",
                "no entry \"keyy\"",
                "key, upgrade",
            ],
        ),
        (
            &["--set", "pools.key.budgett=1"],
            &["--set pools.key.budgett: ", "unknown field `budgett`"],
        ),
        (
            &["--set", "pools.key.budget=1.5"],
            &["--set pools.key.budget: ", "floating-point"],
        ),
        (
            &["--set", "pools.key.budget=-5"],
            &["--set pools.key.budget: ", "negative"],
        ),
        (
            &["--set", "rounds.major.subsidy.rate=2"],
            &["--set rounds.major.subsidy.rate: ", "out of range"],
        ),
        (
            &["--set", "rounds.major.max_projects=many"],
            &["--set rounds.major.max_projects: ", "\"many\""],
        ),
        (
            &["--set", "scoring.criteria.tech.weight=-1"],
            &["--set scoring.criteria.tech.weight: ", "negative"],
        ),
        (
            &["--set", "pools.key.budget"],
            &["--set pools.key.budget: expected KEY=VALUE"],
        ),
        (
            &["--lock", "P999:major"],
            &["--lock P999:major: ", "\"P999\" is not a project"],
        ),
        (
            &["--lock", "P082"],
            &["--lock P082: ", "several rounds (intelligent, major)"],
        ),
        (
            &["--lock", "P082:upgrade"],
            &["--lock P082:upgrade: ", "did not apply to round upgrade"],
        ),
        (
            &["--exclude", "P999"],
            &["--exclude P999: ", "not a project"],
        ),
        (
            &["--weight", "tech=1"],
            &["--weight tech=1: ", "below the total of the weights, 1"],
        ),
        (
            &["--weight", "tech=-0.1"],
            &["--weight tech=-0.1: ", "negative"],
        ),
        (
            &["--weight", "speed=0.1"],
            &["--weight speed=0.1: ", "not a criterion"],
        ),
    ];
    for (flags, parts) in cases {
        let mut args = vec!["solve", "-o", "out.json"];
        args.extend_from_slice(flags);
        work.run(&args).bad_input(parts);
        let mut args = vec!["check"];
        args.extend_from_slice(flags);
        // `check` reads the same overrides (locks and exclusions are checked by name too).
        work.run(&args).bad_input(&parts[..1]);
        assert!(
            !work.path("out.json").exists(),
            "{flags:?} left an output file"
        );
    }
}

#[test]
fn diff_refuses_what_is_not_a_certificate() {
    let work = Work::new();
    work.solve("base.json", &[]);
    std::fs::write(work.path("broken.json"), "{\"scenario\": ").unwrap();
    let check = work.run(&["check", "-f", "json"]);
    std::fs::write(work.path("check.json"), &check.stdout).unwrap();
    let mut cert = read_json(&work.path("base.json"));
    cert.as_object_mut().unwrap().remove("funded");
    std::fs::write(work.path("partial.json"), cert.to_string()).unwrap();
    work.run(&["diff", "base.json", "missing.json"])
        .bad_input(&["missing.json: no such file"]);
    work.run(&["diff", "broken.json", "base.json"])
        .bad_input(&["broken.json: line 1", "not JSON"]);
    work.run(&["diff", "base.json", "check.json"])
        .bad_input(&["check.json: not a solve certificate"]);
    work.run(&["diff", "partial.json", "base.json", "-o", "out.txt"])
        .bad_input(&["partial.json: not a solve certificate: missing field `funded`"]);
    assert!(!work.path("out.txt").exists());
}

#[test]
fn lang_chooses_the_tables_language_and_leaves_json_english() {
    let work = Work::new();
    // The bundled scenario says lang = "zh": the default table is Chinese.
    let default = work.run(&["solve"]);
    default.success();
    assert_eq!(default.stdout, work.run(&["solve", "--lang", "zh"]).stdout);
    golden("quzhou-2019-zh.txt", &default.stdout);
    let check = work.run(&["check", "--lang", "zh"]);
    check.success();
    golden("quzhou-2019-check-zh.txt", &check.stdout);
    // JSON does not change with the language.
    for command in ["solve", "check"] {
        let en = work.run(&[command, "-f", "json", "--lang", "en"]);
        let zh = work.run(&[command, "-f", "json", "--lang", "zh"]);
        assert_eq!(en.stdout, zh.stdout, "{command} -f json");
    }
    // CSV keeps its English headers; the reasons follow the language.
    let csv = work.run(&["solve", "-f", "csv", "--lang", "zh"]);
    assert!(csv
        .stdout
        .starts_with("project,name,enterprise,status,round,subsidy,score,rank,reasons\n"));
    assert!(csv.stdout.contains("资金不足"), "{}", csv.stdout);
    assert!(!csv.stdout.contains("pool money"));
    let bad = work.run(&["solve", "--lang", "fr"]);
    assert_eq!(bad.code, 2);
}
