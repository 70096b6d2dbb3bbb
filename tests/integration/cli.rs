//! Integration tests of the `allot` binary: the commands, formats, exit codes and error messages a
//! planner meets, run on the built executable.
//!
//! * Fixtures live in `tests/fixtures/`; bad inputs are made from them by one edit each, in a
//!   temporary working folder ([`Workdir`]).
//! * `tests/golden/quzhou-2019.*` hold the bundled scenario's certificate, table, CSV and check
//!   output. After an intended change of the output, rewrite them with
//!   `ALLOT_BLESS=1 cargo test --release --test integration -- cli::` and review the diff.
//! * Every JSON certificate the tests produce is re-checked from the JSON alone ([`Cert`]): each
//!   funded pair is a candidate, one award per project, round sizes, group limits, locks,
//!   dependencies, pool budgets in exact decimals, totals, scores, standings; small certificates are
//!   also solved by brute force, tie-break included.

use crate::util::{allot, edit, fixture, golden, Outcome, Workdir, MANIFEST_DIR};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

/// The `csv` fixture copied into a workdir with `applications.csv` replaced.
fn csv_workdir(applications: impl AsRef<[u8]>) -> Workdir {
    let work = Workdir::new();
    work.write("scenario.toml", fixture("csv/scenario.toml"))
        .write("applications.csv", applications);
    work
}

// ---------------------------------------------------------------------------------------------
// Re-checking a certificate from the JSON alone
// ---------------------------------------------------------------------------------------------

#[track_caller]
fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key:?} is not a string in {v}"))
}

/// A decimal written as a JSON string (money and scores never travel as floats).
#[track_caller]
fn dec(v: &Value, key: &str) -> Decimal {
    let t = text(v, key);
    Decimal::from_str(t).unwrap_or_else(|e| panic!("{key:?} = {t:?} is not a decimal: {e}"))
}

#[track_caller]
fn opt_dec(v: &Value, key: &str) -> Option<Decimal> {
    (!v[key].is_null()).then(|| dec(v, key))
}

#[track_caller]
fn count(v: &Value, key: &str) -> usize {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key:?} is not a count in {v}")) as usize
}

#[track_caller]
fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key:?} is not a list in {v}"))
}

struct CertPool {
    id: String,
    budget: Decimal,
    spent: Decimal,
    left: Decimal,
    floor: Option<Decimal>,
    scale: Option<Decimal>,
}

struct CertRound {
    id: String,
    pool: String,
    max: usize,
    limits: Vec<(String, usize)>,
}

struct CertCandidate {
    project: String,
    round: String,
    score: Decimal,
    subsidy: Decimal,
    criteria: BTreeMap<String, Decimal>,
    bonus: Decimal,
    groups: BTreeMap<String, String>,
    enterprise: String,
    locked: Option<String>,
}

struct Award {
    candidate: usize,
    subsidy: Decimal,
}

/// A certificate as read back from JSON, with the constraints it states.
struct Cert {
    status: String,
    total_score: Decimal,
    total_subsidy: Decimal,
    score_decimals: u32,
    pools: Vec<CertPool>,
    rounds: Vec<CertRound>,
    weights: BTreeMap<String, Decimal>,
    candidates: Vec<CertCandidate>,
    enterprise_limit: Option<usize>,
    dependencies: Vec<(String, String, String)>,
    funded: Vec<Award>,
    baseline: Option<(Decimal, Decimal, Vec<Award>)>,
    projects: Vec<Value>,
}

impl Cert {
    #[track_caller]
    fn parse(v: &Value) -> Cert {
        let pools = list(v, "pools")
            .iter()
            .map(|p| CertPool {
                id: text(p, "id").to_string(),
                budget: dec(p, "budget"),
                spent: dec(p, "spent"),
                left: dec(p, "left"),
                floor: opt_dec(p, "pro_rata_floor"),
                scale: opt_dec(p, "scale"),
            })
            .collect();
        let rounds = list(v, "rounds")
            .iter()
            .map(|r| CertRound {
                id: text(r, "id").to_string(),
                pool: text(r, "pool").to_string(),
                max: count(r, "max_projects"),
                limits: list(r, "group_limits")
                    .iter()
                    .map(|g| (text(g, "attribute").to_string(), count(g, "max")))
                    .collect(),
            })
            .collect();
        let weights = v["weights"]
            .as_object()
            .expect("weights is an object")
            .keys()
            .map(|k| (k.clone(), dec(&v["weights"], k)))
            .collect();
        let candidates: Vec<CertCandidate> = list(v, "candidates")
            .iter()
            .map(|c| CertCandidate {
                project: text(c, "project").to_string(),
                round: text(c, "round").to_string(),
                score: dec(c, "score"),
                subsidy: dec(c, "subsidy"),
                criteria: c["criteria"]
                    .as_object()
                    .expect("criteria is an object")
                    .keys()
                    .map(|k| (k.clone(), dec(&c["criteria"], k)))
                    .collect(),
                bonus: dec(c, "bonus"),
                groups: c["groups"]
                    .as_object()
                    .expect("groups is an object")
                    .iter()
                    .map(|(k, g)| (k.clone(), g.as_str().expect("group value").to_string()))
                    .collect(),
                enterprise: text(c, "enterprise").to_string(),
                locked: c["locked"].as_str().map(str::to_string),
            })
            .collect();
        let index = |project: &str, round: &str| -> usize {
            candidates
                .iter()
                .position(|c| c.project == project && c.round == round)
                .unwrap_or_else(|| {
                    panic!("funded pair ({project}, {round}) is not a candidate of the certificate")
                })
        };
        let awards = |funded: &Vec<Value>| -> Vec<Award> {
            funded
                .iter()
                .map(|f| {
                    let c = index(text(f, "project"), text(f, "round"));
                    assert_eq!(
                        dec(f, "amount"),
                        candidates[c].subsidy,
                        "funded {f}: amount differs from the candidate's subsidy"
                    );
                    assert_eq!(
                        dec(f, "score"),
                        candidates[c].score,
                        "funded {f}: score differs from the candidate's"
                    );
                    Award {
                        candidate: c,
                        subsidy: dec(f, "subsidy"),
                    }
                })
                .collect()
        };
        let funded = awards(list(v, "funded"));
        let baseline = (!v["baseline"].is_null()).then(|| {
            let b = &v["baseline"];
            assert_eq!(text(b, "method"), "rank-and-cut");
            (
                dec(b, "total_score"),
                dec(b, "total_subsidy"),
                awards(list(b, "funded")),
            )
        });
        Cert {
            status: text(v, "status").to_string(),
            total_score: dec(v, "total_score"),
            total_subsidy: dec(v, "total_subsidy"),
            score_decimals: count(v, "score_decimals") as u32,
            pools,
            rounds,
            weights,
            candidates,
            enterprise_limit: v["enterprise_limit"].as_u64().map(|n| n as usize),
            dependencies: list(v, "dependencies")
                .iter()
                .map(|d| {
                    (
                        text(d, "kind").to_string(),
                        text(d, "project").to_string(),
                        text(d, "other").to_string(),
                    )
                })
                .collect(),
            funded,
            baseline,
            projects: list(v, "projects").clone(),
        }
    }

    fn round(&self, id: &str) -> &CertRound {
        self.rounds
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("round {id} is not in the certificate's rounds"))
    }

    /// Every constraint a selection of candidates breaks (pools on rule amounts: at most the
    /// budget, or budget / floor in pro-rata mode); empty when the selection is feasible.
    fn broken(&self, chosen: &[usize]) -> Vec<String> {
        let mut broken = Vec::new();
        let cands: Vec<&CertCandidate> = chosen.iter().map(|&c| &self.candidates[c]).collect();
        let mut per_project: BTreeMap<&str, usize> = BTreeMap::new();
        let mut per_round: BTreeMap<&str, usize> = BTreeMap::new();
        let mut per_group: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        let mut per_enterprise: BTreeMap<&str, usize> = BTreeMap::new();
        let mut per_pool: BTreeMap<&str, Decimal> = BTreeMap::new();
        for c in &cands {
            *per_project.entry(&c.project).or_default() += 1;
            *per_round.entry(&c.round).or_default() += 1;
            *per_enterprise.entry(&c.enterprise).or_default() += 1;
            let round = self.round(&c.round);
            *per_pool.entry(&round.pool).or_default() += c.subsidy;
            for (attribute, _) in &round.limits {
                let value = c.groups.get(attribute).map_or("", String::as_str);
                *per_group.entry((&c.round, attribute, value)).or_default() += 1;
            }
        }
        for (p, n) in &per_project {
            if *n > 1 {
                broken.push(format!("project {p} is funded {n} times"));
            }
        }
        for round in &self.rounds {
            let n = per_round.get(round.id.as_str()).copied().unwrap_or(0);
            if n > round.max {
                broken.push(format!("round {} funds {n} > {}", round.id, round.max));
            }
            for (attribute, max) in &round.limits {
                for ((r, a, value), n) in &per_group {
                    if *r == round.id && a == attribute && n > max {
                        broken.push(format!(
                            "round {r}: {n} funded with {attribute} = {value} > {max}"
                        ));
                    }
                }
            }
        }
        if let Some(limit) = self.enterprise_limit {
            for (e, n) in &per_enterprise {
                if *n > limit {
                    broken.push(format!("enterprise {e} has {n} funded > {limit}"));
                }
            }
        }
        for (kind, project, other) in &self.dependencies {
            let funded = |p: &str| per_project.contains_key(p);
            match kind.as_str() {
                "requires" if funded(project) && !funded(other) => {
                    broken.push(format!("{project} requires {other}"))
                }
                "excludes" if funded(project) && funded(other) => {
                    broken.push(format!("{project} excludes {other}"))
                }
                "requires" | "excludes" => {}
                k => panic!("unknown dependency kind {k}"),
            }
        }
        for (i, c) in self.candidates.iter().enumerate() {
            match c.locked.as_deref() {
                Some("in") if !chosen.contains(&i) => broken.push(format!(
                    "must-fund {} in {} is not funded",
                    c.project, c.round
                )),
                Some("out") if chosen.contains(&i) => {
                    broken.push(format!("excluded {} is funded", c.project))
                }
                None | Some("in") | Some("out") => {}
                Some(l) => panic!("unknown lock {l}"),
            }
        }
        for pool in &self.pools {
            let asked = per_pool.get(pool.id.as_str()).copied().unwrap_or_default();
            let fits = match pool.floor {
                None => asked <= pool.budget,
                Some(floor) => asked * floor <= pool.budget,
            };
            if !fits {
                broken.push(format!(
                    "pool {}: rule amounts {asked} exceed budget {} (floor {:?})",
                    pool.id, pool.budget, pool.floor
                ));
            }
        }
        broken
    }

    /// Checks a portfolio (the optimum or the baseline): feasible, paid within every pool, totals.
    #[track_caller]
    fn check_portfolio(&self, label: &str, awards: &[Award], score: Decimal, paid: Decimal) {
        let chosen: Vec<usize> = awards.iter().map(|a| a.candidate).collect();
        let broken = self.broken(&chosen);
        assert!(broken.is_empty(), "{label} breaks: {broken:#?}");
        let sum_score: Decimal = chosen.iter().map(|&c| self.candidates[c].score).sum();
        assert_eq!(
            score, sum_score,
            "{label}: total_score is not the sum of funded scores"
        );
        let sum_paid: Decimal = awards.iter().map(|a| a.subsidy).sum();
        assert_eq!(
            paid, sum_paid,
            "{label}: total_subsidy is not the sum of payments"
        );
        for pool in &self.pools {
            let on_pool: Vec<&Award> = awards
                .iter()
                .filter(|a| self.round(&self.candidates[a.candidate].round).pool == pool.id)
                .collect();
            let spent: Decimal = on_pool.iter().map(|a| a.subsidy).sum();
            assert!(
                spent <= pool.budget,
                "{label}: pool {} pays {spent} > budget {}",
                pool.id,
                pool.budget
            );
            for a in &on_pool {
                let amount = self.candidates[a.candidate].subsidy;
                match pool.floor {
                    None => assert_eq!(a.subsidy, amount, "{label}: a full-pay pool scaled"),
                    Some(floor) => {
                        assert!(
                            a.subsidy <= amount,
                            "{label}: paid more than the rule amount"
                        );
                        assert!(
                            a.subsidy > amount * floor - Decimal::ONE,
                            "{label}: paid {} < floor {floor} × {amount} (to the yuan)",
                            a.subsidy
                        );
                    }
                }
            }
        }
    }

    /// Brute force over every subset of candidates: the best under the certificate's tie-break
    /// (most score; then least rule amount; then funding the earliest candidate where they differ).
    fn brute_force(&self) -> BTreeSet<usize> {
        let n = self.candidates.len();
        assert!(n <= 16, "brute force is for small certificates");
        let mut best: Option<(Decimal, Decimal, Vec<bool>)> = None;
        for mask in 0u32..(1 << n) {
            let chosen: Vec<usize> = (0..n).filter(|i| mask >> i & 1 == 1).collect();
            if !self.broken(&chosen).is_empty() {
                continue;
            }
            let score: Decimal = chosen.iter().map(|&c| self.candidates[c].score).sum();
            let asked: Decimal = chosen.iter().map(|&c| self.candidates[c].subsidy).sum();
            let bits: Vec<bool> = (0..n).map(|i| mask >> i & 1 == 1).collect();
            let better = match &best {
                None => true,
                Some((s, a, b)) => {
                    score > *s || (score == *s && (asked < *a || (asked == *a && bits > *b)))
                }
            };
            if better {
                best = Some((score, asked, bits));
            }
        }
        let (_, _, bits) = best.expect("the empty portfolio is feasible without locks");
        (0..n).filter(|&i| bits[i]).collect()
    }

    /// Re-checks everything the certificate claims.
    #[track_caller]
    fn verify(&self) {
        assert!(
            matches!(self.status.as_str(), "optimal" | "time_limit"),
            "status {}",
            self.status
        );
        // Candidates: unique pairs, scores recomputed from weights, criteria and bonus.
        let mut pairs = BTreeSet::new();
        for c in &self.candidates {
            assert!(
                pairs.insert((&c.project, &c.round)),
                "candidate ({}, {}) is listed twice",
                c.project,
                c.round
            );
            self.round(&c.round);
            assert!(c.subsidy > Decimal::ZERO, "candidate with no money");
            let raw: Decimal = self
                .weights
                .iter()
                .map(|(id, w)| *w * c.criteria[id])
                .sum::<Decimal>()
                + c.bonus;
            assert_eq!(
                raw.round_dp_with_strategy(
                    self.score_decimals,
                    RoundingStrategy::MidpointAwayFromZero
                ),
                c.score,
                "candidate ({}, {}): score does not follow from weights, criteria and bonus",
                c.project,
                c.round
            );
        }
        // The portfolio and the baseline.
        self.check_portfolio(
            "the portfolio",
            &self.funded,
            self.total_score,
            self.total_subsidy,
        );
        for pool in &self.pools {
            let spent: Decimal = self
                .funded
                .iter()
                .filter(|a| self.round(&self.candidates[a.candidate].round).pool == pool.id)
                .map(|a| a.subsidy)
                .sum();
            assert_eq!(pool.spent, spent, "pool {}: spent", pool.id);
            assert_eq!(
                pool.left,
                pool.budget - pool.spent,
                "pool {}: left",
                pool.id
            );
            assert_eq!(
                pool.floor.is_some(),
                pool.scale.is_some(),
                "pool {}",
                pool.id
            );
            if let (Some(floor), Some(scale)) = (pool.floor, pool.scale) {
                assert!(
                    floor <= scale && scale <= Decimal::ONE,
                    "pool {}: scale {scale}",
                    pool.id
                );
            }
        }
        if let Some((score, paid, awards)) = &self.baseline {
            self.check_portfolio("rank-and-cut", awards, *score, *paid);
            assert!(
                self.total_score >= *score,
                "the optimum {} scores below rank-and-cut {score}",
                self.total_score
            );
        }
        // Standings agree with the portfolio and the candidates.
        let funded_round: BTreeMap<&str, &str> = self
            .funded
            .iter()
            .map(|a| {
                let c = &self.candidates[a.candidate];
                (c.project.as_str(), c.round.as_str())
            })
            .collect();
        let mut seen = BTreeSet::new();
        for p in &self.projects {
            let id = text(p, "id");
            assert!(seen.insert(id.to_string()), "project {id} listed twice");
            let reasons = list(p, "reasons");
            let has_candidate = self.candidates.iter().any(|c| c.project == id);
            match text(p, "status") {
                "funded" => {
                    assert_eq!(p["round"].as_str(), funded_round.get(id).copied(), "{p}");
                    assert!(reasons.is_empty(), "{p}");
                }
                status => {
                    assert!(
                        !funded_round.contains_key(id),
                        "{id} is funded but {status}"
                    );
                    assert!(p["round"].is_null(), "{p}");
                    assert!(!reasons.is_empty(), "{id} is {status} without a reason");
                    assert_eq!(status == "unfunded", has_candidate, "{p}");
                    assert!(
                        matches!(status, "unfunded" | "ineligible"),
                        "unknown status {status}"
                    );
                }
            }
        }
        for id in funded_round.keys() {
            assert!(seen.contains(*id), "funded {id} has no project entry");
        }
        for c in &self.candidates {
            assert!(
                seen.contains(&c.project),
                "candidate {} has no project entry",
                c.project
            );
        }
        // Small and proven optimal: solve it again by brute force, tie-break included.
        if self.status == "optimal" && self.candidates.len() <= 16 {
            let funded: BTreeSet<usize> = self.funded.iter().map(|a| a.candidate).collect();
            let best = self.brute_force();
            let names = |s: &BTreeSet<usize>| -> Vec<String> {
                s.iter()
                    .map(|&c| {
                        format!(
                            "{}@{}",
                            self.candidates[c].project, self.candidates[c].round
                        )
                    })
                    .collect()
            };
            assert_eq!(
                names(&funded),
                names(&best),
                "brute force disagrees with the certificate"
            );
        }
    }
}

/// Parses and re-checks a certificate; returns it for further checks.
#[track_caller]
fn verified(run: &Outcome) -> Value {
    let v = run.json();
    Cert::parse(&v).verify();
    v
}

fn funded_pairs(v: &Value) -> Vec<(String, String, String)> {
    list(v, "funded")
        .iter()
        .map(|f| {
            (
                text(f, "project").to_string(),
                text(f, "round").to_string(),
                text(f, "subsidy").to_string(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The bundled scenario
// ---------------------------------------------------------------------------------------------

/// Project ids of the bundled applications, read from the CSV itself.
fn bundled_ids() -> Vec<String> {
    let mut reader = csv::Reader::from_path(
        Path::new(MANIFEST_DIR).join("scenarios/quzhou-2019/applications.csv"),
    )
    .expect("bundled applications");
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.expect("record")[0].to_string())
        .collect();
    assert_eq!(ids.len(), 150);
    ids
}

#[test]
fn solve_without_argument_prints_the_bundled_table() {
    // Run from an empty folder: the default scenario is the copy built into the binary.
    let work = Workdir::new();
    let run = work.run(&["solve", "--lang", "en"]);
    run.success();
    // The one warning: the preset's floor on the intelligent round binds, at its price.
    assert_eq!(
        run.stderr,
        "allot: warning: the floor of round 智能化投资项目 (intelligent manufacturing) (at least 5 projects) binds: without it the best total score is 318.5154 points higher\n"
    );
    let table = &run.stdout;
    let cert = allot(&["solve", "scenarios/quzhou-2019", "-f", "json"]).json();
    assert!(table.starts_with(text(&cert, "scenario")), "{table}");
    assert!(table.contains("status: optimal"), "{table}");
    for round in list(&cert, "rounds") {
        let heading = format!("== {} —", text(round, "name"));
        assert!(table.contains(&heading), "no {heading:?} in\n{table}");
    }
    assert!(table.contains("funding line"), "{table}");
    assert!(table.contains("== pools =="), "{table}");
    for pool in list(&cert, "pools") {
        assert!(
            table.lines().any(|l| l.starts_with(text(pool, "id"))),
            "pool {} missing",
            text(pool, "id")
        );
    }
    assert!(table.contains("rank-and-cut"), "{table}");
    let funded = list(&cert, "funded").len();
    assert!(
        table.contains(&format!(
            "funded: {funded} projects, total score {}",
            text(&cert, "total_score")
        )),
        "{table}"
    );
    assert!(table.contains("applications: 150 —"), "{table}");
}

#[test]
fn bundled_certificate_matches_the_golden_file() {
    let run = allot(&["solve", "scenarios/quzhou-2019", "-f", "json"]);
    run.success();
    golden("quzhou-2019.json", &run.stdout);
}

#[test]
fn bundled_table_and_csv_match_their_golden_files() {
    let run = allot(&["solve", "scenarios/quzhou-2019", "--lang", "en"]);
    run.success();
    golden("quzhou-2019.txt", &run.stdout);
    let run = allot(&[
        "solve",
        "scenarios/quzhou-2019",
        "-f",
        "csv",
        "--lang",
        "en",
    ]);
    run.success();
    golden("quzhou-2019.csv", &run.stdout);
    let run = allot(&["check", "scenarios/quzhou-2019", "--lang", "en"]);
    run.success();
    golden("quzhou-2019-check.txt", &run.stdout);
}

#[test]
fn bundled_certificate_rechecks_from_the_json_alone() {
    let v = verified(allot(&["solve", "scenarios/quzhou-2019", "-f", "json"]).success());
    assert_eq!(text(&v, "status"), "optimal");
    assert!(v.get("gap").is_none());
    // Every application has a standing; the file path and the embedded default agree.
    let ids: BTreeSet<String> = list(&v, "projects")
        .iter()
        .map(|p| text(p, "id").to_string())
        .collect();
    assert_eq!(ids, bundled_ids().into_iter().collect());
    // (Their manifests differ only in how the files are named: built-in or by file name.)
    let default = allot(&["solve", "-f", "json"]);
    assert_eq!(
        without_manifest(&default.success().stdout),
        without_manifest(&allot(&["solve", "scenarios/quzhou-2019", "-f", "json"]).stdout)
    );
}

#[test]
fn csv_output_has_one_row_per_application() {
    let run = allot(&["solve", "-f", "csv"]);
    run.success();
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "project",
            "name",
            "enterprise",
            "status",
            "round",
            "subsidy",
            "score",
            "rank",
            "reasons"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("a valid CSV row"))
        .collect();
    let ids: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
    assert_eq!(ids, bundled_ids());
    // The funded rows are exactly the certificate's funded pairs, with the same payments.
    let cert = allot(&["solve", "-f", "json"]).json();
    let mut from_csv: Vec<(String, String, String)> = rows
        .iter()
        .filter(|r| &r[3] == "funded")
        .map(|r| (r[0].to_string(), r[4].to_string(), r[5].to_string()))
        .collect();
    from_csv.sort();
    let mut from_json = funded_pairs(&cert);
    from_json.sort();
    assert_eq!(from_csv, from_json);
    for r in &rows {
        match &r[3] {
            // A funded row may still say why the project could not enter its other rounds.
            "funded" => assert!(
                !r[4].is_empty() && !r[7].is_empty() && !r[8].contains(&format!("{}: ", &r[4])),
                "{r:?}"
            ),
            "unfunded" | "ineligible" => {
                assert!(
                    r[4].is_empty() && r[5].is_empty() && !r[8].is_empty(),
                    "{r:?}"
                )
            }
            s => panic!("unknown status {s}"),
        }
    }
}

#[test]
fn check_lists_every_project_of_the_default() {
    let run = allot(&["check"]);
    run.success();
    for id in bundled_ids() {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(&format!("{id} "))),
            "project {id} is missing from `allot check`"
        );
    }
    let entries = allot(&["check", "-f", "json"]).json();
    let entries = entries.as_array().expect("an array of entries");
    let projects: BTreeSet<&str> = entries.iter().map(|e| text(e, "project")).collect();
    assert_eq!(projects.len(), 150);
    for e in entries {
        let eligible = e["eligible"].as_bool().expect("eligible is a bool");
        assert_eq!(eligible, list(e, "reasons").is_empty(), "{e}");
    }
    let csv_run = allot(&["check", "-f", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_run.success().stdout.as_bytes());
    assert_eq!(reader.records().count(), entries.len());
}

// ---------------------------------------------------------------------------------------------
// Small scenarios: formats, folders, output files
// ---------------------------------------------------------------------------------------------

#[test]
fn small_scenario_is_optimal_and_rechecks_by_brute_force() {
    let v = verified(allot(&["solve", "tests/fixtures/small.toml", "-f", "json"]).success());
    assert_eq!(
        funded_pairs(&v),
        [
            ("A1", "small", "175000"),
            ("A2", "big", "400000"),
            ("A3", "big", "300000"),
            ("A6", "small", "125000"),
        ]
        .map(|(p, r, s)| (p.to_string(), r.to_string(), s.to_string()))
    );
    let a4 = list(&v, "projects")
        .iter()
        .find(|p| text(p, "id") == "A4")
        .expect("A4");
    assert_eq!(text(a4, "status"), "ineligible");
    assert!(
        list(a4, "reasons")[0].as_str().unwrap().contains("柯城区"),
        "{a4}"
    );
}

#[test]
fn certificate_checker_catches_tampering() {
    // The re-check above is only worth something if it fails on a wrong certificate.
    let good = allot(&["solve", "tests/fixtures/small.toml", "-f", "json"]).json();
    Cert::parse(&good).verify();
    let rejects = |what: &str, tamper: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        tamper(&mut v);
        let caught = std::panic::catch_unwind(|| Cert::parse(&v).verify()).is_err();
        assert!(caught, "the checker accepted a certificate with {what}");
    };
    rejects("a wrong total score", &|v| {
        v["total_score"] = "303.0001".into()
    });
    rejects("a wrong total subsidy", &|v| {
        v["total_subsidy"] = "999999".into()
    });
    rejects("a pool over budget", &|v| {
        v["pools"][1]["budget"] = "299999".into()
    });
    rejects("a payment that is not the amount", &|v| {
        v["funded"][1]["subsidy"] = "400001".into();
        v["total_subsidy"] = "1000001".into();
    });
    rejects("a pair that is no candidate", &|v| {
        v["funded"][0]["round"] = "big".into()
    });
    rejects("a project funded twice", &|v| {
        let extra = serde_json::json!({"project": "A1", "round": "big", "subsidy": "350000",
                                       "amount": "350000", "score": "63"});
        v["funded"].as_array_mut().unwrap().push(extra);
    });
    rejects("a smaller round", &|v| {
        v["rounds"][0]["max_projects"] = 1.into()
    });
    rejects("a wrong standing", &|v| {
        v["projects"][4]["status"] = "ineligible".into()
    });
    rejects("a worse portfolio", &|v| {
        // Drop A6@small (score 82.5) and fix the totals: feasible, but not the optimum.
        v["funded"]
            .as_array_mut()
            .unwrap()
            .retain(|f| f["project"] != "A6");
        v["total_score"] = "220.5".into();
        v["total_subsidy"] = "875000".into();
        v["pools"][1]["spent"] = "175000".into();
        v["pools"][1]["left"] = "125000".into();
        v["projects"][5]["status"] = "unfunded".into();
        v["projects"][5]["round"] = Value::Null;
        v["projects"][5]["reasons"] = serde_json::json!(["small: not selected"]);
        v["baseline"] = Value::Null; // so that only the brute force can tell
    });
}

#[test]
fn json_scenario_reads_like_toml() {
    let toml = allot(&["solve", "tests/fixtures/small.toml", "-f", "json"]).json();
    let json = verified(allot(&["solve", "tests/fixtures/small.json", "-f", "json"]).success());
    assert_eq!(text(&json, "scenario"), "small (json)");
    assert_eq!(json["funded"], toml["funded"]);
    assert_eq!(json["candidates"], toml["candidates"]);
}

#[test]
fn committee_decisions_are_honoured() {
    let toml = fixture("small.toml")
        + r#"
[committee]
must_fund = [{ project = "A1", round = "big" }]
exclude = ["A6"]
dependencies = [{ kind = "requires", project = "A5", other = "A3" }]
enterprise_limit = 1
"#;
    let work = Workdir::new();
    let v = verified(work.solve_toml(&toml, &["-f", "json"]).success());
    let funded = funded_pairs(&v);
    assert!(
        funded.iter().any(|(p, r, _)| p == "A1" && r == "big"),
        "{funded:?}"
    );
    assert!(!funded.iter().any(|(p, _, _)| p == "A6"), "{funded:?}");
    let a6 = list(&v, "projects")
        .iter()
        .find(|p| text(p, "id") == "A6")
        .expect("A6");
    assert!(
        list(a6, "reasons")
            .iter()
            .any(|r| r.as_str().unwrap().contains("excluded by the committee")),
        "{a6}"
    );
}

#[test]
fn folder_and_file_paths_both_work() {
    let folder = allot(&["solve", "tests/fixtures/chinese", "-f", "json"]);
    let file = allot(&[
        "solve",
        "tests/fixtures/chinese/scenario.toml",
        "-f",
        "json",
    ]);
    folder.success();
    file.success();
    assert_eq!(folder.stdout, file.stdout);
    // A folder holding one scenario under another name is fine too, and so is an absolute path.
    let work = Workdir::new();
    work.write("round/mine.toml", fixture("small.toml"));
    let named = work.run(&["solve", "round", "-f", "json"]);
    let absolute = work.path("round");
    let absolute = work.run(&["solve", absolute.to_str().unwrap(), "-f", "json"]);
    // The same certificate, but for where the scenario was seen from the working folder (the
    // manifest's scenario_path; an absolute path is not recorded).
    let at = "    \"scenario_path\": \"round/mine.toml\",\n";
    assert!(named.success().stdout.contains(at), "{}", named.stdout);
    assert_eq!(named.stdout.replace(at, ""), absolute.success().stdout);
    verified(&named);
    // check takes the same paths.
    work.run(&["check", "round"]).success();
}

#[test]
fn folder_without_a_scenario_is_bad_input() {
    let work = Workdir::new();
    std::fs::create_dir(work.path("empty")).unwrap();
    work.write("notes/readme.txt", "nothing here");
    work.run(&["solve", "empty"])
        .bad_input(&["allot: empty: ", "no scenario.toml"]);
    work.run(&["solve", "notes"])
        .bad_input(&["allot: notes: ", "no scenario.toml"]);
    work.run(&["check", "empty"]).bad_input(&["empty"]);
    // Two scenario files and no scenario.toml: ambiguous, and both are named.
    work.write("two/a.toml", fixture("small.toml"))
        .write("two/b.json", fixture("small.json"));
    work.run(&["solve", "two"])
        .bad_input(&["two: ", "several scenario files", "a.toml", "b.json"]);
}

#[test]
fn output_file_is_written_whole_and_only_on_success() {
    let work = Workdir::new();
    work.write("small.toml", fixture("small.toml"));
    let to_stdout = work.run(&["solve", "small.toml", "-f", "json"]);
    to_stdout.success();

    // The folder does not exist: exit 1, naming the file.
    let run = work.run(&["solve", "small.toml", "-f", "json", "-o", "out/result.json"]);
    run.fails(1, &["out/result.json", "cannot write"]);

    // Success: the file holds exactly what stdout would, and no temporary file is left behind.
    std::fs::create_dir(work.path("out")).unwrap();
    let run = work.run(&["solve", "small.toml", "-f", "json", "-o", "out/result.json"]);
    run.success();
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(work.read("out/result.json"), to_stdout.stdout.as_bytes());
    assert_eq!(
        work.entries("out"),
        BTreeSet::from(["result.json".to_string()])
    );

    // An existing file is replaced as a whole.
    work.write(
        "out/result.json",
        "previous contents, much longer than nothing at all ... ".repeat(500),
    );
    work.run(&["solve", "small.toml", "-f", "csv", "-o", "out/result.json"])
        .success();
    let csv_text = work.run(&["solve", "small.toml", "-f", "csv"]).stdout;
    assert_eq!(work.read("out/result.json"), csv_text.as_bytes());
    assert_eq!(
        work.entries("out"),
        BTreeSet::from(["result.json".to_string()])
    );

    // `-o -` is stdout.
    assert_eq!(
        work.run(&["solve", "small.toml", "-f", "json", "-o", "-"])
            .success()
            .stdout,
        to_stdout.stdout
    );

    // Bad input: exit 2, no output file created, an existing one left untouched.
    work.write(
        "bad.toml",
        edit(
            &fixture("small.toml"),
            r#"pool = "side""#,
            r#"pool = "sidee""#,
        ),
    );
    work.run(&["solve", "bad.toml", "-f", "json", "-o", "out/new.json"])
        .bad_input(&["bad.toml", "sidee"]);
    assert!(!work.path("out/new.json").exists());
    work.write("out/kept.json", "keep me");
    work.run(&["solve", "bad.toml", "-o", "out/kept.json"])
        .code(2);
    assert_eq!(work.read("out/kept.json"), b"keep me");
    work.run(&["check", "bad.toml", "-o", "out/kept.json"])
        .code(2);
    assert_eq!(work.read("out/kept.json"), b"keep me");
    // Infeasible: exit 3, nothing written either.
    work.write(
        "locked.toml",
        fixture("locks.toml")
            + "\n[committee]\nmust_fund = [{ project = \"P7\", round = \"r5\" }]\n",
    );
    work.run(&["solve", "locked.toml", "-o", "out/kept.json"])
        .code(3);
    assert_eq!(work.read("out/kept.json"), b"keep me");
    assert_eq!(
        work.entries("out"),
        BTreeSet::from(["result.json".to_string(), "kept.json".to_string()])
    );
}

#[test]
fn chinese_headers_and_wan_amounts() {
    // Hand-computed in the fixture: 500 万元 × 10 % = 500,000 元; (1,234,567 + 100,000 + 50,000 元)
    // × 12 % = 166,148.04 → 166,148 元; 1,000 万元 × 10 % capped at 60 万元 = 600,000 元.
    let v = verified(allot(&["solve", "tests/fixtures/chinese", "-f", "json"]).success());
    assert_eq!(text(&list(&v, "pools")[0], "budget"), "2000000");
    assert_eq!(
        funded_pairs(&v),
        [("Q01", "upgrade", "500000"), ("Q02", "upgrade", "166148")].map(|(p, r, s)| (
            p.to_string(),
            r.to_string(),
            s.to_string()
        ))
    );
    let q03 = list(&v, "projects")
        .iter()
        .find(|p| text(p, "id") == "Q03")
        .expect("Q03");
    assert_eq!(text(q03, "status"), "ineligible");
    assert_eq!(text(q03, "name"), "绿色工厂项目");
    let check = allot(&["check", "tests/fixtures/chinese", "-f", "json"]).json();
    let subsidies: Vec<(&str, &str)> = check
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (text(e, "project"), text(e, "subsidy")))
        .collect();
    assert_eq!(
        subsidies,
        [("Q01", "500000"), ("Q02", "166148"), ("Q03", "600000")]
    );
    // The table pads CJK text by display width and still names every project.
    let table = allot(&["check", "tests/fixtures/chinese"]);
    for name in ["智能化生产线项目", "数字化车间项目", "绿色工厂项目"] {
        assert!(table.success().stdout.contains(name), "{}", table.stdout);
    }
}

#[test]
fn pro_rata_pool_reports_its_scale() {
    let v = verified(allot(&["solve", "tests/fixtures/pro_rata.toml", "-f", "json"]).success());
    let pool = &list(&v, "pools")[0];
    assert_eq!(text(pool, "pro_rata_floor"), "0.8");
    let scale = dec(pool, "scale");
    assert!(
        scale >= Decimal::from_str("0.8").unwrap() && scale < Decimal::ONE,
        "{pool}"
    );
    assert!(dec(pool, "spent") <= dec(pool, "budget"), "{pool}");
    // More projects than paying in full allows: rule amounts beyond the budget, within budget / 0.8.
    let asked: Decimal = list(&v, "funded").iter().map(|f| dec(f, "amount")).sum();
    assert!(asked > dec(pool, "budget"), "{asked}");
    let table = allot(&["solve", "tests/fixtures/pro_rata.toml"]);
    assert!(
        table.success().stdout.contains("λ = 0.833333"),
        "{}",
        table.stdout
    );
}

#[test]
fn pro_rata_payments_are_exact() {
    let v = allot(&["solve", "tests/fixtures/pro_rata.toml", "-f", "json"]).json();
    let pool = &list(&v, "pools")[0];
    let budget = dec(pool, "budget");
    let funded = list(&v, "funded");
    let asked: Decimal = funded.iter().map(|f| dec(f, "amount")).sum();
    for f in funded {
        // amount × budget / asked, rounded down to the yuan, without an inexact λ in between.
        let exact = (dec(f, "amount") * budget / asked).floor();
        assert_eq!(dec(f, "subsidy"), exact, "{f}");
    }
    assert_eq!(
        funded_pairs(&v),
        [
            ("P1", "83333"),
            ("P2", "166666"),
            ("P3", "250000"),
            ("P6", "500000")
        ]
        .map(|(p, s)| (p.to_string(), "r5".to_string(), s.to_string()))
    );
}

#[test]
fn generated_scenarios_are_reproducible_and_solve() {
    let work = Workdir::new();
    for dir in ["a", "b"] {
        work.run(&["generate", "-o", dir, "--projects", "40", "--seed", "7"])
            .success();
    }
    assert_eq!(
        work.entries("a"),
        BTreeSet::from(["scenario.toml".into(), "applications.csv".into()])
    );
    for file in ["scenario.toml", "applications.csv"] {
        assert_eq!(
            work.read(&format!("a/{file}")),
            work.read(&format!("b/{file}")),
            "{file}"
        );
    }
    let v = verified(work.run(&["solve", "a", "-f", "json"]).success());
    assert_eq!(list(&v, "projects").len(), 40);
    work.run(&["generate", "-o", "c", "--projects", "0"])
        .bad_input(&["--projects"]);
    // A committee's own weights: the same applications, the weights as given.
    work.run(&[
        "generate",
        "-o",
        "w",
        "--projects",
        "40",
        "--seed",
        "7",
        "--weights",
        "0.30,0.35,0.20,0.15",
    ])
    .success();
    assert_eq!(
        work.read("w/applications.csv"),
        work.read("a/applications.csv")
    );
    let stated: Vec<String> = work
        .read_text("w/scenario.toml")
        .lines()
        .filter(|l| l.starts_with("weight = "))
        .map(String::from)
        .collect();
    assert_eq!(
        stated,
        ["0.30", "0.35", "0.20", "0.15"].map(|w| format!("weight = \"{w}\""))
    );
    for (weights, why) in [
        ("0.3,0.3,0.4", "3 weights given"),
        ("0.3,x,0.3,0.4", "\"x\" is not a number"),
        // The reader's own refusals, named by its key, before anything is written.
        ("0,0,0,0", "the weights sum to 0"),
        (
            "0.5,-0.1,0.3,0.3",
            "criteria[1] (benefit).weight: -0.1 is negative",
        ),
        (
            "99999999999999999999,1,0,0",
            "criteria[0] (tech).weight: 99999999999999999999 is out of range",
        ),
    ] {
        work.run(&["generate", "-o", "bad", &format!("--weights={weights}")])
            .bad_input(&["--weights", why]);
    }
    assert!(
        !work.path("bad").exists(),
        "a refused generate wrote nothing"
    );
    // The largest weight generate takes is one the reader takes: the scenario solves.
    work.run(&[
        "generate",
        "-o",
        "most",
        "--projects",
        "20",
        "--weights",
        "1000000000,1,0,0",
    ])
    .success();
    verified(work.run(&["solve", "most", "-f", "json"]).success());
}

// ---------------------------------------------------------------------------------------------
// Bad input: exit 2, one line on stderr naming the file, the place and the value
// ---------------------------------------------------------------------------------------------

fn small_with(from: &str, to: &str) -> String {
    edit(&fixture("small.toml"), from, to)
}

#[test]
fn missing_scenario_file() {
    let work = Workdir::new();
    work.run(&["solve", "nope.toml"])
        .bad_input(&["allot: nope.toml: ", "no such file"]);
    work.run(&["check", "nope/scenario.toml"])
        .bad_input(&["nope/scenario.toml", "no such file"]);
    // A scenario naming an applications file that is not there.
    work.write("scenario.toml", fixture("csv/scenario.toml"));
    work.run(&["solve", "scenario.toml"])
        .bad_input(&["applications.csv", "no such file"]);
}

#[test]
fn toml_syntax_error_names_line_and_column() {
    let work = Workdir::new();
    let run = work.solve_toml(&small_with(r#"name = "small""#, r#"name = "small"#), &[]);
    run.bad_input(&["scenario.toml: line 5, column 14: ", "string"]);
}

#[test]
fn toml_syntax_error_in_a_table_header_is_located() {
    // The location is right even where the message runs over two lines (see the ignored test).
    let work = Workdir::new();
    let toml = fixture("small.toml").replacen("[rounds.subsidy]", "[rounds.subsidy", 1);
    let run = work.solve_toml(&toml, &[]);
    run.code(2)
        .mentions(&["allot: scenario.toml: line 26, column 16: invalid table header"]);
    assert!(run.stdout.is_empty());
}

#[test]
fn toml_syntax_error_message_is_one_line() {
    let work = Workdir::new();
    let toml = fixture("small.toml").replacen("[rounds.subsidy]", "[rounds.subsidy", 1);
    work.solve_toml(&toml, &[]).bad_input(&[
        "scenario.toml: line 26, column 16: ",
        "invalid table header",
    ]);
}

#[test]
fn json_syntax_error_names_line_and_column() {
    let work = Workdir::new();
    let json = edit(
        &fixture("small.json"),
        "\"budget\": \"300000\"\n",
        "\"budget\": \"300000\",\n",
    );
    work.write("scenario.json", json);
    work.run(&["solve", "scenario.json"]).bad_input(&[
        "allot: scenario.json: line 14, column 5: ",
        "trailing comma",
    ]);
}

#[test]
fn unknown_pool_in_a_round() {
    let work = Workdir::new();
    work.solve_toml(&small_with(r#"pool = "side""#, r#"pool = "sidee""#), &[])
        .bad_input(&[
            "scenario.toml: ",
            "rounds[1] (small).pool",
            "\"sidee\" is not a pool",
            "main, side",
        ]);
}

#[test]
fn unknown_round_in_an_application() {
    let work = Workdir::new();
    let toml = small_with(
        "id = \"A5\"\nrounds = [\"small\"]",
        "id = \"A5\"\nrounds = [\"smal\"]",
    );
    work.solve_toml(&toml, &[]).bad_input(&[
        "scenario.toml: ",
        "applications.projects[4] (A5)",
        "\"smal\" is not a round",
        "big, small",
    ]);
}

#[test]
fn unknown_criterion_in_inline_scores() {
    let work = Workdir::new();
    work.solve_toml(&small_with("quality = 60,", "qualty = 60,"), &[])
        .bad_input(&[
            "scenario.toml: ",
            "applications.projects[4] (A5)",
            "scores.qualty",
            "\"qualty\" is not a criterion",
        ]);
}

#[test]
fn duplicate_project_id_in_csv_names_both_rows() {
    let work =
        csv_workdir("id,rounds,equipment,quality\nB1,big,100,80\nB2,big,200,70\nB1,big,300,60\n");
    work.run(&["solve", "scenario.toml"]).bad_input(&[
        "applications.csv: row 4: ",
        "\"B1\" is used twice",
        "row 2",
    ]);
    // An inline project repeating a CSV id is caught as well, naming both places.
    let toml = fixture("csv/scenario.toml")
        + "\n[[applications.projects]]\nid = \"B2\"\nrounds = [\"big\"]\nequipment = \"1\"\nscores = { quality = 1 }\n";
    work.write("applications.csv", fixture("csv/applications.csv"));
    work.solve_toml(&toml, &[]).bad_input(&[
        "applications.projects[0] (B2)",
        "\"B2\" is used twice",
        "applications.csv: row 3",
    ]);
}

#[test]
fn negative_money() {
    let work = Workdir::new();
    work.solve_toml(
        &small_with(r#"equipment = "2500000""#, r#"equipment = "-5""#),
        &[],
    )
    .bad_input(&[
        "scenario.toml: ",
        "applications.projects[5] (A6)",
        "equipment",
        "-5",
        "negative",
    ]);
    work.solve_toml(
        &small_with(r#"budget = "300000""#, r#"budget = "-300000""#),
        &[],
    )
    .bad_input(&[
        "scenario.toml: ",
        "pools[1] (side).budget",
        "-300000",
        "negative",
    ]);
    let work = csv_workdir("id,rounds,equipment,quality\nB1,big,-100,80\n");
    work.run(&["solve", "scenario.toml"]).bad_input(&[
        "applications.csv: row 2, column \"equipment\": ",
        "\"-100\"",
        "negative",
    ]);
}

#[test]
fn non_numeric_money_in_a_csv_cell() {
    let work = csv_workdir("id,rounds,equipment,quality\nB1,big,100,80\nB2,big,\"12,5OO\",70\n");
    work.run(&["solve", "scenario.toml"]).bad_input(&[
        "allot: applications.csv: row 3, column \"equipment\": ",
        "\"12,5OO\" is not an amount",
    ]);
}

#[test]
fn money_written_as_a_toml_float() {
    let work = Workdir::new();
    work.solve_toml(&small_with(r#"budget = "1000000""#, "budget = 3.5e7"), &[])
        .bad_input(&[
            "scenario.toml: line 10, column 10: ",
            "floating-point",
            "35000000",
            "as strings",
        ]);
}

#[test]
fn weights_summing_to_zero() {
    let work = Workdir::new();
    let toml = small_with(r#"weight = "0.7""#, r#"weight = "0""#);
    let toml = edit(&toml, r#"weight = "0.3""#, "weight = 0");
    work.solve_toml(&toml, &[])
        .bad_input(&["scenario.toml: scoring.criteria: ", "weights sum to 0"]);
}

#[test]
fn group_limit_on_a_missing_attribute() {
    let work = Workdir::new();
    work.solve_toml(
        &small_with(r#"attribute = "industry""#, r#"attribute = "region""#),
        &[],
    )
    .bad_input(&[
        "scenario.toml: rounds[0] (big).group_limits[0]: ",
        "\"region\"",
        "project A1",
        "no value",
    ]);
}

#[test]
fn csv_row_of_wrong_length() {
    let work = csv_workdir("id,rounds,equipment,quality\nB1,big,100,80\nB2,big,200\n");
    work.run(&["solve", "scenario.toml"]).bad_input(&[
        "allot: applications.csv: row 3: ",
        "3 cells",
        "header has 4",
    ]);
}

#[test]
fn csv_without_an_id_column() {
    let work = csv_workdir("name,rounds,equipment,quality\nB1,big,100,80\n");
    work.run(&["solve", "scenario.toml"]).bad_input(&[
        "allot: applications.csv: row 1: ",
        "no id (项目编号) column",
    ]);
}

#[test]
fn unknown_key_in_the_toml() {
    let work = Workdir::new();
    work.solve_toml(&small_with("max_projects = 3", "max_project = 3"), &[])
        .bad_input(&[
            "scenario.toml: line 33, column 1: ",
            "unknown field `max_project`",
            "max_projects",
        ]);
    work.solve_toml(
        &small_with(r#"equipment = "2500000""#, r#"equipmnt = "2500000""#),
        &[],
    )
    .bad_input(&[
        "scenario.toml: line 101, column 1: ",
        "unknown field `equipmnt`",
    ]);
    work.solve_toml(&(fixture("small.toml") + "\n[extras]\nnote = \"x\"\n"), &[])
        .bad_input(&["scenario.toml: ", "unknown field `extras`"]);
}

#[test]
fn must_fund_naming_an_unknown_project() {
    let work = Workdir::new();
    let toml = fixture("small.toml")
        + "\n[committee]\nmust_fund = [{ project = \"Z9\", round = \"big\" }]\n";
    work.solve_toml(&toml, &[]).bad_input(&[
        "scenario.toml: committee.must_fund[0]: ",
        "\"Z9\" is not a project",
    ]);
    let toml = fixture("small.toml")
        + "\n[committee]\nmust_fund = [{ project = \"A5\", round = \"big\" }]\n";
    work.solve_toml(&toml, &[])
        .bad_input(&["committee.must_fund[0]: ", "A5 did not apply to round big"]);
    let toml = fixture("small.toml") + "\n[committee]\nexclude = [\"A9\"]\n";
    work.solve_toml(&toml, &[])
        .bad_input(&["committee.exclude[0]: ", "\"A9\" is not a project"]);
}

#[test]
fn bad_time_limits_are_refused() {
    for limit in [
        "--time-limit=0",
        "--time-limit=-1",
        "--time-limit=nan",
        "--time-limit=inf",
    ] {
        allot(&["solve", limit]).bad_input(&["--time-limit: ", "not a positive number of seconds"]);
    }
    // `--time-limit -1` reads `-1` as an option: clap refuses it, also with exit 2.
    let run = allot(&["solve", "--time-limit", "-1"]);
    run.code(2);
    assert!(run.stdout.is_empty());
    allot(&["solve", "--time-limit", "abc"]).code(2);
    allot(&["solve", "--time-limit", "0"]).bad_input(&["--time-limit: 0 "]);
}

#[test]
fn a_generous_time_limit_changes_nothing() {
    let limited = allot(&["solve", "-f", "json", "--time-limit", "60"]);
    assert_eq!(
        without_manifest(&limited.success().stdout),
        without_manifest(&allot(&["solve", "-f", "json"]).stdout)
    );
    // A limit past what the clock can hold is no limit (it panicked once), in the table's prices
    // too.
    let endless = allot(&["solve", "-f", "json", "--time-limit", "1e300"]);
    assert_eq!(
        without_manifest(&endless.success().stdout),
        without_manifest(&allot(&["solve", "-f", "json"]).stdout)
    );
    allot(&["solve", "--time-limit", "1e300"]).success();
}

/// A certificate without its audit manifest (which records how files were named and the options).
fn without_manifest(stdout: &str) -> Value {
    let mut v: Value = serde_json::from_str(stdout).expect("a JSON certificate");
    v.as_object_mut().expect("an object").remove("manifest");
    v
}

#[test]
fn a_tiny_time_limit_reports_the_best_portfolio_found() {
    let run = allot(&["solve", "-f", "json", "--time-limit", "1e-9"]);
    let v = verified(run.code(5));
    assert_eq!(text(&v, "status"), "time_limit");
    assert!(v["gap"].as_f64().is_some(), "no gap in {}", run.stdout);
}

// ---------------------------------------------------------------------------------------------
// Infeasible committee decisions: exit 3, naming what conflicts
// ---------------------------------------------------------------------------------------------

fn locked(projects: &[&str]) -> String {
    let locks: Vec<String> = projects
        .iter()
        .map(|p| format!("{{ project = \"{p}\", round = \"r5\" }}"))
        .collect();
    fixture("locks.toml") + &format!("\n[committee]\nmust_fund = [{}]\n", locks.join(", "))
}

#[test]
fn locks_fit_when_they_can() {
    let work = Workdir::new();
    let v = verified(
        work.solve_toml(&locked(&["P1", "P2"]), &["-f", "json"])
            .success(),
    );
    // The locks take two of the five places; the optimum fills the budget with P3, P4, P5.
    let funded: Vec<String> = funded_pairs(&v).into_iter().map(|f| f.0).collect();
    assert_eq!(funded, ["P1", "P2", "P3", "P4", "P5"]);
    assert_eq!(text(&v, "total_score"), "265");
    let locked_in: Vec<&str> = list(&v, "candidates")
        .iter()
        .filter(|c| c["locked"] == "in")
        .map(|c| text(c, "project"))
        .collect();
    assert_eq!(locked_in, ["P1", "P2"]);
    // Rank-and-cut places the locks first, then P6 and P5; then the money runs out.
    assert_eq!(text(&v["baseline"], "total_score"), "214");
}

#[test]
fn more_locks_than_the_round_holds() {
    let work = Workdir::new();
    work.solve_toml(&locked(&["P1", "P2", "P3", "P4", "P5", "P6"]), &[])
        .fails(
            3,
            &[
                "allot: infeasible: ",
                "P1 in r5, P2 in r5, P3 in r5, P4 in r5, P5 in r5, P6 in r5",
                "round r5's size of 5",
            ],
        );
}

#[test]
fn locks_over_a_pool_budget() {
    let work = Workdir::new();
    work.solve_toml(&locked(&["P3", "P4", "P5", "P6"]), &[])
        .fails(
            3,
            &[
                "allot: infeasible: ",
                "P3 in r5, P4 in r5, P5 in r5, P6 in r5",
                "1800000",
                "pool main",
                "1500000",
            ],
        );
}

#[test]
fn locked_project_that_is_ineligible() {
    let work = Workdir::new();
    work.solve_toml(&locked(&["P7"]), &[]).fails(
        3,
        &[
            "allot: infeasible: ",
            "must-fund P7 in r5",
            "not eligible",
            "jurisdiction \"柯城区\"",
        ],
    );
}

#[test]
fn enterprise_limit_needs_every_enterprise_named() {
    let work = Workdir::new();
    let toml = small_with(
        "[applications]",
        "[committee]\nenterprise_limit = 1\n\n[applications]",
    );
    let toml = edit(&toml, "enterprise = \"乙公司\"", "enterprise = \"\"");
    work.solve_toml(&toml, &[]).bad_input(&[
        "scenario.toml: committee.enterprise_limit: ",
        "has no enterprise name",
    ]);
}

#[test]
fn scoring_min_score_applies_to_rounds_without_their_own() {
    let work = Workdir::new();
    let toml = small_with("[scoring]", "[scoring]\nmin_score = \"99.5\"");
    work.write("scenario.toml", toml);
    let run = work.run(&["check", "scenario.toml"]);
    run.success();
    assert!(
        run.stdout.contains("below the qualifying score 99.5"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_applications_table_named_as_the_scenario_is_explained() {
    allot(&["solve", "scenarios/quzhou-2019/applications.csv"]).bad_input(&[
        "scenarios/quzhou-2019/applications.csv: ",
        "applications table, not a scenario",
    ]);
}

/// The exit codes have one source, `allot::error::EXIT_CODES`: `--help` prints it, the README's
/// table is an exact copy and docs/output-format.md has a row for every code.
#[test]
fn exit_codes_come_from_one_table() {
    let help = allot(&["--help"]);
    assert_eq!(help.code, 0);
    let readme = std::fs::read_to_string(Path::new(MANIFEST_DIR).join("README.md")).unwrap();
    let docs =
        std::fs::read_to_string(Path::new(MANIFEST_DIR).join("docs/output-format.md")).unwrap();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| *l != "### Exit codes")
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .collect();
    let expected: Vec<String> = allot::error::EXIT_CODES
        .iter()
        .map(|(code, meaning)| format!("| {code} | {meaning} |"))
        .collect();
    assert_eq!(table, expected, "README.md's exit-code table");
    for (code, meaning) in allot::error::EXIT_CODES {
        let line = format!("{code:>3}  {}", meaning.replace('`', ""));
        assert!(help.stdout.contains(&line), "--help lacks {line:?}");
        assert!(
            docs.lines().any(|l| l.starts_with(&format!("| {code} |"))),
            "docs/output-format.md has no row for exit code {code}"
        );
    }
}

#[test]
fn a_pro_rata_pool_s_reason_speaks_of_capacity_and_the_pools_table_of_money() {
    let scenario = crate::util::fixture_path("pro_rata.toml");
    let cert: serde_json::Value = serde_json::from_str(&crate::util::ok(&[
        "solve",
        scenario.to_str().unwrap(),
        "-f",
        "json",
    ]))
    .unwrap();
    assert_eq!(cert["pools"][0]["left"], "1");
    let p4 = cert["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "P4")
        .unwrap();
    let reason = p4["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains("pool capacity (pro rata)")
            && reason.contains("can take 50,000 more")
            && reason.contains("1,250,000 = budget ÷ floor 0.8"),
        "{reason}"
    );
    let zh = crate::util::ok(&[
        "solve",
        scenario.to_str().unwrap(),
        "-f",
        "json",
        "--lang",
        "zh",
    ]);
    assert!(zh.contains("pool capacity"), "JSON stays English");
}

/// A proof HiGHS decides asks its opinions side by side where a worker is free: the certificate
/// is the same on one worker as on two, on a linked-pool round (the tie-break's questions) and on
/// a tie round of large amounts (three opinions a question, `better` and `cheaper`). `--threads 0`
/// is refused.
#[test]
fn solve_gives_the_same_certificate_on_any_number_of_workers() {
    for fixture in ["linked-40-7.toml", "slow-ties-60.toml"] {
        let path = format!("tests/fixtures/adversarial/{fixture}");
        let runs: Vec<Outcome> = ["1", "2"]
            .iter()
            .map(|t| allot(&["solve", &path, "-f", "json", "--threads", t]))
            .collect();
        for run in &runs {
            assert_eq!(run.code, 0, "{fixture}: {}", run.stderr);
            assert!(run.stdout.contains("\"status\": \"optimal\""), "{fixture}");
        }
        assert_eq!(runs[0].stdout, runs[1].stdout, "{fixture}");
    }
    let refused = allot(&["solve", "--threads", "0"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--threads: must be at least 1"));
}
