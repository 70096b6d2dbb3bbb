//! The audit export re-solved by HiGHS itself: every LP and MPS file `allot export` writes is read
//! back with `Highs_readModel`, solved to a zero gap, and must give `allot solve`'s total score
//! exactly (in units of 10⁻⁴ points); the LP solution, mapped back to candidates by its readable
//! column names, must pass allot's exact verification with that score. Scenarios: the bundled
//! default, the commerce example, generated rounds of 150–1,000 applications, and random small
//! rounds that exercise every kind of row (pro-rata pools, fen amounts, group limits, the
//! enterprise limit, locks, exclusions, requires/excludes, Chinese and colliding ids).

use crate::util::{Run, MANIFEST_DIR};
use allot::rules::{evaluate, Evaluation};
use allot::scenario::{from_toml_str, Scenario};
use allot::solve::{export, solve, verify, Options, Portfolio};
use allot::Error;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::ffi::{CStr, CString};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

// ---------------------------------------------------------------------------------------------
// HiGHS, through its C API: read a file, solve, read the answer back by column name
// ---------------------------------------------------------------------------------------------

/// What HiGHS made of a model file.
struct Solved {
    /// `kHighsModelStatus…`.
    status: i32,
    objective: f64,
    /// Column name → value.
    values: BTreeMap<String, f64>,
}

impl Solved {
    fn optimal(&self) -> bool {
        self.status == highs_sys::kHighsModelStatusOptimal
    }

    /// The objective in integer units of 10⁻⁴ points, checked to be one.
    #[track_caller]
    fn units(&self) -> i64 {
        let units = self.objective * 1e4;
        assert!(
            (units - units.round()).abs() < 1e-3,
            "objective {} is not a multiple of 0.0001",
            self.objective
        );
        units.round() as i64
    }
}

/// Reads `path` with HiGHS, solves it to a zero relative gap on one thread, returns the answer.
fn highs(path: &Path) -> Solved {
    let file = CString::new(path.to_str().expect("a UTF-8 path")).expect("no NUL in the path");
    // SAFETY: one HiGHS instance, created and destroyed here; option names are NUL-terminated
    // literals, and each name buffer has the documented length kHighsMaximumStringLength.
    unsafe {
        let h = highs_sys::Highs_create();
        highs_sys::Highs_setBoolOptionValue(h, c"output_flag".as_ptr(), 0);
        highs_sys::Highs_setIntOptionValue(h, c"threads".as_ptr(), 1);
        highs_sys::Highs_setDoubleOptionValue(h, c"mip_rel_gap".as_ptr(), 0.0);
        highs_sys::Highs_setDoubleOptionValue(h, c"mip_abs_gap".as_ptr(), 1e-6);
        highs_sys::Highs_setDoubleOptionValue(h, c"time_limit".as_ptr(), 300.0);
        let read = highs_sys::Highs_readModel(h, file.as_ptr());
        assert_eq!(
            read,
            highs_sys::kHighsStatusOk,
            "HiGHS could not read {}",
            path.display()
        );
        highs_sys::Highs_run(h);
        let status = highs_sys::Highs_getModelStatus(h);
        let objective = highs_sys::Highs_getObjectiveValue(h);
        let n = highs_sys::Highs_getNumCol(h) as usize;
        let m = highs_sys::Highs_getNumRow(h) as usize;
        let mut values = BTreeMap::new();
        if status == highs_sys::kHighsModelStatusOptimal {
            let mut col = vec![0.0; n];
            let (mut cd, mut rv, mut rd) = (vec![0.0; n], vec![0.0; m], vec![0.0; m]);
            highs_sys::Highs_getSolution(
                h,
                col.as_mut_ptr(),
                cd.as_mut_ptr(),
                rv.as_mut_ptr(),
                rd.as_mut_ptr(),
            );
            for (i, v) in col.into_iter().enumerate() {
                let mut buf = vec![0u8; highs_sys::kHighsMaximumStringLength as usize];
                highs_sys::Highs_getColName(h, i as _, buf.as_mut_ptr().cast());
                let name = CStr::from_bytes_until_nul(&buf)
                    .expect("a NUL-terminated name")
                    .to_string_lossy()
                    .into_owned();
                values.insert(name, v);
            }
        }
        highs_sys::Highs_destroy(h);
        Solved {
            status,
            objective,
            values,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A score as integer units of 10⁻⁴ points.
fn units(score: Decimal) -> i64 {
    let u = score * Decimal::from(10_000);
    assert!(u.fract().is_zero(), "{score} has more than 4 decimals");
    u.to_i64().expect("fits in i64")
}

/// Runs the binary; panics unless it exits with `code`.
#[track_caller]
fn run(args: &[&str], code: i32) -> (String, String) {
    let outcome = Run::new(args).go();
    outcome.code(code);
    (outcome.stdout, outcome.stderr)
}

/// The total score `allot solve -f json` reports.
fn solved_total(scenario: &[&str]) -> Decimal {
    let mut args = vec!["solve"];
    args.extend(scenario);
    args.extend(["-f", "json"]);
    let (json, _) = run(&args, 0);
    let cert: serde_json::Value = serde_json::from_str(&json).expect("a JSON certificate");
    Decimal::from_str(cert["total_score"].as_str().expect("total_score")).expect("a decimal")
}

/// The library's side of a scenario the binary reads.
fn load(scenario: &[&str]) -> (Scenario, Evaluation) {
    let s = match scenario.first() {
        Some(p) => allot::scenario::load(Path::new(p)),
        None => allot::scenario::load_default(),
    }
    .expect("a valid scenario");
    let e = evaluate(&s);
    (s, e)
}

/// The portfolio HiGHS's LP solution funds, mapped back by column name; it must use the
/// model's names only and pass exact verification.
#[track_caller]
fn portfolio_of(
    solved: &Solved,
    model: &export::Model,
    scenario: &Scenario,
    evaluation: &Evaluation,
) -> Portfolio {
    let names: Vec<&String> = solved.values.keys().collect();
    let mut expected: Vec<&String> = model.columns.iter().map(|c| &c.name).collect();
    expected.sort();
    assert_eq!(names, expected, "HiGHS's columns are the model's columns");
    let funded: Vec<usize> = solved
        .values
        .iter()
        .filter(|(_, &v)| v > 0.5)
        .map(|(name, _)| model.candidate(name).expect("a column of the model"))
        .collect();
    let portfolio = Portfolio::new(scenario, evaluation, funded);
    if let Err(why) = verify(scenario, evaluation, &portfolio) {
        panic!("HiGHS's solution of the exported model fails verification: {why}");
    }
    portfolio
}

/// Exports a scenario with the binary (both formats), re-solves both files with HiGHS and checks
/// them against `allot solve`; returns the LP text.
fn audit(scenario: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let lp = dir.path().join("model.lp");
    let mps = dir.path().join("model.mps");
    let mut args = vec!["export"];
    args.extend(scenario);
    args.extend(["--lp", lp.to_str().unwrap(), "--mps", mps.to_str().unwrap()]);
    run(&args, 0);
    let total = units(solved_total(scenario));
    let (s, e) = load(scenario);
    let model = export::model(&s, &e).expect("an exportable scenario");
    let text = std::fs::read_to_string(&lp).expect("the LP file");
    assert_eq!(text, model.lp(), "the binary writes the library's model");
    assert_eq!(std::fs::read_to_string(&mps).unwrap(), model.mps());

    let from_lp = highs(&lp);
    assert!(from_lp.optimal(), "LP file: status {}", from_lp.status);
    assert_eq!(from_lp.units(), total, "LP file optimum vs allot solve");
    let from_mps = highs(&mps);
    assert!(from_mps.optimal(), "MPS file: status {}", from_mps.status);
    assert_eq!(-from_mps.units(), total, "MPS file optimum vs allot solve");
    let portfolio = portfolio_of(&from_lp, &model, &s, &e);
    assert_eq!(units(portfolio.total_score), total);
    text
}

// ---------------------------------------------------------------------------------------------
// Bundled and generated scenarios
// ---------------------------------------------------------------------------------------------

#[test]
fn default_scenario_re_solves_to_the_same_total() {
    let lp = audit(&[]);
    // Readable names: project and round ids, pool and round rows.
    for name in [
        "x_P082_intelligent",
        "pool_key:",
        "pool_upgrade:",
        "size_major:",
        "one_award_P082:",
    ] {
        assert!(lp.contains(name), "the LP file lacks {name}");
    }
    // Industries are Chinese: the group rows fall back to positions, listed in the header.
    assert!(lp.contains("\\   group_intelligent_industry_1 = round \"intelligent\", industry"));
    assert!(lp.contains("group_intelligent_industry_1:"));
}

#[test]
fn commerce_example_re_solves_to_the_same_total() {
    let dir = format!("{MANIFEST_DIR}/scenarios/commerce-2019");
    let lp = audit(&[&dir]);
    // The pro-rata pool may commit budget / 0.9 = 722,222.22… yuan of whole-yuan amounts.
    assert!(lp.contains("<= 722222\n"), "{lp}");
    assert!(lp.contains("enterprise_1:"), "{lp}");
}

fn generated(n: usize, seed: u64, scale: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("round");
    allot::generate::write(&path, n, seed, scale).expect("a generated scenario");
    (dir, path)
}

#[test]
fn generated_rounds_re_solve_to_the_same_total() {
    for (n, seed, scale) in [
        (150, 1, true),
        (150, 7, false),
        (300, 2, true),
        (300, 3, false),
        (1000, 4, false),
    ] {
        let (_keep, path) = generated(n, seed, scale);
        audit(&[path.to_str().unwrap()]);
    }
}

#[test]
fn a_scaled_round_of_1000_re_solves_to_the_same_total() {
    let (_keep, path) = generated(1000, 5, true);
    audit(&[path.to_str().unwrap()]);
}

// ---------------------------------------------------------------------------------------------
// Random small rounds with every kind of row
// ---------------------------------------------------------------------------------------------

/// A random round: two pools (the second sometimes pro rata), three rounds (group limits by
/// industry and by an extra attribute, a round rounding to the fen, a qualifying score), projects
/// with Chinese, hyphenated and colliding ids, and sometimes an enterprise limit, a lock, an
/// exclusion and dependencies.
fn random_scenario(seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut t = String::from("[scenario]\nname = \"random\"\n");
    let _ = writeln!(
        t,
        "[[pools]]\nid = \"主\"\nbudget = \"{}\"",
        rng.gen_range(1500..6000)
    );
    let _ = writeln!(
        t,
        "[[pools]]\nid = \"second\"\nbudget = \"{}.5\"",
        rng.gen_range(800..4000)
    );
    if rng.gen_bool(0.5) {
        let floor = ["0.3", "0.75", "0.9", "0.8"][rng.gen_range(0..4)];
        let _ = writeln!(t, "pro_rata_floor = \"{floor}\"");
    }
    // A floor on round "a" now and then: at least one project, or at least an amount.
    let floor = match rng.gen_range(0..6) {
        0 => "min_projects = 1\n".to_string(),
        1 => format!("min_amount = \"{}\"\n", rng.gen_range(100..2500)),
        _ => String::new(),
    };
    let _ = writeln!(
        t,
        "[[rounds]]\nid = \"a\"\npool = \"主\"\nmax_projects = {}\n{floor}group_limits = [{{ attribute = \"industry\", max = {} }}]\n[rounds.subsidy]\nrate = \"0.1\"\ncap = \"1500\"",
        rng.gen_range(1..5),
        rng.gen_range(1..3)
    );
    let _ = writeln!(
        t,
        "[[rounds]]\nid = \"b-2\"\npool = \"主\"\nmax_projects = {}\n[rounds.subsidy]\nrate = \"0.13\"\nrounding = \"fen\"",
        rng.gen_range(1..6)
    );
    let _ = writeln!(
        t,
        "[[rounds]]\nid = \"c\"\npool = \"second\"\nmax_projects = {}\ngroup_limits = [{{ attribute = \"段\", max = 1 }}]\n[rounds.eligibility]\nmin_score = \"{}\"\n[rounds.subsidy]\nfixed = \"{}\"",
        rng.gen_range(1..5),
        rng.gen_range(10..50),
        rng.gen_range(200..900)
    );
    t.push_str("[scoring]\ncriteria = [{ id = \"q\", weight = \"1\" }]\n[committee]\n");
    let n: usize = rng.gen_range(4..16);
    let ids: Vec<String> = (0..n)
        .map(|i| match i % 5 {
            0 => format!("项目{i}"),
            1 => format!("P-{i}"),
            2 => format!("P_{}", i - 1),
            _ => format!("P{i:02}"),
        })
        .collect();
    let rounds = ["a", "b-2", "c"];
    let applied: Vec<Vec<&str>> = (0..n)
        .map(|_| {
            let first = rng.gen_range(0..3);
            let mut r = vec![rounds[first]];
            if rng.gen_bool(0.4) {
                r.push(rounds[(first + rng.gen_range(1..3)) % 3]);
            }
            r
        })
        .collect();
    if rng.gen_bool(0.6) {
        let _ = writeln!(t, "enterprise_limit = {}", rng.gen_range(1..3));
    }
    if rng.gen_bool(0.4) {
        let p = rng.gen_range(0..n);
        let _ = writeln!(
            t,
            "must_fund = [{{ project = \"{}\", round = \"{}\" }}]",
            ids[p], applied[p][0]
        );
    }
    if rng.gen_bool(0.3) {
        let _ = writeln!(t, "exclude = [\"{}\"]", ids[rng.gen_range(0..n)]);
    }
    let mut dependencies = Vec::new();
    for _ in 0..rng.gen_range(0..3) {
        let (a, b) = (rng.gen_range(0..n), rng.gen_range(0..n));
        if a != b {
            let kind = if rng.gen_bool(0.5) {
                "requires"
            } else {
                "excludes"
            };
            dependencies.push(format!(
                "{{ kind = \"{kind}\", project = \"{}\", other = \"{}\" }}",
                ids[a], ids[b]
            ));
        }
    }
    if !dependencies.is_empty() {
        let _ = writeln!(t, "dependencies = [{}]", dependencies.join(", "));
    }
    t.push_str("[applications]\nunit = \"yuan\"\n");
    let industries = ["智能装备", "新材料", "digital"];
    let segments = ["商贸", "外经贸", "电商"];
    let enterprises = ["企业甲", "企业乙", "企业丙", "Firm D"];
    for (i, id) in ids.iter().enumerate() {
        let rounds: Vec<String> = applied[i].iter().map(|r| format!("\"{r}\"")).collect();
        let _ = writeln!(
            t,
            "[[applications.projects]]\nid = \"{id}\"\nindustry = \"{}\"\nenterprise = \"{}\"\nrounds = [{}]\nequipment = \"{}.{:02}\"\nscores = {{ q = \"{}.{}\" }}\nattributes = {{ \"段\" = \"{}\" }}",
            industries[rng.gen_range(0..3)],
            enterprises[rng.gen_range(0..4)],
            rounds.join(", "),
            rng.gen_range(1000..20000),
            rng.gen_range(0..100),
            rng.gen_range(0..100),
            ["0", "25", "5"][rng.gen_range(0..3)],
            segments[rng.gen_range(0..3)],
        );
    }
    t
}

#[test]
fn random_rounds_with_every_row_kind_re_solve_to_the_same_total() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (lp, mps) = (dir.path().join("m.lp"), dir.path().join("m.mps"));
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut solved, mut infeasible) = (0, 0);
    for seed in 0..60 {
        let text = random_scenario(seed);
        let s = from_toml_str(&text, "random.toml")
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        let e = evaluate(&s);
        let outcome = solve(&s, &e, &Options::default());
        let model = match export::model(&s, &e) {
            Ok(m) => m,
            Err(Error::Infeasible(_)) => {
                // Only a lock on an ineligible pair, which solve rejects too.
                assert!(
                    matches!(outcome, Err(Error::Infeasible(_))),
                    "seed {seed}: export refused a scenario solve accepts"
                );
                infeasible += 1;
                continue;
            }
            Err(other) => panic!("seed {seed}: {other}"),
        };
        for row in &model.rows {
            let kind = row.name.split('_').next().unwrap_or("");
            let kind = if kind == "one" { "one_award" } else { kind };
            *kinds
                .entry(
                    [
                        "pool",
                        "size",
                        "group",
                        "one_award",
                        "lock",
                        "exclude",
                        "requires",
                        "excludes",
                        "enterprise",
                        "min",
                    ]
                    .into_iter()
                    .find(|k| *k == kind)
                    .unwrap_or_else(|| panic!("unexpected row name {}", row.name)),
                )
                .or_default() += 1;
        }
        std::fs::write(&lp, model.lp()).unwrap();
        std::fs::write(&mps, model.mps()).unwrap();
        let (from_lp, from_mps) = (highs(&lp), highs(&mps));
        match outcome {
            Ok(outcome) => {
                let total = units(outcome.portfolio.total_score);
                assert!(
                    from_lp.optimal(),
                    "seed {seed}: LP status {}",
                    from_lp.status
                );
                assert!(
                    from_mps.optimal(),
                    "seed {seed}: MPS status {}",
                    from_mps.status
                );
                assert_eq!(from_lp.units(), total, "seed {seed}: LP\n{}", model.lp());
                assert_eq!(
                    -from_mps.units(),
                    total,
                    "seed {seed}: MPS\n{}",
                    model.mps()
                );
                let portfolio = portfolio_of(&from_lp, &model, &s, &e);
                assert_eq!(units(portfolio.total_score), total, "seed {seed}");
                solved += 1;
            }
            Err(Error::Infeasible(why)) => {
                for (format, answer) in [("LP", &from_lp), ("MPS", &from_mps)] {
                    assert_eq!(
                        answer.status,
                        highs_sys::kHighsModelStatusInfeasible,
                        "seed {seed}: solve says infeasible ({why}) but HiGHS on the {format} file says {}",
                        answer.status
                    );
                }
                infeasible += 1;
            }
            Err(other) => panic!("seed {seed}: {other}"),
        }
    }
    // The random rounds reach every kind of row, and both outcomes.
    assert_eq!(kinds.len(), 10, "row kinds met: {kinds:?}");
    assert!(
        solved >= 30 && infeasible >= 1,
        "{solved} solved, {infeasible} infeasible"
    );
}

// ---------------------------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------------------------

#[test]
fn export_needs_a_file_and_writes_the_same_bytes_twice() {
    let (_, stderr) = run(&["export"], 2);
    assert!(stderr.contains("--lp"), "{stderr}");
    let (first, _) = run(&["export", "--lp", "-"], 0);
    let (second, _) = run(&["export", "--lp", "-"], 0);
    assert_eq!(first, second);
    assert!(first.starts_with("\\ allot audit export of scenario"));
    assert!(first.ends_with("End\n"));
    let (_, stderr) = run(&["export", "--lp", "/nonexistent/folder/m.lp"], 1);
    assert!(
        stderr.starts_with("allot: /nonexistent/folder/m.lp: cannot write"),
        "{stderr}"
    );
    let (mps, _) = run(&["export", "--mps", "-"], 0);
    assert!(mps.contains("\nNAME allot\nROWS\n N  minus_score\n"));
    assert!(mps.ends_with("ENDATA\n"));
}

/// tests/fixtures/locks.toml with a `[committee]` table, in a temporary folder.
fn locks_with(committee: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let fixture = std::fs::read_to_string(format!("{MANIFEST_DIR}/tests/fixtures/locks.toml"))
        .expect("the locks fixture");
    let text = fixture.replace(
        "[applications]",
        &format!("[committee]\n{committee}\n\n[applications]"),
    );
    let scenario = dir.path().join("s.toml");
    std::fs::write(&scenario, text).expect("a scenario file");
    (dir, scenario)
}

#[test]
fn export_of_a_lock_on_an_ineligible_pair_fails_without_a_file() {
    // P7 is outside the round's jurisdictions.
    let (dir, scenario) = locks_with("must_fund = [{ project = \"P7\", round = \"r5\" }]");
    let lp = dir.path().join("m.lp");
    let (stdout, stderr) = run(
        &[
            "export",
            scenario.to_str().unwrap(),
            "--lp",
            lp.to_str().unwrap(),
        ],
        3,
    );
    assert!(stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("allot: infeasible: ") && stderr.contains("P7"),
        "{stderr}"
    );
    assert!(!lp.exists());
}

#[test]
fn locks_fixture_exports_locks_and_re_solves() {
    let (_keep, scenario) = locks_with(
        "must_fund = [{ project = \"P1\", round = \"r5\" }]\nexclude = [\"P6\"]\n\
         dependencies = [{ kind = \"requires\", project = \"P5\", other = \"P2\" }]",
    );
    let lp = audit(&[scenario.to_str().unwrap()]);
    for row in [
        " lock_P1_r5: x_P1_r5 = 1\n",
        " exclude_P6: x_P6_r5 = 0\n",
        " requires_P5_P2: x_P5_r5 - x_P2_r5 <= 0\n",
    ] {
        assert!(lp.contains(row), "the LP file lacks {row:?}:\n{lp}");
    }
}

#[test]
fn pro_rata_fixture_exports_budget_over_floor() {
    let fixture = format!("{MANIFEST_DIR}/tests/fixtures/pro_rata.toml");
    let lp = audit(&[&fixture]);
    // 1,000,000 / 0.8 = 1,250,000 yuan of rule amounts.
    assert!(lp.contains("x_P6_r5 <= 1250000\n"), "{lp}");
}
