//! `allot verify`: re-checks a solve certificate against its inputs — the SHA-256 of every input
//! file named in its manifest, the rules re-evaluated under the recorded what-ifs, every constraint
//! of the funded portfolio in exact decimals, the claimed totals, and optimality by solving again.

use super::solve::{certificate_json, decisions, outcome};
use allot::audit::{self, Manifest};
use allot::report::{self};
use allot::scenario::{self, Lang, Overrides, Scenario};
use allot::solve::{self, Options, Portfolio};
use allot::Error;
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A JSON object's fields, each kept as its text.
type Fields = BTreeMap<String, Box<RawValue>>;

/// The exit codes of `allot verify`.
pub const EXIT_CODES: &str = "Exit codes:
  0  the certificate holds: inputs unchanged, every constraint, the totals, the optimum
  1  an output could not be written
  2  an input named in the manifest is missing, unreadable or changed (SHA-256 mismatch), or the
     file is not a solve certificate with a manifest (sweep results are refused)
  4  verification failed: a funded pair is not a candidate, a constraint or total does not hold,
     or the portfolio is not the (tie-broken) optimum — one message per failed check";

/// Arguments of `allot verify`.
#[derive(clap::Args)]
pub struct Args {
    /// A solve certificate: `allot solve -f json`, or a file of `allot batch --results`.
    result: PathBuf,
    /// The scenario file (or its folder, or the .pb file) to check against; default: where the
    /// result was made from, relative to the folder it was made in (the manifest's
    /// `scenario_path`), else the recorded path from here or beside the result (the built-in
    /// scenario when it says so).
    #[arg(long, value_name = "PATH")]
    scenario: Option<PathBuf>,
}

/// Runs `allot verify`.
pub fn run(args: Args) -> allot::Result<i32> {
    let shown = args.result.display().to_string();
    let text = std::fs::read_to_string(&args.result)
        .map_err(|e| Error::input(&shown, "", format!("cannot read it: {e}")))?;
    // Each top-level field is kept as its text and parsed only where needed: a certificate of
    // 100,000 applications is 60 MB, and two trees of it (this and the fresh one) took 1.2 GB.
    let cert = match serde_json::from_str::<Fields>(&text) {
        Ok(cert) => cert,
        Err(e) => {
            let value: Value = serde_json::from_str(&text)
                .map_err(|e| Error::input(&shown, "", format!("not JSON: {e}")))?;
            read_manifest(&shown, &value)?;
            return Err(Error::input(&shown, "", format!("not a JSON object: {e}")));
        }
    };
    drop(text);
    let field = |key: &str| -> Value {
        cert.get(key)
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
            .unwrap_or(Value::Null)
    };
    let head: serde_json::Map<String, Value> = ["tally", "acceptability", "manifest"]
        .into_iter()
        .filter(|key| cert.contains_key(*key))
        .map(|key| (key.to_string(), field(key)))
        .collect();
    let recorded = read_manifest(&shown, &Value::Object(head))?;
    let (scenario, builtin, pb) = load(&args, &recorded)?;

    // 1. The inputs are the ones the result was computed from.
    let actual = audit::inputs(&scenario, builtin, None)?;
    let changed = changed_inputs(&shown, &recorded, &actual, &scenario);
    if !changed.is_empty() {
        return Ok(fail(2, &changed));
    }

    // 2. The claimed portfolio, rebuilt from its funded pairs under the re-evaluated rules.
    let evaluation = allot::rules::evaluate(&scenario);
    let mut failures = Vec::new();
    let index: HashMap<(&str, &str), usize> = evaluation
        .candidates
        .iter()
        .enumerate()
        .map(|(c, cand)| {
            let key = (
                scenario.applications[cand.project].id.as_str(),
                scenario.rounds[cand.round].id.as_str(),
            );
            (key, c)
        })
        .collect();
    let mut funded = Vec::new();
    let pairs = field("funded");
    for pair in pairs.as_array().into_iter().flatten() {
        let (p, r) = (
            pair["project"].as_str().unwrap_or("?"),
            pair["round"].as_str().unwrap_or("?"),
        );
        match index.get(&(p, r)) {
            Some(&c) => funded.push(c),
            None => failures.push(format!(
                "funded: {p} in round {r} is not an eligible candidate under the recorded inputs"
            )),
        }
    }
    let claimed = Portfolio::new(&scenario, &evaluation, funded);
    if let Err(why) = solve::verify(&scenario, &evaluation, &claimed) {
        failures.push(format!(
            "funded: the portfolio fails exact verification: {why}"
        ));
    }

    // 3. The claimed totals are the portfolio's.
    check_total(
        &mut failures,
        "total_score",
        &field("total_score"),
        claimed.total_score,
    );
    check_total(
        &mut failures,
        "total_subsidy",
        &field("total_subsidy"),
        claimed.total_paid().yuan(),
    );
    let pools = field("pools").as_array().cloned().unwrap_or_default();
    if pools.len() != scenario.pools.len() {
        failures.push(format!(
            "pools: the certificate lists {} pools, the scenario has {}",
            pools.len(),
            scenario.pools.len()
        ));
    }
    for ((pool, usage), json) in scenario.pools.iter().zip(&claimed.pools).zip(&pools) {
        for (key, value) in [("spent", usage.spent), ("left", usage.left)] {
            let what = format!("pools[{}].{key}", pool.id);
            check_total(&mut failures, &what, &json[key], value.yuan());
        }
    }

    // 4. Optimality: solve again and compare the optimum and the tie-broken portfolio exactly.
    let params = &recorded.parameters;
    let flag = |k: &str| params.get(k).and_then(Value::as_bool).unwrap_or(true);
    let perturb = params
        .get("perturb")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let options = Options {
        time_limit: None,
        reduce: flag("reduce"),
        perturb,
        fix: flag("fix"),
        ..Options::default()
    };
    let status = field("status");
    let status = status.as_str().unwrap_or("");
    let mut notes = Vec::new();
    if status == "optimal" {
        let best = outcome(&scenario, &evaluation, &options, pb)?;
        let optimum = best.portfolio.total_score;
        if claimed.total_score != optimum {
            failures.push(format!(
                "optimality: the funded pairs score {}, the optimum is {optimum}",
                claimed.total_score
            ));
        } else if claimed.funded != best.portfolio.funded {
            let pairs = |p: &Portfolio| -> BTreeSet<String> {
                p.funded
                    .iter()
                    .map(|&c| pair_name(&scenario, &evaluation, c))
                    .collect()
            };
            let (ours, theirs) = (pairs(&claimed), pairs(&best.portfolio));
            failures.push(format!(
                "optimality: an optimum by score, but not the tie-broken one: it funds {} and not {}",
                names(ours.difference(&theirs).map(String::as_str)),
                names(theirs.difference(&ours).map(String::as_str)),
            ));
        }
        // Everything else the certificate states (candidates, weights, standings, baseline, ...)
        // must be what the inputs give.
        if failures.is_empty() {
            let decisions = decisions(&scenario, &evaluation, &best, Lang::En, pb);
            let mut fresh = report::certificate(&scenario, &evaluation, &best, &decisions);
            fresh.overrides = overrides(&recorded)?.describe();
            let fresh: Fields = serde_json::from_str(&certificate_json(&fresh)?)
                .map_err(|e| Error::Output(e.to_string()))?;
            differing_fields(&cert, &fresh, &mut failures);
        }
    } else {
        notes.push(format!(
            "status {status:?}: optimality is not claimed, so it was not checked"
        ));
    }
    if !failures.is_empty() {
        return Ok(fail(4, &failures));
    }
    let (allot_now, highs_now) = (env!("CARGO_PKG_VERSION"), audit::highs_version());
    if recorded.allot != allot_now || recorded.highs != highs_now {
        notes.push(format!(
            "computed by allot {} with HiGHS {}, verified by allot {allot_now} with HiGHS {highs_now}",
            recorded.allot, recorded.highs
        ));
    }
    println!("{shown}: verified");
    println!(
        "  inputs: {}, every SHA-256 matches ({})",
        plural(actual.len(), "file"),
        names(recorded.inputs.iter().map(|f| f.path.as_str()))
    );
    println!(
        "  portfolio: {}, every constraint holds in exact decimals",
        plural(claimed.funded.len(), "funded pair")
    );
    println!(
        "  totals: score {}, subsidy {}, {} as claimed",
        claimed.total_score,
        claimed.total_paid(),
        plural(scenario.pools.len(), "pool")
    );
    if status == "optimal" {
        println!(
            "  optimal: solved again, the same optimum {} and the same tie-broken portfolio",
            claimed.total_score
        );
    }
    for note in notes {
        println!("  note: {note}");
    }
    Ok(0)
}

/// What changed in the inputs since the manifest was written: one line per file.
fn changed_inputs(
    shown: &str,
    recorded: &Manifest,
    actual: &[audit::InputFile],
    scenario: &Scenario,
) -> Vec<String> {
    let mut changed = Vec::new();
    if actual.len() != recorded.inputs.len() {
        changed.push(format!(
            "{}: the manifest records {} input files ({}), the scenario now reads {} ({})",
            shown,
            recorded.inputs.len(),
            names(recorded.inputs.iter().map(|f| f.path.as_str())),
            actual.len(),
            names(scenario.sources.iter().map(|p| p.to_str().unwrap_or("?"))),
        ));
    }
    for ((want, got), path) in recorded.inputs.iter().zip(actual).zip(&scenario.sources) {
        if want.sha256 != got.sha256 || want.role != got.role {
            changed.push(format!(
                "{}: the {} file changed: SHA-256 expected {} (manifest: {}), actual {}",
                path.display(),
                got.role,
                want.sha256,
                want.path,
                got.sha256
            ));
        }
    }
    changed
}

/// Every top-level field of the certificate that differs from the fresh one (except the
/// manifest and fields that already failed), with the first place it differs.
fn differing_fields(cert: &Fields, fresh: &Fields, failures: &mut Vec<String>) {
    let keys: BTreeSet<&String> = fresh.keys().chain(cert.keys()).collect();
    for key in keys {
        if key == "manifest" || failures.iter().any(|f| f.starts_with(key.as_str())) {
            continue;
        }
        let (claimed, fresh) = (cert.get(key), fresh.get(key));
        // The same text (as allot writes it) is the same value; otherwise compare values.
        if claimed.map(|r| r.get()) == fresh.map(|r| r.get()) {
            continue;
        }
        let value = |raw: Option<&Box<RawValue>>| -> Value {
            raw.and_then(|r| serde_json::from_str(r.get()).ok())
                .unwrap_or(Value::Null)
        };
        if let Some(at) = first_difference(key, &value(claimed), &value(fresh)) {
            failures.push(format!(
                "{key}: differs from what the inputs give, first at {at}"
            ));
        }
    }
}

/// The manifest of a solve certificate; anything else is refused as bad input.
fn read_manifest(shown: &str, cert: &Value) -> allot::Result<Manifest> {
    let refuse = |why: &str| Err(Error::input(shown, "", why));
    if cert.get("tally").is_some() || cert.get("acceptability").is_some() {
        return refuse(
            "a sweep result, not a solve certificate: verify checks `allot solve -f json` files \
             (re-run the sweep with the settings in its manifest to reproduce it)",
        );
    }
    let Some(m) = cert.get("manifest") else {
        return refuse(
            "no manifest: not a solve certificate, or written by an allot without audit manifests",
        );
    };
    let manifest: Manifest = serde_json::from_value(m.clone())
        .map_err(|e| Error::input(shown, "manifest", e.to_string()))?;
    if !matches!(manifest.command.as_str(), "solve" | "batch") {
        return refuse(&format!(
            "written by `allot {}`: verify checks solve certificates",
            manifest.command
        ));
    }
    if manifest.inputs.is_empty() {
        return refuse("the manifest names no input files");
    }
    Ok(manifest)
}

/// The recorded what-ifs.
fn overrides(m: &Manifest) -> allot::Result<Overrides> {
    let list = |k: &str| -> Vec<String> {
        m.parameters
            .get(k)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    Overrides::parse(
        &list("set"),
        &list("weight"),
        &list("exclude"),
        &list("lock"),
    )
}

/// The scenario the manifest names (or `--scenario`), with the recorded what-ifs; whether it is
/// the built-in one; whether it is a `.pb` file.
fn load(args: &Args, m: &Manifest) -> allot::Result<(Scenario, bool, bool)> {
    let first = &m.inputs[0];
    let path = match &args.scenario {
        Some(path) => path.clone(),
        None if first.builtin => PathBuf::from(&first.path),
        None => find_scenario(args, m)?,
    };
    if first.role == "pb" {
        let scenario = scenario::load_pb(&path)?;
        super::warn(&scenario);
        return Ok((scenario, false, true));
    }
    let builtin = first.builtin && args.scenario.is_none();
    let at = (!builtin).then_some(path.as_path());
    Ok((
        scenario::load_with_overrides(at, &overrides(m)?)?,
        builtin,
        false,
    ))
}

/// Where the scenario of a result is, without `--scenario`: where the command found it, from the
/// folder it ran in (`scenario_path`); else the recorded path from this folder (older manifests,
/// and `batch`, which records it within its folder); else beside the result file.
fn find_scenario(args: &Args, m: &Manifest) -> allot::Result<PathBuf> {
    let recorded = Path::new(&m.inputs[0].path);
    let beside = args
        .result
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(recorded));
    let tried: Vec<PathBuf> = m
        .scenario_path
        .iter()
        .map(PathBuf::from)
        .chain([recorded.to_path_buf()])
        .chain(beside)
        .collect();
    if let Some(found) = tried.iter().find(|p| p.is_file()) {
        return Ok(found.clone());
    }
    let mut looked: Vec<String> = Vec::new();
    for p in &tried {
        let shown = p.display().to_string();
        if !looked.contains(&shown) {
            looked.push(shown);
        }
    }
    Err(Error::input(
        args.result.display(),
        "",
        format!(
            "cannot find the scenario it was made from (looked for {}): run verify from the folder the result was made in, or name the scenario with --scenario PATH",
            looked.join(", ")
        ),
    ))
}

/// Adds a failure when a claimed decimal is not `actual`.
fn check_total(failures: &mut Vec<String>, what: &str, claimed: &Value, actual: Decimal) {
    let parsed = match claimed {
        Value::String(s) => Decimal::from_str(s).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    };
    if parsed != Some(actual) {
        failures.push(format!(
            "{what}: the certificate claims {claimed}, its funded pairs give {actual}"
        ));
    }
}

/// Where two JSON values first differ, as a path (`candidates[3].score: "81.5" ≠ "80.5"`).
fn first_difference(at: &str, claimed: &Value, fresh: &Value) -> Option<String> {
    match (claimed, fresh) {
        (Value::Object(a), Value::Object(b)) => a
            .keys()
            .chain(b.keys())
            .find_map(|k| first_difference(&format!("{at}.{k}"), &a[k], &b[k])),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(&format!("{at}[{i}]"), x, y)),
        _ if claimed == fresh => None,
        _ => Some(format!(
            "{at}: claimed {}, recomputed {}",
            short(claimed),
            short(fresh)
        )),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("a list of {}", a.len()),
        Value::Object(_) => "an object".into(),
        _ => v.to_string(),
    }
}

fn pair_name(scenario: &Scenario, evaluation: &allot::rules::Evaluation, c: usize) -> String {
    let cand = &evaluation.candidates[c];
    format!(
        "{}/{}",
        scenario.applications[cand.project].id, scenario.rounds[cand.round].id
    )
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn names<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let list: Vec<&str> = items.collect();
    if list.is_empty() {
        "nothing".into()
    } else {
        list.join(", ")
    }
}

/// Prints one line per failed check and gives the exit code.
fn fail(code: i32, messages: &[String]) -> i32 {
    for m in messages {
        eprintln!("allot: verify: {m}");
    }
    code
}
