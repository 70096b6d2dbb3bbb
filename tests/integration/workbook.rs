//! Excel in and out: applications read from a workbook give the same result as the same data in
//! CSV; the `xlsx` result reads back to the JSON certificate's portfolio; bad workbooks fail with
//! one message naming the sheet and cell and leave no output file; the output is byte-identical
//! across runs. Workbooks are written by the tests themselves with rust_xlsxwriter.

use crate::util::{edit, latin_words, Workdir, MANIFEST_DIR};
use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

fn fixture(path: &str) -> String {
    let p = Path::new(MANIFEST_DIR).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Writes CSV records into a sheet as a planner's sheet holds them: cells that read as plain
/// numbers become number cells, everything else text.
fn fill(sheet: &mut Worksheet, records: &[Vec<String>]) {
    for (r, record) in records.iter().enumerate() {
        for (c, cell) in record.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if r > 0 => {
                    sheet.write_number(r, c, n).unwrap();
                }
                _ => {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
}

fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("csv record").iter().map(str::to_string).collect())
        .collect()
}

/// A workbook whose first sheet is a note and whose sheet `sheet` holds `records`.
fn workbook(sheet: &str, records: &[Vec<String>], edit: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "申报汇总 (synthetic)")
        .unwrap();
    let ws = book.add_worksheet().set_name(sheet).unwrap();
    fill(ws, records);
    edit(ws);
    book.save_to_buffer().expect("workbook")
}

/// The `chinese` fixture with its applications in `申报汇总.xlsx`, sheet `项目`.
fn chinese_workdir(edit_sheet: impl FnOnce(&mut Worksheet)) -> Workdir {
    let work = Workdir::new();
    let scenario = edit(
        &fixture("tests/fixtures/chinese/scenario.toml"),
        "file = \"applications.csv\"",
        "file = \"申报汇总.xlsx\"\nsheet = \"项目\"",
    );
    let records = csv_records(&fixture("tests/fixtures/chinese/applications.csv"));
    work.write("scenario.toml", scenario)
        .write("申报汇总.xlsx", workbook("项目", &records, edit_sheet));
    work
}

/// Funded (project → paid) of a certificate.
fn funded_json(cert: &Value) -> BTreeMap<String, Decimal> {
    cert["funded"]
        .as_array()
        .expect("funded")
        .iter()
        .map(|f| {
            (
                f["project"].as_str().unwrap().to_string(),
                Decimal::from_str(f["subsidy"].as_str().unwrap()).unwrap(),
            )
        })
        .collect()
}

/// A number cell read back from a workbook, as the exact decimal it was written from.
fn decimal(cell: &Data) -> Decimal {
    match cell {
        Data::Float(f) => Decimal::from_str(&f.to_string()).unwrap(),
        Data::Int(i) => Decimal::from(*i),
        other => panic!("{other:?} is not a number"),
    }
}

/// Solves `scenario.toml` into `result.xlsx`, in English (the sheet and header names
/// [`funded_xlsx`] reads).
fn english_result(work: &Workdir) {
    work.run(&[
        "solve",
        "scenario.toml",
        "-f",
        "xlsx",
        "-o",
        "result.xlsx",
        "--lang",
        "en",
    ])
    .success();
}

/// Funded (project → paid) of a result workbook's `Projects` sheet, and its summary total.
fn funded_xlsx(path: &Path) -> (BTreeMap<String, Decimal>, Decimal) {
    let mut book: Xlsx<_> = calamine::open_workbook(path).expect("result workbook opens");
    let projects = book.worksheet_range("Projects").expect("Projects sheet");
    let mut rows = projects.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let funded = rows
        .filter(|r| r[col("status")] == "funded")
        .map(|r| {
            (
                r[col("project")].to_string(),
                decimal(&r[col("subsidy (yuan)")]),
            )
        })
        .collect();
    let summary = book.worksheet_range("Summary").expect("Summary sheet");
    let total = summary
        .rows()
        .find(|r| r[0] == "total subsidy (yuan)")
        .map(|r| decimal(&r[1]))
        .expect("a total subsidy row");
    (funded, total)
}

#[test]
fn a_chinese_workbook_solves_as_its_csv_and_its_result_workbook_reads_back() {
    let work = chinese_workdir(|_| {});
    let from_xlsx = work.run(&["solve", "scenario.toml", "-f", "json"]);
    let cert = from_xlsx.success().result();
    assert!(!funded_json(&cert).is_empty(), "the fixture funds projects");

    // The same data as CSV gives the same certificate.
    work.write("csv.toml", fixture("tests/fixtures/chinese/scenario.toml"))
        .write(
            "applications.csv",
            fixture("tests/fixtures/chinese/applications.csv"),
        );
    let from_csv = work.run(&["solve", "csv.toml", "-f", "json"]);
    assert_eq!(from_csv.success().result(), cert);

    // The result workbook holds the certificate's portfolio.
    english_result(&work);
    let (funded, total) = funded_xlsx(&work.path("result.xlsx"));
    assert_eq!(funded, funded_json(&cert));
    assert_eq!(
        total,
        Decimal::from_str(cert["total_subsidy"].as_str().unwrap()).unwrap()
    );
}

#[test]
fn a_chinese_workbook_speaks_chinese_in_every_sheet_name_label_and_header() {
    let work = Workdir::new();
    work.run(&["solve", "-f", "xlsx", "-o", "zh.xlsx", "--lang", "zh"])
        .success();
    // Ids, the scenario's own names (the user's words) and units may be Latin.
    let cert = work.run(&["solve", "-f", "json"]).success().result();
    let mut allowed: BTreeSet<String> = BTreeSet::new();
    let scenario = fixture("scenarios/quzhou-2019/scenario.toml");
    for word in scenario
        .lines()
        .filter(|l| l.trim_start().starts_with("name") || l.trim_start().starts_with("id"))
        .flat_map(|l| l.split(|c: char| !c.is_ascii_alphabetic()))
    {
        allowed.insert(word.to_lowercase());
    }
    for p in cert["projects"].as_array().unwrap() {
        allowed.insert(p["id"].as_str().unwrap().to_lowercase());
    }
    allowed.insert("name".into());
    allowed.insert("id".into());
    let mut book: Xlsx<_> = calamine::open_workbook(work.path("zh.xlsx")).unwrap();
    let sheets = book.sheet_names();
    assert_eq!(sheets.first().map(String::as_str), Some("汇总"));
    assert_eq!(sheets.last().map(String::as_str), Some("评审委员会决定"));
    assert!(sheets.iter().any(|s| s == "全部申报"));
    for name in &sheets {
        assert!(latin_words(name, &allowed).is_empty(), "sheet {name}");
        let range = book.worksheet_range(name).unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        // The labels (the summary's first column) and every header and title row.
        let mut texts: Vec<&String> = Vec::new();
        if name == "汇总" {
            texts.extend(rows.iter().filter_map(|r| r.first()));
        }
        let headers = if name == "全部申报" || name == "评审委员会决定" {
            1
        } else {
            2
        };
        texts.extend(rows.iter().take(headers).flatten());
        for text in texts {
            let latin = latin_words(text, &allowed);
            assert!(latin.is_empty(), "sheet {name}: {text:?} has {latin:?}");
        }
    }
    let projects = book.worksheet_range("全部申报").unwrap();
    let header: Vec<String> = projects
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "项目编号");
    let status = header.iter().position(|h| h == "结果").unwrap();
    let funded = projects.rows().filter(|r| r[status] == "获资助").count();
    assert_eq!(funded, cert["funded"].as_array().unwrap().len());
}

#[test]
fn the_bundled_scenario_as_a_workbook_solves_as_its_csv() {
    let work = Workdir::new();
    let dir = "scenarios/quzhou-2019";
    let scenario = edit(
        &fixture(&format!("{dir}/scenario.toml")),
        "file = \"applications.csv\"",
        "file = \"applications.xlsx\"",
    );
    let records = csv_records(&fixture(&format!("{dir}/applications.csv")));
    let mut book = Workbook::new();
    fill(book.add_worksheet(), &records);
    work.write("scenario.toml", scenario)
        .write("applications.xlsx", book.save_to_buffer().unwrap());
    let from_xlsx = work.run(&["solve", "scenario.toml", "-f", "json"]);
    let bundled = Workdir::new().run(&["solve", "-f", "json"]);
    assert_eq!(from_xlsx.success().result(), bundled.success().result());

    english_result(&work);
    let (funded, _) = funded_xlsx(&work.path("result.xlsx"));
    assert_eq!(funded, funded_json(&bundled.json()));
}

#[test]
fn the_result_workbook_is_byte_identical_across_runs() {
    let work = chinese_workdir(|_| {});
    for name in ["a.xlsx", "b.xlsx"] {
        work.run(&["solve", "scenario.toml", "-f", "xlsx", "-o", name])
            .success();
    }
    let a = std::fs::read(work.path("a.xlsx")).unwrap();
    assert!(a.starts_with(b"PK"), "an xlsx is a zip file");
    assert_eq!(a, std::fs::read(work.path("b.xlsx")).unwrap());
}

#[test]
fn xlsx_needs_an_output_file() {
    let work = chinese_workdir(|_| {});
    for extra in [&[][..], &["-o", "-"][..]] {
        let mut args = vec!["solve", "scenario.toml", "-f", "xlsx"];
        args.extend_from_slice(extra);
        work.run(&args).bad_input(&["--output FILE"]);
    }
}

/// Runs the chinese workbook with one edit of its sheet and expects a bad-input failure naming
/// `parts`, with no result file left behind.
#[track_caller]
fn refused(
    edit_sheet: impl FnOnce(&mut Worksheet),
    scenario_edit: Option<(&str, &str)>,
    parts: &[&str],
) {
    let work = chinese_workdir(edit_sheet);
    if let Some((from, to)) = scenario_edit {
        let text = std::fs::read_to_string(work.path("scenario.toml")).unwrap();
        work.write("scenario.toml", edit(&text, from, to));
    }
    let before = work.entries("");
    work.run(&["solve", "scenario.toml", "-f", "xlsx", "-o", "result.xlsx"])
        .bad_input(parts);
    assert_eq!(work.entries(""), before, "a failed run left files behind");
}

#[test]
fn a_missing_sheet_is_named_with_the_sheets_there_are() {
    refused(
        |_| {},
        Some(("sheet = \"项目\"", "sheet = \"汇总\"")),
        &["申报汇总.xlsx", "no sheet \"汇总\"", "\"说明\", \"项目\""],
    );
}

#[test]
fn text_in_a_money_cell_names_sheet_cell_and_header() {
    // Column G is 设备投资; row 3 is Q02.
    refused(
        |ws| {
            ws.write_string(2, 6, "abc").unwrap();
        },
        None,
        &["申报汇总.xlsx: sheet 项目, cell G3 (设备投资): \"abc\" is not an amount"],
    );
}

#[test]
fn a_date_or_boolean_in_a_money_cell_is_refused() {
    refused(
        |ws| {
            let date = ExcelDateTime::from_ymd(2019, 5, 1).unwrap();
            let format = Format::new().set_num_format("yyyy-mm-dd");
            ws.write_datetime_with_format(1, 7, &date, &format).unwrap();
        },
        None,
        &[
            "sheet 项目, cell H2 (技术投资)",
            "\"2019-05-01\" is a date, not an amount",
        ],
    );
    refused(
        |ws| {
            ws.write_boolean(3, 10, true).unwrap();
        },
        None,
        &[
            "sheet 项目, cell K4 (技术先进性)",
            "is a boolean, not a number",
        ],
    );
}

#[test]
fn merged_header_cells_are_named() {
    refused(
        |ws| {
            ws.merge_range(0, 1, 0, 2, "项目名称", &Format::new())
                .unwrap();
        },
        None,
        &[
            "sheet 项目, row 1: cells B1:C1 are merged",
            "its own header",
        ],
    );
}

#[test]
fn a_value_under_no_header_is_refused() {
    refused(
        |ws| {
            ws.write_string(2, 12, "备注").unwrap();
        },
        None,
        &[
            "sheet 项目, cell M3",
            "column M holds values but has no header",
        ],
    );
}

#[test]
fn a_formula_is_read_through_its_cached_value() {
    // Q01's 设备投资 as a formula whose saved value is 500 (万元): the same result as the CSV.
    let plain = chinese_workdir(|_| {});
    let expected = plain.run(&["solve", "scenario.toml", "-f", "json"]);
    let work = chinese_workdir(|ws| {
        ws.write_formula(1, 6, Formula::new("=250*2").set_result("500"))
            .unwrap();
    });
    let actual = work.run(&["solve", "scenario.toml", "-f", "json"]);
    assert_eq!(actual.success().result(), expected.success().result());

    // A formula with no saved value (as written by tools that do not compute) is refused,
    // naming the cell, and no result file is left.
    let work = chinese_workdir(|ws| {
        ws.write_formula(1, 6, "=250*2").unwrap();
    });
    let book = std::fs::read(work.path("申报汇总.xlsx")).unwrap();
    work.write("申报汇总.xlsx", without_saved_value(&book, "<f>250*2</f>"));
    work.run(&["solve", "scenario.toml", "-f", "xlsx", "-o", "result.xlsx"])
        .bad_input(&["sheet 项目, cell G2", "=250*2", "no saved value"]);
    assert!(!work.path("result.xlsx").exists());
}

/// The workbook with the saved value of the one `formula` (`<f>…</f><v>0</v>`) removed.
fn without_saved_value(xlsx: &[u8], formula: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut removed = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/") {
            let text = String::from_utf8(data).unwrap();
            let saved = format!("{formula}<v>0</v>");
            removed += text.matches(&saved).count();
            data = text.replace(&saved, formula).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    assert_eq!(removed, 1, "one formula without a saved value");
    out.finish().unwrap().into_inner()
}

#[test]
fn a_sheet_needs_a_workbook() {
    let work = Workdir::new();
    work.write(
        "scenario.toml",
        edit(
            &fixture("tests/fixtures/chinese/scenario.toml"),
            "file = \"applications.csv\"",
            "file = \"applications.csv\"\nsheet = \"项目\"",
        ),
    )
    .write(
        "applications.csv",
        fixture("tests/fixtures/chinese/applications.csv"),
    );
    work.run(&["solve", "scenario.toml"])
        .bad_input(&["applications.sheet", "not a workbook"]);
}

#[test]
fn a_workbook_named_as_the_scenario_gets_a_pointer() {
    let work = chinese_workdir(|_| {});
    work.run(&["solve", "申报汇总.xlsx"]).bad_input(&[
        "申报汇总.xlsx",
        "not a scenario",
        "[applications] file",
    ]);
}

/// Found by the `workbook_xlsx` fuzz target: a sheet whose cell reference has so many column
/// letters that calamine's parser overflows (a panic with overflow checks on, as in fuzz builds;
/// release builds wrap and calamine reports the reference as bad). Either way a user gets exit 2
/// and one line naming the workbook and the sheet.
#[test]
fn a_workbook_with_an_absurd_cell_reference_is_refused_in_one_line() {
    let dir = tempfile::TempDir::new().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let scenario = std::fs::read_to_string(format!("{root}/scenarios/quzhou-2019/scenario.toml"))
        .unwrap()
        .replace("applications.csv", "applications.xlsx");
    std::fs::write(dir.path().join("scenario.toml"), scenario).unwrap();
    std::fs::copy(
        format!("{root}/tests/fixtures/bad/fuzz-xlsx-cell-reference-overflow.xlsx"),
        dir.path().join("applications.xlsx"),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_allot"))
        .args(["check", "--lang", "en"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("applications.xlsx: sheet 项目"), "{stderr}");
}

#[test]
fn the_committee_s_decisions_have_their_sheet_in_the_report_s_words() {
    let work = Workdir::new();
    let what_ifs = ["--lock", "P010:major", "--exclude", "P037", "--lang", "en"];
    let mut args = vec!["solve", "-f", "xlsx", "-o", "c.xlsx"];
    args.extend(what_ifs);
    work.run(&args).success();
    let mut args = vec!["report", "-o", "r.html"];
    args.extend(what_ifs);
    work.run(&args).success();
    let mut book: Xlsx<_> = calamine::open_workbook(work.path("c.xlsx")).unwrap();
    let sheet = book.worksheet_range("Committee decisions").unwrap();
    let cells: Vec<String> = sheet.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(cells[0], "decision");
    assert_eq!(cells.len(), 3, "{cells:?}");
    // The same items, in the same words, as the report's committee section.
    let html = work.read_text("r.html");
    let section = html
        .split("<section class=\"committee\">")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    let items: Vec<String> = section
        .split("<li>")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap().replace("&amp;", "&"))
        .collect();
    assert_eq!(cells[1..], items[..]);
    assert!(
        cells[1].contains("P010") && cells[2].contains("P037"),
        "{cells:?}"
    );
}
