//! Malformed input of every kind a planner can produce, run through the binary: each is refused
//! with one exact line on stderr, exit code 2, nothing on stdout and no output file (`-o` is always
//! given); and the inputs that are only untidy (a byte-order mark, GBK, thousands separators, blank
//! rows, CRLF, a unit in the header or the cell) solve to exactly what the clean file solves to.
//!
//! Cases are tables, one row per malformed input, so every mismatch of a table is reported at once.
//! The cases already in `tests/integration/cli.rs` (missing files, a TOML or JSON syntax error, an
//! unknown pool, round or criterion, a duplicate CSV id, negative money, `12,5OO`, a TOML float,
//! zero weights, group limits, short rows, no id column, unknown keys, unknown must-fund projects)
//! are not repeated.

use crate::util::{edit, fixture, fixture_bytes, Workdir};
use std::collections::BTreeSet;

/// One malformed input: the files of a scenario folder, which of them is the scenario, and the
/// exact message (without `allot: ` and the newline).
struct Case {
    label: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    scenario: &'static str,
    message: String,
}

/// Runs `solve SCENARIO -f json -o out.json` and `check SCENARIO` on each case; returns what
/// differs from the expectation (exit 2, stdout empty, exactly `allot: MESSAGE\n` on stderr, no
/// `out.json` and nothing else left in the folder).
fn refusals(cases: &[Case]) -> Vec<String> {
    let mut wrong = Vec::new();
    for case in cases {
        let work = Workdir::with(&case.files);
        let before = work.entries("");
        let expected = format!("allot: {}\n", case.message);
        for args in [
            vec!["solve", case.scenario, "-f", "json", "-o", "out.json"],
            vec!["check", case.scenario],
        ] {
            let run = work.run(&args);
            if run.code != 2 || !run.stdout.is_empty() || run.stderr != expected {
                wrong.push(format!(
                    "{} (`allot {}`): exit {}, stdout {:?}\n   stderr {:?}\n expected {:?}",
                    case.label,
                    args.join(" "),
                    run.code,
                    run.stdout,
                    run.stderr,
                    expected
                ));
            }
        }
        if work.entries("") != before {
            wrong.push(format!(
                "{}: the folder changed: {:?} → {:?}",
                case.label,
                before,
                work.entries("")
            ));
        }
    }
    wrong
}

#[track_caller]
fn assert_refused(cases: Vec<Case>) {
    let wrong = refusals(&cases);
    assert!(
        wrong.is_empty(),
        "{} of {} cases went wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// The `csv` fixture (header `id,rounds,equipment,quality`, amounts in 万元) with `applications.csv`
/// replaced.
fn csv_case(label: &'static str, csv: impl Into<Vec<u8>>, message: &str) -> Case {
    Case {
        label,
        files: vec![
            ("scenario.toml", fixture_bytes("csv/scenario.toml")),
            ("applications.csv", csv.into()),
        ],
        scenario: "scenario.toml",
        message: message.to_string(),
    }
}

/// The `small` inline scenario with one edit (`from` → `to`).
fn toml_case(label: &'static str, from: &str, to: &str, message: &str) -> Case {
    toml_text_case(label, edit(&fixture("small.toml"), from, to), message)
}

fn toml_text_case(label: &'static str, text: impl Into<Vec<u8>>, message: &str) -> Case {
    Case {
        label,
        files: vec![("scenario.toml", text.into())],
        scenario: "scenario.toml",
        message: message.to_string(),
    }
}

/// The `small` scenario with a `[committee]` table added before `[applications]`.
fn committee_case(label: &'static str, committee: &str, message: &str) -> Case {
    toml_case(
        label,
        "[applications]",
        &format!("[committee]\n{committee}\n\n[applications]"),
        message,
    )
}

fn json_case(label: &'static str, text: impl Into<Vec<u8>>, message: &str) -> Case {
    Case {
        label,
        files: vec![("scenario.json", text.into())],
        scenario: "scenario.json",
        message: message.to_string(),
    }
}

/// Text as Excel saves a "CSV" on a Chinese Windows: GBK bytes.
fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "{text:?} has no GBK form");
    bytes.into_owned()
}

const HEADER: &str = "id,rounds,equipment,quality\n";

fn csv(rows: &str) -> String {
    format!("{HEADER}{rows}")
}

// ---------------------------------------------------------------------------------------------
// Bytes: encodings a sheet can be saved in
// ---------------------------------------------------------------------------------------------

#[test]
fn undecodable_bytes_are_refused_at_the_first_bad_one() {
    let mut corrupt_gbk = gbk("id,rounds,equipment,quality\nB1,big,100,80\n");
    corrupt_gbk.extend_from_slice(&gbk("B2,大"));
    corrupt_gbk.extend_from_slice(b"\x81\x20,100,70\n");
    let mut bom_then_gbk = b"\xEF\xBB\xBF".to_vec();
    bom_then_gbk.extend_from_slice(&gbk("id,rounds,equipment,质量\n"));
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "id,rounds\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert_refused(vec![
        csv_case(
            "a Latin-1 byte",
            [csv("B1,big,100,80\nB2,caf").as_bytes(), b"\xe9,100,70\n"].concat(),
            "applications.csv: line 3 (byte 48): \"\\xe9\" is neither UTF-8 nor GBK/GB18030 text; save the sheet as \"CSV UTF-8\"",
        ),
        csv_case(
            "GBK with one corrupt byte",
            corrupt_gbk,
            "applications.csv: line 3 (byte 47): \"\\x81\" is neither UTF-8 nor GBK/GB18030 text; save the sheet as \"CSV UTF-8\"",
        ),
        csv_case(
            "a UTF-8 byte-order mark before GBK",
            bom_then_gbk,
            "applications.csv: line 1 (byte 23): \"\\xd6\" is not UTF-8 text; save the sheet as \"CSV UTF-8\"",
        ),
        csv_case(
            "UTF-16 (Excel's Unicode text)",
            utf16,
            "applications.csv: is UTF-16 text (Excel's \"Unicode text\"); save the sheet as \"CSV UTF-8\"",
        ),
        toml_text_case(
            "a GBK scenario file",
            gbk(&fixture("small.toml")),
            "scenario.toml: line 23 (byte 444): \"\\xca\" is not UTF-8 text; save the file as UTF-8",
        ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// The applications table: structure and cells
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_tables_are_refused() {
    assert_refused(vec![
        csv_case(
            "an empty file",
            "",
            "applications.csv: the file is empty; it needs a header row and one row per application",
        ),
        csv_case(
            "only blank lines",
            "\n\r\n  \n",
            "applications.csv: the file is empty; it needs a header row and one row per application",
        ),
        csv_case(
            "only the header",
            HEADER,
            "applications.csv: has a header row but no applications",
        ),
        csv_case(
            "the header and blank rows",
            csv("\n,,,\n , , , \n"),
            "applications.csv: has a header row but no applications",
        ),
        csv_case(
            "the same header twice",
            "id,rounds,equipment,quality,Note,note\nB1,big,100,80,a,b\n",
            "applications.csv: row 1: columns 5 and 6 are both headed \"note\"; rename or delete one",
        ),
        csv_case(
            "two headers for one field",
            "id,rounds,equipment,设备投资,quality\nB1,big,100,100,80\n",
            "applications.csv: row 1: columns \"equipment\" and \"设备投资\" both give the same field",
        ),
        csv_case(
            "values under no header",
            "id,rounds,equipment,quality,\nB1,big,100,80,\nB2,big,100,70,x\n",
            "applications.csv: row 3, column 5: \"x\" is in a column without a header; name the column or delete it",
        ),
        csv_case(
            "no column for the criterion",
            "id,rounds,equipment\nB1,big,100\n",
            "applications.csv: row 1: no column for criterion quality (质量)",
        ),
        csv_case(
            "no rounds column",
            "id,equipment,quality\nB1,100,80\n",
            "applications.csv: row 1: no rounds (申报类别) column",
        ),
        csv_case(
            "a row longer than the header",
            csv("B1,big,100,80,extra\n"),
            "applications.csv: row 2: has 5 cells where the header has 4",
        ),
    ]);
}

#[test]
fn malformed_cells_are_refused() {
    assert_refused(vec![
        csv_case(
            "a formula for an amount",
            csv("B1,big,100,80\nB2,big,=SUM(C2:C2),70\n"),
            "applications.csv: row 3, column \"equipment\": \"=SUM(C2:C2)\" is a spreadsheet formula; formulas are not evaluated: export the sheet with its values (\"CSV UTF-8\")",
        ),
        csv_case(
            "a formula for a score",
            csv("B1,big,100,=AVERAGE(80;90)\n"),
            "applications.csv: row 2, column \"quality\": \"=AVERAGE(80;90)\" is a spreadsheet formula; formulas are not evaluated: export the sheet with its values (\"CSV UTF-8\")",
        ),
        csv_case(
            "a decimal comma",
            csv("B1,big,\"1,5\",80\n"),
            "applications.csv: row 2, column \"equipment\": \"1,5\" has ',' where no thousands separator goes (groups of three digits, as in \"1,234,567.50\")",
        ),
        csv_case(
            "a European amount",
            csv("B1,big,\"1.234,56\",80\n"),
            "applications.csv: row 2, column \"equipment\": \"1.234,56\" has ',' where no thousands separator goes (groups of three digits, as in \"1,234,567.50\")",
        ),
        csv_case(
            "two kinds of separator",
            csv("B1,big,\"1,234 567\",80\n"),
            "applications.csv: row 2, column \"equipment\": \"1,234 567\" mixes the separators ',' and ' '; write the number with one kind, or none",
        ),
        csv_case(
            "an accounting negative",
            csv("B1,big,(100),80\n"),
            "applications.csv: row 2, column \"equipment\": \"(100)\" is not an amount",
        ),
        csv_case(
            "a percentage for an amount",
            csv("B1,big,10%,80\n"),
            "applications.csv: row 2, column \"equipment\": \"10%\" is not an amount",
        ),
        csv_case(
            "a negative amount in yuan in a 万元 column",
            csv("B1,big,-100元,80\n"),
            "applications.csv: row 2, column \"equipment\": \"-100元\" is negative; amounts must be zero or more",
        ),
        csv_case(
            "finer than a fen after conversion",
            csv("B1,big,0.0000001,80\n"),
            "applications.csv: row 2, column \"equipment\": \"0.0000001\" is finer than one fen (0.01 yuan)",
        ),
        csv_case(
            "a score that is not a number",
            csv("B1,big,100,8O\n"),
            "applications.csv: row 2, column \"quality\": \"8O\" is not a number",
        ),
        csv_case(
            "an unknown round",
            csv("B1,bigg,100,80\n"),
            "applications.csv: row 2, column \"rounds\": \"bigg\" is not a round (rounds: big)",
        ),
        csv_case(
            "an empty id",
            csv("B1,big,100,80\n,big,100,70\n"),
            "applications.csv: row 3: the project id is empty",
        ),
        csv_case(
            "no round",
            csv("B1,,100,80\n"),
            "applications.csv: row 2: project B1 applies to no round",
        ),
        csv_case(
            "a yes/no cell that is neither",
            "id,rounds,equipment,quality,patent\nB1,big,100,80,maybe\n",
            "applications.csv: row 2, column \"patent\": \"maybe\" is not yes or no (是/否, 1/0)",
        ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// The scenario file: values, references, committee decisions, syntax
// ---------------------------------------------------------------------------------------------

#[test]
fn malformed_scenario_values_are_refused() {
    assert_refused(vec![
        toml_text_case(
            "an empty scenario",
            "",
            "scenario.toml: the file is empty; a scenario needs [[pools]], [[rounds]], [scoring] and [applications]",
        ),
        toml_text_case(
            "a scenario of comments",
            "# nothing yet\n",
            "scenario.toml: line 1, column 1: missing field `pools`",
        ),
        toml_case(
            "a rate over 100 %",
            "rate = \"0.10\"",
            "rate = \"150%\"",
            "scenario.toml: rounds[0] (big).subsidy.rate: 1.5 is out of range: it must be between 0 and 1 (0.1 = 10%)",
        ),
        toml_case(
            "a negative rate",
            "rate = \"0.05\"",
            "rate = \"-0.05\"",
            "scenario.toml: rounds[1] (small).subsidy.rate: -0.05 is out of range: it must be between 0 and 1 (0.1 = 10%)",
        ),
        toml_case(
            "a rate written as a percentage number",
            "rate = \"0.10\"",
            "rate = 10",
            "scenario.toml: rounds[0] (big).subsidy.rate: 10 is out of range: it must be between 0 and 1 (0.1 = 10%)",
        ),
        toml_case(
            "a rate and uplift over the whole investment",
            "rate = \"0.05\"",
            "rate = \"0.99\"",
            "scenario.toml: rounds[1] (small).subsidy: the rate 0.99 plus uplifts of up to 0.02 comes to 1.01, more than the whole investment (0.1 = 10%)",
        ),
        toml_case(
            "a pro-rata floor of zero",
            "budget = \"300000\"",
            "budget = \"300000\"\npro_rata_floor = \"0\"",
            "scenario.toml: pools[1] (side).pro_rata_floor: 0 is out of range: it must be above 0 and at most 1 (0.1 = 10%)",
        ),
        toml_case(
            "a vanishing pro-rata floor (it overflowed the pool's capacity budget / φ)",
            "budget = \"300000\"",
            "budget = \"300000\"\npro_rata_floor = \"0.0000000000000000000000000001\"",
            "scenario.toml: pools[1] (side).pro_rata_floor: 0.0000000000000000000000000001 is too small: the floor must be at least 0.0001 (0.01%), or the pool could commit over 10,000 times its budget",
        ),
        toml_case(
            "a round size as text",
            "max_projects = 3",
            "max_projects = \"3\"",
            "scenario.toml: line 33, column 16: invalid type: string \"3\", expected u32",
        ),
        toml_case(
            "a negative round size",
            "max_projects = 3",
            "max_projects = -3",
            "scenario.toml: line 33, column 16: invalid value: integer `-3`, expected u32",
        ),
        toml_case(
            "an unknown unit",
            "unit = \"yuan\"\n\n[[pools]]",
            "unit = \"usd\"\n\n[[pools]]",
            "scenario.toml: line 6, column 8: unknown variant `usd`, expected one of `CNY`, `yuan`, `元`, `10k`, `wan`, `万元`",
        ),
        toml_case(
            "an amount in words",
            "budget = \"300000\"",
            "budget = \"三十万\"",
            "scenario.toml: line 14, column 10: \"三十万\" is not a number",
        ),
        toml_case(
            "a pool id twice",
            "id = \"side\"",
            "id = \"main\"",
            "scenario.toml: pools[1] (main): pool id \"main\" is used twice",
        ),
        toml_case(
            "a round id twice",
            "id = \"small\"",
            "id = \"big\"",
            "scenario.toml: rounds[1] (big): round id \"big\" is used twice",
        ),
        toml_case(
            "a criterion id twice",
            "{ id = \"impact\"",
            "{ id = \"quality\"",
            "scenario.toml: scoring.criteria[1] (quality): criterion id \"quality\" is used twice",
        ),
        toml_case(
            "an inline project id twice",
            "id = \"A6\"",
            "id = \"A1\"",
            "scenario.toml: applications.projects[5] (A1): project id \"A1\" is used twice (first at scenario.toml: applications.projects[0] (A1))",
        ),
    ]);
}

#[test]
fn committee_decisions_that_cannot_mean_anything_are_refused() {
    assert_refused(vec![
        committee_case(
            "a lock in an unknown round",
            "must_fund = [{ project = \"A1\", round = \"bigger\" }]",
            "scenario.toml: committee.must_fund[0]: \"bigger\" is not a round (rounds: big, small)",
        ),
        committee_case(
            "a dependency on an unknown project",
            "dependencies = [{ kind = \"requires\", project = \"A1\", other = \"A9\" }]",
            "scenario.toml: committee.dependencies[0]: \"A9\" is not a project in the applications",
        ),
        committee_case(
            "a project excluding itself",
            "dependencies = [{ kind = \"excludes\", project = \"A1\", other = \"A1\" }]",
            "scenario.toml: committee.dependencies[0]: project A1 cannot depend on itself",
        ),
        committee_case(
            "an unknown kind of dependency",
            "dependencies = [{ kind = \"needs\", project = \"A1\", other = \"A2\" }]",
            "scenario.toml: line 46, column 26: unknown variant `needs`, expected `requires` or `excludes`",
        ),
        committee_case(
            "a project that requires and excludes another",
            "dependencies = [\n  { kind = \"requires\", project = \"A1\", other = \"A2\" },\n  { kind = \"excludes\", project = \"A2\", other = \"A1\" },\n]",
            "scenario.toml: committee.dependencies[1]: project A1 requires A2 but they exclude each other, so it could never be funded",
        ),
        committee_case(
            "a chain of requires into an exclusion",
            "dependencies = [\n  { kind = \"requires\", project = \"A1\", other = \"A2\" },\n  { kind = \"requires\", project = \"A2\", other = \"A3\" },\n  { kind = \"requires\", project = \"A1\", other = \"A5\" },\n  { kind = \"excludes\", project = \"A3\", other = \"A5\" },\n]",
            "scenario.toml: committee.dependencies[3]: project A1 requires both A3 and A5, which exclude each other, so it could never be funded",
        ),
    ]);
}

#[test]
fn malformed_json_scenarios_are_refused() {
    let json = fixture("small.json");
    assert_refused(vec![
        json_case(
            "an empty JSON file",
            "",
            "scenario.json: the file is empty; a scenario needs [[pools]], [[rounds]], [scoring] and [applications]",
        ),
        json_case(
            "a cut-off JSON file",
            &json[..json.len() / 2],
            "scenario.json: line 91, column 10: EOF while parsing a string",
        ),
        json_case(
            "a JSON number for a round size given as text",
            edit(&json, "\"max_projects\": 2", "\"max_projects\": \"2\""),
            "scenario.json: line 20, column 25: invalid type: string \"2\", expected u32",
        ),
        json_case(
            "a JSON boolean for an amount",
            edit(&json, "\"budget\": \"300000\"", "\"budget\": true"),
            "scenario.json: line 13, column 20: invalid type: boolean `true`, expected an amount written as a string (\"30000000.00\") or an integer",
        ),
        json_case(
            "a JSON string at the top",
            "\"small.toml\"",
            "scenario.json: line 1, column 12: invalid type: string \"small.toml\", expected a scenario (a table of [scenario], [[pools]], [[rounds]], [scoring], [committee], [objective], [applications])",
        ),
    ]);
}

// ---------------------------------------------------------------------------------------------
// Untidy but unambiguous: accepted, and solved exactly as the clean file is
// ---------------------------------------------------------------------------------------------

/// The JSON certificate of `solve` on the files (which must succeed).
/// The certificate of a solve, without its audit manifest: the inputs compared here differ in
/// their bytes on purpose, so their hashes differ; everything the rules and solver made must not.
fn certificate(files: &[(&str, Vec<u8>)], scenario: &str) -> String {
    let work = Workdir::with(files);
    let run = work.run(&["solve", scenario, "-f", "json"]);
    assert_eq!(run.code, 0, "solve failed:\n{}", run.stderr);
    assert!(run.stderr.is_empty(), "solve warned:\n{}", run.stderr);
    let mut json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let manifest = json.as_object_mut().and_then(|o| o.remove("manifest"));
    assert!(manifest.is_some(), "the certificate has no manifest");
    serde_json::to_string_pretty(&json).expect("JSON")
}

fn csv_certificate(scenario: &str, csv: impl Into<Vec<u8>>) -> String {
    certificate(
        &[
            ("scenario.toml", scenario.as_bytes().to_vec()),
            ("applications.csv", csv.into()),
        ],
        "scenario.toml",
    )
}

const CLEAN: &str = "id,rounds,equipment,quality\nB1,big,100,80\nB2,big,200,70\nB3,big,300,60\n";

#[test]
fn untidy_tables_solve_like_the_clean_one() {
    let scenario = fixture("csv/scenario.toml");
    let in_yuan = edit(&scenario, "unit = \"万元\"", "unit = \"yuan\"");
    let clean = csv_certificate(&scenario, CLEAN);
    assert!(clean.contains("\"total_subsidy\": \"300000\""), "{clean}");
    let untidy: Vec<(&str, &str, Vec<u8>)> = vec![
        ("a byte-order mark", &scenario, [b"\xEF\xBB\xBF", CLEAN.as_bytes()].concat()),
        ("CRLF line ends", &scenario, CLEAN.replace('\n', "\r\n").into_bytes()),
        (
            "blank rows, empty rows and spaces",
            &scenario,
            "\nid, rounds ,equipment,quality\n\nB1,big,100,80\n,,,\r\n\" B2 \",big, 200 ,70\n  ,  ,,\nB3,big,\"300\",60\n\n\n"
                .into(),
        ),
        (
            "thousands separators in yuan",
            &scenario,
            "id,rounds,equipment(元),quality\nB1,big,\"1,000,000\",80\nB2,big,\"2,000,000.00\",70\nB3,big,3 000 000,60\n"
                .into(),
        ),
        (
            "万元 in the header of a yuan file",
            &in_yuan,
            "id,rounds,equipment(万元),quality\nB1,big,100,80\nB2,big,200,70\nB3,big,300,60\n".into(),
        ),
        (
            "万元 in the cells of a yuan file",
            &in_yuan,
            "id,rounds,equipment,quality\nB1,big,100万,80\nB2,big,200万元,70\nB3,big,\"3,000,000元\",60\n".into(),
        ),
        (
            "GBK with Chinese headers",
            &scenario,
            gbk("项目编号,申报类别,设备投资,质量\nB1,big,100,80\nB2,big,200,70\nB3,big,300,60\n"),
        ),
        (
            "trailing empty columns",
            &scenario,
            "id,rounds,equipment,quality,,\nB1,big,100,80,,\nB2,big,200,70,,\nB3,big,300,60,,\n".into(),
        ),
    ];
    for (label, scenario, csv) in untidy {
        assert_eq!(csv_certificate(scenario, csv), clean, "{label}");
    }
}

#[test]
fn a_gbk_sheet_saved_by_excel_solves_like_its_utf8_twin() {
    let saved = fixture_bytes("gbk/applications.csv");
    assert!(
        std::str::from_utf8(&saved).is_err(),
        "the fixture is not UTF-8"
    );
    let text = "项目编号,项目名称,申报类别,设备投资,技术先进性\nG01,智能化生产线项目,一般技改项目,500,80\n";
    assert_eq!(gbk(text), saved, "the fixture is this text in GBK");
    let scenario = fixture("gbk/scenario.toml");
    assert_eq!(
        csv_certificate(&scenario, saved),
        csv_certificate(&scenario, text)
    );
}

#[test]
fn scenario_files_with_a_byte_order_mark_read_as_without() {
    let toml = fixture_bytes("small.toml");
    let json = fixture_bytes("small.json");
    let bom = |b: &[u8]| [b"\xEF\xBB\xBF", b].concat();
    assert_eq!(
        certificate(&[("s.toml", bom(&toml))], "s.toml"),
        certificate(&[("s.toml", toml)], "s.toml")
    );
    assert_eq!(
        certificate(&[("s.json", bom(&json))], "s.json"),
        certificate(&[("s.json", json)], "s.json")
    );
}

/// A cycle of `requires` is consistent: all of its projects or none. A1 and A3 are funded in the
/// plain `small` scenario, so a cycle between them changes nothing; a cycle between A1 and A5
/// (eligible, not funded) funds both or neither; a cycle with the ineligible A4 keeps A1 out.
#[test]
fn a_cycle_of_requires_is_all_or_none() {
    let small = fixture("small.toml");
    let funded = |committee: &str| -> BTreeSet<String> {
        let toml = edit(
            &small,
            "[applications]",
            &format!("[committee]\n{committee}\n\n[applications]"),
        );
        let work = Workdir::with(&[("scenario.toml", toml.into_bytes())]);
        let run = work.run(&["solve", "scenario.toml", "-f", "json"]);
        assert_eq!(run.code, 0, "solve failed:\n{}", run.stderr);
        // The cycle with the ineligible A4 is worth a warning, and gets it.
        let warned = committee.contains("\"A4\"");
        assert_eq!(
            run.stderr.contains(
                "A1 requires A4, which is eligible in no round it entered: A1 can never be funded"
            ),
            warned,
            "{}",
            run.stderr
        );
        assert!(warned || run.stderr.is_empty(), "{}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON certificate");
        v["funded"]
            .as_array()
            .expect("funded")
            .iter()
            .map(|f| f["project"].as_str().expect("a project id").to_string())
            .collect()
    };
    let cycle = |a: &str, b: &str| {
        format!(
            "dependencies = [\n  {{ kind = \"requires\", project = \"{a}\", other = \"{b}\" }},\n  {{ kind = \"requires\", project = \"{b}\", other = \"{a}\" }},\n]"
        )
    };
    let base = funded("");
    assert_eq!(base, ["A1", "A2", "A3", "A6"].map(String::from).into());
    assert_eq!(funded(&cycle("A1", "A3")), base);
    let joined = funded(&cycle("A1", "A5"));
    assert_eq!(joined.contains("A1"), joined.contains("A5"), "{joined:?}");
    assert!(!funded(&cycle("A1", "A4")).contains("A1"));
}

// ---------------------------------------------------------------------------------------------
// Found by fuzzing (fuzz/, docs/fuzzing.md)
// ---------------------------------------------------------------------------------------------

/// scenario_json: a key holding a line break (`"\nit"`) made a message of two lines. Every message
/// is one line: line breaks from the input are shown escaped.
#[test]
fn fuzz_a_line_break_in_a_key_or_cell_stays_on_one_line() {
    let json = fixture("small.json");
    assert_refused(vec![
        json_case(
            "a JSON key with a line break",
            // The first "unit" is the [scenario] one.
            json.replacen("\"unit\": \"yuan\"", "\"\\nit\": \"yuan\"", 1),
            "scenario.json: line 4, column 10: unknown field `\\nit`, expected one of `name`, `description`, `unit`, `lang`",
        ),
        csv_case(
            "a CSV id with a line break and no round",
            csv("\"B\r\n1\",,100,80\n"),
            "applications.csv: row 2: project B\\r\\n1 applies to no round",
        ),
    ]);
}

/// The crash inputs themselves, as the fuzzer wrote them (`tests/fixtures/bad/fuzz-*.json`).
fn fuzz_case(label: &'static str, name: &str, message: &str) -> Case {
    json_case(label, fixture_bytes(&format!("bad/{name}")), message)
}

/// scenario_json: a criterion value of 2.08e28 under `min_max` overflowed `Decimal` while scoring
/// (`100 × (v − min)`), a panic in `rules::evaluate`. Criterion values are held to ±10^12 (±10^4
/// points when taken as they are), weights to 10^9 and amounts to 1 万亿元 when read, so
/// scoring, subsidies and the solver's sums stay exact.
#[test]
fn fuzz_numbers_too_large_to_score_are_refused() {
    assert_refused(vec![
        fuzz_case(
            "the crash input",
            "fuzz-criterion-overflow.json",
            "scenario.json: applications.projects[2] (A3): criterion impact (impact): 20777777777777780000000000000 is out of range: it must be within ±1,000,000,000,000",
        ),
        fuzz_case(
            "the first crash input (a line break in a key)",
            "fuzz-line-break-in-key.json",
            "scenario.json: line 4, column 10: unknown field `\\nit`, expected one of `name`, `description`, `unit`, `lang`",
        ),
        toml_case(
            "a huge inline criterion value",
            "scores = { quality = 90, impact = 10 }",
            "scores = { quality = 90, impact = \"1e16\" }",
            "scenario.toml: applications.projects[0] (A1): criterion impact (impact): 10000000000000000 is out of range: it must be within ±1,000,000,000,000",
        ),
        csv_case(
            "a huge criterion value in a CSV",
            csv("B1,big,100,80\nB2,big,100,-2000000000000000\n"),
            "applications.csv: row 3: criterion quality (质量): -2000000000000000 is out of range: it must be within ±10,000 (an as-is criterion's values are points of the score; give it a normalization for indicators on another scale)",
        ),
        toml_case(
            "a huge weight",
            "weight = \"0.7\"",
            "weight = \"1e20\"",
            "scenario.toml: scoring.criteria[0] (quality).weight: 100000000000000000000 is out of range: it must be within ±1,000,000,000",
        ),
        toml_case(
            "a huge budget",
            "budget = \"300000\"",
            "budget = \"300,000,000,000,000\"",
            "scenario.toml: pools[1] (side).budget: \"300000000000000\" is too large: amounts go up to 1,000,000,000,000 yuan (1 万亿元)",
        ),
        csv_case(
            "a huge amount in a CSV",
            csv("B1,big,2e12,80\n"),
            "applications.csv: row 2, column \"equipment\": \"2e12\" is too large: amounts go up to 1,000,000,000,000 yuan (1 万亿元)",
        ),
    ]);
}

/// Issue 12: a criterion value such as 600000000000000 (a typo for 60) was accepted, and with
/// several such projects the reported optimum was wrong. An as-is criterion's values are points of
/// the score and are held to ±10,000; `range` on a criterion refuses what it cannot mean.
#[test]
fn criterion_values_outside_what_the_criterion_can_mean_are_refused() {
    let ranged = edit(
        &fixture("small.toml"),
        "{ id = \"quality\", weight = \"0.7\" }",
        "{ id = \"quality\", weight = \"0.7\", range = [0, 100] }",
    );
    assert_refused(vec![
        toml_case(
            "a typo of 600000000000000 for 60 on an as-is criterion",
            "scores = { quality = 90, impact = 10 }",
            "scores = { quality = \"600000000000000\", impact = 10 }",
            "scenario.toml: applications.projects[0] (A1): criterion quality (quality): 600000000000000 is out of range: it must be within ±10,000 (an as-is criterion's values are points of the score; give it a normalization for indicators on another scale)",
        ),
        toml_text_case(
            "an expert score of 9,999 on a criterion of range [0, 100]",
            edit(&ranged, "scores = { quality = 90, impact = 10 }", "scores = { quality = 9999, impact = 10 }"),
            "scenario.toml: applications.projects[0] (A1): criterion quality (quality): 9999 is outside the criterion's range [0, 100]",
        ),
        toml_text_case(
            "a range that is not one",
            edit(&ranged, "range = [0, 100]", "range = [100, 0]"),
            "scenario.toml: scoring.criteria[0] (quality).range: [100, 0] is not a range: it needs low <= high",
        ),
        toml_case(
            "pools that together may commit more than the largest amount",
            "budget = \"300000\"",
            "budget = \"999,999,000,000\"\npro_rata_floor = \"0.5\"",
            "scenario.toml: pools: together the pools may commit 1999999000000 yuan; amounts go up to 1,000,000,000,000 yuan (1 万亿元) in all",
        ),
        toml_case(
            "a bonus beyond ±10,000 points",
            "[applications]",
            "[[scoring.bonus]]\nflag = \"patent\"\npoints = 20000\n[applications]",
            "scenario.toml: scoring.bonus[0].points: 20000 is out of range: it must be within ±10,000",
        ),
    ]);
}

/// A command line the parser refuses is one line too, exit 2, nothing on stdout, with the
/// parser's tip kept (found by an independent cross-check: clap printed five lines).
#[test]
fn a_bad_command_line_is_one_line_naming_what_is_wrong() {
    let hint = "(allot --help lists the commands, allot COMMAND --help their options)";
    for (args, what) in [
        (
            vec!["solve", "--time-limit", "abc"],
            "invalid value 'abc' for '--time-limit <SECONDS>': invalid float literal",
        ),
        (
            vec!["solve", "--time-limit", "-1"],
            "unexpected argument '-1' found; to pass '-1' as a value, use '-- -1'",
        ),
        (vec!["nosuch"], "unrecognized subcommand 'nosuch'"),
        (
            vec!["export"],
            "the following required arguments were not provided: <--lp <FILE>|--mps <FILE>>",
        ),
    ] {
        let run = crate::util::allot(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}");
        assert_eq!(run.stderr, format!("allot: {what} {hint}\n"), "{args:?}");
    }
    let help = crate::util::allot(&["solve", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Usage: allot solve"));
}
