//! Audit-grade reproducibility: every JSON result carries a manifest (versions, SHA-256 of every
//! input, every parameter) and no timestamps or absolute paths, so identical runs write identical
//! bytes (from another working folder, all but the scenario's recorded place); `allot verify` re-checks a solve certificate against
//! its inputs and fails, with the right exit code and message, on every kind of tampering.

use crate::util::{Run, MANIFEST_DIR as ROOT};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;
use tempfile::TempDir;

/// Exit code, stdout, stderr of the binary run in `cwd`.
fn allot_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    Run::new(args).cwd(cwd).go().parts()
}

/// Runs the binary in `cwd` and insists on exit 0; stdout.
#[track_caller]
fn ok_in(cwd: &Path, args: &[&str]) -> String {
    Run::new(args).cwd(cwd).go().ok()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A copy of a bundled scenario folder in `dir/name`.
fn copy_scenario(from: &str, dir: &Path, name: &str) {
    let to = dir.join(name);
    std::fs::create_dir_all(&to).unwrap();
    for entry in std::fs::read_dir(Path::new(ROOT).join(from)).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("JSON output")
}

/// `allot verify FILE` in `cwd`: (code, stdout, stderr).
fn verify(cwd: &Path, file: &str, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["verify", file];
    args.extend_from_slice(extra);
    allot_in(cwd, &args)
}

#[track_caller]
fn verified(cwd: &Path, file: &str, extra: &[&str]) {
    let (code, out, err) = verify(cwd, file, extra);
    assert_eq!(code, 0, "verify {file} exited {code}\n{err}\n{out}");
    assert!(out.contains("verified") && out.contains("the same tie-broken portfolio"));
    assert!(err.is_empty(), "{err}");
}

/// Exit `code`, and stderr holds one `allot: ` line per failed check, each with every part.
#[track_caller]
fn fails(result: (i32, String, String), code: i32, lines: &[&[&str]]) {
    let (got, out, err) = result;
    assert_eq!(got, code, "expected exit {code}\n{err}\n{out}");
    assert!(out.is_empty(), "a failed verify wrote to stdout: {out}");
    let found: Vec<&str> = err.lines().collect();
    assert_eq!(found.len(), lines.len(), "stderr:\n{err}");
    for (line, parts) in found.iter().zip(lines) {
        assert!(line.starts_with("allot: "), "{line}");
        for p in *parts {
            assert!(line.contains(p), "{p:?} missing from {line:?}");
        }
    }
}

#[test]
fn identical_runs_write_identical_bytes_with_a_manifest() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let a = ok_in(
        d,
        &["solve", "-f", "json", "--set", "pools.key.budget=28000000"],
    );
    let b = ok_in(
        d,
        &["solve", "-f", "json", "--set", "pools.key.budget=28000000"],
    );
    assert_eq!(a, b);
    let m = &json(&a)["manifest"];
    assert_eq!(m["allot"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["command"], "solve");
    let highs = m["highs"].as_str().unwrap();
    assert_eq!(highs.split('.').count(), 3, "{highs}");
    assert!(
        highs.split('.').all(|n| n.parse::<u32>().is_ok()),
        "{highs}"
    );
    assert_eq!(
        m["parameters"]["set"],
        serde_json::json!(["pools.key.budget=28000000"])
    );
    assert_eq!(m["parameters"]["reduce"], true);
    assert_eq!(m["parameters"]["time_limit"], Value::Null);
    assert_eq!(m["inputs"][0]["builtin"], true);
    assert!(!a.contains(&*d.to_string_lossy()) && !a.contains(ROOT));

    // Sweep JSON and shard files: the same bytes twice, with the sweep's settings and seed.
    let sweep = [
        "sweep",
        "--weights",
        "uniform:±10%",
        "--samples",
        "4",
        "--seed",
        "7",
        "-f",
        "json",
    ];
    let s1 = ok_in(d, &sweep);
    assert_eq!(s1, ok_in(d, &sweep));
    let m = &json(&s1)["manifest"];
    assert_eq!(m["command"], "sweep");
    assert_eq!(m["parameters"]["seed"], 7);
    assert_eq!(m["parameters"]["weights"], "uniform:±10%");
    let shard = [&sweep[..], &["--shard", "0/2"]].concat();
    let shard_text = ok_in(d, &shard);
    assert_eq!(shard_text, ok_in(d, &shard));
    assert_eq!(json(&shard_text)["header"]["manifest"], *m);
    // Explain and reserve JSON carry one too.
    for (args, command) in [
        (
            &["explain", "P001", "-f", "json", "--lang", "en"][..],
            "explain",
        ),
        (
            &["reserve", "-f", "json", "--exclude", "P005"][..],
            "reserve",
        ),
    ] {
        let text = ok_in(d, args);
        assert_eq!(text, ok_in(d, args));
        let m = &json(&text)["manifest"];
        assert_eq!(m["command"], command);
        assert_eq!(m["inputs"].as_array().unwrap().len(), 2);
    }
    assert_eq!(
        json(&ok_in(d, &["reserve", "-f", "json", "--exclude", "P005"]))["manifest"]["parameters"]
            ["exclude"],
        serde_json::json!(["P005"])
    );
    // A shard file and a sweep summary are refused by verify, clearly.
    std::fs::write(d.join("shard.json"), &shard_text).unwrap();
    std::fs::write(d.join("sweep.json"), &s1).unwrap();
    for f in ["shard.json", "sweep.json"] {
        fails(
            verify(d, f, &[]),
            2,
            &[&[f, "a sweep result, not a solve certificate"]],
        );
    }
}

#[test]
fn the_same_run_from_another_folder_differs_only_in_the_scenario_path_and_hashes_are_sha256sum() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    copy_scenario("scenarios/quzhou-2019", d, "q");
    std::fs::create_dir(d.join("elsewhere")).unwrap();
    let here = ok_in(d, &["solve", "q", "-f", "json"]);
    let there = ok_in(
        &d.join("elsewhere"),
        &["solve", "../q/scenario.toml", "-f", "json"],
    );
    let absolute = ok_in(
        Path::new(ROOT),
        &["solve", &d.join("q").to_string_lossy(), "-f", "json"],
    );
    // The same bytes but for where the scenario was, seen from the working folder (for verify).
    let place = |text: &str| {
        let mut v = json(text);
        let path = v["manifest"]
            .as_object_mut()
            .unwrap()
            .remove("scenario_path");
        (v, path)
    };
    let (here_v, here_at) = place(&here);
    let (there_v, there_at) = place(&there);
    let (absolute_v, absolute_at) = place(&absolute);
    assert_eq!(here_at, Some("q/scenario.toml".into()));
    assert_eq!(there_at, Some("../q/scenario.toml".into()));
    assert_eq!(absolute_at, None, "an absolute path is not recorded");
    assert_eq!(here_v, there_v);
    assert_eq!(here_v, absolute_v);
    assert_eq!(
        here.replace("    \"scenario_path\": \"q/scenario.toml\",\n", ""),
        absolute
    );
    let inputs = json(&here)["manifest"]["inputs"].clone();
    let inputs = inputs.as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    for (input, (role, name)) in inputs.iter().zip([
        ("scenario", "scenario.toml"),
        ("applications", "applications.csv"),
    ]) {
        assert_eq!(input["role"], role);
        assert_eq!(input["path"], name);
        assert!(input.get("builtin").is_none());
        let bytes = std::fs::read(d.join("q").join(name)).unwrap();
        assert_eq!(input["sha256"], sha256(&bytes), "{name}");
    }
    // The built-in scenario hashes like the bundled files on disk.
    let builtin = json(&ok_in(d, &["solve", "-f", "json"]));
    for (a, b) in builtin["manifest"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .zip(inputs)
    {
        assert_eq!(a["sha256"], b["sha256"]);
    }
}

#[test]
fn verify_passes_on_fresh_results() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    // The built-in default, verified from any folder.
    std::fs::write(d.join("default.json"), ok_in(d, &["solve", "-f", "json"])).unwrap();
    verified(d, "default.json", &[]);
    // The commerce example, from the repository root as recorded, and from elsewhere with --scenario.
    let commerce = Path::new(ROOT).join("scenarios/commerce-2019");
    let out = d.join("commerce.json");
    ok_in(
        d,
        &[
            "solve",
            &commerce.to_string_lossy(),
            "-f",
            "json",
            "-o",
            "commerce.json",
        ],
    );
    let (code, _, err) = verify(d, "commerce.json", &[]);
    assert_eq!(
        code, 2,
        "the recorded scenario.toml is not in this folder: {err}"
    );
    assert!(err.contains("scenario.toml"), "{err}");
    verified(&commerce, &out.to_string_lossy(), &[]);
    verified(
        d,
        "commerce.json",
        &["--scenario", &commerce.to_string_lossy()],
    );
    // A generated scenario.
    ok_in(
        d,
        &["generate", "--projects", "60", "--seed", "5", "-o", "gen"],
    );
    ok_in(d, &["solve", "gen", "-f", "json", "-o", "gen.json"]);
    verified(d, "gen.json", &["--scenario", "gen"]);
    // A what-if result: the recorded --set and --exclude are applied again.
    let what_if = [
        "solve",
        "-f",
        "json",
        "--set",
        "pools.key.budget=25000000",
        "--exclude",
        "P005",
        "--weight",
        "tech=0.4",
        "-o",
        "whatif.json",
    ];
    ok_in(d, &what_if);
    verified(d, "whatif.json", &[]);
    // A Pabulib file (its greedy baseline included).
    let pb = Path::new(ROOT).join("tests/fixtures/pb/tie.pb");
    std::fs::copy(&pb, d.join("tie.pb")).unwrap();
    ok_in(
        d,
        &["solve", "--pb", "tie.pb", "-f", "json", "-o", "pb.json"],
    );
    verified(d, "pb.json", &[]);
    // A batch result, from the batch folder.
    std::fs::create_dir(d.join("batch")).unwrap();
    copy_scenario("scenarios/commerce-2019", &d.join("batch"), "commerce");
    ok_in(d, &["batch", "batch", "--results", "results"]);
    let m = json(&std::fs::read_to_string(d.join("results/commerce.json")).unwrap());
    assert_eq!(m["manifest"]["inputs"][0]["path"], "commerce/scenario.toml");
    verified(&d.join("batch"), "../results/commerce.json", &[]);
}

/// A solve of a copy of the bundled scenario in a temporary folder, with the certificate in
/// `cert.json`.
fn tamper_setup() -> (TempDir, Value) {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    copy_scenario("scenarios/quzhou-2019", d, "q");
    ok_in(d, &["solve", "q", "-f", "json", "-o", "cert.json"]);
    let cert = json(&std::fs::read_to_string(d.join("cert.json")).unwrap());
    (dir, cert)
}

fn write_json(path: &Path, v: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(v).unwrap() + "\n").unwrap();
}

#[test]
fn verify_fails_when_an_input_changed_by_one_byte() {
    let (dir, cert) = tamper_setup();
    let d = dir.path();
    verified(d, "cert.json", &["--scenario", "q"]);
    let file = d.join("q/applications.csv");
    let mut bytes = std::fs::read(&file).unwrap();
    let before = sha256(&bytes);
    // One byte of the last line's name column... any byte: the last one before the final newline.
    let at = bytes.len() - 2;
    bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
    std::fs::write(&file, &bytes).unwrap();
    let after = sha256(&bytes);
    assert_eq!(cert["manifest"]["inputs"][1]["sha256"], before);
    fails(
        verify(d, "cert.json", &["--scenario", "q"]),
        2,
        &[&["applications.csv", "changed", &before, &after]],
    );
}

#[test]
fn verify_fails_when_the_certificate_is_tampered() {
    let (dir, cert) = tamper_setup();
    let d = dir.path();
    let path = d.join("bad.json");
    let scenario = ["--scenario", "q"];

    // A funded pair swapped for a project that was not funded.
    let mut bad = cert.clone();
    let outsider = cert["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["status"] == "not_eligible" || p["status"] == "ineligible")
        .or_else(|| {
            cert["projects"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["status"] != "funded")
        })
        .unwrap()["id"]
        .clone();
    bad["funded"][0]["project"] = outsider.clone();
    write_json(&path, &bad);
    let (code, out, err) = verify(d, "bad.json", &scenario);
    assert_eq!(code, 4, "{err}\n{out}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.lines().all(|l| l.starts_with("allot: verify: ")),
        "{err}"
    );
    let first = err.lines().next().unwrap();
    let outsider = outsider.as_str().unwrap();
    assert!(
        first.contains(&format!("funded: {outsider} in round"))
            && first.contains("not an eligible candidate"),
        "{err}"
    );
    assert!(err.contains("total_score: the certificate claims"), "{err}");

    // An eligible pair added to the funded ones: it breaks a limit, or at least the totals.
    let funded: Vec<(Value, Value)> = cert["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["project"].clone(), f["round"].clone()))
        .collect();
    let extra = cert["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| !funded.iter().any(|(p, _)| *p == c["project"]))
        .unwrap();
    let mut bad = cert.clone();
    bad["funded"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "project": extra["project"], "round": extra["round"],
            "subsidy": extra["subsidy"], "amount": extra["subsidy"], "score": extra["score"],
        }));
    write_json(&path, &bad);
    let (code, _, err) = verify(d, "bad.json", &scenario);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("fails exact verification") && err.contains("total_score"),
        "{err}"
    );

    // The claimed total score.
    let mut bad = cert.clone();
    bad["total_score"] = Value::from("9999.0001");
    write_json(&path, &bad);
    fails(
        verify(d, "bad.json", &scenario),
        4,
        &[&[
            "total_score",
            "9999.0001",
            cert["total_score"].as_str().unwrap(),
        ]],
    );

    // A pool's money.
    let mut bad = cert.clone();
    bad["pools"][0]["spent"] = Value::from("1");
    write_json(&path, &bad);
    fails(
        verify(d, "bad.json", &scenario),
        4,
        &[&["pools[key].spent", "\"1\""]],
    );

    // A derived field: one candidate's score.
    let mut bad = cert.clone();
    bad["candidates"][3]["score"] = Value::from("1.0000");
    write_json(&path, &bad);
    fails(
        verify(d, "bad.json", &scenario),
        4,
        &[&["candidates", "candidates[3].score", "1.0000"]],
    );
}

#[test]
fn verify_fails_on_a_feasible_portfolio_that_is_not_optimal() {
    let (dir, cert) = tamper_setup();
    let d = dir.path();
    // The optimum without one funded project: feasible for the full round, but worse.
    let first = cert["funded"][0]["project"].as_str().unwrap().to_string();
    ok_in(
        d,
        &[
            "solve",
            "q",
            "-f",
            "json",
            "--exclude",
            &first,
            "-o",
            "worse.json",
        ],
    );
    let worse = json(&std::fs::read_to_string(d.join("worse.json")).unwrap());
    let mut bad = cert.clone();
    for key in ["funded", "total_score", "total_subsidy", "pools"] {
        bad[key] = worse[key].clone();
    }
    write_json(&d.join("bad.json"), &bad);
    fails(
        verify(d, "bad.json", &["--scenario", "q"]),
        4,
        &[&[
            "optimality",
            worse["total_score"].as_str().unwrap(),
            cert["total_score"].as_str().unwrap(),
        ]],
    );
}

#[test]
fn verify_refuses_files_without_a_manifest() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    std::fs::write(d.join("old.json"), "{\"scenario\": \"x\", \"funded\": []}").unwrap();
    fails(
        verify(d, "old.json", &[]),
        2,
        &[&["old.json", "no manifest"]],
    );
    fails(
        verify(d, "missing.json", &[]),
        2,
        &[&["missing.json", "cannot read"]],
    );
}
