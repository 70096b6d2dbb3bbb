//! The files allot writes and the paths it is given: modes that follow the umask, symlinks that
//! are followed, outputs that would overwrite the run's own inputs, outputs checked before the
//! work starts, results verified from where they were made.

use crate::util::Workdir;
use std::os::unix::fs::PermissionsExt;

/// A workdir whose runs are under umask 022 (unless a run names its own).
fn workdir() -> Workdir {
    Workdir::new().umask("022")
}

/// A workdir holding `small.toml` (the inline six-project fixture).
fn small() -> Workdir {
    let work = workdir();
    work.copy("tests/fixtures/small.toml", "small.toml");
    work
}

// ---------------------------------------------------------------------------------------------
// File modes and symlinks
// ---------------------------------------------------------------------------------------------

#[test]
fn new_files_follow_the_umask() {
    let work = small();
    work.run(&["solve", "small.toml", "-f", "json", "-o", "r.json"])
        .success();
    assert_eq!(work.mode("r.json"), 0o644);
    work.run_in("", "027", &["check", "small.toml", "-o", "check.txt"])
        .success();
    assert_eq!(work.mode("check.txt"), 0o640);
    work.run(&[
        "sweep",
        "small.toml",
        "--weights",
        "oat:±10%/2",
        "--emit-runs",
        "runs.jsonl",
        "--plot",
        "charts",
        "-o",
        "sweep.txt",
    ])
    .success();
    for name in [
        "runs.jsonl",
        "sweep.txt",
        "charts/acceptability.svg",
        "charts/frontier.svg",
        "charts/weights.svg",
    ] {
        assert_eq!(work.mode(name), 0o644, "{name}");
    }
}

#[test]
fn a_replaced_file_keeps_its_mode() {
    let work = small();
    work.write("r.json", "old");
    std::fs::set_permissions(work.path("r.json"), PermissionsExt::from_mode(0o664)).unwrap();
    work.run(&["solve", "small.toml", "-f", "json", "-o", "r.json"])
        .success();
    assert!(work.read_text("r.json").starts_with('{'));
    assert_eq!(work.mode("r.json"), 0o664);
}

#[test]
fn writing_to_a_symlink_writes_its_target() {
    let work = small();
    work.write("results/r.json", "old");
    std::os::unix::fs::symlink("results/r.json", work.path("latest.json")).unwrap();
    work.run(&["solve", "small.toml", "-f", "json", "-o", "latest.json"])
        .success();
    let link = std::fs::symlink_metadata(work.path("latest.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    assert!(work.read_text("results/r.json").starts_with('{'));
    // The temporary file was made beside the target, and nothing is left over.
    let left: Vec<_> = std::fs::read_dir(work.path("results")).unwrap().collect();
    assert_eq!(left.len(), 1);

    // A streamed file (--emit-runs) too, and a dangling link creates its target.
    std::os::unix::fs::symlink("results/runs.jsonl", work.path("runs.jsonl")).unwrap();
    work.run(&["sweep", "small.toml", "--emit-runs", "runs.jsonl"])
        .success();
    assert!(std::fs::symlink_metadata(work.path("runs.jsonl"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(work.read_text("results/runs.jsonl").starts_with("{\"run\""));
    assert_eq!(work.mode("results/runs.jsonl"), 0o644);
}

// ---------------------------------------------------------------------------------------------
// Outputs that are inputs of the run
// ---------------------------------------------------------------------------------------------

/// A workdir holding the `csv` fixture: `scenario.toml` and its `applications.csv`.
fn with_csv() -> Workdir {
    let work = workdir();
    work.copy("tests/fixtures/csv/scenario.toml", "scenario.toml")
        .copy("tests/fixtures/csv/applications.csv", "applications.csv");
    work
}

#[test]
fn an_output_that_is_an_input_of_the_run_is_refused() {
    let work = with_csv();
    let applications = work.read_text("applications.csv");
    let scenario = work.read_text("scenario.toml");
    work.run(&["solve", "scenario.toml", "-o", "applications.csv"])
        .fails(
            2,
            &[
                "-o applications.csv: this is an input of the run (the applications of scenario.toml); choose another file",
            ],
        );
    // By identity, not by name: another spelling, a symlink, a hard link.
    std::os::unix::fs::symlink("applications.csv", work.path("link.csv")).unwrap();
    std::fs::hard_link(work.path("applications.csv"), work.path("hard.csv")).unwrap();
    for name in ["./applications.csv", "link.csv", "hard.csv"] {
        work.run(&["check", ".", "-o", name])
            .fails(2, &[name, "the applications of scenario.toml"]);
    }
    work.run(&[
        "export",
        "scenario.toml",
        "--lp",
        "out.lp",
        "--mps",
        "scenario.toml",
    ])
    .fails(2, &["--mps scenario.toml", "(the scenario file)"]);
    work.run(&["sweep", ".", "--emit-runs", "applications.csv"])
        .fails(2, &["--emit-runs applications.csv"]);
    work.run(&["reserve", ".", "-o", "scenario.toml"])
        .fails(2, &["-o scenario.toml", "(the scenario file)"]);
    work.run(&["explain", ".", "B1", "-o", "scenario.toml"])
        .fails(2, &["-o scenario.toml"]);
    work.run(&["report", ".", "-o", "scenario.toml"])
        .fails(2, &["-o scenario.toml"]);
    assert_eq!(work.read_text("applications.csv"), applications);
    assert_eq!(work.read_text("scenario.toml"), scenario);
    assert!(!work.path("out.lp").exists(), "a refused run wrote a file");
}

#[test]
fn outputs_that_are_files_a_command_reads_are_refused() {
    let work = with_csv();
    work.run(&["solve", ".", "-f", "json", "-o", "a.json"])
        .success();
    work.run(&["solve", ".", "-f", "json", "-o", "b.json"])
        .success();
    let a = work.read_text("a.json");
    work.run(&["diff", "a.json", "b.json", "-o", "a.json"])
        .fails(2, &["-o a.json", "(the base certificate)"]);
    work.run(&["sweep", ".", "-f", "json", "-o", "s.json"])
        .success();
    work.run(&["report", ".", "--sweep", "s.json", "-o", "s.json"])
        .fails(2, &["-o s.json", "(a sweep read by --sweep)"]);
    work.run(&["sweep", ".", "--shard", "0/1", "-o", "shard0.json"])
        .success();
    work.run(&["merge", "shard0.json", "-o", "shard0.json"])
        .fails(2, &["-o shard0.json", "(a shard file being merged)"]);
    assert_eq!(work.read_text("a.json"), a);

    // A batch whose results folder is its scenario folder would replace a JSON scenario.
    work.copy("tests/fixtures/small.json", "batch/small.json");
    let small = work.read_text("batch/small.json");
    work.run(&["batch", "batch", "--results", "batch"]).fails(
        2,
        &["--results batch/small.json", "(a scenario of the batch)"],
    );
    work.run(&["batch", "batch", "-o", "batch/small.json"])
        .fails(2, &["-o batch/small.json"]);
    assert_eq!(work.read_text("batch/small.json"), small);
}

#[test]
fn generate_refuses_a_folder_that_is_not_empty_unless_forced() {
    let work = workdir();
    work.write("mine/scenario.toml", "# hand-written\n");
    work.run(&["generate", "-o", "mine", "--projects", "5"])
        .fails(2, &["-o mine: the folder is not empty", "--force"]);
    assert_eq!(work.read_text("mine/scenario.toml"), "# hand-written\n");
    work.run(&["generate", "-o", "mine", "--projects", "5", "--force"])
        .success();
    assert!(work.read_text("mine/scenario.toml").contains("[[pools]]"));
    // A new folder and an empty one are fine.
    work.run(&["generate", "-o", "new/deeper", "--projects", "5"])
        .success();
    std::fs::create_dir(work.path("empty")).unwrap();
    work.run(&["generate", "-o", "empty", "--projects", "5"])
        .success();
}

// ---------------------------------------------------------------------------------------------
// Outputs checked before the work starts
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unwritable_output_fails_before_the_work_starts() {
    let work = small();
    work.write("plain", "a file, not a folder");
    // An infeasible round: solving first would exit 3; the output is checked first (exit 1).
    let infeasible = ["--set", "rounds.big.max_projects=0", "--lock", "A1:big"];
    let solve = |out: &str| {
        let mut args = vec!["solve", "small.toml", "-o", out];
        args.extend(infeasible);
        work.run(&args)
    };
    solve("missing/r.json").fails(
        1,
        &["missing/r.json: cannot write: the folder missing does not exist"],
    );
    solve("plain/r.json").fails(1, &["plain/r.json: cannot write: plain is not a folder"]);
    solve("charts").code(3);
    std::fs::create_dir(work.path("folder")).unwrap();
    solve("folder").fails(1, &["folder: cannot write: it is a folder"]);

    // A sweep: nothing is run, and no --emit-runs file is left behind.
    work.run(&[
        "sweep",
        "small.toml",
        "--weights",
        "uniform:±20%",
        "--samples",
        "200",
        "--emit-runs",
        "runs.jsonl",
        "-o",
        "missing/sweep.json",
    ])
    .fails(1, &["missing/sweep.json"]);
    assert!(!work.path("runs.jsonl").exists());
    work.run(&["sweep", "small.toml", "--plot", "plain/charts"])
        .fails(
            1,
            &["plain/charts/acceptability.svg", "plain is not a folder"],
        );
    work.run(&["sweep", "small.toml", "--plot", "new/charts", "-o", "s.txt"])
        .success();
    for (command, flag) in [
        (&["check", "small.toml"][..], "-o"),
        (&["reserve", "small.toml"][..], "-o"),
        (&["explain", "small.toml", "A1"][..], "-o"),
        (&["report", "small.toml"][..], "-o"),
        (&["export", "small.toml"][..], "--lp"),
        (&["export", "small.toml"][..], "--mps"),
    ] {
        let mut args = command.to_vec();
        args.extend([flag, "missing/out"]);
        work.run(&args).fails(1, &["missing/out: cannot write"]);
    }
    work.run(&["solve", "small.toml", "-f", "json", "-o", "r.json"])
        .success();
    work.run(&["diff", "r.json", "r.json", "-o", "missing/d.txt"])
        .fails(1, &["missing/d.txt"]);
    work.write("batch/small.toml", work.read_text("small.toml"));
    work.run(&["batch", "batch", "-o", "missing/b.txt"])
        .fails(1, &["missing/b.txt"]);
    work.run(&["batch", "batch", "--results", "plain/results"])
        .fails(1, &["plain/results/small.json", "plain is not a folder"]);
}

// ---------------------------------------------------------------------------------------------
// Verifying from where the result was made
// ---------------------------------------------------------------------------------------------

#[test]
fn a_result_verifies_from_the_folder_it_was_made_in() {
    let work = workdir();
    work.copy(
        "scenarios/quzhou-2019/scenario.toml",
        "scenarios/q/scenario.toml",
    )
    .copy(
        "scenarios/quzhou-2019/applications.csv",
        "scenarios/q/applications.csv",
    );
    let made = work.run(&["solve", "scenarios/q", "-f", "json"]);
    made.success();
    work.write("r.json", &made.stdout);
    let verified = work.run(&["verify", "r.json"]);
    verified.success();
    assert!(
        verified.stdout.contains("r.json: verified"),
        "{}",
        verified.stdout
    );

    // Moved elsewhere: the message says how to point verify at the scenario.
    work.write("elsewhere/r.json", &made.stdout);
    work.run_in("elsewhere", "022", &["verify", "r.json"])
        .fails(
            2,
            &[
                "r.json: cannot find the scenario it was made from",
                "scenarios/q/scenario.toml",
                "--scenario PATH",
            ],
        );
    work.run_in(
        "elsewhere",
        "022",
        &["verify", "r.json", "--scenario", "../scenarios/q"],
    )
    .success();
}

#[test]
fn an_older_certificate_without_scenario_path_still_verifies() {
    let work = workdir();
    work.copy("tests/fixtures/csv/scenario.toml", "s/scenario.toml")
        .copy("tests/fixtures/csv/applications.csv", "s/applications.csv");
    let made = work.run_in("s", "022", &["solve", ".", "-f", "json"]);
    made.success();
    let mut cert: serde_json::Value = serde_json::from_str(&made.stdout).unwrap();
    let manifest = cert["manifest"].as_object_mut().unwrap();
    assert!(manifest.remove("scenario_path").is_some());
    work.write("s/old.json", serde_json::to_string_pretty(&cert).unwrap());
    work.run_in("s", "022", &["verify", "old.json"]).success();
    // Found beside the result file, too.
    work.run(&["verify", "s/old.json"]).success();
}

#[test]
fn shards_run_from_different_folders_merge() {
    let work = small();
    std::fs::create_dir(work.path("sub")).unwrap();
    let sweep = ["sweep", "--weights", "oat:±10%/2", "--shard"];
    let mut a = vec![sweep[0], "small.toml"];
    a.extend(&sweep[1..]);
    a.extend(["0/2", "-o", "a.json"]);
    work.run(&a).success();
    let mut b = vec![sweep[0], "../small.toml"];
    b.extend(&sweep[1..]);
    b.extend(["1/2", "-o", "../b.json"]);
    work.run_in("sub", "022", &b).success();
    let merged = work.run(&["merge", "a.json", "b.json", "-f", "json"]);
    merged.success();
    let v: serde_json::Value = serde_json::from_str(&merged.stdout).unwrap();
    assert_eq!(v["manifest"]["scenario_path"], "small.toml");
}
